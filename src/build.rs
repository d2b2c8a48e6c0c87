//! `build` and `export`: which powers go out, and writing the site so that a failed
//! build never leaves a half-written one (write a sibling folder, then swap).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use rayon::prelude::*;

use crate::config::Settings;
use crate::load::{Catalogue, Loaded};
use crate::model::Power;
use crate::render::{dot, site, svg, table};

/// The file that marks a folder as a site powerlist wrote (and may replace).
pub const MARKER: &str = ".powerlist-site";

/// Writes every category by its canonical name (`XK` becomes 行政许可), so that
/// grouping and tables see one spelling. Runs after `check`, before rendering.
pub fn normalise(cat: &mut Catalogue, settings: &Settings) {
    for f in &mut cat.files {
        if let Loaded::Ok(p) = &mut f.power {
            if let Some(c) = &mut p.category {
                if let Some(name) = settings.category(&c.value) {
                    c.value = name.to_string();
                }
            }
        }
    }
}

/// Powers in table order: by category (in the order of the category list), then code.
pub fn ordered<'a>(cat: &'a Catalogue, settings: &Settings, public: bool) -> Vec<&'a Power> {
    let mut powers: Vec<&Power> = cat
        .files
        .iter()
        .filter_map(|f| match &f.power {
            Loaded::Ok(p) => Some(p.as_ref()),
            Loaded::Failed(_) => None,
        })
        .filter(|p| p.is_public() == public)
        .collect();
    let rank = |p: &Power| {
        let written = p.category.as_ref().map_or("", |c| c.value.as_str());
        let name = settings.category(written).unwrap_or(written);
        settings
            .categories
            .iter()
            .position(|(n, _)| n == name)
            .unwrap_or(usize::MAX)
    };
    powers.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.code().cmp(b.code())));
    powers
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Xlsx,
    Json,
}

fn title(settings: &Settings) -> String {
    settings
        .config
        .title
        .clone()
        .unwrap_or_else(|| "行政职权目录".to_string())
}

/// The public 职权目录 table in one format.
pub fn export(
    cat: &Catalogue,
    settings: &Settings,
    format: TableFormat,
) -> anyhow::Result<Vec<u8>> {
    let powers = ordered(cat, settings, true);
    match format {
        TableFormat::Csv => table::csv(&powers),
        TableFormat::Xlsx => table::xlsx(&powers, &title(settings)),
        TableFormat::Json => table::json(&powers, &title(settings)),
    }
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
    let ok = !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok {
        bail!("权力编码 `{code}` 不能用作文件名 (code is not [A-Za-z0-9_-]{{1,64}})");
    }
    Ok(code)
}

