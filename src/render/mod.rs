//! Rendering: one job's data through the Typst templates into PDF bytes.
//!
//! Before Typst runs, every string is checked against the loaded fonts (a character
//! no font has is an error, never tofu). After layout, the pages are walked for any
//! glyph that still came out missing. Typst's errors and warnings become our
//! [`Diagnostic`]s; "unknown font family" is an error.

pub mod boxes;
pub mod data;
pub mod templates;
pub mod world;

use typst::diag::{Severity as TypstSeverity, SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::{World as _, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diag::{Diagnostic, Severity, SourceText};
use crate::fonts::Fonts;
use crate::manifest::Manifest;
use crate::plan::Job;
use crate::profile::Profile;
use world::{DocWorld, Engine};

/// A finished document.
pub struct Rendered {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// Warnings (Typst's and ours).
    pub warnings: Vec<Diagnostic>,
    /// Punctuation and space changes made by the normalizer.
    pub normalized: Vec<crate::normalize::Change>,
}

/// Options that shape a document.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Seconds since the epoch written as the PDF's date (and used as `today`).
    pub timestamp: i64,
    /// Screen, print or archive file.
    pub profile: Profile,
    /// Bleed (mm) of print files.
    pub bleed_mm: f64,
    /// Space for crop marks outside the bleed (mm) of print files.
    pub marks_mm: f64,
}

impl RenderOptions {
    /// Screen output with a fixed date.
    pub fn screen(timestamp: i64) -> Self {
        Self { timestamp, profile: Profile::Screen, bleed_mm: 0.0, marks_mm: 0.0 }
    }
}

/// The data a job hands its template, serialized, plus the normalizer's changes and
/// every string for glyph checks.
pub fn job_data(
    m: &Manifest,
    job: &Job,
    profile: Profile,
) -> (Vec<u8>, Vec<crate::normalize::Change>, Vec<data::FieldRef>) {
    let (data, changes, fields) = data::build(m, job, profile);
    let json = serde_json::to_vec_pretty(&data).expect("data serializes");
    (json, changes, fields)
}

/// Checks every string of every job against the fonts: one diagnostic per character no
/// loaded font has, pointing at its first occurrence in the manifest and naming every
/// place (article and field) it occurs, so `check` and `build` report it once.
pub fn check_glyphs(fonts: &Fonts, m: &Manifest, jobs: &[Job]) -> Vec<Diagnostic> {
    // Characters in order of first appearance, each with its places in order.
    let mut missing: Vec<(char, Vec<(String, &'static str)>)> = Vec::new();
    // Documents differ only in which articles they hold and in their masthead lines and
    // editor's note, so the data is built once, for a document holding every article.
    let mut fields = Vec::new();
    if let Some(first) = jobs.first() {
        let all = Job { articles: (0..m.articles.len()).collect(), ..first.clone() };
        fields = data::build(m, &all, Profile::Screen).2;
    }
    for job in jobs {
        let own = [
            ("title", Some(&job.title)),
            ("subtitle", job.subtitle.as_ref()),
            ("editor_note", job.editor_note.as_ref()),
        ];
        for (field, text) in own {
            if let Some(text) = text {
                fields.push(data::FieldRef { owner: "briefing".into(), field, text: text.clone() });
            }
        }
    }
    for f in &fields {
        for c in f.text.chars() {
            if !crate::fonts::needs_glyph(c) || fonts.covers(c) {
                continue;
            }
            let place = (f.owner.clone(), f.field);
            match missing.iter_mut().find(|(m, _)| *m == c) {
                Some((_, places)) if places.contains(&place) => {}
                Some((_, places)) => places.push(place),
                None => missing.push((c, vec![place])),
            }
        }
    }
    missing
        .into_iter()
        .map(|(c, places)| {
            let list: Vec<String> = places
                .iter()
                .map(|(owner, field)| {
                    if owner == "briefing" {
                        format!("the briefing's `{field}`")
                    } else {
                        format!("article `{owner}`'s `{field}`")
                    }
                })
                .collect();
            let mut d = Diagnostic::error(format!(
                "no bundled or added font has the character \"{c}\" (U+{:04X}), used in {}",
                c as u32,
                list.join(", ")
            ))
            .code("missing-glyph");
            // At its first use in the first article (or briefing field) named, not
            // wherever it first occurs in the manifest.
            let within = places.first().and_then(|(owner, _)| {
                let article = m.articles.iter().find(|a| &a.id == owner)?;
                let span = article.span.clone();
                let text = m.source.text.get(span.clone())?;
                first_use(text, c).map(|at| span.start + at)
            });
            d = match within.or_else(|| first_use(&m.source.text, c)) {
                Some(at) => d.at(&m.source, at..at + c.len_utf8()),
                None => d.in_file(&m.source),
            };
            d.hint(
                "the bundled fonts cover the 通用规范汉字表, the CJK Unified Ideographs and Extension A; \
                 replace the character, or add a font that has it with --font-path DIR \
                 (or --system-fonts to use this machine's fonts)",
            )
        })
        .collect()
}

/// Byte offset of the first occurrence of `c` in the manifest outside a comment line.
fn first_use(text: &str, c: char) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim_start().starts_with('#')
            && let Some(at) = line.find(c)
        {
            return Some(offset + at);
        }
        offset += line.len();
    }
    None
}

/// The PDF date of a run: `SOURCE_DATE_EPOCH` when set, else the briefing's date.
pub fn timestamp(m: &Manifest, source_date_epoch: Option<i64>) -> i64 {
    source_date_epoch.unwrap_or_else(|| m.briefing.date.unix_seconds())
}

/// The PDF date of a timestamp. Callers keep timestamps within years 1970 to 9999 (the
/// command line refuses others); anything else is 1980-01-01, PDF's earliest date.
fn datetime(seconds: i64) -> Datetime {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| {
            Datetime::from_ymd_hms(
                t.year(),
                t.month().into(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
            )
        })
        .unwrap_or_else(|| Datetime::from_ymd_hms(1980, 1, 1, 0, 0, 0).expect("valid"))
}

/// A laid-out document with the warnings of its compilation.
pub struct Laid {
    /// The pages.
    pub document: PagedDocument,
    /// Warnings (Typst's).
    pub warnings: Vec<Diagnostic>,
}

/// Lays out one document from its data; errors (Typst's, unknown fonts, missing
/// glyphs) come back as diagnostics.
pub fn layout(
    engine: &Engine,
    data: Vec<u8>,
    options: RenderOptions,
) -> Result<Laid, Vec<Diagnostic>> {
    let world = engine.world(data, datetime(options.timestamp));
    let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut fatal = false;
    for w in &warnings {
        let mut d = convert(&world, w);
        if w.message.starts_with("unknown font family") {
            d.severity = Severity::Error;
            d.hints.push(
                "the template names a font that is not loaded; run `jianbao fonts` to see the families"
                    .into(),
            );
            fatal = true;
        }
        diags.push(d);
    }
    let document = match output {
        Ok(doc) => doc,
        Err(errors) => {
            diags.extend(errors.iter().map(|e| convert(&world, e)));
            return Err(diags);
        }
    };
    let missing = missing_glyphs(&document);
    if !missing.is_empty() {
        let list: Vec<String> =
            missing.iter().map(|c| format!("\"{c}\" (U+{:04X})", *c as u32)).collect();
        diags.push(
            Diagnostic::error(format!(
                "the laid-out document has characters without a glyph: {}",
                list.join(", ")
            ))
            .hint(
                "the template sets them in a font that lacks them; add a font with --font-path DIR",
            ),
        );
        fatal = true;
    }
    if fatal {
        return Err(diags);
    }
    Ok(Laid { document, warnings: diags })
}

/// Writes a laid-out document as PDF bytes with a stable identifier and date.
pub fn export(laid: &Laid, job: &Job, options: RenderOptions) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let standards = match options.profile {
        Profile::Archive => PdfStandards::new(&[PdfStandard::A_2b]),
        _ => PdfStandards::new(&[]),
    }
    .map_err(|e| vec![Diagnostic::error(format!("PDF standard: {e:?}"))])?;
    let pdf_options = PdfOptions {
        ident: Smart::Custom(format!("jianbao/{}", job.file_name)),
        creator: Smart::Custom(Some(format!("jianbao {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(datetime(options.timestamp))),
        standards,
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&laid.document, &pdf_options).map_err(|errors| {
        errors
            .iter()
            .map(|e| {
                let mut d = Diagnostic::error(format!("PDF export failed: {}", e.message));
                d.hints.extend(e.hints.iter().map(|h| h.v.to_string()));
                d
            })
            .collect::<Vec<_>>()
    })?;
    if options.profile == Profile::Print {
        return boxes::declare(&pdf, options.marks_mm, options.bleed_mm)
            .map_err(|e| vec![Diagnostic::error(format!("cannot declare the print boxes: {e}"))]);
    }
    Ok(pdf)
}

/// Compiles one job's data to a PDF.
pub fn render(
    engine: &Engine,
    job: &Job,
    data: Vec<u8>,
    options: RenderOptions,
) -> Result<Rendered, Vec<Diagnostic>> {
    render_keeping(engine, job, data, options).map(|(rendered, _)| rendered)
}

/// Like [`render`], also handing back the laid-out pages (a preview draws them).
pub fn render_keeping(
    engine: &Engine,
    job: &Job,
    data: Vec<u8>,
    options: RenderOptions,
) -> Result<(Rendered, PagedDocument), Vec<Diagnostic>> {
    let laid = layout(engine, data, options)?;
    let pdf = export(&laid, job, options)?;
    let rendered = Rendered {
        pdf,
        pages: laid.document.pages().len(),
        warnings: laid.warnings,
        normalized: Vec::new(),
    };
    Ok((rendered, laid.document))
}

/// One run of text on a page, for measuring the layout.
#[derive(Debug, Clone)]
pub struct TextBox {
    /// Page number, 1-based.
    pub page: usize,
    /// Left edge, in points from the page's left edge.
    pub x: f64,
    /// Baseline, in points from the page's top edge.
    pub y: f64,
    /// Advance width in points.
    pub width: f64,
    /// Font size in points.
    pub size: f64,
    /// Font family.
    pub family: String,
    /// The text.
    pub text: String,
}

/// Every run of text of a laid-out document with its position, size and font.
pub fn text_boxes(doc: &PagedDocument) -> Vec<TextBox> {
    fn walk(frame: &Frame, ts: Transform, page: usize, out: &mut Vec<TextBox>) {
        for (pos, item) in frame.items() {
            let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(g) => walk(&g.frame, here.pre_concat(g.transform), page, out),
                FrameItem::Text(t) => {
                    let origin = Point::zero().transform(here);
                    out.push(TextBox {
                        page,
                        x: origin.x.to_pt(),
                        y: origin.y.to_pt(),
                        width: t.width().to_pt(),
                        size: t.size.to_pt(),
                        family: t.font.font().info().family.clone(),
                        text: t.text.to_string(),
                    });
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        walk(&page.frame, Transform::identity(), i + 1, &mut out);
    }
    out
}

fn missing_glyphs(doc: &PagedDocument) -> Vec<char> {
    fn walk(frame: &Frame, out: &mut Vec<char>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, out),
                FrameItem::Text(t) => {
                    for g in t.glyphs.iter().filter(|g| g.id == 0) {
                        for c in t.text[g.range()].chars() {
                            if crate::fonts::needs_glyph(c) && !out.contains(&c) {
                                out.push(c);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for page in doc.pages() {
        walk(&page.frame, &mut out);
    }
    out
}

/// Converts a Typst diagnostic into ours, with the file, line and column it points at.
fn convert(world: &DocWorld, diag: &SourceDiagnostic) -> Diagnostic {
    let severity = match diag.severity {
        TypstSeverity::Error => Severity::Error,
        TypstSeverity::Warning => Severity::Warning,
    };
    let mut d =
        Diagnostic { severity, ..Diagnostic::error(diag.message.to_string()).code("typst") };
    if let Some(id) = diag.span.id() {
        let name = world.engine().name(id);
        let text: Option<String> = if id == world.main()
            || world.engine().templates.files.contains_key(id.vpath().get_without_slash())
        {
            typst::World::source(world, id).ok().map(|s| s.text().to_string())
        } else {
            typst::World::file(world, id).ok().and_then(|b| b.as_str().ok().map(str::to_string))
        };
        if let Some(text) = text {
            let source = SourceText::new(name, text);
            d = match world.range(diag.span) {
                Some(range) => d.at(&source, range),
                None => d.in_file(&source),
            };
        }
    }
    for hint in &diag.hints {
        d.hints.push(hint.v.to_string());
    }
    for point in &diag.trace {
        d.hints.push(point.v.to_string());
    }
    d
}

#[cfg(test)]
mod tests {
    #[test]
    fn first_use_skips_comment_lines() {
        assert_eq!(super::first_use("# 堃\ntitle: 堃\n", '堃'), Some(13));
        assert_eq!(super::first_use("# 堃\n", '堃'), None);
    }

    #[test]
    fn datetime_from_seconds() {
        let d = super::datetime(1_709_596_800);
        assert_eq!((d.year(), d.month(), d.day()), (Some(2024), Some(3), Some(5)));
    }
}
