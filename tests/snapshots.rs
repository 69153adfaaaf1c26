//! Snapshot tests of the generated source for small fixture specs (`tests/fixtures/`), one
//! concern each, plus the rotate_secret operation on its own (the whole of `spec/` is far too large
//! for a snapshot; the freshness test and `generated/` in review cover it). Review changes with `cargo insta review`, or run with
//! `INSTA_UPDATE=always` and read the diff of `tests/snapshots/`.

use std::path::{Path, PathBuf};

/// The spec's generated Rust source: `src/lib.rs`, `src/types.rs`, then `src/apis/*.rs`, each
/// after a `// ---- path ----` line. The verbatim runtime copy and `Cargo.toml` are left out.
fn generated_source(spec: &Path) -> String {
    let options = openapi_clientgen::Options { crate_name: "fixture".to_owned(), crate_version: "0.1.0".to_owned() };
    let krate = openapi_clientgen::generate(spec, &options).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let lib = [PathBuf::from("src/lib.rs"), PathBuf::from("src/types.rs")];
    let apis = krate.files.keys().filter(|p| p.starts_with("src/apis")).cloned();
    let mut out = String::new();
    for path in lib.into_iter().chain(apis) {
        let text = krate.files.get(&path).unwrap_or_else(|| panic!("{} was not generated", path.display()));
        out.push_str(&format!("// ---- {} ----\n", path.display()));
        out.push_str(text);
    }
    out
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(format!("{name}.yaml"))
}

#[test]
fn naming() {
    insta::assert_snapshot!(generated_source(&fixture("naming")));
}

#[test]
fn composition() {
    insta::assert_snapshot!(generated_source(&fixture("composition")));
}

#[test]
fn parameters() {
    insta::assert_snapshot!(generated_source(&fixture("parameters")));
}

#[test]
fn errors() {
    insta::assert_snapshot!(generated_source(&fixture("errors")));
}

#[test]
fn rotate_secret() {
    let fragment = Path::new(env!("CARGO_MANIFEST_DIR")).join("generator/tests/fixtures/rotate_secret.reference.yaml");
    insta::assert_snapshot!(generated_source(&fragment));
}
