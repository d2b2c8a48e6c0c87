//! The 职权目录 as a table: CSV (UTF-8 with BOM, for Excel), XLSX and JSON.
//!
//! One row per power, in the order given. The columns are the power-level facts of
//! a 职权目录; risks and supervision belong to steps and are shown with the
//! flowchart (and in `catalogue.json`). The same cell texts feed every format, so
//! a table exported one way reads the same the other way.

use anyhow::Context as _;
use rayon::prelude::*;
use serde::Serialize;

use crate::model::columns::{Column, Row};
use crate::model::{Basis, Power, Role, Sp, StepType};

fn text(s: &Option<Sp<String>>) -> &str {
    s.as_ref().map_or("", |s| s.value.as_str())
}

/// A basis without its text: 《法规》（层级 文号）条款.
fn basis_head(b: &Basis) -> String {
    let mut out = format!("《{}》", text(&b.law));
    let level = b.level.as_ref().map(|l| l.value.label());
    let meta: Vec<&str> = [level, b.doc_no.as_deref()].into_iter().flatten().collect();
    if !meta.is_empty() {
        out.push_str(&format!("（{}）", meta.join(" ")));
    }
    out.push_str(text(&b.article));
    out
}

/// One basis as a line: 《法规》（层级 文号）条款：条文.
pub fn basis_line(b: &Basis) -> String {
    let mut out = basis_head(b);
    if let Some(t) = b
        .text
        .as_ref()
        .map(|t| t.value.as_str())
        .filter(|t| !t.is_empty())
    {
        out.push('：');
        out.push_str(t);
    }
    out
}

/// A complaint channel with its phone, address, e-mail and web address.
pub fn channel_line(c: &crate::model::Complaint) -> String {
    let name = text(&c.channel);
    let extra: Vec<&str> = [
        c.phone.as_deref(),
        c.address.as_deref(),
        c.email.as_deref(),
        c.url.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if extra.is_empty() {
        name.to_string()
    } else {
        format!("{name}（{}）", extra.join("，"))
    }
}

/// The cells of one power's row; 序号 is left empty until the table is ordered.
pub fn row(p: &Power) -> Row {
    let lines = |v: Vec<String>| v.join("\n");
    let fees = if p.fees.is_empty() {
        "不收费".to_string()
    } else {
        lines(
            p.fees
                .iter()
                .map(|f| {
                    let f = &f.value;
                    let mut s = text(&f.item).to_string();
                    if let Some(st) = &f.standard {
                        s.push_str(&format!("：{st}"));
                    }
                    if let Some(b) = &f.basis {
                        s.push_str(&format!("（{b}）"));
                    }
                    s
                })
                .collect(),
        )
    };
    let disclosure = p.disclosure.as_ref().map(|d| &d.value);
    let mut r = Row::empty();
    r[Column::Code] = p.code().to_string();
    r[Column::Name] = p.name().to_string();
    // 行政强制 says which of its two kinds it is (行政强制法第二条), as tables write it.
    r[Column::Category] = match p.coercion.as_ref().and_then(|c| c.value.value()) {
        Some(crate::model::Coercion::Measure) => "行政强制措施".to_string(),
        Some(crate::model::Coercion::Execution) => "行政强制执行".to_string(),
        None => text(&p.category).to_string(),
    };
    r[Column::Department] = text(&p.department).to_string();
    r[Column::Office] = text(&p.office).to_string();
    r[Column::Responsible] = text(&p.responsible).to_string();
    r[Column::Source] = p
        .source
        .as_ref()
        .map_or("", |s| s.value.label())
        .to_string();
    r[Column::Basis] = lines(p.basis().iter().map(|b| basis_line(&b.value)).collect());
    r[Column::Conditions] = lines(p.conditions.clone());
    r[Column::Materials] = lines(
        p.materials
            .iter()
            .map(|m| {
                let m = &m.value;
                match m.copies {
                    Some(n) => format!("{}（{n}份）", text(&m.name)),
                    None => text(&m.name).to_string(),
                }
            })
            .collect(),
    );
    r[Column::Statutory] = p
        .statutory()
        .map_or("", |d| d.value.text.as_str())
        .to_string();
    r[Column::Promised] = p
        .promised()
        .map_or("", |d| d.value.text.as_str())
        .to_string();
    r[Column::Fees] = fees;
    r[Column::Scope] = disclosure.and_then(|d| d.scope.clone()).unwrap_or_default();
    r[Column::Channels] = disclosure.map_or(String::new(), |d| d.channels.join("、"));
    r[Column::DisclosureTime] = disclosure.and_then(|d| d.time.clone()).unwrap_or_default();
    r[Column::Rights] = p.rights().join("、");
    r[Column::Complaints] = lines(
        p.complaints
            .iter()
            .map(|c| channel_line(&c.value))
            .collect(),
    );
    r[Column::Note] = p.note.clone().unwrap_or_default();
    accountability_cells(p, &mut r);
    r
}

/// The 权责清单 cells (SPEC §7): 主项 and the layout's 项目名称 / 子项, the
/// numbered 责任事项 with their 依据, the numbered 追责情形 — each naming the
/// articles it rests on — and the 追责依据 they cite, each article once.
fn accountability_cells(p: &Power, r: &mut Row) {
    let main = text(&p.main_item).trim();
    r[Column::MainItem] = main.to_string();
    if main.is_empty() {
        r[Column::Item] = p.name().to_string();
    } else {
        r[Column::Item] = main.to_string();
        r[Column::SubItem] = p.name().to_string();
    }
    r[Column::Duties] = crate::model::duty::stages(p)
        .iter()
        .enumerate()
        .map(|(i, (stage, duty))| format!("{}.{stage}：{duty}", i + 1))
        .collect::<Vec<_>>()
        .join("\n");
    r[Column::DutyBasis] = merged_bases(p.duty_basis.iter().map(|b| &b.value))
        .iter()
        .map(|b| b.line())
        .collect::<Vec<_>>()
        .join("\n");
    let all = merged_bases(
        p.accountability
            .iter()
            .flat_map(|a| a.value.basis.iter().map(|b| &b.value)),
    );
    r[Column::AccountabilityBasis] = all.iter().map(|b| b.line()).collect::<Vec<_>>().join("\n");
    r[Column::Accountability] = p
        .accountability
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let case = text(&a.value.case).trim();
            let cited: Vec<String> = a
                .value
                .basis
                .iter()
                .map(|b| format!("《{}》{}", text(&b.value.law), text(&b.value.article)))
                .fold(Vec::new(), |mut v, c| {
                    if !v.contains(&c) {
                        v.push(c);
                    }
                    v
                });
            if cited.is_empty() {
                format!("{}.{case}", i + 1)
            } else {
                format!("{}.{case}（{}）", i + 1, cited.join("、"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
}

/// One article as a 依据 cell lists it: the parts several entries quote of it
/// joined by 「……」 in the order they were cited.
struct MergedBasis<'a> {
    first: &'a Basis,
    texts: Vec<&'a str>,
}

impl MergedBasis<'_> {
    /// 《法规》条款：条文 — a 依据 column of the 权责清单 names no level.
    fn line(&self) -> String {
        let b = self.first;
        let mut out = format!("《{}》{}", text(&b.law), text(&b.article));
        if !self.texts.is_empty() {
            out.push('：');
            out.push_str(&self.texts.join("……"));
        }
        out
    }
}

/// Bases by law and article, in the order first cited.
fn merged_bases<'a>(bases: impl Iterator<Item = &'a Basis>) -> Vec<MergedBasis<'a>> {
    let mut out: Vec<MergedBasis> = Vec::new();
    for b in bases {
        let key = |x: &Basis| (text(&x.law).to_string(), text(&x.article).to_string());
        let t = b
            .text
            .as_ref()
            .map(|t| t.value.trim())
            .filter(|t| !t.is_empty());
        match out.iter_mut().find(|m| key(m.first) == key(b)) {
            Some(m) => {
                if let Some(t) = t.filter(|t| !m.texts.contains(t)) {
                    m.texts.push(t);
                }
            }
            None => out.push(MergedBasis {
                first: b,
                texts: t.into_iter().collect(),
            }),
        }
    }
    out
}

