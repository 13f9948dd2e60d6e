//! Planning: a validated manifest and its `outputs` become an ordered list of [`Job`]s.
//!
//! Each job is one PDF: which articles it holds, its file name and masthead title
//! (rendered from the manifest's minijinja patterns, sandboxed), and its editor's note.
//! Planning also catches patterns that fail, produce unsafe file names, or make two
//! outputs collide.

use std::collections::HashMap;

use minijinja::{Environment, UndefinedBehavior, Value, context};

use crate::diag::Diagnostic;
use crate::manifest::{Located, Manifest, OutputKind};

/// What grouping a job is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "lowercase")]
pub enum JobKind {
    /// The whole issue.
    Issue,
    /// One county.
    County(String),
    /// One theme.
    Theme(String),
    /// A named selection.
    Select(String),
}

impl JobKind {
    /// `issue`, `county`, `theme` or `select`: the one place a kind becomes a string.
    pub fn as_str(&self) -> &'static str {
        match self {
            JobKind::Issue => "issue",
            JobKind::County(_) => "county",
            JobKind::Theme(_) => "theme",
            JobKind::Select(_) => "select",
        }
    }

    /// The county, theme or selection name (none for the issue).
    pub fn name(&self) -> Option<&str> {
        match self {
            JobKind::Issue => None,
            JobKind::County(n) | JobKind::Theme(n) | JobKind::Select(n) => Some(n),
        }
    }
}

/// One document to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// What grouping this is.
    pub kind: JobKind,
    /// File name inside the output directory (no folders).
    pub file_name: String,
    /// Masthead title.
    pub title: String,
    /// Line under the masthead naming the grouping (e.g. 盐湖区专辑), if any.
    pub subtitle: Option<String>,
    /// Indices into the manifest's articles, in manifest order.
    pub articles: Vec<usize>,
    /// Rendered editor's note.
    pub editor_note: Option<String>,
    /// The 期号 line the output asks for (`number_line`), if any.
    pub number_line: Option<String>,
    /// Where the output's `file` pattern is in the manifest.
    pub file_span: std::ops::Range<usize>,
}

/// Longest output file name we accept, in bytes (most file systems allow 255).
const MAX_FILE_NAME: usize = 200;

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // Strict: a misspelled variable is an error, not an empty string.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Bound the work a pattern can do (loops, recursion); there is no loader, so
    // `include`/`import` cannot read files, and minijinja has no I/O of its own.
    env.set_fuel(Some(50_000));
    env.set_recursion_limit(32);
    env
}

/// Where an output entry lists `name` (a theme, county or article id; its file pattern
/// when it is not listed).
fn listed_span(spec: &crate::manifest::OutputSpec, name: &str) -> std::ops::Range<usize> {
    spec.listed.iter().find(|l| l.value == name).map_or(spec.file.span.clone(), |l| l.span.clone())
}

/// A selection's counties and themes that no article has: a name that is not a county
/// at all is an error (it would silently drop that county's articles); a real county
/// or a theme with no article this time is a warning.
fn select_names(
    m: &Manifest,
    spec: &crate::manifest::OutputSpec,
    name: &str,
    counties: &[String],
    themes: &[String],
    diags: &mut Vec<Diagnostic>,
) {
    let used = m.counties();
    let gazetteer = crate::gazetteer::Gazetteer::get();
    for c in counties.iter().filter(|c| !used.contains(&c.as_str())) {
        let real = m.groupings.contains(c) || !gazetteer.lookup(c).is_empty();
        let prefectures: Vec<String> =
            used.iter().flat_map(|u| gazetteer.lookup(u)).map(|x| x.prefecture.clone()).collect();
        let mut declared: Vec<&str> = m.groupings.iter().map(String::as_str).collect();
        declared.extend(&used);
        let closest = crate::manifest::checks::suggest(gazetteer, c, &prefectures, &declared);
        let list = format!("counties of this issue: {}", used.join("、"));
        let hint = match closest {
            Some(best) => format!("did you mean `{best}`? {list}"),
            None => list,
        };
        let d = if real {
            Diagnostic::warning(format!(
                "selection `{name}` names county `{c}`, which no article has this time"
            ))
        } else {
            Diagnostic::error(format!(
                "selection `{name}` names `{c}`, which is not a county-level division and no article has"
            ))
        };
        diags.push(d.at(&m.source, listed_span(spec, c)).hint(hint));
    }
    let used = m.used_themes();
    for t in themes.iter().filter(|t| !used.contains(&t.as_str())) {
        let hint = match crate::manifest::yaml::closest(t, &used) {
            Some(best) => format!("did you mean `{best}`? themes used: {}", used.join("、")),
            None => format!("themes used by articles: {}", used.join("、")),
        };
        diags.push(
            Diagnostic::warning(format!(
                "selection `{name}` names theme `{t}`, which no article has this time"
            ))
            .at(&m.source, listed_span(spec, t))
            .hint(hint),
        );
    }
}

