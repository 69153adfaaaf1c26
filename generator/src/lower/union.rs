//! Lowering of `oneOf`/`anyOf` to Rust enums.
//!
//! - **Tagged**: when every member is an object that fixes one and the same property to a
//!   constant (`type: {enum: [A]}`), each constant different, or when an explicit `discriminator`
//!   names the property, the value of that property picks the member. An unknown value is kept
//!   as received; a known value with a body that does not fit its member is a decode error.
//! - **Untagged** otherwise: the members are tried in decoding order (see
//!   [`SchemaLowerer::decode_rank`]) and the first that decodes is taken. `oneOf` and `anyOf`
//!   are read alike: the first match wins.
//! - Members that admit only `null` make the union nullable (`Option<Union>`) instead of being a
//!   variant; unions whose members are all strings become one string enum (or `String`); a union
//!   left with one member is that member.

use std::borrow::Cow;
use std::cmp::Reverse;

use openapiv3::{Discriminator, ReferenceOr, Schema};
use serde_json::Value;

use super::{Lowered, MergedObject, Node, SchemaLowerer, UNKNOWN_VARIANT, View};
use crate::error::SpecError;
use crate::pointer::Pointer;
use crate::ir::{Field, Tagging, TypeDef, TypeId, TypeKind, TypeRef, Union, UnionVariant};
use crate::naming::{Namespace, camel_ident, snake_ident, snake_words};
use crate::report::Reason;

/// A schema's `oneOf` or `anyOf`.
#[derive(Clone, Copy)]
pub struct UnionSpec<'a> {
    /// `oneOf` or `anyOf` (for pointers).
    pub keyword: &'static str,
    pub members: &'a [ReferenceOr<Schema>],
    pub discriminator: Option<&'a Discriminator>,
    /// The doc text of the schema that carries it.
    pub doc: Option<&'a str>,
}

/// A union met while merging an object: it becomes a flattened field of the struct.
pub struct UnionPart<'a> {
    pub spec: UnionSpec<'a>,
    /// Pointer of the schema that carries the `oneOf`/`anyOf`.
    pub pointer: Pointer,
    /// The component that schema is, if any.
    pub component: Option<&'a str>,
    /// Whether the schema is nothing but the union (so a component's name can name it).
    pub whole: bool,
}

/// One member, looked at before it is lowered.
struct Member<'a> {
    node: Node<'a>,
    /// Where the member is written (`.../oneOf/2`).
    at: Pointer,
    view: View<'a>,
    component: Option<&'a str>,
    /// The member's properties and `required`, when it is an object.
    object: Option<MergedObject<'a>>,
}

impl<'a> SchemaLowerer<'a> {
    /// The union at `pointer`, lowered once however often it is reached.
    pub(super) fn lower_union_at(&mut self, spec: UnionSpec<'a>, pointer: &Pointer, hint: &str) -> Result<Lowered, SpecError> {
        self.lower_union_keyed(spec, pointer, hint, false)
    }

    /// `part`: the union is mixed into an object (flattened), so its type is the object's name
    /// plus `Variant`, not the object's own name.
    fn lower_union_keyed(&mut self, spec: UnionSpec<'a>, pointer: &Pointer, hint: &str, part: bool) -> Result<Lowered, SpecError> {
        let key = pointer.push(spec.keyword);
        if let Some(done) = self.done.get(&key) {
            return Ok(done.clone());
        }
        let lowered = self.lower_union(spec, pointer, hint, part)?;
        self.done.insert(key, lowered.clone());
        Ok(lowered)
    }

    /// The flattened field that carries a union mixed into a struct.
    pub(super) fn lower_union_field(&mut self, part: &UnionPart<'a>, owner: &str, names: &mut Namespace) -> Result<Field, SpecError> {
        let hint = match (part.whole, part.component) {
            (true, Some(component)) => component.to_owned(),
            (false, Some(component)) => format!("{component}Variant"),
            (_, None) => format!("{owner}Variant"),
        };
        let lowered = self.lower_union_keyed(part.spec, &part.pointer, &hint, !part.whole)?;
        Ok(Field {
            wire_name: String::new(),
            rust_name: names.claim(snake_ident("variant")),
            ty: lowered.ty,
            optional: false,
            required: true,
            sensitive: false,
            read_only: false,
            flatten: true,
            description: Some("The members of the object that depend on which variant it is.".to_owned()),
        })
    }

