//! File events for `jianbao watch` and a preview: the operating system's notifications
//! (through the `notify` crate) for a set of files and folders, gathered into one
//! [`Changes`] per burst of edits.
//!
//! Files are watched through their folder, so an editor that saves by writing a new
//! file and renaming it over the old one is still seen.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::{RecursiveMode, Watcher as _};

use crate::session::Changes;

/// How long a burst of events may last: after the first event, more that come within
/// this time join the same rebuild (an editor's save is several events).
const SETTLE: Duration = Duration::from_millis(150);

/// Watches files and folders and reports changes to them.
pub struct Watcher {
    inner: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    /// Folders handed to the operating system, with their mode.
    watching: BTreeSet<(PathBuf, bool)>,
    /// Files whose changes count.
    files: BTreeSet<PathBuf>,
    /// Folders whose whole content counts.
    folders: BTreeSet<PathBuf>,
}

impl Watcher {
    /// A watcher with nothing watched yet.
    pub fn new() -> notify::Result<Watcher> {
        let (send, events) = channel();
        let inner = notify::recommended_watcher(move |event| {
            let _ = send.send(event);
        })?;
        Ok(Watcher {
            inner,
            events,
            watching: BTreeSet::new(),
            files: BTreeSet::new(),
            folders: BTreeSet::new(),
        })
    }

    /// Watches exactly these paths (files, or folders with everything in them) from
    /// now on; paths watched before and not listed are dropped. A path that does not
    /// exist is watched through its folder, so its creation is seen.
    pub fn watch(&mut self, paths: &[PathBuf]) {
        let mut want = BTreeSet::new();
        self.files.clear();
        self.folders.clear();
        for path in paths {
            let path = absolute(path);
            if path.is_dir() {
                want.insert((path.clone(), true));
                self.folders.insert(path);
            } else {
                let parent = path.parent().map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
                want.insert((parent, false));
                self.files.insert(path);
            }
        }
        for (dir, recursive) in self.watching.difference(&want).cloned().collect::<Vec<_>>() {
            let _ = self.inner.unwatch(&dir);
            self.watching.remove(&(dir, recursive));
        }
        for (dir, recursive) in want {
            if self.watching.contains(&(dir.clone(), recursive)) {
                continue;
            }
            let mode =
                if recursive { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
            if self.inner.watch(&dir, mode).is_ok() {
                self.watching.insert((dir, recursive));
            }
        }
    }

    /// Waits for the next change to a watched path, then for the burst to settle.
    pub fn wait(&mut self) -> Changes {
        loop {
            if let Some(changes) = self.wait_timeout(Duration::from_secs(3600)) {
                return changes;
            }
        }
    }

    /// Like [`Watcher::wait`], giving up after `timeout` with `None`.
    pub fn wait_timeout(&mut self, timeout: Duration) -> Option<Changes> {
        let mut changed = BTreeSet::new();
        let deadline = std::time::Instant::now() + timeout;
        while changed.is_empty() {
            let left = deadline.checked_duration_since(std::time::Instant::now())?;
            match self.events.recv_timeout(left) {
                Ok(event) => self.relevant(event, &mut changed),
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        // Then take what follows within the settling time: an editor's save is often
        // several events.
        while let Ok(event) = self.events.recv_timeout(SETTLE) {
            self.relevant(event, &mut changed);
        }
        Some(Changes::paths(changed))
    }

    /// Adds the watched paths an event touches.
    fn relevant(&self, event: notify::Result<notify::Event>, changed: &mut BTreeSet<PathBuf>) {
        let Ok(event) = event else { return };
        if event.kind.is_access() {
            return;
        }
        for path in event.paths {
            if self.files.contains(&path) || self.folders.iter().any(|d| path.starts_with(d)) {
                changed.insert(path);
            }
        }
    }
}

/// The path made absolute (events carry absolute paths), without resolving links.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
