//! Per-request overhead of the generated client against a hand-written `reqwest` + `serde_json`
//! call doing the same request (`POST .../rotate_secret` with a bearer token, decoding the
//! envelope's `result`), side by side against the same loopback server on one connection.
//!
//! `cargo bench --bench overhead` prints the time per request of each (median of rounds that
//! alternate which side goes first) and `overhead ratio: R`, generated over hand-written, of the
//! CPU time spent per request (see `thread_cpu_time`), or of wall time where that is unknown.
//! `OVERHEAD_ROUNDS` and `OVERHEAD_REQUESTS` (per round and side) change the run's length.

#[path = "../tests/support/loopback.rs"]
mod loopback;

use std::time::{Duration, Instant};

use cloudflare_api::{Client, Credentials};
use serde::Deserialize;

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const OAUTH_CLIENT: &str = "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4";
const TOKEN: &str = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY";
const BODY: &str = r#"{"errors":[],"messages":[],"success":true,"result":{"client_secret":"cf-oauth-secret-new-example"}}"#;

/// What the hand-written call decodes: the same fields the generated type has.
#[derive(Deserialize)]
struct Envelope {
    success: bool,
    result: Option<Rotated>,
}

#[derive(Deserialize)]
struct Rotated {
    #[serde(default)]
    client_secret: Option<String>,
}

/// The request as someone would write it by hand with reqwest and serde_json.
async fn hand_written(http: &reqwest::Client, base_url: &str) -> Option<String> {
    let url = format!("{base_url}/accounts/{ACCOUNT}/oauth_clients/{OAUTH_CLIENT}/rotate_secret");
    let response = http
        .post(url)
        .bearer_auth(TOKEN)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .expect("sent");
    assert!(response.status().is_success());
    let body = response.bytes().await.expect("read");
    let envelope: Envelope = serde_json::from_slice(&body).expect("decoded");
    assert!(envelope.success);
    envelope.result.and_then(|result| result.client_secret)
}

async fn generated(client: &Client) -> Option<String> {
    client.iam().oauth_clients().rotate_secret(ACCOUNT, OAUTH_CLIENT).await.expect("call succeeds").client_secret
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The CPU time this thread has used (`CLOCK_THREAD_CPUTIME_ID`), or `None` where it cannot be
/// read. Server and clients share this one thread, so its CPU time is the work of a round
/// without the time the scheduler gave to other processes: the machine is shared, and wall time
/// under load mostly measures the neighbours. (`/proc/thread-self/schedstat`, used before, counts
/// the running thread's time in whole scheduler ticks: 4 ms steps in rounds of about 35 ms, which
/// biased the ratio by a tick, 1.12 even with the same call on both sides.)
#[cfg(unix)]
fn thread_cpu_time() -> Option<Duration> {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid, writable timespec; the call only writes to it.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    (status == 0).then(|| Duration::new(now.tv_sec as u64, now.tv_nsec as u32))
}

#[cfg(not(unix))]
fn thread_cpu_time() -> Option<Duration> {
    None
}

/// Seconds per request of `per_round` calls of `call`: (wall clock, CPU time if known).
async fn time_round<F: std::future::Future<Output = Option<String>>>(per_round: usize, mut call: impl FnMut() -> F) -> (f64, Option<f64>) {
    let (started, cpu_started) = (Instant::now(), thread_cpu_time());
    for _ in 0..per_round {
        std::hint::black_box(call().await);
    }
    let wall = started.elapsed().as_secs_f64() / per_round as f64;
    let cpu = cpu_started.zip(thread_cpu_time()).map(|(from, to)| (to - from).as_secs_f64() / per_round as f64);
    (wall, cpu)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let rounds = env_number("OVERHEAD_ROUNDS", 21).max(1);
    let per_round = env_number("OVERHEAD_REQUESTS", 500).max(1);
    // One thread for the server and both clients: no scheduling noise between them.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let server = loopback::Loopback::start_fixed(BODY.as_bytes().to_vec()).await;
        let client = Client::builder().base_url(&server.base_url).credentials(Credentials::api_token(TOKEN)).build().unwrap();
        // The same transport settings and request headers the generated client uses: a 60 s
        // timeout per request, a User-Agent, no redirects.
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("cloudflare-api/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        for _ in 0..per_round * 2 {
            assert!(generated(&client).await.is_some());
            assert!(hand_written(&http, &server.base_url).await.is_some());
        }
        let mut samples = Samples::default();
        for round in 0..rounds {
            // OVERHEAD_CONTROL=1 times the hand-written call on both sides: the ratio then shows
            // the bench's own bias and noise.
            let control = std::env::var_os("OVERHEAD_CONTROL").is_some();
            let generated_round = || async {
                if control {
                    time_round(per_round, || hand_written(&http, &server.base_url)).await
                } else {
                    time_round(per_round, || generated(&client)).await
                }
            };
            let hand_round = || time_round(per_round, || hand_written(&http, &server.base_url));
            // Alternate which side goes first, so drift in the machine's load falls on both.
            let (g, h) = if round % 2 == 0 {
                let g = generated_round().await;
                (g, hand_round().await)
            } else {
                let h = hand_round().await;
                (generated_round().await, h)
            };
            samples.push(g, h);
        }
        println!(
            "requests: {rounds} rounds x {per_round} per side, {} served on {} connections",
            server.count(),
            server.connections()
        );
        samples.report();
    });
}

/// Per-round times of both sides.
#[derive(Default)]
struct Samples {
    wall: (Vec<f64>, Vec<f64>),
    cpu: (Vec<f64>, Vec<f64>),
}

impl Samples {
    fn push(&mut self, generated: (f64, Option<f64>), hand: (f64, Option<f64>)) {
        self.wall.0.push(generated.0);
        self.wall.1.push(hand.0);
        if let (Some(g), Some(h)) = (generated.1, hand.1) {
            self.cpu.0.push(g);
            self.cpu.1.push(h);
        }
    }

    /// Prints the medians and `overhead ratio: R`: of CPU time when it could be read, else of
    /// wall time.
    fn report(self) {
        let ratio = |(generated, hand): &(Vec<f64>, Vec<f64>)| median(generated.clone()) / median(hand.clone());
        let line = |what: &str, (generated, hand): &(Vec<f64>, Vec<f64>)| {
            println!(
                "{what}: generated {:.1} us/request, hand-written {:.1} us/request, ratio {:.3}",
                median(generated.clone()) * 1e6,
                median(hand.clone()) * 1e6,
                ratio(&(generated.clone(), hand.clone())),
            );
        };
        line("wall time", &self.wall);
        if self.cpu.0.is_empty() {
            println!("overhead ratio: {:.3}", ratio(&self.wall));
        } else {
            line("CPU time ", &self.cpu);
            println!("overhead ratio: {:.3}", ratio(&self.cpu));
        }
    }
}
