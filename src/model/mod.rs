//! The types of a power (SPEC §1.1): plain data, spans kept beside the values;
//! their hand-written `Deserialize`s in `de`, the JSON Schema in `schema`.
//!
//! Keys the contract calls required are `Option` here so that the loader can report
//! every missing one at once instead of stopping at the first.

use schemars::JsonSchema;
use serde::Deserialize;

use de::{null_as_empty, present};
pub use de::{DurationText, Edge, Next, Outcome};

use crate::diag::Pos;

pub mod columns;
mod de;
pub mod duration;
pub mod duty;
pub mod graph;
pub mod schema;

pub use crate::diag::span::{Location, Spanned};

/// The mark `new` and `import` put in every value the officer must supply;
/// the `placeholder` rule lists each one until it is filled.
pub const PLACEHOLDER: &str = "【待填写】";

/// The ten categories of SPEC §1.3 and their codes.
pub const BUILTIN_CATEGORIES: &[(&str, &str)] = &[
    ("行政许可", "XK"),
    ("行政处罚", "CF"),
    ("行政强制", "QZ"),
    ("行政征收", "ZS"),
    ("行政给付", "JF"),
    ("行政检查", "JC"),
    ("行政确认", "QR"),
    ("行政奖励", "JL"),
    ("行政裁决", "CJ"),
    ("其他行政权力", "QT"),
];

/// A 权力编码: `[A-Za-z0-9_-]{1,64}`, so that it can name a file.
pub fn valid_code(code: &str) -> bool {
    (1..=64).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub const PENALTY: &str = "行政处罚";
pub const COERCION: &str = "行政强制";
pub const LICENCE: &str = "行政许可";

/// A model enum read by its labels (see `labels!`).
pub trait Labelled: Sized + Copy {
    const LABELS: &'static [&'static str];
    fn from_label(text: &str) -> Option<Self>;
}

/// A value `new` leaves for the officer to choose: one of the enum's labels,
/// or a 【待填写】 mark (which the `placeholder` rule lists). Any other text is
/// a schema error with the labels to choose from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill<T> {
    Value(T),
    Todo,
}

impl<T: Copy> Fill<T> {
    pub fn value(&self) -> Option<T> {
        match self {
            Fill::Value(v) => Some(*v),
            Fill::Todo => None,
        }
    }
}

impl<'de, T: Labelled> Deserialize<'de> for Fill<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text.contains(PLACEHOLDER) {
            return Ok(Fill::Todo);
        }
        T::from_label(text.trim())
            .map(Fill::Value)
            .ok_or_else(|| serde::de::Error::unknown_variant(&text, T::LABELS))
    }
}

impl<T: JsonSchema> JsonSchema for Fill<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("{}OrTodo", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [
                generator.subschema_for::<T>(),
                {"type": "string", "pattern": PLACEHOLDER, "description": "待填写的占位内容"}
            ]
        })
    }
}

