//! Output profiles: which files a build makes of each document (screen, print,
//! archive) and the file-name suffix of each.
//!
//! The profile type itself is still defined beside the PDF checker (it is also what
//! `preflight` checks against); the build reaches it only through this module.

pub use crate::preflight::Profile;

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
