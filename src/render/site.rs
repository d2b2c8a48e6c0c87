//! The site's pages through tera. Templates are embedded; a catalogue may replace
//! any of them, file by file, with its own `templates/<name>` (as mdBook themes do).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::builtin::{self, Builtin, Cell};
use super::print;
use super::svg::ChartSize;
use super::view::{DutiesView, LegendBlock, PowerView};
use crate::config::Paper;
use crate::model::columns::{Column, Row};

/// Where the frame `print.html` puts the powers: a value no text escapes into.
const BOOK_POWERS: &str = "\u{E000}powerlist:powers\u{E000}";

/// The height the 「权力运行流程图」 heading takes above a printed chart.
pub const HEADING: f64 = 56.0;

/// The default templates and assets, embedded in the binary.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("duties.html", include_str!("../../templates/duties.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("power.html", include_str!("../../templates/power.html")),
    ("print.html", include_str!("../../templates/print.html")),
    (
        "print-power.html",
        include_str!("../../templates/print-power.html"),
    ),
    ("group.html", include_str!("../../templates/group.html")),
    (
        "internal.html",
        include_str!("../../templates/internal.html"),
    ),
    ("style.css", include_str!("../../templates/style.css")),
    ("search.js", include_str!("../../templates/search.js")),
];

/// The folder inside a catalogue whose files replace the defaults of the same name.
pub const OVERRIDE_DIR: &str = "templates";

/// Escapes for HTML text and attributes (tera's escape function); line breaks stay.
pub fn escape_html(text: &str) -> String {
    super::escape_markup(text, true)
}

/// The templates (with the catalogue's overrides) and the assets to copy.
pub struct Theme {
    tera: tera::Tera,
    /// `assets/<name>` files: the stylesheet and the search script.
    pub assets: Vec<(String, String)>,
    /// Which files came from the catalogue, for the build's report.
    pub overridden: Vec<String>,
    /// The pages written without tera: those whose templates are all the shipped ones.
    builtin: Builtin,
}

