//! Property tests on a seeded generator (no dependency, the same cases every run):
//! random step graphs with hostile text never make `check` panic, and what the
//! renderers write stays well-formed and inert; random mutations of the shipped
//! catalogue never panic either; random revision strings never turn `diff`
//! against its user.
//!
//! `POWERLIST_PROPTEST_CASES=50000 cargo test property` runs more cases (the
//! default keeps `cargo test` within its minute); `POWERLIST_PROPTEST_SEED=N`
//! starts elsewhere.

use std::path::Path;

use powerlist::authoring::yaml::quote;
use powerlist::render::{dot, site, svg, table, view::PowerView};

pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }

    fn below(&mut self, n: usize) -> usize {
        self.next() as usize % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

pub(crate) fn cases(default: usize) -> usize {
    std::env::var("POWERLIST_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub(crate) fn seed() -> u64 {
    std::env::var("POWERLIST_PROPTEST_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_261_125)
}

/// Pieces of text that have broken renderers somewhere.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\"",
    "'",
    "\\",
    "\\n",
    "\n",
    "\r\n",
    "\t",
    "\u{1b}[2J",
    "\u{7}",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{feff}",
    "&amp;",
    "]];",
    "}{",
    "-> x",
    "::warning file=a::b",
    "=HYPERLINK(\"x\")",
    "%0A",
    "受理",
    "审查材料",
    "【待填写】",
    "😀",
    " ",
    "",
];

fn text(rng: &mut Lcg) -> String {
    let parts = 1 + rng.below(4);
    (0..parts).map(|_| rng.pick(HOSTILE)).collect()
}

const ROLES: &[&str] = &[
    "申请",
    "受理",
    "补正",
    "审查",
    "立案",
    "调查",
    "告知",
    "听证",
    "决定",
    "送达",
    "执行",
    "归档",
    "公示",
    "催告",
    "申请执行",
];
const TYPES: &[&str] = &["start", "task", "decision", "end"];
const TIMES: &[&str] = &[
    "即办",
    "3个工作日",
    "5日",
    "二十个工作日",
    "1个月",
    "2年",
    "10个自然日",
    "三周",
    "-1日",
    "99999999日",
];
const CATEGORIES: &[&str] = &[
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政给付",
    "QR",
    "其他行政权力",
];

/// A random power as YAML: every string quoted, so the file parses and the
/// rules (not the parser) meet the hostile text.
pub(crate) fn random_power(rng: &mut Lcg, i: usize) -> String {
    let n = 1 + rng.below(10);
    let ids: Vec<String> = (0..n)
        .map(|k| match rng.below(6) {
            0 => text(rng),
            _ => format!("s{k}"),
        })
        .collect();
    let mut y = format!(
        "code: P-{i}\nname: {}\ncategory: {}\ndepartment: {}\n",
        quote(&text(rng)),
        rng.pick(CATEGORIES),
        quote(&text(rng))
    );
    y.push_str(&format!(
        "basis:\n  - law: {}\n    level: {}\n    article: {}\n",
        quote(&text(rng)),
        rng.pick(&["法律", "规范性文件", "部门规章"]),
        quote(&text(rng))
    ));
    y.push_str(&format!(
        "time_limit:\n  statutory: {}\n  promised: {}\n",
        quote(rng.pick(TIMES)),
        quote(rng.pick(TIMES))
    ));
    if rng.below(3) == 0 {
        y.push_str(&format!(
            "disclosure:\n  public: false\n  ground: 国家秘密\n  reason: {}\n",
            quote(&text(rng))
        ));
    }
    y.push_str(&format!(
        "rights: [{}]\ncomplaints:\n  - channel: {}\n    phone: {}\nsteps:\n",
        quote(&text(rng)),
        quote(&text(rng)),
        quote(&text(rng))
    ));
    for (k, id) in ids.iter().enumerate() {
        y.push_str(&format!(
            "  - id: {}\n    name: {}\n    type: {}\n    owner: {}\n",
            quote(id),
            quote(&text(rng)),
            rng.pick(TYPES),
            quote(&text(rng))
        ));
        if rng.below(2) == 0 {
            y.push_str(&format!("    role: {}\n", rng.pick(ROLES)));
        }
        if rng.below(2) == 0 {
            y.push_str(&format!("    time: {}\n", quote(rng.pick(TIMES))));
        }
        if rng.below(5) == 0 {
            y.push_str(&format!("    not_counted: {}\n", quote(&text(rng))));
        }
        if rng.below(4) == 0 {
            y.push_str(&format!(
                "    risk:\n      level: 高\n      point: {}\n      control: {}\n",
                quote(&text(rng)),
                quote(&text(rng))
            ));
        }
        let edges = rng.below(4);
        if edges > 0 {
            y.push_str("    next:\n");
            for _ in 0..edges {
                let to = if rng.below(8) == 0 {
                    text(rng)
                } else {
                    ids[rng.below(n)].clone()
                };
                y.push_str(&format!("      - to: {}\n", quote(&to)));
                if rng.below(3) > 0 {
                    y.push_str(&format!("        when: {}\n", quote(&text(rng))));
                }
                if rng.below(4) == 0 {
                    y.push_str("        back: true\n");
                }
            }
        }
        let _ = k;
    }
    y.push_str(&format!(
        "supervision:\n  - step: {}\n    by: {}\n    contact: {}\n",
        quote(&ids[rng.below(n)]),
        quote(&text(rng)),
        quote(&text(rng))
    ));
    y
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn random_hostile_graphs_check_and_render_well_formed() {
    let n = cases(1500);
    let mut rng = Lcg(seed());
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        write(
            dir.path(),
            &format!("p{i:05}.yaml"),
            &random_power(&mut rng, i),
        );
    }
    // Checking never panics; every file loads (the text is quoted).
    let (cat, diags) = powerlist::check_catalogue(dir.path()).unwrap();
    assert!(!diags.is_empty());
    assert_eq!(cat.powers().count(), n, "every random power parses");
    let theme = site::Theme::load(dir.path()).unwrap();
    let info = site::SiteInfo {
        title: "t".into(),
        organisation: "o".into(),
        count: None,
        published: Some("2026-01-01".into()),
        approval: Some("<script>\"'".into()),
    };
    for (i, (file, power)) in cat.powers().enumerate() {
        let view = PowerView::of(power);
        let chart = svg::render_view(&view);
        roxmltree::Document::parse(&chart)
            .unwrap_or_else(|e| panic!("{}: SVG is not XML: {e}", file.rel));
        let dot_text = dot::render_view(&view);
        for line in dot_text.lines() {
            let unescaped = line.replace("\\\\", "").replace("\\\"", "");
            assert_eq!(
                unescaped.matches('"').count() % 2,
                0,
                "{}: {line}",
                file.rel
            );
        }
        let record = table::json_item(power, &table::row(power));
        serde_json::from_str::<serde_json::Value>(&record)
            .unwrap_or_else(|e| panic!("{}: JSON: {e}", file.rel));
        let html = theme
            .power(
                &info,
                &view,
                &table::row(power),
                &svg::draw(&view, &Default::default()).size,
            )
            .unwrap();
        let html = String::from_utf8(html).unwrap();
        assert!(
            !html.contains("<script>alert"),
            "{}: raw markup in HTML",
            file.rel
        );
        assert!(
            !chart.contains("<script>alert"),
            "{}: raw markup in SVG",
            file.rel
        );
        // Graphviz accepts what we write (a sample: each run of dot takes time).
        if i < 40 && graphviz().is_some() {
            let out = std::process::Command::new("dot")
                .args(["-Tsvg", "-o", "/dev/null"])
                .stdin(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .and_then(|mut c| {
                    use std::io::Write as _;
                    c.stdin.take().unwrap().write_all(dot_text.as_bytes())?;
                    c.wait_with_output()
                })
                .unwrap();
            assert!(
                out.status.success(),
                "{}: dot rejects it: {}",
                file.rel,
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

fn graphviz() -> Option<()> {
    std::process::Command::new("dot")
        .arg("-V")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| ())
}

/// `n` random mutations of the shipped catalogue's files (also read by the
/// loader's differential test).
pub(crate) fn mutations(n: usize) -> Vec<String> {
    let mut rng = Lcg(seed() ^ 0x5eed);
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue");
    let mut sources: Vec<String> = Vec::new();
    for e in walkdir::WalkDir::new(&shipped).sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "yaml") {
            sources.push(std::fs::read_to_string(e.path()).unwrap());
        }
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let src = &sources[rng.below(sources.len())];
        let mut lines: Vec<String> = src.lines().map(String::from).collect();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(lines.len());
            match rng.below(6) {
                0 => {
                    lines.remove(at);
                }
                1 => {
                    let l = lines[at].clone();
                    lines.insert(at, l);
                }
                2 => {
                    let other = rng.below(lines.len());
                    lines.swap(at, other);
                }
                3 => {
                    let cut = lines[at].chars().count() / 2;
                    lines[at] = lines[at].chars().take(cut).collect();
                }
                4 => lines[at].push_str(rng.pick(HOSTILE)),
                _ => lines.insert(
                    at,
                    format!(
                        "  {}: {}",
                        rng.pick(&["next", "time", "role", "to"]),
                        rng.pick(HOSTILE)
                    ),
                ),
            }
            if lines.is_empty() {
                lines.push(String::new());
            }
        }
        out.push(lines.join("\n"));
    }
    out
}

#[test]
fn random_mutations_of_the_shipped_catalogue_never_panic() {
    let n = cases(1500);
    let dir = tempfile::tempdir().unwrap();
    for (i, text) in mutations(n).iter().enumerate() {
        write(dir.path(), &format!("m{i:05}.yaml"), text);
    }
    let (cat, _) = powerlist::check_catalogue(dir.path()).unwrap();
    assert_eq!(cat.files.len(), n);
    // What parses also draws without panicking.
    for (_, power) in cat.powers() {
        let view = PowerView::of(power);
        let _ = svg::render_view(&view);
        let _ = dot::render_view(&view);
    }
}

/// Pieces of revision strings: git's own syntax, options, paths out of the
/// repository, control characters.
const REVISION_PIECES: &[&str] = &[
    "HEAD",
    "HEAD~1",
    "HEAD~2",
    "HEAD^",
    "HEAD^{tree}",
    "main",
    "@",
    "HEAD@{1}",
    "HEAD@{0}",
    "main@{1}",
    "@{-1}",
    "@{upstream}",
    "HEAD@{yesterday}",
    "HEAD~99",
    "no-such-branch",
    "refs/heads/main",
    "..",
    "...",
    "HEAD..main",
    ":/v1",
    "-",
    "--",
    "--output=SENTINEL/x",
    "-oSENTINEL/y",
    "--remote=.",
    "--exec=touch SENTINEL/z",
    "--format=zip",
    "-v",
    "\u{1b}[2J",
    "\u{7}",
    "\r",
    "\n::error::x",
    "\t",
    "\u{7f}",
    "\u{85}",
    " ",
    "😀",
    "审查",
    "%0A",
];

const PATH_PIECES: &[&str] = &[
    "catalogue",
    "catalogue/",
    "./catalogue",
    "catalogue/yingji",
    "catalogue/yingji/wuzi-diaobo.yaml",
    "catalogue/../catalogue",
    "",
    "..",
    "../..",
    "/etc",
    "nowhere",
    "SENTINEL",
    "catalogue\u{1b}[2J",
];

/// Every file below `dir` with its bytes.
fn tree_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let bytes = if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            (e.path().display().to_string(), bytes)
        })
        .collect();
    out.sort();
    out
}