/// A cell that Excel would read as a formula gets a leading apostrophe; so does
/// one that starts with an apostrophe, so that `import` takes exactly one off.
pub fn csv_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// How a table is laid out: which columns under which headers, and what the
/// workbook's title rows say.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub title: String,
    /// 填报单位.
    pub organisation: String,
    /// 公开日期 (YYYY-MM-DD).
    pub published: Option<String>,
    /// 批准文号.
    pub approval: Option<String>,
    pub paper: crate::config::Paper,
    /// The columns in the order written.
    pub columns: Vec<crate::config::SheetColumn>,
}

impl Sheet {
    /// The line under the workbook's title: 填报单位, date and 批准文号.
    fn byline(&self) -> String {
        let mut parts = Vec::new();
        if !self.organisation.is_empty() {
            parts.push(format!("填报单位：{}", self.organisation));
        }
        if let Some(a) = &self.approval {
            parts.push(format!("批准文号：{a}"));
        }
        if let Some(d) = &self.published {
            parts.push(format!("公开日期：{}", chinese_date(d)));
        }
        parts.join("    ")
    }
}

/// Writes rows (the header first) as every powerlist CSV is written: UTF-8 with
/// a byte-order mark so that Excel reads it as UTF-8, CRLF line ends, and
/// every cell defused (`csv_cell`). The 职权目录, `diff`'s 调整说明 and `laws`.
pub fn write_csv<R, C>(out: &mut dyn std::io::Write, rows: R) -> anyhow::Result<()>
where
    R: IntoIterator,
    R::Item: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    for row in rows {
        w.write_record(row.into_iter().map(|c| csv_cell(c.as_ref()).into_owned()))?;
    }
    w.flush().context("writing the CSV table")
}

/// The table as CSV. Only the header row and the rows: a CSV is read back by
/// machines. Headers may come from `[export.columns]`: defused like any cell.
pub fn csv(rows: &[Row], sheet: &Sheet) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    csv_to(rows, sheet, &mut out)?;
    Ok(out)
}

