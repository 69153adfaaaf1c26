//! Settles the final name, module and cargo features of every generated type, once all of them
//! are known.
//!
//! The lowering gives each type a provisional id and the name it would like. Here each type
//! keeps that name unless another type of the same module wants it too (compared ignoring ASCII
//! case); then the one whose schema's JSON pointer sorts first keeps it and the others get `2`,
//! `3`, ... in pointer order. Names taken by the module's request builders and by the prelude
//! are never given to a type. Nothing depends on the order in which the spec was walked, so
//! adding a schema renames nothing unless it wants an existing name and its pointer sorts first.
//!
//! A type is compiled by the cargo features of the areas whose operations reach it; a type most
//! areas reach is shared and always compiled.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::schema::{Claim, RESERVED_TYPE_NAMES};
use crate::ir::{Area, Body, BodyKind, Operation, Response, TypeDef, TypeKind, TypeRef};

/// A type reached by more areas than this is compiled whatever the features.
const SHARED_BEYOND: usize = 12;

/// Renames the provisional ids in `types` and `areas` to final paths; returns the types sorted by
/// path. Their features are given afterwards by [`assign_features`].
pub fn settle(mut types: Vec<TypeDef>, claims: &[Claim], mut areas: Vec<Area>) -> (Vec<TypeDef>, Vec<Area>) {
    // Names the request builders take in their modules.
    let mut taken: HashMap<String, BTreeSet<String>> = HashMap::new();
    for area in &areas {
        let builders = area.operations.iter().map(|op| op.builder_name.to_ascii_lowercase());
        taken.entry(area.module.clone()).or_default().extend(builders);
        taken.entry(area.module.clone()).or_default().insert(area.struct_name.to_ascii_lowercase());
        for resource in &area.resources {
            let module = format!("{}::{}", area.module, resource.module);
            let builders = resource.operations.iter().map(|op| op.builder_name.to_ascii_lowercase());
            taken.entry(module.clone()).or_default().extend(builders);
            taken.entry(module).or_default().insert(resource.struct_name.to_ascii_lowercase());
        }
    }
    let reserved: BTreeSet<String> = RESERVED_TYPE_NAMES.iter().map(|n| n.to_ascii_lowercase()).collect();

    let mut contenders: BTreeMap<(&str, String), Vec<&Claim>> = BTreeMap::new();
    for claim in claims {
        contenders.entry((claim.module.as_str(), claim.desired.to_ascii_lowercase())).or_default().push(claim);
    }
    let mut paths: HashMap<&str, String> = HashMap::new();
    // Plain names first, in every module, so a numbered name never takes a plain one.
    let mut numbered = Vec::new();
    for ((module, lower), group) in &mut contenders {
        group.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        let used = taken.entry((*module).to_owned()).or_default();
        let mut rest = &group[..];
        if !used.contains(lower) && !reserved.contains(lower) {
            used.insert(lower.clone());
            paths.insert(&group[0].id, format!("{module}::{}", group[0].desired));
            rest = &group[1..];
        }
        numbered.extend(rest.iter().copied());
    }
    for claim in numbered {
        let used = taken.entry(claim.module.clone()).or_default();
        let mut n = 2;
        while used.contains(&format!("{}{n}", claim.desired).to_ascii_lowercase()) {
            n += 1;
        }
        let name = format!("{}{n}", claim.desired);
        used.insert(name.to_ascii_lowercase());
        paths.insert(&claim.id, format!("{}::{name}", claim.module));
    }

    let rename = |ty: &mut TypeRef| rename_in(ty, &paths);
    for def in &mut types {
        def.path = paths[def.path.as_str()].clone();
        def.name = def.path.rsplit("::").next().unwrap_or_default().to_owned();
        match &mut def.kind {
            TypeKind::Struct(fields) => fields.iter_mut().for_each(|f| rename(&mut f.ty)),
            TypeKind::Union(union) => union.variants.iter_mut().for_each(|v| rename(&mut v.ty)),
            TypeKind::Enum(_) | TypeKind::Alias(_) => {}
        }
    }
    for area in &mut areas {
        let operations = area.operations.iter_mut().chain(area.resources.iter_mut().flat_map(|r| r.operations.iter_mut()));
        for op in operations {
            for_each_type_mut(op, &rename);
        }
    }

    types.sort_by(|a, b| a.path.cmp(&b.path));
    (types, areas)
}

fn rename_in(ty: &mut TypeRef, paths: &HashMap<&str, String>) {
    match ty {
        TypeRef::Named(id) | TypeRef::Boxed(id) => {
            if let Some(path) = paths.get(id.as_str()) {
                *id = path.clone();
            }
        }
        TypeRef::Array(item) | TypeRef::Map(item) | TypeRef::Nullable(item) => rename_in(item, paths),
        _ => {}
    }
}

