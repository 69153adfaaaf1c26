//! The response examples of a spec, paired with the type each must decode into: the material of
//! the generated example checks ([`crate::example_checks`]), not part of the client.

use openapiv3::{ReferenceOr, StatusCode};

use super::{is_json, resolve_component};
use crate::error::{SpecError, pointer_push};
use crate::ir::{Api, ExampleCheck, Response};
use crate::load::LoadedSpec;

/// Every `example` and `examples[*].value` of the success response of every operation of `ir`
/// (the response the operation's method returns), with the type to decode it into.
pub fn response_examples(loaded: &LoadedSpec, ir: &Api) -> Result<Vec<ExampleCheck>, SpecError> {
    let api = &loaded.api;
    let mut checks = Vec::new();
    let operations = ir.areas.iter().flat_map(|a| a.operations.iter().chain(a.resources.iter().flat_map(|r| &r.operations)));
    for op in operations {
        let (result, envelope, nullable) = match &op.response {
            Response::Envelope { result: Some(ty), nullable, .. } => (ty, true, *nullable),
            Response::Json(ty) => (ty, false, false),
            Response::Envelope { result: None, .. } | Response::Bytes | Response::Empty => continue,
        };
        let method = op.http_method.to_ascii_lowercase();
        let Some(ReferenceOr::Item(item)) = api.paths.paths.get(&op.path) else { continue };
        let Some((_, spec_op)) = item.iter().find(|(m, _)| *m == method) else { continue };
        let responses_at = pointer_push(&pointer_push(&pointer_push("/paths", &op.path), &method), "responses");
        // The same choice as the lowering: the first 2xx, else a lone `default`.
        let success = spec_op.responses.responses.iter().find(|(status, _)| match status {
            StatusCode::Code(code) => (200..300).contains(code),
            StatusCode::Range(range) => *range == 2,
        });
        let (response, at) = match (success, &spec_op.responses.default) {
            (Some((status, response)), _) => (response, pointer_push(&responses_at, &written_key(loaded, &responses_at, status))),
            (None, Some(default)) if spec_op.responses.responses.is_empty() => (default, pointer_push(&responses_at, "default")),
            _ => continue,
        };
        let components = api.components.as_ref();
        let (response, at) = resolve_component(response, components.map(|c| &c.responses), &loaded.refs, &at)?;
        let Some((media, content)) = response.content.iter().find(|(media, _)| is_json(media)) else { continue };
        let media_at = pointer_push(&pointer_push(&at, "content"), media);
        let mut found = Vec::new();
        if let Some(value) = &content.example {
            found.push((pointer_push(&media_at, "example"), value));
        }
        for (name, example) in &content.examples {
            let example_at = pointer_push(&pointer_push(&media_at, "examples"), name);
            let (example, example_at) = match example {
                ReferenceOr::Item(example) => (example, example_at),
                ReferenceOr::Reference { reference } => {
                    // Only `#/components/examples/<name>`; an example elsewhere is not checked.
                    let Some(name) = reference.strip_prefix("#/components/examples/") else { continue };
                    let Some(ReferenceOr::Item(example)) = components.and_then(|c| c.examples.get(name)) else { continue };
                    (example, pointer_push("/components/examples", name))
                }
            };
            if let Some(value) = &example.value {
                found.push((pointer_push(&example_at, "value"), value));
            }
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

/// The status key as the spec writes it (`openapiv3` prints ranges as `2XX`).
fn written_key(loaded: &LoadedSpec, responses_at: &str, status: &StatusCode) -> String {
    let key = status.to_string();
    let written = loaded.raw.pointer(responses_at).and_then(serde_json::Value::as_object);
    written.and_then(|keys| keys.keys().find(|k| k.eq_ignore_ascii_case(&key)).cloned()).unwrap_or(key)
}
