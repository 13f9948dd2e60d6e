//! The content-stream interpreter: the graphics state through `q`/`Q` and `cm`, colour
//! operators, text shown and its colour, XObjects (images and nested forms) and inline
//! images with their effective resolution.

use lopdf::content::Operation;
use lopdf::{Dictionary, Object, ObjectId, Stream};

use super::{Analyzer, matrix, number};
use crate::preflight::colour::{Cs, GState, IDENTITY, Paint, TextVerdict, mul};
use crate::preflight::geometry::round_to;
use crate::preflight::metadata::{jpeg_has_metadata, name_to_string};
use crate::preflight::report::ImageReport;
use crate::preflight::{MAX_FORM_DEPTH, MAX_SAVE_DEPTH};

impl<'a> Analyzer<'a> {
    /// Interprets content operators with `res` as resources, starting from `gs`.
    pub(super) fn run(
        &mut self,
        ops: &[Operation],
        res: Option<&'a Dictionary>,
        mut gs: GState,
        depth: usize,
    ) {
        let mut saved: Vec<GState> = Vec::new();
        for op in ops {
            if self.budget == 0 {
                self.problem("content too large: analysis stopped early");
                return;
            }
            self.budget -= 1;
            let operands = &op.operands;
            match op.operator.as_str() {
                // A `q` beyond the limit is ignored, like any unknown operator.
                "q" if saved.len() < MAX_SAVE_DEPTH => saved.push(gs.clone()),
                "Q" => {
                    if let Some(previous) = saved.pop() {
                        gs = previous;
                    }
                }
                "cm" => {
                    if let Some(m) = matrix(operands) {
                        gs.ctm = mul(&m, &gs.ctm);
                    }
                }
                "g" | "G" | "rg" | "RG" | "k" | "K" => self.device_colour(op, &mut gs),
                "cs" | "CS" => {
                    let stroke = op.operator == "CS";
                    if stroke {
                        self.ops.CS += 1;
                    } else {
                        self.ops.cs += 1;
                    }
                    let Some(operand) = operands.first() else { continue };
                    let cs = self.parse_cs(operand, res, false, 0);
                    // Names from the resources were noted when the resources were scanned.
                    if let Object::Name(n) = operand
                        && matches!(n.as_slice(), b"DeviceGray" | b"DeviceRGB" | b"DeviceCMYK")
                    {
                        self.note_cs(&cs, &format!("{} operator", op.operator));
                    }
                    let paint = Paint::new(cs);
                    if stroke {
                        gs.stroke = paint;
                    } else {
                        gs.fill = paint;
                    }
                }
                "sc" | "scn" | "SC" | "SCN" => {
                    let stroke = op.operator.starts_with('S');
                    let paint = if stroke {
                        self.ops.SC += 1;
                        &mut gs.stroke
                    } else {
                        self.ops.sc += 1;
                        &mut gs.fill
                    };
                    paint.comps = operands.iter().filter_map(number).collect();
                    paint.pattern =
                        operands.last().and_then(|o| o.as_name().ok()).map(name_to_string);
                }
                "Tr" => {
                    if let Some(mode) = operands.first().and_then(|o| o.as_i64().ok()) {
                        gs.render_mode = mode;
                    }
                }
                "Tj" | "TJ" | "'" | "\"" => {
                    self.ops.text += 1;
                    self.show_text(&gs);
                }
                "Do" => {
                    self.ops.Do += 1;
                    if let Some(name) = operands.first().and_then(|o| o.as_name().ok()) {
                        self.paint_xobject(name, res, &gs, depth);
                    }
                }
                "sh" => {
                    self.ops.sh += 1;
                    // Shadings in the resources were noted when the resources were scanned.
                }
                "BI" => {
                    self.ops.BI += 1;
                    if let Some(Object::Stream(image)) = operands.first() {
                        self.image(&image.dict, res, &gs, true, false);
                    }
                }
                _ => {}
            }
        }
    }

    pub(super) fn device_colour(&mut self, op: &Operation, gs: &mut GState) {
        let (cs, stroke) = match op.operator.as_str() {
            "g" => (Cs::Gray, false),
            "G" => (Cs::Gray, true),
            "rg" => (Cs::Rgb, false),
            "RG" => (Cs::Rgb, true),
            "k" => (Cs::Cmyk, false),
            _ => (Cs::Cmyk, true),
        };
        let counter = match op.operator.as_str() {
            "g" => &mut self.ops.g,
            "G" => &mut self.ops.G,
            "rg" => &mut self.ops.rg,
            "RG" => &mut self.ops.RG,
            "k" => &mut self.ops.k,
            _ => &mut self.ops.K,
        };
        *counter += 1;
        self.note_cs(&cs, &format!("{} operator", op.operator));
        let paint =
            Paint { cs, comps: op.operands.iter().filter_map(number).collect(), pattern: None };
        if stroke {
            gs.stroke = paint;
        } else {
            gs.fill = paint;
        }
    }

