//! Page layout analysis for `ingest`: classifying the lines of a newspaper
//! or web-page dump (headlines, subtitles, bylines, dates, page and website
//! furniture, photo captions and credits, body text), joining paragraphs,
//! re-joining paragraphs split by a photo, splitting the page into articles
//! in reading order, and removing duplicate paragraphs.

use super::decode::Line;
use super::gazetteer::to_simplified;
use std::collections::HashSet;

/// Longest line (in characters) that can be a headline.
const HEADING_MAX: usize = 40;

/// Characters that end a complete sentence or paragraph.
pub fn ends_complete(s: &str) -> bool {
    s.trim_end().chars().last().is_some_and(|c| {
        matches!(
            c,
            '。' | '！'
                | '？'
                | '!'
                | '?'
                | '…'
                | '；'
                | ';'
                | '”'
                | '’'
                | '」'
                | '』'
                | '）'
                | ')'
                | '》'
                | '】'
                | ']'
                | '.'
                | '．'
        )
    })
}

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
}

fn clean_line(s: &str) -> String {
    s.chars()
        .filter(|&c| !(c.is_control() && c != '\t') && c != '\u{feff}')
        .collect::<String>()
        .trim()
        .to_string()
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

fn starts_with_any(s: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| s.starts_with(p))
}

/// Parses a date written as 2024-02-26, 2024/2/26, 2024.02.26 or
/// 2024年2月26日 at the start of `s` (after optional spaces).
pub fn parse_date_prefix(s: &str) -> Option<(String, usize)> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    let num = |i: &mut usize, max: usize| -> Option<u32> {
        let start = *i;
        let mut v: u32 = 0;
        while let Some(d) = chars.get(*i).and_then(|c| c.to_digit(10)) {
            if *i - start >= max {
                return None;
            }
            v = v * 10 + d;
            *i += 1;
        }
        (*i > start).then_some(v)
    };
    let y = num(&mut i, 4)?;
    if !(1949..=2100).contains(&y) {
        return None;
    }
    let sep = *chars.get(i)?;
    if !matches!(sep, '-' | '/' | '.' | '年') {
        return None;
    }
    i += 1;
    let m = num(&mut i, 2)?;
    let sep2 = *chars.get(i)?;
    let ok = match sep {
        '年' => sep2 == '月',
        _ => sep2 == sep,
    };
    if !ok {
        return None;
    }
    i += 1;
    let d = num(&mut i, 2)?;
    if sep == '年' {
        if chars.get(i) == Some(&'日') || chars.get(i) == Some(&'号') {
            i += 1;
        } else {
            return None;
        }
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=days).contains(&d) {
        return None;
    }
    let consumed: usize = chars.iter().take(i).map(|c| c.len_utf8()).sum();
    Some((format!("{y:04}-{m:02}-{d:02}"), consumed))
}

/// Web page metadata line: 发表时间/发布时间/来源/作者 … Returns (date, outlet).
/// A character range: (first character, number of characters).
type CharSpan = (usize, usize);

fn parse_meta(s: &str) -> Option<(Option<String>, Option<CharSpan>)> {
    const KEYS: &[&str] = &[
        "发表时间",
        "发布时间",
        "发布日期",
        "发稿时间",
        "更新时间",
        "时间",
        "日期",
        "来源",
        "作者",
        "编辑",
        "浏览次数",
        "点击数",
        "阅读次数",
        "字号",
        "信息来源",
        "文章来源",
        "稿源",
    ];
    let t = s.trim_start_matches(['【', '[']);
    let starts = KEYS.iter().any(|k| {
        t.strip_prefix(k).is_some_and(|r| r.trim_start().starts_with([':', '：', '】', ']']))
    });
    if !starts || char_len(s) > 120 {
        return None;
    }
    let mut date = None;
    // Dates anywhere in the line.
    for (i, _) in s.char_indices() {
        if let Some((d, _)) = s.get(i..).and_then(parse_date_prefix) {
            date = Some(d);
            break;
        }
    }
    Some((date, source_outlet(s)))
}

