//! `jianbao ingest` on Word documents and saved web pages: a mixed run (Word, GBK and
//! UTF-8 pages, a text dump) drafts articles with their photos, `check` accepts the
//! draft, `build` places the photos in the PDF; `.doc` and `.pdf` are refused with a
//! way to convert them, without stopping the other files.

use crate::common::{decode, jianbao, root, tempdir};

fn copy_fixtures(dir: &std::path::Path) {
    let src = root().join("tests/fixtures/ingest/formats");
    for name in ["xiaxian.docx", "wenxi.html", "jishan.html", "yongji.html"] {
        std::fs::copy(src.join(name), dir.join(name)).unwrap();
    }
    for (folder, names) in
        [("wenxi_files", &["dongxun1.png", "dongxun2.png"][..]), ("yongji_files", &["wuye.png"])]
    {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
        for name in names {
            std::fs::copy(src.join(folder).join(name), dir.join(folder).join(name)).unwrap();
        }
    }
}

#[test]
fn word_web_and_text_ingest_check_and_build_with_photos() {
    let dir = tempdir();
    copy_fixtures(dir.path());
    let seed = root().join("seeds/004_e6682c06a6012347.txt");
    std::fs::copy(&seed, dir.path().join("c.txt")).unwrap();
    let run =
        |args: &[&str]| decode(jianbao().current_dir(dir.path()).args(args).output().unwrap());
    let (code, _, err) = run(&[
        "ingest",
        "xiaxian.docx",
        "wenxi.html",
        "jishan.html",
        "yongji.html",
        "c.txt",
        "-o",
        "draft.yaml",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("dongxun3.jpg"), "the remote picture is listed: {err}");
    let draft = std::fs::read_to_string(dir.path().join("draft.yaml")).unwrap();
    // Word: titles from direct formatting and from the Heading style; tracked
    // changes accepted; comments, header and footer left out.
    assert!(draft.contains("title: \"夏县扎实推进基层党建工作\""), "{draft}");
    assert!(draft.contains("title: \"夏县举办乡村振兴专题培训班\""), "{draft}");
    assert!(draft.contains("全县新建党群服务中心12个"), "{draft}");
    for junk in [
        "删除的旧数字",
        "批注",
        "页眉",
        "第1页",
        "澳门",
        "百家乐",
        "当前位置",
        "相关新闻",
        "版权所有",
        "统计代码",
        "白癜风",
        "六合彩",
        "热点新闻",
    ] {
        assert!(!draft.contains(junk), "{junk} leaked: {draft}");
    }
    // Pictures with their captions, which left the body.
    assert!(draft.contains("- file: \"draft-photos/xiaxian-01.png\"\n        caption: \"▲夏县党员志愿者在瑶峰镇社区开展服务\""), "{draft}");
    assert!(
        draft.contains(
            "- file: \"wenxi_files/dongxun2.png\"\n        caption: \"图为党员志愿者为群众服务\""
        ),
        "{draft}"
    );
    assert_eq!(draft.matches("▲夏县党员志愿者").count(), 1, "{draft}");
    // The web page's headline, not its <title>.
    assert!(draft.contains("title: \"闻喜县深入开展党员冬训工作\""), "{draft}");
    assert!(!draft.contains("运城新闻网"), "{draft}");
    // A table's header row, in a Word document or a web page, is never a title.
    assert!(!draft.contains("title: \"培训内容") && !draft.contains("title: \"指标"), "{draft}");
    assert!(
        draft.contains("      培训内容　课时\n") && draft.contains("      指标　单位　数量\n"),
        "{draft}"
    );
    assert!(draft.contains("title: \"永济市：党建引领物业服务 小区治理见实效\""), "{draft}");
    assert!(dir.path().join("draft-photos/xiaxian-02.png").is_file());

    let draft = crate::common::fill_draft(&draft);
    std::fs::write(dir.path().join("draft.yaml"), draft).unwrap();
    let (code, _, err) = run(&["check", "draft.yaml"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["build", "draft.yaml", "-o", "out"]);
    assert_eq!(code, 0, "{err}");
    let mut images = 0;
    for e in std::fs::read_dir(dir.path().join("out")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "pdf") {
            let out =
                std::process::Command::new("pdfimages").arg("-list").arg(&path).output().unwrap();
            images += String::from_utf8_lossy(&out.stdout)
                .lines()
                .skip(2)
                .filter(|l| l.contains("image"))
                .count();
        }
    }
    assert!(images >= 5, "the five photos are placed: {images}");
}

#[test]
fn doc_and_pdf_are_refused_with_a_way_to_convert_and_the_rest_ingest() {
    let dir = tempdir();
    copy_fixtures(dir.path());
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend_from_slice(&[0; 512]);
    std::fs::write(dir.path().join("old.doc"), &ole).unwrap();
    // A PDF named .txt is still told from its bytes.
    std::fs::write(dir.path().join("scan.txt"), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n").unwrap();
    let out = jianbao()
        .current_dir(dir.path())
        .args(["ingest", "old.doc", "scan.txt", "jishan.html", "-o", "d.yaml"])
        .output()
        .unwrap();
    let (code, _, err) = decode(out);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Word 97-2003") && err.contains("save it as .docx"), "{err}");
    assert!(err.contains("a PDF") && err.contains("pdftotext"), "{err}");
    let draft = std::fs::read_to_string(dir.path().join("d.yaml")).unwrap();
    assert!(draft.contains("稷山县召开农村集体经济发展推进会"), "{draft}");
}
