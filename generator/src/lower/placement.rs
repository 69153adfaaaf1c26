//! Where an operation goes in the client's namespaces, and what its method is called:
//! `client.<area>().<resource>().<method>(..)`, shaped like the API's paths.
//!
//! The rule, for a path such as `/zones/{zone_id}/dns_records/{dns_record_id}/export`:
//!
//! 1. A scope prefix of the profile (`/accounts/{..}`, `/zones/{..}`) is skipped.
//! 2. The profile's placement table may fix the area and resource for the leading literal
//!    segments (`dns_records` -> area `dns`, resource `records`), as the official SDKs place them.
//! 3. Otherwise the first literal segment is the area, and the second one the resource
//!    (`/accounts/{id}/d1/database/..` -> `d1`, `database`), unless it ends a path that only
//!    takes `POST` (an action such as `/pet/{id}/uploadImage`). A path with no literal after the
//!    scope belongs to the scope itself (`/zones/{zone_id}` -> area `zones`).
//! 4. The method is named from the rest of the path and the HTTP method: on the resource itself
//!    `list`/`create`/`update`/`edit`/`delete` (a path that only takes `POST` is an action, named
//!    after its last segment), on one item `get`/`update`/`edit`/`delete`; literal segments after
//!    the resource name the method (`export`, `rotate_secret`; `get_`, `update_`, `edit_`,
//!    `delete_` before them for those methods on an item).
//!
//! Every name depends only on the operation's own path and method. When two operations of one
//! resource would get the same method name, the one with the preferred scope (the profile's
//! order, then no scope), then the smaller path, then the HTTP method in a fixed order keeps it;
//! the others get `_for_<scope>` if that settles it, and their operationId otherwise. So adding an
//! operation never renames one that exists unless it takes precedence in the same resource.

use std::collections::BTreeMap;

use crate::naming::snake_ident;
use crate::profile::Profile;

/// Where one operation goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Area key in snake case (`dns`).
    pub area: String,
    /// Resource key in snake case (`records`), if the operation sits below the area.
    pub resource: Option<String>,
    /// The method name the path suggests, before collisions are settled.
    pub method: String,
    /// The scope literal skipped at the start (`accounts`), if any.
    pub scope: Option<String>,
}

impl Place {
    /// The module of the operation's builder and own types: `area` or `area::resource`.
    pub fn module(&self) -> String {
        match &self.resource {
            Some(resource) => format!("{}::{resource}", self.area),
            None => self.area.clone(),
        }
    }
}

/// Places an operation by its path and HTTP method. `path_methods` are the HTTP methods its path
/// item has (to tell an action, which only takes `POST`, from a collection).
pub fn place(profile: &Profile, path: &str, http_method: &str, path_methods: &[&str]) -> Place {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_param = |s: &str| s.starts_with('{') && s.ends_with('}');
    let (scope, rest) = match segments.as_slice() {
        [first, second, rest @ ..] if profile.scopes.contains(first) && is_param(second) => (Some(*first), rest),
        _ => (None, &segments[..]),
    };
    let literals: Vec<(usize, &str)> = rest.iter().copied().enumerate().filter(|(_, s)| !is_param(s)).collect();

    // The profile's table, longest prefix of leading literals first.
    let table = profile
        .placements
        .iter()
        .filter(|p| p.segments.len() <= literals.len() && p.segments.iter().zip(&literals).all(|(a, (_, b))| a == b))
        .max_by_key(|p| p.segments.len());
    let (area, resource, consumed) = if let Some(placement) = table {
        let consumed = literals[placement.segments.len() - 1].0 + 1;
        let exact = consumed == rest.len();
        if let (Some(method), true) = (placement.method, exact) {
            return Place {
                area: snake_ident(placement.area),
                resource: placement.resource.map(snake_ident),
                method: snake_ident(method),
                scope: scope.map(str::to_owned),
            };
        }
        (placement.area.to_owned(), placement.resource.map(str::to_owned), consumed)
    } else {
        let action_only = path_methods == ["post"];
        match literals.as_slice() {
            [] => (scope.or(segments.first().copied()).unwrap_or("root").to_owned(), None, 0),
            // The last segment of a path that only takes POST is an action, not a resource.
            [(_, area), (j, _)] if action_only && j + 1 == rest.len() => ((*area).to_owned(), None, literals[0].0 + 1),
            [(_, area), (j, resource), ..] => ((*area).to_owned(), Some((*resource).to_owned()), j + 1),
            [(i, area)] => ((*area).to_owned(), None, i + 1),
        }
    };
    let tail = &rest[consumed.min(rest.len())..];
    // `/zones/{zone_id}`: the scope's own parameter names the item.
    let on_item = tail.last().map_or(scope.is_some() && literals.is_empty(), |s| is_param(s));
    let words: Vec<&str> = tail.iter().copied().filter(|s| !is_param(s)).collect();
    let verb = match (http_method, on_item) {
        ("get", true) => "get",
        ("get", false) => "list",
        ("post", _) => "create",
        ("put", _) => "update",
        ("patch", _) => "edit",
        ("delete", _) => "delete",
        (other, _) => other,
    };
    let action_only = path_methods == ["post"];
    let method = if words.is_empty() {
        match (http_method, action_only, segments.last()) {
            // A path that only takes POST and ends in a literal other than its area is an action
            // (`/store/order`); on the area itself it creates (`/pets`).
            ("post", true, Some(last)) if !is_param(last) && *last != area.as_str() => (*last).to_owned(),
            _ => verb.to_owned(),
        }
    } else {
        let joined = words.join("_");
        match (http_method, on_item) {
            ("post", _) | ("get", false) => joined,
            _ => format!("{verb}_{joined}"),
        }
    };
    Place {
        area: snake_ident(&area),
        resource: resource.map(|r| snake_ident(&r)),
        method: snake_ident(&method),
        scope: scope.map(str::to_owned),
    }
}

