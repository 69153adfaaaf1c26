//! The generated crate's `Cargo.toml`. TOML, not Rust, so it is plain text.

/// The generated crate's dependencies, as `Cargo.toml` lines. The repository's root manifest
/// lists the same ones (a test keeps them in step).
pub const DEPENDENCIES: &[&str] = &[
    r#"reqwest = { version = "0.13", default-features = false, features = ["rustls", "http2"] }"#,
    r#"serde = { version = "1", features = ["derive"] }"#,
    r#"serde_json = "1""#,
    r#"thiserror = "2""#,
];

/// `Cargo.toml` for a crate named `name` at `version`.
pub fn emit_manifest(name: &str, version: &str, description: &str) -> String {
    let description = description.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', " ");
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
    out
}
