//! The command line: argument definitions (clap) and one function per subcommand.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::diag::{self, Diagnostic, DiagnosticFormat};
use crate::error::{EXIT_INPUT, EXIT_OK, Failure};
use crate::fonts::{FontOptions, Fonts};
use crate::pipeline::{BuildOptions, BuildReport};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  input errors: the manifest, a template or the text has problems (each is printed
     with file:line:column and a hint), or a document failed to build
  2  environment errors: a file or folder cannot be read or written
  3  `build --check`: an output is missing or out of date";

/// jianbao: turns selected Chinese news articles and their key figures into print-ready
/// PDF briefings (工作简报).
#[derive(Debug, Parser)]
#[command(name = "jianbao", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// How to print errors and warnings.
    #[arg(long, global = true, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub diagnostic_format: DiagnosticFormat,
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
    },
    /// List the font families available to templates.
    Fonts {
        /// Font options.
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Write the built-in templates to a folder, as a start for `--templates`.
    Templates {
        /// Folder to write to (created if missing).
        dir: PathBuf,
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
}

/// Arguments of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The manifest (YAML).
    pub manifest: PathBuf,
    /// Where to write the PDFs.
    #[arg(long, short = 'o', default_value = "out")]
    pub out_dir: PathBuf,
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
    /// Fixed date for the PDFs, in seconds since 1970 (default: the briefing's date).
    #[arg(long, env = "SOURCE_DATE_EPOCH")]
    pub source_date_epoch: Option<i64>,
    /// Also write each document's Typst sources (main.typ, data.json, templates) here.
    #[arg(long)]
    pub emit_typst: Option<PathBuf>,
    /// List every punctuation or space change the text cleaning made.
    #[arg(long)]
    pub explain_normalize: bool,
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let format = cli.diagnostic_format;
    let result = match cli.command {
        Command::Build(args) => build(args, format),
        Command::Check { manifest, root } => check(&manifest, root, format),
        Command::Fonts { fonts } => list_fonts(&fonts),
        Command::Templates { dir } => export_templates(&dir),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            report_failure(&failure, format);
            failure.exit_code()
        }
    }
}

fn stderr() -> StandardStream {
    let choice =
        if std::io::stderr().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
    StandardStream::stderr(choice)
}

fn print_diags(diags: &[Diagnostic], format: DiagnosticFormat) {
    let mut err = stderr();
    diag::emit(&mut err, diags, format);
}

fn report_failure(failure: &Failure, format: DiagnosticFormat) {
    match failure {
        Failure::Input(diags) => {
            print_diags(diags, format);
            let n = diag::error_count(diags);
            eprintln!("error: found {n} problem{}", if n == 1 { "" } else { "s" });
        }
        Failure::Environment { message, hints } => {
            eprintln!("error: {message}");
            for h in hints {
                eprintln!("  hint: {h}");
            }
        }
    }
}

fn check(
    manifest: &std::path::Path,
    root: Option<PathBuf>,
    format: DiagnosticFormat,
) -> Result<u8, Failure> {
    let (m, jobs, warnings) = crate::pipeline::check(manifest, root)?;
    print_diags(&warnings, format);
    eprintln!(
        "ok: {} — {} articles, {} figures, {} counties; {} outputs planned",
        crate::display_path(manifest),
        m.articles.len(),
        m.figures.len(),
        m.counties().len(),
        jobs.len()
    );
    Ok(EXIT_OK)
}

fn build(args: BuildArgs, format: DiagnosticFormat) -> Result<u8, Failure> {
    let options = BuildOptions {
        out_dir: args.out_dir.clone(),
        templates: args.templates.clone(),
        fonts: args.fonts.options(),
        jobs: args.jobs,
        source_date_epoch: args.source_date_epoch,
        root: args.root.clone(),
        emit_typst: args.emit_typst.clone(),
    };
    let report = crate::pipeline::build(&args.manifest, &options)?;
    Ok(print_build(&report, format, args.explain_normalize))
}

fn print_build(report: &BuildReport, format: DiagnosticFormat, _explain: bool) -> u8 {
    print_diags(&report.warnings, format);
    let mut failed = 0;
    let mut normalized = 0;
    for doc in &report.docs {
        print_diags(&doc.diags, format);
        normalized += doc.normalized;
        match &doc.path {
            Some(path) => eprintln!(
                "   wrote {} ({} page{}, {} KB, {} ms)",
                crate::display_path(path),
                doc.pages,
                if doc.pages == 1 { "" } else { "s" },
                doc.size.div_ceil(1024),
                doc.millis
            ),
            None => {
                failed += 1;
                eprintln!("  FAILED {}", doc.file_name);
            }
        }
    }
    let built = report.docs.len() - failed;
    eprintln!(
        "built {built} document{}, {failed} failed, in {:.1} s; text cleaning changed {normalized} marks",
        if built == 1 { "" } else { "s" },
        report.millis as f64 / 1000.0
    );
    if failed > 0 { EXIT_INPUT } else { EXIT_OK }
}

fn list_fonts(args: &FontArgs) -> Result<u8, Failure> {
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
