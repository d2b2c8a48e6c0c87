//! `powerlist.toml`: site settings, rule levels, extra categories, the holiday calendar.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context};
use serde::Deserialize;

use crate::diag::rules::{Level, Rule};
use crate::model::columns::Column;
use crate::model::duration::Calendar;
use crate::model::BUILTIN_CATEGORIES;

/// The file name looked up at the catalogue root.
pub const CONFIG_FILE: &str = "powerlist.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// 站点标题.
    pub title: Option<String>,
    /// 编制单位.
    pub organisation: Option<String>,
    /// A holiday calendar file, relative to the catalogue root.
    pub calendar: Option<String>,
    /// Rule name → `error` | `warn` | `off`.
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    /// Extra categories: name → two-letter (or longer) code.
    #[serde(default)]
    pub categories: BTreeMap<String, String>,
    /// How `powerlist import` reads other tables.
    #[serde(default)]
    pub import: ImportConfig,
    /// 公开日期 (YYYY-MM-DD, a TOML date or a string), shown on the index, the
    /// book and the workbook.
    #[serde(default, deserialize_with = "toml_date")]
    pub published: Option<String>,
    /// 批准文号 of the decision that approved the list.
    pub approval: Option<String>,
    /// Paper for printing: A4 (default) or A3.
    #[serde(default)]
    pub paper: Paper,
    /// How `export` and `build` write the table.
    #[serde(default)]
    pub export: ExportConfig,
    /// The catalogue's own law texts.
    #[serde(default)]
    pub laws: LawsConfig,
    /// How flowcharts are drawn.
    #[serde(default)]
    pub flowchart: FlowchartConfig,
    /// What `build` requires of a public power's flowchart (`publish::gate`).
    #[serde(default)]
    pub publish: PublishConfig,
}

/// `[publish]`: each item the gate asks of a public power; `false` relaxes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PublishConfig {
    /// 承办岗位 (`owner`) on every step but the start.
    pub owners: bool,
    /// 办理时限 (`time`) on every task and decision the office does.
    pub times: bool,
    /// 相对人权利 (`rights`).
    pub rights: bool,
    /// 投诉举报途径 (`complaints`) with a phone, address, email or URL.
    pub complaints: bool,
    /// 监督制约环节 (`supervision`).
    pub supervision: bool,
}

impl Default for PublishConfig {
    fn default() -> Self {
        PublishConfig {
            owners: true,
            times: true,
            rights: true,
            complaints: true,
            supervision: true,
        }
    }
}

/// A date setting, as a TOML date or a string, kept as its text.
fn toml_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let date: Option<crate::model::duration::TomlDate> = Deserialize::deserialize(d)?;
    Ok(date.map(|d| d.0))
}

/// `[flowchart]`: what a chart shows besides its steps.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowchartConfig {
    /// Each step's 责任事项 (`duty`) as a note beside its box.
    #[serde(default)]
    pub duties: bool,
}

/// `[laws]`: a folder of law texts in the law library's Markdown form (a
/// province's 地方性法规 and 规章), read like the built-in ones.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LawsConfig {
    pub texts: Option<String>,
}

/// Paper size for the printed book and the workbook.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum Paper {
    #[default]
    A4,
    A3,
}

