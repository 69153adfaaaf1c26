//! Between reading and typing: rewrites the raw tree into the OpenAPI 3.0 shapes the rest of the
//! pipeline handles, so there is one IR and one lowering whatever the document's version.
//!
//! For every document:
//! - a `mutualTLS` security scheme (which `openapiv3` cannot read) becomes an `http` scheme
//!   marked with `x-clientgen-mutual-tls`: it gets no credential kind, and the report says to
//!   configure the client certificate on a custom `reqwest::Client`;
//! - a local path-item `$ref` (`paths: {/a: {$ref: '#/components/pathItems/A'}}`) is replaced by
//!   a copy of its target (fields written beside the `$ref` win);
//! - a numeric `exclusiveMinimum`/`exclusiveMaximum` becomes `minimum`/`maximum` plus `true`;
//! - lengths and counts (`maxLength`, `minItems`, ...) written as floats with no fraction
//!   (`10.0`) become integers, and so do an integer schema's `minimum`, `maximum` and
//!   `multipleOf`; such a bound that no 64-bit integer holds (`maxLength: 1e20`,
//!   `minimum: -9223372036854776000` on an integer) constrains nothing a Rust integer can carry,
//!   and is dropped (a fallback in the report).
//!
//! For OpenAPI 3.1 documents only (a 3.0 document's meaning of these keywords differs, or they do
//! not exist there):
//! - `type: [T, "null"]` becomes `type: T, nullable: true`; several non-null types become an
//!   `anyOf` with one `{type: T}` member each, carrying the keywords that apply to that type;
//!   `type: "null"` alone becomes `nullable: true, enum: [null]`;
//! - a member of `anyOf`/`oneOf` that admits only null is removed and makes the schema
//!   nullable; a single remaining member becomes `allOf: [member]`;
//! - `const: v` becomes `enum: [v]`; `examples: [a, ...]` becomes `example: a`;
//! - `$ref` with other keywords beside it becomes `allOf: [{$ref}]` plus those keywords (only a
//!   `$comment` beside it is dropped instead);
//! - boolean schemas: `true` becomes `{}`, `false` becomes `{not: {}}`;
//! - `webhooks` are not generated (a note in the report), `paths` may be absent,
//!   `jsonSchemaDialect` is ignored.
//!
//! Schemas are rewritten where the document's structure puts them, and wherever a `$ref` points
//! that is not an OpenAPI object of another kind (`$defs`, `#/x-definitions/...`). What moves is
//! recorded in [`Moves`], so errors and warnings name the place the document wrote it.

use serde_json::{Map, Value, json};

use crate::error::SpecError;
use crate::load::shape::{Shape, children};
use crate::load::refs::Kind;
use crate::pointer::Pointer;
use crate::report::{Reason, Report};



/// Where parts of the rewritten tree are written in the document: (pointer now, pointer as
/// written) prefixes, in the order they were moved.
#[derive(Clone, Debug, Default)]
pub struct Moves(Vec<(Pointer, Pointer)>);

impl Moves {
    pub(crate) fn record(&mut self, now: Pointer, written: Pointer) {
        if now != written {
            self.0.push((now, written));
        }
    }

    /// The pointer, in the document as written, of what is at `pointer` in the rewritten tree.
    pub fn written(&self, pointer: &Pointer) -> Pointer {
        let mut pointer = pointer.clone();
        // Newest first: a later move happened inside the tree an earlier one had made.
        for (now, written) in self.0.iter().rev() {
            if let Some(moved) = pointer.moved(now, written) {
                pointer = moved;
            }
        }
        pointer
    }
}

