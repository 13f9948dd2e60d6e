//! Containment, injection, missing glyphs and no lost work: a manifest or template
//! cannot read outside its root, article text cannot run Typst code, a character no
//! font has is an error, and a failed, killed or concurrent build never leaves a
//! damaged PDF.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::common::{decode, jianbao, pdfs, pdftotext, run, squeeze, tempdir, write_project};

const HEAD: &str =
    "briefing:\n  title: 测试简报\n  issuer: 测试办公室\n  number: 1\n  date: 2024-03-05\n";

fn article(id: &str, county: &str, body: &str) -> String {
    format!(
        "  - id: {id}\n    title: {county}的文章\n    county: {county}\n    themes: []\n    body: {}\n    source: {{ file: source.txt, lines: [1, 2] }}\n",
        serde_json::to_string(body).unwrap()
    )
}

fn two_county_manifest(body_a: &str) -> String {
    format!(
        "{HEAD}articles:\n{}{}outputs:\n  - kind: issue\n    file: 全部.pdf\n  - kind: county\n    file: \"{{{{ county }}}}.pdf\"\n",
        article("a", "盐湖区", body_a),
        article("b", "夏县", "夏县的正文。")
    )
}

/// A manifest with one short article about 盐湖区.
fn one_article_manifest() -> String {
    format!("{HEAD}articles:\n{}", article("a", "盐湖区", "正文。"))
}

/// Builds `manifest` with a templates folder whose `main.typ` is `main`; returns the exit
/// code, stderr and the output folder.
fn build_with_main(dir: &Path, manifest: &Path, name: &str, main: &str) -> (i32, String, PathBuf) {
    let templates = dir.join(format!("tpl-{name}"));
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join("main.typ"), main).unwrap();
    let out = dir.join(format!("out-{name}"));
    let (code, _, err) = run(&[
        "build",
        manifest.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--templates",
        templates.to_str().unwrap(),
    ]);
    (code, err, out)
}

