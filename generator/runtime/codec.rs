//! The serde impls of the generated structs and string enums, written as macros here instead of
//! serde's derives. A derived `Deserialize` expands to about 250 lines per struct (a field
//! enum with its own visitor, a sequence visitor, a map visitor), which made most of the
//! compile time of a large API; these read a map by key and nothing else.
//!
//! Decoding is lenient as the derives were configured to be: unknown keys are skipped, a
//! missing or `null` optional field is `None`, and an unknown enum value is kept. Two choices
//! differ from serde's derive: a repeated key keeps its last value instead of failing, and a
//! struct is never read from a JSON array.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// A key of a JSON object, borrowed from the input when it can be (no allocation for keys
/// without escapes).
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }

        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// A required field's value, or serde's "missing field" error.
pub(crate) fn required<T, E: de::Error>(value: Option<T>, wire: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(wire))
}

/// An `Option` field's value: `None` when the key is missing or `null`.
pub(crate) fn optional<T>(value: Option<Option<T>>) -> Option<T> {
    value.flatten()
}

/// A generated struct and its impls: `serde_struct!(received, /// doc #[derive(..)] pub struct
/// Name { /// doc pub field: Type = "wire" kind, .. })` defines the struct as written without the
/// wire keys, then `Deserialize` for `received`, `Serialize` for `sent`, both for `both`, and the
/// other one too with the crate's `serde-all` feature. A field's kind follows its key:
///
/// - none: required; missing fails;
/// - `optional`: an `Option` left out when `None`;
/// - `nullable`: an `Option` the spec requires, sent as `null` when `None`;
/// - `null_as_empty`: a required list or map that reads `null` as empty.
macro_rules! serde_struct {
    ($direction:ident,
        $(#[$attr:meta])*
        $vis:vis struct $name:ident {
            $($(#[$field_attr:meta])* $field_vis:vis $field:ident: $ty:ty = $wire:literal $($kind:ident)?),* $(,)?
        }
    ) => {
        $(#[$attr])*
        $vis struct $name {
            $($(#[$field_attr])* $field_vis $field: $ty,)*
        }
        crate::runtime::serde_struct!(@$direction $name { $($field = $wire $($kind)?),* });
    };
    (@both $name:ident $fields:tt) => {
        crate::runtime::serde_struct!(@de $name $fields);
        crate::runtime::serde_struct!(@ser $name $fields);
    };
    (@received $name:ident $fields:tt) => {
        crate::runtime::serde_struct!(@de $name $fields);
        #[cfg(feature = "serde-all")]
        crate::runtime::serde_struct!(@ser $name $fields);
    };
    (@sent $name:ident $fields:tt) => {
        crate::runtime::serde_struct!(@ser $name $fields);
        #[cfg(feature = "serde-all")]
        crate::runtime::serde_struct!(@de $name $fields);
    };
    (@de $name:ident { $($field:ident = $wire:literal $($kind:ident)?),* $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Fields;

                impl<'de> serde::de::Visitor<'de> for Fields {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("an object (", stringify!($name), ")"))
                    }

                    #[allow(unused_mut)]
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        $(let mut $field = None;)*
                        while let Some(key) = map.next_key::<crate::runtime::Key<'de>>()? {
                            match key.as_str() {
                                $($wire => $field = Some(crate::runtime::serde_struct!(@read map $($kind)?)),)*
                                _ => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok($name { $($field: crate::runtime::serde_struct!(@take $field $wire $($kind)?),)* })
                    }
                }

                deserializer.deserialize_map(Fields)
            }
        }
    };
    (@read $map:ident null_as_empty) => { $map.next_value::<Option<_>>()?.unwrap_or_default() };
    (@read $map:ident $($kind:ident)?) => { $map.next_value()? };
    (@take $field:ident $wire:literal optional) => { crate::runtime::optional($field) };
    (@take $field:ident $wire:literal nullable) => { crate::runtime::optional($field) };
    (@take $field:ident $wire:literal $($kind:ident)?) => { crate::runtime::required($field, $wire)? };
    (@ser $name:ident { $($field:ident = $wire:literal $($kind:ident)?),* $(,)? }) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let len = 0 $(+ crate::runtime::serde_struct!(@count $($kind)?; self.$field))*;
                // A struct without fields writes none (an object schema with no properties).
                #[allow(unused_mut)]
                let mut fields = serializer.serialize_struct(stringify!($name), len)?;
                $(crate::runtime::serde_struct!(@write fields $wire $($kind)?; self.$field);)*
                fields.end()
            }
        }
    };
    (@count optional; $value:expr) => { usize::from($value.is_some()) };
    (@count $($kind:ident)?; $value:expr) => { 1 };
    (@write $fields:ident $wire:literal optional; $value:expr) => {
        match &$value {
            Some(value) => $fields.serialize_field($wire, value)?,
            None => $fields.skip_field($wire)?,
        }
    };
    (@write $fields:ident $wire:literal $($kind:ident)?; $value:expr) => {
        $fields.serialize_field($wire, &$value)?
    };
}
pub(crate) use serde_struct;

