//! The API's response envelope, `{success, errors, messages, result, result_info}`: reading a
//! result out of it, telling a failure from a success, and where `result_info` says a list's
//! pages end. The field names are those of the generator's profile (`Profile::envelope`).
//!
//! Copied only into crates whose profile has this envelope; a crate whose answers are the
//! bodies themselves gets `plain.rs` in its place, with the same crate-private items.
//!
//! The rule applied here: an operation whose schema is an envelope (the generator unwraps it:
//! `success` beside `result` or `errors`, `Envelope::frames`) returns its `result`; and any
//! body that is a JSON object with `"success": false` is an error, whatever the status and
//! whatever the operation's schema said, since the API answers failures that way.

use std::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{ApiError, DecodeError, Error, NO_RESULT};
use super::paginate::PageRequest;
use super::request::{Read, Received, api_error, decode_error};
use super::response::ApiResponse;

/// What an envelope carries besides `result`, kept on every [`ApiResponse`].
#[derive(Default)]
pub(crate) struct EnvelopeParts {
    messages: Vec<ResponseInfo>,
    result_info: Option<ResultInfo>,
}

impl EnvelopeParts {
    /// Adds `messages` and `result_info` to an [`ApiResponse`]'s `Debug`.
    pub(crate) fn debug_fields(&self, debug: &mut fmt::DebugStruct<'_, '_>) {
        debug.field("messages", &self.messages).field("result_info", &self.result_info);
    }
}

impl<T> ApiResponse<T> {
    /// The `messages` of the response envelope (empty if it had none).
    #[must_use]
    pub fn messages(&self) -> &[ResponseInfo] {
        &self.envelope.messages
    }

    /// The `result_info` of the response envelope (paging details), if any.
    #[must_use]
    pub fn result_info(&self) -> Option<&ResultInfo> {
        self.envelope.result_info.as_ref()
    }
}

impl<T: DeserializeOwned> Read<T> {
    /// The envelope's `result`, which must be present and not null.
    pub(crate) const fn result() -> Self {
        Read(decode_result::<T>)
    }
}

impl<T: DeserializeOwned> Read<Option<T>> {
    /// The envelope's `result`, `None` when it is missing or null.
    pub(crate) const fn result_optional() -> Self {
        Read(decode_result_optional::<T>)
    }
}

impl Read<()> {
    /// An envelope whose `result` is not worth returning, checked for `success: false`.
    pub(crate) const fn no_result() -> Self {
        Read(check_envelope)
    }
}

/// One entry of the `errors` or `messages` list of a response envelope.
///
/// Decoding is lenient: unknown fields are ignored and missing ones default.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ResponseInfo {
    /// The error or message code (0 when absent).
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

/// The `errors` and `messages` of an error's body, kept on every [`ApiError`].
#[derive(Clone, Default)]
pub(crate) struct ErrorLists {
    errors: Vec<ResponseInfo>,
    messages: Vec<ResponseInfo>,
}

impl ErrorLists {
    /// Reads `errors` and `messages` leniently when the body is a JSON object.
    pub(crate) fn read(body: &[u8]) -> Self {
        let parsed = serde_json::from_slice::<Value>(body).ok();
        let object = parsed.as_ref().and_then(Value::as_object);
        let infos = |field: &str| object.and_then(|object| object.get(field)).map(response_infos).unwrap_or_default();
        ErrorLists { errors: infos("errors"), messages: infos("messages") }
    }

    /// Adds `errors` and `messages` to an [`ApiError`]'s `Debug`.
    pub(crate) fn debug_fields(&self, debug: &mut fmt::DebugStruct<'_, '_>) {
        debug.field("errors", &self.errors).field("messages", &self.messages);
    }

