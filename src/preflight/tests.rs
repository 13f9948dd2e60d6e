//! Unit tests of preflight on small PDFs built with lopdf, and on the fixtures.

use std::collections::BTreeSet;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

use super::geometry::paper_name;
use super::human::page_ranges;
use super::metadata::{name_to_string, pdfa_claim};
use super::*;

const RGB_FIXTURE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/preflight/rgb-black-unembedded.pdf");
const SPOT_FIXTURE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/preflight/cmyk-k-spot.pdf");

fn check<'r>(report: &'r FileReport, name: &str) -> &'r Check {
    report.checks.iter().find(|c| c.name == name).unwrap_or_else(|| {
        panic!("no check {name:?} in {:#?}", report.checks);
    })
}

/// A one-page A4 PDF written by lopdf with object and xref streams (as krilla does).
/// `build` adds what the page needs to the document and returns the page's resources.
fn lopdf_pdf(content: &str, build: impl FnOnce(&mut Document) -> Dictionary) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let resources = build(&mut doc);
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.276.into(), 841.89.into()],
        "Resources" => resources,
        "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    let mut out = Vec::new();
    doc.save_modern(&mut out).expect("lopdf writes the test PDF");
    out
}

/// Adds a Type 1 font whose descriptor carries a stub font program under `file_key`.
fn embedded_font(doc: &mut Document, file_key: &str) -> ObjectId {
    let program = doc.add_object(Stream::new(dictionary! {}, b"stub program".to_vec()));
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => "ABCDEF+Stub",
        file_key => program,
    });
    doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "ABCDEF+Stub",
        "FontDescriptor" => descriptor,
    })
}

/// Resources with just an embedded font /F1.
fn font_only(doc: &mut Document) -> Dictionary {
    let font = embedded_font(doc, "FontFile");
    dictionary! { "Font" => dictionary! { "F1" => font } }
}

#[test]
fn rgb_black_unembedded_fails_print_with_both_problems() {
    let report = check_file(Path::new(RGB_FIXTURE), Profile::Print).expect("fixture reads");
    assert!(!report.passed());
    let fonts = check(&report, "fonts embedded");
    assert!(!fonts.passed && fonts.detail.contains("Helvetica"), "{fonts:?}");
    assert_eq!(report.fonts.len(), 1);
    assert!(!report.fonts[0].embedded);
    let text = check(&report, "text colour K-only");
    assert!(!text.passed && text.detail.contains("DeviceRGB 0 0 0"), "{text:?}");
    let rgb = check(&report, "no RGB colour");
    assert!(!rgb.passed && rgb.detail.contains("rg operator"), "{rgb:?}");
    assert!(!check(&report, "TrimBox on every page").passed);
    assert_eq!(report.pages[0].text_fill_colours, ["DeviceRGB 0 0 0"]);
    assert_eq!(report.pages[0].operators.rg, 1);
    assert_eq!(report.pages[0].paper.as_deref(), Some("A4"));
    assert_eq!(report.colour_spaces, ["DeviceRGB"]);
    let human = report.to_human();
    assert!(human.contains("✘ fonts embedded [error]"), "{human}");
    assert!(human.contains("✘ text colour K-only [error]"), "{human}");
    assert!(human.contains("FAIL"), "{human}");
}

#[test]
fn rgb_black_unembedded_fails_screen_on_fonts_only() {
    let report = check_file(Path::new(RGB_FIXTURE), Profile::Screen).expect("fixture reads");
    let failed: Vec<&str> =
        report.checks.iter().filter(|c| !c.passed).map(|c| c.name.as_str()).collect();
    assert_eq!(failed, ["fonts embedded"]);
}

