//! Snapshot tests of the generated source for small fixture specs (`tests/fixtures/`), one
//! concern each, plus the rotate_secret operation on its own (the whole of `spec/` is far too large
//! for a snapshot; the freshness test and `generated/` in review cover it). Review changes with `cargo insta review`, or run with
//! `INSTA_UPDATE=always` and read the diff of `tests/snapshots/`.

use std::path::{Path, PathBuf};


/// The spec's generated Rust source and public API listing, each file after a
/// `// ---- path ----` line, in path order. The verbatim runtime copy (and its items in the
/// listing), `Cargo.toml` and `README.md` are left out.
fn generated_source(spec: &Path) -> String {
    generated_source_with(spec, &[], false)
}

/// The generated credentials (`src/runtime/credentials.rs`, written from the profile and the
/// security schemes) besides the rest.
fn generated_source_with_credentials(spec: &Path) -> String {
    generated_source_with(spec, &["src/runtime/credentials.rs"], false)
}

/// The runtime parts a profile chooses (the envelope's reading and paging, the request-id
/// accessors, or their plain stand-ins; see the generator's `runtime_parts`), the lines `mod.rs`
/// gains for them, and the runtime's public items, besides the rest: what differs between a
/// Cloudflare-profile crate and a generic one.
fn generated_source_with_profile_parts(spec: &Path) -> String {
    let parts = ["src/runtime/envelope.rs", "src/runtime/plain.rs", "src/runtime/request_id.rs", "src/runtime/no_request_id.rs"];
    generated_source_with(spec, &parts, true)
}

/// With `runtime_listing`, `public-api.txt` keeps the runtime's items and `src/runtime/mod.rs`'s
/// appended part lines are shown.
fn generated_source_with(spec: &Path, runtime_files: &[&str], runtime_listing: bool) -> String {
    let options = openapi_clientgen::Options { crate_name: "fixture".to_owned(), crate_version: "0.1.0".to_owned(), ..Default::default() };
    let krate = openapi_clientgen::generate(spec, &options).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let mut out = String::new();
    if runtime_listing {
        let module = &krate.files[Path::new("src/runtime/mod.rs")];
        let parts = module.find("\n// This profile").map_or("", |at| &module[at + 1..]);
        out.push_str(&format!("// ---- src/runtime/mod.rs, the profile's part lines ----\n{parts}"));
    }
    let files = krate.files.keys().filter(|p| {
        let runtime = p.starts_with("src/runtime") && !runtime_files.iter().any(|f| p.as_path() == Path::new(f));
        !runtime && p.as_path() != Path::new("Cargo.toml") && p.as_path() != Path::new("README.md")
    });
    for path in files {
        let mut text = krate.files[path].as_str();
        // The runtime's items are the same for every fixture of a profile: generated/public-api.txt
        // lists Cloudflare's.
        if let Some((api, _)) = text.split_once(openapi_clientgen::RUNTIME_LISTING_HEADING).filter(|_| !runtime_listing) {
            text = api;
        }
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
fn runtime_names() {
    insta::assert_snapshot!(generated_source(&fixture("runtime_names")));
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
fn inner_refs() {
    insta::assert_snapshot!(generated_source(&fixture("inner_refs")));
}

#[test]
fn big_numbers() {
    insta::assert_snapshot!(generated_source(&fixture("big_numbers")));
}

#[test]
fn spec_mistakes() {
    insta::assert_snapshot!(generated_source(&fixture("spec_mistakes")));
}

#[test]
fn openapi_3_1() {
    insta::assert_snapshot!(generated_source(&fixture("openapi_3_1")));
}

#[test]
fn rotate_secret() {
    let fragment = Path::new(env!("CARGO_MANIFEST_DIR")).join("generator/tests/fixtures/rotate_secret.reference.yaml");
    insta::assert_snapshot!(generated_source_with_credentials(&fragment));
}

#[test]
fn unions_tagged() {
    insta::assert_snapshot!(generated_source(&fixture("unions_tagged")));
}

#[test]
fn unions_untagged() {
    insta::assert_snapshot!(generated_source(&fixture("unions_untagged")));
}

#[test]
fn unions_all_of() {
    insta::assert_snapshot!(generated_source(&fixture("unions_all_of")));
}

#[test]
fn read_only() {
    insta::assert_snapshot!(generated_source(&fixture("read_only")));
}

#[test]
fn identical_schemas() {
    insta::assert_snapshot!(generated_source(&fixture("identical_schemas")));
}

#[test]
fn security_schemes() {
    insta::assert_snapshot!(generated_source_with_credentials(&fixture("security_schemes")));
}

#[test]
fn area_names() {
    insta::assert_snapshot!(generated_source(&fixture("area_names")));
}

#[test]
fn empty_objects() {
    insta::assert_snapshot!(generated_source(&fixture("empty_objects")));
}

#[test]
fn version_prefix() {
    insta::assert_snapshot!(generated_source(&fixture("version_prefix")));
}

#[test]
fn form_bodies() {
    insta::assert_snapshot!(generated_source(&fixture("form_bodies")));
}

#[test]
fn paging_numbers() {
    insta::assert_snapshot!(generated_source_with_profile_parts(&fixture("paging_numbers")));
}

#[test]
fn one_member_union() {
    insta::assert_snapshot!(generated_source(&fixture("one_member_union")));
}

#[test]
fn union_variant_names() {
    insta::assert_snapshot!(generated_source(&fixture("union_variant_names")));
}

#[test]
fn shared_shapes() {
    insta::assert_snapshot!(generated_source(&fixture("shared_shapes")));
}

#[test]
fn scopes() {
    insta::assert_snapshot!(generated_source_with_profile_parts(&fixture("scopes")));
}
