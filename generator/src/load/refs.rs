//! Local `$ref`s that name something other than a component of the expected section: a JSON
//! pointer into another schema (`#/components/schemas/Tag/allOf/0`), into a parameter or a
//! response (`#/components/parameters/limit/schema`), into `paths`, or a component of another
//! section (a response `$ref` naming a request body).
//!
//! `openapiv3` keeps only the components by name, so these targets are read from the raw tree at
//! load time, once each, into a [`RefIndex`] keyed by the target's canonical pointer (the pointer
//! where it is written). The lowering looks a `$ref` up there when it is not
//! `#/components/<section>/<name>`; a schema reached so is lowered once, at that pointer, whoever
//! reaches it, and named by [`name_for_pointer`].

use std::borrow::Cow;
use std::collections::HashMap;

use openapiv3::{Parameter, ReferenceOr, RequestBody, Response, Schema};
use serde_json::Value;

use crate::error::SpecError;
use crate::pointer::Pointer;
use crate::load::shape::{Shape, children};
use crate::report::{Reason, Report};

/// What is written at a pointer, judging by where it is (the OpenAPI object it is a part of).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Schema,
    Parameter,
    RequestBody,
    Response,
    Header,
    PathItem,
    Operation,
    MediaType,
    /// Not inside any OpenAPI object the generator knows (`#/x-definitions/Foo`, an example).
    Other,
}

impl Kind {
    /// "a schema", "a request body", ... for messages.
    pub fn article_name(self) -> &'static str {
        match self {
            Kind::Schema => "a schema",
            Kind::Parameter => "a parameter",
            Kind::RequestBody => "a request body",
            Kind::Response => "a response",
            Kind::Header => "a header",
            Kind::PathItem => "a path item",
            Kind::Operation => "an operation",
            Kind::MediaType => "a media type",
            Kind::Other => "something else",
        }
    }

    /// The `components` section that holds this kind by name.
    pub fn section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Header => "headers",
            Kind::PathItem => "pathItems",
            _ => return None,
        })
    }
}


/// A target read from the raw tree, or why it cannot be used (said where the lowering follows it).
pub type Target<T> = Result<ReferenceOr<T>, String>;

/// The targets of the document's local `$ref`s that `openapiv3` does not hold by name.
#[derive(Debug, Default)]
pub struct RefIndex {
    pub schemas: HashMap<Pointer, Target<Schema>>,
    pub parameters: HashMap<Pointer, Target<Parameter>>,
    pub request_bodies: HashMap<Pointer, Target<RequestBody>>,
    pub responses: HashMap<Pointer, Target<Response>>,
    /// The type-name hint of every schema in `schemas` (see [`name_for_pointer`]).
    pub schema_names: HashMap<Pointer, String>,
}

/// The kinds of object the lowering follows `$ref`s to, and where [`RefIndex`] keeps each.
pub trait Referable: Sized + serde::de::DeserializeOwned {
    const KIND: Kind;
    fn targets(index: &RefIndex) -> &HashMap<Pointer, Target<Self>>;
    fn targets_mut(index: &mut RefIndex) -> &mut HashMap<Pointer, Target<Self>>;
}

macro_rules! referable {
    ($ty:ty, $kind:ident, $field:ident) => {
        impl Referable for $ty {
            const KIND: Kind = Kind::$kind;
            fn targets(index: &RefIndex) -> &HashMap<Pointer, Target<Self>> {
                &index.$field
            }
            fn targets_mut(index: &mut RefIndex) -> &mut HashMap<Pointer, Target<Self>> {
                &mut index.$field
            }
        }
    };
}
referable!(Schema, Schema, schemas);
referable!(Parameter, Parameter, parameters);
referable!(RequestBody, RequestBody, request_bodies);
referable!(Response, Response, responses);

/// What the object at `pointer` is, from the OpenAPI structure around it.
pub fn kind_at(pointer: &Pointer) -> Kind {
    let tokens: Vec<Cow<'_, str>> = pointer.tokens().collect();
    let token = |i: usize| tokens.get(i).map(Cow::as_ref);
    match (token(0), token(1)) {
        (Some("components"), Some(section)) if tokens.len() >= 3 => {
            let kind = match section {
                "schemas" => Kind::Schema,
                "parameters" => Kind::Parameter,
                "requestBodies" => Kind::RequestBody,
                "responses" => Kind::Response,
                "headers" => Kind::Header,
                "pathItems" => Kind::PathItem,
                _ => return Kind::Other,
            };
            within(kind, &tokens[3..])
        }
        (Some("paths" | "webhooks"), Some(_)) => within(Kind::PathItem, &tokens[2..]),
        _ => Kind::Other,
    }
}

