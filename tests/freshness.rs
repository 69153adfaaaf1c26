//! The committed `generated/` crate must be exactly what the generator makes of `spec/`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const REFRESH: &str = "cargo regenerate";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The generated crate's options, as the build script and `cargo regenerate` read them.
fn options() -> openapi_clientgen::Options {
    let text = std::fs::read_to_string(root().join("client-crate.json")).expect("client-crate.json is readable");
    openapi_clientgen::Options::from_json(&text).expect("client-crate.json holds valid options")
}

/// The files of `generated/` as committed (`git`'s `HEAD`), by path relative to `generated/`;
/// `None` outside a git checkout. The build script has just rewritten the working tree from the
/// same `spec/`, so only the committed tree can show that `generated/` was not refreshed.
fn committed_generated_files() -> Option<BTreeMap<PathBuf, Vec<u8>>> {
    let git = |args: &[&str], input: Option<&[u8]>| -> Option<Vec<u8>> {
        let mut child = Command::new("git")
            .args(args)
            .current_dir(root())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let mut stdin = child.stdin.take()?;
        let input = input.unwrap_or_default().to_vec();
        // Written from another thread: git answers while it reads, and both pipes have limits.
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let output = child.wait_with_output().ok()?;
        writer.join().ok()?.ok()?;
        output.status.success().then_some(output.stdout)
    };
    let names = String::from_utf8(git(&["ls-tree", "-r", "--name-only", "-z", "HEAD", "--", "generated"], None)?).ok()?;
    let names: Vec<&str> = names.split('\0').filter(|n| !n.is_empty()).collect();
    let request: String = names.iter().map(|n| format!("HEAD:{n}\n")).collect();
    let batch = git(&["cat-file", "--batch"], Some(request.as_bytes()))?;
    // Each answer: `<object> blob <size>\n<size bytes>\n`.
    let mut files = BTreeMap::new();
    let mut rest = batch.as_slice();
    for name in names {
        let header_end = rest.iter().position(|b| *b == b'\n')?;
        let header = std::str::from_utf8(&rest[..header_end]).ok()?;
        let size: usize = header.rsplit(' ').next()?.parse().ok()?;
        let body = rest.get(header_end + 1..header_end + 1 + size)?;
        files.insert(Path::new(name).strip_prefix("generated").ok()?.to_owned(), body.to_vec());
        rest = rest.get(header_end + 2 + size..)?;
    }
    Some(files)
}

/// What the generator makes of `spec/` now must be what is committed under `generated/`: a spec
/// edit whose regenerated crate was not committed fails here (and `.ci/run` also checks that the
/// build left the working tree as committed).
#[test]
fn committed_generated_crate_matches_the_spec() {
    let krate = openapi_clientgen::generate(&root().join("spec"), &options()).expect("spec generates");
    let Some(committed) = committed_generated_files() else {
        eprintln!("not a git checkout: generated/ is compared with the working tree only");
        let drift = krate.check(&root().join("generated")).expect("generated/ is readable");
        assert!(drift.is_empty(), "generated/ is out of date with spec/: {drift:?}\nRefresh it with `{REFRESH}`.");
        return;
    };
    let mut differences = Vec::new();
    for (path, text) in &krate.files {
        match committed.get(path) {
            None => differences.push(format!("not committed: {}", path.display())),
            Some(bytes) if bytes != text.as_bytes() => differences.push(format!("differs from HEAD: {}", path.display())),
            Some(_) => {}
        }
    }
    differences.extend(committed.keys().filter(|p| !krate.files.contains_key(*p)).map(|p| format!("no longer generated: {}", p.display())));
    assert!(
        differences.is_empty(),
        "generated/ as committed is not what spec/ makes ({} file(s)):\n  {}\nRefresh it with `{REFRESH}` at the repository root and commit generated/.",
        differences.len(),
        differences.join("\n  "),
    );
}

#[test]
fn generation_is_deterministic() {
    let spec = root().join("spec");
    let first = openapi_clientgen::generate(&spec, &options()).unwrap();
    let second = openapi_clientgen::generate(&spec, &options()).unwrap();
    assert_eq!(first, second);
}

/// The root package compiles `generated/src` as its library, so its dependencies must be the
/// ones the generator writes into `generated/Cargo.toml`.
#[test]
fn root_manifest_declares_the_generated_crates_dependencies() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let section = manifest
        .split("\n[dependencies]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("root Cargo.toml has a [dependencies] section");
    let declared: Vec<&str> = section.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).collect();
    assert_eq!(declared, openapi_clientgen::runtime_dependencies(), "update the root Cargo.toml [dependencies]");
}

/// The root package compiles `generated/src`, so it must declare the generated crate's features
/// (one per area).
#[test]
fn root_manifest_declares_the_generated_crates_features() {
    let root_manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let generated = std::fs::read_to_string(root().join("generated/Cargo.toml")).unwrap();
    assert_eq!(
        openapi_clientgen::features_table(&root_manifest),
        openapi_clientgen::features_table(&generated),
        "the root Cargo.toml's [features] differ from generated/Cargo.toml's: run `{REFRESH}`"
    );
}

/// The generated crate keeps its name whatever the root package is called (which must differ: a
/// git dependency would otherwise pick the root package).
#[test]
fn the_generated_crate_is_named_apart_from_the_root_package() {
    let generated = std::fs::read_to_string(root().join("generated/Cargo.toml")).unwrap();
    assert!(generated.contains(&format!("\nname = \"{}\"\n", options().crate_name)), "{generated}");
    assert_ne!(options().crate_name, env!("CARGO_PKG_NAME"));
}
