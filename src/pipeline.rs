//! One-call builds on top of the [`Session`](crate::session::Session): the manifest
//! path and options in, a report out. The command line and library users who want
//! events, another sink or another executor use the session directly.

use std::path::Path;

use crate::error::Failure;
use crate::fonts::Fonts;
use crate::render::templates::Templates;
use crate::render::world::Engine;
pub use crate::session::{BuildOptions, BuildReport, DocReport, Status, check};
use crate::session::{Event, Session};

/// The shared engine of a run: fonts loaded once, templates parsed once.
pub fn engine(options: &BuildOptions) -> Result<Engine, Failure> {
    let templates = Templates::load(options.templates.as_deref())?;
    Ok(Engine::new(Fonts::load(&options.fonts), templates))
}

/// Builds (or with `check_only`, checks) every output of a manifest into
/// `options.out_dir`, with no events: on threads, or in worker processes under
/// `options.limits`.
pub fn build(manifest: &Path, options: &BuildOptions) -> Result<BuildReport, Failure> {
    build_with(manifest, options, &|_| {})
}

/// Like [`build`], telling `events` as the build goes.
pub fn build_with(
    manifest: &Path,
    options: &BuildOptions,
    events: &(dyn Fn(Event<'_>) + Sync),
) -> Result<BuildReport, Failure> {
    let mut session = Session::new(manifest, options.clone())?;
    let executor = crate::worker::executor(options);
    if options.check_only {
        let mut sink = crate::sink::CheckOnly::new(&options.out_dir);
        session.build(&mut sink, executor.as_ref(), events)
    } else {
        let mut sink = crate::sink::Disk::new(&options.out_dir, options.prune);
        session.build(&mut sink, executor.as_ref(), events)
    }
}
