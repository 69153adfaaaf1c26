//! Every operation of the generated client against a mock server that checks each request
//! against the spec: Prism (pinned in `tests/mock/package-lock.json`, installed with `npm ci`
//! when missing), started on loopback over `spec/` as the client reads it
//! (`openapi_clientgen::mock_document`: any one of Cloudflare's credentials is enough).
//!
//! Each operation is called once with arguments from the spec's examples (the calls are
//! generated: `openapi_clientgen::generate_with_mock_calls`, written by the build script), twice
//! over: Prism answering from the spec's examples, then with data it makes up from the schemas
//! (`Prefer: dynamic=true`). A success response with several named examples is asked for each
//! of the others too (`Prefer: example=NAME`), so every response example the spec gives, and
//! one synthesized from the schema where it gives none, is decoded by the client. An operation
//! passes when all its calls succeed: Prism accepted the request, and its answers decoded into
//! the generated types.
//!
//! Operations that fail for a reason outside the client are listed, with the cause, in
//! `tests/mock/defects.txt`; they count against the target of 98%, which the closing lines
//! report. Any failure that is not listed fails the test. A harness of its own (`harness = false`) so that the closing line is never captured:
//! `mock: P of N operations passed (E listed as schema defects)`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use cloudflare_api::{Client, Credentials, Error};
use futures_util::StreamExt;

/// One call per operation, with arguments from the spec's examples (generated; see above).
mod calls {
    include!(concat!(env!("OUT_DIR"), "/mock_calls.rs"));
}
use calls::{MOCK_CALLS, MockCall};

