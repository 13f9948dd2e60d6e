//! Photos, from a checked manifest entry to the bytes Typst embeds: turning each original
//! into a clean JPEG at its placed size for each output profile ([`process`]), cached once
//! per run ([`Store`]). Reading `photos:` entries ([`crate::manifest::photos`]) and checking
//! files before anything is decoded ([`crate::manifest::probe`]) are the manifest's.
//!
//! Typst copies JPEG bytes into a PDF unchanged (camera metadata included) and never
//! downsamples, so no original photo ever reaches Typst: the template only sees the
//! virtual path of the processed copy, `/photos/<digest>-<pixels>-<mode>.jpg`. The path
//! names the original's content hash, the target width and the colour mode, so a
//! document's build hash (which covers its data) changes exactly when one of its photos
//! or their placement changes.

pub mod process;
mod store;

pub use store::Store;

use crate::diag::Diagnostic;
use crate::manifest::{Manifest, Photo, PhotoInk, PhotoSize, Style};
use crate::profile::Profile;

/// Width of the type area (版心) of each style, in millimetres.
pub fn type_width_mm(style: Style) -> f64 {
    match style {
        Style::Official => 156.0,
        Style::Modern => 170.0,
    }
}

/// Gap between the two photos of a row, in millimetres.
pub const ROW_GAP_MM: f64 = 4.0;

/// Whether an article is a photo spread (图片新闻): at least two photos and little
/// text besides, like the photo pages of a newspaper. Its photos are set two per row.
pub fn is_spread(photos: &[Photo], paragraphs: &[String]) -> bool {
    let chars: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
    photos.len() >= 2 && chars <= 150 * photos.len()
}

/// The width a photo is placed at, in millimetres.
pub fn placed_mm(photo: &Photo, style: Style, spread: bool) -> f64 {
    let full = type_width_mm(style);
    let half = (full - ROW_GAP_MM) / 2.0;
    if spread {
        return half;
    }
    match photo.size {
        PhotoSize::Full => full,
        PhotoSize::Half => half,
        PhotoSize::Tenths(t) => (f64::from(t) / 10.0).min(full),
    }
}

/// Target resolution of each profile, in pixels per inch at the placed size.
///
/// Screen files get 200 ppi, sharp on any display and small to mail; print and
/// archive files get the 300 ppi print shops ask for.
pub fn target_ppi(profile: Profile) -> f64 {
    match profile {
        Profile::Screen => 200.0,
        Profile::Print | Profile::Archive => 300.0,
    }
}

/// Print: below this many ppi at the placed size is a warning.
pub const PRINT_WARN_PPI: f64 = 300.0;
/// Print: below this many ppi at the placed size is an error.
pub const PRINT_ERROR_PPI: f64 = 150.0;

/// How a processed photo's pixels are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// sRGB JPEG (screen and archive files).
    Rgb,
    /// CMYK JPEG with ink on the K plate only (print files, `print: photos: grey`).
    KOnly,
    /// Four-colour CMYK JPEG through the bundled ICC profile (print files,
    /// `print: photos: cmyk`).
    Cmyk,
}

impl Mode {
    fn tag(self) -> &'static str {
        match self {
            Mode::Rgb => "rgb",
            Mode::KOnly => "k",
            Mode::Cmyk => "cmyk",
        }
    }
}

/// The colour mode of a profile's photos.
pub fn mode(profile: Profile, ink: PhotoInk) -> Mode {
    match (profile, ink) {
        (Profile::Print, PhotoInk::Grey) => Mode::KOnly,
        (Profile::Print, PhotoInk::Cmyk) => Mode::Cmyk,
        _ => Mode::Rgb,
    }
}

/// What to make of one photo for one document: the original, the width in pixels and
/// the colour mode.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    /// The original's content hash (hex).
    pub digest: String,
    /// Width of the processed image in pixels.
    pub width_px: u32,
    /// Colour mode.
    pub mode: Mode,
    /// JPEG quality.
    pub quality: u8,
}

impl Target {
    /// The target of `photo` placed at `mm` for `profile`. Never upsampled.
    pub fn new(photo: &Photo, mm: f64, profile: Profile, ink: PhotoInk) -> Target {
        let wanted = (mm / 25.4 * target_ppi(profile)).round() as u32;
        Target {
            digest: photo.digest.clone(),
            width_px: wanted.clamp(1, photo.width.max(1)),
            mode: mode(profile, ink),
            quality: match profile {
                Profile::Screen => process::SCREEN_QUALITY,
                Profile::Print | Profile::Archive => process::PRINT_QUALITY,
            },
        }
    }

