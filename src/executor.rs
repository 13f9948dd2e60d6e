//! Executors: where each document's typesetting runs. A build session hands an
//! executor the documents that need building, each as a [`Task`] (its job, profile and
//! the data its template reads), and gets each one back as a [`Compiled`] through a
//! callback, as soon as it is done.
//!
//! [`Threads`] runs documents on plain threads in this process, one thread per document
//! so a panic costs one document only. A stack overflow or an abort cannot be caught
//! in-process: an executor that runs each task in a worker process (re-creating the
//! [`Work`] from `Work::manifest_path` and `Work::options`, or compiling `Task::data`
//! directly) plugs in here without the session changing.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crate::diag::Diagnostic;
use crate::error::Failure;
use crate::manifest::Manifest;
use crate::options::BuildOptions;
use crate::plan::Job;
use crate::profile::Profile;
use crate::render::world::Engine;
use crate::render::{RenderOptions, Rendered};
use typst_layout::PagedDocument;

/// One document to build.
#[derive(Debug, Clone)]
pub struct Task {
    /// Its index in the session's list of outputs (plan order × profiles); the key a
    /// worker process can re-plan from.
    pub unit: usize,
    /// The job (with the profile's file name).
    pub job: Job,
    /// Screen, print or archive.
    pub profile: Profile,
    /// The `data.json` its template reads.
    pub data: Vec<u8>,
    /// A rough cost (bytes of text), so long documents start first.
    pub cost: usize,
}

/// What building one document gave.
#[derive(Debug, Default)]
pub struct Compiled {
    /// The PDF, when it could be made.
    pub pdf: Option<Vec<u8>>,
    /// Pages of the PDF.
    pub pages: usize,
    /// Errors (when there is no PDF) and warnings.
    pub diags: Vec<Diagnostic>,
    /// Time spent, in milliseconds.
    pub millis: u128,
    /// The laid-out pages, kept only when [`Work::keep_documents`] asks for them.
    pub document: Option<Arc<PagedDocument>>,
}

/// What every document of one build shares: the warm engine, the manifest, the options.
pub struct Work<'a> {
    /// Fonts and templates, loaded once per session.
    pub engine: &'a Engine,
    /// The checked manifest.
    pub manifest: &'a Manifest,
    /// Where the manifest was read from (for an executor that starts processes).
    pub manifest_path: &'a Path,
    /// The session's options (for an executor that starts processes).
    pub options: &'a BuildOptions,
    /// Date, bleed and marks; the profile is set per task.
    pub render: RenderOptions,
    /// Hand each document's laid-out pages back in [`Compiled::document`] (a sink that
    /// draws pages asks for them; only an in-process executor can).
    pub keep_documents: bool,
}

impl Work<'_> {
    /// Builds one document in this thread: its photos, then layout and PDF export.
    pub fn compile(&self, task: Task) -> Compiled {
        let start = Instant::now();
        #[cfg(debug_assertions)]
        forced_panic(&task.job.file_name);
        let mut out = Compiled::default();
        let photos = self.engine.photos.prepare(self.manifest, &task.job, task.profile);
        if !photos.is_empty() {
            out.diags = photos;
            out.millis = start.elapsed().as_millis();
            return out;
        }
        let options = RenderOptions { profile: task.profile, ..self.render };
        let result = if self.keep_documents {
            crate::render::render_keeping(self.engine, &task.job, task.data, options)
                .map(|(rendered, document)| (rendered, Some(Arc::new(document))))
        } else {
            crate::render::render(self.engine, &task.job, task.data, options).map(|r| (r, None))
        };
        // Bound memory over long batches: drop memoized results no recent document used.
        typst::comemo::evict(4);
        match result {
            Ok((Rendered { pdf, pages, warnings, .. }, document)) => {
                out.diags = warnings;
                out.pages = pages;
                out.pdf = Some(pdf);
                out.document = document;
            }
            Err(diags) => out.diags = diags,
        }
        out.millis = start.elapsed().as_millis();
        out
    }
}

