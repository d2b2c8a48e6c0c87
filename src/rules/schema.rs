//! SPEC §2.1: parse and schema. The parser reports syntax, unknown keys, wrong types,
//! bad enum values and duplicate keys; this file adds what serde cannot say: every
//! missing required key, bad codes, bad categories, bad durations, duplicate ids.

use std::collections::HashMap;

use super::{Doc, Rule};
use crate::config::Settings;
use crate::diag::Finding;

use crate::model::{pos, DurationText, Pos, Power, Sp};

pub(super) fn doc(rule: Rule) -> Option<Doc> {
    Some(match rule {
        Rule::YamlSyntax => Doc {
            summary: "文件不是合法的 YAML (缩进、引号、括号错误), 不是 UTF-8 编码, 过大, 或含有多个文档。",
            why: "无法解析的文件里的职权既不能检查也不能发布; 一处语法错误常使后文全部失效。",
            example: "steps:\n  - id: apply\n   name: 提出申请      # 缩进少了一格",
            fix: "按提示的行列修正缩进或引号; 用 GBK 保存的文件请另存为 UTF-8; 每个文件只写一项职权。",
        },
        Rule::Schema => Doc {
            summary: "键或取值不符合职权格式: 未知的键、缺少必填的键、类型错误、无效的枚举值、无法识别的时限或权力编码。",
            why: "拼错的键 (如 `timelimit:`) 若被悄悄忽略, 职权目录就会缺项而无人察觉。",
            example: "code: MZ-JF-0001\ntimelimit:            # 应为 time_limit\n  statutory: 二十日      # 应为 20日",
            fix: "按 SPEC §1.1 的键名书写; 时限写作 `N个工作日`、`N日` 或 `即办`; 类别用十类之一或其两字母代码; 编码只用字母、数字、`-`、`_`。",
        },
        Rule::Placeholder => Doc {
            summary: "某个值仍是 `powerlist new` 或 `powerlist import` 写入的占位内容【待填写】。",
            why: "占位内容一旦发布, 公众看到的就是 “【待填写】实施主体” 而不是真实信息; 逐条列出才不会漏填。",
            example: "department: \"【待填写】实施主体 (如 县民政局)\"",
            fix: "把整个值换成真实内容 (department: 示范县民政局); 注释中的【待填写】不计。",
        },
        Rule::DuplicateKey => Doc {
            summary: "同一映射中同一个键出现了两次; 诊断指向第二次出现的位置。",
            why: "多数 YAML 工具会悄悄保留后一个值, 前一个值就此丢失。",
            example: "name: 城乡最低生活保障对象认定\nname: 低保认定",
            fix: "删除或合并重复的键。",
        },
        Rule::DuplicateCode => Doc {
            summary: "两个文件使用了同一个权力编码; 两处都会被报告。",
            why: "权力编码是职权目录中一项职权的唯一标识, 重复会使目录和页面相互覆盖。",
            example: "# a.yaml\ncode: MZ-JF-0001\n# b.yaml\ncode: MZ-JF-0001",
            fix: "为其中一项分配新的编码。",
        },
        Rule::DuplicateStepId => Doc {
            summary: "同一职权中两个步骤使用了同一个 id; 诊断指向第二个。",
            why: "`next` 与 `supervision.step` 按 id 引用步骤, 重复的 id 使流程图含义不明。",
            example: "steps:\n  - id: check\n    name: 初审\n  - id: check\n    name: 复审",
            fix: "为每个步骤使用不同的 id。",
        },
        _ => return None,
    })
}

fn required<T>(value: &Option<Sp<T>>, key: &str, at: Pos, out: &mut Vec<Finding>)
where
    T: AsRef<str>,
{
    match value {
        None => out.push(Finding::new(
            Rule::Schema,
            at,
            format!("缺少必填的键 `{key}` (missing required key)"),
        )),
        Some(v) if v.value.as_ref().trim().is_empty() => out.push(Finding::new(
            Rule::Schema,
            pos(v),
            format!("`{key}` 不能为空 (must not be empty)"),
        )),
        Some(_) => {}
    }
}

