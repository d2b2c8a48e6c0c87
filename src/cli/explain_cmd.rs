//! `powerlist explain`: one rule's explanation from the rule table, or every
//! rule with its summary.

use std::process::ExitCode;

use anyhow::bail;
use powerlist::load::suggest;
use powerlist::Rule;

use super::to_stdout;

pub(super) fn run(rule: Option<&str>) -> anyhow::Result<ExitCode> {
    let text = match rule {
        None => Rule::ALL
            .iter()
            .map(|r| format!("{:<26} {}\n", r.name(), r.doc().summary))
            .collect(),
        Some(name) => match Rule::from_name(name) {
            Some(r) => r.explain(),
            None => bail!(
                "未知规则 `{name}`{}（`powerlist explain` 列出全部规则）",
                suggest::did_you_mean(name, Rule::names())
            ),
        },
    };
    to_stdout(&mut |w| Ok(w.write_all(text.as_bytes())?))?;
    Ok(ExitCode::SUCCESS)
}
