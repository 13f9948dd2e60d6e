//! The official style measures as GB/T 9704 says: A4, body text 16 pt inside the
//! 156 × 225 mm type area, page numbers "— n —" at 14 pt on alternating sides 7 mm
//! below the type area, and contents entries that point at the right pages.
//!
//! These tests lay the example issue out in-process and read positions and sizes from
//! the laid-out pages.

use std::path::Path;
use std::sync::OnceLock;

use jianbao::pipeline::BuildOptions;
use jianbao::plan::{Job, JobKind};
use jianbao::render::{RenderOptions, TextBox};

const MM: f64 = 72.0 / 25.4;
const LEFT: f64 = 28.0 * MM;
const TOP: f64 = 37.0 * MM;
const WIDTH: f64 = 156.0 * MM;
const HEIGHT: f64 = 225.0 * MM;
const PAGE_W: f64 = 210.0 * MM;
const PAGE_H: f64 = 297.0 * MM;

struct Laid {
    boxes: Vec<TextBox>,
    sizes: Vec<(f64, f64)>,
    data: serde_json::Value,
    /// Images: (page, top, bottom, width), in pt from the page's top-left.
    images: Vec<(usize, f64, f64, f64)>,
    /// Per page, the lowest ink inside the type area (text, image or rule).
    ink_bottom: Vec<f64>,
    /// Typst's warnings (a layout that did not converge, …).
    warnings: Vec<String>,
}

fn issue() -> &'static Laid {
    static LAID: OnceLock<Laid> = OnceLock::new();
    LAID.get_or_init(|| {
        let manifest = crate::common::root().join("seeds/manifest.yaml");
        let (m, jobs, _) = jianbao::pipeline::check(Path::new(&manifest), None).unwrap();
        let job: &Job = jobs.iter().find(|j| j.kind == JobKind::Issue).unwrap();
        let photos = jianbao::photo::Store::plan(&m, &[jianbao::profile::Profile::Screen]);
        let engine = jianbao::pipeline::engine(&BuildOptions::default())
            .unwrap()
            .with_photos(std::sync::Arc::new(photos));
        let (data, _, _) = jianbao::render::job_data(&m, job, jianbao::profile::Profile::Screen);
        lay_out(&engine, &m, data)
    })
}

#[test]
fn pages_are_a4() {
    let laid = issue();
    assert!(laid.sizes.len() >= 3);
    for (w, h) in &laid.sizes {
        assert!((w - PAGE_W).abs() < 0.5 && (h - PAGE_H).abs() < 0.5, "page is {w} × {h} pt");
    }
}

#[test]
fn body_text_is_16pt_fangsong_inside_the_type_area() {
    let laid = issue();
    let body: Vec<&TextBox> =
        laid.boxes.iter().filter(|b| b.family == "FandolFang" && b.size == 16.0).collect();
    assert!(body.len() > 200, "only {} body runs", body.len());
    // GB/T 9704 allows the plate ±1 mm; a justified line may be that much overfull.
    let tol = 1.0 * MM;
    for b in body {
        assert!(b.x >= LEFT - tol, "{b:?} starts left of the type area");
        assert!(b.x + b.width <= LEFT + WIDTH + tol, "{b:?} ends right of the type area");
        assert!(b.y - 0.88 * b.size >= TOP - tol, "{b:?} is above the type area");
        assert!(b.y + 0.12 * b.size <= TOP + HEIGHT + tol, "{b:?} is below the type area");
    }
}

/// A character that takes one full em on the grid.
fn full_width(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
        || ('\u{3000}'..='\u{303f}').contains(&c)
        || ('\u{ff01}'..='\u{ff60}').contains(&c)
        || "“”‘’".contains(c)
}

#[test]
fn full_body_lines_hold_28_characters() {
    // A justified body line that starts at the left edge and holds only full-width
    // characters has exactly 28 of them: the 22 × 28 grid.
    let laid = issue();
    let lines: Vec<&TextBox> = laid
        .boxes
        .iter()
        .filter(|b| b.family == "FandolFang" && b.size == 16.0 && (b.x - LEFT).abs() < 0.5)
        .filter(|b| (b.x + b.width - (LEFT + WIDTH)).abs() < 3.0)
        .filter(|b| b.text.chars().all(full_width))
        .collect();
    assert!(lines.len() > 20, "only {} full lines of full-width text", lines.len());
    // Mid-line marks are never squeezed (全角式), so a line holds 28 characters unless
    // it ends in compressed marks (one more) or the next characters may not start a
    // line (避头) and move down with the last one or two (26 to 27, stretched), and 28
    // is the most common.
    let mut counts: Vec<usize> = lines.iter().map(|b| b.text.chars().count()).collect();
    counts.sort_unstable();
    for b in &lines {
        let n = b.text.chars().count();
        let punct = b.text.chars().filter(|c| !('\u{4e00}'..='\u{9fff}').contains(c)).count();
        assert!((26..=28 + punct.div_ceil(2)).contains(&n), "line of {n} characters: {:?}", b.text);
    }
    let exactly = counts.iter().filter(|&&n| n == 28).count();
    assert!(
        exactly * 2 > counts.len(),
        "only {exactly} of {} lines hold 28 characters",
        counts.len()
    );
}