impl Theme {
    pub fn load(catalogue: &Path) -> anyhow::Result<Theme> {
        let mut files: BTreeMap<String, String> = DEFAULTS
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let mut overridden = Vec::new();
        let dir = catalogue.join(OVERRIDE_DIR);
        if dir.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(&dir)
                .with_context(|| format!("无法读取模板目录 {}", dir.display()))?
                .collect::<Result<_, _>>()
                .with_context(|| format!("无法读取模板目录 {}", dir.display()))?;
            entries.sort_by_key(|e| e.file_name());
            for e in entries {
                let name = e.file_name().to_string_lossy().into_owned();
                let wanted = [".html", ".css", ".js"].iter().any(|x| name.ends_with(x));
                if !wanted || name.starts_with('.') {
                    continue;
                }
                // Read like any catalogue file: a regular file inside the
                // catalogue, links resolved — never /etc/passwd through a link.
                let rel = format!("{OVERRIDE_DIR}/{name}");
                let Some(text) = crate::load::read_catalogue_file(catalogue, &rel)
                    .map_err(|err| {
                        anyhow::anyhow!(crate::report::terminal_safe(&format!("{err:#}")))
                    })
                    .with_context(|| {
                        let shown = e.path().display().to_string();
                        format!("无法读取模板 {}", crate::report::terminal_safe(&shown))
                    })?
                else {
                    continue;
                };
                overridden.push(name.clone());
                files.insert(name, text);
            }
        }
        refuse_self_recursion(&files)?;
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        restrict_functions(&mut tera);
        let templates: Vec<(&str, &str)> = files
            .iter()
            .filter(|(n, _)| n.ends_with(".html"))
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        tera.add_raw_templates(templates)
            .map_err(|e| anyhow::anyhow!("{}", tera_chain(&e)))
            .context("模板有误 (a template does not parse)")?;
        let assets = files
            .into_iter()
            .filter(|(n, _)| !n.ends_with(".html"))
            .collect();
        Ok(Theme {
            tera,
            assets,
            builtin: Builtin::of(&overridden),
            overridden,
        })
    }

    fn render(&self, name: &str, ctx: &tera::Context) -> anyhow::Result<String> {
        self.tera
            .render(name, ctx)
            .map_err(|e| anyhow::anyhow!("{}", tera_chain(&e)))
            .with_context(|| format!("渲染模板 {name} 失败 (rendering failed)"))
    }

    /// The page written into `out` as it renders (not gathered into a
    /// string first, which would read it all again to check its UTF-8).
    fn render_to(
        &self,
        name: &str,
        ctx: &tera::Context,
        out: impl std::io::Write,
    ) -> anyhow::Result<()> {
        self.tera
            .render_to(name, ctx, out)
            .map_err(|e| anyhow::anyhow!("{}", tera_chain(&e)))
            .with_context(|| format!("渲染模板 {name} 失败 (rendering failed)"))
    }

    /// The public powers grouped for the front page and the group pages: by
    /// category (in the settings' order, `(name, code)`) and by department.
    pub fn groups(rows: &[Row], categories: &[(String, String)]) -> (Vec<Group>, Vec<Group>) {
        let entries: Vec<Arc<Entry>> = rows.iter().map(|r| Arc::new(Entry::of(r))).collect();
        let code_of = |name: &str| -> Option<String> {
            categories
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, c)| c.clone())
                .filter(|c| is_category_code(c))
        };
        let mut categories_out = group(&entries, "cat", |e| e.category.clone(), &code_of);
        // A kind the table names (行政强制执行) stands where its category does,
        // as the table's 序号 do.
        categories_out.sort_by_key(|g| {
            (
                categories
                    .iter()
                    .position(|(c, _)| *c == g.name)
                    .or_else(|| {
                        categories
                            .iter()
                            .position(|(c, _)| g.name.starts_with(c.as_str()))
                    })
                    .unwrap_or(usize::MAX),
                g.name.clone(),
            )
        });
        let departments = group(&entries, "dept", |e| e.department.clone(), &|_| None);
        (categories_out, departments)
    }

    /// The front page: counts by category and department, each linking to its
    /// own page, and a search that loads its data only when used. It lists no
    /// power itself, so it stays small at any size of catalogue.
    pub fn index(
        &self,
        site: &SiteInfo,
        categories: &[Group],
        departments: &[Group],
    ) -> anyhow::Result<String> {
        let mut ctx = tera::Context::new();
        ctx.insert("site", site);
        ctx.insert("root", "");
        let summary = |g: &[Group]| -> Vec<Value> {
            g.iter()
                .map(|g| serde_json::json!({"name": g.name, "anchor": g.anchor, "page": g.page, "count": g.count}))
                .collect()
        };
        ctx.insert("categories", &summary(categories));
        ctx.insert("departments", &summary(departments));
        self.render("index.html", &ctx)
    }

    /// One category's or one department's page: its powers as a table.
    pub fn group_page<'a>(
        &self,
        site: &SiteInfo,
        g: &'a Group,
        kind: &str,
    ) -> anyhow::Result<String> {
        let other = if kind == "职权类别" {
            "实施主体"
        } else {
            "职权类别"
        };
        if self.builtin.group {
            let line = |e: &'a Arc<Entry>| builtin::Line {
                no: e.no,
                code: &e.code,
                name: &e.name,
                category: &e.category,
                department: &e.department,
                statutory: &e.statutory,
                promised: &e.promised,
                search: &e.search,
            };
            let mut page = String::with_capacity(4096 + 1024 * g.powers.len());
            builtin::group_page(
                &mut page,
                &builtin::Group {
                    site: frame(site),
                    name: &g.name,
                    count: g.count,
                    kind,
                    other,
                    powers: g.powers.iter().map(line).collect(),
                },
            );
            return Ok(page);
        }
        let mut ctx = tera::Context::new();
        ctx.insert("site", site);
        ctx.insert("root", "../");
        ctx.insert("group", g);
        ctx.insert("kind", kind);
        ctx.insert("other", other);
        self.render("group.html", &ctx)
    }

    /// `search-data.js`: one array per public power — code, name, category,
    /// department, office and the names of the laws it cites — loaded by the
    /// front page's search on first use.
    pub fn search_data(rows: &[Row]) -> String {
        let mut out = String::from("window.POWERLIST_INDEX = [\n");
        for (i, row) in rows.iter().enumerate() {
            let mut laws: Vec<&str> = law_names(&row[Column::Basis]).collect();
            laws.dedup();
            let item = serde_json::json!([
                row[Column::Code],
                row[Column::Name],
                row[Column::Category],
                row[Column::Department],
                row[Column::Office],
                laws.join(" "),
            ]);
            if i > 0 {
                out.push_str(",\n");
            }
            out.push_str(&item.to_string());
        }
        out.push_str("\n];\n");
        out
    }

    /// `print.html`: the public catalogue as one printable book — cover,
    /// contents, then each power from a new page with its table and chart —
    /// written to `out` one power at a time, so that a provincial list is never
    /// held as one string. `print.html` is the frame, with `{{ powers | safe }}`
    /// where the powers go; `print-power.html` is one power's section, with `p`:
    /// `no`, `code`, `name`, `table`, the chart's `width`, `height` and `parts`,
    /// and `main_item`, `duties`, `duty_basis`, `accountability` as `power`
    /// has them on a power's page.
    pub fn book(
        &self,
        site: &SiteInfo,
        categories: &[Group],
        powers: &[(&Row, Option<&ChartSize>, Option<&DutiesView>)],
        paper: Paper,
        kept: &Kept<'_>,
        out: &mut dyn std::io::Write,
    ) -> anyhow::Result<()> {
        let mut ctx = tera::Context::new();
        ctx.insert("site", site);
        ctx.insert("root", "");
        ctx.insert("paper", &paper);
        ctx.insert("categories", categories);
        ctx.insert("powers", BOOK_POWERS);
        let frame = self.render("print.html", &ctx)?;
        let Some((head, tail)) = frame.rsplit_once(BOOK_POWERS) else {
            anyhow::bail!(
                "模板 print.html 缺少 {{{{ powers | safe }}}}：打印本不知道把各项职权放在哪里"
            );
        };
        out.write_all(head.as_bytes())?;
        let mut ctx = tera::Context::new();
        ctx.insert("site", site);
        ctx.insert("root", "");
        // Sections are made on every core, a piece at a time, and written in
        // order: the book is the longest list, and a provincial one is never held whole.
        for piece in powers.chunks(BOOK_PIECE) {
            let sections = piece
                .par_iter()
                .map(|power| self.book_section(&ctx, power, paper, kept))
                .collect::<anyhow::Result<Vec<Vec<u8>>>>()?;
            for s in sections {
                out.write_all(&s)?;
            }
        }
        out.write_all(tail.as_bytes())?;
        Ok(())
    }

    /// One power's section of the book (`print-power.html` with `p`).
    fn book_section(
        &self,
        ctx: &tera::Context,
        (row, chart, list): &(&Row, Option<&ChartSize>, Option<&DutiesView>),
        paper: Paper,
        kept: &Kept<'_>,
    ) -> anyhow::Result<Vec<u8>> {
        // A chart's figure kept elsewhere (on disk, while a build runs) is read now.
        let loaded = match chart.filter(|c| c.figure.is_empty()) {
            Some(c) => Some(ChartSize {
                figure: (kept.figure)(&row[Column::Code], c)?,
                ..c.clone()
            }),
            None => None,
        };
        let chart = loaded.as_ref().or(*chart);
        let legend = chart.map_or(&[][..], |c| c.legend.as_slice());
        let ids = format!("{}-", row[Column::Code]);
        let printed = chart.map_or(Printed::default(), |c| {
            Printed::of(c, legend, paper, &ids, None)
        });
        // One document holds every power's chart: each its own arrow head.
        let whole = chart.map_or(String::new(), |c| {
            arrow_renamed(&c.figure, &format!("-{ids}0"))
        });
        if self.builtin.book {
            let kept_list;
            let list = match list {
                Some(l) => *l,
                None => {
                    // Unreadable JSON reads as no 责任事项, as tera's path reads it.
                    let text = (kept.duties)(&row[Column::Code]);
                    kept_list = text
                        .and_then(|t| serde_json::from_str::<DutiesView>(&t).ok())
                        .unwrap_or_default();
                    &kept_list
                }
            };
            let mut section = String::with_capacity(32 * 1024);
            let cells = cells(row);
            builtin::book_section(
                &mut section,
                &builtin::Section {
                    no: &row[Column::No],
                    code: &row[Column::Code],
                    name: &row[Column::Name],
                    table: &cells,
                    svg: &whole,
                    parts: &svgs(&printed.parts),
                    chart_max: printed.max,
                    legend,
                    list,
                },
            );
            return Ok(section.into_bytes());
        }
        let mut p = serde_json::json!({
            "no": row[Column::No],
            "code": row[Column::Code],
            "name": row[Column::Name],
            "table": cells(row),
            "width": chart.map_or(0.0, |c| c.width),
            "height": chart.map_or(0.0, |c| c.height),
            "chart_max": printed.max,
            "legend": legend,
        });
        // The drawings are moved in, not copied as `json!` would.
        if let Value::Object(p) = &mut p {
            p.insert("svg".into(), Value::String(whole));
            p.insert("parts".into(), parts_value(printed.parts));
        }
        // 责任事项 kept elsewhere (as JSON, on disk while a build runs) are read now.
        let list = match list {
            Some(l) => serde_json::to_value(l),
            None => match (kept.duties)(&row[Column::Code]) {
                Some(text) => serde_json::from_str(&text),
                None => serde_json::to_value(DutiesView::default()),
            },
        };
        if let (Value::Object(p), Ok(Value::Object(list))) = (&mut p, list) {
            p.extend(list);
        }
        let ctx = with_values(ctx.clone(), [("p", p)])?;
        let mut section = Vec::with_capacity(32 * 1024);
        self.render_to("print-power.html", &ctx, &mut section)?;
        Ok(section)
    }

    /// One power's page (rendered before the table is ordered, so without 序号).
    /// The context is the contract for a catalogue's own `power.html`: `site`,
    /// `root`, `power` (a `PowerView`), `table` (the row's cells, empty ones
    /// left out), `svg` (the chart's boxes and edges), `legend` (the notes
    /// under it: `class`, `heading`, `lines`), `chart_max` (the printed
    /// chart's greatest height in CSS pixels) and `parts`: a chart too tall
    /// for a printed page, cut between its layers into page-sized SVGs (empty
    /// when it fits).
    pub fn power(
        &self,
        site: &SiteInfo,
        power: &PowerView,
        row: &Row,
        chart: &ChartSize,
    ) -> anyhow::Result<Vec<u8>> {
        // A power page prints on A4, as the site's style sheet says.
        let legend = &chart.legend;
        let printed = Printed::of(chart, legend, Paper::A4, "", Some(PAGE_FIGURE));
        let cells = cells(row);
        let svg = chart.figure_with_id(PAGE_FIGURE);
        if self.builtin.page {
            let mut page = String::with_capacity(64 * 1024);
            builtin::power_page(
                &mut page,
                &builtin::Page {
                    site: frame(site),
                    power,
                    table: &cells,
                    svg: &svg,
                    legend,
                    chart_max: printed.max,
                    parts: &svgs(&printed.parts),
                },
            );
            return Ok(page.into_bytes());
        }
        let mut ctx = tera::Context::new();
        ctx.insert("site", site);
        ctx.insert("root", "../");
        ctx.insert("power", power);
        ctx.insert("table", &cells);
        ctx.insert("legend", legend);
        ctx.insert("chart_max", &printed.max);
        let parts = printed.parts.into_iter().map(|p| Value::String(p.svg));
        let ctx = with_values(
            ctx,
            [
                ("svg", Value::String(svg)),
                ("parts", Value::Array(parts.collect())),
            ],
        )?;
        let mut page = Vec::with_capacity(64 * 1024);
        self.render_to("power.html", &ctx, &mut page)?;
        Ok(page)
    }

    /// The 涉密不宜公开职权目录 from the non-public powers' rows and reasons.
    pub fn internal(&self, site: &SiteInfo, hidden: &[(Row, String)]) -> anyhow::Result<String> {
        let mut ctx = tera::Context::new();
        ctx.insert("site", site);
        // Its own folder, with its own copy of the assets.
        ctx.insert("root", "");
        let list: Vec<Value> = hidden
            .iter()
            .map(|(row, reason)| {
                let e = Entry::of(row);
                serde_json::json!({
                    "code": e.code, "name": e.name, "category": e.category,
                    "department": e.department, "reason": reason,
                })
            })
            .collect();
        ctx.insert("powers", &list);
        self.render("internal.html", &ctx)
    }
}

