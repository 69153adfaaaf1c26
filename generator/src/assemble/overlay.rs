//! OpenAPI Overlay 1.0 documents in a spec directory's `local/` folder.
//!
//! ```yaml
//! overlay: 1.0.0
//! info: { title: Local fixes, version: 1.0.0 }
//! actions:
//!   - target: $.paths['/zones/{zone_id}/dns_records'].get
//!     update: { description: Lists the zone's records. }
//!   - target: $.components.schemas.dns-records_ttl.example
//!     remove: true
//! ```
//!
//! Targets are a subset of JSONPath: `$`, then `.name`, `['name']` (or `["name"]`), `[N]`, and
//! the wildcards `.*` / `[*]`; filters are not supported. `update` merges into each node the
//! target selects: mappings recursively, any other value replaced, and an update aimed at a list
//! is appended to it (as the Overlay specification says). `remove: true` deletes each selected
//! node. An action whose target selects nothing is reported as a warning, so a newer upstream that
//! moved the node does not go unnoticed.

use std::path::Path;

use serde_json::{Map, Value};

use super::SourceMap;
use crate::error::{Error, SpecError};
use crate::pointer::Pointer;
use crate::report::{Reason, Report};


/// One step of a target path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A member of a mapping.
    Member(String),
    /// An item of a list.
    Index(usize),
    /// Every member or item.
    Wildcard,
}

/// Parses a target (`$.paths['/x'].get`) into steps.
pub fn parse_target(target: &str) -> Result<Vec<Step>, String> {
    let rest = target.strip_prefix('$').ok_or("a target starts with `$`")?;
    let chars: Vec<char> = rest.chars().collect();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '.' => {
                let start = i + 1;
                i = start;
                while i < chars.len() && chars[i] != '.' && chars[i] != '[' {
                    i += 1;
                }
                let name: String = chars[start..i].iter().collect();
                match name.as_str() {
                    "" => return Err(format!("an empty name at character {start} (`..` is not supported)")),
                    _ if name.contains(|c: char| c.is_whitespace() || matches!(c, ']' | '\'' | '"')) => {
                        return Err(format!("`{name}` needs quoting: write ['{name}']"));
                    }
                    "*" => steps.push(Step::Wildcard),
                    _ => steps.push(Step::Member(name)),
                }
            }
            '[' => {
                let (step, end) = bracket(&chars, i + 1)?;
                steps.push(step);
                i = end;
            }
            other => return Err(format!("unexpected `{other}` at character {}", i + 1)),
        }
    }
    Ok(steps)
}

/// Parses the inside of `[...]` starting at `start`; returns the step and the index after `]`.
fn bracket(chars: &[char], start: usize) -> Result<(Step, usize), String> {
    let unclosed = || format!("`[` at character {start} is not closed");
    match chars.get(start) {
        Some(&quote) if quote == '\'' || quote == '"' => {
            let mut name = String::new();
            let mut i = start + 1;
            loop {
                match chars.get(i) {
                    None => return Err(unclosed()),
                    Some('\\') => {
                        name.push(*chars.get(i + 1).ok_or_else(unclosed)?);
                        i += 2;
                    }
                    Some(&c) if c == quote => break,
                    Some(&c) => {
                        name.push(c);
                        i += 1;
                    }
                }
            }
            match chars.get(i + 1) {
                Some(']') => Ok((Step::Member(name), i + 2)),
                _ => Err(unclosed()),
            }
        }
        _ => {
            let end = (start..chars.len()).find(|&i| chars[i] == ']').ok_or_else(unclosed)?;
            let inside: String = chars[start..end].iter().collect();
            let step = match inside.trim() {
                "*" => Step::Wildcard,
                number => Step::Index(number.parse().map_err(|_| {
                    format!("`[{inside}]` is not supported: use a quoted name, an index or `*` (filters are not supported)")
                })?),
            };
            Ok((step, end + 1))
        }
    }
}

