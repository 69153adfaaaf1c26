//! The directions pass: marks which way each type travels, so that it derives `Serialize` only
//! when some request sends it and `Deserialize` only when some response carries it: serde's
//! derives are much of a large API's compile time. A type nothing reaches travels both ways.

use super::reach::{operation_types, reach};
use crate::ir::{Area, Directions, TypeSpace};

/// Gives each type its [`Directions`].
pub fn assign_directions(types: &mut TypeSpace, areas: &[Area]) {
    let (mut sent_roots, mut received_roots) = (Vec::new(), Vec::new());
    for op in areas.iter().flat_map(Area::all_operations) {
        let (sent, received) = operation_types(op);
        sent_roots.extend(sent);
        received_roots.extend(received);
    }
    let mut sent = vec![false; types.len()];
    let mut received = vec![false; types.len()];
    reach(types, sent_roots, |id| !std::mem::replace(&mut sent[id.index()], true));
    reach(types, received_roots, |id| !std::mem::replace(&mut received[id.index()], true));
    for (i, def) in types.iter_mut().enumerate() {
        let neither = !sent[i] && !received[i];
        def.directions = Directions { sent: sent[i] || neither, received: received[i] || neither };
    }
}
