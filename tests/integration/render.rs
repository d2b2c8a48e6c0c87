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
