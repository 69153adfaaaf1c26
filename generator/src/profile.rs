//! The conventions of one API that a generic OpenAPI description does not state, in one place.
//!
//! Everything Cloudflare-specific the generator knows sits in [`Profile::cloudflare`]: the scope
//! prefixes of its paths, where the official SDKs place some product areas, how its component
//! names carry an area prefix, its credential kinds and their environment variables. A spec
//! that is not Cloudflare's gets [`Profile::generic`], which assumes none of it: its credential
//! kinds come from the spec's security schemes (see `lower::credentials`) and its environment
//! variables are named after the crate. Serving another API means writing another profile,
//! nothing else.

/// The object a profile's API wraps its answers in, by field name.
///
/// [`Envelope::frames`] is the one test of whether a schema is such an envelope: the lowering
/// unwraps the responses it says yes to, and the mock reads their `success` as `true`. The
/// runtime's part for envelopes (`runtime/envelope.rs`, copied only into crates whose profile
/// has one) reads these same names from every body, whatever its schema said: a body with
/// `success: false` is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Envelope {
    /// `false` here says the call failed (`success`).
    pub success: &'static str,
    /// What the call answered (`result`).
    pub result: &'static str,
    /// Why it failed (`errors`).
    pub errors: &'static str,
    /// Notes beside the answer (`messages`).
    pub messages: &'static str,
    /// Where a page sits in a list (`result_info`): an envelope that has it beside a list
    /// `result` is read in pages.
    pub result_info: &'static str,
    /// The fields of the `result_info` object the runtime's paging reads.
    pub paging: PageInfo,
}

/// The fields of an envelope's page information, as the runtime's `ResultInfo` reads them and
/// its paging stop rule uses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageInfo {
    /// The number of the page answered (`page`).
    pub page: &'static str,
    /// The page size asked for (`per_page`).
    pub per_page: &'static str,
    /// How many items the page holds (`count`).
    pub count: &'static str,
    /// How many items the whole list holds (`total_count`).
    pub total_count: &'static str,
    /// How many pages the list has (`total_pages`).
    pub total_pages: &'static str,
    /// The cursor of the next page (`cursor`, or `after` inside `cursors`).
    pub cursor: &'static str,
}

impl Envelope {
    /// Whether an object schema with these properties (`has` says which are there) is the
    /// envelope, or a part of one that an `allOf` completes: it has `success` beside `result`,
    /// `errors` or `messages`.
    pub fn frames(&self, has: impl Fn(&str) -> bool) -> bool {
        has(self.success) && (has(self.result) || has(self.errors) || has(self.messages))
    }
}

/// How an API's lists are read in pages: the query parameters that ask for a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The page number (`page`).
    pub page: &'static str,
    /// The cursor of the page after (`cursor`).
    pub cursor: &'static str,
    /// The page size (`per_page`).
    pub per_page: &'static str,
    /// Query parameters that are page numbers or page sizes: an `integer` or `number` of one of
    /// these names is a `u64` (Cloudflare's schema writes `page` and `per_page` as `number`).
    pub counts: &'static [&'static str],
}

impl Paging {
    /// Whether a query parameter called `name` says an operation is read in pages (then a `GET`
    /// answers a list, whatever its response says).
    pub fn pages_by(&self, name: &str) -> bool {
        [self.page, self.cursor, self.per_page].contains(&name)
    }

    /// Whether a numeric query parameter called `name` is a count (a `u64`).
    pub fn counts(&self, name: &str) -> bool {
        self.counts.contains(&name)
    }
}

/// A placement the profile fixes for operations under a path prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Literal path segments (after the scope prefix) this placement applies to, e.g.
    /// `["dns_records"]`; the longest matching prefix wins.
    pub segments: &'static [&'static str],
    /// The area (top-level namespace, and cargo feature).
    pub area: &'static str,
    /// The resources inside the area, outermost first; empty puts the operations on the area
    /// itself.
    pub resources: &'static [&'static str],
    /// A method name for an operation on exactly these segments (a single action such as
    /// `purge_cache` -> `purge`); `None` derives it as usual.
    pub method: Option<&'static str>,
}

