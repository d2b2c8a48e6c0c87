//! The check cache, kept as ruff keeps its own: `.powerlist-cache/` in the
//! catalogue folder (hidden, so never read as a power; `init`'s .gitignore
//! leaves it out of the repository). For each file, keyed by its path and
//! content, it holds what the file's own rules found (`rules::FileCheck`).
//! It is valid only for the binary, the settings, the calendar and the law
//! texts it was made with (`fingerprint`): change any of them and it starts
//! afresh. The catalogue-wide rules (duplicate codes) always run over every file.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::rules::FileCheck;

/// The cache folder, in the catalogue folder.
pub const CACHE_DIR: &str = ".powerlist-cache";
const CACHE_FILE: &str = "check-v1.json";
/// A cache file larger than this is not read (10,000 powers without findings
/// make 1.4 MB; each finding adds a few hundred bytes).
const MAX_CACHE_BYTES: u64 = 1 << 30;

/// What the cache file holds.
#[derive(Default, Serialize, Deserialize)]
struct Stored {
    fingerprint: u64,
    /// File (by its path in the catalogue) → its content's hash and findings.
    files: HashMap<String, (u64, FileCheck)>,
}

/// The cache of one catalogue, as read at the start of a check.
pub struct Cache {
    path: PathBuf,
    stored: Stored,
    enabled: bool,
}

impl Cache {
    /// The catalogue's cache, or an empty one when there is none, it cannot
    /// be read, or it was made by another binary or with other settings. Only
    /// a catalogue set up as one (with a `powerlist.toml`) keeps a cache: a
    /// bare folder of YAML files is checked without writing into it.
    pub fn open(root: &Path, settings: &Settings) -> Cache {
        let enabled = root.join(crate::config::CONFIG_FILE).is_file();
        let fingerprint = fingerprint(root, settings);
        let path = root.join(CACHE_DIR).join(CACHE_FILE);
        // Ours, and a few kilobytes a file; anything far larger is not read.
        let small = std::fs::metadata(&path).is_ok_and(|m| m.len() <= MAX_CACHE_BYTES);
        let stored = small
            .then(|| std::fs::read(&path).ok())
            .flatten()
            .and_then(|b| serde_json::from_slice::<Stored>(&b).ok())
            .filter(|s| enabled && s.fingerprint == fingerprint)
            .unwrap_or(Stored {
                fingerprint,
                files: HashMap::new(),
            });
        Cache {
            path,
            stored,
            enabled,
        }
    }

    /// What the file's own rules found, if the file is as it was when cached.
    pub(crate) fn get(&self, rel: &str, hash: u64) -> Option<&FileCheck> {
        match self.stored.files.get(rel) {
            Some((h, check)) if *h == hash => Some(check),
            _ => None,
        }
    }

    /// Keeps the files of this check (`(path, hash, findings)`, every file
    /// checked) in place of the old ones and writes the cache when anything
    /// changed. A cache that cannot be written is no error: the next check
    /// is only slower.
    pub(crate) fn store(mut self, files: Vec<(String, u64, FileCheck)>) {
        if !self.enabled {
            return;
        }
        let changed = files.len() != self.stored.files.len()
            || files
                .iter()
                .any(|(rel, hash, _)| self.get(rel, *hash).is_none());
        if !changed {
            return;
        }
        self.stored.files = files
            .into_iter()
            .map(|(rel, hash, check)| (rel, (hash, check)))
            .collect();
        let Ok(bytes) = serde_json::to_vec(&self.stored) else {
            return;
        };
        let Some(dir) = self.path.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        // Written whole, then renamed: a check stopped halfway leaves the old cache.
        let temp = dir.join(format!("{CACHE_FILE}.{}.tmp", std::process::id()));
        if std::fs::write(&temp, bytes).is_ok() && std::fs::rename(&temp, &self.path).is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        let readme = dir.join("README");
        if !readme.exists() {
            let _ = std::fs::write(
                readme,
                "powerlist check 的缓存：可以随时删除，不要提交到仓库。\n(powerlist's check cache: safe to delete, not for the repository.)\n",
            );
        }
    }
}

/// The key of a file's entry: its path and its bytes.
pub(crate) fn file_hash(rel: &str, bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    rel.hash(&mut h);
    bytes.hash(&mut h);
    h.finish()
}

/// What the findings of every file depend on besides the file itself: this
/// binary (its version, size and time, so a rebuilt one starts afresh, the
/// built-in calendar and law library being in it), and every settings file
/// `Settings::load` reads — `powerlist.toml`, `laws.toml`, the calendar and
/// the `[laws] texts` folder.
fn fingerprint(root: &Path, settings: &Settings) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|e| std::fs::metadata(e).ok())
    {
        meta.len().hash(&mut h);
        meta.modified().ok().hash(&mut h);
    }
    let mut files = vec![
        crate::config::CONFIG_FILE.to_string(),
        crate::config::LAWS_FILE.to_string(),
    ];
    files.extend(settings.config.calendar.clone());
    if let Some(dir) = &settings.config.laws.texts {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            files.extend(
                names
                    .into_iter()
                    .map(|n| format!("{}/{n}", dir.trim_end_matches('/'))),
            );
        }
    }
    for rel in files {
        rel.hash(&mut h);
        crate::load::read_catalogue_file(root, &rel)
            .ok()
            .flatten()
            .hash(&mut h);
    }
    h.finish()
}
