//! Print-shop preflight for any PDF, whether jianbao wrote it or another tool did.
//!
//! This module owns reading a finished PDF and checking what Chinese print shops (印刷厂)
//! check before they accept a file: every font embedded, no RGB anywhere, body text in pure
//! K (one plate, no rich black), a TrimBox on every page and a sane BleedBox, images of at
//! least 300 ppi, spot colours named, and PDF/X or PDF/A claims backed by what the file
//! holds. It does not render, fix or write PDFs; the profiles it checks against are the
//! build's own ([`crate::profile::Profile`]).
//!
//! Reading is done with `lopdf`, which also understands the compressed object streams and
//! cross-reference streams that Typst (through krilla) writes. Each page's content stream is
//! interpreted with a small graphics-state machine (`q`/`Q`, `cm`, the colour operators,
//! `Tr`, text-showing operators, `Do`, `sh`, inline images), recursing into Form XObjects
//! with their own resources, so the fill colour in effect when text is shown and the
//! resolution at which each image is placed are known. A malformed PDF never panics: it is
//! either an `Err` (cannot be read at all) or a failed "content readable" check.
//!
//! Text colour rules for the print profile: DeviceGray, K-only DeviceCMYK and the
//! `Black` separation are pure K; CMYK without K and spot colours are "coloured text"
//! (listed, allowed); K with any C, M or Y is rich black, and RGB, ICC-based colour
//! (including the ICC gray Typst writes for `black`), Lab, indexed and pattern fills are
//! errors. Colour spaces are counted wherever they appear in the pages' resources, even
//! unused; XObject images only when painted.
//!
//! The rooms: `report` holds the report types (serialised as JSON); `human` renders a
//! report as text; `analyzer` reads the PDF and interprets the pages' content (with the
//! colour rules in `colour`); `metadata` reads the document-level claims (version, XMP,
//! PDF/A, PDF/X, output intents); `geometry` the page boxes and paper sizes; `checks` turns
//! what was found into the checks of each profile.

use std::path::Path;

use lopdf::Document;

mod analyzer;
mod checks;
mod colour;
mod geometry;
mod human;
mod metadata;
mod report;
#[cfg(test)]
mod tests;

use analyzer::Analyzer;
use checks::build_checks;
use metadata::{output_intents, pdf_version, pdfa_claim, pdfx_claim, xmp_metadata};

pub use crate::profile::Profile;
pub use metadata::decode_pdf_name;
pub use report::{
    Check, FileReport, FontReport, ImageReport, OperatorCounts, PageReport, Severity,
};

/// Largest decompressed size read from one stream (content, form, metadata).
const MAX_STREAM_BYTES: usize = 256 * 1024 * 1024;
/// How deeply Form XObjects (and tiling patterns) may nest before the walk stops.
const MAX_FORM_DEPTH: usize = 32;
/// How many `q` may be open at once; deeper saves are ignored.
const MAX_SAVE_DEPTH: usize = 4096;
/// How many content operators are interpreted in one document before giving up.
const MAX_OPERATIONS: usize = 50_000_000;
/// How many levels of `/Parent` are followed for inherited page attributes.
const MAX_TREE_DEPTH: usize = 64;

/// Reads the PDF at `path` and checks it for `profile`.
///
/// # Errors
///
/// When the file cannot be read, is not a PDF lopdf can parse, or is encrypted. Problems
/// inside a readable PDF are failed checks in the report, not errors.
pub fn check_file(path: &Path, profile: Profile) -> Result<FileReport, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    check_bytes(&bytes, &path.display().to_string(), profile)
}

/// Checks the PDF in `bytes` for `profile`; `name` is only used in the report.
///
/// # Errors
///
/// As [`check_file`], less the reading.
pub fn check_bytes(bytes: &[u8], name: &str, profile: Profile) -> Result<FileReport, String> {
    // lopdf is robust, but a panic deep inside a third-party parser must not take the
    // whole batch down: turn it into an error for this file.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_inner(bytes, name, profile)))
        .unwrap_or_else(|_| Err(format!("{name}: the PDF reader crashed on this file")))
}

fn check_inner(bytes: &[u8], name: &str, profile: Profile) -> Result<FileReport, String> {
    let doc = Document::load_mem(bytes).map_err(|e| format!("{name}: not a readable PDF: {e}"))?;
    if doc.is_encrypted() {
        return Err(format!("{name}: the PDF is encrypted and cannot be checked"));
    }
    let mut analyzer = Analyzer::new(&doc);
    let pages = analyzer.walk_pages();
    let catalog = doc.catalog().ok();
    let xmp = catalog.and_then(|c| xmp_metadata(&doc, c));
    let pdfa = xmp.as_deref().and_then(pdfa_claim);
    let pdfx = pdfx_claim(&doc, xmp.as_deref());
    let intents = catalog.map(|c| output_intents(&doc, c)).unwrap_or_default();
    let mut report = FileReport {
        file: name.to_owned(),
        profile,
        pdf_version: pdf_version(&doc, catalog),
        pages,
        fonts: std::mem::take(&mut analyzer.fonts),
        colour_spaces: analyzer.colour_spaces.iter().cloned().collect(),
        spot_colours: analyzer.spot_colours.iter().cloned().collect(),
        images: std::mem::take(&mut analyzer.images),
        output_intents: intents.iter().map(|i| i.label.clone()).collect(),
        pdfa,
        pdfx,
        checks: Vec::new(),
        note: None,
    };
    report.checks = build_checks(&report, &analyzer, &intents, xmp.is_some());
    if profile == Profile::Print
        && !analyzer.rgb_uses.is_empty()
        && report.pages.iter().all(|p| p.trim_box.is_none())
    {
        report.note = Some(
            "this looks like a screen file (RGB colour, no TrimBox), not a print file: \
             `jianbao build --profile print` makes the file for the print shop (its name ends \
             in -print.pdf); check a screen file with `--profile screen`"
                .into(),
        );
    }
    Ok(report)
}
