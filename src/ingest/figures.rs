//! Figure extraction for `ingest`: finds the statistics worth a briefing's
//! data panel (a number in Arabic or Chinese numerals, with 余/多/近/超/约
//! qualifiers, ranges, percentages and 万/亿 amounts, plus its unit or
//! measure word), with a short label and the verbatim clause as quote, and
//! rejects dates, times, years, ages, phone numbers, codes, ordinals,
//! slogans and model names.

use super::gazetteer::simp;

/// One figure found in a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// The number as printed (with qualifiers such as 余), a substring of `quote`.
    pub value: String,
    /// Unit or measure word (个, 名, 场次, %, 万元 …), in simplified characters.
    pub unit: String,
    /// What it counts (heuristic).
    pub label: String,
    /// The clause holding the figure, verbatim.
    pub quote: String,
}

/// Units and measure words, longest first where one is a prefix of another.
const UNITS: &[&str] = &[
    "个百分点",
    "平方公里",
    "万平方米",
    "平方米",
    "万人次",
    "万户次",
    "万余人",
    "人次",
    "场次",
    "户次",
    "件次",
    "批次",
    "班次",
    "架次",
    "课时",
    "学时",
    "万元",
    "亿元",
    "千元",
    "万亩",
    "万吨",
    "万人",
    "万户",
    "万名",
    "万个",
    "万件",
    "万株",
    "万套",
    "公里",
    "千米",
    "公顷",
    "千克",
    "公斤",
    "余人",
    "个",
    "名",
    "人",
    "位",
    "户",
    "家",
    "项",
    "支",
    "次",
    "场",
    "期",
    "部",
    "座",
    "所",
    "条",
    "件",
    "台",
    "辆",
    "套",
    "处",
    "间",
    "本",
    "册",
    "篇",
    "份",
    "张",
    "株",
    "棵",
    "亩",
    "吨",
    "元",
    "%",
    "％",
    "倍",
    "批",
    "栋",
    "幢",
    "床",
    "门",
    "节",
    "堂",
    "轮",
    "组",
    "盏",
    "箱",
    "袋",
    "斤",
    "米",
    "块",
    "幅",
    "首",
    "趟",
    "单",
    "例",
    "起",
    "封",
    "乡镇",
    "街道",
    "镇",
    "乡",
    "街",
    "村",
];

/// Place units (6街1镇, 12个村 uses 个): only after Arabic numerals.
const PLACE_UNITS: &[&str] = &["乡镇", "街道", "镇", "乡", "街", "村"];

/// Words after a unit that make the number part of a name (中央八项规定).
const NAME_AFTER_UNIT: &[&str] = &["规定", "注意", "禁令", "纪律"];

/// Units that never make a figure on their own (a duration or date).
const TIME_WORDS: &[&str] = &["个月", "个小时", "个工作日", "个星期", "个季度", "个年头"];

/// Longest stretch (in characters) a quote reaches on each side of its number.
const MAX_CLAUSE: usize = 120;

const CN_DIGITS: &str = "零〇一二两三四五六七八九";
const CN_MULT: &str = "十百千万亿";

fn is_arabic(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_cn_num(c: char) -> bool {
    CN_DIGITS.contains(c) || CN_MULT.contains(c)
}

fn is_delim(c: char) -> bool {
    matches!(c, '，' | ',' | '；' | ';' | '。' | '！' | '？' | '!' | '?' | '：' | ':' | '…' | '\n')
}

/// A number token found at some position.
#[derive(Debug, Clone)]
struct Num {
    start: usize,
    /// End of the digits (exclusive).
    end: usize,
    chinese: bool,
}

fn scan_number(cs: &[char], i: usize) -> Option<Num> {
    let c = simp(*cs.get(i)?);
    if is_arabic(c) {
        let mut j = i;
        while let Some(&d) = cs.get(j) {
            let d = simp(d);
            let sep_ok = matches!(d, '.' | '．' | ',')
                && j > i
                && cs.get(j + 1).is_some_and(|&n| is_arabic(n))
                && cs.get(j.wrapping_sub(1)).is_some_and(|&p| is_arabic(p));
            if is_arabic(d) || sep_ok {
                j += 1;
            } else {
                break;
            }
        }
        // 1.2万 / 3000万 / 5亿
        while cs.get(j).is_some_and(|&m| matches!(simp(m), '万' | '亿' | '千' | '百')) {
            // Only as a multiplier if something unit-like follows.
            j += 1;
        }
        return Some(Num { start: i, end: j, chinese: false });
    }
    if is_cn_num(c) {
        let mut j = i;
        while cs.get(j).is_some_and(|&d| is_cn_num(simp(d))) {
            j += 1;
        }
        return Some(Num { start: i, end: j, chinese: true });
    }
    None
}

fn starts_with_at(cs: &[char], i: usize, w: &str) -> bool {
    let mut k = i;
    for wc in w.chars() {
        match cs.get(k) {
            Some(&c) if simp(c) == wc => k += 1,
            _ => return false,
        }
    }
    true
}

fn unit_at(cs: &[char], i: usize) -> Option<&'static str> {
    if TIME_WORDS.iter().any(|t| starts_with_at(cs, i, t)) {
        return None;
    }
    UNITS.iter().copied().filter(|u| starts_with_at(cs, i, u)).max_by_key(|u| u.chars().count())
}

