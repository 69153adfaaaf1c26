//! Stage 3: turn the IR into Rust tokens (and the crate's manifest).
//!
//! Each output file has one emitter; all of them read only the IR. The crate's layout follows the
//! API: `src/<area>/mod.rs` (or `src/<area>.rs`) with a module per resource, and `src/types/`
//! for the schemas of `components`, split by area when the profile says component names carry one.

mod api_listing;
mod client;
mod credentials;
mod docs;
mod manifest;
mod readme;
mod types;

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, TypeDef, TypeId, TypeRef, TypeSpace};
pub use api_listing::{RUNTIME_SECTION, emit_api_listing};
pub use manifest::{DEPENDENCIES, emit_manifest};
pub use readme::emit_readme;

/// The Rust source files of a crate, each emitted on its own: files are emitted (and rendered)
/// on several threads, and token streams cannot cross threads, so each thread makes its own.
pub struct Sources<'a> {
    api: &'a Api,
    spec_name: &'a str,
    /// Names the environment variables when the profile does not.
    crate_name: &'a str,
    /// The runtime's items `lib.rs` re-exports (they depend on the profile).
    exports: &'a [&'static str],
    /// The types of each module, by module path (`types::iam`, `dns::records`).
    by_module: BTreeMap<&'a str, Vec<&'a TypeDef>>,
    files: Vec<SourceFile>,
}

/// One file of [`Sources`].
enum SourceFile {
    Lib,
    Credentials,
    /// `types/mod.rs`: the area modules of `types` and the types every area shares.
    TypesRoot,
    /// `types/<module>.rs`.
    Types(String),
    /// An area's module, by index in `Api::areas`.
    Area(usize),
    /// A resource's module: area index, resource index.
    Resource(usize, usize),
}

impl<'a> Sources<'a> {
    pub fn new(api: &'a Api, spec_name: &'a str, crate_name: &'a str, exports: &'a [&'static str]) -> Self {
        let mut by_module: BTreeMap<&str, Vec<&TypeDef>> = BTreeMap::new();
        for def in api.types.iter() {
            by_module.entry(def.module.as_str()).or_default().push(def);
        }
        let mut files = vec![SourceFile::Lib, SourceFile::Credentials, SourceFile::TypesRoot];
        files.extend(type_modules(&by_module).map(|m| SourceFile::Types(m.to_owned())));
        for (a, area) in api.areas.iter().enumerate() {
            files.push(SourceFile::Area(a));
            files.extend((0..area.resources.len()).map(|r| SourceFile::Resource(a, r)));
        }
        Sources { api, spec_name, crate_name, exports, by_module, files }
    }

    /// How many files there are.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// The path (relative to `src/`) and tokens of file `index`.
    pub fn emit(&self, index: usize) -> (String, TokenStream) {
        self.emit_file(&self.files[index])
    }

    /// Type paths as written in the module `module` (`dns::records`, `types::iam`).
    fn paths<'m>(&self, module: &'m str) -> TypePaths<'m>
    where
        'a: 'm,
    {
        TypePaths::within(&self.api.types, module)
    }

    /// The types of `module`, whose own `cfg` is `module_gate` (empty: none).
    fn types_in(&self, module: &str, module_gate: &[String]) -> TokenStream {
        types::emit_types(&self.paths(module), self.by_module.get(module).map_or(&[][..], Vec::as_slice), module_gate)
    }

