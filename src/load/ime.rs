//! Input-method slips: what a Chinese input method types where YAML wants
//! ASCII — 全角冒号, 全角空格 and 制表符 in the indentation, 全角括号 or 破折号
//! in a key, a full-width list dash; and, in values, 中文逗号 in a `[...]`
//! list and 弯引号 around a value. Read from the source text, so each slip is
//! named by its character at its exact column.

use crate::diag::rules::Rule;
use crate::diag::Finding;
use crate::diag::Pos;

fn pos(line: usize, line_start: usize, text_line: &str, byte: usize, len: usize) -> Pos {
    Pos {
        line: u32::try_from(line + 1).unwrap_or(u32::MAX),
        column: u32::try_from(text_line[..byte].chars().count() + 1).unwrap_or(u32::MAX),
        offset: line_start + byte,
        len,
    }
}

/// Lines with their number (0-based) and byte offset, skipping the bodies of
/// block scalars (`key: |`), which may hold any text.
fn lines(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    every_line(text)
        .filter_map(|(i, start, line, in_block)| (!in_block).then_some((i, start, line)))
}

/// Every line with its number (0-based), byte offset and whether it is in the
/// body of a block scalar (`key: |`): the one pass the source-text rules share.
pub fn every_line(text: &str) -> impl Iterator<Item = (usize, usize, &str, bool)> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut number = 0;
    let mut block: Option<usize> = None;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let line_start = start;
        start = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |e| start + e + 1);
        let i = number;
        number += 1;
        let mut end = start;
        while end > line_start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        let line = &text[line_start..end];
        let indent = line.bytes().take_while(|&b| b == b' ').count();
        if let Some(b) = block {
            if line.trim().is_empty() || indent > b {
                return Some((i, line_start, line, true));
            }
            block = None;
        }
        // What comes before the first ` #` (a comment), found by its `#`.
        let body = before_comment(line).trim_end();
        let last = body.as_bytes().last();
        if !matches!(last, Some(b'|' | b'>' | b'-')) {
            return Some((i, line_start, line, false));
        }
        if body.ends_with(": |")
            || body.ends_with(": >")
            || body.ends_with(": |-")
            || body.ends_with(": >-")
        {
            block = Some(indent);
        }
        Some((i, line_start, line, false))
    })
}

/// A line up to its first ` #`, or the whole line.
pub fn before_comment(line: &str) -> &str {
    let b = line.as_bytes();
    (1..b.len())
        .find(|&i| b[i] == b'#' && b[i - 1] == b' ')
        .map_or(line, |i| &line[..i - 1])
}

/// `s.trim_start()`, its ASCII spaces skipped a byte at a time.
pub fn trim_start(s: &str) -> &str {
    // char::is_whitespace's ASCII part: space and \t \n \x0B \x0C \r.
    let ascii = s
        .bytes()
        .take_while(|b| matches!(b, b' ' | b'\t'..=b'\r'))
        .count();
    let rest = &s[ascii..];
    match rest.as_bytes().first() {
        Some(&b) if b >= 0x80 => rest.trim_start(),
        _ => rest,
    }
}

