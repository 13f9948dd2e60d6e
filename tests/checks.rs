//! Issue 15's rough edges of `check`, each pinned by a snapshot: the current folder is
//! named `.`, YAML 1.1 booleans and numbers stay the names they were written as, a
//! misspelt filter gets "did you mean", and one run reports every problem it can.

use crate::common::{TWO_COUNTIES, run, run_in, tempdir};

/// Runs `jianbao check` on a fixture of `tests/fixtures/checks/`; (exit code, stderr).
fn check(name: &str) -> (i32, String) {
    let path = format!("tests/fixtures/checks/{name}.yaml");
    let (code, _, err) = run(&["check", &path]);
    assert_ne!(code, 101, "jianbao panicked on {name}:\n{err}");
    (code, err)
}

#[test]
fn a_missing_source_in_the_current_folder_names_the_folder_dot() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("manifest.yaml"),
        "briefing:\n  title: 测试简报\n  issuer: 测试办公室\n  number: 1\n  date: 2024-03-05\n\
         articles:\n  - id: a1\n    title: 盐湖区召开会议\n    county: 盐湖区\n    themes: [党群服务中心]\n\
         \x20   body: 会议指出,全区共建成党群服务站12个。\n    source: { file: nope.txt, lines: [1, 2] }\n",
    )
    .unwrap();
    let (code, _, err) = run_in(dir.path(), &["check", "manifest.yaml"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("source file `nope.txt` does not exist in .\n"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn yaml_booleans_and_numbers_stay_the_names_they_were_written_as() {
    let (code, err) = check("yaml11-names");
    assert_eq!(code, 0, "{err}");
    // `themes: [y, n]`: `n` is reported as `n`, at the theme, not at the output's `file:`.
    assert!(err.contains("no article has the theme `n`"), "{err}");
    assert!(err.contains("yaml11-names.yaml:34:17"), "{err}");
    assert!(err.contains("themes used: y、on、1.50、off"), "{err}");
    assert!(!err.contains("true") && !err.contains("false"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn yaml_booleans_reach_the_manifest_and_the_plan_as_written() {
    let path = std::path::Path::new("tests/fixtures/checks/yaml11-names.yaml");
    let root = std::fs::canonicalize("tests/fixtures/checks").unwrap();
    let bytes = std::fs::read(path).unwrap();
    let (m, _) = jianbao::manifest::parse_and_validate("yaml11-names.yaml", &bytes, path, &root)
        .unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(m.themes[0].0, "y");
    assert_eq!(m.articles[0].id, "no");
    assert_eq!(m.articles[0].themes, ["y", "on", "1.50"]);
    assert_eq!(
        (m.articles[1].id.as_str(), m.articles[1].themes.as_slice()),
        ("123", &["off".to_string()][..])
    );
    let f = &m.figures[0];
    assert_eq!(
        (f.label.as_str(), f.value.as_str(), f.compare.as_deref()),
        ("yes", "1.50", Some("true"))
    );
    let (jobs, _) = jianbao::plan::plan(&m);
    let names: Vec<&str> = jobs.iter().map(|j| j.file_name.as_str()).collect();
    assert_eq!(names, ["y.pdf", "on-1.pdf"]);
}

#[test]
fn a_misspelt_filter_gets_did_you_mean_and_the_filters() {
    let (code, err) = check("misspelt-filter");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("unknown filter `lenght`"), "{err}");
    assert!(err.contains("did you mean `length`?"), "{err}");
    assert!(err.contains("did you mean `upper`?"), "{err}");
    assert!(err.contains("filters: abs, attr,"), "{err}");
    // An unknown article id of a selection is shown where it is listed, as written.
    assert!(err.contains("names article `yes`, which does not exist"), "{err}");
    assert!(err.contains("misspelt-filter.yaml:18:20"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn a_bad_date_and_bad_line_ranges_do_not_hide_wrong_figures() {
    let (code, err) = check("all-at-once");
    assert_eq!(code, 1, "{err}");
    for expected in [
        "`date` is not a valid date",
        "`lines` must be `[first, last]` with first ≤ last",
        "line range [2, 90] goes past the end of source.txt",
        "value \"13\" does not match its quote",
        "quote not found in the body of article `a2`",
        "found 6 problems",
    ] {
        assert!(err.contains(expected), "missing {expected:?}:\n{err}");
    }
    insta::assert_snapshot!(err);
}

#[test]
fn a_panic_fails_only_its_own_document_and_the_record_is_saved() {
    let dir = tempdir();
    std::fs::write(dir.path().join("manifest.yaml"), TWO_COUNTIES).unwrap();
    let out = crate::common::jianbao()
        .current_dir(dir.path())
        .env("JIANBAO_TEST_PANIC", "盐湖区-第1期.pdf")
        .args(["build", "manifest.yaml", "-o", "out", "-j", "2"])
        .output()
        .expect("jianbao runs");
    let (code, _, err) = crate::common::decode(out);
    assert_eq!(code, 1, "{err}");
    // The panicking document is reported as a bug in jianbao, named, with how to report it.
    assert!(err.contains("盐湖区-第1期.pdf: jianbao stopped on a bug"), "{err}");
    assert!(err.contains("forced by JIANBAO_TEST_PANIC"), "{err}");
    assert!(err.contains("please report it with the manifest"), "{err}");
    // The panic message names the document's thread.
    assert!(err.contains("thread '盐湖区-第1期.pdf'"), "{err}");
    // The other document is written, the failed one is not, and the record is saved.
    let out = dir.path().join("out");
    assert!(out.join("永济市-第1期.pdf").is_file(), "{err}");
    assert!(!out.join("盐湖区-第1期.pdf").exists(), "{err}");
    let record = std::fs::read_to_string(out.join(".jianbao.json")).expect("build record");
    assert!(
        record.contains("永济市-第1期.pdf") && !record.contains("盐湖区-第1期.pdf"),
        "{record}"
    );

    // Without the panic the next build makes the missing document and skips the other.
    let (code, _, err) =
        crate::common::run_in(dir.path(), &["build", "manifest.yaml", "-o", "out"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.join("盐湖区-第1期.pdf").is_file(), "{err}");
}
