//! The `generate` command line: its arguments, write-if-changed, `--check`, stale files, and how
//! it refuses bad specs (a typed error naming the file and the JSON pointer, never a panic).

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Runs the `generate` binary with `args`.
fn generate<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_generate")).args(args).output().expect("the generate binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "expected success, got {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        stdout(output),
        stderr(output)
    );
}

/// The Cloudflare "rotate OAuth client secret" fragment, copied into the repository.
fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rotate_secret.reference.yaml")
}

/// `generate --spec <fixture> --out <out> --name cf [extra...]`.
fn generate_fixture(out: &Path, extra: &[&str]) -> Output {
    let fixture = fixture();
    let mut args: Vec<&OsStr> = vec![
        OsStr::new("--spec"),
        fixture.as_os_str(),
        OsStr::new("--out"),
        out.as_os_str(),
        OsStr::new("--name"),
        OsStr::new("cf"),
    ];
    args.extend(extra.iter().map(OsStr::new));
    generate(args)
}

/// A fresh directory with the fixture crate generated into `<dir>/out`.
fn generated_fixture() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_success(&generate_fixture(&out, &[]));
    (dir, out)
}

/// Every file under `dir` with its modification time.
fn mtimes(dir: &Path) -> BTreeMap<PathBuf, SystemTime> {
    let mut found = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(mtimes(&path));
        } else {
            let modified = fs::metadata(&path).unwrap().modified().unwrap();
            found.insert(path, modified);
        }
    }
    found
}

/// Backdates every file under `dir`, so a rewrite shows whatever the clock's resolution.
fn backdate(dir: &Path) {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for path in mtimes(dir).keys() {
        fs::File::options().write(true).open(path).unwrap().set_modified(old).unwrap();
    }
}

/// The first line of every generated Rust file (the `@generated` marker).
fn header_line(out: &Path) -> String {
    let lib = fs::read_to_string(out.join("src/lib.rs")).unwrap();
    let first = lib.lines().next().unwrap().to_owned();
    assert!(first.contains("@generated"), "{first}");
    first
}

/// Removes the common leading indentation (and a leading newline) of an indented literal.
fn dedent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text.lines().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(line.get(indent..).unwrap_or(""));
        out.push('\n');
    }
    out
}

/// A YAML OpenAPI 3.0 document: the `openapi` and `info` fields followed by `rest` (dedented).
fn spec(rest: &str) -> String {
    format!("openapi: 3.0.3\ninfo:\n  title: Test\n  version: '1'\n{}", dedent(rest))
}

/// A spec file in a fresh directory; the output goes to `<dir>/out`.
struct Case {
    dir: TempDir,
    spec: PathBuf,
}

impl Case {
    fn new(file_name: &str, text: &str) -> Case {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join(file_name);
        fs::write(&spec, text).unwrap();
        Case { dir, spec }
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    fn run(&self) -> Output {
        generate([OsStr::new("--spec"), self.spec.as_os_str(), OsStr::new("--out"), self.out().as_os_str()])
    }

    /// Runs the generator and expects success; returns the generated files by relative path.
    /// Every generated Rust source outside the runtime copy, concatenated in path order.
    fn generated_source(&self) -> String {
        self.generated().into_iter().filter(|(path, _)| path.ends_with(".rs") && !path.starts_with("src/runtime")).map(|(_, text)| text).collect()
    }

    fn generated(&self) -> BTreeMap<String, String> {
        let output = self.run();
        assert_success(&output);
        mtimes(&self.out())
            .into_keys()
            .map(|path| {
                let text = fs::read_to_string(&path).unwrap();
                (path.strip_prefix(self.out()).unwrap().display().to_string(), text)
            })
            .collect()
    }

    /// Runs the generator and expects it to refuse the spec with exit code 1, naming the file,
    /// writing nothing and not panicking. Returns stderr.
    fn refused(&self) -> String {
        let output = self.run();
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "expected exit code 1\nstdout:\n{}\nstderr:\n{err}", stdout(&output));
        assert!(!err.contains("panicked"), "the generator panicked:\n{err}");
        assert!(err.starts_with("error: "), "{err}");
        assert!(err.contains(&self.spec.display().to_string()), "the error does not name the spec file:\n{err}");
        assert!(!self.out().exists(), "nothing may be written for a refused spec");
        err
    }

    /// Expects a refusal of `kind` ("invalid spec" or "unsupported") at exactly `pointer`, with a
    /// message containing `needle`.
    fn refused_at(&self, pointer: &str, kind: &str, needle: &str) {
        let err = self.refused();
        let prefix = format!("error: {}#{pointer}: {kind}: ", self.spec.display());
        assert!(err.starts_with(&prefix), "expected the error to start with\n  {prefix}\ngot\n  {err}");
        assert!(err.contains(needle), "expected the error to mention {needle:?}:\n{err}");
    }
}

/// A YAML spec refused at `pointer`.
fn assert_refused(rest: &str, pointer: &str, kind: &str, needle: &str) {
    Case::new("api.yaml", &spec(rest)).refused_at(pointer, kind, needle);
}

// ---------------------------------------------------------------------------------------------
// Command line and output directory
// ---------------------------------------------------------------------------------------------

#[test]
fn writes_a_crate_then_rewrites_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let first = generate_fixture(&out, &[]);
    assert_success(&first);
    assert!(stdout(&first).contains("written ("), "{}", stdout(&first));
    assert!(!stdout(&first).contains("(0 file(s) changed)"), "{}", stdout(&first));

    let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"cf\""), "{manifest}");
    for file in ["src/lib.rs", "src/types/mod.rs", "src/iam/mod.rs", "src/iam/oauth_clients.rs", "src/runtime/mod.rs", "public-api.txt"] {
        assert!(out.join(file).is_file(), "{file} was not written");
    }
    let apis = fs::read_to_string(out.join("src/iam/oauth_clients.rs")).unwrap();
    assert!(apis.contains("fn rotate_secret"), "{apis}");

    backdate(&out);
    let before = mtimes(&out);
    let second = generate_fixture(&out, &[]);
    assert_success(&second);
    assert_eq!(stdout(&second).trim(), format!("{}: written (0 file(s) changed)", out.display()));
    assert_eq!(mtimes(&out), before, "an unchanged file was rewritten");
}

