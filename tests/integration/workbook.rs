//! The workbook as it prints (issue 24, item 3): read back from the xlsx's own
//! XML — column widths, fonts, paper, margins and fit to one page wide — its
//! smallest text prints at 7 pt or more, no row needs more than Excel's 409 pt,
//! a cell too long for its row is whole in the 附表, and dates read 2026年12月1日.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;

use crate::build::{copy_dir, shipped};
use crate::cli::{code, powerlist, stderr};

/// Excel's highest row, in points.
const MAX_ROW_PT: f64 = 409.0;

/// Every part of an xlsx: name → text.
fn parts(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("xlsx is a zip");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        out.insert(f.name().to_string(), text);
    }
    out
}

fn attr<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute(name)
}

fn num(n: roxmltree::Node, name: &str) -> Option<f64> {
    attr(n, name).map(|v| v.parse().unwrap())
}

/// A cell's style: its font size and whether it wraps.
#[derive(Clone, Copy, Debug)]
struct Style {
    size: f64,
    wrap: bool,
}

/// One worksheet as it prints.
#[derive(Debug)]
struct Printed {
    name: String,
    /// Fitted one page wide on its paper: the scale, and the smallest font used.
    scale: f64,
    smallest_pt: f64,
    /// Cells: (row, column) → (text, style); column widths in pixels.
    cells: BTreeMap<(u32, u32), (String, Style)>,
    widths: BTreeMap<u32, f64>,
    /// Rows' written heights, in points.
    heights: BTreeMap<u32, f64>,
}

/// "AB12" → (row 12, column 28), both from 1.
fn cell_ref(r: &str) -> (u32, u32) {
    let letters: String = r.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let col = letters
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1));
    (r[letters.len()..].parse().unwrap(), col)
}

fn styles(xml: &str) -> Vec<Style> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let el = |name: &str| doc.descendants().find(|n| n.has_tag_name(name)).unwrap();
    let fonts: Vec<f64> = el("fonts")
        .children()
        .filter(|n| n.has_tag_name("font"))
        .map(|f| {
            f.children()
                .find(|n| n.has_tag_name("sz"))
                .and_then(|s| num(s, "val"))
                .expect("every font has a size")
        })
        .collect();
    el("cellXfs")
        .children()
        .filter(|n| n.has_tag_name("xf"))
        .map(|xf| Style {
            size: fonts[num(xf, "fontId").unwrap_or(0.0) as usize],
            wrap: xf
                .children()
                .find(|n| n.has_tag_name("alignment"))
                .is_some_and(|a| attr(a, "wrapText") == Some("1")),
        })
        .collect()
}

fn shared_strings(xml: Option<&String>) -> Vec<String> {
    let Some(xml) = xml else { return Vec::new() };
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name("si"))
        .map(|si| {
            si.descendants()
                .filter(|n| n.has_tag_name("t"))
                .filter_map(|t| t.text())
                .collect()
        })
        .collect()
}

/// The page's width across, in inches, from `paperSize` and `orientation`.
fn paper_width_in(setup: roxmltree::Node) -> f64 {
    let (short, long) = match attr(setup, "paperSize").unwrap_or("1") {
        "9" => (210.0, 297.0),
        "8" => (297.0, 420.0),
        other => panic!("paper {other}"),
    };
    let across = if attr(setup, "orientation") == Some("landscape") {
        long
    } else {
        short
    };
    across / 25.4
}

