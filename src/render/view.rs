//! One view of a power for every renderer: DOT, SVG and the page templates all
//! read `PowerView`, so a step's detail line, its risk number, its supervision
//! mark and the footer are computed in one place and agree everywhere.
//!
//! `PowerView` is also the `power` variable of `power.html`: the contract for a
//! catalogue's own templates (README, "Your own templates"). `catalogue.json`
//! is a separate contract (`table::json_record`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::layout::Shape;
use super::table::{basis_line, channel_line};
use crate::model::duty::{stage_of, DutyRow};
use crate::model::graph::StepGraph;
use crate::model::{Power, RiskLevel, Step, StepType};

/// How a risk level is shown: its mark, its CSS class, its colours.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RiskStyle {
    /// 高风险 / 中风险 / 低风险.
    pub label: &'static str,
    /// `high` / `medium` / `low` (CSS classes `risk-high` …).
    pub class: &'static str,
    pub fill: &'static str,
    pub stroke: &'static str,
}

/// The one palette for risk levels (the stylesheet uses the same strokes).
pub fn risk_style(level: RiskLevel) -> RiskStyle {
    match level {
        RiskLevel::High => RiskStyle {
            label: "高风险",
            class: "high",
            fill: "#fbe3e4",
            stroke: "#b42318",
        },
        RiskLevel::Medium => RiskStyle {
            label: "中风险",
            class: "medium",
            fill: "#fff4d6",
            stroke: "#a15c07",
        },
        RiskLevel::Low => RiskStyle {
            label: "低风险",
            class: "low",
            fill: "#e6f4ea",
            stroke: "#2e7d32",
        },
    }
}

/// 1 → ①; beyond twenty, (21).
pub fn circled(n: usize) -> String {
    match n {
        1..=20 => char::from_u32(0x2460 + n as u32 - 1).map_or(n.to_string(), String::from),
        _ => format!("({n})"),
    }
}

/// A power as every renderer sees it.
#[derive(Debug, Serialize)]
pub struct PowerView {
    pub code: String,
    pub name: String,
    pub category: String,
    pub department: String,
    pub office: String,
    pub basis: Vec<BasisView>,
    pub steps: Vec<StepView>,
    /// Risk points in step order, numbered from 1.
    pub risks: Vec<RiskView>,
    pub supervision: Vec<SupervisionView>,
    pub footer: Footer,
    /// 主项, 责任事项, 责任事项依据 and 追责情形 (SPEC §7): in templates
    /// `power.main_item`, `power.duties`, `power.duty_basis`,
    /// `power.accountability`.
    #[serde(flatten)]
    pub list: DutiesView,
}

/// What the 权责清单 adds to a power (SPEC §7), as the page and the book show it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DutiesView {
    /// 主项: the item this power is a 子项 of.
    pub main_item: Option<String>,
    /// 责任事项 in flow order, then the power's own (`model::duty::rows`):
    /// `stage` (责任环节), `step` (its id, empty for the power's own), `owner`
    /// (承办岗位), `duty`, `time`.
    pub duties: Vec<DutyRow>,
    /// 责任事项依据, one basis a line (《法规》（层级 文号）条款：条文).
    pub duty_basis: Vec<String>,
    /// 追责情形 in the order written, each with its 追责依据.
    pub accountability: Vec<AccountabilityView>,
}

/// One 追责情形 with its 追责依据.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountabilityView {
    /// The case (empty when only its bases are written).
    pub case: String,
    /// Its bases, one a line, as `duty_basis` writes them.
    pub basis: Vec<String>,
}

impl DutiesView {
    pub fn of(p: &Power) -> DutiesView {
        let main_item = p
            .main_item
            .as_ref()
            .map(|m| m.value.trim().to_string())
            .filter(|m| !m.is_empty());
        DutiesView {
            main_item,
            duties: crate::model::duty::rows(p),
            duty_basis: p.duty_basis.iter().map(|b| basis_line(&b.value)).collect(),
            accountability: p
                .accountability
                .iter()
                .map(|a| AccountabilityView {
                    case: a
                        .value
                        .case
                        .as_ref()
                        .map_or(String::new(), |c| c.value.trim().to_string()),
                    basis: a.value.basis.iter().map(|b| basis_line(&b.value)).collect(),
                })
                .filter(|a| !a.case.is_empty() || !a.basis.is_empty())
                .collect(),
        }
    }

