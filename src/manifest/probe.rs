//! Checking a photo file before anything is decoded: where it is (inside the project
//! folder), what it is (read from the content, never the extension), whether it is
//! whole, and how many pixels it claims. Only the header is parsed, so a
//! decompression bomb is refused in bounded time and memory.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::ImageDecoder as _;

use super::known::{self, Known, Seen};
use super::photos::PhotoEntry;
use crate::diag::{Diagnostic, SourceText};
use crate::manifest::{Photo, PhotoFormat};

/// Largest photo accepted, in pixels (80 megapixels: above any phone's or camera's
/// usual output, and about 240 MB once decoded).
pub const MAX_PIXELS: u64 = 80_000_000;
/// Longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 30_000;
/// Largest photo file accepted, in bytes.
pub const MAX_FILE_BYTES: u64 = 100_000_000;

const CONVERT: &str = "convert it to JPEG (in any photo viewer: Save As / Export → JPEG) and point `file:` at the JPEG";

/// Checks every photo of an article; returns the checked photos, or pushes one
/// diagnostic per bad photo.
pub fn check_all(
    entries: &[PhotoEntry],
    source: &SourceText,
    base: &Path,
    root: &Path,
    known: &Known,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Photo> {
    let mut out = Vec::new();
    for e in entries {
        match check_known(e, base, root, known) {
            Ok(photo) => out.push(photo),
            Err((message, hint)) => {
                diags.push(Diagnostic::error(message).at(source, e.span.clone()).hint(hint));
            }
        }
    }
    out
}

type Problem = (String, String);

/// Checks one photo entry: `base` is the manifest's folder, `root` the folder nothing
/// may leave.
pub fn check(e: &PhotoEntry, base: &Path, root: &Path) -> Result<Photo, Problem> {
    check_known(e, base, root, &Known::new())
}

/// Checks one photo entry like [`check`], without reading the file when `known` has a
/// trusted entry for it ([`known::trusted`]): a file of that size and time was read and
/// checked by an earlier build.
pub fn check_known(
    e: &PhotoEntry,
    base: &Path,
    root: &Path,
    known: &Known,
) -> Result<Photo, Problem> {
    let file = &e.file;
    let path = resolve(base, root, file)?;
    // The time of reading is taken before the file is looked at: a write after it
    // cannot make the recorded hash look settled.
    let read_ns = known::nanos(std::time::SystemTime::now());
    let meta = std::fs::metadata(&path).ok();
    let stamp = meta.as_ref().and_then(known::stamp);
    let photo = |digest: String, format: PhotoFormat, (width, height): (u32, u32)| Photo {
        file: file.clone(),
        span: e.span.clone(),
        path: path.clone(),
        caption: e.caption.clone(),
        credit: e.credit.clone(),
        size: e.size,
        digest,
        format,
        width,
        height,
        seen: stamp.map(|(size, mtime_ns)| Seen { size, mtime_ns, read_ns }),
    };
    if let Some((size, mtime_ns)) = stamp
        && let Some(k) = known::trusted(known, &path, size, mtime_ns)
    {
        let mut p = photo(k.sha256.clone(), k.format, (k.width, k.height));
        p.seen = Some(k.seen);
        return Ok(p);
    }
    let len = meta.map(|m| m.len()).unwrap_or(0);
    if len > MAX_FILE_BYTES {
        return Err((
            format!(
                "photo `{file}` is {} MB, more than the {} MB limit",
                len / 1_000_000,
                MAX_FILE_BYTES / 1_000_000
            ),
            "export a smaller JPEG (a 12-megapixel JPEG is 3–8 MB)".into(),
        ));
    }
    let bytes = std::fs::read(&path).map_err(|err| {
        (format!("cannot read photo `{file}`: {err}"), "check the file's permissions".into())
    })?;
    let format = sniff(&bytes).map_err(|what| {
        (
            format!("photo `{file}` is {what}, which jianbao cannot place"),
            format!("JPEG, PNG and WebP are accepted; {CONVERT}"),
        )
    })?;
    if let Some(why) = truncated(&bytes, format) {
        return Err((
            format!("photo `{file}` is damaged: {why}"),
            "the file was cut off or corrupted while copying; copy it again from the camera or the sender".into(),
        ));
    }
    let (width, height) = header(&bytes, format).map_err(|err| {
        (
            format!("photo `{file}` is damaged: {err}"),
            "open it in a photo viewer; if it shows, save it again as JPEG".into(),
        )
    })?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS || width.max(height) > MAX_SIDE {
        return Err((
            format!(
                "photo `{file}` claims {width} × {height} pixels, more than the limit of {} megapixels ({MAX_SIDE} per side)",
                MAX_PIXELS / 1_000_000
            ),
            "no briefing photo needs that many pixels; export it at most 6000 pixels wide".into(),
        ));
    }
    Ok(photo(crate::digest::sha256(&bytes), format, (width, height)))
}

/// Resolves `file` against the manifest's folder and checks it stays inside `root`
/// ([`crate::fs::resolve_inside`]): no absolute paths, and no `..` or link that leaves it.
pub fn resolve(base: &Path, root: &Path, file: &str) -> Result<PathBuf, Problem> {
    use crate::fs::Refused;
    let hint =
        "`file` is relative to the manifest's folder and must stay inside the project folder";
    crate::fs::resolve_inside(base, root, file).map_err(|why| match why {
        Refused::Absolute | Refused::Drive => {
            (format!("photo `{file}` is an absolute path, which is not allowed"), hint.into())
        }
        Refused::Leaves => {
            (format!("photo `{file}` is outside the project folder (`..` leaves it)"), hint.into())
        }
        Refused::LinkLeaves => (
            format!("photo `{file}` is outside the project folder (it is a link that leaves it)"),
            hint.into(),
        ),
        Refused::Missing => (
            format!("photo `{file}` does not exist in {}", crate::fs::folder_name(base)),
            "check the file name; `file` is relative to the manifest's folder".to_string(),
        ),
        Refused::NotAFile => (format!("photo `{file}` is not a file"), hint.into()),
    })
}

/// The format from the first bytes; for anything we do not place, what it is.
pub fn sniff(bytes: &[u8]) -> Result<PhotoFormat, &'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return Ok(PhotoFormat::Jpeg);
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Ok(PhotoFormat::Png);
    }
    if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Ok(PhotoFormat::Webp);
    }
    if bytes.get(4..8) == Some(b"ftyp") {
        let brand = bytes.get(8..12).unwrap_or_default();
        return Err(match brand {
            b"avif" | b"avis" => "an AVIF image",
            b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                "a HEIC/HEIF photo (the iPhone's format)"
            }
            _ => "a video or ISO media file",
        });
    }
    if starts(b"II*\0") || starts(b"MM\0*") {
        return Err("a TIFF image");
    }
    if starts(b"BM") {
        return Err("a BMP image");
    }
    if starts(b"GIF8") {
        return Err("a GIF image");
    }
    if starts(b"%PDF") {
        return Err("a PDF document");
    }
    if starts(b"%!PS") || starts(&[0xC5, 0xD0, 0xD3, 0xC6]) {
        return Err("an EPS/PostScript file");
    }
    if starts(b"<svg") || starts(b"<?xml") {
        return Err("an SVG or XML file");
    }
    Err("not an image")
}

