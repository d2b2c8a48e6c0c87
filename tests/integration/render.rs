//! Rendering the powers `check` accepts: DOT snapshots, escaping, Graphviz acceptance.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use powerlist::load::load_catalogue;
use powerlist::render::dot;

use crate::fixtures;

fn shipped() -> powerlist::Catalogue {
    load_catalogue(&Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue")).unwrap()
}

/// Runs `dot -Tsvg` on the text when Graphviz is installed (CI installs it).
fn graphviz_accepts(text: &str) -> Option<Result<String, String>> {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    Some(
        if out.status.success() && !stderr.contains("syntax error") {
            Ok(String::from_utf8_lossy(&out.stdout).to_string())
        } else {
            Err(stderr)
        },
    )
}

/// Quotes balance on every line once `\"` and `\\` are skipped: no string breaks out.
fn quotes_balance(text: &str) {
    for line in text.lines() {
        let mut open = false;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' if open => {
                    chars.next();
                }
                '"' => open = !open,
                _ => {}
            }
        }
        assert!(!open, "unbalanced quotes in: {line}");
    }
}

#[test]
fn dot_of_the_shipped_flowcharts() {
    for (file, power) in shipped().powers() {
        let text = dot::render(power);
        quotes_balance(&text);
        insta::assert_snapshot!(format!("dot-{}", power.code()), text);
        if let Some(result) = graphviz_accepts(&text) {
            result.unwrap_or_else(|e| panic!("{}: dot rejects it: {e}", file.rel));
        }
    }
}

#[test]
fn hostile_text_stays_inert_in_dot() {
    let cat = load_catalogue(&fixtures().join("hostile")).unwrap();
    let (_, diags) = powerlist::check_catalogue(&fixtures().join("hostile")).unwrap();
    assert!(diags.is_empty(), "the hostile power is valid: {diags:#?}");
    let (_, power) = cat.powers().next().unwrap();
    let text = dot::render(power);
    quotes_balance(&text);
    // One statement per line: nothing the user wrote opened a new one.
    let statements = text.lines().filter(|l| l.trim_end().ends_with(';')).count();
    let steps = power.steps().len();
    let edges: usize = power.steps().iter().map(|s| s.value.edges().len()).sum();
    assert_eq!(statements, 3 + steps + edges, "{text}");
    assert!(
        text.contains(r"第二行 \\n 不是换行"),
        "a typed \\n stays visible\n{text}"
    );
    if let Some(result) = graphviz_accepts(&text) {
        let svg = result.unwrap_or_else(|e| panic!("dot rejects it: {e}\n{text}"));
        // Graphviz drew every step, and the user's markup is text, not elements.
        assert_eq!(svg.matches("class=\"node\"").count(), steps, "{svg}");
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
    }
}

#[test]
fn dot_is_deterministic() {
    let a: Vec<String> = shipped().powers().map(|(_, p)| dot::render(p)).collect();
    let b: Vec<String> = shipped().powers().map(|(_, p)| dot::render(p)).collect();
    assert_eq!(a, b);
}

#[test]
fn svg_of_the_shipped_flowcharts() {
    for (file, power) in shipped().powers() {
        let text = powerlist::render::svg::render(power);
        let doc = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{}: SVG is not well-formed XML: {e}", file.rel));
        let boxes = doc
            .descendants()
            .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("node"))
            .count();
        assert_eq!(boxes, power.steps().len(), "{}: one box per step", file.rel);
        insta::assert_snapshot!(format!("svg-{}", power.code()), text);
    }
}

