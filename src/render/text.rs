//! Text measured and wrapped for drawing: how wide a character is (CJK full
//! width, Latin about half), and lines broken by the Chinese rules — no
//! closing mark at a line's start, numbers and words kept whole.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::thread::LocalKey;

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
/// else at any character (Chinese has no spaces), preferring a space in Latin
/// text; a short parenthetical is never split, and a long one that must break
/// starts a line of its own where that costs at most one more line.
pub fn wrap(text: &str, size: f64, max: f64) -> Vec<String> {
    remembered(&LINES, (0, size.to_bits(), max.to_bits()), text, || {
        wrap_measured(text, size, max)
    })
}

fn wrap_measured(text: &str, size: f64, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let para: Cow<str> = if para.chars().any(char::is_control) {
            Cow::Owned(para.chars().filter(|c| !c.is_control()).collect())
        } else {
            Cow::Borrowed(para)
        };
        lines.extend(wrap_para(&para, size, max));
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

/// One paragraph wrapped and balanced (see `wrap`).
fn wrap_para(para: &str, size: f64, max: f64) -> Vec<String> {
    let units = fitted(para, marked_units(para), size, max);
    let greedy = lay(&units, max);
    let k = greedy.len();
    let mut starts = balance(para, &units, size, max, greedy);
    if breaks_inside(&units, &starts) {
        if let Some(split) = before_parentheticals(para, &units, size, max, k) {
            starts = split;
        }
    }
    render(para, &units, &starts)
}

/// Balances the lines (no lone last character): the narrowest width that
/// still needs no more lines than the greedy wrap `greedy` (line starts).
fn balance(para: &str, units: &[Unit], size: f64, max: f64, greedy: Vec<usize>) -> Vec<usize> {
    let k = greedy.len();
    if !(2..=MAX_LINES).contains(&k) {
        return greedy;
    }
    let total: f64 = units.iter().map(|u| u.w).sum();
    let widest = units.iter().map(|u| u.w).fold(0.0, f64::max);
    let mut width = (total / k as f64).max(size).max(widest);
    loop {
        if width >= max {
            return greedy;
        }
        let candidate = lay(units, width);
        if candidate.len() <= k {
            return after_punctuation(para, units, candidate, max);
        }
        width += size * 0.5;
    }
}

/// Each line break moved back, by up to three units, to just after a
/// comma or other pause (「可委 / 托村」 becomes 「， / 可委托村」) where the
/// line it then starts still fits.
fn after_punctuation(para: &str, units: &[Unit], mut starts: Vec<usize>, max: f64) -> Vec<usize> {
    let pause = |u: &Unit| {
        u.text(para)
            .ends_with(|c: char| "，、；：。！？".contains(c))
    };
    for i in 1..starts.len() {
        let (prev, s) = (starts[i - 1], starts[i]);
        let end = starts.get(i + 1).copied().unwrap_or(units.len());
        let Some(j) = (s.saturating_sub(3).max(prev + 1)..s)
            .rev()
            .find(|&j| pause(&units[j - 1]))
        else {
            continue;
        };
        if units[j..end].iter().map(|u| u.w).sum::<f64>() <= max {
            starts[i] = j;
        }
    }
    starts
}

/// Whether a line starts inside a long parenthetical.
fn breaks_inside(units: &[Unit], starts: &[usize]) -> bool {
    starts
        .iter()
        .any(|&s| units.get(s).is_some_and(|u| u.inside))
}

/// The lines when each long parenthetical (after a first piece of two or more
/// characters) starts a line and every piece is balanced on its own; none if
/// that takes more than one line over `k`.
fn before_parentheticals(
    para: &str,
    units: &[Unit],
    size: f64,
    max: f64,
    k: usize,
) -> Option<Vec<usize>> {
    let mut cuts = vec![0];
    let mut chars = 0;
    for (i, u) in units.iter().enumerate() {
        if u.opens_long && chars >= 2 {
            cuts.push(i);
            chars = 0;
        }
        chars += u.text(para).trim().chars().count();
    }
    if cuts.len() < 2 {
        return None;
    }
    cuts.push(units.len());
    let mut starts = Vec::new();
    for w in cuts.windows(2) {
        let piece = &units[w[0]..w[1]];
        let greedy = lay(piece, max);
        starts.extend(
            balance(para, piece, size, max, greedy)
                .into_iter()
                .map(|s| s + w[0]),
        );
    }
    (starts.len() <= k + 1).then_some(starts)
}

/// Punctuation that must not begin a line (the simplest of the Chinese line-breaking rules).
fn no_line_start(c: char) -> bool {
    "、，。；：？！）》」』】〕”’,.;:!?)]".contains(c)
}

/// Opening brackets and quotes, which must not end a line.
fn no_line_end(c: char) -> bool {
    "（《「『【〔“‘([".contains(c)
}

/// The brackets that close an opening one (full- and half-width parentheses
/// close each other: authors mix them).
fn closers(open: char) -> &'static str {
    match open {
        '（' | '(' => "）)",
        '《' => "》",
        '「' => "」",
        '『' => "』",
        '【' => "】",
        '〔' => "〕",
        '“' => "”",
        '‘' => "’",
        '[' => "]",
        _ => "",
    }
}