#[test]
fn page_numbers_alternate_sides_below_the_type_area() {
    let laid = issue();
    let numbers: Vec<&TextBox> =
        laid.boxes.iter().filter(|b| b.text.starts_with("— ") && b.text.ends_with(" —")).collect();
    assert!(
        // Only the 版记 page and a blank page before it go unnumbered (GB/T 9704 §7.5).
        numbers.len() >= laid.sizes.len() - 2,
        "{} numbers for {} pages",
        numbers.len(),
        laid.sizes.len()
    );
    for b in &numbers {
        let n: usize = b.text.trim_matches(|c| c == '—' || c == ' ').parse().unwrap();
        assert_eq!(n, b.page, "page {} shows {}", b.page, b.text);
        assert_eq!(b.size, 14.0);
        let top_of_dash = b.y - 0.5 * b.size;
        let below = (top_of_dash - (TOP + HEIGHT)) / MM;
        assert!(
            (4.0..=10.0).contains(&below),
            "page {}: number {below:.1} mm below the type area",
            b.page
        );
        if n % 2 == 1 {
            let right = b.x + b.width;
            assert!(
                (right - (LEFT + WIDTH - 14.0)).abs() < 1.0,
                "odd page {n}: right edge at {right}"
            );
        } else {
            assert!((b.x - (LEFT + 14.0)).abs() < 1.0, "even page {n}: left edge at {}", b.x);
        }
    }
}

#[test]
fn contents_page_numbers_match_where_counties_start() {
    // The whole issue lists its counties with the pages they start on, in a 本期要目 of
    // two lines on page 1 (not a page-long list of titles), so the lead article starts
    // on page 1 too.
    let laid = issue();
    assert_eq!(laid.data["contents"], true);
    let counties: Vec<String> = laid.data["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["county"].as_str().unwrap().to_string())
        .collect();
    assert!(counties.len() > 4);
    let lines = lines_of(laid, |b| b.page == 1 && b.size == 14.0);
    let start = lines.iter().position(|l| l.2.starts_with("本期要目：")).expect("no 本期要目");
    let text: String = lines[start..start + 2].iter().map(|l| l.2.as_str()).collect();
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for (i, county) in counties.iter().enumerate() {
        // The page of the county's heading (16 pt 黑体), after page 1's 要目.
        let page = laid
            .boxes
            .iter()
            .find(|b| b.size == 16.0 && b.family == "FandolHei" && b.text.trim() == county)
            .map(|b| b.page)
            .unwrap_or_else(|| panic!("no heading {county}"));
        let at = text.find(county.as_str()).unwrap_or_else(|| panic!("{county} not in {text}"));
        let digits: String =
            text[at + county.len()..].chars().take_while(char::is_ascii_digit).collect();
        assert_eq!(digits.parse::<usize>().ok(), Some(page), "要目 entry {i} {county}: {text}");
    }
    // The whole 要目 is two lines.
    assert!(lines.get(start + 2).is_none_or(|l| !l.2.contains(counties.last().unwrap().as_str())));
}

#[test]
fn a_page_holding_only_the_distribution_block_has_no_number() {
    // When the 报尾 does not share a page with text (it moved to an even page on its
    // own), that page, and a blank page before it, carry no page number (GB/T 9704 7.5);
    // a last page with body text on it keeps its number.
    let mut alone = 0;
    for (file, laid) in all_documents() {
        let last = laid.sizes.len();
        // Text on the last page other than the 报尾 (14 pt 仿宋) and the page number.
        let body_on_last = laid.boxes.iter().any(|b| {
            let distribution = b.family == "FandolFang" && b.size == 14.0;
            b.page == last
                && !b.text.trim().is_empty()
                && !distribution
                && !b.text.starts_with("— ")
        });
        assert!(
            laid.boxes.iter().any(|b| b.page == last && b.text.contains("共印")),
            "{file}: the 报尾 is not on the last page"
        );
        let numbered = laid.boxes.iter().any(|b| b.page == last && b.text.starts_with("— "));
        assert_eq!(
            numbered, body_on_last,
            "{file}: page number on the last page: {numbered}, body text there: {body_on_last}"
        );
        if !body_on_last {
            alone += 1;
        }
    }
    assert!(
        alone > 0,
        "no document of the example has a 报尾-only page; this test needs another example"
    );
}

// ---- The editor's sign-off: what an office editor and a prepress operator check. ----

const PITCH: f64 = HEIGHT / 22.0;

/// Every document of the example (issue, county and theme editions), laid out.
fn all_documents() -> &'static Vec<(String, Laid)> {
    static ALL: OnceLock<Vec<(String, Laid)>> = OnceLock::new();
    ALL.get_or_init(|| {
        let manifest = crate::common::root().join("seeds/manifest.yaml");
        let (m, jobs, _) = jianbao::pipeline::check(Path::new(&manifest), None).unwrap();
        let engine = jianbao::pipeline::engine(&BuildOptions::default()).unwrap().with_photos(
            std::sync::Arc::new(jianbao::photo::Store::plan(
                &m,
                &[jianbao::profile::Profile::Screen],
            )),
        );
        jobs.iter()
            .map(|job| {
                let (data, _, _) =
                    jianbao::render::job_data(&m, job, jianbao::profile::Profile::Screen);
                (job.file_name.clone(), lay_out(&engine, &m, data))
            })
            .collect()
    })
}

fn lay_out(
    engine: &jianbao::render::world::Engine,
    m: &jianbao::manifest::Manifest,
    data: Vec<u8>,
) -> Laid {
    let json: serde_json::Value = serde_json::from_slice(&data).unwrap();
    let options = RenderOptions::screen(jianbao::render::timestamp(m, None));
    let laid = jianbao::render::layout(engine, data, options).unwrap_or_else(|d| {
        panic!("{}", jianbao::diag::render(&d, jianbao::diag::DiagnosticFormat::Short))
    });
    let sizes = laid
        .document
        .pages()
        .iter()
        .map(|p| (p.frame.width().to_pt(), p.frame.height().to_pt()))
        .collect();
    let (images, ink_bottom) = ink(&laid.document);
    let warnings = laid.warnings.iter().map(|d| d.message.clone()).collect();
    Laid {
        boxes: jianbao::render::text_boxes(&laid.document),
        sizes,
        data: json,
        images,
        ink_bottom,
        warnings,
    }
}