/// `--profile` overrides detection (the fixture's server is Cloudflare's), over the options
/// file's `profile`; an unknown name is refused with the known ones.
#[test]
fn profile_is_chosen_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let options = dir.path().join("options.json");
    fs::write(&options, r#"{"profile": "cloudflare"}"#).unwrap();
    assert_success(&generate_fixture(&out, &["--options", options.to_str().unwrap(), "--profile", "generic"]));
    assert!(out.join("src/runtime/plain.rs").is_file() && !out.join("src/runtime/envelope.rs").exists());
    for file in ["src/lib.rs", "src/runtime/error.rs", "src/runtime/response.rs", "public-api.txt"] {
        let text = fs::read_to_string(out.join(file)).unwrap();
        assert!(!text.contains("ResultInfo") && !text.contains("cf_ray"), "{file} has Cloudflare's runtime");
    }
    assert_success(&generate_fixture(&out, &["--options", options.to_str().unwrap()]));
    assert!(fs::read_to_string(out.join("public-api.txt")).unwrap().contains("cf_ray"), "the options file's profile");

    let unknown = generate_fixture(&out, &["--profile", "petstore"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("unknown profile `petstore` (known: cloudflare, generic)"), "{}", stderr(&unknown));
}

#[test]
fn check_passes_on_fresh_output() {
    let (_dir, out) = generated_fixture();
    backdate(&out);
    let before = mtimes(&out);
    let check = generate_fixture(&out, &["--check"]);
    assert_success(&check);
    assert_eq!(stdout(&check).trim(), format!("{}: up to date (0 file(s) changed)", out.display()));
    assert_eq!(mtimes(&out), before);
}

#[test]
fn check_on_an_empty_directory_lists_missing_files_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let check = generate_fixture(&out, &["--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let err = stderr(&check);
    assert!(err.contains(&format!("missing: {}", out.join("Cargo.toml").display())), "{err}");
    assert!(err.contains(&format!("missing: {}", out.join("src/lib.rs").display())), "{err}");
    assert!(!out.exists(), "--check created the output directory");
}

#[test]
fn check_lists_an_edited_file_and_writes_nothing() {
    let (_dir, out) = generated_fixture();
    let edited = out.join("src/iam/oauth_clients.rs");
    let text = fs::read_to_string(&edited).unwrap() + "\n// a local edit\n";
    fs::write(&edited, &text).unwrap();
    backdate(&out);
    let before = mtimes(&out);

    let check = generate_fixture(&out, &["--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let err = stderr(&check);
    assert!(err.contains(&format!("changed: {}", edited.display())), "{err}");
    assert!(err.starts_with("1 file(s) differ from what"), "only the edited file differs:\n{err}");
    assert!(err.contains("rotate_secret.reference.yaml"), "{err}");
    assert_eq!(fs::read_to_string(&edited).unwrap(), text, "--check wrote the file");
    assert_eq!(mtimes(&out), before, "--check touched a file");

    // A normal run restores it, and only it.
    let write = generate_fixture(&out, &[]);
    assert_success(&write);
    assert!(stdout(&write).contains("(1 file(s) changed)"), "{}", stdout(&write));
    assert!(!fs::read_to_string(&edited).unwrap().contains("a local edit"));
    assert_success(&generate_fixture(&out, &["--check"]));
}

#[test]
fn stale_generated_files_are_listed_then_removed_but_hand_written_files_stay() {
    let (_dir, out) = generated_fixture();
    let header = header_line(&out);
    let stale = out.join("src/apis/old_group.rs");
    fs::create_dir_all(stale.parent().unwrap()).unwrap();
    fs::write(&stale, format!("{header}\n\npub struct Old;\n")).unwrap();
    let stale_nested = out.join("src/legacy/mod.rs");
    fs::create_dir_all(stale_nested.parent().unwrap()).unwrap();
    fs::write(&stale_nested, format!("{header}\n")).unwrap();
    // Hand-written: no header, or the header text somewhere other than the first line.
    let hand = out.join("src/hand_written.rs");
    fs::write(&hand, "//! Mine.\npub fn helper() {}\n").unwrap();
    let quoted = out.join("src/apis/notes.rs");
    fs::write(&quoted, format!("// Notes.\n{header}\n")).unwrap();
    let not_rust = out.join("src/README.md");
    fs::write(&not_rust, format!("{header}\n")).unwrap();

    let check = generate_fixture(&out, &["--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let err = stderr(&check);
    assert!(err.contains(&format!("stale:   {}", stale.display())), "{err}");
    assert!(err.contains(&format!("stale:   {}", stale_nested.display())), "{err}");
    assert!(err.starts_with("2 file(s) differ"), "{err}");
    for kept in [&hand, &quoted, &not_rust] {
        assert!(!err.contains(&kept.display().to_string()), "{} is listed:\n{err}", kept.display());
    }
    assert!(stale.exists() && stale_nested.exists(), "--check removed a file");

    let write = generate_fixture(&out, &[]);
    assert_success(&write);
    assert!(stdout(&write).contains("(2 file(s) changed)"), "{}", stdout(&write));
    assert!(!stale.exists() && !stale_nested.exists(), "stale generated files were not removed");
    for kept in [&hand, &quoted, &not_rust] {
        assert!(kept.exists(), "{} was removed", kept.display());
    }
    assert_success(&generate_fixture(&out, &["--check"]));
}

#[test]
fn hand_written_files_in_the_way_are_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("project");
    fs::create_dir_all(out.join("src")).unwrap();
    let manifest = "[package]\nname = \"mine\"\nversion = \"1.0.0\"\n";
    let lib = "//! My own crate.\npub fn mine() {}\n";
    fs::write(out.join("Cargo.toml"), manifest).unwrap();
    fs::write(out.join("src/lib.rs"), lib).unwrap();

    let output = generate_fixture(&out, &[]);

    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("refusing to overwrite"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(fs::read_to_string(out.join("Cargo.toml")).unwrap(), manifest);
    assert_eq!(fs::read_to_string(out.join("src/lib.rs")).unwrap(), lib);
    assert!(!out.join("src/types/mod.rs").exists(), "nothing may be written when a file is in the way");
}

#[test]
fn help_exits_zero_with_usage() {
    for flag in ["--help", "-h"] {
        let output = generate([flag]);
        assert_success(&output);
        assert!(stdout(&output).starts_with("usage: generate --spec FILE --out DIR"), "{}", stdout(&output));
        assert!(stderr(&output).is_empty(), "{}", stderr(&output));
    }
}

#[test]
fn bad_arguments_exit_2_with_usage() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let fixture = fixture();
    let spec = fixture.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&[], "--spec is required"),
        (&["--out", out], "--spec is required"),
        (&["--spec", spec], "--out is required"),
        (&["--spec", spec, "--out", out, "--frobnicate"], "unexpected argument `--frobnicate`"),
        (&["--spec", spec, "--out", out, "extra"], "unexpected argument `extra`"),
        (&["--spec", spec, "--out"], "--out needs a value"),
        (&["--spec"], "--spec needs a value"),
        (&["--spec", spec, "--out", out, "--name"], "--name needs a value"),
        // The name goes into the generated Cargo.toml: nothing may break or extend it.
        (&["--spec", spec, "--out", out, "--name", "x\"\n[dependencies]\nevil = \"1\""], "invalid option: crate name"),
        (&["--spec", spec, "--out", out, "--name", ""], "invalid option: crate name"),
        (&["--spec", spec, "--out", out, "--name", "1password"], "invalid option: crate name"),
        (&["--spec", spec, "--out", out, "--name", "my crate"], "invalid option: crate name"),
        (&["--spec", spec, "--out", out, "--name", "café"], "invalid option: crate name"),
    ];
    for (args, message) in cases {
        let output = generate(*args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(&format!("error: {message}")), "{args:?}: {err}");
        assert!(err.contains("usage: generate --spec FILE --out DIR"), "{args:?}: {err}");
        assert!(stdout(&output).is_empty(), "{args:?}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    assert!(!Path::new(out).exists(), "a usage error wrote output");
}

#[test]
fn an_options_file_names_the_crate_and_fills_its_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let options = dir.path().join("crate.json");
    fs::write(&options, r#"{"name": "pets", "version": "2.0.0", "license": "MIT", "keywords": ["pets"]}"#).unwrap();
    let out = dir.path().join("out");
    let fixture = fixture();
    let args = [OsStr::new("--spec"), fixture.as_os_str(), OsStr::new("--out"), out.as_os_str(), OsStr::new("--options"), options.as_os_str()];
    assert_success(&generate(args));
    let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
    for line in ["name = \"pets\"\n", "version = \"2.0.0\"\n", "license = \"MIT\"\n", "keywords = [\"pets\"]\n", "readme = \"README.md\"\n"] {
        assert!(manifest.contains(line), "{line:?} missing from:\n{manifest}");
    }
    assert!(fs::read_to_string(out.join("README.md")).unwrap().contains("pets = { version = \"2.0.0\""));

    // A bad file is a usage error that names it, and writes nothing.
    fs::write(&options, r#"{"name": "pets", "licence": "MIT"}"#).unwrap();
    let out = dir.path().join("out2");
    let args = [OsStr::new("--spec"), fixture.as_os_str(), OsStr::new("--out"), out.as_os_str(), OsStr::new("--options"), options.as_os_str()];
    let output = generate(args);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("crate.json: invalid option: unknown option `licence`"), "{}", stderr(&output));
    assert!(!out.exists());
    let missing = dir.path().join("missing.json");
    let args = [OsStr::new("--spec"), fixture.as_os_str(), OsStr::new("--out"), out.as_os_str(), OsStr::new("--options"), missing.as_os_str()];
    assert_eq!(generate(args).status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// Files that are not OpenAPI 3.0 documents
// ---------------------------------------------------------------------------------------------

#[test]
fn missing_spec_file() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("nowhere.yaml");
    let out = dir.path().join("out");
    let output = generate([OsStr::new("--spec"), spec.as_os_str(), OsStr::new("--out"), out.as_os_str()]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.starts_with(&format!("error: {}: cannot read the spec: ", spec.display())), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists());
}

#[test]
fn unreadable_spec_file() {
    // Bytes that are not UTF-8 cannot be read as text, whoever runs the test (permission bits do
    // not stop root, and a directory is now a spec directory).
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("api.yaml");
    fs::write(&spec, b"openapi: \xff\xfe").unwrap();
    let out = dir.path().join("out");
    let output = generate([OsStr::new("--spec"), spec.as_os_str(), OsStr::new("--out"), out.as_os_str()]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.starts_with(&format!("error: {}: cannot read the spec: ", spec.display())), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists());
}

#[test]
fn invalid_yaml() {
    let case = Case::new("api.yaml", "openapi: 3.0.3\ninfo: [title, version\npaths: {}\n");
    let err = case.refused();
    assert!(err.starts_with(&format!("error: {}: not valid YAML: ", case.spec.display())), "{err}");
    assert!(err.contains("line 3"), "the error gives no position:\n{err}");
}

#[test]
fn invalid_json() {
    let case = Case::new("api.json", "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\",}}\n");
    let err = case.refused();
    assert!(err.starts_with(&format!("error: {}: not valid JSON: ", case.spec.display())), "{err}");
    assert!(err.contains("line 1"), "{err}");
}

#[test]
fn json_content_is_read_as_json_whatever_the_extension() {
    // No extension: the first character decides, so a JSON syntax error is reported as JSON.
    let case = Case::new("api", "{\"openapi\": ");
    let err = case.refused();
    assert!(err.contains(": not valid JSON: "), "{err}");
}

#[test]
fn a_document_that_is_not_a_mapping() {
    for (name, text) in [("api.yaml", "just a string\n"), ("api.yaml", "- openapi\n- 3.0.3\n"), ("api.yaml", ""), ("api.json", "42"), ("api.json", "[]")] {
        Case::new(name, text).refused_at("", "invalid spec", "the document is not a mapping");
    }
}

#[test]
fn no_openapi_field() {
    Case::new("api.yaml", "info:\n  title: t\n  version: '1'\npaths: {}\n").refused_at(
        "",
        "invalid spec",
        "there is no `openapi` field",
    );
}

#[test]
fn swagger_2() {
    Case::new("api.yaml", "swagger: '2.0'\ninfo:\n  title: t\n  version: '1'\npaths: {}\n").refused_at(
        "/swagger",
        "unsupported",
        "convert to OpenAPI 3.0",
    );
}

#[test]
fn openapi_versions_after_3_1() {
    for version in ["3.2.0", "4.0.0", "3.10.0"] {
        Case::new("api.yaml", &format!("openapi: {version}\ninfo:\n  title: t\n  version: '1'\npaths: {{}}\n")).refused_at(
            "/openapi",
            "unsupported",
            &format!("OpenAPI version {version} is not supported"),
        );
    }
}

#[test]
fn openapi_version_that_is_not_a_string() {
    // Unquoted, YAML reads `3.0` as a number.
    Case::new("api.yaml", "openapi: 3.0\ninfo:\n  title: t\n  version: '1'\npaths: {}\n").refused_at(
        "/openapi",
        "invalid spec",
        "`openapi` must be a string",
    );
}

// ---------------------------------------------------------------------------------------------
// Wrong shapes: the pointer names the innermost offending node
// ---------------------------------------------------------------------------------------------

#[test]
fn paths_is_not_a_mapping() {
    assert_refused("paths: 5\n", "/paths", "invalid spec", "invalid type: number, expected a mapping");
}

#[test]
fn info_is_missing_a_field() {
    Case::new("api.yaml", "openapi: 3.0.3\ninfo:\n  title: t\npaths: {}\n").refused_at(
        "/info",
        "invalid spec",
        "missing field `version`",
    );
}

#[test]
fn parameter_without_in() {
    assert_refused(
        r#"
        paths:
          /pets/{id}:
            get:
              parameters:
                - name: id
                  required: true
                  schema: {type: string}
              responses:
                '200': {description: ok}
        "#,
        "/paths/~1pets~1{id}/get/parameters/0",
        "invalid spec",
        "missing field `in`",
    );
}

#[test]
fn parameter_schema_of_the_wrong_type() {
    assert_refused(
        r#"
        paths:
          /pets:
            get:
              parameters:
                - {name: limit, in: query, schema: 5}
              responses:
                '200': {description: ok}
        "#,
        "/paths/~1pets/get/parameters/0/schema",
        "invalid spec",
        "invalid type: integer `5`",
    );
}

#[test]
fn path_level_parameter_of_the_wrong_shape() {
    assert_refused(
        r#"
        paths:
          /pets:
            parameters:
              - {name: limit, in: body}
            get:
              responses:
                '200': {description: ok}
        "#,
        "/paths/~1pets/parameters/0/in",
        "invalid spec",
        "unknown variant `body`",
    );
}

#[test]
fn response_description_of_the_wrong_type() {
    assert_refused(
        r#"
        paths:
          /pets:
            get:
              responses:
                '200': {description: [not, a, string]}
        "#,
        "/paths/~1pets/get/responses/200/description",
        "invalid spec",
        "expected a string",
    );
}

#[test]
fn schema_keyword_of_the_wrong_type_deep_in_components() {
    assert_refused(
        r#"
        paths: {}
        components:
          schemas:
            Pet:
              type: object
              properties:
                tags:
                  type: array
                  items:
                    type: object
                    properties: [name]
        "#,
        "/components/schemas/Pet/properties/tags/items/properties",
        "invalid spec",
        "invalid type: list, expected a mapping",
    );
}

/// Found by the fuzz harness (FUZZING.md): `openapiv3` retries a schema's subtree once per
/// variant of its untagged enums, so a bad schema nested n levels deep took about 2^n attempts
/// (the fuzzer's case hung for hours). The loader now checks schemas innermost first.
#[test]
fn bad_schema_nested_deep_is_refused_quickly() {
    let depth = 40;
    let mut schema = "{type: string, minLength: many}".to_owned();
    let mut pointer = "/components/schemas/Deep".to_owned();
    for i in 0..depth {
        schema = format!("{{type: object, properties: {{p{i}: {schema}}}}}");
    }
    for i in (0..depth).rev() {
        pointer.push_str(&format!("/properties/p{i}"));
    }
    let started = std::time::Instant::now();
    assert_refused(&format!("paths: {{}}\ncomponents:\n  schemas:\n    Deep: {schema}\n"), &pointer, "invalid spec", "invalid type");
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
}

/// Found by the fuzz harness: the pointer said `responses/2XX` where the spec says `2xx`.
#[test]
fn error_pointer_spells_a_status_range_as_written() {
    assert_refused(
        r#"
        paths:
          /pets:
            get:
              operationId: get-pets
              responses:
                2xx:
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: 'other.yaml#/Pet'}
        "#,
        "/paths/~1pets/get/responses/2xx/content/application~1json/schema",
        "unsupported",
        "external $ref",
    );
}

#[test]
fn request_body_schema_of_the_wrong_type() {
    assert_refused(
        r#"
        paths:
          /pets:
            post:
              requestBody:
                content:
                  application/json:
                    schema: {type: object, required: yes}
              responses:
                '200': {description: ok}
        "#,
        "/paths/~1pets/post/requestBody/content/application~1json/schema",
        "invalid spec",
        "invalid type",
    );
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

/// An operation returning `schema` (a YAML flow value), plus `components` (dedented YAML).
fn returning(schema: &str, components: &str) -> String {
    format!(
        "paths:\n  /pets:\n    get:\n      operationId: get-pets\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n{}",
        dedent(components)
    )
}

const RESPONSE_SCHEMA: &str = "/paths/~1pets/get/responses/200/content/application~1json/schema";

#[test]
fn dangling_ref() {
    assert_refused(
        &returning("{$ref: '#/components/schemas/Missing'}", "components: {schemas: {}}"),
        RESPONSE_SCHEMA,
        "invalid spec",
        "$ref `#/components/schemas/Missing` points to no schema",
    );
}

#[test]
fn dangling_ref_without_components() {
    assert_refused(
        &returning("{$ref: '#/components/schemas/Missing'}", ""),
        RESPONSE_SCHEMA,
        "invalid spec",
        "points to no schema",
    );
}

#[test]
fn dangling_ref_in_a_property() {
    assert_refused(
        &returning(
            "{$ref: '#/components/schemas/Pet'}",
            r#"
            components:
              schemas:
                Pet:
                  type: object
                  properties:
                    owner: {$ref: '#/components/schemas/Missing'}
            "#,
        ),
        "/components/schemas/Pet/properties/owner",
        "invalid spec",
        "$ref `#/components/schemas/Missing` points to no schema",
    );
}

#[test]
fn dangling_parameter_ref() {
    assert_refused(
        r#"
        paths:
          /pets:
            get:
              parameters:
                - $ref: '#/components/parameters/Limit'
              responses:
                '200': {description: ok}
        "#,
        "/paths/~1pets/get/parameters/0",
        "invalid spec",
        "points to no parameter",
    );
}

#[test]
fn external_ref() {
    assert_refused(
        &returning("{$ref: 'other.yaml#/x'}", ""),
        RESPONSE_SCHEMA,
        "unsupported",
        "external $ref `other.yaml#/x`",
    );
}

#[test]
fn ref_to_something_that_is_not_a_schema() {
    // Any pointer within the document may be a `$ref`'s target, but a path item is no schema.
    assert_refused(
        &returning("{$ref: '#/paths/~1pets'}", ""),
        RESPONSE_SCHEMA,
        "invalid spec",
        "$ref `#/paths/~1pets` points to a path item, not a schema",
    );
    assert_refused(
        &returning("{$ref: '#/paths/~1pets/get/responses/200'}", ""),
        RESPONSE_SCHEMA,
        "invalid spec",
        "points to a response, not a schema",
    );
}

#[test]
fn ref_to_an_anchor() {
    assert_refused(&returning("{$ref: '#Pet'}", ""), RESPONSE_SCHEMA, "unsupported", "is not a JSON pointer");
}

#[test]
fn all_of_cycle() {
    assert_refused(
        &returning(
            "{$ref: '#/components/schemas/A'}",
            r#"
            components:
              schemas:
                A:
                  allOf: [{$ref: '#/components/schemas/B'}]
                B:
                  allOf: [{$ref: '#/components/schemas/A'}]
            "#,
        ),
        "/components/schemas/B/allOf/0",
        "invalid spec",
        "allOf cycle: `/components/schemas/A` includes itself",
    );
}

#[test]
fn all_of_including_itself() {
    assert_refused(
        &returning(
            "{$ref: '#/components/schemas/A'}",
            r#"
            components:
              schemas:
                A:
                  type: object
                  allOf: [{$ref: '#/components/schemas/A'}]
            "#,
        ),
        "/components/schemas/A/allOf/0",
        "invalid spec",
        "allOf cycle",
    );
}

#[test]
fn all_of_cycle_reached_from_a_request_body() {
    assert_refused(
        r#"
        paths:
          /pets:
            post:
              requestBody:
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/A'}
              responses: {'204': {description: ok}}
        components:
          schemas:
            A:
              description: a wrapper
              allOf: [{$ref: '#/components/schemas/B'}]
            B:
              allOf: [{$ref: '#/components/schemas/A'}]
        "#,
        "/components/schemas/B/allOf/0",
        "invalid spec",
        "allOf cycle",
    );
}

#[test]
fn all_of_cycle_reached_from_a_property() {
    assert_refused(
        &returning(
            "{$ref: '#/components/schemas/Pet'}",
            r#"
            components:
              schemas:
                Pet:
                  type: object
                  properties:
                    owner: {$ref: '#/components/schemas/A'}
                A:
                  allOf: [{$ref: '#/components/schemas/B'}]
                B:
                  allOf: [{$ref: '#/components/schemas/A'}]
            "#,
        ),
        "/components/schemas/B/allOf/0",
        "invalid spec",
        "allOf cycle",
    );
}

#[test]
fn array_of_itself() {
    assert_refused(
        &returning(
            "{$ref: '#/components/schemas/Tree'}",
            r#"
            components:
              schemas:
                Tree:
                  type: array
                  items: {$ref: '#/components/schemas/Tree'}
            "#,
        ),
        "/components/schemas/Tree/items",
        "unsupported",
        "`/components/schemas/Tree` includes itself with no object in between",
    );
}

#[test]
fn array_of_objects_that_contain_the_array_is_fine() {
    // The Cloudflare request tracer: an array whose items hold the array again. The struct in
    // between carries the recursion.
    let case = Case::new(
        "api.yaml",
        &spec(&returning(
            "{$ref: '#/components/schemas/trace'}",
            r#"
            components:
              schemas:
                trace:
                  type: array
                  items:
                    type: object
                    properties:
                      name: {type: string}
                      trace: {$ref: '#/components/schemas/trace'}
            "#,
        )),
    );
    let source = case.generated_source();
    assert!(source.contains("Vec<TraceItem>"), "{source}");
}

#[test]
fn ref_chain_cycle() {
    assert_refused(
        &returning(
            "{$ref: '#/components/schemas/A'}",
            r#"
            components:
              schemas:
                A: {$ref: '#/components/schemas/B'}
                B: {$ref: '#/components/schemas/A'}
            "#,
        ),
        RESPONSE_SCHEMA,
        "invalid spec",
        "$ref `#/components/schemas/A` is a cycle of references",
    );
}

#[test]
fn recursive_schemas_are_fine() {
    // Recursion through a property is a recursive type, not a cycle.
    let case = Case::new(
        "api.yaml",
        &spec(&returning(
            "{$ref: '#/components/schemas/Node'}",
            r#"
            components:
              schemas:
                Node:
                  type: object
                  properties:
                    next: {$ref: '#/components/schemas/Node'}
                    children: {type: array, items: {$ref: '#/components/schemas/Node'}}
            "#,
        )),
    );
    let source = case.generated_source();
    assert!(source.contains("Box<Node>"), "{source}");
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

#[test]
fn duplicate_operation_ids() {
    assert_refused(
        r#"
        paths:
          /a:
            get:
              operationId: fetch
              responses: {'200': {description: ok}}
          /b:
            get:
              operationId: fetch
              responses: {'200': {description: ok}}
        "#,
        "/paths/~1b/get/operationId",
        "invalid spec",
        "operationId `fetch` is already used at /paths/~1a/get",
    );
}

/// Runs `generate` on `case` with `extra` flags.
fn run_with(case: &Case, extra: &[&str]) -> Output {
    let mut args = vec![OsStr::new("--spec"), case.spec.as_os_str(), OsStr::new("--out")];
    let out = case.out();
    args.push(out.as_os_str());
    args.extend(extra.iter().map(OsStr::new));
    generate(args)
}

/// Expects success with exactly `warnings` (pointer, reason) on standard error, in order; then
/// `--strict` to refuse the spec, writing nothing, and `--report` to list the same warnings.
/// Returns the generated files.
fn survived_with_warnings(rest: &str, warnings: &[(&str, &str)]) -> BTreeMap<String, String> {
    let case = Case::new("api.yaml", &spec(rest));
    let strict = run_with(&case, &["--strict"]);
    assert_eq!(strict.status.code(), Some(1), "--strict must refuse:\n{}", stderr(&strict));
    assert!(stderr(&strict).contains("--strict: nothing written"), "{}", stderr(&strict));
    assert!(!case.out().exists(), "--strict wrote files");

    let output = run_with(&case, &["--report"]);
    assert_success(&output);
    let file = case.spec.display().to_string();
    let expected: Vec<String> = warnings.iter().map(|(pointer, reason)| format!("warning: {file}#{pointer}: {reason}")).collect();
    let err = stderr(&output);
    let said: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(said.len(), expected.len(), "{err}");
    for (line, expected) in said.iter().zip(&expected) {
        assert!(line.starts_with(expected.as_str()), "expected {expected:?}, got {line:?}");
    }
    let report = stdout(&output);
    for expected in &expected {
        assert!(report.contains(expected.as_str()), "--report lacks {expected:?}:\n{report}");
    }
    assert!(report.contains(&format!("{:>6} total", warnings.len())) || report.contains("fallback"), "{report}");
    case.generated()
}

/// The generated Rust sources outside the runtime copy, as one text.
fn api_sources(files: &BTreeMap<String, String>) -> String {
    files.iter().filter(|(path, _)| path.ends_with(".rs") && !path.starts_with("src/runtime")).map(|(_, text)| text.as_str()).collect()
}

/// The generated Rust sources under `out/src` (the runtime copy left out), as one text.
fn sources_in(out: &Path) -> String {
    let files: BTreeMap<String, String> = mtimes(out)
        .into_keys()
        .map(|path| (path.strip_prefix(out).unwrap().display().to_string(), fs::read_to_string(&path).unwrap()))
        .collect();
    api_sources(&files)
}

#[test]
fn template_variable_nothing_declares_becomes_a_required_string() {
    let files = survived_with_warnings(
        r#"
        paths:
          /pets/{id}/toys/{toy_id}:
            get:
              operationId: get-toy
              parameters:
                - {name: toy_id, in: path, required: true, schema: {type: integer}}
              responses: {'200': {description: ok}}
        "#,
        &[("/paths/~1pets~1{id}~1toys~1{toy_id}/get", "path template variable that no parameter declares, taken as a required string")],
    );
    let apis = api_sources(&files);
    assert!(apis.contains("id: &str") && apis.contains("toy_id: i64"), "{apis}");
}

#[test]
fn template_parameter_declared_as_a_query_parameter() {
    assert_refused(
        r#"
        paths:
          /pets/{id}:
            get:
              parameters:
                - {name: id, in: query, schema: {type: string}}
              responses: {'200': {description: ok}}
        "#,
        "/paths/~1pets~1{id}/get",
        "invalid spec",
        "no path parameter `id` is declared",
    );
}

#[test]
fn declared_path_parameter_missing_from_the_template_is_ignored() {
    let files = survived_with_warnings(
        r#"
        paths:
          /pets:
            get:
              operationId: list-pets
              parameters:
                - {name: limit, in: query, schema: {type: integer}}
                - {name: id, in: path, required: true, schema: {type: string}}
              responses: {'200': {description: ok}}
        "#,
        &[("/paths/~1pets/get/parameters/1", "path parameter that the path template does not use, ignored")],
    );
    let apis = api_sources(&files);
    assert!(!apis.contains("id: &str"), "{apis}");
}

#[test]
fn path_level_parameter_missing_from_the_template_is_ignored_once() {
    // Two operations share the path-level parameter: one warning, at its one place.
    survived_with_warnings(
        r#"
        paths:
          /pets:
            parameters:
              - {name: id, in: path, required: true, schema: {type: string}}
            get:
              responses: {'200': {description: ok}}
            delete:
              responses: {'204': {description: ok}}
        "#,
        &[("/paths/~1pets/parameters/0", "path parameter that the path template does not use, ignored")],
    );
}

#[test]
fn a_renamed_path_parameter_is_both_ignored_and_invented() {
    // The mistake seen in public descriptions: `cert_id` declared where the path says
    // `{certificate_id}`.
    survived_with_warnings(
        r#"
        paths:
          /certificates/{certificate_id}:
            get:
              parameters:
                - {name: cert_id, in: path, required: true, schema: {type: string}}
              responses: {'200': {description: ok}}
        "#,
        &[
            ("/paths/~1certificates~1{certificate_id}/get/parameters/0", "path parameter that the path template does not use"),
            ("/paths/~1certificates~1{certificate_id}/get", "path template variable that no parameter declares"),
        ],
    );
}

#[test]
fn response_ref_to_a_request_body_of_the_same_shape_is_followed() {
    let files = survived_with_warnings(
        r#"
        paths:
          /pets:
            get:
              operationId: list-pets
              responses:
                '200': {$ref: '#/components/requestBodies/Pets'}
        components:
          requestBodies:
            Pets:
              description: the pets
              content:
                application/json:
                  schema: {type: array, items: {type: string}}
        "#,
        &[("/paths/~1pets/get/responses/200", "$ref to an object of another kind but the right shape, followed")],
    );
    let apis = api_sources(&files);
    assert!(apis.contains("Vec<String>"), "{apis}");
}

#[test]
fn ref_to_a_component_of_another_kind_and_shape_is_refused() {
    assert_refused(
        r#"
        paths:
          /pets:
            get:
              parameters:
                - $ref: '#/components/requestBodies/Pets'
              responses: {'200': {description: ok}}
        components:
          requestBodies:
            Pets:
              content: {application/json: {schema: {type: string}}}
        "#,
        "/paths/~1pets/get/parameters/0",
        "invalid spec",
        "$ref `#/components/requestBodies/Pets` points to a request body, not a parameter",
    );
}

#[test]
fn path_parameter_used_twice_in_the_template_is_one_argument() {
    let case = Case::new(
        "api.yaml",
        &spec(
            r#"
            paths:
              /pets/{id}/{id}:
                get:
                  parameters:
                    - {name: id, in: path, required: true, schema: {type: string}}
                  responses: {'200': {description: ok}}
            "#,
        ),
    );
    let apis = case.generated_source();
    assert!(apis.contains("(&self, id: &str)"), "{apis}");
    assert!(apis.contains("\"/pets/{id}/{id}\""), "{apis}");
}

#[test]
fn unclosed_path_template() {
    assert_refused(
        r#"
        paths:
          /pets/{id:
            get:
              responses: {'200': {description: ok}}
        "#,
        "/paths/~1pets~1{id/get",
        "invalid spec",
        "unclosed `{`",
    );
}

#[test]
fn a_parameter_with_an_empty_name_is_left_out() {
    // Converted collections write a blank header row as `{name: '', in: header}` (Notion's).
    let files = survived_with_warnings(
        r#"
        paths:
          /pets:
            parameters:
              - {name: '', in: header, schema: {type: string}}
            get:
              operationId: list-pets
              parameters:
                - {name: '', in: query, schema: {type: string}}
                - {name: limit, in: query, schema: {type: integer}}
              responses: {'200': {description: ok}}
            post:
              operationId: create-pet
              responses: {'204': {description: ok}}
        "#,
        &[
            ("/paths/~1pets/parameters/0/name", "parameter with an empty name (it cannot be sent), ignored"),
            ("/paths/~1pets/get/parameters/0/name", "parameter with an empty name (it cannot be sent), ignored"),
        ],
    );
    let sources = api_sources(&files);
    assert!(sources.contains("limit(u64)"), "the setter of `limit` (a `setters!` entry): {sources}");
}

#[test]
fn cookie_parameter() {
    assert_refused(
        r#"
        paths:
          /pets:
            get:
              parameters:
                - {name: session, in: cookie, schema: {type: string}}
              responses: {'200': {description: ok}}
        "#,
        "/paths/~1pets/get/parameters/0",
        "unsupported",
        "cookie parameters are not supported",
    );
}

#[test]
fn cookie_parameter_by_reference_points_at_its_definition() {
    assert_refused(
        r#"
        paths:
          /pets:
            get:
              parameters:
                - $ref: '#/components/parameters/Session'
              responses: {'200': {description: ok}}
        components:
          parameters:
            Session: {name: session, in: cookie, schema: {type: string}}
        "#,
        "/components/parameters/Session",
        "unsupported",
        "cookie parameters are not supported",
    );
}

#[test]
fn undefined_security_scheme_on_an_operation() {
    assert_refused(
        r#"
        paths:
          /pets:
            get:
              security:
                - api_token: []
                - oauth: [read]
              responses: {'200': {description: ok}}
        components:
          securitySchemes:
            api_token: {type: http, scheme: bearer}
        "#,
        "/paths/~1pets/get/security/1/oauth",
        "invalid spec",
        "security scheme `oauth` is not defined in components.securitySchemes",
    );
}

#[test]
fn undefined_security_scheme_in_the_document_requirements() {
    assert_refused(
        r#"
        security:
          - nope: []
        paths:
          /pets:
            get:
              responses: {'200': {description: ok}}
        "#,
        "/security/0/nope",
        "invalid spec",
        "security scheme `nope` is not defined",
    );
}

#[test]
fn undefined_security_scheme_after_an_unmodelled_one() {
    // An OAuth requirement makes the operation accept any credentials; the later names are
    // still checked.
    assert_refused(
        r#"
        paths:
          /pets:
            get:
              security:
                - oauth: []
                - nope: []
              responses: {'200': {description: ok}}
        components:
          securitySchemes:
            oauth: {type: oauth2, flows: {}}
        "#,
        "/paths/~1pets/get/security/1/nope",
        "invalid spec",
        "security scheme `nope` is not defined",
    );
}

#[test]
fn request_body_media_type_that_is_not_a_header_value() {
    for media in ["text/plain\nX-Injected: 1", "text/plain; charset=\u{fc}tf-8", "text/plain\u{7f}"] {
        let text = spec(&format!(
            "paths:\n  /upload:\n    post:\n      requestBody:\n        content:\n          {}: {{}}\n      responses: {{'204': {{description: ok}}}}\n",
            serde_json_string(media)
        ));
        let case = Case::new("api.yaml", &text);
        case.refused_at(
            &format!("/paths/~1upload/post/requestBody/content/{}", media.replace('/', "~1")),
            "unsupported",
            "cannot be sent as a Content-Type header",
        );
    }
}

#[test]
fn referenced_request_body_media_type_points_at_its_definition() {
    assert_refused(
        r#"
        paths:
          /upload:
            post:
              requestBody: {$ref: '#/components/requestBodies/Upload'}
              responses: {'204': {description: ok}}
        components:
          requestBodies:
            Upload:
              content:
                "application/\u00e9": {}
        "#,
        "/components/requestBodies/Upload/content/application~1\u{e9}",
        "unsupported",
        "cannot be sent as a Content-Type header",
    );
}

/// A double-quoted YAML (and JSON) string for `text`.
fn serde_json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f || !c.is_ascii() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[test]
fn raw_request_body_with_a_valid_media_type_is_fine() {
    let case = Case::new(
        "api.yaml",
        &spec(
            r#"
            paths:
              /upload:
                post:
                  operationId: upload
                  requestBody:
                    required: true
                    content:
                      "application/octet-stream; q=0.9": {}
                  responses: {'204': {description: ok}}
            "#,
        ),
    );
    let source = case.generated_source();
    assert!(source.contains("\"application/octet-stream; q=0.9\""), "{source}");
}

// ---------------------------------------------------------------------------------------------
// Awkward but valid specs
// ---------------------------------------------------------------------------------------------

#[test]
fn missing_operation_ids_get_derived_names() {
    let case = Case::new(
        "api.yaml",
        &spec(
            r#"
            paths:
              /pets/{pet-id}:
                get:
                  parameters:
                    - {name: pet-id, in: path, required: true, schema: {type: string}}
                  responses: {'200': {description: ok}}
                delete:
                  parameters:
                    - {name: pet-id, in: path, required: true, schema: {type: string}}
                  responses: {'204': {description: gone}}
              /pets:
                post:
                  responses: {'201': {description: made}}
            "#,
        ),
    );
    let apis = case.generated_source();
    // Named by their paths: `client.pets().get(..)`, `.delete(..)`, `.create()`.
    for method in ["fn get(", "fn delete(", "fn create("] {
        assert!(apis.contains(method), "{method} missing:\n{apis}");
    }
}

#[test]
fn names_that_sanitize_to_the_same_identifier() {
    let case = Case::new(
        "api.yaml",
        &spec(
            r#"
            tags:
              - name: Pets
              - name: pets
            paths:
              /a:
                get:
                  tags: [Pets]
                  operationId: list-pets
                  parameters:
                    - {name: page-size, in: query, schema: {type: integer}}
                    - {name: page_size, in: query, schema: {type: integer}}
                    - {name: pageSize, in: header, schema: {type: integer}}
                    - {name: self, in: query, schema: {type: string}}
                    - {name: body, in: query, schema: {type: string}}
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Pet-Info'}
              /b:
                get:
                  tags: [Pets]
                  operationId: list_pets
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Pet_Info'}
              /c:
                get:
                  tags: [pets]
                  operationId: listPets
                  responses: {'200': {description: ok}}
            components:
              schemas:
                Pet-Info:
                  type: object
                  properties:
                    foo-bar: {type: string}
                    foo_bar: {type: string}
                    fooBar: {type: string}
                    type: {type: string}
                    Type: {type: string}
                    kind:
                      type: string
                      enum: [a-b, a_b, A B, UnknownValue, unknown-value]
                Pet_Info:
                  type: object
                  properties:
                    name: {type: string}
                String:
                  type: string
            "#,
        ),
    );
    let types = case.generated_source();
    for needle in ["pub struct PetInfo", "pub struct PetInfo2", "foo_bar_2", "foo_bar_3", "r#type", "type_2", "AB2", "AB3"] {
        assert!(types.contains(needle), "{needle} missing:\n{types}");
    }
    // `Pet-Info` and `Pet_Info` want one name: the pointer that sorts first keeps it.
    assert!(types.contains("PetInfo2"), "{types}");
}

#[test]
fn empty_names() {
    let case = Case::new(
        "api.yaml",
        &spec(
            r#"
            paths:
              /things:
                get:
                  tags: ['']
                  operationId: ''
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            type: object
                            properties:
                              '': {type: string}
                              '-': {type: string}
                              kind: {type: string, enum: ['', '-', ' ']}
            "#,
        ),
    );
    let types = case.generated_source();
    assert!(types.contains("pub value: Option<String> = \"\" optional,"), "{types}");
}

#[test]
fn non_ascii_names() {
    let case = Case::new(
        "api.yaml",
        &spec(
            r#"
            paths:
              /gäste/{ключ}:
                get:
                  tags: [Gäste]
                  operationId: 获取客人
                  parameters:
                    - {name: ключ, in: path, required: true, schema: {type: string}}
                    - {name: größe, in: query, schema: {type: string, enum: [klein, groß, 大]}}
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Gästeliste'}
            components:
              schemas:
                Gästeliste:
                  description: "Eine Liste – mit Gedankenstrich 🎉"
                  type: object
                  properties:
                    名前: {type: string}
                    émoji🎉: {type: string}
            "#,
        ),
    );
    let files = case.generated();
    for (path, text) in &files {
        if path.ends_with(".rs") && !path.starts_with("src/runtime") {
            // Identifiers are ASCII; non-ASCII only survives in strings and docs.
            for line in text.lines().filter(|l| !l.trim_start().starts_with("//") && !l.contains('"')) {
                assert!(line.is_ascii(), "{path}: non-ASCII outside strings and docs: {line}");
            }
        }
    }
    let types: String = files.iter().filter(|(p, _)| p.ends_with(".rs")).map(|(_, t)| t.as_str()).collect();
    assert!(types.contains("\"名前\""), "{types}");
    assert!(types.contains("\"groß\""), "{types}");
}

#[test]
fn huge_enum() {
    let values: Vec<String> = (0..2000).map(|i| format!("value-{i}")).collect();
    let case = Case::new(
        "api.yaml",
        &spec(&returning(&format!("{{type: string, enum: [{}]}}", values.join(", ")), "")),
    );
    let types = case.generated_source();
    assert!(types.contains("Value0 = \"value-0\",") && types.contains("Value1999 = \"value-1999\","), "{}", &types[..types.len().min(2000)]);
}

/// A response schema of `levels` objects, each the single property of the one above.
fn nested_objects(levels: usize) -> String {
    let mut schema = String::from("{type: string}");
    for i in 0..levels {
        schema = format!("{{type: object, properties: {{p{i}: {schema}}}}}");
    }
    spec(&returning(&schema, ""))
}

#[test]
fn deep_nesting_within_the_limit() {
    let types = Case::new("api.yaml", &nested_objects(50)).generated_source();
    assert!(types.matches("pub struct").count() >= 50, "{types}");
}

#[test]
fn nesting_beyond_what_the_parser_allows() {
    // 100 objects are 200 levels of YAML mappings: the parser stops at 128, with a clear error.
    Case::new("api.yaml", &nested_objects(100)).refused_at("", "unsupported", "more than 128 levels deep");
}

#[test]
fn nesting_beyond_the_parser_limit_in_json() {
    let mut schema = String::from("{\"type\": \"string\"}");
    for _ in 0..100 {
        schema = format!("{{\"type\": \"array\", \"items\": {schema}}}");
    }
    schema = format!("{{\"type\": \"array\", \"items\": {{\"type\": \"array\", \"items\": {schema}}}}}");
    let mut deeper = schema;
    for _ in 0..40 {
        deeper = format!("{{\"type\": \"array\", \"items\": {deeper}}}");
    }
    let text = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Deep\": {deeper}}}}}}}"
    );
    Case::new("api.json", &text).refused_at("", "unsupported", "more than 128 levels deep");
}

#[test]
fn nesting_beyond_the_generator_limit() {
    // 100 nested arrays are only 100 levels of mappings, so they reach the lowering's limit.
    let mut schema = String::from("{type: string}");
    for _ in 0..100 {
        schema = format!("{{type: array, items: {schema}}}");
    }
    let pointer = format!("{RESPONSE_SCHEMA}{}", "/items".repeat(64));
    Case::new("api.yaml", &spec(&returning(&schema, ""))).refused_at(&pointer, "unsupported", "nested deeper than 64 levels");
}

#[test]
fn nesting_through_references_beyond_the_generator_limit() {
    let mut components = String::from("components:\n  schemas:\n");
    for i in 0..100 {
        components.push_str(&format!(
            "    S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}\n",
            i + 1
        ));
    }
    components.push_str("    S100: {type: string}\n");
    Case::new("api.yaml", &spec(&returning("{$ref: '#/components/schemas/S0'}", &components))).refused_at(
        "/components/schemas/S64",
        "unsupported",
        "nested deeper than 64 levels",
    );
}

// ---------------------------------------------------------------------------------------------
// Descriptions as public APIs write them: inner `$ref`s, big numbers, survivable mistakes, 3.1
// ---------------------------------------------------------------------------------------------

/// A fixture spec of the repository (`tests/fixtures/<name>.yaml`).
fn repository_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(format!("{name}.yaml"))
}

/// Runs `generate` on a repository fixture with `extra` flags, into a fresh directory.
fn generate_repository_fixture(name: &str, extra: &[&str]) -> (TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    let spec = repository_fixture(name);
    let out = dir.path().join("out");
    let mut args = vec![OsStr::new("--spec"), spec.as_os_str(), OsStr::new("--out"), out.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    let output = generate(args);
    (dir, output)
}

/// The lines of `text` that start with `prefix`.
fn lines_starting<'t>(text: &'t str, prefix: &str) -> Vec<&'t str> {
    text.lines().filter(|l| l.starts_with(prefix)).collect()
}

#[test]
fn inner_refs_fixture_generates_one_type_per_target_and_no_warning() {
    let (dir, output) = generate_repository_fixture("inner_refs", &["--strict"]);
    assert_success(&output);
    assert!(lines_starting(&stderr(&output), "warning:").is_empty(), "{}", stderr(&output));
    let types = sources_in(&dir.path().join("out"));
    for name in ["PetStatus", "PetOwner", "TagAllOf0", "Money", "NotFound"] {
        assert_eq!(types.matches(&format!("pub struct {name} ")).count() + types.matches(&format!("pub enum {name} ")).count(), 1, "{name}:\n{types}");
    }
}

#[test]
fn big_numbers_fixture_loads_and_reports_dropped_bounds_as_fallbacks() {
    let (_dir, output) = generate_repository_fixture("big_numbers", &["--report", "--strict"]);
    assert_success(&output);
    let report = stdout(&output);
    let dropped = lines_starting(&report, "fallback: ");
    assert_eq!(dropped.len(), 4, "{report}");
    assert!(dropped.iter().all(|l| l.contains(": numeric bound that no 64-bit number holds, dropped: ")), "{report}");
    assert!(report.contains("#/components/schemas/Entry/properties/memo/maxLength: "), "{report}");
    assert!(lines_starting(&stderr(&output), "warning:").is_empty(), "a dropped bound is no mistake: {}", stderr(&output));
}

#[test]
fn integers_beyond_64_bits_load_from_json_and_yaml_alike() {
    for (name, text) in [
        ("api.yaml", spec(&returning("{type: integer, minimum: -9223372036854776000, maximum: 99999999999999999999999}", ""))),
        (
            "api.json",
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/pets": {"get": {"operationId": "get-pets",
               "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
               {"type": "integer", "minimum": -9223372036854776000, "maximum": 99999999999999999999999}}}}}}}}}"#
                .to_owned(),
        ),
    ] {
        let files = Case::new(name, &text).generated();
        assert!(api_sources(&files).contains(", i64, json);"), "{name}: {}", api_sources(&files));
    }
}

