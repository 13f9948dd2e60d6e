//! Junk that scraped pages carry, for the classifier every reader shares:
//! leftover HTML tags, web addresses glued to headlines, SEO spam (gambling,
//! adult and medical adverts), navigation and viewer chrome, and table rows
//! printed as text.

use super::classify::{char_len, ends_complete};

/// A short line with a web address glued to its start or end
/// (`夏县召开…会www.hg0088.com`): the line without it, unless what is left
/// is spam (then the whole line goes, see [`is_spam`]) or nothing.
pub(super) fn strip_glued_links(s: &str) -> Option<&str> {
    if char_len(s) > 80 || s.contains('。') {
        return None;
    }
    // An e-mail address is contact furniture, not a glued address: kept
    // whole, so that the line goes as a whole.
    let urlish = |c: char| c.is_ascii_alphanumeric() || "./:_-%?=&#~@".contains(c);
    let seps: &[char] = &[' ', '\u{3000}', '_', '|', '｜', '-', '—', '–', '·', '\t'];
    let mut rest = s;
    let tail_at = rest.char_indices().rev().take_while(|(_, c)| urlish(*c)).last().map(|(i, _)| i);
    if let Some(i) = tail_at
        && let Some(tail) = rest.get(i..)
        && !tail.contains('@')
        && has_link(tail)
    {
        rest = rest.get(..i)?.trim_end_matches(seps);
    }
    let head_len: usize = rest.chars().take_while(|c| urlish(*c)).map(char::len_utf8).sum();
    if head_len > 0
        && let Some(head) = rest.get(..head_len)
        && !head.contains('@')
        && has_link(head)
    {
        rest = rest.get(head_len..)?.trim_start_matches(seps);
    }
    let changed = rest.len() != s.len();
    (changed && !rest.is_empty() && !spam_words(rest, true)).then_some(rest)
}

/// Element names whose leftover tags are removed from text.
const TAG_NAMES: &[&str] = &[
    "a",
    "abbr",
    "area",
    "article",
    "audio",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "col",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "label",
    "li",
    "link",
    "meta",
    "nav",
    "nobr",
    "object",
    "ol",
    "option",
    "p",
    "param",
    "pre",
    "s",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "video",
];

