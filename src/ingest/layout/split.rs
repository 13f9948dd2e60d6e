//! Splitting a page's paragraphs into articles in reading order: headline
//! blocks, kickers, bylines and datelines, captions, and the per-article
//! clean-up (trailing bylines, duplicate paragraphs, bare headings).

use super::super::gazetteer::to_simplified;
use super::*;
use std::collections::HashSet;

/// One article found on a page, before county/theme/figure analysis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawArticle {
    /// Headline (empty when the page gives none).
    pub title: String,
    /// Kicker above the headline (e.g. a county name).
    pub kicker: Option<String>,
    /// Subtitle (——…).
    pub subtitle: Option<String>,
    /// Byline.
    pub byline: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Date YYYY-MM-DD.
    pub date: Option<String>,
    /// Body paragraphs (section headings included).
    pub body: Vec<String>,
    /// Whether each body paragraph is a section heading.
    pub body_is_heading: Vec<bool>,
    /// Photo captions with no picture.
    pub captions: Vec<String>,
    /// Pictures the reader found (Word, web page), with their captions.
    pub photos: Vec<RawPhoto>,
    /// First and last source line.
    pub lines: (usize, usize),
    /// Line of the headline.
    pub title_line: Option<usize>,
    /// The body ended with a section heading that has no text after it: the
    /// rest of the article is missing from the dump.
    pub ends_with_bare_heading: bool,
    /// The last body paragraph is a table row, which ends no sentence but
    /// does not mean the article is cut off.
    pub ends_with_row: bool,
}

/// A picture a structured reader found, and its caption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPhoto {
    /// Path of the picture, relative to the draft's folder.
    pub file: String,
    /// Caption (▲…/图为…) taken out of the body.
    pub caption: Option<String>,
}

impl RawArticle {
    /// Places a caption paragraph: a picture with its caption, or a caption alone.
    fn add_caption(&mut self, p: &Para) {
        self.touch(p);
        match &p.image {
            Some(file) => self.photos.push(RawPhoto {
                file: file.clone(),
                caption: Some(p.text.clone()).filter(|t| !t.trim().is_empty()),
            }),
            None => self.captions.push(p.text.clone()),
        }
    }

    fn touch(&mut self, p: &Para) {
        if self.lines.0 == 0 || p.first_line < self.lines.0 {
            self.lines.0 = p.first_line;
        }
        self.lines.1 = self.lines.1.max(p.last_line);
    }

    fn text_len(&self) -> usize {
        self.body
            .iter()
            .zip(&self.body_is_heading)
            .filter(|(_, h)| !**h)
            .map(|(b, _)| b.len())
            .sum()
    }
}

/// A heading that is just a place (万荣县, 临猗县七级镇) — a kicker.
pub(super) fn place_kicker(orig: &str) -> bool {
    let simplified = to_simplified(orig);
    let s = simplified.as_str();
    let n = char_len(s);
    if !(2..=12).contains(&n) || s.contains([' ', '\u{3000}', '“', '"']) {
        return false;
    }
    ["县", "区", "市", "旗", "镇", "乡", "街道", "村", "社区", "州", "盟"]
        .iter()
        .any(|e| s.ends_with(e))
}

/// A two-line section head (组织筑基 / 织密体系强堡垒…) or a marked one (◆…).
pub(super) fn section_head(p: &Para) -> bool {
    let first_short = p.nlines >= 2 && p.text.split(' ').next().is_some_and(|w| char_len(w) <= 6);
    let marked = p.text.starts_with(['◆', '■', '●', '◇', '□', '★', '☆']);
    first_short || marked || numbered_heading(&p.text)
}

pub(super) fn numbered_heading(s: &str) -> bool {
    let mut cs = s.chars();
    let a = cs.next().unwrap_or(' ');
    let b = cs.next().unwrap_or(' ');
    ("一二三四五六七八九十".contains(a) && matches!(b, '、' | '是'))
        || (matches!(a, '（' | '(') && "一二三四五六七八九十".contains(b))
}

/// Something seen after the last body text that is not yet placed.
#[derive(Debug, Clone)]
pub(super) enum Pending {
    Heading(Para),
    Caption(Para),
}

/// Page-level state for the splitter.
pub(super) struct Splitter {
    articles: Vec<RawArticle>,
    current: Option<RawArticle>,
    /// The current article has no body text yet.
    in_header: bool,
    /// Headings and captions not yet placed, in reading order.
    pending: Vec<Pending>,
    /// Number of headings in `pending`.
    pending_heads: usize,
    /// Page furniture seen since the last body text.
    page_break: bool,
    page_date: Option<String>,
}

impl Splitter {
    fn has_pending_headings(&self) -> bool {
        self.pending_heads > 0
    }