/// The most characters between brackets that are kept on one line:
/// 「（两人以上）」, 「（重大案件集体讨论）」.
pub const SHORT_BRACKETED: usize = 8;

/// Characters that join a run of digits or Latin letters: a phone number
/// (0832-3580006), a code (MZ-JF-0001), an address or a decimal never break.
fn joins_run(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_./@:#%+".contains(c)
}

/// A piece of text a line may not break inside, and how it stands to a long
/// parenthetical (one with more than `SHORT_BRACKETED` characters). The
/// units of a paragraph are its consecutive pieces, in order, so a unit is
/// where it is in the paragraph (bytes `start..end`), and units joined are
/// the first one's start to the last one's end.
#[derive(Debug, Clone)]
struct Unit {
    start: usize,
    end: usize,
    w: f64,
    /// A space, or the 「 · 」 between a post and its time: where a line
    /// breaks, it goes.
    space: bool,
    /// A long parenthetical opens with this unit: a good place to break before.
    opens_long: bool,
    /// The unit is inside a long parenthetical: a poor place to break before.
    inside: bool,
    /// The first piece of a unit too wide for any line, split by character:
    /// it starts a line of its own.
    fresh: bool,
}

impl Unit {
    fn text<'p>(&self, para: &'p str) -> &'p str {
        &para[self.start..self.end]
    }
}

/// The one character `text` is, if it is one.
fn single(text: &str) -> Option<char> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// The text as units a line may not break inside: a run of digits and Latin
/// letters, a bracketed text of up to `SHORT_BRACKETED` characters, any other
/// single character; an opening bracket goes with what follows it, closing
/// punctuation with what precedes it. Widths are left at zero.
fn marked_units(para: &str) -> Vec<Unit> {
    let mut raw: Vec<(usize, usize)> = Vec::with_capacity(para.len());
    let mut prev_in_run = false;
    for (at, c) in para.char_indices() {
        let in_run = c.is_ascii_alphanumeric() || (prev_in_run && joins_run(c));
        let end = at + c.len_utf8();
        match raw.last_mut() {
            Some(last) if in_run && prev_in_run => last.1 = end,
            _ => raw.push((at, end)),
        }
        prev_in_run = in_run;
    }
    let mut units = separators(para, attach(para, bracketed(para, &raw)));
    for u in &mut units {
        let text = u.text(para);
        u.space = text == " " || text == SEPARATOR;
    }
    units
}

/// What separates the parts of a step's detail line (its post and its time).
const SEPARATOR: &str = " · ";

/// Each 「 · 」 as one unit, which a line break drops like a space.
fn separators(para: &str, units: Vec<Unit>) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    for u in units {
        let n = out.len();
        if u.text(para) == " "
            && n >= 2
            && out[n - 1].text(para) == "·"
            && out[n - 2].text(para) == " "
        {
            out.truncate(n - 1);
            out[n - 2].end = u.end;
            continue;
        }
        out.push(u);
    }
    out
}

/// What follows an opening bracket: its short text (the index of its closing
/// bracket), or more than `SHORT_BRACKETED` characters before it closes.
enum Bracketed {
    Short(usize),
    Long,
    Not,
}

