//! A spec directory: the upstream schema split into files by product area, plus local fragments
//! and overlays, assembled into one OpenAPI document before it is loaded.
//!
//! ```text
//! DIR/upstream/**/*.json         partial OpenAPI documents written by `import-upstream`;
//!                                every node is in exactly one of them
//! DIR/local/**/*.{json,yaml,yml} fragments (only `paths` and `components`) that add or replace
//!                                upstream nodes, and Overlay 1.0 documents (a top-level `overlay`)
//!                                applied after every fragment, in file-name order
//! ```
//!
//! Every file is a partial document with the same shape as the whole, so a node's JSON pointer is
//! the same in its file and in the assembled document. A [`SourceMap`] remembers which file each
//! node came from, so errors and report entries name that file.
//!
//! The assembled document lists paths and each components section in sorted order (the order of
//! Cloudflare's own file), so the layout of files never changes what is generated.

pub mod overlay;
pub mod upstream;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, SpecError};
use crate::pointer::Pointer;
use crate::report::{Reason, Report};

/// The sub-directory holding the upstream copy.
pub const UPSTREAM_DIR: &str = "upstream";
/// The sub-directory holding local fragments and overlays.
pub const LOCAL_DIR: &str = "local";


/// A spec directory assembled into one document.
#[derive(Debug)]
pub struct Assembled {
    /// The whole document.
    pub raw: Value,
    /// Which file each node came from.
    pub sources: SourceMap,
    /// Overrides, additions and overlay actions, each naming its local file.
    pub report: Report,
}

/// JSON pointer prefix -> the file the node at that pointer came from.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SourceMap {
    files: BTreeMap<Pointer, PathBuf>,
}

impl SourceMap {
    /// Records that the node at `pointer` (and everything under it, unless recorded otherwise)
    /// came from `file`.
    pub fn insert(&mut self, pointer: Pointer, file: &Path) {
        self.files.insert(pointer, file.to_owned());
    }

    /// The file of the longest recorded prefix of `pointer`; `None` if nothing covers it.
    pub fn file_of(&self, pointer: &Pointer) -> Option<&Path> {
        pointer.ancestors().find_map(|prefix| self.files.get(&prefix)).map(PathBuf::as_path)
    }

    /// Attaches the file a spec error's node came from (or `fallback` if none is recorded).
    pub fn locate(&self, error: SpecError, fallback: &Path) -> Error {
        let file = self.file_of(&error.pointer).unwrap_or(fallback).to_owned();
        error.in_file(file)
    }

    /// Gives every entry of `report` without a file the file its pointer came from.
    pub fn attribute(&self, report: &mut Report) {
        for entry in report.entries.iter_mut().filter(|e| e.file.is_none()) {
            entry.file = self.file_of(&entry.pointer).map(Path::to_owned);
        }
    }
}

/// Reads and assembles the spec directory `dir`.
pub fn assemble(dir: &Path) -> Result<Assembled, Error> {
    let upstream_dir = dir.join(UPSTREAM_DIR);
    if !upstream_dir.is_dir() {
        return Err(SpecError::invalid(
            Pointer::root(),
            format!("a spec directory needs an `{UPSTREAM_DIR}/` folder (written by import-upstream), and {} has none", dir.display()),
        )
        .in_file(dir));
    }
    let mut doc = Map::new();
    let mut sources = SourceMap::default();
    sources.insert(Pointer::root(), dir);
    let mut report = Report::default();

    for (file, part) in read_documents(documents_under(&upstream_dir, &["json"])?) {
        merge_upstream(&mut doc, part?, &file, &mut sources)?;
    }
    let local_dir = dir.join(LOCAL_DIR);
    let local_files = if local_dir.is_dir() { documents_under(&local_dir, &["json", "yaml", "yml"])? } else { Vec::new() };
    let mut overlays = Vec::new();
    let mut local_nodes = BTreeMap::new();
    for (file, part) in read_documents(local_files) {
        let part = part?;
        if part.get("overlay").is_some() {
            overlays.push((file, part));
        } else {
            let mut fragment = Fragment { doc: &mut doc, sources: &mut sources, report: &mut report, local_nodes: &mut local_nodes, file: &file };
            fragment.merge(part)?;
        }
    }
    for (file, overlay) in &overlays {
        overlay::apply(&mut doc, overlay, file, &mut sources, &mut report)?;
    }

    sort_document(&mut doc);
    Ok(Assembled { raw: Value::Object(doc), sources, report })
}

