//! A program that depends on this repository the way the README says (a `git` dependency on
//! `cloudflare-api`) gets the generated crate in `generated/`, never the root package: the
//! generator is not compiled and nothing in cargo's checkout is rewritten. And the generated
//! crate packages with the metadata a published crate needs.
//!
//! The repository is a temporary clone of HEAD (so commit before relying on this test), reached
//! by a `file://` URL; the consumer's lock file is written from the repository's, so cargo needs
//! no network. Dependencies are built in `target/fixture-check`, shared with
//! `tests/compile_fixtures.rs` (same dependencies, same versions).

use std::path::{Path, PathBuf};
use std::process::Command;

const PACKAGE: &str = "cloudflare-api";

/// The generated crate's version, from `client-crate.json`.
fn version() -> String {
    let options = std::fs::read_to_string(repo().join("client-crate.json")).expect("client-crate.json");
    let options: serde_json::Value = serde_json::from_str(&options).expect("client-crate.json is JSON");
    options["version"].as_str().expect("a version").to_owned()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `program` in `dir`; returns success and stdout + stderr.
fn run(dir: &Path, program: &str, args: &[&str]) -> (bool, String) {
    let mut command = Command::new(program);
    command.args(args).current_dir(dir);
    if program == env!("CARGO") {
        command
            .env("CARGO_TARGET_DIR", repo().join("target/fixture-check"))
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            // Any attempt to reach a registry fails at once instead of waiting for a network.
            .env("CARGO_HTTP_PROXY", "http://127.0.0.1:9")
            .env("CARGO_HTTP_TIMEOUT", "5");
    }
    let output = command.output().unwrap_or_else(|e| panic!("running {program}: {e}"));
    let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), log)
}

fn git(dir: &Path, args: &[&str]) -> String {
    let (ok, log) = run(dir, "git", args);
    assert!(ok, "git {args:?} failed:\n{log}");
    log
}

/// The README's dependency line for the generated crate.
fn readme_dependency_line() -> String {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let prefix = format!("{PACKAGE} = {{ git = ");
    let lines: Vec<&str> = readme.lines().filter(|l| l.starts_with(&prefix)).collect();
    assert_eq!(lines.len(), 1, "the README should show one `{prefix}...` line: {lines:?}");
    lines[0].to_owned()
}

/// A clone of HEAD in `dir`, and the commit.
fn clone_head(dir: &Path) -> (PathBuf, String) {
    let head = git(repo(), &["rev-parse", "HEAD"]).trim().to_owned();
    let clone = dir.join("repo");
    git(dir, &["clone", "--quiet", "--no-checkout", repo().to_str().expect("UTF-8 path"), "repo"]);
    git(&clone, &["checkout", "--quiet", &head]);
    (clone, head)
}

/// `line` with its `git = "..."` value replaced by `url`.
fn with_url(line: &str, url: &str) -> String {
    let start = line.find("git = \"").expect("a git = \"...\" value") + "git = \"".len();
    let end = start + line[start..].find('"').expect("a closing quote");
    format!("{}{url}{}", &line[..start], &line[end..])
}

const CONSUMER_MAIN: &str = r#"use cloudflare_api::{Client, Method};

fn main() {
    let client = Client::builder().base_url("http://127.0.0.1:9").build().expect("a client");
    // `Method` comes from the crate itself: no second dependency.
    let request = client.raw_request(Method::GET, "/zones");
    let _oauth_clients = client.iam().oauth_clients();
    // Calls as the official SDKs chain them, in the areas the README's line turns on.
    let _records = client.dns().records().list("023e105f4ecef8ad9ca31a8372d0c353").per_page(100);
    let _settings = client.dns().settings();
    println!("{request:?}");
}
"#;

