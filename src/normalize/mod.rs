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
//!
//! Character predicates are in `chars.rs`, step 1 and 2 in `classify.rs`, step 3 in
//! `rewrite.rs`.

mod chars;
mod classify;
mod rewrite;
#[cfg(test)]
mod tests;

use chars::*;
use classify::{classify, context};
use rewrite::{Para, cjk_prefix, convert_punctuation, emit};

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