/// Rewrites `raw` in place (see the module documentation); notes go to `report`, with pointers
/// of the rewritten tree (see [`Moves::written`]).
pub fn normalize(raw: &mut Value, report: &mut Report) -> Result<Moves, SpecError> {
    let version_3_1 = raw.get("openapi").and_then(Value::as_str).is_some_and(|v| v.starts_with("3.1."));
    let mut moves = Moves::default();
    mark_mutual_tls(raw, report);
    inline_path_items(raw, &mut moves)?;
    crate::load::media_refs::inline_media_type_refs(raw, &mut moves, report)?;
    if version_3_1 {
        if let Some(Value::Object(webhooks)) = raw.get("webhooks") {
            if !webhooks.is_empty() {
                let detail = format!("{} webhook(s)", webhooks.len());
                report.push(Reason::Webhooks, Pointer::from_tokens(["webhooks"]), Some(detail));
            }
        }
        if let Value::Object(document) = raw {
            document.entry("paths").or_insert_with(|| json!({}));
        }
    }
    let roots = normalize_roots(raw, version_3_1, report, &mut moves);
    let mut normalizer = Normalizer { version_3_1, report, moves: &mut moves };
    // Targets of `$ref`s elsewhere. A schema already rewritten would be left as it is, so each is
    // visited once (a component is the target of many `$ref`s, and most are roots).
    let mut visited: std::collections::HashSet<Pointer> = roots.into_iter().collect();
    let mut targets = Vec::new();
    ref_targets(raw, &mut std::collections::HashSet::new(), &mut targets);
    for target in targets {
        if !visited.contains(&target) {
            if let Some(schema) = target.find_mut(raw) {
                normalizer.schema(schema, &target);
            }
            visited.insert(target);
        }
    }
    Ok(moves)
}

/// The schemas where the document's structure puts them (below `paths` and below `components`)
/// normalized, the two parts on two threads; their notes and moves are added in document order,
/// as one walk would add them. Returns the schemas' pointers.
fn normalize_roots(raw: &mut Value, version_3_1: bool, report: &mut Report, moves: &mut Moves) -> Vec<Pointer> {
    const PARTS: [&str; 2] = ["paths", "components"];
    let Value::Object(document) = raw else { return Vec::new() };
    // Each part is moved into a document of its own (its pointers stay the same), and back.
    let mut parts = PARTS.map(|key| {
        let mut part = Map::new();
        if let Some(value) = document.get_mut(key) {
            part.insert(key.to_owned(), std::mem::take(value));
        }
        Value::Object(part)
    });
    let normalize_part = |part: &mut Value| {
        let (mut report, mut moves) = (Report::default(), Moves::default());
        let mut roots = Vec::new();
        schema_roots(Shape::Document, part, &Pointer::root(), &mut roots);
        let mut normalizer = Normalizer { version_3_1, report: &mut report, moves: &mut moves };
        for root in &roots {
            if let Some(schema) = root.find_mut(part) {
                normalizer.schema(schema, root);
            }
        }
        (roots, report, moves)
    };
    let [paths, components] = &mut parts;
    let (first, second) = crate::parallel::join(|| normalize_part(paths), || normalize_part(components));
    for (key, part) in PARTS.into_iter().zip(parts) {
        if let (Value::Object(mut part), Some(slot)) = (part, document.get_mut(key)) {
            *slot = part.remove(key).unwrap_or_default();
        }
    }
    let mut all_roots = Vec::new();
    for (roots, mut part_report, part_moves) in [first, second] {
        all_roots.extend(roots);
        report.entries.append(&mut part_report.entries);
        moves.0.extend(part_moves.0);
    }
    all_roots
}

/// Rewrites each `mutualTLS` security scheme into a marked `http` one (see the module docs).
fn mark_mutual_tls(raw: &mut Value, report: &mut Report) {
    let Some(Value::Object(schemes)) = raw.pointer_mut("/components/securitySchemes") else { return };
    for (name, scheme) in schemes.iter_mut() {
        if scheme.get("type").and_then(Value::as_str) == Some("mutualTLS") {
            let mut marked = json!({"type": "http", "scheme": "mutualTLS", crate::openapi::MUTUAL_TLS_MARK: true});
            if let Some(description) = scheme.get("description") {
                marked["description"] = description.clone();
            }
            *scheme = marked;
            let at = Pointer::from_tokens(["components", "securitySchemes", name]);
            report.push(Reason::MutualTls, at, None);
        }
    }
}

