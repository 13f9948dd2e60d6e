//! Chinese text hygiene: owns the clean-up (punctuation, quotes, brackets, ellipses, spaces,
//! full-width alphanumerics) applied to every string before it is typeset.
//!
//! The normalizer makes a few linear passes over the characters of a string:
//!
//! 1. every character is classified for *context*: `Cjk` (Han, kana, CJK and full-width
//!    punctuation), `Other` (Latin, digits, symbols, emoji, URLs), a paragraph `Break`
//!    (newline), or `Skip` (spaces, zero-width characters and the ambiguous punctuation this
//!    module may rewrite: `,;:?!()"'`, their full-width forms, curly quotes and ellipses);
//! 2. the context of a character is the nearest non-`Skip` character on each side within the
//!    paragraph. Looking *through* the punctuation the normalizer itself rewrites is what makes
//!    [`normalize`] idempotent;
//! 3. punctuation, brackets and quotes are decided, then the output is written while spaces,
//!    ellipses and full-width alphanumerics are handled, recording every [`Change`].

/// One change made by the normalizer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Byte offset of `from` in the original input.
    pub byte_offset: usize,
    /// The original text that was replaced.
    pub from: String,
    /// The replacement (empty when the text was removed).
    pub to: String,
}

/// Result of normalizing one string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    /// Every change, in input order; offsets refer to the original input.
    pub changes: Vec<Change>,
}

/// Context class of one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// A newline: the end of a paragraph (also used for "nothing there").
    Break,
    /// Looked through when searching for context.
    Skip,
    /// Han, kana, CJK or full-width punctuation.
    Cjk,
    /// Anything else (Latin, digits, symbols, emoji, URL characters).
    Other,
}

/// Normalizes one string (see the module documentation and the README for the rules).
///
/// Never panics; runs in time linear in the length of `input`; idempotent:
/// `normalize(&normalize(x).text).changes` is empty.
#[must_use]
pub fn normalize(input: &str) -> Normalized {
    let mut chars: Vec<char> = input.chars().collect();
    let cls = classify(&chars);
    let (prev, next) = context(&cls);
    convert_punctuation(&mut chars, &cls, &prev, &next);
    let mut start = 0;
    while start < chars.len() {
        let end = (start..chars.len()).find(|&i| cls[i] == Ctx::Break).unwrap_or(chars.len());
        let ctx = Para {
            cls: &cls,
            prev: &prev,
            next: &next,
            start,
            cjk_before: cjk_prefix(&cls[start..end]),
        };
        ctx.brackets(&mut chars, start, end);
        ctx.double_quotes(&mut chars, start, end);
        ctx.single_quotes(&mut chars, start, end);
        start = end + 1;
    }
    emit(input, &chars, &cls, &prev)
}

/// Joins the lines of a paragraph: a newline between two CJK characters disappears, a newline
/// between Latin words becomes a space.
///
/// Spaces around a line break go with it. A break next to a CJK character (Han or CJK
/// punctuation) on either side disappears, so `数据\n2024` becomes `数据2024`; a break inside a
/// hyphenated word (`well-\nknown`) disappears; any other break becomes one space. Breaks at
/// the start or end of the paragraph are removed. Other text is left untouched.
#[must_use]
pub fn join_lines(paragraph: &str) -> String {
    let chars: Vec<char> = paragraph.chars().collect();
    let mut out = String::with_capacity(paragraph.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_whitespace() {
            out.push(c);
            i += 1;
            continue;
        }
        let end = (i..chars.len()).find(|&j| !chars[j].is_whitespace()).unwrap_or(chars.len());
        let run = &chars[i..end];
        if !run.iter().any(|&c| is_newline(c)) {
            out.extend(run);
        } else if let (Some(left), Some(&right)) = (out.chars().next_back(), chars.get(end)) {
            let hyphenated = left == '-'
                && right.is_ascii_lowercase()
                && out.chars().rev().nth(1).is_some_and(|c| c.is_ascii_alphabetic());
            if !(is_cjk(left) || is_cjk(right) || hyphenated) {
                out.push(' ');
            }
        }
        i = end;
    }
    out
}

