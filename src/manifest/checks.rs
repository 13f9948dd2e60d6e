//! Checks of what an article says about itself: its county against the gazetteer of
//! county-level divisions, and how its body was split into paragraphs.

use super::read::{ParagraphRule, RawManifest};
use super::yaml::PLACEHOLDERS;
use crate::diag::{Diagnostic, SourceText};
use crate::gazetteer::{Gazetteer, to_simplified};

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
