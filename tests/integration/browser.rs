//! The built site in headless Chromium (tests/browser/check.mjs, Playwright):
//! no console errors, the search filters, flowchart boxes measured in the page do
//! not overlap. `.ci/run` installs Chromium and sets POWERLIST_BROWSER_TEST=1, which
//! makes a missing browser a failure instead of a skip.

use std::path::Path;
use std::process::Command;

use crate::cli::{code, powerlist, stderr};

#[test]
fn the_site_in_a_real_browser() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let required = std::env::var_os("POWERLIST_BROWSER_TEST").is_some();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let script = root.join("tests/browser");
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let ready = node
        && Path::new(&chromium).exists()
        && script.join("node_modules/playwright-core").is_dir();
    if !ready {
        assert!(
            !required,
            "POWERLIST_BROWSER_TEST is set but node, {chromium} or tests/browser/node_modules is missing"
        );
        eprintln!(
            "browser test skipped: needs node, {chromium} and `npm ci --prefix tests/browser`"
        );
        return;
    }
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    let o = powerlist(&["build", "-o", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // Screenshots stay in target/ for a person to look at.
    let shots = root.join("target/browser-shots");
    let run = Command::new("node")
        .arg(script.join("check.mjs"))
        .arg(&out)
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    println!("{report}");
    assert!(run.status.success(), "browser checks failed:\n{report}");
    assert!(report.contains("ok   no console errors"), "{report}");
    assert!(shots.join("index.png").exists());
}
