//! SPEC §5.4, §5.7: decisions and what they decide — which 决定 imposes a
//! penalty (`outcome`, else the version-2 reading), 告知 before it and time to
//! answer (`penalty-notice`, 行政处罚法第四十四、四十五、五十一、六十四条), and a
//! licence refused at 受理 without a written notice (`refusal-written`,
//! 行政许可法第三十二条第二款).

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef as _;
use petgraph::Direction;

use super::ctx::PowerCtx;
use crate::diag::rules::Rule;
use crate::diag::{Finding, Pos};
use crate::model::duration::Amount;
use crate::model::graph::StepGraph;
use crate::model::{pos, Edge, Outcome, Role, StepType, LICENCE, PENALTY};

/// Nodes reachable from `from` over forward edges (no `back: true`), never
/// entering a node in `avoid`; the `from` nodes themselves included.
pub(super) fn forward_reach(
    g: &StepGraph,
    from: &[NodeIndex],
    avoid: &dyn Fn(NodeIndex) -> bool,
) -> Vec<bool> {
    let mut seen = vec![false; g.graph.node_count()];
    let mut stack: Vec<NodeIndex> = Vec::new();
    for &n in from {
        if !seen[n.index()] {
            seen[n.index()] = true;
            stack.push(n);
        }
    }
    while let Some(n) = stack.pop() {
        for e in g.graph.edges_directed(n, Direction::Outgoing) {
            let m = e.target();
            if !e.weight().back && !seen[m.index()] && !avoid(m) {
                seen[m.index()] = true;
                stack.push(m);
            }
        }
    }
    seen
}

fn role(g: &StepGraph, n: NodeIndex) -> Option<Role> {
    g.steps[n.index()].role()
}

fn decides(g: &StepGraph, n: NodeIndex) -> bool {
    role(g, n).is_some_and(Role::decides)
}

/// Whether one branch of a decision imposes what is decided: its `outcome`
/// says so, or — none written — it reaches a `送达` or `执行` without another
/// decision (SPEC §5.4, §5.7).
fn branch_imposes(g: &StepGraph, e: &Edge) -> bool {
    if let Some(o) = &e.outcome {
        return o.value.imposes();
    }
    let Some(&t) = g.index.get(e.to.value.as_str()) else {
        return false;
    };
    if e.back || decides(g, t) {
        return false;
    }
    let after = forward_reach(g, &[t], &|n| decides(g, n));
    g.graph
        .node_indices()
        .any(|n| after[n.index()] && matches!(role(g, n), Some(Role::Deliver | Role::Enforce)))
}

/// Whether a decision step can impose the penalty: its own `outcome`, else
/// one of its branches (不予处罚, 撤销案件 and 移送 impose nothing, whatever
/// follows them: a 不予行政处罚决定书 is served too, 行政处罚法第五十七条).
pub(super) fn imposes(ctx: &PowerCtx, d: NodeIndex) -> bool {
    let g = &ctx.graph;
    let s = g.steps[d.index()];
    match &s.outcome {
        Some(o) => o.value.imposes(),
        None => s.edges().iter().any(|e| branch_imposes(g, e)),
    }
}

/// An edge out of a `告知` on which the party waives 陈述、申辩 (and 听证): the
/// branch says so (「当事人明确放弃陈述、申辩」). The one place a rule reads a
/// branch label: the waiver is the party's, and only the label records it.
fn waived(e: &Edge) -> bool {
    e.when.as_ref().is_some_and(|w| w.value.contains("放弃"))
}

/// Per step, the least time (upper bound, in days) from the last step of
/// `role` before it (its own time included) up to the step (its own time not),
/// over forward paths; `None` where no path from such a step arrives. A step
/// without a `time` is not known to take no time, so it counts as long. An
/// edge `skip` rejects carries nothing.
pub(super) fn since(
    ctx: &PowerCtx,
    from_role: Role,
    skip: &dyn Fn(Role, &Edge) -> bool,
    own: &dyn Fn(usize) -> u32,
) -> Vec<Option<u32>> {
    let g = &ctx.graph;
    let n = g.graph.node_count();
    let mut since: Vec<Option<u32>> = vec![None; n];
    let Some(order) = g.forward_order() else {
        return since;
    };
    for u in order {
        let step = g.steps[u.index()];
        let carried = if step.role() == Some(from_role) {
            Some(own(u.index()))
        } else {
            since[u.index()].map(|s| s.saturating_add(own(u.index())))
        };
        let Some(c) = carried else { continue };
        for e in g.graph.edges_directed(u, Direction::Outgoing) {
            let at = e.weight();
            let skipped = step.role().is_some_and(|r| skip(r, &step.edges()[at.edge]));
            if at.back || skipped {
                continue;
            }
            let v = e.target().index();
            since[v] = Some(since[v].map_or(c, |s| s.min(c)));
        }
    }
    since
}

