//! Checks across fields: unique ids, figure references, quotes and values, source files.
//!
//! Every check runs even when an earlier one failed, so one `jianbao check` lists
//! everything that needs fixing.

use std::collections::HashMap;
use std::path::{Component, Path};

use super::model::*;
use super::read::RawManifest;
use crate::diag::{Diagnostic, SourceText};

/// Validates a manifest as read; returns it when every check passes.
pub fn validate(
    raw: RawManifest,
    source: &SourceText,
    path: &Path,
    root: &Path,
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
        check_source(a, source, root, &mut source_cache, diags);
        diags.extend(crate::lint::article(
            &a.article,
            a.id.span.clone(),
            a.body.span.clone(),
            source,
        ));
    }

    let mut figures = Vec::new();
    for fig in &raw.figures {
        let Some(&index) = ids.get(fig.article.value.as_str()) else {
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
        if !quote.contains(fig.value.value.as_str()) {
            diags.push(
                Diagnostic::error(format!(
                    "value \"{}\" does not appear in its quote",
                    fig.value.value
                ))
                .at(source, fig.value.span.clone())
                .hint(
                    "write the value exactly as the quote prints it, e.g. \"1300余\" for 1300余名",
                ),
            );
        }
        figures.push(Figure {
            article: index,
            label: fig.label.clone(),
            value: fig.value.value.clone(),
            unit: fig.unit.clone(),
            quote,
        });
    }

    Some(Manifest {
        path: path.to_path_buf(),
        root: root.to_path_buf(),
        source: source.clone(),
        briefing: raw.briefing,
        style: raw.style,
        themes: raw.themes,
        print: raw.print,
        articles: raw.articles.into_iter().map(|a| a.article).collect(),
        figures,
        outputs: raw.outputs,
    })
}

fn check_source(
    a: &super::read::RawArticle,
    source: &SourceText,
    root: &Path,
    cache: &mut HashMap<String, Result<usize, String>>,
    diags: &mut Vec<Diagnostic>,
) {
    let file = &a.file.value;
    let lines = cache.entry(file.clone()).or_insert_with(|| count_lines(root, file)).clone();
    match lines {
        Err(message) => diags.push(
            Diagnostic::error(message)
                .at(source, a.file.span.clone())
                .hint("`source.file` is relative to the manifest's folder and must stay inside it"),
        ),
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
fn count_lines(root: &Path, file: &str) -> Result<usize, String> {
    let resolved = resolve_inside(root, file)?;
    let bytes =
        std::fs::read(&resolved).map_err(|e| format!("cannot read source file `{file}`: {e}"))?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(text.lines().count())
}

/// Resolves `file` against `root` and checks the result stays inside `root`.
pub fn resolve_inside(root: &Path, file: &str) -> Result<std::path::PathBuf, String> {
    let rel = Path::new(file);
    if rel.is_absolute() || file.starts_with('/') || file.starts_with('\\') {
        return Err(format!("source file `{file}` is an absolute path, which is not allowed"));
    }
    if rel.components().any(|c| matches!(c, Component::ParentDir | Component::Prefix(_))) {
        return Err(format!(
            "source file `{file}` leaves the project folder (`..` is not allowed)"
        ));
    }
    let joined = root.join(rel);
    let canonical = joined.canonicalize().map_err(|_| {
        format!("source file `{file}` does not exist in {}", crate::display_path(root))
    })?;
    if !canonical.starts_with(root) {
        return Err(format!("source file `{file}` is a link that leaves the project folder"));
    }
    if !canonical.is_file() {
        return Err(format!("source `{file}` is not a file"));
    }
    Ok(canonical)
}
