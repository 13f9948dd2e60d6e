//! Photos already hashed by an earlier build, so that a build where nothing changed
//! does not read every photo again (80 twelve-megapixel originals are about 50 MB).
//!
//! The build record keeps, for each photo by path, its size, its modification time in
//! nanoseconds, when it was read, and what was found: the content hash, the format and
//! the pixel size. A later build trusts an entry, without opening the file, only when
//! the size and the modification time are exactly those recorded, and the file had
//! already been unchanged for [`SETTLED`] when it was read. The last rule is the one
//! make and cargo need too: a file rewritten in the same clock tick as an earlier
//! write (file systems with coarse times, FAT's two seconds) keeps its modification
//! time, so a hash taken within that window proves nothing about the file's present
//! bytes. Such a photo is hashed again on the next build, and its entry recorded
//! anew, by then settled.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::manifest::{Photo, PhotoFormat};

/// How long a file must have been unchanged when it was read for its hash to be
/// trusted later on the strength of its size and modification time.
pub const SETTLED: Duration = Duration::from_secs(3);

/// What a build saw of one photo file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since 1970.
    pub mtime_ns: u64,
    /// When the file was read (taken before it was opened), nanoseconds since 1970.
    pub read_ns: u64,
}

/// One remembered photo: what was seen and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownPhoto {
    /// Size, modification time and time of reading.
    #[serde(flatten)]
    pub seen: Seen,
    /// SHA-256 of the bytes (hex).
    pub sha256: String,
    /// Format, from the content.
    pub format: PhotoFormat,
    /// Width in pixels as displayed.
    pub width: u32,
    /// Height in pixels as displayed.
    pub height: u32,
}

/// Remembered photos by path.
pub type Known = BTreeMap<String, KnownPhoto>;

/// Nanoseconds since 1970 (0 when the clock is before it).
pub fn nanos(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// The key of a photo file in [`Known`].
pub fn key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Size and modification time of a file's metadata; `None` when the system gives no
/// modification time (then nothing is trusted).
pub fn stamp(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    let mtime = nanos(meta.modified().ok()?);
    (mtime > 0).then_some((meta.len(), mtime))
}

/// The remembered photo at `path`, if it may be trusted for a file of this size and
/// modification time: both equal to those recorded, and the file already settled when
/// it was read.
pub fn trusted<'a>(
    known: &'a Known,
    path: &Path,
    size: u64,
    mtime_ns: u64,
) -> Option<&'a KnownPhoto> {
    let k = known.get(&key(path))?;
    let settled = k.seen.read_ns.saturating_sub(k.seen.mtime_ns) >= SETTLED.as_nanos() as u64;
    (k.seen.size == size && k.seen.mtime_ns == mtime_ns && settled).then_some(k)
}

/// What to remember of a manifest's photos: every photo whose file was seen.
pub fn of_photos<'a>(photos: impl IntoIterator<Item = &'a Photo>) -> Known {
    photos
        .into_iter()
        .filter_map(|p| {
            let seen = p.seen?;
            let entry = KnownPhoto {
                seen,
                sha256: p.digest.clone(),
                format: p.format,
                width: p.width,
                height: p.height,
            };
            Some((key(&p.path), entry))
        })
        .collect()
}

/// Merges what a build saw into what was remembered; entries of files that no longer
/// exist are dropped. Returns whether anything changed.
pub fn merge(into: &mut Known, seen: Known) -> bool {
    let before = into.clone();
    into.extend(seen);
    into.retain(|path, _| Path::new(path).is_file());
    *into != before
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(size: u64, mtime_ns: u64, read_ns: u64) -> KnownPhoto {
        KnownPhoto {
            seen: Seen { size, mtime_ns, read_ns },
            sha256: "ab".into(),
            format: PhotoFormat::Jpeg,
            width: 4,
            height: 3,
        }
    }

    #[test]
    fn trusted_only_when_unchanged_and_settled() {
        let s = 1_000_000_000;
        let mut known = Known::new();
        known.insert("/p/a.jpg".into(), entry(100, 50 * s, 60 * s));
        known.insert("/p/racy.jpg".into(), entry(100, 50 * s, 51 * s));
        let p = Path::new("/p/a.jpg");
        assert!(trusted(&known, p, 100, 50 * s).is_some());
        // A different size or time, even by a nanosecond, is a changed file.
        assert!(trusted(&known, p, 101, 50 * s).is_none());
        assert!(trusted(&known, p, 100, 50 * s + 1).is_none());
        // Read one second after it was written: another write in the same tick would
        // not show, so the hash is not trusted.
        assert!(trusted(&known, Path::new("/p/racy.jpg"), 100, 50 * s).is_none());
        assert!(trusted(&known, Path::new("/p/other.jpg"), 100, 50 * s).is_none());
    }
}
