//! Spec directories: `import-upstream` splitting a schema into `upstream/`, assembly with local
//! fragments and overlays, what `generate --report` says about them, and errors naming the file a
//! node came from.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use openapi_clientgen::assemble;
use serde_json::{Value, json};
use tempfile::TempDir;

fn run(binary: &str, args: &[&OsStr]) -> Output {
    Command::new(binary).args(args).output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_success(output: &Output) {
    assert!(output.status.success(), "{:?}\nstdout:\n{}\nstderr:\n{}", output.status, text(&output.stdout), text(&output.stderr));
}

/// A small upstream schema with scoped and unscoped paths, several schema groups and other
/// components sections.
fn upstream_schema() -> Value {
    let ok = |schema: &str| {
        json!({"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}}})
    };
    let account = json!([{"in": "path", "name": "account_id", "required": true, "schema": {"$ref": "#/components/schemas/pets_id"}}]);
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "security": [{"token": []}],
        "paths": {
            "/accounts/{account_id}/pets": {
                "get": {"operationId": "pets-list", "tags": ["Pets"], "parameters": account, "responses": ok("pets_pet")}
            },
            "/accounts/{account_id}": {
                "get": {"operationId": "account-get", "tags": ["Accounts"], "parameters": account, "responses": ok("Plain")}
            },
            "/zones/{zone_id}/dns_records": {
                "get": {
                    "operationId": "dns-records-list",
                    "tags": ["DNS Records"],
                    "parameters": [{"in": "path", "name": "zone_id", "required": true, "schema": {"type": "string"}}],
                    "responses": ok("dns-records_record")
                }
            },
            "/radar/bgp/top": {"get": {"operationId": "radar-bgp-top", "tags": ["Radar"], "responses": ok("Plain")}}
        },
        "components": {
            "schemas": {
                "pets_id": {"type": "string", "maxLength": 32},
                "pets_pet": {"type": "object", "properties": {"name": {"type": "string"}}},
                "dns-records_record": {"type": "object", "properties": {"ttl": {"type": "integer"}}},
                "Plain": {"type": "string"}
            },
            "parameters": {"limit": {"in": "query", "name": "limit", "schema": {"type": "integer"}}},
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}
        }
    })
}

/// A scratch folder holding a spec directory `spec/` and a schema file.
struct Scratch {
    dir: TempDir,
}

impl Scratch {
    /// A spec directory whose upstream is `schema`, imported with the command line.
    fn imported(schema: &Value) -> Scratch {
        let scratch = Scratch { dir: tempfile::tempdir().unwrap() };
        assert_success(&scratch.import(schema));
        scratch
    }

    fn spec(&self) -> PathBuf {
        self.dir.path().join("spec")
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.spec().join(relative)
    }

    /// Writes `schema` to a file and runs `import-upstream` on it.
    fn import(&self, schema: &Value) -> Output {
        let file = self.dir.path().join("schema.json");
        fs::write(&file, serde_json::to_string(schema).unwrap()).unwrap();
        run(env!("CARGO_BIN_EXE_import-upstream"), &[file.as_os_str(), OsStr::new("--spec"), self.spec().as_os_str()])
    }

    fn write(&self, relative: &str, contents: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    /// `generate --spec spec --out out --report`.
    fn generate(&self) -> Output {
        let (spec, out) = (self.spec(), self.dir.path().join("out"));
        let args = [OsStr::new("--spec"), spec.as_os_str(), OsStr::new("--out"), out.as_os_str(), OsStr::new("--report")];
        run(env!("CARGO_BIN_EXE_generate"), &args)
    }

    fn assembled(&self) -> Value {
        assemble::assemble(&self.spec()).unwrap_or_else(|e| panic!("assembles: {e}")).raw
    }

    /// Runs `generate` expecting a refusal; returns its first stderr line.
    fn refusal(&self) -> String {
        let output = self.generate();
        let err = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "expected exit code 1\nstderr:\n{err}");
        assert!(!err.contains("panicked"), "{err}");
        err.lines().next().unwrap_or_default().to_owned()
    }
}

/// The files under `dir`, relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = assemble::documents_under(dir, &["json", "yaml"])
        .unwrap()
        .iter()
        .map(|f| f.strip_prefix(dir).unwrap().display().to_string())
        .collect();
    files.sort();
    files
}

