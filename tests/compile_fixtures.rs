//! Generates every fixture spec (`tests/fixtures/*.yaml`) and the rotate_secret operation as crates
//! of one temporary cargo workspace, and checks that they compile without warnings. The whole API
//! (`spec/`) is not compiled again here: the root package compiles it as its library. Fixtures with a test
//! file in `tests/fixture_e2e/` (same stem) also get it as an integration test, run against a
//! loopback server. Every crate also gets the generator's example checks as `tests/examples.rs`:
//! each response example of its spec must decode into the generated type, and its generated
//! README's example as `examples/readme.rs`.
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
    specs.push(("fixture-rotate-secret".to_owned(), repo.join("generator/tests/fixtures/rotate_secret.reference.yaml")));
    specs
}

/// Dev-dependencies of the end-to-end tests that run inside a generated fixture crate.
const E2E_DEV_DEPENDENCIES: &str = r#"
[dev-dependencies]
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
url = "2"
wiremock = "0.6"
"#;

/// Appended to a fixture's mock calls (tests/mock.rs runs the whole API's against Prism): they
/// compile, and the spec's examples gave every operation a call.
const MOCK_CALLS_TEST: &str = r#"
#[test]
fn every_operation_has_a_call() {
    for call in MOCK_CALLS {
        assert!(call.call.is_ok(), "{} {} {}: {:?}", call.method, call.path, call.operation_id, call.call.err());
    }
}
"#;

/// Writes the generated crates of `specs` into a new temporary workspace, each with its
/// end-to-end test if it has one.
fn workspace_of(repo: &Path, specs: &[(String, PathBuf)]) -> tempfile::TempDir {
    let workspace = tempfile::Builder::new().prefix("fixture-check-").tempdir().expect("temporary directory");
    let mut members = Vec::new();
    for (name, spec) in specs {
        let options = openapi_clientgen::Options { crate_name: name.clone(), crate_version: "0.1.0".to_owned(), ..Default::default() };
        let lowered = or_panic(spec, openapi_clientgen::lower(spec, &options));
        let calls = openapi_clientgen::testing::mock_calls(&lowered);
        let examples = or_panic(spec, openapi_clientgen::testing::example_checks(&lowered));
        let krate = or_panic(spec, lowered.emit());
        let dir = workspace.path().join(name);
        krate.write(&dir).unwrap_or_else(|e| panic!("writing {name}: {e}"));
        std::fs::create_dir_all(dir.join("tests")).expect("tests dir");
        std::fs::write(dir.join("tests/examples.rs"), examples).expect("write example checks");
        std::fs::write(dir.join("tests/mock_calls.rs"), format!("{calls}{MOCK_CALLS_TEST}")).expect("write mock calls");
        std::fs::create_dir_all(dir.join("examples")).expect("examples dir");
        std::fs::write(dir.join("examples/readme.rs"), readme_example(&dir)).expect("write the README's example");
        if let Some(e2e) = e2e_test(repo, spec) {
            std::fs::copy(&e2e, dir.join("tests/e2e.rs")).expect("copy e2e test");
            let mut manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
            manifest.push_str(E2E_DEV_DEPENDENCIES);
            std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
        }
        members.push(format!("{name:?}"));
    }
    let manifest = format!("[workspace]\nmembers = [{}]\nresolver = \"3\"\n", members.join(", "));
    std::fs::write(workspace.path().join("Cargo.toml"), manifest).expect("workspace Cargo.toml");
    // The repository's lock file pins the same versions, so nothing needs resolving.
    std::fs::copy(repo.join("Cargo.lock"), workspace.path().join("Cargo.lock")).expect("Cargo.lock");
    workspace
}

/// The value, or a panic naming the spec.
fn or_panic<T>(spec: &Path, result: Result<T, openapi_clientgen::Error>) -> T {
    result.unwrap_or_else(|e| panic!("{}: {e}", spec.display()))
}

/// The generated README's Rust example as an example program, so that it compiles as shown.
fn readme_example(crate_dir: &Path) -> String {
    let readme = std::fs::read_to_string(crate_dir.join("README.md")).expect("the generator writes README.md");
    let start = readme.find("```rust,no_run\n").expect("README.md has a Rust example") + "```rust,no_run\n".len();
    let end = start + readme[start..].find("```").expect("the example ends");
    format!("#![allow(dead_code)]\n{}\nfn main() {{}}\n", &readme[start..end])
}

fn e2e_test(repo: &Path, spec: &Path) -> Option<PathBuf> {
    let stem = spec.file_stem()?.to_str()?;
    let path = repo.join("tests/fixture_e2e").join(format!("{stem}.rs"));
    path.exists().then_some(path)
}

/// Runs cargo in `workspace` with the shared fixture target directory; returns success and output.
fn cargo(repo: &Path, workspace: &Path, args: &[&str]) -> (bool, String) {
    cargo_with(repo, workspace, args, &[])
}

