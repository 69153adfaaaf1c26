//! The error type returned by every operation, and the details of API errors.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::envelope::ErrorLists;
use super::request_id;

/// Everything that can go wrong when calling an operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter value was rejected before any request was sent.
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The name of the parameter, as written in the API description.
        name: &'static str,
        /// Why the value was rejected.
        reason: String,
    },
    /// The credentials are unusable, missing, or of a kind the operation does
    /// not accept. The message never contains a secret.
    #[error("credentials error: {0}")]
    Credentials(String),
    /// The client configuration is invalid (for example the base URL).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The API answered with an error status, or with a success status whose
    /// body says the call failed (`"success": false` in an envelope).
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The API answered with a success status but the body could not be
    /// decoded into the expected type. The body is kept (see
    /// [`DecodeError::body`]) but never shown by `Display` or `Debug`.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// The response body was larger than the client's configured limit.
    #[error("the response body exceeds the limit of {limit} bytes ({})", DisplayStatus(StatusCode::from_u16(*.status).ok()))]
    ResponseTooLarge {
        /// The HTTP status code of the response.
        status: u16,
        /// The configured limit, in bytes.
        limit: usize,
    },
    /// An attempt (sending the request and reading its response) outlived its
    /// timeout, and no retry was left or allowed.
    #[error("the request timed out")]
    Timeout(#[source] reqwest::Error),
    /// The request could not be sent or its response could not be read.
    #[error("HTTP transport error")]
    Transport(#[source] reqwest::Error),
}

impl Error {
    /// The HTTP status code of the response this error came from, if any.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status()),
            Error::Decode(decode) => Some(decode.status()),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Timeout(source) | Error::Transport(source) => {
                source.status().map(|status| status.as_u16())
            }
            Error::InvalidParameter { .. } | Error::Credentials(_) | Error::Config(_) => None,
        }
    }

    /// Whether the request timed out.
    #[must_use]
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// The API error details, if this is an [`Error::Api`].
    #[must_use]
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }
}

/// The accessors of a type with `status: StatusCode`, `headers: HeaderMap` and `body: Vec<u8>`
/// fields. `body()` and `body_text()` are the only way to the body, which `Display` and
/// `Debug` never show.
macro_rules! response_accessors {
    () => {
        /// The HTTP status code of the response.
        #[must_use]
        pub fn status(&self) -> u16 {
            self.status.as_u16()
        }

        /// The response headers.
        #[must_use]
        pub fn headers(&self) -> &reqwest::header::HeaderMap {
            &self.headers
        }

        /// The value of the response header `name` (case-insensitive), if it is
        /// present and visible ASCII.
        #[must_use]
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers.get(name).and_then(|value| value.to_str().ok())
        }

        /// The raw response body, as received.
        #[must_use]
        pub fn body(&self) -> &[u8] {
            &self.body
        }

        /// The raw response body as text (invalid UTF-8 replaced by U+FFFD).
        #[must_use]
        pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
            String::from_utf8_lossy(&self.body)
        }
    };
}

pub(super) use response_accessors;

/// An error reported by the API: an error status, or a success status whose
/// body says the call failed (where the API's answers come in an envelope
/// that can say so).
///
/// The raw body is available through [`body`](Self::body) and
/// [`body_text`](Self::body_text) only: it may hold secrets (a failed
/// rotation can still carry the new secret), so neither `Display` nor `Debug`
/// shows it.
#[derive(Clone)]
pub struct ApiError {
    status: StatusCode,
    headers: HeaderMap,
    /// What the body lists of errors, read as the API writes them (nothing
    /// for an API without an envelope).
    pub(super) lists: ErrorLists,
    body: Vec<u8>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Vec<u8>) -> Self {
        let lists = ErrorLists::read(&body);
        ApiError { status, headers, lists, body }
    }

    /// How long the server asked to wait before retrying (`Retry-After` in
    /// seconds or as an HTTP date, or `retry-after-ms`), if it said so.
    #[must_use]
    pub fn retry_after(&self) -> Option<Duration> {
        super::retry::retry_after(&self.headers, std::time::SystemTime::now())
    }

    /// A coarse classification of this error, derived from the HTTP status.
    ///
    /// A success status whose body says the call failed is [`ApiErrorKind::Other`].
    #[must_use]
    pub fn kind(&self) -> ApiErrorKind {
        ApiErrorKind::from_status(self.status)
    }

    response_accessors!();
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("ApiError");
        debug.field("status", &self.status.as_u16());
        request_id::debug_field(&mut debug, &self.headers);
        self.lists.debug_fields(&mut debug);
        debug.field("body", &BodyLength(self.body.len())).finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", DisplayStatus(Some(self.status)))?;
        self.lists.summarize(f)
    }
}

impl std::error::Error for ApiError {}

