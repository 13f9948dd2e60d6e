//! Output profiles: which files a build makes of each document (screen, print,
//! archive) and the file-name suffix of each. `preflight` checks a PDF against the same profiles.

use serde::Serialize;

/// What a PDF is made for, and checked for. Every profile embeds (and checks) all fonts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// On-screen reading: fonts embedded; everything else is information only.
    Screen,
    /// Offset printing at a print shop: no RGB, K-only text, TrimBox, bleed, 300 ppi images.
    Print,
    /// Long-term archiving: a PDF/A claim in the XMP metadata, fonts embedded.
    Archive,
}

impl Profile {
    /// The profile's name, as `--profile` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Screen => "screen",
            Profile::Print => "print",
            Profile::Archive => "archive",
        }
    }
}

/// Every profile, in the order outputs are listed.
pub const ALL: [Profile; 3] = [Profile::Screen, Profile::Print, Profile::Archive];

/// The file name of a document in a profile: screen files keep the pattern's name,
/// print and archive files get `-print` / `-archive` before `.pdf`.
pub fn file_name(file: &str, profile: Profile) -> String {
    let stem = file.strip_suffix(".pdf").unwrap_or(file);
    match profile {
        Profile::Screen => file.to_string(),
        Profile::Print => format!("{stem}-print.pdf"),
        Profile::Archive => format!("{stem}-archive.pdf"),
    }
}
