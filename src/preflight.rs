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

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;
use std::rc::Rc;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use serde::Serialize;

pub use crate::profile::Profile;

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
/// Slack when comparing page boxes, in points.
const BOX_TOLERANCE: f64 = 0.01;

/// How serious a failed [`Check`] is. Only a failed `Error` makes a file fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file would be rejected or print wrongly.
    Error,
    /// Worth a look; the file may still print acceptably.
    Warning,
    /// Reported for information; never fails.
    Info,
}

/// Everything preflight found in one PDF, and the checks run for one [`Profile`].
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    /// The file name or path as given by the caller.
    pub file: String,
    /// The profile the checks were run for.
    pub profile: Profile,
    /// The PDF version from the header, or from the catalog's `/Version` when that is later.
    pub pdf_version: String,
    /// One entry per page, in page order.
    pub pages: Vec<PageReport>,
    /// Every font reachable from the pages' (and their forms') resources.
    pub fonts: Vec<FontReport>,
    /// Distinct colour spaces found in resources, operators, images and shadings, e.g.
    /// `DeviceRGB`, `ICCBased(1)`, `Separation(红头)`, `Indexed(DeviceRGB)`.
    pub colour_spaces: Vec<String>,
    /// Names of spot colours (Separation and DeviceN colorants other than process colours).
    pub spot_colours: Vec<String>,
    /// Every image placement (XObject or inline), with its effective resolution.
    pub images: Vec<ImageReport>,
    /// The catalog's output intents, e.g. `GTS_PDFX: FOGRA39 (profile embedded)`.
    pub output_intents: Vec<String>,
    /// The PDF/A level claimed in the XMP metadata (`pdfaid:part` + `pdfaid:conformance`),
    /// e.g. `2B`.
    pub pdfa: Option<String>,
    /// The PDF/X version claimed (`GTS_PDFXVersion` in the Info dictionary or the XMP).
    pub pdfx: Option<String>,
    /// The checks run for [`FileReport::profile`], in a fixed order.
    pub checks: Vec<Check>,
    /// A word on what kind of file this is, when it is not what the profile expects
    /// (e.g. a screen file checked for print).
    pub note: Option<String>,
}

/// What one page holds.
#[derive(Clone, Debug, Serialize)]
pub struct PageReport {
    /// 1-based page number.
    pub number: usize,
    /// `/MediaBox` (inherited if need be) as `[llx, lly, urx, ury]` in points.
    pub media_box: [f64; 4],
    /// `/TrimBox`, the finished page size, if the page has one.
    pub trim_box: Option<[f64; 4]>,
    /// `/BleedBox`, if the page has one.
    pub bleed_box: Option<[f64; 4]>,
    /// `/CropBox` (inherited if need be), if the page has one.
    pub crop_box: Option<[f64; 4]>,
    /// Width and height in millimetres of the TrimBox, else the CropBox, else the MediaBox
    /// (with `/UserUnit` applied).
    pub size_mm: [f64; 2],
    /// The paper size that matches [`PageReport::size_mm`] within 1 mm, e.g. `A4`, `16开`.
    pub paper: Option<String>,
    /// Distinct colours in effect when text is painted, in order of first use, e.g.
    /// `DeviceGray 0`, `DeviceCMYK 0 0 0 1`, `ICCBased(1) 0`, `Separation 红头 1`. Text drawn
    /// in a stroking render mode is listed with its stroke colour, prefixed `stroke `.
    pub text_fill_colours: Vec<String>,
    /// How often each colour-related operator ran on this page, forms included.
    pub operators: OperatorCounts,
}

/// Counts of colour-related operators on one page (Form XObjects counted per use).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[allow(non_snake_case)]
pub struct OperatorCounts {
    /// `rg`: DeviceRGB fill.
    pub rg: usize,
    /// `RG`: DeviceRGB stroke.
    pub RG: usize,
    /// `k`: DeviceCMYK fill.
    pub k: usize,
    /// `K`: DeviceCMYK stroke.
    pub K: usize,
    /// `g`: DeviceGray fill.
    pub g: usize,
    /// `G`: DeviceGray stroke.
    pub G: usize,
    /// `cs`: set the fill colour space.
    pub cs: usize,
    /// `CS`: set the stroke colour space.
    pub CS: usize,
    /// `sc` and `scn`: set the fill colour in the current space.
    pub sc: usize,
    /// `SC` and `SCN`: set the stroke colour in the current space.
    pub SC: usize,
    /// `sh`: paint a shading.
    pub sh: usize,
    /// `Do`: paint an XObject (image or form).
    pub Do: usize,
    /// `BI` … `EI`: inline images.
    pub BI: usize,
    /// `Tj`, `TJ`, `'` and `"`: show text.
    pub text: usize,
}

/// One font and whether its program is in the file.
#[derive(Clone, Debug, Serialize)]
pub struct FontReport {
    /// `/BaseFont` (with any subset prefix), else `/Name`, else the resource key.
    pub name: String,
    /// `/Subtype`; for a composite font also the descendant's, e.g. `Type0/CIDFontType0`.
    pub subtype: String,
    /// Whether the font program is embedded (`/FontFile`, `/FontFile2` or `/FontFile3` in
    /// the descriptor, the descendant's for a Type 0 font). Type 3 fonts always are.
    pub embedded: bool,
}

/// One placement of an image.
#[derive(Clone, Debug, Serialize)]
pub struct ImageReport {
    /// 1-based page number.
    pub page: usize,
    /// Image width in pixels.
    pub width_px: u32,
    /// Image height in pixels.
    pub height_px: u32,
    /// Horizontal resolution as placed, from the CTM at the `Do` (or `BI`) operator.
    pub ppi_x: f64,
    /// Vertical resolution as placed.
    pub ppi_y: f64,
    /// The image's colour space, `ImageMask` for a stencil mask, `JPX` when it is in the
    /// JPEG 2000 data.
    pub colour_space: String,
    /// The image carries metadata: a `/Metadata` stream, or EXIF, XMP, IPTC or comment
    /// segments inside its JPEG data (a camera's data, possibly where it was taken).
    pub metadata: bool,
}

/// The outcome of one check.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// Short name, e.g. `fonts embedded`.
    pub name: String,
    /// Whether the file passed it.
    pub passed: bool,
    /// How much a failure matters.
    pub severity: Severity,
    /// What was found, with page numbers where it helps.
    pub detail: String,
}

impl Check {
    fn new(name: &str, passed: bool, severity: Severity, detail: impl Into<String>) -> Self {
        Check { name: name.to_owned(), passed, severity, detail: detail.into() }
    }

    fn info(name: &str, detail: impl Into<String>) -> Self {
        Check::new(name, true, Severity::Info, detail)
    }
}

impl FileReport {
    /// True when no check of [`Severity::Error`] failed.
    pub fn passed(&self) -> bool {
        !self.checks.iter().any(|c| !c.passed && c.severity == Severity::Error)
    }

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

// ---------------------------------------------------------------------------------------
// Colour spaces and colours

/// A colour space as far as preflight cares.
#[derive(Clone, Debug, PartialEq)]
enum Cs {
    Gray,
    Rgb,
    Cmyk,
    CalGray,
    CalRgb,
    Lab,
    /// ICC-based with `N` components (0 when `/N` is missing).
    Icc(i64),
    Indexed(Box<Cs>),
    Pattern(Option<Box<Cs>>),
    Separation(String),
    DeviceN(Vec<String>),
    Unknown(String),
}

impl Cs {
    fn label(&self) -> String {
        match self {
            Cs::Gray => "DeviceGray".into(),
            Cs::Rgb => "DeviceRGB".into(),
            Cs::Cmyk => "DeviceCMYK".into(),
            Cs::CalGray => "CalGray".into(),
            Cs::CalRgb => "CalRGB".into(),
            Cs::Lab => "Lab".into(),
            Cs::Icc(n) => format!("ICCBased({n})"),
            Cs::Indexed(base) => format!("Indexed({})", base.label()),
            Cs::Pattern(None) => "Pattern".into(),
            Cs::Pattern(Some(base)) => format!("Pattern({})", base.label()),
            Cs::Separation(name) => format!("Separation({name})"),
            Cs::DeviceN(names) => format!("DeviceN({})", names.join(", ")),
            Cs::Unknown(name) => format!("Unknown({name})"),
        }
    }