    /// The errors after an [`ApiError`]'s status in its `Display`: `: 10000: Authentication
    /// error; 7003: ...`.
    pub(crate) fn summarize(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

impl ApiError {
    /// The `errors` of the response envelope (empty if the body had none).
    #[must_use]
    pub fn errors(&self) -> &[ResponseInfo] {
        &self.lists.errors
    }

    /// The `messages` of the response envelope (empty if the body had none).
    #[must_use]
    pub fn messages(&self) -> &[ResponseInfo] {
        &self.lists.messages
    }
}

/// Reads a list of errors or messages, accepting odd shapes.
fn response_infos(value: &Value) -> Vec<ResponseInfo> {
    match value {
        Value::Array(items) => items.iter().filter_map(response_info).collect(),
        other => response_info(other).into_iter().collect(),
    }
}

fn response_info(value: &Value) -> Option<ResponseInfo> {
    let text = |value: &Value| match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    match value {
        Value::Null => None,
        Value::Object(object) => Some(ResponseInfo {
            code: object
                .get("code")
                .and_then(|code| code.as_i64().or_else(|| code.as_str().and_then(|code| code.trim().parse().ok())))
                .unwrap_or(0),
            message: object.get("message").map(text).unwrap_or_default(),
            documentation_url: object.get("documentation_url").and_then(Value::as_str).map(str::to_owned),
            source: object.get("source").and_then(Value::as_object).map(|source| ResponseInfoSource {
                pointer: source.get("pointer").and_then(Value::as_str).map(str::to_owned),
            }),
        }),
        other => Some(ResponseInfo { message: text(other), ..ResponseInfo::default() }),
    }
}

/// The `result_info` of a response envelope: where a page sits in a list.
///
/// Decoding is lenient: numbers may come as strings, missing or odd fields
/// are `None`. A cursor is read from `cursor` or `cursors.after`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResultInfo {
    /// The number of this page (1-based).
    pub page: Option<u64>,
    /// The page size asked for.
    pub per_page: Option<u64>,
    /// How many items this page holds.
    pub count: Option<u64>,
    /// How many items the whole list holds.
    pub total_count: Option<u64>,
    /// How many pages the whole list has.
    pub total_pages: Option<u64>,
    /// The cursor of the next page, for cursor-paged lists (empty counts as none).
    pub cursor: Option<String>,
}

impl ResultInfo {
    /// Reads a `result_info` value; `None` unless it is an object.
    pub(crate) fn from_value(value: &Value) -> Option<ResultInfo> {
        let object = value.as_object()?;
        let number = |name: &str| object.get(name).and_then(lenient_u64);
        let text = |value: &Value| value.as_str().filter(|text| !text.is_empty()).map(str::to_owned);
        let cursor = object.get("cursor").and_then(text).or_else(|| {
            object.get("cursors").and_then(|cursors| cursors.get("after")).and_then(text)
        });
        Some(ResultInfo {
            page: number("page"),
            per_page: number("per_page"),
            count: number("count"),
            total_count: number("total_count"),
            total_pages: number("total_pages"),
            cursor,
        })
    }
}

/// A non-negative integer written as a number, an integral float or a string.
fn lenient_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) => number.as_u64().or_else(|| {
            number.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1.8e19).map(|f| f as u64)
        }),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// The fields of a response envelope needed to tell success from failure.
#[derive(Deserialize)]
struct EnvelopeStatus {
    #[serde(default)]
    success: Option<Value>,
}

/// The parts of a response envelope a success needs: one pass over the body.
#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(default)]
    success: Option<Value>,
    #[serde(default = "none")]
    result: Option<T>,
    #[serde(default)]
    messages: Option<Value>,
    #[serde(default)]
    result_info: Option<Value>,
}

fn none<T>() -> Option<T> {
    None
}

fn failed(success: Option<&Value>) -> bool {
    matches!(success, Some(Value::Bool(false)))
}

/// Whether a success body still says the call failed (`"success": false`).
pub(crate) fn says_failure(body: &[u8]) -> bool {
    serde_json::from_slice::<EnvelopeStatus>(body).is_ok_and(|envelope| failed(envelope.success.as_ref()))
}

