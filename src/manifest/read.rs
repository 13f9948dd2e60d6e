//! Field-by-field reading of the manifest's node tree into owned values.
//!
//! Each mapping is read through [`Fields`], which records missing required fields,
//! wrong types and unknown keys, and carries on, so one run reports every problem.
//! Values that later checks refer back to keep their byte spans ([`Located`]).

use super::fields;
use super::model::*;
use super::yaml::{Fields, Node, Reader, SNode};

/// An article as read, with the spans validation needs.
pub struct RawArticle {
    pub article: Article,
    pub id: Located<String>,
    pub body: Located<String>,
    pub file: Option<Located<String>>,
    pub lines: Option<Located<(u32, u32)>>,
    pub photos: Vec<super::photos::PhotoEntry>,
    pub county: Located<String>,
    /// How the body's lines were taken as paragraphs, when the rule for bodies
    /// without blank lines applied.
    pub paragraph_rule: Option<ParagraphRule>,
}

/// A figure as read, with the spans validation needs.
pub struct RawFigure {
    pub article: Located<String>,
    pub label: String,
    pub value: Located<String>,
    pub unit: String,
    pub quote: Located<String>,
    pub compare: Option<Located<String>>,
    pub chart: bool,
}

/// The manifest as read, before checks across fields.
pub struct RawManifest {
    pub briefing: Briefing,
    pub style: Style,
    pub themes: Vec<(String, Vec<String>)>,
    pub print: PrintSettings,
    pub articles: Vec<RawArticle>,
    pub articles_span: std::ops::Range<usize>,
    pub figures: Vec<RawFigure>,
    pub outputs: Vec<OutputSpec>,
    /// Names used as `county` that are not county-level divisions, with where they are.
    pub groupings: Vec<Located<String>>,
    /// False when the briefing or the style could not be read (already reported): the
    /// other fields are still checked, but no manifest is made.
    pub complete: bool,
    /// Ids of articles that have an id but could not be read, so figures that refer to
    /// them are not reported a second time.
    pub broken_ids: Vec<String>,
}

fn located(r: &Reader, node: &SNode, value: String) -> Located<String> {
    Located { value, span: r.span_of(node) }
}

/// Reads the top-level mapping.
pub fn manifest(r: &mut Reader, node: &SNode) -> Option<RawManifest> {
    if let Node::Seq(_) = node.value {
        r.error_at(
            node,
            "the manifest is a list, but it must be a mapping",
            "start the file with `briefing:` at the left margin, not with `- `",
        );
        return None;
    }
    let mut f = r.fields(node, &fields::MANIFEST)?;
    let briefing = f.required(r, "briefing").and_then(|n| briefing(r, n));
    let style = match f.get("style") {
        None => Some(Style::Official),
        Some(n) => match r.string(n, "style").as_deref() {
            Some("official") => Some(Style::Official),
            Some("modern") => Some(Style::Modern),
            Some(other) => {
                r.error_at(
                    n,
                    format!("unknown style `{other}`"),
                    "use `official` (GB/T 9704, for print) or `modern`",
                );
                None
            }
            None => None,
        },
    };
    let themes = f.get("themes").map(|n| themes(r, n)).unwrap_or_default();
    let print = f.get("print").map(|n| print(r, n)).unwrap_or_default();
    let groupings = match f.get("groupings") {
        Some(n) => r
            .list(n, "groupings")
            .unwrap_or_default()
            .iter()
            .filter_map(|i| r.text(i, "groupings").map(|s| located(r, i, s)))
            .collect(),
        None => Vec::new(),
    };
    let mut articles_span = 0..0;
    let mut broken_ids = Vec::new();
    let articles = match f.required(r, "articles") {
        Some(n) => {
            articles_span = r.span_of(n);
            let items = r.list(n, "articles").unwrap_or_default();
            if items.is_empty() && matches!(n.value, Node::Seq(_) | Node::Null) {
                r.error_at(n, "`articles` is empty", "a briefing needs at least one article");
            }
            // Each article's entry runs from its `-` to the next one's (the last to the
            // next top-level key), so its problems can be shown inside it.
            let starts: Vec<usize> = items.iter().map(|i| r.span_of(i).start).collect();
            let block_end = starts.last().map_or(0, |&s| top_level_end(&r.source().text, s));
            let mut out = Vec::new();
            for (k, item) in items.iter().enumerate() {
                match article(r, item) {
                    Some(mut a) => {
                        let end = starts.get(k + 1).copied().unwrap_or(block_end);
                        a.article.span = starts[k]..end.max(starts[k]);
                        out.push(a)
                    }
                    None => broken_ids.extend(article_id(item)),
                }
            }
            out
        }
        None => Vec::new(),
    };
    let figures = match f.get("figures") {
        Some(n) => {
            r.list(n, "figures").unwrap_or_default().iter().filter_map(|i| figure(r, i)).collect()
        }
        None => Vec::new(),
    };
    let outputs = match f.get("outputs") {
        Some(n) => {
            r.list(n, "outputs").unwrap_or_default().iter().filter_map(|i| output(r, i)).collect()
        }
        None => vec![OutputSpec {
            kind: OutputKind::Issue,
            file: Located { value: DEFAULT_ISSUE_PATTERN.into(), span: 0..0 },
            title: None,
            number_line: None,
            listed: Vec::new(),
        }],
    };
    f.finish(r);
    // A briefing or style that could not be read is already reported; the rest is
    // still checked in this run (so a bad date does not hide a wrong figure), and
    // `complete` keeps the manifest from being used.
    let complete = briefing.is_some() && style.is_some();
    Some(RawManifest {
        briefing: briefing.unwrap_or_else(unread_briefing),
        style: style.unwrap_or_default(),
        complete,
        themes,
        print,
        articles,
        articles_span,
        figures,
        outputs,
        groupings,
        broken_ids,
    })
}

