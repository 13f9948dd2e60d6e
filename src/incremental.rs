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

use crate::fonts::FontOptions;
use crate::render::templates::Templates;

/// The record's file name inside the output folder.
pub const RECORD_FILE: &str = ".jianbao.json";

/// What `OUT/.jianbao.json` holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Record {
    /// Tool that wrote it.
    pub tool: String,
    /// One entry per output file, sorted by file name.
    pub outputs: Vec<OutputEntry>,
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
        std::fs::read(out_dir.join(RECORD_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Writes the record atomically.
    pub fn save(&self, out_dir: &Path) -> std::io::Result<()> {
        let mut json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        json.push(b'\n');
        crate::pipeline::write_atomic(&out_dir.join(RECORD_FILE), &json)
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

/// The hash of one output.
pub fn job_hash(
    data: &[u8],
    file: &str,
    templates: &Templates,
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
    templates.fingerprint(&mut h);
    h.update(data);
    hex(&h.finalize())
}

/// SHA-256 of bytes, as hex.
pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
