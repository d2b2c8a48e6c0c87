//! A power's flowchart (权力运行流程图) as SVG, laid out by `layout` — no Graphviz.
//!
//! Risk levels are shown by colour and by a text mark, so a black-and-white print
//! still tells them apart; the risk and supervision details are listed under the
//! chart, and the footer carries limits, rights and complaint channels.

use std::fmt::Write as _;

use super::layout::{self, layout, EdgeSpec, Layout, NodeSpec, Shape, TextLine};
use crate::model::{Power, RiskLevel, StepType};

/// Common CJK system fonts first; nothing is downloaded.
pub const FONT_STACK: &str = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Hiragino Sans GB','Microsoft YaHei','SimHei','WenQuanYi Micro Hei',sans-serif";

const MIN_WIDTH: f64 = 560.0;
const TITLE_SIZE: f64 = 16.0;
const NOTE_SIZE: f64 = 12.0;

/// Escapes text for XML content and attribute values; line breaks become spaces.
pub fn escape(text: &str) -> String {
    super::escape_markup(text, false)
}

pub fn risk_mark(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::High => "高风险",
        RiskLevel::Medium => "中风险",
        RiskLevel::Low => "低风险",
    }
}

/// Fill and stroke of a step with a risk point of this level.
fn risk_colours(level: RiskLevel) -> (&'static str, &'static str) {
    match level {
        RiskLevel::High => ("#fbe3e4", "#b42318"),
        RiskLevel::Medium => ("#fff4d6", "#a15c07"),
        RiskLevel::Low => ("#e6f4ea", "#2e7d32"),
    }
}

/// 1 → ①; beyond twenty, (21).
pub fn circled(n: usize) -> String {
    match n {
        1..=20 => char::from_u32(0x2460 + n as u32 - 1).map_or(n.to_string(), String::from),
        _ => format!("({n})"),
    }
}

/// What is drawn for one power: the nodes and edges for the layout, plus the marks.
pub struct Chart {
    pub nodes: Vec<NodeSpec>,
    pub edges: Vec<EdgeSpec>,
    /// Per node: risk level and its number in the list under the chart.
    pub risks: Vec<Option<(RiskLevel, usize)>>,
    pub supervised: Vec<bool>,
    pub ids: Vec<String>,
}

impl Chart {
    pub fn of(power: &Power) -> Chart {
        let steps = power.steps();
        let index: std::collections::HashMap<&str, usize> = steps
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| (s.value.id(), i))
            .collect();
        let mut chart = Chart {
            nodes: Vec::with_capacity(steps.len()),
            edges: Vec::new(),
            risks: Vec::with_capacity(steps.len()),
            supervised: Vec::with_capacity(steps.len()),
            ids: Vec::with_capacity(steps.len()),
        };
        let mut risk_no = 0;
        for (i, sp) in steps.iter().enumerate() {
            let s = &sp.value;
            let supervised = power
                .supervision
                .iter()
                .any(|x| x.value.step.as_ref().is_some_and(|st| st.value == s.id()));
            let mut details = Vec::new();
            let owner = s.owner.as_ref().map(|o| o.value.as_str());
            let time = s.time.as_ref().map(|t| t.value.text.as_str());
            match (owner, time) {
                (Some(o), Some(t)) => details.push(format!("{o} · {t}")),
                (Some(o), None) => details.push(o.to_string()),
                (None, Some(t)) => details.push(t.to_string()),
                (None, None) => {}
            }
            let risk = s
                .risk
                .as_ref()
                .and_then(|r| r.value.level.as_ref())
                .map(|l| {
                    risk_no += 1;
                    (l.value, risk_no)
                });
            let mut marks = Vec::new();
            if let Some((level, no)) = risk {
                marks.push(format!("⚠{}{}", risk_mark(level), circled(no)));
            }
            if supervised {
                marks.push("◎监督点".to_string());
            }
            if !marks.is_empty() {
                details.push(marks.join(" "));
            }
            chart.nodes.push(NodeSpec {
                name: s
                    .name
                    .as_ref()
                    .map_or(s.id(), |n| n.value.as_str())
                    .to_string(),
                details,
                shape: match s.kind() {
                    StepType::Start | StepType::End => Shape::Rounded,
                    StepType::Decision => Shape::Diamond,
                    StepType::Task => Shape::Box,
                },
            });
            chart.risks.push(risk);
            chart.supervised.push(supervised);
            chart.ids.push(s.id().to_string());
            for e in s.edges() {
                if let Some(&to) = index.get(e.to.value.as_str()) {
                    chart.edges.push(EdgeSpec {
                        from: i,
                        to,
                        label: e.when.as_ref().map(|w| w.value.clone()),
                        back: e.back,
                    });
                }
            }
        }
        chart
    }

    pub fn layout(&self) -> Layout {
        layout(&self.nodes, &self.edges)
    }
}

