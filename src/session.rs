//! The build session: one manifest, its plan, a warm engine (fonts loaded once,
//! templates parsed once) and the outputs' freshness, behind `check`, `build` and
//! `rebuild(changes)`.
//!
//! A build runs in stages, each handing checked data to the next:
//! load (manifest → plan, every input problem collected) → prepare (each output's data
//! and hash; fresh outputs leave here, and the glyph check runs only when something is
//! to be built) → execute (an [`Executor`] typesets the rest) → store (a [`Sink`] takes
//! each PDF). [`Event`]s go to the caller as soon as each thing is known, so a
//! reporter can print a document's line when it finishes and a preview can reload it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::error::Failure;
use crate::executor::{Compiled, Executor, Task, Work};
use crate::fonts::Fonts;
use crate::incremental::OutputEntry;
use crate::manifest::{LoadOptions, Manifest};
use crate::normalize::Change;
use crate::plan::Job;
use crate::profile::Profile;
use crate::render::RenderOptions;
use crate::render::templates::Templates;
use crate::render::world::Engine;
use crate::sink::Sink;

pub use crate::options::{BuildOptions, Limits};

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
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Manifest warnings.
    pub warnings: Vec<Diagnostic>,
    /// One entry per output, in plan order (each profile's outputs after the previous
    /// profile's).
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