/// `ctx` with `values` added as they are: a drawing tens of kilobytes long
/// is moved into the context, where `Context::insert` would copy it.
fn with_values<const N: usize>(
    mut ctx: tera::Context,
    values: [(&str, Value); N],
) -> anyhow::Result<tera::Context> {
    let map = values
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    ctx.extend(tera::Context::from_value(Value::Object(map))?);
    Ok(ctx)
}

/// `figure` with its arrow head's id (`"pl-arrow"`) and every reference to it
/// (`#pl-arrow)`) given `suffix`, in one pass over the drawing.
fn arrow_renamed(figure: &str, suffix: &str) -> String {
    const ARROW: &str = "pl-arrow";
    let mut out = String::with_capacity(figure.len() + 64 * suffix.len());
    let mut rest = figure;
    while let Some(i) = rest.find(ARROW) {
        let (before, after) = rest.split_at(i);
        let after = &after[ARROW.len()..];
        out.push_str(before);
        out.push_str(ARROW);
        let named = match before.as_bytes().last() {
            Some(b'"') => after.starts_with('"'),
            Some(b'#') => after.starts_with(')'),
            _ => false,
        };
        if named {
            out.push_str(suffix);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// What the shipped `base.html` reads of the site.
fn frame(site: &SiteInfo) -> builtin::Frame<'_> {
    builtin::Frame {
        title: &site.title,
        organisation: &site.organisation,
        count: site.count,
    }
}

/// The drawings of a chart's printed parts.
fn svgs(parts: &[PrintedPart]) -> Vec<&str> {
    parts.iter().map(|p| p.svg.as_str()).collect()
}

/// A chart's printed parts as the book's template reads them (`y`, `h`, `svg`).
fn parts_value(parts: Vec<PrintedPart>) -> Value {
    let part = |p: PrintedPart| {
        let mut m = serde_json::Map::new();
        m.insert("y".into(), Value::from(p.y));
        m.insert("h".into(), Value::from(p.h));
        m.insert("svg".into(), Value::String(p.svg));
        Value::Object(m)
    };
    Value::Array(parts.into_iter().map(part).collect())
}

/// The id of a power page's figure, which its printed parts show by reference.
const PAGE_FIGURE: &str = "pl-fig";

/// Where the book finds, by code, what a build keeps out of memory until the
/// book is written: a power's figure, and its 责任事项 as JSON.
pub struct Kept<'a> {
    /// A chart's figure by the power's code, when its `ChartSize` holds none.
    pub figure: &'a (dyn Fn(&str, &ChartSize) -> anyhow::Result<String> + Sync),
    pub duties: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

/// How many of the book's sections are made at once, on every core, before
/// they are written in order.
const BOOK_PIECE: usize = 64;

/// How a chart prints: whole (no parts) at most `max` pixels high, or in
/// page-sized parts, its legend after it on the last part's page.
#[derive(Default)]
struct Printed {
    max: f64,
    parts: Vec<PrintedPart>,
}

/// One page's part of a printed chart: where it starts, how high, its SVG.
#[derive(Serialize)]
struct PrintedPart {
    y: f64,
    h: f64,
    svg: String,
}

impl Printed {
    /// `ids`: what the parts' ids carry, unique in the document. `whole`: the
    /// id of the figure already in the document, which every part shows by
    /// reference; without it the first part holds the figure for the rest.
    fn of(
        chart: &ChartSize,
        legend: &[LegendBlock],
        paper: Paper,
        ids: &str,
        whole: Option<&str>,
    ) -> Printed {
        let lines: Vec<String> = legend
            .iter()
            .flat_map(|b| {
                b.heading
                    .map(String::from)
                    .into_iter()
                    .chain(b.lines.clone())
            })
            .collect();
        let below = print::legend_height(&lines, legend.len(), paper);
        let parts = print::parts_with(chart, paper, HEADING, below)
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let own = format!("pl-fig-{ids}");
                let svg = match (whole, i) {
                    (Some(id), _) => chart.part_of(p.y, p.h, id),
                    (None, 0) => chart.first_part(p.y, p.h, &format!("{ids}{}", i + 1), &own),
                    (None, _) => chart.part_of(p.y, p.h, &own),
                };
                PrintedPart {
                    y: p.y,
                    h: p.h,
                    svg,
                }
            })
            .collect();
        Printed {
            max: (print::page_height(paper) - HEADING - below).floor(),
            parts,
        }
    }
}

