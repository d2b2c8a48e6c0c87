//! Authoring: `new` from each category's procedure, `schema`, `import`.

use std::path::Path;

use crate::cli::{code, powerlist, stderr, stdout};

const CATEGORIES: &[&str] = &[
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
];

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Writes one `new` power per category into `dir`, returns their paths.
pub fn new_of_every_category(dir: &Path) -> Vec<std::path::PathBuf> {
    CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let file = dir.join(format!("p{i}.yaml"));
            let o = powerlist(&[
                "new",
                "--category",
                c,
                "--code",
                &format!("NEW-{i:04}"),
                "--name",
                &format!("新建{c}事项"),
                "-o",
                s(&file),
            ]);
            assert_eq!(code(&o), 0, "{c}: {}", stderr(&o));
            file
        })
        .collect()
}

#[test]
fn every_category_template_checks_with_only_the_facts_to_fill() {
    let tmp = tempfile::tempdir().unwrap();
    let files = new_of_every_category(tmp.path());
    let o = powerlist(&["check", s(tmp.path()), "--format", "json"]);
    assert_eq!(code(&o), 0, "no errors: {}", stdout(&o));
    let diags: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    for file in &files {
        let name = file.file_name().unwrap().to_str().unwrap();
        let mine: Vec<&serde_json::Value> = diags
            .iter()
            .filter(|d| d["file"].as_str().unwrap().ends_with(name))
            .collect();
        assert!(
            mine.iter().any(|d| d["rule"] == "placeholder"),
            "{name}: the facts to fill are listed"
        );
        for d in mine {
            assert_eq!(d["severity"], "warn", "{name}: {d}");
            assert!(
                d["rule"] == "placeholder" || d["rule"] == "basis-article",
                "{name}: only missing facts are reported, not {d}"
            );
        }
    }
}

#[test]
fn templates_follow_the_procedure_in_law() {
    let o = powerlist(&[
        "new",
        "-o",
        "-",
        "--category",
        "XK",
        "--code",
        "X-1",
        "--name",
        "测试许可",
    ]);
    assert_eq!(code(&o), 0);
    let licence = stdout(&o);
    for part in [
        "role: 受理",
        "role: 补正",
        "back: true",
        "role: 审查",
        "role: 决定",
        "role: 送达",
        "statutory: \"20个工作日\"",
        "第四十二条",
    ] {
        assert!(licence.contains(part), "行政许可 template lacks {part}");
    }
    let o = powerlist(&[
        "new",
        "-o",
        "-",
        "--category",
        "行政处罚",
        "--code",
        "X-2",
        "--name",
        "测试处罚",
    ]);
    let penalty = stdout(&o);
    for part in [
        "role: 立案",
        "role: 调查",
        "role: 告知",
        "role: 听证",
        "role: 决定",
        "role: 送达",
        "role: 执行",
        "role: 归档",
        "statutory: \"90日\"",
        "第六十条",
    ] {
        assert!(penalty.contains(part), "行政处罚 template lacks {part}");
    }
    // The simple procedure (行政处罚法第五十一、五十二条) is a branch of its own,
    // listed after the ordinary one: 告知 → 当场处罚 → 当场交付.
    let ordinary = &penalty[..penalty.find("id: spot-notify").unwrap()];
    let simple = &penalty[penalty.find("id: spot-notify").unwrap()..];
    let at = |text: &str, p: &str| text.find(p).unwrap_or_else(|| panic!("{p}"));
    assert!(at(simple, "role: 告知") < at(simple, "role: 当场处罚"));
    assert!(at(simple, "role: 当场处罚") < at(simple, "role: 送达"));
    assert!(penalty.contains("outcome: 不予处罚") && penalty.contains("outcome: 处罚"));
    assert!(penalty.contains("penalty_types: [\"【待填写】处罚种类（行政处罚法第九条）"));
    let order: Vec<usize> = [
        "role: 立案",
        "role: 调查",
        "role: 告知",
        "role: 决定",
        "role: 送达",
        "role: 执行",
        "role: 归档",
    ]
    .iter()
    .map(|p| at(ordinary, p))
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "steps in the order of the law"
    );
    let o = powerlist(&[
        "new",
        "-o",
        "-",
        "--category",
        "QZ",
        "--code",
        "X-3",
        "--name",
        "测试强制",
    ]);
    let coercion = stdout(&o);
    assert!(coercion.find("催告").unwrap() < coercion.find("陈述、申辩").unwrap());
    assert!(coercion.find("陈述、申辩").unwrap() < coercion.find("role: 决定").unwrap());
}

