//! The data each document's template reads from `/data.json`: the job's slice of the
//! manifest, with every string cleaned by [`crate::normalize`], grouped by county, and
//! with the key figures and comparison charts worked out.
//!
//! This is the one surface between our code and the Typst templates; it is
//! snapshot-tested so every change a template sees arrives as a reviewed diff.

use serde::Serialize;

use crate::manifest::{
    Article, Manifest, RedInk, Style, TITLE_BREAKS, panel_figures, strip_title_breaks,
};
use crate::plan::{Job, JobKind};
use crate::profile::Profile;

/// Everything a template gets.
#[derive(Debug, Clone, Serialize)]
pub struct DocData {
    /// Design and document kind.
    pub meta: Meta,
    /// Masthead and distribution block.
    pub briefing: BriefingData,
    /// Whether to print a table of contents.
    pub contents: bool,
    /// Articles grouped by county.
    pub groups: Vec<Group>,
    /// Key figures of the document's articles.
    pub figures: Vec<FigureData>,
    /// Comparisons of one label across counties.
    pub charts: Vec<Chart>,
}

/// Document-level switches.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// `official` or `modern`.
    pub style: Style,
    /// `issue`, `county`, `theme` or `select`.
    pub kind: &'static str,
    /// Output file name.
    pub file: String,
    /// Whether groups get county headings.
    pub county_headings: bool,
    /// `screen`, `print` or `archive`.
    pub profile: Profile,
    /// Colour model for print and archive files (none: screen colours).
    pub colours: Option<Colours>,
    /// Page boxes for print files.
    pub print: Option<PrintLayout>,
    /// Keep the red for inner rules, numerals and bars (official style; `print.inner_red`).
    pub inner_red: bool,
    /// One-sided job: the 报尾 need not end on an even page (`briefing.single_sided`).
    pub single_sided: bool,
    /// A proof: editing notes print, marked as a proof. Release files never show them.
    pub proof: bool,
    /// Squeeze mid-line punctuation to fit lines (`briefing.squeeze_punctuation`).
    pub squeeze_punctuation: bool,
}

/// How colours are written for a profile.
#[derive(Debug, Clone, Serialize)]
pub struct Colours {
    /// `print`: K-only black and a spot or CMYK red; `archive`: calibrated RGB and grey.
    pub model: &'static str,
    /// How the red is printed.
    pub red: RedInk,
    /// Name of the red spot colour.
    pub red_name: String,
}

/// Bleed and crop marks of a print file.
#[derive(Debug, Clone, Serialize)]
pub struct PrintLayout {
    /// Bleed on every side (mm).
    pub bleed_mm: f64,
    /// Extra space outside the bleed for crop marks (mm; 0 without marks).
    pub marks_mm: f64,
    /// Whether to draw crop marks.
    pub crop_marks: bool,
}

impl PrintLayout {
    /// The print geometry the manifest asks for: the one place bleed and marks are
    /// worked out, for the template's page and for the TrimBox and BleedBox declared
    /// after it.
    pub fn of(print: &crate::manifest::PrintSettings) -> PrintLayout {
        PrintLayout {
            bleed_mm: print.bleed_mm,
            marks_mm: if print.crop_marks { MARKS_MM } else { 0.0 },
            crop_marks: print.crop_marks,
        }
    }
}

/// Space outside the bleed that holds crop marks, in millimetres.
pub const MARKS_MM: f64 = 12.0;

/// Masthead and 报尾 facts.
#[derive(Debug, Clone, Serialize)]
pub struct BriefingData {
    /// The masthead title of this document.
    pub title: String,
    /// The briefing's own name.
    pub name: String,
    /// The grouping line (e.g. 盐湖区专辑).
    pub subtitle: Option<String>,
    /// 编印单位.
    pub issuer: String,
    /// 期号.
    pub number: u32,
    /// 总第N期.
    pub total_number: Option<u32>,
    /// The 期号 line as printed: 第3期（总第57期） for the issue, 第3期摘编 for an edition
    /// drawn from it (a county 专辑, a theme 专题, a selection), which has no number of its
    /// own and must not repeat the issue's in the filing register.
    pub number_line: String,
    /// Date as 2024年3月5日.
    pub date: String,
    /// Date as 2024-03-05.
    pub date_iso: String,
    /// Mark top-left.
    pub classification: Option<String>,
    /// 编者按.
    pub editor_note: Option<Vec<String>>,
    /// 报.
    pub report_to: Vec<String>,
    /// 送.
    pub send_to: Vec<String>,
    /// 发.
    pub issue_to: Vec<String>,
    /// 共印N份.
    pub copies: Option<u32>,
}

