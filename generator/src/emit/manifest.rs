//! The generated crate's `Cargo.toml`. TOML, not Rust, so it is plain text.

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

/// `Cargo.toml` for a crate named `name` at `version`.
pub fn emit_manifest(name: &str, version: &str, description: &str, api: &Api) -> String {
    // A TOML basic string without control characters (a title with `\r` or NUL broke the manifest).
    let description: String = description
        .chars()
        .map(|c| match c {
            '\\' => "\\\\".to_owned(),
            '"' => "\\\"".to_owned(),
            '\n' => " ".to_owned(),
            // Not even escaped: cargo hands the description to rustc in an environment variable,
            // and a NUL there stops the build.
            c if c.is_control() => " ".to_owned(),
            c => c.to_string(),
        })
        .collect();
    let mut out = String::new();
    out.push_str(&format!("# {}\n", crate::render::HEADER_TEXT));
    out.push_str("[package]\n");
    out.push_str(&format!("name = \"{name}\"\n"));
    out.push_str(&format!("version = \"{version}\"\n"));
    out.push_str(&format!("description = \"{description}\"\n"));
    out.push_str("edition = \"2024\"\nrust-version = \"1.85\"\n\n");
    out.push_str("[dependencies]\n");
    for line in DEPENDENCIES {
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&features(api));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_in_the_description_become_spaces() {
        // Found by the fuzz harness: `info.title` with a carriage return or NUL gave an invalid
        // Cargo.toml (raw), or one cargo cannot build (escaped NUL).
        let api = crate::ir::Api {
            title: String::new(),
            description: None,
            version: String::new(),
            base_url: None,
            areas: Vec::new(),
            types: Vec::new(),
            credentials: crate::ir::Credentials::default(),
            scopes: Vec::new(),
        };
        let manifest = super::emit_manifest("x", "0.1.0", "a\rb\u{0}c\td \"q\" \\ e\nf", &api);
        assert!(manifest.contains(r#"description = "a b c d \"q\" \\ e f""#), "{manifest}");
    }
}
