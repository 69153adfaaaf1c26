//! Decoding of tagged unions: the generated `Deserialize` of a union whose members are told apart
//! by one property reads the value once, looks at that property, and hands the value to the
//! member it names. An unknown tag is the generated code's business (it keeps the value); a
//! known tag whose member does not decode is an error, never a silent fallback.
//!
//! A crate whose spec has no tagged union does not use these.
#![allow(dead_code)]

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde_json::Value;

/// Reads a tagged union's value: (the tag, the whole value, tag included). A value that is not
/// an object, or has no string at `property`, is an error: no member can be picked for it.
pub(crate) fn union_tag<'de, D: Deserializer<'de>>(deserializer: D, property: &str) -> Result<(String, Value), D::Error> {
    let value = Value::deserialize(deserializer)?;
    match value.get(property) {
        Some(Value::String(tag)) => Ok((tag.clone(), value)),
        Some(other) => Err(D::Error::custom(format!("the tag `{property}` is not a string: {other}"))),
        None if value.is_object() => Err(D::Error::custom(format!("missing tag `{property}`"))),
        None => Err(D::Error::custom(format!("expected an object with a `{property}` tag, found {}", kind(&value)))),
    }
}

/// Decodes the member that `tag` names; its error says which member was tried.
pub(crate) fn union_member<T: DeserializeOwned, E: serde::de::Error>(property: &str, tag: &str, value: Value) -> Result<T, E> {
    T::deserialize(value).map_err(|e| E::custom(format!("`{property}` is `{tag}`, but the value does not fit: {e}")))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct A {
        r#type: String,
        address: String,
    }

    /// A miniature of a generated tagged union's `Deserialize`.
    #[derive(Debug, PartialEq)]
    enum Record {
        A(A),
        Unknown(Value),
    }

    impl<'de> serde::Deserialize<'de> for Record {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let (tag, value) = union_tag(deserializer, "type")?;
            match tag.as_str() {
                "A" => union_member("type", &tag, value).map(Record::A),
                _ => Ok(Record::Unknown(value)),
            }
        }
    }

    fn decode(text: &str) -> Result<Record, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn a_known_tag_decodes_its_member_with_the_tag_kept() {
        let record = decode(r#"{"type":"A","address":"192.0.2.1"}"#).unwrap();
        assert_eq!(record, Record::A(A { r#type: "A".into(), address: "192.0.2.1".into() }));
    }

    #[test]
    fn an_unknown_tag_is_kept_whole() {
        let text = r#"{"type":"NEW","whatever":[1,2]}"#;
        assert_eq!(decode(text).unwrap(), Record::Unknown(serde_json::from_str(text).unwrap()));
    }

    #[test]
    fn a_known_tag_with_a_wrong_body_is_an_error() {
        let error = decode(r#"{"type":"A","address":7}"#).unwrap_err();
        assert!(error.contains("`type` is `A`, but the value does not fit"), "{error}");
    }

    #[test]
    fn values_without_a_string_tag_are_errors() {
        assert!(decode(r#"{"address":"x"}"#).unwrap_err().contains("missing tag `type`"));
        assert!(decode(r#"{"type":1}"#).unwrap_err().contains("not a string"));
        assert!(decode(r#"[1]"#).unwrap_err().contains("found an array"));
    }
}