/// Top-level fields of an OpenAPI document that never hold schemas.
const NOT_SCHEMAS: &[&str] = &["openapi", "info", "servers", "security", "tags", "externalDocs", "jsonSchemaDialect", "webhooks"];

/// Pointers of the `$ref` targets in `value` that may be schemas outside the OpenAPI structure.
fn ref_targets<'v>(value: &'v Value, seen: &mut std::collections::HashSet<&'v str>, out: &mut Vec<Pointer>) {
    match value {
        Value::Object(map) => {
            // A component is the target of many `$ref`s: each text is read once.
            if let Some(Value::String(reference)) = map.get("$ref")
                && seen.insert(reference.as_str())
                && let Ok(pointer) = Pointer::from_ref(reference)
            {
                let top = pointer.tokens().next();
                let kind = crate::load::refs::kind_at(&pointer);
                if top.is_some_and(|top| !NOT_SCHEMAS.contains(&top.as_ref())) && matches!(kind, Kind::Schema | Kind::Other) {
                    out.push(pointer);
                }
            }
            map.values().for_each(|v| ref_targets(v, seen, out));
        }
        Value::Array(items) => items.iter().for_each(|v| ref_targets(v, seen, out)),
        _ => {}
    }
}

/// Pointers of the schemas directly below non-schema objects (nested ones are reached from these).
fn schema_roots(shape: Shape, value: &Value, pointer: &Pointer, out: &mut Vec<Pointer>) {
    for (child_shape, child, child_pointer) in children(shape, value, pointer) {
        match child_shape {
            Shape::Schema => out.push(child_pointer),
            _ => schema_roots(child_shape, child, &child_pointer, out),
        }
    }
}

/// Replaces each local path-item `$ref` under `paths` by a copy of its target.
fn inline_path_items(raw: &mut Value, moves: &mut Moves) -> Result<(), SpecError> {
    const MAX_HOPS: usize = 64;
    let Some(Value::Object(paths)) = raw.get("paths") else {
        return Ok(());
    };
    let mut replacements = Vec::new();
    for (path, item) in paths {
        let Some(Value::String(first)) = item.get("$ref") else {
            continue;
        };
        let at = Pointer::from_tokens(["paths", path, "$ref"]);
        let mut reference = first.clone();
        let mut merged = item.as_object().cloned().unwrap_or_default();
        merged.remove("$ref");
        let mut hops = 0;
        // An external reference stays a `$ref`, for the lowering to refuse.
        while let Ok(pointer) = Pointer::from_ref(&reference) {
            let target = pointer.find(raw).and_then(Value::as_object).ok_or_else(|| {
                SpecError::invalid(&at, format!("$ref `{reference}` points to no path item"))
            })?;
            let item_pointer = Pointer::from_tokens(["paths", path]);
            for (key, value) in target {
                if key != "$ref" && !merged.contains_key(key) {
                    merged.insert(key.clone(), value.clone());
                    moves.record(item_pointer.push(key), pointer.push(key));
                }
            }
            match target.get("$ref") {
                Some(Value::String(next)) if hops < MAX_HOPS => {
                    hops += 1;
                    reference = next.clone();
                }
                Some(_) => return Err(SpecError::invalid(&at, format!("$ref `{first}` is a cycle of references"))),
                None => {
                    replacements.push((path.clone(), Value::Object(merged)));
                    break;
                }
            }
        }
    }
    if let Some(Value::Object(paths)) = raw.get_mut("paths") {
        for (path, item) in replacements {
            paths.insert(path, item);
        }
    }
    Ok(())
}

/// Keywords that apply to one JSON type only; they follow their type into its `anyOf` member.
const KEYWORDS_BY_TYPE: &[(&str, &[&str])] = &[
    ("string", &["minLength", "maxLength", "pattern", "format", "contentMediaType", "contentEncoding"]),
    ("number", &["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format"]),
    ("integer", &["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format"]),
    ("array", &["items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"]),
    (
        "object",
        &["properties", "required", "additionalProperties", "patternProperties", "minProperties", "maxProperties", "propertyNames"],
    ),
];

