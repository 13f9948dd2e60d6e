//! Checks across fields: unique ids, figure references, quotes and values, source files.
//!
//! Every check runs even when an earlier one failed, so one `jianbao check` lists
//! everything that needs fixing.

use std::collections::HashMap;
use std::path::Path;

use crate::fs::folder_name;

use super::model::*;
use super::read::RawManifest;
use crate::diag::{Diagnostic, SourceText};

/// Validates a manifest as read; returns it when every check passes.
pub fn validate(
    raw: RawManifest,
    source: &SourceText,
    path: &Path,
    (dir, root): (&Path, &Path),
    known: &crate::manifest::known::Known,
    diags: &mut Vec<Diagnostic>,
) -> Option<Manifest> {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, a) in raw.articles.iter().enumerate() {
        if let Some(&first) = ids.get(a.id.value.as_str()) {
            let (line, _) = source.line_col(raw.articles[first].id.span.start);
            diags.push(
                Diagnostic::error(format!("duplicate article id `{}`", a.id.value))
                    .at(source, a.id.span.clone())
                    .hint(format!("the id is already used on line {line}; ids must be unique")),
            );
        } else {
            ids.insert(&a.id.value, i);
        }
    }

    let mut source_cache: HashMap<String, Result<usize, String>> = HashMap::new();
    for a in &raw.articles {
        check_source(a, source, (dir, root), &mut source_cache, diags);
        diags.extend(super::checks::lint(
            &a.article,
            a.id.span.clone(),
            a.body.span.clone(),
            source,
        ));
    }
    super::checks::counties(&raw, source, diags);
    super::checks::paragraph_rules(&raw, source, diags);

    let base = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let base = base.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut photos: Vec<Vec<Photo>> = raw
        .articles
        .iter()
        .map(|a| super::probe::check_all(&a.photos, source, &base, root, known, diags))
        .collect();

    let mut figures = Vec::new();
    for fig in &raw.figures {
        let Some(&index) = ids.get(fig.article.value.as_str()) else {
            if raw.broken_ids.contains(&fig.article.value) {
                // The article is already reported; don't report its figures again.
                continue;
            }
            let known: Vec<&str> = raw.articles.iter().map(|a| a.id.value.as_str()).collect();
            let hint = match super::yaml::closest(&fig.article.value, &known) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "use the `id` of one of the articles".to_string(),
            };
            diags.push(
                Diagnostic::error(format!(
                    "figure refers to article `{}`, which does not exist",
                    fig.article.value
                ))
                .at(source, fig.article.span.clone())
                .hint(hint),
            );
            continue;
        };
        let article = &raw.articles[index].article;
        let quote = crate::normalize::join_lines(&fig.quote.value);
        let in_body = article.paragraphs.iter().any(|p| p.contains(&quote));
        if !in_body {
            let norm = |s: &str| crate::normalize::normalize(s).text;
            let hint = if article.paragraphs.iter().any(|p| norm(p).contains(&norm(&quote))) {
                "the quote differs from the body only in punctuation or spaces; copy it from the body exactly"
                    .to_string()
            } else {
                format!(
                    "copy the sentence fragment exactly from the body of article `{}`",
                    article.id
                )
            };
            diags.push(
                Diagnostic::error(format!(
                    "quote not found in the body of article `{}`",
                    article.id
                ))
                .at(source, fig.quote.span.clone())
                .hint(hint),
            );
        }
        if let Err(says) = super::figures::check_value(&fig.value.value, &fig.unit, &quote) {
            diags.push(
                Diagnostic::error(format!(
                    "value \"{}\" does not match its quote",
                    fig.value.value
                ))
                .at(source, fig.value.span.clone())
                .hint(says),
            );
        }
        figures.push(Figure {
            article: index,
            label: fig.label.clone(),
            value: fig.value.value.clone(),
            unit: fig.unit.clone(),
            quote,
            compare: fig.compare.as_ref().map(|c| c.value.clone()),
            chart: fig.chart,
        });
    }
    compare_keys(&raw.figures, source, diags);

    Some(Manifest {
        path: path.to_path_buf(),
        dir: dir.to_path_buf(),
        root: root.to_path_buf(),
        groupings: raw.groupings.iter().map(|g| g.value.clone()).collect(),
        source: source.clone(),
        briefing: raw.briefing,
        style: raw.style,
        themes: raw.themes,
        print: raw.print,
        articles: raw
            .articles
            .into_iter()
            .zip(photos.iter_mut())
            .map(|(a, p)| Article { photos: std::mem::take(p), ..a.article })
            .collect(),
        figures,
        outputs: raw.outputs,
        proof: false,
    })
}

