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
    // The draft's placeholders are errors until a person fills them in.
    let (code, _, err) = run(&["check", "draft.yaml"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`title` still holds the draft's placeholder `待填写`"), "{err}");
    assert!(err.contains("`issuer` still holds the draft's placeholder `待填写`"), "{err}");
    let draft = std::fs::read_to_string(dir.path().join("draft.yaml")).unwrap();
    let draft = crate::common::fill_draft(&draft);
    std::fs::write(dir.path().join("draft.yaml"), draft).unwrap();
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

fn ingest_bytes(name: &str, bytes: &[u8]) -> (i32, String, String) {
    let dir = tempdir();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    decode(jianbao().current_dir(dir.path()).args(["ingest", name]).output().unwrap())
}

#[test]
fn a_file_cut_mid_character_still_ingests_as_truncated() {
    let text = std::fs::read(&seeds()[1]).unwrap();
    // Cut inside the last character: the final UTF-8 sequence is incomplete.
    let cut = &text[..text.len() - 2];
    assert!(std::str::from_utf8(cut).is_err());
    let (code, out, err) = ingest_bytes("cut.txt", cut);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("truncated: true"), "the cut article is not marked truncated");
}

#[test]
fn a_file_of_only_boilerplate_is_reported() {
    let boilerplate = "当前位置:首页 > 县区联播\n\n太原市精神文明建设指导委员会办公室主办 太原文明网©版权所有\n晋ICP备12345678号\n电话:0351-1234567 传真:0351-7654321\n本版责编 付炎 校对 孙萌\n";
    let (code, _, err) = ingest_bytes("boiler.txt", boilerplate.as_bytes());
    assert_ne!(code, 0);
    assert_ne!(code, 101, "panicked: {err}");
    assert!(err.contains("boiler.txt"), "{err}");
}

#[test]
fn a_20_mb_dump_ingests_in_bounded_memory() {
    let seed = std::fs::read_to_string(&seeds()[2]).unwrap();
    let mut big = String::new();
    while big.len() < 20 * 1024 * 1024 {
        big.push_str(&seed);
        big.push_str("\n\n");
    }
    let dir = tempdir();
    std::fs::write(dir.path().join("big.txt"), &big).unwrap();
    // The address space is capped at 2 GiB: an ingest that held many copies of the
    // input, or grew quadratically, would fail here instead of passing.
    let out = std::process::Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!(
            "ulimit -v 2097152 && exec '{}' ingest big.txt -o draft.yaml",
            env!("CARGO_BIN_EXE_jianbao")
        ))
        .output()
        .unwrap();
    let (code, _, err) = decode(out);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("wrote draft.yaml"), "{err}");
}
