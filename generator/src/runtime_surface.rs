//! What the hand-written runtime (`generator/runtime/`) puts into every generated crate's public
//! surface, in one place: the names it defines on `Client`, on the request builders and at the
//! crate root, which generated names must never take (the lowering reserves them), and the
//! listing of its public items for `public-api.txt`, read from its sources.
//!
//! The name lists are written out, so that naming does not parse the runtime on every run; a
//! test parses the runtime and fails when it defines a name a list lacks (or a list keeps a name
//! the runtime dropped).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;

use crate::error::Error;

/// Methods the runtime defines on `Client`, whatever their visibility (an area accessor of the
/// same name would be a second inherent method, a compile error even beside a crate-private one),
/// and the methods of the traits it implements for it.
pub const CLIENT_METHODS: &[&str] =
    &["new", "builder", "from_env", "base_url", "credential_kind", "raw_request", "call", "clone", "fmt"];

/// Methods the runtime defines on `RequestBuilder`, which every operation's builder is an alias
/// of (the per-call option setters included), and those of the traits it implements: an optional
/// input's setter must not take one of these.
pub const BUILDER_METHODS: &[&str] = &[
    "new", "options_mut", "send", "send_with_response", "pages", "items", "download", "request_timeout",
    "max_retries", "retry_non_idempotent", "extra_header", "extra_query", "with_options", "into_future", "clone",
    "fmt",
];

/// The runtime's items the generated `lib.rs` re-exports at the crate root.
pub const ROOT_EXPORTS: &[&str] = &[
    "ApiError", "ApiErrorKind", "ApiResponse", "BinaryOperation", "Client", "ClientBuilder", "CredentialKind",
    "Credentials", "DecodeError", "Download", "Error", "Items", "Method", "Multipart", "Operation", "PageRequest",
    "PagedOperation", "Pages", "RawRequest", "RequestBuilder", "RequestOptions",
];

/// The runtime's envelope part's items (`runtime/envelope.rs`, in crates whose profile has an
/// envelope), re-exported after [`ROOT_EXPORTS`].
pub const ENVELOPE_EXPORTS: &[&str] = &["ResponseInfo", "ResponseInfoSource", "ResultInfo"];

/// The runtime's items the generated `lib.rs` of a crate with `profile` re-exports.
pub fn root_exports(profile: &crate::profile::Profile) -> Vec<&'static str> {
    let envelope = if profile.envelope.is_some() { ENVELOPE_EXPORTS } else { &[] };
    ROOT_EXPORTS.iter().chain(envelope).copied().collect()
}

/// Public in the runtime module but not re-exported: they appear only in bounds and signatures
/// of the re-exported items (and `#[doc(hidden)]` plumbing the generated code uses).
pub const NOT_REEXPORTED: &[&str] = &["BoxFuture", "NextPage", "PageItems", "Read"];

/// Names an area module must not take at the crate root: the crate's own modules (`lib` would be
/// `src/lib/`) and the crates the generated code names by path (`serde::Serialize`), which a
/// module of the same name would shadow.
pub const CRATE_ROOT_MODULES: &[&str] = &[
    "lib", "types", "runtime", "std", "core", "alloc", "bytes", "futures_core", "futures_util", "reqwest", "serde",
    "serde_json", "thiserror", "tokio", "tracing",
];

/// The runtime's public items, as `public-api.txt` lines, for a crate whose root is `root`
/// (`cloudflare_api`). `files` are the crate's files; those under `src/runtime/` are read.
pub fn public_items(files: &BTreeMap<PathBuf, String>, root: &str) -> Result<Vec<String>, Error> {
    let mut sources = Vec::new();
    for (path, text) in files {
        if path.parent() == Some(Path::new("src/runtime")) {
            let file = syn::parse_file(text)
                .map_err(|e| Error::Render { file: path.display().to_string(), message: e.to_string() })?;
            sources.push(file);
        }
    }
    Ok(Surface::read(&sources).listing(root))
}

