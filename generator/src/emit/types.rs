//! Emits the generated types of one module: one Rust type per [`TypeDef`].

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{Doc, doc_attrs};
use super::{TypePaths, ident};
use crate::ir::{UNKNOWN_VARIANT, Directions, Field, Tagging, TypeDef, TypeKind, TypeRef, Union, Variant};

/// The types of one module, each behind the cargo features of the areas that use it, unless the
/// module itself is behind `module_gate` (one of those features) or a subset of them.
pub fn emit_types(paths: &TypePaths<'_>, defs: &[&TypeDef], module_gate: &[String]) -> TokenStream {
    let types = defs.iter().map(|def| emit_type(paths, def, module_gate));
    quote! { #(#types)* }
}

/// `#[cfg(...)]` that compiles an item only with one of `features` (nothing when there are none).
pub(super) fn features_cfg(features: &[String]) -> TokenStream {
    match features {
        [] => quote!(),
        [feature] => quote!(#[cfg(feature = #feature)]),
        several => quote!(#[cfg(any(#(feature = #several),*))]),
    }
}

fn emit_type(paths: &TypePaths<'_>, def: &TypeDef, module_gate: &[String]) -> TokenStream {
    let doc = match &def.kind {
        TypeKind::Alias(target) => alias_doc(def, &paths.types[*target]),
        _ => match &def.description {
            Some(text) => doc_attrs(text),
            None => Doc::new().spec(&def.context).own_line(&format!("Schema at `{}`.", def.source)).attrs(),
        },
    };
    // The same `cfg` goes on the type and on each of its impls.
    let gated = !module_gate.is_empty() && module_gate.iter().all(|f| def.features.contains(f));
    let cfg = if gated { quote!() } else { features_cfg(&def.features) };
    match &def.kind {
        TypeKind::Struct(fields) => emit_struct(paths, def, &doc, &cfg, fields),
        TypeKind::Enum(variants) => emit_enum(def, &doc, &cfg, variants),
        TypeKind::Union(union) => emit_union(paths, def, &doc, &cfg, union),
        TypeKind::Alias(target) => {
            let name = ident(&def.name);
            let target = paths.named(*target);
            quote! { #doc #cfg pub type #name = #target; }
        }
    }
}

/// The doc of an alias: its own description (else what it is, from where its schema sits), then
/// a link to the type that has the definition (by name alone when both are in one module, where
/// rustdoc resolves it).
fn alias_doc(def: &TypeDef, target: &TypeDef) -> TokenStream {
    let name = &target.name;
    let link = if target.module == def.module {
        format!("[`{name}`]")
    } else {
        format!("[`{name}`](crate::{}::{name})", target.module.bare())
    };
    Doc::new().spec(def.description.as_deref().unwrap_or(&def.context)).own_line(&format!("Same shape as {link}, so defined as that type.")).attrs()
}

/// The cargo feature that derives both serde traits on every type, for programs that store or
/// forward what they receive (or build by hand what the API sends).
pub const SERDE_ALL_FEATURE: &str = "serde-all";

/// The serde derives of a type that travels `directions` (`Serialize` when sent, `Deserialize`
/// when received), and an attribute that derives the other one with [`SERDE_ALL_FEATURE`].
fn serde_derives(directions: Directions) -> (Vec<TokenStream>, TokenStream) {
    let (serialize, deserialize) = (quote!(serde::Serialize), quote!(serde::Deserialize));
    match (directions.sent, directions.received) {
        (true, false) => (vec![serialize], quote!(#[cfg_attr(feature = #SERDE_ALL_FEATURE, derive(#deserialize))])),
        (false, true) => (vec![deserialize], quote!(#[cfg_attr(feature = #SERDE_ALL_FEATURE, derive(#serialize))])),
        _ => (vec![deserialize, serialize], quote!()),
    }
}

/// A struct. The runtime's `serde_struct!` defines it from the item written whole, each field
/// followed by its wire key and kind, and writes its serde impls; a struct that flattens a union
/// into itself keeps serde's derives, which know how to share the object with it.
fn emit_struct(paths: &TypePaths<'_>, def: &TypeDef, doc: &TokenStream, cfg: &TokenStream, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let sensitive = fields.iter().any(|f| f.sensitive);
    let derived_serde = fields.iter().any(|f| f.flatten);
    let mut derives = vec![quote!(Clone)];
    if !sensitive {
        derives.push(quote!(Debug));
    }
    if fields.iter().all(|f| f.optional) {
        derives.push(quote!(Default));
    }
    derives.push(quote!(PartialEq));
    let debug = sensitive.then(|| emit_redacting_debug(def, cfg, fields));
    let constructor = emit_constructor(paths, def, cfg, fields);
    if !derived_serde {
        let direction = match (def.directions.sent, def.directions.received) {
            (true, false) => quote!(sent),
            (false, true) => quote!(received),
            _ => quote!(both),
        };
        let entries = fields.iter().map(|f| {
            let field = f.rust_name.to_ident();
            let ty = field_type(paths, f);
            let doc = field_doc(f);
            let wire = &f.wire_name;
            let kind = FieldKind::of(f).macro_word();
            quote! { #doc pub #field: #ty = #wire #kind }
        });
        return quote! {
            #cfg
            crate::runtime::serde_struct!(#direction,
                #doc
                #[derive(#(#derives),*)]
                pub struct #name { #(#entries),* }
            );
            #debug
            #constructor
        };
    }
    let (serde, serde_all) = serde_derives(def.directions);
    derives.extend(serde);
    let field_tokens = fields.iter().map(|f| {
        let field = f.rust_name.to_ident();
        let ty = field_type(paths, f);
        let doc = field_doc(f);
        if f.flatten {
            return quote! { #doc #[serde(flatten)] pub #field: #ty, };
        }
        let rename = (f.rust_name.as_str() != f.wire_name).then(|| {
            let wire = &f.wire_name;
            quote!(#[serde(rename = #wire)])
        });
        let kind = match FieldKind::of(f) {
            FieldKind::Optional => quote!(#[serde(skip_serializing_if = "Option::is_none")]),
            FieldKind::NullAsEmpty => quote!(#[serde(deserialize_with = "crate::runtime::null_as_empty")]),
            FieldKind::Plain | FieldKind::Nullable => quote!(),
        };
        quote! { #doc #rename #kind pub #field: #ty, }
    });
    quote! {
        #doc
        #cfg
        #[derive(#(#derives),*)]
        #serde_all
        pub struct #name { #(#field_tokens)* }
        #debug
        #constructor
    }
}

/// A field's doc: its description; without one, the wire key, unless the field's name already
/// is it; then the notes on read-only and sensitive fields.
fn field_doc(f: &Field) -> TokenStream {
    let mut doc = match &f.description {
        Some(text) => Doc::new().spec(text),
        None if f.rust_name.as_str() == f.wire_name => Doc::new(),
        None => Doc::new().spec(&format!("`{}`", f.wire_name)),
    };
    if f.read_only {
        doc = doc.own_line("Read-only: set by the server; optional here so that requests need not carry it, and not sent when `None`.");
    }
    if f.sensitive {
        doc = doc.own_line("Sensitive: redacted from `Debug` output.");
    }
    doc.attrs()
}

/// How a field travels: a missing `Option<T>` key is `None`, and on output an optional key is
/// left out when `None` while a required nullable one is sent as null; a required list or map
/// that arrives as `null` reads as empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldKind {
    /// Required and not nullable: the key must be there.
    Plain,
    /// `Option<T>` for a key that may be missing.
    Optional,
    /// `Option<T>` for a required key that may be `null`.
    Nullable,
    /// A required list or map, empty when it arrives as `null`.
    NullAsEmpty,
}

impl FieldKind {
    fn of(field: &Field) -> Self {
        match (field.optional, field.required, &field.ty) {
            (true, false, _) => FieldKind::Optional,
            (true, true, _) => FieldKind::Nullable,
            (false, _, TypeRef::Array(_) | TypeRef::Map(_)) => FieldKind::NullAsEmpty,
            (false, _, _) => FieldKind::Plain,
        }
    }

    /// The word after a key in the runtime's `serde_struct!` (none for a plain field).
    fn macro_word(self) -> TokenStream {
        match self {
            FieldKind::Plain => quote!(),
            FieldKind::Optional => quote!(optional),
            FieldKind::Nullable => quote!(nullable),
            FieldKind::NullAsEmpty => quote!(null_as_empty),
        }
    }
}

/// `new(required fields)` on a struct that requests send and that has required fields (one
/// without any derives `Default` instead). Callers set the optional fields with struct update
/// syntax, `Body { ttl: Some(60), ..Body::new(name) }`, so a new optional property in the spec
/// breaks no caller.
fn emit_constructor(paths: &TypePaths<'_>, def: &TypeDef, cfg: &TokenStream, fields: &[Field]) -> Option<TokenStream> {
    let required = def.constructor_params()?;
    let name = ident(&def.name);
    let params = required.iter().map(|f| {
        let param = f.rust_name.to_ident();
        let ty = match &f.ty {
            TypeRef::String => quote!(impl Into<String>),
            TypeRef::Boxed(id) => paths.named(*id),
            ty => paths.ty(ty),
        };
        quote!(#param: #ty)
    });
    let values = fields.iter().map(|f| {
        let field = f.rust_name.to_ident();
        match (f.optional, &f.ty) {
            (true, _) => quote!(#field: None),
            (false, TypeRef::String) => quote!(#field: #field.into()),
            (false, TypeRef::Boxed(_)) => quote!(#field: Box::new(#field)),
            (false, _) => quote!(#field),
        }
    });
    let doc = Doc::new().own("The required fields; every optional field is `None`.").attrs();
    Some(quote! {
        #cfg
        impl #name {
            #doc
            pub fn new(#(#params),*) -> Self {
                Self { #(#values),* }
            }
        }
    })
}

/// `Debug` that shows every field except the `x-sensitive` ones, which stay usable but unprinted.
fn emit_redacting_debug(def: &TypeDef, cfg: &TokenStream, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let label = &def.name;
    let entries = fields.iter().map(|f| {
        let field = f.rust_name.to_ident();
        let label = f.rust_name.as_str();
        match (f.sensitive, f.optional) {
            (false, _) => quote!(.field(#label, &self.#field)),
            (true, false) => quote!(.field(#label, &crate::runtime::Redacted)),
            (true, true) => quote!(.field(#label, &self.#field.as_ref().map(|_| crate::runtime::Redacted))),
        }
    });
    quote! {
        #cfg
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label) #(#entries)* .finish()
            }
        }
    }
}

/// A string enum, which the runtime's `string_enum!` defines from its doc, name and wire values:
/// the derives, a doc on each variant (its wire value as code), the [`UNKNOWN_VARIANT`] that
/// keeps a value the spec does not list as received, and the impls (`as_str`, `From<String>`,
/// `Display`, serde both ways).
fn emit_enum(def: &TypeDef, doc: &TokenStream, cfg: &TokenStream, variants: &[Variant]) -> TokenStream {
    let name = ident(&def.name);
    let wires = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_name;
        // The macro documents a variant by its wire value in backticks; a value for which
        // `variant_doc` (through `Doc`, which makes it safe in a comment: line breaks, bidi
        // controls) writes something else has that doc given.
        let text = Doc::new().own(variant_doc(wire).trim_start()).text();
        let doc = (text.trim_start() != format!("`{wire}`")).then(|| quote!(#[doc = #text]));
        quote!(#doc #variant = #wire)
    });
    quote! {
        #cfg
        crate::runtime::string_enum!(
            #doc
            pub enum #name { #(#wires),* }
        );
    }
}

/// A `oneOf`/`anyOf`. Untagged: serde tries the variants in the IR's order. Tagged: the tag
/// property picks the variant (through the runtime), an unknown tag is kept as received. Both
/// serialize as the variant's own value (a tagged member's struct carries its tag property).
fn emit_union(paths: &TypePaths<'_>, def: &TypeDef, doc: &TokenStream, cfg: &TokenStream, union: &Union) -> TokenStream {
    let name = ident(&def.name);
    let variants = union.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = paths.ty(&v.ty);
        let doc = match (&v.description, &v.tag) {
            (Some(description), None) => Doc::new().spec(description),
            (None, None) => Doc::new().own("One of the union's members."),
            (description, Some(tag)) => {
                let doc = description.as_deref().map_or_else(Doc::new, |d| Doc::new().spec(d));
                doc.own(&format!("Tag value{}.", variant_doc(tag)))
            }
        };
        let doc = doc.attrs();
        quote! { #doc #variant(#ty), }
    });
    let Tagging::Tagged { property } = &union.tagging else {
        let (serde, serde_all) = serde_derives(def.directions);
        return quote! {
            #doc
            #cfg
            #[derive(Clone, Debug, PartialEq, #(#serde),*)]
            #serde_all
            #[serde(untagged)]
            pub enum #name { #(#variants)* }
        };
    };
    let unknown = format_ident!("{}", UNKNOWN_VARIANT);
    let unknown_doc = Doc::new()
        .own(&format!("A member whose{} is a value the spec does not list, kept as received so API additions never break decoding.", variant_doc(property)))
        .attrs();
    let arms = union.variants.iter().filter_map(|v| {
        let variant = ident(&v.rust_name);
        let tag = v.tag.as_deref()?;
        Some(quote! { #tag => crate::runtime::union_member(#property, &tag, value).map(Self::#variant), })
    });
    // Decoding picks the member by its tag (through the runtime), so it is written out here;
    // each half is compiled only for the direction the type travels (or with `serde-all`).
    let Directions { sent, received } = def.directions;
    let serialize = if sent {
        quote!(#[derive(serde::Serialize)] #[serde(untagged)])
    } else {
        quote!(#[cfg_attr(feature = #SERDE_ALL_FEATURE, derive(serde::Serialize), serde(untagged))])
    };
    let deserialize_cfg = (!received).then(|| quote!(#[cfg(feature = #SERDE_ALL_FEATURE)]));
    quote! {
        #doc
        #cfg
        #[derive(Clone, Debug, PartialEq)]
        #serialize
        pub enum #name {
            #(#variants)*
            #unknown_doc
            #unknown(serde_json::Value),
        }

        #cfg
        #deserialize_cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let (tag, value) = crate::runtime::union_tag(deserializer, #property)?;
                match tag.as_str() {
                    #(#arms)*
                    _ => Ok(Self::#unknown(value)),
                }
            }
        }
    }
}

/// The doc line of an enum variant: its wire value as code (an empty code span is no code span).
fn variant_doc(wire: &str) -> String {
    if wire.is_empty() { " The empty string.".to_owned() } else { format!(" `{}`", wire.replace('`', "'")) }
}

fn field_type(paths: &TypePaths<'_>, field: &Field) -> TokenStream {
    let ty = paths.ty(&field.ty);
    if field.optional { quote!(Option<#ty>) } else { ty }
}

#[cfg(test)]
mod tests {
    use super::variant_doc;

    #[test]
    fn an_enum_value_with_a_carriage_return_or_bidi_control_stays_a_valid_comment() {
        // Found by the fuzz harness: the variant doc quoted the wire value without `Doc`.
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /e:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: string, enum: [\"a\\rb\", \"c\\u202Ed\", \"\", \"e\"]}\n";
        let loaded = crate::load::parse(text, std::path::Path::new("t.yaml")).expect("spec parses");
        let api = crate::lower::lower(&loaded).expect("spec lowers");
        let defs: Vec<&crate::ir::TypeDef> = api.types.iter().collect();
        let tokens = super::emit_types(&super::TypePaths::within(&api.types, &crate::ir::ModulePath::types()), &defs, &[]);
        let emitted = tokens.to_string();
        let source = crate::render::render("types.rs", tokens).expect("renders");
        assert!(syn::parse_file(&source).is_ok(), "{source}");
        assert!(!source.contains('\u{202E}') && !source.contains("a\rb"), "{source}");
        // Those values, and the empty one, have their doc given (the macro's own, the value in
        // backticks, would differ from it); a plain value has none.
        for doc in [r#"# [doc = " `a\n b`"]"#, "# [doc = \" `c\u{FFFD}d`\"]", "# [doc = \" The empty string.\"]"] {
            assert!(emitted.contains(doc), "{doc} in {emitted}");
        }
        assert!(!emitted.contains("`e`"), "{emitted}");
    }

    #[test]
    fn variant_docs_are_balanced_code_spans() {
        assert_eq!(variant_doc("in-progress"), " `in-progress`");
        assert_eq!(variant_doc(""), " The empty string.");
        assert_eq!(variant_doc("a`b"), " `a'b`");
    }
}
