//! Runs inside the crate generated from `tests/fixtures/scopes.yaml` (see
//! `tests/compile_fixtures.rs`): Cloudflare's profile on a small API. One method serves the
//! account and the zone twin of a resource, the scope choosing the path; the envelope is
//! unwrapped and lists are read in pages.

use fixture_scopes::types::Widget;
use fixture_scopes::{Client, Credentials, Error, Scope};
use futures_util::StreamExt;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ACCOUNT: &str = "0123456789abcdef0123456789abcdef";
const ZONE: &str = "fedcba9876543210fedcba9876543210";

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).credentials(Credentials::api_token("t")).build().unwrap()
}

fn envelope(result: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"success": true, "errors": [], "messages": [], "result": result}))
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn the_scope_picks_the_path_of_one_method() {
    let server = MockServer::start().await;
    let widgets = serde_json::json!([{"id": "w1", "name": "one"}]);
    Mock::given(method("GET")).respond_with(envelope(widgets)).mount(&server).await;
    Mock::given(method("POST")).respond_with(envelope(serde_json::json!({"id": "w2"}))).mount(&server).await;
    let client = client(&server);

    let at_zone = client.widgets().list(Scope::Zone(ZONE)).await.unwrap();
    let at_account = client.widgets().list(Scope::Account(ACCOUNT)).await.unwrap();
    assert_eq!(at_zone.len(), 1);
    assert_eq!(at_zone[0].id, "w1");
    assert_eq!(at_account[0].name.as_deref(), Some("one"));
    let created = client.widgets().create(Scope::Zone(ZONE), &Widget::new("w2")).await.unwrap();
    assert_eq!(created.id, "w2");

    let paths: Vec<(String, String)> = requests(&server).await.iter().map(|r| (r.method.to_string(), r.url.path().to_owned())).collect();
    assert_eq!(
        paths,
        [
            ("GET".to_owned(), format!("/zones/{ZONE}/widgets")),
            ("GET".to_owned(), format!("/accounts/{ACCOUNT}/widgets")),
            ("POST".to_owned(), format!("/zones/{ZONE}/widgets")),
        ]
    );
}

#[tokio::test]
async fn twins_that_differ_keep_their_own_methods() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(envelope(serde_json::json!({"id": "w1"}))).mount(&server).await;
    let client = client(&server);
    client.widgets().get(ACCOUNT, "w1").await.unwrap();
    client.widgets().get_for_zone(ZONE, "w1", "name").await.unwrap();
    let seen: Vec<String> = requests(&server).await.iter().map(|r| format!("{}{}", r.url.path(), r.url.query().map(|q| format!("?{q}")).unwrap_or_default())).collect();
    assert_eq!(seen, [format!("/accounts/{ACCOUNT}/widgets/w1"), format!("/zones/{ZONE}/widgets/w1?fields=name")]);
}

#[tokio::test]
async fn a_scope_id_is_checked_and_encoded_like_any_path_parameter() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(envelope(serde_json::json!([]))).mount(&server).await;
    let client = client(&server);
    let too_long = "0".repeat(33);
    let error = client.widgets().list(Scope::Zone(&too_long)).await.unwrap_err();
    assert!(matches!(error, Error::InvalidParameter { .. }), "{error:?}");
    assert!(requests(&server).await.is_empty(), "nothing is sent");
    client.widgets().list(Scope::Account("a/b")).await.unwrap();
    assert_eq!(requests(&server).await[0].url.path(), "/accounts/a%2Fb/widgets");
}

#[tokio::test]
async fn a_scoped_list_is_read_in_pages() {
    let server = MockServer::start().await;
    let page = |n: u64, ids: &[&str]| {
        let result: Vec<serde_json::Value> = ids.iter().map(|id| serde_json::json!({"id": id})).collect();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "success": true, "errors": [], "messages": [], "result": result,
            "result_info": {"page": n, "per_page": 2, "total_pages": 2},
        }))
    };
    let zone_path = format!("/zones/{ZONE}/widgets");
    // The first page is asked for without a page number; the next one with `page=2`.
    Mock::given(path(zone_path.clone())).and(query_param("page", "2")).respond_with(page(2, &["c"])).mount(&server).await;
    Mock::given(path(zone_path)).respond_with(page(1, &["a", "b"])).mount(&server).await;
    let client = client(&server);
    let ids: Vec<String> = client.widgets().list(Scope::Zone(ZONE)).per_page(2).items().map(|w| w.unwrap().id).collect().await;
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(requests(&server).await.len(), 2, "no request after the last page");
}