fn duration(d: Option<&Sp<DurationText>>, out: &mut Vec<Finding>) {
    if let Some(d) = d {
        if let Err(msg) = &d.value.parsed {
            out.push(Finding::new(Rule::Schema, pos(d), msg.clone()));
        }
    }
}

pub fn valid_code(code: &str) -> bool {
    (1..=64).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub(super) fn check_power(p: &Power, settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    let top = Pos::START;
    required(&p.code, "code", top, &mut out);
    required(&p.name, "name", top, &mut out);
    required(&p.category, "category", top, &mut out);
    required(&p.department, "department", top, &mut out);

    if let Some(code) = &p.code {
        if !code.value.trim().is_empty() && !valid_code(&code.value) {
            out.push(Finding::new(
                Rule::Schema,
                pos(code),
                format!(
                    "权力编码 `{}` 无效: 只能使用字母、数字、`-`、`_`, 最长 64 位 (bad code)",
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
            out.push(Finding::new(
                Rule::Schema,
                pos(cat),
                format!(
                    "未知的职权类别 `{}` (bad category); 可选: {}",
                    cat.value,
                    names.join(" ")
                ),
            ));
        }
    }
    for b in p.basis() {
        required(&b.value.law, "law", pos(b), &mut out);
    }
    for m in &p.materials {
        required(&m.value.name, "name", pos(m), &mut out);
    }
    for f in &p.fees {
        required(&f.value.item, "item", pos(f), &mut out);
    }
    for c in &p.complaints {
        required(&c.value.channel, "channel", pos(c), &mut out);
    }
    duration(p.statutory(), &mut out);
    duration(p.promised(), &mut out);

    let mut seen: HashMap<&str, u32> = HashMap::new();
    for s in p.steps() {
        let step = &s.value;
        required(&step.id, "id", pos(s), &mut out);
        required(&step.name, "name", pos(s), &mut out);
        duration(step.time.as_ref(), &mut out);
        if let Some(risk) = &step.risk {
            if risk.value.level.is_none() {
                out.push(Finding::new(
                    Rule::Schema,
                    pos(risk),
                    "风险点缺少 `level` (高 | 中 | 低) (missing required key)",
                ));
            }
            required(&risk.value.point, "point", pos(risk), &mut out);
        }
        if let Some(id) = &step.id {
            if id.value.trim().is_empty() {
                continue;
            }
            if let Some(first) = seen.get(id.value.as_str()) {
                out.push(Finding::new(
                    Rule::DuplicateStepId,
                    pos(id),
                    format!(
                        "步骤 id `{}` 重复, 第 {first} 行已使用 (duplicate step id)",
                        id.value
                    ),
                ));
            } else {
                seen.insert(&id.value, pos(id).line);
            }
        }
    }
    out
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
                        "权力编码 `{code}` 重复, 亦见于 {} (duplicate code)",
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
pub(super) fn placeholders(text: &str, out: &mut Vec<Finding>) {
    let mark = crate::new::PLACEHOLDER;
    if !text.contains(mark) {
        return;
    }
    let mut start = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line_start = start;
        start += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let Some(at) = line.find(mark) else {
            continue;
        };
        let code = &line[..at];
        if code.trim_start().starts_with('#') || code.contains(" #") {
            continue;
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
            format!("尚未填写: {what} (placeholder left by `powerlist new`)")
        } else {
            format!("`{key}` 尚未填写: {what} (placeholder left by `powerlist new`)")
        };
        let pos = Pos {
            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
            column: u32::try_from(code.chars().count() + 1).unwrap_or(u32::MAX),
            offset: line_start + at,
            len: mark.len(),
        };
        out.push(Finding::new(Rule::Placeholder, pos, message));
    }
}