    fn lower_union(&mut self, spec: UnionSpec<'a>, pointer: &Pointer, hint: &str, part: bool) -> Result<Lowered, SpecError> {
        let list = pointer.push(spec.keyword);
        let mut nullable = false;
        let mut members = Vec::with_capacity(spec.members.len());
        for (i, member) in spec.members.iter().enumerate() {
            let at = list.push(&i.to_string());
            let node = Node::of(member);
            let (schema, member_pointer, component) = self.deref(node, &at)?;
            let view = View::of(schema);
            if view.is_null_only() {
                nullable = true;
                continue;
            }
            nullable |= view.nullable;
            let object = match view.is_object_like() || !view.all_of.is_empty() {
                true => Some(self.merge_object_named(&view, &member_pointer, component, &[])?),
                false => None,
            };
            members.push(Member { node, at, view, component, object });
        }
        let with_nullable = |lowered: Lowered| Lowered { nullable: lowered.nullable || nullable, ..lowered };
        if members.is_empty() {
            return Ok(with_nullable(self.fallback(pointer, Reason::OnlyNullMembers)));
        }
        if let [only] = members.as_slice() {
            let lowered = self.lower(only.node, &only.at, hint)?;
            return Ok(with_nullable(lowered));
        }
        if let Some(values) = string_values(&members) {
            return Ok(with_nullable(self.lower_string_union(values, spec.doc, pointer, hint)));
        }
        let tagging = self.tag_property(&spec, &members)?;
        let names: Vec<String> = match &tagging {
            Some((_, tags)) => tags.iter().map(|t| camel_ident(t)).collect(),
            None => {
                let by_position = member_names(self.raw, &list).unwrap_or_default();
                let position = |m: &Member<'_>| m.at.tokens().next_back().and_then(|i| i.parse::<usize>().ok());
                members.iter().map(|m| position(m).and_then(|i| by_position.get(i).cloned()).unwrap_or_else(|| format!("Member{}", position(m).unwrap_or_default()))).collect()
            }
        };
        let mut namespace = Namespace::with_reserved(&[UNKNOWN_VARIANT]);
        let names: Vec<String> = names.into_iter().map(|n| namespace.claim_camel(n)).collect();

        // Claimed at `.../oneOf` (or `anyOf`): the schema's own pointer may name a struct too.
        let owner = if part { format!("{}Variant", self.desired_name(hint, pointer)) } else { self.desired_name(hint, &list) };
        let description = spec.doc.map(str::to_owned);
        let id = self.add_type(owner.clone(), &list, pointer, description, TypeKind::Enum(Vec::new()));
        self.union_names.insert(id);
        // Reaching the union again from inside a member ends at a `Box` of it.
        let registered = !self.in_progress.contains_key(pointer);
        if registered {
            self.in_progress.insert(pointer.clone(), id);
        }
        let variants = self.lower_variants(&members, &names, tagging.as_ref().map(|(_, tags)| tags.as_slice()), &owner);
        if registered {
            self.in_progress.remove(pointer);
        }
        let mut variants = variants?;
        let tagging = match tagging {
            Some((property, _)) => Tagging::Tagged { property },
            None => {
                // Stable: members of equal rank keep their spec order.
                let ranks: Vec<_> = variants.iter().map(|(v, object)| self.decode_rank(&v.ty, *object)).collect();
                let mut order: Vec<usize> = (0..variants.len()).collect();
                order.sort_by_key(|&i| ranks[i]);
                let mut taken: Vec<Option<_>> = variants.into_iter().map(Some).collect();
                variants = order.into_iter().filter_map(|i| taken[i].take()).collect();
                Tagging::Untagged
            }
        };
        let mut seen = Vec::new();
        let variants = variants
            .into_iter()
            .map(|(v, _)| v)
            // Two members of one Rust type (`integer` twice, with other bounds) are one variant.
            .filter(|v| match seen.contains(&v.ty) {
                true => false,
                false => {
                    seen.push(v.ty.clone());
                    true
                }
            })
            .collect::<Vec<UnionVariant>>();
        if let ([only], Tagging::Untagged) = (variants.as_slice(), &tagging) {
            // Members that are one Rust type (`number` and `enum: [1]`) leave one variant: the
            // union is that type, unless a member refers back to the union.
            let refers_back = self.types[id.index() + 1..].iter().any(|def| mentions_boxed(def, id));
            if !refers_back {
                let ty = only.ty.clone();
                self.union_names.remove(&id);
                self.claims[id.index()].dropped = true;
                return Ok(Lowered { ty, nullable, length: Default::default() });
            }
        }
        self.types[id.index()].kind = TypeKind::Union(Union { tagging, variants });
        Ok(Lowered { ty: TypeRef::Named(id), nullable, length: Default::default() })
    }

