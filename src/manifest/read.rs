//! Field-by-field reading of the manifest's node tree into owned values.
//!
//! Each mapping is read through [`Fields`], which records missing required fields,
//! wrong types and unknown keys, and carries on, so one run reports every problem.
//! Values that later checks refer back to keep their byte spans ([`Located`]).

use super::model::*;
use super::yaml::{Fields, Node, Reader, SNode};

/// An article as read, with the spans validation needs.
pub struct RawArticle {
    pub article: Article,
    pub id: Located<String>,
    pub body: Located<String>,
    pub file: Located<String>,
    pub lines: Option<Located<(u32, u32)>>,
}

/// A figure as read, with the spans validation needs.
pub struct RawFigure {
    pub article: Located<String>,
    pub label: String,
    pub value: Located<String>,
    pub unit: String,
    pub quote: Located<String>,
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
    let mut f = r.fields(node, "the manifest")?;
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
    let mut articles_span = 0..0;
    let articles = match f.required(r, "articles") {
        Some(n) => {
            articles_span = r.span_of(n);
            let items = r.list(n, "articles").unwrap_or_default();
            if items.is_empty() && matches!(n.value, Node::Seq(_) | Node::Null) {
                r.error_at(n, "`articles` is empty", "a briefing needs at least one article");
            }
            items.iter().filter_map(|item| article(r, item)).collect()
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
        }],
    };
    f.finish(r);
    Some(RawManifest {
        briefing: briefing?,
        style: style?,
        themes,
        print,
        articles,
        articles_span,
        figures,
        outputs,
    })
}

/// File name pattern used when the manifest has no `outputs`.
pub const DEFAULT_ISSUE_PATTERN: &str = "{{ title }}-第{{ number }}期.pdf";

fn briefing(r: &mut Reader, node: &SNode) -> Option<Briefing> {
    let mut f = r.fields(node, "`briefing`")?;
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
    let Some(mut f) = r.fields(node, "`print`") else { return settings };
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
            entries.iter().map(|(k, v)| (k.value.clone(), r.string_list(v, "themes"))).collect()
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

fn article(r: &mut Reader, node: &SNode) -> Option<RawArticle> {
    let mut f = r.fields(node, "an article")?;
    let id = f.required(r, "id").and_then(|n| r.text(n, "id").map(|s| located(r, n, s)));
    let title = f.required(r, "title").and_then(|n| r.text(n, "title"));
    let subtitle = f.get("subtitle").and_then(|n| r.text(n, "subtitle"));
    let byline = f.get("byline").and_then(|n| r.text(n, "byline"));
    let outlet = f.get("outlet").and_then(|n| r.text(n, "outlet"));
    let adate = f.get("date").and_then(|n| date(r, n, "date"));
    let county = f.required(r, "county").and_then(|n| r.text(n, "county"));
    let themes = f.required(r, "themes").map(|n| r.string_list(n, "themes"));
    let body = f.required(r, "body").and_then(|n| r.text(n, "body").map(|s| located(r, n, s)));
    let captions = f.get("captions").map(|n| r.string_list(n, "captions")).unwrap_or_default();
    let truncated = f.get("truncated").and_then(|n| r.boolean(n, "truncated")).unwrap_or(false);
    let excerpt = f.get("excerpt").and_then(|n| r.boolean(n, "excerpt")).unwrap_or(false);
    let source = f.required(r, "source").and_then(|n| source(r, n));
    f.finish(r);
    let id = id?;
    let body = body?;
    let (file, lines) = source?;
    let paragraphs = split_paragraphs(&body.value);
    Some(RawArticle {
        article: Article {
            id: id.value.clone(),
            title: title?,
            subtitle,
            byline,
            outlet,
            date: adate,
            county: county?,
            themes: themes?,
            paragraphs,
            captions,
            truncated,
            excerpt,
            source: SourceRef {
                file: file.value.clone(),
                lines: lines.as_ref().map_or((0, 0), |l| l.value),
            },
        },
        id,
        body,
        file,
        lines,
    })
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

/// A source reference: the file and, when valid, the line range.
type SourceFields = (Located<String>, Option<Located<(u32, u32)>>);

fn source(r: &mut Reader, node: &SNode) -> Option<SourceFields> {
    let mut f = r.fields(node, "`source`")?;
    let file = f.required(r, "file").and_then(|n| r.text(n, "file").map(|s| located(r, n, s)));
    let lines = f.required(r, "lines").and_then(|n| {
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
    Some((file?, lines))
}

fn figure(r: &mut Reader, node: &SNode) -> Option<RawFigure> {
    let mut f = r.fields(node, "a figure")?;
    let article =
        f.required(r, "article").and_then(|n| r.text(n, "article").map(|s| located(r, n, s)));
    let label = f.required(r, "label").and_then(|n| r.text(n, "label"));
    let value = f.required(r, "value").and_then(|n| r.text(n, "value").map(|s| located(r, n, s)));
    let unit = f.required(r, "unit").and_then(|n| r.string(n, "unit"));
    let quote = f.required(r, "quote").and_then(|n| r.text(n, "quote").map(|s| located(r, n, s)));
    f.finish(r);
    Some(RawFigure { article: article?, label: label?, value: value?, unit: unit?, quote: quote? })
}

fn output(r: &mut Reader, node: &SNode) -> Option<OutputSpec> {
    let mut f: Fields = r.fields(node, "an output")?;
    let kind_node = f.required(r, "kind");
    let file = f.required(r, "file").and_then(|n| r.text(n, "file").map(|s| located(r, n, s)));
    let title = f.get("title").and_then(|n| r.text(n, "title").map(|s| located(r, n, s)));
    let number_line =
        f.get("number_line").and_then(|n| r.text(n, "number_line").map(|s| located(r, n, s)));
    let kind_text = kind_node.and_then(|n| r.string(n, "kind"));
    let kind = match kind_text.as_deref() {
        Some("issue") => Some(OutputKind::Issue),
        Some("county") => Some(OutputKind::County),
        Some("theme") => Some(OutputKind::Theme(
            f.get("themes").map(|n| r.string_list(n, "themes")).unwrap_or_default(),
        )),
        Some("select") => {
            let name = f.required(r, "name").and_then(|n| r.text(n, "name"));
            let counties =
                f.get("counties").map(|n| r.string_list(n, "counties")).unwrap_or_default();
            let themes = f.get("themes").map(|n| r.string_list(n, "themes")).unwrap_or_default();
            let articles =
                f.get("articles").map(|n| r.string_list(n, "articles")).unwrap_or_default();
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
    Some(OutputSpec { kind: kind?, file: file?, title, number_line })
}
