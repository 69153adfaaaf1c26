//! The API client and its builder.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;


use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};

use super::auth::{Secrets, credentials_from_lookup};
use super::credentials::{CredentialKind, Credentials, ENV_BASE_URL, FROM_ENV};
use super::error::Error;
use super::raw::RawRequest;

// The generated lib.rs defines it from the spec's `servers`.
use crate::DEFAULT_BASE_URL;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
const DEFAULT_MAX_RETRIES: u32 = 2;

/// A client for the API.
///
/// Cloning is cheap: clones share the connection pool and configuration.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<ClientInner>,
}

/// The shared state of a [`Client`].
pub(super) struct ClientInner {
    /// The underlying HTTP client.
    pub(super) http: reqwest::Client,
    /// The validated base URL, without a trailing slash.
    pub(super) base_url: String,
    /// The kind of the credentials, if the client has any.
    pub(super) credential_kind: Option<CredentialKind>,
    /// The credentials as they are sent (headers and query parameters); `None` without credentials.
    pub(super) secrets: Option<Secrets>,
    /// The maximum size of a response body, in bytes.
    pub(super) max_response_bytes: usize,
    /// The timeout of each attempt.
    pub(super) timeout: Duration,
    /// Sent with every request, before the operation's own headers: the
    /// default headers and `User-Agent`.
    pub(super) base_headers: HeaderMap,
    /// How many times a failed attempt may be retried.
    pub(super) max_retries: u32,
    /// Whether non-idempotent requests may be repeated after the server may have acted.
    pub(super) retry_non_idempotent: bool,
}

impl Client {
    /// A client with the given credentials and default settings.
    ///
    /// # Errors
    ///
    /// [`Error::Credentials`] if a credential cannot be sent as an HTTP
    /// header, [`Error::Config`] if the HTTP client cannot be set up.
    pub fn new(credentials: Credentials) -> Result<Client, Error> {
        Client::builder().credentials(credentials).build()
    }

    /// A builder to configure a client.
    #[must_use]
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from environment variables.
    ///
    /// Credentials are taken from the variables listed on [`Credentials`],
    /// the first kind whose variables are all set; empty variables count as
    /// unset. The base URL variable listed there, when set, replaces the
    /// default base URL.
    ///
    /// # Errors
    ///
    /// [`Error::Credentials`] if the API has credential kinds but none is set
    /// (the message names the variables) or they are unusable,
    /// [`Error::Config`] if the base URL is invalid.
    pub fn from_env() -> Result<Client, Error> {
        builder_from_lookup(|name| {
            std::env::var_os(name).map(|value| value.to_string_lossy().into_owned())
        })?
        .build()
    }

    /// The base URL requests are sent to, without a trailing slash.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The kind of credentials this client sends, if it has any.
    #[must_use]
    pub fn credential_kind(&self) -> Option<CredentialKind> {
        self.inner.credential_kind
    }

    /// A call to any path of the API: the escape hatch for endpoints this
    /// crate lacks or describes wrongly. `path` is relative to the base URL,
    /// starts with `/`, and is sent as written (percent-encode ids yourself).
    ///
    /// The call sends the client's credentials and gets the same retries,
    /// envelope handling and errors as a generated operation; see
    /// [`RawRequest`].
    pub fn raw_request(&self, method: Method, path: impl Into<String>) -> RawRequest<'_> {
        RawRequest::new(self, method, path.into())
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.credential_kind())
            .finish_non_exhaustive()
    }
}

/// Configures and builds a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    max_response_bytes: usize,
    allow_insecure_http: bool,
    http: Option<reqwest::Client>,
    default_headers: Vec<(String, String)>,
    max_retries: u32,
    retry_non_idempotent: bool,
}

/// Header values may be secrets: only names are shown.
impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.default_headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("custom_http_client", &self.http.is_some())
            .field("default_headers", &header_names)
            .field("max_retries", &self.max_retries)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            credentials: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            allow_insecure_http: false,
            http: None,
            default_headers: Vec::new(),
            max_retries: DEFAULT_MAX_RETRIES,
            retry_non_idempotent: false,
        }
    }
}

