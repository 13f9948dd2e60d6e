//! The normalizer's cases: real seed lines, then each rule, then edge cases, and the
//! properties every output keeps.

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
        '\'', ' ', ' ', '\n', '\r', '\t', '\u{3000}', '\u{a0}', '\u{200b}', '\u{200d}', '\u{feff}',
        '“', '”', '‘', '’', '，', '。', '…', '（', '）', 'Ａ', '１', '👍', '/', '@', '&', '#', '-',
        'w', 'h', 't', 'p', '、', '《',
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
