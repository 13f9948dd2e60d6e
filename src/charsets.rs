//! Character sets an office prints: GB 2312 and Big5 (every valid double-byte code,
//! decoded with encoding_rs) and the 通用规范汉字表 (8,105 characters, derived from
//! Unihan's kTGH field into `fonts/tongyong-guifan.txt`).

/// The 8,105 characters of the 通用规范汉字表 (2013), in Unihan's order, one line each;
/// written by `fonts/regenerate.sh` from Unihan's kTGH field.
const TONGYONG_GUIFAN: &str = include_str!("../fonts/tongyong-guifan.txt");

/// A named character set.
pub struct Charset {
    /// Name as shown, e.g. `GB 2312`.
    pub name: &'static str,
    /// Its characters, sorted by code point.
    pub chars: Vec<char>,
}

/// The Han characters of GB 2312, the 通用规范汉字表 and Big5, in that order. (The
/// symbol rows are left out: GBK, which encoding_rs decodes, adds symbols in GB 2312's
/// area, and the fallback fonts carry only ideographs.)
pub fn all() -> Vec<Charset> {
    let han = |chars: Vec<char>| chars.into_iter().filter(|&c| is_han(c)).collect();
    vec![
        Charset { name: "GB 2312 汉字", chars: han(gb2312()) },
        Charset { name: "通用规范汉字表", chars: tongyong_guifan() },
        Charset { name: "Big5 漢字", chars: han(big5()) },
    ]
}

/// Whether `c` is a CJK ideograph (unified, any extension, or compatibility).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFF}')
}

/// The 通用规范汉字表.
pub fn tongyong_guifan() -> Vec<char> {
    let mut chars: Vec<char> = TONGYONG_GUIFAN.lines().filter_map(|l| l.chars().next()).collect();
    chars.sort_unstable();
    chars
}

/// Every character of GB 2312: rows 0xA1..=0xF7, cells 0xA1..=0xFE, decoded as GBK
/// (its superset); codes GB 2312 leaves empty decode to private-use characters and are
/// left out.
pub fn gb2312() -> Vec<char> {
    double_byte(encoding_rs::GBK, 0xA1..=0xF7, &[0xA1..=0xFE])
}

/// Every character of Big5 (lead bytes 0xA1..=0xF9, as encoding_rs decodes them with the
/// WHATWG index: Big5 with the ETEN extensions; the HKSCS rows below 0xA1 are left out).
pub fn big5() -> Vec<char> {
    double_byte(encoding_rs::BIG5, 0xA1..=0xF9, &[0x40..=0x7E, 0xA1..=0xFE])
}

fn double_byte(
    encoding: &'static encoding_rs::Encoding,
    leads: std::ops::RangeInclusive<u8>,
    trails: &[std::ops::RangeInclusive<u8>],
) -> Vec<char> {
    let mut out = Vec::new();
    for lead in leads {
        for trail in trails.iter().flat_map(|r| r.clone()) {
            let bytes = [lead, trail];
            let (text, had_errors) = encoding.decode_without_bom_handling(&bytes);
            let mut chars = text.chars();
            if let (Some(c), None, false) = (chars.next(), chars.next(), had_errors)
                && !matches!(c, '\u{E000}'..='\u{F8FF}')
            {
                out.push(c);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_of_the_standard_sets() {
        let sets = super::all();
        let sizes: Vec<usize> = sets.iter().map(|s| s.chars.len()).collect();
        // GB 2312 has 6,763 Han; the 通用规范汉字表 8,105; Big5 13,053 plus the ETEN and
        // WHATWG additions in rows 0xC6..0xC8 and 0xF9.
        assert_eq!(&sizes[..2], &[6763, 8105]);
        assert!((13_053..13_200).contains(&sizes[2]), "{sizes:?}");
        assert!(sets[2].chars.contains(&'說') && sets[2].chars.contains(&'顏'));
        assert!(sets[0].chars.contains(&'啊') && !sets[0].chars.contains(&'說'));
    }
}