fn bracketed_at(para: &str, raw: &[(usize, usize)], i: usize) -> Bracketed {
    let Some(open) = single(&para[raw[i].0..raw[i].1]) else {
        return Bracketed::Not;
    };
    let close = closers(open);
    if close.is_empty() {
        return Bracketed::Not;
    }
    let (mut depth, mut inner) = (0usize, 0usize);
    for (j, &(a, b)) in raw.iter().enumerate().skip(i + 1) {
        let u = &para[a..b];
        if single(u).is_some_and(|c| close.contains(c)) {
            if depth == 0 {
                return Bracketed::Short(j);
            }
            depth -= 1;
        } else if u.starts_with(open) {
            depth += 1;
        }
        inner += u.chars().count();
        if inner > SHORT_BRACKETED {
            return Bracketed::Long;
        }
    }
    Bracketed::Not
}

/// Short bracketed texts joined into one unit; long ones marked.
fn bracketed(para: &str, raw: &[(usize, usize)]) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::with_capacity(raw.len());
    // Closing brackets still awaited by the long parentheticals open here.
    let mut open_long: Vec<&'static str> = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let unit = |(start, end): (usize, usize), opens_long: bool, inside: bool| Unit {
            start,
            end,
            w: 0.0,
            space: false,
            opens_long,
            inside,
            fresh: false,
        };
        let inside = !open_long.is_empty();
        let text = &para[raw[i].0..raw[i].1];
        match bracketed_at(para, raw, i) {
            Bracketed::Short(j) => {
                out.push(unit((raw[i].0, raw[j].1), false, inside));
                i = j + 1;
                continue;
            }
            Bracketed::Long if text == "（" || text == "(" => {
                open_long.push(closers('（'));
                out.push(unit(raw[i], true, inside));
            }
            _ => {
                let closes = open_long
                    .last()
                    .is_some_and(|c| single(text).is_some() && c.contains(text));
                if closes {
                    open_long.pop();
                }
                out.push(unit(raw[i], false, inside));
            }
        }
        i += 1;
    }
    out
}

/// Opening brackets joined to what follows them, closing punctuation to what
/// precedes it.
fn attach(para: &str, units: Vec<Unit>) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    let mut open: Option<Unit> = None;
    for u in units {
        let one = single(u.text(para));
        if one.is_some_and(no_line_end) {
            match &mut open {
                Some(o) => o.end = u.end,
                None => open = Some(u),
            }
            continue;
        }
        if one.is_some_and(no_line_start) && open.is_none() {
            if let Some(prev) = out.last_mut() {
                prev.end = u.end;
                continue;
            }
        }
        match open.take() {
            Some(mut o) => {
                o.end = u.end;
                out.push(o);
            }
            None => out.push(u),
        }
    }
    out.extend(open);
    out
}

/// Units measured at `size`; one wider than `max` is split by character,
/// the only way it fits.
fn fitted(para: &str, units: Vec<Unit>, size: f64, max: f64) -> Vec<Unit> {
    let mut out = Vec::with_capacity(units.len());
    for mut u in units {
        u.w = text_width(u.text(para), size);
        if u.w <= max || u.space {
            out.push(u);
            continue;
        }
        for (n, (at, c)) in u.text(para).char_indices().enumerate() {
            let start = u.start + at;
            out.push(Unit {
                start,
                end: start + c.len_utf8(),
                w: char_em(c) * size,
                space: c == ' ',
                opens_long: u.opens_long && n == 0,
                inside: u.inside || n > 0,
                fresh: n == 0,
            });
        }
    }
    out
}

/// Greedy line breaking: the index of the unit each line starts with. A space
/// that overflows a line ends it; a space at a line's start is dropped.
fn lay(units: &[Unit], max: f64) -> Vec<usize> {
    let mut starts = vec![0];
    let (mut width, mut empty) = (0.0, true);
    for (i, u) in units.iter().enumerate() {
        if u.space {
            if width + u.w > max {
                starts.push(i + 1);
                (width, empty) = (0.0, true);
            } else if !empty {
                width += u.w;
            }
            continue;
        }
        if (width + u.w > max || u.fresh) && !empty {
            starts.push(i);
            width = 0.0;
        }
        width += u.w;
        empty = false;
    }
    starts
}

