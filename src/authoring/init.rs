//! `powerlist init [DIR]`: a catalogue repository to start from (as `cargo new`
//! and `mdbook init` give one) — the catalogue with commented settings and one
//! example power, the JSON Schema with the VS Code setting that maps the YAML
//! files to it (a local file, no network), an example CI workflow and a
//! `.gitignore` for the site. `check catalogue` and `build catalogue` work on
//! it at once. Nothing that exists is overwritten.

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

/// Writes the skeleton into `dir` (made if need be); refuses, writing nothing,
/// when any of its files exists. Returns the files written.
pub fn init(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let files = files();
    let existing: Vec<String> = files
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        bail!(
            "{} 已存在，不会覆盖；请换一个文件夹 (refusing to overwrite)",
            existing.join("、")
        );
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("无法创建 {}", parent.display()))?;
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
            .with_context(|| format!("无法写入 {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
