//! A decoded result together with the response it came from.

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use super::error::{ResponseInfo, response_accessors};

/// The result of a call with everything else the response carried: the
/// status, the headers (`cf-ray`), the envelope's `messages` and
/// `result_info`, and the raw body.
///
/// `Debug` shows the status, `cf-ray`, messages, `result_info` and the
/// result (whose sensitive fields are redacted), never the raw body or other
/// headers.
pub struct ApiResponse<T> {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) messages: Vec<ResponseInfo>,
    pub(crate) result_info: Option<ResultInfo>,
    /// Empty when the result is the body itself (bytes) or is streamed.
    pub(crate) body: Vec<u8>,
    pub(crate) result: T,
}

impl<T> ApiResponse<T> {
    response_accessors!();

    /// The `messages` of the response envelope (empty if it had none).
    #[must_use]
    pub fn messages(&self) -> &[ResponseInfo] {
        &self.messages
    }

    /// The `result_info` of the response envelope (paging details), if any.
    #[must_use]
    pub fn result_info(&self) -> Option<&ResultInfo> {
        self.result_info.as_ref()
    }

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
            messages: self.messages,
            result_info: self.result_info,
            body: self.body,
            result: f(self.result),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for ApiResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status.as_u16())
            .field("cf_ray", &self.cf_ray())
            .field("messages", &self.messages)
            .field("result_info", &self.result_info)
            .field("result", &self.result)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    #[test]
    fn debug_shows_no_body_and_no_other_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("cf-ray", "abc-LHR".parse().unwrap());
        headers.insert("set-cookie", "s=SECRET".parse().unwrap());
        let response = ApiResponse {
            status: StatusCode::OK,
            headers,
            messages: Vec::new(),
            result_info: None,
            body: b"{\"result\":\"SECRET\"}".to_vec(),
            result: 7,
        };
        let printed = format!("{response:?} {response:#?}");
        assert!(!printed.contains("SECRET"), "{printed}");
        assert!(printed.contains("abc-LHR") && printed.contains("<19 bytes>"), "{printed}");
        assert_eq!(response.status(), 200);
        assert_eq!(response.header("Set-Cookie"), Some("s=SECRET"));
        assert_eq!(response.body_text(), "{\"result\":\"SECRET\"}");
        let mapped = response.map(|n| n * 2);
        assert_eq!(*mapped.result(), 14);
        assert_eq!(mapped.into_result(), 14);
    }
}
