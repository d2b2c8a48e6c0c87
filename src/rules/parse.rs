//! SPEC §2.1: parse and schema. The parser reports syntax, unknown keys, wrong types,
//! bad enum values and duplicate keys; this file adds what serde cannot say: every
//! missing required key, bad codes, bad categories, bad durations, duplicate ids
//! and codes; and `placeholder`, `cjk-punctuation` and `code-category`.

use std::collections::HashMap;

use super::ctx::PowerCtx;
use crate::diag::rules::Rule;
use crate::diag::Finding;
use crate::diag::Pos;
use crate::model::{pos, valid_code, DurationText, Sp, PLACEHOLDER};

/// 「实施主体 `department`」: a key with its element name.
fn named(key: &str) -> String {
    match crate::model::element_name(key) {
        Some(zh) => format!("{zh} `{key}`"),
        None => format!("键 `{key}`"),
    }
}

fn required<T>(value: &Option<Sp<T>>, key: &str, at: Pos, out: &mut Vec<Finding>)
where
    T: AsRef<str>,
{
    match value {
        None => out.push(Finding::new(
            Rule::Schema,
            at,
            format!("缺少必填的{}", named(key)),
        )),
        Some(v) if v.value.as_ref().trim().is_empty() => out.push(Finding::new(
            Rule::Schema,
            pos(v),
            format!("{}不能为空", named(key)),
        )),
        Some(_) => {}
    }
}

fn duration(d: Option<&Sp<DurationText>>, out: &mut Vec<Finding>) {
    // A 【待填写】 mark is reported by `placeholder`, not as a bad duration.
    if let Some(d) = d.filter(|d| !d.value.text.starts_with(PLACEHOLDER)) {
        if let Err(msg) = &d.value.parsed {
            out.push(Finding::new(Rule::Schema, pos(d), msg.clone()));
        }
    }
}

/// `schema`: what serde cannot say — every missing required key, bad codes,
/// categories and durations, risks without level or point.
pub(super) fn schema(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let (p, settings) = (ctx.power, ctx.settings);
    let top = Pos::START;
    required(&p.code, "code", top, out);
    required(&p.name, "name", top, out);
    required(&p.category, "category", top, out);
    required(&p.department, "department", top, out);

    if let Some(code) = &p.code {
        if !code.value.trim().is_empty() && !valid_code(&code.value) {
            out.push(Finding::new(
                Rule::Schema,
                pos(code),
                format!(
                    "权力编码 `{}` 无效：只能使用字母、数字、`-`、`_`，最长 64 位 (bad code)",
                    code.value
                ),
            ));
        }
    }
    if let Some(cat) = &p.category {
        if !cat.value.trim().is_empty() && settings.category(&cat.value).is_none() {
            let names: Vec<&str> = settings
                .categories
                .iter()
                .map(|(n, _)| n.as_str())
                .collect();
            out.push(Finding::new(Rule::Schema, pos(cat), {
                let hint = crate::load::suggest::did_you_mean(&cat.value, names.iter().copied());
                format!(
                    "未知的职权类别 `{}`{hint}{}可选：{}",
                    cat.value,
                    crate::load::suggest::then(&hint),
                    names.join(" ")
                )
            }));
        }
    }
    list_items(p, out);
    duration(p.statutory(), out);
    duration(p.promised(), out);
    duration(p.extension(), out);
    if let Some(r) = &p.revised {
        if r.value.trim().parse::<jiff::civil::Date>().is_err() {
            out.push(Finding::new(
                Rule::Schema,
                pos(r),
                format!(
                    "更新日期 `revised: {}` 无效：应写作 YYYY-MM-DD, 如 2026-03-01 (bad date)",
                    r.value
                ),
            ));
        }
    }

    for s in p.steps() {
        let step = &s.value;
        required(&step.id, "id", pos(s), out);
        required(&step.name, "name", pos(s), out);
        duration(step.time.as_ref(), out);
        if let Some(n) = step
            .not_counted
            .as_ref()
            .filter(|n| n.value.trim().is_empty())
        {
            out.push(Finding::new(
                Rule::Schema,
                pos(n),
                "`not_counted` 要写明不计入时限的理由（如 听证所需时间不计入许可期限，行政许可法第四十五条） (must not be empty)",
            ));
        }
        if let Some(risk) = &step.risk {
            if risk.value.level.is_none() {
                out.push(Finding::new(
                    Rule::Schema,
                    pos(risk),
                    "风险点缺少 `level`（高 | 中 | 低） (missing required key)",
                ));
            }
            required(&risk.value.point, "point", pos(risk), out);
        }
    }
}

/// The required key of each list item: a basis's law, a material's name …
fn list_items(p: &crate::model::Power, out: &mut Vec<Finding>) {
    for b in p.cited() {
        required(&b.value.law, "law", pos(b), out);
    }
    for d in &p.duties {
        required(&d.value.stage, "stage", pos(d), out);
        required(&d.value.duty, "duty", pos(d), out);
    }
    for a in &p.accountability {
        required(&a.value.case, "case", pos(a), out);
    }
    for m in &p.materials {
        required(&m.value.name, "name", pos(m), out);
    }
    for f in &p.fees {
        required(&f.value.item, "item", pos(f), out);
    }
    for c in &p.complaints {
        required(&c.value.channel, "channel", pos(c), out);
    }
}

