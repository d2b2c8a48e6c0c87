//! `powerlist import`: an existing 职权目录 table (xlsx or csv) into one YAML per
//! row, each with its category's standard procedure.
//!
//! Columns are found by their Chinese headers — the ones `export` writes, common
//! variants, and a catalogue's own names from `[import.columns]` in
//! `powerlist.toml`. Cell texts are read the way `export` writes them, so that
//! export → import → export gives the same table.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use super::yaml::{render, BasisText, Facts, Mode};
use crate::config::Settings;
use crate::law::procedure::Procedures;
use crate::model::columns::Column;
use crate::model::duration;
use crate::model::{LawLevel, Source};

/// The most cells a sheet may span (rows × columns): a province's list is well
/// under a million rows of twenty columns.
const MAX_CELLS: usize = 50_000_000;

/// Larger table files are refused before they are read.
const MAX_TABLE_BYTES: u64 = 512 * 1024 * 1024;

/// A row the import could not use, or a cell it had to leave out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowNote {
    /// The row number as the spreadsheet shows it (1-based, title rows counted).
    pub row: usize,
    pub message: String,
    /// True when the row was not imported at all.
    pub skipped: bool,
}

#[derive(Debug, Default)]
pub struct Imported {
    /// Blank 实施主体 / 承办机构 cells of a CSV filled from the row above.
    pub carried: usize,
    /// Codes made for a table without a 权力编码 column.
    pub generated: usize,
    /// Headers of columns with no place in a power, kept in 备注.
    pub unplaced: Vec<String>,
    pub written: Vec<PathBuf>,
    pub notes: Vec<RowNote>,
}

/// A table's cells, row by row (row `i` is spreadsheet row `i + 1`), and
/// whether blank grouping cells may repeat the row above.
pub struct Table {
    pub rows: Vec<Vec<String>>,
    /// A CSV cannot say which cells were merged: blank 实施主体 and 承办机构
    /// cells repeat the row above (and the summary says how many). A workbook
    /// says it itself: only its merged ranges fill cells.
    pub carries: bool,
}

/// The cells of a table, with a workbook's merged cells filled from their
/// first cell.
pub fn read_table(path: &Path) -> anyhow::Result<Table> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let size = std::fs::metadata(path)
        .with_context(|| format!("无法读取 {}", path.display()))?
        .len();
    if size > MAX_TABLE_BYTES {
        bail!(
            "{}: 文件过大 ({size} 字节，上限 {MAX_TABLE_BYTES}) (table file too large)",
            path.display()
        );
    }
    match ext.as_str() {
        "csv" => Ok(Table {
            rows: read_csv(path)?,
            carries: true,
        }),
        "xlsx" | "xlsm" => Ok(Table {
            rows: read_xlsx(path)?,
            carries: false,
        }),
        _ => bail!(
            "{}: 只能导入 .xlsx 或 .csv 表格 (expected an .xlsx or .csv file)",
            path.display()
        ),
    }
}

fn read_csv(path: &Path) -> anyhow::Result<Vec<Vec<String>>> {
    let bytes = std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))?;
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).map_err(
        |_| {
            anyhow::anyhow!(
                "{}: 不是 UTF-8 编码；请在 Excel 中另存为 “CSV UTF-8” (not UTF-8)",
                path.display()
            )
        },
    )?;
    check_csv_shape(text, path)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.with_context(|| format!("{}: CSV 格式有误", path.display()))?;
        // A record spanning several lines (a quoted line break) is still one row.
        rows.push(rec.iter().map(String::from).collect());
    }
    Ok(rows)
}

/// The most columns a row may have: Excel's own limit.
const MAX_CSV_COLUMNS: usize = 16_384;

/// The most cells a CSV may hold (a province's list has a few hundred thousand).
const MAX_CSV_CELLS: usize = 10_000_000;

/// Refuses a CSV whose rows are wider than a sheet can be, or that holds more
/// cells than any list, before any cell is kept: one pass over the bytes,
/// quotes respected (a field in quotes may hold commas and line breaks).
fn check_csv_shape(text: &str, path: &Path) -> anyhow::Result<()> {
    let (mut quoted, mut row, mut fields, mut cells, mut line) =
        (false, 1usize, 1usize, 0usize, 1usize);
    let mut widest = (0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => fields += 1,
            b'\n' => {
                line += 1;
                if !quoted {
                    cells += fields;
                    widest = widest.max((fields, row));
                    fields = 1;
                    row = line;
                }
            }
            _ => {}
        }
        if fields > MAX_CSV_COLUMNS {
            bail!(
                "{}:{row}: 一行超过 {MAX_CSV_COLUMNS} 列（Excel 的上限），不是职权目录的表格 (row too wide)",
                path.display()
            );
        }
        if cells > MAX_CSV_CELLS {
            bail!(
                "{}: 表格超过 {MAX_CSV_CELLS} 个单元格，不是一份职权目录 (table too large)",
                path.display()
            );
        }
    }
    Ok(())
}

/// The most a workbook may hold once inflated (a province's list is a few MB).
const MAX_INFLATED_BYTES: u64 = 256 * 1024 * 1024;

/// The most cells merged ranges may fill in.
const MAX_FILLED: usize = 5_000_000;

/// Refuses a workbook whose parts claim more than `MAX_INFLATED_BYTES` once
/// inflated (a 1 MB file can hold a 1 GiB shared string), before any is read.
fn check_inflated_size(path: &Path) -> anyhow::Result<()> {
    let file = std::fs::File::open(path).with_context(|| format!("无法打开 {}", path.display()))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .with_context(|| format!("{}: 不是有效的 xlsx 文件 (not a zip)", path.display()))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .with_context(|| format!("{}: 无法读取工作簿", path.display()))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_INFLATED_BYTES {
        bail!(
            "{}: 工作簿解压后达 {total} 字节，超过上限 {MAX_INFLATED_BYTES} (workbook too large once inflated)",
            path.display()
        );
    }
    // The sizes a zip declares may lie: inflate each part once, counting, and
    // stop at the limit (nothing is kept).
    let mut left = MAX_INFLATED_BYTES;
    for i in 0..zip.len() {
        let entry = zip
            .by_index(i)
            .with_context(|| format!("{}: 无法读取工作簿", path.display()))?;
        let read = std::io::copy(
            &mut std::io::Read::take(entry, left + 1),
            &mut std::io::sink(),
        )
        .with_context(|| format!("{}: 工作簿已损坏 (corrupt workbook)", path.display()))?;
        if read > left {
            bail!(
                "{}: 工作簿解压后超过上限 {MAX_INFLATED_BYTES} 字节（文件声明的大小不实） (workbook too large once inflated)",
                path.display()
            );
        }
        left -= read;
    }
    Ok(())
}

