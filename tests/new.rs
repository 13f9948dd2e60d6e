//! `jianbao new`: the next issue's manifest from the previous one, or a template; it
//! passes `check` once an article is added, says so, and never overwrites a manifest.

use std::path::Path;

use crate::common::{copy_seeds, decode, jianbao, tempdir};

const ARTICLE: &str = "articles:
  - id: yanhu-new
    title: 盐湖区召开党建工作会议
    county: 盐湖区
    themes: [网格治理]
    body: |
      会议指出，全区共建成党群服务站12个。
";

fn new_in(dir: &Path, args: &[&str], epoch: Option<&str>) -> (i32, String, String) {
    let mut cmd = jianbao();
    cmd.current_dir(dir).arg("new").args(args);
    if let Some(epoch) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", epoch);
    }
    decode(cmd.output().expect("jianbao runs"))
}

fn check(dir: &Path, manifest: &str) -> (i32, String) {
    let (code, _, err) =
        decode(jianbao().current_dir(dir).args(["check", manifest]).output().expect("runs"));
    (code, err)
}

/// The line `key: value` of the manifest's text, trimmed of its comment.
fn value<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    text.lines()
        .find_map(|l| l.trim_start().strip_prefix(&format!("{key}: ")))
        .map(|v| v.split("  #").next().unwrap_or(v).trim())
}

#[test]
fn the_next_issue_carries_the_distribution_and_themes_and_passes_check_once_an_article_is_added() {
    let dir = tempdir();
    copy_seeds(&dir.path().join("2025-03"));
    // 2025-04-09 20:00 UTC is already 2025-04-10 in China.
    let (code, _, err) =
        new_in(dir.path(), &["2025-04", "--from", "2025-03/manifest.yaml"], Some("1744228800"));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("passes `jianbao check` once an article is added"), "{err}");
    let previous =
        std::fs::read_to_string(dir.path().join("2025-03/manifest.yaml")).expect("seeds");
    let text = std::fs::read_to_string(dir.path().join("2025-04/manifest.yaml")).expect("written");
    assert_eq!(text.lines().next(), Some("# yaml-language-server: $schema=manifest.schema.json"));
    let schema =
        std::fs::read_to_string(dir.path().join("2025-04/manifest.schema.json")).expect("schema");
    assert_eq!(
        schema,
        std::fs::read_to_string(crate::common::root().join("schema/manifest.schema.json"))
            .expect("committed")
    );
    assert_eq!(value(&text, "number"), Some("4"));
    assert_eq!(value(&text, "total_number"), Some("58"));
    assert_eq!(value(&text, "date"), Some("2025-04-10"));
    for key in [
        "title",
        "issuer",
        "report_to",
        "send_to",
        "issue_to",
        "copies",
        "style",
        "新就业群体",
        "网格治理",
    ] {
        assert_eq!(value(&text, key), value(&previous, key), "{key} is not carried over");
        assert!(value(&text, key).is_some(), "{key}");
    }
    // No articles and no figures: their blocks are comments.
    assert!(
        !text.contains("- id:")
            || text
                .lines()
                .filter(|l| l.contains("- id:"))
                .all(|l| l.trim_start().starts_with('#'))
    );
    assert!(
        !text.contains(
            "quote: 我们已累计组织1300余名新就业群体党员和一线工作者到社区报到\n    compare"
        ),
        "{text}"
    );
    assert!(
        text.lines().filter(|l| l.contains("quote:")).all(|l| l.trim_start().starts_with('#')),
        "{text}"
    );
    // As written, `check` refuses it: it has no articles.
    let (code, err) = check(&dir.path().join("2025-04"), "manifest.yaml");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`articles` is empty"), "{err}");
    // With one article it passes.
    let with_article = text.replacen("articles:\n", ARTICLE, 1);
    std::fs::write(dir.path().join("2025-04/manifest.yaml"), with_article).expect("write");
    let (code, err) = check(&dir.path().join("2025-04"), "manifest.yaml");
    assert_eq!(code, 0, "{err}");

    // The issue after that, from the new one: the numbers count on again.
    let (code, _, err) = new_in(
        dir.path(),
        &["2025-05", "--from", "2025-04/manifest.yaml", "--date", "2025年5月9日"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.path().join("2025-05/manifest.yaml")).expect("written");
    assert_eq!((value(&text, "number"), value(&text, "total_number")), (Some("5"), Some("59")));
    assert_eq!(value(&text, "date"), Some("2025-05-09"));
    assert_eq!(text.matches("yaml-language-server").count(), 1, "{text}");
}

#[test]
fn without_a_previous_issue_it_writes_a_commented_template() {
    let dir = tempdir();
    let (code, _, err) = new_in(dir.path(), &["next"], Some("1744228800"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "passes `jianbao check` once an article is added and its 待填写 are filled in"
        ),
        "{err}"
    );
    let text = std::fs::read_to_string(dir.path().join("next/manifest.yaml")).expect("written");
    assert!(text.contains("# 期号"), "Chinese comments:\n{text}");
    assert_eq!(value(&text, "date"), Some("2025-04-10"));
    let (code, err) = check(&dir.path().join("next"), "manifest.yaml");
    assert_eq!(code, 1);
    assert!(err.contains("placeholder `待填写`"), "{err}");
    let filled = text.replace("待填写", "样例").replacen("articles:\n", ARTICLE, 1);
    std::fs::write(dir.path().join("next/manifest.yaml"), filled).expect("write");
    let (code, err) = check(&dir.path().join("next"), "manifest.yaml");
    assert_eq!(code, 0, "{err}");
}

#[test]
fn it_never_overwrites_a_manifest() {
    let dir = tempdir();
    std::fs::create_dir(dir.path().join("next")).expect("mkdir");
    std::fs::write(dir.path().join("next/manifest.yaml"), "mine\n").expect("write");
    let (code, _, err) = new_in(dir.path(), &["next"], None);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already exists") && err.contains("does not overwrite"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("next/manifest.yaml")).expect("kept"),
        "mine\n"
    );
    assert!(!dir.path().join("next/manifest.schema.json").exists());
}

#[test]
fn a_previous_manifest_that_is_not_yaml_is_located() {
    let dir = tempdir();
    std::fs::write(dir.path().join("old.yaml"), "briefing:\n  number: [1\n").expect("write");
    let (code, _, err) = new_in(dir.path(), &["next", "--from", "old.yaml"], None);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("old.yaml:"), "{err}");
    assert!(!dir.path().join("next/manifest.yaml").exists());
    std::fs::write(dir.path().join("old.yaml"), "briefing:\n  number: 三\n  date: 2025-03-10\n")
        .expect("write");
    let (code, _, err) = new_in(dir.path(), &["next", "--from", "old.yaml"], None);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("old.yaml:2:11") && err.contains("not a whole number"), "{err}");
}