/// The table as CSV (`csv`), written into `out` as it goes.
pub fn csv_to(rows: &[Row], sheet: &Sheet, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let header: Vec<&str> = sheet.columns.iter().map(|c| c.header.as_str()).collect();
    let body = rows.iter().map(|r| {
        sheet
            .columns
            .iter()
            .map(|c| r[c.column].as_str())
            .collect::<Vec<_>>()
    });
    write_csv(out, std::iter::once(header).chain(body))
}

/// Excel holds at most this many characters in a cell.
const XLSX_CELL_CHARS: usize = 32_767;

/// A cell's text for the workbook: past Excel's limit it is cut with a visible
/// mark; the CSV and JSON keep the whole text. (A cell the workbook continues
/// in its 附表 never gets this long: this only guards.)
fn xlsx_cell(text: &str) -> std::borrow::Cow<'_, str> {
    const MARK: &str = "……（超出 Excel 单元格字数上限，全文见 CSV 或 JSON）";
    if text.chars().count() <= XLSX_CELL_CHARS {
        return text.into();
    }
    let keep = XLSX_CELL_CHARS - MARK.chars().count();
    let mut cut: String = text.chars().take(keep).collect();
    cut.push_str(MARK);
    cut.into()
}

/// A date as an office writes it: `2026-12-01` → 2026年12月1日. Anything else
/// is shown as written.
pub fn chinese_date(date: &str) -> String {
    let number = |s: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let parts: Vec<&str> = date.trim().split('-').collect();
    match parts[..] {
        [y, m, d] => match (number(y, 4..=4), number(m, 1..=2), number(d, 1..=2)) {
            (Some(y), Some(m @ 1..=12), Some(d @ 1..=31)) => format!("{y}年{m}月{d}日"),
            _ => date.to_string(),
        },
        _ => date.to_string(),
    }
}

/// The workbook's text size, in points; the title alone is larger.
pub const XLSX_FONT_PT: f64 = 10.0;
/// The smallest a workbook's text may print (issue 24): 7 pt, printed one page
/// wide on its paper.
pub const XLSX_MIN_PRINTED_PT: f64 = 7.0;
/// The fit-to-width scale the columns are planned for: above 7/10, so that
/// text that Excel prints at 7.8 pt stays over 7 pt where the columns come out
/// wider — LibreOffice, measuring Calibri's digits unhinted, makes them about
/// 9 % wider than Excel's 7 pixels a digit (7.1 pt measured in its PDF).
const PLANNED_SCALE: f64 = 0.78;
/// Left and right page margins, in inches (top and bottom: `xlsx`).
const MARGIN_IN: f64 = 0.4;
/// One full-width character of the 10 pt 宋体 in Excel's 96-dpi pixels; a
/// Latin letter or digit is half as wide.
const EM_PX: f64 = XLSX_FONT_PT * 96.0 / 72.0;
/// What a wrapped cell keeps from its text for padding and border, in pixels.
const CELL_PAD_PX: f64 = 8.0;
/// The most lines of text a row is planned to hold. At 14 pt a line (宋体 10 pt
/// takes 13.5) that is 364 pt: under Excel's highest row, 409 pt, with room
/// for Excel wrapping a line more than planned. A cell that needs more is
/// continued in the 附表.
pub const XLSX_ROW_LINES: usize = 26;
/// A line of the 10 pt 宋体 in a row's height, in points.
const LINE_PT: f64 = 14.0;

/// The height of a row whose tallest cell takes `lines` lines, in points:
/// written, since LibreOffice and other readers do not fit rows to wrapped
/// text themselves. Never above Excel's 409 pt.
fn row_pt(lines: usize) -> f64 {
    (lines as f64 * LINE_PT + 5.0).min(409.0)
}

/// The height of a row of `cells` in columns `widths` pixels wide.
fn cells_pt<'a>(cells: impl IntoIterator<Item = &'a str>, widths: &[u32]) -> f64 {
    let lines = cells
        .into_iter()
        .zip(widths)
        .map(|(v, &w)| cell_lines(v, w).min(XLSX_ROW_LINES))
        .max();
    row_pt(lines.unwrap_or(1))
}

/// The page's width in landscape, in inches.
fn landscape_width_in(paper: crate::config::Paper) -> f64 {
    match paper {
        crate::config::Paper::A4 => 297.0 / 25.4,
        crate::config::Paper::A3 => 420.0 / 25.4,
    }
}

/// The width one page holds between its margins, in 96-dpi pixels.
fn printable_px(paper: crate::config::Paper) -> f64 {
    (landscape_width_in(paper) - 2.0 * MARGIN_IN) * 96.0
}

/// How the 职权目录 sheet prints: on which paper, and each column's width in
/// pixels. Fitted one page wide, the columns print at `scale`.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintPlan {
    pub paper: crate::config::Paper,
    pub widths: Vec<u32>,
}

impl PrintPlan {
    /// The scale Excel's fit to one page wide gives: whole percents, at most 100 %.
    pub fn scale(&self) -> f64 {
        let total: u32 = self.widths.iter().sum();
        let percent = (100.0 * printable_px(self.paper) / f64::from(total.max(1))).floor();
        percent.clamp(10.0, 100.0) / 100.0
    }
}

