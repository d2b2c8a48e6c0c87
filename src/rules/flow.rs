//! SPEC §2.2: every power's steps as a directed graph.

use std::collections::HashSet;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef as _;
use petgraph::Direction;

use super::{Doc, Rule};
use crate::diag::Finding;
use crate::graph::StepGraph;
use crate::model::{pos, Pos, Power, StepType};

pub(super) fn doc(rule: Rule) -> Option<Doc> {
    Some(match rule {
        Rule::UnknownStep => Doc {
            summary: "`next` 或 `supervision.step` 引用了不存在的步骤 id。",
            why: "流程图会断开, 监督环节会挂空; 多半是 id 拼写错误。",
            example: "  - id: check\n    next: decied      # 应为 decide",
            fix: "改为已存在的步骤 id, 或补写该步骤。",
        },
        Rule::StartRequired => Doc {
            summary: "没有 `type: start` 的步骤。",
            why: "流程图需要一个起点 (申请或依职权启动), 才能判断可达性和办理时限。",
            example: "steps:\n  - id: apply\n    name: 提出申请      # 缺少 type: start",
            fix: "给流程的第一步加上 `type: start`。",
        },
        Rule::SingleStart => Doc {
            summary: "有多于一个 `type: start` 的步骤。",
            why: "一项职权的运行流程只有一个起点; 多个起点通常是复制粘贴的遗留。",
            example: "  - id: apply\n    type: start\n  - id: apply2\n    type: start",
            fix: "只保留一个起点; 其他入口用判断 (decision) 分支表达。",
        },
        Rule::EndRequired => Doc {
            summary: "没有 `type: end` 的步骤。",
            why: "没有终点的流程无法办结, 也无法计算最长办理时间。",
            example: "  - id: deliver\n    name: 送达决定书     # 缺少 type: end",
            fix: "给办结的步骤 (送达、归档等) 加上 `type: end`。",
        },
        Rule::StartHasIncoming => Doc {
            summary: "有边指向起点步骤。",
            why: "起点是流程的入口; 退回重办应回到受理等步骤, 而不是回到申请人提出申请之前。",
            example: "  - id: fix\n    next: {to: apply, back: true}   # apply 是 start",
            fix: "让退回的边指向受理或审查步骤。",
        },
        Rule::EndHasNext => Doc {
            summary: "终点步骤写了 `next`。",
            why: "终点之后不应还有步骤; 要么它不是终点, 要么 `next` 是多余的。",
            example: "  - id: deliver\n    type: end\n    next: archive",
            fix: "删除 `next`, 或把后续步骤中的最后一个设为终点。",
        },
        Rule::UnreachableStep => Doc {
            summary: "从起点出发无法到达的步骤。",
            why: "无法到达的步骤不会被执行, 却会出现在流程图上, 误导办事群众。",
            example: "  - id: review2\n    name: 复核      # 没有任何步骤的 next 指向它",
            fix: "在前一步的 `next` 中指向它, 或删除它。",
        },
        Rule::DeadEnd => Doc {
            summary: "从该步骤出发无法到达任何终点: 非终点步骤没有 `next`, 或陷入没有出口的循环。",
            why: "办理过程会停在半路, 申请人得不到任何结论。",
            example: "  - id: amend\n    next: {to: accept, back: true}\n  - id: accept\n    next: amend     # 两步互相指向, 没有出口",
            fix: "补写 `next`, 或为循环增加通往终点的分支。",
        },
        Rule::UnmarkedCycle => Doc {
            summary: "流程中存在循环, 但闭合循环的那条边没有标注 `back: true`。",
            why: "补正、退回重审这类循环是有意的, 应当标明; 未标明的循环多半是写错了 next, 而且使最长办理时间无法计算。",
            example: "  - id: amend\n    name: 补正材料\n    next: accept      # 应为 {to: accept, back: true}",
            fix: "若循环是有意的, 把返回前面步骤的边写成 `{to: ..., back: true}`; 否则改正 next。",
        },
        Rule::DuplicateFlow => Doc {
            summary: "同一步骤有两条指向同一目标的边。",
            why: "重复的边在流程图上重叠, 分支条件也会互相矛盾。",
            example: "    next:\n      - {to: decide, when: 符合}\n      - {to: decide, when: 基本符合}",
            fix: "合并为一条边, 条件合并写在一个 `when` 中。",
        },
        Rule::BranchLabelRequired => Doc {
            summary: "一个步骤有两条或更多出边, 其中有边没有写 `when` (分支条件)。",
            why: "读图的人需要知道在什么条件下走哪一条路。",
            example: "    next:\n      - {to: grant, when: 批准}\n      - refuse          # 缺少 when",
            fix: "为每条出边写上 `when`, 如 `when: 不予批准`。",
        },
        Rule::DecisionBranches => Doc {
            summary: "判断 (`type: decision`) 步骤的出边少于两条。",
            why: "判断必须至少有两个结果 (如准予/不予); 只有一条出路的不是判断。",
            example: "  - id: decide\n    type: decision\n    next: grant",
            fix: "补写另一个分支 (如不予批准并说明理由), 或把 type 改为 task。",
        },
        Rule::OwnerRequired => Doc {
            summary: "非起点步骤没有 `owner` (承办岗位)。",
            why: "流程图须载明各环节的承办岗位 (seed 004 第(2)项), 责任才能落实到人。",
            example: "  - id: check\n    name: 审查材料     # 缺少 owner",
            fix: "写明承办的科室或岗位, 如 `owner: 社会救助股`。",
        },
        Rule::TimeRequired => Doc {
            summary: "办理或判断步骤没有 `time` (办理时限); 起点和终点不需要。",
            why: "流程图须载明各环节的办理时限 (seed 004 第(4)项), 也用于核对总时限。",
            example: "  - id: check\n    name: 审查材料\n    owner: 社会救助股     # 缺少 time",
            fix: "写明时限, 如 `time: 5个工作日` 或 `time: 即办`。",
        },
        _ => return None,
    })
}

