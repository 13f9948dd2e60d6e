//! Photos from the manifest to the PDF: every bad photo reported in one run with its
//! place; every accepted format placed (a Photoshop-style inverted CMYK JPEG in the
//! right colours, 16-bit PNG, PNG with alpha, WebP); EXIF orientation applied; camera
//! metadata in no PDF; the print resolution warning and error; print files with no RGB
//! image that pass preflight, with K-only or four-colour (ICC) photos; archive files
//! still PDF/A-2b; byte-identical rebuilds; and a changed photo rebuilding only the
//! documents that hold it, however it was rewritten.

use std::io::Cursor;
use std::path::Path;
use std::process::Command;

use crate::common::{run_in, tempdir};

/// A JPEG of `w` × `h` pixels whose left half is black and right half light grey.
fn halves_jpeg(w: u32, h: u32) -> Vec<u8> {
    let mut px = Vec::new();
    for _y in 0..h {
        for x in 0..w {
            let v = if x < w / 2 { 0 } else { 220 };
            px.extend_from_slice(&[v, v, v]);
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&px, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// A smooth RGB JPEG of `w` × `h` pixels.
fn photo_jpeg(w: u32, h: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, seed])
    });
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 85)
        .encode(img.as_raw(), w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// Inserts an EXIF segment (orientation, and a description holding `marker`) after SOI.
fn with_exif(jpeg: &[u8], orientation: u16, marker: &str) -> Vec<u8> {
    let mut text = marker.as_bytes().to_vec();
    text.push(0);
    // TIFF header (little endian), one IFD with two entries, then the description text.
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    let text_offset = 8 + 2 + 2 * 12 + 4;
    // 0x010E ImageDescription, ASCII.
    tiff.extend_from_slice(&0x010Eu16.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&(text.len() as u32).to_le_bytes());
    tiff.extend_from_slice(&(text_offset as u32).to_le_bytes());
    // 0x0112 Orientation, SHORT.
    tiff.extend_from_slice(&0x0112u16.to_le_bytes());
    tiff.extend_from_slice(&3u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&u32::from(orientation).to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&text);
    let mut seg = b"Exif\0\0".to_vec();
    seg.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((seg.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&seg);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// An Adobe-style (inverted, APP14) CMYK JPEG of pure process red (C0 M100 Y100 K0).
fn cmyk_red_jpeg() -> Vec<u8> {
    let px: Vec<u8> = (0..1000 * 600).flat_map(|_| [0u8, 255, 255, 0]).collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&px, 1000, 600, jpeg_encoder::ColorType::Cmyk)
        .unwrap();
    out
}

fn encode(img: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A PNG whose header claims `w` × `h` pixels but holds almost no data.
fn bomb_png(w: u32, h: u32) -> Vec<u8> {
    fn crc(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc(&body).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(&mut out, b"IEND", &[]);
    out
}

const HEAD: &str = "briefing:
  title: 测试简报
  issuer: 测试办公室
  number: 1
  date: 2024-03-05
articles:
";

/// An article of `county` with the given `photos:` block (already indented).
fn article(id: &str, county: &str, photos: &str) -> String {
    format!(
        "  - id: {id}
    title: {county}召开会议
    county: {county}
    themes: [党群服务中心]
    body: |
      会议指出，全区共建成党群服务站12个，覆盖所有社区，群众办事更加方便。

      会议要求，各级党组织要把服务群众作为第一要务，持续推进便民服务提质增效。
    source: {{ file: source.txt, lines: [1, 1] }}
    photos:
{photos}"
    )
}

fn project(dir: &Path, articles: &[String], tail: &str) {
    std::fs::write(dir.join("source.txt"), "原文\n").unwrap();
    let text = format!("{HEAD}{}{tail}", articles.concat());
    std::fs::write(dir.join("manifest.yaml"), text).unwrap();
}

fn pdfimages_list(pdf: &Path) -> Vec<Vec<String>> {
    let out = Command::new("pdfimages").arg("-list").arg(pdf).output().expect("pdfimages");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

#[test]
fn bad_photos_are_all_reported_in_one_run() {
    let dir = tempdir();
    let proj = dir.path().join("project");
    std::fs::create_dir_all(proj.join("photos")).unwrap();
    let p = |name: &str| proj.join("photos").join(name);
    std::fs::write(dir.path().join("outside.jpg"), photo_jpeg(64, 48, 1)).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("outside.jpg"), p("link.jpg")).unwrap();
    std::fs::write(p("phone.jpg"), b"\0\0\0\x18ftypheic\0\0\0\0mif1heic").unwrap();
    std::fs::write(p("scan.jpg"), b"II*\0\x08\0\0\0").unwrap();
    std::fs::write(p("old.bmp"), b"BM\x36\0\0\0").unwrap();
    std::fs::write(p("poster.pdf"), b"%PDF-1.7\n").unwrap();
    std::fs::write(p("notes.jpg"), "这不是图片").unwrap();
    let whole = photo_jpeg(320, 240, 2);
    std::fs::write(p("cut.jpg"), &whole[..whole.len() / 2]).unwrap();
    std::fs::write(p("bomb.png"), bomb_png(30_000, 30_000)).unwrap();
    std::fs::write(p("good.jpg"), photo_jpeg(2000, 1500, 3)).unwrap();
    let photos = [
        "missing.jpg",
        "../outside.jpg",
        "/etc/hostname",
        "photos/link.jpg",
        "photos/phone.jpg",
        "photos/scan.jpg",
        "photos/old.bmp",
        "photos/poster.pdf",
        "photos/notes.jpg",
        "photos/cut.jpg",
        "photos/bomb.png",
    ];
    let mut block: String = photos
        .iter()
        .map(|f| {
            format!(
                "      - file: {}\n",
                if f.starts_with("photos/") || f.starts_with('/') || f.starts_with("..") {
                    f.to_string()
                } else {
                    format!("photos/{f}")
                }
            )
        })
        .collect();
    block.push_str("      - file: photos/good.jpg\n        size: 500\n");
    project(&proj, &[article("a1", "盐湖区", &block)], "");
    let (code, _, err) = run_in(&proj, &["check", "manifest.yaml"]);
    assert_eq!(code, 1, "{err}");
    let messages: Vec<&str> =
        err.lines().filter(|l| l.starts_with("error:") && !l.starts_with("error: found")).collect();
    assert_eq!(messages.len(), photos.len() + 1, "{err}");
    assert!(err.contains("manifest.yaml:"), "no file:line:column:\n{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn every_format_is_placed_right_way_up_without_metadata() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::create_dir_all(d.join("p")).unwrap();
    let marker = "JIANBAO-GPS-MARKER-31.5N";
    // Stored sideways (40 × 20, left half black); orientation 6 shows it upright.
    std::fs::write(d.join("p/turned.jpg"), with_exif(&halves_jpeg(1200, 1000), 6, marker)).unwrap();
    std::fs::write(d.join("p/red-cmyk.jpg"), cmyk_red_jpeg()).unwrap();
    let deep = image::ImageBuffer::<image::Rgb<u16>, _>::from_fn(1000, 600, |x, _| {
        image::Rgb([(x * 60) as u16, 30000, 65535])
    });
    std::fs::write(
        d.join("p/deep.png"),
        encode(image::DynamicImage::ImageRgb16(deep), image::ImageFormat::Png),
    )
    .unwrap();
    let alpha = image::RgbaImage::from_fn(1000, 600, |x, _| {
        image::Rgba([0, 0, 255, (x / 4).min(255) as u8])
    });
    std::fs::write(
        d.join("p/alpha.png"),
        encode(image::DynamicImage::ImageRgba8(alpha), image::ImageFormat::Png),
    )
    .unwrap();
    let webp = image::RgbImage::from_fn(1000, 600, |_, _| image::Rgb([0, 160, 0]));
    std::fs::write(
        d.join("p/green.webp"),
        encode(image::DynamicImage::ImageRgb8(webp), image::ImageFormat::WebP),
    )
    .unwrap();
    assert!(
        std::fs::read(d.join("p/turned.jpg"))
            .unwrap()
            .windows(marker.len())
            .any(|w| w == marker.as_bytes())
    );
    let block = ["turned.jpg", "red-cmyk.jpg", "deep.png", "alpha.png", "green.webp"]
        .iter()
        .map(|f| format!("      - file: p/{f}\n        caption: 图为测试照片\n        size: 60\n"))
        .collect::<String>();
    project(d, &[article("a1", "盐湖区", &block)], "");
    let (code, _, err) =
        run_in(d, &["build", "manifest.yaml", "-o", "out", "--profile", "screen,print,archive"]);
    assert_eq!(code, 0, "{err}");
    let pdfs = crate::common::pdfs(&d.join("out"));
    assert_eq!(pdfs.len(), 3);
    for pdf in &pdfs {
        let bytes = std::fs::read(pdf).unwrap();
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
            "{} holds the EXIF marker",
            pdf.display()
        );
        assert!(!bytes.windows(6).any(|w| w == b"Exif\0\0"), "{} holds EXIF", pdf.display());
        let images = pdfimages_list(pdf);
        assert_eq!(images.len(), 5, "{}: {images:?}", pdf.display());
        for row in &images {
            assert_eq!(row[8], "jpeg", "{row:?}");
        }
    }
    let screen = d.join("out/测试简报-第1期.pdf");
    let images = pdfimages_list(&screen);
    // The turned photo is upright: taller than wide.
    let (w, h): (u32, u32) = (images[0][3].parse().unwrap(), images[0][4].parse().unwrap());
    assert!(h > w, "orientation not applied: {w} × {h}");
    // Extract the pixels: the upright photo's top half is the dark one; the CMYK photo
    // is red, not its negative (cyan).
    let extracted = d.join("img");
    let status =
        Command::new("pdfimages").arg("-png").arg(&screen).arg(&extracted).status().unwrap();
    assert!(status.success());
    let img = |n: usize| image::open(d.join(format!("img-{n:03}.png"))).unwrap().to_rgb8();
    let turned = img(0);
    let top = turned.get_pixel(turned.width() / 2, turned.height() / 4)[0];
    let bottom = turned.get_pixel(turned.width() / 2, turned.height() * 3 / 4)[0];
    assert!(top < 60 && bottom > 180, "top {top}, bottom {bottom}");
    let red = img(1);
    let p = red.get_pixel(red.width() / 2, red.height() / 2);
    assert!(p[0] > 180 && p[1] < 90 && p[2] < 90, "CMYK red came out as {p:?}");
    // Alpha is flattened onto white: the transparent left edge is white.
    let flat = img(3);
    let edge = flat.get_pixel(0, 10);
    assert!(edge[0] > 230 && edge[1] > 230, "alpha edge is {edge:?}");

    // Print: every image CMYK, none RGB; preflight passes.
    let print = d.join("out/测试简报-第1期-print.pdf");
    for row in pdfimages_list(&print) {
        assert_eq!(row[5], "cmyk", "print image not CMYK: {row:?}");
    }
    let (code, out, err) =
        run_in(d, &["preflight", "--profile", "print", "out/测试简报-第1期-print.pdf"]);
    assert_eq!(code, 0, "{out}{err}");
    // Archive: still PDF/A-2b.
    let meta = Command::new("pdfinfo")
        .arg("-meta")
        .arg(d.join("out/测试简报-第1期-archive.pdf"))
        .output()
        .unwrap();
    let meta = String::from_utf8_lossy(&meta.stdout);
    assert!(
        meta.contains("<pdfaid:part>2</pdfaid:part>") || meta.contains("pdfaid:part=\"2\""),
        "{meta}"
    );
    assert!(
        meta.contains("<pdfaid:conformance>B</pdfaid:conformance>")
            || meta.contains("pdfaid:conformance=\"B\""),
        "{meta}"
    );
}

#[test]
fn print_resolution_warning_and_error() {
    let dir = tempdir();
    let d = dir.path();
    // At the full type width of 156 mm: 1200 px is 195 ppi, 600 px is 98 ppi.
    std::fs::write(d.join("mid.jpg"), photo_jpeg(1200, 800, 4)).unwrap();
    std::fs::write(d.join("low.jpg"), photo_jpeg(600, 400, 5)).unwrap();
    project(d, &[article("a1", "盐湖区", "      - file: mid.jpg\n")], "");
    let (code, _, err) = run_in(d, &["build", "manifest.yaml", "-o", "out"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("ppi"), "screen builds say nothing of ppi:\n{err}");
    let (code, _, err) = run_in(d, &["build", "manifest.yaml", "-o", "out", "--profile", "print"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: photo `mid.jpg` has 195 ppi at its placed width of 156 mm; print shops ask for 300"), "{err}");
    assert!(err.contains("manifest.yaml:17:15"), "{err}");
    project(d, &[article("a1", "盐湖区", "      - file: low.jpg\n")], "");
    let (code, _, err) = run_in(d, &["build", "manifest.yaml", "-o", "out2", "--profile", "print"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error: photo `low.jpg` has only 98 ppi at its placed width of 156 mm; print needs at least 150"), "{err}");
    assert!(
        err.contains("use the original photo (1843 px wide or more), or place it smaller"),
        "{err}"
    );
    assert!(!d.join("out2").join("测试简报-第1期-print.pdf").exists());
    // Placed 60 mm wide it has 254 ppi: a warning, and the print file is written.
    project(d, &[article("a1", "盐湖区", "      - file: low.jpg\n        size: 60\n")], "");
    let (code, _, err) = run_in(d, &["build", "manifest.yaml", "-o", "out2", "--profile", "print"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: photo `low.jpg` has 254 ppi at its placed width of 60 mm"),
        "{err}"
    );
    assert!(d.join("out2").join("测试简报-第1期-print.pdf").exists());
}

/// `bytes` with a fixed-length trailer after the JPEG's end, so that two versions of a
/// photo differ in content but not in size.
fn with_trailer(bytes: &[u8], tag: u8) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out.extend_from_slice(b"trailer-");
    out.push(tag);
    out
}

/// Sets a file's modification time.
fn set_mtime(path: &Path, t: std::time::SystemTime) {
    std::fs::File::options().write(true).open(path).unwrap().set_modified(t).unwrap();
}

#[test]
fn rebuilds_are_identical_and_a_changed_photo_rebuilds_only_its_documents() {
    let dir = tempdir();
    let d = dir.path();
    let (a, b) = (photo_jpeg(1600, 1000, 6), photo_jpeg(1600, 1000, 7));
    std::fs::write(d.join("a.jpg"), with_trailer(&a, b'0')).unwrap();
    std::fs::write(d.join("b.jpg"), with_trailer(&b, b'0')).unwrap();
    // Written an hour ago: a hash taken now may be trusted by later builds.
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    set_mtime(&d.join("a.jpg"), hour_ago);
    set_mtime(&d.join("b.jpg"), hour_ago);
    let outputs = "outputs:
  - { kind: issue, file: \"issue.pdf\" }
  - { kind: county, file: \"{{ county }}.pdf\" }
";
    project(
        d,
        &[
            article("a1", "盐湖区", "      - file: a.jpg\n        caption: 图为甲\n"),
            article("b1", "永济市", "      - file: b.jpg\n        caption: 图为乙\n"),
        ],
        outputs,
    );
    let build = |out: &str, force: bool| {
        let mut args = vec!["build", "manifest.yaml", "-o", out, "--message-format", "json"];
        if force {
            args.push("--force");
        }
        let (code, stdout, err) = run_in(d, &args);
        assert_eq!(code, 0, "{err}");
        let mut built: Vec<String> = stdout
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|l| l["status"] == "built")
            .map(|l| {
                Path::new(l["file"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        built.sort();
        built
    };
    assert_eq!(build("one", false).len(), 3);
    assert_eq!(build("two", true).len(), 3);
    for name in ["issue.pdf", "盐湖区.pdf", "永济市.pdf"] {
        assert_eq!(
            std::fs::read(d.join("one").join(name)).unwrap(),
            std::fs::read(d.join("two").join(name)).unwrap(),
            "{name} differs between builds"
        );
    }
    // The record remembers each photo's hash with its size and time.
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("one/.jianbao.json")).unwrap()).unwrap();
    let photos = record["photos"].as_object().expect("photos in the record");
    assert_eq!(photos.len(), 2, "{photos:?}");
    let entry = photos.iter().find(|(k, _)| k.ends_with("a.jpg")).unwrap().1;
    assert_eq!(entry["size"], a.len() + 9);
    assert_eq!(entry["format"], "jpeg");
    assert!(build("one", false).is_empty(), "an unchanged build rebuilt something");

    // A rewrite of the same size: the time differs, so the photo is read again.
    std::fs::write(d.join("a.jpg"), with_trailer(&a, b'1')).unwrap();
    assert_eq!(build("one", false), ["issue.pdf", "盐湖区.pdf"]);
    // Rewritten again with the same size in the same clock tick (the time put back, as
    // a file system with coarse times would show it): the last hash was taken right
    // after the previous write, so it is not trusted, and the change is seen.
    let tick = std::fs::metadata(d.join("a.jpg")).unwrap().modified().unwrap();
    std::fs::write(d.join("a.jpg"), with_trailer(&a, b'2')).unwrap();
    set_mtime(&d.join("a.jpg"), tick);
    assert_eq!(build("one", false), ["issue.pdf", "盐湖区.pdf"]);
    assert!(build("one", false).is_empty());

    // A settled photo is not read at all: content changed behind an unchanged size and
    // time goes unseen (as with make or cargo), and `--force` reads every photo again.
    set_mtime(&d.join("a.jpg"), hour_ago);
    assert!(build("one", false).is_empty(), "only the time changed");
    std::fs::write(d.join("a.jpg"), with_trailer(&a, b'3')).unwrap();
    set_mtime(&d.join("a.jpg"), hour_ago);
    assert!(build("one", false).is_empty(), "a settled photo was read again");
    assert_eq!(build("one", true).len(), 3);
    let (code, _, err) = run_in(d, &["build", "manifest.yaml", "-o", "one", "--check"]);
    assert_eq!(code, 0, "{err}");
}

/// A JPEG of one flat colour.
fn flat_jpeg(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
    let px: Vec<u8> = (0..w * h).flat_map(|_| rgb).collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 95)
        .encode(&px, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// The CMYK ink values (0 = none, 255 = solid) at the centre of every image of a PDF,
/// read from the embedded JPEGs themselves (`pdfimages -j`; Adobe-inverted, as krilla
/// declares them with `/Decode [1 0 1 0 1 0 1 0]`).
fn cmyk_centres(pdf: &Path, dir: &Path) -> Vec<[u8; 4]> {
    let prefix = dir.join("img");
    let status = Command::new("pdfimages").arg("-j").arg(pdf).arg(&prefix).status().unwrap();
    assert!(status.success());
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).unwrap();
            let options = zune_core::options::DecoderOptions::default()
                .jpeg_set_out_colorspace(zune_core::colorspace::ColorSpace::CMYK);
            let mut d = zune_jpeg::JpegDecoder::new_with_options(
                zune_core::bytestream::ZCursor::new(&bytes),
                options,
            );
            let px = d.decode().unwrap();
            let (w, h) = d.dimensions().unwrap();
            assert_eq!(px.len(), w * h * 4, "{} is not CMYK", f.display());
            let i = ((h / 2) * w + w / 2) * 4;
            // The decoder returns the stored (inverted) values.
            [255 - px[i], 255 - px[i + 1], 255 - px[i + 2], 255 - px[i + 3]]
        })
        .collect()
}

#[test]
fn four_colour_print_photos_are_cmyk_in_the_right_colours_within_the_ink_limit() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::write(d.join("red.jpg"), flat_jpeg(1200, 800, [255, 0, 0])).unwrap();
    std::fs::write(d.join("dark.jpg"), flat_jpeg(1200, 800, [0, 0, 0])).unwrap();
    std::fs::write(d.join("sky.png"), {
        let img = image::RgbImage::from_fn(1200, 800, |x, y| {
            image::Rgb([(x * 255 / 1200) as u8, (y * 255 / 800) as u8, 200])
        });
        encode(image::DynamicImage::ImageRgb8(img), image::ImageFormat::Png)
    })
    .unwrap();
    let block = ["red.jpg", "dark.jpg", "sky.png"]
        .iter()
        .map(|f| format!("      - file: {f}\n        size: 80\n"))
        .collect::<String>();
    project(d, &[article("a1", "盐湖区", &block)], "print:\n  photos: cmyk\n");
    let (code, _, err) =
        run_in(d, &["build", "manifest.yaml", "-o", "out", "--profile", "print,archive"]);
    assert_eq!(code, 0, "{err}");
    let print = d.join("out/测试简报-第1期-print.pdf");
    let images = pdfimages_list(&print);
    assert_eq!(images.len(), 3, "{images:?}");
    for row in &images {
        assert_eq!(row[5], "cmyk", "print image not CMYK: {row:?}");
        assert_eq!(row[8], "jpeg", "{row:?}");
    }
    let (code, out, err) =
        run_in(d, &["preflight", "--profile", "print", "out/测试简报-第1期-print.pdf"]);
    assert_eq!(code, 0, "{out}{err}");

    let extracted = d.join("extracted");
    std::fs::create_dir_all(&extracted).unwrap();
    let inks = cmyk_centres(&print, &extracted);
    // Red is magenta and yellow, not its negative (cyan) and not muddied with black.
    let [c, m, y, k] = inks[0];
    assert!(m > 200 && y > 200 && c < 40 && k < 40, "red came out as CMYK {:?}", inks[0]);
    // Black: rich black, within 300 % total ink (JPEG rounding allowed for).
    let total: u32 = inks[1].iter().map(|&v| u32::from(v)).sum();
    assert!(inks[1][3] > 200, "black photo without black ink: {:?}", inks[1]);
    assert!(total <= 765 + 6, "black photo carries {} % ink", total * 100 / 255);
    assert!(total > 600, "black photo is not rich black: {:?}", inks[1]);

    // The archive keeps RGB photos and stays PDF/A-2b.
    let archive = d.join("out/测试简报-第1期-archive.pdf");
    for row in pdfimages_list(&archive) {
        // sRGB: an ICC-based colour space of three components.
        assert!(row[5] == "rgb" || (row[5] == "icc" && row[6] == "3"), "{row:?}");
    }
    let meta = Command::new("pdfinfo").arg("-meta").arg(&archive).output().unwrap();
    let meta = String::from_utf8_lossy(&meta.stdout);
    assert!(meta.contains("pdfaid:part>2<") || meta.contains("pdfaid:part=\"2\""), "{meta}");

    // Byte-identical on a forced rebuild.
    let first = std::fs::read(&print).unwrap();
    let (code, _, err) =
        run_in(d, &["build", "manifest.yaml", "-o", "out", "--profile", "print", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(&print).unwrap(), first, "the print file differs between builds");
}

#[test]
fn a_session_remembers_its_photos_without_a_build_record() {
    use jianbao::session::{BuildOptions, Changes, Session, Status};
    let dir = tempdir();
    let d = dir.path();
    let a = photo_jpeg(1600, 1000, 8);
    std::fs::write(d.join("a.jpg"), with_trailer(&a, b'0')).unwrap();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    set_mtime(&d.join("a.jpg"), hour_ago);
    project(d, &[article("a1", "盐湖区", "      - file: a.jpg\n")], "");
    let manifest = d.join("manifest.yaml");
    let mut session = Session::new(&manifest, BuildOptions::default()).unwrap();
    // In memory, as `serve` builds: there is no build record to remember photos in.
    let mut sink = jianbao::sink::Memory::new();
    let executor = jianbao::executor::Threads { jobs: 1 };
    let mut build = |session: &mut Session| {
        let changes = Changes::paths([d.join("a.jpg")]);
        let report = session.rebuild(&changes, &mut sink, &executor, &|_| {}).unwrap();
        report.count(Status::Built)
    };
    assert_eq!(build(&mut session), 1);
    // Bytes changed behind the same size and time: the session trusts what it saw, so
    // it did not read the photo again.
    std::fs::write(d.join("a.jpg"), with_trailer(&a, b'1')).unwrap();
    set_mtime(&d.join("a.jpg"), hour_ago);
    assert_eq!(build(&mut session), 0);
    // A new time: read again, and the document is rebuilt.
    set_mtime(&d.join("a.jpg"), hour_ago + std::time::Duration::from_secs(60));
    assert_eq!(build(&mut session), 1);
}
