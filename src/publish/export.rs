//! The 职权目录 table of the public powers, in table order, as `export` writes
//! it (CSV, XLSX, JSON) and as the site carries it.

use super::prepare::{Listed, Prepared};
use crate::config::Settings;
use crate::model::columns::{Column, Row};
use crate::render::table;

/// Public or non-public powers in table order: by category, then code.
pub(super) fn ordered(listed: &[Box<Listed>], public: bool) -> Vec<&Listed> {
    let mut out: Vec<&Listed> = listed
        .iter()
        .map(|l| &**l)
        .filter(|l| l.public == public)
        .collect();
    out.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.code.cmp(&b.code)));
    out
}

/// The positions in `listed` of its public (or non-public) powers, in table
/// order (`ordered`).
pub(super) fn order_of(listed: &[Box<Listed>], public: bool) -> Vec<usize> {
    let mut out: Vec<usize> = (0..listed.len())
        .filter(|&i| listed[i].public == public)
        .collect();
    out.sort_by(|&a, &b| {
        let (a, b) = (&listed[a], &listed[b]);
        a.rank.cmp(&b.rank).then(a.code.cmp(&b.code))
    });
    out
}

/// The rows at `order` numbered from 1, moved out of `listed` (which keeps
/// the rest of each power): a provincial list's rows are not copied.
pub(super) fn take_numbered(listed: &mut [Box<Listed>], order: &[usize]) -> Vec<Row> {
    order
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            let mut row = std::mem::take(&mut listed[k].row);
            row[Column::No] = (i + 1).to_string();
            row
        })
        .collect()
}

pub(super) fn numbered_rows(list: &[&Listed]) -> Vec<Row> {
    list.iter()
        .enumerate()
        .map(|(i, l)| {
            let mut row = l.row.clone();
            row[Column::No] = (i + 1).to_string();
            row
        })
        .collect()
}

pub(super) fn write_json(
    title: &str,
    list: &[&Listed],
    records: Option<&super::files::Held>,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    out.write_all(table::json_open(title, list.len()).as_bytes())?;
    for (i, l) in list.iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        // A record held while the list was read is taken now, as the bytes
        // it was held as (it was a `String`, and is written as it is).
        let kept;
        let record = match records.filter(|_| l.json.is_empty()) {
            Some(held) => {
                kept = held.take_bytes(&super::prepare::record_file(&l.code))?;
                &kept[..]
            }
            None => l.json.as_bytes(),
        };
        table::write_numbered(out, i + 1, record)?;
    }
    out.write_all(table::JSON_CLOSE.as_bytes())?;
    Ok(())
}

/// How `export` writes the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
}

/// The table's layout from the settings: title rows and `[export.columns]`.
pub(super) fn sheet(settings: &Settings) -> table::Sheet {
    let c = &settings.config;
    table::Sheet {
        title: title(settings),
        organisation: c.organisation.clone().unwrap_or_default(),
        published: c.published.clone(),
        approval: c.approval.clone(),
        paper: c.paper,
        // Checked when the settings were read.
        columns: crate::config::export_columns(&c.export).unwrap_or_default(),
    }
}

pub(super) fn title(settings: &Settings) -> String {
    settings
        .config
        .title
        .clone()
        .unwrap_or_else(|| "行政职权目录".to_string())
}

/// The public 职权目录 table in one format, written to `out`.
pub fn export(
    prepared: &Prepared,
    settings: &Settings,
    format: Format,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let public = ordered(&prepared.listed, true);
    match format {
        Format::Csv => out.write_all(&table::csv(&numbered_rows(&public), &sheet(settings))?)?,
        Format::Xlsx => out.write_all(&table::xlsx(&numbered_rows(&public), &sheet(settings))?)?,
        Format::Json => write_json(&title(settings), &public, None, out)?,
    }
    Ok(())
}
