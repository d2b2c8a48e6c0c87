//! Rendering what `check` accepted: no validation here, only output formats.

pub mod dot;
