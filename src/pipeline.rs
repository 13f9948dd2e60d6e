//! The build pipeline: manifest → plan → data → Typst → PDF files, for every job, in
//! parallel, with one shared font set; failures of one document never stop the others.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::error::Failure;
use crate::fonts::{FontOptions, Fonts};
use crate::manifest::{LoadOptions, Manifest};
use crate::plan::Job;
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
}

/// What happened to one document.
#[derive(Debug)]
pub struct DocReport {
    /// The job.
    pub file_name: String,
    /// Path written, when written.
    pub path: Option<PathBuf>,
    /// Pages.
    pub pages: usize,
    /// Bytes.
    pub size: usize,
    /// Errors and warnings.
    pub diags: Vec<Diagnostic>,
    /// Normalizer changes.
    pub normalized: Vec<crate::normalize::Change>,
    /// Time spent, in milliseconds.
    pub millis: u128,
}

impl DocReport {
    /// Whether the document failed.
    pub fn failed(&self) -> bool {
        self.path.is_none()
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
}

/// Loads and checks a manifest and its plan (what `jianbao check` does).
pub fn check(
    manifest: &Path,
    root: Option<PathBuf>,
) -> Result<(Manifest, Vec<Job>, Vec<Diagnostic>), Failure> {
    let (m, warnings) = crate::manifest::load(manifest, &LoadOptions { root })?;
    let (jobs, diags) = crate::plan::plan(&m);
    if crate::diag::error_count(&diags) > 0 {
        let mut all = warnings;
        all.extend(diags);
        return Err(Failure::Input(all));
    }
    Ok((m, jobs, warnings))
}

/// Builds every output of a manifest.
pub fn build(manifest: &Path, options: &BuildOptions) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    let (m, jobs, warnings) = check(manifest, options.root.clone())?;
    let engine = engine(options)?;

    std::fs::create_dir_all(&options.out_dir).map_err(|e| {
        Failure::io(format!(
            "cannot create the output folder {}: {e}",
            crate::display_path(&options.out_dir)
        ))
    })?;
    let render_options =
        RenderOptions { timestamp: crate::render::timestamp(&m, options.source_date_epoch) };

    let threads = if options.jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.jobs
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Failure::io(format!("cannot start worker threads: {e}")))?;
    let docs = pool.install(|| {
        jobs.par_iter()
            .map(|job| build_one(&engine, &m, job, render_options, options))
            .collect::<Vec<_>>()
    });
    Ok(BuildReport { warnings, docs, millis: start.elapsed().as_millis() })
}

/// The shared engine of a run: fonts loaded once, templates parsed once.
pub fn engine(options: &BuildOptions) -> Result<Engine, Failure> {
    let templates = Templates::load(options.templates.as_deref())?;
    Ok(Engine::new(Fonts::load(&options.fonts), templates))
}

fn build_one(
    engine: &Engine,
    m: &Manifest,
    job: &Job,
    render_options: RenderOptions,
    options: &BuildOptions,
) -> DocReport {
    let start = Instant::now();
    let mut report = DocReport {
        file_name: job.file_name.clone(),
        path: None,
        pages: 0,
        size: 0,
        diags: Vec::new(),
        normalized: Vec::new(),
        millis: 0,
    };
    let (data, changes, fields) = crate::render::job_data(m, job);
    report.normalized = changes;
    if let Some(dir) = &options.emit_typst
        && let Err(e) = emit_typst(dir, job, &data, &engine.templates)
    {
        report.diags.push(Diagnostic::error(format!("cannot write Typst sources: {e}")));
    }
    let glyphs = crate::render::check_glyphs(engine, m, &fields);
    if !glyphs.is_empty() {
        report.diags.extend(glyphs);
        report.millis = start.elapsed().as_millis();
        return report;
    }
    let result = crate::render::render(engine, job, data, render_options);
    // Bound memory over long batches: drop memoized results no recent document used.
    typst::comemo::evict(4);
    match result {
        Ok(Rendered { pdf, pages, warnings, .. }) => {
            report.diags.extend(warnings);
            let path = options.out_dir.join(&job.file_name);
            match write_atomic(&path, &pdf) {
                Ok(()) => {
                    report.path = Some(path);
                    report.pages = pages;
                    report.size = pdf.len();
                }
                Err(e) => report.diags.push(Diagnostic::error(format!(
                    "cannot write {}: {e}",
                    crate::display_path(&path)
                ))),
            }
        }
        Err(diags) => report.diags.extend(diags),
    }
    report.millis = start.elapsed().as_millis();
    report
}

/// Writes a file so that readers see either the old complete file or the new complete
/// file: the bytes go to a temporary file in the same folder, which is then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(".jianbao-").suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
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
