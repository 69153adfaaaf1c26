//! Which generated types the operations reach, for the passes that follow references: the cargo
//! features of a type ([`super::features`]) and which serde traits it derives
//! ([`super::directions`]).

use crate::ir::{Body, BodyKind, Operation, Response, TypeId, TypeSpace};

/// The types an operation names directly: those it sends (parameters and JSON or form body) and
/// those it receives (its success result).
pub fn operation_types(op: &Operation) -> (Vec<TypeId>, Vec<TypeId>) {
    let sent = op.path_params.iter().chain(&op.params).filter_map(|p| p.ty.named());
    let body = match &op.body {
        Some(Body { kind: BodyKind::Json(ty) | BodyKind::Form(ty, _), .. }) => ty.named(),
        _ => None,
    };
    let received = match &op.response {
        Response::Envelope { result: Some(ty), .. } | Response::Json(ty) => ty.named(),
        _ => None,
    };
    (sent.chain(body).collect(), received.into_iter().collect())
}

/// Visits every type reachable from `roots` through fields, union members and aliases (an alias
/// reaches its target). `visit(id)` returns false when the type was seen before, which ends that
/// branch.
pub fn reach(types: &TypeSpace, roots: Vec<TypeId>, mut visit: impl FnMut(TypeId) -> bool) {
    let mut stack = roots;
    while let Some(id) = stack.pop() {
        if visit(id) {
            stack.extend(types[id].mentions());
        }
    }
}