/// Articles of one county.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// County name.
    pub county: String,
    /// Its articles.
    pub articles: Vec<ArticleData>,
}

/// One article, cleaned.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleData {
    /// Id.
    pub id: String,
    /// Headline (without break marks).
    pub title: String,
    /// The headline's lines where the manifest marks its breaks with `|` (see
    /// [`title_lines`]); otherwise the template balances the lines itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_lines: Option<Vec<String>>,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Byline, outlet and date on one line.
    pub source_line: Option<String>,
    /// County.
    pub county: String,
    /// Themes.
    pub themes: Vec<String>,
    /// Paragraphs.
    pub paragraphs: Vec<String>,
    /// Photo captions.
    pub captions: Vec<String>,
    /// Cut off in the source.
    pub truncated: bool,
    /// Ends before the source does, marked （节选）.
    pub excerpt: bool,
    /// The line that ends a reprint in the official style, in place of newspaper bylines:
    /// （来源：《运城日报》）, or （节选自《…》） for an excerpt, or （节选）.
    pub source_note: Option<String>,
    /// Photos, in manifest order.
    pub photos: Vec<PhotoData>,
    /// Set the photos two per row as a 图片新闻 block.
    pub photo_spread: bool,
}

/// One photo as placed.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoData {
    /// The processed image's path in the Typst world (never the original file).
    pub path: String,
    /// Placed width in millimetres.
    pub width_mm: f64,
    /// Caption.
    pub caption: Option<String>,
    /// Credit.
    pub credit: Option<String>,
}

/// One key figure.
#[derive(Debug, Clone, Serialize)]
pub struct FigureData {
    /// What it counts.
    pub label: String,
    /// As printed.
    pub value: String,
    /// Unit.
    pub unit: String,
    /// The number for charts, if the value has one.
    pub number: Option<f64>,
    /// County of its article.
    pub county: String,
    /// Id of its article.
    pub article: String,
    /// Title of its article.
    pub article_title: String,
    /// The sentence it comes from.
    pub quote: String,
    /// Its `compare:` key, if it is drawn in a comparison chart.
    pub compare: Option<String>,
    /// The value is approximate (余, 多, 约, 近, 超, 逾).
    pub approximate: bool,
}

/// A bar chart comparing one label across counties.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// What is compared.
    pub label: String,
    /// Unit.
    pub unit: String,
    /// The `compare:` key the figures share.
    pub compare: String,
    /// Some bar is approximate.
    pub approximate: bool,
    /// One bar per county.
    pub bars: Vec<Bar>,
}

/// One bar.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// County.
    pub county: String,
    /// As printed.
    pub value: String,
    /// Length.
    pub number: f64,
    /// The value is approximate: the bar is drawn as an outline.
    pub approximate: bool,
}

/// A string handed to the template, with where it came from (for glyph checks).
#[derive(Debug, Clone)]
pub struct FieldRef {
    /// Article id, or `briefing`.
    pub owner: String,
    /// Field name.
    pub field: &'static str,
    /// The text as set (normalized).
    pub text: String,
}