#[test]
fn cmyk_spot_fixture_passes_print() {
    let report = check_file(Path::new(SPOT_FIXTURE), Profile::Print).expect("fixture reads");
    assert!(report.passed(), "{}", report.to_human());
    assert_eq!(report.spot_colours, ["红头"]);
    let page = &report.pages[0];
    assert_eq!(page.text_fill_colours, ["Separation 红头 1", "DeviceCMYK 0 0 0 1"]);
    assert_eq!(page.paper.as_deref(), Some("A4"));
    assert!(page.trim_box.is_some() && page.bleed_box.is_some());
    assert!(check(&report, "bleed and trim boxes").detail.contains("bleed 3 mm"));
    assert!(check(&report, "coloured text").detail.contains("Separation 红头 1"));
    assert_eq!(report.images.len(), 1);
    assert_eq!((report.images[0].ppi_x, report.images[0].ppi_y), (300.0, 300.0));
    assert_eq!(report.fonts.len(), 1);
    assert!(report.fonts[0].embedded && report.fonts[0].subtype == "Type3");
    assert!(check(&report, "images ≥ 300 ppi").passed);
}

#[test]
fn k_only_text_with_embedded_font_passes_text_colour() {
    let pdf = lopdf_pdf("0 0 0 1 k BT /F1 12 Tf 72 700 Td (Hello) Tj ET", font_only);
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"/ObjStm") && has(b"/XRef"), "object and xref streams, as krilla writes");
    let report = check_bytes(&pdf, "k.pdf", Profile::Print).expect("lopdf PDF reads");
    assert!(check(&report, "text colour K-only").passed, "{}", report.to_human());
    let fonts = check(&report, "fonts embedded");
    assert!(fonts.passed && fonts.detail == "1 font, all embedded", "{fonts:?}");
    assert!(check(&report, "content readable").passed);
    assert!(check(&report, "no RGB colour").passed);
    assert_eq!(report.pages[0].text_fill_colours, ["DeviceCMYK 0 0 0 1"]);
    assert_eq!(report.pages[0].operators.k, 1);
}

#[test]
fn rich_black_and_icc_gray_text_are_flagged() {
    let pdf = lopdf_pdf(
        "BT /F1 12 Tf 0.6 0.4 0.4 1 k (rich) Tj /c0 cs 0 scn (gray) Tj /c1 cs 0.8 0 0 scn \
         (red) Tj ET",
        |doc| {
            let font = embedded_font(doc, "FontFile3");
            let mut icc = |n: i64| {
                let profile = doc.add_object(Stream::new(dictionary! { "N" => n }, vec![0]));
                Object::Array(vec!["ICCBased".into(), profile.into()])
            };
            let (gray, rgb) = (icc(1), icc(3));
            dictionary! {
                "Font" => dictionary! { "F1" => font },
                "ColorSpace" => dictionary! { "c0" => gray, "c1" => rgb },
            }
        },
    );
    let report = check_bytes(&pdf, "typst-like.pdf", Profile::Print).expect("reads");
    assert_eq!(
        report.pages[0].text_fill_colours,
        ["DeviceCMYK 0.6 0.4 0.4 1", "ICCBased(1) 0", "ICCBased(3) 0.8 0 0"]
    );
    let text = check(&report, "text colour K-only");
    assert!(!text.passed);
    assert!(text.detail.contains("rich black"), "{text:?}");
    assert!(text.detail.contains("ICC-based gray, not pure K"), "{text:?}");
    assert!(text.detail.contains("RGB: ICCBased(3) 0.8 0 0 (p. 1)"), "{text:?}");
    let rgb = check(&report, "no RGB colour");
    assert!(
        !rgb.passed && rgb.detail.contains("ICCBased(3): colour space in the resources"),
        "{rgb:?}"
    );
    assert_eq!(report.colour_spaces, ["DeviceCMYK", "ICCBased(1)", "ICCBased(3)"]);
}

