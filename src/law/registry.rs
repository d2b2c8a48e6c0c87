//! The law registry (SPEC §5.1): what powerlist knows of the laws a power list
//! cites — level, whether procedural, current version, number of articles,
//! repeal, clauses removed — each fact with its source. `data/laws.toml` is
//! embedded; a catalogue's own `laws.toml` adds laws or replaces one by name.

use std::collections::HashMap;
use std::sync::LazyLock;

use anyhow::{bail, Context as _};
use serde::Deserialize;

use super::cite::key;
use crate::model::LawLevel;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    law: Vec<Law>,
}

/// One law as the registry records it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Law {
    pub name: String,
    /// Other names it is cited by (besides the name without 中华人民共和国).
    #[serde(default)]
    pub aliases: Vec<String>,
    pub level: Option<LawLevel>,
    /// Governs how a power is used (行政许可法 …); never creates one.
    #[serde(default)]
    pub procedural: bool,
    /// The 文号 under which the current text is cited (the order that
    /// promulgated it, and orders that amended it without a new text).
    #[serde(default)]
    pub doc_nos: Vec<String>,
    /// When the current text came into force.
    pub in_force: Option<String>,
    /// How many articles the current text has.
    pub articles: Option<u32>,
    /// 文号 of earlier texts, replaced by a revision: citing one is outdated.
    #[serde(default)]
    pub outdated_doc_nos: Vec<String>,
    pub repealed: Option<Repeal>,
    #[serde(default)]
    pub removed: Vec<Removed>,
    /// Where the facts above come from (the law's text, the order, the decision).
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repeal {
    pub date: String,
    pub by: String,
    pub source: String,
}

/// A clause deleted or renumbered by a revision.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Removed {
    /// The article (and paragraph) as the old text numbered it: 第二十条第二款.
    pub article: String,
    /// The revision that removed it (its 文号).
    pub by: String,
    /// The removed wording, or a part of it that a quotation would contain.
    pub text: Option<String>,
    pub source: String,
}

/// The registry: laws by every name they are cited by.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    laws: Vec<Law>,
    by_key: HashMap<String, usize>,
}

static BUILTIN: LazyLock<Registry> = LazyLock::new(|| {
    // Checked by a unit test: the embedded file always parses.
    Registry::parse(include_str!("../../data/laws.toml")).unwrap_or_default()
});

impl Registry {
    /// The registry shipped with powerlist.
    pub fn builtin() -> Registry {
        BUILTIN.clone()
    }

    pub fn parse(text: &str) -> anyhow::Result<Registry> {
        let file: File = toml::from_str(text).context("法规库格式错误")?;
        let mut r = Registry::default();
        for law in file.law {
            r.add(law)?;
        }
        Ok(r)
    }

    /// Adds a law, or replaces the one of the same name (a catalogue's correction).
    fn add(&mut self, law: Law) -> anyhow::Result<()> {
        for date in law
            .in_force
            .iter()
            .chain(law.repealed.as_ref().map(|r| &r.date))
        {
            if date.parse::<jiff::civil::Date>().is_err() {
                bail!("《{}》：日期 `{date}` 应写作 YYYY-MM-DD", law.name);
            }
        }
        let at = match self.by_key.get(&key(&law.name)) {
            Some(&i) => {
                self.laws[i] = law.clone();
                i
            }
            None => {
                self.laws.push(law.clone());
                self.laws.len() - 1
            }
        };
        for name in std::iter::once(&law.name).chain(&law.aliases) {
            self.by_key.insert(key(name), at);
        }
        Ok(())
    }

    /// This registry extended or corrected by another (a catalogue's `laws.toml`).
    pub fn extend(&mut self, text: &str) -> anyhow::Result<()> {
        let other = Registry::parse(text)?;
        for law in other.laws {
            self.add(law)?;
        }
        Ok(())
    }

    pub fn find(&self, name: &str) -> Option<&Law> {
        self.by_key.get(&key(name)).map(|&i| &self.laws[i])
    }

    pub fn laws(&self) -> &[Law] {
        &self.laws
    }
}

/// A law's standing as a basis cites it (worst last: a law cited both ways
/// takes the worse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Current,
    Outdated,
    Repealed,
    Unknown,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Current => "现行有效",
            Status::Outdated => "引用了已被修订的旧文本",
            Status::Repealed => "已废止",
            Status::Unknown => "法规库中没有",
        }
    }
}

/// The standing of `law` (if the registry knows it) as cited with `doc_no`.
pub fn status(law: Option<&Law>, doc_no: Option<&str>) -> Status {
    match law {
        None => Status::Unknown,
        Some(l) if l.repealed.is_some() => Status::Repealed,
        Some(l) if doc_no.is_some_and(|d| l.outdated_doc_nos.iter().any(|o| o == d.trim())) => {
            Status::Outdated
        }
        Some(_) => Status::Current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::cite::article_number;

    /// The shipped registry: parses; every date is a date and ordered (a
    /// repeal after the law came into force); article counts positive; no
    /// name or alias names two laws; every law and repeal says its source.
    #[test]
    fn the_shipped_registry_is_consistent() {
        let text = include_str!("../../data/laws.toml");
        let r = Registry::parse(text).expect("data/laws.toml parses");
        let file: File = toml::from_str(text).unwrap();
        assert!(!r.laws().is_empty());
        let mut names: HashMap<String, &str> = HashMap::new();
        for law in &file.law {
            assert!(!law.source.trim().is_empty(), "{}: no source", law.name);
            assert!(law.articles.is_none_or(|n| n > 0), "{}", law.name);
            for n in std::iter::once(&law.name).chain(&law.aliases) {
                let before = names.insert(key(n), &law.name);
                assert!(
                    before.is_none(),
                    "{n} names {} and {}",
                    before.unwrap_or(""),
                    law.name
                );
            }
            if let Some(rep) = &law.repealed {
                assert!(!rep.source.trim().is_empty());
                assert!(
                    r.find(&rep.by).is_some(),
                    "{}: repealed by an unknown law",
                    law.name
                );
                if let Some(f) = &law.in_force {
                    assert!(f < &rep.date, "{}: in force after its repeal", law.name);
                }
            }
            for rm in &law.removed {
                assert!(!rm.source.trim().is_empty() && article_number(&rm.article).is_some());
            }
            let d = &law.doc_nos;
            assert!(
                law.outdated_doc_nos.iter().all(|o| !d.contains(o)),
                "{}",
                law.name
            );
        }
    }
}
