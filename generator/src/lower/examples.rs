//! The response examples of a spec, paired with the type each must decode into: the material of
//! the generated example checks ([`crate::example_checks`]), not part of the client.
//!
//! Two kinds: the examples written for a response (`example`, `examples`), and, where a response
//! has none, one synthesized from its schema the way a mock server answers from a spec: each
//! schema's `example`, else its `default`, else its first `enum` value, else a placeholder of its
//! type (`"string"`, `0`, `true`); every property that is not `writeOnly`, one item per array, the
//! first member of a `oneOf`/`anyOf`. Property-level examples of the wrong JSON type (a port
//! written `"5432"`) show up there.

use openapiv3::{MediaType, ReferenceOr, StatusCode};
use serde_json::{Map, Value};

use super::{is_json, resolve_component};
use crate::error::{SpecError, pointer_push};
use crate::ir::{self, Api, ExampleCheck, Response};
use crate::load::LoadedSpec;

/// Every `example` and `examples[*].value` of the success response of every operation of `ir`
/// (the response the operation's method returns), with the type to decode it into.
pub fn response_examples(loaded: &LoadedSpec, ir: &Api) -> Result<Vec<ExampleCheck>, SpecError> {
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
        let synthesized;
        if found.is_empty() {
            let schema_at = pointer_push(&media_at, "schema");
            let sampler = Sampler::new(&loaded.raw, Direction::Response);
            let Some(value) = loaded.raw.pointer(&schema_at).and_then(|schema| sampler.sample(schema, &[])) else {
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
/// the lowering, the first 2xx response, else a lone `default`.
fn success_json_media<'a>(loaded: &'a LoadedSpec, op: &ir::Operation) -> Result<Option<(&'a MediaType, String)>, SpecError> {
    let method = op.http_method.to_ascii_lowercase();
    let Some(ReferenceOr::Item(item)) = loaded.api.paths.paths.get(&op.path) else { return Ok(None) };
    let Some((_, spec_op)) = item.iter().find(|(m, _)| *m == method) else { return Ok(None) };
    let responses_at = pointer_push(&pointer_push(&pointer_push("/paths", &op.path), &method), "responses");
    let success = spec_op.responses.responses.iter().find(|(status, _)| match status {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    });
    let (response, at) = match (success, &spec_op.responses.default) {
        (Some((status, response)), _) => (response, pointer_push(&responses_at, &written_key(loaded, &responses_at, status))),
        (None, Some(default)) if spec_op.responses.responses.is_empty() => (default, pointer_push(&responses_at, "default")),
        _ => return Ok(None),
    };
    let responses = loaded.api.components.as_ref().map(|c| &c.responses);
    let (response, at) = resolve_component(response, responses, &loaded.refs, &at)?;
    let Some((media, content)) = response.content.iter().find(|(media, _)| is_json(media)) else { return Ok(None) };
    Ok(Some((content, pointer_push(&pointer_push(&at, "content"), media))))
}

/// The status key as the spec writes it (`openapiv3` prints ranges as `2XX`).
fn written_key(loaded: &LoadedSpec, responses_at: &str, status: &StatusCode) -> String {
    let key = status.to_string();
    let written = loaded.raw.pointer(responses_at).and_then(serde_json::Value::as_object);
    written.and_then(|keys| keys.keys().find(|k| k.eq_ignore_ascii_case(&key)).cloned()).unwrap_or(key)
}

/// Deeper schemas than this are sampled as absent (a backstop; recursion ends at a `$ref` that is
/// already being sampled).
const MAX_SAMPLE_DEPTH: usize = 64;

/// Which way a sampled value travels: a request leaves out what only the server sets
/// (`readOnly`), a response what only the client sends (`writeOnly`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Request,
    Response,
}

/// Synthesizes a value from a schema (raw JSON), preferring what the spec's authors wrote, and
/// within the schema's constraints where it has to make one up (format, length, bounds).
pub(crate) struct Sampler<'a> {
    document: &'a Value,
    direction: Direction,
}

impl<'a> Sampler<'a> {
    pub(crate) fn new(document: &'a Value, direction: Direction) -> Self {
        Sampler { document, direction }
    }