/// `duplicate-step-id`: a step id used before, at the second use.
pub(super) fn duplicate_step_id(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for s in ctx.power.steps() {
        let Some(id) = &s.value.id else { continue };
        if id.value.trim().is_empty() {
            continue;
        }
        if let Some(first) = seen.get(id.value.as_str()) {
            out.push(Finding::new(
                Rule::DuplicateStepId,
                pos(id),
                format!(
                    "步骤 id `{}` 重复，第 {first} 行已使用 (duplicate step id)",
                    id.value
                ),
            ));
        } else {
            seen.insert(&id.value, pos(id).line);
        }
    }
}

/// `duplicate-code`: every file that shares a code with another is reported.
/// A file's code (with where it is written) and the findings to add to.
pub(super) type CodeAndFindings<'a> = (&'a Option<(String, Pos)>, &'a mut Vec<Finding>);

pub(super) fn duplicate_codes(
    files: &[crate::load::SourceFile],
    checks: &mut [CodeAndFindings<'_>],
) {
    let mut by_code: HashMap<&str, Vec<(usize, Pos)>> = HashMap::new();
    for (i, (code, _)) in checks.iter().enumerate() {
        if let Some((code, at)) = code {
            by_code.entry(code.as_str()).or_default().push((i, *at));
        }
    }
    let mut found: Vec<(usize, Finding)> = Vec::new();
    for (code, uses) in by_code {
        if uses.len() < 2 {
            continue;
        }
        for &(i, at) in &uses {
            let others: Vec<String> = uses
                .iter()
                .filter(|(j, _)| *j != i)
                .map(|&(j, p)| format!("{}:{}", files[j].rel, p.line))
                .collect();
            found.push((
                i,
                Finding::new(
                    Rule::DuplicateCode,
                    at,
                    format!(
                        "权力编码 `{code}` 重复，亦见于 {} (duplicate code)",
                        others.join(", ")
                    ),
                ),
            ));
        }
    }
    for (i, f) in found {
        checks[i].1.push(f);
    }
}

/// Every value that still holds the 【待填写】 mark of `powerlist new` / `import`.
/// Read from the text, so that no field is missed; marks in comments do not count.
fn placeholder_line(i: usize, line_start: usize, line: &str, out: &mut Vec<Finding>) {
    let mark = PLACEHOLDER;
    let Some(at) = line.find(mark) else {
        return;
    };
    let code = &line[..at];
    if code.trim_start().starts_with('#') || code.contains(" #") {
        return;
    }
    let key = code
        .trim_start()
        .trim_start_matches("- ")
        .split(':')
        .next()
        .unwrap_or("")
        .trim();
    let rest = &line[at + mark.len()..];
    let rest = rest.split(" #").next().unwrap_or(rest);
    let what: String = rest
        .chars()
        .take_while(|&c| c != '"' && c != '\'')
        .collect();
    let what = what.trim_end();
    let message = if key.is_empty() || key.contains('"') {
        format!("尚未填写：{what} (placeholder left by `powerlist new`)")
    } else {
        format!("`{key}` 尚未填写：{what} (placeholder left by `powerlist new`)")
    };
    let pos = Pos {
        line: u32::try_from(i + 1).unwrap_or(u32::MAX),
        column: u32::try_from(code.chars().count() + 1).unwrap_or(u32::MAX),
        offset: line_start + at,
        len: mark.len(),
    };
    out.push(Finding::new(Rule::Placeholder, pos, message));
}

/// Which of the three source-text rules run.
#[derive(Clone, Copy)]
pub(super) struct TextRules {
    pub placeholder: bool,
    pub cjk: bool,
    pub input_method: bool,
}

/// The source-text rules (`placeholder`, `cjk-punctuation`, `input-method`)
/// in one pass over the lines: each line is split out once for all three.
pub(super) fn text_rules(text: &str, which: TextRules, out: &mut Vec<Finding>) {
    let placeholder = which.placeholder
        && memchr::memmem::find(text.as_bytes(), PLACEHOLDER.as_bytes()).is_some();
    if !(placeholder || which.cjk || which.input_method) {
        return;
    }
    let mut ranges = Vec::new();
    for (i, start, line, in_block) in crate::load::ime::every_line(text) {
        if placeholder {
            placeholder_line(i, start, line, out);
        }
        if line.is_ascii() {
            continue;
        }
        if which.cjk {
            cjk_line(i, start, line, &mut ranges, out);
        }
        if which.input_method && !in_block {
            crate::load::ime::in_values_line(i, start, line, out);
        }
    }
}

/// A Chinese character, or Chinese (full-width) punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' // CJK symbols and punctuation
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF01}'..='\u{FF0F}' // full-width ！＂…／
        | '\u{FF1A}'..='\u{FF20}' // full-width ：；＜＝＞？＠
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
        | '\u{2014}' | '\u{2026}' | '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}')
}