fn is_newline(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Horizontal whitespace: ASCII space, tab, NBSP, U+3000 and the other Unicode spaces.
fn is_space(c: char) -> bool {
    c.is_whitespace() && !is_newline(c)
}

/// Invisible characters that are removed: zero-width spaces and joiners, and the
/// bidirectional controls (embeddings, overrides, isolates, marks), which have no place
/// in Chinese text and could reorder what is printed.
fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
    )
}

fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3007}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// Han, kana, bopomofo, CJK punctuation and full-width punctuation (not full-width letters or
/// digits, which become ASCII).
fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c,
            '\u{2E80}'..='\u{2FDF}' | '\u{3001}'..='\u{303F}' | '\u{3040}'..='\u{312F}'
            | '\u{31C0}'..='\u{33FF}' | '\u{FE10}'..='\u{FE1F}' | '\u{FE30}'..='\u{FE4F}'
            | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}'
            | '\u{FF5B}'..='\u{FF65}' | '\u{FFE0}'..='\u{FFE6}')
}

fn is_fullwidth_alnum(c: char) -> bool {
    matches!(c, '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}')
}

/// The ASCII letter or digit for a full-width one; anything else unchanged.
fn ascii_equiv(c: char) -> char {
    if is_fullwidth_alnum(c) { char::from_u32(c as u32 - 0xFEE0).unwrap_or(c) } else { c }
}

fn is_word(c: char) -> bool {
    ascii_equiv(c).is_ascii_alphanumeric()
}

fn is_emoji_part(c: char) -> bool {
    matches!(c, '\u{2600}'..='\u{27BF}' | '\u{FE0F}' | '\u{1F000}'..='\u{1FAFF}')
}

/// Punctuation that this module rewrites, in either form: looked through for context.
fn is_ambiguous(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | ':'
            | '?'
            | '!'
            | '('
            | ')'
            | '"'
            | '\''
            | '，'
            | '；'
            | '：'
            | '？'
            | '！'
            | '（'
            | '）'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '…'
    )
}

/// Whether the character at `i` is part of a removable gap (space or zero-width character).
/// A zero-width joiner between two emoji parts is kept: it belongs to an emoji sequence.
fn is_gap(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    if is_space(c) {
        return true;
    }
    if c == '\u{200D}' {
        let before = i.checked_sub(1).and_then(|j| chars.get(j));
        let after = chars.get(i + 1);
        return !(before.is_some_and(|&b| is_emoji_part(b))
            && after.is_some_and(|&a| is_emoji_part(a)));
    }
    is_zero_width(c)
}

/// A `'` or `’` between two letters or digits (zero-width characters ignored) is an apostrophe.
fn is_apostrophe(chars: &[char], i: usize) -> bool {
    let before = chars[..i].iter().rev().find(|&&c| !is_zero_width(c));
    let after = chars[i + 1..].iter().find(|&&c| !is_zero_width(c));
    before.is_some_and(|&c| is_word(c)) && after.is_some_and(|&c| is_word(c))
}

/// What may sit inside a run of `c` (`...`, `。。。`, `……`) without breaking it: zero-width
/// characters, and for `。` also spaces (which are removed next to `。` anyway).
fn inside_run(c: char, x: char) -> bool {
    is_zero_width(x) || (c == '。' && is_space(x))
}

/// The end of the run of `chars[i]` starting at `i`.
fn run_end(chars: &[char], i: usize) -> usize {
    let c = chars[i];
    let mut end = i + 1;
    for (k, &x) in chars.iter().enumerate().skip(i + 1) {
        if x == c {
            end = k + 1;
        } else if !inside_run(c, x) {
            break;
        }
    }
    end
}

/// Whether `i` starts a run of `chars[i]` (is not its continuation).
fn is_run_start(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    chars[..i].iter().rev().find(|&&x| !inside_run(c, x)) != Some(&c)
}

/// The index of the first character at or after `k` that is not zero-width.
fn skip_zero_width(chars: &[char], k: usize) -> usize {
    (k..chars.len()).find(|&j| !is_zero_width(chars[j])).unwrap_or(chars.len())
}