/// The narrowest a column is made to fit the page: two characters for 序号,
/// four for any other — or its own width, when that is less.
fn min_px(column: Column) -> f64 {
    let chars = if column == Column::No { 2.0 } else { 4.0 };
    (chars * EM_PX + CELL_PAD_PX).ceil()
}

/// The columns' widths and paper so that the sheet prints one page wide with
/// its text at 7 pt or more. Columns wider than the page holds at that size
/// are narrowed toward their least width, each by the same share of what it
/// has above it (a wide 依据 column stays the widest); when even their least
/// widths do not fit A4, the sheet goes on A3.
pub fn print_plan(sheet: &Sheet) -> PrintPlan {
    use crate::config::Paper;
    let nominal: Vec<f64> = sheet
        .columns
        .iter()
        .map(|c| (c.width * 7.0).round() + 5.0)
        .collect();
    let least: Vec<f64> = sheet
        .columns
        .iter()
        .zip(&nominal)
        .map(|(c, &n)| min_px(c.column).min(n))
        .collect();
    let budget = |paper: Paper| (printable_px(paper) / PLANNED_SCALE).floor();
    let (sum_nominal, sum_least): (f64, f64) = (nominal.iter().sum(), least.iter().sum());
    let paper = if sheet.paper == Paper::A4 && sum_least > budget(Paper::A4) {
        Paper::A3
    } else {
        sheet.paper
    };
    let room = budget(paper);
    let widths = if sum_nominal <= room {
        nominal
    } else if sum_least <= room {
        let share = (room - sum_least) / (sum_nominal - sum_least);
        least
            .iter()
            .zip(&nominal)
            .map(|(l, n)| (l + (n - l) * share).floor())
            .collect()
    } else {
        least
            .iter()
            .map(|l| (l * room / sum_least).floor())
            .collect()
    };
    PrintPlan {
        paper,
        widths: widths.into_iter().map(|w| w.max(1.0) as u32).collect(),
    }
}

/// How many lines a wrapped cell `width_px` wide takes for `text` in the
/// workbook's 宋体: full-width characters 1 em, ASCII half; a line breaks
/// where the next character no longer fits, before an ASCII word (a code, a
/// number, a web address) rather than inside it, and with the character before
/// a closing mark (，。、）》 …) that may not open a line; and at every line break.
pub fn cell_lines(text: &str, width_px: u32) -> usize {
    let room = ((2.0 * (f64::from(width_px) - CELL_PAD_PX) / EM_PX).floor() as usize).max(2);
    text.split('\n').map(|line| wrapped_lines(line, room)).sum()
}

/// The lines of one line of text `room` half-ems wide (`cell_lines`).
fn wrapped_lines(line: &str, room: usize) -> usize {
    // No character is wider in half-ems than it is long in bytes: a line no
    // longer than its room is one line (most cells are).
    if line.len() <= room {
        return 1;
    }
    // A closing mark does not open a line.
    let closing = |c: char| {
        matches!(
            c,
            '，' | '。'
                | '、'
                | '；'
                | '：'
                | '？'
                | '！'
                | '）'
                | '》'
                | '」'
                | '』'
                | '】'
                | '〕'
                | '”'
                | '’'
                | '…'
                | '·'
        )
    };
    // Each unit in turn, (width, may open a line): an ASCII word, or one
    // other character.
    let (mut lines, mut used, mut last) = (1, 0, 0);
    let mut unit = |w: usize, opens: bool| {
        if w == 0 {
            return;
        }
        if used + w > room {
            lines += 1;
            // A closing mark takes the character before it to the new line.
            used = if opens || used == 0 { w } else { last + w };
        } else {
            used += w;
        }
        last = w;
    };
    // A word longer than a line is broken where it must.
    let word_units = |word: usize, unit: &mut dyn FnMut(usize, bool)| {
        for _ in 0..word / room {
            unit(room, true);
        }
        unit(word % room, true);
    };
    let mut word = 0;
    for c in line.chars() {
        if c.is_ascii() && c != ' ' {
            word += 1;
            continue;
        }
        if word > 0 {
            word_units(word, &mut unit);
            word = 0;
        }
        if c == ' ' {
            unit(1, true);
        } else {
            unit(2, !closing(c));
        }
    }
    if word > 0 {
        word_units(word, &mut unit);
    }
    lines
}

/// The longest start of `text` that takes at most `lines` lines in a cell
/// `width_px` wide, in characters.
fn fitting_chars(text: &str, width_px: u32, lines: usize) -> usize {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let fits = |n: usize| {
        let end = chars.get(n).map_or(text.len(), |&(i, _)| i);
        cell_lines(text[..end].trim_end(), width_px) <= lines
    };
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// One text of the 附表: a cell too long for a row of the 职权目录 sheet,
/// whole.
struct Continued<'a> {
    /// The row's 序号 and 职权名称, and the column's header.
    no: &'a str,
    name: &'a str,
    header: &'a str,
    text: &'a str,
}

