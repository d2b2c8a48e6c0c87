//! Law: the law library (every national law and regulation, with its texts),
//! the registry of facts laid over it, how a basis cites a law, the `laws`
//! listing of what a catalogue cites, the `law` lookups, and each category's
//! standard procedure in law.

pub mod cite;
pub mod library;
pub mod listing;
pub mod lookup;
pub mod markdown;
pub mod procedure;
pub mod registry;
pub mod wording;
