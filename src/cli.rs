//! The command line: argument definitions (clap) and one function per subcommand.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::diag::{Diagnostic, DiagnosticFormat};
use crate::error::{EXIT_INPUT, EXIT_OK, Failure};
use crate::fonts::{FontOptions, Fonts};
use crate::session::{BuildOptions, Event, Session};
use report::{Reporter, Style};

mod authoring;
mod report;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  input errors: the manifest, a template or the text has problems (each is printed
     with file:line:column and a hint), or a document failed to build
     (`build --check`: an output is missing or out of date)
  2  environment errors: a file or folder cannot be read or written, or a PDF cannot be saved
 64  usage errors: an unknown option or a value the command line does not accept";

/// Latest SOURCE_DATE_EPOCH a PDF date can hold: 9999-12-31 23:59:59 UTC.
const MAX_EPOCH: i64 = 253_402_300_799;

/// Parses `--source-date-epoch` / `SOURCE_DATE_EPOCH`: seconds from 1970 to the end of
/// year 9999, since a PDF date has a four-digit year. A value outside is an error, not a
/// silent 1980-01-01.
fn parse_epoch(text: &str) -> Result<i64, String> {
    let value: i64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number of seconds since 1970-01-01"))?;
    if !(0..=MAX_EPOCH).contains(&value) {
        return Err(format!(
            "{value} seconds is outside the dates a PDF can hold; use 0 (1970-01-01) to \
             {MAX_EPOCH} (9999-12-31 23:59:59 UTC)"
        ));
    }
    Ok(value)
}

/// Parses `new --date`: the forms a manifest's dates take.
fn parse_date(text: &str) -> Result<crate::manifest::Date, String> {
    crate::manifest::Date::parse(text)
        .ok_or_else(|| format!("`{text}` is not a date; write it as YYYY-MM-DD, e.g. 2025-04-10"))
}

/// jianbao: turns selected Chinese news articles and their key figures into print-ready
/// PDF briefings (工作简报).
#[derive(Debug, Parser)]
#[command(name = "jianbao", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// How to print errors and warnings.
    #[arg(long, global = true, value_enum, default_value_t = DiagnosticFormatArg::Human)]
    pub diagnostic_format: DiagnosticFormatArg,
    /// `human` messages on stderr, or `json`: one typed JSON message per line on stdout
    /// (`diagnostic` with severity, code, file, line and column; `document`; `summary`;
    /// `failure`), like cargo's.
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build every PDF the manifest asks for.
    #[command(after_help = EXIT_CODES)]
    Build(BuildArgs),
    /// Check a manifest without typesetting; prints every problem.
    #[command(after_help = EXIT_CODES)]
    Check {
        /// The manifest (YAML).
        manifest: PathBuf,
        /// Folder source files must stay inside (default: the manifest's folder).
        #[arg(long)]
        root: Option<PathBuf>,
        /// Font options (every character is checked against these fonts).
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// List the font families available to templates.
    Fonts {
        /// Font options.
        #[command(flatten)]
        fonts: FontArgs,
        /// Per family and per role, how many characters of GB 2312, the 通用规范汉字表
        /// and Big5 it covers.
        #[arg(long)]
        coverage: bool,
        /// Like --coverage, and list the characters each one lacks.
        #[arg(long)]
        missing: bool,
    },
    /// Turn raw page dumps (newspaper pages, web pages) into a draft manifest.
    #[command(after_help = EXIT_CODES)]
    Ingest(IngestArgs),
    /// Check PDFs (ours or any other tool's) for what print shops and archives require.
    #[command(
        after_help = "Exit codes:\n  0  every file passes the profile's checks\n  1  a check failed\n  2  a file cannot be read"
    )]
    Preflight {
        /// The PDF files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Which requirements to check.
        #[arg(long, value_enum, default_value = "print")]
        profile: ProfileArg,
        /// `human` report or `json`.
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
    },
    /// Rebuild what changed whenever the manifest, a source file or a template changes.
    Watch(BuildArgs),
    /// Preview in the browser: build, show the documents' pages and problems, and
    /// rebuild on every change (writes no file).
    #[command(after_help = EXIT_CODES)]
    Serve(ServeArgs),
    /// Write the built-in templates to a folder, as a start for `--templates`.
    Templates {
        /// Folder to write to (created if missing).
        dir: PathBuf,
    },
    // `schema` and `new`: authoring help for the manifest (see `authoring` below).
    /// Print the manifest's JSON Schema (draft 2020-12), for editors such as VS Code.
    Schema {
        /// Write it to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Start the next issue: write DIR/manifest.yaml (never over an existing one) and the
    /// schema beside it.
    #[command(after_help = EXIT_CODES)]
    New {
        /// The new issue's folder (created if missing).
        dir: PathBuf,
        /// Last issue's manifest: its number + 1, distribution block, themes and outputs
        /// are carried over, its articles and figures are not. Without it: a template.
        #[arg(long, value_name = "PREVIOUS.yaml")]
        from: Option<PathBuf>,
        /// The new issue's date (default: today in China, UTC+8; or the date of
        /// SOURCE_DATE_EPOCH when set).
        #[arg(long, value_parser = parse_date)]
        date: Option<crate::manifest::Date>,
        /// Take today's date from these seconds since 1970 (also SOURCE_DATE_EPOCH).
        #[arg(long, env = "SOURCE_DATE_EPOCH", value_parser = parse_epoch)]
        source_date_epoch: Option<i64>,
    },
}

