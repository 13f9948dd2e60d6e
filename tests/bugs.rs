//! Regression tests for the faults the architecture review reproduced (issue 17):
//! output names colliding after profile suffixes, the build record's lock, exit codes,
//! SOURCE_DATE_EPOCH range, problem counts and system-font fingerprints.

use crate::common::{TWO_COUNTIES, run, tempdir};

/// One issue document (`简报.pdf`) and one selection whose pattern gives `简报-print.pdf`.
const SUFFIX_CLASH: &str = "briefing:\n  title: 测试简报\n  issuer: 测试办公室\n  number: 1\n  date: 2024-03-05\n\
articles:\n  - id: a1\n    title: 盐湖区召开会议\n    county: 盐湖区\n    themes: [党群服务中心]\n\
\x20   body: 会议指出,全区共建成党群服务站12个。\n\
outputs:\n  - kind: issue\n    file: \"简报.pdf\"\n  - kind: select\n    name: 盐湖\n    counties: [盐湖区]\n    file: \"简报-PRINT.pdf\"\n";

#[test]
fn profile_suffixes_that_make_two_outputs_one_file_are_an_error() {
    let dir = tempdir();
    std::fs::write(dir.path().join("manifest.yaml"), SUFFIX_CLASH).unwrap();
    let manifest = dir.path().join("manifest.yaml");
    let out = dir.path().join("out");
    let (code, _, err) = run(&[
        "build",
        manifest.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "--profile",
        "screen,print",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(!out.exists(), "nothing is written, not even the output folder");
    let err = err.replace(dir.path().to_str().unwrap(), "DIR");
    insta::assert_snapshot!(err);
}

/// A temporary project with [`TWO_COUNTIES`]; returns (dir, manifest path, out path).
fn project() -> (tempfile::TempDir, String, String) {
    let dir = tempdir();
    let manifest = dir.path().join("manifest.yaml");
    std::fs::write(&manifest, TWO_COUNTIES).unwrap();
    let out = dir.path().join("out");
    let (m, o) = (manifest.to_str().unwrap().to_string(), out.to_str().unwrap().to_string());
    (dir, m, o)
}

#[test]
fn a_wrong_command_line_exits_64_not_the_environment_code() {
    let (code, _, err) = run(&["build", "seeds/manifest.yaml", "--no-such-option"]);
    assert_eq!(code, 64, "{err}");
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains(" 64  usage errors"), "{out}");
}

#[test]
fn a_source_date_epoch_past_year_9999_is_refused_not_made_1980() {
    let (_dir, manifest, out) = project();
    let output = crate::common::jianbao()
        .args(["build", &manifest, "--out-dir", &out])
        .env("SOURCE_DATE_EPOCH", "99999999999999")
        .output()
        .unwrap();
    let (code, _, err) = crate::common::decode(output);
    assert_eq!(code, 64, "{err}");
    assert!(err.contains("outside the dates a PDF can hold"), "{err}");
    assert!(err.contains("253402300799 (9999-12-31 23:59:59 UTC)"), "{err}");
    assert!(!std::path::Path::new(&out).join("盐湖区-第1期.pdf").exists());
    // The last second that fits is accepted.
    let (code, _, err) = run(&[
        "build",
        &manifest,
        "--out-dir",
        &out,
        "--check",
        "--source-date-epoch",
        "253402300799",
    ]);
    assert_eq!(code, 1, "missing outputs, but the date is accepted:\n{err}");
}

#[test]
fn a_pdf_that_cannot_be_written_is_an_environment_error() {
    let (_dir, manifest, out) = project();
    // A non-empty folder where one PDF should go: renaming the PDF onto it fails.
    let blocker = std::path::Path::new(&out).join("盐湖区-第1期.pdf");
    std::fs::create_dir_all(&blocker).unwrap();
    std::fs::write(blocker.join("keep"), "x").unwrap();
    let (code, _, err) = run(&["build", &manifest, "--out-dir", &out]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert!(std::path::Path::new(&out).join("永济市-第1期.pdf").exists(), "the other is built");
}

#[test]
fn a_template_that_is_not_utf8_is_an_input_error_with_its_place() {
    let (dir, manifest, out) = project();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join("common.typ"), b"// ok\n// \xb1\xea\xcc\xe2 GBK\n").unwrap();
    let t = templates.to_str().unwrap();
    let (code, _, err) = run(&["build", &manifest, "--out-dir", &out, "--templates", t]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("template common.typ is not UTF-8 text"), "{err}");
    assert!(err.contains("common.typ:2:4"), "{err}");
}

#[test]
fn two_different_manifests_built_at_once_into_one_folder_keep_every_record_entry() {
    let dir = tempdir();
    for (name, suffix) in [("a.yaml", "甲"), ("b.yaml", "乙")] {
        let text = TWO_COUNTIES.replace("第{{ number }}期.pdf", &format!("{suffix}.pdf"));
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let spawn = |manifest: &str| {
        crate::common::jianbao()
            .current_dir(dir.path())
            .args(["build", manifest, "-o", "shared", "--force", "-j", "1"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    for round in 0..3 {
        let (a, b) = (spawn("a.yaml"), spawn("b.yaml"));
        let (a, b) = (
            crate::common::decode(a.wait_with_output().unwrap()),
            crate::common::decode(b.wait_with_output().unwrap()),
        );
        assert_eq!(a.0, 0, "{}", a.2);
        assert_eq!(b.0, 0, "{}", b.2);
        let record: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.path().join("shared/.jianbao.json")).unwrap(),
        )
        .unwrap();
        let files: Vec<&str> = record["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["file"].as_str().unwrap())
            .collect();
        assert_eq!(
            files,
            ["永济市-乙.pdf", "永济市-甲.pdf", "盐湖区-乙.pdf", "盐湖区-甲.pdf"],
            "round {round}"
        );
    }
}

#[test]
fn a_build_waits_while_another_holds_the_output_folder() {
    let (_dir, manifest, out) = project();
    std::fs::create_dir_all(&out).unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(std::path::Path::new(&out).join(".jianbao.lock"))
        .unwrap();
    lock.lock().unwrap();
    let mut child = crate::common::jianbao()
        .args(["build", &manifest, "--out-dir", &out])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "the build did not wait for the lock");
    assert!(!std::path::Path::new(&out).join(".jianbao.json").exists());
    lock.unlock().unwrap();
    let (code, _, err) = crate::common::decode(child.wait_with_output().unwrap());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("another build is writing to"), "{err}");
    assert!(std::path::Path::new(&out).join(".jianbao.json").exists());
}

#[test]
fn a_damaged_build_record_is_named_and_everything_rebuilt() {
    let (_dir, manifest, out) = project();
    assert_eq!(run(&["build", &manifest, "--out-dir", &out]).0, 0);
    let record = std::path::Path::new(&out).join(".jianbao.json");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, &text[..text.len() / 2]).unwrap();
    let (code, _, err) = run(&["build", &manifest, "--out-dir", &out]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: the build record is damaged"), "{err}");
    assert!(err.contains(".jianbao.json:"), "the file is named with a place:\n{err}");
    assert!(err.contains("built 2, skipped 0"), "{err}");
    // The record was rewritten whole: the next build skips everything, without a warning.
    let (_, _, err) = run(&["build", &manifest, "--out-dir", &out]);
    assert!(!err.contains("damaged"), "{err}");
    assert!(err.contains("built 0, skipped 2"), "{err}");
}

#[test]
fn ingest_counts_every_problem_it_printed() {
    let dir = tempdir();
    let files: Vec<String> = (1..=5).map(|i| format!("缺失{i}.txt")).collect();
    let mut args = vec!["ingest", "-o", "draft.yaml"];
    args.extend(files.iter().map(String::as_str));
    let (code, _, err) = crate::common::run_in(dir.path(), &args);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("error: cannot ingest").count(), 5, "{err}");
    assert!(err.contains("no article found in any input"), "{err}");
    assert!(err.contains("error: found 6 problems"), "{err}");
    assert!(!err.contains("found 1 problem"), "{err}");
}

#[test]
fn a_font_installed_on_the_system_makes_system_font_builds_stale() {
    let (dir, manifest, out) = project();
    let home = dir.path().join("home");
    let user_fonts = home.join(".local/share/fonts");
    std::fs::create_dir_all(&user_fonts).unwrap();
    let build = || {
        let output = crate::common::jianbao()
            .args(["build", &manifest, "--out-dir", &out, "--system-fonts"])
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .output()
            .unwrap();
        crate::common::decode(output)
    };
    let (code, _, err) = build();
    assert_eq!(code, 0, "{err}");
    let (_, _, err) = build();
    assert!(err.contains("built 0, skipped 2"), "nothing changed:\n{err}");
    std::fs::copy(
        crate::common::root().join("fonts/FandolKai-Regular.otf"),
        user_fonts.join("FandolKai-Regular.otf"),
    )
    .unwrap();
    let (code, _, err) = build();
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("built 2, skipped 0"), "a new system font makes outputs stale:\n{err}");
}

