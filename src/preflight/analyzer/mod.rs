//! Reading a PDF's pages: the `Analyzer` state that collects fonts, colour spaces, text
//! colours and images, the page walk with its inherited attributes and boxes, and decoding
//! (and caching) content streams. Resources are scanned in `resources`, content operators
//! interpreted in `interp`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::colour::{GState, IDENTITY};
use super::geometry::{paper_name, round_box, round_to};
use super::report::{FontReport, ImageReport, OperatorCounts, PageReport};
use super::{MAX_OPERATIONS, MAX_STREAM_BYTES, MAX_TREE_DEPTH};

mod interp;
mod resources;

/// Collects fonts, colours and images while interpreting the pages' content.
pub(super) struct Analyzer<'a> {
    pub(super) doc: &'a Document,
    /// Parsed content of Form XObjects and tiling patterns, by object id.
    pub(super) content_cache: HashMap<ObjectId, Rc<Vec<Operation>>>,
    pub(super) fonts: Vec<FontReport>,
    pub(super) font_ids: HashSet<ObjectId>,
    pub(super) direct_fonts: HashSet<(String, String)>,
    pub(super) colour_spaces: BTreeSet<String>,
    pub(super) spot_colours: BTreeSet<String>,
    /// RGB findings ("ICCBased(3): resource /c1") → pages.
    pub(super) rgb_uses: BTreeMap<String, BTreeSet<usize>>,
    /// Unacceptable text colours: reason → colour ("ICCBased(1) 0") → pages.
    pub(super) text_problems: BTreeMap<&'static str, BTreeMap<String, BTreeSet<usize>>>,
    /// Deliberately coloured text (spot or process colour) → pages.
    pub(super) coloured_text: BTreeMap<String, BTreeSet<usize>>,
    pub(super) images: Vec<ImageReport>,
    /// Parts of the file that could not be read → pages.
    pub(super) problems: BTreeMap<String, BTreeSet<usize>>,
    /// Resource dictionaries already scanned on the current page (by address).
    pub(super) scanned: HashSet<usize>,
    /// Forms being interpreted, to stop on a form that paints itself.
    pub(super) active_forms: Vec<ObjectId>,
    pub(super) budget: usize,
    /// The current page (1-based), its text colours, operator counts and user unit.
    pub(super) page: usize,
    pub(super) page_text: Vec<String>,
    pub(super) ops: OperatorCounts,
    pub(super) user_unit: f64,
}

impl<'a> Analyzer<'a> {
    pub(super) fn new(doc: &'a Document) -> Self {
        Analyzer {
            doc,
            content_cache: HashMap::new(),
            fonts: Vec::new(),
            font_ids: HashSet::new(),
            direct_fonts: HashSet::new(),
            colour_spaces: BTreeSet::new(),
            spot_colours: BTreeSet::new(),
            rgb_uses: BTreeMap::new(),
            text_problems: BTreeMap::new(),
            coloured_text: BTreeMap::new(),
            images: Vec::new(),
            problems: BTreeMap::new(),
            scanned: HashSet::new(),
            active_forms: Vec::new(),
            budget: MAX_OPERATIONS,
            page: 0,
            page_text: Vec::new(),
            ops: OperatorCounts::default(),
            user_unit: 1.0,
        }
    }

