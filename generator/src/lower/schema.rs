//! Lowering of JSON schemas to [`TypeRef`]s and named [`TypeDef`]s.
//!
//! `openapiv3` spreads one schema over several shapes (`Type`, `AllOf`, `Any`, ...), depending on
//! which keywords happen to be present. [`View`] flattens them into one record so the rules below
//! read as rules about keywords, whichever shape the parser picked.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, Discriminator, ReferenceOr, Schema, SchemaKind, Type};

use crate::error::SpecError;
use crate::pointer::Pointer;
use crate::ir::{Directions, Field, Length, ModulePath, TypeDef, TypeId, TypeKind, TypeRef, Variant};
use crate::naming::{Namespace, RustIdent, camel_ident, snake_ident};
use crate::load::LoadedSpec;
use crate::profile::Profile;
use crate::load::refs::RefIndex;
use crate::report::{Reason, Report};

#[path = "union.rs"]
mod union;
pub use union::UnionPart;
use union::member_names;

/// Deeper schemas than this are refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

/// Type names that would shadow the prelude or the names generated code relies on.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "BTreeMap", "Default",
    "Clone", "Copy", "Send", "Sync", "Sized", "Unpin", "Drop", "Fn", "FnMut", "FnOnce", "Eq",
    "PartialEq", "Ord", "PartialOrd", "Hash", "Iterator", "IntoIterator", "ToString", "ToOwned",
    "From", "Into", "AsRef", "AsMut", "Extend",
];

pub use crate::ir::UNKNOWN_VARIANT;

/// A schema position: a `$ref` or an inline schema.
#[derive(Clone, Copy)]
pub enum Node<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> Node<'a> {
    pub fn of(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(schema) => Node::Inline(schema),
        }
    }

    pub fn of_boxed(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(schema) => Node::Inline(schema),
        }
    }
}

/// What lowering one schema yields.
#[derive(Clone, Debug)]
pub struct Lowered {
    pub ty: TypeRef,
    /// `nullable: true` or `enum: [null]`: the value may be null.
    pub nullable: bool,
    pub length: Length,
}

impl Lowered {
    fn plain(ty: TypeRef) -> Self {
        Lowered { ty, nullable: false, length: Length::default() }
    }
}

/// Every keyword the lowering looks at, whichever `SchemaKind` carried it.
#[derive(Default)]
pub struct View<'a> {
    pub typ: Option<&'a str>,
    pub nullable: bool,
    pub title: Option<&'a str>,
    pub description: Option<&'a str>,
    pub sensitive: bool,
    pub read_only: bool,
    pub properties: Option<&'a IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub string_enum: Vec<&'a str>,
    pub null_in_enum: bool,
    pub other_enum: bool,
    pub length: Length,
    pub all_of: &'a [ReferenceOr<Schema>],
    pub one_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub not: bool,
    pub discriminator: Option<&'a Discriminator>,
    /// Values of an `enum` that are neither strings nor null (booleans, numbers).
    pub other_values: Vec<&'a serde_json::Value>,
}

impl<'a> View<'a> {
    pub fn of(schema: &'a Schema) -> Self {
        let data = &schema.schema_data;
        let mut view = View {
            nullable: data.nullable,
            title: data.title.as_deref(),
            description: data.description.as_deref(),
            sensitive: matches!(data.extensions.get("x-sensitive"), Some(serde_json::Value::Bool(true))),
            read_only: data.read_only,
            discriminator: data.discriminator.as_ref(),
            ..View::default()
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.typ = Some("string");
                view.length = Length { min: s.min_length.map(|n| n as u64), max: s.max_length.map(|n| n as u64) };
                for value in &s.enumeration {
                    match value {
                        Some(v) => view.string_enum.push(v),
                        None => view.null_in_enum = true,
                    }
                }
            }
            SchemaKind::Type(Type::Number(_)) => view.typ = Some("number"),
            SchemaKind::Type(Type::Integer(_)) => view.typ = Some("integer"),
            SchemaKind::Type(Type::Boolean(_)) => view.typ = Some("boolean"),
            SchemaKind::Type(Type::Object(o)) => {
                view.typ = Some("object");
                // The parser gives every object a (maybe empty) map; no properties is no struct.
                view.properties = (!o.properties.is_empty()).then_some(&o.properties);
                view.required = &o.required;
                view.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.typ = Some("array");
                view.items = a.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::Not { .. } => view.not = true,
            SchemaKind::Any(any) => {
                view.typ = any.typ.as_deref();
                view.properties = (!any.properties.is_empty()).then_some(&any.properties);
                view.required = &any.required;
                view.additional = any.additional_properties.as_ref();
                view.items = any.items.as_ref();
                view.length = Length { min: any.min_length.map(|n| n as u64), max: any.max_length.map(|n| n as u64) };
                for value in &any.enumeration {
                    match value {
                        serde_json::Value::String(s) => view.string_enum.push(s),
                        serde_json::Value::Null => view.null_in_enum = true,
                        other => {
                            view.other_enum = true;
                            view.other_values.push(other);
                        }
                    }
                }
                view.all_of = &any.all_of;
                view.one_of = &any.one_of;
                view.any_of = &any.any_of;
                view.not = any.not.is_some();
            }
        }
        view
    }

