//! YAML reading: text → a tree of nodes that remember where they came from.
//!
//! serde-saphyr parses the text (with its limits against hostile input: alias
//! expansion, nesting depth, event counts, duplicate keys) into [`Node`]s wrapped in
//! [`Spanned`], so every later check can point at the exact line and column. The typed
//! reading on top of it ([`Fields`]) collects every problem instead of stopping at the
//! first one, and suggests the closest known field for a misspelled one.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::fields::{Object, Required};
use crate::diag::{Diagnostic, SourceText};

/// A YAML value with its position.
pub type SNode = Spanned<Node>;

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i128),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<SNode>),
    /// A mapping, in document order.
    Map(Vec<(Spanned<String>, SNode)>),
}

impl Node {
    /// A short description of the node's type for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Null => "nothing (null)",
            Node::Bool(_) => "a boolean",
            Node::Int(_) => "a number",
            Node::Float(_) => "a number",
            Node::Str(_) => "a string",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Int(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        i128::try_from(v).map(Node::Int).map_err(|_| E::custom("integer too large"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<SNode>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyString>>()? {
            let value = map.next_value::<SNode>()?;
            let key = Spanned::new(key.value.0, key.referenced, key.defined);
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// A mapping key: any scalar, kept as text.
struct KeyString(String);

impl<'de> Deserialize<'de> for KeyString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Node::deserialize(d)? {
            Node::Str(s) => Ok(KeyString(s)),
            Node::Int(i) => Ok(KeyString(i.to_string())),
            Node::Bool(b) => Ok(KeyString(b.to_string())),
            Node::Float(f) => Ok(KeyString(f.to_string())),
            Node::Null => Ok(KeyString("null".into())),
            other => Err(de::Error::custom(format!(
                "a mapping key must be plain text, not {}",
                other.kind()
            ))),
        }
    }
}

/// Largest manifest we read (bytes). Real manifests are well under a megabyte; a
/// 10 000-article manifest is about 20 MB.
pub const MAX_MANIFEST_BYTES: usize = 64 * 1024 * 1024;

/// Parses YAML text into a node tree, or one diagnostic saying where and why not
/// (boxed: it is large, and the tree is what callers usually get).
pub fn parse(source: &SourceText) -> Result<SNode, Box<Diagnostic>> {
    let text: &str = &source.text;
    let mut options = serde_saphyr::options! {};
    options.with_snippet = false;
    if let Some(budget) = options.budget.as_mut() {
        budget.max_depth = 64;
    }
    let stripped = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - stripped.len();
    match serde_saphyr::from_str_with_options::<SNode>(stripped, options) {
        Ok(node) => Ok(node),
        Err(err) => {
            let generic = yaml_error(source, bom, &err);
            let line = err
                .location()
                .and_then(|loc| offset_of(source, bom, &loc))
                .map(|o| source.line_col(o).0);
            Err(Box::new(slip(source, line).unwrap_or(generic)))
        }
    }
}

/// Field names of the manifest, to recognise a key typed with a slip.
const KEYS: &[&str] = &[
    "briefing",
    "title",
    "issuer",
    "number",
    "total_number",
    "date",
    "classification",
    "editor_note",
    "report_to",
    "send_to",
    "issue_to",
    "copies",
    "style",
    "themes",
    "print",
    "bleed",
    "crop_marks",
    "red",
    "spot_name",
    "articles",
    "id",
    "subtitle",
    "byline",
    "outlet",
    "county",
    "body",
    "captions",
    "truncated",
    "source",
    "file",
    "lines",
    "note",
    "figures",
    "article",
    "label",
    "value",
    "unit",
    "quote",
    "compare",
    "chart",
    "outputs",
    "kind",
    "name",
    "counties",
    "groupings",
];

/// Byte offset of each line's start, with the line (without its newline).
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split('\n').map(move |line| {
        let start = offset;
        offset += line.len() + 1;
        (start, line)
    })
}

/// A field name followed by a full-width colon (`county：绛县`, as a Chinese input method
/// types it): the offset of the colon and the key.
fn fullwidth_colon(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start();
    let item = trimmed.strip_prefix("- ").unwrap_or(trimmed).trim_start();
    let colon = item.find('：')?;
    let key = item[..colon].trim_end();
    KEYS.contains(&key).then(|| (line.len() - item.len() + colon, key))
}

/// Keys written with a full-width colon. They may even parse (as part of the text above),
/// so they are looked for in every manifest.
pub fn fullwidth_colons(source: &SourceText) -> Vec<Diagnostic> {
    lines_with_offsets(&source.text)
        .filter_map(|(start, line)| {
            let (at, key) = fullwidth_colon(line)?;
            Some(
                Diagnostic::error(format!("`{key}` is followed by a full-width colon `：`"))
                    .at(source, start + at..start + at + '：'.len_utf8())
                    .hint(format!("write `{key}: ` with a half-width colon and a space; the input method typed `：`")),
            )
        })
        .collect()
}

/// The slip behind a YAML error, typical of typing Chinese: a full-width colon, a tab in
/// the indentation (on its own line, not the one before), or a key indented more than the
/// key above it. `line` is where the parser stopped.
fn slip(source: &SourceText, line: Option<usize>) -> Option<Diagnostic> {
    let text: &str = &source.text;
    if let Some(d) = fullwidth_colons(source).into_iter().next() {
        return Some(d);
    }
    for (start, l) in lines_with_offsets(text) {
        let indent = &l[..l.len() - l.trim_start().len()];
        if let Some(tab) = indent.find('\t') {
            let (n, _) = source.line_col(start);
            // Only the tab near where the parser stopped (it reports a tab a line early);
            // a tab elsewhere may be a block's content.
            if line.is_some_and(|l| n + 1 < l || n > l + 1) {
                continue;
            }
            return Some(
                Diagnostic::error(format!("line {n} is indented with a tab"))
                    .at(source, start + tab..start + tab + 1)
                    .hint(
                        "YAML indentation must use spaces, not tabs; replace the tab with spaces",
                    ),
            );
        }
    }
    // A key indented more than the key above it.
    let line = line?;
    let lines: Vec<(usize, &str)> = lines_with_offsets(text).collect();
    let (start, l) = *lines.get(line.checked_sub(1)?)?;
    let indent = |s: &str| s.len() - s.trim_start().len();
    let key = l.trim_start().split(':').next()?.trim();
    if !KEYS.contains(&key) || !l.contains(':') {
        return None;
    }
    let (_, above) = lines[..line - 1].iter().rev().find(|(_, p)| !p.trim().is_empty())?;
    let above_key = above.trim_start().trim_start_matches("- ");
    let above_indent = indent(above) + (above.trim_start().len() - above_key.len());
    if indent(l) > above_indent && above_key.split(':').nth(1).is_some_and(|v| !v.trim().is_empty())
    {
        return Some(
            Diagnostic::error(format!(
                "`{key}` is indented more than the key on the line above it"
            ))
            .at(source, start + indent(l)..start + indent(l) + key.len())
            .hint(format!(
                "keys of one mapping start in the same column: move `{key}` left to column {}",
                above_indent + 1
            )),
        );
    }
    None
}

fn yaml_error(source: &SourceText, bom: usize, err: &serde_saphyr::Error) -> Diagnostic {
    let formatter = serde_saphyr::UserMessageFormatter;
    let message = serde_saphyr::MessageFormatter::format_message(&formatter, err.without_snippet());
    let message = message.trim().trim_end_matches('.').to_string();
    let mut diag = Diagnostic::error(format!("invalid YAML: {}", lowercase_first(&message)));
    match err.location().and_then(|loc| offset_of(source, bom, &loc)) {
        Some(offset) => diag = diag.at(source, offset..offset + 1),
        None => diag = diag.in_file(source),
    }
    let lower = message.to_lowercase();
    if lower.contains("tab") {
        diag = diag.hint("YAML indentation must use spaces, not tabs");
    } else if lower.contains("duplicate") {
        diag =
            diag.hint("each key may appear only once in a mapping; remove or rename one of them");
    } else if ["budget", "alias", "depth", "limit", "recursion", "too large"]
        .iter()
        .any(|w| lower.contains(w))
    {
        diag = diag.hint(
            "the manifest is refused because it expands too much or nests too deeply; \
             write the data out instead of using anchors and aliases",
        );
    } else {
        diag = diag.hint(
            "check quotes, colons and indentation around this place; \
             text containing `: ` or starting with a special character must be quoted",
        );
    }
    diag
}

/// Lowercases the first letter of a sentence, but not of an acronym such as "YAML".
fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.clone().next()) {
        (Some(c), Some(next)) if c.is_ascii_uppercase() && !next.is_ascii_uppercase() => {
            c.to_ascii_lowercase().to_string() + chars.as_str()
        }
        _ => s.to_string(),
    }
}

