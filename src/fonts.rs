//! Fonts: the bundled CJK fonts compiled into the binary, optional extra fonts, and
//! coverage queries (which characters no loaded font can draw).
//!
//! Fonts are parsed once per run into one [`Fonts`] value that every document shares.
//! System fonts are used only when asked for, so the output does not depend on the
//! machine.

use std::path::PathBuf;

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};
use typst_kit::fonts::{FontSource, FontStore};

/// The bundled fonts (see `fonts/README.md`): file name and bytes.
pub static EMBEDDED: &[(&str, &[u8])] = &[
    ("FandolSong-Regular.otf", include_bytes!("../fonts/FandolSong-Regular.otf")),
    ("FandolSong-Bold.otf", include_bytes!("../fonts/FandolSong-Bold.otf")),
    ("FandolHei-Regular.otf", include_bytes!("../fonts/FandolHei-Regular.otf")),
    ("FandolHei-Bold.otf", include_bytes!("../fonts/FandolHei-Bold.otf")),
    ("FandolKai-Regular.otf", include_bytes!("../fonts/FandolKai-Regular.otf")),
    ("FandolFang-Regular.otf", include_bytes!("../fonts/FandolFang-Regular.otf")),
    // Fallbacks of the same style, subset to the ideographs Fandol lacks (`fonts/README.md`).
    ("NotoSerifCJKsc-Regular.otf", include_bytes!("../fonts/NotoSerifCJKsc-Regular.otf")),
    ("NotoSerifCJKsc-Bold.otf", include_bytes!("../fonts/NotoSerifCJKsc-Bold.otf")),
    ("NotoSansCJKsc-Regular.otf", include_bytes!("../fonts/NotoSansCJKsc-Regular.otf")),
    ("NotoSansCJKsc-Bold.otf", include_bytes!("../fonts/NotoSansCJKsc-Bold.otf")),
    ("JianbaoKai-Regular.ttf", include_bytes!("../fonts/JianbaoKai-Regular.ttf")),
];

/// Typst's metadata of each bundled face (family, style, weight, coverage), computed from
/// the fonts once and committed, so that a run parses only the faces its documents use:
/// a process that only checks glyphs, or a worker whose documents never reach a fallback,
/// parses none or few of the eleven faces. A unit test recomputes it from the fonts and
/// fails when this file is out of date (`fonts/regenerate.sh` rewrites it).
static METADATA: &str = include_str!("../fonts/faces.json");

/// One bundled face's entry in `fonts/faces.json`.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct FaceMeta {
    /// The file name in [`EMBEDDED`].
    file: String,
    /// The face's index in its file.
    index: u32,
    /// What Typst computes when it parses the face.
    info: FontInfo,
}

/// A bundled face, parsed the first time a document uses it.
struct EmbeddedFace {
    data: &'static [u8],
    index: u32,
}

impl FontSource for EmbeddedFace {
    fn load(&self) -> Option<Font> {
        Font::new(Bytes::new(self.data), self.index)
    }
}

/// The bundled faces' metadata, as committed.
fn embedded_metadata() -> Vec<FaceMeta> {
    serde_json::from_str(METADATA).expect("fonts/faces.json is valid JSON (a unit test reads it)")
}

/// The four roles of a Chinese office document, each a family followed by its fallbacks
/// of the same style, as the templates name them (`templates/common.typ`).
pub static ROLES: &[(&str, &[&str])] = &[
    ("宋", &["FandolSong", "Noto Serif CJK SC"]),
    ("黑", &["FandolHei", "Noto Sans CJK SC"]),
    ("楷", &["FandolKai", "JianbaoKai", "Noto Serif CJK SC"]),
    ("仿宋", &["FandolFang", "Noto Serif CJK SC"]),
];

/// Where fonts come from besides the bundled ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FontOptions {
    /// Extra font folders (searched recursively).
    pub font_paths: Vec<PathBuf>,
    /// Also use the fonts installed on this machine.
    pub system_fonts: bool,
}

/// Every font of a run, loaded once.
pub struct Fonts {
    /// Typst's store (font book and lazily loaded fonts).
    pub store: FontStore,
    /// Metadata of each font, by index.
    pub infos: Vec<FontInfo>,
    /// Where each font came from (`bundled:FILE` or a path).
    pub origins: Vec<String>,
    /// One bit per code point that some font covers, so checking a document's text
    /// costs one lookup per character (scanning each font's coverage runs was a sixth
    /// of a build's time).
    covered: Vec<u64>,
}

