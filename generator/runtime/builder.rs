//! What every generated request builder has besides its own inputs, written once here rather
//! than in each of the API's operations: the request it fills in ([`Call`]), `send`, `.await`
//! (`IntoFuture`) and the per-call options.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;

use super::client::Client;
use super::error::Error;
use super::multipart::Multipart;
use super::options::RequestOptions;
use super::paginate::PageRequest;
use super::path::{Length, path_param};
use super::request::{Auth, Operation, Request};

/// The request a generated builder fills in. Inputs are checked and encoded as they are given;
/// a builder method cannot fail, so the first invalid input is kept and fails the call when it is
/// sent, before anything goes out. Setting an input again replaces it.
#[derive(Clone)]
pub(crate) struct Call<'a> {
    request: Request<'a>,
    /// The first invalid input: the parameter's name and why it was rejected.
    invalid: Option<(&'static str, String)>,
}

impl Client {
    /// A call of the operation `method path_template`, which accepts any credentials and answers
    /// JSON unless [`Call::auth`] and [`Call::accept`] say otherwise. The template's `{name}`
    /// segments are filled in by [`Call::path`].
    pub(crate) fn call(&self, method: Method, path_template: &'static str) -> Call<'_> {
        let operation = Operation { method, path_template, auth: Auth::Any, accept: "application/json" };
        Call { request: Request::for_operation(self, operation), invalid: None }
    }
}

impl<'a> Call<'a> {
    /// Which credentials the operation accepts.
    pub(crate) fn auth(mut self, auth: Auth) -> Self {
        self.request.set_auth(auth);
        self
    }

    /// The media type of the operation's success response, asked for with `Accept`.
    pub(crate) fn accept(mut self, media_type: &'static str) -> Self {
        self.request.accept(Cow::Borrowed(media_type));
        self
    }

    fn keep(mut self, result: Result<(), Error>) -> Self {
        if let Err(Error::InvalidParameter { name, reason }) = result {
            self.invalid.get_or_insert((name, reason));
        }
        self
    }

    /// Fills in the path segment `{name}` with `value`, percent-encoded as one segment.
    pub(crate) fn path(self, name: &'static str, value: &str) -> Self {
        self.path_checked(name, value, Length::ANY)
    }

    /// [`Call::path`] for a value whose length the spec bounds.
    pub(crate) fn path_checked(mut self, name: &'static str, value: &str, length: Length) -> Self {
        let filled = path_param(name, value, length).map(|segment| self.request.fill_path(name, &segment));
        self.keep(filled)
    }

    /// Sets the query parameter `name`.
    pub(crate) fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.request.set_query(name, value);
        self
    }

    /// Sets the array query parameter `name`, sent as one pair per value.
    pub(crate) fn query_each<T: ToString>(mut self, name: &'static str, values: impl IntoIterator<Item = T>) -> Self {
        self.request.remove_query(name);
        for value in values {
            self.request.query(name, value);
        }
        self
    }

    /// Sets the header parameter `name`. A value that cannot be sent as a header fails the call.
    pub(crate) fn header(mut self, name: &'static str, value: &str) -> Self {
        let result = self.request.set_header(name, value);
        self.keep(result)
    }

    /// Sets a JSON body of the media type `content_type`.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, content_type: &'static str, body: &B) -> Self {
        let result = self.request.json(content_type, body);
        self.keep(result)
    }

    /// Sets a body sent as given.
    pub(crate) fn raw_body(mut self, content_type: &'static str, body: impl Into<Bytes>) -> Self {
        self.request.raw_body(content_type, body);
        self
    }

    /// Sets a `multipart/form-data` body.
    pub(crate) fn multipart(mut self, form: Multipart) -> Self {
        self.request.multipart(form);
        self
    }

    /// Asks a page-numbered list for the page `next` names (the first page is the call as built).
    pub(crate) fn page_number(self, name: &'static str, next: &PageRequest) -> Self {
        match next {
            PageRequest::Page(page) => self.query(name, page),
            _ => self,
        }
    }

    /// Asks a cursor list for the page after the cursor `next` holds.
    pub(crate) fn page_cursor(self, name: &'static str, next: &PageRequest) -> Self {
        match next {
            PageRequest::Cursor(cursor) => self.query(name, cursor),
            _ => self,
        }
    }

    /// This call's per-call options.
    pub(crate) fn options_mut(&mut self) -> &mut RequestOptions {
        self.request.options_mut()
    }

    /// The request to send, or the first invalid input.
    pub(crate) fn ready(self) -> Result<Request<'a>, Error> {
        match self.invalid {
            Some((name, reason)) => Err(Error::InvalidParameter { name, reason }),
            None => Ok(self.request),
        }
    }
}

/// The operation and which inputs are set, never their values (they may be secrets).
impl fmt::Debug for Call<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("method", self.request.method())
            .field("path", &self.request.path_template())
            .field("query", &self.request.query_names().collect::<Vec<_>>())
            .field("invalid", &self.invalid.as_ref().map(|(name, _)| name))
            .finish_non_exhaustive()
    }
}

