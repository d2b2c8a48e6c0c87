//! `build`, `serve`'s preview and redraw: each checked power drawn into a
//! staging folder as it is read, then the lists that need every power, then
//! the staging folder swapped in for the site — never a half-written site.

use std::fs;
use std::path::Path;

use anyhow::{bail, Context as _};

use super::export::{order_of, sheet, take_numbered, title, write_json};
use super::files::{write_file, write_streamed, Held, HELD_IN_MEMORY};
use super::prepare::{normalise, prepare_with, Listed, Prepared};
use super::staging::{guard_internal, guard_output, OutputLock, Staging};
use crate::config::{FlowchartConfig, Settings};
use crate::model::columns::Row;
use crate::model::Power;
use crate::render::view::{DutiesView, PowerView};
use crate::render::{dot, site, svg, table};

#[derive(Debug)]
pub struct Built {
    pub public: usize,
    pub internal: usize,
    pub files: usize,
    pub overridden: Vec<String>,
    /// What the `Beside` given to `build` drew.
    pub report: Option<crate::report::Drawn>,
}

/// Work a build does beside its lists, from what the check found: the CLI
/// draws its report there (a warned provincial list's report is seconds of
/// work, done on the cores as the lists leave them), to be written once the
/// site is in (`Built::report`). It runs only when the lists are written.
pub type Beside<'a> = &'a (dyn Fn(&crate::load::Catalogue, &[crate::diag::Diagnostic]) -> crate::report::Drawn
         + Sync);

/// Where what the build holds (`Held`: each power's 责任事项 and JSON
/// record) spills beyond its memory budget: one file, removed before the site
/// is swapped in.
const HELD: &str = ".held";

fn duties_file(code: &str) -> String {
    format!("{code}.duties.json")
}

fn figure_file(code: &str) -> String {
    format!("{code}.svg")
}

/// The memory budget of `Held`: `POWERLIST_HOLD_BYTES` when set (a machine
/// short of memory, or a test of the spilled path), else `HELD_IN_MEMORY`.
fn hold_budget() -> usize {
    std::env::var("POWERLIST_HOLD_BYTES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(HELD_IN_MEMORY)
}

/// A code becomes a file name: only what the `schema` rule accepts as a code.
fn file_stem(code: &str) -> anyhow::Result<&str> {
    if !crate::model::valid_code(code) {
        bail!("权力编码 `{code}` 不能用作文件名 (code is not [A-Za-z0-9_-]{{1,64}})");
    }
    Ok(code)
}

/// What `build` did: refused (the catalogue has errors; nothing was written) or built.
pub enum Outcome {
    Refused(Prepared),
    Built(Prepared, Built),
}

/// Draws one power: its page, SVG and DOT into the site's staging folder `dir`
/// when public; its SVG and DOT into the internal staging folder when asked for.
/// A public power's chart size and 权责清单 sections are returned for the book.
fn draw(
    dir: &Path,
    theme: &site::Theme,
    info: &site::SiteInfo,
    flowchart: &FlowchartConfig,
    internal: Option<&Path>,
    p: &Power,
    row: &Row,
) -> anyhow::Result<Option<(svg::ChartSize, DutiesView)>> {
    // A bad code is an error the check reports; such a build is abandoned.
    let Ok(code) = file_stem(p.code()) else {
        return Ok(None);
    };
    let view = PowerView::of(p);
    let drawn = svg::draw(&view, flowchart);
    if p.is_public() {
        let html = theme
            .power(info, &view, row, &drawn.size)
            .with_context(|| format!("渲染 {code} 的页面失败"))?;
        write_file(dir, &format!("powers/{code}.html"), &html)?;
        write_file(dir, &format!("flowcharts/{code}.svg"), drawn.svg.as_bytes())?;
        let dot = dot::render_view_with(&view, flowchart);
        write_file(dir, &format!("flowcharts/{code}.dot"), dot.as_bytes())?;
        return Ok(Some((drawn.size, view.list)));
    } else if let Some(idir) = internal {
        let dot = dot::render_view_with(&view, flowchart);
        write_file(
            idir,
            &format!("flowcharts/{code}.svg"),
            drawn.svg.as_bytes(),
        )?;
        write_file(idir, &format!("flowcharts/{code}.dot"), dot.as_bytes())?;
    }
    Ok(None)
}

/// A public power's figure for the book, made again from its chart's file in
/// the staging folder `dir`.
fn figure_of(dir: &Path, code: &str, chart: &svg::ChartSize) -> anyhow::Result<String> {
    let file = dir.join(format!("flowcharts/{}", figure_file(code)));
    let svg = fs::read_to_string(&file).with_context(|| format!("无法读取 {}", file.display()))?;
    chart
        .figure_in(&svg)
        .with_context(|| format!("{} 不是本次构建画出的流程图", file.display()))
}

/// The public and the non-public powers in table order: their rows, numbered
/// and moved out of `listed`, and the rest of each power.
fn tables(listed: &mut [Box<Listed>]) -> (Vec<Row>, Vec<Row>, Vec<&Listed>, Vec<&Listed>) {
    let (public, hidden) = (order_of(listed, true), order_of(listed, false));
    let rows = take_numbered(listed, &public);
    let hidden_rows = take_numbered(listed, &hidden);
    let listed: &[Box<Listed>] = listed;
    let at = |order: &[usize]| -> Vec<&Listed> { order.iter().map(|&i| &*listed[i]).collect() };
    (rows, hidden_rows, at(&public), at(&hidden))
}

/// A job of `write_lists`: one file (or set of files) that needs the whole list.
type ListJob<'a> = Box<dyn Fn() -> anyhow::Result<()> + Sync + 'a>;

/// Runs the list jobs on both cores, each core taking the next job in the list
/// when it is done with its last. The longest come first: the book (its
/// sections shared out between the cores) and the workbook, whose compression
/// is the longest piece that cannot be shared. On an error the core that met
/// it stops; the build then fails.
fn run_lists(jobs: &[ListJob<'_>]) -> anyhow::Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let core = || -> anyhow::Result<()> {
        while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
            job()?;
        }
        Ok(())
    };
    let (a, b) = rayon::join(core, core);
    a.and(b)
}

