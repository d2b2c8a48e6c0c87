//! `powerlist diff` end to end: two versions of the shipped catalogue, as
//! folders and as git revisions, in every format; and the CI example.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::build::{copy_dir, shipped};
use crate::cli::{code, stderr, stdout};

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_powerlist"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{from} in {}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).unwrap();
}

/// The second version: one power added, one removed, one renamed (code
/// changed, name kept), one changed (promised limit, a step's post), and the non-public one changed.
fn second_version(cat: &Path) {
    let dibao = std::fs::read_to_string(cat.join("minzheng/dibao.yaml")).unwrap();
    std::fs::write(
        cat.join("minzheng/xinzeng.yaml"),
        dibao
            .replacen("code: MZ-JF-0001", "code: MZ-JF-0009", 1)
            .replacen(
                "name: 城乡最低生活保障对象认定",
                "name: 困难群众价格临时补贴发放",
                1,
            ),
    )
    .unwrap();
    std::fs::remove_file(cat.join("yibao/yiliao.yaml")).unwrap();
    edit(
        &cat.join("minzheng/jiehun.yaml"),
        "code: MZ-QR-0001",
        "code: MZ-QR-0011",
    );
    let shetuan = cat.join("minzheng/shetuan.yaml");
    edit(&shetuan, "  promised: 40个自然日", "  promised: 35个自然日");
    let dengji = cat.join("renshe/shiye-dengji.yaml");
    edit(
        &dengji,
        "    owner: 就业服务中心窗口\n    time: 即办",
        "    owner: 就业服务中心综合窗口\n    time: 即办",
    );
    edit(
        &cat.join("yingji/wuzi-diaobo.yaml"),
        "scope: 内部",
        "scope: 应急管理局内部",
    );
}

fn json(o: &Output) -> Value {
    assert_eq!(code(o), 0, "{}", stderr(o));
    serde_json::from_str(&stdout(o)).unwrap()
}

fn codes(v: &Value, key: &str, field: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x[field].as_str().unwrap().to_string())
        .collect()
}

