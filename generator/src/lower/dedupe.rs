//! Types that are structurally identical are defined once; the others become type aliases of it.
//!
//! Specs repeat themselves: the same `format` enum or `{id, name}` object is written inline in
//! hundreds of operations, and each copy is its own type with its own name. Every name stays (a
//! public name is a promise), but only one type of each group keeps a definition, the
//! *canonical* one; every other becomes `pub type Other = path::Canonical;` with its own name,
//! module and doc comment. References elsewhere keep the name they had, so the public listing only
//! changes in saying what is an alias.
//!
//! Two types are identical when everything that shapes the generated code is: kind, field wire
//! and Rust names, types, required/optional, read-only, flattening, sensitivity, enum values,
//! union members and tagging. Documentation and the type's own name do not count. References
//! compare by the group of the type referred to, so merging leaves lets their parents merge; the
//! groups are found by refinement (start with everything in one group, split by shape until
//! nothing splits), which also merges identical recursive types.
//!
//! No type is an alias of another product's inner type: when the inner (not whole-component)
//! schemas of a group sit in several modules, the shape is defined once more, in
//! [`ModulePath::shared`], named after the shape (`IdShape`, `JsonOrCsv`) and keeping only the field
//! and variant docs all members agree on, and every member (a component too) is an alias of it.
//! A shape's name does not depend on which schemas have it (two shapes that want one name are
//! numbered in the order of their smallest JSON pointers), so a new copy renames nothing.
//!
//! Otherwise, where the canonical type may live: an area's module is compiled only with the
//! area's feature, so an alias may only point into `types` (compiled whenever its own `cfg` says)
//! or into its own area. A group with members in `types` is merged into one of those; otherwise
//! each area's members are merged among themselves.
//!
//! Which one is canonical depends only on the group, never on the order the spec was walked
//! (names that last): a whole component schema (`#/components/schemas/<name>`) before an inline
//! one, then the smallest JSON pointer in byte order.
//!
//! What cannot be used through an alias, and so is never made one: a tuple struct's constructor
//! (the IR has none: every struct is braced). Braced struct literals, field access, enum variants
//! in expressions and patterns and inherent methods all work through an alias. What differs for
//! a user: importing an enum's variants with `use Alias::*` does not compile (the generated code
//! never does it), one trait cannot be implemented for two aliases of one type, and `Debug`
//! prints the canonical type's name.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use super::schema::{RESERVED_TYPE_NAMES, union_schema};
use crate::ir::{Field, ModulePath, Tagging, TypeDef, TypeId, TypeKind, TypeRef, TypeSpace, Union, UnionVariant, Variant};
use crate::naming::{Namespace, camel_ident};
use crate::pointer::Pointer;
use crate::report::Merged;

/// Turns every type that is identical to another one into an alias of its group's canonical
/// type (see the module doc); returns how many were merged. May add types to
/// [`ModulePath::shared`].
pub fn merge_identical(types: &mut TypeSpace) -> Merged {
    let groups = identical_groups(types);
    let mut aliases: Vec<(TypeId, TypeId)> = Vec::new();
    // Groups whose inner schemas sit in several modules: (members, the member whose shape is copied).
    let mut shared_groups: Vec<(Vec<TypeId>, TypeId)> = Vec::new();
    for group in groups.into_values().filter(|g| g.len() > 1) {
        let inner_modules: BTreeSet<&ModulePath> =
            group.iter().filter(|&&i| !is_component_schema(&types[i].source)).map(|&i| &types[i].module).collect();
        if inner_modules.len() > 1 {
            if let Some(model) = first_by_rule(types, &group) {
                shared_groups.push((group, model));
            }
            continue;
        }
        // A type outside every area's module (in `types`) is compiled whatever the features.
        let (shared, local): (Vec<TypeId>, Vec<TypeId>) = group.into_iter().partition(|&i| types[i].module.area().is_none());
        if let Some(canonical) = first_by_rule(types, &shared) {
            aliases.extend(shared.iter().chain(&local).filter(|&&i| i != canonical).map(|&i| (i, canonical)));
            continue;
        }
        let mut by_area: BTreeMap<&str, Vec<TypeId>> = BTreeMap::new();
        for i in local {
            by_area.entry(types[i].module.area().unwrap_or_default()).or_default().push(i);
        }
        for members in by_area.into_values() {
            if let Some(canonical) = first_by_rule(types, &members) {
                aliases.extend(members.iter().filter(|&&i| i != canonical).map(|&i| (i, canonical)));
            }
        }
    }
    let canonicals: BTreeSet<TypeId> = aliases.iter().map(|&(_, canonical)| canonical).collect();
    let merged = Merged { aliases: aliases.len() + shared_groups.iter().map(|(g, _)| g.len()).sum::<usize>(), canonicals: canonicals.len() + shared_groups.len() };
    for (alias, canonical) in aliases {
        types[alias].kind = TypeKind::Alias(canonical);
    }
    add_shared(types, shared_groups);
    shared_through_no_alias(types);
    merged
}

