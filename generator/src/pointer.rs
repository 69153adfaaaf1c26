//! JSON pointers (RFC 6901): where a node is in the spec, as errors, notes and docs name it.
//!
//! A [`Pointer`] keeps its escaped form (`/paths/~1zones/get`), so printing it, comparing it and
//! looking it up in a map cost nothing, and a child is one allocation its parent's length long,
//! however deep. What a pointer means in an OpenAPI document (which component it is in) is read
//! here, from its tokens, not by splitting strings where it is used.

use std::borrow::Cow;
use std::fmt;

/// A JSON pointer, in its escaped form: empty for the whole document, else `/`-separated
/// reference tokens in which `~` is written `~0` and `/` is written `~1`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

/// Why a text is not a JSON pointer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PointerError {
    /// Neither empty nor starting with `/`.
    #[error("`{0}` is not a JSON pointer: it must be empty or start with `/`")]
    NoLeadingSlash(String),
    /// A `~` not followed by `0` or `1`.
    #[error("`{0}` is not a JSON pointer: `~` must be followed by `0` or `1`")]
    BadEscape(String),
    /// A `$ref` to another document.
    #[error("external $ref `{0}`: only references within the document are supported")]
    External(String),
    /// A `$ref` whose fragment is not a pointer (a named anchor).
    #[error("$ref `{0}` is not a JSON pointer (`#/...`); anchors are not supported")]
    NotPointerFragment(String),
}

impl Pointer {
    /// The pointer to the whole document (the empty string).
    pub fn root() -> Pointer {
        Pointer(String::new())
    }

    /// The pointer to each of `tokens` in turn from the root (tokens as they are, unescaped).
    pub fn from_tokens<T: AsRef<str>>(tokens: impl IntoIterator<Item = T>) -> Pointer {
        Pointer::root().join(tokens)
    }

    /// Reads an escaped pointer, as [`Pointer::as_str`] writes it.
    pub fn parse(text: &str) -> Result<Pointer, PointerError> {
        if !text.is_empty() && !text.starts_with('/') {
            return Err(PointerError::NoLeadingSlash(text.to_owned()));
        }
        if text.match_indices('~').any(|(i, _)| !matches!(text.as_bytes().get(i + 1), Some(b'0' | b'1'))) {
            return Err(PointerError::BadEscape(text.to_owned()));
        }
        Ok(Pointer(text.to_owned()))
    }

    /// The pointer a local `$ref` (`#/components/schemas/Foo`) stands for.
    ///
    /// The fragment is a URI fragment, so `%XX` escapes are decoded first (when they decode to
    /// UTF-8), then `~1` and `~0` as RFC 6901 says; a `~` that escapes nothing is kept as
    /// written. The result is canonical (every token escaped), whatever escapes the `$ref` used.
    pub fn from_ref(reference: &str) -> Result<Pointer, PointerError> {
        let Some(fragment) = reference.strip_prefix('#') else {
            return Err(PointerError::External(reference.to_owned()));
        };
        let fragment = percent_decode(fragment);
        if fragment.is_empty() {
            return Ok(Pointer::root());
        }
        let Some(written) = fragment.strip_prefix('/') else {
            return Err(PointerError::NotPointerFragment(reference.to_owned()));
        };
        // Without a `~`, every token is written as it is: the fragment is already canonical.
        if !written.contains('~') {
            return Ok(Pointer(fragment.into_owned()));
        }
        Ok(Pointer::from_tokens(written.split('/').map(unescape)))
    }

    /// The escaped form: `/paths/~1zones/get`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The pointer to the child `token` (as it is, unescaped) of this node.
    pub fn push(&self, token: &str) -> Pointer {
        // One allocation: this runs for every node of the document.
        let mut child = Pointer(String::with_capacity(self.0.len() + token.len() + 1));
        child.0.push_str(&self.0);
        child.append(token);
        child
    }

    /// The pointer to the descendant reached by `tokens` (as they are, unescaped), in order.
    pub fn join<T: AsRef<str>>(&self, tokens: impl IntoIterator<Item = T>) -> Pointer {
        let mut out = self.clone();
        for token in tokens {
            out.append(token.as_ref());
        }
        out
    }

