//! The generated client against a real HTTP server on loopback (wiremock).

use std::time::Duration;

use cloudflare_api::{ApiErrorKind, Client, CredentialKind, Credentials, Error};
use serde_json::json;
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const OAUTH_CLIENT: &str = "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4";
const TOKEN: &str = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY";
const API_KEY: &str = "144c9defac04969c7bfad8efaa8ea194";
const SECRET: &str = "cf-oauth-secret-new-example";

fn rotate_path() -> String {
    format!("/accounts/{ACCOUNT}/oauth_clients/{OAUTH_CLIENT}/rotate_secret")
}

fn success_body() -> serde_json::Value {
    json!({
        "errors": [],
        "messages": [{"code": 1000, "message": "rotated"}],
        "success": true,
        "result": {"client_secret": SECRET}
    })
}

fn client_for(server: &MockServer, credentials: Credentials) -> Client {
    Client::builder().base_url(server.uri()).credentials(credentials).build().expect("client builds")
}

/// A server that answers every request with `response`.
async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    server
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

#[tokio::test]
async fn api_token_call_sends_post_with_bearer_and_returns_result() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(rotate_path()))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(success_body()))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, Credentials::api_token(TOKEN));

    let result = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.expect("call succeeds");

    assert_eq!(result.client_secret.as_deref(), Some(SECRET));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.url.path(), rotate_path());
    assert_eq!(request.url.query(), None);
    assert_eq!(request.headers.get("accept").unwrap(), "application/json");
    assert!(request.headers.get("x-auth-key").is_none());
    assert!(request.headers.get("x-auth-email").is_none());
}

#[tokio::test]
async fn api_key_call_sends_email_and_key_and_no_bearer() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(success_body())).await;
    let client = client_for(&server, Credentials::api_key("user@example.com", API_KEY));

    client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.expect("call succeeds");

    let requests = received(&server).await;
    let headers = &requests[0].headers;
    assert_eq!(headers.get("x-auth-email").unwrap(), "user@example.com");
    assert_eq!(headers.get("x-auth-key").unwrap(), API_KEY);
    assert!(headers.get("authorization").is_none());
}

/// Cloudflare's schema lists only email + API key on most DNS operations, but the API accepts
/// tokens there: the Cloudflare profile sends whatever credentials the client holds.
#[tokio::test]
async fn an_api_token_reaches_list_dns_records() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/zones/{ACCOUNT}/dns_records")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errors": [], "messages": [], "success": true, "result": [],
            "result_info": {"page": 1, "per_page": 100, "count": 0, "total_count": 0}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, Credentials::api_token(TOKEN));

    let records = client.dns().records().list(ACCOUNT).per_page(100).await.expect("a token is accepted");

    assert!(records.is_empty());
}

/// What the server decides: a kind the schema does not list is sent, and its 403 is the answer.
#[tokio::test]
async fn credentials_the_schema_does_not_list_are_sent_and_the_server_decides() {
    let server = server_answering(ResponseTemplate::new(403).set_body_json(json!({
        "errors": [{"code": 10000, "message": "Authentication error"}], "messages": [], "success": false, "result": null
    })))
    .await;
    let client = client_for(&server, Credentials::user_service_key("v1.0-service-key"));

    let error = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();

    assert_eq!(error.status(), Some(403), "{error:?}");
    assert!(!error.to_string().contains("v1.0-service-key"));
    let sent = received(&server).await;
    assert_eq!(sent.len(), 1, "sent once, not retried");
    assert_eq!(sent[0].headers["x-auth-user-service-key"], "v1.0-service-key");
}

#[tokio::test]
async fn failure_envelope_keeps_status_errors_messages_and_body() {
    let body = json!({
        "errors": [{
            "code": 10000,
            "message": "Authentication error",
            "documentation_url": "https://developers.cloudflare.com/api",
            "source": {"pointer": "/account_id"}
        }],
        "messages": [{"code": 1001, "message": "see the docs"}],
        "success": false,
        "result": null
    });
    let server = server_answering(ResponseTemplate::new(403).set_body_json(&body)).await;
    let client = client_for(&server, Credentials::api_token(TOKEN));

    let error = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();

    assert_eq!(error.status(), Some(403));
    let api = error.api_error().expect("an API error");
    assert_eq!(api.kind(), ApiErrorKind::Forbidden);
    assert_eq!(api.errors().len(), 1);
    assert_eq!(api.errors()[0].code, 10000);
    assert_eq!(api.errors()[0].message, "Authentication error");
    assert_eq!(api.errors()[0].documentation_url.as_deref(), Some("https://developers.cloudflare.com/api"));
    assert_eq!(api.errors()[0].source.as_ref().and_then(|s| s.pointer.as_deref()), Some("/account_id"));
    assert_eq!(api.messages()[0].message, "see the docs");
    assert_eq!(serde_json::from_slice::<serde_json::Value>(api.body()).unwrap(), body);
    assert!(error.to_string().contains("Authentication error"), "{error}");
}

