//! Every Rust identifier the generator emits is decided here, once.
//!
//! Spec names are arbitrary strings (`oauth-clients-rotate-secret`, `@type`, `1st`, `ключ`, ``);
//! Rust identifiers are not. The functions below turn the former into the latter: heck for case,
//! ASCII-only output, a prefix for a leading digit, raw identifiers for keywords, and a suffix for
//! the few keywords that cannot be raw. [`Namespace`] then makes names unique within a scope, in
//! the order they are asked for, so the same spec always gives the same names.
//!
//! A snake_case identifier may be a keyword, so it is a [`RustIdent`], which knows whether it is
//! raw. An UpperCamelCase one never is (`Self`, the one keyword it could be, gets `_`), so it is
//! plain text: type names are built by joining several.

use std::cmp::Ordering;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::thread::LocalKey;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Keywords of every edition (strict and reserved) that may be written as raw identifiers.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const UNRAWABLE: &[&str] = &["self", "Self", "super", "crate", "_"];

/// A Rust identifier that may be a keyword, and so be written raw (`r#type`).
///
/// It has three forms: [`as_str`](Self::as_str) is the bare name (`type`), for prose, file
/// names and matching against other names; `Display` writes the source form (`r#type`), for
/// code written as text; [`to_ident`](Self::to_ident) is the token, for code built with `quote!`.
/// Identifiers are ordered by their source form (`r#type` sorts among the `r`s).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RustIdent {
    bare: String,
    raw: bool,
}

impl RustIdent {
    /// The identifier of one segment of a `::` path written in source form (`r#type` is `type`,
    /// raw).
    pub fn from_source(segment: &str) -> Self {
        match segment.strip_prefix("r#") {
            Some(bare) => RustIdent { bare: bare.to_owned(), raw: true },
            None => RustIdent { bare: segment.to_owned(), raw: false },
        }
    }

    /// The name without `r#` (`type`).
    pub fn as_str(&self) -> &str {
        &self.bare
    }

    /// Whether it is a keyword, written `r#` in source.
    pub fn is_raw(&self) -> bool {
        self.raw
    }

    /// The token: a raw identifier when it is a keyword.
    pub fn to_ident(&self) -> Ident {
        if self.raw { Ident::new_raw(&self.bare, Span::call_site()) } else { Ident::new(&self.bare, Span::call_site()) }
    }

    /// The identifier with `suffix` added, still raw if it was (`r#type` -> `r#type_2`).
    pub fn with_suffix(&self, suffix: &str) -> Self {
        RustIdent { bare: format!("{}{suffix}", self.bare), raw: self.raw }
    }

    /// The bytes of the source form.
    fn source_bytes(&self) -> impl Iterator<Item = u8> + '_ {
        let prefix: &[u8] = if self.raw { b"r#" } else { b"" };
        prefix.iter().copied().chain(self.bare.bytes())
    }
}

impl fmt::Display for RustIdent {
    /// The source form: `r#type`, `name`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.raw {
            f.write_str("r#")?;
        }
        f.write_str(&self.bare)
    }
}

impl Ord for RustIdent {
    fn cmp(&self, other: &Self) -> Ordering {
        self.source_bytes().cmp(other.source_bytes())
    }
}