/// The most items `range` gives: the site's own templates loop over lists.
const MAX_RANGE: i64 = 10_000;

/// A catalogue's templates are text, not programs with access to the machine:
/// functions that read the environment, the clock or chance are unavailable
/// (a CI secret must never be published from a catalogue change), and `range`
/// is bounded.
fn restrict_functions(tera: &mut tera::Tera) {
    for name in ["get_env", "now", "get_random"] {
        tera.register_function(
            name,
            move |_: &std::collections::HashMap<String, Value>| -> tera::Result<Value> {
                Err(tera::Error::msg(format!(
                    "模板函数 {name} 不可用 (unavailable in powerlist templates)"
                )))
            },
        );
    }
    tera.register_function(
        "range",
        |args: &std::collections::HashMap<String, Value>| -> tera::Result<Value> {
            let num = |k: &str, d: i64| args.get(k).and_then(Value::as_i64).unwrap_or(d);
            let (start, end, step) = (num("start", 0), num("end", 0), num("step_by", 1));
            if step <= 0 {
                return Err(tera::Error::msg("range: step_by 须为正数"));
            }
            let count = (end - start).max(0) / step;
            if count > MAX_RANGE {
                return Err(tera::Error::msg(format!(
                    "range 最多 {MAX_RANGE} 项 (range too long)"
                )));
            }
            Ok(Value::Array(
                (0..count).map(|i| Value::from(start + i * step)).collect(),
            ))
        },
    );
}