/// Runs tasks and reports each one when it is done.
pub trait Executor: Sync {
    /// Builds every task, calling `done(task.unit, result)` once per task as it
    /// finishes (from any thread). A task that fails, panics or dies yields a
    /// `Compiled` without a PDF and with an error saying why; only a failure to run
    /// anything at all is an `Err`.
    fn run(
        &self,
        work: &Work<'_>,
        tasks: Vec<Task>,
        done: &(dyn Fn(usize, Compiled) + Sync),
    ) -> Result<(), Failure>;
}

/// Documents on plain threads in this process, `jobs` at once (0 = number of cores).
#[derive(Debug, Clone, Copy, Default)]
pub struct Threads {
    /// Documents built at once (0 = number of cores).
    pub jobs: usize,
}

impl Threads {
    /// How many threads to use.
    pub fn count(&self) -> usize {
        if self.jobs == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            self.jobs
        }
    }
}

impl Executor for Threads {
    fn run(
        &self,
        work: &Work<'_>,
        tasks: Vec<Task>,
        done: &(dyn Fn(usize, Compiled) + Sync),
    ) -> Result<(), Failure> {
        run_tasks(self.count(), tasks, done, |task| work.compile(task))
    }
}

/// Runs the tasks on `threads` threads, the costliest first, each through `compile`
/// under [`isolated`], and hands each result to `done` as it finishes. Both executors
/// share it: they differ only in how one task is compiled.
pub(crate) fn run_tasks(
    threads: usize,
    tasks: Vec<Task>,
    done: &(dyn Fn(usize, Compiled) + Sync),
    compile: impl Fn(Task) -> Compiled + Sync,
) -> Result<(), Failure> {
    let slots: Vec<std::sync::Mutex<Option<Task>>> =
        tasks.into_iter().map(|t| std::sync::Mutex::new(Some(t))).collect();
    let cost = |slot: &std::sync::Mutex<Option<Task>>| {
        slot.lock().ok().and_then(|t| t.as_ref().map(|t| t.cost)).unwrap_or(0)
    };
    parallel_map(threads, &slots, cost, |slot| {
        let Some(task) = slot.lock().ok().and_then(|mut t| t.take()) else { return };
        let (unit, name) = (task.unit, task.job.file_name.clone());
        let compiled = isolated(&name, || compile(task));
        done(unit, compiled);
    })
    .map_err(|e| Failure::io(format!("cannot start worker threads: {e}")))?;
    Ok(())
}

/// Test-only: `JIANBAO_TEST_PANIC=<output file name>` makes that document panic, so the
/// tests can prove a panic costs one document. Read only in debug builds; a release
/// binary ignores it.
#[cfg(debug_assertions)]
pub(crate) fn forced_panic(file_name: &str) {
    if std::env::var_os("JIANBAO_TEST_PANIC").is_some_and(|v| v == file_name) {
        panic!("forced by JIANBAO_TEST_PANIC for {file_name}");
    }
}

/// Runs one document's work so that a panic in it (ours, Typst's or a library's) fails
/// that document only: the work runs on a thread named after the document (so the
/// panic message names it), and a panic becomes a result without a PDF that says it is
/// a bug.
pub fn isolated(name: &str, work: impl FnOnce() -> Compiled + Send) -> Compiled {
    let start = Instant::now();
    let work = std::sync::Mutex::new(Some(work));
    let run = || {
        let work = work.lock().unwrap_or_else(|e| e.into_inner()).take();
        (work.expect("a document's work runs once"))()
    };
    let outcome = std::thread::scope(|scope| {
        // Typst recurses deeply on nested content; give the document a main thread's stack.
        let spawned = std::thread::Builder::new()
            .name(name.to_string())
            .stack_size(8 << 20)
            .spawn_scoped(scope, run);
        match spawned {
            Ok(handle) => handle.join(),
            // No thread to be had: run it here, still isolated.
            Err(_) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)),
        }
    });
    outcome.unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        let diag = Diagnostic::error(format!(
            "{name}: jianbao stopped on a bug while making this document ({what}); the other documents are made"
        ))
        .hint(
            "this is a bug in jianbao, not in your manifest: please report it with the \
             manifest (and the `--templates` folder, if one is used) and this message",
        );
        Compiled { diags: vec![diag], millis: start.elapsed().as_millis(), ..Compiled::default() }
    })
}