/// The slips that break a file's structure, as `yaml-syntax` findings. The
/// loader reports these instead of the parser's message when a file fails to
/// parse: they name the character and the fix.
pub fn structural(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, start, line) in lines(text) {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let lead_len = line.len() - line.trim_start_matches([' ', '\t', '\u{3000}']).len();
        let lead = &line[..lead_len];
        let rest = &line[lead_len..];
        if let Some(b) = lead.find('\t') {
            out.push(Finding::new(
                Rule::YamlSyntax,
                pos(i, start, line, b, 1),
                "行首有制表符（Tab）：YAML 只能用半角空格缩进。把制表符换成空格（每级两个），编辑器里可打开「显示空白字符」查看",
            ));
        } else if let Some(b) = lead.find('\u{3000}') {
            out.push(Finding::new(
                Rule::YamlSyntax,
                pos(i, start, line, b, 3),
                "行首有全角空格「　」：YAML 只能用半角空格缩进。删除它，或在英文输入状态下输入空格",
            ));
        }
        let dash = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '－' | '—' | '–' | '一'));
        if let Some(d) = dash.filter(|d| rest[d.len_utf8()..].starts_with([' ', '\u{3000}'])) {
            out.push(Finding::new(
                Rule::YamlSyntax,
                pos(i, start, line, lead_len, d.len_utf8()),
                format!(
                    "列表项前的「{d}」不是 YAML 的短横：在英文输入状态下写 `- `（半角短横加空格）"
                ),
            ));
            continue;
        }
        let key_at = lead_len + usize::from(rest.starts_with("- ")) * 2;
        key_slips(&line[key_at..], |b, len, message| {
            out.push(Finding::new(
                Rule::YamlSyntax,
                pos(i, start, line, key_at + b, len),
                message,
            ));
        });
    }
    out
}

/// A key typed with an input method: `office：`, `time_limit（`, `doc—no:`.
fn key_slips(s: &str, mut report: impl FnMut(usize, usize, String)) {
    let key_end = s
        .find(|c: char| {
            !(c.is_ascii_alphanumeric() || c == '_' || matches!(c, '（' | '）' | '—' | '－'))
        })
        .unwrap_or(s.len());
    let key = &s[..key_end];
    if key.is_empty() || !key.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return;
    }
    let after = s[key_end..].trim_start_matches(' ');
    let colon = after.starts_with('：') || after.starts_with(':');
    if !colon {
        return;
    }
    if let Some((b, c)) = key.char_indices().find(|(_, c)| !c.is_ascii()) {
        let kind = if matches!(c, '（' | '）') {
            "全角括号"
        } else {
            "破折号"
        };
        report(
            b,
            c.len_utf8(),
            format!("键 `{key}` 里有{kind}「{c}」：键只用英文字母、数字和下划线，如 `time_limit`"),
        );
        return;
    }
    if after.starts_with('：') {
        let b = s.len() - after.len();
        report(
            b,
            '：'.len_utf8(),
            format!(
                "键 `{key}` 后面是全角冒号「：」：键和值之间要用半角冒号加空格，写作 `{key}: `"
            ),
        );
    }
}

/// `input-method`: slips that still parse but change what is published — a
/// `[...]` list whose items are separated by 中文逗号 (read as one item), and a
/// value wrapped in 弯引号 “ ” or ‘ ’ (published with the quotes).
pub fn in_values(text: &str, out: &mut Vec<Finding>) {
    for (i, start, line) in lines(text) {
        in_values_line(i, start, line, out);
    }
}