#[test]
fn import_splits_by_area_and_assembly_gives_the_schema_back() {
    let schema = upstream_schema();
    let scratch = Scratch::imported(&schema);
    assert_eq!(
        listing(&scratch.path("upstream")),
        [
            "components.json",
            "info.json",
            "paths/accounts.json",
            "paths/dns_records.json",
            "paths/pets.json",
            "paths/radar.json",
            "schemas/_ungrouped.json",
            "schemas/dns-records.json",
            "schemas/pets.json",
        ]
    );
    // Each file is a partial document: the node sits at the same pointer as in the whole.
    let pets: Value = serde_json::from_str(&fs::read_to_string(scratch.path("upstream/paths/pets.json")).unwrap()).unwrap();
    assert_eq!(pets.pointer("/paths/~1accounts~1{account_id}~1pets/get/operationId"), Some(&json!("pets-list")));
    assert_eq!(scratch.assembled(), schema);
    // The same upstream twice writes nothing.
    let again = scratch.import(&schema);
    assert_success(&again);
    assert!(text(&again.stdout).contains("0 file(s) written, 0 removed, 9 unchanged"), "{}", text(&again.stdout));
}

#[test]
fn a_single_spec_file_and_its_split_directory_generate_the_same_crate() {
    // The assembled document lists paths and components sorted by name, as Cloudflare's file does.
    let mut schema = upstream_schema();
    schema.sort_all_objects();
    let scratch = Scratch::imported(&schema);
    let file = scratch.dir.path().join("whole.json");
    fs::write(&file, serde_json::to_string(&schema).unwrap()).unwrap();
    let options = openapi_clientgen::Options::default();
    let from_file = openapi_clientgen::generate(&file, &options).unwrap();
    let from_dir = openapi_clientgen::generate(&scratch.spec(), &options).unwrap();
    assert_eq!(from_file.files.keys().collect::<Vec<_>>(), from_dir.files.keys().collect::<Vec<_>>());
    // lib.rs names the spec it came from; everything else must match byte for byte.
    for (path, text) in from_file.files.iter().filter(|(path, _)| !path.ends_with("lib.rs")) {
        assert!(from_dir.files[path] == *text, "{} differs", path.display());
    }
}

#[test]
fn a_local_fragment_adds_and_replaces_and_the_report_says_so() {
    let scratch = Scratch::imported(&upstream_schema());
    scratch.write(
        "local/pets.yaml",
        "paths:\n  /accounts/{account_id}/pets:\n    post:\n      operationId: pets-create\n      tags: [Pets]\n      \
         parameters:\n      - {in: path, name: account_id, required: true, schema: {$ref: '#/components/schemas/pets_id'}}\n      \
         responses: {'204': {description: created}}\n\
         components:\n  schemas:\n    pets_id: {type: string, minLength: 32, maxLength: 32}\n    Plain: {type: string}\n",
    );
    let doc = scratch.assembled();
    assert_eq!(doc.pointer("/components/schemas/pets_id/minLength"), Some(&json!(32)));
    // The upstream `get` of the same path item stays beside the local `post`.
    let item = doc.pointer("/paths/~1accounts~1{account_id}~1pets").unwrap();
    assert!(item.get("get").is_some() && item.get("post").is_some(), "{item}");

    let output = scratch.generate();
    assert_success(&output);
    let report = text(&output.stdout);
    let local = scratch.path("local/pets.yaml").display().to_string();
    let upstream = scratch.path("upstream/schemas/pets.json").display().to_string();
    for line in [
        format!("override: {local}#/components/schemas/pets_id: local replaces upstream: replaces the one in {upstream}"),
        format!("override: {local}#/paths/~1accounts~1{{account_id}}~1pets/post: local addition"),
        format!("override: {local}#/components/schemas/Plain: local copy is the same as upstream"),
    ] {
        assert!(report.contains(&line), "missing\n  {line}\nin\n{report}");
    }
    let apis = rust_sources(&scratch.dir.path().join("out/src"));
    assert!(apis.contains("32..=32)"), "the local pets_id (minLength 32) must win:\n{apis}");
}

