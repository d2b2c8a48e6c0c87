//! `build` and `export` end to end: the site's layout, what never leaks, escaping
//! in every format, determinism, and that a failed build loses nothing.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cli::{code, powerlist, stderr, stdout, write};
use crate::fixtures;

pub fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file under `dir`: relative path → bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// The text of a file as a reader gets it: xlsx entries unzipped.
fn readable(rel: &str, bytes: &[u8]) -> String {
    if rel.ends_with(".xlsx") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("xlsx is a zip");
        let mut text = String::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            text.push_str(f.name());
            f.read_to_string(&mut text).unwrap();
        }
        text
    } else {
        String::from_utf8(bytes.to_vec()).expect("text output is UTF-8")
    }
}

fn build(cat: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", s(cat), "-o", s(out)];
    args.extend_from_slice(extra);
    powerlist(&args)
}

#[test]
fn the_shipped_site_has_every_part() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let internal = tmp.path().join("internal");
    let o = build(&shipped(), &out, &["--internal", s(&internal)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("13 项公开职权"), "{}", stdout(&o));
    let all = files(&out);
    let inner = files(&internal);
    let cat = powerlist::load::load_catalogue(&shipped()).unwrap();
    let mut public = 0;
    for (_, p) in cat.powers() {
        let c = p.code();
        if p.is_public() {
            public += 1;
            for f in [
                format!("powers/{c}.html"),
                format!("flowcharts/{c}.svg"),
                format!("flowcharts/{c}.dot"),
            ] {
                assert!(all.contains_key(&f), "missing {f}");
            }
            let page = readable("", &all[&format!("powers/{c}.html")]);
            assert!(page.contains("<svg"), "the flowchart is inline");
            assert!(page.contains(&format!("../flowcharts/{c}.svg")));
        } else {
            assert!(inner.contains_key(&format!("flowcharts/{c}.svg")));
            assert!(readable("", &inner["index.html"]).contains(c));
            assert!(!all.keys().any(|k| k.contains(c)), "not in the site");
        }
    }
    assert_eq!(public, 13);
    for f in [
        "index.html",
        "catalogue.csv",
        "catalogue.xlsx",
        "catalogue.json",
        "assets/style.css",
        "assets/search.js",
        ".powerlist-site",
    ] {
        assert!(all.contains_key(f), "missing {f}");
    }

    let csv = &all["catalogue.csv"];
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "CSV has a BOM for Excel");
    let mut r = csv::Reader::from_reader(&csv[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        powerlist::model::columns::Column::default_columns()
            .map(|c| c.header())
            .collect::<Vec<_>>()
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 13);
    assert_eq!(&rows[0][0], "1");
    assert_eq!(&rows[0][4], "行政许可", "rows ordered by category");

    let json: Value = serde_json::from_slice(&all["catalogue.json"]).unwrap();
    assert_eq!(json["count"], 13);
    assert_eq!(json["powers"].as_array().unwrap().len(), 13);

    let xlsx = readable("catalogue.xlsx", &all["catalogue.xlsx"]);
    assert!(xlsx.contains("社会团体成立登记") && xlsx.contains("职权目录"));

    let index = readable("", &all["index.html"]);
    assert!(index.contains("按职权类别") && index.contains("按实施主体"));
    assert!(
        index.contains("行政给付 <span class=\"count\" data-total=\"6\">6 项</span>"),
        "group counts"
    );
}

