//! The declared fields of every manifest object: one table that the reader uses to accept,
//! require and reject keys, and that `jianbao schema` turns into the JSON Schema.
//!
//! [`super::yaml::Fields`] reports a key that is not declared here as unknown (with the
//! closest declared one), a declared key the reader never asks for, or a key it asks for
//! that is not declared, fails every debug build and so every test; the schema is
//! generated from these same tables, so the two cannot drift.

/// What a field's value must be.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// Non-empty text that is not a draft placeholder; numbers and booleans count as the
    /// text they were written as.
    Text,
    /// Any text, also empty.
    AnyText,
    /// A positive whole number (digits in quotes are accepted).
    Positive,
    /// `true` or `false`.
    Bool,
    /// A date: `2025-03-10`, `2025/03/10` or `2025年3月10日`.
    Date,
    /// One of these words.
    Enum(&'static [&'static str]),
    /// Millimetres, from the first number to the second.
    Millimetres(f64, f64),
    /// A photo's width: `full`, `half` or millimetres (see [`super::photos::SIZE_MM`]).
    PhotoSize,
    /// `[first, last]` line numbers.
    Lines,
    /// A list (nothing at all is an empty list).
    List(&'static Ty),
    /// A mapping from a name to its keyword list.
    Keywords,
    /// A nested object.
    Object(&'static Object),
}

/// When a field must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    /// Optional.
    No,
    /// Always required.
    Yes,
    /// Required when the named sibling field is present.
    With(&'static str),
}

/// One field of an object.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The key.
    pub name: &'static str,
    /// Its value's type.
    pub ty: Ty,
    /// Whether it must be present.
    pub required: Required,
    /// Allowed only when the sibling field (first) holds one of these values (second).
    pub only: Option<(&'static str, &'static [&'static str])>,
    /// Short names, Chinese and English.
    pub title: (&'static str, &'static str),
    /// What it means, Chinese and English.
    pub doc: (&'static str, &'static str),
}

/// A mapping of the manifest and its declared fields.
#[derive(Debug)]
pub struct Object {
    /// Its name in `$defs` of the schema.
    pub id: &'static str,
    /// How messages name it ("an article").
    pub what: &'static str,
    /// Short names, Chinese and English.
    pub title: (&'static str, &'static str),
    /// What it is, Chinese and English.
    pub doc: (&'static str, &'static str),
    /// Its fields, in the order the reader asks for them (the order of hints).
    pub fields: &'static [Field],
}

impl Object {
    /// The declared field named `name`.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

const fn field(
    name: &'static str,
    ty: Ty,
    required: Required,
    title: (&'static str, &'static str),
    doc: (&'static str, &'static str),
) -> Field {
    Field { name, ty, required, only: None, title, doc }
}

const fn opt(
    name: &'static str,
    ty: Ty,
    title: (&'static str, &'static str),
    doc: (&'static str, &'static str),
) -> Field {
    field(name, ty, Required::No, title, doc)
}

const fn req(
    name: &'static str,
    ty: Ty,
    title: (&'static str, &'static str),
    doc: (&'static str, &'static str),
) -> Field {
    field(name, ty, Required::Yes, title, doc)
}

const TEXTS: Ty = Ty::List(&Ty::Text);

/// `style:` values.
pub const STYLES: &[&str] = &["official", "modern"];
/// `kind:` values of an output.
pub const KINDS: &[&str] = &["issue", "county", "theme", "select"];
/// `print: red:` values.
pub const RED_INKS: &[&str] = &["spot", "cmyk"];
/// `print: photos:` values.
pub const PHOTO_INKS: &[&str] = &["grey", "gray", "cmyk"];

/// The top-level mapping.
pub const MANIFEST: Object = Object {
    id: "manifest",
    what: "the manifest",
    title: ("简报清单", "jianbao manifest"),
    doc: (
        "一期工作简报的全部内容：报头信息、稿件、数据和要生成的 PDF。",
        "One issue of a work briefing: its masthead data, articles, key figures and the PDFs to make.",
    ),
    fields: &[
        req(
            "briefing",
            Ty::Object(&BRIEFING),
            ("简报信息", "briefing"),
            ("报头、期号、日期和版记。", "Masthead, issue number, date and distribution block."),
        ),
        opt(
            "style",
            Ty::Enum(STYLES),
            ("版式", "style"),
            (
                "official：党政机关公文格式（GB/T 9704，默认，用于印刷）；modern：现代版式。",
                "official: GB/T 9704 layout (the default, for print); modern: a modern design.",
            ),
        ),
        opt(
            "themes",
            Ty::Keywords,
            ("专题关键词", "themes"),
            (
                "每个专题名对应一组关键词，ingest 据此给稿件归类。",
                "Each theme's name mapped to its keywords; ingest uses them to sort articles.",
            ),
        ),
        opt(
            "print",
            Ty::Object(&PRINT),
            ("印刷设置", "print settings"),
            (
                "交付印厂的文件所用的出血、裁切标记和油墨。",
                "Bleed, crop marks and inks of the print-shop files.",
            ),
        ),
        opt(
            "groupings",
            TEXTS,
            ("片区名称", "groupings"),
            (
                "用作 county 但不是县级行政区的名称（如片区、市）。",
                "Names used as `county` that are not county-level divisions (a 片区, a city).",
            ),
        ),
        field(
            "articles",
            Ty::List(&Ty::Object(&ARTICLE)),
            Required::Yes,
            ("稿件", "articles"),
            ("本期稿件，至少一篇。", "The issue's articles, at least one."),
        ),
        opt(
            "figures",
            Ty::List(&Ty::Object(&FIGURE)),
            ("数据", "key figures"),
            (
                "数据速览中的关键数字，每项引自一篇稿件。",
                "Key figures for the 数据速览 panel, each quoted from an article.",
            ),
        ),
        opt(
            "outputs",
            Ty::List(&Ty::Object(&OUTPUT)),
            ("生成文件", "outputs"),
            (
                "要生成哪些 PDF；不写则生成整期一份。",
                "Which PDFs to make; without it, one PDF of the whole issue.",
            ),
        ),
    ],
};

/// `briefing:`.
pub const BRIEFING: Object = Object {
    id: "briefing",
    what: "`briefing`",
    title: ("简报信息", "briefing"),
    doc: (
        "报头、期号、日期和版记（报、送、发）。",
        "Masthead, issue number, date and the distribution block (报、送、发).",
    ),
    fields: &[
        req(
            "title",
            Ty::Text,
            ("简报名称", "title"),
            ("报头上的简报名称。", "The briefing's name in the masthead."),
        ),
        req(
            "issuer",
            Ty::Text,
            ("编印单位", "issuer"),
            ("编印单位。", "The office that issues it."),
        ),
        req(
            "number",
            Ty::Positive,
            ("期号", "issue number"),
            ("本年第几期，正整数。", "This year's issue number, a positive whole number."),
        ),
        opt(
            "total_number",
            Ty::Positive,
            ("总期号", "total number"),
            ("总第几期，正整数。", "The running number over all years, a positive whole number."),
        ),
        req(
            "date",
            Ty::Date,
            ("印发日期", "date"),
            (
                "写作 2025-03-10、2025/03/10 或 2025年3月10日。",
                "Written 2025-03-10, 2025/03/10 or 2025年3月10日.",
            ),
        ),
        opt(
            "classification",
            Ty::Text,
            ("密级标注", "classification"),
            (
                "左上角的标注，如“内部资料 注意保存”。",
                "The mark at the top left, e.g. 内部资料 注意保存.",
            ),
        ),
        opt(
            "editor_note",
            Ty::Text,
            ("编者按", "editor's note"),
            (
                "编者按，可用 {{ articles | length }} 等模板写法。",
                "The editor's note, a minijinja template ({{ articles | length }} …).",
            ),
        ),
        opt(
            "report_to",
            TEXTS,
            ("报", "report to"),
            ("版记中“报：”后的单位。", "Offices after 报： in the distribution block."),
        ),
        opt(
            "send_to",
            TEXTS,
            ("送", "send to"),
            ("版记中“送：”后的单位。", "Offices after 送： in the distribution block."),
        ),
        opt(
            "issue_to",
            TEXTS,
            ("发", "issue to"),
            ("版记中“发：”后的单位。", "Offices after 发： in the distribution block."),
        ),
        opt(
            "copies",
            Ty::Positive,
            ("印数", "copies"),
            ("共印多少份。", "How many copies are printed."),
        ),
        opt(
            "single_sided",
            Ty::Bool,
            ("单面印刷", "single-sided"),
            (
                "单面印刷时版记不必落在偶数页。",
                "One-sided printing: the distribution block need not end on an even page.",
            ),
        ),
        opt(
            "max_figures",
            Ty::Positive,
            ("数据卡片数", "max figures"),
            ("数据速览最多几张卡片，默认 8。", "Cards in the 数据速览 panel, at most (default 8)."),
        ),
        opt(
            "squeeze_punctuation",
            Ty::Bool,
            ("标点挤压", "squeeze punctuation"),
            (
                "行中标点挤压以便排满一行。",
                "Squeeze mid-line punctuation to fit lines (a house style).",
            ),
        ),
    ],
};

/// `print:`.
pub const PRINT: Object = Object {
    id: "print",
    what: "`print`",
    title: ("印刷设置", "print settings"),
    doc: (
        "交付印厂的文件（--profile print）所用的设置。",
        "Settings of the print-shop files (--profile print).",
    ),
    fields: &[
        opt(
            "bleed",
            Ty::Millimetres(0.0, 20.0),
            ("出血", "bleed"),
            ("出血，毫米，0 到 20。", "Bleed in millimetres, 0 to 20."),
        ),
        opt(
            "crop_marks",
            Ty::Bool,
            ("裁切标记", "crop marks"),
            ("是否加裁切标记。", "Whether to add crop marks."),
        ),
        opt(
            "red",
            Ty::Enum(RED_INKS),
            ("红色油墨", "red ink"),
            (
                "spot：专色；cmyk：四色（M80 Y80）。",
                "spot: a named spot colour; cmyk: process M80 Y80.",
            ),
        ),
        opt(
            "inner_red",
            Ty::Bool,
            ("正文红色", "inner red"),
            ("正文页也用红色。", "Use the red ink on inner pages too."),
        ),
        opt(
            "spot_name",
            Ty::Text,
            ("专色名称", "spot colour name"),
            ("专色的名称。", "The spot colour's name."),
        ),
        opt(
            "photos",
            Ty::Enum(PHOTO_INKS),
            ("图片油墨", "photo ink"),
            (
                "grey：只用黑墨印图片（默认）；cmyk：四色印图片（FOGRA39，总墨量 300%）。",
                "grey: photos in black ink only (the default); cmyk: four-colour photos (FOGRA39, 300 % total ink).",
            ),
        ),
    ],
};

/// An entry of `articles:`.
pub const ARTICLE: Object = Object {
    id: "article",
    what: "an article",
    title: ("稿件", "article"),
    doc: ("一篇稿件。", "One article."),
    fields: &[
        req(
            "id",
            Ty::Text,
            ("编号", "id"),
            (
                "稿件编号，全期唯一，数据用它引用稿件。",
                "Unique id; figures refer to the article by it.",
            ),
        ),
        req("title", Ty::Text, ("标题", "headline"), ("稿件标题。", "The headline.")),
        opt("subtitle", Ty::Text, ("副标题", "subtitle"), ("副标题。", "The subtitle.")),
        opt("byline", Ty::Text, ("署名", "byline"), ("作者署名。", "The byline.")),
        opt(
            "outlet",
            Ty::Text,
            ("来源媒体", "outlet"),
            ("刊发的报刊或网站。", "The newspaper or website it appeared in."),
        ),
        opt("date", Ty::Date, ("刊发日期", "date"), ("刊发日期。", "When it appeared.")),
        req(
            "county",
            Ty::Text,
            ("县（市、区）", "county"),
            (
                "县级行政区名称，对照内置行政区划检查；片区写在 groupings 中。",
                "A county-level division, checked against the gazetteer; declare others under `groupings`.",
            ),
        ),
        req("themes", TEXTS, ("专题", "themes"), ("所属专题，可为 []。", "Its themes, may be [].")),
        req(
            "body",
            Ty::Text,
            ("正文", "body"),
            (
                "正文，段落之间空一行；建议用 | 写成多行。",
                "The text; a blank line separates paragraphs. Write it as a `|` block.",
            ),
        ),
        opt(
            "captions",
            TEXTS,
            ("图片说明", "captions"),
            ("没有图片的图片说明。", "Captions without a picture."),
        ),
        opt(
            "photos",
            Ty::List(&Ty::Object(&PHOTO)),
            ("图片", "photos"),
            ("随稿件排的图片。", "Photos placed with the article."),
        ),
        opt(
            "truncated",
            Ty::Bool,
            ("来源不全", "truncated"),
            ("来源中稿件不完整。", "The source cuts the article off."),
        ),
        opt(
            "excerpt",
            Ty::Bool,
            ("节选", "excerpt"),
            ("节选，文末印“（节选）”。", "Ends before the source does: prints （节选）."),
        ),
        opt(
            "source",
            Ty::Object(&SOURCE),
            ("出处", "source"),
            ("稿件出处，只作记录，不印出。", "Where it came from; provenance only, never printed."),
        ),
    ],
};

/// An article's `source:`.
pub const SOURCE: Object = Object {
    id: "source",
    what: "`source`",
    title: ("出处", "source"),
    doc: (
        "来源文件和行号，或自写稿件的说明。",
        "The source file and its lines, or a note for an article the office wrote.",
    ),
    fields: &[
        opt("note", Ty::Text, ("说明", "note"), ("如“县委组织部来稿”。", "E.g. 县委组织部来稿.")),
        opt(
            "file",
            Ty::Text,
            ("来源文件", "file"),
            ("相对于清单所在文件夹。", "Relative to the manifest's folder."),
        ),
        field(
            "lines",
            Ty::Lines,
            Required::With("file"),
            ("行号", "lines"),
            ("[起始行, 结束行]，从 1 起算。", "[first, last] line, counted from 1."),
        ),
    ],
};

/// An entry of an article's `photos:`.
pub const PHOTO: Object = Object {
    id: "photo",
    what: "a photo",
    title: ("图片", "photo"),
    doc: ("一张图片。", "One photo."),
    fields: &[
        req(
            "file",
            Ty::Text,
            ("图片文件", "file"),
            (
                "JPEG、PNG 或 WebP，相对于清单所在文件夹。",
                "JPEG, PNG or WebP, relative to the manifest's folder.",
            ),
        ),
        opt(
            "caption",
            Ty::Text,
            ("图片说明", "caption"),
            ("排在图片下方。", "Set below the photo."),
        ),
        opt(
            "credit",
            Ty::Text,
            ("摄影", "credit"),
            ("接在说明后，如“特约摄影 解建国 摄”。", "After the caption, e.g. 特约摄影 解建国 摄."),
        ),
        opt(
            "size",
            Ty::PhotoSize,
            ("宽度", "size"),
            (
                "full：版心宽（默认）；half：半栏；或毫米数，如 80。",
                "full: the type width (default); half; or millimetres, e.g. 80.",
            ),
        ),
    ],
};

/// An entry of `figures:`.
pub const FIGURE: Object = Object {
    id: "figure",
    what: "a figure",
    title: ("数据", "figure"),
    doc: ("数据速览中的一项数字。", "One key figure of the 数据速览 panel."),
    fields: &[
        req(
            "article",
            Ty::Text,
            ("稿件编号", "article"),
            ("引自哪篇稿件（id）。", "The id of the article it is quoted from."),
        ),
        req("label", Ty::Text, ("说明", "label"), ("这个数字统计的是什么。", "What it counts.")),
        req(
            "value",
            Ty::Text,
            ("数值", "value"),
            (
                "引文中的完整数字，含“余、多、约”等。",
                "The quote's whole number, with 余/多/约/近/超.",
            ),
        ),
        req(
            "unit",
            Ty::AnyText,
            ("单位", "unit"),
            (
                "引文中紧跟数字的单位，如 个、名、%。",
                "The unit that follows the number in the quote: 个, 名, % …",
            ),
        ),
        req(
            "quote",
            Ty::Text,
            ("引文", "quote"),
            ("稿件原文中包含该数字的一句。", "The article's own words that hold the number."),
        ),
        opt(
            "compare",
            Ty::Text,
            ("对比组", "compare"),
            ("同一组的数字画成一张对比图。", "Figures sharing this key are drawn as one chart."),
        ),
        opt(
            "chart",
            Ty::Bool,
            ("画图", "chart"),
            ("false：不画进图表。", "false: keep this figure out of charts."),
        ),
    ],
};

const THEME_OR_SELECT: &[&str] = &["theme", "select"];
const SELECT: &[&str] = &["select"];

/// An entry of `outputs:`.
pub const OUTPUT: Object = Object {
    id: "output",
    what: "an output",
    title: ("生成文件", "output"),
    doc: ("要生成的一种 PDF。", "One kind of PDF to make."),
    fields: &[
        req(
            "kind",
            Ty::Enum(KINDS),
            ("类型", "kind"),
            (
                "issue：整期；county：每县一份；theme：每专题一份；select：按条件挑选。",
                "issue: the whole issue; county: one per county; theme: one per theme; select: articles matching filters.",
            ),
        ),
        req(
            "file",
            Ty::Text,
            ("文件名", "file name"),
            (
                "文件名模板，如“{{ county }}-第{{ number }}期.pdf”。",
                "File name pattern, e.g. {{ county }}-第{{ number }}期.pdf.",
            ),
        ),
        opt(
            "title",
            Ty::Text,
            ("标题", "title"),
            ("报头标题（模板）。", "Masthead title (a pattern)."),
        ),
        opt(
            "number_line",
            Ty::Text,
            ("期号行", "number line"),
            (
                "期号行（模板），默认“第N期摘编”。",
                "The issue-number line (a pattern); default 第N期摘编.",
            ),
        ),
        Field {
            only: Some(("kind", SELECT)),
            ..req("name", Ty::Text, ("名称", "name"), ("select 的名称。", "The selection's name."))
        },
        Field {
            only: Some(("kind", SELECT)),
            ..opt(
                "counties",
                TEXTS,
                ("县", "counties"),
                ("选这些县的稿件。", "Articles of these counties."),
            )
        },
        Field {
            only: Some(("kind", THEME_OR_SELECT)),
            ..opt(
                "themes",
                TEXTS,
                ("专题", "themes"),
                (
                    "theme：为哪些专题各出一份；select：选这些专题的稿件。",
                    "theme: which themes get one each; select: articles of these themes.",
                ),
            )
        },
        Field {
            only: Some(("kind", SELECT)),
            ..opt(
                "articles",
                TEXTS,
                ("稿件", "articles"),
                ("选这些编号的稿件。", "Articles with these ids."),
            )
        },
    ],
};

/// Every declared object, the manifest first.
pub const OBJECTS: [&Object; 8] =
    [&MANIFEST, &BRIEFING, &PRINT, &ARTICLE, &SOURCE, &PHOTO, &FIGURE, &OUTPUT];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// A value of type `t` that the reader takes without a word.
    fn sample(t: &Ty) -> Vec<Value> {
        match t {
            Ty::Text | Ty::AnyText => vec![json!("样例")],
            Ty::Positive => vec![json!(3)],
            Ty::Bool => vec![json!(true)],
            Ty::Date => vec![json!("2025-03-10")],
            Ty::Enum(values) => vec![json!(values[0])],
            Ty::Millimetres(..) => vec![json!(3)],
            Ty::PhotoSize => vec![json!("half")],
            Ty::Lines => vec![json!([1, 2])],
            Ty::List(item) => vec![Value::Array(sample(item))],
            Ty::Keywords => vec![json!({ "样例": ["样例"] })],
            Ty::Object(o) => every_field(o),
        }
    }

    /// The object with every declared field set, once per value of a sibling that some
    /// fields depend on (an output of each kind).
    fn every_field(o: &Object) -> Vec<Value> {
        let tag = o.fields.iter().find_map(|f| f.only.map(|(sibling, _)| sibling));
        let variants: Vec<Option<&str>> = match tag.and_then(|t| o.field(t)).map(|f| f.ty) {
            Some(Ty::Enum(values)) => values.iter().map(|v| Some(*v)).collect(),
            _ => vec![None],
        };
        variants
            .into_iter()
            .map(|variant| {
                let mut map = serde_json::Map::new();
                for f in o.fields {
                    let value = match (f.only, variant) {
                        (Some((_, values)), Some(v)) if !values.contains(&v) => continue,
                        _ if Some(f.name) == tag => json!(variant),
                        _ => sample(&f.ty).remove(0),
                    };
                    map.insert(f.name.into(), value);
                }
                Value::Object(map)
            })
            .collect()
    }

    /// Every field the tables declare is read without a problem; and since the reader
    /// asserts (in debug builds) that what it asks for is declared and that nothing
    /// declared goes unread, a field added to one side only fails here.
    #[test]
    fn the_reader_reads_every_declared_field() {
        let mut manifest = every_field(&MANIFEST).remove(0);
        let outputs: Vec<Value> = every_field(&OUTPUT);
        assert_eq!(outputs.len(), KINDS.len());
        manifest["outputs"] = Value::Array(outputs);
        let text = serde_json::to_string_pretty(&manifest).expect("json");
        let source = crate::diag::SourceText::new("every-field.yaml", text);
        let node = super::super::yaml::parse(&source).expect("JSON is YAML");
        let mut r = super::super::yaml::Reader::new(&source);
        let read = super::super::read::manifest(&mut r, &node).expect("read");
        let messages: Vec<&str> = r.diags.iter().map(|d| d.message.as_str()).collect();
        assert!(messages.is_empty(), "{messages:#?}\n{}", source.text);
        assert!(read.complete);
        assert_eq!(read.outputs.len(), KINDS.len());
        assert_eq!(read.articles[0].photos.len(), 1);
    }

    #[test]
    fn an_undeclared_key_is_unknown_with_the_closest_declared_one() {
        let source = crate::diag::SourceText::new(
            "m.yaml",
            "briefing: {title: 样例, issuer: 样例, number: 1, date: 2025-03-10, nmuber: 2}\narticles: []\noutputs: [{kind: issue, file: a.pdf, themes: [样例]}]\n",
        );
        let node = super::super::yaml::parse(&source).expect("yaml");
        let mut r = super::super::yaml::Reader::new(&source);
        super::super::read::manifest(&mut r, &node);
        let all: Vec<String> =
            r.diags.iter().map(|d| format!("{} / {}", d.message, d.hints.join(" "))).collect();
        assert!(
            all.iter().any(|m| m.contains("unknown field `nmuber`") && m.contains("`number`")),
            "{all:#?}"
        );
        // `themes` belongs to outputs of kind theme or select only.
        assert!(all.iter().any(|m| m.contains("unknown field `themes` in an output")), "{all:#?}");
    }
}
