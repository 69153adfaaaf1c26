//! Lowering of small specs written inline, one rule each.

use std::path::Path;

use crate::ir::{Api, Response, TypeDef, TypeKind, TypeRef};

/// Lowers a YAML spec made of `paths` and `components` (indented as top-level keys).
fn lower_yaml(body: &str) -> Api {
    let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{body}");
    let loaded = crate::load::parse(&text, Path::new("t.yaml")).expect("spec parses");
    super::lower(&loaded).expect("spec lowers")
}

fn type_named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no type {name} in {:?}", api.types))
}

/// One `GET /x` operation (tag `tag`, operationId `id`) answering 200 with `schema` as JSON.
fn one_operation(tag: &str, id: &str, schema: &str) -> String {
    format!(
        "paths:\n  /x:\n    get:\n      operationId: {id}\n      tags: ['{tag}']\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n"
    )
}

/// One `GET <path>` operation answering 200 with a string.
fn one_path(path: &str) -> String {
    format!("paths:\n  {path}:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: string}}\n")
}

#[test]
fn area_names_avoid_generated_and_prelude_names() {
    // `Client::credential_kind` exists already.
    let api = lower_yaml(&one_path("/credential_kind"));
    assert_eq!(api.areas[0].module, "credential_kind_2");
    assert_eq!(api.areas[0].operations[0].method_name, "list");
    let api = lower_yaml(&one_path("/option"));
    assert_eq!(api.areas[0].struct_name, "Option2", "a struct named `Option` would shadow the prelude");
    let api = lower_yaml(&one_path("/self"));
    assert_eq!(api.areas[0].module, "self_");
    let api = lower_yaml(&one_path("/type"));
    assert_eq!(api.areas[0].module, "r#type");
}

#[test]
fn components_named_like_the_prelude_are_renamed() {
    let schema = "{$ref: '#/components/schemas/String'}";
    let body = format!(
        "{}components:\n  schemas:\n    String:\n      type: object\n      properties:\n        s: {{type: string, enum: [UnknownValue, a]}}\n",
        one_operation("t", "get", schema)
    );
    let api = lower_yaml(&body);
    assert_eq!(api.areas[0].operations[0].response, Response::Json(TypeRef::Named("types::String2".to_owned())));
    let TypeKind::Enum(variants) = &type_named(&api, "StringS").kind else { panic!("not an enum") };
    let names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(names, ["UnknownValue2", "A"], "`UnknownValue` is the catch-all variant");
}

/// Every public name of a lowered API, as a sorted list.
fn public_names(api: &Api) -> Vec<String> {
    let mut names: Vec<String> = api.types.iter().map(|t| format!("{} {}", t.source, t.path)).collect();
    for area in &api.areas {
        let ops = area.operations.iter().map(|op| (area.module.clone(), op));
        let nested = area.resources.iter().flat_map(|r| r.operations.iter().map(move |op| (format!("{}::{}", area.module, r.module), op)));
        for (module, op) in ops.chain(nested) {
            names.push(format!("{} {module}::{} {}", op.operation_id, op.method_name, op.builder_name));
        }
    }
    names.sort();
    names
}

#[test]
fn names_do_not_depend_on_the_order_of_the_spec() {
    // Two components that name the same type (case and punctuation differ), an inline schema
    // shared through a component envelope, and two operations that want the same method name.
    let components = "components:\n  schemas:\n    live_input:\n      type: object\n      properties:\n        id: {type: string}\n    liveInput:\n      type: object\n      properties:\n        uid: {type: string}\n    wrapper:\n      type: object\n      properties:\n        inner: {type: object, properties: {n: {type: integer}}}\n";
    let ops = [
        "  /a/{id}:\n    get:\n      operationId: getA\n      parameters: [{in: path, name: id, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/liveInput'}}}}}\n",
        "  /b:\n    get:\n      operationId: listB\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/live_input'}}}}}\n",
        "  /b/{id}/x:\n    post:\n      operationId: postX\n      parameters: [{in: path, name: id, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/wrapper'}}}}}\n",
        "  /b/{id}:\n    get:\n      operationId: getB\n      parameters: [{in: path, name: id, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/wrapper'}}}}}\n",
    ];
    let spec = |order: &[usize]| {
        let paths: String = order.iter().map(|&i| ops[i]).collect();
        lower_yaml(&format!("paths:\n{paths}{components}"))
    };
    let forward = public_names(&spec(&[0, 1, 2, 3]));
    assert_eq!(public_names(&spec(&[3, 2, 1, 0])), forward);
    assert_eq!(public_names(&spec(&[2, 0, 3, 1])), forward);
    // The pointer that sorts first keeps the plain name.
    assert!(forward.contains(&"/components/schemas/liveInput types::LiveInput".to_owned()), "{forward:#?}");
    assert!(forward.contains(&"/components/schemas/live_input types::LiveInput2".to_owned()), "{forward:#?}");
    assert!(forward.contains(&"/components/schemas/wrapper/properties/inner types::WrapperInner".to_owned()), "{forward:#?}");
}

#[test]
fn objects_with_only_additional_properties_are_maps() {
    let schema = "{type: object, properties: {labels: {type: object, additionalProperties: {type: integer}}, any: {type: object, additionalProperties: true}, free: {type: object}}}";
    let api = lower_yaml(&one_operation("t", "get", schema));
    let TypeKind::Struct(fields) = &type_named(&api, "ListResponse").kind else { panic!("not a struct") };
    let types: Vec<&TypeRef> = fields.iter().map(|f| &f.ty).collect();
    assert_eq!(
        types,
        [&TypeRef::Map(Box::new(TypeRef::Integer)), &TypeRef::Map(Box::new(TypeRef::Json)), &TypeRef::Json]
    );
    assert_eq!(api.types.len(), 1, "no empty structs for maps: {:?}", api.types);
}

#[test]
fn single_allof_wrapper_reuses_the_wrapped_type() {
    let schema = "{type: object, required: [a], properties: {a: {allOf: [{$ref: '#/components/schemas/Item'}], nullable: true, description: wrapped}}}";
    let body = format!(
        "{}components:\n  schemas:\n    Item:\n      type: object\n      properties:\n        id: {{type: string}}\n",
        one_operation("t", "get", schema)
    );
    let api = lower_yaml(&body);
    let TypeKind::Struct(fields) = &type_named(&api, "ListResponse").kind else { panic!("not a struct") };
    assert_eq!(fields[0].ty, TypeRef::Named("types::Item".to_owned()));
    assert!(fields[0].optional, "the wrapper's `nullable` is kept");
    assert_eq!(fields[0].description.as_deref(), Some("wrapped"));
    assert_eq!(api.types.len(), 2, "no copy of Item: {:?}", api.types);
}

#[test]
fn sensitivity_is_seen_through_refs_and_allof() {
    let schema = "{type: object, properties: {direct: {$ref: '#/components/schemas/Secret'}, wrapped: {allOf: [{$ref: '#/components/schemas/Secret'}], description: d}, inline: {type: string, x-sensitive: true}, plain: {type: string}}}";
    let body = format!(
        "{}components:\n  schemas:\n    Secret: {{type: string, x-sensitive: true}}\n",
        one_operation("t", "get", schema)
    );
    let api = lower_yaml(&body);
    let TypeKind::Struct(fields) = &type_named(&api, "ListResponse").kind else { panic!("not a struct") };
    let sensitive: Vec<(&str, bool)> = fields.iter().map(|f| (f.wire_name.as_str(), f.sensitive)).collect();
    assert_eq!(sensitive, [("direct", true), ("wrapped", true), ("inline", true), ("plain", false)]);
}
