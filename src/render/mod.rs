//! Rendering what `check` accepted: no validation here, only output formats.

mod builtin;
pub mod dot;
pub mod layout;
pub mod print;
pub mod site;
pub mod svg;
pub mod table;
pub mod text;
pub mod view;

/// Escapes text for HTML and XML (SVG): markup characters become references,
/// and the control characters XML 1.0 forbids are dropped. `keep_breaks` keeps
/// line breaks and tabs (HTML text); otherwise they become spaces (SVG lines).
pub fn escape_markup(text: &str, keep_breaks: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_markup_into(&mut out, text, keep_breaks);
    out
}

/// The bytes `escape_markup_into` looks at twice: markup, controls, and the
/// first bytes of the characters it drops (a text is mostly none of them).
const MAY_ESCAPE: [bool; 256] = {
    let mut may = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        may[b] = true;
        b += 1;
    }
    let marks = [b'&', b'<', b'>', b'"', b'\'', b'/', 0x7F, 0xC2, 0xEF];
    let mut i = 0;
    while i < marks.len() {
        may[marks[i] as usize] = true;
        i += 1;
    }
    may
};

/// `escape_markup`, appended to `out`.
pub fn escape_markup_into(out: &mut String, text: &str, keep_breaks: bool) {
    let bytes = text.as_bytes();
    // What is copied as it is runs from `from` to the byte that needs more.
    let (mut from, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if !MAY_ESCAPE[usize::from(b)] {
            i += 1;
            continue;
        }
        // What replaces the character at `i`, and how many bytes it has.
        let (with, len): (&str, usize) = match b {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            b'/' => ("&#x2F;", 1),
            b'\n' if keep_breaks => ("\n", 1),
            b'\t' if keep_breaks => ("\t", 1),
            b'\n' | b'\t' => (" ", 1),
            0..=0x1F | 0x7F => ("", 1),
            // U+0080..U+009F, the C1 controls.
            0xC2 if matches!(bytes.get(i + 1), Some(0x80..=0x9F)) => ("", 2),
            // U+FFFE and U+FFFF.
            0xEF if bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) =>
            {
                ("", 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[from..i]);
        out.push_str(with);
        i += len;
        from = i;
    }
    out.push_str(&text[from..]);
}

#[cfg(test)]
mod tests {
    /// The escape as first written, a character at a time: the byte-wise
    /// one must give the same text for every input.
    fn by_chars(text: &str, keep_breaks: bool) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                '/' => out.push_str("&#x2F;"),
                '\n' | '\t' if keep_breaks => out.push(c),
                '\n' | '\t' => out.push(' '),
                c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn escapes_byte_wise_as_by_character() {
        let pieces = [
            "<script>",
            "&",
            "\"",
            "'",
            "/",
            "\n",
            "\t",
            "\r",
            "\u{0}",
            "\u{7f}",
            "\u{80}",
            "\u{9f}",
            "\u{a0}",
            "\u{c2}",
            "\u{fffe}",
            "\u{ffff}",
            "\u{fffd}",
            "\u{efbf}",
            "审批",
            "（",
            "a",
            "\u{1f600}",
            "\u{2028}",
            "¿",
            "\u{bf}",
            "\u{ff}",
        ];
        for text in crate::diag::testing::texts(&pieces, 7, 20_000, 9) {
            for keep in [true, false] {
                assert_eq!(
                    super::escape_markup(&text, keep),
                    by_chars(&text, keep),
                    "{text:?}"
                );
            }
        }
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let text = format!("x{c}y");
            assert_eq!(
                super::escape_markup(&text, false),
                by_chars(&text, false),
                "{c:?}"
            );
        }
    }
}
