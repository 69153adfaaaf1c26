//! A decoded result together with the response it came from.

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::envelope::EnvelopeParts;
use super::error::response_accessors;
use super::request_id;

/// The result of a call with everything else the response carried: the
/// status, the headers, what the API's envelope carried besides the result
/// (when its answers have one), and the raw body.
///
/// `Debug` shows the status, the request id and the envelope's parts (when
/// the API has them) and the result (whose sensitive fields are redacted),
/// never the raw body or other headers.
pub struct ApiResponse<T> {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// What the envelope carried besides the result.
    pub(crate) envelope: EnvelopeParts,
    /// Empty when the result is the body itself (bytes) or is streamed.
    pub(crate) body: Vec<u8>,
    pub(crate) result: T,
}

impl<T> ApiResponse<T> {
    response_accessors!();

    /// The decoded result.
    #[must_use]
    pub fn result(&self) -> &T {
        &self.result
    }

    /// The decoded result, dropping the rest of the response.
    #[must_use]
    pub fn into_result(self) -> T {
        self.result
    }

    /// The same response with its result transformed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            envelope: self.envelope,
            body: self.body,
            result: f(self.result),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for ApiResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("ApiResponse");
        debug.field("status", &self.status.as_u16());
        request_id::debug_field(&mut debug, &self.headers);
        self.envelope.debug_fields(&mut debug);
        debug
            .field("result", &self.result)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn debug_shows_no_body_and_no_other_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("set-cookie", "s=SECRET".parse().unwrap());
        let response = ApiResponse {
            status: StatusCode::OK,
            headers,
            envelope: EnvelopeParts::default(),
            body: b"{\"result\":\"SECRET\"}".to_vec(),
            result: 7,
        };
        let printed = format!("{response:?} {response:#?}");
        assert!(!printed.contains("SECRET"), "{printed}");
        assert!(printed.contains("<19 bytes>"), "{printed}");
        assert_eq!(response.status(), 200);
        assert_eq!(response.header("Set-Cookie"), Some("s=SECRET"));
        assert_eq!(response.body_text(), "{\"result\":\"SECRET\"}");
        let mapped = response.map(|n| n * 2);
        assert_eq!(*mapped.result(), 14);
        assert_eq!(mapped.into_result(), 14);
    }
}