/// Font sources.
#[derive(Debug, Clone, Args)]
pub struct FontArgs {
    /// Also use the fonts in this folder (repeatable).
    #[arg(long = "font-path", env = "JIANBAO_FONT_PATHS", value_delimiter = ':')]
    pub font_paths: Vec<PathBuf>,
    /// Also use the fonts installed on this machine (output then depends on the machine).
    #[arg(long)]
    pub system_fonts: bool,
}

impl FontArgs {
    fn options(&self) -> FontOptions {
        FontOptions { font_paths: self.font_paths.clone(), system_fonts: self.system_fonts }
    }

    /// A `--font-path` that is not a folder is an error: a mistyped path to an office's
    /// licensed fonts must not quietly give the bundled ones.
    fn check_paths(&self) -> Result<(), Failure> {
        match self.font_paths.iter().find(|p| !p.is_dir()) {
            Some(p) => Err(Failure::io(format!(
                "the font folder {} does not exist or is not a folder",
                crate::display_path(p)
            ))
            .hint("check the --font-path (or JIANBAO_FONT_PATHS) spelling")),
            None => Ok(()),
        }
    }
}

/// Arguments of `ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Text files to read (UTF-8 with or without BOM, GB18030/GBK, CRLF or LF).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Write the draft here instead of printing it (never overwrites without --force).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Read every file in this encoding instead of detecting it (utf-8, gb18030, gbk, big5).
    #[arg(long)]
    pub encoding: Option<String>,
    /// A manifest whose `themes:` keyword table extends the built-in one.
    #[arg(long)]
    pub themes: Option<PathBuf>,
}

/// What `build`, `watch` and `serve` share: one struct, so that their options cannot
/// drift apart.
#[derive(Debug, Clone, Args)]
pub struct ProjectArgs {
    /// Folder of templates that replace the built-in ones file by file.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// Font options.
    #[command(flatten)]
    pub fonts: FontArgs,
    /// Documents built at once (default: the number of cores).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub jobs: usize,
    /// Folder source files must stay inside (default: the manifest's folder).
    #[arg(long)]
    pub root: Option<PathBuf>,
}

impl ProjectArgs {
    /// The build options these fill in; the rest are defaults.
    fn options(&self) -> BuildOptions {
        BuildOptions {
            templates: self.templates.clone(),
            fonts: self.fonts.options(),
            jobs: self.jobs,
            root: self.root.clone(),
            ..BuildOptions::default()
        }
    }
}