/// The byte offset of a location in the source text, trusting the byte offset when
/// serde-saphyr gives one and the line/column otherwise.
pub fn offset_of(source: &SourceText, bom: usize, loc: &serde_saphyr::Location) -> Option<usize> {
    if let Some(b) = loc.span().byte_offset() {
        return Some(bom + usize::try_from(b).ok()?);
    }
    let line = usize::try_from(loc.line()).ok()?;
    let col = usize::try_from(loc.column()).ok()?;
    if line == 0 {
        return None;
    }
    let text = &source.text[bom..];
    let line_start =
        if line == 1 { 0 } else { text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)? };
    let rest = &text[line_start..];
    let in_line = rest.char_indices().nth(col.saturating_sub(1)).map_or(rest.len(), |(i, _)| i);
    Some(bom + line_start + in_line)
}

/// Turns spanned nodes into typed values while collecting diagnostics.
pub struct Reader<'s> {
    source: &'s SourceText,
    bom: usize,
    /// Everything found so far.
    pub diags: Vec<Diagnostic>,
}

impl<'s> Reader<'s> {
    /// A reader over a parsed source.
    pub fn new(source: &'s SourceText) -> Self {
        let bom = if source.text.starts_with('\u{feff}') { 3 } else { 0 };
        Self { source, bom, diags: Vec::new() }
    }

