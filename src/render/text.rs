//! Text measured and wrapped for drawing: how wide a character is (CJK full
//! width, Latin about half), and lines broken by the Chinese rules — no
//! closing mark at a line's start, numbers and words kept whole.

/// Line height as a multiple of the font size.
pub const LEADING: f64 = 1.35;
/// Lines shown for one text before it is cut with an ellipsis; tables keep the rest.
pub const MAX_LINES: usize = 8;

/// How wide a character is drawn, in ems: CJK and other wide forms are full
/// width, Latin and digits about half.
pub fn char_em(c: char) -> f64 {
    let u = c as u32;
    if u < 0x1100 || (0xFF61..=0xFFDC).contains(&u) {
        0.6
    } else {
        1.0
    }
}

pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * size
}

/// Wraps text to lines no wider than `max` px: at line breaks the author wrote,
/// else at any character (Chinese has no spaces), preferring a space in Latin text.
pub fn wrap(text: &str, size: f64, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let para: String = para.chars().filter(|c| !c.is_control()).collect();
        let greedy = wrap_greedy(&para, size, max);
        let k = greedy.len();
        if !(2..=MAX_LINES).contains(&k) {
            lines.extend(greedy);
            continue;
        }
        // Balance the lines (no lone last character): the narrowest width that
        // still needs no more lines than the greedy wrap.
        let mut width = (text_width(&para, size) / k as f64).max(size);
        let balanced = loop {
            if width >= max {
                break greedy;
            }
            let candidate = wrap_greedy(&para, size, width);
            if candidate.len() <= k {
                break candidate;
            }
            width += size * 0.5;
        };
        lines.extend(balanced);
    }
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && text_width(last, size) + size > max {
                last.pop();
            }
            last.push('…');
        }
    }
    lines
}

/// Punctuation that must not begin a line (the simplest of the Chinese line-breaking rules).
fn no_line_start(c: char) -> bool {
    "、，。；：？！）》」』】”’,.;:!?)".contains(c)
}

/// Opening brackets and quotes, which must not end a line.
fn no_line_end(c: char) -> bool {
    "（《「『【“‘([".contains(c)
}

/// Characters that join a run of digits or Latin letters: a phone number
/// (0832-3580006), a code (MZ-JF-0001), an address or a decimal never break.
fn joins_run(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_./@:#%+".contains(c)
}

/// The text as units a line may not break inside: a run of digits and Latin
/// letters, any other single character; an opening bracket goes with what
/// follows it, closing punctuation with what precedes it.
fn units(para: &str) -> Vec<String> {
    let mut raw: Vec<String> = Vec::new();
    let mut prev_in_run = false;
    for c in para.chars() {
        let in_run = c.is_ascii_alphanumeric() || (prev_in_run && joins_run(c));
        match raw.last_mut() {
            Some(last) if in_run && prev_in_run => last.push(c),
            _ => raw.push(c.to_string()),
        }
        prev_in_run = in_run;
    }
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    let mut open = String::new();
    for u in raw {
        let first = u.chars().next().unwrap_or(' ');
        if u.chars().count() == 1 && no_line_end(first) {
            open.push_str(&u);
            continue;
        }
        if u.chars().count() == 1 && no_line_start(first) && open.is_empty() {
            if let Some(prev) = out.last_mut() {
                prev.push_str(&u);
                continue;
            }
        }
        out.push(std::mem::take(&mut open) + &u);
    }
    if !open.is_empty() {
        out.push(open);
    }
    out
}

/// Wraps a paragraph greedily, without balancing or cutting: for running text.
/// Lines break between units (see `units`); a unit wider than a line is split
/// by character, the only way it fits.
pub fn wrap_greedy(para: &str, size: f64, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut width = 0.0;
    for unit in units(para) {
        let w = text_width(&unit, size);
        if unit == " " {
            if width + w > max {
                lines.push(std::mem::take(&mut line));
                width = 0.0;
            } else if !line.is_empty() {
                line.push(' ');
                width += w;
            }
            continue;
        }
        if width + w > max && !line.is_empty() {
            let trimmed = line.trim_end().to_string();
            lines.push(trimmed);
            line.clear();
            width = 0.0;
        }
        if w > max {
            // Too long for any line: character by character.
            for c in unit.chars() {
                let cw = char_em(c) * size;
                if width + cw > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    width = 0.0;
                }
                line.push(c);
                width += cw;
            }
            continue;
        }
        line.push_str(&unit);
        width += w;
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_and_narrow_characters() {
        assert_eq!(text_width("审查", 10.0), 20.0);
        assert_eq!(text_width("ab", 10.0), 12.0);
    }

    #[test]
    fn wraps_chinese_anywhere_and_latin_at_spaces() {
        let lines = wrap("县民政局审批并出具书面决定", 10.0, 50.0);
        assert_eq!(lines, ["县民政局审", "批并出具书", "面决定"]);
        let lines = wrap("作出准予或者不予登记的决定", 10.0, 120.0);
        assert_eq!(
            lines,
            ["作出准予或者不", "予登记的决定"],
            "no lone last character"
        );
        let lines = wrap_greedy("review the file", 10.0, 60.0);
        assert_eq!(lines, ["review the", "file"]);
        assert_eq!(wrap("a\nb", 10.0, 100.0), ["a", "b"]);
        assert_eq!(
            wrap_greedy("告知陈述、申辩", 10.0, 40.0),
            ["告知陈", "述、申辩"],
            "、 does not open a line"
        );
    }

    #[test]
    fn numbers_codes_and_words_never_break_and_brackets_stay_with_their_text() {
        // A phone number split over two lines is dialled wrong.
        let lines = wrap_greedy("投诉电话 0832-3580006；12388", 10.0, 100.0);
        assert!(
            lines.iter().any(|l| l.contains("0832-3580006")),
            "{lines:?}"
        );
        assert!(lines.iter().any(|l| l.contains("12388")), "{lines:?}");
        let lines = wrap_greedy("权力编码MZ-JF-0001", 10.0, 60.0);
        assert!(lines.iter().any(|l| l.contains("MZ-JF-0001")), "{lines:?}");
        // No line ends with an opening bracket.
        for width in [40.0, 50.0, 60.0, 70.0, 80.0] {
            for l in wrap_greedy("可委托村（居）委会代为提出申请", 10.0, width) {
                assert!(!l.ends_with('（') && !l.ends_with('('), "{l}");
                assert!(!l.starts_with('）'), "{l}");
            }
        }
        // A run longer than any line still fits, split by character.
        let lines = wrap_greedy(&"9".repeat(40), 10.0, 60.0);
        assert!(lines.iter().all(|l| text_width(l, 10.0) <= 60.0));
    }

    #[test]
    fn very_long_text_is_cut_with_an_ellipsis() {
        let lines = wrap(&"长".repeat(1000), 10.0, 100.0);
        assert_eq!(lines.len(), MAX_LINES);
        assert!(lines.last().unwrap().ends_with('…'));
        assert!(lines.iter().all(|l| text_width(l, 10.0) <= 100.0));
    }
}
