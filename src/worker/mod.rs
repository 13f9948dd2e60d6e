//! Worker processes: each document is compiled in a `jianbao` process of its own pool,
//! under a memory limit (set by the worker on itself) and a time limit (a watchdog in
//! the build), so a template that loops, allocates without end, nests too deeply or
//! hits a bug costs that one document, never the batch or the machine.
//!
//! The build prepares everything documents share (data, processed photos) once and
//! sends each document's part to a worker ([`protocol`]); the worker answers with the
//! PDF, its page count and its warnings. Workers are reused from document to document,
//! one per parallel job, so fonts load once per worker. A worker that dies or runs over
//! time fails its current document with a message naming the limit; the next document
//! gets a fresh worker. [`Processes`] is the session's [`Executor`] for this.

pub mod child;
pub mod protocol;

use std::io::{BufReader, BufWriter, Read as _};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::diag::Diagnostic;
use crate::error::Failure;
use crate::executor::{Compiled, Executor, Task, Threads, Work};
use crate::options::BuildOptions;
pub use crate::options::Limits;
use crate::render::{RenderOptions, Rendered};
use protocol::{Hello, Reply};

/// The first argument that makes the `jianbao` binary a worker (hidden from `--help`).
pub const WORKER_ARG: &str = "__worker";

/// Stack of the thread that compiles a document (that of a main thread).
pub const STACK_BYTES: usize = 8 << 20;

/// Keep this much of a worker's last words (stderr).
const STDERR_KEEP: usize = 8 << 10;

/// What the messages say of the run, so they can name the templates folder.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// `--templates` folder, if any.
    pub templates: Option<String>,
}

/// The executor a build's options ask for: worker processes under `options.limits`,
/// else threads of this process.
pub fn executor(options: &BuildOptions) -> Box<dyn Executor> {
    match &options.limits {
        Some(limits) => Box::new(Processes::new(options.jobs, limits.clone())),
        None => Box::new(Threads { jobs: options.jobs }),
    }
}

/// Documents typeset in worker processes, `jobs` at once (0 = number of cores), each
/// under [`Limits`]. The build keeps what documents share (photos are made here, once).
/// Workers start with the first document that needs one and are kept from build to
/// build (`watch`) while the templates and fonts stay the same, so a rebuild loads no
/// fonts; they end with the executor.
pub struct Processes {
    jobs: usize,
    limits: Limits,
    pool: Mutex<Option<Arc<Pool>>>,
    started: Arc<AtomicUsize>,
}

impl Processes {
    /// An executor with no worker started yet.
    pub fn new(jobs: usize, limits: Limits) -> Processes {
        Processes { jobs, limits, pool: Mutex::new(None), started: Arc::default() }
    }

    /// How many worker processes this executor has started so far.
    pub fn workers_started(&self) -> usize {
        self.started.load(Ordering::Relaxed)
    }

    /// The pool for a build's templates and fonts: the last one when they are the same.
    fn pool(&self, work: &Work<'_>) -> Arc<Pool> {
        let context =
            Context { templates: work.options.templates.as_deref().map(crate::display_path) };
        let hello = Hello::new(&work.engine.templates, &work.options.fonts);
        let mut kept = self.pool.lock().unwrap_or_else(|e| e.into_inner());
        match kept.as_ref() {
            Some(pool) if pool.hello == hello && pool.context.templates == context.templates => {
                pool.clone()
            }
            _ => {
                let mut pool = Pool::with_hello(self.limits.clone(), context, hello);
                pool.started = self.started.clone();
                let pool = Arc::new(pool);
                *kept = Some(pool.clone());
                pool
            }
        }
    }
}

impl Executor for Processes {
    fn run(
        &self,
        work: &Work<'_>,
        tasks: Vec<Task>,
        done: &(dyn Fn(usize, Compiled) + Sync),
    ) -> Result<(), Failure> {
        let pool = self.pool(work);
        let threads = Threads { jobs: self.jobs }.count();
        // The build's own part (photos, the pipes) is still guarded against a panic.
        crate::executor::run_tasks(threads, tasks, done, |task| pool.compile(work, task))
    }
}

