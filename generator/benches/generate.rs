//! Generation speed: `cargo bench -p openapi-clientgen --bench generate [-- SPEC...]`.
//!
//! Times load (parse + check), lower, and the whole pipeline (load, lower, emit, render; nothing
//! written) on each spec, and prints the median of several runs. A spec is a file or a spec
//! directory such as the repository's `spec/` (load then includes assembling it). With no
//! arguments it uses the rotate_secret fixture, the repository's `spec/`, and, when present beside
//! the repository, the full 2024 Cloudflare schema. Relative paths are read from the repository
//! root.
//! Figures go in BENCHMARKS.md; nothing here asserts a time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use openapi_clientgen::{Options, assemble, generate, generate_from_str, load, lower};

/// The command line's allocator (see `src/main.rs`), so the figures are the command line's.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const RUNS: usize = 7;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut samples = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        last = Some(f());
        samples.push(started.elapsed());
    }
    (median(samples), last.expect("RUNS > 0"))
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs: Vec<PathBuf> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).map(|a| root.join(a)).collect();
    if specs.is_empty() {
        specs.push(root.join("generator/tests/fixtures/rotate_secret.reference.yaml"));
        specs.push(root.join("spec"));
        let full = root.join("../shared/specs/cloudflare/openapi.2024-08-07.json");
        if full.exists() {
            specs.push(full);
        }
    }
    println!("median of {RUNS} runs, release build");
    for spec in specs {
        let (text_len, load_time, loaded, total_time, krate);
        if spec.is_dir() {
            (load_time, loaded) = time(|| {
                let assembled = assemble::assemble(&spec).expect("spec directory assembles");
                load::from_json(assembled.raw, &spec).expect("spec loads")
            });
            (total_time, krate) = time(|| generate(&spec, &Options::default()).expect("spec generates"));
            text_len = assemble::documents_under(&spec, &["json", "yaml", "yml"])
                .expect("spec directory lists")
                .iter()
                .map(|f| std::fs::metadata(f).map_or(0, |m| m.len() as usize))
                .sum();
        } else {
            let text = std::fs::read_to_string(&spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
            (load_time, loaded) = time(|| load::parse(&text, &spec).expect("spec loads"));
            (total_time, krate) = time(|| generate_from_str(&text, &spec, &Options::default()).expect("spec generates"));
            text_len = text.len();
        }
        let (lower_time, api) = time(|| lower::lower(&loaded).expect("spec lowers"));
        let operations = api.operations().count();
        let bytes: usize = krate.files.values().map(String::len).sum();
        println!(
            "{}: {} bytes in, {operations} operations, {} types, {} files / {bytes} bytes out\n  load {load_time:.1?}  lower {lower_time:.1?}  total {total_time:.1?}",
            spec.file_name().map_or_else(|| spec.display().to_string(), |n| n.to_string_lossy().into_owned()),
            text_len,
            api.types.len(),
            krate.files.len(),
        );
    }
}
