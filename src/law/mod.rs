//! Law: the law registry, how a basis cites a law, the `laws` listing of what a
//! catalogue cites, and each category's standard procedure in law.

pub mod cite;
pub mod listing;
pub mod procedure;
pub mod registry;
