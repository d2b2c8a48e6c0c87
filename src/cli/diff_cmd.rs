//! `powerlist diff`: the 动态调整 between two versions of a catalogue, each a
//! folder or a git `REV:PATH`.

use std::process::ExitCode;

use powerlist::diff::{self, Format, Side};
use powerlist::report::terminal_safe;

use super::to_stdout;

pub(super) fn run(
    old: &str,
    new: &str,
    format: Format,
    internal: bool,
) -> anyhow::Result<ExitCode> {
    // Every part of a side's error can come from the revision or its files
    // (a file's name, git's echo of the revision): shown inert, on one line.
    let inert = |e: anyhow::Error| anyhow::anyhow!(terminal_safe(&format!("{e:#}")));
    let (a, b) = (
        Side::open(old).map_err(inert)?,
        Side::open(new).map_err(inert)?,
    );
    let d = diff::diff(&a, &b, internal).map_err(inert)?;
    to_stdout(&mut |w| diff::write(w, &d, format, old, new))?;
    Ok(ExitCode::SUCCESS)
}