/// Maps `f` over `items` on `threads` plain threads, keeping the items' order in the
/// result. Items start in order of decreasing `cost` (ties in their own order).
///
/// Plain threads rather than a rayon pool: Typst and krilla use rayon inside one
/// document, and a rayon worker that waits there steals queued work, which in a rayon
/// pool of documents is the next whole document. Builds then nest on one stack, each
/// holding its memory until the ones above it finish, and peak memory grows with the
/// number of documents. Here a document's internal parallel work runs on rayon's global
/// pool, which never holds documents.
pub fn parallel_map<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    cost: impl Fn(&T) -> usize,
    f: impl Fn(&T) -> R + Sync,
) -> std::io::Result<Vec<R>> {
    let mut queue: Vec<usize> = (0..items.len()).collect();
    queue.sort_by_cached_key(|&i| std::cmp::Reverse(cost(&items[i])));
    let next = AtomicUsize::new(0);
    let threads = threads.clamp(1, items.len().max(1));
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let mut handles = Vec::with_capacity(threads);
        for _ in 0..threads {
            let worker = || {
                let mut out = Vec::new();
                while let Some(&i) = queue.get(next.fetch_add(1, Ordering::Relaxed)) {
                    out.push((i, f(&items[i])));
                }
                out
            };
            handles.push(
                std::thread::Builder::new()
                    .name("jianbao-worker".into())
                    .spawn_scoped(scope, worker)?,
            );
        }
        let mut all = Vec::with_capacity(items.len());
        for handle in handles {
            all.extend(handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        Ok::<_, std::io::Error>(all)
    })?;
    results.sort_unstable_by_key(|(i, _)| *i);
    Ok(results.into_iter().map(|(_, r)| r).collect())
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::parallel_map;

    #[test]
    fn parallel_map_keeps_order_and_runs_each_item_once() {
        let items: Vec<usize> = (0..100).collect();
        let calls = AtomicUsize::new(0);
        let out = parallel_map(
            3,
            &items,
            |&i| i % 7,
            |&i| {
                calls.fetch_add(1, Ordering::Relaxed);
                i * 2
            },
        )
        .unwrap();
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(calls.load(Ordering::Relaxed), 100);
        assert!(parallel_map(2, &[] as &[usize], |_| 0, |&i| i).unwrap().is_empty());
    }

    #[test]
    fn parallel_map_starts_costly_items_first() {
        let items = [3, 9, 1, 9, 5];
        let started = std::sync::Mutex::new(Vec::new());
        parallel_map(1, &items, |&c| c, |&c| started.lock().unwrap().push(c)).unwrap();
        assert_eq!(*started.lock().unwrap(), [9, 9, 5, 3, 1]);
    }

    thread_local! {
        static DEPTH: Cell<usize> = const { Cell::new(0) };
    }

    /// Typst and krilla call rayon inside a document. When the documents themselves ran
    /// as rayon tasks, a worker waiting there took up the next document on the same
    /// stack, so builds nested and memory grew with the batch. Here a rayon call that
    /// yields inside an item must never start another item on that thread.
    #[test]
    fn items_never_nest_when_they_use_rayon_inside() {
        let items: Vec<usize> = (0..64).collect();
        let deepest = AtomicUsize::new(0);
        parallel_map(
            2,
            &items,
            |_| 0,
            |_| {
                let depth = DEPTH.with(|d| {
                    d.set(d.get() + 1);
                    d.get()
                });
                deepest.fetch_max(depth, Ordering::Relaxed);
                rayon::join(rayon::yield_now, rayon::yield_now);
                DEPTH.with(|d| d.set(d.get() - 1));
            },
        )
        .unwrap();
        assert_eq!(deepest.load(Ordering::Relaxed), 1);
    }
}