impl ClientBuilder {
    /// The credentials to authenticate with. Without credentials, only
    /// operations that need none can be called.
    #[must_use]
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The base URL of the API (default [`DEFAULT_BASE_URL`]).
    ///
    /// It must use `https`, or `http` with a loopback host (`localhost`,
    /// `127.0.0.0/8`, `::1`) or [`allow_insecure_http`](Self::allow_insecure_http).
    /// It must not have a query or fragment; a trailing slash is ignored.
    #[must_use]
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The timeout of each attempt of a request, including reading the
    /// response body (default 60 seconds). Retries get a fresh timeout each;
    /// per call, `.request_timeout(..)` replaces it.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The timeout for establishing a connection (default 5 seconds; not
    /// applied to a client given with [`http_client`](Self::http_client)).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header sent with every request (default: this crate's
    /// name and version).
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The largest response body accepted, in bytes (default 64 MiB); larger
    /// responses fail with [`Error::ResponseTooLarge`].
    #[must_use]
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The `reqwest::Client` to send requests with, for proxies, connection
    /// pools, TLS roots and the like. Its own timeout, redirect and
    /// compression settings then apply (set redirects to none: credentials
    /// would follow them); the timeout, `User-Agent`, default headers and
    /// retries configured here are still applied per request.
    #[must_use]
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// A header sent with every request. `Accept`, the call's extra headers
    /// and the credentials replace a default header of the same name;
    /// `User-Agent` is set with [`user_agent`](Self::user_agent). Checked when
    /// the client is built.
    #[must_use]
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// How many times a failed attempt may be retried (default 2; 0 disables
    /// retries). Per call, `.max_retries(..)` replaces it.
    ///
    /// Retries follow one rule, so that a request is never repeated when that
    /// could do harm: any request is retried when the server certainly did
    /// not act on it (the connection failed, `429`, or `503` with
    /// `Retry-After`); only idempotent requests (`GET`, `HEAD`, `PUT`,
    /// `DELETE`, `OPTIONS`) are retried when it may have (a timeout or dropped
    /// connection after sending, `408`, `409`, other `5xx`). A `POST` or
    /// `PATCH` is then returned as an error, unless
    /// [`retry_non_idempotent`](Self::retry_non_idempotent) allows it. The wait
    /// honours `Retry-After` / `retry-after-ms` up to 60 seconds, otherwise
    /// backs off exponentially from 0.5 s to 8 s with jitter.
    #[must_use]
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Whether `POST` and `PATCH` requests may be repeated even when the
    /// server may already have acted on them (default `false`; see
    /// [`max_retries`](Self::max_retries)). Only for operations you know to
    /// be safe to repeat.
    #[must_use]
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }

    /// Whether a plain `http` base URL is accepted for non-loopback hosts
    /// (default `false`). Credentials would then be sent unencrypted.
    #[must_use]
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Validates the configuration and builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the base URL or user agent is invalid or the HTTP
    /// client cannot be set up, [`Error::Credentials`] if a credential cannot
    /// be sent as an HTTP header.
    pub fn build(self) -> Result<Client, Error> {
        let kind = self.credentials.as_ref().map(Credentials::kind);
        let secrets = self.credentials.as_ref().map(Credentials::resolve).transpose()?;
        self.build_with_secrets(kind, secrets)
    }

    /// [`build`](Self::build) with the credentials already turned into secrets.
    pub(super) fn build_with_secrets(self, credential_kind: Option<CredentialKind>, secrets: Option<Secrets>) -> Result<Client, Error> {
        let base_url = validate_base_url(&self.base_url, self.allow_insecure_http)?;
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
            Error::Config(
                "the user agent contains characters that are not allowed in an HTTP header"
                    .to_owned(),
            )
        })?;
        let mut default_headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("default header name {name:?} is not a valid header name")))?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::Config(format!(
                    "the value of default header `{name}` contains characters that are not allowed in an HTTP header"
                ))
            })?;
            default_headers.append(name, value);
        }
        default_headers.insert(reqwest::header::USER_AGENT, user_agent);
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                // Credential headers such as an API key must never follow a
                // redirect to another host, so redirects are not followed.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|error| Error::Config(format!("cannot build the HTTP client: {error}")))?,
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                credential_kind,
                secrets,
                max_response_bytes: self.max_response_bytes,
                timeout: self.timeout,
                base_headers: default_headers,
                max_retries: self.max_retries,
                retry_non_idempotent: self.retry_non_idempotent,
            }),
        })
    }
}

/// Reads the client configuration through `lookup` (the process environment
/// in [`Client::from_env`]); the variables are the crate's, generated.
fn builder_from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
    let mut builder = ClientBuilder::default();
    if let Some(credentials) = credentials_from_lookup(FROM_ENV, &lookup)? {
        builder = builder.credentials(credentials);
    }
    if let Some(base_url) = lookup(ENV_BASE_URL).filter(|value| !value.is_empty()) {
        builder = builder.base_url(base_url);
    }
    Ok(builder)
}

