//! SPEC §2.4: each basis against the law registry (`crate::law::registry`) — repealed
//! laws, articles a law does not have, levels, removed clauses, revisions the
//! power has not caught up with, laws the registry does not know. Each message
//! carries the registry's source.

use super::ctx::PowerCtx;
use crate::diag::rules::Rule;
use crate::diag::Finding;
use crate::law::cite::{article_number, clause_key, shown};
use crate::law::registry::Law;
use crate::model::{pos, Basis, Sp};

/// Each basis entry with the registry's entry for its law, if any.
fn citations<'a>(
    ctx: &'a PowerCtx,
) -> impl Iterator<Item = (&'a Sp<Basis>, &'a Sp<String>, Option<&'a Law>)> {
    ctx.power.basis().iter().filter_map(|b| {
        let law = b
            .value
            .law
            .as_ref()
            .filter(|l| !l.value.trim().is_empty())?;
        Some((b, law, ctx.settings.laws.find(&law.value)))
    })
}

/// `law-repealed`: a basis cites a repealed law.
pub(super) fn law_repealed(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for (_, law, entry) in citations(ctx) {
        if let Some(r) = entry.and_then(|e| e.repealed.as_ref()) {
            out.push(Finding::new(
                Rule::LawRepealed,
                pos(law),
                format!(
                    "《{}》已于 {} 废止（由《{}》废止；来源：{}）：请改引现行法律的相应条款",
                    shown(&law.value),
                    r.date,
                    r.by,
                    r.source
                ),
            ));
        }
    }
}

/// `law-article`: an article number beyond the law's last article.
pub(super) fn law_article(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for (b, law, entry) in citations(ctx) {
        let (Some(n), Some(article)) = (entry.and_then(|e| e.articles), b.value.article.as_ref())
        else {
            continue;
        };
        if let Some(k) = article_number(&article.value).filter(|&k| k == 0 || k > n) {
            out.push(Finding::new(
                Rule::LawArticle,
                pos(article),
                format!(
                    "《{}》共 {n} 条，没有第 {k} 条（{}；来源：{}）",
                    shown(&law.value),
                    article.value,
                    entry.map_or("", |e| e.source.as_str())
                ),
            ));
        }
    }
}

/// `law-level`: a basis gives another level than the registry's.
pub(super) fn law_level(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for (b, law, entry) in citations(ctx) {
        let (Some(given), Some(e)) = (b.value.level.as_ref(), entry) else {
            continue;
        };
        if let Some(level) = e.level.filter(|l| *l != given.value) {
            out.push(Finding::new(
                Rule::LawLevel,
                pos(given),
                format!(
                    "《{}》的效力层级是{}，这里写的是{}（来源：{}）",
                    shown(&law.value),
                    level.label(),
                    given.value.label(),
                    e.source
                ),
            ));
        }
    }
}

/// `law-clause-removed`: a basis cites or quotes a clause a revision removed.
pub(super) fn law_clause_removed(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for (b, law, entry) in citations(ctx) {
        let Some(e) = entry else { continue };
        for r in &e.removed {
            let cites = b
                .value
                .article
                .as_ref()
                .is_some_and(|a| clause_key(&a.value) == clause_key(&r.article));
            let quotes =
                r.text
                    .as_ref()
                    .zip(b.value.text.as_ref())
                    .is_some_and(|(removed, quoted)| {
                        !removed.is_empty() && quoted.contains(removed.as_str())
                    });
            if cites || quotes {
                let at = b
                    .value
                    .article
                    .as_ref()
                    .filter(|_| cites)
                    .map_or(pos(b), pos);
                out.push(Finding::new(
                    Rule::LawClauseRemoved,
                    at,
                    format!(
                        "《{}》{}已被{}删去或改号，现行文本中没有{}（来源：{}）",
                        shown(&law.value),
                        r.article,
                        r.by,
                        if quotes {
                            "所引的这段文字"
                        } else {
                            "这一条款"
                        },
                        r.source
                    ),
                ));
            }
        }
    }
}

/// `revision-overdue`: a cited law's current text came into force more than
/// 20 working days after the power was last revised (seed 004).
pub(super) fn revision_overdue(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let Some(revised) = &ctx.power.revised else {
        return;
    };
    let Ok(date) = revised.value.trim().parse::<jiff::civil::Date>() else {
        return;
    };
    let Some(due) = ctx.calendar.add_working_days(date, 20) else {
        return;
    };
    for (_, law, entry) in citations(ctx) {
        let Some(e) = entry else { continue };
        let Some(in_force) = e
            .in_force
            .as_ref()
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        else {
            continue;
        };
        if in_force > due {
            out.push(Finding::new(
                Rule::RevisionOverdue,
                pos(revised),
                format!(
                    "《{}》的现行文本自 {in_force} 起施行，晚于本职权的调整日期 {date} 二十个工作日以上：请按新文本核对并更新 `revised`（来源：{}）",
                    shown(&law.value), e.source
                ),
            ));
        }
    }
}

/// `law-unknown`: the registry does not know the law (off by default).
pub(super) fn law_unknown(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for (_, law, entry) in citations(ctx) {
        if entry.is_none() && !law.value.contains(crate::model::PLACEHOLDER) {
            out.push(Finding::new(
                Rule::LawUnknown,
                pos(law),
                format!(
                    "法规库中没有《{}》：核对名称，或在目录的 laws.toml 中补充它（名称、层级、文号、来源）",
                    shown(&law.value)
                ),
            ));
        }
    }
}
