//! Building and sending one request (with its retries), and interpreting its
//! response.

use std::borrow::Cow;
use std::time::Instant;

use bytes::Bytes;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tracing::Instrument;

use super::auth::Secrets;
use super::credentials::CredentialKind;
use super::client::Client;
use super::download::Download;
use super::error::{ApiError, DecodeError, Error, NO_RESULT};
use super::multipart::Multipart;
use super::options::RequestOptions;
use super::path::encode_component;
use super::envelope::{self, EnvelopeParts};
use super::request_id::response_event;
use super::response::ApiResponse;
use super::retry::{Failure, delay, is_idempotent, retry_reason};

/// Which credentials an operation accepts (`K` is the crate's credential kind; the runtime's
/// tests use their own).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Auth<K: 'static = CredentialKind> {
    /// The operation needs no credentials; none are sent.
    None,
    /// The client's credentials are sent if it has any, whatever their kind.
    Any,
    /// The client's credentials must be of one of these kinds; otherwise the
    /// request fails with [`Error::Credentials`] before anything is sent.
    OneOf(&'static [K]),
}

/// What the generated code knows about an operation before it is called.
#[derive(Clone, Debug)]
pub(crate) struct OperationSpec {
    /// The HTTP method.
    pub method: Method,
    /// The path as the spec writes it (`/stores/{store_id}`), for logs and traces.
    pub path_template: &'static str,
    /// Which credentials the operation accepts.
    pub auth: Auth,
    /// The media type of the success response, sent as `Accept`.
    pub accept: &'static str,
}

/// A request being built by a generated operation or the escape hatch.
/// Cloning is cheap (the body is shared), so a pager can send variants of it.
#[derive(Clone)]
pub(crate) struct Request<'a> {
    client: &'a Client,
    method: Method,
    path_template: Cow<'static, str>,
    auth: Auth,
    accept: Cow<'static, str>,
    path: String,
    query: Vec<(Cow<'static, str>, String)>,
    headers: HeaderMap,
    body: Option<(HeaderValue, Bytes)>,
    options: RequestOptions,
}

/// How an operation reads a success response into its result `T` (and a failure into an
/// error): one of the constructors below, chosen by the generated code.
#[doc(hidden)]
pub struct Read<T>(pub(crate) fn(Received) -> Result<ApiResponse<T>, Error>);

impl<T: DeserializeOwned> Read<T> {
    /// The whole body, as JSON (no envelope).
    pub(crate) const fn json() -> Self {
        Read(decode_json::<T>)
    }
}

impl Read<()> {
    /// A success body that is not needed (still an error when it is an envelope with
    /// `"success": false`).
    pub(crate) const fn empty() -> Self {
        Read(check_empty)
    }
}

impl Read<Vec<u8>> {
    /// The body of a success response as bytes (the response's
    /// [`body`](ApiResponse::body) is then empty: the result is the body).
    pub(crate) const fn bytes() -> Self {
        Read(read_bytes)
    }
}

/// A response whose body has been read.
pub(crate) struct Received {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

/// How one attempt ended well enough to stop trying.
enum Outcome {
    /// The body was read (every error response, and every success unless streamed).
    Read(Received),
    /// A success response whose body is left to the caller.
    Streaming(reqwest::Response),
}

impl<'a> Request<'a> {
    /// Starts a request for `operation`, its path the template until segments are filled in.
    pub(super) fn for_operation(client: &'a Client, operation: OperationSpec) -> Self {
        let OperationSpec { method, path_template, auth, accept } = operation;
        Request::new(client, method, Cow::Borrowed(path_template), auth, Cow::Borrowed(accept), path_template.to_owned())
    }

    /// Starts a request; see [`Client::call`] and [`Client::raw_request`].
    pub(super) fn new(
        client: &'a Client,
        method: Method,
        path_template: Cow<'static, str>,
        auth: Auth,
        accept: Cow<'static, str>,
        path: String,
    ) -> Self {
        Request {
            client,
            method,
            path_template,
            auth,
            accept,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            options: RequestOptions::default(),
        }
    }

    /// Adds a query parameter. Calling it again with the same name adds
    /// another pair (arrays are sent as repeated pairs).
    pub(crate) fn query(&mut self, name: &'static str, value: impl ToString) {
        self.query.push((Cow::Borrowed(name), value.to_string()));
    }

