//! The report preflight returns for one PDF: pages, fonts, colours, images, claims and
//! the checks run, serialised as-is for `preflight --format json`.

use serde::Serialize;

use super::Profile;

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
    pub(super) fn new(
        name: &str,
        passed: bool,
        severity: Severity,
        detail: impl Into<String>,
    ) -> Self {
        Check { name: name.to_owned(), passed, severity, detail: detail.into() }
    }

    pub(super) fn info(name: &str, detail: impl Into<String>) -> Self {
        Check::new(name, true, Severity::Info, detail)
    }
}

impl FileReport {
    /// True when no check of [`Severity::Error`] failed.
    pub fn passed(&self) -> bool {
        !self.checks.iter().any(|c| !c.passed && c.severity == Severity::Error)
    }
}