    /// `None` when the schema gives nothing to go on (`{}`) or is one being sampled already (an
    /// optional recursive property is left out, a recursive array is empty).
    pub(crate) fn sample(&self, schema: &'a Value, path: &[&'a str]) -> Option<Value> {
        if path.len() > MAX_SAMPLE_DEPTH {
            return None;
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            if path.contains(&reference) {
                return None;
            }
            let target = reference.strip_prefix('#').and_then(|p| self.document.pointer(p))?;
            return self.sample(target, &[path, &[reference]].concat());
        }
        for keyword in ["example", "default"] {
            // An integer example beyond 64 bits (a spec mistake the generator survives) cannot
            // be decoded by the integer type it gets: fall back to a synthesized value.
            let out_of_range = |value: &Value| {
                schema.get("type").and_then(Value::as_str) == Some("integer") && value.is_number() && !value.is_i64() && !value.is_u64()
            };
            if let Some(value) = schema.get(keyword).filter(|value| !out_of_range(value)) {
                return Some(value.clone());
            }
        }
        if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|values| values.first()) {
            return Some(first.clone());
        }
        if let Some(all_of) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            let mut sampled = has_properties(schema);
            for member in all_of {
                match self.sample(member, path) {
                    Some(Value::Object(object)) => {
                        merge_into(&mut merged, object);
                        sampled = true;
                    }
                    Some(other) if merged.is_empty() && !has_properties(schema) => return Some(other),
                    _ => {}
                }
            }
            // Members that could not be sampled (a cycle back to a schema being sampled) leave
            // nothing to show: an empty object would be a made-up value.
            if !sampled {
                return None;
            }
            merge_into(&mut merged, self.properties(schema, path));
            return Some(Value::Object(merged));
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(members) = schema.get(keyword).and_then(Value::as_array) {
                let first = members.iter().find_map(|m| self.sample(m, path));
                return match first {
                    Some(Value::Object(mut object)) => {
                        object.extend(self.properties(schema, path));
                        Some(Value::Object(object))
                    }
                    // Members that only constrain the schema's own properties (`anyOf: [{required:
                    // [a]}, {required: [b]}]`): a sample of all of them meets any member.
                    None if has_properties(schema) => Some(Value::Object(self.properties(schema, path))),
                    other => other,
                };
            }
        }
        // A schema without a `type` is of the type its keywords speak of (`items`: a list).
        let kind = schema.get("type").and_then(Value::as_str).or_else(|| schema.get("items").map(|_| "array"));
        match kind {
            Some("string") => Some(Value::from(placeholder_string(schema))),
            Some(kind @ ("integer" | "number")) => Some(placeholder_number(schema, kind == "integer")),
            Some("boolean") => Some(Value::Bool(true)),
            Some("array") => {
                let item = schema.get("items").and_then(|items| self.sample(items, path));
                let count = schema.get("minItems").and_then(Value::as_u64).unwrap_or(1).clamp(1, 16) as usize;
                Some(Value::Array(item.map(|item| vec![item; count]).unwrap_or_default()))
            }
            Some("object") => Some(Value::Object(self.properties(schema, path))),
            _ if has_properties(schema) => Some(Value::Object(self.properties(schema, path))),
            // `{}` (with at most words about it) allows anything: an empty object is one thing.
            _ if schema.as_object().is_some_and(|s| s.keys().all(|k| matches!(k.as_str(), "description" | "title"))) => Some(Value::Object(Map::new())),
            _ => None,
        }
    }

    /// A sample of each property the schema declares itself that travels this way: a response
    /// never carries `writeOnly` properties, a request no `readOnly` ones.
    fn properties(&self, schema: &'a Value, path: &[&'a str]) -> Map<String, Value> {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else { return Map::new() };
        let left_out = match self.direction {
            Direction::Response => "writeOnly",
            Direction::Request => "readOnly",
        };
        properties
            .iter()
            .filter(|(_, property)| !self.flagged(property, left_out))
            .filter_map(|(name, property)| {
                // A nullable property that cannot be sampled (a cycle) is null.
                let nullable = property.get("nullable") == Some(&Value::Bool(true));
                let value = self.sample(property, path).or_else(|| nullable.then_some(Value::Null))?;
                Some((name.clone(), value))
            })
            .collect()
    }

    /// Whether `schema`, or a schema it refers to, sets `keyword` to true.
    fn flagged(&self, schema: &Value, keyword: &str) -> bool {
        schema.get(keyword) == Some(&Value::Bool(true)) || follow(self.document, schema).get(keyword) == Some(&Value::Bool(true))
    }
}

/// A string of the schema's `format`, else `string` stretched or cut to its length bounds.
fn placeholder_string(schema: &Value) -> String {
    let by_format = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => "2024-01-01T00:00:00Z",
        Some("date") => "2024-01-01",
        Some("time") => "00:00:00Z",
        Some("uuid") => "f174e90a-fafe-4643-bbbc-4a0ed4fc8415",
        Some("email") => "user@example.com",
        Some("uri" | "url" | "uri-reference") => "https://example.com/",
        Some("hostname") => "example.com",
        Some("ipv4") => "192.0.2.1",
        Some("ipv6") => "2001:db8::1",
        _ => "",
    };
    if !by_format.is_empty() {
        return by_format.to_owned();
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0).min(1024) as usize;
    let max = schema.get("maxLength").and_then(Value::as_u64).map_or(usize::MAX, |m| m as usize);
    let mut text = String::from("string");
    while text.len() < min {
        text.push('x');
    }
    text.truncate(max.max(min));
    text
}