    /// The source being read.
    pub fn source(&self) -> &'s SourceText {
        self.source
    }

    /// Byte range of a node (one character wide: the start of the value).
    pub fn span_of<T>(&self, node: &Spanned<T>) -> std::ops::Range<usize> {
        let start = offset_of(self.source, self.bom, &node.referenced).unwrap_or(0);
        let len = node.referenced.span().byte_len().and_then(|l| usize::try_from(l).ok());
        start..start + len.unwrap_or(1).max(1)
    }

    /// Records an error at a node.
    pub fn error_at<T>(&mut self, node: &Spanned<T>, message: impl Into<String>, hint: &str) {
        let span = self.span_of(node);
        let mut d = Diagnostic::error(message).at(self.source, span);
        if !hint.is_empty() {
            d = d.hint(hint);
        }
        self.diags.push(d);
    }

    /// Opens a mapping node for field-by-field reading against its declared fields;
    /// records an error when the node is not a mapping.
    pub fn fields<'n>(&mut self, node: &'n SNode, object: &'static Object) -> Option<Fields<'n>> {
        match &node.value {
            Node::Map(entries) => {
                Some(Fields { node, entries, used: Vec::new(), missing: Vec::new(), object })
            }
            other => {
                let what = object.what;
                self.error_at(
                    node,
                    format!("{what} must be a mapping of `key: value` lines, not {}", other.kind()),
                    "",
                );
                None
            }
        }
    }
}

/// The fields of one mapping, read one by one against the object's declared fields
/// ([`super::fields`]); keys it does not declare, or allows only beside another value,
/// are reported as unknown by [`Fields::finish`].
pub struct Fields<'n> {
    node: &'n SNode,
    entries: &'n [(Spanned<String>, SNode)],
    used: Vec<&'static str>,
    missing: Vec<&'static str>,
    object: &'static Object,
}