#[test]
fn a_symlink_leaving_the_root_is_refused() {
    let dir = tempdir();
    let root = dir.path().join("project");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(dir.path().join("outside.txt"), "SECRET-OUTSIDE\n第二行\n").unwrap();
    std::os::unix::fs::symlink("../outside.txt", root.join("link.txt")).unwrap();
    let manifest = one_article_manifest().replace("source.txt", "link.txt");
    std::fs::write(root.join("manifest.yaml"), manifest).unwrap();
    let (code, _, err) = run(&["check", root.join("manifest.yaml").to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("link that leaves the project folder"), "{err}");
}

#[test]
fn templates_cannot_read_files_outside_or_inside_the_host() {
    let dir = tempdir();
    let root = dir.path().join("project");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(dir.path().join("outside.txt"), "SECRET-OUTSIDE").unwrap();
    let path = write_project(&root, &one_article_manifest());
    for (i, attempt) in
        ["../outside.txt", "/outside.txt", "/etc/passwd", "/manifest.yaml"].iter().enumerate()
    {
        let (code, err, out) =
            build_with_main(dir.path(), &path, &i.to_string(), &format!("#read(\"{attempt}\")\n"));
        assert_eq!(code, 1, "{attempt}: {err}");
        assert!(err.contains("main.typ:1"), "{attempt}: the error is not located:\n{err}");
        assert!(!err.contains("SECRET") && !err.contains("root:x"), "{err}");
        assert!(pdfs(&out).is_empty(), "{attempt}: a PDF was written");
    }
}

#[test]
fn package_imports_are_a_clear_error() {
    let dir = tempdir();
    let path = write_project(dir.path(), &one_article_manifest());
    let (code, err, _) = build_with_main(
        dir.path(),
        &path,
        "package",
        "#import \"@preview/cuti:0.3.0\": fakebold\n",
    );
    assert_eq!(code, 1);
    assert!(err.contains("never downloads packages"), "{err}");
}

#[test]
fn hostile_strings_render_literally() {
    let hostile = [
        "#import \"@preview/x:1.0.0\"",
        "#read(\"/etc/passwd\")",
        "```rust\nfn main() {}\n```",
        "<label> @label",
        "$ sum_(i=0)^n i $",
        "#set page(width: 1cm)",
        "]) } #panic(\"x\")",
        "右到左\u{202e}文字",
        "零\u{200b}宽",
    ];
    let long = "长".repeat(3000);
    let latin = "x".repeat(200);
    let dir = tempdir();
    let mut body = hostile.iter().map(|h| h.replace('\n', " ")).collect::<Vec<_>>().join("\n\n");
    body.push_str("\n\n");
    body.push_str(&latin);
    body.push_str("\n\n");
    body.push_str(&long);
    let manifest = format!("{HEAD}articles:\n{}", article("a", "盐湖区", &body))
        .replace("title: 盐湖区的文章", "title: \"#strong[标题] *粗* $x$\"");
    let path = write_project(dir.path(), &manifest);
    let out = dir.path().join("out");
    let (code, _, err) = run(&["build", path.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let text = squeeze(&pdftotext(&pdfs(&out)[0]));
    for h in [
        "#import\"@preview/x:1.0.0\"",
        "#read(\"/etc/passwd\")",
        "<label>@label",
        "$sum_(i=0)^ni$",
        "#setpage(width:1cm)",
        "])}#panic(\"x\")",
    ] {
        assert!(text.contains(h), "{h} not printed literally");
    }
    assert!(text.contains("#strong[标题]*粗*$x$"), "title not literal");
    assert!(text.contains(&long[..300]), "the long string is missing");
    // (The paragraph may run over a page break: drop the page numbers "—n—" in between.)
    let mut flowing = String::new();
    for (i, piece) in text.split('—').enumerate() {
        if i % 2 == 1 && !piece.is_empty() && piece.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        flowing.push_str(piece);
    }
    assert!(flowing.replace('\u{200b}', "").contains(&latin), "the long Latin string is missing");
    // Nothing runs into the margin: every word ends inside the page's type area.
    let bbox = std::process::Command::new("pdftotext")
        .arg("-bbox")
        .arg(&pdfs(&out)[0])
        .arg("-")
        .output()
        .unwrap();
    for x in String::from_utf8_lossy(&bbox.stdout).split("xMax=\"").skip(1) {
        let x: f64 = x.split('"').next().unwrap().parse().unwrap();
        assert!(x <= 522.5, "text reaches x = {x} pt, past the right edge of the type area");
    }
    assert!(!text.contains("root:x"), "a host file was read");
}

#[test]
fn combining_marks_and_emoji_without_glyphs_fail_clearly() {
    for (text, code_point) in
        [("组合e\u{301}字符", "U+0301"), ("表情😀", "U+1F600"), ("扩展𪚥字", "U+2A6A5")]
    {
        let dir = tempdir();
        let path = write_project(
            dir.path(),
            &format!("{HEAD}articles:\n{}", article("a", "盐湖区", text)),
        );
        let (code, _, err) =
            run(&["build", path.to_str().unwrap(), "-o", dir.path().join("o").to_str().unwrap()]);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains(code_point), "{code_point}: {err}");
        let o = dir.path().join("o");
        assert!(!o.exists() || pdfs(&o).is_empty());
    }
}

#[test]
fn a_character_no_font_has_stops_the_build_and_keeps_earlier_files() {
    let dir = tempdir();
    let path = write_project(dir.path(), &two_county_manifest("盐湖区的正文。"));
    let out = dir.path().join("out");
    let build = || run(&["build", path.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let (code, _, err) = build();
    assert_eq!(code, 0, "{err}");
    let before = std::fs::read(out.join("盐湖区.pdf")).unwrap();

    // Now 盐湖区's article holds an emoji that no bundled font has.
    std::fs::write(&path, two_county_manifest("盐湖区的正文😀。")).unwrap();
    let (code, _, err) = build();
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("U+1F600"), "{err}");
    assert_eq!(err.matches("U+1F600").count(), 1, "{err}");
    assert!(err.contains("article `a`'s `body`"), "{err}");
    assert!(err.contains("--font-path"), "{err}");
    assert!(err.contains("manifest.yaml:"), "no location:\n{err}");
    // Nothing is typeset: the documents keep their previous versions.
    assert_eq!(std::fs::read(out.join("盐湖区.pdf")).unwrap(), before);
    assert!(out.join("夏县.pdf").exists());
}

/// Every PDF of `dir` equals the file of the same name in one of the reference folders.
fn each_pdf_is_one_of(dir: &Path, references: &[&Path]) {
    for pdf in pdfs(dir) {
        let bytes = std::fs::read(&pdf).unwrap();
        let name = pdf.file_name().unwrap();
        assert!(
            references.iter().any(|r| std::fs::read(r.join(name)).is_ok_and(|b| b == bytes)),
            "{} is neither the old nor the new complete version",
            pdf.display()
        );
    }
}

#[test]
fn two_builds_at_once_into_one_folder() {
    let dir = tempdir();
    crate::common::copy_seeds(dir.path());
    let reference = dir.path().join("reference");
    let (code, _, err) = decode(
        jianbao()
            .current_dir(dir.path())
            .args(["build", "manifest.yaml", "-o", "reference"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "{err}");
    let spawn = || {
        jianbao()
            .current_dir(dir.path())
            .args(["build", "manifest.yaml", "-o", "shared", "--force", "-j", "1"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (decode(a.wait_with_output().unwrap()), decode(b.wait_with_output().unwrap()));
    assert_eq!(a.0, 0, "{}", a.2);
    assert_eq!(b.0, 0, "{}", b.2);
    let shared = dir.path().join("shared");
    assert_eq!(pdfs(&shared).len(), pdfs(&reference).len());
    each_pdf_is_one_of(&shared, &[&reference]);
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(shared.join(".jianbao.json")).unwrap()).unwrap();
    assert_eq!(record["outputs"].as_array().unwrap().len(), 14);
}

#[test]
fn a_killed_build_leaves_old_or_new_complete_files() {
    let dir = tempdir();
    crate::common::copy_seeds(dir.path());
    let run_in = |args: &[&str]| crate::common::run_in(dir.path(), args);
    assert_eq!(run_in(&["build", "manifest.yaml", "-o", "out"]).0, 0);
    let old = dir.path().join("old");
    std::fs::create_dir(&old).unwrap();
    for pdf in pdfs(&dir.path().join("out")) {
        std::fs::copy(&pdf, old.join(pdf.file_name().unwrap())).unwrap();
    }
    // A change that touches every document: the issue number.
    let manifest = std::fs::read_to_string(dir.path().join("manifest.yaml")).unwrap();
    std::fs::write(
        dir.path().join("manifest.yaml"),
        manifest.replacen("number: 3\n", "number: 3\n  copies: 99\n", 1).replacen(
            "  copies: 120\n",
            "",
            1,
        ),
    )
    .unwrap();
    assert_eq!(run_in(&["build", "manifest.yaml", "-o", "new"]).0, 0);
    let new = dir.path().join("new");
    let out = dir.path().join("out");
    // Every write is held between its temporary file and the rename (a debug-build
    // hook), so the kill lands inside a write, not before or after the build.
    let mut child = jianbao()
        .current_dir(dir.path())
        .args(["build", "manifest.yaml", "-o", "out", "-j", "1", "--force"])
        .env("JIANBAO_TEST_SLOW_WRITE", "3000")
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let temporaries = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().ends_with(".tmp"))
            .collect()
    };
    let start = std::time::Instant::now();
    while temporaries().is_empty() {
        assert!(start.elapsed().as_secs() < 120, "the build never started writing");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    // The write was interrupted: its temporary file is still there, complete PDFs only.
    let left = temporaries();
    assert_eq!(left.len(), 1, "{left:?}");
    each_pdf_is_one_of(&out, &[&old, &new]);
    assert_eq!(pdfs(&out).len(), pdfs(&old).len());
}

#[test]
fn an_unknown_font_family_in_a_template_is_an_error() {
    let dir = tempdir();
    let path = write_project(dir.path(), &one_article_manifest());
    let (code, err, out) =
        build_with_main(dir.path(), &path, "font", "#set text(font: \"NoSuchFont\")\n测试\n");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error: unknown font family: nosuchfont"), "{err}");
    assert!(err.contains("main.typ:1:17"), "{err}");
    assert!(pdfs(&out).is_empty());
}

#[test]
fn fonts_lists_the_four_roles_with_coverage() {
    let (code, out, _) = run(&["fonts"]);
    assert_eq!(code, 0);
    for family in [
        "FandolSong",
        "FandolHei",
        "FandolKai",
        "FandolFang",
        "Noto Serif CJK SC",
        "Noto Sans CJK SC",
        "JianbaoKai",
    ] {
        assert!(out.lines().any(|l| l == family), "{family} missing:\n{out}");
    }
    // Bold faces are real bold (weight 700), and every face covers more than GB 2312's 6,763 Han.
    // Fandol's two and the two Noto fallbacks (`fonts/README.md`).
    assert_eq!(out.matches("normal 700").count(), 4, "{out}");
    for line in out.lines().filter(|l| l.contains("characters")) {
        let n: usize = line.split_whitespace().nth(2).unwrap().parse().unwrap();
        assert!(n > 7000, "{line}");
    }
}
