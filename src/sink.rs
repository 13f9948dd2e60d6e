//! Sinks: where a build session's documents go. [`Disk`] writes them atomically into an
//! output folder it holds locked, with the build record; [`Memory`] keeps them in memory
//! (a preview); [`CheckOnly`] writes nothing and only says what is missing or stale.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use typst_layout::PagedDocument;

use crate::diag::Diagnostic;
use crate::error::Failure;
use crate::incremental::{OutputEntry, Record};

/// What a sink says at the end of a build.
#[derive(Debug, Default)]
pub struct Finished {
    /// Files an earlier build made for this manifest that it no longer makes (left in
    /// place).
    pub no_longer_made: Vec<PathBuf>,
    /// Such files removed (`--prune`).
    pub pruned: Vec<PathBuf>,
    /// Warnings (files that could not be removed, …).
    pub warnings: Vec<Diagnostic>,
}

/// Where documents go.
pub trait Sink: Sync {
    /// Called once at the start of each build, before anything else: takes locks and
    /// reads what earlier builds left. Returns warnings (a damaged record, …).
    fn begin(&mut self) -> Result<Vec<Diagnostic>, Failure>;

    /// Whether documents are built and handed to [`Sink::put`]; `false` for a check
    /// that only reports which outputs are fresh.
    fn writes(&self) -> bool {
        true
    }

    /// What the sink holds of an output whose inputs hash to `hash`, when it is up to
    /// date (same hash, file still there); `None` when it must be built.
    fn fresh(&self, file: &str, hash: &str) -> Option<OutputEntry>;

    /// Where an output goes (shown to the user).
    fn path(&self, file: &str) -> PathBuf;

    /// Stores one finished document; `entry` describes it (file name, hash, pages,
    /// size, SHA-256, …). Called from any thread, as documents finish.
    fn put(&self, entry: &OutputEntry, pdf: &[u8]) -> std::io::Result<()>;

    /// Whether the sink wants each built document's laid-out pages too, through
    /// [`Sink::keep_document`] (a preview that draws them). Only an executor that
    /// typesets in this process ([`crate::executor::Threads`]) has them to give.
    fn wants_documents(&self) -> bool {
        false
    }

    /// Takes the laid-out pages of a document just stored with [`Sink::put`]; called
    /// only when [`Sink::wants_documents`] says so.
    fn keep_document(&self, _entry: &OutputEntry, _document: Arc<PagedDocument>) {}

    /// Called once at the end of each build (also after a failed one, with
    /// `planned` empty): saves what must be saved and releases locks. `planned` is
    /// every file name this manifest makes in any profile; `manifest` identifies it.
    fn finish(&mut self, planned: &[String], manifest: &str) -> Result<Finished, Failure>;

    /// Photos an earlier build into this sink read and hashed, to be trusted while their
    /// size and modification time are unchanged. Called before [`Sink::begin`], so it
    /// may read without the lock: an entry is only a hint checked against the file.
    fn known_photos(&self) -> crate::manifest::known::Known {
        crate::manifest::known::Known::new()
    }

    /// What this build saw of its photos, to remember for later builds (saved by
    /// [`Sink::finish`]).
    fn remember_photos(&mut self, _seen: crate::manifest::known::Known) {}
}

/// An output folder on disk, with its build record `.jianbao.json`.
pub struct Disk {
    out_dir: PathBuf,
    prune: bool,
    lock: Option<std::fs::File>,
    record: Record,
    written: Mutex<Vec<OutputEntry>>,
    photos: crate::manifest::known::Known,
}

impl Disk {
    /// A sink writing into `out_dir` (created when needed); `prune` removes outputs
    /// this manifest made earlier but no longer makes.
    pub fn new(out_dir: impl Into<PathBuf>, prune: bool) -> Disk {
        Disk {
            out_dir: out_dir.into(),
            prune,
            lock: None,
            record: Record::default(),
            written: Mutex::new(Vec::new()),
            photos: crate::manifest::known::Known::new(),
        }
    }

    /// The output folder.
    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }
}