/// What a session tells its caller while it works, in this order: `Diagnostics` (the
/// manifest's warnings, the record's), `Planned`, one `Document` per output as each is
/// known (fresh ones first, then built ones as they finish), `Finished`.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// Warnings about the inputs or the output folder.
    Diagnostics(&'a [Diagnostic]),
    /// The outputs are known: how many in all, how many are to be built.
    Planned {
        /// Outputs of the manifest (× profiles).
        outputs: usize,
        /// Of those, to be typeset now.
        to_build: usize,
    },
    /// One output is done (built, skipped, failed, fresh or stale).
    Document(&'a DocReport),
    /// The build is over.
    Finished(&'a BuildReport),
}

/// What changed since the last build, for [`Session::rebuild`].
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// Changed, added or removed files.
    pub paths: Vec<PathBuf>,
}

impl Changes {
    /// Changes to these paths.
    pub fn paths(paths: impl IntoIterator<Item = PathBuf>) -> Changes {
        Changes { paths: paths.into_iter().collect() }
    }
}

/// The manifest, checked and planned.
struct Loaded {
    m: Manifest,
    jobs: Vec<Job>,
    warnings: Vec<Diagnostic>,
    /// Every output: each job in each profile, with the profile's file name.
    units: Vec<(Job, Profile)>,
    /// Which manifest made an output, so that two manifests may share an output folder.
    key: String,
}

/// A build session. Fonts are loaded once, when first needed, and kept for every later
/// build; templates are re-read only when a template file changes.
pub struct Session {
    manifest_path: PathBuf,
    options: BuildOptions,
    templates: Templates,
    engine: Option<Engine>,
    fonts_fp: String,
    loaded: Option<Loaded>,
    font_loads: usize,
    /// What the last build of this session saw of its photos (for `watch` and `serve`,
    /// whose later builds need not read an unchanged photo even without a build record).
    seen_photos: crate::manifest::known::Known,
}

impl Session {
    /// A session for one manifest. Reads the templates; the manifest is read by the
    /// first `check` or `build`, the fonts when first needed.
    pub fn new(manifest: impl Into<PathBuf>, options: BuildOptions) -> Result<Session, Failure> {
        let templates = Templates::load(options.templates.as_deref())?;
        let fonts_fp = crate::incremental::fonts_fingerprint(&options.fonts);
        Ok(Session {
            manifest_path: manifest.into(),
            options,
            templates,
            engine: None,
            fonts_fp,
            loaded: None,
            font_loads: 0,
            seen_photos: crate::manifest::known::Known::new(),
        })
    }

    /// The options the session was made with.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The manifest path.
    pub fn manifest_path(&self) -> &Path {
        &self.manifest_path
    }

    /// The checked manifest and its jobs, once loaded.
    pub fn plan(&self) -> Option<(&Manifest, &[Job])> {
        self.loaded.as_ref().map(|l| (&l.m, l.jobs.as_slice()))
    }

    /// How many times this session has loaded fonts (once, unless a font file changed).
    pub fn font_loads(&self) -> usize {
        self.font_loads
    }

    /// The warm engine, loading fonts the first time.
    pub fn engine(&mut self) -> &Engine {
        self.engine_mut()
    }

    fn engine_mut(&mut self) -> &mut Engine {
        if self.engine.is_none() {
            self.font_loads += 1;
            self.engine =
                Some(Engine::new(Fonts::load(&self.options.fonts), self.templates.clone()));
        }
        self.engine.as_mut().expect("just made")
    }

    /// Files whose change should trigger a rebuild: the manifest, its source files and
    /// photos, the template folder and the font folders.
    pub fn watched(&self) -> Vec<PathBuf> {
        let mut files = vec![self.manifest_path.clone()];
        if let Some(l) = &self.loaded {
            let sources = l.m.articles.iter().filter_map(|a| a.source.as_ref()).map(|s| &s.file);
            let photos = l.m.articles.iter().flat_map(|a| &a.photos).map(|p| &p.file);
            for file in sources.chain(photos) {
                let path = l.m.dir.join(file);
                if !files.contains(&path) {
                    files.push(path);
                }
            }
        }
        files.extend(self.options.templates.iter().cloned());
        files.extend(self.options.fonts.font_paths.iter().cloned());
        files
    }

    /// Reads and checks the manifest and its plan (what `jianbao check` does without
    /// fonts); every input problem is collected before this fails.
    fn load(&mut self, known: crate::manifest::known::Known) -> Result<&Loaded, Failure> {
        if self.loaded.is_none() {
            self.loaded = Some(load(&self.manifest_path, &self.options, known)?);
        }
        Ok(self.loaded.as_ref().expect("just loaded"))
    }

    /// Loads the manifest and checks everything a build would check before
    /// typesetting, glyph coverage included. Returns the warnings.
    pub fn check(&mut self) -> Result<Vec<Diagnostic>, Failure> {
        self.load(crate::manifest::known::Known::new())?;
        self.engine_mut();
        let (Some(l), Some(engine)) = (&self.loaded, &self.engine) else {
            unreachable!("loaded above")
        };
        let glyphs = crate::render::check_glyphs(&engine.fonts, &l.m, &l.jobs);
        let mut all = l.warnings.clone();
        if crate::diag::error_count(&glyphs) > 0 {
            all.extend(glyphs);
            return Err(Failure::Input(all));
        }
        Ok(all)
    }

    /// Rebuilds after `changes`: a changed template re-reads the templates, a changed
    /// font file reloads the fonts, anything else re-reads the manifest. Fonts stay
    /// loaded otherwise; outputs whose inputs did not change are skipped.
    pub fn rebuild(
        &mut self,
        changes: &Changes,
        sink: &mut dyn Sink,
        executor: &dyn Executor,
        events: &(dyn Fn(Event<'_>) + Sync),
    ) -> Result<BuildReport, Failure> {
        let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let under = |dir: &Path, p: &Path| {
            absolute(p).starts_with(absolute(dir))
                || p.canonicalize()
                    .ok()
                    .zip(dir.canonicalize().ok())
                    .is_some_and(|(p, d)| p.starts_with(d))
        };
        if let Some(dir) = &self.options.templates
            && changes.paths.iter().any(|p| under(dir, p))
        {
            self.templates = Templates::load(Some(dir))?;
            if let Some(engine) = self.engine.take() {
                self.engine = Some(engine.with_templates(self.templates.clone()));
            }
        }
        if self.options.fonts.font_paths.iter().any(|d| changes.paths.iter().any(|p| under(d, p))) {
            self.fonts_fp = crate::incremental::fonts_fingerprint(&self.options.fonts);
            self.engine = None;
        }
        self.build(sink, executor, events)
    }

    /// Builds every output the manifest asks for into `sink`, typesetting on
    /// `executor` what is not fresh, and telling `events` as it goes.
    pub fn build(
        &mut self,
        sink: &mut dyn Sink,
        executor: &dyn Executor,
        events: &(dyn Fn(Event<'_>) + Sync),
    ) -> Result<BuildReport, Failure> {
        // The manifest may have changed since an earlier build of this session: it is
        // read again (cheap next to typesetting).
        let start = Instant::now();
        self.loaded = None;
        let result = self.run(sink, executor, events, start);
        if result.is_err() {
            // Release the output folder; nothing was planned, so nothing is pruned.
            let _ = sink.finish(&[], "");
        }
        result
    }

    fn run(
        &mut self,
        sink: &mut dyn Sink,
        executor: &dyn Executor,
        events: &(dyn Fn(Event<'_>) + Sync),
        start: Instant,
    ) -> Result<BuildReport, Failure> {
        // Photos an earlier build hashed are not read again while unchanged; `--force`
        // reads them all.
        let known = if self.options.force {
            crate::manifest::known::Known::new()
        } else {
            let mut known = sink.known_photos();
            for (path, seen) in &self.seen_photos {
                known.entry(path.clone()).or_insert_with(|| seen.clone());
            }
            known
        };
        self.load(known)?;
        let mut warnings = self.loaded.as_ref().map(|l| l.warnings.clone()).unwrap_or_default();
        events(Event::Diagnostics(&warnings));
        let damaged = sink.begin()?;
        if let Some(l) = &self.loaded {
            self.seen_photos =
                crate::manifest::known::of_photos(l.m.articles.iter().flat_map(|a| &a.photos));
            sink.remember_photos(self.seen_photos.clone());
        }
        if !damaged.is_empty() {
            events(Event::Diagnostics(&damaged));
            warnings.extend(damaged);
        }

        // Prepare: each output's data and hash; fresh ones are done here.
        let l = self.loaded.as_ref().expect("loaded");
        let timestamp = crate::render::timestamp(&l.m, self.options.source_date_epoch);
        let threads = crate::executor::Threads { jobs: self.options.jobs }.count();
        let prepared: Vec<Prepared> = crate::executor::parallel_map(
            threads,
            &l.units,
            |_| 0,
            |(job, profile)| {
                let (data, changes, _) = crate::render::job_data(&l.m, job, *profile);
                let hash = crate::incremental::job_hash(
                    &data,
                    &job.file_name,
                    self.templates.named_texts(),
                    &self.fonts_fp,
                    timestamp,
                );
                let fresh =
                    if self.options.force { None } else { sink.fresh(&job.file_name, &hash) };
                Prepared { data, changes, hash, fresh }
            },
        )
        .map_err(|e| Failure::io(format!("cannot start worker threads: {e}")))?;

        let writes = sink.writes();
        let emit = self.options.emit_typst.is_some() && writes;
        let to_build = prepared.iter().filter(|p| p.fresh.is_none()).count();
        let mut reports: Vec<Option<DocReport>> = vec![None; l.units.len()];
        let mut tasks = Vec::new();

        if writes && (to_build > 0 || emit) {
            // A character no font has is reported once, with every place it occurs,
            // before any file is written. Skipped when every output is fresh.
            self.engine_mut();
        }
        let l = self.loaded.as_ref().expect("loaded");
        if writes && to_build > 0 {
            let engine = self.engine.as_ref().expect("made above");
            let glyphs = crate::render::check_glyphs(&engine.fonts, &l.m, &l.jobs);
            if crate::diag::error_count(&glyphs) > 0 {
                warnings.extend(glyphs);
                return Err(Failure::Input(warnings));
            }
        }
        events(Event::Planned {
            outputs: l.units.len(),
            to_build: if writes { to_build } else { 0 },
        });

        // The run's processed photos: nothing is read or made until a document (or
        // `--emit-typst`) asks for it.
        let photos = std::sync::Arc::new(crate::photo::Store::plan(&l.m, &self.options.profiles()));
        for (unit, ((job, profile), p)) in l.units.iter().zip(prepared).enumerate() {
            let mut report = DocReport {
                file_name: job.file_name.clone(),
                status: Status::Failed,
                path: sink.path(&job.file_name),
                pages: 0,
                size: 0,
                hash: p.hash,
                sha256: String::new(),
                diags: Vec::new(),
                normalized: p.changes.len(),
                changes: if self.options.explain_normalize { p.changes } else { Vec::new() },
                millis: 0,
                write_failed: false,
            };
            if emit
                && let Some(dir) = &self.options.emit_typst
                && let Err(e) =
                    emit_typst(dir, job, &p.data, &self.templates, (&photos, &l.m, *profile))
            {
                report.write_failed = true;
                report.diags.push(Diagnostic::error(format!("cannot write Typst sources: {e}")));
                events(Event::Document(&report));
                reports[unit] = Some(report);
                continue;
            }
            if let Some(entry) = &p.fresh {
                report.pages = entry.pages;
                report.size = entry.size;
                report.sha256 = entry.sha256.clone();
            }
            if !writes {
                report.status = if p.fresh.is_some() { Status::Fresh } else { Status::Stale };
            } else if p.fresh.is_some() {
                report.status = Status::Skipped;
            } else {
                let cost = job
                    .articles
                    .iter()
                    .flat_map(|&i| &l.m.articles[i].paragraphs)
                    .map(String::len)
                    .sum();
                tasks.push(Task { unit, job: job.clone(), profile: *profile, data: p.data, cost });
                reports[unit] = Some(report);
                continue;
            }
            events(Event::Document(&report));
            reports[unit] = Some(report);
        }

        // Execute and store: each document is written as soon as it is made.
        if !tasks.is_empty() {
            let engine = self.engine.as_mut().expect("made above");
            engine.photos = photos;
            let l = self.loaded.as_ref().expect("loaded");
            let engine = self.engine.as_ref().expect("made above");
            let print = crate::render::data::PrintLayout::of(&l.m.print);
            let work = Work {
                engine,
                manifest: &l.m,
                manifest_path: &self.manifest_path,
                options: &self.options,
                render: RenderOptions {
                    timestamp,
                    profile: Profile::Screen,
                    bleed_mm: print.bleed_mm,
                    marks_mm: print.marks_mm,
                },
                keep_documents: sink.wants_documents(),
            };
            let slots: Vec<Mutex<Option<DocReport>>> =
                reports.into_iter().map(Mutex::new).collect();
            let sink_ref: &dyn Sink = sink;
            let done = |unit: usize, compiled: Compiled| {
                let Ok(mut slot) = slots[unit].lock() else { return };
                let Some(report) = slot.as_mut() else { return };
                let (job, _) = &l.units[unit];
                store(report, compiled, job, &l.m, &l.key, sink_ref);
                events(Event::Document(report));
            };
            executor.run(&work, tasks, &done)?;
            reports = slots
                .into_iter()
                .map(|s| s.into_inner().unwrap_or_else(|e| e.into_inner()))
                .collect();
        }
        let docs: Vec<DocReport> = reports.into_iter().flatten().collect();

        let planned: Vec<String> = l
            .jobs
            .iter()
            .flat_map(|j| crate::profile::ALL.map(|p| crate::profile::file_name(&j.file_name, p)))
            .collect();
        let key = l.key.clone();
        let finished = sink.finish(&planned, &key)?;
        if !finished.warnings.is_empty() {
            events(Event::Diagnostics(&finished.warnings));
            warnings.extend(finished.warnings);
        }
        let report = BuildReport {
            warnings,
            docs,
            millis: start.elapsed().as_millis(),
            no_longer_made: finished.no_longer_made,
            pruned: finished.pruned,
        };
        events(Event::Finished(&report));
        Ok(report)
    }
}

/// One output's data and hash, and the sink's entry when it is fresh.
struct Prepared {
    data: Vec<u8>,
    changes: Vec<Change>,
    hash: String,
    fresh: Option<OutputEntry>,
}

/// Hands a compiled document to the sink and completes its report.
fn store(
    report: &mut DocReport,
    compiled: Compiled,
    job: &Job,
    m: &Manifest,
    key: &str,
    sink: &dyn Sink,
) {
    report.diags.extend(compiled.diags);
    report.millis = compiled.millis;
    let Some(pdf) = compiled.pdf else { return };
    let document = compiled.document;
    let entry = OutputEntry {
        file: job.file_name.clone(),
        kind: job.kind.as_str().to_string(),
        name: job.kind.name().map(str::to_string),
        hash: report.hash.clone(),
        pages: compiled.pages,
        size: pdf.len() as u64,
        sha256: crate::digest::sha256(&pdf),
        articles: job.articles.iter().map(|&i| m.articles[i].id.clone()).collect(),
        manifest: Some(key.to_string()),
    };
    match sink.put(&entry, &pdf) {
        Ok(()) => {
            if let Some(document) = document {
                sink.keep_document(&entry, document);
            }
            report.status = Status::Built;
            report.pages = entry.pages;
            report.size = entry.size;
            report.sha256 = entry.sha256;
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

/// Loads, validates and plans a manifest, with the checks that need the profiles
/// (photo resolution, output names after the profiles' suffixes).
fn load(
    manifest: &Path,
    options: &BuildOptions,
    known_photos: crate::manifest::known::Known,
) -> Result<Loaded, Failure> {
    let load_options = LoadOptions { root: options.root.clone(), known_photos };
    let (mut m, mut jobs, mut warnings) = check_with(manifest, &load_options)?;
    crate::plan::make_proofs(&mut m, &mut jobs, options.proof);
    let profiles = options.profiles();
    let photo_diags = crate::photo::resolution_diagnostics(&m, &profiles);
    let photo_failed = crate::diag::error_count(&photo_diags) > 0;
    warnings.extend(photo_diags);
    if photo_failed {
        return Err(Failure::Input(warnings));
    }
    // Output names are final only with the profiles' suffixes; checked before the
    // output folder is touched.
    let collisions = crate::plan::profile_collisions(&m, &jobs, &options.profiles);
    if !collisions.is_empty() {
        warnings.extend(collisions);
        return Err(Failure::Input(warnings));
    }
    let units = profiles
        .iter()
        .flat_map(|&profile| {
            jobs.iter().map(move |job| {
                let mut job = job.clone();
                job.file_name = crate::profile::file_name(&job.file_name, profile);
                (job, profile)
            })
        })
        .collect();
    // Proofs are kept apart: a proof build does not call the release files stale.
    let mut key = m.path.canonicalize().unwrap_or_else(|_| m.path.clone()).display().to_string();
    if options.proof {
        key.push_str(" (proof)");
    }
    Ok(Loaded { m, jobs, warnings, units, key })
}

/// Loads and checks a manifest and its plan (what `jianbao check` does before fonts).
pub fn check(
    manifest: &Path,
    root: Option<PathBuf>,
) -> Result<(Manifest, Vec<Job>, Vec<Diagnostic>), Failure> {
    check_with(manifest, &LoadOptions { root, ..LoadOptions::default() })
}

fn check_with(
    manifest: &Path,
    options: &LoadOptions,
) -> Result<(Manifest, Vec<Job>, Vec<Diagnostic>), Failure> {
    let (m, mut warnings) = match crate::manifest::load(manifest, options)? {
        Ok(loaded) => loaded,
        Err(rejected) => return Err(Failure::Input(with_plan_problems(rejected))),
    };
    let (jobs, mut diags) = crate::plan::plan(&m);
    for d in &mut diags {
        d.code.get_or_insert("manifest");
    }
    let failed = crate::diag::error_count(&diags) > 0;
    warnings.extend(diags);
    if failed {
        return Err(Failure::Input(warnings));
    }
    Ok((m, jobs, warnings))
}

/// A rejected manifest's problems, and those of its output patterns and selections when
/// the manifest could still be planned.
pub fn with_plan_problems(rejected: crate::manifest::Rejected) -> Vec<Diagnostic> {
    let mut diags = rejected.diags;
    if let Some(m) = rejected.manifest {
        let (_, mut planned) = crate::plan::plan(&m);
        for d in &mut planned {
            d.code.get_or_insert("manifest");
        }
        diags.extend(planned);
    }
    diags
}

/// Writes `DIR/<document>/` with `main.typ`, `data.json`, the templates and the
/// processed photos the document places (`photos/<hash>-<width>-<mode>.jpg`, as
/// `data.json` names them), compilable with the stock `typst` CLI (`--root` at the
/// folder).
fn emit_typst(
    dir: &Path,
    job: &Job,
    data: &[u8],
    templates: &Templates,
    (photos, m, profile): (&crate::photo::Store, &Manifest, Profile),
) -> std::io::Result<()> {
    let stem = job.file_name.strip_suffix(".pdf").unwrap_or(&job.file_name);
    let folder = dir.join(stem);
    std::fs::create_dir_all(&folder)?;
    for (name, (text, _)) in &templates.files {
        crate::fs::write_atomic(&folder.join(name), text.as_bytes())?;
    }
    let made = photos.made_for(m, job, profile);
    if !made.is_empty() {
        std::fs::create_dir_all(folder.join("photos"))?;
    }
    for (path, bytes) in made {
        crate::fs::write_atomic(&folder.join(path.trim_start_matches('/')), bytes.as_slice())?;
    }
    crate::fs::write_atomic(&folder.join("data.json"), data)
}
