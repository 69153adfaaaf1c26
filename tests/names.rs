//! Public names are a promise: generating `spec/` with its paths and components in another order,
//! and with an unrelated operation added, renames and moves nothing that exists. The names are
//! compared through `public-api.txt`, which lists every public item of the generated crate.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Map, Value, json};

fn options() -> openapi_clientgen::Options {
    openapi_clientgen::Options { crate_name: "cloudflare-api".to_owned(), crate_version: "0.1.0".to_owned(), ..Default::default() }
}

fn public_names(krate: &openapi_clientgen::GeneratedCrate) -> BTreeSet<String> {
    let listing = &krate.files[Path::new("public-api.txt")];
    listing.lines().filter(|l| !l.starts_with('#')).map(str::to_owned).collect()
}

/// The same members in reverse order.
fn reversed(map: &Map<String, Value>) -> Map<String, Value> {
    map.iter().rev().map(|(k, v)| (k.clone(), v.clone())).collect()
}

#[test]
fn reordering_the_spec_and_adding_an_operation_renames_nothing() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec");
    let original = openapi_clientgen::generate(&spec, &options()).expect("spec/ generates");

    let mut document = openapi_clientgen::assemble::assemble(&spec).expect("spec/ assembles").raw;
    let paths = document["paths"].as_object().expect("paths").clone();
    document["paths"] = Value::Object(reversed(&paths));
    let components = document["components"].as_object_mut().expect("components");
    for section in components.values_mut() {
        if let Some(members) = section.as_object() {
            *section = Value::Object(reversed(members));
        }
    }
    // An operation of a product the API does not have, with a schema of its own.
    document["paths"]["/accounts/{account_id}/zz_gadgets"] = json!({
        "get": {
            "operationId": "zz-gadgets-list",
            "parameters": [{"name": "account_id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/zz_gadget"}}}}}
        }
    });
    document["components"]["schemas"]["zz_gadget"] = json!({"type": "object", "properties": {"id": {"type": "string"}}});

    let dir = tempfile::tempdir().unwrap();
    let perturbed_spec = dir.path().join("perturbed.json");
    std::fs::write(&perturbed_spec, serde_json::to_vec(&document).unwrap()).unwrap();
    let perturbed = openapi_clientgen::generate(&perturbed_spec, &options()).expect("the perturbed spec generates");

    let before = public_names(&original);
    let after = public_names(&perturbed);
    let lost: Vec<&String> = before.difference(&after).collect();
    assert!(lost.is_empty(), "{} public name(s) renamed or moved:\n{}", lost.len(), lost.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n"));
    let added: Vec<&String> = after.difference(&before).collect();
    let new_operation = |l: &&&String| ["zz_gadgets", "zz-gadgets", "types::zz::"].iter().any(|n| l.contains(n));
    assert!(added.iter().all(|l| new_operation(&l)), "only the new operation's names are new: {added:#?}");
    assert!(!added.is_empty(), "the new operation is listed");
}

/// `/accounts/{account_id}/hyperdrive/configs` (account-only in the 2024 schema) with a zone twin
/// added: a copy under `/zones/{zone_id}`, changed by `change` after the scope's parameter is
/// renamed.
fn with_zone_twin(change: impl Fn(&mut Value)) -> BTreeSet<String> {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec");
    let mut document = openapi_clientgen::assemble::assemble(&spec).expect("spec/ assembles").raw;
    let mut twin = document["paths"]["/accounts/{account_id}/hyperdrive/configs"].clone();
    for operation in twin.as_object_mut().expect("a path item").values_mut() {
        let id = operation["operationId"].as_str().expect("an operationId").to_owned();
        operation["operationId"] = json!(format!("zone-{id}"));
        for parameter in operation["parameters"].as_array_mut().expect("parameters") {
            if parameter["name"] == "account_id" {
                parameter["name"] = json!("zone_id");
            }
        }
        change(operation);
    }
    document["paths"]["/zones/{zone_id}/hyperdrive/configs"] = twin;
    let dir = tempfile::tempdir().unwrap();
    let twin_spec = dir.path().join("twin.json");
    std::fs::write(&twin_spec, serde_json::to_vec(&document).unwrap()).unwrap();
    public_names(&openapi_clientgen::generate(&twin_spec, &options()).expect("the spec with a zone twin generates"))
}

#[test]
fn a_zone_twin_of_an_account_operation_renames_no_account_method() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec");
    let before = public_names(&openapi_clientgen::generate(&spec, &options()).expect("spec/ generates"));
    let configs = "fn cloudflare_api::hyperdrive::configs::Configs::";
    assert!(before.contains(&format!("{configs}list (GET /accounts/{{account_id}}/hyperdrive/configs) -> List")));

    // A twin that takes another input keeps a method of its own, named for its scope.
    let after = with_zone_twin(|operation| {
        operation["parameters"].as_array_mut().unwrap().push(json!({"name": "tag", "in": "query", "required": true, "schema": {"type": "string"}}));
    });
    let lost: Vec<&String> = before.difference(&after).collect();
    assert!(lost.is_empty(), "adding a different zone twin renamed: {lost:#?}");
    let added: Vec<&String> = after.difference(&before).filter(|l| l.starts_with(configs)).collect();
    assert_eq!(
        added,
        [
            &format!("{configs}create_for_zone (POST /zones/{{zone_id}}/hyperdrive/configs) -> CreateForZone"),
            &format!("{configs}list_for_zone (GET /zones/{{zone_id}}/hyperdrive/configs) -> ListForZone"),
        ]
    );

    // A twin with the same inputs and answers joins the account method, which keeps its name
    // and builder and takes the scope as its first argument: the listing says so on its line.
    let after = with_zone_twin(|_| {});
    let lost: Vec<&String> = before.difference(&after).collect();
    assert_eq!(
        lost,
        [
            &format!("{configs}create (POST /accounts/{{account_id}}/hyperdrive/configs) -> Create"),
            &format!("{configs}list (GET /accounts/{{account_id}}/hyperdrive/configs) -> List"),
        ],
        "only the two methods that now take a scope change"
    );
    for line in [
        format!("{configs}list (GET /accounts/{{account_id}}/hyperdrive/configs) -> List, with Scope::Account"),
        format!("{configs}list (GET /zones/{{zone_id}}/hyperdrive/configs) -> List, with Scope::Zone"),
        format!("{configs}create (POST /zones/{{zone_id}}/hyperdrive/configs) -> Create, with Scope::Zone"),
    ] {
        assert!(after.contains(&line), "missing: {line}");
    }
}