/// The outlet named after 来源/信息来源/稿源 in a metadata line.
fn source_outlet(s: &str) -> Option<CharSpan> {
    for key in ["信息来源", "文章来源", "来源", "稿源"] {
        if let Some(pos) = s.find(key) {
            let rest = s.get(pos + key.len()..).unwrap_or("");
            let trimmed = rest.trim_start_matches([':', '：', ' ', '\u{3000}', '】', ']']);
            let start = s.len() - trimmed.len();
            let name: String = trimmed
                .chars()
                .take_while(|c| {
                    !c.is_whitespace() && !matches!(c, '|' | '｜' | '【' | '[' | '，' | ',')
                })
                .collect();
            let n = char_len(&name);
            return (n > 0 && n <= 20).then(|| (char_len(s.get(..start).unwrap_or("")), n));
        }
    }
    None
}

/// A page header such as 人民日报 2024年3月5日 星期二: (date, outlet span).
fn page_header(s: &str) -> Option<(String, Option<CharSpan>)> {
    if char_len(s) > 40 || s.contains(['。', '，', ',']) {
        return None;
    }
    for (i, _) in s.char_indices() {
        let Some((d, used)) = s.get(i..).and_then(parse_date_prefix) else { continue };
        let prefix = s.get(..i).unwrap_or("").trim();
        let rest = s.get(i + used..).unwrap_or("").trim();
        let rest_ok = rest.is_empty()
            || rest.contains("来源")
            || (char_len(rest) <= 24
                && (rest.starts_with("星期")
                    || rest.starts_with('周')
                    || rest.chars().next().is_some_and(|c| c.is_ascii_digit())
                    || rest.starts_with('第')));
        if !rest_ok || char_len(prefix) > 12 {
            return None;
        }
        if let Some(sp) = source_outlet(s) {
            return Some((d, Some(sp)));
        }
        let outlet = outlet_in_byline(prefix).map(|o| {
            (char_len(s.get(..s.find(o.as_str()).unwrap_or(0)).unwrap_or("")), char_len(&o))
        });
        return Some((d, outlet));
    }
    None
}

fn is_phone_like(s: &str) -> bool {
    // 0351-4223160, 400-123-4567, 13812345678: ten or more digits in one run
    // of digits and hyphens.
    let mut digits = 0usize;
    let mut best = 0usize;
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            best = best.max(digits);
        } else if !(c == '-' && digits > 0) {
            digits = 0;
        }
    }
    best >= 10
}

/// Page furniture (本版责编 …) and website furniture (当前位置, ICP备 …).
pub fn is_furniture(s: &str) -> bool {
    let n = char_len(s);
    if n == 0 {
        return true;
    }
    const PAGE: &[&str] = &[
        "本版责编",
        "本版编辑",
        "本版策划",
        "本版文字",
        "本版摄影",
        "本版图片",
        "本版制图",
        "本版统筹",
        "本版供图",
        "责任编辑",
        "责编",
        "美编",
        "校对",
        "审校",
        "终审",
        "二审",
        "三审",
        "值班编辑",
        "版式设计",
        "组版",
        "编审",
    ];
    const WEB_START: &[&str] = &[
        "当前位置",
        "您的当前位置",
        "您当前的位置",
        "您现在的位置",
        "首页 >",
        "首页>",
        "首页 ›",
        "首页»",
        "首页 »",
        "网站首页",
        "电话",
        "电活",
        "联系电话",
        "传真",
        "邮箱",
        "电子邮箱",
        "E-mail",
        "Email",
        "邮编",
        "地址",
        "官方微信",
        "官方微博",
        "官方抖音",
        "微信公众号",
        "扫一扫",
        "技术支持",
        "主办单位",
        "承办单位",
        "协办单位",
        "主办：",
        "主办:",
        "网站标识码",
        "上一篇",
        "下一篇",
        "相关新闻",
        "相关阅读",
        "相关链接",
        "【打印】",
        "【关闭】",
        "打印本页",
        "关闭窗口",
        "分享到",
        "返回顶部",
        "Copyright",
        "copyright",
        "COPYRIGHT",
        "版权所有",
        "联系我们",
        "网站地图",
        "免责声明",
    ];
    const WEB_ANY: &[&str] = &[
        "ICP备",
        "ICP证",
        "公网安备",
        "版权所有",
        "©",
        "(C)",
        "Copyright",
        "许可证号",
        "网站标识码",
    ];
    if starts_with_any(s, PAGE) && n <= 80 {
        return true;
    }
    if starts_with_any(s, WEB_START) && n <= 100 {
        return true;
    }
    if n <= 120 && WEB_ANY.iter().any(|k| s.contains(k)) {
        return true;
    }
    if is_page_number(s) {
        return true;
    }
    if matches!(
        s,
        "(完)"
            | "（完）"
            | "【完】"
            | "[完]"
            | "（全文完）"
            | "(全文完)"
            | "—完—"
            | "-完-"
            | "END"
            | "（end）"
    ) {
        return true;
    }
    if n <= 40 && (s.ends_with("主办") || s.ends_with("承办")) {
        return true;
    }
    if n <= 60 && is_phone_like(s) && !s.contains('。') {
        return true;
    }
    // Page markers: 第3版, A3版, 2版: 要闻
    if n <= 12
        && (s.starts_with('第') || s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()))
        && s.contains('版')
    {
        let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
        if digits > 0 {
            return true;
        }
    }
    false
}

