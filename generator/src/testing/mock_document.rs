//! The document a mock server loads to answer a generated client: the spec, read the way the
//! client reads it. A mock that checks requests against the spec (Prism) would otherwise refuse
//! what the client rightly sends, or answer what no server would.
//!
//! Three readings, each one OpenAPI's or the profile's, none a guess:
//!
//! - **Security**: with the profile's [`any_credentials`](Profile::any_credentials), any one
//!   credential is enough ([`read_security`]).
//! - **Read-only properties are required in responses only** (OpenAPI 3.0, Schema Object): a
//!   request need not carry them, so they leave every `required` list. (Prism demands them in
//!   requests.)
//! - **`oneOf` is read as `anyOf`**, as the client reads it: an untagged union decodes into its
//!   first member that fits. (A `oneOf` whose members overlap refuses a value that fits two of
//!   them, which the spec's authors did not mean; a tagged union's members never overlap.)
//! - **An envelope's generic `result` is refined by the operation**: the common envelope
//!   schemas declare `result` as any of a bare object, array or string, and each operation's
//!   schema mixes in (`allOf`) the `result` it returns. The client decodes the operation's; the
//!   mock, merging both, would make up a bare string or array for half its answers. The generic
//!   union becomes `{}` (the profile's envelope rule).
//!   Likewise a generic `result` declared as a bare nullable object (`{type: object, nullable:
//!   true}`) loses `nullable`: mixed (`allOf`) with the operation's `result`, which is not
//!   nullable, it admits no `null` (OpenAPI 3.0's `nullable` widens only the schema it sits in),
//!   but the mock, merging both, would answer `result: null`.
//! - **A multipart part is checked by its name, not by its content**: the mock reads every part
//!   of a `multipart/form-data` body as one string, so a JSON part (`metadata`, an object) or a
//!   repeated one (a list of files) would fail a check the client's request meets. In the mock's
//!   copy, the part schemas of a multipart body that are not plain strings allow any value; the
//!   part names and the `required` list are still checked.
//! - **An envelope's `success` is `true` in a success response** (the profile's envelope rule:
//!   the client takes a 2xx with `success: false` as the error it is). Where the spec types
//!   `success` as any boolean, the mock would otherwise make up `false` for half its answers.
//! - **A success response without an example** gets one synthesized from its schema, the way the
//!   example checks synthesize theirs (see [`super::sampler`]): each schema's example,
//!   default or first enum value, the first member of a union. (Prism's own sampler makes up
//!   `null` for a `result` that an `allOf` mixes with a union, which no server sends.) A JSON
//!   success response without a schema is free-form JSON, as the client reads it: `{}`, whose
//!   example is `{}`. (Prism answers it with an empty body, which is not JSON.)

use std::collections::BTreeMap;

use serde_json::Value;

use super::sampler::{Direction, Sampler};
use crate::Lowered;
use crate::lower::document::follow;
use crate::openapi::HTTP_METHODS as METHODS;
use crate::pointer::Pointer;
use crate::profile::{Envelope, Profile};

/// The document a mock server should load to answer the crate that `lowered` makes
/// ([`Lowered::emit`]): the spec as assembled, read the way the client reads it (see the module
/// docs).
pub fn mock_document(lowered: &Lowered) -> Value {
    let mut document = lowered.loaded.raw.clone();
    read_for_mock(&mut document, &lowered.profile);
    document
}

/// Applies the readings (see the module docs) to `document`, a whole spec as JSON.
fn read_for_mock(document: &mut Value, profile: &Profile) {
    read_security(document, profile);
    let snapshot = document.clone();
    drop_read_only_requirements(document, &snapshot);
    if profile.envelope.is_some() {
        refine_result(document);
    }
    relax_multipart_parts(document);
    any_of(document);
    if let Some(envelope) = &profile.envelope {
        succeed(document, envelope);
    }
    add_response_examples(document, &snapshot);
}

