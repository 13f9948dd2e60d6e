//! Issue 15's per-document limits (and issue 17's stack overflow): a template that
//! loops, one that allocates without end, one that nests boxes 200,000 deep, and a
//! forced panic each fail their own document, within the limit, with a pinned message;
//! the other document of the batch is written and the build exits with 1.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{TWO_COUNTIES, decode, jianbao, root, tempdir};

/// Builds the two-county manifest with `tests/fixtures/limits/<templates>` (if any) and
/// extra arguments, in a fresh folder; (exit code, stderr, folder, wall time).
fn build(templates: Option<&str>, args: &[&str]) -> (i32, String, tempfile::TempDir, Duration) {
    let dir = tempdir();
    std::fs::write(dir.path().join("manifest.yaml"), TWO_COUNTIES).unwrap();
    let mut cmd = jianbao();
    cmd.current_dir(dir.path()).args(["build", "manifest.yaml", "-o", "out", "-j", "2"]);
    if let Some(name) = templates {
        let from = root().join("tests/fixtures/limits").join(name);
        let to = dir.path().join(name);
        std::fs::create_dir(&to).unwrap();
        std::fs::copy(from.join("main.typ"), to.join("main.typ")).unwrap();
        cmd.args(["--templates", name]);
    }
    let start = Instant::now();
    let out = cmd.args(args).env_remove("RUST_BACKTRACE").output().expect("jianbao runs");
    let took = start.elapsed();
    let (code, _, err) = decode(out);
    (code, err, dir, took)
}

/// The error block (message and hints) of the document that failed.
fn failure(err: &str) -> String {
    let start = err.find("error: 盐湖区-第1期.pdf").unwrap_or_else(|| panic!("no failure:\n{err}"));
    let block = &err[start..];
    block[..block.find("\n\n").unwrap_or(block.len())].to_string()
}

/// Only the hostile 盐湖区 document failed; the other one was written and recorded.
fn only_the_hostile_document_failed(out: &Path, err: &str) {
    assert!(out.join("永济市-第1期.pdf").is_file(), "{err}");
    assert!(!out.join("盐湖区-第1期.pdf").exists(), "{err}");
    assert!(err.contains("built 1, skipped 0 unchanged, 1 failed"), "{err}");
    let record = std::fs::read_to_string(out.join(".jianbao.json")).expect("build record");
    assert!(record.contains("永济市-第1期.pdf") && !record.contains("盐湖区-第1期.pdf"));
}

#[test]
fn a_template_that_loops_fails_its_document_at_the_time_limit() {
    let (code, err, dir, took) = build(Some("loop"), &["--doc-timeout", "2"]);
    assert_eq!(code, 1, "{err}");
    only_the_hostile_document_failed(&dir.path().join("out"), &err);
    // Stopped by the limit, not after the ten billion turns.
    assert!(took < Duration::from_secs(60), "took {took:?}");
    insta::assert_snapshot!(failure(&err));
}

#[test]
fn a_template_that_allocates_without_end_fails_its_document_at_the_memory_limit() {
    let (code, err, dir, _) = build(Some("alloc"), &["--doc-memory", "400"]);
    assert_eq!(code, 1, "{err}");
    only_the_hostile_document_failed(&dir.path().join("out"), &err);
    insta::assert_snapshot!(failure(&err));
}

/// Issue 17's first bug: with the default limits, boxes nested 200,000 deep overflowed
/// a stack and aborted the whole process (exit 134), and no PDF was written.
#[test]
fn boxes_nested_200000_deep_fail_their_document_not_the_build() {
    let (code, err, dir, _) = build(Some("deep"), &[]);
    assert_eq!(code, 1, "{err}");
    only_the_hostile_document_failed(&dir.path().join("out"), &err);
    insta::assert_snapshot!(failure(&err));
}

