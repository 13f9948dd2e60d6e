//! Our Typst `World`: embedded (or overridden) templates, one virtual `/data.json` per
//! document, fonts shared by every document, a fixed `today`, and no access to the
//! file system, the network or packages.

use std::collections::HashMap;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::templates::{Origin, Templates};
use crate::fonts::Fonts;

/// The virtual path of the data file each document reads.
pub const DATA_PATH: &str = "/data.json";
/// The virtual path of the entry template.
pub const MAIN_PATH: &str = "/main.typ";

/// Everything documents share: fonts, the standard library, parsed templates.
pub struct Engine {
    /// Fonts, loaded once.
    pub fonts: Fonts,
    library: LazyHash<Library>,
    sources: HashMap<FileId, Source>,
    names: HashMap<FileId, String>,
    /// The templates.
    pub templates: Templates,
    data_id: FileId,
    main_id: FileId,
    /// The run's processed photos.
    pub photos: std::sync::Arc<crate::photo::Store>,
}

/// A virtual project path as a file id. Ids are interned for the process, so only a
/// fixed set of paths is ever made (templates and `/data.json`).
pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl Engine {
    /// Parses the templates and builds the library; fonts are moved in.
    pub fn new(fonts: Fonts, templates: Templates) -> Engine {
        let mut sources = HashMap::new();
        let mut names = HashMap::new();
        for (name, (text, origin)) in &templates.files {
            let Some(id) = file_id(&format!("/{name}")) else { continue };
            sources.insert(id, Source::new(id, text.clone()));
            let shown = match origin {
                Origin::Builtin => format!("templates/{name} (built in)"),
                Origin::File(path) => path.clone(),
            };
            names.insert(id, shown);
        }
        let data_id = file_id(DATA_PATH).expect("a fixed valid path");
        let main_id = file_id(MAIN_PATH).expect("a fixed valid path");
        Engine {
            fonts,
            library: LazyHash::new(Library::builder().build()),
            sources,
            names,
            templates,
            data_id,
            main_id,
            photos: Default::default(),
        }
    }

    /// The engine with other templates and the same fonts (and the faces Typst has
    /// already parsed): a build session calls this when a template file changes.
    pub fn with_templates(self, templates: Templates) -> Engine {
        let Engine { fonts, photos, .. } = self;
        Engine::new(fonts, templates).with_photos(photos)
    }

    /// The engine with the run's photos.
    pub fn with_photos(mut self, photos: std::sync::Arc<crate::photo::Store>) -> Engine {
        self.photos = photos;
        self
    }

    /// The name to show for a file in diagnostics.
    pub fn name(&self, id: FileId) -> String {
        if id == self.data_id {
            return "data.json".into();
        }
        self.names.get(&id).cloned().unwrap_or_else(|| id.vpath().get_with_slash().to_string())
    }

    /// A world for one document.
    pub fn world(&self, data: Vec<u8>, today: Datetime) -> DocWorld<'_> {
        DocWorld { engine: self, data: Bytes::new(data), today }
    }
}

/// The world of one document.
pub struct DocWorld<'a> {
    engine: &'a Engine,
    data: Bytes,
    today: Datetime,
}

impl DocWorld<'_> {
    /// The shared engine.
    pub fn engine(&self) -> &Engine {
        self.engine
    }

    /// The data file's bytes.
    pub fn data(&self) -> &Bytes {
        &self.data
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.engine.fonts.store.book()
    }

    fn main(&self) -> FileId {
        self.engine.main_id
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Some(source) = self.engine.sources.get(&id) {
            return Ok(source.clone());
        }
        let bytes = self.file(id)?;
        let text = bytes.as_str().map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.into()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let VirtualRoot::Package(spec) = id.root() {
            return Err(FileError::Other(Some(
                format!(
                    "package {spec} is not available: jianbao works offline and never downloads \
                     packages; copy what you need into your --templates folder"
                )
                .into(),
            )));
        }
        if id == self.engine.data_id {
            return Ok(self.data.clone());
        }
        if let Some(source) = self.engine.sources.get(&id) {
            return Ok(Bytes::from_string(source.text().to_string()));
        }
        if let Some(made) = self.engine.photos.get(id.vpath().get_with_slash()) {
            return made.map_err(|why| FileError::Other(Some(why.into())));
        }
        Err(FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.store.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
