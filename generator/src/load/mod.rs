//! Stage 1: read a spec file (YAML or JSON) into an `openapiv3::OpenAPI`.
//!
//! The raw JSON value is kept beside the typed document: the lowering consults it for the few
//! things `openapiv3` does not model, and errors can always be reported as JSON pointers.

use std::path::Path;

use serde::Deserialize;

pub mod media_refs;
pub mod normalize;
pub mod refs;
mod shape;
pub(crate) mod yaml;

use crate::error::{Error, SpecError};
use crate::pointer::Pointer;
use normalize::Moves;
use shape::{Shape, child_values, children};
use refs::RefIndex;
use crate::report::Report;

/// A parsed spec: the typed document and the raw tree it came from.
#[derive(Debug)]
pub struct LoadedSpec {
    /// The typed OpenAPI 3.0 document (a 3.1 document is rewritten into 3.0 shapes first).
    pub api: openapiv3::OpenAPI,
    /// The same document as a JSON tree, after that rewriting.
    pub raw: serde_json::Value,
    /// Where the rewritten parts of `raw` are written in the document: errors and notes about
    /// them are given [`Moves::written`] pointers.
    pub moves: Moves,
    /// The targets of `$ref`s that are not components of their own section.
    pub refs: RefIndex,
    /// What loading noted (survived mistakes, dropped bounds, ignored webhooks), with pointers
    /// into the document as written.
    pub report: Report,
}

/// Reads and parses the spec at `path`.
pub fn load(path: &Path) -> Result<LoadedSpec, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| Error::Read { file: path.to_owned(), source })?;
    parse(&text, path)
}

/// Parses spec text; `path` is used for its extension and in errors.
pub fn parse(text: &str, path: &Path) -> Result<LoadedSpec, Error> {
    from_json(parse_tree(text, path)?, path)
}

/// Checks, normalizes and types a document already read as a JSON tree (such as an assembled
/// spec directory); `path` is used in errors.
pub fn from_json(mut raw: serde_json::Value, path: &Path) -> Result<LoadedSpec, Error> {
    check_version(&raw).map_err(|e| e.in_file(path))?;
    let mut report = Report::default();
    let moves = crate::load::normalize::normalize(&mut raw, &mut report).map_err(|e| e.in_file(path))?;
    let written = |mut error: SpecError| {
        error.pointer = moves.written(&error.pointer);
        error.in_file(path)
    };
    check_document(&raw).map_err(written)?;
    // The `$ref` index is built beside the typed document: both only read the tree.
    let (api, (refs, mut refs_report)) = crate::parallel::join(
        // Tracking the path costs time on every node, so it is done only to explain a failure.
        || typed_document(&raw).or_else(|_| serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw)),
        || {
            let mut refs_report = Report::default();
            (crate::load::refs::index(&raw, &mut refs_report), refs_report)
        },
    );
    let api = api.map_err(|e| {
        // `openapiv3` flattens and buffers most objects (`$ref`-or-item, `paths`, schemas), which
        // hides where inside them the error is; look for the innermost object that fails.
        written(locate(Shape::Document, &raw, &Pointer::root()).unwrap_or_else(|| SpecError::invalid(pointer_of(e.path()), e.into_inner().to_string())))
    })?;
    report.entries.append(&mut refs_report.entries);
    for entry in &mut report.entries {
        entry.pointer = moves.written(&entry.pointer);
    }
    Ok(LoadedSpec { api, raw, moves, refs, report })
}