#[test]
fn hostile_text_stays_inert_in_svg() {
    let cat = load_catalogue(&fixtures().join("hostile")).unwrap();
    let (_, power) = cat.powers().next().unwrap();
    let text = powerlist::render::svg::render(power);
    let doc = roxmltree::Document::parse(&text).expect("well-formed SVG");
    let names: Vec<&str> = doc
        .descendants()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    for bad in ["script", "img", "foreignObject"] {
        assert!(
            !names.contains(&bad),
            "no <{bad}> element: the markup stays text"
        );
    }
    assert!(doc
        .descendants()
        .flat_map(|n| n.attributes())
        .all(|a| !a.name().starts_with("on")));
    let all_text: String = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(
        all_text.contains("<script>alert('名')</script>"),
        "the title arrives as text"
    );
    assert!(all_text.contains("onerror=alert(1)>"));
    assert!(
        all_text.contains(r"\n 不是换行"),
        "a typed \\n stays two characters"
    );
    assert_eq!(text, powerlist::render::svg::render(power), "deterministic");
}

// ---- 权责清单: 主项, 责任事项 and 追责情形 on the page, in the book, on the chart.

/// A power with 主项, step duties, duties of its own, 责任事项依据 and 追责情形,
/// its text hostile where a reader sees it.
const WITH_DUTIES: &str = r#"code: TEST-JF-0001
name: "测试给付 <script>alert('名')</script>"
main_item: "主项 <b>甲</b> & \"乙\""
category: 行政给付
department: 测试县民政局
office: 社会救助股
responsible: 社会救助股股长
source: 法定
basis:
  - law: 社会救助暂行办法
    level: 行政法规
    doc_no: 国务院令第649号
    article: 第十一条
conditions: [家庭人均收入低于当地最低生活保障标准]
materials:
  - name: 书面申请
    copies: 1
fees: []
time_limit:
  promised: 20日
disclosure:
  public: true
  scope: 社会公开
  channels: [政府网站]
rights: [陈述, 申辩, 行政复议, 行政诉讼]
complaints:
  - channel: 县政务服务便民热线
    phone: "12345"
steps:
  - id: apply
    name: 提出书面申请
    type: start
    role: 申请
    owner: 申请人
    next: accept
  - id: accept
    name: 受理申请
    role: 受理
    owner: 窗口工作人员
    time: 1日
    duty: "一次性告知补正材料 <script>alert('duty')</script>"
    next: decide
  - id: decide
    name: 审批
    type: decision
    role: 决定
    owner: 社会救助股股长
    time: 5日
    duty: 集体研究审批，对符合条件的申请予以批准，对不符合条件的申请不予批准并书面说明理由，告知申请人享有依法申请行政复议或者提起行政诉讼的权利；不得违规审批、降低条件或者提高标准，不得优亲厚友
    next:
      - to: grant
        when: 批准
      - to: refuse
        when: 不予批准
  - id: grant
    name: 发放保障金
    type: end
    role: 送达
    owner: 社会救助股
    duty: 按月足额发放
  - id: refuse
    name: 书面通知申请人
    type: end
    role: 送达
    owner: 社会救助股
supervision:
  - step: decide
    by: 局纪检组
    how: 审批结果公示
    contact: "12388"
duties:
  - stage: 事后监管责任
    duty: "定期复核 </td></tr><script>x</script>"
duty_basis:
  - law: 社会救助暂行办法
    level: 行政法规
    article: 第十一条
accountability:
  - case: "对符合条件的申请不予受理的 <img src=x onerror=alert(1)>"
    basis:
      - law: 社会救助暂行办法
        level: 行政法规
        article: 第六十六条
      - law: 中华人民共和国公职人员政务处分法
        level: 法律
        article: 第三十九条
  - case: 对不符合条件的申请予以批准的
    basis:
      - law: 社会救助暂行办法
        level: 行政法规
        article: 第六十六条
"#;

/// The same power without any of the 权责清单 fields.
fn without_duties() -> String {
    let mut out = Vec::new();
    let mut skip = false;
    for line in WITH_DUTIES.lines() {
        let top = !line.starts_with(' ') && !line.starts_with('-');
        if top {
            skip = ["main_item:", "duties:", "duty_basis:", "accountability:"]
                .iter()
                .any(|k| line.starts_with(k));
        }
        if !skip && !line.trim_start().starts_with("duty:") {
            out.push(line);
        }
    }
    out.join("\n").replace("TEST-JF-0001", "TEST-JF-0002") + "\n"
}