#[test]
fn overlays_update_and_remove_and_warn_about_targets_that_match_nothing() {
    let scratch = Scratch::imported(&upstream_schema());
    scratch.write(
        "local/fixes.yaml",
        "overlay: 1.0.0\ninfo: {title: fixes, version: '1'}\nactions:\n\
         - target: $.paths['/accounts/{account_id}/pets'].get\n  update: {description: Lists the pets., tags: [Animals]}\n\
         - target: $.components.schemas.pets_pet.properties.name\n  remove: true\n\
         - target: $.paths['/gone'].get\n  update: {description: nothing to change}\n\
         - target: $.servers\n  update: {url: 'https://mirror.example.com/v1'}\n",
    );
    let doc = scratch.assembled();
    let get = doc.pointer("/paths/~1accounts~1{account_id}~1pets/get").unwrap();
    assert_eq!(get["description"], json!("Lists the pets."));
    // Nested lists are replaced; the rest of the operation is kept.
    assert_eq!(get["tags"], json!(["Animals"]));
    assert_eq!(get["operationId"], json!("pets-list"));
    assert_eq!(doc.pointer("/components/schemas/pets_pet/properties"), Some(&json!({})));
    // An update aimed at a list appends to it.
    assert_eq!(doc["servers"].as_array().map(Vec::len), Some(2));

    let output = scratch.generate();
    assert_success(&output);
    let overlay = scratch.path("local/fixes.yaml").display().to_string();
    let warning = format!("warning: {overlay}#/actions/2/target: overlay target matches nothing: $.paths['/gone'].get");
    assert!(text(&output.stderr).contains(&warning), "missing\n  {warning}\nin\n{}", text(&output.stderr));
    let report = text(&output.stdout);
    assert!(report.contains(&format!("override: {overlay}#/actions/1: removed by a local overlay: /components/schemas/pets_pet/properties/name")), "{report}");
    assert!(rust_sources(&scratch.dir.path().join("out/src")).contains("Lists the pets."));
}

#[test]
fn errors_name_the_file_the_node_came_from() {
    let scratch = Scratch::imported(&upstream_schema());
    let pets = scratch.path("upstream/paths/pets.json");
    let original = fs::read_to_string(&pets).unwrap();
    // An upstream node the loader refuses.
    fs::write(&pets, original.replace("\"parameters\": [", "\"parameters\": 7, \"unused\": [")).unwrap();
    let line = scratch.refusal();
    let expected = format!("error: {}#/paths/~1accounts~1{{account_id}}~1pets/get/parameters: invalid spec", pets.display());
    assert!(line.starts_with(&expected), "expected\n  {expected}\ngot\n  {line}");
    fs::write(&pets, &original).unwrap();

    // A local node the lowering refuses (a dangling reference).
    scratch.write(
        "local/new.yaml",
        "paths:\n  /radar/new:\n    get:\n      operationId: radar-new\n      responses:\n        '200':\n          description: ok\n          \
         content: {application/json: {schema: {$ref: '#/components/schemas/missing'}}}\n",
    );
    let line = scratch.refusal();
    let expected = format!("error: {}#/paths/~1radar~1new/get", scratch.path("local/new.yaml").display());
    assert!(line.starts_with(&expected), "expected\n  {expected}\ngot\n  {line}");
    assert!(line.contains("missing"), "{line}");
    fs::remove_file(scratch.path("local/new.yaml")).unwrap();

    // Malformed files and conflicting files.
    scratch.write("local/broken.yaml", "paths: [unclosed\n");
    let line = scratch.refusal();
    assert!(line.starts_with(&format!("error: {}: not valid YAML", scratch.path("local/broken.yaml").display())), "{line}");
    fs::remove_file(scratch.path("local/broken.yaml")).unwrap();

    scratch.write("local/info.yaml", "info: {title: Mine, version: '2'}\n");
    let line = scratch.refusal();
    assert!(line.starts_with(&format!("error: {}#/info: invalid spec: a local fragment holds only", scratch.path("local/info.yaml").display())), "{line}");
    fs::remove_file(scratch.path("local/info.yaml")).unwrap();

    scratch.write("local/a.yaml", "components: {schemas: {Plain: {type: integer}}}\n");
    scratch.write("local/b.yaml", "components: {schemas: {Plain: {type: boolean}}}\n");
    let line = scratch.refusal();
    let a = scratch.path("local/a.yaml").display().to_string();
    assert!(line.starts_with(&format!("error: {}#/components/schemas/Plain", scratch.path("local/b.yaml").display())) && line.contains(&a), "{line}");
    fs::remove_file(scratch.path("local/b.yaml")).unwrap();

    scratch.write("upstream/schemas/copy.json", "{\"components\": {\"schemas\": {\"pets_id\": {\"type\": \"string\"}}}}\n");
    let line = scratch.refusal();
    assert!(line.contains("pets_id") && line.contains("copy.json") && line.contains("pets.json"), "{line}");
    fs::remove_file(scratch.path("upstream/schemas/copy.json")).unwrap();

    scratch.write("local/bad-target.yaml", "overlay: 1.0.0\nactions:\n- target: $.paths[?(@.get)]\n  remove: true\n");
    let line = scratch.refusal();
    assert!(line.starts_with(&format!("error: {}#/actions/0/target: unsupported", scratch.path("local/bad-target.yaml").display())), "{line}");
}

