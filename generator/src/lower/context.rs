//! What a type is, in words, from where its schema sits in the document.
//!
//! A schema the spec does not describe still has a place: the `result` of an operation's
//! response, an item of a component's list property. That place, said as a sentence, is the
//! type's doc (its JSON pointer follows on a line of its own). It depends on the pointer alone,
//! so it is the same however the spec was walked.

use std::collections::HashMap;

use crate::pointer::Pointer;

/// The operations of the document, by pointer (`/paths/~1zones/get`), as docs name them.
#[derive(Default)]
pub struct Describer<'a> {
    /// `List DNS Records (`GET /zones/{zone_id}/dns_records`)`, by operation pointer.
    operations: HashMap<Pointer, String>,
    /// The document as written, for the names of parameters given by index.
    raw: Option<&'a serde_json::Value>,
}

/// One step from a schema into a part of it.
enum Step {
    Property(String),
    Item,
    Value,
    Member(String),
}

impl<'a> Describer<'a> {
    pub fn new(raw: &'a serde_json::Value) -> Self {
        Describer { operations: HashMap::new(), raw: Some(raw) }
    }

    /// Says how docs name the operation at `pointer`: its summary and its method and path.
    pub fn add_operation(&mut self, pointer: &Pointer, method: &str, path: &str, summary: Option<&str>) {
        let call = format!("`{} {path}`", method.to_ascii_uppercase());
        let label = match summary.map(str::trim).filter(|s| !s.is_empty() && !s.contains('\n')) {
            Some(summary) => format!("{} ({call})", summary.trim_end_matches('.')),
            None => call,
        };
        self.operations.insert(pointer.clone(), label);
    }

    /// The sentence that says what the schema at `pointer` is.
    pub fn describe(&self, pointer: &Pointer) -> String {
        let tokens: Vec<String> = pointer.tokens().map(String::from).collect();
        let (root, rest) = self.root(pointer, &tokens);
        let steps = steps(rest);
        let mut phrase = steps
            .iter()
            .rev()
            .map(|step| match step {
                Step::Property(name) => format!("`{}`", name.replace('`', "'")),
                Step::Item => "an item".to_owned(),
                Step::Value => "a value".to_owned(),
                Step::Member(title) => title.clone(),
            })
            .collect::<Vec<_>>()
            .join(" of ");
        phrase = match (phrase.is_empty(), matches!(steps.first(), Some(Step::Property(_)))) {
            (true, _) => root,
            (false, true) => format!("{phrase} in {root}"),
            (false, false) => format!("{phrase} of {root}"),
        };
        let mut chars = phrase.chars();
        let sentence = match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
            None => phrase,
        };
        format!("{sentence}.")
    }

    /// What the first tokens of the pointer name (an operation's body, response or parameter,
    /// or a component), and the tokens left inside it.
    fn root<'t>(&self, pointer: &Pointer, tokens: &'t [String]) -> (String, &'t [String]) {
        let text: Vec<&str> = tokens.iter().map(String::as_str).collect();
        match text.as_slice() {
            ["paths", _, _, part, ..] => {
                let operation = pointer.prefix(3);
                let label = self.operations.get(&operation).cloned().unwrap_or_else(|| format!("`{} {}`", tokens[2].to_ascii_uppercase(), tokens[1]));
                match *part {
                    "requestBody" => (format!("the request body of {label}"), skip_media(&tokens[4..])),
                    "responses" if tokens.len() > 4 => (format!("the response of {label}"), skip_media(&tokens[5..])),
                    "parameters" if tokens.len() > 4 => {
                        let at = operation.join(["parameters", tokens[4].as_str(), "name"]);
                        let name = self.raw.and_then(|raw| at.find(raw)).and_then(|n| n.as_str());
                        let root = match name {
                            Some(name) => format!("the `{}` parameter of {label}", name.replace('`', "'")),
                            None => format!("a parameter of {label}"),
                        };
                        (root, tokens.get(5..).map_or(&[][..], |t| skip_schema(t)))
                    }
                    _ => (label, &tokens[3..]),
                }
            }
            ["components", "schemas", name, ..] => (format!("the `{name}` schema"), &tokens[3..]),
            ["components", "requestBodies", name, ..] => (format!("the `{name}` request body"), skip_media(&tokens[3..])),
            ["components", "responses", name, ..] => (format!("the `{name}` response"), skip_media(&tokens[3..])),
            ["components", "parameters", name, ..] => (format!("the `{name}` parameter"), skip_schema(&tokens[3..])),
            _ => (format!("the schema at `{pointer}`"), &[]),
        }
    }
}

/// `content/<media>/schema/...` -> `...`.
fn skip_media(tokens: &[String]) -> &[String] {
    match tokens {
        [content, _, rest @ ..] if content == "content" => skip_schema(rest),
        other => skip_schema(other),
    }
}

fn skip_schema(tokens: &[String]) -> &[String] {
    match tokens {
        [schema, rest @ ..] if schema == "schema" => rest,
        other => other,
    }
}

/// The steps into a schema, outermost first; `allOf` members add none (they are merged).
fn steps(tokens: &[String]) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i].as_str() {
            "properties" if i + 1 < tokens.len() => {
                steps.push(Step::Property(tokens[i + 1].clone()));
                i += 1;
            }
            "items" => steps.push(Step::Item),
            "additionalProperties" => steps.push(Step::Value),
            "allOf" => i += 1,
            "oneOf" | "anyOf" if i + 1 < tokens.len() => {
                steps.push(Step::Member("a variant".to_owned()));
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::Describer;
    use crate::pointer::Pointer;

    fn parsed(text: &str) -> Pointer {
        Pointer::parse(text).unwrap()
    }

    #[test]
    fn a_type_is_described_by_its_operation_and_property() {
        let raw = serde_json::json!({"paths": {"/zones/{id}/records": {"get": {"parameters": [{"name": "match", "in": "query"}]}}}});
        let mut describer = Describer::new(&raw);
        describer.add_operation(&parsed("/paths/~1zones~1{id}~1records/get"), "get", "/zones/{id}/records", Some("List Records"));
        let op = "/paths/~1zones~1{id}~1records/get";
        assert_eq!(
            describer.describe(&parsed(&format!("{op}/responses/200/content/application~1json/schema/allOf/1/properties/result/items/properties/meta"))),
            "`meta` of an item of `result` in the response of List Records (`GET /zones/{id}/records`)."
        );
        assert_eq!(describer.describe(&parsed(&format!("{op}/responses/200/content/application~1json/schema"))), "The response of List Records (`GET /zones/{id}/records`).");
        assert_eq!(describer.describe(&parsed(&format!("{op}/parameters/0/schema"))), "The `match` parameter of List Records (`GET /zones/{id}/records`).");
        assert_eq!(describer.describe(&parsed("/paths/~1x/post/requestBody/content/application~1json/schema/items")), "An item of the request body of `POST /x`.");
    }

    #[test]
    fn a_type_inside_a_component_is_described_by_the_component() {
        let describer = Describer::default();
        assert_eq!(describer.describe(&parsed("/components/schemas/dns_ttl")), "The `dns_ttl` schema.");
        assert_eq!(describer.describe(&parsed("/components/schemas/a/properties/tags/additionalProperties")), "A value of `tags` in the `a` schema.");
        assert_eq!(describer.describe(&parsed("/components/schemas/a/oneOf/1/properties/b")), "`b` of a variant of the `a` schema.");
        assert_eq!(describer.describe(&parsed("/nowhere")), "The schema at `/nowhere`.");
    }
}
