//! What the generator did that a maintainer may want to know about, beyond the code itself:
//! spec mistakes it survived (warnings), places where the spec has no faithful Rust type and a
//! documented fallback was taken, and local changes that replaced parts of an upstream spec.
//!
//! Every stage may add entries; the command line prints them with `--report`, warnings also go to
//! standard error, and `--strict` turns warnings into errors.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// What kind of note an [`Entry`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    /// A mistake in the spec that was survived without guessing at its meaning.
    Warning,
    /// A construct with no faithful Rust type; the documented fallback was used.
    Fallback,
    /// A local change replaced or added to the upstream spec.
    Override,
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EntryKind::Warning => "warning",
            EntryKind::Fallback => "fallback",
            EntryKind::Override => "override",
        })
    }
}

/// One note, anchored at a JSON pointer in the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Warning, fallback or override.
    pub kind: EntryKind,
    /// JSON pointer (RFC 6901) of the node it is about.
    pub pointer: String,
    /// A short reason, the same text for every entry of one kind of cause (it is counted).
    pub reason: String,
    /// Optional detail specific to this entry.
    pub detail: Option<String>,
    /// The file the node is in, when the spec is a directory of files; `None` means the spec file.
    pub file: Option<PathBuf>,
}

/// Every note of one generation run, in the order they were made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The notes.
    pub entries: Vec<Entry>,
    /// Identical schemas defined once (`None` until the types are lowered).
    pub merged: Option<Merged>,
}

/// How many types became aliases of an identical type, and how many types those point to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    /// Types emitted as `pub type Name = Canonical;`.
    pub aliases: usize,
    /// Types that keep a definition for at least one alias.
    pub canonicals: usize,
}

impl Report {
    /// Adds a note.
    pub fn push(&mut self, kind: EntryKind, pointer: impl Into<String>, reason: impl Into<String>, detail: Option<String>) {
        self.entries.push(Entry { kind, pointer: pointer.into(), reason: reason.into(), detail, file: None });
    }

    /// Adds a note about a node of `file` (one file of a spec directory).
    pub fn push_in(
        &mut self,
        file: impl Into<PathBuf>,
        kind: EntryKind,
        pointer: impl Into<String>,
        reason: impl Into<String>,
        detail: Option<String>,
    ) {
        self.push(kind, pointer, reason, detail);
        if let Some(entry) = self.entries.last_mut() {
            entry.file = Some(file.into());
        }
    }

    /// The notes of one kind.
    pub fn of_kind(&self, kind: EntryKind) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.kind == kind)
    }

    /// How many notes there are per (kind, reason), sorted.
    pub fn counts(&self) -> BTreeMap<(EntryKind, &str), usize> {
        let mut counts = BTreeMap::new();
        for entry in &self.entries {
            *counts.entry((entry.kind, entry.reason.as_str())).or_insert(0) += 1;
        }
        counts
    }

    /// One line per entry (`kind: FILE#POINTER: reason[: detail]`), then a count per reason, the
    /// total and how many identical schemas were merged.
    pub fn render(&self, file: &str) -> String {
        let mut out = String::new();
        for entry in &self.entries {
            out.push_str(&entry.line(file));
            out.push('\n');
        }
        for ((kind, reason), count) in self.counts() {
            out.push_str(&format!("{count:>6} {kind}: {reason}\n"));
        }
        out.push_str(&format!("{:>6} total\n", self.entries.len()));
        if let Some(Merged { aliases, canonicals }) = self.merged {
            out.push_str(&format!("merged: {aliases} identical schemas into {canonicals} types\n"));
        }
        out
    }
}

impl Entry {
    /// `kind: FILE#POINTER: reason[: detail]`; `file` is used when the entry names none.
    pub fn line(&self, file: &str) -> String {
        let own = self.file.as_ref().map(|f| f.display().to_string());
        let file = own.as_deref().unwrap_or(file);
        match &self.detail {
            Some(detail) => format!("{}: {file}#{}: {}: {detail}", self.kind, self.pointer, self.reason),
            None => format!("{}: {file}#{}: {}", self.kind, self.pointer, self.reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_lines_then_counts() {
        let mut report = Report::default();
        report.push(EntryKind::Fallback, "/components/schemas/a", "oneOf without a common shape", None);
        report.push(EntryKind::Warning, "/paths/~1x/get", "undeclared path parameter", Some("`id` added as a string".into()));
        report.push(EntryKind::Fallback, "/components/schemas/b", "oneOf without a common shape", None);
        report.merged = Some(Merged { aliases: 5, canonicals: 2 });
        let text = report.render("spec.yaml");
        assert_eq!(
            text,
            "fallback: spec.yaml#/components/schemas/a: oneOf without a common shape\n\
             warning: spec.yaml#/paths/~1x/get: undeclared path parameter: `id` added as a string\n\
             fallback: spec.yaml#/components/schemas/b: oneOf without a common shape\n\
             \x20    1 warning: undeclared path parameter\n\
             \x20    2 fallback: oneOf without a common shape\n\
             \x20    3 total\n\
             merged: 5 identical schemas into 2 types\n"
        );
    }
}
