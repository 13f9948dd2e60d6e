//! Page-box geometry: containment with a tolerance, rounding, margins in millimetres and
//! the paper size a page matches.

/// Slack when comparing page boxes, in points.
pub(super) const BOX_TOLERANCE: f64 = 0.01;

pub(super) fn contains(outer: &[f64; 4], inner: &[f64; 4]) -> bool {
    inner[0] >= outer[0] - BOX_TOLERANCE
        && inner[1] >= outer[1] - BOX_TOLERANCE
        && inner[2] <= outer[2] + BOX_TOLERANCE
        && inner[3] <= outer[3] + BOX_TOLERANCE
}

pub(super) fn same_box(a: &[f64; 4], b: &[f64; 4]) -> bool {
    contains(a, b) && contains(b, a)
}

pub(super) fn round_to(v: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (v * scale).round() / scale
}

pub(super) fn round_box(b: [f64; 4]) -> [f64; 4] {
    b.map(|v| round_to(v, 3))
}

/// The smallest distance between the edges of `outer` and `inner`, in millimetres.
pub(super) fn min_margin(outer: &[f64; 4], inner: &[f64; 4]) -> f64 {
    let margins =
        [inner[0] - outer[0], inner[1] - outer[1], outer[2] - inner[2], outer[3] - inner[3]];
    margins.iter().copied().fold(f64::INFINITY, f64::min) / 72.0 * 25.4
}

/// The paper size matching `w` × `h` millimetres within 1 mm, either way round.
pub(super) fn paper_name(w: f64, h: f64) -> Option<String> {
    const SIZES: [(&str, f64, f64); 10] = [
        ("A3", 297.0, 420.0),
        ("A4", 210.0, 297.0),
        ("A5", 148.0, 210.0),
        ("B5", 176.0, 250.0),
        ("JIS B5", 182.0, 257.0),
        ("16开", 185.0, 260.0),
        ("大16开", 210.0, 285.0),
        ("8开", 260.0, 370.0),
        ("Letter", 215.9, 279.4),
        ("Legal", 215.9, 355.6),
    ];
    let close = |a: f64, b: f64| (a - b).abs() <= 1.0;
    SIZES.iter().find_map(|(name, pw, ph)| {
        if close(w, *pw) && close(h, *ph) {
            Some((*name).to_owned())
        } else if close(w, *ph) && close(h, *pw) {
            Some(format!("{name} landscape"))
        } else {
            None
        }
    })
}
