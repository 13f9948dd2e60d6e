//! Incremental builds: unchanged outputs are skipped, `--check` exits 1 when an output
//! is missing or stale, and a one-article change rebuilds only the outputs holding it.

use crate::common::{jianbao, tempdir};

fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect()
}

#[test]
fn skip_check_and_one_article_change() {
    let dir = tempdir();
    crate::common::copy_seeds(dir.path());
    let run = |args: &[&str]| crate::common::run_in(dir.path(), args);
    let build = ["build", "manifest.yaml", "-o", "out", "--message-format", "json"];

    // Nothing built yet: --check fails and writes nothing.
    let (code, _, err) = run(&["build", "manifest.yaml", "-o", "out", "--check"]);
    assert_eq!(code, 1, "{err}");
    assert!(!dir.path().join("out").exists(), "--check wrote files");

    let (code, out, err) = run(&build);
    assert_eq!(code, 0, "{err}");
    let lines = json_lines(&out);
    let summary = lines.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["built"], 14);
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/.jianbao.json")).unwrap())
            .unwrap();
    assert_eq!(record["outputs"].as_array().unwrap().len(), 14);

    // Unchanged: everything skipped, --check passes.
    let (code, out, _) = run(&build);
    assert_eq!(code, 0);
    assert_eq!(json_lines(&out).last().unwrap()["skipped"], 14);
    let (code, _, err) = run(&["build", "manifest.yaml", "-o", "out", "--check"]);
    assert_eq!(code, 0, "{err}");

    // Change one article of 临猗县: only the outputs holding it are stale and rebuilt.
    let manifest = std::fs::read_to_string(dir.path().join("manifest.yaml")).unwrap();
    let changed = manifest.replacen("临猗县七级镇不断探索", "临猗县七级镇持续探索", 1);
    assert_ne!(manifest, changed);
    std::fs::write(dir.path().join("manifest.yaml"), changed).unwrap();
    let holding: Vec<String> = record["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["articles"].as_array().unwrap().iter().any(|a| a == "linyi-qiji"))
        .map(|o| o["file"].as_str().unwrap().to_string())
        .collect();
    assert!(holding.len() >= 2 && holding.len() < 14, "{holding:?}");
    let (code, _, err) = run(&["build", "manifest.yaml", "-o", "out", "--check"]);
    assert_eq!(code, 1);
    for file in &holding {
        assert!(err.contains(&format!("stale out/{file}")), "{file} not stale:\n{err}");
    }
    let (code, out, err) = run(&build);
    assert_eq!(code, 0, "{err}");
    let lines = json_lines(&out);
    let built: Vec<&str> = lines
        .iter()
        .filter(|l| l["status"] == "built")
        .map(|l| l["file"].as_str().unwrap().trim_start_matches("out/"))
        .collect();
    let mut expected: Vec<&str> = holding.iter().map(String::as_str).collect();
    expected.sort_unstable();
    let mut got = built.clone();
    got.sort_unstable();
    assert_eq!(got, expected);

    // --force rebuilds everything.
    let mut forced = build.to_vec();
    forced.push("--force");
    let (_, out, _) = run(&forced);
    assert_eq!(json_lines(&out).last().unwrap()["built"], 14);
}

#[test]
fn a_deleted_output_is_rebuilt() {
    let dir = tempdir();
    crate::common::copy_seeds(dir.path());
    let run = |args: &[&str]| crate::common::run_in(dir.path(), args);
    assert_eq!(run(&["build", "manifest.yaml", "-o", "out"]).0, 0);
    std::fs::remove_file(dir.path().join("out/夏县-第3期.pdf")).unwrap();
    let (code, _, err) = run(&["build", "manifest.yaml", "-o", "out", "--check"]);
    assert_eq!(code, 1);
    assert!(err.contains("stale out/夏县-第3期.pdf"), "{err}");
    let (code, _, err) = run(&["build", "manifest.yaml", "-o", "out"]);
    assert_eq!(code, 0);
    assert!(err.contains("built 1, skipped 13"), "{err}");
}

#[test]
fn watch_rebuilds_when_the_manifest_changes() {
    use std::time::{Duration, Instant};
    let dir = tempdir();
    crate::common::copy_seeds(dir.path());
    let mut child = jianbao()
        .current_dir(dir.path())
        .args(["watch", "manifest.yaml", "-o", "out"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pdf = dir.path().join("out/临猗县-第3期.pdf");
    let wait_for = |done: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !done() {
            assert!(start.elapsed() < Duration::from_secs(120), "watch did not build in time");
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    wait_for(&|| dir.path().join("out/.jianbao.json").exists());
    let first = std::fs::read(&pdf).unwrap();
    let manifest = std::fs::read_to_string(dir.path().join("manifest.yaml")).unwrap();
    std::fs::write(
        dir.path().join("manifest.yaml"),
        manifest.replacen("临猗县七级镇不断探索", "临猗县七级镇持续探索", 1),
    )
    .unwrap();
    wait_for(&|| std::fs::read(&pdf).is_ok_and(|b| b != first));
    let _ = child.kill();
    let _ = child.wait();
}