/// A method of a runtime type: `pub` or not, and its signature as one line.
#[derive(Debug, Clone)]
struct Method {
    name: String,
    public: bool,
    signature: String,
}

/// What the runtime's sources define, by type name.
#[derive(Default)]
struct Surface<'f> {
    /// Structs, enums, traits and type aliases.
    defs: BTreeMap<String, &'f syn::Item>,
    /// Inherent methods, from `impl` blocks and from the macros they invoke.
    methods: BTreeMap<String, Vec<Method>>,
    /// Implemented traits (`impl` blocks), as written, with the methods they define.
    trait_impls: BTreeMap<String, Vec<(String, Vec<String>)>>,
    /// Derived traits, as written.
    derives: BTreeMap<String, Vec<String>>,
    /// `pub use` items: the name and the path it comes from.
    reexports: Vec<(String, String)>,
    /// The runtime's own modules (`mod error;`).
    modules: BTreeSet<String>,
}

impl<'f> Surface<'f> {
    fn read(files: &'f [syn::File]) -> Self {
        let macros = macro_methods(files);
        let mut surface = Surface::default();
        for file in files {
            for item in &file.items {
                surface.add(item, &macros);
            }
        }
        surface
    }

    fn add(&mut self, item: &'f syn::Item, macros: &BTreeMap<String, Vec<Method>>) {
        let derives = |attrs: &[syn::Attribute]| -> Vec<String> {
            let mut out = Vec::new();
            for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
                let _ = attr.parse_nested_meta(|meta| {
                    out.push(compact(meta.path.to_token_stream()));
                    Ok(())
                });
            }
            out
        };
        match item {
            syn::Item::Struct(s) => {
                self.derives.entry(s.ident.to_string()).or_default().extend(derives(&s.attrs));
                self.defs.insert(s.ident.to_string(), item);
            }
            syn::Item::Enum(e) => {
                self.derives.entry(e.ident.to_string()).or_default().extend(derives(&e.attrs));
                self.defs.insert(e.ident.to_string(), item);
            }
            syn::Item::Trait(t) => {
                self.defs.insert(t.ident.to_string(), item);
            }
            syn::Item::Type(t) => {
                self.defs.insert(t.ident.to_string(), item);
            }
            syn::Item::Impl(block) => {
                let Some(owner) = type_name(&block.self_ty) else { return };
                let mut methods = Vec::new();
                for member in &block.items {
                    match member {
                        syn::ImplItem::Fn(f) => methods.push(Method {
                            name: f.sig.ident.to_string(),
                            public: matches!(f.vis, syn::Visibility::Public(_)),
                            signature: compact(f.sig.to_token_stream()),
                        }),
                        syn::ImplItem::Macro(m) => methods.extend(invoked(macros, &m.mac).iter().cloned()),
                        _ => {}
                    }
                }
                match &block.trait_ {
                    Some((_, path, _)) => {
                        let names = methods.into_iter().map(|m| m.name).collect();
                        self.trait_impls.entry(owner).or_default().push((compact(path.to_token_stream()), names));
                    }
                    None => self.methods.entry(owner).or_default().extend(methods),
                }
            }
            // `impl_request_options!(RawRequest<'_>)`: the macro's methods on the type it names first.
            syn::Item::Macro(m) if m.ident.is_none() => {
                let owner = m.mac.tokens.clone().into_iter().find_map(|t| match t {
                    TokenTree::Ident(ident) => Some(ident.to_string()),
                    _ => None,
                });
                if let Some(owner) = owner {
                    self.methods.entry(owner).or_default().extend(invoked(macros, &m.mac).iter().cloned());
                }
            }
            syn::Item::Mod(m) => {
                self.modules.insert(m.ident.to_string());
            }
            syn::Item::Use(u) if matches!(u.vis, syn::Visibility::Public(_)) => {
                use_names(&u.tree, String::new(), &mut self.reexports);
            }
            _ => {}
        }
    }

    /// Every method name callable on a value of `owner` that the runtime defines: inherent ones
    /// of any visibility and those of the traits it implements or derives.
    #[cfg(test)]
    fn method_names(&self, owner: &str) -> BTreeSet<String> {
        let mut names: BTreeSet<String> = self.methods.get(owner).into_iter().flatten().map(|m| m.name.clone()).collect();
        for (_, methods) in self.trait_impls.get(owner).into_iter().flatten() {
            names.extend(methods.iter().cloned());
        }
        for derive in self.derives.get(owner).into_iter().flatten() {
            names.extend(derived_methods(derive).iter().map(|m| (*m).to_owned()));
        }
        names
    }

    fn listing(&self, root: &str) -> Vec<String> {
        let mut lines = Vec::new();
        let reexports: BTreeMap<&str, &str> = self.reexports.iter().map(|(n, p)| (n.as_str(), p.as_str())).collect();
        // A part of the runtime the crate lacks defines nothing (`ResultInfo` without an envelope).
        for name in ROOT_EXPORTS.iter().chain(ENVELOPE_EXPORTS) {
            let path = format!("{root}::{name}");
            let Some(def) = self.defs.get(*name) else {
                // Another crate's item, such as `reqwest::Method`.
                if let Some(from) = reexports.get(name)
                    && !from.split("::").next().is_some_and(|first| self.modules.contains(first))
                {
                    lines.push(format!("use {path} = {from}"));
                }
                continue;
            };
            item_lines(def, &path, &mut lines);
            for derive in self.derives.get(*name).into_iter().flatten() {
                lines.push(format!("derive {derive} for {path}"));
            }
            for (trait_path, _) in self.trait_impls.get(*name).into_iter().flatten() {
                lines.push(format!("impl {trait_path} for {path}"));
            }
            for method in self.methods.get(*name).into_iter().flatten().filter(|m| m.public) {
                lines.push(qualified_fn(&method.signature, &path));
            }
        }
        lines
    }
}