/// Starts the worker side of the binary: `jianbao __worker MIB`. Returns the exit code.
pub fn main(args: &[String]) -> u8 {
    let memory = args.first().and_then(|a| a.parse().ok()).unwrap_or(0);
    child::run(memory)
}

/// A pool of worker processes, started on demand and reused.
pub struct Pool {
    limits: Limits,
    context: Context,
    hello: Hello,
    idle: Mutex<Vec<Worker>>,
    started: Arc<AtomicUsize>,
}

struct Worker {
    child: Child,
    /// None once closed.
    stdin: Option<BufWriter<ChildStdin>>,
    replies: Receiver<std::io::Result<(Reply, Option<Vec<u8>>)>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_reader: Option<std::thread::JoinHandle<()>>,
}

/// One document for a worker: its data and the photos it uses.
pub struct Job<'a> {
    /// The output's file name.
    pub file_name: &'a str,
    /// Its data.json.
    pub data: &'a [u8],
    /// The processed photos it uses, by virtual path.
    pub photos: Vec<(String, typst::foundations::Bytes)>,
    /// How to render it.
    pub options: RenderOptions,
}

/// Why a worker ended without answering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Death {
    /// Over `--doc-timeout`.
    Timeout,
    /// An allocation failed under `--doc-memory`.
    Memory,
    /// The stack overflowed (too deep nesting).
    Stack,
    /// A panic; the panic's message.
    Panic(String),
    /// Anything else: how it ended and its last line on stderr.
    Other(String),
}

impl Pool {
    /// A pool for a run's templates and fonts; no process starts until a document needs one.
    pub fn new(
        limits: Limits,
        context: Context,
        templates: &crate::render::templates::Templates,
        fonts: &crate::fonts::FontOptions,
    ) -> Pool {
        Pool::with_hello(limits, context, Hello::new(templates, fonts))
    }

    fn with_hello(limits: Limits, context: Context, hello: Hello) -> Pool {
        Pool { limits, context, hello, idle: Mutex::new(Vec::new()), started: Arc::default() }
    }

    /// One task of a session: its photos made here (once for the whole build), then
    /// typeset in a worker.
    pub fn compile(&self, work: &Work<'_>, task: Task) -> Compiled {
        let start = std::time::Instant::now();
        let mut out = Compiled::default();
        let photos = work.engine.photos.prepare(work.manifest, &task.job, task.profile);
        if !photos.is_empty() {
            out.diags = photos;
            out.millis = start.elapsed().as_millis();
            return out;
        }
        let result = self.render(Job {
            file_name: &task.job.file_name,
            data: &task.data,
            photos: work.engine.photos.made_for(work.manifest, &task.job, task.profile),
            options: RenderOptions { profile: task.profile, ..work.render },
        });
        match result {
            Ok(rendered) => {
                out.diags = rendered.warnings;
                out.pages = rendered.pages;
                out.pdf = Some(rendered.pdf);
            }
            Err(diags) => out.diags = diags,
        }
        out.millis = start.elapsed().as_millis();
        out
    }

