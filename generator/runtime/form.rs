//! `application/x-www-form-urlencoded` bodies and `deepObject` query parameters, encoded with
//! OpenAPI's rules (its Encoding and Parameter objects) and the nested bracket syntax that APIs
//! such as Stripe read.
//!
//! A value is first serialized to JSON (the generated structs already know how), then each
//! top-level property becomes fields by its [`Style`] and `explode`, in the order of their keys
//! (a JSON object's):
//!
//! | value | `form` exploded (the default) | `form` not exploded | `deepObject` |
//! | --- | --- | --- | --- |
//! | `"a b"` | `n=a%20b` | `n=a%20b` | `n=a%20b` |
//! | `["a","b"]` | `n=a&n=b` | `n=a,b` | `n[0]=a&n[1]=b` |
//! | `{"k":"v"}` | `k=v` | `n=k,v` | `n[k]=v` |
//! | `{"k":{"x":1}}` | `k[x]=1` | (JSON text) | `n[k][x]=1` |
//!
//! Nesting below what a style defines is written in brackets (`items[0][price]=p`). Arrays are
//! indexed (`expand[0]=a`, not `expand[]=a`): one rule for arrays of scalars and of objects, where
//! only indices say which fields belong to one item, and the order is explicit. `null` is sent as
//! an empty value (`n=`, which Stripe reads as "unset"); empty arrays and objects send nothing.
//! `spaceDelimited` and `pipeDelimited` join arrays with `%20` and `|` when not exploded. A
//! property whose encoding gives a JSON `contentType` is sent as JSON text.
//!
//! In a body, names and values are percent-encoded except `A-Z a-z 0-9 - . _ ~` (a space is
//! `%20`, which form and plain percent decoders both read); the brackets the encoder adds stay as
//! they are (every form decoder reads them, and they are how such APIs document their fields),
//! while brackets inside a key or value are encoded. Query pairs are left to the URL builder.

// A spec uses some of the styles and one or both entry points: the others are unused there.
#![allow(dead_code)]

use serde::Serialize;
use serde_json::Value;

use super::builder::Call;
use super::error::Error;

impl Call<'_> {
    /// Sets an `application/x-www-form-urlencoded` body of the media type `content_type`,
    /// encoded from `body` as `encodings` say.
    pub(crate) fn form<B: Serialize + ?Sized>(mut self, content_type: &'static str, body: &B, encodings: Encodings) -> Self {
        let result = serde_json::to_value(body)
            .map(|value| {
                let text = form_body(&form_pairs(&value, encodings));
                self.request.raw_body(content_type, text.into_bytes());
            })
            .map_err(|error| Error::InvalidParameter { name: "body", reason: format!("cannot be encoded as a form: {error}") });
        self.keep(result)
    }

    /// Sets the `deepObject` query parameter `name`: one pair per scalar inside `value`
    /// (`created[gt]=1`), replacing those set before.
    pub(crate) fn query_deep<V: Serialize + ?Sized>(mut self, name: &'static str, value: &V) -> Self {
        let nested = format!("{name}[");
        let old: Vec<String> = self.request.query_names().filter(|n| *n == name || n.starts_with(&nested)).map(str::to_owned).collect();
        for existing in old {
            self.request.remove_query(&existing);
        }
        let result = serde_json::to_value(value)
            .map(|value| {
                let mut pairs = Vec::new();
                property_pairs(name, &value, Style::DeepObject, true, verbatim, &mut pairs);
                for (pair_name, pair_value) in pairs {
                    self.request.query_owned(pair_name, pair_value);
                }
            })
            .map_err(|error| Error::InvalidParameter { name, reason: format!("cannot be encoded as a query parameter: {error}") });
        self.keep(result)
    }
}

/// How one property is written (OpenAPI's `style`; `Json` for a JSON `contentType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `style: form`, the default for forms and query parameters.
    Form,
    /// `style: spaceDelimited`.
    SpaceDelimited,
    /// `style: pipeDelimited`.
    PipeDelimited,
    /// `style: deepObject`: brackets all the way down.
    DeepObject,
    /// JSON text (an encoding whose `contentType` is JSON).
    Json,
}

/// How the properties of one form body are encoded: (wire name, style, explode) for those the
/// spec's `encoding` map names; every other property is `form`, exploded.
pub type Encodings = &'static [(&'static str, Style, bool)];

/// How names and values are escaped: [`encode`] for a body; [`verbatim`] for query pairs, which
/// the URL builder encodes.
pub type Escape = fn(&str) -> String;

