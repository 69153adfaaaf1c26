//! The features pass: which cargo features compile each type. A type is compiled by the features
//! of the areas whose operations reach it; a type most areas reach is shared and always compiled.
//!
//! An area's module is compiled only with the area's feature, so a type defined there that
//! another area reaches (an operation whose response is a `$ref` to another operation's
//! response, as DigitalOcean writes them) moves to [`ModulePath::shared`], where its own `cfg` says
//! when it is compiled: each area then builds alone.

use std::collections::{BTreeSet, HashMap};

use super::dedupe::shared_names;
use super::reach::{operation_types, reach};
use crate::ir::{Area, ModulePath, TypeKind, TypeSpace};

/// A type reached by more areas than this is compiled whatever the features.
const SHARED_BEYOND: usize = 12;

/// Gives each type the features of the areas that reach it (none when it is shared). Reachability
/// follows an alias to its canonical type, which must be compiled wherever an alias is used; an
/// alias is then compiled exactly when its canonical type is (an alias that only a merged
/// definition used is reached by nothing).
pub fn assign_features(types: &mut TypeSpace, areas: &[Area]) {
    let mut reached_by: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); types.len()];
    for area in areas {
        let roots = area
            .all_operations()
            .flat_map(|op| {
                let (sent, received) = operation_types(op);
                sent.into_iter().chain(received)
            })
            .collect();
        reach(types, roots, |id| reached_by[id.index()].insert(&area.feature));
    }
    leave_area_modules_reached_from_elsewhere(types, areas, &reached_by);
    let features: Vec<Vec<String>> = reached_by
        .into_iter()
        .map(|set| if set.len() > SHARED_BEYOND { Vec::new() } else { set.into_iter().map(str::to_owned).collect() })
        .collect();
    for (def, features) in types.iter_mut().zip(features) {
        def.features = features;
    }
    let ids: Vec<_> = types.ids().collect();
    for id in ids {
        if let TypeKind::Alias(target) = types[id].kind {
            if !matches!(types[target].kind, TypeKind::Alias(_)) {
                types[id].features = types[target].features.clone();
            }
        }
    }
}

/// Moves each type of an area's module that other areas reach too to [`ModulePath::shared`], under
/// its own name where that is free there (see the module doc). Types are visited in the space's
/// order (by path), so the names do not depend on spec order.
fn leave_area_modules_reached_from_elsewhere(types: &mut TypeSpace, areas: &[Area], reached_by: &[BTreeSet<&str>]) {
    let features: HashMap<&str, &str> = areas.iter().map(|a| (a.module.as_str(), a.feature.as_str())).collect();
    let moving: Vec<_> = types
        .ids()
        .filter(|&id| {
            let area = types[id].module.area();
            area.and_then(|area| features.get(area)).is_some_and(|&own| reached_by[id.index()].iter().any(|&feature| feature != own))
        })
        .collect();
    if moving.is_empty() {
        return;
    }
    let mut names = shared_names(types);
    let renamed: Vec<String> = moving.iter().map(|&id| names.claim_camel(types[id].name.clone())).collect();
    types.place(moving.into_iter().zip(renamed).map(|(id, name)| (id, ModulePath::shared(), name)));
}