/// A success response whose body could not be decoded into the expected type.
///
/// The raw body is available through [`body`](Self::body) and
/// [`body_text`](Self::body_text) only; neither `Display` nor `Debug` shows
/// it. The decoder's message is kept without the values it quotes from the
/// body (serde echoes unexpected strings and unknown variant names).
#[derive(Clone)]
pub struct DecodeError {
    status: StatusCode,
    headers: HeaderMap,
    reason: String,
    line: usize,
    column: usize,
    body: Vec<u8>,
}

impl DecodeError {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
        source: &serde_json::Error,
    ) -> Self {
        DecodeError {
            status,
            headers,
            reason: content_free_reason(source),
            line: source.line(),
            column: source.column(),
            body,
        }
    }

    /// What the decoder found wrong, without quoting the body.
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The line (1-based) of the body where decoding failed, 0 if unknown.
    #[must_use]
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column (1-based) of the body where decoding failed, 0 if unknown.
    #[must_use]
    pub fn column(&self) -> usize {
        self.column
    }

    response_accessors!();
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode the response body ({}): {}",
            DisplayStatus(Some(self.status)),
            self.reason
        )?;
        if self.line > 0 {
            write!(f, " at line {} column {}", self.line, self.column)?;
        }
        Ok(())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("DecodeError");
        debug.field("status", &self.status.as_u16());
        request_id::debug_field(&mut debug, &self.headers);
        debug
            .field("reason", &self.reason)
            .field("line", &self.line)
            .field("column", &self.column)
            .field("body", &BodyLength(self.body.len()))
            .finish()
    }
}

impl std::error::Error for DecodeError {}

/// serde's message for `error` with every value taken from the input left
/// out. serde writes `invalid type: string "<value>", expected <type>`,
/// `unknown variant `<value>`, expected ...` and the like; the part after
/// `, expected` describes the Rust type and is kept, the rest is reduced to
/// the kind of value found. Messages of unknown shape are replaced whole.
fn content_free_reason(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    let message = message.strip_suffix(&position).unwrap_or(&message);
    match error.classify() {
        // Syntax and end-of-input messages are fixed texts from serde_json.
        Category::Syntax | Category::Eof => return message.to_owned(),
        Category::Io => return "cannot read the body".to_owned(),
        Category::Data => {}
    }
    // The input comes before `, expected`, so the last occurrence is serde's.
    let (found, expected) = match message.rfind(", expected ") {
        Some(at) => message.split_at(at),
        None => (message, ""),
    };
    let kind_of = |unexpected: &str| {
        // `string "x"`, `integer `5``, `boolean `true``: keep the words before the value.
        let end = unexpected.find(['"', '`', '\'']).unwrap_or(unexpected.len());
        unexpected[..end].trim_end().to_owned()
    };
    let found = if let Some(rest) = found.strip_prefix("invalid type: ") {
        format!("invalid type: {}", kind_of(rest))
    } else if let Some(rest) = found.strip_prefix("invalid value: ") {
        format!("invalid value: {}", kind_of(rest))
    } else if found.starts_with("unknown variant") {
        "unknown variant".to_owned()
    } else if found.starts_with("unknown field") {
        "unknown field".to_owned()
    } else if found.starts_with("missing field ")
        || found.starts_with("duplicate field ")
        || found.starts_with("invalid length ")
    {
        // Field names and lengths come from the Rust type, not the body.
        found.to_owned()
    } else if found == NO_RESULT {
        found.to_owned()
    } else {
        return "the body does not match the expected type".to_owned();
    };
    format!("{found}{expected}")
}

/// The reason given when an envelope has no `result` although one is required.
pub(crate) const NO_RESULT: &str = "the response envelope has no `result` (missing or null)";

/// Shows a body in `Debug` output as its length only.
struct BodyLength(usize);

impl fmt::Debug for BodyLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}

/// A coarse classification of [`ApiError`]s, derived from the HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 400 Bad Request.
    BadRequest,
    /// 401 Unauthorized.
    Unauthorized,
    /// 403 Forbidden.
    Forbidden,
    /// 404 Not Found.
    NotFound,
    /// 409 Conflict.
    Conflict,
    /// 422 Unprocessable Entity.
    UnprocessableEntity,
    /// 429 Too Many Requests.
    RateLimited,
    /// Any 5xx status.
    Server,
    /// Any other status, including a success status with `"success": false`.
    Other,
}

impl ApiErrorKind {
    fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            400 => ApiErrorKind::BadRequest,
            401 => ApiErrorKind::Unauthorized,
            403 => ApiErrorKind::Forbidden,
            404 => ApiErrorKind::NotFound,
            409 => ApiErrorKind::Conflict,
            422 => ApiErrorKind::UnprocessableEntity,
            429 => ApiErrorKind::RateLimited,
            code if code >= 500 => ApiErrorKind::Server,
            _ => ApiErrorKind::Other,
        }
    }
}

