//! `jianbao new`: starts the next issue's manifest in a folder, from the previous issue's
//! manifest (next number, today's date, its distribution block, themes and outputs, no
//! articles) or from a commented template, and proves it passes `check` once an article
//! is added.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, SourceText};
use crate::error::Failure;
use crate::manifest::Date;
use crate::manifest::schema::{SCHEMA_FILE, modeline};
use crate::manifest::yaml::{self, Node, SNode};

/// The manifest's file name in the new folder.
pub const MANIFEST_FILE: &str = "manifest.yaml";

/// What `jianbao new` wrote.
#[derive(Debug)]
pub struct NewIssue {
    /// The new manifest.
    pub manifest: PathBuf,
    /// The schema written beside it, which its first line names.
    pub schema: PathBuf,
    /// The new issue's number and total number.
    pub number: u32,
    /// The new issue's total number, when the previous one had one.
    pub total_number: Option<u32>,
    /// The previous issue's year, when it is before the new date's year.
    pub previous_year: Option<i32>,
    /// What `check` still reports once an article is added (empty: it passes).
    pub problems: Vec<Diagnostic>,
}

/// Today's date in China Standard Time (UTC+8, which has no daylight saving), or the
/// date of `SOURCE_DATE_EPOCH` when given, so runs can be reproduced.
pub fn today(source_date_epoch: Option<i64>) -> Date {
    let now = match source_date_epoch {
        Some(s) => {
            time::OffsetDateTime::from_unix_timestamp(s).unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        }
        None => time::OffsetDateTime::now_utc(),
    };
    let china = now.to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC));
    Date { year: china.year(), month: u8::from(china.month()), day: china.day() }
}

/// Writes `DIR/manifest.yaml` (refusing to overwrite one) and `DIR/manifest.schema.json`.
pub fn new_issue(dir: &Path, from: Option<&Path>, date: Date) -> Result<NewIssue, Failure> {
    let manifest = dir.join(MANIFEST_FILE);
    if manifest.exists() {
        return Err(Failure::io(format!(
            "{} already exists; `jianbao new` does not overwrite a manifest",
            crate::display_path(&manifest)
        ))
        .hint("name a new folder for the new issue, e.g. `jianbao new 2025-04 --from 2025-03/manifest.yaml`"));
    }
    let next = match from {
        Some(previous) => from_previous(previous, date)?,
        None => Next { text: template(date), number: 1, total_number: None, previous_year: None },
    };
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::io(format!("cannot create the folder {}: {e}", crate::display_path(dir)))
    })?;
    let schema = dir.join(SCHEMA_FILE);
    let write = |path: &Path, bytes: &[u8]| {
        crate::fs::write_atomic(path, bytes)
            .map_err(|e| Failure::io(format!("cannot write {}: {e}", crate::display_path(path))))
    };
    write(&schema, crate::manifest::schema::text().as_bytes())?;
    write(&manifest, next.text.as_bytes())?;
    let problems = probe(&manifest, &next.text, from.map(previous_county).unwrap_or_default())?;
    Ok(NewIssue {
        manifest,
        schema,
        number: next.number,
        total_number: next.total_number,
        previous_year: next.previous_year,
        problems,
    })
}

struct Next {
    text: String,
    number: u32,
    total_number: Option<u32>,
    previous_year: Option<i32>,
}

/// The commented `articles:` block that replaces the previous issue's articles.
const ARTICLES: &str = "\
articles:
  # 本期稿件，每篇以“- id:”开头，可从 jianbao ingest 的草稿中复制过来。示例：
  # - id: yanhu-xinjiuye              # 稿件编号，全期唯一
  #   title: 让新就业群体“流动”更“有心”  # 标题
  #   county: 盐湖区                   # 县（市、区）
  #   themes: [新就业群体]              # 专题，可写 []
  #   body: |                         # 正文，段落之间空一行
  #     第一段……
  #
  #     第二段……
";

/// The commented `figures:` block that replaces the previous issue's figures.
const FIGURES: &str = "\
figures:
  # 数据速览，每项数字引自一篇稿件的原文。示例：
  # - article: yanhu-xinjiuye          # 稿件编号
  #   label: 到社区报到的党员和一线工作者  # 统计的是什么
  #   value: \"1300余\"                  # 原文中的数字
  #   unit: 名                         # 紧跟数字的单位
  #   quote: 我们已累计组织1300余名新就业群体党员和一线工作者到社区报到
";