fn random_revision(rng: &mut Lcg, sentinel: &str) -> String {
    let mut s: String = match rng.below(12) {
        0 => "x".repeat(1 + rng.below(20_000)),
        1 => format!("HEAD{}", "~1".repeat(1 + rng.below(3_000))),
        2 | 3 => format!(
            "{}:catalogue",
            rng.pick(&["HEAD", "HEAD~1", "HEAD~2", "main", "HEAD@{1}", "HEAD^"])
        ),
        _ => (0..1 + rng.below(3))
            .map(|_| rng.pick(REVISION_PIECES))
            .collect(),
    };
    match rng.below(6) {
        _ if s.ends_with(":catalogue") => {}
        0 => {}
        1 => {
            s.push(':');
            s.push_str(&text(rng));
        }
        _ => {
            s.push(':');
            s.push_str(rng.pick(PATH_PIECES));
        }
    }
    if rng.below(10) == 0 {
        s = rng.pick(PATH_PIECES).to_string();
    }
    s.replace("SENTINEL", sentinel).replace('\0', "")
}

/// `diff` on random revision strings against a small repository holding a
/// non-public power with a marker: no crash, nothing written outside its
/// temporary folder (which it removes), no raw control character on the
/// terminal, and the marker only where `--internal` legitimately reports the
/// non-public power.
#[test]
fn random_revisions_never_crash_leak_or_write() {
    const MARKER: &str = "内部标记7F3A";
    const SECRET_CODE: &str = "YJ-QT-0001";
    let n = cases(1500) / 5;
    let mut rng = Lcg(seed() ^ 0xd1ff);
    let tmp = tempfile::tempdir().unwrap();
    let repo = crate::diff::small_repo(tmp.path());
    let secret = repo.join("catalogue/yingji/wuzi-diaobo.yaml");
    let text = std::fs::read_to_string(&secret).unwrap();
    std::fs::write(
        &secret,
        text.replacen(
            "name: 县级救灾物资紧急调拨",
            &format!("name: 县级救灾物资紧急调拨{MARKER}"),
            1,
        ),
    )
    .unwrap();
    crate::diff::git(&repo, &["commit", "-q", "-am", "v3"]);
    let sentinel = tmp.path().join("sentinel");
    std::fs::create_dir_all(&sentinel).unwrap();
    std::fs::write(sentinel.join("keep.txt"), "keep").unwrap();
    let temp = tmp.path().join("t");
    std::fs::create_dir_all(&temp).unwrap();
    let before = tree_of(&sentinel);
    let repo_before = tree_of(&repo.join("catalogue"));
    let s = sentinel.display().to_string();
    let (mut read, mut shown) = (0, 0);
    for i in 0..n {
        let old = random_revision(&mut rng, &s);
        let new = match rng.below(4) {
            0 => "catalogue".to_string(),
            1 => "HEAD:catalogue".to_string(),
            _ => random_revision(&mut rng, &s),
        };
        let format = rng.pick(&["human", "markdown", "json", "csv"]);
        let internal = rng.below(2) == 0;
        let mut args = vec!["diff", "--format", format];
        if internal {
            args.push("--internal");
        }
        args.extend(["--", old.as_str(), new.as_str()]);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_powerlist"))
            .args(&args)
            .current_dir(&repo)
            .env("NO_COLOR", "1")
            .env("TMPDIR", &temp)
            .output()
            .unwrap();
        let case = format!("case {i}: {args:?}");
        let code = o.status.code();
        assert!(matches!(code, Some(0..=2)), "{case}: exit {code:?}");
        read += usize::from(code == Some(0));
        let (out, err) = (
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr),
        );
        assert!(!out.contains(['\u{1b}', '\u{7}']), "{case}: {out:?}");
        assert!(!err.contains(['\u{1b}', '\u{7}', '\r']), "{case}: {err:?}");
        assert!(!err.lines().any(|l| l.starts_with("::")), "{case}: {err:?}");
        assert!(err.lines().count() <= 1, "{case}: {err:?}");
        if out.contains(MARKER) || err.contains(MARKER) {
            assert!(
                internal && code == Some(0) && out.contains(SECRET_CODE),
                "{case}: the marker leaked: {out} {err}"
            );
            shown += 1;
        }
        assert_eq!(tree_of(&sentinel), before, "{case}: wrote outside");
        let left: Vec<_> = std::fs::read_dir(&temp).unwrap().collect();
        assert!(left.is_empty(), "{case}: left {left:?}");
    }
    assert_eq!(tree_of(&repo.join("catalogue")), repo_before);
    // Not only refusals: some of the strings name real revisions.
    assert!(
        read * 10 >= n && shown > 0,
        "{read} of {n} read, {shown} shown"
    );
    // The legitimate case happens: the non-public power's change, with --internal.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_powerlist"))
        .args(["diff", "HEAD~1:catalogue", "HEAD:catalogue", "--internal"])
        .current_dir(&repo)
        .env("TMPDIR", &temp)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(MARKER) && out.contains(SECRET_CODE), "{out}");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_powerlist"))
        .args(["diff", "HEAD~1:catalogue", "HEAD:catalogue"])
        .current_dir(&repo)
        .env("TMPDIR", &temp)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&o.stdout).contains(MARKER));
}
