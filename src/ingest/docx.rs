//! The `.docx` reader of `ingest`: turns a Word or WPS document into the
//! layout blocks every reader yields (paragraphs with their runs joined,
//! title candidates from styles or direct formatting, captions, pictures),
//! accepting tracked changes, reading tables row by row, ignoring comments,
//! headers, footers and page numbers (they live in other parts), and
//! extracting embedded pictures under deterministic names.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

use roxmltree::{Document, Node};

use super::layout::{
    Kind, Para, attach_captions, classify, clean_line, ends_with_colon, is_caption,
};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Largest part read from a .docx (document.xml or one picture), against zip bombs.
const MAX_PART: u64 = 64 << 20;

/// A paragraph longer than this many characters is never a title candidate.
const TITLE_MAX: usize = 64;

/// What the reader got out of one .docx.
#[derive(Debug, Default)]
pub struct DocxRead {
    /// Blocks in reading order; `first_line`/`last_line` are paragraph numbers.
    pub blocks: Vec<Para>,
    /// Pictures to write: (path relative to the draft's folder, bytes).
    pub pictures: Vec<(String, Vec<u8>)>,
    /// Remarks for the user.
    pub notes: Vec<String>,
    /// Number of paragraphs (and table rows) in the body.
    pub paragraphs: usize,
}

fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<Vec<u8>>, String> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("cannot read {name} in the .docx: {e}")),
    };
    if file.size() > MAX_PART {
        return Err(format!("{name} in the .docx is larger than {} MiB", MAX_PART >> 20));
    }
    let mut out = Vec::new();
    file.take(MAX_PART).read_to_end(&mut out).map_err(|e| format!("cannot unpack {name}: {e}"))?;
    Ok(Some(out))
}

fn xml_text(bytes: &[u8], name: &str) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| format!("{name} in the .docx is not UTF-8 XML"))
}

fn is_w(n: &Node<'_, '_>, local: &str) -> bool {
    n.is_element() && n.tag_name().name() == local && n.tag_name().namespace() == Some(W)
}

fn w_attr<'a>(n: &Node<'a, '_>, local: &str) -> Option<&'a str> {
    n.attribute((W, local))
}

fn child<'a, 'i>(n: &Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is_w(c, local))
}

/// An on/off property (`<w:b/>`, `<w:b w:val="0"/>`).
fn on(n: Option<Node<'_, '_>>) -> bool {
    n.is_some_and(|n| !matches!(w_attr(&n, "val"), Some("0" | "false" | "off" | "none")))
}

/// What the styles part says about a paragraph style.
#[derive(Debug, Default, Clone)]
struct Style {
    heading: bool,
    bold: bool,
    centred: bool,
    size: Option<u32>,
}

fn read_styles(xml: &str) -> (HashMap<String, Style>, Option<u32>) {
    let mut out = HashMap::new();
    let mut default_size = None;
    let Ok(doc) = Document::parse(xml) else { return (out, None) };
    let root = doc.root_element();
    if let Some(size) = child(&root, "docDefaults")
        .and_then(|d| child(&d, "rPrDefault"))
        .and_then(|d| child(&d, "rPr"))
        .and_then(|r| child(&r, "sz"))
        .and_then(|s| w_attr(&s, "val")?.parse().ok())
    {
        default_size = Some(size);
    }
    for s in root.children().filter(|c| is_w(c, "style")) {
        let Some(id) = w_attr(&s, "styleId") else { continue };
        let name = child(&s, "name").and_then(|n| w_attr(&n, "val")).unwrap_or("").to_lowercase();
        let ppr = child(&s, "pPr");
        let rpr = child(&s, "rPr");
        let outline = ppr.and_then(|p| child(&p, "outlineLvl")).is_some();
        let heading = outline
            || name.starts_with("title")
            || name.starts_with("heading")
            || name.starts_with("标题")
            || name == "subtitle";
        let style = Style {
            heading,
            bold: on(rpr.and_then(|r| child(&r, "b"))),
            centred: ppr
                .and_then(|p| child(&p, "jc"))
                .and_then(|j| w_attr(&j, "val"))
                .is_some_and(|v| v == "center"),
            size: rpr.and_then(|r| child(&r, "sz")).and_then(|s| w_attr(&s, "val")?.parse().ok()),
        };
        if s.attribute((W, "type")) == Some("paragraph")
            && w_attr(&s, "default") == Some("1")
            && let Some(size) = style.size
        {
            default_size = Some(size);
        }
        out.insert(id.to_string(), style);
    }
    (out, default_size)
}