/// A credential kind a profile fixes: a variant of the generated `Credentials` and
/// `CredentialKind`, with its constructor and what it sends.
///
/// A security requirement of the spec stands for this kind when its schemes send exactly the
/// headers and query parameters of [`values`](Self::values) (by name, case-insensitively, and
/// prefix): Cloudflare's `[{api_email, api_key}]` is the `ApiKey` kind whatever the
/// schemes are called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindSpec {
    /// The variant (`ApiToken`).
    pub variant: &'static str,
    /// The constructor (`api_token`); its arguments are the values' fields, in order.
    pub constructor: &'static str,
    /// How `CredentialKind` displays it in error messages (`API token`).
    pub label: &'static str,
    /// The variant's doc comment.
    pub doc: &'static str,
    /// The values, in the order of the constructor's arguments (and of `from_env`'s variables).
    pub values: &'static [ValueSpec],
}

/// One value of a [`KindSpec`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueSpec {
    /// The field (and constructor argument) name.
    pub field: &'static str,
    /// How error messages name it (`API token`); never the value.
    pub label: &'static str,
    /// The environment variable `Client::from_env` reads it from, after the profile's
    /// [`env_prefix`](Profile::env_prefix) and `_`.
    pub env: &'static str,
    /// `Debug` shows it (an account email); every other value prints as `<redacted>`.
    pub shown: bool,
    /// The header it is sent in (lower case) ...
    pub header: &'static str,
    /// ... after this prefix (`Bearer `).
    pub prefix: &'static str,
}

/// The conventions the generator applies to one API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// A short name (`cloudflare`, `generic`), for diagnostics and docs.
    pub name: &'static str,
    /// Path prefixes that only say *whose* resource it is (`/accounts/{account_id}`): a literal
    /// followed by one parameter. They are skipped when placing an operation, so account-level
    /// and zone-level variants of one product land in the same area.
    pub scopes: &'static [&'static str],
    /// Literal path prefixes that scope a path to the caller without an id (`/user`): placement
    /// keeps them as areas of their own, and only `import-upstream` skips them when it splits an
    /// upstream schema into files (`/user/tokens` is filed with `tokens`).
    pub bare_scopes: &'static [&'static str],
    /// Scopes whose twin operations are one method with a `Scope` argument, and the `Scope`
    /// variant of each: the same resource and HTTP method under `/accounts/{id}` and
    /// `/zones/{id}`, with the same inputs (the id apart) and the same answer.
    pub shared_scopes: &'static [(&'static str, &'static str)],
    /// Placements that follow the official SDKs where a path alone would place differently.
    pub placements: &'static [Placement],
    /// Path parts that say nothing about the operation are ignored when placing it
    /// (`lower::prefix`): leading segments (a version such as `/v1` or `/2010-04-01`, `/api`, a
    /// first segment every path shares) and format suffixes (`Calls.json`).
    pub drop_path_noise: bool,
    /// Component schema names carry their area before the first `_` (`iam_account_identifier`):
    /// types are then placed in `types::<area>` with the prefix dropped from their names.
    pub component_prefixes: bool,
    /// Success responses shaped `{success, result, errors?, messages?, result_info?}` are an
    /// envelope: methods return `result`, and `success: false` is an error. `None`: answers are
    /// the bodies themselves (the crate then has no envelope code at all).
    pub envelope: Option<Envelope>,
    /// The response header that identifies a request to the API's support (`cf-ray`): errors
    /// and responses get an accessor for it and traces show it. `None`: no such header (the
    /// crate then has no request-id code).
    pub request_id_header: Option<&'static str>,
    /// The credential kinds, in the order `Client::from_env` tries them; `None` derives one per
    /// security scheme of the spec.
    pub credentials: Option<&'static [KindSpec]>,
    /// The spec's security requirements say only *that* an operation needs credentials, not
    /// which: every operation that requires any accepts whatever credentials the client holds,
    /// and the server's 401/403 is the final word (`security: []` still sends none).
    pub any_credentials: bool,
    /// A `GET` whose envelope carries `result_info` beside a list `result` is read in pages
    /// with `page=N` even where the operation does not declare `page` (Cloudflare's v4 lists
    /// all take `page` and `per_page`; many operations leave them out of the schema). A server
    /// that answers another page than the one asked for ends the stream.
    pub undeclared_pages: bool,
    /// The paging parameters' names, and which numeric parameters are counts.
    pub paging: Paging,
    /// The prefix of the environment variables (`CLOUDFLARE` for `CLOUDFLARE_API_TOKEN` and
    /// `CLOUDFLARE_BASE_URL`); `None` derives it from the crate name (`petstore` -> `PETSTORE`).
    pub env_prefix: Option<&'static str>,
}

