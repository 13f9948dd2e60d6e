//! The saved-web-page reader of `ingest`: charset from the BOM, the meta tag
//! or detection; the main content found by `dom_smoothie` (a port of Mozilla's
//! Readability), which drops scripts, styles, hidden elements, navigation,
//! related links and footers; the headline taken from the page's `<h1>`, not
//! `<title>`; local pictures (`src` or lazy `data-src`) as photos, remote ones
//! only listed. Nothing is fetched. It yields the same layout blocks as the
//! other readers, numbered by line of the extracted text.

use std::path::Path;

use dom_query::{Document, NodeRef};
use encoding_rs::Encoding;

use super::decode;
use super::layout::{Kind, Para, attach_captions, classify, clean_line};

/// What the reader got out of one page.
#[derive(Debug, Default)]
pub struct HtmlRead {
    /// Blocks in reading order; `first_line` is the line of the extracted text.
    pub blocks: Vec<Para>,
    /// Lines of extracted text.
    pub lines: usize,
    /// The charset used, and where it came from.
    pub encoding: String,
    /// Remarks for the user.
    pub notes: Vec<String>,
}

/// The charset a `<meta charset=…>` or `http-equiv` tag names in the first 4 KiB.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(i) = rest.find("charset") {
        rest = &rest[i + 7..];
        let value = rest.trim_start().strip_prefix('=')?.trim_start();
        let value = value.trim_start_matches(['"', '\'']);
        let end = value.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        let label = &value[..end.unwrap_or(value.len())];
        if let Some(enc) = Encoding::for_label(label.as_bytes()) {
            return Some(enc);
        }
    }
    None
}

/// Decodes a page: a BOM wins, then `--encoding`, then the meta tag, then
/// detection (UTF-8, else GB18030, which reads GBK and GB2312 too).
fn decode_page(
    bytes: &[u8],
    forced: Option<&str>,
) -> Result<(String, String), decode::DecodeError> {
    if Encoding::for_bom(bytes).is_none()
        && forced.is_none()
        && let Some(enc) = meta_charset(bytes)
    {
        // GBK and GB2312 pages often hold GB18030-only characters.
        let enc = if enc == encoding_rs::GBK { encoding_rs::GB18030 } else { enc };
        let (text, _, _) = enc.decode(bytes);
        return Ok((text.into_owned(), format!("{} (meta tag)", enc.name())));
    }
    let d = decode::decode(bytes, forced)?;
    Ok((d.text, d.encoding.to_string()))
}

fn name_of(n: &NodeRef<'_>) -> String {
    n.node_name().map(|s| s.to_ascii_lowercase()).unwrap_or_default()
}

/// Collapses the whitespace HTML does not show: a run of whitespace becomes
/// one space between Latin words, and between Chinese characters when the
/// run is spaces typed on one line (标题 副题); a line break of the source
/// between Chinese characters is dropped.
fn squash(s: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    let mut newline = false;
    for c in s.chars() {
        if c.is_whitespace() && c != '\u{3000}' {
            space = true;
            newline |= matches!(c, '\n' | '\r');
            continue;
        }
        if space && !out.is_empty() {
            let prev = out.chars().last().unwrap_or(' ');
            if (prev.is_ascii_alphanumeric() && c.is_ascii_alphanumeric())
                || (!newline && !prev.is_ascii() && !c.is_ascii())
            {
                out.push(' ');
            }
        }
        space = false;
        newline = false;
        out.push(c);
    }
    out
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "tr",
    "ul",
    "ol",
    "center",
    "pre",
    "td",
    "th",
    "dd",
    "dt",
];

