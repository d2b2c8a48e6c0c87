//! SPEC §2.3: law and disclosure — basis, time limits, category procedures,
//! rights. One function per rule; each rule's explanation is its entry in
//! `crate::registry`.

use petgraph::graph::NodeIndex;
use petgraph::Direction;

use super::ctx::PowerCtx;
use crate::diag::Finding;
use crate::duration::{exceeds, exceeds_scaled, Amount, Duration, Verdict};
use crate::model::{pos, DurationText, Pos, Role, Sp, COERCION, LICENCE, PENALTY};
use crate::registry::Rule;

/// `basis-required`: no `basis` entry at all.
pub(super) fn basis_required(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let basis = &ctx.power.basis;
    if basis.as_ref().is_none_or(|b| b.value.is_empty()) {
        out.push(Finding::new(
            Rule::BasisRequired,
            basis.as_ref().map_or(Pos::START, pos),
            "没有设定依据 `basis`: 职权法定, 至少列出一条法律依据 (basis required)",
        ));
    }
}

/// `basis-article`: a basis entry without `article`.
pub(super) fn basis_article(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for entry in ctx.power.basis() {
        let missing = entry
            .value
            .article
            .as_ref()
            .is_none_or(|a| a.value.trim().is_empty());
        if missing {
            let law = entry.value.law.as_ref().map_or("", |l| l.value.as_str());
            out.push(Finding::new(
                Rule::BasisArticle,
                pos(entry),
                format!("依据《{law}》没有写明条款 `article`"),
            ));
        }
    }
}

/// A limit and where it was written, if it parsed.
fn limit(d: Option<&Sp<DurationText>>) -> Option<(&Sp<DurationText>, Duration)> {
    let d = d?;
    let v = *d.value.parsed.as_ref().ok()?;
    Some((d, v))
}

/// The promised limit against the statutory one, when both are written.
struct Promise {
    at: Pos,
    statutory: Duration,
    promised: Duration,
    s: Amount,
    p: Amount,
}

fn promise(ctx: &PowerCtx) -> Option<Promise> {
    let (_, statutory) = limit(ctx.power.statutory())?;
    let (at, promised) = limit(ctx.power.promised())?;
    Some(Promise {
        at: pos(at),
        statutory,
        promised,
        s: Amount::of(statutory, ctx.calendar),
        p: Amount::of(promised, ctx.calendar),
    })
}

/// The longest path against the limit it must keep: the promised one, else the statutory.
struct PathLimit {
    at: Pos,
    limit: Duration,
    which: &'static str,
    longest: Amount,
    amount: Amount,
}

fn path_limit(ctx: &PowerCtx) -> Option<PathLimit> {
    let promised = limit(ctx.power.promised());
    let (at, l) = promised.or(limit(ctx.power.statutory()))?;
    let longest = ctx.longest_path()?;
    Some(PathLimit {
        at: pos(at),
        limit: l,
        which: if promised.is_some() {
            "承诺时限"
        } else {
            "法定时限"
        },
        longest,
        amount: Amount::of(l, ctx.calendar),
    })
}

/// `promise-exceeds-statutory`: promised longer than statutory.
pub(super) fn promise_exceeds_statutory(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let Some(c) = promise(ctx) else { return };
    if exceeds(c.p, c.s) == Verdict::Exceeds {
        out.push(Finding::new(
            Rule::PromiseExceedsStatutory,
            c.at,
            format!("承诺时限 {} 长于法定时限 {}", c.promised, c.statutory),
        ));
    }
}

/// `promise-margin`: promised within statutory but more than two thirds of it.
pub(super) fn promise_margin(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let Some(c) = promise(ctx) else { return };
    if exceeds(c.p, c.s) == Verdict::Within && exceeds_scaled(c.p, 3, c.s, 2) == Verdict::Exceeds {
        out.push(Finding::new(
            Rule::PromiseMargin,
            c.at,
            format!(
                "承诺时限 {} 超过法定时限 {} 的三分之二: 原则上应缩短三分之一以上",
                c.promised, c.statutory
            ),
        ));
    }
}

/// `path-exceeds-limit`: the longest start→end path takes longer than the limit.
pub(super) fn path_exceeds_limit(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let Some(l) = path_limit(ctx) else { return };
    if exceeds(l.longest, l.amount) == Verdict::Exceeds {
        out.push(Finding::new(
            Rule::PathExceedsLimit,
            l.at,
            format!(
                "最长办理路径需 {}, 超过{} {} (longest path exceeds the limit)",
                l.longest.describe(),
                l.which,
                l.limit
            ),
        ));
    }
}

/// `mixed-time-units`: each comparison of the three rules above that mixes
/// working and calendar days and cannot be decided without a date.
pub(super) fn mixed_time_units(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if let Some(c) = promise(ctx) {
        match exceeds(c.p, c.s) {
            Verdict::Undecidable => out.push(mixed(
                c.at,
                &format!("承诺时限 {} 与法定时限 {}", c.promised, c.statutory),
                c.p,
                c.s,
            )),
            Verdict::Within if exceeds_scaled(c.p, 3, c.s, 2) == Verdict::Undecidable => {
                out.push(mixed(
                    c.at,
                    &format!(
                        "承诺时限 {} 与法定时限 {} 的三分之二",
                        c.promised, c.statutory
                    ),
                    c.p,
                    c.s,
                ))
            }
            _ => {}
        }
    }
    if let Some(l) = path_limit(ctx) {
        if exceeds(l.longest, l.amount) == Verdict::Undecidable {
            out.push(mixed(
                l.at,
                &format!(
                    "最长办理路径 {} 与{} {}",
                    l.longest.describe(),
                    l.which,
                    l.limit
                ),
                l.longest,
                l.amount,
            ));
        }
    }
}

