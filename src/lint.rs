//! Editorial lint of article text: what an office editor queries before signing a 简报 off.
//! Unbalanced or same-level nested quotation marks, Latin words between Han characters, a
//! 破折号 used as a connector, and an article that ends mid-sentence or is cut off in its
//! source. The findings are about text alone; the manifest's checks turn them into `check`
//! warnings that point at the manifest. The text is the editor's to fix, so nothing here
//! changes it.

use crate::diag::SourceText;

/// One thing to query in a paragraph: what, where (char index in the cleaned paragraph),
/// and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What is wrong.
    pub message: String,
    /// Char index in the paragraph where it is.
    pub at: usize,
    /// How to fix it.
    pub hint: String,
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// A few characters of the paragraph around `at`, for messages.
fn excerpt(chars: &[char], at: usize) -> String {
    let start = at.saturating_sub(8);
    let end = (at + 8).min(chars.len());
    chars[start..end].iter().collect()
}

/// Quotation marks: “ ” and ‘ ’ must pair up inside the paragraph, and a quote inside a
/// double quote takes single quotes (GB/T 15834 §4.1.3.3).
pub fn quotes(p: &str) -> Vec<Finding> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = Vec::new();
    let mut open: Vec<(char, usize)> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let latin_around = |k: usize| {
            let before = k.checked_sub(1).and_then(|j| chars.get(j));
            let after = chars.get(k + 1);
            before.is_some_and(|c| c.is_ascii_alphabetic())
                && after.is_some_and(|c| c.is_ascii_alphabetic())
        };
        match c {
            '“' => {
                if open.last().is_some_and(|&(q, _)| q == '“') {
                    out.push(Finding {
                        message: format!(
                            "a double quote opens inside a double quote: …{}…",
                            excerpt(&chars, i)
                        ),
                        at: i,
                        hint: "a quotation inside “ ” takes single quotes: “……‘……’……”".into(),
                    });
                }
                open.push(('“', i));
            }
            '‘' => open.push(('‘', i)),
            '”' | '’' => {
                if c == '’' && latin_around(i) {
                    continue;
                }
                let want = if c == '”' { '“' } else { '‘' };
                match open.iter().rposition(|&(q, _)| q == want) {
                    Some(k) => {
                        open.truncate(k);
                    }
                    None => out.push(Finding {
                        message: format!(
                            "{c} closes a quotation that was never opened: …{}…",
                            excerpt(&chars, i)
                        ),
                        at: i,
                        hint: format!("add the opening {want}, or remove the stray {c}"),
                    }),
                }
            }
            _ => {}
        }
    }
    for (q, i) in open {
        let close = if q == '“' { '”' } else { '’' };
        out.push(Finding {
            message: format!("{q} is never closed in this paragraph: …{}…", excerpt(&chars, i)),
            at: i,
            hint: format!("add the closing {close} where the quotation ends"),
        });
    }
    out
}

/// Latin words set between Han characters ("22家责任单位and任务"): usually a slip for a
/// Chinese word. Upper-case abbreviations (APP, 5G, AI) are left alone.
pub fn latin_words(p: &str) -> Vec<Finding> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_alphabetic() {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let before = chars[..start].iter().rev().find(|c| **c != ' ').copied();
        let after = chars[i..].iter().find(|c| **c != ' ').copied();
        let between_han = before.is_some_and(is_han) && after.is_some_and(is_han);
        if between_han && word.len() >= 2 && word.chars().any(|c| c.is_ascii_lowercase()) {
            out.push(Finding {
                message: format!(
                    "a Latin word between Han characters: “{word}” in …{}…",
                    excerpt(&chars, start)
                ),
                at: start,
                hint: "write it in Chinese (e.g. and → 和), or check the source".into(),
            });
        }
    }
    out
}

