//! The `powerlist` binary end to end: real folders in, stdout and exit code out.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::examples;

pub fn powerlist(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_powerlist"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("runs")
}

pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn example(rule: &str) -> String {
    format!("examples/{rule}")
}

/// The examples `many_broken` puts together.
const MANY: [&str; 5] = [
    "schema",
    "dead-end",
    "penalty-notice",
    "licence-steps",
    "yaml-syntax",
];

/// Copies several examples into one catalogue, each in its own folder.
fn many_broken() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for rule in MANY {
        for e in std::fs::read_dir(examples().join(rule)).unwrap() {
            let p = e.unwrap().path();
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            write(dir.path(), &format!("{rule}/{name}"), &text);
        }
    }
    dir
}

fn json_diags(o: &Output) -> Vec<Value> {
    match serde_json::from_str::<Value>(&stdout(o)).expect("valid JSON") {
        Value::Array(a) => a,
        other => panic!("not an array: {other}"),
    }
}

#[test]
fn shipped_catalogue_passes_with_a_closing_line() {
    let o = powerlist(&["check"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let out = stdout(&o);
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("0 个错误，2 个警告，涉及 2 个文件"),
        "{last}"
    );
    // Warnings fail the run only when asked.
    assert_eq!(
        code(&powerlist(&["check", "catalogue", "--fail-on", "warn"])),
        1
    );
}

#[test]
fn human_output_shows_the_line_and_underlines_the_span() {
    let o = powerlist(&["check", &example("unknown-step")]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("unknown-step"), "{out}");
    assert!(out.contains("examples/unknown-step/b.yaml:24:13"), "{out}");
    assert!(
        out.contains("- to: ghost"),
        "the source line is shown\n{out}"
    );
    assert!(out.contains("─────"), "the span is underlined\n{out}");
    assert!(
        out.ends_with("3 个错误，0 个警告，涉及 3 个文件（共检查 3 个文件）\n"),
        "{out}"
    );
}

#[test]
fn many_errors_in_many_files_are_all_reported_in_one_run() {
    let dir = many_broken();
    let o = powerlist(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code(&o), 1);
    let diags = json_diags(&o);
    let mut files: Vec<&str> = diags.iter().map(|d| d["file"].as_str().unwrap()).collect();
    files.sort_unstable();
    files.dedup();
    assert!(files.len() >= 10, "{files:?}");
    for rule in MANY {
        assert!(
            diags.iter().any(|d| d["rule"] == rule),
            "{rule} missing from {diags:#?}"
        );
    }
}

#[test]
fn json_has_the_fields_of_the_contract() {
    let o = powerlist(&["check", &example("dead-end"), "--format", "json"]);
    assert_eq!(code(&o), 1);
    let diags = json_diags(&o);
    assert_eq!(diags.len(), 3);
    for d in &diags {
        let obj = d.as_object().unwrap();
        let mut keys: Vec<&str> = obj.keys().map(|k| k.as_str()).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["column", "file", "line", "message", "rule", "severity"]
        );
        assert_eq!(d["rule"], "dead-end");
        assert_eq!(d["severity"], "error");
    }
    assert_eq!(diags[0]["file"], "examples/dead-end/a.yaml");
    assert_eq!(diags[0]["line"], 26);
    // A clean catalogue prints an empty array.
    let o = powerlist(&["check", "tests/fixtures/pass/dead-end", "--format", "json"]);
    assert_eq!((code(&o), json_diags(&o).len()), (0, 0));
}

#[test]
fn github_annotations_escape_properties_and_messages() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(examples().join("unknown-step/b.yaml"))
        .unwrap()
        .replace("- to: ghost", "- to: \"gh,o:st%\\nline2\"");
    write(dir.path(), "a,b:c.yaml", &yaml);
    let o = powerlist(&["check", dir.path().to_str().unwrap(), "--format", "github"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "one annotation per line\n{out}");
    let line = lines[0];
    assert!(line.starts_with("::error file="), "{line}");
    assert!(
        line.contains("a%2Cb%3Ac.yaml,line=24,col=13,title=powerlist unknown-step::"),
        "{line}"
    );
    assert!(line.contains("gh,o:st%25%0Aline2"), "{line}");
}

#[test]
fn warnings_are_github_warnings() {
    let o = powerlist(&["check", &example("time-required"), "--format", "github"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).starts_with("::warning file=examples/time-required/a.yaml,line=17,col=9,"));
}