/// The lines that start at `starts`, without the spaces and separators
/// around them.
fn render(para: &str, units: &[Unit], starts: &[usize]) -> Vec<String> {
    let ends = starts.iter().skip(1).copied().chain([units.len()]);
    starts
        .iter()
        .zip(ends)
        .map(|(&a, b)| {
            let mut line = &units[a.min(b)..b];
            while let [first, rest @ ..] = line {
                if !first.space {
                    break;
                }
                line = rest;
            }
            while let [rest @ .., last] = line {
                if !last.space {
                    break;
                }
                line = rest;
            }
            match line {
                [first, .., last] => &para[first.start..last.end],
                [only] => only.text(para),
                [] => "",
            }
            .trim_matches(' ')
            .to_string()
        })
        .collect()
}

/// How wide the widest piece of `text` a line may not break inside is, in px
/// at `size`: a line narrower than that splits it by character.
pub fn widest_unbreakable(text: &str, size: f64) -> f64 {
    remembered(&WIDTHS, size.to_bits(), text, || {
        widest_measured(text, size)
    })
}

fn widest_measured(text: &str, size: f64) -> f64 {
    marked_units(text)
        .iter()
        .filter(|u| !u.space)
        .map(|u| text_width(u.text(text), size))
        .fold(0.0, f64::max)
}

/// Wraps a paragraph greedily, without balancing or cutting: for running text.
/// Lines break between units (see `marked_units`); a unit wider than a line
/// is split by character, the only way it fits.
pub fn wrap_greedy(para: &str, size: f64, max: f64) -> Vec<String> {
    remembered(&LINES, (1, size.to_bits(), max.to_bits()), para, || {
        greedy_measured(para, size, max)
    })
}

fn greedy_measured(para: &str, size: f64, max: f64) -> Vec<String> {
    let units = fitted(para, marked_units(para), size, max);
    render(para, &units, &lay(&units, max))
}

/// What a thread has measured, by text: the same texts recur across a
/// catalogue (step names, posts, the legend's notes), and wrapping one is
/// the costliest part of drawing a chart. Each text keeps its results by
/// key (which function, at which size and width).
type Memo<K, V> = HashMap<String, Vec<(K, V)>, foldhash::fast::FixedState>;

/// A text longer than this is measured each time (it seldom recurs).
const MEMO_TEXT_BYTES: usize = 512;
/// The texts a thread remembers before it forgets them all and starts again.
const MEMO_TEXTS: usize = 16_384;

thread_local! {
    static LINES: RefCell<Memo<(u8, u64, u64), Vec<String>>> = RefCell::default();
    static WIDTHS: RefCell<Memo<u64, f64>> = RefCell::default();
}