/// Arguments of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The manifest (YAML).
    pub manifest: PathBuf,
    /// Where to write the PDFs.
    #[arg(long, short = 'o', default_value = "out")]
    pub out_dir: PathBuf,
    /// Templates, fonts, parallelism and project folder.
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Fixed date for the PDFs, in seconds since 1970 (default: the briefing's date).
    /// Years 1970 to 9999 (0 to 253402300799); a value outside is refused, never clamped.
    #[arg(long, env = "SOURCE_DATE_EPOCH", value_parser = parse_epoch)]
    pub source_date_epoch: Option<i64>,
    /// Also write each document's Typst sources (main.typ, data.json, templates) here.
    #[arg(long)]
    pub emit_typst: Option<PathBuf>,
    /// List every punctuation or space change the text cleaning made.
    #[arg(long)]
    pub explain_normalize: bool,
    /// Which files to make: screen (default), print (K-only black, spot red, TrimBox and
    /// BleedBox; named NAME-print.pdf), archive (PDF/A-2b; NAME-archive.pdf). Comma list.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "screen")]
    pub profile: Vec<ProfileArg>,
    /// Rebuild every output, also those whose inputs did not change.
    #[arg(long)]
    pub force: bool,
    /// Make proofs: editing notes show, every page is marked 校样, files are NAME-proof.pdf.
    #[arg(long)]
    pub proof: bool,
    /// Write nothing; exit with 1 when an output is missing or out of date (for CI).
    #[arg(long, conflicts_with = "force")]
    pub check: bool,
    /// Remove outputs that jianbao wrote for this manifest earlier but that it no longer
    /// makes (files changed since, or not written by jianbao, are never touched).
    #[arg(long, conflicts_with = "check")]
    pub prune: bool,
    /// Longest time one document may take to compile, in seconds; a document over it
    /// fails alone (0: no limit).
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub doc_timeout: u64,
    /// Most memory one document's compilation may use, in MiB; a document over it fails
    /// alone (0: no limit). With both limits 0, documents compile inside this process.
    #[arg(long, value_name = "MIB", default_value_t = 2048)]
    pub doc_memory: u64,
}

/// How `preflight` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// A readable report.
    Human,
    /// JSON: a list with one report per file.
    Json,
}

/// `--diagnostic-format` (the library's [`DiagnosticFormat`] knows nothing of clap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagnosticFormatArg {
    /// The message, `file:line:column`, the source line and the hints.
    Human,
    /// One line per diagnostic: `file:line:column: error: message`, then hints.
    Short,
}

impl From<DiagnosticFormatArg> for DiagnosticFormat {
    fn from(arg: DiagnosticFormatArg) -> Self {
        match arg {
            DiagnosticFormatArg::Human => DiagnosticFormat::Human,
            DiagnosticFormatArg::Short => DiagnosticFormat::Short,
        }
    }
}

/// `--profile` of `build` and `preflight`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProfileArg {
    /// The screen file.
    Screen,
    /// The print file (K-only black, spot red, TrimBox and BleedBox).
    Print,
    /// The archive file (PDF/A-2b).
    Archive,
}

impl From<ProfileArg> for crate::profile::Profile {
    fn from(arg: ProfileArg) -> Self {
        match arg {
            ProfileArg::Screen => crate::profile::Profile::Screen,
            ProfileArg::Print => crate::profile::Profile::Print,
            ProfileArg::Archive => crate::profile::Profile::Archive,
        }
    }
}

