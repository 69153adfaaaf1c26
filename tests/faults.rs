//! The client against loopback servers that misbehave on purpose: rate limits, failing and
//! slow servers, dropped connections, paging, uploads and large downloads. Retry waits are
//! shortened with `retry-after-ms` where the test does not need the real backoff.

mod support;

use std::time::{Duration, Instant};

// `Method` from the crate, as a user without a reqwest dependency writes it.
use cloudflare_api::{Client, Credentials, Error, Method};
use futures_util::StreamExt;
use serde_json::{Value, json};
use support::loopback::{Loopback, Recorded, Reply};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const OAUTH_CLIENT: &str = "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4";
const TOKEN: &str = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY";
const SECRET: &str = "cf-oauth-secret-new-example";

fn client(server: &Loopback) -> Client {
    Client::builder().base_url(&server.base_url).credentials(Credentials::api_token(TOKEN)).build().unwrap()
}

fn rotated() -> Reply {
    Reply::json(200, &json!({"success": true, "errors": [], "messages": [], "result": {"client_secret": SECRET}}))
}

fn ok(result: Value) -> Reply {
    Reply::json(200, &json!({"success": true, "errors": [], "messages": [], "result": result}))
}

fn failure(status: u16) -> Reply {
    Reply::json(status, &json!({"success": false, "errors": [{"code": status, "message": "failed"}], "messages": [], "result": null}))
}

#[tokio::test]
async fn rate_limited_post_is_retried_after_the_wait_the_server_asks_for() {
    let server = Loopback::start(|n, _| if n == 0 { failure(429).with_header("retry-after-ms", "300") } else { rotated() }).await;
    let started = Instant::now();

    let result = client(&server).iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap();

    assert_eq!(result.client_secret.as_deref(), Some(SECRET));
    assert_eq!(server.count(), 2, "a 429 means the server did not act: even a POST is resent");
    assert!(started.elapsed() >= Duration::from_millis(300), "the Retry-After wait is honoured");
}

#[tokio::test]
async fn retry_after_in_seconds_is_honoured_and_retries_run_out() {
    let server = Loopback::start(|_, _| failure(429).with_header("retry-after", "0")).await;
    let error = client(&server).raw_request(Method::GET, "/zones").send::<Value>().await.unwrap_err();
    assert_eq!(error.status(), Some(429));
    assert_eq!(server.count(), 3, "the first attempt and 2 retries");
    let api = error.api_error().unwrap();
    assert_eq!(api.retry_after(), Some(Duration::ZERO));

    let server = Loopback::start(|_, _| failure(429).with_header("retry-after", "0")).await;
    let error = client(&server).raw_request(Method::GET, "/zones").max_retries(0).send::<Value>().await.unwrap_err();
    assert_eq!(error.status(), Some(429));
    assert_eq!(server.count(), 1, "max_retries(0) per call");
}

