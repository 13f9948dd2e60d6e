//! Font coverage: every role prints the 通用规范汉字表 (proved from Unicode's Unihan
//! database, not a hand-made list), the counties whose names Fandol lacks get their own
//! PDFs, and a character outside every font is reported once by `check`, with every place.

use std::path::Path;
use std::process::Command;

use crate::common::{pdfs, pdftotext, root, run, squeeze, tempdir, write_project};

const HEAD: &str =
    "briefing:\n  title: 测试简报\n  issuer: 测试办公室\n  number: 1\n  date: 2024-03-05\n";

/// Where Debian's `unicode-data` package puts the Unihan file that holds kTGH.
const UNIHAN: &str = "/usr/share/unicode/Unihan_OtherMappings.txt.bz2";

/// The characters Unihan marks with kTGH (the 8,105 of the 通用规范汉字表), in code order.
fn tongyong_guifan_from_unihan() -> Vec<char> {
    let out = Command::new("bzcat").arg(UNIHAN).output().unwrap_or_else(|e| {
        panic!("cannot run bzcat on {UNIHAN} ({e}); .ci/run installs unicode-data and bzip2")
    });
    assert!(out.status.success(), "{UNIHAN} is missing: .ci/run installs Debian's unicode-data");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut chars: Vec<char> = text
        .lines()
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let code = cols.next()?.strip_prefix("U+")?;
            (cols.next()? == "kTGH").then(|| char::from_u32(u32::from_str_radix(code, 16).ok()?))?
        })
        .collect();
    chars.sort_unstable();
    chars
}

fn article(id: &str, title: &str, county: &str, body: &[String], captions: &[String]) -> String {
    let json = |v: &[String]| serde_json::to_string(v).unwrap();
    format!(
        "  - id: {id}\n    title: {}\n    county: {county}\n    themes: []\n    body: {}\n    captions: {}\n    source: {{ file: source.txt, lines: [1, 2] }}\n",
        serde_json::to_string(title).unwrap(),
        serde_json::to_string(&body.join("\n\n")).unwrap(),
        json(captions)
    )
}

#[test]
fn the_embedded_list_is_unihans_and_every_role_covers_it() {
    let unihan = tongyong_guifan_from_unihan();
    assert_eq!(unihan.len(), 8105);
    let embedded = std::fs::read_to_string(root().join("fonts/tongyong-guifan.txt")).unwrap();
    let mut embedded: Vec<char> = embedded.lines().filter_map(|l| l.chars().next()).collect();
    embedded.sort_unstable();
    assert_eq!(embedded, unihan, "fonts/tongyong-guifan.txt differs from Unihan's kTGH");

    let (code, out, err) = run(&["fonts", "--coverage"]);
    assert_eq!(code, 0, "{err}");
    for role in ["宋 (", "黑 (", "楷 (", "仿宋 ("] {
        let at = out.find(&format!("\n{role}")).unwrap_or_else(|| panic!("{role}:\n{out}"));
        let line = out[at..].lines().nth(2).unwrap();
        assert!(line.contains("通用规范汉字表 8105/8105"), "{role}: {line}");
        assert!(line.contains("GB 2312 汉字 6763/6763"), "{role}: {line}");
    }
    // Fandol alone lacks part of the list; `--missing` names what it lacks.
    let (_, missing, _) = run(&["fonts", "--missing"]);
    let fang = missing.split("\nFandolFang\n").nth(1).unwrap();
    assert!(fang.lines().nth(1).unwrap().contains("missing from 通用规范汉字表: "), "{fang}");
    assert!(fang.lines().nth(1).unwrap().contains('埇'), "{fang}");
}

/// Builds `manifest` in `dir`; returns the output folder.
fn build(dir: &Path, manifest: &str) -> std::path::PathBuf {
    build_with(dir, manifest, &[])
}

