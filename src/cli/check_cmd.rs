//! `powerlist check`: the catalogue checked as it is read, its diagnostics
//! written in the asked format, the exit code by `--fail-on`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use powerlist::config::Settings;
use powerlist::report::{self, Format};
use powerlist::Severity;

use super::{to_stdout, FailOn};

pub(super) fn run(
    catalogue: &Path,
    format: Format,
    fail_on: FailOn,
    cached: bool,
) -> anyhow::Result<ExitCode> {
    // Streaming: each power is checked as it is read and then dropped; with
    // the cache, a file as it was last time is not checked again.
    let settings = Settings::load(catalogue)?;
    let (cat, diags) = if cached {
        powerlist::check_cached(catalogue, &settings)?
    } else {
        let (cat, diags, _) = powerlist::check_streaming(
            catalogue,
            &settings,
            powerlist::check::Texts::Reported,
            &|_, _, _| (),
        )?;
        (cat, diags)
    };
    let style = super::style_of(&std::io::stdout(), format == Format::Human);
    let prefix = catalogue.to_string_lossy();
    to_stdout(&mut |w| Ok(report::write(w, format, &diags, &cat, &prefix, style)?))
        .context("无法写出结果")?;
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warn => Severity::Warn,
    };
    let failed = diags.iter().any(|d| d.severity >= threshold);
    Ok(ExitCode::from(u8::from(failed)))
}