/// A row of the 职权目录 sheet: each cell's text and whether the 附表 holds
/// it, and the row's height in points.
struct SheetRow<'a> {
    cells: Vec<(&'a str, bool)>,
    pt: f64,
}

/// The cells of the 职权目录 sheet, each whole (so that `import` reads the
/// workbook back as it was written), and whether it is held in the 附表: a
/// cell longer than `XLSX_ROW_LINES` lines is cut off by its row on paper, so
/// the 附表 prints it whole. Each cell's lines are counted once, on both
/// cores; the sheet itself is written on one.
fn sheet_cells<'a>(
    rows: &'a [Row],
    sheet: &'a Sheet,
    plan: &PrintPlan,
) -> (Vec<SheetRow<'a>>, Vec<Continued<'a>>) {
    let measured: Vec<(SheetRow<'a>, Vec<Continued<'a>>)> = rows
        .par_iter()
        .map(|r| {
            let mut continued = Vec::new();
            let mut tallest = 1;
            let cells = sheet
                .columns
                .iter()
                .zip(&plan.widths)
                .map(|(col, &width)| {
                    let text = r[col.column].as_str();
                    let lines = cell_lines(text, width);
                    tallest = tallest.max(lines.min(XLSX_ROW_LINES));
                    let held = lines > XLSX_ROW_LINES;
                    if held {
                        continued.push(Continued {
                            no: &r[Column::No],
                            name: &r[Column::Name],
                            header: &col.header,
                            text,
                        });
                    }
                    (text, held)
                })
                .collect();
            let pt = row_pt(tallest);
            (SheetRow { cells, pt }, continued)
        })
        .collect();
    let mut continued = Vec::new();
    let cells = measured
        .into_iter()
        .map(|(row, held)| {
            continued.extend(held);
            row
        })
        .collect();
    (cells, continued)
}

/// A text cut into parts of at most `XLSX_ROW_LINES` lines in a cell
/// `width_px` wide: at line breaks where it can, inside a line where it must.
fn row_parts(text: &str, width_px: u32) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = text.trim_end();
    while !rest.is_empty() {
        let n = fitting_chars(rest, width_px, XLSX_ROW_LINES).max(1);
        let end = rest.char_indices().nth(n).map_or(rest.len(), |(i, _)| i);
        let head = &rest[..end];
        // Back to the last line break, unless that gives up more than half.
        let cut = match head.rfind('\n') {
            Some(i) if end < rest.len() && i * 2 > head.len() => &head[..i],
            _ => head,
        };
        parts.push(cut.trim_end().to_string());
        rest = rest[cut.len()..].trim_start_matches('\n');
    }
    parts
}

/// The formats of the workbook's cells, in its 宋体.
struct Formats {
    title: rust_xlsxwriter::Format,
    byline: rust_xlsxwriter::Format,
    head: rust_xlsxwriter::Format,
    cell: rust_xlsxwriter::Format,
    /// A cell its row cuts off, printed whole in the 附表: shaded.
    held: rust_xlsxwriter::Format,
    number: rust_xlsxwriter::Format,
}

impl Formats {
    fn new() -> Formats {
        use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};
        let base = Format::new()
            .set_font_name("宋体")
            .set_font_size(XLSX_FONT_PT);
        let cell = base
            .clone()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin);
        Formats {
            title: base
                .clone()
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            byline: base.clone().set_align(FormatAlign::Left),
            head: base
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_background_color("#DDEBF7"),
            number: cell.clone().set_align(FormatAlign::Center),
            held: cell.clone().set_background_color("#FFF2CC"),
            cell,
        }
    }
}

/// The header row of a sheet's table.
const HEAD: u32 = 2;

