//! The generated crate's `README.md`: what the crate is, the dependency line, its features and a
//! first call. Markdown, not Rust, so it is plain text.

use crate::Options;
use crate::ir::Api;

/// `README.md` for the crate `options` describe.
pub fn emit_readme(options: &Options, api: &Api) -> String {
    let name = &options.crate_name;
    let root = name.replace('-', "_");
    let description = options.package.description.as_deref().unwrap_or(&api.title);
    let mut out = format!("<!-- {} -->\n\n# {name}\n\n", crate::render::HEADER_TEXT);
    out.push_str(&format!("{}\n\n", one_line(description)));
    out.push_str(&format!(
        "A typed async client for {} (API version {}), generated from its OpenAPI description by \
         openapi-clientgen: one method per operation, request and response types, and a small runtime \
         for credentials, retries, pagination and errors.\n\n",
        one_line(&api.title),
        one_line(&api.version),
    ));
    let first = api.areas.first();
    let feature = first.map_or("full", |a| a.feature.as_str());
    out.push_str("## Use\n\n```toml\n[dependencies]\n");
    out.push_str(&format!(
        "{name} = {{ version = \"{}\", default-features = false, features = [\"{feature}\"] }}\n```\n\n",
        options.crate_version
    ));
    out.push_str(&format!(
        "Each area of the API is a cargo feature, and compiles only when it is on; `full`, the default, \
         turns on all {} of them:\n\n",
        api.areas.len()
    ));
    for area in &api.areas {
        let count = area.operations.len() + area.resources.iter().map(|r| r.operations.len()).sum::<usize>();
        out.push_str(&format!("- `{}`: {count} operation(s), `client.{}()`\n", area.feature, area.module.trim_start_matches("r#")));
    }
    out.push_str("\n`serde-all` implements both serde traits on every type (by default, each implements the one its direction needs).\n\n");
    let call = first.map_or_else(String::new, |area| {
        format!("    // Operations: client.{}().<resource>().<method>(required inputs), then `.await`.\n", area.module.trim_start_matches("r#"))
    });
    out.push_str(&format!(
        "```rust,no_run\nuse {root}::{{Client, Error, Method}};\n\n\
         async fn example() -> Result<(), Error> {{\n    \
         // Credentials from the environment variables listed on `Credentials`.\n    \
         let client = Client::from_env()?;\n{call}    \
         // Any path, with the same credentials, retries and errors:\n    \
         let answer: serde_json::Value = client.raw_request(Method::GET, \"/\").send().await?;\n    \
         println!(\"{{answer}}\");\n    \
         Ok(())\n}}\n```\n\n"
    ));
    out.push_str("`public-api.txt` lists every public name of the crate, one per line.\n");
    out
}

/// Markdown text on one line (a title or version with line breaks would start a new block).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_readme_shows_the_dependency_line_and_the_features() {
        let api = crate::lower::lower(
            &crate::load::parse(
                "openapi: 3.0.3\ninfo: {title: \"Pets\\nAPI\", version: '2'}\npaths:\n  /pets:\n    get:\n      responses:\n        '204': {description: done}\n",
                std::path::Path::new("pets.yaml"),
            )
            .expect("spec parses"),
        )
        .expect("spec lowers");
        let options = crate::Options { crate_name: "pets-api".to_owned(), ..crate::Options::default() };
        let readme = super::emit_readme(&options, &api);
        for want in [
            "# pets-api\n\nPets API\n",
            "pets-api = { version = \"0.1.0\", default-features = false, features = [\"pets\"] }",
            "- `pets`: 1 operation(s), `client.pets()`",
            "use pets_api::{Client, Error, Method};",
        ] {
            assert!(readme.contains(want), "{want:?} missing from:\n{readme}");
        }
    }
}
