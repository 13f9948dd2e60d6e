//! `jianbao check`: every problem of a manifest in one run, each with file:line:column
//! and a hint, exit code 1; a good manifest passes with exit code 0.

use crate::common::run;

#[test]
fn shipped_manifest_passes() {
    let (code, _, err) = run(&["check", "seeds/manifest.yaml"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("ok: seeds/manifest.yaml"), "{err}");
}

#[test]
fn misspelled_field_dangling_figure_and_wrong_quote_all_reported() {
    let (code, _, err) = run(&["check", "tests/fixtures/bad/three-problems.yaml"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("tests/fixtures/bad/three-problems.yaml:12:5"), "{err}");
    assert!(err.contains("unknown field `bodyy`"), "{err}");
    assert!(err.contains("did you mean `body`?"), "{err}");
    assert!(err.contains("tests/fixtures/bad/three-problems.yaml:16:14"), "{err}");
    assert!(err.contains("figure refers to article `a2`, which does not exist"), "{err}");
    assert!(err.contains("tests/fixtures/bad/three-problems.yaml:25:12"), "{err}");
    assert!(err.contains("quote not found in the body of article `a1`"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn short_format_is_one_line_per_problem() {
    let (code, _, err) =
        run(&["--diagnostic-format", "short", "check", "tests/fixtures/bad/three-problems.yaml"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}
