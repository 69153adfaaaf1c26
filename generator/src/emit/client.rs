//! Emits the client surface: `src/lib.rs` (accessors on `Client`), `src/apis/mod.rs`, and one
//! `src/apis/<group>.rs` per tag with a method per operation.
//!
//! Methods stay thin: check and encode path parameters, describe the request, and hand it to the
//! hand-written runtime, which owns HTTP, auth, errors and decoding.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::Doc;
use super::{Scope, ident, type_tokens};
use crate::ir::{Api, Auth, Body, BodyKind, CredentialKind, Group, Operation, Param, ParamLocation, PathPart, Response, TypeRef};

/// `src/lib.rs`.
pub fn emit_lib(api: &Api, spec_name: &str) -> TokenStream {
    let crate_doc = Doc::new()
        .spec(&format!("# {}", api.title))
        .spec(api.description.as_deref().unwrap_or_default())
        .own(&format!(
            "A typed async client generated from `{spec_name}` (API version {}). Start with [`Client`];\n\
             each group of operations is reached through an accessor such as `client.{}()`.",
            api.version,
            api.groups.first().map_or("group", |g| g.module.as_str()),
        ))
        .inner_attrs();
    let base_url = api.base_url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://")).unwrap_or("");
    let accessors = api.groups.iter().map(|g| {
        let module = ident(&g.module);
        let name = ident(&g.struct_name);
        let doc = group_doc(g).attrs();
        quote! {
            #doc
            pub fn #module(&self) -> apis::#module::#name<'_> {
                apis::#module::#name::new(self)
            }
        }
    });
    quote! {
        #crate_doc
        #![forbid(unsafe_code)]

        pub mod apis;
        pub mod types;
        // The runtime is the same in every crate; a spec need not use all of it.
        #[allow(dead_code, unused_imports)]
        mod runtime;

        pub use runtime::{
            ApiError, ApiErrorKind, Client, ClientBuilder, CredentialKind, Credentials, Error, ResponseInfo,
            ResponseInfoSource,
        };

        /// The base URL from the spec's first `servers` entry (empty when it has no absolute one).
        pub const DEFAULT_BASE_URL: &str = #base_url;

        impl Client {
            #(#accessors)*
        }
    }
}

/// `src/apis/mod.rs`.
pub fn emit_apis_mod(api: &Api) -> TokenStream {
    let modules = api.groups.iter().map(|g| {
        let module = ident(&g.module);
        // Through `Doc`, which makes the tag safe in a comment (line breaks, bidi controls).
        let doc = Doc::new().own(&format!("Operations tagged `{}`.", g.tag)).attrs();
        quote! { #doc pub mod #module; }
    });
    quote! {
        //! Operations, one module per tag of the spec.
        #(#modules)*
    }
}

fn group_doc(group: &Group) -> Doc {
    Doc::new().own(&format!("Operations tagged `{}`.", group.tag)).spec(group.description.as_deref().unwrap_or_default())
}

/// `src/apis/<group>.rs`.
pub fn emit_group(group: &Group) -> TokenStream {
    let name = ident(&group.struct_name);
    let module = &group.module;
    // rustdoc reads `#` in a link as a fragment: links name raw identifiers without `r#`.
    let doc = group_doc(group).own(&format!("Obtained from [`crate::Client::{}`].", module.trim_start_matches("r#"))).attrs();
    let methods = group.operations.iter().map(emit_operation);
    let module_doc = Doc::new().own(&format!("Operations tagged `{}`.", group.tag)).inner_attrs();
    quote! {
        #module_doc

        #doc
        #[derive(Clone, Copy, Debug)]
        pub struct #name<'a> {
            client: &'a crate::Client,
        }

        impl<'a> #name<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }

            #(#methods)*
        }
    }
}

