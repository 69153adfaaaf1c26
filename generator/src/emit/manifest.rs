//! The generated crate's `Cargo.toml`. TOML, not Rust, so it is plain text.

use crate::Options;
use crate::ir::Api;

/// The generated crate's dependencies, as `Cargo.toml` lines. The repository's root manifest
/// lists the same ones (a test keeps them in step).
pub const DEPENDENCIES: &[&str] = &[
    r#"bytes = "1""#,
    r#"futures-core = "0.3""#,
    r#"futures-util = { version = "0.3", default-features = false, features = ["std"] }"#,
    r#"reqwest = { version = "0.13", default-features = false, features = ["rustls", "http2", "gzip"] }"#,
    r#"serde = { version = "1", features = ["derive"] }"#,
    r#"serde_json = "1""#,
    r#"thiserror = "2""#,
    r#"tokio = { version = "1", features = ["time"] }"#,
    r#"tracing = { version = "0.1", default-features = false, features = ["std"] }"#,
];

/// The `[features]` table: one feature per area, `full` for all of them, and `full` by default
/// (turn defaults off and pick areas to compile less), and `serde-all`.
pub fn features(api: &Api) -> String {
    let mut out = String::from("[features]\ndefault = [\"full\"]\n");
    let all: Vec<String> = api.areas.iter().map(|a| format!("\"{}\"", a.feature)).collect();
    out.push_str(&format!("full = [{}]\n", all.join(", ")));
    // Types derive only the serde traits their direction needs; this derives both everywhere.
    out.push_str(&format!("{} = []\n", super::types::SERDE_ALL_FEATURE));
    for area in &api.areas {
        out.push_str(&format!("{} = []\n", area.feature));
    }
    out
}

/// `Cargo.toml` for the crate `options` describe: its package metadata, the runtime's
/// dependencies, and one feature per area.
pub fn emit_manifest(options: &Options, api: &Api) -> String {
    let package = &options.package;
    let mut out = String::new();
    out.push_str(&format!("# {}\n", super::HEADER_TEXT));
    out.push_str("[package]\n");
    out.push_str(&format!("name = \"{}\"\n", options.crate_name));
    out.push_str(&format!("version = \"{}\"\n", options.crate_version));
    out.push_str(&format!("description = {}\n", toml_string(package.description.as_deref().unwrap_or(&api.title))));
    out.push_str("edition = \"2024\"\nrust-version = \"1.85\"\n");
    for (key, value) in [("license", &package.license), ("repository", &package.repository), ("homepage", &package.homepage)] {
        if let Some(value) = value {
            out.push_str(&format!("{key} = {}\n", toml_string(value)));
        }
    }
    out.push_str("readme = \"README.md\"\n");
    for (key, values) in [("keywords", &package.keywords), ("categories", &package.categories)] {
        if !values.is_empty() {
            let values: Vec<String> = values.iter().map(|v| toml_string(v)).collect();
            out.push_str(&format!("{key} = [{}]\n", values.join(", ")));
        }
    }
    // Documentation of every area, whatever the default features.
    out.push_str("\n[package.metadata.docs.rs]\nall-features = true\n");
    out.push_str("\n[dependencies]\n");
    for line in DEPENDENCIES {
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&features(api));
    out
}

/// `text` as a TOML basic string, without control characters (a title with `\r` or NUL broke
/// the manifest).
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            // Not even escaped: cargo hands the description to rustc in an environment variable,
            // and a NUL there stops the build.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use crate::{Options, PackageMetadata};

    fn api(title: &str) -> crate::ir::Api {
        crate::ir::Api {
            title: title.to_owned(),
            description: None,
            version: String::new(),
            base_url: None,
            areas: Vec::new(),
            types: Default::default(),
            credentials: crate::ir::Credentials::default(),
            scopes: Vec::new(),
        }
    }

    #[test]
    fn control_characters_in_the_description_become_spaces() {
        // Found by the fuzz harness: `info.title` with a carriage return or NUL gave an invalid
        // Cargo.toml (raw), or one cargo cannot build (escaped NUL).
        let manifest = super::emit_manifest(&Options::default(), &api("a\rb\u{0}c\td \"q\" \\ e\nf"));
        assert!(manifest.contains(r#"description = "a b c d \"q\" \\ e f""#), "{manifest}");
    }

    #[test]
    fn the_package_metadata_is_written_when_set() {
        let bare = super::emit_manifest(&Options::default(), &api("Pets"));
        for absent in ["license", "repository", "homepage", "keywords", "categories"] {
            assert!(!bare.contains(&format!("\n{absent} =")), "{bare}");
        }
        assert!(bare.contains("description = \"Pets\"\n") && bare.contains("readme = \"README.md\"\n"), "{bare}");
        let options = Options {
            package: PackageMetadata {
                description: Some("A \"pets\" client".to_owned()),
                license: Some("MIT OR Apache-2.0".to_owned()),
                repository: Some("https://example.com/pets".to_owned()),
                homepage: None,
                keywords: vec!["pets".to_owned(), "api".to_owned()],
                categories: vec!["api-bindings".to_owned()],
            },
            ..Options::default()
        };
        let manifest = super::emit_manifest(&options, &api("Pets"));
        for line in [
            "description = \"A \\\"pets\\\" client\"\n",
            "license = \"MIT OR Apache-2.0\"\n",
            "repository = \"https://example.com/pets\"\n",
            "keywords = [\"pets\", \"api\"]\n",
            "categories = [\"api-bindings\"]\n",
            "\n[package.metadata.docs.rs]\nall-features = true\n",
        ] {
            assert!(manifest.contains(line), "{line:?} missing from:\n{manifest}");
        }
    }
}