#[test]
fn sarif_is_a_valid_2_1_0_log() {
    let o = powerlist(&["check", &example("duplicate-code"), "--format", "sarif"]);
    assert_eq!(code(&o), 1);
    let log: Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif"));
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "powerlist");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), powerlist::Rule::ALL.len());
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            assert_eq!(r["ruleId"], "duplicate-code");
            assert_eq!(r["level"], "error");
            let idx = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[idx]["id"], "duplicate-code");
            assert!(!r["message"]["text"].as_str().unwrap().is_empty());
            let loc = &r["locations"][0]["physicalLocation"];
            assert_eq!(loc["region"]["startLine"], 1);
            assert_eq!(loc["region"]["startColumn"], 7);
            assert_eq!(loc["artifactLocation"]["uriBaseId"], "CATALOGUE");
            loc["artifactLocation"]["uri"].as_str().unwrap()
        })
        .collect();
    assert_eq!(uris, ["a.yaml", "sub/b.yaml"], "relative to the catalogue");
    assert_eq!(
        run["originalUriBaseIds"]["CATALOGUE"]["uri"],
        "examples/duplicate-code/"
    );
}

#[test]
fn exit_2_when_the_catalogue_cannot_be_read() {
    let o = powerlist(&["check", "no/such/folder"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "one clear line: {err}");
    assert!(err.contains("no/such/folder"), "{err}");
    assert!(stdout(&o).is_empty());

    let o = powerlist(&["check", "Cargo.toml"]);
    assert_eq!(code(&o), 2);
    assert_eq!(stderr(&o).lines().count(), 1);
}

#[cfg(unix)]
#[test]
fn exit_2_for_an_unreadable_subfolder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "locked/a.yaml", "code: A\n");
    let locked = dir.path().join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads every folder; only an ordinary user can be locked out.
    let readable = std::fs::read_dir(&locked).is_ok();
    let o = powerlist(&["check", dir.path().to_str().unwrap()]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    if readable {
        assert_eq!(code(&o), 1, "read as root: the bad power is reported");
    } else {
        assert_eq!(code(&o), 2);
        assert_eq!(stderr(&o).lines().count(), 1);
    }
}

#[test]
fn bad_arguments_and_bad_settings_exit_2() {
    assert_eq!(
        code(&powerlist(&["check", "catalogue", "--format", "xml"])),
        2
    );
    assert_eq!(
        code(&powerlist(&["check", "catalogue", "--fail-on", "info"])),
        2
    );
    assert_eq!(code(&powerlist(&["frobnicate"])), 2);

    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "powerlist.toml",
        "[rules]\nno-such-rule = \"off\"\n",
    );
    let o = powerlist(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no-such-rule"));

    write(dir.path(), "powerlist.toml", "titel = \"x\"\n");
    assert_eq!(
        code(&powerlist(&["check", dir.path().to_str().unwrap()])),
        2
    );
}

#[test]
fn settings_change_rule_levels() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(examples().join("time-required/a.yaml")).unwrap();
    write(dir.path(), "a.yaml", &yaml);
    let path = dir.path().to_str().unwrap();
    assert_eq!(code(&powerlist(&["check", path])), 0);

    write(
        dir.path(),
        "powerlist.toml",
        "[rules]\ntime-required = \"error\"\n",
    );
    let o = powerlist(&["check", path, "--format", "json"]);
    assert_eq!(code(&o), 1);
    assert_eq!(json_diags(&o)[0]["severity"], "error");

    write(
        dir.path(),
        "powerlist.toml",
        "[rules]\ntime-required = \"off\"\n",
    );
    let o = powerlist(&["check", path, "--format", "json"]);
    assert_eq!((code(&o), json_diags(&o).len()), (0, 0));
}

#[test]
fn extra_categories_come_from_settings() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(crate::fixtures().join("pass/time-required/a.yaml"))
        .unwrap()
        .replace("category: 行政确认", "category: BA");
    write(dir.path(), "a.yaml", &yaml);
    let path = dir.path().to_str().unwrap();
    assert_eq!(
        code(&powerlist(&["check", path])),
        1,
        "BA is unknown by default"
    );
    write(
        dir.path(),
        "powerlist.toml",
        "[categories]\n\"行政备案\" = \"BA\"\n",
    );
    assert_eq!(code(&powerlist(&["check", path])), 0);
}

#[test]
fn a_file_that_is_not_utf8_is_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    // "名称" in GBK.
    std::fs::write(
        dir.path().join("gbk.yaml"),
        b"code: A\nname: \xc3\xfb\xb3\xc6\n",
    )
    .unwrap();
    let o = powerlist(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code(&o), 1);
    let d = &json_diags(&o)[0];
    assert_eq!(
        (d["rule"].as_str(), d["line"].as_u64()),
        (Some("yaml-syntax"), Some(2))
    );
    assert!(d["message"].as_str().unwrap().contains("UTF-8"));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_catalogue_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "evil.yaml", "this: [is not a power\n");
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(crate::fixtures().join("pass/dead-end/a.yaml")).unwrap();
    write(dir.path(), "ok/a.yaml", &yaml);
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linked-dir")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("evil.yaml"),
        dir.path().join("evil.yaml"),
    )
    .unwrap();
    // A link inside the catalogue is followed.
    std::os::unix::fs::symlink(dir.path().join("ok"), dir.path().join("again")).unwrap();
    let o = powerlist(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    let diags = json_diags(&o);
    assert!(
        diags
            .iter()
            .all(|d| !d["file"].as_str().unwrap().contains("evil")),
        "{diags:#?}"
    );
    // The same power reached twice through the inside link: one code, two files.
    assert!(
        diags.iter().all(|d| d["rule"] == "duplicate-code"),
        "{diags:#?}"
    );
    assert_eq!(diags.len(), 2);
}