/// A catalogue of the two powers; `settings` is its powerlist.toml.
fn duty_catalogue(settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("with.yaml"), WITH_DUTIES).unwrap();
    std::fs::write(dir.path().join("without.yaml"), without_duties()).unwrap();
    std::fs::write(dir.path().join("powerlist.toml"), settings).unwrap();
    dir
}

fn build_site(cat: &Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = crate::cli::powerlist(&["build", cat.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(crate::cli::code(&o), 0, "{}", crate::cli::stderr(&o));
    (tmp, out)
}

fn parse_html(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("not well-formed: {e}"))
}

fn has_class(n: &roxmltree::Node, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split(' ').any(|x| x == class))
}

fn text_of(n: roxmltree::Node) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

/// The 权责清单 sections of one power (its page's article or its book section)
/// as a reader gets them: the 主项, the 责任事项 rows, the 依据, the cases.
struct Sections {
    main_item: Option<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    duty_basis: Vec<String>,
    cases: Vec<(String, Vec<String>)>,
}

/// The `li` children of a list.
fn items<'a, 'i>(n: Option<roxmltree::Node<'a, 'i>>) -> Vec<roxmltree::Node<'a, 'i>> {
    n.map_or(Vec::new(), |n| {
        n.children().filter(|c| c.has_tag_name("li")).collect()
    })
}

fn cells(tr: roxmltree::Node, tag: &str) -> Vec<String> {
    tr.children()
        .filter(|c| c.has_tag_name(tag))
        .map(text_of)
        .collect()
}

fn sections(article: roxmltree::Node) -> Sections {
    let find = |tag: &str, class: &str| {
        article
            .descendants()
            .find(|n| n.has_tag_name(tag) && has_class(n, class))
    };
    let table = find("table", "duties");
    let trs = |part: &str| -> Vec<roxmltree::Node> {
        table.map_or(Vec::new(), |t| {
            t.descendants()
                .filter(|n| n.has_tag_name(part))
                .flat_map(|p| p.children().filter(|c| c.has_tag_name("tr")))
                .collect()
        })
    };
    Sections {
        main_item: find("p", "main-item").map(text_of),
        headers: trs("thead")
            .first()
            .map_or(Vec::new(), |tr| cells(*tr, "th")),
        rows: trs("tbody").into_iter().map(|tr| cells(tr, "td")).collect(),
        duty_basis: items(find("ol", "basis-lines"))
            .into_iter()
            .map(text_of)
            .collect(),
        cases: items(find("ol", "cases"))
            .into_iter()
            .map(|li| {
                let case = li
                    .children()
                    .find(|c| has_class(c, "case"))
                    .map_or(String::new(), text_of);
                let basis =
                    li.descendants()
                        .find(|c| has_class(c, "cited"))
                        .map_or(Vec::new(), |c| {
                            items(c.children().find(|u| u.has_tag_name("ul")))
                                .into_iter()
                                .map(text_of)
                                .collect()
                        });
                (case, basis)
            })
            .collect(),
    }
}

