//! SPEC §5.4, §5.7: 行政强制执行 as the 行政强制法 runs it — 催告 first
//! (`enforcement-notice`, 第三十五、五十四条; not before 立即代履行, 第五十二条),
//! ten days from 催告 to 申请执行 (`enforcement-timing`, 第五十四条), and the
//! law that grants the agency each enforcement it carries out itself
//! (`enforcement-power`, 第十三条; 代履行 第五十条, 加处罚款 第四十五条 and
//! 行政处罚法第七十二条 grant themselves). A 行政强制措施 (`coercion: 措施`) is
//! no enforcement of a decision: none of these apply to it.

use petgraph::graph::NodeIndex;
use petgraph::Direction;

use super::ctx::PowerCtx;
use super::decision::{forward_reach, since};
use super::setting::is_procedural;
use crate::diag::rules::Rule;
use crate::diag::{Finding, Pos};
use crate::law::cite::clauses;
use crate::law::lookup::clause_wording;
use crate::model::duration::Unit;
use crate::model::{pos, LawLevel, Role, COERCION};

/// The rules of this file apply to a 行政强制执行.
fn applies(ctx: &PowerCtx) -> bool {
    ctx.category == Some(COERCION) && !ctx.power.is_measure()
}

/// `enforcement-notice`: a path reaches `执行`, `代履行` or `申请执行` without
/// passing a `催告` (行政强制法第三十五、五十条、第五十四条).
pub(super) fn enforcement_notice(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if !applies(ctx) {
        return;
    }
    let g = &ctx.graph;
    let avoid = |n: NodeIndex| g.steps[n.index()].role() == Some(Role::Remind);
    let reached = g.reach(&ctx.starts, Direction::Outgoing, &avoid);
    for n in g.graph.node_indices() {
        let s = g.steps[n.index()];
        let needs = matches!(
            s.role(),
            Some(Role::Enforce | Role::ApplyExecution | Role::Substitute)
        );
        if reached[n.index()] && needs {
            out.push(Finding::new(
                Rule::EnforcementNotice,
                s.role.as_ref().map_or(Pos::START, pos),
                format!(
                    "存在一条从起点到 `{}`（{}）而不经过 `催告` 的路径：行政强制法第三十五、五十四条，强制执行和申请法院执行前应当书面催告（立即代履行写作 `role: 立即代履行`，第五十二条） (enforcement without a 催告)",
                    s.id(),
                    s.role().map_or("", |r| r.label())
                ),
            ));
        }
    }
}

/// Whether an article's wording grants the agency enforcement itself: it
/// speaks of 强制执行, 强制拆除 … other than applying to the court for it.
fn grants_enforcement(wording: &str) -> bool {
    let own = wording.replace("申请人民法院强制执行", "");
    [
        "强制执行",
        "强制拆除",
        "强制清除",
        "强制划拨",
        "强制收兑",
        "依法强制",
        "代为履行",
        "代履行",
    ]
    .iter()
    .any(|w| own.contains(w))
}

/// The 法律 bases whose cited articles grant enforcement, and whether any
/// 法律 basis's wording could not be read.
fn granting_laws(ctx: &PowerCtx) -> (Vec<String>, Vec<String>) {
    let mut granting = Vec::new();
    let mut unread = Vec::new();
    for b in ctx.power.basis() {
        let b = &b.value;
        let Some(law) = b
            .law
            .as_ref()
            .map(|l| l.value.trim())
            .filter(|l| !l.is_empty())
        else {
            continue;
        };
        let entry = ctx.law(law);
        let level = b
            .level
            .as_ref()
            .map(|l| l.value)
            .or(entry.and_then(|e| e.level));
        if level != Some(LawLevel::Law) || is_procedural(ctx, law) {
            continue;
        }
        let article = b.article.as_ref().map_or("", |a| a.value.as_str());
        let mut wording: Vec<String> = entry
            .map(|e| {
                clauses(article)
                    .iter()
                    .filter_map(|c| clause_wording(e, c).ok())
                    .flatten()
                    .collect()
            })
            .unwrap_or_default();
        if wording.is_empty() {
            wording.extend(b.text.as_ref().map(|t| t.value.clone()));
        }
        let cited = format!("《{law}》{article}");
        if wording.is_empty() {
            unread.push(cited);
        } else if wording.iter().any(|w| grants_enforcement(w)) {
            granting.push(cited);
        }
    }
    (granting, unread)
}

/// `enforcement-power`: an `执行` the agency carries out itself (some path
/// reaches it without a `申请执行`) with no 法律 among the bases whose cited
/// article grants it (行政强制法第十三条). 代履行, 立即代履行 and 加处罚款 are
/// granted by 行政强制法第四十五、五十、五十二条 and 行政处罚法第七十二条.
pub(super) fn enforcement_power(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if !applies(ctx) {
        return;
    }
    let g = &ctx.graph;
    let by_court = |n: NodeIndex| g.steps[n.index()].role() == Some(Role::ApplyExecution);
    let own = forward_reach(g, &ctx.starts, &by_court);
    let Some(step) = g
        .nodes_with_role(Role::Enforce)
        .into_iter()
        .find(|n| own[n.index()])
        .map(|n| g.steps[n.index()])
    else {
        return;
    };
    let (granting, unread) = granting_laws(ctx);
    if !granting.is_empty() {
        return;
    }
    let why = if unread.is_empty() {
        "依据中没有哪一部法律的所引条款授权本机关强制执行".to_string()
    } else {
        format!(
            "读不到 {} 的条文，无法判断是否授权强制执行：请写明条款或条文 (text)",
            unread.join("、")
        )
    };
    out.push(Finding::new(
        Rule::EnforcementPower,
        step.role.as_ref().map_or(Pos::START, pos),
        format!(
            "`{}` 由行政机关自行强制执行，但{why}：行政强制法第十三条，行政强制执行由法律设定，法律没有规定行政机关强制执行的，应当申请人民法院强制执行 (`role: 申请执行`)；代履行、立即代履行、加处罚款另见第四十五、五十、五十二条 (no law grants self-enforcement)",
            step.id()
        ),
    ));
}

/// `enforcement-timing`: a path from a `催告` to `申请执行` that takes less
/// than ten days (行政强制法第五十四条: 催告书送达十日后; 第六十九条: 十日以内
/// 的期限是工作日).
pub(super) fn enforcement_timing(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    if !applies(ctx) {
        return;
    }
    let g = &ctx.graph;
    // At most how many working days a step takes: its working days, or its
    // calendar days (which hold no more working days than that).
    let own = |i: usize| {
        let t = g.steps[i]
            .time
            .as_ref()
            .and_then(|t| t.value.parsed.as_ref().ok());
        match t.map(|d| (d.unit, d.days)) {
            Some((None, _)) => 0,
            Some((Some(Unit::Working | Unit::Calendar), n)) => n,
            _ => u32::MAX,
        }
    };
    let since = since(ctx, Role::Remind, &|_, _| false, &own);
    for n in g.nodes_with_role(Role::ApplyExecution) {
        let Some(days) = since[n.index()] else {
            continue;
        };
        if days < 10 {
            let s = g.steps[n.index()];
            out.push(Finding::new(
                Rule::EnforcementTiming,
                s.role.as_ref().map_or(Pos::START, pos),
                format!(
                    "从 `催告` 到申请人民法院强制执行 `{}` 有一条路径至多 {days} 个工作日：行政强制法第五十四条，催告书送达十日（工作日，第六十九条）后当事人仍未履行的，才可以申请 (less than ten days after the 催告)",
                    s.id()
                ),
            ));
        }
    }
}
