//! HTTP runtime shared by every operation of this crate.
//!
//! This module is hand-written and copied verbatim into every generated crate
//! by the generator. Do not edit it in a generated crate: change the copy in
//! the generator's `runtime/` directory instead, so that every crate gets the
//! same fix. The one exception is `credentials.rs`, which the generator writes
//! for each crate from its profile and security schemes: the credential kinds,
//! how each is sent, and the environment variables `Client::from_env` reads.
//! The generator also picks one file of each part that depends on the crate's
//! profile, and declares it at the end of this file: `envelope.rs` (the API's
//! response envelope) or `plain.rs`, and `request_id.rs` (a request-id header)
//! or `no_request_id.rs`.
//!
//! It provides the [`Client`] (configured through a [`ClientBuilder`] and
//! [`Credentials`]), the [`Error`] type every operation returns, the generic
//! [`RequestBuilder`] every operation's builder is an alias of, per-call
//! [`RequestOptions`], [`ApiResponse`] (a result with its status, headers,
//! and what the API's envelope carried besides), [`Pages`] / [`Items`] streams over paged
//! lists, [`Multipart`] bodies, [`Download`] streams, the escape hatch
//! [`Client::raw_request`], and the crate-private plumbing the generated
//! operations use to validate path parameters, build requests, retry (see
//! [`ClientBuilder::max_retries`] for the rule) and interpret the API's
//! response envelope (when its profile has one). Requests
//! are traced with `tracing` (span `request`, target `<crate>::runtime::request`;
//! never credentials, bodies or URLs).

mod auth;
mod builder;
mod client;
mod codec;
mod credentials;
mod download;
mod error;
mod lenient;
mod multipart;
mod options;
mod paginate;
mod path;
mod raw;
mod request;
mod response;
mod retry;
mod union;

pub use credentials::{CredentialKind, Credentials};
pub(crate) use auth::{EnvCredential, Redacted, Secrets};
pub use builder::{BinaryOperation, NextPage, Operation, PagedOperation, RequestBuilder};
pub(crate) use builder::{Call, download, operations, paged_list, request_builder, setters};
pub use client::{Client, ClientBuilder};
pub use download::Download;
pub use error::{ApiError, ApiErrorKind, DecodeError, Error};
pub use multipart::Multipart;
pub use options::RequestOptions;
pub use paginate::{Items, PageItems, PageRequest, Pages};
pub(crate) use paginate::pages;
pub(crate) use path::{Length, path_param};
pub use raw::RawRequest;
/// The HTTP method of a [`Client::raw_request`], re-exported so that no second dependency is needed.
pub use reqwest::Method;
pub use request::Read;
pub(crate) use request::{Auth, OperationSpec, Request};
pub use response::ApiResponse;
pub(crate) use codec::{Key, optional, required, serde_struct, string_enum};
pub(crate) use lenient::null_as_empty;
pub(crate) use union::{union_member, union_tag};

/// The future behind `.await` on an operation builder (`IntoFuture`).
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