#[test]
fn non_public_powers_never_leak() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    copy_dir(&shipped(), &cat);
    write(
        &cat,
        "secret/canary.yaml",
        r#"code: SECRET-CANARY-9
name: 金丝雀专项核查
category: 行政检查
department: 示范县应急管理局
office: 保密股
responsible: 保密股股长
source: 法定
basis:
  - law: 中华人民共和国保守国家秘密法
    level: 法律
    article: 第二条
time_limit:
  promised: 5个工作日
disclosure:
  public: false
  ground: 国家秘密
  reason: 涉及国家秘密的金丝雀理由
rights: [陈述, 申辩]
complaints:
  - channel: 县保密局
steps:
  - id: start
    name: 金丝雀启动
    type: start
    owner: 保密股
    next: check
  - id: check
    name: 金丝雀检查
    owner: 保密股
    time: 5个工作日
    next: done
  - id: done
    name: 金丝雀归档
    type: end
    owner: 保密股
"#,
    );
    let loaded = powerlist::load::load_catalogue(&cat).unwrap();
    let mut secrets: Vec<String> = vec!["金丝雀".into(), "保密股".into()];
    for (_, p) in loaded.powers().filter(|(_, p)| !p.is_public()) {
        secrets.push(p.code().to_string());
        secrets.push(p.name().to_string());
        let reason = &p
            .disclosure
            .as_ref()
            .unwrap()
            .value
            .reason
            .as_ref()
            .unwrap()
            .value;
        secrets.push(reason.clone());
    }
    assert!(secrets.len() >= 8, "two non-public powers in the catalogue");

    for internal in [false, true] {
        let out = tmp.path().join(format!("site-{internal}"));
        let idir = tmp.path().join(format!("internal-{internal}"));
        let with_internal = ["--internal", s(&idir)];
        let o = build(&cat, &out, if internal { &with_internal } else { &[] });
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let all = files(&out);
        assert_eq!(idir.exists(), internal);
        for (rel, bytes) in &all {
            let text = readable(rel, bytes);
            for secret in &secrets {
                assert!(
                    !rel.contains(secret.as_str()),
                    "{rel}: a file is named after {secret}"
                );
                assert!(!text.contains(secret.as_str()), "{rel} leaks {secret}");
            }
        }
        if internal {
            let inner = files(&idir);
            let list = readable("", &inner["index.html"]);
            assert!(list.contains("SECRET-CANARY-9") && list.contains("涉及国家秘密的金丝雀理由"));
            assert!(inner.contains_key("flowcharts/SECRET-CANARY-9.svg"));
            assert!(inner.contains_key("flowcharts/SECRET-CANARY-9.dot"));
        }
        // The internal list is refused inside the site folder (SPEC §4).
        let inside = out.join("internal");
        let o = build(&cat, &out, &["--internal", s(&inside)]);
        assert_eq!(code(&o), 2, "{}", stderr(&o));
        assert!(stderr(&o).contains("站点目录"), "{}", stderr(&o));
    }
    let o = powerlist(&["export", s(&cat), "--format", "json"]);
    assert_eq!(code(&o), 0);
    for secret in &secrets {
        assert!(
            !stdout(&o).contains(secret.as_str()),
            "export leaks {secret}"
        );
    }
}

#[test]
fn hostile_text_is_inert_in_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&fixtures().join("hostile"), &out, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let all = files(&out);
    let raw_name = "<script>alert('名')</script> & \"引号\" \\ 反斜杠\n第二行 \\n 不是换行";

    let group_page = all
        .keys()
        .find(|k| k.starts_with("categories/"))
        .expect("a category page")
        .clone();
    for page in ["index.html", group_page.as_str(), "powers/EVIL-0001.html"] {
        let text = readable(page, &all[page]);
        // Our pages are well-formed XML as well as HTML: a stray `<` or quote would break it.
        let doc = roxmltree::Document::parse_with_options(
            &text,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{page} is not well-formed: {e}"));
        let scripts: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("script"))
            .collect();
        // The index loads the search; a power page has one inline script of
        // ours (a wide chart opens on its first step), written by no one else.
        let ours = usize::from(page == "index.html" || page.starts_with("powers/"));
        assert_eq!(scripts.len(), ours, "{page}: only our own scripts");
        for sc in scripts {
            if page == "index.html" {
                assert_eq!(sc.attribute("src"), Some("assets/search.js"));
            } else {
                let code = sc.text().unwrap_or_default();
                assert!(
                    sc.attribute("src").is_none() && code.contains("chart-scroll"),
                    "{code}"
                );
                assert!(!code.contains("alert"), "{code}");
            }
        }
        assert!(doc
            .descendants()
            .all(|n| !n.has_tag_name("img") && !n.has_tag_name("b")));
        assert!(doc
            .descendants()
            .flat_map(|n| n.attributes())
            .all(|a| !a.name().to_ascii_lowercase().starts_with("on")));
        let texts: String = doc.descendants().filter_map(|n| n.text()).collect();
        // The front page names no power; its department list does name the department.
        assert!(
            page == "index.html" || texts.contains("<script>alert('名')</script>"),
            "{page}: the name arrives as text"
        );
        assert!(
            texts.contains("</td><td>&amp; \"部门\""),
            "{page}: the department arrives as text"
        );
    }
    let svg = readable("", &all["flowcharts/EVIL-0001.svg"]);
    roxmltree::Document::parse(&svg).expect("SVG is well-formed");

    // The search data is one JavaScript assignment of a JSON array: the text
    // arrives whole and as a string, never as code.
    let data = readable("", &all["search-data.js"]);
    let json = data
        .strip_prefix("window.POWERLIST_INDEX = ")
        .and_then(|d| d.trim_end().strip_suffix(';'))
        .expect("one assignment");
    let entries: Value = serde_json::from_str(json).expect("the data is JSON");
    assert_eq!(entries[0][1], raw_name);

    let csv = &all["catalogue.csv"];
    let mut r = csv::Reader::from_reader(&csv[3..]);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let name_at = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "职权名称")
        .unwrap();
    assert_eq!(&rows[0][name_at], raw_name, "CSV keeps the text exactly");

    let json: Value = serde_json::from_slice(&all["catalogue.json"]).unwrap();
    assert_eq!(json["powers"][0]["name"], raw_name);
    assert_eq!(json["powers"][0]["steps"][0]["id"], "a\"b");

    let xlsx = readable("catalogue.xlsx", &all["catalogue.xlsx"]);
    assert!(
        xlsx.contains("&lt;script&gt;alert('名')&lt;/script&gt;"),
        "xlsx XML escapes the text"
    );
}

