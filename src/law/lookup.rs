//! `powerlist law` (SPEC §5.1a): a law's facts, one article's current
//! wording, or the articles that hold some words — the lookups an officer
//! makes all day — in Chinese for people and JSON for machines.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::cite::Clause;
use super::library::{Found, Library};
use super::markdown::chinese;
use super::registry::{library_source, status, Held, Law};
use crate::report::terminal_safe;

/// How `law` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

fn library_json() -> Value {
    let lib = Library::builtin();
    json!({"source": lib.source, "snapshot": lib.snapshot})
}

fn pretty(v: &Value) -> String {
    // A Value always serialises.
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}

/// What the library holds and where it comes from (`powerlist law` alone).
pub fn about(format: Format) -> String {
    let lib = Library::builtin();
    let mut by_level: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for law in &lib.laws {
        let level = law.current().level.map_or("宪法", |l| l.label());
        let e = by_level.entry(level).or_default();
        e.0 += 1;
        e.1 += law.versions.len();
    }
    match format {
        Format::Json => pretty(&json!({
            "library": library_json(),
            "laws": lib.laws.len(),
            "levels": by_level.iter().map(|(l, (n, v))| json!({"level": l, "laws": n, "texts": v})).collect::<Vec<_>>(),
        })),
        Format::Human => {
            let mut s = format!(
                "法规库：国家法律法规数据库的文本（{}），快照 {}\n",
                lib.source, lib.snapshot
            );
            for (l, (n, v)) in &by_level {
                let _ = writeln!(s, "  {l}　{n} 部（{v} 个文本）");
            }
            s.push_str(
                "查一部法律：powerlist law 名称 [条款]；查条文：powerlist law --find 词语\n",
            );
            s
        }
    }
}