impl Fonts {
    /// Loads the bundled fonts, then `--font-path` folders, then system fonts if asked.
    pub fn load(options: &FontOptions) -> Fonts {
        let mut fonts = Fonts {
            store: FontStore::new(),
            infos: Vec::new(),
            origins: Vec::new(),
            covered: vec![0; (char::MAX as usize + 1).div_ceil(64)],
        };
        for face in embedded_metadata() {
            let Some((_, data)) = EMBEDDED.iter().find(|(file, _)| *file == face.file) else {
                unreachable!("fonts/faces.json names only bundled files (a unit test checks)")
            };
            fonts.infos.push(face.info.clone());
            fonts.origins.push(format!("bundled:{}", face.file));
            fonts.store.push((EmbeddedFace { data, index: face.index }, face.info));
        }
        for dir in &options.font_paths {
            for (path, info) in typst_kit::fonts::scan(dir) {
                fonts.infos.push(info.clone());
                fonts.origins.push(path.path.display().to_string());
                fonts.store.push((path, info));
            }
        }
        if options.system_fonts {
            for (path, info) in typst_kit::fonts::system() {
                fonts.infos.push(info.clone());
                fonts.origins.push(path.path.display().to_string());
                fonts.store.push((path, info));
            }
        }
        for info in &fonts.infos {
            for c in info.coverage.iter() {
                if let Some(word) = fonts.covered.get_mut(c as usize / 64) {
                    *word |= 1 << (c % 64);
                }
            }
        }
        fonts
    }

    /// Whether some loaded font has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        let c = c as usize;
        self.covered.get(c / 64).is_some_and(|word| word & (1 << (c % 64)) != 0)
    }

    /// Whether a family of this name is loaded.
    pub fn has_family(&self, family: &str) -> bool {
        self.infos.iter().any(|i| i.family.eq_ignore_ascii_case(family))
    }

    /// Families with their styles and character counts, sorted by family.
    pub fn listing(&self) -> Vec<FamilyListing> {
        let mut out: Vec<FamilyListing> = Vec::new();
        for (info, origin) in self.infos.iter().zip(&self.origins) {
            let variant = format!("{:?} {}", info.variant.style, info.variant.weight.to_number());
            let entry = FaceListing {
                variant: variant.to_lowercase(),
                characters: info.coverage.iter().count(),
                origin: origin.clone(),
            };
            match out.iter_mut().find(|f| f.family == info.family) {
                Some(f) => f.faces.push(entry),
                None => out.push(FamilyListing { family: info.family.clone(), faces: vec![entry] }),
            }
        }
        out.sort_by(|a, b| a.family.cmp(&b.family));
        out
    }
}

impl Fonts {
    /// Whether every face of `family` has a glyph for `c`.
    pub fn family_covers(&self, family: &str, c: char) -> bool {
        let mut faces = self.infos.iter().filter(|i| i.family == family).peekable();
        faces.peek().is_some() && faces.all(|i| i.coverage.contains(c as u32))
    }

    /// How much of each set every family covers, then every role with its fallbacks
    /// (a character counts for a family when each of its faces has it).
    pub fn coverage(&self, sets: &[crate::charsets::Charset]) -> Vec<CoverageRow> {
        let mut families: Vec<&str> = self.infos.iter().map(|i| i.family.as_str()).collect();
        families.sort_unstable();
        families.dedup();
        let mut rows: Vec<(String, Vec<&str>)> =
            families.iter().map(|f| (f.to_string(), vec![*f])).collect();
        for (role, chain) in ROLES {
            rows.push((format!("{role} ({})", chain.join(" → ")), chain.to_vec()));
        }
        rows.into_iter()
            .map(|(name, chain)| CoverageRow {
                name,
                sets: sets
                    .iter()
                    .map(|set| SetCoverage {
                        set: set.name,
                        total: set.chars.len(),
                        missing: set
                            .chars
                            .iter()
                            .copied()
                            .filter(|&c| !chain.iter().any(|f| self.family_covers(f, c)))
                            .collect(),
                    })
                    .collect(),
            })
            .collect()
    }
}

