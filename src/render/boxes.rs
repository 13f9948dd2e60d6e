//! Page boxes for print files: a TrimBox (the finished A4) and a BleedBox (trim plus
//! bleed) on every page, added as a PDF incremental update so Typst's bytes stay as
//! they are. Typst writes a TrimBox only when there is bleed and never a BleedBox.

use lopdf::{Document, IncrementalDocument, Object};

const MM: f64 = 72.0 / 25.4;

/// Adds `/TrimBox` (the MediaBox inset by `outside_bleed_mm`, the space for crop marks)
/// and `/BleedBox` (the TrimBox plus `bleed_mm`) to every page.
pub fn declare(pdf: &[u8], marks_mm: f64, bleed_mm: f64) -> Result<Vec<u8>, String> {
    let doc = Document::load_mem(pdf).map_err(|e| e.to_string())?;
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    let mut inc = IncrementalDocument::create_from(pdf.to_vec(), doc);
    for page in pages {
        let media = {
            let dict = inc.get_prev_documents().get_dictionary(page).map_err(|e| e.to_string())?;
            let boxed = dict.get(b"MediaBox").map_err(|e| e.to_string())?;
            let numbers: Vec<f64> = boxed
                .as_array()
                .map_err(|e| e.to_string())?
                .iter()
                .filter_map(|o| {
                    o.as_float().ok().map(f64::from).or_else(|| o.as_i64().ok().map(|i| i as f64))
                })
                .collect();
            <[f64; 4]>::try_from(numbers)
                .map_err(|_| "a MediaBox that is not four numbers".to_string())?
        };
        let inset = marks_mm * MM + bleed_mm * MM;
        let trim = [media[0] + inset, media[1] + inset, media[2] - inset, media[3] - inset];
        let out = bleed_mm * MM;
        let bleed = [trim[0] - out, trim[1] - out, trim[2] + out, trim[3] + out];
        inc.opt_clone_object_to_new_document(page).map_err(|e| e.to_string())?;
        let dict = inc
            .new_document
            .get_object_mut(page)
            .and_then(Object::as_dict_mut)
            .map_err(|e| e.to_string())?;
        dict.set("TrimBox", rect(trim));
        dict.set("BleedBox", rect(bleed));
    }
    let mut out = Vec::with_capacity(pdf.len() + 4096);
    inc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

fn rect(r: [f64; 4]) -> Object {
    // Rounded to 1/1000 pt so the bytes do not depend on float formatting noise.
    Object::Array(r.iter().map(|v| Object::Real(((v * 1000.0).round() / 1000.0) as f32)).collect())
}
