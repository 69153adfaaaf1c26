//! Credential kinds: from the profile, or derived from the spec's security schemes.
//!
//! A profile that fixes its kinds (Cloudflare's) keeps them; a security requirement stands for
//! the kind that sends exactly its schemes' headers and query parameters. The generic profile
//! derives one kind per security scheme, in the order of the sorted scheme names:
//!
//! | scheme | kind | sent as | environment |
//! |---|---|---|---|
//! | `http`, `bearer` | a token | `Authorization: Bearer <token>` | `<API>_<SCHEME>` |
//! | `http`, `basic` | user name + password | `Authorization: Basic ...` | `<API>_<SCHEME>_USERNAME`, `_PASSWORD` |
//! | `apiKey` in `header` / `query` | a key | that header / query parameter | `<API>_<SCHEME>` |
//! | `apiKey` in `cookie` | a key | `Cookie: <name>=<key>` | `<API>_<SCHEME>` |
//! | `oauth2`, `openIdConnect` | an access token (obtained elsewhere) | `Authorization: Bearer <token>` | `<API>_<SCHEME>` |
//! | `mutualTLS` | none: a client certificate, configured on a custom `reqwest::Client` | | |
//!
//! Other `http` schemes (`digest`, ...) get no kind (noted in the report). Variants are the
//! scheme names in UpperCamelCase, constructors in snake_case; a name taken by an earlier
//! scheme (in sorted order) gets a number. A requirement that combines schemes (`{a: [], b:
//! []}`, both at once) gets a kind of its own carrying every member's values, named
//! `AAndB`; such combined kinds come first, so `Client::from_env` prefers them when all their
//! variables are set. A requirement naming a scheme with no kind (or an empty requirement `{}`)
//! lets the operation send whatever credentials the client has.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme};

use crate::pointer::Pointer;
use crate::ir::{CredentialKind, CredentialPart, CredentialValue, Credentials, SentAs};
use crate::naming::{RustIdent, camel_ident, env_words, snake_ident, snake_words};
use crate::openapi::MUTUAL_TLS_MARK;
use crate::profile::{KindSpec, Profile};
use crate::report::{Reason, Report};



/// Methods of the generated `Credentials` a constructor must not take.
const RESERVED: &[&str] = &["kind", "resolve", "clone", "fmt"];

/// How one security scheme travels.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Wire {
    Sent(SentAs),
    Basic,
    /// A client certificate: nothing the credentials carry.
    MutualTls,
}

/// The crate's credential kinds, and which of them each security requirement stands for.
pub struct CredentialMap {
    /// The kinds, for the IR.
    pub credentials: Credentials,
    /// How each scheme travels (`None`: no kind stands for it).
    wires: BTreeMap<String, Option<Wire>>,
    /// Requirement (sorted scheme names, client certificates left out) -> variant.
    by_requirement: BTreeMap<Vec<String>, String>,
    /// Profile kinds: the wires each sends -> variant.
    by_wires: Vec<(BTreeSet<Wire>, String)>,
}

impl CredentialMap {
    /// The kinds of `profile` for `api`; notes go to `report`.
    pub fn new(profile: &Profile, api: &OpenAPI, report: &mut Report) -> CredentialMap {
        let mut wires = BTreeMap::new();
        let schemes = api.components.as_ref().map(|c| &c.security_schemes);
        for (name, scheme) in schemes.into_iter().flatten() {
            // A `$ref` here is resolved by nothing: treated as a scheme without a kind.
            let wire = match scheme {
                ReferenceOr::Item(scheme) => wire_of(scheme),
                ReferenceOr::Reference { .. } => None,
            };
            if wire.is_none() {
                let at = Pointer::from_tokens(["components", "securitySchemes", name]);
                report.push(Reason::UnsupportedScheme, at, None);
            }
            wires.insert(name.clone(), wire);
        }
        let env_prefix = profile.env_prefix.map(str::to_owned);
        let mut map = CredentialMap {
            credentials: Credentials { kinds: Vec::new(), env_prefix },
            wires,
            by_requirement: BTreeMap::new(),
            by_wires: Vec::new(),
        };
        match profile.credentials {
            Some(kinds) => map.fixed(kinds),
            None => map.derive(schemes, &requirements(api)),
        }
        map
    }

