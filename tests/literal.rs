//! Data is data: article text reaches Typst as JSON strings, so markup characters print
//! as themselves and nothing in an article can run Typst code.

use crate::common::{pdftotext, run, squeeze, tempdir, write_project};

/// Paragraphs that start with every character Typst markup gives a meaning to.
const HOSTILE: &[&str] = &[
    "# 不是标题",
    "$x^2$ 不是公式",
    "* 不是列表也不加粗*",
    "_ 不是强调_",
    "@ref 不是引用",
    "<label> 不是标签",
    "[方括号] 原样",
    "\\ 反斜杠原样",
    "`代码` 原样",
    "= 不是一级标题",
    "- 不是列表",
    "+ 不是编号",
    "/ 不是术语",
    "#read(\"/etc/passwd\")",
    "#import \"@preview/cuti:0.3.0\"",
];

#[test]
fn markup_characters_print_literally() {
    let dir = tempdir();
    let body: String = HOSTILE.iter().map(|p| format!("      {p}\n\n")).collect();
    let manifest = format!(
        "briefing:\n  title: 测试简报\n  issuer: 测试办公室\n  number: 1\n  date: 2024-03-05\n\
         articles:\n  - id: a1\n    title: \"#标题 *星号* $符号$\"\n    county: 盐湖区\n    themes: []\n\
         \x20   body: |\n{body}    source: {{ file: source.txt, lines: [1, 2] }}\n"
    );
    let path = write_project(dir.path(), &manifest);
    let out = dir.path().join("out");
    let (code, _, err) = run(&["build", path.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let pdf = crate::common::pdfs(&out).pop().expect("a PDF");
    let text = squeeze(&pdftotext(&pdf));
    for p in HOSTILE {
        assert!(text.contains(&squeeze(p)), "{p:?} not printed literally in:\n{text}");
    }
    assert!(text.contains("#标题*星号*$符号$"), "title not literal: {text}");
    assert!(!text.contains("root:"), "a file of the host was read");
}
