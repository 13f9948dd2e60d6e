//! Turning an original photo into the JPEG a document embeds: decode, turn it the right
//! way up (EXIF orientation), flatten transparency onto white paper, downsample to the
//! target width, and encode a fresh JPEG that carries no metadata at all (no EXIF, GPS,
//! XMP, IPTC, thumbnail or ICC segment: only the image).
//!
//! JPEG quality: 85 for screen files (no visible loss at 200 ppi, a fifth of the size
//! of a camera original) and 92 for print and archive files, where the plate, not the
//! file size, sets the limit. Print photos in `grey` mode are written as CMYK with ink
//! on the K plate only (C = M = Y = 0), Adobe-style inverted with the APP14 marker, as
//! PDF viewers and RIPs expect; in the PDF they are DeviceCMYK images. In `cmyk` mode the
//! sRGB pixels are separated into four inks through the bundled output profile
//! (`icc/FOGRA39L-300.icc`: ISO coated offset, FOGRA39 characterisation, total ink limited
//! to 300 %) with perceptual intent and black-point compensation, by Little CMS; the JPEG
//! carries no ICC segment, so the PDF holds DeviceCMYK separations for that press.

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder as _, RgbImage};
use jpeg_encoder::{ColorType, Encoder};

use std::sync::LazyLock;

use lcms2::{DisallowCache, Flags, Intent, PixelFormat, Profile, ThreadContext, Transform};

use super::Mode;
use crate::manifest::PhotoFormat;
use crate::manifest::probe;

/// JPEG quality of screen photos.
pub const SCREEN_QUALITY: u8 = 85;
/// JPEG quality of print and archive photos.
pub const PRINT_QUALITY: u8 = 92;

/// The bundled CMYK output profile (see `icc/README.md`).
pub const CMYK_PROFILE: &[u8] = include_bytes!("../../icc/FOGRA39L-300.icc");

/// Total ink coverage a `cmyk` photo may carry anywhere, in percent: the profile's
/// limit, enforced again on every pixel after the transform.
pub const MAX_INK_PERCENT: u32 = 300;

type CmykTransform = Transform<[u8; 3], [u8; 4], ThreadContext, DisallowCache>;

/// sRGB to the bundled CMYK profile, perceptual intent with black-point compensation.
/// Built once per process; without its cache the transform is shared by every thread.
/// Its Little CMS context lives as long as the process, as the transform does.
static TO_CMYK: LazyLock<Result<CmykTransform, String>> = LazyLock::new(|| {
    let context: &'static ThreadContext = Box::leak(Box::new(ThreadContext::new()));
    let output = Profile::new_icc_context(context, CMYK_PROFILE)
        .map_err(|e| format!("the bundled CMYK profile cannot be read: {e}"))?;
    Transform::new_flags_context(
        context,
        &Profile::new_srgb_context(context),
        PixelFormat::RGB_8,
        &output,
        PixelFormat::CMYK_8,
        Intent::Perceptual,
        Flags::NO_CACHE | Flags::BLACKPOINT_COMPENSATION,
    )
    .map_err(|e| format!("cannot set up the CMYK transform: {e}"))
});

/// Separates sRGB pixels into C, M, Y and K (0 = no ink, 255 = solid), no pixel above
/// [`MAX_INK_PERCENT`]: where interpolation in the profile's tables rounds a shadow a
/// little over, C, M and Y are taken down in proportion and K is kept.
pub fn to_cmyk(rgb: &RgbImage) -> Result<Vec<[u8; 4]>, String> {
    let transform = TO_CMYK.as_ref().map_err(Clone::clone)?;
    let pixels: Vec<[u8; 3]> = rgb.pixels().map(|p| p.0).collect();
    let mut cmyk = vec![[0u8; 4]; pixels.len()];
    transform.transform_pixels(&pixels, &mut cmyk);
    let limit = MAX_INK_PERCENT * 255 / 100;
    for px in &mut cmyk {
        let sum: u32 = px.iter().map(|&v| u32::from(v)).sum();
        if sum > limit {
            let k = u32::from(px[3]);
            let cmy = sum - k;
            let room = limit.saturating_sub(k);
            for v in &mut px[..3] {
                *v = (u32::from(*v) * room / cmy) as u8;
            }
        }
    }
    Ok(cmyk)
}

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
        Mode::Cmyk => {
            let cmyk = to_cmyk(rgb)?;
            encoder.encode(cmyk.as_flattened(), w16, h16, ColorType::Cmyk)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ink(rgb: [u8; 3]) -> [u8; 4] {
        to_cmyk(&RgbImage::from_pixel(1, 1, image::Rgb(rgb))).unwrap()[0]
    }

    #[test]
    fn cmyk_separation_colours_and_ink_limit() {
        // Red is magenta and yellow ink, no cyan or black; white paper takes no ink.
        let [c, m, y, k] = ink([255, 0, 0]);
        assert!(m > 200 && y > 200 && c < 40 && k < 40, "red: {:?}", [c, m, y, k]);
        assert_eq!(ink([255, 255, 255]), [0, 0, 0, 0]);
        // Blue is cyan and magenta; a mid grey carries black.
        let [c, m, y, _] = ink([0, 0, 255]);
        assert!(c > 200 && m > 150 && y < 40, "blue: {:?}", [c, m, y]);
        assert!(ink([128, 128, 128])[3] > 40);
        // Every shadow stays within the total ink limit; black is rich but not over it.
        let limit = MAX_INK_PERCENT * 255 / 100;
        let mut darkest = 0;
        for r in (0..=96).step_by(8) {
            for g in (0..=96).step_by(8) {
                for b in (0..=96).step_by(8) {
                    let sum: u32 = ink([r, g, b]).iter().map(|&v| u32::from(v)).sum();
                    assert!(sum <= limit, "{:?}: {sum} > {limit}", [r, g, b]);
                    darkest = darkest.max(sum);
                }
            }
        }
        assert!(darkest > 650, "black should be rich black, got {darkest}");
        let black = ink([0, 0, 0]);
        assert!(black[3] > 240, "black: {black:?}");
    }
}