/// Each written form of a model enum has one label: the Chinese word the YAML
/// uses (serde's `rename`), which tables print and `import` reads back.
/// `labels_agree_with_serde` checks that the two never differ.
macro_rules! labels {
    ($ty:ident { $($variant:ident => $label:literal,)* }) => {
        impl Labelled for $ty {
            const LABELS: &'static [&'static str] = &[$($label,)*];
            fn from_label(text: &str) -> Option<$ty> {
                $ty::from_label(text)
            }
        }

        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant,)*];

            pub const fn label(self) -> &'static str {
                match self {
                    $($ty::$variant => $label,)*
                }
            }

            pub fn from_label(text: &str) -> Option<$ty> {
                match text {
                    $($label => Some($ty::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

labels!(Source {
    Statutory => "法定",
    Authorised => "授权",
    Entrusted => "委托",
});

labels!(LawLevel {
    Law => "法律",
    AdministrativeRegulation => "行政法规",
    DepartmentalRule => "部门规章",
    LocalRegulation => "地方性法规",
    LocalGovernmentRule => "地方政府规章",
    NormativeDocument => "规范性文件",
});

labels!(Role {
    Apply => "申请",
    Accept => "受理",
    Amend => "补正",
    Review => "审查",
    Open => "立案",
    Investigate => "调查",
    Notify => "告知",
    Hearing => "听证",
    Decide => "决定",
    Deliver => "送达",
    Enforce => "执行",
    Archive => "归档",
    Publicise => "公示",
    Remind => "催告",
    ApplyExecution => "申请执行",
    Substitute => "代履行",
    ImmediateSubstitute => "立即代履行",
    LateFine => "加处罚款",
    OnTheSpot => "当场处罚",
});

labels!(PenaltyKind {
    Warning => "警告",
    Criticism => "通报批评",
    Fine => "罚款",
    ConfiscateGains => "没收违法所得",
    ConfiscateProperty => "没收非法财物",
    SuspendLicence => "暂扣许可证件",
    LowerQualification => "降低资质等级",
    RevokeLicence => "吊销许可证件",
    RevokeBusinessLicence => "吊销营业执照",
    RestrictBusiness => "限制开展生产经营活动",
    SuspendBusiness => "责令停产停业",
    Close => "责令关闭",
    RestrictPractice => "限制从业",
    Detention => "行政拘留",
    Other => "其他行政处罚",
});

labels!(MeasureKind {
    Liberty => "限制人身自由",
    Seal => "查封",
    Seize => "扣押",
    Freeze => "冻结",
    Other => "其他",
});

labels!(Coercion {
    Measure => "措施",
    Execution => "执行",
});

labels!(Outcome {
    Grant => "准予",
    Refuse => "不予",
    Penalise => "处罚",
    NoPenalty => "不予处罚",
    Dismiss => "撤销案件",
    Transfer => "移送",
    Enforce => "强制",
    Release => "解除",
});

labels!(Issuer {
    Province => "省级",
    City => "设区的市",
});

labels!(Ground {
    StateSecret => "国家秘密",
    TradeSecret => "商业秘密",
    Privacy => "个人隐私",
    Security => "危及安全稳定",
    Internal => "内部事务信息",
    Process => "过程性信息",
    Prohibited => "法律法规禁止公开",
});

labels!(RiskLevel {
    High => "高",
    Medium => "中",
    Low => "低",
});

labels!(StepType {
    Start => "start",
    Task => "task",
    Decision => "decision",
    End => "end",
});

/// Where a spanned value was written.
pub fn pos<T>(s: &Spanned<T>) -> Pos {
    Pos::of(&s.referenced)
}

pub type Sp<T> = Spanned<T>;

/// One administrative power (行政职权), one YAML file.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(description = "一项行政职权")]
#[serde(deny_unknown_fields)]
pub struct Power {
    #[schemars(
        with = "String",
        regex(pattern = r"^[A-Za-z0-9_-]{1,64}$"),
        description = "权力编码：在职权目录中唯一，只用字母、数字、-、_, 最长 64 位"
    )]
    pub code: Option<Sp<String>>,
    #[schemars(with = "String", description = "职权名称")]
    pub name: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        description = "主项：本职权是其子项的事项名称（表格的 项目名称 / 子项）"
    )]
    pub main_item: Option<Sp<String>>,
    #[schemars(
        with = "CategoryName",
        description = "职权类别：十类之一或其两字母代码；powerlist.toml 可扩充"
    )]
    pub category: Option<Sp<String>>,
    #[schemars(with = "String", description = "实施主体（如 县民政局）")]
    pub department: Option<Sp<String>>,
    #[schemars(
        with = "Option<Fill<Coercion>>",
        description = "行政强制的类型：措施（行政强制措施）或 执行（行政强制执行），行政强制法第二条"
    )]
    pub coercion: Option<Sp<Fill<Coercion>>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[schemars(
        with = "Vec<Fill<PenaltyKind>>",
        description = "行政处罚：本职权给予的处罚种类（行政处罚法第九条）"
    )]
    pub penalty_types: Vec<Sp<Fill<PenaltyKind>>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[schemars(
        with = "Vec<Fill<MeasureKind>>",
        description = "行政强制措施：本职权采取的措施种类（行政强制法第九条）"
    )]
    pub measure_types: Vec<Sp<Fill<MeasureKind>>>,
    #[schemars(with = "Option<String>", description = "承办机构（科室/股室）")]
    pub office: Option<Sp<String>>,
    #[schemars(with = "Option<String>", description = "责任人或责任岗位")]
    pub responsible: Option<Sp<String>>,
    #[schemars(with = "Option<Source>", description = "权力来源：法定、授权或委托")]
    pub source: Option<Sp<Source>>,
    #[schemars(
        with = "Vec<Basis>",
        length(min = 1),
        description = "设定依据：至少一条，每条写明法律法规及条款"
    )]
    pub basis: Option<Sp<Vec<Sp<Basis>>>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[schemars(description = "受理条件或行使条件")]
    pub conditions: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[schemars(with = "Vec<Material>", description = "申请材料")]
    pub materials: Vec<Sp<Material>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[schemars(with = "Vec<Fee>", description = "收费项目；空列表表示不收费")]
    pub fees: Vec<Sp<Fee>>,
    #[schemars(
        with = "Option<TimeLimit>",
        description = "办理时限：法定时限与承诺时限"
    )]
    pub time_limit: Option<Sp<TimeLimit>>,
    #[schemars(
        with = "Option<Disclosure>",
        description = "公开：范围、渠道；public: false 为涉密不宜公开"
    )]
    pub disclosure: Option<Sp<Disclosure>>,
    #[schemars(
        with = "Option<Vec<String>>",
        description = "相对人权利（陈述、申辩、听证、行政复议、行政诉讼等）"
    )]
    pub rights: Option<Sp<Vec<String>>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[schemars(with = "Vec<Complaint>", description = "投诉举报途径")]
    pub complaints: Vec<Sp<Complaint>>,
    #[schemars(
        with = "Vec<Step>",
        length(min = 1),
        description = "运行流程：流程图的各个环节，用 next 连接"
    )]
    pub steps: Option<Sp<Vec<Sp<Step>>>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[schemars(with = "Vec<Supervision>", description = "监督制约环节")]
    pub supervision: Vec<Sp<Supervision>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[schemars(
        with = "Vec<Duty>",
        description = "不对应某一环节的责任事项（如 事后监管责任、其他法律法规规章文件规定应履行的责任）；各环节的责任事项写在环节的 duty"
    )]
    pub duties: Vec<Sp<Duty>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[schemars(
        with = "Vec<Basis>",
        description = "责任事项依据：与设定依据同样写法的法律法规条款"
    )]
    pub duty_basis: Vec<Sp<Basis>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[schemars(
        with = "Vec<Accountability>",
        description = "追责情形：每一情形写明追责依据（与设定依据同样写法）"
    )]
    pub accountability: Vec<Sp<Accountability>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[schemars(
        with = "Vec<String>",
        description = "本职权豁免的检查规则名（见 powerlist explain）"
    )]
    pub allow: Vec<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        description = "更新日期：本职权条目最近一次修订的日期 (YYYY-MM-DD)"
    )]
    pub revised: Option<Sp<String>>,
    #[schemars(description = "备注：职权目录「备注」栏的内容")]
    pub note: Option<String>,
}