    /// RGB in any form: device, calibrated, ICC with three components, or indexed over one.
    fn is_rgb(&self) -> bool {
        match self {
            Cs::Rgb | Cs::CalRgb | Cs::Icc(3) => true,
            Cs::Indexed(base) => base.is_rgb(),
            Cs::Pattern(Some(base)) => base.is_rgb(),
            _ => false,
        }
    }

    /// The colour a space starts with after `cs` (ISO 32000-1, 8.6.8).
    fn initial(&self) -> Vec<f64> {
        match self {
            Cs::Gray | Cs::CalGray | Cs::Indexed(_) => vec![0.0],
            Cs::Rgb | Cs::CalRgb | Cs::Lab => vec![0.0; 3],
            Cs::Cmyk => vec![0.0, 0.0, 0.0, 1.0],
            Cs::Icc(n) => vec![0.0; usize::try_from(*n).unwrap_or(0).min(32)],
            Cs::Separation(_) => vec![1.0],
            Cs::DeviceN(names) => vec![1.0; names.len()],
            Cs::Pattern(_) | Cs::Unknown(_) => Vec::new(),
        }
    }
}

/// The colour used for filling or stroking.
#[derive(Clone, Debug)]
struct Paint {
    cs: Cs,
    comps: Vec<f64>,
    pattern: Option<String>,
}

/// Whether a text colour is acceptable for print.
enum TextVerdict {
    /// Black or gray on the K plate only.
    KOnly,
    /// Deliberately coloured: process colour without K, or a spot colour.
    Coloured,
    /// Not acceptable; the reason.
    Problem(&'static str),
}

impl Paint {
    fn new(cs: Cs) -> Self {
        let comps = cs.initial();
        Paint { cs, comps, pattern: None }
    }

    fn label(&self) -> String {
        let nums: Vec<String> = self.comps.iter().map(|v| fmt_num(*v, 4)).collect();
        let nums = nums.join(" ");
        let head = match &self.cs {
            Cs::Separation(name) => format!("Separation {name}"),
            Cs::Pattern(_) => format!("Pattern /{}", self.pattern.as_deref().unwrap_or("?")),
            cs => cs.label(),
        };
        if nums.is_empty() { head } else { format!("{head} {nums}") }
    }

    fn comp(&self, i: usize) -> f64 {
        self.comps.get(i).copied().unwrap_or(0.0)
    }