/// Positions inside short quoted spans (“五个注重”, 《…》): slogans, names, titles.
fn slogan_mask(cs: &[char]) -> Vec<bool> {
    let mut mask = vec![false; cs.len()];
    let pairs = [
        ('“', '”'),
        ('"', '"'),
        ('‘', '’'),
        ('「', '」'),
        ('《', '》'),
        ('〈', '〉'),
        ('【', '】'),
    ];
    for (open, close) in pairs {
        let mut i = 0;
        while i < cs.len() {
            if cs.get(i) == Some(&open) {
                let limit = if open == '《' { 60 } else { 14 };
                let mut j = i + 1;
                while j < cs.len()
                    && j - i <= limit
                    && cs.get(j) != Some(&close)
                    && !(open != '《' && cs.get(j).is_some_and(|&c| is_delim(c)))
                {
                    j += 1;
                }
                if cs.get(j) == Some(&close) {
                    for m in mask.iter_mut().take(j + 1).skip(i) {
                        *m = true;
                    }
                    i = j + 1;
                    continue;
                }
            }
            i += 1;
        }
    }
    mask
}

fn closing_of(c: char) -> Option<char> {
    match c {
        '“' => Some('”'),
        '‘' => Some('’'),
        '「' => Some('」'),
        '（' => Some('）'),
        '(' => Some(')'),
        '《' => Some('》'),
        '"' => Some('"'),
        _ => None,
    }
}

fn opening_of(c: char) -> Option<char> {
    match c {
        '”' => Some('“'),
        '’' => Some('‘'),
        '」' => Some('「'),
        '）' => Some('（'),
        ')' => Some('('),
        '》' => Some('《'),
        '"' => Some('"'),
        _ => None,
    }
}

fn chinese_value_ok(s: &str) -> bool {
    // "一" alone is an article (一个平台); lone 百/千/万 are idioms (千家万户).
    let simple: String = s.chars().map(simp).collect();
    !matches!(simple.as_str(), "一" | "两" | "百" | "千" | "万" | "亿" | "十" | "零" | "〇")
}

/// Extracts figures from one paragraph.
pub fn extract(text: &str) -> Vec<Figure> {
    extract_limited(text, usize::MAX)
}

/// Extracts at most `limit` figures from one paragraph, skipping repeats
/// (same value, unit and quote).
pub fn extract_limited(text: &str, limit: usize) -> Vec<Figure> {
    let cs: Vec<char> = text.chars().collect();
    let mask = slogan_mask(&cs);
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let Some(num) = scan_number(&cs, i) else {
            i += 1;
            continue;
        };
        i = num.end.max(i + 1);
        if out.len() >= limit {
            break;
        }
        if let Some((f, end)) = figure_at(&cs, &mask, &num) {
            i = i.max(end);
            if !out
                .iter()
                .rev()
                .take(8)
                .any(|g: &Figure| g.value == f.value && g.unit == f.unit && g.quote == f.quote)
            {
                out.push(f);
            }
        }
    }
    out
}