/// What the power with duties must show, on its page and in the book.
fn assert_sections(s: &Sections, what: &str) {
    let main = s.main_item.as_deref().unwrap_or_default();
    assert!(main.contains("主项 <b>甲</b> & \"乙\""), "{what}: {main}");
    assert_eq!(
        s.headers,
        ["责任环节", "承办岗位", "责任事项", "时限"],
        "{what}"
    );
    assert_eq!(
        s.rows.len(),
        4,
        "{what}: three steps and one duty of its own"
    );
    assert_eq!(
        s.rows[0],
        [
            "受理责任",
            "窗口工作人员",
            "一次性告知补正材料 <script>alert('duty')</script>",
            "1日"
        ],
        "{what}"
    );
    assert_eq!(s.rows[1][0], "决定责任", "{what}: in flow order");
    assert_eq!(s.rows[2][0], "送达责任", "{what}");
    assert_eq!(
        s.rows[3],
        [
            "事后监管责任",
            "",
            "定期复核 </td></tr><script>x</script>",
            ""
        ],
        "{what}: the power's own duty last"
    );
    assert_eq!(
        s.duty_basis,
        ["《社会救助暂行办法》（行政法规）第十一条"],
        "{what}"
    );
    assert_eq!(s.cases.len(), 2, "{what}");
    assert_eq!(
        s.cases[0].0, "对符合条件的申请不予受理的 <img src=x onerror=alert(1)>",
        "{what}"
    );
    assert_eq!(
        s.cases[0].1,
        [
            "《社会救助暂行办法》（行政法规）第六十六条",
            "《中华人民共和国公职人员政务处分法》（法律）第三十九条"
        ],
        "{what}: each case with its own 追责依据"
    );
    assert_eq!(s.cases[1].1.len(), 1, "{what}");
}

fn assert_nothing(s: &Sections, what: &str) {
    assert!(s.main_item.is_none(), "{what}: no 主项");
    assert!(
        s.headers.is_empty() && s.rows.is_empty(),
        "{what}: no table"
    );
    assert!(s.duty_basis.is_empty() && s.cases.is_empty(), "{what}");
}

/// Nothing the user wrote became markup: no script, image or bold element, no handler.
fn assert_inert(doc: &roxmltree::Document, scripts: usize, what: &str) {
    let count = doc
        .descendants()
        .filter(|n| n.has_tag_name("script"))
        .count();
    assert_eq!(count, scripts, "{what}: only our own scripts");
    assert!(
        doc.descendants().all(|n| !n.has_tag_name("b")),
        "{what}: no <b>"
    );
    assert!(doc
        .descendants()
        .flat_map(|n| n.attributes())
        .all(|a| !a.name().to_ascii_lowercase().starts_with("on")));
}

#[test]
fn duties_and_accountability_on_the_page_and_in_the_book() {
    let cat = duty_catalogue("title = \"测试\"\n");
    let (_tmp, out) = build_site(cat.path());
    let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();

    let page = read("powers/TEST-JF-0001.html");
    let doc = parse_html(&page);
    // One script of our own: it opens a wide chart on its first step.
    assert_inert(&doc, 1, "page");
    assert!(doc.descendants().all(|n| !n.has_tag_name("img")));
    let article = doc
        .descendants()
        .find(|n| n.has_tag_name("article"))
        .unwrap();
    assert_sections(&sections(article), "page");
    let headings: Vec<String> = article
        .descendants()
        .filter(|n| n.has_tag_name("h2") || n.has_tag_name("h3"))
        .map(text_of)
        .collect();
    let at = |h: &str| headings.iter().position(|x| x == h).unwrap_or(usize::MAX);
    // The 设定依据 is a row of the element table, not a list of its own again.
    assert_eq!(at("设定依据"), usize::MAX, "{headings:?}");
    assert!(
        at("责任事项") < at("责任事项依据")
            && at("责任事项依据") < at("追责情形")
            && at("追责情形") < at("权力运行流程图"),
        "{headings:?}"
    );
    // The sections say it once: the element table does not repeat them.
    let elements: Vec<String> = article
        .descendants()
        .filter(|n| n.has_tag_name("th") && n.attribute("scope") == Some("row"))
        .map(text_of)
        .collect();
    for label in [
        "主项",
        "责任事项",
        "追责情形",
        "追责依据",
        "项目名称",
        "子项",
    ] {
        assert!(
            !elements.iter().any(|l| l == label),
            "{label} in {elements:?}"
        );
    }

    let plain = read("powers/TEST-JF-0002.html");
    let doc2 = parse_html(&plain);
    let article2 = doc2
        .descendants()
        .find(|n| n.has_tag_name("article"))
        .unwrap();
    assert_nothing(&sections(article2), "page without duties");
    assert!(
        !plain.contains("责任事项") && !plain.contains("追责"),
        "{plain}"
    );

    let book = read("print.html");
    let doc = parse_html(&book);
    assert_inert(&doc, 0, "book");
    let section = |code: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("article") && n.attribute("id") == Some(code))
            .unwrap_or_else(|| panic!("{code} in the book"))
    };
    assert_sections(&sections(section("p-TEST-JF-0001")), "book");
    assert_nothing(&sections(section("p-TEST-JF-0002")), "book without duties");
}