/// The images of a laid-out document, and per page the lowest ink inside the type area
/// (page numbers, below it, are left out).
type Ink = (Vec<(usize, f64, f64, f64)>, Vec<f64>);

fn ink(doc: &typst_layout::PagedDocument) -> Ink {
    use typst::layout::{Frame, FrameItem, Transform};
    fn walk(frame: &Frame, ts: Transform, page: usize, out: &mut Ink) {
        for (pos, item) in frame.items() {
            let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
            let y = here.ty.to_pt();
            let bottom = match item {
                FrameItem::Group(g) => {
                    walk(&g.frame, here.pre_concat(g.transform), page, out);
                    continue;
                }
                FrameItem::Text(t) => y + 0.12 * t.size.to_pt(),
                FrameItem::Image(_, size, _) => {
                    let bottom = y + size.y.to_pt();
                    out.0.push((page, y, bottom, size.x.to_pt()));
                    bottom
                }
                FrameItem::Shape(s, _) => y + s.bbox(false).max.y.to_pt(),
                _ => continue,
            };
            if bottom <= TOP + HEIGHT + 2.0 {
                let b = &mut out.1[page - 1];
                *b = b.max(bottom);
            }
        }
    }
    let mut out = (Vec::new(), vec![0.0; doc.pages().len()]);
    for (i, p) in doc.pages().iter().enumerate() {
        walk(&p.frame, Transform::identity(), i + 1, &mut out);
    }
    out
}

/// Text lines of one size and family: (page, baseline, text) in reading order.
fn lines_of(laid: &Laid, keep: impl Fn(&TextBox) -> bool) -> Vec<(usize, f64, String)> {
    let mut lines: Vec<(usize, f64, Vec<&TextBox>)> = Vec::new();
    for b in laid.boxes.iter().filter(|b| keep(b)) {
        match lines.iter_mut().find(|(p, y, _)| *p == b.page && (*y - b.y).abs() < 1.0) {
            Some(line) => line.2.push(b),
            None => lines.push((b.page, b.y, vec![b])),
        }
    }
    lines.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    lines
        .into_iter()
        .map(|(p, y, mut bs)| {
            bs.sort_by(|a, b| a.x.total_cmp(&b.x));
            (p, y, bs.iter().map(|b| b.text.as_str()).collect())
        })
        .collect()
}

#[test]
fn editing_notes_never_print() {
    for (file, laid) in all_documents() {
        for b in &laid.boxes {
            assert!(!b.text.contains("原文至此不完整"), "{file} p{}: {}", b.page, b.text);
        }
    }
}

#[test]
fn the_distribution_block_ends_on_an_even_page() {
    // Double-sided printing (GB/T 9704 §6.2): the 版记 is on the back of the last sheet.
    for (file, laid) in all_documents() {
        let page = laid.boxes.iter().find(|b| b.text.contains("共印")).map(|b| b.page);
        let page = page.unwrap_or_else(|| panic!("{file}: no 版记"));
        assert_eq!(page, laid.sizes.len(), "{file}: 版记 on p{page} of {}", laid.sizes.len());
        assert_eq!(page % 2, 0, "{file}: 版记 on odd page {page}");
    }
}

#[test]
fn no_text_is_smaller_than_9pt() {
    for (file, laid) in all_documents() {
        for b in &laid.boxes {
            assert!(b.size >= 9.0, "{file} p{}: {} at {} pt", b.page, b.text, b.size);
        }
    }
}

#[test]
fn distribution_rows_have_full_width_colons_a_full_stop_and_the_body_pitch() {
    let laid = issue();
    let rows: Vec<(usize, f64, String)> =
        lines_of(laid, |b| b.size == 14.0 && b.family == "FandolFang")
            .into_iter()
            .filter(|(_, _, t)| ["报：", "送：", "发："].iter().any(|l| t.starts_with(l)))
            .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    for (_, _, t) in &rows {
        assert!(t.ends_with('。'), "row does not end with 。: {t}");
    }
    // The colon is not squeezed: the row is set solid at 14 pt a character (only the
    // closing 。 at the line end may lose half an em).
    let label = laid.boxes.iter().find(|b| b.text.starts_with("报：")).unwrap();
    let n = label.text.chars().count() as f64;
    // (The template tracks all text by −0.21 pt to hold the body's 28-character grid.)
    assert!(
        label.width >= n * (14.0 - 0.21) - 7.5,
        "row {} is {} pt wide",
        label.text,
        label.width
    );
    for w in rows.windows(2) {
        let d = w[1].1 - w[0].1;
        assert!((d - PITCH).abs() < 1.5, "rows {d:.1} pt apart, body pitch {PITCH:.2}");
    }
}

#[test]
fn body_lines_stay_on_the_grid_after_headings() {
    // Every body line's top sits on the 22-line grid of the type area.
    for (file, laid) in all_documents() {
        let body = lines_of(laid, |b| b.family == "FandolFang" && b.size == 16.0 && b.page > 1);
        assert!(!body.is_empty() || laid.sizes.len() <= 2, "{file}: no body lines");
        for (page, y, text) in body {
            let top = y - 0.88 * 16.0 - TOP;
            let off = top - (top / PITCH).round() * PITCH;
            assert!(off.abs() < 0.5, "{file} p{page}: line {off:+.1} pt off the grid: {text}");
        }
    }
}

