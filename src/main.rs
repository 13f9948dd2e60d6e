//! The `jianbao` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

// Typst and krilla allocate and free many short-lived buffers per document; mimalloc
// keeps freed pages for reuse instead of returning them to the system and faulting
// them back in as glibc's allocator did (20 benchmark briefings: 0.49 s → 0.40 s).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // `jianbao __worker MIB`: a worker process of a build (see `jianbao::worker`).
    let mut args = std::env::args_os();
    if args.nth(1).is_some_and(|a| a == jianbao::worker::WORKER_ARG) {
        let rest: Vec<String> = args.map(|a| a.to_string_lossy().into_owned()).collect();
        return ExitCode::from(jianbao::worker::main(&rest));
    }
    let cli = match <jianbao::cli::Cli as clap::Parser>::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` print to stdout and succeed; a wrong command line
            // gets its own code, so scripts can tell it from a missing file (2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { jianbao::error::EXIT_USAGE } else { 0 });
        }
    };
    ExitCode::from(jianbao::cli::run(cli))
}