/// Paragraphs under the chart: risk points, supervision, then the footer.
fn notes(power: &Power, chart: &Chart) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let step_name = |i: usize| chart.nodes[i].name.clone();
    let risks: Vec<String> = power
        .steps()
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let (level, no) = chart.risks[i]?;
            let r = &s.value.risk.as_ref()?.value;
            let point = r.point.as_ref().map_or("", |p| p.value.as_str());
            let control = r.control.as_ref().map_or("", |p| p.value.as_str());
            Some(format!(
                "{}【{}】{}：{}；防控措施：{}",
                circled(no),
                risk_mark(level),
                step_name(i),
                point,
                control
            ))
        })
        .collect();
    if !risks.is_empty() {
        out.push(("风险点及防控措施".into(), true));
        out.extend(risks.into_iter().map(|r| (r, false)));
    }
    if !power.supervision.is_empty() {
        out.push(("监督制约环节".into(), true));
        for s in &power.supervision {
            let s = &s.value;
            let step = s.step.as_ref().map_or("", |x| x.value.as_str());
            let name = chart
                .ids
                .iter()
                .position(|id| id == step)
                .map_or(step.to_string(), step_name);
            let parts: Vec<&str> = [s.by.as_deref(), s.how.as_deref(), s.contact.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            out.push((format!("◎{name}：{}", parts.join("；")), false));
        }
    }
    let limit = |d: Option<&crate::model::Sp<crate::model::DurationText>>| {
        d.map_or("无".to_string(), |d| d.value.text.clone())
    };
    out.push(("".into(), false));
    out.push((
        format!(
            "法定时限：{}　承诺时限：{}",
            limit(power.statutory()),
            limit(power.promised())
        ),
        false,
    ));
    if !power.rights().is_empty() {
        out.push((format!("相对人权利：{}", power.rights().join("、")), false));
    }
    let channels: Vec<String> = power
        .complaints
        .iter()
        .map(|c| super::table::channel_line(&c.value))
        .collect();
    if !channels.is_empty() {
        out.push((format!("投诉举报：{}", channels.join("；")), false));
    }
    let dept = power.department.as_ref().map_or("", |d| d.value.as_str());
    let office = power.office.as_ref().map_or("", |d| d.value.as_str());
    out.push((format!("实施主体：{dept}　承办机构：{office}"), false));
    out
}

/// A coordinate to a tenth of a pixel, written from an integer: as `{:.1}` writes
/// it, without the cost of float formatting (a large share of drawing time).
struct Px(f64);

impl std::fmt::Display for Px {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = (self.0 * 10.0).round() as i64;
        let sign = if tenths < 0 { "-" } else { "" };
        let t = tenths.unsigned_abs();
        write!(f, "{sign}{}.{}", t / 10, t % 10)
    }
}

fn text(out: &mut String, line: &TextLine, dx: f64, dy: f64, attrs: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{attrs}>{}</text>",
        Px(line.x + dx),
        Px(line.y + dy),
        line.size,
        escape(&line.text)
    );
}

