//! What the generator did that a maintainer may want to know about, beyond the code itself:
//! spec mistakes it survived (warnings), places where the spec has no faithful Rust type and a
//! documented fallback was taken, and local changes that replaced parts of an upstream spec.
//!
//! Every stage may add entries; the command line prints them with `--report`, warnings also go to
//! standard error, and `--strict` turns warnings into errors.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::pointer::Pointer;

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

/// Why an [`Entry`] was made: one variant per cause, so that entries are counted, compared and
/// tested by cause, and each cause says what kind of note it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    // The load stage (`load/`).
    /// A numeric bound beyond 64 bits, dropped.
    DroppedBound,
    /// The document's webhooks, not generated.
    Webhooks,
    /// A `mutualTLS` security scheme, which has no credential kind.
    MutualTls,
    /// A `$ref` to an object of another kind but the right shape, followed.
    WrongKindRef,
    /// A `$ref` standing for a media type or a media type map, followed.
    MediaTypeRef,
    // Assembling a spec directory (`assemble/`).
    /// A local file added a node the upstream spec lacks.
    LocalAddition,
    /// A local file replaced an upstream node.
    LocalReplaces,
    /// A local file repeats an upstream node unchanged.
    LocalSame,
    /// An overlay action whose target selects nothing.
    OverlayUnmatched,
    /// An overlay action updated nodes.
    OverlayUpdated,
    /// An overlay action removed nodes.
    OverlayRemoved,
    // The lowering (`lower/`).
    /// A security scheme with no credential kind.
    UnsupportedScheme,
    /// A method named from its operationId, the name its path gives being taken.
    MethodFromOperationId,
    /// A declared path parameter the template does not use.
    UnusedPathParameter,
    /// A parameter with an empty name, which cannot be sent.
    UnnamedParameter,
    /// A template variable no parameter declares.
    UndeclaredPathParameter,
    /// `enum: [null]`: a `serde_json::Value`.
    NullOnlyEnum,
    /// `not`: a `serde_json::Value`.
    Not,
    /// `allOf` of several non-object members: a `serde_json::Value`.
    AllOfScalars,
    /// An `enum` of values of several JSON types: a `serde_json::Value`.
    MixedEnum,
    /// An unknown `type`: a `serde_json::Value`.
    UnknownType,
    /// A `oneOf`/`anyOf` whose members admit only null: a `serde_json::Value`.
    OnlyNullMembers,
}

