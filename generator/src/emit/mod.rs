//! Stage 3: turn the IR into Rust tokens (and the crate's manifest).
//!
//! Each output file has one emitter; all of them read only the IR.

mod client;
mod docs;
mod examples;
mod manifest;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, TypeRef};
pub use examples::emit_example_checks;
pub use manifest::{DEPENDENCIES, emit_manifest};

/// The Rust source files of a crate, as token streams, keyed by path relative to `src/`.
pub fn emit_sources(api: &Api, spec_name: &str) -> Vec<(String, TokenStream)> {
    let mut files = vec![
        ("lib.rs".to_owned(), client::emit_lib(api, spec_name)),
        ("types.rs".to_owned(), types::emit_types(api)),
        ("apis/mod.rs".to_owned(), client::emit_apis_mod(api)),
    ];
    for group in &api.groups {
        let module = group.module.trim_start_matches("r#");
        files.push((format!("apis/{module}.rs"), client::emit_group(group)));
    }
    files
}

/// Where a type is being referred to from, which decides how named types are spelled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Inside `crate::types`: sibling types by bare name.
    Types,
    /// Anywhere else: `crate::types::Name`.
    Apis,
}

/// An identifier decided by the naming module; `r#`-prefixed names become raw identifiers.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

pub(crate) fn type_tokens(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Integer => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Array(item) => {
            let item = type_tokens(item, scope);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(value, scope);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Named(name) => named(name, scope),
        TypeRef::Boxed(name) => {
            let inner = named(name, scope);
            quote!(Box<#inner>)
        }
    }
}

fn named(name: &str, scope: Scope) -> TokenStream {
    let name = ident(name);
    match scope {
        Scope::Types => quote!(#name),
        Scope::Apis => quote!(crate::types::#name),
    }
}
