//! Building and sending one request, and interpreting its response.

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::auth::{CredentialKind, ResolvedCredentials};
use super::client::Client;
use super::error::{ApiError, DecodeError, Error, NO_RESULT, ResponseInfo, ResponseInfoSource};
use super::path::encode_component;

/// Which credentials an operation accepts.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Auth {
    /// The operation needs no credentials; none are sent.
    None,
    /// The client's credentials are sent if it has any, whatever their kind.
    Any,
    /// The client's credentials must be of one of these kinds; otherwise the
    /// request fails with [`Error::Credentials`] before anything is sent.
    OneOf(&'static [CredentialKind]),
}

/// A request being built by a generated operation.
pub(crate) struct Request<'a> {
    client: &'a Client,
    method: Method,
    path: String,
    auth: Auth,
    query: Vec<(&'static str, String)>,
    headers: HeaderMap,
    body: Option<(HeaderValue, Vec<u8>)>,
}

impl<'a> Request<'a> {
    /// Starts a request; see [`Client::request`].
    pub(super) fn new(client: &'a Client, method: Method, path: String, auth: Auth) -> Self {
        Request {
            client,
            method,
            path,
            auth,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
        }
    }

    /// Adds a query parameter. Calling it again with the same name adds
    /// another pair (arrays are sent as repeated pairs).
    pub(crate) fn query(&mut self, name: &'static str, value: impl ToString) {
        self.query.push((name, value.to_string()));
    }

    /// Adds a header parameter. A value that cannot be sent as a header (for
    /// example one containing CR or LF) is rejected.
    pub(crate) fn header(&mut self, name: &'static str, value: &str) -> Result<(), Error> {
        let header_name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::InvalidParameter {
                name,
                reason: "is not a valid HTTP header name".to_owned(),
            })?;
        let header_value = HeaderValue::from_str(value).map_err(|_| Error::InvalidParameter {
            name,
            reason: "contains characters that are not allowed in an HTTP header \
                     (control characters such as CR, LF or NUL)"
                .to_owned(),
        })?;
        self.headers.append(header_name, header_value);
        Ok(())
    }

    /// Sets a JSON request body.
    /// `content_type` is the spec's JSON media type (`application/json`, `application/merge-patch+json`, ...).
    pub(crate) fn json<B: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &B,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|error| Error::InvalidParameter {
            name: "body",
            reason: format!("cannot be serialized as JSON: {error}"),
        })?;
        self.body = Some((HeaderValue::from_static(content_type), bytes));
        Ok(())
    }

    /// Sets a request body sent as given, with `content_type` (a media type from the spec).
    pub(crate) fn raw_body(&mut self, content_type: &'static str, body: Vec<u8>) {
        let content_type = HeaderValue::from_static(content_type);
        self.body = Some((content_type, body));
    }

    /// Sends the request and returns the `result` of the response envelope,
    /// which must be present and not null.
    pub(crate) async fn send_result<T: DeserializeOwned>(self) -> Result<T, Error> {
        let (status, body) = self.send().await?;
        decode_result(status, &body)
    }

    /// Sends the request and returns the `result` of the response envelope,
    /// or `None` when it is missing or null.
    pub(crate) async fn send_result_optional<T: DeserializeOwned>(
        self,
    ) -> Result<Option<T>, Error> {
        let (status, body) = self.send().await?;
        decode_result_optional(status, &body)
    }

    /// Sends the request and checks the response envelope, which carries no `result` worth
    /// returning.
    pub(crate) async fn send_no_result(self) -> Result<(), Error> {
        let (status, body) = self.send().await?;
        decode_result_optional::<serde::de::IgnoredAny>(status, &body).map(drop)
    }

    /// Sends the request and returns the body of a success response as bytes.
    pub(crate) async fn send_bytes(self) -> Result<Vec<u8>, Error> {
        let (status, body) = self.send().await?;
        if status.is_success() { Ok(body) } else { Err(api_error(status, &body)) }
    }

    /// Sends the request and decodes the whole response body (no envelope).
    pub(crate) async fn send_json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let (status, body) = self.send().await?;
        decode_json(status, &body)
    }

    /// Sends the request and ignores the body of a success response.
    pub(crate) async fn send_empty(self) -> Result<(), Error> {
        let (status, body) = self.send().await?;
        check_empty(status, &body)
    }

    /// Sends the request and reads the response body within the client's
    /// size limit.
    async fn send(self) -> Result<(StatusCode, Vec<u8>), Error> {
        let inner = &self.client.inner;
        let credentials = select_credentials(self.auth, inner.credentials.as_ref())?;
        let url = build_url(&inner.base_url, &self.path, &self.query)?;
        let mut builder = inner
            .http
            .request(self.method, url)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .headers(self.headers);
        if let Some(credentials) = credentials {
            builder = builder.headers(credentials.clone());
        }
        if let Some((content_type, body)) = self.body {
            builder = builder.header(CONTENT_TYPE, content_type).body(body);
        }
        let mut response = builder.send().await.map_err(transport_error)?;
        let status = response.status();
        let limit = inner.max_response_bytes;
        if response
            .content_length()
            .is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX))
        {
            return Err(Error::ResponseTooLarge { status, limit });
        }
        // Do not trust the announced length for more than a modest
        // preallocation.
        let capacity = response
            .content_length()
            .and_then(|length| usize::try_from(length).ok())
            .unwrap_or(0)
            .min(limit)
            .min(1024 * 1024);
        let mut body = Vec::with_capacity(capacity);
        while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
            if chunk.len() > limit.saturating_sub(body.len()) {
                return Err(Error::ResponseTooLarge { status, limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, body))
    }
}