impl<'n> Fields<'n> {
    /// The mapping node itself.
    pub fn node(&self) -> &'n SNode {
        self.node
    }

    /// The value of a key, if present (marks the key as read).
    pub fn get(&mut self, key: &'static str) -> Option<&'n SNode> {
        debug_assert!(
            self.object.field(key).is_some(),
            "the reader asks for `{key}`, which {} does not declare in manifest/fields.rs",
            self.object.what
        );
        self.used.push(key);
        self.value(key)
    }

    fn value(&self, key: &str) -> Option<&'n SNode> {
        self.entries.iter().find(|(k, _)| k.value == key).map(|(_, v)| v)
    }

    /// A required field: "missing field" is reported by [`Fields::finish`] when absent.
    pub fn required(&mut self, _r: &mut Reader, key: &'static str) -> Option<&'n SNode> {
        debug_assert!(
            self.object.field(key).is_some_and(|f| f.required != Required::No),
            "the reader requires `{key}`, which {} declares optional in manifest/fields.rs",
            self.object.what
        );
        let value = self.get(key);
        if value.is_none() {
            self.missing.push(key);
        }
        value
    }

    /// The declared fields this mapping allows: all but those allowed only beside a
    /// sibling value it does not have (`themes` of an output of kind `issue`).
    pub fn allowed(&self) -> Vec<&'static str> {
        self.object
            .fields
            .iter()
            .filter(|f| match f.only {
                None => true,
                Some((sibling, values)) => self.value(sibling).is_some_and(
                    |n| matches!(&n.value, Node::Str(s) if values.contains(&s.as_str())),
                ),
            })
            .map(|f| f.name)
            .collect()
    }

    /// Reports missing required fields, and every key the object does not allow with the
    /// closest allowed key. A misspelled required field is reported once, as unknown.
    pub fn finish(self, r: &mut Reader) {
        let allowed = self.allowed();
        let unknown: Vec<&str> = self
            .entries
            .iter()
            .map(|(k, _)| k.value.as_str())
            .filter(|k| !allowed.contains(k))
            .collect();
        if cfg!(debug_assertions) {
            let unread: Vec<&str> = self
                .entries
                .iter()
                .map(|(k, _)| k.value.as_str())
                .filter(|k| allowed.contains(k) && !self.used.contains(k))
                .collect();
            assert!(
                unread.is_empty(),
                "{} declares {unread:?} in manifest/fields.rs, but the reader never reads them",
                self.object.what
            );
        }
        let what = self.object.what;
        for key in &self.missing {
            if unknown.iter().any(|u| closest(u, &allowed) == Some(*key)) {
                continue;
            }
            r.error_at(
                self.node,
                format!("{what} is missing the required field `{key}`"),
                &format!("add a `{key}:` line here"),
            );
        }
        for (key, _) in self.entries {
            if allowed.contains(&key.value.as_str()) {
                continue;
            }
            let mut hint = match closest(&key.value, &allowed) {
                Some(best) => format!("did you mean `{best}`?"),
                None => String::new(),
            };
            if !hint.is_empty() {
                hint.push(' ');
            }
            hint.push_str(&format!("known fields of {what}: {}", allowed.join(", ")));
            r.error_at(key, format!("unknown field `{}` in {what}", key.value), &hint);
        }
    }
}