/// Why the file is cut off, if it is: a JPEG without its end marker, a PNG without its
/// end chunk, a WebP shorter than its RIFF header says.
fn truncated(bytes: &[u8], format: PhotoFormat) -> Option<String> {
    match format {
        PhotoFormat::Jpeg => {
            // Some cameras pad after the end marker; look at the last few hundred bytes.
            let tail = &bytes[bytes.len().saturating_sub(512)..];
            (!tail.windows(2).any(|w| w == [0xFF, 0xD9]))
                .then(|| "the JPEG data ends before its end marker".into())
        }
        PhotoFormat::Png => {
            let tail = &bytes[bytes.len().saturating_sub(64)..];
            (!tail.windows(4).any(|w| w == b"IEND"))
                .then(|| "the PNG data ends before its IEND chunk".into())
        }
        PhotoFormat::Webp => {
            let size = bytes.get(4..8).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))?;
            let want = u64::from(size) + 8;
            (want > bytes.len() as u64)
                .then(|| format!("the file has {} bytes but its header says {want}", bytes.len()))
        }
    }
}

fn image_format(format: PhotoFormat) -> image::ImageFormat {
    match format {
        PhotoFormat::Jpeg => image::ImageFormat::Jpeg,
        PhotoFormat::Png => image::ImageFormat::Png,
        PhotoFormat::Webp => image::ImageFormat::WebP,
    }
}

/// A decoder for the format; creating it parses only the header.
pub fn decoder(
    bytes: &[u8],
    format: PhotoFormat,
    limits: image::Limits,
) -> image::ImageResult<impl image::ImageDecoder + '_> {
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), image_format(format));
    reader.limits(limits);
    reader.into_decoder()
}

/// Decoding limits: the pixel limit, and memory for it with room for one conversion.
pub fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 8);
    limits
}

/// Width and height as displayed (after the EXIF orientation), from the header only.
fn header(bytes: &[u8], format: PhotoFormat) -> Result<(u32, u32), String> {
    let mut d = decoder(bytes, format, image::Limits::default()).map_err(|e| describe(&e))?;
    let (w, h) = d.dimensions();
    let turned = d.orientation().is_ok_and(|o| {
        use image::metadata::Orientation::*;
        matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
    });
    Ok(if turned { (h, w) } else { (w, h) })
}

/// A decoding error in words.
pub fn describe(e: &image::ImageError) -> String {
    match e {
        image::ImageError::Limits(_) => "it is larger than the pixel limit".into(),
        other => other.to_string(),
    }
}