#[tokio::test]
async fn success_false_on_http_200_is_an_error() {
    let body = json!({
        "errors": [{"code": 7003, "message": "Could not route"}],
        "messages": [],
        "success": false,
        "result": {"client_secret": SECRET}
    });
    let server = server_answering(ResponseTemplate::new(200).set_body_json(body)).await;
    let client = client_for(&server, Credentials::api_token(TOKEN));

    let error = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();

    let api = error.api_error().expect("an API error");
    assert_eq!(api.status(), 200);
    assert_eq!(api.errors()[0].code, 7003);
}

#[tokio::test]
async fn undecodable_success_body_is_a_decode_error_that_keeps_the_body() {
    let server = server_answering(ResponseTemplate::new(200).set_body_string("<html>oops</html>")).await;
    let client = client_for(&server, Credentials::api_token(TOKEN));

    let error = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();

    match error {
        Error::Decode(decode) => {
            assert_eq!(decode.status(), 200);
            assert_eq!(decode.body(), b"<html>oops</html>");
            assert_eq!(decode.body_text(), "<html>oops</html>");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn non_json_error_body_is_kept() {
    let server = server_answering(ResponseTemplate::new(502).set_body_string("Bad gateway")).await;
    let client = client_for(&server, Credentials::api_token(TOKEN));

    let error = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();

    let api = error.api_error().expect("an API error");
    assert_eq!(api.kind(), ApiErrorKind::Server);
    assert!(api.errors().is_empty());
    assert_eq!(api.body_text(), "Bad gateway");
}

#[tokio::test]
async fn unknown_fields_are_tolerated() {
    let body = json!({
        "errors": [], "messages": [], "success": true,
        "result": {"client_secret": SECRET, "added_later": {"x": 1}},
        "result_info": {"page": 1}
    });
    let server = server_answering(ResponseTemplate::new(200).set_body_json(body)).await;
    let client = client_for(&server, Credentials::api_token(TOKEN));

    let result = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.expect("decodes");
    assert_eq!(result.client_secret.as_deref(), Some(SECRET));
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_and_cannot_change_the_path() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(success_body())).await;
    let client = client_for(&server, Credentials::api_token(TOKEN));

    let hostile = ["../x", "a/b", "?admin=1", "#frag", "100%", "ü ñ", ".."];
    let mut expected = Vec::new();
    for id in hostile.iter().take(6) {
        client.iam().oauth_clients().rotate_secret(ACCOUNT, id).await.expect("sent");
    }
    expected.extend([
        "..%2Fx", "a%2Fb", "%3Fadmin%3D1", "%23frag", "100%25", "%C3%BC%20%C3%B1",
    ]);
    let error = client.iam().oauth_clients().rotate_secret(ACCOUNT, "..").await.unwrap_err();
    assert!(matches!(error, Error::InvalidParameter { name: "oauth_client_id", .. }), "{error:?}");

    let requests = received(&server).await;
    assert_eq!(requests.len(), expected.len(), "`..` must not be sent");
    for (request, segment) in requests.iter().zip(expected) {
        assert_eq!(request.url.path(), format!("/accounts/{ACCOUNT}/oauth_clients/{segment}/rotate_secret"));
        assert_eq!(request.url.query(), None);
        assert_eq!(request.url.fragment(), None);
    }
}

#[tokio::test]
async fn constraint_violations_are_caught_before_sending() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(success_body())).await;
    let client = client_for(&server, Credentials::api_token(TOKEN));

    let error = client.iam().oauth_clients().rotate_secret("too-short", OAUTH_CLIENT).await.unwrap_err();
    match &error {
        Error::InvalidParameter { name, reason } => {
            assert_eq!(*name, "account_id");
            assert!(reason.contains("32"), "{reason}");
        }
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
    assert!(error.to_string().contains("account_id"), "{error}");

    let long = "0".repeat(33);
    let error = client.iam().oauth_clients().rotate_secret(&long, OAUTH_CLIENT).await.unwrap_err();
    assert!(matches!(error, Error::InvalidParameter { name: "account_id", .. }), "{error:?}");

    let error = client.iam().oauth_clients().rotate_secret(ACCOUNT, "").await.unwrap_err();
    assert!(matches!(error, Error::InvalidParameter { name: "oauth_client_id", .. }), "{error:?}");

    assert!(received(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn secrets_are_redacted_from_debug_but_available() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(success_body())).await;
    let client = client_for(&server, Credentials::api_token(TOKEN));

    let result = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.expect("call succeeds");

    let debug = format!("{result:?}");
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(debug.contains("client_secret"), "{debug}");
    assert_eq!(result.client_secret.as_deref(), Some(SECRET));

    for credentials in [
        Credentials::api_token(TOKEN),
        Credentials::api_key("user@example.com", API_KEY),
        Credentials::user_service_key(API_KEY),
    ] {
        let debug = format!("{credentials:?}");
        assert!(!debug.contains(TOKEN) && !debug.contains(API_KEY), "{debug}");
        let client = client_for(&server, credentials);
        let debug = format!("{client:?}");
        assert!(!debug.contains(TOKEN) && !debug.contains(API_KEY), "{debug}");
    }
    let builder = Client::builder().credentials(Credentials::api_token(TOKEN));
    assert!(!format!("{builder:?}").contains(TOKEN));
}

/// Everything a caller might print of an error: `Display`, `Debug`, alternate `Debug`, and the
/// `Display` of every error in its `source()` chain (what `anyhow`'s `{:#}` shows).
fn everything_printed(error: &Error) -> String {
    let mut printed = format!("{error}\n{error:?}\n{error:#?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        printed.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    printed
}

/// A 200 answer to rotate_secret that carries the new secret but does not decode, and a
/// `success: false` answer that still carries it: the secret is in the error's body, and must
/// not be in anything the error prints.
#[tokio::test]
async fn errors_never_print_the_body_or_the_secret_it_holds() {
    let undecodable = [
        // The result has the wrong shape around a valid secret.
        json!({"success": true, "errors": [], "messages": [], "result": [{"client_secret": SECRET}]}),
        // The secret itself has the wrong type: serde would quote the value in its message.
        json!({"success": true, "errors": [], "messages": [], "result": SECRET}),
        json!({"success": true, "errors": [], "messages": [], "result": {"client_secret": [SECRET]}}),
    ];
    for body in undecodable {
        let server = server_answering(ResponseTemplate::new(200).set_body_json(&body)).await;
        let client = client_for(&server, Credentials::api_token(TOKEN));
        let error = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();
        let Error::Decode(decode) = &error else { panic!("expected a decode error, got {error:?}") };
        assert!(decode.body_text().contains(SECRET), "the body stays available");
        let printed = everything_printed(&error);
        assert!(!printed.contains(SECRET), "{printed}");
        assert!(!printed.contains(TOKEN), "{printed}");
        assert!(printed.contains("cannot decode the response body (HTTP 200 OK)"), "{printed}");
        assert!(printed.contains(&format!("<{} bytes>", decode.body().len())), "{printed}");
    }

    let failed = json!({
        "success": false,
        "errors": [{"code": 1000, "message": "rotation incomplete"}],
        "messages": [],
        "result": {"client_secret": SECRET}
    });
    let server = server_answering(ResponseTemplate::new(200).set_body_json(&failed)).await;
    let client = client_for(&server, Credentials::api_token(TOKEN));
    let error = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();
    let api = error.api_error().expect("an API error");
    assert!(api.body_text().contains(SECRET), "the body stays available");
    let printed = everything_printed(&error);
    assert!(!printed.contains(SECRET), "{printed}");
    assert!(!printed.contains(TOKEN), "{printed}");
    assert!(printed.contains("rotation incomplete"), "the API's message is shown: {printed}");
}

#[tokio::test]
async fn credentials_with_line_breaks_are_refused_without_echoing_them() {
    for credentials in [
        Credentials::api_token("abc\r\nX-Injected: 1"),
        Credentials::api_key("user@example.com\n", API_KEY),
        Credentials::api_key("user@example.com", "key\r\n"),
    ] {
        let error = Client::new(credentials).unwrap_err();
        assert!(matches!(error, Error::Credentials(_)), "{error:?}");
        let message = format!("{error} {error:?}");
        assert!(!message.contains("X-Injected") && !message.contains("key\r\n"), "{message}");
    }
}

#[tokio::test]
async fn timeouts_and_transport_failures_are_distinct() {
    let slow = server_answering(ResponseTemplate::new(200).set_body_json(success_body()).set_delay(Duration::from_secs(5))).await;
    let client = Client::builder()
        .base_url(slow.uri())
        .credentials(Credentials::api_token(TOKEN))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");

    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .credentials(Credentials::api_token(TOKEN))
        .build()
        .unwrap();
    let error = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!format!("{error} {error:?}").contains(TOKEN));
}

#[tokio::test]
async fn oversized_responses_are_refused() {
    let body = json!({"errors": [], "messages": [], "success": true, "result": {"client_secret": "x".repeat(10_000)}});
    let server = server_answering(ResponseTemplate::new(200).set_body_json(body)).await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::api_token(TOKEN))
        .max_response_bytes(1_000)
        .build()
        .unwrap();

    let error = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { limit: 1_000, .. }), "{error:?}");
}

