//! Lowering of small specs written inline, one rule each.

use std::path::Path;

use crate::ir::{Api, Response, TypeDef, TypeKind, TypeRef};
use crate::report::{EntryKind, Reason};

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
    assert_eq!(api.areas[0].module.to_string(), "credential_kind_2");
    assert_eq!(api.areas[0].operations[0].method_name.to_string(), "get");
    let api = lower_yaml(&one_path("/option"));
    assert_eq!(api.areas[0].struct_name, "Option2", "a struct named `Option` would shadow the prelude");
    let api = lower_yaml(&one_path("/self"));
    assert_eq!(api.areas[0].module.to_string(), "self_");
    let api = lower_yaml(&one_path("/type"));
    assert_eq!(api.areas[0].module.to_string(), "r#type");
    // The crate's own modules, and crates the generated code names by path.
    for taken in ["lib", "types", "runtime", "serde", "reqwest", "std"] {
        let api = lower_yaml(&one_path(&format!("/{taken}")));
        assert_eq!(api.areas[0].module.to_string(), format!("{taken}_2"));
    }
}

#[test]
fn components_named_like_the_prelude_are_renamed() {
    let schema = "{$ref: '#/components/schemas/String'}";
    let body = format!(
        "{}components:\n  schemas:\n    String:\n      type: object\n      properties:\n        s: {{type: string, enum: [UnknownValue, a]}}\n",
        one_operation("t", "get", schema)
    );
    let api = lower_yaml(&body);
    assert_eq!(api.areas[0].operations[0].response, Response::Json(named(&api, "types::String2")));
    let TypeKind::Enum(variants) = &type_named(&api, "StringS").kind else { panic!("not an enum") };
    let names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(names, ["UnknownValue2", "A"], "`UnknownValue` is the catch-all variant");
}

/// Every public name of a lowered API, as a sorted list.
fn public_names(api: &Api) -> Vec<String> {
    let mut names: Vec<String> = api.types.iter().map(|t| format!("{} {}", t.source, t.path())).collect();
    for area in &api.areas {
        let ops = area.operations.iter().map(|op| (area.module.to_string(), op));
        let nested = area.resources.iter().flat_map(|r| r.operations.iter().map(move |op| (r.module_path(&area.module).to_string(), op)));
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
    assert_eq!(fields[0].ty, named(&api, "types::Item"));
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

fn lower_yaml_with_report(body: &str) -> (Api, crate::report::Report) {
    let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{body}");
    let loaded = crate::load::parse(&text, Path::new("t.yaml")).expect("spec parses");
    super::lower_with_report(&loaded).expect("spec lowers")
}

fn union_of<'a>(api: &'a Api, name: &str) -> &'a crate::ir::Union {
    let TypeKind::Union(union) = &type_named(api, name).kind else { panic!("{name} is not a union") };
    union
}

#[test]
fn fallbacks_are_reported_and_free_form_schemas_are_not() {
    let schema = "{type: object, properties: {free: {}, object: {type: object}, items: {type: array}, never: {enum: [null]}, negated: {not: {type: string}}, clash: {allOf: [{type: string}, {type: integer}]}}}";
    let (api, report) = lower_yaml_with_report(&one_operation("t", "get", schema));
    let TypeKind::Struct(fields) = &type_named(&api, "GetResponse").kind else { panic!("not a struct") };
    assert!(fields.iter().all(|f| f.ty == TypeRef::Json || f.ty == TypeRef::Array(Box::new(TypeRef::Json))));
    let noted: Vec<(&str, Reason)> = report.entries.iter().map(|e| (e.pointer.as_str(), e.reason)).collect();
    let at = "/paths/~1x/get/responses/200/content/application~1json/schema/properties";
    assert_eq!(
        noted,
        [
            (format!("{at}/never").as_str(), Reason::NullOnlyEnum),
            (format!("{at}/negated").as_str(), Reason::Not),
            (format!("{at}/clash").as_str(), Reason::AllOfScalars),
        ]
    );
    assert!(report.entries.iter().all(|e| e.kind() == EntryKind::Fallback));
}

