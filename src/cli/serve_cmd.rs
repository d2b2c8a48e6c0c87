//! `powerlist serve`: the live preview, its address on standard output and its
//! log, timed, on standard error.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use powerlist::publish::serve;
use powerlist::report;

pub(super) fn run(catalogue: &Path, port: u16) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    // A closed terminal (SIGHUP) must not make a write panic before the
    // preview folder is removed: write errors are ignored.
    let log = std::sync::Arc::new(move |line: &str| {
        let t = started.elapsed().as_secs_f64();
        let _ = writeln!(
            std::io::stderr(),
            "[{t:7.2} 秒] {}",
            report::terminal_safe(line)
        );
    });
    serve::serve(
        catalogue,
        port,
        &|url| {
            let mut out = std::io::stdout();
            let _ = writeln!(out, "预览：{url}（按 Ctrl-C 停止）");
            let _ = out.flush();
        },
        log,
    )?;
    let _ = writeln!(std::io::stderr(), "预览已停止");
    Ok(ExitCode::SUCCESS)
}
