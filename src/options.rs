//! What a build is asked to do: the options every layer above the manifest reads (the
//! session, the executors, the worker processes) and the per-document limits. The command
//! line fills these in; nothing here knows how a build runs, and it imports only leaves.

use std::path::PathBuf;
use std::time::Duration;

use crate::fonts::FontOptions;
use crate::profile::Profile;

/// Everything a session needs besides the manifest path.
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
    /// Draw a progress bar on stderr (read by the command line's reporter).
    pub progress: bool,
    /// Which files to make of each document (default: screen).
    pub profiles: Vec<Profile>,
    /// Keep every text-cleaning change for the report (`--explain-normalize`).
    pub explain_normalize: bool,
    /// Remove outputs the build record says jianbao wrote for this manifest, but that it
    /// no longer makes (`--prune`).
    pub prune: bool,
    /// Typeset each document in a worker process under these limits (`--doc-timeout`,
    /// `--doc-memory`); none: on threads of this process (`worker::executor`).
    pub limits: Option<Limits>,
    /// Proofs: editing notes show, marked as a proof, in files named NAME-proof.pdf.
    pub proof: bool,
}

impl BuildOptions {
    /// The profiles to make (screen when none is given).
    pub fn profiles(&self) -> Vec<Profile> {
        if self.profiles.is_empty() { vec![Profile::Screen] } else { self.profiles.clone() }
    }
}

/// Limits of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Wall time of one document's compilation (`--doc-timeout`); none: unlimited.
    pub timeout: Option<Duration>,
    /// Memory of the process compiling it, in MiB (`--doc-memory`); 0: unlimited.
    pub memory_mib: u64,
    /// The `jianbao` binary to run as worker.
    pub exe: PathBuf,
}
