//! `jianbao ingest`: turns raw newspaper-page and government-web-page text
//! dumps into a draft manifest (articles with title, subtitle, byline,
//! outlet, date, county, themes, body, captions, source lines; figures with
//! label, value, unit and verbatim quote). This module owns decoding,
//! layout analysis, county resolution, theme tagging, figure extraction,
//! the draft's YAML and the scorer against hand labels. Each input format has
//! a reader ([`format`] tells which): text dumps ([`decode`] + [`layout`]),
//! Word documents ([`docx`]) and saved web pages ([`html`]); all yield the
//! same layout blocks to one splitter.
//!
//! Entry point: [`ingest`]; the draft's text is [`Draft::to_yaml`].

pub mod decode;
pub mod docx;
pub mod figures;
pub mod format;
pub mod html;
pub mod layout;
pub mod score;
pub mod themes;
pub mod yaml;

pub use score::{Labels, Score, score};
pub use themes::default_themes;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::gazetteer;

/// Options of `jianbao ingest`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestOptions {
    /// Forced input encoding label (`utf-8`, `gb18030`, `gbk`, `big5` …);
    /// `None` detects it per file.
    pub encoding: Option<String>,
    /// Extra themes (a manifest's `themes:` map): same-named built-in themes
    /// are replaced, new ones added.
    pub extra_themes: Vec<(String, Vec<String>)>,
    /// Folder, relative to the draft's folder, that pictures taken out of
    /// Word documents are written to (`draft-photos` for `draft.yaml`).
    pub photo_dir: String,
    /// The draft's folder, where pictures saved with a web page are looked
    /// for (input names are relative to it); `None` takes no local pictures.
    pub base: Option<std::path::PathBuf>,
}

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInput<'a> {
    /// File name relative to the draft's folder (written to `source.file`).
    pub name: String,
    /// The file's bytes.
    pub bytes: &'a [u8],
}

/// A file that could not be ingested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file's name as given.
    pub file: String,
    /// What went wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} (hint: {})", self.file, self.message, self.hint)
    }
}

/// Everything `ingest` produced.
#[derive(Debug, Clone, PartialEq)]
pub struct IngestReport {
    /// The draft manifest (articles of all files that could be read).
    pub draft: Draft,
    /// One entry per file that could not be ingested.
    pub errors: Vec<FileError>,
    /// Remarks worth showing the user (encodings, removed duplicates,
    /// guessed counties, headless articles).
    pub notes: Vec<String>,
    /// Pictures taken out of Word documents, to be written next to the draft:
    /// (path relative to the draft's folder, bytes).
    pub pictures: Vec<(String, Vec<u8>)>,
}

/// The placeholder `briefing:` block of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftBriefing {
    /// 简报名称 (placeholder 待填写).
    pub title: String,
    /// 编印单位 (placeholder 待填写).
    pub issuer: String,
    /// 期号.
    pub number: u32,
    /// Latest article date, or 2024-01-01.
    pub date: String,
}

/// `source:` of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRef {
    /// File name relative to the draft's folder.
    pub file: String,
    /// 1-based inclusive range: lines of a text dump, paragraphs of a Word
    /// document, lines of a web page's extracted text.
    pub lines: (usize, usize),
    /// What `lines` counts.
    pub unit: SpanUnit,
}

/// What the range of a [`SourceRef`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanUnit {
    /// Lines of the file (`source: { file, lines }`, which `check` verifies).
    Lines,
    /// Paragraphs of a Word document (written as a `note`).
    Paragraphs,
    /// Lines of the text extracted from a web page (written as a `note`).
    ExtractedLines,
}

/// A picture attached to a drafted article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftPhoto {
    /// Path relative to the draft's folder.
    pub file: String,
    /// Its caption, taken out of the body.
    pub caption: Option<String>,
}