/// Calls `f` on every type an operation mentions directly.
fn for_each_type_mut(op: &mut Operation, f: &dyn Fn(&mut TypeRef)) {
    for param in op.path_params.iter_mut().chain(op.params.iter_mut()) {
        f(&mut param.ty);
    }
    if let Some(Body { kind: BodyKind::Json(ty) | BodyKind::Form(ty, _), .. }) = &mut op.body {
        f(ty);
    }
    match &mut op.response {
        Response::Envelope { result: Some(ty), .. } | Response::Json(ty) => f(ty),
        _ => {}
    }
    if let Some(pagination) = &mut op.pagination {
        f(&mut pagination.item);
    }
}

fn named_in<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
    match ty {
        TypeRef::Named(path) | TypeRef::Boxed(path) => out.push(path),
        TypeRef::Array(item) | TypeRef::Map(item) | TypeRef::Nullable(item) => named_in(item, out),
        _ => {}
    }
}

/// The types an operation names directly: those it sends (parameters and JSON or form body) and those
/// it receives (its success result).
fn operation_types(op: &Operation) -> (Vec<&str>, Vec<&str>) {
    let (mut sent, mut received) = (Vec::new(), Vec::new());
    for param in op.path_params.iter().chain(&op.params) {
        named_in(&param.ty, &mut sent);
    }
    if let Some(Body { kind: BodyKind::Json(ty) | BodyKind::Form(ty, _), .. }) = &op.body {
        named_in(ty, &mut sent);
    }
    if let Response::Envelope { result: Some(ty), .. } | Response::Json(ty) = &op.response {
        named_in(ty, &mut received);
    }
    (sent, received)
}

/// Visits every type reachable from `roots` through fields, union members and aliases (an alias
/// reaches its target). `visit(i)` returns false when type `i` was seen before, which ends that
/// branch.
fn reach<'t>(types: &'t [TypeDef], index: &HashMap<&str, usize>, roots: Vec<&'t str>, mut visit: impl FnMut(usize) -> bool) {
    let mut stack: Vec<usize> = roots.into_iter().filter_map(|p| index.get(p).copied()).collect();
    while let Some(i) = stack.pop() {
        if !visit(i) {
            continue;
        }
        let mut inner = Vec::new();
        match &types[i].kind {
            TypeKind::Struct(fields) => fields.iter().for_each(|f| named_in(&f.ty, &mut inner)),
            TypeKind::Union(union) => union.variants.iter().for_each(|v| named_in(&v.ty, &mut inner)),
            TypeKind::Alias(target) => inner.push(target),
            TypeKind::Enum(_) => {}
        }
        stack.extend(inner.into_iter().filter_map(|p| index.get(p).copied()));
    }
}

fn all_operations(area: &Area) -> impl Iterator<Item = &Operation> {
    area.operations.iter().chain(area.resources.iter().flat_map(|r| r.operations.iter()))
}

/// Gives each type the features of the areas that reach it (none when it is shared).
pub fn assign_features(types: &mut [TypeDef], areas: &[Area]) {
    let index: HashMap<&str, usize> = types.iter().enumerate().map(|(i, t)| (t.path.as_str(), i)).collect();
    let mut reached_by: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); types.len()];
    for area in areas {
        let roots = all_operations(area)
            .flat_map(|op| {
                let (sent, received) = operation_types(op);
                sent.into_iter().chain(received)
            })
            .collect();
        reach(types, &index, roots, |i| reached_by[i].insert(&area.feature));
    }
    let features: Vec<Vec<String>> = reached_by
        .into_iter()
        .map(|set| if set.len() > SHARED_BEYOND { Vec::new() } else { set.into_iter().map(str::to_owned).collect() })
        .collect();
    for (def, features) in types.iter_mut().zip(features) {
        def.features = features;
    }
}

/// Marks which way each type travels, so that it derives `Serialize` only when some request
/// sends it and `Deserialize` only when some response carries it: serde's derives are much of
/// a large API's compile time. A type nothing reaches travels both ways.
pub fn assign_directions(types: &mut [TypeDef], areas: &[Area]) {
    let index: HashMap<&str, usize> = types.iter().enumerate().map(|(i, t)| (t.path.as_str(), i)).collect();
    let (mut sent_roots, mut received_roots) = (Vec::new(), Vec::new());
    for op in areas.iter().flat_map(all_operations) {
        let (sent, received) = operation_types(op);
        sent_roots.extend(sent);
        received_roots.extend(received);
    }
    let mut sent = vec![false; types.len()];
    let mut received = vec![false; types.len()];
    reach(types, &index, sent_roots, |i| !std::mem::replace(&mut sent[i], true));
    reach(types, &index, received_roots, |i| !std::mem::replace(&mut received[i], true));
    for (i, def) in types.iter_mut().enumerate() {
        let neither = !sent[i] && !received[i];
        def.directions = crate::ir::Directions { sent: sent[i] || neither, received: received[i] || neither };
    }
}