#[test]
fn categories_written_as_codes_group_with_their_names() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    copy_dir(&shipped(), &cat);
    let path = cat.join("minzheng/jiehun.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("category: 行政确认"));
    std::fs::write(&path, text.replace("category: 行政确认", "category: QR")).unwrap();
    let out = tmp.path().join("site");
    assert_eq!(code(&build(&cat, &out, &[])), 0);
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("行政确认 <span class=\"count\" data-total=\"3\">3 项</span>"));
    assert!(!index.contains(">QR<"), "no separate group for the code");
    let csv = std::fs::read_to_string(out.join("catalogue.csv")).unwrap();
    assert!(!csv.contains(",QR,"));
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let (ia, ib) = (tmp.path().join("ia"), tmp.path().join("ib"));
    assert_eq!(code(&build(&shipped(), &a, &["--internal", s(&ia)])), 0);
    assert_eq!(code(&build(&shipped(), &b, &["--internal", s(&ib)])), 0);
    assert_eq!(
        files(&ia),
        files(&ib),
        "the internal list is deterministic too"
    );
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (rel, bytes) in &fa {
        assert!(bytes == &fb[rel], "{rel} differs between two builds");
    }
}

#[test]
fn a_build_held_on_disk_is_the_build_held_in_memory() {
    // Beyond its memory budget a build holds each power's figure, 责任事项
    // and JSON record in the staging folder: a budget of 0 holds all there.
    let tmp = tempfile::tempdir().unwrap();
    let (mem, disk) = (tmp.path().join("mem"), tmp.path().join("disk"));
    assert_eq!(code(&build(&shipped(), &mem, &[])), 0);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_powerlist"))
        .args(["build", s(&shipped()), "-o", s(&disk)])
        .env("POWERLIST_HOLD_BYTES", "0")
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let (a, b) = (files(&mem), files(&disk));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (rel, bytes) in &a {
        assert!(bytes == &b[rel], "{rel} differs when held on disk");
    }
    assert!(a.keys().any(|k| k == "print.html") && a.keys().any(|k| k == "catalogue.json"));
    assert!(
        !disk.join(".held").exists(),
        "the spilled files are removed"
    );
}

#[test]
fn rebuilding_replaces_the_whole_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert_eq!(code(&build(&shipped(), &out, &[])), 0);
    write(&out, "stale.html", "old");
    let o = build(&shipped(), &out, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!out.join("stale.html").exists());
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["site"], "no staging folder is left behind");
}

#[test]
fn a_build_that_fails_midway_leaves_the_previous_site() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    copy_dir(&shipped(), &cat);
    let out = tmp.path().join("site");
    assert_eq!(code(&build(&cat, &out, &[])), 0);
    let before = files(&out);
    // A page template that breaks on one power: the build has written other pages by then.
    write(
        &cat,
        "templates/power.html",
        "{% extends \"base.html\" %}{% block main %}{% if power.code == \"RS-JF-0001\" %}{{ no_such.value }}{% endif %}{{ power.name }}{% endblock main %}",
    );
    let o = build(&cat, &out, &[]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    let err = stderr(&o);
    // The catalogue's two warnings come first; the failure is one line.
    let failure: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("powerlist：错误"))
        .collect();
    assert_eq!(failure.len(), 1, "{err}");
    assert!(
        failure[0].contains("power.html") && failure[0].contains("保持不变"),
        "{err}"
    );
    assert_eq!(files(&out), before, "the previous site is untouched");
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "only cat and site remain: {left:?}");
}

#[test]
fn refuses_to_replace_what_it_did_not_make() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("docs");
    write(&out, "keep.txt", "mine");
    let o = build(&shipped(), &out, &[]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("拒绝替换"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "mine"
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);

    let file = tmp.path().join("file.html");
    std::fs::write(&file, "x").unwrap();
    assert_eq!(code(&build(&shipped(), &file, &[])), 2);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");

    // An empty folder is fine to fill.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert_eq!(code(&build(&shipped(), &empty, &[])), 0);

    // A site folder that holds the catalogue is never swapped away.
    let cat = empty.join("cat");
    copy_dir(&shipped(), &cat);
    let o = build(&cat, &empty, &[]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("包含职权目录本身"), "{}", stderr(&o));
    assert!(cat.join("powerlist.toml").exists());
}

