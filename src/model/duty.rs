//! A power's 责任事项 as the 权责清单 lists them (SPEC §7): the `duty` of each
//! step in flow order, named by the stage its role is (受理责任, 调查取证责任 …),
//! then the duties that belong to no step (事后监管责任 …).

use super::graph::StepGraph;
use super::{Power, Role, Step};

/// One row of a power's 责任事项 table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DutyRow {
    /// 受理责任, 审查责任 …
    pub stage: String,
    /// The step's id; empty for a duty of the power's own.
    pub step: String,
    /// 承办岗位 (the step's owner).
    pub owner: String,
    pub duty: String,
    /// The step's time as written.
    pub time: String,
}

/// The stage a role is in a 责任事项 list (stage names of the 编办 templates).
pub fn stage_of(role: Role) -> &'static str {
    match role {
        Role::Apply => "申请",
        Role::Accept => "受理责任",
        Role::Amend => "补正责任",
        Role::Review => "审查责任",
        Role::Open => "立案责任",
        Role::Investigate => "调查取证责任",
        Role::Notify => "告知责任",
        Role::Hearing => "听证责任",
        Role::Decide => "决定责任",
        Role::Deliver => "送达责任",
        Role::Enforce => "执行责任",
        Role::Archive => "归档责任",
        Role::Publicise => "公示责任",
        Role::Remind => "催告责任",
        Role::ApplyExecution => "申请执行责任",
        Role::Substitute => "代履行责任",
        Role::ImmediateSubstitute => "立即代履行责任",
        Role::LateFine => "加处罚款责任",
        Role::OnTheSpot => "当场处罚责任",
    }
}

/// The role a stage name (as tables write it: 受理责任, 调查取证, 受理阶段责任 …)
/// stands for, if any.
pub fn role_of_stage(stage: &str) -> Option<Role> {
    let s: String = stage.chars().filter(|c| !c.is_whitespace()).collect();
    let s = s
        .trim_end_matches("责任")
        .trim_end_matches("阶段")
        .trim_end_matches("环节");
    let s = s.trim_end_matches('的');
    Some(match s {
        "受理" | "受理审核" => Role::Accept,
        "补正" | "补正告知" => Role::Amend,
        "审查" | "审核" | "审查审核" | "法制审核" => Role::Review,
        "立案" => Role::Open,
        "调查" | "调查取证" | "检查" | "现场检查" => Role::Investigate,
        "告知" | "事先告知" => Role::Notify,
        "听证" => Role::Hearing,
        "决定" | "审批" | "批准" => Role::Decide,
        "送达" | "公布" => Role::Deliver,
        "执行" => Role::Enforce,
        "归档" | "立卷归档" => Role::Archive,
        "公示" => Role::Publicise,
        "催告" => Role::Remind,
        "申请执行" | "申请强制执行" => Role::ApplyExecution,
        "代履行" => Role::Substitute,
        "立即代履行" => Role::ImmediateSubstitute,
        "加处罚款" => Role::LateFine,
        "当场处罚" | "当场决定" => Role::OnTheSpot,
        _ => return None,
    })
}

/// A character a stage label is written with: Chinese, and （）.
pub fn is_label_char(c: char) -> bool {
    (c.is_alphabetic() && !c.is_ascii()) || matches!(c, '（' | '）')
}

/// A step's stage name: its role's; else its own name with 责任 (村（居）委会
/// 初审责任) when the name is a short label, or 其他环节责任.
pub fn stage_of_step(step: &Step) -> String {
    match step.role() {
        Some(r) => stage_of(r).to_string(),
        None => {
            let name = step.name.as_ref().map_or("", |n| n.value.trim());
            let short = (1..=20).contains(&name.chars().count());
            if short && name.chars().all(is_label_char) {
                format!("{}责任", name.trim_end_matches("责任"))
            } else {
                "其他环节责任".to_string()
            }
        }
    }
}

fn written(s: &Option<super::Sp<String>>) -> Option<&str> {
    s.as_ref().map(|v| v.value.trim()).filter(|v| !v.is_empty())
}

/// The 责任事项 of a power, row by row: steps with a `duty` in flow order,
/// then `duties`.
pub fn rows(p: &Power) -> Vec<DutyRow> {
    let steps = p.steps();
    let mut out = Vec::new();
    for i in StepGraph::new(p).flow_order() {
        let s = &steps[i].value;
        let Some(duty) = written(&s.duty) else {
            continue;
        };
        out.push(DutyRow {
            stage: stage_of_step(s),
            step: s.id().to_string(),
            owner: written(&s.owner).unwrap_or_default().to_string(),
            duty: duty.to_string(),
            time: s
                .time
                .as_ref()
                .map_or_else(String::new, |t| t.value.text.clone()),
        });
    }
    for d in &p.duties {
        let (Some(stage), Some(duty)) = (written(&d.value.stage), written(&d.value.duty)) else {
            continue;
        };
        out.push(DutyRow {
            stage: stage.to_string(),
            step: String::new(),
            owner: String::new(),
            duty: duty.to_string(),
            time: String::new(),
        });
    }
    out
}

/// The 责任事项 as one table cell lists them: one numbered stage per line,
/// steps of one stage together (their different duties joined by ；).
pub fn stages(p: &Power) -> Vec<(String, String)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for row in rows(p) {
        match out.iter_mut().find(|(s, _)| *s == row.stage) {
            Some((_, duties)) if duties.contains(&row.duty) => {}
            Some((_, duties)) => duties.push(row.duty),
            None => out.push((row.stage, vec![row.duty])),
        }
    }
    out.into_iter().map(|(s, d)| (s, d.join("；"))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_names_read_back_as_their_roles() {
        for &r in Role::ALL {
            if r != Role::Apply {
                assert_eq!(role_of_stage(stage_of(r)), Some(r), "{r:?}");
            }
        }
        assert_eq!(role_of_stage("调查取证"), Some(Role::Investigate));
        assert_eq!(role_of_stage("受理阶段责任"), Some(Role::Accept));
        assert_eq!(role_of_stage("事后监管责任"), None);
    }
}
