//! The `cf-ray` response header, which names a request to the API's support: an accessor on
//! every error and response that came from one, and a field of the `response` trace events.
//!
//! Copied only into crates whose profile names a request-id header (`cf-ray`); a crate whose
//! profile has none gets `no_request_id.rs` in its place, with the same crate-private items.

use std::fmt;

use reqwest::header::HeaderMap;

use super::error::{ApiError, DecodeError, Error};
use super::response::ApiResponse;

/// The header, as the profile names it.
const HEADER: &str = "cf-ray";

/// The request id among `headers`, if it is there and visible ASCII.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get(HEADER).and_then(|value| value.to_str().ok())
}

/// Adds the request id to a `Debug` of something that came from a response.
pub(crate) fn debug_field(debug: &mut fmt::DebugStruct<'_, '_>, headers: &HeaderMap) {
    debug.field("cf_ray", &request_id(headers));
}

/// A `debug` trace event for a response with `attempt`, `status` and `elapsed_ms`, and the
/// request id as `cf_ray` (computed only when the event is enabled).
macro_rules! response_event {
    ($attempt:ident, $status:ident, $elapsed_ms:ident, $headers:expr, $message:literal) => {
        tracing::debug!($attempt, $status, $elapsed_ms, cf_ray = super::request_id::request_id($headers), $message)
    };
}
pub(crate) use response_event;

impl Error {
    /// The `cf-ray` header of the response this error came from, if any: the
    /// identifier Cloudflare support asks for.
    #[must_use]
    pub fn cf_ray(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.cf_ray(),
            Error::Decode(decode) => decode.cf_ray(),
            _ => None,
        }
    }
}

/// `cf_ray()`, in the `impl` of a type with a `headers: HeaderMap` field.
macro_rules! cf_ray_accessor {
    () => {
        /// The `cf-ray` response header: the identifier of this request at
        /// Cloudflare, which support asks for.
        #[must_use]
        pub fn cf_ray(&self) -> Option<&str> {
            request_id(self.headers())
        }
    };
}

impl ApiError {
    cf_ray_accessor!();
}

impl DecodeError {
    cf_ray_accessor!();
}

impl<T> ApiResponse<T> {
    cf_ray_accessor!();
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    #[test]
    fn errors_and_responses_name_their_request() {
        let mut headers = HeaderMap::new();
        headers.insert("cf-ray", "8f1e2d3c4b5a6978-LHR".parse().unwrap());
        let api = ApiError::new(StatusCode::OK, headers.clone(), Vec::new());
        assert_eq!(api.cf_ray(), Some("8f1e2d3c4b5a6978-LHR"));
        assert!(format!("{api:?}").contains("cf_ray: Some(\"8f1e2d3c4b5a6978-LHR\")"));
        let source = serde_json::from_str::<u32>("true").unwrap_err();
        let decode = DecodeError::new(StatusCode::OK, headers.clone(), Vec::new(), &source);
        assert_eq!(Error::Decode(Box::new(decode)).cf_ray(), Some("8f1e2d3c4b5a6978-LHR"));
        assert_eq!(Error::Api(Box::new(api)).cf_ray(), Some("8f1e2d3c4b5a6978-LHR"));
        assert_eq!(Error::Config(String::new()).cf_ray(), None);
        assert_eq!(request_id(&HeaderMap::new()), None);
    }
}