/// How commands report what they did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// Lines for people on stderr (and a progress bar on a terminal).
    Human,
    /// One JSON object per line on stdout, for CI logs.
    Json,
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let style = Style { diagnostics: cli.diagnostic_format.into(), messages: cli.message_format };
    let result = match cli.command {
        Command::Build(args) => build(args, style),
        Command::Watch(args) => watch(args, style),
        Command::Serve(args) => serve(&args, style),
        Command::Preflight { files, profile, format: report } => {
            preflight(&files, profile.into(), report, style)
        }
        Command::Check { manifest, root, fonts } => check(&manifest, root, &fonts, style),
        Command::Fonts { fonts, coverage, missing } => {
            if coverage || missing {
                font_coverage(&fonts, missing)
            } else {
                list_fonts(&fonts)
            }
        }
        Command::Ingest(args) => ingest(&args, style),
        Command::Templates { dir } => export_templates(&dir),
        Command::Schema { output } => authoring::schema(output.as_deref()),
        Command::New { dir, from, date, source_date_epoch } => {
            let date = date.unwrap_or_else(|| crate::new::today(source_date_epoch));
            authoring::new(&dir, from.as_deref(), date, style)
        }
    };
    match result {
        Ok(code) => code,
        Err(failure) => style.failure(&failure),
    }
}

fn check(
    manifest: &std::path::Path,
    root: Option<PathBuf>,
    fonts: &FontArgs,
    style: Style,
) -> Result<u8, Failure> {
    fonts.check_paths()?;
    let options = BuildOptions { root, fonts: fonts.options(), ..BuildOptions::default() };
    let mut session = Session::new(manifest, options)?;
    let warnings = session.check()?;
    style.diagnostics(&warnings);
    let (m, jobs) = session.plan().expect("checked");
    let summary = format!(
        "{} — {} articles, {} figures, {} counties; {} outputs planned",
        crate::display_path(manifest),
        m.articles.len(),
        m.figures.len(),
        m.counties().len(),
        jobs.len()
    );
    if style.messages == MessageFormat::Json {
        let line = serde_json::json!({ "type": "summary", "ok": true, "message": summary });
        let _ = writeln!(std::io::stdout().lock(), "{line}");
    } else {
        eprintln!("ok: {summary}");
    }
    Ok(EXIT_OK)
}

fn build_options(args: &BuildArgs, style: Style) -> BuildOptions {
    BuildOptions {
        out_dir: args.out_dir.clone(),
        source_date_epoch: args.source_date_epoch,
        emit_typst: args.emit_typst.clone(),
        force: args.force,
        check_only: args.check,
        progress: style.messages == MessageFormat::Human && std::io::stderr().is_terminal(),
        profiles: args.profile.iter().map(|&p| p.into()).collect(),
        explain_normalize: args.explain_normalize,
        prune: args.prune,
        limits: doc_limits(args),
        proof: args.proof,
        ..args.project.options()
    }
}

/// The per-document limits: documents compile in worker processes (this binary) unless
/// both limits are 0.
fn doc_limits(args: &BuildArgs) -> Option<crate::worker::Limits> {
    if args.doc_timeout == 0 && args.doc_memory == 0 {
        return None;
    }
    // On Linux, the running binary itself, even if it is replaced (upgraded, rebuilt)
    // while the build or `watch` runs, so workers always speak its protocol.
    let proc_exe = PathBuf::from("/proc/self/exe");
    let exe = if proc_exe.exists() {
        proc_exe
    } else {
        std::env::current_exe()
            .or_else(|_| std::env::args_os().next().map(PathBuf::from).ok_or(()))
            .unwrap_or_else(|()| PathBuf::from("jianbao"))
    };
    Some(crate::worker::Limits {
        timeout: (args.doc_timeout > 0).then(|| std::time::Duration::from_secs(args.doc_timeout)),
        memory_mib: args.doc_memory,
        exe,
    })
}

fn reporter(args: &BuildArgs, options: &BuildOptions, style: Style) -> Reporter {
    Reporter::new(style, args.explain_normalize, args.check, args.prune, options.progress)
}

fn build(args: BuildArgs, style: Style) -> Result<u8, Failure> {
    args.project.fonts.check_paths()?;
    let options = build_options(&args, style);
    let reporter = reporter(&args, &options, style);
    let report = crate::pipeline::build_with(&args.manifest, &options, &|e| reporter.event(e))?;
    Ok(report::exit_code(&report))
}