/// Expands the outputs into jobs; every problem becomes a diagnostic.
pub fn plan(m: &Manifest) -> (Vec<Job>, Vec<Diagnostic>) {
    let env = environment();
    let mut diags = Vec::new();
    let mut jobs: Vec<(Job, &Located<String>)> = Vec::new();
    let counties = m.counties();
    let themes = m.used_themes();

    for spec in &m.outputs {
        let mut groups: Vec<(JobKind, Vec<usize>)> = Vec::new();
        let all = || (0..m.articles.len()).collect::<Vec<_>>();
        match &spec.kind {
            OutputKind::Issue => groups.push((JobKind::Issue, all())),
            OutputKind::County => {
                for c in &counties {
                    let arts = all().into_iter().filter(|&i| m.articles[i].county == *c).collect();
                    groups.push((JobKind::County((*c).to_string()), arts));
                }
            }
            OutputKind::Theme(list) => {
                let list: Vec<String> = if list.is_empty() {
                    themes.iter().map(|t| (*t).to_string()).collect()
                } else {
                    list.clone()
                };
                for t in list {
                    let arts: Vec<usize> =
                        all().into_iter().filter(|&i| m.articles[i].themes.contains(&t)).collect();
                    if arts.is_empty() {
                        let hint = match crate::manifest::yaml::closest(&t, &themes) {
                            Some(best) => {
                                format!("did you mean `{best}`? themes used: {}", themes.join("、"))
                            }
                            None => format!(
                                "no document is made for it this time; themes used by articles: {}",
                                themes.join("、")
                            ),
                        };
                        diags.push(
                            Diagnostic::warning(format!(
                                "no article has the theme `{t}`; its document is skipped"
                            ))
                            .at(&m.source, listed_span(spec, &t))
                            .hint(hint),
                        );
                        continue;
                    }
                    groups.push((JobKind::Theme(t), arts));
                }
            }
            OutputKind::Select { name, counties: cs, themes: ts, articles: ids } => {
                select_names(m, spec, name, cs, ts, &mut diags);
                for id in ids {
                    if !m.articles.iter().any(|a| &a.id == id) {
                        diags.push(
                            Diagnostic::error(format!(
                                "selection `{name}` names article `{id}`, which does not exist"
                            ))
                            .at(&m.source, listed_span(spec, id))
                            .hint(article_hint(m, id)),
                        );
                    }
                }
                let arts: Vec<usize> = all()
                    .into_iter()
                    .filter(|&i| {
                        let a = &m.articles[i];
                        cs.contains(&a.county)
                            || ids.contains(&a.id)
                            || a.themes.iter().any(|t| ts.contains(t))
                    })
                    .collect();
                if arts.is_empty() {
                    diags.push(
                        Diagnostic::error(format!("selection `{name}` matches no article"))
                            .at(&m.source, spec.file.span.clone())
                            .hint("list `counties`, `themes` or `articles` that exist in the manifest"),
                    );
                    continue;
                }
                groups.push((JobKind::Select(name.clone()), arts));
            }
        }

        for (kind, articles) in groups {
            let ctx = pattern_context(m, &kind);
            // Every pattern is rendered before giving up on the job, so a failing file
            // pattern does not hide a failing title or editor's note.
            let file = render(&env, &spec.file, ctx.clone(), m, &mut diags);
            let title = match &spec.title {
                Some(t) => render(&env, t, ctx.clone(), m, &mut diags),
                None => Some(m.briefing.title.clone()),
            };
            let editor_note = match &m.briefing.editor_note {
                Some(note) => {
                    let ctx = note_context(m, &kind, &articles);
                    render(&env, note, ctx, m, &mut diags).map(Some)
                }
                None => Some(None),
            };
            let number_line = match &spec.number_line {
                Some(t) => render(&env, t, ctx.clone(), m, &mut diags).map(Some),
                None => Some(None),
            };
            let (Some(file), Some(title), Some(editor_note), Some(number_line)) =
                (file, title, editor_note, number_line)
            else {
                continue;
            };
            let file_name = match check_file_name(&file) {
                Ok(f) => f,
                Err(why) => {
                    diags.push(
                        Diagnostic::error(format!("output file name \"{file}\" {why}"))
                            .at(&m.source, spec.file.span.clone())
                            .hint("the pattern must give a plain file name, e.g. \"{{ county }}-第{{ number }}期.pdf\""),
                    );
                    continue;
                }
            };
            let subtitle = match &kind {
                JobKind::Issue => None,
                JobKind::County(c) => Some(format!("{c}专辑")),
                JobKind::Theme(t) => Some(format!("专题：{t}")),
                JobKind::Select(n) => Some(n.clone()),
            };
            jobs.push((
                Job {
                    kind,
                    file_name,
                    title,
                    subtitle,
                    articles,
                    editor_note,
                    number_line,
                    file_span: spec.file.span.clone(),
                },
                &spec.file,
            ));
        }
    }

    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, (job, pattern)) in jobs.iter().enumerate() {
        let key = job.file_name.to_lowercase();
        if let Some(&first) = seen.get(&key) {
            let other = &jobs[first].0;
            diags.push(
                Diagnostic::error(format!(
                    "two outputs would both be written to \"{}\" ({} and {})",
                    job.file_name,
                    describe(&other.kind),
                    describe(&job.kind)
                ))
                .at(&m.source, pattern.span.clone())
                .hint("put `{{ county }}`, `{{ theme }}` or `{{ name }}` in the file name pattern"),
            );
        } else {
            seen.insert(key, i);
        }
    }
    (jobs.into_iter().map(|(j, _)| j).collect(), diags)
}

