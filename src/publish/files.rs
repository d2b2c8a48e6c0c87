//! The file writers: an output file replaced atomically
//! (`export -o`, `import`), a new file that must not exist yet (`new`), and a
//! site's files inside its staging folder.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context as _};

/// Writes `path` through a temporary sibling renamed over it: a reader never
/// sees half of it, and an existing entry is replaced, never opened, so no link
/// is followed. A leftover (or planted) temporary of that name is removed first.
pub fn write_atomically(
    path: &Path,
    fill: &mut dyn FnMut(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    if path.is_dir() {
        bail!("{} 是目录 (the output is a folder)", path.display());
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.powerlist-tmp"));
    if std::fs::symlink_metadata(&tmp).is_ok() {
        std::fs::remove_file(&tmp).with_context(|| format!("无法清理 {}", tmp.display()))?;
    }
    let written = (|| -> anyhow::Result<()> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .with_context(|| format!("无法写入 {}", tmp.display()))?;
        let mut w = std::io::BufWriter::new(file);
        fill(&mut w)?;
        w.flush()?;
        std::fs::rename(&tmp, path).with_context(|| format!("无法写入 {}", path.display()))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Writes a file that must not exist yet; an existing file is never touched.
pub fn create_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("无法创建 {}", parent.display()))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => anyhow::anyhow!(
                "{} 已存在，不会覆盖 (refusing to overwrite an existing file)",
                path.display()
            ),
            _ => anyhow::Error::new(e).context(format!("无法写入 {}", path.display())),
        })?;
    f.write_all(bytes)
        .with_context(|| format!("无法写入 {}", path.display()))
}

/// Writes a file piece by piece through a buffer (for the site's large files).
pub(super) fn write_streamed(
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

pub(super) fn write_file(dir: &Path, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
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