    /// Lowers each member; returns the variants with, for objects, (required, properties) counts.
    #[allow(clippy::type_complexity)]
    fn lower_variants(
        &mut self,
        members: &[Member<'a>],
        names: &[String],
        tags: Option<&[String]>,
        owner: &str,
    ) -> Result<Vec<(UnionVariant, Option<(usize, usize)>)>, SpecError> {
        let mut variants = Vec::with_capacity(members.len());
        for (i, (member, rust_name)) in members.iter().zip(names).enumerate() {
            let hint = format!("{owner}{rust_name}");
            let lowered = self.lower(member.node, &member.at, &hint)?;
            let description = self.doc_of(member.node, &member.at)?;
            let counts = member.object.as_ref().map(|o| (o.required.len(), o.properties.len()));
            let variant = UnionVariant {
                rust_name: rust_name.clone(),
                ty: lowered.ty,
                tag: tags.map(|t| t[i].clone()),
                description,
            };
            variants.push((variant, counts));
        }
        Ok(variants)
    }

    /// One string enum for a union of strings: every listed value, unknown ones kept.
    fn lower_string_union(&mut self, values: Vec<&'a str>, doc: Option<&'a str>, pointer: &Pointer, hint: &str) -> Lowered {
        if values.is_empty() {
            return Lowered::plain(TypeRef::String);
        }
        let view = View { string_enum: values, description: doc, ..View::default() };
        let lowered = self.lower_enum(&view, pointer, hint);
        lowered.unwrap_or_else(|_| Lowered::plain(TypeRef::String))
    }

    /// The property that tells the members apart, and each member's value of it.
    fn tag_property(&self, spec: &UnionSpec<'_>, members: &[Member<'a>]) -> Result<Option<(String, Vec<String>)>, SpecError> {
        let mut constants = Vec::with_capacity(members.len());
        for member in members {
            constants.push(match &member.object {
                Some(object) => self.constant_properties(object)?,
                None => Vec::new(),
            });
        }
        Ok(tag_of(spec, members, &constants))
    }

    /// The properties of an object that admit exactly one string (`enum: [A]`).
    fn constant_properties(&self, object: &MergedObject<'a>) -> Result<Vec<(&'a str, &'a str)>, SpecError> {
        let mut constants = Vec::new();
        for (name, (node, at)) in &object.properties {
            let (schema, _, _) = self.deref(*node, at)?;
            let view = View::of(schema);
            if let ([value], false) = (view.string_enum.as_slice(), view.other_enum) {
                constants.push((*name, *value));
            }
        }
        Ok(constants)
    }