impl Power {
    pub fn steps(&self) -> &[Sp<Step>] {
        self.steps.as_ref().map_or(&[], |s| &s.value)
    }

    pub fn basis(&self) -> &[Sp<Basis>] {
        self.basis.as_ref().map_or(&[], |s| &s.value)
    }

    /// Every basis entry the power cites: its 设定依据, its 责任事项依据 and the
    /// 追责依据 of each 追责情形 — what the law rules check.
    pub fn cited(&self) -> impl Iterator<Item = &Sp<Basis>> {
        self.basis()
            .iter()
            .chain(&self.duty_basis)
            .chain(self.accountability.iter().flat_map(|a| &a.value.basis))
    }

    pub fn rights(&self) -> &[String] {
        self.rights.as_ref().map_or(&[], |s| &s.value)
    }

    pub fn code(&self) -> &str {
        self.code.as_ref().map_or("", |c| &c.value)
    }

    pub fn name(&self) -> &str {
        self.name.as_ref().map_or("", |c| &c.value)
    }

    /// Whether the power's own `allow` names `rule`.
    pub fn allows(&self, rule: &str) -> bool {
        self.allow.iter().any(|a| a.value == rule)
    }

    pub fn is_public(&self) -> bool {
        self.disclosure
            .as_ref()
            .and_then(|d| d.value.public.as_ref())
            .is_none_or(|p| p.value)
    }

    pub fn statutory(&self) -> Option<&Sp<DurationText>> {
        self.time_limit.as_ref()?.value.statutory.as_ref()
    }

