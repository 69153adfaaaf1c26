//! `public-api.txt`: every public name of the generated crate, one per line, sorted, so that a
//! rename shows up in review as a changed line. Made from the IR, like the code itself (a tool
//! that reads the compiled crate's API needs a nightly toolchain). A type alias of an identical
//! type is listed like the type it stands for, under its own name. The runtime's public items
//! follow in a section of their own (read from its sources, see [`crate::runtime_surface`]), so
//! that a change of the hand-written runtime is reviewed like a change of the generated code.


use crate::ir::{Api, OPERATION_MODULE, Operation, Resource, TypeDef, TypeKind};

/// The heading of the runtime's section of the listing.
pub const RUNTIME_SECTION: &str = "# The runtime's public items (generator/runtime/, and the parts its profile chooses):";

/// The listing for a crate called `crate_name`, whose runtime's public items are `runtime`.
pub fn emit_api_listing(api: &Api, crate_name: &str, runtime: &[String]) -> String {
    let root = crate_name.replace('-', "_");
    let mut lines = Vec::new();
    for area in &api.areas {
        let area_name = area.module.as_str();
        let area_path = format!("{root}::{area_name}");
        lines.push(format!("feature {}", area.feature));
        lines.push(format!("fn {root}::Client::{area_name}"));
        lines.push(format!("struct {area_path}::{}", area.struct_name));
        operations(&mut lines, &area_path, &area.struct_name, &area.operations);
        let module_path = |resource: &Resource| format!("{root}::{}", resource.module_path(&area.module).bare());
        for resource in &area.resources {
            let resource_path = module_path(resource);
            let (parent_path, parent_struct) = match area.resources.iter().find(|r| r.module == resource.parent()) {
                Some(parent) => (module_path(parent), parent.struct_name.as_str()),
                None => (area_path.clone(), area.struct_name.as_str()),
            };
            lines.push(format!("fn {parent_path}::{parent_struct}::{}", resource.name().as_str()));
            lines.push(format!("struct {resource_path}::{}", resource.struct_name));
            operations(&mut lines, &resource_path, &resource.struct_name, &resource.operations);
        }
    }
    if !api.scopes.is_empty() {
        lines.push(format!("enum {root}::Scope"));
        lines.extend(api.scopes.iter().map(|(variant, _)| format!("variant {root}::Scope::{variant}")));
    }
    // By the bare names the crate's users write in a path.
    let rooted = |def: &TypeDef| format!("{root}::{}::{}", def.module.bare(), def.name);
    for def in api.types.iter() {
        // An alias is listed as what its name can be used as: which identical type holds the
        // definition is not part of the promise (adding a schema to the spec may change it).
        let own = match &def.kind {
            TypeKind::Alias(target) => &api.types[*target],
            _ => def,
        };
        let path = rooted(def);
        if let Some(params) = own.constructor_params() {
            let params: Vec<String> = params.iter().map(|f| f.rust_name.as_str().to_owned()).collect();
            lines.push(format!("fn {path}::new({})", params.join(", ")));
        }
        match &own.kind {
            TypeKind::Struct(fields) => {
                lines.push(format!("struct {path}"));
                lines.extend(fields.iter().map(|f| format!("field {path}::{}", f.rust_name.as_str())));
            }
            TypeKind::Enum(variants) => {
                lines.push(format!("enum {path}"));
                lines.extend(variants.iter().map(|v| format!("variant {path}::{}", v.rust_name)));
            }
            TypeKind::Union(union) => {
                lines.push(format!("enum {path}"));
                lines.extend(union.variants.iter().map(|v| format!("variant {path}::{}", v.rust_name)));
            }
            // Only when the target is missing, which the lowering never produces.
            TypeKind::Alias(target) => lines.push(format!("type {path} = {}", rooted(&api.types[*target]))),
        }
    }
    lines.sort();
    lines.dedup();
    let mut out = format!("# {}\n# Public API of {crate_name}: one line per item.\n", super::HEADER_TEXT);
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    let mut runtime = runtime.to_vec();
    runtime.sort();
    runtime.dedup();
    out.push_str(RUNTIME_SECTION);
    out.push('\n');
    for line in runtime {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn operations(lines: &mut Vec<String>, module: &str, owner: &str, operations: &[Operation]) {
    for op in operations {
        let method = op.method_name.as_str();
        // One line per path: an operation at several scopes is listed at each.
        let (http, builder) = (&op.http_method, &op.builder_name);
        if op.scopes.is_empty() {
            lines.push(format!("fn {module}::{owner}::{method} ({http} {}) -> {builder}", op.path));
        }
        for scope in &op.scopes {
            lines.push(format!("fn {module}::{owner}::{method} ({http} {}) -> {builder}, with Scope::{}", scope.path, scope.variant));
        }
        let builder = &op.builder_name;
        lines.push(format!("type {module}::{builder} = RequestBuilder<{module}::{OPERATION_MODULE}::{builder}>"));
        lines.push(format!("enum {module}::{OPERATION_MODULE}::{builder}"));
        for param in op.params.iter().filter(|p| !p.required) {
            lines.push(format!("fn {module}::{}::{}", op.builder_name, param.rust_name.as_str()));
        }
        if op.body.as_ref().is_some_and(|b| !b.positional) {
            lines.push(format!("fn {module}::{}::body", op.builder_name));
        }
    }
}
