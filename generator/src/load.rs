//! Stage 1: read a spec file (YAML or JSON) into an `openapiv3::OpenAPI`.
//!
//! The raw JSON value is kept beside the typed document: the lowering consults it for the few
//! things `openapiv3` does not model, and errors can always be reported as JSON pointers.

use std::path::Path;

use crate::error::{Error, SpecError, pointer_push};

/// A parsed spec: the typed document and the raw tree it came from.
#[derive(Debug)]
pub struct LoadedSpec {
    /// The typed OpenAPI 3.0 document.
    pub api: openapiv3::OpenAPI,
    /// The same document as a JSON tree.
    pub raw: serde_json::Value,
}

/// Reads and parses the spec at `path`.
pub fn load(path: &Path) -> Result<LoadedSpec, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| Error::Read { file: path.to_owned(), source })?;
    parse(&text, path)
}

/// Parses spec text; `path` is used for its extension and in errors.
pub fn parse(text: &str, path: &Path) -> Result<LoadedSpec, Error> {
    let is_json = match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => true,
        Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => false,
        _ => text.trim_start().starts_with('{'),
    };
    let raw = if is_json {
        serde_json::from_str(text).map_err(|e| Error::Syntax {
            file: path.to_owned(),
            format: "JSON",
            message: e.to_string(),
        })?
    } else {
        crate::yaml::to_json(text).map_err(|message| Error::Syntax {
            file: path.to_owned(),
            format: "YAML",
            message,
        })?
    };
    check_version(&raw).map_err(|e| e.in_file(path))?;
    let api = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw).map_err(|e| {
        let pointer = pointer_of(e.path());
        SpecError::invalid(pointer, e.into_inner().to_string()).in_file(path)
    })?;
    Ok(LoadedSpec { api, raw })
}

/// Only OpenAPI 3.0.x is understood; say so plainly for anything else.
fn check_version(raw: &serde_json::Value) -> Result<(), SpecError> {
    let Some(doc) = raw.as_object() else {
        return Err(SpecError::invalid("", "the document is not a mapping"));
    };
    if let Some(swagger) = doc.get("swagger") {
        return Err(SpecError::unsupported(
            "/swagger",
            format!("Swagger/OpenAPI {swagger} documents are not supported; convert to OpenAPI 3.0 first"),
        ));
    }
    match doc.get("openapi") {
        None => Err(SpecError::invalid("", "not an OpenAPI document: there is no `openapi` field")),
        Some(serde_json::Value::String(v)) if v.starts_with("3.0") => Ok(()),
        Some(serde_json::Value::String(v)) => Err(SpecError::unsupported(
            "/openapi",
            format!("OpenAPI version {v} is not supported; this generator reads OpenAPI 3.0.x"),
        )),
        Some(other) => Err(SpecError::invalid("/openapi", format!("`openapi` must be a string, found {other}"))),
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer_push(&pointer, &index.to_string()),
            Segment::Map { key } => pointer_push(&pointer, key),
            Segment::Enum { variant } => pointer_push(&pointer, variant),
            Segment::Unknown => break,
        };
    }
    pointer
}