/// Builds the site of `cat` into `out`. The catalogue must have passed `check`.
pub fn build(
    cat: &Catalogue,
    settings: &Settings,
    out: &Path,
    internal: bool,
) -> anyhow::Result<Built> {
    let theme = site::Theme::load(&cat.root)?;
    let public = ordered(cat, settings, true);
    let hidden = ordered(cat, settings, false);
    for p in public.iter().chain(&hidden) {
        file_stem(p.code())?;
    }
    guard_output(out, &cat.root)?;
    let info = site::SiteInfo {
        title: title(settings),
        organisation: settings.config.organisation.clone().unwrap_or_default(),
        count: public.len(),
    };

    let staging = Staging::new(out)?;
    let dir = staging.path.clone();
    let result = (|| -> anyhow::Result<usize> {
        let write = |rel: &str, bytes: &[u8]| write_file(&dir, rel, bytes);
        let mut files = theme.assets.len() + 4;
        for (name, text) in &theme.assets {
            write(&format!("assets/{name}"), text.as_bytes())?;
        }
        let order: Vec<String> = settings.categories.iter().map(|(n, _)| n.clone()).collect();
        write(
            "index.html",
            theme.index(&info, &public, &order)?.as_bytes(),
        )?;
        write("catalogue.csv", &table::csv(&public)?)?;
        write("catalogue.xlsx", &table::xlsx(&public, &info.title)?)?;
        write("catalogue.json", &table::json(&public, &info.title)?)?;
        for d in ["powers", "flowcharts"] {
            fs::create_dir_all(dir.join(d))?;
        }
        public
            .par_iter()
            .enumerate()
            .try_for_each(|(i, p)| -> anyhow::Result<()> {
                let code = file_stem(p.code())?;
                let chart = svg::render(p);
                let page = theme
                    .power(&info, i + 1, p, &chart)
                    .with_context(|| format!("渲染 {code} 的页面失败"))?;
                write_file(&dir, &format!("powers/{code}.html"), page.as_bytes())?;
                write_file(&dir, &format!("flowcharts/{code}.svg"), chart.as_bytes())?;
                write_file(
                    &dir,
                    &format!("flowcharts/{code}.dot"),
                    dot::render(p).as_bytes(),
                )
            })?;
        files += 3 * public.len();
        if internal {
            files += 1;
            fs::create_dir_all(dir.join("internal/flowcharts"))?;
            write(
                "internal/index.html",
                theme.internal(&info, &hidden)?.as_bytes(),
            )?;
            hidden.par_iter().try_for_each(|p| -> anyhow::Result<()> {
                let code = file_stem(p.code())?;
                write_file(
                    &dir,
                    &format!("internal/flowcharts/{code}.svg"),
                    svg::render(p).as_bytes(),
                )?;
                write_file(
                    &dir,
                    &format!("internal/flowcharts/{code}.dot"),
                    dot::render(p).as_bytes(),
                )
            })?;
            files += 2 * hidden.len();
        }
        Ok(files)
    })();
    let files = match result {
        Ok(n) => n,
        Err(e) => {
            staging.abandon();
            return Err(e.context(format!(
                "构建失败, {} 保持不变 (build failed; the previous site is untouched)",
                out.display()
            )));
        }
    };
    staging.swap_into(out)?;
    Ok(Built {
        public: public.len(),
        internal: if internal { hidden.len() } else { 0 },
        files,
        overridden: theme.overridden,
    })
}

fn write_file(dir: &Path, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("无法创建 {}", parent.display()))?;
    }
    fs::write(&path, bytes).with_context(|| format!("无法写入 {}", path.display()))
}

fn is_ours(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
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
            "{} 不是目录, 拒绝覆盖 (the output exists and is not a folder)",
            out.display()
        );
    }
    let (o, c) = (fs::canonicalize(out)?, fs::canonicalize(catalogue)?);
    if c.starts_with(&o) {
        bail!(
            "{} 包含职权目录本身, 拒绝替换 (the output folder holds the catalogue)",
            out.display()
        );
    }
    let empty = fs::read_dir(out)
        .with_context(|| format!("无法读取 {}", out.display()))?
        .next()
        .is_none();
    if !empty && !is_ours(out) {
        bail!(
            "{} 不是空目录, 也不是 powerlist 生成的站点 (没有 {MARKER}), 拒绝替换 (refusing to replace a folder powerlist did not create)",
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
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).with_context(|| format!("无法创建 {}", parent.display()))?;
        let path = parent.join(format!(".{name}.powerlist-new"));
        if path.exists() {
            // Left by a build that was killed: ours to clear, nothing else is.
            if !is_ours(&path) {
                bail!(
                    "{} 已存在且不是 powerlist 的临时目录, 请先移走它",
                    path.display()
                );
            }
            fs::remove_dir_all(&path).with_context(|| format!("无法清理 {}", path.display()))?;
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
        let _ = fs::remove_dir_all(&self.path);
    }

    /// Moves the new site in; the old one (if any) goes aside, then away.
    fn swap_into(self, out: &Path) -> anyhow::Result<()> {
        let old = self.path.with_file_name(
            self.path
                .file_name()
                .map(|n| {
                    n.to_string_lossy()
                        .replace(".powerlist-new", ".powerlist-old")
                })
                .unwrap_or_default(),
        );
        if old.exists() && is_ours(&old) {
            fs::remove_dir_all(&old).with_context(|| format!("无法清理 {}", old.display()))?;
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
            fs::remove_dir_all(&old)
                .with_context(|| format!("无法删除旧站点 {}", old.display()))?;
        }
        Ok(())
    }
}
