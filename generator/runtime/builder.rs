//! What every generated request builder has besides its own inputs, written once here rather
//! than in each of the API's operations: the generic [`RequestBuilder`] over the request it fills
//! in ([`Call`]), with `send`, `.await` (`IntoFuture`), the per-call options, `pages()` and
//! `download()`. An operation's builder is a type alias of it, `RequestBuilder<'a, operation::X>`,
//! whose only code of its own is its setters; the marker `operation::X` says what the call
//! answers ([`Operation`]), how its pages are asked for ([`PagedOperation`]) and whether its body
//! may be streamed ([`BinaryOperation`]). The compiler then checks `send` and its future once,
//! not once per operation.

use std::borrow::Cow;
use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;

use super::client::Client;
use super::download::Download;
use super::error::Error;
use super::multipart::Multipart;
use super::options::{RequestOptions, impl_request_options};
use super::paginate::{Items, PageItems, PageRequest, Pages, pages};
use super::path::{Length, path_param};
use super::request::{Auth, OperationSpec, Read, Request};
use super::response::ApiResponse;
use super::BoxFuture;

/// An operation of the API, as the type parameter of its [`RequestBuilder`]: what its call
/// answers. Every operation module has one such marker per operation, in its `operation` module.
pub trait Operation: 'static {
    /// What `.await` (and [`RequestBuilder::send`]) returns on success.
    type Output: Send + 'static;
    /// How a success response is read into the output.
    #[doc(hidden)]
    const READ: Read<Self::Output>;
}

/// An operation whose result is a list read in pages: its builder has
/// [`pages`](RequestBuilder::pages) and [`items`](RequestBuilder::items).
pub trait PagedOperation: Operation {
    /// One item of the list.
    type Item: Send + 'static;
    /// The query parameter that asks for a page after the first.
    #[doc(hidden)]
    const NEXT: NextPage;
}

/// An operation whose success response is a file: its builder has
/// [`download`](RequestBuilder::download).
pub trait BinaryOperation: Operation {}

/// How a paged list asks for the page after the first: the query parameter that carries a page
/// number or a cursor.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct NextPage {
    param: &'static str,
    cursor: bool,
}

impl NextPage {
    /// Pages numbered from 1 in the query parameter `param`.
    pub(crate) const fn page_number(param: &'static str) -> Self {
        NextPage { param, cursor: false }
    }

    /// Pages after the cursor in the query parameter `param`.
    pub(crate) const fn page_cursor(param: &'static str) -> Self {
        NextPage { param, cursor: true }
    }
}

/// The request builder of the operation `O`. Each operation's builder is an alias of it (such
/// as `pets::List<'a>`) with the operation's optional inputs as setters; everything else
/// is here: per-call options, `.await` (`IntoFuture`), [`send`](Self::send),
/// [`send_with_response`](Self::send_with_response), and for some operations
/// [`pages`](Self::pages), [`items`](Self::items) and [`download`](Self::download).
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct RequestBuilder<'a, O> {
    pub(crate) call: Call<'a>,
    operation: PhantomData<fn() -> O>,
}

impl<'a, O> RequestBuilder<'a, O> {
    /// The builder of `call`.
    pub(crate) fn new(call: Call<'a>) -> Self {
        RequestBuilder { call, operation: PhantomData }
    }

    fn options_mut(&mut self) -> &mut RequestOptions {
        self.call.options_mut()
    }
}

impl<'a, O: Operation> RequestBuilder<'a, O> {
    /// Sends the request and returns its result with the response's status, headers, messages
    /// and raw body.
    ///
    /// # Errors
    ///
    /// [`Error`] when an input breaks the spec's constraints (nothing is sent), on transport
    /// failure, or when the API answers with a failure status or `success: false`.
    pub async fn send_with_response(self) -> Result<ApiResponse<O::Output>, Error> {
        self.call.ready()?.send_read(O::READ).await
    }

    /// Sends the request and returns its result.
    ///
    /// # Errors
    ///
    /// As [`send_with_response`](Self::send_with_response).
    pub async fn send(self) -> Result<O::Output, Error> {
        self.send_with_response().await.map(ApiResponse::into_result)
    }
}

impl<'a, O: Operation> IntoFuture for RequestBuilder<'a, O> {
    type Output = Result<O::Output, Error>;
    type IntoFuture = BoxFuture<'a, Result<O::Output, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl_request_options!(RequestBuilder<'_, O>, O);

