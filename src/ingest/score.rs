//! Scoring `ingest` against hand labels (tests/fixtures/ingest/NAME.yaml):
//! the label types, one-to-one matching of articles and figures per file,
//! and a per-file and overall report.

use super::Draft;
use serde::{Deserialize, Deserializer};
use std::fmt;

/// Hand labels of one source file.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Labels {
    /// Source file name (matched on its last path component).
    pub file: String,
    /// Real articles in reading order.
    #[serde(default)]
    pub articles: Vec<LabelArticle>,
    /// Figures worth a data panel.
    #[serde(default)]
    pub figures: Vec<LabelFigure>,
    /// Junk in the source (tags, spam, navigation, viewer chrome): text that
    /// must appear in no title, subtitle, byline, body or caption of the draft.
    #[serde(default)]
    pub junk: Vec<String>,
}

/// One labelled article.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct LabelArticle {
    /// Headline.
    #[serde(default, deserialize_with = "stringish")]
    pub title: String,
    /// County-level division it is about.
    #[serde(default, deserialize_with = "stringish")]
    pub county: String,
    /// First characters of the first body paragraph.
    #[serde(default, deserialize_with = "stringish")]
    pub body_start: String,
    /// Whether the source cuts it off.
    #[serde(default)]
    pub truncated: Option<bool>,
    /// Captions of its pictures (Word documents and web pages), in order.
    #[serde(default)]
    pub photos: Vec<String>,
}

/// One labelled figure.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct LabelFigure {
    /// Number as printed.
    #[serde(deserialize_with = "stringish")]
    pub value: String,
    /// Unit or measure word.
    #[serde(default, deserialize_with = "stringish")]
    pub unit: String,
    /// Clause holding it.
    #[serde(default, deserialize_with = "stringish")]
    pub quote: String,
}

/// Accepts a string or a number (a label may write `value: 91`).
fn stringish<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or a number")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
    }
    d.deserialize_any(V)
}

/// Matched/total counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Items in both.
    pub matched: usize,
    /// Items the draft has.
    pub drafted: usize,
    /// Items the labels have.
    pub labelled: usize,
}

impl Counts {
    /// matched / drafted (1 when nothing was drafted).
    pub fn precision(&self) -> f64 {
        if self.drafted == 0 { 1.0 } else { self.matched as f64 / self.drafted as f64 }
    }
    /// matched / labelled (1 when nothing was labelled).
    pub fn recall(&self) -> f64 {
        if self.labelled == 0 { 1.0 } else { self.matched as f64 / self.labelled as f64 }
    }
    fn add(&mut self, o: &Counts) {
        self.matched += o.matched;
        self.drafted += o.drafted;
        self.labelled += o.labelled;
    }
}

/// Scores of one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileScore {
    /// File name.
    pub file: String,
    /// Articles.
    pub articles: Counts,
    /// Matched articles whose county is right.
    pub county_right: usize,
    /// Matched articles whose `truncated` flag agrees with a label that states it.
    pub truncated_right: usize,
    /// Matched articles whose label states `truncated`.
    pub truncated_labelled: usize,
    /// Figures.
    pub figures: Counts,
    /// Labelled pictures drafted in their article with the right caption.
    pub photos_right: usize,
    /// Labelled pictures.
    pub photos_labelled: usize,
    /// Labelled junk strings found in the draft.
    pub junk_leaked: usize,
    /// Labelled junk strings.
    pub junk_labelled: usize,
    /// Human-readable misses (for tuning).
    pub misses: Vec<String>,
}

/// Scores per file and overall.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    /// Per file, in label order.
    pub files: Vec<FileScore>,
    /// All files together.
    pub overall: FileScore,
}