/// A generated string enum and its impls (`as_str`, `From<String>`, `Display`, serde both ways):
/// `string_enum!(/// doc pub enum Name { Variant = "wire", .. })` defines the enum with the
/// derives every string enum has, each `Variant` documented by its wire value as code (or by the
/// one doc line written before it, for a value that is no code span), and a last variant, `UnknownValue(String)` (the generator's `UNKNOWN_VARIANT`), that keeps any other
/// value. Serde's derive would buffer every value to try the listed ones and then the unknown
/// one; this reads one string and matches it.
macro_rules! string_enum {
    // A variant's doc: the one given, else its wire value as code.
    (@doc $doc:literal; $wire:literal) => { $doc };
    (@doc ; $wire:literal) => { concat!("`", $wire, "`") };
    (
        $(#[$attr:meta])*
        $vis:vis enum $name:ident { $($(#[doc = $doc:literal])? $variant:ident = $wire:literal),* $(,)? }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $(
                #[doc = crate::runtime::string_enum!(@doc $($doc)?; $wire)]
                $variant,
            )*
            /// A value the spec does not list, kept as received so API additions never break decoding.
            UnknownValue(String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::UnknownValue(value) => value,
                }
            }
        }

        /// The variant whose wire value this is, or `UnknownValue`.
        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $($wire => Self::$variant,)*
                    _ => Self::UnknownValue(value),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}
pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{serde_struct, string_enum};

    string_enum!(
        /// A store's status.
        pub(crate) enum Status {
            Active = "active",
            InProgress = "in-progress",
            /// The empty string.
            Unset = "",
        }
    );

    serde_struct!(both,
        #[derive(Debug, PartialEq)]
        struct Store {
            r#type: String = "type",
            /// Whether the store is paused.
            pub paused: Option<bool> = "paused" optional,
            owner: Option<String> = "owner" nullable,
            name_servers: Vec<String> = "name_servers" null_as_empty,
            labels: BTreeMap<String, Status> = "labels" null_as_empty,
        }
    );

    // An object schema without properties (Box has several): no field to read or write, and no
    // warning in the crate (`--all-targets` checks compile this module's tests too).
    serde_struct!(both,
        #[derive(Debug, PartialEq)]
        struct Nothing {}
    );

    // One direction only, with the derives and attributes the generator passes through.
    serde_struct!(received,
        #[derive(Clone, Debug, Default, PartialEq)]
        #[allow(dead_code)]
        pub(crate) struct Received {
            pub(crate) r#ref: Option<std::collections::HashMap<String, Vec<u8>>> = "$ref" optional,
        }
    );

    serde_struct!(sent,
        #[derive(Debug)]
        struct Sent {
            id: u32 = "id",
        }
    );

    #[test]
    fn a_struct_without_fields_reads_any_object_and_writes_an_empty_one() {
        assert_eq!(serde_json::from_str::<Nothing>(r#"{"a":1,"b":[null]}"#).unwrap(), Nothing {});
        assert_eq!(serde_json::to_string(&Nothing {}).unwrap(), "{}");
        assert!(serde_json::from_str::<Nothing>("[]").is_err());
    }

    #[test]
    fn the_items_are_defined_as_written_with_the_enum_derives_and_unknown_variant() {
        // `Default` and `Clone` come from the derive passed in; `Hash` and `Eq` from `string_enum!`.
        let received = Received::default().clone();
        assert_eq!(received, Received { r#ref: None });
        let statuses = std::collections::HashSet::from([Status::Active, Status::Active, Status::UnknownValue("x".to_owned())]);
        assert_eq!(statuses.len(), 2);
        let value: Received = serde_json::from_str(r#"{"$ref":{"a":[1,2]}}"#).unwrap();
        assert_eq!(value.r#ref.unwrap()["a"], [1, 2]);
        assert_eq!(serde_json::to_string(&Sent { id: 7 }).unwrap(), r#"{"id":7}"#);
        assert_eq!(Status::Unset.as_str(), "");
        assert_eq!(Status::from(String::new()), Status::Unset);
    }

    #[test]
    fn a_string_enum_reads_listed_values_keeps_others_and_writes_them_back() {
        let read: Vec<Status> = serde_json::from_str(r#"["active","in-progress","paused"]"#).unwrap();
        assert_eq!(read, [Status::Active, Status::InProgress, Status::UnknownValue("paused".to_owned())]);
        assert_eq!(serde_json::to_string(&read).unwrap(), r#"["active","in-progress","paused"]"#);
        assert_eq!(Status::InProgress.to_string(), "in-progress");
        assert!(serde_json::from_str::<Status>("1").is_err(), "a number is no enum value");
    }

    #[test]
    fn a_struct_reads_its_keys_skips_unknown_ones_and_tolerates_null_lists() {
        let text = r#"{"x":[1,{"y":2}],"type":"full","name_servers":null,"paused":null,"labels":{"a":"active"},"owner\u0041":1}"#;
        let store: Store = serde_json::from_str(text).unwrap();
        let labels = BTreeMap::from([("a".to_owned(), Status::Active)]);
        assert_eq!(store, Store { r#type: "full".into(), paused: None, owner: None, name_servers: vec![], labels });
        // From a `Value` too (how tagged unions read their members).
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::from_value::<Store>(value).unwrap().r#type, "full");
    }

    #[test]
    fn a_missing_required_field_or_a_wrong_type_fails_and_names_it() {
        let missing = serde_json::from_str::<Store>(r#"{"name_servers":[],"labels":{}}"#).unwrap_err();
        assert!(missing.to_string().contains("missing field `type`"), "{missing}");
        assert!(serde_json::from_str::<Store>(r#"{"type":"a","name_servers":"a","labels":{}}"#).is_err());
        assert!(serde_json::from_str::<Store>(r#"["a",null,null,[],{}]"#).is_err(), "never from an array");
    }

    #[test]
    fn a_struct_writes_optional_fields_only_when_set_and_nullable_ones_always() {
        let store = Store { r#type: "full".into(), paused: None, owner: None, name_servers: vec!["ns".into()], labels: BTreeMap::new() };
        let text = serde_json::to_string(&store).unwrap();
        assert_eq!(text, r#"{"type":"full","owner":null,"name_servers":["ns"],"labels":{}}"#);
        let store = Store { paused: Some(true), ..store };
        assert!(serde_json::to_string(&store).unwrap().contains(r#""paused":true"#));
    }
}
