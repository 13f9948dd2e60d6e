//! The manifest's JSON Schema: the committed file is what `jianbao schema` prints, the
//! example manifest and ingest drafts name it, and an outside validator (Python's
//! `jsonschema`) accepts every manifest `check` accepts and refuses unknown fields and
//! wrong types.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use jianbao::diag::SourceText;
use jianbao::manifest::yaml::{Node, parse};
use serde_json::{Value, json};

use crate::common::{root, run};

/// The committed schema.
fn committed() -> String {
    std::fs::read_to_string(root().join("schema/manifest.schema.json"))
        .expect("schema/manifest.schema.json is committed")
}

/// A manifest as the JSON document `check` reads: jianbao's own YAML parser, so a date
/// stays the text it is and the validator sees what `check` sees.
fn as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("a UTF-8 manifest");
    let text = text.replace("\r\n", "\n");
    let source = SourceText::new(path.display().to_string(), text);
    let node =
        parse(&source).unwrap_or_else(|d| panic!("{} is YAML: {}", path.display(), d.message));
    fn value(node: &Node) -> Value {
        match node {
            Node::Null => Value::Null,
            Node::Bool(b) => json!(b),
            Node::Int(i) => json!(i64::try_from(*i).expect("a 64-bit number")),
            Node::Float(f) => json!(f),
            Node::Str(s) => json!(s),
            Node::Seq(items) => items.iter().map(|i| value(&i.value)).collect(),
            Node::Map(entries) => {
                entries.iter().map(|(k, v)| (k.value.clone(), value(&v.value))).collect()
            }
        }
    }
    value(&node.value)
}

/// The schema errors of each document, from Python's `jsonschema`.
fn validate(documents: &BTreeMap<String, Value>) -> BTreeMap<String, Vec<String>> {
    let schema: Value = serde_json::from_str(&committed()).expect("the schema is JSON");
    let input = json!({ "schema": schema, "documents": documents });
    let child = Command::new("python3")
        .arg(root().join("tests/validate_schema.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = child.expect(
        "the schema tests need python3 with the jsonschema package (pip install jsonschema)",
    );
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.to_string().as_bytes())
        .expect("write to the validator");
    let out = child.wait_with_output().expect("the validator runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(
        out.status.code(),
        Some(3),
        "the schema tests need Python's jsonschema package: pip install jsonschema\n{stderr}"
    );
    assert!(out.status.success(), "the validator failed:\n{stderr}");
    serde_json::from_slice(&out.stdout).expect("the validator prints JSON")
}

#[test]
fn the_committed_schema_is_what_jianbao_schema_prints() {
    let (code, out, err) = run(&["schema"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out == committed(),
        "schema/manifest.schema.json is out of date: \
         run `cargo run --locked -- schema -o schema/manifest.schema.json` and commit it"
    );
    let dir = crate::common::tempdir();
    let file = dir.path().join("s.json");
    let (code, _, err) = run(&["schema", "-o", file.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&file).expect("written"), out);
    let schema: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
}

#[test]
fn the_example_manifest_names_the_committed_schema() {
    let text = std::fs::read_to_string(root().join("seeds/manifest.yaml")).expect("seeds");
    let first = text.lines().next().expect("a first line");
    let path = first
        .strip_prefix("# yaml-language-server: $schema=")
        .unwrap_or_else(|| panic!("seeds/manifest.yaml starts with `{first}`"));
    let schema = root().join("seeds").join(path);
    assert_eq!(std::fs::read_to_string(&schema).expect("the named schema exists"), committed());
}

/// Every fixture manifest, with whether `check` accepts it.
fn fixtures() -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    for folder in ["bad", "checks", "workflow"] {
        let dir = root().join("tests/fixtures").join(folder);
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("fixtures")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        paths.sort();
        for path in paths {
            let rel =
                path.strip_prefix(root()).expect("inside").to_str().expect("utf-8").to_string();
            let (code, _, err) = run(&["check", &rel]);
            assert!(code == 0 || code == 1, "{rel}: exit {code}\n{err}");
            out.push((path, code == 0));
        }
    }
    out
}

#[test]
fn manifests_check_accepts_validate_and_unknown_fields_or_wrong_types_do_not() {
    let mut documents = BTreeMap::new();
    documents
        .insert("seeds/manifest.yaml".to_string(), as_json(&root().join("seeds/manifest.yaml")));
    let mut good = vec!["seeds/manifest.yaml".to_string()];
    for (path, accepted) in fixtures() {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let source = SourceText::new("x", text.replace("\r\n", "\n"));
        if parse(&source).is_err() {
            continue; // not YAML at all: nothing for a schema to say
        }
        let name = path.strip_prefix(root()).expect("inside").display().to_string();
        if accepted {
            good.push(name.clone());
        }
        documents.insert(name, as_json(&path));
    }
    assert!(good.len() >= 4, "too few good fixtures: {good:?}");
    let errors = validate(&documents);
    for name in &good {
        assert_eq!(errors[name], Vec::<String>::new(), "{name} passes `check` but not the schema");
    }
    let bad = |name: &str| &errors[&format!("tests/fixtures/bad/{name}.yaml")];
    let unknown = bad("unknown-fields");
    assert!(
        unknown.iter().any(|e| e.starts_with("briefing: ") && e.contains("'issuerr'")),
        "{unknown:#?}"
    );
    assert!(
        unknown.iter().any(|e| e.starts_with("articles/0: ") && e.contains("'titel'")),
        "{unknown:#?}"
    );
    let types = bad("wrong-types");
    assert!(types.iter().any(|e| e.starts_with("briefing/number: ")), "{types:#?}");
    assert!(types.iter().any(|e| e.starts_with("articles/0/themes: ")), "{types:#?}");
    let missing = bad("missing-fields");
    assert!(!missing.is_empty(), "missing fields pass the schema");
    // Cross-field problems (a quote not in its article) are `check`'s alone.
}

#[test]
fn an_ingest_draft_names_the_schema_and_validates_once_filled_in() {
    let dir = crate::common::tempdir();
    let mut args = vec!["ingest".to_string()];
    for entry in std::fs::read_dir(root().join("seeds")).expect("seeds") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            let name = path.file_name().expect("name").to_str().expect("utf-8").to_string();
            std::fs::copy(&path, dir.path().join(&name)).expect("copy");
            args.push(name);
        }
    }
    args.extend(["-o".to_string(), "draft.yaml".to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, err) = crate::common::run_in(dir.path(), &args);
    assert_eq!(code, 0, "{err}");
    let path = dir.path().join("draft.yaml");
    let draft = std::fs::read_to_string(&path).expect("draft");
    assert_eq!(
        draft.lines().next(),
        Some("# yaml-language-server: $schema=manifest.schema.json"),
        "{draft}"
    );
    let filled = draft.replacen("title: \"待填写\"", "title: 运城党建工作简报", 1).replacen(
        "issuer: \"待填写\"",
        "issuer: 中共运城市委组织部办公室",
        1,
    );
    std::fs::write(&path, filled).expect("write");
    let (code, _, err) = crate::common::run_in(dir.path(), &["check", "draft.yaml"]);
    assert_eq!(code, 0, "{err}");
    let mut documents = BTreeMap::new();
    documents.insert("draft".to_string(), as_json(&path));
    assert_eq!(validate(&documents)["draft"], Vec::<String>::new());
}
