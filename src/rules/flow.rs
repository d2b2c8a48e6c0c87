//! SPEC §2.2: every power's steps as a directed graph. One function per rule;
//! each rule's explanation is its entry in the rule table, `crate::diag::rules`.

use std::collections::HashSet;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef as _;
use petgraph::Direction;

use super::ctx::PowerCtx;
use crate::diag::rules::Rule;
use crate::diag::Finding;
use crate::diag::Pos;
use crate::model::{pos, StepType};

impl PowerCtx<'_> {
    /// Where a step is written: its id, else the list item.
    fn step_pos(&self, n: NodeIndex) -> Pos {
        let s = &self.power.steps()[n.index()];
        self.graph.steps[n.index()].id.as_ref().map_or(pos(s), pos)
    }

    /// A step as messages name it: `id` (name).
    fn label(&self, n: NodeIndex) -> String {
        let s = self.graph.steps[n.index()];
        match s.name.as_ref() {
            Some(name) => format!("`{}`（{}）", s.id(), name.value),
            None => format!("`{}`", s.id()),
        }
    }

    /// Without a start, a step no edge enters looks like one: `start-required`
    /// already says what is wrong, so it is not asked for what only tasks need.
    fn looks_like_start(&self, n: NodeIndex) -> bool {
        self.starts.is_empty()
            && self
                .graph
                .graph
                .neighbors_directed(n, Direction::Incoming)
                .next()
                .is_none()
    }

    /// Without an end, a step without `next` looks like one (see `looks_like_start`).
    fn looks_like_end(&self, n: NodeIndex) -> bool {
        self.ends.is_empty() && self.graph.steps[n.index()].next.is_none()
    }
}

/// 「；是不是 `decide`？」 from the power's step ids, or the list of ids.
fn step_hint(g: &crate::model::graph::StepGraph, id: &str) -> String {
    let ids = g
        .steps
        .iter()
        .filter_map(|s| s.id.as_ref().map(|i| i.value.as_str()));
    match crate::load::suggest::nearest(id, ids.clone()) {
        Some(near) => format!("，是不是 `{near}`？"),
        None => format!("；已有的步骤：{}", ids.collect::<Vec<_>>().join("、")),
    }
}

/// `unknown-step`: a `next` or `supervision.step` naming no step.
pub(super) fn unknown_step(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let g = &ctx.graph;
    for s in &g.steps {
        for e in s.edges() {
            if !g.index.contains_key(e.to.value.as_str()) {
                out.push(Finding::new(
                    Rule::UnknownStep,
                    pos(&e.to),
                    format!(
                        "`next` 指向不存在的步骤 `{}`{}",
                        e.to.value,
                        step_hint(g, &e.to.value)
                    ),
                ));
            }
        }
    }
    if let Some(tl) = &ctx.power.time_limit {
        for (key, id) in [("from", &tl.value.from), ("to", &tl.value.to)] {
            if let Some(id) = id
                .as_ref()
                .filter(|i| !g.index.contains_key(i.value.as_str()))
            {
                out.push(Finding::new(
                    Rule::UnknownStep,
                    pos(id),
                    format!(
                        "`time_limit.{key}` 指向不存在的步骤 `{}`{}",
                        id.value,
                        step_hint(g, &id.value)
                    ),
                ));
            }
        }
    }
    for sup in &ctx.power.supervision {
        if let Some(step) = &sup.value.step {
            if !g.index.contains_key(step.value.as_str()) {
                out.push(Finding::new(
                    Rule::UnknownStep,
                    pos(step),
                    format!(
                        "`supervision.step` 指向不存在的步骤 `{}`{}",
                        step.value,
                        step_hint(g, &step.value)
                    ),
                ));
            }
        }
    }
}

/// `start-required`: no step of type start.
pub(super) fn start_required(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if ctx.starts.is_empty() {
        out.push(Finding::new(
            Rule::StartRequired,
            ctx.steps_at(),
            "流程没有起点：需要一个 `type: start` 的步骤 (no start step)",
        ));
    }
}