/// Parses spec text into the JSON tree it is, as written (before [`parse`] rewrites it); the
/// pointers of errors and notes lead into this tree. `path` is used for its extension (YAML or
/// JSON; without one, text starting with `{` is JSON) and in errors.
pub fn parse_tree(text: &str, path: &Path) -> Result<serde_json::Value, Error> {
    let is_json = match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => true,
        Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => false,
        _ => text.trim_start().starts_with('{'),
    };
    let syntax = |format: &'static str, message: String| {
        // Both parsers stop at 128 levels of nesting (which also keeps the later, recursive stages
        // off the end of the stack); that document is well-formed, just too deep.
        if message.starts_with("recursion limit exceeded") {
            return SpecError::unsupported(
                Pointer::root(),
                format!("the document nests mappings and lists more than 128 levels deep ({message})"),
            )
            .in_file(path);
        }
        Error::Syntax { file: path.to_owned(), format, message }
    };
    if is_json {
        serde_json::from_str(text).map_err(|e| syntax("JSON", e.to_string()))
    } else {
        crate::load::yaml::to_json(text).map_err(|message| syntax("YAML", message))
    }
}

/// OpenAPI 3.0.x and 3.1.x are understood; say so plainly for anything else.
fn check_version(raw: &serde_json::Value) -> Result<(), SpecError> {
    let Some(doc) = raw.as_object() else {
        return Err(SpecError::invalid(Pointer::root(), "the document is not a mapping"));
    };
    if let Some(swagger) = doc.get("swagger") {
        return Err(SpecError::unsupported(
            Pointer::from_tokens(["swagger"]),
            format!("Swagger/OpenAPI {swagger} documents are not supported; convert to OpenAPI 3.0 first"),
        ));
    }
    match doc.get("openapi") {
        None => Err(SpecError::invalid(Pointer::root(), "not an OpenAPI document: there is no `openapi` field")),
        Some(serde_json::Value::String(v)) if v.starts_with("3.0.") || v.starts_with("3.1.") => Ok(()),
        Some(serde_json::Value::String(v)) => Err(SpecError::unsupported(
            Pointer::from_tokens(["openapi"]),
            format!("OpenAPI version {v} is not supported; this generator reads OpenAPI 3.0.x and 3.1.x"),
        )),
        Some(other) => Err(SpecError::invalid(Pointer::from_tokens(["openapi"]), format!("`openapi` must be a string, found {other}"))),
    }
}

/// The typed document, read in parts on several threads: the path items, the components and
/// the rest.
///
/// `openapiv3::OpenAPI` and `openapiv3::Paths` flatten their extensions, so serde would first
/// copy the whole document into a buffer and then read that; read apart, each part is read once,
/// directly. A failure is explained by the caller's slower read of the whole document.
fn typed_document(raw: &serde_json::Value) -> Result<openapiv3::OpenAPI, serde_json::Error> {
    use serde_json::Value;
    let Some(document) = raw.as_object() else {
        return openapiv3::OpenAPI::deserialize(raw);
    };
    let big = |key: &str| key == "paths" || key == "components";
    let mut shell: serde_json::Map<String, Value> =
        document.iter().filter(|(key, _)| !big(key)).map(|(key, value)| (key.clone(), value.clone())).collect();
    if document.contains_key("paths") {
        shell.insert("paths".to_owned(), Value::Object(serde_json::Map::new()));
    }
    let (paths, (components, shell)) = crate::parallel::join(
        || document.get("paths").map(typed_paths).transpose(),
        || {
            let components = document.get("components").filter(|c| !c.is_null());
            (components.map(openapiv3::Components::deserialize).transpose(), openapiv3::OpenAPI::deserialize(Value::Object(shell)))
        },
    );
    let mut api = shell?;
    if let Some(paths) = paths? {
        api.paths = paths;
    }
    api.components = components?;
    Ok(api)
}

/// `paths`, as `openapiv3::Paths` reads it (path items under keys starting with `/`, extensions
/// under `x-` keys, anything else ignored), the path items on several threads.
fn typed_paths(paths: &serde_json::Value) -> Result<openapiv3::Paths, serde_json::Error> {
    use openapiv3::{PathItem, ReferenceOr};
    let Some(map) = paths.as_object() else {
        return openapiv3::Paths::deserialize(paths);
    };
    let items: Vec<(&String, &serde_json::Value)> = map.iter().filter(|(key, _)| key.starts_with('/')).collect();
    let typed = crate::parallel::map(items.len(), |i| ReferenceOr::<PathItem>::deserialize(items[i].1));
    Ok(openapiv3::Paths {
        paths: items.iter().zip(typed).map(|((key, _), item)| Ok(((*key).clone(), item?))).collect::<Result<_, serde_json::Error>>()?,
        extensions: map.iter().filter(|(key, _)| key.starts_with("x-")).map(|(key, value)| (key.clone(), value.clone())).collect(),
    })
}