#[test]
fn text_in_form_inherits_colour_and_images_get_ppi_from_ctm() {
    let pdf = lopdf_pdf("0.5 g /Fm Do", |doc| {
        let font = embedded_font(doc, "FontFile2");
        let image = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 100, "Height" => 50,
                "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8,
            },
            vec![0; 15000],
        ));
        let form = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
                "Matrix" => vec![2.into(), 0.into(), 0.into(), 2.into(), 0.into(), 0.into()],
                "Resources" => dictionary! {
                    "Font" => dictionary! { "F1" => font },
                    "XObject" => dictionary! { "Im" => image },
                },
            },
            b"BT /F1 9 Tf (x) Tj ET q 36 0 0 36 0 0 cm /Im Do Q".to_vec(),
        ));
        dictionary! { "XObject" => dictionary! { "Fm" => form } }
    });
    let report = check_bytes(&pdf, "form.pdf", Profile::Print).expect("reads");
    assert_eq!(report.pages[0].text_fill_colours, ["DeviceGray 0.5"]);
    // 100 px over 36 pt × 2 (form matrix) = 1 inch → 100 ppi; 50 px → 50 ppi.
    assert_eq!((report.images[0].ppi_x, report.images[0].ppi_y), (100.0, 50.0));
    assert!(!check(&report, "images ≥ 150 ppi").passed);
    let rgb = check(&report, "no RGB colour");
    assert!(rgb.detail.contains("image 100×50 px"), "{rgb:?}");
    assert_eq!(report.pages[0].operators.Do, 2);
}

#[test]
fn jpeg_images_with_exif_are_reported_and_screen_files_are_named() {
    // SOI, APP1 "Exif", then SOS: a camera JPEG as Typst would pass it through.
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x08];
    jpeg.extend_from_slice(b"Exif\0\0");
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9]);
    let clean = vec![0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x02, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9];
    let pdf = lopdf_pdf(
        "BT /F1 9 Tf 0.84 0 0.06 rg (x) Tj ET q 72 0 0 72 0 0 cm /A Do Q q 72 0 0 72 0 0 cm /B Do Q",
        |doc| {
            let font = embedded_font(doc, "FontFile2");
            let image = |doc: &mut Document, data: Vec<u8>| {
                doc.add_object(Stream::new(
                    dictionary! {
                        "Type" => "XObject", "Subtype" => "Image", "Width" => 300, "Height" => 300,
                        "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "DCTDecode",
                    },
                    data,
                ))
            };
            let a = image(doc, jpeg.clone());
            let b = image(doc, clean.clone());
            dictionary! {
                "Font" => dictionary! { "F1" => font },
                "XObject" => dictionary! { "A" => a, "B" => b },
            }
        },
    );
    let report = check_bytes(&pdf, "screen.pdf", Profile::Print).expect("reads");
    assert_eq!(report.images.iter().map(|i| i.metadata).collect::<Vec<_>>(), [true, false]);
    let meta = check(&report, "image metadata");
    assert!(!meta.passed && meta.detail.contains("300×300 px (p. 1)"), "{meta:?}");
    // Red RGB text is listed as coloured text, and the file is named a screen file.
    let coloured = check(&report, "coloured text");
    assert!(coloured.detail.contains("0.84"), "{coloured:?}");
    let note = report.note.as_deref().expect("a note");
    assert!(note.contains("screen file") && note.contains("--profile print"), "{note}");
    assert!(report.to_human().contains("carries metadata"));
}

#[test]
fn pdfx_claim_without_intent_fails_and_pdfa_claim_is_read() {
    let mut doc =
        Document::load_mem(&lopdf_pdf("BT /F1 9 Tf (x) Tj ET", font_only)).expect("reads");
    let xmp = r#"<x:xmpmeta><rdf:RDF><rdf:Description pdfaid:part="2"
        pdfaid:conformance="B"/></rdf:RDF></x:xmpmeta>"#;
    let meta = doc.add_object(Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp.as_bytes().to_vec(),
    ));
    let info = doc.add_object(dictionary! {
        "GTS_PDFXVersion" => Object::string_literal("PDF/X-4"),
    });
    doc.trailer.set("Info", info);
    let catalog_id = doc.trailer.get(b"Root").and_then(Object::as_reference).expect("root");
    doc.get_dictionary_mut(catalog_id).expect("catalog").set("Metadata", meta);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("saves");

    let print = check_bytes(&bytes, "x.pdf", Profile::Print).expect("reads");
    assert_eq!(print.pdfx.as_deref(), Some("PDF/X-4"));
    assert!(!check(&print, "PDF/X claim").passed);
    let archive = check_bytes(&bytes, "x.pdf", Profile::Archive).expect("reads");
    assert_eq!(archive.pdfa.as_deref(), Some("2B"));
    assert!(archive.passed(), "{}", archive.to_human());
}

