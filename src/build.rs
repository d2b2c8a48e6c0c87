//! `build` and `export`: which powers go out, and writing the site so that a failed
//! build never leaves a half-written one (write a sibling folder, then swap).

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use crate::config::{Paper, Settings};
use crate::load::Catalogue;
use crate::model::columns::{Column, Row};
use crate::model::Power;
use crate::render::view::PowerView;
use crate::render::{dot, print, site, svg, table};

/// The file that marks a folder as a site powerlist wrote (and may replace).
pub const MARKER: &str = ".powerlist-site";

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
}

impl Listed {
    fn of(p: &Power, settings: &Settings, json: bool, chart: Option<svg::ChartSize>) -> Listed {
        let row = table::row(p);
        let category = p.category.as_ref().map_or("", |c| c.value.as_str());
        Listed {
            public: p.is_public(),
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
            json: if json {
                table::json_item(p)
            } else {
                String::new()
            },
            chart,
        }
    }
}

/// A catalogue checked, with what publishing needs of each power that parsed.
pub struct Prepared {
    pub cat: Catalogue,
    pub diags: Vec<crate::Diagnostic>,
    pub listed: Vec<Listed>,
}

impl Prepared {
    pub fn errors(&self) -> usize {
        self.diags
            .iter()
            .filter(|d| d.severity == crate::Severity::Error)
            .count()
    }

    /// The files still holding a 【待填写】 mark: drafts, never published (SPEC §4).
    pub fn drafts(&self) -> Vec<&str> {
        let mut files: Vec<&str> = self
            .diags
            .iter()
            .filter(|d| d.rule == crate::Rule::Placeholder)
            .map(|d| d.file.as_str())
            .collect();
        files.dedup();
        files
    }

    /// Whether publishing must stop: an error, or a draft.
    pub fn refused(&self) -> bool {
        self.errors() > 0 || !self.drafts().is_empty()
    }
}

/// Draws a power as it is read; returns its public chart's size.
type Draw<'a> = dyn Fn(&Power) -> anyhow::Result<Option<svg::ChartSize>> + Sync + 'a;

/// Reads and checks the catalogue in one pass; each power is handed to `each`
/// (which may draw it) and then dropped, so memory stays flat.
fn prepare_with(
    root: &Path,
    settings: &Settings,
    json: bool,
    each: &Draw<'_>,
) -> anyhow::Result<Prepared> {
    let keep = |_: &str, p: &mut Power, clean: bool| -> anyhow::Result<Listed> {
        normalise(p, settings);
        // A power with errors stops the build anyway: it is never drawn (its
        // graph may be anything, e.g. thousands of steps).
        let chart = if clean { each(p)? } else { None };
        Ok(Listed::of(p, settings, json, chart))
    };
    let (cat, diags, kept) = crate::check_streaming(root, settings, &keep)?;
    let listed = kept
        .into_iter()
        .flatten()
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Prepared { cat, diags, listed })
}

/// Checks the catalogue, keeping each power's table row (for `export`).
pub fn prepare(root: &Path, settings: &Settings, json: bool) -> anyhow::Result<Prepared> {
    prepare_with(root, settings, json, &|_| Ok(None))
}

/// Public or non-public powers in table order: by category, then code.
fn ordered(listed: &[Listed], public: bool) -> Vec<&Listed> {
    let mut out: Vec<&Listed> = listed.iter().filter(|l| l.public == public).collect();
    out.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.code.cmp(&b.code)));
    out
}

fn numbered_rows(list: &[&Listed]) -> Vec<Row> {
    list.iter()
        .enumerate()
        .map(|(i, l)| {
            let mut row = l.row.clone();
            row[Column::No] = (i + 1).to_string();
            row
        })
        .collect()
}

fn write_json(title: &str, list: &[&Listed], out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    out.write_all(table::json_open(title, list.len()).as_bytes())?;
    for (i, l) in list.iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        out.write_all(table::numbered(i + 1, &l.json).as_bytes())?;
    }
    out.write_all(table::JSON_CLOSE.as_bytes())?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Xlsx,
    Json,
}