    /// The doc text: description, else title.
    pub fn doc(&self) -> Option<String> {
        self.description.or(self.title).map(str::to_owned)
    }

    /// The schema's `oneOf` (or else `anyOf`), if it has one.
    pub fn union(&self) -> Option<union::UnionSpec<'a>> {
        let (keyword, members) = match (self.one_of, self.any_of) {
            ([], []) => return None,
            ([], any_of) => ("anyOf", any_of),
            (one_of, _) => ("oneOf", one_of),
        };
        Some(union::UnionSpec { keyword, members, discriminator: self.discriminator, doc: self.description.or(self.title) })
    }

    /// Whether the schema only annotates (description, default, `readOnly`, ...): no type, no
    /// shape, no composition. Alone it is free-form; in an `allOf` it adds nothing.
    fn is_annotation(&self) -> bool {
        self.typ.is_none() && self.required.is_empty() && self.has_no_shape()
    }

    /// Whether the schema has no keyword that shapes a value, `type` and `required` aside.
    fn has_no_shape(&self) -> bool {
        self.string_enum.is_empty()
            && !self.other_enum
            && !self.null_in_enum
            && self.properties.is_none()
            && self.additional.is_none()
            && self.items.is_none()
            && self.all_of.is_empty()
            && self.union().is_none()
            && !self.not
    }

    /// Whether the schema only says which properties must be present (`{required: [a]}`, maybe
    /// with a title): a rule over an object's own properties, not a shape.
    fn is_presence_rule(&self) -> bool {
        !self.required.is_empty() && matches!(self.typ, None | Some("object")) && self.has_no_shape()
    }

    /// `enum: [null]` (or `type: 'null'`): the schema admits null and nothing else.
    fn is_null_only(&self) -> bool {
        self.typ == Some("null") || (self.null_in_enum && self.string_enum.is_empty() && !self.other_enum)
    }

    fn is_object_like(&self) -> bool {
        self.typ == Some("object") || self.properties.is_some() || self.additional.is_some()
    }

    /// Whether the schema adds object members of its own (beside any `allOf`).
    fn has_own_members(&self) -> bool {
        self.properties.is_some() || self.additional.is_some() || !self.required.is_empty()
    }
}

/// An object's properties after `allOf` members are merged.
pub struct MergedObject<'a> {
    pub properties: IndexMap<&'a str, (Node<'a>, Pointer)>,
    pub required: BTreeSet<&'a str>,
    /// The `oneOf`/`anyOf`s met on the way (the object's own, its members'); each becomes a
    /// flattened field.
    pub unions: Vec<UnionPart<'a>>,
}

/// Lowers schemas, remembering what it has named so each schema becomes at most one type.
pub struct SchemaLowerer<'a> {
    components: Option<&'a IndexMap<String, ReferenceOr<Schema>>>,
    /// Targets of `$ref`s that are not components by name (see [`crate::load::refs`]).
    pub refs: &'a RefIndex,
    pub types: Vec<TypeDef>,
    /// Results by schema pointer, so a schema reached twice is lowered once.
    done: HashMap<Pointer, Lowered>,
    /// Names of the string enums among `types` (parameters need to tell them from structs).
    enum_names: HashSet<TypeId>,
    /// Names of the unions among `types` (their decoding order depends on it).
    union_names: HashSet<TypeId>,
    /// Named types whose fields are being lowered; reaching one again means recursion.
    in_progress: HashMap<Pointer, TypeId>,
    /// Pointers of the schemas being lowered, outermost first (its length is the depth).
    lowering: Vec<Pointer>,
    /// Warnings and fallbacks noted while lowering (the whole lowering shares this one).
    pub report: Report,
    profile: Profile,
    /// The document as written (names of union members come from it).
    raw: &'a serde_json::Value,
    /// The name each of `types` asks for (by id), settled by the naming pass.
    pub claims: Vec<Claim>,
    /// The module of each operation's own types, by the operation's pointer.
    operation_modules: HashMap<Pointer, ModulePath>,
}