impl PartialOrd for RustIdent {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A snake_case identifier for a field, parameter, method or module (`r#type`, `self_`).
pub fn snake_ident(name: &str) -> RustIdent {
    let ident = finish(snake_words(name), "_", "value");
    let raw = RAW_KEYWORDS.contains(&ident.as_str());
    RustIdent { bare: ident, raw }
}

/// The snake_case words of `name`, not yet made an identifier (`type` stays `type`, `---` is
/// empty). For matching one name against the start of another, never for emitting.
pub fn snake_words(name: &str) -> String {
    remembered(&SNAKE_WORDS, name, |name| ascii_words(name).to_snake_case())
}

/// `api_key` / `bearerAuth` -> `API_KEY` / `BEARER_AUTH`: the words of an environment variable
/// (never empty).
pub fn env_words(name: &str) -> String {
    let words = snake_words(name).to_uppercase();
    if words.is_empty() { "CREDENTIALS".to_owned() } else { words }
}

/// A method name for an operation of a tagged group: the operationId without the tag's words,
/// which repeat the group (`oauth-clients-rotate-secret` in `OAuth Clients` -> `rotate_secret`).
/// The tag may follow scope words (`accounts-turnstile-widget-rotate-secret` in `Turnstile` ->
/// `widget_rotate_secret`), but not other words (`get-pet-by-id` in `pet` stays `get_pet_by_id`);
/// if nothing would be left, the whole operationId is used.
pub fn method_ident(operation_id: &str, tag: &str) -> RustIdent {
    const MAX_LEADING_WORDS: usize = 2;
    const SCOPE_WORDS: &[&str] =
        &["account", "accounts", "zone", "zones", "user", "users", "organization", "organizations", "level"];
    let op = snake_words(operation_id);
    let tag = snake_words(&tag.to_lowercase());
    let op_words: Vec<&str> = op.split('_').filter(|w| !w.is_empty()).collect();
    let tag_words: Vec<&str> = tag.split('_').filter(|w| !w.is_empty()).collect();
    if !tag_words.is_empty() {
        for start in 0..=MAX_LEADING_WORDS {
            let end = start + tag_words.len();
            if end >= op_words.len() {
                break;
            }
            let scoped = op_words[..start].iter().all(|w| SCOPE_WORDS.contains(w));
            if scoped && op_words[start..end] == tag_words[..] {
                return snake_ident(&op_words[end..].join("_"));
            }
        }
    }
    snake_ident(&op)
}

/// An UpperCamelCase identifier for a type or enum variant (`OauthClient`, `Self_`, `T1st`);
/// never a keyword.
pub fn camel_ident(name: &str) -> String {
    remembered(&CAMEL_IDENTS, name, |name| finish(ascii_words(name).to_upper_camel_case(), "T", "Value"))
}

thread_local! {
    /// [`snake_words`] and [`camel_ident`] of the names seen on this thread: a spec writes the
    /// same names (`id`, `name`, `created_on`) thousands of times, and heck converts them a
    /// character at a time.
    static SNAKE_WORDS: RefCell<HashMap<String, String>> = RefCell::default();
    static CAMEL_IDENTS: RefCell<HashMap<String, String>> = RefCell::default();
}

/// How many conversions a thread remembers: a whole API's names fit, and a process that generates
/// crate after crate does not grow without bound (the memory is started afresh when full).
const REMEMBERED: usize = 1 << 16;

/// `convert(name)`, from `cache` when it was converted before on this thread.
fn remembered(cache: &'static LocalKey<RefCell<HashMap<String, String>>>, name: &str, convert: fn(&str) -> String) -> String {
    cache.with_borrow_mut(|cache| {
        if let Some(converted) = cache.get(name) {
            return converted.clone();
        }
        if cache.len() >= REMEMBERED {
            cache.clear();
        }
        cache.entry(name.to_owned()).or_insert_with(|| convert(name)).clone()
    })
}

/// Replaces everything that is not an ASCII letter or digit by a word break, so heck sees words
/// and the result is always ASCII (non-ASCII letters are spelled as their code points).
fn ascii_words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:x} ", c as u32));
        } else {
            out.push(' ');
        }
    }
    out
}

/// Makes `ident` an identifier, bare: `empty` stands for nothing, `digit_prefix` goes before a
/// leading digit, and a keyword that cannot be raw gets `_` (one that can is left to the caller).
fn finish(mut ident: String, digit_prefix: &str, empty: &str) -> String {
    if ident.is_empty() {
        ident = empty.to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert_str(0, digit_prefix);
    }
    if UNRAWABLE.contains(&ident.as_str()) {
        ident.push('_');
    }
    ident
}

/// The names already taken in one scope (a module, a struct's fields, a group's methods).
#[derive(Debug, Default)]
pub struct Namespace<'r> {
    /// Names taken from the start, borrowed: most scopes are made for a few names, and reserve
    /// many more.
    reserved: &'r [&'r str],
    /// Names claimed, in lowercase.
    taken: BTreeSet<String>,
}

