//! Credentials and how they are sent.

use std::fmt;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

use super::error::Error;

/// The credentials a [`Client`](super::Client) authenticates with.
///
/// Exactly one kind of credential is used at a time. The [`Debug`]
/// representation never shows a token or key.
#[derive(Clone)]
pub enum Credentials {
    /// An API token, sent as `Authorization: Bearer <token>`.
    ApiToken(String),
    /// A global API key with the account's email address, sent as
    /// `X-Auth-Email` and `X-Auth-Key`.
    ApiKey {
        /// The email address of the account.
        email: String,
        /// The global API key.
        key: String,
    },
    /// A user service key (Origin CA key), sent as `X-Auth-User-Service-Key`.
    UserServiceKey(String),
}

impl Credentials {
    /// Credentials made of an API token.
    #[must_use]
    pub fn api_token(token: impl Into<String>) -> Self {
        Credentials::ApiToken(token.into())
    }

    /// Credentials made of an account email and a global API key.
    #[must_use]
    pub fn api_key(email: impl Into<String>, key: impl Into<String>) -> Self {
        Credentials::ApiKey {
            email: email.into(),
            key: key.into(),
        }
    }

    /// Credentials made of a user service key.
    #[must_use]
    pub fn user_service_key(key: impl Into<String>) -> Self {
        Credentials::UserServiceKey(key.into())
    }

    /// The kind of these credentials.
    #[must_use]
    pub fn kind(&self) -> CredentialKind {
        match self {
            Credentials::ApiToken(_) => CredentialKind::ApiToken,
            Credentials::ApiKey { .. } => CredentialKind::ApiKey,
            Credentials::UserServiceKey(_) => CredentialKind::UserServiceKey,
        }
    }

    /// Turns the credentials into the headers sent with each request, every
    /// value marked sensitive. Done once, when the client is built.
    pub(crate) fn resolve(&self) -> Result<ResolvedCredentials, Error> {
        let mut headers = HeaderMap::new();
        match self {
            Credentials::ApiToken(token) => {
                headers.insert(AUTHORIZATION, secret_value("Bearer ", token, "API token")?);
            }
            Credentials::ApiKey { email, key } => {
                headers.insert(
                    HeaderName::from_static("x-auth-email"),
                    secret_value("", email, "API email")?,
                );
                headers.insert(
                    HeaderName::from_static("x-auth-key"),
                    secret_value("", key, "API key")?,
                );
            }
            Credentials::UserServiceKey(key) => {
                headers.insert(
                    HeaderName::from_static("x-auth-user-service-key"),
                    secret_value("", key, "user service key")?,
                );
            }
        }
        Ok(ResolvedCredentials {
            kind: self.kind(),
            headers,
        })
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const REDACTED: &str = "<redacted>";
        match self {
            Credentials::ApiToken(_) => f.debug_tuple("ApiToken").field(&REDACTED).finish(),
            Credentials::ApiKey { email, .. } => f
                .debug_struct("ApiKey")
                .field("email", email)
                .field("key", &REDACTED)
                .finish(),
            Credentials::UserServiceKey(_) => {
                f.debug_tuple("UserServiceKey").field(&REDACTED).finish()
            }
        }
    }
}

/// Builds a sensitive header value `prefix + secret`, naming `what` (never
/// the secret) when it is unusable.
fn secret_value(prefix: &str, secret: &str, what: &str) -> Result<HeaderValue, Error> {
    if secret.is_empty() {
        return Err(Error::Credentials(format!("the {what} is empty")));
    }
    let mut value = HeaderValue::from_str(&format!("{prefix}{secret}")).map_err(|_| {
        Error::Credentials(format!(
            "the {what} contains characters that are not allowed in an HTTP header \
             (control characters such as CR, LF or NUL)"
        ))
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// The kind of a [`Credentials`] value, without the secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialKind {
    /// An API token ([`Credentials::ApiToken`]).
    ApiToken,
    /// An email and global API key ([`Credentials::ApiKey`]).
    ApiKey,
    /// A user service key ([`Credentials::UserServiceKey`]).
    UserServiceKey,
}

impl fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CredentialKind::ApiToken => "API token",
            CredentialKind::ApiKey => "API email + API key",
            CredentialKind::UserServiceKey => "user service key",
        })
    }
}

