//! Generates a typed async Rust client crate from an OpenAPI 3.0 description.
//!
//! The pipeline, one module per stage, data flowing one way:
//!
//! ```text
//! assemble spec directory (upstream split by area + local fragments and overlays) -> one document
//! load    spec file (YAML or JSON), or the assembled document -> openapiv3::OpenAPI
//! lower   OpenAPI -> ir::Api (refs resolved, names decided)
//! emit    ir::Api -> token streams
//! render  token streams -> formatted source
//! write   write-if-changed, or check for drift
//! ```
//!
//! [`generate`] is the one entry point; the build script, the command line and the tests all use
//! it, so they produce the same bytes. Its stages are values too: [`lower()`] gives a [`Lowered`]
//! spec, [`Lowered::emit`] the crate; test material for that crate ([`testing`]: mock calls,
//! example checks, the mock server's document) is taken from the same `Lowered`, so nothing is
//! loaded or lowered twice.

pub mod assemble;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod openapi;
pub mod pointer;
pub mod profile;
pub mod render;
pub mod report;
pub mod runtime_surface;
pub mod testing;
pub mod write;

mod emit;
mod parallel;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use error::{Error, SpecError, SpecErrorKind};
pub use pointer::Pointer;
pub use profile::ProfileChoice;
pub use report::{Entry, EntryKind, Merged, Reason, Report};
pub use write::Drift;

/// The line of `public-api.txt` after which the runtime's public items are listed.
pub const RUNTIME_LISTING_HEADING: &str = emit::RUNTIME_SECTION;

/// What to call the generated crate, and what its manifest says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The package name in the generated `Cargo.toml`.
    pub crate_name: String,
    /// The package version in the generated `Cargo.toml`.
    pub crate_version: String,
    /// The rest of the package's metadata (license, repository, ...), for a crate to publish.
    pub package: PackageMetadata,
    /// The API's conventions ([`profile`]): detected from the spec's servers unless named.
    pub profile: ProfileChoice,
}

/// What a published crate's manifest says besides its name and version: the generated
/// `Cargo.toml` carries what is set (a crate also gets a generated `README.md`, and docs of all its
/// features). Nothing here is specific to one API: the caller supplies it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageMetadata {
    /// One sentence; the API's title when unset.
    pub description: Option<String>,
    /// An SPDX expression (`MIT OR Apache-2.0`).
    pub license: Option<String>,
    /// The URL of the source repository.
    pub repository: Option<String>,
    /// The URL of the API's or the crate's home page.
    pub homepage: Option<String>,
    /// At most five search words: ASCII letters, digits, `-`, `_` and `+`, starting with a letter.
    pub keywords: Vec<String>,
    /// Category slugs (`api-bindings`, `web-programming::http-client`).
    pub categories: Vec<String>,
}