/// `in_values` on one line outside a block scalar.
pub fn in_values_line(i: usize, start: usize, line: &str, out: &mut Vec<Finding>) {
    let body = trim_start(line);
    if body.starts_with('#') || line.is_ascii() {
        return;
    }
    let at = line.len() - body.len();
    let body = body.strip_prefix("- ").unwrap_or(body);
    let b = body.as_bytes();
    let colon = memchr::memchr_iter(b':', b).find(|&k| b.get(k + 1) == Some(&b' '));
    let value_at = match colon {
        Some(k)
            if body[..k]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
        {
            line.len() - body.len() + k + 2
        }
        _ if line[at..].starts_with("- ") => at + 2,
        _ => return,
    };
    let value = trim_start(&line[value_at..]);
    let value_at = line.len() - value.len();
    let value = before_comment(value).trim_end();
    if value.starts_with('[')
        && value.ends_with(']')
        && value.contains('，')
        && !value.contains(',')
    {
        let b = value_at + value.find('，').unwrap_or(0);
        let fixed = value.replace('，', ", ");
        out.push(Finding::new(
            Rule::InputMethod,
            pos(i, start, line, b, '，'.len_utf8()),
            format!("列表里用了中文逗号「，」：YAML 会把整串读成一项。项与项之间用半角逗号加空格，写作 `{fixed}`"),
        ));
    }
    for (open, close) in [('“', '”'), ('‘', '’')] {
        if value.starts_with(open) && value.ends_with(close) && value.chars().count() > 2 {
            let inner = &value[open.len_utf8()..value.len() - close.len_utf8()];
            out.push(Finding::new(
                Rule::InputMethod,
                pos(i, start, line, value_at, open.len_utf8()),
                format!("取值被弯引号「{open}{close}」包住：这不是 YAML 的引号，会连引号一起发布。改用半角引号 `\"{inner}\"`，或去掉引号"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `every_line` as it was written first, a character search at a time.
    fn every_line_walk(text: &str) -> Vec<(usize, usize, &str, bool)> {
        let mut start = 0;
        let mut block: Option<usize> = None;
        let mut out = Vec::new();
        for (i, raw) in text.split_inclusive('\n').enumerate() {
            let line_start = start;
            start += raw.len();
            let line = raw.trim_end_matches(['\n', '\r']);
            let indent = line.len() - line.trim_start_matches(' ').len();
            if let Some(b) = block {
                if line.trim().is_empty() || indent > b {
                    out.push((i, line_start, line, true));
                    continue;
                }
                block = None;
            }
            let comment = line
                .match_indices('#')
                .find(|&(i, _)| i > 0 && line.as_bytes()[i - 1] == b' ');
            let body = comment.map_or(line, |(i, _)| &line[..i - 1]).trim_end();
            if [": |", ": >", ": |-", ": >-"]
                .iter()
                .any(|e| body.ends_with(e))
            {
                block = Some(indent);
            }
            out.push((i, line_start, line, false));
        }
        out
    }

    #[test]
    fn every_line_gives_what_the_character_walk_gives() {
        let pieces = [
            "a: |",
            "a: >-",
            " #",
            "#",
            "# x",
            "  ",
            " ",
            "\r",
            "\n",
            "\r\n",
            "b: 值",
            "- x",
            "：",
            "\u{3000}",
            "c: |-  # 注",
            "d: >",
            "    正文",
            "e#f",
            "",
            "\n\n",
        ];
        for text in crate::diag::testing::texts(&pieces, 13, 20_000, 24) {
            let fast: Vec<_> = every_line(&text).collect();
            assert_eq!(fast, every_line_walk(&text), "{text:?}");
            assert_eq!(before_comment(&text), text.split(" #").next().unwrap_or(""));
            assert_eq!(trim_start(&text), text.trim_start(), "{text:?}");
        }
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            for text in [format!("{c}x"), format!(" {c} x"), format!("\t{c}")] {
                assert_eq!(trim_start(&text), text.trim_start(), "{text:?}");
            }
        }
    }

    fn messages(text: &str) -> Vec<String> {
        structural(text).into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn structural_slips_name_the_character() {
        assert!(messages("office： 股\n")[0].contains("全角冒号「：」"));
        assert!(messages("a:\n\tb: c\n")[0].contains("制表符"));
        assert!(messages("\u{3000}office: 股\n")[0].contains("全角空格"));
        assert!(messages("time_limit（: x\n")[0].contains("全角括号「（」"));
        assert!(messages("steps:\n  － id: a\n")[0].contains("「－」"));
        assert!(messages("text: 第一条：申请\nname: 甲：乙\n").is_empty());
        assert!(
            messages("note: |\n  office： 股\n").is_empty(),
            "a block scalar is free text"
        );
    }

    #[test]
    fn value_slips() {
        let mut out = Vec::new();
        in_values(
            "rights: [陈述，申辩]\nphone: “12345”\nname: “三定”方案\nconditions: [甲，乙, 丙]\n",
            &mut out,
        );
        let m: Vec<&str> = out.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].contains("`[陈述, 申辩]`"));
        assert!(m[1].contains("`\"12345\"`"));
        assert_eq!((out[0].pos.line, out[0].pos.column), (1, 12));
    }
}
