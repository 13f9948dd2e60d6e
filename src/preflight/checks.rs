//! The checks run for each profile (screen, print, archive), built from what the analyzer
//! and the metadata found: fonts, RGB, text colour, page boxes, image resolution and
//! metadata, PDF/X and PDF/A claims.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::Profile;
use super::analyzer::Analyzer;
use super::geometry::{contains, min_margin};
use super::human::{by_pages, by_pages_or, by_pages_with, fmt_num, list_or_none, page_ranges};
use super::metadata::OutputIntent;
use super::report::{Check, FileReport, FontReport, ImageReport, PageReport, Severity};

pub(super) fn build_checks(
    report: &FileReport,
    found: &Analyzer<'_>,
    intents: &[OutputIntent],
    has_xmp: bool,
) -> Vec<Check> {
    let mut checks = Vec::new();
    checks.push(if found.problems.is_empty() {
        Check::new("content readable", true, Severity::Error, "every content stream was parsed")
    } else {
        Check::new("content readable", false, Severity::Error, by_pages(&found.problems))
    });
    checks.push(page_size_check(&report.pages));
    checks.push(fonts_check(&report.fonts));
    match report.profile {
        Profile::Screen => {
            checks.push(colour_spaces_info(report));
            checks.push(images_info(&report.images));
            checks.push(metadata_check(&report.images));
            checks.push(claims_info(report));
        }
        Profile::Print => {
            checks.push(rgb_check(found));
            checks.push(text_colour_check(found));
            checks.push(Check::info("coloured text", by_pages_or(&found.coloured_text, "none")));
            checks.extend(box_checks(&report.pages));
            checks.push(Check::info("spot colours", list_or_none(&report.spot_colours)));
            checks.extend(resolution_checks(&report.images));
            checks.push(metadata_check(&report.images));
            checks.push(pdfx_check(report.pdfx.as_deref(), intents));
            checks.push(colour_spaces_info(report));
        }
        Profile::Archive => {
            checks.push(match &report.pdfa {
                Some(level) => Check::new(
                    "PDF/A identification",
                    true,
                    Severity::Error,
                    format!("XMP claims PDF/A-{level}"),
                ),
                None if has_xmp => Check::new(
                    "PDF/A identification",
                    false,
                    Severity::Error,
                    "XMP metadata has no pdfaid:part / pdfaid:conformance",
                ),
                None => Check::new(
                    "PDF/A identification",
                    false,
                    Severity::Error,
                    "no XMP metadata stream in the catalog",
                ),
            });
            let device: Vec<&String> =
                report.colour_spaces.iter().filter(|c| c.starts_with("Device")).collect();
            let has_intent = intents.iter().any(|i| i.subtype.starts_with("GTS_PDFA"));
            checks.push(if device.is_empty() || has_intent {
                Check::new("PDF/A output intent", true, Severity::Warning, "not needed or present")
            } else {
                let device: Vec<&str> = device.iter().map(|s| s.as_str()).collect();
                Check::new(
                    "PDF/A output intent",
                    false,
                    Severity::Warning,
                    format!(
                        "device colour ({}) needs a GTS_PDFA1 output intent",
                        device.join(", ")
                    ),
                )
            });
            checks.push(colour_spaces_info(report));
            checks.push(images_info(&report.images));
            checks.push(metadata_check(&report.images));
        }
    }
    checks
}

fn page_size_check(pages: &[PageReport]) -> Check {
    if pages.is_empty() {
        return Check::new("page size", false, Severity::Error, "the document has no pages");
    }
    let mut sizes: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for page in pages {
        let mut size =
            format!("{} × {} mm", fmt_num(page.size_mm[0], 1), fmt_num(page.size_mm[1], 1));
        if let Some(paper) = &page.paper {
            let _ = write!(size, " ({paper})");
        }
        sizes.entry(size).or_default().insert(page.number);
    }
    let detail = if sizes.len() == 1 {
        let size = sizes.keys().next().cloned().unwrap_or_default();
        format!("{} page{}, all {size}", pages.len(), if pages.len() == 1 { "" } else { "s" })
    } else {
        by_pages(&sizes)
    };
    Check::info("page size", detail)
}

