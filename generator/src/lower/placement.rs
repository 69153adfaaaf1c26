//! Where an operation goes in the client's namespaces, and what its method is called:
//! `client.<area>().<resource>()...<method>(..)`, nested like the API's paths.
//!
//! The rule, for a path such as `/accounts/{account_id}/workers/scripts/{script_name}/content`:
//!
//! 1. A scope prefix of the profile (`/accounts/{..}`, `/zones/{..}`) is skipped.
//! 2. The profile's placement table may fix the area and the first resources for the leading
//!    literal segments (`dns_records` -> area `dns`, resource `records`), as the official SDKs
//!    place them. Otherwise the first literal segment is the area.
//! 3. Every further literal segment is a resource nested in the one before it; the path's
//!    parameters become the method's arguments. A literal that ends the path is an *action*
//!    instead (a method named after it: `rotate_secret`, `purge`) when nothing reads it (no `GET`
//!    on that path) and no path goes on below it.
//! 4. The method is the verb: `get` for a `GET` of one object (a path ending in a parameter, or
//!    one whose answer is not a list), `list` for a `GET` of a collection (it answers a list,
//!    reads in pages, or its items are paths of their own: `/pets` beside `/pets/{id}`),
//!    `create` for `POST`, `update` for `PUT`, `edit` for `PATCH`, `delete` for `DELETE`; on a
//!    collection whose items are paths of their own, `PUT`, `PATCH` and `DELETE` act on many
//!    items: `bulk_update`, `bulk_edit`, `bulk_delete`.
//!
//! Every name depends only on the operation's own path and method and on which other paths
//! exist (to tell an action from a resource). When two operations of one namespace would get
//! the same method name, the one with the preferred scope (the profile's order, then no scope),
//! then the smaller path, then the HTTP method in a fixed order keeps it; the others get
//! `_for_<scope>` where the name went to another scope, else the resource's name before the
//! method (`bulk_delete`), and their operationId as the last resort. So adding an operation
//! never renames one that exists unless it takes precedence in the same namespace.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::ModulePath;
use crate::naming::{RustIdent, snake_ident};
use crate::profile::Profile;

/// Where one operation goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Area key in snake case (`dns`).
    pub area: RustIdent,
    /// The resources below the area, outermost first (`["scripts", "content"]`).
    pub resources: Vec<RustIdent>,
    /// The method name the path suggests, before collisions are settled.
    pub method: RustIdent,
    /// The scope literal skipped at the start (`accounts`), if any.
    pub scope: Option<String>,
}

impl Place {
    /// The module of the operation's builder and own types: `area`, `area::resource`, ...
    pub fn module(&self) -> ModulePath {
        ModulePath::of(std::iter::once(&self.area).chain(&self.resources))
    }
}

/// What placement needs to know of the document's other paths: which HTTP methods each path
/// takes, and which paths go on below another. Paths are compared with their parameters' names
/// blanked (`/a/{}/b`), so a path written with other parameter names is the same path.
#[derive(Debug, Default)]
pub struct PathIndex {
    methods: BTreeMap<String, BTreeSet<String>>,
}

impl PathIndex {
    /// Indexes `(path, http methods)` pairs.
    pub fn new<'m, P: AsRef<str>>(paths: impl IntoIterator<Item = (P, Vec<&'m str>)>) -> Self {
        let mut methods: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (path, verbs) in paths {
            methods.entry(blank_params(path.as_ref())).or_default().extend(verbs.into_iter().map(str::to_owned));
        }
        PathIndex { methods }
    }

    /// How many HTTP methods `path` takes.
    fn method_count(&self, path: &str) -> usize {
        self.methods.get(&blank_params(path)).map_or(0, BTreeSet::len)
    }

    /// Whether `path` is a collection: an item of it (`path/{id}`) is a path too.
    fn has_items(&self, path: &str) -> bool {
        self.methods.contains_key(&format!("{}/{{}}", blank_params(path)))
    }

    /// Whether some path goes on below `path`.
    fn has_children(&self, path: &str) -> bool {
        let prefix = format!("{}/", blank_params(path));
        self.methods.range(prefix.clone()..).next().is_some_and(|(p, _)| p.starts_with(&prefix))
    }
}

/// `/a/{id}/b` -> `/a/{}/b`, without a trailing `/`.
fn blank_params(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.trim_end_matches('/').chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            c => out.push(c),
        }
    }
    out
}