    /// Whether there is anything to show beyond the 主项.
    pub fn is_empty(&self) -> bool {
        self.duties.is_empty() && self.duty_basis.is_empty() && self.accountability.is_empty()
    }
}

#[derive(Debug, Serialize)]
pub struct BasisView {
    pub law: String,
    /// 法律, 行政法规 … as written.
    pub level: Option<&'static str>,
    pub doc_no: Option<String>,
    pub article: Option<String>,
    pub text: Option<String>,
    /// The whole entry as one line, as the table writes it.
    pub line: String,
}

#[derive(Debug, Serialize)]
pub struct StepView {
    pub id: String,
    /// The step's name (its id when it has none).
    pub name: String,
    #[serde(rename = "type")]
    pub kind: StepType,
    pub shape: Shape,
    /// The role in law (受理, 决定 …).
    pub role: Option<&'static str>,
    pub owner: Option<String>,
    pub time: Option<String>,
    /// The line under the name: 「owner · time」.
    pub detail: Option<String>,
    /// The step's risk: its number in `risks` (from 1).
    pub risk: Option<usize>,
    pub supervised: bool,
    /// The marks line: 「⚠高风险① ◎监督点 不计入时限」.
    pub marks: Option<String>,
    /// Why the step's time is outside the statutory clock, if it is.
    pub not_counted: Option<String>,
    /// The step's 责任事项 (`duty`), when written.
    pub duty: Option<String>,
    /// The 责任环节 its role is (受理责任, 调查取证责任 …).
    pub stage: Option<&'static str>,
    pub next: Vec<EdgeView>,
}

#[derive(Debug, Serialize)]
pub struct EdgeView {
    pub to: String,
    /// The target's name (its id when the step does not exist).
    pub to_name: String,
    /// Index of the target in `steps`, if it exists.
    #[serde(skip)]
    pub target: Option<usize>,
    pub when: Option<String>,
    pub back: bool,
}

#[derive(Debug, Serialize)]
pub struct RiskView {
    pub no: usize,
    /// ①, ② …
    pub mark: String,
    /// The step's name.
    pub step: String,
    pub step_id: String,
    /// 高风险 / 中风险 / 低风险.
    pub level: &'static str,
    /// `high` / `medium` / `low`.
    pub class: &'static str,
    #[serde(skip)]
    pub style: RiskStyle,
    pub point: Option<String>,
    pub control: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SupervisionView {
    /// The supervised step's name (its id when no step has it).
    pub step: String,
    pub step_id: String,
    pub by: Option<String>,
    pub how: Option<String>,
    pub contact: Option<String>,
}

/// The facts under a flowchart.
#[derive(Debug, Serialize)]
pub struct Footer {
    pub statutory: Option<String>,
    pub promised: Option<String>,
    /// The extension the law allows (`time_limit.extension`).
    pub extension: Option<String>,
    /// Where the statutory clock runs: 「自「受理」起至「作出决定」止」.
    pub clock: Option<String>,
    pub rights: Vec<String>,
    /// Complaint channels with their contacts, as the table writes them.
    pub complaints: Vec<String>,
    pub department: String,
    pub office: String,
}

/// What a missing limit is called on pages and charts ("无" read as "no limit").
pub const NO_STATUTORY: &str = "法律法规未规定";
pub const NO_PROMISE: &str = "未作承诺";

impl Footer {
    /// The footer as lines, in Chinese punctuation; a missing limit reads 无.
    pub fn lines(&self) -> Vec<String> {
        let limit = |l: &Option<String>, none: &str| l.clone().unwrap_or_else(|| none.to_string());
        let mut extra: Vec<String> = Vec::new();
        if self.statutory.is_some() {
            extra.extend(self.clock.clone());
            extra.extend(self.extension.as_ref().map(|e| format!("可延长{e}")));
        }
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!("（{}）", extra.join("，"))
        };
        let mut out = vec![format!(
            "法定时限：{}{extra}　承诺时限：{}",
            limit(&self.statutory, NO_STATUTORY),
            limit(&self.promised, NO_PROMISE)
        )];
        if !self.rights.is_empty() {
            out.push(format!("相对人权利：{}", self.rights.join("、")));
        }
        if !self.complaints.is_empty() {
            out.push(format!("投诉举报：{}", self.complaints.join("；")));
        }
        out.push(format!(
            "实施主体：{}　承办机构：{}",
            self.department, self.office
        ));
        out
    }
}