impl Paper {
    /// The paper's code in a workbook's page setup.
    pub fn excel_code(self) -> u8 {
        match self {
            Paper::A4 => 9,
            Paper::A3 => 8,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportConfig {
    /// The header a template wants → the 职权目录 column it holds, in the
    /// template's order; columns not listed are left out. Empty: every column.
    #[serde(default)]
    pub columns: toml::Table,
    /// A column layout by name: `职权目录` (every column, the default) or
    /// `权责清单` (the 编办 layout of SPEC §7).
    pub layout: Option<String>,
}

/// The layouts `[export] layout` names.
pub const LAYOUTS: &[&str] = &["职权目录", "权责清单"];

/// The 权责清单 as the 编办 templates write it (SPEC §7), with widths that
/// keep the workbook legible printed one page wide on A4 landscape.
const ACCOUNTABILITY_LAYOUT: &[(Column, &str, f64)] = &[
    (Column::No, "序号", 5.0),
    (Column::Category, "职权类别", 8.0),
    (Column::Item, "项目名称", 14.0),
    (Column::SubItem, "子项", 12.0),
    (Column::Basis, "职权依据", 32.0),
    (Column::Department, "实施主体", 9.0),
    (Column::Duties, "责任事项", 36.0),
    (Column::DutyBasis, "责任事项依据", 26.0),
    (Column::Accountability, "追责情形", 28.0),
    (Column::AccountabilityBasis, "追责依据", 26.0),
    (Column::Note, "备注", 6.0),
];

/// One column of an exported table: the header written, the column it holds,
/// its width in the workbook (in characters).
#[derive(Debug, Clone, PartialEq)]
pub struct SheetColumn {
    pub header: String,
    pub column: Column,
    pub width: f64,
}

impl SheetColumn {
    fn own(column: Column) -> SheetColumn {
        SheetColumn {
            header: column.header().to_string(),
            column,
            width: column.width(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportConfig {
    /// A table's own header → the 职权目录 column it holds (e.g. "项目名称" = "职权名称").
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// A table's own category values → a category (e.g. "01" = "行政许可").
    #[serde(default)]
    pub categories: BTreeMap<String, String>,
    /// For a table without 权力编码: the code prefix of each 实施主体 (e.g. "县民政局" = "MZ").
    #[serde(default)]
    pub prefixes: BTreeMap<String, String>,
}

/// The columns `[export.columns]` or `[export] layout` asks for, in order.
/// Without either, every column under its own header.
pub fn export_columns(export: &ExportConfig) -> anyhow::Result<Vec<SheetColumn>> {
    match export.layout.as_deref() {
        None | Some("职权目录") => {}
        Some("权责清单") if export.columns.is_empty() => {
            return Ok(ACCOUNTABILITY_LAYOUT
                .iter()
                .map(|&(column, header, width)| SheetColumn {
                    header: header.to_string(),
                    column,
                    width,
                })
                .collect())
        }
        Some("权责清单") => {
            bail!("[export] layout = \"权责清单\" 与 [export.columns] 只能写一个：布局已规定了各列 (layout and columns exclude each other)")
        }
        Some(other) => bail!(
            "[export] layout = \"{}\": 没有这种表格布局 (unknown layout); 可选：{}",
            quoted(other),
            LAYOUTS.join(" ")
        ),
    }
    if export.columns.is_empty() {
        return Ok(Column::default_columns().map(SheetColumn::own).collect());
    }
    export
        .columns
        .iter()
        .map(|(header, value)| {
            let name = value.as_str().unwrap_or_default();
            match Column::named(name) {
                Some(c) => Ok(SheetColumn {
                    header: header.clone(),
                    ..SheetColumn::own(c)
                }),
                None => bail!(
                    "[export.columns] \"{}\" = {}: 不是职权目录的列 (not a column); 可用：{}",
                    quoted(header),
                    quoted(&value.to_string()),
                    Column::headers().collect::<Vec<_>>().join(" ")
                ),
            }
        })
        .collect()
}

/// A TOML error as one inert line: `file:line:column: message`.
pub fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> anyhow::Error {
    let (line, column, message) = crate::report::toml_problem(text, e);
    anyhow::anyhow!(
        "{}:{line}:{column}: 设置文件格式错误 (invalid settings): {message}",
        shown(path)
    )
}

/// A path or a value of the settings as a message shows it: inert.
fn shown(p: impl AsRef<std::ffi::OsStr>) -> String {
    crate::report::terminal_safe(&Path::new(p.as_ref()).display().to_string())
}

/// A value of the settings file as a message quotes it: inert.
fn quoted(s: &str) -> String {
    crate::report::terminal_safe(s)
}

/// Everything a check needs from the catalogue's settings, resolved.
#[derive(Debug)]
pub struct Settings {
    pub config: Config,
    pub levels: BTreeMap<Rule, Level>,
    /// (name, code) in the order they are listed.
    pub categories: Vec<(String, String)>,
    pub calendar: Calendar,
    /// The law registry: the shipped one with the catalogue's `laws.toml`.
    pub laws: crate::law::registry::Registry,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::from_config(Config::default(), Calendar::builtin())
    }
}

/// A catalogue's own additions and corrections to the law registry.
pub const LAWS_FILE: &str = "laws.toml";

/// Every `.md` file of the `[laws] texts` folder, in name order, into the registry.
fn read_law_texts(
    root: &Path,
    dir: &str,
    laws: &mut crate::law::registry::Registry,
) -> anyhow::Result<()> {
    let folder = root.join(dir);
    let entries = std::fs::read_dir(&folder)
        .with_context(|| format!("无法读取法规文本目录 {}（[laws] texts）", shown(&folder)))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    for name in names {
        let rel = format!("{}/{name}", dir.trim_end_matches('/'));
        // Inside the catalogue, a regular file, of a bounded size — as every settings file.
        if let Some(text) = crate::load::read_catalogue_file(root, &rel)? {
            laws.add_text(&text, &rel)
                .with_context(|| shown(root.join(&rel)))?;
        }
    }
    Ok(())
}

impl Settings {
    /// Reads `powerlist.toml` at the catalogue root, if there is one. Its
    /// error is one inert line: every part of it (a key, a value, a law's
    /// name, a file name, the calendar's own complaint) can come from the files.
    pub fn load(root: &Path) -> anyhow::Result<Settings> {
        Settings::read(root).map_err(|e| anyhow::anyhow!(quoted(&format!("{e:#}"))))
    }

    fn read(root: &Path) -> anyhow::Result<Settings> {
        let path = root.join(CONFIG_FILE);
        let config: Config = match crate::load::read_catalogue_file(root, CONFIG_FILE)? {
            Some(text) => toml::from_str(&text).map_err(|e| toml_error(&path, &text, &e))?,
            None => Config::default(),
        };
        for name in config.rules.keys() {
            if Rule::from_name(name).is_none() {
                bail!(
                    "{}: 未知规则 `{}`{}（`powerlist explain` 列出全部规则）",
                    shown(&path),
                    quoted(name),
                    crate::load::suggest::did_you_mean(name, Rule::names())
                );
            }
        }
        if let Some(date) = &config.published {
            if date.parse::<jiff::civil::Date>().is_err() || date.len() != 10 {
                bail!(
                    "{}: published = \"{}\" 不是日期，应写作 YYYY-MM-DD (not a date)",
                    shown(&path),
                    quoted(date)
                );
            }
        }
        export_columns(&config.export).map_err(|e| anyhow::anyhow!("{}: {e}", shown(&path)))?;
        let calendar = match &config.calendar {
            None => Calendar::builtin(),
            Some(file) => {
                let p = root.join(file);
                let text = crate::load::read_catalogue_file(root, file)
                    .with_context(|| format!("无法读取节假日日历 {}", shown(&p)))?
                    .ok_or_else(|| {
                        anyhow::anyhow!("节假日日历 {} 不存在 (calendar not found)", shown(&p))
                    })?;
                Calendar::from_toml(&text).with_context(|| shown(&p))?
            }
        };
        let mut settings = Settings::from_config(config, calendar);
        if let Some(text) = crate::load::read_catalogue_file(root, LAWS_FILE)? {
            settings
                .laws
                .extend(&text)
                .with_context(|| shown(root.join(LAWS_FILE)))?;
        }
        if let Some(dir) = settings.config.laws.texts.clone() {
            read_law_texts(root, &dir, &mut settings.laws)?;
        }
        Ok(settings)
    }

    pub fn from_config(config: Config, calendar: Calendar) -> Settings {
        let levels = config
            .rules
            .iter()
            .filter_map(|(name, level)| Some((Rule::from_name(name)?, *level)))
            .collect();
        let mut categories: Vec<(String, String)> = BUILTIN_CATEGORIES
            .iter()
            .map(|(n, c)| (n.to_string(), c.to_string()))
            .collect();
        for (name, code) in &config.categories {
            if !categories.iter().any(|(n, _)| n == name) {
                categories.push((name.clone(), code.clone()));
            }
        }
        Settings {
            config,
            levels,
            categories,
            calendar,
            laws: crate::law::registry::Registry::builtin(),
        }
    }

    pub fn level(&self, rule: Rule) -> Level {
        self.levels
            .get(&rule)
            .copied()
            .unwrap_or(rule.default_level())
    }

    /// The canonical (Chinese) name of a category written as a name or a code.
    /// The category a code names in one of its `-`-separated segments (`MZ-QT-1`
    /// names 其他行政权力) when it is not `category`: (segment, category named).
    /// A code naming its own category anywhere, or none, contradicts nothing.
    pub fn code_contradicts<'a>(
        &'a self,
        code: &'a str,
        category: &str,
    ) -> Option<(&'a str, &'a str)> {
        let own = self.categories.iter().find(|(n, _)| n == category)?;
        let segments: Vec<&str> = code.split(['-', '_']).collect();
        if segments.iter().any(|s| s.eq_ignore_ascii_case(&own.1)) {
            return None;
        }
        segments.into_iter().find_map(|s| {
            self.categories
                .iter()
                .find(|(_, c)| c.eq_ignore_ascii_case(s))
                .map(|(n, _)| (s, n.as_str()))
        })
    }

    pub fn category(&self, written: &str) -> Option<&str> {
        let w = written.trim();
        self.categories
            .iter()
            .find(|(n, c)| n == w || c.eq_ignore_ascii_case(w))
            .map(|(n, _)| n.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(text: &str) -> anyhow::Result<Vec<SheetColumn>> {
        let config: Config = toml::from_str(text).unwrap();
        export_columns(&config.export)
    }

    /// Printed one page wide on A4 landscape (0.4 in margins), the 10 pt text
    /// of the 权责清单 workbook stays at 7 pt or more: Excel gives a column of
    /// width w about 7w + 5 pixels at 96 dpi.
    #[test]
    fn the_accountability_layout_prints_legibly_on_a4() {
        let cols = layout("[export]\nlayout = \"权责清单\"\n").unwrap();
        let headers: Vec<&str> = cols.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(
            headers,
            [
                "序号",
                "职权类别",
                "项目名称",
                "子项",
                "职权依据",
                "实施主体",
                "责任事项",
                "责任事项依据",
                "追责情形",
                "追责依据",
                "备注"
            ]
        );
        let pixels: f64 = cols.iter().map(|c| 7.0 * c.width + 5.0).sum();
        let printable = (11.69 - 0.8) * 96.0;
        let points = 10.0 * (printable / pixels).min(1.0);
        assert!(points >= 7.0, "{points:.1} pt");
        // The default layout is every column but the layout's two name columns.
        let all = layout("").unwrap();
        assert!(all.iter().any(|c| c.column == Column::MainItem));
        assert!(!all.iter().any(|c| c.column == Column::Item));
        assert_eq!(layout("[export]\nlayout = \"职权目录\"\n").unwrap(), all);
    }

    #[test]
    fn a_layout_is_one_of_the_known_and_excludes_columns() {
        let e = layout("[export]\nlayout = \"清单\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("权责清单"), "{e}");
        let e = layout("[export]\nlayout = \"权责清单\"\n[export.columns]\n\"序号\" = \"序号\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("只能写一个"), "{e}");
    }
}
