//! Page layout analysis for `ingest`: classifying the lines of a newspaper
//! or web-page dump (headlines, subtitles, bylines, dates, page and website
//! furniture, photo captions and credits, body text), joining paragraphs,
//! re-joining paragraphs split by a photo, splitting the page into articles
//! in reading order, and removing duplicate paragraphs.

use super::decode::Line;

mod classify;
mod junk;
mod split;
#[cfg(test)]
mod tests;

pub use classify::*;
pub use junk::*;
pub use split::*;

/// What a paragraph is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Body text.
    Text,
    /// A short line without sentence-final punctuation: headline, kicker,
    /// column label or section heading.
    Heading,
    /// A subtitle line starting with ——.
    Subtitle,
    /// A byline on its own line (本报记者 X).
    Byline,
    /// Web page metadata (发表时间/来源) or a standalone date line.
    Meta {
        /// Date found, YYYY-MM-DD.
        date: Option<String>,
        /// Outlet named by 来源.
        outlet: Option<String>,
    },
    /// Page or website furniture, dropped.
    Furniture,
    /// A photo caption.
    Caption,
    /// A row of a table (cells separated by an ideographic space, a tab, `|`
    /// or wide spaces): body text of the article it is in, never a title and
    /// never joined with the text around it; dropped outside an article.
    Row,
    /// A photo credit (特约摄影 X 摄): it makes the text above it, up to the
    /// previous layout break, captions too.
    Credit,
}

/// A paragraph: one or more adjacent lines of the same kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    /// Text, trimmed, lines joined.
    pub text: String,
    /// Kind.
    pub kind: Kind,
    /// First source line (1-based).
    pub first_line: usize,
    /// Last source line (1-based).
    pub last_line: usize,
    /// Blank lines before this paragraph.
    pub gap_before: usize,
    /// Number of source lines joined (a 2-line heading is a section head).
    pub nlines: usize,
    /// A picture this caption paragraph stands for (structured readers only;
    /// its caption is `text`, possibly empty).
    pub image: Option<String>,
}

fn join_text(a: &mut String, b: &str) {
    let need_space = a.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if need_space {
        a.push(' ');
    }
    a.push_str(b);
}