/// `jianbao watch`: builds, then rebuilds whenever a watched file changes. One session
/// for the whole watch, so fonts are loaded once; file events come from the operating
/// system (inotify, FSEvents, ReadDirectoryChangesW), not from polling.
fn watch(args: BuildArgs, style: Style) -> Result<u8, Failure> {
    args.project.fonts.check_paths()?;
    let options = build_options(&args, style);
    let reporter = reporter(&args, &options, style);
    let events = |e: Event<'_>| reporter.event(e);
    let mut session = Session::new(&args.manifest, options.clone())?;
    let executor = crate::worker::executor(&options);
    let mut sink: Box<dyn crate::sink::Sink> = if options.check_only {
        Box::new(crate::sink::CheckOnly::new(&options.out_dir))
    } else {
        Box::new(crate::sink::Disk::new(&options.out_dir, options.prune))
    };
    let mut watcher = crate::watch::Watcher::new()
        .map_err(|e| Failure::io(format!("cannot watch files: {e}")))?;
    if let Err(failure) = session.build(sink.as_mut(), executor.as_ref(), &events) {
        style.failure(&failure);
    }
    loop {
        let watched = session.watched();
        watcher.watch(&watched);
        style.note(&format!("watching {} files; press Ctrl-C to stop", watched.len()));
        let changes = watcher.wait();
        if let Err(failure) = session.rebuild(&changes, sink.as_mut(), executor.as_ref(), &events) {
            style.failure(&failure);
        }
    }
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The manifest (YAML).
    pub manifest: PathBuf,
    /// Port to listen on (0: any free port; the address printed says which).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Address to listen on. Only this machine can see the preview unless another
    /// address is given (0.0.0.0: every network of the machine).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Templates, fonts, parallelism and project folder.
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Show proofs: editing notes show and every page is marked 校样.
    #[arg(long)]
    pub proof: bool,
}

/// `jianbao serve`: the loop of `watch` with a preview in the browser instead of files.
fn serve(args: &ServeArgs, style: Style) -> Result<u8, Failure> {
    args.project.fonts.check_paths()?;
    let server = crate::serve::http::Server::bind(&args.host, args.port)?;
    let options = BuildOptions { proof: args.proof, ..args.project.options() };
    let reporter = Reporter::preview(style);
    style.note(&format!(
        "serving a preview of {} at {}; press Ctrl-C to stop",
        crate::display_path(&args.manifest),
        server.url()
    ));
    crate::serve::run(
        &args.manifest,
        options,
        server,
        style.diagnostics,
        &|e| reporter.event(e),
        &|failure| {
            style.failure(failure);
        },
    )
}