fn check_public_diff(v: &Value) {
    assert_eq!(codes(v, "added", "code"), ["MZ-JF-0009"]);
    assert_eq!(codes(v, "removed", "code"), ["YB-JF-0001"]);
    assert_eq!(codes(v, "renamed", "old"), ["MZ-QR-0001"]);
    assert_eq!(codes(v, "renamed", "new"), ["MZ-QR-0011"]);
    assert_eq!(v["renamed"][0]["name"], "内地居民结婚登记");
    assert_eq!(v["renamed"][0]["changes"].as_array().unwrap().len(), 0);
    // Exactly the two changed public powers, in code order, with their fields.
    assert_eq!(codes(v, "changed", "code"), ["MZ-XK-0001", "RS-QR-0001"]);
    let fields = |i: usize| -> Vec<String> {
        v["changed"][i]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["field"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(fields(0), ["time_limit.promised"]);
    assert_eq!(v["changed"][0]["changes"][0]["old"], "40个自然日");
    assert_eq!(v["changed"][0]["changes"][0]["new"], "35个自然日");
    assert_eq!(fields(1), ["steps.check"]);
    assert!(v["changed"][1]["changes"][0]["new"]
        .as_str()
        .unwrap()
        .contains("岗位 就业服务中心综合窗口"));
}

#[test]
fn diff_two_versions_as_folders_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    copy_dir(&shipped(), &a);
    copy_dir(&shipped(), &b);
    second_version(&b);
    let (sa, sb) = (a.to_str().unwrap(), b.to_str().unwrap());

    let v = json(&run_in(tmp.path(), &["diff", sa, sb, "--format", "json"]));
    check_public_diff(&v);
    // The non-public power only with --internal.
    assert!(!stdout(&run_in(tmp.path(), &["diff", sa, sb, "--format", "json"])).contains("YJ-"));
    let all = json(&run_in(
        tmp.path(),
        &["diff", sa, sb, "--format", "json", "--internal"],
    ));
    let changed = codes(&all, "changed", "code");
    assert!(changed.iter().any(|c| c.starts_with("YJ-")), "{changed:?}");
    for key in ["added", "removed", "renamed"] {
        assert_eq!(all[key], v[key]);
    }

    let human = stdout(&run_in(tmp.path(), &["diff", sa, sb]));
    assert!(
        human.contains("新增 1 项，取消 1 项，编码变更 1 项，变更 2 项"),
        "{human}"
    );
    assert!(
        human.contains("承诺时限：40个自然日 → 35个自然日"),
        "{human}"
    );
    assert!(
        human.contains("编码变更  MZ-QR-0001 → MZ-QR-0011  内地居民结婚登记"),
        "{human}"
    );

    let md = stdout(&run_in(
        tmp.path(),
        &["diff", sa, sb, "--format", "markdown"],
    ));
    let first = md.lines().next().unwrap();
    assert!(
        first.starts_with("**权力清单调整**") && first.ends_with("变更 2 项"),
        "{md}"
    );
    assert!(
        md.contains("| MZ-XK-0001 | 社会团体成立登记 | 承诺时限 | 40个自然日 | 35个自然日 |"),
        "{md}"
    );
    assert!(md.contains("### 新增") && md.contains("### 取消") && md.contains("### 变更"));
    // A renamed power is 编码变更 in every format, as the human output says.
    assert!(
        md.contains("### 编码变更\n\n| 权力编码 | 职权名称 | 调整事项 | 调整前 | 调整后 |\n|---|---|---|---|---|\n| MZ-QR-0011 | 内地居民结婚登记 | 权力编码 | MZ-QR-0001 | MZ-QR-0011 |"),
        "{md}"
    );

    let csv = run_in(tmp.path(), &["diff", sa, sb, "--format", "csv"]).stdout;
    let mut r = csv::Reader::from_reader(&csv[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "序号",
            "调整类型",
            "权力编码",
            "职权名称",
            "调整事项",
            "调整前",
            "调整后"
        ]
    );
    let records: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    let kinds: Vec<&str> = records.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(kinds, ["新增", "取消", "编码变更", "变更", "变更"]);
    assert_eq!(
        records[2][4..],
        [
            "权力编码".to_string(),
            "MZ-QR-0001".into(),
            "MZ-QR-0011".into()
        ]
    );

    // Deterministic; the same catalogue twice: no adjustment.
    assert_eq!(
        md,
        stdout(&run_in(
            tmp.path(),
            &["diff", sa, sb, "--format", "markdown"]
        ))
    );
    let same = stdout(&run_in(tmp.path(), &["diff", sa, sa]));
    assert!(same.contains("没有调整"), "{same}");
    // A side that cannot be read: exit 2, one line.
    let o = run_in(tmp.path(), &["diff", sa, "nowhere"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("nowhere"), "{}", stderr(&o));
}

pub fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args([
            "-c",
            "user.name=法制科",
            "-c",
            "user.email=fzk@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The README's CI example on a temporary repository: a pull request's branch
/// against `origin/main`, checked in GitHub's format and diffed as Markdown.
#[test]
fn diff_git_revisions_and_the_ci_example() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    copy_dir(&shipped(), &repo.join("catalogue"));
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "v1"]);
    // What `actions/checkout` leaves for a pull request: the base as origin/main.
    git(&repo, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    second_version(&repo.join("catalogue"));
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "v2"]);

    // REV:PATH on both sides, and a revision against the working folder.
    let by_rev = json(&run_in(
        &repo,
        &[
            "diff",
            "HEAD~1:catalogue",
            "HEAD:catalogue",
            "--format",
            "json",
        ],
    ));
    check_public_diff(&by_rev);
    let against_folder = json(&run_in(
        &repo,
        &[
            "diff",
            "origin/main:catalogue",
            "catalogue",
            "--format",
            "json",
        ],
    ));
    assert_eq!(by_rev, against_folder);

    // The CI steps: check (annotations), then the comment's text.
    let o = run_in(&repo, &["check", "catalogue", "--format", "github"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).lines().all(|l| l.starts_with("::warning ")),
        "{}",
        stdout(&o)
    );
    let o = run_in(
        &repo,
        &[
            "diff",
            "origin/main:catalogue",
            "catalogue",
            "--format",
            "markdown",
        ],
    );
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o).starts_with("**权力清单调整**（origin/main:catalogue → catalogue）：新增 1 项"),
        "{}",
        stdout(&o)
    );

    // A revision that does not exist: exit 2 with git's reason.
    let o = run_in(&repo, &["diff", "no-such-branch:catalogue", "catalogue"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no-such-branch"), "{}", stderr(&o));
    // Said in Chinese, git's own line kept after it.
    assert!(
        stderr(&o).contains("没有这个版本") && stderr(&o).contains("（git：fatal: "),
        "{}",
        stderr(&o)
    );
    let o = run_in(&repo, &["diff", "HEAD:no-such-folder", "catalogue"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("该版本中没有这个路径"),
        "{}",
        stderr(&o)
    );
    // Nothing left behind in the temporary folder.
    let left: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("powerlist-diff-")
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn laws_lists_every_cited_law_with_its_status() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let all = json(&run_in(root, &["laws", "catalogue", "--format", "json"]));
    let list = all.as_array().unwrap();
    // Every law the public powers cite — as 设定依据, 责任事项依据 or
    // 追责依据 — each known to the registry.
    assert_eq!(list.len(), 16, "{all:#}");
    assert!(list.iter().all(|l| l["status"] == "current"), "{all:#}");
    let law = |name: &str| {
        list.iter()
            .find(|l| l["law"] == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(
        law("劳动保障监察条例")["powers"],
        serde_json::json!(["RS-CF-0001", "RS-JC-0001", "RS-QZ-0001"])
    );
    assert_eq!(
        law("劳动保障监察条例")["articles"][0],
        "第九条第三款",
        "articles in their order"
    );
    // The non-public power's citations only with --internal.
    let citing = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|l| l["law"] == "自然灾害救助条例")
            .map(|l| l["powers"].clone())
    };
    assert_eq!(citing(&all), Some(serde_json::json!(["YJ-JF-0001"])));
    let with = json(&run_in(
        root,
        &["laws", "catalogue", "--format", "json", "--internal"],
    ));
    assert_eq!(
        citing(&with),
        Some(serde_json::json!(["YJ-JF-0001", "YJ-QT-0001"]))
    );
    // One law, by a short name: the impact list of a revision.
    let one = json(&run_in(
        root,
        &[
            "laws",
            "catalogue",
            "--law",
            "《行政处罚法》",
            "--format",
            "json",
        ],
    ));
    let one = &one.as_array().unwrap()[..];
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["law"], "中华人民共和国行政处罚法");
    assert_eq!(
        one[0]["powers"],
        serde_json::json!(["RS-CF-0001", "RS-QZ-0001"])
    );
    let articles = one[0]["articles"].as_array().unwrap();
    assert_eq!(articles[0], "第四十二条第一款", "in their order");
    assert!(articles.contains(&serde_json::json!("第六十条")));
    let csv = stdout(&run_in(root, &["laws", "catalogue", "--format", "csv"]));
    assert!(
        csv.starts_with("\u{feff}法律法规,效力层级,状态,引用条款,引用职权\r\n"),
        "{csv}"
    );
    let human = stdout(&run_in(root, &["laws", "catalogue"]));
    assert!(
        human
            .trim_end()
            .ends_with("共引用 16 部法律法规，其中 0 部需要核对"),
        "{human}"
    );

    // Repealed, outdated (the 文号 of the text a revision replaced: 政府信息公开条例
    // 国务院令第492号, revised by 第711号) and unknown.
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    copy_dir(&shipped(), &cat);
    edit(
        &cat.join("minzheng/jiehun.yaml"),
        "  - law: 中华人民共和国民法典",
        "  - law: 中华人民共和国婚姻法",
    );
    edit(
        &cat.join("renshe/laodong-jiancha.yaml"),
        "  - law: 劳动保障监察条例",
        "  - law: 劳动保障监察办法",
    );
    edit(
        &cat.join("renshe/shiye-dengji.yaml"),
        "basis:\n",
        "basis:\n  - law: 中华人民共和国政府信息公开条例\n    level: 行政法规\n    doc_no: 国务院令第492号\n    article: 第九条\n",
    );
    let v = json(&run_in(tmp.path(), &["laws", "cat", "--format", "json"]));
    let status = |name: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|l| l["law"] == name)
            .map(|l| l["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status("中华人民共和国婚姻法").as_deref(), Some("repealed"));
    assert_eq!(
        status("中华人民共和国政府信息公开条例").as_deref(),
        Some("outdated")
    );
    assert_eq!(status("失业保险条例").as_deref(), Some("current"));
    assert_eq!(status("劳动保障监察办法").as_deref(), Some("unknown"));
    let o = run_in(tmp.path(), &["laws", "cat", "--law", "不存在的法"]);
    assert_eq!(code(&o), 2);
}

/// Names from the catalogue reach the terminal and the CSV: inert there.
#[test]
fn laws_and_diff_keep_hostile_names_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    copy_dir(&shipped(), &a);
    copy_dir(&shipped(), &b);
    let file = b.join("renshe/laodong-jiancha.yaml");
    edit(
        &file,
        "  - law: 劳动保障监察条例",
        "  - law: \"=cmd|劳动\\e[2J条例\"",
    );
    // A step added under a hostile id: its field is `steps.<id>`.
    edit(
        &file,
        "steps:\n",
        "steps:\n  - id: \"x\\e[2J\"\n    name: 多出的环节\n    owner: 窗口\n",
    );
    let o = run_in(tmp.path(), &["laws", "b"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        !stdout(&o).contains('\u{1b}') && stdout(&o).contains("\\u{1b}"),
        "{}",
        stdout(&o)
    );
    let csv = stdout(&run_in(tmp.path(), &["laws", "b", "--format", "csv"]));
    assert!(csv.contains("\r\n'=cmd|劳动"), "{csv}");
    let o = run_in(tmp.path(), &["diff", "a", "b"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stdout(&o).contains('\u{1b}'), "{}", stdout(&o));
    let csv = stdout(&run_in(tmp.path(), &["diff", "a", "b", "--format", "csv"]));
    assert!(!csv.contains(",=cmd"), "{csv}");
    // A usage error repeats the argument it did not understand: inert too.
    let o = run_in(tmp.path(), &["ch\u{1b}[2Jek"]);
    assert_eq!(code(&o), 2);
    assert!(!stderr(&o).contains('\u{1b}'), "{}", stderr(&o));
}

/// Runs the binary in `dir` with its own temporary folder `tmp`, so that what
/// a run leaves there (or reads from there) is this test's alone.
fn run_with_tmp(dir: &Path, tmp: &Path, args: &[&str]) -> Output {
    std::fs::create_dir_all(tmp).unwrap();
    Command::new(env!("CARGO_BIN_EXE_powerlist"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("TMPDIR", tmp)
        .output()
        .unwrap()
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A small repository: two public powers and the shipped non-public one,
/// committed as `v1`; then `v2` with one promised limit changed.
pub fn small_repo(root: &Path) -> std::path::PathBuf {
    let repo = root.join("repo");
    let cat = repo.join("catalogue");
    for rel in [
        "powerlist.toml",
        "minzheng/jiehun.yaml",
        "minzheng/shetuan.yaml",
        "yingji/wuzi-diaobo.yaml",
    ] {
        std::fs::create_dir_all(cat.join(rel).parent().unwrap()).unwrap();
        std::fs::copy(shipped().join(rel), cat.join(rel)).unwrap();
    }
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "v1"]);
    edit(
        &cat.join("minzheng/shetuan.yaml"),
        "  promised: 40个自然日",
        "  promised: 35个自然日",
    );
    git(&repo, &["commit", "-q", "-am", "v2"]);
    repo
}

/// A revision is never read as one of git's options: `--output=FILE` would
/// have git write its archive over FILE.
#[test]
fn a_revision_starting_with_a_dash_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = small_repo(tmp.path());
    let victim = tmp.path().join("x:notes");
    std::fs::write(&victim, "keep").unwrap();
    let v = victim.display().to_string();
    let short = tmp.path().join("y").display().to_string();
    for spec in [
        format!("--output={v}"),
        format!("-o{short}:notes"),
        "--remote=.:catalogue".to_string(),
        "-:catalogue".to_string(),
    ] {
        let o = run_with_tmp(
            &repo,
            &tmp.path().join("t"),
            &["diff", "--", &spec, "catalogue"],
        );
        assert_eq!(code(&o), 2, "{spec}: {}", stderr(&o));
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
        assert!(stderr(&o).contains("不能以 - 开头"), "{}", stderr(&o));
        // Also as the new side.
        let o = run_with_tmp(
            &repo,
            &tmp.path().join("t"),
            &["diff", "catalogue", "--", &spec],
        );
        assert_eq!(code(&o), 2, "{spec}: {}", stderr(&o));
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    assert!(!tmp.path().join("y:notes").exists());
    assert!(names(&tmp.path().join("t")).is_empty());
}
/// Another local user who plants links at the names the temporary folders
/// used to have (`powerlist-diff-PID-N`) neither receives the revision nor
/// slips a power into it. The shell plants them with its own PID, which the
/// binary keeps through `exec`.
#[cfg(unix)]
#[test]
fn planted_temp_folders_are_never_used() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = small_repo(tmp.path());
    let t = tmp.path().join("t");
    let target = tmp.path().join("planted");
    std::fs::create_dir_all(&target).unwrap();
    let forged = std::fs::read_to_string(shipped().join("minzheng/jiehun.yaml"))
        .unwrap()
        .replacen("code: MZ-QR-0001", "code: FORGED-0001", 1)
        .replacen("name: 内地居民结婚登记", "name: 伪造的职权", 1);
    std::fs::write(target.join("forged.yaml"), &forged).unwrap();
    let args = [
        "diff",
        "HEAD~1:catalogue",
        "HEAD:catalogue",
        "--format",
        "json",
    ];
    let clean = run_with_tmp(&repo, &t, &args);
    assert_eq!(code(&clean), 0, "{}", stderr(&clean));
    std::fs::create_dir_all(&t).unwrap();
    let o = Command::new("sh")
        .arg("-c")
        .arg(
            "for n in 0 1 2 3; do ln -s \"$1\" \"$TMPDIR/powerlist-diff-$$-$n\"; done; \
             shift; exec \"$0\" \"$@\"",
        )
        .arg(env!("CARGO_BIN_EXE_powerlist"))
        .arg(&target)
        .args(args)
        .current_dir(&repo)
        .env("NO_COLOR", "1")
        .env("TMPDIR", &t)
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), stdout(&clean));
    assert!(!stdout(&o).contains("FORGED"), "{}", stdout(&o));
    // Nothing was copied through the links.
    assert_eq!(names(&target), ["forged.yaml"]);
    assert_eq!(
        std::fs::read_to_string(target.join("forged.yaml")).unwrap(),
        forged
    );
}
/// A revision holding a file over the loader's 4 MiB is refused before it is
/// read, with one line; nothing is left in the temporary folder.
#[test]
fn a_revision_over_the_size_cap_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = small_repo(tmp.path());
    let big = vec![b'x'; 4 * 1024 * 1024 + 1];
    std::fs::write(repo.join("catalogue/big.bin"), &big).unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "big"]);
    let t = tmp.path().join("t");
    let o = run_with_tmp(&repo, &t, &["diff", "HEAD:catalogue", "catalogue"]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("big.bin") && stderr(&o).contains("4194304"),
        "{}",
        stderr(&o)
    );
    assert!(names(&t).is_empty(), "{:?}", names(&t));
    // Just under the cap, the same revision reads.
    std::fs::write(repo.join("catalogue/big.bin"), &big[1..]).unwrap();
    git(&repo, &["commit", "-q", "-am", "smaller"]);
    let o = run_with_tmp(&repo, &t, &["diff", "HEAD:catalogue", "catalogue"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(names(&t).is_empty(), "{:?}", names(&t));
}

/// `.gitattributes` in the revision cannot hide a power from the 调整说明
/// (`export-ignore`) nor change a file's text (`export-subst`).
#[test]
fn export_attributes_neither_hide_nor_change_a_power() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = small_repo(tmp.path());
    let cat = repo.join("catalogue");
    let added = std::fs::read_to_string(cat.join("minzheng/jiehun.yaml"))
        .unwrap()
        .replacen("code: MZ-QR-0001", "code: MZ-QR-0009", 1)
        .replacen("name: 内地居民结婚登记", "name: 隐藏的新职权", 1);
    std::fs::write(cat.join("minzheng/xinzeng.yaml"), added).unwrap();
    edit(
        &cat.join("minzheng/shetuan.yaml"),
        "name: 社会团体成立登记",
        "name: 社会团体成立登记$Format:%H$",
    );
    std::fs::write(
        cat.join(".gitattributes"),
        "minzheng/xinzeng.yaml export-ignore\nminzheng/shetuan.yaml export-subst\n",
    )
    .unwrap();
    std::fs::write(
        repo.join(".gitattributes"),
        "catalogue/minzheng/xinzeng.yaml export-ignore\n",
    )
    .unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "hidden"]);
    let v = json(&run_with_tmp(
        &repo,
        &tmp.path().join("t"),
        &[
            "diff",
            "HEAD~1:catalogue",
            "HEAD:catalogue",
            "--format",
            "json",
        ],
    ));
    assert_eq!(codes(&v, "added", "code"), ["MZ-QR-0009"], "{v:#}");
    assert_eq!(codes(&v, "changed", "code"), ["MZ-XK-0001"], "{v:#}");
    assert_eq!(
        v["changed"][0]["changes"][0]["new"], "社会团体成立登记$Format:%H$",
        "{v:#}"
    );
}
/// The control characters a file name may hold never reach the terminal or
/// a CI log raw: diff's list of the files it could not parse.
#[cfg(unix)]
#[test]
fn unparsable_file_names_are_shown_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    std::fs::write(b.join("x\u{1b}[2J\u{7}\r\n::error::y.yaml"), "code: [\n").unwrap();
    for args in [["diff", "a", "b"], ["diff", "b", "a"]] {
        let o = run_in(tmp.path(), &args);
        assert_eq!(code(&o), 2, "{}", stdout(&o));
        let err = stderr(&o);
        assert!(err.contains("::error::y.yaml"), "{err}");
        assert!(!err.contains(['\u{1b}', '\u{7}', '\r']), "{err:?}");
        assert_eq!(err.lines().count(), 1, "{err:?}");
        assert!(!err.lines().any(|l| l.starts_with("::")), "{err:?}");
    }
}