/// Builds the data of one job; returns it with the number of punctuation/space changes
/// the normalizer made and every string for the glyph check.
pub fn build(
    m: &Manifest,
    job: &Job,
    profile: Profile,
) -> (DocData, Vec<crate::normalize::Change>, Vec<FieldRef>) {
    let mut cx = Cleaner::default();
    let b = &m.briefing;
    let briefing = BriefingData {
        title: cx.clean("briefing", "title", &job.title),
        name: cx.clean("briefing", "title", &b.title),
        subtitle: job.subtitle.as_deref().map(|s| cx.clean("briefing", "subtitle", s)),
        issuer: cx.clean("briefing", "issuer", &b.issuer),
        number: b.number,
        total_number: b.total_number,
        number_line: match &job.number_line {
            Some(line) => cx.clean("briefing", "number_line", line),
            None => number_line(b.number, b.total_number, job.kind == JobKind::Issue),
        },
        date: b.date.chinese(),
        date_iso: b.date.iso(),
        classification: b
            .classification
            .as_deref()
            .map(|s| cx.clean("briefing", "classification", s)),
        editor_note: job.editor_note.as_deref().map(|note| {
            crate::manifest::split_paragraphs(note)
                .iter()
                .map(|p| cx.clean("briefing", "editor_note", p))
                .collect()
        }),
        report_to: b.report_to.iter().map(|s| cx.clean("briefing", "report_to", s)).collect(),
        send_to: b.send_to.iter().map(|s| cx.clean("briefing", "send_to", s)).collect(),
        issue_to: b.issue_to.iter().map(|s| cx.clean("briefing", "issue_to", s)).collect(),
        copies: b.copies,
    };

    let mut groups: Vec<Group> = Vec::new();
    for &i in &job.articles {
        let a = &m.articles[i];
        let mut data = article(&mut cx, a, m.style);
        data.photo_spread = crate::photo::is_spread(&a.photos, &a.paragraphs);
        data.photos = a
            .photos
            .iter()
            .map(|p| {
                let mm = crate::photo::placed_mm(p, m.style, data.photo_spread);
                let target = crate::photo::Target::new(p, mm, profile, m.print.photos);
                PhotoData {
                    path: target.path(),
                    width_mm: mm,
                    caption: p.caption.as_deref().map(|c| cx.clean(&a.id, "photo caption", c)),
                    credit: p.credit.as_deref().map(|c| cx.clean(&a.id, "photo credit", c)),
                }
            })
            .collect();
        match groups.iter_mut().find(|g| g.county == a.county) {
            Some(g) => g.articles.push(data),
            None => groups
                .push(Group { county: cx.clean(&a.id, "county", &a.county), articles: vec![data] }),
        }
    }

    let panel = panel_figures(m, &job.articles);
    let mut all: Vec<(usize, FigureData)> = Vec::new();
    for (i, f) in m.figures.iter().enumerate() {
        if !job.articles.contains(&f.article) {
            continue;
        }
        let a = &m.articles[f.article];
        all.push((
            i,
            FigureData {
                label: cx.clean(&a.id, "figure label", &f.label),
                value: arabic_value(&cx.clean(&a.id, "figure value", &f.value)),
                unit: cx.clean(&a.id, "figure unit", &f.unit),
                number: parse_number(&f.value),
                county: a.county.clone(),
                article: a.id.clone(),
                article_title: cx.clean(&a.id, "title", &strip_title_breaks(&a.title)),
                quote: cx.clean(&a.id, "figure quote", &f.quote),
                compare: f.compare.clone().filter(|_| f.chart),
                approximate: is_approximate(&f.value),
            },
        ));
    }
    // Charts compare all of the document's figures; the panel shows the capped few.
    let charts = charts(&all.iter().map(|(_, f)| f.clone()).collect::<Vec<_>>());
    let figures: Vec<FigureData> =
        all.into_iter().filter(|(i, _)| panel.contains(i)).map(|(_, f)| f).collect();
    let article_count = job.articles.len();
    let data = DocData {
        meta: Meta {
            style: m.style,
            kind: job.kind.as_str(),
            file: job.file_name.clone(),
            county_headings: !matches!(job.kind, JobKind::County(_)) && groups.len() > 1,
            profile,
            colours: match profile {
                Profile::Screen => None,
                Profile::Print | Profile::Archive => Some(Colours {
                    model: if profile == Profile::Print { "print" } else { "archive" },
                    red: m.print.red.clone(),
                    red_name: m.print.spot_name.clone(),
                }),
            },
            print: (profile == Profile::Print).then(|| PrintLayout::of(&m.print)),
            inner_red: m.print.inner_red,
            single_sided: b.single_sided,
            proof: m.proof,
            squeeze_punctuation: b.squeeze_punctuation,
        },
        briefing,
        contents: article_count > 4,
        groups,
        figures,
        charts,
    };
    (data, cx.changes, cx.fields)
}

/// The 期号 line. Derived editions are labelled as drawn from the issue (第3期摘编): they
/// carry no serial number of their own, and repeating 总第57期 on each would make
/// fourteen documents collide in the filing register.
fn number_line(number: u32, total: Option<u32>, issue: bool) -> String {
    if !issue {
        return format!("第{number}期摘编");
    }
    match total {
        Some(t) => format!("第{number}期（总第{t}期）"),
        None => format!("第{number}期"),
    }
}

/// A figure value with Chinese numerals written in Arabic ones, as the panel's other
/// figures are (GB/T 15835: one style within a panel): 五 → 5, 百余 → 100余, 十余 → 10余.
/// Values of ten thousand and more keep their 万/亿 form.
pub fn arabic_value(value: &str) -> String {
    let han: String =
        value.chars().take_while(|c| "零〇一二两三四五六七八九十百千".contains(*c)).collect();
    if han.is_empty() {
        return value.to_string();
    }
    match chinese_number(&han) {
        Some(n) if n < 10_000.0 => format!("{}{}", n as u64, &value[han.len()..]),
        _ => value.to_string(),
    }
}

