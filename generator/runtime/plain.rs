//! No envelope: the crate's profile says the API's answers are the bodies themselves. The same
//! crate-private items as `envelope.rs`, which crates whose profile has an envelope get instead:
//! a result is the whole body, no success body is a failure, an error's body is kept whole
//! (no lists are read out of it), and a list is one page (nothing in a body says where its
//! pages end).

use std::fmt;

use serde::de::DeserializeOwned;

use super::paginate::PageRequest;
use super::request::{Read, decode_json};
use super::response::ApiResponse;

/// Nothing besides the result.
#[derive(Default)]
pub(crate) struct EnvelopeParts {}

/// An error's body has no lists of this API's making: it stays in the error's
/// `body` for the caller to read.
#[derive(Clone, Default)]
pub(crate) struct ErrorLists;

impl ErrorLists {
    pub(crate) fn read(_body: &[u8]) -> Self {
        ErrorLists
    }

    /// Nothing to add to an `ApiError`'s `Debug`.
    pub(crate) fn debug_fields(&self, _debug: &mut fmt::DebugStruct<'_, '_>) {}

    /// Nothing after the status in an `ApiError`'s `Display`.
    pub(crate) fn summarize(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl EnvelopeParts {
    /// Nothing to add to an [`ApiResponse`]'s `Debug`.
    pub(crate) fn debug_fields(&self, _debug: &mut fmt::DebugStruct<'_, '_>) {}
}

impl<T: DeserializeOwned> Read<T> {
    /// The result: the whole body, as JSON.
    pub(crate) const fn result() -> Self {
        Read(decode_json::<T>)
    }
}

/// A success body never says the call failed.
pub(crate) fn says_failure(_body: &[u8]) -> bool {
    false
}

/// The paging stop rule: without page information, a list is one page.
pub(crate) fn next_page<T>(_page: &ApiResponse<T>, _request: &PageRequest, _count: u64, _seen: u64) -> Option<PageRequest> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_success_is_the_body_and_a_list_is_one_page() {
        assert!(!says_failure(br#"{"success":false}"#));
        let received = crate::runtime::request::Received {
            status: reqwest::StatusCode::OK,
            headers: reqwest::header::HeaderMap::new(),
            body: br#"{"success":false,"n":[1]}"#.to_vec(),
        };
        let page = (Read::<serde_json::Value>::result().0)(received).expect("a plain body");
        assert_eq!(page.result()["n"], serde_json::json!([1]));
        assert_eq!(next_page(&page, &PageRequest::First, 1, 1), None);
    }
}