/// Rewrites the security requirements of `document` the way the client reads them: with the
/// profile's [`any_credentials`](Profile::any_credentials), every operation that requires
/// credentials accepts any one of the document's security schemes on its own; `security: []`
/// stays as it is. Another profile changes nothing.
fn read_security(document: &mut Value, profile: &Profile) {
    if !profile.any_credentials {
        return;
    }
    let schemes: Vec<String> = document.pointer("/components/securitySchemes").and_then(Value::as_object).map(|s| s.keys().cloned().collect()).unwrap_or_default();
    let alternatives = Value::Array(schemes.iter().map(|name| serde_json::json!({ name: [] })).collect());
    let requires = |security: Option<&Value>| security.and_then(Value::as_array).is_some_and(|list| !list.is_empty());
    let global = requires(document.get("security"));
    if global {
        document["security"] = alternatives.clone();
    }
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for (method, operation) in item.iter_mut() {
            let Some(operation) = operation.as_object_mut().filter(|_| METHODS.contains(&method.as_str())) else { continue };
            if requires(operation.get("security")) {
                operation.insert("security".to_owned(), alternatives.clone());
            }
        }
    }
}

/// Removes from each `required` list the properties that are `readOnly`: those declared beside
/// it, or by the other members of the `allOf` it is in.
fn drop_read_only_requirements(node: &mut Value, document: &Value) {
    match node {
        Value::Object(object) => {
            let mut properties = BTreeMap::new();
            collect_properties(object, document, &mut properties, 0);
            let read_only: Vec<String> = properties.into_iter().filter(|(_, p)| is_read_only(p, document)).map(|(name, _)| name.to_owned()).collect();
            let keep_writable = |holder: &mut serde_json::Map<String, Value>| {
                if let Some(Value::Array(required)) = holder.get_mut("required") {
                    required.retain(|name| !name.as_str().is_some_and(|n| read_only.iter().any(|r| r == n)));
                }
            };
            if !read_only.is_empty() {
                keep_writable(object);
                if let Some(Value::Array(members)) = object.get_mut("allOf") {
                    members.iter_mut().filter_map(Value::as_object_mut).for_each(keep_writable);
                }
            }
            object.values_mut().for_each(|child| drop_read_only_requirements(child, document));
        }
        Value::Array(items) => items.iter_mut().for_each(|child| drop_read_only_requirements(child, document)),
        _ => {}
    }
}

/// The properties a schema declares, itself or through its `$ref` and `allOf` members (and the
/// members of a union, which a `required` beside the union speaks of), as
/// found in `document` (a `$ref`'s target) or in `schema` itself.
fn collect_properties<'a>(schema: &'a serde_json::Map<String, Value>, document: &'a Value, into: &mut BTreeMap<&'a str, &'a Value>, depth: usize) {
    if depth > 32 {
        return;
    }
    let pointer = schema.get("$ref").and_then(Value::as_str).and_then(|r| Pointer::from_ref(r).ok());
    let target = pointer.and_then(|p| p.find(document));
    if let Some(target) = target.and_then(Value::as_object) {
        collect_properties(target, document, into, depth + 1);
    }
    for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        into.entry(name.as_str()).or_insert(property);
    }
    for keyword in ["allOf", "oneOf", "anyOf"] {
        for member in schema.get(keyword).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object) {
            collect_properties(member, document, into, depth + 1);
        }
    }
}

/// Renames every `oneOf` without a `discriminator` to `anyOf`; a union of one member is that
/// member, so it joins the `allOf` (which the mock's data generator merges, where it would leave
/// a union inside an `allOf` out).
fn any_of(node: &mut Value) {
    match node {
        Value::Object(object) => {
            if !object.contains_key("discriminator") && !object.contains_key("anyOf") {
                if let Some(members) = object.remove("oneOf") {
                    object.insert("anyOf".to_owned(), members);
                }
            }
            let single = match object.get("anyOf") {
                Some(Value::Array(members)) if members.len() == 1 => members.first().cloned(),
                _ => None,
            };
            if let Some(member) = single.filter(|_| object.get("allOf").is_none_or(Value::is_array)) {
                object.remove("anyOf");
                if let Value::Array(all_of) = object.entry("allOf").or_insert_with(|| Value::Array(Vec::new())) {
                    all_of.push(member);
                }
            }
            object.values_mut().for_each(any_of);
        }
        Value::Array(items) => items.iter_mut().for_each(any_of),
        _ => {}
    }
}