/// The SVG document of one power's flowchart.
pub fn render(power: &Power) -> String {
    let chart = Chart::of(power);
    let lay = chart.layout();
    let width = lay.width.max(MIN_WIDTH);
    // Centre a narrow chart under the title.
    let dx = ((width - lay.width) / 2.0).round();
    let title = format!("{}　{}", power.name(), power.code());
    let title_lines = layout::wrap(&title, TITLE_SIZE, width - 48.0);
    let header = 20.0 + title_lines.len() as f64 * TITLE_SIZE * layout::LEADING + 8.0;

    let mut note_lines: Vec<(String, bool)> = Vec::new();
    for (para, heading) in notes(power, &chart) {
        for l in layout::wrap_greedy(&para, NOTE_SIZE, width - 48.0) {
            note_lines.push((l, heading));
        }
    }
    let note_h = note_lines.len() as f64 * NOTE_SIZE * 1.5;
    let height = (header + lay.height + note_h + 24.0).round();

    let mut out = String::with_capacity(4096 + 600 * lay.nodes.len());
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pl-flowchart\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"{FONT_STACK}\" role=\"img\" aria-label=\"{}\">",
        escape(&format!("{} 权力运行流程图", power.name()))
    );
    let _ = writeln!(
        out,
        "<title>{}</title>",
        escape(&format!("{} 权力运行流程图", power.name()))
    );
    out.push_str("<defs><marker id=\"pl-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker></defs>\n");
    let _ = writeln!(
        out,
        "<rect width=\"{width:.0}\" height=\"{height:.0}\" fill=\"#fff\"/>"
    );
    for (i, l) in title_lines.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{TITLE_SIZE}\" font-weight=\"bold\" text-anchor=\"middle\">{}</text>",
            Px(width / 2.0),
            Px(20.0 + (i as f64 + 0.8) * TITLE_SIZE * layout::LEADING),
            escape(l)
        );
    }
    let _ = writeln!(
        out,
        "<g class=\"chart\" transform=\"translate({dx:.0},{header:.0})\">"
    );
    out.push_str("<g class=\"edges\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.2\">\n");
    for e in &lay.edges {
        let d: Vec<String> = e
            .points
            .iter()
            .enumerate()
            .map(|(i, (x, y))| format!("{}{},{}", if i == 0 { 'M' } else { 'L' }, Px(*x), Px(*y)))
            .collect();
        let dash = if e.back {
            " stroke-dasharray=\"5 3\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<path class=\"{}\" d=\"{}\"{dash} marker-end=\"url(#pl-arrow)\"/>",
            if e.back { "edge back" } else { "edge" },
            d.join(" ")
        );
    }
    out.push_str("</g>\n<g class=\"labels\" text-anchor=\"middle\" fill=\"#333\">\n");
    for l in lay.edges.iter().filter_map(|e| e.label.as_ref()) {
        let _ = writeln!(
            out,
            "<rect class=\"label\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fff\" fill-opacity=\"0.9\"/>",
            Px(l.x - l.w / 2.0),
            Px(l.y - l.h / 2.0),
            Px(l.w),
            Px(l.h)
        );
        for line in &l.lines {
            text(&mut out, line, 0.0, 0.0, "");
        }
    }
    out.push_str("</g>\n<g class=\"nodes\" text-anchor=\"middle\">\n");
    for (i, b) in lay.nodes.iter().enumerate() {
        let (fill, stroke) = match chart.risks[i] {
            Some((level, _)) => risk_colours(level),
            None if b.shape == Shape::Rounded => ("#eaf2fb", "#1f4e79"),
            None => ("#ffffff", "#333333"),
        };
        let sw = if chart.risks[i].is_some() { 2.0 } else { 1.2 };
        let _ = writeln!(
            out,
            "<g class=\"node\" data-step=\"{}\">",
            escape(&chart.ids[i])
        );
        let outline = |inset: f64| match b.shape {
            Shape::Diamond => format!(
                "<polygon points=\"{},{} {},{} {},{} {},{}\"",
                Px(b.x),
                Px(b.top() + inset),
                Px(b.right() - inset * 1.6),
                Px(b.y),
                Px(b.x),
                Px(b.bottom() - inset),
                Px(b.left() + inset * 1.6),
                Px(b.y)
            ),
            _ => format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{}",
                Px(b.left() + inset),
                Px(b.top() + inset),
                Px(b.w - 2.0 * inset),
                Px(b.h - 2.0 * inset),
                if b.shape == Shape::Rounded {
                    format!(" rx=\"{}\"", Px((b.h / 2.0 - inset).min(16.0)))
                } else {
                    String::new()
                }
            ),
        };
        let _ = writeln!(
            out,
            "{} class=\"box\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{sw}\"/>",
            outline(0.0)
        );
        if chart.supervised[i] {
            // A second border marks a supervision point, in print as on screen.
            let _ = writeln!(
                out,
                "{} fill=\"none\" stroke=\"{stroke}\" stroke-width=\"0.8\"/>",
                outline(3.0)
            );
        }
        for (k, line) in b.lines.iter().enumerate() {
            let attrs = if k == 0 { " font-weight=\"bold\"" } else { "" };
            text(&mut out, line, 0.0, 0.0, attrs);
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n</g>\n");
    let mut y = header + lay.height + 8.0;
    out.push_str("<g class=\"notes\" fill=\"#222\">\n");
    for (l, heading) in &note_lines {
        y += NOTE_SIZE * 1.5;
        if l.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<text x=\"24\" y=\"{}\" font-size=\"{NOTE_SIZE}\"{}>{}</text>",
            Px(y),
            if *heading {
                " font-weight=\"bold\""
            } else {
                ""
            },
            escape(l)
        );
    }
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("<script>&\"'\u{1}"),
            "&lt;script&gt;&amp;&quot;&#39;"
        );
    }

    #[test]
    fn px_writes_tenths() {
        assert_eq!(Px(172.65).to_string(), "172.7");
        assert_eq!(Px(3.0).to_string(), "3.0");
        assert_eq!(Px(-0.04).to_string(), "0.0");
        assert_eq!(Px(-2.25).to_string(), "-2.3");
    }

    #[test]
    fn circled_numbers() {
        assert_eq!(circled(1), "①");
        assert_eq!(circled(20), "⑳");
        assert_eq!(circled(21), "(21)");
    }
}
