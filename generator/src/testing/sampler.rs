//! Values synthesized from schemas (raw JSON), for the test material: call arguments, response
//! examples where the spec gives none, and the mock server's answers.

use serde_json::{Map, Value};

use crate::lower::document::follow;
use crate::pointer::Pointer;

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
            let target = Pointer::from_ref(reference).ok()?.find(self.document)?;
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
