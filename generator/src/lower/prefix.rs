//! Leading path segments that say nothing about what an operation is about: a version (`/v1`,
//! `/v2beta`, `/2010-04-01`), `/api`, or a literal every path of the document starts with. They
//! are skipped before placement, so Stripe's `/v1/customers` is `client.customers()` and Twilio's
//! `/2010-04-01/Accounts/..` is `client.accounts()`, not `client.v1()` / `client._2010_04_01()`.
//!
//! Two rules, computed once per document ([`LeadingSegments::of`]) and applied per path
//! ([`LeadingSegments::skip`]):
//!
//! 1. **Shared**: a first literal segment every path starts with is skipped, and after it any
//!    version-like literals every path shares (`/api/v2/..` everywhere: both), as long as the
//!    literals that follow them take two values or more (a prefix followed by one subject only,
//!    as in a one-path document, stays the area).
//! 2. **Per path**: after those, version-like segments are skipped whatever the other paths say
//!    (`/v1/customers` beside `/v2/core/events`: `customers` and `core`).
//!
//! Placement then sees the path without them ([`LeadingSegments::placement_path`]), and without
//! a format suffix on any segment (`/Accounts/{Sid}/Calls.json` -> `/Accounts/{Sid}/Calls`):
//! Twilio writes `.json` on every path, which would otherwise make areas such as `accounts_json`
//! and read `{Sid}.json` as a literal.
//!
//! A segment is never skipped when no literal would follow it in that path (`/v1` alone, or
//! `/pets` beside `/pets/{id}`, stay areas). Rule 2 depends on the path alone, so adding a path
//! without the version renames nothing. Rule 1 depends on every path: adding one outside a shared
//! prefix that is not version-like (`/identity/..` everywhere, then `/health`) makes the prefix an
//! area again, a rename that `public-api.txt` shows in review. The result never depends on the
//! order of the paths.

use std::collections::BTreeSet;

/// How many leading literal segments to skip, per path of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadingSegments {
    /// The literal segments every path starts with that rule 1 skips.
    shared: Vec<String>,
}

impl LeadingSegments {
    /// Rule 1 for the document's paths (any order).
    pub fn of<'a>(paths: impl IntoIterator<Item = &'a str>) -> Self {
        let paths: Vec<Vec<&str>> = paths.into_iter().map(segments).collect();
        let mut shared = Vec::new();
        let Some(first) = paths.first() else { return LeadingSegments::default() };
        for (k, segment) in first.iter().enumerate() {
            let everywhere = paths.iter().all(|p| p.get(k) == Some(segment));
            let skippable = k == 0 || is_version_like(segment);
            if !(everywhere && skippable && !is_param(segment) && paths.iter().all(|p| has_literal_after(p, k))) {
                break;
            }
            shared.push((*segment).to_owned());
        }
        // A prefix is skipped only when what follows it tells areas apart: with one subject after
        // it (a one-path document, `/a/b/..` everywhere) it stays the area.
        while !shared.is_empty() {
            let next: BTreeSet<&str> = paths.iter().filter_map(|p| p[shared.len()..].iter().find(|s| !is_param(s)).copied()).collect();
            if next.len() >= 2 {
                break;
            }
            shared.pop();
        }
        LeadingSegments { shared }
    }

    /// How many leading segments of `path` to skip (rule 1, then rule 2).
    pub fn skip(&self, path: &str) -> usize {
        let segments = segments(path);
        let mut k = 0;
        while k < self.shared.len() && segments.get(k).is_some_and(|s| *s == self.shared[k]) {
            k += 1;
        }
        if k < self.shared.len() {
            // A path outside the shared prefix (only when `self` was made for other paths).
            k = 0;
        }
        while segments.get(k).is_some_and(|s| is_version_like(s)) && has_literal_after(&segments, k) {
            k += 1;
        }
        k
    }
}

impl LeadingSegments {
    /// `path` as placement should see it: without the skipped segments and format suffixes.
    pub fn placement_path(&self, path: &str) -> String {
        let kept: Vec<&str> = segments(path).into_iter().skip(self.skip(path)).map(without_format_suffix).collect();
        format!("/{}", kept.join("/"))
    }
}

/// Suffixes that name a response format, not a resource.
const FORMAT_SUFFIXES: &[&str] = &[".json", ".xml", ".csv", ".yaml"];

/// `Calls.json` -> `Calls`, `{Sid}.json` -> `{Sid}`; a segment that is only a suffix stays.
fn without_format_suffix(segment: &str) -> &str {
    FORMAT_SUFFIXES
        .iter()
        .find_map(|suffix| segment.strip_suffix(suffix).filter(|rest| !rest.is_empty()))
        .unwrap_or(segment)
}

/// The non-empty segments of a path template.
fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// Whether a literal segment follows position `k`.
fn has_literal_after(segments: &[&str], k: usize) -> bool {
    segments.iter().skip(k + 1).any(|s| !is_param(s))
}

