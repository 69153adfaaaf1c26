//! `generate --spec FILE --out DIR [--options FILE] [--name CRATE] [--profile NAME] [--check]`

use std::path::PathBuf;
use std::process::ExitCode;

use openapi_clientgen::{EntryKind, Options, ProfileChoice, generate};

/// jemalloc rather than the system's allocator: generating allocates and frees millions of small
/// values (token trees, names, pointers), and glibc's malloc and free took over a quarter of all
/// instructions; with jemalloc `spec/` generates in about a fifth less time, at the same peak
/// memory (BENCHMARKS.md).
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const USAGE: &str = "usage: generate --spec FILE --out DIR [--options FILE] [--name CRATE] [--profile NAME] [--check] [--report] [--strict]

Generates a Rust client crate (Cargo.toml and src/) in DIR from the OpenAPI 3.0 description FILE.
  --spec FILE    the OpenAPI description, YAML or JSON
  --out DIR      where to write the crate; only changed files are written
  --options FILE the crate's name, version and package metadata, a JSON object: name, version,
                 description, license, repository, homepage (strings), keywords, categories (lists),
                 profile (a string, as --profile)
  --name CRATE   the package name (default: the options file's, else openapi-client)
  --profile NAME the API's conventions: cloudflare or generic (default: the options file's, else
                 detected from the spec's servers)
  --check        write nothing; list the files that would change and exit 1 if any would
  --report       print every warning, fallback and local override, then a count per reason
  --strict       treat the spec mistakes that are otherwise survived (warnings) as errors
  --sync-features MANIFEST
                 also copy the generated [features] table into MANIFEST (a package that compiles
                 the generated sources itself, such as this repository's root package)";

struct Args {
    spec: PathBuf,
    out: PathBuf,
    name: Option<String>,
    profile: Option<ProfileChoice>,
    options: Option<PathBuf>,
    check: bool,
    report: bool,
    strict: bool,
    sync_features: Option<PathBuf>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let (mut spec, mut out, mut name, mut check, mut report, mut strict) = (None, None, None, false, false, false);
    let (mut sync_features, mut options, mut profile) = (None, None, None);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--name" => name = Some(value("--name")?),
            "--profile" => profile = Some(ProfileChoice::named(&value("--profile")?)?),
            "--options" => options = Some(PathBuf::from(value("--options")?)),
            "--check" => check = true,
            "--report" => report = true,
            "--strict" => strict = true,
            "--sync-features" => sync_features = Some(PathBuf::from(value("--sync-features")?)),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(Args {
        spec: spec.ok_or("--spec is required")?,
        out: out.ok_or("--out is required")?,
        name,
        profile,
        options,
        check,
        report,
        strict,
        sync_features,
    })
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut options = match &args.options {
        None => Options::default(),
        Some(path) => match std::fs::read_to_string(path).map_err(|e| e.to_string()).and_then(|text| Options::from_json(&text).map_err(|e| e.to_string())) {
            Ok(options) => options,
            Err(message) => {
                eprintln!("error: {}: {message}", path.display());
                return ExitCode::from(2);
            }
        },
    };
    if let Some(name) = args.name {
        options.crate_name = name;
    }
    if let Some(profile) = args.profile {
        options.profile = profile;
    }
    if let Err(error) = options.validate() {
        eprintln!("error: {error}\n\n{USAGE}");
        return ExitCode::from(2);
    }
    let krate = match generate(&args.spec, &options) {
        Ok(krate) => krate,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let spec_name = args.spec.display().to_string();
    if args.report {
        print!("{}", krate.report.render(&spec_name));
    }
    let warnings: Vec<_> = krate.report.of_kind(EntryKind::Warning).collect();
    for warning in &warnings {
        eprintln!("{}", warning.line(&spec_name));
    }
    if args.strict && !warnings.is_empty() {
        eprintln!("error: {} spec mistake(s) and --strict: nothing written", warnings.len());
        return ExitCode::FAILURE;
    }
    if let (Some(manifest), false) = (&args.sync_features, args.check) {
        if let Err(message) = sync_features(&krate, manifest) {
            eprintln!("error: {}: {message}", manifest.display());
            return ExitCode::FAILURE;
        }
    }
    let result = if args.check { krate.check(&args.out) } else { krate.write(&args.out) };
    match result {
        Ok(drift) if args.check && !drift.is_empty() => {
            eprintln!("{} file(s) differ from what {} generates:", drift.len(), args.spec.display());
            for item in &drift {
                eprintln!("  {item}");
            }
            ExitCode::FAILURE
        }
        Ok(drift) => {
            let verb = if args.check { "up to date" } else { "written" };
            println!("{}: {} ({} file(s) changed)", args.out.display(), verb, drift.len());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Rewrites the `[features]` table of `manifest` to the generated crate's, if it differs.
fn sync_features(krate: &openapi_clientgen::GeneratedCrate, manifest: &std::path::Path) -> Result<(), String> {
    let generated = krate.files.get(std::path::Path::new("Cargo.toml")).ok_or("no generated Cargo.toml")?;
    let table = openapi_clientgen::features_table(generated).ok_or("the generated Cargo.toml has no [features]")?;
    let text = std::fs::read_to_string(manifest).map_err(|e| e.to_string())?;
    let updated = openapi_clientgen::with_features_table(&text, table);
    if updated != text {
        std::fs::write(manifest, updated).map_err(|e| e.to_string())?;
    }
    Ok(())
}
