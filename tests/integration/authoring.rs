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
