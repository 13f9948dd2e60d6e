//! End-to-end tests of `ingest`: YAML round trip, encodings, per-file
//! errors, robustness on odd input, the seed dumps against their labels,
//! and a 20 MB timing test (ignored by default).

use super::*;
use serde::Deserialize;
use std::path::PathBuf;

/// The manifest shape, for reading drafts back.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    briefing: Briefing,
    #[serde(default)]
    themes: Option<std::collections::BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    groupings: Vec<String>,
    articles: Vec<Article>,
    #[serde(default)]
    figures: Vec<Figure>,
    #[serde(default)]
    outputs: Vec<Output>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Briefing {
    title: String,
    issuer: String,
    number: u32,
    date: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Article {
    id: String,
    title: String,
    subtitle: Option<String>,
    byline: Option<String>,
    outlet: Option<String>,
    date: Option<String>,
    county: String,
    themes: Vec<String>,
    body: String,
    #[serde(default)]
    captions: Vec<String>,
    #[serde(default)]
    truncated: bool,
    source: Source,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Source {
    file: String,
    lines: (usize, usize),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Figure {
    article: String,
    label: String,
    value: String,
    unit: String,
    quote: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Output {
    kind: String,
    file: String,
}

fn crate_root() -> PathBuf {
    // INGEST_ROOT lets a scratch checkout point at the main project's seeds
    // and labels.
    std::env::var_os("INGEST_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = crate_root().join("seeds");
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "txt")
                && let (Some(name), Ok(bytes)) =
                    (p.file_name().and_then(|n| n.to_str()), std::fs::read(&p))
            {
                out.push((name.to_string(), bytes));
            }
        }
    }
    out.sort();
    out
}

fn run(files: &[(String, Vec<u8>)], opts: &IngestOptions) -> IngestReport {
    let inputs: Vec<SourceInput<'_>> =
        files.iter().map(|(n, b)| SourceInput { name: n.clone(), bytes: b }).collect();
    ingest(&inputs, opts)
}

fn check_rules(report: &IngestReport, files: &[(String, Vec<u8>)]) {
    let yaml = report.draft.to_yaml();
    let m: Manifest = serde_saphyr::from_str(&yaml)
        .unwrap_or_else(|e| panic!("draft does not parse: {e}\n{yaml}"));
    assert_eq!(m.articles.len(), report.draft.articles.len());
    assert_eq!(m.briefing.title, "待填写");
    assert_eq!(m.briefing.issuer, "待填写");
    assert_eq!(m.briefing.number, 1);
    assert_eq!(m.briefing.date, report.draft.briefing.date);
    assert_eq!(
        m.outputs.iter().map(|o| o.kind.as_str()).collect::<Vec<_>>(),
        vec!["issue", "county", "theme"]
    );
    assert!(m.outputs.iter().all(|o| o.file.ends_with(".pdf")));
    let mut ids = std::collections::HashSet::new();
    for (a, d) in m.articles.iter().zip(&report.draft.articles) {
        assert!(ids.insert(a.id.clone()), "duplicate id {}", a.id);
        assert!(a.id.is_ascii());
        assert_eq!(a.title, d.title);
        assert_eq!(a.subtitle, d.subtitle);
        assert_eq!(a.byline, d.byline);
        assert_eq!(a.outlet, d.outlet);
        assert_eq!(a.date, d.date);
        assert_eq!(a.county, d.county);
        let known = !gazetteer::Gazetteer::get().lookup(&a.county).is_empty();
        assert!(
            known || a.county == "待确认" || m.groupings.contains(&a.county),
            "county {} is neither a division nor declared under groupings",
            a.county
        );
        assert_eq!(a.themes, d.themes);
        assert_eq!(a.captions, d.captions);
        assert_eq!(a.truncated, d.truncated);
        let body = a.body.strip_suffix('\n').unwrap_or(&a.body);
        assert_eq!(body, d.body_text(), "body of {}", a.id);
        assert!(!body.trim().is_empty());
        assert!(a.themes.len() <= 3);
        let (file, bytes) = files.iter().find(|(n, _)| *n == a.source.file).expect("source file");
        let nlines = String::from_utf8_lossy(bytes).lines().count().max(1);
        assert!(
            a.source.lines.0 >= 1 && a.source.lines.0 <= a.source.lines.1,
            "{file} {:?}",
            a.source.lines
        );
        assert!(a.source.lines.1 <= nlines, "{file}: {:?} > {nlines}", a.source.lines);
    }
    for f in &m.figures {
        let a = m.articles.iter().find(|a| a.id == f.article).expect("figure article exists");
        assert!(a.body.contains(&f.quote), "quote not in body: {}", f.quote);
        assert!(f.quote.contains(&f.value), "value not in quote: {} / {}", f.value, f.quote);
        assert!(!f.label.is_empty(), "figure {} has no label", f.value);
        assert!(!f.unit.is_empty(), "figure {} has no unit", f.value);
    }
    if let Some(t) = &m.themes {
        assert_eq!(t.len(), report.draft.themes.len());
    }
}

#[test]
fn seeds_draft_round_trips_and_follows_manifest_rules() {
    let files = seeds();
    assert!(!files.is_empty(), "no seeds found: the test cannot run without them");
    let report = run(&files, &IngestOptions::default());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.draft.articles.len() >= files.len());
    check_rules(&report, &files);
}

#[test]
fn extra_themes_are_written_and_used() {
    let text = "共青团座谈会召开\n\n本报讯(记者 张三)夏县举办共青团座谈会，青年代表发言，共青团夏县县委组织。\n";
    let files = vec![("a.txt".to_string(), text.as_bytes().to_vec())];
    let opts = IngestOptions {
        encoding: None,
        extra_themes: vec![(
            "青年工作".to_string(),
            vec!["共青团".to_string(), "青年".to_string()],
        )],
        ..IngestOptions::default()
    };
    let report = run(&files, &opts);
    assert_eq!(report.draft.articles[0].themes.first().map(String::as_str), Some("青年工作"));
    assert_eq!(report.draft.articles[0].county, "夏县");
    check_rules(&report, &files);
    assert!(report.draft.to_yaml().contains("themes:\n  \"青年工作\": [\"共青团\", \"青年\"]"));
}

#[test]
fn gb18030_copy_gives_the_same_draft() {
    for (name, bytes) in seeds() {
        let text = String::from_utf8(bytes.clone()).expect("seed is UTF-8");
        let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
        assert!(!unmappable);
        let a = run(&[(name.clone(), bytes)], &IngestOptions::default());
        let b = run(&[(name.clone(), gb.to_vec())], &IngestOptions::default());
        assert_eq!(
            a.draft,
            {
                let mut d = b.draft.clone();
                d.sources_comment = a.draft.sources_comment.clone();
                d
            },
            "{name}"
        );
        let forced = run(
            &[(name.clone(), gb.to_vec())],
            &IngestOptions { encoding: Some("gbk".into()), ..IngestOptions::default() },
        );
        assert_eq!(forced.draft.articles, a.draft.articles, "{name} forced gbk");
    }
}

#[test]
fn bom_and_crlf_give_the_same_draft() {
    for (name, bytes) in seeds() {
        let text = String::from_utf8(bytes.clone()).expect("seed is UTF-8");
        let mut crlf = vec![0xEF, 0xBB, 0xBF];
        crlf.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
        let a = run(&[(name.clone(), bytes)], &IngestOptions::default());
        let b = run(&[(name.clone(), crlf)], &IngestOptions::default());
        assert_eq!(a.draft.articles, b.draft.articles, "{name}");
    }
}

#[test]
fn bad_files_get_errors_and_others_still_ingest() {
    let good = "夏县举办座谈会\n\n本报讯(记者 张三)近日，夏县举办座谈会，3名青年代表发言。\n"
        .as_bytes()
        .to_vec();
    let files = vec![
        ("empty.txt".to_string(), Vec::new()),
        ("binary.txt".to_string(), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec()),
        ("good.txt".to_string(), good),
        ("furniture.txt".to_string(), "当前位置:首页 > 县区联播\n\n版权所有\n".as_bytes().to_vec()),
    ];
    let report = run(&files, &IngestOptions::default());
    let bad: Vec<&str> = report.errors.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(bad, vec!["empty.txt", "binary.txt", "furniture.txt"]);
    assert!(report.errors.iter().all(|e| !e.message.is_empty() && !e.hint.is_empty()));
    assert_eq!(report.draft.articles.len(), 1);
    assert_eq!(report.draft.articles[0].id, "a002-01");
    assert_eq!(report.draft.figures.len(), 1);
    check_rules(&report, &files);
}

#[test]
fn file_cut_mid_character_is_truncated() {
    let text = "夏县举办座谈会\n\n本报讯(记者 张三)近日，夏县举办座谈会。青年代表发言表示";
    let bytes = text.as_bytes();
    let files = vec![("cut.txt".to_string(), bytes[..bytes.len() - 2].to_vec())];
    let report = run(&files, &IngestOptions::default());
    assert!(report.errors.is_empty());
    assert!(report.draft.articles[0].truncated);
    check_rules(&report, &files);
    // Complete articles are not truncated.
    let files = vec![(
        "ok.txt".to_string(),
        "夏县举办座谈会\n\n本报讯 近日，夏县举办座谈会。\n".as_bytes().to_vec(),
    )];
    assert!(!run(&files, &IngestOptions::default()).draft.articles[0].truncated);
}

#[test]
fn duplicate_articles_across_files_are_removed() {
    let text = "夏县举办座谈会\n\n本报讯(记者 张三)近日，夏县举办座谈会，青年代表发言。\n\n座谈会气氛热烈，代表们纷纷表示要继续努力。\n".as_bytes().to_vec();
    let files = vec![("a.txt".to_string(), text.clone()), ("b.txt".to_string(), text)];
    let report = run(&files, &IngestOptions::default());
    assert_eq!(report.draft.articles.len(), 1);
    assert!(report.notes.iter().any(|n| n.contains("repeat article a000-01")));
}

/// Deterministic pseudo-random bytes/text: nothing may panic, and every
/// draft must still follow the manifest rules.
#[test]
fn odd_inputs_do_not_panic() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet: Vec<char> = "。，、；：“”‘’（）()——▲①②图为本报讯记者通讯员摄影特约版责编校对发表时间来源2024年2月26日盐湖区夏县河津運城鹽湖區余多近超约个名场次%万元亿一二三四五六七八九十百千第大\n\n\n \t\r\u{feff}\u{fffd}\u{85}\u{2028}abc0123456789+-#\"'\\:|>".chars().collect();
    let mut files = Vec::new();
    for i in 0..300 {
        let len = (next() % 400) as usize;
        let bytes: Vec<u8> = if i % 5 == 0 {
            (0..len).map(|_| (next() % 256) as u8).collect()
        } else {
            let s: String =
                (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            let mut b = s.into_bytes();
            if i % 7 == 0 && !b.is_empty() {
                b.pop();
            }
            b
        };
        files.push((format!("f{i}.txt"), bytes));
    }
    for chunk in files.chunks(10) {
        let report = run(chunk, &IngestOptions::default());
        check_rules(&report, chunk);
    }
}

#[test]
fn labelled_seeds_meet_targets() {
    let dir = crate_root().join("tests/fixtures/ingest");
    let labels = labels_in(&dir);
    assert!(!labels.is_empty(), "no labels in {}", dir.display());
    let files: Vec<(String, Vec<u8>)> = seeds()
        .into_iter()
        .filter(|(n, _)| labels.iter().any(|l| l.file.rsplit('/').next() == Some(n.as_str())))
        .collect();
    let report = run(&files, &IngestOptions::default());
    let s = score(&labels, &report.draft);
    println!("{s}");
    assert!(s.article_precision() >= 0.95, "article precision\n{s}");
    assert!(s.article_recall() >= 0.95, "article recall\n{s}");
    assert!(s.county_accuracy() >= 0.95, "county accuracy\n{s}");
    assert!(s.figure_recall() >= 0.9, "figure recall\n{s}");
    assert!(s.figure_precision() >= 0.85, "figure precision\n{s}");
}

/// The labels of one folder (`*.yaml`), sorted by file.
fn labels_in(dir: &std::path::Path) -> Vec<Labels> {
    let rd =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("no labels at {}: {e}", dir.display()));
    let mut labels: Vec<Labels> = Vec::new();
    for e in rd.flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            let text = std::fs::read_to_string(&p).expect("label file readable");
            labels.push(
                serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            );
        }
    }
    labels.sort_by(|a, b| a.file.cmp(&b.file));
    labels
}