/// The profiles there are, by [`Profile::name`]: what `--profile` and the `profile` option accept.
pub const PROFILES: &[Profile] = &[Profile::cloudflare(), Profile::generic()];

/// Which profile a spec is generated with: detected from its servers, or named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProfileChoice {
    /// [`Profile::detect`] from the spec's servers.
    #[default]
    Detect,
    /// This profile, whatever the servers say.
    Named(&'static Profile),
}

impl ProfileChoice {
    /// The profile called `name` (one of [`PROFILES`]), or an error naming the known ones.
    pub fn named(name: &str) -> Result<ProfileChoice, String> {
        match PROFILES.iter().find(|p| p.name == name) {
            Some(profile) => Ok(ProfileChoice::Named(profile)),
            None => {
                let known: Vec<&str> = PROFILES.iter().map(|p| p.name).collect();
                Err(format!("unknown profile `{name}` (known: {})", known.join(", ")))
            }
        }
    }

    /// The profile for a spec whose servers are `server_urls`.
    pub fn resolve(&self, server_urls: &[&str]) -> Profile {
        match self {
            ProfileChoice::Detect => Profile::detect(server_urls),
            ProfileChoice::Named(profile) => **profile,
        }
    }
}

impl Profile {
    /// Splits a component schema's name into its area prefix and the rest
    /// (`iam_account_identifier` -> `iam`, `account_identifier`), when the profile's component
    /// names carry one and both parts are there.
    pub fn component_prefix<'n>(&self, name: &'n str) -> Option<(&'n str, &'n str)> {
        let (prefix, rest) = name.split_once('_')?;
        (self.component_prefixes && !prefix.is_empty() && !rest.is_empty()).then_some((prefix, rest))
    }

    /// Picks the profile for a spec: Cloudflare's when its servers point at Cloudflare's API.
    pub fn detect(server_urls: &[&str]) -> Profile {
        let is_cloudflare = server_urls.iter().any(|url| url.starts_with("https://api.cloudflare.com/"));
        if is_cloudflare { Profile::cloudflare() } else { Profile::generic() }
    }

    /// No conventions beyond what OpenAPI says.
    pub const fn generic() -> Profile {
        Profile {
            name: "generic",
            scopes: &[],
            bare_scopes: &[],
            shared_scopes: &[],
            placements: &[],
            drop_path_noise: true,
            component_prefixes: false,
            envelope: None,
            request_id_header: None,
            credentials: None,
            any_credentials: false,
            undeclared_pages: false,
            paging: Paging { counts: GENERIC_PAGING_PARAMS, ..PAGE_CURSOR_PER_PAGE },
            env_prefix: None,
        }
    }

    /// Cloudflare's API v4.
    pub const fn cloudflare() -> Profile {
        Profile {
            name: "cloudflare",
            scopes: &["accounts", "zones", "organizations"],
            bare_scopes: &["user"],
            shared_scopes: &[("accounts", "Account"), ("zones", "Zone")],
            placements: CLOUDFLARE_PLACEMENTS,
            // Its paths start with scopes (`/accounts/{..}`) and areas; none is a version.
            drop_path_noise: false,
            component_prefixes: true,
            envelope: Some(CLOUDFLARE_ENVELOPE),
            request_id_header: Some("cf-ray"),
            credentials: Some(CLOUDFLARE_CREDENTIALS),
            // The 2024 schema misstates who may call what: 436 operations demand an API token, an
            // API key and an email together, which no client sends, and 653 (List and Create DNS
            // Record among them) list only email + key, though Cloudflare accepts API tokens there
            // (its "Edit Zone DNS" token template is for exactly these) and the official SDKs
            // send whichever credentials are configured.
            any_credentials: true,
            undeclared_pages: true,
            paging: Paging { counts: CLOUDFLARE_PAGING_PARAMS, ..PAGE_CURSOR_PER_PAGE },
            env_prefix: Some("CLOUDFLARE"),
        }
    }
}

