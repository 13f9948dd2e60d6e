//! The manifest: reading the YAML file, checking it, and the checked types.
//!
//! [`load`] reads and parses the file ([`yaml`]), reads every field into owned types
//! while collecting problems ([`read`]), then checks meaning across fields
//! ([`validate`]): ids, references, quotes, values, source files and photos. It returns
//! either a [`Manifest`] or every problem found, each with `file:line:column` and a hint
//! ([`Rejected`], which keeps the manifest when every field was read, so that the caller
//! can plan it and report the output patterns' problems too).

pub mod checks;
pub mod fields;
pub mod figures;
pub mod known;
pub mod model;
pub mod photos;
pub mod probe;
mod read;
pub mod schema;
pub mod validate;
pub mod yaml;

use std::path::{Path, PathBuf};

pub use model::*;
pub use read::split_paragraphs;

use crate::diag::{Diagnostic, SourceText};
use crate::error::Failure;

/// Options for loading a manifest.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Folder that source files must stay inside (default: the manifest's folder).
    pub root: Option<PathBuf>,
    /// Photos hashed by an earlier build, trusted while their size and time are
    /// unchanged ([`crate::manifest::known`]).
    pub known_photos: crate::manifest::known::Known,
}

/// A manifest that failed its checks: every problem found, and the manifest itself when
/// every field could still be read, so that the caller can check what is built on it (the
/// output patterns of the plan) and report those problems in the same run.
#[derive(Debug)]
pub struct Rejected {
    /// Every problem found.
    pub diags: Vec<Diagnostic>,
    /// The manifest, when every field was read despite the problems.
    pub manifest: Option<Box<Manifest>>,
}

/// Reads, parses and validates a manifest.
///
/// The outer error is an environment problem (the file cannot be read, exit code 2); the
/// inner one the input's problems (exit code 1).
pub fn load(
    path: &Path,
    options: &LoadOptions,
) -> Result<Result<(Manifest, Vec<Diagnostic>), Rejected>, Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::io(format!("cannot read manifest {}: {e}", crate::display_path(path))).hint(
            "check the path; `jianbao check` takes the manifest file, e.g. seeds/manifest.yaml",
        )
    })?;
    let name = crate::display_path(path);
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let dir = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir };
    let dir = dir.canonicalize().map_err(|e| {
        Failure::io(format!("cannot open the manifest's folder {}: {e}", crate::display_path(&dir)))
    })?;
    let root = match &options.root {
        Some(root) => root.canonicalize().map_err(|e| {
            Failure::io(format!(
                "cannot open the project folder {}: {e}",
                crate::display_path(root)
            ))
        })?,
        None => dir.clone(),
    };
    Ok(parse_keeping_with(&name, &bytes, path, &dir, &root, &options.known_photos))
}

/// Parses and validates manifest bytes whose source files are relative to, and stay
/// inside, `root`.
pub fn parse_and_validate(
    name: &str,
    bytes: &[u8],
    path: &Path,
    root: &Path,
) -> Result<(Manifest, Vec<Diagnostic>), Vec<Diagnostic>> {
    parse_and_validate_in(name, bytes, path, root, root)
}

/// Parses and validates manifest bytes. Source files are relative to `dir` (the
/// manifest's folder) and must stay inside `root`.
pub fn parse_and_validate_in(
    name: &str,
    bytes: &[u8],
    path: &Path,
    dir: &Path,
    root: &Path,
) -> Result<(Manifest, Vec<Diagnostic>), Vec<Diagnostic>> {
    parse_keeping(name, bytes, path, dir, root).map_err(|r| r.diags)
}

/// [`parse_and_validate_in`], keeping a manifest that failed its checks when every field
/// could be read ([`Rejected`]).
pub fn parse_keeping(
    name: &str,
    bytes: &[u8],
    path: &Path,
    dir: &Path,
    root: &Path,
) -> Result<(Manifest, Vec<Diagnostic>), Rejected> {
    parse_keeping_with(name, bytes, path, dir, root, &known::Known::new())
}

/// [`parse_keeping`], trusting the photos `known` lists while their files are unchanged.
fn parse_keeping_with(
    name: &str,
    bytes: &[u8],
    path: &Path,
    dir: &Path,
    root: &Path,
    known: &known::Known,
) -> Result<(Manifest, Vec<Diagnostic>), Rejected> {
    // Every problem found here is about the manifest: tools reading JSON messages see
    // the code `manifest` unless a check gave a finer one.
    let tag = |mut diags: Vec<Diagnostic>| {
        for d in &mut diags {
            d.code.get_or_insert("manifest");
        }
        diags
    };
    read_and_validate(name, bytes, path, dir, root, known)
        .map(|(m, w)| (m, tag(w)))
        .map_err(|r| Rejected { diags: tag(r.diags), manifest: r.manifest })
}

fn read_and_validate(
    name: &str,
    bytes: &[u8],
    path: &Path,
    dir: &Path,
    root: &Path,
    known: &known::Known,
) -> Result<(Manifest, Vec<Diagnostic>), Rejected> {
    let rejected = |diags| Rejected { diags, manifest: None };
    let source = decode(name, bytes).map_err(rejected)?;
    if source.text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(rejected(vec![
            Diagnostic::error("the manifest is empty")
                .in_file(&source)
                .hint("a manifest needs at least `briefing:` and `articles:`; see README.md"),
        ]));
    }
    let node = yaml::parse(&source).map_err(|d| rejected(vec![*d]))?;
    let mut reader = yaml::Reader::new(&source);
    let raw = read::manifest(&mut reader, &node);
    let mut diags = yaml::fullwidth_colons(&source);
    diags.extend(reader.diags);
    let Some(raw) = raw else { return Err(rejected(diags)) };
    let complete = raw.complete;
    let manifest = validate::validate(raw, &source, path, (dir, root), known, &mut diags);
    match manifest {
        Some(m) if complete && crate::diag::error_count(&diags) == 0 => Ok((m, diags)),
        // The output patterns and selections can still be checked: the caller plans the
        // manifest and reports their problems in this run too, not after the user fixed
        // the others.
        Some(m) if complete => Err(Rejected { diags, manifest: Some(Box::new(m)) }),
        _ => Err(rejected(diags)),
    }
}

fn decode(name: &str, bytes: &[u8]) -> Result<SourceText, Vec<Diagnostic>> {
    if bytes.len() > yaml::MAX_MANIFEST_BYTES {
        let source = SourceText::new(name, "");
        return Err(vec![
            Diagnostic::error(format!(
                "the manifest is {} MB, more than the {} MB limit",
                bytes.len() / 1_000_000,
                yaml::MAX_MANIFEST_BYTES / 1_000_000
            ))
            .in_file(&source)
            .hint("split the issue into several manifests"),
        ]);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(SourceText::new(name, text.replace("\r\n", "\n"))),
        Err(err) => {
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            let good = err.valid_up_to();
            let source = SourceText::new(name, lossy);
            let (line, col) = source.line_col(good);
            let _ = (line, col);
            Err(vec![
                Diagnostic::error("the manifest is not UTF-8 text")
                    .at(&source, good..good + 1)
                    .hint(
                        "save the file as UTF-8 (in Notepad: Save As → Encoding → UTF-8); \
                         GBK/GB18030 manifests are not read",
                    ),
            ])
        }
    }
}