/// The id of an article mapping, read without reporting anything.
fn article_id(node: &SNode) -> Option<String> {
    let Node::Map(entries) = &node.value else { return None };
    entries.iter().find(|(k, _)| k.value == "id").and_then(|(_, v)| match &v.value {
        Node::Str(s) => Some(s.clone()),
        Node::Int(i) => Some(i.to_string()),
        _ => None,
    })
}

/// Stands in for a briefing that could not be read, so the checks after it still run;
/// never reaches a document (the manifest is refused when it is used).
fn unread_briefing() -> Briefing {
    Briefing {
        title: String::new(),
        issuer: String::new(),
        number: 1,
        total_number: None,
        date: Date { year: 2000, month: 1, day: 1 },
        classification: None,
        editor_note: None,
        report_to: Vec::new(),
        send_to: Vec::new(),
        issue_to: Vec::new(),
        copies: None,
        single_sided: false,
        max_figures: None,
        squeeze_punctuation: false,
    }
}

/// File name pattern used when the manifest has no `outputs`.
pub const DEFAULT_ISSUE_PATTERN: &str = "{{ title }}-第{{ number }}期.pdf";

fn briefing(r: &mut Reader, node: &SNode) -> Option<Briefing> {
    let mut f = r.fields(node, &fields::BRIEFING)?;
    let title = f.required(r, "title").and_then(|n| r.text(n, "title"));
    let issuer = f.required(r, "issuer").and_then(|n| r.text(n, "issuer"));
    let number = f.required(r, "number").and_then(|n| r.positive(n, "number"));
    let total_number = f.get("total_number").and_then(|n| r.positive(n, "total_number"));
    let date = f.required(r, "date").and_then(|n| date(r, n, "date"));
    let classification = f.get("classification").and_then(|n| r.text(n, "classification"));
    let editor_note =
        f.get("editor_note").and_then(|n| r.text(n, "editor_note").map(|s| located(r, n, s)));
    let report_to = f.get("report_to").map(|n| r.string_list(n, "report_to")).unwrap_or_default();
    let send_to = f.get("send_to").map(|n| r.string_list(n, "send_to")).unwrap_or_default();
    let issue_to = f.get("issue_to").map(|n| r.string_list(n, "issue_to")).unwrap_or_default();
    let copies = f.get("copies").and_then(|n| r.positive(n, "copies"));
    let single_sided =
        f.get("single_sided").and_then(|n| r.boolean(n, "single_sided")).unwrap_or(false);
    let max_figures = f.get("max_figures").and_then(|n| r.positive(n, "max_figures"));
    let squeeze_punctuation = f
        .get("squeeze_punctuation")
        .and_then(|n| r.boolean(n, "squeeze_punctuation"))
        .unwrap_or(false);
    f.finish(r);
    Some(Briefing {
        title: title?,
        issuer: issuer?,
        number: number?,
        total_number,
        date: date?,
        classification,
        editor_note,
        report_to,
        send_to,
        issue_to,
        copies,
        single_sided,
        max_figures,
        squeeze_punctuation,
    })
}

