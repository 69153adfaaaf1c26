//! The one place that touches the YAML parser.
//!
//! `serde_yaml` is the crate the project was asked to use; it is deprecated upstream. Keeping it
//! behind this one function means a maintained fork can replace it by editing this file alone.

/// Parses YAML text into a JSON value. Mapping keys that are scalars (`200:`, `true:`) become
/// strings, as OpenAPI means them; other keys are an error.
pub fn to_json(text: &str) -> Result<serde_json::Value, String> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    convert(value)
}

fn convert(value: serde_yaml::Value) -> Result<serde_json::Value, String> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => serde_json::Value::Null,
        Y::Bool(b) => serde_json::Value::Bool(b),
        Y::Number(n) => serde_json::to_value(&n).map_err(|e| e.to_string())?,
        Y::String(s) => serde_json::Value::String(s),
        Y::Sequence(items) => {
            serde_json::Value::Array(items.into_iter().map(convert).collect::<Result<_, _>>()?)
        }
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => return Err(format!("unsupported mapping key {other:?}")),
                };
                out.insert(key, convert(value)?);
            }
            serde_json::Value::Object(out)
        }
        Y::Tagged(tagged) => convert(tagged.value)?,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn scalar_keys_become_strings() {
        let value = super::to_json("responses:\n  200: ok\n  4XX: bad\n").unwrap();
        assert_eq!(value["responses"]["200"], "ok");
        assert_eq!(value["responses"]["4XX"], "bad");
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let err = super::to_json("a: [1, 2\nb: c").unwrap_err();
        assert!(err.contains("line"), "{err}");
    }
}
