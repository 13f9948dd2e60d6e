//! What `check` must catch so that no wrong number or wrong county reaches paper, and
//! the monthly workflow: each case has its message pinned by a snapshot.

use crate::common::run;

/// Runs `jianbao check` on a fixture of the bad corpus; returns (exit code, stderr).
fn check(name: &str) -> (i32, String) {
    let path = format!("tests/fixtures/bad/{name}.yaml");
    let (code, _, err) = run(&["check", &path]);
    assert_ne!(code, 101, "jianbao panicked on {name}:\n{err}");
    (code, err)
}

#[test]
fn a_figure_must_be_a_whole_number_of_its_quote_with_qualifier_and_unit() {
    let (code, err) = check("wrong-figures");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("the quote says 126支: value \"126\""), "{err}");
    assert!(err.contains("the quote says 3400余件: value \"3400余\""), "{err}");
    assert!(err.contains("in the quote, 45 is not followed by the unit `名`"), "{err}");
    assert!(err.contains("found 3 problems"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn counties_are_checked_against_the_gazetteer() {
    let (code, err) = check("wrong-county");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`降县` is not a county-level division"), "{err}");
    assert!(err.contains("did you mean `绛县`?"), "{err}");
    assert!(err.contains("groupings:"), "{err}");
    assert!(err.contains("`东部片区` is not a county-level division"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn a_selection_naming_an_unknown_county_is_reported_and_a_theme_without_articles_is_skipped() {
    let (code, err) = check("select-unknown-county");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("selection `南片` names `夏具`"), "{err}");
    assert!(err.contains("did you mean `夏县`?"), "{err}");
    assert!(err.contains("warning: no article has the theme `网格治理`"), "{err}");
    assert!(
        err.contains("select-unknown-county.yaml:34:20"),
        "the warning points at the theme:\n{err}"
    );
    insta::assert_snapshot!(err);
}

#[test]
fn placeholders_of_a_draft_are_errors_naming_the_field() {
    let (code, err) = check("placeholders");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`title` still holds the draft's placeholder `待填写`"), "{err}");
    assert!(err.contains("`issuer` still holds the draft's placeholder `待填写`"), "{err}");
    assert!(err.contains("`county` still holds the draft's placeholder `待确认`"), "{err}");
    assert!(!err.contains("not a county-level division"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn a_missing_field_causes_no_follow_on_errors_and_source_may_be_a_note() {
    let (code, err) = check("follow-on");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("missing"), "{err}");
    assert!(!err.contains("does not exist"), "{err}");
    assert!(err.contains("found 1 problem"), "{err}");
    insta::assert_snapshot!(err);
}