/// Newspaper furniture at the start of a reprint (本报讯（记者 …）) that a 简报 drops.
fn strip_dateline(p: &str) -> &str {
    let Some(rest) = p.strip_prefix("本报讯") else { return p };
    let rest = rest.trim_start();
    let rest = match rest.strip_prefix('（') {
        Some(inner) => match inner.find('）') {
            Some(end) => &inner[end + '）'.len_utf8()..],
            None => rest,
        },
        None => rest,
    };
    let rest = rest.trim_start_matches(['　', ' ', '：', '，']);
    if rest.is_empty() { p } else { rest }
}

fn article(cx: &mut Cleaner, a: &Article, style: Style) -> ArticleData {
    let id = a.id.as_str();
    let mut source_line = Vec::new();
    if let Some(outlet) = &a.outlet {
        source_line.push(cx.clean(id, "outlet", outlet));
    }
    if let Some(date) = &a.date {
        source_line.push(date.chinese());
    }
    if let Some(byline) = &a.byline {
        source_line.push(cx.clean(id, "byline", byline));
    }
    // The official style prints a reprint's source once, at its end, in place of the
    // newspaper's byline; the modern style keeps the byline line.
    let official = style == Style::Official;
    let outlet = a.outlet.as_deref().map(|o| cx.clean(id, "outlet", o));
    let source_note = if !official {
        None
    } else {
        match (&outlet, a.excerpt) {
            (Some(o), false) => Some(format!("（来源：《{}》）", o.trim_matches(['《', '》']))),
            (Some(o), true) => Some(format!("（节选自《{}》）", o.trim_matches(['《', '》']))),
            (None, true) => Some("（节选）".to_string()),
            (None, false) => None,
        }
    };
    let title_lines = title_lines(&a.title)
        .map(|lines| lines.iter().map(|l| cx.clean(id, "title", l)).collect::<Vec<_>>());
    ArticleData {
        id: a.id.clone(),
        title: cx.clean(id, "title", &strip_title_breaks(&a.title)),
        title_lines,
        subtitle: a.subtitle.as_deref().map(|s| cx.clean(id, "subtitle", s)),
        source_line: (!source_line.is_empty()).then(|| source_line.join("　")),
        county: a.county.clone(),
        themes: a.themes.iter().map(|t| cx.clean(id, "themes", t)).collect(),
        paragraphs: a
            .paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let p = cx.clean(id, "body", p);
                if official && i == 0 { strip_dateline(&p).to_string() } else { p }
            })
            .collect(),
        captions: a.captions.iter().map(|c| cx.clean(id, "captions", c)).collect(),
        truncated: a.truncated,
        excerpt: a.excerpt,
        source_note,
        photos: Vec::new(),
        photo_spread: false,
    }
}

/// A title's lines, where the title marks its breaks (`临猗县七级镇：创新机制聚合力|基层治理添动能`);
/// `None` when it has no mark.
pub fn title_lines(title: &str) -> Option<Vec<String>> {
    if !title.contains(TITLE_BREAKS) {
        return None;
    }
    let lines: Vec<String> = title
        .split(TITLE_BREAKS)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    (!lines.is_empty()).then_some(lines)
}

#[derive(Default)]
struct Cleaner {
    changes: Vec<crate::normalize::Change>,
    fields: Vec<FieldRef>,
}

impl Cleaner {
    fn clean(&mut self, owner: &str, field: &'static str, text: &str) -> String {
        let n = crate::normalize::normalize(text);
        self.changes.extend(n.changes);
        self.fields.push(FieldRef { owner: owner.to_string(), field, text: n.text.clone() });
        break_long_runs(&n.text)
    }
}

/// Typst breaks lines only at spaces and between CJK characters, so a long run of
/// Latin letters, digits or symbols (a URL, a serial number, garbage from a scraper)
/// would run into the margin. Such runs get a zero-width space every 20 characters,
/// which allows a break there and prints nothing.
fn break_long_runs(text: &str) -> String {
    const LONG: usize = 40;
    const EVERY: usize = 20;
    let breakable = |c: char| {
        c.is_whitespace()
            || ('\u{2e80}'..='\u{9fff}').contains(&c)
            || ('\u{ff00}'..='\u{ffef}').contains(&c)
    };
    let mut run = 0;
    let mut longest = 0;
    for c in text.chars() {
        run = if breakable(c) { 0 } else { run + 1 };
        longest = longest.max(run);
    }
    if longest <= LONG {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + text.len() / EVERY * 3);
    let mut run = 0;
    for c in text.chars() {
        if breakable(c) {
            run = 0;
        } else {
            if run > 0 && run % EVERY == 0 {
                out.push('\u{200b}');
            }
            run += 1;
        }
        out.push(c);
    }
    out
}