/// `single-start`: every start after the first.
pub(super) fn single_start(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for &extra in ctx.starts.iter().skip(1) {
        out.push(Finding::new(
            Rule::SingleStart,
            ctx.step_pos(extra),
            format!(
                "步骤 {} 是第二个起点；起点已有 {} (more than one start)",
                ctx.label(extra),
                ctx.label(ctx.starts[0])
            ),
        ));
    }
}

/// `end-required`: no step of type end.
pub(super) fn end_required(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if ctx.ends.is_empty() {
        out.push(Finding::new(
            Rule::EndRequired,
            ctx.steps_at(),
            "流程没有终点：需要至少一个 `type: end` 的步骤 (no end step)",
        ));
    }
}

/// `start-has-incoming`: an edge into a start, at that edge.
pub(super) fn start_has_incoming(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let g = &ctx.graph;
    for &s in &ctx.starts {
        for e in g.graph.edges_directed(s, Direction::Incoming) {
            let at = e.weight();
            let edge = &g.steps[at.step].edges()[at.edge];
            out.push(Finding::new(
                Rule::StartHasIncoming,
                pos(&edge.to),
                format!(
                    "步骤 `{}` 的 next 指向了起点 {} (edge into the start)",
                    g.steps[at.step].id(),
                    ctx.label(s)
                ),
            ));
        }
    }
}

/// `end-has-next`: an end step with a `next`.
pub(super) fn end_has_next(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for &e in &ctx.ends {
        if let Some(next) = &ctx.graph.steps[e.index()].next {
            out.push(Finding::new(
                Rule::EndHasNext,
                pos(next),
                format!("终点 {} 不应有 `next` (end step has next)", ctx.label(e)),
            ));
        }
    }
}

/// `unreachable-step`: a step the start cannot reach. A reachable `next` naming
/// an unknown step may have been meant to lead anywhere: then nothing is judged.
pub(super) fn unreachable_step(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if ctx.starts.is_empty() {
        return;
    }
    let g = &ctx.graph;
    let reached = g.reach(&ctx.starts, Direction::Outgoing, &|_| false);
    let open_ended = g
        .graph
        .node_indices()
        .any(|n| reached[n.index()] && ctx.unknown_edge[n.index()]);
    if open_ended {
        return;
    }
    for n in g.graph.node_indices() {
        if !reached[n.index()] && g.is_addressable(n) {
            out.push(Finding::new(
                Rule::UnreachableStep,
                ctx.step_pos(n),
                format!("从起点无法到达步骤 {} (unreachable step)", ctx.label(n)),
            ));
        }
    }
}

/// `dead-end`: a step from which no end can be reached. A step with an unknown
/// `next` counts as reaching one: `unknown-step` reports it.
pub(super) fn dead_end(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if ctx.ends.is_empty() {
        return;
    }
    let g = &ctx.graph;
    let mut targets = ctx.ends.clone();
    targets.extend(
        g.graph
            .node_indices()
            .filter(|n| ctx.unknown_edge[n.index()]),
    );
    let reaches_end = g.reach(&targets, Direction::Incoming, &|_| false);
    for n in g.graph.node_indices() {
        let s = g.steps[n.index()];
        if reaches_end[n.index()] || s.kind() == StepType::End || !g.is_addressable(n) {
            continue;
        }
        let message = if s.next.is_none() {
            format!(
                "步骤 {} 不是终点却没有 `next`，流程会停在这里 (dead end)",
                ctx.label(n)
            )
        } else {
            format!(
                "从步骤 {} 出发无法到达任何终点（循环没有出口） (dead end: trap cycle)",
                ctx.label(n)
            )
        };
        out.push(Finding::new(Rule::DeadEnd, ctx.step_pos(n), message));
    }
}

/// `unmarked-cycle`: a cycle left once `back: true` edges are removed, reported
/// at the edge that returns to its earliest step.
pub(super) fn unmarked_cycle(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let g = &ctx.graph;
    for cycle in g.unmarked_cycles() {
        let members: HashSet<NodeIndex> = cycle.iter().copied().collect();
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
                        "；若 `{}` → `{}` 是有意的退回，写作 `{{to: {}, back: true}}`",
                        g.steps[w.step].id(),
                        edge.to.value,
                        edge.to.value
                    ),
                )
            }
            None => (ctx.step_pos(head), String::new()),
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
}

