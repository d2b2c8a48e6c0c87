//! How a basis cites a law: the name as it is matched and as it is shown, its
//! edition or 文号, and the clauses an `article` cites.

use super::markdown::numeral;
use crate::model::duration::is_numeral;

/// A law's name as it is matched: without 《》, spaces, 中华人民共和国 and a
/// trailing edition (（2001年修正）, （2019年修订）).
pub fn key(name: &str) -> String {
    // Most names (every title of the library) have nothing to strip but the country.
    if !name.contains(['《', '》', ' ', '\u{3000}', '（', '(']) {
        return name
            .strip_prefix("中华人民共和国")
            .unwrap_or(name)
            .to_string();
    }
    let n: String = name
        .chars()
        .filter(|c| !matches!(c, '《' | '》' | ' ' | '\u{3000}'))
        .collect();
    let n = strip_edition(&n);
    n.strip_prefix("中华人民共和国").unwrap_or(n).to_string()
}

/// A name's closing bracket: where it opens, and its words (`（2001年修正）`).
fn trailing_bracket(name: &str) -> Option<(usize, &str)> {
    let open = name.rfind(['（', '('])?;
    let inner = name[open..]
        .trim_start_matches(['（', '('])
        .strip_suffix(['）', ')'])?;
    Some((open, inner))
}

/// The name without a trailing （2001年修正） or （国务院令第492号）.
fn strip_edition(name: &str) -> &str {
    match trailing_bracket(name) {
        Some((open, inner)) if open > 0 && (is_edition(inner) || inner.contains("令第")) => {
            &name[..open]
        }
        _ => name,
    }
}

/// Whether a bracket's words name an edition of a law: 2001年修正, 2019年修订.
pub fn is_edition(inner: &str) -> bool {
    inner.chars().any(|c| c.is_ascii_digit())
        && ["修正", "修订", "修改", "年版", "文本"]
            .iter()
            .any(|w| inner.contains(w))
}

/// The year of an edition written after a cited name: 《行政复议法》（2017年修正） → 2017.
pub fn edition_year(name: &str) -> Option<u32> {
    let (_, inner) = trailing_bracket(name)?;
    if !is_edition(inner) {
        return None;
    }
    let digits: String = inner.chars().take_while(|c| c.is_ascii_digit()).collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

/// The 文号 written inside a cited name: 《政府信息公开条例》（国务院令第492号）.
pub fn doc_no_in_name(name: &str) -> Option<&str> {
    let (_, inner) = trailing_bracket(name)?;
    inner.contains("令第").then_some(inner.trim())
}

/// The article number of `第五十三条`, `第53条` or `第二十条第二款` (53, 53, 20).
pub fn article_number(article: &str) -> Option<u32> {
    let after = article.split_once('第')?.1;
    numeral(after.split_once('条')?.0)
}

/// A cited name as it is shown inside 《》: without brackets of its own.
pub fn shown(name: &str) -> String {
    // 《婚姻法》（2001年修正） is shown 《婚姻法（2001年修正）》, not with a bracket inside.
    name.trim()
        .chars()
        .filter(|c| !matches!(c, '《' | '》'))
        .collect()
}

/// One cited clause: an article, and within it a paragraph (款) and items (项).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub article: u32,
    /// 之一 → 1; 0 when none.
    pub sub: u32,
    pub paragraph: Option<u32>,
    pub items: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Num(u32),
    Unit(char),
    Sep,
    Range,
    Zhi,
    Other,
}

/// A range of more than this many clauses is read as its two ends (a slip, or hostile).
const MAX_RANGE: u32 = 200;