/// The table's layout from the settings: title rows and `[export.columns]`.
fn sheet(settings: &Settings) -> table::Sheet {
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

fn title(settings: &Settings) -> String {
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
    format: TableFormat,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let public = ordered(&prepared.listed, true);
    match format {
        TableFormat::Csv => {
            out.write_all(&table::csv(&numbered_rows(&public), &sheet(settings))?)?
        }
        TableFormat::Xlsx => {
            out.write_all(&table::xlsx(&numbered_rows(&public), &sheet(settings))?)?
        }
        TableFormat::Json => write_json(&title(settings), &public, out)?,
    }
    Ok(())
}

#[derive(Debug)]
pub struct Built {
    pub public: usize,
    pub internal: usize,
    pub files: usize,
    pub overridden: Vec<String>,
}

/// A code becomes a file name: only what the `code-format` rule allows.
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
fn draw(
    dir: &Path,
    theme: &site::Theme,
    info: &site::SiteInfo,
    internal: Option<&Path>,
    p: &Power,
) -> anyhow::Result<Option<svg::ChartSize>> {
    // A bad code is an error the check reports; such a build is abandoned.
    let Ok(code) = file_stem(p.code()) else {
        return Ok(None);
    };
    let view = PowerView::of(p);
    let drawn = svg::draw(&view);
    if p.is_public() {
        // A power page prints on A4, as the site's style sheet says.
        let parts: Vec<String> = print::parts(&drawn.size, Paper::A4, site::HEADING)
            .iter()
            .enumerate()
            .map(|(i, part)| drawn.part(part.y, part.h, i + 1))
            .collect();
        let html = theme
            .power(info, &view, &table::row(p), &drawn.svg, &parts)
            .with_context(|| format!("渲染 {code} 的页面失败"))?;
        write_file(dir, &format!("powers/{code}.html"), html.as_bytes())?;
        write_file(dir, &format!("flowcharts/{code}.svg"), drawn.svg.as_bytes())?;
        let dot = dot::render_view(&view);
        write_file(dir, &format!("flowcharts/{code}.dot"), dot.as_bytes())?;
        return Ok(Some(drawn.size));
    } else if let Some(idir) = internal {
        let dot = dot::render_view(&view);
        write_file(
            idir,
            &format!("flowcharts/{code}.svg"),
            drawn.svg.as_bytes(),
        )?;
        write_file(idir, &format!("flowcharts/{code}.dot"), dot.as_bytes())?;
    }
    Ok(None)
}

/// Writes what needs the whole list: assets, index, tables, JSON and, when
/// asked for, the internal list. Returns how many files the site holds.
fn write_lists(
    dir: &Path,
    theme: &site::Theme,
    info: &site::SiteInfo,
    settings: &Settings,
    prepared: &Prepared,
    internal: Option<&Path>,
) -> anyhow::Result<Built> {
    let public = ordered(&prepared.listed, true);
    let hidden = ordered(&prepared.listed, false);
    let write = |rel: &str, bytes: &[u8]| write_file(dir, rel, bytes);
    for (name, text) in &theme.assets {
        write(&format!("assets/{name}"), text.as_bytes())?;
    }
    let rows = numbered_rows(&public);
    let order: Vec<String> = settings.categories.iter().map(|(n, _)| n.clone()).collect();
    let (categories, departments) = site::Theme::groups(&rows, &order);
    write(
        "index.html",
        theme.index(info, &categories, &departments)?.as_bytes(),
    )?;
    for (groups, kind) in [(&categories, "职权类别"), (&departments, "实施主体")] {
        for g in groups {
            write(&g.page, theme.group_page(info, g, kind)?.as_bytes())?;
        }
    }
    write("search-data.js", site::Theme::search_data(&rows).as_bytes())?;
    let book: Vec<_> = rows
        .iter()
        .cloned()
        .zip(public.iter().map(|l| l.chart.as_ref()))
        .collect();
    write_streamed(dir, "print.html", |out| {
        theme.book(info, &categories, &book, settings.config.paper, out)
    })?;
    let layout = sheet(settings);
    write("catalogue.csv", &table::csv(&rows, &layout)?)?;
    write("catalogue.xlsx", &table::xlsx(&rows, &layout)?)?;
    write_streamed(dir, "catalogue.json", |out| {
        write_json(&info.title, &public, out)
    })?;
    let files = theme.assets.len() + 6 + categories.len() + departments.len() + 3 * public.len();
    if let Some(idir) = internal {
        let list: Vec<(Row, String)> = numbered_rows(&hidden)
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
) -> anyhow::Result<Outcome> {
    build_site(root, settings, out, internal, false)
}

/// The site as `serve` previews it: drafts (【待填写】) are drawn, errors still
/// stop it. Never published: `serve` writes it into a temporary folder.
pub fn preview(root: &Path, settings: &Settings, out: &Path) -> anyhow::Result<Outcome> {
    build_site(root, settings, out, None, true)
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
    draw(dir, theme, &page_info(settings), None, p).map(|_| ())
}

fn build_site(
    root: &Path,
    settings: &Settings,
    out: &Path,
    internal: Option<&Path>,
    drafts: bool,
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
        for d in ["powers", "flowcharts"] {
            fs::create_dir_all(dir.join(d))?;
        }
        if let Some(idir) = &idir {
            fs::create_dir_all(idir.join("flowcharts"))?;
        }
        // Pages say nothing of the list's length, so they can be drawn before it is known.
        let page_info = page_info(settings);
        let each = |p: &Power| draw(&dir, &theme, &page_info, idir.as_deref(), p);
        let prepared = prepare_with(root, settings, true, &each)?;
        if prepared.errors() > 0 || (!drafts && prepared.refused()) {
            return Ok(Err(prepared));
        }
        let info = site::SiteInfo {
            count: Some(prepared.listed.iter().filter(|l| l.public).count()),
            ..page_info
        };
        let built = write_lists(&dir, &theme, &info, settings, &prepared, idir.as_deref())?;
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

/// Writes a file piece by piece through a buffer (for the site's large files).
fn write_streamed(
    dir: &Path,
    rel: &str,
    fill: impl FnOnce(&mut dyn std::io::Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let path = dir.join(rel);
    let file = fs::File::create(&path).with_context(|| format!("无法写入 {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    fill(&mut out)?;
    out.flush()
        .with_context(|| format!("无法写入 {}", path.display()))
}

fn write_file(dir: &Path, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let path = dir.join(rel);
    match fs::write(&path, bytes) {
        // Folders are made on first need: one system call per file, not three.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("无法创建 {}", parent.display()))?;
            }
            fs::write(&path, bytes).with_context(|| format!("无法写入 {}", path.display()))
        }
        other => other.with_context(|| format!("无法写入 {}", path.display())),
    }
}

/// A path made absolute and free of `.` and `..`, without touching the disk.
fn lexical(path: &Path) -> anyhow::Result<PathBuf> {
    let abs = std::path::absolute(path).with_context(|| format!("无法解析 {}", path.display()))?;
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// The 涉密不宜公开 list is written outside the site: a publisher uploads the
/// whole site folder (SPEC §4).
fn guard_internal(internal: &Path, out: &Path) -> anyhow::Result<()> {
    let (i, o) = (lexical(internal)?, lexical(out)?);
    let (ri, ro) = (
        fs::canonicalize(internal).unwrap_or_else(|_| i.clone()),
        fs::canonicalize(out).unwrap_or_else(|_| o.clone()),
    );
    if i.starts_with(&o) || o.starts_with(&i) || ri.starts_with(&ro) || ro.starts_with(&ri) {
        bail!(
            "--internal 目录 {} 不能位于站点目录 {} 之内（或包含它）：涉密不宜公开职权目录不得随站点发布 (the internal list must lie outside the site)",
            internal.display(),
            out.display()
        );
    }
    Ok(())
}

fn is_ours(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
}

/// A leftover of a build that was killed: ours (marked), or empty (killed
/// between creating it and marking it, or at the end of its removal).
fn is_leftover(dir: &Path) -> bool {
    is_ours(dir) || fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Removes a site folder powerlist wrote, its marker last: killed at any
/// instant, what remains is still marked (or empty) and the next build clears it.
fn remove_site(dir: &Path) -> std::io::Result<()> {
    for e in fs::read_dir(dir)? {
        let e = e?;
        if e.file_name() == MARKER {
            continue;
        }
        if e.file_type()?.is_dir() {
            fs::remove_dir_all(e.path())?;
        } else {
            fs::remove_file(e.path())?;
        }
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// One build per output folder at a time: an advisory lock on a file beside
/// it, held until the new site is in place (released when the process ends,
/// however it ends).
struct OutputLock {
    file: fs::File,
    path: PathBuf,
}

impl Drop for OutputLock {
    /// The lock file goes away with the build (unlinked while still held, so a
    /// build that opened it meanwhile sees it is stale and refuses).
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Whether `path` still names the file `file` (not a newer lock file).
fn same_file(path: &Path, file: &fs::File) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        match (fs::metadata(path), file.metadata()) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (path, file);
        true
    }
}

impl OutputLock {
    fn take(out: &Path) -> anyhow::Result<OutputLock> {
        let (parent, name) = sibling_base(out);
        fs::create_dir_all(&parent).with_context(|| format!("无法创建 {}", parent.display()))?;
        let path = parent.join(format!(".{name}.powerlist-lock"));
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("无法创建锁文件 {}", path.display()))?;
        match file.try_lock() {
            Ok(()) if same_file(&path, &file) => Ok(OutputLock { file, path }),
            Ok(()) => bail!(
                "另一个 powerlist build 刚刚写完 {}, 请重试 (another build just finished; retry)",
                out.display()
            ),
            Err(fs::TryLockError::WouldBlock) => bail!(
                "另一个 powerlist build 正在写入 {}, 请等它结束 (another build is writing this folder)",
                out.display()
            ),
            Err(fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("无法锁定 {}", path.display()))
            }
        }
    }
}

/// The folder a site lives in and its name: the staging, old-site and lock
/// entries are made beside it.
fn sibling_base(out: &Path) -> (PathBuf, String) {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (parent, name)
}

/// Refuses an output that is a file, a folder powerlist did not make (unless it is
/// empty), or a folder that holds the catalogue.
fn guard_output(out: &Path, catalogue: &Path) -> anyhow::Result<()> {
    let meta = match fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("无法访问 {}", out.display())),
    };
    if !meta.is_dir() {
        bail!(
            "{} 不是目录，拒绝覆盖 (the output exists and is not a folder)",
            out.display()
        );
    }
    let (o, c) = (fs::canonicalize(out)?, fs::canonicalize(catalogue)?);
    if c.starts_with(&o) {
        bail!(
            "{} 包含职权目录本身，拒绝替换 (the output folder holds the catalogue)",
            out.display()
        );
    }
    let empty = fs::read_dir(out)
        .with_context(|| format!("无法读取 {}", out.display()))?
        .next()
        .is_none();
    if !empty && !is_ours(out) {
        bail!(
            "{} 不是空目录，也不是 powerlist 生成的站点（没有 {MARKER}），拒绝替换 (refusing to replace a folder powerlist did not create)",
            out.display()
        );
    }
    Ok(())
}

/// A sibling folder the new site is written into before it replaces the old one.
struct Staging {
    path: PathBuf,
}

impl Staging {
    fn new(out: &Path) -> anyhow::Result<Staging> {
        let (parent, name) = sibling_base(out);
        fs::create_dir_all(&parent).with_context(|| format!("无法创建 {}", parent.display()))?;
        let path = parent.join(format!(".{name}.powerlist-new"));
        if path.exists() {
            // Left by a build that was killed: ours to clear, nothing else is.
            if !is_leftover(&path) {
                bail!(
                    "{} 已存在且不是 powerlist 的临时目录，请先移走它",
                    path.display()
                );
            }
            remove_site(&path).with_context(|| format!("无法清理 {}", path.display()))?;
        }
        fs::create_dir(&path).with_context(|| format!("无法创建 {}", path.display()))?;
        fs::write(
            path.join(MARKER),
            "This folder was written by `powerlist build`, which replaces it whole.\n",
        )
        .with_context(|| format!("无法写入 {}", path.display()))?;
        Ok(Staging { path })
    }

    fn abandon(self) {
        let _ = remove_site(&self.path);
    }

    /// Moves the new site in; the old one (if any) goes aside, then away.
    fn swap_into(self, out: &Path) -> anyhow::Result<()> {
        // Never report success over a tree this build did not finish writing.
        if !is_ours(&self.path) {
            bail!(
                "临时目录 {} 在写入时被改动，未替换 {} (the staging folder changed under this build)",
                self.path.display(),
                out.display()
            );
        }
        let old = self.path.with_file_name(
            self.path
                .file_name()
                .map(|n| {
                    n.to_string_lossy()
                        .replace(".powerlist-new", ".powerlist-old")
                })
                .unwrap_or_default(),
        );
        if old.exists() {
            if !is_leftover(&old) {
                self.abandon();
                bail!(
                    "{} 已存在且不是 powerlist 留下的旧站点，请先移走它",
                    old.display()
                );
            }
            remove_site(&old).with_context(|| format!("无法清理 {}", old.display()))?;
        }
        let had_old = out.exists();
        if had_old {
            if let Err(e) = fs::rename(out, &old) {
                self.abandon();
                return Err(e).with_context(|| format!("无法移开旧站点 {}", out.display()));
            }
        }
        if let Err(e) = fs::rename(&self.path, out) {
            if had_old {
                let _ = fs::rename(&old, out);
            }
            self.abandon();
            return Err(e).with_context(|| format!("无法放入新站点 {}", out.display()));
        }
        if had_old {
            // An empty folder we replaced has no marker; only remove what we moved.
            remove_site(&old).with_context(|| format!("无法删除旧站点 {}", old.display()))?;
        }
        Ok(())
    }
}
