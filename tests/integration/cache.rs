//! The check cache (`.powerlist-cache/`): a file as it was is not checked
//! again, and anything its findings depend on starts it afresh.

use std::path::Path;

use crate::build::{copy_dir, shipped};
use crate::cli::{code, powerlist, stdout};

fn check(cat: &Path, extra: &[&str]) -> String {
    let mut args = vec!["check", cat.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    stdout(&powerlist(&args))
}

/// Rewrites every cached message of `file` so that a check that reads the
/// cache can be told from one that does not.
fn tamper(cat: &Path, file: &str) {
    let path = cat.join(".powerlist-cache/check-v1.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let entry = &mut v["files"][file][1]["findings"];
    for f in entry.as_array_mut().unwrap() {
        f["message"] = "（取自缓存）".into();
    }
    std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
}

#[test]
fn a_file_as_it_was_is_not_checked_again_and_changes_start_afresh() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    copy_dir(&shipped(), &cat);
    let _ = std::fs::remove_dir_all(cat.join(".powerlist-cache"));
    let file = "renshe/shiye-baoxianjin.yaml";
    let cold = check(&cat, &[]);
    assert!(cold.contains("basis-article"), "{cold}");
    assert!(cat.join(".powerlist-cache/check-v1.json").is_file());
    // The same files: the same report, read from the cache.
    assert_eq!(check(&cat, &[]), cold);
    tamper(&cat, file);
    assert!(
        check(&cat, &[]).contains("（取自缓存）"),
        "the cache is read"
    );
    // --no-cache neither reads nor writes it.
    assert_eq!(check(&cat, &["--no-cache"]), cold);
    assert!(check(&cat, &[]).contains("（取自缓存）"));
    // An edit of the file: checked again.
    let p = cat.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{text}\n")).unwrap();
    let edited = check(&cat, &[]);
    assert!(!edited.contains("（取自缓存）") && edited.contains("basis-article"));
    // The settings: every file checked again.
    tamper(&cat, file);
    let settings = cat.join("powerlist.toml");
    let toml = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, format!("{toml}\n# 改动\n")).unwrap();
    assert!(!check(&cat, &[]).contains("（取自缓存）"));
    // The catalogue's own laws: the same.
    tamper(&cat, file);
    std::fs::write(cat.join("laws.toml"), "# 目录自己的法规\n").unwrap();
    assert!(!check(&cat, &[]).contains("（取自缓存）"));
    // A broken cache is only a slower check.
    std::fs::write(cat.join(".powerlist-cache/check-v1.json"), "{not json").unwrap();
    assert!(check(&cat, &[]).contains("basis-article"));
    // Catalogue-wide rules run over every file, cached or not.
    let twin = std::fs::read_to_string(cat.join("minzheng/dibao.yaml")).unwrap();
    std::fs::write(cat.join("twin.yaml"), twin).unwrap();
    let o = powerlist(&["check", cat.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("duplicate-code"), "{}", stdout(&o));
    // The human report is the same with and without the cache.
    let human = |extra: &[&str]| {
        let mut args = vec!["check", cat.to_str().unwrap()];
        args.extend_from_slice(extra);
        stdout(&powerlist(&args))
    };
    assert_eq!(human(&[]), human(&["--no-cache"]));
}

#[test]
fn init_keeps_the_cache_out_of_the_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let o = powerlist(&["init", tmp.path().join("r").to_str().unwrap()]);
    assert_eq!(code(&o), 0);
    let ignore = std::fs::read_to_string(tmp.path().join("r/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == ".powerlist-cache/"), "{ignore}");
}

/// A bare folder of powers (no `powerlist.toml`) is checked without anything
/// written into it.
#[test]
fn a_folder_without_settings_gets_no_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(shipped().join("minzheng/dibao.yaml")).unwrap();
    crate::cli::write(tmp.path(), "p.yaml", &text);
    let first = check(tmp.path(), &[]);
    assert_eq!(check(tmp.path(), &[]), first);
    assert!(!tmp.path().join(".powerlist-cache").exists());
}
