//! The test material of small specs written inline.

use std::path::Path;

use super::response_examples::response_examples;
use super::sampler::{Direction, Sampler};
use crate::ir::TypeRef;

#[test]
fn response_examples_are_written_ones_else_synthesized_from_the_schema() {
    let written = "  /w:\n    get:\n      operationId: w\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: integer}\n              example: 7\n";
    let schema = "{type: object, required: [n], properties: {n: {type: integer, example: '5432'}, s: {type: string, writeOnly: true}, when: {type: string, format: date-time}, tags: {type: array, items: {type: string, enum: [a, b]}}}}";
    let synthesized = format!("  /x:\n    get:\n      operationId: get\n      tags: ['t']\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n");
    let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{written}{synthesized}");
    let lowered = crate::lower_from_str(&text, Path::new("t.yaml"), &crate::Options::default()).expect("spec lowers");
    let checks = response_examples(&lowered.loaded, &lowered.api).expect("examples");
    let found: Vec<(&str, &str, &str)> = checks.iter().map(|c| (c.operation_id.as_str(), c.pointer.as_str(), c.json.as_str())).collect();
    assert_eq!(
        found,
        [
            ("w", "/paths/~1w/get/responses/200/content/application~1json/example", "7"),
            (
                "get",
                "/paths/~1x/get/responses/200/content/application~1json/schema (synthesized)",
                r#"{"n":"5432","when":"2024-01-01T00:00:00Z","tags":["a"]}"#
            ),
        ]
    );
    let id = lowered.api.types.find("x::GetResponse").expect("the type x::GetResponse");
    assert_eq!(checks[1].ty, TypeRef::Named(id));
}

#[test]
fn samples_of_allof_members_merge_into_one_value() {
    // Two members that say different things of the same rows: each row has both.
    let schema = serde_json::json!({"allOf": [
        {"properties": {"data": {"type": "array", "items": {"properties": {"dimensions": {"type": "array", "items": {"type": "string", "example": "NODATA"}}}}}}},
        {"properties": {"data": {"items": {"properties": {"metrics": {"type": "array", "items": {"type": "number"}}}}}, "rows": {"type": "integer", "example": 1}}},
    ]});
    let document = serde_json::json!({});
    let sampler = Sampler::new(&document, Direction::Response);
    let sample = sampler.sample(&schema, &[]).expect("a sample");
    assert_eq!(sample, serde_json::json!({"data": [{"dimensions": ["NODATA"], "metrics": [0.0]}], "rows": 1}));
}