#[test]
fn a_git_dependency_gets_the_generated_crate_without_the_generator() {
    let dir = tempfile::Builder::new().prefix("consumer-").tempdir().expect("temporary directory");
    let (clone, head) = clone_head(dir.path());
    let url = format!("file://{}", clone.display());
    let readme_line = readme_dependency_line();
    let git_line = with_url(&readme_line, &url);

    let consumer = dir.path().join("consumer");
    std::fs::create_dir_all(consumer.join("src")).unwrap();
    std::fs::write(consumer.join("src/main.rs"), CONSUMER_MAIN).unwrap();
    let manifest = |dependency: &str| {
        format!("[package]\nname = \"consumer\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n[dependencies]\n{dependency}\n")
    };
    // The lock file: resolved offline against the clone's generated/ as a path, from the
    // repository's lock (same versions), then pointed at the git source at HEAD.
    let path_line = git_line.replace(&format!("git = \"{url}\""), &format!("path = \"{}\"", clone.join("generated").display()));
    std::fs::write(consumer.join("Cargo.toml"), manifest(&path_line)).unwrap();
    std::fs::copy(repo().join("Cargo.lock"), consumer.join("Cargo.lock")).unwrap();
    let (ok, log) = run(&consumer, env!("CARGO"), &["update", "--offline", "--workspace"]);
    assert!(ok, "resolving the consumer offline failed:\n{log}");
    let lock = std::fs::read_to_string(consumer.join("Cargo.lock")).unwrap();
    let entry = format!("[[package]]\nname = \"{PACKAGE}\"\nversion = \"{}\"\n", version());
    assert!(lock.contains(&entry), "{entry} missing from the lock:\n{lock}");
    let lock = lock.replace(&entry, &format!("{entry}source = \"git+{url}#{head}\"\n"));
    std::fs::write(consumer.join("Cargo.lock"), &lock).unwrap();
    std::fs::write(consumer.join("Cargo.toml"), manifest(&git_line)).unwrap();

    let (ok, log) = run(&consumer, env!("CARGO"), &["check", "--locked", "--message-format", "short"]);
    eprintln!("{log}");
    assert!(ok, "the consumer does not build with the README's dependency line `{readme_line}`:\n{log}");
    assert!(log.contains(&format!("Checking {PACKAGE} v{} ({url}#", version())), "the git package was not built:\n{log}");
    assert!(!log.contains("openapi-clientgen"), "the generator was compiled:\n{log}");
    assert!(!log.contains("skipping duplicate package"), "two packages are named {PACKAGE}:\n{log}");

    // Packages of the host only: those of other targets were never downloaded.
    let (ok, rustc) = run(&consumer, "rustc", &["-vV"]);
    assert!(ok, "rustc -vV failed:\n{rustc}");
    let host = rustc.lines().find_map(|l| l.strip_prefix("host: ")).expect("rustc names its host").to_owned();
    let (ok, metadata) =
        run(&consumer, env!("CARGO"), &["metadata", "--locked", "--format-version", "1", "--filter-platform", &host]);
    assert!(ok, "cargo metadata failed:\n{metadata}");
    let metadata: serde_json::Value = serde_json::from_str(metadata.lines().find(|l| l.starts_with('{')).unwrap_or_default()).expect("metadata JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    let names: Vec<&str> = packages.iter().filter_map(|p| p["name"].as_str()).collect();
    assert!(!names.contains(&"openapi-clientgen") && !names.contains(&"cloudflare-api-dev"), "{names:?}");
    let resolved = packages.iter().find(|p| p["name"] == PACKAGE).expect("the package is resolved");
    let manifest_path = resolved["manifest_path"].as_str().expect("manifest_path");
    assert!(manifest_path.ends_with("/generated/Cargo.toml"), "{PACKAGE} resolved to {manifest_path}");
    assert!(!std::fs::read_to_string(consumer.join("Cargo.lock")).unwrap().contains("openapi-clientgen"));
    eprintln!("consumer: {PACKAGE} resolved to {manifest_path}; packages: {}", names.len());
}

#[test]
fn the_generated_crate_packages_with_its_metadata() {
    let dir = tempfile::Builder::new().prefix("package-").tempdir().expect("temporary directory");
    let (clone, _) = clone_head(dir.path());
    let generated = clone.join("generated");
    // The repository's lock pins the versions, so packaging resolves offline.
    std::fs::copy(repo().join("Cargo.lock"), generated.join("Cargo.lock")).unwrap();
    let (ok, list) = run(&generated, env!("CARGO"), &["package", "--list", "--offline", "--allow-dirty"]);
    assert!(ok, "cargo package --list failed:\n{list}");
    for file in ["Cargo.toml", "README.md", "public-api.txt", "src/lib.rs", "src/runtime/client.rs"] {
        assert!(list.lines().any(|l| l == file), "{file} is not packaged:\n{list}");
    }
    let (ok, log) = run(&generated, env!("CARGO"), &["package", "--no-verify", "--offline", "--allow-dirty"]);
    eprintln!("{log}");
    assert!(ok, "cargo package failed:\n{log}");
    assert!(!log.contains("warning"), "cargo package warns:\n{log}");
    let krate = repo().join("target/fixture-check/package").join(format!("{PACKAGE}-{}.crate", version()));
    assert!(krate.is_file(), "{} was not written:\n{log}", krate.display());
    let manifest = std::fs::read_to_string(generated.join("Cargo.toml")).unwrap();
    for key in ["description", "license", "readme", "keywords", "categories"] {
        assert!(manifest.contains(&format!("\n{key} = ")), "no {key} in generated/Cargo.toml:\n{manifest}");
    }
    assert!(manifest.contains("[package.metadata.docs.rs]\nall-features = true"), "{manifest}");
}
