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
