//! `powerlist laws`: the laws a catalogue cites (`law::listing`), narrowed to one by `--law`.

use std::path::Path;
use std::process::ExitCode;

use powerlist::config::Settings;
use powerlist::law::listing;

use super::to_stdout;

pub(super) fn run(
    catalogue: &Path,
    law: Option<&str>,
    format: listing::Format,
    internal: bool,
) -> anyhow::Result<ExitCode> {
    let settings = Settings::load(catalogue)?;
    let cat = powerlist::load::load_catalogue(catalogue)?;
    let mut list = listing::list(cat.powers().map(|(_, p)| p), &settings.laws, internal);
    if let Some(name) = law {
        list = listing::only(list, name, &settings.laws)?;
    }
    to_stdout(&mut |w| listing::write(w, &list, format))?;
    Ok(ExitCode::SUCCESS)
}