/// `fn send(self) -> X` as `fn root::Type::send(self) -> X` (qualifiers such as `async` kept).
fn qualified_fn(signature: &str, owner: &str) -> String {
    match signature.split_once("fn ") {
        Some((qualifiers, rest)) => format!("{qualifiers}fn {owner}::{rest}"),
        None => format!("fn {owner}::{signature}"),
    }
}

/// The lines of a definition: the item with its generics, then its public fields, variants or
/// trait items.
fn item_lines(def: &syn::Item, path: &str, lines: &mut Vec<String>) {
    let fields = |fields: &syn::Fields, owner: &str, lines: &mut Vec<String>| {
        for (i, field) in fields.iter().enumerate().filter(|(_, f)| matches!(f.vis, syn::Visibility::Public(_))) {
            let name = field.ident.as_ref().map_or_else(|| i.to_string(), ToString::to_string);
            lines.push(format!("field {owner}::{name}: {}", compact(field.ty.to_token_stream())));
        }
    };
    match def {
        syn::Item::Struct(s) => {
            lines.push(format!("struct {path}{}", compact(s.generics.to_token_stream())));
            fields(&s.fields, path, lines);
        }
        syn::Item::Enum(e) => {
            lines.push(format!("enum {path}{}", compact(e.generics.to_token_stream())));
            for variant in &e.variants {
                // A variant's fields are all public; their docs and attributes are left out.
                let types = variant.fields.iter().map(|f| compact(f.ty.to_token_stream()));
                let shape = match &variant.fields {
                    syn::Fields::Unit => String::new(),
                    syn::Fields::Unnamed(_) => format!("({})", types.collect::<Vec<_>>().join(", ")),
                    syn::Fields::Named(fields) => {
                        let names = fields.named.iter().filter_map(|f| f.ident.as_ref());
                        let fields: Vec<String> = names.zip(types).map(|(name, ty)| format!("{name}: {ty}")).collect();
                        format!(" {{ {} }}", fields.join(", "))
                    }
                };
                lines.push(format!("variant {path}::{}{shape}", variant.ident));
            }
        }
        syn::Item::Trait(t) => {
            let supertraits = if t.supertraits.is_empty() {
                String::new()
            } else {
                format!(": {}", compact(t.supertraits.to_token_stream()))
            };
            lines.push(format!("trait {path}{}{supertraits}", compact(t.generics.to_token_stream())));
            for member in &t.items {
                match member {
                    syn::TraitItem::Fn(f) => lines.push(qualified_fn(&compact(f.sig.to_token_stream()), path)),
                    syn::TraitItem::Type(ty) => {
                        let bounds = compact(ty.bounds.to_token_stream());
                        let bounds = if bounds.is_empty() { bounds } else { format!(": {bounds}") };
                        lines.push(format!("type {path}::{}{bounds}", ty.ident));
                    }
                    syn::TraitItem::Const(c) => {
                        lines.push(format!("const {path}::{}: {}", c.ident, compact(c.ty.to_token_stream())));
                    }
                    _ => {}
                }
            }
        }
        syn::Item::Type(t) => {
            let generics = compact(t.generics.to_token_stream());
            lines.push(format!("type {path}{generics} = {}", compact(t.ty.to_token_stream())));
        }
        _ => {}
    }
}

