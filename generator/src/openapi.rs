//! OpenAPI's own vocabulary, written once for every stage: the operations' HTTP methods, which
//! response is the success, and the generator's mark for a mutual-TLS scheme.

use openapiv3::{ReferenceOr, Response, Responses, StatusCode};

/// The operation keys of a path item, in the order OpenAPI lists them.
pub const HTTP_METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The extension the 3.1 rewriting puts on a `mutualTLS` security scheme (which 3.0 cannot
/// write), so that the lowering still knows it for one.
pub const MUTUAL_TLS_MARK: &str = "x-clientgen-mutual-tls";

/// Whether `status` answers a success: a 2xx code, or the `2XX` range.
pub fn is_success(status: &StatusCode) -> bool {
    match status {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}

/// The response that says what an operation returns: the first success in the order the spec
/// lists its responses, else `default` when it is the only response (it then describes every
/// answer, success included). With its status (`None` for `default`).
pub fn success_response(responses: &Responses) -> Option<(Option<&StatusCode>, &ReferenceOr<Response>)> {
    match responses.responses.iter().find(|(status, _)| is_success(status)) {
        Some((status, response)) => Some((Some(status), response)),
        None if responses.responses.is_empty() => responses.default.as_ref().map(|default| (None, default)),
        None => None,
    }
}

/// The key of `status` (`None`: `default`) as the spec writes it in the responses object
/// `written` (`openapiv3` prints ranges as `2XX`; a spec may write `2xx`), for pointers and docs.
pub fn written_status_key(written: Option<&serde_json::Map<String, serde_json::Value>>, status: Option<&StatusCode>) -> String {
    let Some(status) = status else { return "default".to_owned() };
    let key = status.to_string();
    written.and_then(|keys| keys.keys().find(|k| k.eq_ignore_ascii_case(&key)).cloned()).unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn responses(json: serde_json::Value) -> Responses {
        serde_json::from_value(json).expect("responses")
    }

    #[test]
    fn the_success_is_the_first_2xx_else_a_lone_default() {
        let ok = serde_json::json!({"description": "ok"});
        let listed = responses(serde_json::json!({"404": ok, "2XX": ok, "201": ok}));
        assert_eq!(success_response(&listed).map(|(s, _)| s.cloned()), Some(Some(StatusCode::Range(2))));
        let lone_default = responses(serde_json::json!({"default": ok}));
        assert_eq!(success_response(&lone_default).map(|(s, _)| s.cloned()), Some(None));
        // Beside failures, `default` describes the other failures, not the success.
        let failures = responses(serde_json::json!({"400": ok, "default": ok}));
        assert!(success_response(&failures).is_none());
    }

    #[test]
    fn status_keys_are_written_as_the_spec_writes_them() {
        let written = serde_json::json!({"2xx": {}, "404": {}});
        let written = written.as_object();
        assert_eq!(written_status_key(written, Some(&StatusCode::Range(2))), "2xx");
        assert_eq!(written_status_key(written, Some(&StatusCode::Code(404))), "404");
        assert_eq!(written_status_key(None, Some(&StatusCode::Range(4))), "4XX");
        assert_eq!(written_status_key(written, None), "default");
    }
}
