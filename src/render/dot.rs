//! A power's flowchart as Graphviz DOT, every string escaped.

use std::fmt::Write as _;

use crate::model::{Power, RiskLevel, StepType};

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

fn risk_mark(level: RiskLevel) -> (&'static str, &'static str) {
    match level {
        RiskLevel::High => ("⚠ 高风险", "#f8d7da"),
        RiskLevel::Medium => ("⚠ 中风险", "#fff3cd"),
        RiskLevel::Low => ("⚠ 低风险", "#e2f0d9"),
    }
}

/// The DOT text of one power's flowchart. Deterministic: steps in file order.
pub fn render(power: &Power) -> String {
    let mut out = String::new();
    let title = format!("{} {}", power.code(), power.name());
    let _ = writeln!(out, "digraph {} {{", quoted(power.code()));
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, labelloc=b, fontname=\"Noto Sans CJK SC\", label={}];",
        quoted(&footer(power, &title))
    );
    out.push_str("  node [fontname=\"Noto Sans CJK SC\", fontsize=11, shape=box];\n");
    out.push_str("  edge [fontname=\"Noto Sans CJK SC\", fontsize=10];\n");
    for sp in power.steps() {
        let s = &sp.value;
        let mut label = s
            .name
            .as_ref()
            .map_or(s.id(), |n| n.value.as_str())
            .to_string();
        let owner = s.owner.as_ref().map(|o| o.value.as_str());
        let time = s.time.as_ref().map(|t| t.value.text.as_str());
        match (owner, time) {
            (Some(o), Some(t)) => label.push_str(&format!("\n{o} · {t}")),
            (Some(o), None) => label.push_str(&format!("\n{o}")),
            (None, Some(t)) => label.push_str(&format!("\n{t}")),
            (None, None) => {}
        }
        let mut attrs = vec![format!("label={}", quoted(&label))];
        match s.kind() {
            StepType::Start | StepType::End => attrs.push("style=\"rounded,bold\"".into()),
            StepType::Decision => attrs.push("shape=diamond".into()),
            StepType::Task => {}
        }
        if let Some(risk) = &s.risk {
            if let Some(level) = &risk.value.level {
                let (mark, fill) = risk_mark(level.value);
                let point = risk.value.point.as_ref().map_or("", |p| p.value.as_str());
                attrs.push(format!("xlabel={}", quoted(&format!("{mark}: {point}"))));
                attrs.push(format!("fillcolor=\"{fill}\""));
                if !matches!(s.kind(), StepType::Start | StepType::End) {
                    attrs.push("style=filled".into());
                }
            }
        }
        if power
            .supervision
            .iter()
            .any(|x| x.value.step.as_ref().is_some_and(|st| st.value == s.id()))
        {
            attrs.push("peripheries=2".into());
        }
        let _ = writeln!(out, "  {} [{}];", quoted(s.id()), attrs.join(", "));
    }
    for sp in power.steps() {
        let s = &sp.value;
        for e in s.edges() {
            let mut attrs = Vec::new();
            if let Some(w) = &e.when {
                attrs.push(format!("label={}", quoted(&w.value)));
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
            let _ = writeln!(
                out,
                "  {} -> {}{attrs};",
                quoted(s.id()),
                quoted(&e.to.value)
            );
        }
    }
    out.push_str("}\n");
    out
}

/// The flowchart's footer: limits, rights of the other party, complaint channels.
fn footer(power: &Power, title: &str) -> String {
    let mut lines = vec![title.to_string()];
    let limit = |d: Option<&crate::model::Sp<crate::model::DurationText>>| {
        d.map_or("无".to_string(), |d| d.value.text.clone())
    };
    lines.push(format!(
        "法定时限: {}  承诺时限: {}",
        limit(power.statutory()),
        limit(power.promised())
    ));
    if !power.rights().is_empty() {
        lines.push(format!("相对人权利: {}", power.rights().join("、")));
    }
    let channels: Vec<String> = power
        .complaints
        .iter()
        .map(|c| {
            let name = c.value.channel.as_ref().map_or("", |n| n.value.as_str());
            match &c.value.phone {
                Some(p) => format!("{name} {p}"),
                None => name.to_string(),
            }
        })
        .collect();
    if !channels.is_empty() {
        lines.push(format!("投诉举报: {}", channels.join("; ")));
    }
    lines.join("\n")
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