#[test]
fn a_panic_in_a_worker_fails_its_document_as_a_bug() {
    let dir = tempdir();
    std::fs::write(dir.path().join("manifest.yaml"), TWO_COUNTIES).unwrap();
    let out = jianbao()
        .current_dir(dir.path())
        .env("JIANBAO_TEST_PANIC", "盐湖区-第1期.pdf")
        .env_remove("RUST_BACKTRACE")
        .args(["build", "manifest.yaml", "-o", "out", "-j", "1"])
        .output()
        .expect("jianbao runs");
    let (code, _, err) = decode(out);
    assert_eq!(code, 1, "{err}");
    only_the_hostile_document_failed(&dir.path().join("out"), &err);
    // With one job, the document after the panic was made by a fresh worker.
    let block = failure(&err);
    assert!(
        block.starts_with(
            "error: 盐湖区-第1期.pdf: jianbao stopped on a bug while making this document \
             (forced by JIANBAO_TEST_PANIC for 盐湖区-第1期.pdf; thread '盐湖区-第1期.pdf'"
        ),
        "{block}"
    );
    assert!(block.contains("please report it with the manifest"), "{block}");
}

#[test]
fn without_limits_documents_compile_in_process_to_the_same_bytes() {
    let (code, err, with, _) = build(None, &[]);
    assert_eq!(code, 0, "{err}");
    let (code, err, without, _) = build(None, &["--doc-timeout", "0", "--doc-memory", "0"]);
    assert_eq!(code, 0, "{err}");
    for name in ["盐湖区-第1期.pdf", "永济市-第1期.pdf"] {
        let a = std::fs::read(with.path().join("out").join(name)).unwrap();
        let b = std::fs::read(without.path().join("out").join(name)).unwrap();
        assert!(a == b, "{name} differs between a worker and the build's own process");
    }
}

#[test]
fn the_limits_are_in_the_help() {
    let (code, out, _) = crate::common::run(&["build", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("--doc-timeout <SECONDS>") && out.contains("[default: 120]"), "{out}");
    assert!(out.contains("--doc-memory <MIB>") && out.contains("[default: 2048]"), "{out}");
}

/// The worker-process executor behind a session: workers are kept from build to build
/// while the templates stay the same (so `watch` loads no fonts again), and replaced
/// when a template changes.
#[test]
fn workers_are_kept_across_rebuilds_until_a_template_changes() {
    use jianbao::session::{BuildOptions, Changes, Session, Status};
    use jianbao::worker::{Limits, Processes};

    let dir = tempdir();
    let manifest = dir.path().join("manifest.yaml");
    std::fs::write(&manifest, TWO_COUNTIES).unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    let main = templates.join("main.typ");
    std::fs::write(&main, "#import \"briefing.typ\": briefing\n#briefing(json(\"data.json\"))\n")
        .unwrap();
    let options =
        BuildOptions { jobs: 1, templates: Some(templates.clone()), ..BuildOptions::default() };
    let mut session = Session::new(&manifest, options).unwrap();
    let mut sink = jianbao::sink::Memory::new();
    let limits = Limits {
        timeout: Some(Duration::from_secs(300)),
        memory_mib: 2048,
        exe: env!("CARGO_BIN_EXE_jianbao").into(),
    };
    let executor = Processes::new(1, limits);

    let report = session.build(&mut sink, &executor, &|_| {}).unwrap();
    assert_eq!(report.count(Status::Built), 2, "{report:?}");
    assert_eq!(executor.workers_started(), 1);

    std::fs::write(&manifest, TWO_COUNTIES.replace("12个", "15个")).unwrap();
    let changes = Changes::paths([manifest.clone()]);
    let report = session.rebuild(&changes, &mut sink, &executor, &|_| {}).unwrap();
    assert_eq!(report.count(Status::Built), 1, "{report:?}");
    assert_eq!(executor.workers_started(), 1, "the rebuild started a new worker");

    std::fs::write(&main, format!("{}// changed\n", std::fs::read_to_string(&main).unwrap()))
        .unwrap();
    let report = session.rebuild(&Changes::paths([main]), &mut sink, &executor, &|_| {}).unwrap();
    assert_eq!(report.count(Status::Built), 2, "{report:?}");
    assert_eq!(executor.workers_started(), 2, "a template change needs a worker that has it");
    assert!(sink.get("盐湖区-第1期.pdf").expect("kept").starts_with(b"%PDF"));
}
