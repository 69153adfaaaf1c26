//! The features pass: which cargo features compile each type. A type is compiled by the features
//! of the areas whose operations reach it; a type most areas reach is shared and always compiled.

use std::collections::BTreeSet;

use super::reach::{operation_types, reach};
use crate::ir::{Area, TypeKind, TypeSpace};

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