/// Completes a generated request builder `$builder<'a>(Call<'a>)` whose call answers `$ret`,
/// decoded by the [`Request`] method `$send`.
macro_rules! request_builder {
    ($builder:ident, $ret:ty, $send:ident) => {
        impl<'a> $builder<'a> {
            /// Sends the request and returns its result with the response's status, headers,
            /// messages and raw body.
            ///
            /// # Errors
            ///
            /// [`crate::Error`] when an input breaks the spec's constraints (nothing is sent),
            /// on transport failure, or when the API answers with a failure status or
            /// `success: false`.
            pub async fn send_with_response(self) -> std::result::Result<crate::ApiResponse<$ret>, crate::Error> {
                self.0.ready()?.$send().await
            }

            /// Sends the request and returns its result.
            ///
            /// # Errors
            ///
            /// As [`send_with_response`](Self::send_with_response).
            pub async fn send(self) -> std::result::Result<$ret, crate::Error> {
                self.send_with_response().await.map(crate::ApiResponse::into_result)
            }

            fn options_mut(&mut self) -> &mut crate::RequestOptions {
                self.0.options_mut()
            }
        }

        impl<'a> std::future::IntoFuture for $builder<'a> {
            type Output = std::result::Result<$ret, crate::Error>;
            type IntoFuture = crate::runtime::BoxFuture<'a, std::result::Result<$ret, crate::Error>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }

        crate::runtime::impl_request_options!($builder);
    };
}
pub(crate) use request_builder;

/// `pages()` and `items()` on the request builder `$builder` of a list read in pages, whose
/// items are `$item`: `$next` (`page_number` or `page_cursor`) sets the query parameter `$param`
/// for each page after the first. `nullable`: a `null` list is an empty page.
macro_rules! paged_list {
    ($builder:ident, $item:ty, $next:ident, $param:literal) => {
        crate::runtime::paged_list!(@methods $builder, $item, |builder, next| {
            $builder(builder.0.$next($param, &next)).send_with_response()
        });
    };
    ($builder:ident, $item:ty, $next:ident, $param:literal, nullable) => {
        crate::runtime::paged_list!(@methods $builder, $item, |builder, next| async move {
            let page = $builder(builder.0.$next($param, &next)).send_with_response().await;
            page.map(|page| page.map(Option::unwrap_or_default))
        });
    };
    (@methods $builder:ident, $item:ty, $fetch:expr) => {
        impl<'a> $builder<'a> {
            /// The pages of this list, fetched one at a time as the stream is polled, starting
            /// with the page this builder asks for. It stops after the last page without asking
            /// for another when `result_info` says so, on an empty page, and when the server
            /// answers another page than the one asked for; dropping it stops it.
            pub fn pages(self) -> crate::Pages<'a, $item> {
                crate::runtime::pages(self, $fetch)
            }

            /// The items of this list across its pages (see [`pages`](Self::pages)).
            pub fn items(self) -> crate::Items<'a, $item> {
                self.pages().items()
            }
        }
    };
}
pub(crate) use paged_list;

/// `download()` on the request builder `$builder` of a binary response: its body unread.
macro_rules! download {
    ($builder:ident) => {
        impl<'a> $builder<'a> {
            /// Sends the request and returns the success response's body unread, to pull
            /// chunk by chunk or as a stream ([`Download`](crate::Download)): for large files,
            /// which `send` would hold in memory whole. The response size limit does not
            /// apply; the call's timeout bounds the whole download.
            ///
            /// # Errors
            ///
            /// As [`send_with_response`](Self::send_with_response), but the body of a success
            /// response is not read.
            pub async fn download(self) -> std::result::Result<crate::ApiResponse<crate::Download>, crate::Error> {
                self.0.ready()?.send_download().await
            }
        }
    };
}
pub(crate) use download;

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "/zones/{zone_id}/records/{id}";

    fn client() -> Client {
        Client::builder().base_url("http://127.0.0.1:9").build().expect("client")
    }

    #[test]
    fn path_segments_are_filled_in_encoded() {
        let client = client();
        let call = client.call(Method::GET, TEMPLATE).path("zone_id", "a/b").path("id", "{id}");
        let request = call.ready().expect("valid");
        assert_eq!(request.path(), "/zones/a%2Fb/records/%7Bid%7D");
    }

    #[test]
    fn the_first_invalid_input_fails_the_call_and_its_value_stays_out_of_debug() {
        let client = client();
        let call = client.call(Method::GET, TEMPLATE)
            .path_checked("zone_id", "short", Length::exactly(32))
            .path("id", "")
            .header("x-secret", "hunter2\r\nInjected: 1");
        let debug = format!("{call:?}");
        assert!(!debug.contains("hunter2") && !debug.contains("short"), "{debug}");
        match call.ready() {
            Err(Error::InvalidParameter { name: "zone_id", reason }) => assert!(reason.contains("32"), "{reason}"),
            Err(other) => panic!("expected zone_id to be rejected, got {other:?}"),
            Ok(_) => panic!("expected zone_id to be rejected, the call is ready"),
        }
    }

    #[test]
    fn setting_an_input_again_replaces_it() {
        let client = client();
        let call = client.call(Method::GET, TEMPLATE)
            .query("page", 1)
            .query("page", 2)
            .query_each("tag", ["a", "b"])
            .query_each("tag", ["c"])
            .page_number("page", &PageRequest::Page(3))
            .page_cursor("cursor", &PageRequest::Page(4));
        let request = call.ready().expect("valid");
        assert_eq!(request.query_pairs(), [("tag", "c"), ("page", "3")].map(|(n, v)| (n.to_owned(), v.to_owned())));
    }
}
