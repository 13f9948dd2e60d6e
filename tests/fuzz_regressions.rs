//! The fuzz targets' checks on stable Rust, without cargo-fuzz: every input the fuzzers
//! found a problem with (`tests/fixtures/fuzz/<target>/`) and the fuzz seeds
//! (`fuzz/seeds/<target>/`) go through the same checks as in `cargo fuzz run <target>`.
//! See `fuzz/README.md`.

use std::path::{Path, PathBuf};

// The checks themselves live with the fuzz targets, so the two never drift apart.
#[path = "../fuzz/src/checks.rs"]
mod checks;

/// The files of `tests/fixtures/fuzz/<target>/` and `fuzz/seeds/<target>/`, sorted.
/// Seeds must exist; the fixture folder may be missing (a target with no finding).
fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for (dir, required) in [
        (root.join("tests/fixtures/fuzz").join(target), false),
        (root.join("fuzz/seeds").join(target), true),
    ] {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => panic!("cannot read {}: {e}", dir.display()),
        };
        let mut found: Vec<PathBuf> =
            entries.map(|e| e.expect("directory entry").path()).filter(|p| p.is_file()).collect();
        assert!(!required || !found.is_empty(), "no seeds in {}", dir.display());
        found.sort();
        files.extend(found);
    }
    files
}

/// Runs `check` on every input of `target`; fails listing every input that panicked.
fn run_all(target: &str, check: fn(&[u8])) {
    let mut failed = Vec::new();
    for path in inputs(target) {
        let data = std::fs::read(&path).expect("read fuzz input");
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "`{target}` checks failed on:\n  {}", failed.join("\n  "));
}

#[test]
fn fuzz_manifest_inputs() {
    run_all("manifest", checks::check_manifest);
}

#[test]
fn fuzz_normalize_inputs() {
    run_all("normalize", checks::check_normalize);
}

#[test]
fn fuzz_ingest_inputs() {
    run_all("ingest", checks::check_ingest);
}
