//! The long run of the property-test harness (`tests/fuzz/mod.rs`); see FUZZING.md.
//!
//! ```text
//! cargo run --release -p openapi-clientgen --example fuzz -- --target structured --seconds 600 [--seed N]
//! cargo run --release -p openapi-clientgen --example fuzz -- --target mutate --seed N --case K   # replay one case
//! cargo run --release -p openapi-clientgen --example fuzz -- --target structured --seconds 60 --compile 10
//! ```
//!
//! Failing inputs are written to `target/fuzz-failures/<target>-<seed>-<case>.<ext>`.

#[path = "../tests/fuzz/mod.rs"]
mod fuzz;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fuzz::{Outcome, Tally, Target, run_case};

struct Args {
    target: Target,
    seconds: u64,
    seed: u64,
    case: Option<u64>,
    max_cases: Option<u64>,
    compile: usize,
}

const USAGE: &str = "usage: fuzz [--target structured|mutate] [--seconds N] [--seed N] [--case K] [--cases N] [--compile N]";

fn parse_args() -> Result<Args, String> {
    let default_seed = SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| d.as_secs());
    let mut args = Args { target: Target::Structured, seconds: 60, seed: default_seed, case: None, max_cases: None, compile: 0 };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: String| v.parse::<u64>().map_err(|e| format!("{v}: {e}"));
        match flag.as_str() {
            "--target" => {
                let v = value()?;
                args.target = Target::parse(&v).ok_or_else(|| format!("unknown target {v}"))?;
            }
            "--seconds" => args.seconds = number(value()?)?,
            "--seed" => args.seed = number(value()?)?,
            "--case" => args.case = Some(number(value()?)?),
            "--cases" => args.max_cases = Some(number(value()?)?),
            "--compile" => args.compile = number(value()?)? as usize,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Some(case) = args.case {
        return replay(&args, case);
    }

    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("repository root").to_owned();
    let failures_dir = repo.join("target/fuzz-failures");
    let name = args.target.name();
    println!("fuzz: target {name}, seed {}, {} s (replay a case with --target {name} --seed {} --case K)", args.seed, args.seconds, args.seed);

    let started = Instant::now();
    let deadline = Duration::from_secs(args.seconds);
    let mut last_report = Instant::now();
    let mut tally = Tally::default();
    let mut to_compile = Vec::new();
    let mut case = 0;
    while started.elapsed() < deadline && args.max_cases.is_none_or(|max| case < max) {
        let (input, outcome) = run_case(args.target, args.seed, case);
        if let Outcome::Generated(krate) = &outcome {
            if to_compile.len() < args.compile {
                to_compile.push((case, krate.clone()));
            }
        }
        if tally.record(case, &outcome) {
            let (Outcome::Failed(message) | Outcome::Hung(message)) = &outcome else { unreachable!() };
            let ext = input.path.extension().map_or("txt".to_owned(), |e| e.to_string_lossy().into_owned());
            let file = failures_dir.join(format!("{name}-{}-{case}.{ext}", args.seed));
            let _ = std::fs::create_dir_all(&failures_dir);
            let _ = std::fs::write(&file, &input.text);
            println!("FAILURE {name} seed={} case={case}: {message}\n  input saved to {}", args.seed, file.display());
        }
        case += 1;
        if matches!(outcome, Outcome::Hung(_)) {
            println!("stopping: a hung case keeps its thread busy");
            break;
        }
        if last_report.elapsed() >= Duration::from_secs(30) {
            last_report = Instant::now();
            report(&tally, started.elapsed());
        }
    }
    let elapsed = started.elapsed();
    println!("done:");
    report(&tally, elapsed);
    for (message, count) in &tally.distinct {
        println!("  {count} x {message}");
    }
    let mut ok = tally.failures.is_empty();
    if !to_compile.is_empty() {
        ok &= compile(&repo, &to_compile);
    }
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn report(tally: &Tally, elapsed: Duration) {
    let secs = elapsed.as_secs_f64();
    println!(
        "  {:>7.1} s: {} cases ({:.0}/s), {} generated, {} refused, {} failing ({} distinct)",
        secs,
        tally.cases,
        tally.cases as f64 / secs.max(1e-9),
        tally.generated,
        tally.refused,
        tally.distinct.values().sum::<u64>(),
        tally.distinct.len()
    );
}

fn replay(args: &Args, case: u64) -> ExitCode {
    let (input, outcome) = run_case(args.target, args.seed, case);
    println!("--- input ({}) ---\n{}\n--- end of input ---", input.path.display(), input.text);
    match outcome {
        Outcome::Generated(krate) => {
            println!("generated {} files; every property holds", krate.files.len());
            ExitCode::SUCCESS
        }
        Outcome::Refused => {
            let error = openapi_clientgen::generate_from_str(&input.text, &input.path, &Default::default()).unwrap_err();
            println!("refused (as it should be): {error}");
            ExitCode::SUCCESS
        }
        Outcome::Failed(message) | Outcome::Hung(message) => {
            println!("FAILURE: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the crates into one temporary workspace and runs `cargo check` on it, as
/// `tests/compile_fixtures.rs` does for the fixtures.
fn compile(repo: &Path, crates: &[(u64, openapi_clientgen::GeneratedCrate)]) -> bool {
    let workspace = std::env::temp_dir().join(format!("fuzz-compile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&workspace);
    let mut members = Vec::new();
    for (case, krate) in crates {
        let name = format!("fuzz-case-{case}");
        let mut krate = krate.clone();
        let manifest = PathBuf::from("Cargo.toml");
        let text = krate.files[&manifest].replacen("name = \"openapi-client\"", &format!("name = \"{name}\""), 1);
        krate.files.insert(manifest, text);
        if let Err(e) = krate.write(&workspace.join(&name)) {
            println!("writing {name}: {e}");
            return false;
        }
        members.push(format!("{name:?}"));
    }
    let manifest = format!("[workspace]\nmembers = [{}]\nresolver = \"3\"\n", members.join(", "));
    std::fs::write(workspace.join("Cargo.toml"), manifest).expect("workspace Cargo.toml");
    std::fs::copy(repo.join("Cargo.lock"), workspace.join("Cargo.lock")).expect("Cargo.lock");
    let started = Instant::now();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["check", "--workspace", "--offline", "--message-format", "short"])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", repo.join("target/fixture-check"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("running cargo");
    let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let problems: Vec<&str> = log.lines().filter(|l| l.contains("warning:") || l.contains("error")).collect();
    println!("cargo check of {} generated crates in {} took {:.1?}: {}", crates.len(), workspace.display(), started.elapsed(), output.status);
    for line in &problems {
        println!("  {line}");
    }
    if output.status.success() {
        let _ = std::fs::remove_dir_all(&workspace);
    } else {
        println!("  (the workspace is kept for inspection)");
    }
    output.status.success()
}
