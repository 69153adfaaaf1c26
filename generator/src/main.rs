//! `generate --spec FILE --out DIR [--name CRATE] [--check]`

use std::path::PathBuf;
use std::process::ExitCode;

use openapi_clientgen::{EntryKind, Options, generate};

const USAGE: &str = "usage: generate --spec FILE --out DIR [--name CRATE] [--check] [--report] [--strict]

Generates a Rust client crate (Cargo.toml and src/) in DIR from the OpenAPI 3.0 description FILE.
  --spec FILE    the OpenAPI description, YAML or JSON
  --out DIR      where to write the crate; only changed files are written
  --name CRATE   the package name (default: openapi-client)
  --check        write nothing; list the files that would change and exit 1 if any would
  --report       print every warning, fallback and local override, then a count per reason
  --strict       treat the spec mistakes that are otherwise survived (warnings) as errors";

struct Args {
    spec: PathBuf,
    out: PathBuf,
    name: Option<String>,
    check: bool,
    report: bool,
    strict: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let (mut spec, mut out, mut name, mut check, mut report, mut strict) = (None, None, None, false, false, false);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--name" => name = Some(value("--name")?),
            "--check" => check = true,
            "--report" => report = true,
            "--strict" => strict = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(Args {
        spec: spec.ok_or("--spec is required")?,
        out: out.ok_or("--out is required")?,
        name,
        check,
        report,
        strict,
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
    let mut options = Options::default();
    if let Some(name) = args.name {
        options.crate_name = name;
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