/// Count keywords, `usize` in `openapiv3`.
const COUNTS: &[&str] = &["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];

/// Bounds of an integer schema, `i64` in `openapiv3`.
const INTEGER_BOUNDS: &[&str] = &["minimum", "maximum", "multipleOf"];

struct Normalizer<'r> {
    version_3_1: bool,
    report: &'r mut Report,
    moves: &'r mut Moves,
}

impl Normalizer<'_> {
    /// Normalizes the schema at `pointer`, then the schemas nested in it.
    fn schema(&mut self, value: &mut Value, pointer: &Pointer) {
        if self.version_3_1 {
            if let Value::Bool(admits_anything) = value {
                *value = if *admits_anything { json!({}) } else { json!({"not": {}}) };
            }
        }
        let Value::Object(map) = value else {
            return;
        };
        if self.version_3_1 {
            let moves = &mut *self.moves;
            let mut moved = |now: &[&str], written: &[&str]| moves.record(pointer.join(now), pointer.join(written));
            wrap_ref_with_siblings(map, &mut moved);
            types_to_3_0(map, &mut moved);
            null_members_to_nullable(map, &mut moved);
            if let Some(value) = map.remove("const") {
                map.insert("enum".to_owned(), Value::Array(vec![value]));
                moved(&["enum", "0"], &["const"]);
            }
            if map.get("examples").is_some_and(Value::is_array) {
                if let Some(Value::Array(examples)) = map.remove("examples") {
                    if let (false, Some(first)) = (map.contains_key("example"), examples.into_iter().next()) {
                        map.insert("example".to_owned(), first);
                    }
                }
            }
        }
        exclusive_bounds(map);
        self.numbers(map, pointer);
        self.nested(map, pointer);
    }

    fn nested(&mut self, map: &mut Map<String, Value>, pointer: &Pointer) {
        for key in ["properties", "$defs", "definitions"] {
            if let Some(Value::Object(members)) = map.get_mut(key) {
                let at = pointer.push(key);
                for (name, member) in members.iter_mut() {
                    self.schema(member, &at.push(name));
                }
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(members)) = map.get_mut(key) {
                let at = pointer.push(key);
                for (i, member) in members.iter_mut().enumerate() {
                    self.schema(member, &at.push(&i.to_string()));
                }
            }
        }
        for key in ["items", "not", "additionalProperties"] {
            match map.get_mut(key) {
                // `additionalProperties: false` is 3.0 too, and means what it says there.
                Some(Value::Bool(_)) if key == "additionalProperties" => {}
                Some(child @ (Value::Object(_) | Value::Bool(_))) => self.schema(child, &pointer.push(key)),
                _ => {}
            }
        }
    }

    /// Lengths and counts as integers, an integer schema's bounds as `i64`, or dropped.
    fn numbers(&mut self, map: &mut Map<String, Value>, pointer: &Pointer) {
        let is_integer = map.get("type").and_then(Value::as_str) == Some("integer");
        for &key in COUNTS.iter().chain(if is_integer { INTEGER_BOUNDS } else { &[] }) {
            let Some(Value::Number(number)) = map.get(key) else {
                continue;
            };
            if number.is_i64() || (number.is_u64() && COUNTS.contains(&key)) {
                continue;
            }
            let whole = number.as_f64().filter(|f| f.fract() == 0.0);
            let fits = match whole {
                // The float range of each type, ends excluded where they round up past the end.
                Some(f) if COUNTS.contains(&key) => (0.0..18_446_744_073_709_551_616.0).contains(&f),
                Some(f) => (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f),
                None => continue,
            };
            if fits {
                let f = whole.unwrap_or_default();
                let replacement = if f < 0.0 { json!(f as i64) } else { json!(f as u64) };
                map.insert(key.to_owned(), replacement);
            } else if COUNTS.contains(&key) && whole.is_some_and(|f| f < 0.0) {
                // A negative count is a mistake `openapiv3` reports; leave it to say so.
            } else {
                let detail = format!("{key}: {number}");
                map.remove(key);
                self.report.push(Reason::DroppedBound, pointer.push(key), Some(detail));
            }
        }
    }
}