/// Photo captions: ▲…, 图为…, ①…(资料照片).
pub fn is_caption(s: &str) -> bool {
    let first = s.chars().next().unwrap_or(' ');
    if matches!(first, '▲' | '△' | '▼' | '▽' | '◀' | '▶') {
        return true;
    }
    if starts_with_any(
        s,
        &[
            "图为", "上图", "下图", "左图", "右图", "图①", "图②", "图③", "图一", "图二", "图：",
            "图:", "（图", "(图",
        ],
    ) {
        return true;
    }
    let photoish = s.contains("照片")
        || s.contains("资料图")
        || s.contains("图为")
        || s.contains("摄）")
        || s.contains("摄)");
    if ('\u{2460}'..='\u{2473}').contains(&first) && (photoish || char_len(s) <= 60) {
        return true;
    }
    s.contains("(资料照片)")
        || s.contains("（资料照片）")
        || s.contains("(资料图片)")
        || s.contains("（资料图片）")
}

/// A caption's own opening mark (▲, 图为, ①).
fn starts_as_caption(s: &str) -> bool {
    let first = s.chars().next().unwrap_or(' ');
    matches!(first, '▲' | '△' | '▼' | '▽' | '◀' | '▶' | '\u{2460}'..='\u{2473}')
        || s.starts_with("图为")
}

/// Photo credits: 特约摄影 X 摄, 记者 X 摄, 摄影 X.
pub fn is_credit(s: &str) -> bool {
    let n = char_len(s);
    if n > 30 || s.contains('。') {
        return false;
    }
    if starts_with_any(
        s,
        &["特约摄影", "摄影：", "摄影:", "摄影 ", "图/", "图 /", "图片/", "图片：", "图片来源"],
    ) {
        return true;
    }
    let t = s.trim_end_matches([')', '）']);
    (t.ends_with(" 摄") || t.ends_with("\u{3000}摄") || t.ends_with("摄影")) && n <= 24
}

/// A byline on its own line: 本报记者 X, 记者 X 通讯员 Y.
pub fn is_byline_line(s: &str) -> bool {
    let n = char_len(s);
    if n > 40 || s.contains('。') || s.contains('，') {
        return false;
    }
    let t = s.trim_start_matches(['（', '(', '■', '□', '●', '○', '◆', '◇', '★', ' ', '\u{3000}']);
    starts_with_any(
        t,
        &[
            "本报记者",
            "本报通讯员",
            "本报特约记者",
            "记者",
            "通讯员",
            "特约记者",
            "见习记者",
            "文/",
            "文／",
            "文 /",
            "撰稿",
        ],
    ) && !t.starts_with("记者节")
}

/// A byline prefix of a paragraph: 本报讯(记者 X)、本报太原2月26日讯、
/// 新华社北京2月26日电(记者 X). Returns the byline and the byte length of
/// the prefix (including following spaces).
pub fn byline_prefix(orig: &str) -> Option<(String, usize)> {
    // Only the start matters; converting a prefix keeps long paragraphs cheap.
    let head: String = orig.chars().take(64).collect();
    let simplified = to_simplified(&head);
    let (_, used) = byline_prefix_simplified(&simplified)?;
    let n = char_len(simplified.get(..used)?);
    let used = orig.char_indices().nth(n).map_or(orig.len(), |(i, _)| i);
    Some((orig.get(..used)?.trim().to_string(), used))
}