fn print(r: &mut Reader, node: &SNode) -> PrintSettings {
    let mut settings = PrintSettings::default();
    let Some(mut f) = r.fields(node, &fields::PRINT) else { return settings };
    if let Some(n) = f.get("bleed") {
        match &n.value {
            Node::Int(i) if (0..=20).contains(i) => settings.bleed_mm = *i as f64,
            Node::Float(x) if (0.0..=20.0).contains(x) => settings.bleed_mm = *x,
            _ => r.error_at(
                n,
                "`bleed` must be a number of millimetres from 0 to 20",
                "e.g. `bleed: 3`",
            ),
        }
    }
    if let Some(n) = f.get("crop_marks")
        && let Some(b) = r.boolean(n, "crop_marks")
    {
        settings.crop_marks = b;
    }
    if let Some(n) = f.get("red") {
        match r.string(n, "red").as_deref() {
            Some("spot") => settings.red = RedInk::Spot,
            Some("cmyk") => settings.red = RedInk::Cmyk,
            Some(other) => r.error_at(
                n,
                format!("unknown red ink `{other}`"),
                "use `spot` (a named spot colour) or `cmyk` (process M80 Y80)",
            ),
            None => {}
        }
    }
    if let Some(n) = f.get("inner_red")
        && let Some(b) = r.boolean(n, "inner_red")
    {
        settings.inner_red = b;
    }
    if let Some(n) = f.get("spot_name")
        && let Some(name) = r.text(n, "spot_name")
    {
        settings.spot_name = name;
    }
    if let Some(n) = f.get("photos") {
        match r.string(n, "photos").as_deref() {
            Some("grey") | Some("gray") => settings.photos = PhotoInk::Grey,
            Some("cmyk") => settings.photos = PhotoInk::Cmyk,
            Some(other) => r.error_at(
                n,
                format!("unknown photo ink `{other}`"),
                "use `grey` (black ink only, the default) or `cmyk` (four-colour process)",
            ),
            None => {}
        }
    }
    f.finish(r);
    settings
}

fn date(r: &mut Reader, node: &SNode, field: &str) -> Option<Date> {
    let text = r.string(node, field)?;
    let d = Date::parse(&text);
    if d.is_none() {
        r.error_at(
            node,
            format!("`{field}` is not a valid date: \"{text}\""),
            "write dates as YYYY-MM-DD, e.g. 2024-03-05",
        );
    }
    d
}

fn themes(r: &mut Reader, node: &SNode) -> Vec<(String, Vec<String>)> {
    match &node.value {
        Node::Map(entries) => {
            // A key is a theme's name: kept as written (`y`, not `true`).
            entries
                .iter()
                .map(|(k, v)| {
                    let name = r.written(k).unwrap_or(&k.value).to_string();
                    (name, r.string_list(v, "themes"))
                })
                .collect()
        }
        other => {
            r.error_at(
                node,
                format!("`themes` must map each theme to its keywords, not {}", other.kind()),
                "e.g. `themes: { 网格治理: [网格员, 网格化] }`",
            );
            Vec::new()
        }
    }
}

/// The end of the block that holds byte `from`: the start of the next line that begins
/// a top-level key (or the end of the text).
fn top_level_end(text: &str, from: usize) -> usize {
    let from = from.min(text.len());
    let mut offset = text.get(..from).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
    let mut lines = text[offset..].split_inclusive('\n');
    if let Some(first) = lines.next() {
        offset += first.len();
    }
    for line in lines {
        if line.starts_with(|c: char| !c.is_whitespace() && c != '-' && c != '#') {
            return offset;
        }
        offset += line.len();
    }
    text.len()
}