/// Every labelled fixture, scored per input format: the seed dumps
/// (`tests/fixtures/ingest/`), the text dumps with junk
/// (`tests/fixtures/ingest/text/`) and the Word and web-page fixtures
/// (`tests/fixtures/ingest/formats/`). `scripts/score-ingest.sh` prints this
/// test's output; no fixture may leak junk.
#[test]
fn labelled_fixtures_score_per_format() {
    let root = crate_root();
    let mut labels = Vec::new();
    let mut names = Vec::new();
    for (labels_dir, sources_dir) in [
        ("tests/fixtures/ingest", "seeds"),
        ("tests/fixtures/ingest/text", "tests/fixtures/ingest/text"),
        ("tests/fixtures/ingest/formats", "tests/fixtures/ingest/formats"),
    ] {
        for l in labels_in(&root.join(labels_dir)) {
            names.push(format!("{sources_dir}/{}", l.file));
            labels.push(l);
        }
    }
    let files: Vec<(String, Vec<u8>)> = names
        .iter()
        .map(|n| (n.clone(), std::fs::read(root.join(n)).unwrap_or_else(|e| panic!("{n}: {e}"))))
        .collect();
    let opts = IngestOptions {
        photo_dir: "score-photos".to_string(),
        base: Some(root.clone()),
        ..IngestOptions::default()
    };
    let report = run(&files, &opts);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let s = score(&labels, &report.draft);
    println!("{s}\n\n{}", s.format_table());
    for fs in &s.files {
        assert_eq!(fs.junk_leaked, 0, "junk leaked in {}\n{s}", fs.file);
    }
    let formats = s.by_format();
    assert_eq!(formats.len(), 3, "text, docx and html fixtures are labelled");
    for (format, _, f) in formats {
        assert!(f.articles.recall() >= 0.95, "{format}: article recall\n{s}");
        assert!(f.articles.precision() >= 0.95, "{format}: article precision\n{s}");
        assert!(f.county_right == f.articles.matched, "{format}: county\n{s}");
        assert!(f.figures.recall() >= 0.9, "{format}: figure recall\n{s}");
        assert!(f.photos_right == f.photos_labelled, "{format}: photo captions\n{s}");
        assert!(f.junk_labelled > 0, "{format}: no junk labelled");
    }
}