impl Sink for Disk {
    fn begin(&mut self) -> Result<Vec<Diagnostic>, Failure> {
        // Held to the end of the build: a second build into this folder waits, so
        // neither reads the record before the other has saved it.
        let locked = std::fs::create_dir_all(&self.out_dir)
            .and_then(|()| crate::fs::lock_folder(&self.out_dir));
        self.lock = Some(locked.map_err(|e| {
            Failure::io(format!(
                "cannot lock the output folder {}: {e}",
                crate::display_path(&self.out_dir)
            ))
        })?);
        crate::fs::remove_stale_temporaries(&self.out_dir);
        let (record, damaged) = Record::load_checked(&self.out_dir);
        self.record = record;
        self.written.lock().unwrap_or_else(|e| e.into_inner()).clear();
        Ok(damaged.into_iter().collect())
    }

    fn fresh(&self, file: &str, hash: &str) -> Option<OutputEntry> {
        fresh_on_disk(&self.record, &self.out_dir, file, hash)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.out_dir.join(file)
    }

    fn put(&self, entry: &OutputEntry, pdf: &[u8]) -> std::io::Result<()> {
        crate::fs::write_atomic(&self.out_dir.join(&entry.file), pdf)?;
        self.written.lock().unwrap_or_else(|e| e.into_inner()).push(entry.clone());
        Ok(())
    }

    fn finish(&mut self, planned: &[String], manifest: &str) -> Result<Finished, Failure> {
        let lock = self.lock.take();
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        if lock.is_none() || (planned.is_empty() && written.is_empty()) {
            // Not begun, or a build that stopped before making anything: the lock goes.
            return Ok(Finished::default());
        }
        // Read the record again: a build of another manifest may have saved entries
        // before this one took the lock, and they are kept.
        let mut record = Record::load(&self.out_dir);
        let any_written = !written.is_empty();
        record.update(written);
        let photos_changed =
            crate::manifest::known::merge(&mut record.photos, std::mem::take(&mut self.photos));
        let mut finished = Finished::default();
        let changed = if planned.is_empty() {
            false
        } else {
            old_outputs(&mut record, manifest, planned, &self.out_dir, self.prune, &mut finished)
        };
        if changed
            || any_written
            || photos_changed
            || !self.out_dir.join(crate::incremental::RECORD_FILE).exists()
        {
            record.save(&self.out_dir).map_err(|e| {
                Failure::io(format!(
                    "cannot write the build record in {}: {e}",
                    crate::display_path(&self.out_dir)
                ))
            })?;
        }
        self.record = record;
        drop(lock);
        Ok(finished)
    }

    fn known_photos(&self) -> crate::manifest::known::Known {
        Record::load(&self.out_dir).photos
    }

    fn remember_photos(&mut self, seen: crate::manifest::known::Known) {
        self.photos = seen;
    }
}

/// An output is fresh when the record has the same hash and the file is still there
/// with the recorded size.
fn fresh_on_disk(record: &Record, out_dir: &Path, file: &str, hash: &str) -> Option<OutputEntry> {
    let entry = record.get(file)?;
    (entry.hash == hash
        && std::fs::metadata(out_dir.join(file)).is_ok_and(|m| m.len() == entry.size))
    .then(|| entry.clone())
}

