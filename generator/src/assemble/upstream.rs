//! Splitting an upstream schema into the files of a spec directory's `upstream/` folder.
//!
//! ```text
//! upstream/info.json           every top-level member but `paths` and `components`
//! upstream/paths/AREA.json     the path items of one product area
//! upstream/schemas/GROUP.json  the schemas whose names share a prefix
//! upstream/components.json     every other components section (parameters, responses, ...)
//! ```
//!
//! A path's area is its first literal segment after the scope: `/accounts/{account_id}`,
//! `/zones/{zone_id}`, `/organizations/{organization_id}` and `/user` are scopes, so
//! `/zones/{zone_id}/dns_records/{id}` is in `dns_records` and `/radar/bgp/top/ases` in `radar`; a
//! path that is only a scope (`/accounts/{account_id}`, `/user`) is in the scope's own area. A
//! schema's group is its name up to the first `_` (`iam_account_identifier` is in `iam`), or
//! `_ungrouped` for a name without one. File names are lowercased, with any character other than
//! letters, digits, `-` and `_` replaced by `_`; names that meet in one file share it.
//!
//! Keys are sorted at every level and the JSON is pretty-printed, so importing a newer schema
//! gives a diff that shows only what changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{UPSTREAM_DIR, documents_under, read_document};
use crate::error::{Error, SpecError};
use crate::pointer::Pointer;
use crate::profile::Profile;

/// The conventions the files are split by: Cloudflare's scopes (with `/user`, its scope without
/// an id) and its component name prefixes.
const SPLIT_BY: Profile = Profile::cloudflare();

/// The file for schemas whose name has no `_`.
const UNGROUPED: &str = "_ungrouped";

/// The product area of `path` (see the module documentation).
pub fn path_area(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_template = |s: &str| s.starts_with('{');
    let mut rest = &segments[..];
    if let Some((first, after)) = rest.split_first() {
        if SPLIT_BY.scopes.contains(first) || SPLIT_BY.bare_scopes.contains(first) {
            rest = match after.split_first() {
                Some((id, after_id)) if is_template(id) => after_id,
                _ => after,
            };
        }
    }
    let area = rest.iter().find(|s| !is_template(s)).or(segments.first()).copied().unwrap_or("root");
    file_stem(area)
}

/// The group of the schema called `name` (see the module documentation).
pub fn schema_group(name: &str) -> String {
    SPLIT_BY.component_prefix(name).map_or_else(|| UNGROUPED.to_owned(), |(prefix, _)| file_stem(prefix))
}

/// `name` as a portable file name stem (no case-only differences, no separators or dots).
fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_ascii_lowercase() } else { '_' })
        .collect()
}

/// The files `doc` splits into: path relative to `upstream/` -> pretty JSON text. Fails with a
/// (pointer, message) if `paths` or a components section is not a mapping.
pub fn split(doc: &Value) -> Result<BTreeMap<PathBuf, String>, (Pointer, String)> {
    let mut doc = doc.clone();
    doc.sort_all_objects();
    let Value::Object(top) = doc else {
        return Err((Pointer::root(), "the document is not a mapping".to_owned()));
    };
    // File -> the partial document it holds.
    let mut files: BTreeMap<PathBuf, Map<String, Value>> = BTreeMap::new();
    let mut add = |file: PathBuf, keys: &[&str], name: String, node: Value| {
        let parent = super::slot(files.entry(file).or_default(), keys);
        parent.insert(name, node);
    };
    let not_mapping = |pointer: Pointer| (pointer, "expected a mapping".to_owned());
    for (key, value) in top {
        match key.as_str() {
            "paths" => {
                let Value::Object(paths) = value else { return Err(not_mapping(Pointer::from_tokens(["paths"]))) };
                if paths.is_empty() {
                    add(PathBuf::from("info.json"), &[], key, Value::Object(paths));
                    continue;
                }
                for (path, item) in paths {
                    add(Path::new("paths").join(format!("{}.json", path_area(&path))), &["paths"], path, item);
                }
            }
            "components" => {
                let Value::Object(sections) = value else { return Err(not_mapping(Pointer::from_tokens(["components"]))) };
                for (section, entries) in sections {
                    let Value::Object(entries) = entries else {
                        return Err(not_mapping(Pointer::from_tokens(["components", section.as_str()])));
                    };
                    if section != "schemas" || entries.is_empty() {
                        add(PathBuf::from("components.json"), &["components"], section, Value::Object(entries));
                        continue;
                    }
                    for (name, schema) in entries {
                        let file = Path::new("schemas").join(format!("{}.json", schema_group(&name)));
                        add(file, &["components", "schemas"], name, schema);
                    }
                }
            }
            _ => add(PathBuf::from("info.json"), &[], key, value),
        }
    }
    Ok(files
        .into_iter()
        .map(|(file, part)| {
            let mut text = serde_json::to_string_pretty(&Value::Object(part)).unwrap_or_default();
            text.push('\n');
            (file, text)
        })
        .collect())
}