fn byline_prefix_simplified(s: &str) -> Option<(String, usize)> {
    let head: String = s.chars().take(40).collect();
    let end_of_lead = if head.starts_with("本报讯") {
        Some("本报讯".len())
    } else if head.starts_with("本报")
        || head.starts_with("新华社")
        || head.contains("日报")
        || head.contains("社")
    {
        // 本报太原2月26日讯 / 新华社北京2月26日电 / 山西日报讯
        let stop = head.find(['，', ',', '。', '（', '(']).unwrap_or(head.len());
        let lead = head.get(..stop).unwrap_or("");
        let ok_start = lead.starts_with("本报")
            || lead.starts_with("新华社")
            || lead.contains("日报")
            || lead.contains("社");
        if !ok_start || char_len(lead) > 20 {
            None
        } else if lead.ends_with('讯') || lead.ends_with('电') {
            Some(lead.len())
        } else {
            None
        }
    } else {
        None
    };
    let lead_end = end_of_lead?;
    let rest = s.get(lead_end..)?;
    let mut total = lead_end;
    let trimmed = rest.trim_start();
    total += rest.len() - trimmed.len();
    if let Some(inner) = trimmed.strip_prefix(['(', '（'])
        && let Some(close) = inner.find([')', '）'])
    {
        let inside = inner.get(..close).unwrap_or("");
        if char_len(inside) <= 40 && !inside.contains('。') {
            let open_len = trimmed.len() - inner.len();
            let close_len =
                inner.get(close..).and_then(|x| x.chars().next()).map_or(1, char::len_utf8);
            total += open_len + close + close_len;
        }
    }
    let rest2 = s.get(total..)?;
    let t2 = rest2.trim_start();
    total += rest2.len() - t2.len();
    let byline = s.get(..total)?.trim().to_string();
    Some((byline, total))
}

/// A byline at the end of the last paragraph: …。(山西日报 要佳).
/// Returns (byline inside the brackets, byte offset where it starts).
pub fn trailing_byline(orig: &str) -> Option<(String, usize)> {
    // Only the end matters: look at the last 64 characters.
    let total = char_len(orig);
    let skip = total.saturating_sub(64);
    let tail_start = orig.char_indices().nth(skip).map_or(orig.len(), |(i, _)| i);
    let tail = orig.get(tail_start..)?;
    let simplified = to_simplified(tail);
    let (_, at) = trailing_byline_simplified(&simplified)?;
    let n = char_len(simplified.get(..at)?);
    let at = tail_start + tail.char_indices().nth(n).map_or(tail.len(), |(i, _)| i);
    let rest = orig.get(at..)?.trim_end();
    let mut inner = rest.chars();
    inner.next();
    inner.next_back();
    Some((inner.as_str().trim().to_string(), at))
}

fn trailing_byline_simplified(s: &str) -> Option<(String, usize)> {
    let t = s.trim_end();
    let last = t.chars().last()?;
    if !matches!(last, ')' | '）') {
        return None;
    }
    let open = t.rfind(['(', '（'])?;
    let inner_start = open + t.get(open..)?.chars().next()?.len_utf8();
    let inner = t.get(inner_start..t.len() - last.len_utf8())?.trim();
    let before = t.get(..open)?.trim_end();
    if inner.is_empty()
        || char_len(inner) > 24
        || inner.contains(['。', '，', ',', '、'])
        || !ends_complete(before)
    {
        return None;
    }
    let looks = inner.contains("记者")
        || inner.contains("通讯员")
        || inner.contains("报")
        || inner.contains("网")
        || inner.contains("台")
        || inner.contains("社")
        || (inner.contains([' ', '\u{3000}']) && char_len(inner) <= 12)
        || inner.starts_with("来源");
    if !looks || inner.contains("照片") || inner.contains("图") {
        return None;
    }
    Some((inner.to_string(), open))
}

/// An outlet named in a byline such as 山西日报 要佳.
pub fn outlet_in_byline(orig: &str) -> Option<String> {
    let orig_first = orig.split([' ', '\u{3000}']).next()?;
    let simplified = to_simplified(orig_first);
    let first = simplified.trim_start_matches("来源").trim_start_matches([':', '：']);
    let skip = char_len(&simplified) - char_len(first);
    const ENDS: &[&str] = &[
        "日报",
        "晚报",
        "晨报",
        "早报",
        "商报",
        "时报",
        "报",
        "网",
        "新闻",
        "电视台",
        "广播电视台",
        "通讯社",
        "社",
        "客户端",
    ];
    let n = char_len(first);
    ((2..=16).contains(&n) && ENDS.iter().any(|e| first.ends_with(e)) && !first.starts_with("本报"))
        .then(|| orig_first.chars().skip(skip).collect())
}

