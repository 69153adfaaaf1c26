//! The checked-in `generated/` crate must be exactly what the generator makes of `spec/`.

use std::path::Path;

const REFRESH: &str = "cargo regenerate";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The generated crate's options, as the build script and `cargo regenerate` read them.
fn options() -> openapi_clientgen::Options {
    let text = std::fs::read_to_string(root().join("client-crate.json")).expect("client-crate.json is readable");
    openapi_clientgen::Options::from_json(&text).expect("client-crate.json holds valid options")
}

#[test]
fn generated_crate_matches_the_spec() {
    let krate = openapi_clientgen::generate(&root().join("spec"), &options()).expect("spec generates");
    let drift = krate.check(&root().join("generated")).expect("generated/ is readable");
    let listing: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert!(
        drift.is_empty(),
        "generated/ is out of date with spec/ ({} file(s)):\n  {}\nRefresh it with `{REFRESH}` at the repository root.",
        drift.len(),
        listing.join("\n  "),
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