#[test]
fn spec_mistakes_fixture_warns_on_stderr_and_strict_refuses() {
    let (_dir, output) = generate_repository_fixture("spec_mistakes", &[]);
    assert_success(&output);
    let err = stderr(&output);
    let warnings = lines_starting(&err, "warning: ");
    assert_eq!(warnings.len(), 8, "{err}");
    assert!(warnings.iter().all(|w| w.contains("spec_mistakes.yaml#/paths/")), "each names the file and pointer: {err}");
    let media = warnings.iter().filter(|w| w.contains("media type map is expected, followed")).count();
    assert_eq!(media, 2, "Lob's media type `$ref`s: {err}");

    let (dir, output) = generate_repository_fixture("spec_mistakes", &["--strict"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("error: 8 spec mistake(s) and --strict: nothing written"), "{}", stderr(&output));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn openapi_3_1_fixture_generates_and_notes_its_webhooks() {
    let (dir, output) = generate_repository_fixture("openapi_3_1", &["--report", "--strict"]);
    assert_success(&output);
    assert!(stdout(&output).contains("#/webhooks: webhooks are not generated"), "{}", stdout(&output));
    let types = sources_in(&dir.path().join("out"));
    for expected in ["pub edited_at: Option<i64>", "pub reply_to: Option<Box<Message>>", "pub attachment: Option<Attachment>", "before(&str)"] {
        assert!(types.contains(expected), "{expected}:\n{types}");
    }
}

#[test]
fn openapi_3_1_minimal_document_without_paths() {
    let case = Case::new("api.yaml", "openapi: 3.1.1\ninfo: {title: t, version: '1'}\nwebhooks: {}\n");
    assert_success(&case.run());
}

#[test]
fn dangling_inner_ref() {
    assert_refused(
        &returning("{$ref: '#/components/schemas/Pet/properties/missing'}", "components: {schemas: {Pet: {type: object}}}"),
        RESPONSE_SCHEMA,
        "invalid spec",
        "$ref `#/components/schemas/Pet/properties/missing` points to no schema",
    );
}

#[test]
fn cycle_of_inner_refs() {
    assert_refused(
        &returning(
            "{$ref: '#/components/schemas/A'}",
            r#"
            components:
              schemas:
                A: {$ref: '#/components/schemas/B/properties/x'}
                B:
                  type: object
                  properties:
                    x: {$ref: '#/components/schemas/A'}
            "#,
        ),
        RESPONSE_SCHEMA,
        "invalid spec",
        "is a cycle of references",
    );
}

#[test]
fn all_of_cycle_through_an_inner_ref() {
    assert_refused(
        &returning(
            "{$ref: '#/components/schemas/A'}",
            r#"
            components:
              schemas:
                A:
                  type: object
                  properties:
                    x: {allOf: [{$ref: '#/components/schemas/A/properties/x'}]}
            "#,
        ),
        "/components/schemas/A/properties/x/allOf/0",
        "invalid spec",
        "allOf cycle",
    );
}

#[test]
fn inner_ref_target_is_one_type_whoever_reaches_it_first() {
    // `/b` returns the `owner` property of `/a`'s inline response. Reached in place first (from
    // `/a`) or through the `$ref` first (`/b` listed first), it is one type with one name, taken
    // from the pointer it is written at.
    let a = "  /a:\n    get:\n      operationId: a\n      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {owner: {type: object, properties: {name: {type: string}}}}}}}}}\n";
    let b = "  /b:\n    get:\n      operationId: b\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/paths/~1a/get/responses/200/content/application~1json/schema/properties/owner'}}}}}\n";
    for paths in [format!("paths:\n{a}{b}"), format!("paths:\n{b}{a}")] {
        let files = Case::new("api.yaml", &spec(&paths)).generated();
        let types = api_sources(&files);
        assert_eq!(types.matches("pub struct AGetResponse200Owner ").count(), 1, "{types}");
        assert_eq!(types.matches("pub struct GetResponse ").count(), 1, "{types}");
        // A schema that `$ref`s reach is shared: it goes in `types`, whichever area uses it.
        assert!(types.contains("pub owner: Option<crate::types::AGetResponse200Owner>"), "{types}");
        assert!(types.contains(", Get, crate::types::AGetResponse200Owner, json)"), "{types}");
    }
}

#[test]
fn errors_in_rewritten_3_1_schemas_point_where_the_document_writes_them() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n".to_owned()
        + &returning(
            "{$ref: '#/components/schemas/Pet'}",
            r#"
            components:
              schemas:
                Pet:
                  type: object
                  properties:
                    owner: {$ref: '#/components/schemas/Missing', description: The owner.}
            "#,
        );
    Case::new("api.yaml", &text).refused_at("/components/schemas/Pet/properties/owner", "invalid spec", "points to no schema");

    // A path item from `components.pathItems`: its errors point into `components`.
    let text = dedent(
        r#"
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths:
          /pets: {$ref: '#/components/pathItems/Pets'}
        components:
          pathItems:
            Pets:
              get:
                operationId: list-pets
                responses:
                  '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Missing'}}}}
        "#,
    );
    Case::new("api.yaml", &text).refused_at(
        "/components/pathItems/Pets/get/responses/200/content/application~1json/schema",
        "invalid spec",
        "points to no schema",
    );
}

