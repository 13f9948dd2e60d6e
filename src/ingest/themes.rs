//! Theme tagging for `ingest`: the built-in keyword table
//! ([`default_themes`]), merging it with a manifest's `themes:` map, and
//! scoring an article's title (weighted) and body against it.

use super::gazetteer::to_simplified;
use aho_corasick::{AhoCorasickBuilder, MatchKind};
use std::collections::HashMap;

/// The built-in theme table: (theme, keywords). Keywords are matched in
/// simplified characters; traditional input is converted first.
pub fn default_themes() -> Vec<(String, Vec<String>)> {
    let table: &[(&str, &[&str])] = &[
        (
            "新就业群体",
            &[
                "新就业群体",
                "新业态",
                "外卖员",
                "外卖骑手",
                "外卖配送员",
                "快递员",
                "快递小哥",
                "网约配送员",
                "网约车司机",
                "货车司机",
                "骑手",
                "暖新驿站",
                "暖“新”驿站",
                "两新组织",
                "新兴领域",
            ],
        ),
        (
            "党群服务中心",
            &[
                "党群服务中心",
                "党群服务站",
                "党群服务阵地",
                "党群服务圈",
                "党员活动室",
                "党群活动中心",
            ],
        ),
        ("网格治理", &["网格治理", "网格化", "网格员", "网格长", "网格党支部", "微网格", "网格"]),
        (
            "干部队伍",
            &[
                "干部队伍",
                "年轻干部",
                "选人用人",
                "干部选任",
                "干部选育",
                "干部梯队",
                "干部培训",
                "担当作为",
                "职级",
                "容错免责",
                "干部",
                "社区工作者",
            ],
        ),
        (
            "红色教育",
            &[
                "红色教育",
                "红色资源",
                "红色基因",
                "红色文化",
                "红色故事",
                "红色课程",
                "红色阵地",
                "党史",
                "革命老区",
                "革命历史",
                "党性教育",
                "理想信念教育",
            ],
        ),
        (
            "矛盾纠纷化解",
            &[
                "矛盾纠纷",
                "纠纷化解",
                "矛盾化解",
                "化解矛盾",
                "调解",
                "调解室",
                "信访",
                "枫桥经验",
                "诉求",
                "矛盾",
            ],
        ),
        (
            "便民服务",
            &[
                "便民服务",
                "便民",
                "一站式",
                "家门口",
                "生活圈",
                "服务圈",
                "加装电梯",
                "民生实事",
                "急难愁盼",
                "办实事",
                "暖心服务",
            ],
        ),
        (
            "基层党建",
            &[
                "基层党建",
                "党建引领",
                "党支部",
                "党组织",
                "党总支",
                "主题党日",
                "三会一课",
                "组织生活",
                "党员教育",
                "党员",
                "机关党建",
                "党建",
            ],
        ),
        (
            "纪检监察",
            &[
                "纪检监察",
                "纪委监委",
                "纪委",
                "监委",
                "党风廉政",
                "廉政",
                "廉洁",
                "腐败",
                "四风",
                "警示教育",
                "巡视",
                "巡察",
                "作风建设",
                "监督",
            ],
        ),
        (
            "乡村振兴",
            &[
                "乡村振兴",
                "集体经济",
                "农民增收",
                "助农",
                "农产品",
                "合作社",
                "和美乡村",
                "产业振兴",
                "千万工程",
                "农业",
                "乡村",
            ],
        ),
        (
            "文明实践",
            &[
                "文明实践",
                "志愿服务",
                "志愿者",
                "移风易俗",
                "文明新风",
                "文明集市",
                "精神文明",
                "雷锋",
                "文明",
            ],
        ),
    ];
    table
        .iter()
        .map(|(t, ks)| ((*t).to_string(), ks.iter().map(|k| (*k).to_string()).collect()))
        .collect()
}

/// Merges `extra` into `base`: a theme named in `extra` replaces the
/// same-named theme's keywords; new themes are appended. Empty names and
/// keywords are ignored.
pub fn merge_themes(
    base: Vec<(String, Vec<String>)>,
    extra: &[(String, Vec<String>)],
) -> Vec<(String, Vec<String>)> {
    let mut out = base;
    for (name, kws) in extra {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let kws: Vec<String> =
            kws.iter().map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect();
        if let Some(slot) = out.iter_mut().find(|(n, _)| n == name) {
            slot.1 = kws;
        } else {
            out.push((name.to_string(), kws));
        }
    }
    out
}

