//! `powerlist new`: a power that starts from the standard procedure of its
//! category in law, with roles set and the facts the officer must supply marked
//! 【待填写】 (the `placeholder` rule lists each one until it is filled).

use std::fmt::Write as _;

pub use crate::model::PLACEHOLDER;

/// One step of a standard procedure.
struct StepT {
    id: &'static str,
    name: &'static str,
    kind: &'static str,
    role: Option<&'static str>,
    owner: &'static str,
    time: Option<&'static str>,
    /// (target, branch label, back edge)
    next: &'static [(&'static str, Option<&'static str>, bool)],
}

/// A category's procedure: its steps, the procedural law it follows, its limits.
pub struct Procedure {
    /// The procedural law: (law, level, article, text); `None` where no single
    /// law sets the procedure for the category.
    law: Option<(&'static str, &'static str, &'static str, &'static str)>,
    statutory: Option<&'static str>,
    promised: &'static str,
    rights: &'static [&'static str],
    steps: &'static [StepT],
    /// The step supervised and the step with the template's risk point.
    decide: &'static str,
    risk: &'static str,
    /// Why a step has no time of the office's own, if one has none.
    untimed: Option<&'static str>,
}

const fn step(
    id: &'static str,
    name: &'static str,
    kind: &'static str,
    role: Option<&'static str>,
    owner: &'static str,
    time: Option<&'static str>,
    next: &'static [(&'static str, Option<&'static str>, bool)],
) -> StepT {
    StepT {
        id,
        name,
        kind,
        role,
        owner,
        time,
        next,
    }
}

const WINDOW: &str = "承办机构窗口";
const OFFICE: &str = "承办机构";
const HEAD: &str = "分管负责人";

/// 行政许可法: 受理 with 补正 and 不予受理 (第三十二条), 审查, 决定 (第三十八条),
/// 送达 (第四十四条); twenty working days to decide (第四十二条).
const LICENCE: Procedure = Procedure {
    law: Some((
        "中华人民共和国行政许可法",
        "法律",
        "第四十二条",
        "除可以当场作出行政许可决定的外, 行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定。",
    )),
    statutory: Some("20个工作日"),
    promised: "13个工作日",
    rights: &["知情", "陈述", "申辩", "听证", "行政复议", "行政诉讼"],
    steps: &[
        step("apply", "申请人提出申请", "start", Some("申请"), "申请人", None, &[("accept", None, false)]),
        step(
            "accept",
            "审查申请材料, 决定是否受理",
            "decision",
            Some("受理"),
            WINDOW,
            Some("2个工作日"),
            &[
                ("review", Some("材料齐全、符合法定形式, 予以受理"), false),
                ("amend", Some("材料不齐全, 一次告知需要补正的全部内容"), false),
                ("reject", Some("不属于本机关职权范围, 不予受理"), false),
            ],
        ),
        step("amend", "申请人补正材料", "task", Some("补正"), "申请人", None, &[("accept", None, true)]),
        step("reject", "出具不予受理通知书并说明理由", "end", Some("送达"), WINDOW, None, &[]),
        step("review", "审查申请材料, 必要时核实", "task", Some("审查"), OFFICE, Some("6个工作日"), &[("decide", None, false)]),
        step(
            "decide",
            "作出准予或者不予行政许可的决定",
            "decision",
            Some("决定"),
            HEAD,
            Some("3个工作日"),
            &[("grant", Some("准予许可"), false), ("refuse", Some("不予许可"), false)],
        ),
        step("grant", "颁发、送达行政许可证件", "end", Some("送达"), WINDOW, Some("2个工作日"), &[]),
        step("refuse", "书面说明理由, 告知申请行政复议或者提起行政诉讼的权利", "end", Some("送达"), WINDOW, Some("2个工作日"), &[]),
    ],
    decide: "decide",
    risk: "review",
    untimed: Some("补正材料的时间由申请人掌握, 不计入办理时限"),
};

