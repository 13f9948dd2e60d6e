//! What `jianbao serve` shows: the one HTML page (the documents, the chosen one's pages
//! as images, the last build's diagnostics, and the script that reloads it after a
//! rebuild), and the PNG image of a laid-out page (Typst's own renderer).

use std::fmt::Write as _;

use typst_layout::PagedDocument;

use super::Snapshot;
use crate::session::Status;

/// Pixels per point of page images: an A4 page is 893 × 1263 pixels.
pub const PIXELS_PER_PT: f64 = 1.5;

/// The PNG image of one page (0-based) of a laid-out document, or `None` when it has no
/// such page. The same pages always give the same bytes.
pub fn png(document: &PagedDocument, page: usize) -> Option<Vec<u8>> {
    let page = document.pages().get(page)?;
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(PIXELS_PER_PT),
        render_bleed: false,
    };
    typst_render::render(page, &options).encode_png().ok()
}

/// Text escaped for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Built => "built",
        Status::Skipped => "skipped",
        Status::Failed => "failed",
        Status::Stale => "stale",
        Status::Fresh => "fresh",
    }
}

/// The text on each page, for the images' `alt` (screen readers, find in page).
fn page_texts(document: &PagedDocument) -> Vec<String> {
    let mut texts = vec![String::new(); document.pages().len()];
    for b in crate::render::text_boxes(document) {
        if let Some(text) = texts.get_mut(b.page - 1) {
            text.push_str(&b.text);
        }
    }
    texts
}

/// A bundled face the page's own text is set in, served at `path`: the browser draws
/// Chinese text with it even on a machine without CJK fonts (no tofu).
pub struct Face {
    /// The route it is served at (exact; the page adds `?v=` and the fonts' digest).
    pub path: &'static str,
    /// Its file in [`crate::fonts::EMBEDDED`].
    pub file: &'static str,
    /// The family the page's CSS gives it.
    pub family: &'static str,
}

/// The page's faces, in the order of its `font-family`: FandolHei (a 黑体 suits the
/// page's UI text) and Noto Sans CJK SC, subset to the ideographs FandolHei lacks, as
/// the 黑 role of the templates has them (`crate::fonts::ROLES`).
pub static FACES: &[Face] = &[
    Face { path: "/font/hei.otf", file: "FandolHei-Regular.otf", family: "Jianbao Hei" },
    Face {
        path: "/font/hei-fallback.otf",
        file: "NotoSansCJKsc-Regular.otf",
        family: "Jianbao Hei Fallback",
    },
];

impl Face {
    /// The face's bytes, as compiled into the binary.
    pub fn bytes(&self) -> &'static [u8] {
        crate::fonts::EMBEDDED
            .iter()
            .find(|(name, _)| *name == self.file)
            .map(|(_, bytes)| *bytes)
            .expect("the page's faces are bundled fonts (a unit test checks)")
    }
}

/// The page's CSS: an `@font-face` for each bundled face, then the system's fonts after
/// them (for the rare character neither has).
fn style() -> String {
    let mut css = String::new();
    for face in FACES {
        let _ = write!(
            css,
            "@font-face{{font-family:\"{}\";src:url(\"{}?v={}\") format(\"opentype\");\
             font-weight:normal;font-style:normal;font-display:swap}}",
            face.family,
            face.path,
            env!("JIANBAO_FONTS_DIGEST"),
        );
    }
    let families: Vec<String> = FACES.iter().map(|f| format!("\"{}\"", f.family)).collect();
    let _ = write!(
        css,
        "body{{font-family:{},\"Noto Sans CJK SC\",\"Source Han Sans SC\",\
         \"PingFang SC\",\"Microsoft YaHei\",sans-serif}}",
        families.join(","),
    );
    css.push_str(STYLE);
    css
}

const STYLE: &str = "body{margin:0;background:#eee;color:#222}\
header{background:#fff;padding:.5em 1em;border-bottom:1px solid #ccc}\
h1{font-size:1.1em;margin:.2em 0}h2{font-size:1em}\
main{display:flex;gap:1em;padding:1em;align-items:flex-start}\
nav{background:#fff;padding:.5em;min-width:16em}\
table{border-collapse:collapse}td,th{padding:.2em .5em;text-align:left}\
tr.chosen{background:#def}.failed{color:#b00;font-weight:bold}\
#pages img{display:block;width:100%;max-width:893px;margin:0 0 1em;background:#fff;\
box-shadow:0 1px 4px #999}\
pre{background:#fff;padding:.5em;overflow:auto;white-space:pre-wrap}\
.errors{border-left:4px solid #b00}.warnings{border-left:4px solid #c80}";