use crate::openapi::HTTP_METHODS as METHODS;

/// The kind of the object at `rest` below an object of kind `kind`.
fn within(kind: Kind, rest: &[Cow<'_, str>]) -> Kind {
    let Some((first, after)) = rest.split_first() else {
        return kind;
    };
    // Below a map or a list: skip the entry's name or index.
    let entry = |of: Kind| if after.is_empty() { Kind::Other } else { within(of, &after[1..]) };
    match (kind, first.as_ref()) {
        (Kind::PathItem, "parameters") | (Kind::Operation, "parameters") => entry(Kind::Parameter),
        (Kind::PathItem, method) if METHODS.contains(&method) => within(Kind::Operation, after),
        (Kind::Operation, "requestBody") => within(Kind::RequestBody, after),
        (Kind::Operation, "responses") => entry(Kind::Response),
        (Kind::Operation, "callbacks") if !after.is_empty() => entry_of_entry(after),
        (Kind::Parameter | Kind::Header | Kind::MediaType, "schema") => within(Kind::Schema, after),
        (Kind::Parameter | Kind::Header | Kind::RequestBody | Kind::Response, "content") => entry(Kind::MediaType),
        (Kind::Response, "headers") => entry(Kind::Header),
        (
            Kind::Schema,
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" | "allOf" | "anyOf"
            | "oneOf" | "prefixItems",
        ) => entry(Kind::Schema),
        (
            Kind::Schema,
            "items" | "additionalProperties" | "not" | "if" | "then" | "else" | "contains" | "propertyNames"
            | "unevaluatedProperties" | "unevaluatedItems" | "additionalItems" | "contentSchema",
        ) => within(Kind::Schema, after),
        _ => Kind::Other,
    }
}

/// `callbacks/<name>/<expression>/...`: a path item two levels down.
fn entry_of_entry(after: &[Cow<'_, str>]) -> Kind {
    match after {
        [_name, _expression, rest @ ..] => within(Kind::PathItem, rest),
        _ => Kind::Other,
    }
}

/// The type-name hint of a schema reached by a `$ref` to `pointer`, from the pointer alone:
/// the component's (or path's) name, then one word per step that says something, in order.
///
/// - `components/<section>/<name>` starts with `<name>`; `paths/<path>/<method>` with both;
///   anything else drops its first token (a container such as `definitions`);
/// - `properties/<p>`, `$defs/<d>`, `headers/<h>`: `<p>`, `<d>`, `<h>`;
/// - `schema`, and `content/<media type>`: nothing;
/// - `items`: `Item`; `additionalProperties`: `Value` (as the lowering names inline ones);
/// - `allOf/<i>`, `anyOf/<i>`, `oneOf/<i>`: `AllOf<i>`...; `parameters/<i>`: `Parameter<i>`;
///   `responses/<code>`: `Response<code>`; `requestBody`: `Body`;
/// - any other token is a word as written.
///
/// `#/components/schemas/Tag/allOf/0` -> `TagAllOf0`; `#/components/parameters/limit/schema` ->
/// `Limit`; `#/components/schemas/Pet/properties/owner` -> `PetOwner`.
pub fn name_for_pointer(pointer: &Pointer) -> String {
    let tokens: Vec<Cow<'_, str>> = pointer.tokens().collect();
    let rest: &[Cow<'_, str>] = match tokens.as_slice() {
        [c, _section, rest @ ..] if c == "components" => rest,
        [p, rest @ ..] if p == "paths" || p == "webhooks" => rest,
        [_container, rest @ ..] if !rest.is_empty() => rest,
        rest => rest,
    };
    let mut words = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let token = rest[i].as_ref();
        let next = rest.get(i + 1).map(Cow::as_ref);
        let (word, used) = match (token, next) {
            ("properties" | "$defs" | "definitions" | "headers" | "patternProperties", Some(name)) => (name.to_owned(), 2),
            ("content", Some(_)) => (String::new(), 2),
            ("schema", _) => (String::new(), 1),
            ("items", _) => ("Item".to_owned(), 1),
            ("additionalProperties", _) => ("Value".to_owned(), 1),
            ("allOf", Some(n)) => (format!("AllOf{n}"), 2),
            ("anyOf", Some(n)) => (format!("AnyOf{n}"), 2),
            ("oneOf", Some(n)) => (format!("OneOf{n}"), 2),
            ("parameters", Some(n)) => (format!("Parameter{n}"), 2),
            ("responses", Some(code)) => (format!("Response{code}"), 2),
            ("requestBody", _) => ("Body".to_owned(), 1),
            (other, _) => (other.to_owned(), 1),
        };
        if !word.is_empty() {
            words.push(word);
        }
        i += used;
    }
    let name = crate::naming::camel_ident(&words.join(" "));
    if name == "Value" && words.is_empty() { "Schema".to_owned() } else { name }
}

/// Reads every local `$ref` target that is not a component of its own section, starting from the
/// `$ref`s under `paths` and `components` and following into what they reach. Targets of the
/// right kind, and of another kind with the right shape (then with a warning in `report` at the
/// `$ref`), are deserialized; others are kept as the error the lowering gives if it follows them.
pub fn index(raw: &Value, report: &mut Report) -> RefIndex {
    let mut index = RefIndex::default();
    let mut pending: Vec<(Shape, &Value, Pointer)> = vec![(Shape::Document, raw, Pointer::root())];
    // A target inside the document is also reached by the walk itself: search it once, so a
    // mistake in it is reported once. A node is known by its address in `raw`.
    let mut searched: std::collections::HashSet<*const Value> = std::collections::HashSet::new();
    while let Some((shape, value, pointer)) = pending.pop() {
        if !searched.insert(std::ptr::from_ref(value)) {
            continue;
        }
        let reference = value.get("$ref").and_then(Value::as_str).filter(|_| shape != Shape::Document);
        let Some(reference) = reference else {
            pending.extend(children(shape, value, &pointer).into_iter().rev());
            continue;
        };
        let followed = match shape {
            Shape::Schema => follow::<Schema>(&mut index, raw, reference, &pointer, report),
            Shape::Parameter => follow::<Parameter>(&mut index, raw, reference, &pointer, report),
            Shape::RequestBody => follow::<RequestBody>(&mut index, raw, reference, &pointer, report),
            Shape::Response => follow::<Response>(&mut index, raw, reference, &pointer, report),
            _ => None,
        };
        if let Some((target, target_pointer)) = followed {
            pending.push((shape, target, target_pointer));
        }
    }
    index
}

/// Records the target of `reference` (a `$ref` at `at` where a `T` belongs) unless it is a
/// component of `T`'s own section or already recorded; returns it to be searched in turn.
fn follow<'v, T: Referable>(
    index: &mut RefIndex,
    raw: &'v Value,
    reference: &str,
    at: &Pointer,
    report: &mut Report,
) -> Option<(&'v Value, Pointer)> {
    let pointer = Pointer::from_ref(reference).ok()?;
    if T::KIND.section().is_some_and(|section| pointer.component_name(section).is_some()) {
        return None;
    }
    // A dangling `$ref` is left for the lowering to report, where it is followed.
    let target = pointer.find(raw)?;
    let kind = kind_at(&pointer);
    let wrong_kind = kind != T::KIND && kind != Kind::Other;
    let is_new = !T::targets(index).contains_key(&pointer);
    let accepted = match (T::KIND, kind) {
        (_, _) if !wrong_kind => true,
        // A request body and a response are both `content` (plus a description): the one is
        // used as the other without guessing.
        (Kind::Response, Kind::RequestBody) | (Kind::RequestBody, Kind::Response) => true,
        _ => false,
    };
    let read = if !accepted {
        Err(format!("$ref `{reference}` points to {}, not {}", kind.article_name(), T::KIND.article_name()))
    } else {
        // Schemas anywhere a `$ref` points were rewritten into 3.0 shapes with the rest.
        serde_json::from_value::<ReferenceOr<T>>(target.clone()).map_err(|e| {
            format!("$ref `{reference}` points to something that is not {}: {e}", T::KIND.article_name())
        })
    };
    if wrong_kind && read.is_ok() {
        let detail = format!("`{reference}` is {}, used as {}", kind.article_name(), T::KIND.article_name());
        report.push(Reason::WrongKindRef, at, Some(detail));
    }
    if !is_new {
        return None;
    }
    let search = read.is_ok();
    if T::KIND == Kind::Schema && matches!(read, Ok(ReferenceOr::Item(_))) {
        index.schema_names.insert(pointer.clone(), name_for_pointer(&pointer));
    }
    T::targets_mut(index).insert(pointer.clone(), read);
    search.then_some((target, pointer))
}