#[test]
fn annotations_in_allof_add_no_type_and_enums_narrow_strings() {
    let schema = "{type: object, properties: {id: {allOf: [{type: string}, {readOnly: true}]}, mode: {allOf: [{type: string}, {type: string, enum: [a, b]}]}}}";
    let (api, report) = lower_yaml_with_report(&one_operation("t", "get", schema));
    let TypeKind::Struct(fields) = &type_named(&api, "GetResponse").kind else { panic!("not a struct") };
    assert_eq!(fields[0].ty, TypeRef::String);
    assert!(fields[0].read_only, "readOnly is seen through allOf");
    assert_eq!(fields[1].ty, named(&api, "x::GetResponseMode"));
    assert!(report.entries.is_empty(), "{report:?}");
}

#[test]
fn required_read_only_properties_are_optional() {
    let schema = "{type: object, required: [id, name], properties: {id: {type: string, readOnly: true}, name: {type: string}}}";
    let api = lower_yaml(&one_operation("t", "get", schema));
    let TypeKind::Struct(fields) = &type_named(&api, "GetResponse").kind else { panic!("not a struct") };
    let flags: Vec<(&str, bool, bool)> = fields.iter().map(|f| (f.wire_name.as_str(), f.optional, f.required)).collect();
    assert_eq!(flags, [("id", true, false), ("name", false, true)]);
}

/// A `oneOf` of `members` (component names) under `components`, each an object with `kind` fixed.
fn tagged_spec(members: &[&str]) -> String {
    let refs: Vec<String> = members.iter().map(|m| format!("{{$ref: '#/components/schemas/{m}'}}")).collect();
    let mut body = format!("{}components:\n  schemas:\n", one_operation("t", "get", &format!("{{oneOf: [{}]}}", refs.join(", "))));
    let mut sorted = members.to_vec();
    sorted.sort();
    for m in sorted {
        body.push_str(&format!("    {m}: {{type: object, required: [kind], properties: {{kind: {{type: string, enum: [{m}]}}}}}}\n"));
    }
    body
}

#[test]
fn constant_properties_make_a_tagged_union_named_by_its_values() {
    let api = lower_yaml(&tagged_spec(&["rec_A", "rec_B"]));
    let union = union_of(&api, "GetResponse");
    assert_eq!(union.tagging, crate::ir::Tagging::Tagged { property: "kind".to_owned() });
    let names: Vec<(&str, Option<&str>)> = union.variants.iter().map(|v| (v.rust_name.as_str(), v.tag.as_deref())).collect();
    assert_eq!(names, [("RecA", Some("rec_A")), ("RecB", Some("rec_B"))]);
}

#[test]
fn untagged_variant_names_do_not_depend_on_the_walk() {
    // Same members, reached first through another operation: the same variant names.
    let members = "{$ref: '#/components/schemas/p_Big'}, {$ref: '#/components/schemas/p_Small'}";
    let components = "components:\n  schemas:\n    p_Small: {type: object, properties: {a: {type: string}}}\n    p_Big: {type: object, required: [a, b], properties: {a: {type: string}, b: {type: string}}}\n";
    let alone = lower_yaml(&format!("{}{components}", one_operation("t", "get", &format!("{{anyOf: [{members}, {{type: integer}}]}}"))));
    let first = "paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/p_Small'}\n";
    let spec = format!("{first}{}{components}", one_operation("t", "get", &format!("{{anyOf: [{members}, {{type: integer}}]}}")).trim_start_matches("paths:\n"));
    let walked = lower_yaml(&spec);
    for api in [&alone, &walked] {
        let union = union_of(api, "GetResponse");
        let names: Vec<&str> = union.variants.iter().map(|v| v.rust_name.as_str()).collect();
        assert_eq!(names, ["Big", "Small", "Integer"], "objects by required count, then scalars");
        assert_eq!(union.tagging, crate::ir::Tagging::Untagged);
    }
}

#[test]
fn a_member_without_the_constant_makes_the_union_untagged() {
    let mut spec = tagged_spec(&["A", "B"]);
    spec.push_str("    C: {type: object, properties: {kind: {type: string}}}\n");
    let spec = spec.replace("{oneOf: [", "{oneOf: [{$ref: '#/components/schemas/C'}, ");
    let api = lower_yaml(&spec);
    assert_eq!(union_of(&api, "GetResponse").tagging, crate::ir::Tagging::Untagged);
}