#[test]
fn a_font_path_that_does_not_exist_is_an_error_not_ignored() {
    let (_dir, manifest, out) = project();
    let (code, _, err) =
        run(&["build", &manifest, "--out-dir", &out, "--font-path", "no/such/fonts"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("the font folder no/such/fonts does not exist"), "{err}");
    assert!(!std::path::Path::new(&out).join("盐湖区-第1期.pdf").exists());
    let (code, _, err) = run(&["fonts", "--font-path", "no/such/fonts"]);
    assert_eq!(code, 2, "{err}");
}

/// Bug 7, first part: preflight said `cannot read X: cannot read X: …`.
#[test]
fn preflight_names_an_unreadable_file_once() {
    let dir = tempdir();
    let missing = dir.path().join("missing.pdf");
    let not_pdf = dir.path().join("x.pdf");
    std::fs::write(&not_pdf, "not a pdf").unwrap();
    for file in [&missing, &not_pdf] {
        let (code, _, err) = run(&["preflight", file.to_str().unwrap()]);
        assert_eq!(code, 2, "{err}");
        let name = file.file_name().unwrap().to_str().unwrap();
        assert_eq!(err.matches(name).count(), 1, "the file is named more than once:\n{err}");
        assert!(err.matches("cannot read").count() <= 1, "{err}");
    }
    // The same through --message-format json: one typed message with its code.
    let (code, out, _) = run(&["--message-format", "json", "preflight", not_pdf.to_str().unwrap()]);
    assert_eq!(code, 2);
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["type"], "diagnostic");
    assert_eq!(first["code"], "unreadable-pdf");
}