/// The full-width mark GB/T 15834 asks for in place of an ASCII one.
fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// The byte ranges of a YAML line that hold text (not keys, flow syntax or
/// comments), into `out` (emptied first).
fn text_ranges(line: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let body = crate::load::ime::trim_start(line);
    let indent = line.len() - body.len();
    let mut at = indent;
    let mut rest = body;
    // List dashes, then a `key: ` if the line starts with an ASCII key.
    loop {
        if let Some(r) = rest.strip_prefix("- ") {
            at += 2;
            rest = r;
        } else if rest == "-" {
            return;
        } else {
            break;
        }
    }
    if rest.starts_with('#') {
        return;
    }
    let key_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    if key_len > 0 && rest[key_len..].starts_with(':') {
        let after = &rest[key_len + 1..];
        if after.is_empty() || after.starts_with(' ') {
            at += key_len + 1;
            rest = after;
        }
    }
    let trimmed = crate::load::ime::trim_start(rest);
    at += rest.len() - trimmed.len();
    rest = trimmed;
    if rest.starts_with('[') || rest.starts_with('{') {
        // A flow collection: its items are text, its brackets and separating
        // commas syntax.
        let mut quote: Option<char> = None;
        let mut from = 0;
        for (i, c) in rest.char_indices() {
            match quote {
                Some(q) if c == q => {
                    out.push((at + from, at + i));
                    quote = None;
                    from = i + 1;
                }
                Some(_) => {}
                None if c == '"' || c == '\'' => {
                    quote = Some(c);
                    from = i + 1;
                }
                None if c == '#' && rest[..i].ends_with(' ') => break,
                None if matches!(c, ',' | '[' | ']' | '{' | '}') => {
                    if from < i {
                        out.push((at + from, at + i));
                    }
                    from = i + 1;
                }
                None => {}
            }
        }
        return;
    }
    // A scalar, to a comment (` #`) if it is not quoted.
    match rest.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let end = rest[1..].rfind(q).map_or(rest.len(), |e| e + 1);
            out.push((at + 1, at + end));
        }
        _ => out.push((at, at + crate::load::ime::before_comment(rest).len())),
    }
}

/// The ASCII `,` `;` `:` `(` `)` of `text` that stand between Chinese text
/// (spaces aside) and GB/T 15834 writes full width: each one's byte index,
/// itself and its full-width form. Also run over the tool's own messages.
pub fn misplaced_marks(text: &str) -> Vec<(usize, char, char)> {
    let mut out = Vec::new();
    if !text
        .bytes()
        .any(|b| matches!(b, b',' | b';' | b':' | b'(' | b')'))
    {
        return out;
    }
    for (j, c) in text.char_indices() {
        let Some(wide) = full_width(c) else { continue };
        let before = text[..j].trim_end_matches(' ').chars().next_back();
        let after = text[j + 1..].trim_start_matches(' ').chars().next();
        // A neighbouring ASCII mark that is itself to be replaced counts as Chinese.
        let is_cjk = |c: char| is_cjk(c) || full_width(c).is_some();
        let between = match c {
            // An opening bracket before Chinese text, a closing one after it.
            '(' => after.is_some_and(is_cjk) && before.is_none_or(is_cjk),
            ')' => before.is_some_and(is_cjk) && after.is_none_or(is_cjk),
            _ => before.is_some_and(is_cjk) && after.is_some_and(is_cjk),
        };
        if between {
            out.push((j, c, wide));
        }
    }
    out
}

/// `cjk-punctuation`: ASCII `,` `;` `:` `(` `)` between Chinese characters in
/// the catalogue's text (GB/T 15834). Read from the source text, so YAML's own
/// colons and commas and the comments never count, and the column is exact.
/// (This is one line of it, holding more than ASCII.)
fn cjk_line(
    i: usize,
    line_start: usize,
    line: &str,
    ranges: &mut Vec<(usize, usize)>,
    out: &mut Vec<Finding>,
) {
    text_ranges(line, ranges);
    for &(from, to) in ranges.iter() {
        let seg = &line[from..to];
        for (j, c, wide) in misplaced_marks(seg) {
            let col = line[..from + j].chars().count() + 1;
            out.push(Finding::new(
                Rule::CjkPunctuation,
                Pos {
                    line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    column: u32::try_from(col).unwrap_or(u32::MAX),
                    offset: line_start + from + j,
                    len: 1,
                },
                format!("中文之间的半角 `{c}` 应写作全角 `{wide}` (GB/T 15834)"),
            ));
        }
    }
}

/// `code-category`: a code whose category segment names another category.
pub(super) fn code_category(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let (Some(code), Some(category)) = (&ctx.power.code, ctx.category) else {
        return;
    };
    if let Some((segment, named)) = ctx.settings.code_contradicts(&code.value, category) {
        out.push(Finding::new(
            Rule::CodeCategory,
            pos(code),
            format!(
                "权力编码 `{}` 中的 `{segment}` 是{named}的代码，而职权类别是{category}：请核对类别或编码",
                code.value
            ),
        ));
    }
}