fn ingest(args: &IngestArgs, style: Style) -> Result<u8, Failure> {
    use crate::ingest::{IngestOptions, SourceInput};
    if let Some(out) = &args.output
        && out.exists()
        && !args.force
    {
        return Err(Failure::io(format!("{} already exists", crate::display_path(out)))
            .hint("choose another name with -o, or pass --force to overwrite it"));
    }
    // Source paths in the draft are relative to the draft's folder, which they must not leave.
    let base = match &args.output {
        Some(out) => out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")),
        None => Path::new("."),
    };
    let base = base.canonicalize().map_err(|e| {
        Failure::io(format!("cannot open the folder {}: {e}", crate::display_path(base)))
    })?;
    let mut names = Vec::new();
    let mut contents = Vec::new();
    // Every problem is a diagnostic, so the closing count covers them all.
    let mut problems: Vec<Diagnostic> = Vec::new();
    for file in &args.files {
        let read = std::fs::read(file).map_err(|e| e.to_string()).and_then(|bytes| {
            let canonical = file.canonicalize().map_err(|e| e.to_string())?;
            let rel = canonical.strip_prefix(&base).map_err(|_| {
                format!(
                    "it is outside the draft's folder {}; write the draft in a folder that \
                     contains the inputs (e.g. -o draft.yaml next to them)",
                    crate::display_path(&base)
                )
            })?;
            Ok((rel.to_string_lossy().replace('\\', "/"), bytes))
        });
        match read {
            Ok((name, bytes)) => {
                if let Some(why) = crate::ingest::not_a_page(&name, &bytes) {
                    style.note(&format!("skipped {}: {why}", crate::display_path(file)));
                    continue;
                }
                names.push(name);
                contents.push(bytes);
            }
            Err(e) => problems.push(
                Diagnostic::error(format!("cannot ingest {}: {e}", crate::display_path(file)))
                    .code("ingest"),
            ),
        }
    }
    let extra_themes = match &args.themes {
        Some(path) => read_theme_table(path)?,
        None => Vec::new(),
    };
    let inputs: Vec<SourceInput> = names
        .iter()
        .zip(&contents)
        .map(|(name, bytes)| SourceInput { name: name.clone(), bytes })
        .collect();
    let photo_dir = crate::ingest::photo_dir_for(args.output.as_deref());
    let options = IngestOptions {
        encoding: args.encoding.clone(),
        extra_themes,
        photo_dir,
        base: Some(base.clone()),
    };
    let report = crate::ingest::ingest(&inputs, &options);
    for note in &report.notes {
        style.note(note);
    }
    for e in &report.errors {
        problems.push(
            Diagnostic::error(format!("{}: {}", e.file, e.message)).hint(&e.hint).code("ingest"),
        );
    }
    let draft = &report.draft;
    if draft.articles.is_empty() {
        problems.push(
            Diagnostic::error("no article found in any input; nothing to write")
                .hint("check that the files are page dumps with headlines and paragraphs"),
        );
        return Err(Failure::Input(problems));
    }
    if !problems.is_empty() {
        style.diagnostics(&problems);
        let n = problems.len();
        if style.messages == MessageFormat::Human {
            eprintln!(
                "error: found {n} problem{}; the draft has the other inputs",
                if n == 1 { "" } else { "s" }
            );
        }
    }
    write_pictures(&base, &report.pictures, args.force)?;
    let yaml = draft.to_yaml();
    match &args.output {
        Some(out) => {
            crate::fs::write_atomic(out, yaml.as_bytes()).map_err(|e| {
                Failure::io(format!("cannot write {}: {e}", crate::display_path(out)))
            })?;
            eprintln!(
                "wrote {} ({} articles, {} figures) — check it with `jianbao check {}`",
                crate::display_path(out),
                draft.articles.len(),
                draft.figures.len(),
                crate::display_path(out)
            );
        }
        None => {
            let _ = std::io::stdout().lock().write_all(yaml.as_bytes());
        }
    }
    Ok(if problems.is_empty() { EXIT_OK } else { EXIT_INPUT })
}

/// Writes the pictures taken out of Word documents next to the draft; an
/// existing different file is only replaced with `--force`.
fn write_pictures(base: &Path, pictures: &[(String, Vec<u8>)], force: bool) -> Result<(), Failure> {
    for (rel, bytes) in pictures {
        let path = base.join(rel);
        if !force && path.exists() && std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice())
        {
            return Err(Failure::io(format!("{} already exists", crate::display_path(&path)))
                .hint("pass --force to overwrite the pictures of an earlier draft, or choose another name with -o"));
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                Failure::io(format!("cannot create {}: {e}", crate::display_path(dir)))
            })?;
        }
        crate::fs::write_atomic(&path, bytes).map_err(|e| {
            Failure::io(format!("cannot write {}: {e}", crate::display_path(&path)))
        })?;
    }
    Ok(())
}

/// The `themes:` map of a manifest, in document order.
fn read_theme_table(path: &Path) -> Result<Vec<(String, Vec<String>)>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::io(format!("cannot read {}: {e}", crate::display_path(path))))?;
    let source = crate::diag::SourceText::new(crate::display_path(path), text);
    let node = crate::manifest::yaml::parse(&source).map_err(|d| Failure::Input(vec![*d]))?;
    let mut reader = crate::manifest::yaml::Reader::new(&source);
    let mut table = Vec::new();
    if let crate::manifest::yaml::Node::Map(entries) = &node.value
        && let Some((_, themes)) = entries.iter().find(|(k, _)| k.value == "themes")
        && let crate::manifest::yaml::Node::Map(themes) = &themes.value
    {
        for (name, keywords) in themes {
            table.push((name.value.clone(), reader.string_list(keywords, "themes")));
        }
    }
    if !reader.diags.is_empty() {
        return Err(Failure::Input(reader.diags));
    }
    Ok(table)
}