/// Replaces each `result` property that is a union of bare types (`{type: object}`,
/// `{type: array, items: {}}`, `{type: string}`) with `{}`.
fn refine_result(node: &mut Value) {
    let bare = |member: &Value| {
        member.as_object().is_some_and(|m| m.iter().all(|(k, v)| matches!(k.as_str(), "type" | "nullable") || (k == "items" && v == &serde_json::json!({}))))
    };
    match node {
        Value::Object(object) => {
            if let Some(Value::Object(properties)) = object.get_mut("properties") {
                if let Some(result) = properties.get_mut("result") {
                    let members = result.get("anyOf").or_else(|| result.get("oneOf")).and_then(Value::as_array);
                    if members.is_some_and(|m| !m.is_empty() && m.iter().all(bare)) {
                        *result = serde_json::json!({});
                    } else if *result == serde_json::json!({"type": "object", "nullable": true}) {
                        *result = serde_json::json!({"type": "object"});
                    }
                }
            }
            object.values_mut().for_each(refine_result);
        }
        Value::Array(items) => items.iter_mut().for_each(refine_result),
        _ => {}
    }
}

/// Makes the part schemas of every `multipart/form-data` request body that are not plain strings
/// (objects, lists, references to them) allow any value. The body's schema is copied into the
/// operation first (`$ref`s and `allOf`/`oneOf`/`anyOf` members followed), so a component that
/// other bodies use stays as it is.
fn relax_multipart_parts(document: &mut Value) {
    // Worked out on the document as it is, then written in: only multipart bodies are copied.
    let mut relaxed = Vec::new();
    for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for method in METHODS {
            let Some(body) = item.get(method).and_then(|op| op.get("requestBody")) else { continue };
            let body = follow(document, body);
            let Some(schema) = body.pointer("/content/multipart~1form-data/schema") else { continue };
            let mut body = body.clone();
            body["content"]["multipart/form-data"]["schema"] = relaxed_parts(document, schema, 0);
            relaxed.push((path.clone(), method, body));
        }
    }
    for (path, method, body) in relaxed {
        document["paths"][&path][method]["requestBody"] = body;
    }
}

/// A copy of the multipart body schema `schema` whose part schemas that are not plain strings
/// are `{}`.
fn relaxed_parts(document: &Value, schema: &Value, depth: usize) -> Value {
    let mut copy = follow(document, schema).clone();
    if depth > 8 {
        return copy;
    }
    if let Some(properties) = copy.get_mut("properties").and_then(Value::as_object_mut) {
        for part in properties.values_mut() {
            if follow(document, part).get("type").and_then(Value::as_str) != Some("string") {
                *part = serde_json::json!({});
            }
        }
    }
    for keyword in ["allOf", "oneOf", "anyOf"] {
        if let Some(members) = copy.get_mut(keyword).and_then(Value::as_array_mut) {
            for member in members.iter_mut() {
                *member = relaxed_parts(document, member, depth + 1);
            }
        }
    }
    copy
}

