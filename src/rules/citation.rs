//! SPEC §2.4, §2.5: each basis against the law registry (`crate::law::registry`)
//! and the law library's texts — repealed laws, articles a law does not have,
//! quoted texts that are not the current wording, earlier 文号, levels, removed
//! clauses, revisions the power has not caught up with, laws the registry does
//! not know. Each message carries its source (the library's snapshot date).

use super::ctx::PowerCtx;
use crate::diag::rules::Rule;
use crate::diag::Finding;
use crate::law::cite::{clauses, doc_no_in_name, edition_year, shown, Clause};
use crate::law::registry::{Held, Law};
use crate::law::{lookup, wording};
use crate::model::{pos, Basis, Sp, PLACEHOLDER};

/// Each basis entry with the registry's entry for its law, if any.
fn citations<'a>(
    ctx: &'a PowerCtx,
) -> impl Iterator<Item = (&'a Sp<Basis>, &'a Sp<String>, Option<&'a Law>)> {
    ctx.power.cited().filter_map(|b| {
        let law = b
            .value
            .law
            .as_ref()
            .filter(|l| !l.value.trim().is_empty())?;
        Some((b, law, ctx.law(&law.value)))
    })
}

/// `law-repealed`: a basis cites a repealed law.
pub(super) fn law_repealed(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for (_, law, entry) in citations(ctx) {
        if let Some(e) = entry.filter(|e| e.repealed.is_none() && e.lapsed()) {
            out.push(Finding::new(
                Rule::LawRepealed,
                pos(law),
                format!(
                    "《{}》在国家法律法规数据库中已标注为失效（{}）：请改引现行的法律法规",
                    shown(&law.value),
                    e.text_source_line()
                ),
            ));
        }
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

/// `law-article`: a cited article (or 款, 项) the law does not have — each of
/// several articles in one entry (`第四十四条、第九十条`, `第十条至第十二条`).
pub(super) fn law_article(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for (b, law, entry) in citations(ctx) {
        let (Some(e), Some(article)) = (entry, b.value.article.as_ref()) else {
            continue;
        };
        let text = e.text();
        let cited = clauses(&article.value);
        if cited.is_empty() && article.value.contains('条') && !article.value.contains(PLACEHOLDER)
        {
            out.push(Finding::new(
                Rule::LawArticle,
                pos(article),
                format!(
                    "读不出「{}」引的是《{}》的哪一条：请写作 第四十二条、第10条第2款 这样的条款",
                    article.value.trim(),
                    shown(&law.value)
                ),
            ));
        }
        // One finding per basis: a range's missing articles are said together.
        let problems: Vec<String> = cited
            .iter()
            .filter(|c| !removed(e, c))
            .filter_map(|c| match (&text, e.article_count()) {
                (Some(t), _) if t.count() > 0 => lookup::clause_wording(e, c).err(),
                (_, Some(n)) if c.article == 0 || c.article > n => Some(format!(
                    "《{}》共 {n} 条，没有第 {} 条",
                    shown(&law.value),
                    c.article
                )),
                _ => None,
            })
            .collect();
        if problems.is_empty() {
            continue;
        }
        // 「共 86 条，没有第八十七条」 four times is 「共 86 条，没有第八十七条、…、第九十条」.
        let mut merged: Vec<(String, Vec<String>)> = Vec::new();
        for p in problems {
            match p.split_once("，没有") {
                Some((head, tail)) => match merged.last_mut() {
                    Some((h, tails)) if h == head => tails.push(tail.to_string()),
                    _ => merged.push((head.to_string(), vec![tail.to_string()])),
                },
                None => merged.push((p, Vec::new())),
            }
        }
        let problems: Vec<String> = merged
            .into_iter()
            .map(|(h, tails)| {
                if tails.is_empty() {
                    h
                } else {
                    format!("{h}，没有{}", tails.join("、"))
                }
            })
            .collect();
        let source = if text.is_some() {
            e.text_source_line()
        } else {
            e.source.clone()
        };
        out.push(Finding::new(
            Rule::LawArticle,
            pos(article),
            format!(
                "{}（所引：{}；来源：{source}）",
                problems.join("；"),
                article.value.trim()
            ),
        ));
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
            // Words removed from a clause that stays are found by the quotation only.
            let removed_clause = clauses(&r.article);
            let gone = r.text.is_none() || !removed_clause.iter().all(|c| holds(e, c));
            let cites = gone
                && b.value.article.as_ref().is_some_and(|a| {
                    clauses(&a.value).iter().any(|c| {
                        removed_clause.iter().any(|rc| {
                            rc.article == c.article
                                && rc.sub == c.sub
                                && rc.paragraph == c.paragraph
                        })
                    })
                });
            let quotes =
                r.text
                    .as_ref()
                    .zip(b.value.text.as_ref())
                    .is_some_and(|(removed, quoted)| {
                        !removed.is_empty() && wording::compare(removed, &quoted.value).is_none()
                    });
            if cites || quotes {
                let at = match (&b.value.article, &b.value.text) {
                    (Some(a), _) if cites => pos(a),
                    (_, Some(t)) if quotes => pos(t),
                    _ => pos(b),
                };
                out.push(Finding::new(
                    Rule::LawClauseRemoved,
                    at,
                    match &r.text {
                        Some(t) if quotes => format!(
                            "《{}》{}中「{t}」已被{}删去，现行文本中没有所引的这段文字（来源：{}）",
                            shown(&law.value),
                            r.article,
                            r.by,
                            r.source
                        ),
                        _ => format!(
                            "《{}》{}已被{}删去或改号，现行文本中没有这一条款（来源：{}）",
                            shown(&law.value),
                            r.article,
                            r.by,
                            r.source
                        ),
                    },
                ));
            }
        }
    }
}

/// Whether the text the registry holds of `law` has the clause (article, and paragraph if named).
fn holds(law: &Law, c: &Clause) -> bool {
    law.held_text().is_some_and(|t| {
        t.article(c.article, c.sub).is_some_and(|a| {
            c.paragraph
                .is_none_or(|p| p >= 1 && p as usize <= a.clauses().len())
        })
    })
}

/// Whether a revision removed the clause: `law-clause-removed` reports it, not `law-article`.
fn removed(law: &Law, c: &Clause) -> bool {
    law.removed.iter().filter(|r| r.text.is_none()).any(|r| {
        clauses(&r.article)
            .iter()
            .any(|rc| rc.article == c.article && rc.sub == c.sub && rc.paragraph == c.paragraph)
    })
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
            .current_in_force()
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

/// `law-unknown`: neither the library nor the catalogue's laws hold the law.
pub(super) fn law_unknown(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for (_, law, entry) in citations(ctx) {
        if entry.is_none() && !law.value.contains(PLACEHOLDER) {
            out.push(Finding::new(
                Rule::LawUnknown,
                pos(law),
                format!(
                    "法规库中没有《{}》（{}）：核对名称；地方性法规、规章等请在目录的 laws.toml 中补充它（名称、层级、文号、来源），或把它的文本放进 [laws] texts 目录",
                    shown(&law.value),
                    crate::law::registry::library_source()
                ),
            ));
        }
    }
}

/// `law-text`: a quoted text that is not the current wording of the cited articles.
pub(super) fn law_text(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for (b, law, entry) in citations(ctx) {
        let (Some(e), Some(article), Some(quoted)) =
            (entry, b.value.article.as_ref(), b.value.text.as_ref())
        else {
            continue;
        };
        if quoted.value.trim().is_empty() || quoted.value.contains(PLACEHOLDER) {
            continue;
        }
        if e.text().is_none() {
            continue;
        }
        // The cited clauses in the law's order, each as precisely as cited (an
        // article, a paragraph, items); a clause the law lacks is law-article's.
        let mut cited = clauses(&article.value);
        cited.sort_by_key(|c| (c.article, c.sub, c.paragraph));
        cited.dedup();
        let Some(parts) = cited
            .iter()
            .map(|c| lookup::clause_wording(e, c).ok().map(|p| p.join("\n")))
            .collect::<Option<Vec<String>>>()
            .filter(|w| !w.is_empty())
        else {
            continue;
        };
        let labels: Vec<String> = cited.iter().map(lookup::clause_label).collect();
        let current = parts.join("\n");
        let Some(m) = wording::compare_cited(&quoted.value, &current, &labels) else {
            continue;
        };
        let at = match &m.law {
            Some(l) => format!("引文「{}」处与现行文本「{l}」不同", m.quoted),
            None => format!("引文「{}」在所引条款中（按摘录的顺序）找不到", m.quoted),
        };
        out.push(Finding::new(
            Rule::LawText,
            pos(quoted),
            format!(
                "所引《{}》{}的文字不是现行条文：{at}。现行条文：{}（{}）",
                shown(&law.value),
                article.value.trim(),
                abridged(&current),
                e.text_source_line()
            ),
        ));
    }
}

/// A long wording cut to a readable length for a message.
fn abridged(text: &str) -> String {
    let flat = text.replace('\n', " ");
    let n = flat.chars().count();
    if n <= 240 {
        flat
    } else {
        flat.chars().take(240).collect::<String>() + "……"
    }
}

/// `law-outdated`: a basis cites the 文号 of an earlier text of the law.
pub(super) fn law_outdated(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for (b, law, entry) in citations(ctx) {
        let Some(e) = entry else { continue };
        if let Some(m) = earlier_edition(e, &law.value) {
            out.push(Finding::new(Rule::LawOutdated, pos(law), m));
        }
        let doc = b
            .value
            .doc_no
            .as_deref()
            .or(doc_no_in_name(&law.value))
            .map(str::trim);
        let Some(doc) = doc.filter(|d| e.outdated_doc_nos.iter().any(|o| o == d)) else {
            continue;
        };
        let current = match (e.doc_nos.first(), e.current_in_force()) {
            (Some(d), Some(f)) => format!("现行文本为{d}，{f} 起施行"),
            (Some(d), None) => format!("现行文本为{d}"),
            (None, Some(f)) => format!("现行文本 {f} 起施行"),
            (None, None) => "请按现行文本核对".to_string(),
        };
        out.push(Finding::new(
            Rule::LawOutdated,
            pos(b),
            format!(
                "《{}》{doc}是修订前旧文本的文号：{current}（来源：{}）",
                shown(&law.value),
                e.source
            ),
        ));
    }
}

/// The message for a name citing an earlier text by its edition
/// (《行政复议法》（2017年修正）) when the library holds that text and a later one.
fn earlier_edition(e: &Law, name: &str) -> Option<String> {
    let year = edition_year(name)?;
    let Held::Library(l) = &e.held else {
        return None;
    };
    let year_of = |d: Option<&String>| d.and_then(|d| d.get(..4)?.parse::<u32>().ok());
    let current = l.current();
    if year_of(current.publish.as_ref()) == Some(year) || e.later.is_some() {
        return None;
    }
    l.versions
        .iter()
        .find(|v| year_of(v.publish.as_ref()) == Some(year))?;
    Some(format!(
        "《{}》引的是 {year} 年的文本，已被 {} 公布的现行文本取代：请按现行文本核对条款和条文（{}）",
        shown(name),
        current.publish.as_deref().unwrap_or("较晚"),
        e.text_source_line()
    ))
}

/// `basis-level`: a basis without `level` citing a law whose level the registry does not know.
pub(super) fn basis_level(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    for (b, law, entry) in citations(ctx) {
        if b.value.level.is_some() || law.value.contains(PLACEHOLDER) {
            continue;
        }
        if entry.and_then(|e| e.level).is_some() {
            continue;
        }
        out.push(Finding::new(
            Rule::BasisLevel,
            pos(law),
            format!(
                "依据《{}》没有写效力层级 `level`，法规库也不知道它的层级：请写明（法律、行政法规、地方性法规、部门规章、地方政府规章或规范性文件），否则无法判断它能否设定本职权",
                shown(&law.value)
            ),
        ));
    }
}
