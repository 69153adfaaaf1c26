//! Generates every fixture spec (`tests/fixtures/*.yaml`) and the real spec as crates of one
//! temporary cargo workspace, and checks that they compile without warnings.
//!
//! Dependencies are built in `target/fixture-check`, a target directory of its own: the outer
//! cargo holds the lock on `target/debug`, and a separate directory keeps compiled dependencies
//! between runs. Set `FIXTURE_CHECK_CLIPPY=1` to run `cargo clippy` instead of `cargo check`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// (crate name, spec path) for every spec to compile.
fn specs(repo: &Path) -> Vec<(String, PathBuf)> {
    let mut specs: Vec<(String, PathBuf)> = std::fs::read_dir(repo.join("tests/fixtures"))
        .expect("tests/fixtures")
        .map(|entry| entry.expect("fixture entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json"))
        .map(|path| {
            let stem = path.file_stem().expect("file stem").to_string_lossy().replace('_', "-");
            (format!("fixture-{stem}"), path)
        })
        .collect();
    specs.sort();
    specs.push(("fixture-cloudflare".to_owned(), repo.join("spec/openapi.yaml")));
    specs
}

#[test]
fn every_fixture_compiles_without_warnings() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = tempfile::Builder::new().prefix("fixture-check-").tempdir().expect("temporary directory");
    let specs = specs(repo);

    let mut members = Vec::new();
    for (name, spec) in &specs {
        let options = openapi_clientgen::Options { crate_name: name.clone(), crate_version: "0.1.0".to_owned() };
        let krate = openapi_clientgen::generate(spec, &options).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        krate.write(&workspace.path().join(name)).unwrap_or_else(|e| panic!("writing {name}: {e}"));
        members.push(format!("{name:?}"));
    }
    let manifest = format!("[workspace]\nmembers = [{}]\nresolver = \"3\"\n", members.join(", "));
    std::fs::write(workspace.path().join("Cargo.toml"), manifest).expect("workspace Cargo.toml");
    // The repository's lock file pins the same versions, so nothing needs resolving.
    std::fs::copy(repo.join("Cargo.lock"), workspace.path().join("Cargo.lock")).expect("Cargo.lock");

    let clippy = std::env::var_os("FIXTURE_CHECK_CLIPPY").is_some_and(|v| !v.is_empty() && v != "0");
    let started = Instant::now();
    let output = Command::new(env!("CARGO"))
        .arg(if clippy { "clippy" } else { "check" })
        .args(["--workspace", "--all-targets", "--offline", "--message-format", "short"])
        .current_dir(workspace.path())
        .env("CARGO_TARGET_DIR", repo.join("target/fixture-check"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("running cargo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let log = format!("{stdout}{stderr}");
    eprintln!("cargo {} of {} crates took {:.1?}", if clippy { "clippy" } else { "check" }, specs.len(), started.elapsed());

    let warnings: Vec<&str> = log.lines().filter(|l| l.contains("warning:")).collect();
    assert!(output.status.success(), "cargo failed ({}):\n{log}", output.status);
    assert!(warnings.is_empty(), "the generated crates have {} warning line(s):\n{log}", warnings.len());
}