#[tokio::test]
async fn service_unavailable_then_success() {
    let server = Loopback::start(|n, _| if n == 0 { failure(503).with_header("retry-after", "0") } else { ok(json!({"id": "z1"})) }).await;
    let zone: Value = client(&server).raw_request(Method::GET, "/zones/z1").send().await.unwrap();
    assert_eq!(zone["id"], "z1");
    assert_eq!(server.count(), 2);

    // A 503 with Retry-After says the server did not act: a POST is resent too.
    let server = Loopback::start(|n, _| if n == 0 { failure(503).with_header("retry-after", "0") } else { rotated() }).await;
    client(&server).iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_post_the_server_may_have_acted_on_is_not_resent() {
    // A 500 without Retry-After: the secret may have been rotated already.
    let server = Loopback::start(|_, _| failure(500)).await;
    let error = client(&server).iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();
    assert_eq!(error.status(), Some(500));
    assert_eq!(server.count(), 1, "rotate_secret must not be sent twice");

    // The connection closes after the request was read, without an answer.
    let server = Loopback::start(|_, _| Reply::Close).await;
    let error = client(&server).iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(server.count(), 1, "rotate_secret must not be sent twice");

    // The same failure on a GET is retried.
    let server = Loopback::start(|n, _| if n == 0 { Reply::Close } else { ok(json!([])) }).await;
    client(&server).raw_request(Method::GET, "/zones").send::<Value>().await.unwrap();
    assert_eq!(server.count(), 2);

    // The caller may opt in, per call.
    let server = Loopback::start(|n, _| if n == 0 { failure(500) } else { ok(json!({"done": true})) }).await;
    let done: Value = client(&server).raw_request(Method::POST, "/things").json(&json!({})).retry_non_idempotent(true).send().await.unwrap();
    assert_eq!(done["done"], true);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn connection_refused_is_retried_even_for_a_post() {
    // Nothing listens on a port that was just free: no request can have reached a server.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .credentials(Credentials::api_token(TOKEN))
        .max_retries(1)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(started.elapsed() >= Duration::from_millis(375), "one retry after the first backoff (0.5 s less jitter)");
    assert!(!format!("{error} {error:?}").contains(TOKEN));
}

#[tokio::test]
async fn connection_dropped_mid_response() {
    let partial = || Reply::Partial { status: 200, announced: 1000, body: br#"{"success":true,"result":{"client_sec"#.to_vec() };
    let server = Loopback::start(move |_, _| partial()).await;
    let error = client(&server).iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(server.count(), 1, "the POST may have been acted on");

    let server = Loopback::start(move |n, _| if n == 0 { partial() } else { ok(json!({"id": 1})) }).await;
    let value: Value = client(&server).raw_request(Method::GET, "/zones/1").send().await.unwrap();
    assert_eq!(value["id"], 1);
    assert_eq!(server.count(), 2, "a GET is resent");
}

#[tokio::test]
async fn slow_server_past_the_timeout() {
    let slow = || Reply::After(Duration::from_secs(5), Box::new(ok(json!([]))));
    let server = Loopback::start(move |_, _| slow()).await;
    let client = client(&server);

    let error = client.raw_request(Method::GET, "/zones").request_timeout(Duration::from_millis(150)).max_retries(1).send::<Value>().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(server.count(), 2, "the timeout applies per attempt; an idempotent call is retried");

    let slow_post = Loopback::start(move |_, _| slow()).await;
    let client = Client::builder()
        .base_url(&slow_post.base_url)
        .credentials(Credentials::api_token(TOKEN))
        .timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let error = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert_eq!(slow_post.count(), 1, "a timed-out POST is not resent");
}

/// Page `page` (1-based) of a list of `total` numbered items, `per_page` a page.
fn list_page(request: &Recorded, total: u64, per_page: u64, info: impl Fn(u64, u64) -> Value) -> Reply {
    let page: u64 = query(request, "page").map_or(1, |p| p.parse().unwrap());
    let first = (page - 1) * per_page;
    let items: Vec<u64> = (first..total.min(first + per_page)).collect();
    let count = items.len() as u64;
    Reply::json(200, &json!({"success": true, "errors": [], "messages": [], "result": items, "result_info": info(page, count)}))
}

fn query(request: &Recorded, name: &str) -> Option<String> {
    let url = reqwest::Url::parse(&format!("http://x{}", request.target)).unwrap();
    url.query_pairs().find(|(n, _)| n == name).map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn pages_stop_on_the_last_page_without_an_extra_request() {
    // total_pages says which page is the last.
    let server = Loopback::start(|_, r| list_page(r, 95, 10, |page, count| json!({"page": page, "per_page": 10, "count": count, "total_pages": 10}))).await;
    let client = client(&server);
    let items: Vec<u64> = client.raw_request(Method::GET, "/items").query("per_page", 10).pages::<u64>().items().map(|r| r.unwrap()).collect().await;
    assert_eq!(items, (0..95).collect::<Vec<_>>());
    assert_eq!(server.count(), 10, "ten pages, no request after the last");
    let requests = server.requests();
    assert_eq!(query(&requests[0], "page"), None, "the first page is the call as built");
    assert_eq!(query(&requests[9], "page").as_deref(), Some("10"));
    assert!(requests.iter().all(|r| query(r, "per_page").as_deref() == Some("10")));

    // total_count, with a full last page (a short page alone would not tell).
    let server = Loopback::start(|_, r| list_page(r, 40, 10, |page, count| json!({"page": page, "per_page": 10, "count": count, "total_count": 40}))).await;
    let pages: Vec<_> = client_for(&server).raw_request(Method::GET, "/items").pages::<u64>().collect().await;
    assert_eq!(pages.len(), 4);
    assert_eq!(server.count(), 4);
    assert_eq!(pages[3].as_ref().unwrap().result_info().unwrap().page, Some(4));

    // Nothing tells: the list ends on an empty page.
    let server = Loopback::start(|_, r| list_page(r, 20, 10, |page, _| json!({"page": page}))).await;
    let items: Vec<_> = client_for(&server).raw_request(Method::GET, "/items").pages::<u64>().items().collect().await;
    assert_eq!(items.len(), 20);
    assert_eq!(server.count(), 3);
}

fn client_for(server: &Loopback) -> Client {
    client(server)
}

#[tokio::test]
async fn cursor_pages_and_a_dropped_stream() {
    let server = Loopback::start(|_, r| {
        let at: u64 = query(r, "cursor").map_or(0, |c| c.trim_start_matches('c').parse().unwrap());
        let next = if at + 3 < 9 { json!({"cursors": {"after": format!("c{}", at + 3)}}) } else { json!({}) };
        Reply::json(200, &json!({"success": true, "result": [at, at + 1, at + 2], "result_info": next}))
    })
    .await;
    let items: Vec<u64> = client(&server).raw_request(Method::GET, "/cursor").pages::<u64>().items().map(|r| r.unwrap()).collect().await;
    assert_eq!(items, (0..9).collect::<Vec<_>>());
    assert_eq!(server.count(), 3);

    // A stream dropped after five items of a long list has fetched two pages, and fetches no more.
    let server = Loopback::start(|_, r| list_page(r, 1000, 3, |page, count| json!({"page": page, "per_page": 3, "count": count}))).await;
    let client = client(&server);
    let mut items = client.raw_request(Method::GET, "/items").pages::<u64>().items();
    for expected in 0..5 {
        assert_eq!(items.next().await.unwrap().unwrap(), expected);
    }
    drop(items);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_the_error() {
    let server = Loopback::start(|n, r| if n == 1 { failure(400) } else { list_page(r, 100, 10, |page, count| json!({"page": page, "per_page": 10, "count": count})) }).await;
    let pages: Vec<_> = client(&server).raw_request(Method::GET, "/items").pages::<u64>().collect().await;
    assert_eq!(pages.len(), 2);
    assert!(pages[0].is_ok());
    assert_eq!(pages[1].as_ref().unwrap_err().status(), Some(400));
}

#[tokio::test]
async fn multipart_upload_is_read_back_by_the_server() {
    let server = Loopback::start(|_, _| ok(json!({"id": "script"}))).await;
    let script = b"export default { fetch() { return new Response('hi') } }\r\n--not-a-boundary".to_vec();
    let result: Value = client(&server)
        .raw_request(Method::PUT, "/accounts/a/workers/scripts/s")
        .multipart_with(|form| {
            form.text("metadata", r#"{"main_module":"worker.js"}"#).file(
                "worker.js",
                "worker.js",
                "application/javascript+module",
                script.clone(),
            )
        })
        .send()
        .await
        .unwrap();
    assert_eq!(result["id"], "script");

    let request = &server.requests()[0];
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(content_type);
    let parts = parse_multipart(&request.body, boundary);
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].0, "Content-Disposition: form-data; name=\"metadata\"");
    assert_eq!(parts[0].1, br#"{"main_module":"worker.js"}"#);
    assert_eq!(parts[1].0, "Content-Disposition: form-data; name=\"worker.js\"; filename=\"worker.js\"\r\nContent-Type: application/javascript+module");
    assert_eq!(parts[1].1, script);
}

/// Each part's head and body, split on the boundary as a server would.
fn parse_multipart(body: &[u8], boundary: &str) -> Vec<(String, Vec<u8>)> {
    let delimiter = format!("--{boundary}");
    let text = body;
    let mut parts = Vec::new();
    let mut rest = text.strip_prefix(delimiter.as_bytes()).expect("starts with the boundary");
    let separator = format!("\r\n--{boundary}");
    while rest.starts_with(b"\r\n") {
        let end = rest.windows(separator.len()).position(|w| w == separator.as_bytes()).expect("closing boundary");
        let part = &rest[2..end];
        let split = part.windows(4).position(|w| w == b"\r\n\r\n").expect("part head");
        parts.push((String::from_utf8(part[..split].to_vec()).unwrap(), part[split + 4..].to_vec()));
        rest = &rest[end + separator.len()..];
    }
    assert_eq!(rest, b"--\r\n", "the body ends with the closing boundary");
    parts
}

#[tokio::test]
async fn large_binary_download_streams_past_the_buffer_limit() {
    const SIZE: usize = 24 * 1024 * 1024;
    let data: Vec<u8> = (0..SIZE).map(|i| (i % 251) as u8).collect();
    let served = data.clone();
    let server = Loopback::start(move |_, _| Reply::Full {
        status: 200,
        headers: vec![("content-type".into(), "application/vnd.tcpdump.pcap".into())],
        body: served.clone(),
    })
    .await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .credentials(Credentials::api_token(TOKEN))
        .max_response_bytes(1024 * 1024)
        .build()
        .unwrap();

    let error = client.raw_request(Method::GET, "/pcaps/1/download").accept("application/vnd.tcpdump.pcap").send_bytes().await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { limit: 1_048_576, .. }), "{error:?}");

    let response = client.raw_request(Method::GET, "/pcaps/1/download").accept("application/vnd.tcpdump.pcap").send_download().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.result().content_length(), Some(SIZE as u64));
    let mut stream = response.into_result().into_stream();
    let (mut received, mut chunks, mut mismatch) = (0usize, 0, None);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        if mismatch.is_none() && chunk[..] != data[received..received + chunk.len()] {
            mismatch = Some(received);
        }
        received += chunk.len();
        chunks += 1;
    }
    assert_eq!(received, SIZE);
    assert_eq!(mismatch, None);
    assert!(chunks > 1, "read in chunks, not at once");
    assert_eq!(server.requests()[1].header("accept"), Some("application/vnd.tcpdump.pcap"));

    // The generated operation: awaited, it holds the body whole (and meets the limit);
    // `download()` streams it.
    let (account, pcap) = ("023e105f4ecef8ad9ca31a8372d0c353", "1");
    let pcaps = client.magic_transit().pcaps();
    let error = pcaps.download(account, pcap).await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { limit: 1_048_576, .. }), "{error:?}");
    let response = pcaps.download(account, pcap).download().await.unwrap();
    let mut stream = response.into_result().into_stream();
    let mut received = Vec::with_capacity(SIZE);
    while let Some(chunk) = stream.next().await {
        received.extend_from_slice(&chunk.unwrap());
    }
    assert!(received == data, "the generated operation's download streams the same bytes");
    let request = &server.requests()[3];
    assert_eq!(request.target, format!("/accounts/{account}/pcaps/{pcap}/download"));
    assert_eq!(request.header("accept"), Some("application/vnd.tcpdump.pcap"));
}

#[tokio::test]
async fn gzip_is_negotiated_and_the_limit_counts_decompressed_bytes() {
    use std::io::Write;
    let gzip = |value: &Value| {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&serde_json::to_vec(value).unwrap()).unwrap();
        encoder.finish().unwrap()
    };
    let big = json!({"success": true, "result": "a".repeat(200_000)});
    let compressed = gzip(&big);
    assert!(compressed.len() < 2_000);
    let small = gzip(&json!({"success": true, "result": {"id": "z"}}));
    let server = Loopback::start(move |n, _| Reply::Full {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into()), ("content-encoding".into(), "gzip".into())],
        body: if n == 0 { small.clone() } else { compressed.clone() },
    })
    .await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .credentials(Credentials::api_token(TOKEN))
        .max_response_bytes(100_000)
        .build()
        .unwrap();
    let zone: Value = client.raw_request(Method::GET, "/zones/z").send().await.unwrap();
    assert_eq!(zone["id"], "z");
    assert!(server.requests()[0].header("accept-encoding").is_some_and(|v| v.contains("gzip")));
    let error = client.raw_request(Method::GET, "/zones/z").send::<Value>().await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
}