/// [`cargo`] with extra environment variables.
fn cargo_with(repo: &Path, workspace: &Path, args: &[&str], envs: &[(&str, &str)]) -> (bool, String) {
    let started = Instant::now();
    // Cargo's own flags go before a `--` that hands the rest to the test binaries.
    let split = args.iter().position(|a| *a == "--").unwrap_or(args.len());
    let output = Command::new(env!("CARGO"))
        .args(&args[..split])
        .envs(envs.iter().copied())
        .args(["--offline", "--message-format", "short"])
        .args(&args[split..])
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", repo.join("target/fixture-check"))
        // Each run's workspace is a new temporary directory, so an incremental cache of its crates
        // would never be read again: it only filled the disk (2 GB a run).
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("running cargo");
    eprintln!("cargo {} took {:.1?}", args.join(" "), started.elapsed());
    let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), log)
}

#[test]
fn every_fixture_compiles_without_warnings() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = workspace_of(repo, &specs(repo));
    let clippy = std::env::var_os("FIXTURE_CHECK_CLIPPY").is_some_and(|v| !v.is_empty() && v != "0");
    let (ok, log) = cargo(repo, workspace.path(), &[if clippy { "clippy" } else { "check" }, "--workspace", "--all-targets"]);
    let warnings: Vec<&str> = log.lines().filter(|l| l.contains("warning:")).collect();
    assert!(ok, "cargo failed:\n{log}");
    assert!(warnings.is_empty(), "the generated crates have {} warning line(s):\n{log}", warnings.len());
}

/// A crate built with one of its areas alone compiles, without warnings: shared types name
/// nothing in another area's module (which that build leaves out).
#[test]
fn a_fixture_compiles_with_one_area_alone() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let name = "fixture-shared-shapes";
    let specs: Vec<_> = specs(repo).into_iter().filter(|(n, _)| n == name).collect();
    let workspace = workspace_of(repo, &specs);
    for area in ["records", "gadgets"] {
        let (ok, log) = cargo(repo, workspace.path(), &["check", "-p", name, "--lib", "--no-default-features", "--features", area]);
        assert!(ok, "{name} with `{area}` alone does not compile:\n{log}");
        assert!(!log.contains("warning:"), "{name} with `{area}` alone has warnings:\n{log}");
    }
}

/// The runtime's own unit tests (`generator/runtime/*.rs`), run inside the smallest generated
/// crate, and the form encoder's (`runtime/form.rs`, which only crates with form bodies get) in
/// the form fixture's: the root package does not build the whole API a second time as a test
/// harness.
#[test]
fn runtime_unit_tests_pass() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let crates = ["fixture-rotate-secret", "fixture-form-bodies"];
    let specs: Vec<_> = specs(repo).into_iter().filter(|(name, _)| crates.contains(&name.as_str())).collect();
    let workspace = workspace_of(repo, &specs);
    let (ok, log) = cargo(repo, workspace.path(), &["test", "-p", crates[0], "-p", crates[1], "--lib"]);
    assert!(ok, "runtime unit tests failed:\n{log}");
    let passed: usize = log
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. ")?.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert!(passed > 0, "no runtime unit test ran:\n{log}");
    // Each profile's runtime parts: the envelope's in the Cloudflare fixture, the plain reading
    // in the generic one.
    for part in ["form::tests::", "envelope::tests::an_api_errors_display", "plain::tests::", "request_id::tests::"] {
        assert!(log.contains(part), "the runtime tests of `{part}` did not run:\n{log}");
    }
    eprintln!("runtime unit tests: {passed} passed");
}

#[test]
fn fixture_clients_work_end_to_end() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs: Vec<_> = specs(repo).into_iter().filter(|(_, spec)| e2e_test(repo, spec).is_some()).collect();
    assert!(!specs.is_empty(), "tests/fixture_e2e has no test for any fixture");
    let workspace = workspace_of(repo, &specs);
    let mut args = vec!["test", "--test", "e2e"];
    for (name, _) in &specs {
        args.extend(["-p", name.as_str()]);
    }
    let (ok, log) = cargo(repo, workspace.path(), &args);
    assert!(ok, "end-to-end tests failed:\n{log}");
    assert!(log.contains("test result: ok"), "no test ran:\n{log}");
    eprintln!("{}", log.lines().filter(|l| l.starts_with("test ")).collect::<Vec<_>>().join("\n"));
}

#[test]
fn every_fixture_response_example_decodes() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = workspace_of(repo, &specs(repo));
    // The checks print their count; show it even though they pass.
    let (ok, log) = cargo_with(repo, workspace.path(), &["test", "--workspace", "--test", "examples", "--test", "mock_calls"], &[("RUST_TEST_NOCAPTURE", "1")]);
    assert!(ok, "example checks failed:\n{log}");
    let counts: Vec<&str> = log.lines().filter(|l| l.starts_with("examples: ")).collect();
    assert_eq!(counts.len(), specs(repo).len(), "one count per crate:\n{log}");
    eprintln!("{}", counts.join("\n"));
}
