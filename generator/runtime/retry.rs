//! When a failed attempt is repeated, and how long to wait first.
//!
//! # The rule
//!
//! A request is retried (up to `max_retries` times, 2 by default) only when
//! repeating it cannot do harm:
//!
//! - **Always**, whatever the method, when the server certainly did not act on
//!   it: the connection could not be made, the answer is `429 Too Many
//!   Requests`, or `503 Service Unavailable` with a `Retry-After` header.
//! - **Only for idempotent methods** (`GET`, `HEAD`, `PUT`, `DELETE`,
//!   `OPTIONS`, `TRACE`), when the server may have acted: a timeout or a
//!   dropped connection after the request was sent, `408`, `409`, or any other
//!   `5xx`. Repeating an idempotent request leaves the same state behind.
//! - A `POST` or `PATCH` in that second case is **not** repeated, unless the
//!   caller opts in with `retry_non_idempotent(true)` (per client or per
//!   call): rotating a secret twice because the first answer was lost would
//!   invalidate the secret the caller never saw.
//!
//! The wait is the server's `retry-after-ms` or `Retry-After` (seconds or an
//! HTTP date) when it is between 0 and 60 seconds, otherwise an exponential
//! backoff: 0.5 s, 1 s, 2 s, ... up to 8 s, each shortened by a random 0-25 %
//! so that many clients do not retry in step.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::Method;
use reqwest::header::HeaderMap;

/// The longest server-requested wait that is honoured.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// What went wrong with one attempt.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Failure<'a> {
    /// No connection could be made: nothing was sent.
    NotSent,
    /// The request may have reached the server, but no complete answer came
    /// back (a timeout, or the connection dropped).
    Lost,
    /// The server answered with this status.
    Status(u16, &'a HeaderMap),
}

/// Whether `method` is idempotent: sending it twice has the effect of
/// sending it once.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Why `failure` is worth another attempt, or `None` if it is not (see the
/// module documentation). `repeatable` is true for an idempotent method, or
/// when the caller opted in to repeating a non-idempotent one.
pub(crate) fn retry_reason(failure: Failure<'_>, repeatable: bool) -> Option<&'static str> {
    match failure {
        Failure::NotSent => Some("connection failed"),
        Failure::Lost if repeatable => Some("no complete answer"),
        Failure::Lost => None,
        Failure::Status(429, _) => Some("rate limited"),
        Failure::Status(503, headers) if has_retry_after(headers) => Some("unavailable"),
        Failure::Status(408 | 409 | 500..=599, _) if repeatable => Some("retryable status"),
        Failure::Status(..) => None,
    }
}

/// Whether the server said when to retry, in either header.
fn has_retry_after(headers: &HeaderMap) -> bool {
    headers.contains_key("retry-after-ms") || headers.contains_key(reqwest::header::RETRY_AFTER)
}

/// How long to wait before retry number `retry` (0 for the first retry).
pub(crate) fn delay(failure: Failure<'_>, retry: u32) -> Duration {
    if let Failure::Status(_, headers) = failure
        && let Some(wait) = retry_after(headers, SystemTime::now())
    {
        return wait;
    }
    backoff(retry, random_fraction())
}

/// `0.5 s * 2^retry`, at most 8 s, shortened by `jitter` (0..1) times 25 %.
fn backoff(retry: u32, jitter: f64) -> Duration {
    let full = INITIAL_BACKOFF
        .checked_mul(1u32.checked_shl(retry).unwrap_or(u32::MAX))
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF);
    full.mul_f64(1.0 - 0.25 * jitter.clamp(0.0, 1.0))
}

/// The wait the server asked for, when it is within 0-60 seconds:
/// `retry-after-ms` (milliseconds), else `Retry-After` as seconds or as an
/// HTTP date (relative to `now`).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim);
    let wait = if let Some(millis) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        Duration::try_from_secs_f64(millis / 1000.0).ok()?
    } else {
        let value = text("retry-after")?;
        match value.parse::<f64>() {
            Ok(seconds) => Duration::try_from_secs_f64(seconds).ok()?,
            Err(_) => parse_http_date(value)?.duration_since(now).unwrap_or(Duration::ZERO),
        }
    };
    (wait <= MAX_RETRY_AFTER).then_some(wait)
}