/// The known name closest to `name`, when it is close enough to be a likely typo.
pub fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(name, k), *k))
        .filter(|(d, k)| *d <= (k.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Values `jianbao ingest` leaves for a person to fill in; none may reach print.
pub const PLACEHOLDERS: [&str; 4] = ["待填写", "待确认", "待补充", "TODO"];

/// Typed readers for scalar and list values.
impl<'s> Reader<'s> {
    /// The text a plain scalar was written as: `y` rather than `true`, `1.50` rather
    /// than `1.5`. `None` when the node's span does not hold one plain token.
    pub fn written<T>(&self, node: &Spanned<T>) -> Option<&'s str> {
        let span = self.span_of(node);
        let text = &self.source.text;
        // The span must hold the whole token, not its first character only.
        let after = text.get(span.end..)?.chars().next();
        if after.is_some_and(|c| !(c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#' | ':'))) {
            return None;
        }
        let raw = text.get(span)?.trim();
        let plain = !raw.is_empty()
            && !raw.contains(['\n', '"', '\'', '#', ',', '[', ']', '{', '}'])
            && !raw.ends_with(':');
        plain.then_some(raw)
    }

    /// A string; numbers and booleans are accepted as the text they were written as,
    /// because anything that names something (ids, counties, themes, labels, units,
    /// file names) is text whatever it looks like: YAML 1.1 reads `y`, `no` or `on` as
    /// booleans and `1.50` as the number 1.5, but a theme `y` is the theme `y`.
    pub fn string(&mut self, node: &SNode, field: &str) -> Option<String> {
        match &node.value {
            Node::Str(s) => Some(s.clone()),
            Node::Int(_) | Node::Float(_) | Node::Bool(_) if self.written(node).is_some() => {
                self.written(node).map(str::to_string)
            }
            Node::Int(i) => Some(i.to_string()),
            Node::Float(f) => Some(f.to_string()),
            Node::Bool(b) => Some(b.to_string()),
            other => {
                self.error_at(
                    node,
                    format!("`{field}` must be text, not {}", other.kind()),
                    "write the value on the same line after the colon, quoted if it contains `: `",
                );
                None
            }
        }
    }

    /// A non-empty string.
    pub fn text(&mut self, node: &SNode, field: &str) -> Option<String> {
        let s = self.string(node, field)?;
        if s.trim().is_empty() {
            self.error_at(node, format!("`{field}` is empty"), "");
            return None;
        }
        if let Some(p) = PLACEHOLDERS.iter().find(|p| s.trim() == **p) {
            self.error_at(
                node,
                format!("`{field}` still holds the draft's placeholder `{p}`"),
                &format!(
                    "replace `{p}` with the real {field}; `jianbao ingest` writes it where it could not tell"
                ),
            );
        }
        Some(s)
    }

    /// A positive integer.
    pub fn positive(&mut self, node: &SNode, field: &str) -> Option<u32> {
        let n = match &node.value {
            Node::Int(i) => u32::try_from(*i).ok().filter(|n| *n > 0),
            Node::Str(s) => s.trim().parse::<u32>().ok().filter(|n| *n > 0),
            _ => None,
        };
        if n.is_none() {
            self.error_at(
                node,
                format!("`{field}` must be a positive whole number, not {}", describe(&node.value)),
                "write it in digits, e.g. `3`",
            );
        }
        n
    }

    /// A boolean.
    pub fn boolean(&mut self, node: &SNode, field: &str) -> Option<bool> {
        match &node.value {
            Node::Bool(b) => Some(*b),
            other => {
                self.error_at(
                    node,
                    format!("`{field}` must be true or false, not {}", other.kind()),
                    "",
                );
                None
            }
        }
    }

    /// A list of nodes (a single scalar is not accepted).
    pub fn list<'n>(&mut self, node: &'n SNode, field: &str) -> Option<&'n [SNode]> {
        match &node.value {
            Node::Seq(items) => Some(items),
            Node::Null => Some(&[]),
            other => {
                self.error_at(
                    node,
                    format!("`{field}` must be a list, not {}", other.kind()),
                    "write one `- item` per line under it, or `[a, b]`",
                );
                None
            }
        }
    }

    /// A list of strings.
    pub fn string_list(&mut self, node: &SNode, field: &str) -> Vec<String> {
        let Some(items) = self.list(node, field) else { return Vec::new() };
        items.iter().filter_map(|item| self.text(item, field)).collect()
    }
}

fn describe(node: &Node) -> String {
    match node {
        Node::Str(s) => format!("\"{s}\""),
        Node::Int(i) => i.to_string(),
        other => other.kind().to_string(),
    }
}