/// One paragraph of the body, as read.
#[derive(Debug, Default)]
struct RawPara {
    text: String,
    style: Option<String>,
    centred: bool,
    /// Characters in bold runs, and in all runs.
    bold_chars: usize,
    chars: usize,
    /// Largest run size in half-points.
    max_size: Option<u32>,
    /// Relationship ids of the pictures in the paragraph.
    images: Vec<String>,
    /// A table row, never a title.
    row: bool,
}

fn read_runs(node: Node<'_, '_>, p: &mut RawPara) {
    for c in node.children().filter(Node::is_element) {
        let local = c.tag_name().name();
        match local {
            // Deletions (and moved-away text) are dropped; comments, footnote
            // and field codes carry no body text.
            "del" | "moveFrom" | "instrText" | "delText" | "commentReference"
            | "footnoteReference" | "endnoteReference" | "pPr" | "rPr" => {}
            "r" => {
                let rpr = child(&c, "rPr");
                let bold = on(rpr.and_then(|r| child(&r, "b")));
                let size: Option<u32> =
                    rpr.and_then(|r| child(&r, "sz")).and_then(|s| w_attr(&s, "val")?.parse().ok());
                let before = p.text.chars().count();
                read_run(c, p);
                let n = p.text.chars().count() - before;
                let visible = n > 0;
                p.chars += n;
                if bold {
                    p.bold_chars += n;
                }
                if visible && let Some(s) = size {
                    p.max_size = Some(p.max_size.map_or(s, |m| m.max(s)));
                }
            }
            "AlternateContent" => {
                // Word writes a picture twice (a modern Choice and a VML Fallback).
                if let Some(choice) = c.children().find(|x| x.tag_name().name() == "Choice") {
                    read_runs(choice, p);
                }
            }
            // Insertions, moved-to text, hyperlinks, smart tags, fields, content controls.
            _ => read_runs(c, p),
        }
    }
}

fn read_run(run: Node<'_, '_>, p: &mut RawPara) {
    for c in run.children().filter(Node::is_element) {
        match c.tag_name().name() {
            "t" if is_w(&c, "t") => p.text.push_str(c.text().unwrap_or("")),
            "tab" if is_w(&c, "tab") => p.text.push(' '),
            "noBreakHyphen" => p.text.push('-'),
            "drawing" | "pict" | "object" => {
                for d in c.descendants() {
                    let id = match d.tag_name().name() {
                        "blip" => d.attribute((R, "embed")),
                        "imagedata" => d.attribute((R, "id")),
                        _ => None,
                    };
                    if let Some(id) = id
                        && !p.images.iter().any(|i| i == id)
                    {
                        p.images.push(id.to_string());
                    }
                }
            }
            "AlternateContent" => {
                if let Some(choice) = c.children().find(|x| x.tag_name().name() == "Choice") {
                    read_run(choice, p);
                }
            }
            _ => {}
        }
    }
}

fn read_para(node: Node<'_, '_>) -> RawPara {
    let mut p = RawPara::default();
    if let Some(ppr) = child(&node, "pPr") {
        p.style = child(&ppr, "pStyle").and_then(|s| w_attr(&s, "val")).map(str::to_string);
        p.centred =
            child(&ppr, "jc").and_then(|j| w_attr(&j, "val")).is_some_and(|v| v == "center");
    }
    read_runs(node, &mut p);
    p
}

/// Reads a table row by row: the cells of a row joined by an ideographic space.
fn read_table(node: Node<'_, '_>, out: &mut Vec<RawPara>) {
    for row in node.children().filter(|c| is_w(c, "tr")) {
        let mut cells = Vec::new();
        let mut images = Vec::new();
        for cell in row.children().filter(|c| is_w(c, "tc")) {
            let mut parts = Vec::new();
            for p in cell.descendants().filter(|d| is_w(d, "p")) {
                let rp = read_para(p);
                images.extend(rp.images);
                let t = clean_line(&rp.text);
                if !t.is_empty() {
                    parts.push(t);
                }
            }
            cells.push(parts.join(""));
        }
        let text = cells.into_iter().filter(|c| !c.is_empty()).collect::<Vec<_>>().join("\u{3000}");
        out.push(RawPara { text, images, row: true, ..RawPara::default() });
    }
}

