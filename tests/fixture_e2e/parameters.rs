//! Runs inside the crate generated from `tests/fixtures/parameters.yaml` (see
//! `tests/compile_fixtures.rs`): query, header and body handling of generated methods, end to end,
//! with hostile argument values.

use fixture_parameters::types::Record;
use fixture_parameters::zones::records::{List, ListOrder};
use fixture_parameters::{Client, Error};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ZONE: &str = "0123456789abcdef0123456789abcdef";

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([]))).mount(&server).await;
    server
}

fn client(server: &MockServer) -> Client {
    // The spec declares no security scheme, so the crate has no credential kind: a header the
    // API wants goes in as a default header.
    Client::builder().base_url(server.uri()).default_header("Authorization", "Bearer token").build().unwrap()
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

/// A list call with every optional input set, hostile values included.
fn list<'a>(client: &'a Client, zone: &'a str) -> List<'a> {
    client
        .zones()
        .records()
        .list(zone, 2, 3)
        .proxied(true)
        .order(ListOrder::Ttl)
        .tag(vec!["a&b=c".to_owned(), "#x?y".to_owned(), "ü".to_owned()])
        .filter(serde_json::json!({"name": "www"}))
        .if_none_match("\"etag\"")
}

#[tokio::test]
async fn query_and_header_values_arrive_intact_and_cannot_add_parameters() {
    let server = server().await;
    list(&client(&server), ZONE).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), format!("/zones/{ZONE}/records"));
    let pairs: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let expected = [
        ("page", "2"),
        ("proxied", "true"),
        ("order", "ttl"),
        ("tag", "a&b=c"),
        ("tag", "#x?y"),
        ("tag", "ü"),
        ("filter", r#"{"name":"www"}"#),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    assert_eq!(pairs, expected);
    assert_eq!(request.url.fragment(), None);
    assert_eq!(request.headers.get("if-none-match").unwrap(), "\"etag\"");
    assert_eq!(request.headers.get("x-request-count").unwrap(), "3");
    // The client's default headers go with every call.
    assert_eq!(request.headers.get("authorization").unwrap(), "Bearer token");
}

#[tokio::test]
async fn header_values_with_line_breaks_are_refused_before_sending() {
    let server = server().await;
    let client = client(&server);
    let error = list(&client, ZONE).if_none_match("x\r\nX-Injected: 1").await.unwrap_err();

    match &error {
        Error::InvalidParameter { name, reason } => {
            assert_eq!(*name, "If-None-Match");
            assert!(!reason.contains("Injected"), "{reason}");
        }
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn path_constraints_apply_to_every_operation_of_the_path() {
    let server = server().await;
    let client = client(&server);
    let error = list(&client, "short").await.unwrap_err();
    assert!(matches!(error, Error::InvalidParameter { name: "zone_id", .. }), "{error:?}");
    let long = "x".repeat(37);
    let error = client.zones().records().delete(ZONE, &long).await.unwrap_err();
    assert!(matches!(error, Error::InvalidParameter { name: "record_id", .. }), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn json_bodies_carry_the_spec_media_type() {
    let server = server().await;
    let record = Record { name: "www".to_owned(), ttl: Some(60), weight: None };

    client(&server).zones().batch().edit(ZONE, &[1, 2, 3], &record).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), format!("/zones/{ZONE}/batch/1%2C2%2C3"));
    assert_eq!(request.headers.get("content-type").unwrap(), "application/merge-patch+json");
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body, serde_json::json!({"name": "www", "ttl": 60}));
}

#[tokio::test]
async fn optional_bodies_are_sent_only_when_given() {
    let server = server().await;
    client(&server).zones().records().bulk_edit(ZONE).await.unwrap();
    let request = only_request(&server).await;
    assert!(request.body.is_empty());
    assert!(request.headers.get("content-type").is_none());
}

#[tokio::test]
async fn raw_bodies_are_sent_as_given() {
    let server = server().await;
    client(&server).zones().records().update(ZONE, 42, vec![0, 159, 146, 150]).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.path(), format!("/zones/{ZONE}/records/42"));
    assert_eq!(request.headers.get("content-type").unwrap(), "application/octet-stream");
    assert_eq!(request.body, [0, 159, 146, 150]);
}

#[tokio::test]
async fn methods_without_a_shorthand_are_sent_as_declared() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = client(&server);
    client.status().head().await.unwrap();
    client.status().options().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let sent: Vec<(&str, &str)> = requests.iter().map(|r| (r.method.as_str(), r.url.path())).collect();
    assert_eq!(sent, [("HEAD", "/status"), ("OPTIONS", "/status")]);
}
