//! The escape hatch: a call by method and path, for endpoints the spec lacks
//! or misdescribes.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::HeaderValue;
use serde::de::DeserializeOwned;

use super::client::Client;
use super::download::Download;
use super::error::Error;
use super::multipart::Multipart;
use super::options::{RequestOptions, impl_request_options};
use super::paginate::{PageRequest, Pages, pages};
use super::request::{Auth, Read, Request};
use super::response::ApiResponse;

/// A request to any path of the API, built by [`Client::raw_request`].
///
/// It goes through the same machinery as the generated operations: the
/// client's credentials (whatever their kind), base URL, retries (with the
/// same idempotency rule), timeouts, envelope handling and errors. Decode the
/// answer into your own type.
///
/// ```ignore
/// // `Method` is re-exported at the crate root: no dependency on reqwest is needed.
/// let stores: Vec<serde_json::Value> = client
///     .raw_request(Method::GET, "/stores")
///     .query("per_page", "5")
///     .send()
///     .await?;
/// ```
#[must_use = "a request does nothing until it is sent"]
pub struct RawRequest<'a> {
    request: Request<'a>,
    /// The first invalid input, reported when the request is sent.
    invalid: Option<Error>,
    options: RequestOptions,
}

impl<'a> RawRequest<'a> {
    pub(super) fn new(client: &'a Client, method: Method, path: String) -> Self {
        let invalid = check_path(&path).err();
        let template = Cow::Owned(path.clone());
        let request = Request::new(client, method, template, Auth::Any, Cow::Borrowed("application/json"), path);
        RawRequest { request, invalid, options: RequestOptions::default() }
    }

    /// Adds a query parameter (repeat the name for an array).
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.request.query_owned(name.into(), value.to_string());
        self
    }

    /// Adds a header. An invalid name or value fails the call when it is
    /// sent, before anything goes out.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Err(error) = self.request.header_owned("header", name, value) {
            self.invalid.get_or_insert(error);
        }
        self
    }

    /// Sets a JSON body (`Content-Type: application/json`).
    pub fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        if let Err(error) = self.request.json("application/json", body) {
            self.invalid.get_or_insert(error);
        }
        self
    }

    /// Sets a body sent as given, with its media type.
    pub fn body(mut self, content_type: &str, body: impl Into<Bytes>) -> Self {
        match HeaderValue::from_str(content_type) {
            Ok(content_type) => self.request.body_with_type(content_type, body.into()),
            Err(_) => {
                self.invalid.get_or_insert(Error::InvalidParameter {
                    name: "content_type",
                    reason: "is not a valid header value".to_owned(),
                });
            }
        }
        self
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        self.request.multipart(form);
        self
    }

    /// Sets a `multipart/form-data` body built by `build` from an empty form:
    /// `.multipart_with(|form| form.text("a", "1").file("f", "f.js", "application/javascript", bytes))`.
    pub fn multipart_with(self, build: impl FnOnce(Multipart) -> Multipart) -> Self {
        self.multipart(build(Multipart::new()))
    }

    /// The media type asked for with `Accept` (default `application/json`).
    pub fn accept(mut self, media_type: impl Into<String>) -> Self {
        self.request.accept(Cow::Owned(media_type.into()));
        self
    }

    /// Sends no credentials with this call.
    pub fn without_credentials(mut self) -> Self {
        self.request.set_auth(Auth::None);
        self
    }

    fn options_mut(&mut self) -> &mut RequestOptions {
        &mut self.options
    }

    fn ready(mut self) -> Result<Request<'a>, Error> {
        if let Some(error) = self.invalid {
            return Err(error);
        }
        self.request.options(self.options);
        Ok(self.request)
    }

    /// Sends the call and returns its result, decoded as `T`: the envelope's
    /// `result` when the API wraps its answers in one, else the whole body.
    ///
    /// # Errors
    ///
    /// As for any operation: invalid input, credentials, transport, an API
    /// error (including `success: false`), or a body that does not decode.
    pub async fn send<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.send_with_response().await.map(ApiResponse::into_result)
    }

    /// Sends the call and returns its result (as [`send`](Self::send)) with the rest of
    /// the response (status, headers, the envelope's other parts, raw body).
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub async fn send_with_response<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        self.ready()?.send_read(Read::result()).await
    }

    /// Sends the call and decodes the whole body as `T` (for endpoints that
    /// answer without the envelope).
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub async fn send_json<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        self.ready()?.send_read(Read::json()).await
    }

    /// The pages of a list, fetched lazily: the result (as [`send`](Self::send)) of each
    /// page decoded as `Vec<T>`. Later pages are asked for with the `page`
    /// query parameter (page/per_page lists) or `cursor` (cursor lists); see
    /// [`Pages`] for when it stops. [`Pages::items`] gives the items.
    pub fn pages<T: DeserializeOwned + Send + 'a>(self) -> Pages<'a, T> {
        let request = match self.ready() {
            Ok(request) => request,
            Err(error) => return Pages::failed(error),
        };
        pages(request, |mut request, next| async move {
            match next {
                PageRequest::First => {}
                PageRequest::Page(number) => request.set_query("page", number),
                PageRequest::Cursor(cursor) => request.set_query("cursor", cursor),
            }
            request.send_read(Read::<Vec<T>>::result()).await
        })
    }

    /// Sends the call and returns the success body as bytes.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub async fn send_bytes(self) -> Result<ApiResponse<Vec<u8>>, Error> {
        self.ready()?.send_read(Read::bytes()).await
    }

    /// Sends the call and returns the success body as a stream.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub async fn send_download(self) -> Result<ApiResponse<Download>, Error> {
        self.ready()?.send_download().await
    }
}

impl_request_options!(RawRequest<'_>);

impl fmt::Debug for RawRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawRequest")
            .field("method", self.request.method())
            .field("path", &self.request.path_template())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// A raw path must be a path: it starts with `/`, and has no query, fragment,
/// whitespace or control characters, and no `.`/`..` segment. Its segments
/// are sent as written, so percent-encode ids yourself.
fn check_path(path: &str) -> Result<(), Error> {
    let invalid = |reason: &str| Err(Error::InvalidParameter { name: "path", reason: reason.to_owned() });
    if !path.starts_with('/') {
        return invalid("must start with `/`");
    }
    if path.contains(['?', '#']) {
        return invalid("must not contain `?` or `#` (use .query(..) for parameters)");
    }
    if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return invalid("must not contain whitespace or control characters");
    }
    if path.split('/').any(|segment| segment == "." || segment == "..") {
        return invalid("must not contain `.` or `..` segments");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_checked() {
        for good in ["/stores", "/stores/abc/items", "/a%2Fb", "/x/..y/"] {
            assert!(check_path(good).is_ok(), "{good}");
        }
        for bad in ["stores", "", "/stores?a=1", "/z#f", "/a b", "/a\r\nX: 1", "/a/../b", "/.", "/a/./b"] {
            assert!(matches!(check_path(bad), Err(Error::InvalidParameter { name: "path", .. })), "{bad:?}");
        }
    }
}