/// The share of operations that should pass; listed failures count against it.
const TARGET: f64 = 0.98;
/// Calls in flight at once when Prism answers from examples (it answers one at a time; a few
/// keep it busy). Made-up answers come one call at a time, so that Prism's seeded generator
/// makes the same data in every run (the data of one call depends on every call before it:
/// a change to the spec can change the made-up answers of later operations).
const CONCURRENCY: usize = 8;
/// The seed of Prism's generator of made-up answers.
const SEED: &str = "1";
/// How long Prism may take to load the spec (about 8 s for the whole API on a quiet machine).
const STARTUP: Duration = Duration::from_secs(180);

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("mock: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<bool, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let prism = install_prism(&root.join("tests/mock"))?;
    let document = openapi_clientgen::mock_document(&root.join("spec"), openapi_clientgen::ProfileChoice::Detect).map_err(|e| e.to_string())?;
    let work = tempfile::tempdir().map_err(|e| format!("cannot make a temporary directory: {e}"))?;
    let spec = work.path().join("openapi.json");
    std::fs::write(&spec, document.to_string()).map_err(|e| format!("cannot write {}: {e}", spec.display()))?;
    // To run Prism by hand on the same document: `MOCK_DOCUMENT=path cargo test --test mock`.
    if let Some(copy) = std::env::var_os("MOCK_DOCUMENT") {
        std::fs::copy(&spec, &copy).map_err(|e| format!("cannot copy the document to {}: {e}", Path::new(&copy).display()))?;
    }
    let server = Prism::start(&prism, &spec, &work.path().join("prism.log"))?;
    let defects = read_defects(&root.join("tests/mock/defects.txt"))?;

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    let mut failures: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    // Made-up answers first, while Prism's generator is as seeded: what they hold depends on
    // how many values it made before, so no other call may come between.
    for (mode, prefer, concurrency) in [("dynamic", Some("dynamic=true"), 1), ("examples", None, CONCURRENCY)] {
        let client = server.client(prefer)?;
        let started = Instant::now();
        let outcomes = runtime.block_on(call_all(&client, concurrency));
        println!("mock: {} calls with answers from {mode} in {:.1} s", MOCK_CALLS.len(), started.elapsed().as_secs_f64());
        for (call, outcome) in MOCK_CALLS.iter().zip(outcomes) {
            if let Err(why) = outcome {
                failures.entry(call.operation_id).or_default().push(format!("{mode}: {why}"));
            }
        }
    }
    // A response with several named examples: Prism answers with the first unless asked for
    // another by name, so each other one is asked for once.
    let named: Vec<(&MockCall, &str)> = MOCK_CALLS.iter().flat_map(|call| call.other_examples.iter().map(move |name| (call, *name))).collect();
    for (call, name) in &named {
        let client = server.client(Some(&format!("example={name}")))?;
        if let Err(why) = runtime.block_on(outcome(&client, call)) {
            failures.entry(call.operation_id).or_default().push(format!("example `{name}`: {why}"));
        }
    }
    println!("mock: {} calls answered with the other named examples of their responses", named.len());
    if failures.len() == MOCK_CALLS.len() {
        println!("mock: every call failed; Prism's log ends:\n{}", tail(&work.path().join("prism.log")));
    }
    drop(server);

    let total = MOCK_CALLS.len();
    let mut unexpected = 0;
    let mut listed_by_cause: BTreeMap<&str, usize> = BTreeMap::new();
    for (operation, why) in &failures {
        let call = MOCK_CALLS.iter().find(|c| c.operation_id == *operation).expect("a failure is of a call");
        match defects.get(*operation) {
            Some(defect) => {
                *listed_by_cause.entry(cause(defect)).or_default() += 1;
                println!("listed   {} {} {operation}: {defect}", call.method, call.path);
            }
            None => {
                unexpected += 1;
                println!("FAILED   {} {} {operation}\n         {}", call.method, call.path, why.join("\n         "));
            }
        }
    }
    for operation in defects.keys().filter(|op| !failures.contains_key(op.as_str())) {
        let known = MOCK_CALLS.iter().any(|c| c.operation_id == operation);
        let note = if known { "passed in this run (if it keeps passing, remove the line)" } else { "is no operation of the crate: remove the line" };
        println!("note     {operation} is listed in tests/mock/defects.txt but {note}");
    }
    let passed = total - failures.len();
    let schema_defects = listed_by_cause.get("spec").copied().unwrap_or(0);
    println!("mock: {passed} of {total} operations passed ({schema_defects} listed as schema defects)");
    let others: Vec<String> = listed_by_cause.iter().filter(|(c, _)| **c != "spec").map(|(c, n)| format!("{n} {c}")).collect();
    if !others.is_empty() {
        println!("mock: also listed, as failures of other causes: {}", others.join(", "));
    }
    let share = passed as f64 / total.max(1) as f64;
    println!("mock: {:.1}% passed; the target is {:.0}% (listed failures count against it)", share * 100.0, TARGET * 100.0);
    if unexpected > 0 {
        println!("mock: {unexpected} operation(s) failed that tests/mock/defects.txt does not list");
    }
    Ok(unexpected == 0)
}

/// The cause a line of `defects.txt` gives: the word before its first `:`.
fn cause(defect: &str) -> &str {
    defect.split_once(':').map_or("", |(cause, _)| cause.trim())
}

/// Calls every operation once; the outcomes in the order of [`MOCK_CALLS`].
async fn call_all(client: &Client, concurrency: usize) -> Vec<Result<(), String>> {
    let calls = futures_util::stream::iter(MOCK_CALLS.iter().enumerate()).map(|(i, call)| async move { (i, outcome(client, call).await) });
    let mut outcomes: Vec<(usize, Result<(), String>)> = calls.buffer_unordered(concurrency).collect().await;
    outcomes.sort_by_key(|(i, _)| *i);
    outcomes.into_iter().map(|(_, outcome)| outcome).collect()
}

