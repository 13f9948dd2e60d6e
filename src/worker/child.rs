//! The worker side: `jianbao` re-run as a worker process. It limits its own memory,
//! loads the fonts and parses the templates once, then compiles one document after
//! another, as the build sends them, until its input ends.

use std::io::{BufReader, BufWriter};
use std::sync::Arc;

use typst::foundations::Bytes;

use super::protocol::{self, Hello, Reply, Task, WireDiag};
use crate::fonts::Fonts;
use crate::plan::{Job, JobKind};
use crate::render::RenderOptions;
use crate::render::world::Engine;

/// Runs a worker whose data segment is limited to `memory_mib` (0: no limit); returns
/// the exit code. Stdin carries the hello and the tasks, stdout the replies; stderr is
/// read by the build (a panic, a failed allocation or a stack overflow is reported
/// there before the process ends).
pub fn run(memory_mib: u64) -> u8 {
    if memory_mib > 0 {
        let bytes = memory_mib.saturating_mul(1 << 20);
        if let Err(e) = rlimit::Resource::DATA.set(bytes, bytes) {
            eprintln!("jianbao worker: cannot limit memory: {e}");
            return 2;
        }
    }
    orphan_watch();
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut output = BufWriter::new(std::io::stdout().lock());
    let hello: Hello = match protocol::recv(&mut input) {
        Ok(hello) => hello,
        Err(e) => {
            eprintln!("jianbao worker: no start message: {e}");
            return 2;
        }
    };
    let mut engine = Engine::new(Fonts::load(&hello.fonts()), hello.templates());
    drop(hello);
    loop {
        let task: Task = match protocol::recv(&mut input) {
            Ok(task) => task,
            // The build closed our input: no more documents.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return 0,
            Err(e) => {
                eprintln!("jianbao worker: bad task: {e}");
                return 2;
            }
        };
        let result = (|| {
            let data = protocol::read_frame(&mut input)?;
            let mut photos = Vec::with_capacity(task.photos.len());
            for path in &task.photos {
                photos.push((path.clone(), Bytes::new(protocol::read_frame(&mut input)?)));
            }
            Ok::<_, std::io::Error>((data, photos))
        })();
        let (data, photos) = match result {
            Ok(read) => read,
            Err(e) => {
                eprintln!("jianbao worker: bad task: {e}");
                return 2;
            }
        };
        engine.photos = Arc::new(crate::photo::Store::sent(photos));
        let (reply, pdf) = compile(&engine, &task, data);
        let blobs: Vec<&[u8]> = pdf.as_deref().into_iter().collect();
        if protocol::send(&mut output, &reply, &blobs).is_err() {
            // The build is gone.
            return 0;
        }
        // Keep only what this document used (the templates, the fonts' shaping): the next
        // document reuses that, and a worker does not carry earlier documents' layouts
        // while the other worker holds its own (in one process, `evict(4)` keeps them
        // for both threads at once).
        typst::comemo::evict(1);
    }
}

/// Ends the worker when the build that started it is gone (killed, say, while this
/// worker was in a loop), so no worker outlives its build for long.
#[expect(
    clippy::disallowed_methods,
    reason = "the worker's main thread may be stuck in a document; only exit ends it, and a worker holds no files to finish"
)]
fn orphan_watch() {
    let parent = std::os::unix::process::parent_id();
    let _ = std::thread::Builder::new().name("jianbao-orphan-watch".into()).spawn(move || {
        loop {
            std::thread::sleep(std::time::Duration::from_millis(500));
            if std::os::unix::process::parent_id() != parent {
                std::process::exit(4);
            }
        }
    });
}

/// Compiles one document on a thread named after it, with a main thread's stack. A
/// panic there ends the worker (after the panic message went to stderr), so the build
/// learns of it as of any other death.
#[expect(
    clippy::disallowed_methods,
    reason = "a worker that cannot get a stack for the document ends at once; the build reports it like any other death, and a worker writes no files"
)]
fn compile(engine: &Engine, task: &Task, data: Vec<u8>) -> (Reply, Option<Vec<u8>>) {
    let job = Job {
        kind: JobKind::Issue,
        file_name: task.file_name.clone(),
        title: String::new(),
        subtitle: None,
        articles: Vec::new(),
        editor_note: None,
        number_line: None,
        file_span: 0..0,
    };
    let options = RenderOptions {
        timestamp: task.timestamp,
        profile: protocol::profile_from(task.profile),
        bleed_mm: task.bleed_mm,
        marks_mm: task.marks_mm,
    };
    let work = || {
        #[cfg(debug_assertions)]
        crate::executor::forced_panic(&job.file_name);
        crate::render::render(engine, &job, data, options)
    };
    let joined = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name(task.file_name.clone())
            .stack_size(super::STACK_BYTES)
            .spawn_scoped(scope, work)
            .map(|handle| handle.join())
    });
    let result = match joined {
        Ok(Ok(result)) => result,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        // Under the data limit, a thread's stack is what could not be had.
        Err(e) => {
            eprintln!("jianbao worker: cannot allocate memory for the document's thread: {e}");
            std::process::exit(3);
        }
    };
    match result {
        Ok(rendered) => (
            Reply {
                ok: true,
                pages: rendered.pages,
                diags: rendered.warnings.iter().map(WireDiag::from).collect(),
            },
            Some(rendered.pdf),
        ),
        Err(diags) => {
            (Reply { ok: false, pages: 0, diags: diags.iter().map(WireDiag::from).collect() }, None)
        }
    }
}