/// The alias target's path of the type named `name`, `None` when it keeps its definition.
fn alias_of(api: &Api, name: &str) -> Option<String> {
    match &type_named(api, name).kind {
        TypeKind::Alias(target) => Some(api.types[*target].path()),
        _ => None,
    }
}

/// A reference to the type at `path`.
fn named(api: &Api, path: &str) -> TypeRef {
    TypeRef::Named(api.types.find(path).unwrap_or_else(|| panic!("no type {path}")))
}

#[test]
fn identical_schemas_become_aliases_of_one_canonical_whatever_the_order() {
    // `first` and `second` differ only in docs; `third`'s enum has another value. `A.p` is inline
    // and its pointer sorts before component `B`, which is the same enum: the component wins.
    let properties = [
        "first: {type: object, properties: {mode: {type: string, enum: [a, b]}, n: {type: integer}}}",
        "second: {type: object, description: Another doc, properties: {mode: {type: string, enum: [a, b], description: d}, n: {type: integer}}}",
        "third: {type: object, properties: {mode: {type: string, enum: [a, c]}, n: {type: integer}}}",
        "a: {$ref: '#/components/schemas/A'}",
        "b: {$ref: '#/components/schemas/B'}",
    ];
    let components = ["    A: {type: object, properties: {p: {type: string, enum: [u, v]}}}\n", "    B: {type: string, enum: [u, v]}\n"];
    let spec = |reverse: bool| {
        let (mut properties, mut components) = (properties.to_vec(), components.to_vec());
        if reverse {
            properties.reverse();
            components.reverse();
        }
        let schema = format!("{{type: object, properties: {{{}}}}}", properties.join(", "));
        lower_yaml_with_report(&format!("{}components:\n  schemas:\n{}", one_operation("t", "get", &schema), components.concat()))
    };
    let (forward, report) = spec(false);
    assert_eq!(alias_of(&forward, "GetResponseSecond").as_deref(), Some("x::GetResponseFirst"));
    assert_eq!(alias_of(&forward, "GetResponseSecondMode").as_deref(), Some("x::GetResponseFirstMode"));
    assert_eq!(alias_of(&forward, "AP").as_deref(), Some("types::B"), "a component schema is preferred");
    for kept in ["GetResponseFirst", "GetResponseFirstMode", "GetResponseThird", "GetResponseThirdMode", "B", "GetResponse"] {
        assert_eq!(alias_of(&forward, kept), None, "{kept} keeps its definition");
    }
    assert_eq!(type_named(&forward, "GetResponseSecond").description.as_deref(), Some("Another doc"), "an alias keeps its docs");
    assert_eq!(report.merged, Some(crate::report::Merged { aliases: 3, canonicals: 3 }));
    // The canonical features cover the alias's users, and the alias is compiled with it.
    assert_eq!(type_named(&forward, "B").features, type_named(&forward, "AP").features);

    let (reversed, _) = spec(true);
    let aliases = |api: &Api| -> Vec<(String, Option<String>)> {
        let mut all: Vec<_> = api.types.iter().map(|t| (t.path(), alias_of(api, &t.name))).collect();
        all.sort();
        all
    };
    assert_eq!(aliases(&reversed), aliases(&forward), "the canonical does not depend on the order");
}

#[test]
fn areas_named_like_the_reserved_features_get_features_of_their_own() {
    for (path, module, feature) in [("/default/x", "default", "default-area"), ("/full/x", "full", "full-area"), ("/serde_all/x", "serde_all", "serde-all-area"), ("/dns/x", "dns", "dns")] {
        let api = lower_yaml(&one_path(path));
        assert_eq!((api.areas[0].module.as_str(), api.areas[0].feature.as_str()), (module, feature), "{path}");
    }
}

