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
}

fn issue() -> &'static Laid {
    static LAID: OnceLock<Laid> = OnceLock::new();
    LAID.get_or_init(|| {
        let manifest = crate::common::root().join("seeds/manifest.yaml");
        let (m, jobs, _) = jianbao::pipeline::check(Path::new(&manifest), None).unwrap();
        let job: &Job = jobs.iter().find(|j| j.kind == JobKind::Issue).unwrap();
        let photos = jianbao::photo::Store::plan(&m, &[jianbao::preflight::Profile::Screen]);
        let engine = jianbao::pipeline::engine(&BuildOptions::default())
            .unwrap()
            .with_photos(std::sync::Arc::new(photos));
        let (data, _, _) = jianbao::render::job_data(&m, job, jianbao::preflight::Profile::Screen);
        let json: serde_json::Value = serde_json::from_slice(&data).unwrap();
        let options = RenderOptions::screen(jianbao::render::timestamp(&m, None));
        let laid = jianbao::render::layout(&engine, data, options).unwrap_or_else(|d| {
            panic!("{}", jianbao::diag::render(&d, jianbao::diag::DiagnosticFormat::Short))
        });
        let sizes = laid
            .document
            .pages()
            .iter()
            .map(|p| (p.frame.width().to_pt(), p.frame.height().to_pt()))
            .collect();
        Laid { boxes: jianbao::render::text_boxes(&laid.document), sizes, data: json }
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
    // Line breaking may squeeze punctuation by half an em to pull one more character in,
    // or stretch a line by one when the next character may not start a line (避头), so a
    // line holds 27 to 28 + ½ × its punctuation marks, and 28 is the most common.
    let mut counts: Vec<usize> = lines.iter().map(|b| b.text.chars().count()).collect();
    counts.sort_unstable();
    for b in &lines {
        let n = b.text.chars().count();
        let punct = b.text.chars().filter(|c| !('\u{4e00}'..='\u{9fff}').contains(c)).count();
        assert!((27..=28 + punct.div_ceil(2)).contains(&n), "line of {n} characters: {:?}", b.text);
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
        numbers.len() >= laid.sizes.len() - 1,
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
fn contents_page_numbers_match_where_articles_start() {
    let laid = issue();
    assert_eq!(laid.data["contents"], true);
    let titles: Vec<String> = laid.data["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| {
            g["articles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["title"].as_str().unwrap().to_string())
        })
        .collect();
    // Where each article starts: the page of its 22 pt title.
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let mut start = Vec::new();
    for t in &titles {
        let first_line: String = laid
            .boxes
            .iter()
            .filter(|b| b.size == 22.0)
            .find(|b| !b.text.trim().is_empty() && squeeze(t).starts_with(&squeeze(&b.text)))
            .map(|b| b.page.to_string())
            .unwrap_or_else(|| panic!("title {t} not found at 22 pt"));
        start.push(first_line.parse::<usize>().unwrap());
    }
    // The contents: 14 pt lines before the first article, ending with a page number.
    let first_article = *start.iter().min().unwrap();
    let mut lines: Vec<(usize, i64, Vec<&TextBox>)> = Vec::new();
    for b in laid.boxes.iter().filter(|b| b.size == 14.0 && b.page <= first_article) {
        let key = (b.y * 10.0).round() as i64;
        match lines.iter_mut().find(|(p, y, _)| *p == b.page && (*y - key).abs() <= 5) {
            Some(line) => line.2.push(b),
            None => lines.push((b.page, key, vec![b])),
        }
    }
    let mut checked = 0;
    for (_, _, mut boxes) in lines {
        boxes.sort_by(|a, b| a.x.total_cmp(&b.x));
        let text: String = boxes.iter().map(|b| b.text.as_str()).collect();
        let text = squeeze(&text);
        let digits: String = text
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let label = text[..text.len() - digits.len()].trim_end_matches('.').to_string();
        if digits.is_empty() || label.chars().count() < 4 {
            continue;
        }
        if let Some(i) = titles
            .iter()
            .position(|t| squeeze(t).starts_with(&label) || label.starts_with(&squeeze(t)))
        {
            assert_eq!(digits.parse::<usize>().unwrap(), start[i], "contents entry {label}");
            checked += 1;
        }
    }
    assert!(checked >= titles.len() - 1, "checked {checked} of {} contents entries", titles.len());
}

#[test]
fn a_page_holding_only_the_distribution_block_has_no_number() {
    // In the example issue the 报尾 does not fit under the last article, so it gets a page
    // of its own; that page carries no page number (GB/T 9704 7.5).
    let laid = issue();
    let last = laid.sizes.len();
    let body_on_last =
        laid.boxes.iter().any(|b| b.page == last && b.family == "FandolFang" && b.size == 16.0);
    let baowei_on_last = laid.boxes.iter().any(|b| b.page == last && b.text.contains("共印"));
    assert!(baowei_on_last, "the 报尾 is not on the last page");
    let numbered = laid.boxes.iter().any(|b| b.page == last && b.text.starts_with("— "));
    assert_eq!(
        numbered, body_on_last,
        "page number on the last page: {numbered}, body text there: {body_on_last}"
    );
    assert!(
        !body_on_last,
        "the example no longer has a 报尾-only page; this test needs another example"
    );
}