#[test]
fn archive_without_xmp_fails() {
    let report = check_file(Path::new(SPOT_FIXTURE), Profile::Archive).expect("reads");
    assert!(!check(&report, "PDF/A identification").passed);
    assert!(!report.passed());
}

#[test]
fn xmp_values_as_elements_and_attributes() {
    let element = "<pdfaid:part>3</pdfaid:part><pdfaid:conformance>u</pdfaid:conformance>";
    assert_eq!(pdfa_claim(element).as_deref(), Some("3U"));
    assert_eq!(pdfa_claim(r#"<d pdfaid:part = '4' />"#).as_deref(), Some("4"));
    assert_eq!(pdfa_claim(r#"<d xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"/>"#), None);
}

#[test]
fn decodes_escaped_utf8_names() {
    assert_eq!(decode_pdf_name("/#E7#BA#A2#E5#A4#B4"), "红头");
    assert_eq!(decode_pdf_name("PANTONE#20185#20C"), "PANTONE 185 C");
    assert_eq!(decode_pdf_name("/Bad#ZZ"), "Bad#ZZ");
    assert_eq!(name_to_string(&[0xB0, 0xA1]), "#B0#A1");
}

#[test]
fn malformed_input_is_an_error_not_a_panic() {
    assert!(check_bytes(b"not a pdf", "junk", Profile::Print).is_err());
    assert!(check_bytes(b"", "empty", Profile::Print).is_err());
    let whole = std::fs::read(SPOT_FIXTURE).expect("fixture");
    for cut in [10, whole.len() / 3, whole.len() / 2, whole.len() - 40] {
        let _ = check_bytes(&whole[..cut], "cut", Profile::Print);
    }
}

#[test]
fn broken_content_is_a_failed_check_keeping_what_came_before() {
    let pdf = lopdf_pdf("0 0 0 1 k BT /F1 9 Tf (ok) Tj ET 1 0 0 rg <<<< ]] (x) Tj", font_only);
    let report = check_bytes(&pdf, "broken.pdf", Profile::Print).expect("reads");
    let readable = check(&report, "content readable");
    assert!(!readable.passed && readable.detail.contains("cannot be parsed"), "{readable:?}");
    assert_eq!(report.pages[0].text_fill_colours, ["DeviceCMYK 0 0 0 1"]);
}

#[test]
fn self_painting_form_is_reported_not_looped() {
    let mut doc = Document::load_mem(&lopdf_pdf("/Fm Do", font_only)).expect("reads");
    let form_id = doc.new_object_id();
    let form = Stream::new(
        dictionary! {
            "Subtype" => "Form",
            "Resources" => dictionary! { "XObject" => dictionary! { "Fm" => form_id } },
        },
        b"/Fm Do".to_vec(),
    );
    doc.objects.insert(form_id, Object::Stream(form));
    let page_id = doc.page_iter().next().expect("page");
    let page = doc.get_dictionary_mut(page_id).expect("page dict");
    page.set("Resources", dictionary! { "XObject" => dictionary! { "Fm" => form_id } });
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("saves");
    let report = check_bytes(&bytes, "loop.pdf", Profile::Screen).expect("reads");
    let readable = check(&report, "content readable");
    assert!(!readable.passed && readable.detail.contains("paints itself"), "{readable:?}");
}

#[test]
fn json_uses_operator_names() {
    let report = check_file(Path::new(RGB_FIXTURE), Profile::Print).expect("reads");
    let json = serde_json::to_string_pretty(&[&report]).expect("serialises");
    assert!(json.contains("\"RG\": 0") && json.contains("\"rg\": 1"), "{json}");
    assert!(json.contains("\"severity\": \"error\"") && json.contains("\"profile\": \"print\""));
}

#[test]
fn page_ranges_are_compact() {
    let pages: BTreeSet<usize> = [1, 2, 3, 5].into();
    assert_eq!(page_ranges(&pages), "pp. 1–3, 5");
    assert_eq!(paper_name(297.0, 210.0).as_deref(), Some("A4 landscape"));
}
