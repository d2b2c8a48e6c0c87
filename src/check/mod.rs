//! Checking a catalogue: loaded whole (`check_catalogue`), one file alone
//! (`check_one`, for `serve`), or streamed so memory stays flat
//! (`check_streaming`, for `build` and `export`), or streamed with the check
//! cache (`check_cached`, for `check`).

pub mod cache;
mod sparse;

use std::path::Path;

use rayon::prelude::*;

use crate::config;
use crate::diag::Diagnostic;
use crate::load::{self, Catalogue, Loaded, SourceFile};
use crate::model::Power;
use crate::rules::{self, FileCheck};

/// Loads a catalogue with its settings and runs every rule on it, keeping every
/// power in memory (for tests and callers that want the model).
pub fn check_catalogue(root: &Path) -> anyhow::Result<(Catalogue, Vec<Diagnostic>)> {
    let settings = config::Settings::load(root)?;
    let cat = load::load_catalogue(root)?;
    let diags = rules::check(&cat, &settings);
    Ok((cat, diags))
}

/// One file of a catalogue read and checked alone (for `serve`): its
/// diagnostics (the cross-file rules aside) and its power when it has no error.
pub fn check_one(
    root: &Path,
    path: &Path,
    settings: &config::Settings,
) -> anyhow::Result<(Catalogue, Vec<Diagnostic>, Option<Power>)> {
    let mut file = load::read_file(path, load::rel_of(root, path))?;
    let check = rules::check_file(&file, settings);
    let clean = !rules::has_errors(&check, settings);
    let power = match std::mem::replace(&mut file.power, Loaded::Released) {
        Loaded::Ok(p) if clean => Some(*p),
        _ => None,
    };
    let files = vec![file];
    let diags = rules::finish(&files, vec![check], settings);
    let cat = Catalogue {
        root: root.to_path_buf(),
        files,
    };
    Ok((cat, diags, power))
}

/// The most files a core reads in one go before the rest may be shared out.
const PIECE: usize = 16;

/// What a streamed check keeps of the text of a file with findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texts {
    /// All of it (for `serve`, which reads what a file says of its disclosure).
    Whole,
    /// The lines the human report draws around each finding, the rest emptied.
    Reported,
}

/// A catalogue checked as it is read: each power is parsed, checked, handed to
/// `keep` with whether it is free of errors (which takes what the caller needs
/// later; a power with errors is never drawn) and dropped, so memory stays
/// flat however many powers there are. The files in the catalogue are left as
/// `Loaded::Released`, with their text kept only where a diagnostic points
/// (`texts`: whole, or only as far as the report needs it).
pub fn check_streaming<T: Send>(
    root: &Path,
    settings: &config::Settings,
    texts: Texts,
    keep: &(dyn Fn(&str, &mut Power, bool) -> T + Sync),
) -> anyhow::Result<(Catalogue, Vec<Diagnostic>, Vec<Option<T>>)> {
    let paths = load::find_yaml_files(root)?;
    let mut results: Vec<(SourceFile, FileCheck, Option<T>)> = paths
        .into_par_iter()
        // In pieces of at most `PIECE` files: no core idles at the end while
        // the other reads a long run of files alone.
        .with_max_len(PIECE)
        .map(|(path, rel)| {
            let mut file = load::read_file(&path, rel)?;
            let mut check = rules::check_file(&file, settings);
            let kept = match &mut file.power {
                Loaded::Ok(p) => {
                    let clean = !rules::has_errors(&check, settings);
                    Some(keep(&file.rel, p, clean))
                }
                _ => None,
            };
            if matches!(file.power, Loaded::Ok(_)) {
                file.power = Loaded::Released;
            }
            if check.findings.is_empty() {
                file.text = String::new();
            } else if texts == Texts::Reported {
                sparse::keep_around(&mut file.text, &mut check);
            }
            Ok((file, check, kept))
        })
        .collect::<anyhow::Result<_>>()?;
    results.sort_by(|a, b| a.0.rel.cmp(&b.0.rel));
    let mut files = Vec::with_capacity(results.len());
    let mut checks = Vec::with_capacity(results.len());
    let mut kept = Vec::with_capacity(results.len());
    for (f, c, k) in results {
        files.push(f);
        checks.push(c);
        kept.push(k);
    }
    let (cat, diags) = finish(root, files, checks, settings);
    Ok((cat, diags, kept))
}