/// Builds `manifest` in `dir` with extra arguments; returns the output folder.
fn build_with(dir: &Path, manifest: &str, args: &[&str]) -> std::path::PathBuf {
    let path = write_project(dir, manifest);
    let out = dir.join("out");
    let mut all = vec!["build", path.to_str().unwrap(), "-o", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let (code, _, err) = run(&all);
    assert_eq!(code, 0, "{err}");
    out
}

fn pdffonts(pdf: &Path) -> String {
    let out = Command::new("pdffonts").arg(pdf).output().expect("pdffonts is installed");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn every_tongyong_guifan_character_prints_in_titles_body_headings_and_captions() {
    let all = tongyong_guifan_from_unihan();
    let mut articles = String::new();
    for (i, chunk) in all.chunks(100).enumerate() {
        let text: String = chunk.iter().collect();
        let body = [
            text.clone(),            // body: 仿宋
            format!("一、{text}"),   // first-level heading: 黑
            format!("（一）{text}"), // second-level heading: 楷
        ];
        articles.push_str(&article(
            &format!("a{i}"),
            &text,
            "盐湖区",
            &body,
            std::slice::from_ref(&text),
        ));
    }
    let dir = tempdir();
    // One document holding all 8,105 characters in five faces: a debug build needs several
    // GiB and minutes on a busy machine for it, beyond the default per-document limits.
    let limits = ["--doc-timeout", "0", "--doc-memory", "16384"];
    let out = build_with(dir.path(), &format!("{HEAD}articles:\n{articles}"), &limits);
    let files = pdfs(&out);
    assert_eq!(files.len(), 1, "{files:?}");
    let text = squeeze(&pdftotext(&files[0]));
    let lost: String = all.iter().filter(|c| !text.contains(**c)).collect();
    assert!(
        lost.is_empty(),
        "pdftotext does not give back {} characters: {lost}",
        lost.chars().count()
    );
    // Every font is embedded, the fallbacks among them.
    let listing = pdffonts(&files[0]);
    for row in listing.lines().skip(2) {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cols[cols.len() - 5], "yes", "not embedded: {row}");
    }
    for name in
        ["NotoSerifCJKsc-Bold", "NotoSerifCJKsc-Regular", "NotoSansCJKsc-Regular", "JianbaoKai"]
    {
        assert!(listing.contains(name), "{name} not used:\n{listing}");
    }
}

#[test]
fn the_seven_counties_fandol_cannot_print_get_their_own_pdfs() {
    let counties = ["埇桥区", "浉河区", "湾沚区", "瀍河回族区", "猇亭区", "硚口区", "鄠邑区"];
    let gazetteer = std::fs::read_to_string(root().join("src/data/gazetteer.tsv")).unwrap();
    let mut articles = String::new();
    for (i, county) in counties.iter().enumerate() {
        assert!(gazetteer.lines().any(|l| l.split('\t').nth(1) == Some(county)), "{county}");
        let body = [format!("{county}召开会议。")];
        articles.push_str(&article(
            &format!("a{i}"),
            &format!("{county}工作动态"),
            county,
            &body,
            &[],
        ));
    }
    let outputs = "outputs:\n  - kind: county\n    file: \"{{ county }}.pdf\"\n";
    let dir = tempdir();
    let out = build(dir.path(), &format!("{HEAD}articles:\n{articles}{outputs}"));
    for county in counties {
        let pdf = out.join(format!("{county}.pdf"));
        assert!(pdf.exists(), "{} missing: {:?}", pdf.display(), pdfs(&out));
        let text = squeeze(&pdftotext(&pdf));
        assert!(text.contains(&format!("{county}工作动态")), "{county}: {text}");
        assert!(text.contains(&format!("{county}召开会议")), "{county}: {text}");
    }
}

#[test]
fn every_gazetteer_name_passes_the_glyph_check_and_prints() {
    let gazetteer = std::fs::read_to_string(root().join("src/data/gazetteer.tsv")).unwrap();
    let mut articles = String::new();
    let mut n = 0;
    for line in gazetteer.lines().filter(|l| !l.starts_with('#')) {
        let county = line.split('\t').nth(1).unwrap();
        articles.push_str(&article(
            &format!("a{n}"),
            &format!("{county}动态"),
            county,
            &["正文。".to_string()],
            &[],
        ));
        n += 1;
    }
    assert!(n > 2800, "{n}");
    let dir = tempdir();
    let path = write_project(dir.path(), &format!("{HEAD}articles:\n{articles}"));
    let (code, _, err) = run(&["check", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    // One issue holding every name as an article's county (not 2,846 county files): each name
    // prints, in its county heading and in its article's title.
    let outputs = "outputs:\n  - kind: issue\n    file: all.pdf\n";
    let out = build(dir.path(), &format!("{HEAD}articles:\n{articles}{outputs}"));
    let text = squeeze(&pdftotext(&out.join("all.pdf")));
    for line in gazetteer.lines().filter(|l| !l.starts_with('#')) {
        let county = line.split('\t').nth(1).unwrap();
        assert!(text.contains(&format!("{county}动态")), "{county} is missing from the PDF");
    }
}

#[test]
fn check_reports_a_character_outside_every_font_once_with_every_place() {
    // 𪚥 (U+2A6A5, Extension B) is in no bundled font; it occurs in three fields and, through
    // the issue and two county outputs, in three documents.
    let manifest = "tests/fixtures/bad/glyph-outside-fonts.yaml";
    let (code, _, err) = run(&["check", manifest]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("U+2A6A5").count(), 1, "{err}");
    for place in ["article `a`'s `title`", "article `b`'s `body`", "article `b`'s `captions`"] {
        assert!(err.contains(place), "{place}: {err}");
    }
    assert!(err.contains("glyph-outside-fonts.yaml:9:12"), "no location:\n{err}");
    insta::assert_snapshot!(err);
    // The build stops before typesetting, with the same single report, and writes nothing.
    let dir = tempdir();
    let out = dir.path().join("out");
    let (code, _, err) = run(&["build", manifest, "-o", out.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("U+2A6A5").count(), 1, "{err}");
    assert!(!out.exists() || pdfs(&out).is_empty());
}
