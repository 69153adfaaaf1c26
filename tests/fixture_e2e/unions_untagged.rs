//! Runs inside the crate generated from `tests/fixtures/unions_untagged.yaml` (see
//! `tests/compile_fixtures.rs`): untagged unions decode into the most specific member.

use fixture_unions_untagged::purge::CreateBody as PurgeBody;
use fixture_unions_untagged::types::{OriginLoose, OriginStrict, PurgeEverything, Setting, SettingMode, SettingOrigin, SettingRatio, SettingValue};
use serde_json::json;

fn setting(value: serde_json::Value) -> Setting {
    serde_json::from_value(json!({"id": "x", "value": value})).unwrap()
}

#[test]
fn primitives_decode_into_the_narrowest_member() {
    assert_eq!(setting(json!(300)).value, SettingValue::Integer(300));
    assert_eq!(setting(json!(0.5)).value, SettingValue::Number(0.5));
    assert_eq!(setting(json!("auto")).value, SettingValue::String("auto".into()));
    assert_eq!(setting(json!(["a"])).value, SettingValue::Array(vec!["a".into()]));
    assert!(serde_json::from_value::<Setting>(json!({"id": "x", "value": true})).is_err(), "no member takes a boolean");
}

#[test]
fn nullable_unions_are_options() {
    let decoded: Setting = serde_json::from_value(json!({"id": "x", "value": 1, "ratio": null, "note": null})).unwrap();
    assert_eq!((decoded.ratio, decoded.note), (None, None));
    let decoded: Setting = serde_json::from_value(json!({"id": "x", "value": 1, "ratio": 2})).unwrap();
    assert_eq!(decoded.ratio, Some(SettingRatio::Integer(2)));
}

#[test]
fn string_unions_are_one_enum() {
    let decoded: Setting = serde_json::from_value(json!({"id": "x", "value": 1, "mode": "off"})).unwrap();
    assert_eq!(decoded.mode, Some(SettingMode::Off));
    let decoded: Setting = serde_json::from_value(json!({"id": "x", "value": 1, "mode": "new"})).unwrap();
    assert_eq!(decoded.mode, Some(SettingMode::UnknownValue("new".into())));
}

#[test]
fn objects_with_more_required_properties_are_tried_first() {
    let origin = |value| serde_json::from_value::<Setting>(json!({"id": "x", "value": 1, "origin": value})).unwrap().origin;
    let strict = OriginStrict { host: "h".into(), port: 443, protocol: "https".into() };
    assert_eq!(origin(json!({"host": "h", "port": 443, "protocol": "https"})), Some(SettingOrigin::Strict(strict)));
    assert_eq!(origin(json!({"host": "h", "port": 443})), Some(SettingOrigin::Loose(OriginLoose { host: "h".into(), port: Some(443) })));
    assert_eq!(origin(json!("h")), Some(SettingOrigin::HostName("h".into())));
}

#[test]
fn a_union_body_is_sent_as_its_member() {
    let body = PurgeBody::Everything(PurgeEverything { purge_everything: true });
    assert_eq!(serde_json::to_value(&body).unwrap(), json!({"purge_everything": true}));
}