/// 行政处罚法: 立案, 调查取证, 法制审核, 告知 (第四十四条), optional 听证, 决定,
/// 送达, 执行, 归档; ninety days from 立案 (第六十条).
const PENALTY: Procedure = Procedure {
    law: Some((
        "中华人民共和国行政处罚法",
        "法律",
        "第六十条",
        "行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。",
    )),
    statutory: Some("90日"),
    promised: "60日",
    rights: &["陈述", "申辩", "要求听证", "行政复议", "行政诉讼"],
    steps: &[
        step(
            "open",
            "受理案件线索, 登记立案",
            "start",
            Some("立案"),
            OFFICE,
            None,
            &[("investigate", None, false)],
        ),
        step(
            "investigate",
            "调查取证 (执法人员不少于两人)",
            "task",
            Some("调查"),
            "执法人员",
            Some("25日"),
            &[("legal", None, false)],
        ),
        step(
            "legal",
            "法制审核",
            "task",
            Some("审查"),
            "法制机构",
            Some("5日"),
            &[("notify", None, false)],
        ),
        step(
            "notify",
            "告知拟作出的行政处罚内容及事实、理由、依据和陈述、申辩、要求听证的权利",
            "decision",
            Some("告知"),
            OFFICE,
            Some("5日"),
            &[
                ("hearing", Some("当事人要求听证"), false),
                ("decide", Some("未要求听证"), false),
            ],
        ),
        step(
            "hearing",
            "组织听证 (由非本案调查人员主持)",
            "task",
            Some("听证"),
            "法制机构",
            Some("10日"),
            &[("decide", None, false)],
        ),
        step(
            "decide",
            "作出行政处罚决定",
            "decision",
            Some("决定"),
            "行政机关负责人",
            Some("5日"),
            &[
                ("deliver", Some("给予行政处罚"), false),
                ("close", Some("不予行政处罚"), false),
            ],
        ),
        step(
            "deliver",
            "送达行政处罚决定书",
            "task",
            Some("送达"),
            OFFICE,
            Some("7日"),
            &[("enforce", None, false)],
        ),
        step(
            "enforce",
            "执行处罚决定",
            "task",
            Some("执行"),
            OFFICE,
            None,
            &[("archive", None, false)],
        ),
        step(
            "close",
            "作出不予行政处罚决定, 书面告知当事人",
            "end",
            Some("送达"),
            OFFICE,
            None,
            &[],
        ),
        step(
            "archive",
            "结案归档",
            "end",
            Some("归档"),
            OFFICE,
            None,
            &[],
        ),
    ],
    decide: "decide",
    risk: "investigate",
    untimed: Some(
        "执行期限由处罚决定书确定 (当事人自收到决定书之日起十五日内缴纳罚款), 不计入办案时限",
    ),
};

/// 行政强制法: 催告 (第三十五条), 陈述申辩 (第三十六条), 决定 (第三十七条), 执行.
const COERCION: Procedure = Procedure {
    law: Some((
        "中华人民共和国行政强制法",
        "法律",
        "第三十五条",
        "行政机关作出强制执行决定前, 应当事先催告当事人履行义务。",
    )),
    statutory: None,
    promised: "30日",
    rights: &["陈述", "申辩", "行政复议", "行政诉讼"],
    steps: &[
        step(
            "open",
            "当事人逾期不履行行政决定, 启动强制执行",
            "start",
            Some("立案"),
            OFFICE,
            None,
            &[("remind", None, false)],
        ),
        step(
            "remind",
            "书面催告当事人履行义务, 告知陈述、申辩的权利",
            "task",
            Some("告知"),
            OFFICE,
            Some("10日"),
            &[("hear", None, false)],
        ),
        step(
            "hear",
            "听取当事人陈述、申辩并记录、复核",
            "task",
            Some("审查"),
            OFFICE,
            Some("3日"),
            &[("decide", None, false)],
        ),
        step(
            "decide",
            "作出是否强制执行的决定",
            "decision",
            Some("决定"),
            "行政机关负责人",
            Some("3日"),
            &[
                ("deliver", Some("强制执行"), false),
                ("stop", Some("当事人已履行或理由成立"), false),
            ],
        ),
        step(
            "deliver",
            "送达强制执行决定书",
            "task",
            Some("送达"),
            OFFICE,
            Some("3日"),
            &[("enforce", None, false)],
        ),
        step(
            "enforce",
            "实施强制执行, 制作现场笔录",
            "task",
            Some("执行"),
            "执法人员",
            Some("5日"),
            &[("archive", None, false)],
        ),
        step(
            "stop",
            "终结强制执行程序, 书面告知当事人",
            "end",
            Some("送达"),
            OFFICE,
            None,
            &[],
        ),
        step(
            "archive",
            "执行完毕, 归档",
            "end",
            Some("归档"),
            OFFICE,
            None,
            &[],
        ),
    ],
    decide: "decide",
    risk: "enforce",
    untimed: None,
};