fn article(r: &mut Reader, node: &SNode) -> Option<RawArticle> {
    let mut f = r.fields(node, &fields::ARTICLE)?;
    let id = f.required(r, "id").and_then(|n| r.text(n, "id").map(|s| located(r, n, s)));
    let title = f.required(r, "title").and_then(|n| r.text(n, "title"));
    let subtitle = f.get("subtitle").and_then(|n| r.text(n, "subtitle"));
    let byline = f.get("byline").and_then(|n| r.text(n, "byline"));
    let outlet = f.get("outlet").and_then(|n| r.text(n, "outlet"));
    let adate = f.get("date").and_then(|n| date(r, n, "date"));
    let county =
        f.required(r, "county").and_then(|n| r.text(n, "county").map(|s| located(r, n, s)));
    let themes = f.required(r, "themes").map(|n| r.string_list(n, "themes"));
    let body = f.required(r, "body").and_then(|n| r.text(n, "body").map(|s| located(r, n, s)));
    let captions = f.get("captions").map(|n| r.string_list(n, "captions")).unwrap_or_default();
    let photos = f.get("photos").map(|n| super::photos::read(r, n)).unwrap_or_default();
    let truncated = f.get("truncated").and_then(|n| r.boolean(n, "truncated")).unwrap_or(false);
    let excerpt = f.get("excerpt").and_then(|n| r.boolean(n, "excerpt")).unwrap_or(false);
    let source = f.get("source").map(|n| source(r, n));
    f.finish(r);
    let id = id?;
    let body = body?;
    let county = county?;
    let (file, lines, note) = source.unwrap_or_default();
    let raw_body = &r.source().text[body.span.clone()];
    let (paragraphs, paragraph_rule) = body_paragraphs(&body.value, raw_body);
    Some(RawArticle {
        article: Article {
            id: id.value.clone(),
            title: title?,
            subtitle,
            byline,
            outlet,
            date: adate,
            county: county.value.clone(),
            themes: themes?,
            paragraphs,
            captions,
            photos: Vec::new(),
            truncated,
            excerpt,
            source: file.as_ref().map(|file| SourceRef {
                file: file.value.clone(),
                lines: lines.as_ref().map_or((0, 0), |l| l.value),
            }),
            source_note: note,
            span: r.span_of(node),
        },
        id,
        body,
        file,
        lines,
        photos,
        county,
        paragraph_rule,
    })
}

/// How a body without blank lines was split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParagraphRule {
    /// Each line became a paragraph (the body had line breaks but no blank lines).
    LinePerParagraph(usize),
    /// YAML had joined the lines (no `|`); each line of the file became a paragraph.
    UnfoldedLinePerParagraph(usize),
}

/// The body's paragraphs, by the rule documented in the README:
/// - blank lines separate paragraphs, and the lines inside one are joined;
/// - with line breaks but no blank line, each line is a paragraph (Chinese text is not
///   hard-wrapped), unless the text is clearly wrapped at a fixed width: every line but
///   the last has the same length (±1 character) and one of them ends mid-sentence;
/// - a body written without `|` (YAML joined its lines) is read from the file's lines
///   by the same rule.
pub fn body_paragraphs(value: &str, raw: &str) -> (Vec<String>, Option<ParagraphRule>) {
    let raw_lines: Vec<&str> = raw.lines().collect();
    let quoted = raw.trim_start().starts_with(['"', '\'']);
    if !quoted && !value.trim().contains('\n') && raw_lines.len() > 1 {
        // A plain or folded scalar spread over several lines: YAML joined them.
        let lines: Vec<&str> = raw_lines
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty() && !matches!(*l, ">" | ">-" | ">+" | "|" | "|-" | "|+"))
            .collect();
        // Only when the file's lines are exactly the value (a block's span may run on).
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let same = squeeze(&lines.concat()) == squeeze(value);
        if same && lines.len() > 1 && !wrapped(&lines) {
            let n = lines.len();
            return (
                lines.iter().map(|l| crate::normalize::join_lines(l)).collect(),
                Some(ParagraphRule::UnfoldedLinePerParagraph(n)),
            );
        }
    }
    let has_blank = value.trim().lines().any(|l| l.trim().is_empty());
    let lines: Vec<&str> = value.trim().lines().map(str::trim).collect();
    if !has_blank && lines.len() > 1 && !wrapped(&lines) {
        let n = lines.len();
        return (
            lines.iter().map(|l| crate::normalize::join_lines(l)).collect(),
            Some(ParagraphRule::LinePerParagraph(n)),
        );
    }
    (split_paragraphs(value), None)
}

