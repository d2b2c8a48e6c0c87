//! A power's flowchart as Graphviz DOT, every string escaped.

use std::fmt::Write as _;

use super::layout::{Shape, NOTE_SIZE};
use super::svg::duty_note;
use super::text::wrap_greedy;
use super::view::PowerView;
use crate::config::FlowchartConfig;
use crate::model::Power;

/// How wide a note's lines are wrapped, in px at `NOTE_SIZE` (15 characters).
const NOTE_WIDTH: f64 = 15.0 * NOTE_SIZE;

/// Escapes text for a DOT quoted string used as a label (an escString).
///
/// `"` and `\` are escaped, so a user's `\n` stays two visible characters; real line
/// breaks become `\n`, the one escape we mean.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", escape(text))
}

/// The DOT text of one power's flowchart. Deterministic: steps in file order.
pub fn render(power: &Power) -> String {
    render_view(&PowerView::of(power))
}

/// The DOT text of one power's flowchart as `[flowchart]` asks.
pub fn render_with(power: &Power, settings: &FlowchartConfig) -> String {
    render_view_with(&PowerView::of(power), settings)
}

/// The DOT text of a power's flowchart from its view.
pub fn render_view(view: &PowerView) -> String {
    render_view_with(view, &FlowchartConfig::default())
}

/// A note's label: all its text in wrapped lines, each escaped and ended by
/// `\l` (left-justified).
fn note_label(text: &str) -> String {
    let mut out = String::from("\"");
    let lines = text
        .split('\n')
        .flat_map(|para| wrap_greedy(para, NOTE_SIZE, NOTE_WIDTH));
    for line in lines {
        out.push_str(&escape(&line));
        out.push_str("\\l");
    }
    out.push('"');
    out
}

/// An id for the note nodes that no step has: `责任事项#`, with more `#` while a
/// step's id begins with it.
fn note_prefix(view: &PowerView) -> String {
    let mut prefix = String::from("责任事项#");
    while view.steps.iter().any(|s| s.id.starts_with(&prefix)) {
        prefix.push('#');
    }
    prefix
}

/// Each step's 责任事项 as a note node beside it, on its rank, tied by a dotted line.
fn duty_notes(out: &mut String, view: &PowerView) {
    let prefix = note_prefix(view);
    for (i, s) in view.steps.iter().enumerate() {
        let Some(note) = duty_note(s) else {
            continue;
        };
        let id = quoted(&format!("{prefix}{i}"));
        let _ = writeln!(
            out,
            "  {id} [shape=note, style=filled, fillcolor=\"#f5f5f5\", color=\"#bdbdbd\", fontcolor=\"#555555\", fontsize=10, label={}];",
            note_label(&note)
        );
        let _ = writeln!(
            out,
            "  {} -> {id} [style=dotted, arrowhead=none, color=\"#bdbdbd\"];",
            quoted(&s.id)
        );
        let _ = writeln!(out, "  {{ rank=same; {}; {id}; }}", quoted(&s.id));
    }
}

/// The DOT text of a power's flowchart from its view, as `[flowchart]` asks.
pub fn render_view_with(view: &PowerView, settings: &FlowchartConfig) -> String {
    let mut out = String::new();
    let mut footer = vec![view.title()];
    footer.extend(view.footer.lines());
    let _ = writeln!(out, "digraph {} {{", quoted(&view.code));
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, labelloc=b, fontname=\"Noto Sans CJK SC\", label={}];",
        quoted(&footer.join("\n"))
    );
    out.push_str("  node [fontname=\"Noto Sans CJK SC\", fontsize=11, shape=box];\n");
    out.push_str("  edge [fontname=\"Noto Sans CJK SC\", fontsize=10];\n");
    for s in &view.steps {
        let mut label = s.name.clone();
        if let Some(d) = &s.detail {
            label.push('\n');
            label.push_str(d);
        }
        let mut attrs = vec![format!("label={}", quoted(&label))];
        match s.shape {
            Shape::Rounded => attrs.push("style=\"rounded,bold\"".into()),
            Shape::Diamond => attrs.push("shape=diamond".into()),
            Shape::Box => {}
        }
        if let Some(no) = s.risk {
            let r = &view.risks[no - 1];
            let point = r.point.as_deref().unwrap_or("");
            attrs.push(format!(
                "xlabel={}",
                quoted(&format!("⚠{}{}：{point}", r.level, r.mark))
            ));
            attrs.push(format!("fillcolor=\"{}\"", r.style.fill));
            if s.shape == Shape::Box || s.shape == Shape::Diamond {
                attrs.push("style=filled".into());
            }
        }
        if s.supervised {
            attrs.push("peripheries=2".into());
        }
        let _ = writeln!(out, "  {} [{}];", quoted(&s.id), attrs.join(", "));
    }
    for s in &view.steps {
        for e in &s.next {
            let mut attrs = Vec::new();
            // A blank label is drawn as none (Graphviz 2.43 aborts on some).
            if let Some(w) = e.when.as_ref().filter(|w| !w.trim().is_empty()) {
                attrs.push(format!("label={}", quoted(w)));
            }
            if e.back {
                attrs.push("style=dashed".into());
                attrs.push("constraint=false".into());
            }
            let attrs = if attrs.is_empty() {
                String::new()
            } else {
                format!(" [{}]", attrs.join(", "))
            };
            let _ = writeln!(out, "  {} -> {}{attrs};", quoted(&s.id), quoted(&e.to));
        }
    }
    if settings.duties {
        duty_notes(&mut out, view);
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_quotes_backslashes_and_newlines() {
        assert_eq!(escape(r#"a"b"#), r#"a\"b"#);
        assert_eq!(escape(r"C:\n"), r"C:\\n", "a typed \\n is not a line break");
        assert_eq!(escape("a\r\nb"), r"a\nb");
        assert_eq!(
            escape("x\\"),
            r"x\\",
            "a trailing backslash cannot eat the quote"
        );
        assert_eq!(escape("<script>&"), "<script>&");
        assert_eq!(escape("a\u{7}b"), "a b");
    }
}