fn template(date: Date) -> String {
    format!(
        "{modeline}
# 工作简报清单，由 jianbao new 生成。把“待填写”换成实际内容，在 articles: 下加入稿件，
# 然后运行 jianbao check manifest.yaml 检查，jianbao build manifest.yaml 生成 PDF。
briefing:
  title: 待填写                     # 简报名称，如：运城党建工作简报
  issuer: 待填写                    # 编印单位，如：中共运城市委组织部办公室
  number: 1                        # 期号
  # total_number: 1                # 总期号（总第N期），需要时去掉行首的 #
  date: {date}                 # 印发日期
  classification: 内部资料 注意保存   # 左上角标注，不需要可删去
  report_to: []                    # 版记“报：”，如 [省委组织部, 市委办公室]
  send_to: []                      # 版记“送：”
  issue_to: []                     # 版记“发：”
style: official                    # official：公文格式（印刷用）；modern：现代版式
themes: {{}}                         # 专题关键词，如 {{ 新就业群体: [外卖, 快递员] }}
{ARTICLES}{FIGURES}outputs:
  - kind: issue                    # 整期一份
    file: \"{{{{ title }}}}-第{{{{ number }}}}期.pdf\"
  # - kind: county                 # 每个县（市、区）一份
  #   file: \"{{{{ county }}}}-第{{{{ number }}}}期.pdf\"
",
        modeline = modeline(SCHEMA_FILE),
        date = date.iso(),
    )
}

fn read_previous(path: &Path) -> Result<SourceText, Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::io(format!("cannot read the previous manifest {}: {e}", crate::display_path(path)))
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::io(format!("{} is not UTF-8 text", crate::display_path(path)))
            .hint("`jianbao check` on it shows where")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).replace("\r\n", "\n");
    Ok(SourceText::new(crate::display_path(path), text))
}

fn top_level(node: &SNode) -> &[(serde_saphyr::Spanned<String>, SNode)] {
    match &node.value {
        Node::Map(entries) => entries,
        _ => &[],
    }
}

fn entry<'n>(
    entries: &'n [(serde_saphyr::Spanned<String>, SNode)],
    key: &str,
) -> Option<&'n SNode> {
    entries.iter().find(|(k, _)| k.value == key).map(|(_, v)| v)
}