/// A version or an API root, not a subject: `api`, `v1`, `v2beta`, `v1.1`, `V3`, `2010-04-01`,
/// `20230601`, `1.0`.
pub fn is_version_like(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    if lower == "api" {
        return true;
    }
    // `v` and a number, then letters and digits (`v2beta`, `v1alpha1`) or dotted numbers (`v1.1`).
    if let Some(rest) = lower.strip_prefix('v') {
        return rest.starts_with(|c: char| c.is_ascii_digit())
            && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
            && !rest.contains("..");
    }
    // A date (`2010-04-01`, `20230601`) or a dotted number (`1.0`, `2`).
    let date = lower.len() == 10
        && lower.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    let number = !lower.is_empty()
        && lower.starts_with(|c: char| c.is_ascii_digit())
        && lower.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !lower.ends_with('.');
    date || number
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skips(paths: &[&str]) -> Vec<usize> {
        let leading = LeadingSegments::of(paths.iter().copied());
        paths.iter().map(|p| leading.skip(p)).collect()
    }

    #[test]
    fn version_like_segments_are_recognised() {
        for yes in ["v1", "V2", "v2beta", "v1alpha1", "v1.1", "2010-04-01", "20230601", "1.0", "3", "api", "API"] {
            assert!(is_version_like(yes), "{yes}");
        }
        for no in ["v", "vault", "videos", "version", "2010-04-01x", "1.", "customers", "apis", "v1..2", "{v1}", ""] {
            assert!(!is_version_like(no), "{no}");
        }
    }

    #[test]
    fn a_version_segment_is_skipped_in_every_path_that_goes_on() {
        let twilio = ["/2010-04-01/Accounts.json", "/2010-04-01/Accounts/{Sid}/Calls.json", "/2010-04-01/Accounts/{Sid}.json"];
        assert_eq!(skips(&twilio), [1, 1, 1]);
        // Stripe's v1 beside v2: each path loses its own version.
        assert_eq!(skips(&["/v1/customers", "/v1/customers/{id}", "/v2/core/events"]), [1, 1, 1]);
        // A version with nothing after it is all the path says.
        assert_eq!(skips(&["/v1", "/v1/{id}", "/v1/things"]), [0, 0, 1]);
    }

    #[test]
    fn a_first_segment_every_path_shares_is_skipped_with_the_versions_after_it() {
        assert_eq!(skips(&["/identity/users", "/identity/groups/{id}"]), [1, 1]);
        assert_eq!(skips(&["/api/v2/pets", "/api/v2/stores/{id}/orders"]), [2, 2]);
        assert_eq!(skips(&["/shop/v1/pets", "/shop/v2/pets"]), [2, 2], "the shared part, then each version");
        // Not when some path would have no literal left, nor beyond the first non-version.
        assert_eq!(skips(&["/pets", "/pets/{id}"]), [0, 0]);
        assert_eq!(skips(&["/pets/{id}/toys", "/pets/{id}/owners"]), [1, 1]);
        assert_eq!(skips(&["/a/b/c", "/a/b/d"]), [0, 0], "one subject after `a`: it is the area");
        assert_eq!(skips(&["/things/x"]), [0], "a one-path document");
        assert_eq!(skips(&["/{tenant}/users", "/{tenant}/groups"]), [0, 0]);
    }

    #[test]
    fn an_added_path_without_a_version_renames_nothing() {
        let before = skips(&["/v1/customers", "/v1/charges"]);
        let after = skips(&["/v1/customers", "/v1/charges", "/health"]);
        assert_eq!(after[..2], before[..]);
        assert_eq!(after[2], 0);
        // A shared prefix that is not a version is an area again once a path lies outside it.
        assert_eq!(skips(&["/identity/users", "/health"]), [0, 0]);
    }

    #[test]
    fn the_skips_do_not_depend_on_the_order_of_the_paths() {
        let paths = ["/api/v1/users/{id}", "/api/v1/groups", "/api/v1/users", "/api/v2/groups/{g}/members"];
        let forward = skips(&paths);
        let mut reversed = paths;
        reversed.reverse();
        let mut backward = skips(&reversed);
        backward.reverse();
        assert_eq!(forward, backward);
        assert_eq!(forward, [2, 2, 2, 2]);
    }

    #[test]
    fn placement_sees_the_path_without_versions_and_format_suffixes() {
        let paths = ["/2010-04-01/Accounts.json", "/2010-04-01/Accounts/{Sid}/Calls/{CallSid}.json", "/2010-04-01/.json"];
        let leading = LeadingSegments::of(paths.iter().copied());
        let placed: Vec<String> = paths.iter().map(|p| leading.placement_path(p)).collect();
        assert_eq!(placed, ["/Accounts", "/Accounts/{Sid}/Calls/{CallSid}", "/.json"]);
        assert_eq!(LeadingSegments::default().placement_path("/v1/export.csv"), "/export");
        assert_eq!(LeadingSegments::default().placement_path("/"), "/");
    }

    #[test]
    fn no_paths_skip_nothing() {
        assert_eq!(LeadingSegments::of(std::iter::empty()), LeadingSegments::default());
        assert_eq!(LeadingSegments::default().skip("/v1/things"), 1, "rule 2 needs no document");
    }
}
