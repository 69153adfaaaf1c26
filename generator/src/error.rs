//! The generator's errors. Every problem with a spec names the file and the JSON pointer of the
//! offending node, so a maintainer can jump straight to it.

use std::path::PathBuf;

use crate::pointer::Pointer;

/// Everything that can stop generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec file could not be read.
    #[error("{file}: cannot read the spec: {source}")]
    Read {
        /// The spec file.
        file: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The spec file is not well-formed YAML or JSON.
    #[error("{file}: not valid {format}: {message}")]
    Syntax {
        /// The spec file.
        file: PathBuf,
        /// "YAML" or "JSON".
        format: &'static str,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The spec is well-formed but wrong, or uses something this generator does not support.
    #[error("{file}#{pointer}: {kind}: {message}")]
    Spec {
        /// The spec file.
        file: PathBuf,
        /// JSON pointer (RFC 6901) of the offending node; the root (empty) for the whole document.
        pointer: Pointer,
        /// Whether the spec is invalid or merely unsupported.
        kind: SpecErrorKind,
        /// What is wrong.
        message: String,
    },
    /// An output file could not be written or read back.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The output path.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// An [`Options`](crate::Options) value cannot be used (e.g. a crate name cargo would refuse).
    #[error("invalid option: {0}")]
    Options(String),
    /// The emitter produced tokens that do not parse as Rust. This is a bug in the generator.
    #[error("internal error: generated code for {file} does not parse: {message}")]
    Render {
        /// The output file being rendered.
        file: String,
        /// The parser's message.
        message: String,
    },
}

/// Why a spec was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecErrorKind {
    /// The document breaks the OpenAPI specification (dangling `$ref`, wrong shape, ...).
    Invalid,
    /// The document is valid but uses a construct this generator does not handle.
    Unsupported,
}

impl std::fmt::Display for SpecErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SpecErrorKind::Invalid => "invalid spec",
            SpecErrorKind::Unsupported => "unsupported",
        })
    }
}

/// A spec problem before the file name is attached (the lowering does not know the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// JSON pointer of the offending node.
    pub pointer: Pointer,
    /// Invalid or unsupported.
    pub kind: SpecErrorKind,
    /// What is wrong.
    pub message: String,
}

impl SpecError {
    /// The spec breaks the OpenAPI rules at `pointer`.
    pub fn invalid(pointer: impl Into<Pointer>, message: impl Into<String>) -> Self {
        SpecError { pointer: pointer.into(), kind: SpecErrorKind::Invalid, message: message.into() }
    }

    /// The spec uses something unsupported at `pointer`.
    pub fn unsupported(pointer: impl Into<Pointer>, message: impl Into<String>) -> Self {
        SpecError { pointer: pointer.into(), kind: SpecErrorKind::Unsupported, message: message.into() }
    }

    /// Attaches the file name.
    pub fn in_file(self, file: impl Into<PathBuf>) -> Error {
        Error::Spec { file: file.into(), pointer: self.pointer, kind: self.kind, message: self.message }
    }
}
