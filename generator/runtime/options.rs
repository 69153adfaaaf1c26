//! Options that change one call without building a new client.

use std::fmt;
use std::time::Duration;

/// Per-call options: a timeout, a retry count, extra headers and query
/// parameters. Every operation builder has the same setters (for example
/// `.request_timeout(..)`), and its `.with_options(..)` takes a whole set at
/// once, to share one set between calls.
///
/// ```ignore
/// let options = RequestOptions::new().max_retries(0).extra_header("X-Debug", "1");
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) retry_non_idempotent: Option<bool>,
    pub(crate) extra_headers: Vec<(String, String)>,
    pub(crate) extra_query: Vec<(String, String)>,
}

impl RequestOptions {
    /// No options: the client's settings apply.
    #[must_use]
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// The timeout of each attempt, replacing the client's.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times a failed attempt may be retried, replacing the client's
    /// (0 disables retries). See the retry rule on [`ClientBuilder::max_retries`](super::ClientBuilder::max_retries).
    #[must_use]
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Whether a non-idempotent request (`POST`, `PATCH`) may be repeated
    /// after the server may have acted on it, replacing the client's setting.
    #[must_use]
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = Some(allow);
        self
    }

    /// A header sent with this call, replacing any header of that name the
    /// client or operation would send (credentials excepted). An invalid name
    /// or value fails the call with [`Error::InvalidParameter`](super::Error::InvalidParameter)
    /// before anything is sent.
    #[must_use]
    pub fn extra_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_headers.push((name.into(), value.into()));
        self
    }

    /// A query parameter added to this call's URL (after the operation's own).
    #[must_use]
    pub fn extra_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_query.push((name.into(), value.into()));
        self
    }
}

/// Header and query values may be secrets: only their names are shown.
impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |pairs: &[(String, String)]| pairs.iter().map(|(name, _)| name.clone()).collect::<Vec<_>>();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("extra_headers", &names(&self.extra_headers))
            .field("extra_query", &names(&self.extra_query))
            .finish()
    }
}

/// Adds the per-call option setters to a request builder `$builder` (generic over `$param`s)
/// that has an `options_mut(&mut self) -> &mut RequestOptions`.
macro_rules! impl_request_options {
    ($builder:ty $(, $param:ident)*) => {
        impl<$($param),*> $builder {
            /// The timeout of each attempt of this call, replacing the client's.
            pub fn request_timeout(mut self, timeout: std::time::Duration) -> Self {
                let options = self.options_mut();
                *options = std::mem::take(options).request_timeout(timeout);
                self
            }

            /// How many times a failed attempt of this call may be retried
            /// (0 disables retries), replacing the client's setting.
            pub fn max_retries(mut self, retries: u32) -> Self {
                let options = self.options_mut();
                *options = std::mem::take(options).max_retries(retries);
                self
            }

            /// Whether this call may be repeated after the server may have
            /// acted on it even if its method is not idempotent.
            pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
                let options = self.options_mut();
                *options = std::mem::take(options).retry_non_idempotent(allow);
                self
            }

            /// A header sent with this call, replacing any of that name the
            /// client or operation would send (credentials excepted).
            pub fn extra_header(mut self, name: impl Into<std::string::String>, value: impl Into<std::string::String>) -> Self {
                let options = self.options_mut();
                *options = std::mem::take(options).extra_header(name, value);
                self
            }

            /// A query parameter added to this call's URL.
            pub fn extra_query(mut self, name: impl Into<std::string::String>, value: impl Into<std::string::String>) -> Self {
                let options = self.options_mut();
                *options = std::mem::take(options).extra_query(name, value);
                self
            }

            /// Replaces all per-call options of this call at once.
            pub fn with_options(mut self, options: RequestOptions) -> Self {
                *self.options_mut() = options;
                self
            }
        }
    };
}
pub(crate) use impl_request_options;
