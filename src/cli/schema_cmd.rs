//! `powerlist schema`: the JSON Schema of a power file, with a catalogue's own categories.

use std::path::Path;
use std::process::ExitCode;

use powerlist::config::Settings;

use super::to_stdout;

pub(super) fn run(catalogue: Option<&Path>) -> anyhow::Result<ExitCode> {
    let settings = match catalogue {
        Some(dir) => Settings::load(dir)?,
        None => Settings::default(),
    };
    let text = powerlist::model::schema::render(&settings);
    to_stdout(&mut |w| Ok(w.write_all(text.as_bytes())?))?;
    Ok(ExitCode::SUCCESS)
}