/// Writes what needs the whole list: assets, index, tables, JSON and, when
/// asked for, the internal list. Returns how many files the site holds.
fn write_lists(
    (dir, internal): (&Path, Option<&Path>),
    theme: &site::Theme,
    info: &site::SiteInfo,
    settings: &Settings,
    listed: &mut [Box<Listed>],
    held: &Held,
    then: &(dyn Fn() -> anyhow::Result<()> + Sync),
) -> anyhow::Result<Built> {
    // The rows are moved into the table: nothing after the lists reads them.
    let (rows, hidden_rows, public, hidden) = tables(listed);
    let write = |rel: &str, bytes: &[u8]| write_file(dir, rel, bytes);
    for (name, text) in &theme.assets {
        write(&format!("assets/{name}"), text.as_bytes())?;
    }
    let (categories, departments) = site::Theme::groups(&rows, &settings.categories);
    let book: Vec<_> = rows
        .iter()
        .zip(&public)
        .map(|(row, l)| (row, l.chart.as_ref(), None))
        .collect();
    let layout = sheet(settings);
    // Each of these needs the whole list and nothing of the others: they are
    // written side by side rather than one after another on one core.
    let jobs: Vec<ListJob<'_>> = vec![
        Box::new(|| {
            let figure = |code: &str, chart: &svg::ChartSize| figure_of(dir, code, chart);
            write_streamed(dir, "print.html", |out| {
                theme.book(
                    info,
                    &categories,
                    &book,
                    settings.config.paper,
                    &site::Kept {
                        figure: &figure,
                        duties: &|code| held.take(&duties_file(code)).ok(),
                    },
                    out,
                )
            })
        }),
        Box::new(|| write("catalogue.xlsx", &table::xlsx(&rows, &layout)?)),
        Box::new(|| {
            write_streamed(dir, "catalogue.json", |out| {
                write_json(&info.title, &public, Some(held), out)
            })
        }),
        Box::new(|| {
            write_streamed(dir, "catalogue.csv", |out| {
                table::csv_to(&rows, &layout, out)
            })
        }),
        Box::new(|| {
            write(
                "index.html",
                theme.index(info, &categories, &departments)?.as_bytes(),
            )?;
            write("search-data.js", site::Theme::search_data(&rows).as_bytes())
        }),
        Box::new(|| {
            for g in &categories {
                write(&g.page, theme.group_page(info, g, "职权类别")?.as_bytes())?;
            }
            Ok(())
        }),
        Box::new(|| {
            for g in &departments {
                write(&g.page, theme.group_page(info, g, "实施主体")?.as_bytes())?;
            }
            Ok(())
        }),
        // Last, when the cores are free.
        Box::new(then),
    ];
    run_lists(&jobs)?;
    held.remove()?;
    let files = theme.assets.len() + 6 + categories.len() + departments.len() + 3 * public.len();
    if let Some(idir) = internal {
        let list: Vec<(Row, String)> = hidden_rows
            .into_iter()
            .zip(&hidden)
            .map(|(r, l)| (r, l.reason.clone()))
            .collect();
        for (name, text) in &theme.assets {
            write_file(idir, &format!("assets/{name}"), text.as_bytes())?;
        }
        write_file(idir, "index.html", theme.internal(info, &list)?.as_bytes())?;
    }
    Ok(Built {
        public: public.len(),
        internal: if internal.is_some() { hidden.len() } else { 0 },
        files,
        overridden: theme.overridden.clone(),
        report: None,
    })
}

/// Checks the catalogue and builds its site into `out` in one pass: each power is
/// drawn into a staging folder as soon as it is read. If the check finds an
/// error the staging folder is removed and `out` is never touched.
pub fn build(
    root: &Path,
    settings: &Settings,
    out: &Path,
    internal: Option<&Path>,
    beside: Option<Beside<'_>>,
) -> anyhow::Result<Outcome> {
    build_site(root, settings, (out, internal), false, beside)
}