/// Figures sharing a `compare:` key must share a unit; a key no other figure has
/// draws no chart, which is worth a warning.
fn compare_keys(
    figures: &[super::read::RawFigure],
    source: &SourceText,
    diags: &mut Vec<Diagnostic>,
) {
    for (i, f) in figures.iter().enumerate() {
        let Some(key) = &f.compare else { continue };
        let same: Vec<&super::read::RawFigure> = figures
            .iter()
            .filter(|g| g.compare.as_ref().is_some_and(|k| k.value == key.value))
            .collect();
        let first = same.first().is_some_and(|g| std::ptr::eq(*g, &figures[i]));
        if let Some(other) = same.iter().find(|g| g.unit != f.unit)
            && !std::ptr::eq(*other, f)
            && first
        {
            diags.push(
                Diagnostic::error(format!(
                    "figures compared as `{}` have different units ({} and {})",
                    key.value, f.unit, other.unit
                ))
                .at(source, key.span.clone())
                .hint("only figures that count the same thing in the same unit can share a `compare:` key"),
            );
        }
        if same.len() == 1 {
            diags.push(
                Diagnostic::warning(format!(
                    "no other figure has `compare: {}`, so no chart is drawn for it",
                    key.value
                ))
                .at(source, key.span.clone())
                .hint("give the same `compare:` key to the figures one chart should compare"),
            );
        }
    }
}

fn check_source(
    a: &super::read::RawArticle,
    source: &SourceText,
    (dir, root): (&Path, &Path),
    cache: &mut HashMap<String, Result<usize, String>>,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(file_node) = &a.file else { return };
    let file = &file_node.value;
    let lines = cache.entry(file.clone()).or_insert_with(|| count_lines(dir, root, file)).clone();
    let hint = if dir == root {
        "`source.file` is relative to the manifest's folder and must stay inside it".to_string()
    } else {
        format!(
            "`source.file` is relative to the manifest's folder and must stay inside {} (`--root`)",
            folder_name(root)
        )
    };
    match lines {
        Err(message) => {
            diags.push(Diagnostic::error(message).at(source, file_node.span.clone()).hint(hint))
        }
        Ok(count) => {
            if let Some(lines) = &a.lines {
                let (first, last) = lines.value;
                if last as usize > count {
                    diags.push(
                        Diagnostic::error(format!(
                            "line range [{first}, {last}] goes past the end of {file}, which has {count} lines"
                        ))
                        .at(source, lines.span.clone())
                        .hint("check `source.lines` against the file"),
                    );
                }
            }
        }
    }
}

/// Resolves a source path inside the root and counts its lines, refusing anything that
/// leaves the root (absolute paths, `..`, symlinks pointing outside).
fn count_lines(dir: &Path, root: &Path, file: &str) -> Result<usize, String> {
    let resolved = resolve_inside(dir, root, file)?;
    let bytes =
        std::fs::read(&resolved).map_err(|e| format!("cannot read source file `{file}`: {e}"))?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(text.lines().count())
}

/// Resolves a source path inside the root ([`crate::fs::resolve_inside`]), or says why not.
pub fn resolve_inside(dir: &Path, root: &Path, file: &str) -> Result<std::path::PathBuf, String> {
    use crate::fs::Refused;
    crate::fs::resolve_inside(dir, root, file).map_err(|why| match why {
        Refused::Absolute => {
            format!("source file `{file}` is an absolute path, which is not allowed")
        }
        Refused::Drive => format!("source file `{file}` names a drive, which is not allowed"),
        Refused::Leaves => {
            format!("source file `{file}` leaves the project folder {}", folder_name(root))
        }
        Refused::LinkLeaves => format!(
            "source file `{file}` is a link that leaves the project folder {}",
            folder_name(root)
        ),
        Refused::Missing => {
            format!("source file `{file}` does not exist in {}", folder_name(dir))
        }
        Refused::NotAFile => format!("source `{file}` is not a file"),
    })
}
