//! Rendering what `check` accepted: no validation here, only output formats.

pub mod dot;
pub mod layout;
pub mod site;
pub mod svg;
pub mod table;