/// `duplicate-flow`: a second edge from one step to the same target.
pub(super) fn duplicate_flow(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for s in &ctx.graph.steps {
        let mut targets: HashSet<&str> = HashSet::new();
        for e in s.edges() {
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
    }
}

/// `branch-label-required`: an edge without `when` (or with a blank one) among two or more.
pub(super) fn branch_label_required(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for s in &ctx.graph.steps {
        let edges = s.edges();
        if edges.len() < 2 {
            continue;
        }
        // A label of blanks labels nothing: the chart would show an empty box.
        let blank =
            |e: &&crate::model::Edge| e.when.as_ref().is_none_or(|w| w.value.trim().is_empty());
        for e in edges.iter().filter(blank) {
            out.push(Finding::new(
                Rule::BranchLabelRequired,
                pos(&e.to),
                format!(
                    "步骤 `{}` 有多个分支，指向 `{}` 的边缺少 `when` (branch label required)",
                    s.id(),
                    e.to.value
                ),
            ));
        }
    }
}

/// `decision-branches`: a decision with fewer than two edges, at its `type`.
pub(super) fn decision_branches(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for (i, sp) in ctx.power.steps().iter().enumerate() {
        let s = &sp.value;
        if s.kind() != StepType::Decision || s.edges().len() >= 2 {
            continue;
        }
        let at = s.id.as_ref().map_or(pos(sp), pos);
        out.push(Finding::new(
            Rule::DecisionBranches,
            s.kind.as_ref().map_or(at, pos),
            format!(
                "判断步骤 {} 只有 {} 条出边，至少需要两条 (decision needs two branches)",
                ctx.label(NodeIndex::new(i)),
                s.edges().len()
            ),
        ));
    }
}

/// The most steps and edges a flow may have: a chart a citizen reads, drawn
/// in bounded time.
pub const MAX_STEPS: usize = 300;
pub const MAX_EDGES: usize = 1000;

/// `flow-too-large`: more than `MAX_STEPS` steps or `MAX_EDGES` edges.
pub(super) fn flow_too_large(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let steps = ctx.power.steps().len();
    let edges: usize = ctx
        .power
        .steps()
        .iter()
        .map(|s| s.value.edges().len())
        .sum();
    if steps > MAX_STEPS || edges > MAX_EDGES {
        out.push(Finding::new(
            Rule::FlowTooLarge,
            ctx.steps_at(),
            format!(
                "流程有 {steps} 个环节、{edges} 条连线，超过上限（{MAX_STEPS} 个环节、{MAX_EDGES} 条连线）(flow too large)"
            ),
        ));
    }
}

/// `owner-required`: a non-start step without `owner`.
pub(super) fn owner_required(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for (i, sp) in ctx.power.steps().iter().enumerate() {
        let s = &sp.value;
        let n = NodeIndex::new(i);
        if s.kind() != StepType::Start
            && !ctx.looks_like_start(n)
            && s.owner.as_ref().is_none_or(|o| o.value.trim().is_empty())
        {
            out.push(Finding::new(
                Rule::OwnerRequired,
                s.id.as_ref().map_or(pos(sp), pos),
                format!("步骤 {} 没有写明承办岗位 `owner`", ctx.label(n)),
            ));
        }
    }
}

/// `time-required`: a task or decision without `time`.
pub(super) fn time_required(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for (i, sp) in ctx.power.steps().iter().enumerate() {
        let s = &sp.value;
        let n = NodeIndex::new(i);
        if matches!(s.kind(), StepType::Task | StepType::Decision)
            && s.time.is_none()
            && !s.by_the_party()
            && !ctx.looks_like_start(n)
            && !ctx.looks_like_end(n)
        {
            out.push(Finding::new(
                Rule::TimeRequired,
                s.id.as_ref().map_or(pos(sp), pos),
                format!("步骤 {} 没有写明办理时限 `time`", ctx.label(n)),
            ));
        }
    }
}
