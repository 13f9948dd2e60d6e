//! The CI recipe's shell script (`scripts/ci-briefings.sh`) works as `docs/ci.md` says.

use std::process::Command;

use crate::common::{decode, tempdir};

fn script(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    decode(
        Command::new("bash")
            .arg(crate::common::root().join("scripts/ci-briefings.sh"))
            .args(args)
            .current_dir(dir)
            .env("JIANBAO", env!("CARGO_BIN_EXE_jianbao"))
            .output()
            .unwrap(),
    )
}

#[test]
fn pull_request_and_main_modes() {
    let dir = tempdir();
    crate::common::copy_seeds(dir.path());
    // A pull request before anything was built: check passes, outputs listed as stale.
    let (code, out, err) = script(dir.path(), &["pr", "manifest.yaml", "out"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("will be rebuilt"), "{out}");
    assert!(!dir.path().join("out").exists());

    // Main: everything is built, the log has one line per briefing and a summary.
    let (code, out, err) = script(dir.path(), &["main", "manifest.yaml", "out"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().filter(|l| l.contains("\"status\":\"built\"")).count(), 14, "{out}");
    assert!(dir.path().join("out/.jianbao.json").exists());

    // Main again: nothing changed, nothing rebuilt; a pull request sees everything up to date.
    let (code, out, _) = script(dir.path(), &["main", "manifest.yaml", "out"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().filter(|l| l.contains("\"status\":\"skipped\"")).count(), 14);
    let (code, out, _) = script(dir.path(), &["pr", "manifest.yaml", "out"]);
    assert_eq!(code, 0);
    assert!(out.contains("up to date"), "{out}");

    // A broken manifest fails the pull request.
    std::fs::write(dir.path().join("manifest.yaml"), "briefing: [\n").unwrap();
    let (code, _, err) = script(dir.path(), &["pr", "manifest.yaml", "out"]);
    assert_eq!(code, 1, "{err}");
}