impl Score {
    /// Article precision over all files.
    pub fn article_precision(&self) -> f64 {
        self.overall.articles.precision()
    }
    /// Article recall over all files.
    pub fn article_recall(&self) -> f64 {
        self.overall.articles.recall()
    }
    /// County accuracy over matched articles.
    pub fn county_accuracy(&self) -> f64 {
        ratio(self.overall.county_right, self.overall.articles.matched)
    }
    /// Figure precision over all files.
    pub fn figure_precision(&self) -> f64 {
        self.overall.figures.precision()
    }
    /// Figure recall over all files.
    pub fn figure_recall(&self) -> f64 {
        self.overall.figures.recall()
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn base(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

fn first_chars(s: &str, n: usize) -> String {
    s.chars().filter(|c| !c.is_whitespace()).take(n).collect()
}

/// Scores a draft against labels: an article matches a label when the
/// titles are equal after trimming or the body starts with `body_start`; a
/// figure matches when value and unit are equal and one quote contains the
/// other. Matching is one-to-one, per file.
pub fn score(labels: &[Labels], draft: &Draft) -> Score {
    let mut out = Score::default();
    out.overall.file = "overall".to_string();
    for l in labels {
        let file = base(&l.file);
        let arts: Vec<&super::DraftArticle> =
            draft.articles.iter().filter(|a| base(&a.source.file) == file).collect();
        let ids: Vec<&str> = arts.iter().map(|a| a.id.as_str()).collect();
        let figs: Vec<&super::DraftFigure> =
            draft.figures.iter().filter(|f| ids.contains(&f.article.as_str())).collect();
        let mut fs = FileScore { file: file.to_string(), ..FileScore::default() };
        fs.articles.drafted = arts.len();
        fs.articles.labelled = l.articles.len();
        let mut used = vec![false; arts.len()];
        for la in &l.articles {
            let want_start = first_chars(&la.body_start, la.body_start.chars().count().max(1));
            let n = want_start.chars().count();
            let found = arts.iter().enumerate().position(|(i, a)| {
                if used.get(i).copied().unwrap_or(true) {
                    return false;
                }
                if !la.title.trim().is_empty() && a.title.trim() == la.title.trim() {
                    return true;
                }
                // The body's first characters; labels keep a leading 本报讯(…)
                // byline or ▲ caption, which the draft moves out of the body.
                let first = a.body.first().map(String::as_str).unwrap_or("");
                let with_byline = format!("{}{}", a.byline.as_deref().unwrap_or(""), first);
                let first_caption = a.captions.first().map(String::as_str).unwrap_or("");
                !want_start.is_empty()
                    && [first, with_byline.as_str(), first_caption]
                        .iter()
                        .any(|c| first_chars(c, n) == want_start)
            });
            match found {
                Some(i) => {
                    if let Some(u) = used.get_mut(i) {
                        *u = true;
                    }
                    fs.articles.matched += 1;
                    let Some(a) = arts.get(i) else { continue };
                    // A label's "" (no single county: a city-level item) agrees
                    // with a draft county that is not a county-level division
                    // (the prefecture fallback or the placeholder).
                    let agree = if la.county.trim().is_empty() {
                        super::gazetteer::Gazetteer::get().lookup(&a.county).is_empty()
                    } else {
                        a.county.trim() == la.county.trim()
                    };
                    if agree {
                        fs.county_right += 1;
                    } else {
                        fs.misses.push(format!(
                            "county: {} -> {} (label {})",
                            la.title, a.county, la.county
                        ));
                    }
                    let mut drafted: Vec<&str> =
                        a.photos.iter().map(|p| p.caption.as_deref().unwrap_or("")).collect();
                    for want in &la.photos {
                        fs.photos_labelled += 1;
                        match drafted.iter().position(|c| c.trim() == want.trim()) {
                            Some(k) => {
                                drafted.remove(k);
                                fs.photos_right += 1;
                            }
                            None => fs.misses.push(format!("photo caption missed: {want}")),
                        }
                    }
                    if let Some(t) = la.truncated {
                        fs.truncated_labelled += 1;
                        if t == a.truncated {
                            fs.truncated_right += 1;
                        } else {
                            fs.misses.push(format!(
                                "truncated: {} -> {} (label {t})",
                                la.title, a.truncated
                            ));
                        }
                    }
                }
                None => fs.misses.push(format!("article missed: {} / {}", la.title, la.body_start)),
            }
        }
        for (i, a) in arts.iter().enumerate() {
            if !used.get(i).copied().unwrap_or(true) {
                fs.misses.push(format!(
                    "article extra: {} ({}:{}-{})",
                    a.title, a.id, a.source.lines.0, a.source.lines.1
                ));
            }
        }
        fs.junk_labelled = l.junk.len();
        for j in &l.junk {
            let j = j.trim();
            let leaked = arts.iter().find(|a| {
                let mut texts = vec![a.title.as_str()];
                texts.extend([&a.subtitle, &a.byline].into_iter().flatten().map(String::as_str));
                texts.extend(a.body.iter().map(String::as_str));
                texts.extend(a.captions.iter().map(String::as_str));
                texts.extend(a.photos.iter().filter_map(|p| p.caption.as_deref()));
                !j.is_empty() && texts.iter().any(|t| t.contains(j))
            });
            if let Some(a) = leaked {
                fs.junk_leaked += 1;
                fs.misses.push(format!("junk leaked: «{j}» in {} {}", a.id, a.title));
            }
        }
        fs.figures.drafted = figs.len();
        fs.figures.labelled = l.figures.len();
        let mut fused = vec![false; figs.len()];
        for lf in &l.figures {
            let found = figs.iter().enumerate().position(|(i, f)| {
                !fused.get(i).copied().unwrap_or(true)
                    && f.value.trim() == lf.value.trim()
                    && f.unit.trim() == lf.unit.trim()
                    && (f.quote.contains(lf.quote.trim()) || lf.quote.contains(f.quote.trim()))
            });
            match found {
                Some(i) => {
                    if let Some(u) = fused.get_mut(i) {
                        *u = true;
                    }
                    fs.figures.matched += 1;
                }
                None => {
                    fs.misses.push(format!("figure missed: {}{} «{}»", lf.value, lf.unit, lf.quote))
                }
            }
        }
        for (i, f) in figs.iter().enumerate() {
            if !fused.get(i).copied().unwrap_or(true) {
                fs.misses.push(format!("figure extra: {}{} «{}»", f.value, f.unit, f.quote));
            }
        }
        out.overall.articles.add(&fs.articles);
        out.overall.figures.add(&fs.figures);
        out.overall.county_right += fs.county_right;
        out.overall.photos_right += fs.photos_right;
        out.overall.photos_labelled += fs.photos_labelled;
        out.overall.junk_leaked += fs.junk_leaked;
        out.overall.junk_labelled += fs.junk_labelled;
        out.overall.truncated_right += fs.truncated_right;
        out.overall.truncated_labelled += fs.truncated_labelled;
        out.files.push(fs);
    }
    out
}

impl fmt::Display for FileScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<28} articles P {:.2} R {:.2} ({}/{}/{})  county {:.2} ({}/{})  truncated {}/{}  figures P {:.2} R {:.2} ({}/{}/{})  photos {}/{}  junk leaked {}/{}",
            self.file,
            self.articles.precision(),
            self.articles.recall(),
            self.articles.matched,
            self.articles.drafted,
            self.articles.labelled,
            ratio(self.county_right, self.articles.matched),
            self.county_right,
            self.articles.matched,
            self.truncated_right,
            self.truncated_labelled,
            self.figures.precision(),
            self.figures.recall(),
            self.figures.matched,
            self.figures.drafted,
            self.figures.labelled,
            self.photos_right,
            self.photos_labelled,
            self.junk_leaked,
            self.junk_labelled,
        )
    }
}

