//! Stage 2: lower an `openapiv3::OpenAPI` into the [`ir`](crate::ir).
//!
//! Operations are grouped by their first tag; each group becomes `client.<group>()`, each
//! operation a method on it. Schemas are lowered on demand (see the `schema` module), so only the types an
//! operation can actually take or return are generated.

pub mod examples;
mod schema;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{
    OpenAPI, Parameter, ParameterData, ParameterSchemaOrContent, ReferenceOr, RequestBody, Response as SpecResponse,
    SecurityScheme, StatusCode,
};

use crate::error::{SpecError, pointer_push};
use crate::load::LoadedSpec;
use crate::report::Report;
use crate::ir::{
    Api, Auth, Body, BodyKind, CredentialKind, Group, Length, Operation, Param, ParamLocation, ParamsStruct, PathPart,
    Response, TypeRef,
};
use crate::naming::{Namespace, camel_ident, method_ident, snake_ident};
use schema::{Node, RESERVED_TYPE_NAMES, SchemaLowerer, View, component_name};

pub use schema::UNKNOWN_VARIANT;

/// Methods of the runtime's `Client`; a group accessor must not take one of these names.
const CLIENT_METHODS: &[&str] =
    &["new", "builder", "from_env", "base_url", "credential_kind", "request", "clone", "fmt"];

/// Methods every group struct has besides its operations.
const GROUP_METHODS: &[&str] = &["new"];

/// Argument and local names the generated method body uses itself.
const METHOD_LOCALS: &[&str] = &["self", "params", "body", "request"];

/// Group used for operations without tags.
const UNTAGGED: &str = "default";

/// Lowers a loaded spec into the IR.
pub fn lower(loaded: &LoadedSpec) -> Result<Api, SpecError> {
    lower_with_report(loaded).map(|(api, _)| api)
}

/// Lowers a loaded spec into the IR, with the warnings and fallbacks noted on the way.
pub fn lower_with_report(loaded: &LoadedSpec) -> Result<(Api, Report), SpecError> {
    let api = &loaded.api;
    let mut lowerer = Lowerer { api, raw: &loaded.raw, schemas: SchemaLowerer::new(api) };
    let groups = lowerer.lower_groups()?;
    let ir = Api {
        title: api.info.title.clone(),
        description: api.info.description.clone(),
        version: api.info.version.clone(),
        base_url: api.servers.first().map(|s| s.url.clone()),
        groups,
        types: lowerer.schemas.types,
    };
    Ok((ir, lowerer.schemas.report))
}

struct Lowerer<'a> {
    api: &'a OpenAPI,
    /// The document as written, for what `openapiv3` normalizes (the case of `2xx` keys).
    raw: &'a serde_json::Value,
    schemas: SchemaLowerer<'a>,
}

/// An operation found in `paths`, before lowering.
struct Found<'a> {
    path: &'a str,
    method: &'a str,
    op: &'a openapiv3::Operation,
    path_params: &'a [ReferenceOr<Parameter>],
    pointer: String,
}