/// A procedure started by an application: 申请, 受理, 审查, 决定, 送达.
macro_rules! on_application {
    ($decide:expr, $yes:expr, $no:expr, $grant:expr, $refuse:expr, $promised:expr) => {
        Procedure {
            law: None,
            statutory: None,
            promised: $promised,
            rights: &["知情", "陈述", "申辩", "行政复议", "行政诉讼"],
            steps: &[
                step(
                    "apply",
                    "申请人提出申请",
                    "start",
                    Some("申请"),
                    "申请人",
                    None,
                    &[("accept", None, false)],
                ),
                step(
                    "accept",
                    "受理申请, 材料不全的一次告知补正",
                    "task",
                    Some("受理"),
                    WINDOW,
                    Some("2个工作日"),
                    &[("review", None, false)],
                ),
                step(
                    "review",
                    "审查核实",
                    "task",
                    Some("审查"),
                    OFFICE,
                    Some("5个工作日"),
                    &[("decide", None, false)],
                ),
                step(
                    "decide",
                    $decide,
                    "decision",
                    Some("决定"),
                    HEAD,
                    Some("3个工作日"),
                    &[("grant", Some($yes), false), ("refuse", Some($no), false)],
                ),
                step(
                    "grant",
                    $grant,
                    "end",
                    Some("送达"),
                    WINDOW,
                    Some("2个工作日"),
                    &[],
                ),
                step(
                    "refuse",
                    $refuse,
                    "end",
                    Some("送达"),
                    WINDOW,
                    Some("2个工作日"),
                    &[],
                ),
            ],
            decide: "decide",
            risk: "review",
            untimed: None,
        }
    };
}

const CONFIRMATION: Procedure = on_application!(
    "作出是否确认的决定",
    "予以确认",
    "不予确认",
    "出具确认文书并送达",
    "书面告知不予确认的理由",
    "12个工作日"
);

const OTHER: Procedure = on_application!(
    "作出办理决定",
    "同意",
    "不同意",
    "送达办理结果",
    "书面说明不同意的理由",
    "12个工作日"
);

const BENEFIT: Procedure = Procedure {
    law: None,
    statutory: None,
    promised: "20个工作日",
    rights: &["知情", "陈述", "申辩", "行政复议", "行政诉讼"],
    steps: &[
        step(
            "apply",
            "申请人提出申请",
            "start",
            Some("申请"),
            "申请人",
            None,
            &[("accept", None, false)],
        ),
        step(
            "accept",
            "受理申请",
            "task",
            Some("受理"),
            WINDOW,
            Some("2个工作日"),
            &[("review", None, false)],
        ),
        step(
            "review",
            "调查核实 (入户调查、信息核对)",
            "task",
            Some("审查"),
            OFFICE,
            Some("8个工作日"),
            &[("publicise", None, false)],
        ),
        step(
            "publicise",
            "公示审核结果",
            "task",
            Some("公示"),
            OFFICE,
            Some("5个工作日"),
            &[("decide", None, false)],
        ),
        step(
            "decide",
            "作出是否给付的决定",
            "decision",
            Some("决定"),
            HEAD,
            Some("3个工作日"),
            &[
                ("grant", Some("予以给付"), false),
                ("refuse", Some("不予给付"), false),
            ],
        ),
        step(
            "grant",
            "发放给付",
            "end",
            Some("执行"),
            OFFICE,
            Some("2个工作日"),
            &[],
        ),
        step(
            "refuse",
            "书面告知不予给付的理由",
            "end",
            Some("送达"),
            WINDOW,
            Some("2个工作日"),
            &[],
        ),
    ],
    decide: "decide",
    risk: "review",
    untimed: None,
};