fn read_xlsx(path: &Path) -> anyhow::Result<Vec<Vec<String>>> {
    use calamine::{open_workbook, Reader, Xlsx};
    check_inflated_size(path)?;
    let mut book: Xlsx<_> =
        open_workbook(path).with_context(|| format!("无法打开工作簿 {}", path.display()))?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        bail!("{}: 工作簿中没有工作表 (no sheet)", path.display());
    };
    let merged = match book.worksheet_merge_cells(&sheet) {
        Some(r) => r.with_context(|| format!("{}: 无法读取合并单元格", path.display()))?,
        None => Vec::new(),
    };
    // Cells one by one: a sheet whose used range claims a million rows (one stray
    // cell in XFD1048576) must not become a dense grid of billions of cells.
    let too_large = || {
        anyhow::anyhow!(
            "{}: 工作表的使用范围过大（上限 {MAX_CELLS} 个单元格）；请删除表格区域以外的内容 (sheet too large)",
            path.display()
        )
    };
    let mut cells: Vec<(usize, usize, String)> = Vec::new();
    let (mut end_row, mut end_col) = (0usize, 0usize);
    {
        let mut reader = book
            .worksheet_cells_reader(&sheet)
            .with_context(|| format!("{}: 无法读取工作表 {sheet}", path.display()))?;
        while let Some(cell) = reader
            .next_cell()
            .with_context(|| format!("{}: 无法读取工作表 {sheet}", path.display()))?
        {
            let (r, c) = cell.get_position();
            let text = cell_text(&calamine::Data::from(cell.get_value().clone()));
            if text.is_empty() {
                continue;
            }
            if cells.len() >= MAX_CELLS {
                return Err(too_large());
            }
            end_row = end_row.max(r as usize);
            end_col = end_col.max(c as usize);
            cells.push((r as usize, c as usize, text));
        }
    }
    if cells.is_empty() {
        return Ok(Vec::new());
    }
    // Rows are as wide as their last cell: one stray cell far down makes many
    // empty rows, not a dense grid.
    let mut grid: Vec<Vec<String>> = vec![Vec::new(); end_row + 1];
    for (r, c, text) in cells {
        let row = &mut grid[r];
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    }
    let mut filled = 0usize;
    for m in merged {
        let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
        let value = grid
            .get(r0)
            .and_then(|row| row.get(c0))
            .cloned()
            .unwrap_or_default();
        if value.is_empty() {
            continue;
        }
        let (r1, c1) = (
            (m.end.0 as usize).min(end_row),
            (m.end.1 as usize).min(end_col),
        );
        for row in grid.iter_mut().take(r1 + 1).skip(r0) {
            if row.len() <= c1 {
                row.resize(c1 + 1, String::new());
            }
            for cell in row.iter_mut().take(c1 + 1).skip(c0) {
                filled += 1;
                if filled > MAX_FILLED {
                    return Err(too_large());
                }
                cell.clone_from(&value);
            }
        }
    }
    Ok(grid)
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Header text compared without spaces, line breaks and bracket styles.
fn normalise_header(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}

/// Which column holds which field: a catalogue's own names first, then the
/// headers and aliases of `Column`.
fn map_columns(header: &[String], custom: &BTreeMap<String, String>) -> HashMap<Column, usize> {
    let mut map = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let h = normalise_header(h);
        let target = match custom.iter().find(|(k, _)| normalise_header(k) == h) {
            Some((_, v)) => Column::named(v),
            None => Column::from_header(&h),
        };
        if let Some(col) = target {
            map.entry(col).or_insert(i);
        }
    }
    // 项目名称 is the name, or — beside a 职权名称 — the 主项.
    if let Some(i) = map.remove(&Column::Item) {
        match map.entry(Column::Name) {
            std::collections::hash_map::Entry::Occupied(_) => {
                map.entry(Column::MainItem).or_insert(i);
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(i);
            }
        }
    }
    // The 子项 column is found by `sub_items`.
    map.remove(&Column::SubItem);
    map
}

/// The 子项 column and the first data row: a header naming 子项 (子项名称, 子项名称及编码)
/// in its row, or a two-row header whose second row splits 职权名称 into 项目 | 子项
/// (the second row is then not data, and 项目 is the name column).
fn sub_items(
    rows: &[Vec<String>],
    header_at: usize,
    cols: &mut HashMap<Column, usize>,
) -> (Option<usize>, usize) {
    let is_sub = |h: &str| {
        matches!(
            normalise_header(h).as_str(),
            "子项" | "子项名称" | "子项名称及编码"
        )
    };
    if let Some(i) = rows[header_at].iter().position(|h| is_sub(h)) {
        return (Some(i), header_at + 1);
    }
    let Some(second) = rows.get(header_at + 1) else {
        return (None, header_at + 1);
    };
    let Some(sub) = second.iter().position(|h| is_sub(h)) else {
        return (None, header_at + 1);
    };
    let main = second.iter().position(|h| {
        matches!(
            normalise_header(h).as_str(),
            "项目" | "项目名称" | "主项" | "主项名称"
        )
    });
    if let Some(m) = main {
        cols.insert(Column::Name, m);
    }
    // Other columns merged over both rows keep the first row's header.
    for (i, h) in second.iter().enumerate() {
        if let Some(c) =
            Column::from_header(&normalise_header(h)).filter(|_| i != sub && Some(i) != main)
        {
            cols.entry(c).or_insert(i);
        }
    }
    (Some(sub), header_at + 2)
}

/// A 子项 cell: its name, and a code written with it (`名称（000116001001）`,
/// `名称 000116001001`).
fn sub_item(cell: &str) -> (String, Option<String>) {
    let cell = cell.trim();
    let is_code = |t: &str| crate::model::valid_code(t) && t.chars().any(|c| c.is_ascii_digit());
    if let Some((name, inner)) = trailing_paren(cell) {
        if is_code(inner.trim()) {
            return (name.trim().to_string(), Some(inner.trim().to_string()));
        }
    }
    if let Some((name, code)) = cell.rsplit_once(char::is_whitespace) {
        if is_code(code) {
            return (name.trim().to_string(), Some(code.to_string()));
        }
    }
    (cell.to_string(), None)
}

/// Finds the header row (tables often have a title row above it): the first of
/// the first twenty rows that names a 职权名称 column and at least two others.
fn find_header(
    rows: &[Vec<String>],
    custom: &BTreeMap<String, String>,
) -> Option<(usize, HashMap<Column, usize>)> {
    rows.iter().take(20).enumerate().find_map(|(i, r)| {
        let m = map_columns(r, custom);
        (m.contains_key(&Column::Name) && m.len() >= 3).then_some((i, m))
    })
}

