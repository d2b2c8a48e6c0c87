//! Writing one output file so that nothing is half-written or written through
//! a link: `export -o` and `import` both write this way.

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
