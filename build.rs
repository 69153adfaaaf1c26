//! Regenerates `generated/` from the spec directory `spec/` (the upstream schema split by area,
//! plus local fragments and overlays), then lets cargo compile it as this package's library
//! (`[lib] path = "generated/src/lib.rs"`). Files are written only when their bytes change, so a
//! build with an unchanged spec rebuilds nothing.
//!
//! It also writes the mock calls (one call of every operation, with arguments from the spec's
//! examples) into `OUT_DIR`, for `tests/mock.rs`; they are test material, not part of the crate.

use std::path::Path;
use std::process::ExitCode;

/// The generated crate's name, version and package metadata (not this package's: see Cargo.toml).
const OPTIONS: &str = "client-crate.json";

fn crate_options() -> Result<openapi_clientgen::Options, openapi_clientgen::Error> {
    let text = std::fs::read_to_string(OPTIONS).map_err(|e| openapi_clientgen::Error::Options(format!("{OPTIONS}: {e}")))?;
    openapi_clientgen::Options::from_json(&text)
}

fn main() -> ExitCode {
    println!("cargo::rerun-if-changed=spec");
    println!("cargo::rerun-if-changed={OPTIONS}");
    println!("cargo::rerun-if-changed=README.md");
    let lowered = crate_options().and_then(|options| openapi_clientgen::lower(Path::new("spec"), &options));
    // The mock calls come from the lowered spec before it goes into the crate (which consumes it).
    let generated = lowered.and_then(|lowered| {
        let calls = openapi_clientgen::testing::mock_calls(&lowered);
        lowered.emit().map(|krate| (krate, calls))
    });
    let result = generated.map_err(|e| e.to_string()).and_then(|(krate, calls)| {
        // One line at most: the list is `generate --report`'s job.
        let mistakes = krate.report.of_kind(openapi_clientgen::EntryKind::Warning).count();
        if mistakes > 0 {
            println!("cargo::warning=spec: {mistakes} spec mistake(s) survived; `generate --spec spec --out generated --report` lists them");
        }
        let out_dir = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
        let readme = std::fs::read_to_string("README.md").map_err(|e| format!("README.md: {e}"))?;
        write_if_changed(&out_dir.join("mock_calls.rs"), &calls).map_err(|e| e.to_string())?;
        write_if_changed(&out_dir.join("readme_snippets.rs"), &readme_snippets(&readme)).map_err(|e| e.to_string())?;
        krate.write(Path::new("generated")).map_err(|e| e.to_string())
    });
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            println!("cargo::error={error}");
            ExitCode::FAILURE
        }
    }
}

/// The README's Rust blocks, each as a module of its own, for `tests/readme.rs` to compile: what
/// the README shows a newcomer is code that builds against the crate as it is.
fn readme_snippets(readme: &str) -> String {
    let mut out = String::from("// The Rust blocks of README.md, written by build.rs.\n");
    let mut n = 0;
    // Split at the fences, every other piece is a block: its language, a newline, its code.
    for block in readme.split("\n```").skip(1).step_by(2) {
        if let Some(code) = block.strip_prefix("rust\n") {
            n += 1;
            out.push_str(&format!("#[allow(dead_code, unused_imports)]\nmod snippet_{n} {{\n{code}\n}}\n"));
        }
    }
    out.push_str(&format!("pub const SNIPPETS: usize = {n};\n"));
    out
}

/// Leaves the file alone when it already holds `text`, so the mock test is not rebuilt for nothing.
fn write_if_changed(path: &Path, text: &str) -> Result<(), openapi_clientgen::Error> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|source| openapi_clientgen::Error::Write { path: path.to_owned(), source })
}