/// Interprets an envelope response whose `result` is required.
fn decode_result<T: DeserializeOwned>(received: Received) -> Result<ApiResponse<T>, Error> {
    let response = decode_result_optional(received)?;
    let ApiResponse { status, headers, envelope, body, result } = response;
    match result {
        Some(result) => Ok(ApiResponse { status, headers, envelope, body, result }),
        None => {
            let source = serde::de::Error::custom(NO_RESULT);
            Err(Error::Decode(Box::new(DecodeError::new(status, headers, body, &source))))
        }
    }
}

/// Interprets an envelope response whose `result` may be missing or null.
fn decode_result_optional<T: DeserializeOwned>(
    received: Received,
) -> Result<ApiResponse<Option<T>>, Error> {
    if !received.status.is_success() {
        return Err(api_error(received));
    }
    match serde_json::from_slice::<Envelope<T>>(&received.body) {
        Ok(envelope) if failed(envelope.success.as_ref()) => Err(api_error(received)),
        Ok(envelope) => {
            let Received { status, headers, body } = received;
            Ok(ApiResponse {
                status,
                headers,
                envelope: EnvelopeParts {
                    messages: envelope.messages.as_ref().map(response_infos).unwrap_or_default(),
                    result_info: envelope.result_info.as_ref().and_then(ResultInfo::from_value),
                },
                body,
                result: envelope.result,
            })
        }
        // A failure envelope's `result` need not have the success shape: look at `success`
        // alone before calling the body undecodable.
        Err(source) => {
            Err(if says_failure(&received.body) { api_error(received) } else { decode_error(received, &source) })
        }
    }
}

/// Interprets an envelope response whose `result` is not returned.
fn check_envelope(received: Received) -> Result<ApiResponse<()>, Error> {
    let response = decode_result_optional::<serde::de::IgnoredAny>(received)?;
    Ok(response.map(drop))
}

