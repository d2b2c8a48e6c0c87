//! A hand-written scanner for the block YAML that power files are written in:
//! the events granit-parser gives (`events::events`), at the same spans, at a
//! fraction of its cost (the tokenizer was most of `check`'s time).
//!
//! The subset: block mappings with plain keys, block sequences (indented under
//! their key or at its column), `- key: v` opening a mapping in an entry,
//! comments, blank lines, one leading `---`; scalars plain and on one line,
//! single- or double-quoted on one line (the escapes granit-parser decodes),
//! literal and folded block scalars (`|`, `|-`, `|+`, `>`, ...) without an
//! indentation indicator, empty values, and flow sequences of plain scalars on
//! one line (`[a, b]`, `[]`).
//!
//! Anything else returns `None` and granit-parser reads the text: tabs, CR,
//! control and non-printable characters anywhere; flow mappings, nested or
//! multi-line flow sequences; anchors, aliases, tags, directives; document
//! markers other than a leading `---`; multi-line plain or quoted scalars;
//! quoted, complex or unusual keys; empty sequence entries; leading or
//! whitespace-only lines in a block scalar; whatever is a syntax error; and
//! nesting or sizes anywhere near serde-saphyr's budget. When in doubt it
//! bails: a `Some` must be exactly granit-parser's events
//! (tests/integration/differential.rs checks every file it can find).

use std::borrow::Cow;

/// A serde-saphyr `Location`, as `location_from_span` builds it (from
/// granit-parser's span in `events`, by hand here).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Loc {
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) offset: u64,
    pub(crate) len: u64,
    pub(crate) byte_info: (u64, u64),
}

#[derive(Debug, PartialEq)]
pub(crate) enum Kind<'de> {
    /// The value and whether it is plain (unquoted, not a block scalar).
    Scalar(Cow<'de, str>, bool),
    SeqStart,
    SeqEnd,
    MapStart,
    MapEnd,
    /// A scalar already handed to a visitor.
    Taken,
}

#[derive(Debug)]
pub(crate) struct Ev<'de> {
    pub(crate) kind: Kind<'de>,
    pub(crate) loc: Loc,
}

/// Well below `events`' limits (depth 60, 200,000 nodes), so that what the
/// scanner reads the budget check would have let through too.
const MAX_DEPTH: usize = 48;
const MAX_EVENTS: usize = 150_000;
const MAX_TEXT: usize = 16 * 1024 * 1024;
/// granit-parser looks up to 1024 characters ahead for a simple key's `:`.
const MAX_KEY: usize = 256;

/// The events of `text`, or `None` when it is outside the subset.
pub(crate) fn scan(text: &str) -> Option<Vec<Ev<'_>>> {
    if text.len() > MAX_TEXT || !printable(text.as_bytes()) {
        return None;
    }
    let mut s = Scan {
        text,
        b: text.as_bytes(),
        // Power files have an event every 13 bytes or so.
        out: Vec::with_capacity(text.len() / 10 + 8),
        stack: Vec::new(),
        pending: None,
        indentless: false,
        held: false,
        doc: false,
        next: 0,
        line: 0,
        start: 0,
        end: 0,
        chars: 0,
        cur: (0, 0),
    };
    s.run()?;
    Some(s.out)
}

/// Each byte's class for `printable`: 0 fine, 1 never (a control character:
/// tab, CR, ...), 2 the first byte of a character to look at.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = 1;
        i += 1;
    }
    t[b'\n' as usize] = 0;
    t[0x7f] = 1;
    t[0xc2] = 2;
    t[0xe2] = 2;
    t[0xef] = 2;
    t
};

/// No tab, CR or other control character, and nothing YAML does not call
/// printable or treats as a break (NEL, LS, PS) or a BOM.
fn printable(b: &[u8]) -> bool {
    // Branch-free over 64-byte chunks: most have nothing to look at.
    for (n, chunk) in b.chunks(64).enumerate() {
        if chunk.iter().fold(0, |acc, &c| acc | CLASS[c as usize]) == 0 {
            continue;
        }
        for (j, &c) in chunk.iter().enumerate() {
            let i = n * 64 + j;
            let bad = match CLASS[c as usize] {
                0 => false,
                1 => true,
                _ => match c {
                    0xc2 => matches!(b.get(i + 1), Some(0x80..=0x9f)),
                    0xe2 => {
                        b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xa8 | 0xa9))
                    }
                    _ => matches!(
                        (b.get(i + 1), b.get(i + 2)),
                        (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
                    ),
                },
            };
            if bad {
                return false;
            }
        }
    }
    true
}