    /// Sort key of a member of an untagged union: what decodes fewer values comes first, so a
    /// value is taken by the most specific member that fits. Objects come first, those with more
    /// required properties (then more properties) before those with fewer (serde ignores unknown
    /// properties, so an object with fewer demands would take the others' values); then nested
    /// unions, arrays, maps, integers before numbers (an `f64` takes `1` too), booleans, string
    /// enums, strings, and free-form JSON last (it takes anything).
    fn decode_rank(&self, ty: &TypeRef, object: Option<(usize, usize)>) -> (u8, Reverse<usize>, Reverse<usize>) {
        let (required, properties) = object.unwrap_or((0, 0));
        let rank = match ty {
            TypeRef::Named(id) | TypeRef::Boxed(id) if self.union_names.contains(id) => 1,
            TypeRef::Named(id) | TypeRef::Boxed(id) if self.is_enum(*id) => 7,
            TypeRef::Named(_) | TypeRef::Boxed(_) => 0,
            TypeRef::Array(_) => 2,
            TypeRef::Map(_) => 3,
            TypeRef::Integer | TypeRef::Unsigned => 4,
            TypeRef::Number => 5,
            TypeRef::Boolean => 6,
            TypeRef::String => 8,
            TypeRef::Json => 9,
            // Members' own nullability makes the union nullable; a nested one ranks as its value.
            TypeRef::Nullable(inner) => return self.decode_rank(inner, object),
        };
        (rank, Reverse(required), Reverse(properties))
    }
}

/// Whether `def` holds a `Box` of the type `id` (a recursive reference).
fn mentions_boxed(def: &TypeDef, id: TypeId) -> bool {
    fn boxed(ty: &TypeRef, id: TypeId) -> bool {
        match ty {
            TypeRef::Boxed(target) => *target == id,
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => boxed(inner, id),
            _ => false,
        }
    }
    match &def.kind {
        TypeKind::Struct(fields) => fields.iter().any(|f| boxed(&f.ty, id)),
        TypeKind::Union(union) => union.variants.iter().any(|v| boxed(&v.ty, id)),
        TypeKind::Enum(_) | TypeKind::Alias(_) => false,
    }
}


/// The tag property: the discriminator's, else the first constant property that every member
/// has, with a different value in each.
fn tag_of(spec: &UnionSpec<'_>, members: &[Member<'_>], constants: &[Vec<(&str, &str)>]) -> Option<(String, Vec<String>)> {
    if let Some(discriminator) = spec.discriminator {
        let property = discriminator.property_name.as_str();
        let tags = members
            .iter()
            .zip(constants)
            .map(|(member, constants)| {
                // The mapping first (it is what the spec says), then the member's own constant,
                // then the implicit value OpenAPI gives: the component's name.
                let mapped = match member.node {
                    Node::Ref(reference) => discriminator.mapping.iter().find(|(_, target)| {
                        *target == reference || Some(target.as_str()) == member.component
                    }),
                    Node::Inline(_) => None,
                };
                mapped
                    .map(|(value, _)| value.as_str())
                    .or_else(|| constants.iter().find(|(p, _)| *p == property).map(|(_, v)| *v))
                    .or(member.component)
                    .map(str::to_owned)
            })
            .collect::<Option<Vec<String>>>()?;
        return distinct(&tags).then(|| (property.to_owned(), tags));
    }
    let first = constants.first()?;
    first.iter().find_map(|(property, _)| {
        let tags = constants
            .iter()
            .map(|c| c.iter().find(|(p, _)| p == property).map(|(_, v)| (*v).to_owned()))
            .collect::<Option<Vec<String>>>()?;
        distinct(&tags).then(|| ((*property).to_owned(), tags))
    })
}

/// The values of a union whose members are all strings (plain or enums); `None` otherwise.
fn string_values<'a>(members: &[Member<'a>]) -> Option<Vec<&'a str>> {
    let mut values = Vec::new();
    for member in members {
        let view = &member.view;
        let is_string = view.typ == Some("string") || (view.typ.is_none() && !view.string_enum.is_empty());
        if !is_string || view.other_enum || view.union().is_some() || !view.all_of.is_empty() {
            return None;
        }
        for value in &view.string_enum {
            if !values.contains(value) {
                values.push(*value);
            }
        }
    }
    Some(values)
}

fn distinct(values: &[String]) -> bool {
    values.iter().enumerate().all(|(i, v)| !values[..i].contains(v))
}

