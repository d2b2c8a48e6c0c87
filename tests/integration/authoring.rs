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
    .map(|p| penalty.find(p).unwrap())
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "steps in the order of the law"
    );
    let o = powerlist(&[
        "new",
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
    assert_eq!(schema["$id"], powerlist::schema::SCHEMA_ID);
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
    assert_eq!(roles.len(), 13);
    assert!(roles.contains(&"补正"));
    for e in [
        "CategoryName",
        "LawLevel",
        "RiskLevel",
        "StepType",
        "Source",
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
            "statutory: \"二十日\"",
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
