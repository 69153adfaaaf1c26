//! The response examples of a spec, paired with the type each must decode into: the material of
//! the example checks ([`super::example_checks()`]), not part of the client.
//!
//! Two kinds: the examples written for a response (`example`, `examples`), and, where a response
//! has none, one synthesized from its schema the way a mock server answers from a spec: each
//! schema's `example`, else its `default`, else its first `enum` value, else a placeholder of its
//! type (`"string"`, `0`, `true`); every property that is not `writeOnly`, one item per array, the
//! first member of a `oneOf`/`anyOf`. Property-level examples of the wrong JSON type (a port
//! written `"5432"`) show up there.

use openapiv3::{MediaType, ReferenceOr};

use super::sampler::{Direction, Sampler};
use crate::error::SpecError;
use crate::pointer::Pointer;
use crate::ir::{self, Api, Response, TypeRef};
use crate::load::LoadedSpec;
use crate::openapi;
use crate::lower::{is_json, resolve_component};

/// A response example and the type it must decode into.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExampleCheck {
    /// The operation whose response it exemplifies.
    pub operation_id: String,
    /// JSON pointer of the example in the spec.
    pub pointer: String,
    /// The example, as JSON text.
    pub json: String,
    /// The type the operation returns (the envelope's `result` when `envelope`).
    pub ty: TypeRef,
    /// Whether the example is a `{success, errors, result}` envelope to take `result` from.
    pub envelope: bool,
    /// Whether that `result` may be null or missing.
    pub nullable: bool,
}

/// Every `example` and `examples[*].value` of the success response of every operation of `ir`
/// (the response the operation's method returns), with the type to decode it into.
pub(crate) fn response_examples(loaded: &LoadedSpec, ir: &Api) -> Result<Vec<ExampleCheck>, SpecError> {
    let api = &loaded.api;
    let mut checks = Vec::new();
    for op in ir.operations() {
        let (result, envelope, nullable) = match &op.response {
            Response::Envelope { result: Some(ty), nullable, .. } => (ty, true, *nullable),
            Response::Json(ty) => (ty, false, false),
            Response::Envelope { result: None, .. } | Response::Bytes | Response::Empty => continue,
        };
        let Some((content, media_at)) = success_json_media(loaded, op)? else { continue };
        let components = api.components.as_ref();
        let mut found = Vec::new();
        if let Some(value) = &content.example {
            found.push((media_at.push("example").to_string(), value));
        }
        for (name, example) in &content.examples {
            let example_at = media_at.join(["examples", name]);
            let (example, example_at) = match example {
                ReferenceOr::Item(example) => (example, example_at),
                ReferenceOr::Reference { reference } => {
                    // Only `#/components/examples/<name>`; an example elsewhere is not checked.
                    let Ok(pointer) = Pointer::from_ref(reference) else { continue };
                    let Some(name) = pointer.component_name("examples") else { continue };
                    let Some(ReferenceOr::Item(example)) = components.and_then(|c| c.examples.get(name.as_ref())) else { continue };
                    (example, pointer)
                }
            };
            if let Some(value) = &example.value {
                found.push((example_at.push("value").to_string(), value));
            }
        }
        let synthesized;
        if found.is_empty() {
            let schema_at = media_at.push("schema");
            let sampler = Sampler::new(&loaded.raw, Direction::Response);
            let Some(value) = schema_at.find(&loaded.raw).and_then(|schema| sampler.sample(schema, &[])) else {
                continue;
            };
            synthesized = value;
            found.push((format!("{schema_at} (synthesized)"), &synthesized));
        }
        for (pointer, value) in found {
            checks.push(ExampleCheck {
                operation_id: op.operation_id.clone(),
                pointer,
                json: value.to_string(),
                ty: result.clone(),
                envelope,
                nullable,
            });
        }
    }
    Ok(checks)
}

/// The JSON media type of the success response of `op`, with its pointer: the same choice as
/// the lowering's (`openapi::success_response`).
pub(crate) fn success_json_media<'a>(loaded: &'a LoadedSpec, op: &ir::Operation) -> Result<Option<(&'a MediaType, Pointer)>, SpecError> {
    let method = op.http_method.to_ascii_lowercase();
    let Some(ReferenceOr::Item(item)) = loaded.api.paths.paths.get(&op.path) else { return Ok(None) };
    let Some((_, spec_op)) = item.iter().find(|(m, _)| *m == method) else { return Ok(None) };
    let responses_at = Pointer::from_tokens(["paths", op.path.as_str(), &method, "responses"]);
    let Some((status, response)) = openapi::success_response(&spec_op.responses) else { return Ok(None) };
    let written = responses_at.find(&loaded.raw).and_then(serde_json::Value::as_object);
    let at = responses_at.push(&openapi::written_status_key(written, status));
    let responses = loaded.api.components.as_ref().map(|c| &c.responses);
    let (response, at) = resolve_component(response, responses, &loaded.refs, &at)?;
    let Some((media, content)) = response.content.iter().find(|(media, _)| is_json(media)) else { return Ok(None) };
    Ok(Some((content, at.join(["content", media]))))
}