/// The names of the members of the union whose `oneOf`/`anyOf` list is at `list` in the document
/// as written, by position (`None` when there is no such list). A function of the union's own
/// schema, so that a member's type is named the same whichever way it is reached:
///
/// - each member's tag when one property tells them apart (the discriminator's mapping, or a
///   property every member fixes to a different constant);
/// - else the member's component name (less the words all members' component names share), its
///   `title`, or the first property only it declares (required ones first);
/// - else its shape (`Object`, `String`, ...), numbered when two members share one.
///
/// A member that admits only `null` is named `Null`; a union with a single other member names
/// it with the empty string (the member stands for the union).
pub fn member_names(raw: &Value, list: &Pointer) -> Option<Vec<String>> {
    let members: Vec<(&Value, Option<String>)> = list.find(raw)?.as_array()?.iter().map(|m| resolve_json(raw, m)).collect();
    let is_null = |m: &Value| m.get("type").and_then(Value::as_str) == Some("null") || m.get("enum").and_then(Value::as_array).is_some_and(|e| e.iter().all(Value::is_null));
    let live: Vec<usize> = (0..members.len()).filter(|&i| !is_null(members[i].0)).collect();
    let mut names: Vec<String> = vec!["Null".to_owned(); members.len()];
    if let [only] = live.as_slice() {
        names[*only] = String::new();
        return Some(names);
    }
    let properties: Vec<Vec<(&str, &Value)>> = members.iter().map(|(m, _)| json_properties(raw, m, 0)).collect();
    let parent = list.parent().and_then(|parent| parent.find(raw));
    let tags = json_tags(parent, &members, &properties, &live);
    let mut taken = Namespace::with_reserved(&[UNKNOWN_VARIANT]);
    let untagged = match tags {
        Some(tags) => {
            for (i, tag) in live.iter().zip(tags) {
                names[*i] = taken.claim_camel(camel_ident(&tag));
            }
            return Some(names);
        }
        None => {
            let words: Vec<Option<Vec<String>>> = live.iter().map(|&i| members[i].1.as_deref().map(|c| snake_words(c).split('_').filter(|w| !w.is_empty()).map(str::to_owned).collect())).collect();
            strip_common_words(words)
        }
    };
    let mut wanted: Vec<(usize, String)> = Vec::with_capacity(live.len());
    for (&i, words) in live.iter().zip(untagged) {
        let member = members[i].0;
        // The properties only this member declares, the required ones first. One of them names
        // the member when it is the only one (or the only required one); failing that the shape
        // does when no other member has it; failing that the first of them.
        let others = |name: &str| live.iter().filter(|&&j| j != i).all(|&j| properties[j].iter().any(|(p, _)| *p == name));
        let required: Vec<&str> = member.get("required").and_then(Value::as_array).map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        let mut own: Vec<&str> = properties[i].iter().map(|(p, _)| *p).filter(|p| !others(p)).collect();
        own.sort_by_key(|p| !required.contains(p));
        let own_required = own.iter().filter(|p| required.contains(p)).count();
        let single = (own.len() == 1 || own_required == 1).then(|| own[0]);
        let shape = json_shape_name(member);
        let shape_is_unique = live.iter().filter(|&&j| json_shape_name(members[j].0) == shape).count() == 1;
        let name = match (words, member.get("title").and_then(Value::as_str)) {
            (Some(words), _) if !words.is_empty() => camel_ident(&words.join("_")),
            (_, Some(title)) => camel_ident(title),
            _ => single
                .map(camel_ident)
                .or_else(|| shape_is_unique.then(|| shape.to_owned()))
                .or_else(|| own.first().map(|p| camel_ident(p)))
                .unwrap_or_else(|| shape.to_owned()),
        };
        wanted.push((i, name));
    }
    for (i, name) in wanted {
        names[i] = taken.claim_camel(name);
    }
    Some(names)
}

