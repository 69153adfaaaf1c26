//! Runs inside the crate generated from `tests/fixtures/read_only.yaml` (see
//! `tests/compile_fixtures.rs`): read-only properties are required of responses only.

use fixture_read_only::types::Zone;
use serde_json::json;

#[test]
fn a_request_carries_only_what_the_client_sets() {
    let zone = Zone { id: None, name: "example.com".into(), created_on: None, status: None, paused: None };
    assert_eq!(serde_json::to_value(&zone).unwrap(), json!({"name": "example.com"}));
}

#[test]
fn a_response_still_decodes_them() {
    let zone: Zone = serde_json::from_value(json!({"id": "z1", "name": "n", "created_on": "t", "status": "active"})).unwrap();
    assert_eq!((zone.id.as_deref(), zone.status.as_deref()), (Some("z1"), Some("active")));
}