fn duties_on() -> powerlist::config::FlowchartConfig {
    toml::from_str("duties = true").unwrap()
}

/// (left, right, top, bottom) of a box.
fn rect_of(b: &powerlist::render::layout::NodeBox) -> (f64, f64, f64, f64) {
    (b.left(), b.right(), b.top(), b.bottom())
}

fn rects_meet(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.1 && b.0 < a.1 && a.2 < b.3 && b.2 < a.3
}

/// Whether the segment runs through the rectangle (sampled every half pixel).
fn segment_meets(a: (f64, f64), b: (f64, f64), r: (f64, f64, f64, f64)) -> bool {
    let n = (((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt() * 2.0).ceil() as usize;
    (0..=n.max(1)).any(|i| {
        let t = i as f64 / n.max(1) as f64;
        let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
        x > r.0 && x < r.1 && y > r.2 && y < r.3
    })
}

/// Every note sits inside the chart, under its own box, clear of every box,
/// note, label and route; its lines fit it.
fn assert_notes_clear(lay: &powerlist::render::layout::Layout, what: &str) {
    for (i, n) in lay.notes.iter().enumerate() {
        let r = n.rect();
        assert!(
            r.0 >= 0.0 && r.1 <= lay.width && r.2 >= 0.0 && r.3 <= lay.height,
            "{what}: note {i} outside the chart"
        );
        let own = &lay.nodes[n.node];
        assert!(
            (r.2 - own.bottom()).abs() < 0.1 && (n.x - own.x).abs() < 0.1,
            "{what}: note {i} under its box"
        );
        for (j, b) in lay.nodes.iter().enumerate().filter(|(j, _)| *j != n.node) {
            assert!(
                !rects_meet(r, rect_of(b)),
                "{what}: note {i} covers box {j}"
            );
        }
        for (j, m) in lay.notes.iter().enumerate().filter(|(j, _)| *j != i) {
            assert!(
                !rects_meet(r, m.rect()),
                "{what}: notes {i} and {j} overlap"
            );
        }
        // Routes are drawn to a tenth of a pixel: half a pixel of slack.
        let inner = (r.0 + 0.5, r.1 - 0.5, r.2 + 0.5, r.3 - 0.5);
        for (k, e) in lay.edges.iter().enumerate() {
            for w in e.points.windows(2) {
                assert!(
                    !segment_meets(w[0], w[1], inner),
                    "{what}: edge {k} crosses note {i}"
                );
            }
            if let Some(l) = &e.label {
                let lr = (
                    l.x - l.w / 2.0,
                    l.x + l.w / 2.0,
                    l.y - l.h / 2.0,
                    l.y + l.h / 2.0,
                );
                assert!(
                    !rects_meet(r, lr),
                    "{what}: label of edge {k} covers note {i}"
                );
            }
        }
        for line in &n.lines {
            assert!(
                line.x >= r.0 && line.x + line.width() <= r.1 + 0.5,
                "{what}: note {i} text wider than its panel"
            );
            assert!(
                line.y > r.2 && line.y <= r.3,
                "{what}: note {i} text outside"
            );
        }
    }
}

#[test]
fn duty_notes_on_the_flowchart_when_asked() {
    use powerlist::render::svg;
    use powerlist::render::view::PowerView;
    let cat = duty_catalogue("");
    let loaded = load_catalogue(cat.path()).unwrap();
    let power = loaded
        .powers()
        .map(|(_, p)| p)
        .find(|p| p.code() == "TEST-JF-0001")
        .unwrap();
    let on = duties_on();

    let text = svg::render_with(power, &on);
    let doc = roxmltree::Document::parse(&text).expect("well-formed SVG");
    assert!(doc.descendants().all(|n| !n.has_tag_name("script")));
    let notes: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("duty"))
        .map(|g| (g.attribute("data-step").unwrap().to_string(), text_of(g)))
        .collect();
    let steps: Vec<&str> = notes.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        steps,
        ["accept", "decide", "grant"],
        "one note a step with a duty"
    );
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    assert_eq!(
        squeeze(&notes[0].1),
        squeeze("受理责任：一次性告知补正材料 <script>alert('duty')</script>")
    );
    assert!(squeeze(&notes[1].1).starts_with("决定责任：集体研究审批"));
    let lay = svg::Chart::from_view_with(&PowerView::of(power), &on).layout();
    assert_eq!(lay.notes.len(), 3);
    assert_notes_clear(&lay, "TEST-JF-0001");

    // Off (the default): the chart is the one drawn before notes existed.
    let off = powerlist::config::FlowchartConfig::default();
    assert_eq!(svg::render_with(power, &off), svg::render(power));
    assert!(!svg::render(power).contains("class=\"duties\""));
    assert!(!svg::render(power).contains("一次性告知"));
    assert_eq!(dot::render_with(power, &off), dot::render(power));
    assert!(!dot::render(power).contains("一次性告知"));

    let text = dot::render_with(power, &on);
    quotes_balance(&text);
    assert_eq!(text.matches("shape=note").count(), 3, "{text}");
    // Wrapped into left-justified lines (`\l`), the text whole.
    assert!(
        squeeze(&text.replace("\\l", "")).contains(&squeeze(
            "受理责任：一次性告知补正材料 <script>alert('duty')</script>"
        )),
        "{text}"
    );
    assert_eq!(text, dot::render_with(power, &on), "deterministic");
    if let Some(result) = graphviz_accepts(&text) {
        let out = result.unwrap_or_else(|e| panic!("dot rejects it: {e}\n{text}"));
        let nodes = out.matches("class=\"node\"").count();
        assert_eq!(nodes, power.steps().len() + 3, "{out}");
        assert!(!out.contains("<script") && out.contains("&lt;script&gt;"));
    }
}