#[test]
fn nullable_list_items_and_map_values_are_options() {
    let schema = "{type: object, properties: {trend: {type: array, items: {type: number, nullable: true}}, by_name: {type: object, additionalProperties: {type: string, nullable: true}}, free: {type: array, items: {nullable: true}}}}";
    let api = lower_yaml(&one_operation("t", "get", schema));
    let TypeKind::Struct(fields) = &type_named(&api, "GetResponse").kind else { panic!("not a struct") };
    let types: Vec<&TypeRef> = fields.iter().map(|f| &f.ty).collect();
    let option = |ty: TypeRef| TypeRef::Nullable(Box::new(ty));
    assert_eq!(
        types,
        [
            &TypeRef::Array(Box::new(option(TypeRef::Number))),
            &TypeRef::Map(Box::new(option(TypeRef::String))),
            &TypeRef::Array(Box::new(TypeRef::Json)),
        ],
        "free-form JSON holds null already"
    );
}

#[test]
fn an_allof_of_strings_through_nested_allofs_is_a_string() {
    let schema = "{type: object, required: [id], properties: {id: {allOf: [{type: string, description: The ID}, {$ref: '#/components/schemas/Uuid'}]}}}";
    let body = format!(
        "{}components:\n  schemas:\n    Uuid:\n      allOf: [{{type: string, minLength: 36}}, {{type: string, maxLength: 36}}]\n",
        one_operation("t", "get", schema)
    );
    let (api, report) = lower_yaml_with_report(&body);
    let TypeKind::Struct(fields) = &type_named(&api, "GetResponse").kind else { panic!("not a struct") };
    assert_eq!(fields[0].ty, TypeRef::String);
    assert!(report.entries.is_empty(), "{report:?}");
}

#[test]
fn a_union_that_only_says_which_properties_are_present_adds_no_field() {
    let schema = "{type: object, required: [name], properties: {name: {type: string}, hostnames: {type: array, items: {type: string}}, subnets: {type: array, items: {type: string}}}, anyOf: [{required: [hostnames], title: Hostnames}, {required: [subnets]}]}";
    let api = lower_yaml(&one_operation("t", "get", schema));
    let TypeKind::Struct(fields) = &type_named(&api, "GetResponse").kind else { panic!("not a struct") };
    let names: Vec<(&str, bool)> = fields.iter().map(|f| (f.wire_name.as_str(), f.optional)).collect();
    assert_eq!(names, [("name", false), ("hostnames", true), ("subnets", true)]);
    assert_eq!(api.types.len(), 1, "no variant type: {:?}", api.types);
}

#[test]
fn a_property_every_member_of_a_mixed_in_union_declares_is_left_to_the_variant() {
    // serde hands a key to the struct's own field before a flattened one sees it: `strategy`
    // would never reach the variant, which requires it.
    let schema = "{allOf: [{type: object, properties: {id: {type: string}, strategy: {type: string}}}, {oneOf: [{type: object, required: [strategy], properties: {strategy: {type: string, enum: [percentage]}, versions: {type: array, items: {type: string}}}}]}]}";
    let api = lower_yaml(&one_operation("t", "get", schema));
    let TypeKind::Struct(fields) = &type_named(&api, "GetResponse").kind else { panic!("not a struct") };
    let names: Vec<(&str, bool)> = fields.iter().map(|f| (f.rust_name.as_str(), f.flatten)).collect();
    assert_eq!(names, [("id", false), ("variant", true)]);
}

#[test]
fn lists_with_result_info_are_paged_by_their_parameters_or_the_profiles_rule() {
    let envelope = "{type: object, properties: {success: {type: boolean}, errors: {type: array, items: {}}, result: {type: array, items: {type: string}}, result_info: {type: object}}}";
    let list = |servers: &str, method: &str, params: &str| {
        let body = format!(
            "servers: [{{url: '{servers}'}}]\npaths:\n  /things:\n    {method}:\n      operationId: things\n      parameters: {params}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {envelope}\n"
        );
        lower_yaml(&body).operations().next().expect("one operation").pagination.clone()
    };
    let cloudflare = "https://api.cloudflare.com/client/v4";
    let page = |p: &crate::ir::Pagination| (p.param.clone(), p.style);
    let cursor = "[{name: cursor, in: query, schema: {type: string}}]";
    assert_eq!(list(cloudflare, "get", cursor).as_ref().map(page), Some(("cursor".to_owned(), crate::ir::PageStyle::Cursor)));
    // `page` without a type holds a number too.
    let untyped = "[{name: page, in: query, schema: {minimum: 1}}]";
    assert_eq!(list(cloudflare, "get", untyped).as_ref().map(page), Some(("page".to_owned(), crate::ir::PageStyle::Page)));
    // Undeclared: Cloudflare's lists all take `page`.
    assert_eq!(list(cloudflare, "get", "[]").as_ref().map(page), Some(("page".to_owned(), crate::ir::PageStyle::Page)));
    // Another API has no envelope (and no `result_info`) unless its profile says so.
    assert_eq!(list("https://example.com", "get", cursor), None);
    assert_eq!(list(cloudflare, "put", "[]"), None, "only a GET is a list to read in pages");
}

