//! The human-readable preflight report, and the number, box and page-range formatting the
//! checks' details share.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::geometry::same_box;
use super::report::{FileReport, OperatorCounts, Severity};

impl FileReport {
    /// A compact human-readable report: the file, each page, fonts, colours, images, then
    /// the checks marked ✔ or ✘ and a one-line verdict.
    pub fn to_human(&self) -> String {
        let mut out = String::new();
        let profile = self.profile.name();
        let _ = writeln!(
            out,
            "{} — PDF {}, {} page{}, profile {profile}",
            self.file,
            self.pdf_version,
            self.pages.len(),
            if self.pages.len() == 1 { "" } else { "s" }
        );
        for page in &self.pages {
            let paper = page.paper.as_deref().map(|p| format!(" {p}")).unwrap_or_default();
            let _ = write!(
                out,
                "  p{:<3} {} × {} mm{paper}  media {}",
                page.number,
                fmt_num(page.size_mm[0], 1),
                fmt_num(page.size_mm[1], 1),
                fmt_box(&page.media_box)
            );
            if let Some(crop) = page.crop_box.filter(|c| !same_box(c, &page.media_box)) {
                let _ = write!(out, "  crop {}", fmt_box(&crop));
            }
            let _ = write!(out, "  trim {}", page.trim_box.as_ref().map_or("—".into(), fmt_box));
            let _ =
                writeln!(out, "  bleed {}", page.bleed_box.as_ref().map_or("—".into(), fmt_box));
            if !page.text_fill_colours.is_empty() {
                let _ = writeln!(out, "        text colour: {}", page.text_fill_colours.join("; "));
            }
            let ops = page.operators.summary();
            if !ops.is_empty() {
                let _ = writeln!(out, "        operators: {ops}");
            }
        }
        let embedded = self.fonts.iter().filter(|f| f.embedded).count();
        let _ = writeln!(out, "  fonts: {} ({embedded} embedded)", self.fonts.len());
        for font in &self.fonts {
            let mark = if font.embedded { "embedded" } else { "NOT EMBEDDED" };
            let _ = writeln!(out, "    {}  {}  {mark}", font.name, font.subtype);
        }
        let _ = writeln!(out, "  colour spaces: {}", list_or_none(&self.colour_spaces));
        let _ = writeln!(out, "  spot colours: {}", list_or_none(&self.spot_colours));
        if self.images.is_empty() {
            let _ = writeln!(out, "  images: none");
        } else {
            let _ = writeln!(out, "  images: {}", self.images.len());
            for img in &self.images {
                let _ = writeln!(
                    out,
                    "    p{} {}×{} px {} at {}×{} ppi{}",
                    img.page,
                    img.width_px,
                    img.height_px,
                    img.colour_space,
                    fmt_num(img.ppi_x, 0),
                    fmt_num(img.ppi_y, 0),
                    if img.metadata { "  carries metadata" } else { "" }
                );
            }
        }
        let _ = writeln!(
            out,
            "  output intents: {}  PDF/A: {}  PDF/X: {}",
            list_or_none(&self.output_intents),
            self.pdfa.as_deref().unwrap_or("—"),
            self.pdfx.as_deref().unwrap_or("—")
        );
        let (mut errors, mut warnings) = (0, 0);
        for check in &self.checks {
            let (mark, tag) = match (check.passed, check.severity) {
                (true, _) => ("✔", ""),
                (false, Severity::Error) => {
                    errors += 1;
                    ("✘", " [error]")
                }
                (false, Severity::Warning) => {
                    warnings += 1;
                    ("✘", " [warning]")
                }
                (false, Severity::Info) => ("✘", " [info]"),
            };
            let _ = writeln!(out, "  {mark} {}{tag}: {}", check.name, check.detail);
        }
        if let Some(note) = &self.note {
            let _ = writeln!(out, "  note: {note}");
        }
        let verdict = if self.passed() { "PASS" } else { "FAIL" };
        let _ = writeln!(out, "  {verdict} ({errors} errors, {warnings} warnings)");
        out
    }
}

impl OperatorCounts {
    /// The non-zero counts as `rg 2, k 5, …`.
    fn summary(&self) -> String {
        let all = [
            ("rg", self.rg),
            ("RG", self.RG),
            ("k", self.k),
            ("K", self.K),
            ("g", self.g),
            ("G", self.G),
            ("cs", self.cs),
            ("CS", self.CS),
            ("sc/scn", self.sc),
            ("SC/SCN", self.SC),
            ("sh", self.sh),
            ("Do", self.Do),
            ("BI", self.BI),
            ("text", self.text),
        ];
        let parts: Vec<String> =
            all.iter().filter(|(_, n)| *n > 0).map(|(op, n)| format!("{op} {n}")).collect();
        parts.join(", ")
    }
}

/// A number with at most `decimals` decimals and no trailing zeros.
pub(super) fn fmt_num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "?".into();
    }
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_owned();
    }
    if s == "-0" { "0".into() } else { s }
}

pub(super) fn fmt_box(b: &[f64; 4]) -> String {
    format!("[{} {} {} {}]", fmt_num(b[0], 2), fmt_num(b[1], 2), fmt_num(b[2], 2), fmt_num(b[3], 2))
}

pub(super) fn list_or_none(items: &[String]) -> String {
    if items.is_empty() { "none".into() } else { items.join(", ") }
}

/// `1–3, 5` style page ranges.
pub(super) fn page_ranges(pages: &BTreeSet<usize>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut iter = pages.iter().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&(end + 1)) {
            end += 1;
            iter.next();
        }
        parts.push(if end == start { format!("{start}") } else { format!("{start}–{end}") });
    }
    let label = if pages.len() == 1 { "p." } else { "pp." };
    format!("{label} {}", parts.join(", "))
}

/// `finding (p. 1–3); other finding (p. 2)`.
pub(super) fn by_pages(findings: &BTreeMap<String, BTreeSet<usize>>) -> String {
    by_pages_with(findings, "; ")
}

/// Findings with their pages, joined by `separator`.
pub(super) fn by_pages_with(
    findings: &BTreeMap<String, BTreeSet<usize>>,
    separator: &str,
) -> String {
    let parts: Vec<String> = findings
        .iter()
        .map(|(what, pages)| {
            let pages: BTreeSet<usize> = pages.iter().copied().filter(|p| *p > 0).collect();
            if pages.is_empty() {
                what.clone()
            } else {
                format!("{what} ({})", page_ranges(&pages))
            }
        })
        .collect();
    parts.join(separator)
}

pub(super) fn by_pages_or(findings: &BTreeMap<String, BTreeSet<usize>>, empty: &str) -> String {
    if findings.is_empty() { empty.to_owned() } else { by_pages(findings) }
}