/// The texts the registry holds of a law: (date, current?) oldest first.
fn versions(law: &Law) -> Vec<(String, bool)> {
    match &law.held {
        Held::Library(l) => l
            .versions
            .iter()
            .enumerate()
            .map(|(i, v)| {
                (
                    v.date().unwrap_or("日期不详").to_string(),
                    i + 1 == l.versions.len() && law.later.is_none(),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn history(law: &Law) -> Vec<String> {
    law.held_text()
        .map(|t| t.history.clone())
        .unwrap_or_default()
}

/// A law's facts.
pub fn facts(law: &Law, format: Format) -> String {
    let st = status(Some(law), None);
    let count = law.article_count();
    match format {
        Format::Json => pretty(&json!({
            "name": law.name,
            "aliases": law.aliases,
            "level": law.level.map(|l| l.label()),
            "status": st,
            "procedural": law.procedural,
            "published": law.published,
            "in_force": law.current_in_force(),
            "articles": count,
            "doc_nos": law.doc_nos,
            "outdated_doc_nos": law.outdated_doc_nos,
            "repealed": law.repealed.as_ref().map(|r| json!({"date": r.date, "by": r.by, "source": r.source})),
            "later": law.later.as_ref().map(|l| json!({"doc_no": l.doc_no, "in_force": l.in_force, "articles": l.articles, "source": l.source})),
            "history": history(law),
            "texts": versions(law).iter().map(|(d, c)| json!({"date": d, "current": c})).collect::<Vec<_>>(),
            "text_held": law.text().is_some(),
            "source": law.source,
            "library": library_json(),
        })),
        Format::Human => {
            let t = terminal_safe;
            let mut s = format!("《{}》\n", t(&law.name));
            let level = law.level.map_or("未知", |l| l.label());
            let procedural = if law.procedural {
                "（程序法：规定如何行使职权，不设定职权）"
            } else {
                ""
            };
            let _ = writeln!(s, "  效力层级：{level}{procedural}");
            let state = match (&law.repealed, law.lapsed()) {
                (Some(r), _) => format!("已废止（{}，由《{}》废止）", r.date, t(&r.by)),
                (None, true) => "已失效（国家法律法规数据库标注）".to_string(),
                _ => "现行有效".to_string(),
            };
            let _ = writeln!(s, "  状态：{state}");
            if let Some(d) = &law.published {
                let held = if law.later.is_some() {
                    "法规库所存文本"
                } else {
                    ""
                };
                let _ = writeln!(s, "  {held}公布：{d}");
            }
            if let Some(d) = law.current_in_force() {
                let _ = writeln!(s, "  现行文本施行：{d}");
            }
            if let Some(n) = count {
                let _ = writeln!(s, "  条文：共 {n} 条");
            }
            if !law.doc_nos.is_empty() {
                let _ = writeln!(s, "  文号：{}", t(&law.doc_nos.join("、")));
            }
            if !law.outdated_doc_nos.is_empty() {
                let _ = writeln!(s, "  旧文本文号：{}", t(&law.outdated_doc_nos.join("、")));
            }
            if let Some(l) = &law.later {
                let _ = writeln!(
                    s,
                    "  注意：现行文本（{} 起施行）法规库尚未收入，条文无法核对；法规库所存为较早的文本",
                    l.in_force
                );
            }
            let h = history(law);
            if !h.is_empty() {
                s.push_str("  沿革：\n");
                for line in h {
                    let _ = writeln!(s, "    {}", t(&line));
                }
            }
            let vs = versions(law);
            if vs.len() > 1 {
                let list: Vec<String> = vs
                    .iter()
                    .map(|(d, c)| {
                        if *c {
                            format!("{d}（现行）")
                        } else {
                            d.clone()
                        }
                    })
                    .collect();
                let _ = writeln!(s, "  法规库所存文本：{}", list.join("、"));
            }
            let _ = writeln!(s, "  来源：{}", t(&law.source));
            s
        }
    }
}

/// `第十条第二款` for a clause.
pub fn clause_label(c: &Clause) -> String {
    let mut s = format!("第{}条", chinese(c.article));
    if c.sub > 0 {
        let _ = write!(s, "之{}", chinese(c.sub));
    }
    if let Some(p) = c.paragraph {
        let _ = write!(s, "第{}款", chinese(p));
    }
    for i in &c.items {
        let _ = write!(s, "第{}项", chinese(*i));
    }
    s
}

/// The wording of one cited clause: the article, or its paragraph, or its items.
pub fn clause_wording(law: &Law, c: &Clause) -> Result<Vec<String>, String> {
    let name = &law.name;
    let Some(text) = law.held_text() else {
        return Err(format!("法规库没有《{name}》的条文"));
    };
    let Some(a) = text.article(c.article, c.sub) else {
        let article = Clause {
            paragraph: None,
            items: Vec::new(),
            ..c.clone()
        };
        return Err(format!(
            "《{name}》共 {} 条，没有{}",
            text.count(),
            clause_label(&article)
        ));
    };
    // 第七十六条第五项: the items of an article's one paragraph.
    let p = match (c.paragraph, c.items.is_empty()) {
        (Some(p), _) => p,
        (None, false) => 1,
        (None, true) => return Ok(a.paragraphs.clone()),
    };
    let clauses = a.clauses();
    let Some(para) = (p as usize).checked_sub(1).and_then(|i| clauses.get(i)) else {
        return Err(format!(
            "《{name}》{}只有 {} 款，没有第{}款",
            a.label(),
            clauses.len(),
            chinese(p)
        ));
    };
    if c.items.is_empty() {
        return Ok(para.iter().map(|s| s.to_string()).collect());
    }
    let items = &para[1..];
    let mut out = Vec::new();
    for &i in &c.items {
        match (i as usize).checked_sub(1).and_then(|k| items.get(k)) {
            Some(line) => out.push(line.to_string()),
            None => {
                return Err(format!(
                    "《{name}》{}第{}款只有 {} 项，没有第{}项",
                    a.label(),
                    chinese(p),
                    items.len(),
                    chinese(i)
                ))
            }
        }
    }
    Ok(out)
}

/// One article's (or clause's) current wording.
pub fn article(law: &Law, clauses: &[Clause], format: Format) -> Result<String, String> {
    let mut parts = Vec::new();
    for c in clauses {
        let wording = clause_wording(law, c).map_err(|e| match &law.later {
            // Not in the older text held: the current one is simply not there.
            Some(l) => format!(
                "《{}》的现行文本（{} 起施行）法规库尚未收入，无法显示{}",
                law.name,
                l.in_force,
                clause_label(c)
            ),
            None => e,
        })?;
        parts.push((clause_label(c), wording));
    }
    let source = law.text_source_line();
    let later = law.later.as_ref().map(|l| {
        format!(
            "注意：《{}》现行文本自 {} 起施行，法规库尚未收入；以下是法规库所存较早文本的条文，不是现行条文",
            law.name, l.in_force
        )
    });
    Ok(match format {
        Format::Json => pretty(&json!({
            "law": law.name,
            "current": law.later.is_none(),
            "clauses": parts.iter().map(|(l, p)| json!({"article": l, "paragraphs": p})).collect::<Vec<_>>(),
            "source": source,
        })),
        Format::Human => {
            let mut s = String::new();
            if let Some(w) = later {
                let _ = writeln!(s, "{w}\n");
            }
            for (label, paragraphs) in &parts {
                let _ = writeln!(s, "《{}》{label}\n", terminal_safe(&law.name));
                for p in paragraphs {
                    let _ = writeln!(s, "    {}", terminal_safe(p));
                }
                s.push('\n');
            }
            let _ = writeln!(s, "（{}）", terminal_safe(&source));
            s
        }
    })
}

/// A few characters around the first word in `wording`.
fn excerpt(wording: &str, words: &[&str]) -> String {
    let flat: String = wording.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = flat.chars().collect();
    // A word found by its parts (超限运输) is placed by its first two characters.
    let at = words
        .iter()
        .filter_map(|w| {
            let head: String = w.chars().take(2).collect();
            flat.find(w).or_else(|| flat.find(head.as_str()))
        })
        .min()
        .map_or(0, |b| flat[..b].chars().count());
    let from = at.saturating_sub(20);
    let to = (at + 60).min(chars.len());
    let mut s: String = chars[from..to].iter().collect();
    if from > 0 {
        s.insert(0, '…');
    }
    if to < chars.len() {
        s.push('…');
    }
    s
}

/// The articles that hold all the words, best first (at most `limit`).
/// (the listing, how many articles were found).
pub fn find(words: &[&str], limit: usize, format: Format) -> (String, usize) {
    let found: Vec<Found> = Library::builtin().find(words);
    let shown = &found[..found.len().min(limit)];
    let out = match format {
        Format::Json => pretty(&json!({
            "words": words,
            "total": found.len(),
            "found": shown.iter().map(|f| json!({
                "law": f.law.title,
                "level": f.law.level.map(|l| l.label()),
                "article": f.article.label(),
                "paragraphs": f.article.paragraphs,
                "whole_words": f.whole,
                "hits": f.hits,
            })).collect::<Vec<_>>(),
            "library": library_json(),
        })),
        Format::Human => {
            let t = terminal_safe;
            let mut s = String::new();
            if found.is_empty() {
                let _ = writeln!(
                    s,
                    "没有找到含有「{}」的条文（{}）",
                    t(&words.join(" ")),
                    library_source()
                );
                return (s, 0);
            }
            let _ = writeln!(
                s,
                "含有「{}」的条文共 {} 条{}（{}）：\n",
                t(&words.join(" ")),
                found.len(),
                if found.len() > shown.len() {
                    format!("，列出前 {} 条（--limit 可调）", shown.len())
                } else {
                    String::new()
                },
                library_source()
            );
            for f in shown {
                let _ = writeln!(s, "《{}》{}", t(&f.law.title), f.article.label());
                let _ = writeln!(s, "    {}\n", t(&excerpt(&f.article.wording(), words)));
            }
            s
        }
    };
    (out, found.len())
}

/// The laws whose names come near `name`, for a lookup that found none: names
/// holding it, else the nearest spelling.
pub fn near(name: &str) -> Vec<String> {
    let k = super::cite::key(name);
    let laws = super::registry::Registry::builtin_laws();
    let mut holding: Vec<String> = laws
        .iter()
        .filter(|l| !k.is_empty() && super::cite::key(&l.name).contains(&k))
        .map(|l| l.name.clone())
        .collect();
    holding.sort_by_key(|n| n.chars().count());
    holding.truncate(8);
    if holding.is_empty() {
        let names = laws.iter().map(|l| l.name.as_str());
        if let Some(n) = crate::load::suggest::nearest(&k, names) {
            holding.push(n.to_string());
        }
    }
    holding
}

/// Fills what the library already says of a basis written without it (`new`,
/// `import`): the level of a law it knows, and — when law and article are given
/// and the text is empty — the current wording of the cited clauses, marked as
/// taken from the library. Never replaces what was written.
pub fn fill(b: &mut super::procedure::BasisText, registry: &super::registry::Registry) {
    let Some(law) = registry.find(&b.law) else {
        return;
    };
    if b.level.is_none() {
        b.level = law.level.map(|l| l.label().to_string());
    }
    if b.text.as_deref().is_some_and(|t| !t.trim().is_empty()) || law.text().is_none() {
        return;
    }
    let Some(article) = b.article.as_deref() else {
        return;
    };
    let cited = super::cite::clauses(article);
    let Ok(parts) = cited
        .iter()
        .map(|c| clause_wording(law, c).map(|p| p.concat()))
        .collect::<Result<Vec<String>, String>>()
    else {
        return;
    };
    if parts.is_empty() {
        return;
    }
    // The database writes some texts with half-width marks; the list is Chinese text.
    let full: String = parts
        .join("……")
        .chars()
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            ':' => '：',
            ';' => '；',
            ',' => '，',
            c => c,
        })
        .collect();
    b.text = Some(full);
    b.filled_from = Some(law.text_source_line());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::cite::clauses;
    use crate::law::registry::Registry;

    #[test]
    fn an_article_and_a_search() {
        let r = Registry::builtin();
        let xk = r.find("行政许可法").unwrap();
        let out = article(xk, &clauses("第四十二条"), Format::Human).unwrap();
        assert!(out.contains("《中华人民共和国行政许可法》第四十二条"));
        assert!(out.contains("二十日内作出行政许可决定"));
        let p = article(xk, &clauses("第四十二条第二款"), Format::Human).unwrap();
        assert!(!p.contains("二十日内作出行政许可决定"), "{p}");
        assert!(article(xk, &clauses("第九十条"), Format::Human)
            .unwrap_err()
            .contains("共 83 条"));
        let (f, n) = find(&["超限运输"], 20, Format::Human);
        assert!(n >= 10, "{n}");
        assert!(f.contains("《中华人民共和国公路法》第五十条"));
        let facts_of = facts(xk, Format::Human);
        assert!(
            facts_of.contains("共 83 条") && facts_of.contains("程序法"),
            "{facts_of}"
        );
        let v: serde_json::Value = serde_json::from_str(&facts(xk, Format::Json)).unwrap();
        assert_eq!(v["articles"], 83);
        assert_eq!(v["level"], "法律");
        // 第七十六条第五项: the item of the article's one paragraph.
        let gl = r.find("公路法").unwrap();
        let item = clause_wording(gl, &clauses("第七十六条第五项")[0]).unwrap();
        assert_eq!(item.len(), 1);
        assert!(item[0].starts_with("（五）"), "{item:?}");
        assert!(about(Format::Human).contains("快照"));
    }
}