/// Walks the extracted content: text of block elements as lines, pictures in place.
fn walk(node: &NodeRef<'_>, text: &mut String, out: &mut Vec<Item>) {
    for c in node.children() {
        if c.is_text() {
            text.push_str(&c.text());
            continue;
        }
        if !c.is_element() {
            continue;
        }
        let name = name_of(&c);
        match name.as_str() {
            "script" | "style" | "noscript" | "template" => {}
            "br" => flush(text, out),
            "img" => {
                flush(text, out);
                let attr =
                    |k: &str| c.attr(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
                let src = ["data-src", "data-original", "data-lazy-src", "src"]
                    .iter()
                    .filter_map(|k| attr(k))
                    .find(|v| !v.starts_with("data:"));
                if let Some(src) = src {
                    out.push(Item::Image(src));
                }
            }
            "tr" if data_row(&c).is_some() => {
                flush(text, out);
                if let Some(row) = data_row(&c) {
                    out.push(Item::Row(row));
                }
            }
            _ if BLOCKS.contains(&name.as_str()) => {
                flush(text, out);
                walk(&c, text, out);
                flush(text, out);
            }
            _ => walk(&c, text, out),
        }
    }
}

/// A table row of data: two or more cells of one short line each (no
/// picture), joined by an ideographic space. A row of a layout table, whose
/// cells hold paragraphs, is not one.
fn data_row(tr: &NodeRef<'_>) -> Option<String> {
    let mut cells = Vec::new();
    for cell in tr.children().into_iter().filter(|c| matches!(name_of(c).as_str(), "td" | "th")) {
        let mut text = String::new();
        let mut items = Vec::new();
        walk(&cell, &mut text, &mut items);
        flush(&mut text, &mut items);
        match items.as_slice() {
            [] => {}
            [Item::Text(t)] if t.chars().count() <= 40 => cells.push(t.clone()),
            _ => return None,
        }
    }
    (cells.len() >= 2).then(|| cells.join("\u{3000}"))
}

fn flush(text: &mut String, out: &mut Vec<Item>) {
    let t = squash(text);
    text.clear();
    let t = clean_line(&t);
    if !t.is_empty() {
        out.push(Item::Text(t));
    }
}

enum Item {
    Text(String),
    /// A table row's cells, joined.
    Row(String),
    Image(String),
}

/// The page's headline: the `<h1>` (or `<h2>`) whose text `<title>` contains,
/// else the first `<h1>`, else `<title>` without its site suffix.
fn headline(doc: &Document, title_tag: &str) -> Option<String> {
    let heads: Vec<String> = doc
        .select("h1, h2")
        .nodes()
        .iter()
        .map(|n| clean_line(&squash(&n.text())))
        .filter(|t| !t.is_empty() && t.chars().count() <= 80)
        .collect();
    if let Some(h) = heads.iter().find(|h| title_tag.contains(h.as_str())) {
        return Some(h.clone());
    }
    if let Some(h1) = doc.select("h1").nodes().first() {
        let t = clean_line(&squash(&h1.text()));
        if !t.is_empty() && t.chars().count() <= 80 {
            return Some(t);
        }
    }
    strip_site_suffix(title_tag)
}

/// `闻喜县开展冬训_运城新闻网` → `闻喜县开展冬训`: the longest part between separators.
pub fn strip_site_suffix(title: &str) -> Option<String> {
    let parts =
        title.split(['_', '|', '｜', '-', '—', '–']).map(str::trim).filter(|p| !p.is_empty());
    parts.max_by_key(|p| p.chars().count()).map(str::to_string)
}

/// A metadata line of the original page (发布时间/来源), which extractors drop.
fn meta_line(doc: &Document) -> Option<String> {
    let keys = ["发布时间", "发布日期", "发表时间", "来源：", "来源:", "信息来源"];
    doc.select("div, span, p, td").nodes().iter().find_map(|n| {
        let t = clean_line(&squash(&n.text()));
        (t.chars().count() <= 100 && keys.iter().any(|k| t.contains(k))).then_some(t)
    })
}

/// Whether a picture path names a file Typst can place.
fn placeable(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp"].iter().any(|e| lower.ends_with(e))
}

/// Reads a saved page named `name` (relative to the draft's folder `base`).
pub fn read(
    name: &str,
    bytes: &[u8],
    forced: Option<&str>,
    base: Option<&Path>,
) -> Result<HtmlRead, decode::DecodeError> {
    let (html, encoding) = decode_page(bytes, forced)?;
    let original = Document::from(html.as_str());
    let title_tag = clean_line(&squash(&original.select("title").text()));
    let head = headline(&original, &title_tag);
    let meta = meta_line(&original);
    let cfg = dom_smoothie::Config { char_threshold: 100, ..Default::default() };
    let content = dom_smoothie::Readability::new(html.as_str(), None, Some(cfg))
        .ok()
        .and_then(|mut r| r.parse().ok())
        .map(|a| a.content.to_string());
    let mut items = Vec::new();
    let mut notes = Vec::new();
    match content {
        Some(c) => {
            let doc = Document::from(c.as_str());
            let mut text = String::new();
            if let Some(root) = doc.select("body").nodes().first() {
                walk(root, &mut text, &mut items);
            }
            flush(&mut text, &mut items);
        }
        None => notes.push(format!(
            "{name}: no main content found in the page; it was read whole (check the draft for navigation and footers)"
        )),
    }
    if items.is_empty() {
        let mut text = String::new();
        if let Some(root) = original.select("body").nodes().first() {
            walk(root, &mut text, &mut items);
        }
        flush(&mut text, &mut items);
    }
    let dir = name.rsplit_once('/').map_or("", |(d, _)| d);
    let mut blocks = Vec::new();
    let mut line = 0usize;
    let mut push = |blocks: &mut Vec<Para>, text: String, kind: Kind, image: Option<String>| {
        line += 1;
        blocks.push(Para {
            text,
            kind,
            first_line: line,
            last_line: line,
            gap_before: 0,
            nlines: 1,
            image,
        });
    };
    if let Some(h) = &head {
        push(&mut blocks, h.clone(), Kind::Heading, None);
    }
    if let Some(m) = meta {
        let kind = classify(&m);
        if matches!(kind, Kind::Meta { .. }) {
            push(&mut blocks, m, kind, None);
        }
    }
    let mut remote = Vec::new();
    for item in items {
        match item {
            Item::Text(t) => {
                if head.as_deref() == Some(t.as_str()) {
                    continue;
                }
                let kind = classify(&t);
                push(&mut blocks, t, kind, None);
            }
            Item::Row(t) => {
                // A table row is never a title; a listing's header is chrome.
                let kind = match classify(&t) {
                    Kind::Furniture => Kind::Furniture,
                    _ => Kind::Row,
                };
                push(&mut blocks, t, kind, None);
            }
            Item::Image(src) => {
                let remote_src = src.contains("://") || src.starts_with("//");
                let rel = if dir.is_empty() { src.clone() } else { format!("{dir}/{src}") };
                let exists = !remote_src
                    && !src.starts_with('/')
                    && !src.contains("..")
                    && placeable(&src)
                    && base.is_some_and(|b| b.join(&rel).is_file());
                if exists {
                    push(&mut blocks, String::new(), Kind::Caption, Some(rel));
                } else if !remote.contains(&src) {
                    remote.push(src);
                }
            }
        }
    }
    if !remote.is_empty() {
        notes.push(format!(
            "{name}: {} picture(s) not saved with the page were left out (ingest never downloads): {}",
            remote.len(),
            remote.join(", ")
        ));
    }
    attach_captions(&mut blocks);
    Ok(HtmlRead { blocks, lines: line, encoding, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_from_meta_and_site_suffix() {
        let page =
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">";
        assert_eq!(meta_charset(page.as_bytes()), Some(encoding_rs::GBK));
        assert_eq!(meta_charset(b"<meta charset='utf-8'>"), Some(encoding_rs::UTF_8));
        assert_eq!(meta_charset(b"<p>no charset here</p>"), None);
        assert_eq!(
            strip_site_suffix("闻喜县深入开展党员冬训工作_运城新闻网").as_deref(),
            Some("闻喜县深入开展党员冬训工作")
        );
        assert_eq!(squash(" a \n b  党建\n工作 "), "a b党建工作");
        assert_eq!(squash("党建引领物业服务 小区治理见实效"), "党建引领物业服务 小区治理见实效");
    }

    #[test]
    fn table_page_rows_are_never_titles() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/formats");
        let bytes = std::fs::read(format!("{dir}/yongji.html")).unwrap();
        let r = read("yongji.html", &bytes, None, Some(Path::new(dir))).unwrap();
        let headings: Vec<&str> =
            r.blocks.iter().filter(|b| b.kind == Kind::Heading).map(|b| b.text.as_str()).collect();
        assert_eq!(headings, ["永济市：党建引领物业服务 小区治理见实效"]);
        let rows: Vec<&str> =
            r.blocks.iter().filter(|b| b.kind == Kind::Row).map(|b| b.text.as_str()).collect();
        assert_eq!(
            rows,
            [
                "指标\u{3000}单位\u{3000}数量",
                "建立党组织的小区\u{3000}个\u{3000}86",
                "加入联盟的物业企业\u{3000}家\u{3000}12"
            ]
        );
        assert!(!r.blocks.iter().any(|b| b.text.contains("白癜风") || b.text.contains("热点新闻")));
        let arts = super::super::layout::analyse_blocks(r.blocks);
        assert_eq!(arts.len(), 1, "{arts:#?}");
    }
}
