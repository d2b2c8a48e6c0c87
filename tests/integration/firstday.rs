//! An officer's first day: the hints, prompts and messages met before the
//! catalogue is right, each run as typed.

use crate::cli::{code, powerlist, stderr, stdout};

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
        let o = powerlist(&[
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
        ]);
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