fn read_body(node: Node<'_, '_>, out: &mut Vec<RawPara>, tables: &mut usize) {
    for c in node.children().filter(Node::is_element) {
        if is_w(&c, "p") {
            out.push(read_para(c));
        } else if is_w(&c, "tbl") {
            *tables += 1;
            read_table(c, out);
        } else if is_w(&c, "sdt") {
            if let Some(content) = child(&c, "sdtContent") {
                read_body(content, out, tables);
            }
        } else if c.tag_name().name() == "AlternateContent"
            && let Some(choice) = c.children().find(|x| x.tag_name().name() == "Choice")
        {
            read_body(choice, out, tables);
        }
    }
}

/// Picture targets of the document part: relationship id → zip path.
fn read_rels(xml: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Ok(doc) = Document::parse(xml) else { return out };
    for r in doc.root_element().children().filter(Node::is_element) {
        let (Some(id), Some(target)) = (r.attribute("Id"), r.attribute("Target")) else {
            continue;
        };
        if r.attribute("TargetMode") == Some("External") {
            continue;
        }
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("word/{target}"),
        };
        out.insert(id.to_string(), path);
    }
    out
}

/// The extension Typst reads a picture by, from its bytes.
fn picture_ext(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(b"GIF8") {
        Some("gif")
    } else if bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// File-name stem for pictures of the input `name`: its file stem with
/// anything but letters, digits, `-` and `_` replaced.
pub fn picture_stem(name: &str) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let clean: String = stem
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    if clean.is_empty() { "doc".to_string() } else { clean }
}

