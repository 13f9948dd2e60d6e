//! The command line's reporter: turns a build session's events into human lines,
//! short lines, a progress bar or typed JSON messages, and failures into the same
//! forms. Every subcommand prints its problems through here.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use super::MessageFormat;
use crate::diag::{self, Diagnostic, DiagnosticFormat};
use crate::error::{EXIT_ENVIRONMENT, EXIT_INPUT, EXIT_OK, Failure};
use crate::session::{BuildReport, DocReport, Event, Status};

/// How a command reports.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// `--diagnostic-format`: human or short diagnostics (stderr).
    pub diagnostics: DiagnosticFormat,
    /// `--message-format`: lines for people, or JSON messages on stdout.
    pub messages: MessageFormat,
}

impl Style {
    fn json(&self) -> bool {
        self.messages == MessageFormat::Json
    }

    /// Prints diagnostics: rendered on stderr, or one JSON message each on stdout.
    pub fn diagnostics(&self, diags: &[Diagnostic]) {
        if diags.is_empty() {
            return;
        }
        if self.json() {
            let mut out = std::io::stdout().lock();
            for d in diags {
                let _ = writeln!(out, "{}", d.to_json());
            }
        } else {
            let choice = if std::io::stderr().is_terminal() {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            };
            diag::emit(&mut StandardStream::stderr(choice), diags, self.diagnostics);
        }
    }

    /// A note for people (stderr; a `note` message in JSON).
    pub fn note(&self, text: &str) {
        if self.json() {
            let line = serde_json::json!({ "type": "note", "message": text });
            let _ = writeln!(std::io::stdout().lock(), "{line}");
        } else {
            eprintln!("note: {text}");
        }
    }

    /// Prints why a command stopped, with its diagnostics, and returns its exit code.
    pub fn failure(&self, failure: &Failure) -> u8 {
        let diags = failure.diagnostics();
        self.diagnostics(&diags);
        let n = diag::error_count(&diags);
        if self.json() {
            let line = serde_json::json!({
                "type": "failure",
                "kind": failure.kind(),
                "errors": n,
                "exit": failure.exit_code(),
            });
            let _ = writeln!(std::io::stdout().lock(), "{line}");
        } else if matches!(failure, Failure::Input(_)) {
            eprintln!("error: found {n} problem{}", if n == 1 { "" } else { "s" });
        }
        failure.exit_code()
    }
}

/// Follows a build's events: a line per document as it finishes (or a JSON message),
/// a progress bar on a terminal, and the summary.
pub struct Reporter {
    style: Style,
    /// `--explain-normalize`.
    explain: bool,
    /// `build --check`.
    check: bool,
    /// `--prune` was given.
    prune: bool,
    /// Draw a progress bar.
    progress: bool,
    bar: Mutex<Option<indicatif::ProgressBar>>,
    normalized: AtomicUsize,
    /// What a built document's line says was done with it.
    verb: &'static str,
}

impl Reporter {
    /// A reporter for one build (or one watch).
    pub fn new(style: Style, explain: bool, check: bool, prune: bool, progress: bool) -> Self {
        Reporter {
            style,
            explain,
            check,
            prune,
            progress,
            bar: Mutex::new(None),
            normalized: AtomicUsize::new(0),
            verb: "wrote",
        }
    }

    /// A reporter for a preview, which writes no file: its lines say `built`.
    pub fn preview(style: Style) -> Self {
        Reporter { verb: "built", ..Reporter::new(style, false, false, false, false) }
    }

    /// Handles one event of the session.
    pub fn event(&self, event: Event<'_>) {
        match event {
            Event::Diagnostics(diags) => self.quiet(|| self.style.diagnostics(diags)),
            Event::Planned { to_build, .. } => {
                self.normalized.store(0, Ordering::Relaxed);
                if self.progress && to_build >= 2 {
                    *self.bar.lock().unwrap_or_else(|e| e.into_inner()) =
                        Some(progress_bar(to_build));
                }
            }
            Event::Document(doc) => {
                self.normalized.fetch_add(doc.normalized, Ordering::Relaxed);
                self.quiet(|| self.document(doc));
                if matches!(doc.status, Status::Built | Status::Failed)
                    && let Some(bar) = &*self.bar.lock().unwrap_or_else(|e| e.into_inner())
                {
                    bar.inc(1);
                }
            }
            Event::Finished(report) => {
                if let Some(bar) = self.bar.lock().unwrap_or_else(|e| e.into_inner()).take() {
                    bar.finish_and_clear();
                }
                self.summary(report);
            }
        }
    }