/// Removes HTML tags a scrape left in the text: `<p>`, `</span>`,
/// `<track id="…">`, and broken ones with spaces or without their `>`
/// (`< img src="…`, which runs to the end of the line). Only known element
/// names count, so `x<5`, `<<书名>>` and `<b2b平台>` stay. Also `&nbsp;`.
pub fn strip_tags(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('<') && !s.contains("&nbsp;") {
        return std::borrow::Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '&' && chars.get(i..i + 6).is_some_and(|w| w.iter().collect::<String>() == "&nbsp;")
        {
            out.push(' ');
            i += 6;
            continue;
        }
        if c == '<'
            && let Some(end) = tag_end(&chars, i)
        {
            i = end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

/// The index just past the leftover tag that starts at `chars[at] == '<'`, if one does.
fn tag_end(chars: &[char], at: usize) -> Option<usize> {
    let mut j = at + 1;
    let skip_spaces = |j: &mut usize| {
        while chars.get(*j).is_some_and(|c| *c == ' ' || *c == '\u{3000}') {
            *j += 1;
        }
    };
    skip_spaces(&mut j);
    if chars.get(j) == Some(&'/') {
        j += 1;
        skip_spaces(&mut j);
    }
    let start = j;
    while chars.get(j).is_some_and(char::is_ascii_alphanumeric) {
        j += 1;
    }
    let name: String = chars.get(start..j)?.iter().collect::<String>().to_ascii_lowercase();
    if !TAG_NAMES.contains(&name.as_str()) {
        return None;
    }
    // The name must end the word: `<p>`, `<img src`, `<br/>`, `<track id`.
    if !chars.get(j).is_some_and(|c| matches!(c, '>' | '/' | ' ' | '\t' | '\u{3000}')) {
        return None;
    }
    // Up to its `>`; a tag cut off before it (at the next `<` or the end of
    // the line) counts only when it has an attribute (`< img src=…`).
    let mut attribute = false;
    while let Some(&c) = chars.get(j) {
        match c {
            '>' => return Some(j + 1),
            '<' => break,
            '=' => attribute = true,
            _ => {}
        }
        j += 1;
    }
    attribute.then_some(j)
}

/// Gambling and adult words that only spam prints (one is enough on a short
/// line, or with a link).
const SPAM_WORDS: &[&str] = &[
    "百家乐",
    "娱乐城",
    "葡京",
    "真人视讯",
    "真人娱乐",
    "老虎机",
    "六合彩",
    "时时彩",
    "北京赛车",
    "彩金",
    "注册送",
    "开户送",
    "首存",
    "体育投注",
    "电子游艺",
    "棋牌游戏",
    "博彩",
    "赌场",
    "赌博网站",
    "皇冠体育",
    "威尼斯人",
    "bet365",
    "365bet",
    "无码",
    "国产精品",
    "一本道",
    "成人影院",
    "成人电影",
    "伦理片",
    "午夜福利",
    "福利视频",
    "激情视频",
    "自拍偷拍",
    "裸聊",
    "代孕",
    "代开发票",
    "私家侦探",
];

/// Longest line (in bytes) the spam rules look at.
const SPAM_MAX_BYTES: usize = 6000;

/// Words of a news report *about* gambling, fraud or adverts, which is not spam.
const REPORTING_WORDS: &[&str] = &[
    "打击",
    "整治",
    "查处",
    "捣毁",
    "抓获",
    "破获",
    "取缔",
    "严打",
    "防范",
    "警惕",
    "谨防",
    "远离",
    "举报",
    "诈骗",
    "违法",
    "犯罪",
    "专项行动",
];

/// Medical-advert words: spam on a short line with a link or an advert's
/// question, or on any line with both.
const MEDICAL_AD_WORDS: &[&str] = &[
    "男科",
    "妇科",
    "白癜风",
    "牛皮癣",
    "银屑病",
    "不孕不育",
    "阳痿",
    "早泄",
    "前列腺",
    "包皮",
    "性病",
    "尖锐湿疣",
    "人流",
    "癫痫",
    "狐臭",
    "丰胸",
    "隆胸",
    "整形",
    "祛斑",
    "脱发",
    "痔疮",
    "医院",
];

/// What a medical advert asks or offers.
const MEDICAL_AD_ASKS: &[&str] = &["哪家好", "哪里好", "哪个好", "哪家医院好", "多少钱"];

const TLDS: &[&str] = &[
    "com", "net", "org", "cn", "cc", "vip", "top", "xyz", "info", "biz", "tv", "me", "co", "io",
    "app", "site", "online", "club", "wang", "shop", "pw", "ws", "la", "in", "hk", "tw", "asia",
    "bet", "win", "live", "fun", "ink", "ltd", "us", "uk",
];

/// A web address in the line (`http://…`, `www.…`, or a bare domain name
/// such as `pj8888.com`), other than a government or school site.
pub(super) fn has_link(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let mut words = lower
        .split(|c: char| {
            !(c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == ':' || c == '/')
        })
        .filter(|w| w.contains('.'));
    words.any(|w| {
        let host = w.trim_start_matches("https://").trim_start_matches("http://");
        let host = host.split('/').next().unwrap_or("").trim_matches('.');
        let labels: Vec<&str> = host.split('.').collect();
        let Some(tld) = labels.last() else { return false };
        labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty())
            && labels.iter().any(|l| l.chars().any(|c| c.is_ascii_alphabetic()))
            && TLDS.contains(tld)
            && !labels.iter().any(|l| *l == "gov" || *l == "edu")
    })
}

/// SEO spam a hijacked or scraped site carries: gambling or adult words (on a
/// short line, with a link, or two of them), a medical advert with a link or
/// an advert's question (哪家好), or a domain name glued to a short line. A
/// report about gambling or fraud (打击, 警惕 …) is not spam.
pub fn is_spam(s: &str) -> bool {
    let link = has_link(s);
    spam_words(s, link) || (link && char_len(s) <= 80 && !s.contains('。') && !ends_complete(s))
}

/// The word rules of [`is_spam`], for a line that has a link or not.
fn spam_words(s: &str, link: bool) -> bool {
    // Spam is a line or a keyword-stuffed block, not a long article paragraph.
    if s.len() > SPAM_MAX_BYTES {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    let short = char_len(s) <= 80 && !s.contains('。');
    let reporting = REPORTING_WORDS.iter().any(|w| s.contains(w));
    if reporting {
        return false;
    }
    let hits = SPAM_WORDS.iter().filter(|w| lower.contains(*w)).count();
    if hits > 0 && (short || link || hits >= 2) {
        return true;
    }
    let medical = MEDICAL_AD_WORDS.iter().any(|w| s.contains(w));
    let ask = MEDICAL_AD_ASKS.iter().any(|w| s.contains(w));
    medical && ((short && (link || ask)) || (link && ask))
}

/// Viewer and listing chrome: column headers of a document list or a data
/// viewer, and an e-paper viewer's buttons.
const CHROME_WORDS: &[&str] = &[
    "序号",
    "编号",
    "标题",
    "名称",
    "题名",
    "发布时间",
    "发布日期",
    "发文日期",
    "成文日期",
    "日期",
    "时间",
    "来源",
    "作者",
    "浏览次数",
    "浏览量",
    "点击数",
    "点击量",
    "阅读数",
    "阅读量",
    "操作",
    "下载",
    "查看",
    "附件",
    "大小",
    "文号",
    "索引号",
    "主题分类",
    "发文机关",
    "版次",
    "版面",
    "版名",
    "上一版",
    "下一版",
    "上一期",
    "下一期",
    "往期回顾",
    "版面导航",
    "标题导航",
    "放大",
    "缩小",
    "默认",
    "打印",
    "关闭",
    "返回",
    "全屏",
    "上一页",
    "下一页",
    "首页",
    "尾页",
    "更多",
    "分享",
];

/// The cells of a line printed from a table: three or more short cells
/// separated by tabs, ideographic spaces, `|` bars or runs of two or more
/// spaces, with no sentence in them, and half of them tiny (≤ 4 characters)
/// or numbers.
pub fn table_cells(s: &str) -> Option<Vec<String>> {
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut spaces = 0usize;
    for c in s.chars() {
        if c == ' ' {
            spaces += 1;
            continue;
        }
        if spaces >= 2 || matches!(c, '\t' | '\u{3000}' | '|' | '｜') {
            cells.push(std::mem::take(&mut cur));
        } else if spaces == 1 {
            cur.push(' ');
        }
        spaces = 0;
        if !matches!(c, '\t' | '\u{3000}' | '|' | '｜') {
            cur.push(c);
        }
    }
    cells.push(cur);
    let cells: Vec<String> =
        cells.into_iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
    if cells.len() < 3 || cells.iter().any(|c| char_len(c) > 16 || c.contains(['。', '，', '；']))
    {
        return None;
    }
    let numeric = |c: &str| {
        c.chars().any(|x| x.is_ascii_digit())
            && c.chars().all(|x| x.is_ascii_digit() || ".-%+,，()（）万亿元个".contains(x))
    };
    let small = cells.iter().filter(|c| char_len(c) <= 4 || numeric(c)).count();
    (small * 2 >= cells.len()).then_some(cells)
}

/// A line of viewer or listing chrome: three or more words (split at spaces
/// or bars), two thirds of them [`CHROME_WORDS`]; or a breadcrumb
/// (新闻中心 > 县区动态).
pub fn is_viewer_chrome(s: &str) -> bool {
    if char_len(s) > 60 || s.contains(['。', '，']) {
        return false;
    }
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '｜' | '/' | '·'))
        .map(|w| w.trim_matches(['[', ']', '【', '】', '(', ')', '（', '）']))
        .filter(|w| !w.is_empty())
        .collect();
    let chrome = words.iter().filter(|w| CHROME_WORDS.contains(w)).count();
    if words.len() >= 3 && chrome >= 2 && chrome * 3 >= words.len() * 2 {
        return true;
    }
    // A site's menu: 首页 | 政务公开 | 政务服务 …
    if words.len() >= 3 && matches!(words.first(), Some(&("首页" | "网站首页" | "返回首页")))
    {
        return true;
    }
    let crumbs: Vec<&str> = s.split(['>', '›', '»']).map(str::trim).collect();
    crumbs.len() >= 3 && crumbs.iter().all(|c| !c.is_empty() && char_len(c) <= 10)
}

/// A short line ending in a colon (热点推荐：, 相关专题:): a label of what
/// follows, never a title.
pub fn ends_with_colon(s: &str) -> bool {
    s.trim_end().ends_with(['：', ':'])
}