fn emit_operation(op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let doc = operation_doc(op).attrs();
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));

    let mut args = Vec::new();
    let mut steps = Vec::new();
    for param in &op.path_params {
        let name = ident(&param.rust_name);
        let wire = &param.wire_name;
        let (arg_ty, as_str) = match &param.ty {
            TypeRef::String => (quote!(&str), quote!(#name)),
            // OpenAPI's default path style for arrays: comma-separated values.
            TypeRef::Array(item) => {
                let item = type_tokens(item, Scope::Apis);
                (quote!(&[#item]), quote!(&#name.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")))
            }
            other => (type_tokens(other, Scope::Apis), quote!(&#name.to_string())),
        };
        args.push(quote!(#name: #arg_ty));
        let length = length_tokens(param);
        steps.push(quote! { let #name = crate::runtime::path_param(#wire, #as_str, #length)?; });
    }
    if let Some(body) = &op.body {
        args.push(body_arg(body));
    }
    if let Some(params) = &op.params {
        let ty = ident(&params.type_name);
        args.push(quote!(params: &crate::types::#ty));
    }

    let http_method = ident(&op.http_method);
    let path = path_tokens(op);
    let auth = auth_tokens(&op.auth);
    let needs_mut = op.body.is_some() || op.params.is_some();
    let binding = if needs_mut { quote!(let mut request) } else { quote!(let request) };
    steps.push(quote! {
        #binding = self.client.request(reqwest::Method::#http_method, #path, #auth);
    });
    if let Some(params) = &op.params {
        steps.extend(params.fields.iter().map(param_step));
    }
    if let Some(body) = &op.body {
        steps.push(body_step(body));
    }
    let (ret, send) = response_tokens(&op.response);
    quote! {
        #doc
        #deprecated
        pub async fn #method(&self, #(#args),*) -> Result<#ret, crate::Error> {
            #(#steps)*
            request.#send.await
        }
    }
}

fn operation_doc(op: &Operation) -> Doc {
    let mut doc = Doc::new()
        .spec(op.summary.as_deref().unwrap_or_default())
        .spec(op.description.as_deref().unwrap_or_default())
        .own(&format!("`{} {}`", op.http_method, code_span(&op.path)));
    if !op.path_params.is_empty() {
        doc = doc.own("# Arguments\n\n");
        for param in &op.path_params {
            let mut line = format!("- `{}`", param.rust_name.trim_start_matches("r#"));
            let mut separator = ":";
            if let Some(description) = param.description.as_deref().filter(|d| !d.trim().is_empty()) {
                line.push_str(separator);
                line.push(' ');
                line.push_str(description.trim());
                separator = "";
            }
            if let Some(limit) = describe_length(param) {
                line.push_str(&format!("{separator} {limit}, checked before sending."));
            }
            doc = doc.spec_line(&line);
        }
    }
    doc = doc
        .own("# Errors")
        .own(
            "[`crate::Error`] when a parameter breaks the spec's constraints (nothing is sent), on \
             transport failure, or when the API answers with a failure status or `success: false`.",
        );
    if !op.error_responses.is_empty() {
        doc = doc.own("Failure responses documented by the spec:\n\n");
        for (status, description) in &op.error_responses {
            doc = doc.spec_line(&format!("- `{}`: {}", code_span(status), description.trim()));
        }
    }
    doc
}

fn describe_length(param: &Param) -> Option<String> {
    let characters = |n: u64| if n == 1 { "1 character".to_owned() } else { format!("{n} characters") };
    match (param.length.min, param.length.max) {
        (Some(min), Some(max)) if min == max => Some(format!("Exactly {}", characters(max))),
        (Some(min), Some(max)) => Some(format!("Between {min} and {}", characters(max))),
        (Some(min), None) => Some(format!("At least {}", characters(min))),
        (None, Some(max)) => Some(format!("At most {}", characters(max))),
        (None, None) => None,
    }
}

/// Text safe inside a Markdown code span.
fn code_span(text: &str) -> String {
    text.replace('`', "'")
}

fn length_tokens(param: &Param) -> TokenStream {
    let option = |v: Option<u64>| match v {
        Some(n) => {
            let n = proc_macro2::Literal::u64_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    };
    if param.length.min.is_none() && param.length.max.is_none() {
        return quote!(crate::runtime::Length::ANY);
    }
    let (min, max) = (option(param.length.min), option(param.length.max));
    quote!(crate::runtime::Length { min: #min, max: #max })
}

/// The request path: `format!("/accounts/{account_id}/rotate")`, or `"/user".to_owned()` when
/// there is nothing to fill in (`format!` without arguments is a lint).
fn path_tokens(op: &Operation) -> TokenStream {
    if op.path_params.is_empty() {
        let path = &op.path;
        return quote!(#path.to_owned());
    }
    let template = path_format(op);
    quote!(format!(#template))
}

/// `"/accounts/{account_id}/rotate"`, naming the locals that hold the encoded segments. Format
/// strings capture raw identifiers by their bare name (`{type}` reads `r#type`).
fn path_format(op: &Operation) -> String {
    let mut template = String::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(text) => template.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathPart::Param(index) => {
                let name = op.path_params[*index].rust_name.trim_start_matches("r#");
                template.push('{');
                template.push_str(name);
                template.push('}');
            }
        }
    }
    template
}

fn auth_tokens(auth: &Auth) -> TokenStream {
    match auth {
        Auth::None => quote!(crate::runtime::Auth::None),
        Auth::Any => quote!(crate::runtime::Auth::Any),
        Auth::OneOf(kinds) => {
            let kinds = kinds.iter().map(|k| match k {
                CredentialKind::ApiToken => quote!(crate::runtime::CredentialKind::ApiToken),
                CredentialKind::ApiKey => quote!(crate::runtime::CredentialKind::ApiKey),
                CredentialKind::UserServiceKey => quote!(crate::runtime::CredentialKind::UserServiceKey),
            });
            quote!(crate::runtime::Auth::OneOf(&[#(#kinds),*]))
        }
    }
}

fn param_step(param: &Param) -> TokenStream {
    let field = ident(&param.rust_name);
    let wire = &param.wire_name;
    let send = |value: TokenStream| match param.location {
        ParamLocation::Header if param.ty == TypeRef::String => quote!(request.header(#wire, #value)?;),
        ParamLocation::Header => quote!(request.header(#wire, &#value.to_string())?;),
        _ => quote!(request.query(#wire, #value);),
    };
    let is_array = matches!(param.ty, TypeRef::Array(_));
    let one = send(quote!(value));
    let each = if is_array { quote!(for value in values { #one }) } else { one };
    let bound = if is_array { quote!(values) } else { quote!(value) };
    if param.required {
        quote! { { let #bound = &params.#field; #each } }
    } else {
        quote! { if let Some(#bound) = &params.#field { #each } }
    }
}

fn body_arg(body: &Body) -> TokenStream {
    let ty = match &body.kind {
        // A slice is the idiomatic borrowed list (and serializes the same).
        BodyKind::Json(TypeRef::Array(item)) => {
            let item = type_tokens(item, Scope::Apis);
            quote!(&[#item])
        }
        BodyKind::Json(ty) => {
            let ty = type_tokens(ty, Scope::Apis);
            quote!(&#ty)
        }
        BodyKind::Raw => quote!(Vec<u8>),
    };
    if body.required { quote!(body: #ty) } else { quote!(body: Option<#ty>) }
}

fn body_step(body: &Body) -> TokenStream {
    let media_type = &body.media_type;
    let send = match &body.kind {
        BodyKind::Json(_) => quote!(request.json(#media_type, body)?;),
        BodyKind::Raw => quote!(request.raw_body(#media_type, body);),
    };
    if body.required { send } else { quote!(if let Some(body) = body { #send }) }
}

/// The method's success type and the runtime call that produces it.
fn response_tokens(response: &Response) -> (TokenStream, TokenStream) {
    match response {
        Response::Envelope { result: Some(ty), nullable: false } => (type_tokens(ty, Scope::Apis), quote!(send_result())),
        Response::Envelope { result: Some(ty), nullable: true } => {
            let ty = type_tokens(ty, Scope::Apis);
            (quote!(Option<#ty>), quote!(send_result_optional()))
        }
        Response::Envelope { result: None, .. } => (quote!(()), quote!(send_no_result())),
        Response::Json(ty) => (type_tokens(ty, Scope::Apis), quote!(send_json())),
        Response::Bytes => (quote!(Vec<u8>), quote!(send_bytes())),
        Response::Empty => (quote!(()), quote!(send_empty())),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn lowered(paths: &str) -> crate::ir::Api {
        let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}");
        let loaded = crate::load::parse(&text, Path::new("t.yaml")).expect("spec parses");
        crate::lower::lower(&loaded).expect("spec lowers")
    }

    fn group_source(paths: &str) -> String {
        let api = lowered(paths);
        crate::render::render("group.rs", super::emit_group(&api.groups[0])).expect("renders")
    }

    #[test]
    fn a_tag_with_a_carriage_return_or_bidi_control_stays_a_valid_comment() {
        // Found by the fuzz harness: the module docs quoted the tag without `Doc`.
        let api = lowered("  /user:\n    get:\n      tags: [\"a\\rb\\u202Ec\"]\n      responses: {'204': {description: ok}}\n");
        let group = crate::render::render("group.rs", super::emit_group(&api.groups[0])).expect("renders");
        let apis = crate::render::render("mod.rs", super::emit_apis_mod(&api)).expect("renders");
        for source in [group, apis] {
            assert!(syn::parse_file(&source).is_ok(), "{source}");
            assert!(!source.contains('\r') && !source.contains('\u{202E}'), "{source}");
        }
    }

    #[test]
    fn paths_without_parameters_are_not_formatted() {
        let source = group_source("  /user:\n    get:\n      operationId: me\n      responses: {'204': {description: ok}}\n");
        assert!(source.contains("\"/user\".to_owned()"), "{source}");
        assert!(!source.contains("format!"), "clippy::useless_format: {source}");
    }

    #[test]
    fn argument_docs_have_no_dangling_colon_and_count_right() {
        let source = group_source(
            "  /a/{id}/{name}:\n    get:\n      operationId: a\n      parameters:\n      - {in: path, name: id, required: true, schema: {type: string}}\n      - {in: path, name: name, required: true, schema: {type: string, minLength: 1}}\n      responses: {'204': {description: ok}}\n",
        );
        assert!(source.contains("/// - `id`\n"), "{source}");
        assert!(source.contains("/// - `name`: At least 1 character, checked before sending.\n"), "{source}");
    }

    #[test]
    fn runtime_may_go_partly_unused() {
        let api = lowered("  /user:\n    get:\n      responses: {'204': {description: ok}}\n");
        let source = crate::render::render("lib.rs", super::emit_lib(&api, "t.yaml")).expect("renders");
        assert!(source.contains("#[allow(dead_code, unused_imports)]\nmod runtime;"), "{source}");
    }
}
