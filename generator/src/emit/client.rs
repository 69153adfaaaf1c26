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
use super::{ident, type_tokens};
use crate::ir::{
    Api, Area, Auth, Body, BodyKind, CredentialKind, Operation, PageStyle, Pagination, Param, ParamLocation, PathPart, Response,
    TypeRef,
};

/// `src/lib.rs`.
pub fn emit_lib(api: &Api, spec_name: &str) -> TokenStream {
    let example = api.areas.first().map_or("area", |a| a.module.trim_start_matches("r#"));
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
        let module = ident(&area.module);
        let feature = &area.feature;
        let doc = Doc::new().own(&format!("The `{}` area (cargo feature `{feature}`).", area.module.trim_start_matches("r#"))).attrs();
        quote! { #doc #[cfg(feature = #feature)] pub mod #module; }
    });
    let accessors = api.areas.iter().map(|area| {
        let module = ident(&area.module);
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
    quote! {
        #crate_doc
        #![forbid(unsafe_code)]

        pub mod types;
        #(#modules)*
        // The runtime is the same in every crate; a spec need not use all of it.
        #[allow(dead_code, unused_imports, unused_macros)]
        mod runtime;

        pub use runtime::{
            ApiError, ApiErrorKind, ApiResponse, Client, ClientBuilder, CredentialKind, Credentials, DecodeError,
            Download, Error, Items, Multipart, PageRequest, Pages, RawRequest, RequestOptions, ResponseInfo,
            ResponseInfoSource, ResultInfo,
        };

        /// The base URL from the spec's first `servers` entry (empty when it has no absolute one).
        pub const DEFAULT_BASE_URL: &str = #base_url;

        impl Client {
            #(#accessors)*
        }
    }
}

pub fn area_doc(area: &Area) -> Doc {
    let count = area.operations.len() + area.resources.iter().map(|r| r.operations.len()).sum::<usize>();
    Doc::new().own(&format!(
        "The `{}` area: {count} operation(s). Compiled with the cargo feature `{}`.",
        area.module.trim_start_matches("r#"),
        area.feature
    ))
}

/// One namespace struct (an area or a resource): accessors for its children, a method per
/// operation, and the operations' request builders.
pub fn emit_namespace(
    struct_name: &str,
    doc: Doc,
    children: &[(String, String)],
    operations: &[Operation],
    types: TokenStream,
) -> TokenStream {
    let name = ident(struct_name);
    let doc = doc.attrs();
    let children_decl = children.iter().map(|(module, _)| {
        let module_ident = ident(module);
        let doc = Doc::new().own(&format!("The `{}` resource.", module.trim_start_matches("r#"))).attrs();
        quote! { #doc pub mod #module_ident; }
    });
    let accessors = children.iter().map(|(module, child)| {
        let module_ident = ident(module);
        let child = ident(child);
        let doc = Doc::new().own(&format!("Operations on `{}`.", module.trim_start_matches("r#"))).attrs();
        quote! {
            #doc
            pub fn #module_ident(&self) -> #module_ident::#child<'a> {
                #module_ident::#child::new(self.client)
            }
        }
    });
    let methods = operations.iter().map(emit_method);
    let builders = operations.iter().map(|op| emit_builder(struct_name, op));
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

        #types
    }
}