impl Options {
    /// Options from a JSON object: `name`, `version`, and the [`PackageMetadata`] fields
    /// (`description`, `license`, `repository`, `homepage`: strings; `keywords`, `categories`:
    /// lists of strings), and `profile` (a [`profile::PROFILES`] name: `cloudflare`, `generic`;
    /// absent: detected from the spec's servers). Unknown keys are refused, so that a misspelt one is not silently lost;
    /// missing ones keep their defaults. The result is [validated](Options::validate).
    pub fn from_json(text: &str) -> Result<Options, Error> {
        let bad = |message: String| Error::Options(message);
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| bad(format!("not a JSON object: {e}")))?;
        let object = value.as_object().ok_or_else(|| bad("the options must be a JSON object".to_owned()))?;
        let mut options = Options::default();
        for (key, value) in object {
            let text = || value.as_str().map(str::to_owned).ok_or_else(|| bad(format!("`{key}` must be a string")));
            let list = || -> Result<Vec<String>, Error> {
                let items = value.as_array().ok_or_else(|| bad(format!("`{key}` must be a list of strings")))?;
                items.iter().map(|v| v.as_str().map(str::to_owned).ok_or_else(|| bad(format!("`{key}` must be a list of strings")))).collect()
            };
            let package = &mut options.package;
            match key.as_str() {
                "name" => options.crate_name = text()?,
                "version" => options.crate_version = text()?,
                "description" => package.description = Some(text()?),
                "license" => package.license = Some(text()?),
                "repository" => package.repository = Some(text()?),
                "homepage" => package.homepage = Some(text()?),
                "keywords" => package.keywords = list()?,
                "categories" => package.categories = list()?,
                "profile" => options.profile = ProfileChoice::named(&text()?).map_err(bad)?,
                other => return Err(bad(format!("unknown option `{other}`"))),
            }
        }
        options.validate()?;
        Ok(options)
    }

    /// Checks the names that go into the generated `Cargo.toml` verbatim: a package name cargo
    /// accepts (ASCII letters, digits, `-`, `_`, starting with a letter, at most 64 characters)
    /// and a version made of version characters, so no option can break or extend the manifest;
    /// and keywords and categories a registry accepts.
    pub fn validate(&self) -> Result<(), Error> {
        let name = &self.crate_name;
        let name_ok = name.len() <= 64
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !name_ok {
            return Err(Error::Options(format!(
                "crate name {name:?} is not a valid package name (ASCII letters, digits, `-` and `_`, starting with a letter)"
            )));
        }
        let version = &self.crate_version;
        let version_ok = version.starts_with(|c: char| c.is_ascii_digit())
            && version.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'));
        if !version_ok {
            return Err(Error::Options(format!("crate version {version:?} is not a version (such as 0.1.0)")));
        }
        let keywords = &self.package.keywords;
        let keyword_ok = |k: &String| {
            k.len() <= 20
                && k.starts_with(|c: char| c.is_ascii_alphabetic())
                && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
        };
        if keywords.len() > 5 || !keywords.iter().all(keyword_ok) {
            return Err(Error::Options(format!(
                "keywords {keywords:?}: at most 5, each at most 20 ASCII letters, digits, `-`, `_` or `+`, starting with a letter"
            )));
        }
        let category_ok = |c: &String| !c.is_empty() && c.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | ':'));
        if let Some(category) = self.package.categories.iter().find(|c| !category_ok(c)) {
            return Err(Error::Options(format!("category {category:?} is not a category slug (such as api-bindings)")));
        }
        Ok(())
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            crate_name: "openapi-client".to_owned(),
            crate_version: "0.1.0".to_owned(),
            package: PackageMetadata::default(),
            profile: ProfileChoice::Detect,
        }
    }
}

/// A generated crate in memory: file contents keyed by path relative to the crate root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCrate {
    /// `Cargo.toml`, `src/lib.rs`, ... and their contents.
    pub files: BTreeMap<PathBuf, String>,
    /// Warnings, fallbacks and overrides noted along the way.
    pub report: Report,
}

impl GeneratedCrate {
    /// Writes the files that differ under `out`; returns what changed.
    pub fn write(&self, out: &Path) -> Result<Vec<Drift>, Error> {
        write::write(self, out)
    }

    /// Lists what [`GeneratedCrate::write`] would change under `out`, writing nothing.
    pub fn check(&self, out: &Path) -> Result<Vec<Drift>, Error> {
        write::check(self, out)
    }
}

/// The hand-written runtime, copied into every generated crate as `src/runtime/`.
pub(crate) const RUNTIME: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../runtime/mod.rs")),
    ("auth.rs", include_str!("../runtime/auth.rs")),
    ("builder.rs", include_str!("../runtime/builder.rs")),
    ("client.rs", include_str!("../runtime/client.rs")),
    ("codec.rs", include_str!("../runtime/codec.rs")),
    ("download.rs", include_str!("../runtime/download.rs")),
    ("error.rs", include_str!("../runtime/error.rs")),
    ("lenient.rs", include_str!("../runtime/lenient.rs")),
    ("multipart.rs", include_str!("../runtime/multipart.rs")),
    ("options.rs", include_str!("../runtime/options.rs")),
    ("paginate.rs", include_str!("../runtime/paginate.rs")),
    ("path.rs", include_str!("../runtime/path.rs")),
    ("raw.rs", include_str!("../runtime/raw.rs")),
    ("request.rs", include_str!("../runtime/request.rs")),
    ("response.rs", include_str!("../runtime/response.rs")),
    ("retry.rs", include_str!("../runtime/retry.rs")),
    ("union.rs", include_str!("../runtime/union.rs")),
];

/// A part of the runtime copied only into some crates: its file, and the lines that declare it,
/// appended to `runtime/mod.rs`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RuntimePart {
    /// The file's name and text.
    pub file: (&'static str, &'static str),
    /// The lines appended to `runtime/mod.rs`.
    pub module: &'static str,
}

/// The form encoder, for crates whose spec sends form bodies or `deepObject` query parameters.
const FORM_RUNTIME: RuntimePart = RuntimePart {
    file: ("form.rs", include_str!("../runtime/form.rs")),
    module: "
// This spec sends form bodies or `deepObject` query parameters: the generator added the encoder.
mod form;
pub(crate) use form::Style as FormStyle;
",
};