#[test]
fn titles_keep_two_body_lines_and_break_without_widows() {
    for (file, laid) in all_documents() {
        let titles = lines_of(laid, |b| b.size == 22.0 && b.family == "FandolSong");
        let body = lines_of(laid, |b| b.family == "FandolFang" && b.size == 16.0);
        for (page, y, text) in &titles {
            let below = body.iter().filter(|(p, by, _)| p == page && by > y).count();
            assert!(
                below >= 2,
                "{file} p{page}: title line {text} has {below} body lines under it"
            );
            assert!(
                text.chars().count() >= 4,
                "{file} p{page}: title line of 1–3 characters: {text}"
            );
        }
    }
    // The titles the review quoted break at a balanced point.
    let laid = issue();
    let titles: Vec<String> = lines_of(laid, |b| b.size == 22.0 && b.family == "FandolSong")
        .into_iter()
        .map(|l| l.2)
        .collect();
    assert!(
        !titles.iter().any(|t| t.trim() == "职评议" || t.trim() == "动能" || t.trim() == "征程"),
        "{titles:?}"
    );
}

#[test]
fn derived_editions_carry_their_own_number_line() {
    let issue_line = "第3期（总第57期）";
    for (file, laid) in all_documents() {
        let number = laid.data["briefing"]["number_line"].as_str().unwrap().to_string();
        let page1 = lines_of(laid, |b| b.page == 1 && b.size == 16.0);
        let shown = page1.iter().any(|(_, _, t)| t.contains(number.as_str()));
        assert!(shown, "{file}: 期号 line {number} not on page 1");
        if laid.data["meta"]["kind"] == "issue" {
            assert_eq!(number, issue_line);
        } else {
            assert_eq!(number, "第3期摘编", "{file}");
        }
    }
}

#[test]
fn the_figure_panel_is_capped_with_arabic_figures() {
    for (file, laid) in all_documents() {
        let figures = laid.data["figures"].as_array().unwrap();
        assert!(figures.len() <= 8, "{file}: {} cards", figures.len());
        for f in figures {
            let v = f["value"].as_str().unwrap();
            assert!(
                !v.starts_with(|c: char| "零〇一二两三四五六七八九十百千".contains(c)),
                "{file}: {v}"
            );
        }
    }
}

#[test]
fn run_in_headings_set_only_the_heading_and_length_counts_characters() {
    let laid = issue();
    let mut data = laid.data.clone();
    let long = format!("二、坚持问题导向，{}", "全区上下聚焦群众急难愁盼问题持续发力".repeat(2));
    assert!(long.len() > 120 && long.chars().count() <= 60);
    data["groups"][0]["articles"][0]["paragraphs"] = serde_json::json!([
        long,
        "（一）建强阵地体系。全区新建党群服务站12个，覆盖率达到100%。",
        "正文段落。"
    ]);
    let manifest = crate::common::root().join("seeds/manifest.yaml");
    let (m, _, _) = jianbao::pipeline::check(Path::new(&manifest), None).unwrap();
    let engine = jianbao::pipeline::engine(&BuildOptions::default()).unwrap().with_photos(
        std::sync::Arc::new(jianbao::photo::Store::plan(&m, &[jianbao::profile::Profile::Screen])),
    );
    let laid = lay_out(&engine, &m, serde_json::to_vec(&data).unwrap());
    let hei: String = laid
        .boxes
        .iter()
        .filter(|b| b.family == "FandolHei" && b.size == 16.0)
        .map(|b| b.text.as_str())
        .collect();
    assert!(hei.contains("坚持问题导向"), "the long 二、 heading is not in 黑体: {hei}");
    let kai: String = laid
        .boxes
        .iter()
        .filter(|b| b.family == "FandolKai" && b.size == 16.0)
        .map(|b| b.text.as_str())
        .collect();
    assert!(kai.contains("建强阵地体系。"), "run-in heading not in 楷体: {kai}");
    assert!(!kai.contains("覆盖率"), "the body after a run-in heading is in 楷体: {kai}");
    let fang: String = laid
        .boxes
        .iter()
        .filter(|b| b.family == "FandolFang" && b.size == 16.0)
        .map(|b| b.text.as_str())
        .collect();
    assert!(fang.contains("覆盖率"), "the body after a run-in heading is not 仿宋");
}

#[test]
fn a_number_stays_with_its_qualifier_and_unit() {
    // No line ends in a digit (or 余/多 after one) when the next line starts with the rest.
    for (file, laid) in all_documents() {
        let body = lines_of(laid, |b| b.family == "FandolFang" && b.size == 16.0);
        for w in body.windows(2) {
            let (end, next) = (&w[0].2, &w[1].2);
            let last = end.trim_end().chars().last().unwrap_or(' ');
            let first = next.trim_start().chars().next().unwrap_or(' ');
            let split = (last.is_ascii_digit() && ('\u{4e00}'..='\u{9fff}').contains(&first))
                || ("余多".contains(last) && ('\u{4e00}'..='\u{9fff}').contains(&first) && {
                    let mut cs = end.trim_end().chars().rev();
                    cs.next();
                    cs.next().is_some_and(|c| c.is_ascii_digit())
                });
            assert!(!split, "{file} p{}: number split: …{end} / {next}…", w[0].0);
        }
    }
}