/// One operation competing for a method name.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    /// Its placement.
    pub place: &'a Place,
    /// The path template.
    pub path: &'a str,
    /// Lower-case HTTP method.
    pub http_method: &'a str,
    /// `operationId` (or the derived one), unique in the spec.
    pub operation_id: &'a str,
}

/// Settles method names within each (area, resource): returns the final name per candidate
/// index. See the module docs for the rule; the result does not depend on the order of
/// `candidates`. Names in `reserved` (accessors of the same namespace) are never given out.
pub fn settle_method_names(profile: &Profile, candidates: &[Candidate<'_>], reserved: &dyn Fn(&Place) -> Vec<String>) -> Vec<String> {
    let mut names = vec![String::new(); candidates.len()];
    let mut by_namespace: BTreeMap<(&str, Option<&str>), Vec<usize>> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        by_namespace.entry((&c.place.area, c.place.resource.as_deref())).or_default().push(i);
    }
    for members in by_namespace.values() {
        let mut sorted = members.clone();
        sorted.sort_by(|a, b| rank(profile, &candidates[*a]).cmp(&rank(profile, &candidates[*b])));
        let mut taken: Vec<String> = reserved(candidates[sorted[0]].place);
        // Pass 1: the preferred candidate of each base name keeps it.
        let mut by_base: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in &sorted {
            by_base.entry(&candidates[i].place.method).or_default().push(i);
        }
        let mut losers = Vec::new();
        for (base, group) in &by_base {
            if taken.iter().any(|t| t == base) {
                losers.extend(group.iter().copied());
                continue;
            }
            names[group[0]] = (*base).to_owned();
            taken.push((*base).to_owned());
            losers.extend(group[1..].iter().copied());
        }
        losers.sort_by(|a, b| rank(profile, &candidates[*a]).cmp(&rank(profile, &candidates[*b])));
        // Pass 2: the others, by scope if that settles it, else by operationId.
        for i in losers {
            let c = &candidates[i];
            let scoped = c.place.scope.as_deref().map(|s| snake_ident(&format!("{}_for_{}", c.place.method, singular(s))));
            let fallback = snake_ident(c.operation_id);
            let mut name = match scoped {
                Some(scoped) if !taken.contains(&scoped) => scoped,
                _ => fallback,
            };
            let stem = name.clone();
            let mut n = 1;
            while taken.contains(&name) {
                n += 1;
                name = format!("{stem}_{n}");
            }
            taken.push(name.clone());
            names[i] = name;
        }
    }
    names
}

/// Who keeps a contested name: the preferred scope, then the smaller path, then the HTTP method.
fn rank<'c>(profile: &Profile, c: &Candidate<'c>) -> (usize, &'c str, usize, &'c str) {
    let scope = c.place.scope.as_deref().and_then(|s| profile.scopes.iter().position(|p| *p == s)).unwrap_or(usize::MAX);
    let method = ["get", "post", "put", "patch", "delete"].iter().position(|m| *m == c.http_method).unwrap_or(usize::MAX);
    (scope, c.path, method, c.operation_id)
}