fn is_subtitle(s: &str) -> bool {
    (s.starts_with("——") || s.starts_with("--") || s.starts_with("—"))
        && char_len(s) <= 80
        && !s.contains('。')
}

fn has_comma_outside_quotes(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '“' | '「' | '《' | '‘' => depth += 1,
            '”' | '」' | '》' | '’' => depth -= 1,
            '，' | ',' | '、' | '；' if depth <= 0 => return true,
            _ => {}
        }
    }
    false
}

/// A short line that can be a headline or section heading.
pub fn heading_like(s: &str) -> bool {
    let n = char_len(s);
    if n == 0 || n > HEADING_MAX || s.contains('。') {
        return false;
    }
    let last = s.chars().last().unwrap_or(' ');
    if matches!(last, '，' | ',' | '、' | '；' | ';' | '：' | ':' | '。' | '…' | '.') {
        return false;
    }
    if matches!(last, '！' | '？' | '!' | '?') && n > 16 {
        return false;
    }
    if has_comma_outside_quotes(s) && n >= 20 {
        return false;
    }
    true
}

fn chars_slice(s: &str, span: CharSpan) -> String {
    s.chars().skip(span.0).take(span.1).collect()
}

/// Classifies one line. The rules read simplified characters, so
/// traditional-character pages (發佈時間, 來源, 本報訊) work the same.
fn classify(orig: &str) -> Kind {
    let s = to_simplified(orig);
    let s = s.as_str();
    if is_furniture(s) {
        return Kind::Furniture;
    }
    if let Some((date, outlet)) = parse_meta(s) {
        return Kind::Meta { date, outlet: outlet.map(|sp| chars_slice(orig, sp)) };
    }
    if let Some((date, outlet)) = page_header(s) {
        return Kind::Meta { date: Some(date), outlet: outlet.map(|sp| chars_slice(orig, sp)) };
    }
    if is_credit(s) {
        return Kind::Credit;
    }
    if is_caption(s) {
        return Kind::Caption;
    }
    if is_subtitle(s) {
        return Kind::Subtitle;
    }
    if is_byline_line(s) {
        return Kind::Byline;
    }
    if heading_like(s) {
        return Kind::Heading;
    }
    Kind::Text
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
fn is_page_number(s: &str) -> bool {
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
                let q_fragment = char_len(&p.text) <= 10
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
    /// Photo captions.
    pub captions: Vec<String>,
    /// First and last source line.
    pub lines: (usize, usize),
    /// Line of the headline.
    pub title_line: Option<usize>,
    /// The body ended with a section heading that has no text after it: the
    /// rest of the article is missing from the dump.
    pub ends_with_bare_heading: bool,
}

impl RawArticle {
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
fn place_kicker(orig: &str) -> bool {
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
fn section_head(p: &Para) -> bool {
    let first_short = p.nlines >= 2 && p.text.split(' ').next().is_some_and(|w| char_len(w) <= 6);
    let marked = p.text.starts_with(['◆', '■', '●', '◇', '□', '★', '☆']);
    first_short || marked || numbered_heading(&p.text)
}

fn numbered_heading(s: &str) -> bool {
    let mut cs = s.chars();
    let a = cs.next().unwrap_or(' ');
    let b = cs.next().unwrap_or(' ');
    ("一二三四五六七八九十".contains(a) && matches!(b, '、' | '是'))
        || (matches!(a, '（' | '(') && "一二三四五六七八九十".contains(b))
}

/// Something seen after the last body text that is not yet placed.
#[derive(Debug, Clone)]
enum Pending {
    Heading(Para),
    Caption(Para),
}

/// Page-level state for the splitter.
struct Splitter {
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
            a.body.push(c.text.clone());
            a.body_is_heading.push(false);
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
            a.captions.push(c.text.clone());
            a.touch(c);
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
                        Pending::Caption(c) => {
                            a.touch(&c);
                            a.captions.push(c.text);
                        }
                    }
                }
            }
        }
        let Some(a) = self.current.as_mut() else { return };
        let mut text = p.text.clone();
        if let Some((byline, used)) = byline_prefix(&text) {
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
                a.captions.push(c.text.clone());
                a.touch(c);
            }
        }
        self.articles
    }
}

fn heads_start_with_place(heads: &[&Para]) -> bool {
    // A headline that opens with a county-level name (夏县举办…) starts a new
    // article even without a byline.
    heads.iter().any(|h| {
        let t = &h.text;
        char_len(t) >= 10 && !section_head(h) && super::gazetteer::starts_with_county(t)
    })
}