    fn text_verdict(&self) -> TextVerdict {
        const RICH: &str = "rich black: C, M or Y under K, prints on several plates";
        match &self.cs {
            Cs::Gray => TextVerdict::KOnly,
            Cs::Cmyk => {
                let cmy = [self.comp(0), self.comp(1), self.comp(2)];
                let k = self.comp(3);
                let has_cmy = cmy.iter().any(|v| *v > 0.0);
                if k > 0.0 && has_cmy {
                    TextVerdict::Problem(RICH)
                } else if has_cmy || k <= 0.0 {
                    TextVerdict::Coloured
                } else {
                    TextVerdict::KOnly
                }
            }
            Cs::Separation(name) => match name.as_str() {
                "All" => TextVerdict::Problem("registration colour (All) prints on every plate"),
                "Black" | "None" => TextVerdict::KOnly,
                _ => TextVerdict::Coloured,
            },
            Cs::DeviceN(names) => {
                let value = |wanted: &str| {
                    names.iter().position(|n| n == wanted).map_or(0.0, |i| self.comp(i))
                };
                let k = value("Black");
                let has_cmy = ["Cyan", "Magenta", "Yellow"].iter().any(|c| value(c) > 0.0);
                let has_other = names
                    .iter()
                    .enumerate()
                    .any(|(i, n)| !matches!(n.as_str(), "Black" | "None") && self.comp(i) > 0.0);
                if k > 0.0 && has_cmy {
                    TextVerdict::Problem(RICH)
                } else if has_other {
                    TextVerdict::Coloured
                } else {
                    TextVerdict::KOnly
                }
            }
            Cs::Icc(1) => TextVerdict::Problem(
                "ICC-based gray, not pure K (the RIP converts it through the profile, \
                 possibly onto all four plates)",
            ),
            Cs::Icc(3) | Cs::Rgb | Cs::CalRgb => TextVerdict::Problem("RGB"),
            Cs::Icc(4) => TextVerdict::Problem("ICC-based CMYK, not device K"),
            Cs::Icc(_) => TextVerdict::Problem("ICC-based colour, not device K"),
            Cs::CalGray => TextVerdict::Problem("calibrated gray, not pure K"),
            Cs::Lab => TextVerdict::Problem("Lab colour"),
            Cs::Indexed(_) => TextVerdict::Problem("indexed colour"),
            Cs::Pattern(_) => TextVerdict::Problem("pattern or gradient fill"),
            Cs::Unknown(_) => TextVerdict::Problem("unknown colour space"),
        }
    }
}

/// The parts of the graphics state that preflight follows.
#[derive(Clone, Debug)]
struct GState {
    ctm: [f64; 6],
    fill: Paint,
    stroke: Paint,
    render_mode: i64,
}

impl GState {
    fn new(ctm: [f64; 6]) -> Self {
        GState { ctm, fill: Paint::new(Cs::Gray), stroke: Paint::new(Cs::Gray), render_mode: 0 }
    }
}

const IDENTITY: [f64; 6] = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` applied first, then `n` (the PDF convention `m × n`).
fn mul(m: &[f64; 6], n: &[f64; 6]) -> [f64; 6] {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

// ---------------------------------------------------------------------------------------
// Walking the document

/// Collects fonts, colours and images while interpreting the pages' content.
struct Analyzer<'a> {
    doc: &'a Document,
    /// Parsed content of Form XObjects and tiling patterns, by object id.
    content_cache: HashMap<ObjectId, Rc<Vec<Operation>>>,
    fonts: Vec<FontReport>,
    font_ids: HashSet<ObjectId>,
    direct_fonts: HashSet<(String, String)>,
    colour_spaces: BTreeSet<String>,
    spot_colours: BTreeSet<String>,
    /// RGB findings ("ICCBased(3): resource /c1") → pages.
    rgb_uses: BTreeMap<String, BTreeSet<usize>>,
    /// Unacceptable text colours: reason → colour ("ICCBased(1) 0") → pages.
    text_problems: BTreeMap<&'static str, BTreeMap<String, BTreeSet<usize>>>,
    /// Deliberately coloured text (spot or process colour) → pages.
    coloured_text: BTreeMap<String, BTreeSet<usize>>,
    images: Vec<ImageReport>,
    /// Parts of the file that could not be read → pages.
    problems: BTreeMap<String, BTreeSet<usize>>,
    /// Resource dictionaries already scanned on the current page (by address).
    scanned: HashSet<usize>,
    /// Forms being interpreted, to stop on a form that paints itself.
    active_forms: Vec<ObjectId>,
    budget: usize,
    /// The current page (1-based), its text colours, operator counts and user unit.
    page: usize,
    page_text: Vec<String>,
    ops: OperatorCounts,
    user_unit: f64,
}

impl<'a> Analyzer<'a> {
    fn new(doc: &'a Document) -> Self {
        Analyzer {
            doc,
            content_cache: HashMap::new(),
            fonts: Vec::new(),
            font_ids: HashSet::new(),
            direct_fonts: HashSet::new(),
            colour_spaces: BTreeSet::new(),
            spot_colours: BTreeSet::new(),
            rgb_uses: BTreeMap::new(),
            text_problems: BTreeMap::new(),
            coloured_text: BTreeMap::new(),
            images: Vec::new(),
            problems: BTreeMap::new(),
            scanned: HashSet::new(),
            active_forms: Vec::new(),
            budget: MAX_OPERATIONS,
            page: 0,
            page_text: Vec::new(),
            ops: OperatorCounts::default(),
            user_unit: 1.0,
        }
    }

    fn deref<'o>(&self, obj: &'o Object) -> &'o Object
    where
        'a: 'o,
    {
        static NULL: Object = Object::Null;
        self.doc.dereference(obj).map(|(_, o)| o).unwrap_or(&NULL)
    }

    fn dict_get<'o>(&self, dict: &'o Dictionary, key: &[u8]) -> Option<&'o Object>
    where
        'a: 'o,
    {
        dict.get(key).ok().map(|o| self.deref(o)).filter(|o| !matches!(o, Object::Null))
    }

    fn dict_dict<'o>(&self, dict: &'o Dictionary, key: &[u8]) -> Option<&'o Dictionary>
    where
        'a: 'o,
    {
        match self.dict_get(dict, key)? {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    fn problem(&mut self, what: impl Into<String>) {
        self.problems.entry(what.into()).or_default().insert(self.page);
    }

    /// A page attribute, looked up through `/Parent` when it is inheritable.
    fn inherited(&self, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        let mut node = page;
        for _ in 0..MAX_TREE_DEPTH {
            if let Some(value) = self.dict_get(node, key) {
                return Some(value);
            }
            node = match self.dict_get(node, b"Parent") {
                Some(Object::Dictionary(parent)) => parent,
                _ => return None,
            };
        }
        None
    }

    fn walk_pages(&mut self) -> Vec<PageReport> {
        let doc = self.doc;
        let mut pages = Vec::new();
        for (index, page_id) in doc.page_iter().enumerate() {
            self.page = index + 1;
            self.page_text.clear();
            self.scanned.clear();
            self.ops = OperatorCounts::default();
            let Ok(page) = doc.get_dictionary(page_id) else {
                self.problem(format!(
                    "page object {} {} is not a dictionary",
                    page_id.0, page_id.1
                ));
                continue;
            };
            pages.push(self.walk_page(page));
        }
        pages
    }

    fn walk_page(&mut self, page: &'a Dictionary) -> PageReport {
        let get_rect = |obj: Option<&'a Object>| obj.and_then(|o| rect(self, o));
        let media_box = get_rect(self.inherited(page, b"MediaBox"));
        let crop_box = get_rect(self.inherited(page, b"CropBox"));
        let trim_box = get_rect(self.dict_get(page, b"TrimBox"));
        let bleed_box = get_rect(self.dict_get(page, b"BleedBox"));
        let media_box = media_box.unwrap_or_else(|| {
            self.problem("page has no valid MediaBox (US Letter assumed)");
            [0.0, 0.0, 612.0, 792.0]
        });
        self.user_unit = self
            .dict_get(page, b"UserUnit")
            .and_then(number)
            .filter(|u| u.is_finite() && *u > 0.0)
            .unwrap_or(1.0);
        let shown = trim_box.or(crop_box).unwrap_or(media_box);
        let to_mm = |pt: f64| round_to(pt * self.user_unit / 72.0 * 25.4, 1);
        let size_mm = [to_mm(shown[2] - shown[0]), to_mm(shown[3] - shown[1])];

        if let Some(group) = self.dict_dict(page, b"Group") {
            self.note_group(group, "page transparency group");
        }
        let resources = match self.inherited(page, b"Resources") {
            Some(Object::Dictionary(d)) => Some(d),
            _ => None,
        };
        if let Some(res) = resources {
            self.scan_resources(res, 0);
        }
        let ops = self.page_operations(page);
        self.run(&ops, resources, GState::new(IDENTITY), 0);

        PageReport {
            number: self.page,
            media_box: round_box(media_box),
            trim_box: trim_box.map(round_box),
            bleed_box: bleed_box.map(round_box),
            crop_box: crop_box.map(round_box),
            size_mm,
            paper: paper_name(size_mm[0], size_mm[1]),
            text_fill_colours: std::mem::take(&mut self.page_text),
            operators: std::mem::take(&mut self.ops),
        }
    }

    /// The page's content streams, decompressed, joined and parsed.
    fn page_operations(&mut self, page: &'a Dictionary) -> Vec<Operation> {
        let streams: Vec<&'a Object> = match page.get(b"Contents").ok().map(|o| self.deref(o)) {
            None | Some(Object::Null) => return Vec::new(),
            Some(Object::Array(items)) => items.iter().map(|o| self.deref(o)).collect(),
            Some(other) => vec![other],
        };
        let mut data = Vec::new();
        for obj in streams {
            let Object::Stream(stream) = obj else {
                self.problem("a /Contents entry is not a stream");
                continue;
            };
            match stream.get_plain_content_with_limit(MAX_STREAM_BYTES) {
                Ok(bytes) => data.extend_from_slice(&bytes),
                Err(e) => self.problem(format!("content stream cannot be decompressed: {e}")),
            }
            data.push(b'\n');
        }
        self.decode(&data, "content stream")
    }

    /// Parses content operators, keeping those before the first syntax error. lopdf's
    /// lenient parser stops quietly at bad data, so a strict parse tells whether it did.
    fn decode(&mut self, data: &[u8], what: &str) -> Vec<Operation> {
        let mut ops = Vec::new();
        let mut failed = false;
        for op in Content::decode_iter(data) {
            match op {
                Ok(op) => ops.push(op),
                Err(_) => {
                    failed = true;
                    break;
                }
            }
        }
        if failed || Content::decode_strict(data).is_err() {
            self.problem(format!(
                "{what} has data that cannot be parsed; what follows is unchecked"
            ));
        }
        ops
    }

    /// The parsed content of a form or tiling pattern, cached by object id.
    fn stream_operations(&mut self, id: Option<ObjectId>, stream: &Stream) -> Rc<Vec<Operation>> {
        if let Some(cached) = id.and_then(|id| self.content_cache.get(&id)) {
            return Rc::clone(cached);
        }
        let ops = match stream.get_plain_content_with_limit(MAX_STREAM_BYTES) {
            Ok(bytes) => self.decode(&bytes, "form content"),
            Err(e) => {
                self.problem(format!("form content cannot be decompressed: {e}"));
                Vec::new()
            }
        };
        let ops = Rc::new(ops);
        if let Some(id) = id {
            self.content_cache.insert(id, Rc::clone(&ops));
        }
        ops
    }

    /// Notes the fonts, colour spaces, patterns and shadings in a resource dictionary.
    fn scan_resources(&mut self, res: &'a Dictionary, depth: usize) {
        if !self.scanned.insert(std::ptr::from_ref(res) as usize) {
            return;
        }
        if let Some(spaces) = self.dict_dict(res, b"ColorSpace") {
            for value in spaces.as_hashmap().values() {
                let cs = self.parse_cs(value, None, false, 0);
                self.note_cs(&cs, "colour space in the resources");
            }
        }
        if let Some(fonts) = self.dict_dict(res, b"Font") {
            for (key, value) in fonts.iter() {
                self.note_font(value, key);
            }
        }
        if let Some(shadings) = self.dict_dict(res, b"Shading") {
            for (key, value) in shadings.iter() {
                let where_ = format!("shading /{}", name_to_string(key));
                self.note_shading(self.deref(value), &where_);
            }
        }
        if let Some(patterns) = self.dict_dict(res, b"Pattern") {
            for (key, value) in patterns.iter() {
                let id = value.as_reference().ok();
                match self.deref(value) {
                    // Tiling pattern: its cell is content of its own.
                    Object::Stream(stream) => self.run_form(id, stream, Some(res), None, depth),
                    Object::Dictionary(pattern) => {
                        if let Some(shading) = self.dict_get(pattern, b"Shading") {
                            let where_ = format!("shading pattern /{}", name_to_string(key));
                            self.note_shading(shading, &where_);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn note_shading(&mut self, shading: &'a Object, where_: &str) {
        let dict = match shading {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => return,
        };
        if let Ok(space) = dict.get(b"ColorSpace") {
            let cs = self.parse_cs(space, None, false, 0);
            self.note_cs(&cs, where_);
        }
    }

    fn note_group(&mut self, group: &'a Dictionary, where_: &str) {
        if let Ok(space) = group.get(b"CS") {
            let cs = self.parse_cs(space, None, false, 0);
            self.note_cs(&cs, where_);
        }
    }

    /// Records a colour space: its label, spot colorants, and where RGB appears.
    fn note_cs(&mut self, cs: &Cs, where_: &str) {
        self.colour_spaces.insert(cs.label());
        match cs {
            Cs::Separation(name) if !matches!(name.as_str(), "All" | "None") => {
                self.spot_colours.insert(name.clone());
            }
            Cs::DeviceN(names) => {
                for name in names {
                    if !matches!(name.as_str(), "Cyan" | "Magenta" | "Yellow" | "Black" | "None") {
                        self.spot_colours.insert(name.clone());
                    }
                }
            }
            _ => {}
        }
        if cs.is_rgb() {
            let key = format!("{}: {where_}", cs.label());
            self.rgb_uses.entry(key).or_default().insert(self.page);
        }
    }

    /// Resolves a colour space operand or resource value. `res` resolves names from a
    /// `/ColorSpace` resource dictionary; `inline` allows the inline-image abbreviations.
    fn parse_cs(
        &self,
        obj: &Object,
        res: Option<&'a Dictionary>,
        inline: bool,
        depth: usize,
    ) -> Cs {
        if depth > 8 {
            return Cs::Unknown("nested too deeply".into());
        }
        match self.deref(obj) {
            Object::Name(name) => match (name.as_slice(), inline) {
                (b"DeviceGray", _) | (b"G", true) => Cs::Gray,
                (b"DeviceRGB", _) | (b"RGB", true) => Cs::Rgb,
                (b"DeviceCMYK", _) | (b"CMYK", true) => Cs::Cmyk,
                (b"Pattern", _) => Cs::Pattern(None),
                _ => {
                    let found = res
                        .and_then(|r| self.dict_dict(r, b"ColorSpace"))
                        .and_then(|spaces| spaces.get(name).ok());
                    match found {
                        Some(value) => self.parse_cs(value, None, false, depth + 1),
                        None => Cs::Unknown(name_to_string(name)),
                    }
                }
            },
            Object::Array(items) => {
                let family = items.first().map(|o| self.deref(o));
                let second = items.get(1);
                match family.and_then(|f| f.as_name().ok()) {
                    Some(b"ICCBased") => {
                        let n = second
                            .map(|o| self.deref(o))
                            .and_then(|o| o.as_stream().ok())
                            .and_then(|s| s.dict.get(b"N").ok())
                            .map(|o| self.deref(o))
                            .and_then(|o| o.as_i64().ok())
                            .unwrap_or(0);
                        Cs::Icc(n)
                    }
                    Some(b"Indexed" | b"I") => {
                        let base = second.map_or(Cs::Unknown("no base".into()), |b| {
                            self.parse_cs(b, res, inline, depth + 1)
                        });
                        Cs::Indexed(Box::new(base))
                    }
                    Some(b"Pattern") => Cs::Pattern(
                        second.map(|b| Box::new(self.parse_cs(b, res, inline, depth + 1))),
                    ),
                    Some(b"Separation") => match second.map(|o| self.deref(o)) {
                        Some(Object::Name(n)) => Cs::Separation(name_to_string(n)),
                        _ => Cs::Unknown("Separation without a name".into()),
                    },
                    Some(b"DeviceN") => match second.map(|o| self.deref(o)) {
                        Some(Object::Array(names)) => Cs::DeviceN(
                            names
                                .iter()
                                .filter_map(|n| self.deref(n).as_name().ok())
                                .map(name_to_string)
                                .collect(),
                        ),
                        _ => Cs::Unknown("DeviceN without colorants".into()),
                    },
                    Some(b"CalGray") => Cs::CalGray,
                    Some(b"CalRGB") => Cs::CalRgb,
                    Some(b"Lab") => Cs::Lab,
                    Some(_) if items.len() == 1 => self.parse_cs(&items[0], res, inline, depth + 1),
                    Some(other) => Cs::Unknown(name_to_string(other)),
                    None => Cs::Unknown("empty array".into()),
                }
            }
            _ => Cs::Unknown("not a name or array".into()),
        }
    }

    /// Records a font from a resource dictionary (once per object).
    fn note_font(&mut self, value: &'a Object, key: &[u8]) {
        if let Ok(id) = value.as_reference()
            && !self.font_ids.insert(id)
        {
            return;
        }
        let Some(font) = (match self.deref(value) {
            Object::Dictionary(d) => Some(d),
            _ => None,
        }) else {
            self.problem(format!("font /{} is not a dictionary", name_to_string(key)));
            return;
        };
        let name_of = |k: &[u8]| match self.dict_get(font, k) {
            Some(Object::Name(n)) => Some(name_to_string(n)),
            _ => None,
        };
        let name = name_of(b"BaseFont")
            .or_else(|| name_of(b"Name"))
            .unwrap_or_else(|| format!("/{}", name_to_string(key)));
        let subtype = name_of(b"Subtype").unwrap_or_else(|| "?".into());
        let (subtype, embedded) = match subtype.as_str() {
            "Type3" => (subtype, true),
            "Type0" => {
                let descendant = match self.dict_get(font, b"DescendantFonts") {
                    Some(Object::Array(items)) => items.first().map(|o| self.deref(o)),
                    _ => None,
                };
                match descendant {
                    Some(Object::Dictionary(cid)) => {
                        let sub = match self.dict_get(cid, b"Subtype") {
                            Some(Object::Name(n)) => name_to_string(n),
                            _ => "?".into(),
                        };
                        (format!("Type0/{sub}"), self.font_embedded(cid))
                    }
                    _ => ("Type0/?".into(), false),
                }
            }
            _ => {
                let embedded = self.font_embedded(font);
                (subtype, embedded)
            }
        };
        if value.as_reference().is_err()
            && !self.direct_fonts.insert((name.clone(), subtype.clone()))
        {
            return;
        }
        self.fonts.push(FontReport { name, subtype, embedded });
    }

    fn font_embedded(&self, font: &'a Dictionary) -> bool {
        let Some(descriptor) = self.dict_dict(font, b"FontDescriptor") else {
            return false;
        };
        [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
            .iter()
            .any(|k| matches!(self.dict_get(descriptor, k), Some(Object::Stream(_))))
    }

    /// Interprets content operators with `res` as resources, starting from `gs`.
    fn run(
        &mut self,
        ops: &[Operation],
        res: Option<&'a Dictionary>,
        mut gs: GState,
        depth: usize,
    ) {
        let mut saved: Vec<GState> = Vec::new();
        for op in ops {
            if self.budget == 0 {
                self.problem("content too large: analysis stopped early");
                return;
            }
            self.budget -= 1;
            let operands = &op.operands;
            match op.operator.as_str() {
                // A `q` beyond the limit is ignored, like any unknown operator.
                "q" if saved.len() < MAX_SAVE_DEPTH => saved.push(gs.clone()),
                "Q" => {
                    if let Some(previous) = saved.pop() {
                        gs = previous;
                    }
                }
                "cm" => {
                    if let Some(m) = matrix(operands) {
                        gs.ctm = mul(&m, &gs.ctm);
                    }
                }
                "g" | "G" | "rg" | "RG" | "k" | "K" => self.device_colour(op, &mut gs),
                "cs" | "CS" => {
                    let stroke = op.operator == "CS";
                    if stroke {
                        self.ops.CS += 1;
                    } else {
                        self.ops.cs += 1;
                    }
                    let Some(operand) = operands.first() else { continue };
                    let cs = self.parse_cs(operand, res, false, 0);
                    // Names from the resources were noted when the resources were scanned.
                    if let Object::Name(n) = operand
                        && matches!(n.as_slice(), b"DeviceGray" | b"DeviceRGB" | b"DeviceCMYK")
                    {
                        self.note_cs(&cs, &format!("{} operator", op.operator));
                    }
                    let paint = Paint::new(cs);
                    if stroke {
                        gs.stroke = paint;
                    } else {
                        gs.fill = paint;
                    }
                }
                "sc" | "scn" | "SC" | "SCN" => {
                    let stroke = op.operator.starts_with('S');
                    let paint = if stroke {
                        self.ops.SC += 1;
                        &mut gs.stroke
                    } else {
                        self.ops.sc += 1;
                        &mut gs.fill
                    };
                    paint.comps = operands.iter().filter_map(number).collect();
                    paint.pattern =
                        operands.last().and_then(|o| o.as_name().ok()).map(name_to_string);
                }
                "Tr" => {
                    if let Some(mode) = operands.first().and_then(|o| o.as_i64().ok()) {
                        gs.render_mode = mode;
                    }
                }
                "Tj" | "TJ" | "'" | "\"" => {
                    self.ops.text += 1;
                    self.show_text(&gs);
                }
                "Do" => {
                    self.ops.Do += 1;
                    if let Some(name) = operands.first().and_then(|o| o.as_name().ok()) {
                        self.paint_xobject(name, res, &gs, depth);
                    }
                }
                "sh" => {
                    self.ops.sh += 1;
                    // Shadings in the resources were noted when the resources were scanned.
                }
                "BI" => {
                    self.ops.BI += 1;
                    if let Some(Object::Stream(image)) = operands.first() {
                        self.image(&image.dict, res, &gs, true, false);
                    }
                }
                _ => {}
            }
        }
    }

    fn device_colour(&mut self, op: &Operation, gs: &mut GState) {
        let (cs, stroke) = match op.operator.as_str() {
            "g" => (Cs::Gray, false),
            "G" => (Cs::Gray, true),
            "rg" => (Cs::Rgb, false),
            "RG" => (Cs::Rgb, true),
            "k" => (Cs::Cmyk, false),
            _ => (Cs::Cmyk, true),
        };
        let counter = match op.operator.as_str() {
            "g" => &mut self.ops.g,
            "G" => &mut self.ops.G,
            "rg" => &mut self.ops.rg,
            "RG" => &mut self.ops.RG,
            "k" => &mut self.ops.k,
            _ => &mut self.ops.K,
        };
        *counter += 1;
        self.note_cs(&cs, &format!("{} operator", op.operator));
        let paint =
            Paint { cs, comps: op.operands.iter().filter_map(number).collect(), pattern: None };
        if stroke {
            gs.stroke = paint;
        } else {
            gs.fill = paint;
        }
    }

    /// Records the colours text is painted with under the current render mode.
    fn show_text(&mut self, gs: &GState) {
        let mode = gs.render_mode;
        let fills = !matches!(mode, 1 | 3 | 5 | 7);
        let strokes = matches!(mode, 1 | 2 | 5 | 6);
        let mut used = Vec::new();
        if fills {
            used.push((gs.fill.label(), &gs.fill));
        }
        if strokes {
            used.push((format!("stroke {}", gs.stroke.label()), &gs.stroke));
        }
        for (label, paint) in used {
            if !self.page_text.contains(&label) {
                self.page_text.push(label.clone());
            }
            match paint.text_verdict() {
                TextVerdict::KOnly => {}
                TextVerdict::Coloured => {
                    self.coloured_text.entry(label).or_default().insert(self.page);
                }
                TextVerdict::Problem(why) => {
                    // Coloured RGB text (a screen file's red masthead) is coloured text
                    // too, besides being an RGB problem.
                    let rgb = matches!(paint.cs, Cs::Icc(3) | Cs::Rgb | Cs::CalRgb);
                    let grey = paint.comps.windows(2).all(|w| (w[0] - w[1]).abs() < 1e-6);
                    if rgb && !grey {
                        self.coloured_text.entry(label.clone()).or_default().insert(self.page);
                    }
                    let colours = self.text_problems.entry(why).or_default();
                    colours.entry(label).or_default().insert(self.page);
                }
            }
        }
    }

    fn paint_xobject(
        &mut self,
        name: &[u8],
        res: Option<&'a Dictionary>,
        gs: &GState,
        depth: usize,
    ) {
        let entry = res.and_then(|r| self.dict_dict(r, b"XObject")).and_then(|x| x.get(name).ok());
        let Some(entry) = entry else {
            self.problem(format!("XObject /{} is not in the resources", name_to_string(name)));
            return;
        };
        let Object::Stream(stream) = self.deref(entry) else {
            self.problem(format!("XObject /{} is not a stream", name_to_string(name)));
            return;
        };
        match self.dict_get(&stream.dict, b"Subtype").and_then(|o| o.as_name().ok()) {
            Some(b"Image") => {
                let metadata = stream.dict.has(b"Metadata") || jpeg_has_metadata(stream);
                self.image(&stream.dict, res, gs, false, metadata)
            }
            Some(b"Form") => {
                let id = entry.as_reference().ok();
                self.run_form(id, stream, res, Some(gs), depth);
            }
            _ => {}
        }
    }

    /// Interprets a Form XObject (or, with no graphics state, a tiling pattern's cell).
    fn run_form(
        &mut self,
        id: Option<ObjectId>,
        stream: &'a Stream,
        parent_res: Option<&'a Dictionary>,
        gs: Option<&GState>,
        depth: usize,
    ) {
        if depth >= MAX_FORM_DEPTH {
            self.problem("forms nested too deeply: analysis stopped there");
            return;
        }
        if let Some(id) = id {
            if self.active_forms.contains(&id) {
                self.problem(format!("form {} {} paints itself", id.0, id.1));
                return;
            }
            self.active_forms.push(id);
        }
        let res = match self.dict_get(&stream.dict, b"Resources") {
            Some(Object::Dictionary(d)) => Some(d),
            _ => parent_res,
        };
        if let Some(group) = self.dict_dict(&stream.dict, b"Group") {
            self.note_group(group, "form transparency group");
        }
        if let Some(r) = res {
            self.scan_resources(r, depth + 1);
        }
        let m = self.dict_get(&stream.dict, b"Matrix").and_then(|o| match o {
            Object::Array(items) => matrix(items),
            _ => None,
        });
        let m = m.unwrap_or(IDENTITY);
        let start = match gs {
            Some(gs) => {
                let mut inner = gs.clone();
                inner.ctm = mul(&m, &gs.ctm);
                inner
            }
            None => GState::new(m),
        };
        let ops = self.stream_operations(id, stream);
        self.run(&ops, res, start, depth + 1);
        if id.is_some() {
            self.active_forms.pop();
        }
    }

    /// Records one image placement: size, colour space and resolution from the CTM.
    fn image(
        &mut self,
        dict: &Dictionary,
        res: Option<&'a Dictionary>,
        gs: &GState,
        inline: bool,
        metadata: bool,
    ) {
        let get = |long: &[u8], short: &[u8]| {
            self.dict_get(dict, long)
                .or_else(|| if inline { self.dict_get(dict, short) } else { None })
        };
        let px = |o: Option<&Object>| {
            o.and_then(|o| o.as_i64().ok()).and_then(|v| u32::try_from(v).ok()).unwrap_or(0)
        };
        let width_px = px(get(b"Width", b"W"));
        let height_px = px(get(b"Height", b"H"));
        let is_mask = matches!(get(b"ImageMask", b"IM"), Some(Object::Boolean(true)));
        let colour_space = if is_mask {
            "ImageMask".to_owned()
        } else if let Some(space) = get(b"ColorSpace", b"CS") {
            let cs = self.parse_cs(space, res, inline, 0);
            self.note_cs(&cs, &format!("image {width_px}×{height_px} px"));
            cs.label()
        } else if matches!(get(b"Filter", b"F"), Some(Object::Name(f)) if f == b"JPXDecode") {
            "JPX".to_owned()
        } else {
            "none".to_owned()
        };
        let c = &gs.ctm;
        let inches = |x: f64, y: f64| x.hypot(y) * self.user_unit / 72.0;
        let ppi = |pixels: u32, inches: f64| {
            let v = f64::from(pixels) / inches;
            if v.is_finite() { round_to(v, 1) } else { 0.0 }
        };
        self.images.push(ImageReport {
            page: self.page,
            width_px,
            height_px,
            ppi_x: ppi(width_px, inches(c[0], c[1])),
            ppi_y: ppi(height_px, inches(c[2], c[3])),
            colour_space,
            metadata,
        });
    }
}

// ---------------------------------------------------------------------------------------
// Document-level metadata

/// The header version, or the catalog's `/Version` when that is later.
fn pdf_version(doc: &Document, catalog: Option<&Dictionary>) -> String {
    let header = doc.version.clone();
    let from_catalog = catalog
        .and_then(|c| c.get(b"Version").ok())
        .and_then(|v| v.as_name().ok())
        .map(name_to_string);
    match from_catalog {
        Some(v) if v.parse::<f64>().ok() > header.parse::<f64>().ok() => v,
        _ => header,
    }
}

/// The catalog's XMP metadata packet as text.
fn xmp_metadata(doc: &Document, catalog: &Dictionary) -> Option<String> {
    let obj = catalog.get(b"Metadata").ok()?;
    let stream = doc.dereference(obj).ok()?.1.as_stream().ok()?;
    let bytes = stream.get_plain_content_with_limit(16 * 1024 * 1024).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The value of an XMP property written either as an attribute (`prop="v"`) or as an
/// element (`<prop>v</prop>`).
fn xmp_value(xmp: &str, prop: &str) -> Option<String> {
    let mut rest = xmp;
    while let Some(at) = rest.find(prop) {
        let after = &rest[at + prop.len()..];
        let before = rest[..at].chars().next_back();
        rest = after;
        if !matches!(before, Some('<' | ' ' | '\t' | '\r' | '\n')) {
            continue;
        }
        let trimmed = after.trim_start();
        if let Some(value) = trimmed.strip_prefix('=') {
            let value = value.trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let end = value[1..].find(quote)?;
                return Some(value[1..=end].trim().to_owned());
            }
        } else if let Some(value) = trimmed.strip_prefix('>') {
            let end = value.find('<')?;
            return Some(value[..end].trim().to_owned());
        }
    }
    None
}

/// The PDF/A claim from the XMP: part and conformance, e.g. `2B`, or just `4`.
fn pdfa_claim(xmp: &str) -> Option<String> {
    let part = xmp_value(xmp, "pdfaid:part").filter(|p| !p.is_empty())?;
    let conformance = xmp_value(xmp, "pdfaid:conformance").unwrap_or_default();
    Some(format!("{part}{}", conformance.to_uppercase()))
}

/// The PDF/X claim: `GTS_PDFXVersion` in the Info dictionary, else in the XMP.
fn pdfx_claim(doc: &Document, xmp: Option<&str>) -> Option<String> {
    let from_info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
        .and_then(|info| info.get(b"GTS_PDFXVersion").ok())
        .and_then(|v| lopdf::decode_text_string(v).ok());
    from_info.or_else(|| {
        let xmp = xmp?;
        xmp_value(xmp, "pdfxid:GTS_PDFXVersion").or_else(|| xmp_value(xmp, "pdfx:GTS_PDFXVersion"))
    })
}

/// One entry of the catalog's `/OutputIntents`.
struct OutputIntent {
    /// `/S`, e.g. `GTS_PDFX`, `GTS_PDFA1`.
    subtype: String,
    label: String,
}

fn output_intents(doc: &Document, catalog: &Dictionary) -> Vec<OutputIntent> {
    let deref = |o: &Object| doc.dereference(o).ok().map(|(_, o)| o.clone());
    let Some(Object::Array(items)) = catalog.get(b"OutputIntents").ok().and_then(deref) else {
        return Vec::new();
    };
    let mut intents = Vec::new();
    for item in &items {
        let Some(Object::Dictionary(intent)) = deref(item) else { continue };
        let text = |key: &[u8]| {
            intent.get(key).ok().and_then(deref).and_then(|v| lopdf::decode_text_string(&v).ok())
        };
        let subtype = match intent.get(b"S").ok().and_then(deref) {
            Some(Object::Name(n)) => name_to_string(&n),
            _ => "?".into(),
        };
        let condition = text(b"OutputConditionIdentifier")
            .filter(|c| !c.is_empty())
            .or_else(|| text(b"OutputCondition"))
            .unwrap_or_else(|| "no condition".into());
        let profile = matches!(
            intent.get(b"DestOutputProfile").ok().and_then(deref),
            Some(Object::Stream(_))
        );
        let profile = if profile { "profile embedded" } else { "no profile" };
        intents
            .push(OutputIntent { label: format!("{subtype}: {condition} ({profile})"), subtype });
    }
    intents
}

// ---------------------------------------------------------------------------------------
// Checks

fn build_checks(
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

/// The smallest distance between the edges of `outer` and `inner`, in millimetres.
fn min_margin(outer: &[f64; 4], inner: &[f64; 4]) -> f64 {
    let margins =
        [inner[0] - outer[0], inner[1] - outer[1], outer[2] - inner[2], outer[3] - inner[3]];
    margins.iter().copied().fold(f64::INFINITY, f64::min) / 72.0 * 25.4
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

/// Whether a `/DCTDecode` image stream holds EXIF/XMP (APP1), IPTC (APP13) or comment
/// segments before its scan data.
fn jpeg_has_metadata(stream: &lopdf::Stream) -> bool {
    let dct = match stream.dict.get(b"Filter") {
        Ok(Object::Name(n)) => n == b"DCTDecode",
        Ok(Object::Array(items)) => {
            items.len() == 1 && matches!(&items[0], Object::Name(n) if n == b"DCTDecode")
        }
        _ => false,
    };
    let data = &stream.content;
    if !dct || !data.starts_with(&[0xFF, 0xD8]) {
        return false;
    }
    let mut i = 2;
    while i + 4 <= data.len() && data[i] == 0xFF {
        let marker = data[i + 1];
        if marker == 0xDA || marker == 0xD9 {
            return false;
        }
        if matches!(marker, 0xE1 | 0xED | 0xFE) {
            return true;
        }
        let len = usize::from(u16::from_be_bytes([data[i + 2], data[i + 3]]));
        i += 2 + len;
    }
    false
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

// ---------------------------------------------------------------------------------------
// Small helpers

/// Decodes a PDF name as written in a file (`/#E7#BA#A2#E5#A4#B4`, with or without the
/// slash): `#xx` escapes become bytes, and the bytes are read as UTF-8 (→ `红头`).
pub fn decode_pdf_name(written: &str) -> String {
    let raw = written.strip_prefix('/').unwrap_or(written).as_bytes();
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = raw.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (raw[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'#', Some(byte)) => {
                bytes.push(byte);
                i += 3;
            }
            (b, _) => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    name_to_string(&bytes)
}

/// A name's bytes (escapes already undone by the parser) as text: UTF-8 when valid, else
/// printable ASCII with every other byte written `#xx`.
fn name_to_string(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) if !s.chars().any(char::is_control) => s.to_owned(),
        _ => bytes
            .iter()
            .map(|&b| {
                if b.is_ascii_graphic() && b != b'#' {
                    char::from(b).to_string()
                } else {
                    format!("#{b:02X}")
                }
            })
            .collect(),
    }
}

fn number(obj: &Object) -> Option<f64> {
    match obj {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn matrix(operands: &[Object]) -> Option<[f64; 6]> {
    if operands.len() != 6 {
        return None;
    }
    let mut m = [0.0; 6];
    for (slot, obj) in m.iter_mut().zip(operands) {
        *slot = number(obj).filter(|v| v.is_finite())?;
    }
    Some(m)
}

/// A rectangle array, normalised so that the lower-left corner comes first.
fn rect(analyzer: &Analyzer<'_>, obj: &Object) -> Option<[f64; 4]> {
    let Object::Array(items) = obj else { return None };
    if items.len() != 4 {
        return None;
    }
    let mut v = [0.0; 4];
    for (slot, item) in v.iter_mut().zip(items) {
        *slot = number(analyzer.doc.dereference(item).ok()?.1).filter(|x| x.is_finite())?;
    }
    Some([v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
}

fn contains(outer: &[f64; 4], inner: &[f64; 4]) -> bool {
    inner[0] >= outer[0] - BOX_TOLERANCE
        && inner[1] >= outer[1] - BOX_TOLERANCE
        && inner[2] <= outer[2] + BOX_TOLERANCE
        && inner[3] <= outer[3] + BOX_TOLERANCE
}

fn same_box(a: &[f64; 4], b: &[f64; 4]) -> bool {
    contains(a, b) && contains(b, a)
}

fn round_to(v: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (v * scale).round() / scale
}

fn round_box(b: [f64; 4]) -> [f64; 4] {
    b.map(|v| round_to(v, 3))
}

/// A number with at most `decimals` decimals and no trailing zeros.
fn fmt_num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "?".into();
    }
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_owned();
    }
    if s == "-0" { "0".into() } else { s }
}

fn fmt_box(b: &[f64; 4]) -> String {
    format!("[{} {} {} {}]", fmt_num(b[0], 2), fmt_num(b[1], 2), fmt_num(b[2], 2), fmt_num(b[3], 2))
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() { "none".into() } else { items.join(", ") }
}

/// `1–3, 5` style page ranges.
fn page_ranges(pages: &BTreeSet<usize>) -> String {
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
fn by_pages(findings: &BTreeMap<String, BTreeSet<usize>>) -> String {
    by_pages_with(findings, "; ")
}

/// Findings with their pages, joined by `separator`.
fn by_pages_with(findings: &BTreeMap<String, BTreeSet<usize>>, separator: &str) -> String {
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

fn by_pages_or(findings: &BTreeMap<String, BTreeSet<usize>>, empty: &str) -> String {
    if findings.is_empty() { empty.to_owned() } else { by_pages(findings) }
}

/// The paper size matching `w` × `h` millimetres within 1 mm, either way round.
fn paper_name(w: f64, h: f64) -> Option<String> {
    const SIZES: [(&str, f64, f64); 10] = [
        ("A3", 297.0, 420.0),
        ("A4", 210.0, 297.0),
        ("A5", 148.0, 210.0),
        ("B5", 176.0, 250.0),
        ("JIS B5", 182.0, 257.0),
        ("16开", 185.0, 260.0),
        ("大16开", 210.0, 285.0),
        ("8开", 260.0, 370.0),
        ("Letter", 215.9, 279.4),
        ("Legal", 215.9, 355.6),
    ];
    let close = |a: f64, b: f64| (a - b).abs() <= 1.0;
    SIZES.iter().find_map(|(name, pw, ph)| {
        if close(w, *pw) && close(h, *ph) {
            Some((*name).to_owned())
        } else if close(w, *ph) && close(h, *pw) {
            Some(format!("{name} landscape"))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    const RGB_FIXTURE: &str =
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/preflight/rgb-black-unembedded.pdf");
    const SPOT_FIXTURE: &str =
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/preflight/cmyk-k-spot.pdf");

    fn check<'r>(report: &'r FileReport, name: &str) -> &'r Check {
        report.checks.iter().find(|c| c.name == name).unwrap_or_else(|| {
            panic!("no check {name:?} in {:#?}", report.checks);
        })
    }

    /// A one-page A4 PDF written by lopdf with object and xref streams (as krilla does).
    /// `build` adds what the page needs to the document and returns the page's resources.
    fn lopdf_pdf(content: &str, build: impl FnOnce(&mut Document) -> Dictionary) -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let resources = build(&mut doc);
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.276.into(), 841.89.into()],
            "Resources" => resources,
            "Contents" => content_id,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        doc.compress();
        let mut out = Vec::new();
        doc.save_modern(&mut out).expect("lopdf writes the test PDF");
        out
    }

    /// Adds a Type 1 font whose descriptor carries a stub font program under `file_key`.
    fn embedded_font(doc: &mut Document, file_key: &str) -> ObjectId {
        let program = doc.add_object(Stream::new(dictionary! {}, b"stub program".to_vec()));
        let descriptor = doc.add_object(dictionary! {
            "Type" => "FontDescriptor",
            "FontName" => "ABCDEF+Stub",
            file_key => program,
        });
        doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "ABCDEF+Stub",
            "FontDescriptor" => descriptor,
        })
    }

    /// Resources with just an embedded font /F1.
    fn font_only(doc: &mut Document) -> Dictionary {
        let font = embedded_font(doc, "FontFile");
        dictionary! { "Font" => dictionary! { "F1" => font } }
    }

    #[test]
    fn rgb_black_unembedded_fails_print_with_both_problems() {
        let report = check_file(Path::new(RGB_FIXTURE), Profile::Print).expect("fixture reads");
        assert!(!report.passed());
        let fonts = check(&report, "fonts embedded");
        assert!(!fonts.passed && fonts.detail.contains("Helvetica"), "{fonts:?}");
        assert_eq!(report.fonts.len(), 1);
        assert!(!report.fonts[0].embedded);
        let text = check(&report, "text colour K-only");
        assert!(!text.passed && text.detail.contains("DeviceRGB 0 0 0"), "{text:?}");
        let rgb = check(&report, "no RGB colour");
        assert!(!rgb.passed && rgb.detail.contains("rg operator"), "{rgb:?}");
        assert!(!check(&report, "TrimBox on every page").passed);
        assert_eq!(report.pages[0].text_fill_colours, ["DeviceRGB 0 0 0"]);
        assert_eq!(report.pages[0].operators.rg, 1);
        assert_eq!(report.pages[0].paper.as_deref(), Some("A4"));
        assert_eq!(report.colour_spaces, ["DeviceRGB"]);
        let human = report.to_human();
        assert!(human.contains("✘ fonts embedded [error]"), "{human}");
        assert!(human.contains("✘ text colour K-only [error]"), "{human}");
        assert!(human.contains("FAIL"), "{human}");
    }

    #[test]
    fn rgb_black_unembedded_fails_screen_on_fonts_only() {
        let report = check_file(Path::new(RGB_FIXTURE), Profile::Screen).expect("fixture reads");
        let failed: Vec<&str> =
            report.checks.iter().filter(|c| !c.passed).map(|c| c.name.as_str()).collect();
        assert_eq!(failed, ["fonts embedded"]);
    }

    #[test]
    fn cmyk_spot_fixture_passes_print() {
        let report = check_file(Path::new(SPOT_FIXTURE), Profile::Print).expect("fixture reads");
        assert!(report.passed(), "{}", report.to_human());
        assert_eq!(report.spot_colours, ["红头"]);
        let page = &report.pages[0];
        assert_eq!(page.text_fill_colours, ["Separation 红头 1", "DeviceCMYK 0 0 0 1"]);
        assert_eq!(page.paper.as_deref(), Some("A4"));
        assert!(page.trim_box.is_some() && page.bleed_box.is_some());
        assert!(check(&report, "bleed and trim boxes").detail.contains("bleed 3 mm"));
        assert!(check(&report, "coloured text").detail.contains("Separation 红头 1"));
        assert_eq!(report.images.len(), 1);
        assert_eq!((report.images[0].ppi_x, report.images[0].ppi_y), (300.0, 300.0));
        assert_eq!(report.fonts.len(), 1);
        assert!(report.fonts[0].embedded && report.fonts[0].subtype == "Type3");
        assert!(check(&report, "images ≥ 300 ppi").passed);
    }

    #[test]
    fn k_only_text_with_embedded_font_passes_text_colour() {
        let pdf = lopdf_pdf("0 0 0 1 k BT /F1 12 Tf 72 700 Td (Hello) Tj ET", font_only);
        let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"/ObjStm") && has(b"/XRef"), "object and xref streams, as krilla writes");
        let report = check_bytes(&pdf, "k.pdf", Profile::Print).expect("lopdf PDF reads");
        assert!(check(&report, "text colour K-only").passed, "{}", report.to_human());
        let fonts = check(&report, "fonts embedded");
        assert!(fonts.passed && fonts.detail == "1 font, all embedded", "{fonts:?}");
        assert!(check(&report, "content readable").passed);
        assert!(check(&report, "no RGB colour").passed);
        assert_eq!(report.pages[0].text_fill_colours, ["DeviceCMYK 0 0 0 1"]);
        assert_eq!(report.pages[0].operators.k, 1);
    }

    #[test]
    fn rich_black_and_icc_gray_text_are_flagged() {
        let pdf = lopdf_pdf(
            "BT /F1 12 Tf 0.6 0.4 0.4 1 k (rich) Tj /c0 cs 0 scn (gray) Tj /c1 cs 0.8 0 0 scn \
             (red) Tj ET",
            |doc| {
                let font = embedded_font(doc, "FontFile3");
                let mut icc = |n: i64| {
                    let profile = doc.add_object(Stream::new(dictionary! { "N" => n }, vec![0]));
                    Object::Array(vec!["ICCBased".into(), profile.into()])
                };
                let (gray, rgb) = (icc(1), icc(3));
                dictionary! {
                    "Font" => dictionary! { "F1" => font },
                    "ColorSpace" => dictionary! { "c0" => gray, "c1" => rgb },
                }
            },
        );
        let report = check_bytes(&pdf, "typst-like.pdf", Profile::Print).expect("reads");
        assert_eq!(
            report.pages[0].text_fill_colours,
            ["DeviceCMYK 0.6 0.4 0.4 1", "ICCBased(1) 0", "ICCBased(3) 0.8 0 0"]
        );
        let text = check(&report, "text colour K-only");
        assert!(!text.passed);
        assert!(text.detail.contains("rich black"), "{text:?}");
        assert!(text.detail.contains("ICC-based gray, not pure K"), "{text:?}");
        assert!(text.detail.contains("RGB: ICCBased(3) 0.8 0 0 (p. 1)"), "{text:?}");
        let rgb = check(&report, "no RGB colour");
        assert!(
            !rgb.passed && rgb.detail.contains("ICCBased(3): colour space in the resources"),
            "{rgb:?}"
        );
        assert_eq!(report.colour_spaces, ["DeviceCMYK", "ICCBased(1)", "ICCBased(3)"]);
    }

    #[test]
    fn text_in_form_inherits_colour_and_images_get_ppi_from_ctm() {
        let pdf = lopdf_pdf("0.5 g /Fm Do", |doc| {
            let font = embedded_font(doc, "FontFile2");
            let image = doc.add_object(Stream::new(
                dictionary! {
                    "Type" => "XObject", "Subtype" => "Image", "Width" => 100, "Height" => 50,
                    "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8,
                },
                vec![0; 15000],
            ));
            let form = doc.add_object(Stream::new(
                dictionary! {
                    "Type" => "XObject", "Subtype" => "Form",
                    "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
                    "Matrix" => vec![2.into(), 0.into(), 0.into(), 2.into(), 0.into(), 0.into()],
                    "Resources" => dictionary! {
                        "Font" => dictionary! { "F1" => font },
                        "XObject" => dictionary! { "Im" => image },
                    },
                },
                b"BT /F1 9 Tf (x) Tj ET q 36 0 0 36 0 0 cm /Im Do Q".to_vec(),
            ));
            dictionary! { "XObject" => dictionary! { "Fm" => form } }
        });
        let report = check_bytes(&pdf, "form.pdf", Profile::Print).expect("reads");
        assert_eq!(report.pages[0].text_fill_colours, ["DeviceGray 0.5"]);
        // 100 px over 36 pt × 2 (form matrix) = 1 inch → 100 ppi; 50 px → 50 ppi.
        assert_eq!((report.images[0].ppi_x, report.images[0].ppi_y), (100.0, 50.0));
        assert!(!check(&report, "images ≥ 150 ppi").passed);
        let rgb = check(&report, "no RGB colour");
        assert!(rgb.detail.contains("image 100×50 px"), "{rgb:?}");
        assert_eq!(report.pages[0].operators.Do, 2);
    }

    #[test]
    fn jpeg_images_with_exif_are_reported_and_screen_files_are_named() {
        // SOI, APP1 "Exif", then SOS: a camera JPEG as Typst would pass it through.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x08];
        jpeg.extend_from_slice(b"Exif\0\0");
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9]);
        let clean = vec![0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x02, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9];
        let pdf = lopdf_pdf(
            "BT /F1 9 Tf 0.84 0 0.06 rg (x) Tj ET q 72 0 0 72 0 0 cm /A Do Q q 72 0 0 72 0 0 cm /B Do Q",
            |doc| {
                let font = embedded_font(doc, "FontFile2");
                let image = |doc: &mut Document, data: Vec<u8>| {
                    doc.add_object(Stream::new(
                        dictionary! {
                            "Type" => "XObject", "Subtype" => "Image", "Width" => 300, "Height" => 300,
                            "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "DCTDecode",
                        },
                        data,
                    ))
                };
                let a = image(doc, jpeg.clone());
                let b = image(doc, clean.clone());
                dictionary! {
                    "Font" => dictionary! { "F1" => font },
                    "XObject" => dictionary! { "A" => a, "B" => b },
                }
            },
        );
        let report = check_bytes(&pdf, "screen.pdf", Profile::Print).expect("reads");
        assert_eq!(report.images.iter().map(|i| i.metadata).collect::<Vec<_>>(), [true, false]);
        let meta = check(&report, "image metadata");
        assert!(!meta.passed && meta.detail.contains("300×300 px (p. 1)"), "{meta:?}");
        // Red RGB text is listed as coloured text, and the file is named a screen file.
        let coloured = check(&report, "coloured text");
        assert!(coloured.detail.contains("0.84"), "{coloured:?}");
        let note = report.note.as_deref().expect("a note");
        assert!(note.contains("screen file") && note.contains("--profile print"), "{note}");
        assert!(report.to_human().contains("carries metadata"));
    }

    #[test]
    fn pdfx_claim_without_intent_fails_and_pdfa_claim_is_read() {
        let mut doc =
            Document::load_mem(&lopdf_pdf("BT /F1 9 Tf (x) Tj ET", font_only)).expect("reads");
        let xmp = r#"<x:xmpmeta><rdf:RDF><rdf:Description pdfaid:part="2"
            pdfaid:conformance="B"/></rdf:RDF></x:xmpmeta>"#;
        let meta = doc.add_object(Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            xmp.as_bytes().to_vec(),
        ));
        let info = doc.add_object(dictionary! {
            "GTS_PDFXVersion" => Object::string_literal("PDF/X-4"),
        });
        doc.trailer.set("Info", info);
        let catalog_id = doc.trailer.get(b"Root").and_then(Object::as_reference).expect("root");
        doc.get_dictionary_mut(catalog_id).expect("catalog").set("Metadata", meta);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("saves");

        let print = check_bytes(&bytes, "x.pdf", Profile::Print).expect("reads");
        assert_eq!(print.pdfx.as_deref(), Some("PDF/X-4"));
        assert!(!check(&print, "PDF/X claim").passed);
        let archive = check_bytes(&bytes, "x.pdf", Profile::Archive).expect("reads");
        assert_eq!(archive.pdfa.as_deref(), Some("2B"));
        assert!(archive.passed(), "{}", archive.to_human());
    }

    #[test]
    fn archive_without_xmp_fails() {
        let report = check_file(Path::new(SPOT_FIXTURE), Profile::Archive).expect("reads");
        assert!(!check(&report, "PDF/A identification").passed);
        assert!(!report.passed());
    }

    #[test]
    fn xmp_values_as_elements_and_attributes() {
        let element = "<pdfaid:part>3</pdfaid:part><pdfaid:conformance>u</pdfaid:conformance>";
        assert_eq!(pdfa_claim(element).as_deref(), Some("3U"));
        assert_eq!(pdfa_claim(r#"<d pdfaid:part = '4' />"#).as_deref(), Some("4"));
        assert_eq!(pdfa_claim(r#"<d xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"/>"#), None);
    }

    #[test]
    fn decodes_escaped_utf8_names() {
        assert_eq!(decode_pdf_name("/#E7#BA#A2#E5#A4#B4"), "红头");
        assert_eq!(decode_pdf_name("PANTONE#20185#20C"), "PANTONE 185 C");
        assert_eq!(decode_pdf_name("/Bad#ZZ"), "Bad#ZZ");
        assert_eq!(name_to_string(&[0xB0, 0xA1]), "#B0#A1");
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        assert!(check_bytes(b"not a pdf", "junk", Profile::Print).is_err());
        assert!(check_bytes(b"", "empty", Profile::Print).is_err());
        let whole = std::fs::read(SPOT_FIXTURE).expect("fixture");
        for cut in [10, whole.len() / 3, whole.len() / 2, whole.len() - 40] {
            let _ = check_bytes(&whole[..cut], "cut", Profile::Print);
        }
    }

    #[test]
    fn broken_content_is_a_failed_check_keeping_what_came_before() {
        let pdf = lopdf_pdf("0 0 0 1 k BT /F1 9 Tf (ok) Tj ET 1 0 0 rg <<<< ]] (x) Tj", font_only);
        let report = check_bytes(&pdf, "broken.pdf", Profile::Print).expect("reads");
        let readable = check(&report, "content readable");
        assert!(!readable.passed && readable.detail.contains("cannot be parsed"), "{readable:?}");
        assert_eq!(report.pages[0].text_fill_colours, ["DeviceCMYK 0 0 0 1"]);
    }

    #[test]
    fn self_painting_form_is_reported_not_looped() {
        let mut doc = Document::load_mem(&lopdf_pdf("/Fm Do", font_only)).expect("reads");
        let form_id = doc.new_object_id();
        let form = Stream::new(
            dictionary! {
                "Subtype" => "Form",
                "Resources" => dictionary! { "XObject" => dictionary! { "Fm" => form_id } },
            },
            b"/Fm Do".to_vec(),
        );
        doc.objects.insert(form_id, Object::Stream(form));
        let page_id = doc.page_iter().next().expect("page");
        let page = doc.get_dictionary_mut(page_id).expect("page dict");
        page.set("Resources", dictionary! { "XObject" => dictionary! { "Fm" => form_id } });
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("saves");
        let report = check_bytes(&bytes, "loop.pdf", Profile::Screen).expect("reads");
        let readable = check(&report, "content readable");
        assert!(!readable.passed && readable.detail.contains("paints itself"), "{readable:?}");
    }

    #[test]
    fn json_uses_operator_names() {
        let report = check_file(Path::new(RGB_FIXTURE), Profile::Print).expect("reads");
        let json = serde_json::to_string_pretty(&[&report]).expect("serialises");
        assert!(json.contains("\"RG\": 0") && json.contains("\"rg\": 1"), "{json}");
        assert!(
            json.contains("\"severity\": \"error\"") && json.contains("\"profile\": \"print\"")
        );
    }

    #[test]
    fn page_ranges_are_compact() {
        let pages: BTreeSet<usize> = [1, 2, 3, 5].into();
        assert_eq!(page_ranges(&pages), "pp. 1–3, 5");
        assert_eq!(paper_name(297.0, 210.0).as_deref(), Some("A4 landscape"));
    }
}