/// A macro that calls itself or a template that includes itself renders until
/// the stack overflows: refused before anything is rendered.
fn refuse_self_recursion(files: &BTreeMap<String, String>) -> anyhow::Result<()> {
    for (file, text) in files.iter().filter(|(n, _)| n.ends_with(".html")) {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.contains(&format!("{{%include\"{file}\"")) {
            anyhow::bail!(
                "模板 {} 包含自身 (a template includes itself)",
                crate::report::terminal_safe(file)
            );
        }
        let mut rest = compact.as_str();
        while let Some(i) = rest.find("{%macro") {
            rest = &rest[i + "{%macro".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let body = rest.split("{%endmacro").next().unwrap_or("");
            if !name.is_empty() && body.contains(&format!("::{name}(")) {
                anyhow::bail!(
                    "模板 {} 的宏 {name} 调用自身 (a recursive macro)",
                    crate::report::terminal_safe(file)
                );
            }
        }
    }
    Ok(())
}

/// tera hides the cause of a failure in its source chain; show all of it on
/// one inert line (a parse error draws the template's line, which is the
/// catalogue's text: its control characters are shown, never obeyed).
fn tera_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    let text = parts.join(": ");
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    crate::report::terminal_safe(&lines.join(" "))
}

#[derive(Serialize)]
pub struct SiteInfo {
    pub title: String,
    pub organisation: String,
    /// Public powers on the site; `None` on power pages, which are drawn before
    /// the list is complete.
    pub count: Option<usize>,
    /// 公开日期 and 批准文号 from `powerlist.toml`.
    pub published: Option<String>,
    pub approval: Option<String>,
}