/// The name a type of the lowering asks for, before names are settled.
#[derive(Debug, Clone)]
pub struct Claim {
    /// The name it would like (camel case).
    pub desired: String,
    /// The JSON pointer of its schema: what decides who keeps a contested name.
    pub pointer: Pointer,
    /// Whether the type was dropped after all (a union that is one of its members): it gets no
    /// name and the naming pass leaves it out.
    pub dropped: bool,
}

impl<'a> SchemaLowerer<'a> {
    pub fn new(loaded: &'a LoadedSpec, profile: Profile) -> Self {
        SchemaLowerer {
            profile,
            raw: &loaded.raw,
            claims: Vec::new(),
            operation_modules: HashMap::new(),
            components: loaded.api.components.as_ref().map(|c| &c.schemas),
            refs: &loaded.refs,
            types: Vec::new(),
            done: HashMap::new(),
            enum_names: HashSet::new(),
            union_names: HashSet::new(),
            in_progress: HashMap::new(),
            lowering: Vec::new(),
            // Loading's notes come first: they are about the document as written.
            report: loaded.report.clone(),
        }
    }

    /// The doc text of a schema, looking through `$ref`s and single-member `allOf` wrappers.
    pub fn doc_of(&self, mut node: Node<'a>, pointer: &Pointer) -> Result<Option<String>, SpecError> {
        let mut pointer = pointer.to_owned();
        for _ in 0..MAX_DEPTH {
            let (schema, at, _) = self.deref(node, &pointer)?;
            let view = View::of(schema);
            match (view.doc(), view.all_of) {
                (Some(doc), _) => return Ok(Some(doc)),
                (None, [only]) => {
                    node = Node::of(only);
                    pointer = at.join(["allOf", "0"]);
                }
                _ => return Ok(None),
            }
        }
        Ok(None)
    }

    /// Whether the schema is marked `x-sensitive`, looking through `$ref`s and `allOf` members
    /// (a wrapper such as `allOf: [$ref: Secret]` with a description of its own is still secret).
    pub fn is_sensitive(&self, node: Node<'a>, pointer: &Pointer) -> Result<bool, SpecError> {
        self.any_in_all_of(node, pointer, 0, &|view| view.sensitive)
    }

    /// Whether the schema is marked `readOnly`, looking through `$ref`s and `allOf` members.
    pub fn is_read_only(&self, node: Node<'a>, pointer: &Pointer) -> Result<bool, SpecError> {
        self.any_in_all_of(node, pointer, 0, &|view| view.read_only)
    }

