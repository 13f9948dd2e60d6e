//! The integration tests, in one binary so Typst is linked once.
//!
//! They drive the `jianbao` binary as a user would and read its PDFs back with
//! poppler's `pdftotext`/`pdffonts` (installed by `.ci/run`).

mod common;

mod bad;
mod bugs;
mod build;
mod check;
mod checks;
mod ci;
mod fonts;
mod fuzz_regressions;
mod incremental;
mod ingest;
mod ingest_formats;
mod integrity;
mod layout;
mod limits;
mod literal;
mod modules;
mod new;
mod options;
mod photos;
mod print;
mod safety;
mod schema;
mod serve;
mod session;