/// A compiled theme table.
pub struct ThemeTagger {
    names: Vec<String>,
    /// keyword index -> theme indices
    owners: Vec<Vec<usize>>,
    matcher: Option<aho_corasick::AhoCorasick>,
}

impl ThemeTagger {
    /// Compiles a theme table.
    pub fn new(themes: &[(String, Vec<String>)]) -> ThemeTagger {
        let mut kw_index: HashMap<String, usize> = HashMap::new();
        let mut keywords: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut names = Vec::new();
        for (ti, (name, kws)) in themes.iter().enumerate() {
            names.push(name.clone());
            for k in kws {
                let k = to_simplified(k);
                if k.is_empty() {
                    continue;
                }
                let ki = *kw_index.entry(k.clone()).or_insert_with(|| {
                    keywords.push(k);
                    owners.push(Vec::new());
                    owners.len() - 1
                });
                if let Some(o) = owners.get_mut(ki)
                    && !o.contains(&ti)
                {
                    o.push(ti);
                }
            }
        }
        let matcher =
            AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostLongest).build(&keywords).ok();
        ThemeTagger { names, owners, matcher }
    }

    fn count(&self, text: &str, weight: f64, scores: &mut [f64]) {
        let Some(m) = &self.matcher else { return };
        let s = to_simplified(text);
        for mat in m.find_iter(&s) {
            let len = mat.end().saturating_sub(mat.start()) / 3; // ~chars (CJK)
            // Longer, more specific keywords weigh a little more.
            let w = weight * if len >= 4 { 1.5 } else { 1.0 };
            for &t in self.owners.get(mat.pattern().as_usize()).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(sc) = scores.get_mut(t) {
                    *sc += w;
                }
            }
        }
    }

    /// Tags an article with the 1–3 themes it mainly concerns: keyword hits
    /// in the title count 4×; a theme needs a score of at least 3 and at
    /// least a quarter of the best theme's score.
    pub fn tag(&self, title: &str, body: &str) -> Vec<String> {
        let mut scores = vec![0.0; self.names.len()];
        self.count(title, 4.0, &mut scores);
        self.count(body, 1.0, &mut scores);
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        order.sort_by(|&a, &b| {
            let (sa, sb) =
                (scores.get(a).copied().unwrap_or(0.0), scores.get(b).copied().unwrap_or(0.0));
            sb.total_cmp(&sa).then(a.cmp(&b))
        });
        let best = order.first().and_then(|&i| scores.get(i)).copied().unwrap_or(0.0);
        order
            .into_iter()
            .filter(|&i| {
                let s = scores.get(i).copied().unwrap_or(0.0);
                s >= 3.0 && s * 4.0 >= best
            })
            .take(3)
            .filter_map(|i| self.names.get(i).cloned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_main_themes_title_weighted() {
        let t = ThemeTagger::new(&default_themes());
        let tags = t.tag(
            "盐湖区：让新就业群体“流动”更“有心”",
            "外卖员、快递员到党群服务中心报到。党群服务中心提供服务。新就业群体。",
        );
        assert_eq!(tags.first().map(String::as_str), Some("新就业群体"));
        assert!(tags.contains(&"党群服务中心".to_string()));
        assert!(tags.len() <= 3);
        let tags = t.tag("永济市纪委监委召开工作汇报会", "纪检监察干部要严纠四风，惩治腐败。");
        assert_eq!(tags, vec!["纪检监察".to_string()]);
        assert!(t.tag("天气晴", "今天天气很好。").is_empty());
    }

    #[test]
    fn traditional_text_is_tagged() {
        let t = ThemeTagger::new(&default_themes());
        assert_eq!(
            t.tag("紀委監委召開會議", "紀檢監察幹部").first().map(String::as_str),
            Some("纪检监察")
        );
    }

    #[test]
    fn extra_themes_extend_and_override() {
        let merged = merge_themes(
            default_themes(),
            &[
                ("青年工作".to_string(), vec!["共青团".to_string(), "青年".to_string()]),
                ("网格治理".to_string(), vec!["格格不入".to_string()]),
            ],
        );
        let t = ThemeTagger::new(&merged);
        assert_eq!(
            t.tag("共青团座谈会", "青年代表发言。").first().map(String::as_str),
            Some("青年工作")
        );
        assert!(t.tag("网格员上岗", "网格员巡查网格。").iter().all(|x| x != "网格治理"));
    }
}
