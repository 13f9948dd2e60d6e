//! The context of every character: its class, the URLs and entities that are left alone,
//! and the nearest class on each side within its paragraph.

use super::Ctx;
use super::chars::*;

pub(super) fn classify(chars: &[char]) -> Vec<Ctx> {
    let mut cls: Vec<Ctx> = (0..chars.len())
        .map(|i| {
            let c = chars[i];
            if is_newline(c) {
                Ctx::Break
            } else if is_gap(chars, i) {
                Ctx::Skip
            } else if matches!(c, '\'' | '’') && is_apostrophe(chars, i) {
                Ctx::Other
            } else if is_ambiguous(c) {
                Ctx::Skip
            } else if is_cjk(c) {
                Ctx::Cjk
            } else {
                Ctx::Other
            }
        })
        .collect();
    // Ellipses written as three or more `.` or `。` are punctuation to look through.
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !matches!(c, '.' | '。') {
            i += 1;
            continue;
        }
        let end = run_end(chars, i);
        if chars[i..end].iter().filter(|&&x| x == c).count() >= 3 {
            cls[i..end].fill(Ctx::Skip);
        }
        i = end;
    }
    protect_spans(chars, &mut cls);
    cls
}

/// Whether `pattern` (ASCII, any case) starts at `i`, zero-width characters ignored.
pub(super) fn starts_with_ascii(chars: &[char], i: usize, pattern: &str) -> bool {
    let mut k = i;
    for p in pattern.chars() {
        k = skip_zero_width(chars, k);
        match chars.get(k) {
            Some(&c) if ascii_equiv(c).eq_ignore_ascii_case(&p) => k += 1,
            _ => return false,
        }
    }
    true
}

pub(super) fn is_url_char(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
}

/// Marks the non-zero-width characters of `span` as `Other`.
pub(super) fn protect(chars: &[char], cls: &mut [Ctx], span: std::ops::Range<usize>) {
    for k in span {
        if !is_zero_width(chars[k]) {
            cls[k] = Ctx::Other;
        }
    }
}

/// Marks URLs and HTML entities as `Other`, so nothing inside them is rewritten. Trailing
/// punctuation (and an unbalanced trailing `)`) is not part of a URL. Zero-width characters,
/// which are removed, neither start nor end a span.
pub(super) fn protect_spans(chars: &[char], cls: &mut [Ctx]) {
    const PREFIXES: [&str; 5] = ["http://", "https://", "ftp://", "www.", "mailto:"];
    let mut i = 0;
    while i < chars.len() {
        if is_zero_width(chars[i]) {
            i += 1;
            continue;
        }
        // Only the zero-width run just before `i` is scanned: linear overall.
        let before = chars[..i].iter().rev().find(|&&c| !is_zero_width(c));
        let at_boundary = !before.is_some_and(|&c| is_word(c));
        if at_boundary && PREFIXES.iter().any(|p| starts_with_ascii(chars, i, p)) {
            let mut end = i;
            let (mut open, mut close) = (0usize, 0usize);
            loop {
                let k = skip_zero_width(chars, end);
                match chars.get(k).map(|&c| ascii_equiv(c)) {
                    Some(c) if is_url_char(c) => {
                        open += usize::from(c == '(');
                        close += usize::from(c == ')');
                        end = k + 1;
                    }
                    _ => break,
                }
            }
            let mut keep = end;
            while let Some(k) = (i..keep).rev().find(|&k| !is_zero_width(chars[k])) {
                match chars[k] {
                    '.' | ',' | ';' | ':' | '!' | '?' | '\'' => keep = k,
                    ')' if close > open => {
                        close -= 1;
                        keep = k;
                    }
                    _ => break,
                }
            }
            protect(chars, cls, i..keep);
            i = end.max(i + 1);
        } else if chars[i] == '&' {
            let mut k = i + 1;
            let mut name = 0;
            loop {
                k = skip_zero_width(chars, k);
                match chars.get(k) {
                    Some(&c) if name < 10 && (is_word(c) || c == '#') => {
                        name += 1;
                        k += 1;
                    }
                    _ => break,
                }
            }
            if name > 0 && chars.get(k) == Some(&';') {
                protect(chars, cls, i..k + 1);
                i = k + 1;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
}

/// For every character, the class of the nearest non-`Skip` character before and after it in
/// the same paragraph (`Break` when there is none).
pub(super) fn context(cls: &[Ctx]) -> (Vec<Ctx>, Vec<Ctx>) {
    fn step(last: &mut Ctx, k: Ctx) -> Ctx {
        let seen = *last;
        if k != Ctx::Skip {
            *last = k;
        }
        seen
    }
    let mut last = Ctx::Break;
    let prev = cls.iter().map(|&k| step(&mut last, k)).collect();
    last = Ctx::Break;
    let mut next: Vec<Ctx> = cls.iter().rev().map(|&k| step(&mut last, k)).collect();
    next.reverse();
    (prev, next)
}