/// A sheet's title, the line under it, its header and column widths, and its
/// page setup: landscape on `paper`, one page wide, the header repeated on
/// every printed page, numbered pages.
fn sheet_frame(
    ws: &mut rust_xlsxwriter::Worksheet,
    f: &Formats,
    (title, byline): (&str, &str),
    columns: &[(&str, u32)],
    paper: crate::config::Paper,
) -> anyhow::Result<()> {
    let last = columns.len().saturating_sub(1) as u16;
    // Row by row, top down: the sheet is written in low-memory mode, where a
    // row is final once the next one is written to.
    ws.set_row_height(0, 30)?;
    if last > 0 {
        ws.merge_range(0, 0, 0, last, title, &f.title)?;
        ws.merge_range(1, 0, 1, last, byline, &f.byline)?;
    } else {
        ws.write_string_with_format(0, 0, title, &f.title)?;
        ws.write_string_with_format(1, 0, byline, &f.byline)?;
    }
    let widths: Vec<u32> = columns.iter().map(|c| c.1).collect();
    ws.set_row_height(HEAD, cells_pt(columns.iter().map(|c| c.0), &widths))?;
    for (c, (header, width)) in columns.iter().enumerate() {
        ws.write_string_with_format(HEAD, c as u16, *header, &f.head)?;
        ws.set_column_width_pixels(c as u16, *width)?;
    }
    ws.set_freeze_panes(HEAD + 1, 0)?;
    ws.set_landscape();
    ws.set_paper_size(paper.excel_code());
    ws.set_repeat_rows(HEAD, HEAD)?;
    // One page wide, as many pages tall as it takes.
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_margins(MARGIN_IN, MARGIN_IN, 0.6, 0.6, 0.3, 0.3);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// The 附表: each text too long for its row, whole, under the item number its
/// cell names — cut into rows of at most `XLSX_ROW_LINES` lines, the later
/// ones marked 「（续）」 — on the sheet's paper, printed at full size.
fn appendix_sheet(
    ws: &mut rust_xlsxwriter::Worksheet,
    f: &Formats,
    sheet: &Sheet,
    paper: crate::config::Paper,
    items: &[Continued],
) -> anyhow::Result<()> {
    ws.set_name("附表")?;
    let fixed: [(&str, u32); 4] = [("项", 64), ("序号", 48), ("职权名称", 136), ("栏目", 96)];
    let text_px =
        (printable_px(paper) * 0.98).floor() as u32 - fixed.iter().map(|c| c.1).sum::<u32>();
    let mut columns = fixed.to_vec();
    columns.push(("全文", text_px));
    let widths: Vec<u32> = columns.iter().map(|c| c.1).collect();
    let title = format!("{}附表", sheet.title);
    let byline = "职权目录中超出行高、印不全的单元格（底色标出），全文按序号和栏目列于此。";
    sheet_frame(ws, f, (&title, byline), &columns, paper)?;
    // Each text cut and each row measured on both cores, then written in
    // order on one.
    let parts: Vec<Vec<(String, String, f64)>> = items
        .par_iter()
        .enumerate()
        .map(|(i, item)| {
            let parts = row_parts(item.text, text_px).into_iter().enumerate();
            parts
                .map(|(part, text)| {
                    let label = if part == 0 {
                        format!("{}", i + 1)
                    } else {
                        format!("{}（续）", i + 1)
                    };
                    let cells = [label.as_str(), item.no, item.name, item.header, &text];
                    let pt = cells_pt(cells, &widths);
                    (label, text, pt)
                })
                .collect()
        })
        .collect();
    let mut at = HEAD + 1;
    for (item, parts) in items.iter().zip(&parts) {
        for (label, text, pt) in parts {
            let cells = [label.as_str(), item.no, item.name, item.header, text];
            ws.set_row_height(at, *pt)?;
            for (c, v) in cells.iter().enumerate() {
                let format = if c < 2 { &f.number } else { &f.cell };
                ws.write_string_with_format(at, c as u16, *v, format)?;
            }
            at += 1;
        }
    }
    end_sheet(ws, at)
}

/// Ends a low-memory sheet whose last row is `next - 1`. rust_xlsxwriter
/// 0.96 writes the last row's height a second time when it saves, as a
/// second `<row>` of the same number, which Excel takes for a damaged file;
/// an empty cell in the row after it becomes the last row, with no height
/// to repeat (it is written as an empty `<row>`).
fn end_sheet(ws: &mut rust_xlsxwriter::Worksheet, next: u32) -> anyhow::Result<()> {
    ws.write_blank(next, 0, &rust_xlsxwriter::Format::new())?;
    Ok(())
}

/// The table as the workbook a 编办 takes as is: a title row, a line with
/// 填报单位, 批准文号 and date, the header (repeated on every printed page),
/// numeric 序号, wrapped cells in a 宋体 font, landscape and one page wide —
/// at 7 pt or more (`print_plan`). A cell too long for a row (Excel's rows end
/// at 409 pt) keeps its whole text, is shaded, and is printed whole in the 附表.
pub fn xlsx(rows: &[Row], sheet: &Sheet) -> anyhow::Result<Vec<u8>> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
    let mut book = Workbook::new();
    // A fixed creation date keeps the file byte-identical from build to build.
    let created = ExcelDateTime::from_ymd(2024, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(&sheet.title)
            .set_creation_datetime(&created),
    );
    let f = Formats::new();
    let plan = print_plan(sheet);
    let (cells, continued) = sheet_cells(rows, sheet, &plan);
    // A sheet keeps only its row being written, and its distinct strings, in
    // memory (a provincial list's cells were a gigabyte held to the end).
    let ws = book.add_worksheet_with_low_memory();
    ws.set_name("职权目录")?;
    let columns: Vec<(&str, u32)> = sheet
        .columns
        .iter()
        .map(|c| c.header.as_str())
        .zip(plan.widths.iter().copied())
        .collect();
    let mut byline = sheet.byline();
    if !continued.is_empty() {
        byline.push_str("    底色单元格超出行高，全文见附表");
    }
    sheet_frame(
        ws,
        &f,
        (&sheet.title, byline.trim_start()),
        &columns,
        plan.paper,
    )?;
    for (i, row) in cells.iter().enumerate() {
        let at = HEAD + 1 + i as u32;
        ws.set_row_height(at, row.pt)?;
        for (c, (col, &(v, held))) in sheet.columns.iter().zip(&row.cells).enumerate() {
            let format = if held { &f.held } else { &f.cell };
            match (col.column, v.parse::<u32>()) {
                (Column::No, Ok(n)) => ws.write_number_with_format(at, c as u16, n, &f.number)?,
                _ => ws.write_string_with_format(at, c as u16, xlsx_cell(v), format)?,
            };
        }
    }
    end_sheet(ws, HEAD + 1 + cells.len() as u32)?;
    if !continued.is_empty() {
        appendix_sheet(
            book.add_worksheet_with_low_memory(),
            &f,
            sheet,
            plan.paper,
            &continued,
        )?;
    }
    Ok(book.save_to_buffer()?)
}