#[test]
fn feature_names_are_valid_whatever_the_segment() {
    let cases = [
        ("/1st/x", "_1st", "1st"),
        ("/-dash/x", "dash", "dash"),
        ("/.well-known/x", "well_known", "well-known"),
        ("/ключ/x", "u43a_u43b_u44e_u447", "u43a-u43b-u44e-u447"),
        ("/2010-04-01", "_2010_04_01", "2010-04-01"),
        ("/+/x", "value", "value"),
        ("/self/x", "self_", "self"),
    ];
    for (path, module, feature) in cases {
        let api = lower_yaml(&one_path(path));
        assert_eq!((api.areas[0].module.as_str(), api.areas[0].feature.as_str()), (module, feature), "{path}");
        assert!(super::is_feature_name(feature), "{feature}");
    }
    // Two modules that would give one feature: the second in module order gets a number.
    let api = lower_yaml(&format!("{}{}", one_path("/default/x"), one_path("/default_area/y").replacen("paths:\n", "", 1)));
    let features: Vec<&str> = api.areas.iter().map(|a| a.feature.as_str()).collect();
    assert_eq!(features, ["default-area", "default-area-2"]);
    for bad in ["-2010-04-01", "", ".x", "a b", "é"] {
        assert!(!super::is_feature_name(bad), "{bad:?}");
    }
}

/// The (area, resource, method) of every operation of a lowered API, sorted.
fn places(api: &Api) -> Vec<String> {
    let mut places = Vec::new();
    for area in &api.areas {
        places.extend(area.operations.iter().map(|op| format!("{}.{}", area.module, op.method_name)));
        for resource in &area.resources {
            let below: Vec<String> = resource.module.iter().map(ToString::to_string).collect();
            places.extend(resource.operations.iter().map(|op| format!("{}.{}.{}", area.module, below.join("::"), op.method_name)));
        }
    }
    places.sort();
    places
}

#[test]
fn version_segments_are_not_areas() {
    let paths = |list: &[&str]| list.iter().map(|p| one_path(p).replacen("paths:\n", "", 1)).collect::<String>();
    let twilio = lower_yaml(&format!("paths:\n{}", paths(&["/2010-04-01/Accounts/{Sid}/Calls", "/2010-04-01/Accounts/{Sid}/Messages", "/2010-04-01/Accounts"])));
    // One `GET` each and nothing below: `calls` and `messages` are actions of `accounts`.
    assert_eq!(places(&twilio), ["accounts.calls", "accounts.get", "accounts.messages"]);
    assert_eq!(twilio.areas.iter().map(|a| a.feature.as_str()).collect::<Vec<_>>(), ["accounts"]);
    let stripe = lower_yaml(&format!("paths:\n{}", paths(&["/v1/customers", "/v1/customers/{id}", "/v2/billing/meter_events", "/v1/invoiceitems"])));
    assert_eq!(places(&stripe), ["billing.meter_events", "customers.get", "customers.list", "invoiceitems.get"]);
    // The same names whatever the order of the paths, and with a path outside the version.
    let reordered = lower_yaml(&format!("paths:\n{}", paths(&["/health", "/v1/invoiceitems", "/v2/billing/meter_events", "/v1/customers/{id}", "/v1/customers"])));
    assert_eq!(places(&reordered), ["billing.meter_events", "customers.get", "customers.list", "health.get", "invoiceitems.get"]);
}