    /// Runs `print` with the progress bar out of the way.
    fn quiet(&self, print: impl FnOnce()) {
        match &*self.bar.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    fn document(&self, doc: &DocReport) {
        let path = crate::display_path(&doc.path);
        if self.style.json() {
            let mut out = std::io::stdout().lock();
            for d in &doc.diags {
                let mut message = d.to_json();
                message["document"] = serde_json::Value::from(path.clone());
                let _ = writeln!(out, "{message}");
            }
            let line = serde_json::json!({
                "type": "document",
                "file": path,
                "status": doc.status,
                "pages": doc.pages,
                "size": doc.size,
                "millis": doc.millis as u64,
                "hash": doc.hash,
                "sha256": doc.sha256,
                "errors": doc.diags.iter().filter(|d| d.is_error())
                    .map(|d| diag::render(std::slice::from_ref(d), DiagnosticFormat::Short).trim_end().to_string())
                    .collect::<Vec<_>>(),
            });
            let _ = writeln!(out, "{line}");
            return;
        }
        self.style.diagnostics(&doc.diags);
        if self.explain && !doc.changes.is_empty() && doc.status != Status::Skipped {
            eprintln!("{}", explain_changes(&doc.file_name, &doc.changes));
        }
        match doc.status {
            Status::Built => eprintln!(
                "   {} {path} ({} page{}, {} KB, {} ms)",
                self.verb,
                doc.pages,
                if doc.pages == 1 { "" } else { "s" },
                doc.size.div_ceil(1024),
                doc.millis
            ),
            Status::Skipped => eprintln!(" skipped {path} (unchanged)"),
            Status::Failed => eprintln!("  FAILED {path}"),
            Status::Stale => eprintln!("   stale {path} (missing or out of date)"),
            Status::Fresh => eprintln!("      ok {path}"),
        }
    }

    fn summary(&self, report: &BuildReport) {
        let (built, skipped, failed, stale) = (
            report.count(Status::Built),
            report.count(Status::Skipped),
            report.count(Status::Failed),
            report.count(Status::Stale),
        );
        let seconds = report.millis as f64 / 1000.0;
        let shown = |paths: &[std::path::PathBuf]| -> Vec<String> {
            paths.iter().map(|p| crate::display_path(p)).collect()
        };
        if self.style.json() {
            let line = serde_json::json!({
                "type": "summary", "built": built, "skipped": skipped, "failed": failed,
                "stale": stale, "fresh": report.count(Status::Fresh), "millis": report.millis as u64,
                "no_longer_made": shown(&report.no_longer_made),
                "pruned": shown(&report.pruned),
            });
            let _ = writeln!(std::io::stdout().lock(), "{line}");
            return;
        }
        if self.check {
            eprintln!(
                "{stale} of {} outputs missing or out of date ({seconds:.2} s)",
                report.docs.len()
            );
        } else {
            eprintln!(
                "built {built}, skipped {skipped} unchanged, {failed} failed, in {seconds:.2} s; \
                 text cleaning changed {} marks",
                self.normalized.load(Ordering::Relaxed)
            );
        }
        for path in &report.pruned {
            eprintln!("  pruned {} (no longer made by this manifest)", crate::display_path(path));
        }
        if !report.no_longer_made.is_empty() {
            let names = shown(&report.no_longer_made);
            eprintln!(
                "{} file{} written by an earlier build that this manifest no longer makes: {}",
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            );
            if !self.prune {
                eprintln!(
                    "  = hint: `jianbao build --prune` removes them before the folder goes to print"
                );
            }
        }
    }
}

/// The exit code of a finished build: 2 when a file could not be written, 1 when a
/// document failed or (`--check`) an output is stale, else 0.
pub fn exit_code(report: &BuildReport) -> u8 {
    if report.docs.iter().any(|d| d.write_failed) {
        EXIT_ENVIRONMENT
    } else if report.count(Status::Failed) > 0 || report.count(Status::Stale) > 0 {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}

fn progress_bar(len: usize) -> indicatif::ProgressBar {
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

/// `--explain-normalize`: each kind of change with how often it was made.
fn explain_changes(file: &str, changes: &[crate::normalize::Change]) -> String {
    let mut kinds: Vec<(String, String, usize)> = Vec::new();
    for c in changes {
        match kinds.iter_mut().find(|(f, t, _)| *f == c.from && *t == c.to) {
            Some(k) => k.2 += 1,
            None => kinds.push((c.from.clone(), c.to.clone(), 1)),
        }
    }
    kinds.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    let mut out = format!("text cleaning in {file}: {} changes", changes.len());
    for (from, to, n) in kinds {
        let show = |s: &str| if s.is_empty() { "(nothing)".to_string() } else { format!("{s:?}") };
        out.push_str(&format!("\n  {:>5} × {} → {}", n, show(&from), show(&to)));
    }
    out
}
