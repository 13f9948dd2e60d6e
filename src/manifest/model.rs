//! The checked manifest: owned, validated types that every later stage relies on.
//!
//! Nothing here can be built except by [`crate::manifest::load`], which validates the
//! whole manifest first; so a [`Manifest`] always has unique article ids, figures that
//! point at existing articles with quotes found in their bodies, and so on.

use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

use crate::diag::SourceText;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    /// Year, e.g. 2024.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYY年M月D日`), checking the day exists.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let parts: Vec<&str> =
            s.split(['-', '/', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
        let [y, m, d] = parts.as_slice() else { return None };
        let year: i32 = y.parse().ok()?;
        let month: u8 = m.parse().ok()?;
        let day: u8 = d.parse().ok()?;
        if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let month_name = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month_name, day).ok()?;
        Some(Date { year, month, day })
    }

    /// `2024-03-05`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `2024年3月5日`, the form GB/T 9704 uses (no leading zeros).
    pub fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// Seconds since the Unix epoch at 00:00 UTC of this date.
    pub fn unix_seconds(&self) -> i64 {
        let month = time::Month::try_from(self.month).unwrap_or(time::Month::January);
        time::Date::from_calendar_date(self.year, month, self.day)
            .map_or(0, |d| d.midnight().assume_utc().unix_timestamp())
    }
}

/// Which design the briefing uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// GB/T 9704 geometry and fonts, for print.
    #[default]
    Official,
    /// More white space and a sans-serif data panel, for screens and internal circulation.
    Modern,
}

/// Text that came from the manifest, with the place it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Byte range in the manifest.
    pub span: Range<usize>,
}

/// The briefing's fixed facts: name, issuer, issue number, date, distribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Briefing {
    /// 简报名称.
    pub title: String,
    /// 编印单位.
    pub issuer: String,
    /// 期号.
    pub number: u32,
    /// 总第N期.
    pub total_number: Option<u32>,
    /// 印发日期.
    pub date: Date,
    /// A mark such as 内部资料 注意保存.
    pub classification: Option<String>,
    /// 编者按, a minijinja template.
    pub editor_note: Option<Located<String>>,
    /// 报.
    pub report_to: Vec<String>,
    /// 送.
    pub send_to: Vec<String>,
    /// 发.
    pub issue_to: Vec<String>,
    /// 共印N份.
    pub copies: Option<u32>,
    /// Printed on one side only: the 报尾 need not end on an even page.
    pub single_sided: bool,
    /// Most key figures in the 数据速览 panel (default 8).
    pub max_figures: Option<u32>,
    /// Squeeze mid-line punctuation to fit lines (a house style; off in the official style).
    pub squeeze_punctuation: bool,
}

/// Where an article came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    /// The file, relative to the manifest's folder.
    pub file: String,
    /// First and last line, 1-based, inclusive.
    pub lines: (u32, u32),
}

/// One selected article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Unique id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Subtitle (——…).
    pub subtitle: Option<String>,
    /// Byline.
    pub byline: Option<String>,
    /// Newspaper or website.
    pub outlet: Option<String>,
    /// Publication date.
    pub date: Option<Date>,
    /// County-level division the article is about.
    pub county: String,
    /// Themes.
    pub themes: Vec<String>,
    /// Paragraphs of the body, each with its lines joined.
    pub paragraphs: Vec<String>,
    /// Photo captions.
    pub captions: Vec<String>,
    /// Photos placed with the article, checked.
    pub photos: Vec<Photo>,
    /// The source cuts the article off.
    pub truncated: bool,
    /// Ends at a full sentence before the source does: printed with （节选）.
    pub excerpt: bool,
    /// Where it came from: provenance only, never printed (`None` when `source` is left
    /// out or is only a note).
    pub source: Option<SourceRef>,
    /// `source: { note: … }`, e.g. 县委组织部来稿.
    pub source_note: Option<String>,
    /// The article's entry in the manifest (bytes), so a problem in its text is shown
    /// in it.
    pub span: Range<usize>,
}

