//! `powerlist new`: a power that starts from the standard procedure of its
//! category in law (`crate::procedure`), with roles set and the facts the
//! officer must supply marked 【待填写】 (the `placeholder` rule lists each one
//! until it is filled).

use crate::law::procedure::Procedure;
use crate::writer::{render, Facts, Mode};

/// The facts of `new` for a category: the procedure's defaults, the rest unknown.
pub fn new_facts(code: String, name: String, category: String, proc: &Procedure) -> Facts {
    Facts {
        code,
        name,
        source: Some("法定".into()),
        statutory: proc.statutory.clone(),
        promised: proc.promised.clone(),
        scope: Some("社会公开".into()),
        channels: vec!["政府网站".into(), "政务公开栏".into()],
        rights: proc.rights.clone(),
        category,
        ..Facts::default()
    }
}

/// The YAML text `new` writes for a power of `category` (canonical name).
pub fn new_power(code: String, name: String, category: String, proc: &Procedure) -> String {
    render(&new_facts(code, name, category, proc), proc, Mode::New)
}