/// The envelope's reading, for crates whose profile has an envelope ([`profile::Envelope`]).
const ENVELOPE_RUNTIME: RuntimePart = RuntimePart {
    file: ("envelope.rs", include_str!("../runtime/envelope.rs")),
    module: "
// This profile's answers come in an envelope: the generator added its reading.
mod envelope;
pub use envelope::{ResponseInfo, ResponseInfoSource, ResultInfo};
",
};

/// The reading of answers that are the bodies themselves, for every other crate.
const PLAIN_RUNTIME: RuntimePart = RuntimePart {
    file: ("plain.rs", include_str!("../runtime/plain.rs")),
    module: "
// This profile's answers are the bodies themselves: the generator added their reading.
mod plain;
use plain as envelope;
",
};

/// The request-id accessors, for crates whose profile names a request-id header.
const REQUEST_ID_RUNTIME: RuntimePart = RuntimePart {
    file: ("request_id.rs", include_str!("../runtime/request_id.rs")),
    module: "
// This profile names a request-id header: the generator added its accessors.
mod request_id;
",
};

/// Their absence, for every other crate.
const NO_REQUEST_ID_RUNTIME: RuntimePart = RuntimePart {
    file: ("no_request_id.rs", include_str!("../runtime/no_request_id.rs")),
    module: "
// This profile names no request-id header.
mod no_request_id;
use no_request_id as request_id;
",
};

/// The parts of the runtime a crate with `profile` gets, with the form encoder when `forms`.
pub(crate) fn runtime_parts(profile: &profile::Profile, forms: bool) -> Vec<RuntimePart> {
    let envelope = if profile.envelope.is_some() { ENVELOPE_RUNTIME } else { PLAIN_RUNTIME };
    let request_id = if profile.request_id_header.is_some() { REQUEST_ID_RUNTIME } else { NO_REQUEST_ID_RUNTIME };
    [envelope, request_id].into_iter().chain(forms.then_some(FORM_RUNTIME)).collect()
}

/// The runtime's files for a crate with `profile` (and the form encoder when `forms`), by name:
/// [`RUNTIME`] with the parts' lines appended to `mod.rs`, then the parts' files.
pub(crate) fn runtime_files(profile: &profile::Profile, forms: bool) -> Vec<(&'static str, String)> {
    let parts = runtime_parts(profile, forms);
    let tail: String = parts.iter().map(|part| part.module).collect();
    let common = RUNTIME.iter().map(|(name, text)| (*name, if *name == "mod.rs" { format!("{text}{tail}") } else { (*text).to_owned() }));
    common.chain(parts.iter().map(|part| (part.file.0, part.file.1.to_owned()))).collect()
}

/// Runs the whole pipeline on the spec at `spec`: [`lower()`], then [`Lowered::emit`].
/// `spec` is a spec file, or a spec directory (see [`assemble`]).
pub fn generate(spec: &Path, options: &Options) -> Result<GeneratedCrate, Error> {
    lower(spec, options)?.emit()
}

/// Runs the whole pipeline on spec text; `spec` is only used for its extension (YAML or JSON)
/// and in error messages. Nothing is read from or written to disk.
pub fn generate_from_str(text: &str, spec: &Path, options: &Options) -> Result<GeneratedCrate, Error> {
    lower_from_str(text, spec, options)?.emit()
}

/// A spec loaded and lowered, ready to emit the crate named in its options: the stage between
/// [`lower()`] and [`Lowered::emit`], where the [`testing`] module takes the test material of that
/// crate from (the loaded spec and the IR, once).
#[derive(Debug)]
pub struct Lowered {
    pub(crate) loaded: load::LoadedSpec,
    pub(crate) api: ir::Api,
    report: Report,
    pub(crate) options: Options,
    /// The conventions the spec was lowered with ([`Options::profile`], resolved).
    pub(crate) profile: profile::Profile,
    /// The spec file or directory, and which of its files each node came from (empty for a single
    /// file): errors found later name the file.
    spec: PathBuf,
    sources: assemble::SourceMap,
}

