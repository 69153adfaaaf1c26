//! How credentials are sent: the generic mechanics.
//!
//! The crate's credential kinds (`Credentials`, `CredentialKind` and the environment variables
//! `Client::from_env` reads) are generated from the API's profile and security schemes into
//! `runtime/credentials.rs`; each kind turns its values into [`Secrets`] with the builders
//! here. A secret travels in a header (optionally after a prefix such as `Bearer `), as HTTP
//! Basic, or in a query parameter. Header values are marked sensitive; query values are added
//! to the URL only when a request is sent, never traced, and stripped from transport errors.

use std::fmt;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

use super::error::Error;

/// Credentials turned into what each request carries. Built once, when the client is built.
#[derive(Clone, Default)]
pub(crate) struct Secrets {
    /// Headers to send, every value marked sensitive.
    pub(crate) headers: HeaderMap,
    /// Query parameters to add to the URL when sending: (name, secret value).
    pub(crate) query: Vec<(&'static str, String)>,
}

impl Secrets {
    /// No secrets yet.
    pub(crate) fn new() -> Self {
        Secrets::default()
    }

    /// Sends `prefix + secret` in header `name`. `what` names the value in errors (never the
    /// value itself).
    pub(crate) fn header(mut self, name: &'static str, prefix: &str, secret: &str, what: &str) -> Result<Self, Error> {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Credentials(format!("the header name for the {what} is not a valid header name")))?;
        if secret.is_empty() {
            return Err(empty(what));
        }
        let value = sensitive_value(&format!("{prefix}{secret}"), what)?;
        self.headers.insert(name, value);
        Ok(self)
    }

    /// Sends `username:password` as HTTP Basic (`Authorization: Basic <base64>`). The password
    /// may be empty (some APIs take a key as the user name alone); a user name may not contain
    /// `:`, which would move the split.
    pub(crate) fn basic(mut self, username: &str, password: &str, what: &str) -> Result<Self, Error> {
        if username.is_empty() {
            return Err(empty(&format!("{what} user name")));
        }
        if username.contains(':') {
            return Err(Error::Credentials(format!("the {what} user name contains `:`, which HTTP Basic cannot carry")));
        }
        if username.chars().chain(password.chars()).any(char::is_control) {
            return Err(not_allowed(what));
        }
        let encoded = base64(format!("{username}:{password}").as_bytes());
        let value = sensitive_value(&format!("Basic {encoded}"), what)?;
        self.headers.insert(AUTHORIZATION, value);
        Ok(self)
    }

    /// Sends `secret` as query parameter `name`, added when the request is sent.
    pub(crate) fn query(mut self, name: &'static str, secret: &str, what: &str) -> Result<Self, Error> {
        if secret.is_empty() {
            return Err(empty(what));
        }
        self.query.push((name, secret.to_owned()));
        Ok(self)
    }
}

/// Only the names of headers and query parameters are shown.
impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        let query: Vec<&str> = self.query.iter().map(|(name, _)| *name).collect();
        f.debug_struct("Secrets").field("headers", &headers).field("query", &query).finish()
    }
}

fn empty(what: &str) -> Error {
    Error::Credentials(format!("the {what} is empty"))
}

fn not_allowed(what: &str) -> Error {
    Error::Credentials(format!(
        "the {what} contains characters that are not allowed in an HTTP header \
         (control characters such as CR, LF or NUL)"
    ))
}

/// A header value marked sensitive, or an error naming `what` (never the value).
fn sensitive_value(value: &str, what: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(value).map_err(|_| not_allowed(what))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Standard base64 with padding (RFC 4648), for HTTP Basic.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// One way `Client::from_env` can find credentials: every variable in `vars` set (and not
/// empty), their values handed to `make` in the same order.
pub(crate) struct EnvCredential<T: 'static> {
    /// The environment variables, in the order of the constructor's arguments.
    pub(crate) vars: &'static [&'static str],
    /// Builds the credentials; each call of the argument yields the next variable's value.
    pub(crate) make: fn(&mut dyn FnMut() -> String) -> T,
}