    fn take_pending(&mut self) -> Vec<Pending> {
        self.pending_heads = 0;
        std::mem::take(&mut self.pending)
    }

    fn pending_headings(&self) -> Vec<&Para> {
        self.pending
            .iter()
            .filter_map(|p| match p {
                Pending::Heading(h) => Some(h),
                Pending::Caption(_) => None,
            })
            .collect()
    }

    fn finish_current(&mut self) {
        if let Some(a) = self.current.take() {
            self.articles.push(a);
        }
        self.in_header = false;
    }

    /// A headline followed only by photo captions: an article whose body is
    /// the captions.
    fn caption_article(&mut self, head: &Para, captions: &[Para]) {
        let mut a = RawArticle {
            title: head.text.clone(),
            title_line: Some(head.first_line),
            ..RawArticle::default()
        };
        a.touch(head);
        for c in captions {
            if c.image.is_some() {
                a.add_caption(c);
            }
            if !c.text.trim().is_empty() {
                a.body.push(c.text.clone());
                a.body_is_heading.push(false);
            }
            a.touch(c);
        }
        a.date = self.page_date.clone();
        self.articles.push(a);
    }

    /// Places pending items that come before the headline at `title_pos`
    /// (or all of them when `None`): a heading directly followed by captions
    /// becomes a caption-only article; other headings are banners or column
    /// tags and are dropped; loose captions are returned.
    fn place_leading(&mut self, items: &[Pending]) -> Vec<Para> {
        let mut loose = Vec::new();
        let mut i = 0;
        while let Some(item) = items.get(i) {
            match item {
                Pending::Caption(c) => {
                    loose.push(c.clone());
                    i += 1;
                }
                Pending::Heading(h) => {
                    let mut j = i + 1;
                    let mut caps = Vec::new();
                    while let Some(Pending::Caption(c)) = items.get(j) {
                        caps.push(c.clone());
                        j += 1;
                    }
                    if !caps.is_empty() && !section_head(h) {
                        self.caption_article(h, &caps);
                    } else {
                        loose.extend(caps);
                    }
                    i = j;
                }
            }
        }
        loose
    }