/// Records that what is now at the first tokens (below the schema) was written at the second.
type Moved<'m> = dyn FnMut(&[&str], &[&str]) + 'm;

/// `{$ref, ...}`: the siblings apply too (3.1), so the `$ref` becomes an `allOf` member (the
/// last, so the members written keep their places).
fn wrap_ref_with_siblings(map: &mut Map<String, Value>, moved: &mut Moved<'_>) {
    if !map.contains_key("$ref") || map.len() == 1 {
        return;
    }
    map.remove("$comment");
    if map.len() == 1 {
        return;
    }
    let Some(reference) = map.remove("$ref") else { return };
    let member = json!({ "$ref": reference });
    let index = match map.get_mut("allOf") {
        Some(Value::Array(members)) => {
            members.push(member);
            members.len() - 1
        }
        _ => {
            map.insert("allOf".to_owned(), Value::Array(vec![member]));
            0
        }
    };
    // The member stands where the `$ref` was written: an error about it names that place.
    moved(&["allOf", &index.to_string()], &[]);
}

/// `type` as a list, or `"null"`: the 3.0 spelling (see the module documentation).
fn types_to_3_0(map: &mut Map<String, Value>, moved: &mut Moved<'_>) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        Some(Value::String(t)) if t == "null" => vec![t.clone()],
        _ => return,
    };
    let nullable = types.iter().any(|t| t == "null");
    let mut others: Vec<String> = Vec::new();
    for t in types.into_iter().filter(|t| t != "null") {
        if !others.contains(&t) {
            others.push(t);
        }
    }
    map.remove("type");
    if nullable {
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
    match others.as_slice() {
        [] if nullable => {
            map.entry("enum").or_insert_with(|| json!([null]));
        }
        [] => {}
        [only] => {
            map.insert("type".to_owned(), Value::String(only.clone()));
        }
        several => {
            let mut members = Vec::with_capacity(several.len());
            for (i, t) in several.iter().enumerate() {
                let mut member = Map::new();
                member.insert("type".to_owned(), Value::String(t.clone()));
                moved(&["anyOf", &i.to_string(), "type"], &["type"]);
                let keywords = KEYWORDS_BY_TYPE.iter().find(|(name, _)| name == t).map_or(&[][..], |(_, k)| k);
                for keyword in keywords {
                    if let Some(value) = map.get(*keyword) {
                        member.insert((*keyword).to_owned(), value.clone());
                        moved(&["anyOf", &i.to_string(), keyword], &[keyword]);
                    }
                }
                members.push(Value::Object(member));
            }
            for (_, keywords) in KEYWORDS_BY_TYPE {
                for keyword in *keywords {
                    map.remove(*keyword);
                }
            }
            // An `anyOf` already there must hold as well.
            if let Some(existing) = map.remove("anyOf") {
                let all_of = map.entry("allOf").or_insert_with(|| json!([]));
                if let Value::Array(all_of) = all_of {
                    all_of.push(json!({ "anyOf": existing }));
                    moved(&["allOf", &(all_of.len() - 1).to_string(), "anyOf"], &["anyOf"]);
                }
            }
            map.insert("anyOf".to_owned(), Value::Array(members));
        }
    }
}

/// Whether a (3.1) schema admits only null.
fn only_null(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => !types.is_empty() && types.iter().all(|t| t == "null"),
        _ => schema.get("const").is_some_and(Value::is_null) || schema.get("enum") == Some(&json!([null])),
    }
}