#[test]
fn form_bodies_are_typed_with_their_encodings_and_json_wins() {
    use crate::ir::{BodyKind, FormEncoding, FormStyle};
    let body = |content: &str| {
        let spec = format!("paths:\n  /a:\n    post:\n      requestBody:\n        content:\n{content}      responses: {{'204': {{description: ok}}}}\n");
        lower_yaml(&spec).operations().next().and_then(|op| op.body.clone()).expect("a body")
    };
    let schema = "{type: object, properties: {a: {type: object, properties: {x: {type: string}}}, b: {type: array, items: {type: string}}}}";
    let form = body(&format!(
        "          application/x-www-form-urlencoded:\n            schema: {schema}\n            encoding:\n              a: {{style: deepObject, explode: true}}\n              b: {{style: form, explode: false}}\n              c: {{style: pipeDelimited}}\n              d: {{contentType: application/json}}\n              e: {{style: form}}\n              f: {{style: deepObject}}\n"
    ));
    let BodyKind::Form(TypeRef::Named(_), encodings) = &form.kind else { panic!("{form:?}") };
    let e = |property: &str, style, explode| FormEncoding { property: property.to_owned(), style, explode };
    assert_eq!(
        encodings,
        &[e("a", FormStyle::DeepObject, true), e("b", FormStyle::Form, false), e("c", FormStyle::PipeDelimited, false), e("d", FormStyle::Json, false), e("f", FormStyle::DeepObject, false)],
        "`e` says what the default says"
    );
    assert_eq!(form.media_type, "application/x-www-form-urlencoded");
    let both = body(&format!("          application/x-www-form-urlencoded: {{schema: {schema}}}\n          application/json: {{schema: {schema}}}\n"));
    assert!(matches!(both.kind, BodyKind::Json(_)), "JSON wins: {both:?}");
    let with_multipart = body(&format!("          multipart/form-data: {{schema: {schema}}}\n          application/x-www-form-urlencoded: {{schema: {schema}}}\n"));
    assert!(matches!(with_multipart.kind, BodyKind::Form(..)), "a form is typed, a multipart form is not: {with_multipart:?}");
}

/// Lowers a fixture spec of the repository's `tests/fixtures/`.
fn lower_fixture(name: &str) -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(format!("{name}.yaml"));
    let loaded = crate::load::load(&path).expect("fixture loads");
    super::lower(&loaded).expect("fixture lowers")
}

#[test]
fn paging_parameters_are_unsigned_whatever_the_spec_says() {
    let api = lower_fixture("paging_numbers");
    let op = api.operations().next().expect("one operation");
    let ty = |name: &str| op.params.iter().find(|p| p.wire_name == name).map(|p| p.ty.clone()).expect("parameter");
    assert_eq!(ty("page"), TypeRef::Unsigned, "a `number` page");
    assert_eq!(ty("per_page"), TypeRef::Unsigned);
    assert_eq!(ty("limit"), TypeRef::Unsigned, "an `integer` limit");
    assert_eq!(ty("weight"), TypeRef::Number, "other numbers stay `f64`");
    assert_eq!(ty("since"), TypeRef::Integer, "other integers stay `i64`");
    assert_eq!(ty("offset"), TypeRef::Unsigned, "an untyped paging parameter");
    let page = op.params.iter().find(|p| p.wire_name == "page").expect("page");
    assert!(page.description.as_deref().is_some_and(|d| d.ends_with("At least 1.")), "{:?}", page.description);
    let generic = crate::profile::Profile::generic();
    assert!(generic.paging.counts("per_page") && crate::profile::Profile::cloudflare().paging.counts("limitPerGroup"));
}

#[test]
fn a_union_of_one_rust_type_is_that_type() {
    let api = lower_fixture("one_member_union");
    let TypeKind::Struct(fields) = &type_named(&api, "Record").kind else { panic!("not a struct") };
    let field = |name: &str| fields.iter().find(|f| f.wire_name == name).expect("field");
    assert_eq!((field("ttl").ty.clone(), field("ttl").optional), (TypeRef::Number, true));
    assert_eq!((field("comment").ty.clone(), field("comment").optional), (TypeRef::String, true));
    assert!(api.types.iter().all(|t| t.name != "Ttl"), "no one-variant enum: {:?}", api.types.iter().map(|t| &t.name).collect::<Vec<_>>());
}