impl Reason {
    /// The text printed for this cause (the same for every entry of it).
    pub const fn text(self) -> &'static str {
        match self {
            Reason::DroppedBound => "numeric bound that no 64-bit number holds, dropped",
            Reason::Webhooks => "webhooks are not generated (a client sends requests, it does not receive them)",
            Reason::MutualTls => "mutualTLS security scheme: no credential kind; give the client certificate to a \
                 reqwest::Client (reqwest::Identity) and pass it to ClientBuilder::http_client",
            Reason::WrongKindRef => "$ref to an object of another kind but the right shape, followed",
            Reason::MediaTypeRef => "$ref where a media type or a media type map is expected, followed",
            Reason::LocalAddition => "local addition",
            Reason::LocalReplaces => "local replaces upstream",
            Reason::LocalSame => "local copy is the same as upstream",
            Reason::OverlayUnmatched => "overlay target matches nothing",
            Reason::OverlayUpdated => "updated by a local overlay",
            Reason::OverlayRemoved => "removed by a local overlay",
            Reason::UnsupportedScheme => "security scheme with no credential kind: operations that require only it send whatever credentials the client has",
            Reason::MethodFromOperationId => "method named from its operationId: the name its path gives is taken",
            Reason::UnusedPathParameter => "path parameter that the path template does not use, ignored",
            Reason::UnnamedParameter => "parameter with an empty name (it cannot be sent), ignored",
            Reason::UndeclaredPathParameter => "path template variable that no parameter declares, taken as a required string",
            Reason::NullOnlyEnum => "`enum: [null]` admits only null",
            Reason::Not => "`not` has no Rust type",
            Reason::AllOfScalars => "`allOf` of several members that are not objects",
            Reason::MixedEnum => "`enum` of values of different JSON types",
            Reason::UnknownType => "unknown `type`",
            Reason::OnlyNullMembers => "`oneOf`/`anyOf` whose members admit only null",
        }
    }

    /// Whether this cause is a survived mistake, a fallback or a local change.
    pub const fn kind(self) -> EntryKind {
        match self {
            Reason::WrongKindRef | Reason::MediaTypeRef | Reason::OverlayUnmatched | Reason::UnusedPathParameter | Reason::UnnamedParameter | Reason::UndeclaredPathParameter => EntryKind::Warning,
            Reason::DroppedBound | Reason::Webhooks | Reason::MutualTls | Reason::UnsupportedScheme | Reason::MethodFromOperationId | Reason::NullOnlyEnum | Reason::Not | Reason::AllOfScalars | Reason::MixedEnum | Reason::UnknownType | Reason::OnlyNullMembers => EntryKind::Fallback,
            Reason::LocalAddition | Reason::LocalReplaces | Reason::LocalSame | Reason::OverlayUpdated | Reason::OverlayRemoved => EntryKind::Override,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

/// One note, anchored at a JSON pointer in the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// JSON pointer (RFC 6901) of the node it is about.
    pub pointer: Pointer,
    /// Why it was made (which also says its [`EntryKind`]).
    pub reason: Reason,
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
    pub fn push(&mut self, reason: Reason, pointer: impl Into<Pointer>, detail: Option<String>) {
        self.entries.push(Entry { pointer: pointer.into(), reason, detail, file: None });
    }

    /// Adds a note unless the same cause is already noted at `pointer`: a node that several
    /// operations share (a path-level parameter) is said once.
    pub fn push_once(&mut self, reason: Reason, pointer: impl Into<Pointer>, detail: Option<String>) {
        let pointer = pointer.into();
        if !self.entries.iter().any(|e| e.pointer == pointer && e.reason == reason) {
            self.push(reason, pointer, detail);
        }
    }

    /// Adds a note about a node of `file` (one file of a spec directory).
    pub fn push_in(
        &mut self,
        file: impl Into<PathBuf>,
        reason: Reason,
        pointer: impl Into<Pointer>,
        detail: Option<String>,
    ) {
        self.push(reason, pointer, detail);
        if let Some(entry) = self.entries.last_mut() {
            entry.file = Some(file.into());
        }
    }

    /// The notes of one kind.
    pub fn of_kind(&self, kind: EntryKind) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.kind() == kind)
    }

    /// How many notes there are per (kind, reason), sorted.
    pub fn counts(&self) -> BTreeMap<(EntryKind, &'static str), usize> {
        let mut counts = BTreeMap::new();
        for entry in &self.entries {
            *counts.entry((entry.kind(), entry.reason.text())).or_insert(0) += 1;
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
    /// Warning, fallback or override: what its reason is.
    pub fn kind(&self) -> EntryKind {
        self.reason.kind()
    }

    /// `kind: FILE#POINTER: reason[: detail]`; `file` is used when the entry names none.
    pub fn line(&self, file: &str) -> String {
        let own = self.file.as_ref().map(|f| f.display().to_string());
        let file = own.as_deref().unwrap_or(file);
        match &self.detail {
            Some(detail) => format!("{}: {file}#{}: {}: {detail}", self.kind(), self.pointer, self.reason),
            None => format!("{}: {file}#{}: {}", self.kind(), self.pointer, self.reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_lines_then_counts() {
        let mut report = Report::default();
        report.push(Reason::Not, Pointer::parse("/components/schemas/a").unwrap(), None);
        report.push(Reason::UndeclaredPathParameter, Pointer::parse("/paths/~1x/get").unwrap(), Some("`{id}` in `/x`".into()));
        report.push(Reason::Not, Pointer::parse("/components/schemas/b").unwrap(), None);
        report.merged = Some(Merged { aliases: 5, canonicals: 2 });
        let text = report.render("spec.yaml");
        assert_eq!(
            text,
            "fallback: spec.yaml#/components/schemas/a: `not` has no Rust type\n\
             warning: spec.yaml#/paths/~1x/get: path template variable that no parameter declares, taken as a required string: `{id}` in `/x`\n\
             fallback: spec.yaml#/components/schemas/b: `not` has no Rust type\n\
             \x20    1 warning: path template variable that no parameter declares, taken as a required string\n\
             \x20    2 fallback: `not` has no Rust type\n\
             \x20    3 total\n\
             merged: 5 identical schemas into 2 types\n"
        );
    }

    #[test]
    fn every_reason_has_its_own_text() {
        use Reason::*;
        let all = [
            DroppedBound, Webhooks, MutualTls, WrongKindRef, MediaTypeRef, LocalAddition, LocalReplaces, LocalSame,
            OverlayUnmatched, OverlayUpdated, OverlayRemoved, UnsupportedScheme, MethodFromOperationId,
            UnusedPathParameter, UnnamedParameter, UndeclaredPathParameter, NullOnlyEnum, Not, AllOfScalars, MixedEnum, UnknownType,
            OnlyNullMembers,
        ];
        let texts: std::collections::BTreeSet<&str> = all.iter().map(|r| r.text()).collect();
        assert_eq!(texts.len(), all.len(), "two causes print the same text, so the counts would merge them");
    }
}