#[test]
fn hidden_folders_and_other_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".git/broken.yaml", "[");
    write(dir.path(), "notes.txt", "[");
    write(dir.path(), "power.yml", "[");
    let o = powerlist(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    let diags = json_diags(&o);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(diags[0]["file"].as_str().unwrap().ends_with("power.yml"));
}

#[test]
fn explain_prints_a_rule_and_lists_all() {
    let o = powerlist(&["explain", "penalty-notice"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert!(
        out.starts_with("penalty-notice (默认级别 default level: error)"),
        "{out}"
    );
    for part in ["What it does", "Why", "Example", "Fix", "行政处罚法"] {
        assert!(out.contains(part), "{part} missing\n{out}");
    }
    let o = powerlist(&["explain"]);
    assert_eq!(code(&o), 0);
    assert_eq!(stdout(&o).lines().count(), powerlist::Rule::ALL.len());
    let o = powerlist(&["explain", "no-such-rule"]);
    assert_eq!(code(&o), 2);
    assert_eq!(stderr(&o).lines().count(), 1);
}

#[test]
fn examples_show_every_rule_and_only_their_own() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(examples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), powerlist::Rule::ALL.len());
    for dir in dirs {
        let rule = dir.file_name().unwrap().to_string_lossy().to_string();
        let o = powerlist(&["check", dir.to_str().unwrap(), "--format", "json"]);
        let diags = json_diags(&o);
        assert!(!diags.is_empty(), "{rule}");
        assert!(
            diags.iter().all(|d| d["rule"] == rule.as_str()),
            "{rule}: {diags:#?}"
        );
    }
}

#[test]
fn the_holiday_calendar_comes_from_settings() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(examples().join("mixed-time-units/a.yaml")).unwrap();
    write(dir.path(), "a.yaml", &yaml);
    let path = dir.path().to_str().unwrap();
    let message = |o: &Output| json_diags(o)[0]["message"].as_str().unwrap().to_string();
    // The built-in calendar: the Spring Festival stretches 20 working days to 36 days.
    let builtin = message(&powerlist(&["check", path, "--format", "json"]));
    assert!(builtin.contains("25–36日"), "{builtin}");
    // Without holidays 20 working days span 26 to 28 days: always more than
    // 25日, so the verdict is no longer undecidable.
    write(
        dir.path(),
        "cal.toml",
        "first_year = 2030\nlast_year = 2030\n",
    );
    write(dir.path(), "powerlist.toml", "calendar = \"cal.toml\"\n");
    let o = powerlist(&["check", path, "--format", "json"]);
    let diags = json_diags(&o);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["rule"], "path-exceeds-limit");
    // A broken calendar file stops the run.
    write(
        dir.path(),
        "cal.toml",
        "first_year = 2030\nlast_year = 2030\nholidays = 3\n",
    );
    let o = powerlist(&["check", path]);
    assert_eq!(code(&o), 2);
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
}

#[test]
fn huge_and_hostile_files_are_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let huge = format!("code: A\nname: {}\n", "长".repeat(2_000_000));
    write(dir.path(), "huge.yaml", &huge);
    write(dir.path(), "deep.yaml", &"[".repeat(200_000));
    let laughs = "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
    write(dir.path(), "laughs.yaml", laughs);
    write(dir.path(), "nul.yaml", "code: \"a\0b\"\nname: \0\n");
    let o = powerlist(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let diags = json_diags(&o);
    for f in ["huge.yaml", "deep.yaml", "laughs.yaml", "nul.yaml"] {
        assert!(
            diags
                .iter()
                .any(|d| d["file"].as_str().unwrap().ends_with(f)),
            "{f}: {diags:#?}"
        );
    }
    let huge_diag = diags
        .iter()
        .find(|d| d["file"].as_str().unwrap().ends_with("huge.yaml"))
        .unwrap();
    assert_eq!(huge_diag["rule"], "yaml-syntax");
}

#[test]
fn escape_sequences_in_yaml_reach_the_terminal_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(examples().join("unknown-step/b.yaml"))
        .unwrap()
        .replace("- to: ghost", "- to: \"\\e[2Jghost\"");
    write(dir.path(), "a.yaml", &yaml);
    let o = powerlist(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(out.contains("\\u{1b}[2Jghost"), "{out}");
}

