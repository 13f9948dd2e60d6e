//! The build options a user reaches for when something is off: `--emit-typst`,
//! `--root`, `--font-path`, `templates DIR`, and rebuilding after a template or a font
//! file changes.

use std::path::Path;

use crate::common::{TWO_COUNTIES, run_in, tempdir};

/// A project with [`TWO_COUNTIES`] as `manifest.yaml`.
fn project() -> tempfile::TempDir {
    let dir = tempdir();
    std::fs::write(dir.path().join("manifest.yaml"), TWO_COUNTIES).unwrap();
    dir
}

fn summary(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["build", "manifest.yaml", "-o", "out", "--message-format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = run_in(dir, &all);
    assert_eq!(code, 0, "{err}\n{out}");
    serde_json::from_str(out.lines().last().expect("a summary")).unwrap()
}

#[test]
fn emit_typst_writes_each_documents_sources_also_for_unchanged_outputs() {
    let dir = project();
    assert_eq!(summary(dir.path(), &["--emit-typst", "typ"])["built"], 2);
    let doc = dir.path().join("typ/盐湖区-第1期");
    for file in ["main.typ", "data.json"] {
        assert!(doc.join(file).is_file(), "{file} missing in {}", doc.display());
    }
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(doc.join("data.json")).unwrap()).unwrap();
    assert!(data.to_string().contains("盐湖区召开会议"), "{data}");
    assert!(!data.to_string().contains("永济市召开会议"), "another county's article: {data}");
    // Nothing changed: nothing is typeset, but the sources are still written.
    let again = summary(dir.path(), &["--emit-typst", "typ2"]);
    assert_eq!(again["skipped"], 2);
    assert!(dir.path().join("typ2/永济市-第1期/data.json").is_file());
}

#[test]
fn templates_dir_writes_every_template_once_and_a_change_rebuilds() {
    let dir = project();
    let (code, _, err) = run_in(dir.path(), &["templates", "tpl"]);
    assert_eq!(code, 0, "{err}");
    let main = dir.path().join("tpl/main.typ");
    assert!(main.is_file());
    // Never overwrites: a second export into the same folder is refused.
    let before = std::fs::read(&main).unwrap();
    let (code, _, err) = run_in(dir.path(), &["templates", "tpl"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&main).unwrap(), before);

    // The exported templates are the built-in ones: the outputs stay fresh, and
    // forced, they are the same bytes.
    assert_eq!(summary(dir.path(), &[])["built"], 2);
    let builtin = std::fs::read(dir.path().join("out/盐湖区-第1期.pdf")).unwrap();
    assert_eq!(summary(dir.path(), &["--templates", "tpl"])["skipped"], 2);
    assert_eq!(summary(dir.path(), &["--templates", "tpl", "--force"])["built"], 2);
    assert_eq!(std::fs::read(dir.path().join("out/盐湖区-第1期.pdf")).unwrap(), builtin);

    // A template edit makes every output stale.
    std::fs::write(&main, [before.as_slice(), b"\n// edited\n"].concat()).unwrap();
    assert_eq!(summary(dir.path(), &["--templates", "tpl"])["built"], 2);
}

#[test]
fn font_path_fonts_are_loaded_and_a_font_change_rebuilds() {
    let dir = project();
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).unwrap();
    let font = crate::common::root().join("fonts/FandolHei-Bold.otf");
    std::fs::copy(&font, fonts.join("Office-Bold.otf")).unwrap();
    // The folder's font is listed with its path.
    let (code, out, err) = run_in(dir.path(), &["fonts", "--font-path", "fonts"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Office-Bold.otf"), "{out}");

    assert_eq!(summary(dir.path(), &["--font-path", "fonts"])["built"], 2);
    assert_eq!(summary(dir.path(), &["--font-path", "fonts"])["skipped"], 2);
    // Another font in the folder: the outputs may look different, so they are stale.
    std::fs::copy(
        crate::common::root().join("fonts/FandolKai-Regular.otf"),
        fonts.join("Office-Kai.otf"),
    )
    .unwrap();
    assert_eq!(summary(dir.path(), &["--font-path", "fonts"])["built"], 2);
}

#[test]
fn root_lets_a_build_read_a_source_beside_the_manifests_folder() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("issue")).unwrap();
    std::fs::create_dir_all(dir.path().join("shared")).unwrap();
    std::fs::write(dir.path().join("shared/page.txt"), "第一行\n第二行\n").unwrap();
    let manifest = TWO_COUNTIES.replace(
        "    body: 会议指出,全区共建成党群服务站12个。\n",
        "    body: 会议指出,全区共建成党群服务站12个。\n    source: { file: ../shared/page.txt, lines: [1, 2] }\n",
    );
    assert_ne!(manifest, TWO_COUNTIES);
    std::fs::write(dir.path().join("issue/manifest.yaml"), manifest).unwrap();
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "issue/manifest.yaml", "-o", "out"];
        args.extend_from_slice(extra);
        run_in(dir.path(), &args)
    };
    let (code, _, err) = build(&[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("leaves the project folder"), "{err}");
    assert!(!dir.path().join("out").exists());
    let (code, _, err) = build(&["--root", "."]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(crate::common::pdfs(&dir.path().join("out")).len(), 2);
}