    /// Compiles one document in a worker, within the limits.
    pub fn render(&self, job: Job) -> Result<Rendered, Vec<Diagnostic>> {
        let popped = self.idle.lock().map(|mut idle| idle.pop()).ok().flatten();
        let mut worker = match popped {
            Some(worker) => worker,
            None => self.spawn().map_err(|e| {
                vec![Diagnostic::error(format!(
                    "{}: cannot start a worker process: {e}",
                    job.file_name
                ))]
            })?,
        };
        let task = protocol::Task {
            file_name: job.file_name.to_string(),
            timestamp: job.options.timestamp,
            profile: protocol::profile_code(job.options.profile),
            bleed_mm: job.options.bleed_mm,
            marks_mm: job.options.marks_mm,
            photos: job.photos.iter().map(|(path, _)| path.clone()).collect(),
        };
        let mut blobs: Vec<&[u8]> = vec![job.data];
        blobs.extend(job.photos.iter().map(|(_, bytes)| bytes.as_slice()));
        // A write that fails means the worker died; its reader says how.
        if let Some(stdin) = &mut worker.stdin {
            let _ = protocol::send(stdin, &task, &blobs);
        }
        let timeout = self.limits.timeout.unwrap_or(Duration::from_secs(u64::MAX / 4));
        let death = match worker.replies.recv_timeout(timeout) {
            Ok(Ok((reply, pdf))) => {
                if let Ok(mut idle) = self.idle.lock() {
                    idle.push(worker);
                }
                let diags: Vec<Diagnostic> = reply.diags.into_iter().map(Into::into).collect();
                return match pdf {
                    Some(pdf) if reply.ok => Ok(Rendered {
                        pdf,
                        pages: reply.pages,
                        warnings: diags,
                        normalized: Vec::new(),
                    }),
                    _ => Err(diags),
                };
            }
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => worker.death(),
            Err(RecvTimeoutError::Timeout) => {
                worker.kill();
                Death::Timeout
            }
        };
        Err(vec![self.message(job.file_name, &death)])
    }

    fn spawn(&self) -> std::io::Result<Worker> {
        let mut child = Command::new(&self.limits.exe)
            .arg(WORKER_ARG)
            .arg(self.limits.memory_mib.to_string())
            // mimalloc reserves 1 GiB of address space up front, which the data limit
            // counts as used; reserving in small steps makes the limit measure what the
            // document really uses.
            .env("MIMALLOC_ARENA_RESERVE", "64M")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        self.started.fetch_add(1, Ordering::Relaxed);
        let (Some(stdin), Some(stdout), Some(mut stderr_pipe)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other("no pipes to the worker"));
        };
        let (tx, replies) = std::sync::mpsc::channel();
        std::thread::Builder::new().name("jianbao-worker-reader".into()).spawn(move || {
            let mut stdout = BufReader::new(stdout);
            loop {
                let reply = protocol::recv::<Reply>(&mut stdout).and_then(|reply| {
                    let pdf =
                        if reply.ok { Some(protocol::read_frame(&mut stdout)?) } else { None };
                    Ok((reply, pdf))
                });
                let end = reply.is_err();
                if tx.send(reply).is_err() || end {
                    return;
                }
            }
        })?;
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let kept = stderr.clone();
        let stderr_reader =
            std::thread::Builder::new().name("jianbao-worker-stderr".into()).spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = stderr_pipe.read(&mut buf) {
                    if n == 0 {
                        return;
                    }
                    if let Ok(mut kept) = kept.lock() {
                        kept.extend_from_slice(&buf[..n]);
                        let over = kept.len().saturating_sub(STDERR_KEEP);
                        kept.drain(..over);
                    }
                }
            })?;
        let mut worker = Worker {
            child,
            stdin: Some(BufWriter::new(stdin)),
            replies,
            stderr,
            stderr_reader: Some(stderr_reader),
        };
        if let Some(stdin) = &mut worker.stdin {
            protocol::send(stdin, &self.hello, &[])?;
        }
        Ok(worker)
    }

    /// The diagnostic of a document whose worker died.
    fn message(&self, file: &str, death: &Death) -> Diagnostic {
        let templates = match &self.context.templates {
            Some(dir) => format!("the templates of `{dir}`"),
            None => "the template".to_string(),
        };
        let unknown = "jianbao cannot tell which line of the template was running";
        match death {
            Death::Timeout => {
                let secs = self.limits.timeout.map_or(0, |t| t.as_secs());
                Diagnostic::error(format!(
                    "{file}: stopped after {secs} s, the time limit of one document \
                     (--doc-timeout); the other documents are made"
                ))
                .hint(format!(
                    "{templates} may loop without end ({unknown}); if the document is just \
                     very long, raise the limit, e.g. --doc-timeout {}",
                    (secs * 4).max(60)
                ))
            }
            Death::Memory => Diagnostic::error(format!(
                "{file}: stopped at the memory limit of one document ({} MiB, --doc-memory); \
                 the other documents are made",
                self.limits.memory_mib
            ))
            .hint(format!(
                "{templates} may build ever larger values ({unknown}); if the document is just \
                 very large, raise the limit, e.g. --doc-memory {}",
                self.limits.memory_mib * 2
            )),
            Death::Stack => Diagnostic::error(format!(
                "{file}: stopped because its content nests too deeply for the stack of one \
                 document ({} MiB); the other documents are made",
                STACK_BYTES >> 20
            ))
            .hint(format!(
                "{templates} may nest boxes, blocks or calls without end ({unknown}); \
                 nest less deeply"
            )),
            Death::Panic(what) => Diagnostic::error(format!(
                "{file}: jianbao stopped on a bug while making this document ({what}); the other \
                 documents are made"
            ))
            .hint(
                "this is a bug in jianbao, not in your manifest: please report it with the \
                 manifest (and the `--templates` folder, if one is used) and this message",
            ),
            Death::Other(how) => Diagnostic::error(format!(
                "{file}: the worker process making this document ended unexpectedly ({how}); \
                 the other documents are made"
            ))
            .hint(
                "this is a bug in jianbao or a limit of this machine: please report it with the \
                 manifest (and the `--templates` folder, if one is used) and this message",
            ),
        }
    }
}