/// A power's line in the index.
#[derive(Serialize, Clone)]
struct Entry {
    no: usize,
    code: String,
    name: String,
    category: String,
    department: String,
    statutory: String,
    promised: String,
    /// What the in-page search matches against.
    search: String,
}

impl Entry {
    fn of(row: &Row) -> Entry {
        let cell = |c: Column| row[c].clone();
        Entry {
            no: row[Column::No].parse().unwrap_or(0),
            code: cell(Column::Code),
            name: cell(Column::Name),
            search: [
                Column::Code,
                Column::Name,
                Column::Category,
                Column::Department,
                Column::Office,
            ]
            .map(|c| row[c].as_str())
            .into_iter()
            .chain(law_names(&row[Column::Basis]))
            .collect::<Vec<_>>()
            .join(" "),
            category: cell(Column::Category),
            department: cell(Column::Department),
            // A blank limit says so, as on the power's page.
            statutory: Some(cell(Column::Statutory))
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| NO_STATUTORY.to_string()),
            promised: Some(cell(Column::Promised))
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| NO_PROMISE.to_string()),
        }
    }
}

pub use super::view::{NO_PROMISE, NO_STATUTORY};

/// The columns a power's page and the book show in sections of their own:
/// the 主项 by the title, the 责任事项 and 追责情形 as a table and a list.
const OWN_SECTIONS: &[Column] = &[
    Column::MainItem,
    Column::Item,
    Column::SubItem,
    Column::Duties,
    Column::DutyBasis,
    Column::Accountability,
    Column::AccountabilityBasis,
];

/// A power's row as its page and the book show it: every cell but 序号 and
/// those shown in sections of their own, one line per item; an empty limit
/// says so, any other empty cell (申请材料, 公开时间 …) is left out.
fn cells(row: &Row) -> Vec<Cell<'_>> {
    let limit = |c: &Column| matches!(c, Column::Statutory | Column::Promised);
    row.iter()
        .skip(1)
        .filter(|(c, _)| !OWN_SECTIONS.contains(c))
        .filter(|(c, v)| limit(c) || !v.trim().is_empty())
        .map(|(c, v)| Cell {
            label: c.header(),
            // A blank (or 「无」) limit reads as "no limit".
            lines: match (c, v.is_empty()) {
                (Column::Statutory, true) => vec![NO_STATUTORY],
                (Column::Promised, true) => vec![NO_PROMISE],
                _ => v.split('\n').collect(),
            },
        })
        .collect()
}

/// The names of the laws a basis cell cites, for the search.
fn law_names(basis: &str) -> impl Iterator<Item = &str> {
    basis
        .split('《')
        .skip(1)
        .filter_map(|s| s.split_once('》').map(|(name, _)| name))
}

#[derive(Serialize)]
pub struct Group {
    pub name: String,
    /// An anchor from its token: stable when groups are added or removed.
    pub anchor: String,
    /// Its own page, `categories/<code>.html` (`XK`) for a listed category,
    /// else `categories/<token>.html` and `departments/<token>.html`
    /// (`name_token`): readable, stable across builds, never two alike.
    pub page: String,
    pub count: usize,
    /// Shared with the other grouping: each power is in one category and one department.
    powers: Vec<Arc<Entry>>,
}

