//! The response examples of a spec, paired with the type each must decode into: the material of
//! the generated example checks ([`crate::example_checks`]), not part of the client.
//!
//! Two kinds: the examples written for a response (`example`, `examples`), and, where a response
//! has none, one synthesized from its schema the way a mock server answers from a spec: each
//! schema's `example`, else its `default`, else its first `enum` value, else a placeholder of its
//! type (`"string"`, `0`, `true`); every property that is not `writeOnly`, one item per array, the
//! first member of a `oneOf`/`anyOf`. Property-level examples of the wrong JSON type (a port
//! written `"5432"`) show up there.

use openapiv3::{ReferenceOr, StatusCode};
use serde_json::{Map, Value};

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
        let synthesized;
        if found.is_empty() {
            let schema_at = pointer_push(&media_at, "schema");
            let Some(value) = loaded.raw.pointer(&schema_at).and_then(|schema| Sampler::new(&loaded.raw).sample(schema, &[])) else {
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

/// The status key as the spec writes it (`openapiv3` prints ranges as `2XX`).
fn written_key(loaded: &LoadedSpec, responses_at: &str, status: &StatusCode) -> String {
    let key = status.to_string();
    let written = loaded.raw.pointer(responses_at).and_then(serde_json::Value::as_object);
    written.and_then(|keys| keys.keys().find(|k| k.eq_ignore_ascii_case(&key)).cloned()).unwrap_or(key)
}

/// Deeper schemas than this are sampled as absent (a backstop; recursion ends at a `$ref` that is
/// already being sampled).
const MAX_SAMPLE_DEPTH: usize = 64;

/// Synthesizes a value from a schema (raw JSON), preferring what the spec's authors wrote.
struct Sampler<'a> {
    document: &'a Value,
}

impl<'a> Sampler<'a> {
    fn new(document: &'a Value) -> Self {
        Sampler { document }
    }

    /// `None` when the schema gives nothing to go on (`{}`) or is one being sampled already (an
    /// optional recursive property is left out, a recursive array is empty).
    fn sample(&self, schema: &'a Value, path: &[&'a str]) -> Option<Value> {
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
                        merged.extend(object);
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
            merged.extend(self.properties(schema, path));
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
                    other => other,
                };
            }
        }
        let format = schema.get("format").and_then(Value::as_str);
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => Some(Value::from(match format {
                Some("date-time") => "2024-01-01T00:00:00Z",
                Some("date") => "2024-01-01",
                _ => "string",
            })),
            Some("integer") | Some("number") => Some(Value::from(0)),
            Some("boolean") => Some(Value::Bool(true)),
            Some("array") => {
                let item = schema.get("items").and_then(|items| self.sample(items, path));
                Some(Value::Array(item.into_iter().collect()))
            }
            Some("object") => Some(Value::Object(self.properties(schema, path))),
            _ if has_properties(schema) => Some(Value::Object(self.properties(schema, path))),
            _ => None,
        }
    }

    /// A sample of each property the schema declares itself (not `writeOnly`: never returned).
    fn properties(&self, schema: &'a Value, path: &[&'a str]) -> Map<String, Value> {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else { return Map::new() };
        properties
            .iter()
            .filter(|(_, property)| property.get("writeOnly") != Some(&Value::Bool(true)))
            .filter_map(|(name, property)| {
                // A nullable property that cannot be sampled (a cycle) is null.
                let nullable = property.get("nullable") == Some(&Value::Bool(true));
                let value = self.sample(property, path).or_else(|| nullable.then_some(Value::Null))?;
                Some((name.clone(), value))
            })
            .collect()
    }
}

fn has_properties(schema: &Value) -> bool {
    schema.get("properties").is_some_and(Value::is_object)
}
