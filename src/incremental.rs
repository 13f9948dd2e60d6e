//! Incremental builds: the content hash of each output and the build record.
//!
//! An output's hash covers everything that shapes it: the data its template reads (its
//! slice of the manifest, already cleaned), the templates, the fonts, the tool version
//! and the options that change the bytes (PDF date, file name). The record,
//! `OUT/.jianbao.json`, lists every output with its hash, pages, size and SHA-256; an
//! output whose hash and file are unchanged is skipped.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, SourceText};
use crate::digest::hex;
use crate::fonts::FontOptions;

/// The byte offset of a 1-based line and column (as serde_json reports them), on a
/// character boundary.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let mut at = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub use crate::fs::{LOCK_FILE, lock_folder};

/// The record's file name inside the output folder.
pub const RECORD_FILE: &str = ".jianbao.json";

/// What `OUT/.jianbao.json` holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Record {
    /// Tool that wrote it.
    pub tool: String,
    /// One entry per output file, sorted by file name.
    pub outputs: Vec<OutputEntry>,
    /// Photos read by earlier builds, by path, so that an unchanged photo is not read
    /// again ([`crate::manifest::known`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub photos: crate::manifest::known::Known,
}

/// One output in the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputEntry {
    /// File name inside the output folder.
    pub file: String,
    /// `issue`, `county`, `theme` or `select`.
    pub kind: String,
    /// County, theme or selection name.
    pub name: Option<String>,
    /// Content hash of everything that shapes the output.
    pub hash: String,
    /// Pages.
    pub pages: usize,
    /// Bytes.
    pub size: u64,
    /// SHA-256 of the PDF file.
    pub sha256: String,
    /// Ids of the articles it holds.
    pub articles: Vec<String>,
    /// The manifest that made it (absent in records of older versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<String>,
}

impl Record {
    /// Reads the record of an output folder; a missing or unreadable record is empty.
    pub fn load(out_dir: &Path) -> Record {
        Record::load_checked(out_dir).0
    }

    /// Reads the record like [`Record::load`], with a warning naming the file when it
    /// exists but cannot be read as a record: every output is then rebuilt, and the
    /// user is told why instead of the record silently counting as empty.
    pub fn load_checked(out_dir: &Path) -> (Record, Option<Diagnostic>) {
        let path = out_dir.join(RECORD_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Record::default(), None),
            Err(e) => {
                let warning = Diagnostic::warning(format!(
                    "cannot read the build record {}: {e}; every output is rebuilt",
                    crate::display_path(&path)
                ));
                return (Record::default(), Some(warning));
            }
        };
        match serde_json::from_slice(&bytes) {
            Ok(record) => (record, None),
            Err(e) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let offset = offset_of(&text, e.line(), e.column());
                let end = text[offset..].chars().next().map_or(offset, |c| offset + c.len_utf8());
                let source = SourceText::new(crate::display_path(&path), text);
                let warning = Diagnostic::warning(format!(
                    "the build record is damaged ({e}); every output is rebuilt and the record rewritten"
                ))
                .at(&source, offset..end)
                .hint("this happens when the file was edited or cut short; nothing needs doing");
                (Record::default(), Some(warning))
            }
        }
    }

    /// Writes the record atomically.
    pub fn save(&self, out_dir: &Path) -> std::io::Result<()> {
        let mut json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        json.push(b'\n');
        crate::fs::write_atomic(&out_dir.join(RECORD_FILE), &json)
    }

    /// Entries of `manifest` (or of no recorded manifest) whose files `made` does not
    /// include: outputs an earlier build wrote that this manifest no longer makes.
    pub fn no_longer_made(&self, manifest: &str, made: &[String]) -> Vec<OutputEntry> {
        self.outputs
            .iter()
            .filter(|e| e.manifest.as_deref().is_none_or(|m| m == manifest))
            .filter(|e| !made.contains(&e.file))
            .cloned()
            .collect()
    }

    /// The entry of a file.
    pub fn get(&self, file: &str) -> Option<&OutputEntry> {
        self.outputs.iter().find(|e| e.file == file)
    }

    /// Replaces or adds entries, keeping the list sorted.
    pub fn update(&mut self, entries: impl IntoIterator<Item = OutputEntry>) {
        for entry in entries {
            self.outputs.retain(|e| e.file != entry.file);
            self.outputs.push(entry);
        }
        self.outputs.sort_by(|a, b| a.file.cmp(&b.file));
        self.tool = tool();
    }
}

/// `jianbao VERSION`.
pub fn tool() -> String {
    format!("jianbao {}", env!("CARGO_PKG_VERSION"))
}

/// A fingerprint of the run's fonts: the bundled fonts' digest (computed when the binary
/// was built) and, for extra font folders, each file's path, size and modification time.
pub fn fonts_fingerprint(options: &FontOptions) -> String {
    let mut h = Sha256::new();
    h.update(env!("JIANBAO_FONTS_DIGEST").as_bytes());
    for dir in &options.font_paths {
        let mut files = Vec::new();
        collect_files(dir, &mut files, 0);
        files.sort();
        for f in files {
            h.update(f.to_string_lossy().as_bytes());
            if let Ok(meta) = std::fs::metadata(&f) {
                h.update(meta.len().to_le_bytes());
                if let Ok(modified) = meta.modified()
                    && let Ok(since) = modified.duration_since(std::time::UNIX_EPOCH)
                {
                    h.update(since.as_nanos().to_le_bytes());
                }
            }
        }
    }
    h.update([u8::from(options.system_fonts)]);
    if options.system_fonts {
        // The system's font files themselves (path, face, size, time), so a font
        // installed, removed or updated makes outputs stale. This scans the system
        // fonts a second time, but only with `--system-fonts`.
        let mut faces: Vec<(std::path::PathBuf, u32)> =
            typst_kit::fonts::system().map(|(path, _)| (path.path, path.index)).collect();
        faces.sort();
        for (path, index) in faces {
            h.update(path.to_string_lossy().as_bytes());
            h.update(index.to_le_bytes());
            if let Ok(meta) = std::fs::metadata(&path) {
                h.update(meta.len().to_le_bytes());
                if let Ok(modified) = meta.modified()
                    && let Ok(since) = modified.duration_since(std::time::UNIX_EPOCH)
                {
                    h.update(since.as_nanos().to_le_bytes());
                }
            }
        }
    }
    hex(&h.finalize())
}

fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>, depth: usize) {
    if depth > 8 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out, depth + 1);
        } else {
            out.push(path);
        }
    }
}

/// The hash of one output. `templates` is every template file's name and text, in the
/// order the engine holds them.
pub fn job_hash<'a>(
    data: &[u8],
    file: &str,
    templates: impl IntoIterator<Item = (&'a str, &'a str)>,
    fonts: &str,
    timestamp: i64,
) -> String {
    let mut h = Sha256::new();
    h.update(tool().as_bytes());
    h.update([0]);
    h.update(file.as_bytes());
    h.update([0]);
    h.update(timestamp.to_le_bytes());
    h.update(fonts.as_bytes());
    for (name, text) in templates {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        h.update([0]);
    }
    h.update(data);
    hex(&h.finalize())
}
