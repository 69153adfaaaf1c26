//! Validation and percent-encoding of path parameters.

use std::ops::{RangeFrom, RangeInclusive, RangeToInclusive};

use super::error::Error;

/// Length bounds of a string parameter, counted in characters (Unicode scalar
/// values), as JSON Schema's `minLength` / `maxLength` do.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Length {
    /// The minimum length, if any.
    pub min: Option<u64>,
    /// The maximum length, if any.
    pub max: Option<u64>,
}

impl Length {
    /// No length constraint.
    pub(crate) const ANY: Length = Length {
        min: None,
        max: None,
    };

    /// Exactly `n` characters.
    pub(crate) const fn exactly(n: u64) -> Length {
        Length { min: Some(n), max: Some(n) }
    }

    /// Between `min` and `max` characters, both included.
    pub(crate) const fn between(min: u64, max: u64) -> Length {
        Length { min: Some(min), max: Some(max) }
    }

    /// At least `min` characters.
    pub(crate) const fn at_least(min: u64) -> Length {
        Length { min: Some(min), max: None }
    }

    /// At most `max` characters.
    pub(crate) const fn at_most(max: u64) -> Length {
        Length { min: None, max: Some(max) }
    }
}

/// `..=max`: at most `max` characters.
impl From<RangeToInclusive<u64>> for Length {
    fn from(range: RangeToInclusive<u64>) -> Length {
        Length::at_most(range.end)
    }
}

/// `min..`: at least `min` characters.
impl From<RangeFrom<u64>> for Length {
    fn from(range: RangeFrom<u64>) -> Length {
        Length::at_least(range.start)
    }
}

/// `min..=max`: between `min` and `max` characters, both included (`n..=n`: exactly `n`).
impl From<RangeInclusive<u64>> for Length {
    fn from(range: RangeInclusive<u64>) -> Length {
        Length::between(*range.start(), *range.end())
    }
}

/// Validates a path parameter and percent-encodes it as exactly one path
/// segment.
///
/// Empty values, `.` and `..` are rejected (they would change which resource
/// the path names), as are values outside `length`. Every byte except ASCII
/// alphanumerics and `-._~` is encoded as `%XX`, so the value can never add a
/// path segment, a query or a fragment.
pub(crate) fn path_param(name: &'static str, value: &str, length: Length) -> Result<String, Error> {
    let invalid = |reason: String| Error::InvalidParameter { name, reason };
    if value.is_empty() {
        return Err(invalid("must not be empty".to_owned()));
    }
    if value == "." || value == ".." {
        return Err(invalid(format!("must not be `{value}`")));
    }
    let count = u64::try_from(value.chars().count()).unwrap_or(u64::MAX);
    if let Some(min) = length.min
        && count < min
    {
        return Err(invalid(format!(
            "must be at least {min} characters long (got {count})"
        )));
    }
    if let Some(max) = length.max
        && count > max
    {
        return Err(invalid(format!(
            "must be at most {max} characters long (got {count})"
        )));
    }
    Ok(encode_component(value))
}

/// Percent-encodes every byte of `value` except ASCII alphanumerics and
/// `-._~` (the RFC 3986 unreserved characters), using uppercase hex digits.
pub(super) fn encode_component(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(hex_digit(byte >> 4));
            encoded.push(hex_digit(byte & 0x0F));
        }
    }
    encoded
}

/// The uppercase hex digit of the low four bits of `nibble`.
fn hex_digit(nibble: u8) -> char {
    let nibble = nibble & 0x0F;
    char::from(if nibble < 10 {
        b'0' + nibble
    } else {
        b'A' + (nibble - 10)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(result: Result<String, Error>) -> String {
        match result {
            Err(Error::InvalidParameter { name, reason }) => {
                assert_eq!(name, "p");
                reason
            }
            other => panic!("expected InvalidParameter, got {other:?}"),
        }
    }

    #[test]
    fn encoding_table() {
        let table = [
            ("abcXYZ019", "abcXYZ019"),
            ("a-b.c_d~e", "a-b.c_d~e"),
            ("a/b", "a%2Fb"),
            ("../x", "..%2Fx"),
            ("...", "..."),
            ("a?b=c", "a%3Fb%3Dc"),
            ("a#b", "a%23b"),
            ("100%", "100%25"),
            ("%2F", "%252F"),
            ("a b", "a%20b"),
            ("a+b", "a%2Bb"),
            ("a&b;c", "a%26b%3Bc"),
            ("é", "%C3%A9"),
            ("日本", "%E6%97%A5%E6%9C%AC"),
            ("\r\n\0", "%0D%0A%00"),
            ("@:", "%40%3A"),
        ];
        for (input, expected) in table {
            assert_eq!(
                path_param("p", input, Length::ANY).unwrap(),
                expected,
                "input {input:?}"
            );
        }
    }

    #[test]
    fn rejects_empty_and_dot_segments() {
        assert_eq!(
            reason(path_param("p", "", Length::ANY)),
            "must not be empty"
        );
        assert_eq!(reason(path_param("p", ".", Length::ANY)), "must not be `.`");
        assert_eq!(
            reason(path_param("p", "..", Length::ANY)),
            "must not be `..`"
        );
        // Empty is reported as such even when a minimum length applies.
        let exact = Length {
            min: Some(32),
            max: Some(32),
        };
        assert_eq!(reason(path_param("p", "", exact)), "must not be empty");
    }

    #[test]
    fn length_bounds() {
        let exact = Length {
            min: Some(32),
            max: Some(32),
        };
        assert_eq!(
            reason(path_param("p", "abc", exact)),
            "must be at least 32 characters long (got 3)"
        );
        assert_eq!(
            reason(path_param("p", &"a".repeat(33), exact)),
            "must be at most 32 characters long (got 33)"
        );
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(path_param("p", id, exact).unwrap(), id);
        // Characters, not bytes, are counted.
        let two = Length {
            min: None,
            max: Some(2),
        };
        assert_eq!(path_param("p", "éé", two).unwrap(), "%C3%A9%C3%A9");
        assert_eq!(
            reason(path_param("p", "ééé", two)),
            "must be at most 2 characters long (got 3)"
        );
        assert!(path_param("p", "x", Length::default()).is_ok());
    }
}