#[test]
fn a_directory_without_upstream_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("spec/local")).unwrap();
    let out = dir.path().join("out");
    let output = run(
        env!("CARGO_BIN_EXE_generate"),
        &[OsStr::new("--spec"), dir.path().join("spec").as_os_str(), OsStr::new("--out"), out.as_os_str()],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("needs an `upstream/` folder"), "{}", text(&output.stderr));
}

#[test]
fn a_newer_upstream_replaces_upstream_only_and_reports_what_changed_for_local_changes() {
    let scratch = Scratch::imported(&upstream_schema());
    let fragment = "components:\n  schemas:\n    pets_id: {type: string, minLength: 32, maxLength: 32}\n";
    let overlay = "overlay: 1.0.0\ninfo: {title: fixes, version: '1'}\nactions:\n\
                   - target: $.paths['/radar/bgp/top'].get\n  update: {description: Top ASes.}\n";
    scratch.write("local/pets.yaml", fragment);
    scratch.write("local/fixes.yaml", overlay);

    // Upstream drops radar and adopts the local fix.
    let mut newer = upstream_schema();
    newer["paths"].as_object_mut().unwrap().remove("/radar/bgp/top");
    newer["components"]["schemas"]["pets_id"] = json!({"type": "string", "minLength": 32, "maxLength": 32});
    let output = scratch.import(&newer);
    assert_success(&output);
    let stdout = text(&output.stdout);
    // schemas/pets.json changes, paths/radar.json goes.
    assert!(stdout.contains("1 file(s) written, 1 removed"), "{stdout}");
    assert!(!scratch.path("upstream/paths/radar.json").exists());
    assert_eq!(fs::read_to_string(scratch.path("local/pets.yaml")).unwrap(), fragment);
    assert_eq!(fs::read_to_string(scratch.path("local/fixes.yaml")).unwrap(), overlay);
    for needle in ["#/components/schemas/pets_id: local copy is the same as upstream", "#/actions/0/target: overlay target matches nothing"] {
        assert!(stdout.contains(needle), "missing {needle:?} in\n{stdout}");
    }
    assert_eq!(scratch.assembled().pointer("/paths/~1radar~1bgp~1top"), None);
}

#[test]
fn import_refuses_what_is_not_an_openapi_document() {
    let scratch = Scratch { dir: tempfile::tempdir().unwrap() };
    let output = scratch.import(&json!({"swagger_like": true}));
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("not an OpenAPI document"), "{}", text(&output.stderr));
    assert!(!scratch.spec().exists(), "nothing may be written");
}

#[test]
fn import_upstream_usage() {
    let help = run(env!("CARGO_BIN_EXE_import-upstream"), &[OsStr::new("--help")]);
    assert_success(&help);
    assert!(text(&help.stdout).starts_with("usage: import-upstream SCHEMA"), "{}", text(&help.stdout));
    for args in [&[][..], &["a.json", "b.json"], &["--spec"], &["--bogus", "a.json"]] {
        let output = run(env!("CARGO_BIN_EXE_import-upstream"), &args.iter().map(OsStr::new).collect::<Vec<_>>());
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(text(&output.stderr).contains("usage: import-upstream"), "{args:?}");
    }
}

/// Every generated Rust source under `dir` (the runtime copy left out), concatenated in path order.
fn rust_sources(dir: &std::path::Path) -> String {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() && !path.ends_with("runtime") {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files.iter().map(|f| fs::read_to_string(f).unwrap()).collect()
}
