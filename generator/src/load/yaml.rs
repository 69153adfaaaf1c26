//! The one place that touches the YAML parser.
//!
//! `serde_yaml` is the crate the project was asked to use; it is deprecated upstream. Keeping it
//! behind this one function means a maintained fork can replace it by editing this file alone.
//!
//! The text is read straight into a JSON value (not through `serde_yaml::Value`, which cannot hold
//! an integer beyond 64 bits): numbers follow the rule a JSON parser applies, so a YAML document and
//! its JSON rendering load the same.
//! - an integer that fits in 64 bits (signed or unsigned) stays an integer;
//! - a larger one (`-9223372036854776000`, a float printed as an integer) becomes the nearest
//!   floating-point number;
//! - `.inf`, `-.inf` and `.nan` have no JSON form and become `null` (a bound written so is dropped).

use std::fmt;

use serde::de::{self, Deserialize, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses YAML text into a JSON value. Mapping keys that are scalars (`200:`, `true:`) become
/// strings, as OpenAPI means them; other keys, and a key written twice in one mapping, are errors.
pub fn to_json(text: &str) -> Result<Value, String> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    let Json(value) = Json::deserialize(deserializer).map_err(|e| e.to_string())?;
    Ok(value)
}

/// A YAML node read as JSON.
struct Json(Value);

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(Json)
    }
}

struct JsonVisitor;

/// A float as JSON: `null` when it has no JSON form (infinite, not a number).
fn float(value: f64) -> Value {
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    /// An empty document.
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), |v| Value::Number(v.into())))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), |v| Value::Number(v.into())))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Json(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(Key(key)) = map.next_key()? {
            let Json(value) = map.next_value()?;
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate mapping key {key:?}")));
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }

    /// A tagged node (`!Tag value`): the tag means nothing to OpenAPI; the value is kept.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (_tag, contents): (de::IgnoredAny, _) = data.variant()?;
        let Json(value) = contents.newtype_variant()?;
        Ok(value)
    }
}

/// A mapping key: any scalar, as the text JSON would use for it.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = match deserializer.deserialize_any(JsonVisitor)? {
            Value::String(s) => s,
            Value::Null => "null".to_owned(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            other => return Err(de::Error::custom(format!("unsupported mapping key {other}"))),
        };
        Ok(Key(key))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn scalar_keys_become_strings() {
        let value = super::to_json("responses:\n  200: ok\n  4XX: bad\n  true: yes\n  ~: nothing\n").unwrap();
        assert_eq!(value["responses"]["200"], "ok");
        assert_eq!(value["responses"]["4XX"], "bad");
        assert_eq!(value["responses"]["true"], "yes");
        assert_eq!(value["responses"]["null"], "nothing");
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let err = super::to_json("a: [1, 2\nb: c").unwrap_err();
        assert!(err.contains("line"), "{err}");
    }

    #[test]
    fn numbers_beyond_64_bits_become_floats_like_json_reads_them() {
        let text = "a: -9223372036854776000\nb: 18446744073709551615\nc: 340282366920938463463374607431768211456\nd: -9223372036854775808\ne: 1.5\n";
        let value = super::to_json(text).unwrap();
        let from_json: serde_json::Value =
            serde_json::from_str(r#"{"a": -9223372036854776000, "b": 18446744073709551615, "c": 340282366920938463463374607431768211456, "d": -9223372036854775808, "e": 1.5}"#)
                .unwrap();
        assert_eq!(value, from_json);
        assert!(value["a"].is_f64() && value["b"].is_u64() && value["d"].is_i64(), "{value}");
    }

    #[test]
    fn non_finite_floats_become_null() {
        let value = super::to_json("a: .inf\nb: -.inf\nc: .nan\n").unwrap();
        assert_eq!(value, json!({"a": null, "b": null, "c": null}));
    }

    #[test]
    fn tags_are_dropped_and_their_value_kept() {
        let value = super::to_json("a: !Custom {b: 1}\nc: !!str 5\n").unwrap();
        assert_eq!(value, json!({"a": {"b": 1}, "c": "5"}));
    }

    #[test]
    fn non_scalar_and_repeated_keys_are_errors() {
        assert!(super::to_json("? [a, b]\n: c\n").unwrap_err().contains("unsupported mapping key"));
        assert!(super::to_json("a: 1\na: 2\n").unwrap_err().contains("duplicate"));
    }
}
