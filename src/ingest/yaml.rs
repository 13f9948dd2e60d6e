//! The draft manifest's YAML writer for `ingest`: a small hand-rolled
//! emitter (double-quoted scalars with full escaping, `|` block scalars for
//! bodies when their text allows it) that the manifest parser reads back
//! unchanged.

use super::{Draft, DraftArticle, SpanUnit};
use std::fmt::Write as _;

/// Writes `s` as a YAML double-quoted scalar.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{85}' => out.push_str("\\N"),
            '\u{a0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if !printable(c) => {
                let v = c as u32;
                if v <= 0xff {
                    let _ = write!(out, "\\x{v:02x}");
                } else {
                    let _ = write!(out, "\\u{v:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// YAML 1.2 printable characters, minus the ones we always escape
/// (BOM, line/paragraph separators, NEL).
fn printable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}')
}

/// Whether `body` (paragraphs joined by blank lines) can be written as a
/// literal block scalar and read back identically (plus a final newline).
fn block_safe(paragraphs: &[String]) -> bool {
    !paragraphs.is_empty()
        && paragraphs.iter().all(|p| {
            !p.is_empty()
                && !p.starts_with([' ', '\t'])
                && !p.ends_with([' ', '\t'])
                && p.chars().all(|c| c == '\t' || printable(c))
        })
}

fn opt(out: &mut String, indent: &str, key: &str, v: &Option<String>) {
    if let Some(v) = v {
        let _ = writeln!(out, "{indent}{key}: {}", quoted(v));
    }
}

fn list_inline(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", parts.join(", "))
}

fn article(out: &mut String, a: &DraftArticle) {
    let _ = writeln!(out, "  - id: {}", quoted(&a.id));
    let _ = writeln!(out, "    title: {}", quoted(&a.title));
    opt(out, "    ", "subtitle", &a.subtitle);
    opt(out, "    ", "byline", &a.byline);
    opt(out, "    ", "outlet", &a.outlet);
    if let Some(d) = &a.date
        && is_iso_date(d)
    {
        let _ = writeln!(out, "    date: {d}");
    }
    let _ = writeln!(out, "    county: {}", quoted(&a.county));
    let _ = writeln!(out, "    themes: {}", list_inline(&a.themes));
    if block_safe(&a.body) {
        out.push_str("    body: |\n");
        for (i, p) in a.body.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let _ = writeln!(out, "      {p}");
        }
    } else {
        let _ = writeln!(out, "    body: {}", quoted(&a.body_text()));
    }
    if !a.captions.is_empty() {
        out.push_str("    captions:\n");
        for c in &a.captions {
            let _ = writeln!(out, "      - {}", quoted(c));
        }
    }
    if !a.photos.is_empty() {
        out.push_str("    photos:\n");
        for p in &a.photos {
            let _ = writeln!(out, "      - file: {}", quoted(&p.file));
            if let Some(c) = &p.caption {
                let _ = writeln!(out, "        caption: {}", quoted(c));
            }
        }
    }
    if a.truncated {
        out.push_str("    truncated: true\n");
    }
    out.push_str("    source:\n");
    let (first, last) = a.source.lines;
    match a.source.unit {
        SpanUnit::Lines => {
            let _ = writeln!(out, "      file: {}", quoted(&a.source.file));
            let _ = writeln!(out, "      lines: [{first}, {last}]");
        }
        // `check` verifies `lines` against the file's lines, which a Word
        // document or a web page does not have: the range goes in the note.
        SpanUnit::Paragraphs => {
            let note = format!("{} 第 {first}–{last} 段", a.source.file);
            let _ = writeln!(out, "      note: {}", quoted(&note));
        }
        SpanUnit::ExtractedLines => {
            let note = format!("{} 正文第 {first}–{last} 行", a.source.file);
            let _ = writeln!(out, "      note: {}", quoted(&note));
        }
    }
}

/// True for YYYY-MM-DD.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter()
            .enumerate()
            .all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

/// Writes the whole draft manifest.
pub fn to_yaml(d: &Draft) -> String {
    let mut out = crate::manifest::schema::modeline(crate::manifest::schema::SCHEMA_FILE);
    out.push('\n');
    out.push_str("# Draft written by `jianbao ingest`: check titles, counties, themes and figures before use.\n");
    if !d.sources_comment.is_empty() {
        for line in &d.sources_comment {
            let clean: String = line.chars().filter(|c| !c.is_control()).collect();
            let _ = writeln!(out, "# {clean}");
        }
    }
    out.push_str("briefing:\n");
    let _ = writeln!(out, "  title: {}", quoted(&d.briefing.title));
    let _ = writeln!(out, "  issuer: {}", quoted(&d.briefing.issuer));
    let _ = writeln!(out, "  number: {}", d.briefing.number.max(1));
    let date = if is_iso_date(&d.briefing.date) { d.briefing.date.as_str() } else { "2024-01-01" };
    let _ = writeln!(out, "  date: {date}");
    if !d.themes.is_empty() {
        out.push_str("themes:\n");
        for (name, kws) in &d.themes {
            let _ = writeln!(out, "  {}: {}", quoted(name), list_inline(kws));
        }
    }
    // A prefecture used for an article that names no county is a grouping, not a
    // county-level division; `check` accepts it only when declared.
    let mut groupings: Vec<String> = Vec::new();
    let g = super::gazetteer::Gazetteer::get();
    for a in &d.articles {
        let c = &a.county;
        let placeholder = crate::manifest::yaml::PLACEHOLDERS.contains(&c.as_str());
        if !placeholder && g.lookup(c).is_empty() && !groupings.contains(c) {
            groupings.push(c.clone());
        }
    }
    if !groupings.is_empty() {
        out.push_str(
            "# Used as `county` but not county-level divisions (articles that name no county):\n",
        );
        let _ = writeln!(out, "groupings: {}", list_inline(&groupings));
    }
    if d.articles.is_empty() {
        out.push_str("articles: []\n");
    } else {
        out.push_str("articles:\n");
        for a in &d.articles {
            article(&mut out, a);
        }
    }
    if !d.figures.is_empty() {
        out.push_str("figures:\n");
        for f in &d.figures {
            let _ = writeln!(out, "  - article: {}", quoted(&f.article));
            let _ = writeln!(out, "    label: {}", quoted(&f.label));
            let _ = writeln!(out, "    value: {}", quoted(&f.value));
            let _ = writeln!(out, "    unit: {}", quoted(&f.unit));
            let _ = writeln!(out, "    quote: {}", quoted(&f.quote));
        }
    }
    out.push_str("outputs:\n");
    out.push_str("  - kind: issue\n    file: \"简报-第{{ number }}期.pdf\"\n");
    out.push_str("  - kind: county\n    file: \"{{ county }}-第{{ number }}期.pdf\"\n");
    out.push_str("  - kind: theme\n    file: \"{{ theme }}-第{{ number }}期.pdf\"\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_everything_needed() {
        assert_eq!(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(quoted("x\u{1}y\u{feff}"), "\"x\\x01y\\ufeff\"");
        assert_eq!(quoted("“盐湖”: #1"), "\"“盐湖”: #1\"");
    }

    #[test]
    fn block_safety() {
        assert!(block_safe(&["第一段。".to_string(), "# 第二段: - [x]".to_string()]));
        assert!(!block_safe(&["a\u{7}b".to_string()]));
        assert!(!block_safe(&[" lead".to_string()]));
        assert!(!block_safe(&[]));
    }
}
