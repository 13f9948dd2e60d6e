//! Which reader an `ingest` input goes to, told from its content (magic bytes)
//! before its extension: text dumps, Word `.docx`, saved web pages, and the
//! formats that are refused with a way to convert them (`.doc`, `.wps`, `.pdf`, RTF).

/// What an input file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A plain-text dump of a page.
    Text,
    /// A Word 2007+ document (a zip holding `word/document.xml`), as Word and WPS save it.
    Docx,
    /// A saved web page.
    Html,
    /// A format `ingest` cannot read; the user must convert it.
    Refused(Refusal),
}

/// A format `ingest` refuses, with how to convert it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Word 97–2003 binary document.
    Doc,
    /// WPS Office's own binary document.
    Wps,
    /// PDF.
    Pdf,
    /// Rich Text Format.
    Rtf,
    /// A zip archive that is not a Word document (.xlsx, .pptx, .odt …).
    OtherZip,
}

impl Refusal {
    /// The message and the hint of the diagnostic.
    pub fn explain(self) -> (&'static str, &'static str) {
        match self {
            Refusal::Doc => (
                "a Word 97-2003 document (.doc), which ingest cannot read",
                "open it in Word or WPS and save it as .docx (Word document) or as plain text (.txt), then ingest that file",
            ),
            Refusal::Wps => (
                "a WPS document (.wps), which ingest cannot read",
                "open it in WPS and use 另存为 to save it as .docx (Word document) or plain text (.txt), then ingest that file",
            ),
            Refusal::Pdf => (
                "a PDF, which ingest cannot read",
                "extract its text with `pdftotext -layout file.pdf file.txt` (poppler-utils) and ingest the .txt; pictures can be saved with `pdfimages -j`",
            ),
            Refusal::Rtf => (
                "a Rich Text (RTF) document, which ingest cannot read",
                "open it in Word or WPS and save it as .docx or as plain text (.txt)",
            ),
            Refusal::OtherZip => (
                "a zip archive that is not a Word document (no word/document.xml)",
                "ingest reads .docx, saved web pages (.html) and text dumps; save spreadsheets and slides as text first",
            ),
        }
    }
}

/// OLE2 compound file header (Word 97-2003 .doc, old .wps, .xls).
const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn extension(name: &str) -> String {
    let lower = name.to_lowercase();
    lower.rsplit_once('.').map(|(_, e)| e.to_string()).unwrap_or_default()
}

/// Tells the format of `bytes` (named `name`) from its content first.
pub fn detect(name: &str, bytes: &[u8]) -> Format {
    let ext = extension(name);
    if bytes.starts_with(OLE2) {
        return Format::Refused(if ext == "wps" { Refusal::Wps } else { Refusal::Doc });
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Format::Refused(Refusal::Pdf);
    }
    if bytes.starts_with(b"{\\rtf") {
        return Format::Refused(Refusal::Rtf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // The central directory names every part; a .docx names word/document.xml.
        let tail = &bytes[bytes.len().saturating_sub(1 << 20)..];
        return if tail.windows(17).any(|w| w == b"word/document.xml") {
            Format::Docx
        } else {
            Format::Refused(Refusal::OtherZip)
        };
    }
    if matches!(ext.as_str(), "html" | "htm" | "xhtml" | "shtml" | "mht") || looks_like_html(head) {
        return Format::Html;
    }
    if matches!(ext.as_str(), "doc" | "wps" | "docx") && !looks_textual(head) {
        return Format::Refused(if ext == "wps" { Refusal::Wps } else { Refusal::Doc });
    }
    Format::Text
}

fn looks_textual(head: &[u8]) -> bool {
    !head.contains(&0)
}

/// A page that opens with `<!DOCTYPE html` or `<html` (after a BOM and blanks).
fn looks_like_html(head: &[u8]) -> bool {
    let s = String::from_utf8_lossy(head);
    let t = s.trim_start_matches('\u{feff}').trim_start().to_ascii_lowercase();
    t.starts_with("<!doctype html") || t.starts_with("<html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_wins_over_extension() {
        let mut ole = OLE2.to_vec();
        ole.extend_from_slice(&[0; 64]);
        assert_eq!(detect("a.docx", &ole), Format::Refused(Refusal::Doc));
        assert_eq!(detect("a.wps", &ole), Format::Refused(Refusal::Wps));
        assert_eq!(detect("a.txt", &ole), Format::Refused(Refusal::Doc));
        assert_eq!(detect("scan.txt", b"%PDF-1.7\n%\xe2\xe3"), Format::Refused(Refusal::Pdf));
        assert_eq!(detect("a.doc", b"{\\rtf1\\ansi"), Format::Refused(Refusal::Rtf));
        assert_eq!(detect("a.zip", b"PK\x03\x04xx"), Format::Refused(Refusal::OtherZip));
        assert_eq!(detect("a.bin", b"PK\x03\x04......word/document.xml...."), Format::Docx);
        assert_eq!(detect("page.txt", b"\xef\xbb\xbf <!DOCTYPE html><p>x"), Format::Html);
        assert_eq!(detect("page.htm", "盐湖区".as_bytes()), Format::Html);
        assert_eq!(detect("page.txt", "盐湖区召开会议。".as_bytes()), Format::Text);
        // A text dump saved under a .doc name is still read.
        assert_eq!(detect("page.doc", "盐湖区召开会议。".as_bytes()), Format::Text);
    }
}
