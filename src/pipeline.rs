//! The build pipeline: manifest → plan → data → Typst → PDF files, for every job, in
//! parallel, with one shared font set. Outputs whose hash is unchanged are skipped;
//! failures of one document never stop the others.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::error::Failure;
use crate::fonts::{FontOptions, Fonts};
use crate::incremental::{OutputEntry, Record};
use crate::manifest::{LoadOptions, Manifest};
use crate::normalize::Change;
use crate::plan::{Job, JobKind};
use crate::preflight::Profile;
use crate::render::templates::Templates;
use crate::render::world::Engine;
use crate::render::{RenderOptions, Rendered};

/// Everything `build` needs besides the manifest path.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Where the PDFs go.
    pub out_dir: PathBuf,
    /// Template overrides.
    pub templates: Option<PathBuf>,
    /// Font sources.
    pub fonts: FontOptions,
    /// Parallel documents (0 = number of cores).
    pub jobs: usize,
    /// Fixed PDF date (`SOURCE_DATE_EPOCH`).
    pub source_date_epoch: Option<i64>,
    /// Project root for source files.
    pub root: Option<PathBuf>,
    /// Write each document's Typst sources to this folder too.
    pub emit_typst: Option<PathBuf>,
    /// Rebuild outputs whose hash is unchanged.
    pub force: bool,
    /// Write nothing; report which outputs are missing or stale.
    pub check_only: bool,
    /// Draw a progress bar on stderr.
    pub progress: bool,
    /// Which files to make of each document (default: screen).
    pub profiles: Vec<Profile>,
    /// Keep every text-cleaning change for the report (`--explain-normalize`).
    pub explain_normalize: bool,
    /// Remove outputs the build record says jianbao wrote for this manifest, but that it
    /// no longer makes (`--prune`).
    pub prune: bool,
    /// Compile each document in a worker process under these limits (`--doc-timeout`,
    /// `--doc-memory`); none: in this process, on threads.
    pub limits: Option<crate::worker::Limits>,
}

/// What happened to one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Written.
    Built,
    /// Unchanged since the last build.
    Skipped,
    /// Could not be built (see its diagnostics).
    Failed,
    /// `--check`: missing or out of date.
    Stale,
    /// `--check`: up to date.
    Fresh,
}

/// What happened to one document.
#[derive(Debug)]
pub struct DocReport {
    /// File name.
    pub file_name: String,
    /// Outcome.
    pub status: Status,
    /// Path of the file.
    pub path: PathBuf,
    /// Pages.
    pub pages: usize,
    /// Bytes.
    pub size: u64,
    /// Content hash of its inputs.
    pub hash: String,
    /// SHA-256 of the PDF file (empty when unknown).
    pub sha256: String,
    /// Errors and warnings.
    pub diags: Vec<Diagnostic>,
    /// How many marks the text cleaning changed.
    pub normalized: usize,
    /// The changes themselves, kept only for `--explain-normalize`.
    pub changes: Vec<Change>,
    /// Time spent, in milliseconds.
    pub millis: u128,
    /// Whether it failed because a file could not be written (an environment error),
    /// not because of its input.
    pub write_failed: bool,
}

impl DocReport {
    /// Whether the document failed.
    pub fn failed(&self) -> bool {
        self.status == Status::Failed
    }
}

/// The result of a build.
#[derive(Debug)]
pub struct BuildReport {
    /// Manifest warnings.
    pub warnings: Vec<Diagnostic>,
    /// One entry per job, in plan order.
    pub docs: Vec<DocReport>,
    /// Wall time in milliseconds.
    pub millis: u128,
    /// Files in the output folder that jianbao wrote for this manifest but that it no
    /// longer makes (left in place).
    pub no_longer_made: Vec<PathBuf>,
    /// Such files removed by `--prune`.
    pub pruned: Vec<PathBuf>,
}

impl BuildReport {
    /// How many documents have a status.
    pub fn count(&self, status: Status) -> usize {
        self.docs.iter().filter(|d| d.status == status).count()
    }
}

/// Loads and checks a manifest and its plan (what `jianbao check` does).
pub fn check(
    manifest: &Path,
    root: Option<PathBuf>,
) -> Result<(Manifest, Vec<Job>, Vec<Diagnostic>), Failure> {
    let (m, mut warnings) = crate::manifest::load(manifest, &LoadOptions { root })?;
    let (jobs, diags) = crate::plan::plan(&m);
    let failed = crate::diag::error_count(&diags) > 0;
    warnings.extend(diags);
    if failed {
        return Err(Failure::Input(warnings));
    }
    Ok((m, jobs, warnings))
}