fn worksheet(name: &str, xml: &str, styles: &[Style], strings: &[String]) -> Printed {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let el = |tag: &str| doc.descendants().find(|n| n.has_tag_name(tag));
    let mut cells = BTreeMap::new();
    for c in doc.descendants().filter(|n| n.has_tag_name("c")) {
        let at = cell_ref(attr(c, "r").unwrap());
        let style = styles[num(c, "s").unwrap_or(0.0) as usize];
        let value = c
            .children()
            .find(|n| n.has_tag_name("v"))
            .and_then(|v| v.text());
        let text = match (attr(c, "t"), value) {
            (Some("s"), Some(i)) => strings[i.parse::<usize>().unwrap()].clone(),
            (_, Some(v)) => v.to_string(),
            (_, None) => continue,
        };
        cells.insert(at, (text, style));
    }
    // Column widths: Excel's character widths of the 7-pixel digit.
    let mut widths = BTreeMap::new();
    for col in doc.descendants().filter(|n| n.has_tag_name("col")) {
        let px = (num(col, "width").unwrap() * 7.0).round();
        for i in num(col, "min").unwrap() as u32..=num(col, "max").unwrap() as u32 {
            widths.insert(i, px);
        }
    }
    let default_px = 64.0;
    let last_col = cells.keys().map(|k| k.1).max().unwrap();
    let total: f64 = (1..=last_col)
        .map(|c| widths.get(&c).copied().unwrap_or(default_px))
        .sum();
    let margins = el("pageMargins").expect("margins");
    let setup = el("pageSetup").expect("page setup");
    let printable =
        (paper_width_in(setup) - num(margins, "left").unwrap() - num(margins, "right").unwrap())
            * 96.0;
    let fit = el("pageSetUpPr").is_some_and(|p| attr(p, "fitToPage") == Some("1"));
    let scale = if fit {
        assert_eq!(
            num(setup, "fitToWidth").unwrap_or(1.0),
            1.0,
            "one page wide"
        );
        assert_eq!(
            num(setup, "fitToHeight"),
            Some(0.0),
            "as many pages tall as it takes"
        );
        // Excel fits in whole percents, never above 100 %.
        (100.0 * printable / total).floor().min(100.0) / 100.0
    } else {
        num(setup, "scale").unwrap_or(100.0) / 100.0
    };
    let smallest_pt = cells.values().map(|(_, s)| s.size).fold(f64::MAX, f64::min);
    let heights = doc
        .descendants()
        .filter(|n| n.has_tag_name("row"))
        .filter_map(|r| Some((num(r, "r")? as u32, num(r, "ht")?)))
        .collect();
    Printed {
        name: name.to_string(),
        scale,
        smallest_pt,
        cells,
        widths,
        heights,
    }
}

/// Every worksheet of a workbook, in order, by its name.
fn workbook(bytes: &[u8]) -> Vec<Printed> {
    let parts = parts(bytes);
    let styles = styles(&parts["xl/styles.xml"]);
    let strings = shared_strings(parts.get("xl/sharedStrings.xml"));
    let book = roxmltree::Document::parse(&parts["xl/workbook.xml"]).unwrap();
    let rels = roxmltree::Document::parse(&parts["xl/_rels/workbook.xml.rels"]).unwrap();
    book.descendants()
        .filter(|n| n.has_tag_name("sheet"))
        .map(|s| {
            let id = s.attributes().find(|a| a.name() == "id").unwrap().value();
            let target = rels
                .descendants()
                .find(|r| attr(*r, "Id") == Some(id))
                .and_then(|r| attr(r, "Target"))
                .unwrap();
            let name = attr(s, "name").unwrap();
            worksheet(name, &parts[&format!("xl/{target}")], &styles, &strings)
        })
        .collect()
}

/// The lines a wrapped cell `px` wide takes for `text` at `size` pt in 宋体:
/// full-width characters one em, ASCII half; 8 px of the cell are padding.
fn lines(text: &str, px: f64, size: f64) -> usize {
    let em = size * 96.0 / 72.0;
    let room = ((2.0 * (px - 8.0) / em).floor() as usize).max(2);
    text.split('\n')
        .map(|line| {
            let (mut n, mut used) = (1, 0);
            for c in line.chars() {
                let w = if c.is_ascii() { 1 } else { 2 };
                if used + w > room {
                    n += 1;
                    used = w;
                } else {
                    used += w;
                }
            }
            n
        })
        .sum()
}