const INSPECTION: Procedure = Procedure {
    law: None,
    statutory: None,
    promised: "15个工作日",
    rights: &["知情", "陈述", "申辩", "行政复议", "行政诉讼"],
    steps: &[
        step(
            "plan",
            "制定检查计划 (随机抽取检查对象和执法人员)",
            "start",
            Some("立案"),
            OFFICE,
            None,
            &[("inspect", None, false)],
        ),
        step(
            "inspect",
            "实施检查 (执法人员不少于两人, 出示执法证件)",
            "task",
            Some("调查"),
            "执法人员",
            Some("5个工作日"),
            &[("decide", None, false)],
        ),
        step(
            "decide",
            "作出检查结论",
            "decision",
            Some("决定"),
            HEAD,
            Some("3个工作日"),
            &[
                ("transfer", Some("发现违法行为"), false),
                ("archive", Some("未发现问题"), false),
            ],
        ),
        step(
            "transfer",
            "责令改正或者依法立案查处",
            "end",
            Some("执行"),
            OFFICE,
            Some("5个工作日"),
            &[],
        ),
        step(
            "archive",
            "告知检查结果, 归档",
            "end",
            Some("归档"),
            OFFICE,
            Some("2个工作日"),
            &[],
        ),
    ],
    decide: "decide",
    risk: "inspect",
    untimed: None,
};

const LEVY: Procedure = Procedure {
    law: None,
    statutory: None,
    promised: "20个工作日",
    rights: &["知情", "陈述", "申辩", "行政复议", "行政诉讼"],
    steps: &[
        step(
            "open",
            "确定征收对象",
            "start",
            Some("立案"),
            OFFICE,
            None,
            &[("assess", None, false)],
        ),
        step(
            "assess",
            "调查核定征收数额",
            "task",
            Some("审查"),
            OFFICE,
            Some("5个工作日"),
            &[("notify", None, false)],
        ),
        step(
            "notify",
            "告知征收依据、数额和陈述、申辩的权利",
            "task",
            Some("告知"),
            OFFICE,
            Some("3个工作日"),
            &[("decide", None, false)],
        ),
        step(
            "decide",
            "作出征收决定",
            "decision",
            Some("决定"),
            HEAD,
            Some("3个工作日"),
            &[
                ("deliver", Some("征收"), false),
                ("exempt", Some("依法减免或不予征收"), false),
            ],
        ),
        step(
            "deliver",
            "送达征收决定书",
            "task",
            Some("送达"),
            OFFICE,
            Some("2个工作日"),
            &[("collect", None, false)],
        ),
        step(
            "collect",
            "收缴入库, 出具票据",
            "end",
            Some("执行"),
            OFFICE,
            Some("5个工作日"),
            &[],
        ),
        step(
            "exempt",
            "书面告知减免或不予征收的决定",
            "end",
            Some("送达"),
            OFFICE,
            Some("2个工作日"),
            &[],
        ),
    ],
    decide: "decide",
    risk: "assess",
    untimed: None,
};

const REWARD: Procedure = Procedure {
    law: None,
    statutory: None,
    promised: "30个工作日",
    rights: &["知情", "陈述", "申辩", "行政复议", "行政诉讼"],
    steps: &[
        step(
            "apply",
            "推荐或者申报",
            "start",
            Some("申请"),
            "申报单位或个人",
            None,
            &[("review", None, false)],
        ),
        step(
            "review",
            "审核推荐材料",
            "task",
            Some("审查"),
            OFFICE,
            Some("10个工作日"),
            &[("publicise", None, false)],
        ),
        step(
            "publicise",
            "公示拟奖励名单",
            "task",
            Some("公示"),
            OFFICE,
            Some("7个工作日"),
            &[("decide", None, false)],
        ),
        step(
            "decide",
            "作出奖励决定",
            "decision",
            Some("决定"),
            "行政机关负责人",
            Some("5个工作日"),
            &[
                ("award", Some("予以奖励"), false),
                ("refuse", Some("不予奖励"), false),
            ],
        ),
        step(
            "award",
            "颁发奖励",
            "end",
            Some("送达"),
            OFFICE,
            Some("5个工作日"),
            &[],
        ),
        step(
            "refuse",
            "告知不予奖励的理由",
            "end",
            Some("送达"),
            OFFICE,
            Some("2个工作日"),
            &[],
        ),
    ],
    decide: "decide",
    risk: "review",
    untimed: None,
};

