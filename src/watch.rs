//! Watching files for `jianbao watch`: a stamp of sizes and modification times that
//! changes when any watched file changes (polling keeps it simple and portable).

use std::path::PathBuf;
use std::time::SystemTime;

/// Size and modification time of each file (None when missing).
pub type Stamp = Vec<(PathBuf, Option<(u64, SystemTime)>)>;

/// The current stamp of a list of files.
pub fn stamp(files: &[PathBuf]) -> Stamp {
    files
        .iter()
        .map(|f| {
            let meta = std::fs::metadata(f).ok().and_then(|m| Some((m.len(), m.modified().ok()?)));
            (f.clone(), meta)
        })
        .collect()
}
