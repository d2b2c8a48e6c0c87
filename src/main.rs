//! The `powerlist` command: runs `cli` and maps its outcome to an exit code, an
//! error to one line on standard error.
// The binary is where powerlist talks to the terminal.
#![allow(clippy::disallowed_macros)]

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(e) => {
            // One line: the error and its causes.
            eprintln!("powerlist：错误：{}", cli::error_line(&e));
            ExitCode::from(2)
        }
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