/// The input format of a labelled file, by its extension: `text`, `docx` or `html`.
pub fn format_of(file: &str) -> &'static str {
    let lower = base(file).to_ascii_lowercase();
    if lower.ends_with(".docx") {
        "docx"
    } else if lower.ends_with(".html") || lower.ends_with(".htm") {
        "html"
    } else {
        "text"
    }
}

impl Score {
    /// The files' scores added up per input format, in the order text, docx, html.
    pub fn by_format(&self) -> Vec<(&'static str, usize, FileScore)> {
        let mut out = Vec::new();
        for format in ["text", "docx", "html"] {
            let mut sum = FileScore { file: format.to_string(), ..FileScore::default() };
            let mut n = 0;
            for fs in self.files.iter().filter(|f| format_of(&f.file) == format) {
                n += 1;
                sum.articles.add(&fs.articles);
                sum.figures.add(&fs.figures);
                sum.county_right += fs.county_right;
                sum.truncated_right += fs.truncated_right;
                sum.truncated_labelled += fs.truncated_labelled;
                sum.photos_right += fs.photos_right;
                sum.photos_labelled += fs.photos_labelled;
                sum.junk_leaked += fs.junk_leaked;
                sum.junk_labelled += fs.junk_labelled;
            }
            if n > 0 {
                out.push((format, n, sum));
            }
        }
        out
    }

    /// A Markdown table of the scores per input format.
    pub fn format_table(&self) -> String {
        let mut t = String::from(
            "| format | files | articles found / labelled (extra) | county right | figures right / labelled (extra) | photos with the right caption | junk leaked |\n| --- | --- | --- | --- | --- | --- | --- |\n",
        );
        for (format, n, s) in self.by_format() {
            let name = match format {
                "docx" => "Word `.docx`",
                "html" => "web page `.html`",
                _ => "text dump",
            };
            let photos = if s.photos_labelled == 0 {
                "–".to_string()
            } else {
                format!("{} / {}", s.photos_right, s.photos_labelled)
            };
            t.push_str(&format!(
                "| {name} | {n} | {} / {} ({}) | {} / {} | {} / {} ({}) | {photos} | {} of {} junk strings |\n",
                s.articles.matched,
                s.articles.labelled,
                s.articles.drafted - s.articles.matched,
                s.county_right,
                s.articles.matched,
                s.figures.matched,
                s.figures.labelled,
                s.figures.drafted - s.figures.matched,
                s.junk_leaked,
                s.junk_labelled,
            ));
        }
        t
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "(counts are matched/drafted/labelled)")?;
        for fs in &self.files {
            writeln!(f, "{fs}")?;
            for m in &fs.misses {
                writeln!(f, "    {m}")?;
            }
        }
        write!(f, "{}", self.overall)
    }
}