/// Drops the leading words that every list shares (when there are two lists or more).
fn strip_common_words(mut words: Vec<Option<Vec<String>>>) -> Vec<Option<Vec<String>>> {
    let lists: Vec<&Vec<String>> = words.iter().flatten().collect();
    let common = match lists.as_slice() {
        [first, _, ..] => (0..).take_while(|&i| lists.iter().all(|l| l.len() > i + 1 && l[i] == first[i])).count(),
        _ => 0,
    };
    for list in words.iter_mut().flatten() {
        list.drain(..common);
    }
    words
}

/// Follows `$ref`s in the document as written: the schema, and its component name if the last
/// `$ref` names `#/components/schemas/<name>`.
fn resolve_json<'v>(raw: &'v Value, mut schema: &'v Value) -> (&'v Value, Option<String>) {
    let mut component = None;
    for _ in 0..MAX_REF_HOPS {
        let Some(pointer) = schema.get("$ref").and_then(Value::as_str).and_then(|r| Pointer::from_ref(r).ok()) else { break };
        let Some(target) = pointer.find(raw) else { break };
        component = pointer.component_name("schemas").map(Cow::into_owned);
        schema = target;
    }
    (schema, component)
}

/// The component a discriminator's mapping names: `#/components/schemas/<name>`, or a name alone.
fn mapped_component(target: &str) -> Option<Cow<'_, str>> {
    match Pointer::from_ref(target) {
        Ok(pointer) => pointer.component_name("schemas").map(|name| Cow::Owned(name.into_owned())),
        Err(_) => Some(Cow::Borrowed(target)),
    }
}

const MAX_REF_HOPS: usize = 16;

/// The properties of an object schema as written, with those of its `allOf` members.
fn json_properties<'v>(raw: &'v Value, schema: &'v Value, depth: usize) -> Vec<(&'v str, &'v Value)> {
    let mut out: Vec<(&str, &Value)> = Vec::new();
    if depth > MAX_REF_HOPS {
        return out;
    }
    for member in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        out.extend(json_properties(raw, resolve_json(raw, member).0, depth + 1));
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        out.extend(properties.iter().map(|(k, v)| (k.as_str(), resolve_json(raw, v).0)));
    }
    out
}

/// The tag of each live member, as [`tag_of`] finds them, read from the document as written.
fn json_tags(parent: Option<&Value>, members: &[(&Value, Option<String>)], properties: &[Vec<(&str, &Value)>], live: &[usize]) -> Option<Vec<String>> {
    let constant = |i: usize, property: &str| {
        properties[i].iter().rev().find(|(p, _)| *p == property).and_then(|(_, schema)| match schema.get("enum").and_then(Value::as_array).map(Vec::as_slice) {
            Some([Value::String(value)]) => Some(value.clone()),
            _ => None,
        })
    };
    let unique = |tags: Vec<String>| distinct(&tags).then_some(tags);
    if let Some(discriminator) = parent.and_then(|p| p.get("discriminator")) {
        let property = discriminator.get("propertyName").and_then(Value::as_str)?;
        let mapping = discriminator.get("mapping").and_then(Value::as_object);
        let tags = live.iter().map(|&i| {
            let mapped = mapping.and_then(|m| m.iter().find(|(_, target)| target.as_str().and_then(mapped_component).is_some_and(|name| Some(name.as_ref()) == members[i].1.as_deref())));
            mapped.map(|(value, _)| value.clone()).or_else(|| constant(i, property)).or_else(|| members[i].1.clone())
        });
        return unique(tags.collect::<Option<Vec<String>>>()?);
    }
    let first = *live.first()?;
    properties[first].iter().find_map(|(property, _)| unique(live.iter().map(|&i| constant(i, property)).collect::<Option<Vec<String>>>()?))
}

/// A variant name from what a member looks like, for members with neither name nor title.
fn json_shape_name(schema: &Value) -> &'static str {
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => "String",
        Some("integer") => "Integer",
        Some("number") => "Number",
        Some("boolean") => "Boolean",
        Some("array") => "Array",
        Some("object") => "Object",
        _ if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() || schema.get("allOf").is_some() => "Object",
        _ if schema.get("items").is_some() => "Array",
        _ if schema.get("enum").is_some() => "String",
        _ => "Value",
    }
}