fn preflight(
    files: &[PathBuf],
    profile: crate::profile::Profile,
    format: ReportFormat,
    style: Style,
) -> Result<u8, Failure> {
    let mut reports = Vec::new();
    let mut unreadable = Vec::new();
    for file in files {
        match crate::preflight::check_file(file, profile) {
            Ok(report) => reports.push(report),
            // The message names the file already ("cannot read F: …", "F: not a
            // readable PDF"): it is printed as it is, not wrapped in another "cannot read".
            Err(e) => unreadable.push(Diagnostic::error(e).code("unreadable-pdf")),
        }
    }
    style.diagnostics(&unreadable);
    let mut out = std::io::stdout().lock();
    match format {
        ReportFormat::Json => {
            let _ = writeln!(out, "{}", serde_json::to_string_pretty(&reports).unwrap_or_default());
        }
        ReportFormat::Human => {
            for r in &reports {
                let _ = writeln!(out, "{}", r.to_human());
            }
        }
    }
    let failed = reports.iter().filter(|r| !r.passed()).count();
    if !unreadable.is_empty() {
        Ok(crate::error::EXIT_ENVIRONMENT)
    } else if failed > 0 {
        Ok(EXIT_INPUT)
    } else {
        Ok(EXIT_OK)
    }
}

fn list_fonts(args: &FontArgs) -> Result<u8, Failure> {
    args.check_paths()?;
    let fonts = Fonts::load(&args.options());
    let mut out = std::io::stdout().lock();
    for family in fonts.listing() {
        let _ = writeln!(out, "{}", family.family);
        for face in family.faces {
            let _ = writeln!(
                out,
                "  {:<12} {:>6} characters  {}",
                face.variant, face.characters, face.origin
            );
        }
    }
    Ok(EXIT_OK)
}

fn font_coverage(args: &FontArgs, list_missing: bool) -> Result<u8, Failure> {
    args.check_paths()?;
    let fonts = Fonts::load(&args.options());
    let sets = crate::charsets::all();
    let mut out = std::io::stdout().lock();
    let header: Vec<String> =
        sets.iter().map(|s| format!("{} ({})", s.name, s.chars.len())).collect();
    let _ = writeln!(out, "covered characters of: {}", header.join(", "));
    for row in fonts.coverage(&sets) {
        let counts: Vec<String> = row
            .sets
            .iter()
            .map(|s| format!("{} {}/{}", s.set, s.total - s.missing.len(), s.total))
            .collect();
        let _ = writeln!(out, "{}\n  {}", row.name, counts.join("   "));
        if list_missing {
            for s in row.sets.iter().filter(|s| !s.missing.is_empty()) {
                let chars: String = s.missing.iter().collect();
                let _ = writeln!(out, "  missing from {}: {chars}", s.set);
            }
        }
    }
    Ok(EXIT_OK)
}

fn export_templates(dir: &std::path::Path) -> Result<u8, Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::io(format!("cannot create {}: {e}", crate::display_path(dir))))?;
    for (name, text) in crate::render::templates::DEFAULTS {
        let path = dir.join(name);
        if path.exists() {
            return Err(Failure::io(format!("{} already exists", crate::display_path(&path)))
                .hint("choose an empty folder; existing files are never overwritten"));
        }
        std::fs::write(&path, text).map_err(|e| {
            Failure::io(format!("cannot write {}: {e}", crate::display_path(&path)))
        })?;
    }
    eprintln!(
        "wrote {} templates to {}",
        crate::render::templates::DEFAULTS.len(),
        crate::display_path(dir)
    );
    Ok(EXIT_OK)
}