    /// Whether `mark` holds for the schema or, recursively, for one of its `allOf` members.
    fn any_in_all_of(&self, node: Node<'a>, pointer: &Pointer, depth: usize, mark: &dyn Fn(&View<'a>) -> bool) -> Result<bool, SpecError> {
        if depth > MAX_DEPTH {
            return Ok(false);
        }
        let (schema, at, _) = self.deref(node, pointer)?;
        let view = View::of(schema);
        if mark(&view) {
            return Ok(true);
        }
        for (i, member) in view.all_of.iter().enumerate() {
            let member_at = at.join(["allOf", &i.to_string()]);
            if self.any_in_all_of(Node::of(member), &member_at, depth + 1, mark)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Whether the type is a string enum.
    pub fn is_enum(&self, id: TypeId) -> bool {
        self.enum_names.contains(&id)
    }

    /// The module a schema's type goes in: an operation's own schemas beside the operation, a
    /// component's in `types` (`types::<prefix>` when the profile splits component names).
    fn module_of(&self, pointer: &Pointer) -> ModulePath {
        // A schema inside an operation that a `$ref` reaches may be used by other areas too.
        let in_paths = |p: &Pointer| p.tokens().next().is_some_and(|t| t == "paths");
        let shared = || self.refs.schema_names.keys().any(|target| in_paths(target) && pointer.starts_with(target));
        if in_paths(pointer) && !shared() {
            // `/paths/<path>/<method>/...`: the operation is the first three tokens.
            if let Some(module) = self.operation_modules.get(&pointer.prefix(3)) {
                return module.clone();
            }
        }
        match component_area(&self.profile, pointer) {
            Some(area) => ModulePath::types_group(&area),
            None => ModulePath::types(),
        }
    }

    /// Says that the types of the operation at `pointer` go in `module`.
    pub fn place_operation(&mut self, pointer: &Pointer, module: ModulePath) {
        self.operation_modules.insert(pointer.clone(), module);
    }

    /// The name a type wants: from its pointer when it is written inside a component, else from
    /// `hint` (an operation's own schemas, named after its builder).
    pub fn desired_name(&self, hint: &str, pointer: &Pointer) -> String {
        // A union is claimed at `.../oneOf` (or `anyOf`): it is named as its schema would be. Its
        // inline members are named from their pointers too, by the member's tag, title or own
        // property (see `member_names`): a member may be reached on its own (a union of one
        // member is that member), so a name from the caller's hint would depend on which
        // operation reached it first.
        let member = |list: &Pointer, index: usize| member_names(self.raw, list).and_then(|names| names.get(index).cloned());
        let from_pointer = name_from_component_pointer(&self.profile, &union_schema(pointer), &member);
        from_pointer.unwrap_or_else(|| camel_ident(hint))
    }

    /// Adds a type for the schema at `source`, which asks (at `claimed_at`) for exactly the name
    /// `desired`; returns its provisional id. Final names are settled once every type is known
    /// (`type_names`).
    pub fn add_type(&mut self, desired: String, claimed_at: &Pointer, source: &Pointer, description: Option<String>, kind: TypeKind) -> TypeId {
        let id = TypeId::at(self.types.len());
        let module = self.module_of(claimed_at);
        self.claims.push(Claim { desired, pointer: claimed_at.clone(), dropped: false });
        self.types.push(TypeDef {
            module,
            name: String::new(),
            features: Vec::new(),
            description,
            source: source.clone(),
            context: String::new(),
            kind,
            directions: Directions::default(),
        });
        id
    }

    /// Follows a `$ref` (through chains of them) to its schema: (schema, the pointer where it is
    /// written, its type-name hint). The hint is the component name for
    /// `#/components/schemas/<name>`, and [`crate::load::refs::name_for_pointer`] for any other pointer.
    pub fn resolve(&self, reference: &'a str, at: &Pointer) -> Result<(&'a Schema, Pointer, &'a str), SpecError> {
        let (schema, pointer, component) = crate::load::refs::resolve(reference, self.components, self.refs, at)?;
        let hint = component.or_else(|| self.inner_target_name(&pointer)).unwrap_or("Schema");
        Ok((schema, pointer, hint))
    }

    /// The type-name hint of a schema some `$ref` points into (not a component by name).
    fn inner_target_name(&self, pointer: &Pointer) -> Option<&'a str> {
        self.refs.schema_names.get(pointer).map(String::as_str)
    }

    /// Follows `$ref`s until an inline schema: (schema, its pointer, its type-name hint if that
    /// depends on the pointer alone: a component, or a schema some `$ref` points into).
    pub fn deref(&self, node: Node<'a>, pointer: &Pointer) -> Result<(&'a Schema, Pointer, Option<&'a str>), SpecError> {
        match node {
            // Reached in place, a `$ref`'s target is named as when reached through the `$ref`.
            Node::Inline(schema) => Ok((schema, pointer.to_owned(), self.inner_target_name(pointer))),
            Node::Ref(reference) => {
                let (schema, pointer, name) = self.resolve(reference, pointer)?;
                Ok((schema, pointer, Some(name)))
            }
        }
    }

    /// Lowers the schema at `node` (found at `pointer`); `hint` names it if it becomes a type.
    pub fn lower(&mut self, node: Node<'a>, pointer: &Pointer, hint: &str) -> Result<Lowered, SpecError> {
        let at = pointer;
        let (schema, pointer, component) = self.deref(node, pointer)?;
        if let Some(done) = self.done.get(&pointer) {
            return Ok(done.clone());
        }
        if let Some(&id) = self.in_progress.get(&pointer) {
            return Ok(Lowered::plain(TypeRef::Boxed(id)));
        }
        let again = self.lowering.iter().position(|p| *p == pointer);
        if again.is_some_and(|i| !self.lowering[i..].iter().any(|p| self.in_progress.contains_key(p))) {
            // Back at a schema being lowered with no struct in between to carry the recursion
            // (with one, the second visit ends at that struct's `Box`).
            return Err(if at.tokens().nth_back(1).is_some_and(|t| t == "allOf") {
                SpecError::invalid(at, format!("allOf cycle: `{pointer}` includes itself"))
            } else {
                SpecError::unsupported(
                    at,
                    format!("`{pointer}` includes itself with no object in between; such a recursive type is not supported"),
                )
            });
        }
        if self.lowering.len() >= MAX_DEPTH {
            return Err(SpecError::unsupported(&pointer, format!("schemas nested deeper than {MAX_DEPTH} levels")));
        }
        let stripped;
        let hint = match component {
            Some(name) => {
                stripped = component_type_name(&self.profile, name);
                stripped.as_str()
            }
            None => hint,
        };
        self.lowering.push(pointer.clone());
        let result = self.lower_schema(schema, &pointer, hint);
        self.lowering.pop();
        let lowered = result?;
        self.done.insert(pointer, lowered.clone());
        Ok(lowered)
    }

    fn lower_schema(&mut self, schema: &'a Schema, pointer: &Pointer, hint: &str) -> Result<Lowered, SpecError> {
        let view = View::of(schema);
        let mut lowered = self.lower_view(&view, pointer, hint)?;
        lowered.nullable |= view.nullable || view.null_in_enum;
        if lowered.length == Length::default() {
            lowered.length = view.length;
        }
        Ok(lowered)
    }

    fn lower_view(&mut self, view: &View<'a>, pointer: &Pointer, hint: &str) -> Result<Lowered, SpecError> {
        // `enum: [null]` (with or without a type) admits only null: nothing to model.
        if view.is_null_only() {
            return Ok(self.fallback(pointer, Reason::NullOnlyEnum));
        }
        if !view.all_of.is_empty() {
            return self.lower_all_of(view, pointer, hint);
        }
        if view.not {
            return Ok(self.fallback(pointer, Reason::Not));
        }
        if let Some(spec) = view.union() {
            if view.properties.is_none() && view.additional.is_none() {
                // A `required` beside the union restates what its members require: nothing to add.
                return self.lower_union_at(spec, pointer, hint);
            }
            let merged = self.merge_object(view, pointer, &[])?;
            return self.lower_struct(merged, view.doc(), pointer, hint);
        }
        match view.typ {
            Some("string") if !view.string_enum.is_empty() => self.lower_enum(view, pointer, hint),
            Some("string") => Ok(Lowered::plain(TypeRef::String)),
            Some("integer") => Ok(Lowered::plain(TypeRef::Integer)),
            Some("number") => Ok(Lowered::plain(TypeRef::Number)),
            Some("boolean") => Ok(Lowered::plain(TypeRef::Boolean)),
            Some("array") => self.lower_array(view, pointer, hint),
            _ if view.properties.is_some() => {
                let merged = self.merge_object(view, pointer, &[])?;
                self.lower_struct(merged, view.doc(), pointer, hint)
            }
            _ if view.additional.is_some() => self.lower_map(view, pointer, hint),
            None if view.items.is_some() => self.lower_array(view, pointer, hint),
            None if !view.string_enum.is_empty() => self.lower_enum(view, pointer, hint),
            None if view.other_enum => Ok(match enum_value_type(&view.other_values) {
                Some(ty) => Lowered::plain(ty),
                None => self.fallback(pointer, Reason::MixedEnum),
            }),
            // `{}` and objects without properties: free-form by the spec's own word.
            None | Some("object") => Ok(Lowered::plain(TypeRef::Json)),
            Some(_) => Ok(self.fallback(pointer, Reason::UnknownType)),
        }
    }

    /// Notes a fallback to `serde_json::Value` in the report and returns it.
    fn fallback(&mut self, pointer: &Pointer, reason: Reason) -> Lowered {
        self.report.push(reason, pointer, None);
        Lowered::plain(TypeRef::Json)
    }

    fn lower_array(&mut self, view: &View<'a>, pointer: &Pointer, hint: &str) -> Result<Lowered, SpecError> {
        let item = match view.items {
            Some(items) => {
                let item_hint = format!("{hint}Item");
                let lowered = self.lower(Node::of_boxed(items), &pointer.push("items"), &item_hint)?;
                nullable_if(unbox(lowered.ty), lowered.nullable)
            }
            None => TypeRef::Json,
        };
        Ok(Lowered::plain(TypeRef::Array(Box::new(item))))
    }

    fn lower_map(&mut self, view: &View<'a>, pointer: &Pointer, hint: &str) -> Result<Lowered, SpecError> {
        let value = match view.additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value_hint = format!("{hint}Value");
                let at = pointer.push("additionalProperties");
                let lowered = self.lower(Node::of(schema), &at, &value_hint)?;
                nullable_if(unbox(lowered.ty), lowered.nullable)
            }
            _ => TypeRef::Json,
        };
        Ok(Lowered::plain(TypeRef::Map(Box::new(value))))
    }

    fn lower_enum(&mut self, view: &View<'a>, pointer: &Pointer, hint: &str) -> Result<Lowered, SpecError> {
        let mut names = Namespace::with_reserved(&[UNKNOWN_VARIANT]);
        let mut seen = BTreeSet::new();
        let variants = view
            .string_enum
            .iter()
            .filter(|v| seen.insert(**v))
            .map(|v| Variant { wire_name: (*v).to_owned(), rust_name: names.claim_camel(camel_ident(v)) })
            .collect();
        let id = self.add_type(self.desired_name(hint, pointer), pointer, pointer, view.doc(), TypeKind::Enum(variants));
        self.enum_names.insert(id);
        Ok(Lowered::plain(TypeRef::Named(id)))
    }

    /// `allOf`: merge object members into one struct; a lone member the wrapper adds no members
    /// to (`allOf: [$ref: X]` with a description or `nullable`) stands for itself.
    fn lower_all_of(&mut self, view: &View<'a>, pointer: &Pointer, hint: &str) -> Result<Lowered, SpecError> {
        if let ([only], false) = (view.all_of, view.has_own_members()) {
            let at = pointer.join(["allOf", "0"]);
            let mut lowered = self.lower(Node::of(only), &at, hint)?;
            lowered.nullable |= view.nullable;
            return Ok(lowered);
        }
        let mut object_like = view.is_object_like();
        let mut members = Vec::new();
        for (i, member) in view.all_of.iter().enumerate() {
            let at = pointer.join(["allOf", &i.to_string()]);
            let (schema, member_pointer, _) = self.deref(Node::of(member), &at)?;
            let member_view = View::of(schema);
            // A union member is mixed in as a flattened field, so it makes a struct too.
            object_like |= self.makes_struct(&member_view, &member_pointer, 0)?;
            // A member that only annotates (`{readOnly: true}`, `{default: x}`) adds no type.
            if !member_view.is_annotation() {
                members.push((Node::of(member), at, member_pointer));
            }
        }
        if object_like {
            let merged = self.merge_object(view, pointer, &[])?;
            return self.lower_struct(merged, view.doc(), pointer, hint);
        }
        // Scalars: every member must agree on the type; a string enum is a narrower string.
        let mut agreed: Option<Lowered> = None;
        for (node, at, _) in &members {
            let lowered = self.lower(*node, at, hint)?;
            agreed = match agreed {
                None => Some(lowered),
                Some(so_far) if so_far.ty == lowered.ty || self.narrows(&so_far.ty, &lowered.ty) => Some(so_far),
                Some(so_far) if self.narrows(&lowered.ty, &so_far.ty) => Some(lowered),
                Some(_) => return Ok(self.fallback(pointer, Reason::AllOfScalars)),
            };
        }
        let mut lowered = agreed.unwrap_or_else(|| Lowered::plain(TypeRef::Json));
        lowered.nullable |= view.nullable;
        Ok(lowered)
    }

    /// Whether an `allOf` member makes the whole a struct: it is object-like, a union (mixed in as
    /// a flattened field), or an `allOf` with such a member. (`allOf: [{type: string}, {$ref:
    /// Uuid}]`, where `Uuid` is itself an `allOf` of strings, is a string.)
    fn makes_struct(&self, view: &View<'a>, pointer: &Pointer, depth: usize) -> Result<bool, SpecError> {
        if view.is_object_like() || view.union().is_some() {
            return Ok(true);
        }
        if depth > MAX_DEPTH {
            return Err(SpecError::unsupported(pointer, format!("allOf nested deeper than {MAX_DEPTH} levels")));
        }
        for (i, member) in view.all_of.iter().enumerate() {
            let at = pointer.join(["allOf", &i.to_string()]);
            let (schema, member_pointer, _) = self.deref(Node::of(member), &at)?;
            if self.makes_struct(&View::of(schema), &member_pointer, depth + 1)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The properties that every member of the union `part` declares (none when a member is not
    /// an object).
    fn declared_by_every_member(&self, part: &UnionPart<'a>) -> Result<BTreeSet<&'a str>, SpecError> {
        let mut common: Option<BTreeSet<&'a str>> = None;
        for (i, member) in part.spec.members.iter().enumerate() {
            let at = part.pointer.join([part.spec.keyword, &i.to_string()]);
            let (schema, member_pointer, _) = self.deref(Node::of(member), &at)?;
            let view = View::of(schema);
            if !self.makes_struct(&view, &member_pointer, 0)? {
                return Ok(BTreeSet::new());
            }
            let declared: BTreeSet<&'a str> = self.merge_object(&view, &member_pointer, &[])?.properties.keys().copied().collect();
            common = Some(match common {
                None => declared,
                Some(so_far) => so_far.intersection(&declared).copied().collect(),
            });
        }
        Ok(common.unwrap_or_default())
    }

    /// Whether every value of `narrow` is a value of `wide` (a string enum of a string).
    fn narrows(&self, narrow: &TypeRef, wide: &TypeRef) -> bool {
        matches!((narrow, wide), (TypeRef::Named(id), TypeRef::String) if self.is_enum(*id))
    }

    /// Collects the properties of an object schema and, recursively, of its `allOf` members.
    /// `stack` holds the pointers being merged, to report `allOf` cycles instead of looping.
    pub fn merge_object(&self, view: &View<'a>, pointer: &Pointer, stack: &[Pointer]) -> Result<MergedObject<'a>, SpecError> {
        self.merge_object_named(view, pointer, None, stack)
    }

    /// [`Self::merge_object`] for a schema that may be a component (its name names its union).
    fn merge_object_named(
        &self,
        view: &View<'a>,
        pointer: &Pointer,
        component: Option<&'a str>,
        stack: &[Pointer],
    ) -> Result<MergedObject<'a>, SpecError> {
        if stack.len() > MAX_DEPTH {
            return Err(SpecError::unsupported(pointer, format!("allOf nested deeper than {MAX_DEPTH} levels")));
        }
        let mut merged = MergedObject { properties: IndexMap::new(), required: BTreeSet::new(), unions: Vec::new() };
        let mut stack = stack.to_vec();
        stack.push(pointer.clone());
        for (i, member) in view.all_of.iter().enumerate() {
            let at = pointer.join(["allOf", &i.to_string()]);
            let (schema, member_pointer, member_component) = self.deref(Node::of(member), &at)?;
            if stack.contains(&member_pointer) {
                return Err(SpecError::invalid(at, format!("allOf cycle: `{member_pointer}` includes itself")));
            }
            let inner = self.merge_object_named(&View::of(schema), &member_pointer, member_component, &stack)?;
            merged.required.extend(inner.required);
            merged.properties.extend(inner.properties);
            merged.unions.extend(inner.unions);
        }
        if let Some(spec) = view.union() {
            let whole = view.properties.is_none() && view.additional.is_none() && view.all_of.is_empty();
            // `anyOf: [{required: [a]}, {required: [b]}]` beside the properties says which of
            // them must be present, and adds no shape: the struct has them all, optional.
            let presence_rules = spec.members.iter().all(|m| matches!(m, ReferenceOr::Item(s) if View::of(s).is_presence_rule()));
            if whole || !presence_rules {
                merged.unions.push(UnionPart { spec, pointer: pointer.clone(), component, whole });
            }
        }
        if let Some(properties) = view.properties {
            let at = pointer.push("properties");
            for (name, schema) in properties {
                merged.properties.insert(name, (Node::of_boxed(schema), at.push(name)));
            }
        }
        merged.required.extend(view.required.iter().map(String::as_str));
        Ok(merged)
    }

    fn lower_struct(
        &mut self,
        merged: MergedObject<'a>,
        description: Option<String>,
        pointer: &Pointer,
        hint: &str,
    ) -> Result<Lowered, SpecError> {
        // Added now so types are listed in the order they are first reached.
        let desired = self.desired_name(hint, pointer);
        let id = self.add_type(desired.clone(), pointer, pointer, description, TypeKind::Struct(Vec::new()));
        self.in_progress.insert(pointer.clone(), id);
        let fields = self.lower_fields(&merged, &desired);
        self.in_progress.remove(pointer);
        self.types[id.index()].kind = TypeKind::Struct(fields?);
        Ok(Lowered::plain(TypeRef::Named(id)))
    }

    fn lower_fields(&mut self, merged: &MergedObject<'a>, owner: &str) -> Result<Vec<Field>, SpecError> {
        let mut names = Namespace::default();
        let mut fields = Vec::with_capacity(merged.properties.len());
        // A property that every member of a mixed-in union declares is the variant's: serde
        // gives a key to the struct's own field first, so the flattened variant would miss it.
        let mut carried = BTreeSet::new();
        for part in &merged.unions {
            carried.extend(self.declared_by_every_member(part)?);
        }
        for (wire_name, (node, at)) in &merged.properties {
            if carried.contains(*wire_name) {
                continue;
            }
            let hint = format!("{owner}{}", camel_ident(wire_name));
            let lowered = self.lower(*node, at, &hint)?;
            let (schema, _, _) = self.deref(*node, at)?;
            let view = View::of(schema);
            let sensitive = self.is_sensitive(*node, at)?;
            let read_only = self.is_read_only(*node, at)?;
            // `readOnly` + `required` means required in responses only (OpenAPI 3.0): a type that
            // is also sent must not demand it, so it is optional and never sent when unset.
            let required = merged.required.contains(wire_name) && !read_only;
            fields.push(Field {
                wire_name: (*wire_name).to_owned(),
                rust_name: names.claim(snake_ident(wire_name)),
                ty: lowered.ty,
                optional: lowered.nullable || !required,
                required,
                sensitive,
                read_only,
                flatten: false,
                description: view.doc(),
            });
        }
        for part in &merged.unions {
            fields.push(self.lower_union_field(part, owner, &mut names)?);
        }
        Ok(fields)
    }
}

/// The type every value of an untyped `enum` has, when they agree (`enum: [1, 2]` is an integer).
fn enum_value_type(values: &[&serde_json::Value]) -> Option<TypeRef> {
    if values.iter().all(|v| v.is_boolean()) {
        Some(TypeRef::Boolean)
    } else if values.iter().all(|v| v.is_i64() || v.is_u64()) {
        Some(TypeRef::Integer)
    } else if values.iter().all(|v| v.is_number()) {
        Some(TypeRef::Number)
    } else {
        None
    }
}


/// `Option<ty>` for a list item or map value that may be `null` (free-form JSON holds `null`
/// already).
fn nullable_if(ty: TypeRef, nullable: bool) -> TypeRef {
    if nullable && ty != TypeRef::Json { TypeRef::Nullable(Box::new(ty)) } else { ty }
}

/// `Vec` and `BTreeMap` already give a recursive type its indirection.
fn unbox(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Boxed(id) => TypeRef::Named(id),
        other => other,
    }
}

/// The area module of a component schema's type, when the profile splits component names at
/// their first `_` (`iam_account_identifier` -> `iam`).
fn component_area(profile: &Profile, pointer: &Pointer) -> Option<RustIdent> {
    let (section, name) = pointer.component()?;
    if section != "schemas" {
        return None;
    }
    profile.component_prefix(&name).map(|(prefix, _)| snake_ident(prefix))
}

/// The schema a union's pointer belongs to: `.../x` for `.../x/oneOf` (or `anyOf`), where the
/// union is lowered; any other pointer is its own.
pub(super) fn union_schema(pointer: &Pointer) -> Cow<'_, Pointer> {
    let is_union = pointer.tokens().next_back().is_some_and(|last| last == "oneOf" || last == "anyOf");
    match is_union.then(|| pointer.parent()).flatten() {
        Some(schema) => Cow::Owned(schema),
        None => Cow::Borrowed(pointer),
    }
}

/// The name of a type whose schema is written inside a component, from its pointer alone (so it
/// does not depend on which operation reached it first): the component's name, then each
/// property name, `Item` for array items and `Value` for map values; inside `allOf` members
/// (which are merged) the member adds nothing. `None` outside `components`.
fn name_from_component_pointer(profile: &Profile, pointer: &Pointer, member: &dyn Fn(&Pointer, usize) -> Option<String>) -> Option<String> {
    let (section, name) = pointer.component()?;
    let mut out = if section == "schemas" { camel_ident(&component_type_name(profile, &name)) } else { camel_ident(&name) };
    let tokens: Vec<Cow<'_, str>> = pointer.tokens().skip(3).collect();
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i].as_ref() {
            "properties" if i + 1 < tokens.len() => {
                out.push_str(&camel_ident(&tokens[i + 1]));
                i += 1;
            }
            "items" => out.push_str("Item"),
            "additionalProperties" => out.push_str("Value"),
            // Inside an `allOf` member the member adds nothing (its properties are merged); a
            // member that is a type of its own (reached by a `$ref`) is `AllOf<i>`.
            "allOf" if i + 2 < tokens.len() => i += 1,
            // A union's member is named as its variant is (nothing for a lone member), by its
            // position only when the document lacks the list.
            word @ ("oneOf" | "anyOf") if i + 1 < tokens.len() => {
                // The list is the first `i + 4` tokens: `components`, the section, the name, ...
                let list = pointer.prefix(i + 4);
                match tokens[i + 1].parse::<usize>().ok().and_then(|n| member(&list, n)) {
                    Some(name) => out.push_str(&name),
                    None => out.push_str(&format!("{}{}", camel_ident(word), tokens[i + 1])),
                }
                i += 1;
            }
            "allOf" if i + 1 < tokens.len() => {
                out.push_str(&format!("AllOf{}", tokens[i + 1]));
                i += 1;
            }
            "schema" => {}
            "content" => i += 1,
            other => out.push_str(&camel_ident(other)),
        }
        i += 1;
    }
    Some(out)
}

/// The type name a component wants: without its area prefix when the profile splits them.
fn component_type_name(profile: &Profile, name: &str) -> String {
    profile.component_prefix(name).map_or(name, |(_, rest)| rest).to_owned()
}