#[test]
fn refuses_a_catalogue_with_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = powerlist(&["build", "examples/dead-end", "-o", s(&out)]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(err.contains("dead-end") && err.contains("已拒绝"), "{err}");
    assert!(!out.exists(), "nothing written");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    let o = powerlist(&["export", "examples/dead-end", "--format", "csv"]);
    assert_eq!(code(&o), 1);
    assert!(o.stdout.is_empty());
}

fn book_unchanged(out: &Path, book: &str) -> bool {
    std::fs::read_to_string(out.join("print.html")).is_ok_and(|b| b == book)
}

#[test]
fn templates_are_overridden_file_by_file() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    copy_dir(&shipped(), &cat);
    write(
        &cat,
        "templates/index.html",
        "{% extends \"base.html\" %}{% block main %}<p id=\"custom\">自定义首页 {{ site.count }} 项</p>{% endblock main %}",
    );
    write(&cat, "templates/style.css", "body { color: #123456; }\n");
    let out = tmp.path().join("site");
    let o = build(&cat, &out, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("index.html, style.css"),
        "{}",
        stdout(&o)
    );
    let all = files(&out);
    assert!(readable("", &all["index.html"]).contains("<p id=\"custom\">自定义首页 13 项</p>"));
    assert_eq!(
        readable("", &all["assets/style.css"]),
        "body { color: #123456; }\n"
    );
    // Files not overridden stay the built-in ones.
    assert!(readable("", &all["powers/MZ-XK-0001.html"]).contains("权力运行流程图"));
    assert!(readable("", &all["assets/search.js"]).contains("search-data.js"));
    // The default book is on A4: a tall chart is printed in parts, each an
    // inline SVG (an SVG drawn as an image prints Kangxi radicals); the first
    // holds the chart, the second shows it by reference, so it is there once.
    let book = readable("", &all["print.html"]);
    assert_eq!(
        book.matches("id=\"pl-arrow-MZ-QR-0002-").count(),
        1,
        "MZ-QR-0002's chart is in the book once"
    );
    assert_eq!(
        book.matches("<use href=\"#pl-fig-MZ-QR-0002-\"/>").count(),
        1,
        "and prints in two parts"
    );
    assert!(!book.contains("<image") && !book.contains("<img"));

    // The book's frame and its sections are templates of their own; a frame
    // that does not say where the powers go is an error, not a book without them.
    write(
        &cat,
        "templates/print-power.html",
        "<section id=\"{{ p.code }}\">{{ p.no }}. {{ p.name }}</section>\n",
    );
    let o = build(&cat, &out, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let book = std::fs::read_to_string(out.join("print.html")).unwrap();
    assert!(book.contains("<section id=\"MZ-XK-0001\">1. 社会团体成立登记</section>"));
    assert!(book.trim_end().ends_with("</html>"));
    write(&cat, "templates/print.html", "<h1>{{ site.title }}</h1>");
    let o = build(&cat, &out, &[]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("{{ powers | safe }}"), "{}", stderr(&o));
    assert!(book_unchanged(&out, &book));
    std::fs::remove_file(cat.join("templates/print.html")).unwrap();

    write(&cat, "templates/index.html", "{% if %}");
    let o = build(&cat, &out, &[]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("模板"), "{}", stderr(&o));
}

#[test]
fn export_writes_each_table() {
    let tmp = tempfile::tempdir().unwrap();
    let o = powerlist(&["export", "--format", "csv"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        o.stdout
            .starts_with(b"\xEF\xBB\xBF\xE5\xBA\x8F\xE5\x8F\xB7"),
        "BOM then 序号"
    );

    let json = tmp.path().join("list.json");
    assert_eq!(
        code(&powerlist(&["export", "--format", "json", "-o", s(&json)])),
        0
    );
    let v: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["count"], 13);

    let xlsx = tmp.path().join("list.xlsx");
    assert_eq!(
        code(&powerlist(&["export", "--format", "xlsx", "-o", s(&xlsx)])),
        0
    );
    let bytes = std::fs::read(&xlsx).unwrap();
    assert!(readable("list.xlsx", &bytes).contains("城乡最低生活保障对象认定"));

    // The export is the site's table, byte for byte.
    let out = tmp.path().join("site");
    assert_eq!(code(&build(&shipped(), &out, &[])), 0);
    assert_eq!(std::fs::read(out.join("catalogue.xlsx")).unwrap(), bytes);
    assert_eq!(std::fs::read(out.join("catalogue.csv")).unwrap(), o.stdout);
}

/// The benchmark generator (examples/gen.rs), built by `cargo test` beside this binary.
fn generator() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap().join("examples");
    dir.join(format!("gen{}", std::env::consts::EXE_SUFFIX))
}