#[test]
fn duty_notes_never_overlap_on_the_shipped_flowcharts() {
    use powerlist::render::svg::Chart;
    use powerlist::render::view::PowerView;
    let long = "依法履行本环节职责，一次性告知需补正的全部内容，如实记录并由当事人签字确认；\
                不得拖延、推诿，不得以任何理由拒绝受理符合条件的申请 <script>";
    for (file, power) in shipped().powers() {
        let mut view = PowerView::of(power);
        // Every step a duty: short, long and very long by turns.
        for (i, s) in view.steps.iter_mut().enumerate() {
            s.duty = Some(long.chars().take(12 + (i * 37) % 200).collect());
        }
        let lay = Chart::from_view_with(&view, &duties_on()).layout();
        assert_eq!(lay.notes.len(), view.steps.len(), "{}", file.rel);
        assert_notes_clear(&lay, &file.rel);
        let text = powerlist::render::svg::draw(&view, &duties_on()).svg;
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", file.rel));
        let dot_text = dot::render_view_with(&view, &duties_on());
        quotes_balance(&dot_text);
        if let Some(result) = graphviz_accepts(&dot_text) {
            result.unwrap_or_else(|e| panic!("{}: dot rejects it: {e}", file.rel));
        }
    }
}

#[test]
fn the_setting_reaches_the_built_flowcharts() {
    let read = |out: &Path, rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    let cat = duty_catalogue("[flowchart]\nduties = true\n");
    let (_tmp, out) = build_site(cat.path());
    let svg = read(&out, "flowcharts/TEST-JF-0001.svg");
    assert!(
        svg.contains("<g class=\"duty\" data-step=\"accept\">"),
        "{svg}"
    );
    assert!(read(&out, "flowcharts/TEST-JF-0001.dot").contains("shape=note"));
    let page = read(&out, "powers/TEST-JF-0001.html");
    assert!(
        page.contains("<g class=\"duty\" data-step=\"accept\">"),
        "inline chart too"
    );
    assert!(!read(&out, "flowcharts/TEST-JF-0002.svg").contains("class=\"duties\""));

    let cat = duty_catalogue("");
    let (_tmp, out) = build_site(cat.path());
    assert!(!read(&out, "flowcharts/TEST-JF-0001.svg").contains("class=\"duties\""));
    assert!(!read(&out, "flowcharts/TEST-JF-0001.dot").contains("shape=note"));
}