/// Turns a build into proofs (`build --proof`): the manifest says so to the templates
/// (editing notes show, every page is marked as a proof), and each file is named
/// NAME-proof.pdf, so a proof never replaces the release file.
pub fn make_proofs(m: &mut Manifest, jobs: &mut [Job], proof: bool) {
    m.proof = proof;
    if proof {
        for job in jobs {
            let stem = job.file_name.strip_suffix(".pdf").unwrap_or(&job.file_name);
            job.file_name = format!("{stem}-proof.pdf");
        }
    }
}

/// Final file names that collide once the profiles' `-print` / `-archive` suffixes are
/// added (compared case-folded, as on Windows and macOS): `a.pdf` in print and a pattern
/// giving `a-print.pdf` in screen would both write `a-print.pdf`.
pub fn profile_collisions(
    m: &Manifest,
    jobs: &[Job],
    profiles: &[crate::profile::Profile],
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut seen: HashMap<String, (usize, crate::profile::Profile)> = HashMap::new();
    for &profile in profiles {
        for (i, job) in jobs.iter().enumerate() {
            let name = crate::profile::file_name(&job.file_name, profile);
            match seen.get(&name.to_lowercase()) {
                Some(&(first, first_profile)) => {
                    if first == i && first_profile == profile {
                        continue;
                    }
                    diags.push(
                        Diagnostic::error(format!(
                            "two outputs would both be written to \"{name}\" ({} in profile {} and {} in profile {})",
                            describe(&jobs[first].kind),
                            first_profile.name(),
                            describe(&job.kind),
                            profile.name()
                        ))
                        .at(&m.source, job.file_span.clone())
                        .hint("print and archive files get `-print` / `-archive` before `.pdf`; choose file names that do not end that way"),
                    );
                }
                None => {
                    seen.insert(name.to_lowercase(), (i, profile));
                }
            }
        }
    }
    diags
}

