//! `jianbao schema` and `jianbao new`: what they print; the work is in
//! [`crate::manifest::schema`] and [`crate::new`].

use std::io::Write;
use std::path::Path;

use super::Style;
use crate::error::{EXIT_INPUT, EXIT_OK, Failure};
use crate::manifest::Date;

/// `jianbao schema [-o FILE]`.
pub fn schema(output: Option<&Path>) -> Result<u8, Failure> {
    let text = crate::manifest::schema::text();
    match output {
        Some(path) => crate::fs::write_atomic(path, text.as_bytes())
            .map_err(|e| Failure::io(format!("cannot write {}: {e}", crate::display_path(path))))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| Failure::io(format!("cannot write the schema: {e}")))?;
        }
    }
    Ok(EXIT_OK)
}

/// `jianbao new DIR [--from PREVIOUS.yaml]`.
pub fn new(dir: &Path, from: Option<&Path>, date: Date, style: Style) -> Result<u8, Failure> {
    let made = crate::new::new_issue(dir, from, date)?;
    let manifest = crate::display_path(&made.manifest);
    let total = made.total_number.map(|t| format!("（总第{t}期）")).unwrap_or_default();
    style.note(&format!(
        "wrote {manifest}: 第{}期{total}, {}, no articles yet; and {}, the schema its first line names",
        made.number,
        date.iso(),
        crate::display_path(&made.schema),
    ));
    if let Some(year) = made.previous_year {
        style.note(&format!(
            "the previous issue is from {year}: if the issue number restarts each year, set `number: 1`"
        ));
    }
    if made.problems.is_empty() {
        let filled = if from.is_none() { " and its 待填写 are filled in" } else { "" };
        let message = format!("{manifest} passes `jianbao check` once an article is added{filled}");
        if style.messages == super::MessageFormat::Json {
            let line = serde_json::json!({ "type": "summary", "ok": true, "message": message });
            let _ = writeln!(std::io::stdout().lock(), "{line}");
        } else {
            eprintln!("ok: {message}");
        }
        Ok(EXIT_OK)
    } else {
        style.diagnostics(&made.problems);
        style.note(&format!(
            "{manifest} was written, but `jianbao check` will report the problems above even once an article is added; they come from the previous manifest"
        ));
        Ok(EXIT_INPUT)
    }
}