/// The rows of a page's element table: (label, value).
fn element_rows(doc: &roxmltree::Document) -> Vec<(String, String)> {
    doc.descendants()
        .filter(|n| n.has_tag_name("tr"))
        .filter(|n| {
            n.ancestors()
                .any(|a| a.has_tag_name("table") && has_class(&a, "elements"))
        })
        .map(|tr| (cells(tr, "th").concat(), cells(tr, "td").concat()))
        .collect()
}

/// Issue 24, item 4: a power's page says each fact once, shows no empty row
/// and no role tag; without an organisation its footer starts with the title.
#[test]
fn a_power_page_shows_each_fact_once_and_no_empty_row() {
    let cat = duty_catalogue("title = \"测试\"\n");
    let (_tmp, out) = build_site(cat.path());
    let page = std::fs::read_to_string(out.join("powers/TEST-JF-0001.html")).unwrap();
    let doc = parse_html(&page);
    let rows = element_rows(&doc);
    assert!(
        rows.iter().all(|(_, v)| !v.trim().is_empty()),
        "no empty row: {rows:?}"
    );
    assert!(!rows.iter().any(|(l, _)| l == "公开时间"), "{rows:?}");
    assert!(rows.iter().any(|(l, _)| l == "设定依据"), "{rows:?}");
    assert_eq!(
        page.matches("国务院令第649号").count(),
        1,
        "the 设定依据 once, in the table"
    );
    let tags = doc
        .descendants()
        .filter(|n| has_class(n, "tag"))
        .filter(|n| n.ancestors().any(|a| a.has_tag_name("table")))
        .map(text_of)
        .collect::<Vec<_>>();
    assert!(tags.is_empty(), "no role tags beside step names: {tags:?}");
    let footer = doc
        .descendants()
        .find(|n| n.has_tag_name("footer"))
        .map(text_of)
        .unwrap();
    assert!(footer.trim().starts_with("测试"), "{footer:?}");
    assert!(!page.contains("<p class=\"org\"></p>"));
}

/// Issue 24, item 4: category pages are named by their code, departments by
/// their name; the index links to them.
#[test]
fn group_pages_have_names_a_person_can_read() {
    let cat = duty_catalogue("title = \"测试\"\norganisation = \"测试县人民政府\"\n");
    let (_tmp, out) = build_site(cat.path());
    assert!(out.join("categories/JF.html").is_file());
    assert!(out.join("departments/测试县民政局.html").is_file());
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    let doc = parse_html(&index);
    let links: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("a") && n.attribute("data-name").is_some())
        .filter_map(|n| n.attribute("href"))
        .collect();
    assert_eq!(
        links,
        ["categories/JF.html", "departments/测试县民政局.html"]
    );
    let footer = std::fs::read_to_string(out.join("categories/JF.html")).unwrap();
    assert!(footer.contains("<p>测试县人民政府 · 测试 · 共 2 项公开职权</p>"));
}