/// One paragraph of the notes under a chart: risk points, supervision, the
/// steps off the clock, or the footer (no heading).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegendBlock {
    /// `risks`, `supervision`, `uncounted` or `footer` (a CSS class).
    pub class: &'static str,
    pub heading: Option<&'static str>,
    pub lines: Vec<String>,
}

impl PowerView {
    /// The notes under the chart, in the chart's order: the SVG file draws
    /// them, a page and the book write them as text under the figure.
    pub fn legend(&self) -> Vec<LegendBlock> {
        let mut out = Vec::new();
        if !self.risks.is_empty() {
            out.push(LegendBlock {
                class: "risks",
                heading: Some("风险点及防控措施"),
                lines: self.risks.iter().map(RiskView::line).collect(),
            });
        }
        if !self.supervision.is_empty() {
            out.push(LegendBlock {
                class: "supervision",
                heading: Some("监督制约环节"),
                lines: self.supervision.iter().map(SupervisionView::line).collect(),
            });
        }
        let uncounted: Vec<String> = self
            .steps
            .iter()
            .filter_map(|s| Some(format!("{}：{}", s.name, s.not_counted.as_ref()?)))
            .collect();
        if !uncounted.is_empty() {
            out.push(LegendBlock {
                class: "uncounted",
                heading: Some("不计入法定时限的环节"),
                lines: uncounted,
            });
        }
        out.push(LegendBlock {
            class: "footer",
            heading: None,
            lines: self.footer.lines(),
        });
        out
    }
}

impl RiskView {
    /// 「①【高风险】环节：风险点；防控措施：措施」, as listed under the chart.
    pub fn line(&self) -> String {
        format!(
            "{}【{}】{}：{}；防控措施：{}",
            self.mark,
            self.level,
            self.step,
            self.point.as_deref().unwrap_or(""),
            self.control.as_deref().unwrap_or("")
        )
    }
}