/// The shared engine of a run: fonts loaded once, templates parsed once.
pub fn engine(options: &BuildOptions) -> Result<Engine, Failure> {
    let templates = Templates::load(options.templates.as_deref())?;
    Ok(Engine::new(Fonts::load(&options.fonts), templates))
}

/// One job with its data and hash, ready to build or skip.
struct Prepared<'a> {
    job: &'a Job,
    profile: Profile,
    data: Vec<u8>,
    changes: Vec<Change>,
    hash: String,
    fresh: bool,
}

/// Builds every output of a manifest.
pub fn build(manifest: &Path, options: &BuildOptions) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    let (m, jobs, mut warnings) = check(manifest, options.root.clone())?;
    let profiles =
        if options.profiles.is_empty() { vec![Profile::Screen] } else { options.profiles.clone() };
    let photo_diags = crate::photo::resolution_diagnostics(&m, &profiles);
    if crate::diag::error_count(&photo_diags) > 0 {
        warnings.extend(photo_diags);
        return Err(Failure::Input(warnings));
    }
    warnings.extend(photo_diags);
    let photos = std::sync::Arc::new(crate::photo::Store::plan(&m, &profiles));
    // Which manifest made an output, so that two manifests may share an output folder.
    let manifest_key =
        m.path.canonicalize().unwrap_or_else(|_| m.path.clone()).display().to_string();
    let templates = Templates::load(options.templates.as_deref())?;
    let timestamp = crate::render::timestamp(&m, options.source_date_epoch);
    let fonts_fp = crate::incremental::fonts_fingerprint(&options.fonts);
    // Output names are final only with the profiles' suffixes; checked before the
    // output folder is touched.
    let collisions = crate::plan::profile_collisions(&m, &jobs, &options.profiles);
    if !collisions.is_empty() {
        warnings.extend(collisions);
        return Err(Failure::Input(warnings));
    }
    // Held to the end of the build: a second build into this folder waits, so neither
    // reads the record before the other has saved it.
    let _lock = if options.check_only {
        None
    } else {
        let locked = std::fs::create_dir_all(&options.out_dir)
            .and_then(|()| crate::incremental::lock_folder(&options.out_dir));
        Some(locked.map_err(|e| {
            Failure::io(format!(
                "cannot lock the output folder {}: {e}",
                crate::display_path(&options.out_dir)
            ))
        })?)
    };
    let (record, damaged) = Record::load_checked(&options.out_dir);
    warnings.extend(damaged);

    let threads = if options.jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.jobs
    };

    // Each document in each requested profile; print and archive files get a suffix.
    let variants: Vec<(Job, Profile)> = profiles
        .iter()
        .flat_map(|&profile| {
            jobs.iter().map(move |job| {
                let mut job = job.clone();
                job.file_name = profile_file_name(&job.file_name, profile);
                (job, profile)
            })
        })
        .collect();
    // Fonts are parsed once, before anything is written: every string of every document
    // is checked against them, so a character no font has is reported once, with all
    // the places it occurs, and no file is touched. The documents share these fonts.
    let engine: OnceLock<Engine> = OnceLock::new();
    if !options.check_only {
        let fonts = Fonts::load(&options.fonts);
        let glyphs = crate::render::check_glyphs(&fonts, &m, &jobs);
        if crate::diag::error_count(&glyphs) > 0 {
            let mut all = warnings;
            all.extend(glyphs);
            return Err(Failure::Input(all));
        }
        let _ = engine.set(Engine::new(fonts, templates.clone()).with_photos(photos.clone()));
    }
    if !options.check_only {
        std::fs::create_dir_all(&options.out_dir).map_err(|e| {
            Failure::io(format!(
                "cannot create the output folder {}: {e}",
                crate::display_path(&options.out_dir)
            ))
        })?;
        remove_stale_temporaries(&options.out_dir);
    }
    // Each document's data lives only while that document is built, so memory does not
    // grow with the number of documents.
    let bar = progress_bar(options.progress && !options.check_only, variants.len());
    let render_options = RenderOptions {
        timestamp,
        profile: Profile::Screen,
        bleed_mm: m.print.bleed_mm,
        marks_mm: if m.print.crop_marks { crate::render::data::MARKS_MM } else { 0.0 },
    };
    // Longest documents first, so the batch does not end with one core finishing a long one.
    let length = |(job, _): &(Job, Profile)| -> usize {
        job.articles.iter().flat_map(|&i| &m.articles[i].paragraphs).map(String::len).sum()
    };
    // Worker processes, started as documents need them and ended with the build.
    let pool = options.limits.clone().filter(|_| !options.check_only).map(|limits| {
        let context = crate::worker::Context {
            templates: options.templates.as_deref().map(crate::display_path),
        };
        crate::worker::Pool::new(limits, context, &templates, &options.fonts)
    });
    let batch = Batch {
        m: &m,
        templates: &templates,
        fonts_fp: &fonts_fp,
        timestamp,
        record: &record,
        options,
        engine: &engine,
        render_options,
        photos: &photos,
        pool: pool.as_ref(),
    };
    let docs: Vec<DocReport> = parallel_map(threads, &variants, length, |(job, profile)| {
        let report = isolated(&batch, job, *profile);
        bar.inc(1);
        report
    })
    .map_err(|e| Failure::io(format!("cannot start worker threads: {e}")))?;
    if options.check_only {
        return Ok(BuildReport {
            warnings,
            docs,
            millis: start.elapsed().as_millis(),
            no_longer_made: Vec::new(),
            pruned: Vec::new(),
        });
    }
    bar.finish_and_clear();

    // Read the record again: another build into the same folder may have added entries
    // since this one started, and they are kept.
    let mut record = Record::load(&options.out_dir);
    record.update(
        docs.iter()
            .zip(variants.iter().map(|(j, _)| j))
            .filter(|(d, _)| d.status == Status::Built)
            .map(|(d, job)| {
                let (kind, name) = kind_name(&job.kind);
                OutputEntry {
                    file: d.file_name.clone(),
                    kind: kind.to_string(),
                    name,
                    hash: d.hash.clone(),
                    pages: d.pages,
                    size: d.size,
                    sha256: d.sha256.clone(),
                    articles: job.articles.iter().map(|&i| m.articles[i].id.clone()).collect(),
                    manifest: Some(manifest_key.clone()),
                }
            }),
    );
    let (no_longer_made, pruned, record_changed) =
        old_outputs(&mut record, &manifest_key, &jobs, options, &mut warnings);
    if record_changed
        || docs.iter().any(|d| d.status == Status::Built)
        || !options.out_dir.join(crate::incremental::RECORD_FILE).exists()
    {
        record.save(&options.out_dir).map_err(|e| {
            Failure::io(format!(
                "cannot write the build record in {}: {e}",
                crate::display_path(&options.out_dir)
            ))
        })?;
    }
    Ok(BuildReport { warnings, docs, millis: start.elapsed().as_millis(), no_longer_made, pruned })
}

