//! The naming pass: settles the final name of every generated type once all of them are known,
//! and makes the [`TypeSpace`] that the later passes (merging, features, directions) take.
//!
//! The lowering gives each type a provisional id, its module and the name it would like. Here
//! each type keeps that name unless another type of the same module wants it too (compared
//! ignoring ASCII case); then the one whose schema's JSON pointer sorts first keeps it and the
//! others get `2`, `3`, ... in pointer order. Names taken by the module's request builders and by
//! the prelude are never given to a type. Nothing depends on the order in which the spec was
//! walked, so adding a schema renames nothing unless it wants an existing name and its pointer
//! sorts first.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::schema::{Claim, RESERVED_TYPE_NAMES};
use crate::ir::{Area, ModulePath, TypeDef, TypeId, TypeSpace};

/// Names the types of the lowering (`types`, with the name each asks for in `claims`, by id),
/// leaving out the dropped ones; returns them as a space with final ids, and `areas` with their
/// references to types changed to those ids.
pub fn settle(types: Vec<TypeDef>, claims: &[Claim], mut areas: Vec<Area>) -> (TypeSpace, Vec<Area>) {
    // Names the request builders take in their modules.
    let mut taken: HashMap<ModulePath, BTreeSet<String>> = HashMap::new();
    for area in &areas {
        let builders = area.operations.iter().map(|op| op.builder_name.to_ascii_lowercase());
        let names = taken.entry(area.module_path()).or_default();
        names.extend(builders);
        names.insert(area.struct_name.to_ascii_lowercase());
        for resource in &area.resources {
            let module = resource.module_path(&area.module);
            let builders = resource.operations.iter().map(|op| op.builder_name.to_ascii_lowercase());
            taken.entry(module.clone()).or_default().extend(builders);
            taken.entry(module).or_default().insert(resource.struct_name.to_ascii_lowercase());
        }
    }
    let reserved: BTreeSet<String> = RESERVED_TYPE_NAMES.iter().map(|n| n.to_ascii_lowercase()).collect();

    let kept = || (0..types.len()).filter(|&i| !claims[i].dropped);
    let mut contenders: BTreeMap<(&ModulePath, String), Vec<usize>> = BTreeMap::new();
    for i in kept() {
        contenders.entry((&types[i].module, claims[i].desired.to_ascii_lowercase())).or_default().push(i);
    }
    let mut names: Vec<Option<String>> = vec![None; types.len()];
    // Plain names first, in every module, so a numbered name never takes a plain one.
    let mut numbered = Vec::new();
    for ((module, lower), group) in &mut contenders {
        group.sort_by(|&a, &b| claims[a].pointer.cmp(&claims[b].pointer));
        let used = taken.entry((*module).clone()).or_default();
        let mut rest = &group[..];
        if !used.contains(lower) && !reserved.contains(lower) {
            used.insert(lower.clone());
            names[group[0]] = Some(claims[group[0]].desired.clone());
            rest = &group[1..];
        }
        numbered.extend(rest.iter().copied());
    }
    for i in numbered {
        let used = taken.entry(types[i].module.clone()).or_default();
        let desired = &claims[i].desired;
        let mut n = 2;
        while used.contains(&format!("{desired}{n}").to_ascii_lowercase()) {
            n += 1;
        }
        let name = format!("{desired}{n}");
        used.insert(name.to_ascii_lowercase());
        names[i] = Some(name);
    }

    // Final ids: the kept types in path order.
    let mut defs: Vec<(usize, TypeDef)> = types.into_iter().enumerate().filter(|&(i, _)| !claims[i].dropped).collect();
    for (i, def) in &mut defs {
        def.name = names[*i].take().unwrap_or_default();
    }
    defs.sort_by_cached_key(|(_, def)| def.path());
    let mut final_id = vec![TypeId(u32::MAX); claims.len()];
    for (new, (old, _)) in defs.iter().enumerate() {
        final_id[*old] = TypeId::at(new);
    }
    let remap = |id: TypeId| final_id[id.index()];
    let mut defs: Vec<TypeDef> = defs.into_iter().map(|(_, def)| def).collect();
    defs.iter_mut().for_each(|def| def.remap(&remap));
    for op in areas.iter_mut().flat_map(Area::all_operations_mut) {
        op.for_each_type_mut(&mut |ty| ty.remap(&remap));
    }
    (TypeSpace::new(defs), areas)
}