/// Parses an IMF-fixdate such as `Sun, 06 Nov 1994 08:49:37 GMT` (the form
/// HTTP servers send).
fn parse_http_date(value: &str) -> Option<SystemTime> {
    let rest = value.split_once(", ")?.1;
    let mut fields = rest.split(' ');
    let day: u64 = fields.next()?.parse().ok()?;
    let month = match fields.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: u64 = fields.next()?.parse().ok()?;
    let mut clock = fields.next()?.split(':').map(str::parse::<u64>);
    let (hour, minute, second) = (clock.next()?.ok()?, clock.next()?.ok()?, clock.next()?.ok()?);
    if fields.next()? != "GMT" || fields.next().is_some() || clock.next().is_some() {
        return None;
    }
    if !(1970..=9999).contains(&year) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_since_epoch(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian calendar).
fn days_since_epoch(year: u64, month: u64, day: u64) -> u64 {
    // Count from March so the leap day ends the year.
    let (year, month) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let era = year / 400;
    let year_of_era = year % 400;
    let day_of_year = (153 * month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A number in `0..1` that differs between calls: jitter needs no more.
fn random_fraction() -> f64 {
    // 53 random bits make a uniformly spread f64.
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// 64 unpredictable bits from the standard library's randomly keyed hasher
/// (enough for jitter and multipart boundaries; not for cryptography).
pub(crate) fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn idempotent_methods() {
        for method in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS] {
            assert!(is_idempotent(&method), "{method}");
        }
        for method in [Method::POST, Method::PATCH, Method::CONNECT] {
            assert!(!is_idempotent(&method), "{method}");
        }
    }

    #[test]
    fn which_failures_are_retried() {
        let none = HeaderMap::new();
        let after = headers(&[("retry-after", "1")]);
        let after_ms = headers(&[("retry-after-ms", "10")]);
        // (failure, retried when repeatable, retried when not)
        let table = [
            (Failure::NotSent, true, true),
            (Failure::Lost, true, false),
            (Failure::Status(429, &none), true, true),
            (Failure::Status(503, &after), true, true),
            (Failure::Status(503, &after_ms), true, true),
            (Failure::Status(503, &none), true, false),
            (Failure::Status(500, &after), true, false),
            (Failure::Status(502, &none), true, false),
            (Failure::Status(408, &none), true, false),
            (Failure::Status(409, &none), true, false),
            (Failure::Status(400, &none), false, false),
            (Failure::Status(404, &after), false, false),
            (Failure::Status(200, &none), false, false),
        ];
        for (failure, repeatable, not_repeatable) in table {
            assert_eq!(retry_reason(failure, true).is_some(), repeatable, "{failure:?}");
            assert_eq!(retry_reason(failure, false).is_some(), not_repeatable, "{failure:?}");
        }
    }

    #[test]
    fn backoff_doubles_to_eight_seconds_with_jitter() {
        let secs = |retry, jitter| backoff(retry, jitter).as_secs_f64();
        assert_eq!(secs(0, 0.0), 0.5);
        assert_eq!(secs(1, 0.0), 1.0);
        assert_eq!(secs(3, 0.0), 4.0);
        assert_eq!(secs(4, 0.0), 8.0);
        assert_eq!(secs(40, 0.0), 8.0);
        assert_eq!(secs(0, 1.0), 0.375);
        assert_eq!(secs(9, 1.0), 6.0);
        for _ in 0..100 {
            let wait = delay(Failure::Lost, 0);
            assert!(wait >= Duration::from_millis(375) && wait <= Duration::from_millis(500), "{wait:?}");
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        let wait = |pairs: &[(&'static str, &str)]| retry_after(&headers(pairs), now);
        assert_eq!(wait(&[("retry-after", "3")]), Some(Duration::from_secs(3)));
        assert_eq!(wait(&[("retry-after", " 1.5 ")]), Some(Duration::from_millis(1500)));
        assert_eq!(wait(&[("retry-after-ms", "250")]), Some(Duration::from_millis(250)));
        assert_eq!(
            wait(&[("retry-after-ms", "250"), ("retry-after", "9")]),
            Some(Duration::from_millis(250)),
            "the millisecond header is more precise"
        );
        assert_eq!(wait(&[("retry-after", "Sun, 06 Nov 1994 08:50:07 GMT")]), Some(Duration::from_secs(30)));
        assert_eq!(wait(&[("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT")]), Some(Duration::ZERO));
        assert_eq!(wait(&[("retry-after", "60")]), Some(Duration::from_secs(60)));
        // Too long, negative, or unreadable: the backoff applies instead.
        for value in ["61", "3600", "-1", "soon", "NaN", "inf", "Sun, 06 Nov 1994 09:49:37 GMT", "Sun, 06 Nov 1994 08:50:07 UTC"] {
            assert_eq!(wait(&[("retry-after", value)]), None, "{value}");
        }
        assert_eq!(wait(&[]), None);
        let delayed = delay(Failure::Status(429, &headers(&[("retry-after-ms", "20")])), 5);
        assert_eq!(delayed, Duration::from_millis(20));
    }

    #[test]
    fn http_dates() {
        let date = |text| parse_http_date(text).map(|t| t.duration_since(UNIX_EPOCH).unwrap().as_secs());
        assert_eq!(date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(date("Tue, 29 Feb 2000 12:00:00 GMT"), Some(951_825_600));
        assert_eq!(date("Fri, 31 Dec 9999 23:59:59 GMT"), Some(253_402_300_799));
        for bad in ["", "06 Nov 1994", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:00:00 GMT", "Sun, 06 Nov 1994 08:49 GMT", "Sun, 00 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT x"] {
            assert_eq!(date(bad), None, "{bad}");
        }
    }
}
