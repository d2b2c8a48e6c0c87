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

/// mimalloc hands freed memory back to the system 10 ms after it is freed and
/// takes it back, zeroed by the kernel, when the next file needs it: in a
/// check of 10,000 files that churn was a fifth of the time (page clearing).
/// A command that ends with its work keeps what it freed; `serve`, which runs
/// for hours, keeps mimalloc's default.
fn keep_freed_memory() {
    unsafe extern "C" {
        fn mi_option_set(option: i32, value: std::ffi::c_long);
    }
    // `mi_option_purge_delay` in mimalloc's `mi_option_e`, v3 (which
    // libmimalloc-sys builds) and v2 alike; -1: never purge.
    const MI_OPTION_PURGE_DELAY: i32 = 15;
    // SAFETY: a plain C call with no pointers; mimalloc allows setting options at any time.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
