//! The error type returned by every operation, and the details of API errors.

use std::fmt;

use reqwest::StatusCode;

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
    /// The API answered with an error status, or with `"success": false`.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The API answered with a success status but the body could not be
    /// decoded into the expected type.
    #[error("cannot decode the response body ({})", DisplayStatus(*.status))]
    Decode {
        /// The HTTP status of the response.
        status: StatusCode,
        /// The response body (lossily converted to UTF-8).
        body: String,
        /// The underlying JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// The response body was larger than the client's configured limit.
    #[error("the response body exceeds the limit of {limit} bytes ({})", DisplayStatus(*.status))]
    ResponseTooLarge {
        /// The HTTP status of the response.
        status: StatusCode,
        /// The configured limit, in bytes.
        limit: usize,
    },
    /// The request (or reading its response) timed out.
    #[error("the request timed out")]
    Timeout(#[source] reqwest::Error),
    /// The request could not be sent or its response could not be read.
    #[error("HTTP transport error")]
    Transport(#[source] reqwest::Error),
}

impl Error {
    /// The HTTP status of the response this error came from, if any.
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Timeout(source) | Error::Transport(source) => source.status(),
            Error::InvalidParameter { .. } | Error::Credentials(_) | Error::Config(_) => None,
        }
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

/// An error reported by the API: an error status, or a success status with
/// `"success": false` in the response envelope.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// The `errors` of the response envelope (empty if the body had none).
    pub errors: Vec<ResponseInfo>,
    /// The `messages` of the response envelope (empty if the body had none).
    pub messages: Vec<ResponseInfo>,
    /// The raw response body (lossily converted to UTF-8).
    pub body: String,
}

impl ApiError {
    /// A coarse classification of this error, derived from the HTTP status.
    ///
    /// A success status with `"success": false` is [`ApiErrorKind::Other`].
    #[must_use]
    pub fn kind(&self) -> ApiErrorKind {
        ApiErrorKind::from_status(self.status)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", DisplayStatus(self.status))?;
        let mut separator = ": ";
        for error in &self.errors {
            f.write_str(separator)?;
            separator = "; ";
            match (error.code, error.message.is_empty()) {
                (0, true) => f.write_str("(no message)")?,
                (0, false) => f.write_str(&error.message)?,
                (code, true) => write!(f, "{code}")?,
                (code, false) => write!(f, "{code}: {}", error.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

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

/// One entry of the `errors` or `messages` list of a response envelope.
///
/// Decoding is lenient: unknown fields are ignored and missing ones default.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ResponseInfo {
    /// The Cloudflare error or message code (0 when absent).
    #[serde(default)]
    pub code: i64,
    /// The human-readable message (empty when absent).
    #[serde(default)]
    pub message: String,
    /// A link to documentation about this error, if any.
    #[serde(default)]
    pub documentation_url: Option<String>,
    /// Which part of the request this entry refers to, if known.
    #[serde(default)]
    pub source: Option<ResponseInfoSource>,
}

/// The part of the request a [`ResponseInfo`] refers to.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ResponseInfoSource {
    /// A JSON pointer into the request body, if any.
    #[serde(default)]
    pub pointer: Option<String>,
}

/// Formats a status as `HTTP 403 Forbidden` (or `HTTP 599` when the code has
/// no canonical reason).
struct DisplayStatus(StatusCode);

impl fmt::Display for DisplayStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.canonical_reason() {
            Some(reason) => write!(f, "HTTP {} {reason}", self.0.as_u16()),
            None => write!(f, "HTTP {}", self.0.as_u16()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(status: u16, errors: Vec<ResponseInfo>) -> ApiError {
        ApiError {
            status: StatusCode::from_u16(status).unwrap(),
            errors,
            messages: Vec::new(),
            body: String::new(),
        }
    }

    fn info(code: i64, message: &str) -> ResponseInfo {
        ResponseInfo {
            code,
            message: message.to_owned(),
            ..ResponseInfo::default()
        }
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
                api_error(status, Vec::new()).kind(),
                kind,
                "status {status}"
            );
        }
    }

    #[test]
    fn api_error_display() {
        assert_eq!(
            api_error(403, vec![info(10000, "Authentication error")]).to_string(),
            "HTTP 403 Forbidden: 10000: Authentication error"
        );
        assert_eq!(
            api_error(400, vec![info(1, "a"), info(2, "b"), info(0, "c")]).to_string(),
            "HTTP 400 Bad Request: 1: a; 2: b; c"
        );
        assert_eq!(api_error(404, Vec::new()).to_string(), "HTTP 404 Not Found");
        assert_eq!(api_error(599, Vec::new()).to_string(), "HTTP 599");
    }

    #[test]
    fn error_helpers() {
        let error = Error::Api(Box::new(api_error(429, Vec::new())));
        assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(
            error.api_error().map(ApiError::kind),
            Some(ApiErrorKind::RateLimited)
        );
        assert_eq!(error.to_string(), "HTTP 429 Too Many Requests");

        let error = Error::ResponseTooLarge {
            status: StatusCode::OK,
            limit: 10,
        };
        assert_eq!(error.status(), Some(StatusCode::OK));
        assert!(error.api_error().is_none());
        assert_eq!(
            error.to_string(),
            "the response body exceeds the limit of 10 bytes (HTTP 200 OK)"
        );

        let error = Error::InvalidParameter {
            name: "zone_id",
            reason: "must not be empty".to_owned(),
        };
        assert_eq!(error.status(), None);
        assert_eq!(
            error.to_string(),
            "invalid parameter `zone_id`: must not be empty"
        );
    }

    #[test]
    fn response_info_is_lenient() {
        let parsed: ResponseInfo =
            serde_json::from_str(r#"{"message":"m","extra":1,"source":{"pointer":"/a","x":2}}"#)
                .unwrap();
        assert_eq!(parsed.code, 0);
        assert_eq!(parsed.message, "m");
        assert_eq!(parsed.source.and_then(|s| s.pointer).as_deref(), Some("/a"));
        let empty: ResponseInfo = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, ResponseInfo::default());
    }
}