/// Sorts the top-level keys, `paths`, and each components section by name.
fn sort_document(doc: &mut Map<String, Value>) {
    doc.sort_keys();
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        paths.sort_keys();
    }
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        components.sort_keys();
        for section in components.values_mut() {
            if let Value::Object(section) = section {
                section.sort_keys();
            }
        }
    }
}

/// The files with one of `extensions` under `dir`, at any depth, sorted by path.
pub fn documents_under(dir: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>, Error> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current).map_err(|source| Error::Read { file: current.clone(), source })?;
        for entry in entries {
            let path = entry.map_err(|source| Error::Read { file: current.clone(), source })?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x))) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// [`read_document`] of each file, on several threads, in the order of `files`.
fn read_documents(files: Vec<PathBuf>) -> impl Iterator<Item = (PathBuf, Result<Value, Error>)> {
    let parts = crate::parallel::map(files.len(), |i| read_document(&files[i]));
    files.into_iter().zip(parts)
}

/// Reads one JSON or YAML file (by its extension) into a JSON tree.
pub fn read_document(file: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(file).map_err(|source| Error::Read { file: file.to_owned(), source })?;
    let is_json = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let parsed = if is_json {
        serde_json::from_str(&text).map_err(|e| ("JSON", e.to_string()))
    } else {
        crate::load::yaml::to_json(&text).map_err(|message| ("YAML", message))
    };
    parsed.map_err(|(format, message)| Error::Syntax { file: file.to_owned(), format, message })
}

/// The members of the mapping at `pointer` in `file`, or an error if it is not a mapping.
fn mapping(value: Value, pointer: &Pointer, file: &Path) -> Result<Map<String, Value>, Error> {
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(SpecError::invalid(pointer, "expected a mapping").in_file(file)),
    }
}

/// The mapping at `keys` under `doc`, created (empty) where missing.
fn slot<'d>(doc: &'d mut Map<String, Value>, keys: &[&str]) -> &'d mut Map<String, Value> {
    keys.iter().fold(doc, |map, key| {
        let child = map.entry(key.to_string()).or_insert_with(|| Value::Object(Map::new()));
        if !child.is_object() {
            *child = Value::Object(Map::new());
        }
        match child {
            Value::Object(inner) => inner,
            _ => unreachable!("replaced by a mapping just above"),
        }
    })
}

/// Each unit an upstream or fragment file contributes: (containing mapping keys, name, node).
/// Paths contribute path items, components their named entries, anything else a top-level key.
fn units(part: Value, file: &Path) -> Result<Vec<(Vec<String>, String, Value)>, Error> {
    let mut out = Vec::new();
    for (key, value) in mapping(part, &Pointer::root(), file)? {
        let pointer = Pointer::root().push(&key);
        match key.as_str() {
            "paths" => {
                for (path, item) in mapping(value, &pointer, file)? {
                    out.push((vec![key.clone()], path, item));
                }
            }
            "components" => {
                for (section, entries) in mapping(value, &pointer, file)? {
                    let at = pointer.push(&section);
                    for (name, node) in mapping(entries, &at, file)? {
                        out.push((vec![key.clone(), section.clone()], name, node));
                    }
                }
            }
            _ => out.push((Vec::new(), key, value)),
        }
    }
    Ok(out)
}

/// The pointer of `name` inside the mapping at `keys`.
fn pointer_of(keys: &[String], name: &str) -> Pointer {
    Pointer::from_tokens(keys).push(name)
}