    /// The features of `types::<m>`'s module declaration: those of its types when they all have
    /// the same (then the types need no `cfg` of their own), else none.
    fn types_module_gate(&self, m: &str) -> &'a [String] {
        let defs = self.by_module.get(format!("types::{m}").as_str()).map_or(&[][..], Vec::as_slice);
        match defs.split_first() {
            Some((first, rest)) if rest.iter().all(|d| d.features == first.features) => &first.features,
            _ => &[],
        }
    }

    fn emit_file(&self, file: &SourceFile) -> (String, TokenStream) {
        let api = self.api;
        match file {
            SourceFile::Lib => ("lib.rs".to_owned(), client::emit_lib(api, self.spec_name, self.exports)),
            SourceFile::Credentials => {
                ("runtime/credentials.rs".to_owned(), credentials::emit_credentials(&api.credentials, self.crate_name))
            }
            SourceFile::TypesRoot => {
                let declarations = type_modules(&self.by_module).map(|m| {
                    let module = ident(m);
                    let doc = docs::Doc::new().own(&types_module_doc(m)).attrs();
                    let cfg = types::features_cfg(self.types_module_gate(m));
                    quote! { #doc #cfg pub mod #module; }
                });
                let root_types = self.types_in("types", &[]);
                let tokens = quote! {
                    //! Request and response types from the spec's `components`.
                    #(#declarations)*
                    #root_types
                };
                ("types/mod.rs".to_owned(), tokens)
            }
            SourceFile::Types(m) => {
                let body = self.types_in(&format!("types::{m}"), self.types_module_gate(m));
                let doc = format!(" {}", types_module_doc(m));
                (format!("types/{}.rs", m.trim_start_matches("r#")), quote! { #![doc = #doc] #body })
            }
            SourceFile::Area(a) => {
                let area = &api.areas[*a];
                let area_file = area.module.trim_start_matches("r#");
                let module_doc = format!(" The `{area_file}` area (cargo feature `{}`).", area.feature);
                let namespace = client::emit_namespace(
                    &area.struct_name,
                    client::area_doc(area),
                    &children(area, ""),
                    &area.operations,
                    &self.paths(&area.module),
                    self.types_in(&area.module, std::slice::from_ref(&area.feature)),
                );
                let path = if area.resources.is_empty() { format!("{area_file}.rs") } else { format!("{area_file}/mod.rs") };
                (path, quote! { #![doc = #module_doc] #namespace })
            }
            SourceFile::Resource(a, r) => {
                let area = &api.areas[*a];
                let resource = &area.resources[*r];
                let area_file = area.module.trim_start_matches("r#");
                let bare: Vec<&str> = resource.module.split("::").map(|s| s.trim_start_matches("r#")).collect();
                let chain: String = bare.iter().map(|s| format!(".{s}()")).collect();
                let doc = docs::Doc::new().own(&format!(
                    "Operations on `{}` in the `{area_file}` area. Obtained from `client.{area_file}(){chain}`.",
                    bare.join("."),
                ));
                let module = format!("{}::{}", area.module, resource.module);
                let module_doc = format!(" The `{}` resource of the `{area_file}` area.", bare.join("."));
                let children = children(area, &resource.module);
                let namespace = client::emit_namespace(
                    &resource.struct_name,
                    doc,
                    &children,
                    &resource.operations,
                    &self.paths(&module),
                    self.types_in(&module, std::slice::from_ref(&area.feature)),
                );
                let stem = format!("{area_file}/{}", bare.join("/"));
                let path = if children.is_empty() { format!("{stem}.rs") } else { format!("{stem}/mod.rs") };
                (path, quote! { #![doc = #module_doc] #namespace })
            }
        }
    }
}

/// The (module, struct) of each resource directly below `parent` in `area`.
fn children(area: &crate::ir::Area, parent: &str) -> Vec<(String, String)> {
    area.children(parent).map(|r| (r.name().to_owned(), r.struct_name.clone())).collect()
}

/// The doc of the module `types::<m>`.
fn types_module_doc(m: &str) -> String {
    if format!("types::{m}") == crate::ir::SHARED_MODULE {
        "Shapes that inner schemas of several operations and components share, each defined once.".to_owned()
    } else {
        format!("Schemas of the `{m}` components.")
    }
}

/// The modules under `types` that hold types (`iam` for `types::iam`), of types by module.
fn type_modules<'m>(by_module: &'m BTreeMap<&str, Vec<&TypeDef>>) -> impl Iterator<Item = &'m str> {
    by_module.keys().filter_map(|m| m.strip_prefix("types::"))
}

/// An identifier decided by the naming module; `r#`-prefixed names become raw identifiers.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Names the prelude gives a meaning that a bare local name would shadow for the code around it.
const PRELUDE_NAMES: &[&str] = &["Box", "Err", "None", "Ok", "Option", "Result", "Some", "String", "ToString", "Vec"];

/// Writes the Rust types of [`TypeRef`]s as code in one place writes them: by path from `root`
/// (`crate`, or the generated crate's name in code outside it), and by name alone for a type of
/// the module the code is in.
pub(crate) struct TypePaths<'a> {
    types: &'a TypeSpace,
    pub(crate) root: TokenStream,
    /// The module the code is in (`dns::records`), if it is in the crate.
    module: Option<&'a str>,
}

impl<'a> TypePaths<'a> {
    /// Paths from `crate` for code in `module`.
    pub fn within(types: &'a TypeSpace, module: &'a str) -> Self {
        TypePaths { types, root: quote!(crate), module: Some(module) }
    }

    /// Paths from the crate `root`, for code outside it.
    pub fn rooted(types: &'a TypeSpace, root: TokenStream) -> Self {
        TypePaths { types, root, module: None }
    }

    /// The type `id`: `crate::types::iam::AccountIdentifier` (or `root::...` for another root),
    /// or `AccountIdentifier` in `types::iam`, where it means the same thing. Shorter paths keep
    /// signatures on one line, which is most of what makes the whole API's source shorter to
    /// read. A name the prelude also uses keeps its path.
    pub fn named(&self, id: TypeId) -> TokenStream {
        let def = &self.types[id];
        let name = ident(&def.name);
        if self.module == Some(def.module.as_str()) && !PRELUDE_NAMES.contains(&def.name.as_str()) {
            return quote!(#name);
        }
        let root = &self.root;
        let segments = def.module.split("::").map(ident);
        quote!(#root #(::#segments)* :: #name)
    }

    /// The Rust type of `ty`.
    pub fn ty(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::String => quote!(String),
            TypeRef::Integer => quote!(i64),
            TypeRef::Number => quote!(f64),
            TypeRef::Unsigned => quote!(u64),
            TypeRef::Boolean => quote!(bool),
            TypeRef::Json => quote!(serde_json::Value),
            TypeRef::Array(item) => {
                let item = self.ty(item);
                quote!(Vec<#item>)
            }
            TypeRef::Map(value) => {
                let value = self.ty(value);
                quote!(std::collections::BTreeMap<String, #value>)
            }
            TypeRef::Nullable(inner) => {
                let inner = self.ty(inner);
                quote!(Option<#inner>)
            }
            TypeRef::Named(id) => self.named(*id),
            TypeRef::Boxed(id) => {
                let inner = self.named(*id);
                quote!(Box<#inner>)
            }
        }
    }
}
