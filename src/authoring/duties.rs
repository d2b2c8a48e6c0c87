//! The 权责清单 cells as counties write them (SPEC §7), read back into a power:
//! 责任事项 stage by stage (「1.受理责任：…2.审查责任：…」, sub-items and
//! line breaks inside a stage kept), and 追责情形 case by case, each with the
//! 追责依据 it names or, when it names none, every basis of the 追责依据 cell.

use crate::law::cite::key;
use crate::law::procedure::BasisText;

/// The longest stage label read (其他法律法规规章文件规定应履行的责任 is 18).
const LABEL_CHARS: usize = 24;

use crate::model::duty::is_label_char;

/// Where a numbering mark (`1.`, `2、`, `（3）`, `四、`) ends, if `s` opens with one.
fn marker_len(s: &str) -> Option<usize> {
    let (open, close): (&[char], &[char]) = (&['（', '('], &['）', ')']);
    let body = s.strip_prefix(open).unwrap_or(s);
    let skipped = s.len() - body.len();
    let digits = body
        .char_indices()
        .find(|(_, c)| {
            !(c.is_ascii_digit() || c.is_numeric() || "一二三四五六七八九十".contains(*c))
        })
        .map_or(body.len(), |(i, _)| i);
    if digits == 0 {
        return None;
    }
    let after = &body[digits..];
    let ends: &[char] = if skipped > 0 {
        close
    } else {
        &['.', '、', '．', ')', '）']
    };
    let c = after.chars().next().filter(|c| ends.contains(c))?;
    Some(skipped + digits + c.len_utf8())
}

/// The start of each stage label (「受理责任：」, numbered or not) in `cell`:
/// (item start, label start, label end, content start).
fn stage_marks(cell: &str) -> Vec<(usize, usize, usize, usize)> {
    let mut out = Vec::new();
    for (colon, c) in cell.char_indices().filter(|(_, c)| matches!(c, '：' | ':')) {
        let before = &cell[..colon];
        if !before.ends_with("责任") {
            continue;
        }
        // Back over the label's characters.
        let mut start = colon;
        let mut count = 0;
        for (i, ch) in before.char_indices().rev() {
            if !is_label_char(ch) || count == LABEL_CHARS {
                break;
            }
            start = i;
            count += 1;
        }
        // Back over a numbering mark, then it must open a line or follow a stop.
        let head = &cell[..start];
        let item = (1..=6)
            .filter_map(|n| {
                let at = head.char_indices().rev().nth(n - 1)?.0;
                (marker_len(&head[at..]) == Some(head.len() - at)).then_some(at)
            })
            .next()
            .unwrap_or(start);
        let opens = cell[..item]
            .chars()
            .next_back()
            .is_none_or(|p| p.is_whitespace() || "；;。".contains(p));
        if opens && count >= 2 {
            out.push((item, start, colon, colon + c.len_utf8()));
        }
    }
    out
}

/// A 责任事项 cell into (stage, duty) pairs in order. A cell without any stage
/// label is one duty of the stage 「责任事项」.
pub fn parse_duties(cell: &str) -> Vec<(String, String)> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Vec::new();
    }
    let marks = stage_marks(cell);
    if marks.is_empty() {
        return vec![("责任事项".to_string(), cell.to_string())];
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for (k, &(_, label, label_end, content)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map_or(cell.len(), |m| m.0);
        let duty = cell[content..end]
            .trim()
            .trim_end_matches(['；', ';'])
            .trim_end()
            .to_string();
        out.push((cell[label..label_end].to_string(), duty));
    }
    out
}

