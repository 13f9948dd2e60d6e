//! The `jianbao` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = jianbao::cli::Cli::parse();
    ExitCode::from(jianbao::cli::run(cli))
}