/// What every document of one build shares.
struct Batch<'a> {
    m: &'a Manifest,
    templates: &'a Templates,
    fonts_fp: &'a str,
    timestamp: i64,
    record: &'a Record,
    options: &'a BuildOptions,
    engine: &'a OnceLock<Engine>,
    render_options: RenderOptions,
    photos: &'a std::sync::Arc<crate::photo::Store>,
    pool: Option<&'a crate::worker::Pool>,
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

/// One document's whole work, run so that a panic in it (ours, Typst's or a library's)
/// fails that document only: the work runs on a thread named after the document (so
/// the panic message names it), and a panic becomes a failed report saying it is a bug.
/// The other documents go on and the build record is still saved.
///
/// With `--doc-timeout`/`--doc-memory` the compilation itself runs in a worker process
/// ([`crate::worker`]), which also survives stack overflows and aborts.
fn isolated(batch: &Batch, job: &Job, profile: Profile) -> DocReport {
    let work = || document(batch, job, profile);
    let outcome = std::thread::scope(|scope| {
        // Typst recurses deeply on nested content; give the document a main thread's stack.
        let spawned = std::thread::Builder::new()
            .name(job.file_name.clone())
            .stack_size(8 << 20)
            .spawn_scoped(scope, work);
        match spawned {
            Ok(handle) => handle.join(),
            // No thread to be had: run it here, still isolated.
            Err(_) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)),
        }
    });
    outcome.unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        let mut report = unbuilt(job, String::new(), Vec::new(), batch.options);
        report.diags.push(
            Diagnostic::error(format!(
                "{}: jianbao stopped on a bug while making this document ({what}); the other documents are made",
                job.file_name
            ))
            .hint(
                "this is a bug in jianbao, not in your manifest: please report it with the \
                 manifest (and the `--templates` folder, if one is used) and this message",
            ),
        );
        report
    })
}