fn figure_at(cs: &[char], mask: &[bool], num: &Num) -> Option<(Figure, usize)> {
    let prev = num.start.checked_sub(1).and_then(|p| cs.get(p)).map(|&c| simp(c));
    // Ordinals and codes: 第一批, 3+N, G20, 5G.
    if matches!(prev, Some('第' | '+' | '＋' | '-' | '/' | '／' | '.' | '#' | '№' | '届'))
        || prev.is_some_and(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    if num.chinese
        && prev.is_some_and(|c| matches!(c, '周' | '星' | '初' | '礼' | '农' | '腊' | '正'))
    {
        return None;
    }
    if mask.get(num.start).copied().unwrap_or(false) {
        return None;
    }
    let mut j = num.end;
    // Range: 3至5个, 10—15场, 3-5名
    let mut range_end = None;
    if let Some(&sep) = cs.get(j)
        && matches!(sep, '至' | '到' | '-' | '—' | '~' | '～' | '－')
        && let Some(n2) = scan_number(cs, j + 1)
        && n2.chinese == num.chinese
    {
        range_end = Some(n2.end);
    }
    if let Some(e) = range_end {
        j = e;
    }
    let digits: String = cs.get(num.start..j)?.iter().collect();
    // 余/多 after the number (1300余名, 百余场次, 十多个).
    let mut qual_end = j;
    while cs.get(qual_end).is_some_and(|&c| matches!(simp(c), '余' | '多')) {
        qual_end += 1;
    }
    // Multiplier letters belong to the unit when directly followed by one
    // (500万元 → 500 + 万元), to the value otherwise (3万余人 → 3万余 + 人).
    let mut value_end = qual_end;
    let mut unit_start = qual_end;
    let mut unit = unit_at(cs, unit_start);
    if unit.is_none() && qual_end == j && !num.chinese {
        // Try moving trailing 万/亿 into the unit.
        let mut k = j;
        while k > num.start && cs.get(k - 1).is_some_and(|&c| matches!(simp(c), '万' | '亿')) {
            k -= 1;
        }
        if k < j
            && let Some(u) = unit_at(cs, k)
        {
            unit = Some(u);
            unit_start = k;
            value_end = k;
        }
    } else if unit.is_some() && !num.chinese {
        // 500万元: prefer unit 万元 when the multiplier is at the end of the digits.
        if let Some(&last) = cs.get(j.wrapping_sub(1))
            && qual_end == j
            && matches!(simp(last), '万' | '亿')
        {
            let k = j - 1;
            if let Some(u) = unit_at(cs, k)
                && u.chars().count() > 1
            {
                unit = Some(u);
                unit_start = k;
                value_end = k;
            }
        }
    }
    let unit = unit?;
    if num.chinese && PLACE_UNITS.contains(&unit) {
        return None;
    }
    let unit_end = unit_start + unit.chars().count();
    let value_digits: String = cs.get(num.start..value_end.min(j))?.iter().collect();
    if num.chinese && !chinese_value_ok(&value_digits) && value_end == j {
        return None;
    }
    if num.chinese
        && value_digits.chars().count() == 1
        && value_digits.chars().all(|c| matches!(simp(c), '百' | '千' | '万' | '亿'))
        && qual_end == j
    {
        return None;
    }
    if !num.chinese && digits.chars().filter(|c| is_arabic(*c)).count() >= 7 {
        // Phone numbers, codes.
        return None;
    }
    // Sessions: 五届五次全会, 三次党代会.
    let after: String =
        cs.get(unit_end..(unit_end + 4).min(cs.len()))?.iter().map(|&c| simp(c)).collect();
    if num.chinese && NAME_AFTER_UNIT.iter().any(|w| after.starts_with(w)) {
        return None;
    }
    if unit == "次"
        && (after.starts_with("全会")
            || after.starts_with("全体会议")
            || after.starts_with("党代会")
            || after.starts_with("代表大会"))
    {
        return None;
    }
    // Year-like Arabic values with 年 handled by the unit list; 4-digit
    // values followed by 年 never reach here. Reject 2024届 style.
    if after.starts_with('级') && matches!(unit, "个" | "星") {
        return None;
    }
    // Time of day / date written with units: 9时 not a unit; fine.
    // Quote: the clause around the number.
    // (bounded, so a paragraph without punctuation stays linear)
    let mut qs = num.start;
    while qs > 0 && num.start - qs < MAX_CLAUSE && !cs.get(qs - 1).is_some_and(|&c| is_delim(c)) {
        qs -= 1;
    }
    let mut qe = unit_end;
    while qe < cs.len() && qe - unit_end < MAX_CLAUSE && !cs.get(qe).is_some_and(|&c| is_delim(c)) {
        qe += 1;
    }
    // Trim brackets and quote marks at the clause's ends unless they pair
    // with one inside it (组建了79支‘城市志愿服务队’ keeps its ’).
    loop {
        let mut changed = false;
        if qs < num.start
            && let Some(&c) = cs.get(qs)
        {
            let closer = closing_of(c);
            let pairs_inside =
                closer.is_some_and(|cl| cs.get(qs + 1..qe).is_some_and(|s| s.contains(&cl)));
            if c.is_whitespace() || matches!(c, '、' | '—') || (closer.is_some() && !pairs_inside)
            {
                qs += 1;
                changed = true;
            }
        }
        if qe > unit_end
            && let Some(&c) = cs.get(qe - 1)
        {
            let opener = opening_of(c);
            let pairs_inside =
                opener.is_some_and(|op| cs.get(qs..qe - 1).is_some_and(|s| s.contains(&op)));
            if c.is_whitespace() || matches!(c, '、' | '—') || (opener.is_some() && !pairs_inside)
            {
                qe -= 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let quote: String = cs.get(qs..qe)?.iter().collect();
    // Value with prefix qualifiers (近/超/约/逾) when present.
    let mut vs = num.start;
    if vs > qs && cs.get(vs - 1).is_some_and(|&c| matches!(simp(c), '近' | '超' | '约' | '逾'))
    {
        vs -= 1;
    }
    let value: String = cs.get(vs..value_end)?.iter().collect();
    let label = label_for(cs, qs, vs, unit_end, qe, unit);
    let unit_norm = if unit == "％" { "%".to_string() } else { unit.to_string() };
    Some((Figure { value, unit: unit_norm, label, quote }, unit_end))
}

/// Words that end the noun phrase after a unit (verbs, prepositions, particles).
const LABEL_STOPS: &[&str] = &[
    "到", "在", "参加", "参与", "报名", "担任", "开展", "进行", "提供", "建立", "成立", "组建",
    "全部", "已", "为", "对", "于", "从", "向", "覆盖", "实现", "完成", "达到", "累计", "共同",
    "等", "及", "与", "齐奏", "结合", "进", "赴", "包联", "成为", "受到", "获得", "充分", "发挥",
    "负责", "推动", "建设", "入驻", "积极", "深入", "主动", "均", "都", "正在", "将", "被", "先后",
    "分别", "、", "(", "（", " ",
];

/// Words after which the noun phrase before a number starts.
const LABEL_PRE_STOPS: &[&str] = &[
    "了",
    "有",
    "共",
    "计",
    "达",
    "内",
    "在",
    "是",
    "为",
    "掌握",
    "新成立",
    "成立",
    "发展",
    "举办",
    "开展",
    "完成",
    "覆盖",
    "建成",
    "解决",
    "帮助",
    "建立",
    "明确",
    "增加",
    "累计",
    "涉及",
    "吸引",
    "选派",
    "推动",
    "依托",
    "等",
    "、",
];

const QUALIFIERS_AFTER_UNIT: &[&str] = &["左右", "以上", "上下", "之多"];

fn label_for(cs: &[char], qs: usize, vs: usize, unit_end: usize, qe: usize, unit: &str) -> String {
    let strip = |s: &str| -> String {
        s.trim_matches(|c: char| {
            c.is_whitespace() || matches!(c, '“' | '”' | '‘' | '’' | '"' | '「' | '」')
        })
        .to_string()
    };
    let mut after: String = cs.get(unit_end..qe).unwrap_or(&[]).iter().collect();
    for q in QUALIFIERS_AFTER_UNIT {
        if let Some(rest) = after.strip_prefix(q) {
            after = rest.to_string();
        }
    }
    let mut cut = after.len();
    for stop in LABEL_STOPS {
        if let Some(p) = after.find(stop) {
            cut = cut.min(p);
        }
    }
    // 8个街道和2个… → 街道 (a second number ends the phrase).
    if let Some(p) = after.find(|c: char| is_arabic(c)) {
        cut = cut.min(p);
    }
    let mut label = after.get(..cut).unwrap_or("").to_string();
    // 带动力强的农民合作社 → 农民合作社
    if let Some(p) = label.rfind('的') {
        let tail = label.get(p + '的'.len_utf8()..).unwrap_or("");
        if tail.chars().count() >= 2 {
            label = tail.to_string();
        }
    }
    let label = strip(&label);
    let label = if matches!(label.as_str(), "和" | "及" | "与" | "或" | "的") {
        String::new()
    } else {
        label
    };
    let starts_numeric = label.chars().next().is_some_and(|c| is_arabic(c) || is_cn_num(c));
    if !label.is_empty() && !starts_numeric {
        return label.chars().take(14).collect();
    }
    let before: String = cs.get(qs..vs).unwrap_or(&[]).iter().collect();
    let mut start = 0;
    for stop in LABEL_PRE_STOPS {
        if let Some(p) = before.rfind(stop) {
            start = start.max(p + stop.len());
        }
    }
    let tail = strip(before.get(start..).unwrap_or(""));
    let n = tail.chars().count();
    if n >= 2 {
        return tail.chars().skip(n.saturating_sub(12)).collect();
    }
    match unit {
        "街" => "街道".to_string(),
        "镇" | "乡" | "村" | "乡镇" | "街道" => unit.to_string(),
        _ => {
            let q: String = cs.get(qs..qe).unwrap_or(&[]).iter().collect();
            q.chars().take(14).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vu(text: &str) -> Vec<(String, String)> {
        extract(text).into_iter().map(|f| (f.value, f.unit)).collect()
    }

    fn pair(v: &str, u: &str) -> (String, String) {
        (v.to_string(), u.to_string())
    }

    #[test]
    fn basic_counts_with_qualifiers() {
        let fs = extract(
            "“去年以来,我们已累计组织1300余名新就业群体党员和一线工作者到社区报到,有300余名网约配送员报名,组建了79支‘城市志愿服务队’",
        );
        let got: Vec<_> = fs.iter().map(|f| (f.value.as_str(), f.unit.as_str())).collect();
        assert_eq!(got, vec![("1300余", "名"), ("300余", "名"), ("79", "支")]);
        assert_eq!(fs[0].quote, "我们已累计组织1300余名新就业群体党员和一线工作者到社区报到");
        assert_eq!(fs[0].label, "新就业群体党员和一线工作者");
        assert_eq!(fs[2].label, "城市志愿服务队");
        assert_eq!(fs[2].quote, "组建了79支‘城市志愿服务队’");
    }

    #[test]
    fn label_before_number_when_unit_ends_clause() {
        let fs = extract("掌握辖区内新业态企业112个,从业人员7500余名,党员80名。");
        let got: Vec<_> =
            fs.iter().map(|f| (f.value.as_str(), f.unit.as_str(), f.label.as_str())).collect();
        assert_eq!(
            got,
            vec![("112", "个", "新业态企业"), ("7500余", "名", "从业人员"), ("80", "名", "党员")]
        );
    }

    #[test]
    fn chinese_numerals_percent_money_ranges() {
        assert_eq!(vu("已举办不同形式的宣讲活动百余场次。"), vec![pair("百余", "场次")]);
        assert_eq!(vu("建立五项机制。"), vec![pair("五", "项")]);
        assert_eq!(
            vu("推动全区6街1镇和103个城市社区。"),
            vec![pair("6", "街"), pair("1", "镇"), pair("103", "个")]
        );
        assert_eq!(
            vu("覆盖率达95.6%，投入资金500万元，惠及1.2万人。"),
            vec![pair("95.6", "%"), pair("500", "万元"), pair("1.2", "万人")]
        );
        assert_eq!(
            vu("每村培训3至5名，近200人参加，共3万余人受益。"),
            vec![pair("3至5", "名"), pair("近200", "人"), pair("3万余", "人")]
        );
        assert_eq!(vu("增长12.5％。"), vec![pair("12.5", "%")]);
    }

    #[test]
    fn not_figures() {
        for s in [
            "2024年7月1日,晚上7点,上午9时开会。",
            "年满18岁的青年。",
            "电话:0351-4223160,邮编030000。",
            "京ICP备10031449号-2。",
            "山西省第一批星级名单,第62个学雷锋纪念日。",
            "党的二十大精神,十四五规划,二十届三中全会。",
            "着眼“五个注重”,实施“六个统筹”,以“14683”工作体系为统领。",
            "探索3+N模式,建设5G基站。",
            "打造一个平台,一支队伍,一批项目,一刻钟便民服务圈。",
            "全面实施六大专项行动,成立五大工作队。",
            "运城市纪委五届五次全会部署。",
            "让文明新风吹遍千家万户。",
            "用3个月时间完成,不出10分钟。",
            "家住皇华馆15号院5层。",
            "制订《夏县2024年公开招聘社区工作者实施方案》。",
            "每周一到周五的早晨。",
            "落实中央八项规定精神,群众心直达两件事。",
        ] {
            assert!(extract(s).is_empty(), "{s}: {:?}", extract(s));
        }
    }

    #[test]
    fn traditional_units() {
        assert_eq!(vu("建成小區黨群服務站840個。"), vec![pair("840", "个")]);
    }

    #[test]
    fn quotes_are_verbatim_substrings() {
        let text = "截至目前，迎泽区累计完成既有住宅加装电梯168部。（山西日报 要佳）";
        for f in extract(text) {
            assert!(text.contains(&f.quote));
            assert!(f.quote.contains(&f.value));
        }
    }
}