/// Issue 24, items 1 and 2: the chart's title and notes are text around the
/// figure (a phone wraps them; a printed page flows them), the tables under it
/// are cards on a phone, and a wide chart opens on its first step.
#[test]
fn the_chart_on_a_page_is_a_figure_with_text_around_it() {
    let cat = duty_catalogue("title = \"测试\"\n");
    let (_tmp, out) = build_site(cat.path());
    let page = std::fs::read_to_string(out.join("powers/TEST-JF-0001.html")).unwrap();
    let doc = parse_html(&page);
    let figure = doc
        .descendants()
        .find(|n| has_class(n, "chart-scroll"))
        .expect("the chart scrolls in a box of its own");
    let svg = figure.children().find(|n| n.has_tag_name("svg")).unwrap();
    let drawn = text_of(svg);
    assert!(
        drawn.contains("受理申请") && !drawn.contains("投诉举报"),
        "{drawn}"
    );
    let legend = doc
        .descendants()
        .find(|n| has_class(n, "legend"))
        .map(text_of)
        .unwrap();
    assert!(
        legend.contains("监督制约环节") && legend.contains("投诉举报：县政务服务便民热线"),
        "{legend}"
    );
    for class in ["steps", "supervision"] {
        let table = doc
            .descendants()
            .find(|n| n.has_tag_name("table") && has_class(n, class))
            .unwrap();
        assert!(has_class(&table, "cards"), "{class}");
        let unlabelled = table
            .descendants()
            .filter(|n| n.has_tag_name("td"))
            .filter(|n| n.attribute("data-label").is_none() && !has_class(n, "name"))
            .count();
        assert_eq!(unlabelled, 0, "{class}: every cell says what it is");
    }
    assert!(page.contains("querySelectorAll(\".chart-scroll\")"));
}

/// Issue 24, item 2: the book draws its charts inline (an SVG drawn as an
/// image prints its text as Kangxi radicals), numbers each power's pages
/// within it and gives them in its contents.
#[test]
fn the_book_inlines_its_charts_and_numbers_each_powers_pages() {
    let cat = duty_catalogue("title = \"测试\"\n");
    let (_tmp, out) = build_site(cat.path());
    let book = std::fs::read_to_string(out.join("print.html")).unwrap();
    assert!(
        !book.contains("<image") && !book.contains("<img"),
        "no chart as an image"
    );
    let doc = parse_html(&book);
    for n in 1..=2 {
        let article = doc
            .descendants()
            .find(|a| {
                a.has_tag_name("article")
                    && a.attribute("style") == Some(format!("page: power-{n}").as_str())
            })
            .unwrap_or_else(|| panic!("power {n} on pages of its own"));
        assert!(book.contains(&format!(
            "@page power-{n} {{ counter-increment: power-{n}; @bottom-center {{ content: \"{n}-\" counter(power-{n}); }}"
        )));
        let svg = article
            .descendants()
            .find(|s| s.has_tag_name("svg"))
            .map(text_of)
            .unwrap();
        assert!(svg.contains("受理申请"), "{svg}");
        let legend = article
            .descendants()
            .find(|s| has_class(s, "legend"))
            .map(text_of)
            .unwrap();
        assert!(legend.contains("承办机构："), "{legend}");
    }
    let pages: Vec<String> = doc
        .descendants()
        .filter(|n| has_class(n, "page"))
        .map(text_of)
        .collect();
    assert_eq!(
        pages,
        ["1-1", "2-1"],
        "the contents give each power's first page"
    );
    let ids: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("marker"))
        .filter_map(|n| n.attribute("id"))
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        ids.len(),
        "each chart its own arrow head: {ids:?}"
    );
}

/// The book's contents run in the order of the 序号: a kind the table names
/// (行政强制执行) stands with its category, not after every other group.
#[test]
fn the_books_contents_run_in_the_order_of_the_numbers() {
    let (_tmp, out) = build_site(&crate::build::shipped());
    let book = std::fs::read_to_string(out.join("print.html")).unwrap();
    let doc = parse_html(&book);
    let pages: Vec<String> = doc
        .descendants()
        .filter(|n| has_class(n, "page"))
        .map(text_of)
        .collect();
    let wanted: Vec<String> = (1..=pages.len()).map(|n| format!("{n}-1")).collect();
    assert!(pages.len() >= 13, "{pages:?}");
    assert_eq!(pages, wanted);
}