/// Points the references of every shared type at the types themselves, not at aliases: a shared
/// type is compiled with the features of all the products that use it, and an alias in one
/// product's module (`accounts::CreateBodyMetadataString`, say, an alias of `shared::Empty`) is
/// compiled only with that product's, so a crate built with another product alone would miss it.
fn shared_through_no_alias(types: &mut TypeSpace) {
    let resolve = |mut id: TypeId| {
        // Alias chains are short and end: every alias points at a type that is not merged again.
        while let TypeKind::Alias(target) = types[id].kind {
            id = target;
        }
        id
    };
    let targets: Vec<TypeId> = (0..types.len()).map(|i| resolve(TypeId::at(i))).collect();
    for def in types.iter_mut().filter(|def| def.module.is_shared()) {
        def.remap(&|id| targets[id.index()]);
    }
}

/// The names a type added to [`ModulePath::shared`] may not take: those of the types already there,
/// and the ones every module reserves.
pub(super) fn shared_names(types: &TypeSpace) -> Namespace<'static> {
    let mut names = Namespace::with_reserved(RESERVED_TYPE_NAMES);
    for def in types.iter().filter(|t| t.module.is_shared()) {
        names.reserve(&def.name);
    }
    names
}

/// Defines each group's shape once in [`ModulePath::shared`], named after the shape, and makes every
/// member an alias of it. Two shapes that want one name are numbered in the order of their
/// members' smallest JSON pointers.
fn add_shared(types: &mut TypeSpace, mut groups: Vec<(Vec<TypeId>, TypeId)>) {
    if groups.is_empty() {
        return;
    }
    let smallest = |members: &[TypeId], types: &TypeSpace| members.iter().map(|&i| types[i].source.clone()).min().unwrap_or_default();
    groups.sort_by_cached_key(|(members, _)| smallest(members, types));
    let mut names = shared_names(types);
    let mut added = Vec::with_capacity(groups.len());
    for (members, model) in groups {
        let name = names.claim_camel(shape_name(&types[model]));
        let id = TypeId::at(types.len() + added.len());
        let first = &types[model];
        added.push(TypeDef {
            module: ModulePath::shared(),
            name,
            features: Vec::new(),
            description: None,
            source: first.source.clone(),
            context: format!("The shape that {} types of different operations and components share.", members.len()),
            kind: common_docs(types, &members, model),
            directions: first.directions,
        });
        for i in members {
            types[i].kind = TypeKind::Alias(id);
        }
    }
    types.extend(added);
}

/// The kind of `types[model]` with only the field and variant docs that every member agrees on:
/// a shared type speaks for no one product.
fn common_docs(types: &TypeSpace, members: &[TypeId], model: TypeId) -> TypeKind {
    let mut kind = types[model].kind.clone();
    let agree = |doc: &Option<String>, of: &dyn Fn(&TypeKind) -> Option<Option<String>>| {
        members.iter().all(|&i| of(&types[i].kind).as_ref() == Some(doc))
    };
    match &mut kind {
        TypeKind::Struct(fields) => {
            for (n, field) in fields.iter_mut().enumerate() {
                let of = |k: &TypeKind| match k {
                    TypeKind::Struct(f) => f.get(n).map(|f| f.description.clone()),
                    _ => None,
                };
                if !agree(&field.description, &of) {
                    field.description = None;
                }
            }
        }
        TypeKind::Union(union) => {
            for (n, variant) in union.variants.iter_mut().enumerate() {
                let of = |k: &TypeKind| match k {
                    TypeKind::Union(u) => u.variants.get(n).map(|v| v.description.clone()),
                    _ => None,
                };
                if !agree(&variant.description, &of) {
                    variant.description = None;
                }
            }
        }
        TypeKind::Enum(_) | TypeKind::Alias(_) => {}
    }
    kind
}

/// A name from what a shared type looks like: its first properties (`IdNameShape`), its first
/// values (`JsonOrCsv`) or its first variants; `Etc` when there are more.
fn shape_name(def: &TypeDef) -> String {
    const SHOWN: usize = 3;
    let (words, joiner, suffix): (Vec<&str>, &str, &str) = match &def.kind {
        TypeKind::Struct(fields) => (fields.iter().map(|f| if f.flatten { "variant" } else { f.wire_name.as_str() }).collect(), "_", "Shape"),
        TypeKind::Enum(variants) => (variants.iter().map(|v| v.wire_name.as_str()).collect(), "_or_", ""),
        TypeKind::Union(union) => (union.variants.iter().map(|v| v.rust_name.as_str()).collect(), "_or_", ""),
        TypeKind::Alias(_) => (Vec::new(), "", "Value"),
    };
    let mut text = words.iter().take(SHOWN).map(|w| if w.is_empty() { "empty" } else { w }).collect::<Vec<_>>().join(joiner);
    if words.len() > SHOWN {
        text.push_str("_etc");
    }
    camel_ident(&format!("{text}_{suffix}"))
}