/// The first of `kinds` whose variables `lookup` finds all set (empty counts as unset).
/// `Ok(None)` when there are no kinds at all; an error naming the variables (never their
/// values) when there are kinds but none is complete.
pub(crate) fn credentials_from_lookup<T>(
    kinds: &[EnvCredential<T>],
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<T>, Error> {
    if kinds.is_empty() {
        return Ok(None);
    }
    let get = |name: &str| lookup(name).filter(|value| !value.is_empty());
    let mut hint = String::new();
    for kind in kinds {
        let values: Vec<Option<String>> = kind.vars.iter().map(|name| get(name)).collect();
        if values.iter().all(Option::is_some) {
            let mut values = values.into_iter().flatten();
            return Ok(Some((kind.make)(&mut || values.next().unwrap_or_default())));
        }
        if hint.is_empty() && values.iter().any(Option::is_some) {
            let (set, unset): (Vec<_>, Vec<_>) = kind.vars.iter().zip(&values).partition(|(_, value)| value.is_some());
            let names = |pairs: Vec<(&&str, &Option<String>)>| pairs.iter().map(|(name, _)| **name).collect::<Vec<_>>().join(" and ");
            let verb = |n: usize| if n == 1 { "is" } else { "are" };
            hint = format!(" ({} {} set but {} {} not)", names(set.clone()), verb(set.len()), names(unset.clone()), verb(unset.len()));
        }
    }
    let choices: Vec<String> = kinds
        .iter()
        .map(|kind| match kind.vars {
            [one] => (*one).to_owned(),
            [first, second] => format!("both {first} and {second}"),
            all => format!("all of {}", all.join(", ")),
        })
        .collect();
    Err(Error::Credentials(format!("no credentials found in the environment: set {}{hint}", choices.join(", or "))))
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

    fn credentials_error(result: Result<Secrets, Error>) -> String {
        match result {
            Err(Error::Credentials(message)) => message,
            other => panic!("expected a credentials error, got {other:?}"),
        }
    }

    #[test]
    fn headers_are_built_and_sensitive() {
        let secrets = Secrets::new()
            .header("authorization", "Bearer ", "abc", "token")
            .and_then(|s| s.header("X-Auth-Key", "", "k1", "key"))
            .unwrap();
        assert_eq!(secrets.headers.get(AUTHORIZATION).unwrap(), "Bearer abc");
        assert_eq!(secrets.headers.get("x-auth-key").unwrap(), "k1");
        assert!(secrets.headers.values().all(HeaderValue::is_sensitive));
        assert_eq!(secrets.headers.len(), 2);
        assert!(secrets.query.is_empty());
        let debug = format!("{secrets:?}");
        assert!(debug.contains("x-auth-key") && !debug.contains("abc") && !debug.contains("k1"), "{debug}");
    }

    #[test]
    fn basic_is_base64_of_user_and_password() {
        let secrets = Secrets::new().basic("Aladdin", "open sesame", "login").unwrap();
        let value = secrets.headers.get(AUTHORIZATION).unwrap();
        assert_eq!(value, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(value.is_sensitive());
        // A key as the user name, no password.
        let secrets = Secrets::new().basic("sk_test_1", "", "login").unwrap();
        assert_eq!(secrets.headers.get(AUTHORIZATION).unwrap(), "Basic c2tfdGVzdF8xOg==");
        assert_eq!(credentials_error(Secrets::new().basic("", "SECRET", "login")), "the login user name is empty");
        let message = credentials_error(Secrets::new().basic("a:SECRET", "b", "login"));
        assert!(message.contains("login") && !message.contains("SECRET"), "{message}");
        let message = credentials_error(Secrets::new().basic("a", "SECRET\n", "login"));
        assert!(message.contains("login") && !message.contains("SECRET"), "{message}");
    }

    #[test]
    fn base64_pads() {
        for (input, expected) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("\u{ff}", "w78=")] {
            assert_eq!(base64(input.as_bytes()), expected, "{input:?}");
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn query_secrets_are_kept_apart() {
        let secrets = Secrets::new().query("api_key", "q-SECRET", "key").unwrap();
        assert_eq!(secrets.query, [("api_key", "q-SECRET".to_owned())]);
        assert!(secrets.headers.is_empty());
        let debug = format!("{secrets:?}");
        assert!(debug.contains("api_key") && !debug.contains("SECRET"), "{debug}");
        assert_eq!(credentials_error(Secrets::new().query("api_key", "", "key")), "the key is empty");
    }

    #[test]
    fn invalid_values_are_rejected_without_echoing_the_secret() {
        let cases = [
            Secrets::new().header("authorization", "Bearer ", "SECRET\r\nX-Evil: 1", "API token"),
            Secrets::new().header("authorization", "Bearer ", "SECRET\n", "API token"),
            Secrets::new().header("x-auth-key", "", "SECRET\0", "API token"),
            Secrets::new().header("x-auth-key", "", "SECRET\u{7f}", "API token"),
            Secrets::new().header("bad header", "", "SECRET", "API token"),
        ];
        for result in cases {
            let message = credentials_error(result);
            assert!(message.contains("API token"), "{message}");
            assert!(!message.contains("SECRET") && !message.contains("Evil"), "{message}");
        }
        assert_eq!(credentials_error(Secrets::new().header("x-k", "Bearer ", "", "API token")), "the API token is empty");
    }

    fn lookup(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| vars.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned())
    }

    const KINDS: &[EnvCredential<String>] = &[
        EnvCredential { vars: &["T_TOKEN"], make: |next| format!("token {}", next()) },
        EnvCredential { vars: &["T_EMAIL", "T_KEY"], make: |next| format!("key {} {}", next(), next()) },
        EnvCredential { vars: &["T_SERVICE"], make: |next| format!("service {}", next()) },
    ];

    fn found(vars: &'static [(&'static str, &'static str)]) -> Result<Option<String>, Error> {
        credentials_from_lookup(KINDS, &lookup(vars))
    }

    #[test]
    fn environment_precedence_follows_the_kinds() {
        let all = &[("T_TOKEN", "t"), ("T_KEY", "k"), ("T_EMAIL", "e"), ("T_SERVICE", "s")];
        assert_eq!(found(all).unwrap().as_deref(), Some("token t"));
        assert_eq!(found(&[("T_KEY", "k"), ("T_EMAIL", "e"), ("T_SERVICE", "s")]).unwrap().as_deref(), Some("key e k"));
        assert_eq!(found(&[("T_KEY", "k"), ("T_SERVICE", "s")]).unwrap().as_deref(), Some("service s"));
        // Empty variables count as unset.
        assert_eq!(found(&[("T_TOKEN", ""), ("T_SERVICE", "s")]).unwrap().as_deref(), Some("service s"));
        // No kinds: nothing to look for, nothing missing.
        assert_eq!(credentials_from_lookup::<String>(&[], &lookup(&[])).unwrap(), None);
    }

    #[test]
    fn missing_environment_credentials_name_the_variables_only() {
        let message = match found(&[("OTHER", "x")]) {
            Err(Error::Credentials(message)) => message,
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(message, "no credentials found in the environment: set T_TOKEN, or both T_EMAIL and T_KEY, or T_SERVICE");
        let message = match found(&[("T_KEY", "k-SECRET")]) {
            Err(Error::Credentials(message)) => message,
            other => panic!("unexpected {other:?}"),
        };
        assert!(message.ends_with(" (T_KEY is set but T_EMAIL is not)"), "{message}");
        assert!(!message.contains("SECRET"), "{message}");
    }
}