/// `anyOf`/`oneOf` members that admit only null make the schema nullable instead.
fn null_members_to_nullable(map: &mut Map<String, Value>, moved: &mut Moved<'_>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = map.get_mut(key) else {
            continue;
        };
        let kept: Vec<usize> = (0..members.len()).filter(|&i| !only_null(&members[i])).collect();
        if kept.len() == members.len() {
            continue;
        }
        let mut index = 0;
        members.retain(|_| {
            index += 1;
            kept.contains(&(index - 1))
        });
        map.insert("nullable".to_owned(), Value::Bool(true));
        let Some(Value::Array(members)) = map.remove(key) else { continue };
        match <[Value; 1]>::try_from(members) {
            // One type or null: the 3.0 way to say it is a nullable `allOf` wrapper.
            Ok([only]) => {
                let at = match map.get_mut("allOf") {
                    Some(Value::Array(all_of)) => {
                        all_of.push(only);
                        all_of.len() - 1
                    }
                    _ => {
                        map.insert("allOf".to_owned(), Value::Array(vec![only]));
                        0
                    }
                };
                moved(&["allOf", &at.to_string()], &[key, &kept[0].to_string()]);
            }
            Err(members) if members.is_empty() => {
                map.entry("enum").or_insert_with(|| json!([null]));
            }
            Err(members) => {
                for (now, written) in kept.iter().enumerate() {
                    moved(&[key, &now.to_string()], &[key, &written.to_string()]);
                }
                map.insert(key.to_owned(), Value::Array(members));
            }
        }
    }
}