/// Loads (assembling a spec directory first, see [`assemble`]) and lowers the spec at `spec`, for
/// the crate `options` describes (checked here, before any work).
pub fn lower(spec: &Path, options: &Options) -> Result<Lowered, Error> {
    options.validate()?;
    if spec.is_dir() {
        let assemble::Assembled { raw, sources, report } = assemble::assemble(spec)?;
        let loaded = load::from_json(raw, spec).map_err(|e| match e {
            Error::Spec { pointer, kind, message, .. } => sources.locate(SpecError { pointer, kind, message }, spec),
            other => other,
        })?;
        return lower_loaded(loaded, spec, options, sources, report);
    }
    lower_loaded(load::load(spec)?, spec, options, assemble::SourceMap::default(), Report::default())
}

/// [`lower()`] on spec text; `spec` is only used for its extension (YAML or JSON) and in error
/// messages.
pub fn lower_from_str(text: &str, spec: &Path, options: &Options) -> Result<Lowered, Error> {
    options.validate()?;
    lower_loaded(load::parse(text, spec)?, spec, options, assemble::SourceMap::default(), Report::default())
}

/// `assembly` holds what assembling the directory reported.
fn lower_loaded(loaded: load::LoadedSpec, spec: &Path, options: &Options, sources: assemble::SourceMap, mut assembly: Report) -> Result<Lowered, Error> {
    let profile = lower::profile_of(&loaded, options.profile);
    let (api, mut report) = lower::lower_with_profile(&loaded, profile).map_err(|e| sources.locate(e, spec))?;
    sources.attribute(&mut report);
    assembly.entries.append(&mut report.entries);
    assembly.merged = report.merged;
    Ok(Lowered { loaded, api, report: assembly, options: options.clone(), profile, spec: spec.to_owned(), sources })
}

impl Lowered {
    /// The IR.
    pub fn api(&self) -> &ir::Api {
        &self.api
    }

    /// Warnings, fallbacks and overrides noted so far (the crate's [`GeneratedCrate::report`]).
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The options of the crate [`Lowered::emit`] makes.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// `error`, found in the loaded spec, as an error naming the file it is in.
    pub(crate) fn locate(&self, error: SpecError) -> Error {
        self.sources.locate(error, &self.spec)
    }

    /// Emits, renders and assembles the crate's files. Consumes the lowered spec: it is freed while
    /// the files are emitted (freeing a whole API's tree takes a while), so take any [`testing`]
    /// material first.
    pub fn emit(self) -> Result<GeneratedCrate, Error> {
        let Lowered { loaded, api, report, options, profile, spec, sources } = self;
        // Only the file name goes into the output, so it is the same on every machine.
        let spec_name = spec.file_name().map_or_else(|| spec.display().to_string(), |n| n.to_string_lossy().into_owned());
        let forms = api.encodes_forms();
        let mut files = BTreeMap::new();
        files.insert(PathBuf::from("Cargo.toml"), emit::emit_manifest(&options, &api));
        files.insert(PathBuf::from("README.md"), emit::emit_readme(&options, &api));
        let exports = runtime_surface::root_exports(&profile);
        let source_files = emit::Sources::new(&api, &spec_name, &options.crate_name, &exports);
        let mut runtime: BTreeMap<PathBuf, String> = runtime_files(&profile, forms)
            .into_iter()
            .map(|(name, text)| {
                let how = if name == "mod.rs" { "with the lines of the parts this crate gets appended" } else { "verbatim" };
                let header = format!("// {}\n// Copied {how} from the generator's runtime/{name}.\n\n", emit::HEADER_TEXT);
                (Path::new("src/runtime").join(name), format!("{header}{text}"))
            })
            .collect();
        // Freeing the loaded spec, the runtime's files with the public API's listing (which reads
        // them), and the other sources need nothing of each other: the first two are done on
        // another thread while the sources are emitted and rendered.
        let (listing, rendered) = parallel::join(
            || {
                drop((loaded, sources));
                let (relative, tokens) = source_files.credentials();
                runtime.insert(Path::new("src").join(&relative), render::render(&relative, tokens)?);
                let runtime_items = runtime_surface::public_items(&runtime, &options.crate_name.replace('-', "_"))?;
                Ok::<_, Error>((runtime, emit::emit_api_listing(&api, &options.crate_name, &runtime_items)))
            },
            || {
                parallel::map(source_files.len(), |i| {
                    let (relative, tokens) = source_files.emit(i);
                    render::render(&relative, tokens).map(|text| (relative, text))
                })
            },
        );
        for rendered in rendered {
            let (relative, text) = rendered?;
            files.insert(Path::new("src").join(relative), text);
        }
        let (runtime, listing) = listing?;
        files.extend(runtime);
        files.insert(PathBuf::from("public-api.txt"), listing);
        Ok(GeneratedCrate { files, report })
    }
}

