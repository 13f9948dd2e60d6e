//! Turning an original photo into the JPEG a document embeds: decode, turn it the right
//! way up (EXIF orientation), flatten transparency onto white paper, downsample to the
//! target width, and encode a fresh JPEG that carries no metadata at all (no EXIF, GPS,
//! XMP, IPTC, thumbnail or ICC segment: only the image).
//!
//! JPEG quality: 85 for screen files (no visible loss at 200 ppi, a fifth of the size
//! of a camera original) and 92 for print and archive files, where the plate, not the
//! file size, sets the limit. Print photos in `grey` mode are written as CMYK with ink
//! on the K plate only (C = M = Y = 0), Adobe-style inverted with the APP14 marker, as
//! PDF viewers and RIPs expect; in the PDF they are DeviceCMYK images.

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder as _, RgbImage};
use jpeg_encoder::{ColorType, Encoder};

use super::Mode;
use crate::manifest::PhotoFormat;
use crate::manifest::probe;

/// JPEG quality of screen photos.
pub const SCREEN_QUALITY: u8 = 85;
/// JPEG quality of print and archive photos.
pub const PRINT_QUALITY: u8 = 92;

/// Decodes an original and applies its EXIF orientation.
pub fn decode(bytes: &[u8], format: PhotoFormat) -> Result<DynamicImage, String> {
    let mut d = probe::decoder(bytes, format, probe::limits()).map_err(|e| probe::describe(&e))?;
    let orientation = d.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(d).map_err(|e| probe::describe(&e))?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// Downsamples to `width` pixels (never upsamples), then flattens onto white and
/// converts to 8-bit RGB. The resizing runs on [`DynamicImage`], whose methods are
/// compiled (and optimised) in the `image` crate itself.
pub fn prepare(img: DynamicImage, width: u32) -> RgbImage {
    let (w, h) = (img.width(), img.height());
    let img = if width < w {
        let height = ((u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w)).max(1);
        img.resize_exact(width, height as u32, FilterType::CatmullRom)
    } else {
        img
    };
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = RgbImage::new(w, h);
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(p[3]);
        for c in 0..3 {
            o[c] = ((u16::from(p[c]) * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}

/// Encodes pixels as a metadata-free JPEG in the mode's colours.
pub fn encode(rgb: &RgbImage, mode: Mode, quality: u8) -> Result<Vec<u8>, String> {
    let (w, h) = rgb.dimensions();
    let (w16, h16) = (
        u16::try_from(w).map_err(|_| "the image is too wide to encode")?,
        u16::try_from(h).map_err(|_| "the image is too tall to encode")?,
    );
    let mut out = Vec::new();
    let encoder = Encoder::new(&mut out, quality);
    let result = match mode {
        Mode::Rgb => encoder.encode(rgb.as_raw(), w16, h16, ColorType::Rgb),
        Mode::KOnly => {
            let mut cmyk = Vec::with_capacity(rgb.as_raw().len() / 3 * 4);
            for p in rgb.pixels() {
                // Rec. 601 luma; K is the ink that makes it.
                let luma =
                    (299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2]) + 500)
                        / 1000;
                cmyk.extend_from_slice(&[0, 0, 0, 255 - luma as u8]);
            }
            encoder.encode(&cmyk, w16, h16, ColorType::Cmyk)
        }
    };
    result.map_err(|e| format!("cannot encode the JPEG: {e}"))?;
    Ok(out)
}

/// The whole step: original bytes to the embedded JPEG.
pub fn process(
    bytes: &[u8],
    format: PhotoFormat,
    width: u32,
    mode: Mode,
    quality: u8,
) -> Result<Vec<u8>, String> {
    let img = decode(bytes, format)?;
    encode(&prepare(img, width), mode, quality)
}