/// Date in a dateline such as 本报太原2024年2月26日讯.
fn dateline_date(byline: &str) -> Option<String> {
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
                    a.captions.push(p.text.clone());
                    a.touch(p);
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
fn finish_article(a: &mut RawArticle) {
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

fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// How many earlier paragraphs a paragraph is compared with for containment.
const DEDUPE_WINDOW: usize = 64;

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
        {
            prev.kind = Kind::Heading;
        }
    }
}

/// Whole pipeline for one decoded file: paragraphs, credits, continuations,
/// long titles, articles.
pub fn analyse(lines: &[Line<'_>]) -> Vec<RawArticle> {
    let mut paras = paragraphs(lines);
    apply_credits(&mut paras);
    let mut paras = join_continuations(paras);
    promote_long_titles(&mut paras);
    split_articles(&paras)
}

#[cfg(test)]
mod tests {
    use super::super::decode::split_lines;
    use super::*;

    fn run(text: &str) -> Vec<RawArticle> {
        analyse(&split_lines(text))
    }

    #[test]
    fn dates_parse() {
        assert_eq!(
            parse_date_prefix("2024-02-26 15:25:00").map(|x| x.0),
            Some("2024-02-26".into())
        );
        assert_eq!(
            parse_date_prefix("2024年2月6日 星期一").map(|x| x.0),
            Some("2024-02-06".into())
        );
        assert_eq!(parse_date_prefix("2024年度"), None);
        assert_eq!(parse_date_prefix("2024-13-01"), None);
        assert_eq!(parse_date_prefix("2023-02-29"), None);
        assert_eq!(parse_date_prefix("2024-02-29").map(|x| x.0), Some("2024-02-29".into()));
        assert_eq!(parse_date_prefix("12345年1月1日"), None);
    }

    #[test]
    fn furniture_detected() {
        for s in [
            "本版责编 曹欣怡 校对 孙勇",
            "美编 冯潇楠",
            "- 3 -",
            "第2页 共5页",
            "本版策划 雷哲快",
            "当前位置:首页 > 县区联播",
            "京ICP备10031449号-2互联网新闻信息服务许可证号10120170041",
            "太原文明网©版权所有",
            "电话:0351-4223160 传真:0351-4223160",
            "地址:太原市新建路81号",
            "官方微信",
            "技术支持：某某公司",
            "太原市精神文明建设指导委员会办公室主办",
        ] {
            assert!(is_furniture(s), "{s}");
        }
        for s in [
            "会议强调，要持续推进从严管党治警。",
            "“微治理”撬动“大幸福”",
            "在推进加装电梯工作中，拨打电话0351-4223160咨询的居民很多，社区一一解答。",
        ] {
            assert!(!is_furniture(s), "{s}");
        }
    }

    #[test]
    fn captions_and_credits() {
        assert!(is_caption("▲盐湖区大力实施“新农人”培育计划。"));
        assert!(is_caption("图为三一社区党员在双喜广场开展环境卫生整治。"));
        assert!(is_caption("② 外卖员进社区参加“双报到双服务”活动。(资料照片)"));
        assert!(!is_caption("盐湖区持续深化“社区吹哨、党员报到”行动。"));
        assert!(is_credit("特约摄影 解建国 摄"));
        assert!(is_credit("特约摄影 刘佳"));
        assert!(is_credit("本报记者 张三 摄"));
        assert!(!is_credit("本报记者 张三"));
    }

    #[test]
    fn bylines() {
        assert!(is_byline_line("本报记者 邢智轩"));
        assert!(is_byline_line("记者 张三 通讯员 李四"));
        assert!(is_byline_line("■本报记者 张三 通讯员 李四"));
        assert!(!is_byline_line("记者见到，加装电梯矗立在单元楼外。"));
        let (b, used) =
            byline_prefix("本报讯(记者 曹欣怡 通讯员 史甜甜)2月27日,河津市召开会议。").unwrap();
        assert_eq!(b, "本报讯(记者 曹欣怡 通讯员 史甜甜)");
        assert_eq!(
            &"本报讯(记者 曹欣怡 通讯员 史甜甜)2月27日,河津市召开会议。"[used..],
            "2月27日,河津市召开会议。"
        );
        let (b, _) = byline_prefix("本报太原2024年2月26日讯（记者 王五）昨日，会议召开。").unwrap();
        assert_eq!(b, "本报太原2024年2月26日讯（记者 王五）");
        assert_eq!(dateline_date(&b).as_deref(), Some("2024-02-26"));
        assert!(byline_prefix("本报记者近日走访了社区。").is_none());
        assert!(byline_prefix("社区是基层治理的神经末梢。").is_none());
        let s = "截至目前，累计完成加装电梯168部。(山西日报 要佳)";
        let (b, at) = trailing_byline(s).unwrap();
        assert_eq!(b, "山西日报 要佳");
        assert_eq!(&s[..at], "截至目前，累计完成加装电梯168部。");
        assert_eq!(outlet_in_byline(&b).as_deref(), Some("山西日报"));
        assert!(trailing_byline("外卖员进社区参加活动。(资料照片)").is_none());
    }

    #[test]
    fn splits_articles_with_kickers_bylines_subtitles() {
        let page = "\n\n“微治理”撬动“大幸福”\n\n——盐湖区金海湾社区坚持党建引领\n\n本报记者 曹欣怡\n\n创建示范区\n\n1月17日,临近春节,盐湖区安邑街道金海湾社区提前热闹起来。\n\n党建引领聚合力\n\n社区书法爱好者齐聚一堂,挥毫泼墨。\n\n万荣县\n\n“五个注重”建强干部队伍\n\n本报讯(记者 曹欣怡)去年以来,万荣县着眼“五个注重”。\n\n注重系统谋划,立足长远科学谋篇布局。\n\n本版责编 曹欣怡 校对 孙勇\n美编 冯潇楠\n\n夏县\n\n壮大社区基层队伍 提升基层治理效能\n\n本报讯(记者 邢智轩)去年以来,夏县深入学习。坚持阳光操作。制订";
        let arts = run(page);
        assert_eq!(arts.len(), 3, "{arts:#?}");
        assert_eq!(arts[0].title, "“微治理”撬动“大幸福”");
        assert_eq!(arts[0].subtitle.as_deref(), Some("——盐湖区金海湾社区坚持党建引领"));
        assert_eq!(arts[0].byline.as_deref(), Some("本报记者 曹欣怡"));
        assert_eq!(arts[0].body[0], "1月17日,临近春节,盐湖区安邑街道金海湾社区提前热闹起来。");
        assert_eq!(arts[0].body[1], "党建引领聚合力");
        assert!(arts[0].body_is_heading[1]);
        assert_eq!(arts[1].title, "“五个注重”建强干部队伍");
        assert_eq!(arts[1].kicker.as_deref(), Some("万荣县"));
        assert_eq!(arts[1].byline.as_deref(), Some("本报讯(记者 曹欣怡)"));
        assert_eq!(arts[1].body[0], "去年以来,万荣县着眼“五个注重”。");
        assert_eq!(arts[1].lines.0, 17);
        assert_eq!(arts[2].title, "壮大社区基层队伍 提升基层治理效能");
        assert!(arts[2].body.iter().all(|b| !b.contains("责编")));
    }

    #[test]
    fn captions_are_moved_and_photo_news_with_credit() {
        let page = "标题一\n\n\n\n▲盐湖区大力实施计划。图为直播。\n\n标题二在这里\n\n——副标题\n\n正文第一段，内容很长很长很长。\n\n依托暖新e家、暖新驿站等线上线下\n\n\n\n② 外卖员进社区参加活动。(资料照片)\n\n平台,通过推送学习资源提供保障。\n\n\n\n2月24日,舞龙爱好者在万荣县人民公园舞龙健身。\n\n特约摄影 解建国 摄";
        let arts = run(page);
        assert_eq!(arts.len(), 2, "{arts:#?}");
        // A headline followed only by captions: the captions are its body.
        assert_eq!(arts[0].title, "标题一");
        assert_eq!(arts[0].body, vec!["▲盐湖区大力实施计划。图为直播。"]);
        let a = &arts[1];
        assert_eq!(a.title, "标题二在这里");
        assert_eq!(a.body.len(), 2, "{:?}", a.body);
        assert_eq!(a.body[1], "依托暖新e家、暖新驿站等线上线下平台,通过推送学习资源提供保障。");
        assert_eq!(a.captions.len(), 2, "{:?}", a.captions);
        assert!(a.captions[1].starts_with("2月24日"));
    }

    #[test]
    fn fragments_rejoin_across_layout_breaks() {
        let page = "标题\n\n本报记者 张三\n\n第一段完整。\n\n文化润心促和谐\n\n党课党音声声入耳,文化活动也格外丰\n\n\n\n富。\n\n晚上7点,健步队准时集合。";
        let a = &run(page)[0];
        assert_eq!(
            a.body,
            vec![
                "第一段完整。",
                "文化润心促和谐",
                "党课党音声声入耳,文化活动也格外丰富。",
                "晚上7点,健步队准时集合。"
            ]
        );
    }

    #[test]
    fn duplicates_removed() {
        let page = "标题\n\n本报记者 张三\n\n今年以来,盐湖区锚定目标和思路,将创建示范区作为全局性工程。\n\n创建示范区作为全局性工程。\n\n今年来\n\n盐湖区锚定目标和思路,将创建示范区作为全局性工程。\n\n今年来\n\n盐湖区锚定目标和思路,将创建示范区作为全局性工程。";
        let a = &run(page)[0];
        assert_eq!(a.body, vec!["今年以来,盐湖区锚定目标和思路,将创建示范区作为全局性工程。"]);
    }

    #[test]
    fn web_page_meta_and_trailing_byline() {
        let page = "当前位置:首页 > 县区联播\n\n迎泽区：激活党建“源动力”\n\n发表时间:2024-02-26 15:25:00 来源:\n\n  党群服务中心是有效载体。\n\n    建强红色矩阵,引领干事创业\n\n  截至目前,累计完成加装电梯168部。(山西日报 要佳)\n\n太原文明网©版权所有\n\n电活:0351-4223160";
        let arts = run(page);
        assert_eq!(arts.len(), 1);
        let a = &arts[0];
        assert_eq!(a.title, "迎泽区：激活党建“源动力”");
        assert_eq!(a.date.as_deref(), Some("2024-02-26"));
        assert_eq!(a.outlet.as_deref(), Some("山西日报"));
        assert_eq!(a.byline.as_deref(), Some("山西日报 要佳"));
        assert_eq!(
            a.body,
            vec![
                "党群服务中心是有效载体。",
                "建强红色矩阵,引领干事创业",
                "截至目前,累计完成加装电梯168部。"
            ]
        );
        assert_eq!(a.lines, (3, 11));
    }

    #[test]
    fn one_paragraph_per_line_dumps() {
        let page = "某县举办培训班\n本报讯 近日，某县举办培训班，共培训学员120名，覆盖全县各乡镇和有关部门的业务骨干。\n培训班邀请专家授课，内容涵盖基层治理、乡村振兴等多个方面的内容。\n学员们纷纷表示收获很大，将把所学运用到实际工作中去，推动工作再上新台阶。\n- 3 -\n";
        let arts = run(page);
        assert_eq!(arts.len(), 1);
        assert_eq!(arts[0].body.len(), 3, "{:?}", arts[0].body);
        // Wrapped lines in a blank-separated dump are joined.
        let page =
            "标题\n\n本报讯 近日，某县举办培训班，共培训学员\n120名，覆盖全县各乡镇。\n\n第二段。";
        assert_eq!(run(page)[0].body[0], "近日，某县举办培训班，共培训学员120名，覆盖全县各乡镇。");
    }

    #[test]
    fn long_title_above_metadata() {
        let page = "第一篇标题\n\n本报讯 第一篇正文。\n\n关于印发《某某县2024年基层党建工作要点和重点任务清单》的通知，请各单位认真贯彻落实\n\n发布时间：2024-03-01\n\n各乡镇党委：现将要点印发给你们。";
        let arts = run(page);
        assert_eq!(arts.len(), 2, "{arts:#?}");
        assert!(arts[1].title.starts_with("关于印发"));
        assert_eq!(arts[1].date.as_deref(), Some("2024-03-01"));
    }

    #[test]
    fn body_dates_are_not_article_dates() {
        let page =
            "某县召开会议\n\n本报讯(记者 张三)2月21日,某县召开会议。会议要求2025年3月1日前完成。";
        let a = &run(page)[0];
        assert_eq!(a.date, None);
        let page = "某县召开会议\n\n本报讯(记者 张三)2024年2月21日,某县召开会议。会议要求2025年3月1日前完成。";
        assert_eq!(run(page)[0].date.as_deref(), Some("2024-02-21"));
        let page = "2024年3月5日 星期二\n\n某县召开会议\n\n本报讯 会议召开。";
        assert_eq!(run(page)[0].date.as_deref(), Some("2024-03-05"));
    }
}
