//! Runs inside the crate generated from `tests/fixtures/unions_tagged.yaml` (see
//! `tests/compile_fixtures.rs`): tagged unions pick their member by the tag, keep unknown tags,
//! refuse a known tag with a wrong body, and a record is created without the read-only fields.

use fixture_unions_tagged::types::{ARecord, ARecordType, Cat, Dog, Pet, Record};
use fixture_unions_tagged::{Client, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn a_record() -> ARecord {
    ARecord { id: None, name: "www".into(), r#type: ARecordType::A, created_on: None, content: "192.0.2.1".into() }
}

#[test]
fn the_tag_picks_the_member() {
    let record: Record = serde_json::from_value(json!({"type": "CNAME", "name": "www", "content": "example.com", "flatten": true})).unwrap();
    let Record::Cname(cname) = record else { panic!("not a CNAME: {record:?}") };
    assert_eq!((cname.content.as_str(), cname.flatten), ("example.com", Some(true)));
}

#[test]
fn an_unknown_tag_is_kept_as_received() {
    let body = json!({"type": "SVCB", "name": "www", "data": {"priority": 1}});
    let record: Record = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(record, Record::UnknownValue(body.clone()));
    assert_eq!(serde_json::to_value(&record).unwrap(), body, "sent back unchanged");
}

#[test]
fn a_known_tag_with_a_wrong_body_is_an_error() {
    let error = serde_json::from_value::<Record>(json!({"type": "A", "name": "www"})).unwrap_err().to_string();
    assert!(error.contains("`type` is `A`") && error.contains("content"), "{error}");
    assert!(serde_json::from_value::<Record>(json!({"name": "www"})).is_err(), "no tag, no member");
}

#[test]
fn an_explicit_discriminator_uses_its_mapping_and_the_component_name() {
    let cat: Pet = serde_json::from_value(json!({"pet_type": "Cat", "lives": 9})).unwrap();
    assert_eq!(cat, Pet::Cat(Cat { pet_type: "Cat".into(), lives: 9 }));
    let dog: Pet = serde_json::from_value(json!({"pet_type": "good-dog"})).unwrap();
    assert_eq!(dog, Pet::GoodDog(Dog { pet_type: "good-dog".into(), bark: None }));
    let other: Pet = serde_json::from_value(json!({"pet_type": "Dog"})).unwrap();
    assert!(matches!(other, Pet::UnknownValue(_)), "the mapping renames Dog: {other:?}");
}

#[tokio::test]
async fn creating_a_record_sends_only_what_the_client_sets() -> Result<(), Error> {
    let server = MockServer::start().await;
    let stored = json!({"id": "r1", "type": "A", "name": "www", "content": "192.0.2.1", "created_on": "2024-01-01T00:00:00Z"});
    Mock::given(method("POST"))
        .and(path("/records"))
        .respond_with(ResponseTemplate::new(200).set_body_json(stored))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build()?;
    let created = client.records().create(&Record::A(a_record())).await?;
    let sent: serde_json::Value = serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(sent, json!({"type": "A", "name": "www", "content": "192.0.2.1"}), "no id, no created_on");
    let Record::A(created) = created else { panic!("not an A record: {created:?}") };
    assert_eq!((created.id.as_deref(), created.created_on.as_deref()), (Some("r1"), Some("2024-01-01T00:00:00Z")));
    Ok(())
}
