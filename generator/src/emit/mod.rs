//! Stage 3: turn the IR into Rust tokens (and the crate's manifest).
//!
//! Each output file has one emitter; all of them read only the IR. The crate's layout follows the
//! API: `src/<area>/mod.rs` (or `src/<area>.rs`) with a module per resource, and `src/types/`
//! for the schemas of `components`, split by area when the profile says component names carry one.

mod api_listing;
mod client;
mod credentials;
mod docs;
mod examples;
mod manifest;
mod types;

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, TypeDef, TypeRef};
pub use api_listing::emit_api_listing;
pub use examples::emit_example_checks;
pub use manifest::{DEPENDENCIES, emit_manifest};

/// The Rust source files of a crate, as token streams, keyed by path relative to `src/`.
/// `crate_name` names the environment variables when the profile does not.
pub fn emit_sources(api: &Api, spec_name: &str, crate_name: &str) -> Vec<(String, TokenStream)> {
    let mut by_module: BTreeMap<&str, Vec<&TypeDef>> = BTreeMap::new();
    for def in &api.types {
        let module = def.path.rsplit_once("::").map_or("", |(module, _)| module);
        by_module.entry(module).or_default().push(def);
    }
    let types_in = |module: &str| types::emit_types(by_module.get(module).map_or(&[][..], Vec::as_slice));

    let mut files = vec![
        ("lib.rs".to_owned(), client::emit_lib(api, spec_name)),
        ("runtime/credentials.rs".to_owned(), credentials::emit_credentials(&api.credentials, crate_name)),
    ];

    // `types` and its area modules.
    let type_modules: Vec<&str> =
        by_module.keys().filter_map(|m| m.strip_prefix("types::")).collect();
    let declarations = type_modules.iter().map(|m| {
        let module = ident(m);
        let doc = docs::Doc::new().own(&format!("Schemas of the `{m}` components.")).attrs();
        quote! { #doc pub mod #module; }
    });
    let root_types = types_in("types");
    files.push((
        "types/mod.rs".to_owned(),
        quote! {
            //! Request and response types from the spec's `components`.
            #(#declarations)*
            #root_types
        },
    ));
    for m in &type_modules {
        let body = types_in(&format!("types::{m}"));
        let doc = format!(" Schemas of the `{m}` components.");
        files.push((format!("types/{}.rs", m.trim_start_matches("r#")), quote! { #![doc = #doc] #body }));
    }

    for area in &api.areas {
        let area_file = area.module.trim_start_matches("r#");
        let children: Vec<(String, String)> =
            area.resources.iter().map(|r| (r.module.clone(), r.struct_name.clone())).collect();
        let module_doc = format!(" The `{area_file}` area (cargo feature `{}`).", area.feature);
        let namespace =
            client::emit_namespace(&area.struct_name, client::area_doc(area), &children, &area.operations, types_in(&area.module));
        let path = if area.resources.is_empty() { format!("{area_file}.rs") } else { format!("{area_file}/mod.rs") };
        files.push((path, quote! { #![doc = #module_doc] #namespace }));
        for resource in &area.resources {
            let file = resource.module.trim_start_matches("r#");
            let doc = docs::Doc::new().own(&format!(
                "Operations on `{file}` in the `{area_file}` area. Obtained from `client.{area_file}().{file}()`."
            ));
            let module = format!("{}::{}", area.module, resource.module);
            let module_doc = format!(" The `{file}` resource of the `{area_file}` area.");
            let namespace = client::emit_namespace(&resource.struct_name, doc, &[], &resource.operations, types_in(&module));
            files.push((format!("{area_file}/{file}.rs"), quote! { #![doc = #module_doc] #namespace }));
        }
    }
    files
}

/// An identifier decided by the naming module; `r#`-prefixed names become raw identifiers.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `crate::types::iam::AccountIdentifier` for the path `types::iam::AccountIdentifier` (and
/// `root::...` for another root).
fn rooted_path_tokens(path: &str, root: &TokenStream) -> TokenStream {
    let segments = path.split("::").map(ident);
    quote!(#root #(::#segments)*)
}

pub(crate) fn type_tokens(ty: &TypeRef) -> TokenStream {
    rooted_type_tokens(ty, &quote!(crate))
}

/// The Rust type of `ty`, naming generated types from `root` (`crate`, or the generated crate's
/// name in code outside it).
pub(crate) fn rooted_type_tokens(ty: &TypeRef, root: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Integer => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Array(item) => {
            let item = rooted_type_tokens(item, root);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rooted_type_tokens(value, root);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Named(path) => rooted_path_tokens(path, root),
        TypeRef::Boxed(path) => {
            let inner = rooted_path_tokens(path, root);
            quote!(Box<#inner>)
        }
    }
}