fn lines(cell: &str) -> Vec<String> {
    cell.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn split_list(cell: &str) -> Vec<String> {
    cell.split(['、', '，', ',', '；', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// A trailing `（…）` (full or half width): the text before it and inside it.
fn trailing_paren(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_end();
    let (open, close) = if s.ends_with('）') {
        ('（', '）')
    } else if s.ends_with(')') {
        ('(', ')')
    } else {
        return None;
    };
    let body = &s[..s.len() - close.len_utf8()];
    let at = body.rfind(open)?;
    Some((&body[..at], &body[at + open.len_utf8()..]))
}

/// One line of 设定依据: `《法规》（层级 文号）条款：条文`, or looser forms
/// (`法规第N条：…`, a bare title).
pub fn parse_basis(line: &str) -> BasisText {
    let line = line.trim();
    let mut b = BasisText::default();
    let rest = if let Some(after) = line.strip_prefix('《') {
        match after.split_once('》') {
            Some((law, rest)) => {
                b.law = law.trim().to_string();
                rest
            }
            None => {
                b.law = after.to_string();
                ""
            }
        }
    } else {
        // 社会救助暂行办法第十一条：… — the law ends where the article begins.
        let head = line.split(['：', ':']).next().unwrap_or(line);
        let law_end = head.find('第').filter(|&i| i > 0).unwrap_or(head.len());
        b.law = line[..law_end].trim().to_string();
        &line[law_end..]
    };
    let mut rest = rest.trim_start();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inner) = rest.strip_prefix(open) {
            if let Some((meta, after)) = inner.split_once(close) {
                let mut tokens = meta.split_whitespace();
                let first = tokens.next().unwrap_or("");
                if LawLevel::from_label(first).is_some() {
                    b.level = Some(first.to_string());
                    let doc: Vec<&str> = tokens.collect();
                    b.doc_no = (!doc.is_empty()).then(|| doc.join(" "));
                } else if crate::law::cite::is_edition(meta) {
                    // （2017年修正）: which text, not a 文号; the current one is checked.
                } else if !meta.trim().is_empty() {
                    b.doc_no = Some(meta.trim().to_string());
                }
                rest = after;
            }
            break;
        }
    }
    let (article, text) = match rest.split_once(['：', ':']) {
        Some((a, t)) => (a.trim(), Some(t.trim())),
        None => (rest.trim(), None),
    };
    b.article = (!article.is_empty()).then(|| article.to_string());
    b.text = text.filter(|t| !t.is_empty()).map(String::from);
    b
}

/// A basis cell as published tables write it, into the laws it cites: one
/// entry per 《title》 — numbered (`1、`, `；2、`), tagged (【法律】), with the
/// issuer before the title (国务院《…》), several on one line or one per line —
/// each with its 文号, its articles (`第N条` after the title or on lines of
/// their own) and its quoted text (the lines after an article, items included).
/// A cell with no 《》 at all is read line by line as before.
pub fn parse_basis_cell(cell: &str) -> Vec<BasisText> {
    if !cell.contains('《') {
        return lines(cell).iter().map(|l| parse_basis(l)).collect();
    }
    let mut chunks: Vec<(Option<String>, String)> = Vec::new();
    for line in cell.lines() {
        let mut rest = line.trim();
        loop {
            let (tag, after) = strip_lead(rest);
            // 公路安全保护条例第三十五条 on a line of its own: a law without 《》.
            if law_start(after).is_none() && bare_law(after) {
                chunks.push((tag, after.to_string()));
                break;
            }
            match law_start(after) {
                Some(at) => {
                    // Text after the title up to the next law of this line (after a ；).
                    let body = &after[at..];
                    let end = next_law(body);
                    chunks.push((tag, body[..end].to_string()));
                    rest = &body[end..];
                    if rest.is_empty() {
                        break;
                    }
                }
                None => {
                    if let Some((_, text)) = chunks.last_mut() {
                        if !after.is_empty() {
                            text.push('\n');
                            text.push_str(after);
                        }
                    }
                    break;
                }
            }
        }
    }
    chunks
        .iter()
        .map(|(tag, c)| law_chunk(tag.as_deref(), c))
        .collect()
}

/// A line's numbering and tag stripped: `；2、【行政法规】…` → (行政法规, …).
fn strip_lead(s: &str) -> (Option<String>, &str) {
    let mut s = s.trim_start_matches([';', '；', ' ', '\u{3000}']);
    let digits = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || "一二三四五六七八九十".contains(*c)))
        .map_or(s.len(), |(i, _)| i);
    if digits > 0 {
        if let Some(r) = s[digits..].strip_prefix(['、', '.', '．', '）', ')']) {
            s = r;
        }
    }
    if let Some(r) = s.strip_prefix(['（', '(']) {
        if let Some((n, r)) = r.split_once(['）', ')']) {
            if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) {
                s = r;
            }
        }
    }
    s = s.trim_start_matches(['①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩', ' ']);
    let mut tag = None;
    if let Some(r) = s.strip_prefix('【') {
        if let Some((t, r)) = r.split_once('】') {
            tag = LawLevel::from_label(t.trim()).map(|l| l.label().to_string());
            s = r;
        }
    }
    (tag, s.trim_start())
}

/// A line that opens with a law's name and its article, without 《》
/// (`公路安全保护条例第三十五条：…`), not a line of an article's text.
fn bare_law(s: &str) -> bool {
    let Some(i) = s.find('第').filter(|&i| i > 0) else {
        return false;
    };
    let head = &s[..i];
    const ENDS: [&str; 9] = [
        "法", "条例", "办法", "规定", "细则", "决定", "规则", "规程", "通知",
    ];
    head.chars().count() <= 40
        && !head.contains(['，', '。', '：', ':', '；', '、', '（', '('])
        && ENDS.iter().any(|e| head.ends_with(e))
        && article_at(&s[i..]).is_some()
}

/// Where the 《 of a law cited at the start of `s` is: right there, or after a
/// short issuer (国务院《…》, 人力资源社会保障部、财政部《…》).
fn law_start(s: &str) -> Option<usize> {
    let at = s.find('《')?;
    let issuer = &s[..at];
    let short = issuer.chars().count() <= 24
        && !issuer.contains(['第', '：', ':', '，', '。', '；', '…', '（', '）', '(', ')'])
        && !["依照", "根据", "按照", "依据", "违反"]
            .iter()
            .any(|w| issuer.ends_with(w))
        && issuer.chars().all(|c| !c.is_ascii_digit());
    short.then_some(at)
}