/// `accounts` -> `account`, for `list_for_account`.
fn singular(scope: &str) -> &str {
    scope.strip_suffix('s').unwrap_or(scope)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cf(path: &str, method: &str) -> (String, Option<String>, String) {
        let p = place(&Profile::cloudflare(), path, method, &["get", "post"]);
        (p.area, p.resource, p.method)
    }

    fn t(area: &str, resource: Option<&str>, method: &str) -> (String, Option<String>, String) {
        (area.to_owned(), resource.map(str::to_owned), method.to_owned())
    }

    #[test]
    fn cloudflare_paths_are_placed_like_the_sdks() {
        let rotate = "/accounts/{account_id}/oauth_clients/{oauth_client_id}/rotate_secret";
        assert_eq!(cf(rotate, "post"), t("iam", Some("oauth_clients"), "rotate_secret"));
        assert_eq!(cf("/zones/{zone_id}/dns_records", "get"), t("dns", Some("records"), "list"));
        assert_eq!(cf("/zones/{zone_id}/dns_records", "post"), t("dns", Some("records"), "create"));
        assert_eq!(cf("/zones/{zone_id}/dns_records/{id}", "get"), t("dns", Some("records"), "get"));
        assert_eq!(cf("/zones/{zone_id}/dns_records/{id}", "patch"), t("dns", Some("records"), "edit"));
        assert_eq!(cf("/zones/{zone_id}/dns_records/{id}", "put"), t("dns", Some("records"), "update"));
        assert_eq!(cf("/zones/{zone_id}/dns_records/{id}", "delete"), t("dns", Some("records"), "delete"));
        assert_eq!(cf("/zones/{zone_id}/dns_records/export", "get"), t("dns", Some("records"), "export"));
        assert_eq!(cf("/zones/{zone_id}/purge_cache", "post"), t("cache", None, "purge"));
        assert_eq!(cf("/zones", "get"), t("zones", None, "list"));
        assert_eq!(cf("/zones/{zone_id}", "get"), t("zones", None, "get"));
        assert_eq!(cf("/accounts/{account_id}/d1/database/{db}/query", "post"), t("d1", Some("database"), "query"));
        assert_eq!(cf("/accounts/{a}/workers/scripts/{s}/settings", "patch"), t("workers", Some("scripts"), "edit_settings"));
        assert_eq!(cf("/radar/http/timeseries_groups/http_version", "get"), t("radar", Some("http"), "timeseries_groups_http_version"));
        assert_eq!(cf("/accounts/{a}/rulesets/{r}/versions", "get"), t("rulesets", Some("versions"), "list"));
    }

    #[test]
    fn generic_paths_use_no_scopes() {
        let g = |path: &str, method: &str, methods: &[&str]| {
            let p = place(&Profile::generic(), path, method, methods);
            (p.area, p.resource, p.method)
        };
        assert_eq!(g("/pets", "get", &["get", "post"]), t("pets", None, "list"));
        assert_eq!(g("/pets/{id}", "delete", &["get", "delete"]), t("pets", None, "delete"));
        assert_eq!(g("/pet/{petId}/uploadImage", "post", &["post"]), t("pet", None, "upload_image"));
        assert_eq!(g("/pets", "post", &["post"]), t("pets", None, "create"));
        assert_eq!(g("/store/order", "post", &["post"]), t("store", None, "order"));
        assert_eq!(g("/store/order", "post", &["get", "post"]), t("store", Some("order"), "create"));
        assert_eq!(g("/accounts/{id}/x", "get", &["get"]), t("accounts", Some("x"), "list"));
        assert_eq!(g("/zones/{id}/records", "get", &["get", "post"]), t("zones", Some("records"), "list"));
        assert_eq!(g("/", "get", &["get"]), t("root", None, "list"));
    }

    #[test]
    fn collisions_are_settled_the_same_whatever_the_order() {
        let profile = Profile::cloudflare();
        let ops = [
            ("/accounts/{a}/rulesets", "get", "listAccountRulesets"),
            ("/zones/{z}/rulesets", "get", "listZoneRulesets"),
            ("/zones/{z}/rulesets/{r}/versions/{v}", "get", "getZoneVersion"),
            ("/accounts/{a}/rulesets/{r}/versions/{v}", "get", "getAccountVersion"),
            ("/accounts/{a}/rulesets/{r}/versions", "get", "listAccountVersions"),
        ];
        let places: Vec<Place> = ops.iter().map(|(p, m, _)| place(&profile, p, m, &["get"])).collect();
        let names = |order: &[usize]| {
            let candidates: Vec<Candidate<'_>> = order
                .iter()
                .map(|&i| Candidate { place: &places[i], path: ops[i].0, http_method: ops[i].1, operation_id: ops[i].2 })
                .collect();
            let settled = settle_method_names(&profile, &candidates, &|_| Vec::new());
            let mut by_op: Vec<(usize, String)> = order.iter().copied().zip(settled).collect();
            by_op.sort();
            by_op.into_iter().map(|(_, n)| n).collect::<Vec<_>>()
        };
        let forward = names(&[0, 1, 2, 3, 4]);
        assert_eq!(forward, ["list", "list_for_zone", "get_for_zone", "get", "list"]);
        assert_eq!(names(&[4, 3, 2, 1, 0]), forward);
        assert_eq!(names(&[2, 0, 4, 1, 3]), forward);
    }
}
