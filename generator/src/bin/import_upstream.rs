//! `import-upstream SCHEMA [--spec DIR]`: brings a newer upstream schema into a spec directory.

use std::path::PathBuf;
use std::process::ExitCode;

use openapi_clientgen::assemble::{self, upstream};
use openapi_clientgen::{EntryKind, Options, generate};

const USAGE: &str = "usage: import-upstream SCHEMA [--spec DIR]

Replaces DIR/upstream/ (default DIR: spec) with the OpenAPI document SCHEMA (JSON or YAML), split
into one file per product area; files of areas that vanished are removed, DIR/local/ is never
touched. Then assembles DIR and prints what the next build will report about local changes:
overrides, local copies now the same as upstream, and overlay targets that no longer match.
Exits 1 if the assembled spec no longer generates.";

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(PathBuf, PathBuf), String> {
    let (mut schema, mut spec) = (None, PathBuf::from("spec"));
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" => spec = PathBuf::from(args.next().ok_or("--spec needs a value")?),
            other if other.starts_with('-') => return Err(format!("unexpected argument `{other}`")),
            _ if schema.is_some() => return Err(format!("unexpected argument `{arg}`")),
            _ => schema = Some(PathBuf::from(arg)),
        }
    }
    Ok((schema.ok_or("SCHEMA is required")?, spec))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|arg| arg == "-h" || arg == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let Ok((schema, spec)) = parse_args(args.into_iter()).map_err(|message| eprintln!("error: {message}\n\n{USAGE}")) else {
        return ExitCode::from(2);
    };
    let imported = match upstream::import(&schema, &spec) {
        Ok(imported) => imported,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{}: {} file(s) written, {} removed, {} unchanged",
        spec.join(assemble::UPSTREAM_DIR).display(),
        imported.written.len(),
        imported.removed.len(),
        imported.unchanged
    );
    for removed in &imported.removed {
        println!("  removed {}", removed.display());
    }
    // Generating in memory checks the whole spec; its report starts with the assembly's entries.
    let krate = match generate(&spec, &Options::default()) {
        Ok(krate) => krate,
        Err(error) => {
            eprintln!("error: the next build will fail: {error}");
            return ExitCode::FAILURE;
        }
    };
    let local = spec.join(assemble::LOCAL_DIR);
    let about_local: Vec<_> = krate
        .report
        .entries
        .iter()
        .filter(|e| e.kind() == EntryKind::Override || e.file.as_ref().is_some_and(|f| f.starts_with(&local)))
        .collect();
    if about_local.is_empty() {
        println!("no local changes in {}", local.display());
    } else {
        println!("local changes, as the next build will report them:");
        let spec_name = spec.display().to_string();
        for entry in about_local {
            println!("  {}", entry.line(&spec_name));
        }
    }
    ExitCode::SUCCESS
}