/// The generic profile's credentials come from the spec's security schemes alone: nothing of
/// Cloudflare's reaches the crate, the variables are named after the crate, and a `mutualTLS`
/// scheme loads with a note (not a warning: the spec is sound) saying where a certificate goes.
#[test]
fn security_schemes_fixture_has_its_own_credentials_and_nothing_of_cloudflare() {
    let (dir, output) = generate_repository_fixture("security_schemes", &["--name", "petstore", "--report", "--strict"]);
    assert_success(&output);
    let report = stdout(&output);
    let notes = lines_starting(&report, "fallback: ");
    assert_eq!(notes.len(), 1, "{report}");
    assert!(notes[0].contains("#/components/securitySchemes/client_cert: mutualTLS"), "{report}");
    assert!(notes[0].contains("ClientBuilder::http_client"), "{report}");
    let mut files = 0;
    let mut stack = vec![dir.path().join("out")];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(fs::read_dir(&path).unwrap().map(|entry| entry.unwrap().path()));
            continue;
        }
        files += 1;
        let text = fs::read_to_string(&path).unwrap();
        assert!(!text.contains("CLOUDFLARE_"), "{} names a Cloudflare variable", path.display());
    }
    assert!(files > 10, "only {files} files generated");
    let credentials = fs::read_to_string(dir.path().join("out/src/runtime/credentials.rs")).unwrap();
    for variable in ["PETSTORE_BEARER_AUTH", "PETSTORE_BASIC_AUTH_USERNAME", "PETSTORE_QUERY_KEY", "PETSTORE_BASE_URL"] {
        assert!(credentials.contains(&format!("\"{variable}\"")), "{variable} missing:\n{credentials}");
    }
}
