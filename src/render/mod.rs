//! Rendering what `check` accepted: no validation here, only output formats.

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
