//! SPEC §2.3 and §5: law and disclosure — basis and setting power, the
//! statutory clock, days in law, the procedures of 处罚, 强制 and 许可, rights,
//! complaint and supervision contacts, grounds for not publishing. One function
//! per rule; each rule's explanation is its entry in the rule table, `crate::diag::rules`.

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef as _;
use petgraph::Direction;

use super::ctx::PowerCtx;
use crate::diag::rules::Rule;
use crate::diag::{Finding, Pos};
use crate::model::duration::{
    exceeds, exceeds_scaled, is_bare_days, Amount, Duration, Unit, Verdict,
};
use crate::model::{
    pos, Basis, DurationText, LawLevel, Role, Sp, StepType, COERCION, LICENCE, PENALTY,
};

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

/// Whether a law governs how a power is used and never creates one (SPEC
/// §5.1): the law registry says.
fn is_procedural(ctx: &PowerCtx, name: &str) -> bool {
    ctx.settings.laws.find(name).is_some_and(|l| l.procedural)
}

/// A basis's level: as written, else the law library's (SPEC §1.1b).
fn effective_level(ctx: &PowerCtx, b: &Basis) -> Option<LawLevel> {
    b.level.as_ref().map(|l| l.value).or_else(|| {
        let law = b.law.as_ref()?;
        ctx.settings.laws.find(&law.value)?.level
    })
}

/// The levels of the non-procedural bases that give one.
fn setting_levels(ctx: &PowerCtx) -> Vec<LawLevel> {
    ctx.power
        .basis()
        .iter()
        .filter(|b| {
            b.value
                .law
                .as_ref()
                .is_some_and(|l| !is_procedural(ctx, &l.value))
        })
        .filter_map(|b| effective_level(ctx, &b.value))
        .collect()
}

/// `setting-power`: no non-procedural basis of a level that can create this
/// category (行政许可法第十四、十五条; 行政处罚法第十至十六条; 行政强制法第十、十一条).
pub(super) fn setting_power(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    use LawLevel::*;
    let (allowed, law): (&[LawLevel], &str) = match ctx.category {
        Some(LICENCE) => (
            &[Law, AdministrativeRegulation, LocalRegulation, LocalGovernmentRule],
            "行政许可法第十四、十五条：法律、行政法规、地方性法规、省级地方政府规章可以设定行政许可，部门规章和规范性文件不得设定",
        ),
        Some(PENALTY) => (
            &[Law, AdministrativeRegulation, LocalRegulation, DepartmentalRule, LocalGovernmentRule],
            "行政处罚法第十至十六条：法律、法规、规章可以设定行政处罚，其他规范性文件不得设定",
        ),
        Some(COERCION) => (
            &[Law, AdministrativeRegulation, LocalRegulation],
            "行政强制法第十、十一条：行政强制措施由法律、法规设定，规章和规范性文件不得设定",
        ),
        _ => return,
    };
    let levels = setting_levels(ctx);
    if levels.is_empty() || levels.iter().any(|l| allowed.contains(l)) {
        return;
    }
    let mut written: Vec<&str> = levels.iter().map(|l| l.label()).collect();
    written.dedup();
    out.push(Finding::new(
        Rule::SettingPower,
        ctx.power.basis.as_ref().map_or(Pos::START, pos),
        format!(
            "依据的效力层级 ({}) 不能设定{}: {law} (setting power)",
            written.join("、"),
            ctx.category.unwrap_or("")
        ),
    ));
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
                "法定时限计时段内有一条路径需 {}, 超过{} (path on the statutory clock exceeds the limit)",
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
            "{what}混用不同单位，无法在不知道起算日期时比较：前者折合 {}, 后者折合 {} (undecidable without a date)",
            a.bounds(),
            b.bounds()
        ),
    )
}

/// `ambiguous-days`: a period in bare 日 where the category's law counts
/// working days (行政许可法第八十二条; 行政处罚法第八十五条; 行政强制法第六十九条).
pub(super) fn ambiguous_days(ctx: &PowerCtx, out: &mut Vec<Finding>) {
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
            out.push(Finding::new(
                Rule::AmbiguousDays,
                pos(d),
                format!(
                    "`{}` 未写明工作日还是自然日；{law}: 请写作 `{n}个工作日` 或 `{n}个自然日` (ambiguous days)",
                    d.value.text.trim()
                ),
            ));
        }
    }
}

/// Whether a `决定` step can impose the penalty: some path from it reaches a
/// `送达` or `执行` step without passing another `决定` (SPEC §5.4).
fn imposes(ctx: &PowerCtx, d: NodeIndex) -> bool {
    let g = &ctx.graph;
    let role = |n: NodeIndex| g.steps[n.index()].role();
    let after = g.reach(&[d], Direction::Outgoing, &|n| {
        role(n) == Some(Role::Decide)
    });
    g.graph.node_indices().any(|n| {
        n != d && after[n.index()] && matches!(role(n), Some(Role::Deliver | Role::Enforce))
    })
}