fn classify(chars: &[char]) -> Vec<Ctx> {
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
fn starts_with_ascii(chars: &[char], i: usize, pattern: &str) -> bool {
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

fn is_url_char(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
}

/// Marks the non-zero-width characters of `span` as `Other`.
fn protect(chars: &[char], cls: &mut [Ctx], span: std::ops::Range<usize>) {
    for k in span {
        if !is_zero_width(chars[k]) {
            cls[k] = Ctx::Other;
        }
    }
}

/// Marks URLs and HTML entities as `Other`, so nothing inside them is rewritten. Trailing
/// punctuation (and an unbalanced trailing `)`) is not part of a URL. Zero-width characters,
/// which are removed, neither start nor end a span.
fn protect_spans(chars: &[char], cls: &mut [Ctx]) {
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
fn context(cls: &[Ctx]) -> (Vec<Ctx>, Vec<Ctx>) {
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

fn convert_punctuation(chars: &mut [char], cls: &[Ctx], prev: &[Ctx], next: &[Ctx]) {
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
fn cjk_prefix(cls: &[Ctx]) -> Vec<usize> {
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
struct Para<'a> {
    cls: &'a [Ctx],
    prev: &'a [Ctx],
    next: &'a [Ctx],
    start: usize,
    cjk_before: Vec<usize>,
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
    fn brackets(&self, chars: &mut [char], start: usize, end: usize) {
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

    fn double_quotes(&self, chars: &mut [char], start: usize, end: usize) {
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

    fn single_quotes(&self, chars: &mut [char], start: usize, end: usize) {
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
fn ellipsis(chars: &[char], cls: &[Ctx], prev: &[Ctx], i: usize) -> Option<usize> {
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
fn first_out(chars: &[char], cls: &[Ctx], prev: &[Ctx], i: usize) -> char {
    match ellipsis(chars, cls, prev, i) {
        Some(_) => '…',
        None => ascii_equiv(chars[i]),
    }
}

fn emit(input: &str, chars: &[char], cls: &[Ctx], prev: &[Ctx]) -> Normalized {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `(input, expected)`: real seed lines first, then rules, then edge cases.
    const CASES: &[(&str, &str)] = &[
        // --- real lines from seeds/*.txt ---
        (
            "▲盐湖区大力实施“新农人”培育计划,进一步汇聚起乡村发展人才动能。",
            "▲盐湖区大力实施“新农人”培育计划，进一步汇聚起乡村发展人才动能。",
        ),
        (
            "在各乡镇(街道)重点培育了10个左右带动力强的农民合作社。",
            "在各乡镇（街道）重点培育了10个左右带动力强的农民合作社。",
        ),
        (
            "本报讯(记者 曹欣怡)去年以来,万荣县着眼“五个注重”,实施“六个统筹”,",
            "本报讯（记者 曹欣怡）去年以来，万荣县着眼“五个注重”，实施“六个统筹”，",
        ),
        (
            "本报讯(记者 曹欣怡 通讯员 史甜甜)2月27日,河津市2024年度市直机关党组织书记抓基层党建工作述职评议会议召开。",
            "本报讯（记者 曹欣怡 通讯员 史甜甜）2月27日，河津市2024年度市直机关党组织书记抓基层党建工作述职评议会议召开。",
        ),
        (
            "“党员牵头带领居民运动健身,这是好事情,我们全力支持!”李代霞回忆道。",
            "“党员牵头带领居民运动健身，这是好事情，我们全力支持！”李代霞回忆道。",
        ),
        (
            "什么是“生活节”?就是将农户种植的新鲜蔬果、商家销售的零食小吃拉到社区、小区售卖,",
            "什么是“生活节”？就是将农户种植的新鲜蔬果、商家销售的零食小吃拉到社区、小区售卖，",
        ),
        (
            "“一刻钟便民服务圈”是丰富社区业态、让居民就近满足生活需求的务实举措;“生活节”进社区活动",
            "“一刻钟便民服务圈”是丰富社区业态、让居民就近满足生活需求的务实举措；“生活节”进社区活动",
        ),
        (
            "该社区负责人现场指着这些新设施表示:“群众心直达两件事,如今都已安稳落地。”",
            "该社区负责人现场指着这些新设施表示：“群众心直达两件事，如今都已安稳落地。”",
        ),
        ("迎泽区:激活党建“源动力” 便民服务“大提速”", "迎泽区：激活党建“源动力”便民服务“大提速”"),
        ("发表时间:2024-02-26 15:25:00 来源:", "发表时间：2024-02-26 15:25:00来源："),
        (
            "  近年来,太原市迎泽区按照“阵地标准化、管理规范化”原则,积极发挥街镇、社区、小区党群服务中心(站)作用,",
            "近年来，太原市迎泽区按照“阵地标准化、管理规范化”原则，积极发挥街镇、社区、小区党群服务中心（站）作用，",
        ),
        (
            "邮箱:tywmwglzx@163.com 地址:太原市新建路81号",
            "邮箱：tywmwglzx@163.com地址：太原市新建路81号",
        ),
        ("当前位置:首页\u{a0}>\u{a0}县区联播", "当前位置：首页>县区联播"),
        (
            "会议强调,全体纪检监察干部要把准干的方 向、提振干的状态",
            // One space between Han characters is kept (it usually separates names).
            "会议强调，全体纪检监察干部要把准干的方 向、提振干的状态",
        ),
        (
            "通过创新“主题党日+”模式,将理论学习、党性教育与文明实践深度融合",
            "通过创新“主题党日+”模式，将理论学习、党性教育与文明实践深度融合",
        ),
        (
            "② 外卖员进社区参加“双报到双服务”活动。(资料照片)",
            "②外卖员进社区参加“双报到双服务”活动。（资料照片）",
        ),
        // seeds/004: a closing quote used as an opening one.
        (
            "▲山西阳光焦化集团坚持“党建引领，强化”三基”，践行新理念，实现高质量发展的工作思路，用“艰苦创业、务实创新”的企业精神引领高质量发展。",
            "▲山西阳光焦化集团坚持“党建引领，强化‘三基’，践行新理念，实现高质量发展的工作思路，用“艰苦创业、务实创新”的企业精神引领高质量发展。",
        ),
        ("强化”三基”，践行新理念", "强化“三基”，践行新理念"),
        // Bidirectional controls are removed: they would reorder the printed text.
        ("右到左\u{202e}文字", "右到左文字"),
        ("甲\u{2067}乙\u{2069}丙", "甲乙丙"),
        // --- rules ---
        ("截至目前,迎泽区", "截至目前，迎泽区"),
        ("盐湖区,进一步", "盐湖区，进一步"),
        ("Hello,世界", "Hello，世界"),
        ("他说:\"你好\"", "他说：“你好”"),
        ("\"14683\"工作体系", "“14683”工作体系"),
        ("打造\"一站式\"服务,\"二厅四室\"", "打造“一站式”服务，“二厅四室”"),
        ("他说 \"hello\" 然后走了", "他说“hello”然后走了"),
        ("拿个'福'字", "拿个‘福’字"),
        ("“新农人\"培育", "“新农人”培育"),
        ("中文(a)", "中文（a）"),
        ("(1)加强组织领导", "（1）加强组织领导"),
        ("小区(网格)党群服务站840个", "小区（网格）党群服务站840个"),
        ("党群服务中心（站)作用", "党群服务中心（站）作用"),
        ("好消息...", "好消息……"),
        ("好消息。。。", "好消息……"),
        ("好消息…他说", "好消息……他说"),
        ("全新ＡＢＣ１２３型号", "全新ABC123型号"),
        ("共计\u{3000}\u{3000}５０人", "共计50人"),
        ("Python 编程", "Python编程"),
        ("2024年 7月", "2024年7月"),
        ("hello   world\u{a0} again", "hello world again"),
        ("零\u{200b}宽\u{feff}字符", "零宽字符"),
        ("a\u{200b}b", "ab"),
        ("什么?!", "什么？！"),
        ("好。,然后", "好。，然后"),
        ("结尾是逗号,", "结尾是逗号，"),
        ("第一段 \n 第二段", "第一段\n第二段"),
        ("网址:http://www.example.com/a?b=1,中文", "网址：http://www.example.com/a?b=1，中文"),
        ("见 www.sxrb.com/a(b)c;的报道", "见www.sxrb.com/a(b)c；的报道"),
        ("版本v1.2,已发布", "版本v1.2，已发布"),
        // --- must not change ---
        ("4,000", "4,000"),
        ("3.5%", "3.5%"),
        ("1,300.5", "1,300.5"),
        ("2024-02-26", "2024-02-26"),
        ("15:25:00", "15:25:00"),
        ("10:30", "10:30"),
        ("v1.2", "v1.2"),
        ("http://www.sxrb.com/a/b?x=1&y=2", "http://www.sxrb.com/a/b?x=1&y=2"),
        ("tywmwglzx@163.com", "tywmwglzx@163.com"),
        ("report_v2.final.pdf", "report_v2.final.pdf"),
        ("He said \"hi\", then left.", "He said \"hi\", then left."),
        ("see (a) above; it's fine!", "see (a) above; it's fine!"),
        ("Wait... what?", "Wait... what?"),
        ("3+N模式", "3+N模式"),
        ("共有4,000人参加,占3.5%。", "共有4,000人参加，占3.5%。"),
        ("时间为10:30,地点在1号楼", "时间为10:30，地点在1号楼"),
        (
            "“叔，拿个‘福’字，新年福到家。”“这副春联寓意好。”",
            "“叔，拿个‘福’字，新年福到家。”“这副春联寓意好。”",
        ),
        (
            "舞蹈《绣红旗》在《在希望的田野上》及快板等多个精彩节目轮番上演。",
            "舞蹈《绣红旗》在《在希望的田野上》及快板等多个精彩节目轮番上演。",
        ),
        ("“他说“我们”好”", "“他说“我们”好”"),
        ("“甲”和“乙”", "“甲”和“乙”"),
        // --- edge cases ---
        ("", ""),
        ("   ", ""),
        ("\u{3000}\u{a0}\n ", ""),
        ("👍", "👍"),
        ("点赞 👍 很好", "点赞👍很好"),
        ("家庭👨\u{200d}👩\u{200d}👧", "家庭👨\u{200d}👩\u{200d}👧"),
        ("Beijing (北京) is big", "Beijing（北京）is big"),
        ("(unclosed 中文", "(unclosed中文"),
        ("中文)", "中文)"),
        ("\"", "\""),
        ("他说\"", "他说”"),
        ("He said \"你好\" to me", "He said “你好” to me"),
        ("&nbsp;中文", "&nbsp;中文"),
    ];

    #[test]
    fn table() {
        assert!(CASES.len() >= 40);
        let unchanged = CASES.iter().filter(|(i, e)| i == e).count();
        assert!(unchanged >= 12, "{unchanged} unchanged cases");
        let mut failures = Vec::new();
        for &(input, expected) in CASES {
            let got = normalize(input).text;
            if got != expected {
                failures.push(format!(
                    "\n  input:    {input:?}\n  expected: {expected:?}\n  got:      {got:?}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.concat());
    }

    #[test]
    fn unchanged_cases_record_no_change() {
        for &(input, expected) in CASES {
            if input == expected {
                assert_eq!(normalize(input).changes, Vec::new(), "{input:?}");
            }
        }
    }

    #[test]
    fn idempotent_over_table() {
        for &(input, _) in CASES {
            let once = normalize(input);
            let twice = normalize(&once.text);
            assert_eq!(twice.changes, Vec::new(), "{input:?} -> {:?}", once.text);
            assert_eq!(twice.text, once.text);
        }
    }

    /// Replays the changes on the input; checks offsets point at `from` and do not overlap.
    fn replay(input: &str, changes: &[Change]) -> String {
        let mut out = String::new();
        let mut pos = 0;
        for ch in changes {
            assert!(ch.byte_offset >= pos, "overlapping change {ch:?} in {input:?}");
            assert_ne!(ch.from, ch.to, "no-op change in {input:?}");
            let rest = input.get(ch.byte_offset..).expect("offset on a char boundary");
            assert!(rest.starts_with(&ch.from), "{ch:?} does not point at `from` in {input:?}");
            out.push_str(&input[pos..ch.byte_offset]);
            out.push_str(&ch.to);
            pos = ch.byte_offset + ch.from.len();
        }
        out.push_str(&input[pos..]);
        out
    }

    #[test]
    fn changes_replay_to_the_output() {
        for &(input, _) in CASES {
            let n = normalize(input);
            assert_eq!(replay(input, &n.changes), n.text, "{input:?}");
        }
    }

    #[test]
    fn change_counts_and_offsets() {
        let input = " 盐湖区,进一步(社区)ＡＢ...";
        let n = normalize(input);
        let expected = [
            (0, " ", ""),
            (" 盐湖区".len(), ",", "，"),
            (" 盐湖区,进一步".len(), "(", "（"),
            (" 盐湖区,进一步(社区".len(), ")", "）"),
            (" 盐湖区,进一步(社区)".len(), "ＡＢ", "AB"),
        ];
        assert_eq!(n.changes.len(), expected.len(), "{:?}", n.changes);
        for (ch, (offset, from, to)) in n.changes.iter().zip(expected) {
            assert_eq!((ch.byte_offset, ch.from.as_str(), ch.to.as_str()), (offset, from, to));
        }
        assert_eq!(n.text, "盐湖区，进一步（社区）AB...");

        // Inside an open double quote, the pair becomes single quotes.
        let n = normalize("“党建引领，强化”三基”");
        assert_eq!(n.changes.len(), 2);
        assert_eq!(n.changes[0].byte_offset, "“党建引领，强化".len());
        assert_eq!((n.changes[0].from.as_str(), n.changes[0].to.as_str()), ("”", "‘"));
        assert_eq!((n.changes[1].from.as_str(), n.changes[1].to.as_str()), ("”", "’"));
        assert_eq!(n.text, "“党建引领，强化‘三基’");

        let n = normalize("中文  \u{3000}中文");
        assert_eq!(n.changes.len(), 1);
        assert_eq!(n.changes[0].from, "  \u{3000}");
        assert_eq!(n.changes[0].to, "");
    }

    #[test]
    fn join_lines_cases() {
        let cases = [
            ("第一行\n第二行", "第一行第二行"),
            ("hello\nworld", "hello world"),
            ("数据\n2024", "数据2024"),
            ("2024\n年", "2024年"),
            ("共计，\nabc", "共计，abc"),
            ("line one  \r\n  line two", "line one line two"),
            ("well-\nknown", "well-known"),
            ("中文 \n 中文", "中文中文"),
            ("a\n\nb", "a b"),
            ("\n开头和结尾\n", "开头和结尾"),
            ("no break  here", "no break  here"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(join_lines(input), expected, "{input:?}");
        }
    }

    /// A small deterministic fuzzer: no panics, idempotence, replayable changes.
    #[test]
    fn random_strings() {
        const ALPHABET: &[char] = &[
            '中', '文', '三', 'a', 'b', 'Z', '1', '9', ',', '.', ':', ';', '?', '!', '(', ')', '"',
            '\'', ' ', ' ', '\n', '\r', '\t', '\u{3000}', '\u{a0}', '\u{200b}', '\u{200d}',
            '\u{feff}', '“', '”', '‘', '’', '，', '。', '…', '（', '）', 'Ａ', '１', '👍', '/',
            '@', '&', '#', '-', 'w', 'h', 't', 'p', '、', '《',
        ];
        const WORDS: &[&str] = &["http://", "www.", "...", "。。。", "&amp;", "'s", "mailto:"];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut rand = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % bound as u64).unwrap_or(0)
        };
        for _ in 0..30_000 {
            let mut s = String::new();
            for _ in 0..rand(24) {
                if rand(8) == 0 {
                    s.push_str(WORDS[rand(WORDS.len())]);
                } else {
                    s.push(ALPHABET[rand(ALPHABET.len())]);
                }
            }
            let once = normalize(&s);
            assert_eq!(replay(&s, &once.changes), once.text, "{s:?}");
            let twice = normalize(&once.text);
            assert!(
                twice.changes.is_empty(),
                "not idempotent: {s:?} -> {:?} -> {:?}",
                once.text,
                twice.text
            );
            let _ = join_lines(&s);
        }
    }

    #[test]
    fn large_input_is_cleaned_whole() {
        // Big inputs and long runs of one mark come through whole. (How long that takes is
        // the benchmark's business, not a test's: no timed assertion here.)
        let line = "盐湖区大力实施\"新农人\"培育计划,进一步(汇聚)起 乡村 发展人才动能。Latin words, 4,000 ... ";
        let big = line.repeat(20_000);
        assert_eq!(normalize(&big).text.matches("新农人").count(), 20_000);
        let commas = ",".repeat(200_000) + &"(".repeat(100_000) + &"\"".repeat(100_000);
        assert_eq!(normalize(&commas).text, commas);
    }
}