impl SupervisionView {
    /// 「◎环节：主体；方式；联系方式」, as listed under the chart.
    pub fn line(&self) -> String {
        let parts: Vec<&str> = [
            self.by.as_deref(),
            self.how.as_deref(),
            self.contact.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        format!("◎{}：{}", self.step, parts.join("；"))
    }
}

fn text(s: &Option<crate::model::Sp<String>>) -> String {
    s.as_ref().map_or(String::new(), |s| s.value.clone())
}

fn opt(s: &Option<crate::model::Sp<String>>) -> Option<String> {
    s.as_ref().map(|s| s.value.clone())
}

/// 「自「受理」起至「作出决定」止」: where the statutory clock runs, by step names.
fn clock_span(p: &Power) -> Option<String> {
    let g = StepGraph::new(p);
    let (from, to) = g.clock(p.category.as_ref().map(|c| c.value.as_str()));
    let names = |ns: &[petgraph::graph::NodeIndex]| {
        let mut v: Vec<String> = ns
            .iter()
            .map(|n| {
                let s = g.steps[n.index()];
                s.name
                    .as_ref()
                    .map_or(s.id(), |n| n.value.as_str())
                    .to_string()
            })
            .collect();
        v.dedup();
        v.iter()
            .map(|n| format!("「{n}」"))
            .collect::<Vec<_>>()
            .join("、")
    };
    if from.is_empty() || to.is_empty() {
        return None;
    }
    Some(format!("自{}起至{}止", names(&from), names(&to)))
}

/// One step's view; a risk point is numbered on as it is met.
fn step_view(
    p: &Power,
    s: &Step,
    index: &HashMap<&str, usize>,
    name_of: &dyn Fn(&str) -> String,
    risks: &mut Vec<RiskView>,
) -> StepView {
    let name = s
        .name
        .as_ref()
        .map_or(s.id(), |n| n.value.as_str())
        .to_string();
    let owner = opt(&s.owner);
    let time = s.time.as_ref().map(|t| t.value.text.clone());
    let detail = match (&owner, &time) {
        (Some(o), Some(t)) => Some(format!("{o} · {t}")),
        (Some(o), None) => Some(o.clone()),
        (None, Some(t)) => Some(t.clone()),
        (None, None) => None,
    };
    let risk = s.risk.as_ref().and_then(|r| {
        let r = &r.value;
        let style = risk_style(r.level.as_ref()?.value);
        let no = risks.len() + 1;
        risks.push(RiskView {
            no,
            mark: circled(no),
            step: name.clone(),
            step_id: s.id().to_string(),
            level: style.label,
            class: style.class,
            style,
            point: opt(&r.point),
            control: opt(&r.control),
        });
        Some(no)
    });
    let supervised = p.is_supervised(s.id());
    let mut marks = Vec::new();
    if let Some(no) = risk {
        let r = &risks[no - 1];
        marks.push(format!("⚠{}{}", r.level, r.mark));
    }
    if supervised {
        marks.push("◎监督点".to_string());
    }
    let not_counted = s.not_counted.as_ref().map(|n| n.value.clone());
    if not_counted.is_some() {
        marks.push("不计入时限".to_string());
    }
    StepView {
        id: s.id().to_string(),
        kind: s.kind(),
        shape: match s.kind() {
            StepType::Start | StepType::End => Shape::Rounded,
            StepType::Decision => Shape::Diamond,
            StepType::Task => Shape::Box,
        },
        role: s.role().map(|r| r.label()),
        owner,
        time,
        detail,
        risk,
        supervised,
        marks: (!marks.is_empty()).then(|| marks.join(" ")),
        not_counted,
        duty: s
            .duty
            .as_ref()
            .map(|d| d.value.trim().to_string())
            .filter(|d| !d.is_empty()),
        stage: s.role().map(stage_of),
        next: s
            .edges()
            .iter()
            .map(|e| EdgeView {
                to: e.to.value.clone(),
                to_name: name_of(&e.to.value),
                target: index.get(e.to.value.as_str()).copied(),
                when: e.when.as_ref().map(|w| w.value.clone()),
                back: e.back,
            })
            .collect(),
        name,
    }
}

impl PowerView {
    pub fn of(p: &Power) -> PowerView {
        let steps = p.steps();
        // The first step with an id is the one `next` means.
        let mut index: HashMap<&str, usize> = HashMap::with_capacity(steps.len());
        for (i, s) in steps.iter().enumerate() {
            index.entry(s.value.id()).or_insert(i);
        }
        let name_of = |id: &str| {
            index
                .get(id)
                .and_then(|&i| steps[i].value.name.as_ref())
                .map_or(id.to_string(), |n| n.value.clone())
        };
        let mut risks = Vec::new();
        let steps_view = steps
            .iter()
            .map(|sp| step_view(p, &sp.value, &index, &name_of, &mut risks))
            .collect();
        let supervision = p
            .supervision
            .iter()
            .map(|s| {
                let s = &s.value;
                let id = s.step.as_ref().map_or("", |x| x.value.as_str());
                SupervisionView {
                    step: name_of(id),
                    step_id: id.to_string(),
                    by: s.by.clone(),
                    how: s.how.clone(),
                    contact: s.contact.clone(),
                }
            })
            .collect();
        PowerView {
            code: p.code().to_string(),
            name: p.name().to_string(),
            category: text(&p.category),
            department: text(&p.department),
            office: text(&p.office),
            basis: p
                .basis()
                .iter()
                .map(|b| {
                    let b = &b.value;
                    BasisView {
                        law: text(&b.law),
                        level: b.level.as_ref().map(|l| l.value.label()),
                        doc_no: b.doc_no.clone(),
                        article: opt(&b.article),
                        text: b.text.as_ref().map(|t| t.value.clone()),
                        line: basis_line(b),
                    }
                })
                .collect(),
            steps: steps_view,
            risks,
            supervision,
            footer: Footer {
                statutory: p.statutory().map(|d| d.value.text.clone()),
                promised: p.promised().map(|d| d.value.text.clone()),
                extension: p.extension().map(|d| d.value.text.clone()),
                clock: clock_span(p),
                rights: p.rights().to_vec(),
                complaints: p
                    .complaints
                    .iter()
                    .map(|c| channel_line(&c.value))
                    .collect(),
                department: text(&p.department),
                office: text(&p.office),
            },
            list: DutiesView::of(p),
        }
    }

    /// 「name　code」: the chart's title.
    pub fn title(&self) -> String {
        format!("{}　{}", self.name, self.code)
    }
}