    /// Starts a new article from the pending headings.
    fn start(&mut self, strong: bool) {
        self.finish_current();
        let items = self.take_pending();
        let heads: Vec<(usize, &Para)> = items
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match p {
                Pending::Heading(h) => Some((i, h)),
                Pending::Caption(_) => None,
            })
            .collect();
        // The title: for a strong start the last heading; for a weak one the
        // last heading that is not a section head.
        let title_pos = if strong || heads.len() <= 1 {
            heads.last().map(|(i, _)| *i)
        } else {
            heads.iter().rev().find(|(_, h)| !section_head(h)).or(heads.last()).map(|(i, _)| *i)
        };
        let mut a = RawArticle::default();
        let mut captions = Vec::new();
        match title_pos {
            Some(tp) => {
                let mut lead_end = tp;
                if let Some(Pending::Heading(t)) = items.get(tp) {
                    a.title = t.text.clone();
                    a.title_line = Some(t.first_line);
                    a.touch(t);
                }
                if let Some(Pending::Heading(k)) = tp.checked_sub(1).and_then(|k| items.get(k))
                    && (place_kicker(&k.text) || char_len(&k.text) <= 8)
                {
                    a.kicker = Some(k.text.clone());
                    a.touch(k);
                    lead_end = tp - 1;
                }
                captions.extend(self.place_leading(items.get(..lead_end).unwrap_or(&[])));
                // After the title: captions belong to it, headings are column
                // tags or the first section head (dropped).
                for it in items.get(tp + 1..).unwrap_or(&[]) {
                    if let Pending::Caption(c) = it {
                        captions.push(c.clone());
                    }
                }
            }
            None => {
                captions.extend(self.place_leading(&items));
            }
        }
        for c in &captions {
            a.add_caption(c);
        }
        a.date = self.page_date.clone();
        self.current = Some(a);
        self.in_header = true;
        self.page_break = false;
    }

    fn add_text(&mut self, p: &Para) {
        // Pending headings before text: section headings, or a new article.
        let new_article = match &self.current {
            None => true,
            Some(_) if self.in_header => false,
            Some(_) => {
                let heads = self.pending_headings();
                !heads.is_empty()
                    && (self.page_break
                        || heads.iter().any(|h| place_kicker(&h.text))
                        || heads_start_with_place(&heads))
            }
        };
        if new_article {
            self.start(false);
        } else {
            let items = self.take_pending();
            if let Some(a) = self.current.as_mut() {
                for it in items {
                    match it {
                        Pending::Heading(h) => {
                            // Headings before the first text of an article are
                            // column tags or the first section head: dropped.
                            if !self.in_header {
                                a.touch(&h);
                                a.body.push(h.text);
                                a.body_is_heading.push(true);
                            }
                        }
                        Pending::Caption(c) => a.add_caption(&c),
                    }
                }
            }
        }
        let Some(a) = self.current.as_mut() else { return };
        let mut text = p.text.clone();
        if p.kind == Kind::Text
            && let Some((byline, used)) = byline_prefix(&text)
        {
            if a.byline.is_none() {
                a.byline = Some(byline.clone());
            }
            if let Some(d) = dateline_date(&byline) {
                a.date = Some(d);
            }
            text = text.get(used..).unwrap_or("").to_string();
            // 本报讯 2024年2月26日，… : a full date right after the byline is
            // the dateline.
            if let Some((d, _)) = parse_date_prefix(&text) {
                a.date = Some(d);
            }
        }
        if !text.trim().is_empty() {
            a.body.push(text);
            a.body_is_heading.push(false);
            a.ends_with_row = p.kind == Kind::Row;
        }
        a.touch(p);
        self.in_header = false;
        self.page_break = false;
    }

    fn header_signal(&mut self, p: &Para) {
        // Subtitle / byline / metadata: a new article when headings are
        // pending, else part of the current header.
        if self.has_pending_headings() {
            self.start(true);
        } else if self.current.is_none() || !self.in_header {
            if let Kind::Meta { date, .. } = &p.kind {
                // A date line outside an article header: the page's date.
                if let Some(d) = date {
                    self.page_date = Some(d.clone());
                }
                return;
            }
            // Byline/subtitle with no headline: a headless article.
            self.start(true);
        }
        let Some(a) = self.current.as_mut() else { return };
        match &p.kind {
            Kind::Subtitle if a.subtitle.is_none() => a.subtitle = Some(p.text.clone()),
            Kind::Byline if a.byline.is_none() => a.byline = Some(p.text.clone()),
            Kind::Meta { date, outlet } => {
                if date.is_some() {
                    a.date = date.clone();
                }
                if outlet.is_some() {
                    a.outlet = outlet.clone();
                }
            }
            _ => {}
        }
        a.touch(p);
    }

    /// End of the page: leftover captions go to the last article (or form a
    /// caption-only article under a pending headline); leftover headings are
    /// dropped.
    fn finish(mut self) -> Vec<RawArticle> {
        let items = self.take_pending();
        self.finish_current();
        let last = self.articles.len().checked_sub(1);
        let loose = self.place_leading(&items);
        if let Some(a) = last.and_then(|i| self.articles.get_mut(i)) {
            for c in &loose {
                a.add_caption(c);
            }
        }
        self.articles
    }
}

pub(super) fn heads_start_with_place(heads: &[&Para]) -> bool {
    // A headline that opens with a county-level name (夏县举办…) starts a new
    // article even without a byline.
    heads.iter().any(|h| {
        let t = &h.text;
        char_len(t) >= 10 && !section_head(h) && super::super::gazetteer::starts_with_county(t)
    })
}

/// Date in a dateline such as 本报太原2024年2月26日讯.
pub(super) fn dateline_date(byline: &str) -> Option<String> {
    byline
        .char_indices()
        .find_map(|(i, _)| byline.get(i..).and_then(parse_date_prefix).map(|(d, _)| d))
}

/// Splits paragraphs into articles in reading order.
pub fn split_articles(paras: &[Para]) -> Vec<RawArticle> {
    let mut s = Splitter {
        articles: Vec::new(),
        current: None,
        in_header: false,
        pending: Vec::new(),
        pending_heads: 0,
        page_break: false,
        page_date: None,
    };
    for p in paras {
        match &p.kind {
            Kind::Furniture => {
                s.page_break = true;
            }
            Kind::Caption => {
                if !s.has_pending_headings()
                    && let Some(a) = s.current.as_mut()
                {
                    a.add_caption(p);
                    continue;
                }
                s.pending.push(Pending::Caption(p.clone()));
            }
            Kind::Credit => {}
            Kind::Heading => {
                if byline_prefix(&p.text).is_some() {
                    // 本报讯(记者 X) alone on a line.
                    let mut q = p.clone();
                    q.kind = Kind::Byline;
                    s.header_signal(&q);
                } else {
                    s.pending.push(Pending::Heading(p.clone()));
                    s.pending_heads += 1;
                }
            }
            Kind::Subtitle | Kind::Byline | Kind::Meta { .. } => s.header_signal(p),
            // A table row belongs to the article it is in (or opens the one
            // under a pending headline); after page furniture, or outside
            // any article, it is a listing or a viewer's table: dropped.
            Kind::Row => {
                if !s.page_break && (s.current.is_some() || s.has_pending_headings()) {
                    s.add_text(p);
                } else {
                    s.page_break = true;
                }
            }
            Kind::Text => {
                if byline_prefix(&p.text).is_some() {
                    let fresh_header =
                        s.in_header && s.current.as_ref().is_some_and(|a| a.byline.is_none());
                    if !fresh_header && (s.has_pending_headings() || !s.in_header) {
                        // 本报讯 opens a new article (under the pending
                        // headline, or headless).
                        s.start(true);
                    }
                }
                s.add_text(p);
            }
        }
    }
    let mut out: Vec<RawArticle> = s.finish().into_iter().filter(|a| a.text_len() > 0).collect();
    for a in &mut out {
        finish_article(a);
    }
    out
}

