//! No request-id header: the crate's profile names none, so errors and responses have no
//! accessor for one and traces show none. The same crate-private items as `request_id.rs`,
//! which crates whose profile names a header get instead.

use std::fmt;

use reqwest::header::HeaderMap;

/// Nothing to add to a `Debug`.
pub(crate) fn debug_field(_debug: &mut fmt::DebugStruct<'_, '_>, _headers: &HeaderMap) {}

/// A `debug` trace event for a response with `attempt`, `status` and `elapsed_ms`.
macro_rules! response_event {
    ($attempt:ident, $status:ident, $elapsed_ms:ident, $headers:expr, $message:literal) => {{
        let _ = $headers;
        tracing::debug!($attempt, $status, $elapsed_ms, $message)
    }};
}
pub(crate) use response_event;
