//! powerlist: check and publish administrative power lists (权力清单).
//!
//! Data flows one way: `load` reads a catalogue folder into `model::Power`s with
//! spans, `rules::check` turns them into `diag::Diagnostic`s, and `report` writes
//! those for people and CI; `render` and `build` publish what passed.

pub mod build;
pub mod config;
pub mod diag;
pub mod duration;
pub mod graph;
pub mod import;
pub mod load;
pub mod model;
pub mod new;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;

use std::path::Path;

pub use diag::{Diagnostic, Severity};
pub use load::Catalogue;
pub use rules::Rule;

/// Loads a catalogue with its settings and runs every rule on it.
pub fn check_catalogue(root: &Path) -> anyhow::Result<(Catalogue, Vec<Diagnostic>)> {
    let (_, cat, diags) = load_and_check(root)?;
    Ok((cat, diags))
}

/// As `check_catalogue`, keeping the settings for what comes after (build, export).
pub fn load_and_check(
    root: &Path,
) -> anyhow::Result<(config::Settings, Catalogue, Vec<Diagnostic>)> {
    let settings = config::Settings::load(root)?;
    let cat = load::load_catalogue(root)?;
    let diags = rules::check(&cat, &settings);
    Ok((settings, cat, diags))
}