    pub fn promised(&self) -> Option<&Sp<DurationText>> {
        self.time_limit.as_ref()?.value.promised.as_ref()
    }

    pub fn extension(&self) -> Option<&Sp<DurationText>> {
        self.time_limit.as_ref()?.value.extension.as_ref()
    }

    /// Whether a `supervision` entry names the step with this id.
    pub fn is_supervised(&self, step_id: &str) -> bool {
        self.supervision
            .iter()
            .any(|x| x.value.step.as_ref().is_some_and(|st| st.value == step_id))
    }
}

/// 权力来源.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[schemars(description = "权力来源：法定、授权、委托")]
pub enum Source {
    #[serde(rename = "法定")]
    Statutory,
    #[serde(rename = "授权")]
    Authorised,
    #[serde(rename = "委托")]
    Entrusted,
}

/// 设定依据: one article of one legal document.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(description = "一条设定依据：一部法律法规的一个条款")]
#[serde(deny_unknown_fields)]
pub struct Basis {
    #[schemars(with = "String", description = "法律法规名称（不含书名号）")]
    pub law: Option<Sp<String>>,
    #[schemars(with = "Option<LawLevel>", description = "效力层级")]
    pub level: Option<Sp<LawLevel>>,
    #[schemars(description = "文号（如 国务院令第649号）")]
    pub doc_no: Option<String>,
    #[schemars(
        with = "Option<String>",
        description = "条款（如 第十一条）；缺少时 basis-article 提醒"
    )]
    pub article: Option<Sp<String>>,
    #[schemars(with = "Option<String>", description = "条款内容")]
    pub text: Option<Sp<String>>,
    #[schemars(
        with = "Option<Issuer>",
        description = "地方政府规章的制定机关：省级 或 设区的市（行政许可法第十五条）"
    )]
    pub issuer: Option<Sp<Issuer>>,
}

/// 法律效力层级.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[schemars(description = "法律效力层级")]
pub enum LawLevel {
    #[serde(rename = "法律")]
    Law,
    #[serde(rename = "行政法规")]
    AdministrativeRegulation,
    #[serde(rename = "部门规章")]
    DepartmentalRule,
    #[serde(rename = "地方性法规")]
    LocalRegulation,
    #[serde(rename = "地方政府规章")]
    LocalGovernmentRule,
    #[serde(rename = "规范性文件")]
    NormativeDocument,
}

/// 申请材料.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(description = "一项申请材料")]
#[serde(deny_unknown_fields)]
pub struct Material {
    #[schemars(with = "String", description = "材料名称")]
    pub name: Option<Sp<String>>,
    #[schemars(description = "份数")]
    pub copies: Option<u32>,
    #[schemars(description = "说明")]
    pub note: Option<String>,
}

/// 收费项目.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(description = "一个收费项目")]
#[serde(deny_unknown_fields)]
pub struct Fee {
    #[schemars(with = "String", description = "收费项目")]
    pub item: Option<Sp<String>>,
    #[schemars(description = "收费标准")]
    pub standard: Option<String>,
    #[schemars(description = "收费依据")]
    pub basis: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(description = "办理时限")]
#[serde(deny_unknown_fields)]
pub struct TimeLimit {
    #[schemars(
        with = "Option<DurationText>",
        description = "法定时限（如 20个工作日、30日、即办）"
    )]
    pub statutory: Option<Sp<DurationText>>,
    #[schemars(
        with = "Option<DurationText>",
        description = "承诺时限：原则上比法定时限缩短三分之一以上"
    )]
    pub promised: Option<Sp<DurationText>>,
    #[schemars(
        with = "Option<DurationText>",
        description = "法律允许的延长期限（如 行政许可法第四十二条：经负责人批准可延长十日）"
    )]
    pub extension: Option<Sp<DurationText>>,
    #[schemars(
        with = "Option<String>",
        description = "法定时限起算的环节标识（默认：许可为受理，处罚为立案）"
    )]
    pub from: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        description = "法定时限截止的环节标识（默认：决定环节）"
    )]
    pub to: Option<Sp<String>>,
}

