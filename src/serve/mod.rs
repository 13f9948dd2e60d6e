//! `jianbao serve`: a local preview. A build session (the loop of `watch`) keeps each
//! document's laid-out pages in memory ([`Preview`]), and a small HTTP server
//! ([`http`]) shows the documents, their pages as PNG images drawn from those pages
//! ([`page`]), and the last build's diagnostics. The page reloads itself when a
//! rebuild finishes. Nothing is written to disk: no PDF, no build record.

pub mod http;
pub mod page;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use typst_layout::PagedDocument;

use crate::diag::{Diagnostic, DiagnosticFormat};
use crate::error::Failure;
use crate::executor::Threads;
use crate::incremental::OutputEntry;
use crate::session::{BuildOptions, BuildReport, Event, Session, Status};
use crate::sink::{Finished, Sink};

/// The documents of a preview: each output's record entry and laid-out pages, by file
/// name. A document that fails to rebuild keeps its last good pages; an output is
/// fresh while its hash is unchanged, so a rebuild typesets only what changed.
#[derive(Default)]
pub struct Preview {
    docs: Mutex<Kept>,
}

/// A preview's documents: each output's record entry and its last good pages, by file
/// name.
type Kept = BTreeMap<String, (OutputEntry, Option<Arc<PagedDocument>>)>;

impl Preview {
    /// The pages shown for an output (the last that built), with their inputs' hash.
    pub fn shown(&self, file: &str) -> Option<Shown> {
        let docs = self.lock();
        let (entry, document) = docs.get(file)?;
        Some(Shown { hash: entry.hash.clone(), document: document.clone()? })
    }

    fn lock(&self) -> MutexGuard<'_, Kept> {
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Preview {
    fn begin(&mut self) -> Result<Vec<Diagnostic>, Failure> {
        Ok(Vec::new())
    }

    fn fresh(&self, file: &str, hash: &str) -> Option<OutputEntry> {
        let docs = self.lock();
        let (entry, document) = docs.get(file)?;
        (entry.hash == hash && document.is_some()).then(|| entry.clone())
    }

    fn path(&self, file: &str) -> PathBuf {
        PathBuf::from(file)
    }

    fn put(&self, entry: &OutputEntry, _pdf: &[u8]) -> std::io::Result<()> {
        // The pages follow through `keep_document`; until then the old ones stay.
        let mut docs = self.lock();
        let old = docs.remove(&entry.file).and_then(|(_, d)| d);
        docs.insert(entry.file.clone(), (entry.clone(), old));
        Ok(())
    }

    fn wants_documents(&self) -> bool {
        true
    }

    fn keep_document(&self, entry: &OutputEntry, document: Arc<PagedDocument>) {
        self.lock().insert(entry.file.clone(), (entry.clone(), Some(document)));
    }

    fn finish(&mut self, planned: &[String], _: &str) -> Result<Finished, Failure> {
        if !planned.is_empty() {
            self.lock().retain(|file, _| planned.contains(file));
        }
        Ok(Finished::default())
    }
}

/// The pages shown for one output.
#[derive(Clone)]
pub struct Shown {
    /// Hash of the inputs they were made from (the key of their images).
    pub hash: String,
    /// The laid-out pages.
    pub document: Arc<PagedDocument>,
}

/// One output as the page lists it.
#[derive(Clone)]
pub struct DocView {
    /// File name.
    pub file: String,
    /// Outcome of the last build.
    pub status: Status,
    /// Pages of the last build (0 when it failed).
    pub pages: usize,
    /// The pages on screen: the last that built.
    pub shown: Option<Shown>,
}

/// What the page shows, replaced whole after each build.
#[derive(Clone, Default)]
pub struct Snapshot {
    /// Counts finished builds; the page reloads when it changes.
    pub generation: u64,
    /// A build is running.
    pub building: bool,
    /// The manifest, as the terminal names it.
    pub manifest: String,
    /// The outputs of the last build that got as far as planning.
    pub docs: Vec<DocView>,
    /// The last build stopped before typesetting (the documents are an earlier build's).
    pub stopped: bool,
    /// The last build's diagnostics, rendered as the terminal shows them (no colour).
    pub diagnostics: String,
    /// Errors among them.
    pub errors: usize,
    /// Warnings among them.
    pub warnings: usize,
}

/// PNG images of pages by (document hash, page index).
type Images = HashMap<(String, usize), Arc<Vec<u8>>>;

/// What the server and the build loop share.
pub struct State {
    snapshot: Mutex<Snapshot>,
    changed: Condvar,
    /// PNG images of the current build's pages, by (hash, page index).
    images: Mutex<Images>,
    format: DiagnosticFormat,
}

impl State {
    /// A state with nothing built yet.
    pub fn new(manifest: &Path, format: DiagnosticFormat) -> State {
        let snapshot = Snapshot {
            manifest: crate::display_path(manifest),
            building: true,
            ..Snapshot::default()
        };
        State {
            snapshot: Mutex::new(snapshot),
            changed: Condvar::new(),
            images: Mutex::new(HashMap::new()),
            format,
        }
    }