/// The JSON pointers (as token lists) of the nodes `steps` selects in `root`, in document order.
pub fn select(root: &Value, steps: &[Step]) -> Vec<Vec<String>> {
    let mut current: Vec<(&Value, Vec<String>)> = vec![(root, Vec::new())];
    for step in steps {
        let mut next = Vec::new();
        for (node, tokens) in current {
            let with = |token: String| {
                let mut tokens = tokens.clone();
                tokens.push(token);
                tokens
            };
            match (step, node) {
                (Step::Member(name), Value::Object(map)) => {
                    if let Some(child) = map.get(name) {
                        next.push((child, with(name.clone())));
                    }
                }
                (Step::Index(index), Value::Array(items)) => {
                    if let Some(child) = items.get(*index) {
                        next.push((child, with(index.to_string())));
                    }
                }
                (Step::Wildcard, Value::Object(map)) => next.extend(map.iter().map(|(k, v)| (v, with(k.clone())))),
                (Step::Wildcard, Value::Array(items)) => {
                    next.extend(items.iter().enumerate().map(|(i, v)| (v, with(i.to_string()))));
                }
                _ => {}
            }
        }
        current = next;
    }
    current.into_iter().map(|(_, tokens)| tokens).collect()
}

fn node_mut<'v>(root: &'v mut Value, tokens: &[String]) -> Option<&'v mut Value> {
    tokens.iter().try_fold(root, |node, token| match node {
        Value::Object(map) => map.get_mut(token),
        Value::Array(items) => items.get_mut(token.parse::<usize>().ok()?),
        _ => None,
    })
}

/// Merges `update` into `target`: mappings member by member (recursively), a list gets `update`
/// appended, anything else is replaced.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (key, value) in update {
                match target.get_mut(key) {
                    Some(existing @ Value::Object(_)) if value.is_object() => merge(existing, value),
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(items), update) => items.push(update.clone()),
        (target, update) => *target = update.clone(),
    }
}

/// Applies the overlay document `overlay` (read from `file`) to `doc`.
pub fn apply(
    doc: &mut Map<String, Value>,
    overlay: &Value,
    file: &Path,
    sources: &mut SourceMap,
    report: &mut Report,
) -> Result<(), Error> {
    let invalid = |key: &str, message: String| SpecError::invalid(Pointer::from_tokens([key]), message).in_file(file);
    match overlay.get("overlay") {
        Some(Value::String(version)) if version.starts_with("1.") => {}
        Some(Value::String(version)) => {
            return Err(SpecError::unsupported(Pointer::from_tokens(["overlay"]), format!("Overlay version {version} is not supported; 1.x is")).in_file(file));
        }
        _ => return Err(invalid("overlay", "`overlay` must be a version string such as 1.0.0".to_owned())),
    }
    let Some(Value::Array(actions)) = overlay.get("actions") else {
        return Err(invalid("actions", "an overlay needs a list of `actions`".to_owned()));
    };
    let mut root = Value::Object(std::mem::take(doc));
    let result = actions.iter().enumerate().try_for_each(|(i, action)| {
        let at = Pointer::from_tokens(["actions", &i.to_string()]);
        apply_action(&mut root, action, &at, file, sources, report)
    });
    if let Value::Object(map) = root {
        *doc = map;
    }
    result
}