    /// Sets a query parameter, replacing every pair of that name (a pager
    /// setting `page` or `cursor`).
    pub(crate) fn set_query(&mut self, name: &'static str, value: impl ToString) {
        self.query.retain(|(existing, _)| existing != name);
        self.query(name, value);
    }

    /// Removes every query pair named `name`.
    pub(crate) fn remove_query(&mut self, name: &str) {
        self.query.retain(|(existing, _)| existing != name);
    }

    /// The names of the query parameters set so far (for `Debug`, which never shows values).
    pub(crate) fn query_names(&self) -> impl Iterator<Item = &str> {
        self.query.iter().map(|(name, _)| name.as_ref())
    }

    /// The query pairs set so far, in order.
    #[cfg(test)]
    pub(crate) fn query_pairs(&self) -> Vec<(String, String)> {
        self.query.iter().map(|(name, value)| (name.to_string(), value.clone())).collect()
    }

    /// The value of the header `name`, if it is set and is text.
    #[cfg(test)]
    pub(crate) fn header_text(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The body set so far, with its content type.
    #[cfg(test)]
    pub(crate) fn body_parts(&self) -> Option<(&str, &[u8])> {
        self.body.as_ref().map(|(content_type, body)| (content_type.to_str().unwrap_or_default(), body.as_ref()))
    }

    /// Replaces the path segment `{name}` with `segment` (already percent-encoded, so it holds
    /// no braces of its own).
    pub(crate) fn fill_path(&mut self, name: &str, segment: &str) {
        // In place: no pattern string and no second path per parameter (this runs per call).
        let mut from = 0;
        while let Some(open) = self.path[from..].find('{').map(|i| from + i) {
            let end = open + 1 + name.len();
            if self.path.get(open + 1..end) == Some(name) && self.path[end..].starts_with('}') {
                self.path.replace_range(open..=end, segment);
                from = open + segment.len();
            } else {
                from = open + 1;
            }
        }
    }

    /// The path to send (percent-encoded).
    #[cfg(test)]
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// Adds a query parameter whose name is only known at run time.
    pub(crate) fn query_owned(&mut self, name: String, value: String) {
        self.query.push((Cow::Owned(name), value));
    }

    /// Adds a header parameter. A value that cannot be sent as a header (for
    /// example one containing CR or LF) is rejected.
    pub(crate) fn header(&mut self, name: &'static str, value: &str) -> Result<(), Error> {
        self.header_owned(name, name, value)
    }

    /// Sets a header parameter, replacing any earlier value.
    pub(crate) fn set_header(&mut self, name: &'static str, value: &str) -> Result<(), Error> {
        self.headers.remove(name);
        self.header(name, value)
    }

    /// Adds a header whose name is only known at run time; `parameter` names
    /// it in the error.
    pub(crate) fn header_owned(
        &mut self,
        parameter: &'static str,
        name: &str,
        value: &str,
    ) -> Result<(), Error> {
        let (name, value) = header_pair(parameter, name, value)?;
        self.headers.append(name, value);
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
        self.body = Some((HeaderValue::from_static(content_type), bytes.into()));
        Ok(())
    }

    /// Sets a request body sent as given, with `content_type` (a media type from the spec).
    pub(crate) fn raw_body(&mut self, content_type: &'static str, body: impl Into<Bytes>) {
        self.body = Some((HeaderValue::from_static(content_type), body.into()));
    }

    /// Sets a request body with a content type known only at run time.
    pub(crate) fn body_with_type(&mut self, content_type: HeaderValue, body: Bytes) {
        self.body = Some((content_type, body));
    }

    /// Sets a `multipart/form-data` body (the boundary is chosen here).
    pub(crate) fn multipart(&mut self, form: Multipart) {
        let (content_type, body) = form.encode();
        self.body = Some((content_type, body));
    }

    /// Sets the media type asked for with `Accept`.
    pub(crate) fn accept(&mut self, media_type: Cow<'static, str>) {
        self.accept = media_type;
    }

    /// Changes which credentials are sent.
    pub(crate) fn set_auth(&mut self, auth: Auth) {
        self.auth = auth;
    }

    /// The HTTP method.
    pub(crate) fn method(&self) -> &Method {
        &self.method
    }

    /// The path template (or, for a raw request, the path).
    pub(crate) fn path_template(&self) -> &str {
        &self.path_template
    }

    /// Applies per-call options (timeout, retries, extra headers and query).
    pub(crate) fn options(&mut self, options: RequestOptions) {
        self.options = options;
    }

    /// The per-call options (timeout, retries, extra headers and query).
    pub(crate) fn options_mut(&mut self) -> &mut RequestOptions {
        &mut self.options
    }

    /// Sends the request and reads the response as `read` says (the envelope's
    /// `result`, the whole body as JSON, the bytes, ...).
    pub(crate) async fn send_read<T>(self, read: Read<T>) -> Result<ApiResponse<T>, Error> {
        (read.0)(self.send().await?)
    }

    /// Sends the request and returns a success response's body as a stream,
    /// read as the caller pulls it (error responses are read and decoded as
    /// usual). The per-attempt timeout also bounds the download.
    pub(crate) async fn send_download(self) -> Result<ApiResponse<Download>, Error> {
        match self.execute(true).await? {
            Outcome::Streaming(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                Ok(plain_response(status, headers, Vec::new(), Download::new(response)))
            }
            Outcome::Read(received) if !received.status.is_success() => Err(api_error(received)),
            Outcome::Read(Received { status, headers, body }) => {
                Ok(plain_response(status, headers, Vec::new(), Download::buffered(body)))
            }
        }
    }

    /// Sends the request, retrying as the retry rule allows, and reads the
    /// response body within the client's size limit.
    pub(crate) async fn send(self) -> Result<Received, Error> {
        match self.execute(false).await? {
            Outcome::Read(received) => Ok(received),
            Outcome::Streaming(response) => {
                let limit = self.client.inner.max_response_bytes;
                read_body(response, limit).await
            }
        }
    }

    /// Runs the attempts in a `tracing` span `request` naming the method and the
    /// path template (never the URL, headers or body); its target is this
    /// module's path, so it starts with the crate's name.
    async fn execute(&self, stream_success: bool) -> Result<Outcome, Error> {
        let span = tracing::debug_span!(
            "request",
            method = %self.method,
            path = %self.path_template,
        );
        // Boxed: the attempt future (with reqwest's) is large, and every layer above would
        // otherwise copy it as it is created. Without a subscriber the span is disabled and
        // is left out.
        if span.is_disabled() {
            Box::pin(self.attempts(stream_success)).await
        } else {
            Box::pin(self.attempts(stream_success).instrument(span)).await
        }
    }

    async fn attempts(&self, stream_success: bool) -> Result<Outcome, Error> {
        let inner = &self.client.inner;
        // Which secrets go out is decided once; a query credential joins the URL only here.
        let secrets = select_credentials(self.auth, inner.credential_kind, inner.secrets.as_ref())?;
        let secret_query = secrets.map_or(&[][..], |secrets| secrets.query.as_slice());
        let url = build_url(&inner.base_url, &self.path, &self.query, &self.options.extra_query, secret_query)?;
        let timeout = self.options.timeout.unwrap_or(inner.timeout);
        let max_retries = self.options.max_retries.unwrap_or(inner.max_retries);
        let repeatable = is_idempotent(&self.method)
            || self.options.retry_non_idempotent.unwrap_or(inner.retry_non_idempotent);
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let started = Instant::now();
            // A `reqwest::Request` built directly: the builder would copy the headers once more.
            let mut request = reqwest::Request::new(self.method.clone(), url.clone());
            // Built afresh for each attempt: cheaper than keeping a copy to clone.
            *request.headers_mut() = self.headers_to_send(secrets)?;
            *request.timeout_mut() = Some(timeout);
            if let Some((_, body)) = &self.body {
                *request.body_mut() = Some(body.clone().into());
            }
            let outcome = attempt_once(&inner.http, request, inner.max_response_bytes, stream_success).await;
            let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let retry = {
                let failure = match &outcome {
                    Ok(Outcome::Read(received)) => {
                        let status = received.status.as_u16();
                        // Field values are computed only when the event is enabled.
                        response_event!(attempt, status, elapsed_ms, &received.headers, "response");
                        (!received.status.is_success()).then_some(Failure::Status(status, &received.headers))
                    }
                    Ok(Outcome::Streaming(response)) => {
                        let status = response.status().as_u16();
                        response_event!(attempt, status, elapsed_ms, response.headers(), "response (streamed)");
                        None
                    }
                    Err(error) => {
                        let failure = attempt_failure(error);
                        tracing::debug!(attempt, elapsed_ms, error = error_kind(error), "attempt failed");
                        failure
                    }
                };
                failure.filter(|_| attempt <= max_retries).and_then(|failure| {
                    retry_reason(failure, repeatable).map(|reason| (reason, delay(failure, attempt - 1)))
                })
            };
            let Some((reason, wait)) = retry else {
                return outcome;
            };
            let delay_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
            tracing::info!(attempt, reason, delay_ms, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    /// Every header of an attempt: the client's default headers,
    /// `User-Agent`, `Accept`, the operation's, `Content-Type`, the call's extra
    /// headers, then the credentials (which nothing replaces).
    fn headers_to_send(&self, secrets: Option<&Secrets>) -> Result<HeaderMap, Error> {
        let inner = &self.client.inner;
        // The client's default headers and User-Agent, prepared when it was built.
        let mut headers = inner.base_headers.clone();
        let accept = HeaderValue::from_str(&self.accept).map_err(|_| Error::InvalidParameter {
            name: "accept",
            reason: "is not a valid header value".to_owned(),
        })?;
        headers.insert(ACCEPT, accept);
        for (name, value) in &self.headers {
            headers.append(name, value.clone());
        }
        if let Some((content_type, _)) = &self.body {
            headers.insert(CONTENT_TYPE, content_type.clone());
        }
        for (name, value) in &self.options.extra_headers {
            let (name, value) = header_pair("extra_header", name, value)?;
            headers.insert(name, value);
        }
        if let Some(secrets) = secrets {
            for (name, value) in &secrets.headers {
                headers.insert(name, value.clone());
            }
        }
        Ok(headers)
    }
}

/// Sends one attempt; reads the body unless it is a success to be streamed.
async fn attempt_once(
    http: &reqwest::Client,
    request: reqwest::Request,
    limit: usize,
    stream_success: bool,
) -> Result<Outcome, Error> {
    let response = http.execute(request).await.map_err(transport_error)?;
    if stream_success && response.status().is_success() {
        return Ok(Outcome::Streaming(response));
    }
    read_body(response, limit).await.map(Outcome::Read)
}

/// Reads a response body, refusing more than `limit` bytes (counted after
/// decompression).
async fn read_body(mut response: reqwest::Response, limit: usize) -> Result<Received, Error> {
    let status = response.status();
    if response
        .content_length()
        .is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX))
    {
        return Err(Error::ResponseTooLarge { status: status.as_u16(), limit });
    }
    // Do not trust the announced length for more than a modest preallocation.
    let capacity = response
        .content_length()
        .and_then(|length| usize::try_from(length).ok())
        .unwrap_or(0)
        .min(limit)
        .min(1024 * 1024);
    let mut body = Vec::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
        if chunk.len() > limit.saturating_sub(body.len()) {
            return Err(Error::ResponseTooLarge { status: status.as_u16(), limit });
        }
        body.extend_from_slice(&chunk);
    }
    let headers = std::mem::take(response.headers_mut());
    Ok(Received { status, headers, body })
}

/// Which kind of failure an attempt's error is, for the retry rule; `None`
/// for errors a retry cannot mend.
fn attempt_failure(error: &Error) -> Option<Failure<'static>> {
    match error {
        Error::Timeout(source) | Error::Transport(source) if source.is_connect() => Some(Failure::NotSent),
        Error::Timeout(_) | Error::Transport(_) => Some(Failure::Lost),
        _ => None,
    }
}

