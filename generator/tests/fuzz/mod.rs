//! A property-test harness over spec input, shared by the quick test (`tests/fuzz_quick.rs`) and
//! the long-running mode (`examples/fuzz.rs`). See FUZZING.md at the repository root.
//!
//! Two input sources, called targets:
//! - `structured`: random OpenAPI 3.0 and 3.1 documents built as JSON trees from hostile name
//!   pools, with `$ref`s into anything, big numbers and the spec mistakes the generator survives;
//! - `mutate`: the repository's example specs with random byte and line mutations.
//!
//! Every case is a pure function of (target, seed, case number), so a failure is replayed
//! exactly with `--target T --seed S --case K`. Each case runs on a thread of its own with an
//! 8 MiB stack, named after the case: a panic is caught and recorded with its message; a stack
//! overflow cannot be caught (Rust aborts the process) but the abort message names the thread,
//! hence the case.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use openapi_clientgen::{Error, GeneratedCrate, Options, ir};
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------------

/// SplitMix64: small, fast, and good enough to drive a fuzzer; no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The generator for one case, independent of every other case.
    pub fn for_case(target: Target, seed: u64, case: u64) -> Self {
        let mut mix = Rng(seed ^ (target as u64).wrapping_mul(0xA076_1D64_78BD_642F));
        let base = mix.next_u64();
        Rng(base ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `1/n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// True with probability `percent`%.
    pub fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile pools
// ---------------------------------------------------------------------------------------------

/// Names that stress identifier making: keywords, the unrawable ones, digits first, punctuation,
/// empty and blank, non-ASCII (RTL, emoji, combining marks), names the generator itself uses,
/// and names that collide after case folding or after dropping punctuation.
const NAMES: &[&str] = &[
    "id", "name", "type", "Type", "TYPE", "self", "Self", "super", "crate", "_", "__", "r#x", "r#type",
    "async", "await", "gen", "try", "fn", "match", "loop", "dyn", "abstract", "union", "macro_rules",
    "1st", "123", "0", "9lives", "-", "--", "", " ", "\t", "a b", "a-b", "a.b", "a/b", "a~b", "~1", "~0",
    "{x}", "{", "}", "a{b", "%20", "$ref", "#", "@type", "x-sensitive", "null", "true", "false", "\"",
    "'", "\\", "\n", "a\r\nb", "\u{0}", "ключ", "über", "Über", "UBER", "مرحبا", "\u{202e}abc", "שלום",
    "😀", "🦀rust", "e\u{301}", "a\u{200d}b", "\u{feff}bom", "日本語", "Option", "Result", "String",
    "Vec", "Box", "Some", "None", "Ok", "Err", "UnknownValue", "unknown_value", "Default", "new",
    "builder", "request", "params", "body", "client", "fmt", "clone", "from_env", "base_url", "default",
    "types", "apis", "runtime", "Client", "Error", "Zone", "ZONE", "zone", "zone_2", "Zone2", "zone-2",
    "camelCase", "camel_case", "CAMEL_CASE", "camel-case", "x_", "self_", "Self_", "value", "Value",
    "T1st", "_1st", "success", "errors", "messages", "result", "Params", "Body", "Response", "Result2",
    "get", "post", "GetPets", "get-pets", "get_pets", "petsGet", "Item", "Value2", "account_id",
];

/// Free text for descriptions, titles, summaries, versions and URLs.
const TEXTS: &[&str] = &[
    "plain", "", " ", "*/ /* comment", "```rust\nfn main() { panic!() }\n```", "```\ncode\n```",
    "line\r\nwith CRLF", "bare\rcarriage", "tab\there", "\u{0}nul", "\u{2028}separator",
    "[link] and [`Type`] and [x](y)", "#[attr] #![inner]", "\"quoted\" 'single' \\ back",
    "  indented\n    more", "trailing\n\n\n", "r#\"raw\"#", "{braces} {{double}}", "ü 😀 \u{202e}rtl",
    "<b>html</b>", "# heading\n\n- list", "\\u{0}", "}", "/// doc", "//! inner doc",
];

const MEDIA_TYPES: &[&str] = &[
    "application/json", "application/json; charset=utf-8", "application/vnd.api+json", "application/problem+json",
    "APPLICATION/JSON", "application/octet-stream", "text/plain", "multipart/form-data", "*/*", "", " ",
    "weird", "ü/x", "application/json\u{7f}", "text/html\n", "application/x-www-form-urlencoded",
    "+json", ";", "application/json;",
];

const STATUSES: &[&str] =
    &["200", "201", "204", "2XX", "2xx", "4XX", "4xx", "404", "500", "5XX", "default", "1XX", "3XX", "302", "299"];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const TAGS: &[&str] = &[
    "Accounts", "accounts", "ACCOUNTS", "OAuth Clients", "oauth-clients", "type", "self", "Self", "new",
    "builder", "request", "default", "", "1st", "ключ", "😀", "Zone", "zone", "Option", "a/b", "fmt",
];

/// A name: from the pool, a random string, a very long name, or a pool name with a suffix.
fn name(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => random_string(rng, 12),
        1 => {
            let unit = rng.pick(NAMES).to_string();
            let n = rng.range(20, 200);
            let long = format!("{unit}x").repeat(n);
            long.chars().take(1000).collect()
        }
        2 => format!("{}{}", rng.pick(NAMES), rng.pick(NAMES)),
        3 => format!("{}_{}", rng.pick(NAMES), rng.below(4)),
        _ => rng.pick(NAMES).to_string(),
    }
}

fn random_string(rng: &mut Rng, max: usize) -> String {
    const CHARS: &[char] = &[
        'a', 'b', 'Z', '0', '9', '_', '-', ' ', '.', '/', '~', '{', '}', '$', '#', '\'', '"', '\\', '\n',
        '\t', 'ü', 'é', '\u{301}', '😀', 'ك', '\u{202e}', '\u{0}', 'ß', 'İ', 'ǅ', 'Ⅻ', '٣', '\u{ad}',
    ];
    let len = rng.below(max + 1);
    (0..len).map(|_| *rng.pick(CHARS)).collect()
}

fn text(rng: &mut Rng) -> String {
    if rng.one_in(5) { random_string(rng, 30) } else { rng.pick(TEXTS).to_string() }
}

// ---------------------------------------------------------------------------------------------
// Target 1: structured random specs
// ---------------------------------------------------------------------------------------------

/// Builds one random document.
struct SpecGen<'r> {
    rng: &'r mut Rng,
    /// Component schema names (decided first so `$ref`s can point at them, and cycles form).
    schemas: Vec<String>,
    parameters: Vec<String>,
    bodies: Vec<String>,
    responses: Vec<String>,
    schemes: Vec<String>,
    operation_ids: Vec<String>,
}

/// A random OpenAPI 3.0 or 3.1 document.
pub fn random_spec(rng: &mut Rng) -> Value {
    let names = |rng: &mut Rng, n: usize| (0..rng.below(n + 1)).map(|_| name(rng)).collect::<Vec<_>>();
    let schemas = names(rng, 8);
    let parameters = names(rng, 3);
    let bodies = names(rng, 2);
    let responses = names(rng, 2);
    let schemes = names(rng, 3);
    let mut g = SpecGen { rng, schemas, parameters, bodies, responses, schemes, operation_ids: Vec::new() };
    g.document()
}

impl SpecGen<'_> {
    fn document(&mut self) -> Value {
        let mut doc = Map::new();
        let version = match self.rng.below(20) {
            0..=3 => json!(*self.rng.pick(&["3.1.0", "3.1.1"])),
            4 => json!(*self.rng.pick(&["3.2.0", "3.10.0"])),
            5 => json!(3.0),
            6 => json!("3.0"),
            _ => json!(*self.rng.pick(&["3.0.0", "3.0.3", "3.0.4"])),
        };
        doc.insert("openapi".into(), version);
        let mut info = Map::new();
        info.insert("title".into(), json!(text(self.rng)));
        info.insert("version".into(), json!(text(self.rng)));
        if self.rng.one_in(2) {
            info.insert("description".into(), json!(text(self.rng)));
        }
        doc.insert("info".into(), Value::Object(info));
        if self.rng.one_in(2) {
            let url = *self.rng.pick(&["https://api.example.com/v4", "", "/relative", "http://x/{var}", "not a url", "https://ü.example/"]);
            doc.insert("servers".into(), json!([{ "url": url }]));
        }
        if self.rng.one_in(2) {
            let tags: Vec<Value> = (0..self.rng.below(4))
                .map(|_| json!({ "name": *self.rng.pick(TAGS), "description": text(self.rng) }))
                .collect();
            doc.insert("tags".into(), Value::Array(tags));
        }
        let mut paths = Map::new();
        for _ in 0..self.rng.below(6) {
            let (template, vars) = self.path_template();
            let item = self.path_item(&vars);
            paths.insert(template, item);
        }
        if self.rng.one_in(20) {
            paths.insert("x-extension".into(), json!({ "anything": 1 }));
        }
        if self.rng.one_in(30) {
            paths.insert("/ref".into(), json!({ "$ref": "#/paths/~1other" }));
        }
        if self.rng.one_in(6) {
            // Path items by reference (3.1 components.pathItems; any local pointer in 3.0).
            let target = *self.rng.pick(&["#/components/pathItems/Shared", "#/components/pathItems/Missing", "#/paths/~1ref", "#/paths/~1shared"]);
            paths.insert("/shared".into(), json!({ "$ref": target, "summary": text(self.rng) }));
        }
        if self.rng.one_in(10) {
            // A top-level container of schemas that OpenAPI does not know, reached by `$ref`s.
            let money = self.schema(2);
            doc.insert("x-defs".into(), json!({ "Money": money }));
        }
        if self.rng.one_in(8) {
            let vars: Vec<String> = Vec::new();
            let hook = self.path_item(&vars);
            doc.insert("webhooks".into(), json!({ name(self.rng): hook }));
        }
        if self.rng.one_in(10) {
            doc.insert("jsonSchemaDialect".into(), json!("https://spec.openapis.org/oas/3.1/dialect/base"));
        }
        if !self.rng.one_in(15) {
            doc.insert("paths".into(), Value::Object(paths));
        }
        if self.rng.percent(85) {
            let components = self.components();
            doc.insert("components".into(), components);
        }
        if self.rng.one_in(3) {
            let security = self.security();
            doc.insert("security".into(), security);
        }
        Value::Object(doc)
    }

    fn path_template(&mut self) -> (String, Vec<String>) {
        let mut template = String::new();
        let mut vars: Vec<String> = Vec::new();
        if !self.rng.one_in(20) {
            template.push('/');
        }
        for i in 0..self.rng.range(1, 4) {
            if i > 0 {
                template.push('/');
            }
            match self.rng.below(6) {
                0 | 1 => {
                    let var = if !vars.is_empty() && self.rng.one_in(4) { self.rng.pick(&vars).clone() } else { name(self.rng) };
                    template.push('{');
                    template.push_str(&var);
                    if !self.rng.one_in(25) {
                        template.push('}');
                    }
                    vars.push(var);
                }
                2 => template.push_str(&format!("{}{{{}}}", name(self.rng), name(self.rng))),
                _ => template.push_str(&name(self.rng)),
            }
        }
        (template, vars)
    }

    fn path_item(&mut self, vars: &[String]) -> Value {
        let mut item = Map::new();
        if self.rng.one_in(3) {
            let params: Vec<Value> = (0..self.rng.below(3)).map(|_| self.parameter(vars)).collect();
            item.insert("parameters".into(), Value::Array(params));
        }
        for _ in 0..self.rng.range(1, 3) {
            let method = *self.rng.pick(METHODS);
            let op = self.operation(vars);
            item.insert(method.into(), op);
        }
        Value::Object(item)
    }

    fn operation(&mut self, vars: &[String]) -> Value {
        let mut op = Map::new();
        match self.rng.below(10) {
            0 => {}
            1 if !self.operation_ids.is_empty() => {
                let id = self.rng.pick(&self.operation_ids).clone();
                op.insert("operationId".into(), json!(id));
            }
            _ => {
                let id = if self.rng.one_in(2) { format!("{}-{}", self.rng.pick(TAGS), name(self.rng)) } else { name(self.rng) };
                self.operation_ids.push(id.clone());
                op.insert("operationId".into(), json!(id));
            }
        }
        if !self.rng.one_in(4) {
            let tags: Vec<Value> = (0..self.rng.range(1, 2)).map(|_| json!(*self.rng.pick(TAGS))).collect();
            op.insert("tags".into(), Value::Array(tags));
        }
        for key in ["summary", "description"] {
            if self.rng.one_in(2) {
                op.insert(key.into(), json!(text(self.rng)));
            }
        }
        if self.rng.one_in(8) {
            op.insert("deprecated".into(), json!(true));
        }
        let mut params: Vec<Value> = Vec::new();
        for var in vars {
            if !self.rng.one_in(10) {
                params.push(self.path_parameter(var));
            }
        }
        for _ in 0..self.rng.below(4) {
            params.push(self.parameter(vars));
        }
        if !params.is_empty() || self.rng.one_in(2) {
            op.insert("parameters".into(), Value::Array(params));
        }
        if self.rng.one_in(2) {
            let body = self.request_body();
            op.insert("requestBody".into(), body);
        }
        if !self.rng.one_in(30) {
            let responses = self.responses();
            op.insert("responses".into(), responses);
        }
        if self.rng.one_in(4) {
            let security = self.security();
            op.insert("security".into(), security);
        }
        Value::Object(op)
    }

    fn path_parameter(&mut self, var: &str) -> Value {
        let mut p = json!({ "name": var, "in": "path", "required": !self.rng.one_in(10) });
        p["schema"] = self.schema(2);
        p
    }

    fn parameter(&mut self, vars: &[String]) -> Value {
        if !self.parameters.is_empty() && self.rng.one_in(4) {
            let target = self.rng.pick(&self.parameters).clone();
            return json!({ "$ref": format!("#/components/parameters/{target}") });
        }
        if self.rng.one_in(30) {
            return json!({ "$ref": *self.rng.pick(&["#/components/parameters/Missing", "other.yaml#/x", "#/components/schemas/x"]) });
        }
        if self.rng.one_in(20) {
            // Another kind of component, or a parameter of some operation.
            let target = *self.rng.pick(&["#/components/requestBodies/", "#/components/responses/", "#/components/headers/"]);
            let name = if self.bodies.is_empty() { name(self.rng) } else { self.rng.pick(&self.bodies).clone() };
            let any_operation = "#/paths/~1shared/get/parameters/0".to_owned();
            return json!({ "$ref": if self.rng.one_in(2) { format!("{target}{name}") } else { any_operation } });
        }
        let location = *self.rng.pick(&["query", "query", "header", "header", "path", "cookie", "body", "QUERY"]);
        let param_name = if location == "path" && !vars.is_empty() && self.rng.one_in(2) {
            self.rng.pick(vars).clone()
        } else {
            name(self.rng)
        };
        let mut p = Map::new();
        p.insert("name".into(), json!(param_name));
        p.insert("in".into(), json!(location));
        if self.rng.one_in(2) {
            p.insert("required".into(), json!(self.rng.one_in(2)));
        }
        if self.rng.one_in(3) {
            p.insert("description".into(), json!(text(self.rng)));
        }
        if self.rng.one_in(10) {
            let media = *self.rng.pick(MEDIA_TYPES);
            let schema = self.schema(2);
            p.insert("content".into(), json!({ media: { "schema": schema } }));
        } else {
            let schema = self.schema(3);
            p.insert("schema".into(), schema);
        }
        Value::Object(p)
    }

    fn content(&mut self, max: usize) -> Value {
        let mut content = Map::new();
        for _ in 0..self.rng.below(max + 1) {
            let media = *self.rng.pick(MEDIA_TYPES);
            let mut m = Map::new();
            if !self.rng.one_in(5) {
                let schema = if self.rng.one_in(3) { self.envelope() } else { self.schema(4) };
                m.insert("schema".into(), schema);
            }
            content.insert(media.into(), Value::Object(m));
        }
        Value::Object(content)
    }

    fn request_body(&mut self) -> Value {
        if !self.bodies.is_empty() && self.rng.one_in(4) {
            let target = self.rng.pick(&self.bodies).clone();
            return json!({ "$ref": format!("#/components/requestBodies/{target}") });
        }
        if self.rng.one_in(30) {
            return json!({ "$ref": "#/components/requestBodies/Missing" });
        }
        if !self.responses.is_empty() && self.rng.one_in(15) {
            // A response used as a request body: the same shape.
            let target = self.rng.pick(&self.responses).clone();
            return json!({ "$ref": format!("#/components/responses/{target}") });
        }
        let content = self.content(2);
        let mut body = json!({ "content": content });
        if self.rng.one_in(2) {
            body["required"] = json!(self.rng.one_in(2));
        }
        if self.rng.one_in(3) {
            body["description"] = json!(text(self.rng));
        }
        body
    }

    fn response(&mut self) -> Value {
        if !self.responses.is_empty() && self.rng.one_in(4) {
            let target = self.rng.pick(&self.responses).clone();
            return json!({ "$ref": format!("#/components/responses/{target}") });
        }
        if self.rng.one_in(30) {
            return json!({ "$ref": "#/components/responses/Missing" });
        }
        if !self.bodies.is_empty() && self.rng.one_in(15) {
            // A request body used as a response: the mistake seen in public descriptions.
            let target = self.rng.pick(&self.bodies).clone();
            return json!({ "$ref": format!("#/components/requestBodies/{target}") });
        }
        let mut r = json!({ "description": text(self.rng) });
        if !self.rng.one_in(4) {
            r["content"] = self.content(2);
        }
        r
    }

    fn responses(&mut self) -> Value {
        let mut responses = Map::new();
        for _ in 0..self.rng.below(4) {
            let status = *self.rng.pick(STATUSES);
            let response = self.response();
            responses.insert(status.into(), response);
        }
        Value::Object(responses)
    }

    /// A Cloudflare-style envelope, inline or as `allOf` of a common part and a result.
    fn envelope(&mut self) -> Value {
        let result = self.schema(3);
        let common = json!({
            "type": "object",
            "required": ["success", "errors", "messages"],
            "properties": {
                "success": { "type": "boolean" },
                "errors": { "type": "array", "items": {} },
                "messages": { "type": "array", "items": { "type": "string" } },
            }
        });
        match self.rng.below(4) {
            0 => json!({ "allOf": [common, { "properties": { "result": result } }] }),
            1 => common,
            2 => json!({ "allOf": [common, { "type": "object", "properties": { "result": result, "result_info": {} }, "required": ["result"] }] }),
            _ => {
                let mut inline = common;
                inline["properties"]["result"] = result;
                if self.rng.one_in(2) {
                    // A 3.1 boolean schema has no keywords to add.
                    if let Some(result) = inline["properties"]["result"].as_object_mut() {
                        result.insert("nullable".into(), json!(true));
                    }
                }
                inline
            }
        }
    }

    fn schema_ref(&mut self) -> Value {
        match self.rng.below(12) {
            0 => json!({ "$ref": "#/components/schemas/DoesNotExist" }),
            1 => json!({ "$ref": *self.rng.pick(&["other.yaml#/components/schemas/X", "#/definitions/X", "#", "#/components/schemas/", "#/components/schemas/a~1b", "#/components/parameters/X", "http://example.com/s.json", "#anchor", "#/components/schemas/%7E", "#/paths"]) }),
            2 | 3 => self.inner_ref(),
            _ if !self.schemas.is_empty() => {
                let target = self.rng.pick(&self.schemas).clone();
                json!({ "$ref": format!("#/components/schemas/{target}") })
            }
            _ => json!({ "$ref": "#/components/schemas/Empty" }),
        }
    }

    /// A `$ref` to a JSON pointer inside something: a member, a property, a parameter's schema,
    /// a response's content, a top-level extension, or another kind of component.
    fn inner_ref(&mut self) -> Value {
        let pick = |rng: &mut Rng, names: &[String]| if names.is_empty() { name(rng) } else { rng.pick(names).clone() };
        let schema = pick(self.rng, &self.schemas);
        let parameter = pick(self.rng, &self.parameters);
        let response = pick(self.rng, &self.responses);
        let body = pick(self.rng, &self.bodies);
        let escape = |n: &str| n.replace('~', "~0").replace('/', "~1");
        let pointer = match self.rng.below(12) {
            0 => format!("#/components/schemas/{}/properties/child", escape(&schema)),
            1 => format!("#/components/schemas/{}/properties/{}", escape(&schema), escape(&name(self.rng))),
            2 => format!("#/components/schemas/{}/allOf/{}", escape(&schema), self.rng.below(2)),
            3 => format!("#/components/schemas/{}/items", escape(&schema)),
            4 => format!("#/components/schemas/{}/$defs/part", escape(&schema)),
            5 => format!("#/components/parameters/{}/schema", escape(&parameter)),
            6 => format!("#/components/responses/{}/content/application~1json/schema", escape(&response)),
            7 => format!("#/components/requestBodies/{}/content/application~1json/schema", escape(&body)),
            8 => "#/x-defs/Money".to_owned(),
            9 => format!("#/components/parameters/{}", escape(&parameter)),
            10 => format!("#/components/schemas/{}/properties/child/properties/child", escape(&schema)),
            _ => format!("#/components/schemas/{}", schema.replace('%', "%25").replace(' ', "%20")),
        };
        json!({ "$ref": pointer })
    }

    /// Rewrites `schema` with the keywords of OpenAPI 3.1 (and big numbers), as 3.1 documents,
    /// and 3.0 documents written with 3.1 habits, have them.
    fn modern(&mut self, mut schema: Value) -> Value {
        let Value::Object(map) = &mut schema else {
            return schema;
        };
        match self.rng.below(12) {
            0 => {
                if let Some(t) = map.get("type").cloned() {
                    map.insert("type".into(), json!([t, "null"]));
                }
            }
            1 => {
                let types: Vec<Value> = (0..self.rng.range(0, 3)).map(|_| json!(*self.rng.pick(&["string", "integer", "array", "object", "null", "boolean"]))).collect();
                map.insert("type".into(), Value::Array(types));
            }
            2 => {
                map.insert("const".into(), self.enum_values().get(0).cloned().unwrap_or(Value::Null));
            }
            3 => {
                map.insert("examples".into(), self.enum_values());
            }
            4 => {
                map.insert(self.rng.pick(&["exclusiveMinimum", "exclusiveMaximum"]).to_string(), json!(self.rng.below(10)));
            }
            5 => {
                let reference = self.schema_ref();
                map.insert("$ref".into(), reference["$ref"].clone());
            }
            6 => return json!(self.rng.one_in(2)),
            7 => {
                let member = self.schema_ref();
                map.insert(self.rng.pick(&["anyOf", "oneOf"]).to_string(), json!([member, { "type": "null" }]));
            }
            8 => {
                let key = *self.rng.pick(&["minimum", "maximum", "maxLength", "minItems", "multipleOf"]);
                const NUMBERS: &[&str] = &["-9223372036854776000", "18446744073709551616", "1e300", "10.0", "-1", "0.5", "99999999999999999999999"];
                let text: &&str = self.rng.pick(NUMBERS);
                let number: Value = serde_json::from_str(text).unwrap_or(Value::Null);
                map.insert(key.into(), number);
            }
            9 => {
                let part = self.schema(1);
                map.insert("$defs".into(), json!({ "part": part }));
            }
            _ => {}
        }
        schema
    }

    fn enum_values(&mut self) -> Value {
        let mut values: Vec<Value> = Vec::new();
        for _ in 0..self.rng.range(0, 5) {
            values.push(match self.rng.below(10) {
                0 => Value::Null,
                1 => json!(self.rng.below(10)),
                2 => json!([[]]),
                3 if !values.is_empty() => values[0].clone(),
                4 => json!(true),
                _ => json!(name(self.rng)),
            });
        }
        Value::Array(values)
    }

    /// A random schema; `depth` bounds the ordinary nesting (a rare deep chain goes further).
    fn schema(&mut self, depth: usize) -> Value {
        if self.rng.one_in(200) {
            return self.deep_chain();
        }
        let choice = if depth == 0 { self.rng.below(8) } else { self.rng.below(20) };
        let mut s = match choice {
            0 => json!({ "type": "string" }),
            1 => json!({ "type": *self.rng.pick(&["integer", "number", "boolean"]) }),
            2 => self.schema_ref(),
            3 => json!({ "type": "string", "enum": self.enum_values() }),
            4 => json!({ "enum": self.enum_values() }),
            5 => json!({ "nullable": true }),
            6 => json!({}),
            7 => {
                let mut s = json!({ "type": "string" });
                s["minLength"] = json!(self.rng.below(5));
                if self.rng.one_in(2) {
                    s["maxLength"] = json!(self.rng.below(500));
                }
                if self.rng.one_in(2) {
                    s["format"] = json!(*self.rng.pick(&["date-time", "uuid", "binary", "weird"]));
                }
                s
            }
            8..=11 => self.object(depth),
            12 | 13 => {
                let mut s = json!({ "type": "array" });
                if !self.rng.one_in(6) {
                    s["items"] = self.schema(depth - 1);
                }
                s
            }
            14 | 15 => {
                let members: Vec<Value> = (0..self.rng.range(1, 3)).map(|_| self.schema(depth - 1)).collect();
                let mut s = json!({ "allOf": members });
                if self.rng.one_in(3) {
                    s["properties"] = json!({ name(self.rng): self.schema(depth - 1) });
                }
                s
            }
            16 => {
                let key = *self.rng.pick(&["oneOf", "anyOf"]);
                let members: Vec<Value> = (0..self.rng.range(1, 3)).map(|_| self.schema(depth - 1)).collect();
                json!({ key: members })
            }
            17 => json!({ "not": self.schema(depth - 1) }),
            18 => {
                let additional = if self.rng.one_in(3) { json!(self.rng.one_in(2)) } else { self.schema(depth - 1) };
                json!({ "type": "object", "additionalProperties": additional })
            }
            _ => {
                // A type with mismatched keywords, as real specs have.
                json!({ "type": *self.rng.pick(&["string", "object", "array", "integer"]), "items": self.schema(depth - 1), "properties": { name(self.rng): self.schema(depth - 1) } })
            }
        };
        if self.rng.one_in(6) {
            s = self.modern(s);
        }
        if let Value::Object(map) = &mut s {
            if !map.contains_key("$ref") || self.rng.one_in(10) {
                if self.rng.one_in(5) {
                    map.insert("nullable".into(), json!(true));
                }
                if self.rng.one_in(8) {
                    map.insert("x-sensitive".into(), json!(!self.rng.one_in(4)));
                }
                if self.rng.one_in(4) {
                    map.insert("description".into(), json!(text(self.rng)));
                }
                if self.rng.one_in(6) {
                    map.insert("title".into(), json!(text(self.rng)));
                }
            }
        }
        s
    }

    fn object(&mut self, depth: usize) -> Value {
        let mut properties = Map::new();
        let mut names = Vec::new();
        for _ in 0..self.rng.below(6) {
            let n = name(self.rng);
            names.push(n.clone());
            let schema = self.schema(depth - 1);
            properties.insert(n, schema);
        }
        let mut s = json!({ "type": "object", "properties": properties });
        if self.rng.one_in(5) {
            s.as_object_mut().unwrap().remove("type");
        }
        let mut required: Vec<Value> = names.iter().filter(|_| self.rng.one_in(2)).map(|n| json!(n)).collect();
        if self.rng.one_in(6) {
            required.push(json!(name(self.rng)));
        }
        if !required.is_empty() {
            s["required"] = Value::Array(required);
        }
        if self.rng.one_in(6) {
            s["additionalProperties"] = if self.rng.one_in(2) { json!(true) } else { self.schema(depth - 1) };
        }
        s
    }

    /// A long chain of nested arrays, objects or `allOf`s: around the lowering's depth limit (64)
    /// and sometimes past what the parsers accept (128).
    fn deep_chain(&mut self) -> Value {
        let depth = self.rng.range(40, 140);
        let kind = self.rng.below(4);
        let mut s = json!({ "type": "string" });
        for i in 0..depth {
            s = match kind {
                0 => json!({ "type": "array", "items": s }),
                1 => json!({ "type": "object", "properties": { format!("p{i}"): s } }),
                2 => json!({ "allOf": [s] }),
                _ => json!({ "type": "object", "additionalProperties": s }),
            };
        }
        s
    }

    fn components(&mut self) -> Value {
        let mut components = Map::new();
        let mut schemas = Map::new();
        for name in self.schemas.clone() {
            let schema = match self.rng.below(12) {
                // Self-recursive through a property, an array, or an allOf.
                0 => json!({ "type": "object", "properties": { "child": { "$ref": format!("#/components/schemas/{name}") }, "children": { "type": "array", "items": { "$ref": format!("#/components/schemas/{name}") } } } }),
                1 => json!({ "allOf": [{ "$ref": format!("#/components/schemas/{name}") }] }),
                2 => self.schema_ref(),
                3 => self.envelope(),
                _ => self.schema(4),
            };
            schemas.insert(name, schema);
        }
        components.insert("schemas".into(), Value::Object(schemas));
        let mut parameters = Map::new();
        for name in self.parameters.clone() {
            let p = if self.rng.one_in(8) { json!({ "$ref": "#/components/parameters/Other" }) } else { self.parameter(&[]) };
            parameters.insert(name, p);
        }
        components.insert("parameters".into(), Value::Object(parameters));
        let mut bodies = Map::new();
        for name in self.bodies.clone() {
            let b = self.request_body();
            bodies.insert(name, b);
        }
        components.insert("requestBodies".into(), Value::Object(bodies));
        let mut responses = Map::new();
        for name in self.responses.clone() {
            let r = self.response();
            responses.insert(name, r);
        }
        components.insert("responses".into(), Value::Object(responses));
        let mut schemes = Map::new();
        for name in self.schemes.clone() {
            let scheme = match self.rng.below(8) {
                0 => json!({ "type": "http", "scheme": "bearer" }),
                1 => json!({ "type": "http", "scheme": "Bearer" }),
                2 => json!({ "type": "http", "scheme": "basic" }),
                3 => json!({ "type": "apiKey", "in": "header", "name": *self.rng.pick(&["X-Auth-Email", "X-Auth-Key", "X-Auth-User-Service-Key", "x-other"]) }),
                4 => json!({ "type": "apiKey", "in": "query", "name": "key" }),
                5 => json!({ "type": "oauth2", "flows": {} }),
                6 => json!({ "type": "openIdConnect", "openIdConnectUrl": "https://x" }),
                _ => json!({ "type": "mystery" }),
            };
            schemes.insert(name, scheme);
        }
        components.insert("securitySchemes".into(), Value::Object(schemes));
        if self.rng.one_in(4) {
            let vars = vec![name(self.rng)];
            let shared = self.path_item(&vars);
            components.insert("pathItems".into(), json!({ "Shared": shared }));
        }
        Value::Object(components)
    }

    fn security(&mut self) -> Value {
        let mut requirements = Vec::new();
        for _ in 0..self.rng.below(3) {
            let mut requirement = Map::new();
            for _ in 0..self.rng.below(3) {
                let scheme = if !self.schemes.is_empty() && !self.rng.one_in(6) { self.rng.pick(&self.schemes).clone() } else { name(self.rng) };
                requirement.insert(scheme, json!([]));
            }
            requirements.push(Value::Object(requirement));
        }
        Value::Array(requirements)
    }
}

/// Replaces a few random nodes of `doc` by values of the wrong type (a string where a mapping
/// belongs, ...), to exercise the error locator.
fn confuse(rng: &mut Rng, doc: &mut Value) {
    fn nodes(value: &Value, pointer: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let p = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                    out.push(p.clone());
                    nodes(v, p, out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    let p = format!("{pointer}/{i}");
                    out.push(p.clone());
                    nodes(v, p, out);
                }
            }
            _ => {}
        }
    }
    let mut all = Vec::new();
    nodes(doc, String::new(), &mut all);
    if all.is_empty() {
        return;
    }
    for _ in 0..rng.range(1, 3) {
        let at = rng.pick(&all).clone();
        let replacement = match rng.below(7) {
            0 => Value::Null,
            1 => json!(7),
            2 => json!("text"),
            3 => json!([]),
            4 => json!({}),
            5 => json!(true),
            _ => json!([{ "x": 1 }]),
        };
        if let Some(slot) = doc.pointer_mut(&at) {
            *slot = replacement;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Target 2: mutated example specs
// ---------------------------------------------------------------------------------------------

/// The seed corpus: the repository's example specs, embedded so the harness reads no files.
pub const CORPUS: &[(&str, &str)] = &[
    ("composition.yaml", include_str!("../../../tests/fixtures/composition.yaml")),
    ("errors.yaml", include_str!("../../../tests/fixtures/errors.yaml")),
    ("naming.yaml", include_str!("../../../tests/fixtures/naming.yaml")),
    ("parameters.yaml", include_str!("../../../tests/fixtures/parameters.yaml")),
    ("inner_refs.yaml", include_str!("../../../tests/fixtures/inner_refs.yaml")),
    ("big_numbers.yaml", include_str!("../../../tests/fixtures/big_numbers.yaml")),
    ("spec_mistakes.yaml", include_str!("../../../tests/fixtures/spec_mistakes.yaml")),
    ("openapi_3_1.yaml", include_str!("../../../tests/fixtures/openapi_3_1.yaml")),
    ("rotate_secret.reference.yaml", include_str!("../fixtures/rotate_secret.reference.yaml")),
];

/// Tokens worth splicing into YAML: structure, anchors, tags, quotes, and hostile names.
const YAML_TOKENS: &[&str] = &[
    ":", ": ", "- ", "{", "}", "[", "]", ",", "#", "&a ", "*a", "!!str ", "!!binary ", "! ", "|", ">", "'", "\"",
    "~", "null", "true", "0x10", "1e999", "-.inf", ".nan", "\n", "\n  ", "\t", "  ", "? ", "<<: *a", "---\n", "...\n",
    "$ref: '#/components/schemas/X'", "$ref: '#/components/schemas/'", "nullable: true", "type: object", "type: array",
    "allOf: []", "enum: [[]]", "enum: [null]", "items: {}", "x-sensitive: true", "required: [x]", "{x}", "/{id}",
    "operationId: dup", "tags: [self]", "in: cookie", "in: path", "default:", "2XX:", "4xx:",
];

/// A mutated corpus entry: (file name to report, text).
pub fn mutated_spec(rng: &mut Rng) -> (String, String) {
    let (name, original) = *rng.pick(CORPUS);
    let mut bytes = original.as_bytes().to_vec();
    for _ in 0..rng.range(1, 8) {
        mutate(rng, &mut bytes);
    }
    (name.to_owned(), String::from_utf8_lossy(&bytes).into_owned())
}

fn line_bounds(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            lines.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < bytes.len() {
        lines.push((start, bytes.len()));
    }
    lines
}

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    if bytes.is_empty() {
        bytes.extend_from_slice(rng.pick(YAML_TOKENS).as_bytes());
        return;
    }
    let at = rng.below(bytes.len());
    let lines = line_bounds(bytes);
    match rng.below(12) {
        0 => bytes[at] ^= 1 << rng.below(8),
        1 => bytes[at] = *rng.pick(b"{}[]:-#&*!|>'\"\n \t0a_~/$%"),
        2 => {
            let token = rng.pick(YAML_TOKENS).as_bytes().to_vec();
            bytes.splice(at..at, token);
        }
        3 => {
            let token = name(rng).into_bytes();
            bytes.splice(at..at, token);
        }
        4 => {
            let end = (at + rng.range(1, 40)).min(bytes.len());
            bytes.drain(at..end);
        }
        5 | 6 => {
            // Duplicate a line (YAML duplicate keys, repeated list items).
            let (s, e) = *rng.pick(&lines);
            let line = bytes[s..e].to_vec();
            bytes.splice(s..s, line);
        }
        7 => {
            let (s, e) = *rng.pick(&lines);
            bytes.drain(s..e);
        }
        8 => {
            // Duplicate a block of lines somewhere else.
            let first = rng.below(lines.len());
            let last = (first + rng.range(1, 12)).min(lines.len() - 1);
            let block = bytes[lines[first].0..lines[last].1].to_vec();
            let (to, _) = *rng.pick(&lines);
            bytes.splice(to..to, block);
        }
        9 => {
            // Re-indent a line.
            let (s, _) = *rng.pick(&lines);
            if rng.one_in(2) {
                let indent = *rng.pick(&["  ", " ", "    "]);
                bytes.splice(s..s, indent.bytes());
            } else if bytes.get(s) == Some(&b' ') {
                bytes.remove(s);
            }
        }
        10 => {
            // Replace a word (the bytes up to the next space, colon or newline) with a hostile name.
            let end = bytes[at..].iter().position(|b| b" :\n,]}".contains(b)).map_or(bytes.len(), |e| at + e);
            let word = name(rng).into_bytes();
            bytes.splice(at..end, word);
        }
        _ => {
            // Swap two lines.
            let a = *rng.pick(&lines);
            let b = *rng.pick(&lines);
            if a.0 < b.0 && a.1 <= b.0 {
                let line_b = bytes[b.0..b.1].to_vec();
                let line_a = bytes[a.0..a.1].to_vec();
                bytes.splice(b.0..b.1, line_a);
                bytes.splice(a.0..a.1, line_b);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cases and properties
// ---------------------------------------------------------------------------------------------

/// Which input source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Structured = 1,
    Mutate = 2,
}

impl Target {
    pub fn parse(text: &str) -> Option<Target> {
        match text {
            "structured" => Some(Target::Structured),
            "mutate" => Some(Target::Mutate),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Target::Structured => "structured",
            Target::Mutate => "mutate",
        }
    }
}

/// One input: the spec text and the path it is given as.
#[derive(Clone, Debug)]
pub struct Input {
    pub path: PathBuf,
    pub text: String,
}

/// The input of case `case` of `target` under `seed`.
pub fn input(target: Target, seed: u64, case: u64) -> Input {
    let mut rng = Rng::for_case(target, seed, case);
    match target {
        Target::Structured => {
            let mut doc = random_spec(&mut rng);
            if rng.one_in(6) {
                confuse(&mut rng, &mut doc);
            }
            let (path, text) = match rng.below(4) {
                0 => ("fuzz.json", serde_json::to_string(&doc).unwrap()),
                // JSON is YAML: this goes through the YAML loader.
                1 => ("fuzz.yaml", serde_json::to_string_pretty(&doc).unwrap()),
                2 => ("fuzz.yml", serde_json::to_string(&doc).unwrap()),
                _ => ("fuzz.json", serde_json::to_string_pretty(&doc).unwrap()),
            };
            Input { path: PathBuf::from(path), text }
        }
        Target::Mutate => {
            let (_, text) = mutated_spec(&mut rng);
            let path = match rng.below(10) {
                0 => "fuzz.json",
                1 => "fuzz",
                _ => "fuzz.yaml",
            };
            Input { path: PathBuf::from(path), text }
        }
    }
}

/// How one case ended.
#[derive(Debug)]
pub enum Outcome {
    /// The pipeline generated a crate and every property held.
    Generated(GeneratedCrate),
    /// The pipeline refused the spec with a well-formed error.
    Refused,
    /// A panic (message and location) or a broken property.
    Failed(String),
    /// The case did not finish in time; its thread is still running, so the run should end.
    Hung(String),
}

/// Runs the pipeline on `input` and checks the properties. Panics are the caller's to catch.
pub fn check(input: &Input) -> Result<Option<GeneratedCrate>, String> {
    let options = Options::default();
    let result = openapi_clientgen::generate_from_str(&input.text, &input.path, &options);
    let file_name = input.path.display().to_string();
    match result {
        Ok(krate) => {
            // Deterministic: the same input gives the same bytes.
            let again = openapi_clientgen::generate_from_str(&input.text, &input.path, &options)
                .map_err(|e| format!("second run failed where the first succeeded: {e}"))?;
            if again != krate {
                return Err("two runs on the same input gave different files".into());
            }
            check_identifiers(input)?;
            // Every note names a place in the document as written.
            if let Ok(raw) = openapi_clientgen::load::parse_tree(&input.text, &input.path) {
                for entry in &krate.report.entries {
                    resolves(&raw, entry.pointer.as_str(), &entry.line(&file_name))?;
                }
            }
            for (path, text) in &krate.files {
                if path.extension().is_some_and(|e| e == "toml") && text.chars().any(|c| c.is_control() && c != '\n') {
                    return Err(format!("{} has a raw control character (invalid TOML)", path.display()));
                }
                if path.extension().is_some_and(|e| e == "rs") {
                    check_source(path, text)?;
                }
            }
            Ok(Some(krate))
        }
        Err(error) => {
            let message = error.to_string();
            match &error {
                Error::Syntax { file, .. } => {
                    if *file != input.path || !message.starts_with(&file_name) {
                        return Err(format!("syntax error does not name the file: {message}"));
                    }
                }
                Error::Spec { file, pointer, .. } => {
                    if *file != input.path || !message.starts_with(&file_name) {
                        return Err(format!("spec error does not name the file: {message}"));
                    }
                    // A `Pointer` is well-formed by its type; it must also lead into the document.
                    check_pointer_resolves(input, pointer.as_str(), &message)?;
                }
                Error::Render { .. } => return Err(format!("emitted tokens do not parse: {message}")),
                other => return Err(format!("unexpected kind of error: {other}")),
            }
            Ok(None)
        }
    }
}

/// A spec error's pointer must lead into the document: to the offending node, or (for a missing
/// field) to the node that lacks it.
fn check_pointer_resolves(input: &Input, pointer: &str, message: &str) -> Result<(), String> {
    // Pointers lead into the document as written, not into the tree loading rewrites it into.
    match openapi_clientgen::load::parse_tree(&input.text, &input.path) {
        Ok(raw) => resolves(&raw, pointer, message),
        Err(_) => Ok(()),
    }
}

fn resolves(raw: &Value, pointer: &str, message: &str) -> Result<(), String> {
    if raw.pointer(pointer).is_some() {
        return Ok(());
    }
    let parent = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
    if raw.pointer(parent).is_some() {
        return Ok(());
    }
    Err(format!("pointer {pointer:?} leads nowhere in the document: {message}"))
}

/// Every name the IR decided is a valid Rust identifier (raw allowed), and unique in its scope.
fn check_identifiers(input: &Input) -> Result<(), String> {
    let loaded = openapi_clientgen::load::parse(&input.text, &input.path).map_err(|e| format!("load failed on a second look: {e}"))?;
    let api = openapi_clientgen::lower::lower(&loaded).map_err(|e| format!("lower failed on a second look: {e:?}"))?;
    let ident = |what: &str, name: &str| -> Result<(), String> {
        match syn::parse_str::<syn::Ident>(name) {
            Ok(_) if name.is_ascii() => Ok(()),
            Ok(_) => Err(format!("{what} `{name}` is not ASCII")),
            Err(e) => Err(format!("{what} `{name}` is not a Rust identifier: {e}")),
        }
    };
    /// Names in one scope, compared as the generator compares them (bare, any case).
    fn unique<'n>(what: &str, names: impl IntoIterator<Item = &'n str>) -> Result<(), String> {
        let mut seen = BTreeSet::new();
        for name in names {
            let key = name.to_ascii_lowercase();
            if !seen.insert(key) {
                return Err(format!("{what} `{name}` is not unique in its scope"));
            }
        }
        Ok(())
    }
    unique("module", api.areas.iter().map(|a| a.module.as_str()))?;
    let check_operations = |operations: &[ir::Operation], children: Vec<&str>| -> Result<(), String> {
        unique("method", operations.iter().map(|o| o.method_name.as_str()).chain(children))?;
        for op in operations {
            ident("method", &op.method_name.to_string())?;
            ident("builder", &op.builder_name)?;
            let mut locals: Vec<&str> = Vec::new();
            for p in op.path_params.iter().chain(&op.params) {
                ident("parameter", &p.rust_name.to_string())?;
                locals.push(p.rust_name.as_str());
            }
            unique("parameter", locals.iter().copied().chain(["options", "body", "request", "client", "send"]))?;
        }
        Ok(())
    };
    for area in &api.areas {
        ident("module", &area.module.to_string())?;
        ident("area struct", &area.struct_name)?;
        // A namespace's methods and the accessors of the resources nested in it share a scope.
        check_operations(&area.operations, area.children(&[]).map(|r| r.name().as_str()).collect())?;
        for resource in &area.resources {
            for segment in &resource.module {
                ident("module", &segment.to_string())?;
            }
            ident("resource struct", &resource.struct_name)?;
            check_operations(&resource.operations, area.children(&resource.module).map(|r| r.name().as_str()).collect())?;
        }
    }
    // Type names are unique per module, and never taken by a request builder of that module.
    let builders = api.areas.iter().flat_map(|a| {
        let own = a.operations.iter().map(move |o| format!("{}::{}", a.module, o.builder_name));
        let nested = a.resources.iter().flat_map(move |r| r.operations.iter().map(move |o| format!("{}::{}", r.module_path(&a.module), o.builder_name)));
        own.chain(nested)
    });
    let paths: Vec<String> = api.types.iter().map(|t| t.path()).chain(builders).collect();
    unique("type", paths.iter().map(String::as_str))?;
    for ty in api.types.iter() {
        ident("type", &ty.name)?;
        match &ty.kind {
            ir::TypeKind::Struct(fields) => {
                for f in fields {
                    ident("field", &f.rust_name.to_string())?;
                }
                unique("field", fields.iter().map(|f| f.rust_name.as_str()))?;
            }
            ir::TypeKind::Enum(variants) => {
                for v in variants {
                    ident("variant", &v.rust_name)?;
                }
                unique("variant", variants.iter().map(|v| v.rust_name.as_str()).chain(["UnknownValue"]))?;
            }
            ir::TypeKind::Union(union) => {
                for v in &union.variants {
                    ident("variant", &v.rust_name)?;
                }
                unique("variant", union.variants.iter().map(|v| v.rust_name.as_str()).chain(["UnknownValue"]))?;
            }
            // Its target is one of these types, checked on its own.
            ir::TypeKind::Alias(_) => {}
        }
    }
    Ok(())
}

/// A generated file parses with syn, and every identifier token in it is ASCII.
fn check_source(path: &Path, text: &str) -> Result<(), String> {
    syn::parse_file(text).map_err(|e| format!("{} does not parse: {e}", path.display()))?;
    // rustc refuses these in comments (`text_direction_codepoint_in_comment`, deny by default).
    if let Some(c) = text.chars().find(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')) {
        return Err(format!("{} contains the bidirectional control U+{:04X}", path.display(), c as u32));
    }
    let tokens: proc_macro2::TokenStream = text.parse().map_err(|e| format!("{} does not lex: {e:?}", path.display()))?;
    fn walk(tokens: proc_macro2::TokenStream, path: &Path) -> Result<(), String> {
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Ident(ident) => {
                    let text = ident.to_string();
                    if !text.is_ascii() {
                        return Err(format!("{} has a non-ASCII identifier `{text}`", path.display()));
                    }
                }
                proc_macro2::TokenTree::Group(group) => walk(group.stream(), path)?,
                _ => {}
            }
        }
        Ok(())
    }
    walk(tokens, path)
}

// ---------------------------------------------------------------------------------------------
// Running cases: panics caught, stack bounded
// ---------------------------------------------------------------------------------------------

/// The stack each case runs on.
pub const STACK: usize = 8 << 20;

/// A case that takes longer than this is reported as a hang (a case normally takes milliseconds).
pub const CASE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);
static HOOK: OnceLock<()> = OnceLock::new();

/// Installs a panic hook that records the message and location of a panic on a fuzz thread
/// silently, and leaves every other thread's panics to the previous hook.
pub fn install_panic_hook() {
    HOOK.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let on_fuzz_thread = std::thread::current().name().is_some_and(|n| n.starts_with("fuzz "));
            if on_fuzz_thread {
                let payload = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "<non-string panic payload>".to_owned());
                let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!("panic: {payload}{location}"));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs one case on its own thread (named `fuzz <target> seed=<S> case=<K>`, the name a stack
/// overflow's abort message shows).
pub fn run_case(target: Target, seed: u64, case: u64) -> (Input, Outcome) {
    install_panic_hook();
    let input = input(target, seed, case);
    let thread_input = input.clone();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name(format!("fuzz {} seed={seed} case={case}", target.name()))
        .stack_size(STACK)
        .spawn(move || {
            let result = std::panic::catch_unwind(|| check(&thread_input));
            let _ = send.send(result);
        })
        .expect("spawning a fuzz thread");
    let outcome = match receive.recv_timeout(CASE_TIMEOUT) {
        Ok(Ok(Ok(Some(krate)))) => Outcome::Generated(krate),
        Ok(Ok(Ok(None))) => Outcome::Refused,
        Ok(Ok(Err(property))) => Outcome::Failed(format!("property: {property}")),
        Ok(Err(_)) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            let message = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
            Outcome::Failed(message.unwrap_or_else(|| "panic (no message recorded)".to_owned()))
        }
        // The thread is left running (a thread cannot be stopped); the caller should stop.
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            Outcome::Hung(format!("hang: the case did not finish within {CASE_TIMEOUT:?}"))
        }
    };
    (input, outcome)
}

/// Counts of one run.
#[derive(Debug, Default)]
pub struct Tally {
    pub cases: u64,
    pub generated: u64,
    pub refused: u64,
    /// (case number, message), first failures only.
    pub failures: Vec<(u64, String)>,
    /// Distinct failure messages (with line numbers, so one bug counts once).
    pub distinct: BTreeMap<String, u64>,
}

impl Tally {
    pub fn record(&mut self, case: u64, outcome: &Outcome) -> bool {
        self.cases += 1;
        match outcome {
            Outcome::Generated(_) => self.generated += 1,
            Outcome::Refused => self.refused += 1,
            Outcome::Failed(message) | Outcome::Hung(message) => {
                let key: String = message.chars().take(160).collect();
                let first = !self.distinct.contains_key(&key);
                *self.distinct.entry(key).or_default() += 1;
                if first {
                    self.failures.push((case, message.clone()));
                }
                return first;
            }
        }
        false
    }
}