/// The page for the `chosen` output (an index into the snapshot's documents).
pub fn html(snap: &Snapshot, chosen: usize) -> String {
    let chosen = chosen.min(snap.docs.len().saturating_sub(1));
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">\
         <title>{} — jianbao serve</title><style>{}</style></head>\n\
         <body data-generation=\"{}\">\n<header><h1>{}</h1><p id=\"state\">",
        escape(&snap.manifest),
        style(),
        snap.generation,
        escape(&snap.manifest),
    );
    let state = if snap.generation == 0 {
        "building…".to_string()
    } else if snap.stopped {
        format!(
            "the last build stopped with {} error(s); the pages are those of the last good build",
            snap.errors
        )
    } else {
        format!("built: {} error(s), {} warning(s)", snap.errors, snap.warnings)
    };
    let _ = write!(out, "{}</p></header>\n<main>\n<nav><table id=\"documents\">", escape(&state));
    out.push_str("<tr><th>document</th><th>status</th><th>pages</th></tr>\n");
    for (i, doc) in snap.docs.iter().enumerate() {
        let status = status_name(doc.status);
        let _ = writeln!(
            out,
            "<tr{}><td><a href=\"/?doc={i}\">{}</a></td><td class=\"{status}\">{status}</td>\
             <td>{}</td></tr>",
            if i == chosen { " class=\"chosen\"" } else { "" },
            escape(&doc.file),
            doc.pages,
        );
    }
    out.push_str("</table></nav>\n<div>\n");
    if !snap.diagnostics.is_empty() {
        let class = if snap.errors > 0 { "errors" } else { "warnings" };
        let _ = writeln!(
            out,
            "<pre id=\"diagnostics\" class=\"{class}\">{}</pre>",
            escape(&snap.diagnostics)
        );
    }
    out.push_str("<section id=\"pages\">\n");
    if let Some(doc) = snap.docs.get(chosen) {
        let _ = writeln!(out, "<h2>{}</h2>", escape(&doc.file));
        if doc.status == Status::Failed && doc.shown.is_some() {
            out.push_str("<p class=\"failed\">this document failed to build; its pages are those of its last good build</p>\n");
        }
        if let Some(shown) = &doc.shown {
            for (n, text) in page_texts(&shown.document).iter().enumerate() {
                let _ = writeln!(
                    out,
                    "<img src=\"/page/{chosen}/{}.png?v={}\" alt=\"{}\">",
                    n + 1,
                    escape(&shown.hash),
                    escape(text),
                );
            }
        }
    }
    out.push_str(
        "</section>\n</div>\n</main>\n<script>\n\
         const shown = document.body.dataset.generation;\n\
         const events = new EventSource('/events');\n\
         events.onmessage = (e) => { if (e.data !== shown) location.reload(); };\n\
         events.addEventListener('building', () => {\n\
         \x20 document.getElementById('state').textContent = 'rebuilding…';\n\
         });\n</script>\n</body></html>\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn diagnostics_reach_the_page_escaped() {
        let snap = Snapshot {
            generation: 3,
            manifest: "m.yaml".into(),
            diagnostics: "error: <script>alert(1)</script>\n".into(),
            errors: 1,
            ..Snapshot::default()
        };
        let page = html(&snap, 0);
        assert!(page.contains("error: &lt;script&gt;alert(1)&lt;/script&gt;"), "{page}");
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(page.contains("data-generation=\"3\""));
    }

    #[test]
    fn the_page_sets_its_text_in_bundled_faces_first() {
        let page = html(&Snapshot::default(), 0);
        for face in FACES {
            assert!(face.bytes().starts_with(b"OTTO"), "{} is not an OpenType font", face.file);
            let src = format!("src:url(\"{}?v={}\")", face.path, env!("JIANBAO_FONTS_DIGEST"));
            assert!(page.contains(&src), "{page}");
        }
        assert!(
            page.contains("body{font-family:\"Jianbao Hei\",\"Jianbao Hei Fallback\","),
            "{page}"
        );
        assert!(page.contains(",sans-serif}"), "{page}");
    }
}
