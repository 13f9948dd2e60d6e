//! The file system side of a build: atomic writes, the locked output folder and the
//! temporaries a killed build leaves behind, and keeping the files a manifest names
//! inside the project folder. Nothing here knows about documents.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

/// Why a file named in a manifest cannot be used. Callers word the message, since a
/// source file and a photo are explained differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// An absolute path (`/…`, `\…`).
    Absolute,
    /// A Windows drive or UNC prefix.
    Drive,
    /// `..` takes it out of the project folder.
    Leaves,
    /// It exists, but through a link that leads out of the project folder.
    LinkLeaves,
    /// Nothing is there.
    Missing,
    /// It is there, but not a file.
    NotAFile,
}

/// Resolves `file` against the manifest's folder `dir` and checks that the result stays
/// inside `root` (`..` is fine while it does). `..` is resolved by name first, so a path
/// that leaves the root is refused even when what it names does not exist; then links
/// are followed and the real path must still be inside. `dir` and `root` are canonical.
pub fn resolve_inside(dir: &Path, root: &Path, file: &str) -> Result<PathBuf, Refused> {
    let rel = Path::new(file);
    if rel.components().any(|c| matches!(c, Component::Prefix(_))) {
        return Err(Refused::Drive);
    }
    if rel.is_absolute() || file.starts_with('/') || file.starts_with('\\') {
        return Err(Refused::Absolute);
    }
    let mut lexical = dir.to_path_buf();
    for c in rel.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::Normal(part) => lexical.push(part),
            _ => {}
        }
    }
    if !lexical.starts_with(root) {
        return Err(Refused::Leaves);
    }
    let canonical = lexical.canonicalize().map_err(|_| Refused::Missing)?;
    if !canonical.starts_with(root) {
        return Err(Refused::LinkLeaves);
    }
    if !canonical.is_file() {
        return Err(Refused::NotAFile);
    }
    Ok(canonical)
}

/// A folder as messages show it: its path, or `.` for the current folder.
pub fn folder_name(dir: &Path) -> String {
    let shown = crate::display_path(dir);
    if shown.is_empty() { ".".to_string() } else { shown }
}

/// The lock file of an output folder: a build holds it from start to end, so two builds
/// into one folder take turns and neither loses the other's record entries.
pub const LOCK_FILE: &str = ".jianbao.lock";

/// Takes the output folder's lock, waiting (with a note) while another build holds it.
/// The lock goes when the returned file is dropped or the process ends.
pub fn lock_folder(out_dir: &Path) -> std::io::Result<std::fs::File> {
    let path = out_dir.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path)?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "note: another build is writing to {}; waiting for it to finish",
                crate::display_path(out_dir)
            );
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(e),
    }
    file.lock()?;
    Ok(file)
}

/// Removes temporary files that a killed build left behind. Only files older than ten
/// minutes go, so a build running at the same time keeps its own.
pub fn remove_stale_temporaries(out_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(out_dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".jianbao-") && name.ends_with(".tmp")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 600);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes a file so that readers see either the old complete file or the new complete
/// file: the bytes go to a temporary file in the same folder, which is then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(".jianbao-").suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // Temporary files are private (0600); the finished file is an ordinary one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    #[cfg(debug_assertions)]
    slow_write_for_tests();
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Test-only: `JIANBAO_TEST_SLOW_WRITE=<ms>` holds every write between its temporary
/// file and the rename, so a test can kill a build in the middle of a write. Read only
/// in debug builds; a release binary ignores it.
#[cfg(debug_assertions)]
fn slow_write_for_tests() {
    if let Some(ms) = std::env::var("JIANBAO_TEST_SLOW_WRITE").ok().and_then(|v| v.parse().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}
