//! End to end: the shipped example manifest builds every county's and theme's PDF,
//! with embedded fonts, the right articles in each, and the figure values.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common::{example, pdftotext, squeeze};

/// Article titles by county, and theme lists, read from the shipped manifest.
fn manifest_articles() -> Vec<(String, String, Vec<String>)> {
    let text = std::fs::read_to_string(crate::common::root().join("seeds/manifest.yaml")).unwrap();
    let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    value["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let themes = a["themes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            (
                a["title"].as_str().unwrap().to_string(),
                a["county"].as_str().unwrap().to_string(),
                themes,
            )
        })
        .collect()
}

/// Titles as they are printed: the same cleaning the build applies.
fn printed(title: &str) -> String {
    squeeze(&jianbao::normalize::normalize(title).text)
}

#[test]
fn example_writes_issue_counties_and_themes() {
    let build = example();
    let articles = manifest_articles();
    let mut counties: Vec<&str> = articles.iter().map(|(_, c, _)| c.as_str()).collect();
    counties.dedup();
    let names: Vec<String> = std::fs::read_dir(&build.out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&"运城党建工作简报-第3期.pdf".to_string()), "{names:?}");
    for county in &counties {
        assert!(names.contains(&format!("{county}-第3期.pdf")), "no PDF for {county}: {names:?}");
    }
    for theme in ["新就业群体", "党群服务中心", "红色教育", "干部队伍"] {
        assert!(names.contains(&format!("专题-{theme}-第3期.pdf")), "no PDF for {theme}");
    }
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "temporary files left: {names:?}");
    // Finished files are readable by others (the print shop's share, a web server).
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(build.out.join("夏县-第3期.pdf")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o644);
}

#[test]
fn county_pdfs_hold_their_articles_and_no_others() {
    let build = example();
    let articles = manifest_articles();
    let by_county: BTreeMap<&str, Vec<&str>> =
        articles.iter().fold(BTreeMap::new(), |mut m, (t, c, _)| {
            m.entry(c.as_str()).or_insert_with(Vec::new).push(t.as_str());
            m
        });
    for (county, titles) in &by_county {
        let text = squeeze(&pdftotext(&build.out.join(format!("{county}-第3期.pdf"))));
        for title in titles {
            assert!(text.contains(&printed(title)), "{county}: title {title} missing");
        }
        for (other, other_titles) in &by_county {
            if other == county {
                continue;
            }
            for title in other_titles {
                assert!(
                    !text.contains(&printed(title)),
                    "{county}'s PDF contains {other}'s article {title}"
                );
            }
        }
    }
}

#[test]
fn theme_pdfs_hold_exactly_their_themes_articles() {
    let build = example();
    let articles = manifest_articles();
    for theme in ["新就业群体", "党群服务中心", "红色教育", "干部队伍"] {
        let text = squeeze(&pdftotext(&build.out.join(format!("专题-{theme}-第3期.pdf"))));
        for (title, _, themes) in &articles {
            let has = text.contains(&printed(title));
            assert_eq!(has, themes.iter().any(|t| t == theme), "theme {theme}, article {title}");
        }
    }
}

#[test]
fn figure_values_and_labels_are_printed() {
    // The panel shows the figures the data hands to the template (capped, in Arabic
    // numerals): each value with its unit, and its label, is in the PDF.
    let build = example();
    let manifest = crate::common::root().join("seeds/manifest.yaml");
    let (m, jobs, _) = jianbao::pipeline::check(&manifest, None).unwrap();
    let job = jobs.iter().find(|j| j.kind == jianbao::plan::JobKind::Issue).unwrap();
    let (data, _, _) = jianbao::render::job_data(&m, job, jianbao::profile::Profile::Screen);
    let data: serde_json::Value = serde_json::from_slice(&data).unwrap();
    let pdf = squeeze(&pdftotext(&build.out.join("运城党建工作简报-第3期.pdf")));
    let figures = data["figures"].as_array().unwrap();
    assert!(figures.len() >= 6, "{} figures", figures.len());
    for f in figures {
        let shown =
            printed(&format!("{}{}", f["value"].as_str().unwrap(), f["unit"].as_str().unwrap()));
        assert!(pdf.contains(&shown), "figure {shown} not printed");
        assert!(
            pdf.contains(&printed(f["label"].as_str().unwrap())),
            "label {} not printed",
            f["label"]
        );
    }
}