/// Formats a status as `HTTP 403 Forbidden` (or `HTTP 599` when the code has
/// no canonical reason).
struct DisplayStatus(Option<StatusCode>);

impl fmt::Display for DisplayStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(status) => match status.canonical_reason() {
                Some(reason) => write!(f, "HTTP {} {reason}", status.as_u16()),
                None => write!(f, "HTTP {}", status.as_u16()),
            },
            None => f.write_str("HTTP status out of range"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(status: u16) -> ApiError {
        ApiError::new(StatusCode::from_u16(status).unwrap(), HeaderMap::new(), Vec::new())
    }

    #[test]
    fn kind_mapping() {
        let table = [
            (400, ApiErrorKind::BadRequest),
            (401, ApiErrorKind::Unauthorized),
            (403, ApiErrorKind::Forbidden),
            (404, ApiErrorKind::NotFound),
            (409, ApiErrorKind::Conflict),
            (422, ApiErrorKind::UnprocessableEntity),
            (429, ApiErrorKind::RateLimited),
            (500, ApiErrorKind::Server),
            (502, ApiErrorKind::Server),
            (599, ApiErrorKind::Server),
            (200, ApiErrorKind::Other),
            (302, ApiErrorKind::Other),
            (405, ApiErrorKind::Other),
            (418, ApiErrorKind::Other),
        ];
        for (status, kind) in table {
            assert_eq!(
                api_error(status).kind(),
                kind,
                "status {status}"
            );
        }
    }

    #[test]
    fn api_error_display() {
        assert_eq!(api_error(404).to_string(), "HTTP 404 Not Found");
        assert_eq!(api_error(599).to_string(), "HTTP 599");
    }

    #[test]
    fn error_helpers() {
        let error = Error::Api(Box::new(api_error(429)));
        assert_eq!(error.status(), Some(429));
        assert_eq!(
            error.api_error().map(ApiError::kind),
            Some(ApiErrorKind::RateLimited)
        );
        assert_eq!(error.to_string(), "HTTP 429 Too Many Requests");

        let error = Error::ResponseTooLarge {
            status: 200,
            limit: 10,
        };
        assert_eq!(error.status(), Some(200));
        assert!(error.api_error().is_none());
        assert_eq!(
            error.to_string(),
            "the response body exceeds the limit of 10 bytes (HTTP 200 OK)"
        );

        let error = Error::InvalidParameter {
            name: "store_id",
            reason: "must not be empty".to_owned(),
        };
        assert_eq!(error.status(), None);
        assert_eq!(
            error.to_string(),
            "invalid parameter `store_id`: must not be empty"
        );
    }

    #[test]
    fn decode_reasons_quote_nothing_from_the_body() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Shape {
            id: u32,
            kind: Kind,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Kind {
            A,
        }
        let cases = [
            (r#"{"id":"SECRET","kind":"a"}"#, "invalid type: string, expected u32"),
            (r#"{"id":1,"kind":"SECRET, expected x"}"#, "unknown variant, expected `a`"),
            (r#"{"id":1}"#, "missing field `kind`"),
            (r#"["SECRET"]"#, "invalid type: string, expected u32"),
            (r#"{"id":1,"kind":"a""#, "EOF while parsing an object"),
            ("SECRET", "expected value"),
        ];
        for (body, reason) in cases {
            let source = serde_json::from_str::<Shape>(body).unwrap_err();
            let error = DecodeError::new(StatusCode::OK, HeaderMap::new(), body.as_bytes().to_vec(), &source);
            assert_eq!(error.reason(), reason, "{body}");
            let printed = format!("{error} {error:?} {error:#?}");
            assert!(!printed.contains("SECRET"), "{printed}");
            assert!(printed.contains(&format!("<{} bytes>", body.len())), "{printed}");
            assert_eq!(error.body(), body.as_bytes());
        }
        let source = serde_json::from_str::<u32>("true").unwrap_err();
        let error = DecodeError::new(StatusCode::CREATED, HeaderMap::new(), b"true".to_vec(), &source);
        assert_eq!(
            error.to_string(),
            "cannot decode the response body (HTTP 201 Created): invalid type: boolean, expected u32 at line 1 column 4"
        );
    }

    #[test]
    fn api_error_debug_shows_the_body_length_only() {
        let mut headers = HeaderMap::new();
        headers.insert("set-cookie", "session=SECRET".parse().unwrap());
        let error = ApiError::new(StatusCode::OK, headers, b"{\"result\":\"SECRET\"}".to_vec());
        assert_eq!(error.header("Set-Cookie"), Some("session=SECRET"));
        let printed = format!("{error} {error:?} {error:#?}");
        assert!(!printed.contains("SECRET"), "{printed}");
        assert!(printed.contains("<19 bytes>"), "{printed}");
        assert_eq!(error.body_text(), "{\"result\":\"SECRET\"}");
    }
}
