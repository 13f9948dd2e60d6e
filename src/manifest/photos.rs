//! Reading an article's `photos:` list from the manifest: `file` (required), `caption`,
//! `credit` and `size` (`full`, `half` or a width in millimetres).

use std::ops::Range;

use crate::manifest::PhotoSize;
use crate::manifest::yaml::{Node, Reader, SNode};

/// A photo entry as written, before its file is checked.
#[derive(Debug, Clone)]
pub struct PhotoEntry {
    /// `file`, as written.
    pub file: String,
    /// Where `file` is written.
    pub span: Range<usize>,
    /// `caption`.
    pub caption: Option<String>,
    /// `credit`.
    pub credit: Option<String>,
    /// `size`.
    pub size: PhotoSize,
}

/// Narrowest and widest width in millimetres `size:` accepts.
pub const SIZE_MM: (f64, f64) = (20.0, 170.0);

/// Reads `photos:`; problems are recorded in the reader and the entry is skipped.
pub fn read(r: &mut Reader, node: &SNode) -> Vec<PhotoEntry> {
    let Some(items) = r.list(node, "photos") else { return Vec::new() };
    items.iter().filter_map(|item| entry(r, item)).collect()
}

fn entry(r: &mut Reader, node: &SNode) -> Option<PhotoEntry> {
    if let Node::Str(s) = &node.value {
        r.error_at(
            node,
            format!("a photo must be a mapping with `file:`, not the text \"{s}\""),
            "write `- file: photos/a.jpg` and, on the next lines, `caption:`, `credit:`, `size:`",
        );
        return None;
    }
    let mut f = r.fields(node, &crate::manifest::fields::PHOTO)?;
    let file = f.required(r, "file").and_then(|n| r.text(n, "file").map(|s| (s, r.span_of(n))));
    let caption = f.get("caption").and_then(|n| r.text(n, "caption"));
    let credit = f.get("credit").and_then(|n| r.text(n, "credit"));
    let size = f.get("size").and_then(|n| size(r, n)).unwrap_or_default();
    f.finish(r);
    let (file, span) = file?;
    Some(PhotoEntry { file, span, caption, credit, size })
}

fn size(r: &mut Reader, node: &SNode) -> Option<PhotoSize> {
    let mm = match &node.value {
        Node::Str(s) if s == "full" => return Some(PhotoSize::Full),
        Node::Str(s) if s == "half" => return Some(PhotoSize::Half),
        Node::Str(s) => s.trim().trim_end_matches("mm").trim().parse::<f64>().ok(),
        Node::Int(i) => Some(*i as f64),
        Node::Float(x) => Some(*x),
        _ => None,
    };
    match mm {
        Some(mm) if (SIZE_MM.0..=SIZE_MM.1).contains(&mm) => {
            Some(PhotoSize::Tenths((mm * 10.0).round() as u32))
        }
        _ => {
            r.error_at(
                node,
                format!(
                    "`size` must be `full`, `half` or a width in millimetres from {} to {}",
                    SIZE_MM.0, SIZE_MM.1
                ),
                "e.g. `size: half` or `size: 80` (80 mm); the default is `full`, the type area's width",
            );
            None
        }
    }
}
