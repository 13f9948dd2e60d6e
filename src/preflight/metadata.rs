//! Document-level facts: the PDF version, the XMP packet and its PDF/A and PDF/X claims,
//! the output intents, metadata inside JPEG images, and decoding PDF names to text.

use lopdf::{Dictionary, Document, Object};

/// The header version, or the catalog's `/Version` when that is later.
pub(super) fn pdf_version(doc: &Document, catalog: Option<&Dictionary>) -> String {
    let header = doc.version.clone();
    let from_catalog = catalog
        .and_then(|c| c.get(b"Version").ok())
        .and_then(|v| v.as_name().ok())
        .map(name_to_string);
    match from_catalog {
        Some(v) if v.parse::<f64>().ok() > header.parse::<f64>().ok() => v,
        _ => header,
    }
}

/// The catalog's XMP metadata packet as text.
pub(super) fn xmp_metadata(doc: &Document, catalog: &Dictionary) -> Option<String> {
    let obj = catalog.get(b"Metadata").ok()?;
    let stream = doc.dereference(obj).ok()?.1.as_stream().ok()?;
    let bytes = stream.get_plain_content_with_limit(16 * 1024 * 1024).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The value of an XMP property written either as an attribute (`prop="v"`) or as an
/// element (`<prop>v</prop>`).
pub(super) fn xmp_value(xmp: &str, prop: &str) -> Option<String> {
    let mut rest = xmp;
    while let Some(at) = rest.find(prop) {
        let after = &rest[at + prop.len()..];
        let before = rest[..at].chars().next_back();
        rest = after;
        if !matches!(before, Some('<' | ' ' | '\t' | '\r' | '\n')) {
            continue;
        }
        let trimmed = after.trim_start();
        if let Some(value) = trimmed.strip_prefix('=') {
            let value = value.trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let end = value[1..].find(quote)?;
                return Some(value[1..=end].trim().to_owned());
            }
        } else if let Some(value) = trimmed.strip_prefix('>') {
            let end = value.find('<')?;
            return Some(value[..end].trim().to_owned());
        }
    }
    None
}

/// The PDF/A claim from the XMP: part and conformance, e.g. `2B`, or just `4`.
pub(super) fn pdfa_claim(xmp: &str) -> Option<String> {
    let part = xmp_value(xmp, "pdfaid:part").filter(|p| !p.is_empty())?;
    let conformance = xmp_value(xmp, "pdfaid:conformance").unwrap_or_default();
    Some(format!("{part}{}", conformance.to_uppercase()))
}

/// The PDF/X claim: `GTS_PDFXVersion` in the Info dictionary, else in the XMP.
pub(super) fn pdfx_claim(doc: &Document, xmp: Option<&str>) -> Option<String> {
    let from_info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
        .and_then(|info| info.get(b"GTS_PDFXVersion").ok())
        .and_then(|v| lopdf::decode_text_string(v).ok());
    from_info.or_else(|| {
        let xmp = xmp?;
        xmp_value(xmp, "pdfxid:GTS_PDFXVersion").or_else(|| xmp_value(xmp, "pdfx:GTS_PDFXVersion"))
    })
}

/// One entry of the catalog's `/OutputIntents`.
pub(super) struct OutputIntent {
    /// `/S`, e.g. `GTS_PDFX`, `GTS_PDFA1`.
    pub(super) subtype: String,
    pub(super) label: String,
}

pub(super) fn output_intents(doc: &Document, catalog: &Dictionary) -> Vec<OutputIntent> {
    let deref = |o: &Object| doc.dereference(o).ok().map(|(_, o)| o.clone());
    let Some(Object::Array(items)) = catalog.get(b"OutputIntents").ok().and_then(deref) else {
        return Vec::new();
    };
    let mut intents = Vec::new();
    for item in &items {
        let Some(Object::Dictionary(intent)) = deref(item) else { continue };
        let text = |key: &[u8]| {
            intent.get(key).ok().and_then(deref).and_then(|v| lopdf::decode_text_string(&v).ok())
        };
        let subtype = match intent.get(b"S").ok().and_then(deref) {
            Some(Object::Name(n)) => name_to_string(&n),
            _ => "?".into(),
        };
        let condition = text(b"OutputConditionIdentifier")
            .filter(|c| !c.is_empty())
            .or_else(|| text(b"OutputCondition"))
            .unwrap_or_else(|| "no condition".into());
        let profile = matches!(
            intent.get(b"DestOutputProfile").ok().and_then(deref),
            Some(Object::Stream(_))
        );
        let profile = if profile { "profile embedded" } else { "no profile" };
        intents
            .push(OutputIntent { label: format!("{subtype}: {condition} ({profile})"), subtype });
    }
    intents
}

/// Whether a `/DCTDecode` image stream holds EXIF/XMP (APP1), IPTC (APP13) or comment
/// segments before its scan data.
pub(super) fn jpeg_has_metadata(stream: &lopdf::Stream) -> bool {
    let dct = match stream.dict.get(b"Filter") {
        Ok(Object::Name(n)) => n == b"DCTDecode",
        Ok(Object::Array(items)) => {
            items.len() == 1 && matches!(&items[0], Object::Name(n) if n == b"DCTDecode")
        }
        _ => false,
    };
    let data = &stream.content;
    if !dct || !data.starts_with(&[0xFF, 0xD8]) {
        return false;
    }
    let mut i = 2;
    while i + 4 <= data.len() && data[i] == 0xFF {
        let marker = data[i + 1];
        if marker == 0xDA || marker == 0xD9 {
            return false;
        }
        if matches!(marker, 0xE1 | 0xED | 0xFE) {
            return true;
        }
        let len = usize::from(u16::from_be_bytes([data[i + 2], data[i + 3]]));
        i += 2 + len;
    }
    false
}

/// Decodes a PDF name as written in a file (`/#E7#BA#A2#E5#A4#B4`, with or without the
/// slash): `#xx` escapes become bytes, and the bytes are read as UTF-8 (→ `红头`).
pub fn decode_pdf_name(written: &str) -> String {
    let raw = written.strip_prefix('/').unwrap_or(written).as_bytes();
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = raw.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (raw[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'#', Some(byte)) => {
                bytes.push(byte);
                i += 3;
            }
            (b, _) => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    name_to_string(&bytes)
}

/// A name's bytes (escapes already undone by the parser) as text: UTF-8 when valid, else
/// printable ASCII with every other byte written `#xx`.
pub(super) fn name_to_string(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) if !s.chars().any(char::is_control) => s.to_owned(),
        _ => bytes
            .iter()
            .map(|&b| {
                if b.is_ascii_graphic() && b != b'#' {
                    char::from(b).to_string()
                } else {
                    format!("#{b:02X}")
                }
            })
            .collect(),
    }
}
