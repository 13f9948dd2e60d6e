//! Byte-level input handling for `ingest`: encoding detection (UTF-8 with or
//! without BOM, UTF-16 with BOM, GB18030/GBK), forced encodings, binary and
//! empty-file detection, lossy decoding of files cut mid-character, and
//! splitting the decoded text into numbered lines.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// The result of decoding one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text (BOM removed, line endings untouched).
    pub text: String,
    /// Name of the encoding that was used.
    pub encoding: &'static str,
    /// True when the input ended in the middle of a character (the decoded
    /// text then ends with U+FFFD).
    pub cut_mid_char: bool,
    /// Number of malformed sequences replaced by U+FFFD (including a cut
    /// final character).
    pub replacements: usize,
}

/// Why a file could not be decoded as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The file holds no bytes, or only whitespace.
    Empty,
    /// The file looks like binary data (NUL bytes or many control characters).
    Binary,
    /// The `--encoding` label is not known.
    UnknownEncoding(String),
}

/// Decodes `bytes`, either with the forced encoding `forced` (an encoding
/// label such as `gbk`, `gb18030`, `utf-8`, `big5`) or by detection: a BOM
/// wins, then valid UTF-8, then GB18030, else the decoding with the fewest
/// replacement characters.
pub fn decode(bytes: &[u8], forced: Option<&str>) -> Result<Decoded, DecodeError> {
    let forced_enc = match forced {
        Some(label) => Some(
            Encoding::for_label(label.trim().as_bytes())
                .ok_or_else(|| DecodeError::UnknownEncoding(label.to_string()))?,
        ),
        None => None,
    };
    let (bom_enc, bom_len) = match Encoding::for_bom(bytes) {
        Some((enc, len)) => (Some(enc), len),
        None => (None, 0),
    };
    let body = bytes.get(bom_len..).unwrap_or(&[]);
    let enc_is_utf16 = |e: &'static Encoding| e == UTF_16LE || e == UTF_16BE;
    let chosen = forced_enc.or(bom_enc);
    if body.is_empty() {
        return Err(DecodeError::Empty);
    }
    if !chosen.is_some_and(enc_is_utf16) && looks_binary(body) {
        return Err(DecodeError::Binary);
    }
    let decoded = match chosen {
        Some(enc) => decode_with(enc, body),
        None => detect(body),
    };
    if decoded.text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if looks_binary_text(&decoded.text) {
        return Err(DecodeError::Binary);
    }
    Ok(decoded)
}

fn detect(body: &[u8]) -> Decoded {
    match std::str::from_utf8(body) {
        Ok(s) => Decoded {
            text: s.to_string(),
            encoding: UTF_8.name(),
            cut_mid_char: false,
            replacements: 0,
        },
        Err(e) if e.error_len().is_none() => {
            // Valid UTF-8 up to an incomplete final character: a cut file.
            let mut text = String::from_utf8_lossy(body).into_owned();
            if !text.ends_with('\u{FFFD}') {
                text.push('\u{FFFD}');
            }
            Decoded { text, encoding: UTF_8.name(), cut_mid_char: true, replacements: 1 }
        }
        Err(_) => {
            let gb = decode_with(GB18030, body);
            if gb.replacements == 0 || (gb.replacements == 1 && gb.cut_mid_char) {
                return gb;
            }
            let utf = decode_with(UTF_8, body);
            if utf.replacements <= gb.replacements { utf } else { gb }
        }
    }
}

fn decode_with(enc: &'static Encoding, body: &[u8]) -> Decoded {
    let (cow, _had_errors) = enc.decode_without_bom_handling(body);
    let text = cow.into_owned();
    let replacements = text.chars().filter(|&c| c == '\u{FFFD}').count();
    // A cut final character decodes to a trailing U+FFFD; check that the
    // bytes without the last few decode cleanly to the same prefix.
    let cut_mid_char = text.ends_with('\u{FFFD}') && {
        let mut cut = false;
        for drop in 1..=3usize {
            let Some(prefix) = body.get(..body.len().saturating_sub(drop)) else {
                break;
            };
            let (p, errs) = enc.decode_without_bom_handling(prefix);
            if !errs {
                cut = text.strip_suffix('\u{FFFD}') == Some(&*p);
                break;
            }
        }
        cut
    };
    Decoded { text, encoding: enc.name(), cut_mid_char, replacements }
}