impl<'a, O: PagedOperation> RequestBuilder<'a, O>
where
    O::Output: PageItems<O::Item>,
{
    /// The pages of this list, fetched one at a time as the stream is polled, starting with the
    /// page this builder asks for. It stops after the last page without asking for another when
    /// the page information says so, on an empty page, and when the server answers another page than
    /// the one asked for; dropping it stops it.
    pub fn pages(self) -> Pages<'a, O::Item> {
        pages(self, |builder: Self, next| {
            let builder = RequestBuilder::<O>::new(builder.call.next_page(O::NEXT, &next));
            async move { builder.send_with_response().await.map(|page| page.map(PageItems::into_items)) }
        })
    }

    /// The items of this list across its pages (see [`pages`](Self::pages)).
    pub fn items(self) -> Items<'a, O::Item> {
        self.pages().items()
    }
}

impl<O: BinaryOperation> RequestBuilder<'_, O> {
    /// Sends the request and returns the success response's body unread, to pull chunk by chunk
    /// or as a stream ([`Download`]): for large files, which `send` would hold in memory whole.
    /// The response size limit does not apply; the call's timeout bounds the whole download.
    ///
    /// # Errors
    ///
    /// As [`send_with_response`](Self::send_with_response), but the body of a success response
    /// is not read.
    pub async fn download(self) -> Result<ApiResponse<Download>, Error> {
        self.call.ready()?.send_download().await
    }
}

impl<O> Clone for RequestBuilder<'_, O> {
    fn clone(&self) -> Self {
        RequestBuilder { call: self.call.clone(), operation: PhantomData }
    }
}

/// The operation and which inputs are set, never their values (they may be secrets).
impl<O> fmt::Debug for RequestBuilder<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.call.fmt(f)
    }
}

/// The request a generated builder fills in. Inputs are checked and encoded as they are given;
/// a builder method cannot fail, so the first invalid input is kept and fails the call when it is
/// sent, before anything goes out. Setting an input again replaces it.
#[derive(Clone)]
pub(crate) struct Call<'a> {
    /// Visible to the runtime's other modules, which add inputs of their own kinds (`form`).
    pub(super) request: Request<'a>,
    /// The first invalid input: the parameter's name and why it was rejected.
    invalid: Option<(&'static str, String)>,
}

