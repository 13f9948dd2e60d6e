//! Unit tests of the layout analysis.

use super::super::decode::split_lines;
use super::*;

fn run(text: &str) -> Vec<RawArticle> {
    analyse(&split_lines(text))
}

#[test]
fn dates_parse() {
    assert_eq!(parse_date_prefix("2024-02-26 15:25:00").map(|x| x.0), Some("2024-02-26".into()));
    assert_eq!(parse_date_prefix("2024年2月6日 星期一").map(|x| x.0), Some("2024-02-06".into()));
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
    let page =
        "某县召开会议\n\n本报讯(记者 张三)2024年2月21日,某县召开会议。会议要求2025年3月1日前完成。";
    assert_eq!(run(page)[0].date.as_deref(), Some("2024-02-21"));
    let page = "2024年3月5日 星期二\n\n某县召开会议\n\n本报讯 会议召开。";
    assert_eq!(run(page)[0].date.as_deref(), Some("2024-03-05"));
}

#[test]
fn leftover_html_tags_are_removed() {
    assert_eq!(clean_line("< img src=\"http://x.gov.cn/a.jpg\" width=\"600\""), "");
    assert_eq!(clean_line("<track id=\"player\" kind=\"captions\">"), "");
    assert_eq!(
        clean_line("<p>　　今年以来，某县<strong>新建站点12个</strong>。</p>"),
        "今年以来，某县新建站点12个。"
    );
    assert_eq!(clean_line("< /span >浏览次数：&nbsp;356"), "浏览次数： 356");
    // Not tags: comparisons, book-title marks, words that only start like a tag.
    for s in ["增速<5%的企业有3家。", "<<乡村振兴促进法>>", "<b2b平台>上线", "a<b"]
    {
        assert_eq!(clean_line(s), s);
    }
}

#[test]
fn seo_spam_is_never_text_or_a_title() {
    for s in [
        "澳门新葡京娱乐城_真人百家乐官网_www.xpj5588.com",
        "彩票网 bet365体育在线投注 亚洲最大的博彩公司",
        "运城牛皮癣医院哪家好 运城治疗牛皮癣专科医院 http://www.ycpfb120.com/",
        "运城治疗白癜风专科医院 www.ycbdf.cn",
        "http://www.ycpfb120.com/",
        "国产精品一本道无码在线",
    ] {
        assert_eq!(classify(&clean_line(s)), Kind::Furniture, "{s}");
    }
    // A domain glued to a headline goes; the headline stays.
    assert_eq!(
        clean_line("万荣县举办全县乡村振兴产业发展观摩会www.hg0088.com"),
        "万荣县举办全县乡村振兴产业发展观摩会"
    );
    assert_eq!(clean_line("www.hg0088.com_夏县召开会议"), "夏县召开会议");
    // An e-mail address stays whole, and its short line is dropped.
    assert_eq!(clean_line("投稿邮箱：dyzzb@126.com"), "投稿邮箱：dyzzb@126.com");
    assert_eq!(classify("投稿邮箱：dyzzb@126.com"), Kind::Furniture);
    // Reports about gambling, and government sites, are not spam.
    for s in [
        "永济公安：严厉打击网络赌博违法犯罪",
        "警方提醒，广大群众切勿轻信“注册送彩金”等宣传，发现线索请及时举报。",
        "执法人员重点检查了经营单位是否销售含有暴力、色情内容的出版物。",
        "群众可登录www.yuncheng.gov.cn查询办理进度。",
        "县人民医院新建门诊楼投入使用",
        "县人民医院推出线上预约挂号服务",
        "县人民医院开通网上服务，群众可登录www.xxrmyy.com查询检查结果。",
        "患者可通过县人民医院公众号在线咨询、预约挂号，看病少跑腿，费用多少钱一目了然。",
    ] {
        assert_ne!(classify(&clean_line(s)), Kind::Furniture, "{s}");
    }
}

#[test]
fn navigation_and_viewer_chrome_are_never_titles() {
    for s in [
        "放大　缩小　默认",
        "上一版　下一版　往期回顾",
        "序号　标题　版次　发布日期",
        "序号 | 标题 | 发布时间 | 浏览次数",
        "首页 | 政务公开 | 政务服务 | 互动交流",
        "新闻中心 > 县区动态 > 正文",
        "相关推荐：",
        "本版其他文章：",
    ] {
        assert_eq!(classify(s), Kind::Furniture, "{s}");
    }
    // A data table's rows are rows: body text, never a title.
    assert_eq!(classify("指标　单位　数值　同比增长"), Kind::Row);
    assert_eq!(classify("果园面积　万亩　68.5　2.1%"), Kind::Row);
    assert_eq!(table_cells("凝心聚力　建设一城两区三门户　推动高质量发展"), None);
    // A short line ending in a colon is a label, never promoted to a title.
    let page = "热点专题：\n\n发布时间：2024-03-01\n\n某县召开会议，部署全年工作。";
    for a in run(page) {
        assert_ne!(a.title, "热点专题：");
    }
}

#[test]
fn junk_lines_start_no_article() {
    let page = "运城日报数字报\n放大　缩小　默认\n序号　标题　版次　发布日期\n1　临猗县苹果产业产值突破百亿元　03版　2024-03-15\n\n临猗县苹果产业产值突破百亿元\n\n本报记者 王卫东\n\n　　本报讯 今年以来，临猗县新建标准化果园3.2万亩。\n指标　单位　数值\n果园面积　万亩　68.5\n　　下一步，临猗县将发展精深加工。\n本版其他文章：\n稷山县发放春耕农资补贴\n本版责编 张敏";
    let arts = run(page);
    assert_eq!(arts.len(), 1, "{arts:#?}");
    let a = &arts[0];
    assert_eq!(a.title, "临猗县苹果产业产值突破百亿元");
    assert!(!a.ends_with_row);
    assert_eq!(
        a.body,
        vec![
            "今年以来，临猗县新建标准化果园3.2万亩。",
            "指标　单位　数值",
            "果园面积　万亩　68.5",
            "下一步，临猗县将发展精深加工。"
        ]
    );
}

#[test]
fn an_article_may_end_with_a_table() {
    let page = "临猗县果业主要指标\n\n本报讯 2023年临猗县果业主要指标如下。\n指标　单位　数值\n果园面积　万亩　68.5\n";
    let arts = run(page);
    assert_eq!(arts.len(), 1, "{arts:#?}");
    assert_eq!(arts[0].body.last().map(String::as_str), Some("果园面积　万亩　68.5"));
    assert!(arts[0].ends_with_row);
}