/// 公开: `public: false` is a power that is 涉密不宜公开.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(description = "公开")]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    #[schemars(
        with = "Option<bool>",
        description = "是否公开：false 表示涉密不宜公开（须写明 reason）"
    )]
    #[serde(default, deserialize_with = "present")]
    pub public: Option<Sp<bool>>,
    #[schemars(
        with = "Option<String>",
        description = "不公开的理由：说明法定情形如何适用"
    )]
    pub reason: Option<Sp<String>>,
    #[schemars(with = "Option<Ground>", description = "不公开的法定情形")]
    pub ground: Option<Sp<Ground>>,
    #[schemars(description = "公开范围（如 社会公开）")]
    pub scope: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[schemars(description = "公开渠道（如 政务公开栏、政府网站）")]
    pub channels: Vec<String>,
    #[schemars(description = "公开时间（如 长期公开、办结后7日内）")]
    pub time: Option<String>,
}

/// 投诉举报途径.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(description = "一个投诉举报途径")]
#[serde(deny_unknown_fields)]
pub struct Complaint {
    #[schemars(with = "String", description = "投诉举报受理机构或渠道")]
    pub channel: Option<Sp<String>>,
    #[schemars(description = "电话（数字请加引号）")]
    pub phone: Option<String>,
    #[schemars(description = "地址")]
    pub address: Option<String>,
    #[schemars(description = "电子邮箱")]
    pub email: Option<String>,
    #[schemars(description = "网址")]
    pub url: Option<String>,
}

impl Complaint {
    /// Whether it says how to reach it: a phone, address, email or URL.
    pub fn reachable(&self) -> bool {
        [&self.phone, &self.address, &self.email, &self.url]
            .into_iter()
            .any(|x| x.as_ref().is_some_and(|x| !x.trim().is_empty()))
    }
}

/// One step of the flowchart.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(description = "运行流程中的一个环节")]
#[serde(deny_unknown_fields)]
pub struct Step {
    #[schemars(with = "String", description = "环节标识：本职权内唯一，供 next 引用")]
    pub id: Option<Sp<String>>,
    #[schemars(with = "String", description = "环节名称")]
    pub name: Option<Sp<String>>,
    #[serde(rename = "type")]
    #[schemars(
        with = "Option<StepType>",
        description = "环节类型：start 开始、task 办理（默认）、decision 判断、end 结束"
    )]
    pub kind: Option<Sp<StepType>>,
    #[schemars(
        with = "Option<Role>",
        description = "环节在法律上的性质；类别规则据此检查程序"
    )]
    pub role: Option<Sp<Role>>,
    #[schemars(with = "Option<String>", description = "承办岗位")]
    pub owner: Option<Sp<String>>,
    #[schemars(with = "Option<DurationText>", description = "本环节办理时限")]
    pub time: Option<Sp<DurationText>>,
    #[schemars(with = "Option<Risk>", description = "本环节的廉政风险点")]
    pub risk: Option<Sp<Risk>>,
    #[schemars(
        with = "Option<String>",
        description = "本环节的责任事项（如 受理责任：公示应当提交的材料，一次性告知补正材料，依法受理或者不予受理）"
    )]
    pub duty: Option<Sp<String>>,
    #[schemars(
        with = "Option<Outcome>",
        description = "决定环节只有一种结果时的结果：准予、不予、处罚、不予处罚、撤销案件、移送、强制、解除"
    )]
    pub outcome: Option<Sp<Outcome>>,
    #[schemars(
        with = "Option<String>",
        description = "本环节的时间不计入法定时限，写明理由（如 听证所需时间不计入许可期限，行政许可法第四十五条）"
    )]
    pub not_counted: Option<Sp<String>>,
    #[schemars(
        with = "Option<Next>",
        description = "下一环节：环节标识、标识列表或 {to, when, back} 列表"
    )]
    pub next: Option<Sp<Next>>,
    #[schemars(description = "备注")]
    pub note: Option<String>,
}

impl Role {
    /// A decision: `决定`, or `当场处罚` (a decision made on the spot, SPEC §1.1b).
    pub fn decides(self) -> bool {
        matches!(self, Role::Decide | Role::OnTheSpot)
    }
}

impl Power {
    /// Whether a 行政强制 power is a 行政强制措施: `coercion: 措施`, or measure
    /// kinds written without `coercion`.
    pub fn is_measure(&self) -> bool {
        match self.coercion.as_ref().and_then(|c| c.value.value()) {
            Some(c) => c == Coercion::Measure,
            None => !self.measure_types.is_empty(),
        }
    }
}

