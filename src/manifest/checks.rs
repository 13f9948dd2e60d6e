//! Checks of what an article says about itself: its county against the gazetteer of
//! county-level divisions, how its body was split into paragraphs, and the editorial
//! lint of its text.

use super::read::{ParagraphRule, RawManifest};
use super::yaml::PLACEHOLDERS;
use crate::diag::{Diagnostic, SourceText};
use crate::gazetteer::{Gazetteer, to_simplified};
use crate::lint;
use crate::manifest::Article;

/// Every article's `county` must be a county-level division in the gazetteer, or a name
/// declared under `groupings`.
pub fn counties(raw: &RawManifest, source: &SourceText, diags: &mut Vec<Diagnostic>) {
    let g = Gazetteer::get();
    let declared: Vec<&str> = raw.groupings.iter().map(|l| l.value.as_str()).collect();
    let known = |name: &str| declared.contains(&name) || !g.lookup(name).is_empty();
    // Prefectures of the counties that are right, to prefer their neighbours in "did you mean".
    let prefectures: Vec<String> = raw
        .articles
        .iter()
        .flat_map(|a| g.lookup(&a.county.value))
        .map(|c| c.prefecture.clone())
        .collect();
    for a in &raw.articles {
        let name = a.county.value.trim();
        if known(name) || PLACEHOLDERS.contains(&name) {
            continue;
        }
        let mut hint = match suggest(g, name, &prefectures, &declared) {
            Some(best) => format!("did you mean `{best}`? "),
            None => String::new(),
        };
        hint.push_str(&format!(
            "if it is not a county-level division but a grouping (a city, a 片区), declare it at the top of the manifest: `groupings: [{name}]`"
        ));
        diags.push(
            Diagnostic::error(format!("`{name}` is not a county-level division"))
                .at(source, a.county.span.clone())
                .hint(hint),
        );
    }
}

/// The likeliest intended name: one character different, preferring a county of the
/// manifest's own prefectures, then declared groupings.
pub fn suggest(
    g: &Gazetteer,
    name: &str,
    prefectures: &[String],
    declared: &[&str],
) -> Option<String> {
    let name = to_simplified(name);
    let limit = if name.chars().count() <= 4 { 1 } else { 2 };
    let mut best: Option<(usize, bool, String)> = None;
    let candidates = g
        .counties()
        .iter()
        .map(|c| (c.name.as_str(), prefectures.contains(&c.prefecture)))
        .chain(declared.iter().map(|d| (*d, true)));
    for (cand, near) in candidates {
        let d = strsim::damerau_levenshtein(&name, cand);
        if d == 0 || d > limit {
            continue;
        }
        let better = match &best {
            None => true,
            Some((bd, bnear, _)) => (d, !near) < (*bd, !*bnear),
        };
        if better {
            best = Some((d, near, cand.to_string()));
        }
    }
    best.map(|(_, _, n)| n)
}

/// Says when the rule for bodies without blank lines decided the paragraphs.
pub fn paragraph_rules(raw: &RawManifest, source: &SourceText, diags: &mut Vec<Diagnostic>) {
    for a in &raw.articles {
        let (message, hint) = match a.paragraph_rule {
            None => continue,
            Some(ParagraphRule::LinePerParagraph(n)) => (
                format!(
                    "the body of article `{}` has line breaks but no blank lines: each line is taken as a paragraph ({n} paragraphs)",
                    a.article.id
                ),
                "separate paragraphs with a blank line to say so explicitly",
            ),
            Some(ParagraphRule::UnfoldedLinePerParagraph(n)) => (
                format!(
                    "the body of article `{}` is not written with `|`: each of its lines is taken as a paragraph ({n} paragraphs)",
                    a.article.id
                ),
                "write `body: |` and put the text on the lines below it, paragraphs separated by a blank line",
            ),
        };
        // A block scalar's span runs on to the next key; point at the text only.
        let span = a.body.span.clone();
        let end = span.start + source.text[span.clone()].trim_end().len();
        diags.push(Diagnostic::warning(message).at(source, span.start..end).hint(hint));
    }
}

/// The editorial warnings for one article ([`crate::lint`]); `id` and `body` are the spans of its
/// `id` and `body` values in the manifest.
pub fn lint(
    a: &Article,
    id: std::ops::Range<usize>,
    body: std::ops::Range<usize>,
    source: &SourceText,
) -> Vec<Diagnostic> {
    let span = body;
    let mut out = Vec::new();
    for p in &a.paragraphs {
        let clean = crate::normalize::normalize(p).text;
        for f in lint::paragraph(&clean) {
            out.push(
                Diagnostic::warning(format!("article `{}`: {}", a.id, f.message))
                    .at(source, lint::locate(source, &span, &clean, f.at))
                    .hint(f.hint),
            );
        }
    }
    for c in &a.captions {
        let clean = crate::normalize::normalize(c).text;
        for f in lint::paragraph(&clean) {
            out.push(
                Diagnostic::warning(format!("article `{}`, caption: {}", a.id, f.message))
                    .at(source, id.clone())
                    .hint(f.hint),
            );
        }
    }
    let last = a.paragraphs.last().map(|p| crate::normalize::normalize(p).text).unwrap_or_default();
    let tail: String = {
        let cs: Vec<char> = last.chars().collect();
        cs[cs.len().saturating_sub(12)..].iter().collect()
    };
    if a.truncated && !a.excerpt {
        out.push(
            Diagnostic::warning(format!(
                "article `{}` is cut off in its source (`truncated: true`) and would print as if complete",
                a.id
            ))
            .at(source, id)
            .hint("end the body at its last full sentence and add `excerpt: true` (prints （节选）), or complete the text"),
        );
    }
    if !last.is_empty() && !lint::ends_sentence(&last) {
        out.push(
            Diagnostic::warning(format!("article `{}` ends mid-sentence: …{tail}", a.id))
                .at(source, lint::locate(source, &span, &last, last.chars().count()))
                .hint("end the article at a full sentence (。！？); if it is cut, add `excerpt: true`"),
        );
    }
    out
}