/// Reads a .docx. `photo_dir` is the folder, relative to the draft, that
/// extracted pictures go to; they are named `<stem>-NN.<ext>` in order of
/// first appearance.
pub fn read(name: &str, bytes: &[u8], photo_dir: &str) -> Result<DocxRead, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("the .docx is not a readable zip archive: {e}"))?;
    let document = read_part(&mut zip, "word/document.xml")?
        .ok_or_else(|| "the .docx has no word/document.xml".to_string())?;
    let document = xml_text(&document, "word/document.xml")?;
    let (styles, default_size) = match read_part(&mut zip, "word/styles.xml")? {
        Some(b) => read_styles(&xml_text(&b, "word/styles.xml")?),
        None => (HashMap::new(), None),
    };
    let rels = match read_part(&mut zip, "word/_rels/document.xml.rels")? {
        Some(b) => read_rels(&xml_text(&b, "word/_rels/document.xml.rels")?),
        None => HashMap::new(),
    };
    let doc = Document::parse_with_options(
        &document,
        roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() },
    )
    .map_err(|e| format!("word/document.xml is not well-formed XML: {e}"))?;
    let body = child(&doc.root_element(), "body")
        .ok_or_else(|| "word/document.xml has no body".to_string())?;
    let mut raws = Vec::new();
    let mut tables = 0usize;
    read_body(body, &mut raws, &mut tables);

    // Body size: the most common run size, else the default.
    let mut sizes: BTreeMap<u32, usize> = BTreeMap::new();
    for r in &raws {
        if let Some(s) = r.max_size {
            *sizes.entry(s).or_default() += r.chars;
        }
    }
    let body_size = sizes
        .iter()
        .max_by_key(|(s, n)| (**n, std::cmp::Reverse(**s)))
        .map(|(s, _)| *s)
        .or(default_size);

    let mut out = DocxRead { paragraphs: raws.len(), ..DocxRead::default() };
    if tables > 0 {
        out.notes.push(format!(
            "{name}: {tables} table(s) read row by row, cells separated by an ideographic space; check them in the draft"
        ));
    }
    let stem = picture_stem(name);
    let mut extracted: HashMap<String, String> = HashMap::new();
    let mut skipped = 0usize;
    let mut gap = 0usize;
    for (i, r) in raws.iter().enumerate() {
        let number = i + 1;
        let text = clean_line(&r.text);
        let style = r.style.as_ref().and_then(|s| styles.get(s)).cloned().unwrap_or_default();
        if !text.is_empty() {
            let len = text.chars().count();
            let size = r.max_size.or(style.size);
            let larger = matches!((size, body_size), (Some(s), Some(b)) if s > b);
            let bold = style.bold || (r.chars > 0 && r.bold_chars * 2 > r.chars);
            let centred = r.centred || style.centred;
            let looks_title = style.heading
                || (centred && (bold || larger))
                || (bold && larger)
                || (i == 0 && (centred || bold || larger));
            let mut kind = classify(&text);
            if r.row {
                // A table row is never a title, whatever its formatting.
                if kind != Kind::Furniture {
                    kind = Kind::Row;
                }
            } else if looks_title
                && len <= TITLE_MAX
                && !ends_with_colon(&text)
                && !is_caption(&text)
                && matches!(kind, Kind::Text | Kind::Heading)
                && !text.ends_with(['。', '！', '？'])
            {
                kind = Kind::Heading;
            } else if kind == Kind::Heading && !style.heading && !bold && !centred && !larger {
                let under_title = out.blocks.last().is_some_and(|b| b.kind == Kind::Heading)
                    && gap == 0
                    && len <= 20;
                if under_title {
                    // A plain short line right under a title names the
                    // submitting office or author: a byline.
                    kind = Kind::Byline;
                } else if len > 12 {
                    // A plain paragraph Word shows as body text stays body text.
                    kind = Kind::Text;
                }
            }
            out.blocks.push(Para {
                text,
                kind,
                first_line: number,
                last_line: number,
                gap_before: gap,
                nlines: 1,
                image: None,
            });
            gap = 0;
        } else if r.images.is_empty() {
            gap += 1;
        }
        for id in &r.images {
            let Some(target) = rels.get(id) else { continue };
            let file = if let Some(f) = extracted.get(target) {
                f.clone()
            } else {
                let Some(data) = read_part(&mut zip, target)? else { continue };
                let Some(ext) = picture_ext(&data) else {
                    skipped += 1;
                    continue;
                };
                let file = format!("{photo_dir}/{stem}-{:02}.{ext}", out.pictures.len() + 1);
                out.pictures.push((file.clone(), data));
                extracted.insert(target.clone(), file.clone());
                file
            };
            out.blocks.push(Para {
                text: String::new(),
                kind: Kind::Caption,
                first_line: number,
                last_line: number,
                gap_before: 0,
                nlines: 1,
                image: Some(file),
            });
        }
    }
    if skipped > 0 {
        out.notes.push(format!(
            "{name}: {skipped} picture(s) in a format Typst cannot place (EMF, WMF, TIFF …) were left out; save them as JPEG or PNG and add them under `photos:`"
        ));
    }
    attach_captions(&mut out.blocks);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_blocks_titles_bylines_captions() {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/formats/xiaxian.docx");
        let r = read("xiaxian.docx", &std::fs::read(path).unwrap(), "p").unwrap();
        let kinds: Vec<(&Kind, &str)> =
            r.blocks.iter().map(|b| (&b.kind, b.text.as_str())).collect();
        assert_eq!(kinds[0], (&Kind::Heading, "夏县扎实推进基层党建工作"));
        assert_eq!(kinds[1], (&Kind::Byline, "夏县县委组织部"));
        let photos: Vec<(&str, &str)> = r
            .blocks
            .iter()
            .filter_map(|b| b.image.as_deref().map(|i| (i, b.text.as_str())))
            .collect();
        assert_eq!(
            photos,
            [
                ("p/xiaxian-01.png", "▲夏县党员志愿者在瑶峰镇社区开展服务"),
                ("p/xiaxian-02.png", "图为培训现场")
            ]
        );
        assert_eq!(r.pictures.len(), 2);
        // The table's rows, header included, are rows: never a title.
        let rows: Vec<&str> =
            r.blocks.iter().filter(|b| b.kind == Kind::Row).map(|b| b.text.as_str()).collect();
        assert_eq!(rows, ["培训内容\u{3000}课时", "产业发展\u{3000}4课时"]);
        let titles: Vec<String> = super::super::layout::analyse_blocks(r.blocks.clone())
            .into_iter()
            .map(|a| a.title)
            .collect();
        assert_eq!(titles, ["夏县扎实推进基层党建工作", "夏县举办乡村振兴专题培训班"]);
        assert!(
            !r.blocks.iter().any(|b| b.text.contains("删除的旧数字") || b.text.contains("批注"))
        );
    }
}
