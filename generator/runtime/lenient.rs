//! Decoding that tolerates what the API sends against its own schema, within reason: a `null`
//! where the schema requires a list or a map reads as an empty one. (A missing or `null`
//! optional field needs nothing here: serde reads both as `None`. Unknown keys and enum values
//! are the generated types' own serde impls' business: `codec.rs`.)
#![allow(dead_code)]

use serde::{Deserialize, Deserializer};

/// `#[serde(deserialize_with)]` of a required list or map field: `null` is the empty value.
pub(crate) fn null_as_empty<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(deserializer: D) -> Result<T, D::Error> {
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    #[derive(Debug, serde::Deserialize)]
    struct Store {
        #[serde(deserialize_with = "super::null_as_empty")]
        name_servers: Vec<String>,
        #[serde(deserialize_with = "super::null_as_empty")]
        labels: BTreeMap<String, String>,
    }

    #[test]
    fn null_reads_as_empty_and_values_read_as_themselves() {
        let store: Store = serde_json::from_str(r#"{"name_servers":null,"labels":null}"#).unwrap();
        assert!(store.name_servers.is_empty() && store.labels.is_empty());
        let store: Store = serde_json::from_str(r#"{"name_servers":["a"],"labels":{"k":"v"}}"#).unwrap();
        assert_eq!((store.name_servers, store.labels.len()), (vec!["a".to_owned()], 1));
    }

    #[test]
    fn a_missing_required_field_and_a_wrong_type_still_fail() {
        assert!(serde_json::from_str::<Store>(r#"{"labels":{}}"#).is_err());
        assert!(serde_json::from_str::<Store>(r#"{"name_servers":"a","labels":{}}"#).is_err());
    }
}