/// Follows a `$ref` to a `T` through `components` (by name) and the [`RefIndex`], through
/// chains of `$ref`s: the item, the pointer where it is written, and its component name if any.
pub fn resolve<'a, T: Referable>(
    reference: &str,
    components: Option<&'a indexmap::IndexMap<String, ReferenceOr<T>>>,
    index: &'a RefIndex,
    at: &Pointer,
) -> Result<(&'a T, Pointer, Option<&'a str>), SpecError> {
    const MAX_HOPS: usize = 64;
    let section = T::KIND.section().unwrap_or_default();
    let mut current = reference.to_owned();
    for _ in 0..=MAX_HOPS {
        let pointer = Pointer::from_ref(&current).map_err(|e| SpecError::unsupported(at, e.to_string()))?;
        let by_name = pointer
            .component_name(section)
            .and_then(|name| components?.get_key_value(name.as_ref()))
            .map(|(name, item)| (item, Some(name.as_str())));
        let found = match by_name {
            Some(found) => found,
            None => match T::targets(index).get(&pointer) {
                Some(Ok(item)) => (item, None),
                Some(Err(message)) => return Err(SpecError::invalid(at, message.clone())),
                None => {
                    let what = T::KIND.article_name().trim_start_matches("an ").trim_start_matches("a ");
                    return Err(SpecError::invalid(at, format!("$ref `{reference}` points to no {what}")));
                }
            },
        };
        match found {
            (ReferenceOr::Item(item), name) => return Ok((item, pointer, name)),
            (ReferenceOr::Reference { reference: next }, _) => current = next.clone(),
        }
    }
    Err(SpecError::invalid(at, format!("$ref `{reference}` is a cycle of references")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Pointer {
        Pointer::parse(text).unwrap()
    }

    #[test]
    fn names_depend_on_the_pointer_only() {
        for (pointer, name) in [
            ("/components/schemas/Tag/allOf/0", "TagAllOf0"),
            ("/components/schemas/Pet/properties/owner", "PetOwner"),
            ("/components/schemas/Pet/properties/tags/items", "PetTagsItem"),
            ("/components/schemas/Labels/additionalProperties", "LabelsValue"),
            ("/components/schemas/Shape/oneOf/1/properties/kind", "ShapeOneOf1Kind"),
            ("/components/parameters/limit/schema", "Limit"),
            ("/components/responses/Error/content/application~1json/schema", "Error"),
            ("/components/requestBodies/NewPet/content/application~1json/schema/properties/name", "NewPetName"),
            ("/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema", "PetsIdGetResponse200"),
            ("/paths/~1pets/post/requestBody/content/application~1json/schema", "PetsPostBody"),
            ("/paths/~1pets/get/parameters/0/schema", "PetsGetParameter0"),
            ("/components/schemas/Doc/$defs/Part", "DocPart"),
            ("/definitions/Legacy", "Legacy"),
            ("/x-shared/common/Money", "CommonMoney"),
            ("/components/schemas/a~1b", "AB"),
        ] {
            assert_eq!(name_for_pointer(&parsed(pointer)), name, "{pointer}");
        }
    }

    #[test]
    fn kinds_follow_the_openapi_structure() {
        for (pointer, kind) in [
            ("/components/schemas/Tag", Kind::Schema),
            ("/components/schemas/Tag/allOf/0/properties/a/items", Kind::Schema),
            ("/components/parameters/limit", Kind::Parameter),
            ("/components/parameters/limit/schema", Kind::Schema),
            ("/components/requestBodies/B", Kind::RequestBody),
            ("/components/responses/R/content/application~1json/schema", Kind::Schema),
            ("/components/responses/R/content/application~1json", Kind::MediaType),
            ("/components/responses/R/headers/X-Rate", Kind::Header),
            ("/paths/~1pets/get/parameters/0", Kind::Parameter),
            ("/paths/~1pets/parameters/0/schema", Kind::Schema),
            ("/paths/~1pets/get/responses/200", Kind::Response),
            ("/paths/~1pets/post/requestBody", Kind::RequestBody),
            ("/paths/~1pets", Kind::PathItem),
            ("/paths/~1pets/get", Kind::Operation),
            ("/paths/~1pets/get/callbacks/done/{$url}/post/requestBody", Kind::RequestBody),
            ("/components/schemas/Tag/example/a", Kind::Other),
            ("/definitions/Legacy", Kind::Other),
            ("/components/parameters", Kind::Other),
        ] {
            assert_eq!(kind_at(&parsed(pointer)), kind, "{pointer}");
        }
    }
}