    pub(super) fn deref<'o>(&self, obj: &'o Object) -> &'o Object
    where
        'a: 'o,
    {
        static NULL: Object = Object::Null;
        self.doc.dereference(obj).map(|(_, o)| o).unwrap_or(&NULL)
    }

    pub(super) fn dict_get<'o>(&self, dict: &'o Dictionary, key: &[u8]) -> Option<&'o Object>
    where
        'a: 'o,
    {
        dict.get(key).ok().map(|o| self.deref(o)).filter(|o| !matches!(o, Object::Null))
    }

    pub(super) fn dict_dict<'o>(&self, dict: &'o Dictionary, key: &[u8]) -> Option<&'o Dictionary>
    where
        'a: 'o,
    {
        match self.dict_get(dict, key)? {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    pub(super) fn problem(&mut self, what: impl Into<String>) {
        self.problems.entry(what.into()).or_default().insert(self.page);
    }

    /// A page attribute, looked up through `/Parent` when it is inheritable.
    pub(super) fn inherited(&self, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        let mut node = page;
        for _ in 0..MAX_TREE_DEPTH {
            if let Some(value) = self.dict_get(node, key) {
                return Some(value);
            }
            node = match self.dict_get(node, b"Parent") {
                Some(Object::Dictionary(parent)) => parent,
                _ => return None,
            };
        }
        None
    }

    pub(super) fn walk_pages(&mut self) -> Vec<PageReport> {
        let doc = self.doc;
        let mut pages = Vec::new();
        for (index, page_id) in doc.page_iter().enumerate() {
            self.page = index + 1;
            self.page_text.clear();
            self.scanned.clear();
            self.ops = OperatorCounts::default();
            let Ok(page) = doc.get_dictionary(page_id) else {
                self.problem(format!(
                    "page object {} {} is not a dictionary",
                    page_id.0, page_id.1
                ));
                continue;
            };
            pages.push(self.walk_page(page));
        }
        pages
    }

    pub(super) fn walk_page(&mut self, page: &'a Dictionary) -> PageReport {
        let get_rect = |obj: Option<&'a Object>| obj.and_then(|o| rect(self, o));
        let media_box = get_rect(self.inherited(page, b"MediaBox"));
        let crop_box = get_rect(self.inherited(page, b"CropBox"));
        let trim_box = get_rect(self.dict_get(page, b"TrimBox"));
        let bleed_box = get_rect(self.dict_get(page, b"BleedBox"));
        let media_box = media_box.unwrap_or_else(|| {
            self.problem("page has no valid MediaBox (US Letter assumed)");
            [0.0, 0.0, 612.0, 792.0]
        });
        self.user_unit = self
            .dict_get(page, b"UserUnit")
            .and_then(number)
            .filter(|u| u.is_finite() && *u > 0.0)
            .unwrap_or(1.0);
        let shown = trim_box.or(crop_box).unwrap_or(media_box);
        let to_mm = |pt: f64| round_to(pt * self.user_unit / 72.0 * 25.4, 1);
        let size_mm = [to_mm(shown[2] - shown[0]), to_mm(shown[3] - shown[1])];

        if let Some(group) = self.dict_dict(page, b"Group") {
            self.note_group(group, "page transparency group");
        }
        let resources = match self.inherited(page, b"Resources") {
            Some(Object::Dictionary(d)) => Some(d),
            _ => None,
        };
        if let Some(res) = resources {
            self.scan_resources(res, 0);
        }
        let ops = self.page_operations(page);
        self.run(&ops, resources, GState::new(IDENTITY), 0);

        PageReport {
            number: self.page,
            media_box: round_box(media_box),
            trim_box: trim_box.map(round_box),
            bleed_box: bleed_box.map(round_box),
            crop_box: crop_box.map(round_box),
            size_mm,
            paper: paper_name(size_mm[0], size_mm[1]),
            text_fill_colours: std::mem::take(&mut self.page_text),
            operators: std::mem::take(&mut self.ops),
        }
    }

    /// The page's content streams, decompressed, joined and parsed.
    pub(super) fn page_operations(&mut self, page: &'a Dictionary) -> Vec<Operation> {
        let streams: Vec<&'a Object> = match page.get(b"Contents").ok().map(|o| self.deref(o)) {
            None | Some(Object::Null) => return Vec::new(),
            Some(Object::Array(items)) => items.iter().map(|o| self.deref(o)).collect(),
            Some(other) => vec![other],
        };
        let mut data = Vec::new();
        for obj in streams {
            let Object::Stream(stream) = obj else {
                self.problem("a /Contents entry is not a stream");
                continue;
            };
            match stream.get_plain_content_with_limit(MAX_STREAM_BYTES) {
                Ok(bytes) => data.extend_from_slice(&bytes),
                Err(e) => self.problem(format!("content stream cannot be decompressed: {e}")),
            }
            data.push(b'\n');
        }
        self.decode(&data, "content stream")
    }

    /// Parses content operators, keeping those before the first syntax error. lopdf's
    /// lenient parser stops quietly at bad data, so a strict parse tells whether it did.
    pub(super) fn decode(&mut self, data: &[u8], what: &str) -> Vec<Operation> {
        let mut ops = Vec::new();
        let mut failed = false;
        for op in Content::decode_iter(data) {
            match op {
                Ok(op) => ops.push(op),
                Err(_) => {
                    failed = true;
                    break;
                }
            }
        }
        if failed || Content::decode_strict(data).is_err() {
            self.problem(format!(
                "{what} has data that cannot be parsed; what follows is unchecked"
            ));
        }
        ops
    }

    /// The parsed content of a form or tiling pattern, cached by object id.
    pub(super) fn stream_operations(
        &mut self,
        id: Option<ObjectId>,
        stream: &Stream,
    ) -> Rc<Vec<Operation>> {
        if let Some(cached) = id.and_then(|id| self.content_cache.get(&id)) {
            return Rc::clone(cached);
        }
        let ops = match stream.get_plain_content_with_limit(MAX_STREAM_BYTES) {
            Ok(bytes) => self.decode(&bytes, "form content"),
            Err(e) => {
                self.problem(format!("form content cannot be decompressed: {e}"));
                Vec::new()
            }
        };
        let ops = Rc::new(ops);
        if let Some(id) = id {
            self.content_cache.insert(id, Rc::clone(&ops));
        }
        ops
    }
}

pub(super) fn number(obj: &Object) -> Option<f64> {
    match obj {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

pub(super) fn matrix(operands: &[Object]) -> Option<[f64; 6]> {
    if operands.len() != 6 {
        return None;
    }
    let mut m = [0.0; 6];
    for (slot, obj) in m.iter_mut().zip(operands) {
        *slot = number(obj).filter(|v| v.is_finite())?;
    }
    Some(m)
}

/// A rectangle array, normalised so that the lower-left corner comes first.
pub(super) fn rect(analyzer: &Analyzer<'_>, obj: &Object) -> Option<[f64; 4]> {
    let Object::Array(items) = obj else { return None };
    if items.len() != 4 {
        return None;
    }
    let mut v = [0.0; 4];
    for (slot, item) in v.iter_mut().zip(items) {
        *slot = number(analyzer.doc.dereference(item).ok()?.1).filter(|x| x.is_finite())?;
    }
    Some([v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
}