#[test]
fn tls_is_the_default_and_plain_http_needs_loopback_or_opt_in() {
    let client = Client::new(Credentials::api_token(TOKEN)).unwrap();
    assert_eq!(client.base_url(), "https://api.cloudflare.com/client/v4");
    assert_eq!(client.base_url(), cloudflare_api::DEFAULT_BASE_URL);
    assert_eq!(client.credential_kind(), Some(CredentialKind::ApiToken));

    let remote = Client::builder().base_url("http://api.example.com").credentials(Credentials::api_token(TOKEN)).build();
    assert!(matches!(remote, Err(Error::Config(_))), "{remote:?}");
    let opted_in = Client::builder()
        .base_url("http://api.example.com")
        .allow_insecure_http(true)
        .credentials(Credentials::api_token(TOKEN))
        .build();
    assert!(opted_in.is_ok());
    let loopback = Client::builder().base_url("http://127.0.0.1:8080").build();
    assert!(loopback.is_ok());
}

/// A body with required fields is built from `new(required)` and struct update syntax: the
/// optional fields left `None` (the read-only ones too) are not sent at all.
#[tokio::test]
async fn a_body_built_with_new_sends_its_required_fields_and_only_the_optional_ones_set() {
    use cloudflare_api::types::dns_records::{ARecord, ARecordType, DnsRecord};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/zones/{ACCOUNT}/dns_records")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errors": [], "messages": [], "success": true,
            "result": {"type": "A", "name": "www.example.com", "content": "198.51.100.4", "ttl": 300, "id": "372e67954025e0ba6aaa6d586b9e0b59"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, Credentials::api_token(TOKEN));

    let record = ARecord { ttl: Some(300.0), ..ARecord::new("198.51.100.4", "www", ARecordType::A) };
    let created = client.dns().records().create(ACCOUNT, &DnsRecord::A(record)).await.expect("call succeeds");

    let sent: serde_json::Value = serde_json::from_slice(&received(&server).await[0].body).expect("a JSON body");
    assert_eq!(sent, json!({"content": "198.51.100.4", "name": "www", "type": "A", "ttl": 300.0}));
    let DnsRecord::A(created) = created else { panic!("an A record comes back: {created:?}") };
    assert_eq!(created.id.as_deref(), Some("372e67954025e0ba6aaa6d586b9e0b59"));
}

/// Lenient decoding: a `null` where the schema requires a list reads as an empty list, a `null`
/// optional field as `None`; a missing required field is still an error.
#[test]
fn null_for_a_required_list_reads_as_empty() {
    use cloudflare_api::types::dns_analytics::Query;
    let query: Query = serde_json::from_value(json!({
        "dimensions": null, "metrics": ["queryCount"], "limit": 100, "since": "2024-01-01T00:00:00Z",
        "until": "2024-01-02T00:00:00Z", "filters": null
    }))
    .expect("null is tolerated");
    assert!(query.dimensions.is_empty());
    assert_eq!(query.metrics, ["queryCount"]);
    assert_eq!(query.filters, None);
    let missing = serde_json::from_value::<Query>(json!({"metrics": [], "limit": 1, "since": "a", "until": "b"}));
    assert!(missing.is_err(), "a missing required list is not made up");
}