/// The methods each `macro_rules!` of the runtime defines in its expansion (`fn` items in its
/// body; `pub` when preceded by a bare `pub`).
fn macro_methods(files: &[syn::File]) -> BTreeMap<String, Vec<Method>> {
    let mut out = BTreeMap::new();
    for file in files {
        for item in &file.items {
            if let syn::Item::Macro(m) = item
                && m.mac.path.is_ident("macro_rules")
                && let Some(name) = &m.ident
            {
                let mut methods = Vec::new();
                fns_in(m.mac.tokens.clone(), &mut methods);
                out.insert(name.to_string(), methods);
            }
        }
    }
    out
}

/// The `fn` items anywhere in `tokens`, each with its signature (up to its body).
fn fns_in(tokens: TokenStream, out: &mut Vec<Method>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(ident) if ident == "fn" => {
                let Some(TokenTree::Ident(name)) = tokens.get(i + 1) else { continue };
                let public = i > 0 && matches!(&tokens[i - 1], TokenTree::Ident(p) if p == "pub");
                let end = tokens[i..]
                    .iter()
                    .position(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace))
                    .map_or(tokens.len(), |p| i + p);
                let signature = compact(tokens[i..end].iter().cloned().collect());
                out.push(Method { name: name.to_string(), public, signature });
            }
            TokenTree::Group(group) => fns_in(group.stream(), out),
            _ => {}
        }
    }
}

/// The methods of the macro `mac` invokes, if it is one of the runtime's.
fn invoked<'m>(macros: &'m BTreeMap<String, Vec<Method>>, mac: &syn::Macro) -> &'m [Method] {
    mac.path.segments.last().and_then(|s| macros.get(&s.ident.to_string())).map_or(&[], Vec::as_slice)
}

/// The name of the type of an `impl` block (`Client` for `impl super::client::Client`).
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The names a `use` tree brings in, with the paths they come from.
fn use_names(tree: &syn::UseTree, prefix: String, out: &mut Vec<(String, String)>) {
    match tree {
        syn::UseTree::Path(p) => use_names(&p.tree, format!("{prefix}{}::", p.ident), out),
        syn::UseTree::Name(n) => out.push((n.ident.to_string(), format!("{prefix}{}", n.ident))),
        syn::UseTree::Rename(r) => out.push((r.rename.to_string(), format!("{prefix}{}", r.ident))),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_names(t, prefix.clone(), out)),
        syn::UseTree::Glob(_) => out.push(("*".to_owned(), format!("{prefix}*"))),
    }
}

/// The methods a derive of `path` gives a type.
#[cfg(test)]
fn derived_methods(path: &str) -> &'static [&'static str] {
    match path.rsplit("::").next().unwrap_or(path) {
        "Clone" => &["clone", "clone_from"],
        "Debug" => &["fmt"],
        "Default" => &["default"],
        _ => &[],
    }
}