/// What became of one call: `Ok`, or why it failed, with what Prism said of the request.
async fn outcome(client: &Client, call: &MockCall) -> Result<(), String> {
    let call_fn = call.call.map_err(|why| format!("no call was generated: {why}"))?;
    let error = match call_fn(client).await {
        Ok(()) => return Ok(()),
        Err(error) => error,
    };
    Err(match &error {
        Error::Api(api) => {
            let violations = api.header("sl-violations").map(|v| format!("; violations: {v}")).unwrap_or_default();
            let body: String = api.body_text().chars().take(600).collect();
            format!("{error}{violations}; body: {body}")
        }
        Error::Decode(decode) => {
            let body: String = decode.body_text().chars().take(300).collect();
            format!("{error}; body: {body}")
        }
        other => {
            // The causes too: a transport error says little on its own.
            let mut text = other.to_string();
            let mut source = std::error::Error::source(other);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            text
        }
    })
}

/// `tests/mock/defects.txt`: `operationId  the defect`, one per line; `#` starts a comment.
fn read_defects(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut defects = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (operation, defect) = line.split_once(char::is_whitespace).ok_or_else(|| format!("{}:{}: no defect after the operation", path.display(), n + 1))?;
        if defects.insert(operation.to_owned(), defect.trim().to_owned()).is_some() {
            return Err(format!("{}:{}: {operation} is listed twice", path.display(), n + 1));
        }
    }
    Ok(defects)
}

/// The Prism command of `dir`, installing the pinned version with `npm ci` when it is missing.
fn install_prism(dir: &Path) -> Result<PathBuf, String> {
    let prism = dir.join("node_modules/.bin/prism");
    if prism.exists() {
        return Ok(prism);
    }
    let npm_missing = "needs Node.js (20 or newer) and npm to run the mock server Prism: install them (for example `apt-get install nodejs npm`), then run `cargo test --test mock` again";
    Command::new("node").arg("--version").output().map_err(|_| npm_missing.to_owned())?;
    eprintln!("mock: installing the pinned Prism with `npm ci` in {}", dir.display());
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
        .current_dir(dir)
        .status()
        .map_err(|_| npm_missing.to_owned())?;
    if !status.success() || !prism.exists() {
        return Err(format!("`npm ci` in {} failed ({status})", dir.display()));
    }
    Ok(prism)
}

/// A running Prism, stopped when dropped.
struct Prism {
    child: Child,
    port: u16,
}

impl Prism {
    fn start(prism: &Path, spec: &Path, log: &Path) -> Result<Prism, String> {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
        let log_file = std::fs::File::create(log).map_err(|e| e.to_string())?;
        let child = Command::new(prism)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string(), "--seed", SEED, "--verboseLevel", "warn"])
            .arg(spec)
            .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
            .stderr(log_file)
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", prism.display()))?;
        let mut server = Prism { child, port };
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!("Prism stopped ({status}) before listening:\n{}", tail(log)));
            }
            if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
                return Ok(server);
            }
            if started.elapsed() > STARTUP {
                return Err(format!("Prism did not listen within {} s:\n{}", STARTUP.as_secs(), tail(log)));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// A client of the mock: an API token, no retries (a mock's 5xx is an answer, not a hiccup),
    /// and a fresh connection per call (Node.js closes idle connections on its own schedule,
    /// which can race with a pooled connection's reuse).
    fn client(&self, prefer: Option<&str>) -> Result<Client, String> {
        let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().map_err(|e| e.to_string())?;
        let mut builder = Client::builder()
            .http_client(http)
            .credentials(Credentials::api_token("mock-api-token"))
            .base_url(format!("http://127.0.0.1:{}", self.port))
            .max_retries(0);
        if let Some(prefer) = prefer {
            builder = builder.default_header("prefer", prefer);
        }
        builder.build().map_err(|e| e.to_string())
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The last lines of a log, for an error message.
fn tail(log: &Path) -> String {
    let lines: Vec<String> = std::fs::File::open(log).map(|f| BufReader::new(f).lines().map_while(Result::ok).collect()).unwrap_or_default();
    lines[lines.len().saturating_sub(20)..].join("\n")
}
