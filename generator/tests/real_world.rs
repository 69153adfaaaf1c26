//! The smoke test on public descriptions of other APIs (`tests/real_world/`, sources and licences
//! in its README): each is generated through the command line, as a new user would, and its crate
//! checked with one or two of its features, failing on any warning. A regression such as an
//! invalid cargo feature or an unused `mut` in generated code fails here.
//!
//! It takes minutes, so it is not part of `cargo test -p openapi-clientgen`: `.ci/run` runs it
//! (`cargo test -p openapi-clientgen --test real_world -- --ignored`). Dependencies are built in
//! `target/fixture-check`, shared with `tests/compile_fixtures.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// (spec file under `tests/real_world/`, crate name, features to check).
const SPECS: &[(&str, &str, &[&str])] = &[
    // Version-prefixed paths with `.json` suffixes (`/2010-04-01/Accounts/{Sid}/Calls.json`) and
    // 62 form bodies.
    ("twilio_api_v2010.json", "twilio-api-v2010", &["accounts"]),
    // `/v2/..` paths, a small one.
    ("twilio_messaging_v2.json", "twilio-messaging-v2", &["channels"]),
    // `/v1/Types`: an area named like the crate's `types` module (`types_2`).
    ("twilio_events_v1.json", "twilio-events-v1", &["types-2", "sinks"]),
    // OpenAPI 3.1, `/v1/..` and `/v2/..` paths.
    ("figma.yaml", "figma", &["files", "webhooks"]),
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("repository root").to_owned()
}

/// Generates `spec` with the command line into `out`; returns its standard error.
fn generate(spec: &Path, out: &Path, name: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_generate"))
        .args(["--spec".as_ref(), spec.as_os_str(), "--out".as_ref(), out.as_os_str(), "--name".as_ref(), name.as_ref()])
        .output()
        .expect("running generate");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "generate {}: {stderr}", spec.display());
    stderr
}

/// Every generated Rust source of the crate at `dir`, outside the runtime.
fn sources(dir: &Path) -> String {
    let mut text = String::new();
    let mut stack = vec![dir.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("source directory") {
            let path = entry.expect("entry").path();
            if path.is_dir() && !path.ends_with("runtime") {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                text.push_str(&std::fs::read_to_string(&path).expect("source"));
            }
        }
    }
    text
}

/// The features of the generated `Cargo.toml` at `dir`, besides `default`, `full` and `serde-all`.
fn area_features(dir: &Path) -> Vec<String> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
    let table = manifest.split("\n[features]\n").nth(1).expect("a features table");
    table
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once(" = []").map(|(name, _)| name.to_owned()))
        .filter(|name| name != "serde-all")
        .collect()
}

#[test]
#[ignore = "takes minutes: run by .ci/run"]
fn public_descriptions_generate_and_check_without_warnings() {
    let started = Instant::now();
    let repo = repo();
    let workspace = tempfile::Builder::new().prefix("real-world-").tempdir().expect("temporary directory");
    let mut members = Vec::new();
    let mut args: Vec<String> = vec!["check".into(), "--offline".into(), "--message-format".into(), "short".into(), "--no-default-features".into()];
    for (file, name, features) in SPECS {
        let out = workspace.path().join(name);
        let warnings = generate(&repo.join("tests/real_world").join(file), &out, name);
        eprintln!("{file}: {} warning line(s) from the generator; areas {:?}", warnings.lines().count(), area_features(&out));
        for feature in area_features(&out) {
            let first = feature.chars().next().expect("not empty");
            assert!(first.is_ascii_alphanumeric() && feature.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{name}: feature {feature:?}");
        }
        for feature in *features {
            assert!(area_features(&out).iter().any(|f| f == feature), "{name} has no feature {feature}");
        }
        members.push(format!("{name:?}"));
        args.extend(["-p".into(), (*name).into(), "--features".into(), features.iter().map(|f| format!("{name}/{f}")).collect::<Vec<_>>().join(",")]);
    }

    // What these descriptions were chosen for.
    let twilio = workspace.path().join("twilio-api-v2010");
    assert_eq!(area_features(&twilio), ["accounts"], "the version and `.json` are no areas");
    let twilio_sources = sources(&twilio);
    assert!(twilio_sources.matches("=> form(\"application/x-www-form-urlencoded\"").count() >= 50, "form bodies are typed");
    assert!(!twilio_sources.contains("raw_body(\"application/x-www-form-urlencoded\""), "no form body is bytes");
    assert!(!area_features(&workspace.path().join("figma")).iter().any(|f| f.starts_with('v')), "no version areas");

    std::fs::write(workspace.path().join("Cargo.toml"), format!("[workspace]\nmembers = [{}]\nresolver = \"3\"\n", members.join(", ")))
        .expect("workspace manifest");
    // The repository's lock file pins the versions the generated crates need.
    std::fs::copy(repo.join("Cargo.lock"), workspace.path().join("Cargo.lock")).expect("Cargo.lock");
    let output = Command::new(env!("CARGO"))
        .args(&args)
        .current_dir(workspace.path())
        .env("CARGO_TARGET_DIR", repo.join("target/fixture-check"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("running cargo");
    let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "cargo check failed:\n{log}");
    let warnings: Vec<&str> = log.lines().filter(|l| l.contains("warning:")).collect();
    assert!(warnings.is_empty(), "the generated crates have {} warning line(s):\n{log}", warnings.len());
    eprintln!("real world: {} descriptions generated and checked in {:.1?}", SPECS.len(), started.elapsed());
}