/// Zero moved into the schema's bounds (`minimum`/`maximum`, exclusive or not).
fn placeholder_number(schema: &Value, integer: bool) -> Value {
    let bound = |keyword: &str| schema.get(keyword).and_then(Value::as_f64);
    let exclusive = |keyword: &str, bound: Option<f64>| match schema.get(keyword) {
        Some(Value::Bool(true)) => bound,
        Some(value) => value.as_f64(),
        None => None,
    };
    let step = if integer { 1.0 } else { 0.5 };
    let mut value: f64 = 0.0;
    if let Some(min) = bound("minimum") {
        value = value.max(min);
    }
    if let Some(min) = exclusive("exclusiveMinimum", bound("minimum")) {
        value = value.max(min + step);
    }
    if let Some(max) = bound("maximum") {
        value = value.min(max);
    }
    if let Some(max) = exclusive("exclusiveMaximum", bound("maximum")) {
        value = value.min(max - step);
    }
    if integer && value.fract() == 0.0 && value.abs() < 9.0e15 {
        Value::from(value as i64)
    } else {
        serde_json::Number::from_f64(value).map_or(Value::from(0), Value::Number)
    }
}

/// Merges the sample of one `allOf` member into those of the members before it, as the schemas
/// themselves combine: an object property that two members declare holds what both say of it, and
/// so do the items of a list (`data: [{dimensions}]` and `data: [{metrics}]` are one row with
/// both). Any other value is replaced by the later member's.
fn merge_into(merged: &mut Map<String, Value>, sample: Map<String, Value>) {
    for (name, value) in sample {
        match (merged.get_mut(&name), value) {
            (Some(Value::Object(before)), Value::Object(after)) => merge_into(before, after),
            (Some(Value::Array(before)), Value::Array(after)) if before.len() == after.len() => {
                for (item, later) in before.iter_mut().zip(after) {
                    match (item, later) {
                        (Value::Object(item), Value::Object(later)) => merge_into(item, later),
                        (item, later) => *item = later,
                    }
                }
            }
            (_, value) => {
                merged.insert(name, value);
            }
        }
    }
}

fn has_properties(schema: &Value) -> bool {
    schema.get("properties").is_some_and(Value::is_object)
}

/// Values for one generated call of an operation: one for each positional input of its method
/// (path parameters, then required query and header parameters, as [`ir::Operation`] orders
/// them), and the body when the method takes one. Taken from the spec's examples where it has
/// them, synthesized within the schema's constraints where not (see [`Sampler`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CallInputs {
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
pub fn call_inputs(loaded: &LoadedSpec, op: &ir::Operation) -> CallInputs {
    let raw = &loaded.raw;
    let sampler = Sampler::new(raw, Direction::Request);
    let method = op.http_method.to_ascii_lowercase();
    let op_at = pointer_push(&pointer_push("/paths", &op.path), &method);
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
        let content = raw
            .pointer(&format!("{op_at}/requestBody"))
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

/// The parameters the document declares for the operation `method` (lower case) of `path`, their
/// `$ref`s followed: the operation's first (they override the path item's of the same name), then
/// the path item's.
pub(crate) fn declared_parameters<'v>(raw: &'v Value, path: &str, method: &str) -> Vec<&'v Value> {
    let item_at = pointer_push("/paths", path);
    let op_at = pointer_push(&item_at, method);
    [op_at, item_at]
        .iter()
        .filter_map(|at| raw.pointer(&format!("{at}/parameters")).and_then(Value::as_array))
        .flatten()
        .map(|p| follow(raw, p))
        .collect()
}

/// The parameter of `declared` named `name` in `location` (`path`, `query`, `header`).
pub(crate) fn find_parameter<'v>(declared: &[&'v Value], name: &str, location: &str) -> Option<&'v Value> {
    declared.iter().copied().find(|p| p.get("name").and_then(Value::as_str) == Some(name) && p.get("in").and_then(Value::as_str) == Some(location))
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

/// Follows local `$ref`s to the node they name (the node itself when it is none, or the ref
/// cannot be followed).
pub(crate) fn follow<'a>(document: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..MAX_SAMPLE_DEPTH {
        let target = node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')).and_then(|p| document.pointer(p));
        match target {
            Some(target) => node = target,
            None => break,
        }
    }
    node
}
