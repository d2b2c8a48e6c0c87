//! Issue "authoring in Chinese": each first mistake an officer makes with a
//! Chinese input method, typed into the shipped 社团 power, gets a Chinese
//! message that names the character or the fix.

use std::path::Path;

use crate::cli::{code, powerlist, stderr, stdout, write};

fn shipped(rel: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue");
    std::fs::read_to_string(root.join(rel)).unwrap()
}

/// `check` on a catalogue holding the 社团 power with `from` replaced by `to`
/// (once): exit code and human output.
fn check_with(from: &str, to: &str) -> (i32, String) {
    let text = shipped("minzheng/shetuan.yaml");
    assert!(text.contains(from), "{from}");
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "p.yaml", &text.replacen(from, to, 1));
    let o = powerlist(&["check", tmp.path().to_str().unwrap()]);
    (code(&o), stdout(&o))
}

/// The same, as the messages of `--format json` (one per line, unwrapped).
fn messages_with(from: &str, to: &str) -> String {
    let text = shipped("minzheng/shetuan.yaml");
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "p.yaml", &text.replacen(from, to, 1));
    let o = powerlist(&["check", tmp.path().to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}: {}\n",
                d["rule"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect()
}

fn assert_says(out: &str, parts: &[&str]) {
    for p in parts {
        assert!(out.contains(p), "missing 「{p}」 in:\n{out}");
    }
}

#[test]
fn a_full_width_colon_after_a_key() {
    let (code, out) = check_with("office: 社会组织管理股", "office： 社会组织管理股");
    assert_eq!(code, 1);
    assert_says(&out, &["p.yaml:12:7", "全角冒号「：」", "写作 `office: `"]);
    assert!(!out.contains("simple key"), "{out}");
}

#[test]
fn a_tab_before_a_key_is_named_and_shown() {
    let (code, out) = check_with("office: 社会组织管理股", "\toffice: 社会组织管理股");
    assert_eq!(code, 1);
    assert_says(&out, &["p.yaml:12:1", "制表符", "换成空格", "→office"]);
    assert!(!out.contains("while scanning"), "{out}");
}

#[test]
fn a_full_width_space_before_a_key_is_named_and_shown() {
    let (code, out) = check_with("office: 社会组织管理股", "\u{3000}office: 社会组织管理股");
    assert_eq!(code, 1);
    assert_says(&out, &["p.yaml:12:1", "全角空格「　」", "□office"]);
    assert!(!out.contains("未知的键"), "{out}");
}

#[test]
fn chinese_commas_in_a_list() {
    let (from, to) = (
        "rights: [知情, 陈述, 申辩, 要求听证, 行政复议, 行政诉讼]",
        "rights: [知情，陈述，申辩，要求听证，行政复议，行政诉讼]",
    );
    let (code, out) = check_with(from, to);
    assert_eq!(code, 1);
    assert_says(&out, &["p.yaml:49:12", "input-method"]);
    let out = messages_with(from, to);
    assert_says(
        &out,
        &[
            "input-method",
            "中文逗号「，」",
            "`[知情, 陈述, 申辩, 要求听证, 行政复议, 行政诉讼]`",
        ],
    );
}

#[test]
fn smart_quotes_around_a_value() {
    let (code, out) = check_with("phone: \"12345\"", "phone: “12345”");
    assert_eq!(code, 1);
    assert_says(&out, &["input-method", "弯引号「“”」", "`\"12345\"`"]);
}

#[test]
fn a_number_written_in_chinese() {
    let (code, out) = check_with("copies: 1", "copies: 一份");
    assert_eq!(code, 1);
    assert_says(&out, &["份数 `copies` 应为整数", "`2`", "「一份」"]);
    assert!(!out.contains("u32"), "{out}");
}

#[test]
fn a_misspelt_step_is_suggested_and_causes_nothing_else() {
    let (code, out) = check_with("next: decide", "next: decied");
    assert_eq!(code, 1);
    assert_says(&out, &["`decied`，是不是 `decide`？", "1 个错误，0 个警告"]);
    assert!(!out.contains("受理"), "no licence-steps echo: {out}");
}

#[test]
fn misspelt_keys_values_and_rules_are_suggested() {
    let (_, out) = check_with("time_limit:", "timelimit:");
    assert_says(
        &out,
        &["未知的键 `timelimit`，是不是 `time_limit`（时限）？"],
    );
    let (_, out) = check_with("role: 申请", "role: 申情");
    assert_says(
        &out,
        &["步骤角色 `role` 的取值 `申情` 无效，是不是 `申请`？"],
    );
    let (_, out) = check_with("category: 行政许可", "category: 行政许");
    assert_says(&out, &["`行政许`，是不是 `行政许可`？"]);
    let out = messages_with("supervision:\n", "allow: [dead-ends]\nsupervision:\n");
    assert_says(&out, &["`dead-ends` 不是规则名，是不是 `dead-end`？"]);
    let o = powerlist(&["explain", "dead-ends"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("是不是 `dead-end`？"), "{}", stderr(&o));
}

#[test]
fn the_summary_line_is_chinese() {
    let (_, out) = check_with("copies: 1", "copies: 两");
    assert!(
        out.trim_end()
            .ends_with("1 个错误，0 个警告，涉及 1 个文件（共检查 1 个文件）"),
        "{out}"
    );
}

#[test]
fn every_command_takes_its_catalogue_first() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    crate::cli::write(
        &cat,
        "powerlist.toml",
        "[categories]\n\"行政备案\" = \"BA\"\n",
    );
    // `schema CATALOGUE`: the catalogue's own categories are in the enum.
    let o = powerlist(&["schema", cat.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("行政备案"));
    // `new CATALOGUE` writes CATALOGUE/<code>.yaml and says so.
    let o = powerlist(&[
        "new",
        cat.to_str().unwrap(),
        "--category",
        "XK",
        "--code",
        "N-1",
        "--name",
        "某许可",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(cat.join("N-1.yaml").is_file());
    assert!(stderr(&o).contains("已写入") && stderr(&o).contains("【待填写】"));
    // Into a catalogue that does not exist: say how to make one.
    let o = powerlist(&[
        "new",
        tmp.path().join("nowhere").to_str().unwrap(),
        "--category",
        "XK",
        "--code",
        "N-2",
        "--name",
        "x",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("powerlist init"), "{}", stderr(&o));
    // `export` says what it wrote.
    let out = tmp.path().join("list.csv");
    let o = powerlist(&[
        "export",
        "catalogue",
        "--format",
        "csv",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("已写出") && stderr(&o).contains("13 项公开职权"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_errors_and_help_are_chinese() {
    for (args, says) in [
        (vec!["chek"], "未知的命令 `chek`"),
        (
            vec!["check", "--format", "xml"],
            "`xml` 无效；可选：human、json、github、sarif",
        ),
        (vec!["check", "--bogus"], "未知的参数 `--bogus`"),
        (vec!["new"], "缺少必填的参数"),
    ] {
        let o = powerlist(&args);
        assert_eq!(code(&o), 2, "{args:?}");
        let err = stderr(&o);
        assert!(
            err.starts_with("powerlist：错误：") && err.contains(says),
            "{args:?}: {err}"
        );
        assert!(!err.contains("error:") && !err.contains("Usage"), "{err}");
    }
    let o = powerlist(&["check", "--help"]);
    assert_eq!(code(&o), 0);
    let help = stdout(&o);
    for part in [
        "用法：",
        "参数",
        "选项",
        "显示帮助",
        "默认：catalogue",
        "可选：human",
    ] {
        assert!(help.contains(part), "{part}: {help}");
    }
    assert!(
        !help.contains("Print help") && !help.contains("[default"),
        "{help}"
    );
}

#[test]
fn init_then_check_then_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("仓库");
    let d = dir.to_str().unwrap();
    let o = powerlist(&["init", d]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("下一步"));
    let cat = dir.join("catalogue");
    let o = powerlist(&["check", cat.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(stdout(&o).contains("0 个错误，0 个警告"), "{}", stdout(&o));
    let site = dir.join("site");
    let o = powerlist(&["build", cat.to_str().unwrap(), "-o", site.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(site.join("index.html").is_file());
    // The VS Code mapping and the example's modeline point at the schema file,
    // which is the one `schema` prints; no network address.
    let vscode: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(".vscode/settings.json")).unwrap())
            .unwrap();
    let schemas = vscode["yaml.schemas"].as_object().unwrap();
    for (file, globs) in schemas {
        assert!(dir.join(file).is_file(), "{file}");
        assert!(!file.contains("://"));
        assert!(globs.to_string().contains("catalogue/"));
    }
    let schema = std::fs::read_to_string(dir.join("power.schema.json")).unwrap();
    assert_eq!(schema, stdout(&powerlist(&["schema"])));
    let example = std::fs::read_to_string(cat.join("minzheng/jiehun.yaml")).unwrap();
    let modeline = example.lines().next().unwrap();
    let target = modeline.split("$schema=").nth(1).unwrap();
    assert!(cat.join("minzheng").join(target).is_file(), "{modeline}");
    // The CI example runs check in GitHub's format; the site is ignored.
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/powerlist.yml")).unwrap();
    assert!(workflow.contains("powerlist check catalogue --format github"));
    let _: serde_json::Value = serde_saphyr::from_str(&workflow).expect("the workflow is YAML");
    assert!(std::fs::read_to_string(dir.join(".gitignore"))
        .unwrap()
        .contains("/site/"));
    // A second init overwrites nothing.
    std::fs::write(cat.join("powerlist.toml"), "title = \"我的\"\n").unwrap();
    let o = powerlist(&["init", d]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("不会覆盖"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(cat.join("powerlist.toml")).unwrap(),
        "title = \"我的\"\n"
    );
}

/// Thirteen rows of a 水利局 list; the twelfth has no category, and in the
/// workbook the first three share a merged category cell.
fn thirteen_rows() -> Vec<[String; 4]> {
    (1..=13)
        .map(|i| {
            let (name, category) = match i {
                12 => ("河道采砂规划编制".to_string(), ""),
                i if i <= 3 => (format!("取水许可{i}"), "行政许可"),
                i => (format!("水利工程检查{i}"), "行政检查"),
            };
            let code = match category {
                "行政许可" => format!("SL-XK-{i:04}"),
                "行政检查" => format!("SL-JC-{i:04}"),
                _ => format!("SL-QT-{i:04}"),
            };
            [code, name, category.to_string(), "示范县水利局".to_string()]
        })
        .collect()
}

fn import_says(table: &Path, out: &Path) -> (i32, String, String, usize) {
    let o = powerlist(&[
        "import",
        table.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let n = powerlist::load::load_catalogue(out).map_or(0, |c| c.powers().count());
    (code(&o), stdout(&o), stderr(&o), n)
}

#[test]
fn import_never_guesses_a_category() {
    let tmp = tempfile::tempdir().unwrap();
    // The workbook: only the real merged range fills cells.
    let xlsx = tmp.path().join("水利.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["权力编码", "职权名称", "职权类别", "实施主体"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in thirteen_rows().iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            // Rows 2 and 3 leave the category to the merged range.
            if !v.is_empty() && !(c == 2 && (r == 1 || r == 2)) {
                sheet.write_string(r as u32 + 1, c as u16, v).unwrap();
            }
        }
    }
    sheet
        .merge_range(1, 2, 3, 2, "行政许可", &rust_xlsxwriter::Format::new())
        .unwrap();
    book.save(&xlsx).unwrap();
    let (code, out, err, n) = import_says(&xlsx, &tmp.path().join("a"));
    assert_eq!(code, 1);
    assert_eq!(n, 12, "{out}{err}");
    assert!(
        err.contains(":13: 未导入: “河道采砂规划编制” 的职权类别为空"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        out.contains("已导入 12 项") && out.contains("1 行未导入"),
        "{out}"
    );

    // The same list as CSV: every category written but the empty one.
    let csv = tmp.path().join("水利.csv");
    let mut text = "权力编码,职权名称,职权类别,实施主体\n".to_string();
    for row in thirteen_rows() {
        text.push_str(&row.join(","));
        text.push('\n');
    }
    std::fs::write(&csv, text).unwrap();
    let (code, out, err, n) = import_says(&csv, &tmp.path().join("b"));
    assert_eq!((code, n), (1, 12), "{out}{err}");
    assert!(
        err.contains(":13: 未导入: “河道采砂规划编制” 的职权类别为空"),
        "{err}"
    );
    assert!(!out.contains("沿用"), "nothing was carried: {out}");
}

#[test]
fn import_reports_a_code_that_names_another_category() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("t.csv");
    std::fs::write(
        &csv,
        "权力编码,职权名称,职权类别,实施主体\nSL-QT-0001,河道采砂许可,行政许可,示范县水利局\n",
    )
    .unwrap();
    let (code, out, err, n) = import_says(&csv, &tmp.path().join("c"));
    assert_eq!((code, n), (0, 1), "{out}{err}");
    assert!(
        err.contains(":2: 注意: 权力编码 `SL-QT-0001` 中的 `QT` 是其他行政权力的代码"),
        "{err}"
    );
    let o = powerlist(&[
        "check",
        tmp.path().join("c").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(stdout(&o).contains("\"code-category\""), "{}", stdout(&o));
}

#[test]
fn new_leaves_every_decision_to_the_officer_and_only_its_categorys_elements() {
    let new = |category: &str| {
        let o = powerlist(&[
            "new",
            "-o",
            "-",
            "--category",
            category,
            "--code",
            "N-1",
            "--name",
            "某事项",
        ]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        stdout(&o)
    };
    let licence = new("行政许可");
    // The promise is the office's: a mark, with the law's limit as the hint.
    assert!(
        licence.contains(
            "promised: \"【待填写】承诺时限（法定时限 20个工作日，原则上缩短三分之一以上）\""
        ),
        "{licence}"
    );
    assert!(
        licence.contains("statutory: \"20个工作日\""),
        "the law's limit is written"
    );
    // Every step's time is a mark; the procedure's is the hint.
    let steps = &licence[licence.find("steps:").unwrap()..];
    let times: Vec<&str> = steps
        .lines()
        .filter(|l| l.trim_start().starts_with("time:"))
        .collect();
    assert!(
        !times.is_empty() && times.iter().all(|t| t.contains("【待填写】本环节时限")),
        "{times:?}"
    );
    assert!(times.iter().any(|t| t.contains("参考：")), "{times:?}");
    assert!(licence.contains("materials:"), "a licence has 申请材料");
    for category in ["行政处罚", "行政检查", "行政强制", "行政征收"] {
        let text = new(category);
        assert!(
            !text.contains("materials:") && !text.contains("申请材料"),
            "{category}: {text}"
        );
    }
}

#[test]
fn yaml_syntax_errors_are_explained_in_chinese() {
    for (from, to, says) in [
        (
            "name: 社会团体成立登记",
            "name: 审批: 社团",
            "一行里有两个「: 」",
        ),
        (
            "channels: [政务服务大厅, 政府网站]",
            "channels: [政务服务大厅, 政府网站",
            "方括号",
        ),
        (
            "office: 社会组织管理股",
            "office: @社会组织管理股",
            "请给整个值加引号",
        ),
        (
            "department: 示范县民政局",
            "department: 示范县民政局\n code: x",
            "缩进",
        ),
    ] {
        let out = messages_with(from, to);
        assert!(
            out.starts_with("yaml-syntax: ") && out.contains(says),
            "{to}: {out}"
        );
    }
    let out = messages_with("department: 示范县民政局\n", "");
    assert!(out.contains("缺少必填的实施主体 `department`"), "{out}");
}