#[test]
fn generated_catalogues_check_clean_and_build() {
    let tmp = tempfile::tempdir().unwrap();
    let gen = generator();
    assert!(
        gen.exists(),
        "cargo test builds examples/gen: {}",
        gen.display()
    );
    for (dir, seed) in [("a", "3"), ("b", "3"), ("c", "11")] {
        let out = std::process::Command::new(&gen)
            .args(["400", s(&tmp.path().join(dir)), "--seed", seed])
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    assert_eq!(
        files(&tmp.path().join("a")),
        files(&tmp.path().join("b")),
        "same seed, same catalogue"
    );
    for dir in ["a", "c"] {
        let o = powerlist(&["check", s(&tmp.path().join(dir)), "--format", "json"]);
        assert_eq!(code(&o), 0);
        assert_eq!(
            stdout(&o).trim(),
            "[]",
            "a generated catalogue checks clean"
        );
    }
    let out = tmp.path().join("site");
    let idir = tmp.path().join("internal");
    let o = build(&tmp.path().join("c"), &out, &["--internal", s(&idir)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let all = files(&out);
    let json: Value = serde_json::from_slice(&all["catalogue.json"]).unwrap();
    let public = json["count"].as_u64().unwrap() as usize;
    let hidden = files(&idir)
        .keys()
        .filter(|k| k.starts_with("flowcharts/") && k.ends_with(".svg"))
        .count();
    assert_eq!(public + hidden, 400);
    assert!(hidden > 0, "the generator writes some non-public powers");
    assert_eq!(
        all.keys().filter(|k| k.starts_with("powers/")).count(),
        public
    );
    for (i, p) in json["powers"].as_array().unwrap().iter().enumerate() {
        assert_eq!(p["no"], i + 1, "records in table order, numbered");
    }
    // The front page lists no power (at 10,000 powers it is 27 KB; it was 7 MB);
    // every power is on its category's and its department's page and in the
    // search data, once each.
    let index = readable("", &all["index.html"]);
    assert!(!index.contains("powers/"), "the front page lists no power");
    assert!(index.len() < 64 * 1024, "{} bytes", index.len());
    for dir in ["categories/", "departments/"] {
        let listed: usize = all
            .iter()
            .filter(|(k, _)| k.starts_with(dir))
            .map(|(_, v)| readable("", v).matches("<tr class=\"power\"").count())
            .sum();
        assert_eq!(listed, public, "{dir}: every public power once");
    }
    let data = readable("", &all["search-data.js"]);
    assert_eq!(
        data.lines().count(),
        public + 2,
        "one search entry per power"
    );
}

#[test]
fn a_cell_longer_than_excel_allows_is_cut_in_the_workbook_only() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    copy_dir(&shipped(), &cat);
    let file = cat.join("minzheng/dibao.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let long = "条".repeat(40_000);
    let text = text.replacen(
        "conditions:\n",
        &format!("conditions:\n  - \"{long}\"\n"),
        1,
    );
    std::fs::write(&file, text).unwrap();
    let out = tmp.path().join("site");
    let o = build(&cat, &out, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let all = files(&out);
    let xlsx = readable("catalogue.xlsx", &all["catalogue.xlsx"]);
    assert!(
        xlsx.contains("超出 Excel 单元格字数上限"),
        "the cut is marked"
    );
    let csv = readable("catalogue.csv", &all["catalogue.csv"]);
    assert!(csv.contains(&long), "the CSV keeps the whole text");
    let o = powerlist(&[
        "export",
        s(&cat),
        "--format",
        "xlsx",
        "-o",
        s(&tmp.path().join("t.xlsx")),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn writes_never_follow_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside.txt");
    std::fs::write(&outside, "keep me").unwrap();
    // export: a planted temporary link next to the output.
    let out = tmp.path().join("t.csv");
    std::os::unix::fs::symlink(&outside, tmp.path().join(".t.csv.powerlist-tmp")).unwrap();
    let o = powerlist(&["export", s(&shipped()), "--format", "csv", "-o", s(&out)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep me");
    assert!(std::fs::read(&out).unwrap().starts_with(b"\xEF\xBB\xBF"));
    // import: a link (dangling or not) where a power's file goes.
    let dir = tmp.path().join("imported");
    std::fs::create_dir(&dir).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("MZ-JF-0001.yaml")).unwrap();
    let gone = tmp.path().join("would-be-created.yaml");
    std::os::unix::fs::symlink(&gone, dir.join("MZ-JF-0002.yaml")).unwrap();
    for force in [false, true] {
        let mut args = vec!["import", s(&out), "-o", s(&dir)];
        if force {
            args.push("--force");
        }
        let o = powerlist(&args);
        assert_eq!(code(&o), 1, "links are reported as rows not imported");
        assert!(stderr(&o).contains("符号链接"), "{}", stderr(&o));
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep me");
        assert!(!gone.exists(), "nothing written out of the folder");
    }
}

#[test]
fn hostile_templates_end_in_one_line_and_publish_nothing_outside() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    copy_dir(&shipped(), &cat);
    let attempt = |name: &str, text: Option<&str>, link: Option<&Path>| {
        let dir = cat.join("templates");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        if let Some(t) = text {
            std::fs::write(dir.join(name), t).unwrap();
        }
        #[cfg(unix)]
        if let Some(l) = link {
            std::os::unix::fs::symlink(l, dir.join(name)).unwrap();
        }
        let out = tmp.path().join(format!("site-{name}"));
        let o = build(&cat, &out, &[]);
        (code(&o), stderr(&o), out)
    };
    std::env::set_var("POWERLIST_TEST_SECRET", "s3cr3t-value");
    for (name, text) in [
        ("index.html", "{{ get_env(name=\"POWERLIST_TEST_SECRET\") }}"),
        ("index.html", "{% for i in range(end=2000000000) %}x{% endfor %}"),
        ("macros.html", "{% macro table(powers, other) %}{{ self::table(powers=powers, other=other) }}{% endmacro table %}"),
        ("power.html", "{% include \"power.html\" %}"),
    ] {
        let (c, err, out) = attempt(name, Some(text), None);
        assert_eq!(c, 2, "{name}: {text}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(!out.exists(), "nothing published");
    }
    #[cfg(unix)]
    {
        let secret = tmp.path().join("secret.txt");
        std::fs::write(&secret, "outside the catalogue").unwrap();
        let (c, err, out) = attempt("style.css", None, Some(&secret));
        assert_eq!(c, 2, "{err}");
        assert!(!out.exists());
    }
}

#[test]
fn one_build_per_folder_and_leftovers_of_a_killed_build_are_cleared() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    // Another build holds the folder: this one refuses, touching nothing.
    let lock = std::fs::File::create(tmp.path().join(".site.powerlist-lock")).unwrap();
    lock.try_lock().unwrap();
    let o = build(&shipped(), &out, &[]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("另一个 powerlist build"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
    drop(lock);
    assert_eq!(code(&build(&shipped(), &out, &[])), 0);
    // A build killed after creating its staging folder, before marking it.
    std::fs::create_dir(tmp.path().join(".site.powerlist-new")).unwrap();
    // A build killed while removing the old site: the marker is removed last.
    let old = tmp.path().join(".site.powerlist-old");
    std::fs::create_dir_all(old.join("powers")).unwrap();
    std::fs::write(old.join("powers/x.html"), "x").unwrap();
    std::fs::write(old.join(".powerlist-site"), "marker").unwrap();
    let o = build(&shipped(), &out, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!old.exists() && !tmp.path().join(".site.powerlist-new").exists());
    // What is not ours is never removed.
    std::fs::create_dir_all(old.join("mine")).unwrap();
    let o = build(&shipped(), &out, &[]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(old.join("mine").exists());
    assert!(
        !tmp.path().join(".site.powerlist-new").exists(),
        "the refused build leaves no staging folder"
    );
}

#[test]
fn two_builds_at_once_never_publish_a_half_written_site() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    let o = std::process::Command::new(generator())
        .args(["600", s(&cat)])
        .output()
        .unwrap();
    assert!(o.status.success());
    let out = tmp.path().join("site");
    for _ in 0..3 {
        let spawn = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_powerlist"))
                .args(["build", s(&cat), "-o", s(&out)])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let codes = [a.status.code().unwrap(), b.status.code().unwrap()];
        assert!(codes.contains(&0), "{codes:?}");
        for o in [&a, &b] {
            if o.status.code() == Some(2) {
                assert!(
                    String::from_utf8_lossy(&o.stderr).contains("build"),
                    "refused with a reason"
                );
            }
        }
        // Whatever happened, the folder holds one whole site.
        assert!(out.join(".powerlist-site").is_file(), "the site is marked");
        let powers = std::fs::read_dir(out.join("powers")).unwrap().count();
        let json: Value =
            serde_json::from_slice(&std::fs::read(out.join("catalogue.json")).unwrap()).unwrap();
        assert_eq!(
            powers as u64,
            json["count"].as_u64().unwrap(),
            "every page written"
        );
    }
}

#[test]
fn drafts_are_never_published_and_pages_say_what_they_know() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    copy_dir(&shipped(), &cat);
    let out = tmp.path().join("site");
    assert_eq!(code(&build(&cat, &out, &[])), 0);
    let before = files(&out);
    // Pages are drawn before the list is complete: no count rather than 「共 0 项」.
    let page = readable("", &before["powers/MZ-JF-0001.html"]);
    assert!(!page.contains("共 0 项"), "a wrong count on a page");
    // A limit the law does not set is said so, not left blank or 「无」.
    assert!(
        page.contains("法律法规未规定"),
        "the page names the missing statutory limit"
    );
    // Citizens get the chart, not Graphviz source.
    assert!(!page.contains("Graphviz DOT"));
    // Anchors come from names, not positions.
    let index = readable("", &before["index.html"]);
    assert!(!index.contains("id=\"cat-1\"") && !index.contains("href=\"#dept-1\""));
    assert!(index.contains("id=\"cat-") && index.contains("id=\"dept-"));

    // A draft (a power written by `new`) stops build and export, naming it.
    let o = powerlist(&[
        "new",
        "--category",
        "XK",
        "--code",
        "DRAFT-1",
        "--name",
        "草稿",
        "-o",
        s(&cat.join("draft.yaml")),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = build(&cat, &out, &[]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("草稿不发布") && stderr(&o).contains("draft.yaml"),
        "{}",
        stderr(&o)
    );
    assert_eq!(files(&out), before, "the previous site stays");
    let o = powerlist(&["export", s(&cat), "--format", "csv"]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).is_empty(), "no table");
}

/// The workbook a 编办 takes as is, and `[export.columns]` to fit its template.
#[test]
fn the_workbook_has_title_rows_numbers_and_fits_one_page_wide() {
    use calamine::{Data, Reader as _};
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    copy_dir(&shipped(), &cat);
    let settings = cat.join("powerlist.toml");
    let mut toml = std::fs::read_to_string(&settings).unwrap();
    toml = toml.replacen(
        "[rules]",
        "published = \"2026-12-01\"\napproval = \"示府发〔2026〕9号\"\npaper = \"A3\"\n\n\
         [export.columns]\n\"序号\" = \"序号\"\n\"项目名称\" = \"职权名称\"\n\
         \"实施机关\" = \"实施主体\"\n\"公开时限\" = \"公开时间\"\n\"备注\" = \"备注\"\n\n[rules]",
        1,
    );
    std::fs::write(&settings, toml).unwrap();
    let dibao = cat.join("minzheng/dibao.yaml");
    let text = std::fs::read_to_string(&dibao).unwrap();
    let text =
        text.replacen("  scope:", "  time: 长期公开\n  scope:", 1) + "note: 含城市和农村低保\n";
    std::fs::write(&dibao, text).unwrap();

    let out = tmp.path().join("site");
    let o = build(&cat, &out, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    let mut book: calamine::Xlsx<_> = calamine::open_workbook(out.join("catalogue.xlsx")).unwrap();
    let sheet = book.worksheet_range("职权目录").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[0][0], Data::String("示范县行政职权目录".into()));
    let byline = rows[1][0].to_string();
    assert!(byline.contains("填报单位：示范县人民政府"), "{byline}");
    assert!(byline.contains("批准文号：示府发〔2026〕9号"), "{byline}");
    assert!(byline.contains("公开日期：2026年12月1日"), "{byline}");
    // The template's headers, in its order, and nothing else.
    let header: Vec<String> = rows[2].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, ["序号", "项目名称", "实施机关", "公开时限", "备注"]);
    assert_eq!(rows.len(), 3 + 13);
    for (i, r) in rows[3..].iter().enumerate() {
        assert_eq!(r[0], Data::Float((i + 1) as f64), "序号 is a number");
    }
    let dibao_row = rows
        .iter()
        .find(|r| r[1] == Data::String("城乡最低生活保障对象认定".into()))
        .unwrap();
    assert_eq!(dibao_row[3].to_string(), "长期公开");
    assert_eq!(dibao_row[4].to_string(), "含城市和农村低保");

    // Page setup: landscape, A3 (code 8), one page wide, header row repeated.
    let zip = readable(
        "catalogue.xlsx",
        &std::fs::read(out.join("catalogue.xlsx")).unwrap(),
    );
    assert!(
        zip.contains("<pageSetUpPr fitToPage=\"1\"/>"),
        "fit to page"
    );
    assert!(
        zip.contains("fitToHeight=\"0\""),
        "one page wide, any pages tall"
    );
    assert!(zip.contains("orientation=\"landscape\""));
    assert!(zip.contains("paperSize=\"8\""), "A3");
    assert!(zip.contains("职权目录!$3:$3"), "header repeated on print");
    assert!(zip.contains("宋体"), "a CJK font");

    // The CSV takes the same columns; the index shows the metadata.
    let csv = std::fs::read_to_string(out.join("catalogue.csv")).unwrap();
    assert!(
        csv.starts_with("\u{feff}序号,项目名称,实施机关,公开时限,备注\r\n"),
        "{csv}"
    );
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("批准文号：示府发〔2026〕9号"));
    assert!(index.contains("<time datetime=\"2026-12-01\">"));
    let page = std::fs::read_to_string(out.join("powers/MZ-JF-0001.html")).unwrap();
    assert!(page.contains("公开时间") && page.contains("长期公开"));

    // The book: cover with title, organisation, 批准文号 and date; contents; a
    // section per public power, in table order, each with its chart; A3 paper.
    let book = std::fs::read_to_string(out.join("print.html")).unwrap();
    let cover = &book[book.find("<section class=\"cover\">").unwrap()..book.find("<nav").unwrap()];
    for part in [
        "示范县行政职权目录",
        "示范县人民政府",
        "批准文号：示府发〔2026〕9号",
        "2026-12-01",
        "13 项",
    ] {
        assert!(cover.contains(part), "cover lacks {part}: {cover}");
    }
    assert!(book.contains("@page { size: A3; }"));
    assert_eq!(book.matches("<li><a href=\"#p-").count(), 13);
    assert_eq!(book.matches("<article class=\"power\"").count(), 13);
    // On A3 every shipped chart fits its page whole.
    assert_eq!(
        book.matches("<figure class=\"flowchart whole\"").count(),
        13
    );
    assert!(!book.contains("flowchart part"));
    // A power page prints on A4: a chart too tall for the page under its heading
    // is also given in parts, cut between layers, each its own SVG whose ids do
    // not clash with the whole chart's; together they cover the chart.
    let tall_page = std::fs::read_to_string(out.join("powers/MZ-QR-0002.html")).unwrap();
    assert!(tall_page.contains("<section class=\"chart-block in-parts\">"));
    let parts: Vec<&str> = tall_page
        .split("<figure class=\"flowchart part\">")
        .skip(1)
        .collect();
    assert_eq!(parts.len(), 2, "two A4 pages");
    assert!(parts[1].contains("权力运行流程图（续）"));
    // Each part shows the page's one chart by reference: it is not repeated.
    assert!(parts[0].contains("viewBox=\"0 0 ") && parts[0].contains("<use href=\"#pl-fig\"/>"));
    assert!(parts[1].contains("<use href=\"#pl-fig\"/>") && !parts[1].contains("<rect"));
    assert_eq!(tall_page.matches("id=\"pl-fig\"").count(), 1);
    let view_box = |p: &str| -> Vec<f64> {
        let v = p
            .split("viewBox=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        v.split(' ').map(|n| n.parse().unwrap()).collect()
    };
    let (a, b) = (view_box(parts[0]), view_box(parts[1]));
    let whole = view_box(&tall_page[tall_page.find("<svg").unwrap()..]);
    assert_eq!(
        a[1] + a[3],
        b[1],
        "the second part starts where the first ends"
    );
    assert_eq!(b[1] + b[3], whole[3], "and ends with the chart");
    assert!(
        a[2] == whole[2] && b[2] == whole[2],
        "each part is the chart's whole width"
    );
    // A chart that fits keeps one figure.
    let short = std::fs::read_to_string(out.join("powers/RS-QR-0001.html")).unwrap();
    assert!(!short.contains("flowchart part") && !short.contains("in-parts"));
    let first = book.find("id=\"p-MZ-XK-0001\"").unwrap();
    let last = book.find("id=\"p-RS-QR-0001\"").unwrap();
    assert!(first < last, "powers in table order");
    for img in book.split("<img src=\"").skip(1) {
        let file = img.split('"').next().unwrap();
        assert!(out.join(file).exists(), "{file} is in the site");
    }
}

#[test]
fn bad_publication_settings_are_one_line_errors() {
    for (setting, says) in [
        ("published = \"2026-13-01\"", "YYYY-MM-DD"),
        ("published = \"1.12.2026\"", "YYYY-MM-DD"),
        ("paper = \"B5\"", "B5"),
        (
            "[export.columns]\n\"项目名称\" = \"事项名字\"",
            "不是职权目录的列",
        ),
        ("[export.columns]\n\"项目名称\" = 3", "不是职权目录的列"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let cat = tmp.path().join("cat");
        copy_dir(&shipped(), &cat);
        let settings = cat.join("powerlist.toml");
        let toml = std::fs::read_to_string(&settings).unwrap();
        let toml = toml.replacen("[rules]", &format!("{setting}\n\n[rules]"), 1);
        std::fs::write(&settings, toml).unwrap();
        let o = build(&cat, &tmp.path().join("site"), &[]);
        assert_eq!(code(&o), 2, "{setting}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(says), "{setting}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(!tmp.path().join("site").exists());
    }
}