    /// The variant a requirement stands for; `None` when it is empty (credentials optional),
    /// names only client certificates, or names a scheme no kind stands for.
    pub fn kind_for(&self, requirement: &SecurityRequirement) -> Option<&str> {
        let names = self.members(requirement)?;
        if let Some(variant) = self.by_requirement.get(&names) {
            return Some(variant);
        }
        let wires: BTreeSet<Wire> = names.iter().filter_map(|n| self.wires.get(n).cloned().flatten()).collect();
        self.by_wires.iter().find(|(kind, _)| *kind == wires).map(|(_, variant)| variant.as_str())
    }

    /// The sorted scheme names of a requirement that credentials carry; `None` if one of them
    /// has no kind, or nothing is left.
    fn members(&self, requirement: &SecurityRequirement) -> Option<Vec<String>> {
        let mut names = Vec::new();
        for name in requirement.keys() {
            match self.wires.get(name)? {
                Some(Wire::MutualTls) => {}
                Some(_) => names.push(name.clone()),
                None => return None,
            }
        }
        names.sort();
        names.dedup();
        (!names.is_empty()).then_some(names)
    }

    fn fixed(&mut self, kinds: &[KindSpec]) {
        for kind in kinds {
            let parts = kind
                .values
                .iter()
                .map(|v| CredentialPart::Secret {
                    value: CredentialValue { field: snake_ident(v.field), label: v.label.to_owned(), env: v.env.to_owned(), shown: v.shown },
                    sent: SentAs::Header { name: v.header.to_ascii_lowercase(), prefix: v.prefix.to_owned() },
                })
                .collect();
            let wires = kind
                .values
                .iter()
                .map(|v| Wire::Sent(SentAs::Header { name: v.header.to_ascii_lowercase(), prefix: v.prefix.to_owned() }))
                .collect();
            self.by_wires.push((wires, kind.variant.to_owned()));
            self.credentials.kinds.push(CredentialKind {
                variant: kind.variant.to_owned(),
                constructor: snake_ident(kind.constructor),
                label: kind.label.to_owned(),
                doc: kind.doc.to_owned(),
                parts,
            });
        }
    }

    /// One kind per scheme (sorted by name), then one per combined requirement.
    fn derive(&mut self, schemes: Option<&indexmap::IndexMap<String, ReferenceOr<SecurityScheme>>>, requirements: &[&SecurityRequirement]) {
        let mut variants = Taken::default();
        let mut constructors = Taken::default();
        constructors.names.extend(RESERVED.iter().map(|r| (*r).to_owned()));
        let mut singles = BTreeMap::new();
        let mut sorted: Vec<(&String, &ReferenceOr<SecurityScheme>)> = schemes.into_iter().flatten().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        for (name, scheme) in sorted {
            let (ReferenceOr::Item(scheme), Some(Some(wire))) = (scheme, self.wires.get(name)) else { continue };
            let Some((label, what, parts)) = single_kind(name, scheme, wire) else { continue };
            let variant = variants.take(camel_ident(name));
            let doc = format!("The `{name}` security scheme: {what}");
            let kind = CredentialKind { constructor: constructors.take_ident(snake_ident(name)), variant, label, doc, parts };
            self.by_requirement.insert(vec![name.clone()], kind.variant.clone());
            singles.insert(name.clone(), kind);
        }
        let mut combined: BTreeSet<Vec<String>> = BTreeSet::new();
        for requirement in requirements {
            if let Some(names) = self.members(requirement).filter(|n| n.len() > 1) {
                combined.insert(names);
            }
        }
        let mut kinds = Vec::new();
        for names in combined {
            let members: Vec<&CredentialKind> = names.iter().filter_map(|n| singles.get(n)).collect();
            if members.len() != names.len() {
                continue;
            }
            // Each member's values, with fields named after its scheme.
            let mut fields = Taken::default();
            let mut parts = Vec::new();
            for (name, member) in names.iter().zip(&members) {
                let mut field = |suffix: &str| fields.take_ident(snake_ident(&format!("{}{suffix}", snake_words(name))));
                for part in &member.parts {
                    parts.push(match part.clone() {
                        CredentialPart::Secret { value, sent } => {
                            CredentialPart::Secret { value: CredentialValue { field: field(""), ..value }, sent }
                        }
                        CredentialPart::Basic { username, password } => CredentialPart::Basic {
                            username: CredentialValue { field: field("_username"), ..username },
                            password: CredentialValue { field: field("_password"), ..password },
                        },
                    });
                }
            }
            let joined = names.join("_and_");
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let kind = CredentialKind {
                variant: variants.take(camel_ident(&joined)),
                constructor: constructors.take_ident(snake_ident(&joined)),
                label: members.iter().map(|m| m.label.as_str()).collect::<Vec<_>>().join(" + "),
                doc: format!(
                    "The security schemes {} together, for the operations that require them all at once: \
                     each value is sent as its own scheme says.",
                    quoted.join(" and ")
                ),
                parts,
            };
            self.by_requirement.insert(names, kind.variant.clone());
            kinds.push(kind);
        }
        kinds.extend(singles.into_values());
        self.credentials.kinds = kinds;
    }
}