/// The `[features]` table of a `Cargo.toml`, up to the next table, without trailing blank lines.
pub fn features_table(manifest: &str) -> Option<&str> {
    let start = manifest.find("\n[features]\n")? + 1;
    let rest = &manifest[start..];
    let end = rest[1..].find("\n[").map_or(rest.len(), |i| i + 2);
    Some(rest[..end].trim_end())
}

/// `manifest` with its `[features]` table replaced by `table` (appended when it has none). The
/// repository's root package compiles the generated code, so it declares the same features.
pub fn with_features_table(manifest: &str, table: &str) -> String {
    let table = table.trim_end();
    match features_table(manifest) {
        Some(old) => manifest.replacen(old, table, 1),
        None => format!("{}\n\n{table}\n", manifest.trim_end()),
    }
}

/// The dependencies every generated crate declares, as `Cargo.toml` lines.
pub fn runtime_dependencies() -> &'static [&'static str] {
    emit::DEPENDENCIES
}

#[cfg(test)]
mod tests {
    use super::{ENVELOPE_RUNTIME, Options, PackageMetadata, ProfileChoice, REQUEST_ID_RUNTIME, features_table, with_features_table};

    #[test]
    fn features_tables_are_found_and_replaced() {
        let manifest = "[package]\nname = \"x\"\n\n[features]\ndefault = []\na = []\n\n[dependencies]\nserde = \"1\"\n";
        assert_eq!(features_table(manifest), Some("[features]\ndefault = []\na = []"));
        let table = "[features]\nb = []\n";
        assert_eq!(with_features_table(manifest, table), "[package]\nname = \"x\"\n\n[features]\nb = []\n\n[dependencies]\nserde = \"1\"\n");
        assert_eq!(with_features_table("[package]\n", table), "[package]\n\n[features]\nb = []\n");
        assert_eq!(features_table("[package]\n"), None);
    }

    fn options(name: &str, version: &str) -> Options {
        Options { crate_name: name.to_owned(), crate_version: version.to_owned(), ..Options::default() }
    }

    #[test]
    fn the_form_encoder_is_copied_only_into_crates_that_send_forms() {
        let spec = |media: &str, style: &str| {
            format!(
                "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    post:\n      parameters: [{{name: q, in: query, {style}schema: {{type: object, properties: {{x: {{type: string}}}}}}}}]\n      requestBody: {{content: {{'{media}': {{schema: {{type: object, properties: {{n: {{type: string}}}}}}}}}}}}\n      responses: {{'204': {{description: ok}}}}\n"
            )
        };
        for (media, style, forms) in [
            ("application/json", "", false),
            ("application/x-www-form-urlencoded", "", true),
            ("application/json", "style: deepObject, ", true),
            ("application/json; charset=utf-8", "style: form, ", false),
        ] {
            let krate = super::generate_from_str(&spec(media, style), std::path::Path::new("t.yaml"), &Options::default()).expect("generates");
            let form = krate.files.get(std::path::Path::new("src/runtime/form.rs"));
            let module = &krate.files[std::path::Path::new("src/runtime/mod.rs")];
            assert_eq!((form.is_some(), module.contains("\nmod form;\n")), (forms, forms), "{media} {style}");
        }
    }