/// One key figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// Index into [`Manifest::articles`].
    pub article: usize,
    /// What it counts.
    pub label: String,
    /// The number as printed.
    pub value: String,
    /// Unit or measure word.
    pub unit: String,
    /// The sentence fragment that states it.
    pub quote: String,
    /// Figures sharing this key are comparable and drawn as one chart.
    pub compare: Option<String>,
    /// `chart: false` keeps this figure out of charts.
    pub chart: bool,
}

/// What one entry of `outputs` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputKind {
    /// The whole issue.
    Issue,
    /// One document per county that has articles.
    County,
    /// One document per listed theme (every theme used when the list is empty).
    Theme(Vec<String>),
    /// One document with the articles that match any of the filters.
    Select {
        /// Name of the selection, available to patterns as `name`.
        name: String,
        /// Counties to include.
        counties: Vec<String>,
        /// Themes to include.
        themes: Vec<String>,
        /// Article ids to include.
        articles: Vec<String>,
    },
}

/// One entry of `outputs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    /// What to make.
    pub kind: OutputKind,
    /// File name pattern (minijinja).
    pub file: Located<String>,
    /// Optional masthead title pattern (minijinja).
    pub title: Option<Located<String>>,
    /// Optional 期号 line pattern (minijinja), e.g. `增刊` or `专辑第2期`; the default is
    /// 第N期（总第N期） for the issue and 第N期摘编 for an edition drawn from it.
    pub number_line: Option<Located<String>>,
    /// The themes, counties and article ids the entry lists, with where they are written.
    pub listed: Vec<Located<String>>,
}

/// How the masthead red is printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RedInk {
    /// A named spot colour (a Separation in the PDF) with a CMYK alternate.
    Spot,
    /// Process CMYK (M80 Y80, as GB/T 9704 asks of red ink).
    Cmyk,
}

/// The manifest's `print:` block: how `--profile print` files are made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrintSettings {
    /// Bleed on every side, in millimetres (0: the layout has white margins).
    pub bleed_mm: f64,
    /// Draw crop marks outside the bleed.
    pub crop_marks: bool,
    /// How the red is printed.
    pub red: RedInk,
    /// Name of the red spot colour.
    pub spot_name: String,
    /// How photos are printed.
    pub photos: PhotoInk,
    /// Keep the red for inner rules, card numerals and chart bars (full-colour printing).
    pub inner_red: bool,
}

impl Default for PrintSettings {
    fn default() -> Self {
        Self {
            bleed_mm: 0.0,
            crop_marks: false,
            red: RedInk::Spot,
            spot_name: "Red".into(),
            inner_red: false,
            photos: PhotoInk::default(),
        }
    }
}

/// How photos are printed in `--profile print` files (`print: photos:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PhotoInk {
    /// Black ink only (K plate), for the usual two-colour 简报 press (black plus the red).
    #[default]
    Grey,
    /// Four-colour process.
    Cmyk,
}

/// How wide a photo is placed (`size:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PhotoSize {
    /// The type area's width.
    #[default]
    Full,
    /// Half of it (two fit in a row).
    Half,
    /// A width in tenths of a millimetre.
    Tenths(u32),
}

/// The file format of a photo, read from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhotoFormat {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP.
    Webp,
}

/// One checked photo of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    /// The file as written in the manifest.
    pub file: String,
    /// Where `file` is written in the manifest.
    pub span: Range<usize>,
    /// The file, resolved inside the root.
    pub path: PathBuf,
    /// The ▲/图为 caption.
    pub caption: Option<String>,
    /// The photographer's credit, e.g. 特约摄影 解建国 摄.
    pub credit: Option<String>,
    /// Placed width.
    pub size: PhotoSize,
    /// SHA-256 of the file's bytes (hex).
    pub digest: String,
    /// Format, from the content.
    pub format: PhotoFormat,
    /// Width in pixels as displayed (after the EXIF orientation).
    pub width: u32,
    /// Height in pixels as displayed.
    pub height: u32,
    /// The file's size and time when this build looked at it (for the build record, so
    /// that a later build need not read it again; see [`crate::manifest::known`]).
    pub seen: Option<crate::manifest::known::Seen>,
}

