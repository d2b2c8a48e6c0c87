//! `powerlist diff`: the 动态调整 between two versions of a catalogue, each a
//! folder or a git `REV:PATH`.

use std::process::ExitCode;

use powerlist::diff::{self, Format, Side};

use super::to_stdout;

pub(super) fn run(
    old: &str,
    new: &str,
    format: Format,
    internal: bool,
) -> anyhow::Result<ExitCode> {
    let (a, b) = (Side::open(old)?, Side::open(new)?);
    let d = diff::diff(&a, &b, internal)?;
    to_stdout(&mut |w| diff::write(w, &d, format, old, new))?;
    Ok(ExitCode::SUCCESS)
}