impl Step {
    pub fn id(&self) -> &str {
        self.id.as_ref().map_or("", |i| &i.value)
    }

    pub fn kind(&self) -> StepType {
        self.kind.as_ref().map_or(StepType::Task, |k| k.value)
    }

    pub fn role(&self) -> Option<Role> {
        self.role.as_ref().map(|r| r.value)
    }

    /// The applicant's or party's own step (see `party_step`).
    pub fn by_the_party(&self) -> bool {
        party_step(self.role(), self.owner.as_ref().map(|o| o.value.as_str()))
    }

    pub fn edges(&self) -> &[Edge] {
        self.next.as_ref().map_or(&[], |n| &n.value.0)
    }
}

/// A step the applicant or party takes (申请, 补正, or one 申请人 or 当事人
/// owns): its time is theirs, not the office's 办理时限.
pub fn party_step(role: Option<Role>, owner: Option<&str>) -> bool {
    matches!(role, Some(Role::Apply | Role::Amend))
        || owner.is_some_and(|o| {
            let o = o.trim();
            ["申请人", "当事人", "相对人", "行政相对人"]
                .iter()
                .any(|p| o.starts_with(p))
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, JsonSchema)]
#[schemars(description = "环节类型")]
#[serde(rename_all = "lowercase")]
pub enum StepType {
    Start,
    Task,
    Decision,
    End,
}

/// What a step is in law (SPEC §1.1). Category rules read roles, never names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, JsonSchema)]
#[schemars(
    description = "环节在法律上的性质：申请 受理 补正 审查 立案 调查 告知 听证 决定 送达 执行 归档 公示 催告 申请执行 代履行 立即代履行 加处罚款 当场处罚"
)]
pub enum Role {
    #[serde(rename = "申请")]
    Apply,
    #[serde(rename = "受理")]
    Accept,
    #[serde(rename = "补正")]
    Amend,
    #[serde(rename = "审查")]
    Review,
    #[serde(rename = "立案")]
    Open,
    #[serde(rename = "调查")]
    Investigate,
    #[serde(rename = "告知")]
    Notify,
    #[serde(rename = "听证")]
    Hearing,
    #[serde(rename = "决定")]
    Decide,
    #[serde(rename = "送达")]
    Deliver,
    #[serde(rename = "执行")]
    Enforce,
    #[serde(rename = "归档")]
    Archive,
    #[serde(rename = "公示")]
    Publicise,
    #[serde(rename = "催告")]
    Remind,
    #[serde(rename = "申请执行")]
    ApplyExecution,
    #[serde(rename = "代履行")]
    Substitute,
    #[serde(rename = "立即代履行")]
    ImmediateSubstitute,
    #[serde(rename = "加处罚款")]
    LateFine,
    #[serde(rename = "当场处罚")]
    OnTheSpot,
}

/// A kind of 行政处罚 (行政处罚法第九条; 吊销营业执照, the kind of 吊销许可证件
/// that 第十二条 names apart, is its own kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[schemars(
    description = "行政处罚的种类（行政处罚法第九条）：警告、通报批评、罚款、没收违法所得、没收非法财物、暂扣许可证件、降低资质等级、吊销许可证件、吊销营业执照、限制开展生产经营活动、责令停产停业、责令关闭、限制从业、行政拘留、其他行政处罚（法律、行政法规规定的）"
)]
pub enum PenaltyKind {
    #[serde(rename = "警告")]
    Warning,
    #[serde(rename = "通报批评")]
    Criticism,
    #[serde(rename = "罚款")]
    Fine,
    #[serde(rename = "没收违法所得")]
    ConfiscateGains,
    #[serde(rename = "没收非法财物")]
    ConfiscateProperty,
    #[serde(rename = "暂扣许可证件")]
    SuspendLicence,
    #[serde(rename = "降低资质等级")]
    LowerQualification,
    #[serde(rename = "吊销许可证件")]
    RevokeLicence,
    #[serde(rename = "吊销营业执照")]
    RevokeBusinessLicence,
    #[serde(rename = "限制开展生产经营活动")]
    RestrictBusiness,
    #[serde(rename = "责令停产停业")]
    SuspendBusiness,
    #[serde(rename = "责令关闭")]
    Close,
    #[serde(rename = "限制从业")]
    RestrictPractice,
    #[serde(rename = "行政拘留")]
    Detention,
    #[serde(rename = "其他行政处罚")]
    Other,
}