/// `penalty-notice`: 行政处罚, a path to an imposing decision avoids every
/// `告知`, or — in the ordinary procedure, the party not having waived —
/// leaves no time between `告知` and that `决定` (第四十四、四十五、六十四条; a
/// `当场处罚` under 第五十一条 needs 告知 but no time before it).
pub(super) fn penalty_notice(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if ctx.category != Some(PENALTY) {
        return;
    }
    let g = &ctx.graph;
    let avoid_notice = |n: NodeIndex| role(g, n) == Some(Role::Notify);
    let reached = g.reach(&ctx.starts, Direction::Outgoing, &avoid_notice);
    let own = |i: usize| {
        g.steps[i]
            .time
            .as_ref()
            .and_then(|t| t.value.parsed.as_ref().ok())
            .map_or(u32::MAX, |d| Amount::of(*d, ctx.calendar).hi)
    };
    let since = since(
        ctx,
        Role::Notify,
        &|r, e| r == Role::Notify && waived(e),
        &own,
    );
    for d in g.decisions() {
        if !imposes(ctx, d) {
            continue;
        }
        let s = g.steps[d.index()];
        let at = s.role.as_ref().map_or(Pos::START, pos);
        if reached[d.index()] {
            out.push(Finding::new(
                Rule::PenaltyNotice,
                at,
                format!(
                    "存在一条从起点到处罚决定 `{}` 而不经过 `告知` 的路径：行政处罚法第四十四条，作出决定前应当告知（当场处罚也须告知） (decision without prior notice)",
                    s.id()
                ),
            ));
        } else if s.role() == Some(Role::Decide) && since[d.index()] == Some(0) {
            out.push(Finding::new(
                Rule::PenaltyNotice,
                at,
                format!(
                    "从 `告知` 到处罚决定 `{}` 有一条路径不留任何时间：当事人有权陈述、申辩（第四十五条），并可在告知后五日内要求听证（第六十四条）；当场处罚写作 `role: 当场处罚`，当事人明确放弃的在分支上写明「放弃陈述、申辩」 (no time between notice and decision)",
                    s.id()
                ),
            ));
        }
    }
}

/// Whether a branch of a `受理` refuses: `outcome: 不予`, or with no outcome
/// it reaches an end over forward edges without a decision (the 补正 loop, a
/// back edge, is no refusal). A refusal is a decision the party may challenge.
pub(super) fn refuses(g: &StepGraph, e: &Edge) -> bool {
    if let Some(o) = &e.outcome {
        return o.value == Outcome::Refuse;
    }
    let Some(&t) = g.index.get(e.to.value.as_str()) else {
        return false;
    };
    if e.back || decides(g, t) {
        return false;
    }
    let undecided = forward_reach(g, &[t], &|n| decides(g, n));
    g.graph
        .node_indices()
        .any(|n| undecided[n.index()] && g.steps[n.index()].kind() == StepType::End)
}

/// `refusal-written`: 行政许可, a branch of `受理` that refuses — `outcome:
/// 不予`, or with no outcome reaching an end without a decision (the 补正
/// loop is no refusal) — ends without a `送达` (行政许可法第三十二条第二款).
pub(super) fn refusal_written(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if ctx.category != Some(LICENCE) {
        return;
    }
    let g = &ctx.graph;
    let is_end = |n: NodeIndex| g.steps[n.index()].kind() == StepType::End;
    for a in g.nodes_with_role(Role::Accept) {
        let s = g.steps[a.index()];
        for e in s.edges() {
            let Some(&t) = g.index.get(e.to.value.as_str()) else {
                continue;
            };
            if !refuses(g, e) {
                continue;
            }
            let unserved = forward_reach(g, &[t], &|n| role(g, n) == Some(Role::Deliver));
            let bare = role(g, t) != Some(Role::Deliver)
                && g.graph
                    .node_indices()
                    .any(|n| unserved[n.index()] && is_end(n) && role(g, n) != Some(Role::Deliver));
            if bare {
                let branch = e
                    .when
                    .as_ref()
                    .map_or(e.to.value.as_str(), |w| w.value.as_str());
                out.push(Finding::new(
                    Rule::RefusalWritten,
                    pos(&e.to),
                    format!(
                        "受理步骤 `{}` 的不予受理分支「{branch}」没有经过 `送达` 就结束了：行政许可法第三十二条第二款，不予受理应当出具加盖专用印章和注明日期的书面凭证",
                        s.id()
                    ),
                ));
            }
        }
    }
}