    fn append(&mut self, token: &str) {
        self.0.push('/');
        if !token.contains(['/', '~']) {
            self.0.push_str(token);
            return;
        }
        for (i, part) in token.split('/').enumerate() {
            if i > 0 {
                self.0.push_str("~1");
            }
            for (j, piece) in part.split('~').enumerate() {
                if j > 0 {
                    self.0.push_str("~0");
                }
                self.0.push_str(piece);
            }
        }
    }

    /// The reference tokens, unescaped (`~1` is `/`, `~0` is `~`): none for the root.
    pub fn tokens(&self) -> impl DoubleEndedIterator<Item = Cow<'_, str>> {
        self.0.get(1..).into_iter().flat_map(|rest| rest.split('/')).map(unescape)
    }

    /// The node of `document` this points at, if there is one: as `serde_json::Value::pointer`
    /// finds it, without copying the tokens that need no unescaping.
    pub fn find<'v>(&self, document: &'v serde_json::Value) -> Option<&'v serde_json::Value> {
        self.tokens().try_fold(document, |node, token| match node {
            serde_json::Value::Object(map) => map.get(token.as_ref()),
            serde_json::Value::Array(items) => items.get(array_index(&token)?),
            _ => None,
        })
    }

    /// [`Pointer::find`], for changing the node.
    pub fn find_mut<'v>(&self, document: &'v mut serde_json::Value) -> Option<&'v mut serde_json::Value> {
        self.tokens().try_fold(document, |node, token| match node {
            serde_json::Value::Object(map) => map.get_mut(token.as_ref()),
            serde_json::Value::Array(items) => items.get_mut(array_index(&token)?),
            _ => None,
        })
    }

    /// The pointer made of the first `depth` tokens (the whole pointer when it has fewer):
    /// `prefix(3)` of an operation's schema is the operation, `/paths/<path>/<method>`.
    pub fn prefix(&self, depth: usize) -> Pointer {
        match self.0.match_indices('/').nth(depth) {
            Some((end, _)) => Pointer(self.0[..end].to_owned()),
            None => self.clone(),
        }
    }

    /// The pointer to the node that holds this one; `None` for the root.
    pub fn parent(&self) -> Option<Pointer> {
        self.0.rfind('/').map(|end| Pointer(self.0[..end].to_owned()))
    }

    /// This pointer, its parent, and so on up to the root.
    pub fn ancestors(&self) -> impl Iterator<Item = Pointer> {
        std::iter::successors(Some(self.clone()), Pointer::parent)
    }

    /// Whether this is `ancestor` or a node below it.
    pub fn starts_with(&self, ancestor: &Pointer) -> bool {
        self.below(ancestor).is_some()
    }

    /// This pointer with its ancestor `from` replaced by `to`, when it is `from` or below it:
    /// where a node is once the subtree at `from` has moved to `to`.
    pub fn moved(&self, from: &Pointer, to: &Pointer) -> Option<Pointer> {
        let rest = self.below(from)?;
        Some(Pointer(format!("{}{rest}", to.0)))
    }

    /// The escaped tokens below `ancestor` (with their leading `/`), when this is within it.
    fn below(&self, ancestor: &Pointer) -> Option<&str> {
        self.0.strip_prefix(&ancestor.0).filter(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    /// The section and the name of the component this points at or into:
    /// `("schemas", "Pet")` for `/components/schemas/Pet` and `/components/schemas/Pet/properties/id`.
    pub fn component(&self) -> Option<(Cow<'_, str>, Cow<'_, str>)> {
        let (section, rest) = self.0.strip_prefix("/components/")?.split_once('/')?;
        let name = rest.split('/').next().unwrap_or(rest);
        Some((unescape(section), unescape(name)))
    }

    /// The name of the component of `section` (`schemas`, `parameters`, ...) this points at
    /// itself, not into: `Pet` for `/components/schemas/Pet` and `schemas`.
    pub fn component_name(&self, section: &str) -> Option<Cow<'_, str>> {
        let (in_section, name) = self.0.strip_prefix("/components/")?.split_once('/')?;
        (!name.contains('/') && unescape(in_section) == section).then(|| unescape(name))
    }
}

