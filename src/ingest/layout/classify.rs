//! Line classification for `ingest`'s layout analysis: what one line of a dump
//! is (headline, subtitle, byline, date or metadata line, page and website
//! furniture, photo caption or credit, body text), and the byline, date and
//! outlet parsers the splitter reuses.

use super::super::gazetteer::to_simplified;
use super::junk::{is_spam, is_viewer_chrome, strip_glued_links, strip_tags, table_cells};
use super::{Kind, is_page_number};

/// Longest line (in characters) that can be a headline.
pub(super) const HEADING_MAX: usize = 40;

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

/// A line as the classifier reads it: control characters and BOMs dropped,
/// leftover HTML tags removed (see [`strip_tags`]), trimmed.
pub(in crate::ingest) fn clean_line(s: &str) -> String {
    let kept: String =
        s.chars().filter(|&c| !(c.is_control() && c != '\t') && c != '\u{feff}').collect();
    let t = strip_tags(&kept);
    let t = t.trim();
    strip_glued_links(t).unwrap_or(t).to_string()
}

pub(super) fn char_len(s: &str) -> usize {
    s.chars().count()
}

pub(super) fn starts_with_any(s: &str, prefixes: &[&str]) -> bool {
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

pub(super) fn parse_meta(s: &str) -> Option<(Option<String>, Option<CharSpan>)> {
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
pub(super) fn source_outlet(s: &str) -> Option<CharSpan> {
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
pub(super) fn page_header(s: &str) -> Option<(String, Option<CharSpan>)> {
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

pub(super) fn is_phone_like(s: &str) -> bool {
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
        // Link lists under or beside an article.
        "相关推荐",
        "相关文章",
        "推荐阅读",
        "延伸阅读",
        "热点推荐",
        "热门推荐",
        "精彩推荐",
        "猜你喜欢",
        "热点新闻",
        "热门新闻",
        "热门文章",
        "最新文章",
        "图片新闻",
        "友情链接",
        "本版其他文章",
        "阅读排行",
        "点击排行",
        "往期回顾",
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
pub(super) fn starts_as_caption(s: &str) -> bool {
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

pub(super) fn byline_prefix_simplified(s: &str) -> Option<(String, usize)> {
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

pub(super) fn trailing_byline_simplified(s: &str) -> Option<(String, usize)> {
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

pub(super) fn is_subtitle(s: &str) -> bool {
    (s.starts_with("——") || s.starts_with("--") || s.starts_with("—"))
        && char_len(s) <= 80
        && !s.contains('。')
}

pub(super) fn has_comma_outside_quotes(s: &str) -> bool {
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

pub(super) fn chars_slice(s: &str, span: CharSpan) -> String {
    s.chars().skip(span.0).take(span.1).collect()
}

/// Classifies one line. The rules read simplified characters, so
/// traditional-character pages (發佈時間, 來源, 本報訊) work the same.
pub(in crate::ingest) fn classify(orig: &str) -> Kind {
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
    if is_spam(s) || is_viewer_chrome(s) {
        return Kind::Furniture;
    }
    if table_cells(s).is_some() {
        return Kind::Row;
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
