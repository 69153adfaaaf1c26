//! The values of one call of each operation, for the mock calls ([`super::mock_calls()`]): taken
//! from the spec's examples where it has them, synthesized from the schemas where not.

use serde_json::Value;

use super::response_examples::success_json_media;
use super::sampler::{Direction, Sampler};
use crate::pointer::Pointer;
use crate::ir;
use crate::load::LoadedSpec;
use crate::lower::document::{declared_parameters, find_parameter, follow};


/// Values for one generated call of an operation: one for each positional input of its method
/// (path parameters, then required query and header parameters, as [`ir::Operation`] orders
/// them), and the body when the method takes one. Taken from the spec's examples where it has
/// them, synthesized within the schema's constraints where not (see [`Sampler`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CallInputs {
    /// One value per positional parameter.
    pub args: Vec<Value>,
    /// The body's value (JSON, or the text of a raw body), when the operation has a body.
    pub body: Option<Value>,
    /// The names of the success response's `examples` after the first, each one an answer the
    /// generated type must decode too.
    pub other_examples: Vec<String>,
    /// For an operation at several scopes, the id of each (in the order of `Operation::scopes`).
    pub scope_ids: Vec<Value>,
}

/// The inputs of a call of `op` (see [`CallInputs`]).
pub(crate) fn call_inputs(loaded: &LoadedSpec, op: &ir::Operation) -> CallInputs {
    let raw = &loaded.raw;
    let sampler = Sampler::new(raw, Direction::Request);
    let method = op.http_method.to_ascii_lowercase();
    let declared = declared_parameters(raw, &op.path, &method);
    // A template variable nothing declares (a survived mistake) is a required string.
    let example = |spec: Option<&Value>| {
        spec.and_then(|spec| written_example(raw, spec).or_else(|| sampler.sample(spec.get("schema")?, &[])))
            .unwrap_or_else(|| Value::from("string"))
    };
    let positional = op.path_params.iter().chain(op.params.iter().filter(|p| p.required));
    let args = positional
        .map(|param| {
            let location = match param.location {
                ir::ParamLocation::Path => "path",
                ir::ParamLocation::Query => "query",
                ir::ParamLocation::Header => "header",
            };
            example(find_parameter(&declared, &param.wire_name, location))
        })
        .collect();
    let body = op.body.as_ref().map(|body| {
        let content = Pointer::from_tokens(["paths", op.path.as_str(), &method, "requestBody"])
            .find(raw)
            .map(|b| follow(raw, b))
            .and_then(|b| b.get("content"))
            .and_then(|c| c.get(&body.media_type))
            .map(|c| follow(raw, c));
        content
            .and_then(|c| written_example(raw, c).or_else(|| sampler.sample(c.get("schema")?, &[])))
            .unwrap_or(Value::Null)
    });
    let scope_ids = op
        .scopes
        .iter()
        .map(|scope| example(find_parameter(&declared_parameters(raw, &scope.path, &method), &scope.id.wire_name, "path")))
        .collect();
    CallInputs { args, body, other_examples: other_examples(loaded, op), scope_ids }
}

/// The names of the `examples` of the JSON success response of `op` (see
/// [`success_json_media`]), the first one left out.
fn other_examples(loaded: &LoadedSpec, op: &ir::Operation) -> Vec<String> {
    let media = success_json_media(loaded, op).ok().flatten();
    media.map(|(content, _)| content.examples.keys().skip(1).cloned().collect()).unwrap_or_default()
}

/// The `example`, or the first of the `examples`, that a parameter or media type gives.
fn written_example(document: &Value, holder: &Value) -> Option<Value> {
    if let Some(example) = holder.get("example") {
        return Some(example.clone());
    }
    let (_, first) = holder.get("examples")?.as_object()?.iter().next()?;
    follow(document, first).get("value").cloned()
}