impl<'a> Lowerer<'a> {
    fn lower_groups(&mut self) -> Result<Vec<Group>, SpecError> {
        let mut found_by_tag: IndexMap<&'a str, Vec<Found<'a>>> = IndexMap::new();
        let mut operation_ids: HashMap<&'a str, String> = HashMap::new();
        for (path, item) in &self.api.paths.paths {
            let paths_pointer = pointer_push("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    return Err(SpecError::unsupported(
                        pointer_push(&paths_pointer, "$ref"),
                        format!("path item $ref `{reference}` is not supported"),
                    ));
                }
            };
            for (method, op) in item.iter() {
                let pointer = pointer_push(&paths_pointer, method);
                if let Some(id) = op.operation_id.as_deref() {
                    if let Some(first) = operation_ids.insert(id, pointer.clone()) {
                        return Err(SpecError::invalid(
                            pointer_push(&pointer, "operationId"),
                            format!("operationId `{id}` is already used at {first}"),
                        ));
                    }
                }
                let tag = op.tags.first().map(String::as_str).unwrap_or(UNTAGGED);
                found_by_tag.entry(tag).or_default().push(Found { path, method, op, path_params: &item.parameters, pointer });
            }
        }

        let tag_docs: HashMap<&str, &str> =
            self.api.tags.iter().filter_map(|t| Some((t.name.as_str(), t.description.as_deref()?))).collect();
        let mut modules = Namespace::with_reserved(CLIENT_METHODS);
        let mut groups = Vec::with_capacity(found_by_tag.len());
        for (tag, found) in found_by_tag {
            // Tags are titles ("OAuth Clients"); lower-casing first keeps acronyms as one word.
            let lower_tag = tag.to_lowercase();
            let module = modules.claim(snake_ident(&lower_tag));
            let mut methods = Namespace::with_reserved(GROUP_METHODS);
            let mut operations = Vec::with_capacity(found.len());
            for f in found {
                operations.push(self.lower_operation(&f, tag, &mut methods)?);
            }
            groups.push(Group {
                tag: tag.to_owned(),
                description: tag_docs.get(tag).map(|d| (*d).to_owned()),
                // The struct sits beside the method bodies, so it must not shadow the prelude.
                struct_name: Namespace::with_reserved(RESERVED_TYPE_NAMES).claim(camel_ident(&lower_tag)),
                module,
                operations,
            });
        }
        Ok(groups)
    }

    fn lower_operation(&mut self, f: &Found<'a>, tag: &str, methods: &mut Namespace) -> Result<Operation, SpecError> {
        let operation_id = match &f.op.operation_id {
            Some(id) => id.clone(),
            None => format!("{}{}", f.method, f.path),
        };
        let method_name = methods.claim(method_ident(&operation_id, tag));
        let type_prefix = camel_ident(&operation_id);

        let mut locals = Namespace::with_reserved(METHOD_LOCALS);
        let params = self.lower_parameters(f, &type_prefix, &mut locals)?;
        let (path_params, other): (Vec<Param>, Vec<Param>) =
            params.into_iter().partition(|p| p.location == ParamLocation::Path);
        let (path_parts, path_params) = split_path(f.path, path_params, &f.pointer)?;
        let params = if other.is_empty() {
            None
        } else {
            Some(ParamsStruct { type_name: self.schemas.claim_type_name(&format!("{type_prefix}Params")), fields: other })
        };

        let body = match &f.op.request_body {
            Some(body) => self.lower_body(body, &pointer_push(&f.pointer, "requestBody"), &type_prefix)?,
            None => None,
        };
        let (response, error_responses) = self.lower_responses(f, &type_prefix)?;
        let auth = self.lower_auth(f)?;

        Ok(Operation {
            operation_id,
            method_name,
            http_method: f.method.to_ascii_uppercase(),
            path: f.path.to_owned(),
            path_parts,
            path_params,
            params,
            body,
            response,
            auth,
            summary: f.op.summary.clone(),
            description: f.op.description.clone(),
            error_responses,
            deprecated: f.op.deprecated,
        })
    }

    /// Path-item parameters merged with the operation's (the operation's win), in spec order.
    fn lower_parameters(&mut self, f: &Found<'a>, type_prefix: &str, locals: &mut Namespace) -> Result<Vec<Param>, SpecError> {
        let mut merged: IndexMap<(String, &'static str), (&'a ParameterData, ParamLocation, String)> = IndexMap::new();
        let sources = [
            (f.path_params, pointer_push(&pointer_push("/paths", f.path), "parameters")),
            (f.op.parameters.as_slice(), pointer_push(&f.pointer, "parameters")),
        ];
        for (list, list_pointer) in sources {
            for (i, param) in list.iter().enumerate() {
                let at = pointer_push(&list_pointer, &i.to_string());
                let parameters = self.api.components.as_ref().map(|c| &c.parameters);
                let (param, at) = resolve_component(param, parameters, "parameters", &at)?;
                let (data, location, place) = match param {
                    Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path, "path"),
                    Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query, "query"),
                    Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header, "header"),
                    Parameter::Cookie { .. } => {
                        return Err(SpecError::unsupported(at, "cookie parameters are not supported"));
                    }
                };
                if data.name.is_empty() {
                    return Err(SpecError::invalid(pointer_push(&at, "name"), "parameter name is empty"));
                }
                merged.insert((data.name.clone(), place), (data, location, at));
            }
        }
        let mut params = Vec::with_capacity(merged.len());
        for ((name, _), (data, location, at)) in merged {
            if location == ParamLocation::Path && !f.path.contains(&format!("{{{name}}}")) {
                return Err(SpecError::invalid(
                    at,
                    format!("path parameter `{name}` is declared but `{}` has no `{{{name}}}`", f.path),
                ));
            }
            let hint = format!("{type_prefix}{}", camel_ident(&name));
            let (lowered, schema_doc) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let at = pointer_push(&at, "schema");
                    let lowered = self.schemas.lower(Node::of(schema), &at, &hint)?;
                    (lowered, self.schemas.doc_of(Node::of(schema), &at)?)
                }
                ParameterSchemaOrContent::Content(_) => {
                    (schema::Lowered { ty: TypeRef::Json, nullable: false, length: Length::default() }, None)
                }
            };
            let required = data.required || location == ParamLocation::Path;
            params.push(Param {
                rust_name: locals.claim(snake_ident(&name)),
                wire_name: name,
                location,
                required,
                ty: self.parameter_type(lowered.ty, location),
                length: lowered.length,
                description: data.description.clone().or(schema_doc),
            });
        }
        Ok(params)
    }

    fn lower_body(&mut self, body: &'a ReferenceOr<RequestBody>, at: &str, type_prefix: &str) -> Result<Option<Body>, SpecError> {
        let bodies = self.api.components.as_ref().map(|c| &c.request_bodies);
        let (body, at) = resolve_component(body, bodies, "requestBodies", at)?;
        let content = pointer_push(&at, "content");
        if let Some(media) = body.content.keys().find(|media| !is_header_value(media)) {
            // The runtime sends it with `HeaderValue::from_static`, which would panic.
            return Err(SpecError::unsupported(
                pointer_push(&content, media),
                format!("media type {media:?} cannot be sent as a Content-Type header (only visible ASCII is allowed)"),
            ));
        }
        let kind_and_type = match body.content.iter().find(|(media, _)| is_json(media)) {
            Some((media, media_type)) => {
                let kind = match &media_type.schema {
                    Some(schema) => {
                        let at = pointer_push(&pointer_push(&content, media), "schema");
                        let lowered = self.schemas.lower(Node::of(schema), &at, &format!("{type_prefix}Body"))?;
                        BodyKind::Json(lowered.ty)
                    }
                    None => BodyKind::Json(TypeRef::Json),
                };
                Some((kind, media.clone()))
            }
            None => body.content.keys().next().map(|media| (BodyKind::Raw, media.clone())),
        };
        Ok(kind_and_type.map(|(kind, media_type)| Body {
            media_type,
            kind,
            required: body.required,
            description: body.description.clone(),
        }))
    }

    /// The first 2xx response decides the return type; the others are listed in the docs.
    fn lower_responses(&mut self, f: &Found<'a>, type_prefix: &str) -> Result<(Response, Vec<(String, String)>), SpecError> {
        let responses = self.api.components.as_ref().map(|c| &c.responses);
        let responses_pointer = pointer_push(&f.pointer, "responses");
        let mut success = None;
        let mut errors = Vec::new();
        // `openapiv3` prints ranges as `4XX`; pointers and docs use the key as the spec writes it.
        let written_keys = self.raw.pointer(&responses_pointer).and_then(serde_json::Value::as_object);
        for (status, response) in &f.op.responses.responses {
            let key = status.to_string();
            let key = written_keys.and_then(|keys| keys.keys().find(|k| k.eq_ignore_ascii_case(&key)).cloned()).unwrap_or(key);
            let at = pointer_push(&responses_pointer, &key);
            let (response, at) = resolve_component(response, responses, "responses", &at)?;
            let is_success = match status {
                StatusCode::Code(code) => (200..300).contains(code),
                StatusCode::Range(range) => *range == 2,
            };
            if is_success && success.is_none() {
                success = Some((response, at));
            } else if !is_success {
                errors.push((key, response.description.clone()));
            }
        }
        if let Some(default) = &f.op.responses.default {
            let at = pointer_push(&responses_pointer, "default");
            let (response, resolved_at) = resolve_component(default, responses, "responses", &at)?;
            if success.is_none() && errors.is_empty() {
                // `default` alone describes every response, success included.
                success = Some((response, resolved_at));
            } else {
                errors.push(("default".to_owned(), response.description.clone()));
            }
        }
        let response = match success {
            Some((response, at)) => self.lower_success(response, &at, type_prefix)?,
            None => Response::Empty,
        };
        Ok((response, errors))
    }

    fn lower_success(&mut self, response: &'a SpecResponse, at: &str, type_prefix: &str) -> Result<Response, SpecError> {
        let Some((media, media_type)) = response.content.iter().find(|(media, _)| is_json(media)) else {
            return Ok(if response.content.is_empty() { Response::Empty } else { Response::Bytes });
        };
        let Some(schema) = &media_type.schema else {
            return Ok(Response::Json(TypeRef::Json));
        };
        let at = pointer_push(&pointer_push(&pointer_push(at, "content"), media), "schema");
        let node = Node::of(schema);
        let (resolved, resolved_pointer, _) = self.schemas.deref(node, &at)?;
        let merged = self.schemas.merge_object(&View::of(resolved), &resolved_pointer, &[])?;
        let is_envelope = merged.properties.contains_key("success") && merged.properties.contains_key("errors");
        if !is_envelope {
            let lowered = self.schemas.lower(node, &at, &format!("{type_prefix}Response"))?;
            return Ok(Response::Json(lowered.ty));
        }
        match merged.properties.get("result") {
            Some((result, result_pointer)) => {
                let lowered = self.schemas.lower(*result, result_pointer, &format!("{type_prefix}Result"))?;
                Ok(Response::Envelope { result: Some(lowered.ty), nullable: lowered.nullable })
            }
            None => Ok(Response::Envelope { result: None, nullable: true }),
        }
    }

    /// Parameters are sent as text: scalars and string enums as themselves, arrays of those as
    /// repeated values, anything else as JSON text (the documented fallback).
    /// A path segment is text whatever the schema says, so a free-form path parameter (often an
    /// empty schema `{}`) is a string rather than JSON.
    fn parameter_type(&self, ty: TypeRef, location: ParamLocation) -> TypeRef {
        let is_scalar = |ty: &TypeRef| match ty {
            TypeRef::String | TypeRef::Integer | TypeRef::Number | TypeRef::Boolean => true,
            TypeRef::Named(name) => self.schemas.is_enum(name),
            _ => false,
        };
        match ty {
            TypeRef::Array(item) if is_scalar(&item) => TypeRef::Array(item),
            ty if is_scalar(&ty) => ty,
            _ if location == ParamLocation::Path => TypeRef::String,
            _ => TypeRef::Json,
        }
    }

    /// Maps the security requirements onto the credential kinds the runtime knows.
    fn lower_auth(&self, f: &Found<'a>) -> Result<Auth, SpecError> {
        // The operation's own requirements replace the document's; errors point where they are.
        let (requirements, security_pointer) = match (&f.op.security, &self.api.security) {
            (Some(own), _) => (own, pointer_push(&f.pointer, "security")),
            (None, Some(global)) => (global, "/security".to_owned()),
            (None, None) => return Ok(Auth::Any),
        };
        if requirements.is_empty() {
            return Ok(Auth::None);
        }
        let schemes = self.api.components.as_ref().map(|c| &c.security_schemes);
        let mut kinds = Vec::new();
        // Set when a requirement is not a kind the runtime knows; every name is still checked.
        let mut any = false;
        for (i, requirement) in requirements.iter().enumerate() {
            let mut headers = Vec::new();
            let mut bearer = false;
            for name in requirement.keys() {
                match schemes.and_then(|s| s.get(name)) {
                    Some(ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })) if scheme.eq_ignore_ascii_case("bearer") => {
                        bearer = true
                    }
                    Some(ReferenceOr::Item(SecurityScheme::APIKey { location: openapiv3::APIKeyLocation::Header, name, .. })) => {
                        headers.push(name.to_ascii_lowercase())
                    }
                    Some(_) => any = true,
                    None => {
                        let at = pointer_push(&pointer_push(&security_pointer, &i.to_string()), name);
                        return Err(SpecError::invalid(at, format!("security scheme `{name}` is not defined in components.securitySchemes")));
                    }
                }
            }
            headers.sort();
            let kind = match (bearer, headers.iter().map(String::as_str).collect::<Vec<_>>().as_slice()) {
                (true, []) => CredentialKind::ApiToken,
                (false, ["x-auth-email", "x-auth-key"]) => CredentialKind::ApiKey,
                (false, ["x-auth-user-service-key"]) => CredentialKind::UserServiceKey,
                // An empty requirement makes auth optional; anything else is not a kind we know.
                _ => {
                    any = true;
                    continue;
                }
            };
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        Ok(if any { Auth::Any } else { Auth::OneOf(kinds) })
    }
}

