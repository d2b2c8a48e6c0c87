//! `powerlist new`: a power that starts from the standard procedure of its
//! category in law (`crate::law::procedure`), with roles set and the facts the
//! officer must supply marked 【待填写】 (the `placeholder` rule lists each one
//! until it is filled); the category, code and name checked first.

use anyhow::bail;

use super::yaml::{render, Facts, Mode};
use crate::config::Settings;
use crate::law::procedure::{BasisText, Procedure};
use crate::law::registry::Registry;
use crate::load::suggest;
use crate::model::valid_code;

/// What `new` is asked for, checked before anything is written: the category
/// (a name or code the settings know, given back by its canonical name), the
/// code (usable as a file name) and a name.
pub fn validate<'a>(
    settings: &'a Settings,
    category: &str,
    code: &str,
    name: &str,
) -> anyhow::Result<&'a str> {
    let Some(canonical) = settings.category(category) else {
        let names: Vec<&str> = settings
            .categories
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        let hint = suggest::did_you_mean(category, names.iter().copied());
        bail!(
            "未知的职权类别 `{category}`{hint}{}可选：{}",
            suggest::then(&hint),
            names.join(" ")
        );
    };
    if !valid_code(code) {
        bail!("权力编码 `{code}` 无效：只能使用字母、数字、`-`、`_`，最长 64 位 (bad code)");
    }
    if name.trim().is_empty() {
        bail!("职权名称不能为空 (the name is empty)");
    }
    Ok(canonical)
}

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

/// The YAML text `new` writes for a power of `category` (canonical name),
/// resting on `basis` (law, article) when given: what the law library knows of
/// it — level, the article's current wording — is filled in.
pub fn new_power(
    code: String,
    name: String,
    category: String,
    proc: &Procedure,
    basis: Option<(String, Option<String>)>,
    laws: &Registry,
) -> String {
    let mut facts = new_facts(code, name, category, proc);
    if let Some((law, article)) = basis {
        let mut b = BasisText {
            law,
            article,
            ..BasisText::default()
        };
        crate::law::lookup::fill(&mut b, laws);
        facts.basis.push(b);
    }
    render(&facts, proc, Mode::New)
}