/// Painted items of a laid-out page: (page, y of the item's origin, colour as hex, is text).
fn paints(doc: &typst_layout::PagedDocument) -> Vec<(usize, f64, String, bool)> {
    use typst::layout::{Frame, FrameItem, Transform};
    use typst::visualize::Paint;
    fn hex(p: &Paint) -> String {
        match p {
            Paint::Solid(c) => c.to_hex().to_string(),
            _ => String::new(),
        }
    }
    fn walk(frame: &Frame, ts: Transform, page: usize, out: &mut Vec<(usize, f64, String, bool)>) {
        for (pos, item) in frame.items() {
            let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
            let y = here.ty.to_pt();
            match item {
                FrameItem::Group(g) => walk(&g.frame, here.pre_concat(g.transform), page, out),
                FrameItem::Text(t) => out.push((page, y, hex(&t.fill), true)),
                FrameItem::Shape(s, _) => {
                    if let Some(f) = &s.fill {
                        out.push((page, y, hex(f), false));
                    }
                    if let Some(st) = &s.stroke {
                        out.push((page, y, hex(&st.paint), false));
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (i, p) in doc.pages().iter().enumerate() {
        walk(&p.frame, Transform::identity(), i + 1, &mut out);
    }
    out
}

/// The example's manifest with `edit` applied, in a fresh folder with the seed files.
fn variant(edit: impl Fn(String) -> String) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = crate::common::tempdir();
    crate::common::copy_seeds(dir.path());
    let path = dir.path().join("manifest.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
    (dir, path)
}

/// Text boxes, page count, painted items and data of one laid-out job.
type LaidJob = (Vec<TextBox>, usize, Vec<(usize, f64, String, bool)>, serde_json::Value);

/// Lays out the job whose file name is `file` for a manifest; returns the laid boxes and
/// the painted items.
fn lay_out_job(manifest: &Path, file: &str) -> LaidJob {
    let (m, jobs, _) = jianbao::pipeline::check(manifest, None).unwrap();
    let job = jobs.iter().find(|j| j.file_name == file).unwrap();
    let engine = jianbao::pipeline::engine(&BuildOptions::default()).unwrap().with_photos(
        std::sync::Arc::new(jianbao::photo::Store::plan(&m, &[jianbao::profile::Profile::Screen])),
    );
    let (data, _, _) = jianbao::render::job_data(&m, job, jianbao::profile::Profile::Screen);
    let json: serde_json::Value = serde_json::from_slice(&data).unwrap();
    let options = RenderOptions::screen(jianbao::render::timestamp(&m, None));
    let laid = jianbao::render::layout(&engine, data, options).unwrap_or_else(|d| {
        panic!("{}", jianbao::diag::render(&d, jianbao::diag::DiagnosticFormat::Short))
    });
    let boxes = jianbao::render::text_boxes(&laid.document);
    (boxes, laid.document.pages().len(), paints(&laid.document), json)
}

const RED: &str = "#e30613";

#[test]
fn red_is_on_the_masthead_only_unless_the_office_prints_in_colour() {
    // Official style: the 报头 (title and rule, page 1 above the body) is the only red.
    let manifest = crate::common::root().join("seeds/manifest.yaml");
    let (boxes, _, paints, _) = lay_out_job(&manifest, "运城党建工作简报-第3期.pdf");
    let red: Vec<_> = paints.iter().filter(|p| p.2 == RED).collect();
    assert!(red.iter().any(|p| p.3), "the masthead title is not red");
    let issuer = boxes.iter().find(|b| b.page == 1 && b.text.contains("中共运城")).unwrap();
    for p in &red {
        assert!(
            p.0 == 1 && p.1 < issuer.y + 30.0,
            "red below the masthead: page {} y {}",
            p.0,
            p.1
        );
    }
    // `print: inner_red: true` keeps the red for card numerals, rules and bars.
    let (_dir, path) = variant(|t| {
        t.replacen("style: official\n", "style: official\nprint:\n  inner_red: true\n", 1)
    });
    let (_, _, paints, _) = lay_out_job(&path, "运城党建工作简报-第3期.pdf");
    assert!(paints.iter().any(|p| p.2 == RED && p.0 > 1), "inner_red keeps no red inside");
}

#[test]
fn the_masthead_rule_is_3_to_4_mm_below_the_issuer_line() {
    let manifest = crate::common::root().join("seeds/manifest.yaml");
    let (boxes, _, paints, _) = lay_out_job(&manifest, "运城党建工作简报-第3期.pdf");
    let issuer = boxes.iter().find(|b| b.page == 1 && b.text.contains("中共运城")).unwrap();
    let rule = paints
        .iter()
        .filter(|p| p.0 == 1 && p.2 == RED && !p.3 && p.1 > issuer.y)
        .map(|p| p.1)
        .fold(f64::INFINITY, f64::min);
    // The rule is 1.5 pt thick, centred on its y; the text's descent is 0.12 em.
    let gap = (rule - 0.75 - (issuer.y + 0.12 * issuer.size)) / MM;
    assert!((3.0..=4.0).contains(&gap), "the rule is {gap:.2} mm below the issuer line");
}

#[test]
fn excerpts_derived_edition_labels_and_one_sided_jobs_follow_the_manifest() {
    let (_dir, path) = variant(|t| {
        t.replacen("  copies: ", "  single_sided: true\n  copies: ", 1)
            .replace("    file: \"{{ county }}-第{{ number }}期.pdf\"\n", "    file: \"{{ county }}-第{{ number }}期.pdf\"\n    number_line: \"{{ county }}专辑第2期\"\n")
    });
    // Without the even-page rule, the issue may end on an odd page; it never gains a
    // blank page.
    let (boxes, pages, _, data) = lay_out_job(&path, "夏县-第3期.pdf");
    assert_eq!(data["briefing"]["number_line"], "夏县专辑第2期");
    let last_text = boxes.iter().map(|b| b.page).max().unwrap();
    assert_eq!(last_text, pages, "a blank page in a one-sided job");
    // The cut article ends at a full sentence with its source and （节选）.
    let text: String = boxes.iter().map(|b| b.text.as_str()).collect::<String>();
    assert!(text.contains("（节选自《运城日报》）"), "no excerpt line in 夏县");
    assert!(!text.contains("本报讯"), "newspaper dateline printed");
}

#[test]
fn check_warns_about_quotes_latin_words_dashes_and_cut_articles_with_locations() {
    let (dir, path) = variant(|t| {
        t.replacen("单位和任务", "单位and任务", 1)
            .replacen("“街道—社区—小区”", "“街道——社区——小区”", 1)
            .replacen(
                "确保各项任务有效落实。”河津市委常委",
                "确保各项任务有效落实。“河津市委常委",
                1,
            )
            .replacen("    excerpt: true\n", "", 1)
    });
    let (code, out, err) =
        crate::common::run(&["check", "--diagnostic-format", "short", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let all = format!("{out}{err}");
    let name = path.to_str().unwrap();
    for want in [
        "a Latin word between Han characters: “and”",
        "a 破折号 used as a connector",
        "is never closed in this paragraph",
        "is cut off in its source",
    ] {
        let line = all
            .lines()
            .find(|l| l.contains(want))
            .unwrap_or_else(|| panic!("no `{want}` in\n{all}"));
        assert!(line.contains(": warning: "), "{line}");
        // file:line:column points into the manifest.
        let rest = &line[line.find("manifest.yaml:").unwrap() + "manifest.yaml:".len()..];
        let nums: Vec<&str> = rest.split(':').take(2).collect();
        assert!(nums.iter().all(|n| n.parse::<usize>().is_ok_and(|n| n > 0)), "{line}");
    }
    let _ = (dir, name);
}

#[test]
fn mid_line_punctuation_keeps_its_full_width() {
    // GB/T 15834 §5.1.1: 。，、；： take a full character space. Only a mark at a line end
    // or next to another mark may be compressed. Measured from the glyph advances of the
    // body text (16 pt 仿宋): a mark that is neither last in its run nor next to another
    // mark advances at least 0.9 em.
    use typst::layout::{Frame, FrameItem};
    fn walk(frame: &Frame, out: &mut Vec<(char, f64, bool)>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, out),
                FrameItem::Text(t)
                    if t.size.to_pt() == 16.0 && t.font.info().family == "FandolFang" =>
                {
                    let chars: Vec<(char, f64)> = t
                        .glyphs
                        .iter()
                        .map(|g| {
                            let c = t.text[g.range()].chars().next().unwrap_or(' ');
                            (c, g.x_advance.at(t.size).to_pt())
                        })
                        .collect();
                    let mark = |c: char| "。，、；：？！“”‘’（）《》".contains(c);
                    for (i, &(c, adv)) in chars.iter().enumerate() {
                        if !"。，、；：".contains(c) || i + 1 == chars.len() {
                            continue;
                        }
                        let before = i > 0 && mark(chars[i - 1].0);
                        let alone = !before && !mark(chars[i + 1].0);
                        out.push((c, adv, alone));
                    }
                }
                _ => {}
            }
        }
    }
    let manifest = crate::common::root().join("seeds/manifest.yaml");
    let (m, jobs, _) = jianbao::pipeline::check(Path::new(&manifest), None).unwrap();
    let job = jobs.iter().find(|j| j.kind == JobKind::Issue).unwrap();
    let engine = jianbao::pipeline::engine(&BuildOptions::default()).unwrap().with_photos(
        std::sync::Arc::new(jianbao::photo::Store::plan(&m, &[jianbao::profile::Profile::Screen])),
    );
    let (data, _, _) = jianbao::render::job_data(&m, job, jianbao::profile::Profile::Screen);
    let squeezed = |data: Vec<u8>| {
        let options = RenderOptions::screen(jianbao::render::timestamp(&m, None));
        let laid = jianbao::render::layout(&engine, data, options).unwrap();
        let mut marks = Vec::new();
        for page in laid.document.pages() {
            walk(&page.frame, &mut marks);
        }
        let alone: Vec<(char, f64, bool)> = marks.into_iter().filter(|m| m.2).collect();
        assert!(alone.len() > 500, "only {} mid-line marks", alone.len());
        let squeezed: Vec<(char, f64, bool)> =
            alone.iter().filter(|m| m.1 < 0.9 * 16.0).cloned().collect();
        (squeezed, alone.len())
    };
    let (squeezed_marks, all) = squeezed(data.clone());
    assert!(
        squeezed_marks.is_empty(),
        "{} of {all} mid-line marks squeezed, e.g. {:?}",
        squeezed_marks.len(),
        &squeezed_marks[..squeezed_marks.len().min(5)]
    );
    // A house style may squeeze (`briefing.squeeze_punctuation: true`); then marks are.
    let mut json: serde_json::Value = serde_json::from_slice(&data).unwrap();
    json["meta"]["squeeze_punctuation"] = true.into();
    let (squeezed_marks, _) = squeezed(serde_json::to_vec(&json).unwrap());
    assert!(
        squeezed_marks.len() > 50,
        "only {} marks squeezed with the option",
        squeezed_marks.len()
    );
}

#[test]
fn a_page_whose_text_runs_on_holds_22_lines() {
    // When body text runs on to the next page, the page is full: its last body line is the
    // 22nd line of the grid (GB/T 9704 §5.2.3, 一般每面排22行).
    let mut checked = 0;
    let mut short = Vec::new();
    for (file, laid) in all_documents() {
        let body = lines_of(laid, |b| b.family == "FandolFang" && b.size == 16.0);
        for page in 1..laid.sizes.len() {
            let Some(last) = body.iter().rfind(|l| l.0 == page) else { continue };
            // The next page starts with body text (not a title or a heading block).
            let first_next = laid
                .boxes
                .iter()
                .filter(|b| b.page == page + 1 && !b.text.trim().is_empty())
                .min_by(|a, b| a.y.total_cmp(&b.y));
            let runs_on = first_next.is_some_and(|b| {
                b.family == "FandolFang" && b.size == 16.0 && (b.y - 0.88 * 16.0 - TOP).abs() < 1.0
            });
            if !runs_on {
                continue;
            }
            checked += 1;
            let line = ((last.1 - 0.88 * 16.0 - TOP) / PITCH).round() as i64 + 1;
            if line != 22 {
                short.push(format!("{file} p{page}: {line} lines"));
            }
        }
    }
    assert!(checked > 20, "only {checked} pages checked");
    assert!(short.is_empty(), "{} of {checked} pages short: {short:?}", short.len());
}

/// The page on which an article's title (its first 22 pt line) is set.
fn title_page(laid: &Laid, title: &str) -> Option<usize> {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    lines_of(laid, |b| b.size == 22.0 && b.family == "FandolSong")
        .into_iter()
        .find(|l| !l.2.trim().is_empty() && squeeze(title).starts_with(&squeeze(&l.2)))
        .map(|l| l.0)
}

#[test]
fn the_first_article_starts_on_page_1_and_page_1_leaves_no_room_for_the_next() {
    // #18 item 11: the first article begins on page 1 wherever the front matter allows
    // (in the example it allows it everywhere: the issue's 本期要目 is two lines and a
    // data panel that would push the article off page 1 goes after the articles).
    // #11: page 1 never leaves room for the next article's heading and two lines.
    for (file, laid) in all_documents() {
        let groups = laid.data["groups"].as_array().unwrap();
        let first = groups[0]["articles"][0]["title"].as_str().unwrap();
        assert_eq!(title_page(laid, first), Some(1), "{file}: first article not on page 1");
        // What page 2 starts with, when it is a heading block: its height down to the
        // second body line.
        let body = lines_of(laid, |b| b.family == "FandolFang" && b.size == 16.0);
        let top2 = laid
            .boxes
            .iter()
            .filter(|b| b.page == 2 && !b.text.trim().is_empty())
            .min_by(|a, b| a.y.total_cmp(&b.y));
        let Some(top2) = top2 else { continue };
        let heading = top2.size == 22.0 || (top2.size == 16.0 && top2.family == "FandolHei");
        if !heading {
            continue;
        }
        let Some(second) = body.iter().filter(|l| l.0 == 2).nth(1) else { continue };
        let need = second.1 + 0.12 * 16.0 - TOP;
        let free = TOP + HEIGHT - laid.ink_bottom[0];
        assert!(
            free < need,
            "{file}: page 1 leaves {free:.0} pt free, and the next article needs {need:.0} pt"
        );
    }
}

#[test]
fn every_document_lays_out_without_warnings() {
    // The page-dependent decisions (the panel, the photo tail, the 版记 page) converge.
    for (file, laid) in all_documents() {
        assert!(laid.warnings.is_empty(), "{file}: {:?}", laid.warnings);
    }
}

#[test]
fn photos_leave_no_large_gap_and_stay_in_the_type_area() {
    // #11: a photo that does not fit the rest of a page is set a little smaller, or the
    // article's captions fill the page first; no page before the last ends more than a
    // quarter page short because a photo did not fit. Every photo is inside the type area.
    let mut photo_pages = 0;
    for (file, laid) in all_documents() {
        for &(page, top, bottom, width) in &laid.images {
            assert!(
                top >= TOP - 1.0 && bottom <= TOP + HEIGHT + 1.0,
                "{file} p{page}: photo {top:.0}–{bottom:.0}"
            );
            assert!(width <= WIDTH + 1.0, "{file} p{page}: photo {width:.0} pt wide");
        }
        // The page after each page: does it start with a photo (one that moved over)?
        let last_content = laid.boxes.iter().find(|b| b.text.contains("共印")).map(|b| b.page);
        for page in 1..laid.sizes.len() {
            if Some(page + 1) >= last_content {
                break;
            }
            let next_starts_with_photo =
                laid.images.iter().any(|&(p, top, _, _)| p == page + 1 && top < TOP + 2.0 * PITCH);
            if !next_starts_with_photo {
                continue;
            }
            photo_pages += 1;
            let free = TOP + HEIGHT - laid.ink_bottom[page - 1];
            assert!(free < HEIGHT / 4.0, "{file} p{page}: {free:.0} pt left empty before a photo");
        }
    }
    assert!(photo_pages > 0, "no page ends before a photo");
}

#[test]
fn a_photo_spread_taller_than_a_page_breaks_between_rows() {
    // Twelve photos two to a row: six rows, more than a page. The rows go on over pages,
    // every photo stays inside the type area, and each row's two photos share a page.
    let more = "      - file: photos/garden.jpg\n        caption: ▲又一幅图。\n";
    let (_dir, manifest) = variant(|t| {
        t.replacen(
            "    photos:\n      - file: photos/garden.jpg",
            &format!("    photos:\n{}      - file: photos/garden.jpg", more.repeat(8)),
            1,
        )
    });
    let (m, jobs, _) = jianbao::pipeline::check(&manifest, None).unwrap();
    let job = jobs.iter().find(|j| j.file_name == "盐湖区-第3期.pdf").unwrap();
    let engine = jianbao::pipeline::engine(&BuildOptions::default()).unwrap().with_photos(
        std::sync::Arc::new(jianbao::photo::Store::plan(&m, &[jianbao::profile::Profile::Screen])),
    );
    let (data, _, _) = jianbao::render::job_data(&m, job, jianbao::profile::Profile::Screen);
    let laid = lay_out(&engine, &m, data);
    // The spread's twelve photos come first (the edition's other article has one more).
    let spread: Vec<_> = laid.images.iter().filter(|i| i.3 < WIDTH / 2.0 + 1.0).take(12).collect();
    assert_eq!(spread.len(), 12, "{:?}", laid.images);
    let pages: std::collections::BTreeSet<usize> = spread.iter().map(|i| i.0).collect();
    assert!(pages.len() >= 2, "spread on pages {pages:?}");
    for i in &spread {
        assert!(
            i.1 >= TOP - 1.0 && i.2 <= TOP + HEIGHT + 1.0,
            "photo outside the type area: {i:?}"
        );
    }
    for row in spread.chunks(2) {
        assert_eq!(row[0].0, row[1].0, "a row split over pages: {row:?}");
    }
}

#[test]
fn the_excerpt_mark_never_starts_a_page() {
    // "（节选）" is the last line of its article's last paragraph, kept with the line before.
    let mut seen = 0;
    for (file, laid) in all_documents() {
        for b in laid.boxes.iter().filter(|b| b.text.contains("（节选）")) {
            seen += 1;
            let above = laid.boxes.iter().any(|o| o.page == b.page && o.y < b.y - 1.0 && o.y > TOP);
            assert!(above, "{file} p{}: （节选） at the top of the page", b.page);
        }
    }
    assert!(seen > 0);
}

#[test]
fn editing_notes_show_only_in_a_proof_that_says_it_is_one() {
    // #18 item 1: `build --proof` shows the editing notes and marks every page and the
    // file's title as a proof, in files of their own; release files never show them.
    let dir = crate::common::tempdir();
    let manifest = crate::common::TWO_COUNTIES
        .replace("    county: 盐湖区\n", "    county: 盐湖区\n    truncated: true\n");
    crate::common::write_project(dir.path(), &manifest);
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let (code, _, err) = crate::common::run_in(dir.path(), &["build", "manifest.yaml", "-o", out]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) =
        crate::common::run_in(dir.path(), &["build", "manifest.yaml", "-o", out, "--proof"]);
    assert_eq!(code, 0, "{err}");
    // Proofs sit beside the release files, which they do not call stale.
    assert!(!err.contains("no longer"), "{err}");
    let (code, _, err) = crate::common::run_in(dir.path(), &["build", "manifest.yaml", "-o", out]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("no longer"), "{err}");
    let release = Path::new(out).join("盐湖区-第1期.pdf");
    let proof = Path::new(out).join("盐湖区-第1期-proof.pdf");
    let text = crate::common::squeeze(&crate::common::pdftotext(&release));
    assert!(!text.contains("原文至此不完整") && !text.contains("校样"), "release: {text}");
    let text = crate::common::squeeze(&crate::common::pdftotext(&proof));
    assert!(text.contains("原文至此不完整"), "proof: {text}");
    assert!(text.contains("校样不得印发"), "proof has no mark: {text}");
    let info = std::process::Command::new("pdfinfo").arg(&proof).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.lines().any(|l| l.starts_with("Title:") && l.contains("校样")), "{info}");
    // The other county's proof has no editing note, but is marked all the same.
    let other = crate::common::pdftotext(&Path::new(out).join("永济市-第1期-proof.pdf"));
    let other = crate::common::squeeze(&other);
    assert!(!other.contains("原文至此不完整") && other.contains("校样不得印发"), "{other}");
}

#[test]
fn a_title_breaks_where_the_manifest_marks_it_and_never_leaves_a_short_last_line() {
    // A `|` in a title marks its line break and is not printed; a title too long for a
    // balanced two- or three-line break is cut into equal lines, never leaving 1–3
    // characters alone.
    let long = "临猗县七级镇创新机制聚合力基层治理添动能推动党建引领基层治理走深走实不断提升群众获得感幸福感安全感持续巩固拓展";
    let (_dir, manifest) = variant(|t| {
        t.replace(
            "    title: 临猗县七级镇：创新机制聚合力 基层治理添动能",
            "    title: 临猗县七级镇：创新|机制聚合力 基层治理添动能",
        )
        .replace(
            "    title: 夏县：壮大社区基层队伍 提升基层治理效能",
            &format!("    title: {long}"),
        )
    });
    let (boxes, _, _, data) = lay_out_job(&manifest, "运城党建工作简报-第3期.pdf");
    let laid = Laid {
        boxes,
        sizes: Vec::new(),
        data,
        images: Vec::new(),
        ink_bottom: Vec::new(),
        warnings: Vec::new(),
    };
    let titles: Vec<String> = lines_of(&laid, |b| b.size == 22.0 && b.family == "FandolSong")
        .into_iter()
        .map(|l| l.2.trim().to_string())
        .collect();
    let at = titles
        .iter()
        .position(|t| t == "临猗县七级镇：创新")
        .unwrap_or_else(|| panic!("{titles:?}"));
    assert_eq!(titles[at + 1], "机制聚合力 基层治理添动能");
    assert!(!laid.boxes.iter().any(|b| b.text.contains(['|', '｜'])), "a break mark printed");
    // The long title: every line at least four characters, all lines of similar length.
    let start = titles.iter().position(|t| long.starts_with(t.as_str())).unwrap();
    let mut rest = long.to_string();
    let mut lens = Vec::new();
    for t in &titles[start..] {
        let Some(r) = rest.strip_prefix(t.as_str()) else { break };
        lens.push(t.chars().count());
        rest = r.to_string();
    }
    assert!(rest.is_empty(), "title lines {:?} do not make up the title", &titles[start..]);
    assert!(lens.len() >= 3 && lens.iter().all(|&n| (4..=20).contains(&n)), "{lens:?}");
    // The contents and the figure sources name the title without the mark.
    let json = laid.data.to_string();
    assert!(!json.contains("创新|机制"), "data carries the mark in a title");
}
