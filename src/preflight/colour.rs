//! Colour spaces and paints as preflight sees them, the print rules for text colour
//! (K-only, coloured, or a problem), and the graphics state the content walk follows.

use super::human::fmt_num;

/// A colour space as far as preflight cares.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Cs {
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
    pub(super) fn label(&self) -> String {
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
    pub(super) fn is_rgb(&self) -> bool {
        match self {
            Cs::Rgb | Cs::CalRgb | Cs::Icc(3) => true,
            Cs::Indexed(base) => base.is_rgb(),
            Cs::Pattern(Some(base)) => base.is_rgb(),
            _ => false,
        }
    }

    /// The colour a space starts with after `cs` (ISO 32000-1, 8.6.8).
    pub(super) fn initial(&self) -> Vec<f64> {
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
pub(super) struct Paint {
    pub(super) cs: Cs,
    pub(super) comps: Vec<f64>,
    pub(super) pattern: Option<String>,
}

/// Whether a text colour is acceptable for print.
pub(super) enum TextVerdict {
    /// Black or gray on the K plate only.
    KOnly,
    /// Deliberately coloured: process colour without K, or a spot colour.
    Coloured,
    /// Not acceptable; the reason.
    Problem(&'static str),
}

impl Paint {
    pub(super) fn new(cs: Cs) -> Self {
        let comps = cs.initial();
        Paint { cs, comps, pattern: None }
    }

    pub(super) fn label(&self) -> String {
        let nums: Vec<String> = self.comps.iter().map(|v| fmt_num(*v, 4)).collect();
        let nums = nums.join(" ");
        let head = match &self.cs {
            Cs::Separation(name) => format!("Separation {name}"),
            Cs::Pattern(_) => format!("Pattern /{}", self.pattern.as_deref().unwrap_or("?")),
            cs => cs.label(),
        };
        if nums.is_empty() { head } else { format!("{head} {nums}") }
    }

    pub(super) fn comp(&self, i: usize) -> f64 {
        self.comps.get(i).copied().unwrap_or(0.0)
    }

    pub(super) fn text_verdict(&self) -> TextVerdict {
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
pub(super) struct GState {
    pub(super) ctm: [f64; 6],
    pub(super) fill: Paint,
    pub(super) stroke: Paint,
    pub(super) render_mode: i64,
}

impl GState {
    pub(super) fn new(ctm: [f64; 6]) -> Self {
        GState { ctm, fill: Paint::new(Cs::Gray), stroke: Paint::new(Cs::Gray), render_mode: 0 }
    }
}

pub(super) const IDENTITY: [f64; 6] = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` applied first, then `n` (the PDF convention `m × n`).
pub(super) fn mul(m: &[f64; 6], n: &[f64; 6]) -> [f64; 6] {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}