/// What the check cache keeps of a file: its path, the hash of its bytes and
/// what its own rules found, where in the whole text.
type CacheEntry = (String, u64, FileCheck);

/// `check` with the check cache (`crate::cache`): a file whose bytes are as
/// cached is neither parsed nor checked again; its findings are the cached
/// ones. The cross-file rules run over every file, and the cache is updated.
pub fn check_cached(
    root: &Path,
    settings: &config::Settings,
) -> anyhow::Result<(Catalogue, Vec<Diagnostic>)> {
    let cache = cache::Cache::open(root, settings);
    let paths = load::find_yaml_files(root)?;
    let mut results: Vec<(SourceFile, FileCheck, Option<CacheEntry>)> = paths
        .into_par_iter()
        // In pieces of at most `PIECE` files: no core idles at the end while
        // the other reads a long run of files alone.
        .with_max_len(PIECE)
        .map(|(path, rel)| {
            let hash = std::cell::Cell::new(None);
            let known = |bytes: &[u8]| {
                let h = cache::file_hash(&rel, bytes);
                hash.set(Some(h));
                cache.get(&rel, h).map(|c| !c.findings.is_empty())
            };
            let mut file = load::read_file_with(&path, rel.clone(), &known)?;
            let hit = match (&file.power, hash.get()) {
                (Loaded::Released, Some(h)) => cache.get(&file.rel, h).cloned(),
                _ => None,
            };
            let mut check = match hit {
                Some(check) => check,
                None => rules::check_file(&file, settings),
            };
            file.power = Loaded::Released;
            // A file that could not be read as bytes (a dangling link) is not
            // cached; the cache holds where its findings are in the whole text.
            let entry = hash.get().map(|h| (file.rel.clone(), h, check.clone()));
            if check.findings.is_empty() {
                file.text = String::new();
            } else {
                sparse::keep_around(&mut file.text, &mut check);
            }
            Ok((file, check, entry))
        })
        .collect::<anyhow::Result<_>>()?;
    results.sort_by(|a, b| a.0.rel.cmp(&b.0.rel));
    let mut files = Vec::with_capacity(results.len());
    let mut checks = Vec::with_capacity(results.len());
    let mut entries = Vec::with_capacity(results.len());
    for (f, c, entry) in results {
        entries.extend(entry);
        files.push(f);
        checks.push(c);
    }
    cache.store(entries);
    Ok(finish(root, files, checks, settings))
}

/// The cross-file rules, `allow` and levels over the checked files; the text
/// of a file a diagnostic points into is read again if it was dropped.
fn finish(
    root: &Path,
    files: Vec<SourceFile>,
    checks: Vec<FileCheck>,
    settings: &config::Settings,
) -> (Catalogue, Vec<Diagnostic>) {
    let diags = rules::finish(&files, checks, settings);
    // A cross-file finding (a duplicate code) can point into a file whose text was
    // dropped: read it again for the report's snippet.
    let mut wanted: Vec<&str> = diags.iter().map(|d| d.file.as_str()).collect();
    wanted.dedup();
    let wanted: std::collections::HashSet<&str> = wanted.into_iter().collect();
    let mut cat = Catalogue {
        root: root.to_path_buf(),
        files,
    };
    for f in cat.files.iter_mut() {
        if f.text.is_empty() && wanted.contains(f.rel.as_str()) {
            // Read back at most what the loader would have read: an oversized
            // file keeps no text and is reported without a snippet.
            let bytes = load::read_bounded(&cat.root.join(&f.rel));
            if let Ok(Some(text)) = bytes.map(|b| b.and_then(|b| String::from_utf8(b).ok())) {
                f.text = load::without_bom(text);
            }
        }
    }
    (cat, diags)
}