/// Makes `success` `true` in every envelope-shaped schema ([`Envelope::frames`]) that lets it be
/// either boolean.
fn succeed(node: &mut Value, envelope: &Envelope) {
    match node {
        Value::Object(object) => {
            if let Some(Value::Object(properties)) = object.get_mut("properties") {
                let framed = envelope.frames(|name| properties.contains_key(name));
                let success = properties.get_mut(envelope.success).and_then(Value::as_object_mut);
                // Any boolean, or an enum that allows `true` and `false` alike.
                let open = |s: &serde_json::Map<String, Value>| match s.get("enum") {
                    None => true,
                    Some(Value::Array(values)) => values.contains(&Value::Bool(true)) && values.len() > 1,
                    Some(_) => false,
                };
                if let Some(success) = success.filter(|s| framed && s.get("type") == Some(&Value::from("boolean")) && open(s)) {
                    success.insert("enum".to_owned(), serde_json::json!([true]));
                }
            }
            object.values_mut().for_each(|value| succeed(value, envelope));
        }
        Value::Array(items) => items.iter_mut().for_each(|value| succeed(value, envelope)),
        _ => {}
    }
}

/// Whether a property schema, the schema its `$ref`s lead to, or one of its `allOf` members
/// (`allOf: [{$ref: X}, {readOnly: true}]`) is `readOnly`.
fn is_read_only(schema: &Value, document: &Value) -> bool {
    is_read_only_within(schema, document, 0)
}

fn is_read_only_within(schema: &Value, document: &Value, depth: usize) -> bool {
    let read_only = |schema: &Value| schema.get("readOnly") == Some(&Value::Bool(true));
    let target = follow(document, schema);
    let members = || target.get("allOf").and_then(Value::as_array).into_iter().flatten();
    read_only(schema) || read_only(target) || (depth < 32 && members().any(|m| is_read_only_within(m, document, depth + 1)))
}