/// 20 MB of generated pages must ingest in bounded time (run with
/// `cargo test --release -- --ignored large_input --nocapture`).
#[test]
#[ignore]
fn large_input_is_linear() {
    let page = seeds()
        .into_iter()
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .collect::<Vec<_>>()
        .join("\n\n");
    let page = if page.is_empty() {
        "夏县举办座谈会\n\n本报讯 近日，夏县举办座谈会，3名青年代表发言。\n".to_string()
    } else {
        page
    };
    let mut text = String::with_capacity(21 << 20);
    let mut k = 0u64;
    while text.len() < 20 << 20 {
        // Vary numbers so paragraphs are not all exact duplicates.
        for line in page.lines() {
            text.push_str(line);
            if line.ends_with('。') {
                text.push_str(&format!("第{k}次。"));
                k += 1;
            }
            text.push('\n');
        }
    }
    let files = vec![("big.txt".to_string(), text.into_bytes())];
    let t = std::time::Instant::now();
    let report = run(&files, &IngestOptions::default());
    let took = t.elapsed();
    let yaml = report.draft.to_yaml();
    println!(
        "20 MB: {} articles, {} figures, {} bytes YAML in {:.2?} (+ YAML)",
        report.draft.articles.len(),
        report.draft.figures.len(),
        yaml.len(),
        took
    );
    assert!(took.as_secs() < 60);
    // Adversarial shapes: one 20 MB line without punctuation full of
    // figures; 20 MB of short heading-like lines; one article of 20 MB of
    // distinct paragraphs.
    let shapes: Vec<(&str, String)> = vec![
        ("one line", "共建成站点12个和服务点".repeat(20 << 20 >> 5)),
        ("headings", "标题行\n\n▲图片说明\n\n".repeat(20 << 20 >> 5)),
        ("one article", {
            let mut t = String::from("标题\n\n本报记者 张三\n\n");
            let mut i = 0u64;
            while t.len() < 20 << 20 {
                t.push_str(&format!("第{i}段，今年以来累计开展活动{i}场，服务群众{i}余人次。\n\n"));
                i += 1;
            }
            t
        }),
    ];
    for (what, text) in shapes {
        let files = vec![("x.txt".to_string(), text.into_bytes())];
        let t = std::time::Instant::now();
        let report = run(&files, &IngestOptions::default());
        let _ = report.draft.to_yaml();
        println!(
            "20 MB {what}: {} articles, {} figures in {:.2?} (with YAML)",
            report.draft.articles.len(),
            report.draft.figures.len(),
            t.elapsed()
        );
        assert!(t.elapsed().as_secs() < 60);
    }
}