    const PETSTORE: &str = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\nservers: [{url: 'https://pets.example.com/v1'}]\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      parameters: [{name: page, in: query, schema: {type: integer}}]\n      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {success: {type: boolean}, result: {type: array, items: {type: string}}, result_info: {type: object}}}}}}}\n";

    fn generate_pets(profile: ProfileChoice) -> super::GeneratedCrate {
        let options = Options { crate_name: "pets".to_owned(), profile, ..Options::default() };
        super::generate_from_str(PETSTORE, std::path::Path::new("pets.yaml"), &options).expect("generates")
    }

    #[test]
    fn a_generic_crate_has_none_of_cloudflares_names() {
        let krate = generate_pets(ProfileChoice::Detect);
        for (path, text) in &krate.files {
            for name in ["ResultInfo", "ResponseInfo", "fn errors", "fn messages", "cf_ray", "cf-ray", "Cloudflare", "CLOUDFLARE"] {
                assert!(!text.contains(name), "{} mentions {name}", path.display());
            }
            // The spec's own `result_info` property is a field of its answer; the runtime has none.
            if path.starts_with("src/runtime") || path.ends_with("lib.rs") {
                assert!(!text.contains("result_info"), "{} mentions result_info", path.display());
            }
        }
        assert!(krate.files.contains_key(std::path::Path::new("src/runtime/plain.rs")));
    }

    #[test]
    fn a_named_profile_overrides_detection() {
        let krate = generate_pets(ProfileChoice::named("cloudflare").expect("known"));
        let runtime = |name: &str| krate.files.get(&std::path::Path::new("src/runtime").join(name));
        assert!(runtime("envelope.rs").is_some_and(|text| text.contains("pub struct ResultInfo")));
        assert!(runtime("request_id.rs").is_some_and(|text| text.contains("\"cf-ray\"")));
        assert!(runtime("plain.rs").is_none());
        // The envelope is unwrapped: the list answers pages.
        assert!(krate.files[std::path::Path::new("src/lib.rs")].contains("ResultInfo"));
        assert!(krate.files.values().any(|text| text.contains("runtime::paged_list!(")), "the list is read in pages");
    }

    #[test]
    fn the_runtime_parts_read_the_profiles_names() {
        let cloudflare = crate::profile::Profile::cloudflare();
        let envelope = cloudflare.envelope.expect("an envelope");
        let info = envelope.paging;
        let text = ENVELOPE_RUNTIME.file.1;
        for name in [envelope.success, envelope.result, envelope.messages, envelope.result_info, info.page, info.per_page, info.count, info.total_count, info.total_pages, info.cursor] {
            assert!(text.contains(name), "runtime/envelope.rs does not read `{name}`");
        }
        let header = cloudflare.request_id_header.expect("a request id");
        assert!(REQUEST_ID_RUNTIME.file.1.contains(&format!("const HEADER: &str = \"{header}\";")));
    }

    #[test]
    fn options_that_cargo_accepts_pass() {
        for (name, version) in [("cloudflare-api", "0.1.0"), ("cf_check", "1.2.3-beta.1+build.5"), ("a", "0")] {
            assert!(options(name, version).validate().is_ok(), "{name} {version}");
        }
    }

    #[test]
    fn options_that_would_break_the_manifest_are_refused() {
        for (name, version) in [("x\"y", "0.1.0"), ("ok", "1.0\"\n[x]"), ("ok", ""), ("ok", "v1"), ("-x", "1.0.0")] {
            assert!(options(name, version).validate().is_err(), "{name:?} {version:?}");
        }
    }

    #[test]
    fn options_are_read_from_json() {
        let text = r#"{"name": "cf", "version": "1.2.0", "description": "d", "license": "MIT", "repository": "https://example.com/r",
            "homepage": "https://example.com", "keywords": ["api", "dns"], "categories": ["api-bindings"], "profile": "generic"}"#;
        let want = Options {
            crate_name: "cf".to_owned(),
            crate_version: "1.2.0".to_owned(),
            package: PackageMetadata {
                description: Some("d".to_owned()),
                license: Some("MIT".to_owned()),
                repository: Some("https://example.com/r".to_owned()),
                homepage: Some("https://example.com".to_owned()),
                keywords: vec!["api".to_owned(), "dns".to_owned()],
                categories: vec!["api-bindings".to_owned()],
            },
            profile: ProfileChoice::named("generic").expect("known"),
        };
        assert_eq!(Options::from_json(text).expect("valid options"), want);
        assert_eq!(Options::from_json("{}").expect("defaults"), Options::default());
    }

    #[test]
    fn bad_options_files_are_refused_with_a_reason() {
        for (text, reason) in [
            ("[1]", "JSON object"),
            ("{", "not a JSON object"),
            (r#"{"licence": "MIT"}"#, "unknown option `licence`"),
            (r#"{"name": 3}"#, "`name` must be a string"),
            (r#"{"keywords": "api"}"#, "list of strings"),
            (r#"{"keywords": ["a", "b", "c", "d", "e", "f"]}"#, "at most 5"),
            (r#"{"keywords": ["has space"]}"#, "at most 5"),
            (r#"{"categories": ["API Bindings"]}"#, "category slug"),
            (r#"{"name": "x\"y"}"#, "valid package name"),
            (r#"{"profile": "petstore"}"#, "unknown profile `petstore` (known: cloudflare, generic)"),
            (r#"{"profile": 1}"#, "`profile` must be a string"),
        ] {
            match Options::from_json(text) {
                Err(error) => assert!(error.to_string().contains(reason), "{text}: {error}"),
                Ok(options) => panic!("{text} accepted: {options:?}"),
            }
        }
    }
}