/// Outputs the record says jianbao wrote for this manifest that it no longer makes.
/// Entries whose file is gone are dropped from the record. With `prune` the files are
/// removed, but only when they are still the bytes jianbao wrote. Returns whether the
/// record changed.
fn old_outputs(
    record: &mut Record,
    manifest: &str,
    planned: &[String],
    out_dir: &Path,
    prune: bool,
    finished: &mut Finished,
) -> bool {
    let mut changed = false;
    for entry in record.no_longer_made(manifest, planned) {
        let path = out_dir.join(&entry.file);
        let forget = match std::fs::read(&path) {
            Err(_) => true,
            Ok(_) if !prune => {
                finished.no_longer_made.push(path);
                false
            }
            Ok(bytes) if crate::digest::sha256(&bytes) != entry.sha256 => {
                finished.warnings.push(
                    Diagnostic::warning(format!(
                        "{} was changed after jianbao wrote it, so --prune leaves it",
                        crate::display_path(&path)
                    ))
                    .hint("remove it yourself if it is no longer wanted"),
                );
                finished.no_longer_made.push(path);
                false
            }
            Ok(_) => match std::fs::remove_file(&path) {
                Ok(()) => {
                    finished.pruned.push(path);
                    true
                }
                Err(e) => {
                    finished.warnings.push(Diagnostic::warning(format!(
                        "cannot remove {}: {e}",
                        crate::display_path(&path)
                    )));
                    finished.no_longer_made.push(path);
                    false
                }
            },
        };
        if forget {
            record.outputs.retain(|e| e.file != entry.file);
            changed = true;
        }
    }
    changed
}

/// Writes nothing: reports each output as fresh or stale against an output folder's
/// record (`build --check`).
pub struct CheckOnly {
    out_dir: PathBuf,
    record: Record,
}

impl CheckOnly {
    /// A check against `out_dir` (which need not exist).
    pub fn new(out_dir: impl Into<PathBuf>) -> CheckOnly {
        CheckOnly { out_dir: out_dir.into(), record: Record::default() }
    }
}

impl Sink for CheckOnly {
    fn begin(&mut self) -> Result<Vec<Diagnostic>, Failure> {
        let (record, damaged) = Record::load_checked(&self.out_dir);
        self.record = record;
        Ok(damaged.into_iter().collect())
    }

    fn writes(&self) -> bool {
        false
    }

    fn fresh(&self, file: &str, hash: &str) -> Option<OutputEntry> {
        fresh_on_disk(&self.record, &self.out_dir, file, hash)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.out_dir.join(file)
    }

    fn put(&self, _: &OutputEntry, _: &[u8]) -> std::io::Result<()> {
        Err(std::io::Error::other("a check writes nothing"))
    }

    fn known_photos(&self) -> crate::manifest::known::Known {
        Record::load(&self.out_dir).photos
    }

    fn finish(&mut self, _: &[String], _: &str) -> Result<Finished, Failure> {
        Ok(Finished::default())
    }
}

/// Documents kept in memory, by file name (a preview server's store). An output is
/// fresh while its hash is unchanged, so a rebuild makes only what changed.
#[derive(Default)]
pub struct Memory {
    files: Mutex<Stored>,
}

/// A memory sink's documents: each file's record entry and bytes, by file name.
type Stored = BTreeMap<String, (OutputEntry, std::sync::Arc<[u8]>)>;

impl Memory {
    /// An empty store.
    pub fn new() -> Memory {
        Memory::default()
    }

    /// The bytes of a stored document.
    pub fn get(&self, file: &str) -> Option<std::sync::Arc<[u8]>> {
        self.lock().get(file).map(|(_, pdf)| pdf.clone())
    }

    /// The stored documents' entries, by file name.
    pub fn entries(&self) -> Vec<OutputEntry> {
        self.lock().values().map(|(e, _)| e.clone()).collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Stored> {
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Memory {
    fn begin(&mut self) -> Result<Vec<Diagnostic>, Failure> {
        Ok(Vec::new())
    }

    fn fresh(&self, file: &str, hash: &str) -> Option<OutputEntry> {
        self.lock().get(file).filter(|(e, _)| e.hash == hash).map(|(e, _)| e.clone())
    }

    fn path(&self, file: &str) -> PathBuf {
        PathBuf::from(file)
    }

    fn put(&self, entry: &OutputEntry, pdf: &[u8]) -> std::io::Result<()> {
        self.lock().insert(entry.file.clone(), (entry.clone(), pdf.into()));
        Ok(())
    }

    fn finish(&mut self, planned: &[String], _: &str) -> Result<Finished, Failure> {
        if !planned.is_empty() {
            self.lock().retain(|file, _| planned.contains(file));
        }
        Ok(Finished::default())
    }
}