/// `page`, `cursor` and `per_page` ask for a page, in both profiles.
const PAGE_CURSOR_PER_PAGE: Paging = Paging { page: "page", cursor: "cursor", per_page: "per_page", counts: &[] };

/// Cloudflare's v4 envelope: `{success, errors, messages, result, result_info}`.
const CLOUDFLARE_ENVELOPE: Envelope = Envelope {
    success: "success",
    result: "result",
    errors: "errors",
    messages: "messages",
    result_info: "result_info",
    paging: PageInfo {
        page: "page",
        per_page: "per_page",
        count: "count",
        total_count: "total_count",
        total_pages: "total_pages",
        cursor: "cursor",
    },
};

/// Page numbers and sizes under the names most APIs use.
const GENERIC_PAGING_PARAMS: &[&str] = &["page", "per_page", "page_size", "limit", "offset"];

/// Cloudflare's paging parameters: v4 lists page with `page` and `per_page`; other products take
/// `limit` and `offset`, and Radar caps groups with `limitPerGroup` and `limitPerLocation`.
const CLOUDFLARE_PAGING_PARAMS: &[&str] = &["page", "per_page", "limit", "offset", "limitPerGroup", "limitPerLocation"];

/// Cloudflare's three kinds of credentials, in the order `Client::from_env` tries them:
/// `CLOUDFLARE_API_TOKEN`, else `CLOUDFLARE_EMAIL` with `CLOUDFLARE_API_KEY`, else
/// `CLOUDFLARE_API_USER_SERVICE_KEY` (the names Cloudflare's own tools read).
const CLOUDFLARE_CREDENTIALS: &[KindSpec] = &[
    KindSpec {
        variant: "ApiToken",
        constructor: "api_token",
        label: "API token",
        doc: "An API token, sent as `Authorization: Bearer <token>`.",
        values: &[ValueSpec {
            field: "token",
            label: "API token",
            env: "API_TOKEN",
            shown: false,
            header: "authorization",
            prefix: "Bearer ",
        }],
    },
    KindSpec {
        variant: "ApiKey",
        constructor: "api_key",
        label: "API email + API key",
        doc: "A global API key with the account's email address, sent as `X-Auth-Email` and `X-Auth-Key`.",
        values: &[
            ValueSpec { field: "email", label: "API email", env: "EMAIL", shown: true, header: "x-auth-email", prefix: "" },
            ValueSpec { field: "key", label: "API key", env: "API_KEY", shown: false, header: "x-auth-key", prefix: "" },
        ],
    },
    KindSpec {
        variant: "UserServiceKey",
        constructor: "user_service_key",
        label: "user service key",
        doc: "A user service key (Origin CA key), sent as `X-Auth-User-Service-Key`.",
        values: &[ValueSpec {
            field: "key",
            label: "user service key",
            env: "API_USER_SERVICE_KEY",
            shown: false,
            header: "x-auth-user-service-key",
            prefix: "",
        }],
    },
];

const fn place(segments: &'static [&'static str], area: &'static str, resources: &'static [&'static str]) -> Placement {
    Placement { segments, area, resources, method: None }
}