/// A national-paper page: page header with the issue date, 本报北京…电
/// dateline, several articles without kickers, a 记者 byline line.
#[test]
fn other_paper_page_layout() {
    let page = "人民日报 2024年3月5日 星期二\n\n第4版 要闻\n\n\
浙江安吉：“两山”理念结硕果\n\n\
本报杭州3月4日电（记者 王某某）近年来，浙江省湖州市安吉县坚持生态优先，全县建成美丽乡村精品村42个，村集体经济总收入达5.6亿元，同比增长12.3%。\n\n\
安吉县相关负责人介绍，下一步将继续推进和美乡村建设。\n\n\
四川宜宾持续优化营商环境\n\n\
记者 李某\n\n\
今年以来，四川省宜宾市叙州区新增市场主体1.2万户，办理各类审批事项3万余件，群众满意率超过98%。\n\n\
叙州区将持续深化“放管服”改革，打造一流营商环境。\n\n\
（本版责编：张三）\n";
    let files = vec![("renmin.txt".to_string(), page.as_bytes().to_vec())];
    let report = run(&files, &IngestOptions::default());
    check_rules(&report, &files);
    let arts = &report.draft.articles;
    assert_eq!(arts.len(), 2, "{arts:#?}");
    assert_eq!(arts[0].title, "浙江安吉：“两山”理念结硕果");
    assert_eq!(arts[0].county, "安吉县");
    assert_eq!(arts[0].date.as_deref(), Some("2024-03-05"));
    assert_eq!(arts[0].byline.as_deref(), Some("本报杭州3月4日电（记者 王某某）"));
    assert!(arts[0].body[0].starts_with("近年来"));
    assert_eq!(arts[1].title, "四川宜宾持续优化营商环境");
    assert_eq!(arts[1].byline.as_deref(), Some("记者 李某"));
    assert_eq!(arts[1].county, "叙州区");
    assert!(!arts[1].truncated);
    let figs: Vec<(&str, &str)> =
        report.draft.figures.iter().map(|f| (f.value.as_str(), f.unit.as_str())).collect();
    assert_eq!(
        figs,
        vec![
            ("42", "个"),
            ("5.6", "亿元"),
            ("12.3", "%"),
            ("1.2", "万户"),
            ("3万余", "件"),
            ("98", "%")
        ]
    );
}