/// One document: its data and hash, then skipped, checked or built.
fn document(batch: &Batch, job: &Job, profile: Profile) -> DocReport {
    let (m, options) = (batch.m, batch.options);
    let (data, changes, _) = crate::render::job_data(m, job, profile);
    let hash = crate::incremental::job_hash(
        &data,
        &job.file_name,
        batch.templates,
        batch.fonts_fp,
        batch.timestamp,
    );
    let fresh = !options.force && is_fresh(batch.record, &options.out_dir, job, &hash);
    let p = Prepared { job, profile, data, changes, hash, fresh };
    if options.check_only {
        let mut r = skipped(p, batch.record, options);
        r.status = if fresh { Status::Fresh } else { Status::Stale };
        r
    } else if fresh && options.emit_typst.is_none() {
        skipped(p, batch.record, options)
    } else {
        let engine = batch.engine.get_or_init(|| {
            Engine::new(Fonts::load(&options.fonts), batch.templates.clone())
                .with_photos(batch.photos.clone())
        });
        build_one(engine, batch.pool, m, p, batch.render_options, options, batch.record)
    }
}

/// Outputs the record says jianbao wrote for this manifest that it no longer makes (in
/// any profile). Entries whose file is gone are dropped from the record. With `--prune`
/// the files are removed, but only when they are still the bytes jianbao wrote.
/// Returns (left in place, removed, whether the record changed).
fn old_outputs(
    record: &mut Record,
    manifest_key: &str,
    jobs: &[Job],
    options: &BuildOptions,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<PathBuf>, Vec<PathBuf>, bool) {
    let made: Vec<String> = jobs
        .iter()
        .flat_map(|j| {
            [Profile::Screen, Profile::Print, Profile::Archive]
                .map(|p| profile_file_name(&j.file_name, p))
        })
        .collect();
    let (mut left, mut removed, mut changed) = (Vec::new(), Vec::new(), false);
    for entry in record.no_longer_made(manifest_key, &made) {
        let path = options.out_dir.join(&entry.file);
        let forget = match std::fs::read(&path) {
            Err(_) => true,
            Ok(_) if !options.prune => {
                left.push(path);
                false
            }
            Ok(bytes) if crate::incremental::sha256(&bytes) != entry.sha256 => {
                warnings.push(
                    Diagnostic::warning(format!(
                        "{} was changed after jianbao wrote it, so --prune leaves it",
                        crate::display_path(&path)
                    ))
                    .hint("remove it yourself if it is no longer wanted"),
                );
                left.push(path);
                false
            }
            Ok(_) => match std::fs::remove_file(&path) {
                Ok(()) => {
                    removed.push(path);
                    true
                }
                Err(e) => {
                    warnings.push(Diagnostic::warning(format!(
                        "cannot remove {}: {e}",
                        crate::display_path(&path)
                    )));
                    left.push(path);
                    false
                }
            },
        };
        if forget {
            record.outputs.retain(|e| e.file != entry.file);
            changed = true;
        }
    }
    (left, removed, changed)
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
fn parallel_map<T: Sync, R: Send>(
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

fn progress_bar(enabled: bool, len: usize) -> indicatif::ProgressBar {
    if !enabled || len < 2 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("  building {bar:30} {pos}/{len} {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

/// The file name of a document in a profile: screen files keep the pattern's name,
/// print and archive files get `-print` / `-archive` before `.pdf`.
pub fn profile_file_name(file: &str, profile: Profile) -> String {
    let stem = file.strip_suffix(".pdf").unwrap_or(file);
    match profile {
        Profile::Screen => file.to_string(),
        Profile::Print => format!("{stem}-print.pdf"),
        Profile::Archive => format!("{stem}-archive.pdf"),
    }
}

/// `issue` / `county` … and the grouping's name.
pub fn kind_name(kind: &JobKind) -> (&'static str, Option<String>) {
    match kind {
        JobKind::Issue => ("issue", None),
        JobKind::County(c) => ("county", Some(c.clone())),
        JobKind::Theme(t) => ("theme", Some(t.clone())),
        JobKind::Select(n) => ("select", Some(n.clone())),
    }
}

/// An output is fresh when the record has the same hash and the file is still there
/// with the recorded size.
fn is_fresh(record: &Record, out_dir: &Path, job: &Job, hash: &str) -> bool {
    let Some(entry) = record.get(&job.file_name) else { return false };
    entry.hash == hash
        && std::fs::metadata(out_dir.join(&job.file_name)).is_ok_and(|m| m.len() == entry.size)
}

/// The report of a document not built (yet): failed, no pages, no file.
fn unbuilt(job: &Job, hash: String, changes: Vec<Change>, options: &BuildOptions) -> DocReport {
    DocReport {
        file_name: job.file_name.clone(),
        status: Status::Failed,
        path: options.out_dir.join(&job.file_name),
        pages: 0,
        size: 0,
        hash,
        sha256: String::new(),
        diags: Vec::new(),
        normalized: changes.len(),
        changes: if options.explain_normalize { changes } else { Vec::new() },
        millis: 0,
        write_failed: false,
    }
}

/// The report of a document left as it is, with what the record says of its file.
fn skipped(p: Prepared, record: &Record, options: &BuildOptions) -> DocReport {
    let mut r = unbuilt(p.job, p.hash, p.changes, options);
    r.status = Status::Skipped;
    if let Some(entry) = record.get(&p.job.file_name) {
        r.pages = entry.pages;
        r.size = entry.size;
        r.sha256 = entry.sha256.clone();
    }
    r
}

fn build_one(
    engine: &Engine,
    pool: Option<&crate::worker::Pool>,
    m: &Manifest,
    p: Prepared,
    render_options: RenderOptions,
    options: &BuildOptions,
    record: &Record,
) -> DocReport {
    let start = Instant::now();
    let job = p.job;
    if let Some(dir) = &options.emit_typst
        && let Err(e) = emit_typst(dir, job, &p.data, &engine.templates)
    {
        let mut report = skipped(p, record, options);
        report.status = Status::Failed;
        report.write_failed = true;
        report.diags.push(Diagnostic::error(format!("cannot write Typst sources: {e}")));
        return report;
    }
    if p.fresh {
        return skipped(p, record, options);
    }
    let mut report = unbuilt(job, p.hash, p.changes, options);
    let photos = engine.photos.prepare(m, job, p.profile);
    if !photos.is_empty() {
        report.diags.extend(photos);
        report.millis = start.elapsed().as_millis();
        return report;
    }
    let render_options = RenderOptions { profile: p.profile, ..render_options };
    let result = match pool {
        Some(pool) => pool.render(crate::worker::Job {
            file_name: &job.file_name,
            data: &p.data,
            photos: engine.photos.made_for(m, job, p.profile),
            options: render_options,
        }),
        None => {
            #[cfg(debug_assertions)]
            forced_panic(&job.file_name);
            crate::render::render(engine, job, p.data, render_options)
        }
    };
    // Bound memory over long batches: drop memoized results no recent document used.
    typst::comemo::evict(4);
    match result {
        Ok(Rendered { pdf, pages, warnings, .. }) => {
            report.diags.extend(warnings);
            match write_atomic(&report.path, &pdf) {
                Ok(()) => {
                    report.status = Status::Built;
                    report.pages = pages;
                    report.size = pdf.len() as u64;
                    report.sha256 = crate::incremental::sha256(&pdf);
                }
                Err(e) => {
                    report.write_failed = true;
                    report.diags.push(Diagnostic::error(format!(
                        "cannot write {}: {e}",
                        crate::display_path(&report.path)
                    )));
                }
            }
        }
        Err(diags) => report.diags.extend(diags),
    }
    report.millis = start.elapsed().as_millis();
    report
}

/// Removes temporary files that a killed build left behind. Only files older than ten
/// minutes go, so a build running at the same time keeps its own.
fn remove_stale_temporaries(out_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(out_dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".jianbao-") && name.ends_with(".tmp")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 600);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes a file so that readers see either the old complete file or the new complete
/// file: the bytes go to a temporary file in the same folder, which is then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(".jianbao-").suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // Temporary files are private (0600); the finished file is an ordinary one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `DIR/<document>/` with `main.typ`, `data.json` and the templates, compilable
/// with the stock `typst` CLI.
fn emit_typst(dir: &Path, job: &Job, data: &[u8], templates: &Templates) -> std::io::Result<()> {
    let stem = job.file_name.strip_suffix(".pdf").unwrap_or(&job.file_name);
    let folder = dir.join(stem);
    std::fs::create_dir_all(&folder)?;
    for (name, (text, _)) in &templates.files {
        write_atomic(&folder.join(name), text.as_bytes())?;
    }
    write_atomic(&folder.join("data.json"), data)
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