#[test]
fn union_members_are_named_by_tag_title_and_own_property() {
    let api = lower_fixture("union_variant_names");
    let variants = |name: &str| match &type_named(&api, name).kind {
        TypeKind::Union(union) => union.variants.iter().map(|v| v.rust_name.clone()).collect::<Vec<_>>(),
        other => panic!("{name} is {other:?}"),
    };
    assert_eq!(variants("Edge"), ["Dynamic", "Static"], "tags");
    assert_eq!(variants("CreateResponse"), ["TextAnswer", "StreamHandle"], "titles");
    let mut body = variants("CreateBody");
    body.sort();
    assert_eq!(body, ["Messages", "Prompt"], "the property only that member declares");
    for inner in ["EdgeDynamicConnectivity", "EdgeStaticMode", "CreateBodyPromptOptions"] {
        type_named(&api, inner);
    }
    let positional = |n: &str| ["Object", "OneOf", "AnyOf", "AllOf"].iter().any(|w| n.contains(w));
    assert!(!api.types.iter().any(|t| positional(&t.name)), "{:?}", api.types.iter().map(|t| &t.name).collect::<Vec<_>>());
}

#[test]
fn shapes_shared_by_unrelated_operations_live_in_the_shared_module() {
    let api = lower_fixture("shared_shapes");
    let alias = |path: &str| match &api.types.iter().find(|t| t.path() == path).unwrap_or_else(|| panic!("no {path}")).kind {
        TypeKind::Alias(target) => api.types[*target].path(),
        other => panic!("{path} is {other:?}"),
    };
    assert_eq!(alias("records::DeleteResponse"), "types::shared::IdShape");
    assert_eq!(alias("gadgets::DeleteResponse"), "types::shared::IdShape");
    assert_eq!(alias("records::DeleteFormat"), "types::shared::JsonOrCsv");
    assert_eq!(alias("widgets::GetResponseOwner"), "types::Person", "a component's shape is the component");
    let TypeKind::Struct(fields) = &type_named(&api, "IdShape").kind else { panic!("not a struct") };
    assert_eq!(fields[0].description, None, "the members' docs differ: the shared type has neither");
    for def in api.types.iter() {
        assert!(!def.context.is_empty(), "{} has no context", def.path());
    }
    assert_eq!(alias_context(&api, "records::DeleteResponse"), "The response of `DELETE /records/{id}`.");
    // A shared shape's inner shape is shared too, and referred to as such.
    let body = alias("records::LabelsBody");
    let TypeKind::Struct(fields) = &api.types[api.types.find(&body).expect("the shared body")].kind else { panic!("not a struct") };
    let TypeRef::Named(label) = &fields[0].ty else { panic!("label is {:?}", fields[0].ty) };
    assert_eq!(api.types[*label].module.as_str(), "types::shared", "the shared body refers to {}", api.types[*label].path());
}

fn alias_context(api: &Api, path: &str) -> String {
    api.types.iter().find(|t| t.path() == path).map(|t| t.context.clone()).unwrap_or_default()
}

#[test]
fn a_type_two_areas_reach_leaves_the_first_areas_module() {
    // DigitalOcean's way: one operation's response is a `$ref` to another area's operation's.
    let api = lower_yaml(
        r##"paths:
  /actions/{id}:
    get:
      operationId: get-action
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {action: {type: object, properties: {status: {type: string}}}}}
  /droplets/{id}/actions:
    get:
      operationId: get-droplet-action
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {$ref: '#/paths/~1actions~1{id}/get/responses/200'}
"##,
    );
    let response = |path: &str| {
        let op = api.areas.iter().flat_map(|a| a.all_operations()).find(|op| op.path == path).expect("the operation");
        let Response::Json(TypeRef::Named(id)) = &op.response else { panic!("{:?}", op.response) };
        *id
    };
    let (first, second) = (response("/actions/{id}"), response("/droplets/{id}/actions"));
    assert_eq!(first, second, "one type");
    let def = &api.types[first];
    assert_eq!(def.module.as_str(), "types::shared", "{} is compiled only with the actions feature", def.path());
    assert_eq!(def.features, ["actions", "droplets"]);
    let TypeKind::Struct(fields) = &def.kind else { panic!("a struct") };
    let inner = fields[0].ty.named().expect("the inner object");
    assert_eq!(api.types[inner].module.as_str(), "types::shared", "what it holds is reached from both too");
}
