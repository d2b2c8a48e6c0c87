//! The types of a power (SPEC §1.1): plain data, spans kept beside the values.
//!
//! Keys the contract calls required are `Option` here so that the loader can report
//! every missing one at once instead of stopping at the first.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use crate::duration::{self, Duration};

/// A position in a source file: 1-based line and column, byte offset and length.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
    pub len: usize,
}

impl Pos {
    /// The start of the file, for findings about the power as a whole.
    pub const START: Pos = Pos {
        line: 1,
        column: 1,
        offset: 0,
        len: 0,
    };

    pub fn of(loc: &Location) -> Pos {
        if loc.line() == 0 {
            return Pos::START;
        }
        let span = loc.span();
        // Scanner errors carry no byte offset; reporters then work from line and column.
        let (offset, len) = match (span.byte_offset(), span.byte_len()) {
            (Some(o), Some(l)) if o < u32::MAX as u64 => (o as usize, l as usize),
            _ => (usize::MAX, 0),
        };
        Pos {
            line: loc.line().min(u32::MAX as u64) as u32,
            column: loc.column().max(1).min(u32::MAX as u64) as u32,
            offset,
            len,
        }
    }
}

/// Where a spanned value was written.
pub fn pos<T>(s: &Spanned<T>) -> Pos {
    Pos::of(&s.referenced)
}

pub type Sp<T> = Spanned<T>;

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// One administrative power (行政职权), one YAML file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Power {
    pub code: Option<Sp<String>>,
    pub name: Option<Sp<String>>,
    pub category: Option<Sp<String>>,
    pub department: Option<Sp<String>>,
    pub office: Option<Sp<String>>,
    pub responsible: Option<Sp<String>>,
    pub source: Option<Sp<Source>>,
    pub basis: Option<Sp<Vec<Sp<Basis>>>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub conditions: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub materials: Vec<Sp<Material>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub fees: Vec<Sp<Fee>>,
    pub time_limit: Option<Sp<TimeLimit>>,
    pub disclosure: Option<Sp<Disclosure>>,
    pub rights: Option<Sp<Vec<String>>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub complaints: Vec<Sp<Complaint>>,
    pub steps: Option<Sp<Vec<Sp<Step>>>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub supervision: Vec<Sp<Supervision>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub allow: Vec<Sp<String>>,
}

impl Power {
    pub fn steps(&self) -> &[Sp<Step>] {
        self.steps.as_ref().map_or(&[], |s| &s.value)
    }

    pub fn basis(&self) -> &[Sp<Basis>] {
        self.basis.as_ref().map_or(&[], |s| &s.value)
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
}

/// 权力来源.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum Source {
    #[serde(rename = "法定")]
    Statutory,
    #[serde(rename = "授权")]
    Authorised,
    #[serde(rename = "委托")]
    Entrusted,
}

/// 设定依据: one article of one legal document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Basis {
    pub law: Option<Sp<String>>,
    pub level: Option<Sp<LawLevel>>,
    pub doc_no: Option<String>,
    pub article: Option<Sp<String>>,
    pub text: Option<String>,
}

/// 法律效力层级.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Material {
    pub name: Option<Sp<String>>,
    pub copies: Option<u32>,
    pub note: Option<String>,
}

/// 收费项目.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    pub item: Option<Sp<String>>,
    pub standard: Option<String>,
    pub basis: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeLimit {
    pub statutory: Option<Sp<DurationText>>,
    pub promised: Option<Sp<DurationText>>,
}

/// 公开: `public: false` is a power that is 涉密不宜公开.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    pub public: Option<Sp<bool>>,
    pub reason: Option<Sp<String>>,
    pub scope: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub channels: Vec<String>,
}

/// 投诉举报途径.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Complaint {
    pub channel: Option<Sp<String>>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
}

