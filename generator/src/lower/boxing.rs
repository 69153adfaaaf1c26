//! Large types are held through a `Box`: a field or union member whose type would take more than
//! [`LARGE`] bytes inline is `Box<T>`.
//!
//! Rust lays a struct's fields out inline, so a type that holds optional copies of other big
//! types (Stripe's `Customer` holds its default source, which may be an `Account`, which holds
//! ...) grows with everything under it: unboxed, Stripe's `Customer` took 295 KB, and decoding
//! one in a debug build overflowed the main thread's 8 MB stack. Boxed above [`LARGE`] bytes,
//! each value holds at most a few of its own fields' worth, and types stay small wherever the
//! spec nests deeply. Types under the limit keep their fields inline, as before: most APIs
//! (Cloudflare's whole 2024 schema included) have none above it.
//!
//! The sizes are estimates of `std::mem::size_of` on a 64-bit target (strings, vectors and maps
//! 24 bytes, an `Option` 8 more, a union its largest member and a tag), computed from the leaves
//! up; a field's own boxing counts as 8 bytes. They depend on the types only, not on spec order.

use crate::ir::{TypeId, TypeKind, TypeRef, TypeSpace};

/// Above this many bytes, a type is held through a `Box` where another type contains it.
pub const LARGE: usize = 4096;

/// Boxes every field and union member whose named type is larger than [`LARGE`] (see the module
/// doc).
pub fn box_large_types(types: &mut TypeSpace) {
    let mut sizes: Vec<Option<usize>> = vec![None; types.len()];
    let ids: Vec<TypeId> = types.ids().collect();
    for id in ids {
        size_of(types, id, &mut sizes);
    }
}

/// The estimated size of `id` once its own large members are boxed; boxes them on the way.
fn size_of(types: &mut TypeSpace, id: TypeId, sizes: &mut Vec<Option<usize>>) -> usize {
    if let Some(size) = sizes[id.index()] {
        return size;
    }
    // A type reached again while its size is computed holds itself through a `Box` already (the
    // lowering boxes cycles); counting it as a pointer ends the walk.
    sizes[id.index()] = Some(8);
    // Taken out while its members are sized (which may look at other types), then put back; a
    // type whose size is being computed is never looked at again (its size is already set).
    let mut kind = std::mem::replace(&mut types[id].kind, TypeKind::Enum(Vec::new()));
    let size = match &mut kind {
        TypeKind::Alias(target) => size_of(types, *target, sizes),
        // A unit variant per value and a `String` for the unknown one.
        TypeKind::Enum(_) => 32,
        TypeKind::Struct(fields) => {
            let inline: usize = fields.iter_mut().map(|field| held(types, &mut field.ty, sizes) + if field.optional { 8 } else { 0 }).sum();
            inline.max(1)
        }
        TypeKind::Union(union) => union.variants.iter_mut().map(|variant| held(types, &mut variant.ty, sizes)).max().unwrap_or(0) + 8,
    };
    types[id].kind = kind;
    sizes[id.index()] = Some(size);
    size
}

/// The inline size of a value of `ty`, after boxing it if it names a type above [`LARGE`].
fn held(types: &mut TypeSpace, ty: &mut TypeRef, sizes: &mut Vec<Option<usize>>) -> usize {
    match ty {
        TypeRef::Named(id) => {
            let id = *id;
            match size_of(types, id, sizes) {
                size if size > LARGE => {
                    *ty = TypeRef::Boxed(id);
                    8
                }
                size => size,
            }
        }
        TypeRef::Nullable(inner) => held(types, inner, sizes) + 8,
        TypeRef::Boxed(_) => 8,
        TypeRef::Boolean => 1,
        TypeRef::Integer | TypeRef::Number | TypeRef::Unsigned => 8,
        TypeRef::String | TypeRef::Array(_) | TypeRef::Map(_) => 24,
        TypeRef::Json => 32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Directions, Field, TypeDef};
    use crate::pointer::Pointer;

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            wire_name: name.to_owned(),
            rust_name: crate::naming::snake_ident(name),
            ty,
            optional: true,
            required: false,
            sensitive: false,
            read_only: false,
            flatten: false,
            description: None,
        }
    }

    fn def(name: &str, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            module: crate::ir::ModulePath::types(),
            name: name.to_owned(),
            features: Vec::new(),
            description: None,
            source: Pointer::from_tokens(["components", "schemas", name]),
            context: String::new(),
            kind: TypeKind::Struct(fields),
            directions: Directions::default(),
        }
    }

    #[test]
    fn only_types_above_the_limit_are_boxed() {
        // `Big` has 200 string fields (4,800 bytes), `Small` one; `Holder` holds both.
        let big = def("Big", (0..200).map(|i| field(&format!("f{i}"), TypeRef::String)).collect());
        let small = def("Small", vec![field("a", TypeRef::String)]);
        let holder = def(
            "Holder",
            vec![
                field("big", TypeRef::Named(TypeId::at(0))),
                field("small", TypeRef::Named(TypeId::at(1))),
                field("bigs", TypeRef::Array(Box::new(TypeRef::Named(TypeId::at(0))))),
            ],
        );
        let mut types = TypeSpace::new(vec![big, small, holder]);
        box_large_types(&mut types);
        let TypeKind::Struct(fields) = &types[TypeId::at(2)].kind else { panic!("a struct") };
        assert_eq!(fields[0].ty, TypeRef::Boxed(TypeId::at(0)), "above the limit");
        assert_eq!(fields[1].ty, TypeRef::Named(TypeId::at(1)), "under it");
        assert_eq!(fields[2].ty, TypeRef::Array(Box::new(TypeRef::Named(TypeId::at(0)))), "a Vec holds its items on the heap");
    }

    #[test]
    fn nesting_is_counted_after_the_inner_boxing() {
        // Each level holds two of the level below: unboxed, level n is 2^n times a leaf.
        let mut defs = vec![def("L0", (0..40).map(|i| field(&format!("f{i}"), TypeRef::String)).collect())];
        for n in 1..12 {
            let below = TypeRef::Named(TypeId::at(n - 1));
            defs.push(def(&format!("L{n}"), vec![field("a", below.clone()), field("b", below)]));
        }
        let mut types = TypeSpace::new(defs);
        box_large_types(&mut types);
        // A type holds at most its own fields' worth of unboxed members: two here.
        let mut sizes = vec![None; types.len()];
        for id in types.ids().collect::<Vec<_>>() {
            let size = size_of(&mut types, id, &mut sizes);
            assert!(size <= 2 * (LARGE + 8), "{} takes {size} bytes", types[id].name);
        }
        let TypeKind::Struct(top) = &types[TypeId::at(11)].kind else { panic!("a struct") };
        assert!(matches!(top[0].ty, TypeRef::Boxed(_)), "the deep levels hold the ones below through a Box");
    }
}