#[test]
fn a_finding_past_column_65535_is_reported_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let long = "长".repeat(70_000);
    write(
        dir.path(),
        "wide.yaml",
        &format!("{{code: A-1, name: \"{long}\", bogus: 1}}\n"),
    );
    let o = powerlist(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("bogus") && out.contains(":1:700"),
        "{}",
        &out[..out.len().min(400)]
    );
}

#[test]
fn human_output_caps_the_findings_of_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = String::from(
        "code: A-1\nname: 多步\ncategory: 行政确认\ndepartment: 测试局\nbasis:\n  - law: 中华人民共和国社会保险法\n    level: 法律\n    article: 第一条\ncomplaints:\n  - channel: 热线\n    phone: \"12345\"\nsteps:\n  - id: s0\n    name: 开始\n    type: start\n    next: s1\n",
    );
    for i in 1..600 {
        yaml.push_str(&format!(
            "  - id: s{i}\n    name: 步骤{i}\n    next: s{}\n",
            i + 1
        ));
    }
    yaml.push_str("  - id: s600\n    name: 结束\n    type: end\n    owner: 窗口\n");
    yaml.push_str("accountability:\n  - case: 玩忽职守的\n    basis:\n      - law: 中华人民共和国公职人员政务处分法\n        article: 第三十九条\n");
    write(dir.path(), "many.yaml", &yaml);
    // Past the flow-too-large limit on purpose: only the repeated findings count here.
    write(
        dir.path(),
        "powerlist.toml",
        "[rules]\nflow-too-large = \"off\"\n",
    );
    let path = dir.path().to_str().unwrap();
    let all = json_diags(&powerlist(&["check", path, "--format", "json"]));
    assert_eq!(
        all.len(),
        2 * 599,
        "owner and time missing on every middle step"
    );
    let out = stdout(&powerlist(&["check", path]));
    let drawn = out.matches("owner-required").count() + out.matches("time-required").count();
    assert!(drawn <= 2 * powerlist::report::HUMAN_PER_FILE, "{drawn}");
    let rest = all.len() - powerlist::report::HUMAN_PER_FILE;
    assert!(
        out.contains(&format!("另有 {rest} 个问题")),
        "{}",
        out.lines().last().unwrap()
    );
    assert!(out
        .lines()
        .last()
        .unwrap()
        .starts_with("0 个错误，1198 个警告"));
}

#[test]
fn an_oversized_file_is_not_read_back_for_its_snippet() {
    let dir = tempfile::tempdir().unwrap();
    // Short lines: were the file read back, its first line would be drawn.
    let big = "# 注释行\n".repeat(5 * 1024 * 1024 / 12);
    write(dir.path(), "big.yaml", &big);
    let o = powerlist(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("文件过大"), "{out}");
    assert!(out.contains("big.yaml:1:1"), "{out}");
    assert!(!out.contains("注释行"), "no snippet of the file: {out}");
}