/// A kind of 行政强制措施 (行政强制法第九条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[schemars(
    description = "行政强制措施的种类（行政强制法第九条）：限制人身自由、查封、扣押、冻结、其他"
)]
pub enum MeasureKind {
    #[serde(rename = "限制人身自由")]
    Liberty,
    #[serde(rename = "查封")]
    Seal,
    #[serde(rename = "扣押")]
    Seize,
    #[serde(rename = "冻结")]
    Freeze,
    #[serde(rename = "其他")]
    Other,
}

/// Which of the two a 行政强制 power is (行政强制法第二条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[schemars(
    description = "行政强制的类型：措施（行政强制措施）或 执行（行政强制执行），行政强制法第二条"
)]
pub enum Coercion {
    #[serde(rename = "措施")]
    Measure,
    #[serde(rename = "执行")]
    Execution,
}

impl Outcome {
    /// Whether the branch imposes a penalty or a coercion (SPEC §5.7).
    pub fn imposes(self) -> bool {
        matches!(self, Outcome::Penalise | Outcome::Enforce)
    }
}

/// Which government made a 地方政府规章 (行政许可法第十五条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[schemars(description = "地方政府规章的制定机关：省级 或 设区的市")]
pub enum Issuer {
    #[serde(rename = "省级")]
    Province,
    #[serde(rename = "设区的市")]
    City,
}

/// 不公开的法定情形 (SPEC §5.5; 政府信息公开条例第十四、十五、十六条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[schemars(
    description = "不公开的法定情形：国家秘密、商业秘密、个人隐私、危及安全稳定、内部事务信息、过程性信息、法律法规禁止公开"
)]
pub enum Ground {
    #[serde(rename = "国家秘密")]
    StateSecret,
    #[serde(rename = "商业秘密")]
    TradeSecret,
    #[serde(rename = "个人隐私")]
    Privacy,
    #[serde(rename = "危及安全稳定")]
    Security,
    #[serde(rename = "内部事务信息")]
    Internal,
    #[serde(rename = "过程性信息")]
    Process,
    #[serde(rename = "法律法规禁止公开")]
    Prohibited,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(description = "廉政风险点")]
#[serde(deny_unknown_fields)]
pub struct Risk {
    #[schemars(with = "RiskLevel", description = "风险等级：高、中、低")]
    pub level: Option<Sp<RiskLevel>>,
    #[schemars(with = "String", description = "风险点")]
    pub point: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        description = "防控措施（缺少时 risk-control 报错）"
    )]
    pub control: Option<Sp<String>>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize, JsonSchema,
)]
#[schemars(description = "风险等级：高、中、低")]
pub enum RiskLevel {
    #[serde(rename = "高")]
    High,
    #[serde(rename = "中")]
    Medium,
    #[serde(rename = "低")]
    Low,
}

/// A 责任事项 that belongs to no step: 事后监管责任, 其他责任 …
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(description = "一项不对应某一环节的责任事项")]
#[serde(deny_unknown_fields)]
pub struct Duty {
    #[schemars(with = "String", description = "责任环节（如 事后监管责任）")]
    pub stage: Option<Sp<String>>,
    #[schemars(with = "String", description = "责任事项的内容")]
    pub duty: Option<Sp<String>>,
}

/// 追责情形 with its 追责依据.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(description = "一项追责情形及其依据")]
#[serde(deny_unknown_fields)]
pub struct Accountability {
    #[schemars(
        with = "String",
        description = "追责情形（如 对符合法定条件的行政许可申请不予受理的）"
    )]
    pub case: Option<Sp<String>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[schemars(
        with = "Vec<Basis>",
        description = "追责依据：与设定依据同样写法的法律法规条款"
    )]
    pub basis: Vec<Sp<Basis>>,
}

/// 监督制约环节.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(description = "一个监督制约环节")]
#[serde(deny_unknown_fields)]
pub struct Supervision {
    #[schemars(with = "Option<String>", description = "被监督的环节标识")]
    pub step: Option<Sp<String>>,
    #[schemars(description = "监督主体")]
    pub by: Option<String>,
    #[schemars(description = "监督方式")]
    pub how: Option<String>,
    #[schemars(description = "联系方式")]
    pub contact: Option<String>,
}