/// Gives each JSON success response that has no example one synthesized from its schema.
fn add_response_examples(document: &mut Value, snapshot: &Value) {
    let sampler = Sampler::new(snapshot, Direction::Response);
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut() {
        for method in METHODS {
            let Some(responses) = item.get_mut(method).and_then(|op| op.get_mut("responses")).and_then(Value::as_object_mut) else { continue };
            for (status, response) in responses.iter_mut() {
                if !status.starts_with('2') {
                    continue;
                }
                let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else { continue };
                for (media, body) in content.iter_mut() {
                    let Some(body) = body.as_object_mut().filter(|_| crate::lower::is_json(media)) else { continue };
                    if body.contains_key("example") || body.contains_key("examples") {
                        continue;
                    }
                    body.entry("schema").or_insert_with(|| serde_json::json!({}));
                    if let Some(example) = body.get("schema").and_then(|schema| sampler.sample(schema, &[])) {
                        body.insert("example".to_owned(), example);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{read_for_mock, read_security};
    use crate::profile::Profile;

    fn operation_document(request: serde_json::Value, response: serde_json::Value) -> serde_json::Value {
        json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "base": {"properties": {"id": {"type": "string", "readOnly": true}, "name": {"type": "string"}}},
                "envelope": {"properties": {"success": {"type": "boolean"}, "errors": {"type": "array", "items": {}}, "result": {"anyOf": [{"type": "object"}, {"type": "array", "items": {}}, {"type": "string"}]}}},
                "either": {"properties": {"success": {"type": "boolean", "enum": [true, false]}, "result": {"type": "object"}}},
                "failure": {"properties": {"success": {"type": "boolean", "enum": [false]}, "errors": {"type": "array", "items": {}}}},
            }},
            "paths": {"/things": {"post": {
                "requestBody": {"content": {"application/json": {"schema": request}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response}}}},
            }}},
        })
    }

    #[test]
    fn read_only_properties_leave_required_lists_wherever_they_are_declared() {
        let request = json!({"allOf": [{"$ref": "#/components/schemas/base"}], "oneOf": [{"type": "object"}, {"minProperties": 1}], "required": ["id", "name"]});
        let mut document = operation_document(request, json!({"type": "string", "example": "x"}));
        read_for_mock(&mut document, &Profile::generic());
        let schema = &document["paths"]["/things"]["post"]["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(schema["required"], json!(["name"]));
        assert_eq!(schema["anyOf"], json!([{"type": "object"}, {"minProperties": 1}]), "oneOf is read as anyOf");
        assert!(schema.get("oneOf").is_none());
    }

    #[test]
    fn a_union_of_one_member_joins_the_all_of_and_multipart_parts_are_checked_by_name() {
        let request = json!({"allOf": [{"$ref": "#/components/schemas/base"}], "oneOf": [{"required": ["name"]}]});
        let mut document = operation_document(request, json!({"type": "string", "example": "x"}));
        let operation = &mut document["paths"]["/things"]["post"];
        operation["requestBody"]["content"]["multipart/form-data"] = json!({"schema": {"$ref": "#/components/schemas/upload"}});
        document["components"]["schemas"]["upload"] = json!({
            "type": "object",
            "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}, "metadata": {"$ref": "#/components/schemas/base"}, "parts": {"type": "array", "items": {"type": "string"}}},
        });
        read_for_mock(&mut document, &Profile::generic());
        let content = &document["paths"]["/things"]["post"]["requestBody"]["content"];
        let schema = &content["application/json"]["schema"];
        assert_eq!(schema["allOf"], json!([{"$ref": "#/components/schemas/base"}, {"required": ["name"]}]));
        assert!(schema.get("anyOf").is_none() && schema.get("oneOf").is_none());
        let upload = &content["multipart/form-data"]["schema"];
        assert_eq!(upload["properties"], json!({"file": {"type": "string", "format": "binary"}, "metadata": {}, "parts": {}}));
        assert_eq!(upload["required"], json!(["file"]), "part names are still checked");
        assert_eq!(document["components"]["schemas"]["upload"]["properties"]["parts"]["type"], "array", "the component stays as it is");
    }

    #[test]
    fn envelopes_succeed_their_generic_result_is_refined_and_responses_get_examples() {
        let response = json!({"allOf": [{"$ref": "#/components/schemas/envelope"}, {"properties": {"result": {"properties": {"n": {"type": "integer", "minimum": 3}}}}}]});
        let mut document = operation_document(json!({"type": "object"}), response);
        let original = document.clone();
        read_for_mock(&mut document, &Profile::cloudflare());
        let envelope = &document["components"]["schemas"]["envelope"]["properties"];
        assert_eq!(envelope["success"]["enum"], json!([true]));
        assert_eq!(envelope["result"], json!({}));
        let schemas = &document["components"]["schemas"];
        assert_eq!(schemas["either"]["properties"]["success"]["enum"], json!([true]));
        assert_eq!(schemas["failure"]["properties"]["success"]["enum"], json!([false]), "a failure envelope stays one");
        let example = &document["paths"]["/things"]["post"]["responses"]["200"]["content"]["application/json"]["example"];
        assert_eq!(example["result"], json!({"n": 3}), "{example}");
        assert_eq!(example["success"], json!(true));

        // Another API's envelopes are its own business.
        let mut generic = original.clone();
        read_for_mock(&mut generic, &Profile::generic());
        assert_eq!(generic["components"]["schemas"]["envelope"], original["components"]["schemas"]["envelope"]);
    }

    #[test]
    fn the_cloudflare_reading_makes_each_scheme_enough_and_keeps_public_operations_public() {
        let mut document = serde_json::json!({
            "components": {"securitySchemes": {"api_key": {}, "api_token": {}}},
            "security": [{"api_key": []}],
            "paths": {"/a": {
                "get": {"security": [{"api_key": [], "api_token": []}]},
                "post": {"security": []},
                "put": {},
                "parameters": [],
            }},
        });
        let original = document.clone();
        read_security(&mut document, &Profile::generic());
        assert_eq!(document, original);
        read_security(&mut document, &Profile::cloudflare());
        let each = serde_json::json!([{"api_key": []}, {"api_token": []}]);
        assert_eq!(document["security"], each);
        assert_eq!(document["paths"]["/a"]["get"]["security"], each);
        assert_eq!(document["paths"]["/a"]["post"]["security"], serde_json::json!([]));
        assert_eq!(document["paths"]["/a"]["put"].get("security"), None, "the global requirement covers it");
    }
}