/// 3.1 (and 3.0 documents written with 3.1 habits) bound a value with a number in
/// `exclusiveMinimum`/`exclusiveMaximum`; 3.0 says `minimum` plus `exclusiveMinimum: true`.
fn exclusive_bounds(map: &mut Map<String, Value>) {
    for (exclusive, inclusive, stricter) in [
        ("exclusiveMinimum", "minimum", (|e: f64, i: f64| e >= i) as fn(f64, f64) -> bool),
        ("exclusiveMaximum", "maximum", |e: f64, i: f64| e <= i),
    ] {
        let Some(Value::Number(bound)) = map.get(exclusive).cloned() else {
            continue;
        };
        let current = map.get(inclusive).and_then(Value::as_f64);
        let replace = match (bound.as_f64(), current) {
            (Some(e), Some(i)) => stricter(e, i),
            _ => true,
        };
        if replace {
            map.insert(inclusive.to_owned(), Value::Number(bound));
            map.insert(exclusive.to_owned(), Value::Bool(true));
        } else {
            map.remove(exclusive);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_3_1(schema: Value) -> Value {
        let mut raw = json!({"openapi": "3.1.0", "paths": {}, "components": {"schemas": {"S": schema}}});
        normalize(&mut raw, &mut Report::default()).unwrap();
        raw["components"]["schemas"]["S"].take()
    }

    fn document(version: &str, schema: Value) -> (Value, Report) {
        let mut raw = json!({
            "openapi": version, "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"S": schema}}
        });
        let mut report = Report::default();
        normalize(&mut raw, &mut report).unwrap();
        (raw["components"]["schemas"]["S"].clone(), report)
    }

    #[test]
    fn type_lists_become_nullable_or_any_of() {
        assert_eq!(schema_3_1(json!({"type": ["string", "null"]})), json!({"type": "string", "nullable": true}));
        assert_eq!(schema_3_1(json!({"type": ["integer"]})), json!({"type": "integer"}));
        assert_eq!(schema_3_1(json!({"type": "null"})), json!({"nullable": true, "enum": [null]}));
        assert_eq!(
            schema_3_1(json!({"type": ["string", "array", "null"], "maxLength": 3, "items": {"type": "integer"}, "description": "d"})),
            json!({"description": "d", "nullable": true, "anyOf": [
                {"type": "string", "maxLength": 3},
                {"type": "array", "items": {"type": "integer"}}
            ]})
        );
    }

    #[test]
    fn null_members_make_the_schema_nullable() {
        assert_eq!(
            schema_3_1(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}], "description": "d"})),
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(
            schema_3_1(json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})),
            json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn const_examples_refs_and_booleans() {
        assert_eq!(schema_3_1(json!({"const": "on", "examples": ["on", "off"]})), json!({"enum": ["on"], "example": "on"}));
        assert_eq!(
            schema_3_1(json!({"$ref": "#/components/schemas/A", "description": "d", "$comment": "c"})),
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(
            schema_3_1(json!({"$ref": "#/components/schemas/A", "allOf": [{"type": "object"}]})),
            json!({"allOf": [{"type": "object"}, {"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(schema_3_1(json!({"$ref": "#/components/schemas/A", "$comment": "c"})), json!({"$ref": "#/components/schemas/A"}));
        assert_eq!(
            schema_3_1(json!({"properties": {"any": true, "none": false}, "additionalProperties": false})),
            json!({"properties": {"any": {}, "none": {"not": {}}}, "additionalProperties": false})
        );
    }

    #[test]
    fn numeric_exclusive_bounds_become_3_0_bounds() {
        assert_eq!(schema_3_1(json!({"exclusiveMinimum": 0})), json!({"minimum": 0, "exclusiveMinimum": true}));
        assert_eq!(
            schema_3_1(json!({"minimum": 5, "exclusiveMinimum": 1, "exclusiveMaximum": 9, "maximum": 10})),
            json!({"minimum": 5, "exclusiveMaximum": true, "maximum": 9})
        );
        assert_eq!(schema_3_1(json!({"exclusiveMinimum": true, "minimum": 1})), json!({"exclusiveMinimum": true, "minimum": 1}));
    }

    #[test]
    fn numbers_load_as_integers_or_are_dropped_with_a_note() {
        // -9223372036854776000 is i64::MIN printed as a float: it is read as i64::MIN.
        let (schema, report) = document(
            "3.0.3",
            json!({"type": "object", "properties": {
                "big": {"type": "integer", "minimum": -9_223_372_036_854_776_000.0, "maximum": 18_446_744_073_709_551_615u64},
                "whole": {"type": "integer", "minimum": -5.0, "maximum": 7.0, "multipleOf": 1.5},
                "text": {"type": "string", "maxLength": 10.0, "minLength": 1e20},
                "float": {"type": "number", "minimum": -1e30}
            }}),
        );
        assert_eq!(
            schema["properties"],
            json!({
                "big": {"type": "integer", "minimum": i64::MIN},
                "whole": {"type": "integer", "minimum": -5, "maximum": 7, "multipleOf": 1.5},
                "text": {"type": "string", "maxLength": 10},
                "float": {"type": "number", "minimum": -1e30}
            })
        );
        let dropped: Vec<&str> = report.entries.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            dropped,
            [
                "/components/schemas/S/properties/big/maximum",
                "/components/schemas/S/properties/text/minLength"
            ]
        );
        assert!(report.entries.iter().all(|e| e.reason == Reason::DroppedBound));
    }

    #[test]
    fn notes_and_moves_come_in_document_order_across_paths_and_components() {
        let big = || json!({"type": "string", "maxLength": 1e20});
        let mut raw = json!({
            "openapi": "3.1.0",
            "x-before": {"type": ["string", "null"]},
            "paths": {"/a": {"get": {"parameters": [{"name": "p", "in": "query", "schema": big()}], "responses": {}}}, "/b": {"get": {"parameters": [{"name": "q", "in": "query", "schema": big()}], "responses": {}}}},
            "components": {"schemas": {"S": big(), "T": {"$ref": "#/components/schemas/S", "description": "t"}}},
        });
        let mut report = Report::default();
        let moves = normalize(&mut raw, &mut report).unwrap();
        let notes: Vec<&str> = report.entries.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            notes,
            [
                "/paths/~1a/get/parameters/0/schema/maxLength",
                "/paths/~1b/get/parameters/0/schema/maxLength",
                "/components/schemas/S/maxLength"
            ]
        );
        // Both parts are back where they were, in their places among the document's keys.
        let keys: Vec<&String> = raw.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["openapi", "x-before", "paths", "components"]);
        assert_eq!(raw["components"]["schemas"]["T"], json!({"allOf": [{"$ref": "#/components/schemas/S"}], "description": "t"}));
        let written = moves.written(&Pointer::parse("/components/schemas/T/allOf/0/$ref").unwrap());
        assert_eq!(written, "/components/schemas/T/$ref");
    }

    #[test]
    fn a_3_0_document_keeps_its_3_0_meaning() {
        // In 3.0 `$ref` siblings are ignored and there is no `const` or type list to rewrite.
        let schema = json!({"properties": {"a": {"$ref": "#/components/schemas/A", "description": "d"}, "c": {"const": 1}}});
        assert_eq!(document("3.0.3", schema.clone()).0, schema);
    }

    #[test]
    fn path_item_refs_are_inlined_and_webhooks_noted() {
        let mut raw = json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"$ref": "#/components/pathItems/A", "summary": "mine"}, "/b": {"$ref": "other.yaml#/B"}},
            "webhooks": {"ping": {"post": {}}},
            "components": {"pathItems": {"A": {"$ref": "#/components/pathItems/B", "summary": "A's"}, "B": {"get": {"responses": {}}}}}
        });
        let mut report = Report::default();
        normalize(&mut raw, &mut report).unwrap();
        assert_eq!(raw["paths"]["/a"], json!({"summary": "mine", "get": {"responses": {}}}));
        assert_eq!(raw["paths"]["/b"], json!({"$ref": "other.yaml#/B"}));
        assert_eq!(report.entries.len(), 1);
        assert_eq!((report.entries[0].pointer.as_str(), report.entries[0].reason), ("/webhooks", Reason::Webhooks));

        let mut raw = json!({"openapi": "3.1.0", "paths": {"/a": {"$ref": "#/components/pathItems/Missing"}}});
        let error = normalize(&mut raw, &mut Report::default()).unwrap_err();
        assert_eq!(error.pointer, "/paths/~1a/$ref");
        let mut raw = json!({"openapi": "3.1.0", "paths": {"/a": {"$ref": "#/paths/~1a"}}});
        assert!(normalize(&mut raw, &mut Report::default()).unwrap_err().message.contains("cycle"));
    }
}

