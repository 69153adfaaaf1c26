//! `src/runtime/credentials.rs`: the crate's credential kinds (`Credentials`, `CredentialKind`)
//! and the environment variables `Client::from_env` reads, from [`ir::Credentials`]. How a
//! value is sent is the runtime's (`runtime/auth.rs`); this file only says which values there
//! are and where each goes.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::Doc;
use super::ident;
use crate::ir::{self, CredentialKind, CredentialPart, SentAs};
use crate::naming::env_words;

/// The environment variable prefix: the profile's, or the crate name's words (`PETSTORE`).
pub fn env_prefix(credentials: &ir::Credentials, crate_name: &str) -> String {
    credentials.env_prefix.clone().unwrap_or_else(|| env_words(crate_name))
}

/// The generated `runtime/credentials.rs`.
pub fn emit_credentials(credentials: &ir::Credentials, crate_name: &str) -> TokenStream {
    let prefix = env_prefix(credentials, crate_name);
    let env = |name: &str| format!("{prefix}_{name}");
    let base_url_env = env("BASE_URL");
    let kinds = &credentials.kinds;

    let mut enum_doc = Doc::new().own(
        "The credentials a [`Client`](crate::Client) authenticates with.\n\n\
         Exactly one kind of credential is used at a time. The [`Debug`] representation never \
         shows a token, key or password.",
    );
    if kinds.is_empty() {
        enum_doc = enum_doc.own(
            "The API declares no security scheme, so there is nothing to construct. Send any \
             authentication it needs with `ClientBuilder::default_header`.",
        );
    } else {
        let mut order = String::from("`Client::from_env` takes the first of these that is set (empty variables count as unset):\n");
        for kind in kinds {
            let vars: Vec<String> = kind.values().iter().map(|v| format!("`{}`", env(&v.env))).collect();
            order.push_str(&format!("- {} for [`Credentials::{}`]\n", vars.join(" and "), kind.variant));
        }
        enum_doc = enum_doc.own(order.trim_end());
    }
    let enum_doc = enum_doc.own(&format!("`{base_url_env}`, when set, replaces the default base URL.")).attrs();

    let variants = kinds.iter().map(|kind| {
        let variant = ident(&kind.variant);
        let doc = Doc::new().own(&kind.doc).attrs();
        let values = kind.values();
        if let [_] = values.as_slice() {
            quote! { #doc #variant(String) }
        } else {
            let fields = values.iter().map(|v| {
                let field = v.field.to_ident();
                let doc = Doc::new().own(&format!("The {}.", v.label)).attrs();
                quote! { #doc #field: String }
            });
            quote! { #doc #variant { #(#fields),* } }
        }
    });
    let constructors = kinds.iter().map(constructor);
    let kind_arms = kinds.iter().map(|kind| {
        let variant = ident(&kind.variant);
        let pattern = pattern(kind, false);
        quote! { #pattern => CredentialKind::#variant }
    });
    let resolve_arms = kinds.iter().map(|kind| {
        let pattern = pattern(kind, true);
        let mut steps = kind.parts.iter().map(step);
        match steps.next() {
            Some(first) => quote! { #pattern => Secrets::new()#first #(.and_then(|secrets| secrets #steps))* },
            None => quote! { #pattern => Ok(Secrets::new()) },
        }
    });
    let debug_arms = kinds.iter().map(debug_arm);
    let kind_variants = kinds.iter().map(|kind| {
        let variant = ident(&kind.variant);
        let doc = Doc::new().own(&format!("[`Credentials::{}`].", kind.variant)).attrs();
        quote! { #doc #variant }
    });
    let display_arms = kinds.iter().map(|kind| {
        let variant = ident(&kind.variant);
        let label = &kind.label;
        quote! { CredentialKind::#variant => #label }
    });
    let from_env = kinds.iter().map(|kind| {
        let vars = kind.values().into_iter().map(|v| env(&v.env));
        let constructor = kind.constructor.to_ident();
        let nexts = kind.values().into_iter().map(|_| quote!(next()));
        quote! { EnvCredential { vars: &[#(#vars),*], make: |next| Credentials::#constructor(#(#nexts),*) } }
    });
    // An enum without variants is matched on nothing.
    let (kind_body, resolve_body, debug_body, display_body) = if kinds.is_empty() {
        let never = quote!(match *self {});
        let never_shown = quote! { let _ = f; match *self {} };
        (never.clone(), never, never_shown.clone(), never_shown)
    } else {
        (
            quote!(match self { #(#kind_arms,)* }),
            quote!(match self { #(#resolve_arms,)* }),
            quote!(match self { #(#debug_arms,)* }),
            quote!(f.write_str(match self { #(#display_arms,)* })),
        )
    };

    quote! {
        //! The credential kinds of this API and the environment variables `Client::from_env`
        //! reads. Generated from the API's profile and security schemes (not copied like the
        //! rest of the runtime); how each value is sent is in `auth.rs`.

        use std::fmt;

        use super::auth::{EnvCredential, Secrets};
        use super::error::Error;

        #enum_doc
        #[derive(Clone)]
        pub enum Credentials {
            #(#variants,)*
        }

        impl Credentials {
            #(#constructors)*

            /// The kind of these credentials.
            #[must_use]
            pub fn kind(&self) -> CredentialKind {
                #kind_body
            }

            /// Turns the credentials into the headers and query parameters sent with each
            /// request. Done once, when the client is built.
            pub(crate) fn resolve(&self) -> Result<Secrets, Error> {
                #resolve_body
            }
        }

        impl fmt::Debug for Credentials {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                #debug_body
            }
        }

        /// The kind of a [`Credentials`] value, without the secret.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum CredentialKind {
            #(#kind_variants,)*
        }

        impl fmt::Display for CredentialKind {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                #display_body
            }
        }

        /// The environment variable that replaces the default base URL in `Client::from_env`.
        pub(crate) const ENV_BASE_URL: &str = #base_url_env;

        /// Where `Client::from_env` looks for credentials, in order.
        pub(crate) const FROM_ENV: &[EnvCredential<Credentials>] = &[#(#from_env),*];
    }
}

/// `pub fn api_key(email: impl Into<String>, key: impl Into<String>) -> Self`.
fn constructor(kind: &CredentialKind) -> TokenStream {
    let name = kind.constructor.to_ident();
    let variant = ident(&kind.variant);
    let values = kind.values();
    let fields: Vec<_> = values.iter().map(|v| v.field.to_ident()).collect();
    let labels: Vec<String> = values.iter().map(|v| format!("the {} (`{}`)", v.label, v.field.as_str())).collect();
    let doc = Doc::new().own(&format!("[`Credentials::{}`] made of {}.", kind.variant, labels.join(" and "))).attrs();
    let body = if let [field] = fields.as_slice() {
        quote!(Credentials::#variant(#field.into()))
    } else {
        quote!(Credentials::#variant { #(#fields: #fields.into()),* })
    };
    quote! {
        #doc
        #[must_use]
        pub fn #name(#(#fields: impl Into<String>),*) -> Self {
            #body
        }
    }
}

/// `Credentials::ApiKey { email, key }` (binding every field), or `{ .. }` / `(_)`.
fn pattern(kind: &CredentialKind, bind: bool) -> TokenStream {
    let variant = ident(&kind.variant);
    let values = kind.values();
    let fields: Vec<_> = values.iter().map(|v| v.field.to_ident()).collect();
    match (fields.as_slice(), bind) {
        ([field], true) => quote!(Credentials::#variant(#field)),
        ([_], false) => quote!(Credentials::#variant(_)),
        (_, true) => quote!(Credentials::#variant { #(#fields),* }),
        (_, false) => quote!(Credentials::#variant { .. }),
    }
}

/// `.header("authorization", "Bearer ", token, "API token")` and the like.
fn step(part: &CredentialPart) -> TokenStream {
    match part {
        CredentialPart::Secret { value, sent: SentAs::Header { name, prefix } } => {
            let field = value.field.to_ident();
            let label = &value.label;
            quote!(.header(#name, #prefix, #field, #label))
        }
        CredentialPart::Secret { value, sent: SentAs::Query { name } } => {
            let field = value.field.to_ident();
            let label = &value.label;
            quote!(.query(#name, #field, #label))
        }
        CredentialPart::Basic { username, password } => {
            let (user, pass) = (username.field.to_ident(), password.field.to_ident());
            let label = &username.label;
            quote!(.basic(#user, #pass, #label))
        }
    }
}

/// `Credentials::ApiKey { email, .. } => f.debug_struct("ApiKey").field("email", email).field("key", &"<redacted>").finish()`.
fn debug_arm(kind: &CredentialKind) -> TokenStream {
    let variant = ident(&kind.variant);
    let name = &kind.variant;
    let values = kind.values();
    if let [_] = values.as_slice() {
        return quote!(Credentials::#variant(_) => f.debug_tuple(#name).field(&"<redacted>").finish());
    }
    let shown: Vec<_> = values.iter().filter(|v| v.shown).map(|v| v.field.to_ident()).collect();
    let fields = values.iter().map(|v| {
        let field_name = v.field.as_str();
        if v.shown {
            let field = v.field.to_ident();
            quote!(.field(#field_name, #field))
        } else {
            quote!(.field(#field_name, &"<redacted>"))
        }
    });
    quote!(Credentials::#variant { #(#shown,)* .. } => f.debug_struct(#name) #(#fields)* .finish())
}