impl Worker {
    /// Kills the process and reaps it.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// How a worker that stopped answering ended, from its exit status and stderr.
    fn death(&mut self) -> Death {
        let status = self.child.wait();
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        let stderr = self
            .stderr
            .lock()
            .map(|s| String::from_utf8_lossy(&s).into_owned())
            .unwrap_or_default();
        let how = match &status {
            Ok(status) => status.to_string(),
            Err(e) => format!("cannot wait for it: {e}"),
        };
        classify(&stderr, &how)
    }
}

/// Reads a dead worker's stderr: a failed allocation (the memory limit), a stack
/// overflow, a panic (with its thread and message), or something else.
pub fn classify(stderr: &str, how: &str) -> Death {
    if stderr.contains("memory allocation of") || stderr.contains("cannot allocate memory") {
        return Death::Memory;
    }
    if stderr.contains("has overflowed its stack") {
        return Death::Stack;
    }
    if let Some(at) = stderr.find("panicked at ") {
        // "thread 'NAME' (ID) panicked at FILE:LINE:COL:\nMESSAGE\nnote: …"
        let start = stderr[..at].rfind("thread '").unwrap_or(at);
        let mut lines = stderr[start..].lines();
        let head = lines.next().unwrap_or_default().trim_end_matches(':');
        let message: Vec<&str> = lines
            .take_while(|l| !l.starts_with("note: ") && !l.starts_with("stack backtrace:"))
            .collect();
        return Death::Panic(format!("{}; {head}", message.join(" ").trim()));
    }
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default();
    Death::Other(if last.is_empty() { how.to_string() } else { format!("{how}: {last}") })
}

impl Drop for Worker {
    /// Closing its input ends an idle worker; it is then reaped.
    fn drop(&mut self) {
        self.stdin = None;
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::{Death, classify};

    #[test]
    fn a_dead_workers_stderr_names_the_limit() {
        assert_eq!(
            classify("memory allocation of 1073741824 bytes failed\n", "signal: 6"),
            Death::Memory
        );
        assert_eq!(
            classify(
                "\nthread 'a.pdf' (7) has overflowed its stack\nfatal runtime error: stack overflow\n",
                "signal: 6"
            ),
            Death::Stack
        );
        assert_eq!(
            classify(
                "\nthread 'a.pdf' (7) panicked at src/x.rs:1:2:\nboom\nnote: run with `RUST_BACKTRACE=1`\n",
                "exit status: 101"
            ),
            Death::Panic("boom; thread 'a.pdf' (7) panicked at src/x.rs:1:2".into())
        );
        assert_eq!(classify("", "signal: 9 (SIGKILL)"), Death::Other("signal: 9 (SIGKILL)".into()));
    }
}