/// The end of one law's text on a line: before a `；` that opens another law —
/// or a `、`, `，` or space, while no quoted text has begun (`《甲》第三条、《乙》第五条`;
/// a 《》 inside an article's text stays in it).
fn next_law(body: &str) -> usize {
    let mut from = 0;
    while let Some(i) = body[from..]
        .find(['；', ';', '、', '，', ',', ' '])
        .map(|i| from + i)
    {
        let quoting = body[..i].contains(['：', ':', '。']);
        if quoting && !body[i..].starts_with(['；', ';']) {
            from = i + body[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let sep = body[i..].chars().next().map_or(1, char::len_utf8);
        let (_, after) = strip_lead(&body[i + sep..]);
        if law_start(after).is_some() {
            return i;
        }
        from = i + sep;
    }
    body.len()
}

/// An article label at the start of `s`: `第四十四条、第九十条`, `第十条第二款第（三）项`.
fn article_at(s: &str) -> Option<usize> {
    let s2 = s.strip_prefix(['第', '笫'])?;
    let mut end = s.len() - s2.len();
    let mut seen_unit = false;
    for (i, c) in s2.char_indices() {
        let ok = "零〇一二两三四五六七八九十百千、至和及之第（）() ".contains(c)
            || c.is_ascii_digit()
            || ('０'..='９').contains(&c);
        let unit = matches!(c, '条' | '款' | '项');
        if !(ok || unit) {
            break;
        }
        seen_unit |= unit;
        if unit {
            end = s.len() - s2.len() + i + c.len_utf8();
        }
    }
    seen_unit.then_some(end)
}

/// One law's part of a cell: `《title》（层级 文号）文号 第N条：text`, further
/// `第N条 text` lines, item lines.
fn law_chunk(tag: Option<&str>, chunk: &str) -> BasisText {
    let head = &chunk[chunk.find('《').unwrap_or(0)..];
    let mut b = parse_basis(head.lines().next().unwrap_or(""));
    b.level = b.level.or(tag.map(String::from));
    if b.doc_no.is_none() {
        b.doc_no = doc_no_in(head.lines().next().unwrap_or(""));
    }
    // The first line's article and text as parse_basis read them, then more lines.
    let mut articles: Vec<String> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut rest_lines: Vec<String> = vec![match (b.article.take(), b.text.take()) {
        (Some(a), Some(t)) => format!("{a}：{t}"),
        (Some(a), None) => a,
        (None, Some(t)) => t,
        (None, None) => String::new(),
    }];
    rest_lines.extend(chunk.lines().skip(1).map(|l| l.trim().to_string()));
    for line in rest_lines {
        let line = drop_doc_no(line.trim());
        if line.is_empty() {
            continue;
        }
        match article_at(line) {
            Some(end) => {
                articles.push(line[..end].trim().to_string());
                let t = line[end..].trim_start_matches(['：', ':', ' ', '\u{3000}', '，']);
                texts.push(t.to_string());
            }
            None => match texts.last_mut() {
                Some(t) => t.push_str(line),
                None => texts.push(line.to_string()),
            },
        }
    }
    b.article = (!articles.is_empty()).then(|| articles.join("、"));
    let texts: Vec<String> = texts.into_iter().filter(|t| !t.is_empty()).collect();
    b.text = (!texts.is_empty()).then(|| texts.join("……"));
    b
}

/// Whether a word is a 文号: `国务院令第649号`, `民发〔2019〕3号`.
fn is_doc_no(t: &str) -> bool {
    t.ends_with('号') && (t.contains("令第") || t.contains('〔') || t.contains('['))
}

/// A 文号 written after a title without brackets.
fn doc_no_in(line: &str) -> Option<String> {
    let after = &line[line.find('》')? + '》'.len_utf8()..];
    after
        .split(|c: char| c.is_whitespace() || "（）()，,：:".contains(c))
        .find(|t| is_doc_no(t))
        .map(String::from)
}

/// A line without a leading 文号 token (the article follows it).
fn drop_doc_no(line: &str) -> &str {
    match line.split_once(char::is_whitespace) {
        Some((t, rest)) if is_doc_no(t) => rest.trim(),
        _ => line,
    }
}

/// `名称（N份）` → (名称, Some(N)).
fn parse_material(line: &str) -> (String, Option<u32>) {
    if let Some((name, inner)) = trailing_paren(line) {
        if let Some(n) = inner.strip_suffix('份').and_then(|n| n.trim().parse().ok()) {
            return (name.trim().to_string(), Some(n));
        }
    }
    (line.trim().to_string(), None)
}

/// `项目：标准（依据）`, from the end.
fn parse_fee(line: &str) -> (String, Option<String>, Option<String>) {
    let (head, basis) = match trailing_paren(line) {
        Some((h, b)) => (h, Some(b.trim().to_string())),
        None => (line, None),
    };
    match head.split_once('：') {
        Some((item, standard)) => (item.trim().into(), Some(standard.trim().into()), basis),
        None => (head.trim().into(), None, basis),
    }
}

/// `渠道（电话，地址，邮箱，网址）`: each extra sorted by its look.
fn parse_channel(line: &str) -> [Option<String>; 5] {
    let mut out: [Option<String>; 5] = Default::default();
    let (name, extras) = match trailing_paren(line) {
        Some((n, e)) => (n, e),
        None => (line, ""),
    };
    out[0] = Some(name.trim().to_string());
    for part in extras
        .split(['，', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let digits = part.chars().filter(char::is_ascii_digit).count();
        let phone_like = part
            .chars()
            .all(|c| c.is_ascii_digit() || " -+()（）转".contains(c));
        let slot = if part.contains('@') {
            3
        } else if part.starts_with("http") || part.starts_with("www.") {
            4
        } else if phone_like && digits >= 3 {
            1
        } else {
            2
        };
        match &mut out[slot] {
            Some(v) => {
                v.push('，');
                v.push_str(part);
            }
            None => out[slot] = Some(part.to_string()),
        }
    }
    out
}

/// A cell that `export` defused (a leading `'` before `=`, `+`, `-`, `@`).
fn undefuse(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) => rest,
        _ => cell,
    }
}

/// A row of the table read into the facts of a power.
#[derive(Debug, Clone)]
pub struct RowFacts {
    /// The row number as the spreadsheet shows it.
    pub row: usize,
    pub facts: Facts,
}

/// What the rows above left to carry down, and the notes so far.
struct Reader<'a> {
    /// The 子项 column, when the table has 主项 and 子项.
    sub_col: Option<usize>,
    /// Columns of the table with no place in a power: (header, index); kept in 备注.
    unplaced: Vec<(String, usize)>,
    /// How many columns the header names (a cell beyond them belongs to no column).
    width: usize,
    /// The table has no 权力编码 column: codes are made (`generated_code`).
    generate: bool,
    generated: usize,
    settings: &'a Settings,
    seen: HashSet<String>,
    /// Whether blank grouping cells repeat the row above (see `Table`).
    carries: bool,
    last_department: String,
    last_office: String,
    /// How many blank cells were filled from the row above.
    carried: usize,
    notes: Vec<RowNote>,
}

