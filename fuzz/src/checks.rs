//! The checks the fuzz targets run on one input, shared with the stable regression
//! tests (`tests/fuzz_regressions.rs` includes this file with `#[path]`), so a saved
//! crash input is re-checked exactly as the fuzzer checked it.
//!
//! Each check panics when the code under test breaks a promise: a panic inside
//! jianbao, a failure without an error diagnostic, a non-idempotent normalizer, or a
//! draft written by `ingest` that the manifest loader does not accept back unchanged.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jianbao::diag::{self, Diagnostic, DiagnosticFormat};

/// Lines of the `source.txt` placed in the manifest target's root, so manifests that
/// name it reach the line-range check.
const SOURCE_TXT: &str = "第一行\n第二行\n第三行\n第四行\n第五行\n";

/// The manifest target's project folder: created once per process, canonical (the
/// loader compares canonical source paths against it), holding `source.txt`.
pub fn manifest_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = std::env::temp_dir().join("jianbao-fuzz-root");
        std::fs::create_dir_all(&root).expect("create the fuzz root");
        let file = root.join("source.txt");
        if std::fs::read(&file).ok().as_deref() != Some(SOURCE_TXT.as_bytes()) {
            // Written under a private name and renamed, so parallel fuzz jobs and test
            // runs never see a half-written file.
            let tmp = root.join(format!("source.txt.{}", std::process::id()));
            std::fs::write(&tmp, SOURCE_TXT).expect("write source.txt");
            std::fs::rename(&tmp, &file).expect("rename source.txt");
        }
        root.canonicalize().expect("canonical fuzz root")
    })
}

/// Renders diagnostics in both formats (neither may panic) and returns the human one.
fn render_all(diags: &[Diagnostic]) -> String {
    let _ = diag::render(diags, DiagnosticFormat::Short);
    diag::render(diags, DiagnosticFormat::Human)
}

/// Target 1: the manifest loader never panics, a refusal always carries at least one
/// error, and every diagnostic renders.
pub fn check_manifest(data: &[u8]) {
    let root = manifest_root();
    let path = root.join("manifest.yaml");
    match jianbao::manifest::parse_and_validate("manifest.yaml", data, &path, root) {
        Ok((manifest, warnings)) => {
            render_all(&warnings);
            assert_eq!(diag::error_count(&warnings), 0, "accepted with errors");
            assert!(!manifest.articles.is_empty(), "accepted with no articles");
        }
        Err(diags) => {
            let text = render_all(&diags);
            assert!(diag::error_count(&diags) > 0, "refused without an error:\n{text}");
        }
    }
}

/// Target 2: `normalize` and `join_lines` never panic; `normalize` is idempotent and
/// its changes point at what they replaced; `join_lines` is idempotent.
pub fn check_normalize(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let input: &str = &input;
    let once = jianbao::normalize::normalize(input);
    for change in &once.changes {
        assert!(
            input.get(change.byte_offset..).is_some_and(|rest| rest.starts_with(&change.from)),
            "change {change:?} does not point at its text in {input:?}"
        );
    }
    let twice = jianbao::normalize::normalize(&once.text);
    assert!(
        twice.changes.is_empty(),
        "not idempotent: {input:?} -> {:?} -> {:?}, changes {:?}",
        once.text,
        twice.text,
        twice.changes
    );
    assert_eq!(twice.text, once.text);

    let joined = jianbao::normalize::join_lines(input);
    assert_eq!(jianbao::normalize::join_lines(&joined), joined, "join_lines not idempotent");
}

/// Target 3: `ingest` never panics; a file either yields articles or an error; its
/// draft is accepted by the manifest loader (with the file beside it) and reads back
/// as written.
pub fn check_ingest(data: &[u8]) {
    use jianbao::ingest::{IngestOptions, SourceInput, ingest};

    let report =
        ingest(&[SourceInput { name: "f.txt".into(), bytes: data }], &IngestOptions::default());
    let yaml = report.draft.to_yaml();
    let draft = &report.draft;
    if draft.articles.is_empty() {
        assert!(!report.errors.is_empty(), "no article and no error: {:?}", report.notes);
        return;
    }

    let dir = tempfile::Builder::new().prefix("jianbao-fuzz-ingest-").tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical temp dir");
    std::fs::write(root.join("f.txt"), data).expect("write f.txt");
    let path = root.join("draft.yaml");
    // The draft's placeholders are errors until a person fills them in; fill them here.
    let filled = yaml.replace("待填写", "测试").replace("待确认", "盐湖区");
    let (manifest, _warnings) = match jianbao::manifest::parse_and_validate(
        "draft.yaml",
        filled.as_bytes(),
        &path,
        &root,
    ) {
        Ok(ok) => ok,
        Err(diags) => {
            panic!("the draft is refused:\n{}\n--- draft ---\n{yaml}", render_all(&diags))
        }
    };

    // The YAML writer promises the loader reads the draft back unchanged.
    assert_eq!(manifest.articles.len(), draft.articles.len(), "article count\n{yaml}");
    for (m, d) in manifest.articles.iter().zip(&draft.articles) {
        assert_eq!(m.id, d.id);
        assert_eq!(m.title, d.title, "title of {}", d.id);
        assert_eq!(m.subtitle, d.subtitle, "subtitle of {}", d.id);
        assert_eq!(m.byline, d.byline, "byline of {}", d.id);
        assert_eq!(m.outlet, d.outlet, "outlet of {}", d.id);
        let date = d.date.clone().filter(|s| jianbao::ingest::yaml::is_iso_date(s));
        assert_eq!(m.date.map(|x| x.iso()), date, "date of {}", d.id);
        assert_eq!(m.county, d.county.replace("待确认", "盐湖区"), "county of {}", d.id);
        assert_eq!(m.themes, d.themes, "themes of {}", d.id);
        assert_eq!(m.captions, d.captions, "captions of {}", d.id);
        assert_eq!(m.truncated, d.truncated, "truncated of {}", d.id);
        assert_eq!(
            m.paragraphs,
            jianbao::manifest::split_paragraphs(&d.body_text()),
            "body of {}",
            d.id
        );
        let source = m.source.as_ref().expect("a draft names its source");
        let lines = (source.lines.0 as usize, source.lines.1 as usize);
        assert_eq!(lines, d.source.lines, "source lines of {}", d.id);
    }
    assert_eq!(manifest.figures.len(), draft.figures.len(), "figure count\n{yaml}");
    for (m, d) in manifest.figures.iter().zip(&draft.figures) {
        assert_eq!(manifest.articles[m.article].id, d.article);
        assert_eq!((&m.label, &m.value, &m.unit), (&d.label, &d.value, &d.unit));
    }
}
