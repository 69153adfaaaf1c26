//! The spec document as written (raw JSON): `$ref`s followed, an operation's parameters found.
//! The lowering reads it where the typed document has lost what it needs; the test material
//! reads it too.

use serde_json::Value;

use crate::pointer::Pointer;

/// Longer chains of `$ref`s than this are not followed to their end (a backstop against cycles).
const MAX_REF_CHAIN: usize = 64;


/// The parameters the document declares for the operation `method` (lower case) of `path`, their
/// `$ref`s followed: the operation's first (they override the path item's of the same name), then
/// the path item's.
pub(crate) fn declared_parameters<'v>(raw: &'v Value, path: &str, method: &str) -> Vec<&'v Value> {
    let item_at = Pointer::from_tokens(["paths", path]);
    let op_at = item_at.push(method);
    [op_at, item_at]
        .iter()
        .filter_map(|at| at.push("parameters").find(raw).and_then(Value::as_array))
        .flatten()
        .map(|p| follow(raw, p))
        .collect()
}

/// The parameter of `declared` named `name` in `location` (`path`, `query`, `header`).
pub(crate) fn find_parameter<'v>(declared: &[&'v Value], name: &str, location: &str) -> Option<&'v Value> {
    declared.iter().copied().find(|p| p.get("name").and_then(Value::as_str) == Some(name) && p.get("in").and_then(Value::as_str) == Some(location))
}


/// Follows local `$ref`s to the node they name (the node itself when it is none, or the ref
/// cannot be followed).
pub(crate) fn follow<'a>(document: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..MAX_REF_CHAIN {
        let pointer = node.get("$ref").and_then(Value::as_str).and_then(|r| Pointer::from_ref(r).ok());
        let target = pointer.and_then(|p| p.find(document));
        match target {
            Some(target) => node = target,
            None => break,
        }
    }
    node
}
