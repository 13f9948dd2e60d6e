//! What each character is: spaces, zero-width and CJK characters, the punctuation the
//! normalizer rewrites, and runs of repeated marks.

pub(super) fn is_newline(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Horizontal whitespace: ASCII space, tab, NBSP, U+3000 and the other Unicode spaces.
pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace() && !is_newline(c)
}

/// Invisible characters that are removed: zero-width spaces and joiners, and the
/// bidirectional controls (embeddings, overrides, isolates, marks), which have no place
/// in Chinese text and could reorder what is printed.
pub(super) fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
    )
}

pub(super) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3007}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// Han, kana, bopomofo, CJK punctuation and full-width punctuation (not full-width letters or
/// digits, which become ASCII).
pub(super) fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c,
            '\u{2E80}'..='\u{2FDF}' | '\u{3001}'..='\u{303F}' | '\u{3040}'..='\u{312F}'
            | '\u{31C0}'..='\u{33FF}' | '\u{FE10}'..='\u{FE1F}' | '\u{FE30}'..='\u{FE4F}'
            | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}'
            | '\u{FF5B}'..='\u{FF65}' | '\u{FFE0}'..='\u{FFE6}')
}

pub(super) fn is_fullwidth_alnum(c: char) -> bool {
    matches!(c, '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}')
}

/// The ASCII letter or digit for a full-width one; anything else unchanged.
pub(super) fn ascii_equiv(c: char) -> char {
    if is_fullwidth_alnum(c) { char::from_u32(c as u32 - 0xFEE0).unwrap_or(c) } else { c }
}

pub(super) fn is_word(c: char) -> bool {
    ascii_equiv(c).is_ascii_alphanumeric()
}

pub(super) fn is_emoji_part(c: char) -> bool {
    matches!(c, '\u{2600}'..='\u{27BF}' | '\u{FE0F}' | '\u{1F000}'..='\u{1FAFF}')
}

/// Punctuation that this module rewrites, in either form: looked through for context.
pub(super) fn is_ambiguous(c: char) -> bool {
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
pub(super) fn is_gap(chars: &[char], i: usize) -> bool {
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
pub(super) fn is_apostrophe(chars: &[char], i: usize) -> bool {
    let before = chars[..i].iter().rev().find(|&&c| !is_zero_width(c));
    let after = chars[i + 1..].iter().find(|&&c| !is_zero_width(c));
    before.is_some_and(|&c| is_word(c)) && after.is_some_and(|&c| is_word(c))
}

/// What may sit inside a run of `c` (`...`, `。。。`, `……`) without breaking it: zero-width
/// characters, and for `。` also spaces (which are removed next to `。` anyway).
pub(super) fn inside_run(c: char, x: char) -> bool {
    is_zero_width(x) || (c == '。' && is_space(x))
}

/// The end of the run of `chars[i]` starting at `i`.
pub(super) fn run_end(chars: &[char], i: usize) -> usize {
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
pub(super) fn is_run_start(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    chars[..i].iter().rev().find(|&&x| !inside_run(c, x)) != Some(&c)
}

/// The index of the first character at or after `k` that is not zero-width.
pub(super) fn skip_zero_width(chars: &[char], k: usize) -> usize {
    (k..chars.len()).find(|&j| !is_zero_width(chars[j])).unwrap_or(chars.len())
}
