//! The shapes of the OpenAPI objects the load steps walk over the raw JSON tree, and how to
//! find the nested objects of each: shared by the checks that place `openapiv3`'s errors, the
//! 3.1 rewriting, the `$ref` index and the media-type `$ref` mending.

use crate::openapi::HTTP_METHODS;
use crate::pointer::Pointer;

/// The OpenAPI objects whose errors `openapiv3` cannot place precisely (and whose `$ref`s and
/// schemas the later load steps look for).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Document,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Header,
    MediaType,
    Schema,
    SecurityScheme,
    /// A value that should have been a mapping (and is not).
    Mapping,
    /// A value that should have been a list (and is not).
    List,
}

/// The nested objects of `value` that the load checks looks into, in document order, each with
/// its pointer (`pointer` is `value`'s).
pub(crate) fn children<'v>(shape: Shape, value: &'v serde_json::Value, pointer: &Pointer) -> Vec<(Shape, &'v serde_json::Value, Pointer)> {
    nested(shape, value, pointer, |at, token| at.push(token))
}

/// [`children`] without their pointers, for a walk that needs them only to explain a failure
/// (building a pointer for every node of a whole API costs more than the walk).
pub(crate) fn child_values(shape: Shape, value: &serde_json::Value) -> impl Iterator<Item = (Shape, &serde_json::Value)> {
    nested(shape, value, &(), |(), _| ()).into_iter().map(|(shape, value, ())| (shape, value))
}

/// [`children`], with `push` making a child's position from its parent's and one token.
fn nested<'v, P>(shape: Shape, value: &'v serde_json::Value, pointer: &P, push: impl Fn(&P, &str) -> P) -> Vec<(Shape, &'v serde_json::Value, P)> {
    let mut out = Vec::new();
    let Some(object) = value.as_object() else {
        return out;
    };
    // Every member of the map at `key` (skipping `x-` extensions), or every item of the list.
    // A container of the wrong kind is itself the child that fails.
    let each = |out: &mut Vec<_>, key: &str, shape: Shape| {
        let at = push(pointer, key);
        let is_list = matches!(key, "parameters" | "allOf" | "oneOf" | "anyOf");
        let has_extensions = matches!(key, "paths" | "responses");
        match object.get(key) {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Object(map)) if !is_list => {
                for (name, child) in map.iter().filter(|(name, _)| !(has_extensions && name.starts_with("x-"))) {
                    out.push((shape, child, push(&at, name)));
                }
            }
            Some(serde_json::Value::Array(items)) if is_list => {
                for (i, child) in items.iter().enumerate() {
                    out.push((shape, child, push(&at, &i.to_string())));
                }
            }
            Some(other) => out.push((if is_list { Shape::List } else { Shape::Mapping }, other, at)),
        }
    };
    match shape {
        Shape::Document => {
            each(&mut out, "paths", Shape::PathItem);
            let components = push(pointer, "components");
            for (key, shape) in [
                ("schemas", Shape::Schema),
                ("parameters", Shape::Parameter),
                ("requestBodies", Shape::RequestBody),
                ("responses", Shape::Response),
                ("headers", Shape::Header),
                ("securitySchemes", Shape::SecurityScheme),
            ] {
                if let Some(serde_json::Value::Object(map)) = object.get("components").and_then(|c| c.get(key)) {
                    let at = push(&components, key);
                    out.extend(map.iter().map(|(name, child)| (shape, child, push(&at, name))));
                }
            }
            return out;
        }
        Shape::PathItem => {
            each(&mut out, "parameters", Shape::Parameter);
            for method in HTTP_METHODS {
                if let Some(op) = object.get(method) {
                    out.push((Shape::Operation, op, push(pointer, method)));
                }
            }
        }
        Shape::Operation => {
            each(&mut out, "parameters", Shape::Parameter);
            if let Some(body) = object.get("requestBody") {
                out.push((Shape::RequestBody, body, push(pointer, "requestBody")));
            }
            each(&mut out, "responses", Shape::Response);
            // `callbacks: {name: {expression: path item}}`, typed by `openapiv3` too.
            if let Some(serde_json::Value::Object(callbacks)) = object.get("callbacks") {
                let at = push(pointer, "callbacks");
                for (name, callback) in callbacks {
                    if let Some(expressions) = callback.as_object() {
                        let at = push(&at, name);
                        out.extend(expressions.iter().map(|(e, item)| (Shape::PathItem, item, push(&at, e))));
                    }
                }
            }
        }
        Shape::Parameter | Shape::Header => each(&mut out, "content", Shape::MediaType),
        Shape::RequestBody => each(&mut out, "content", Shape::MediaType),
        Shape::Response => {
            each(&mut out, "headers", Shape::Header);
            each(&mut out, "content", Shape::MediaType);
        }
        Shape::MediaType | Shape::SecurityScheme | Shape::Mapping | Shape::List => {}
        Shape::Schema => {
            each(&mut out, "properties", Shape::Schema);
            each(&mut out, "allOf", Shape::Schema);
            each(&mut out, "oneOf", Shape::Schema);
            each(&mut out, "anyOf", Shape::Schema);
        }
    }
    // Single nested schemas (`additionalProperties` may also be a boolean).
    let single: &[&str] = match shape {
        Shape::Parameter | Shape::Header | Shape::MediaType => &["schema"],
        Shape::Schema => &["items", "not", "additionalProperties"],
        _ => &[],
    };
    for key in single {
        if let Some(child) = object.get(*key).filter(|c| !c.is_boolean() || *key != "additionalProperties") {
            out.push((Shape::Schema, child, push(pointer, key)));
        }
    }
    out
}