/// "did you mean" the closest article id, and the ids there are.
fn article_hint(m: &Manifest, id: &str) -> String {
    let ids: Vec<&str> = m.articles.iter().map(|a| a.id.as_str()).collect();
    let list = format!("article ids: {}", ids.join(", "));
    match crate::manifest::yaml::closest(id, &ids) {
        Some(best) => format!("did you mean `{best}`? {list}"),
        None => list,
    }
}

fn describe(kind: &JobKind) -> String {
    match kind {
        JobKind::Issue => "the whole issue".into(),
        JobKind::County(c) => format!("county {c}"),
        JobKind::Theme(t) => format!("theme {t}"),
        JobKind::Select(n) => format!("selection {n}"),
    }
}

fn render(
    env: &Environment,
    pattern: &Located<String>,
    ctx: Value,
    m: &Manifest,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    match env.render_str(&pattern.value, ctx.clone()) {
        Ok(s) => Some(s),
        Err(err) => {
            let mut message = err.kind().to_string();
            if let Some(detail) = err.detail() {
                message = format!("{message}: {detail}");
            }
            // Name the variable when an undefined one is the cause, with the closest known.
            let known: Vec<String> =
                ctx.try_iter().map(|it| it.map(|k| k.to_string()).collect()).unwrap_or_default();
            let known_refs: Vec<&str> = known.iter().map(String::as_str).collect();
            let mut hint = format!("available: {}", known.join(", "));
            if err.kind() == minijinja::ErrorKind::UnknownFilter {
                let name = unknown_filter(err.detail(), &pattern.value);
                message = match &name {
                    Some(name) => format!("unknown filter `{name}`"),
                    None => "unknown filter".to_string(),
                };
                let list = format!("filters: {}", FILTERS.join(", "));
                hint = match name.and_then(|n| crate::manifest::yaml::closest(&n, FILTERS)) {
                    Some(best) => format!("did you mean `{best}`? {list}"),
                    None => list,
                };
            }
            if err.kind() == minijinja::ErrorKind::UndefinedError {
                let template = env.template_from_str(&pattern.value).ok();
                let names = template.map(|t| t.undeclared_variables(false)).unwrap_or_default();
                let mut names: Vec<&String> = names.iter().filter(|n| !known.contains(n)).collect();
                names.sort();
                if let Some(name) = names.first() {
                    message = format!("unknown variable `{name}`");
                    if let Some(best) = crate::manifest::yaml::closest(name, &known_refs) {
                        hint = format!("did you mean `{best}`? {hint}");
                    }
                }
            }
            let d = Diagnostic::error(format!("template failed: {message}"))
                .at(&m.source, pattern.span.clone())
                .hint(hint);
            if !diags.iter().any(|x| x.message == d.message && x.span == d.span) {
                diags.push(d);
            }
            None
        }
    }
}

/// minijinja's built-in filters, for the hint on a misspelt one (a unit test checks
/// each is known to the minijinja we link).
const FILTERS: &[&str] = &[
    "abs",
    "attr",
    "batch",
    "bool",
    "capitalize",
    "chain",
    "count",
    "d",
    "default",
    "dictsort",
    "e",
    "escape",
    "first",
    "float",
    "format",
    "groupby",
    "indent",
    "int",
    "items",
    "join",
    "last",
    "length",
    "lines",
    "list",
    "lower",
    "map",
    "max",
    "min",
    "pprint",
    "reject",
    "rejectattr",
    "replace",
    "reverse",
    "round",
    "safe",
    "select",
    "selectattr",
    "slice",
    "sort",
    "split",
    "string",
    "sum",
    "title",
    "trim",
    "unique",
    "upper",
    "zip",
];