/// Follows a `$ref` to `#/components/<section>/<name>` (parameters, request bodies, responses):
/// the item and the pointer where it is written, so errors inside it point into `components`.
fn resolve_component<'a, T>(
    item: &'a ReferenceOr<T>,
    components: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    section: &str,
    at: &str,
) -> Result<(&'a T, String), SpecError> {
    let reference = match item {
        ReferenceOr::Item(item) => return Ok((item, at.to_owned())),
        ReferenceOr::Reference { reference } => reference,
    };
    let name = component_name(reference, section, at)?;
    match components.and_then(|c| c.get(name)) {
        Some(ReferenceOr::Item(item)) => Ok((item, pointer_push(&format!("/components/{section}"), name))),
        Some(ReferenceOr::Reference { .. }) => {
            Err(SpecError::unsupported(at, format!("$ref `{reference}` points to another $ref")))
        }
        None => {
            let what = match section {
                "parameters" => "parameter",
                "requestBodies" => "request body",
                _ => "response",
            };
            Err(SpecError::invalid(at, format!("$ref `{reference}` points to no {what}")))
        }
    }
}

/// Splits `/a/{x}/b` into literals and parameters, checking both sides match.
fn split_path(path: &str, params: Vec<Param>, pointer: &str) -> Result<(Vec<PathPart>, Vec<Param>), SpecError> {
    let mut parts = Vec::new();
    let mut ordered: Vec<Param> = Vec::with_capacity(params.len());
    let mut remaining = params;
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            return Err(SpecError::invalid(pointer, format!("path `{path}` has an unclosed `{{`")));
        };
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        if let Some(index) = ordered.iter().position(|p| p.wire_name == name) {
            // The same parameter twice in one template (Cloudflare has such paths): one argument.
            parts.push(PathPart::Param(index));
        } else if let Some(index) = remaining.iter().position(|p| p.wire_name == name) {
            ordered.push(remaining.remove(index));
            parts.push(PathPart::Param(ordered.len() - 1));
        } else {
            return Err(SpecError::invalid(pointer, format!("path `{path}` uses `{{{name}}}` but no path parameter `{name}` is declared")));
        }
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    if let Some(extra) = remaining.first() {
        return Err(SpecError::invalid(
            pointer,
            format!("path parameter `{}` is declared but `{path}` has no `{{{}}}`", extra.wire_name, extra.wire_name),
        ));
    }
    Ok((parts, ordered))
}

/// Whether `text` is a valid HTTP header value that `HeaderValue::from_static` accepts: visible
/// ASCII, spaces and tabs.
fn is_header_value(text: &str) -> bool {
    text.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}