/// A government web page in traditional characters with full-width
/// indentation, 發佈時間/來源 metadata and a footer.
#[test]
fn traditional_web_page() {
    let page = "首頁 > 工作動態\n\n鹽湖區：讓新就業群體“流動”更“有心”\n\n發佈時間：2024-03-01 10:00 來源：運城日報\n\n\
\u{3000}\u{3000}近年來，運城市鹽湖區依託黨群服務中心，累計組織1300餘名新就業群體黨員到社區報到，建成暖新驛站85個。\n\n\
\u{3000}\u{3000}鹽湖區將繼續做好新就業群體服務工作。\n\n\
版權所有：運城市鹽湖區人民政府 備案號：晉ICP備12345678號\n";
    let files = vec![("trad.txt".to_string(), page.as_bytes().to_vec())];
    let report = run(&files, &IngestOptions::default());
    check_rules(&report, &files);
    let a = &report.draft.articles[0];
    assert_eq!(report.draft.articles.len(), 1);
    assert_eq!(a.title, "鹽湖區：讓新就業群體“流動”更“有心”");
    assert_eq!(a.county, "盐湖区");
    assert_eq!(a.date.as_deref(), Some("2024-03-01"));
    assert_eq!(a.outlet.as_deref(), Some("運城日報"));
    assert!(a.themes.contains(&"新就业群体".to_string()), "{:?}", a.themes);
    let figs: Vec<(&str, &str)> =
        report.draft.figures.iter().map(|f| (f.value.as_str(), f.unit.as_str())).collect();
    assert_eq!(figs, vec![("1300餘", "名"), ("85", "个")]);
}