/// Checks a base URL and returns it normalized, without a trailing slash.
fn validate_base_url(raw: &str, allow_insecure_http: bool) -> Result<String, Error> {
    if raw.is_empty() {
        return Err(Error::Config(
            "no base URL: the spec names no absolute server URL, so set one with ClientBuilder::base_url"
                .to_owned(),
        ));
    }
    let config = |message: &str| Error::Config(format!("base URL {message}"));
    let url = Url::parse(raw)
        .map_err(|error| Error::Config(format!("base URL is not a valid URL: {error}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(config(
                "uses plain http with a non-loopback host; use https, or allow_insecure_http(true) to \
                 send credentials unencrypted",
            ));
        }
        _ => return Err(config("must use the https scheme")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(config("must not contain a user name or password"));
    }
    if url.query().is_some() {
        return Err(config("must not contain a query"));
    }
    if url.fragment().is_some() {
        return Err(config("must not contain a fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Whether the URL's host is `localhost` or a loopback IP address.
fn is_loopback(url: &Url) -> bool {
    match url.host_str() {
        Some("localhost") => true,
        Some(host) => host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://api.example.com/v1";

    fn config_error(result: Result<String, Error>) -> String {
        match result {
            Err(Error::Config(message)) => message,
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn base_url_rules() {
        let ok = [
            (BASE, BASE),
            ("https://api.example.com/v1/", BASE),
            ("https://example.com", "https://example.com"),
            ("https://example.com/", "https://example.com"),
            ("http://localhost:8080/v4/", "http://localhost:8080/v4"),
            ("http://LOCALHOST", "http://localhost"),
            ("http://127.0.0.1:1234", "http://127.0.0.1:1234"),
            ("http://127.1.2.3", "http://127.1.2.3"),
            ("http://[::1]:80/x", "http://[::1]/x"),
        ];
        for (input, expected) in ok {
            assert_eq!(
                validate_base_url(input, false).unwrap(),
                expected,
                "{input}"
            );
        }
        for input in [
            "http://example.com",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.example.com",
        ] {
            assert!(
                config_error(validate_base_url(input, false)).contains("plain http"),
                "{input}"
            );
            assert!(validate_base_url(input, true).is_ok(), "{input}");
        }
        assert!(config_error(validate_base_url("ftp://example.com", true)).contains("https"));
        assert!(config_error(validate_base_url("not a url", false)).contains("not a valid URL"));
        assert!(
            config_error(validate_base_url("https://example.com/?a=1", false)).contains("query")
        );
        assert!(
            config_error(validate_base_url("https://example.com/#x", false)).contains("fragment")
        );
        let message = config_error(validate_base_url("https://user:SECRET@example.com", false));
        assert!(!message.contains("SECRET"), "{message}");
    }

    #[test]
    fn builder_validates_and_builds() {
        let client = Client::builder()
            .base_url("https://example.com/v4/")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://example.com/v4");
        assert_eq!(client.credential_kind(), None);
        assert!(client.inner.secrets.is_none());

        let secrets = Secrets::new().header("x-key", "", "key-SECRET", "key").unwrap();
        let client = Client::builder().base_url("https://example.com").build_with_secrets(None, Some(secrets)).unwrap();
        assert_eq!(client.base_url(), "https://example.com");
        let debug = format!("{client:?}");
        assert!(debug.contains("credentials"), "{debug}");
        assert!(!debug.contains("SECRET"), "{debug}");

        assert!(matches!(
            Client::builder().base_url("http://example.com").build(),
            Err(Error::Config(_))
        ));
        assert!(
            Client::builder()
                .base_url("http://example.com")
                .allow_insecure_http(true)
                .build()
                .is_ok()
        );
        assert!(matches!(
            Client::builder().user_agent("a\r\nb").build(),
            Err(Error::Config(_))
        ));
    }

    #[test]
    fn environment_base_url() {
        // The crate's credential variables are its own; only the base URL is read here.
        let lookup = |name: &str| (name == ENV_BASE_URL).then(|| "http://localhost:1/".to_owned());
        let builder = match builder_from_lookup(lookup) {
            Ok(builder) => builder,
            // A crate with credential kinds wants one of them.
            Err(Error::Credentials(message)) => {
                assert!(message.starts_with("no credentials found in the environment"), "{message}");
                return;
            }
            Err(other) => panic!("unexpected {other:?}"),
        };
        assert_eq!(builder.build().unwrap().base_url(), "http://localhost:1");
    }
}