/// Tokens as one line, spaced as Rust is usually written (`impl Into<String>`, `&'a str`,
/// `Result<T, Error>`), so that a listing line is readable and the same on every machine.
fn compact(tokens: TokenStream) -> String {
    let mut out = String::new();
    write_compact(tokens, &mut out);
    out
}

fn write_compact(tokens: TokenStream, out: &mut String) {
    // Whether the previous token ends a word (so a following word needs a space).
    let mut word = false;
    let mut joint = false;
    for token in tokens {
        match token {
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                if word {
                    out.push(' ');
                }
                out.push_str(&token.to_string());
                word = true;
                joint = false;
            }
            TokenTree::Punct(p) => {
                let c = p.as_char();
                match c {
                    ',' | ';' => out.push_str(&format!("{c} ")),
                    ':' if !joint && p.spacing() == Spacing::Alone => out.push_str(": "),
                    '=' | '+' if !joint && p.spacing() == Spacing::Alone => {
                        out.push_str(&format!(" {c} "));
                    }
                    '-' if p.spacing() == Spacing::Joint => out.push_str(" -"),
                    '>' if joint && out.ends_with(" -") => out.push_str("> "),
                    _ => out.push(c),
                }
                // A word follows a closing `>` after a space (`Items<T> where`), a lifetime's
                // quote or a reference's `&` directly.
                word = c == '>' && !out.ends_with("> ");
                joint = p.spacing() == Spacing::Joint;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => (" { ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_compact(group.stream(), out);
                // Without the trailing comma of a list written one item a line.
                let trimmed = out.trim_end().trim_end_matches(',').len();
                out.truncate(trimmed);
                out.push_str(close);
                word = true;
                joint = false;
            }
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::profile::PROFILES;

    /// The runtime of a crate with `profile` (and the form encoder).
    fn runtime_files(profile: &crate::profile::Profile) -> Vec<syn::File> {
        let files = crate::runtime_files(profile, true);
        files.iter().map(|(name, text)| syn::parse_file(text).unwrap_or_else(|e| panic!("{name}: {e}"))).collect()
    }

    fn sorted(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    /// A derive of `Clone` also gives `clone_from`, which no generated name can take anyway
    /// (generated names are checked against the list, and `clone_from` is not an API word).
    fn without_clone_from(mut names: BTreeSet<String>) -> BTreeSet<String> {
        names.remove("clone_from");
        names
    }

    #[test]
    fn the_client_methods_are_the_runtimes() {
        for profile in PROFILES {
            assert_eq!(
                without_clone_from(Surface::read(&runtime_files(profile)).method_names("Client")),
                sorted(CLIENT_METHODS),
                "runtime_surface::CLIENT_METHODS differs from the methods generator/runtime/ defines on Client ({})",
                profile.name
            );
        }
    }

    #[test]
    fn the_builder_methods_are_the_runtimes() {
        for profile in PROFILES {
            assert_eq!(
                without_clone_from(Surface::read(&runtime_files(profile)).method_names("RequestBuilder")),
                sorted(BUILDER_METHODS),
                "runtime_surface::BUILDER_METHODS differs from the methods generator/runtime/ defines on RequestBuilder ({})",
                profile.name
            );
        }
    }

    #[test]
    fn the_root_exports_are_the_runtimes_public_items() {
        for profile in PROFILES {
            let files = crate::runtime_files(profile, true);
            let module = syn::parse_file(&files[0].1).expect("mod.rs parses");
            root_exports_match(&module, &root_exports(profile));
        }
    }

    fn root_exports_match(module: &syn::File, exports: &[&str]) {
        let surface = Surface::read(std::slice::from_ref(module));
        let mut public: BTreeSet<String> = surface.reexports.iter().map(|(name, _)| name.clone()).collect();
        // `pub type` and other items defined in mod.rs itself.
        for item in &module.items {
            if let syn::Item::Type(t) = item
                && matches!(t.vis, syn::Visibility::Public(_))
            {
                public.insert(t.ident.to_string());
            }
        }
        let listed: BTreeSet<String> = exports.iter().chain(NOT_REEXPORTED).map(|n| (*n).to_owned()).collect();
        assert_eq!(public, listed, "runtime/mod.rs's public items differ from ROOT_EXPORTS + NOT_REEXPORTED");
    }

    #[test]
    fn a_runtime_method_the_list_lacks_is_found() {
        // The check above can fail: a method added to `Client` in any runtime file is seen.
        let extra = "impl Client { pub(crate) fn fresh(&self) {} }";
        let mut files: Vec<syn::File> = crate::RUNTIME.iter().map(|(_, text)| syn::parse_file(text).unwrap()).collect();
        files.push(syn::parse_file(extra).unwrap());
        let names = Surface::read(&files).method_names("Client");
        assert!(names.contains("fresh") && names.contains("call") && names.contains("raw_request"), "{names:?}");
    }

    #[test]
    fn signatures_are_written_on_one_line() {
        let table: [(TokenStream, &str); 5] = [
            (quote::quote!(fn raw_request(&self, method: Method, path: impl Into<String>) -> RawRequest<'_>), "fn raw_request(&self, method: Method, path: impl Into<String>) -> RawRequest<'_>"),
            (quote::quote!(async fn send<T: DeserializeOwned>(self) -> Result<T, Error>), "async fn send<T: DeserializeOwned>(self) -> Result<T, Error>"),
            (quote::quote!(fn items(self) -> Items<'a, O::Item> where O: Send + 'a), "fn items(self) -> Items<'a, O::Item> where O: Send + 'a"),
            (quote::quote!({ name: &'static str, reason: String, }), " { name: &'static str, reason: String }"),
            (quote::quote!(Option<Box<dyn std::error::Error + Send + Sync>>), "Option<Box<dyn std::error::Error + Send + Sync>>"),
        ];
        for (tokens, want) in table {
            assert_eq!(compact(tokens), want);
        }
    }

    #[test]
    fn the_listing_names_the_runtimes_public_items_and_not_its_private_ones() {
        let runtime = |profile: crate::profile::Profile| -> BTreeMap<PathBuf, String> {
            crate::runtime_files(&profile, false).into_iter().map(|(name, text)| (Path::new("src/runtime").join(name), text)).collect()
        };
        let generic = public_items(&runtime(crate::profile::Profile::generic()), "api").expect("the runtime parses");
        assert!(!generic.iter().any(|l| l.contains("ResultInfo") || l.contains("cf_ray")), "{}", generic.join("\n"));
        let lines = public_items(&runtime(crate::profile::Profile::cloudflare()), "api").expect("the runtime parses");
        for want in [
            "fn api::Client::raw_request(&self, method: Method, path: impl Into<String>) -> RawRequest<'_>",
            "fn api::Client::new(credentials: Credentials) -> Result<Client, Error>",
            "struct api::ResultInfo",
            "use api::Method = reqwest::Method",
            "enum api::Error",
            "impl IntoFuture for api::RequestBuilder",
            "fn api::RequestBuilder::request_timeout(mut self, timeout: std::time::Duration) -> Self",
            "fn api::ApiError::status(&self) -> u16",
        ] {
            assert!(lines.iter().any(|l| l == want), "{want:?} missing from:\n{}", lines.join("\n"));
        }
        // Crate-private methods and types stay out.
        for unwanted in ["::call(", "::options_mut(", "Call", "::from_value("] {
            assert!(!lines.iter().any(|l| l.contains(unwanted)), "{unwanted:?} listed:\n{}", lines.join("\n"));
        }
        assert!(public_items(&BTreeMap::from([(PathBuf::from("src/runtime/x.rs"), "fn (".to_owned())]), "api").is_err());
    }
}
