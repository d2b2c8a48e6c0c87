//! Comparing a quoted basis text with the law's wording (`law-text`, SPEC §2.5):
//! punctuation, spaces and full/half-width forms aside, each part of the
//! quotation (parts joined by 「……」) must be found in the article, in order.

/// A text reduced to what wording is compared on, each kept character with
/// the index (in chars) it had in the original.
struct Reduced {
    chars: Vec<char>,
    at: Vec<usize>,
}

fn reduce(text: &str) -> Reduced {
    let mut r = Reduced {
        chars: Vec::new(),
        at: Vec::new(),
    };
    for (i, c) in text.chars().enumerate() {
        let c = match c {
            // Full-width ASCII forms (ＡＢＣ１２３) as their half-width letters.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        };
        if c.is_whitespace() || is_punctuation(c) || c == '\u{feff}' {
            continue;
        }
        r.chars.push(c.to_ascii_lowercase());
        r.at.push(i);
    }
    r
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c,
            '\u{2000}'..='\u{206F}'   // general punctuation: “” ‘’ … —
            | '\u{3000}'..='\u{303F}' // CJK symbols and punctuation: 、。「」《》【】
            | '\u{FE10}'..='\u{FE1F}'
            | '\u{FE30}'..='\u{FE4F}'
            | '\u{FF01}'..='\u{FF0F}'
            | '\u{FF1A}'..='\u{FF20}'
            | '\u{FF3B}'..='\u{FF40}'
            | '\u{FF5B}'..='\u{FF65}'
            | '·' | '・')
}

/// The parts of a quotation: split at 「……」, 「…」, 「...」 and 「。。。」 (a run of
/// them is one gap), in one pass.
fn parts(quote: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut gap: Option<usize> = None;
    let bytes = quote.as_bytes();
    for (i, c) in quote.char_indices() {
        let opens = c == '…'
            || (c == '.' && bytes.get(i + 1) == Some(&b'.') && bytes.get(i + 2) == Some(&b'.'))
            || (c == '。' && quote[i..].starts_with("。。。"));
        let in_gap = gap.is_some() && matches!(c, '…' | '.' | '。');
        match (opens || in_gap, gap) {
            (true, None) => gap = Some(i),
            (true, Some(_)) => {}
            (false, Some(g)) => {
                out.push(&quote[start..g]);
                start = i;
                gap = None;
            }
            (false, None) => {}
        }
    }
    match gap {
        Some(g) => out.push(&quote[start..g]),
        None => out.push(&quote[start..]),
    }
    out
}

/// A part without a leading article label (「第三十条 申请……」): the label is
/// the citation's, not the law's wording.
fn without_label<'a>(part: &'a str, labels: &[String]) -> &'a str {
    let p = part.trim_start();
    labels
        .iter()
        .find_map(|l| p.strip_prefix(l.as_str()))
        .map_or(p, str::trim_start)
}

/// Where a quotation parts from the law's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The quotation from the first character that is not in the law (a few characters).
    pub quoted: String,
    /// The law's wording from the point where the quotation left it, if it
    /// matched a beginning (a few characters).
    pub law: Option<String>,
}

/// A few characters of `text` from char index `from`.
fn snippet(text: &str, from: usize) -> String {
    let s: String = text
        .chars()
        .skip(from)
        .take(16)
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    if text.chars().count() > from + 16 {
        format!("{s}…")
    } else {
        s
    }
}

/// `None` when every part of `quote` is found in `law`, in order; else where it parts.
pub fn compare(quote: &str, law: &str) -> Option<Mismatch> {
    compare_cited(quote, law, &[])
}

/// [`compare`], a part may open with one of the cited articles' labels.
pub fn compare_cited(quote: &str, law: &str, labels: &[String]) -> Option<Mismatch> {
    let l = reduce(law);
    let mut from = 0;
    for part in parts(quote) {
        let part = without_label(part, labels);
        let q = reduce(part);
        // More than the rest of the law holds: it cannot be found (and is not searched).
        if q.chars.len() > l.chars.len() - from {
            return Some(Mismatch {
                quoted: snippet(part, q.at.first().copied().unwrap_or(0)),
                law: None,
            });
        }
        if q.chars.is_empty() {
            continue;
        }
        match find(&l.chars[from..], &q.chars) {
            Some(i) => from += i + q.chars.len(),
            None => {
                // The longest beginning of the part that the law holds after `from`.
                let (mut lo, mut hi) = (0, q.chars.len());
                while lo < hi {
                    let mid = (lo + hi).div_ceil(2);
                    if find(&l.chars[from..], &q.chars[..mid]).is_some() {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                let quoted = snippet(part, q.at[lo]);
                let law_at = (lo > 0)
                    .then(|| find(&l.chars[from..], &q.chars[..lo]))
                    .flatten()
                    .map(|i| from + i + lo)
                    .and_then(|k| l.at.get(k).copied())
                    .map(|k| snippet(law, k));
                return Some(Mismatch {
                    quoted,
                    law: law_at,
                });
            }
        }
    }
    None
}

fn find(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAW: &str =
        "县级以上人民政府医疗保障部门应当会同民政部门审批。\n申请人可以（一）甲；（二）乙。";

    #[test]
    fn same_wording_with_other_punctuation_and_width() {
        assert_eq!(
            compare("县级以上人民政府医疗保障部门应当会同民政部门审批", LAW),
            None
        );
        assert_eq!(
            compare("县级以上人民政府医疗保障部门, 应当会同民政部门审批.", LAW),
            None
        );
        assert_eq!(compare("申请人可以(一)甲;(二)乙", LAW), None);
        assert_eq!(
            compare("县级以上人民政府……民政部门审批。……（二）乙。", LAW),
            None
        );
    }

    #[test]
    fn a_changed_word_is_shown_where_it_parts() {
        let m = compare("县级以上人民政府民政部门审批", LAW).unwrap();
        assert_eq!(m.quoted, "民政部门审批");
        assert_eq!(m.law.as_deref(), Some("医疗保障部门应当会同民政部门审批…"));
        // Parts out of order do not match.
        assert!(compare("（二）乙……县级以上", LAW).is_some());
        // A quotation the law does not hold at all.
        let m = compare("完全不同的文字", LAW).unwrap();
        assert_eq!(m.law, None);
        // A hostile quotation of many parts is answered at once.
        let long = ["行政"; 30_000].join("……");
        let t = std::time::Instant::now();
        assert!(compare(&long, LAW).is_some());
        assert!(t.elapsed().as_secs() < 2);
    }
}
