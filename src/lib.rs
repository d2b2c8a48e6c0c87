//! powerlist: check and publish administrative power lists (权力清单).
//!
//! Data flows one way: `load` reads a catalogue folder into `model::Power`s with
//! spans, `rules` turns them into `diag::Diagnostic`s (`check` runs both, in one
//! pass when streaming), and `report` writes those for people and CI; `render`
//! and `publish` publish what passed. `law` knows the laws cited, `authoring`
//! writes new powers. This file is the module list and its re-exports only.

pub mod authoring;
pub mod check;
pub mod config;
pub mod diag;
pub mod diff;
pub mod law;
pub mod load;
pub mod model;
pub mod publish;
pub mod render;
pub mod report;
pub mod rules;

pub use check::{check_cached, check_catalogue, check_one, check_streaming};
pub use diag::rules::Rule;
pub use diag::{Diagnostic, Severity};
pub use load::Catalogue;