/// `measure()` of `text`, remembered under `key` in `memo`.
fn remembered<K: PartialEq + Copy + 'static, V: Clone + 'static>(
    memo: &'static LocalKey<RefCell<Memo<K, V>>>,
    key: K,
    text: &str,
    measure: impl FnOnce() -> V,
) -> V {
    if text.len() > MEMO_TEXT_BYTES {
        return measure();
    }
    let known = memo.with_borrow(|m| {
        m.get(text)
            .and_then(|all| all.iter().find(|(k, _)| *k == key))
            .map(|(_, v)| v.clone())
    });
    if let Some(v) = known {
        return v;
    }
    let v = measure();
    memo.with_borrow_mut(|m| {
        if m.len() >= MEMO_TEXTS {
            m.clear();
        }
        m.entry(text.to_string())
            .or_default()
            .push((key, v.clone()));
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_measure_is_the_measure_at_that_size_and_width() {
        let texts = [
            "受理申请（两人以上）",
            "review the file",
            "告知陈述、申辩",
            "0832-3580006",
        ];
        for _ in 0..3 {
            for t in texts {
                for (size, max) in [(10.0, 40.0), (10.0, 60.0), (12.0, 40.0), (13.5, 90.0)] {
                    assert_eq!(wrap(t, size, max), wrap_measured(t, size, max), "{t}");
                    assert_eq!(
                        wrap_greedy(t, size, max),
                        greedy_measured(t, size, max),
                        "{t}"
                    );
                    assert_eq!(widest_unbreakable(t, size), widest_measured(t, size), "{t}");
                }
            }
        }
        // wrap and wrap_greedy differ on this text: each keeps its own.
        let t = "作出准予或者不予登记的决定";
        assert_ne!(wrap(t, 10.0, 120.0), wrap_greedy(t, 10.0, 120.0));
        assert_eq!(wrap_greedy(t, 10.0, 120.0), greedy_measured(t, 10.0, 120.0));
    }

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

    /// Issue 24: the charts drew 「局长（重大案件集体 / 讨论）」, 「（两人 / 以上）」
    /// and 「（可 / 委托村（居）…」. A step's detail is 11px, its name 13px, both
    /// 195px wide; a label 11px, 88px wide.
    #[test]
    fn parentheticals_of_up_to_eight_characters_are_never_split() {
        let whole = |lines: &[String], bracketed: &str| {
            assert!(
                lines.iter().any(|l| l.contains(bracketed)),
                "{bracketed} split: {lines:?}"
            );
        };
        let lines = wrap("局长（重大案件集体讨论） · 3个工作日", 11.0, 195.0);
        whole(&lines, "（重大案件集体讨论）");
        // The 「 · 」 between a post and its time goes where the line breaks.
        assert_eq!(lines, ["局长（重大案件集体讨论）", "3个工作日"]);
        let lines = wrap("劳动保障监察员（两人以上） · 15个工作日", 11.0, 195.0);
        whole(&lines, "（两人以上）");
        assert_eq!(lines, ["劳动保障监察员（两人以上）", "15个工作日"]);
        assert_eq!(
            wrap("局法制股 · 3个工作日", 11.0, 195.0),
            ["局法制股 · 3个工作日"]
        );
        // Greedy (running text) and narrow lines alike, at every width that holds it.
        for width in (60..=200).step_by(5).map(f64::from) {
            for l in [wrap_greedy, wrap] {
                let lines = l("由劳动保障监察员（两人以上）共同调查取证", 10.0, width);
                whole(&lines, "（两人以上）");
            }
        }
        // Nested, closing punctuation after it, half-width brackets.
        whole(&wrap("村（居）委会", 10.0, 30.0), "（居）");
        let lines = wrap_greedy("通知敬老院（福利院）收养，办理入院手续", 10.0, 80.0);
        whole(&lines, "（福利院）");
        let lines = wrap_greedy("转入行政处罚程序（见附件一)", 10.0, 100.0);
        whole(&lines, "（见附件一)");
    }

    #[test]
    fn a_long_parenthetical_breaks_before_its_opening_bracket() {
        let lines = wrap(
            "向乡镇人民政府提出书面申请（可委托村（居）委会代为提出）",
            13.0,
            195.0,
        );
        assert_eq!(
            lines,
            [
                "向乡镇人民政府提出书面申请",
                "（可委托村（居）委会代为提出）"
            ]
        );
        let lines = wrap(
            "本人提出书面申请（本人申请有困难的，可委托村（居）委会代为提出）",
            13.0,
            195.0,
        );
        // Inside it, at its comma rather than in 「委托」.
        assert_eq!(
            lines,
            [
                "本人提出书面申请",
                "（本人申请有困难的，",
                "可委托村（居）委会代为提出）"
            ]
        );
        // The chart drew 「组织听证（由非本 / 案调查人员主持）」.
        assert_eq!(
            wrap("组织听证（由非本案调查人员主持）", 13.0, 195.0),
            ["组织听证", "（由非本案调查人员主持）"]
        );
        // Kept where it is when the lines break outside it anyway.
        assert_eq!(
            wrap("组织听证（由非本案人员主持）", 13.0, 195.0),
            ["组织听证（由非本案人员主持）"]
        );
        let lines = wrap(
            "申请人提交申请材料，窗口人员当场核对（核对原件与复印件等）",
            13.0,
            195.0,
        );
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[1].ends_with("（核对原件与复印件等）"), "{lines:?}");
        let lines = wrap("组织听证并制作笔录（由非本案调查人员主持）", 13.0, 195.0);
        assert_eq!(lines, ["组织听证并制作笔录", "（由非本案调查人员主持）"]);
    }

    #[test]
    fn very_long_text_is_cut_with_an_ellipsis() {
        let lines = wrap(&"长".repeat(1000), 10.0, 100.0);
        assert_eq!(lines.len(), MAX_LINES);
        assert!(lines.last().unwrap().ends_with('…'));
        assert!(lines.iter().all(|l| text_width(l, 10.0) <= 100.0));
    }
}
