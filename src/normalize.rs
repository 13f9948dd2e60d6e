//! Chinese text hygiene before typesetting (placeholder until the full normalizer lands).

/// One change made by the normalizer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Byte offset in the input.
    pub byte_offset: usize,
    /// Text before.
    pub from: String,
    /// Text after.
    pub to: String,
}

/// Result of normalizing one string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    /// What changed.
    pub changes: Vec<Change>,
}

/// Normalizes one string.
pub fn normalize(input: &str) -> Normalized {
    Normalized { text: input.trim().to_string(), changes: Vec::new() }
}

/// Joins the lines of a paragraph.
pub fn join_lines(paragraph: &str) -> String {
    paragraph.lines().map(str::trim).collect::<Vec<_>>().join("")
}