/// Builds paragraphs from lines: blank lines separate blocks; inside a block,
/// adjacent lines of the same kind are joined (text without a separator,
/// headings with a space); a caption swallows the text lines that follow it
/// in its block.
pub fn paragraphs(lines: &[Line<'_>]) -> Vec<Para> {
    let per_line = one_paragraph_per_line(lines);
    let mut out: Vec<Para> = Vec::new();
    let mut gap = 0usize;
    let mut in_block = false;
    for line in lines {
        let text = clean_line(line.text);
        if text.is_empty() {
            gap += 1;
            in_block = false;
            continue;
        }
        let kind = classify(&text);
        let indented = line.text.starts_with("  ") || line.text.starts_with(['\u{3000}', '\t']);
        if in_block
            && !per_line
            && let Some(prev) = out.last_mut()
            && !(indented && prev.kind == Kind::Text)
        {
            let merge = match (&prev.kind, &kind) {
                (Kind::Text, Kind::Text | Kind::Heading) => Some(false),
                (Kind::Heading, Kind::Heading) => Some(true),
                (Kind::Caption, Kind::Text | Kind::Heading | Kind::Caption) => Some(false),
                (Kind::Subtitle, Kind::Heading) => Some(false),
                _ => None,
            };
            if let Some(spaced) = merge {
                if spaced {
                    prev.text.push(' ');
                    prev.text.push_str(&text);
                } else {
                    join_text(&mut prev.text, &text);
                }
                prev.last_line = line.number;
                prev.nlines += 1;
                // A merged heading that grew too long is text.
                if prev.kind == Kind::Heading && !heading_like(&prev.text) && prev.nlines > 2 {
                    prev.kind = Kind::Text;
                }
                continue;
            }
        }
        out.push(Para {
            text,
            kind,
            first_line: line.number,
            last_line: line.number,
            gap_before: gap,
            nlines: 1,
            image: None,
        });
        gap = 0;
        in_block = true;
    }
    out
}

/// True for dumps that put each paragraph on one line with no blank line
/// between: most lines that are followed by another non-blank line end a
/// sentence. (In dumps with wrapped lines, few line ends fall on a 。.)
fn one_paragraph_per_line(lines: &[Line<'_>]) -> bool {
    let mut inner = 0usize;
    let mut complete = 0usize;
    for w in lines.windows(2) {
        let (Some(a), Some(b)) = (w.first(), w.get(1)) else { continue };
        let (a, b) = (a.text.trim(), b.text.trim());
        if !a.is_empty() && !b.is_empty() && char_len(a) > 20 {
            inner += 1;
            if ends_complete(a) {
                complete += 1;
            }
        }
    }
    inner >= 3 && complete * 2 > inner
}

/// Page numbers and similar: - 3 -, 第3页, 3/12, 共5页.
pub(super) fn is_page_number(s: &str) -> bool {
    !s.is_empty()
        && parse_date_prefix(s).is_none()
        && s.chars().count() <= 12
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || "-—–/第页共版·．.".contains(c))
}

/// A layout break before a paragraph: two or more blank lines.
fn layout_break(p: &Para) -> bool {
    p.gap_before >= 2
}

/// Marks the text above a photo credit, back to the previous layout break,
/// as captions.
pub fn apply_credits(paras: &mut [Para]) {
    for i in 0..paras.len() {
        if paras.get(i).map(|p| &p.kind) != Some(&Kind::Credit) {
            continue;
        }
        let mut j = i;
        while j > 0 {
            let brk = paras.get(j).is_some_and(layout_break);
            if brk && j != i {
                break;
            }
            j -= 1;
            let Some(p) = paras.get_mut(j) else { break };
            match p.kind {
                Kind::Text | Kind::Caption => p.kind = Kind::Caption,
                _ => break,
            }
            if layout_break(p) {
                break;
            }
            if i - j > 8 {
                break;
            }
        }
    }
}

/// Re-joins paragraphs split by a photo or a column jump: a paragraph that
/// does not end a sentence continues in the next text paragraph when only
/// captions or a layout break lie between them.
pub fn join_continuations(paras: Vec<Para>) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::with_capacity(paras.len());
    let mut pending_captions: Vec<Para> = Vec::new();
    // Index in `out` of the last non-caption paragraph.
    let mut last_main: Option<usize> = None;
    let mut broke_since_main = false;
    // Kind of the main paragraph before the last one is Text.
    let mut main_before_last_is_text = false;
    let mut last_main_is_text = false;
    for p in paras {
        if matches!(p.kind, Kind::Caption | Kind::Credit) {
            broke_since_main = true;
            // A caption split in two (…今后将持续 / 推动…常态化。).
            if p.kind == Kind::Caption
                && !starts_as_caption(&p.text)
                && let Some(prev) = pending_captions.last_mut()
                && prev.kind == Kind::Caption
                && !ends_complete(&prev.text)
            {
                join_text(&mut prev.text, &p.text);
                prev.last_line = prev.last_line.max(p.last_line);
                continue;
            }
            pending_captions.push(p);
            continue;
        }
        let mut joined = false;
        if let Some(li) = last_main {
            let prev_prev_is_text = main_before_last_is_text;
            if let Some(prev) = out.get_mut(li) {
                let brk = broke_since_main || layout_break(&p);
                let prev_open =
                    matches!(prev.kind, Kind::Text | Kind::Heading) && !ends_complete(&prev.text);
                let q_text = p.kind == Kind::Text && byline_prefix(&p.text).is_none();
                let q_fragment = p.kind != Kind::Row
                    && char_len(&p.text) <= 10
                    && ends_complete(&p.text)
                    && !p.text.starts_with(['“', '"']);
                let join = prev_open
                    && (q_text
                        || (q_fragment && p.kind != Kind::Meta { date: None, outlet: None }))
                    && match prev.kind {
                        Kind::Text => true,
                        _ => {
                            let frag_score = i32::from(has_comma_outside_quotes(&prev.text))
                                + i32::from(char_len(&prev.text) >= 15)
                                - 2 * i32::from(prev.text.contains([' ', '\u{3000}']))
                                - i32::from(prev.text.contains(['：', ':']));
                            (q_fragment && brk) || (brk && prev_prev_is_text && frag_score >= 1)
                        }
                    };
                if join {
                    join_text(&mut prev.text, &p.text);
                    prev.kind = Kind::Text;
                    prev.last_line = prev.last_line.max(p.last_line);
                    joined = true;
                }
            }
        }
        out.append(&mut pending_captions);
        broke_since_main = false;
        if !joined {
            main_before_last_is_text = last_main_is_text;
            last_main_is_text = p.kind == Kind::Text;
            out.push(p);
            last_main = Some(out.len() - 1);
        } else {
            last_main_is_text = true;
            // Keep the joined paragraph last among main paragraphs: move
            // captions that were between before it.
            if let Some(li) = last_main {
                let end = out.len();
                if li + 1 < end {
                    let main = out.remove(li);
                    out.push(main);
                    last_main = Some(out.len() - 1);
                }
            }
        }
    }
    out.append(&mut pending_captions);
    out
}