#[test]
fn hostile_settings_end_in_one_line_and_exit_2() {
    let yaml = std::fs::read_to_string(examples().join("mixed-time-units/a.yaml")).unwrap();
    let run = |setup: &dyn Fn(&Path)| {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.yaml", &yaml);
        setup(dir.path());
        let o = powerlist(&["check", dir.path().to_str().unwrap()]);
        (code(&o), stderr(&o))
    };
    // A calendar at the end of the range used to index past its table and panic.
    let (c, err) = run(&|d| {
        write(d, "cal.toml", "first_year = 9999\nlast_year = 9999\n");
        write(d, "powerlist.toml", "calendar = \"cal.toml\"\n");
    });
    assert_eq!((c, err.lines().count()), (2, 1), "{err}");
    // A calendar spanning millennia took half a minute.
    let (c, err) = run(&|d| {
        write(d, "cal.toml", "first_year = 1000\nlast_year = 2000\n");
        write(d, "powerlist.toml", "calendar = \"cal.toml\"\n");
    });
    assert_eq!((c, err.lines().count()), (2, 1), "{err}");
    // Devices and files outside the catalogue are never read.
    let (c, err) = run(&|d| write(d, "powerlist.toml", "calendar = \"/dev/zero\"\n"));
    assert_eq!((c, err.lines().count()), (2, 1), "{err}");
    let (c, err) = run(&|d| write(d, "powerlist.toml", "calendar = \"../../etc/hostname\"\n"));
    assert_eq!((c, err.lines().count()), (2, 1), "{err}");
    #[cfg(unix)]
    {
        let (c, err) =
            run(&|d| std::os::unix::fs::symlink("/dev/zero", d.join("powerlist.toml")).unwrap());
        assert_eq!((c, err.lines().count()), (2, 1), "{err}");
        let fifo = |d: &Path| {
            let ok = Command::new("mkfifo")
                .arg(d.join("powerlist.toml"))
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "mkfifo");
        };
        let (c, err) = run(&fifo);
        assert_eq!(
            (c, err.lines().count()),
            (2, 1),
            "a FIFO does not hang: {err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn dangling_links_are_skipped_or_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(examples().join("mixed-time-units/a.yaml")).unwrap();
    write(dir.path(), "a.yaml", &yaml);
    // Emacs's lock link, a link that is not YAML, and one that is.
    std::os::unix::fs::symlink("user@host.1234:1", dir.path().join(".#a.yaml")).unwrap();
    std::os::unix::fs::symlink("nowhere", dir.path().join("notes.txt")).unwrap();
    std::os::unix::fs::symlink("moved-away.yaml", dir.path().join("b.yaml")).unwrap();
    let o = powerlist(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let diags = json_diags(&o);
    let files: Vec<&str> = diags.iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert!(files.iter().any(|f| f.ends_with("/b.yaml")), "{diags:#?}");
    assert!(files
        .iter()
        .all(|f| !f.contains(".#") && !f.ends_with("notes.txt")));
    let b = diags
        .iter()
        .find(|d| d["file"].as_str().unwrap().ends_with("/b.yaml"))
        .unwrap();
    assert_eq!(b["rule"], "yaml-syntax");
    assert!(b["message"].as_str().unwrap().contains("符号链接"));
}

#[cfg(unix)]
#[test]
fn hostile_file_names_never_reach_the_terminal_or_the_log_raw() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(examples().join("mixed-time-units/a.yaml")).unwrap();
    let names = [
        "\u{1b}]0;PWNED\u{7}\u{1b}[2J evil.yaml",
        "x\n::warning file=README.md::pwned\nb.yaml",
    ];
    for (i, name) in names.iter().enumerate() {
        std::fs::write(
            dir.path().join(name),
            yaml.replace("T-0001", &format!("T-000{}", i + 5)),
        )
        .unwrap();
    }
    let path = dir.path().to_str().unwrap();
    for format in ["human", "github", "json", "sarif"] {
        let o = powerlist(&["check", path, "--format", format]);
        assert_eq!(code(&o), 0, "{format}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(!out.is_empty());
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{format}: raw escape"
        );
        assert!(
            !out.lines()
                .any(|l| l.starts_with("::warning file=README.md")),
            "{format}: a workflow command from a file name\n{out}"
        );
    }
}

/// `powerlist law`: a law's facts, one article's current wording, a search;
/// a miss names what is near, with exit 1; JSON for machines.
#[test]
fn law_looks_up_facts_articles_and_words() {
    let o = powerlist(&["law", "行政许可法", "第四十二条"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("《中华人民共和国行政许可法》第四十二条"),
        "{out}"
    );
    assert!(
        out.contains("行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定"),
        "{out}"
    );
    assert!(out.contains("国家法律法规数据库，快照 20"), "{out}");
    // One paragraph; the facts of a law whose current text came after the copy.
    let out = stdout(&powerlist(&[
        "law",
        "《中华人民共和国行政许可法》",
        "第42条第2款",
    ]));
    assert!(
        out.contains("四十五日") && !out.contains("二十日内作出"),
        "{out}"
    );
    let out = stdout(&powerlist(&["law", "殡葬管理条例"]));
    assert!(
        out.contains("2026-03-30") && out.contains("法规库尚未收入"),
        "{out}"
    );
    let out = stdout(&powerlist(&[
        "law",
        "《中华人民共和国婚姻法》（2001年修正）",
    ]));
    assert!(out.contains("已废止（2021-01-01"), "{out}");

    let o = powerlist(&["law", "--find", "超限运输"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert!(out.contains("《公路安全保护条例》第三十五条"), "{out}");
    assert!(out.contains("《中华人民共和国公路法》第五十条"), "{out}");
    let first = out.find("《公路安全保护条例》").unwrap();
    assert!(
        first < out.find("《中华人民共和国公路法》").unwrap(),
        "the words as written rank first"
    );
    let v: Value = serde_json::from_str(&stdout(&powerlist(&[
        "law",
        "--find",
        "超限运输",
        "许可",
        "--format",
        "json",
    ])))
    .unwrap();
    assert!(v["found"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["law"].is_string() && f["article"].is_string()));
    assert!(v["library"]["snapshot"].is_string());

    // Misses: an unknown law (with what is near), an article the law lacks, no article at all.
    let o = powerlist(&["law", "公路"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("相近的有") && stderr(&o).contains("《中华人民共和国公路法》"),
        "{}",
        stderr(&o)
    );
    let o = powerlist(&["law", "行政许可法", "第九十条"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("共 83 条，没有第九十条"),
        "{}",
        stderr(&o)
    );
    let o = powerlist(&["law", "行政许可法", "全文"]);
    assert_eq!(code(&o), 2);
    // A search with no match exits 1 like an unknown name; --limit 0 is a usage error.
    assert_eq!(
        code(&powerlist(&["law", "--find", "完全不存在的词组合"])),
        1
    );
    assert_eq!(
        code(&powerlist(&["law", "--find", "超限运输", "--limit", "0"])),
        2
    );
    assert_eq!(code(&powerlist(&["law", "--find", " "])), 2);
    let o = powerlist(&["law", "\u{1b}[31m恶意\u{7}"]);
    assert_eq!(code(&o), 1);
    assert!(!stderr(&o).contains('\u{1b}') && !stderr(&o).contains('\u{7}'));
    // The library's own facts.
    let out = stdout(&powerlist(&["law"]));
    assert!(out.contains("快照") && out.contains("行政法规"), "{out}");
}

/// A county adds its province's laws: `[laws] texts` read like the built-in
/// ones; a laws.toml name that is already another law's is refused.
#[test]
fn a_catalogue_adds_its_own_law_texts() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    std::fs::create_dir_all(cat.join("laws")).unwrap();
    std::fs::write(cat.join("powerlist.toml"), "[laws]\ntexts = \"laws\"\n").unwrap();
    std::fs::write(
        cat.join("laws/示范省公路条例.md"),
        "---\nlevel: 地方性法规\n---\n\n# 示范省公路条例\n\n2020年1月1日 示范省人民代表大会常务委员会通过\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了加强公路管理，制定本条例。\n\n第二条 县级人民政府交通运输主管部门负责本行政区域的公路管理工作。\n\n超限运输车辆的管理，依照国家有关规定执行。\n",
    )
    .unwrap();
    let power = |article: &str, text: &str| {
        format!("code: JT-1\nname: 公路管理\ncategory: 行政确认\ndepartment: 县交通运输局\nbasis:\n  - law: 示范省公路条例\n    article: {article}\n    text: {text}\ncomplaints:\n  - channel: 热线\n    phone: \"12345\"\nsteps:\n  - id: a\n    name: 申请\n    type: start\n    next: b\n  - id: b\n    name: 办结\n    type: end\n    owner: 窗口\naccountability:\n  - case: 玩忽职守的\n    basis:\n      - law: 中华人民共和国公职人员政务处分法\n        article: 第三十九条\n")
    };
    std::fs::write(
        cat.join("p.yaml"),
        power("第二条第二款", "超限运输车辆的管理，依照国家有关规定执行。"),
    )
    .unwrap();
    let rules = |cat: &std::path::Path| -> Vec<String> {
        let o = powerlist(&["check", cat.to_str().unwrap(), "--format", "json"]);
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let found = rules(&cat);
    assert!(found.is_empty(), "{found:?}");
    std::fs::write(cat.join("p.yaml"), power("第三条", "县级人民政府负责。")).unwrap();
    assert_eq!(rules(&cat), ["law-article"]);
    std::fs::write(
        cat.join("p.yaml"),
        power(
            "第二条",
            "县级人民政府民政部门负责本行政区域的公路管理工作。",
        ),
    )
    .unwrap();
    assert_eq!(rules(&cat), ["law-text"]);
    let out = stdout(&powerlist(&[
        "law",
        "示范省公路条例",
        "第一条",
        "--catalogue",
        cat.to_str().unwrap(),
    ]));
    assert!(
        out.contains("为了加强公路管理") && out.contains("目录法规文本 laws/示范省公路条例.md"),
        "{out}"
    );

    // A missing folder is a one-line error; so is a laws.toml alias taking over another law.
    std::fs::write(cat.join("powerlist.toml"), "[laws]\ntexts = \"nowhere\"\n").unwrap();
    let o = powerlist(&["check", cat.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("法规文本目录"), "{}", stderr(&o));
    std::fs::remove_file(cat.join("powerlist.toml")).unwrap();
    std::fs::write(
        cat.join("laws.toml"),
        "[[law]]\nname = \"婚姻家庭登记规定\"\naliases = [\"婚姻法\"]\nsource = \"县法制科\"\n",
    )
    .unwrap();
    let o = powerlist(&["check", cat.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("已是《中华人民共和国婚姻法》的名称或别名"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
}

/// ESC, BEL, CR and a line break followed by a workflow command: what a
/// hostile settings file or template puts where an error quotes it.
const HOSTILE_TEXT: &str = "\u{1b}[2J\u{7}\r\n::error::x";

/// An error powerlist prints: exit 2, one line, nothing of `HOSTILE_TEXT` raw.
fn assert_inert_error(o: &Output, what: &str) {
    let err = stderr(o);
    assert_eq!(code(o), 2, "{what}: {err}");
    assert!(!err.contains(['\u{1b}', '\u{7}', '\r']), "{what}: {err:?}");
    assert!(!err.lines().any(|l| l.starts_with("::")), "{what}: {err:?}");
    assert_eq!(err.lines().count(), 1, "{what}: {err:?}");
    assert!(!stdout(o).contains(['\u{1b}', '\u{7}']), "{what}");
}

/// A laws.toml that does not parse, or whose entry says something wrong,
/// never puts its raw text on the terminal (issue 23: 16).
#[test]
fn a_laws_toml_error_is_shown_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    std::fs::create_dir_all(&cat).unwrap();
    let c = cat.to_str().unwrap();
    let escaped = "\\u001b[2J\\u0007\\r\\n::error::x";
    for (text, what) in [
        (
            format!("[[law]]\nname = \"{HOSTILE_TEXT}\n"),
            "raw, unparsable",
        ),
        (format!("[[law]]\nname {HOSTILE_TEXT} = 1\n"), "raw key"),
        (
            format!("[[law]]\nname = \"甲{escaped}\"\nin_force = \"{escaped}\"\nsource = \"x\"\n"),
            "a date that is not one",
        ),
        (
            format!("[[law]]\nname = \"甲{escaped}\"\naliases = [\"婚姻法\"]\nsource = \"x\"\n"),
            "an alias taken",
        ),
        (
            format!("[[law]]\nname = \"甲\"\n\"{escaped}\" = 1\nsource = \"x\"\n"),
            "an unknown field",
        ),
    ] {
        std::fs::write(cat.join("laws.toml"), &text).unwrap();
        for args in [vec!["check", c], vec!["laws", c]] {
            assert_inert_error(&powerlist(&args), what);
        }
    }
}

/// An unknown powerlist.toml key, rule or value is named inert (issue 23: 17).
#[test]
fn a_settings_error_is_shown_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    std::fs::create_dir_all(&cat).unwrap();
    let c = cat.to_str().unwrap();
    let escaped = "\\u001b[2J\\u0007\\r\\n::error::x";
    for (text, what) in [
        (format!("\"{escaped}\" = 1\n"), "unknown key"),
        (
            format!("[export]\n\"{escaped}\" = 1\n"),
            "unknown nested key",
        ),
        (
            format!("[rules]\n\"{escaped}\" = \"off\"\n"),
            "unknown rule",
        ),
        (format!("published = \"{escaped}\"\n"), "not a date"),
        (
            format!("[export]\nlayout = \"{escaped}\"\n"),
            "unknown layout",
        ),
        (
            format!("[export.columns]\n\"{escaped}\" = \"{escaped}\"\n"),
            "unknown column",
        ),
        (format!("calendar = \"{escaped}\"\n"), "no such calendar"),
        (format!("title = \"{HOSTILE_TEXT}\n"), "raw, unparsable"),
    ] {
        std::fs::write(cat.join("powerlist.toml"), &text).unwrap();
        for args in [vec!["check", c], vec!["laws", c]] {
            assert_inert_error(&powerlist(&args), what);
        }
    }
}

/// A template that does not parse is reported on one inert line (issue 23: 18).
#[test]
fn a_template_error_is_shown_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    let site = tmp.path().join("site");
    let (c, s) = (cat.to_str().unwrap(), site.to_str().unwrap());
    for (file, text) in [
        ("power.html", format!("{{{{ x {HOSTILE_TEXT}\n")),
        (
            "index.html",
            format!("{HOSTILE_TEXT}\n{{% if %}}{HOSTILE_TEXT}\n"),
        ),
        ("macros.html", format!("{{% macro {HOSTILE_TEXT} %}}\n")),
    ] {
        let _ = std::fs::remove_dir_all(&cat);
        write(&cat, &format!("templates/{file}"), &text);
        assert_inert_error(&powerlist(&["build", c, "-o", s]), file);
    }
}

/// A catalogue's laws.toml entry that lists another law's name among its
/// aliases takes nothing over: `laws` refuses, naming both laws, and never
/// calls the repealed 婚姻法 现行有效 (issue 23: 20).
#[test]
fn a_laws_toml_alias_never_takes_over_another_law() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    let jiehun = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue/minzheng/jiehun.yaml"),
    )
    .unwrap();
    assert!(jiehun.contains("  - law: 中华人民共和国民法典"));
    write(
        &cat,
        "jiehun.yaml",
        &jiehun.replacen(
            "  - law: 中华人民共和国民法典",
            "  - law: 中华人民共和国婚姻法",
            1,
        ),
    );
    let c = cat.to_str().unwrap();
    let repealed = |o: &Output| {
        let v: Value = serde_json::from_str(&stdout(o)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .find(|l| l["law"] == "中华人民共和国婚姻法")
            .map(|l| l["status"].clone())
    };
    let o = powerlist(&["laws", c, "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(repealed(&o), Some(Value::from("repealed")));
    for (entries, taker, taken) in [
        (
            "[[law]]\nname = \"婚姻家庭规定\"\naliases = [\"婚姻法\"]\nsource = \"县法制科\"\n",
            "婚姻家庭规定",
            "中华人民共和国婚姻法",
        ),
        (
            "[[law]]\nname = \"婚姻家庭规定\"\naliases = [\"《中华人民共和国婚姻法》（2001年修正）\"]\nsource = \"x\"\n",
            "婚姻家庭规定",
            "中华人民共和国婚姻法",
        ),
        // A law already in force (民法典) cannot take the repealed one's name either.
        (
            "[[law]]\nname = \"民法典\"\naliases = [\"婚姻法\"]\nsource = \"x\"\n",
            "民法典",
            "中华人民共和国婚姻法",
        ),
        // Nor one of the catalogue's own laws another's, in either order.
        (
            "[[law]]\nname = \"甲省条例\"\nsource = \"x\"\n\n[[law]]\nname = \"乙省条例\"\naliases = [\"甲省条例\"]\nsource = \"x\"\n",
            "乙省条例",
            "甲省条例",
        ),
        (
            "[[law]]\nname = \"乙省条例\"\naliases = [\"甲省条例\"]\nsource = \"x\"\n\n[[law]]\nname = \"甲省条例\"\nsource = \"x\"\n",
            "甲省条例",
            "乙省条例",
        ),
    ] {
        std::fs::write(cat.join("laws.toml"), entries).unwrap();
        for args in [vec!["laws", c], vec!["laws", c, "--law", "婚姻法"], vec!["check", c]] {
            let o = powerlist(&args);
            let err = stderr(&o);
            assert_eq!(code(&o), 2, "{entries}: {}", stdout(&o));
            assert!(
                err.contains(&format!("《{taker}》")) && err.contains(&format!("《{taken}》")),
                "{entries}: {err}"
            );
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(!stdout(&o).contains("现行有效"), "{}", stdout(&o));
        }
    }
    // Correcting 婚姻法 under its own name keeps its repeal.
    std::fs::write(
        cat.join("laws.toml"),
        "[[law]]\nname = \"婚姻法\"\nlevel = \"法律\"\nsource = \"县法制科\"\n",
    )
    .unwrap();
    let o = powerlist(&["laws", c, "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(repealed(&o), Some(Value::from("repealed")));
}

/// Every entry below `dir`: its path, and a file's text.
fn folder_state(dir: &Path) -> Vec<(String, Option<String>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let text = e
                .file_type()
                .is_file()
                .then(|| std::fs::read_to_string(e.path()).unwrap());
            let path = e.path().strip_prefix(dir).unwrap().display().to_string();
            (path, text.map(|t| t.chars().take(40).collect()))
        })
        .collect()
}

/// `init` writes nothing unless it can write everything: an obstacle anywhere
/// (`.vscode` a file, `catalogue` a file) is found before the first file is
/// written; the folder stays as it was, and once the obstacle is gone a
/// second `init` works (issue 23: 21).
#[test]
fn a_failed_init_leaves_the_folder_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    for obstacle in [".vscode", "catalogue", ".github/workflows", ".github"] {
        let dir = tmp
            .path()
            .join(format!("repo-{}", obstacle.replace('/', "-")));
        let d = dir.to_str().unwrap();
        write(&dir, "README.md", "# 我们的目录\n");
        write(&dir, obstacle, "not a folder\n");
        let before = folder_state(&dir);
        for _ in 0..2 {
            let o = powerlist(&["init", d]);
            assert_eq!(code(&o), 2, "{obstacle}: {}", stdout(&o));
            assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
            assert!(stderr(&o).contains(obstacle), "{obstacle}: {}", stderr(&o));
            assert_eq!(folder_state(&dir), before, "{obstacle}");
        }
        std::fs::remove_file(dir.join(obstacle)).unwrap();
        let o = powerlist(&["init", d]);
        assert_eq!(code(&o), 0, "{obstacle}: {}", stderr(&o));
        for rel in [
            "catalogue/powerlist.toml",
            "catalogue/minzheng/jiehun.yaml",
            "power.schema.json",
            ".vscode/settings.json",
            ".github/workflows/powerlist.yml",
            ".gitignore",
        ] {
            assert!(dir.join(rel).is_file(), "{obstacle}: {rel}");
        }
        assert_eq!(
            std::fs::read_to_string(dir.join("README.md")).unwrap(),
            "# 我们的目录\n"
        );
    }
    // A folder that cannot be made (its parent is a file): nothing is made.
    write(tmp.path(), "plain", "x");
    let o = powerlist(&["init", tmp.path().join("plain/repo").to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("plain")).unwrap(),
        "x"
    );
}