const RULING: Procedure = Procedure {
    law: None,
    statutory: None,
    promised: "40个工作日",
    rights: &["知情", "陈述", "申辩", "行政复议", "行政诉讼"],
    steps: &[
        step(
            "apply",
            "当事人申请裁决",
            "start",
            Some("申请"),
            "申请人",
            None,
            &[("accept", None, false)],
        ),
        step(
            "accept",
            "审查是否受理",
            "task",
            Some("受理"),
            OFFICE,
            Some("5个工作日"),
            &[("notify", None, false)],
        ),
        step(
            "notify",
            "通知被申请人答辩, 告知双方权利",
            "task",
            Some("告知"),
            OFFICE,
            Some("5个工作日"),
            &[("hear", None, false)],
        ),
        step(
            "hear",
            "调查取证, 听取双方意见, 组织调解",
            "task",
            Some("调查"),
            OFFICE,
            Some("20个工作日"),
            &[("decide", None, false)],
        ),
        step(
            "decide",
            "作出裁决",
            "decision",
            Some("决定"),
            "行政机关负责人",
            Some("5个工作日"),
            &[
                ("deliver", Some("作出裁决"), false),
                ("settle", Some("调解达成协议"), false),
            ],
        ),
        step(
            "deliver",
            "送达裁决书",
            "end",
            Some("送达"),
            OFFICE,
            Some("3个工作日"),
            &[],
        ),
        step(
            "settle",
            "制作调解书并送达",
            "end",
            Some("送达"),
            OFFICE,
            Some("3个工作日"),
            &[],
        ),
    ],
    decide: "decide",
    risk: "hear",
    untimed: None,
};

/// The procedure of a category (canonical name); `OTHER` for any other.
pub fn procedure(category: &str) -> &'static Procedure {
    match category {
        "行政许可" => &LICENCE,
        "行政处罚" => &PENALTY,
        "行政强制" => &COERCION,
        "行政征收" => &LEVY,
        "行政给付" => &BENEFIT,
        "行政检查" => &INSPECTION,
        "行政确认" => &CONFIRMATION,
        "行政奖励" => &REWARD,
        "行政裁决" => &RULING,
        _ => &OTHER,
    }
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
pub fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

fn todo(what: &str) -> String {
    quote(&format!("{PLACEHOLDER}{what}"))
}

/// One 设定依据 as plain text fields.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BasisText {
    pub law: String,
    pub level: Option<String>,
    pub doc_no: Option<String>,
    pub article: Option<String>,
    pub text: Option<String>,
}

/// The facts a power is written from; how gaps are filled depends on the `Mode`.
#[derive(Debug, Default, Clone)]
pub struct Facts {
    pub code: String,
    pub name: String,
    /// The canonical category name.
    pub category: String,
    pub department: Option<String>,
    pub office: Option<String>,
    pub responsible: Option<String>,
    pub source: Option<String>,
    pub basis: Vec<BasisText>,
    pub conditions: Vec<String>,
    /// (name, copies)
    pub materials: Vec<(String, Option<u32>)>,
    /// (item, standard, basis); empty = free.
    pub fees: Vec<(String, Option<String>, Option<String>)>,
    pub statutory: Option<String>,
    pub promised: Option<String>,
    pub scope: Option<String>,
    pub channels: Vec<String>,
    pub rights: Vec<String>,
    /// (channel, phone, address, email, url)
    pub complaints: Vec<[Option<String>; 5]>,
}

/// What the facts come from, which decides what fills a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `new`: every missing fact is a 【待填写】 mark, or the procedure's default
    /// (limits, rights, disclosure, step times, a risk point to describe).
    New,
    /// `import`: what the table says, and nothing invented. Only required keys
    /// get a mark; the steps come without times, which the officer fills in.
    Import,
}