/// The form fields of `value` (a JSON object; anything else is one field named `""`), in order,
/// percent-encoded.
pub fn form_pairs(value: &Value, encodings: Encodings) -> Vec<(String, String)> {
    let esc: Escape = encode;
    let mut pairs = Vec::new();
    match value {
        Value::Object(properties) => {
            for (name, value) in properties {
                let (style, explode) = encodings
                    .iter()
                    .find(|(wire, _, _)| wire == name)
                    .map_or((Style::Form, true), |(_, style, explode)| (*style, *explode));
                property_pairs(name, value, style, explode, esc, &mut pairs);
            }
        }
        other => property_pairs("", other, Style::Form, true, esc, &mut pairs),
    }
    pairs
}

/// The pairs of one parameter or property `name`.
pub fn property_pairs(name: &str, value: &Value, style: Style, explode: bool, esc: Escape, pairs: &mut Vec<(String, String)>) {
    let name = esc(name);
    match (style, value) {
        (Style::Json, value) => pairs.push((name, esc(&value.to_string()))),
        (Style::DeepObject, value) => nested_pairs(name, value, esc, pairs),
        (_, Value::Array(items)) if explode => {
            for item in items {
                nested_pairs(name.clone(), item, esc, pairs);
            }
        }
        (_, Value::Array(items)) => {
            // The delimiters stay as they are; the items are escaped.
            let separator = match style {
                Style::SpaceDelimited => esc(" "),
                Style::PipeDelimited => "|".to_owned(),
                _ => ",".to_owned(),
            };
            let joined: Vec<String> = items.iter().map(|item| esc(&flat_text(item))).collect();
            pairs.push((name, joined.join(&separator)));
        }
        (_, Value::Object(properties)) if explode => {
            for (key, value) in properties {
                nested_pairs(esc(key), value, esc, pairs);
            }
        }
        (_, Value::Object(properties)) => {
            let joined: Vec<String> = properties.iter().flat_map(|(k, v)| [esc(k), esc(&flat_text(v))]).collect();
            pairs.push((name, joined.join(",")));
        }
        (_, scalar) => pairs.push((name, esc(&scalar_text(scalar)))),
    }
}

/// `prefix[key]...=value` for every scalar inside `value`; `prefix` is already escaped.
fn nested_pairs(prefix: String, value: &Value, esc: Escape, pairs: &mut Vec<(String, String)>) {
    match value {
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                nested_pairs(format!("{prefix}[{index}]"), item, esc, pairs);
            }
        }
        Value::Object(properties) => {
            for (key, item) in properties {
                nested_pairs(format!("{prefix}[{}]", esc(key)), item, esc, pairs);
            }
        }
        scalar => pairs.push((prefix, esc(&scalar_text(scalar)))),
    }
}

/// A scalar as text (`null` is empty), not yet escaped.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// An item of a joined list: a scalar as text, anything deeper as JSON text; not yet escaped.
fn flat_text(value: &Value) -> String {
    match value {
        Value::Array(_) | Value::Object(_) => value.to_string(),
        scalar => scalar_text(scalar),
    }
}

/// The body: `name=value` pairs joined by `&`.
pub fn form_body(pairs: &[(String, String)]) -> String {
    let mut body = String::new();
    for (index, (name, value)) in pairs.iter().enumerate() {
        if index > 0 {
            body.push('&');
        }
        body.push_str(name);
        body.push('=');
        body.push_str(value);
    }
    body
}

/// Leaves text as it is (query pairs: the URL builder encodes them).
pub fn verbatim(text: &str) -> String {
    text.to_owned()
}