/// One line of `jianbao fonts --coverage`: a family, or a role with its fallbacks.
#[derive(Debug, Clone)]
pub struct CoverageRow {
    /// The family, or the role and its chain of families.
    pub name: String,
    /// Coverage of each set.
    pub sets: Vec<SetCoverage>,
}

/// How much of one character set a family or role covers.
#[derive(Debug, Clone)]
pub struct SetCoverage {
    /// The set's name.
    pub set: &'static str,
    /// Characters in the set.
    pub total: usize,
    /// The set's characters it lacks.
    pub missing: Vec<char>,
}

/// One family in `jianbao fonts`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FamilyListing {
    /// Family name as templates name it.
    pub family: String,
    /// Its faces.
    pub faces: Vec<FaceListing>,
}

/// One face in `jianbao fonts`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FaceListing {
    /// Style and weight, e.g. `normal 700`.
    pub variant: String,
    /// How many characters it covers.
    pub characters: usize,
    /// Where it came from.
    pub origin: String,
}

/// Characters that need no glyph (spaces and controls that never print).
pub fn needs_glyph(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}'))
}

#[cfg(test)]
mod tests {
    use typst::foundations::Bytes;
    use typst::text::Font;

    use super::{EMBEDDED, FaceMeta, FontOptions, Fonts, ROLES, embedded_metadata};

    /// `fonts/faces.json` must say exactly what Typst computes from the bundled fonts.
    /// `JIANBAO_WRITE_FONT_METADATA=1 cargo test --lib fonts::tests::metadata` rewrites it.
    #[test]
    fn metadata_matches_the_bundled_fonts() {
        let fresh: Vec<FaceMeta> = EMBEDDED
            .iter()
            .flat_map(|(file, data)| {
                Font::iter(Bytes::new(*data)).map(|font| FaceMeta {
                    file: file.to_string(),
                    index: font.index(),
                    info: font.info().clone(),
                })
            })
            .collect();
        if std::env::var_os("JIANBAO_WRITE_FONT_METADATA").is_some() {
            let json = serde_json::to_string(&fresh).expect("serializable") + "\n";
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/faces.json");
            std::fs::write(path, json).expect("fonts/faces.json writable");
        }
        assert!(
            embedded_metadata() == fresh,
            "fonts/faces.json is out of date with the bundled fonts; rewrite it with \
             `JIANBAO_WRITE_FONT_METADATA=1 cargo test --lib fonts::tests::metadata` and rebuild"
        );
        // And the store hands out the same faces as parsing every file would.
        let fonts = Fonts::load(&FontOptions::default());
        for (i, face) in fresh.iter().enumerate() {
            let font = fonts.store.font(i).expect("every bundled face loads");
            assert_eq!(font.info(), &face.info, "{}", face.file);
            assert_eq!(fonts.store.book().info(i), Some(&face.info));
        }
    }

    #[test]
    fn every_role_covers_the_unified_ideographs_and_extension_a() {
        // As of Unicode 10 (the repertoire of Noto CJK 2.x): every code point of these
        // ranges is an assigned ideograph. Later additions (U+9FEB.., U+4DB6..) are in no
        // bundled font, and the glyph check reports them.
        let fonts = Fonts::load(&FontOptions::default());
        let ranges = ['\u{4E00}'..='\u{9FEA}', '\u{3400}'..='\u{4DB5}'];
        for (role, chain) in ROLES {
            let missing: String = ranges
                .iter()
                .flat_map(|r| r.clone())
                .filter(|&c| !chain.iter().any(|f| fonts.family_covers(f, c)))
                .collect();
            assert!(
                missing.is_empty(),
                "{role} lacks {} characters: {missing}",
                missing.chars().count()
            );
        }
        assert!(!fonts.covers('\u{9FEB}') && !fonts.covers('\u{2A6A5}'));
    }

    #[test]
    fn fallbacks_keep_the_style_of_their_role() {
        // A 仿宋 falls back to a 宋, never to a 黑; 楷's last resort is the 宋 too.
        let sans = "Noto Sans CJK SC";
        for (role, chain) in ROLES {
            assert_eq!(chain.contains(&sans), *role == "黑", "{role}: {chain:?}");
        }
    }
}
