//! The decisions and the output: punctuation, brackets and quotes chosen from their
//! context, then the text written with spaces, ellipses and full-width letters handled,
//! recording every change.

use super::chars::*;
use super::{Change, Ctx, Normalized};

pub(super) fn convert_punctuation(chars: &mut [char], cls: &[Ctx], prev: &[Ctx], next: &[Ctx]) {
    for (i, c) in chars.iter_mut().enumerate() {
        if cls[i] != Ctx::Skip || !(prev[i] == Ctx::Cjk || next[i] == Ctx::Cjk) {
            continue;
        }
        *c = match *c {
            ',' => '，',
            ';' => '；',
            ':' => '：',
            '?' => '？',
            '!' => '！',
            other => other,
        };
    }
}

/// `out[k]` is the number of `Cjk` characters in `cls[..k]`.
pub(super) fn cjk_prefix(cls: &[Ctx]) -> Vec<usize> {
    let mut out = Vec::with_capacity(cls.len() + 1);
    let mut count = 0;
    out.push(0);
    for &k in cls {
        count += usize::from(k == Ctx::Cjk);
        out.push(count);
    }
    out
}

/// Context shared by the decisions taken within one paragraph.
pub(super) struct Para<'a> {
    pub(super) cls: &'a [Ctx],
    pub(super) prev: &'a [Ctx],
    pub(super) next: &'a [Ctx],
    pub(super) start: usize,
    pub(super) cjk_before: Vec<usize>,
}

impl Para<'_> {
    /// Whether a `Cjk` character lies strictly between `open` and `close`.
    fn cjk_inside(&self, open: usize, close: usize) -> bool {
        let count = |i: usize| self.cjk_before.get(i - self.start).copied().unwrap_or(0);
        close > open + 1 && count(close) > count(open + 1)
    }

    /// Whether the pair `open`…`close` is in Chinese context: Chinese inside or just outside.
    fn chinese_pair(&self, open: usize, close: usize) -> bool {
        self.cjk_inside(open, close) || self.prev[open] == Ctx::Cjk || self.next[close] == Ctx::Cjk
    }

    /// Matches `(` / `（` with `)` / `）` and converts an ASCII pair in Chinese context, or the
    /// ASCII half of a mixed pair. Unmatched brackets are left alone.
    pub(super) fn brackets(&self, chars: &mut [char], start: usize, end: usize) {
        let mut stack = Vec::new();
        for i in start..end {
            let ascii = self.cls[i] == Ctx::Skip;
            match chars[i] {
                '(' if ascii => stack.push(i),
                '（' => stack.push(i),
                ')' if ascii => {
                    if let Some(open) = stack.pop()
                        && (chars[open] == '（' || self.chinese_pair(open, i))
                    {
                        chars[open] = '（';
                        chars[i] = '）';
                    }
                }
                '）' => {
                    if let Some(open) = stack.pop() {
                        chars[open] = '（';
                    }
                }
                _ => {}
            }
        }
    }

    /// Pairs the quote marks of the paragraph by position and converts the straight ones of a
    /// pair that is in Chinese context or whose other half is already curly.
    fn pair_quotes(
        &self,
        chars: &mut [char],
        marks: &[usize],
        straight: char,
        (open, close): (char, char),
    ) {
        for pair in marks.chunks_exact(2) {
            let (a, b) = (pair[0], pair[1]);
            let (sa, sb) = (chars[a] == straight, chars[b] == straight);
            if (sa || sb) && (!sa || !sb || self.chinese_pair(a, b)) {
                if sa {
                    chars[a] = open;
                }
                if sb {
                    chars[b] = close;
                }
            }
        }
    }

    pub(super) fn double_quotes(&self, chars: &mut [char], start: usize, end: usize) {
        let marks: Vec<usize> = (start..end)
            .filter(|&i| match chars[i] {
                '"' => self.cls[i] == Ctx::Skip,
                '“' | '”' => true,
                _ => false,
            })
            .collect();
        self.pair_quotes(chars, &marks, '"', ('“', '”'));
        // A lone straight quote in Chinese context: a closing one at the end of the
        // paragraph, an opening one otherwise.
        if let [.., last] = marks[..]
            && marks.len() % 2 == 1
            && chars[last] == '"'
        {
            if self.prev[last] == Ctx::Cjk && self.next[last] == Ctx::Break {
                chars[last] = '”';
            } else if self.prev[last] == Ctx::Cjk || self.next[last] == Ctx::Cjk {
                chars[last] = '“';
            }
        }
        // A closing quote used as an opening one (`”三基”`): when no quote (or one) is open, a
        // `”` directly followed by Han text whose next quote mark is also `”` opens. Inside
        // an open double quote, the pair is a quotation inside a quotation and takes single
        // quotes (GB/T 15834 §4.1.3.3): `“党建引领，强化”三基”` → `“党建引领，强化‘三基’`.
        let mut depth = 0usize;
        for (k, &m) in marks.iter().enumerate() {
            match chars[m] {
                '“' => depth = depth.saturating_add(1),
                '”' => {
                    let han_follows = chars[m + 1..]
                        .iter()
                        .find(|&&c| !(is_space(c) || is_zero_width(c)))
                        .is_some_and(|&c| is_han(c));
                    let next = marks[k + 1..].iter().copied().find(|&j| chars[j] != '"');
                    let next_closes = next.is_some_and(|j| chars[j] == '”');
                    if depth == 1 && han_follows && next_closes {
                        chars[m] = '‘';
                        if let Some(j) = next {
                            chars[j] = '’';
                        }
                    } else if depth == 0 && han_follows && next_closes {
                        chars[m] = '“';
                        depth = depth.saturating_add(1);
                    } else {
                        depth = depth.saturating_sub(1);
                    }
                }
                _ => {}
            }
        }
    }

    pub(super) fn single_quotes(&self, chars: &mut [char], start: usize, end: usize) {
        let marks: Vec<usize> = (start..end)
            .filter(|&i| match chars[i] {
                '\'' | '’' => self.cls[i] == Ctx::Skip,
                '‘' => true,
                _ => false,
            })
            .collect();
        self.pair_quotes(chars, &marks, '\'', ('‘', '’'));
    }
}