/// A validated manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The manifest file.
    pub path: PathBuf,
    /// The manifest's folder: source files are relative to it.
    pub dir: PathBuf,
    /// The folder source files may not leave (`--root`; the manifest's folder by default).
    pub root: PathBuf,
    /// Names accepted as `county` that are not county-level divisions (a city, a 片区).
    pub groupings: Vec<String>,
    /// The manifest text, for diagnostics that point into it.
    pub source: SourceText,
    /// Fixed facts.
    pub briefing: Briefing,
    /// Design.
    pub style: Style,
    /// Theme keyword table.
    pub themes: Vec<(String, Vec<String>)>,
    /// Print settings.
    pub print: PrintSettings,
    /// Articles in manifest order.
    pub articles: Vec<Article>,
    /// Figures in manifest order.
    pub figures: Vec<Figure>,
    /// Requested outputs.
    pub outputs: Vec<OutputSpec>,
    /// A proof build (`build --proof`), not read from the manifest: editing notes print,
    /// every page is marked as a proof, and the files are named NAME-proof.pdf.
    pub proof: bool,
}

impl Manifest {
    /// Counties in order of first appearance.
    pub fn counties(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for a in &self.articles {
            if !out.contains(&a.county.as_str()) {
                out.push(&a.county);
            }
        }
        out
    }

    /// Themes in order of first appearance.
    pub fn used_themes(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in self.articles.iter().flat_map(|a| &a.themes) {
            if !out.contains(&t.as_str()) {
                out.push(t);
            }
        }
        out
    }
}

/// The figures of a document's panel, as indexes into `m.figures`: at most `max_figures`
/// (8 by default), taken in turn from its articles (the first figure of each article, then
/// the second, …) so that one long article does not fill the panel, and shown in manifest
/// order. The editor's note counts these, so it never promises more than the page shows.
pub fn panel_figures(m: &Manifest, articles: &[usize]) -> Vec<usize> {
    let cap = m.briefing.max_figures.map_or(DEFAULT_MAX_FIGURES, |n| n as usize);
    let mut per_article: Vec<Vec<usize>> = Vec::new();
    for &a in articles {
        per_article.push((0..m.figures.len()).filter(|&i| m.figures[i].article == a).collect());
    }
    let mut chosen = Vec::new();
    let mut round = 0;
    while chosen.len() < cap && per_article.iter().any(|f| f.len() > round) {
        for f in &per_article {
            if chosen.len() < cap
                && let Some(&i) = f.get(round)
            {
                chosen.push(i);
            }
        }
        round += 1;
    }
    chosen.sort_unstable();
    chosen
}

/// Key figures in the 数据速览 panel when the manifest does not say (`max_figures`).
pub const DEFAULT_MAX_FIGURES: usize = 8;

/// The marks an editor puts in a title where its line must break: `|` or `｜`. They are
/// never printed.
pub const TITLE_BREAKS: [char; 2] = ['|', '｜'];

/// A title without its break marks.
pub fn strip_title_breaks(title: &str) -> String {
    title.replace(TITLE_BREAKS, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2024-02-29").map(|d| d.chinese()), Some("2024年2月29日".into()));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2024年3月5日").map(|d| d.iso()), Some("2024-03-05".into()));
        assert_eq!(Date::parse("yesterday"), None);
        assert_eq!(Date::parse("1970-01-02").map(|d| d.unix_seconds()), Some(86_400));
        assert_eq!(Date::parse("2024-03-05").map(|d| d.unix_seconds()), Some(1_709_596_800));
    }
}