/// Reads the rows of a table (as `read_table` gives them) into facts, one per
/// usable row; rows left out and cells dropped are noted. Writes nothing.
pub fn read_rows(
    table: &Table,
    settings: &Settings,
) -> anyhow::Result<(Vec<RowFacts>, Vec<RowNote>, Counts)> {
    let rows = &table.rows;
    let custom = &settings.config.import.columns;
    for (department, prefix) in &settings.config.import.prefixes {
        if !crate::model::valid_code(prefix) || prefix.len() > 40 {
            bail!(
                "powerlist.toml [import.prefixes]: `{department}` 的前缀 `{prefix}` 只能使用字母、数字、`-`、`_`（最长 40 位），它是权力编码的开头"
            );
        }
    }
    for (value, target) in &settings.config.import.categories {
        if settings.category(target).is_none() {
            bail!(
                "powerlist.toml [import.categories]: `{value}` = `{target}`：`{target}` 不是职权类别；可选：{}",
                settings.categories.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(" ")
            );
        }
    }
    for target in custom.values() {
        if Column::named(target).is_none() {
            bail!(
                "powerlist.toml [import.columns]: `{target}` 不是职权目录的列名；可选：{}",
                Column::headers().collect::<Vec<_>>().join(" ")
            );
        }
    }
    let Some((header_at, mut cols)) = find_header(rows, custom) else {
        bail!(
            "没有找到表头: 前 20 行中没有一行同时含有 “职权名称” 和至少两个其他列名 (no header row); \
             其他列名可在 powerlist.toml 的 [import.columns] 中对应"
        );
    };
    let (sub_col, data_from) = sub_items(rows, header_at, &mut cols);
    let unplaced: Vec<(String, usize)> = rows[header_at]
        .iter()
        .enumerate()
        .filter(|(i, h)| {
            !h.trim().is_empty() && !cols.values().any(|c| c == i) && Some(*i) != sub_col
        })
        .map(|(i, h)| (normalise_header(h), i))
        .collect();
    let width = rows[header_at]
        .iter()
        .rposition(|h| !h.trim().is_empty())
        .map_or(0, |i| i + 1);
    let mut reader = Reader {
        sub_col: None,
        unplaced,
        width,
        settings,
        generate: !cols.contains_key(&Column::Code),
        generated: 0,
        seen: HashSet::new(),
        carries: table.carries,
        last_department: String::new(),
        last_office: String::new(),
        carried: 0,
        notes: Vec::new(),
    };
    let mut out = Vec::new();
    reader.sub_col = sub_col;
    for (i, row) in rows.iter().enumerate().skip(data_from) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if let Some(facts) = reader.row(i + 1, row, &cols) {
            out.push(RowFacts { row: i + 1, facts });
        }
    }
    Ok((
        out,
        reader.notes,
        Counts {
            carried: reader.carried,
            generated: reader.generated,
            unplaced: reader.unplaced.iter().map(|(h, _)| h.clone()).collect(),
        },
    ))
}

/// What `import` did to cells the table left to it.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    /// Blank 实施主体 / 承办机构 cells of a CSV filled from the row above.
    pub carried: usize,
    /// Codes made for a table without a 权力编码 column.
    pub generated: usize,
    /// Headers of columns with no place in a power, kept in 备注.
    pub unplaced: Vec<String>,
}

