//! Integration tests: every rule on its fixtures, and the CLI end to end on real folders.
#![allow(clippy::disallowed_macros)]

mod architecture;
mod authoring;
mod browser;
mod build;
mod cache;
mod chinese;
mod cli;
mod diff;
mod differential;
mod firstday;
mod layout;
mod property;
mod render;
mod rules;
mod serve;
mod workbook;

use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}
