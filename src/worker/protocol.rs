//! The messages between the build and its worker processes, over the worker's stdin and
//! stdout: each message is a length-prefixed JSON header followed by the raw byte
//! blobs it announces (the document's data, its photos, the PDF), so no byte array is
//! ever spelled out in JSON.

use std::io::{self, Read, Write};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Severity, SourceText};
use crate::profile::Profile;
use crate::render::templates::{Origin, Templates};

/// Largest frame accepted (a PDF with its photos stays far below).
const MAX_FRAME: u64 = 4 << 30;

/// Writes one frame: its length as 8 little-endian bytes, then the bytes.
pub fn write_frame(w: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    w.write_all(&(bytes.len() as u64).to_le_bytes())?;
    w.write_all(bytes)
}

/// Reads one frame; end of input before its first byte is `UnexpectedEof`.
pub fn read_frame(r: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut len = [0u8; 8];
    r.read_exact(&mut len)?;
    let len = u64::from_le_bytes(len);
    if len > MAX_FRAME {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("frame of {len} bytes")));
    }
    let mut bytes = Vec::new();
    r.take(len).read_to_end(&mut bytes)?;
    if bytes.len() as u64 != len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(bytes)
}

/// Writes a header and its blobs, then flushes.
pub fn send<T: Serialize>(w: &mut impl Write, header: &T, blobs: &[&[u8]]) -> io::Result<()> {
    let json = serde_json::to_vec(header).map_err(io::Error::other)?;
    write_frame(w, &json)?;
    for blob in blobs {
        write_frame(w, blob)?;
    }
    w.flush()
}

/// Reads a header.
pub fn recv<T: DeserializeOwned>(r: &mut impl Read) -> io::Result<T> {
    let json = read_frame(r)?;
    serde_json::from_slice(&json).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// The first message to a worker: what its engine is made of.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct Hello {
    /// The run's templates.
    pub templates: Vec<WireTemplate>,
    /// `--font-path` folders.
    pub font_paths: Vec<String>,
    /// `--system-fonts`.
    pub system_fonts: bool,
}

/// One template file.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct WireTemplate {
    /// File name.
    pub name: String,
    /// Text.
    pub text: String,
    /// The file it was read from, or none when built in.
    pub file: Option<String>,
}

impl Hello {
    /// The hello for a run's templates and fonts.
    pub fn new(templates: &Templates, fonts: &crate::fonts::FontOptions) -> Hello {
        Hello {
            templates: templates
                .files
                .iter()
                .map(|(name, (text, origin))| WireTemplate {
                    name: name.clone(),
                    text: text.clone(),
                    file: match origin {
                        Origin::Builtin => None,
                        Origin::File(path) => Some(path.clone()),
                    },
                })
                .collect(),
            font_paths: fonts.font_paths.iter().map(|p| p.display().to_string()).collect(),
            system_fonts: fonts.system_fonts,
        }
    }

    /// The templates again.
    pub fn templates(&self) -> Templates {
        Templates {
            files: self
                .templates
                .iter()
                .map(|t| {
                    let origin = t.file.clone().map_or(Origin::Builtin, Origin::File);
                    (t.name.clone(), (t.text.clone(), origin))
                })
                .collect(),
        }
    }

    /// The font options again.
    pub fn fonts(&self) -> crate::fonts::FontOptions {
        crate::fonts::FontOptions {
            font_paths: self.font_paths.iter().map(Into::into).collect(),
            system_fonts: self.system_fonts,
        }
    }
}

/// One document to compile. Followed by the data blob, then one blob per photo.
#[derive(Debug, Serialize, Deserialize)]
pub struct Task {
    /// The output's file name (the PDF's identifier; names the worker's thread).
    pub file_name: String,
    /// The PDF's date.
    pub timestamp: i64,
    /// 0 screen, 1 print, 2 archive.
    pub profile: u8,
    /// Bleed of print files (mm).
    pub bleed_mm: f64,
    /// Crop-mark space of print files (mm).
    pub marks_mm: f64,
    /// The virtual paths of the photos that follow.
    pub photos: Vec<String>,
}