/// Percent-encodes every byte outside `A-Z a-z 0-9 - . _ ~`.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn body(value: Value, encodings: Encodings) -> String {
        form_body(&form_pairs(&value, encodings))
    }

    #[test]
    fn scalars_are_one_field_each_and_encoded() {
        let value = json!({"name": "Jenny Rosen", "email": "j+r@example.com", "n": 2, "ok": true, "x": 1.5});
        assert_eq!(body(value, &[]), "email=j%2Br%40example.com&n=2&name=Jenny%20Rosen&ok=true&x=1.5");
        assert_eq!(body(json!({"a": "ü&=[]"}), &[]), "a=%C3%BC%26%3D%5B%5D");
    }

    #[test]
    fn null_is_an_empty_value_and_empty_lists_send_nothing() {
        assert_eq!(body(json!({"a": null, "b": [], "c": {}, "d": "x"}), &[]), "a=&d=x");
        assert_eq!(body(json!({"m": {}}), &[("m", Style::DeepObject, true)]), "");
    }

    #[test]
    fn arrays_in_form_style_repeat_when_exploded_and_join_when_not() {
        let value = json!({"tag": ["a", "b c"]});
        assert_eq!(body(value.clone(), &[]), "tag=a&tag=b%20c");
        assert_eq!(body(value.clone(), &[("tag", Style::Form, false)]), "tag=a,b%20c");
        assert_eq!(body(value.clone(), &[("tag", Style::SpaceDelimited, false)]), "tag=a%20b%20c");
        assert_eq!(body(value.clone(), &[("tag", Style::PipeDelimited, false)]), "tag=a|b%20c");
        assert_eq!(body(value, &[("tag", Style::PipeDelimited, true)]), "tag=a&tag=b%20c");
    }

    #[test]
    fn objects_in_form_style_spread_when_exploded_and_join_when_not() {
        let value = json!({"color": {"R": 100, "G": 200}});
        assert_eq!(body(value.clone(), &[]), "G=200&R=100");
        assert_eq!(body(value, &[("color", Style::Form, false)]), "color=G,200,R,100");
        assert_eq!(body(json!({"o": {"a": {"b": 1}}}), &[]), "a[b]=1", "deeper levels in brackets");
        assert_eq!(body(json!({"o": {"a": [1]}}), &[("o", Style::Form, false)]), "o=a,%5B1%5D", "JSON text");
    }

    #[test]
    fn deep_objects_nest_in_brackets_with_indexed_arrays() {
        let encodings: Encodings = &[("metadata", Style::DeepObject, true), ("expand", Style::DeepObject, true), ("items", Style::DeepObject, true)];
        let value = json!({
            "customer": "cus_1",
            "metadata": {"order id": "6735", "a[b]": "c"},
            "expand": ["customer", "invoice"],
            "items": [{"price": "p_1", "quantity": 2}, {"price": "p_2", "tax_rates": ["t1"]}],
        });
        assert_eq!(
            body(value, encodings),
            "customer=cus_1&expand[0]=customer&expand[1]=invoice&items[0][price]=p_1&items[0][quantity]=2\
             &items[1][price]=p_2&items[1][tax_rates][0]=t1&metadata[a%5Bb%5D]=c&metadata[order%20id]=6735"
        );
        // An exploded form array of objects needs the brackets too.
        assert_eq!(body(json!({"i": [{"a": 1}]}), &[]), "i[a]=1");
    }

    #[test]
    fn a_json_content_type_sends_json_text() {
        assert_eq!(body(json!({"j": {"a": [1]}}), &[("j", Style::Json, true)]), "j=%7B%22a%22%3A%5B1%5D%7D");
    }

    mod operation {
        #[derive(Debug)]
        pub enum Probe {}
    }

    type Probe<'a> = crate::runtime::RequestBuilder<'a, operation::Probe>;

    crate::runtime::setters!(Probe {
        created(&Value) => query_deep("created"),
        body(&Value) => form("application/x-www-form-urlencoded", [("tag", PipeDelimited, false)]),
    });

    #[test]
    fn setters_send_deep_objects_and_form_bodies_with_their_encodings() {
        let client = crate::runtime::Client::builder().base_url("http://127.0.0.1:9").build().expect("client");
        let probe = Probe::new(client.post("/probe")).created(&json!({"gt": 1})).body(&json!({"tag": ["a", "b c"], "n": 1}));
        let request = probe.call.ready().expect("valid");
        assert_eq!(request.query_pairs(), [("created[gt]".to_owned(), "1".to_owned())]);
        assert_eq!(request.body_parts(), Some(("application/x-www-form-urlencoded", &b"n=1&tag=a|b%20c"[..])));
    }

    #[test]
    fn a_deep_object_query_parameter_is_bracketed_pairs() {
        let mut pairs = Vec::new();
        property_pairs("created", &json!({"gt": 1700000000, "lte": "a b"}), Style::DeepObject, true, verbatim, &mut pairs);
        assert_eq!(pairs, [("created[gt]".to_owned(), "1700000000".to_owned()), ("created[lte]".to_owned(), "a b".to_owned())]);
        // A scalar is a plain pair.
        let mut pairs = Vec::new();
        property_pairs("created", &json!(5), Style::DeepObject, true, verbatim, &mut pairs);
        assert_eq!(pairs, [("created".to_owned(), "5".to_owned())]);
    }
}
