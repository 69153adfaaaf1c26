//! Every Rust identifier the generator emits is decided here, once.
//!
//! Spec names are arbitrary strings (`oauth-clients-rotate-secret`, `@type`, `1st`, `ключ`, ``);
//! Rust identifiers are not. The functions below turn the former into the latter: heck for case,
//! ASCII-only output, a prefix for a leading digit, raw identifiers for keywords, and a suffix for
//! the few keywords that cannot be raw. [`Namespace`] then makes names unique within a scope, in
//! the order they are asked for, so the same spec always gives the same names.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

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

/// A snake_case identifier for a field, parameter, method or module (`r#type`, `self_`).
pub fn snake_ident(name: &str) -> String {
    finish(snake_words(name), "_", "value")
}

/// The snake_case words of `name`, not yet made an identifier (`type` stays `type`, `---` is
/// empty). For matching one name against the start of another, never for emitting.
pub fn snake_words(name: &str) -> String {
    ascii_words(name).to_snake_case()
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
pub fn method_ident(operation_id: &str, tag: &str) -> String {
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

/// An UpperCamelCase identifier for a type or enum variant (`OauthClient`, `Self_`, `T1st`).
pub fn camel_ident(name: &str) -> String {
    finish(ascii_words(name).to_upper_camel_case(), "T", "Value")
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

fn finish(mut ident: String, digit_prefix: &str, empty: &str) -> String {
    if ident.is_empty() {
        ident = empty.to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert_str(0, digit_prefix);
    }
    if UNRAWABLE.contains(&ident.as_str()) {
        ident.push('_');
    } else if RAW_KEYWORDS.contains(&ident.as_str()) {
        ident.insert_str(0, "r#");
    }
    ident
}

/// The names already taken in one scope (a module, a struct's fields, a group's methods).
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A scope in which `reserved` names are already taken (e.g. a type's inherent methods).
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace { taken: reserved.iter().map(|s| s.to_ascii_lowercase()).collect() }
    }

    /// Claims `ident`, or `ident_2`, `ident_3`, ... (`Ident2` for camel case) if it is taken.
    /// Comparison ignores a leading `r#` and ASCII case, so `r#type`/`type` and `Foo`/`FOO` clash.
    /// The underscore that made a keyword usable is dropped before numbering (`self_2`).
    pub fn claim(&mut self, ident: String) -> String {
        let bare = ident.strip_prefix("r#").unwrap_or(&ident).to_owned();
        let camel = bare.starts_with(|c: char| c.is_ascii_uppercase());
        let stem = match bare.trim_end_matches('_') {
            "" => bare.as_str(),
            stem => stem,
        };
        let mut candidate = bare.clone();
        let mut n = 1;
        while self.taken.contains(&candidate.to_ascii_lowercase()) {
            n += 1;
            candidate = if camel { format!("{stem}{n}") } else { format!("{stem}_{n}") };
        }
        self.taken.insert(candidate.to_ascii_lowercase());
        if n == 1 { ident } else { candidate }
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
            assert_eq!(snake_ident(input), want, "snake_ident({input:?})");
        }
    }

    #[test]
    fn every_keyword_is_made_usable() {
        for kw in RAW_KEYWORDS {
            assert_eq!(snake_ident(kw), format!("r#{kw}"));
            assert!(syn::parse_str::<syn::Ident>(&snake_ident(kw)).is_ok(), "{kw}");
        }
        for kw in UNRAWABLE {
            let ident = snake_ident(kw);
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
            assert_eq!(method_ident(id, tag), want, "method_ident({id:?}, {tag:?})");
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
        let mut ns = Namespace::default();
        assert_eq!(ns.claim("name".into()), "name");
        assert_eq!(ns.claim("name".into()), "name_2");
        assert_eq!(ns.claim("name".into()), "name_3");
        assert_eq!(ns.claim("r#type".into()), "r#type");
        assert_eq!(ns.claim("r#type".into()), "type_2");
        let mut types = Namespace::default();
        assert_eq!(types.claim("Zone".into()), "Zone");
        assert_eq!(types.claim("ZONE".into()), "ZONE2");
        let mut methods = Namespace::with_reserved(&["new"]);
        assert_eq!(methods.claim("new".into()), "new_2");
    }

    #[test]
    fn reserved_names_clash_whatever_their_case() {
        let mut types = Namespace::with_reserved(&["Option", "UnknownValue"]);
        assert_eq!(types.claim("Option".into()), "Option2");
        assert_eq!(types.claim("OPTION".into()), "OPTION3");
        assert_eq!(types.claim("UnknownValue".into()), "UnknownValue2");
        let mut fields = Namespace::with_reserved(&["Self"]);
        assert_eq!(fields.claim("self".into()), "self_2");
    }

    #[test]
    fn keyword_underscore_is_dropped_before_numbering() {
        let mut fields = Namespace::default();
        assert_eq!(fields.claim(snake_ident("self")), "self_");
        assert_eq!(fields.claim(snake_ident("Self")), "self_2");
        let mut variants = Namespace::default();
        assert_eq!(variants.claim(camel_ident("self")), "Self_");
        assert_eq!(variants.claim(camel_ident("Self")), "Self2");
        assert_eq!(snake_words("type"), "type");
        assert_eq!(snake_words("---"), "");
    }
}