/// Bug 7, third part: a character no font has was located at its first occurrence
/// anywhere in the manifest (here an inline comment of another article), not in the
/// article the message names.
#[test]
fn a_missing_glyph_is_located_in_the_article_named() {
    let dir = tempdir();
    let text = TWO_COUNTIES
        .replace("title: 盐湖区召开会议", "title: 盐湖区召开会议  # 备注😀")
        .replace("全市共建成党群服务站8个。", "全市共建成党群服务站8个😀。");
    let manifest = dir.path().join("manifest.yaml");
    std::fs::write(&manifest, &text).unwrap();
    let (code, _, err) = run(&[
        "--diagnostic-format",
        "short",
        "build",
        manifest.to_str().unwrap(),
        "-o",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let body_line = text.lines().position(|l| l.contains("8个😀")).unwrap() + 1;
    assert!(
        err.contains(&format!("manifest.yaml:{body_line}:")),
        "not at line {body_line}:\n{err}"
    );
    assert!(err.contains("article `a2`'s `body`"), "{err}");
    assert_eq!(err.matches("U+1F600").count(), 1, "{err}");
}

/// `--message-format json` carries warnings with their code and location, and a
/// failure as typed messages too.
#[test]
fn json_messages_carry_warnings_and_locations() {
    let dir = tempdir();
    let text = format!(
        "{TWO_COUNTIES}  - kind: select\n    name: 南部\n    counties: [盐湖区, 夏县]\n    file: \"南部.pdf\"\n"
    );
    let manifest = dir.path().join("manifest.yaml");
    std::fs::write(&manifest, &text).unwrap();
    let out_dir = dir.path().join("out");
    let (code, out, err) = run(&[
        "build",
        manifest.to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
        "--message-format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let messages: Vec<serde_json::Value> =
        out.lines().map(|l| serde_json::from_str(l).expect("JSON lines")).collect();
    let warning = messages
        .iter()
        .find(|m| m["type"] == "diagnostic" && m["severity"] == "warning")
        .unwrap_or_else(|| panic!("no warning message:\n{out}"));
    let line = text.lines().position(|l| l.contains("counties: [盐湖区, 夏县]")).unwrap() + 1;
    assert_eq!(warning["code"], "manifest");
    assert_eq!(warning["line"], line, "{warning}");
    assert!(warning["column"].as_u64().unwrap() > 1, "{warning}");
    assert!(warning["file"].as_str().unwrap().ends_with("manifest.yaml"), "{warning}");
    assert!(warning["message"].as_str().unwrap().contains("夏县"), "{warning}");
    assert_eq!(messages.iter().filter(|m| m["type"] == "document").count(), 3);
    assert_eq!(messages.last().unwrap()["type"], "summary");

    // A manifest error: diagnostics, then a `failure` message; nothing on stderr.
    std::fs::write(&manifest, text.replace("id: a2", "id: a1")).unwrap();
    let (code, out, err) = run(&[
        "build",
        manifest.to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
        "--message-format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert!(err.trim().is_empty(), "{err}");
    let messages: Vec<serde_json::Value> =
        out.lines().map(|l| serde_json::from_str(l).expect("JSON lines")).collect();
    let error = messages.iter().find(|m| m["severity"] == "error").expect("an error message");
    assert!(error["message"].as_str().unwrap().contains("duplicate article id"), "{error}");
    assert!(error["line"].as_u64().is_some(), "{error}");
    let last = messages.last().unwrap();
    assert_eq!((last["type"].as_str(), last["kind"].as_str()), (Some("failure"), Some("input")));
}