/// True when lines look hard-wrapped at a fixed width: all but the last are the same
/// length within one character, and at least one of them ends mid-sentence.
fn wrapped(lines: &[&str]) -> bool {
    if lines.len() < 3 {
        return false;
    }
    let body = &lines[..lines.len() - 1];
    let lens: Vec<usize> = body.iter().map(|l| l.chars().count()).collect();
    let (min, max) = (lens.iter().min().copied(), lens.iter().max().copied());
    let same = matches!((min, max), (Some(a), Some(b)) if b - a <= 1 && a >= 10);
    let ends = |l: &&str| l.ends_with(['。', '！', '？', '”', '…', '：', '!', '?', '.', ':', '；']);
    same && body.iter().any(|l| !ends(l))
}

/// Splits a body into paragraphs at blank lines and joins each paragraph's lines.
pub fn split_paragraphs(body: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        if line.trim().is_empty() {
            if !current.trim().is_empty() {
                paragraphs.push(crate::normalize::join_lines(&current));
            }
            current.clear();
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    if !current.trim().is_empty() {
        paragraphs.push(crate::normalize::join_lines(&current));
    }
    paragraphs
}

/// A source reference: the file and, when valid, the line range; and a note.
type SourceFields = (Option<Located<String>>, Option<Located<(u32, u32)>>, Option<String>);

fn source(r: &mut Reader, node: &SNode) -> SourceFields {
    let Some(mut f) = r.fields(node, &fields::SOURCE) else { return (None, None, None) };
    let note = f.get("note").and_then(|n| r.text(n, "note"));
    let file = f.get("file").and_then(|n| r.text(n, "file").map(|s| located(r, n, s)));
    let lines_node = match (&file, f.get("lines")) {
        (Some(_), None) => f.required(r, "lines"),
        (_, n) => n,
    };
    if file.is_none() && note.is_none() && lines_node.is_none() {
        r.error_at(
            node,
            "`source` names neither a file nor a note",
            "write `source: { file: page.txt, lines: [3, 40] }`, or `source: { note: 县委组织部来稿 }` for an article the office wrote, or leave `source` out",
        );
    }
    let lines = lines_node.and_then(|n| {
        let items = r.list(n, "lines")?;
        let nums: Vec<u32> = items.iter().filter_map(|i| r.positive(i, "lines")).collect();
        match nums.as_slice() {
            [a, b] if a <= b => Some(Located { value: (*a, *b), span: r.span_of(n) }),
            _ if nums.len() == items.len() => {
                r.error_at(
                    n,
                    "`lines` must be `[first, last]` with first ≤ last",
                    "e.g. `lines: [12, 40]`",
                );
                None
            }
            _ => None,
        }
    });
    f.finish(r);
    (file, lines, note)
}

fn figure(r: &mut Reader, node: &SNode) -> Option<RawFigure> {
    let mut f = r.fields(node, &fields::FIGURE)?;
    let article =
        f.required(r, "article").and_then(|n| r.text(n, "article").map(|s| located(r, n, s)));
    let label = f.required(r, "label").and_then(|n| r.text(n, "label"));
    let value = f.required(r, "value").and_then(|n| r.text(n, "value").map(|s| located(r, n, s)));
    let unit = f.required(r, "unit").and_then(|n| r.string(n, "unit"));
    let quote = f.required(r, "quote").and_then(|n| r.text(n, "quote").map(|s| located(r, n, s)));
    let compare = f.get("compare").and_then(|n| r.text(n, "compare").map(|s| located(r, n, s)));
    let chart = f.get("chart").and_then(|n| r.boolean(n, "chart")).unwrap_or(true);
    f.finish(r);
    Some(RawFigure {
        article: article?,
        label: label?,
        value: value?,
        unit: unit?,
        quote: quote?,
        compare,
        chart,
    })
}

fn output(r: &mut Reader, node: &SNode) -> Option<OutputSpec> {
    let mut f: Fields = r.fields(node, &fields::OUTPUT)?;
    let kind_node = f.required(r, "kind");
    let file = f.required(r, "file").and_then(|n| r.text(n, "file").map(|s| located(r, n, s)));
    let title = f.get("title").and_then(|n| r.text(n, "title").map(|s| located(r, n, s)));
    let number_line =
        f.get("number_line").and_then(|n| r.text(n, "number_line").map(|s| located(r, n, s)));
    let kind_text = kind_node.and_then(|n| r.string(n, "kind"));
    let mut listed = Vec::new();
    let mut list = |r: &mut Reader, f: &mut Fields, key: &'static str| -> Vec<String> {
        let Some(n) = f.get(key) else { return Vec::new() };
        let items = r.list(n, key).unwrap_or_default();
        let mut out = Vec::new();
        for i in items {
            if let Some(s) = r.text(i, key) {
                listed.push(located(r, i, s.clone()));
                out.push(s);
            }
        }
        out
    };
    let kind = match kind_text.as_deref() {
        Some("issue") => Some(OutputKind::Issue),
        Some("county") => Some(OutputKind::County),
        Some("theme") => Some(OutputKind::Theme(list(r, &mut f, "themes"))),
        Some("select") => {
            let name = f.required(r, "name").and_then(|n| r.text(n, "name"));
            let counties = list(r, &mut f, "counties");
            let themes = list(r, &mut f, "themes");
            let articles = list(r, &mut f, "articles");
            name.map(|name| OutputKind::Select { name, counties, themes, articles })
        }
        Some(other) => {
            if let Some(n) = kind_node {
                let hint =
                    match super::yaml::closest(other, &["issue", "county", "theme", "select"]) {
                        Some(best) => {
                            format!("did you mean `{best}`? kinds: issue, county, theme, select")
                        }
                        None => "kinds: issue, county, theme, select".to_string(),
                    };
                r.error_at(n, format!("unknown output kind `{other}`"), &hint);
            }
            None
        }
        None => None,
    };
    f.finish(r);
    Some(OutputSpec { kind: kind?, file: file?, title, number_line, listed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_separate_paragraphs_and_lines_inside_are_joined() {
        let (p, rule) = body_paragraphs("会议指出,全县共建成\n党群服务站5个。\n\n会议要求。\n", "");
        assert_eq!(p, vec!["会议指出,全县共建成党群服务站5个。", "会议要求。"]);
        assert_eq!(rule, None);
    }

    #[test]
    fn without_blank_lines_each_line_is_a_paragraph() {
        let body = "会议指出,全区共建成党群服务站12个。\n会议要求,各街道要用起来。\n";
        let (p, rule) = body_paragraphs(body, body);
        assert_eq!(p, vec!["会议指出,全区共建成党群服务站12个。", "会议要求,各街道要用起来。"]);
        assert_eq!(rule, Some(ParagraphRule::LinePerParagraph(2)));
    }

    #[test]
    fn hard_wrapped_text_is_joined() {
        let body = "今年以来全区各街道社区坚持党建引领\n基层治理不断完善服务体系持续推进各\n项工作落地见效。\n";
        let (p, rule) = body_paragraphs(body, body);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(rule, None);
    }

    #[test]
    fn a_plain_scalar_is_read_from_the_file_lines() {
        let value = "会议指出,全县共建成党群服务站8个。 会议要求,各乡镇要用起来。";
        let raw = "会议指出,全县共建成党群服务站8个。\n      会议要求,各乡镇要用起来。";
        let (p, rule) = body_paragraphs(value, raw);
        assert_eq!(p, vec!["会议指出,全县共建成党群服务站8个。", "会议要求,各乡镇要用起来。"]);
        assert_eq!(rule, Some(ParagraphRule::UnfoldedLinePerParagraph(2)));
        // A one-line block whose span runs on to the next key is left alone.
        let (p, rule) = body_paragraphs("会议指出。\n", "会议指出。\n    source: { note: 来稿 }\n");
        assert_eq!((p.len(), rule), (1, None));
    }
}