#[derive(Serialize)]
struct JsonPower<'a> {
    code: &'a str,
    name: &'a str,
    main_item: Option<&'a str>,
    category: &'a str,
    department: &'a str,
    office: &'a str,
    responsible: &'a str,
    source: &'a str,
    basis: Vec<JsonBasis<'a>>,
    conditions: &'a [String],
    materials: Vec<serde_json::Value>,
    fees: Vec<serde_json::Value>,
    time_limit: serde_json::Value,
    disclosure: serde_json::Value,
    rights: &'a [String],
    complaints: Vec<serde_json::Value>,
    steps: Vec<JsonStep<'a>>,
    supervision: Vec<serde_json::Value>,
    /// 责任事项 in flow order (`model::duty::rows`).
    duties: Vec<crate::model::duty::DutyRow>,
    duty_basis: Vec<JsonBasis<'a>>,
    accountability: Vec<serde_json::Value>,
    /// The row as the table shows it, keyed by column header.
    row: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct JsonBasis<'a> {
    law: &'a str,
    level: Option<&'static str>,
    doc_no: Option<&'a str>,
    article: Option<&'a str>,
    text: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonStep<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: StepType,
    role: Option<Role>,
    owner: Option<&'a str>,
    time: Option<&'a str>,
    duty: Option<&'a str>,
    risk: Option<serde_json::Value>,
    next: Vec<serde_json::Value>,
}

fn json_basis(b: &Basis) -> JsonBasis<'_> {
    JsonBasis {
        law: text(&b.law),
        level: b.level.as_ref().map(|l| l.value.label()),
        doc_no: b.doc_no.as_deref(),
        article: b.article.as_ref().map(|a| a.value.as_str()),
        text: b.text.as_ref().map(|t| t.value.as_str()),
    }
}

/// The record of a power; its `row` leaves out 序号, which the file gives as `no`.
fn json_power<'a>(p: &'a Power, row: &Row) -> JsonPower<'a> {
    use serde_json::json;
    let opt = |s: &'a Option<Sp<String>>| s.as_ref().map(|s| s.value.as_str());
    let row = row
        .iter()
        .skip(1)
        .filter(|(c, _)| !matches!(c, Column::Item | Column::SubItem))
        .map(|(c, v)| {
            (
                c.header().to_string(),
                serde_json::Value::String(v.to_string()),
            )
        })
        .collect();
    let disclosure = p.disclosure.as_ref().map(|d| &d.value);
    JsonPower {
        code: p.code(),
        name: p.name(),
        main_item: opt(&p.main_item),
        category: text(&p.category),
        department: text(&p.department),
        office: text(&p.office),
        responsible: text(&p.responsible),
        source: p.source.as_ref().map_or("", |s| s.value.label()),
        basis: p.basis().iter().map(|b| json_basis(&b.value)).collect(),
        conditions: &p.conditions,
        materials: p
            .materials
            .iter()
            .map(|m| json!({"name": text(&m.value.name), "copies": m.value.copies, "note": m.value.note}))
            .collect(),
        fees: p
            .fees
            .iter()
            .map(|f| json!({"item": text(&f.value.item), "standard": f.value.standard, "basis": f.value.basis}))
            .collect(),
        time_limit: json!({
            "statutory": p.statutory().map(|d| d.value.text.as_str()),
            "promised": p.promised().map(|d| d.value.text.as_str()),
        }),
        disclosure: json!({
            "public": p.is_public(),
            "scope": disclosure.and_then(|d| d.scope.as_deref()),
            "channels": disclosure.map_or(&[][..], |d| &d.channels[..]),
        }),
        rights: p.rights(),
        complaints: p
            .complaints
            .iter()
            .map(|c| {
                let c = &c.value;
                json!({"channel": text(&c.channel), "phone": c.phone, "address": c.address, "email": c.email, "url": c.url})
            })
            .collect(),
        steps: p
            .steps()
            .iter()
            .map(|s| {
                let s = &s.value;
                JsonStep {
                    id: s.id(),
                    name: opt(&s.name).unwrap_or(""),
                    kind: s.kind(),
                    role: s.role(),
                    owner: opt(&s.owner),
                    time: s.time.as_ref().map(|t| t.value.text.as_str()),
                    duty: opt(&s.duty),
                    risk: s.risk.as_ref().map(|r| {
                        let r = &r.value;
                        json!({"level": r.level.as_ref().map(|l| l.value), "point": opt(&r.point), "control": opt(&r.control)})
                    }),
                    next: s
                        .edges()
                        .iter()
                        .map(|e| json!({"to": e.to.value, "when": e.when.as_ref().map(|w| &w.value), "back": e.back}))
                        .collect(),
                }
            })
            .collect(),
        supervision: p
            .supervision
            .iter()
            .map(|s| {
                let s = &s.value;
                json!({"step": opt(&s.step), "by": s.by, "how": s.how, "contact": s.contact})
            })
            .collect(),
        duties: crate::model::duty::rows(p),
        duty_basis: p.duty_basis.iter().map(|b| json_basis(&b.value)).collect(),
        accountability: p
            .accountability
            .iter()
            .map(|a| {
                let basis: Vec<JsonBasis> = a.value.basis.iter().map(|b| json_basis(&b.value)).collect();
                json!({"case": opt(&a.value.case), "basis": basis})
            })
            .collect(),
        row,
    }
}

