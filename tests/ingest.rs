//! `jianbao ingest`: page dumps become a draft that `check` accepts and `build` renders;
//! a GB18030 copy gives the same draft; bad files are reported and the rest still ingest;
//! `-o` never overwrites without `--force`.

use crate::common::{decode, jianbao, tempdir};

fn seeds() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(crate::common::root().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

#[test]
fn ingest_check_build_round_trip() {
    let dir = tempdir();
    for f in seeds() {
        std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    let run =
        |args: &[&str]| decode(jianbao().current_dir(dir.path()).args(args).output().unwrap());
    let mut args = vec!["ingest"];
    let names: Vec<String> =
        seeds().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    args.extend(names.iter().map(String::as_str));
    args.extend(["-o", "draft.yaml"]);
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["check", "draft.yaml"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["build", "draft.yaml", "-o", "out"]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_dir(dir.path().join("out")).unwrap().count() >= 10);

    // A second ingest to the same file is refused, and --force overwrites.
    let (code, _, err) = run(&args);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already exists"), "{err}");
    args.push("--force");
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn bad_files_are_reported_and_the_others_still_ingest() {
    let dir = tempdir();
    let seed = &seeds()[1];
    std::fs::copy(seed, dir.path().join("good.txt")).unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    std::fs::write(
        dir.path().join("binary.txt"),
        [0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0, 0, 7].repeat(50),
    )
    .unwrap();
    let out = decode(
        jianbao()
            .current_dir(dir.path())
            .args(["ingest", "empty.txt", "binary.txt", "good.txt", "-o", "draft.yaml"])
            .output()
            .unwrap(),
    );
    assert_eq!(out.0, 1, "{}", out.2);
    assert!(out.2.contains("empty.txt"), "{}", out.2);
    assert!(out.2.contains("binary.txt"), "{}", out.2);
    let draft = std::fs::read_to_string(dir.path().join("draft.yaml")).unwrap();
    assert!(draft.contains("good.txt"));
    assert!(!draft.contains("binary.txt"));
}

#[test]
fn gb18030_copy_gives_the_same_draft() {
    let dir = tempdir();
    let seed = &seeds()[2];
    let text = std::fs::read_to_string(seed).unwrap();
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    std::fs::write(dir.path().join("page.txt"), text.as_bytes()).unwrap();
    let utf8 =
        decode(jianbao().current_dir(dir.path()).args(["ingest", "page.txt"]).output().unwrap());
    std::fs::write(dir.path().join("page.txt"), &gb).unwrap();
    let gbk =
        decode(jianbao().current_dir(dir.path()).args(["ingest", "page.txt"]).output().unwrap());
    assert_eq!(utf8.0, 0, "{}", utf8.2);
    assert_eq!(gbk.0, 0, "{}", gbk.2);
    assert!(utf8.1.contains("articles:"));
    // The drafts are the same except for the comment naming the detected encoding.
    let body = |s: &str| s.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n");
    assert!(body(&utf8.1) == body(&gbk.1), "the GB18030 copy ingests differently");
    assert!(gbk.1.contains("gb18030"), "the encoding is not reported");
}