/// True when a value is not exact: 余, 多, 约, 近, 超 or 逾 qualify it.
pub fn is_approximate(value: &str) -> bool {
    value.contains(['余', '多', '约', '近', '超', '逾'])
}

/// One chart per `compare:` key that at least two counties' figures share; figures
/// without a key, or with `chart: false`, are never drawn.
fn charts(figures: &[FigureData]) -> Vec<Chart> {
    let mut charts: Vec<Chart> = Vec::new();
    for f in figures {
        let Some(number) = f.number else { continue };
        let Some(key) = &f.compare else { continue };
        let chart = match charts.iter_mut().find(|c| &c.compare == key) {
            Some(c) => c,
            None => {
                charts.push(Chart {
                    label: f.label.clone(),
                    unit: f.unit.clone(),
                    compare: key.clone(),
                    approximate: false,
                    bars: Vec::new(),
                });
                charts.last_mut().expect("just pushed")
            }
        };
        if !chart.bars.iter().any(|b| b.county == f.county) {
            chart.approximate |= f.approximate;
            chart.bars.push(Bar {
                county: f.county.clone(),
                value: f.value.clone(),
                number,
                approximate: f.approximate,
            });
        }
    }
    charts.retain(|c| c.bars.len() >= 2);
    charts
}

/// The number in a printed value: `1300余` → 1300, `3.5万` → 35000, `85%` → 85,
/// `百余` → 100, `五` → 5; `None` when there is none.
pub fn parse_number(value: &str) -> Option<f64> {
    let v = value.trim().trim_start_matches(['约', '近', '超', '逾', '共', '达']);
    let digits: String =
        v.chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',').collect();
    let (mut n, rest) = if digits.chars().any(|c| c.is_ascii_digit()) {
        (digits.replace(',', "").parse::<f64>().ok()?, &v[digits.len()..])
    } else {
        let han: String =
            v.chars().take_while(|c| "零〇一二两三四五六七八九十百千万亿".contains(*c)).collect();
        if han.is_empty() {
            return None;
        }
        let rest = &v[han.len()..];
        (chinese_number(&han)?, rest)
    };
    if rest.starts_with('万') {
        n *= 10_000.0;
    } else if rest.starts_with('亿') {
        n *= 100_000_000.0;
    }
    Some(n)
}

fn chinese_number(s: &str) -> Option<f64> {
    let digit = |c: char| {
        "零一二三四五六七八九".find(c).map(|i| (i / 3) as f64).or(match c {
            '〇' => Some(0.0),
            '两' => Some(2.0),
            _ => None,
        })
    };
    let (mut total, mut section, mut current) = (0.0, 0.0, 0.0);
    for c in s.chars() {
        if let Some(d) = digit(c) {
            current = d;
            continue;
        }
        let unit = match c {
            '十' => 10.0,
            '百' => 100.0,
            '千' => 1000.0,
            '万' => 10_000.0,
            '亿' => 100_000_000.0,
            _ => return None,
        };
        if unit >= 10_000.0 {
            section = (section + current) * unit;
            total += section;
            section = 0.0;
        } else {
            section += if current == 0.0 { 1.0 } else { current } * unit;
        }
        current = 0.0;
    }
    let n = total + section + current;
    (n > 0.0).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::parse_number;

    #[test]
    fn long_runs_get_break_opportunities() {
        let long = "x".repeat(45);
        let broken = super::break_long_runs(&long);
        assert_eq!(broken.matches('\u{200b}').count(), 2);
        assert_eq!(broken.replace('\u{200b}', ""), long);
        let short = "https://example.org/a 中文";
        assert_eq!(super::break_long_runs(short), short);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("1300余"), Some(1300.0));
        assert_eq!(parse_number("3.5万"), Some(35_000.0));
        assert_eq!(parse_number("85%"), Some(85.0));
        assert_eq!(parse_number("百余"), Some(100.0));
        assert_eq!(parse_number("五"), Some(5.0));
        assert_eq!(parse_number("二十三"), Some(23.0));
        assert_eq!(parse_number("1,300"), Some(1300.0));
        assert_eq!(parse_number("约200"), Some(200.0));
        assert_eq!(parse_number("若干"), None);
    }
}