/// Hands out names, numbering one already taken (`Token`, `Token2`).
#[derive(Default)]
struct Taken {
    names: BTreeSet<String>,
}

impl Taken {
    fn take(&mut self, name: String) -> String {
        let mut candidate = name.clone();
        let mut n = 2;
        while !self.names.insert(candidate.clone()) {
            candidate = format!("{name}{n}");
            n += 1;
        }
        candidate
    }

    /// [`take`](Self::take) for a snake_case identifier, compared in source form (`r#type2`).
    fn take_ident(&mut self, ident: RustIdent) -> RustIdent {
        let mut candidate = ident.clone();
        let mut n = 2;
        while !self.names.insert(candidate.to_string()) {
            candidate = ident.with_suffix(&n.to_string());
            n += 1;
        }
        candidate
    }
}

/// Every security requirement of the document: the default, then each operation's.
fn requirements(api: &OpenAPI) -> Vec<&SecurityRequirement> {
    let mut out: Vec<&SecurityRequirement> = api.security.iter().flatten().collect();
    for item in api.paths.paths.values() {
        if let ReferenceOr::Item(item) = item {
            for (_, op) in item.iter() {
                out.extend(op.security.iter().flatten());
            }
        }
    }
    out
}

/// How a scheme travels; `None` for one no kind can carry.
fn wire_of(scheme: &SecurityScheme) -> Option<Wire> {
    let bearer = || Wire::Sent(SentAs::Header { name: "authorization".to_owned(), prefix: "Bearer ".to_owned() });
    match scheme {
        SecurityScheme::HTTP { extensions, .. } if extensions.contains_key(MUTUAL_TLS_MARK) => Some(Wire::MutualTls),
        SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => Some(bearer()),
        SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => Some(Wire::Basic),
        SecurityScheme::HTTP { .. } => None,
        SecurityScheme::APIKey { location, name, .. } => Some(Wire::Sent(match location {
            APIKeyLocation::Header => SentAs::Header { name: name.to_ascii_lowercase(), prefix: String::new() },
            APIKeyLocation::Query => SentAs::Query { name: name.clone() },
            // The key alone in a `Cookie` header: the client keeps no other cookies.
            APIKeyLocation::Cookie => SentAs::Header { name: "cookie".to_owned(), prefix: format!("{name}=") },
        })),
        SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => Some(bearer()),
    }
}

