//! Stage 5: put a generated crate on disk, touching only files whose bytes change, or report
//! what would change without writing (check mode).

use std::path::{Path, PathBuf};

use crate::GeneratedCrate;
use crate::error::Error;
use crate::emit::HEADER_TEXT;

/// One difference between a generated crate and a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file does not exist yet.
    Missing(PathBuf),
    /// The file exists with other contents.
    Changed(PathBuf),
    /// A generated file that the generator no longer produces.
    Stale(PathBuf),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "missing: {}", p.display()),
            Drift::Changed(p) => write!(f, "changed: {}", p.display()),
            Drift::Stale(p) => write!(f, "stale:   {}", p.display()),
        }
    }
}

/// Compares `krate` with the files under `out`.
pub fn check(krate: &GeneratedCrate, out: &Path) -> Result<Vec<Drift>, Error> {
    let mut drift = Vec::new();
    for (relative, contents) in &krate.files {
        let path = out.join(relative);
        match std::fs::read(&path) {
            Ok(existing) if existing == contents.as_bytes() => {}
            Ok(_) => drift.push(Drift::Changed(path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => drift.push(Drift::Missing(path)),
            Err(source) => return Err(Error::Write { path, source }),
        }
    }
    for path in generated_files(&out.join("src"))? {
        let relative = path.strip_prefix(out).unwrap_or(&path);
        if !krate.files.contains_key(relative) {
            drift.push(Drift::Stale(path));
        }
    }
    Ok(drift)
}

/// Writes what differs, removes stale generated files, and returns what it changed. A file that
/// exists without the generated header was written by someone else: nothing is written then.
pub fn write(krate: &GeneratedCrate, out: &Path) -> Result<Vec<Drift>, Error> {
    let drift = check(krate, out)?;
    for item in &drift {
        if let Drift::Changed(path) = item {
            if !has_generated_header(path) {
                return Err(Error::Write {
                    path: path.clone(),
                    source: std::io::Error::other(
                        "the file exists and was not generated (no @generated header on its first line); \
                         refusing to overwrite it: move it away or choose another output directory",
                    ),
                });
            }
        }
    }
    // Each directory is made once, not once per file in it.
    let directories: std::collections::BTreeSet<&Path> = drift
        .iter()
        .filter_map(|item| match item {
            Drift::Missing(path) | Drift::Changed(path) => path.parent(),
            Drift::Stale(_) => None,
        })
        .collect();
    for directory in directories {
        std::fs::create_dir_all(directory).map_err(|source| Error::Write { path: directory.to_owned(), source })?;
    }
    for item in &drift {
        match item {
            Drift::Missing(path) | Drift::Changed(path) => {
                let relative = path.strip_prefix(out).unwrap_or(path);
                std::fs::write(path, &krate.files[relative]).map_err(|source| Error::Write { path: path.clone(), source })?;
            }
            Drift::Stale(path) => {
                std::fs::remove_file(path).map_err(|source| Error::Write { path: path.clone(), source })?;
            }
        }
    }
    Ok(drift)
}

/// Whether the file's first line carries the generated header (unreadable files do not).
fn has_generated_header(path: &Path) -> bool {
    use std::io::BufRead;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut first = String::new();
    std::io::BufReader::new(file).read_line(&mut first).is_ok() && first.contains(HEADER_TEXT)
}

/// `.rs` files under `dir` that carry the generated header; hand-written files are never touched.
fn generated_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut found = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(source) => return Err(Error::Write { path: dir.to_owned(), source }),
    };
    for entry in entries {
        let path = entry.map_err(|source| Error::Write { path: dir.to_owned(), source })?.path();
        if path.is_dir() {
            found.extend(generated_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") && has_generated_header(&path) {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}
