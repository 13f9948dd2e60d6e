//! Helpers shared by the integration tests: running the binary, temporary folders,
//! reading PDFs back, and one shared build of the shipped example manifest.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The package root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A command running the jianbao binary from the package root.
pub fn jianbao() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jianbao"));
    cmd.current_dir(root());
    cmd.env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// Runs jianbao with arguments; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = jianbao().args(args).output().expect("jianbao runs");
    decode(out)
}

/// Runs jianbao with arguments in another folder; returns (exit code, stdout, stderr).
pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    decode(jianbao().current_dir(dir).args(args).output().expect("jianbao runs"))
}

/// Exit code and text of a finished process.
pub fn decode(out: Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh temporary folder, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("jianbao-test-").tempdir().expect("temp dir")
}

/// The text of a PDF as poppler's pdftotext extracts it, in content-stream order (`-raw`), so a
/// grid cell's lines stay together.
pub fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg("-enc")
        .arg("UTF-8")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed (poppler-utils; .ci/run installs it)");
    assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
    String::from_utf8(out.stdout).expect("utf-8 text")
}

/// The same text without any whitespace, for substring checks across line breaks.
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The shipped example manifest built once for every test that reads its PDFs.
pub struct ExampleBuild {
    /// Keeps the folder alive.
    _dir: tempfile::TempDir,
    /// Output folder.
    pub out: PathBuf,
    /// stderr of the build.
    pub stderr: String,
}

/// Builds `seeds/manifest.yaml` once per test run.
pub fn example() -> &'static ExampleBuild {
    static BUILD: OnceLock<ExampleBuild> = OnceLock::new();
    BUILD.get_or_init(|| {
        let dir = tempdir();
        let out = dir.path().join("out");
        let (code, _, stderr) =
            run(&["build", "seeds/manifest.yaml", "--out-dir", out.to_str().expect("utf-8 path")]);
        assert_eq!(code, 0, "example build failed:\n{stderr}");
        ExampleBuild { _dir: dir, out, stderr }
    })
}

/// Writes a small manifest project into `dir`: a source file and the manifest text.
pub fn write_project(dir: &Path, manifest: &str) -> PathBuf {
    std::fs::write(dir.join("source.txt"), "第一行\n第二行\n第三行\n第四行\n第五行\n")
        .expect("write source");
    let path = dir.join("manifest.yaml");
    std::fs::write(&path, manifest).expect("write manifest");
    path
}

/// The PDF files of a folder, sorted.
pub fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("folder exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    out.sort();
    out
}

/// Copies the seeds folder (texts, photos and the example manifest) into `dir`.
pub fn copy_seeds(dir: &Path) {
    copy_tree(&root().join("seeds"), dir);
}

/// Copies the files of `from` into `to`, with their subfolders.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("folder exists") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, target).expect("copy");
        }
    }
}

/// A manifest of two counties, each its own document.
pub const TWO_COUNTIES: &str = "briefing:\n  title: 测试简报\n  issuer: 测试办公室\n  number: 1\n  date: 2024-03-05\n\
articles:\n  - id: a1\n    title: 盐湖区召开会议\n    county: 盐湖区\n    themes: [党群服务中心]\n\
\x20   body: 会议指出,全区共建成党群服务站12个。\n  - id: a2\n    title: 永济市召开会议\n    county: 永济市\n\
\x20   themes: [党群服务中心]\n    body: 会议指出,全市共建成党群服务站8个。\n\
outputs:\n  - kind: county\n    file: \"{{ county }}-第{{ number }}期.pdf\"\n";

/// An ingest draft with the masthead placeholders (`待填写`) filled in, as an editor would.
pub fn fill_draft(draft: &str) -> String {
    draft.replacen("title: \"待填写\"", "title: 运城党建工作简报", 1).replacen(
        "issuer: \"待填写\"",
        "issuer: 中共运城市委组织部办公室",
        1,
    )
}
