//! The manifest's JSON Schema (draft 2020-12), generated from the declared fields in
//! [`super::fields`] that the reader itself uses, for `jianbao schema` and editors.

use serde_json::{Map, Value, json};

use super::fields::{Field, OBJECTS, Object, Required, Ty};

/// Where a manifest's first line names the schema that `jianbao new` writes beside it.
pub const SCHEMA_FILE: &str = "manifest.schema.json";

/// The comment that names the schema to the YAML language server (VS Code's YAML
/// extension), for a schema at `path` relative to the manifest.
pub fn modeline(path: &str) -> String {
    format!("# yaml-language-server: $schema={path}")
}

/// The schema as pretty-printed JSON with a final newline, byte for byte the same on
/// every run.
pub fn text() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).expect("a JSON value serializes");
    s.push('\n');
    s
}

/// The schema.
pub fn schema() -> Value {
    let top = OBJECTS[0];
    let mut root = object(top);
    let defs: Map<String, Value> =
        OBJECTS[1..].iter().map(|o| (o.id.to_string(), object(o))).collect();
    let map = root.as_object_mut().expect("an object schema");
    map.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
    map.insert("$defs".into(), Value::Object(defs));
    root
}

fn both((zh, en): (&str, &str)) -> String {
    format!("{zh} {en}")
}

fn describe((zh, en): (&str, &str)) -> String {
    format!("{zh}\n{en}")
}

fn object(o: &Object) -> Value {
    let properties: Map<String, Value> =
        o.fields.iter().map(|f| (f.name.into(), property(f))).collect();
    let required: Vec<&str> = o
        .fields
        .iter()
        .filter(|f| f.required == Required::Yes && f.only.is_none())
        .map(|f| f.name)
        .collect();
    let mut schema = json!({
        "type": "object",
        "title": both(o.title),
        "description": describe(o.doc),
        "properties": properties,
        "additionalProperties": false,
    });
    let map = schema.as_object_mut().expect("just made");
    if !required.is_empty() {
        map.insert("required".into(), json!(required));
    }
    let dependent: Map<String, Value> = o
        .fields
        .iter()
        .filter_map(|f| match f.required {
            Required::With(sibling) => Some((sibling.to_string(), json!([f.name]))),
            _ => None,
        })
        .collect();
    if !dependent.is_empty() {
        map.insert("dependentRequired".into(), Value::Object(dependent));
    }
    // Fields allowed only beside a sibling's value: one if/then/else per value set.
    let mut conditions = Vec::new();
    let mut seen: Vec<(&str, &[&str])> = Vec::new();
    for f in o.fields {
        let Some(only) = f.only else { continue };
        if seen.contains(&only) {
            continue;
        }
        seen.push(only);
        let (sibling, values) = only;
        let group: Vec<&Field> = o.fields.iter().filter(|g| g.only == Some(only)).collect();
        let needed: Vec<&str> =
            group.iter().filter(|g| g.required == Required::Yes).map(|g| g.name).collect();
        let banned: Map<String, Value> =
            group.iter().map(|g| (g.name.to_string(), Value::Bool(false))).collect();
        let mut then = json!({});
        if !needed.is_empty() {
            then["required"] = json!(needed);
        }
        conditions.push(json!({
            "if": { "properties": { sibling: { "enum": values } }, "required": [sibling] },
            "then": then,
            "else": { "properties": banned },
        }));
    }
    if !conditions.is_empty() {
        map.insert("allOf".into(), Value::Array(conditions));
    }
    schema
}

fn property(f: &Field) -> Value {
    let mut schema = ty(&f.ty);
    if let Some(map) = schema.as_object_mut() {
        map.insert("title".into(), json!(both(f.title)));
        map.insert("description".into(), json!(describe(f.doc)));
    }
    schema
}

/// Text as the reader takes it: numbers and booleans count as the text they were written as.
fn any_text() -> Value {
    json!({ "type": ["string", "number", "boolean"] })
}

fn ty(t: &Ty) -> Value {
    match t {
        Ty::Text => json!({
            "type": ["string", "number", "boolean"],
            "minLength": 1,
            "pattern": "\\S",
            "not": { "enum": super::yaml::PLACEHOLDERS },
        }),
        Ty::AnyText => any_text(),
        Ty::Positive => json!({
            "anyOf": [
                { "type": "integer", "minimum": 1, "maximum": u32::MAX },
                { "type": "string", "pattern": "^\\s*0*[1-9][0-9]*\\s*$" },
            ],
        }),
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Date => json!({
            "type": "string",
            "pattern": "^\\s*[0-9]{4}\\s*[-/年]\\s*[0-9]{1,2}\\s*[-/月]\\s*[0-9]{1,2}\\s*日?\\s*$",
            "examples": ["2025-03-10", "2025/03/10", "2025年3月10日"],
        }),
        Ty::Enum(values) => json!({ "enum": values }),
        Ty::Millimetres(min, max) => json!({ "type": "number", "minimum": min, "maximum": max }),
        Ty::PhotoSize => {
            let (min, max) = super::photos::SIZE_MM;
            json!({
                "anyOf": [
                    { "enum": ["full", "half"] },
                    { "type": "number", "minimum": min, "maximum": max },
                    { "type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]+)?\\s*(mm)?\\s*$" },
                ],
            })
        }
        Ty::Lines => json!({
            "type": "array",
            "prefixItems": [ty(&Ty::Positive), ty(&Ty::Positive)],
            "items": false,
            "minItems": 2,
        }),
        Ty::List(item) => json!({ "type": ["array", "null"], "items": ty(item) }),
        Ty::Keywords => json!({
            "type": "object",
            "additionalProperties": ty(&Ty::List(&Ty::Text)),
        }),
        Ty::Object(o) => json!({ "$ref": format!("#/$defs/{}", o.id) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_object_is_closed_and_defined_once() {
        let s = schema();
        for o in &OBJECTS[1..] {
            assert_eq!(s["$defs"][o.id]["additionalProperties"], json!(false), "{}", o.id);
        }
        assert_eq!(s["additionalProperties"], json!(false));
        assert_eq!(s["required"], json!(["briefing", "articles"]));
        // A `$ref` with siblings is fine in 2020-12; every one must resolve.
        let text = text();
        for part in text.split("\"#/$defs/").skip(1) {
            let id = &part[..part.find('"').expect("closing quote")];
            assert!(s["$defs"].get(id).is_some(), "dangling $ref {id}");
        }
    }

    #[test]
    fn the_enums_are_the_readers() {
        let s = schema();
        assert_eq!(s["properties"]["style"]["enum"], json!(["official", "modern"]));
        assert_eq!(
            s["$defs"]["output"]["properties"]["kind"]["enum"],
            json!(["issue", "county", "theme", "select"])
        );
        assert_eq!(s["$defs"]["print"]["properties"]["red"]["enum"], json!(["spot", "cmyk"]));
    }
}