/// The site as `serve` previews it: drafts (【待填写】) are drawn, errors still
/// stop it. Never published: `serve` writes it into a temporary folder.
pub fn preview(root: &Path, settings: &Settings, out: &Path) -> anyhow::Result<Outcome> {
    build_site(root, settings, (out, None), true, None)
}

/// The site information every page shows.
pub fn page_info(settings: &Settings) -> site::SiteInfo {
    site::SiteInfo {
        title: title(settings),
        organisation: settings.config.organisation.clone().unwrap_or_default(),
        count: None,
        published: settings.config.published.clone(),
        approval: settings.config.approval.clone(),
    }
}

/// Draws one checked power's page and chart into a built site (for `serve`'s
/// quick update of an edited file).
pub fn redraw(
    dir: &Path,
    theme: &site::Theme,
    settings: &Settings,
    p: &mut Power,
) -> anyhow::Result<()> {
    normalise(p, settings);
    let info = page_info(settings);
    let row = table::row(p);
    draw(dir, theme, &info, &settings.config.flowchart, None, p, &row).map(|_| ())
}

/// What a build keeps of the texts of files with findings: `serve`'s preview
/// (`drafts`) reads what each file says of its disclosure.
fn texts(drafts: bool) -> crate::check::Texts {
    if drafts {
        crate::check::Texts::Whole
    } else {
        crate::check::Texts::Reported
    }
}

fn build_site(
    root: &Path,
    settings: &Settings,
    (out, internal): (&Path, Option<&Path>),
    drafts: bool,
    beside: Option<Beside<'_>>,
) -> anyhow::Result<Outcome> {
    let theme = site::Theme::load(root)?;
    guard_output(out, root)?;
    if let Some(idir) = internal {
        guard_internal(idir, out)?;
        guard_output(idir, root)?;
    }
    let _lock = OutputLock::take(out)?;
    let _internal_lock = internal.map(OutputLock::take).transpose()?;
    let staging = Staging::new(out)?;
    let internal_staging = match internal.map(Staging::new).transpose() {
        Ok(s) => s,
        Err(e) => {
            staging.abandon();
            return Err(e);
        }
    };
    let dir = staging.path.clone();
    let idir = internal_staging.as_ref().map(|s| s.path.clone());
    let result = (|| -> anyhow::Result<Result<(Prepared, Built), Prepared>> {
        let held = Held::new(&dir.join(HELD), hold_budget());
        for d in ["powers", "flowcharts"] {
            fs::create_dir_all(dir.join(d))?;
        }
        if let Some(idir) = &idir {
            fs::create_dir_all(idir.join("flowcharts"))?;
        }
        // Pages say nothing of the list's length, so they can be drawn before it is known.
        let page_info = page_info(settings);
        let flowchart = &settings.config.flowchart;
        let each = |p: &Power, row: &Row| {
            let Some((mut size, list)) =
                draw(&dir, &theme, &page_info, flowchart, idir.as_deref(), p, row)?
            else {
                return Ok(None);
            };
            // The book makes the figure again from the chart's file: none is
            // held while the list is read (a provincial list's are gigabytes).
            // Its 责任事项 are held, as the JSON the book's template reads.
            size.figure = String::new();
            if !list.is_empty() || list.main_item.is_some() {
                held.put(&duties_file(p.code()), serde_json::to_string(&list)?)?;
            }
            Ok(Some(size))
        };
        let mut prepared = prepare_with(root, settings, texts(drafts), true, Some(&held), &each)?;
        if prepared.errors() > 0 || (!drafts && prepared.refused()) {
            return Ok(Err(prepared));
        }
        let info = site::SiteInfo {
            count: Some(prepared.listed.iter().filter(|l| l.public).count()),
            ..page_info
        };
        let Prepared { cat, diags, listed } = &mut prepared;
        let drawn = std::sync::OnceLock::new();
        let then = || {
            if let Some(f) = beside {
                let _ = drawn.set(f(cat, diags));
            }
            Ok(())
        };
        let to = (dir.as_path(), idir.as_deref());
        let mut built = write_lists(to, &theme, &info, settings, listed, &held, &then)?;
        built.report = drawn.into_inner();
        Ok(Ok((prepared, built)))
    })();
    match result {
        Ok(Ok((prepared, built))) => {
            staging.swap_into(out)?;
            if let (Some(s), Some(idir)) = (internal_staging, internal) {
                s.swap_into(idir)?;
            }
            Ok(Outcome::Built(prepared, built))
        }
        Ok(Err(prepared)) => {
            staging.abandon();
            if let Some(s) = internal_staging {
                s.abandon();
            }
            Ok(Outcome::Refused(prepared))
        }
        Err(e) => {
            staging.abandon();
            if let Some(s) = internal_staging {
                s.abandon();
            }
            Err(e.context(format!(
                "构建失败，{} 保持不变 (build failed; the previous site is untouched)",
                out.display()
            )))
        }
    }
}