/// Places an operation by its path and HTTP method. `answers_list` says whether a `GET`'s success
/// answer is a list (or is read in pages).
pub fn place(profile: &Profile, paths: &PathIndex, path: &str, http_method: &str, answers_list: bool) -> Place {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_param = |s: &str| s.starts_with('{') && s.ends_with('}');
    let (scope, rest) = match segments.as_slice() {
        [first, second, rest @ ..] if profile.scopes.contains(first) && is_param(second) => (Some(*first), rest),
        _ => (None, &segments[..]),
    };
    let literals: Vec<&str> = rest.iter().copied().filter(|s| !is_param(s)).collect();
    let ends_in_literal = rest.last().is_some_and(|s| !is_param(s));
    // A literal that ends the path is an action when it takes one HTTP method only and nothing
    // is below it.
    let action = ends_in_literal && paths.method_count(path) == 1 && !paths.has_children(path);

    // The profile's table, longest prefix of leading literals first.
    let table = profile
        .placements
        .iter()
        .filter(|p| p.segments.len() <= literals.len() && p.segments.iter().zip(&literals).all(|(a, b)| a == b))
        .max_by_key(|p| p.segments.len());
    let (area, mut resources, consumed): (String, Vec<String>, usize) = match table {
        Some(placement) => {
            if let (Some(method), true) = (placement.method, placement.segments.len() == literals.len() && ends_in_literal) {
                return Place {
                    area: snake_ident(placement.area),
                    resources: placement.resources.iter().map(|r| snake_ident(r)).collect(),
                    method: snake_ident(method),
                    scope: scope.map(str::to_owned),
                };
            }
            (placement.area.to_owned(), placement.resources.iter().map(|r| (*r).to_owned()).collect(), placement.segments.len())
        }
        None => match literals.first() {
            Some(first) => ((*first).to_owned(), Vec::new(), 1),
            // `/zones/{zone_id}`: the scope itself.
            None => (scope.or(segments.first().copied()).unwrap_or("root").to_owned(), Vec::new(), 0),
        },
    };
    let mut below: Vec<&str> = literals[consumed.min(literals.len())..].to_vec();
    // The last literal of an action path names the method, unless the area or table took it.
    let action_name = if action { below.pop() } else { None };
    resources.extend(below.iter().map(|s| (*s).to_owned()));
    // `/zones/{zone_id}`: the scope's own parameter names the item.
    let on_item = rest.last().map_or(scope.is_some(), |s| is_param(s));
    let method = match (action_name, http_method) {
        (Some(name), _) => name.to_owned(),
        (None, "get") if on_item || !(answers_list || paths.has_items(path)) => "get".to_owned(),
        (None, "get") => "list".to_owned(),
        (None, "post") => "create".to_owned(),
        // On a collection whose items are paths of their own, these act on many items at once.
        (None, "put" | "patch" | "delete") if !on_item && paths.has_items(path) => format!("bulk_{}", verb_of(http_method)),
        (None, verb @ ("put" | "patch" | "delete")) => verb_of(verb).to_owned(),
        (None, other) => other.to_owned(),
    };
    Place {
        area: snake_ident(&area),
        resources: resources.iter().map(|r| snake_ident(r)).collect(),
        method: snake_ident(&method),
        scope: scope.map(str::to_owned),
    }
}