/// The filter an `UnknownFilter` error names: from its detail ("filter X is unknown"),
/// or else the first filter in the pattern that is not a known one.
fn unknown_filter(detail: Option<&str>, pattern: &str) -> Option<String> {
    let from_detail = detail
        .and_then(|d| d.strip_prefix("filter "))
        .and_then(|d| d.strip_suffix(" is unknown"))
        .filter(|n| n.chars().all(|c| c.is_alphanumeric() || c == '_'));
    if let Some(name) = from_detail {
        return Some(name.to_string());
    }
    pattern.split('|').skip(1).find_map(|after| {
        let name: String =
            after.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        (!name.is_empty() && !FILTERS.contains(&name.as_str())).then_some(name)
    })
}

fn pattern_context(m: &Manifest, kind: &JobKind) -> Value {
    let b = &m.briefing;
    let kind_name = kind.as_str();
    let name = kind.name().map(str::to_string);
    let county = matches!(kind, JobKind::County(_)).then(|| name.clone()).flatten();
    let theme = matches!(kind, JobKind::Theme(_)).then(|| name.clone()).flatten();
    context! {
        title => b.title,
        issuer => b.issuer,
        number => b.number,
        total_number => b.total_number,
        date => b.date.iso(),
        year => b.date.year,
        month => b.date.month,
        day => b.date.day,
        kind => kind_name,
        county => county,
        theme => theme,
        name => name,
    }
}

fn note_context(m: &Manifest, kind: &JobKind, articles: &[usize]) -> Value {
    let arts: Vec<Value> = articles
        .iter()
        .map(|&i| {
            let a = &m.articles[i];
            context! {
                id => a.id,
                title => crate::manifest::strip_title_breaks(&a.title),
                county => a.county,
                themes => a.themes
            }
        })
        .collect();
    let mut counties: Vec<&str> = Vec::new();
    for &i in articles {
        if !counties.contains(&m.articles[i].county.as_str()) {
            counties.push(&m.articles[i].county);
        }
    }
    let figure = |f: &crate::manifest::Figure| context! { label => f.label, value => f.value, unit => f.unit, county => m.articles[f.article].county };
    // `figures` are the ones the 数据速览 panel prints (capped by `max_figures`), so a note
    // that counts them matches the page; `all_figures` are every figure of the document's
    // articles, which its charts also draw on.
    let figures: Vec<Value> = crate::manifest::panel_figures(m, articles)
        .into_iter()
        .map(|i| figure(&m.figures[i]))
        .collect();
    let all_figures: Vec<Value> =
        m.figures.iter().filter(|f| articles.contains(&f.article)).map(figure).collect();
    context! { articles => arts, counties => counties, figures => figures, all_figures => all_figures, ..pattern_context(m, kind) }
}

/// Checks a rendered file name is a plain, safe name and adds `.pdf` when missing.
pub fn check_file_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    if name.is_empty() {
        return Err("is empty");
    }
    if name.contains(['/', '\\']) {
        return Err("contains a folder separator; output names may not leave the output folder");
    }
    if name == "." || name == ".." || name.starts_with('.') {
        return Err("starts with a dot");
    }
    if name.chars().any(|c| c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
    {
        return Err("contains a character that is not allowed in file names");
    }
    let name = if name.to_lowercase().ends_with(".pdf") {
        name.to_string()
    } else {
        format!("{name}.pdf")
    };
    if name.len() > MAX_FILE_NAME {
        return Err("is too long");
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filters_listed_in_hints_exist() {
        let env = environment();
        for name in FILTERS {
            let err = env.render_str(&format!("{{{{ [1] | {name} }}}}"), context! {}).err();
            assert!(
                err.is_none_or(|e| e.kind() != minijinja::ErrorKind::UnknownFilter),
                "minijinja has no filter `{name}`"
            );
        }
        assert_eq!(unknown_filter(None, "{{ a | lenght }}"), Some("lenght".into()));
        assert_eq!(unknown_filter(Some("filter uper is unknown"), "x"), Some("uper".into()));
    }

    #[test]
    fn file_names() {
        assert_eq!(check_file_name("盐湖区-第3期"), Ok("盐湖区-第3期.pdf".into()));
        assert!(check_file_name("../x.pdf").is_err());
        assert!(check_file_name("/etc/passwd").is_err());
        assert!(check_file_name("a\\b").is_err());
        assert!(check_file_name("  ").is_err());
        assert!(check_file_name(".hidden.pdf").is_err());
    }
}
