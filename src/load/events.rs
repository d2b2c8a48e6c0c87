//! The fast loader path: a power read straight from granit-parser's events
//! (the tokenizer under serde-saphyr, so the same events at the same spans),
//! through a lean serde `Deserializer`, so every derive and hand-written
//! `Deserialize` of the model works unchanged.
//!
//! It takes only what it can read exactly as serde-saphyr does: one document,
//! no tags, anchors or aliases, plain keys, scalars whose type is plain, and
//! well inside serde-saphyr's `Budget` (depth 64, 250,000 nodes, 1,000,000
//! events). On anything else — and on every error, syntax or schema — it
//! hands the text back, and `load::parse_power_serde` reads it and says what is
//! wrong: the diagnostics (messages, lines, columns, rules, the input-method
//! explanations, the budget against hostile nesting and aliases) are the old
//! path's by construction. A file that fails costs one fast attempt more.
//!
//! The model's `Spanned<T>` (`diag::span`) asks for the newtype
//! `diag::span::FAST`; the node's location, built from the event's span as
//! serde-saphyr's `location_from_span` builds it, is handed over beside it.

use std::borrow::Cow;
use std::fmt;

use granit_parser::{Event, Parser, ScalarStyle, Span, StrInput};
use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Visitor};
use serde::Deserialize;

use super::scan::{Ev, Kind, Loc};
use crate::diag::span::{self, Location};
use crate::model::Power;

/// Why the fast path handed a text back to serde-saphyr.
#[derive(Debug)]
pub struct Bail(String);

impl Bail {
    fn new(why: &str) -> Bail {
        Bail(why.to_string())
    }
}

impl fmt::Display for Bail {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Bail {}

impl de::Error for Bail {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Bail(msg.to_string())
    }
}

/// Limits kept below serde-saphyr's default `Budget` (max_depth 64, max_nodes
/// 250,000, max_events 1,000,000, 64 MiB of scalars): whatever comes near
/// them goes to the old path, which refuses it with its own finding.
const MAX_DEPTH: usize = 60;
const MAX_NODES: usize = 200_000;
const MAX_EVENTS: usize = 800_000;
const MAX_TEXT: usize = 16 * 1024 * 1024;

/// The fast path alone: a power, or why it handed the text back.
pub fn parse_fast(text: &str) -> Result<Power, Bail> {
    if text.len() > MAX_TEXT {
        return Err(Bail::new("text too large for the fast path"));
    }
    let mut cur = Cursor {
        ev: events(text)?,
        at: 0,
    };
    let mut power = Power::deserialize(De { cur: &mut cur })?;
    if cur.at != cur.ev.len() {
        return Err(Bail::new("events left after the power"));
    }
    power.fix_locations();
    Ok(power)
}

/// Counts every event of `text` (the tokenizer alone, for the benchmark).
pub fn count_events(text: &str) -> Option<usize> {
    let parser = Parser::with_options(StrInput::new(text), parser_options());
    let mut n = 0;
    for item in parser {
        item.ok()?;
        n += 1;
    }
    Some(n)
}

/// Counts the events of `text` as the hand-written scanner reads them
/// (`load::scan`, for the benchmark): `None` when it hands the text to granit-parser.
pub fn count_scanned(text: &str) -> Option<usize> {
    super::scan::scan(text).map(|ev| ev.len())
}

/// The differential test's hook: `None` when the scanner hands `text` to
/// granit-parser, else whether its events are granit-parser's exactly (kinds,
/// values, borrowed or not, spans); a scanner that reads what granit-parser
/// refuses disagrees.
pub fn scan_agrees(text: &str) -> Option<bool> {
    let fast = super::scan::scan(text)?;
    let Ok(slow) = granit_events(text) else {
        return Some(false);
    };
    let borrowed = |k: &Kind| matches!(k, Kind::Scalar(Cow::Borrowed(_), _));
    Some(
        fast.len() == slow.len()
            && fast.iter().zip(&slow).all(|(a, b)| {
                a.kind == b.kind && a.loc == b.loc && borrowed(&a.kind) == borrowed(&b.kind)
            }),
    )
}

