//! The hand-written `Deserialize`s of a power's values: a duration as written
//! with its parse result, `next` in its three shapes, and two field helpers.

use std::fmt;

use crate::diag::span::{Location, Spanned};
use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::duration::{self, Duration};

pub(super) fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A key that, once written, must hold a value: `public: ` (null) is an error,
/// not "unset" — an empty `public:` must never publish a power.
pub(super) fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
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
    pub to: Spanned<String>,
    pub when: Option<Spanned<String>>,
    pub back: bool,
    /// What this branch of a `决定` decides (SPEC §5.7).
    pub outcome: Option<Spanned<Outcome>>,
}

/// `next`: a step id, a list of step ids, or a list of `{to, when, back}`
/// (a single `{to, when, back}` mapping is accepted too).
#[derive(Debug, Clone)]
pub struct Next(pub Vec<Edge>);

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Edge",
    description = "一条连线：目标环节、分支条件、是否为有意的回退"
)]
pub(super) struct EdgeMap {
    #[schemars(with = "String", description = "目标环节标识")]
    to: Spanned<String>,
    #[schemars(
        with = "Option<String>",
        description = "分支条件（判断环节的每条出线都要写）"
    )]
    when: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(description = "true 表示有意回到前面的环节（如 补正 → 受理）")]
    back: bool,
    #[schemars(
        with = "Option<Outcome>",
        description = "决定环节这一分支的结果：准予、不予、处罚、不予处罚、撤销案件、移送、强制、解除"
    )]
    outcome: Option<Spanned<Outcome>>,
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
                    outcome: m.outcome,
                }]))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Next, E> {
                // The location is filled in by `Power` fix-up from the spanned `next`.
                let to = Spanned::new(v.to_string(), Location::UNKNOWN, Location::UNKNOWN);
                Ok(Next(vec![Edge {
                    to,
                    when: None,
                    back: false,
                    outcome: None,
                }]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Next, A::Error> {
                let mut edges = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<EdgeItem>>()? {
                    let loc = item.referenced;
                    edges.push(match item.value {
                        EdgeItem::Id(id) => Edge {
                            to: Spanned::new(id, loc, item.defined),
                            when: None,
                            back: false,
                            outcome: None,
                        },
                        EdgeItem::Map(m) => Edge {
                            to: m.to,
                            when: m.when,
                            back: m.back,
                            outcome: m.outcome,
                        },
                    });
                }
                Ok(Next(edges))
            }
        }
        d.deserialize_any(V)
    }
}

/// What a branch of a `决定` decides (SPEC §5.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[schemars(description = "决定的结果：准予、不予、处罚、不予处罚、撤销案件、移送、强制、解除")]
pub enum Outcome {
    #[serde(rename = "准予")]
    Grant,
    #[serde(rename = "不予")]
    Refuse,
    #[serde(rename = "处罚")]
    Penalise,
    #[serde(rename = "不予处罚")]
    NoPenalty,
    #[serde(rename = "撤销案件")]
    Dismiss,
    #[serde(rename = "移送")]
    Transfer,
    #[serde(rename = "强制")]
    Enforce,
    #[serde(rename = "解除")]
    Release,
}
