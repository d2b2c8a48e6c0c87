//! An officer's first day: the hints, prompts and messages met before the
//! catalogue is right, each run as typed.

use crate::cli::{code, powerlist, stderr, stdout};

/// `new` for `category`, written to standard output.
fn new_to_stdout(category: &str) -> std::process::Output {
    powerlist(&[
        "new",
        "catalogue",
        "--category",
        category,
        "--code",
        "X-1",
        "--name",
        "试",
        "-o",
        "-",
    ])
}

/// Every command `init` suggests runs, typed as shown, in the order shown.
#[test]
fn the_hints_of_init_run_as_typed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("仓库");
    let o = powerlist(&["init", dir.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let next = out
        .lines()
        .find(|l| l.starts_with("下一步"))
        .expect("a next line");
    let commands: Vec<&str> = next
        .split('；')
        .filter_map(|part| part.split_once("powerlist ").map(|(_, c)| c.trim()))
        .collect();
    assert!(commands.len() >= 3, "{next}");
    for c in &commands {
        let args: Vec<&str> = c.split_whitespace().collect();
        let o = powerlist(&args);
        assert_eq!(code(&o), 0, "powerlist {c}\n{}{}", stdout(&o), stderr(&o));
    }
    assert!(commands.iter().any(|c| c.starts_with("new ")), "{next}");
    assert!(dir.join("catalogue/MZ-XK-0001.yaml").is_file());
}

/// `new` asks for a time only where `time-required` would, and names no generic
/// post as if it were the office's own: each is a mark with the post as its hint.
#[test]
fn new_asks_only_what_the_office_must_fill() {
    let options = serde_saphyr::options! { strict_booleans: true };
    for category in [
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政征收",
        "行政给付",
        "行政检查",
        "行政确认",
        "行政奖励",
        "行政裁决",
        "其他行政权力",
    ] {
        let o = new_to_stdout(category);
        assert_eq!(code(&o), 0, "{category}: {}", stderr(&o));
        let v: serde_json::Value =
            serde_saphyr::from_str_with_options(&stdout(&o), options.clone()).unwrap();
        for s in v["steps"].as_array().unwrap() {
            let id = s["id"].as_str().unwrap();
            let owner = s["owner"].as_str().unwrap_or("");
            let party = ["申请", "补正"].contains(&s["role"].as_str().unwrap_or(""))
                || owner.starts_with("申请人")
                || owner.starts_with("当事人");
            let office_task = !matches!(s["type"].as_str(), Some("start" | "end")) && !party;
            assert_eq!(
                s.get("time").is_some(),
                office_task,
                "{category} {id}: a time is asked exactly of the office's tasks"
            );
            if let Some(t) = s.get("time") {
                assert!(
                    t.as_str().unwrap().starts_with("【待填写】"),
                    "{category} {id}"
                );
            }
            assert_eq!(
                owner.starts_with("【待填写】承办岗位"),
                !party,
                "{category} {id}: owner {owner}"
            );
        }
    }
}

/// An imported list whose marks were merely deleted: steps without times, no
/// 相对人权利. `build` names each power and what it lacks and writes nothing;
/// `[publish]` relaxes an item only when it says so.
#[test]
fn build_refuses_flowcharts_that_lack_what_publishing_asks() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("list.csv");
    std::fs::write(
        &csv,
        "序号,权力编码,职权名称,职权类别,实施主体,承办机构,设定依据,投诉举报途径\n\
         1,MZ-XK-1,社会团体成立登记,行政许可,县民政局,社会组织股,《社会团体登记管理条例》第九条,12345热线（12345）\n\
         2,RS-CF-1,对用人单位违反劳动保障法律的处罚,行政处罚,县人社局,劳动监察大队,《劳动保障监察条例》第三十条,12345热线（12345）\n",
    )
    .unwrap();
    let cat = tmp.path().join("cat");
    let s = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let o = powerlist(&["import", &s(&csv), "-o", &s(&cat)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    for e in std::fs::read_dir(&cat).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            let text = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, text.replace("【待填写】", "")).unwrap();
        }
    }
    let site = tmp.path().join("site");
    let o = powerlist(&["build", &s(&cat), "-o", &s(&site)]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(!site.exists(), "nothing is written");
    assert!(err.contains("2 项公开职权的流程图缺少"), "{err}");
    assert!(
        err.contains(
            "MZ-XK-1.yaml（MZ-XK-1）缺少：办理时限（步骤 accept、review、decide）；相对人权利"
        ),
        "{err}"
    );
    assert!(
        err.contains("RS-CF-1.yaml（RS-CF-1）缺少：办理时限（步骤 open、"),
        "{err}"
    );
    assert!(err.contains("[publish]"), "{err}");
    // `check` is not the gate: the same list checks with warnings only.
    let o = powerlist(&["check", &s(&cat)]);
    assert_eq!(code(&o), 0);

    // Relaxing one item is not enough; relaxing both, by name, is.
    std::fs::write(cat.join("powerlist.toml"), "[publish]\ntimes = false\n").unwrap();
    let o = powerlist(&["build", &s(&cat), "-o", &s(&site)]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("缺少：相对人权利"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("办理时限（"), "{}", stderr(&o));
    std::fs::write(
        cat.join("powerlist.toml"),
        "[publish]\ntimes = false\nrights = false\n",
    )
    .unwrap();
    let o = powerlist(&["build", &s(&cat), "-o", &s(&site)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(site.join("index.html").is_file());
    std::fs::write(cat.join("powerlist.toml"), "[publish]\ntime = false\n").unwrap();
    let o = powerlist(&["build", &s(&cat), "-o", &s(&site)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("time"), "{}", stderr(&o));
}

/// What the README promises of the shipped catalogue: each file names its
/// sources at its top, and no 设定依据 is a procedural law.
#[test]
fn each_shipped_power_names_its_sources_and_no_procedural_law_sets_it() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue");
    let settings = powerlist::config::Settings::load(&root).unwrap();
    let cat = powerlist::load::load_catalogue(&root).unwrap();
    assert!(cat.powers().count() >= 14);
    for (file, p) in cat.powers() {
        let first = file
            .text
            .lines()
            .find(|l| !l.starts_with("# yaml-language-server"))
            .unwrap_or("");
        assert!(first.starts_with("# 来源"), "{}: {first}", file.rel);
        for b in p.basis.iter().flat_map(|b| b.value.iter()) {
            let law = b.value.law.as_ref().map_or("", |l| l.value.as_str());
            let procedural = settings.laws.find(law).is_some_and(|l| l.procedural);
            // The one power a procedural law grants itself: to apply to the
            // court for enforcement (行政强制法第五十三条).
            let article = b.value.article.as_ref().map_or("", |a| a.value.as_str());
            let grant = law == "中华人民共和国行政强制法" && article == "第五十三条";
            assert!(
                !procedural || grant,
                "{}: {law}{article} is procedural",
                file.rel
            );
        }
    }
}

/// Human output wraps at the terminal's width when it is a terminal (a
/// 200-column one here, through `script`), and at 100 columns in a pipe.
#[test]
fn human_output_uses_the_terminals_width() {
    let tmp = tempfile::tempdir().unwrap();
    let name = "对用人单位违反劳动保障法律法规或者规章延长劳动者工作时间且经责令限期改正逾期仍不改正的行为进行调查取证并制作笔录";
    let yaml = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/time-required/a.yaml"),
    )
    .unwrap()
    .replace("name: 审查\n", &format!("name: {name}\n"));
    crate::cli::write(tmp.path(), "a.yaml", &yaml);
    let dir = tmp.path().to_str().unwrap();
    let whole = format!("（{name}） 没有写明办理时限");
    // A pipe: 100 columns, so the long message is wrapped.
    let o = powerlist(&["check", dir]);
    assert!(!stdout(&o).contains(&whole), "{}", stdout(&o));
    let bin = env!("CARGO_BIN_EXE_powerlist");
    let o = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("stty rows 50 cols 200; '{bin}' check '{dir}'"),
            "/dev/null",
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("script (util-linux) runs");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(&whole), "{out}");
}

/// The slips of a first day, each answered with the fix in Chinese.
#[test]
fn slips_get_the_nearest_name_in_chinese() {
    let o = powerlist(&["chek"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("`chek`，是不是 `check`？"),
        "{}",
        stderr(&o)
    );

    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue");
    let text = std::fs::read_to_string(shipped.join("minzheng/shetuan.yaml")).unwrap();
    let check = |from: &str, to: &str| {
        assert!(text.contains(from), "{from}");
        let tmp = tempfile::tempdir().unwrap();
        crate::cli::write(tmp.path(), "p.yaml", &text.replacen(from, to, 1));
        let o = powerlist(&["check", tmp.path().to_str().unwrap(), "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|d| d["message"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    // A key in the words of the table `import` reads.
    let out = check("office: 社会组织管理股", "承办机构: 社会组织管理股");
    assert!(
        out.contains("未知的键 `承办机构`，是不是 `office`（承办机构）？"),
        "{out}"
    );
    let out = check("office: 社会组织管理股", "承办科室: 社会组织管理股");
    assert!(out.contains("是不是 `office`"), "{out}");
    // Another form of a step's id.
    let out = check("next: decide", "next: decision");
    assert!(
        out.contains("`decision`") && out.contains("是不是 `decide`？"),
        "{out}"
    );
    // 是 for a boolean: the answer says true or false, in Chinese.
    let out = check("disclosure:\n  public: true", "disclosure:\n  public: 是");
    assert!(
        out.contains("是否公开 `public` 应写 true（是）或 false（否），不能写 `是`"),
        "{out}"
    );
    // A 处罚 period the law counts in working days: the fix is that reading alone.
    let penalty = std::fs::read_to_string(shipped.join("renshe/laodong-chufa.yaml")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    crate::cli::write(
        tmp.path(),
        "p.yaml",
        &penalty.replacen("time: 7个工作日", "time: 7日", 1),
    );
    let o = powerlist(&["check", tmp.path().to_str().unwrap(), "--format", "json"]);
    let out = stdout(&o);
    assert!(out.contains("请写作 `7个工作日` (ambiguous days)"), "{out}");
    assert!(!out.contains("7个自然日"), "{out}");
    // The system's common errors in Chinese, its own words after.
    let o = powerlist(&["check", "no-such-folder"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("文件或目录不存在 ("), "{}", stderr(&o));
}

/// Dates as anyone writes them in TOML: `published = 2026-11-01` and a holiday
/// calendar of TOML dates are read like their quoted forms.
#[test]
fn toml_dates_are_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    crate::build::copy_dir(&crate::build::shipped(), &cat);
    let settings = cat.join("powerlist.toml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(
        &settings,
        format!("published = 2026-11-01\ncalendar = \"days.toml\"\n{text}"),
    )
    .unwrap();
    std::fs::write(
        cat.join("days.toml"),
        "first_year = 2026\nlast_year = 2026\n[[year]]\nyear = 2026\nholidays = [2026-10-01, \"2026-10-02\"]\nworkdays = [2026-10-11]\n",
    )
    .unwrap();
    let site = tmp.path().join("site");
    let o = powerlist(&["build", cat.to_str().unwrap(), "-o", site.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("datetime=\"2026-11-01\""), "{index}");
    // A date with a time is not a date.
    std::fs::write(
        &settings,
        format!("published = 2026-11-01T08:00:00\n{text}"),
    )
    .unwrap();
    let o = powerlist(&["check", cat.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("只写日期"), "{}", stderr(&o));
}

/// A line of our Chinese as prose: code in backticks, a mark named in 「」
/// (「,」) and an English gloss in brackets are not text the rule reads.
fn prose(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        let close = match c {
            '`' => Some('`'),
            '「' => Some('」'),
            '(' if after.starts_with(|n: char| n.is_ascii_alphabetic() || n == '…') => Some(')'),
            _ => None,
        };
        if let Some(close) = close {
            if let Some(end) = after.find(close) {
                let inner = &after[..end];
                // 「」 around Chinese is a quotation: its text is read.
                if c != '「' || inner.is_ascii() {
                    out.push('x');
                    rest = &after[end + close.len_utf8()..];
                    continue;
                }
            }
        }
        out.push(c);
        rest = after;
    }
    out
}

/// The tool's own Chinese follows the rule it enforces (`cjk-punctuation`,
/// GB/T 15834): every message the fixtures raise, every `explain` text, every
/// schema description, every `--help`, and the files `init` and `new` write.
#[test]
fn our_own_chinese_has_full_width_punctuation() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut add = |what: &str, text: &str| {
        for line in text.lines() {
            texts.push((what.to_string(), line.to_string()));
        }
    };
    for dir in ["examples", "tests/fixtures"] {
        let o = powerlist(&[
            "check",
            &root.join(dir).to_string_lossy(),
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        for d in v.as_array().unwrap() {
            let rule = d["rule"].as_str().unwrap();
            // Its own message quotes the mark it found.
            if rule != "cjk-punctuation" {
                add(&format!("{dir}: {rule}"), d["message"].as_str().unwrap());
            }
        }
    }
    let list = stdout(&powerlist(&["explain"]));
    add("explain", &list);
    for rule in list.lines().filter_map(|l| l.split_whitespace().next()) {
        if rule.contains('-') || rule.chars().all(|c| c.is_ascii_lowercase()) {
            // Not the example: it is YAML as an officer types it, mistakes included.
            let text = stdout(&powerlist(&["explain", rule]));
            let mut in_example = false;
            for line in text.lines() {
                if !line.starts_with(' ') {
                    in_example = line.starts_with("示例");
                }
                if !in_example {
                    add(&format!("explain {rule}"), line);
                }
            }
        }
    }
    let schema: serde_json::Value = serde_json::from_str(&stdout(&powerlist(&["schema"]))).unwrap();
    let mut stack = vec![&schema];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(d) = m.get("description").and_then(|d| d.as_str()) {
                    add("schema", d);
                }
                stack.extend(m.values());
            }
            serde_json::Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    let help = stdout(&powerlist(&["--help"]));
    add("--help", &help);
    for line in help.lines().skip_while(|l| !l.starts_with("命令")).skip(1) {
        let Some(cmd) = line
            .split_whitespace()
            .next()
            .filter(|_| line.starts_with("  "))
        else {
            break;
        };
        add(
            &format!("{cmd} --help"),
            &stdout(&powerlist(&[cmd, "--help"])),
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let o = powerlist(&["init", tmp.path().join("r").to_str().unwrap()]);
    add("init", &stdout(&o));
    for e in walkdir::WalkDir::new(tmp.path()) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            // YAML and TOML: the comments are ours (a value may quote a law).
            for line in text
                .lines()
                .filter_map(|l| l.split_once('#').map(|(_, c)| c))
            {
                add(&format!("init {}", e.file_name().to_string_lossy()), line);
            }
        }
    }
    for category in ["行政许可", "行政处罚"] {
        let o = new_to_stdout(category);
        for line in stdout(&o)
            .lines()
            .filter_map(|l| l.split_once("# ").map(|(_, c)| c))
        {
            add(&format!("new {category}"), line);
        }
        add(&format!("new {category} (stderr)"), &stderr(&o));
    }
    let bad: Vec<String> = texts
        .iter()
        .flat_map(|(what, line)| {
            let line = prose(line);
            powerlist::rules::misplaced_marks(&line)
                .into_iter()
                .map(move |(at, c, wide)| {
                    let before: String = line[..at]
                        .chars()
                        .rev()
                        .take(12)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    let after: String = line[at + 1..].chars().take(12).collect();
                    format!("{what}: …{before}【{c}→{wide}】{after}…")
                })
        })
        .collect();
    assert!(bad.is_empty(), "{} lines:\n{}", bad.len(), bad.join("\n"));
}