/// serde-saphyr's marker for unavailable byte offsets (its `SpanIndex` is a `u32`).
const NO_BYTES: u64 = u32::MAX as u64;

fn loc_of(span: &Span) -> Loc {
    let start = &span.start;
    let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let byte_info = match (start.byte_offset(), span.end.byte_offset()) {
        (Some(a), Some(b)) => {
            let len = b.saturating_sub(a);
            if a <= u32::MAX as usize && len <= u32::MAX as usize {
                (a as u64, len as u64)
            } else {
                (NO_BYTES, NO_BYTES)
            }
        }
        _ => (NO_BYTES, NO_BYTES),
    };
    Loc {
        line: clamp(start.line()),
        column: clamp(start.col() + 1),
        offset: start.index() as u64,
        len: span.len() as u64,
        byte_info,
    }
}

/// The parser options serde-saphyr derives from its default `Budget`.
fn parser_options() -> granit_parser::Options {
    let mut o = granit_parser::Options::default();
    o.simple_key_max_lookahead = 1024;
    o.flow_nesting_limit = 255;
    o.block_nesting_limit = o.block_nesting_limit.max(64 + 1);
    o.emit_comments = false;
    o
}

fn bail<T>(why: &str) -> Result<T, Bail> {
    Err(Bail::new(why))
}

/// The node events of the one document in `text`, or why not: the
/// hand-written scanner's when it reads the text, else granit-parser's.
fn events(text: &str) -> Result<Vec<Ev<'_>>, Bail> {
    match super::scan::scan(text) {
        Some(ev) => Ok(ev),
        None => granit_events(text),
    }
}

/// `events` by granit-parser alone.
fn granit_events(text: &str) -> Result<Vec<Ev<'_>>, Bail> {
    let parser = Parser::with_options(StrInput::new(text), parser_options());
    let mut out = Vec::with_capacity(text.len() / 16);
    let (mut docs, mut depth, mut nodes, mut count) = (0usize, 0usize, 0usize, 0usize);
    for item in parser {
        let (event, span) = item.map_err(|e| Bail(e.to_string()))?;
        count += 1;
        if count > MAX_EVENTS || nodes > MAX_NODES || depth > MAX_DEPTH {
            return bail("near serde-saphyr's budget");
        }
        let kind = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
            Event::DocumentStart(_, version) => {
                docs += 1;
                if docs > 1 || version.is_some() {
                    return bail("several documents or a %YAML directive");
                }
                continue;
            }
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return bail("anchor or tag");
                }
                nodes += 1;
                Kind::Scalar(value, style == ScalarStyle::Plain)
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                if anchor != 0 || tag.is_some() {
                    return bail("anchor or tag");
                }
                nodes += 1;
                depth += 1;
                if matches!(event, Event::SequenceStart(..)) {
                    Kind::SeqStart
                } else {
                    Kind::MapStart
                }
            }
            Event::SequenceEnd => {
                depth = depth.saturating_sub(1);
                Kind::SeqEnd
            }
            Event::MappingEnd => {
                depth = depth.saturating_sub(1);
                Kind::MapEnd
            }
            _ => return bail("alias or other event"),
        };
        out.push(Ev {
            kind,
            loc: loc_of(&span),
        });
    }
    if docs != 1 || out.is_empty() {
        return bail("not one document");
    }
    Ok(out)
}

struct Cursor<'de> {
    ev: Vec<Ev<'de>>,
    at: usize,
}

impl<'de> Cursor<'de> {
    fn peek(&self) -> Result<&Ev<'de>, Bail> {
        self.ev
            .get(self.at)
            .ok_or_else(|| Bail::new("end of events"))
    }

    /// Consumes the next event, which must be `want`.
    fn consume(&mut self, want: fn(&Kind) -> bool) -> Result<(), Bail> {
        if want(&self.peek()?.kind) {
            self.at += 1;
            Ok(())
        } else {
            bail("unexpected event")
        }
    }

    /// Consumes the next event, a scalar: its value and whether it is plain.
    fn scalar(&mut self) -> Result<(Cow<'de, str>, bool), Bail> {
        let ev = self
            .ev
            .get_mut(self.at)
            .ok_or_else(|| Bail::new("end of events"))?;
        match std::mem::replace(&mut ev.kind, Kind::Taken) {
            Kind::Scalar(v, plain) => {
                self.at += 1;
                Ok((v, plain))
            }
            other => {
                ev.kind = other;
                bail("expected a scalar")
            }
        }
    }
}