fn apply_action(
    root: &mut Value,
    action: &Value,
    at: &Pointer,
    file: &Path,
    sources: &mut SourceMap,
    report: &mut Report,
) -> Result<(), Error> {
    let invalid = |pointer: &Pointer, message: &str| SpecError::invalid(pointer, message).in_file(file);
    let target_at = at.push("target");
    let Some(Value::String(target)) = action.get("target") else {
        return Err(invalid(&target_at, "an action needs a `target` string"));
    };
    let steps = parse_target(target).map_err(|message| SpecError::unsupported(&target_at, message).in_file(file))?;
    let remove = match action.get("remove") {
        None | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => true,
        Some(_) => return Err(invalid(&at.push("remove"), "`remove` must be true or false")),
    };
    let update = action.get("update");
    match (remove, update) {
        (true, Some(_)) => return Err(invalid(at, "an action either updates or removes, not both")),
        (false, None) => return Err(invalid(at, "an action needs `update` or `remove: true`")),
        (true, None) if steps.is_empty() => return Err(invalid(&target_at, "the whole document cannot be removed")),
        _ => {}
    }
    let selected = select(root, &steps);
    if selected.is_empty() {
        report.push_in(file, Reason::OverlayUnmatched, target_at, Some(target.clone()));
        return Ok(());
    }
    // Last first, so removing a list item does not shift the ones still to be removed.
    for tokens in selected.iter().rev() {
        match update {
            Some(update) => {
                let Some(node) = node_mut(root, tokens) else { continue };
                let base = Pointer::from_tokens(tokens);
                let changed: Vec<Pointer> = match (&*node, update) {
                    (Value::Object(_), Value::Object(members)) => members.keys().map(|k| base.push(k)).collect(),
                    (Value::Array(items), _) => vec![base.push(&items.len().to_string())],
                    _ => vec![base],
                };
                merge(node, update);
                for changed in changed {
                    sources.insert(changed, file);
                }
            }
            None => {
                // The root itself is never removed (refused above).
                let Some((last, parent_tokens)) = tokens.split_last() else { continue };
                match node_mut(root, parent_tokens) {
                    Some(Value::Object(map)) => {
                        map.shift_remove(last);
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(index) = last.parse::<usize>() {
                            items.remove(index);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let listed: Vec<String> = selected.iter().take(3).map(|t| Pointer::from_tokens(t).to_string()).collect();
    let more = if selected.len() > 3 { format!(" and {} more", selected.len() - 3) } else { String::new() };
    let reason = if update.is_some() { Reason::OverlayUpdated } else { Reason::OverlayRemoved };
    report.push_in(file, reason, at, Some(format!("{}{more}", listed.join(", "))));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn targets_parse_into_steps() {
        let member = |s: &str| Step::Member(s.to_owned());
        assert_eq!(
            parse_target("$.paths['/zones/{id}'].get").unwrap(),
            vec![member("paths"), member("/zones/{id}"), member("get")]
        );
        assert_eq!(parse_target("$[\"a.b\"][2].*").unwrap(), vec![member("a.b"), Step::Index(2), Step::Wildcard]);
        assert_eq!(parse_target("$['it\\'s']").unwrap(), vec![member("it's")]);
        assert_eq!(parse_target("$").unwrap(), vec![]);
        for bad in ["paths", "$..x", "$[?(@.a)]", "$['open", "$.a]", "$.a b"] {
            assert!(parse_target(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn select_walks_members_indexes_and_wildcards() {
        let doc = json!({"a": {"x": [1, 2], "y": [3]}});
        let steps = parse_target("$.a.*[0]").unwrap();
        assert_eq!(select(&doc, &steps), vec![vec!["a", "x", "0"], vec!["a", "y", "0"]]);
        assert!(select(&doc, &parse_target("$.b").unwrap()).is_empty());
    }

    #[test]
    fn merge_recurses_into_mappings_appends_to_lists_and_replaces_the_rest() {
        let mut target = json!({"a": {"b": 1, "c": 2}, "l": [1], "s": "x"});
        merge(&mut target, &json!({"a": {"b": 9}, "l": [2], "s": {"now": "object"}}));
        assert_eq!(target, json!({"a": {"b": 9, "c": 2}, "l": [2], "s": {"now": "object"}}));
        let mut list = json!([1]);
        merge(&mut list, &json!({"x": 1}));
        assert_eq!(list, json!([1, {"x": 1}]));
    }
}
