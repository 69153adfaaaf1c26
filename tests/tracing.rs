//! What the client logs through `tracing`: a span per request, events per attempt and per
//! retry with method, path template, status, attempt, elapsed time and cf-ray; and never a
//! credential, a sensitive value, a header value or a body. A subscriber captures every span
//! and event of the process (not only this crate's) as text.

mod support;

use std::fmt::{Debug, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use cloudflare_api::{Client, Credentials};
use reqwest::Method;
use serde_json::{Value, json};
use support::loopback::{Loopback, Reply};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const OAUTH_CLIENT: &str = "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4";
const TOKEN: &str = "tok-Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQ";
const API_KEY: &str = "key-144c9defac04969c7bfad8efaa8ea194";
const SECRET: &str = "cf-oauth-secret-new-example";
const HEADER_SECRET: &str = "hdr-secret-value-42";

/// Writes every span (name and fields), field update and event (level, target, fields) as one
/// line of text.
struct Capture {
    out: Arc<Mutex<String>>,
    next_id: AtomicU64,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = format!("span {} {}:", span.metadata().target(), span.metadata().name());
        span.record(&mut Fields(&mut line));
        self.out.lock().unwrap().push_str(&(line + "\n"));
        Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst))
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = "record:".to_owned();
        values.record(&mut Fields(&mut line));
        self.out.lock().unwrap().push_str(&(line + "\n"));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = format!("event {} {}:", event.metadata().level(), event.metadata().target());
        event.record(&mut Fields(&mut line));
        self.out.lock().unwrap().push_str(&(line + "\n"));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn requests_are_traced_without_secrets() {
    let out = Arc::new(Mutex::new(String::new()));
    let _guard = tracing::subscriber::set_default(Capture { out: out.clone(), next_id: AtomicU64::new(1) });

    let server = Loopback::start(|n, request| {
        let reply = match (n, request.target.as_str()) {
            (0, _) => Reply::json(429, &json!({"success": false, "errors": [{"code": 971, "message": "slow down"}]}))
                .with_header("retry-after-ms", "10"),
            (_, target) if target.contains("rotate_secret") => {
                Reply::json(200, &json!({"success": true, "result": {"client_secret": SECRET}}))
            }
            (_, target) if target.contains("broken") => Reply::json(200, &json!({"success": true, "result": [SECRET]})),
            _ => Reply::json(200, &json!({"success": false, "errors": [], "result": {"client_secret": SECRET}})),
        };
        reply.with_header("cf-ray", "8f00aa11bb22cc33-LHR").with_header("set-cookie", &format!("s={SECRET}"))
    })
    .await;
    for credentials in [Credentials::api_token(TOKEN), Credentials::api_key("user@example.com", API_KEY)] {
        let client = Client::builder()
            .base_url(&server.base_url)
            .credentials(credentials)
            .default_header("X-Default", HEADER_SECRET)
            .build()
            .unwrap();
        let _ = client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await;
        let _ = client
            .raw_request(Method::POST, "/accounts/x/broken")
            .extra_header("X-Extra", HEADER_SECRET)
            .extra_query("token", HEADER_SECRET)
            .json(&json!({"password": HEADER_SECRET}))
            .send::<Value>()
            .await;
        let _ = client.raw_request(Method::GET, "/failing").send::<Value>().await;
    }

    let log = out.lock().unwrap().clone();
    for expected in [
        "span cloudflare_api::runtime::request request: method=POST path=/accounts/",
        "rotate_secret",
        "attempt=1",
        "attempt=2",
        "status=429",
        "status=200",
        "elapsed_ms=",
        "cf_ray=\"8f00aa11bb22cc33-LHR\"",
        "reason=\"rate limited\"",
        "delay_ms=10",
        "retrying",
        "path=/failing",
    ] {
        assert!(log.contains(expected), "missing {expected:?} in:\n{log}");
    }
    for secret in [TOKEN, API_KEY, SECRET, HEADER_SECRET, "user@example.com"] {
        assert!(!log.contains(secret), "{secret:?} was logged:\n{log}");
    }
}