/// A short, secret-free name for an error in logs (reqwest's own messages
/// carry the URL).
fn error_kind(error: &Error) -> &'static str {
    match error {
        Error::Timeout(_) => "timeout",
        Error::Transport(source) if source.is_connect() => "connect",
        Error::Transport(_) => "transport",
        Error::ResponseTooLarge { .. } => "response too large",
        _ => "other",
    }
}

/// A header name and value, or [`Error::InvalidParameter`] naming `parameter`
/// (never echoing the value).
fn header_pair(parameter: &'static str, name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::InvalidParameter {
        name: parameter,
        reason: "is not a valid HTTP header name".to_owned(),
    })?;
    let header_value = HeaderValue::from_str(value).map_err(|_| Error::InvalidParameter {
        name: parameter,
        reason: "contains characters that are not allowed in an HTTP header \
                 (control characters such as CR, LF or NUL)"
            .to_owned(),
    })?;
    Ok((header_name, header_value))
}

/// Classifies a reqwest failure. The URL reqwest keeps in its error (and
/// prints) loses its query, which may carry values the caller passed or a
/// query credential.
pub(super) fn transport_error(mut error: reqwest::Error) -> Error {
    if let Some(url) = error.url_mut() {
        url.set_query(None);
    }
    if error.is_timeout() {
        Error::Timeout(error)
    } else {
        Error::Transport(error)
    }
}

