//! The `laws` listing (SPEC §6): every law a catalogue cites, with the
//! registry's verdict, the articles cited and the powers citing it — the list a
//! 法制科 needs when a law is revised — narrowed to one law by `--law`.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::bail;

use super::cite::{article_number, key, shown};
use super::registry::{status, Registry, Status};
use crate::model::{Power, PLACEHOLDER};
use crate::report::terminal_safe;

/// One law a catalogue cites.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct Cited {
    pub law: String,
    pub level: Option<String>,
    pub status: Status,
    pub articles: Vec<String>,
    pub powers: Vec<String>,
}

/// Every law the powers cite, by the registry's name (or as cited when the
/// registry does not know it), in name order; non-public powers only when
/// `internal`.
pub fn list<'a>(
    powers: impl Iterator<Item = &'a Power>,
    registry: &Registry,
    internal: bool,
) -> Vec<Cited> {
    struct Acc {
        level: Option<String>,
        status: Status,
        articles: BTreeSet<(u32, String)>,
        powers: BTreeSet<String>,
    }
    let mut by: BTreeMap<String, Acc> = BTreeMap::new();
    for p in powers.filter(|p| internal || p.is_public()) {
        for b in p.cited() {
            let Some(name) = b.value.law.as_ref().map(|l| l.value.trim()) else {
                continue;
            };
            if name.is_empty() || name.contains(PLACEHOLDER) {
                continue;
            }
            let entry = registry.find(name);
            let law = entry.map_or_else(|| shown(name).to_string(), |e| e.name.clone());
            let level = entry
                .and_then(|e| e.level)
                .or(b.value.level.as_ref().map(|l| l.value))
                .map(|l| l.label().to_string());
            let acc = by.entry(law).or_insert(Acc {
                level,
                status: Status::Current,
                articles: BTreeSet::new(),
                powers: BTreeSet::new(),
            });
            acc.status = acc.status.max(status(entry, b.value.doc_no.as_deref()));
            if let Some(a) = &b.value.article {
                let n = article_number(&a.value).unwrap_or(u32::MAX);
                acc.articles.insert((n, a.value.trim().to_string()));
            }
            acc.powers.insert(p.code().to_string());
        }
    }
    by.into_iter()
        .map(|(law, a)| Cited {
            law,
            level: a.level,
            status: a.status,
            articles: a.articles.into_iter().map(|(_, t)| t).collect(),
            powers: a.powers.into_iter().collect(),
        })
        .collect()
}

/// The list narrowed to one law (`--law`), named as cited or by any name the
/// registry knows it by; an error when no power cites it.
pub fn only(mut list: Vec<Cited>, name: &str, registry: &Registry) -> anyhow::Result<Vec<Cited>> {
    let wanted = registry
        .find(name)
        .map_or_else(|| key(name), |l| key(&l.name));
    list.retain(|c| key(&c.law) == wanted);
    if list.is_empty() {
        bail!("目录中没有职权引用《{}》", terminal_safe(&shown(name)));
    }
    Ok(list)
}

/// How `laws` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Csv,
}

/// Writes the list. Names, articles and codes come from the catalogue: shown,
/// not obeyed, on a terminal; defused in the CSV.
pub fn write(out: &mut dyn std::io::Write, list: &[Cited], format: Format) -> anyhow::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, list)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let header = ["法律法规", "效力层级", "状态", "引用条款", "引用职权"].map(String::from);
            let body = list.iter().map(|l| {
                [
                    l.law.clone(),
                    l.level.clone().unwrap_or_default(),
                    l.status.label().to_string(),
                    l.articles.join("、"),
                    l.powers.join("、"),
                ]
            });
            crate::render::table::write_csv(out, std::iter::once(header).chain(body))?;
        }
        Format::Human => {
            for l in list {
                let articles = if l.articles.is_empty() {
                    "（未写明）".to_string()
                } else {
                    l.articles.join("、")
                };
                writeln!(
                    out,
                    "《{}》　{}　{}\n    条款：{}\n    职权：{}",
                    terminal_safe(&l.law),
                    l.level.as_deref().unwrap_or("层级未知"),
                    l.status.label(),
                    terminal_safe(&articles),
                    terminal_safe(&l.powers.join("、"))
                )?;
            }
            let problems = list.iter().filter(|l| l.status != Status::Current).count();
            writeln!(
                out,
                "共引用 {} 部法律法规，其中 {problems} 部需要核对",
                list.len()
            )?;
        }
    }
    Ok(())
}