/// Classifies a reqwest failure.
fn transport_error(error: reqwest::Error) -> Error {
    if error.is_timeout() {
        Error::Timeout(error)
    } else {
        Error::Transport(error)
    }
}

/// Picks the credential headers to send for `auth`, or explains why the
/// client's credentials do not fit.
fn select_credentials(
    auth: Auth,
    credentials: Option<&ResolvedCredentials>,
) -> Result<Option<&HeaderMap>, Error> {
    match (auth, credentials) {
        (Auth::None, _) | (Auth::Any, None) => Ok(None),
        (Auth::Any, Some(credentials)) => Ok(Some(&credentials.headers)),
        (Auth::OneOf(accepted), Some(credentials)) if accepted.contains(&credentials.kind) => {
            Ok(Some(&credentials.headers))
        }
        (Auth::OneOf(accepted), Some(credentials)) => Err(Error::Credentials(format!(
            "this operation accepts {} credentials, but the client is configured with a {}",
            describe_kinds(accepted),
            credentials.kind
        ))),
        (Auth::OneOf(accepted), None) => Err(Error::Credentials(format!(
            "this operation requires {} credentials, but the client has none",
            describe_kinds(accepted)
        ))),
    }
}

/// `API token or API email + API key`.
fn describe_kinds(kinds: &[CredentialKind]) -> String {
    let names: Vec<String> = kinds.iter().map(ToString::to_string).collect();
    if names.is_empty() {
        "no".to_owned()
    } else {
        names.join(" or ")
    }
}

