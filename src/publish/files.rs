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

/// What a build holds for the list's files until they are written (each
/// power's 责任事项 and JSON record, taken once by the book and
/// `catalogue.json`): in memory up to a budget, then appended to one file in
/// the staging folder. A county's list stays in memory and costs no file at
/// all; a provincial one (most of a gigabyte of records) spills once the
/// budget is spent — into one file, not a file a power to create, read and
/// remove.
pub struct Held {
    path: std::path::PathBuf,
    budget: usize,
    used: std::sync::atomic::AtomicUsize,
    mem: std::sync::Mutex<std::collections::HashMap<String, Stored>>,
    spill: std::sync::Mutex<Option<Spill>>,
}

/// A held text: in memory, or where it is in the spill file.
enum Stored {
    Text(String),
    At { offset: u64, len: usize },
}

/// The spill file, open for appending and reading back, and its length.
struct Spill {
    file: fs::File,
    end: u64,
}

/// How much a build holds in memory before it spills to its staging folder.
pub const HELD_IN_MEMORY: usize = 128 << 20;

impl Held {
    /// Holds up to `budget` bytes in memory, the rest in the file `path`.
    pub fn new(path: &Path, budget: usize) -> Held {
        Held {
            path: path.to_path_buf(),
            budget,
            used: std::sync::atomic::AtomicUsize::new(0),
            mem: std::sync::Mutex::new(std::collections::HashMap::new()),
            spill: std::sync::Mutex::new(None),
        }
    }

    /// Holds `text` under `name` until it is taken.
    pub fn put(&self, name: &str, text: String) -> anyhow::Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        let n = text.len();
        if self.used.fetch_add(n, Relaxed) + n <= self.budget {
            self.lock().insert(name.to_string(), Stored::Text(text));
            return Ok(());
        }
        self.used.fetch_sub(n, Relaxed);
        let offset = self
            .append(text.as_bytes())
            .with_context(|| format!("无法写入 {}", self.path.display()))?;
        self.lock()
            .insert(name.to_string(), Stored::At { offset, len: n });
        Ok(())
    }

    /// Appends `bytes` to the spill file (made on first need); returns where.
    fn append(&self, bytes: &[u8]) -> std::io::Result<u64> {
        use std::io::{Seek, SeekFrom};
        let mut spill = self.spill.lock().unwrap_or_else(|e| e.into_inner());
        let s = match spill.as_mut() {
            Some(s) => s,
            None => {
                let file = fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create_new(true)
                    .open(&self.path)?;
                spill.insert(Spill { file, end: 0 })
            }
        };
        let offset = s.end;
        s.file.seek(SeekFrom::Start(offset))?;
        s.file.write_all(bytes)?;
        s.end += bytes.len() as u64;
        Ok(offset)
    }

    /// What `put` held under `name`; released from memory.
    pub fn take(&self, name: &str) -> std::io::Result<String> {
        String::from_utf8(self.take_bytes(name)?)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }

    /// `take` as bytes, not checked again for UTF-8 (for a reader that only
    /// passes them on).
    pub fn take_bytes(&self, name: &str) -> std::io::Result<Vec<u8>> {
        use std::io::{Read, Seek, SeekFrom};
        let (offset, len) = match self.lock().remove(name) {
            Some(Stored::Text(text)) => return Ok(text.into_bytes()),
            Some(Stored::At { offset, len }) => (offset, len),
            None => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("nothing is held as {name}"),
                ))
            }
        };
        let mut spill = self.spill.lock().unwrap_or_else(|e| e.into_inner());
        let Some(s) = spill.as_mut() else {
            return Err(std::io::Error::other("the spill file is gone"));
        };
        let mut bytes = vec![0; len];
        s.file.seek(SeekFrom::Start(offset))?;
        s.file.read_exact(&mut bytes)?;
        Ok(bytes)
    }

    /// Whether anything spilled to the staging folder.
    pub fn spilled(&self) -> bool {
        self.spill
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Closes and removes the spill file, if there is one.
    pub fn remove(&self) -> anyhow::Result<()> {
        let spill = self.spill.lock().unwrap_or_else(|e| e.into_inner()).take();
        if spill.is_some() {
            drop(spill);
            fs::remove_file(&self.path)
                .with_context(|| format!("无法删除 {}", self.path.display()))?;
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, Stored>> {
        // A panic elsewhere cannot leave the map half-changed: one insert or remove.
        self.mem.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_texts_spill_to_one_file_beyond_the_budget() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("held");
        let held = Held::new(&file, 10);
        held.put("a.json", "0123456789".into()).unwrap();
        assert!(!held.spilled(), "the first ten bytes stay in memory");
        assert!(!file.exists());
        held.put("b.json", "{}".into()).unwrap();
        held.put("c.json", "「依据」".into()).unwrap();
        assert!(held.spilled());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "{}「依据」");
        // Taken in any order, each once.
        assert_eq!(held.take("c.json").unwrap(), "「依据」");
        assert_eq!(held.take("a.json").unwrap(), "0123456789");
        assert_eq!(held.take("b.json").unwrap(), "{}");
        assert!(held.take("a.json").is_err(), "taken once");
        assert!(held.take("b.json").is_err(), "taken once");
        held.remove().unwrap();
        assert!(!file.exists(), "the spill file is removed");
        assert!(!held.spilled());
    }
}
