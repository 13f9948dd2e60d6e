//! The Typst templates: the defaults compiled into the binary, and a `--templates DIR`
//! whose files replace the defaults one by one (or add new ones).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::error::Failure;

/// The default templates, by virtual path.
pub static DEFAULTS: &[(&str, &str)] = &[
    ("main.typ", include_str!("../../templates/main.typ")),
    ("briefing.typ", include_str!("../../templates/briefing.typ")),
    ("official.typ", include_str!("../../templates/official.typ")),
    ("modern.typ", include_str!("../../templates/modern.typ")),
    ("common.typ", include_str!("../../templates/common.typ")),
    ("photos.typ", include_str!("../../templates/photos.typ")),
];

/// Where a template came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Compiled into the binary.
    Builtin,
    /// Read from a `--templates` folder.
    File(String),
}

/// The set of templates a run uses, by file name (no folders).
#[derive(Debug, Clone, Default)]
pub struct Templates {
    /// File name → (text, origin).
    pub files: BTreeMap<String, (String, Origin)>,
}

impl Templates {
    /// The defaults, overridden by the files of `dir` when given.
    pub fn load(dir: Option<&Path>) -> Result<Templates, Failure> {
        let mut files: BTreeMap<String, (String, Origin)> = DEFAULTS
            .iter()
            .map(|(name, text)| ((*name).to_string(), ((*text).to_string(), Origin::Builtin)))
            .collect();
        if let Some(dir) = dir {
            let entries = std::fs::read_dir(dir).map_err(|e| {
                Failure::io(format!(
                    "cannot read the templates folder {}: {e}",
                    crate::display_path(dir)
                ))
            })?;
            let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
            paths.sort();
            for path in paths {
                let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
                if !path.is_file() || !name.ends_with(".typ") {
                    continue;
                }
                let bytes = std::fs::read(&path).map_err(|e| {
                    Failure::io(format!("cannot read template {}: {e}", crate::display_path(&path)))
                })?;
                // A template that is not UTF-8 is an input problem (exit 1), located at
                // its first bad byte, not a file that could not be read.
                let text = String::from_utf8(bytes).map_err(|e| {
                    let at = e.utf8_error().valid_up_to();
                    let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                    let source = crate::diag::SourceText::new(crate::display_path(&path), lossy);
                    Failure::Input(vec![
                        Diagnostic::error(format!("template {name} is not UTF-8 text"))
                            .at(&source, at..at + '\u{fffd}'.len_utf8())
                            .hint(
                                "save the template as UTF-8 (in Notepad: Save As, Encoding UTF-8)",
                            ),
                    ])
                })?;
                let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
                files.insert(name.to_string(), (text, Origin::File(crate::display_path(&path))));
            }
        }
        Ok(Templates { files })
    }

    /// Every file's name and text, in name order: the templates' identity, as data for the
    /// build record's hashes.
    pub fn named_texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(name, (text, _))| (name.as_str(), text.as_str()))
    }
}
