//! A survivable mistake some real descriptions make (Lob's): a `$ref` where a media type map
//! (`content: {$ref: ..}`) or a media type (`content: {application/json: {$ref: ..}}`) is
//! expected. OpenAPI has no component section for either, and `openapiv3` cannot read a `$ref`
//! there, so before the document is typed each such `$ref` that points at an object in the
//! document is replaced by a copy of it, with a warning (`--strict` refuses); one that points
//! nowhere, or at something that is not a mapping, is an error naming the `$ref`.

use serde_json::Value;

use crate::error::SpecError;
use crate::load::shape::{Shape, children};
use crate::load::normalize::Moves;
use crate::pointer::Pointer;
use crate::report::{Reason, Report};


/// How many `$ref`s in a row are followed before the chain is called a cycle.
const MAX_HOPS: usize = 64;

/// Replaces every media type map and media type `$ref` of `raw` by what it points at.
pub fn inline_media_type_refs(raw: &mut Value, moves: &mut Moves, report: &mut Report) -> Result<(), SpecError> {
    // (pointer of the `$ref`ed object, the `$ref` text), found first, replaced after.
    let mut found = Vec::new();
    collect(Shape::Document, raw, &Pointer::root(), &mut found);
    for (at, reference) in found {
        let (target_pointer, target) = follow(raw, &at, &reference)?;
        // The note names the object holding the `$ref` and its key: pointers into what is now
        // the copy lead to the target (so errors inside it point where it is written).
        let key = at.tokens().next_back().unwrap_or_default();
        let what = if key == "content" { "media type map" } else { "media type" };
        let detail = format!("{what} `{key}`: `$ref: {reference}`");
        report.push(Reason::MediaTypeRef, at.parent().unwrap_or_default(), Some(detail));
        if let Some(slot) = at.find_mut(raw) {
            *slot = target;
        }
        moves.record(at, target_pointer);
    }
    Ok(())
}

/// The `$ref` objects found where a media type map or a media type belongs, under `value`.
fn collect(shape: Shape, value: &Value, pointer: &Pointer, found: &mut Vec<(Pointer, String)>) {
    if matches!(shape, Shape::RequestBody | Shape::Response | Shape::Parameter | Shape::Header) && value.get("$ref").is_none() {
        if let Some(content) = value.get("content") {
            let at = pointer.push("content");
            match content.get("$ref") {
                Some(Value::String(reference)) => found.push((at, reference.clone())),
                _ => {
                    for (media, media_type) in content.as_object().into_iter().flatten() {
                        if let Some(Value::String(reference)) = media_type.get("$ref") {
                            found.push((at.push(media), reference.clone()));
                        }
                    }
                }
            }
        }
    }
    for (child_shape, child, child_pointer) in children(shape, value, pointer) {
        // Media types hold schemas only, which hold no media types.
        if !matches!(child_shape, Shape::MediaType | Shape::Schema) {
            collect(child_shape, child, &child_pointer, found);
        }
    }
}

/// The mapping `reference` (written at `at/$ref`) leads to, through further `$ref`s, and where it is.
fn follow(raw: &Value, at: &Pointer, reference: &str) -> Result<(Pointer, Value), SpecError> {
    let ref_at = at.push("$ref");
    let mut reference = reference.to_owned();
    for _ in 0..MAX_HOPS {
        let pointer = Pointer::from_ref(&reference).map_err(|e| SpecError::unsupported(&ref_at, e.to_string()))?;
        let target = match pointer.find(raw) {
            Some(Value::Object(target)) => target,
            Some(_) => return Err(SpecError::invalid(&ref_at, format!("$ref `{reference}` points to something that is not a mapping"))),
            None => return Err(SpecError::invalid(&ref_at, format!("$ref `{reference}` points to nothing in the document"))),
        };
        match target.get("$ref") {
            Some(Value::String(next)) => reference = next.clone(),
            _ => return Ok((pointer, Value::Object(target.clone()))),
        }
    }
    Err(SpecError::invalid(&ref_at, format!("$ref `{reference}` is a cycle of references")))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::report::Reason;
    use crate::error::Error;

    const SPEC: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /letters:
    post:
      requestBody:
        content: {$ref: '#/x-media/letter'}
      responses:
        '200':
          description: ok
          content:
            application/json: {$ref: '#/x-media/letter/application~1json'}
x-media:
  letter:
    application/json:
      schema: {type: object, properties: {to: {type: string}}}
";

    #[test]
    fn a_ref_to_a_media_type_map_or_a_media_type_is_followed_with_a_warning() {
        let loaded = crate::load::parse(SPEC, Path::new("t.yaml")).expect("loads");
        let warnings: Vec<&str> = loaded.report.entries.iter().filter(|e| e.reason == Reason::MediaTypeRef).map(|e| e.pointer.as_str()).collect();
        assert_eq!(warnings, ["/paths/~1letters/post/requestBody", "/paths/~1letters/post/responses/200/content"]);
        let op = loaded.api.paths.paths["/letters"].as_item().and_then(|item| item.post.as_ref()).expect("post");
        let Some(openapiv3::ReferenceOr::Item(body)) = &op.request_body else { panic!("no body") };
        assert!(body.content["application/json"].schema.is_some());
        let api = crate::lower::lower(&loaded).expect("lowers");
        assert_eq!(api.operations().count(), 1);
    }

    #[test]
    fn a_ref_that_points_nowhere_is_an_error_with_its_pointer() {
        for (from, to, message) in [
            ("'#/x-media/letter'", "'#/x-media/nothing'", "points to nothing"),
            ("'#/x-media/letter'", "'#/info/title'", "not a mapping"),
        ] {
            let spec = SPEC.replacen(from, to, 1);
            let error = crate::load::parse(&spec, Path::new("t.yaml")).expect_err("refused");
            let Error::Spec { pointer, message: text, .. } = &error else { panic!("{error}") };
            assert_eq!(pointer, "/paths/~1letters/post/requestBody/content/$ref");
            assert!(text.contains(message), "{text}");
        }
    }

    #[test]
    fn a_chain_of_refs_is_followed_and_a_cycle_refused() {
        let chained = SPEC.replacen("'#/x-media/letter'", "'#/x-media/alias'", 1).replace("x-media:\n", "x-media:\n  alias: {$ref: '#/x-media/letter'}\n");
        assert!(crate::load::parse(&chained, Path::new("t.yaml")).is_ok());
        let cycle = SPEC.replacen("'#/x-media/letter'", "'#/x-media/a'", 1).replace("x-media:\n", "x-media:\n  a: {$ref: '#/x-media/b'}\n  b: {$ref: '#/x-media/a'}\n");
        let error = crate::load::parse(&cycle, Path::new("t.yaml")).expect_err("a cycle");
        assert!(error.to_string().contains("cycle"), "{error}");
    }
}