    /// A copy of what the page shows now.
    pub fn snapshot(&self) -> Snapshot {
        self.lock().clone()
    }

    fn lock(&self) -> MutexGuard<'_, Snapshot> {
        self.snapshot.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Marks a build as started.
    pub fn building(&self) {
        self.lock().building = true;
        self.changed.notify_all();
    }

    /// The (generation, building) pair now.
    pub fn now(&self) -> (u64, bool) {
        let snap = self.lock();
        (snap.generation, snap.building)
    }

    /// Waits until the (generation, building) pair differs from `seen`, or `timeout`
    /// passes; returns the pair then.
    pub fn wait(&self, seen: (u64, bool), timeout: Duration) -> (u64, bool) {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| (s.generation, s.building) == seen)
            .unwrap_or_else(|e| e.into_inner());
        (guard.generation, guard.building)
    }

    /// Publishes a finished build: its documents (with the pages `preview` holds) and
    /// diagnostics, or, when it stopped early, its diagnostics over the last documents.
    pub fn publish(&self, outcome: Result<&BuildReport, &Failure>, preview: &Preview) {
        let mut snap = self.lock();
        let diags: Vec<Diagnostic> = match outcome {
            Ok(report) => {
                snap.docs = report
                    .docs
                    .iter()
                    .map(|d| DocView {
                        file: d.file_name.clone(),
                        status: d.status,
                        pages: d.pages,
                        shown: preview.shown(&d.file_name),
                    })
                    .collect();
                snap.stopped = false;
                let docs = report.docs.iter().flat_map(|d| d.diags.iter().cloned());
                report.warnings.iter().cloned().chain(docs).collect()
            }
            Err(failure) => {
                snap.stopped = true;
                failure.diagnostics()
            }
        };
        snap.errors = crate::diag::error_count(&diags);
        snap.warnings = diags.len() - snap.errors;
        snap.diagnostics = crate::diag::render(&diags, self.format);
        snap.generation += 1;
        snap.building = false;
        let hashes: Vec<String> =
            snap.docs.iter().filter_map(|d| d.shown.as_ref()).map(|s| s.hash.clone()).collect();
        drop(snap);
        self.changed.notify_all();
        // Only the images of the pages now shown are kept.
        self.images
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(hash, _), _| hashes.contains(hash));
    }

    /// The PNG image of page `page` (0-based) of the `doc`-th output, drawn once per
    /// build of that output.
    pub fn image(&self, doc: usize, page: usize) -> Option<Arc<Vec<u8>>> {
        let shown = self.lock().docs.get(doc)?.shown.clone()?;
        let key = (shown.hash.clone(), page);
        if let Some(png) = self.images.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Some(png.clone());
        }
        let png = Arc::new(page::png(&shown.document, page)?);
        // Kept only while those pages are still shown (a rebuild may have finished).
        // The two locks are never held together.
        let current =
            self.lock().docs.iter().any(|d| d.shown.as_ref().is_some_and(|s| s.hash == shown.hash));
        if current {
            self.images.lock().unwrap_or_else(|e| e.into_inner()).insert(key, png.clone());
        }
        Some(png)
    }
}

/// Builds the manifest, publishes each build to `server`'s page, and rebuilds whenever
/// a watched file changes (the manifest, a source file, a photo, a template or a font
/// folder). Runs until the process is stopped. Documents are typeset on threads of this
/// process (the pages stay here to be drawn), so `--doc-timeout` and `--doc-memory`
/// do not apply.
pub fn run(
    manifest: &Path,
    options: BuildOptions,
    server: http::Server,
    format: DiagnosticFormat,
    events: &(dyn Fn(Event<'_>) + Sync),
    failed: &dyn Fn(&Failure),
) -> Result<u8, Failure> {
    let state = Arc::new(State::new(manifest, format));
    server.start(state.clone())?;
    let executor = Threads { jobs: options.jobs };
    let mut session = Session::new(manifest, options)?;
    let mut preview = Preview::default();
    let mut watcher = crate::watch::Watcher::new()
        .map_err(|e| Failure::io(format!("cannot watch files: {e}")))?;
    let mut result = session.build(&mut preview, &executor, events);
    loop {
        if let Err(failure) = &result {
            failed(failure);
        }
        state.publish(result.as_ref(), &preview);
        watcher.watch(&session.watched());
        let changes = watcher.wait();
        state.building();
        result = session.rebuild(&changes, &mut preview, &executor, events);
    }
}