/// How a positional input is taken and stored.
fn positional_type(param: &Param) -> TokenStream {
    match &param.ty {
        TypeRef::String => quote!(&'a str),
        TypeRef::Array(item) => {
            let item = type_tokens(item);
            quote!(&'a [#item])
        }
        other => type_tokens(other),
    }
}

/// The body argument of a method, when the body is positional.
fn body_type(body: &Body) -> TokenStream {
    match &body.kind {
        // A slice is the idiomatic borrowed list (and serializes the same).
        BodyKind::Json(TypeRef::Array(item)) => {
            let item = type_tokens(item);
            quote!(&'a [#item])
        }
        BodyKind::Json(ty) => {
            let ty = type_tokens(ty);
            quote!(&'a #ty)
        }
        BodyKind::Raw => quote!(Vec<u8>),
        BodyKind::Multipart => quote!(crate::Multipart),
    }
}

fn positional_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.path_params.iter().chain(op.params.iter().filter(|p| p.required))
}

fn emit_method(op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let doc = operation_doc(op).attrs();
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for param in positional_params(op) {
        let name = ident(&param.rust_name);
        let ty = positional_type(param);
        args.push(quote!(#name: #ty));
        inits.push(quote!(#name));
    }
    for param in op.params.iter().filter(|p| !p.required) {
        let name = ident(&param.rust_name);
        inits.push(quote!(#name: None));
    }
    match &op.body {
        Some(body) if body.positional => {
            let ty = body_type(body);
            args.push(quote!(body: #ty));
            inits.push(quote!(body));
        }
        Some(_) => inits.push(quote!(body: None)),
        None => {}
    }
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#args),*) -> #builder<'a> {
            #builder { client: self.client, #(#inits,)* options: crate::RequestOptions::default() }
        }
    }
}

fn emit_builder(owner: &str, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder_name);
    let method = op.method_name.trim_start_matches("r#");
    let doc = Doc::new()
        .own(&format!(
            "Request builder for [`{owner}::{method}`]: set optional inputs and per-call options, then `.await` it\n\
             (or call [`send`](Self::send) or [`send_with_response`](Self::send_with_response))."
        ))
        .attrs();
    let deprecated = op.deprecated.then(|| quote!(#[allow(deprecated)]));

    let mut fields = vec![quote!(client: &'a crate::Client)];
    for param in positional_params(op) {
        let name = ident(&param.rust_name);
        let ty = positional_type(param);
        fields.push(quote!(#name: #ty));
    }
    let mut setters = Vec::new();
    for param in op.params.iter().filter(|p| !p.required) {
        let name = ident(&param.rust_name);
        let ty = type_tokens(&param.ty);
        fields.push(quote!(#name: Option<#ty>));
        let fallback = format!("Sets `{}` (sent in the {}).", param.wire_name, location_word(param.location));
        let doc = Doc::new().spec(param.description.as_deref().unwrap_or(&fallback)).attrs();
        setters.push(if param.ty == TypeRef::String {
            quote! {
                #doc
                pub fn #name(mut self, value: impl Into<String>) -> Self {
                    self.#name = Some(value.into());
                    self
                }
            }
        } else {
            quote! {
                #doc
                pub fn #name(mut self, value: #ty) -> Self {
                    self.#name = Some(value);
                    self
                }
            }
        });
    }
    if let Some(body) = &op.body {
        let ty = body_type(body);
        if body.positional {
            fields.push(quote!(body: #ty));
        } else {
            fields.push(quote!(body: Option<#ty>));
            let doc = Doc::new()
                .own("Sets the request body.")
                .spec(body.description.as_deref().unwrap_or_default())
                .attrs();
            setters.push(quote! {
                #doc
                pub fn body(mut self, value: #ty) -> Self {
                    self.body = Some(value);
                    self
                }
            });
        }
    }
    fields.push(quote!(options: crate::RequestOptions));

    let (ret, send) = response_tokens(&op.response);
    let steps = request_steps(op);
    let paging = op.pagination.as_ref().map(|p| pagination_methods(op, p));
    quote! {
        #doc
        #[must_use = "a request does nothing until it is awaited or sent"]
        #[derive(Clone, Debug)]
        pub struct #builder<'a> {
            #(#fields,)*
        }

        #deprecated
        impl<'a> #builder<'a> {
            #(#setters)*
            #paging

            /// Sends the request and returns its result with the response's status, headers,
            /// messages and raw body.
            pub async fn send_with_response(self) -> Result<crate::ApiResponse<#ret>, crate::Error> {
                #steps
                request.options(self.options);
                request.#send.await
            }
        }

        crate::runtime::request_builder!(#builder, #ret);
    }
}

/// `pages()` and `items()` on the builder of a list read in pages.
fn pagination_methods(op: &Operation, pagination: &Pagination) -> TokenStream {
    let item = type_tokens(&pagination.item);
    let param = &op.params[pagination.param];
    let field = ident(&param.rust_name);
    let (value, set) = match (pagination.style, &param.ty) {
        (PageStyle::Page, TypeRef::Number) => (quote!(crate::PageRequest::Page(page)), quote!(page as f64)),
        (PageStyle::Page, _) => (quote!(crate::PageRequest::Page(page)), quote!(i64::try_from(page).unwrap_or(i64::MAX))),
        (PageStyle::Cursor, _) => (quote!(crate::PageRequest::Cursor(page)), quote!(page)),
    };
    let set = if param.required { quote!(builder.#field = #set) } else { quote!(builder.#field = Some(#set)) };
    // A nullable list is an empty page when null.
    let send = match &op.response {
        Response::Envelope { nullable: true, .. } => {
            quote!(async move { builder.send_with_response().await.map(|page| page.map(Option::unwrap_or_default)) })
        }
        _ => quote!(builder.send_with_response()),
    };
    quote! {
        /// The pages of this list, fetched one at a time as the stream is polled, starting with
        /// the page this builder asks for. It stops after the last page without asking for
        /// another when `result_info` says so; dropping it stops it.
        pub fn pages(self) -> crate::Pages<'a, #item> {
            crate::runtime::pages(self, |mut builder, next| {
                if let #value = next {
                    #set;
                }
                #send
            })
        }

        /// The items of this list across its pages (see [`pages`](Self::pages)).
        pub fn items(self) -> crate::Items<'a, #item> {
            self.pages().items()
        }
    }
}

fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query string",
        ParamLocation::Header => "request headers",
    }
}

/// The body of `send_with_response` up to the options: encode path parameters, build the
/// request, add query, headers and body.
fn request_steps(op: &Operation) -> TokenStream {
    let mut steps = Vec::new();
    for param in &op.path_params {
        let name = ident(&param.rust_name);
        let wire = &param.wire_name;
        let as_str = match &param.ty {
            TypeRef::String => quote!(self.#name),
            // OpenAPI's default path style for arrays: comma-separated values.
            TypeRef::Array(_) => quote!(&self.#name.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")),
            _ => quote!(&self.#name.to_string()),
        };
        let length = length_tokens(param);
        steps.push(quote! { let #name = crate::runtime::path_param(#wire, #as_str, #length)?; });
    }
    let method = ident(&op.http_method);
    let template = &op.path;
    let auth = auth_tokens(&op.auth);
    let accept = &op.accept;
    let path = path_expr(op);
    steps.push(quote! {
        static OPERATION: crate::runtime::Operation = crate::runtime::Operation {
            method: reqwest::Method::#method,
            path_template: #template,
            auth: #auth,
            accept: #accept,
        };
        let mut request = self.client.request_operation(&OPERATION, #path);
    });
    steps.extend(op.params.iter().map(param_step));
    if let Some(body) = &op.body {
        steps.push(body_step(body));
    }
    quote!(#(#steps)*)
}

fn operation_doc(op: &Operation) -> Doc {
    let mut doc = Doc::new()
        .spec(op.summary.as_deref().unwrap_or_default())
        .spec(op.description.as_deref().unwrap_or_default())
        .own(&format!("`{} {}`", op.http_method, code_span(&op.path)));
    let positional: Vec<&Param> = positional_params(op).collect();
    if !positional.is_empty() || op.body.as_ref().is_some_and(|b| b.positional) {
        doc = doc.own("# Arguments\n\n");
        for param in positional {
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
        if let Some(body) = op.body.as_ref().filter(|b| b.positional) {
            let text = body.description.as_deref().map(str::trim).filter(|d| !d.is_empty()).unwrap_or("the request body");
            doc = doc.spec_line(&format!("- `body`: {text}"));
        }
    }
    let optional: Vec<String> = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| format!("`{}`", p.rust_name.trim_start_matches("r#")))
        .chain(op.body.as_ref().filter(|b| !b.positional).map(|_| "`body`".to_owned()))
        .collect();
    if !optional.is_empty() {
        doc = doc.own(&format!("Optional inputs are setters on [`{}`]: {}.", op.builder_name, optional.join(", ")));
    }
    doc = doc
        .own("# Errors")
        .own(
            "[`crate::Error`] when an input breaks the spec's constraints (nothing is sent), on \
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
fn path_expr(op: &Operation) -> TokenStream {
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
    let each = if is_array { quote!(for value in values.iter() { #one }) } else { one };
    let bound = if is_array { quote!(values) } else { quote!(value) };
    match (param.required, &param.ty) {
        (true, TypeRef::String | TypeRef::Array(_)) => quote! { { let #bound = self.#field; #each } },
        (true, _) => quote! { { let #bound = &self.#field; #each } },
        (false, _) => quote! { if let Some(#bound) = &self.#field { #each } },
    }
}

fn body_step(body: &Body) -> TokenStream {
    let media_type = &body.media_type;
    let send = match &body.kind {
        BodyKind::Json(_) => quote!(request.json(#media_type, body)?;),
        BodyKind::Raw => quote!(request.raw_body(#media_type, body);),
        // The form sets its own `Content-Type`, with the boundary.
        BodyKind::Multipart => quote!(request.multipart(body);),
    };
    match (body.positional, body.required, &body.kind) {
        (true, _, _) => quote! { let body = self.body; #send },
        // A required body the spec gives no schema: an empty object unless the caller sets one.
        (false, true, BodyKind::Json(_)) => quote! {
            match self.body {
                Some(body) => { #send }
                None => request.json(#media_type, &serde_json::Map::new())?,
            }
        },
        (false, _, _) => quote! { if let Some(body) = self.body { #send } },
    }
}

/// The method's success type and the runtime call that produces it.
fn response_tokens(response: &Response) -> (TokenStream, TokenStream) {
    match response {
        Response::Envelope { result: Some(ty), nullable: false, .. } => (type_tokens(ty), quote!(send_result())),
        Response::Envelope { result: Some(ty), nullable: true, .. } => {
            let ty = type_tokens(ty);
            (quote!(Option<#ty>), quote!(send_result_optional()))
        }
        Response::Envelope { result: None, .. } => (quote!(()), quote!(send_no_result())),
        Response::Json(ty) => (type_tokens(ty), quote!(send_json())),
        Response::Bytes => (quote!(Vec<u8>), quote!(send_bytes())),
        Response::Empty => (quote!(()), quote!(send_empty())),
    }
}