/// A profile as sent.
pub fn profile_code(profile: Profile) -> u8 {
    match profile {
        Profile::Screen => 0,
        Profile::Print => 1,
        Profile::Archive => 2,
    }
}

/// A profile as received.
pub fn profile_from(code: u8) -> Profile {
    match code {
        1 => Profile::Print,
        2 => Profile::Archive,
        _ => Profile::Screen,
    }
}

/// A worker's answer. Followed by the PDF blob when `ok`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Reply {
    /// Whether a PDF follows.
    pub ok: bool,
    /// Pages.
    pub pages: usize,
    /// Warnings, or the errors when not `ok`.
    pub diags: Vec<WireDiag>,
}

/// A diagnostic as sent.
#[derive(Debug, Serialize, Deserialize)]
pub struct WireDiag {
    /// Error (or warning).
    pub error: bool,
    /// Message.
    pub message: String,
    /// File name and text.
    pub source: Option<(String, String)>,
    /// Byte range in the text.
    pub span: Option<(usize, usize)>,
    /// Hints.
    pub hints: Vec<String>,
    /// The kind of problem, if named.
    pub code: Option<String>,
}

/// The codes a diagnostic can have, so one read back gets its `&'static str` again.
const CODES: &[&str] = &["environment", "ingest", "unreadable-pdf", "typst", "missing-glyph"];

impl From<&Diagnostic> for WireDiag {
    fn from(d: &Diagnostic) -> Self {
        WireDiag {
            error: d.is_error(),
            message: d.message.clone(),
            source: d.source.as_ref().map(|s| (s.name.clone(), s.text.to_string())),
            span: d.span.as_ref().map(|r| (r.start, r.end)),
            hints: d.hints.clone(),
            code: d.code.map(str::to_string),
        }
    }
}

impl From<WireDiag> for Diagnostic {
    fn from(w: WireDiag) -> Self {
        Diagnostic {
            severity: if w.error { Severity::Error } else { Severity::Warning },
            message: w.message,
            source: w.source.map(|(name, text)| SourceText::new(name, text)),
            span: w.span.map(|(a, b)| a..b),
            hints: w.hints,
            code: w.code.and_then(|c| CODES.iter().find(|k| **k == c).copied()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_a_cut_frame_is_an_error() {
        let mut buf = Vec::new();
        let task = Task {
            file_name: "盐湖区.pdf".into(),
            timestamp: 7,
            profile: 1,
            bleed_mm: 3.0,
            marks_mm: 0.0,
            photos: vec!["/photos/a.jpg".into()],
        };
        send(&mut buf, &task, &[b"{}", &[0, 255, 1]]).unwrap();
        let mut r = &buf[..];
        let back: Task = recv(&mut r).unwrap();
        assert_eq!(
            (back.file_name.as_str(), back.profile, back.photos.len()),
            ("盐湖区.pdf", 1, 1)
        );
        assert_eq!(read_frame(&mut r).unwrap(), b"{}");
        assert_eq!(read_frame(&mut r).unwrap(), [0, 255, 1]);
        assert_eq!(read_frame(&mut r).unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
        let mut cut = &buf[..buf.len() - 1];
        let _: Task = recv(&mut cut).unwrap();
        read_frame(&mut cut).unwrap();
        assert_eq!(read_frame(&mut cut).unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn diagnostics_keep_their_place_across_the_pipe() {
        let src = SourceText::new("templates/x.typ", "#let a = 1\n#b\n");
        let d = Diagnostic::warning("unknown variable: b").at(&src, 12..13).hint("define it");
        let back: Diagnostic = WireDiag::from(&d).into();
        assert_eq!(back.location().as_deref(), Some("templates/x.typ:2:2"));
        assert_eq!((back.is_error(), back.hints), (false, vec!["define it".to_string()]));
    }
}
