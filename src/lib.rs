//! jianbao turns selected Chinese news articles and their key figures into print-ready
//! PDF briefings (工作简报).
//!
//! The pipeline: [`manifest`] reads and checks the YAML manifest, [`plan`] expands its
//! outputs into jobs, [`render`] hands each job's data to the embedded Typst templates
//! and compiles a PDF, and [`pipeline`] runs all jobs in parallel and writes the files
//! atomically. [`normalize`] cleans Chinese punctuation before typesetting.

pub mod charsets;
pub mod cli;
pub mod diag;
pub mod digest;
pub mod error;
pub mod executor;
pub mod fonts;
pub mod fs;
pub mod gazetteer;
pub mod incremental;
pub mod ingest;
pub mod lint;
pub mod manifest;
pub mod new;
pub mod normalize;
pub mod options;
pub mod photo;
pub mod pipeline;
pub mod plan;
pub mod preflight;
pub mod profile;
pub mod render;
pub mod serve;
pub mod session;
pub mod sink;
pub mod watch;
pub mod worker;

use std::path::Path;

/// A path as shown to the user: relative to the working directory when possible.
pub fn display_path(path: &Path) -> String {
    if let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = path.strip_prefix(&cwd)
    {
        return rel.display().to_string();
    }
    path.display().to_string()
}
