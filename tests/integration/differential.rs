//! The loader's two paths agree (issue 25): the fast one over granit-parser's
//! events (`load::events`) and serde-saphyr's. Over every YAML file of
//! examples/, tests/fixtures/ and catalogue/, the property test's mutations of
//! the shipped catalogue and its random hostile powers: the same `Finding`
//! (rule, line, column, offset, message) on failure, and on success the same
//! model, spans included (`Debug` prints every `Location` in full). And the
//! hand-written scanner (`load::scan`) that the fast path tries first gives,
//! whenever it reads a text, exactly granit-parser's events and spans.

use std::path::{Path, PathBuf};

use powerlist::load::events::{parse_fast, scan_agrees};
use powerlist::load::{parse_power_events, parse_power_serde};

use crate::property::{mutations, random_power, seed, Lcg};

fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Compares both paths on `text`; true when the fast path read it itself.
fn agree(name: &str, text: &str) -> bool {
    let text = without_bom(text);
    assert_ne!(
        scan_agrees(text),
        Some(false),
        "the scanner's events are not granit-parser's on {name}:\n{text}"
    );
    let old = parse_power_serde(text);
    let new = parse_power_events(text);
    assert_eq!(
        format!("{new:?}"),
        format!("{old:?}"),
        "the two paths differ on {name}:\n{text}"
    );
    match (parse_fast(text), &old) {
        (Ok(fast), Ok(old)) => {
            assert_eq!(format!("{fast:?}"), format!("{old:?}"), "{name}");
            true
        }
        (Ok(_), Err(f)) => panic!("the fast path reads {name}, the old one says {f:?}"),
        (Err(_), _) => false,
    }
}

fn yaml_files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        let p = e.path();
        if e.file_type().is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            // Non-UTF-8 fixtures are refused before either parser runs.
            if let Ok(text) = std::fs::read_to_string(p) {
                out.push((p.display().to_string(), text));
            }
        }
    }
    out
}

#[test]
fn both_paths_agree_on_every_yaml_file_in_the_tree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = 0;
    for dir in ["examples", "tests/fixtures", "catalogue"] {
        for (name, text) in yaml_files(&root.join(dir)) {
            agree(&name, &text);
            files += 1;
        }
    }
    assert!(files > 100, "{files} files");
}

#[test]
fn the_fast_path_reads_every_shipped_power_itself() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, text) in yaml_files(&root.join("catalogue")) {
        if parse_power_serde(without_bom(&text)).is_ok() {
            assert!(agree(&name, &text), "the fast path hands back {name}");
        }
    }
}

#[test]
fn both_paths_agree_on_the_property_tests_inputs() {
    let n = crate::property::cases(1500);
    let mut handed_back = Vec::new();
    for (i, text) in mutations(n).iter().enumerate() {
        let name = format!("mutation {i}");
        if !agree(&name, text) && parse_power_serde(without_bom(text)).is_ok() {
            let why = parse_fast(without_bom(text)).err().map(|e| e.to_string());
            handed_back.push((name, why));
        }
    }
    let mut rng = Lcg(seed());
    for i in 0..n {
        assert!(
            agree(&format!("random power {i}"), &random_power(&mut rng, i)),
            "the fast path hands back random power {i}"
        );
    }
    // What parses, the fast path reads itself.
    assert!(handed_back.is_empty(), "{handed_back:#?}");
}

#[test]
fn the_scanner_reads_every_shipped_power_itself() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = yaml_files(&root.join("catalogue"));
    assert!(files.len() > 10, "{} files", files.len());
    for (name, text) in files {
        assert_eq!(scan_agrees(without_bom(&text)), Some(true), "{name}");
    }
}

/// The benchmark generator (examples/gen.rs), built by `cargo test` beside this binary.
fn generator() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap().join("examples");
    dir.join(format!("gen{}", std::env::consts::EXE_SUFFIX))
}

#[test]
fn the_scanner_reads_every_generated_power_itself() {
    let gen = generator();
    assert!(
        gen.exists(),
        "cargo test builds examples/gen: {}",
        gen.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    for seed in ["1", "7"] {
        let dir = tmp.path().join(seed);
        let out = std::process::Command::new(&gen)
            .arg("300")
            .arg(&dir)
            .args(["--seed", seed])
            .output()
            .unwrap();
        assert!(out.status.success());
        let files = yaml_files(&dir);
        assert_eq!(files.len(), 300);
        for (name, text) in files {
            assert_eq!(scan_agrees(&text), Some(true), "{name}");
            assert!(agree(&name, &text), "the fast path hands back {name}");
        }
    }
}