/// Full-width digits as ASCII, and an item in brackets (`（九）`, `第（九）项`) as `九项`.
fn normalised(s: &str) -> String {
    let chars: Vec<char> = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if matches!(chars[i], '（' | '(') {
            let end = (i + 1..chars.len()).find(|&j| !is_numeral(chars[j]));
            if let Some(j) = end.filter(|&j| j > i + 1 && matches!(chars[j], '）' | ')')) {
                out.extend(&chars[i + 1..j]);
                out.push('项');
                i = j + 1;
                if chars.get(i) == Some(&'项') {
                    i += 1;
                }
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn tokens(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut number = String::new();
    let flush = |number: &mut String, out: &mut Vec<Token>| {
        if !number.is_empty() {
            out.push(numeral(number).map_or(Token::Other, Token::Num));
            number.clear();
        }
    };
    for c in normalised(s).chars() {
        if is_numeral(c) {
            number.push(c);
            continue;
        }
        flush(&mut number, &mut out);
        let t = match c {
            '第' => continue,
            c if c.is_whitespace() => continue,
            '条' | '款' | '项' => Token::Unit(c),
            '之' => Token::Zhi,
            '、' | '，' | ',' | '；' | ';' | '和' | '及' | '与' => Token::Sep,
            '至' | '到' | '-' | '—' | '－' | '~' | '～' => Token::Range,
            _ => Token::Other,
        };
        if !(t == Token::Other && out.last() == Some(&Token::Other)) {
            out.push(t);
        }
    }
    flush(&mut number, &mut out);
    out
}

/// The numbers of a list like `四十四、九十` or `二至四` (a range expanded).
fn expand(pending: &[(u32, bool)]) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for &(n, ranged) in pending {
        match out.last().copied() {
            Some(from) if ranged && n > from && n - from <= MAX_RANGE => out.extend(from + 1..=n),
            _ => out.push(n),
        }
    }
    out
}

/// The clauses an `article` field cites, in order; empty when it names none
/// (`全文`, a placeholder).
pub fn clauses(article: &str) -> Vec<Clause> {
    let mut out: Vec<Clause> = Vec::new();
    // Numbers waiting for their unit, each marked when a range leads to it.
    let mut pending: Vec<(u32, bool)> = Vec::new();
    let mut range = false;
    // The unit and last number of the last complete group, for `第十条至第十二条`.
    let mut last: Option<(char, u32)> = None;
    let mut after_zhi = false;
    // The unit of the group a range starts from, when it started from one.
    let mut range_from: Option<char> = None;
    for t in tokens(article) {
        match t {
            Token::Num(n) if after_zhi => {
                if let Some(c) = out.last_mut() {
                    c.sub = n;
                }
                after_zhi = false;
            }
            Token::Num(n) => {
                if pending.is_empty() && range {
                    if let Some((unit, from)) = last {
                        pending.push((from, false));
                        range_from = Some(unit);
                    }
                }
                pending.push((n, range));
                range = false;
            }
            Token::Range => range = true,
            Token::Sep => range = false,
            Token::Zhi => after_zhi = true,
            Token::Unit(u) => {
                // `第五条第二款至第七条`: a range runs between clauses of one kind; from
                // another kind it starts at the article after the last one cited.
                match range_from.take() {
                    Some(unit) if unit != u => {
                        let from = out.last().map_or(0, |c| c.article);
                        pending[0] = (from, false);
                    }
                    _ => {}
                }
                let mut numbers = expand(&pending);
                // `第十条至第十二条`: the first end was already taken.
                if pending.first().is_some_and(|p| Some((u, p.0)) == last)
                    || pending.first().is_some_and(|p| {
                        u == '条'
                            && out.last().is_some_and(|c| c.article == p.0)
                            && pending.len() > 1
                            && pending[1].1
                    })
                {
                    numbers.remove(0);
                }
                pending.clear();
                let Some(&end) = numbers.last() else { continue };
                apply(&mut out, u, &numbers);
                last = Some((u, end));
            }
            Token::Other => {
                pending.clear();
                range = false;
                after_zhi = false;
            }
        }
    }
    out
}

fn apply(out: &mut Vec<Clause>, unit: char, numbers: &[u32]) {
    match unit {
        '条' => out.extend(numbers.iter().map(|&n| Clause {
            article: n,
            sub: 0,
            paragraph: None,
            items: Vec::new(),
        })),
        '款' => {
            let Some(base) = out.last().cloned() else {
                return;
            };
            // 第一款、第二款 of one article: one clause each.
            let fresh = base.paragraph.is_some();
            for (i, &n) in numbers.iter().enumerate() {
                if i == 0 && !fresh {
                    if let Some(c) = out.last_mut() {
                        c.paragraph = Some(n);
                    }
                } else {
                    out.push(Clause {
                        paragraph: Some(n),
                        items: Vec::new(),
                        ..base.clone()
                    });
                }
            }
        }
        _ => {
            if let Some(c) = out.last_mut() {
                c.items.extend_from_slice(numbers);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_in_chinese_or_arabic_numerals() {
        assert_eq!(article_number("第五十三条"), Some(53));
        assert_eq!(article_number("第53条"), Some(53));
        assert_eq!(article_number("第二十条第二款"), Some(20));
        assert_eq!(article_number("第一千二百六十条"), Some(1260));
        assert_eq!(article_number("第一百零五条"), Some(105));
        assert_eq!(article_number("第十条"), Some(10));
        assert_eq!(article_number("第十五条"), Some(15));
        assert_eq!(article_number("全文"), None);
        assert_eq!(arts("第二十条第二款"), arts("第20条第2款"));
        assert_ne!(arts("第二十条第二款"), arts("第二十条"));
    }

    #[test]
    fn names_match_without_brackets_or_the_country() {
        assert_eq!(key("《中华人民共和国行政处罚法》"), "行政处罚法");
        assert_eq!(key("行政处罚法"), "行政处罚法");
    }

    fn arts(s: &str) -> Vec<(u32, u32, Option<u32>, Vec<u32>)> {
        clauses(s)
            .into_iter()
            .map(|c| (c.article, c.sub, c.paragraph, c.items))
            .collect()
    }

    #[test]
    fn citations_as_officers_write_them() {
        assert_eq!(arts("第四十二条"), [(42, 0, None, vec![])]);
        assert_eq!(arts("第42条"), [(42, 0, None, vec![])]);
        assert_eq!(
            arts("第四十四条、第九十条"),
            [(44, 0, None, vec![]), (90, 0, None, vec![])]
        );
        assert_eq!(
            arts("第四十四、九十条"),
            [(44, 0, None, vec![]), (90, 0, None, vec![])]
        );
        assert_eq!(arts("第十条至第十二条").len(), 3);
        assert_eq!(
            arts("第十至十二条").iter().map(|a| a.0).collect::<Vec<_>>(),
            [10, 11, 12]
        );
        assert_eq!(arts("第十条第二款第三项"), [(10, 0, Some(2), vec![3])]);
        assert_eq!(
            arts("第五十七条第一款第二至四项"),
            [(57, 0, Some(1), vec![2, 3, 4])]
        );
        assert_eq!(
            arts("第二十条第一款、第二款"),
            [(20, 0, Some(1), vec![]), (20, 0, Some(2), vec![])]
        );
        assert_eq!(arts("第十七条之一"), [(17, 1, None, vec![])]);
        // A range from a paragraph to an article: the articles after it.
        assert_eq!(
            arts("第五条第二款至第七条"),
            [
                (5, 0, Some(2), vec![]),
                (6, 0, None, vec![]),
                (7, 0, None, vec![])
            ]
        );
        assert_eq!(
            arts("第一款至第三款").len(),
            0,
            "no article to hang them on"
        );
        assert_eq!(
            arts("第十条第一款至第三款"),
            [
                (10, 0, Some(1), vec![]),
                (10, 0, Some(2), vec![]),
                (10, 0, Some(3), vec![])
            ]
        );
        // Full-width digits, items in brackets.
        assert_eq!(arts("第９０条"), [(90, 0, None, vec![])]);
        assert_eq!(arts("第十二条第（九）项"), [(12, 0, None, vec![9])]);
        assert_eq!(arts("第十二条（九）"), [(12, 0, None, vec![9])]);
        assert_eq!(
            arts("第十四条、第十五条"),
            [(14, 0, None, vec![]), (15, 0, None, vec![])]
        );
        assert_eq!(arts("第 30 条"), [(30, 0, None, vec![])]);
        assert!(arts("全文").is_empty());
        assert!(arts("【待填写】").is_empty());
        // A hostile range is read as its ends.
        assert_eq!(arts("第一条至第九千条").len(), 2);
    }

    #[test]
    fn names_match_without_brackets_country_or_edition() {
        assert_eq!(key("《中华人民共和国婚姻法》（2001年修正）"), "婚姻法");
        assert_eq!(
            key("政府信息公开条例（国务院令第492号）"),
            "政府信息公开条例"
        );
        assert_eq!(key("某办法（试行）"), "某办法（试行）");
        assert_eq!(key("中华人民共和国刑法修正案（十）"), "刑法修正案（十）");
        assert_eq!(
            doc_no_in_name("政府信息公开条例（国务院令第492号）"),
            Some("国务院令第492号")
        );
    }
}
