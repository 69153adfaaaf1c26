//! Regenerates `generated/` from the spec directory `spec/` (the upstream schema split by area,
//! plus local fragments and overlays), then lets cargo compile it as this package's library
//! (`[lib] path = "generated/src/lib.rs"`). Files are written only when their bytes change, so a
//! build with an unchanged spec rebuilds nothing.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    println!("cargo::rerun-if-changed=spec");
    let options = openapi_clientgen::Options {
        crate_name: env!("CARGO_PKG_NAME").to_owned(),
        crate_version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let result = openapi_clientgen::generate(Path::new("spec"), &options).and_then(|krate| {
        // One line at most: the list is `generate --report`'s job.
        let mistakes = krate.report.of_kind(openapi_clientgen::EntryKind::Warning).count();
        if mistakes > 0 {
            println!("cargo::warning=spec: {mistakes} spec mistake(s) survived; `generate --spec spec --out generated --report` lists them");
        }
        krate.write(Path::new("generated"))
    });
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            println!("cargo::error={error}");
            ExitCode::FAILURE
        }
    }
}
