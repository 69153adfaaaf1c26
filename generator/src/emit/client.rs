//! Emits the client surface: `src/lib.rs` (area accessors on `Client`), one module per area with
//! its resources, and per operation a method that returns a request builder.
//!
//! A call is `client.<area>().<resource>().<method>(required inputs)`, then optional setters, then
//! `.await` (the builder is `IntoFuture`) or `.send()` / `.send_with_response()`. Adding an
//! optional parameter to the spec adds a setter and breaks no caller. Builders stay thin: check
//! and encode the inputs, describe the request, and hand it to the hand-written runtime, which
//! owns HTTP, auth, retries, errors and decoding.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::Doc;
use super::{TypePaths, ident};
use crate::ir::{
    Api, Area, Auth, Body, BodyKind, FormStyle, OPERATION_MODULE, Operation, PageStyle, Pagination, Param, ParamLocation,
    Response, SCOPE_ARGUMENT, TypeRef,
};
use crate::naming::RustIdent;

/// `src/lib.rs`, re-exporting the runtime's `exports` at the root.
pub fn emit_lib(api: &Api, spec_name: &str, exports: &[&str]) -> TokenStream {
    let example = api.areas.first().map_or("area", |a| a.module.as_str());
    let crate_doc = Doc::new()
        .spec(&format!("# {}", api.title))
        .spec(api.description.as_deref().unwrap_or_default())
        .own(&format!(
            "A typed async client generated from `{spec_name}` (API version {}). Start with [`Client`];\n\
             each product area is reached through an accessor such as `client.{example}()` and is\n\
             compiled when its cargo feature is on (`full` turns on every area).",
            api.version,
        ))
        .inner_attrs();
    let base_url = api.base_url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://")).unwrap_or("");
    let modules = api.areas.iter().map(|area| {
        let module = area.module.to_ident();
        let feature = &area.feature;
        let doc = Doc::new().own(&format!("The `{}` area (cargo feature `{feature}`).", area.module.as_str())).attrs();
        quote! { #doc #[cfg(feature = #feature)] pub mod #module; }
    });
    let accessors = api.areas.iter().map(|area| {
        let module = area.module.to_ident();
        let name = ident(&area.struct_name);
        let feature = &area.feature;
        let doc = area_doc(area).attrs();
        quote! {
            #doc
            #[cfg(feature = #feature)]
            pub fn #module(&self) -> #module::#name<'_> {
                #module::#name::new(self)
            }
        }
    });
    let scope = emit_scope(&api.scopes);
    let exports = exports.iter().map(|name| ident(name));
    quote! {
        #crate_doc
        #![forbid(unsafe_code)]
        // Doc text is the spec's own (its lists and quotes as written); a union's variants are
        // the spec's shapes, unboxed; an operation takes every required input positionally.
        #![allow(clippy::doc_lazy_continuation, clippy::large_enum_variant, clippy::too_many_arguments)]
        #![allow(rustdoc::bare_urls)]

        pub mod types;
        #(#modules)*
        // The runtime is the same in every crate; a spec need not use all of it.
        #[allow(dead_code, unused_imports, unused_macros)]
        mod runtime;

        pub use runtime::{#(#exports),*};

        /// The base URL from the spec's first `servers` entry (empty when it has no absolute one).
        pub const DEFAULT_BASE_URL: &str = #base_url;

        #scope

        impl Client {
            #(#accessors)*
        }
    }
}

/// The `Scope` enum, for an API with operations at several scopes: (variant, path literal).
fn emit_scope(scopes: &[(String, String)]) -> Option<TokenStream> {
    if scopes.is_empty() {
        return None;
    }
    let variants = scopes.iter().map(|(variant, literal)| {
        let name = ident(variant);
        let doc = Doc::new().own(&format!("The resource under `/{literal}/{{id}}`, with that id.")).attrs();
        quote!(#doc #name(&'a str),)
    });
    let doc = Doc::new()
        .own("Whose resource an operation acts on: the first argument of the operations the API offers\nat several scopes with the same inputs and answers.")
        .attrs();
    Some(quote! {
        #doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Scope<'a> {
            #(#variants)*
        }
    })
}

pub fn area_doc(area: &Area) -> Doc {
    let count = area.operations.len() + area.resources.iter().map(|r| r.operations.len()).sum::<usize>();
    Doc::new().own(&format!(
        "The `{}` area: {count} operation(s). Compiled with the cargo feature `{}`.",
        area.module.as_str(),
        area.feature
    ))
}

/// One namespace struct (an area or a resource): accessors for its children, a method per
/// operation, and the operations' request builders.
pub fn emit_namespace(
    struct_name: &str,
    doc: Doc,
    children: &[(RustIdent, String)],
    operations: &[Operation],
    paths: &TypePaths<'_>,
    types: TokenStream,
) -> TokenStream {
    let name = ident(struct_name);
    let doc = doc.attrs();
    let children_decl = children.iter().map(|(module, _)| {
        let module_ident = module.to_ident();
        let doc = Doc::new().own(&format!("The `{}` resource.", module.as_str())).attrs();
        quote! { #doc pub mod #module_ident; }
    });
    let accessors = children.iter().map(|(module, child)| {
        let module_ident = module.to_ident();
        let child = ident(child);
        let doc = Doc::new().own(&format!("Operations on `{}`.", module.as_str())).attrs();
        quote! {
            #doc
            pub fn #module_ident(&self) -> #module_ident::#child<'a> {
                #module_ident::#child::new(self.client)
            }
        }
    });
    let methods = operations.iter().map(|op| emit_method(paths, op));
    let builders = operations.iter().map(|op| emit_builder(paths, struct_name, op));
    let markers = (!operations.is_empty()).then(|| {
        let module = ident(OPERATION_MODULE);
        let names = operations.iter().map(|op| ident(&op.builder_name));
        let doc = Doc::new().own("The operations of this module as types: the type parameter of each request builder.").attrs();
        quote! {
            #doc
            pub mod #module {
                crate::runtime::operations!(#(#names),*);
            }
        }
    });
    quote! {
        #(#children_decl)*

        #doc
        #[derive(Clone, Copy, Debug)]
        pub struct #name<'a> {
            client: &'a crate::Client,
        }

        impl<'a> #name<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }

            #(#accessors)*
            #(#methods)*
        }

        #(#builders)*
        #markers

        #types
    }
}