/// The first `\n` at or after `from`, or the end.
fn line_end(b: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut i = from;
    while let Some(word) = b.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        let w = u64::from_le_bytes(word) ^ (ONES * 0x0a);
        let zero = w.wrapping_sub(ONES) & !w & (ONES * 0x80);
        if zero != 0 {
            return i + (zero.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |n| i + n)
}

/// Characters that give a plain scalar's first character another meaning.
fn indicator(c: u8) -> bool {
    matches!(
        c,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

fn chars(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c & 0xc0 != 0x80).count()
}

#[derive(Clone, Copy)]
struct Block {
    /// The column of its keys or of its `-`.
    indent: usize,
    seq: bool,
    /// A sequence at its key's column (`key:\n- a`): a key there closes it.
    indentless: bool,
}

/// A position: line (1-based), column (0-based), char index, byte offset.
#[derive(Clone, Copy)]
struct Pos {
    line: usize,
    col: usize,
    index: usize,
    byte: usize,
}

struct Scan<'a> {
    text: &'a str,
    b: &'a [u8],
    out: Vec<Ev<'a>>,
    stack: Vec<Block>,
    /// A key whose value is not on its line: the empty scalar's place (its `:`).
    pending: Option<Loc>,
    /// The sequence just opened at its key's column starts at its first entry's content.
    indentless: bool,
    /// The current line ended a block scalar and is still to be read.
    held: bool,
    doc: bool,
    /// Where the next line starts (past the end when there is none).
    next: usize,
    line: usize,
    /// The current line's bytes, `\n` excluded.
    start: usize,
    end: usize,
    /// The char index of the current line's start.
    chars: usize,
    /// A column cursor on the current line: (byte, column).
    cur: (usize, usize),
}

impl<'a> Scan<'a> {
    fn run(&mut self) -> Option<()> {
        loop {
            if !self.held && !self.advance() {
                break;
            }
            self.held = false;
            self.read_line()?;
            if self.stack.len() > MAX_DEPTH || self.out.len() > MAX_EVENTS {
                return None;
            }
        }
        if let Some(loc) = self.pending.take() {
            self.out.push(Ev {
                kind: Kind::Scalar(Cow::Borrowed("~"), true),
                loc,
            });
        }
        let eof = self.eof();
        while let Some(top) = self.stack.pop() {
            let kind = if top.seq { Kind::SeqEnd } else { Kind::MapEnd };
            self.push_span(kind, eof, eof);
        }
        (!self.out.is_empty()).then_some(())
    }

    /// Moves to the next line; false at the end of the text.
    fn advance(&mut self) -> bool {
        if self.next > self.b.len() {
            return false;
        }
        if self.line > 0 {
            // The cursor has counted the line up to its last event already.
            self.chars += self.pos(self.end).col + 1;
        }
        self.line += 1;
        self.start = self.next;
        self.end = line_end(self.b, self.start);
        self.next = self.end + 1;
        self.cur = (self.start, 0);
        true
    }

    fn eof(&mut self) -> Pos {
        self.pos(self.end)
    }

    /// The position of byte `p` of the current line.
    fn pos(&mut self, p: usize) -> Pos {
        if p < self.cur.0 {
            self.cur = (self.start, 0);
        }
        let col = self.cur.1 + chars(&self.b[self.cur.0..p]);
        self.cur = (p, col);
        Pos {
            line: self.line,
            col,
            index: self.chars + col,
            byte: p,
        }
    }

    fn push_span(&mut self, kind: Kind<'a>, a: Pos, b: Pos) {
        self.out.push(Ev {
            kind,
            loc: Loc {
                line: a.line as u32,
                column: a.col as u32 + 1,
                offset: a.index as u64,
                len: (b.index - a.index) as u64,
                byte_info: (a.byte as u64, (b.byte - a.byte) as u64),
            },
        });
    }

    /// An event spanning bytes `p..q` of the current line.
    fn push(&mut self, kind: Kind<'a>, p: usize, q: usize) {
        let (a, b) = (self.pos(p), self.pos(q));
        self.push_span(kind, a, b);
    }

    fn spaces(&self, mut i: usize) -> usize {
        while i < self.end && self.b[i] == b' ' {
            i += 1;
        }
        i
    }

    /// Nothing after byte `i` but spaces and a comment.
    fn trailer(&self, i: usize) -> Option<()> {
        let j = self.spaces(i);
        (j == self.end || (j > i && self.b[j] == b'#')).then_some(())
    }

    fn is_entry(&self, p: usize) -> bool {
        self.b[p] == b'-' && (p + 1 == self.end || self.b[p + 1] == b' ')
    }

    fn read_line(&mut self) -> Option<()> {
        let p = self.spaces(self.start);
        if p == self.end || self.b[p] == b'#' {
            return Some(());
        }
        let c = p - self.start;
        if c == 0 && (self.b[p..].starts_with(b"---") || self.b[p..].starts_with(b"...")) {
            return self.marker(p);
        }
        let entry = self.is_entry(p);
        self.open(c, entry, p)?;
        if entry {
            self.entry(p)
        } else {
            self.key(p)
        }
    }

    /// One `---` before the content, as granit-parser reads it (then skipped).
    fn marker(&mut self, p: usize) -> Option<()> {
        if self.doc || !self.out.is_empty() || !self.b[p..].starts_with(b"---") {
            return None;
        }
        self.doc = true;
        self.trailer(p + 3)
    }

    /// Settles the structure before a key or an entry at column `c`: a pending
    /// key's value, the blocks the line closes, the block it continues or opens.
    fn open(&mut self, c: usize, entry: bool, p: usize) -> Option<()> {
        if let Some(empty) = self.pending.take() {
            let top = *self.stack.last()?;
            if c > top.indent || (c == top.indent && entry) {
                let indentless = c == top.indent;
                self.stack.push(Block {
                    indent: c,
                    seq: entry,
                    indentless,
                });
                if indentless {
                    self.indentless = true;
                } else {
                    let kind = if entry {
                        Kind::SeqStart
                    } else {
                        Kind::MapStart
                    };
                    self.push(kind, p, p);
                }
                return Some(());
            }
            self.out.push(Ev {
                kind: Kind::Scalar(Cow::Borrowed("~"), true),
                loc: empty,
            });
        }
        while let Some(&top) = self.stack.last() {
            if top.indent > c || (top.indentless && top.indent == c && !entry) {
                self.stack.pop();
                let kind = if top.seq { Kind::SeqEnd } else { Kind::MapEnd };
                self.push(kind, p, p);
            } else {
                break;
            }
        }
        match self.stack.last() {
            Some(top) => (top.indent == c && top.seq == entry).then_some(()),
            None if self.out.is_empty() => {
                self.stack.push(Block {
                    indent: c,
                    seq: entry,
                    indentless: false,
                });
                let kind = if entry {
                    Kind::SeqStart
                } else {
                    Kind::MapStart
                };
                self.push(kind, p, p);
                Some(())
            }
            None => None,
        }
    }

    /// A sequence entry whose `-` is at byte `p`.
    fn entry(&mut self, p: usize) -> Option<()> {
        let q = self.spaces(p + 1);
        if q == self.end || self.b[q] == b'#' || self.stack.len() > MAX_DEPTH {
            return None;
        }
        if std::mem::take(&mut self.indentless) {
            self.push(Kind::SeqStart, q, q);
        }
        // Only spaces and `-` before it: its column is its byte count.
        let c = q - self.start;
        if self.is_entry(q) || self.key_colon(q).is_some() {
            let seq = self.is_entry(q);
            self.stack.push(Block {
                indent: c,
                seq,
                indentless: false,
            });
            let kind = if seq { Kind::SeqStart } else { Kind::MapStart };
            self.push(kind, q, q);
            return if seq { self.entry(q) } else { self.key(q) };
        }
        let parent = self.stack.last()?.indent;
        self.value(q, parent)
    }

    /// The `:` of the plain key that starts at byte `q`, if one does.
    fn key_colon(&self, q: usize) -> Option<usize> {
        if indicator(self.b[q]) {
            return None;
        }
        let mut i = q;
        while i < self.end {
            match self.b[i] {
                b':' if i + 1 == self.end || self.b[i + 1] == b' ' => return Some(i),
                b'#' | b'\'' | b'"' | b',' | b'[' | b']' | b'{' | b'}' => return None,
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// A `key: value` at byte `q`.
    fn key(&mut self, q: usize) -> Option<()> {
        let k = self.key_colon(q)?;
        if self.b[k - 1] == b' ' || k - q > MAX_KEY {
            return None;
        }
        self.push(Kind::Scalar(Cow::Borrowed(&self.text[q..k]), true), q, k);
        let r = self.spaces(k + 1);
        if r == self.end || self.b[r] == b'#' {
            let at = self.pos(k);
            self.pending = Some(Loc {
                line: at.line as u32,
                column: at.col as u32 + 1,
                offset: at.index as u64,
                len: 0,
                byte_info: (k as u64, 0),
            });
            return Some(());
        }
        let parent = self.stack.last()?.indent;
        self.value(r, parent)
    }

    /// A scalar or flow sequence at byte `r`, in a block indented `parent`.
    fn value(&mut self, r: usize, parent: usize) -> Option<()> {
        match self.b[r] {
            b'"' => self.double(r),
            b'\'' => self.single(r),
            b'[' => self.flow(r),
            b'|' | b'>' => self.block(r, parent),
            c if indicator(c) => None,
            _ => self.plain(r),
        }
    }

    fn plain(&mut self, r: usize) -> Option<()> {
        let mut last = r;
        let mut i = r;
        while i < self.end {
            match self.b[i] {
                b' ' => {}
                b'#' if self.b[i - 1] == b' ' => break,
                b':' if i + 1 == self.end || self.b[i + 1] == b' ' => return None,
                _ => last = i + 1,
            }
            i += 1;
        }
        let v = Cow::Borrowed(&self.text[r..last]);
        self.push(Kind::Scalar(v, true), r, last);
        Some(())
    }

    fn single(&mut self, r: usize) -> Option<()> {
        let mut owned: Option<String> = None;
        let (mut i, mut seg) = (r + 1, r + 1);
        loop {
            if i >= self.end {
                return None;
            }
            if self.b[i] == b'\'' {
                if i + 1 < self.end && self.b[i + 1] == b'\'' {
                    owned
                        .get_or_insert_with(String::new)
                        .push_str(&self.text[seg..=i]);
                    i += 2;
                    seg = i;
                    continue;
                }
                break;
            }
            i += 1;
        }
        self.quoted(owned, r, seg, i)
    }

    fn double(&mut self, r: usize) -> Option<()> {
        let mut owned: Option<String> = None;
        let (mut i, mut seg) = (r + 1, r + 1);
        loop {
            if i >= self.end {
                return None;
            }
            match self.b[i] {
                b'"' => break,
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[seg..i]);
                    let (ch, used) = self.escape(i)?;
                    s.push(ch);
                    i += used;
                    seg = i;
                }
                _ => i += 1,
            }
        }
        self.quoted(owned, r, seg, i)
    }

    /// Ends a quoted scalar opened at `r` and closed at `i`: borrowed from the
    /// text when nothing was unescaped, else `owned` and the rest from `seg`.
    fn quoted(&mut self, owned: Option<String>, r: usize, seg: usize, i: usize) -> Option<()> {
        let v = match owned {
            Some(mut s) => {
                s.push_str(&self.text[seg..i]);
                Cow::Owned(s)
            }
            None => Cow::Borrowed(&self.text[r + 1..i]),
        };
        self.push(Kind::Scalar(v, false), r, i + 1);
        self.trailer(i + 1)
    }

    /// The escape at byte `i` (its `\`) on this line: the char and its length.
    fn escape(&self, i: usize) -> Option<(char, usize)> {
        let e = *self.b[..self.end].get(i + 1)?;
        let simple = match e {
            b'0' => '\0',
            b'a' => '\u{7}',
            b'b' => '\u{8}',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\u{b}',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'e' => '\u{1b}',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' | b'u' | b'U' => {
                let n = match e {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let hex = self.b[..self.end].get(i + 2..i + 2 + n)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                return Some((char::from_u32(code)?, 2 + n));
            }
            _ => return None,
        };
        Some((simple, 2))
    }

    /// `[a, b]` on one line, of plain scalars only.
    fn flow(&mut self, r: usize) -> Option<()> {
        self.push(Kind::SeqStart, r, r + 1);
        let mut i = r + 1;
        let mut first = true;
        loop {
            i = self.spaces(i);
            if i >= self.end {
                return None;
            }
            if self.b[i] == b']' && first {
                break;
            }
            if indicator(self.b[i]) {
                return None;
            }
            let s = i;
            let mut last = i;
            while i < self.end && !matches!(self.b[i], b',' | b']') {
                match self.b[i] {
                    b' ' => {}
                    b'#' | b':' | b'[' | b'{' | b'}' | b'\'' | b'"' => return None,
                    _ => last = i + 1,
                }
                i += 1;
            }
            if i >= self.end {
                return None;
            }
            self.push(
                Kind::Scalar(Cow::Borrowed(&self.text[s..last]), true),
                s,
                last,
            );
            first = false;
            if self.b[i] == b']' {
                break;
            }
            i += 1;
        }
        self.push(Kind::SeqEnd, i, i + 1);
        self.trailer(i + 1)
    }

    /// A block scalar whose `|` or `>` is at byte `r`, in a block indented `parent`.
    fn block(&mut self, r: usize, parent: usize) -> Option<()> {
        let literal = self.b[r] == b'|';
        let mut h = r + 1;
        let chomp = match self.b.get(h).filter(|_| h < self.end) {
            Some(&c @ (b'-' | b'+')) => {
                h += 1;
                c
            }
            _ => b' ',
        };
        self.trailer(h)?;
        if !self.advance() {
            return None;
        }
        let k = self.spaces(self.start) - self.start;
        if k <= parent || self.start + k == self.end {
            return None;
        }
        let from = self.pos(self.start + k);
        let mut body = String::new();
        let mut trail = 0usize;
        let mut first = true;
        let to = loop {
            let p = self.spaces(self.start);
            if p == self.end {
                if p > self.start {
                    return None;
                }
                // The empty piece after a final newline is no line.
                trail += usize::from(self.end < self.b.len());
            } else if p - self.start < k {
                self.held = true;
                break self.pos(p);
            } else {
                let text = &self.text[self.start + k..self.end];
                if !first {
                    if literal {
                        body.push('\n');
                    } else if text.starts_with(' ') {
                        return None;
                    } else if trail == 0 {
                        body.push(' ');
                    }
                    body.extend(std::iter::repeat_n('\n', trail));
                } else if !literal && text.starts_with(' ') {
                    return None;
                }
                body.push_str(text);
                trail = 0;
                first = false;
                if self.end == self.b.len() {
                    return None;
                }
            }
            if !self.advance() {
                break self.eof();
            }
        };
        match chomp {
            b'-' => {}
            b'+' => body.extend(std::iter::repeat_n('\n', trail + 1)),
            _ => body.push('\n'),
        }
        self.push_span(Kind::Scalar(Cow::Owned(body), false), from, to);
        Some(())
    }
}

/// The texts the unit tests read, which events' tests compare with granit-parser.
#[cfg(test)]
pub(crate) const EDGE_CASES: &[&str] = &[
    "a:\nb:   # c\nc: 1\nd:",
    "a:\n",
    "a: |-\n  x\n   y\n\n  z\n\nb: |\n  l\nc: |+\n  k\n\n",
    "a: >\n  f1\n  f2\n\n  f3\n",
    "a: |\n  x\n",
    "a: \"x\\\"y\\\\z\\n\\t\\/\\u00e9\"\nb: 'it''s'\nc: \"\"\nd: '许可' # c\n",
    "# head\nname: 某项许可   # 注释\nx: a#b  \n\ny: 审查：核对材料\n",
    "a: 许可\nb: c\n",
    "a:\n- x\n- k: v\n  j: w\nb:\n  - y\n  -   z\nc: [p, q r]\nd: []\n",
    "- - x\n  - y\n- z",
    "---\na: 1\nb: 2",
    "a:\n  b: |\n    t\n# end",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The scanner reads `text` (that granit-parser agrees is events' test,
    /// over `EDGE_CASES`): its scalars' values.
    fn scalars(text: &str) -> Vec<(String, bool)> {
        assert!(EDGE_CASES.contains(&text), "an edge case: {text:?}");
        let ev = scan(text).expect("read");
        ev.into_iter()
            .filter_map(|e| match e.kind {
                Kind::Scalar(v, plain) => Some((v.into_owned(), plain)),
                _ => None,
            })
            .collect()
    }

    fn values(text: &str) -> Vec<String> {
        scalars(text).into_iter().map(|(v, _)| v).collect()
    }

    #[test]
    fn an_empty_value_is_granits_empty_plain_scalar_at_the_colon() {
        assert_eq!(
            scalars("a:\nb:   # c\nc: 1\nd:"),
            [
                ("a", true),
                ("~", true),
                ("b", true),
                ("~", true),
                ("c", true),
                ("1", true),
                ("d", true),
                ("~", true),
            ]
            .map(|(v, p)| (v.to_string(), p))
        );
        let ev = scan("a:\n").unwrap();
        assert_eq!((ev[2].loc.column, ev[2].loc.len), (2, 0));
    }

    #[test]
    fn block_scalars_keep_or_strip_their_breaks() {
        assert_eq!(
            values("a: |-\n  x\n   y\n\n  z\n\nb: |\n  l\nc: |+\n  k\n\n"),
            ["a", "x\n y\n\nz", "b", "l\n", "c", "k\n\n"]
        );
        assert_eq!(values("a: >\n  f1\n  f2\n\n  f3\n"), ["a", "f1 f2\nf3\n"]);
        assert!(!scalars("a: |\n  x\n")[1].1, "a block scalar is not plain");
    }

    #[test]
    fn quoted_scalars_with_escapes() {
        assert_eq!(
            values("a: \"x\\\"y\\\\z\\n\\t\\/\\u00e9\"\nb: 'it''s'\nc: \"\"\nd: '许可' # c\n"),
            ["a", "x\"y\\z\n\t/é", "b", "it's", "c", "", "d", "许可"]
        );
    }

    #[test]
    fn comments_trailing_spaces_and_cjk_text() {
        assert_eq!(
            values("# head\nname: 某项许可   # 注释\nx: a#b  \n\ny: 审查：核对材料\n"),
            ["name", "某项许可", "x", "a#b", "y", "审查：核对材料"]
        );
        // `b`: char 6, byte 10 (许可 is two chars, six bytes).
        let ev = scan("a: 许可\nb: c\n").unwrap();
        assert_eq!((ev[3].loc.offset, ev[3].loc.column), (6, 1));
        assert_eq!(ev[3].loc.byte_info, (10, 1));
    }

    #[test]
    fn sequences_under_a_key_or_at_its_column() {
        assert_eq!(
            values("a:\n- x\n- k: v\n  j: w\nb:\n  - y\n  -   z\nc: [p, q r]\nd: []\n"),
            ["a", "x", "k", "v", "j", "w", "b", "y", "z", "c", "p", "q r", "d"]
        );
        assert_eq!(values("- - x\n  - y\n- z"), ["x", "y", "z"]);
    }

    #[test]
    fn no_final_newline_and_a_leading_document_marker() {
        assert_eq!(values("---\na: 1\nb: 2"), ["a", "1", "b", "2"]);
        assert_eq!(values("a:\n  b: |\n    t\n# end"), ["a", "b", "t\n"]);
    }

    #[test]
    fn hands_back_what_is_outside_the_subset() {
        for text in [
            "",
            "# only a comment\n",
            "a: b\n  c\n",
            "a: \"x\n  y\"\n",
            "a:\tb\n",
            "a: b\r\n",
            "a: &x b\n",
            "a: *x\n",
            "a: !t b\n",
            "%YAML 1.2\n---\na: b\n",
            "a: {b: c}\n",
            "a: [b, [c]]\n",
            "a: [b,\n  c]\n",
            "? a\n: b\n",
            "\"a\": b\n",
            "a: b: c\n",
            "-\n  a\n",
            "a: 1\n---\nb: 2\n",
            "a: 1\n...\n",
            "a: |2\n   x\n",
            "a: |\n\n  x\n",
            "a: \"\\q\"\n",
            "a: b\n c: d\n",
            "scalar\n",
        ] {
            assert!(scan(text).is_none(), "{text:?}");
        }
        let deep: String = (0..80).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(scan(&deep).is_none());
    }
}