/// A 破折号 (——) used as a connector between short terms ("街道——社区——小区"): a
/// sequence of places or steps takes the 一字线 (—), GB/T 15834 §4.13.
pub fn dash_connectors(p: &str) -> Vec<Finding> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = Vec::new();
    let dashes: Vec<usize> = (0..chars.len().saturating_sub(1))
        .filter(|&i| chars[i] == '—' && chars[i + 1] == '—' && (i == 0 || chars[i - 1] != '—'))
        .collect();
    // Terms of 1–4 Han characters on both sides of two dashes, each bounded by
    // something that is not Han: 街道——社区——小区.
    let term = |s: &[char]| (1..=4).contains(&s.len()) && s.iter().all(|&c| is_han(c));
    for w in dashes.windows(2) {
        let between = &chars[w[0] + 2..w[1]];
        let before: Vec<char> =
            chars[..w[0]].iter().rev().take_while(|&&c| is_han(c)).copied().collect();
        let after: Vec<char> =
            chars[w[1] + 2..].iter().take_while(|&&c| is_han(c)).copied().collect();
        if term(between) && term(&before) && term(&after) {
            out.push(Finding {
                message: format!("a 破折号 used as a connector: …{}…", excerpt(&chars, w[0])),
                at: w[0],
                hint: "a sequence of terms (街道—社区—小区) takes the 一字线 —, not ——".into(),
            });
            break;
        }
    }
    out
}

/// Whether a paragraph ends a sentence: with 。！？…, or a closing quote or bracket
/// after one.
pub fn ends_sentence(p: &str) -> bool {
    let mut trimmed = p.trim_end();
    // A credit in brackets after the last sentence: "……八部。（山西日报 要佳）".
    if trimmed.ends_with('）')
        && let Some(open) = trimmed.rfind('（')
        && open > 0
    {
        let before = &trimmed[..open];
        if before.ends_with(['。', '！', '？', '”']) {
            trimmed = before;
        }
    }
    let core = trimmed.trim_end_matches(['”', '’', '）', '』', '」', '》']);
    core.ends_with(['。', '！', '？', '…', '!', '?'])
        || (core.len() < trimmed.len() && core.ends_with(['。', '！', '？', '…']))
}

/// Every finding of one paragraph.
pub fn paragraph(p: &str) -> Vec<Finding> {
    let mut out = quotes(p);
    out.extend(latin_words(p));
    out.extend(dash_connectors(p));
    out
}

/// Where in the manifest a finding is: the nearest run of Han characters before it,
/// found inside the body's span; the body's start when that fails.
pub fn locate(
    source: &SourceText,
    body: &std::ops::Range<usize>,
    p: &str,
    at: usize,
) -> std::ops::Range<usize> {
    let chars: Vec<char> = p.chars().collect();
    let at = at.min(chars.len());
    let mut start = at;
    while start > 0 && at - start < 6 && is_han(chars[start - 1]) {
        start -= 1;
    }
    let end = (at..chars.len()).take_while(|&k| k < at + 1 || is_han(chars[k])).take(4).last();
    let needle: String = chars[start..end.map_or(at, |e| e + 1)].iter().collect();
    let text = source.text.get(body.clone()).unwrap_or_default();
    match text.find(needle.as_str()).filter(|_| !needle.is_empty()) {
        Some(off) => body.start + off..body.start + off + needle.len(),
        None => body.start..body.start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_balance_and_nest() {
        assert!(quotes("他说：“群众心直达两件事，如今都已安稳落地。”").is_empty());
        assert!(quotes("“叔，拿个‘福’字，新年福到家。”").is_empty());
        let nested = quotes("坚持“党建引领，强化“三基”，践行新理念");
        assert_eq!(nested.len(), 2, "{nested:?}");
        assert!(nested[0].message.contains("inside a double quote"));
        assert!(nested[1].message.contains("never closed"));
        let stray = quotes("确保各项任务有效落实。”河津市委常委表示");
        assert!(stray[0].message.contains("never opened"), "{stray:?}");
    }

    #[test]
    fn latin_words_between_han() {
        let f = latin_words("明确22家责任单位and任务完成时限");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("“and”"));
        assert!(latin_words("开发APP和5G应用").is_empty());
        assert!(latin_words("the English sentence here").is_empty());
    }

    #[test]
    fn dashes_as_connectors() {
        assert_eq!(dash_connectors("构建“街道——社区——小区”三级").len(), 1);
        assert!(dash_connectors("——盐湖区创建示范区实践探索").is_empty());
        assert!(dash_connectors("他说——这是好事——大家都支持").is_empty());
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("高效率服务保障。"));
        assert!(ends_sentence("“这得益于党建引领。”"));
        assert!(!ends_sentence("高效率服务保障。制订"));
        assert!(!ends_sentence("“现在大家‘一起干’，这得益于"));
        assert!(ends_sentence("党员人数达到8部。（山西日报 要佳）"));
        assert!(!ends_sentence("（山西日报 要佳）"));
    }
}
