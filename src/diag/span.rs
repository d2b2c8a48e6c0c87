//! Where a value was written: the model's own `Spanned<T>`.
//!
//! Both loader paths fill it. serde-saphyr's (`load::parse_power_serde`)
//! reads its own `serde_saphyr::Spanned<T>` and keeps what the reporters use;
//! the fast path (`load::events`) hands the node's location over directly: it
//! asks for the newtype [`FAST`], puts the location in a per-thread slot and
//! lets the visitor take it, which spares serde-saphyr's map-of-maps protocol
//! (two `Location`s built field by field for every spanned value, ~10 % of a
//! check). Any other deserializer gets `visit_newtype_struct` for an unknown
//! newtype name, finds the slot empty and goes through serde-saphyr's type.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Visitor};

/// A position in a file: 1-based line and character column, and the byte
/// range of the value (`u32::MAX` when unknown, as for scanner errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    line: u32,
    column: u32,
    byte_offset: u32,
    byte_len: u32,
}

impl Location {
    /// No position (line 0).
    pub const UNKNOWN: Location = Location {
        line: 0,
        column: 0,
        byte_offset: u32::MAX,
        byte_len: u32::MAX,
    };

    pub const fn new(line: u32, column: u32, byte_offset: u32, byte_len: u32) -> Location {
        Location {
            line,
            column,
            byte_offset,
            byte_len,
        }
    }

    /// What the reporters use of serde-saphyr's location.
    pub fn of(l: &serde_saphyr::Location) -> Location {
        let span = l.span();
        let bytes = match (span.byte_offset(), span.byte_len()) {
            (Some(o), Some(n)) if o < u32::MAX as u64 && n < u32::MAX as u64 => {
                (o as u32, n as u32)
            }
            _ => (u32::MAX, u32::MAX),
        };
        let clamp = |n: u64| n.min(u32::MAX as u64) as u32;
        Location::new(clamp(l.line()), clamp(l.column()), bytes.0, bytes.1)
    }

    pub fn line(&self) -> u32 {
        self.line
    }

    pub fn column(&self) -> u32 {
        self.column
    }

    /// The value's byte offset and length, when known.
    pub fn bytes(&self) -> Option<(usize, usize)> {
        (self.byte_offset != u32::MAX && self.byte_len != u32::MAX)
            .then_some((self.byte_offset as usize, self.byte_len as usize))
    }
}

/// A value with where it was written (`referenced`) and, through an alias,
/// where its anchor was (`defined`; the same place without one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub referenced: Location,
    pub defined: Location,
}

impl<T> Spanned<T> {
    pub const fn new(value: T, referenced: Location, defined: Location) -> Self {
        Spanned {
            value,
            referenced,
            defined,
        }
    }
}

/// The newtype name the fast path answers with a location in [`put`].
pub const FAST: &str = "__powerlist_spanned";

thread_local! {
    static SLOT: Cell<Option<Location>> = const { Cell::new(None) };
}

/// Leaves `loc` for the `Spanned` visitor the caller is about to call
/// (`visit_newtype_struct`), which takes it before reading its value.
pub fn put(loc: Location) {
    SLOT.with(|s| s.set(Some(loc)));
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(FAST, SpannedVisitor(PhantomData))
    }
}

struct SpannedVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for SpannedVisitor<T> {
    type Value = Spanned<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Spanned<T>, D::Error> {
        // Taken before the value is read: a nested `Spanned` leaves its own.
        match SLOT.with(Cell::take) {
            Some(loc) => Ok(Spanned::new(T::deserialize(d)?, loc, loc)),
            None => {
                let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
                Ok(Spanned::new(
                    s.value,
                    Location::of(&s.referenced),
                    Location::of(&s.defined),
                ))
            }
        }
    }
}