/// Null as serde-saphyr reads a plain scalar (`scalar_is_nullish`).
fn nullish(v: &str) -> bool {
    matches!(v, "" | "~" | "null" | "Null" | "NULL")
}

/// A plain scalar that serde-saphyr's `deserialize_any` surely hands on as
/// text: not null, not a boolean, not anything a number could start with.
fn plain_text(v: &str) -> bool {
    !nullish(v)
        && !matches!(v, "true" | "True" | "TRUE" | "false" | "False" | "FALSE")
        && !v.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
        && v.trim_matches([' ', '\t', '\r', '\n']).len() == v.len()
}

fn visit_cow<'de, V: Visitor<'de>>(v: Cow<'de, str>, visitor: V) -> Result<V::Value, Bail> {
    match v {
        Cow::Borrowed(b) => visitor.visit_borrowed_str(b),
        Cow::Owned(s) => visitor.visit_string(s),
    }
}

struct De<'c, 'de> {
    cur: &'c mut Cursor<'de>,
}

macro_rules! refuse {
    ($($name:ident)*) => {
        $(fn $name<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Bail> {
            bail(stringify!($name))
        })*
    };
}

impl<'de> de::Deserializer<'de> for De<'_, 'de> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match &self.cur.peek()?.kind {
            Kind::Scalar(v, plain) if !*plain || plain_text(v) => {
                let (v, _) = self.cur.scalar()?;
                visit_cow(v, visitor)
            }
            Kind::SeqStart => self.deserialize_seq(visitor),
            Kind::MapStart => self.deserialize_map(visitor),
            _ => bail("a value the fast path does not type"),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.cur.scalar()? {
            (v, true) if matches!(v.as_ref(), "true" | "True" | "TRUE") => visitor.visit_bool(true),
            (v, true) if matches!(v.as_ref(), "false" | "False" | "FALSE") => {
                visitor.visit_bool(false)
            }
            _ => bail("not a boolean"),
        }
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        let (v, plain) = self.cur.scalar()?;
        let decimal = !v.is_empty()
            && v.bytes().all(|b| b.is_ascii_digit())
            && (v.as_ref() == "0" || !v.starts_with('0'));
        match v.parse::<u32>() {
            Ok(n) if plain && decimal => visitor.visit_u32(n),
            _ => bail("not a plain u32"),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.cur.scalar()? {
            (v, true) if nullish(&v) => bail("null into a string"),
            (v, _) => visit_cow(v, visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match &self.cur.peek()?.kind {
            Kind::Scalar(v, true) if nullish(v) => {
                self.cur.at += 1;
                visitor.visit_none()
            }
            Kind::Scalar(..) | Kind::SeqStart | Kind::MapStart => visitor.visit_some(self),
            _ => bail("no value for an option"),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Bail> {
        if name == span::FAST {
            let l = self.cur.peek()?.loc;
            let bytes = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
            span::put(Location::new(
                l.line,
                l.column,
                bytes(l.byte_info.0),
                bytes(l.byte_info.1),
            ));
            visitor.visit_newtype_struct(self)
        } else if name.starts_with("__yaml_") {
            bail("a serde-saphyr wrapper")
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.cur.consume(|k| matches!(k, Kind::SeqStart))?;
        let value = visitor.visit_seq(Seq {
            cur: &mut *self.cur,
        })?;
        self.cur.consume(|k| matches!(k, Kind::SeqEnd))?;
        Ok(value)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.cur.consume(|k| matches!(k, Kind::MapStart))?;
        let value = visitor.visit_map(Map {
            cur: &mut *self.cur,
        })?;
        self.cur.consume(|k| matches!(k, Kind::MapEnd))?;
        Ok(value)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Bail> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Bail> {
        match self.cur.scalar()? {
            (v, true) if nullish(&v) => bail("null for an enum"),
            (v, _) => visitor.visit_enum(UnitVariant(v)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, Bail> {
        bail("unit struct")
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, Bail> {
        bail("tuple")
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, Bail> {
        bail("tuple struct")
    }

    refuse! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
        deserialize_u16 deserialize_u64 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_bytes deserialize_byte_buf deserialize_unit deserialize_identifier
        deserialize_ignored_any
    }
}

struct Seq<'c, 'de> {
    cur: &'c mut Cursor<'de>,
}

impl<'de> de::SeqAccess<'de> for Seq<'_, 'de> {
    type Error = Bail;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Bail> {
        match self.cur.peek()?.kind {
            Kind::SeqEnd => Ok(None),
            Kind::Scalar(..) | Kind::SeqStart | Kind::MapStart => {
                seed.deserialize(De { cur: self.cur }).map(Some)
            }
            _ => bail("unexpected event in a sequence"),
        }
    }
}

struct Map<'c, 'de> {
    cur: &'c mut Cursor<'de>,
}

impl<'de> de::MapAccess<'de> for Map<'_, 'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Bail> {
        // Keys are plain text borrowed from the file, never `<<` (a merge): a
        // duplicate one is the model's derive's own error (`duplicate field`),
        // an unknown one too (every struct denies unknown fields).
        let key = match &self.cur.peek()?.kind {
            Kind::MapEnd => return Ok(None),
            Kind::Scalar(Cow::Borrowed(k), true) if *k != "<<" && !nullish(k) => *k,
            _ => return bail("a key the fast path does not read"),
        };
        self.cur.at += 1;
        seed.deserialize(BorrowedStrDeserializer::<Bail>::new(key))
            .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Bail> {
        match self.cur.peek()?.kind {
            Kind::Scalar(..) | Kind::SeqStart | Kind::MapStart => {
                seed.deserialize(De { cur: self.cur })
            }
            _ => bail("no value in a mapping"),
        }
    }
}

/// An enum written as its variant's name.
struct UnitVariant<'de>(Cow<'de, str>);

impl<'de> de::EnumAccess<'de> for UnitVariant<'de> {
    type Error = Bail;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self), Bail> {
        let value = match &self.0 {
            Cow::Borrowed(b) => seed.deserialize(BorrowedStrDeserializer::<Bail>::new(b))?,
            Cow::Owned(s) => seed.deserialize(StringDeserializer::<Bail>::new(s.clone()))?,
        };
        Ok((value, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariant<'de> {
    type Error = Bail;

    fn unit_variant(self) -> Result<(), Bail> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, Bail> {
        bail("newtype variant")
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, Bail> {
        bail("tuple variant")
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Bail> {
        bail("struct variant")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(text: &str) {
        // The old path's equal model is the differential test's (tests/integration).
        parse_fast(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    }

    #[test]
    fn reads_plain_files_with_the_spans_serde_saphyr_gives() {
        same("code: A1\nname: 某项许可\nsteps:\n  - id: a\n    next: b\n  - id: b\n    next: [c, d]\n  - id: c\n    next:\n      - to: e\n        when: 是\n");
        same("code: \"A1\"\nname: '名称'\nmaterials:\n  - name: 申请书\n    copies: 2\ndisclosure:\n  public: true\n");
        same("name: |\n  多行\n  文本\nrights:\n");
        let p = parse_fast("code: A1\nname: 许可\n").expect("parses");
        let name = p.name.expect("a name");
        let l = name.referenced;
        assert_eq!((l.line(), l.column(), l.bytes()), (2, 7, Some((15, 6))));
        assert_eq!(name.defined, l);
    }

    #[test]
    fn the_scanner_gives_granits_events_on_its_edge_cases() {
        for text in crate::load::scan::EDGE_CASES {
            assert_eq!(scan_agrees(text), Some(true), "{text:?}");
        }
    }

    #[test]
    fn hands_back_what_it_does_not_read_exactly() {
        for text in [
            "code: &a A\n",
            "code: !x y\n",
            "code: A\n---\ncode: B\n",
            "disclosure:\n  public: no\n",
            "code: A\ncode: B\n",
            "code: [1\n",
            "",
            "<<: {code: A}\n",
        ] {
            assert!(parse_fast(text).is_err(), "{text}");
        }
    }
}