#[test]
fn new_refuses_to_overwrite_and_checks_its_arguments() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a.yaml");
    std::fs::write(&file, "mine").unwrap();
    let o = powerlist(&[
        "new",
        "--category",
        "行政许可",
        "--code",
        "A-1",
        "--name",
        "x",
        "-o",
        s(&file),
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("不会覆盖"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");

    let o = powerlist(&[
        "new",
        "-o",
        "-",
        "--category",
        "行政备案",
        "--code",
        "A-1",
        "--name",
        "x",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("未知的职权类别"));
    let o = powerlist(&[
        "new",
        "-o",
        "-",
        "--category",
        "行政许可",
        "--code",
        "A 1/..",
        "--name",
        "x",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("权力编码"));
}

#[test]
fn hostile_names_stay_one_yaml_value() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("x.yaml");
    let name = "名\"称\\n\nsteps: []\r\nsteps: []\u{85}# <script>";
    let o = powerlist(&[
        "new",
        "--category",
        "行政确认",
        "--code",
        "H-1",
        "--name",
        name,
        "-o",
        s(&file),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let cat = powerlist::load::load_catalogue(tmp.path()).unwrap();
    let (_, p) = cat.powers().next().expect("the file parses");
    assert_eq!(p.name(), name);
    assert!(p.steps().len() > 3, "the name did not replace the steps");
}

/// The schema as `powerlist schema` prints it, compiled.
fn schema_validator() -> jsonschema::Validator {
    let o = powerlist(&["schema"]);
    assert_eq!(code(&o), 0);
    let schema: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

/// A YAML file as the JSON value an editor's language server validates.
fn yaml_value(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(&text, options)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn errors(v: &jsonschema::Validator, value: &serde_json::Value) -> Vec<String> {
    v.iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_schema_describes_every_field_in_chinese() {
    let o = powerlist(&["schema"]);
    let schema: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(schema["$id"], powerlist::model::schema::SCHEMA_ID);
    let defs = schema["$defs"].as_object().unwrap();
    let mut props: Vec<(&str, &serde_json::Value)> = schema["properties"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    for d in defs.values() {
        if let Some(p) = d["properties"].as_object() {
            props.extend(p.iter().map(|(k, v)| (k.as_str(), v)));
        }
    }
    assert!(props.len() > 50);
    for (k, p) in props {
        let d = p["description"]
            .as_str()
            .unwrap_or_else(|| panic!("{k} has no description"));
        assert!(
            d.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{k}: {d}"
        );
    }
    let roles: Vec<&str> = defs["Role"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(roles.len(), 19);
    assert!(roles.contains(&"补正"));
    assert!(roles.contains(&"当场处罚") && roles.contains(&"立即代履行"));
    assert!(roles.contains(&"催告") && roles.contains(&"申请执行"));
    for e in [
        "CategoryName",
        "LawLevel",
        "RiskLevel",
        "StepType",
        "Source",
        "PenaltyKind",
        "MeasureKind",
        "Outcome",
    ] {
        assert!(
            defs[e]["enum"].as_array().is_some_and(|a| a.len() >= 3),
            "{e} lists its values"
        );
    }
}

#[test]
fn shipped_and_new_powers_validate_against_the_schema() {
    let v = schema_validator();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue");
    let mut n = 0;
    for e in walkdir::WalkDir::new(&root) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "yaml") {
            let errs = errors(&v, &yaml_value(e.path()));
            assert!(errs.is_empty(), "{}: {errs:#?}", e.path().display());
            n += 1;
        }
    }
    assert_eq!(n, 14);
    let tmp = tempfile::tempdir().unwrap();
    for file in new_of_every_category(tmp.path()) {
        let errs = errors(&v, &yaml_value(&file));
        assert!(errs.is_empty(), "{}: {errs:#?}", file.display());
    }
}

#[test]
fn broken_files_fail_the_schema() {
    let v = schema_validator();
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("p.yaml");
    let o = powerlist(&[
        "new",
        "--category",
        "行政许可",
        "--code",
        "S-1",
        "--name",
        "x",
        "-o",
        s(&file),
    ]);
    assert_eq!(code(&o), 0);
    let good = std::fs::read_to_string(&file).unwrap();
    let cases = [
        ("time_limit:", "timelimit:", "misspelt key"),
        (
            "category: \"行政许可\"",
            "category: \"行政备案\"",
            "unknown category",
        ),
        ("role: 受理", "role: 接收", "unknown role"),
        (
            "statutory: \"20个工作日\"",
            "statutory: \"二十周\"",
            "bad duration",
        ),
        ("public: true", "public: no", "`no` is not a boolean"),
        ("code: \"S-1\"", "code: \"S 1/x\"", "bad code"),
        ("level: 中", "level: 很高", "unknown risk level"),
    ];
    for (from, to, what) in cases {
        assert!(good.contains(from), "{what}: template has {from}");
        std::fs::write(&file, good.replacen(from, to, 1)).unwrap();
        assert!(
            !errors(&v, &yaml_value(&file)).is_empty(),
            "{what} passes the schema"
        );
    }
}

/// A table an office might keep: a title row merged across, its own header names,
/// the category merged down a group of rows, blank cells meaning "as above".
fn office_workbook(path: &Path) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let plain = Format::new();
    sheet
        .merge_range(
            0,
            0,
            0,
            8,
            "示范县卫生健康局行政职权目录（2026年版）",
            &plain,
        )
        .unwrap();
    let header = [
        "序号",
        "编码",
        "项目名称",
        "权力类别",
        "实施机关",
        "负责科室",
        "权力依据",
        "法定期限",
        "承诺期限",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let rows: [[&str; 9]; 6] = [
        [
            "1",
            "WJ-XK-0001",
            "医疗机构执业登记",
            "行政许可",
            "示范县卫生健康局",
            "医政股",
            "《医疗机构管理条例》（行政法规 国务院令第149号）第十五条",
            "45日",
            "30日",
        ],
        [
            "2",
            "WJ-XK-0002",
            "母婴保健技术服务执业许可",
            "",
            "",
            "妇幼股",
            "《中华人民共和国母婴保健法》第三十二条",
            "20个工作日",
            "10个工作日",
        ],
        [
            "3",
            "",
            "没有编码的一行",
            "行政处罚",
            "示范县卫生健康局",
            "监督所",
            "",
            "",
            "",
        ],
        [
            "4",
            "WJ-CF-0001",
            "对非法行医的行政处罚",
            "行政处罚",
            "",
            "卫生监督所",
            "《中华人民共和国基本医疗卫生法》",
            "九十周",
            "60日",
        ],
        [
            "5",
            "WJ-BA-0001",
            "某备案事项",
            "行政备案",
            "示范县卫生健康局",
            "",
            "",
            "",
            "",
        ],
        [
            "6",
            "WJ-QR-0001",
            "出生医学证明签发",
            "QR",
            "示范县卫生健康局",
            "妇幼股",
            "",
            "即办",
            "即办",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32 + 2, c as u16, *v).unwrap();
            }
        }
    }
    // 行政许可 merged over its two rows; the second row's cell is empty in the file.
    sheet.merge_range(2, 3, 3, 3, "行政许可", &plain).unwrap();
    book.save(path).unwrap();
}

#[test]
fn import_an_office_workbook() {
    let tmp = tempfile::tempdir().unwrap();
    let xlsx = tmp.path().join("目录.xlsx");
    office_workbook(&xlsx);
    let settings = tmp.path().join("settings");
    std::fs::create_dir(&settings).unwrap();
    std::fs::write(
        settings.join("powerlist.toml"),
        "[import.columns]\n\"负责科室\" = \"承办机构\"\n",
    )
    .unwrap();
    let out = tmp.path().join("cat");
    let o = powerlist(&[
        "import",
        s(&xlsx),
        "-o",
        s(&out),
        "--catalogue",
        s(&settings),
    ]);
    assert_eq!(
        code(&o),
        1,
        "some rows could not be imported: {}",
        stderr(&o)
    );
    let err = stderr(&o);
    assert!(
        err.contains(":5: 未导入: “没有编码的一行” 没有权力编码"),
        "{err}"
    );
    assert!(
        err.contains(":7: 未导入: 未知的职权类别 `行政备案`"),
        "{err}"
    );
    assert!(
        err.contains(":6: 注意: 法定时限 “九十周” 无法识别"),
        "{err}"
    );
    assert!(stdout(&o).contains("已导入 4 项"), "{}", stdout(&o));

    let cat = powerlist::load::load_catalogue(&out).unwrap();
    let by_code = |c: &str| {
        cat.powers()
            .map(|(_, p)| p)
            .find(|p| p.code() == c)
            .unwrap_or_else(|| panic!("{c} imported"))
    };
    let second = by_code("WJ-XK-0002");
    assert_eq!(
        second.category.as_ref().unwrap().value,
        "行政许可",
        "merged category cell"
    );
    // A blank cell outside a merged range is not filled from the row above:
    // the workbook says what it merged. The missing 实施主体 is left to fill.
    assert_eq!(
        second.department.as_ref().unwrap().value,
        "【待填写】实施主体（如 县民政局）"
    );
    assert_eq!(
        second.office.as_ref().unwrap().value,
        "妇幼股",
        "custom header mapping"
    );
    assert!(
        second
            .steps()
            .iter()
            .any(|s| s.value.role() == Some(powerlist::model::Role::Amend)),
        "licence steps"
    );
    let first = by_code("WJ-XK-0001");
    let b = &first.basis()[0].value;
    assert_eq!(b.law.as_ref().unwrap().value, "医疗机构管理条例");
    assert_eq!(b.article.as_ref().unwrap().value, "第十五条");
    assert_eq!(b.doc_no.as_deref(), Some("国务院令第149号"));
    assert_eq!(first.statutory().unwrap().value.text, "45日");
    let penalty = by_code("WJ-CF-0001");
    assert!(
        penalty.statutory().is_none(),
        "the bad duration is left out"
    );
    assert_eq!(
        by_code("WJ-QR-0001").category.as_ref().unwrap().value,
        "行政确认"
    );

    let o = powerlist(&["check", s(&out), "--format", "json"]);
    assert_eq!(
        code(&o),
        0,
        "the imported catalogue has no errors: {}",
        stdout(&o)
    );

    // Existing files are kept, unless --force.
    let file = out.join("WJ-XK-0001.yaml");
    std::fs::write(&file, "edited by hand").unwrap();
    let o = powerlist(&[
        "import",
        s(&xlsx),
        "-o",
        s(&out),
        "--catalogue",
        s(&settings),
    ]);
    assert!(stderr(&o).contains("已存在，未覆盖"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "edited by hand");
    let o = powerlist(&[
        "import",
        s(&xlsx),
        "-o",
        s(&out),
        "--catalogue",
        s(&settings),
        "--force",
    ]);
    assert!(!stderr(&o).contains("已存在"));
    assert_ne!(std::fs::read_to_string(&file).unwrap(), "edited by hand");
}

/// Basis cells as county tables write them — a law and its articles, no text —
/// come in with the library's level and current wording, marked as taken from it.
#[test]
fn import_fills_the_level_and_wording_of_national_laws() {
    use powerlist::law::{cite, registry::Registry};
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("jiaotong.csv");
    std::fs::write(
        &csv,
        "序号,权力编码,职权名称,职权类别,实施主体,设定依据\n\
         1,JT-XK-1,公路超限运输许可,行政许可,县交通运输局,\"《中华人民共和国公路法》第五十条\n公路安全保护条例第三十五条\"\n\
         2,JT-CF-1,对擅自超限行驶的处罚,行政处罚,县交通运输局,《公路法》（2017年修正）第七十六条第五项\n\
         3,JT-XK-2,公路赔偿补偿,行政许可,县交通运输局,\"《中华人民共和国公路法》第八十五条、第八十六条\n《某省公路条例》第十条\"\n",
    )
    .unwrap();
    let out = tmp.path().join("cat");
    let o = powerlist(&["import", s(&csv), "-o", s(&out)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let laws = Registry::builtin();
    let cat = powerlist::load::load_catalogue(&out).unwrap();
    let mut filled = 0;
    for (_, p) in cat.powers() {
        for b in p.basis() {
            let name = &b.value.law.as_ref().unwrap().value;
            let Some(entry) = laws.find(name) else {
                // Not a national law: nothing is guessed.
                assert!(b.value.level.is_none() && b.value.text.is_none(), "{name}");
                continue;
            };
            assert_eq!(
                b.value.level.as_ref().map(|l| l.value),
                entry.level,
                "{name}"
            );
            let article = &b.value.article.as_ref().unwrap().value;
            let text = entry.text().unwrap();
            let want: Vec<String> = cite::clauses(article)
                .iter()
                .map(|c| {
                    let a = text.article(c.article, c.sub).unwrap();
                    match c.items.first() {
                        // 第七十六条第五项: the item's own line.
                        Some(&i) => a.paragraphs[i as usize].clone(),
                        None => a.paragraphs.concat(),
                    }
                })
                .collect();
            assert_eq!(
                b.value.text.as_ref().unwrap().value,
                want.join("……"),
                "{name}{article}"
            );
            filled += 1;
        }
    }
    assert_eq!(filled, 4);
    assert_eq!(cat.powers().count(), 3);
    let yaml = std::fs::read_to_string(out.join("JT-XK-1.yaml")).unwrap();
    assert!(
        yaml.contains("# 条文取自国家法律法规数据库，快照 "),
        "{yaml}"
    );
    assert!(
        yaml.contains("level: 法律") && yaml.contains("level: 行政法规"),
        "{yaml}"
    );
    // What the library filled is what check compares against: no law-text.
    let o = powerlist(&["check", s(&out), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(
        !rules.contains(&"law-text") && !rules.contains(&"law-level"),
        "{rules:?}"
    );
    assert_eq!(
        rules.iter().filter(|r| **r == "law-unknown").count(),
        1,
        "{rules:?}"
    );
}

/// A published list as counties write it: numbered rows without 权力编码, the
/// category under 职权类型 as a portal's code or wrapped over two lines, the
/// basis under 职权依据. Codes are made from the row (stable when rows are added
/// above), a table's own category values are mapped in settings, and a refused
/// row gives every reason at once.
#[test]
fn import_a_list_without_codes_in_its_own_words() {
    let tmp = tempfile::tempdir().unwrap();
    let settings = tmp.path().join("settings");
    std::fs::create_dir(&settings).unwrap();
    std::fs::write(
        settings.join("powerlist.toml"),
        "[import.categories]\n\"01\" = \"行政许可\"\n\"10\" = \"行政确认\"\n\n[import.prefixes]\n\"县人力资源和社会保障局\" = \"RS\"\n",
    )
    .unwrap();
    let table = |extra: &str| {
        format!(
            "示范县人力资源和社会保障局权力清单\n序号,职权名称,职权类型,实施主体,职权依据,实施层级\n{extra}\
             一、行政确认（共1项）,,,,,\n\
             1,失业登记,10,县人力资源和社会保障局,《中华人民共和国社会保险法》第五十条,县级\n\
             2,人力资源服务许可,\"行政\n许可\",县人力资源和社会保障局,\"【法律】《中华人民共和国就业促进法》第四十条\",省、市、县\n\
             3,,99,县人力资源和社会保障局,,\n"
        )
    };
    let csv = tmp.path().join("list.csv");
    std::fs::write(&csv, table("")).unwrap();
    let out = tmp.path().join("a");
    let o = powerlist(&[
        "import",
        s(&csv),
        "-o",
        s(&out),
        "--catalogue",
        s(&settings),
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    // Every reason of the refused row, and no escape sequence in a message.
    let err = stderr(&o);
    assert!(
        err.contains(":6: 未导入: 职权名称为空") && err.contains("未知的职权类别 `99`"),
        "{err}"
    );
    // A group heading is recognised and said, never a power.
    assert!(
        err.contains(":3: 注意: 分组标题行「一、行政确认（共1项）」"),
        "{err}"
    );
    // A column with no place in a power goes to 备注, and the summary says so.
    assert!(
        stdout(&o).contains("1 列没有对应的字段，写入了备注：实施层级"),
        "{}",
        stdout(&o)
    );
    assert!(!err.contains("\\u{"), "{err}");
    assert!(
        stdout(&o).contains("2 项的编码按「前缀-类别代码-四位数」生成"),
        "{}",
        stdout(&o)
    );
    let codes = |dir: &Path| -> Vec<(String, String)> {
        let cat = powerlist::load::load_catalogue(dir).unwrap();
        let mut v: Vec<(String, String)> = cat
            .powers()
            .map(|(_, p)| (p.name.as_ref().unwrap().value.clone(), p.code().to_string()))
            .collect();
        v.sort();
        v
    };
    let first = codes(&out);
    assert_eq!(first.len(), 2, "{first:?}");
    let cat = powerlist::load::load_catalogue(&out).unwrap();
    let notes: Vec<String> = cat.powers().filter_map(|(_, p)| p.note.clone()).collect();
    assert!(notes.iter().any(|n| n == "实施层级：县级"), "{notes:?}");
    assert!(
        first
            .iter()
            .any(|(n, c)| n == "失业登记" && c.starts_with("RS-QR-")),
        "{first:?}"
    );
    assert!(
        first
            .iter()
            .any(|(n, c)| n == "人力资源服务许可" && c.starts_with("RS-XK-")),
        "{first:?}"
    );
    // The same table with a row added above: the same codes.
    std::fs::write(
        &csv,
        table("0,劳动保障监察,行政检查,县人力资源和社会保障局,\n"),
    )
    .unwrap();
    let again = tmp.path().join("b");
    let o = powerlist(&[
        "import",
        s(&csv),
        "-o",
        s(&again),
        "--catalogue",
        s(&settings),
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let second = codes(&again);
    assert_eq!(second.len(), 3);
    for pair in &first {
        assert!(second.contains(pair), "{pair:?} kept its code: {second:?}");
    }
    // A mapping to a category that does not exist is a one-line error.
    std::fs::write(
        settings.join("powerlist.toml"),
        "[import.categories]\n\"01\" = \"行政审批\"\n",
    )
    .unwrap();
    let o = powerlist(&[
        "import",
        s(&csv),
        "-o",
        s(&tmp.path().join("c")),
        "--catalogue",
        s(&settings),
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("不是职权类别"), "{}", stderr(&o));
    // So is a prefix a code cannot start with.
    std::fs::write(
        settings.join("powerlist.toml"),
        "[import.prefixes]\n\"县人力资源和社会保障局\" = \"人社\"\n",
    )
    .unwrap();
    let o = powerlist(&[
        "import",
        s(&csv),
        "-o",
        s(&tmp.path().join("d")),
        "--catalogue",
        s(&settings),
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("[import.prefixes]"), "{}", stderr(&o));
}

/// The same county list as a workbook: a title row, a heading merged across
/// the table, 实施主体 merged down its rows, no codes, the category as a code.
#[test]
fn import_a_workbook_without_codes_with_merged_headings() {
    use rust_xlsxwriter::{Format, Workbook};
    let tmp = tempfile::tempdir().unwrap();
    let settings = tmp.path().join("settings");
    std::fs::create_dir(&settings).unwrap();
    std::fs::write(
        settings.join("powerlist.toml"),
        "[import.categories]\n\"01\" = \"行政许可\"\n\"10\" = \"行政确认\"\n",
    )
    .unwrap();
    let path = tmp.path().join("renshe.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let f = Format::new();
    sheet
        .merge_range(0, 0, 0, 5, "示范县人力资源和社会保障局权责清单", &f)
        .unwrap();
    for (c, h) in [
        "序号",
        "职权名称",
        "职权\n类型",
        "实施主体",
        "职权依据",
        "行使层级",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    sheet.merge_range(2, 0, 2, 5, "一、行政确认", &f).unwrap();
    let rows = [
        [
            "1",
            "失业登记",
            "10",
            "",
            "《中华人民共和国社会保险法》第五十条",
            "县级",
        ],
        [
            "2",
            "就业困难人员认定",
            "10",
            "",
            "【法律】《中华人民共和国就业促进法》第五十二条",
            "县级",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32 + 3, c as u16, *v).unwrap();
            }
        }
    }
    sheet
        .merge_range(3, 3, 4, 3, "县人力资源和社会保障局", &f)
        .unwrap();
    sheet.merge_range(5, 0, 5, 5, "二、行政许可", &f).unwrap();
    for (c, v) in [
        "3",
        "人力资源服务许可",
        "01",
        "县人力资源和社会保障局",
        "《中华人民共和国就业促进法》第四十条",
        "县级",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(6, c as u16, *v).unwrap();
    }
    book.save(&path).unwrap();
    let out = tmp.path().join("cat");
    let o = powerlist(&[
        "import",
        s(&path),
        "-o",
        s(&out),
        "--catalogue",
        s(&settings),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(":3: 注意: 分组标题行「一、行政确认」")
            && err.contains(":6: 注意: 分组标题行「二、行政许可」"),
        "{err}"
    );
    assert!(stdout(&o).contains("3 项的编码按"), "{}", stdout(&o));
    let cat = powerlist::load::load_catalogue(&out).unwrap();
    assert_eq!(cat.powers().count(), 3);
    for (_, p) in cat.powers() {
        assert_eq!(
            p.department.as_ref().unwrap().value,
            "县人力资源和社会保障局",
            "merged down"
        );
        assert_eq!(p.note.as_deref(), Some("行使层级：县级"));
        let b = &p.basis()[0].value;
        assert_eq!(b.level.as_ref().map(|l| l.value.label()), Some("法律"));
        assert!(b.text.is_some(), "the library's wording is filled in");
    }
}

/// 主项 and 子项: a two-row header (职权名称 over 项目 | 子项), sub-item rows that
/// share the main item's code and carry their own in the 子项 cell, a workbook
/// whose 主项 cell is merged down its sub-items. Each 子项 is a power under its 主项.
#[test]
fn import_main_items_and_sub_items() {
    use rust_xlsxwriter::{Format, Workbook};
    let tmp = tempfile::tempdir().unwrap();
    // A city's list as CSV: two-row header, no codes column.
    let csv = tmp.path().join("jiaotong.csv");
    std::fs::write(
        &csv,
        "序号,职权名称,,职权类别,实施主体,职权依据\n,项目,子项,,,\n\
         1,公路超限运输许可,,行政许可,市交通运输局,《公路安全保护条例》第三十五条\n\
         2,公路赔偿补偿,损坏公路赔偿（JT-QT-0002）,其他行政权力,市交通运输局,《中华人民共和国公路法》第八十五条\n\
         3,公路赔偿补偿,占用公路补偿（JT-QT-0003）,其他行政权力,市交通运输局,《中华人民共和国公路法》第四十五条\n",
    )
    .unwrap();
    let out = tmp.path().join("a");
    let o = powerlist(&["import", s(&csv), "-o", s(&out)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let read = |dir: &Path| -> Vec<(String, String, Option<String>)> {
        let cat = powerlist::load::load_catalogue(dir).unwrap();
        let mut v: Vec<_> = cat
            .powers()
            .map(|(_, p)| {
                (
                    p.code().to_string(),
                    p.name.as_ref().unwrap().value.clone(),
                    p.main_item.as_ref().map(|m| m.value.clone()),
                )
            })
            .collect();
        v.sort();
        v
    };
    let got = read(&out);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(
        got.contains(&(
            "JT-QT-0002".into(),
            "损坏公路赔偿".into(),
            Some("公路赔偿补偿".into())
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "JT-QT-0003".into(),
            "占用公路补偿".into(),
            Some("公路赔偿补偿".into())
        )),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(c, n, m)| c.starts_with("XK-") && n == "公路超限运输许可" && m.is_none()),
        "{got:?}"
    );

    // A province's workbook: one header row with 子项名称及编码, the 主项 merged down.
    let path = tmp.path().join("sheng.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in [
        "序号",
        "权力编码",
        "项目名称",
        "子项名称及编码",
        "职权类别",
        "实施主体",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let rows = [
        [
            "1",
            "000116001000",
            "公路赔偿补偿",
            "损坏公路赔偿 000116001001",
            "其他行政权力",
            "县交通运输局",
        ],
        [
            "2",
            "000116001000",
            "",
            "占用公路补偿 000116001002",
            "其他行政权力",
            "县交通运输局",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
    }
    sheet
        .merge_range(1, 2, 2, 2, "公路赔偿补偿", &Format::new())
        .unwrap();
    book.save(&path).unwrap();
    let out = tmp.path().join("b");
    let o = powerlist(&["import", s(&path), "-o", s(&out)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let got = read(&out);
    assert_eq!(
        got,
        [
            (
                "000116001001".into(),
                "损坏公路赔偿".into(),
                Some("公路赔偿补偿".into())
            ),
            (
                "000116001002".into(),
                "占用公路补偿".into(),
                Some("公路赔偿补偿".into())
            ),
        ]
    );

    // The two-row header as a workbook has it: 职权名称 merged over 项目 | 子项,
    // the other headers merged down both rows.
    let path = tmp.path().join("shi.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let f = Format::new();
    sheet.merge_range(0, 0, 1, 0, "权力编码", &f).unwrap();
    sheet.merge_range(0, 1, 0, 2, "职权名称", &f).unwrap();
    sheet.write_string(1, 1, "项目").unwrap();
    sheet.write_string(1, 2, "子项").unwrap();
    sheet.merge_range(0, 3, 1, 3, "职权类别", &f).unwrap();
    sheet.merge_range(0, 4, 1, 4, "实施主体", &f).unwrap();
    let data = [
        [
            "JT-XK-1",
            "公路超限运输许可",
            "",
            "行政许可",
            "市交通运输局",
        ],
        [
            "JT-QT-1",
            "公路赔偿补偿",
            "损坏公路赔偿（JT-QT-1-1）",
            "其他行政权力",
            "市交通运输局",
        ],
    ];
    for (r, row) in data.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32 + 2, c as u16, *v).unwrap();
            }
        }
    }
    book.save(&path).unwrap();
    let out = tmp.path().join("c");
    let o = powerlist(&["import", s(&path), "-o", s(&out)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let got = read(&out);
    let want: Vec<(String, String, Option<String>)> = vec![
        (
            "JT-QT-1-1".into(),
            "损坏公路赔偿".into(),
            Some("公路赔偿补偿".into()),
        ),
        ("JT-XK-1".into(), "公路超限运输许可".into(), None),
    ];
    assert_eq!(got, want);
}

#[test]
fn new_fills_the_basis_from_the_library() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    std::fs::create_dir(&cat).unwrap();
    let o = powerlist(&[
        "new",
        s(&cat),
        "--category",
        "行政许可",
        "--code",
        "JT-XK-0001",
        "--name",
        "公路超限运输许可",
        "--law",
        "公路安全保护条例",
        "--article",
        "第三十五条",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let yaml = std::fs::read_to_string(cat.join("JT-XK-0001.yaml")).unwrap();
    assert!(yaml.contains("level: 行政法规"), "{yaml}");
    assert!(
        yaml.contains("从事运输的单位和个人应当向公路管理机构申请公路超限运输许可"),
        "{yaml}"
    );
    assert!(yaml.contains("# 条文取自国家法律法规数据库"), "{yaml}");
    // An unknown law gets nothing invented; --article needs --law.
    let o = powerlist(&[
        "new",
        s(&cat),
        "--category",
        "行政许可",
        "--code",
        "JT-XK-0002",
        "--name",
        "某许可",
        "--law",
        "某省公路条例",
        "--article",
        "第十条",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let yaml = std::fs::read_to_string(cat.join("JT-XK-0002.yaml")).unwrap();
    assert!(
        !yaml.contains("条文取自") && !yaml.contains("\n    level: "),
        "{yaml}"
    );
    let o = powerlist(&[
        "new",
        s(&cat),
        "--category",
        "行政许可",
        "--code",
        "X-1",
        "--name",
        "x",
        "--article",
        "第十条",
    ]);
    assert_eq!(code(&o), 2);
}

#[test]
fn import_a_csv_with_blank_cells_and_a_title_row() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("list.csv");
    std::fs::write(
        &csv,
        "\u{feff}民政局职权目录,,,,\n序号,权力编码,职权名称,职权类别,实施主体,投诉举报途径\n\
         1,MZ-1,最低生活保障审核确认,行政给付,县民政局,\"县纪委（0832-3580006）\n12345热线（12345）\"\n\
         2,MZ-2,临时救助,,,\n\
         3,MZ-3,临时救助审批,行政给付,,\n\
         4,MZ-3,重复编码的一行,行政给付,县民政局,\n",
    )
    .unwrap();
    let out = tmp.path().join("cat");
    let o = powerlist(&["import", s(&csv), "-o", s(&out)]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains(":6: 未导入: 权力编码 `MZ-3` 与前面的行重复"),
        "{}",
        stderr(&o)
    );
    // A blank category is never carried down (it decides the law that applies).
    assert!(
        stderr(&o).contains(":4: 未导入: “临时救助” 的职权类别为空"),
        "{}",
        stderr(&o)
    );
    // Blank grouping cells of a CSV repeat the row above, and the summary says so.
    assert!(
        stdout(&o).contains("1 个空白的实施主体或承办机构单元格沿用了上一行"),
        "{}",
        stdout(&o)
    );
    let cat = powerlist::load::load_catalogue(&out).unwrap();
    assert_eq!(cat.powers().count(), 2);
    let carried = cat
        .powers()
        .map(|(_, p)| p)
        .find(|p| p.code() == "MZ-3")
        .unwrap();
    assert_eq!(carried.department.as_ref().unwrap().value, "县民政局");
    let p = cat
        .powers()
        .map(|(_, p)| p)
        .find(|p| p.code() == "MZ-1")
        .unwrap();
    assert_eq!(p.complaints.len(), 2, "one channel per line");
    assert_eq!(p.complaints[0].value.phone.as_deref(), Some("0832-3580006"));

    let o = powerlist(&["import", s(&tmp.path().join("nothing.txt")), "-o", s(&out)]);
    assert_eq!(code(&o), 2);
    std::fs::write(tmp.path().join("noheader.csv"), "a,b,c\n1,2,3\n").unwrap();
    let o = powerlist(&["import", s(&tmp.path().join("noheader.csv")), "-o", s(&out)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("没有找到表头"), "{}", stderr(&o));
}

#[test]
fn export_import_export_gives_the_same_table() {
    let tmp = tempfile::tempdir().unwrap();
    for format in ["csv", "xlsx"] {
        let first = tmp.path().join(format!("first.{format}"));
        assert_eq!(
            code(&powerlist(&["export", "--format", format, "-o", s(&first)])),
            0
        );
        let cat = tmp.path().join(format!("cat-{format}"));
        let o = powerlist(&["import", s(&first), "-o", s(&cat)]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let o = powerlist(&["check", s(&cat)]);
        assert_eq!(
            code(&o),
            0,
            "imported catalogue has no errors: {}",
            stdout(&o)
        );
        let second = tmp.path().join(format!("second.{format}"));
        // An imported catalogue is a draft (its supervision is still to fill):
        // it is not published (SPEC §4) until the officer fills the marks.
        let o = powerlist(&["export", s(&cat), "--format", format, "-o", s(&second)]);
        assert_eq!(code(&o), 1);
        assert!(stderr(&o).contains("草稿不发布"), "{}", stderr(&o));
        assert!(!second.exists());
        for e in std::fs::read_dir(&cat).unwrap() {
            let p = e.unwrap().path();
            let text = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, text.replace("【待填写】", "")).unwrap();
        }
        let o = powerlist(&["export", s(&cat), "--format", format, "-o", s(&second)]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let (a, b) = (
            std::fs::read(&first).unwrap(),
            std::fs::read(&second).unwrap(),
        );
        if format == "csv" {
            assert_eq!(String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap());
        } else {
            // The same cells (the workbook's title property comes from powerlist.toml).
            let (ra, rb) = (
                powerlist::authoring::import::read_table(&first)
                    .unwrap()
                    .rows,
                powerlist::authoring::import::read_table(&second)
                    .unwrap()
                    .rows,
            );
            // Title, 填报单位 line, header, 13 powers.
            assert_eq!(ra.len(), 3 + 13);
            assert_eq!(ra[0][0], "示范县行政职权目录");
            assert!(ra[1][0].contains("填报单位：示范县人民政府"), "{:?}", ra[1]);
            // The title rows come from each catalogue's powerlist.toml; the table the same.
            assert_eq!(ra[2..], rb[2..]);
            assert!(!a.is_empty() && !b.is_empty());
        }
    }
}

#[test]
fn hostile_tables_are_refused_or_reported_safely() {
    let tmp = tempfile::tempdir().unwrap();
    // A stray cell in the sheet's last row and column.
    let far = tmp.path().join("far.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["权力编码", "职权名称", "职权类别"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    book.save(&far).unwrap();
    // Only the cells present are held (rows as wide as their last cell), so the
    // sheet is read; its one stray row has no name and is reported.
    let o = powerlist(&["import", s(&far), "-o", s(&tmp.path().join("out"))]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains(":1048576:"), "{}", stderr(&o));

    // A name with terminal escapes in a row that cannot be imported.
    let csv = tmp.path().join("esc.csv");
    std::fs::write(
        &csv,
        "权力编码,职权名称,职权类别\n,\u{1b}[2J清屏,行政确认\n",
    )
    .unwrap();
    let o = powerlist(&["import", s(&csv), "-o", s(&tmp.path().join("out"))]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        !err.contains('\u{1b}'),
        "no raw escape reaches the terminal: {err:?}"
    );
    assert!(err.contains("\\u{1b}[2J清屏"), "{err}");
}

#[test]
fn built_in_procedures_are_powers_that_check_with_only_the_facts_to_fill() {
    // The procedures are data in the format of a power; the same rules judge them.
    let tmp = tempfile::tempdir().unwrap();
    for (category, text) in powerlist::law::procedure::BUILTIN {
        std::fs::write(tmp.path().join(format!("{category}.yaml")), text).unwrap();
    }
    let o = powerlist(&["check", s(tmp.path()), "--format", "json"]);
    assert_eq!(code(&o), 0, "no errors: {}", stdout(&o));
    let diags: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    for d in &diags {
        assert!(
            d["rule"] == "placeholder" || d["rule"] == "basis-article",
            "only the facts to fill: {d}"
        );
    }
    for c in CATEGORIES {
        assert!(
            powerlist::law::procedure::BUILTIN
                .iter()
                .any(|(n, _)| n == c),
            "{c}: a procedure for every category"
        );
    }
}

#[test]
fn a_catalogue_replaces_a_procedure_and_check_does_not_read_it_as_a_power() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    let own = powerlist::law::procedure::BUILTIN
        .iter()
        .find(|(c, _)| *c == "行政确认")
        .unwrap()
        .1
        .replace("审查核实", "县局复核后审查核实");
    crate::cli::write(&cat, "procedures/行政确认.yaml", &own);
    let o = powerlist(&[
        "new",
        "-o",
        "-",
        "--category",
        "QR",
        "--code",
        "QR-9",
        "--name",
        "某确认",
        s(&cat),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("县局复核后审查核实"), "{}", stdout(&o));
    // Other categories keep the built-in procedure.
    let o = powerlist(&[
        "new",
        "-o",
        "-",
        "--category",
        "XK",
        "--code",
        "XK-9",
        "--name",
        "某许可",
        s(&cat),
    ]);
    assert!(stdout(&o).contains("role: 补正"));
    // `check` reads powers, not the catalogue's procedures.
    crate::cli::write(&cat, "a.yaml", &stdout(&o));
    let o = powerlist(&["check", s(&cat), "--format", "json"]);
    let diags: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(!diags.is_empty());
    assert!(
        diags
            .iter()
            .all(|d| d["file"].as_str().unwrap().ends_with("a.yaml")),
        "{diags:?}"
    );
    // A broken procedure is a one-line error, exit 2.
    crate::cli::write(&cat, "procedures/行政确认.yaml", "steps: [\n");
    let o = powerlist(&[
        "new",
        "-o",
        "-",
        "--category",
        "QR",
        "--code",
        "QR-8",
        "--name",
        "x",
        s(&cat),
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("行政确认.yaml"), "{}", stderr(&o));
}

#[test]
fn new_writes_a_named_procedure_and_refuses_an_unknown_one() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("cs.yaml");
    let o = powerlist(&[
        "new",
        "--category",
        "QZ",
        "--code",
        "QZ-CS-1",
        "--name",
        "查封、扣押",
        "--procedure",
        "行政强制措施",
        "-o",
        s(&file),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("第二十五条") && text.contains("from: deliver"),
        "{text}"
    );
    let o = powerlist(&["check", s(tmp.path()), "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let diags: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    for d in &diags {
        assert!(
            d["rule"] == "placeholder" || d["rule"] == "basis-article",
            "only the facts to fill: {d}"
        );
    }
    let o = powerlist(&[
        "new",
        "-o",
        "-",
        "--category",
        "QZ",
        "--code",
        "X-2",
        "--name",
        "x",
        "--procedure",
        "不存在",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("行政强制措施"), "{}", stderr(&o));
}

#[test]
fn import_writes_yaml_its_own_check_reads_back_for_any_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let name = "名\u{7f}称\u{85}\u{fffe}'=1+1\"\\";
    let office = "'=1+1";
    let csv = format!(
        "\u{feff}序号,权力编码,职权名称,职权类别,实施主体,承办机构\r\n1,H-1,\"{}\",行政确认,测试局,\"''=1+1\"\r\n",
        name.replace('"', "\"\"")
    );
    let table = tmp.path().join("t.csv");
    std::fs::write(&table, csv).unwrap();
    let cat = tmp.path().join("cat");
    let o = powerlist(&["import", s(&table), "-o", s(&cat)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = powerlist(&["check", s(&cat), "--format", "json"]);
    let diags: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    for d in &diags {
        assert!(
            !matches!(d["rule"].as_str(), Some("yaml-syntax" | "schema")),
            "the imported file parses: {d}"
        );
    }
    let (loaded, _) = powerlist::check_catalogue(&cat).unwrap();
    let (_, power) = loaded.powers().next().unwrap();
    assert_eq!(power.name(), name);
    assert_eq!(
        power.office.as_ref().unwrap().value,
        office,
        "one apostrophe taken off"
    );
}

#[test]
fn a_workbook_that_inflates_beyond_reason_is_refused_unread() {
    use std::io::Write as _;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bomb.xlsx");
    let file = std::fs::File::create(&path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/sharedStrings.xml", opts).unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..300 {
        zip.write_all(&chunk).unwrap();
    }
    zip.finish().unwrap();
    assert!(
        std::fs::metadata(&path).unwrap().len() < 2 << 20,
        "small on disk"
    );
    let o = powerlist(&["import", s(&path), "-o", s(&tmp.path().join("out"))]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("解压后"), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1);
}

#[test]
fn a_stray_cell_far_down_the_sheet_does_not_make_a_dense_grid() {
    use rust_xlsxwriter::Workbook;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("stray.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["权力编码", "职权名称", "职权类别", "实施主体"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["S-1", "某确认", "行政确认", "测试局"].iter().enumerate() {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    sheet.write_string(1_048_575, 46, "x").unwrap();
    book.save(&path).unwrap();
    let out = tmp.path().join("out");
    let o = powerlist(&["import", s(&path), "-o", s(&out)]);
    // The stray row has no name: reported, the real row imported.
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(out.join("S-1.yaml").is_file());
    assert!(stderr(&o).contains(":1048576:"), "{}", stderr(&o));
}

/// A 权责清单 as a county publishes it (the 编办 layout of SPEC §7): 项目名称
/// over 子项, 责任事项 numbered by stage with sub-items, 追责情形 under an
/// opening line, some naming their articles and some not.
fn county_accountability_list(path: &Path) {
    let licence_duties = "1.受理责任：（1）公示应当提交的材料；（2）一次性告知补正材料；（3）依法受理或不予受理（不予受理应当告知理由）。\n\
        2.审查责任：对申请材料进行审查，必要时现场核查，提出审查意见。\n\
        3.决定责任：作出准予或者不予许可的决定，不予许可的书面说明理由。\n\
        4.送达责任：准予许可的制发许可证件并送达。\n\
        5.事后监管责任：开展定期和不定期检查，依法处理违法行为。\n\
        6.其他法律法规规章文件规定应履行的责任。";
    let licence_cases = "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：\n\
        1.对符合法定条件的行政许可申请不予受理的（《中华人民共和国行政许可法》第七十二条）；\n\
        2.对不符合法定条件的申请人准予行政许可或者超越法定职权作出准予行政许可决定的（《中华人民共和国行政许可法》第七十四条）；\n\
        3.滥用职权、玩忽职守的。";
    let licence_bases = "《中华人民共和国行政许可法》第七十二条\n《中华人民共和国行政许可法》第七十四条\n《中华人民共和国公职人员政务处分法》第三十九条";
    let penalty_duties = "1.立案责任：发现违法行为，予以审查，决定是否立案。2.调查取证责任：执法人员不少于两人，出示执法证件。3.审查责任：对案件违法事实、证据、调查取证程序、法律适用进行审查。4.告知责任：作出行政处罚决定前书面告知当事人拟处罚的事实、理由、依据和陈述、申辩、要求听证的权利。5.决定责任：作出处罚决定。6.送达责任：行政处罚决定书依法送达当事人。7.执行责任：依法执行行政处罚决定。";
    let penalty_cases = "1.没有法定的行政处罚依据的（《中华人民共和国行政处罚法》第七十六条）；2.擅自改变行政处罚种类、幅度的（《中华人民共和国行政处罚法》第七十六条）；3.违反法定的行政处罚程序的（《中华人民共和国行政处罚法》第七十六条）";
    let rows: Vec<Vec<&str>> = vec![
        vec!["示范县交通运输局权责清单"],
        vec![
            "序号",
            "职权类别",
            "项目名称",
            "子项",
            "职权依据",
            "实施主体",
            "责任事项",
            "责任事项依据",
            "追责情形",
            "追责依据",
            "备注",
        ],
        vec![
            "1",
            "行政许可",
            "公路超限运输许可",
            "跨省、自治区、直辖市公路超限运输许可",
            "《公路安全保护条例》第三十五条",
            "示范县交通运输局",
            licence_duties,
            "《中华人民共和国行政许可法》第三十条\n《中华人民共和国行政许可法》第三十二条",
            licence_cases,
            licence_bases,
            "",
        ],
        vec![
            "2",
            "行政许可",
            "公路超限运输许可",
            "省内公路超限运输许可",
            "《公路安全保护条例》第三十五条",
            "示范县交通运输局",
            licence_duties,
            "《中华人民共和国行政许可法》第三十条",
            licence_cases,
            licence_bases,
            "",
        ],
        vec![
            "3",
            "行政处罚",
            "对擅自占用、挖掘公路的处罚",
            "",
            "《中华人民共和国公路法》第七十六条",
            "示范县交通运输局",
            penalty_duties,
            "《中华人民共和国行政处罚法》第五十五条",
            penalty_cases,
            "《中华人民共和国行政处罚法》第七十六条",
            "",
        ],
    ];
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn import_a_county_accountability_list_and_round_trip_it_in_both_layouts() {
    let tmp = tempfile::tempdir().unwrap();
    let table = tmp.path().join("county.csv");
    county_accountability_list(&table);
    let first = tmp.path().join("first");
    let o = powerlist(&["import", s(&table), "-o", s(&first)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let report = stdout(&o) + &stderr(&o);
    // 事后监管责任 and the last stage are no step of a licence: kept and said.
    assert!(report.contains("事后监管责任"), "{report}");
    assert!(
        report.contains("每一情形都引用了追责依据栏的全部 3 条"),
        "{report}"
    );

    let cat = powerlist::load::load_catalogue(&first).unwrap();
    let powers: Vec<_> = cat.powers().map(|(_, p)| p).collect();
    assert_eq!(powers.len(), 3);
    let sub = powers
        .iter()
        .find(|p| p.name() == "省内公路超限运输许可")
        .expect("the 子项 is the power's name");
    assert_eq!(sub.main_item.as_ref().unwrap().value, "公路超限运输许可");
    let duty_of = |p: &powerlist::model::Power, role: &str| -> Option<String> {
        p.steps()
            .iter()
            .find(|s| s.value.role().is_some_and(|r| r.label() == role))
            .and_then(|s| s.value.duty.as_ref().map(|d| d.value.clone()))
    };
    assert_eq!(
        duty_of(sub, "受理").as_deref(),
        Some("（1）公示应当提交的材料；（2）一次性告知补正材料；（3）依法受理或不予受理（不予受理应当告知理由）。")
    );
    assert_eq!(
        duty_of(sub, "决定").as_deref(),
        Some("作出准予或者不予许可的决定，不予许可的书面说明理由。")
    );
    let own: Vec<&str> = sub
        .duties
        .iter()
        .map(|d| d.value.stage.as_ref().unwrap().value.as_str())
        .collect();
    assert_eq!(
        own,
        ["事后监管责任"],
        "the unnumbered last stage stays with the one before"
    );
    assert_eq!(sub.accountability.len(), 3);
    let case = |i: usize| &sub.accountability[i].value;
    assert_eq!(
        case(0).case.as_ref().unwrap().value,
        "对符合法定条件的行政许可申请不予受理的"
    );
    assert_eq!(case(0).basis.len(), 1);
    assert_eq!(
        case(0).basis[0].value.article.as_ref().unwrap().value,
        "第七十二条"
    );
    // The library filled the article's wording in.
    assert!(case(0).basis[0]
        .value
        .text
        .as_ref()
        .is_some_and(|t| t.value.contains("不予受理")));
    assert_eq!(case(2).basis.len(), 3, "a case naming no article cites all");
    let penalty = powers
        .iter()
        .find(|p| p.name() == "对擅自占用、挖掘公路的处罚")
        .unwrap();
    assert!(penalty.main_item.is_none());
    for role in ["立案", "调查", "审查", "告知", "决定", "送达", "执行"] {
        assert!(duty_of(penalty, role).is_some(), "{role}");
    }
    assert!(penalty.duties.is_empty());
    // The imported powers check without errors, their 追责依据 as well.
    let o = powerlist(&["check", s(&first)]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        !stdout(&o).contains("accountability-required"),
        "{}",
        stdout(&o)
    );

    let fill = |dir: &Path| {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "yaml") {
                let text = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, text.replace("【待填写】", "")).unwrap();
            }
        }
    };
    for layout in ["权责清单", "职权目录"] {
        let settings = format!("[export]\nlayout = \"{layout}\"\n");
        let a = tmp.path().join(format!("a-{layout}"));
        copy_dir(&first, &a);
        std::fs::write(a.join("powerlist.toml"), &settings).unwrap();
        fill(&a);
        for format in ["csv", "xlsx"] {
            let t1 = tmp.path().join(format!("t1-{layout}.{format}"));
            let o = powerlist(&["export", s(&a), "--format", format, "-o", s(&t1)]);
            assert_eq!(code(&o), 0, "{layout}: {}", stderr(&o));
            let b = tmp.path().join(format!("b-{layout}-{format}"));
            let o = powerlist(&["import", s(&t1), "-o", s(&b)]);
            assert_eq!(code(&o), 0, "{layout}: {}", stderr(&o));
            std::fs::write(b.join("powerlist.toml"), &settings).unwrap();
            fill(&b);
            let t2 = tmp.path().join(format!("t2-{layout}.{format}"));
            let o = powerlist(&["export", s(&b), "--format", format, "-o", s(&t2)]);
            assert_eq!(code(&o), 0, "{layout}: {}", stderr(&o));
            let (ra, rb) = (
                powerlist::authoring::import::read_table(&t1).unwrap().rows,
                powerlist::authoring::import::read_table(&t2).unwrap().rows,
            );
            assert_eq!(ra, rb, "{layout} {format}: export → import → export");
            let header = ra
                .iter()
                .find(|r| r.iter().any(|c| c == "追责情形"))
                .unwrap();
            if layout == "权责清单" {
                assert_eq!(
                    header,
                    &[
                        "序号",
                        "职权类别",
                        "项目名称",
                        "子项",
                        "职权依据",
                        "实施主体",
                        "责任事项",
                        "责任事项依据",
                        "追责情形",
                        "追责依据",
                        "备注"
                    ]
                );
                let row = ra
                    .iter()
                    .find(|r| r.iter().any(|c| c == "省内公路超限运输许可"))
                    .unwrap();
                assert_eq!(row[2], "公路超限运输许可");
                assert!(
                    row[6].starts_with("1.受理责任：（1）公示应当提交的材料"),
                    "{}",
                    row[6]
                );
                assert!(row[6].contains("\n5.事后监管责任："), "{}", row[6]);
                assert!(row[8].contains("1.对符合法定条件的行政许可申请不予受理的（《中华人民共和国行政许可法》第七十二条）"), "{}", row[8]);
            } else {
                assert!(header.iter().any(|c| c == "主项"), "{header:?}");
            }
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// 行政强制措施 and 行政强制执行 as tables write them: the kind chooses the
/// procedure; a row that says only 行政强制 is reported, its kind left to fill.
#[test]
fn import_reads_the_kind_of_a_coercion_and_never_guesses_it() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("qz.csv");
    std::fs::write(
        &csv,
        "序号,职权名称,职权类别,实施主体,职权依据\n\
         1,扣留违法超限运输车辆,行政强制措施,县交通运输局,《公路安全保护条例》第七十二条\n\
         2,申请人民法院强制执行,行政强制执行,县交通运输局,《中华人民共和国行政强制法》第五十三条\n\
         3,强制拆除非公路标志,行政强制,县交通运输局,《中华人民共和国公路法》第七十九条\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = powerlist(&["import", s(&csv), "-o", s(&out)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let report = stdout(&o) + &stderr(&o);
    assert!(
        report.contains("qz.csv:4:") && report.contains("没有写明是行政强制措施还是行政强制执行"),
        "{report}"
    );
    assert!(!report.contains("qz.csv:2: 注意: 表中没有写明"), "{report}");
    let cat = powerlist::load::load_catalogue(&out).unwrap();
    let by_name = |name: &str| {
        let (_, p) = cat.powers().find(|(_, p)| p.name() == name).unwrap();
        let roles: Vec<&str> = p
            .steps()
            .iter()
            .filter_map(|s| s.value.role())
            .map(|r| r.label())
            .collect();
        (
            p.coercion.as_ref().map(|c| c.value.value()),
            p.category.as_ref().unwrap().value.clone(),
            roles,
        )
    };
    use powerlist::model::Coercion;
    let (kind, category, roles) = by_name("扣留违法超限运输车辆");
    assert_eq!(
        (kind, category.as_str()),
        (Some(Some(Coercion::Measure)), "行政强制")
    );
    assert!(
        !roles.contains(&"催告") && !roles.contains(&"申请执行"),
        "{roles:?}"
    );
    let (kind, _, roles) = by_name("申请人民法院强制执行");
    assert_eq!(kind, Some(Some(Coercion::Execution)));
    assert!(
        roles.contains(&"催告") && roles.contains(&"申请执行"),
        "{roles:?}"
    );
    let (kind, _, _) = by_name("强制拆除非公路标志");
    assert_eq!(kind, Some(None), "left as a 【待填写】 mark");
}

/// A workbook whose zip headers say its sheet holds 1,000 bytes while it
/// inflates to 300 MB: the inflation itself is bounded, not the claim.
#[test]
fn a_workbook_that_lies_about_its_size_is_refused() {
    use std::io::Write as _;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("liar.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..300 {
        zip.write_all(&chunk).unwrap();
    }
    zip.finish().unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    // Every uncompressed size, in the local header (offset 22) and the
    // central directory (offset 24), claims 1,000 bytes.
    let mut patched = 0;
    for at in 0..bytes.len().saturating_sub(30) {
        let field = match &bytes[at..at + 4] {
            b"PK\x03\x04" => at + 22,
            b"PK\x01\x02" => at + 24,
            _ => continue,
        };
        bytes[field..field + 4].copy_from_slice(&1000u32.to_le_bytes());
        patched += 1;
    }
    assert_eq!(patched, 2);
    std::fs::write(&path, &bytes).unwrap();
    let o = powerlist(&["import", s(&path), "-o", s(&tmp.path().join("out"))]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("声明的大小不实"), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1);
    assert!(!tmp.path().join("out").exists());
}

/// A CSV row of 100,000 commas (each a cell) and a CSV of more cells than any
/// list: refused before any cell is kept.
#[test]
fn a_csv_wider_or_larger_than_any_list_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let wide = tmp.path().join("wide.csv");
    std::fs::write(
        &wide,
        format!("序号,职权名称,职权类别\n1,{}\n", ",".repeat(100_000)),
    )
    .unwrap();
    let o = powerlist(&["import", s(&wide), "-o", s(&tmp.path().join("a"))]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("wide.csv:2:") && stderr(&o).contains("列"),
        "{}",
        stderr(&o)
    );
    // Commas inside quotes are text, not cells.
    let quoted = tmp.path().join("quoted.csv");
    std::fs::write(
        &quoted,
        format!(
            "权力编码,职权名称,职权类别,实施主体\nT-1,\"{}\",行政确认,局\n",
            "，,".repeat(20_000)
        ),
    )
    .unwrap();
    let o = powerlist(&["import", s(&quoted), "-o", s(&tmp.path().join("b"))]);
    assert_ne!(code(&o), 2, "{}", stderr(&o));
    let tall = tmp.path().join("tall.csv");
    let row = format!("{}\n", ",".repeat(999));
    std::fs::write(
        &tall,
        format!("序号,职权名称,职权类别\n{}", row.repeat(10_001)),
    )
    .unwrap();
    let o = powerlist(&["import", s(&tall), "-o", s(&tmp.path().join("c"))]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("个单元格"), "{}", stderr(&o));
}