/// NUL bytes or more than 10% control bytes in the first 64 KiB.
fn looks_binary(body: &[u8]) -> bool {
    let head = body.get(..body.len().min(65536)).unwrap_or(body);
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    controls * 10 > head.len()
}

fn looks_binary_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars().take(65536) {
        total += 1;
        if c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')) {
            bad += 1;
        }
    }
    total > 0 && bad * 5 > total
}

/// One line of the decoded text, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number (lines are separated by `\n`; `\r\n` counts once).
    pub number: usize,
    /// The line's text without line terminator.
    pub text: &'a str,
}

/// Splits text into lines numbered the way `str::lines` counts them
/// (`\n` and `\r\n` end a line). A lone `\r` inside a line also splits it,
/// but the pieces keep the same line number, so line ranges stay within the
/// file for tools that count `\n` only.
pub fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        for piece in raw.split('\r') {
            out.push(Line { number: i + 1, text: piece });
        }
    }
    // `split` yields a final empty piece after a trailing newline; it is not
    // a line of the file.
    if text.ends_with('\n') && out.last().is_some_and(|l| l.text.is_empty()) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_plain_and_bom() {
        let d = decode("标题\n正文。".as_bytes(), None).unwrap();
        assert_eq!(d.text, "标题\n正文。");
        assert_eq!(d.encoding, "UTF-8");
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice("标题\n正文。".as_bytes());
        let d = decode(&with_bom, None).unwrap();
        assert_eq!(d.text, "标题\n正文。");
    }

    #[test]
    fn gb18030_detected_and_forced() {
        let (bytes, _, _) = GB18030.encode("盐湖区新就业群体党员1300余名。");
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.text, "盐湖区新就业群体党员1300余名。");
        assert_eq!(d.encoding, "gb18030");
        let d = decode(&bytes, Some("gbk")).unwrap();
        assert_eq!(d.text, "盐湖区新就业群体党员1300余名。");
        assert!(matches!(decode(&bytes, Some("klingon")), Err(DecodeError::UnknownEncoding(_))));
    }

    #[test]
    fn utf16_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "标题\n正文。".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&bytes, None).unwrap().text, "标题\n正文。");
    }

    #[test]
    fn cut_mid_character() {
        let s = "正文内容。第二段没有写完";
        let bytes = s.as_bytes();
        let cut = &bytes[..bytes.len() - 1];
        let d = decode(cut, None).unwrap();
        assert!(d.cut_mid_char);
        assert!(d.text.ends_with('\u{FFFD}'));
        assert!(d.text.starts_with("正文内容。第二段没有写"));
        let (gb, _, _) = GB18030.encode(s);
        let d = decode(&gb[..gb.len() - 1], None).unwrap();
        assert!(d.cut_mid_char, "{d:?}");
        assert_eq!(d.encoding, "gb18030");
    }

    #[test]
    fn binary_and_empty() {
        assert_eq!(decode(b"", None), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\r\n\t", None), Err(DecodeError::Empty));
        assert_eq!(decode(&[0xEF, 0xBB, 0xBF], None), Err(DecodeError::Empty));
        assert_eq!(decode(b"PK\x03\x04\x00\x00abc", None), Err(DecodeError::Binary));
        let ctl: Vec<u8> = (0..200u8).map(|i| i % 8 + 1).collect();
        assert_eq!(decode(&ctl, None), Err(DecodeError::Binary));
    }

    #[test]
    fn lines_crlf_and_lone_cr() {
        let ls = split_lines("a\r\nb\n\nc\rd\n");
        let v: Vec<(usize, &str)> = ls.iter().map(|l| (l.number, l.text)).collect();
        assert_eq!(v, vec![(1, "a"), (2, "b"), (3, ""), (4, "c"), (4, "d")]);
        assert_eq!(split_lines("x").len(), 1);
        assert!(split_lines("").len() <= 1);
    }
}