/// Credentials turned into ready-to-send headers.
pub(crate) struct ResolvedCredentials {
    /// The kind of the credentials.
    pub(crate) kind: CredentialKind,
    /// The headers to send, every value marked sensitive.
    pub(crate) headers: HeaderMap,
}

impl fmt::Debug for ResolvedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResolvedCredentials")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Stands in for a secret in `Debug` output: prints `<redacted>`.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials_error(credentials: Credentials) -> String {
        match credentials.resolve() {
            Err(Error::Credentials(message)) => message,
            other => panic!("expected a credentials error, got {other:?}"),
        }
    }

    #[test]
    fn debug_is_redacted() {
        let token = format!("{:?}", Credentials::api_token("tok-SECRET"));
        assert_eq!(token, r#"ApiToken("<redacted>")"#);
        let key = format!("{:?}", Credentials::api_key("me@example.com", "key-SECRET"));
        assert_eq!(
            key,
            r#"ApiKey { email: "me@example.com", key: "<redacted>" }"#
        );
        let service = format!("{:#?}", Credentials::user_service_key("v1.0-SECRET"));
        assert!(!service.contains("SECRET"), "{service}");
        assert!(service.contains("UserServiceKey"));
    }

    #[test]
    fn kinds_and_display() {
        assert_eq!(Credentials::api_token("t").kind(), CredentialKind::ApiToken);
        assert_eq!(
            Credentials::api_key("e", "k").kind(),
            CredentialKind::ApiKey
        );
        assert_eq!(
            Credentials::user_service_key("s").kind(),
            CredentialKind::UserServiceKey
        );
        assert_eq!(CredentialKind::ApiToken.to_string(), "API token");
        assert_eq!(CredentialKind::ApiKey.to_string(), "API email + API key");
        assert_eq!(
            CredentialKind::UserServiceKey.to_string(),
            "user service key"
        );
    }

    #[test]
    fn headers_are_built_and_sensitive() {
        let resolved = Credentials::api_token("abc").resolve().unwrap();
        assert_eq!(resolved.kind, CredentialKind::ApiToken);
        let value = resolved.headers.get(AUTHORIZATION).unwrap();
        assert_eq!(value, "Bearer abc");
        assert!(value.is_sensitive());
        assert_eq!(resolved.headers.len(), 1);
        assert!(!format!("{resolved:?}").contains("abc"));

        let resolved = Credentials::api_key("me@example.com", "k1")
            .resolve()
            .unwrap();
        assert_eq!(
            resolved.headers.get("x-auth-email").unwrap(),
            "me@example.com"
        );
        assert_eq!(resolved.headers.get("x-auth-key").unwrap(), "k1");
        assert!(resolved.headers.values().all(HeaderValue::is_sensitive));
        assert_eq!(resolved.headers.len(), 2);

        let resolved = Credentials::user_service_key("v1.0-s").resolve().unwrap();
        assert_eq!(
            resolved.headers.get("x-auth-user-service-key").unwrap(),
            "v1.0-s"
        );
        assert!(resolved.headers.values().all(HeaderValue::is_sensitive));
        assert_eq!(resolved.headers.len(), 1);
    }

    #[test]
    fn invalid_values_are_rejected_without_echoing_the_secret() {
        let cases = [
            (Credentials::api_token("SECRET\r\nX-Evil: 1"), "API token"),
            (Credentials::api_token("SECRET\n"), "API token"),
            (
                Credentials::api_key("me@example.com", "SECRET\0"),
                "API key",
            ),
            (
                Credentials::api_key("me\r\n@example.com", "SECRET"),
                "API email",
            ),
            (
                Credentials::user_service_key("SECRET\u{7f}"),
                "user service key",
            ),
        ];
        for (credentials, what) in cases {
            let message = credentials_error(credentials);
            assert!(message.contains(what), "{message}");
            assert!(!message.contains("SECRET"), "{message}");
            assert!(!message.contains("Evil"), "{message}");
        }
        assert_eq!(
            credentials_error(Credentials::api_token("")),
            "the API token is empty"
        );
    }
}

