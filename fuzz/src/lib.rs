//! Shared checks of the jianbao fuzz targets (see `README.md`).

mod checks;

pub use checks::{check_ingest, check_manifest, check_normalize, manifest_root};