fn mixed(at: Pos, what: &str, a: Amount, b: Amount) -> Finding {
    Finding::new(
        Rule::MixedTimeUnits,
        at,
        format!(
            "{what}混用工作日与自然日, 无法在不知道起算日期时比较: 前者折合 {}, 后者折合 {} (undecidable without a date)",
            a.bounds(),
            b.bounds()
        ),
    )
}

fn punishes(ctx: &PowerCtx) -> bool {
    ctx.category == Some(PENALTY) || ctx.category == Some(COERCION)
}

/// `penalty-notice`: 行政处罚/强制, a path from the start to a `决定` avoiding every `告知`.
pub(super) fn penalty_notice(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if !punishes(ctx) {
        return;
    }
    let g = &ctx.graph;
    let avoid_notice = |n: NodeIndex| g.steps[n.index()].role() == Some(Role::Notify);
    let reached = g.reach(&ctx.starts, Direction::Outgoing, &avoid_notice);
    for d in g.nodes_with_role(Role::Decide) {
        if reached[d.index()] {
            let s = g.steps[d.index()];
            out.push(Finding::new(
                Rule::PenaltyNotice,
                s.role.as_ref().map_or(Pos::START, pos),
                format!(
                    "存在一条从起点到决定步骤 `{}` 而不经过 `告知` 的路径 (decision without prior notice)",
                    s.id()
                ),
            ));
        }
    }
}

/// `rights-required`: 行政处罚/强制 without 陈述 or 申辩 among `rights`.
pub(super) fn rights_required(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if !punishes(ctx) {
        return;
    }
    let p = ctx.power;
    let rights = p.rights();
    let lacking: Vec<&str> = ["陈述", "申辩"]
        .into_iter()
        .filter(|r| !rights.iter().any(|x| x.contains(r)))
        .collect();
    if !lacking.is_empty() {
        out.push(Finding::new(
            Rule::RightsRequired,
            p.rights.as_ref().map_or(Pos::START, pos),
            format!("`rights` 缺少当事人的 {} 权", lacking.join("、")),
        ));
    }
}

/// `licence-steps`: 行政许可 without a `决定`, or a `决定` with no `受理` before
/// it or no `送达` after it.
pub(super) fn licence_steps(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if ctx.category != Some(LICENCE) {
        return;
    }
    let g = &ctx.graph;
    let decisions = g.nodes_with_role(Role::Decide);
    if decisions.is_empty() {
        out.push(Finding::new(
            Rule::LicenceSteps,
            ctx.steps_at(),
            "行政许可没有 `role: 决定` 的步骤",
        ));
    }
    let has = |role: Role, d: NodeIndex, dir: Direction| {
        let seen = g.reach(&[d], dir, &|_| false);
        g.nodes_with_role(role)
            .into_iter()
            .any(|a| a != d && seen[a.index()])
    };
    for d in decisions {
        let s = g.steps[d.index()];
        let at = s.role.as_ref().map_or(Pos::START, pos);
        if !has(Role::Accept, d, Direction::Incoming) {
            out.push(Finding::new(
                Rule::LicenceSteps,
                at,
                format!("行政许可的决定步骤 `{}` 之前没有 `受理` 步骤", s.id()),
            ));
        }
        if !has(Role::Deliver, d, Direction::Outgoing) {
            out.push(Finding::new(
                Rule::LicenceSteps,
                at,
                format!("行政许可的决定步骤 `{}` 之后没有 `送达` 步骤", s.id()),
            ));
        }
    }
}

/// `complaint-required`: no `complaints` entry.
pub(super) fn complaint_required(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if ctx.power.complaints.is_empty() {
        out.push(Finding::new(
            Rule::ComplaintRequired,
            Pos::START,
            "没有投诉举报途径 `complaints`",
        ));
    }
}

/// `non-public-reason`: `public: false` without a `reason`.
pub(super) fn non_public_reason(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let Some(d) = &ctx.power.disclosure else {
        return;
    };
    let Some(public) = &d.value.public else {
        return;
    };
    let no_reason = d
        .value
        .reason
        .as_ref()
        .is_none_or(|r| r.value.trim().is_empty());
    if !public.value && no_reason {
        out.push(Finding::new(
            Rule::NonPublicReason,
            pos(public),
            "不公开的职权 (`public: false`) 必须写明不公开理由 `reason`",
        ));
    }
}

/// `risk-control`: a `risk` without `control`.
pub(super) fn risk_control(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for sp in ctx.power.steps() {
        let s = &sp.value;
        let Some(risk) = &s.risk else { continue };
        if risk
            .value
            .control
            .as_ref()
            .is_none_or(|c| c.value.trim().is_empty())
        {
            out.push(Finding::new(
                Rule::RiskControl,
                pos(risk),
                format!("步骤 `{}` 的风险点没有防控措施 `control`", s.id()),
            ));
        }
    }
}

/// `decision-supervised`: a `决定` step no `supervision` entry names.
pub(super) fn decision_supervised(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let p = ctx.power;
    for sp in p.steps() {
        let s = &sp.value;
        if s.role() != Some(Role::Decide) || p.is_supervised(s.id()) {
            continue;
        }
        out.push(Finding::new(
            Rule::DecisionSupervised,
            s.id.as_ref().map_or(pos(sp), pos),
            format!("决定步骤 `{}` 没有监督制约环节 `supervision`", s.id()),
        ));
    }
}
