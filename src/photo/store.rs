//! The photos of one run: every processed photo a document may ask for, made at most
//! once (the first document that needs it makes it; documents building at the same
//! time wait for it) and shared by every document of the run.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use typst::foundations::Bytes;

use super::{Target, is_spread, placed_mm, process};
use crate::diag::Diagnostic;
use crate::manifest::{Manifest, PhotoFormat};
use crate::plan::Job;
use crate::profile::Profile;

struct Entry {
    original: PathBuf,
    file: String,
    span: std::ops::Range<usize>,
    format: PhotoFormat,
    target: Target,
    made: OnceLock<Result<Bytes, String>>,
}

/// Processed photos by their path in the Typst world.
#[derive(Default)]
pub struct Store {
    entries: HashMap<String, Entry>,
    /// Photos made by the build and sent to a worker process with its document.
    sent: HashMap<String, Bytes>,
}

impl Store {
    /// Every photo of the manifest at every placement, for the given profiles. Nothing is
    /// read or decoded until a document asks.
    pub fn plan(m: &Manifest, profiles: &[Profile]) -> Store {
        let mut entries = HashMap::new();
        for &profile in profiles {
            for a in &m.articles {
                let spread = is_spread(&a.photos, &a.paragraphs);
                for p in &a.photos {
                    let target =
                        Target::new(p, placed_mm(p, m.style, spread), profile, m.print.photos);
                    entries.entry(target.path()).or_insert_with(|| Entry {
                        original: p.path.clone(),
                        file: p.file.clone(),
                        span: p.span.clone(),
                        format: p.format,
                        target,
                        made: OnceLock::new(),
                    });
                }
            }
        }
        Store { entries, sent: HashMap::new() }
    }

    /// A worker's store: the photos its document uses, already made by the build.
    pub fn sent(photos: Vec<(String, Bytes)>) -> Store {
        Store { entries: HashMap::new(), sent: photos.into_iter().collect() }
    }

    /// The photos one job uses that could be made (after [`Store::prepare`]), by path,
    /// to send to the worker process that compiles it.
    pub fn made_for(&self, m: &Manifest, job: &Job, profile: Profile) -> Vec<(String, Bytes)> {
        let mut out: Vec<(String, Bytes)> = Vec::new();
        for path in photo_paths(m, job, profile) {
            if let Some(Ok(bytes)) = self.get(&path)
                && !out.iter().any(|(known, _)| *known == path)
            {
                out.push((path, bytes));
            }
        }
        out
    }

    /// Whether `path` names a processed photo.
    pub fn contains(&self, path: &str) -> bool {
        self.entries.contains_key(path) || self.sent.contains_key(path)
    }

    /// The processed photo at `path`, made now if no document made it yet.
    pub fn get(&self, path: &str) -> Option<Result<Bytes, String>> {
        if let Some(bytes) = self.sent.get(path) {
            return Some(Ok(bytes.clone()));
        }
        let e = self.entries.get(path)?;
        Some(e.made.get_or_init(|| make(e)).clone())
    }

    /// Makes the photos of one job; one diagnostic per photo that cannot be made, at its
    /// manifest entry.
    pub fn prepare(&self, m: &Manifest, job: &Job, profile: Profile) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for path in photo_paths(m, job, profile) {
            if let Some(Err(why)) = self.get(&path) {
                let e = &self.entries[&path];
                diags.push(
                    Diagnostic::error(format!("photo `{}` cannot be used: {why}", e.file))
                        .at(&m.source, e.span.clone())
                        .hint("open it in a photo viewer; if it shows, save it again as JPEG"),
                );
            }
        }
        diags
    }
}

/// The processed-photo paths of one job's photos, in the order they are placed.
fn photo_paths<'a>(
    m: &'a Manifest,
    job: &'a Job,
    profile: Profile,
) -> impl Iterator<Item = String> + 'a {
    job.articles.iter().flat_map(move |&i| {
        let a = &m.articles[i];
        let spread = is_spread(&a.photos, &a.paragraphs);
        a.photos.iter().map(move |p| {
            Target::new(p, placed_mm(p, m.style, spread), profile, m.print.photos).path()
        })
    })
}

fn make(e: &Entry) -> Result<Bytes, String> {
    let bytes = std::fs::read(&e.original).map_err(|err| format!("cannot read it: {err}"))?;
    if crate::digest::sha256(&bytes) != e.target.digest {
        return Err("the file changed during the build".into());
    }
    let jpeg =
        process::process(&bytes, e.format, e.target.width_px, e.target.mode, e.target.quality)?;
    Ok(Bytes::new(jpeg))
}