impl<'r> Namespace<'r> {
    /// A scope in which `reserved` names are already taken (e.g. a type's inherent methods).
    pub fn with_reserved(reserved: &'r [&'r str]) -> Self {
        Namespace { reserved, taken: BTreeSet::new() }
    }

    /// Takes `name` as it is, whether or not it was taken.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_ascii_lowercase());
    }

    /// Claims `ident`, or `ident_2`, `ident_3`, ... if it is taken (a numbered name is never
    /// raw). Comparison is of the bare name, ignoring ASCII case, so `r#type`/`type` and
    /// `name`/`NAME` clash. The underscore that made a keyword usable is dropped before numbering
    /// (`self_2`).
    pub fn claim(&mut self, ident: RustIdent) -> RustIdent {
        match self.number(&ident.bare) {
            Some(bare) => RustIdent { bare, raw: false },
            None => ident,
        }
    }

    /// [`claim`](Self::claim) for an UpperCamelCase name (a type or enum variant): `Zone`, then
    /// `ZONE2`.
    pub fn claim_camel(&mut self, name: String) -> String {
        self.number(&name).unwrap_or(name)
    }

    /// Takes `bare` and returns `None` if it is free; else takes and returns the first free
    /// numbered name (`name_2`, or `Name2` for camel case).
    fn number(&mut self, bare: &str) -> Option<String> {
        let camel = bare.starts_with(|c: char| c.is_ascii_uppercase());
        let stem = match bare.trim_end_matches('_') {
            "" => bare,
            stem => stem,
        };
        let mut candidate = bare.to_owned();
        let mut n = 1;
        while self.taken.contains(&candidate.to_ascii_lowercase()) || self.reserved.iter().any(|r| r.eq_ignore_ascii_case(&candidate)) {
            n += 1;
            candidate = if camel { format!("{stem}{n}") } else { format!("{stem}_{n}") };
        }
        self.taken.insert(candidate.to_ascii_lowercase());
        (n > 1).then_some(candidate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_table() {
        let table = [
            ("account_id", "account_id"),
            ("oauth-clients-rotate-secret", "oauth_clients_rotate_secret"),
            ("account-billing-profile-(-deprecated)-billing-profile-details", "account_billing_profile_deprecated_billing_profile_details"),
            ("camelCaseName", "camel_case_name"),
            ("@timestamp", "timestamp"),
            ("1st", "_1st"),
            ("", "value"),
            ("---", "value"),
            ("über", "ufc_ber"),
            ("ключ", "u43a_u43b_u44e_u447"),
            ("type", "r#type"),
            ("Type", "r#type"),
            ("self", "self_"),
            ("Self", "self_"),
            ("super", "super_"),
            ("crate", "crate_"),
            ("_", "value"),
            ("async", "r#async"),
            ("gen", "r#gen"),
            ("try", "r#try"),
        ];
        for (input, want) in table {
            assert_eq!(snake_ident(input).to_string(), want, "snake_ident({input:?})");
        }
    }

    #[test]
    fn every_keyword_is_made_usable() {
        for kw in RAW_KEYWORDS {
            let ident = snake_ident(kw);
            assert!(ident.is_raw() && ident.as_str() == *kw, "{kw}");
            assert!(syn::parse_str::<syn::Ident>(&ident.to_string()).is_ok(), "{kw}");
        }
        for kw in UNRAWABLE {
            let ident = snake_ident(kw).to_string();
            assert!(syn::parse_str::<syn::Ident>(&ident).is_ok(), "{kw} -> {ident}");
            let ident = camel_ident(kw);
            assert!(syn::parse_str::<syn::Ident>(&ident).is_ok(), "{kw} -> {ident}");
        }
    }

    #[test]
    fn method_names_drop_the_tag() {
        let table = [
            ("oauth-clients-rotate-secret", "OAuth Clients", "rotate_secret"),
            ("accounts-turnstile-widget-rotate-secret", "Turnstile", "widget_rotate_secret"),
            ("user-api-tokens-roll-token", "User API Tokens", "roll_token"),
            ("dns-records-for-a-zone-list-dns-records", "DNS Records for a Zone", "list_dns_records"),
            ("zone-level-access-applications-list", "Zone Level Access applications", "list"),
            // The tag is the whole id, or not near its start: keep the id.
            ("turnstile", "Turnstile", "turnstile"),
            ("list-all-widgets-of-turnstile", "Turnstile", "list_all_widgets_of_turnstile"),
            ("getPetById", "pet", "get_pet_by_id"),
            ("findPetsByStatus", "pet", "find_pets_by_status"),
            ("pet-update", "pet", "update"),
            ("self-delete", "self", "delete"),
            ("type-get-type", "Type", "get_type"),
            ("get-type", "Type", "get_type"),
            ("type-self", "Type", "self_"),
            ("anything", "", "anything"),
        ];
        for (id, tag, want) in table {
            assert_eq!(method_ident(id, tag).to_string(), want, "method_ident({id:?}, {tag:?})");
        }
    }

    #[test]
    fn camel_case_table() {
        let table = [
            ("iam_oauth_client_rotate_secret_response", "IamOauthClientRotateSecretResponse"),
            ("iam_api-response-common", "IamApiResponseCommon"),
            ("OAuth Clients", "OAuthClients"),
            ("1password", "T1password"),
            ("Self", "Self_"),
            ("self", "Self_"),
            ("", "Value"),
            ("active", "Active"),
            ("in-progress", "InProgress"),
            ("*", "Value"),
        ];
        for (input, want) in table {
            assert_eq!(camel_ident(input), want, "camel_ident({input:?})");
        }
    }

    #[test]
    fn namespace_resolves_collisions_in_order() {
        let claim = |ns: &mut Namespace, name: &str| ns.claim(snake_ident(name)).to_string();
        let mut ns = Namespace::default();
        assert_eq!(claim(&mut ns, "name"), "name");
        assert_eq!(claim(&mut ns, "name"), "name_2");
        assert_eq!(claim(&mut ns, "name"), "name_3");
        assert_eq!(claim(&mut ns, "type"), "r#type");
        assert_eq!(claim(&mut ns, "type"), "type_2");
        let mut types = Namespace::default();
        assert_eq!(types.claim_camel("Zone".into()), "Zone");
        assert_eq!(types.claim_camel("ZONE".into()), "ZONE2");
        let mut methods = Namespace::with_reserved(&["new"]);
        assert_eq!(claim(&mut methods, "new"), "new_2");
    }

    #[test]
    fn reserved_names_clash_whatever_their_case() {
        let mut types = Namespace::with_reserved(&["Option", "UnknownValue"]);
        assert_eq!(types.claim_camel("Option".into()), "Option2");
        assert_eq!(types.claim_camel("OPTION".into()), "OPTION3");
        assert_eq!(types.claim_camel("UnknownValue".into()), "UnknownValue2");
        let mut fields = Namespace::with_reserved(&["Self_"]);
        assert_eq!(fields.claim(snake_ident("self")).to_string(), "self_2");
    }

    #[test]
    fn keyword_underscore_is_dropped_before_numbering() {
        let mut fields = Namespace::default();
        assert_eq!(fields.claim(snake_ident("self")).to_string(), "self_");
        assert_eq!(fields.claim(snake_ident("Self")).to_string(), "self_2");
        let mut variants = Namespace::default();
        assert_eq!(variants.claim_camel(camel_ident("self")), "Self_");
        assert_eq!(variants.claim_camel(camel_ident("Self")), "Self2");
        assert_eq!(snake_words("type"), "type");
        assert_eq!(snake_words("---"), "");
    }

    #[test]
    fn a_keyword_is_raw_in_source_and_tokens_but_bare_in_text() {
        let ident = snake_ident("type");
        assert!(ident.is_raw());
        assert_eq!(ident.as_str(), "type");
        assert_eq!(ident.to_string(), "r#type");
        assert_eq!(ident.to_ident().to_string(), "r#type");
        let plain = snake_ident("name");
        assert!(!plain.is_raw());
        assert_eq!((plain.as_str(), plain.to_string()), ("name", "name".to_owned()));
        assert_eq!(plain.to_ident().to_string(), "name");
    }

    #[test]
    fn keywords_that_cannot_be_raw_are_plain_with_an_underscore() {
        for (kw, want) in [("self", "self_"), ("Self", "self_"), ("crate", "crate_"), ("super", "super_")] {
            let ident = snake_ident(kw);
            assert!(!ident.is_raw(), "{kw}");
            assert_eq!((ident.as_str(), ident.to_string()), (want, want.to_owned()));
            assert_eq!(ident.to_ident().to_string(), want);
        }
        assert_eq!(camel_ident("Self"), "Self_");
    }

    #[test]
    fn source_form_round_trips_and_orders() {
        for name in ["type", "name", "self_", "_1st"] {
            let ident = snake_ident(name);
            assert_eq!(RustIdent::from_source(&ident.to_string()), ident);
        }
        assert_eq!(snake_ident("type").with_suffix("_2").to_string(), "r#type_2");
        let mut sorted = [snake_ident("s"), snake_ident("type"), snake_ident("ra"), snake_ident("r")];
        sorted.sort();
        let sorted: Vec<String> = sorted.iter().map(RustIdent::to_string).collect();
        assert_eq!(sorted, ["r", "r#type", "ra", "s"]);
    }
}