/// One drafted article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftArticle {
    /// Stable id `aFFF-NN` (file index, article index within the file).
    pub id: String,
    /// Headline.
    pub title: String,
    /// Subtitle (——…).
    pub subtitle: Option<String>,
    /// Byline.
    pub byline: Option<String>,
    /// Outlet, when the text names it.
    pub outlet: Option<String>,
    /// Date YYYY-MM-DD, when the text states it (metadata or dateline).
    pub date: Option<String>,
    /// County-level division the article is mainly about.
    pub county: String,
    /// 0–3 themes.
    pub themes: Vec<String>,
    /// Body paragraphs, text as the source has it.
    pub body: Vec<String>,
    /// Photo captions with no picture.
    pub captions: Vec<String>,
    /// Pictures with their captions.
    pub photos: Vec<DraftPhoto>,
    /// The source cuts the article off.
    pub truncated: bool,
    /// Where it came from.
    pub source: SourceRef,
}

impl DraftArticle {
    /// The body as the manifest holds it: paragraphs separated by a blank line.
    pub fn body_text(&self) -> String {
        self.body.join("\n\n")
    }
}

/// One drafted figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftFigure {
    /// Id of the article whose body holds the quote.
    pub article: String,
    /// What it counts.
    pub label: String,
    /// The number as printed (substring of `quote`).
    pub value: String,
    /// Unit or measure word.
    pub unit: String,
    /// Verbatim clause of the article body.
    pub quote: String,
}

/// A draft manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Placeholder briefing block.
    pub briefing: DraftBriefing,
    /// Extra themes given in the options (written to `themes:`).
    pub themes: Vec<(String, Vec<String>)>,
    /// Articles in input order and reading order.
    pub articles: Vec<DraftArticle>,
    /// Figures.
    pub figures: Vec<DraftFigure>,
    /// Comment lines written at the top of the YAML.
    pub sources_comment: Vec<String>,
}

impl Draft {
    /// The complete manifest as YAML.
    pub fn to_yaml(&self) -> String {
        yaml::to_yaml(self)
    }
}

/// At most this many figures are drafted per article (a data panel needs
/// a handful; this also bounds memory on huge inputs).
pub const MAX_FIGURES_PER_ARTICLE: usize = 200;

