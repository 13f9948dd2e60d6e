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

#[test]
fn check_says_when_the_paragraph_rule_applied() {
    let (code, _, err) = run(&["check", "tests/fixtures/workflow/paragraphs.yaml"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("each line is taken as a paragraph (3 paragraphs)"), "{err}");
    assert!(err.contains("is not written with `|`"), "{err}");
    assert!(!err.contains("`blank-lines`"), "{err}");
    insta::assert_snapshot!(err);
}

/// A manifest in `issue/` whose source is in a sibling folder `shared/`.
fn sibling_project() -> tempfile::TempDir {
    let dir = crate::common::tempdir();
    std::fs::create_dir_all(dir.path().join("issue")).unwrap();
    std::fs::create_dir_all(dir.path().join("shared")).unwrap();
    std::fs::write(dir.path().join("shared/page.txt"), "第一行\n第二行\n").unwrap();
    std::fs::write(
        dir.path().join("issue/manifest.yaml"),
        "briefing:\n  title: 测试简报\n  issuer: 测试办公室\n  number: 1\n  date: 2024-03-05\narticles:\n  - id: a1\n    title: 盐湖区召开会议\n    county: 盐湖区\n    themes: [便民服务]\n    body: 会议指出,全区共建成党群服务站12个。\n    source: { file: ../shared/page.txt, lines: [1, 2] }\n  - id: a2\n    title: 夏县召开会议\n    county: 夏县\n    themes: [便民服务]\n    body: 会议指出,全县共建成党群服务站8个。\n    source: { file: page.txt, lines: [1, 2] }\n",
    )
    .unwrap();
    dir
}

#[test]
fn root_only_widens_the_fence_and_messages_name_the_folder() {
    let dir = sibling_project();
    let run = |args: &[&str]| crate::common::run_in(dir.path(), args);
    // Without --root, `..` leaves the manifest's folder; the message names it.
    let (code, _, err) = run(&["check", "issue/manifest.yaml"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("source file `../shared/page.txt` leaves the project folder issue"),
        "{err}"
    );
    assert!(err.contains("source file `page.txt` does not exist in issue"), "{err}");
    // With --root, paths stay relative to the manifest's folder and `..` may reach the sibling.
    let (code, _, err) = run(&["check", "--root", ".", "issue/manifest.yaml"]);
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("../shared/page.txt"), "{err}");
    assert!(err.contains("source file `page.txt` does not exist in issue"), "{err}");
    assert!(err.contains("must stay inside . (`--root`)"), "{err}");
    std::fs::write(dir.path().join("issue/page.txt"), "第一行\n第二行\n").unwrap();
    let (code, _, err) = run(&["check", "--root", ".", "issue/manifest.yaml"]);
    assert_eq!(code, 0, "{err}");
    // Run from inside the folder: the folder is named `.`, never left empty.
    std::fs::remove_file(dir.path().join("issue/page.txt")).unwrap();
    let (code, _, err) =
        crate::common::run_in(&dir.path().join("issue"), &["check", "manifest.yaml"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("source file `page.txt` does not exist in ."), "{err}");
}

#[test]
fn the_example_draws_only_the_charts_its_manifest_asks_for() {
    let manifest = crate::common::root().join("seeds/manifest.yaml");
    let (m, jobs, _) = jianbao::pipeline::check(&manifest, None).unwrap();
    let job = jobs.iter().find(|j| j.kind == jianbao::plan::JobKind::Issue).expect("the issue");
    let (data, _, _) = jianbao::render::job_data(&m, job, jianbao::profile::Profile::Screen);
    let data: serde_json::Value = serde_json::from_slice(&data).unwrap();
    let charts = serde_json::to_string_pretty(&data["charts"]).unwrap();
    // 志愿服务活动 (a township's 200余次 against a district's 80余次) shares a label and a
    // unit, but no `compare:` key: it must not be drawn.
    assert!(!charts.contains("志愿服务活动"), "{charts}");
    insta::assert_snapshot!(charts);
}

#[test]
fn chart_false_and_approximate_values() {
    let dir = crate::common::tempdir();
    let path = crate::common::write_project(
        dir.path(),
        "briefing:\n  title: 测试简报\n  issuer: 测试办公室\n  number: 1\n  date: 2024-03-05\narticles:\n  - id: a1\n    title: 盐湖区\n    county: 盐湖区\n    themes: [便民服务]\n    body: 开展志愿服务活动80余次,建成服务站12个。\n  - id: a2\n    title: 夏县\n    county: 夏县\n    themes: [便民服务]\n    body: 开展志愿服务活动120次,建成服务站9个。\n  - id: a3\n    title: 绛县\n    county: 绛县\n    themes: [便民服务]\n    body: 建成服务站7个。\nfigures:\n  - { article: a1, label: 志愿服务活动, value: 80余, unit: 次, quote: 开展志愿服务活动80余次, compare: 志愿服务 }\n  - { article: a2, label: 志愿服务活动, value: \"120\", unit: 次, quote: 开展志愿服务活动120次, compare: 志愿服务 }\n  - { article: a1, label: 服务站, value: \"12\", unit: 个, quote: 建成服务站12个, compare: 服务站 }\n  - { article: a2, label: 服务站, value: \"9\", unit: 个, quote: 建成服务站9个, compare: 服务站, chart: false }\n  - { article: a3, label: 服务站, value: \"7\", unit: 个, quote: 建成服务站7个, compare: 服务站 }\n",
    );
    let (m, jobs, _) = jianbao::pipeline::check(&path, None).unwrap();
    let (data, _, _) = jianbao::render::job_data(&m, &jobs[0], jianbao::profile::Profile::Screen);
    let data: serde_json::Value = serde_json::from_slice(&data).unwrap();
    let charts = data["charts"].as_array().unwrap();
    assert_eq!(charts.len(), 2, "{charts:?}");
    let volunteer = &charts[0];
    assert_eq!(volunteer["compare"], "志愿服务");
    assert_eq!(volunteer["approximate"], true);
    assert_eq!(volunteer["bars"][0]["approximate"], true);
    assert_eq!(volunteer["bars"][1]["approximate"], false);
    let stations: Vec<&str> = charts[1]["bars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["county"].as_str().unwrap())
        .collect();
    assert_eq!(stations, ["盐湖区", "绛县"], "chart: false keeps 夏县 out");
}

fn two_county_manifest(counties: &[&str]) -> String {
    let mut m = String::from(
        "briefing:\n  title: 测试简报\n  issuer: 测试办公室\n  number: 1\n  date: 2024-03-05\narticles:\n",
    );
    for (i, c) in counties.iter().enumerate() {
        m.push_str(&format!(
            "  - id: a{i}\n    title: {c}召开会议\n    county: {c}\n    themes: [便民服务]\n    body: 会议指出,全县共建成党群服务站8个。\n"
        ));
    }
    m.push_str("outputs:\n  - kind: county\n    file: \"{{ county }}-第{{ number }}期.pdf\"\n");
    m
}

#[test]
fn outputs_no_longer_made_are_named_and_prune_removes_only_what_jianbao_wrote() {
    let dir = crate::common::tempdir();
    let path =
        crate::common::write_project(dir.path(), &two_county_manifest(&["盐湖区", "夏县", "绛县"]));
    let manifest = path.to_str().unwrap();
    let out = dir.path().join("out");
    let out_arg = out.to_str().unwrap();
    let (code, _, err) = run(&["build", manifest, "-o", out_arg]);
    assert_eq!(code, 0, "{err}");
    // The user's own file, and a jianbao file the user edited afterwards.
    std::fs::write(out.join("说明.pdf"), "not made by jianbao").unwrap();
    std::fs::write(out.join("绛县-第1期.pdf"), "edited by hand").unwrap();

    // 夏县 and 绛县 leave the manifest: the summary names their files, which stay.
    std::fs::write(&path, two_county_manifest(&["盐湖区"])).unwrap();
    let (code, _, err) = run(&["build", manifest, "-o", out_arg]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("2 files written by an earlier build that this manifest no longer makes"),
        "{err}"
    );
    assert!(err.contains("夏县-第1期.pdf"), "{err}");
    assert!(err.contains("jianbao build --prune"), "{err}");
    assert!(!err.contains("说明.pdf"), "{err}");
    assert!(out.join("夏县-第1期.pdf").exists());
    // The JSON summary lists them too.
    let (code, stdout, err) = run(&["build", "--message-format", "json", manifest, "-o", out_arg]);
    assert_eq!(code, 0, "{err}");
    let summary = stdout.lines().last().unwrap();
    assert!(
        summary.contains("\"no_longer_made\"") && summary.contains("夏县-第1期.pdf"),
        "{summary}"
    );

    let (code, _, err) = run(&["build", "--prune", manifest, "-o", out_arg]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("pruned"), "{err}");
    assert!(!out.join("夏县-第1期.pdf").exists(), "{err}");
    assert!(out.join("绛县-第1期.pdf").exists(), "an edited file is never removed:\n{err}");
    assert!(err.contains("was changed after jianbao wrote it, so --prune leaves it"), "{err}");
    assert!(out.join("说明.pdf").exists(), "a file jianbao did not write is never touched");
    assert!(out.join("盐湖区-第1期.pdf").exists());
    let record = std::fs::read_to_string(out.join(".jianbao.json")).unwrap();
    assert!(!record.contains("夏县"), "{record}");
}

#[test]
fn yaml_slips_of_chinese_typing_get_messages_naming_the_slip() {
    let (code, err) = check("fullwidth-colon");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("fullwidth-colon.yaml:9:11"), "{err}");
    assert!(err.contains("`county` is followed by a full-width colon `：`"), "{err}");
    let (code, err2) = check("over-indented");
    assert_eq!(code, 1, "{err2}");
    assert!(err2.contains("over-indented.yaml:9:7"), "{err2}");
    assert!(err2.contains("`county` is indented more than the key on the line above it"), "{err2}");
    let (code, err3) = check("tab-indentation");
    assert_eq!(code, 1, "{err3}");
    assert!(err3.contains("tab-indentation.yaml:3:1"), "the tab is on line 3:\n{err3}");
    assert!(err3.contains("line 3 is indented with a tab"), "{err3}");
    insta::assert_snapshot!(format!("{err}\n{err2}"));
}

#[test]
fn ingest_skips_manifests_yaml_and_markdown_with_a_note() {
    let dir = crate::common::tempdir();
    let seed = crate::common::root().join("seeds/000_992f2dd162ad12d1.txt");
    std::fs::copy(&seed, dir.path().join("page.txt")).unwrap();
    std::fs::copy(
        crate::common::root().join("seeds/manifest.yaml"),
        dir.path().join("manifest.yaml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("README.md"), "# 说明\n\n本文件夹存放网页文本。\n").unwrap();
    let (code, _, err) = crate::common::run_in(
        dir.path(),
        &["ingest", "page.txt", "manifest.yaml", "README.md", "-o", "draft.yaml"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("note: skipped manifest.yaml: a YAML file"), "{err}");
    assert!(err.contains("note: skipped README.md: a Markdown file"), "{err}");
    let draft = std::fs::read_to_string(dir.path().join("draft.yaml")).unwrap();
    assert!(!draft.contains("file: \"manifest.yaml\""), "{draft}");
    assert!(!draft.contains("file: \"README.md\""), "{draft}");
    assert!(draft.contains("file: \"page.txt\""), "{draft}");
}
