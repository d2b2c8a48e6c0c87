//! What publishing reads: the catalogue checked in one pass, each power's
//! category written canonically, and of each power only its table row, JSON
//! record and chart size kept.

use std::path::Path;

use super::files::Held;
use crate::check::Texts;
use crate::config::Settings;
use crate::load::Catalogue;
use crate::model::columns::Row;
use crate::model::Power;
use crate::render::{svg, table};

/// Writes the category by its canonical name (`XK` becomes 行政许可), so that
/// grouping and tables see one spelling. Runs after `check`, before rendering.
pub fn normalise(p: &mut Power, settings: &Settings) {
    if let Some(c) = &mut p.category {
        if let Some(name) = settings.category(&c.value) {
            c.value = name.to_string();
        }
    }
}

/// What publishing needs of a power once it has been read, checked and drawn:
/// its table row and JSON record. Small, so that a provincial list fits in memory.
#[derive(Debug)]
pub struct Listed {
    pub public: bool,
    /// Position of its category in the category list (table order).
    pub rank: usize,
    pub code: String,
    /// The 职权目录 row; 序号 is set once the table is ordered.
    pub row: Row,
    pub reason: String,
    /// The `catalogue.json` record (without its number), when asked for.
    pub json: String,
    /// The flowchart's size and cuts, once drawn (for the printed book).
    pub chart: Option<svg::ChartSize>,
    /// What its published flowchart lacks (`gate::lacks`); empty for a
    /// non-public power, which the public site never shows.
    pub lacks: Vec<String>,
    /// Its file, by its path in the catalogue.
    pub file: String,
}

impl Listed {
    pub(super) fn of(
        file: &str,
        p: &Power,
        settings: &Settings,
        json: bool,
        chart: Option<svg::ChartSize>,
        row: Row,
    ) -> Listed {
        let json = if json {
            table::json_item(p, &row)
        } else {
            String::new()
        };
        let public = p.is_public();
        let category = p.category.as_ref().map_or("", |c| c.value.as_str());
        Listed {
            public,
            lacks: if public {
                super::gate::lacks(p, &settings.config.publish)
            } else {
                Vec::new()
            },
            file: file.to_string(),
            rank: settings
                .categories
                .iter()
                .position(|(n, _)| n == category)
                .unwrap_or(usize::MAX),
            code: p.code().to_string(),
            row,
            reason: p
                .disclosure
                .as_ref()
                .and_then(|d| d.value.reason.as_ref())
                .map_or(String::new(), |r| r.value.clone()),
            json,
            chart,
        }
    }
}

/// A catalogue checked, with what publishing needs of each power that parsed.
pub struct Prepared {
    pub cat: Catalogue,
    pub diags: Vec<crate::diag::Diagnostic>,
    pub listed: Vec<Box<Listed>>,
}

impl Prepared {
    pub fn errors(&self) -> usize {
        self.diags
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .count()
    }

    /// The files still holding a 【待填写】 mark: drafts, never published (SPEC §4).
    pub fn drafts(&self) -> Vec<&str> {
        let mut files: Vec<&str> = self
            .diags
            .iter()
            .filter(|d| d.rule == crate::diag::rules::Rule::Placeholder)
            .map(|d| d.file.as_str())
            .collect();
        files.dedup();
        files
    }

    /// The public powers whose flowchart lacks what publishing asks
    /// (`gate`), with what each lacks, in file order.
    pub fn ungated(&self) -> Vec<super::gate::Held<'_>> {
        let mut out: Vec<super::gate::Held<'_>> = self
            .listed
            .iter()
            .filter(|l| !l.lacks.is_empty())
            .map(|l| super::gate::Held {
                file: &l.file,
                code: &l.code,
                lacks: &l.lacks,
            })
            .collect();
        out.sort_by(|a, b| a.file.cmp(b.file));
        out
    }

    /// Whether publishing must stop: an error, a draft, or a power the gate holds back.
    pub fn refused(&self) -> bool {
        self.errors() > 0 || !self.drafts().is_empty() || !self.ungated().is_empty()
    }
}

/// Draws a power as it is read; returns its public chart's size.
/// It is given the power's table row, made once for the page and every list.
pub(super) type Draw<'a> =
    dyn Fn(&Power, &Row) -> anyhow::Result<Option<svg::ChartSize>> + Sync + 'a;

/// Reads and checks the catalogue in one pass; each power is handed to `each`
/// (which may draw it) and then dropped, so memory stays flat.
pub(super) fn prepare_with(
    root: &Path,
    settings: &Settings,
    texts: crate::check::Texts,
    json: bool,
    records: Option<&Held>,
    each: &Draw<'_>,
) -> anyhow::Result<Prepared> {
    // Each power's part is boxed where it is made: a provincial list's
    // results are moved a pointer at a time, not a kilobyte.
    let keep = |file: &str, p: &mut Power, clean: bool| -> anyhow::Result<Box<Listed>> {
        normalise(p, settings);
        // A power with errors stops the build anyway: it is never drawn (its
        // graph may be anything, e.g. thousands of steps).
        let row = table::row(p);
        let chart = if clean { each(p, &row)? } else { None };
        let mut listed = Listed::of(file, p, settings, json, chart, row);
        // Its JSON record is held (`records`) until the list is written, when asked.
        if let Some(held) = records.filter(|_| json && crate::model::valid_code(&listed.code)) {
            held.put(&record_file(&listed.code), std::mem::take(&mut listed.json))?;
        }
        Ok(Box::new(listed))
    };
    let (cat, diags, kept) = crate::check::check_streaming(root, settings, texts, &keep)?;
    let listed = kept
        .into_iter()
        .flatten()
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Prepared { cat, diags, listed })
}

/// Checks the catalogue, keeping each power's table row (for `export`).
pub fn prepare(root: &Path, settings: &Settings, json: bool) -> anyhow::Result<Prepared> {
    prepare_with(root, settings, Texts::Reported, json, None, &|_, _| {
        Ok(None)
    })
}

/// The name a power's `catalogue.json` record is held under (`prepare_with`'s
/// `records`) until the list is written.
pub(super) fn record_file(code: &str) -> String {
    format!("{code}.json")
}
