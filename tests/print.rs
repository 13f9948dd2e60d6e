//! Print-shop delivery: `--profile print` files pass `jianbao preflight`, and the same
//! facts are confirmed by outside tools (qpdf, pdffonts, pdfinfo); `--profile archive`
//! files carry the PDF/A-2b identification; another tool's RGB, unembedded-font PDF
//! fails preflight.

use std::path::Path;
use std::process::Command;

use crate::common::{decode, jianbao, run, tempdir};

/// The example with 3 mm bleed and crop marks, built as print and archive files.
fn build_print(dir: &Path) {
    crate::common::copy_seeds(dir);
    let manifest = std::fs::read_to_string(dir.join("manifest.yaml")).unwrap();
    let manifest = manifest.replacen(
        "style: official\n",
        "style: official\nprint:\n  bleed: 3\n  crop_marks: true\n",
        1,
    );
    std::fs::write(dir.join("manifest.yaml"), manifest).unwrap();
    let (code, _, err) = decode(
        jianbao()
            .current_dir(dir)
            .args(["build", "manifest.yaml", "-o", "out", "--profile", "print,archive"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "{err}");
}

/// The uncompressed object text of a PDF, as qpdf writes it in QDF mode.
fn qdf(pdf: &Path) -> String {
    let out = pdf.with_extension("qdf");
    let status = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable", "--decode-level=all"])
        .arg(pdf)
        .arg(&out)
        .status()
        .expect("qpdf is installed (.ci/run installs it)");
    assert!(status.success(), "qpdf failed on {}", pdf.display());
    String::from_utf8_lossy(&std::fs::read(out).unwrap()).into_owned()
}

fn numbers(after: &str, text: &str) -> Vec<Vec<f64>> {
    text.match_indices(after)
        .map(|(i, _)| {
            let rest = &text[i + after.len()..];
            let inside = &rest[rest.find('[').unwrap() + 1..rest.find(']').unwrap()];
            inside.split_whitespace().map(|n| n.parse::<f64>().unwrap()).collect()
        })
        .collect()
}

#[test]
fn print_profile_passes_preflight_and_outside_tools_agree() {
    let dir = tempdir();
    build_print(dir.path());
    let pdf = dir.path().join("out/运城党建工作简报-第3期-print.pdf");

    // Our preflight: every check of the print profile passes.
    let (code, out, err) =
        run(&["preflight", "--profile", "print", "--format", "json", pdf.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(report[0]["spot_colours"].as_array().unwrap().iter().any(|s| s == "Red"), "{out}");
    // The spot red is on the 报头 only: no page but the first fills with a colour space
    // other than K-only CMYK (`cs`; the crop marks are strokes in "All" on every page), and
    // no page but the first has red text, so the inner sheets need no second colour run.
    let pages = report[0]["pages"].as_array().unwrap();
    let fill_pages: Vec<u64> = pages
        .iter()
        .filter(|p| p["operators"]["cs"].as_u64().unwrap_or(0) > 0)
        .map(|p| p["number"].as_u64().unwrap())
        .collect();
    assert_eq!(fill_pages, [1], "pages filling with the spot red");
    let red_text: Vec<u64> = pages
        .iter()
        .filter(|p| p["text_fill_colours"].to_string().contains("Separation Red"))
        .map(|p| p["number"].as_u64().unwrap())
        .collect();
    assert_eq!(red_text, [1], "pages with red text");

    // qpdf: the file is structurally valid after our incremental update.
    let check = Command::new("qpdf").arg("--check").arg(&pdf).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));

    // qpdf's uncompressed view: TrimBox = A4 and BleedBox = A4 + 3 mm on every page.
    let text = qdf(&pdf);
    let pages = text.matches("/Type /Page\n").count();
    assert!(pages > 10, "{pages} pages");
    let mm = 72.0 / 25.4;
    let trims = numbers("/TrimBox", &text);
    let bleeds = numbers("/BleedBox", &text);
    assert_eq!(trims.len(), pages);
    assert_eq!(bleeds.len(), pages);
    for (t, b) in trims.iter().zip(&bleeds) {
        assert!(
            ((t[2] - t[0]) - 210.0 * mm).abs() < 0.1 && ((t[3] - t[1]) - 297.0 * mm).abs() < 0.1,
            "{t:?}"
        );
        assert!(
            ((b[2] - b[0]) - 216.0 * mm).abs() < 0.1 && ((b[3] - b[1]) - 303.0 * mm).abs() < 0.1,
            "{b:?}"
        );
    }
    // The red is a Separation with an ASCII name (older RIPs show UTF-8 names as mojibake)
    // and the agreed red, M100 Y100, as its alternate.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    assert!(flat.contains("/separation /red /devicecmyk"), "no Separation named Red");
    assert!(flat.contains("0 1 1 0"), "the alternate is not M100 Y100");
    // No RGB operator or colour space anywhere; text is set with K-only CMYK.
    for line in text.lines() {
        let ops: Vec<&str> = line.split_whitespace().collect();
        assert!(!ops.last().is_some_and(|op| *op == "rg" || *op == "RG"), "RGB operator: {line}");
        if ops.last() == Some(&"k") && ops.len() == 5 {
            let cmy: Vec<f64> = ops[..3].iter().map(|n| n.parse().unwrap()).collect();
            let k: f64 = ops[3].parse().unwrap();
            assert!(cmy.iter().all(|v| *v == 0.0) || k == 0.0, "rich black: {line}");
        }
    }
    assert!(!text.contains("/DeviceRGB"), "DeviceRGB colour space");

    // pdffonts: every font embedded.
    let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
    for row in String::from_utf8_lossy(&fonts.stdout).lines().skip(2) {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cols[cols.len() - 5], "yes", "{row}");
    }
}

#[test]
fn archive_profile_is_identified_as_pdfa_2b() {
    let dir = tempdir();
    build_print(dir.path());
    let pdf = dir.path().join("out/夏县-第3期-archive.pdf");
    // poppler reads the XMP metadata.
    let meta = Command::new("pdfinfo").arg("-meta").arg(&pdf).output().unwrap();
    let xmp = String::from_utf8_lossy(&meta.stdout);
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
    assert!(xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "{xmp}");
    let (code, out, _) = run(&["preflight", "--profile", "archive", pdf.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn preflight_flags_rgb_black_and_unembedded_fonts() {
    let fixture = "tests/fixtures/preflight/rgb-black-unembedded.pdf";
    let (code, out, _) = run(&["preflight", "--profile", "print", fixture]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("✘ fonts embedded"), "{out}");
    assert!(out.contains("✘ text colour K-only"), "{out}");
    assert!(out.contains("✘ no RGB colour"), "{out}");
    // pdffonts agrees that the font is not embedded.
    let fonts = Command::new("pdffonts").arg(crate::common::root().join(fixture)).output().unwrap();
    let listing = String::from_utf8_lossy(&fonts.stdout);
    assert!(
        listing
            .lines()
            .skip(2)
            .any(|r| r.contains("Helvetica") && r.split_whitespace().rev().nth(4) == Some("no")),
        "{listing}"
    );
}
