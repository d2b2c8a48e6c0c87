//! Publishing what `check` accepted: the site (`build`), the table
//! (`export`), the live preview (`serve`); staging and locks so a failed build
//! never leaves half a site; the one file writer.

pub mod build;
pub mod export;
pub mod files;
pub mod gate;
pub mod prepare;
pub mod serve;
mod staging;