/// The escaped form, as it follows the `#` of a `$ref` or of an error's `file#pointer`.
impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Compares with the escaped form (`pointer == "/paths/~1zones/get"`).
impl PartialEq<str> for Pointer {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

/// Compares with the escaped form (`pointer == "/paths/~1zones/get"`).
impl PartialEq<&str> for Pointer {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// A copy, for the constructors of errors and notes that take `impl Into<Pointer>`.
impl From<&Pointer> for Pointer {
    fn from(pointer: &Pointer) -> Pointer {
        pointer.clone()
    }
}

/// A token as an index into a list: decimal digits without a leading zero (RFC 6901).
fn array_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() > 1) {
        return None;
    }
    token.parse().ok()
}

/// One reference token as the text it stands for (`~1` is `/`, `~0` is `~`).
/// In one pass, as replacing `~1` and then `~0` would: a `~` that escapes nothing is kept.
fn unescape(escaped: &str) -> Cow<'_, str> {
    if !escaped.contains('~') {
        return Cow::Borrowed(escaped);
    }
    let mut out = String::with_capacity(escaped.len());
    let mut rest = escaped;
    while let Some(at) = rest.find('~') {
        out.push_str(&rest[..at]);
        let (text, skip) = match rest.as_bytes().get(at + 1) {
            Some(b'1') => ('/', 2),
            Some(b'0') => ('~', 2),
            _ => ('~', 1),
        };
        out.push(text);
        rest = &rest[at + skip..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `%XX` escapes decoded, when the result is UTF-8; else the text as written.
fn percent_decode(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_or(Cow::Borrowed(text), Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::{Pointer, PointerError};

    fn tokens(pointer: &Pointer) -> Vec<String> {
        pointer.tokens().map(|t| t.into_owned()).collect()
    }

    #[test]
    fn tokens_escape_tilde_then_slash() {
        let paths = Pointer::root().push("paths");
        assert_eq!(paths.as_str(), "/paths");
        assert_eq!(paths.push("/zones/{id}").as_str(), "/paths/~1zones~1{id}");
        assert_eq!(paths.push("x~/y~1").as_str(), "/paths/x~0~1y~01");
        assert_eq!(paths.push("").as_str(), "/paths/");
        assert_eq!(tokens(&paths.push("x~/y~1")), ["paths", "x~/y~1"]);
        assert_eq!(tokens(&Pointer::parse("/a~01/b~10").unwrap()), ["a~1", "b/0"]);
    }

    #[test]
    fn nodes_are_found_as_serde_json_finds_them() {
        let mut document = serde_json::json!({"paths": {"/zones/{id}": {"get": [1, {"a~b": 2}]}}, "": {"0": 3}, "l": [4, 5]});
        for text in ["", "/paths", "/paths/~1zones~1{id}/get/1/a~0b", "/paths/~1zones~1{id}/get/0", "//0", "/l/1", "/l/01", "/l/+1", "/l/2", "/l/x", "/paths/x", "/l/0/y"] {
            let pointer = Pointer::parse(text).unwrap();
            assert_eq!(pointer.find(&document), document.pointer(text), "{text}");
            let expected = document.clone().pointer_mut(text).map(|v| v.clone());
            assert_eq!(pointer.find_mut(&mut document).map(|v| v.clone()), expected, "{text}");
        }
        *Pointer::parse("/l/0").unwrap().find_mut(&mut document).unwrap() = serde_json::json!(6);
        assert_eq!(document["l"][0], 6);
    }

    #[test]
    fn tokens_unescape_as_two_replacements_would() {
        for token in ["a~1b", "~01", "~~1", "~~01", "~", "a~", "~2~1~0", "~10", "plain", ""] {
            assert_eq!(super::unescape(token), token.replace("~1", "/").replace("~0", "~"), "{token}");
        }
    }

    #[test]
    fn refs_without_escapes_read_as_written() {
        for reference in ["#/components/schemas/Pet", "#/", "#/a//b", "#/a%20b/c", "#/a~1b/c~0", "#/a~2/b"] {
            let fragment = super::percent_decode(&reference[1..]).into_owned();
            let slow = Pointer::from_tokens(fragment[1..].split('/').map(super::unescape));
            assert_eq!(Pointer::from_ref(reference).unwrap(), slow, "{reference}");
        }
    }

    #[test]
    fn the_root_has_no_tokens() {
        assert_eq!(Pointer::root().as_str(), "");
        assert_eq!(Pointer::root().tokens().count(), 0);
        assert_eq!(tokens(&Pointer::root().push("")), [""]);
        assert_eq!(Pointer::from_tokens(["a", "b/c"]), Pointer::root().push("a").push("b/c"));
    }

    #[test]
    fn parsing_reads_what_display_writes() {
        for text in ["", "/", "/paths/~1zones~1{id}/get", "/a~0b/~1/", "//x"] {
            let pointer = Pointer::parse(text).unwrap();
            assert_eq!(pointer.to_string(), text);
            assert_eq!(Pointer::from_tokens(pointer.tokens()), pointer);
        }
        assert_eq!(Pointer::parse("paths"), Err(PointerError::NoLeadingSlash("paths".to_owned())));
        assert_eq!(Pointer::parse("/a~2"), Err(PointerError::BadEscape("/a~2".to_owned())));
        assert!(Pointer::parse("/a~").is_err());
    }

    #[test]
    fn prefixes_and_ancestors_go_by_tokens() {
        let schema = Pointer::parse("/paths/~1a/get/responses/200").unwrap();
        assert_eq!(schema.prefix(3).as_str(), "/paths/~1a/get");
        assert_eq!(schema.prefix(9), schema);
        assert_eq!(schema.prefix(0), Pointer::root());
        assert_eq!(schema.parent().unwrap().as_str(), "/paths/~1a/get/responses");
        assert_eq!(Pointer::root().push("a").parent(), Some(Pointer::root()));
        assert_eq!(Pointer::root().parent(), None);
        let ancestors: Vec<String> = schema.prefix(2).ancestors().map(|p| p.to_string()).collect();
        assert_eq!(ancestors, ["/paths/~1a", "/paths", ""]);
        assert!(schema.starts_with(&schema.prefix(3)));
        assert!(schema.starts_with(&Pointer::root()));
        assert!(!schema.starts_with(&Pointer::parse("/paths/~1a/ge").unwrap()));
        let to = Pointer::parse("/components/pathItems/A").unwrap();
        assert_eq!(schema.moved(&schema.prefix(2), &to).unwrap().as_str(), "/components/pathItems/A/get/responses/200");
        assert_eq!(schema.moved(&schema, &to), Some(to.clone()));
        assert_eq!(schema.moved(&to, &schema), None);
    }

    #[test]
    fn components_are_named_by_section() {
        let pet = Pointer::from_ref("#/components/schemas/a~1b").unwrap();
        assert_eq!(pet.component_name("schemas").as_deref(), Some("a/b"));
        assert_eq!(pet.component_name("parameters"), None);
        let inside = pet.push("properties").push("id");
        assert_eq!(inside.component_name("schemas"), None);
        assert_eq!(inside.component().map(|(s, n)| (s.into_owned(), n.into_owned())), Some(("schemas".to_owned(), "a/b".to_owned())));
        assert_eq!(Pointer::parse("/components/schemas").unwrap().component(), None);
        assert_eq!(Pointer::parse("/paths/~1a").unwrap().component(), None);
        assert_eq!(Pointer::parse("/components/schemas/").unwrap().component_name("schemas").as_deref(), Some(""));
        assert_eq!(Pointer::parse("/components/a~1b/X").unwrap().component_name("a/b").as_deref(), Some("X"));
        assert_eq!(Pointer::parse("/components").unwrap().component(), None);
    }

    #[test]
    fn references_are_uri_fragments_holding_json_pointers() {
        let read = |reference: &str| Pointer::from_ref(reference).map(|p| p.to_string());
        assert_eq!(read("#/components/schemas/Foo%20Bar").unwrap(), "/components/schemas/Foo Bar");
        assert_eq!(read("#/paths/~1pets~1{id}/get").unwrap(), "/paths/~1pets~1{id}/get");
        assert_eq!(tokens(&Pointer::from_ref("#/a~1b~0c").unwrap()), ["a/b~c"]);
        assert_eq!(read("#").unwrap(), "");
        assert_eq!(read("other.yaml#/x"), Err(PointerError::External("other.yaml#/x".to_owned())));
        assert_eq!(read("#anchor").unwrap_err().to_string(), "$ref `#anchor` is not a JSON pointer (`#/...`); anchors are not supported");
        // Not a valid escape, or not UTF-8 once decoded: kept as written.
        assert_eq!(read("#/a/100%").unwrap(), "/a/100%");
        assert_eq!(read("#/a/%ff").unwrap(), "/a/%ff");
        assert_eq!(read("#/a~2").unwrap(), "/a~02");
    }
}