/// A list of short items with headlines but no bylines, separated by
/// blank lines: each headline that opens with a county name starts an item.
#[test]
fn items_without_bylines() {
    let page = "县区动态\n\n\
稷山县开展冬季安全生产大检查\n\n\
近日，稷山县组织专项检查组，对全县32家重点企业开展安全生产检查，排查隐患56处。\n\n\
绛县举办乡村振兴人才培训班\n\n\
2月20日，绛县举办乡村振兴人才培训班，培训农村致富带头人200余名。\n";
    let files = vec![("list.txt".to_string(), page.as_bytes().to_vec())];
    let report = run(&files, &IngestOptions::default());
    check_rules(&report, &files);
    let titles: Vec<&str> = report.draft.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, vec!["稷山县开展冬季安全生产大检查", "绛县举办乡村振兴人才培训班"]);
    let counties: Vec<&str> = report.draft.articles.iter().map(|a| a.county.as_str()).collect();
    assert_eq!(counties, vec!["稷山县", "绛县"]);
    assert_eq!(report.draft.figures.len(), 3);
}

/// A central-government style page: breadcrumb, date-and-source line,
/// font-size widget, long title, footer.
#[test]
fn government_notice_page() {
    let page = "首页 > 政策 > 通知公告\n\n\
国务院办公厅关于进一步优化基层政务服务提升群众办事便利度的通知\n\n\
2024-03-05 10:00   来源：中国政府网\n\n\
【字体：大 中 小】 打印\n\n\
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n\n\
近年来，各地区推动政务服务向基层延伸，全国已建成便民服务中心3.2万个，群众满意度达96%。\n\n\
国务院办公厅\n\n\
2024年3月1日\n\n\
版权所有：中国政府网 | 京ICP备05070218号\n";
    let files = vec![("gov.txt".to_string(), page.as_bytes().to_vec())];
    let report = run(&files, &IngestOptions::default());
    check_rules(&report, &files);
    assert_eq!(report.draft.articles.len(), 1, "{:#?}", report.draft.articles);
    let a = &report.draft.articles[0];
    assert_eq!(a.title, "国务院办公厅关于进一步优化基层政务服务提升群众办事便利度的通知");
    assert_eq!(a.date.as_deref(), Some("2024-03-05"));
    assert_eq!(a.outlet.as_deref(), Some("中国政府网"));
    assert!(a.body[0].starts_with("各省"));
    let figs: Vec<(&str, &str)> =
        report.draft.figures.iter().map(|f| (f.value.as_str(), f.unit.as_str())).collect();
    assert_eq!(figs, vec![("3.2", "万个"), ("96", "%")]);
}

#[test]
fn an_article_ending_with_a_table_is_not_truncated() {
    let page = "临猗县果业主要指标\n\n本报讯 2023年临猗县果业主要指标如下。\n指标　单位　数值\n果园面积　万亩　68.5\n";
    let report = run(&[("t.txt".to_string(), page.as_bytes().to_vec())], &IngestOptions::default());
    let a = &report.draft.articles[0];
    assert_eq!(a.body.last().map(String::as_str), Some("果园面积　万亩　68.5"));
    assert!(!a.truncated);
    // Without the table, the same open ending is a cut-off article.
    let page = "临猗县果业主要指标\n\n本报讯 2023年临猗县果业主要指标如下，果园面积\n";
    let report = run(&[("t.txt".to_string(), page.as_bytes().to_vec())], &IngestOptions::default());
    assert!(report.draft.articles[0].truncated);
}
