//! Test material for a generated crate, made from one lowered spec (a [`Lowered`](crate::Lowered),
//! from [`lower`](crate::lower())), never part of the crate itself:
//!
//! - [`mock_calls()`]: a module that calls every operation once with arguments from the spec's
//!   examples (the repository's build script writes it for `tests/mock.rs`);
//! - [`example_checks()`]: an integration test that decodes every response example of the spec into
//!   the type its operation returns;
//! - [`mock_document()`]: the spec as a mock server (Prism) should load it to answer the client.
//!
//! Take it before [`Lowered::emit`](crate::Lowered::emit), which consumes the lowered spec.

mod call_inputs;
mod example_checks;
mod mock_calls;
mod mock_document;
mod response_examples;
mod sampler;
#[cfg(test)]
mod tests;

pub use example_checks::example_checks;
pub use mock_calls::mock_calls;
pub use mock_document::mock_document;
