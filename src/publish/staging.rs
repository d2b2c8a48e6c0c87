//! Where a build writes before it is done, and what keeps two builds (or a
//! build and someone else's folder) apart: the staging and old-site folders
//! beside the site, the lock, and the guards on the output folders.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use rayon::prelude::*;

/// The file that marks a folder as a site powerlist wrote (and may replace).
pub const MARKER: &str = ".powerlist-site";

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
pub(super) fn guard_internal(internal: &Path, out: &Path) -> anyhow::Result<()> {
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
    // A site is a few folders of many files: those files go on every core.
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for e in fs::read_dir(dir)? {
        let e = e?;
        if e.file_name() == MARKER {
            continue;
        }
        if e.file_type()?.is_dir() {
            for f in fs::read_dir(e.path())? {
                let f = f?;
                if f.file_type()?.is_dir() {
                    dirs.push(f.path());
                } else {
                    files.push(f.path());
                }
            }
            dirs.push(e.path());
        } else {
            files.push(e.path());
        }
    }
    files.par_iter().try_for_each(fs::remove_file)?;
    // Deeper folders first (a site has none below its second level but may).
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        fs::remove_dir_all(d)?;
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
pub(super) struct OutputLock {
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
    pub(super) fn take(out: &Path) -> anyhow::Result<OutputLock> {
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
pub(super) fn guard_output(out: &Path, catalogue: &Path) -> anyhow::Result<()> {
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
pub(super) struct Staging {
    pub(super) path: PathBuf,
}

impl Staging {
    pub(super) fn new(out: &Path) -> anyhow::Result<Staging> {
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

    pub(super) fn abandon(self) {
        let _ = remove_site(&self.path);
    }

    /// Moves the new site in; the old one (if any) goes aside, then away.
    pub(super) fn swap_into(self, out: &Path) -> anyhow::Result<()> {
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
