//! SPEC §2.3 and §5: law and disclosure — basis and setting power, the
//! statutory clock, days in law, the procedures of 处罚, 强制 and 许可, rights,
//! complaint and supervision contacts, grounds for not publishing. One function
//! per rule; each rule's explanation is its entry in the rule table, `crate::diag::rules`.

use petgraph::graph::NodeIndex;
use petgraph::Direction;

use super::ctx::PowerCtx;
use crate::diag::rules::Rule;
use crate::diag::{Finding, Pos};
use crate::model::duration::{
    exceeds, exceeds_scaled, is_bare_days, Amount, Duration, Unit, Verdict,
};
use crate::model::{pos, DurationText, Role, Sp, StepType, COERCION, LICENCE, PENALTY};

/// `basis-required`: no `basis` entry at all.
pub(super) fn basis_required(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let basis = &ctx.power.basis;
    if basis.as_ref().is_none_or(|b| b.value.is_empty()) {
        out.push(Finding::new(
            Rule::BasisRequired,
            basis.as_ref().map_or(Pos::START, pos),
            "没有设定依据 `basis`: 职权法定，至少列出一条法律依据 (basis required)",
        ));
    }
}

/// `basis-article`: a basis entry without `article`.
pub(super) fn basis_article(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for entry in ctx.power.cited() {
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

impl Promise {
    fn exceeds(&self) -> Verdict {
        exceeds(self.p, self.s)
    }

    /// More than two thirds: 3·promised > 2·statutory.
    fn margin(&self) -> Verdict {
        exceeds_scaled(self.p, 3, self.s, 2)
    }
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

/// The clock's paths against the limit they must keep: the promised one, else
/// statutory + extension.
struct PathLimit {
    at: Pos,
    what: String,
    amount: Amount,
    /// The worst verdict over the paths, and the path time it was reached on.
    verdict: Verdict,
    path: Amount,
}

fn path_limit(ctx: &PowerCtx) -> Option<PathLimit> {
    let promised = limit(ctx.power.promised());
    let (at, amount, what) = match promised {
        Some((at, p)) => (at, Amount::of(p, ctx.calendar), format!("承诺时限 {p}")),
        None => {
            let (at, s) = limit(ctx.power.statutory())?;
            let mut amount = Amount::of(s, ctx.calendar);
            let mut what = format!("法定时限 {s}");
            if let Some((_, e)) = limit(ctx.power.extension()) {
                amount = amount.plus(Amount::of(e, ctx.calendar));
                what = format!("法定时限 {s} 加延长期限 {e}");
            }
            (at, amount, what)
        }
    };
    let times = ctx.clock_times()?;
    let rank = |v: Verdict| match v {
        Verdict::Exceeds => 2,
        Verdict::Undecidable => 1,
        Verdict::Within => 0,
    };
    let (verdict, path) = times
        .iter()
        .map(|t| (exceeds(*t, amount), *t))
        .max_by_key(|(v, t)| (rank(*v), t.hi))?;
    Some(PathLimit {
        at: pos(at),
        what,
        amount,
        verdict,
        path,
    })
}

/// `promise-exceeds-statutory`: promised longer than statutory.
pub(super) fn promise_exceeds_statutory(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let Some(c) = promise(ctx) else { return };
    if c.exceeds() == Verdict::Exceeds {
        out.push(Finding::new(
            Rule::PromiseExceedsStatutory,
            c.at,
            format!("承诺时限 {} 长于法定时限 {}", c.promised, c.statutory),
        ));
    }
}

/// `promise-margin`: promised more than two thirds of statutory, whenever that
/// is decidable (also when the plain comparison is not).
pub(super) fn promise_margin(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let Some(c) = promise(ctx) else { return };
    if c.exceeds() != Verdict::Exceeds && c.margin() == Verdict::Exceeds {
        out.push(Finding::new(
            Rule::PromiseMargin,
            c.at,
            format!(
                "承诺时限 {} 超过法定时限 {} 的三分之二：按规范权力运行的要求，原则上应缩短三分之一以上",
                c.promised, c.statutory
            ),
        ));
    }
}

/// `path-exceeds-limit`: a path on the statutory clock takes longer than its limit.
pub(super) fn path_exceeds_limit(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let Some(l) = path_limit(ctx) else { return };
    if l.verdict == Verdict::Exceeds {
        out.push(Finding::new(
            Rule::PathExceedsLimit,
            l.at,
            format!(
                "法定时限计时段内有一条路径需 {}，超过{} (path on the statutory clock exceeds the limit)",
                l.path.describe(),
                l.what
            ),
        ));
    }
}

/// `mixed-time-units`: a comparison of the rules above that mixes units and
/// cannot be decided without a date.
pub(super) fn mixed_time_units(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if let Some(c) = promise(ctx) {
        // When the two-thirds comparison decides that the promise is too
        // long, `promise-margin` says so; whether it also exceeds the
        // statutory limit does not change what the officer must do.
        let undecided = match (c.exceeds(), c.margin()) {
            (Verdict::Undecidable, Verdict::Exceeds) => None,
            (Verdict::Undecidable, _) => Some(format!(
                "承诺时限 {} 与法定时限 {}",
                c.promised, c.statutory
            )),
            (Verdict::Within, Verdict::Undecidable) => Some(format!(
                "承诺时限 {} 与法定时限 {} 的三分之二",
                c.promised, c.statutory
            )),
            _ => None,
        };
        if let Some(what) = undecided {
            out.push(mixed(c.at, &what, c.p, c.s));
        }
    }
    if let Some(l) = path_limit(ctx) {
        if l.verdict == Verdict::Undecidable {
            let what = format!("计时段内路径 {} 与{}", l.path.describe(), l.what);
            out.push(mixed(l.at, &what, l.path, l.amount));
        }
    }
}

fn mixed(at: Pos, what: &str, a: Amount, b: Amount) -> Finding {
    Finding::new(
        Rule::MixedTimeUnits,
        at,
        format!(
            "{what}混用不同单位，无法在不知道起算日期时比较：前者折合 {}，后者折合 {} (undecidable without a date)",
            a.bounds(),
            b.bounds()
        ),
    )
}

/// `ambiguous-days`: a period in bare 日 where the category's law counts
/// working days (行政许可法第八十二条; 行政处罚法第八十五条; 行政强制法第六十九条).
pub(super) fn ambiguous_days(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    // 行政处罚法 and 行政强制法 say these periods are working days: only that
    // reading is offered. A licence's period may be another law's calendar days.
    let (law, applies): (&str, fn(u32) -> bool) = match ctx.category {
        Some(LICENCE) => ("行政许可法第八十二条：许可的期限以工作日计算", |_| true),
        Some(PENALTY) => (
            "行政处罚法第八十五条：二日、三日、五日、七日是指工作日",
            |n| matches!(n, 2 | 3 | 5 | 7),
        ),
        Some(COERCION) => (
            "行政强制法第六十九条：十日以内的期限是指工作日",
            |n| n <= 10,
        ),
        _ => return,
    };
    let p = ctx.power;
    let mut periods: Vec<&Sp<DurationText>> = [p.statutory(), p.promised(), p.extension()]
        .into_iter()
        .flatten()
        .collect();
    periods.extend(p.steps().iter().filter_map(|s| s.value.time.as_ref()));
    for d in periods {
        let Ok(parsed) = d.value.parsed else { continue };
        if parsed.unit == Some(Unit::Calendar)
            && is_bare_days(&d.value.text)
            && applies(parsed.days)
        {
            let n = parsed.days;
            let fix = if ctx.category == Some(LICENCE) {
                format!(
                    "请写作 `{n}个工作日`；其他法律法规另有规定按自然日计算的，写作 `{n}个自然日`"
                )
            } else {
                format!("请写作 `{n}个工作日`")
            };
            out.push(Finding::new(
                Rule::AmbiguousDays,
                pos(d),
                format!(
                    "`{}` 未写明工作日还是自然日；{law}：{fix} (ambiguous days)",
                    d.value.text.trim()
                ),
            ));
        }
    }
}

/// `licence-steps`: 行政许可 without a `决定`; a path to a `决定` without `受理`;
/// a branch of a `决定` that ends without `送达` (第三十二、三十八、四十四条).
pub(super) fn licence_steps(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if ctx.category != Some(LICENCE) {
        return;
    }
    let g = &ctx.graph;
    let decisions = g.decisions();
    if decisions.is_empty() {
        out.push(Finding::new(
            Rule::LicenceSteps,
            ctx.steps_at(),
            "行政许可没有 `role: 决定` 的步骤",
        ));
    }
    let role = |n: NodeIndex| g.steps[n.index()].role();
    let unaccepted = g.reach(&ctx.starts, Direction::Outgoing, &|n| {
        role(n) == Some(Role::Accept)
    });
    for d in decisions {
        let s = g.steps[d.index()];
        let at = s.role.as_ref().map_or(Pos::START, pos);
        if unaccepted[d.index()] {
            out.push(Finding::new(
                Rule::LicenceSteps,
                at,
                format!(
                    "存在一条从起点到决定步骤 `{}` 而不经过 `受理` 的路径",
                    s.id()
                ),
            ));
        }
        for e in s.edges() {
            let Some(&t) = g.index.get(e.to.value.as_str()) else {
                continue;
            };
            let undelivered = g.reach(&[t], Direction::Outgoing, &|n| {
                role(n) == Some(Role::Deliver)
            });
            let ends_undelivered = role(t) != Some(Role::Deliver)
                && g.graph.node_indices().any(|n| {
                    undelivered[n.index()]
                        && g.steps[n.index()].kind() == StepType::End
                        && role(n) != Some(Role::Deliver)
                });
            if ends_undelivered {
                let branch = e
                    .when
                    .as_ref()
                    .map_or(e.to.value.as_str(), |w| w.value.as_str());
                out.push(Finding::new(
                    Rule::LicenceSteps,
                    pos(&e.to),
                    format!(
                        "行政许可的决定步骤 `{}` 的分支「{branch}」没有经过 `送达` 就结束了：准予或不予许可的决定都应书面送达",
                        s.id()
                    ),
                ));
            }
        }
    }
}

/// Whether a `受理` can refuse (`decision::refuses`).
fn refuses_at_acceptance(ctx: &PowerCtx) -> bool {
    let g = &ctx.graph;
    g.nodes_with_role(Role::Accept).into_iter().any(|a| {
        g.steps[a.index()]
            .edges()
            .iter()
            .any(|e| super::decision::refuses(g, e))
    })
}

/// `rights-required`: `rights` lacks what the category's law gives the party.
pub(super) fn rights_required(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let p = ctx.power;
    let g = &ctx.graph;
    let mut needed: Vec<(&str, &str)> = Vec::new();
    if matches!(ctx.category, Some(PENALTY) | Some(COERCION)) {
        needed.push(("陈述", "陈述"));
        needed.push(("申辩", "申辩"));
    }
    if !g.nodes_with_role(Role::Hearing).is_empty() {
        needed.push(("听证", "要求听证"));
    }
    if !g.decisions().is_empty() || refuses_at_acceptance(ctx) {
        needed.push(("复议", "行政复议"));
        needed.push(("诉讼", "行政诉讼"));
    }
    let rights = p.rights();
    let lacking: Vec<&str> = needed
        .into_iter()
        .filter(|(key, _)| !rights.iter().any(|x| x.contains(key)))
        .map(|(_, name)| name)
        .collect();
    if !lacking.is_empty() {
        out.push(Finding::new(
            Rule::RightsRequired,
            p.rights.as_ref().map_or(Pos::START, pos),
            format!("`rights` 缺少当事人的 {} 权利", lacking.join("、")),
        ));
    }
}

/// `complaint-required`: no `complaints` entry, or one with no way to reach it.
pub(super) fn complaint_required(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let p = ctx.power;
    if p.complaints.is_empty() {
        out.push(Finding::new(
            Rule::ComplaintRequired,
            Pos::START,
            "没有投诉举报途径 `complaints`",
        ));
    }
    for c in &p.complaints {
        let v = &c.value;
        if !v.reachable() {
            let name = v.channel.as_ref().map_or("", |n| n.value.as_str());
            out.push(Finding::new(
                Rule::ComplaintRequired,
                pos(c),
                format!(
                    "投诉举报途径「{name}」没有联系方式：写明 phone、address、email 或 url 之一"
                ),
            ));
        }
    }
}

/// `supervision-contact`: a `supervision` entry without `contact`.
pub(super) fn supervision_contact(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for s in &ctx.power.supervision {
        if s.value.contact.as_ref().is_none_or(|c| c.trim().is_empty()) {
            let step = s.value.step.as_ref().map_or("", |x| x.value.as_str());
            out.push(Finding::new(
                Rule::SupervisionContact,
                pos(s),
                format!("监督制约环节 `{step}` 没有写明联系方式 `contact`"),
            ));
        }
    }
}

/// `non-public-reason`: `public: false` without a `reason` or a `ground`.
pub(super) fn non_public_reason(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let Some(d) = &ctx.power.disclosure else {
        return;
    };
    let public = d.value.public.as_ref();
    if public.is_none_or(|p| p.value) {
        // A reason or ground for withholding a power that is published anyway.
        let stray = d
            .value
            .ground
            .as_ref()
            .map(pos)
            .or_else(|| d.value.reason.as_ref().map(pos));
        if let Some(at) = stray {
            out.push(Finding::new(
                Rule::NonPublicReason,
                at,
                "写了不公开的理由或法定情形，但 `public` 不是 false: 这项职权会被公开；不公开的写 `public: false`, 公开的删去 reason 和 ground",
            ));
        }
        return;
    }
    let Some(public) = public else { return };
    let no_reason = d
        .value
        .reason
        .as_ref()
        .is_none_or(|r| r.value.trim().is_empty());
    let mut lacking = Vec::new();
    if no_reason {
        lacking.push("不公开理由 `reason`");
    }
    if d.value.ground.is_none() {
        lacking.push("不公开的法定情形 `ground`（国家秘密、商业秘密、个人隐私、危及安全稳定、内部事务信息、过程性信息、法律法规禁止公开）");
    }
    if !lacking.is_empty() {
        out.push(Finding::new(
            Rule::NonPublicReason,
            pos(public),
            format!(
                "不公开的职权 (`public: false`) 必须写明{}",
                lacking.join("和")
            ),
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
        if !s.role().is_some_and(Role::decides) || p.is_supervised(s.id()) {
            continue;
        }
        out.push(Finding::new(
            Rule::DecisionSupervised,
            s.id.as_ref().map_or(pos(sp), pos),
            format!("决定步骤 `{}` 没有监督制约环节 `supervision`", s.id()),
        ));
    }
}

/// `accountability-required`: a power with no 追责情形 (SPEC §7).
pub(super) fn accountability_required(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if ctx.power.accountability.is_empty() {
        out.push(Finding::new(
            Rule::AccountabilityRequired,
            ctx.power.code.as_ref().map_or(Pos::START, pos),
            "没有追责情形 `accountability`：权责清单每项职权列明追责情形及其追责依据",
        ));
    }
    for a in &ctx.power.accountability {
        if a.value.basis.is_empty() {
            let case = a.value.case.as_ref().map_or("", |c| c.value.trim());
            out.push(Finding::new(
                Rule::AccountabilityRequired,
                a.value.case.as_ref().map_or_else(|| pos(a), pos),
                format!("追责情形「{case}」没有写追责依据 `basis`"),
            ));
        }
    }
}

/// `duty-required`: a task or decision step without `duty` (SPEC §7).
pub(super) fn duty_required(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for s in ctx.power.steps() {
        let kind = s.value.kind();
        let written = s
            .value
            .duty
            .as_ref()
            .is_some_and(|d| !d.value.trim().is_empty());
        if matches!(kind, StepType::Task | StepType::Decision) && !written {
            out.push(Finding::new(
                Rule::DutyRequired,
                pos(s),
                format!("步骤 `{}` 没有写本环节的责任事项 `duty`", s.value.id()),
            ));
        }
    }
}
