//! Every Rust block of the README compiles against the crate as it is: `build.rs` writes each one
//! into a module of `readme_snippets.rs`, included here. A snippet that no longer compiles fails
//! this test's build.

mod readme {
    include!(concat!(env!("OUT_DIR"), "/readme_snippets.rs"));
}

#[test]
fn the_readme_has_rust_snippets_and_they_compile() {
    // The call-shape tour, the first program and the request-body example at least: a README
    // whose blocks were no longer found would compile nothing.
    assert!(readme::SNIPPETS >= 3, "only {} Rust block(s) found in README.md", readme::SNIPPETS);
}