/// Where Cloudflare's official SDKs and docs put operations whose path would place them
/// elsewhere: one entry per exception, grouped by why. Everything not listed is placed by the
/// path rule (see `lower::placement`).
const CLOUDFLARE_PLACEMENTS: &[Placement] = &[
    // Account and identity products the SDKs group under `iam` and `accounts`.
    place(&["oauth_clients"], "iam", &["oauth_clients"]),
    place(&["iam"], "iam", &[]),
    place(&["members"], "accounts", &["members"]),
    place(&["roles"], "accounts", &["roles"]),
    place(&["tokens"], "accounts", &["tokens"]),
    place(&["subscriptions"], "accounts", &["subscriptions"]),
    place(&["audit_logs"], "accounts", &["audit_logs"]),
    // DNS: the paths say `dns_records`, `dns_settings`, ...; the products are `dns.records`, ...
    place(&["dns_records"], "dns", &["records"]),
    place(&["dns_settings"], "dns", &["settings"]),
    place(&["dnssec"], "dns", &["dnssec"]),
    place(&["secondary_dns"], "dns", &["zone_transfers"]),
    place(&["dns_analytics"], "dns", &["analytics"]),
    Placement { segments: &["purge_cache"], area: "cache", resources: &[], method: Some("purge") },
    // Zone-level settings and plans belong to `zones`.
    place(&["settings"], "zones", &["settings"]),
    place(&["activation_check"], "zones", &["activation_check"]),
    place(&["available_plans"], "zones", &["plans"]),
    place(&["available_rate_plans"], "zones", &["rate_plans"]),
    place(&["subscription"], "zones", &["subscriptions"]),
    place(&["hold"], "zones", &["holds"]),
    place(&["custom_ns"], "zones", &["custom_nameservers"]),
    // Zaraz's paths sit under the zone settings; it is a product of its own.
    place(&["settings", "zaraz"], "zaraz", &[]),
    // Products whose path segment is not the product's name.
    place(&["pagerules"], "page_rules", &[]),
    place(&["ai-gateway"], "ai_gateway", &[]),
    place(&["ai-gateway", "gateways"], "ai_gateway", &[]),
    place(&["storage", "kv"], "kv", &[]),
    place(&["speed_api"], "speed", &[]),
    place(&["mnm"], "magic_network_monitoring", &[]),
    place(&["mnm", "config"], "magic_network_monitoring", &["configs"]),
    place(&["magic"], "magic_transit", &[]),
    place(&["pcaps"], "magic_transit", &["pcaps"]),
    place(&["challenges"], "turnstile", &[]),
    place(&["email", "routing"], "email_routing", &[]),
    place(&["email", "routing", "rules", "catch_all"], "email_routing", &["rules", "catch_alls"]),
    place(&["managed_headers"], "managed_transforms", &[]),
    place(&["workers", "dispatch"], "workers_for_platforms", &["dispatch"]),
    place(&["workers", "durable_objects"], "durable_objects", &[]),
    place(&["cache", "origin_post_quantum_encryption"], "origin_post_quantum_encryption", &[]),
    // Certificates: each its own product in the SDKs, not parts of `ssl`.
    place(&["certificates"], "origin_ca_certificates", &[]),
    // A version segment the SDKs leave out, where the API has only that version.
    place(&["alerting", "v3"], "alerting", &[]),
    place(&["rum", "v2", "rule"], "rum", &["rules"]),
    place(&["radar", "http", "top"], "radar", &["http"]),
    place(&["rulesets", "phases", "entrypoint"], "rulesets", &["phases"]),
    place(&["logs", "control", "retention", "flag"], "logs", &["control", "retention"]),
    place(&["firewall", "access_rules", "rules"], "firewall", &["access_rules"]),
    // Zero Trust: tunnels, devices, gateway, access and risk scoring under one area.
    place(&["zerotrust"], "zero_trust", &[]),
    place(&["tunnels"], "zero_trust", &["tunnels"]),
    place(&["cfd_tunnel"], "zero_trust", &["tunnels", "cloudflared"]),
    place(&["warp_connector"], "zero_trust", &["tunnels", "warp_connector"]),
    place(&["teamnet"], "zero_trust", &["networks"]),
    place(&["teamnet", "routes", "network"], "zero_trust", &["networks", "routes", "networks"]),
    place(&["teamnet", "routes", "ip"], "zero_trust", &["networks", "routes", "ips"]),
    place(&["devices"], "zero_trust", &["devices"]),
    place(&["devices", "posture", "integration"], "zero_trust", &["devices", "posture", "integrations"]),
    place(&["gateway"], "zero_trust", &["gateway"]),
    place(&["gateway", "configuration"], "zero_trust", &["gateway", "configurations"]),
    place(&["access"], "zero_trust", &["access"]),
    place(&["access", "apps"], "zero_trust", &["access", "applications"]),
    place(&["access", "apps", "ca"], "zero_trust", &["access", "applications", "cas"]),
    place(&["access", "organizations"], "zero_trust", &["organizations"]),
    place(&["access", "identity_providers"], "zero_trust", &["identity_providers"]),
    place(&["access", "seats"], "zero_trust", &["seats"]),
    place(&["dlp"], "zero_trust", &["dlp"]),
    place(&["dlp", "payload_log"], "zero_trust", &["dlp", "payload_logs"]),
    place(&["dex"], "zero_trust", &["dex"]),
    place(&["zt_risk_scoring"], "zero_trust", &["risk_scoring"]),
    place(&["zt_risk_scoring", "behaviors"], "zero_trust", &["risk_scoring", "behaviours"]),
    // Resources the SDKs name in the plural or by another word.
    place(&["calls", "apps"], "calls", &["sfu"]),
    place(&["calls", "turn_keys"], "calls", &["turn"]),
    place(&["stream", "webhook"], "stream", &["webhooks"]),
    place(&["stream", "audio"], "stream", &["audio_tracks"]),
    place(&["workers", "scripts", "tails"], "workers", &["scripts", "tail"]),
    place(&["workers", "subdomain"], "workers", &["subdomains"]),
    place(&["cache", "tiered_cache_smart_topology_enable"], "cache", &["smart_tiered_cache"]),
    place(&["addressing", "prefixes", "bindings"], "addressing", &["prefixes", "service_bindings"]),
    place(&["addressing", "prefixes", "bgp", "prefixes"], "addressing", &["prefixes", "bgp_prefixes"]),
    place(&["addressing", "prefixes", "bgp", "status"], "addressing", &["prefixes", "advertisement_status"]),
    place(&["healthchecks", "preview"], "healthchecks", &["previews"]),
    place(&["hostnames", "settings"], "hostnames", &["settings", "tls"]),
    place(&["api_gateway", "configuration"], "api_gateway", &["configurations"]),
    place(&["web3", "hostnames", "ipfs_universal_path", "content_list"], "web3", &["hostnames", "ipfs_universal_paths", "content_lists"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_rule_needs_success_beside_another_envelope_field() {
        let envelope = CLOUDFLARE_ENVELOPE;
        let frames = |names: &[&str]| envelope.frames(|name| names.contains(&name));
        assert!(frames(&["success", "result"]));
        assert!(frames(&["success", "errors"]));
        // A part an `allOf` completes (Magic Connectors' common response).
        assert!(frames(&["success", "messages"]));
        assert!(!frames(&["success"]));
        assert!(!frames(&["result", "errors", "messages"]));
    }

    #[test]
    fn detects_cloudflare_by_its_server() {
        assert_eq!(Profile::detect(&["https://api.cloudflare.com/client/v4"]).name, "cloudflare");
        assert_eq!(Profile::detect(&["https://api.example.com/v1"]).name, "generic");
        assert_eq!(Profile::detect(&[]).name, "generic");
    }

    #[test]
    fn placements_are_unique_per_prefix() {
        let mut seen = std::collections::BTreeSet::new();
        for placement in CLOUDFLARE_PLACEMENTS {
            assert!(seen.insert(placement.segments), "{:?} listed twice", placement.segments);
        }
    }
}