/// One power's JSON record, as `catalogue.json` holds it (without `no`).
pub fn json_record(p: &Power) -> serde_json::Value {
    serde_json::to_value(json_power(p, &row(p))).unwrap_or_default()
}

/// `catalogue.json` is written a power at a time (so that a provincial list
/// never sits in memory whole): this opening, one compact record per line joined
/// by `,\n`, then `JSON_CLOSE`. One power per line keeps the file small and its
/// diffs readable.
pub fn json_open(title: &str, count: usize) -> String {
    let s = |v: &str| serde_json::to_string(v).unwrap_or_default();
    let columns: Vec<String> = Column::default_columns().map(|c| s(c.header())).collect();
    format!(
        "{{\n\"title\": {},\n\"count\": {count},\n\"columns\": [{}],\n\"powers\": [\n",
        s(title),
        columns.join(", ")
    )
}

pub const JSON_CLOSE: &str = "\n]\n}\n";

/// One record of `catalogue.json`, on one line, without its number: the
/// number is known only once the table is ordered (`numbered`).
/// `row` is the power's table row (`row(p)`), made once for every list.
pub fn json_item(p: &Power, row: &Row) -> String {
    serde_json::to_string(&json_power(p, row)).unwrap_or_default()
}

/// Writes a record from `json_item` with its 序号 as the first field `no`.
pub fn write_numbered(out: &mut dyn std::io::Write, no: usize, item: &[u8]) -> std::io::Result<()> {
    match item.strip_prefix(b"{") {
        Some(rest) if rest.starts_with(b"}") => write!(out, "{{\"no\":{no}}}"),
        Some(rest) => {
            write!(out, "{{\"no\":{no},")?;
            out.write_all(rest)
        }
        None => out.write_all(item),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The count as first written, from a list of units.
    fn wrapped_lines_by_list(line: &str, room: usize) -> usize {
        const CLOSING: &str = "，。、；：？！）》」』】〕”’…·";
        // Units: an ASCII word, or one other character; (width, may open a line).
        let mut units: Vec<(usize, bool)> = Vec::new();
        let mut word = 0;
        for c in line.chars().chain(std::iter::once(' ')) {
            if c.is_ascii() && c != ' ' {
                word += 1;
                continue;
            }
            if word > 0 {
                // A word longer than a line is broken where it must.
                units.extend(std::iter::repeat_n((room, true), word / room));
                units.push((word % room, true));
                word = 0;
            }
            units.push(if c == ' ' {
                (1, true)
            } else {
                (2, !CLOSING.contains(c))
            });
        }
        units.pop();
        let (mut lines, mut used, mut last) = (1, 0, 0);
        for (w, opens) in units.into_iter().filter(|u| u.0 > 0) {
            if used + w > room {
                lines += 1;
                // A closing mark takes the character before it to the new line.
                used = if opens || used == 0 { w } else { last + w };
            } else {
                used += w;
            }
            last = w;
        }
        lines
    }

    #[test]
    fn cell_lines_counts_as_the_list_of_units_did() {
        let pieces = [
            "审",
            "，",
            "。",
            "…",
            "·",
            "ab",
            "0832-3580006",
            " ",
            "（",
            "）",
            "x",
            "https://example.org/a",
        ];
        for line in crate::diag::testing::texts(&pieces, 11, 20_000, 40) {
            for room in [2, 3, 7, 20, 41] {
                assert_eq!(
                    wrapped_lines(&line, room),
                    wrapped_lines_by_list(&line, room),
                    "{line:?} {room}"
                );
            }
        }
    }

    #[test]
    fn a_formula_like_header_from_the_settings_is_defused() {
        let sheet = Sheet {
            title: String::new(),
            organisation: String::new(),
            published: None,
            approval: None,
            paper: crate::config::Paper::A4,
            columns: vec![crate::config::SheetColumn {
                header: "=cmd|'/c calc'!A1".to_string(),
                column: Column::Name,
                width: 20.0,
            }],
        };
        let out = String::from_utf8(csv(&[Row::empty()], &sheet).unwrap()).unwrap();
        assert!(out.starts_with("\u{feff}'=cmd|'/c calc'!A1\r\n"), "{out}");
    }

    #[test]
    fn formula_like_cells_are_defused() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("0832-3580006"), "0832-3580006");
        assert_eq!(
            csv_cell("'=1+1"),
            "''=1+1",
            "a literal apostrophe survives import"
        );
    }
}