impl Client {
    /// A call of the operation `method path_template`, which accepts any credentials and answers
    /// JSON unless [`Call::auth`] and [`Call::accept`] say otherwise. The template's `{name}`
    /// segments are filled in by [`Call::path`].
    pub(crate) fn call(&self, method: Method, path_template: &'static str) -> Call<'_> {
        let operation = OperationSpec { method, path_template, auth: Auth::Any, accept: "application/json" };
        Call { request: Request::for_operation(self, operation), invalid: None }
    }
}

/// `Client::get(path_template)` and the like: [`Client::call`] with the method in the name, which
/// keeps a generated method's first line short.
macro_rules! call_by_method {
    ($($name:ident = $method:ident),*) => {
        impl Client {
            $(
                #[doc = concat!("[`Client::call`] of a `", stringify!($method), "` operation.")]
                pub(crate) fn $name(&self, path_template: &'static str) -> Call<'_> {
                    self.call(Method::$method, path_template)
                }
            )*
        }
    };
}
call_by_method!(get = GET, post = POST, put = PUT, patch = PATCH, delete = DELETE);

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

    /// Keeps the first invalid input's error for [`Call::ready`].
    pub(super) fn keep(mut self, result: Result<(), Error>) -> Self {
        if let Err(Error::InvalidParameter { name, reason }) = result {
            self.invalid.get_or_insert((name, reason));
        }
        self
    }

    /// Fills in the path segment `{name}` with `value`, percent-encoded as one segment.
    pub(crate) fn path(self, name: &'static str, value: &str) -> Self {
        self.path_checked(name, value, Length::ANY)
    }

    /// [`Call::path`] for a value whose length the spec bounds: `..=32`, `1..`, `3..=63`, or a
    /// [`Length`].
    pub(crate) fn path_checked(mut self, name: &'static str, value: &str, length: impl Into<Length>) -> Self {
        let filled = path_param(name, value, length.into()).map(|segment| self.request.fill_path(name, &segment));
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

    /// Sets an `application/json` body.
    pub(crate) fn json<B: Serialize + ?Sized>(self, body: &B) -> Self {
        self.json_as("application/json", body)
    }

    /// Sets a JSON body of the media type `content_type`.
    pub(crate) fn json_as<B: Serialize + ?Sized>(mut self, content_type: &'static str, body: &B) -> Self {
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

    /// Asks a paged list for the page `next` names (the first page is the call as built).
    pub(crate) fn next_page(self, how: NextPage, next: &PageRequest) -> Self {
        match next {
            PageRequest::Page(page) if !how.cursor => self.query(how.param, page),
            PageRequest::Cursor(cursor) if how.cursor => self.query(how.param, cursor),
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

/// Declares the request builder `$builder<'a>` of the operation `$method` (`"Owner::method"`),
/// whose call answers `$ret`, read by the [`Read`] constructor `$read`: an alias of
/// [`RequestBuilder`] over the marker `operation::$builder` (declared by [`operations!`]).
macro_rules! request_builder {
    ($method:literal, $builder:ident, $ret:ty, $read:ident) => {
        #[doc = concat!(
            "Request builder for [`", $method, "`]: set optional inputs and per-call options, then `.await` it ",
            "(or call [`send`](crate::RequestBuilder::send) or ",
            "[`send_with_response`](crate::RequestBuilder::send_with_response)).",
        )]
        pub type $builder<'a> = crate::RequestBuilder<'a, operation::$builder>;

        impl crate::Operation for operation::$builder {
            type Output = $ret;
            const READ: crate::runtime::Read<$ret> = crate::runtime::Read::$read();
        }
    };
}
pub(crate) use request_builder;

/// The setters of the request builder `$builder`, one per optional input: each entry is the
/// setter's docs, then `name(Type) => step(args)`, where `step` is the [`Call`] method that sets
/// the input and `args` its arguments before the value. A `(&str)` entry's setter takes
/// `impl AsRef<str>`. Steps that are not a plain call with the value last have an arm each:
/// `header` of any other type sends its text, `header_list` a list as comma-separated values
/// (OpenAPI's `simple` style), `query_deep` a `deepObject`, and `form` a form body with its
/// properties' encodings, `(property, FormStyle variant, explode)`.
///
/// ```ignore
/// crate::runtime::setters!(List {
///     /// Which records.
///     name(&str) => query("name"),
///     tag(Vec<String>) => query_each("tag"),
///     body(&crate::types::pets::Pet) => json(),
/// });
/// ```
macro_rules! setters {
    ($builder:ident { $($(#[$doc:meta])* $name:ident $ty:tt => $step:ident $args:tt),* $(,)? }) => {
        impl $builder<'_> {
            $(crate::runtime::setters!(@setter $(#[$doc])* $name $ty $step $args);)*
        }
    };
    (@setter $(#[$doc:meta])* $name:ident (&str) $step:ident($($arg:expr),*)) => {
        $(#[$doc])*
        pub fn $name(self, value: impl AsRef<str>) -> Self {
            Self::new(self.call.$step($($arg,)* value.as_ref()))
        }
    };
    (@setter $(#[$doc:meta])* $name:ident ($ty:ty) header($wire:literal)) => {
        $(#[$doc])*
        pub fn $name(self, value: $ty) -> Self {
            Self::new(self.call.header($wire, &value.to_string()))
        }
    };
    (@setter $(#[$doc:meta])* $name:ident ($ty:ty) header_list($wire:literal)) => {
        $(#[$doc])*
        pub fn $name(self, value: $ty) -> Self {
            Self::new(self.call.header($wire, &value.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")))
        }
    };
    (@setter $(#[$doc:meta])* $name:ident ($ty:ty) query_deep($wire:literal)) => {
        $(#[$doc])*
        pub fn $name(self, value: $ty) -> Self {
            Self::new(self.call.query_deep($wire, &value))
        }
    };
    (@setter $(#[$doc:meta])* $name:ident ($ty:ty) form($media:literal, [$(($property:literal, $style:ident, $explode:literal)),*])) => {
        $(#[$doc])*
        pub fn $name(self, value: $ty) -> Self {
            Self::new(self.call.form($media, value, &[$(($property, crate::runtime::FormStyle::$style, $explode)),*]))
        }
    };
    (@setter $(#[$doc:meta])* $name:ident ($ty:ty) $step:ident($($arg:expr),*)) => {
        $(#[$doc])*
        pub fn $name(self, value: $ty) -> Self {
            Self::new(self.call.$step($($arg,)* value))
        }
    };
}
pub(crate) use setters;

/// Declares a module's operation markers (the `operation` module), one per request builder.
macro_rules! operations {
    ($($builder:ident),* $(,)?) => {
        $(
            #[doc = concat!("The operation of [`", stringify!($builder), "`](super::", stringify!($builder), "), as a type.")]
            #[derive(Debug)]
            pub enum $builder {}
        )*
    };
}
pub(crate) use operations;

/// Makes the operation of the request builder `$builder` a list read in pages of `$item`, whose
/// pages after the first are asked for by the [`NextPage`] constructor `$next` with the query
/// parameter `$param`.
macro_rules! paged_list {
    ($builder:ident, $item:ty, $next:ident, $param:literal) => {
        impl crate::PagedOperation for operation::$builder {
            type Item = $item;
            const NEXT: crate::runtime::NextPage = crate::runtime::NextPage::$next($param);
        }
    };
}
pub(crate) use paged_list;

/// Gives the request builder `$builder` of a binary response `download()`.
macro_rules! download {
    ($builder:ident) => {
        impl crate::BinaryOperation for operation::$builder {}
    };
}
pub(crate) use download;

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "/stores/{store_id}/records/{id}";

    fn client() -> Client {
        Client::builder().base_url("http://127.0.0.1:9").build().expect("client")
    }

    #[test]
    fn path_segments_are_filled_in_encoded() {
        let client = client();
        let call = client.call(Method::GET, TEMPLATE).path("store_id", "a/b").path("id", "{id}");
        let request = call.ready().expect("valid");
        assert_eq!(request.path(), "/stores/a%2Fb/records/%7Bid%7D");
    }

    #[test]
    fn the_first_invalid_input_fails_the_call_and_its_value_stays_out_of_debug() {
        let client = client();
        assert!(client.get(TEMPLATE).path_checked("store_id", "short", ..=5).path("id", "x").ready().is_ok());
        let call = client.get(TEMPLATE)
            .path_checked("store_id", "short", 32..=32)
            .path("id", "")
            .header("x-secret", "hunter2\r\nInjected: 1");
        let debug = format!("{call:?}");
        assert!(!debug.contains("hunter2") && !debug.contains("short"), "{debug}");
        match call.ready() {
            Err(Error::InvalidParameter { name: "store_id", reason }) => assert!(reason.contains("32"), "{reason}"),
            Err(other) => panic!("expected store_id to be rejected, got {other:?}"),
            Ok(_) => panic!("expected store_id to be rejected, the call is ready"),
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
            .next_page(NextPage::page_number("page"), &PageRequest::Page(3))
            .next_page(NextPage::page_cursor("cursor"), &PageRequest::Page(4));
        let request = call.ready().expect("valid");
        assert_eq!(request.query_pairs(), [("tag", "c"), ("page", "3")].map(|(n, v)| (n.to_owned(), v.to_owned())));
    }

    mod operation {
        #[derive(Debug)]
        pub enum Probe {}
    }

    type Probe<'a> = RequestBuilder<'a, operation::Probe>;

    crate::runtime::setters!(Probe {
        /// Text in the query.
        name(&str) => query("name"),
        r#type(u32) => query("type"),
        tag(Vec<String>) => query_each("tag"),
        trace(&str) => header("x-trace"),
        limit(u16) => header("x-limit"),
        ids(Vec<u32>) => header_list("x-ids"),
        body(&serde_json::Value) => json(),
        bytes(Vec<u8>) => raw_body("application/octet-stream"),
    });

    #[test]
    fn setters_send_each_input_as_its_entry_says() {
        let client = client();
        let probe = Probe::new(client.get("/probe"))
            .name(String::from("a b"))
            .r#type(7)
            .tag(vec!["x".into(), "y".into()])
            .name("c")
            .trace("t-1")
            .limit(5)
            .ids(vec![1, 2, 3])
            .body(&serde_json::json!({"n": 1}));
        let request = probe.call.ready().expect("valid");
        let pairs = [("type", "7"), ("tag", "x"), ("tag", "y"), ("name", "c")].map(|(n, v)| (n.to_owned(), v.to_owned()));
        assert_eq!(request.query_pairs(), pairs);
        assert_eq!(["x-trace", "x-limit", "x-ids"].map(|h| request.header_text(h)), [Some("t-1"), Some("5"), Some("1,2,3")]);
        assert_eq!(request.body_parts(), Some(("application/json", &br#"{"n":1}"#[..])));

        let request = Probe::new(client.get("/probe")).bytes(vec![1, 2]).call.ready().expect("valid");
        assert_eq!(request.body_parts(), Some(("application/octet-stream", &[1, 2][..])));
        // A setter cannot fail: a value that cannot be sent fails the call.
        match Probe::new(client.get("/probe")).trace("a\nb").call.ready() {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "x-trace"),
            other => panic!("expected x-trace to be rejected, got {:?}", other.map(|_| ())),
        }
    }
}