/// Picks the secrets to send for `auth` from the client's (of kind `kind`;
/// both `None` when it has no credentials), or explains why they do not fit.
fn select_credentials<K: Copy + PartialEq + std::fmt::Display>(
    auth: Auth<K>,
    kind: Option<K>,
    secrets: Option<&Secrets>,
) -> Result<Option<&Secrets>, Error> {
    match (auth, kind) {
        (Auth::None, _) => Ok(None),
        (Auth::Any, _) => Ok(secrets),
        (Auth::OneOf(accepted), Some(kind)) if accepted.contains(&kind) => Ok(secrets),
        (Auth::OneOf(accepted), Some(kind)) => Err(Error::Credentials(format!(
            "this operation accepts {} credentials, but the client is configured with a {}",
            describe_kinds(accepted),
            kind
        ))),
        (Auth::OneOf(accepted), None) => Err(Error::Credentials(format!(
            "this operation requires {} credentials, but the client has none",
            describe_kinds(accepted)
        ))),
    }
}

/// `API token or API email + API key`.
fn describe_kinds<K: std::fmt::Display>(kinds: &[K]) -> String {
    let names: Vec<String> = kinds.iter().map(ToString::to_string).collect();
    if names.is_empty() {
        "no".to_owned()
    } else {
        names.join(" or ")
    }
}