fn fonts_check(fonts: &[FontReport]) -> Check {
    let missing: Vec<String> = fonts
        .iter()
        .filter(|f| !f.embedded)
        .map(|f| format!("{} ({})", f.name, f.subtype))
        .collect();
    if missing.is_empty() {
        let detail = match fonts.len() {
            0 => "no fonts".to_owned(),
            n => format!("{n} font{}, all embedded", if n == 1 { "" } else { "s" }),
        };
        Check::new("fonts embedded", true, Severity::Error, detail)
    } else {
        Check::new(
            "fonts embedded",
            false,
            Severity::Error,
            format!("not embedded: {}", missing.join(", ")),
        )
    }
}

fn rgb_check(found: &Analyzer<'_>) -> Check {
    if found.rgb_uses.is_empty() {
        Check::new("no RGB colour", true, Severity::Error, "no DeviceRGB, ICC RGB or CalRGB")
    } else {
        Check::new("no RGB colour", false, Severity::Error, by_pages(&found.rgb_uses))
    }
}

fn text_colour_check(found: &Analyzer<'_>) -> Check {
    if found.text_problems.is_empty() {
        Check::new(
            "text colour K-only",
            true,
            Severity::Error,
            "black text is DeviceGray or K-only DeviceCMYK",
        )
    } else {
        let parts: Vec<String> = found
            .text_problems
            .iter()
            .map(|(why, colours)| format!("{why}: {}", by_pages_with(colours, ", ")))
            .collect();
        Check::new("text colour K-only", false, Severity::Error, parts.join("; "))
    }
}

fn box_checks(pages: &[PageReport]) -> Vec<Check> {
    let no_trim: BTreeSet<usize> =
        pages.iter().filter(|p| p.trim_box.is_none()).map(|p| p.number).collect();
    let trim = if no_trim.is_empty() {
        Check::new("TrimBox on every page", true, Severity::Error, "present")
    } else {
        Check::new(
            "TrimBox on every page",
            false,
            Severity::Error,
            format!("missing on {}", page_ranges(&no_trim)),
        )
    };
    let mut wrong: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut note = |what: &str, page: usize| {
        wrong.entry(what.to_owned()).or_default().insert(page);
    };
    for page in pages {
        if let Some(t) = &page.trim_box
            && !contains(&page.media_box, t)
        {
            note("TrimBox extends outside the MediaBox", page.number);
        }
        if let Some(b) = &page.bleed_box {
            if !contains(&page.media_box, b) {
                note("BleedBox extends outside the MediaBox", page.number);
            }
            if let Some(t) = &page.trim_box
                && !contains(b, t)
            {
                note("BleedBox does not contain the TrimBox", page.number);
            }
        }
    }
    let with_bleed = pages.iter().filter(|p| p.bleed_box.is_some()).count();
    let boxes = if !wrong.is_empty() {
        Check::new("bleed and trim boxes", false, Severity::Error, by_pages(&wrong))
    } else if with_bleed == 0 {
        Check::new("bleed and trim boxes", true, Severity::Error, "no BleedBox (no bleed declared)")
    } else {
        let bleeds: BTreeSet<String> = pages
            .iter()
            .filter_map(|p| {
                Some(fmt_num(min_margin(p.bleed_box.as_ref()?, p.trim_box.as_ref()?), 1))
            })
            .collect();
        let bleeds: Vec<String> = bleeds.into_iter().collect();
        let detail = if bleeds.is_empty() {
            "BleedBox within MediaBox".to_owned()
        } else {
            format!("BleedBox ⊇ TrimBox, within MediaBox; bleed {} mm", bleeds.join("/"))
        };
        Check::new("bleed and trim boxes", true, Severity::Error, detail)
    };
    vec![trim, boxes]
}