/// How a positional input is taken: borrowed where it is only read to build the request.
fn positional_type(paths: &TypePaths<'_>, param: &Param) -> TokenStream {
    match &param.ty {
        TypeRef::String => quote!(&str),
        TypeRef::Array(item) => {
            let item = paths.ty(item);
            quote!(&[#item])
        }
        other => paths.ty(other),
    }
}

/// The type of a body argument (positional) or of the `body` setter's value.
fn body_type(paths: &TypePaths<'_>, body: &Body) -> TokenStream {
    match &body.kind {
        // A slice is the idiomatic borrowed list (and serializes the same).
        BodyKind::Json(TypeRef::Array(item)) => {
            let item = paths.ty(item);
            quote!(&[#item])
        }
        BodyKind::Json(ty) | BodyKind::Form(ty, _) => {
            let ty = paths.ty(ty);
            quote!(&#ty)
        }
        BodyKind::Raw => quote!(Vec<u8>),
        BodyKind::Multipart => quote!(crate::Multipart),
    }
}

fn positional_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.path_params.iter().chain(op.params.iter().filter(|p| p.required))
}

/// The method: describe the operation, start its `Call` with the positional inputs, and wrap
/// it in the operation's builder.
fn emit_method(paths: &TypePaths<'_>, op: &Operation) -> TokenStream {
    let method = op.method_name.to_ident();
    let builder = ident(&op.builder_name);
    let doc = operation_doc(op).attrs();
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let mut args = Vec::new();
    let mut steps = Vec::new();
    for param in positional_params(op) {
        let name = param.rust_name.to_ident();
        let ty = positional_type(paths, param);
        args.push(quote!(#name: #ty));
        steps.push(input_step(param, &quote!(#name)));
    }
    match &op.body {
        Some(body) if body.positional => {
            let ty = body_type(paths, body);
            args.push(quote!(body: #ty));
            steps.push(body_step(body, &quote!(body)));
        }
        // A required body the spec gives no schema: an empty object unless the caller sets one.
        Some(body) if body.required && matches!(body.kind, BodyKind::Json(_)) => {
            steps.push(body_step(body, &quote!(&serde_json::Map::new())));
        }
        _ => {}
    }
    // What most operations have (any credentials, a JSON answer) goes unsaid.
    let auth = (!matches!(op.auth, Auth::Any)).then(|| {
        let auth = auth_tokens(&op.auth);
        quote!(.auth(#auth))
    });
    let accept = (op.accept != "application/json").then(|| {
        let accept = &op.accept;
        quote!(.accept(#accept))
    });
    if op.scopes.is_empty() {
        let start = start_call(&op.http_method, &op.path);
        // Started on a line of its own, so that the inputs' steps fit on the next one.
        let body = if auth.is_none() && accept.is_none() && steps.is_empty() {
            quote!(#builder::new(#start))
        } else {
            quote! {
                let call = #start;
                #builder::new(call #auth #accept #(#steps)*)
            }
        };
        return quote! {
            #doc
            #deprecated
            pub fn #method(&self, #(#args),*) -> #builder<'a> {
                #body
            }
        };
    }
    // One method at several scopes: the scope picks the path, and its id fills it.
    let scope = ident(SCOPE_ARGUMENT);
    let arms = op.scopes.iter().map(|scope| {
        let variant = ident(&scope.variant);
        let start = start_call(&op.http_method, &scope.path);
        let id = scope.id.rust_name.to_ident();
        let fill = input_step(&scope.id, &quote!(#id));
        quote!(crate::Scope::#variant(#id) => #start #fill,)
    });
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #scope: crate::Scope<'_>, #(#args),*) -> #builder<'a> {
            let call = match #scope {
                #(#arms)*
            };
            #builder::new(call #auth #accept #(#steps)*)
        }
    }
}

/// The expression that starts a method's `Call` on `template`: `self.client.get(template)` for
/// the common HTTP methods, `self.client.call(reqwest::Method::OPTIONS, template)` for the others.
fn start_call(http_method: &str, template: &str) -> TokenStream {
    match http_method {
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE" => {
            let name = ident(&http_method.to_ascii_lowercase());
            quote!(self.client.#name(#template))
        }
        other => {
            let other = ident(other);
            quote!(self.client.call(reqwest::Method::#other, #template))
        }
    }
}

/// The `Call` method that takes one parameter's value `value` (a positional argument or a
/// setter's argument of the parameter's type).
fn input_step(param: &Param, value: &TokenStream) -> TokenStream {
    let wire = &param.wire_name;
    // Path segments and headers are text; OpenAPI's default style for an array there is
    // comma-separated values.
    let text = match &param.ty {
        TypeRef::String => quote!(#value),
        TypeRef::Array(_) => quote!(&#value.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")),
        _ => quote!(&#value.to_string()),
    };
    match param.location {
        ParamLocation::Path if param.length.min.is_none() && param.length.max.is_none() => quote!(.path(#wire, #text)),
        ParamLocation::Path => {
            let length = length_tokens(param);
            quote!(.path_checked(#wire, #text, #length))
        }
        ParamLocation::Header => quote!(.header(#wire, #text)),
        // `deepObject`: bracketed pairs from the value's JSON form (the runtime's form encoder).
        ParamLocation::Query if param.deep_object => quote!(.query_deep(#wire, &#value)),
        // Arrays in the query are repeated pairs.
        ParamLocation::Query if matches!(param.ty, TypeRef::Array(_)) => quote!(.query_each(#wire, #value)),
        ParamLocation::Query => quote!(.query(#wire, #value)),
    }
}

fn body_step(body: &Body, value: &TokenStream) -> TokenStream {
    let media_type = &body.media_type;
    match &body.kind {
        BodyKind::Json(_) if media_type == "application/json" => quote!(.json(#value)),
        BodyKind::Json(_) => quote!(.json_as(#media_type, #value)),
        BodyKind::Form(_, encodings) => {
            let encodings = encodings.iter().map(|e| {
                let (property, explode) = (&e.property, e.explode);
                let style = form_style(e.style);
                quote!((#property, crate::runtime::FormStyle::#style, #explode))
            });
            quote!(.form(#media_type, #value, &[#(#encodings),*]))
        }
        BodyKind::Raw => quote!(.raw_body(#media_type, #value)),
        // The form sets its own `Content-Type`, with the boundary.
        BodyKind::Multipart => quote!(.multipart(#value)),
    }
}

/// The runtime's `FormStyle` variant for a style.
fn form_style(style: FormStyle) -> proc_macro2::Ident {
    let name = match style {
        FormStyle::Form => "Form",
        FormStyle::SpaceDelimited => "SpaceDelimited",
        FormStyle::PipeDelimited => "PipeDelimited",
        FormStyle::DeepObject => "DeepObject",
        FormStyle::Json => "Json",
    };
    quote::format_ident!("{name}")
}

/// An optional input's setter, as an entry of the runtime's `setters!`: `name(Type) => step(args)`,
/// where `step` is the `Call` method that sets the input (`input_step` for a positional one).
fn setter_entry(paths: &TypePaths<'_>, param: &Param) -> TokenStream {
    let name = param.rust_name.to_ident();
    let wire = &param.wire_name;
    let ty = match &param.ty {
        // The setter takes `impl AsRef<str>`.
        TypeRef::String => quote!(&str),
        ty => paths.ty(ty),
    };
    let step = match param.location {
        ParamLocation::Query if param.deep_object => quote!(query_deep),
        ParamLocation::Query if matches!(param.ty, TypeRef::Array(_)) => quote!(query_each),
        ParamLocation::Query => quote!(query),
        ParamLocation::Header if matches!(param.ty, TypeRef::Array(_)) => quote!(header_list),
        ParamLocation::Header => quote!(header),
        ParamLocation::Path => unreachable!("`Operation::params` holds query and header parameters only"),
    };
    quote!(#name(#ty) => #step(#wire))
}

/// The request body's setter, as an entry of the runtime's `setters!` (`body_step` for a
/// positional body).
fn body_setter_entry(paths: &TypePaths<'_>, body: &Body) -> TokenStream {
    let ty = body_type(paths, body);
    let media_type = &body.media_type;
    let step = match &body.kind {
        BodyKind::Json(_) if media_type == "application/json" => quote!(json()),
        BodyKind::Json(_) => quote!(json_as(#media_type)),
        BodyKind::Form(_, encodings) => {
            let encodings = encodings.iter().map(|e| {
                let (property, explode, style) = (&e.property, e.explode, form_style(e.style));
                quote!((#property, #style, #explode))
            });
            quote!(form(#media_type, [#(#encodings),*]))
        }
        BodyKind::Raw => quote!(raw_body(#media_type)),
        BodyKind::Multipart => quote!(multipart()),
    };
    quote!(body(#ty) => #step)
}

/// The operation's request builder: its setters (the optional inputs, one `setters!` entry each;
/// no call when there are none), and the runtime macros that declare it as an alias of
/// `RequestBuilder` and say what its call answers.
fn emit_builder(paths: &TypePaths<'_>, owner: &str, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder_name);
    let documented = format!("{owner}::{}", op.method_name.as_str());
    let mut setters = Vec::new();
    for param in op.params.iter().filter(|p| !p.required) {
        let fallback = format!("Sets `{}` (sent in the {}).", param.wire_name, location_word(param.location));
        let doc = Doc::new().spec(param.description.as_deref().unwrap_or(&fallback)).attrs();
        let entry = setter_entry(paths, param);
        setters.push(quote!(#doc #entry));
    }
    if let Some(body) = op.body.as_ref().filter(|b| !b.positional) {
        let doc = Doc::new().own("Sets the request body.").spec(body.description.as_deref().unwrap_or_default()).attrs();
        let entry = body_setter_entry(paths, body);
        setters.push(quote!(#doc #entry));
    }
    let (ret, read) = response_tokens(paths, &op.response);
    let paging = op.pagination.as_ref().map(|p| pagination_methods(paths, op, p));
    let download = matches!(op.response, Response::Bytes).then(|| quote!(crate::runtime::download!(#builder);));
    let inherent = (!setters.is_empty()).then(|| quote!(crate::runtime::setters!(#builder { #(#setters),* });));
    quote! {
        crate::runtime::request_builder!(#documented, #builder, #ret, #read);
        #inherent
        #paging
        #download
    }
}

/// `pages()` and `items()` on the builder of a list read in pages (the runtime's `paged_list!`).
fn pagination_methods(paths: &TypePaths<'_>, op: &Operation, pagination: &Pagination) -> TokenStream {
    let builder = quote::format_ident!("{}", op.builder_name);
    let item = paths.ty(&pagination.item);
    let param = &pagination.param;
    let next = match pagination.style {
        PageStyle::Page => quote!(page_number),
        PageStyle::Cursor => quote!(page_cursor),
    };
    quote!(crate::runtime::paged_list!(#builder, #item, #next, #param);)
}

fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query string",
        ParamLocation::Header => "request headers",
    }
}

fn operation_doc(op: &Operation) -> Doc {
    let mut doc = Doc::new()
        .spec(op.summary.as_deref().unwrap_or_default())
        .spec(op.description.as_deref().unwrap_or_default())
        .own(&format!("`{} {}`", op.http_method, code_span(&op.path)));
    for scope in op.scopes.iter().skip(1) {
        doc = doc.own(&format!("`{} {}`", op.http_method, code_span(&scope.path)));
    }
    let positional: Vec<&Param> = positional_params(op).collect();
    if !positional.is_empty() || !op.scopes.is_empty() || op.body.as_ref().is_some_and(|b| b.positional) {
        doc = doc.own("# Arguments\n\n");
        if !op.scopes.is_empty() {
            let variants: Vec<String> = op.scopes.iter().map(|s| format!("`Scope::{}({})`", s.variant, s.id.wire_name)).collect();
            doc = doc.spec_line(&format!("- `scope`: whose resource it is: {}.", variants.join(" or ")));
        }
        for param in positional {
            let mut line = format!("- `{}`", param.rust_name.as_str());
            let mut separator = ":";
            if let Some(description) = param.description.as_deref().filter(|d| !d.trim().is_empty()) {
                line.push_str(separator);
                line.push(' ');
                line.push_str(description.trim());
                separator = "";
            }
            if let Some(limit) = describe_length(param) {
                let separator = if separator.is_empty() && !line.ends_with(['.', '!', '?']) { "." } else { separator };
                line.push_str(&format!("{separator} {limit}, checked before sending."));
            }
            doc = doc.spec_line(&line);
        }
        if let Some(body) = op.body.as_ref().filter(|b| b.positional) {
            let text = body.description.as_deref().map(str::trim).filter(|d| !d.is_empty()).unwrap_or("the request body");
            doc = doc.spec_line(&format!("- `body`: {text}"));
        }
    }
    let optional: Vec<String> = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| format!("`{}`", p.rust_name.as_str()))
        .chain(op.body.as_ref().filter(|b| !b.positional).map(|_| "`body`".to_owned()))
        .collect();
    if !optional.is_empty() {
        doc = doc.own(&format!("Optional inputs are setters on [`{}`]: {}.", op.builder_name, optional.join(", ")));
    }
    if !op.error_responses.is_empty() {
        let failures: Vec<String> = op
            .error_responses
            .iter()
            .map(|(status, description)| format!("`{}` ({})", code_span(status), description.trim().trim_end_matches('.')))
            .collect();
        doc = doc.spec(&format!("Failure responses documented by the spec: {}.", failures.join("; ")));
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

/// The `Length` a path parameter is checked against (only called when it has a bound).
fn length_tokens(param: &Param) -> TokenStream {
    let n = proc_macro2::Literal::u64_unsuffixed;
    match (param.length.min, param.length.max) {
        (Some(min), Some(max)) if min == max => {
            let n = n(min);
            quote!(#n..=#n)
        }
        (Some(min), Some(max)) => {
            let (min, max) = (n(min), n(max));
            quote!(#min..=#max)
        }
        (Some(min), None) => {
            let min = n(min);
            quote!(#min..)
        }
        (None, Some(max)) => {
            let max = n(max);
            quote!(..=#max)
        }
        (None, None) => quote!(crate::runtime::Length::ANY),
    }
}

fn auth_tokens(auth: &Auth) -> TokenStream {
    match auth {
        Auth::None => quote!(crate::runtime::Auth::None),
        Auth::Any => quote!(crate::runtime::Auth::Any),
        Auth::OneOf(kinds) => {
            let kinds = kinds.iter().map(|k| {
                let variant = ident(k);
                quote!(crate::runtime::CredentialKind::#variant)
            });
            quote!(crate::runtime::Auth::OneOf(&[#(#kinds),*]))
        }
    }
}

/// The method's success type and the runtime's `Read` that produces it.
fn response_tokens(paths: &TypePaths<'_>, response: &Response) -> (TokenStream, TokenStream) {
    match response {
        Response::Envelope { result: Some(ty), nullable: false, .. } => (paths.ty(ty), quote!(result)),
        Response::Envelope { result: Some(ty), nullable: true, .. } => {
            let ty = paths.ty(ty);
            (quote!(Option<#ty>), quote!(result_optional))
        }
        Response::Envelope { result: None, .. } => (quote!(()), quote!(no_result)),
        Response::Json(ty) => (paths.ty(ty), quote!(json)),
        Response::Bytes => (quote!(Vec<u8>), quote!(bytes)),
        Response::Empty => (quote!(()), quote!(empty)),
    }
}