/// Per-article clean-up: trailing byline, duplicate paragraphs, headings
/// with no text after them.
pub(super) fn finish_article(a: &mut RawArticle) {
    // Trailing byline (山西日报 要佳) on the last text paragraph.
    if let Some(pos) = a.body_is_heading.iter().rposition(|h| !h)
        && let Some(last) = a.body.get_mut(pos)
        && let Some((b, at)) = trailing_byline(last)
    {
        if let Some(o) = outlet_in_byline(&b)
            && a.outlet.is_none()
        {
            a.outlet = Some(o);
        }
        if a.byline.is_none() {
            a.byline = Some(b);
        }
        last.truncate(at);
        let t = last.trim_end().len();
        last.truncate(t);
    }
    dedupe_paragraphs(a);
    a.ends_with_bare_heading = a.body_is_heading.last().copied().unwrap_or(false);
    // Drop headings followed by no text (before the next heading or the end).
    let n = a.body.len();
    let mut keep = vec![true; n];
    let mut seen_text_after = false;
    for i in (0..n).rev() {
        let is_h = a.body_is_heading.get(i).copied().unwrap_or(false);
        if is_h {
            if !seen_text_after && let Some(k) = keep.get_mut(i) {
                *k = false;
            }
            seen_text_after = false;
        } else {
            seen_text_after = true;
        }
    }
    let mut it = keep.iter();
    a.body.retain(|_| *it.next().unwrap_or(&true));
    let mut it = keep.iter();
    a.body_is_heading.retain(|_| *it.next().unwrap_or(&true));
    if let Some(b) = &a.byline
        && a.outlet.is_none()
    {
        a.outlet = outlet_in_byline(b.trim_start_matches(['(', '（']));
    }
}

pub(super) fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// How many earlier paragraphs a paragraph is compared with for containment.
pub(super) const DEDUPE_WINDOW: usize = 64;

/// Removes paragraphs that repeat an earlier paragraph of the same article,
/// or that are contained in a neighbouring paragraph (fragments of a
/// paragraph printed twice). Exact repeats are found with a hash set;
/// containment is checked within a bounded window, so this is linear.
pub fn dedupe_paragraphs(a: &mut RawArticle) {
    let n = a.body.len();
    let normed: Vec<String> = a.body.iter().map(|b| norm(b)).collect();
    let mut keep = vec![true; n];
    let mut seen: HashSet<&str> = HashSet::new();
    let mut window: Vec<usize> = Vec::new();
    for i in 0..n {
        let Some(cur) = normed.get(i) else { continue };
        let is_h = a.body_is_heading.get(i).copied().unwrap_or(false);
        if !seen.insert(cur.as_str()) {
            if let Some(k) = keep.get_mut(i) {
                *k = false;
            }
            continue;
        }
        if is_h || char_len(cur) < 12 {
            continue;
        }
        let mut dropped = false;
        for &j in window.iter().rev() {
            if !keep.get(j).copied().unwrap_or(false) {
                continue;
            }
            let Some(prev) = normed.get(j) else { continue };
            if prev.len() > cur.len() && prev.contains(cur.as_str()) {
                dropped = true;
                break;
            }
            if cur.len() > prev.len()
                && char_len(prev) >= 20
                && cur.contains(prev.as_str())
                && let Some(k) = keep.get_mut(j)
            {
                *k = false;
            }
        }
        if dropped {
            if let Some(k) = keep.get_mut(i) {
                *k = false;
            }
            continue;
        }
        window.push(i);
        if window.len() > DEDUPE_WINDOW {
            window.remove(0);
        }
    }
    let mut it = keep.iter();
    a.body.retain(|_| *it.next().unwrap_or(&true));
    let mut it = keep.iter();
    a.body_is_heading.retain(|_| *it.next().unwrap_or(&true));
}