fn resolution_checks(images: &[ImageReport]) -> Vec<Check> {
    let mut low: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut very_low: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for img in images.iter().filter(|i| i.width_px > 0 && i.height_px > 0) {
        let ppi = img.ppi_x.min(img.ppi_y);
        if ppi <= 0.0 {
            continue;
        }
        let what = format!("{}×{} px at {} ppi", img.width_px, img.height_px, fmt_num(ppi, 0));
        if ppi < 150.0 {
            very_low.entry(what).or_default().insert(img.page);
        } else if ppi < 300.0 {
            low.entry(what).or_default().insert(img.page);
        }
    }
    let none = images.is_empty();
    let ok = |detail: &str| if none { "no images".to_owned() } else { detail.to_owned() };
    vec![
        if very_low.is_empty() {
            Check::new("images ≥ 150 ppi", true, Severity::Error, ok("all images ≥ 150 ppi"))
        } else {
            Check::new("images ≥ 150 ppi", false, Severity::Error, by_pages(&very_low))
        },
        if low.is_empty() {
            Check::new("images ≥ 300 ppi", true, Severity::Warning, ok("all images ≥ 300 ppi"))
        } else {
            Check::new("images ≥ 300 ppi", false, Severity::Warning, by_pages(&low))
        },
    ]
}

fn pdfx_check(pdfx: Option<&str>, intents: &[OutputIntent]) -> Check {
    let pdfx_intent = intents.iter().find(|i| i.subtype == "GTS_PDFX");
    match (pdfx, pdfx_intent) {
        (None, None) => Check::new("PDF/X claim", true, Severity::Error, "no PDF/X claimed"),
        (None, Some(i)) => Check::new(
            "PDF/X claim",
            true,
            Severity::Error,
            format!("no PDF/X version claimed; output intent {}", i.label),
        ),
        (Some(v), Some(i)) => Check::new(
            "PDF/X claim",
            true,
            Severity::Error,
            format!("claims {v}; output intent {}", i.label),
        ),
        (Some(v), None) => Check::new(
            "PDF/X claim",
            false,
            Severity::Error,
            format!("claims {v} but has no GTS_PDFX output intent"),
        ),
    }
}

fn colour_spaces_info(report: &FileReport) -> Check {
    Check::info("colour spaces", list_or_none(&report.colour_spaces))
}

/// Images that carry metadata, by page.
fn metadata_check(images: &[ImageReport]) -> Check {
    let mut with: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for img in images.iter().filter(|i| i.metadata) {
        with.entry(format!("{}×{} px", img.width_px, img.height_px)).or_default().insert(img.page);
    }
    if with.is_empty() {
        Check::new("image metadata", true, Severity::Warning, "no image carries metadata")
    } else {
        Check::new(
            "image metadata",
            false,
            Severity::Warning,
            format!("camera metadata (EXIF/XMP/IPTC, possibly GPS): {}", by_pages(&with)),
        )
    }
}

fn images_info(images: &[ImageReport]) -> Check {
    let min = images
        .iter()
        .map(|i| i.ppi_x.min(i.ppi_y))
        .filter(|p| *p > 0.0)
        .fold(f64::INFINITY, f64::min);
    let detail = match images.len() {
        0 => "none".to_owned(),
        n if min.is_finite() => format!("{n}, lowest {} ppi", fmt_num(min, 0)),
        n => n.to_string(),
    };
    Check::info("images", detail)
}

fn claims_info(report: &FileReport) -> Check {
    let pdfa = report.pdfa.as_deref().map_or("none".to_owned(), |a| format!("PDF/A-{a}"));
    let pdfx = report.pdfx.as_deref().unwrap_or("none");
    Check::info("standards claimed", format!("PDF/A: {pdfa}; PDF/X: {pdfx}"))
}