/// The facts of `new` for a category: the procedure's defaults, the rest unknown.
pub fn new_facts(code: String, name: String, category: String) -> Facts {
    let proc = procedure(&category);
    Facts {
        code,
        name,
        source: Some("法定".into()),
        statutory: proc.statutory.map(String::from),
        promised: Some(proc.promised.into()),
        scope: Some("社会公开".into()),
        channels: vec!["政府网站".into(), "政务公开栏".into()],
        rights: proc.rights.iter().map(|r| r.to_string()).collect(),
        category,
        ..Facts::default()
    }
}

/// The YAML text of a power of `facts.category` with its category's procedure.
pub fn render(facts: &Facts, mode: Mode) -> String {
    let proc = procedure(&facts.category);
    let is_new = mode == Mode::New;
    let mut y = String::new();
    // A comment line must stay one line: any line break in the name becomes a space.
    let flat: String = facts
        .name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let made_by = if is_new {
        "powerlist new"
    } else {
        "powerlist import"
    };
    let _ = writeln!(
        y,
        "# {flat} — {made_by} 按「{}」的标准程序生成。",
        facts.category
    );
    let _ = writeln!(
        y,
        "# 所有标有 {PLACEHOLDER} 的内容须按实际情况填写; `powerlist check` 会逐条列出 (placeholder)。"
    );
    let _ = writeln!(y, "code: {}", quote(&facts.code));
    let _ = writeln!(y, "name: {}", quote(&facts.name));
    let _ = writeln!(y, "category: {}", quote(&facts.category));
    let optional = |y: &mut String, key: &str, v: &Option<String>, what: &str| match v {
        Some(v) => {
            let _ = writeln!(y, "{key}: {}", quote(v));
        }
        None if is_new => {
            let _ = writeln!(y, "{key}: {}", todo(what));
        }
        None => {}
    };
    let department = facts
        .department
        .as_deref()
        .map_or_else(|| todo("实施主体 (如 县民政局)"), quote);
    let _ = writeln!(y, "department: {department}");
    optional(&mut y, "office", &facts.office, "承办机构 (科室/股室)");
    optional(
        &mut y,
        "responsible",
        &facts.responsible,
        "责任人或责任岗位",
    );
    if let Some(src) = &facts.source {
        let _ = writeln!(y, "source: {src}");
    }
    y.push_str("basis:\n");
    if facts.basis.is_empty() {
        y.push_str("  # 设定本职权的法律法规及条款; 没有写明条款时 basis-article 会提醒。\n");
        let _ = writeln!(y, "  - law: {}", todo("设定依据的法律法规名称"));
        y.push_str("    level: 法律\n");
    }
    for b in &facts.basis {
        let _ = writeln!(y, "  - law: {}", quote(&b.law));
        if let Some(l) = &b.level {
            let _ = writeln!(y, "    level: {l}");
        }
        for (key, v) in [
            ("doc_no", &b.doc_no),
            ("article", &b.article),
            ("text", &b.text),
        ] {
            if let Some(v) = v {
                let _ = writeln!(y, "    {key}: {}", quote(v));
            }
        }
    }
    if let (Some((law, level, article, text)), true) = (proc.law, is_new) {
        y.push_str("  # 本类职权的程序依据:\n");
        let _ = writeln!(
            y,
            "  - law: {}\n    level: {level}\n    article: {article}\n    text: {}",
            quote(law),
            quote(text)
        );
    }
    let list = |y: &mut String, key: &str, items: &[String], what: &str| {
        if items.is_empty() && is_new {
            let _ = writeln!(y, "{key}:\n  - {}", todo(what));
        } else if !items.is_empty() {
            let _ = writeln!(y, "{key}:");
            for c in items {
                let _ = writeln!(y, "  - {}", quote(c));
            }
        }
    };
    list(
        &mut y,
        "conditions",
        &facts.conditions,
        "受理条件或行使条件",
    );
    if facts.materials.is_empty() && is_new {
        let _ = writeln!(
            y,
            "materials:\n  - name: {}\n    copies: 1",
            todo("申请材料名称")
        );
    } else if !facts.materials.is_empty() {
        y.push_str("materials:\n");
        for (name, copies) in &facts.materials {
            let _ = writeln!(y, "  - name: {}", quote(name));
            if let Some(n) = copies {
                let _ = writeln!(y, "    copies: {n}");
            }
        }
    }
    if facts.fees.is_empty() {
        y.push_str("fees: []   # 不收费; 收费时写 {item, standard, basis}\n");
    } else {
        y.push_str("fees:\n");
        for (item, standard, basis) in &facts.fees {
            let _ = writeln!(y, "  - item: {}", quote(item));
            for (key, v) in [("standard", standard), ("basis", basis)] {
                if let Some(v) = v {
                    let _ = writeln!(y, "    {key}: {}", quote(v));
                }
            }
        }
    }
    if facts.statutory.is_some() || facts.promised.is_some() {
        y.push_str("time_limit:\n");
        match &facts.statutory {
            Some(v) => {
                let _ = writeln!(y, "  statutory: {}", quote(v));
            }
            None => y.push_str("  # statutory: 法律法规规定的办理时限 (没有规定时省略)\n"),
        }
        if let Some(v) = &facts.promised {
            let _ = writeln!(
                y,
                "  promised: {}   # 原则上比法定时限缩短三分之一以上",
                quote(v)
            );
        }
    }
    y.push_str("disclosure:\n  public: true\n");
    if let Some(scope) = &facts.scope {
        let _ = writeln!(y, "  scope: {}", quote(scope));
    }
    let inline = |items: &[String]| {
        items
            .iter()
            .map(|c| quote(c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !facts.channels.is_empty() {
        let _ = writeln!(y, "  channels: [{}]", inline(&facts.channels));
    }
    if !facts.rights.is_empty() {
        let _ = writeln!(y, "rights: [{}]", inline(&facts.rights));
    }
    if facts.complaints.is_empty() && is_new {
        let _ = writeln!(
            y,
            "complaints:\n  - channel: {}\n    phone: {}",
            todo("投诉举报受理机构"),
            todo("电话")
        );
    } else if !facts.complaints.is_empty() {
        y.push_str("complaints:\n");
        for c in &facts.complaints {
            let keys = ["channel", "phone", "address", "email", "url"];
            let mut first = true;
            for (k, v) in keys.iter().zip(c) {
                if let Some(v) = v {
                    let _ = writeln!(y, "  {} {k}: {}", if first { "-" } else { " " }, quote(v));
                    first = false;
                }
            }
        }
    }
    if !is_new {
        y.push_str("# 运行流程按本类职权的标准程序生成; 请按实际核对各环节并填写时限 (time)。\n");
    }
    y.push_str("steps:\n");
    for s in proc.steps {
        let _ = writeln!(y, "  - id: {}\n    name: {}", s.id, quote(s.name));
        if s.kind != "task" {
            let _ = writeln!(y, "    type: {}", s.kind);
        }
        if let Some(r) = s.role {
            let _ = writeln!(y, "    role: {r}");
        }
        let _ = writeln!(y, "    owner: {}", quote(s.owner));
        if let (Some(t), true) = (s.time, is_new) {
            let _ = writeln!(y, "    time: {}", quote(t));
        }
        if s.id == proc.risk && is_new {
            let _ = writeln!(
                y,
                "    risk:\n      level: 中\n      point: {}\n      control: {}",
                todo("本环节的廉政风险点"),
                todo("防控措施")
            );
        }
        match s.next {
            [] => {}
            [(to, None, false)] => {
                let _ = writeln!(y, "    next: {to}");
            }
            edges => {
                y.push_str("    next:\n");
                for (to, when, back) in edges {
                    let _ = write!(y, "      - to: {to}");
                    if let Some(w) = when {
                        let _ = write!(y, "\n        when: {}", quote(w));
                    }
                    if *back {
                        y.push_str("\n        back: true");
                    }
                    y.push('\n');
                }
            }
        }
    }
    if let (Some(why), true) = (proc.untimed, is_new) {
        let _ = writeln!(y, "# {why}:\nallow: [time-required]");
    }
    let _ = writeln!(
        y,
        "supervision:\n  - step: {}\n    by: {}\n    how: {}\n    contact: {}",
        proc.decide,
        todo("监督机构 (如 局纪检组)"),
        todo("监督方式"),
        todo("联系电话")
    );
    y
}