/// Joins the base URL, the encoded path and the encoded query pairs (the
/// operation's, then the call's extra ones, then the query credentials).
fn build_url(
    base_url: &str,
    path: &str,
    query: &[(Cow<'static, str>, String)],
    extra: &[(String, String)],
    secrets: &[(&'static str, String)],
) -> Result<Url, Error> {
    let mut url = String::with_capacity(base_url.len() + path.len() + 1);
    url.push_str(base_url);
    if !path.starts_with('/') {
        url.push('/');
    }
    url.push_str(path);
    let pairs = query
        .iter()
        .map(|(name, value)| (name.as_ref(), value.as_str()))
        .chain(extra.iter().map(|(name, value)| (name.as_str(), value.as_str())))
        .chain(secrets.iter().map(|(name, value)| (*name, value.as_str())));
    for (index, (name, value)) in pairs.enumerate() {
        url.push(if index == 0 { '?' } else { '&' });
        url.push_str(&encode_component(name));
        url.push('=');
        url.push_str(&encode_component(value));
    }
    // The URL may hold a query credential: the error names only the cause.
    Url::parse(&url)
        .map_err(|error| Error::Config(format!("cannot build the request URL: {error}")))
}

/// A response with no envelope around its result.
pub(crate) fn plain_response<T>(status: StatusCode, headers: HeaderMap, body: Vec<u8>, result: T) -> ApiResponse<T> {
    ApiResponse { status, headers, envelope: EnvelopeParts::default(), body, result }
}

/// Takes a success response's body as its result.
fn read_bytes(received: Received) -> Result<ApiResponse<Vec<u8>>, Error> {
    if !received.status.is_success() {
        return Err(api_error(received));
    }
    let Received { status, headers, body } = received;
    Ok(plain_response(status, headers, Vec::new(), body))
}

/// Interprets a plain JSON response (no envelope).
pub(crate) fn decode_json<T: DeserializeOwned>(received: Received) -> Result<ApiResponse<T>, Error> {
    if !received.status.is_success() {
        return Err(api_error(received));
    }
    match serde_json::from_slice(&received.body) {
        Ok(result) => {
            let Received { status, headers, body } = received;
            Ok(plain_response(status, headers, body, result))
        }
        Err(source) => Err(decode_error(received, &source)),
    }
}

/// Interprets a response whose success body is not needed. A success body
/// the API's envelope calls a failure is still an error.
fn check_empty(received: Received) -> Result<ApiResponse<()>, Error> {
    let is_failure = !received.status.is_success() || envelope::says_failure(&received.body);
    if is_failure {
        return Err(api_error(received));
    }
    let Received { status, headers, body } = received;
    Ok(plain_response(status, headers, body, ()))
}

pub(crate) fn decode_error(received: Received, source: &serde_json::Error) -> Error {
    let Received { status, headers, body } = received;
    Error::Decode(Box::new(DecodeError::new(status, headers, body, source)))
}

/// Builds an [`Error::Api`] (which reads the body's error lists, where the
/// API's envelope has them).
pub(crate) fn api_error(received: Received) -> Error {
    let Received { status, headers, body } = received;
    Error::Api(Box::new(ApiError::new(status, headers, body)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::options::RequestOptions;
    use crate::runtime::error::ApiErrorKind;

    const OK: StatusCode = StatusCode::OK;

    /// Credential kinds of the tests' own (every crate has other ones).
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum TestKind {
        Token,
        Key,
        Service,
    }

    impl std::fmt::Display for TestKind {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(match self {
                TestKind::Token => "API token",
                TestKind::Key => "API email + API key",
                TestKind::Service => "user service key",
            })
        }
    }

    #[test]
    fn credential_selection() {
        const TOKEN_OR_KEY: &[TestKind] = &[TestKind::Token, TestKind::Key];
        let secrets = Secrets::new().header("authorization", "Bearer ", "t-SECRET", "token").unwrap();

        let secrets = Some(&secrets);
        assert!(select_credentials(Auth::None, Some(TestKind::Token), secrets).unwrap().is_none());
        assert!(select_credentials(Auth::<TestKind>::Any, None, None).unwrap().is_none());
        assert!(select_credentials(Auth::Any, Some(TestKind::Service), secrets).unwrap().is_some());
        assert!(select_credentials(Auth::OneOf(TOKEN_OR_KEY), Some(TestKind::Token), secrets).unwrap().is_some());

        let message = match select_credentials(Auth::OneOf(TOKEN_OR_KEY), Some(TestKind::Service), secrets) {
            Err(Error::Credentials(message)) => message,
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(
            message,
            "this operation accepts API token or API email + API key credentials, \
             but the client is configured with a user service key"
        );
        let message = match select_credentials(Auth::OneOf(TOKEN_OR_KEY), None, None) {
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
        let base = "https://api.example.com/v1";
        let url = build_url(base, "/stores/a%2Fb", &[], &[], &[]).unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example.com/v1/stores/a%2Fb"
        );
        let query = [
            (Cow::Borrowed("name"), "a b&c=d".to_owned()),
            (Cow::Borrowed("tag"), "x".to_owned()),
            (Cow::Owned("tag".to_owned()), "é/#".to_owned()),
        ];
        let extra = [("x y".to_owned(), "1&2".to_owned())];
        let secret = [("api_key", "k&=SECRET".to_owned())];
        let url = build_url(base, "/stores", &query, &extra, &secret).unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example.com/v1/stores?name=a%20b%26c%3Dd&tag=x&tag=%C3%A9%2F%23&x%20y=1%262&api_key=k%26%3DSECRET"
        );
        let url = build_url(base, "/stores", &[], &extra, &[]).unwrap();
        assert_eq!(url.query(), Some("x%20y=1%262"));
        assert_eq!(url.path(), "/v1/stores");
        assert_eq!(
            build_url(base, "stores", &[], &[], &[]).unwrap().path(),
            "/v1/stores"
        );
    }

    #[test]
    fn operation_requests_send_accept_options_and_credentials_in_order() {
        static PCAP: OperationSpec = OperationSpec {
            method: Method::GET,
            path_template: "/stores/{store_id}/exports/{export_id}/download",
            auth: Auth::Any,
            accept: "application/vnd.tcpdump.pcap",
        };
        let secrets = Secrets::new()
            .header("authorization", "Bearer ", "tok-SECRET", "token")
            .and_then(|s| s.query("key", "q-SECRET", "key"))
            .unwrap();
        let client = Client::builder()
            .default_header("X-Team", "blue")
            .default_header("Authorization", "Bearer forged")
            .user_agent("agent/1")
            .build_with_secrets(None, Some(secrets))
            .unwrap();
        let mut request = Request::for_operation(&client, PCAP.clone());
        request.header("X-Team", "green").unwrap();
        request.raw_body("application/octet-stream", vec![1]);
        request.options(
            RequestOptions::new()
                .extra_header("X-Extra", "1")
                .extra_header("X-Team", "red")
                .extra_header("authorization", "Bearer also-forged"),
        );
        assert_eq!(request.method(), Method::GET);
        assert_eq!(request.path_template(), "/stores/{store_id}/exports/{export_id}/download");
        let inner = &client.inner;
        let secrets = select_credentials(request.auth, inner.credential_kind, inner.secrets.as_ref()).unwrap();
        assert_eq!(secrets.map(|s| s.query.len()), Some(1));
        let headers = request.headers_to_send(secrets).unwrap();
        assert_eq!(headers["accept"], "application/vnd.tcpdump.pcap");
        assert_eq!(headers["user-agent"], "agent/1");
        assert_eq!(headers["content-type"], "application/octet-stream");
        assert_eq!(headers["x-extra"], "1");
        // The call's extra header replaces the client's and the operation's values.
        assert_eq!(headers.get_all("x-team").iter().collect::<Vec<_>>(), ["red"]);
        // Nothing replaces the credentials; the query credential is no header.
        assert_eq!(headers.get_all("authorization").iter().collect::<Vec<_>>(), ["Bearer tok-SECRET"]);
        assert!(headers["authorization"].is_sensitive());
        assert!(!headers.values().any(|v| v.to_str().unwrap_or_default().contains("q-SECRET")));

        request.options(RequestOptions::new().extra_header("X-Bad", "a\r\nInjected: 1"));
        match request.headers_to_send(secrets) {
            Err(Error::InvalidParameter { name: "extra_header", reason }) => assert!(!reason.contains("Injected")),
            other => panic!("unexpected {other:?}"),
        }
        // Without credentials nothing is added.
        request.options(RequestOptions::new());
        let headers = request.headers_to_send(None).unwrap();
        assert_eq!(headers.get_all("authorization").iter().collect::<Vec<_>>(), ["Bearer forged"]);
    }

    #[test]
    fn request_options_debug_shows_names_only() {
        let options = RequestOptions::new().extra_header("Authorization", "Bearer SECRET").extra_query("token", "SECRET");
        let printed = format!("{options:?}");
        assert!(printed.contains("Authorization") && printed.contains("token"), "{printed}");
        assert!(!printed.contains("SECRET"), "{printed}");
        let builder = Client::builder().default_header("X-Auth", "SECRET");
        assert!(!format!("{builder:?}").contains("SECRET"));
    }

    #[test]
    fn request_parameters() {
        static GET_X: OperationSpec =
            OperationSpec { method: Method::GET, path_template: "/x", auth: Auth::None, accept: "application/json" };
        let client = Client::builder().build().unwrap();
        let mut request = Request::for_operation(&client, GET_X.clone());
        let request = &mut request;
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
        let pairs: Vec<(&str, &str)> =
            request.query.iter().map(|(name, value)| (name.as_ref(), value.as_str())).collect();
        assert_eq!(pairs, [("page", "2"), ("tag", "a"), ("tag", "true")]);
        request.json("application/json", &serde_json::json!({"name": "n"})).unwrap();
        let (content_type, body) = request.body.clone().unwrap();
        assert_eq!(content_type, "application/json");
        assert_eq!(body, br#"{"name":"n"}"#[..]);
        request.raw_body("application/octet-stream", vec![1, 2]);
        let (content_type, body) = request.body.clone().unwrap();
        assert_eq!(content_type, "application/octet-stream");
        assert_eq!(body, [1, 2][..]);
    }
}