fn hash_str(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Title for an article the page prints without a headline: its first
/// sentence, shortened.
fn title_from_body(body: &[String]) -> String {
    let first = body.first().map(String::as_str).unwrap_or("");
    let sentence: String = first
        .chars()
        .take_while(|c| !matches!(c, '。' | '！' | '？' | '，' | ',' | '；'))
        .take(30)
        .collect();
    if sentence.trim().is_empty() {
        "（无标题）".to_string()
    } else {
        sentence.trim().to_string()
    }
}

/// The folder, relative to the draft's folder, for pictures taken out of Word
/// documents: `<draft stem>-photos` (`ingest-photos` when the draft goes to stdout).
pub fn photo_dir_for(output: Option<&std::path::Path>) -> String {
    let stem = output
        .and_then(|o| o.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "ingest".to_string());
    format!("{stem}-photos")
}

/// Ingests several files; per-file errors are returned beside the successes.
pub fn ingest(inputs: &[SourceInput<'_>], opts: &IngestOptions) -> IngestReport {
    let theme_table = themes::merge_themes(default_themes(), &opts.extra_themes);
    let tagger = themes::ThemeTagger::new(&theme_table);
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    let mut articles: Vec<DraftArticle> = Vec::new();
    let mut figures_out: Vec<DraftFigure> = Vec::new();
    let mut comment = Vec::new();
    // Paragraph hash -> id of the first kept article holding it.
    let mut seen_paras: HashMap<u64, String> = HashMap::new();
    let mut pictures = Vec::new();
    for (fi, input) in inputs.iter().enumerate() {
        let read = match read_input(input, opts) {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        notes.extend(read.notes);
        pictures.extend(read.pictures);
        let raws = read.raws;
        let checker_lines = read.max_line;
        if raws.is_empty() {
            errors.push(FileError {
                file: input.name.clone(),
                message: "no article found".to_string(),
                hint: "the file holds no paragraph of running text; is it the right file?"
                    .to_string(),
            });
            continue;
        }
        comment.push(format!("{}: {} article(s), {}", &input.name, raws.len(), read.label));
        // Place context of the whole file.
        let mentions: Vec<[gazetteer::PlaceMentions; 3]> = raws
            .iter()
            .map(|r| {
                let mut title = r.title.clone();
                for extra in [&r.kicker, &r.subtitle].into_iter().flatten() {
                    title.push('\n');
                    title.push_str(extra);
                }
                [
                    gazetteer::scan_places(&title),
                    gazetteer::scan_places(&r.body.join("\n")),
                    gazetteer::scan_places(&r.captions.join("\n")),
                ]
            })
            .collect();
        let ctx = gazetteer::PlaceContext::from_mentions(mentions.iter().flat_map(|m| m.iter()));
        let last_index = raws.len().saturating_sub(1);
        let mut resolved: Vec<Option<gazetteer::Resolution>> = Vec::new();
        for m in &mentions {
            resolved.push(gazetteer::resolve(&m[0], &m[1], &m[2], &ctx));
        }
        // File-level fallback: the prefecture most of its articles are in.
        let mut pref_votes: BTreeMap<&str, usize> = BTreeMap::new();
        for r in resolved.iter().flatten() {
            if let Some(p) = &r.prefecture {
                *pref_votes.entry(p.as_str()).or_default() += 1;
            }
        }
        let mut pv: Vec<(&str, usize)> = pref_votes.into_iter().collect();
        pv.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let file_pref =
            pv.first().map(|(p, _)| (*p).to_string()).or_else(|| ctx.dominant_prefecture());
        for (ai, raw) in raws.into_iter().enumerate() {
            let id = format!("a{fi:03}-{:02}", ai + 1);
            let text_paras: Vec<&String> = raw
                .body
                .iter()
                .zip(&raw.body_is_heading)
                .filter(|(_, h)| !**h)
                .map(|(b, _)| b)
                .collect();
            // Whole-article duplicates (same article printed twice, or in two files).
            let total: usize = text_paras.iter().map(|p| p.len()).sum();
            let mut dup_chars = 0usize;
            let mut dup_of: BTreeMap<&str, usize> = BTreeMap::new();
            for p in &text_paras {
                if let Some(other) = seen_paras.get(&hash_str(&norm(p))) {
                    dup_chars += p.len();
                    *dup_of.entry(other.as_str()).or_default() += 1;
                }
            }
            if total > 0 && dup_chars * 10 >= total * 8 {
                let other = dup_of
                    .into_iter()
                    .max_by_key(|(k, v)| (*v, std::cmp::Reverse(*k)))
                    .map(|(k, _)| k.to_string());
                notes.push(format!(
                    "{}: lines {}-{} repeat article {} and were left out",
                    &input.name,
                    raw.lines.0,
                    raw.lines.1,
                    other.unwrap_or_default()
                ));
                continue;
            }
            for p in &text_paras {
                seen_paras.entry(hash_str(&norm(p))).or_insert_with(|| id.clone());
            }
            let mut title = raw.title.clone();
            if title.trim().is_empty() {
                title = title_from_body(&raw.body);
                notes.push(format!("{}: article {id} (line {}) has no headline; title taken from its first sentence", &&input.name, raw.lines.0));
            }
            let county = match resolved.get(ai).cloned().flatten() {
                Some(r) => r.county,
                None => match &file_pref {
                    Some(p) => {
                        notes.push(format!(
                            "{}: article {id} names no county; using the file's prefecture {p}",
                            &input.name
                        ));
                        p.clone()
                    }
                    None => {
                        notes.push(format!(
                            "{}: article {id} names no county; fill in `county`",
                            &input.name
                        ));
                        "待确认".to_string()
                    }
                },
            };
            let body_text = raw.body.join("\n");
            let mut theme_title = title.clone();
            if let Some(s) = &raw.subtitle {
                theme_title.push('\n');
                theme_title.push_str(s);
            }
            let themes = tagger.tag(&theme_title, &body_text);
            let last_text = text_paras.last().map(|s| s.as_str()).unwrap_or("");
            let truncated = (!layout::ends_complete(last_text) && !raw.ends_with_row)
                || raw.ends_with_bare_heading
                || last_text.ends_with('\u{FFFD}')
                || (read.cut_mid_char && ai == last_index);
            let mut fig_seen: HashSet<(String, String, String)> = HashSet::new();
            let mut kept = 0usize;
            let mut capped = false;
            for p in &text_paras {
                let budget = MAX_FIGURES_PER_ARTICLE.saturating_sub(kept);
                if budget == 0 {
                    capped = true;
                    break;
                }
                for f in figures::extract_limited(p, budget) {
                    if fig_seen.insert((f.value.clone(), f.unit.clone(), f.quote.clone())) {
                        kept += 1;
                        figures_out.push(DraftFigure {
                            article: id.clone(),
                            label: f.label,
                            value: f.value,
                            unit: f.unit,
                            quote: f.quote,
                        });
                    }
                }
            }
            if capped {
                notes.push(format!(
                    "{}: article {id} has more than {MAX_FIGURES_PER_ARTICLE} figures; only the first {MAX_FIGURES_PER_ARTICLE} are listed",
                    &input.name
                ));
            }
            articles.push(DraftArticle {
                id,
                title,
                subtitle: non_empty(raw.subtitle),
                byline: non_empty(raw.byline),
                outlet: non_empty(raw.outlet),
                date: raw.date,
                county,
                themes,
                body: raw.body,
                captions: raw.captions,
                photos: raw
                    .photos
                    .into_iter()
                    .map(|p| DraftPhoto { file: p.file, caption: p.caption })
                    .collect(),
                truncated,
                source: SourceRef {
                    file: input.name.clone(),
                    lines: {
                        let end = raw.lines.1.clamp(1, checker_lines);
                        (raw.lines.0.clamp(1, end), end)
                    },
                    unit: read.unit,
                },
            });
        }
    }
    let date = articles
        .iter()
        .filter_map(|a| a.date.clone())
        .max()
        .unwrap_or_else(|| "2024-01-01".to_string());
    let draft = Draft {
        briefing: DraftBriefing {
            title: "待填写".to_string(),
            issuer: "待填写".to_string(),
            number: 1,
            date,
        },
        themes: opts.extra_themes.clone(),
        articles,
        figures: figures_out,
        sources_comment: comment,
    };
    IngestReport { draft, errors, notes, pictures }
}

/// What a reader made of one input file.
struct ReadInput {
    raws: Vec<layout::RawArticle>,
    /// Encoding or format, for the draft's header comment.
    label: String,
    /// The input ended in the middle of a character.
    cut_mid_char: bool,
    /// Largest value `source.lines` may take.
    max_line: usize,
    unit: SpanUnit,
    notes: Vec<String>,
    pictures: Vec<(String, Vec<u8>)>,
}

/// Sends one input to the reader of its format.
fn read_input(input: &SourceInput<'_>, opts: &IngestOptions) -> Result<ReadInput, FileError> {
    match format::detect(&input.name, input.bytes) {
        format::Format::Refused(r) => {
            let (message, hint) = r.explain();
            Err(FileError {
                file: input.name.clone(),
                message: format!("this is {message}"),
                hint: hint.to_string(),
            })
        }
        format::Format::Docx => {
            let photo_dir = if opts.photo_dir.is_empty() { "photos" } else { &opts.photo_dir };
            let read = docx::read(&input.name, input.bytes, photo_dir).map_err(|message| {
                FileError {
                    file: input.name.clone(),
                    message,
                    hint: "open it in Word or WPS and save it again as .docx, or save it as plain text (.txt)".to_string(),
                }
            })?;
            Ok(ReadInput {
                raws: layout::analyse_blocks(read.blocks),
                label: "Word document".to_string(),
                cut_mid_char: false,
                max_line: read.paragraphs.max(1),
                unit: SpanUnit::Paragraphs,
                notes: read.notes,
                pictures: read.pictures,
            })
        }
        format::Format::Html => {
            let read = html::read(
                &input.name,
                input.bytes,
                opts.encoding.as_deref(),
                opts.base.as_deref(),
            )
            .map_err(|e| file_error(&input.name, &e))?;
            Ok(ReadInput {
                raws: layout::analyse_blocks(read.blocks),
                label: format!("web page, {}", read.encoding),
                cut_mid_char: false,
                max_line: read.lines.max(1),
                unit: SpanUnit::ExtractedLines,
                notes: read.notes,
                pictures: Vec::new(),
            })
        }
        format::Format::Text => read_text(input, opts),
    }
}

/// The text-dump reader: decode, number the lines, analyse the layout.
fn read_text(input: &SourceInput<'_>, opts: &IngestOptions) -> Result<ReadInput, FileError> {
    let decoded = decode::decode(input.bytes, opts.encoding.as_deref())
        .map_err(|e| file_error(&input.name, &e))?;
    let mut notes = Vec::new();
    if decoded.replacements > usize::from(decoded.cut_mid_char) {
        notes.push(format!(
            "{}: {} malformed byte sequence(s) replaced by U+FFFD (decoded as {}; use --encoding to force another)",
            &input.name, decoded.replacements, decoded.encoding
        ));
    }
    let lines = decode::split_lines(&decoded.text);
    // `jianbao check` counts lines as `str::lines` does on a lossy UTF-8
    // reading of the bytes; never point past that.
    let max_line = String::from_utf8_lossy(input.bytes).lines().count().max(1);
    Ok(ReadInput {
        raws: layout::analyse(&lines),
        label: decoded.encoding.to_string(),
        cut_mid_char: decoded.cut_mid_char,
        max_line,
        unit: SpanUnit::Lines,
        notes,
        pictures: Vec::new(),
    })
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn file_error(name: &str, e: &decode::DecodeError) -> FileError {
    let (message, hint) = match e {
        decode::DecodeError::Empty => {
            ("the file is empty".to_string(), "pass a text dump of a page".to_string())
        }
        decode::DecodeError::Binary => (
            "the file is not text (it holds NUL bytes or many control characters)".to_string(),
            "pass the page's text dump, not a PDF, image or word-processor file".to_string(),
        ),
        decode::DecodeError::UnknownEncoding(l) => (
            format!("unknown encoding `{l}`"),
            "use an encoding label such as utf-8, gb18030, gbk or big5".to_string(),
        ),
    };
    FileError { file: name.to_string(), message, hint }
}

#[cfg(test)]
mod tests;

/// Why a file given to `ingest` is not a page dump, if it is not: a manifest, YAML,
/// Markdown or JSON file (as `ingest seeds/*` would pass `manifest.yaml` and `README.md`).
pub fn not_a_page(name: &str, bytes: &[u8]) -> Option<&'static str> {
    let lower = name.to_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "yaml" | "yml" => return Some("a YAML file (a manifest?), not a page dump"),
        "md" | "markdown" => return Some("a Markdown file, not a page dump"),
        "json" => return Some("a JSON file, not a page dump"),
        _ => {}
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let manifest = head.lines().any(|l| l.starts_with("briefing:"))
        && head.lines().any(|l| l.starts_with("articles:"));
    manifest.then_some("a jianbao manifest, not a page dump")
}

#[cfg(test)]
mod skip_tests {
    use super::not_a_page;

    #[test]
    fn manifests_yaml_and_markdown_are_not_pages() {
        assert!(not_a_page("manifest.yaml", b"").is_some());
        assert!(not_a_page("README.md", b"# x").is_some());
        assert!(not_a_page("draft.txt", "briefing:\n  title: x\narticles:\n".as_bytes()).is_some());
        assert_eq!(not_a_page("000_992f.txt", "盐湖区召开会议。\n".as_bytes()), None);
    }
}
