//! The common finding drawn directly, exactly as miette's graphical handler
//! draws it without colour: one unlabelled primary span on one line, its
//! message and help wrapped by textwrap with miette's options. Drawing through
//! miette costs ~20 µs a finding (it re-reads the source, builds a `Report`,
//! wraps even what fits); an imported list has 50,000 findings. Anything else
//! (colour, a span over a line break, tabs or control characters left in the
//! lines, a span at the end of the file) returns `None` and miette draws it.
//! `report::tests::direct_drawing_is_miettes_*` hold the two equal.

use std::fmt::Write;

use miette::ThemeCharacters;
use unicode_width::UnicodeWidthChar;

use crate::diag::{Diagnostic, Severity};

/// What one finding's snippet shows: the source lines around it (already made
/// visible and safe), the number of lines before them, and the span in them.
pub struct Window<'a> {
    pub text: &'a str,
    pub first_line: usize,
    pub start: usize,
    pub len: usize,
}

/// `text` after `indent`, wrapped at `width` as miette wraps (textwrap with
/// its options); a text that fits on one line is written as it is. No
/// character is wider in columns than in UTF-8 bytes, so a text that fits in
/// bytes fits.
fn wrapped(indent: &str, rest: &str, text: &str, width: usize) -> String {
    let columns = textwrap::core::display_width;
    let fits = !text.is_empty()
        && !text.starts_with(char::is_whitespace)
        && !text.ends_with(char::is_whitespace)
        && !text.contains(['\n', '\r', '\t'])
        && (indent.len() + text.len() <= width || columns(indent) + columns(text) <= width);
    if fits {
        format!("{indent}{text}")
    } else {
        let opts = textwrap::Options::new(width)
            .initial_indent(indent)
            .subsequent_indent(rest)
            .break_words(true);
        textwrap::fill(text, opts)
    }
}

/// Columns as miette counts them (unicode-width 0.1, as miette uses).
fn columns(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// miette's unicode characters, made once (each is a `String`).
static CHARS: std::sync::LazyLock<ThemeCharacters> =
    std::sync::LazyLock::new(ThemeCharacters::unicode);

/// The finding as miette would draw it, or `None` when it is not of the
/// common shape. `name` is the snippet's title (`path:line:column`).
pub fn direct(
    d: &Diagnostic,
    message: &str,
    name: &str,
    w: &Window,
    width: usize,
) -> Option<String> {
    let chars = &*CHARS;
    let icon = match d.severity {
        Severity::Error => &chars.error,
        Severity::Warn => &chars.warning,
    };
    let avail = width.saturating_sub(2);
    let cause = wrapped(
        &format!("  {icon} "),
        &format!("  {} ", chars.vbar),
        message,
        avail,
    );
    let help = wrapped(
        "  help: ",
        "        ",
        &format!("powerlist explain {}", d.rule),
        avail,
    );
    let text = w.text;
    let span_end = w.start.checked_add(w.len)?;
    if text.is_empty()
        || text.ends_with('\n')
        || w.len == 0
        || span_end > text.len()
        || text.contains(['\t', '\r', '\x1b'])
        || text[w.start..span_end].contains('\n')
    {
        return None;
    }
    // miette's default context: the span's line and one line either side.
    let lines: Vec<(usize, &str)> = text
        .split('\n')
        .scan(0, |at, line| {
            let start = *at;
            *at += line.len() + 1;
            Some((start, line))
        })
        .collect();
    let k = lines.iter().rposition(|(at, _)| *at <= w.start)?;
    let (first, last) = (k.saturating_sub(1), (k + 1).min(lines.len() - 1));
    if last + 1 == lines.len() && text.ends_with('\n') {
        return None;
    }
    let linum = (w.first_line + last + 1).to_string().len();
    let mut out = String::with_capacity(text.len() + 256);
    let pad = " ".repeat(linum + 2);
    // Header, cause, snippet title: render_header, render_causes, render_context.
    let _ = write!(
        out,
        "{}\n\n{cause}\n{pad}{}{}[{name}]\n",
        d.rule, chars.ltop, chars.hbar
    );
    for (i, &(at, line)) in lines.iter().enumerate().take(last + 1).skip(first) {
        let _ = writeln!(
            out,
            " {:>linum$} {} {line}",
            w.first_line + i + 1,
            chars.vbar
        );
        if i == k {
            // render_single_line_highlights for one span without a label.
            let start = columns(&line[..w.start - at]);
            let end = columns(&line[..span_end - at]).max(start + 1);
            let _ = writeln!(
                out,
                " {:linum$} {} {:start$}{}",
                "",
                chars.vbar_break,
                "",
                chars.underline.to_string().repeat(end - start),
            );
        }
    }
    let _ = write!(
        out,
        "{pad}{}{}\n{help}\n",
        chars.lbot,
        chars.hbar.to_string().repeat(4)
    );
    Some(out)
}

#[cfg(test)]
mod tests {
    /// What `wrapped`'s quick fit rests on.
    #[test]
    fn no_character_is_wider_in_columns_than_in_bytes() {
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let s = c.to_string();
            assert!(textwrap::core::display_width(&s) <= s.len(), "{c:?}");
        }
    }
}