fn number(node: &SNode) -> Option<u32> {
    match &node.value {
        Node::Int(i) => u32::try_from(*i).ok(),
        Node::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The previous issue's manifest with the next number and total number, the new date,
/// and commented `articles:` and `figures:` blocks in place of its own.
fn from_previous(path: &Path, date: Date) -> Result<Next, Failure> {
    let source = read_previous(path)?;
    let node = yaml::parse(&source).map_err(|d| Failure::Input(vec![*d]))?;
    let r = yaml::Reader::new(&source);
    let top = top_level(&node);
    let problem = |node: &SNode, message: &str, hint: &str| {
        Failure::Input(vec![Diagnostic::error(message).at(&source, r.span_of(node)).hint(hint)])
    };
    let Some(briefing) = entry(top, "briefing") else {
        return Err(Failure::Input(vec![
            Diagnostic::error("the previous manifest has no `briefing:`")
                .in_file(&source)
                .hint("pass the manifest of last month's issue, which `jianbao check` accepts"),
        ]));
    };
    let fields = top_level(briefing);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let number_node = entry(fields, "number").ok_or_else(|| {
        problem(
            briefing,
            "the previous `briefing` has no `number`",
            "add the previous issue's `number:`",
        )
    })?;
    let previous = number(number_node).ok_or_else(|| {
        problem(
            number_node,
            "the previous issue's `number` is not a whole number",
            "write it in digits, e.g. `3`",
        )
    })?;
    let next_number = previous.saturating_add(1);
    edits.push((scalar_span(&r, &source, number_node), next_number.to_string()));
    let mut total_number = None;
    if let Some(n) = entry(fields, "total_number") {
        let total = number(n).ok_or_else(|| {
            problem(
                n,
                "the previous issue's `total_number` is not a whole number",
                "write it in digits, e.g. `57`",
            )
        })?;
        total_number = Some(total.saturating_add(1));
        edits.push((scalar_span(&r, &source, n), total.saturating_add(1).to_string()));
    }
    let date_node = entry(fields, "date").ok_or_else(|| {
        problem(
            briefing,
            "the previous `briefing` has no `date`",
            "add the previous issue's `date:`",
        )
    })?;
    let previous_year = match &date_node.value {
        Node::Str(s) => Date::parse(s).map(|d| d.year).filter(|y| *y < date.year),
        _ => None,
    };
    edits.push((scalar_span(&r, &source, date_node), date.iso()));
    // The articles and figures blocks, from their key to the next top-level key.
    let text = &source.text;
    let mut starts: Vec<(usize, &str)> =
        top.iter().map(|(k, _)| (r.span_of(k).start, k.value.as_str())).collect();
    starts.sort_unstable();
    for (i, (start, key)) in starts.iter().enumerate() {
        let replacement = match *key {
            "articles" => ARTICLES,
            "figures" => FIGURES,
            _ => continue,
        };
        if text[..*start].rfind('\n').map_or(0, |n| n + 1) != *start {
            return Err(Failure::Input(vec![
                Diagnostic::error(format!("`{key}` of the previous manifest is not at the left margin"))
                    .at(&source, *start..start + key.len())
                    .hint("`jianbao new` reads manifests written one top-level key per line, as `jianbao ingest` writes them"),
            ]));
        }
        let end = starts.get(i + 1).map_or(text.len(), |(s, _)| *s);
        edits.push((*start..end, replacement.to_string()));
    }
    if entry(top, "articles").is_none() {
        edits.push((
            text.len()..text.len(),
            format!("{}{ARTICLES}", if text.ends_with('\n') { "" } else { "\n" }),
        ));
    }
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, replacement) in &edits {
        out.push_str(&text[at..range.start]);
        out.push_str(replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    // The first line names the schema written beside the manifest.
    let body = match out.split_once('\n') {
        Some((first, rest)) if first.starts_with("# yaml-language-server:") => rest.to_string(),
        _ => out,
    };
    Ok(Next {
        text: format!("{}\n{body}", modeline(SCHEMA_FILE)),
        number: next_number,
        total_number,
        previous_year,
    })
}

/// The bytes of a scalar's value as written (quotes included), to replace it.
fn scalar_span(r: &yaml::Reader, source: &SourceText, node: &SNode) -> Range<usize> {
    let span = r.span_of(node);
    let text = &source.text;
    let start = span.start.min(text.len());
    // To the end of the token: a comment, a flow separator or the end of the line.
    let rest = &text[start..];
    let quoted = rest.starts_with(['"', '\'']);
    let len = if quoted {
        let q = rest.chars().next().unwrap_or('"');
        rest[1..].find(q).map_or(rest.len(), |i| i + 2)
    } else {
        rest.find(['\n', '#', ',', '}', ']']).unwrap_or(rest.len())
    };
    let value = rest[..len].trim_end();
    start..start + value.len()
}

/// A county the previous issue's first article has, for the probe article.
fn previous_county(path: &Path) -> String {
    let county = read_previous(path).ok().and_then(|source| {
        let node = yaml::parse(&source).ok()?;
        let articles = entry(top_level(&node), "articles")?;
        let Node::Seq(items) = &articles.value else { return None };
        items.iter().find_map(|a| match &entry(top_level(a), "county")?.value {
            Node::Str(s) => Some(s.clone()),
            _ => None,
        })
    });
    county.unwrap_or_default()
}

/// What `check` reports for the new manifest once an article is added (and, in the
/// template, its 待填写 filled in). The article goes on the `articles:` line itself, so
/// line numbers are the written file's.
fn probe(path: &Path, text: &str, county: String) -> Result<Vec<Diagnostic>, Failure> {
    let county = if county.is_empty() { "东城区".to_string() } else { county };
    let article = format!(
        "articles: [{{id: 样稿, title: 样稿标题, county: {}, themes: [], body: 样稿正文。}}]",
        crate::ingest::yaml::quoted(&county)
    );
    let mut probe = String::with_capacity(text.len() + article.len());
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "articles:" {
            probe.push_str(&article);
            probe.push('\n');
        } else {
            probe.push_str(&line.replace("待填写", "样例"));
        }
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let dir = dir.canonicalize().map_err(|e| {
        Failure::io(format!("cannot open the folder {}: {e}", crate::display_path(dir)))
    })?;
    let name = crate::display_path(path);
    match crate::manifest::parse_keeping(&name, probe.as_bytes(), path, &dir, &dir) {
        Ok((m, _)) => {
            let (_, diags) = crate::plan::plan(&m);
            Ok(diags.into_iter().filter(|d| d.severity == crate::diag::Severity::Error).collect())
        }
        Err(rejected) => {
            let diags = crate::session::with_plan_problems(rejected);
            Ok(diags.into_iter().filter(|d| d.severity == crate::diag::Severity::Error).collect())
        }
    }
}