    /// The processed photo's path in the Typst world.
    pub fn path(&self) -> String {
        format!(
            "/photos/{}-{}-{}{}.jpg",
            &self.digest[..16],
            self.width_px,
            self.mode.tag(),
            self.quality
        )
    }
}

/// Resolution of a photo at its placed width, in pixels per inch.
pub fn ppi(photo: &Photo, mm: f64) -> f64 {
    f64::from(photo.width) / (mm / 25.4)
}

/// Resolution checks for the profiles of a build: under print, below 300 ppi at the
/// placed size is a warning and below 150 ppi an error; other profiles say nothing,
/// because screen files are downsampled anyway.
pub fn resolution_diagnostics(m: &Manifest, profiles: &[Profile]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !profiles.contains(&Profile::Print) {
        return out;
    }
    for a in &m.articles {
        let spread = is_spread(&a.photos, &a.paragraphs);
        for p in &a.photos {
            let mm = placed_mm(p, m.style, spread);
            let ppi = ppi(p, mm);
            let d = if ppi < PRINT_ERROR_PPI {
                Diagnostic::error(format!(
                    "photo `{}` has only {:.0} ppi at its placed width of {:.0} mm; print needs at least {:.0}",
                    p.file, ppi, mm, PRINT_ERROR_PPI
                ))
            } else if ppi < PRINT_WARN_PPI {
                Diagnostic::warning(format!(
                    "photo `{}` has {:.0} ppi at its placed width of {:.0} mm; print shops ask for {:.0}",
                    p.file, ppi, mm, PRINT_WARN_PPI
                ))
            } else {
                continue;
            };
            let need = (mm / 25.4 * PRINT_WARN_PPI).ceil();
            out.push(d.at(&m.source, p.span.clone()).hint(format!(
                "use the original photo ({} px wide or more), or place it smaller with `size: half` or `size: <mm>`",
                need
            )));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::PhotoFormat;

    fn photo(width: u32, size: PhotoSize) -> Photo {
        Photo {
            file: "a.jpg".into(),
            span: 0..0,
            path: "a.jpg".into(),
            caption: None,
            credit: None,
            size,
            digest: "0123456789abcdef0123456789abcdef".into(),
            format: PhotoFormat::Jpeg,
            width,
            height: width * 3 / 4,
            seen: None,
        }
    }

    #[test]
    fn placement_spread_and_targets() {
        let full = photo(4000, PhotoSize::Full);
        assert_eq!(placed_mm(&full, Style::Official, false), 156.0);
        assert_eq!(placed_mm(&full, Style::Official, true), 76.0);
        assert_eq!(placed_mm(&photo(4000, PhotoSize::Half), Style::Modern, false), 83.0);
        assert_eq!(placed_mm(&photo(4000, PhotoSize::Tenths(805)), Style::Official, false), 80.5);
        // A spread: two photos and little text; a long article with photos is not one.
        let two = [full.clone(), full.clone()];
        assert!(is_spread(&two, &["短文".into()]));
        assert!(!is_spread(&two, &["长".repeat(301)]));
        assert!(!is_spread(&two[..1], &[]));
        // Targets: 200 ppi on screen, 300 in print, never upsampled; the path names all.
        let t = Target::new(&full, 156.0, Profile::Screen, PhotoInk::Grey);
        assert_eq!((t.width_px, t.mode), (1228, Mode::Rgb));
        assert_eq!(t.path(), "/photos/0123456789abcdef-1228-rgb85.jpg");
        let t = Target::new(&full, 156.0, Profile::Print, PhotoInk::Grey);
        assert_eq!((t.width_px, t.mode), (1843, Mode::KOnly));
        let small =
            Target::new(&photo(800, PhotoSize::Full), 156.0, Profile::Print, PhotoInk::Grey);
        assert_eq!(small.width_px, 800);
        let four = Target::new(&full, 156.0, Profile::Print, PhotoInk::Cmyk);
        assert_eq!(four.path(), "/photos/0123456789abcdef-1843-cmyk92.jpg");
        // The archive keeps RGB photos whatever the print setting says.
        let archive = Target::new(&full, 156.0, Profile::Archive, PhotoInk::Cmyk);
        assert_eq!(archive.mode, Mode::Rgb);
        assert_eq!(ppi(&photo(1228, PhotoSize::Full), 156.0).round(), 200.0);
    }
}