/// Per step, the least time (upper bound, in days) from the last `告知`
/// before it (its own time included) up to the step (its own time not), over
/// forward paths from the start; `None` where no path from a `告知` arrives. A
/// step without a `time` is not known to take no time, so it counts as long.
fn since_notice(ctx: &PowerCtx) -> Vec<Option<u32>> {
    let g = &ctx.graph;
    let n = g.graph.node_count();
    let own = |i: usize| {
        g.steps[i]
            .time
            .as_ref()
            .and_then(|t| t.value.parsed.as_ref().ok())
            .map_or(u32::MAX, |d| Amount::of(*d, ctx.calendar).hi)
    };
    let mut since: Vec<Option<u32>> = vec![None; n];
    let Some(order) = g.forward_order() else {
        return since;
    };
    for u in order {
        let carried = if g.steps[u.index()].role() == Some(Role::Notify) {
            Some(own(u.index()))
        } else {
            since[u.index()].map(|s| s.saturating_add(own(u.index())))
        };
        let Some(c) = carried else { continue };
        for e in g.graph.edges_directed(u, Direction::Outgoing) {
            if e.weight().back {
                continue;
            }
            let v = e.target().index();
            since[v] = Some(since[v].map_or(c, |s| s.min(c)));
        }
    }
    since
}

/// `penalty-notice`: 行政处罚, a path to an imposing `决定` avoids every `告知`,
/// or leaves no time between `告知` and that `决定` (第四十四、四十五、六十四条).
pub(super) fn penalty_notice(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if ctx.category != Some(PENALTY) {
        return;
    }
    let g = &ctx.graph;
    let avoid_notice = |n: NodeIndex| g.steps[n.index()].role() == Some(Role::Notify);
    let reached = g.reach(&ctx.starts, Direction::Outgoing, &avoid_notice);
    let since = since_notice(ctx);
    for d in g.nodes_with_role(Role::Decide) {
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
                    "存在一条从起点到处罚决定 `{}` 而不经过 `告知` 的路径 (decision without prior notice)",
                    s.id()
                ),
            ));
        } else if since[d.index()] == Some(0) {
            out.push(Finding::new(
                Rule::PenaltyNotice,
                at,
                format!(
                    "从 `告知` 到处罚决定 `{}` 有一条路径不留任何时间：当事人有权陈述、申辩（第四十五条），并可在告知后五日内要求听证（第六十四条） (no time between notice and decision)",
                    s.id()
                ),
            ));
        }
    }
}

/// `enforcement-notice`: 行政强制, a path reaches `执行` or `申请执行` without
/// passing a `催告` (行政强制法第三十五、五十四条).
pub(super) fn enforcement_notice(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if ctx.category != Some(COERCION) {
        return;
    }
    let g = &ctx.graph;
    let avoid = |n: NodeIndex| g.steps[n.index()].role() == Some(Role::Remind);
    let reached = g.reach(&ctx.starts, Direction::Outgoing, &avoid);
    for n in g.graph.node_indices() {
        let s = g.steps[n.index()];
        if reached[n.index()] && matches!(s.role(), Some(Role::Enforce | Role::ApplyExecution)) {
            out.push(Finding::new(
                Rule::EnforcementNotice,
                s.role.as_ref().map_or(Pos::START, pos),
                format!(
                    "存在一条从起点到 `{}` ({}) 而不经过 `催告` 的路径 (enforcement without a 催告)",
                    s.id(),
                    s.role().map_or("", |r| r.label())
                ),
            ));
        }
    }
}

/// `enforcement-power`: 行政强制, the agency enforces itself (`执行`, no
/// `申请执行`) but no non-procedural 法律 grants it (行政强制法第十三条).
pub(super) fn enforcement_power(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if ctx.category != Some(COERCION) {
        return;
    }
    let g = &ctx.graph;
    let enforce = g.nodes_with_role(Role::Enforce);
    if enforce.is_empty() || !g.nodes_with_role(Role::ApplyExecution).is_empty() {
        return;
    }
    if setting_levels(ctx).contains(&LawLevel::Law) {
        return;
    }
    let s = g.steps[enforce[0].index()];
    out.push(Finding::new(
        Rule::EnforcementPower,
        s.role.as_ref().map_or(Pos::START, pos),
        format!(
            "`{}` 由行政机关自行强制执行，但依据中没有授权其强制执行的法律：行政强制法第十三条，没有行政强制执行权的应当申请人民法院强制执行 (`role: 申请执行`) (no law grants self-enforcement)",
            s.id()
        ),
    ));
}

/// `licence-steps`: 行政许可 without a `决定`; a path to a `决定` without `受理`;
/// a branch of a `决定` that ends without `送达` (第三十二、三十八、四十四条).
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
    if !g.nodes_with_role(Role::Decide).is_empty() {
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
        let reachable = [&v.phone, &v.address, &v.email, &v.url]
            .into_iter()
            .any(|x| x.as_ref().is_some_and(|x| !x.trim().is_empty()));
        if !reachable {
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
