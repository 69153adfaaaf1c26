//! HTTP runtime shared by every operation of this crate.
//!
//! This module is hand-written and copied verbatim into every generated crate
//! by the generator. Do not edit it in a generated crate: change the copy in
//! the generator's `runtime/` directory instead, so that every crate gets the
//! same fix.
//!
//! It provides the [`Client`] (configured through a [`ClientBuilder`] and
//! [`Credentials`]), the [`Error`] type every operation returns, and the
//! crate-private plumbing the generated operations use to validate path
//! parameters, build requests and interpret Cloudflare's response envelope.

mod auth;
mod client;
mod error;
mod path;
mod request;
mod union;

pub use auth::{CredentialKind, Credentials};
pub(crate) use auth::Redacted;
pub use client::{Client, ClientBuilder};
pub use error::{ApiError, ApiErrorKind, Error, ResponseInfo, ResponseInfoSource};
pub(crate) use path::{Length, path_param};
pub(crate) use request::{Auth, Request};
pub(crate) use union::{union_member, union_tag};