/// A category code fit to name a file: `XK`, `CF` … (ASCII capitals and digits).
fn is_category_code(code: &str) -> bool {
    (1..=8).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A 64-bit FNV-1a hash of a name, in hex.
fn fnv(name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The most characters a name keeps as its own file name.
const TOKEN_CHARS: usize = 40;

/// A readable, stable token for a group's name, to name its page: the name
/// itself (示范县民政局) when it is letters and digits of any script, with
/// （）、· and no ASCII capital, at most 40 characters; otherwise the name
/// with every other character as `_`, cut to 40, then `-` and its 64-bit
/// hash. A name kept whole has no `-`, so it never meets a hashed token, and
/// names that differ only in case (on a file system that ignores case) or in
/// the characters replaced get different hashes.
pub fn name_token(name: &str) -> String {
    let keep = |c: char| {
        (c.is_alphanumeric() && !c.is_ascii_uppercase()) || matches!(c, '（' | '）' | '、' | '·')
    };
    let whole = !name.is_empty() && name.chars().count() <= TOKEN_CHARS && name.chars().all(keep);
    if whole {
        return name.to_string();
    }
    let shown: String = name
        .chars()
        .take(TOKEN_CHARS)
        .map(|c| if keep(c) { c } else { '_' })
        .collect();
    format!("{shown}-{}", fnv(name))
}

fn group(
    entries: &[Arc<Entry>],
    prefix: &str,
    key: impl Fn(&Entry) -> String,
    code: &dyn Fn(&str) -> Option<String>,
) -> Vec<Group> {
    let mut map: BTreeMap<String, Vec<Arc<Entry>>> = BTreeMap::new();
    for e in entries {
        map.entry(key(e.as_ref())).or_default().push(Arc::clone(e));
    }
    let folder = if prefix == "cat" {
        "categories"
    } else {
        "departments"
    };
    map.into_iter()
        .map(|(name, powers)| {
            // A code is ASCII capitals, a name's token never: they cannot meet.
            let token = code(&name).unwrap_or_else(|| name_token(&name));
            Group {
                anchor: format!("{prefix}-{token}"),
                page: format!("{folder}/{token}.html"),
                name,
                count: powers.len(),
                powers,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn html_escape_is_inert() {
        assert_eq!(
            escape_html("<script>alert('x')</script>&\u{0}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;&#x2F;script&gt;&amp;"
        );
    }

    /// The first place two renderings part, with some text either side.
    fn first_difference(a: &[u8], b: &[u8]) -> String {
        let at = a
            .iter()
            .zip(b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        let show = |t: &[u8]| {
            String::from_utf8_lossy(&t[at.saturating_sub(80)..(at + 80).min(t.len())]).into_owned()
        };
        format!(
            "at byte {at}:\n builtin: {}\n tera:    {}",
            show(a),
            show(b)
        )
    }

    #[test]
    fn the_builtin_pages_are_teras_bytes() {
        // No `templates/` here: both pages are the builtin ones.
        let builtin = Theme::load(Path::new("tests/fixtures/hostile")).unwrap();
        assert!(builtin.builtin.page && builtin.builtin.book && builtin.builtin.group);
        let mut tera = Theme::load(Path::new("tests/fixtures/hostile")).unwrap();
        tera.builtin = Builtin {
            page: false,
            book: false,
            group: false,
        };
        let (folders, sites) = (fixture_folders(), hostile_sites());
        let (mut pages, mut parts, mut duties) = (0, 0, 0);
        let mut groups = 0;
        for folder in &folders {
            let cat = crate::load::load_catalogue(folder).unwrap();
            let mut rows = Vec::new();
            for (i, f) in cat.files.iter().enumerate() {
                let crate::load::Loaded::Ok(p) = &f.power else {
                    continue;
                };
                let mut view = PowerView::of(p);
                // No fixture is a 子项: some are made one here, one with a blank 主项.
                match i % 4 {
                    1 => view.list.main_item = Some("主项 <script>&\"'/\\".into()),
                    2 => view.list.main_item = Some(String::new()),
                    _ => {}
                }
                let drawn = super::super::svg::draw(&view, &Default::default());
                let mut row = super::super::table::row(p);
                row[Column::No] = if i % 3 == 2 {
                    format!("{}-1", i)
                } else {
                    (i + 1).to_string()
                };
                rows.push(row.clone());
                for site in &sites {
                    let a = builtin.power(site, &view, &row, &drawn.size).unwrap();
                    let b = tera.power(site, &view, &row, &drawn.size).unwrap();
                    assert!(a == b, "{} page {}", f.rel, first_difference(&a, &b));
                    pages += 1;
                }
                parts += usize::from(a_chart_in_parts(&drawn.size));
                duties += usize::from(!view.list.is_empty() || view.list.main_item.is_some());
                same_sections([&builtin, &tera], &f.rel, &row, &drawn.size, &view.list);
            }
            groups += same_groups([&builtin, &tera], &sites, folder, &rows);
        }
        assert!(groups > 20, "only {groups} group pages");
        assert!(pages > 100, "only {pages} pages");
        assert!(
            parts > 0 && duties > 0,
            "{parts} charts in parts, {duties} with 责任事项"
        );
    }

    /// The shipped catalogue and every fixture folder.
    fn fixture_folders() -> Vec<PathBuf> {
        let mut folders = vec![
            PathBuf::from("catalogue"),
            PathBuf::from("tests/fixtures/hostile"),
        ];
        let mut pass: Vec<PathBuf> = std::fs::read_dir("tests/fixtures/pass")
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        pass.sort();
        folders.extend(pass);
        folders
    }

    /// A plain site, and one whose every text needs escaping.
    fn hostile_sites() -> [SiteInfo; 2] {
        [
            SiteInfo {
                title: "行政职权目录".into(),
                organisation: String::new(),
                count: None,
                published: None,
                approval: None,
            },
            SiteInfo {
                title: "标题 <script>&'\"/\\ \n".into(),
                organisation: "<b>某县</b> & \"人民政府\"".into(),
                count: Some(3),
                published: Some("2026-01-01".into()),
                approval: None,
            },
        ]
    }

    /// A power's book sections the same both ways, on both papers: chart and
    /// 责任事项 in memory, both kept elsewhere, and no chart at all.
    fn same_sections(
        [builtin, tera]: [&Theme; 2],
        rel: &str,
        row: &Row,
        chart: &ChartSize,
        list: &DutiesView,
    ) {
        let ctx = tera::Context::new();
        let json = serde_json::to_string(list).unwrap();
        let kept = Kept {
            figure: &|_, _| Ok(chart.figure.clone()),
            duties: &|_| Some(json.clone()),
        };
        let away = ChartSize {
            figure: String::new(),
            ..chart.clone()
        };
        for paper in [Paper::A4, Paper::A3] {
            for power in [
                (row, Some(chart), Some(list)),
                (row, Some(&away), None),
                (row, None, None),
            ] {
                let a = builtin.book_section(&ctx, &power, paper, &kept).unwrap();
                let b = tera.book_section(&ctx, &power, paper, &kept).unwrap();
                assert!(a == b, "{rel} section {}", first_difference(&a, &b));
            }
        }
    }

    /// The group pages of `rows` the same both ways; how many were compared.
    fn same_groups(
        [builtin, tera]: [&Theme; 2],
        sites: &[SiteInfo],
        folder: &Path,
        rows: &[Row],
    ) -> usize {
        let mut groups = 0;
        let listed = [("行政确认".to_string(), "QR".to_string())];
        for categories in [&[][..], &listed[..]] {
            let (by_category, by_department) = Theme::groups(rows, categories);
            let kinds = by_category
                .iter()
                .map(|g| (g, "职权类别"))
                .chain(by_department.iter().map(|g| (g, "实施主体")));
            for (g, kind) in kinds {
                for site in sites {
                    let a = builtin.group_page(site, g, kind).unwrap();
                    let b = tera.group_page(site, g, kind).unwrap();
                    let (a, b) = (a.as_bytes(), b.as_bytes());
                    let at = format!("{} {}", folder.display(), g.name);
                    assert!(a == b, "{at} {}", first_difference(a, b));
                    groups += 1;
                }
            }
        }
        groups
    }

    fn a_chart_in_parts(chart: &ChartSize) -> bool {
        !Printed::of(chart, &chart.legend, Paper::A4, "", Some(PAGE_FIGURE))
            .parts
            .is_empty()
    }

    #[test]
    fn the_books_arrow_ids_are_renamed_where_the_drawing_names_them() {
        let cat = crate::load::load_catalogue(Path::new("catalogue")).unwrap();
        let by_replace = |f: &str| {
            f.replace("\"pl-arrow\"", "\"pl-arrow-XK-1-0\"")
                .replace("#pl-arrow)", "#pl-arrow-XK-1-0)")
        };
        let mut charts = 0;
        for f in &cat.files {
            let crate::load::Loaded::Ok(p) = &f.power else {
                continue;
            };
            let view = PowerView::of(p);
            let figure = super::super::svg::draw(&view, &Default::default())
                .size
                .figure;
            let renamed = arrow_renamed(&figure, "-XK-1-0");
            assert_eq!(renamed, by_replace(&figure), "{}", f.rel);
            assert!(!renamed.contains("\"pl-arrow\"") && !renamed.contains("#pl-arrow)"));
            charts += 1;
        }
        assert!(charts > 10, "only {charts} charts");
        // Text that merely reads like the id is left as the replaces leave it.
        for text in [
            "pl-arrow",
            "x pl-arrow) \"pl-arrow",
            "#pl-arrow\"",
            "\"pl-arrow)",
            "pl-arrowpl-arrow",
        ] {
            assert_eq!(arrow_renamed(text, "-XK-1-0"), by_replace(text), "{text}");
        }
    }

    #[test]
    fn group_tokens_are_readable_stable_and_never_alike() {
        assert_eq!(name_token("示范县民政局"), "示范县民政局");
        assert_eq!(name_token("行政强制执行"), "行政强制执行");
        // Characters a path or a URL reads otherwise are replaced, and a hash
        // tells apart the names that then look alike.
        let slash = name_token("甲/乙局");
        let under = name_token("甲_乙局");
        assert!(slash.starts_with("甲_乙局-") && under.starts_with("甲_乙局-"));
        assert_ne!(slash, under);
        assert_ne!(name_token("ABC局"), name_token("abc局"));
        assert_eq!(name_token("abc局"), "abc局");
        assert!(!name_token("..").contains('.') && !name_token("").is_empty());
        let long = "长".repeat(60);
        assert_eq!(name_token(&long).chars().filter(|c| *c == '长').count(), 40);
        assert_eq!(name_token("甲/乙局"), slash, "the same in every build");
        let rows: Vec<Row> = Vec::new();
        assert!(Theme::groups(&rows, &[]).0.is_empty());
        assert!(is_category_code("XK") && !is_category_code("xk") && !is_category_code("许可"));
    }

    #[test]
    fn every_default_template_parses() {
        let dir = tempfile::tempdir().unwrap();
        let theme = Theme::load(dir.path()).unwrap();
        assert_eq!(theme.assets.len(), 2);
        assert!(theme.overridden.is_empty());
    }
}