/// One step of the flowchart.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: Option<Sp<String>>,
    pub name: Option<Sp<String>>,
    #[serde(rename = "type")]
    pub kind: Option<Sp<StepType>>,
    pub role: Option<Sp<Role>>,
    pub owner: Option<Sp<String>>,
    pub time: Option<Sp<DurationText>>,
    pub risk: Option<Sp<Risk>>,
    pub next: Option<Sp<Next>>,
    pub note: Option<String>,
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

    pub fn edges(&self) -> &[Edge] {
        self.next.as_ref().map_or(&[], |n| &n.value.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepType {
    Start,
    Task,
    Decision,
    End,
}

/// What a step is in law (SPEC §1.1). Category rules read roles, never names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
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
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Apply => "申请",
            Role::Accept => "受理",
            Role::Amend => "补正",
            Role::Review => "审查",
            Role::Open => "立案",
            Role::Investigate => "调查",
            Role::Notify => "告知",
            Role::Hearing => "听证",
            Role::Decide => "决定",
            Role::Deliver => "送达",
            Role::Enforce => "执行",
            Role::Archive => "归档",
            Role::Publicise => "公示",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    pub level: Option<Sp<RiskLevel>>,
    pub point: Option<Sp<String>>,
    pub control: Option<Sp<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
pub enum RiskLevel {
    #[serde(rename = "高")]
    High,
    #[serde(rename = "中")]
    Medium,
    #[serde(rename = "低")]
    Low,
}

/// 监督制约环节.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supervision {
    pub step: Option<Sp<String>>,
    pub by: Option<String>,
    pub how: Option<String>,
    pub contact: Option<String>,
}

/// A duration as written, with its parse result; a bad one is reported by the `schema` rule.
#[derive(Debug, Clone)]
pub struct DurationText {
    pub text: String,
    pub parsed: Result<Duration, String>,
}

impl<'de> Deserialize<'de> for DurationText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let parsed = duration::parse(&text);
        Ok(DurationText { text, parsed })
    }
}

/// One outgoing edge of a step.
#[derive(Debug, Clone)]
pub struct Edge {
    pub to: Sp<String>,
    pub when: Option<Sp<String>>,
    pub back: bool,
}

/// `next`: a step id, a list of step ids, or a list of `{to, when, back}`
/// (a single `{to, when, back}` mapping is accepted too).
#[derive(Debug, Clone)]
pub struct Next(pub Vec<Edge>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EdgeMap {
    to: Sp<String>,
    when: Option<Sp<String>>,
    #[serde(default)]
    back: bool,
}

/// One item of a `next` list before its location is known.
enum EdgeItem {
    Id(String),
    Map(EdgeMap),
}

impl<'de> Deserialize<'de> for EdgeItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = EdgeItem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a step id or a mapping {to, when, back}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<EdgeItem, E> {
                Ok(EdgeItem::Id(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<EdgeItem, E> {
                Ok(EdgeItem::Id(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<EdgeItem, E> {
                Ok(EdgeItem::Id(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<EdgeItem, A::Error> {
                EdgeMap::deserialize(de::value::MapAccessDeserializer::new(map)).map(EdgeItem::Map)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Next {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Next;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a step id, a list of step ids, or a list of {to, when, back}")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Next, A::Error> {
                let m = EdgeMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Next(vec![Edge {
                    to: m.to,
                    when: m.when,
                    back: m.back,
                }]))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Next, E> {
                // The location is filled in by `Power` fix-up from the spanned `next`.
                let to = Spanned::new(v.to_string(), Location::UNKNOWN, Location::UNKNOWN);
                Ok(Next(vec![Edge {
                    to,
                    when: None,
                    back: false,
                }]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Next, A::Error> {
                let mut edges = Vec::new();
                while let Some(item) = seq.next_element::<Sp<EdgeItem>>()? {
                    let loc = item.referenced;
                    edges.push(match item.value {
                        EdgeItem::Id(id) => Edge {
                            to: Spanned::new(id, loc, item.defined),
                            when: None,
                            back: false,
                        },
                        EdgeItem::Map(m) => Edge {
                            to: m.to,
                            when: m.when,
                            back: m.back,
                        },
                    });
                }
                Ok(Next(edges))
            }
        }
        d.deserialize_any(V)
    }
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