/// The cases of a 追责情形 cell, each without its numbering and final stop;
/// an opening line that introduces the list (「…有下列情形之一的，…：」) is left out.
fn case_lines(cell: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut numbered = false;
    for line in cell.lines().map(str::trim).filter(|l| !l.is_empty()) {
        // Several numbered cases on one line, after a ；.
        let mut parts: Vec<&str> = Vec::new();
        let mut rest = line;
        while let Some(at) = rest
            .match_indices(['；', ';'])
            .map(|(i, s)| i + s.len())
            .find(|&i| marker_len(rest[i..].trim_start()).is_some())
        {
            parts.push(&rest[..at]);
            rest = &rest[at..];
        }
        parts.push(rest);
        for part in parts {
            let part = part.trim();
            match marker_len(part) {
                Some(n) => {
                    numbered = true;
                    items.push(part[n..].trim().to_string());
                }
                // A line that goes on the case above (a wrapped cell).
                None if numbered => {
                    if let Some(last) = items.last_mut() {
                        last.push_str(part);
                    }
                }
                None => items.push(part.to_string()),
            }
        }
    }
    let intro = |s: &str| s.ends_with(['：', ':']);
    if numbered {
        items.retain(|s| !intro(s));
    }
    items
        .into_iter()
        .map(|s| s.trim_end_matches(['；', ';', '。']).trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The citations a case names in a closing bracket: `（《行政许可法》第七十二条、《…》第…条）`.
fn named_citations(case: &str) -> Option<(&str, Vec<(String, String)>)> {
    let case = case.trim_end();
    let body = case.strip_suffix('）')?;
    let at = body.rfind("（《")?;
    let inner = &body[at + "（".len()..];
    let mut cited = Vec::new();
    for part in inner.split('、') {
        let part = part.trim();
        let (law, article) = part.strip_prefix('《')?.split_once('》')?;
        cited.push((law.trim().to_string(), article.trim().to_string()));
    }
    Some((body[..at].trim_end(), cited))
}

/// A 追责情形 cell with the bases of its 追责依据 cell: each case with the
/// bases it names (matched by law and article; a basis the 依据 cell lacks is
/// kept as named), or every basis when it names none. The flag says whether
/// some case named none while there were several bases to give it.
pub fn parse_cases(cell: &str, bases: &[BasisText]) -> (Vec<(String, Vec<BasisText>)>, bool) {
    let mut unassigned = false;
    let cases = case_lines(cell)
        .into_iter()
        .map(|case| match named_citations(&case) {
            Some((text, cited)) => {
                let found = cited
                    .iter()
                    .map(|(law, article)| {
                        bases
                            .iter()
                            .find(|b| {
                                key(&b.law) == key(law) && b.article.as_deref() == Some(article)
                            })
                            .cloned()
                            .unwrap_or_else(|| BasisText {
                                law: law.clone(),
                                article: (!article.is_empty()).then(|| article.clone()),
                                ..BasisText::default()
                            })
                    })
                    .collect();
                (text.to_string(), found)
            }
            None => {
                unassigned |= bases.len() > 1;
                (case, bases.to_vec())
            }
        })
        .collect();
    (cases, unassigned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stages(cell: &str) -> Vec<(String, String)> {
        parse_duties(cell)
    }

    #[test]
    fn duties_split_at_their_stage_labels_only() {
        let cell = "1.受理责任：（1）公示应当提交的材料；（2）一次性告知补正材料；（3）依法受理或不予受理（不予受理应当告知理由）。\n2.审查责任：对申请材料进行审查，提出审查意见。\n3、决定责任：作出决定。4.送达责任：送达许可证件。\n5.事后监管责任：开展定期检查。\n6.其他法律法规规章文件规定应履行的责任。";
        let got = stages(cell);
        let names: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            names,
            [
                "受理责任",
                "审查责任",
                "决定责任",
                "送达责任",
                "事后监管责任"
            ]
        );
        assert_eq!(
            got[0].1,
            "（1）公示应当提交的材料；（2）一次性告知补正材料；（3）依法受理或不予受理（不予受理应当告知理由）。"
        );
        assert_eq!(got[2].1, "作出决定。");
        // The last has no colon: it stays with the stage before it.
        assert!(
            got[4].1.ends_with("其他法律法规规章文件规定应履行的责任。"),
            "{got:?}"
        );
        assert_eq!(
            stages("受理责任：甲；审查责任：乙"),
            [
                ("受理责任".into(), "甲".into()),
                ("审查责任".into(), "乙".into())
            ]
        );
        assert_eq!(
            stages("依法履行审查职责"),
            [("责任事项".into(), "依法履行审查职责".into())]
        );
        // A 责任： inside a sentence is no label.
        assert_eq!(stages("1.决定责任：承担法律责任：依法追究").len(), 1);
        assert!(stages("  ").is_empty());
    }

    #[test]
    fn cases_take_the_bases_they_name_else_all() {
        let bases = vec![
            BasisText {
                law: "中华人民共和国行政许可法".into(),
                article: Some("第七十二条".into()),
                text: Some("甲".into()),
                ..BasisText::default()
            },
            BasisText {
                law: "中华人民共和国行政许可法".into(),
                article: Some("第七十四条".into()),
                ..BasisText::default()
            },
        ];
        let cell = "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：\n1.对符合法定条件的申请不予受理的（《行政许可法》第七十二条）；\n2.超越法定职权作出准予行政许可决定的；3.其他违反法律法规规章规定的行为（《行政许可法》第七十四条、《监察法》第六十五条）。";
        let (cases, unassigned) = parse_cases(cell, &bases);
        assert!(unassigned);
        assert_eq!(cases.len(), 3, "{cases:?}");
        assert_eq!(cases[0].0, "对符合法定条件的申请不予受理的");
        assert_eq!(cases[0].1, bases[..1]);
        assert_eq!(cases[1].0, "超越法定职权作出准予行政许可决定的");
        assert_eq!(cases[1].1, bases);
        assert_eq!(cases[2].0, "其他违反法律法规规章规定的行为");
        assert_eq!(cases[2].1[0], bases[1]);
        assert_eq!(cases[2].1[1].law, "监察法");
        assert_eq!(cases[2].1[1].article.as_deref(), Some("第六十五条"));
        // Unnumbered: one case a line.
        let (cases, _) = parse_cases("甲的\n乙的", &[]);
        assert_eq!(cases.len(), 2);
    }
}
