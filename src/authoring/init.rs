//! `powerlist init [DIR]`: a catalogue repository to start from (as `cargo new`
//! and `mdbook init` give one) — the catalogue with commented settings and one
//! example power, the JSON Schema with the VS Code setting that maps the YAML
//! files to it (a local file, no network), an example CI workflow and a
//! `.gitignore` for the site. `check catalogue` and `build catalogue` work on
//! it at once. Nothing that exists is overwritten, and a failed `init` leaves
//! the folder as it was.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use crate::config::Settings;

/// The example power: the shipped 结婚登记, whose legal facts are sourced in it.
const EXAMPLE: &str = include_str!("../../catalogue/minzheng/jiehun.yaml");

/// The files `init` writes, relative to its folder.
pub fn files() -> Vec<(&'static str, String)> {
    vec![
        (
            "catalogue/powerlist.toml",
            include_str!("../../data/init/powerlist.toml").to_string(),
        ),
        (
            "catalogue/minzheng/jiehun.yaml",
            format!("# yaml-language-server: $schema=../../power.schema.json\n{EXAMPLE}"),
        ),
        (
            "power.schema.json",
            crate::model::schema::render(&Settings::default()),
        ),
        (
            ".vscode/settings.json",
            include_str!("../../data/init/vscode-settings.json").to_string(),
        ),
        (
            ".github/workflows/powerlist.yml",
            include_str!("../../data/init/workflow.yml").to_string(),
        ),
        (
            ".gitignore",
            include_str!("../../data/init/gitignore").to_string(),
        ),
    ]
}

/// Writes the skeleton into `dir` (made if need be), all or nothing: every
/// target is checked first (no file of it exists, every folder on the way is
/// a folder or not there yet), and a write that fails after all is undone —
/// the folder is left as it was. Returns the files written.
pub fn init(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let files = files();
    let problems = obstacles(dir, &files);
    if !problems.is_empty() {
        bail!(
            "{}；未写入任何文件 (init writes nothing unless it can write everything)",
            problems.join("；")
        );
    }
    let mut done = Written::default();
    match write_all(dir, &files, &mut done) {
        Ok(()) => Ok(done.files),
        Err(e) => {
            done.undo();
            Err(e)
        }
    }
}

fn shown(p: &Path) -> String {
    crate::report::terminal_safe(&p.display().to_string())
}

/// What stands in the way of writing `files` into `dir`, each once: a file
/// that exists (never overwritten), a file or a link where a folder must be.
fn obstacles(dir: &Path, files: &[(&str, String)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut note = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for (rel, _) in files {
        let path = dir.join(rel);
        // The folders from `dir` down: each a real folder, or missing (and then all below it).
        let mut folders = vec![dir.to_path_buf()];
        let parts: Vec<&str> = rel.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            let next = folders[folders.len() - 1].join(part);
            folders.push(next);
        }
        let mut blocked = false;
        for f in &folders {
            match std::fs::symlink_metadata(f) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    note(format!("{} 不是文件夹 (not a folder)", shown(f)));
                    blocked = true;
                    break;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
                Err(e) => {
                    note(format!("无法读取 {}：{e}", shown(f)));
                    blocked = true;
                    break;
                }
            }
        }
        if blocked {
            continue;
        }
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Ok(_) => note(format!(
                "{} 已存在，不会覆盖 (refusing to overwrite)",
                shown(&path)
            )),
            Err(e) => note(format!("无法读取 {}：{e}", shown(&path))),
        }
    }
    out
}

/// What `write_all` made, so that a failure can take it back.
#[derive(Default)]
struct Written {
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

impl Written {
    /// Removes what was made, newest first; a folder only if it is empty.
    fn undo(&self) {
        for f in self.files.iter().rev() {
            let _ = std::fs::remove_file(f);
        }
        for d in self.folders.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
}

fn write_all(dir: &Path, files: &[(&str, String)], done: &mut Written) -> anyhow::Result<()> {
    make_folders(dir, done)?;
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            make_folders(parent, done)?;
        }
        // Never over a file that appeared since the check.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("无法写入 {}", shown(&path)))?;
        done.files.push(path.clone());
        std::io::Write::write_all(&mut file, text.as_bytes())
            .with_context(|| format!("无法写入 {}", shown(&path)))?;
    }
    Ok(())
}

/// `create_dir_all`, noting each folder it makes.
fn make_folders(path: &Path, done: &mut Written) -> anyhow::Result<()> {
    let missing: Vec<&Path> = path
        .ancestors()
        .take_while(|p| !p.as_os_str().is_empty() && std::fs::symlink_metadata(p).is_err())
        .collect();
    for p in missing.into_iter().rev() {
        std::fs::create_dir(p).with_context(|| format!("无法创建 {}", shown(p)))?;
        done.folders.push(p.to_path_buf());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A write that fails half-way (here a file where a folder must be, which
    /// `init` would have found first) takes back everything it made.
    #[test]
    fn a_failed_write_is_undone() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("keep"), "x").unwrap();
        let dir = tmp.path().join("new/repo");
        let files = vec![
            ("a/b/one", "1".to_string()),
            ("two", "2".to_string()),
            ("two/three", "3".to_string()),
        ];
        let mut done = Written::default();
        assert!(write_all(&dir, &files, &mut done).is_err());
        assert_eq!(done.files.len(), 2);
        done.undo();
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["keep"]);
    }

    #[test]
    fn obstacles_are_found_before_anything_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(".vscode"), "x").unwrap();
        std::fs::create_dir_all(tmp.path().join("catalogue")).unwrap();
        std::fs::write(tmp.path().join(".gitignore"), "x").unwrap();
        let found = obstacles(tmp.path(), &files());
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains(".vscode") && found[0].contains("不是文件夹"));
        assert!(found[1].contains(".gitignore") && found[1].contains("不会覆盖"));
        assert!(obstacles(&tmp.path().join("elsewhere"), &files()).is_empty());
    }
}
