//! The quick run of the property-test harness (`tests/fuzz/mod.rs`): a fixed seed, a few hundred
//! random specs and a few hundred mutated example specs. The long run is `examples/fuzz.rs`; see
//! FUZZING.md.

mod fuzz;

use fuzz::{Outcome, Tally, Target, run_case};

const SEED: u64 = 0x5EED_2024;

fn quick(target: Target, cases: u64) -> Tally {
    let mut tally = Tally::default();
    for case in 0..cases {
        let (input, outcome) = run_case(target, SEED, case);
        if let Outcome::Failed(message) | Outcome::Hung(message) = &outcome {
            panic!(
                "{} case {case} (seed {SEED}) failed: {message}\nreplay: cargo run --release -p openapi-clientgen --example fuzz -- --target {} --seed {SEED} --case {case}\ninput ({}):\n{}",
                target.name(),
                target.name(),
                input.path.display(),
                input.text
            );
        }
        tally.record(case, &outcome);
    }
    tally
}

#[test]
fn structured_specs_never_panic_and_emit_valid_rust() {
    let tally = quick(Target::Structured, 300);
    // The generator must sometimes get through to emitting, or the properties checked nothing.
    assert!(tally.generated >= 15, "only {} of {} random specs generated a crate", tally.generated, tally.cases);
    assert!(tally.refused >= 30, "only {} of {} random specs were refused", tally.refused, tally.cases);
}

#[test]
fn mutated_specs_never_panic_and_emit_valid_rust() {
    let tally = quick(Target::Mutate, 300);
    assert!(tally.generated >= 10, "only {} of {} mutated specs generated a crate", tally.generated, tally.cases);
    assert!(tally.refused >= 10, "only {} of {} mutated specs were refused", tally.refused, tally.cases);
}