impl Power {
    /// Gives a `next: id` written as a plain string the location of that string.
    pub(crate) fn fix_locations(&mut self) {
        if let Some(steps) = self.steps.as_mut() {
            for step in &mut steps.value {
                if let Some(next) = step.value.next.as_mut() {
                    let loc = next.referenced;
                    for e in &mut next.value.0 {
                        if e.to.referenced.line() == 0 {
                            e.to.referenced = loc;
                            e.to.defined = loc;
                        }
                    }
                }
            }
        }
    }
}

/// The 职权类别 as the schema lists them: the built-in names and codes.
/// `powerlist schema` replaces the list with a catalogue's own when it has extras.
pub struct CategoryName;

/// A key's element name as a 法制科 officer knows it (权力编码, 承诺时限 …),
/// for messages about that key.
pub fn element_name(key: &str) -> Option<&'static str> {
    Some(match key {
        "code" => "权力编码",
        "name" => "名称",
        "category" => "职权类别",
        "department" => "实施主体",
        "office" => "承办机构",
        "responsible" => "责任人",
        "source" => "职权来源",
        "basis" => "设定依据",
        "law" => "法律法规名称",
        "level" => "效力层级或风险等级",
        "doc_no" => "文号",
        "article" => "条款",
        "text" => "条文",
        "conditions" => "受理条件",
        "materials" => "申请材料",
        "copies" => "份数",
        "fees" => "收费",
        "item" => "收费项目",
        "standard" => "收费标准",
        "time_limit" => "时限",
        "statutory" => "法定时限",
        "promised" => "承诺时限",
        "extension" => "延长时限",
        "from" | "to" => "时限的起止",
        "disclosure" => "公开",
        "public" => "是否公开",
        "reason" => "不予公开的理由",
        "ground" => "不予公开的依据",
        "scope" => "公开范围",
        "channels" => "公开渠道",
        "time" => "时限或公开时间",
        "rights" => "相对人权利",
        "complaints" => "投诉渠道",
        "channel" => "投诉渠道名称",
        "phone" => "电话",
        "address" => "地址",
        "email" => "电子邮箱",
        "url" => "网址",
        "steps" => "运行流程",
        "id" => "步骤编号",
        "type" => "步骤类型",
        "role" => "步骤角色",
        "owner" => "承办岗位",
        "risk" => "风险点",
        "point" => "风险点描述",
        "control" => "防控措施",
        "not_counted" => "不计入时限的理由",
        "next" => "下一环节",
        "when" => "分支条件",
        "back" => "退回",
        "supervision" => "监督制约",
        "step" => "监督的步骤",
        "by" => "监督主体",
        "how" => "监督方式",
        "contact" => "联系方式",
        "allow" => "豁免的规则",
        "main_item" => "主项",
        "duty" => "责任事项",
        "duties" => "责任事项",
        "stage" => "责任环节",
        "duty_basis" => "责任事项依据",
        "accountability" => "追责情形",
        "case" => "追责情形",
        "coercion" => "行政强制的类型",
        "penalty_types" => "处罚种类",
        "measure_types" => "强制措施种类",
        "outcome" => "决定的结果",
        "issuer" => "规章的制定机关",
        "revised" => "调整日期",
        "note" => "备注",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agree<T: serde::Serialize + Copy>(all: &[T], label: fn(T) -> &'static str) {
        for &v in all {
            assert_eq!(serde_json::to_value(v).unwrap(), label(v));
        }
    }

    #[test]
    fn labels_agree_with_serde() {
        agree(Source::ALL, Source::label);
        agree(LawLevel::ALL, LawLevel::label);
        agree(Role::ALL, Role::label);
        agree(RiskLevel::ALL, RiskLevel::label);
        agree(StepType::ALL, StepType::label);
        agree(Ground::ALL, Ground::label);
        agree(PenaltyKind::ALL, PenaltyKind::label);
        agree(MeasureKind::ALL, MeasureKind::label);
        agree(Coercion::ALL, Coercion::label);
        agree(Outcome::ALL, Outcome::label);
        agree(Issuer::ALL, Issuer::label);
        assert_eq!(
            LawLevel::from_label("行政法规"),
            Some(LawLevel::AdministrativeRegulation)
        );
        assert_eq!(Role::from_label("决定"), Some(Role::Decide));
        assert_eq!(Source::from_label("x"), None);
    }
}