/// A code for a row of a table without codes: `[prefix-]<category code>-NNNN`,
/// NNNN from the 实施主体 and the name (FNV-1a), so that importing the table
/// again with rows added gives each row its code again; a clash takes the next
/// free number.
fn generated_code(
    prefix: Option<&str>,
    category_code: &str,
    department: &str,
    name: &str,
) -> (String, u32) {
    let mut h: u32 = 0x811c_9dc5;
    for b in department.bytes().chain([b'|']).chain(name.bytes()) {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    let n = h % 9000 + 1000;
    let head = match prefix {
        Some(p) => format!("{p}-{category_code}"),
        None => category_code.to_string(),
    };
    (head, n)
}

impl Reader<'_> {
    fn note(&mut self, row: usize, message: String, skipped: bool) {
        self.notes.push(RowNote {
            row,
            message,
            skipped,
        });
    }

    /// The category a cell names: by name or code, after `[import.categories]`;
    /// spaces and line breaks inside it do not count (「行政⏎许可」).
    fn category_of(&self, cell: &str) -> Option<String> {
        let value: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
        let mapped = self
            .settings
            .config
            .import
            .categories
            .iter()
            .find(|(k, _)| k.chars().filter(|c| !c.is_whitespace()).collect::<String>() == value)
            .map_or(value.as_str(), |(_, v)| v.as_str());
        // 行政强制措施 and 行政强制执行 are the two kinds of 行政强制 (行政强制法第二条).
        let mapped = match mapped {
            "行政强制措施" | "行政强制执行" if self.settings.category(mapped).is_none() => {
                "行政强制"
            }
            m => m,
        };
        self.settings.category(mapped).map(String::from)
    }

    /// The code, name, category and department of a row, or every reason why
    /// it is skipped.
    fn identity(
        &mut self,
        no: usize,
        cell: &dyn Fn(Column) -> String,
    ) -> Result<(String, String, String, String), String> {
        let (mut code, name) = (cell(Column::Code), cell(Column::Name));
        let mut why: Vec<String> = Vec::new();
        if name.is_empty() {
            why.push("职权名称为空 (no name)".into());
        }
        let shown = &name;
        // The category decides the procedure and the law: never guessed.
        let category = cell(Column::Category);
        let canonical = self.category_of(&category);
        if canonical.is_none() {
            let flat: String = category.chars().filter(|c| !c.is_whitespace()).collect();
            why.push(if flat.is_empty() {
                format!("“{shown}” 的职权类别为空：类别决定适用的程序和法律，不从上一行沿用，请在表中填写 (no category)")
            } else {
                format!("未知的职权类别 `{flat}`：可在 powerlist.toml 的 [import.categories] 中对应到职权类别 (unknown category)")
            });
        }
        // A blank 实施主体 repeats the row above only for a row that is imported.
        let mut department = None;
        if self.generate && code.is_empty() {
            if let (Some(c), true) = (&canonical, why.is_empty()) {
                let d = self.carry(cell(Column::Department), true);
                code = self.new_code(c, &d, &name);
                department = Some(d);
            }
        } else if code.is_empty() {
            why.push(format!("“{shown}” 没有权力编码 (no code)"));
        } else if !crate::model::valid_code(&code) {
            why.push(format!(
                "权力编码 `{code}` 无效：只能使用字母、数字、`-`、`_`，最长 64 位 (bad code)"
            ));
        } else if !self.seen.insert(code.clone()) {
            why.push(format!("权力编码 `{code}` 与前面的行重复 (duplicate code)"));
        }
        let Some(canonical) = canonical.filter(|_| why.is_empty()) else {
            return Err(why.join("；"));
        };
        let department = department.unwrap_or_else(|| self.carry(cell(Column::Department), true));
        if let Some((segment, named)) = self.settings.code_contradicts(&code, &canonical) {
            // Imported as written; `check` repeats it (rule code-category).
            let message = format!(
                "权力编码 `{code}` 中的 `{segment}` 是{named}的代码，而职权类别是{canonical}：请核对 (code-category)"
            );
            self.note(no, message, false);
        }
        Ok((code, name, canonical, department))
    }

    /// Whether a row is a group heading (「一、行政许可（共5项）」, or a category
    /// alone): without name or code, one or two cells filled within the header's
    /// columns (a cell beyond them is a stray) — or one value in every filled
    /// cell, as a heading merged across a workbook reads. If so, it is said,
    /// never a power.
    fn heading(&mut self, no: usize, row: &[String], unnamed: bool) -> bool {
        let filled: Vec<(usize, &str)> = row
            .iter()
            .map(|c| c.trim())
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .collect();
        let few = unnamed && filled.len() <= 2 && filled.iter().all(|(i, _)| *i < self.width);
        let merged = filled.len() >= 3 && filled.iter().all(|(_, c)| *c == filled[0].1);
        if !(few || merged) {
            return false;
        }
        if merged {
            let flat: String = filled[0]
                .1
                .chars()
                .map(|c| if c.is_whitespace() { ' ' } else { c })
                .collect();
            self.note(
                no,
                format!("分组标题行「{flat}」，不是职权，未导入 (heading row)"),
                false,
            );
            return true;
        }
        let flat: String = filled
            .iter()
            .map(|(_, c)| *c)
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        self.note(
            no,
            format!("分组标题行「{flat}」，不是职权，未导入 (heading row)"),
            false,
        );
        true
    }

    /// The 备注 cell with the cells of columns that have no place in a power
    /// (实施层级, 承接单位 …), each as `列名：值`, so that nothing is dropped.
    fn note_with_unplaced(&self, row: &[String], note: String) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        if !note.is_empty() {
            parts.push(note);
        }
        for (header, i) in &self.unplaced {
            if let Some(v) = row
                .get(*i)
                .map(|v| undefuse(v.trim()))
                .filter(|v| !v.is_empty())
            {
                parts.push(format!("{header}：{v}"));
            }
        }
        (!parts.is_empty()).then(|| parts.join("；"))
    }

    /// A code made for a row of a table without codes (see [`generated_code`]).
    fn new_code(&mut self, category: &str, department: &str, name: &str) -> String {
        let cat = self
            .settings
            .categories
            .iter()
            .find(|(n, _)| n == category)
            .map_or("QT", |(_, c)| c.as_str());
        let prefix = self.settings.config.import.prefixes.get(department.trim());
        let (head, n) = generated_code(prefix.map(String::as_str), cat, department, name);
        // Every number tried once; past 9,000 rows of one prefix and category, a
        // second number is added (the set of codes is finite, so one is free).
        let tried = (0..9000).map(|k| format!("{head}-{:04}", (n - 1000 + k) % 9000 + 1000));
        let more = (1..).map(|k| format!("{head}-{n:04}-{k}"));
        let code = tried
            .chain(more)
            .find(|c| !self.seen.contains(c))
            .unwrap_or_default();
        self.seen.insert(code.clone());
        self.generated += 1;
        code
    }

    /// A grouping cell (实施主体, 承办机构): a blank one repeats the row above
    /// when the table cannot say what was merged.
    fn carry(&mut self, value: String, department: bool) -> String {
        let last = if department {
            &mut self.last_department
        } else {
            &mut self.last_office
        };
        if value.is_empty() && self.carries && !last.is_empty() {
            self.carried += 1;
            return last.clone();
        }
        last.clone_from(&value);
        value
    }

    /// One row's facts, or `None` (with a note) when the row cannot be used.
    fn row(&mut self, no: usize, row: &[String], cols: &HashMap<Column, usize>) -> Option<Facts> {
        let raw = |col: Column| -> String {
            cols.get(&col)
                .and_then(|&c| row.get(c))
                .map(|v| undefuse(v.trim()).to_string())
                .unwrap_or_default()
        };
        // A 子项 row is its own power: the 子项's name (and code, when it has one)
        // under the 主项's name.
        let sub = self
            .sub_col
            .and_then(|c| row.get(c))
            .map(|v| sub_item(undefuse(v.trim())))
            .filter(|(n, _)| !n.is_empty());
        let main_item = sub
            .as_ref()
            .map(|_| raw(Column::Name))
            .or_else(|| Some(raw(Column::MainItem)))
            .filter(|m| !m.is_empty());
        let cell = |col: Column| -> String {
            match (&sub, col) {
                (Some((n, _)), Column::Name) => n.clone(),
                (Some((_, Some(code))), Column::Code) => code.clone(),
                _ => raw(col),
            }
        };
        let unnamed = cell(Column::Name).is_empty() && cell(Column::Code).is_empty();
        if self.heading(no, row, unnamed) {
            return None;
        }
        let (code, name, category, department) = match self.identity(no, &cell) {
            Ok(id) => id,
            Err(message) => {
                self.note(no, message, true);
                return None;
            }
        };
        let mut limit = |column: Column| -> Option<String> {
            let v = cell(column);
            if v.is_empty() || v == "无" || v == "/" {
                return None;
            }
            if duration::parse(&v).is_err() {
                self.notes.push(RowNote {
                    row: no,
                    message: format!(
                        "{} “{v}” 无法识别，未导入 (unrecognised duration left out)",
                        column.header()
                    ),
                    skipped: false,
                });
                return None;
            }
            Some(v)
        };
        let statutory = limit(Column::Statutory);
        let promised = limit(Column::Promised);
        let nonempty = |s: String| (!s.is_empty()).then_some(s);
        let fees_cell = cell(Column::Fees);
        let free = ["", "不收费", "无", "免费", "否", "/"].contains(&fees_cell.as_str());
        Some(Facts {
            code,
            name,
            main_item,
            category,
            department: nonempty(department),
            office: nonempty(self.carry(cell(Column::Office), false)),
            responsible: nonempty(cell(Column::Responsible)),
            source: nonempty(cell(Column::Source)).filter(|s| Source::from_label(s).is_some()),
            basis: parse_basis_cell(&cell(Column::Basis))
                .into_iter()
                .map(|mut b| {
                    crate::law::lookup::fill(&mut b, &self.settings.laws);
                    b
                })
                .collect(),
            conditions: lines(&cell(Column::Conditions)),
            materials: lines(&cell(Column::Materials))
                .iter()
                .map(|l| parse_material(l))
                .collect(),
            fees: if free {
                Vec::new()
            } else {
                lines(&fees_cell).iter().map(|l| parse_fee(l)).collect()
            },
            statutory,
            promised,
            scope: nonempty(cell(Column::Scope)),
            channels: split_list(&cell(Column::Channels)),
            time: nonempty(cell(Column::DisclosureTime)),
            note: self.note_with_unplaced(row, cell(Column::Note)),
            rights: split_list(&cell(Column::Rights)),
            complaints: lines(&cell(Column::Complaints))
                .iter()
                .map(|l| parse_channel(l))
                .collect(),
            ..self.accountability(no, &cell)
        })
    }

    /// The 权责清单 cells of a row: 责任事项, 责任事项依据, 追责情形 with 追责依据.
    fn accountability(&mut self, no: usize, cell: &dyn Fn(Column) -> String) -> Facts {
        let filled = |c: Column| -> Vec<BasisText> {
            parse_basis_cell(&cell(c))
                .into_iter()
                .map(|mut b| {
                    crate::law::lookup::fill(&mut b, &self.settings.laws);
                    b
                })
                .collect()
        };
        let duty_basis = filled(Column::DutyBasis);
        let bases = filled(Column::AccountabilityBasis);
        let (accountability, unassigned) =
            super::duties::parse_cases(&cell(Column::Accountability), &bases);
        if unassigned {
            self.note(
                no,
                format!(
                    "追责情形没有写明各自的依据：每一情形都引用了追责依据栏的全部 {} 条，请核对",
                    bases.len()
                ),
                false,
            );
        }
        let kind = cell(Column::Category);
        let coercion = if kind.contains("强制措施") {
            Some("措施".to_string())
        } else if kind.contains("强制执行") {
            Some("执行".to_string())
        } else {
            None
        };
        Facts {
            coercion,
            duties: super::duties::parse_duties(&cell(Column::Duties)),
            duty_basis,
            accountability,
            ..Facts::default()
        }
    }
}