/// A line of at most this many characters right above a byline, subtitle
/// or date line is a headline even when it is too long for
/// [`heading_like`].
const LONG_TITLE_MAX: usize = 64;

/// Long headlines: a text paragraph without sentence-final punctuation
/// directly above a subtitle, byline or metadata line is a headline.
pub fn promote_long_titles(paras: &mut [Para]) {
    for i in 1..paras.len() {
        let signal = paras.get(i).is_some_and(|p| match p.kind {
            Kind::Subtitle | Kind::Byline | Kind::Meta { .. } => true,
            Kind::Text => byline_prefix(&p.text).is_some(),
            _ => false,
        });
        if !signal {
            continue;
        }
        if let Some(prev) = paras.get_mut(i - 1)
            && prev.kind == Kind::Text
            && char_len(&prev.text) <= LONG_TITLE_MAX
            && !prev.text.contains('。')
            && !ends_complete(&prev.text)
            && !ends_with_colon(&prev.text)
        {
            prev.kind = Kind::Heading;
        }
    }
}

/// Whole pipeline for one decoded file: paragraphs, credits, continuations,
/// long titles, articles.
pub fn analyse(lines: &[Line<'_>]) -> Vec<RawArticle> {
    analyse_blocks(paragraphs(lines))
}

/// The pipeline every reader shares: a reader turns its format into blocks
/// ([`Para`]: paragraphs of text, title candidates ([`Kind::Heading`]),
/// captions, and pictures as captions with an `image`), and one splitter
/// makes the articles.
pub fn analyse_blocks(mut paras: Vec<Para>) -> Vec<RawArticle> {
    apply_credits(&mut paras);
    let mut paras = join_continuations(paras);
    promote_long_titles(&mut paras);
    split_articles(&paras)
}

/// Gives each picture the caption paragraph right below it (or, failing
/// that, right above it); that paragraph leaves the body.
pub fn attach_captions(blocks: &mut Vec<Para>) {
    let mut taken = vec![false; blocks.len()];
    let mut captions: Vec<(usize, usize)> = Vec::new();
    let is_cap = |p: &Para| p.image.is_none() && (p.kind == Kind::Caption || is_caption(&p.text));
    for i in 0..blocks.len() {
        if blocks[i].image.is_none() {
            continue;
        }
        // Pictures side by side share the captions that follow the group.
        let below = (i + 1..blocks.len())
            .find(|&j| blocks[j].image.is_none() && !taken[j])
            .filter(|&j| is_cap(&blocks[j]));
        let above = i.checked_sub(1).filter(|&j| is_cap(&blocks[j]) && !taken[j]);
        if let Some(j) = below.or(above) {
            taken[j] = true;
            captions.push((i, j));
        }
    }
    for &(i, j) in &captions {
        let text = blocks[j].text.clone();
        blocks[i].text = text;
        blocks[i].last_line = blocks[i].last_line.max(blocks[j].last_line);
    }
    let mut k = 0;
    blocks.retain(|_| {
        let keep = !taken[k];
        k += 1;
        keep
    });
}
