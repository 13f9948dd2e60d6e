//! Diagnostics: one type and one rendering style for manifest, template and Typst errors.
//!
//! Every problem the tool reports about its input becomes a [`Diagnostic`]: a severity,
//! a message, the file it is about, optionally a byte range in that file (rendered as
//! `file:line:column` with the offending line underneath), and hints that say what to do.
//! Rendering goes through `codespan-reporting`, the crate Typst's own CLI uses, so YAML
//! and Typst errors look alike.

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The run cannot produce a correct result.
    Error,
    /// Worth attention; does not fail the run.
    Warning,
}

/// A file a diagnostic can point into: its display name and its full text.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// The name shown to the user (a path relative to the working directory).
    pub name: String,
    /// The file's text.
    pub text: Arc<str>,
}

impl SourceText {
    /// Wraps a name and a text.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        Self { name: name.into(), text: text.into() }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem found in the input.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
    /// The file it is about, if any.
    pub source: Option<SourceText>,
    /// The bytes of `source` it is about, if known.
    pub span: Option<Range<usize>>,
    /// What to do about it.
    pub hints: Vec<String>,
    /// A stable name of the kind of problem (`missing-glyph`, `typst`, …), for tools
    /// that read `--message-format json`.
    pub code: Option<&'static str>,
}

impl Diagnostic {
    /// An error with a message and nothing else yet.
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            source: None,
            span: None,
            hints: Vec::new(),
            code: None,
        }
    }

    /// A warning with a message and nothing else yet.
    pub fn warning(message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(message) }
    }

    /// Points the diagnostic at a byte range of a file.
    #[must_use]
    pub fn at(mut self, source: &SourceText, span: Range<usize>) -> Self {
        self.source = Some(source.clone());
        self.span = Some(span);
        self
    }

    /// Names the file the diagnostic is about, without a position.
    #[must_use]
    pub fn in_file(mut self, source: &SourceText) -> Self {
        self.source = Some(source.clone());
        self
    }

    /// Adds a hint.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Gives the diagnostic a stable code.
    #[must_use]
    pub fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// The diagnostic as a typed JSON message, like cargo's: `type`, `severity`,
    /// `code`, `message`, `file`, `line`, `column` (1-based, in characters), `hints`.
    pub fn to_json(&self) -> serde_json::Value {
        let (file, line, column) = match (&self.source, &self.span) {
            (Some(source), Some(span)) => {
                let (line, col) = source.line_col(span.start);
                (Some(source.name.as_str()), Some(line), Some(col))
            }
            (Some(source), None) => (Some(source.name.as_str()), None, None),
            _ => (None, None, None),
        };
        serde_json::json!({
            "type": "diagnostic",
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "file": file,
            "line": line,
            "column": column,
            "hints": self.hints,
        })
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` (or just `file`) of the diagnostic, if it has a file.
    pub fn location(&self) -> Option<String> {
        let source = self.source.as_ref()?;
        Some(match &self.span {
            Some(span) => {
                let (line, col) = source.line_col(span.start);
                format!("{}:{line}:{col}", source.name)
            }
            None => source.name.clone(),
        })
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiagnosticFormat {
    /// The message, `file:line:column`, the source line and the hints.
    #[default]
    Human,
    /// One line per diagnostic: `file:line:column: error: message`, then hints.
    Short,
}

/// Renders diagnostics to a string (no colour), in the given format.
pub fn render(diags: &[Diagnostic], format: DiagnosticFormat) -> String {
    let mut buf = termcolor::NoColor::new(Vec::new());
    emit(&mut buf, diags, format);
    String::from_utf8_lossy(&buf.into_inner()).into_owned()
}

/// Writes diagnostics to a colour-capable writer.
pub fn emit(out: &mut dyn termcolor::WriteColor, diags: &[Diagnostic], format: DiagnosticFormat) {
    for diag in diags {
        emit_one(out, diag, format);
    }
}

fn emit_one(out: &mut dyn termcolor::WriteColor, diag: &Diagnostic, format: DiagnosticFormat) {
    if format == DiagnosticFormat::Short {
        let mut line = String::new();
        if let Some(loc) = diag.location() {
            let _ = write!(line, "{loc}: ");
        }
        let sev = match diag.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(line, "{sev}: {}", diag.message);
        for hint in &diag.hints {
            let _ = writeln!(line, "  hint: {hint}");
        }
        let _ = out.write_all(line.as_bytes());
        return;
    }

    let mut cs = match diag.severity {
        Severity::Error => CsDiagnostic::error(),
        Severity::Warning => CsDiagnostic::warning(),
    }
    .with_message(&diag.message)
    .with_notes(diag.hints.iter().map(|h| format!("hint: {h}")).collect());

    let config = term::Config::default();
    match (&diag.source, &diag.span) {
        (Some(source), Some(span)) => {
            let file = SimpleFile::new(source.name.as_str(), &*source.text);
            let start = floor_char_boundary(&source.text, span.start.min(source.text.len()));
            let end = floor_char_boundary(&source.text, span.end.min(source.text.len())).max(start);
            cs = cs.with_labels(vec![Label::primary((), start..end)]);
            let _ = term::emit(out, &config, &file, &cs);
        }
        (Some(source), None) => {
            cs.notes.insert(0, format!("in {}", source.name));
            let file = SimpleFile::new("", "");
            let _ = term::emit(out, &config, &file, &cs);
        }
        _ => {
            let file = SimpleFile::new("", "");
            let _ = term::emit(out, &config, &file, &cs);
        }
    }
}

/// Counts errors in a list of diagnostics.
pub fn error_count(diags: &[Diagnostic]) -> usize {
    diags.iter().filter(|d| d.is_error()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let src = SourceText::new("m.yaml", "a: 1\n标题: 盐湖区\n");
        assert_eq!(src.line_col(0), (1, 1));
        let off = src.text.find("盐").unwrap();
        assert_eq!(src.line_col(off), (2, 5));
    }

    #[test]
    fn short_format_has_location_and_hint() {
        let src = SourceText::new("m.yaml", "a: 1\nb: 2\n");
        let d = Diagnostic::error("bad thing").at(&src, 5..6).hint("do this");
        assert_eq!(
            render(&[d], DiagnosticFormat::Short),
            "m.yaml:2:1: error: bad thing\n  hint: do this\n"
        );
    }
}