/// [`check_schemas`] on the whole document: its paths and components are checked on several
/// threads, and the first failure in document order is reported, as a walk in order would.
fn check_document(raw: &serde_json::Value) -> Result<(), SpecError> {
    let parts = children(Shape::Document, raw, &Pointer::root());
    crate::parallel::map(parts.len(), |i| {
        let (shape, value, pointer) = &parts[i];
        // Pointers are built only to explain a failure.
        if schemas_valid(*shape, value) { Ok(()) } else { check_schemas(*shape, value, pointer) }
    })
    .into_iter()
    .collect()
}

/// Checks every schema under `value` innermost first, each with its nested schemas replaced by
/// `{}`, and reports the first that does not deserialize.
///
/// `openapiv3` reads a schema through untagged enums, which retry the whole subtree once per
/// variant: a bad schema nested n levels deep costs about 2^n attempts (seconds at 20 levels,
/// hours at 30). Checked one level at a time the cost is linear, and once every schema is known
/// to be valid the document deserializes in one pass.
fn check_schemas(shape: Shape, value: &serde_json::Value, pointer: &Pointer) -> Result<(), SpecError> {
    for (child_shape, child, child_pointer) in children(shape, value, pointer) {
        check_schemas(child_shape, child, &child_pointer)?;
    }
    if shape != Shape::Schema {
        return Ok(());
    }
    let hollow = hollow_schema(value);
    // Most schemas are valid: read them plainly, and track the path only to explain a failure.
    if openapiv3::Schema::deserialize(&hollow).is_ok() {
        return Ok(());
    }
    match locate(Shape::Schema, &hollow, pointer) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Whether every schema under `value` deserializes, each with its nested schemas replaced by
/// `{}`: [`check_schemas`] without pointers, for the common case where there is nothing to report.
fn schemas_valid(shape: Shape, value: &serde_json::Value) -> bool {
    child_values(shape, value).all(|(child_shape, child)| schemas_valid(child_shape, child))
        && (shape != Shape::Schema || openapiv3::Schema::deserialize(&hollow_schema(value)).is_ok())
}

/// A copy of the schema `value` with every nested schema (already checked) replaced by `{}`.
/// Nested schemas are never cloned, so checking a document stays linear in its size.
fn hollow_schema(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    let Value::Object(object) = value else {
        return value.clone();
    };
    let empty = || Value::Object(serde_json::Map::new());
    let hollow_each = |v: &Value| if v.is_object() { empty() } else { v.clone() };
    let hollow = object
        .iter()
        .map(|(key, child)| {
            let child = match (key.as_str(), child) {
                ("items" | "not" | "additionalProperties", Value::Object(_)) => empty(),
                ("properties", Value::Object(properties)) => {
                    Value::Object(properties.iter().map(|(name, v)| (name.clone(), hollow_each(v))).collect())
                }
                ("allOf" | "oneOf" | "anyOf", Value::Array(items)) => Value::Array(items.iter().map(hollow_each).collect()),
                _ => child.clone(),
            };
            (key.clone(), child)
        })
        .collect();
    Value::Object(hollow)
}


/// The innermost object under `value` (of shape `shape`, at `pointer`) that does not deserialize,
/// with the pointer of the offending field within it; `None` if `value` deserializes.
fn locate(shape: Shape, value: &serde_json::Value, pointer: &Pointer) -> Option<SpecError> {
    let (inner, message) = try_shape(shape, value).err()?;
    for (child_shape, child, child_pointer) in children(shape, value, pointer) {
        if let Some(found) = locate(child_shape, child, &child_pointer) {
            return Some(found);
        }
    }
    Some(SpecError::invalid(pointer.join(inner.tokens()), message))
}

/// Deserializes `value` as `shape` (a `$ref` object always passes): the error's pointer within
/// `value` and its message.
fn try_shape(shape: Shape, value: &serde_json::Value) -> Result<(), (Pointer, String)> {
    use openapiv3 as o;
    fn de<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Result<(), (Pointer, String)> {
        serde_path_to_error::deserialize::<_, T>(value)
            .map(drop)
            .map_err(|e| (pointer_of(e.path()), e.into_inner().to_string()))
    }
    if shape != Shape::Document && value.get("$ref").is_some_and(serde_json::Value::is_string) {
        return Ok(());
    }
    match shape {
        Shape::Document => de::<o::OpenAPI>(value),
        Shape::PathItem => de::<o::PathItem>(value),
        Shape::Operation => de::<o::Operation>(value),
        Shape::Parameter => de::<o::Parameter>(value),
        Shape::RequestBody => de::<o::RequestBody>(value),
        Shape::Response => de::<o::Response>(value),
        Shape::Header => de::<o::Header>(value),
        Shape::MediaType => de::<o::MediaType>(value),
        Shape::Schema => de::<o::Schema>(value),
        Shape::SecurityScheme => de::<o::SecurityScheme>(value),
        Shape::Mapping => Err((Pointer::root(), format!("invalid type: {}, expected a mapping", json_type(value)))),
        Shape::List => Err((Pointer::root(), format!("invalid type: {}, expected a list", json_type(value)))),
    }
}


fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "list",
        serde_json::Value::Object(_) => "mapping",
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    let mut pointer = Pointer::root();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer.push(&index.to_string()),
            Segment::Map { key } => pointer.push(key),
            Segment::Enum { variant } => pointer.push(variant),
            Segment::Unknown => break,
        };
    }
    pointer
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    /// Read in parts, the document is what a read of the whole gives: extensions at the top and
    /// in `paths`, keys in `paths` that are neither, `$ref` path items, null `components`.
    #[test]
    fn typed_in_parts_as_read_whole() {
        let operation = json!({"responses": {"200": {"description": "ok"}}});
        let documents = [
            json!({
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1"},
                "x-top": {"a": 1},
                "servers": [{"url": "https://example.com"}],
                "paths": {
                    "/b": {"get": operation, "x-item": true},
                    "/a": {"$ref": "#/components/pathItems/A"},
                    "x-paths": [1, 2],
                    "ignored": {"get": operation},
                },
                "components": {"schemas": {"S": {"type": "string"}}, "x-components": "c"},
                "tags": [{"name": "t"}],
            }),
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": null}),
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}),
        ];
        for document in documents {
            let whole = openapiv3::OpenAPI::deserialize(&document).expect("the whole reads");
            let parts = super::typed_document(&document).expect("the parts read");
            assert_eq!(parts, whole, "{document}");
        }
    }

    /// What the whole read refuses, the parts refuse too (the caller then explains it).
    #[test]
    fn typed_in_parts_refuses_what_the_whole_refuses() {
        let info = json!({"title": "t", "version": "1"});
        for document in [
            json!({"openapi": "3.0.3", "info": info}),
            json!({"openapi": "3.0.3", "info": info, "paths": {"/a": {"get": {"responses": 5}}}}),
            json!({"openapi": "3.0.3", "info": info, "paths": {}, "components": {"schemas": 5}}),
            json!({"openapi": "3.0.3", "paths": {}}),
            json!({"openapi": "3.0.3", "info": info, "paths": []}),
        ] {
            assert!(openapiv3::OpenAPI::deserialize(&document).is_err(), "{document}");
            assert!(super::typed_document(&document).is_err(), "{document}");
        }
    }
}