/// The procedure of a 行政强制措施 (`coercion: 措施`).
const MEASURE_PROCEDURE: &str = "行政强制措施";

/// Whether the power written lists its 责任事项 in the table's order, so that
/// `export` gives the cell back as it was read.
fn keeps_stage_order(text: &str, duties: &[(String, String)]) -> bool {
    if duties.is_empty() {
        return true;
    }
    // A stage is known by its role when it has one (受理阶段责任 is 受理责任).
    let key = |stage: &str| {
        crate::model::duty::role_of_stage(stage).map_or_else(
            || stage.to_string(),
            |r| crate::model::duty::stage_of(r).to_string(),
        )
    };
    let mut want: Vec<(String, Vec<&str>)> = Vec::new();
    for (stage, duty) in duties {
        let stage = key(stage);
        match want.iter_mut().find(|(s, _)| *s == stage) {
            Some((_, d)) if d.contains(&duty.as_str()) => {}
            Some((_, d)) => d.push(duty),
            None => want.push((stage, vec![duty])),
        }
    }
    let want: Vec<(String, String)> = want.into_iter().map(|(s, d)| (s, d.join("；"))).collect();
    crate::load::parse_power(text).is_ok_and(|p| {
        let got: Vec<(String, String)> = crate::model::duty::stages(&p)
            .into_iter()
            .map(|(s, d)| (key(&s), d))
            .collect();
        got == want
    })
}