#[cfg(test)]
mod moves_tests {
    use super::*;

    #[test]
    fn pointers_of_rewritten_parts_lead_back_to_where_they_are_written() {
        let mut raw = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
            "x-defs": {"D": {"type": ["string", "array"], "items": {"$ref": "#/x-defs/E", "description": "d"}}, "E": {"const": 1}},
            "components": {
                "pathItems": {"A": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/x-defs/D"}}}}}}}},
                "schemas": {"S": {"oneOf": [{"type": "null"}, {"type": "string"}, {"type": "integer"}], "anyOf": [{"type": "null"}, {"$ref": "#/x-defs/E"}]}}
            }
        });
        let moves = normalize(&mut raw, &mut Report::default()).unwrap();
        // Each rewritten node, then where the document wrote it.
        for (now, written) in [
            ("/paths/~1a/get/responses/200", "/components/pathItems/A/get/responses/200"),
            ("/x-defs/D/anyOf/1/items/allOf/0/$ref", "/x-defs/D/items/$ref"),
            ("/x-defs/D/anyOf/1/items/allOf/0", "/x-defs/D/items"),
            ("/x-defs/D/anyOf/1/items/description", "/x-defs/D/items/description"),
            ("/x-defs/D/anyOf/0/type", "/x-defs/D/type"),
            ("/x-defs/E/enum/0", "/x-defs/E/const"),
            ("/components/schemas/S/oneOf/1", "/components/schemas/S/oneOf/2"),
            ("/components/schemas/S/allOf/0/$ref", "/components/schemas/S/anyOf/1/$ref"),
            ("/components/schemas/S", "/components/schemas/S"),
        ] {
            assert!(raw.pointer(now).is_some(), "{now} is not in the rewritten tree: {raw:#}");
            assert_eq!(moves.written(&Pointer::parse(now).unwrap()), written, "{now}");
        }
    }
}
