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

#[test]
fn group_names_avoid_generated_and_prelude_names() {
    let api = lower_yaml(&one_operation("Credential Kind", "new", "{type: string}"));
    let group = &api.groups[0];
    // `Client::credential_kind` exists already; so does every group's `new`.
    assert_eq!(group.module, "credential_kind_2");
    assert_eq!(group.operations[0].method_name, "new_2");

    let api = lower_yaml(&one_operation("Option", "get-option", "{type: string}"));
    assert_eq!(api.groups[0].struct_name, "Option2", "a struct named `Option` would shadow the prelude");
}

#[test]
fn tag_prefix_is_stripped_from_keyword_tags() {
    let api = lower_yaml(&one_operation("self", "self-delete", "{type: string}"));
    assert_eq!(api.groups[0].module, "self_");
    assert_eq!(api.groups[0].operations[0].method_name, "delete");
    let api = lower_yaml(&one_operation("Type", "type-list", "{type: string}"));
    assert_eq!(api.groups[0].operations[0].method_name, "list");
    let api = lower_yaml(&one_operation("Type", "type-type", "{type: string}"));
    assert_eq!(api.groups[0].operations[0].method_name, "r#type");
}

#[test]
fn components_named_like_the_prelude_are_renamed() {
    let schema = "{$ref: '#/components/schemas/String'}";
    let body = format!(
        "{}components:\n  schemas:\n    String:\n      type: object\n      properties:\n        s: {{type: string, enum: [UnknownValue, a]}}\n",
        one_operation("t", "get", schema)
    );
    let api = lower_yaml(&body);
    assert_eq!(api.groups[0].operations[0].response, Response::Json(TypeRef::Named("String2".to_owned())));
    let TypeKind::Enum(variants) = &type_named(&api, "String2S").kind else { panic!("not an enum") };
    let names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(names, ["UnknownValue2", "A"], "`UnknownValue` is the catch-all variant");
}

#[test]
fn objects_with_only_additional_properties_are_maps() {
    let schema = "{type: object, properties: {labels: {type: object, additionalProperties: {type: integer}}, any: {type: object, additionalProperties: true}, free: {type: object}}}";
    let api = lower_yaml(&one_operation("t", "get", schema));
    let TypeKind::Struct(fields) = &type_named(&api, "GetResponse").kind else { panic!("not a struct") };
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
    let TypeKind::Struct(fields) = &type_named(&api, "GetResponse").kind else { panic!("not a struct") };
    assert_eq!(fields[0].ty, TypeRef::Named("Item".to_owned()));
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
    let TypeKind::Struct(fields) = &type_named(&api, "GetResponse").kind else { panic!("not a struct") };
    let sensitive: Vec<(&str, bool)> = fields.iter().map(|f| (f.wire_name.as_str(), f.sensitive)).collect();
    assert_eq!(sensitive, [("direct", true), ("wrapped", true), ("inline", true), ("plain", false)]);
}