/// If a run of `.`, `。` or `…` that becomes `……` starts at `i`: its end.
///
/// `...` (three or more dots) and a single `…` become `……` after Chinese; `。。。` (three or
/// more) always does.
pub(super) fn ellipsis(chars: &[char], cls: &[Ctx], prev: &[Ctx], i: usize) -> Option<usize> {
    let c = chars[i];
    let after_cjk = prev[i] == Ctx::Cjk;
    let candidate = match c {
        '.' => cls[i] == Ctx::Skip && after_cjk,
        '。' => cls[i] == Ctx::Skip,
        '…' => after_cjk,
        _ => false,
    };
    if !candidate || !is_run_start(chars, i) {
        return None;
    }
    let end = run_end(chars, i);
    (c != '…' || end == i + 1).then_some(end)
}

/// The first output character for the input character at `i` (after a gap).
pub(super) fn first_out(chars: &[char], cls: &[Ctx], prev: &[Ctx], i: usize) -> char {
    match ellipsis(chars, cls, prev, i) {
        Some(_) => '…',
        None => ascii_equiv(chars[i]),
    }
}

pub(super) fn emit(input: &str, chars: &[char], cls: &[Ctx], prev: &[Ctx]) -> Normalized {
    let trimmable = |c: char| c.is_whitespace() || is_zero_width(c);
    let first = chars.iter().position(|&c| !trimmable(c)).unwrap_or(chars.len());
    let last = chars.iter().rposition(|&c| !trimmable(c)).map_or(first, |p| p + 1);
    let byte_len = |run: &[char]| run.iter().map(|c| c.len_utf8()).sum::<usize>();
    let mut text = String::with_capacity(input.len());
    let mut changes = Vec::new();
    let mut record = |offset: usize, len: usize, to: &str| {
        let from = input.get(offset..offset + len).unwrap_or_default();
        if from != to {
            changes.push(Change {
                byte_offset: offset,
                from: from.to_string(),
                to: to.to_string(),
            });
        }
    };
    let mut off = byte_len(&chars[..first]);
    record(0, off, "");
    let mut i = first;
    while i < last {
        let c = chars[i];
        if cls[i] == Ctx::Skip && is_gap(chars, i) {
            let end = (i..last).find(|&j| !is_gap(chars, j)).unwrap_or(last);
            let len = byte_len(&chars[i..end]);
            let has_space = chars[i..end].iter().any(|&c| is_space(c));
            let left = text.chars().next_back().unwrap_or('\n');
            let right = chars.get(end).map_or('\n', |_| first_out(chars, cls, prev, end));
            let tight = [left, right].iter().any(|&c| is_newline(c) || is_cjk(c));
            // One space between two Han characters is usually meant: it separates names
            // in credit lines (记者 曹欣怡) and phrases in slogans and headlines. Keep it;
            // runs of spaces and no-break spaces there are removed.
            let separator = end == i + 1
                && matches!(chars[i], ' ' | '\u{3000}')
                && is_han(left)
                && is_han(right);
            let kept = chars[i].to_string();
            let to = if separator {
                kept.as_str()
            } else if has_space && !tight {
                " "
            } else {
                ""
            };
            record(off, len, to);
            text.push_str(to);
            off += len;
            i = end;
        } else if let Some(end) = ellipsis(chars, cls, prev, i) {
            let len = byte_len(&chars[i..end]);
            record(off, len, "……");
            text.push_str("……");
            off += len;
            i = end;
        } else if is_fullwidth_alnum(c) {
            let end = (i..last).find(|&j| !is_fullwidth_alnum(chars[j])).unwrap_or(last);
            let len = byte_len(&chars[i..end]);
            let ascii: String = chars[i..end].iter().map(|&c| ascii_equiv(c)).collect();
            record(off, len, &ascii);
            text.push_str(&ascii);
            off += len;
            i = end;
        } else {
            let original = input.get(off..).and_then(|s| s.chars().next()).unwrap_or(c);
            let len = original.len_utf8();
            if original != c {
                record(off, len, c.encode_utf8(&mut [0; 4]));
            }
            text.push(c);
            off += len;
            i += 1;
        }
    }
    record(off, input.len().saturating_sub(off), "");
    Normalized { text, changes }
}