fn step_pos(g: &StepGraph, n: NodeIndex, power: &Power) -> Pos {
    let s = &power.steps()[n.index()];
    g.steps[n.index()].id.as_ref().map_or(pos(s), pos)
}

fn label(g: &StepGraph, n: NodeIndex) -> String {
    let s = g.steps[n.index()];
    match s.name.as_ref() {
        Some(name) => format!("`{}` ({})", s.id(), name.value),
        None => format!("`{}`", s.id()),
    }
}

pub(super) fn check_power(power: &Power, out: &mut Vec<Finding>) {
    let g = StepGraph::new(power);

    // unknown-step
    for s in &g.steps {
        for e in s.edges() {
            if !g.index.contains_key(e.to.value.as_str()) {
                out.push(Finding::new(
                    Rule::UnknownStep,
                    pos(&e.to),
                    format!("`next` 指向不存在的步骤 `{}` (unknown step)", e.to.value),
                ));
            }
        }
    }
    for sup in &power.supervision {
        if let Some(step) = &sup.value.step {
            if !g.index.contains_key(step.value.as_str()) {
                out.push(Finding::new(
                    Rule::UnknownStep,
                    pos(step),
                    format!(
                        "`supervision.step` 指向不存在的步骤 `{}` (unknown step)",
                        step.value
                    ),
                ));
            }
        }
    }

    let starts = g.nodes_of_type(StepType::Start);
    let ends = g.nodes_of_type(StepType::End);
    let steps_at = power.steps.as_ref().map_or(Pos::START, pos);
    if starts.is_empty() {
        out.push(Finding::new(
            Rule::StartRequired,
            steps_at,
            "流程没有起点: 需要一个 `type: start` 的步骤 (no start step)",
        ));
    }
    for &extra in starts.iter().skip(1) {
        out.push(Finding::new(
            Rule::SingleStart,
            step_pos(&g, extra, power),
            format!(
                "步骤 {} 是第二个起点; 起点已有 {} (more than one start)",
                label(&g, extra),
                label(&g, starts[0])
            ),
        ));
    }
    if ends.is_empty() {
        out.push(Finding::new(
            Rule::EndRequired,
            steps_at,
            "流程没有终点: 需要至少一个 `type: end` 的步骤 (no end step)",
        ));
    }

    for &s in &starts {
        for e in g.graph.edges_directed(s, Direction::Incoming) {
            let at = e.weight();
            let edge = &g.steps[at.step].edges()[at.edge];
            out.push(Finding::new(
                Rule::StartHasIncoming,
                pos(&edge.to),
                format!(
                    "步骤 `{}` 的 next 指向了起点 {} (edge into the start)",
                    g.steps[at.step].id(),
                    label(&g, s)
                ),
            ));
        }
    }
    for &e in &ends {
        if let Some(next) = &g.steps[e.index()].next {
            out.push(Finding::new(
                Rule::EndHasNext,
                pos(next),
                format!("终点 {} 不应有 `next` (end step has next)", label(&g, e)),
            ));
        }
    }

    // A `next` naming an unknown step is reported once; where it was meant to lead
    // is unknown, so its source may reach anything and is not judged a dead end.
    let has_unknown_edge: Vec<bool> = g
        .steps
        .iter()
        .map(|s| {
            s.edges()
                .iter()
                .any(|e| !g.index.contains_key(e.to.value.as_str()))
        })
        .collect();

    if !starts.is_empty() {
        let reached = g.reach(&starts, Direction::Outgoing, &|_| false);
        let open_ended = g
            .graph
            .node_indices()
            .any(|n| reached[n.index()] && has_unknown_edge[n.index()]);
        for n in g.graph.node_indices().filter(|_| !open_ended) {
            if !reached[n.index()] && g.is_addressable(n) {
                out.push(Finding::new(
                    Rule::UnreachableStep,
                    step_pos(&g, n, power),
                    format!("从起点无法到达步骤 {} (unreachable step)", label(&g, n)),
                ));
            }
        }
    }

    if !ends.is_empty() {
        let mut targets = ends.clone();
        targets.extend(
            g.graph
                .node_indices()
                .filter(|n| has_unknown_edge[n.index()]),
        );
        let reaches_end = g.reach(&targets, Direction::Incoming, &|_| false);
        for n in g.graph.node_indices() {
            let s = g.steps[n.index()];
            if reaches_end[n.index()] || s.kind() == StepType::End || !g.is_addressable(n) {
                continue;
            }
            let message = if s.next.is_none() {
                format!(
                    "步骤 {} 不是终点却没有 `next`, 流程会停在这里 (dead end)",
                    label(&g, n)
                )
            } else {
                format!(
                    "从步骤 {} 出发无法到达任何终点 (循环没有出口) (dead end: trap cycle)",
                    label(&g, n)
                )
            };
            out.push(Finding::new(Rule::DeadEnd, step_pos(&g, n, power), message));
        }
    }

    for cycle in g.unmarked_cycles() {
        let members: HashSet<NodeIndex> = cycle.iter().copied().collect();
        // The edge that returns to the earliest step of the cycle is the one to mark.
        let head = cycle[0];
        let closing = g
            .graph
            .edges_directed(head, Direction::Incoming)
            .filter(|e| members.contains(&e.source()) && !e.weight().back)
            .max_by_key(|e| e.source().index());
        let names: Vec<&str> = cycle.iter().map(|n| g.steps[n.index()].id()).collect();
        let (at, hint) = match closing {
            Some(e) => {
                let w = e.weight();
                let edge = &g.steps[w.step].edges()[w.edge];
                (
                    pos(&edge.to),
                    format!(
                        "; 若 `{}` → `{}` 是有意的退回, 写作 `{{to: {}, back: true}}`",
                        g.steps[w.step].id(),
                        edge.to.value,
                        edge.to.value
                    ),
                )
            }
            None => (step_pos(&g, head, power), String::new()),
        };
        out.push(Finding::new(
            Rule::UnmarkedCycle,
            at,
            format!(
                "步骤 {} 构成未标注的循环{hint} (unmarked cycle)",
                names.join(" → ")
            ),
        ));
    }

    for s in &g.steps {
        let edges = s.edges();
        let mut targets: HashSet<&str> = HashSet::new();
        for e in edges {
            if !targets.insert(e.to.value.as_str()) {
                out.push(Finding::new(
                    Rule::DuplicateFlow,
                    pos(&e.to),
                    format!(
                        "步骤 `{}` 有两条指向 `{}` 的边 (duplicate flow)",
                        s.id(),
                        e.to.value
                    ),
                ));
            }
        }
        if edges.len() >= 2 {
            for e in edges.iter().filter(|e| e.when.is_none()) {
                out.push(Finding::new(
                    Rule::BranchLabelRequired,
                    pos(&e.to),
                    format!(
                        "步骤 `{}` 有多个分支, 指向 `{}` 的边缺少 `when` (branch label required)",
                        s.id(),
                        e.to.value
                    ),
                ));
            }
        }
    }

    // Without a start (or an end), the steps that look like one are not asked for
    // what only tasks need: `start-required` / `end-required` already say what is wrong.
    let looks_like_start = |n: NodeIndex| {
        starts.is_empty()
            && g.graph
                .neighbors_directed(n, Direction::Incoming)
                .next()
                .is_none()
    };
    let looks_like_end = |n: NodeIndex| ends.is_empty() && g.steps[n.index()].next.is_none();
    for (i, sp) in power.steps().iter().enumerate() {
        let s = &sp.value;
        let at = s.id.as_ref().map_or(pos(sp), pos);
        let kind = s.kind();
        let n = NodeIndex::new(i);
        if kind == StepType::Decision && s.edges().len() < 2 {
            let kind_at = s.kind.as_ref().map_or(at, pos);
            out.push(Finding::new(
                Rule::DecisionBranches,
                kind_at,
                format!(
                    "判断步骤 {} 只有 {} 条出边, 至少需要两条 (decision needs two branches)",
                    label(&g, NodeIndex::new(i)),
                    s.edges().len()
                ),
            ));
        }
        if kind != StepType::Start
            && !looks_like_start(n)
            && s.owner.as_ref().is_none_or(|o| o.value.trim().is_empty())
        {
            out.push(Finding::new(
                Rule::OwnerRequired,
                at,
                format!(
                    "步骤 {} 没有写明承办岗位 `owner`",
                    label(&g, NodeIndex::new(i))
                ),
            ));
        }
        if matches!(kind, StepType::Task | StepType::Decision)
            && s.time.is_none()
            && !looks_like_start(n)
            && !looks_like_end(n)
        {
            out.push(Finding::new(
                Rule::TimeRequired,
                at,
                format!(
                    "步骤 {} 没有写明办理时限 `time`",
                    label(&g, NodeIndex::new(i))
                ),
            ));
        }
    }
}