/// The groups of identical types, keyed by an arbitrary group number.
fn identical_groups(types: &TypeSpace) -> BTreeMap<usize, Vec<TypeId>> {
    // What rounds do not change is read once: each type's shape, as text without the types it
    // refers to, and those types in order. Equal shapes share a number.
    let keys = crate::parallel::map(types.len(), |i| {
        let mut refs = Vec::new();
        (shape_key(&types[TypeId::at(i)], &mut refs), refs)
    });
    let mut shape_numbers: HashMap<String, usize> = HashMap::new();
    let shapes: Vec<(usize, Vec<TypeId>)> = keys
        .into_iter()
        .map(|(text, refs)| {
            let fresh = shape_numbers.len();
            (*shape_numbers.entry(text).or_insert(fresh), refs)
        })
        .collect();
    // Each round splits groups whose members differ in shape or in the groups they refer to; a
    // round that splits nothing is the fixpoint. Keys carry the old group, so groups only split.
    let mut group = vec![0usize; types.len()];
    let mut count = 1;
    loop {
        let mut numbers: HashMap<(usize, usize, Vec<usize>), usize> = HashMap::new();
        let next: Vec<usize> = shapes
            .iter()
            .zip(&group)
            .map(|((shape, refs), &own)| {
                let key = (own, *shape, refs.iter().map(|id| group[id.index()]).collect());
                let fresh = numbers.len();
                *numbers.entry(key).or_insert(fresh)
            })
            .collect();
        let settled = numbers.len() == count;
        count = numbers.len();
        group = next;
        if settled {
            break;
        }
    }
    let mut groups: BTreeMap<usize, Vec<TypeId>> = BTreeMap::new();
    for (i, g) in group.into_iter().enumerate() {
        groups.entry(g).or_default().push(TypeId::at(i));
    }
    groups
}

/// Everything about `def` that shapes its generated code, but the types it refers to: those are
/// pushed to `refs`, in order, each marked in the text where it stands. Destructured in full so
/// that a field added to the IR must be considered here.
fn shape_key(def: &TypeDef, refs: &mut Vec<TypeId>) -> String {
    let mut key = String::new();
    match &def.kind {
        TypeKind::Struct(fields) => {
            key.push('S');
            for field in fields {
                let Field { wire_name, rust_name, ty, optional, required, sensitive, read_only, flatten, description: _ } = field;
                let _ = write!(key, "({wire_name:?} {rust_name:?} {optional} {required} {sensitive} {read_only} {flatten} ");
                type_key(ty, refs, &mut key);
                key.push(')');
            }
        }
        TypeKind::Enum(variants) => {
            key.push('E');
            for Variant { wire_name, rust_name } in variants {
                let _ = write!(key, "({wire_name:?} {rust_name:?})");
            }
        }
        TypeKind::Union(Union { tagging, variants }) => {
            match tagging {
                Tagging::Tagged { property } => _ = write!(key, "T{property:?}"),
                Tagging::Untagged => key.push('U'),
            }
            for UnionVariant { rust_name, ty, tag, description: _ } in variants {
                let _ = write!(key, "({rust_name:?} {tag:?} ");
                type_key(ty, refs, &mut key);
                key.push(')');
            }
        }
        TypeKind::Alias(target) => {
            key.push('A');
            type_key(&TypeRef::Named(*target), refs, &mut key);
        }
    }
    key
}

fn type_key(ty: &TypeRef, refs: &mut Vec<TypeId>, key: &mut String) {
    match ty {
        TypeRef::String => key.push('s'),
        TypeRef::Integer => key.push('i'),
        TypeRef::Number => key.push('n'),
        TypeRef::Unsigned => key.push('u'),
        TypeRef::Boolean => key.push('b'),
        TypeRef::Json => key.push('j'),
        TypeRef::Array(item) => {
            key.push('[');
            type_key(item, refs, key);
            key.push(']');
        }
        TypeRef::Map(value) => {
            key.push('{');
            type_key(value, refs, key);
            key.push('}');
        }
        TypeRef::Nullable(inner) => {
            key.push('?');
            type_key(inner, refs, key);
        }
        TypeRef::Named(id) => {
            key.push('N');
            refs.push(*id);
        }
        TypeRef::Boxed(id) => {
            key.push('B');
            refs.push(*id);
        }
    }
}

/// The canonical member of `members`: a whole component schema first, then the smallest pointer
/// (the path breaks a tie, for two types lowered from one pointer).
fn first_by_rule(types: &TypeSpace, members: &[TypeId]) -> Option<TypeId> {
    members.iter().copied().min_by_key(|&i| (!is_component_schema(&types[i].source), &types[i].source, types[i].path()))
}

/// `/components/schemas/<name>` itself (a union is lowered at its `oneOf`/`anyOf`).
fn is_component_schema(source: &Pointer) -> bool {
    union_schema(source).component_name("schemas").is_some_and(|name| !name.is_empty())
}