/// The kind derived from one scheme: its label, the end of its doc comment, its parts.
fn single_kind(name: &str, scheme: &SecurityScheme, wire: &Wire) -> Option<(String, String, Vec<CredentialPart>)> {
    let env = env_words(name);
    let value = |field: &str, label: String, env: String| CredentialValue { field: snake_ident(field), label, env, shown: false };
    let secret = |what: &str, field: &str, sent: &SentAs| CredentialPart::Secret {
        value: value(field, format!("{name} {what}"), env.clone()),
        sent: sent.clone(),
    };
    let sent_text = |sent: &SentAs| match sent {
        SentAs::Header { name, prefix } if name == "cookie" => format!("sent as `Cookie: {prefix}<key>`"),
        SentAs::Header { name, prefix } => format!("sent in the `{name}` header{}", if prefix.is_empty() { String::new() } else { format!(" after `{prefix}`") }),
        SentAs::Query { name } => format!("sent as the query parameter `{name}`"),
    };
    match (scheme, wire) {
        (_, Wire::MutualTls) => None,
        (_, Wire::Basic) => Some((
            format!("{name} user name + password"),
            "a user name and password, sent as HTTP Basic (`Authorization: Basic ...`).".to_owned(),
            vec![CredentialPart::Basic {
                username: value("username", format!("{name} login"), format!("{env}_USERNAME")),
                password: value("password", format!("{name} password"), format!("{env}_PASSWORD")),
            }],
        )),
        (SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. }, Wire::Sent(sent)) => {
            let what = if matches!(scheme, SecurityScheme::OAuth2 { .. }) { "OAuth 2.0" } else { "OpenID Connect" };
            Some((
                format!("{name} access token"),
                format!("an {what} access token obtained elsewhere (this client runs no flow), sent as `Authorization: Bearer <token>`."),
                vec![secret("access token", "token", sent)],
            ))
        }
        (SecurityScheme::HTTP { .. }, Wire::Sent(sent)) => {
            Some((format!("{name} bearer token"), "a bearer token, sent as `Authorization: Bearer <token>`.".to_owned(), vec![secret("token", "token", sent)]))
        }
        (SecurityScheme::APIKey { .. }, Wire::Sent(sent)) => {
            Some((format!("{name} API key"), format!("an API key, {}.", sent_text(sent)), vec![secret("API key", "key", sent)]))
        }
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    fn map_of(yaml: &str) -> (CredentialMap, Report) {
        let api: OpenAPI = spec(yaml);
        let mut report = Report::default();
        (CredentialMap::new(&Profile::generic(), &api, &mut report), report)
    }

    fn spec(text: &str) -> OpenAPI {
        let value = crate::load::yaml::to_json(text).expect("yaml");
        serde_json::from_value(value).expect("openapi")
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      security: [{app_id: [], api_key: []}, {bearer: []}, {}]
      responses: {'204': {description: ok}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    api_key: {type: apiKey, in: query, name: key}
    app_id: {type: apiKey, in: header, name: X-App-Id}
    ApiKey: {type: apiKey, in: cookie, name: sid}
    login: {type: http, scheme: basic}
    digest: {type: http, scheme: digest}
    oauth: {type: oauth2, flows: {}}
"#;

    #[test]
    fn kinds_follow_sorted_scheme_names_with_combinations_first() {
        let (map, report) = map_of(SPEC);
        let variants: Vec<&str> = map.credentials.kinds.iter().map(|k| k.variant.as_str()).collect();
        // `ApiKey` sorts before `api_key`, which then takes `ApiKey2`.
        assert_eq!(variants, ["ApiKeyAndAppId", "ApiKey", "ApiKey2", "AppId", "Bearer", "Login", "Oauth"]);
        let combined = &map.credentials.kinds[0];
        let fields: Vec<&str> = combined.values().iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["api_key", "app_id"]);
        assert_eq!(combined.constructor.to_string(), "api_key_and_app_id");
        let envs: Vec<&str> = map.credentials.kinds[5].values().iter().map(|v| v.env.as_str()).collect();
        assert_eq!(envs, ["LOGIN_USERNAME", "LOGIN_PASSWORD"]);
        assert_eq!(report.entries.len(), 1, "{report:?}");
        assert!(report.entries[0].pointer.as_str().ends_with("/digest"));
    }

    #[test]
    fn requirements_map_to_kinds() {
        let (map, _) = map_of(SPEC);
        let req = |names: &[&str]| -> SecurityRequirement { names.iter().map(|n| ((*n).to_owned(), Vec::new())).collect() };
        assert_eq!(map.kind_for(&req(&["bearer"])), Some("Bearer"));
        assert_eq!(map.kind_for(&req(&["api_key", "app_id"])), Some("ApiKeyAndAppId"));
        assert_eq!(map.kind_for(&req(&["app_id", "api_key"])), Some("ApiKeyAndAppId"));
        assert_eq!(map.kind_for(&req(&["oauth"])), Some("Oauth"));
        assert_eq!(map.kind_for(&req(&[])), None);
        assert_eq!(map.kind_for(&req(&["digest"])), None);
        // A combination no operation declares has no kind.
        assert_eq!(map.kind_for(&req(&["bearer", "login"])), None);
    }

    #[test]
    fn profile_kinds_match_by_what_is_sent() {
        let api = spec(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  securitySchemes:
    email: {type: apiKey, in: header, name: X-Auth-Email}
    key: {type: apiKey, in: header, name: X-AUTH-KEY}
    token: {type: http, scheme: bearer}
"#,
        );
        let map = CredentialMap::new(&Profile::cloudflare(), &api, &mut Report::default());
        let req = |names: &[&str]| -> SecurityRequirement { names.iter().map(|n| ((*n).to_owned(), Vec::new())).collect() };
        assert_eq!(map.kind_for(&req(&["key", "email"])), Some("ApiKey"));
        assert_eq!(map.kind_for(&req(&["token"])), Some("ApiToken"));
        assert_eq!(map.kind_for(&req(&["key"])), None);
        assert_eq!(map.credentials.kinds.len(), 3);
        assert_eq!(map.credentials.env_prefix.as_deref(), Some("CLOUDFLARE"));
    }
}