/// The paging stop rule: the page after `page` (fetched with `request`, holding `count` items,
/// `seen` items so far), or `None` if it was the last.
pub(crate) fn next_page<T>(page: &ApiResponse<T>, request: &PageRequest, count: u64, seen: u64) -> Option<PageRequest> {
    if count == 0 {
        return None;
    }
    let info = page.result_info()?;
    if let Some(cursor) = &info.cursor {
        // The same cursor again would loop forever.
        return (request != &PageRequest::Cursor(cursor.clone())).then(|| PageRequest::Cursor(cursor.clone()));
    }
    if matches!(request, PageRequest::Cursor(_)) {
        return None;
    }
    let current = match request {
        // A server that answers another page than the one asked for ignores `page`: asking for
        // the next would bring the same items again.
        PageRequest::Page(number) if info.page.is_some_and(|answered| answered != *number) => return None,
        PageRequest::Page(number) => *number,
        _ => info.page.unwrap_or(1),
    };
    let last = info.total_pages.is_some_and(|total| current >= total)
        || info.total_count.is_some_and(|total| seen >= total)
        || matches!((info.count, info.per_page), (Some(count), Some(per_page)) if count < per_page);
    (!last).then(|| PageRequest::Page(current.saturating_add(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;
    use serde_json::json;

    use crate::runtime::error::{ApiError, ApiErrorKind};
    use crate::runtime::request::decode_json;

    const OK: StatusCode = StatusCode::OK;

    fn check_empty(received: Received) -> Result<ApiResponse<()>, Error> {
        (Read::empty().0)(received)
    }

    #[test]
    fn result_info_is_read_leniently() {
        let info = ResultInfo::from_value(&json!({
            "page": 2, "per_page": "20", "count": 20.0, "total_count": -1, "total_pages": null, "extra": 1
        }))
        .unwrap();
        assert_eq!(
            info,
            ResultInfo { page: Some(2), per_page: Some(20), count: Some(20), ..ResultInfo::default() }
        );
        let info = ResultInfo::from_value(&json!({"cursors": {"after": "abc"}, "per_page": 5})).unwrap();
        assert_eq!(info.cursor.as_deref(), Some("abc"));
        assert_eq!(ResultInfo::from_value(&json!({"cursor": ""})).unwrap().cursor, None);
        assert_eq!(ResultInfo::from_value(&json!({"cursor": "x"})).unwrap().cursor.as_deref(), Some("x"));
        assert_eq!(ResultInfo::from_value(&json!([1])), None);
        assert_eq!(ResultInfo::from_value(&Value::Null), None);
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Zone {
        id: String,
    }

    fn api(result: Result<impl std::fmt::Debug, Error>) -> ApiError {
        match result {
            Err(Error::Api(api)) => *api,
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    fn rx(status: StatusCode, body: &[u8]) -> Received {
        let mut headers = HeaderMap::new();
        headers.insert("x-seen", reqwest::header::HeaderValue::from_static("kept"));
        Received { status, headers, body: body.to_vec() }
    }

    fn decode_failure(result: Result<impl std::fmt::Debug, Error>) -> (u16, String) {
        match result {
            Err(Error::Decode(decode)) => {
                assert_eq!(decode.header("x-seen"), Some("kept"));
                (decode.status(), decode.body_text().into_owned())
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn success_envelope() {
        let body = br#"{"success":true,"errors":[],"messages":[],"result":{"id":"z1","extra":1},"result_info":{"page":1}}"#;
        assert_eq!(
            decode_result::<Zone>(rx(OK, body)).unwrap().into_result(),
            Zone {
                id: "z1".to_owned()
            }
        );
        assert_eq!(
            decode_result_optional::<Zone>(rx(OK, body)).unwrap().into_result(),
            Some(Zone {
                id: "z1".to_owned()
            })
        );
        // A missing `success` is tolerated.
        assert_eq!(
            decode_result::<Vec<u32>>(rx(OK, br#"{"result":[1,2]}"#)).unwrap().into_result(),
            vec![1, 2]
        );
    }

    #[test]
    fn null_or_missing_result() {
        for body in [
            &br#"{"success":true,"errors":[],"messages":[],"result":null}"#[..],
            br#"{"success":true}"#,
        ] {
            assert_eq!(decode_result_optional::<Zone>(rx(OK, body)).unwrap().into_result(), None);
            let (status, kept) = decode_failure(decode_result::<Zone>(rx(OK, body)));
            assert_eq!(status, 200);
            assert_eq!(kept.as_bytes(), body);
        }
    }

    #[test]
    fn success_false_on_200() {
        let body = br#"{"success":false,"errors":[{"code":1001,"message":"bad"}],"messages":[],"result":"not a zone"}"#;
        for error in [
            api(decode_result::<Zone>(rx(OK, body))),
            api(decode_result_optional::<Zone>(rx(OK, body))),
            api(check_empty(rx(OK, body))),
        ] {
            assert_eq!(error.status(), 200);
            assert_eq!(error.header("x-seen"), Some("kept"));
            assert_eq!(error.kind(), ApiErrorKind::Other);
            assert_eq!(
                error.errors(),
                vec![ResponseInfo {
                    code: 1001,
                    message: "bad".to_owned(),
                    ..Default::default()
                }]
            );
            assert_eq!(error.to_string(), "HTTP 200 OK: 1001: bad");
        }
        // A plain JSON operation has no envelope to interpret.
        assert!(decode_json::<Value>(rx(OK, body)).is_ok());
    }

    #[test]
    fn failure_envelope_on_4xx() {
        let body = br#"{"success":false,"errors":[{"code":7003,"message":"Could not route","documentation_url":"https://d","source":{"pointer":"/name"}},{"code":"9109","message":"x","unknown":true}],"messages":[{"code":1,"message":"note"}],"result":null}"#;
        let error = api(decode_result::<Zone>(rx(StatusCode::BAD_REQUEST, body)));
        assert_eq!(error.status(), 400);
        assert_eq!(error.kind(), ApiErrorKind::BadRequest);
        assert_eq!(error.errors().len(), 2);
        assert_eq!(error.errors()[0].code, 7003);
        assert_eq!(
            error.errors()[0].documentation_url.as_deref(),
            Some("https://d")
        );
        assert_eq!(
            error.errors()[0]
                .source
                .as_ref()
                .and_then(|s| s.pointer.as_deref()),
            Some("/name")
        );
        assert_eq!(error.errors()[1].code, 9109);
        assert_eq!(
            error.messages(),
            vec![ResponseInfo {
                code: 1,
                message: "note".to_owned(),
                ..Default::default()
            }]
        );
        assert_eq!(error.body(), body);
        assert_eq!(
            error.to_string(),
            "HTTP 400 Bad Request: 7003: Could not route; 9109: x"
        );
        // Every sending flavour reports the failure the same way.
        assert_eq!(
            api(decode_json::<Value>(rx(StatusCode::FORBIDDEN, body))).kind(),
            ApiErrorKind::Forbidden
        );
        assert_eq!(
            api(check_empty(rx(StatusCode::NOT_FOUND, body))).kind(),
            ApiErrorKind::NotFound
        );
    }

    #[test]
    fn odd_error_bodies_are_kept() {
        let cases: [(&[u8], usize); 6] = [
            (b"<html>502 Bad Gateway</html>", 0),
            (b"", 0),
            (b"[1,2]", 0),
            (br#"{"errors":"plain text"}"#, 1),
            (br#"{"errors":[null,"s",{"code":1.5}]}"#, 2),
            (b"\xff\xfe not utf-8", 0),
        ];
        for (body, error_count) in cases {
            let error = api(decode_result::<Zone>(rx(StatusCode::BAD_GATEWAY, body)));
            assert_eq!(error.kind(), ApiErrorKind::Server);
            assert_eq!(error.errors().len(), error_count, "{body:?}");
            assert!(error.messages().is_empty());
            assert_eq!(error.body(), body);
        }
        let error = api(decode_result::<Zone>(rx(StatusCode::BAD_GATEWAY, b"<html>")));
        assert_eq!(error.to_string(), "HTTP 502 Bad Gateway");
    }

    #[test]
    fn undecodable_success_body_is_kept() {
        for body in [
            &b"<html>oops</html>"[..],
            br#"{"success":true,"result":{"name":1}}"#,
        ] {
            let (status, kept) = decode_failure(decode_result::<Zone>(rx(StatusCode::CREATED, body)));
            assert_eq!(status, 201);
            assert_eq!(kept.as_bytes(), body);
        }
        let (_, kept) = decode_failure(decode_json::<Zone>(rx(OK, b"[]")));
        assert_eq!(kept, "[]");
        assert_eq!(
            decode_json::<Zone>(rx(OK, br#"{"id":"a"}"#)).unwrap().into_result(),
            Zone { id: "a".to_owned() }
        );
    }

    #[test]
    fn empty_responses() {
        for body in [
            &b""[..],
            b"not json",
            br#"{"success":true,"result":null}"#,
            br#"{"id":1}"#,
        ] {
            assert!(check_empty(rx(StatusCode::NO_CONTENT, body)).is_ok());
            assert!(check_empty(rx(OK, body)).is_ok());
        }
    }

    fn page(info: Option<ResultInfo>) -> ApiResponse<()> {
        ApiResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            envelope: EnvelopeParts { messages: Vec::new(), result_info: info },
            body: Vec::new(),
            result: (),
        }
    }

    fn info(page: u64, per_page: u64, count: u64) -> ResultInfo {
        ResultInfo { page: Some(page), per_page: Some(per_page), count: Some(count), ..ResultInfo::default() }
    }

    #[test]
    fn when_a_page_is_the_last() {
        let first = PageRequest::First;
        let p = PageRequest::Page;
        // No result_info: a list that is not paged.
        assert_eq!(next_page(&page(None), &first, 3, 3), None);
        // An empty page ends it.
        assert_eq!(next_page(&page(Some(info(1, 20, 0))), &first, 0, 0), None);
        // Nothing says it is the last: ask for the next one.
        assert_eq!(next_page(&page(Some(info(1, 20, 20))), &first, 20, 20), Some(p(2)));
        // A short page is the last.
        assert_eq!(next_page(&page(Some(info(3, 20, 7))), &p(3), 7, 47), None);
        // total_pages.
        let mut last = info(3, 20, 20);
        last.total_pages = Some(3);
        assert_eq!(next_page(&page(Some(last.clone())), &p(3), 20, 60), None);
        last.total_pages = Some(4);
        assert_eq!(next_page(&page(Some(last)), &p(3), 20, 60), Some(p(4)));
        // total_count, counted over the items seen.
        let mut counted = info(2, 20, 20);
        counted.total_count = Some(40);
        assert_eq!(next_page(&page(Some(counted.clone())), &p(2), 20, 40), None);
        assert_eq!(next_page(&page(Some(counted)), &p(2), 20, 39), Some(p(3)));
        // A server that ignores `page` answers page 1 again: no third request for the same items.
        assert_eq!(next_page(&page(Some(info(1, 20, 20))), &p(2), 20, 40), None);
    }

    #[test]
    fn cursor_lists() {
        let cursor = |c: &str| ResultInfo { cursor: Some(c.to_owned()), per_page: Some(2), ..ResultInfo::default() };
        let next = next_page(&page(Some(cursor("c1"))), &PageRequest::First, 2, 2);
        assert_eq!(next, Some(PageRequest::Cursor("c1".to_owned())));
        let same = next_page(&page(Some(cursor("c1"))), &PageRequest::Cursor("c1".to_owned()), 2, 4);
        assert_eq!(same, None, "a repeated cursor would loop");
        let end = ResultInfo { per_page: Some(2), ..ResultInfo::default() };
        assert_eq!(next_page(&page(Some(end)), &PageRequest::Cursor("c1".to_owned()), 2, 4), None);
    }

    fn api_error_with(status: u16, body: &str) -> ApiError {
        ApiError::new(StatusCode::from_u16(status).unwrap(), HeaderMap::new(), body.as_bytes().to_vec())
    }

    #[test]
    fn an_api_errors_display_lists_the_envelopes_errors() {
        let error = api_error_with(403, r#"{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}"#);
        assert_eq!(error.to_string(), "HTTP 403 Forbidden: 10000: Authentication error");
        let error = api_error_with(400, r#"{"errors":[{"code":1,"message":"a"},{"code":"2","message":"b"},{"message":"c"},{}]}"#);
        assert_eq!(error.to_string(), "HTTP 400 Bad Request: 1: a; 2: b; c; (no message)");
        assert_eq!(api_error_with(404, "not json").to_string(), "HTTP 404 Not Found");
        let debug = format!("{error:?}");
        assert!(debug.contains("errors: [") && debug.contains("messages: []"), "{debug}");
    }

    #[test]
    fn error_lists_are_read_leniently() {
        let error = api_error_with(
            400,
            r#"{"errors":"plain text","messages":[{"message":"m","extra":1,"source":{"pointer":"/a","x":2}},null,7]}"#,
        );
        assert_eq!(error.errors().iter().map(|e| e.message.as_str()).collect::<Vec<_>>(), ["plain text"]);
        let messages = error.messages();
        assert_eq!(messages.len(), 2);
        assert_eq!((messages[0].code, messages[0].message.as_str()), (0, "m"));
        assert_eq!(messages[0].source.as_ref().and_then(|s| s.pointer.as_deref()), Some("/a"));
        assert_eq!(messages[1].message, "7");
        let empty: ResponseInfo = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, ResponseInfo::default());
    }
}