fn export(cat: &Path, format: &str, out: &Path) {
    let o = powerlist(&[
        "export",
        cat.to_str().unwrap(),
        "--format",
        format,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

/// The shipped catalogue with `settings` added to its powerlist.toml (before
/// `[rules]`), exported as xlsx and csv.
fn exported(tmp: &Path, name: &str, settings: &str) -> (Vec<u8>, Vec<Vec<String>>) {
    let cat = tmp.join(name);
    copy_dir(&shipped(), &cat);
    let file = cat.join("powerlist.toml");
    let toml = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        toml.replacen("[rules]", &format!("{settings}\n[rules]"), 1),
    )
    .unwrap();
    let (xlsx, csv) = (
        tmp.join(format!("{name}.xlsx")),
        tmp.join(format!("{name}.csv")),
    );
    export(&cat, "xlsx", &xlsx);
    export(&cat, "csv", &csv);
    let bytes = std::fs::read(&csv).unwrap();
    let rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (std::fs::read(&xlsx).unwrap(), rows)
}

const LAYOUTS: &[(&str, &str)] = &[
    ("职权目录", ""),
    ("权责清单", "[export]\nlayout = \"权责清单\"\n"),
    ("职权目录-A3", "paper = \"A3\"\n"),
];

#[test]
fn the_workbook_prints_at_seven_points_or_more_on_its_paper() {
    let tmp = tempfile::tempdir().unwrap();
    for (layout, settings) in LAYOUTS {
        let (xlsx, _) = exported(tmp.path(), layout, settings);
        let sheets = workbook(&xlsx);
        assert_eq!(sheets[0].name, "职权目录");
        for sheet in &sheets {
            let printed = sheet.smallest_pt * sheet.scale;
            eprintln!(
                "{layout} / {}: {:.0} % → smallest text {printed:.1} pt",
                sheet.name,
                sheet.scale * 100.0
            );
            assert!(
                printed >= 7.0,
                "{layout} / {}: the smallest text ({} pt) prints at {printed:.1} pt ({:.0} %)",
                sheet.name,
                sheet.smallest_pt,
                sheet.scale * 100.0
            );
        }
    }
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text the 附表 holds for the 职权目录 cell at (`row`, `col`): its parts,
/// by the row's 序号 and the column's header, joined.
fn held(main: &Printed, appendix: Option<&Printed>, row: u32, col: u32) -> Option<String> {
    let appendix = appendix?;
    let no = &main.cells.get(&(row, 1))?.0;
    let header = &main.cells[&(3, col)].0;
    let parts: Vec<&str> = (4..)
        .map_while(|r| appendix.cells.get(&(r, 1)).map(|_| r))
        .filter(|r| {
            appendix.cells.get(&(*r, 2)).map(|c| &c.0) == Some(no)
                && appendix.cells.get(&(*r, 4)).map(|c| &c.0) == Some(header)
        })
        .map(|r| appendix.cells[&(r, 5)].0.as_str())
        .collect();
    (!parts.is_empty()).then(|| parts.concat())
}

/// Every row has its height written (LibreOffice does not fit rows to wrapped
/// text), never above Excel's 409 pt, and tall enough for its text — but for
/// a cell the 附表 prints whole.
#[test]
fn no_row_of_the_workbook_needs_more_than_excels_409_points() {
    let tmp = tempfile::tempdir().unwrap();
    for (layout, settings) in LAYOUTS {
        let (xlsx, _) = exported(tmp.path(), layout, settings);
        let sheets = workbook(&xlsx);
        for sheet in &sheets {
            for (row, ht) in &sheet.heights {
                assert!(
                    *ht <= MAX_ROW_PT,
                    "{layout} / {} row {row}: {ht} pt",
                    sheet.name
                );
            }
            for (&(r, c), (text, style)) in &sheet.cells {
                if r < 3 {
                    continue;
                }
                let ht = *sheet.heights.get(&r).expect("the row's height is written");
                let px = sheet.widths[&c];
                let n = lines(text, px, style.size);
                assert!(
                    n == 1 || style.wrap,
                    "{layout} / {} row {r} column {c}: {n} lines of text that does not wrap",
                    sheet.name
                );
                let needed = n as f64 * style.size * 1.4 + 3.0;
                if needed <= ht {
                    continue;
                }
                assert_eq!(
                    sheet.name, "职权目录",
                    "{layout}: a 附表 row is never cut: {text}"
                );
                assert!(
                    held(sheet, sheets.get(1), r, c).is_some(),
                    "{layout}: row {r} needs {needed:.0} pt, has {ht} pt, and the 附表 lacks it"
                );
            }
        }
    }
}

/// A cell the 职权目录 sheet cuts off is whole in its cell (`import` reads it
/// back) and whole in the 附表 (a reader of the paper finds it there).
#[test]
fn a_cell_too_long_for_its_row_is_whole_in_the_appendix() {
    let tmp = tempfile::tempdir().unwrap();
    for (layout, settings) in LAYOUTS {
        let (xlsx, csv) = exported(tmp.path(), layout, settings);
        let sheets = workbook(&xlsx);
        let main = &sheets[0];
        let mut cut = 0;
        for (&(r, c), (text, style)) in &main.cells {
            if r < 4 {
                continue;
            }
            assert_eq!(
                text,
                &csv[r as usize - 3][c as usize - 1],
                "whole in its cell"
            );
            let needed = lines(text, main.widths[&c], style.size) as f64 * style.size * 1.4 + 3.0;
            if needed > main.heights[&r] {
                cut += 1;
                let whole = held(main, sheets.get(1), r, c).expect("in the 附表");
                assert_eq!(squash(&whole), squash(text), "{layout}: row {r} column {c}");
            }
        }
        assert!(cut > 0, "{layout}: the shipped 依据 are longer than a row");
        assert_eq!(sheets.len(), 2, "{layout}");
        assert!(
            main.cells[&(2, 1)].0.contains("全文见附表"),
            "the paper says where"
        );
    }
}

#[test]
fn the_workbook_dates_its_list_as_an_office_writes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (xlsx, _) = exported(tmp.path(), "dated", "published = \"2026-12-01\"\n");
    let main = &workbook(&xlsx)[0];
    let byline = &main.cells[&(2, 1)].0;
    assert!(byline.contains("公开日期：2026年12月1日"), "{byline}");
    assert!(!byline.contains("2026-12-01"), "{byline}");
}

/// Excel refuses (offers to repair) a sheet whose rows are out of order or
/// repeated: each `<row>` of every sheet comes after the one before it, and
/// every cell sits in its own row.
#[test]
fn every_sheet_has_each_row_once_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let mut sheets = 0;
    for (layout, settings) in LAYOUTS {
        let (xlsx, _) = exported(tmp.path(), layout, settings);
        for (name, text) in parts(&xlsx) {
            if !name.starts_with("xl/worksheets/sheet") {
                continue;
            }
            sheets += 1;
            let doc = roxmltree::Document::parse(&text).unwrap();
            let mut last = 0;
            for row in doc.descendants().filter(|n| n.has_tag_name("row")) {
                let r: u32 = num(row, "r").unwrap() as u32;
                assert!(r > last, "{layout} {name}: row {r} after row {last}");
                last = r;
                for c in row.children().filter(|n| n.has_tag_name("c")) {
                    let (cr, _) = cell_ref(attr(c, "r").unwrap());
                    assert_eq!(cr, r, "{layout} {name}: a cell of row {cr} in row {r}");
                }
            }
            assert!(last > 3, "{layout} {name}: {last} rows");
        }
    }
    assert!(sheets >= LAYOUTS.len(), "{sheets} sheets");
}