    /// Records the colours text is painted with under the current render mode.
    pub(super) fn show_text(&mut self, gs: &GState) {
        let mode = gs.render_mode;
        let fills = !matches!(mode, 1 | 3 | 5 | 7);
        let strokes = matches!(mode, 1 | 2 | 5 | 6);
        let mut used = Vec::new();
        if fills {
            used.push((gs.fill.label(), &gs.fill));
        }
        if strokes {
            used.push((format!("stroke {}", gs.stroke.label()), &gs.stroke));
        }
        for (label, paint) in used {
            if !self.page_text.contains(&label) {
                self.page_text.push(label.clone());
            }
            match paint.text_verdict() {
                TextVerdict::KOnly => {}
                TextVerdict::Coloured => {
                    self.coloured_text.entry(label).or_default().insert(self.page);
                }
                TextVerdict::Problem(why) => {
                    // Coloured RGB text (a screen file's red masthead) is coloured text
                    // too, besides being an RGB problem.
                    let rgb = matches!(paint.cs, Cs::Icc(3) | Cs::Rgb | Cs::CalRgb);
                    let grey = paint.comps.windows(2).all(|w| (w[0] - w[1]).abs() < 1e-6);
                    if rgb && !grey {
                        self.coloured_text.entry(label.clone()).or_default().insert(self.page);
                    }
                    let colours = self.text_problems.entry(why).or_default();
                    colours.entry(label).or_default().insert(self.page);
                }
            }
        }
    }

    pub(super) fn paint_xobject(
        &mut self,
        name: &[u8],
        res: Option<&'a Dictionary>,
        gs: &GState,
        depth: usize,
    ) {
        let entry = res.and_then(|r| self.dict_dict(r, b"XObject")).and_then(|x| x.get(name).ok());
        let Some(entry) = entry else {
            self.problem(format!("XObject /{} is not in the resources", name_to_string(name)));
            return;
        };
        let Object::Stream(stream) = self.deref(entry) else {
            self.problem(format!("XObject /{} is not a stream", name_to_string(name)));
            return;
        };
        match self.dict_get(&stream.dict, b"Subtype").and_then(|o| o.as_name().ok()) {
            Some(b"Image") => {
                let metadata = stream.dict.has(b"Metadata") || jpeg_has_metadata(stream);
                self.image(&stream.dict, res, gs, false, metadata)
            }
            Some(b"Form") => {
                let id = entry.as_reference().ok();
                self.run_form(id, stream, res, Some(gs), depth);
            }
            _ => {}
        }
    }

    /// Interprets a Form XObject (or, with no graphics state, a tiling pattern's cell).
    pub(super) fn run_form(
        &mut self,
        id: Option<ObjectId>,
        stream: &'a Stream,
        parent_res: Option<&'a Dictionary>,
        gs: Option<&GState>,
        depth: usize,
    ) {
        if depth >= MAX_FORM_DEPTH {
            self.problem("forms nested too deeply: analysis stopped there");
            return;
        }
        if let Some(id) = id {
            if self.active_forms.contains(&id) {
                self.problem(format!("form {} {} paints itself", id.0, id.1));
                return;
            }
            self.active_forms.push(id);
        }
        let res = match self.dict_get(&stream.dict, b"Resources") {
            Some(Object::Dictionary(d)) => Some(d),
            _ => parent_res,
        };
        if let Some(group) = self.dict_dict(&stream.dict, b"Group") {
            self.note_group(group, "form transparency group");
        }
        if let Some(r) = res {
            self.scan_resources(r, depth + 1);
        }
        let m = self.dict_get(&stream.dict, b"Matrix").and_then(|o| match o {
            Object::Array(items) => matrix(items),
            _ => None,
        });
        let m = m.unwrap_or(IDENTITY);
        let start = match gs {
            Some(gs) => {
                let mut inner = gs.clone();
                inner.ctm = mul(&m, &gs.ctm);
                inner
            }
            None => GState::new(m),
        };
        let ops = self.stream_operations(id, stream);
        self.run(&ops, res, start, depth + 1);
        if id.is_some() {
            self.active_forms.pop();
        }
    }

    /// Records one image placement: size, colour space and resolution from the CTM.
    pub(super) fn image(
        &mut self,
        dict: &Dictionary,
        res: Option<&'a Dictionary>,
        gs: &GState,
        inline: bool,
        metadata: bool,
    ) {
        let get = |long: &[u8], short: &[u8]| {
            self.dict_get(dict, long)
                .or_else(|| if inline { self.dict_get(dict, short) } else { None })
        };
        let px = |o: Option<&Object>| {
            o.and_then(|o| o.as_i64().ok()).and_then(|v| u32::try_from(v).ok()).unwrap_or(0)
        };
        let width_px = px(get(b"Width", b"W"));
        let height_px = px(get(b"Height", b"H"));
        let is_mask = matches!(get(b"ImageMask", b"IM"), Some(Object::Boolean(true)));
        let colour_space = if is_mask {
            "ImageMask".to_owned()
        } else if let Some(space) = get(b"ColorSpace", b"CS") {
            let cs = self.parse_cs(space, res, inline, 0);
            self.note_cs(&cs, &format!("image {width_px}×{height_px} px"));
            cs.label()
        } else if matches!(get(b"Filter", b"F"), Some(Object::Name(f)) if f == b"JPXDecode") {
            "JPX".to_owned()
        } else {
            "none".to_owned()
        };
        let c = &gs.ctm;
        let inches = |x: f64, y: f64| x.hypot(y) * self.user_unit / 72.0;
        let ppi = |pixels: u32, inches: f64| {
            let v = f64::from(pixels) / inches;
            if v.is_finite() { round_to(v, 1) } else { 0.0 }
        };
        self.images.push(ImageReport {
            page: self.page,
            width_px,
            height_px,
            ppi_x: ppi(width_px, inches(c[0], c[1])),
            ppi_y: ppi(height_px, inches(c[2], c[3])),
            colour_space,
            metadata,
        });
    }
}