/// What an import changed under `upstream/`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Files written (new or changed).
    pub written: Vec<PathBuf>,
    /// Files removed (their area or group vanished upstream).
    pub removed: Vec<PathBuf>,
    /// Files left as they were.
    pub unchanged: usize,
}

/// Replaces `spec_dir/upstream/` with the schema at `schema`, split by area; `spec_dir/local/` is
/// never touched. Only files whose bytes change are written.
pub fn import(schema: &Path, spec_dir: &Path) -> Result<Imported, Error> {
    let doc = read_document(schema)?;
    if !doc.get("openapi").is_some_and(Value::is_string) {
        return Err(SpecError::invalid(Pointer::root(), "not an OpenAPI document: there is no `openapi` version").in_file(schema));
    }
    let files = split(&doc).map_err(|(pointer, message)| SpecError::invalid(pointer, message).in_file(schema))?;
    let upstream = spec_dir.join(UPSTREAM_DIR);
    let mut imported = Imported::default();
    for (relative, text) in &files {
        let path = upstream.join(relative);
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            imported.unchanged += 1;
            continue;
        }
        let write_error = |source| Error::Write { path: path.clone(), source };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(write_error)?;
        }
        std::fs::write(&path, text).map_err(write_error)?;
        imported.written.push(path);
    }
    let kept: BTreeSet<PathBuf> = files.keys().map(|relative| upstream.join(relative)).collect();
    for stale in documents_under(&upstream, &["json"])?.into_iter().filter(|path| !kept.contains(path)) {
        std::fs::remove_file(&stale).map_err(|source| Error::Write { path: stale.clone(), source })?;
        imported.removed.push(stale);
    }
    Ok(imported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_skip_the_scope() {
        for (path, area) in [
            ("/zones/{zone_id}/dns_records/{id}", "dns_records"),
            ("/accounts/{account_id}/workers/scripts", "workers"),
            ("/accounts/{account_id}", "accounts"),
            ("/accounts", "accounts"),
            ("/user/tokens/{id}", "tokens"),
            ("/user", "user"),
            ("/radar/bgp/top/ases", "radar"),
            ("/organizations/{id}/{x}", "organizations"),
            ("/", "root"),
            ("/A.B/c", "a_b"),
        ] {
            assert_eq!(path_area(path), area, "{path}");
        }
    }

    #[test]
    fn schema_groups_are_the_prefix() {
        assert_eq!(schema_group("iam_account_identifier"), "iam");
        assert_eq!(schema_group("dns-records_ttl"), "dns-records");
        assert_eq!(schema_group("Pet"), UNGROUPED);
        assert_eq!(schema_group("_x"), UNGROUPED);
        assert_eq!(schema_group("../x_y"), "___x");
    }
}