/// Joins the base URL, the encoded path and the encoded query pairs.
fn build_url(base_url: &str, path: &str, query: &[(&'static str, String)]) -> Result<Url, Error> {
    let mut url = String::with_capacity(base_url.len() + path.len() + 1);
    url.push_str(base_url);
    if !path.starts_with('/') {
        url.push('/');
    }
    url.push_str(path);
    for (index, (name, value)) in query.iter().enumerate() {
        url.push(if index == 0 { '?' } else { '&' });
        url.push_str(&encode_component(name));
        url.push('=');
        url.push_str(&encode_component(value));
    }
    Url::parse(&url)
        .map_err(|error| Error::Config(format!("cannot build the request URL: {error}")))
}

/// The fields of a response envelope needed to tell success from failure.
#[derive(Deserialize)]
struct EnvelopeStatus {
    #[serde(default)]
    success: Option<Value>,
}

impl EnvelopeStatus {
    fn failed(&self) -> bool {
        matches!(self.success, Some(Value::Bool(false)))
    }
}

/// The parts of a response envelope a success needs: one pass over the body.
#[derive(Deserialize)]
struct EnvelopeResult<T> {
    #[serde(default)]
    success: Option<Value>,
    #[serde(default = "none")]
    result: Option<T>,
}

fn none<T>() -> Option<T> {
    None
}

/// Interprets an envelope response whose `result` is required.
fn decode_result<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T, Error> {
    decode_result_optional(status, body)?
        .ok_or_else(|| decode_error(status, body, serde::de::Error::custom(NO_RESULT)))
}

/// Interprets an envelope response whose `result` may be missing or null.
fn decode_result_optional<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
) -> Result<Option<T>, Error> {
    if !status.is_success() {
        return Err(api_error(status, body));
    }
    match serde_json::from_slice::<EnvelopeResult<T>>(body) {
        Ok(envelope) if matches!(envelope.success, Some(Value::Bool(false))) => {
            Err(api_error(status, body))
        }
        Ok(envelope) => Ok(envelope.result),
        // A failure envelope's `result` need not have the success shape: look at `success`
        // alone before calling the body undecodable.
        Err(source) => {
            let failed = serde_json::from_slice::<EnvelopeStatus>(body)
                .is_ok_and(|envelope| envelope.failed());
            Err(if failed { api_error(status, body) } else { decode_error(status, body, source) })
        }
    }
}

/// Interprets a plain JSON response (no envelope).
fn decode_json<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T, Error> {
    if !status.is_success() {
        return Err(api_error(status, body));
    }
    serde_json::from_slice(body).map_err(|source| decode_error(status, body, source))
}

/// Interprets a response whose success body is not needed. A success body
/// that is an envelope with `"success": false` is still an error.
fn check_empty(status: StatusCode, body: &[u8]) -> Result<(), Error> {
    let failed = !status.is_success()
        || serde_json::from_slice::<EnvelopeStatus>(body).is_ok_and(|envelope| envelope.failed());
    if failed {
        Err(api_error(status, body))
    } else {
        Ok(())
    }
}

fn decode_error(status: StatusCode, body: &[u8], source: serde_json::Error) -> Error {
    Error::Decode(Box::new(DecodeError::new(status, body, &source)))
}

/// Builds an [`Error::Api`], reading `errors` and `messages` leniently when
/// the body is a JSON object.
fn api_error(status: StatusCode, body: &[u8]) -> Error {
    let parsed = serde_json::from_slice::<Value>(body).ok();
    let object = parsed.as_ref().and_then(Value::as_object);
    let infos = |field: &str| {
        object
            .and_then(|object| object.get(field))
            .map(response_infos)
            .unwrap_or_default()
    };
    Error::Api(Box::new(ApiError::new(
        status,
        infos("errors"),
        infos("messages"),
        body.to_vec(),
    )))
}

/// Reads a list of errors or messages, accepting odd shapes.
fn response_infos(value: &Value) -> Vec<ResponseInfo> {
    match value {
        Value::Array(items) => items.iter().filter_map(response_info).collect(),
        other => response_info(other).into_iter().collect(),
    }
}

fn response_info(value: &Value) -> Option<ResponseInfo> {
    let text = |value: &Value| match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    match value {
        Value::Null => None,
        Value::Object(object) => Some(ResponseInfo {
            code: object
                .get("code")
                .and_then(|code| {
                    code.as_i64()
                        .or_else(|| code.as_str().and_then(|code| code.trim().parse().ok()))
                })
                .unwrap_or(0),
            message: object.get("message").map(text).unwrap_or_default(),
            documentation_url: object
                .get("documentation_url")
                .and_then(Value::as_str)
                .map(str::to_owned),
            source: object
                .get("source")
                .and_then(Value::as_object)
                .map(|source| ResponseInfoSource {
                    pointer: source
                        .get("pointer")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                }),
        }),
        other => Some(ResponseInfo {
            message: text(other),
            ..ResponseInfo::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::auth::Credentials;
    use crate::runtime::error::ApiErrorKind;

    const OK: StatusCode = StatusCode::OK;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Zone {
        id: String,
    }

    fn api(result: Result<impl std::fmt::Debug, Error>) -> ApiError {
        match result {
            Err(Error::Api(api)) => *api,
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    fn decode_failure(result: Result<impl std::fmt::Debug, Error>) -> (StatusCode, String) {
        match result {
            Err(Error::Decode(decode)) => (decode.status(), decode.body_text().into_owned()),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn success_envelope() {
        let body = br#"{"success":true,"errors":[],"messages":[],"result":{"id":"z1","extra":1},"result_info":{"page":1}}"#;
        assert_eq!(
            decode_result::<Zone>(OK, body).unwrap(),
            Zone {
                id: "z1".to_owned()
            }
        );
        assert_eq!(
            decode_result_optional::<Zone>(OK, body).unwrap(),
            Some(Zone {
                id: "z1".to_owned()
            })
        );
        // A missing `success` is tolerated.
        assert_eq!(
            decode_result::<Vec<u32>>(OK, br#"{"result":[1,2]}"#).unwrap(),
            vec![1, 2]
        );
    }

    #[test]
    fn null_or_missing_result() {
        for body in [
            &br#"{"success":true,"errors":[],"messages":[],"result":null}"#[..],
            br#"{"success":true}"#,
        ] {
            assert_eq!(decode_result_optional::<Zone>(OK, body).unwrap(), None);
            let (status, kept) = decode_failure(decode_result::<Zone>(OK, body));
            assert_eq!(status, OK);
            assert_eq!(kept.as_bytes(), body);
        }
    }

    #[test]
    fn success_false_on_200() {
        let body = br#"{"success":false,"errors":[{"code":1001,"message":"bad"}],"messages":[],"result":"not a zone"}"#;
        for error in [
            api(decode_result::<Zone>(OK, body)),
            api(decode_result_optional::<Zone>(OK, body)),
            api(check_empty(OK, body)),
        ] {
            assert_eq!(error.status, OK);
            assert_eq!(error.kind(), ApiErrorKind::Other);
            assert_eq!(
                error.errors,
                vec![ResponseInfo {
                    code: 1001,
                    message: "bad".to_owned(),
                    ..Default::default()
                }]
            );
            assert_eq!(error.to_string(), "HTTP 200 OK: 1001: bad");
        }
        // A plain JSON operation has no envelope to interpret.
        assert!(decode_json::<Value>(OK, body).is_ok());
    }

    #[test]
    fn failure_envelope_on_4xx() {
        let body = br#"{"success":false,"errors":[{"code":7003,"message":"Could not route","documentation_url":"https://d","source":{"pointer":"/name"}},{"code":"9109","message":"x","unknown":true}],"messages":[{"code":1,"message":"note"}],"result":null}"#;
        let error = api(decode_result::<Zone>(StatusCode::BAD_REQUEST, body));
        assert_eq!(error.status, StatusCode::BAD_REQUEST);
        assert_eq!(error.kind(), ApiErrorKind::BadRequest);
        assert_eq!(error.errors.len(), 2);
        assert_eq!(error.errors[0].code, 7003);
        assert_eq!(
            error.errors[0].documentation_url.as_deref(),
            Some("https://d")
        );
        assert_eq!(
            error.errors[0]
                .source
                .as_ref()
                .and_then(|s| s.pointer.as_deref()),
            Some("/name")
        );
        assert_eq!(error.errors[1].code, 9109);
        assert_eq!(
            error.messages,
            vec![ResponseInfo {
                code: 1,
                message: "note".to_owned(),
                ..Default::default()
            }]
        );
        assert_eq!(error.body(), body);
        assert_eq!(
            error.to_string(),
            "HTTP 400 Bad Request: 7003: Could not route; 9109: x"
        );
        // Every sending flavour reports the failure the same way.
        assert_eq!(
            api(decode_json::<Value>(StatusCode::FORBIDDEN, body)).kind(),
            ApiErrorKind::Forbidden
        );
        assert_eq!(
            api(check_empty(StatusCode::NOT_FOUND, body)).kind(),
            ApiErrorKind::NotFound
        );
    }

    #[test]
    fn odd_error_bodies_are_kept() {
        let cases: [(&[u8], usize); 6] = [
            (b"<html>502 Bad Gateway</html>", 0),
            (b"", 0),
            (b"[1,2]", 0),
            (br#"{"errors":"plain text"}"#, 1),
            (br#"{"errors":[null,"s",{"code":1.5}]}"#, 2),
            (b"\xff\xfe not utf-8", 0),
        ];
        for (body, error_count) in cases {
            let error = api(decode_result::<Zone>(StatusCode::BAD_GATEWAY, body));
            assert_eq!(error.kind(), ApiErrorKind::Server);
            assert_eq!(error.errors.len(), error_count, "{body:?}");
            assert!(error.messages.is_empty());
            assert_eq!(error.body(), body);
        }
        let error = api(decode_result::<Zone>(StatusCode::BAD_GATEWAY, b"<html>"));
        assert_eq!(error.to_string(), "HTTP 502 Bad Gateway");
    }

    #[test]
    fn undecodable_success_body_is_kept() {
        for body in [
            &b"<html>oops</html>"[..],
            br#"{"success":true,"result":{"name":1}}"#,
        ] {
            let (status, kept) = decode_failure(decode_result::<Zone>(StatusCode::CREATED, body));
            assert_eq!(status, StatusCode::CREATED);
            assert_eq!(kept.as_bytes(), body);
        }
        let (_, kept) = decode_failure(decode_json::<Zone>(OK, b"[]"));
        assert_eq!(kept, "[]");
        assert_eq!(
            decode_json::<Zone>(OK, br#"{"id":"a"}"#).unwrap(),
            Zone { id: "a".to_owned() }
        );
    }

    #[test]
    fn empty_responses() {
        for body in [
            &b""[..],
            b"not json",
            br#"{"success":true,"result":null}"#,
            br#"{"id":1}"#,
        ] {
            assert!(check_empty(StatusCode::NO_CONTENT, body).is_ok());
            assert!(check_empty(OK, body).is_ok());
        }
    }

    #[test]
    fn credential_selection() {
        const TOKEN_OR_KEY: &[CredentialKind] = &[CredentialKind::ApiToken, CredentialKind::ApiKey];
        let token = Credentials::api_token("t-SECRET").resolve().unwrap();
        let service = Credentials::user_service_key("s-SECRET").resolve().unwrap();

        assert!(
            select_credentials(Auth::None, Some(&token))
                .unwrap()
                .is_none()
        );
        assert!(select_credentials(Auth::Any, None).unwrap().is_none());
        assert_eq!(
            select_credentials(Auth::Any, Some(&service)).unwrap(),
            Some(&service.headers)
        );
        assert_eq!(
            select_credentials(Auth::OneOf(TOKEN_OR_KEY), Some(&token)).unwrap(),
            Some(&token.headers)
        );

        let message = match select_credentials(Auth::OneOf(TOKEN_OR_KEY), Some(&service)) {
            Err(Error::Credentials(message)) => message,
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(
            message,
            "this operation accepts API token or API email + API key credentials, \
             but the client is configured with a user service key"
        );
        let message = match select_credentials(Auth::OneOf(TOKEN_OR_KEY), None) {
            Err(Error::Credentials(message)) => message,
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(
            message,
            "this operation requires API token or API email + API key credentials, but the client has none"
        );
    }

    #[test]
    fn url_building() {
        let base = "https://api.example.com/client/v4";
        let url = build_url(base, "/zones/a%2Fb", &[]).unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example.com/client/v4/zones/a%2Fb"
        );
        let query = [
            ("name", "a b&c=d".to_owned()),
            ("tag", "x".to_owned()),
            ("tag", "é/#".to_owned()),
        ];
        let url = build_url(base, "/zones", &query).unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example.com/client/v4/zones?name=a%20b%26c%3Dd&tag=x&tag=%C3%A9%2F%23"
        );
        assert_eq!(url.path(), "/client/v4/zones");
        assert_eq!(
            build_url(base, "zones", &[]).unwrap().path(),
            "/client/v4/zones"
        );
    }

    #[test]
    fn request_parameters() {
        let client = Client::builder().build().unwrap();
        let mut request = client.request(Method::GET, "/x".to_owned(), Auth::None);
        request.header("If-Match", "\"etag\"").unwrap();
        assert_eq!(request.headers.get("if-match").unwrap(), "\"etag\"");
        match request.header("X-Custom", "a\r\nInjected: 1") {
            Err(Error::InvalidParameter { name, reason }) => {
                assert_eq!(name, "X-Custom");
                assert!(!reason.contains("Injected"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(request.headers.get("x-custom").is_none());
        request.query("page", 2);
        request.query("tag", "a");
        request.query("tag", true);
        assert_eq!(
            request.query,
            [
                ("page", "2".to_owned()),
                ("tag", "a".to_owned()),
                ("tag", "true".to_owned())
            ]
        );
        request.json("application/json", &serde_json::json!({"name": "n"})).unwrap();
        let (content_type, body) = request.body.clone().unwrap();
        assert_eq!(content_type, "application/json");
        assert_eq!(body, br#"{"name":"n"}"#);
        request.raw_body("application/octet-stream", vec![1, 2]);
        let (content_type, body) = request.body.unwrap();
        assert_eq!(content_type, "application/octet-stream");
        assert_eq!(body, [1, 2]);
    }
}