/// Adds one upstream file's nodes; a node already given by another upstream file is an error.
fn merge_upstream(doc: &mut Map<String, Value>, part: Value, file: &Path, sources: &mut SourceMap) -> Result<(), Error> {
    // An empty `paths` or components section has no units but is still part of the document.
    if part.get("paths").is_some_and(Value::is_object) {
        slot(doc, &["paths"]);
    }
    if let Some(Value::Object(sections)) = part.get("components") {
        for section in sections.keys() {
            slot(doc, &["components", section]);
        }
    }
    for (keys, name, node) in units(part, file)? {
        let pointer = pointer_of(&keys, &name);
        let parent = slot(doc, &keys.iter().map(String::as_str).collect::<Vec<_>>());
        if parent.contains_key(&name) {
            let other = sources.file_of(&pointer).map_or_else(String::new, |f| f.display().to_string());
            return Err(SpecError::invalid(&pointer, format!("also defined in {other}; each upstream node belongs in one file")).in_file(file));
        }
        parent.insert(name, node);
        sources.insert(pointer, file);
    }
    Ok(())
}

/// One local fragment being merged over the upstream document.
struct Fragment<'a> {
    doc: &'a mut Map<String, Value>,
    sources: &'a mut SourceMap,
    report: &'a mut Report,
    /// Pointer -> file, for every node a local fragment has set so far.
    local_nodes: &'a mut BTreeMap<Pointer, PathBuf>,
    file: &'a Path,
}

impl Fragment<'_> {
    /// Adds or replaces every path item member and component the fragment gives. A path the
    /// upstream lacks is added whole; for one it has, each member (operation, `parameters`, ...)
    /// replaces the upstream member of that name and leaves the others alone.
    fn merge(&mut self, part: Value) -> Result<(), Error> {
        for (keys, name, node) in units(part, self.file)? {
            let pointer = pointer_of(&keys, &name);
            match keys.first().map(String::as_str) {
                Some("paths") => {
                    let exists = self.doc.get("paths").and_then(|p| p.get(&name)).is_some();
                    if exists {
                        for (member, value) in mapping(node, &pointer, self.file)? {
                            let mut member_keys = keys.clone();
                            member_keys.push(name.clone());
                            self.set(&member_keys, member, value)?;
                        }
                    } else {
                        self.set(&keys, name, node)?;
                    }
                }
                Some("components") => self.set(&keys, name, node)?,
                _ => {
                    return Err(SpecError::invalid(
                        pointer,
                        "a local fragment holds only `paths` and `components`; change other parts of the document with an overlay",
                    )
                    .in_file(self.file));
                }
            }
        }
        Ok(())
    }

    /// Puts `node` at `name` inside the mapping at `keys`, and reports whether it added, replaced
    /// or repeated the upstream node.
    fn set(&mut self, keys: &[String], name: String, node: Value) -> Result<(), Error> {
        let pointer = pointer_of(keys, &name);
        if let Some(other) = pointer.ancestors().find_map(|prefix| self.local_nodes.get(&prefix)) {
            let message = format!("also set by {}; one local file per node", other.display());
            return Err(SpecError::invalid(&pointer, message).in_file(self.file));
        }
        let parent = slot(self.doc, &keys.iter().map(String::as_str).collect::<Vec<_>>());
        let (reason, detail) = match parent.get(&name) {
            None => (Reason::LocalAddition, None),
            Some(old) => {
                let upstream = self.sources.file_of(&pointer).map_or_else(String::new, |f| f.display().to_string());
                if *old == node {
                    (Reason::LocalSame, Some(format!("{upstream} has the same; the local copy can be deleted")))
                } else {
                    (Reason::LocalReplaces, Some(format!("replaces the one in {upstream}")))
                }
            }
        };
        parent.insert(name, node);
        self.report.push_in(self.file, reason, pointer.clone(), detail);
        self.sources.insert(pointer.clone(), self.file);
        self.local_nodes.insert(pointer, self.file.to_owned());
        Ok(())
    }
}
