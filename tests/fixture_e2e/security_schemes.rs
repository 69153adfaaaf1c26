//! Runs inside the crate generated from `tests/fixtures/security_schemes.yaml` (see
//! `tests/compile_fixtures.rs`), generic profile: each credential kind derived from a security
//! scheme sends its header or query parameter, operations accept the kinds their `security`
//! names, `Client::from_env` reads variables named after the crate, and no `Debug` or `Display`
//! shows a secret.

use fixture_security_schemes::{Client, CredentialKind, Credentials, Error};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

fn client(server: &MockServer, credentials: Credentials) -> Client {
    Client::builder().base_url(server.uri()).credentials(credentials).build().unwrap()
}

/// The requests received since the last call, and forgets them.
async fn taken(server: &MockServer) -> Vec<Request> {
    let requests = server.received_requests().await.unwrap();
    server.reset().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(server).await;
    requests
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).map(|value| value.to_str().unwrap())
}

fn query(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

#[tokio::test]
async fn each_kind_sends_its_header_or_query_parameter() {
    let server = server().await;

    client(&server, Credentials::bearer_auth("b-SECRET")).bearer().get().await.unwrap();
    client(&server, Credentials::basic_auth("user", "p-SECRET")).basic().get().await.unwrap();
    client(&server, Credentials::header_key("h-SECRET")).header_key().get().await.unwrap();
    client(&server, Credentials::query_key("q-SECRET")).query_key().list().page(2).await.unwrap();
    client(&server, Credentials::cookie_key("c-SECRET")).cookie_key().get().await.unwrap();
    client(&server, Credentials::oauth("o-SECRET")).oauth().get().await.unwrap();
    client(&server, Credentials::openid("i-SECRET")).oauth().get().await.unwrap();
    client(&server, Credentials::header_key_and_query_key("h2-SECRET", "q2-SECRET")).both().get().await.unwrap();

    let requests = taken(&server).await;
    assert_eq!(requests.len(), 8);
    assert_eq!(header(&requests[0], "authorization"), Some("Bearer b-SECRET"));
    assert_eq!(header(&requests[1], "authorization"), Some("Basic dXNlcjpwLVNFQ1JFVA=="));
    assert_eq!(header(&requests[2], "x-api-key"), Some("h-SECRET"));
    assert_eq!(header(&requests[2], "authorization"), None);
    // The query credential comes after the operation's own parameters.
    assert_eq!(query(&requests[3]), pairs(&[("page", "2"), ("api_key", "q-SECRET")]));
    assert_eq!(requests[3].url.path(), "/query-key");
    assert_eq!(header(&requests[4], "cookie"), Some("session=c-SECRET"));
    assert_eq!(header(&requests[5], "authorization"), Some("Bearer o-SECRET"));
    assert_eq!(header(&requests[6], "authorization"), Some("Bearer i-SECRET"));
    assert_eq!(header(&requests[7], "x-api-key"), Some("h2-SECRET"));
    assert_eq!(query(&requests[7]), pairs(&[("api_key", "q2-SECRET")]));
    for request in &requests[..3] {
        assert_eq!(request.url.query(), None, "no query credential on {}", request.url.path());
    }
}

#[tokio::test]
async fn operations_accept_the_kinds_their_security_names() {
    let server = server().await;
    let bearer = client(&server, Credentials::bearer_auth("b-SECRET"));
    let header_key = client(&server, Credentials::header_key("h-SECRET"));
    let query_key = client(&server, Credentials::query_key("q-SECRET"));
    let none = Client::builder().base_url(server.uri()).build().unwrap();

    // Alternatives: either kind goes.
    bearer.either().get().await.unwrap();
    header_key.either().get().await.unwrap();
    // The document's default (bearer) applies where an operation says nothing.
    bearer.inherited().get().await.unwrap();
    // `{}` among the alternatives: credentials optional, whatever the client has is sent.
    none.optional().get().await.unwrap();
    query_key.optional().get().await.unwrap();
    // `security: []`: nothing is sent, even by a client that has credentials.
    bearer.public().get().await.unwrap();
    // A client certificate is the HTTP client's business: whatever credentials exist are sent.
    header_key.certificate().get().await.unwrap();

    let requests = taken(&server).await;
    assert_eq!(requests.len(), 7);
    assert_eq!(header(&requests[0], "authorization"), Some("Bearer b-SECRET"));
    assert_eq!(header(&requests[1], "x-api-key"), Some("h-SECRET"));
    assert_eq!(header(&requests[2], "authorization"), Some("Bearer b-SECRET"));
    assert_eq!(requests[3].url.query(), None);
    assert_eq!(header(&requests[3], "authorization"), None);
    assert_eq!(query(&requests[4]), pairs(&[("api_key", "q-SECRET")]));
    assert_eq!(header(&requests[5], "authorization"), None);
    assert_eq!(header(&requests[6], "x-api-key"), Some("h-SECRET"));

    // Kinds the operation does not accept are refused before anything is sent.
    for (client, call) in [(&query_key, "either"), (&header_key, "inherited"), (&none, "both"), (&header_key, "both")] {
        let result = match call {
            "either" => client.either().get().await,
            "inherited" => client.inherited().get().await,
            _ => client.both().get().await,
        };
        let error = result.unwrap_err();
        let Error::Credentials(message) = &error else { panic!("{call}: expected a credentials error, got {error:?}") };
        assert!(message.contains("this operation"), "{message}");
        assert!(!format!("{error} {error:?}").contains("SECRET"), "{error:?}");
    }
    let message = match query_key.either().get().await {
        Err(Error::Credentials(message)) => message,
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(
        message,
        "this operation accepts bearer_auth bearer token or header_key API key credentials, \
         but the client is configured with a query_key API key"
    );
    assert!(taken(&server).await.is_empty(), "refused calls send nothing");
}

#[tokio::test]
async fn nothing_shows_a_secret() {
    let every_kind = [
        Credentials::bearer_auth("b-SECRET"),
        Credentials::basic_auth("u-SECRET", "p-SECRET"),
        Credentials::header_key("h-SECRET"),
        Credentials::query_key("q-SECRET"),
        Credentials::cookie_key("c-SECRET"),
        Credentials::oauth("o-SECRET"),
        Credentials::openid("i-SECRET"),
        Credentials::header_key_and_query_key("h-SECRET", "q-SECRET"),
    ];
    for credentials in every_kind {
        let kind = credentials.kind();
        for shown in [format!("{credentials:?}"), format!("{credentials:#?}"), format!("{kind} {kind:?}")] {
            assert!(!shown.contains("SECRET"), "{shown}");
        }
        let builder = Client::builder().base_url("https://api.example.com").credentials(credentials);
        assert!(!format!("{builder:?}").contains("SECRET"));
        let client = builder.build().unwrap();
        assert_eq!(client.credential_kind(), Some(kind));
        assert!(!format!("{client:?}").contains("SECRET"), "{client:?}");
    }
    assert_eq!(format!("{:?}", Credentials::bearer_auth("b-SECRET")), r#"BearerAuth("<redacted>")"#);
    assert_eq!(
        format!("{:?}", Credentials::basic_auth("u-SECRET", "p-SECRET")),
        r#"BasicAuth { username: "<redacted>", password: "<redacted>" }"#
    );

    // Unusable values are refused when the client is built, naming the credential only.
    for (credentials, what) in [
        (Credentials::bearer_auth("b-SECRET\r\nX-Injected: 1"), "bearer_auth token"),
        (Credentials::header_key(""), "header_key API key"),
        (Credentials::query_key(""), "query_key API key"),
        (Credentials::basic_auth("u-SECRET:x", "p-SECRET"), "basic_auth login"),
        (Credentials::basic_auth("", "p-SECRET"), "basic_auth login"),
        (Credentials::cookie_key("c-SECRET\n"), "cookie_key API key"),
    ] {
        let error = Client::new(credentials).unwrap_err();
        let Error::Credentials(message) = &error else { panic!("expected a credentials error, got {error:?}") };
        assert!(message.contains(what), "{message}");
        for shown in [format!("{error}"), format!("{error:?}")] {
            assert!(!shown.contains("SECRET") && !shown.contains("Injected"), "{shown}");
        }
    }

    // A transport error on a URL that carries a query credential keeps the host, not the query.
    let closed = Client::builder()
        .base_url("http://127.0.0.1:9")
        .credentials(Credentials::query_key("q-SECRET"))
        .max_retries(0)
        .build()
        .unwrap();
    let error = closed.query_key().list().page(2).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let source = std::error::Error::source(&error).map(ToString::to_string).unwrap_or_default();
    for shown in [format!("{error}"), format!("{error:?}"), source] {
        assert!(!shown.contains("SECRET"), "{shown}");
    }
}

/// One test for every environment variable case: the process environment is shared by the
/// tests of this binary, and only this one touches it.
#[tokio::test]
async fn from_env_reads_variables_named_after_the_crate() {
    const VARS: &[&str] = &[
        "FIXTURE_SECURITY_SCHEMES_BEARER_AUTH",
        "FIXTURE_SECURITY_SCHEMES_BASIC_AUTH_USERNAME",
        "FIXTURE_SECURITY_SCHEMES_BASIC_AUTH_PASSWORD",
        "FIXTURE_SECURITY_SCHEMES_HEADER_KEY",
        "FIXTURE_SECURITY_SCHEMES_QUERY_KEY",
        "FIXTURE_SECURITY_SCHEMES_COOKIE_KEY",
        "FIXTURE_SECURITY_SCHEMES_OAUTH",
        "FIXTURE_SECURITY_SCHEMES_OPENID",
        "FIXTURE_SECURITY_SCHEMES_BASE_URL",
    ];
    // SAFETY: no other thread of this test binary reads or writes these variables.
    let set = |vars: &[(&str, &str)]| unsafe {
        for name in VARS {
            std::env::remove_var(name);
        }
        for (name, value) in vars {
            std::env::set_var(name, value);
        }
    };
    let server = server().await;
    let base = server.uri();

    set(&[("FIXTURE_SECURITY_SCHEMES_BASE_URL", &base)]);
    let message = match Client::from_env() {
        Err(Error::Credentials(message)) => message,
        other => panic!("unexpected {other:?}"),
    };
    for name in &VARS[..VARS.len() - 1] {
        assert!(message.contains(name), "{name} missing: {message}");
    }

    set(&[("FIXTURE_SECURITY_SCHEMES_BASIC_AUTH_USERNAME", "u-SECRET"), ("FIXTURE_SECURITY_SCHEMES_BASE_URL", &base)]);
    let message = match Client::from_env() {
        Err(Error::Credentials(message)) => message,
        other => panic!("unexpected {other:?}"),
    };
    assert!(
        message.contains("FIXTURE_SECURITY_SCHEMES_BASIC_AUTH_USERNAME is set but FIXTURE_SECURITY_SCHEMES_BASIC_AUTH_PASSWORD is not"),
        "{message}"
    );
    assert!(!message.contains("SECRET"), "{message}");

    // Both keys set: the combined kind comes first, and the single kinds still work.
    set(&[
        ("FIXTURE_SECURITY_SCHEMES_HEADER_KEY", "h-SECRET"),
        ("FIXTURE_SECURITY_SCHEMES_QUERY_KEY", "q-SECRET"),
        ("FIXTURE_SECURITY_SCHEMES_BEARER_AUTH", "b-SECRET"),
        ("FIXTURE_SECURITY_SCHEMES_BASE_URL", &base),
    ]);
    let client = Client::from_env().unwrap();
    assert_eq!(client.credential_kind(), Some(CredentialKind::HeaderKeyAndQueryKey));
    assert_eq!(client.base_url(), base.trim_end_matches('/'));
    client.both().get().await.unwrap();

    set(&[
        ("FIXTURE_SECURITY_SCHEMES_BASIC_AUTH_USERNAME", "user"),
        ("FIXTURE_SECURITY_SCHEMES_BASIC_AUTH_PASSWORD", "p-SECRET"),
        ("FIXTURE_SECURITY_SCHEMES_BEARER_AUTH", "b-SECRET"),
        ("FIXTURE_SECURITY_SCHEMES_BASE_URL", &base),
    ]);
    let client = Client::from_env().unwrap();
    assert_eq!(client.credential_kind(), Some(CredentialKind::BasicAuth));
    client.basic().get().await.unwrap();

    // Empty variables count as unset.
    set(&[
        ("FIXTURE_SECURITY_SCHEMES_BASIC_AUTH_USERNAME", ""),
        ("FIXTURE_SECURITY_SCHEMES_BASIC_AUTH_PASSWORD", "p-SECRET"),
        ("FIXTURE_SECURITY_SCHEMES_QUERY_KEY", "q-SECRET"),
        ("FIXTURE_SECURITY_SCHEMES_BASE_URL", &base),
    ]);
    let client = Client::from_env().unwrap();
    assert_eq!(client.credential_kind(), Some(CredentialKind::QueryKey));
    client.query_key().list().await.unwrap();
    set(&[]);

    let requests = taken(&server).await;
    assert_eq!(requests.len(), 3);
    assert_eq!(header(&requests[0], "x-api-key"), Some("h-SECRET"));
    assert_eq!(query(&requests[0]), pairs(&[("api_key", "q-SECRET")]));
    assert_eq!(header(&requests[1], "authorization"), Some("Basic dXNlcjpwLVNFQ1JFVA=="));
    assert_eq!(query(&requests[2]), pairs(&[("api_key", "q-SECRET")]));
}
