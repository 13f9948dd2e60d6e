//! Scanning a resource dictionary: fonts (and whether each is embedded), colour spaces
//! (with spot colorants and RGB uses), shadings and transparency groups.

use lopdf::{Dictionary, Object};

use super::Analyzer;
use crate::preflight::colour::Cs;
use crate::preflight::metadata::name_to_string;
use crate::preflight::report::FontReport;

impl<'a> Analyzer<'a> {
    /// Notes the fonts, colour spaces, patterns and shadings in a resource dictionary.
    pub(super) fn scan_resources(&mut self, res: &'a Dictionary, depth: usize) {
        if !self.scanned.insert(std::ptr::from_ref(res) as usize) {
            return;
        }
        if let Some(spaces) = self.dict_dict(res, b"ColorSpace") {
            for value in spaces.as_hashmap().values() {
                let cs = self.parse_cs(value, None, false, 0);
                self.note_cs(&cs, "colour space in the resources");
            }
        }
        if let Some(fonts) = self.dict_dict(res, b"Font") {
            for (key, value) in fonts.iter() {
                self.note_font(value, key);
            }
        }
        if let Some(shadings) = self.dict_dict(res, b"Shading") {
            for (key, value) in shadings.iter() {
                let where_ = format!("shading /{}", name_to_string(key));
                self.note_shading(self.deref(value), &where_);
            }
        }
        if let Some(patterns) = self.dict_dict(res, b"Pattern") {
            for (key, value) in patterns.iter() {
                let id = value.as_reference().ok();
                match self.deref(value) {
                    // Tiling pattern: its cell is content of its own.
                    Object::Stream(stream) => self.run_form(id, stream, Some(res), None, depth),
                    Object::Dictionary(pattern) => {
                        if let Some(shading) = self.dict_get(pattern, b"Shading") {
                            let where_ = format!("shading pattern /{}", name_to_string(key));
                            self.note_shading(shading, &where_);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    pub(super) fn note_shading(&mut self, shading: &'a Object, where_: &str) {
        let dict = match shading {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => return,
        };
        if let Ok(space) = dict.get(b"ColorSpace") {
            let cs = self.parse_cs(space, None, false, 0);
            self.note_cs(&cs, where_);
        }
    }

    pub(super) fn note_group(&mut self, group: &'a Dictionary, where_: &str) {
        if let Ok(space) = group.get(b"CS") {
            let cs = self.parse_cs(space, None, false, 0);
            self.note_cs(&cs, where_);
        }
    }

    /// Records a colour space: its label, spot colorants, and where RGB appears.
    pub(super) fn note_cs(&mut self, cs: &Cs, where_: &str) {
        self.colour_spaces.insert(cs.label());
        match cs {
            Cs::Separation(name) if !matches!(name.as_str(), "All" | "None") => {
                self.spot_colours.insert(name.clone());
            }
            Cs::DeviceN(names) => {
                for name in names {
                    if !matches!(name.as_str(), "Cyan" | "Magenta" | "Yellow" | "Black" | "None") {
                        self.spot_colours.insert(name.clone());
                    }
                }
            }
            _ => {}
        }
        if cs.is_rgb() {
            let key = format!("{}: {where_}", cs.label());
            self.rgb_uses.entry(key).or_default().insert(self.page);
        }
    }

    /// Resolves a colour space operand or resource value. `res` resolves names from a
    /// `/ColorSpace` resource dictionary; `inline` allows the inline-image abbreviations.
    pub(super) fn parse_cs(
        &self,
        obj: &Object,
        res: Option<&'a Dictionary>,
        inline: bool,
        depth: usize,
    ) -> Cs {
        if depth > 8 {
            return Cs::Unknown("nested too deeply".into());
        }
        match self.deref(obj) {
            Object::Name(name) => match (name.as_slice(), inline) {
                (b"DeviceGray", _) | (b"G", true) => Cs::Gray,
                (b"DeviceRGB", _) | (b"RGB", true) => Cs::Rgb,
                (b"DeviceCMYK", _) | (b"CMYK", true) => Cs::Cmyk,
                (b"Pattern", _) => Cs::Pattern(None),
                _ => {
                    let found = res
                        .and_then(|r| self.dict_dict(r, b"ColorSpace"))
                        .and_then(|spaces| spaces.get(name).ok());
                    match found {
                        Some(value) => self.parse_cs(value, None, false, depth + 1),
                        None => Cs::Unknown(name_to_string(name)),
                    }
                }
            },
            Object::Array(items) => {
                let family = items.first().map(|o| self.deref(o));
                let second = items.get(1);
                match family.and_then(|f| f.as_name().ok()) {
                    Some(b"ICCBased") => {
                        let n = second
                            .map(|o| self.deref(o))
                            .and_then(|o| o.as_stream().ok())
                            .and_then(|s| s.dict.get(b"N").ok())
                            .map(|o| self.deref(o))
                            .and_then(|o| o.as_i64().ok())
                            .unwrap_or(0);
                        Cs::Icc(n)
                    }
                    Some(b"Indexed" | b"I") => {
                        let base = second.map_or(Cs::Unknown("no base".into()), |b| {
                            self.parse_cs(b, res, inline, depth + 1)
                        });
                        Cs::Indexed(Box::new(base))
                    }
                    Some(b"Pattern") => Cs::Pattern(
                        second.map(|b| Box::new(self.parse_cs(b, res, inline, depth + 1))),
                    ),
                    Some(b"Separation") => match second.map(|o| self.deref(o)) {
                        Some(Object::Name(n)) => Cs::Separation(name_to_string(n)),
                        _ => Cs::Unknown("Separation without a name".into()),
                    },
                    Some(b"DeviceN") => match second.map(|o| self.deref(o)) {
                        Some(Object::Array(names)) => Cs::DeviceN(
                            names
                                .iter()
                                .filter_map(|n| self.deref(n).as_name().ok())
                                .map(name_to_string)
                                .collect(),
                        ),
                        _ => Cs::Unknown("DeviceN without colorants".into()),
                    },
                    Some(b"CalGray") => Cs::CalGray,
                    Some(b"CalRGB") => Cs::CalRgb,
                    Some(b"Lab") => Cs::Lab,
                    Some(_) if items.len() == 1 => self.parse_cs(&items[0], res, inline, depth + 1),
                    Some(other) => Cs::Unknown(name_to_string(other)),
                    None => Cs::Unknown("empty array".into()),
                }
            }
            _ => Cs::Unknown("not a name or array".into()),
        }
    }

    /// Records a font from a resource dictionary (once per object).
    pub(super) fn note_font(&mut self, value: &'a Object, key: &[u8]) {
        if let Ok(id) = value.as_reference()
            && !self.font_ids.insert(id)
        {
            return;
        }
        let Some(font) = (match self.deref(value) {
            Object::Dictionary(d) => Some(d),
            _ => None,
        }) else {
            self.problem(format!("font /{} is not a dictionary", name_to_string(key)));
            return;
        };
        let name_of = |k: &[u8]| match self.dict_get(font, k) {
            Some(Object::Name(n)) => Some(name_to_string(n)),
            _ => None,
        };
        let name = name_of(b"BaseFont")
            .or_else(|| name_of(b"Name"))
            .unwrap_or_else(|| format!("/{}", name_to_string(key)));
        let subtype = name_of(b"Subtype").unwrap_or_else(|| "?".into());
        let (subtype, embedded) = match subtype.as_str() {
            "Type3" => (subtype, true),
            "Type0" => {
                let descendant = match self.dict_get(font, b"DescendantFonts") {
                    Some(Object::Array(items)) => items.first().map(|o| self.deref(o)),
                    _ => None,
                };
                match descendant {
                    Some(Object::Dictionary(cid)) => {
                        let sub = match self.dict_get(cid, b"Subtype") {
                            Some(Object::Name(n)) => name_to_string(n),
                            _ => "?".into(),
                        };
                        (format!("Type0/{sub}"), self.font_embedded(cid))
                    }
                    _ => ("Type0/?".into(), false),
                }
            }
            _ => {
                let embedded = self.font_embedded(font);
                (subtype, embedded)
            }
        };
        if value.as_reference().is_err()
            && !self.direct_fonts.insert((name.clone(), subtype.clone()))
        {
            return;
        }
        self.fonts.push(FontReport { name, subtype, embedded });
    }

    pub(super) fn font_embedded(&self, font: &'a Dictionary) -> bool {
        let Some(descriptor) = self.dict_dict(font, b"FontDescriptor") else {
            return false;
        };
        [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
            .iter()
            .any(|k| matches!(self.dict_get(descriptor, k), Some(Object::Stream(_))))
    }
}
