//! Regression tests for the faults the architecture review reproduced (issue 17):
//! output names colliding after profile suffixes, the build record's lock, exit codes,
//! SOURCE_DATE_EPOCH range, problem counts and system-font fingerprints.

use crate::common::{run, tempdir};

/// One issue document (`简报.pdf`) and one selection whose pattern gives `简报-print.pdf`.
const SUFFIX_CLASH: &str = "briefing:\n  title: 测试简报\n  issuer: 测试办公室\n  number: 1\n  date: 2024-03-05\n\
articles:\n  - id: a1\n    title: 盐湖区召开会议\n    county: 盐湖区\n    themes: [党群服务中心]\n\
\x20   body: 会议指出,全区共建成党群服务站12个。\n\
outputs:\n  - kind: issue\n    file: \"简报.pdf\"\n  - kind: select\n    name: 盐湖\n    counties: [盐湖区]\n    file: \"简报-PRINT.pdf\"\n";

#[test]
fn profile_suffixes_that_make_two_outputs_one_file_are_an_error() {
    let dir = tempdir();
    std::fs::write(dir.path().join("manifest.yaml"), SUFFIX_CLASH).unwrap();
    let manifest = dir.path().join("manifest.yaml");
    let out = dir.path().join("out");
    let (code, _, err) = run(&[
        "build",
        manifest.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "--profile",
        "screen,print",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(!out.join("简报-print.pdf").exists(), "nothing is written");
    let err = err.replace(dir.path().to_str().unwrap(), "DIR");
    insta::assert_snapshot!(err);
}