/// Reads `rows` and writes one YAML per usable row into `out`, with the steps
/// of its category's procedure. Existing files are kept unless `force`.
pub fn import(
    rows: &Table,
    settings: &Settings,
    procedures: &Procedures,
    out: &Path,
    force: bool,
) -> anyhow::Result<Imported> {
    let (read, notes, counts) = read_rows(rows, settings)?;
    let mut done = Imported {
        carried: counts.carried,
        generated: counts.generated,
        unplaced: counts.unplaced,
        written: Vec::new(),
        notes,
    };
    std::fs::create_dir_all(out).with_context(|| format!("无法创建 {}", out.display()))?;
    for RowFacts { row, facts } in read {
        let path = out.join(format!("{}.yaml", facts.code));
        // A link where the file goes is never written through (it may lead
        // out of the folder), with or without --force.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            done.notes.push(RowNote {
                row,
                message: format!(
                    "{} 是符号链接，不会写入 (a link is never written through)",
                    path.display()
                ),
                skipped: true,
            });
            continue;
        }
        if path.exists() && !force {
            done.notes.push(RowNote {
                row,
                message: format!(
                    "{} 已存在，未覆盖 (exists; use --force to replace)",
                    path.display()
                ),
                skipped: true,
            });
            continue;
        }
        let measure = facts.coercion.as_deref() == Some("措施");
        let proc = match procedures.named(MEASURE_PROCEDURE).filter(|_| measure) {
            Some(p) => p,
            None => procedures.get(&facts.category),
        };
        if facts.category == crate::model::COERCION && facts.coercion.is_none() {
            done.notes.push(RowNote {
                row,
                message: "表中没有写明是行政强制措施还是行政强制执行：流程按「行政强制」（催告、申请人民法院强制执行）生成，`coercion` 留作【待填写】；行政强制措施请在类别中写「行政强制措施」或改用 `powerlist new --procedure 行政强制措施`".to_string(),
                skipped: false,
            });
        }
        let (_, own) = super::yaml::place_duties(&facts.duties, proc);
        let mut facts = facts;
        let mut text = render(&facts, proc, Mode::Import);
        if !keeps_stage_order(&text, &facts.duties) {
            facts.duties_on_power = true;
            text = render(&facts, proc, Mode::Import);
            done.notes.push(RowNote {
                row,
                message: format!(
                    "责任事项的顺序与「{}」程序的环节顺序不同：各项按表中顺序记在 duties 中，未分到环节，请按实际流程核对",
                    facts.category
                ),
                skipped: false,
            });
        } else if !own.is_empty() {
            let stages: Vec<&str> = own.iter().map(|(s, _)| s.as_str()).collect();
            done.notes.push(RowNote {
                row,
                message: format!(
                    "责任事项「{}」不对应「{}」程序的环节，记在 duties 中（未丢弃）",
                    stages.join("」「"),
                    facts.category
                ),
                skipped: false,
            });
        }
        crate::publish::files::write_atomically(&path, &mut |w| Ok(w.write_all(text.as_bytes())?))?;
        done.written.push(path);
    }
    // Notes in row order, as they were found.
    done.notes.sort_by_key(|n| n.row);
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basis_lines_as_export_writes_them() {
        let b = parse_basis("《社会救助暂行办法》（行政法规 国务院令第649号）第十一条：申请最低生活保障, 按照下列程序办理：……");
        assert_eq!(b.law, "社会救助暂行办法");
        assert_eq!(b.level.as_deref(), Some("行政法规"));
        assert_eq!(b.doc_no.as_deref(), Some("国务院令第649号"));
        assert_eq!(b.article.as_deref(), Some("第十一条"));
        assert_eq!(
            b.text.as_deref(),
            Some("申请最低生活保障, 按照下列程序办理：……")
        );
    }

    /// Basis cells in the shapes published tables write them (twenty of them,
    /// checked by hand): (cell, [(law, level, 文号, articles, text)]).
    #[test]
    fn basis_cells_as_tables_write_them() {
        type Want<'a> = (
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
        );
        let cases: Vec<(&str, Vec<Want>)> = vec![
            ("《中华人民共和国公路法》第五十条", vec![("中华人民共和国公路法", None, None, Some("第五十条"), None)]),
            ("1、《中华人民共和国公路法》第五十条\n2、《公路安全保护条例》第三十五条", vec![
                ("中华人民共和国公路法", None, None, Some("第五十条"), None),
                ("公路安全保护条例", None, None, Some("第三十五条"), None)]),
            ("【法律】《中华人民共和国行政许可法》第十二条", vec![("中华人民共和国行政许可法", Some("法律"), None, Some("第十二条"), None)]),
            ("【行政法规】国务院《社会救助暂行办法》第十一条", vec![("社会救助暂行办法", Some("行政法规"), None, Some("第十一条"), None)]),
            ("《社会救助暂行办法》（国务院令第649号）第十一条", vec![("社会救助暂行办法", None, Some("国务院令第649号"), Some("第十一条"), None)]),
            ("《社会救助暂行办法》国务院令第649号 第十一条：申请最低生活保障，按照下列程序办理", vec![
                ("社会救助暂行办法", None, Some("国务院令第649号"), Some("第十一条"), Some("申请最低生活保障，按照下列程序办理"))]),
            ("《中华人民共和国行政许可法》\n第十二条 下列事项可以设定行政许可：\n（一）直接涉及国家安全的；\n（二）有限自然资源开发利用的。", vec![
                ("中华人民共和国行政许可法", None, None, Some("第十二条"), Some("下列事项可以设定行政许可：（一）直接涉及国家安全的；（二）有限自然资源开发利用的。"))]),
            ("《中华人民共和国公路法》第五十条；《公路安全保护条例》第三十五条", vec![
                ("中华人民共和国公路法", None, None, Some("第五十条"), None),
                ("公路安全保护条例", None, None, Some("第三十五条"), None)]),
            ("《中国公民收养子女登记办法》\n第八条", vec![("中国公民收养子女登记办法", None, None, Some("第八条"), None)]),
            ("《中华人民共和国行政处罚法》第四十四条、第四十五条", vec![("中华人民共和国行政处罚法", None, None, Some("第四十四条、第四十五条"), None)]),
            ("《中华人民共和国税收征收管理法》\n第八条 纳税人有权……\n第九条 税务机关应当……", vec![
                ("中华人民共和国税收征收管理法", None, None, Some("第八条、第九条"), Some("纳税人有权…………税务机关应当……"))]),
            (";1、《失业保险条例》第十四条;2、《失业保险金申领发放办法》第三条", vec![
                ("失业保险条例", None, None, Some("第十四条"), None),
                ("失业保险金申领发放办法", None, None, Some("第三条"), None)]),
            ("《社会救助暂行办法》（行政法规 国务院令第649号）第十一条：申请最低生活保障……", vec![
                ("社会救助暂行办法", Some("行政法规"), Some("国务院令第649号"), Some("第十一条"), Some("申请最低生活保障……"))]),
            ("人力资源社会保障部、财政部《失业保险金申领发放办法》第三条", vec![("失业保险金申领发放办法", None, None, Some("第三条"), None)]),
            ("《中华人民共和国行政许可法》第十二条第（一）项", vec![("中华人民共和国行政许可法", None, None, Some("第十二条第（一）项"), None)]),
            ("《中华人民共和国行政处罚法》第五十七条：调查终结，行政机关负责人应当对调查结果进行审查，依照《中华人民共和国行政处罚法》的规定作出决定", vec![
                ("中华人民共和国行政处罚法", None, None, Some("第五十七条"), Some("调查终结，行政机关负责人应当对调查结果进行审查，依照《中华人民共和国行政处罚法》的规定作出决定"))]),
            ("（1）《殡葬管理条例》第二十条\n（2）《中华人民共和国行政强制法》第五十三条", vec![
                ("殡葬管理条例", None, None, Some("第二十条"), None),
                ("中华人民共和国行政强制法", None, None, Some("第五十三条"), None)]),
            ("《某省道路运输条例》（2019年修正）第十条", vec![("某省道路运输条例", None, None, Some("第十条"), None)]),
            ("《中华人民共和国公路法》第十条至第十二条", vec![("中华人民共和国公路法", None, None, Some("第十条至第十二条"), None)]),
            ("《中华人民共和国公路法》第五十条、《公路安全保护条例》第三十五条", vec![
                ("中华人民共和国公路法", None, None, Some("第五十条"), None),
                ("公路安全保护条例", None, None, Some("第三十五条"), None)]),
            ("社会救助暂行办法第十一条：申请最低生活保障", vec![("社会救助暂行办法", None, None, Some("第十一条"), Some("申请最低生活保障"))]),
            ("《中华人民共和国公路法》第五十条\n公路安全保护条例第三十五条", vec![
                ("中华人民共和国公路法", None, None, Some("第五十条"), None),
                ("公路安全保护条例", None, None, Some("第三十五条"), None)]),
            ("《失业保险金申领发放办法》（部门规章）：经办机构自受理之日起10日内审核", vec![
                ("失业保险金申领发放办法", Some("部门规章"), None, None, Some("经办机构自受理之日起10日内审核"))]),
        ];
        assert!(cases.len() >= 20);
        for (cell, want) in cases {
            let parsed = parse_basis_cell(cell);
            let got: Vec<Want> = parsed
                .iter()
                .map(|b| {
                    (
                        b.law.as_str(),
                        b.level.as_deref(),
                        b.doc_no.as_deref(),
                        b.article.as_deref(),
                        b.text.as_deref(),
                    )
                })
                .collect();
            assert_eq!(got, want, "{cell}");
        }
    }

    #[test]
    fn looser_basis_lines() {
        let b = parse_basis("社会救助暂行办法第十一条");
        assert_eq!(
            (b.law.as_str(), b.article.as_deref()),
            ("社会救助暂行办法", Some("第十一条"))
        );
        let b = parse_basis("《殡葬管理条例》");
        assert_eq!(
            (b.law.as_str(), b.article, b.level),
            ("殡葬管理条例", None, None)
        );
        let b = parse_basis("《某办法》（市政府令第3号）");
        assert_eq!(b.doc_no.as_deref(), Some("市政府令第3号"));
    }

    #[test]
    fn cells_with_parts() {
        assert_eq!(
            parse_material("书面申请（1份）"),
            ("书面申请".into(), Some(1))
        );
        assert_eq!(
            parse_material("身份证（复印件）"),
            ("身份证（复印件）".into(), None)
        );
        assert_eq!(
            parse_fee("工本费：10元（财政部文件）"),
            (
                "工本费".into(),
                Some("10元".into()),
                Some("财政部文件".into())
            )
        );
        let c = parse_channel("县纪委（0832-3580006，县政府一楼，a@b.cn）");
        assert_eq!(c[0].as_deref(), Some("县纪委"));
        assert_eq!(c[1].as_deref(), Some("0832-3580006"));
        assert_eq!(c[2].as_deref(), Some("县政府一楼"));
        assert_eq!(c[3].as_deref(), Some("a@b.cn"));
        assert_eq!(undefuse("'=1+1"), "=1+1");
        assert_eq!(undefuse("'引号"), "'引号");
    }
}
