//! The publication gate: what the 流程图 a county publishes must show (承办岗位
//! on every step, 办理时限 on the office's tasks and decisions, 相对人权利,
//! 投诉举报途径 with a contact, 监督制约环节). `build` refuses a public power
//! that lacks any of them, as it refuses drafts, unless `[publish]` in
//! `powerlist.toml` relaxes that item by name.

use crate::config::PublishConfig;
use crate::model::{Power, StepType};

/// What a power's published flowchart lacks, each as the officer reads it
/// (「办理时限（步骤 review、decide）」); empty when it may be published.
pub fn lacks(p: &Power, gate: &PublishConfig) -> Vec<String> {
    let mut out = Vec::new();
    let steps = p.steps();
    let ids = |keep: &dyn Fn(&crate::model::Step) -> bool| -> Vec<&str> {
        steps
            .iter()
            .map(|s| &s.value)
            .filter(|s| keep(s))
            .map(|s| s.id())
            .collect()
    };
    let unowned = ids(&|s| {
        s.kind() != StepType::Start && s.owner.as_ref().is_none_or(|o| o.value.trim().is_empty())
    });
    if gate.owners && !unowned.is_empty() && !p.allows("owner-required") {
        out.push(format!("承办岗位（步骤 {}）", unowned.join("、")));
    }
    // A power that exempts itself from the matching rule in its own `allow`
    // has said why there (`unused-allow` keeps that honest); the gate reads
    // the same steps the rules do.
    let untimed = ids(&|s| {
        matches!(s.kind(), StepType::Task | StepType::Decision)
            && s.time.is_none()
            && !s.by_the_party()
    });
    if gate.times && !untimed.is_empty() && !p.allows("time-required") {
        out.push(format!("办理时限（步骤 {}）", untimed.join("、")));
    }
    if gate.rights
        && p.rights.as_ref().is_none_or(|r| r.value.is_empty())
        && !p.allows("rights-required")
    {
        out.push("相对人权利".to_string());
    }
    if gate.complaints
        && !p.complaints.iter().any(|c| c.value.reachable())
        && !p.allows("complaint-required")
    {
        out.push("投诉举报途径及其联系方式".to_string());
    }
    if gate.supervision && p.supervision.is_empty() {
        out.push("监督制约环节".to_string());
    }
    out
}

/// A public power the gate holds back: its file, code and what it lacks.
#[derive(Debug, Clone, Copy)]
pub struct Held<'a> {
    pub file: &'a str,
    pub code: &'a str,
    pub lacks: &'a [String],
}

/// At most this many powers are named one per line; the rest are counted.
const NAMED: usize = 100;

/// The gate's refusal as the officer reads it: one line per power held back
/// (`shown` gives a file's path as the reader knows it, `safe` makes a line
/// inert for where it goes), and how to relax it.
pub fn summary(
    held: &[Held<'_>],
    shown: &dyn Fn(&str) -> String,
    safe: &dyn Fn(&str) -> String,
) -> String {
    let mut text = format!(
        "{} 项公开职权的流程图缺少规范权力运行要求载明的内容，不发布 (refused: flowcharts lack what publishing requires)：\n",
        held.len()
    );
    for l in held.iter().take(NAMED) {
        let line = format!(
            "{}（{}）缺少：{}",
            shown(l.file),
            l.code,
            l.lacks.join("；")
        );
        text.push_str(&format!("  {}\n", safe(&line)));
    }
    if held.len() > NAMED {
        text.push_str(&format!("  ……另有 {} 项\n", held.len() - NAMED));
    }
    text.push_str(
        "确需先行发布的，在 powerlist.toml 的 [publish] 中逐项明确放宽，如 `times = false`（见 README「发布前的要求」）",
    );
    text
}
