//! The pipeline's arrows point one way: each stage's code (tests apart) uses only the stages
//! before it and the shared vocabulary, as ARCHITECTURE.md draws it. A `use` that points the
//! other way fails here, naming the file and the module it reached.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The modules every stage may use: the IR, the profile and the vocabulary around them.
const SHARED: &[&str] = &["error", "ir", "naming", "openapi", "parallel", "pointer", "profile", "report", "runtime_surface"];

/// Each stage (a folder or a file under `src/`) and the stages it may use besides [`SHARED`].
const STAGES: &[(&str, &[&str])] = &[
    ("load", &[]),
    ("assemble", &["load"]),
    ("lower", &["load"]),
    ("emit", &[]),
    ("render", &["emit"]),
    ("write", &["emit", "render"]),
    ("testing", &["load", "lower", "emit", "render"]),
];

/// The `.rs` files of `path` (a file, or a folder walked in order).
fn rust_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_owned()];
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path).expect("a stage folder reads").map(|e| e.expect("an entry").path()).collect();
    entries.sort();
    entries.iter().flat_map(|p| rust_files(p)).filter(|p| p.extension().is_some_and(|e| e == "rs")).collect()
}

/// The crate modules (`crate::<module>`, lower-case: not the driver's root items such as
/// `crate::Options`) that `source` names before its tests.
fn modules_used(source: &str) -> BTreeSet<String> {
    let code = source.split("#[cfg(test)]").next().unwrap_or_default();
    let mut used = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        // `[`Name`](crate::path)` in a doc string is a link the generated crate resolves.
        let in_string = code[..at].ends_with("](");
        if name.starts_with(|c: char| c.is_ascii_lowercase()) && !in_string {
            used.insert(name);
        }
    }
    used
}

#[test]
fn each_stage_uses_only_the_stages_before_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let stage_names: BTreeSet<&str> = STAGES.iter().map(|(name, _)| *name).collect();
    let mut wrong = Vec::new();
    for (stage, allowed) in STAGES {
        let folder = src.join(stage);
        let path = if folder.is_dir() { folder } else { src.join(format!("{stage}.rs")) };
        let files = rust_files(&path);
        assert!(!files.is_empty(), "no source for the stage `{stage}` at {}", path.display());
        for file in files {
            let source = std::fs::read_to_string(&file).expect("a source file reads");
            for module in modules_used(&source) {
                let fine = module == *stage || SHARED.contains(&module.as_str()) || allowed.contains(&module.as_str());
                // Modules that are neither a stage nor shared (the runtime's files, copied into
                // generated crates, write `crate::runtime::...` in the code they emit).
                if !fine && stage_names.contains(module.as_str()) {
                    wrong.push(format!("{} uses crate::{module}", file.strip_prefix(&src).unwrap_or(&file).display()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "arrows that point back along the pipeline:\n{}", wrong.join("\n"));
}

#[test]
fn the_shared_vocabulary_uses_no_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let stage_names: BTreeSet<&str> = STAGES.iter().map(|(name, _)| *name).collect();
    let mut wrong = Vec::new();
    for shared in SHARED {
        let source = std::fs::read_to_string(src.join(format!("{shared}.rs"))).expect("a shared module is one file");
        wrong.extend(modules_used(&source).into_iter().filter(|m| stage_names.contains(m.as_str())).map(|m| format!("{shared}.rs uses crate::{m}")));
    }
    assert!(wrong.is_empty(), "shared modules that reach into a stage:\n{}", wrong.join("\n"));
}

#[test]
fn a_use_that_points_back_is_seen() {
    let source = "use crate::lower::x;\nfn f() { crate::emit::y(); }\n/// [`A`](crate::types::A)\n#[cfg(test)]\nmod tests { use crate::write; }";
    let used = modules_used(source);
    assert_eq!(used, ["emit", "lower"].into_iter().map(String::from).collect());
}