/// The method of an HTTP method that changes or removes what a path names.
fn verb_of(http_method: &str) -> &'static str {
    match http_method {
        "put" => "update",
        "patch" => "edit",
        _ => "delete",
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

/// Settles method names within each namespace: returns the final name per candidate index,
/// and whether it had to come from the operationId (the last resort, counted by the report). See the module docs for the rule; the result does not depend on the order of
/// `candidates`. Names in `reserved` (accessors of the same namespace) are never given out.
pub fn settle_method_names(profile: &Profile, candidates: &[Candidate<'_>], reserved: &dyn Fn(&Place) -> Vec<RustIdent>) -> Vec<(RustIdent, bool)> {
    let mut names = vec![None; candidates.len()];
    let mut by_namespace: BTreeMap<(&RustIdent, &[RustIdent]), Vec<usize>> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        by_namespace.entry((&c.place.area, &c.place.resources)).or_default().push(i);
    }
    for members in by_namespace.values() {
        let mut sorted = members.clone();
        sorted.sort_by(|a, b| rank(profile, &candidates[*a]).cmp(&rank(profile, &candidates[*b])));
        let mut taken = reserved(candidates[sorted[0]].place);
        // Pass 1: the preferred candidate of each base name keeps it.
        let mut winner_of: BTreeMap<&RustIdent, usize> = BTreeMap::new();
        let mut by_base: BTreeMap<&RustIdent, Vec<usize>> = BTreeMap::new();
        for &i in &sorted {
            by_base.entry(&candidates[i].place.method).or_default().push(i);
        }
        let mut losers = Vec::new();
        for (base, group) in &by_base {
            if taken.contains(base) {
                losers.extend(group.iter().copied());
                continue;
            }
            names[group[0]] = Some(((*base).clone(), false));
            winner_of.insert(base, group[0]);
            taken.push((*base).clone());
            losers.extend(group[1..].iter().copied());
        }
        losers.sort_by(|a, b| rank(profile, &candidates[*a]).cmp(&rank(profile, &candidates[*b])));
        // Pass 2: the others, by scope where the name went to another scope; else with the
        // resource's name before it (`bulk_delete` beside `bulk().delete()`); else by operationId.
        for i in losers {
            let c = &candidates[i];
            let winner_scope = winner_of.get(&c.place.method).and_then(|&w| candidates[w].place.scope.as_deref());
            let scoped = c
                .place
                .scope
                .as_deref()
                .filter(|s| Some(*s) != winner_scope)
                .map(|s| snake_ident(&format!("{}_for_{}", c.place.method, singular(s))));
            let qualified = c.place.resources.last().map(|r| snake_ident(&format!("{}_{}", r.as_str(), c.place.method)));
            let fallback = snake_ident(c.operation_id);
            let free = |name: &Option<RustIdent>| name.as_ref().filter(|n| !taken.contains(n)).cloned();
            let (mut name, from_operation_id) = match free(&scoped).or_else(|| free(&qualified)) {
                Some(name) => (name, false),
                None => (fallback, true),
            };
            let stem = name.clone();
            let mut n = 1;
            while taken.contains(&name) {
                n += 1;
                name = stem.with_suffix(&format!("_{n}"));
            }
            taken.push(name.clone());
            names[i] = Some((name, from_operation_id));
        }
    }
    names.into_iter().map(|name| name.expect("every candidate is in a namespace")).collect()
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

    /// The paths of a small Cloudflare-like API, with their methods.
    const CF_PATHS: &[(&str, &[&str])] = &[
        ("/accounts/{account_id}/oauth_clients/{oauth_client_id}/rotate_secret", &["post"]),
        ("/zones/{zone_id}/dns_records", &["get", "post"]),
        ("/zones/{zone_id}/dns_records/{id}", &["get", "put", "patch", "delete"]),
        ("/zones/{zone_id}/dns_records/export", &["get"]),
        ("/zones/{zone_id}/purge_cache", &["post"]),
        ("/zones", &["get", "post"]),
        ("/zones/{zone_id}", &["get", "delete"]),
        ("/accounts/{account_id}/d1/database/{db}/query", &["post"]),
        ("/accounts/{a}/workers/scripts/{s}/settings", &["get", "patch"]),
        ("/accounts/{a}/workers/scripts/{s}/content", &["put"]),
        ("/accounts/{a}/workers/scripts/{s}/content/v2", &["get"]),
        ("/accounts/{a}/rulesets/{r}/versions", &["get"]),
        ("/accounts/{a}/rulesets/{r}/versions/{v}", &["get", "delete"]),
        ("/accounts/{a}/storage/kv/namespaces/{n}/values/{k}", &["get", "put", "delete"]),
        ("/radar/http/timeseries_groups/http_version", &["get"]),
        ("/user", &["get", "patch"]),
    ];

    fn cf(path: &str, method: &str, answers_list: bool) -> (String, Vec<String>, String) {
        let index = PathIndex::new(CF_PATHS.iter().map(|(p, m)| (*p, m.to_vec())));
        let p = place(&Profile::cloudflare(), &index, path, method, answers_list);
        source_forms(&p)
    }

    /// The place's area, resources and method in source form.
    fn source_forms(p: &Place) -> (String, Vec<String>, String) {
        (p.area.to_string(), p.resources.iter().map(RustIdent::to_string).collect(), p.method.to_string())
    }

    fn t(area: &str, resources: &[&str], method: &str) -> (String, Vec<String>, String) {
        (area.to_owned(), resources.iter().map(|r| (*r).to_owned()).collect(), method.to_owned())
    }

    #[test]
    fn cloudflare_paths_nest_like_the_sdks() {
        let rotate = "/accounts/{account_id}/oauth_clients/{oauth_client_id}/rotate_secret";
        assert_eq!(cf(rotate, "post", false), t("iam", &["oauth_clients"], "rotate_secret"));
        assert_eq!(cf("/zones/{zone_id}/dns_records", "get", true), t("dns", &["records"], "list"));
        assert_eq!(cf("/zones/{zone_id}/dns_records", "post", false), t("dns", &["records"], "create"));
        assert_eq!(cf("/zones/{zone_id}/dns_records/{id}", "get", false), t("dns", &["records"], "get"));
        assert_eq!(cf("/zones/{zone_id}/dns_records/{id}", "patch", false), t("dns", &["records"], "edit"));
        assert_eq!(cf("/zones/{zone_id}/dns_records/{id}", "put", false), t("dns", &["records"], "update"));
        assert_eq!(cf("/zones/{zone_id}/dns_records/{id}", "delete", false), t("dns", &["records"], "delete"));
        // One HTTP method and nothing below it: an action.
        assert_eq!(cf("/zones/{zone_id}/dns_records/export", "get", false), t("dns", &["records"], "export"));
        assert_eq!(cf("/zones/{zone_id}/purge_cache", "post", false), t("cache", &[], "purge"));
        assert_eq!(cf("/zones", "get", true), t("zones", &[], "list"));
        assert_eq!(cf("/zones/{zone_id}", "get", false), t("zones", &[], "get"));
        assert_eq!(cf("/accounts/{account_id}/d1/database/{db}/query", "post", false), t("d1", &["database"], "query"));
        assert_eq!(cf("/accounts/{a}/workers/scripts/{s}/settings", "patch", false), t("workers", &["scripts", "settings"], "edit"));
        assert_eq!(cf("/accounts/{a}/workers/scripts/{s}/settings", "get", false), t("workers", &["scripts", "settings"], "get"));
        // One HTTP method, but a path goes on below it: a resource.
        assert_eq!(cf("/accounts/{a}/workers/scripts/{s}/content", "put", false), t("workers", &["scripts", "content"], "update"));
        assert_eq!(cf("/accounts/{a}/storage/kv/namespaces/{n}/values/{k}", "get", false), t("kv", &["namespaces", "values"], "get"));
        assert_eq!(
            cf("/radar/http/timeseries_groups/http_version", "get", false),
            t("radar", &["http", "timeseries_groups"], "http_version")
        );
        assert_eq!(cf("/accounts/{a}/rulesets/{r}/versions", "get", true), t("rulesets", &["versions"], "list"));
        assert_eq!(cf("/user", "get", false), t("user", &[], "get"));
        assert_eq!(cf("/user", "patch", false), t("user", &[], "edit"));
    }

    #[test]
    fn generic_paths_use_no_scopes() {
        let g = |paths: &[(&str, &[&str])], path: &str, method: &str| {
            let index = PathIndex::new(paths.iter().map(|(p, m)| (*p, m.to_vec())));
            let p = place(&Profile::generic(), &index, path, method, true);
            source_forms(&p)
        };
        let pets: &[(&str, &[&str])] = &[("/pets", &["get", "post"]), ("/pets/{id}", &["get", "delete"]), ("/pet/{petId}/uploadImage", &["post"])];
        assert_eq!(g(pets, "/pets", "get"), t("pets", &[], "list"));
        assert_eq!(g(pets, "/pets/{id}", "delete"), t("pets", &[], "delete"));
        assert_eq!(g(pets, "/pet/{petId}/uploadImage", "post"), t("pet", &[], "upload_image"));
        assert_eq!(g(&[("/pets", &["post"])], "/pets", "post"), t("pets", &[], "create"));
        assert_eq!(g(&[("/store/order", &["post"])], "/store/order", "post"), t("store", &[], "order"));
        assert_eq!(g(&[("/store/order", &["get", "post"])], "/store/order", "post"), t("store", &["order"], "create"));
        assert_eq!(g(&[("/accounts/{id}/x", &["get"])], "/accounts/{id}/x", "get"), t("accounts", &[], "x"));
        assert_eq!(g(&[("/accounts/{id}/x", &["get", "put"])], "/accounts/{id}/x", "get"), t("accounts", &["x"], "list"));
        assert_eq!(g(&[("/", &["get"])], "/", "get"), t("root", &[], "list"));
        // On a collection whose items are paths, a change acts on many.
        let filters: &[(&str, &[&str])] = &[("/filters", &["get", "put", "delete"]), ("/filters/{id}", &["get", "put", "delete"])];
        assert_eq!(g(filters, "/filters", "put"), t("filters", &[], "bulk_update"));
        assert_eq!(g(filters, "/filters", "delete"), t("filters", &[], "bulk_delete"));
        assert_eq!(g(filters, "/filters/{id}", "put"), t("filters", &[], "update"));
    }

    #[test]
    fn paths_are_compared_without_parameter_names() {
        assert_eq!(blank_params("/a/{id}/b/{other_id}/"), "/a/{}/b/{}");
        let index = PathIndex::new([("/a/{x}/b", vec!["get"]), ("/a/{y}/c/{z}", vec!["post"]), ("/a/{id}", vec!["get"])]);
        assert!(!index.has_items("/a/{q}/b"));
        assert_eq!(index.method_count("/a/{other}/b"), 1);
        assert!(index.has_items("/a"));
        assert!(index.has_children("/a/{q}/c"));
        assert!(!index.has_children("/a/{q}/b"));
        assert!(!index.has_children("/a/{q}/c/{z}"));
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
        let index = PathIndex::new(ops.iter().map(|(p, m, _)| (*p, vec![*m])));
        let places: Vec<Place> = ops.iter().map(|(p, m, _)| place(&profile, &index, p, m, true)).collect();
        let names = |order: &[usize]| {
            let candidates: Vec<Candidate<'_>> = order
                .iter()
                .map(|&i| Candidate { place: &places[i], path: ops[i].0, http_method: ops[i].1, operation_id: ops[i].2 })
                .collect();
            let settled = settle_method_names(&profile, &candidates, &|_| Vec::new());
            let mut by_op: Vec<(usize, (RustIdent, bool))> = order.iter().copied().zip(settled).collect();
            by_op.sort();
            by_op.into_iter().map(|(_, (n, _))| n.to_string()).collect::<Vec<_>>()
        };
        let forward = names(&[0, 1, 2, 3, 4]);
        assert_eq!(forward, ["list", "list_for_zone", "get_for_zone", "get", "list"]);
        assert_eq!(names(&[4, 3, 2, 1, 0]), forward);
        assert_eq!(names(&[2, 0, 4, 1, 3]), forward);
    }

    #[test]
    fn a_name_taken_in_the_same_scope_is_qualified_by_the_resource() {
        let profile = Profile::cloudflare();
        let ops = [
            ("/accounts/{a}/storage/kv/namespaces/{n}/bulk", "delete", "bulkDelete"),
            ("/accounts/{a}/storage/kv/namespaces/{n}/bulk/delete", "post", "bulkDeletePost"),
            ("/zones/{z}/storage/kv/namespaces/{n}/bulk/delete", "post", "zoneBulkDeletePost"),
        ];
        let index = PathIndex::new(ops.iter().map(|(p, m, _)| (*p, vec![*m])));
        let places: Vec<Place> = ops.iter().map(|(p, m, _)| place(&profile, &index, p, m, false)).collect();
        assert!(places.iter().all(|p| p.module().as_str() == "kv::namespaces::bulk"), "{places:?}");
        let candidates: Vec<Candidate<'_>> =
            ops.iter().zip(&places).map(|((path, m, id), place)| Candidate { place, path, http_method: m, operation_id: id }).collect();
        let names: Vec<(String, bool)> =
            settle_method_names(&profile, &candidates, &|_| Vec::new()).into_iter().map(|(n, from_id)| (n.to_string(), from_id)).collect();
        assert_eq!(
            names,
            [("delete".to_owned(), false), ("bulk_delete".to_owned(), false), ("delete_for_zone".to_owned(), false)]
        );
    }
}
