//! Run failures and exit codes.
//!
//! Input problems (manifest, templates, text that cannot be set) are diagnostics and
//! exit with 1; environment problems (files that cannot be read or written, a PDF that
//! cannot be saved) exit with 2; a command line clap rejects exits with 64 (sysexits'
//! `EX_USAGE`); `build --check` finding missing or stale outputs exits with 1.

use crate::diag::Diagnostic;

/// Exit code: everything worked.
pub const EXIT_OK: u8 = 0;
/// Exit code: the input has problems (diagnostics were printed).
pub const EXIT_INPUT: u8 = 1;
/// Exit code: the environment failed (I/O, permissions, missing folders).
pub const EXIT_ENVIRONMENT: u8 = 2;
/// Exit code: the command line is wrong (unknown option, bad value); sysexits' `EX_USAGE`.
pub const EXIT_USAGE: u8 = 64;

/// Why a command could not finish.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the input, each with its location.
    Input(Vec<Diagnostic>),
    /// An environment problem: message and hints.
    Environment {
        /// What went wrong.
        message: String,
        /// What to do.
        hints: Vec<String>,
    },
}

impl Failure {
    /// An environment failure.
    pub fn io(message: impl Into<String>) -> Self {
        Failure::Environment { message: message.into(), hints: Vec::new() }
    }

    /// Adds a hint to an environment failure.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        if let Failure::Environment { hints, .. } = &mut self {
            hints.push(hint.into());
        }
        self
    }

    /// The failure as diagnostics, so every command prints it through one renderer:
    /// the input's problems, or one error (code `environment`) with its hints.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Failure::Input(diags) => diags.clone(),
            Failure::Environment { message, hints } => {
                let mut d = Diagnostic::error(message.clone()).code("environment");
                d.hints.clone_from(hints);
                vec![d]
            }
        }
    }

    /// `input` or `environment`, as JSON messages name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Input(_) => "input",
            Failure::Environment { .. } => "environment",
        }
    }

    /// The exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Input(_) => EXIT_INPUT,
            Failure::Environment { .. } => EXIT_ENVIRONMENT,
        }
    }
}