#[test]
fn the_editors_note_counts_the_figures_the_panel_prints() {
    // The note of every document says 摘录数据N项; N must be the number of cards its
    // 数据速览 panel prints (capped by max_figures), not every figure of its articles.
    // The whole issue has 35 figures and prints 8 cards.
    let manifest = crate::common::root().join("seeds/manifest.yaml");
    let (m, jobs, _) = jianbao::pipeline::check(&manifest, None).unwrap();
    let mut checked = 0;
    for job in &jobs {
        let (data, _, _) = jianbao::render::job_data(&m, job, jianbao::profile::Profile::Screen);
        let data: serde_json::Value = serde_json::from_slice(&data).unwrap();
        let cards = data["figures"].as_array().unwrap().len();
        let note = data["briefing"]["editor_note"]
            .as_array()
            .map(|p| p.iter().map(|s| s.as_str().unwrap().to_string()).collect::<String>());
        let Some(note) = note else { continue };
        let said = note
            .split("摘录数据")
            .nth(1)
            .and_then(|rest| rest.split('项').next())
            .unwrap_or_else(|| panic!("{}: no 摘录数据N项 in the note: {note}", job.file_name));
        assert_eq!(
            said,
            cards.to_string(),
            "{}: the note says {said}, the panel has {cards}",
            job.file_name
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} documents have a note");
    let issue = jobs.iter().find(|j| j.kind == jianbao::plan::JobKind::Issue).unwrap();
    let all = m.figures.iter().filter(|f| issue.articles.contains(&f.article)).count();
    assert!(all > 8, "the issue has {all} figures: the cap is not exercised");
    // And on paper: the issue's first page says 摘录数据8项.
    let pdf = squeeze(&pdftotext(&example().out.join("运城党建工作简报-第3期.pdf")));
    assert!(pdf.contains("摘录数据8项"), "the issue's note does not say 摘录数据8项");
}

fn pdffonts(pdf: &Path) -> String {
    let out = Command::new("pdffonts").arg(pdf).output().expect("pdffonts is installed");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn every_font_is_embedded() {
    let build = example();
    for path in crate::common::pdfs(&build.out) {
        let listing = pdffonts(&path);
        let rows: Vec<&str> = listing.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{}: no fonts listed", path.display());
        for row in rows {
            // name type encoding emb sub uni object ID
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            assert!(n >= 7, "{row}");
            assert_eq!(cols[n - 5], "yes", "font not embedded in {}: {row}", path.display());
            assert!(cols[0].contains("Fandol"), "unexpected font {row}");
        }
    }
}

#[test]
fn build_is_reproducible_across_folders() {
    let a = crate::common::tempdir();
    let b = crate::common::tempdir();
    for dir in [&a, &b] {
        let out = dir.path().join("o");
        let (code, _, err) = crate::common::run(&[
            "build",
            "seeds/manifest.yaml",
            "-o",
            out.to_str().unwrap(),
            "-j",
            "2",
        ]);
        assert_eq!(code, 0, "{err}");
    }
    let mut compared = 0;
    for path in crate::common::pdfs(&a.path().join("o")) {
        let name = path.file_name().unwrap();
        let x = std::fs::read(a.path().join("o").join(name)).unwrap();
        let y = std::fs::read(b.path().join("o").join(name)).unwrap();
        assert!(x == y, "{name:?} differs between two builds");
        compared += 1;
    }
    assert!(compared >= 10);
}

#[test]
fn no_half_width_punctuation_between_chinese_characters() {
    let build = example();
    let text = pdftotext(&build.out.join("运城党建工作简报-第3期.pdf"));
    let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let half_width_between_han = |text: &str| {
        let chars: Vec<char> = text.chars().collect();
        chars.windows(3).filter(|w| han(w[0]) && han(w[2]) && ",;:?!()".contains(w[1])).count()
    };
    assert_eq!(half_width_between_han(&text), 0, "half-width punctuation between Han characters");
    // The source really has them, so the check above is not vacuous.
    let source =
        std::fs::read_to_string(crate::common::root().join("seeds/manifest.yaml")).unwrap();
    assert!(half_width_between_han(&source) > 100);
}

#[test]
fn data_handed_to_the_template_is_pinned() {
    // The JSON the template reads for one county, as a reviewed snapshot.
    let manifest = crate::common::root().join("seeds/manifest.yaml");
    let (m, jobs, _) = jianbao::pipeline::check(&manifest, None).unwrap();
    let job = jobs
        .iter()
        .find(|j| j.kind == jianbao::plan::JobKind::County("临猗县".into()))
        .expect("a 临猗县 document");
    let (data, _, _) = jianbao::render::job_data(&m, job, jianbao::profile::Profile::Screen);
    insta::assert_snapshot!(String::from_utf8(data).unwrap());
}
