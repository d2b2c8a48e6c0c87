//! Reporters: diagnostics out as human text, JSON, GitHub workflow commands or SARIF.

mod draw;

use std::collections::HashMap;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
use rayon::prelude::*;
use serde_json::{json, Value};

use crate::diag::rules::{Level, Rule};
use crate::diag::{Counts, Diagnostic, Severity};
use crate::load::Catalogue;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

/// Writes `diags` in `format`. `prefix` is the catalogue path as the user wrote it,
/// joined to each file so that editors and CI can open it.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    diags: &[Diagnostic],
    cat: &Catalogue,
    prefix: &str,
    style: Style,
) -> io::Result<()> {
    match format {
        Format::Human => human(out, diags, cat, prefix, style),
        Format::Json => {
            let items: Vec<JsonDiagnostic> = diags
                .iter()
                .map(|d| JsonDiagnostic {
                    rule: d.rule.name(),
                    severity: d.severity.as_str(),
                    file: display_path(prefix, &d.file),
                    line: d.line,
                    column: d.column,
                    message: &d.message,
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &items)?;
            writeln!(out)
        }
        Format::Github => github(out, diags, prefix),
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif(diags, prefix))?;
            writeln!(out)
        }
    }
}

/// One item of `--format json`, its keys in the order of SPEC §3.
#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'a str,
    file: String,
    line: u32,
    column: u32,
    message: &'a str,
}

/// `catalogue` + `a/b.yaml` → `catalogue/a/b.yaml`; `.` is left out.
pub fn display_path(prefix: &str, rel: &str) -> String {
    let p = prefix.trim_end_matches(['/', '\\']);
    if p.is_empty() || p == "." {
        rel.to_string()
    } else {
        format!("{p}/{rel}")
    }
}

/// Human output shows at most this many findings per file with their source;
/// the rest are counted in one line (`--format json` lists every one).
pub const HUMAN_PER_FILE: usize = 200;

/// How many lines either side of a finding's line its snippet is drawn from
/// (all a streamed check keeps of a file's text: `check::Texts::Reported`).
pub const CONTEXT_LINES: usize = 2;

/// Lines longer than this (in bytes) are not drawn with a snippet: the plain
/// form names line and column (miette cannot draw columns past 65,535).
const SNIPPET_MAX_LINE: usize = 4096;

/// A diagnostic without its source snippet.
fn plain(d: &Diagnostic, path: &str) -> String {
    format!(
        "{}[{}]: {}\n  --> {path}:{}:{}\n",
        d.severity.as_str(),
        d.rule,
        terminal_safe(&d.message),
        d.line,
        d.column
    )
}

/// The byte range of the line holding `offset`.
fn line_around(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let b = text.as_bytes();
    let start = memchr::memrchr(b'\n', &b[..offset]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &b[offset..]).map_or(text.len(), |i| offset + i);
    (start, end)
}

/// How human output is drawn: in colour or not, and the width it wraps at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    /// Without colour, at the width used when the output is not a terminal.
    pub const PLAIN: Style = Style {
        color: false,
        width: 100,
    };

    /// For a terminal `columns` wide (or not a terminal): its own width, never
    /// narrower than a readable 60 columns.
    pub fn for_terminal(color: bool, columns: Option<usize>) -> Style {
        Style {
            color,
            width: columns.map_or(Style::PLAIN.width, |c| c.max(60)),
        }
    }
}

fn human(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    cat: &Catalogue,
    prefix: &str,
    style: Style,
) -> io::Result<()> {
    draw_human(diags, cat, prefix, style).write(out)
}

/// A human report drawn and not yet written: drawing is most of its cost,
/// and `build` draws it beside its lists, to be written once the site is in.
#[derive(Debug, Default)]
pub struct Drawn {
    findings: Vec<String>,
    rest: String,
}

impl Drawn {
    pub fn write(self, out: &mut dyn Write) -> io::Result<()> {
        for r in self.findings {
            writeln!(out, "{r}")?;
        }
        out.write_all(self.rest.as_bytes())
    }
}

/// The human report (`--format human`), drawn (`Drawn::write` writes it).
pub fn draw_human(diags: &[Diagnostic], cat: &Catalogue, prefix: &str, style: Style) -> Drawn {
    use std::fmt::Write as _;
    let color = style.color;
    // Without colour, the common finding is drawn directly (draw.rs).
    let direct = (!color).then_some(style.width);
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = || handler_for(theme.clone(), style.width);
    let texts: HashMap<&str, &str> = cat
        .files
        .iter()
        .map(|f| (f.rel.as_str(), f.text.as_str()))
        .collect();
    let mut shown: HashMap<&str, usize> = HashMap::new();
    let mut hidden: Vec<(&str, usize)> = Vec::new();
    let mut drawn: Vec<&Diagnostic> = Vec::with_capacity(diags.len());
    for d in diags {
        let n = shown.entry(d.file.as_str()).or_default();
        *n += 1;
        if *n > HUMAN_PER_FILE {
            match hidden.last_mut() {
                Some((f, k)) if *f == d.file.as_str() => *k += 1,
                _ => hidden.push((d.file.as_str(), 1)),
            }
            continue;
        }
        drawn.push(d);
    }
    // Drawing is most of a report's cost: done on every core, written in order.
    let rendered: Vec<String> = drawn
        .par_iter()
        .map_init(handler, |handler, d| {
            let text = texts.get(d.file.as_str()).copied().unwrap_or("");
            draw(handler, d, prefix, text, direct)
        })
        .collect();
    let mut rest = String::new();
    for (file, n) in hidden {
        let _ = writeln!(
            rest,
            "{}: ……另有 {n} 个问题未逐条显示 (…and {n} more; `--format json` lists every one)\n",
            terminal_safe(&display_path(prefix, file))
        );
    }
    let c = Counts::of(diags);
    let _ = writeln!(
        rest,
        "{} 个错误，{} 个警告，涉及 {} 个文件（共检查 {} 个文件）",
        c.errors,
        c.warnings,
        c.files,
        cat.files.len()
    );
    Drawn {
        findings: rendered,
        rest,
    }
}

fn handler_for(theme: GraphicalTheme, width: usize) -> GraphicalReportHandler {
    // miette would count columns in bytes; the header names our character columns instead.
    GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .without_primary_span_start()
}

/// One diagnostic as human output, `text` being its file's.
fn draw(
    handler: &GraphicalReportHandler,
    d: &Diagnostic,
    prefix: &str,
    text: &str,
    direct: Option<usize>,
) -> String {
    // File names come from the catalogue folder: shown, not obeyed.
    let path = terminal_safe(&display_path(prefix, &d.file));
    let offset = match (text.is_empty(), d.offset) {
        (true, _) => 0,
        (false, usize::MAX) => offset_of(text, d.line, d.column),
        (false, o) => o.min(text.len()),
    };
    let (line_start, line_end) = line_around(text, offset);
    if text.is_empty() || line_end - line_start > SNIPPET_MAX_LINE {
        plain(d, &path)
    } else {
        snippet(handler, d, &path, text, offset, direct)
    }
}

/// One diagnostic drawn by miette with the lines around it. Only those lines are
/// handed over (not the whole file), so the cost does not grow with the file.
fn snippet(
    handler: &GraphicalReportHandler,
    d: &Diagnostic,
    path: &str,
    text: &str,
    offset: usize,
    direct: Option<usize>,
) -> String {
    // Two lines of context either side (miette shows one: the second is room).
    let mut start = line_around(text, offset).0;
    for _ in 0..CONTEXT_LINES {
        if start == 0 {
            break;
        }
        start = line_around(text, start - 1).0;
    }
    let mut end = line_around(text, offset).1;
    for _ in 0..CONTEXT_LINES {
        if end >= text.len() {
            break;
        }
        end = line_around(text, end + 1).1;
    }
    let window = &text[start..end];
    let first_line = text[..start].bytes().filter(|&b| b == b'\n').count();
    let (s, len) = underline(window, offset - start, d.len);
    // Tabs and full-width spaces are drawn as marks, so a slip can be seen.
    let (s, len) = (
        visible(&window[..s]).len(),
        visible(&window[s..s + len]).len(),
    );
    let window = source_safe(&visible(window));
    let message = terminal_safe(&d.message);
    let name = format!("{path}:{}:{}", d.line, d.column);
    if let Some(width) = direct {
        let w = draw::Window {
            text: &window,
            first_line,
            start: s,
            len,
        };
        if let Some(drawn) = draw::direct(d, &message, &name, &w, width) {
            return drawn;
        }
    }
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warn => miette::Severity::Warning,
    };
    let diag = MietteDiagnostic::new(message)
        .with_code(d.rule.name())
        .with_severity(severity)
        .with_label(LabeledSpan::new_primary_with_span(
            None,
            (first_line + s, len),
        ))
        .with_help(format!("powerlist explain {}", d.rule));
    // Empty lines stand in for the lines before the window, so that miette
    // numbers the lines as the file does.
    let source = format!("{}{}", "\n".repeat(first_line), window);
    let report = miette::Report::new(diag).with_source_code(NamedSource::new(name, source));
    let mut rendered = String::new();
    if handler
        .render_report(&mut rendered, report.as_ref())
        .is_err()
    {
        return plain(d, path);
    }
    rendered
}

/// The byte offset of a 1-based line and (character) column.
fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            return start
                + l.char_indices()
                    .nth(column.saturating_sub(1) as usize)
                    .map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
        }
        start += l.len();
    }
    text.len()
}

/// Text for a terminal: control characters from the user's YAML (`"\e[2J"`) are
/// shown as `\u{..}` instead of being obeyed.
pub fn terminal_safe(text: &str) -> String {
    // The control characters are U+0000–U+001F and U+007F–U+009F (those past
    // U+007F begin with the byte C2): a text without them, or the two
    // separators, is safe as it is.
    let plain = text.bytes().all(|b| b >= 0x20 && b != 0x7F && b != 0xC2);
    if plain && !text.contains(['\u{2028}', '\u{2029}']) {
        return text.to_string();
    }
    terminal_safe_walk(text)
}

/// `terminal_safe` a character at a time.
fn terminal_safe_walk(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // Every control character, line breaks included: a newline in a file
        // name or a value could start a line a CI log runs as a command.
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Where a TOML parse error is (line, column) and its message as one inert
/// line: the message can quote a key or a value of the file; the file's own
/// line (which toml's `Display` would draw) is never shown.
pub fn toml_problem(text: &str, e: &toml::de::Error) -> (usize, usize, String) {
    let (line, column) = e.span().map_or((1, 1), |s| {
        let mut at = s.start.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    });
    let message = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
    (line, column, terminal_safe(&message))
}

/// Source lines for a snippet: control characters other than line feeds and
/// tabs become `?` of the same byte length, so that spans keep their offsets.
fn source_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}') {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// Source text with tabs shown as `→` and full-width spaces in a line's
/// indentation as `□` (elsewhere a full-width space is ordinary Chinese text).
fn visible(text: &str) -> String {
    if !text.contains(['\t', '\u{3000}']) {
        return text.to_string();
    }
    visible_walk(text)
}

/// `visible` a character at a time.
fn visible_walk(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut indent = true;
    for c in text.chars() {
        match c {
            '\t' => out.push('→'),
            '\u{3000}' if indent => out.push('□'),
            '\n' => {
                indent = true;
                out.push(c);
            }
            ' ' => out.push(c),
            c => {
                indent = false;
                out.push(c);
            }
        }
    }
    out
}

/// A span to underline: at least one character, never past the end or inside a character.
fn underline(text: &str, offset: usize, len: usize) -> (usize, usize) {
    let mut start = offset.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + len).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end == start {
        if let Some(c) = text[start..].chars().next().filter(|c| *c != '\n') {
            end = start + c.len_utf8();
        }
    }
    (start, end - start)
}

/// Escapes a workflow-command message: `%`, CR and LF.
pub fn github_data(s: &str) -> String {
    let escaped = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    // Other control characters (ESC, BEL …) are shown, never sent to the log.
    terminal_safe(&escaped)
}

/// Escapes a workflow-command property: the message escapes plus `:` and `,`.
pub fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn github(out: &mut dyn Write, diags: &[Diagnostic], prefix: &str) -> io::Result<()> {
    for d in diags {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warn => "warning",
        };
        writeln!(
            out,
            "::{kind} file={},line={},col={},title={}::{}",
            github_property(&display_path(prefix, &d.file)),
            d.line,
            d.column,
            github_property(&format!("powerlist {}", d.rule)),
            github_data(&format!("[{}] {}", d.rule, d.message)),
        )?;
    }
    Ok(())
}

/// Percent-encodes a relative path for a URI, keeping `/` and unreserved characters.
pub fn uri_path(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                s.push(b as char)
            }
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    s
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warn => "warning",
    }
}

/// A SARIF 2.1.0 log; artifact URIs are relative to the catalogue (`uriBaseId`).
pub fn sarif(diags: &[Diagnostic], prefix: &str) -> Value {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|r| {
            let doc = r.doc();
            let level = match r.default_level() {
                Level::Error => "error",
                Level::Warn => "warning",
                Level::Off => "none",
            };
            json!({
                "id": r.name(),
                "shortDescription": { "text": doc.summary },
                "fullDescription": { "text": format!("{} {}", doc.summary, doc.why) },
                "help": { "text": r.explain() },
                "defaultConfiguration": { "level": level },
            })
        })
        .collect();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            json!({
                "ruleId": d.rule.name(),
                "ruleIndex": Rule::ALL.iter().position(|r| *r == d.rule).unwrap_or(0),
                "level": sarif_level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri_path(&d.file), "uriBaseId": "CATALOGUE" },
                        "region": { "startLine": d.line, "startColumn": d.column },
                    }
                }],
            })
        })
        .collect();
    let base = display_path(prefix, "");
    let base = if base.is_empty() || base.ends_with('/') {
        base
    } else {
        format!("{base}/")
    };
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "powerlist",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://powerlist.invalid/",
                    "rules": rules,
                }
            },
            "originalUriBaseIds": {
                "CATALOGUE": { "uri": uri_path(&base) }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes_data_and_properties() {
        assert_eq!(github_data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(github_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn terminal_output_shows_control_characters_instead_of_obeying_them() {
        // A line break of user origin could start a line a CI log obeys.
        assert_eq!(
            terminal_safe("a\u{1b}[2Jb\tc\nd"),
            "a\\u{1b}[2Jb\\u{9}c\\u{a}d"
        );
        assert_eq!(source_safe("a\u{1b}b\u{85}c\n\td"), "a?b??c\n\td");
    }

    /// The quick paths of `terminal_safe` and `visible` give what the
    /// character walks give, over texts of every control character and the
    /// characters that share a first byte with them.
    #[test]
    fn quick_paths_give_what_the_character_walk_gives() {
        let mut pieces: Vec<String> = (0u32..0x20)
            .chain(0x7F..0xA2)
            .filter_map(char::from_u32)
            .map(String::from)
            .collect();
        pieces.extend(
            [
                "审", "a", " ", "\u{3000}", "\u{2028}", "\u{2029}", "\u{2027}", "¢", "\u{3001}",
            ]
            .map(String::from),
        );
        for text in crate::diag::testing::texts(&pieces, 5, 20_000, 7) {
            assert_eq!(terminal_safe(&text), terminal_safe_walk(&text), "{text:?}");
            assert_eq!(visible(&text), visible_walk(&text), "{text:?}");
        }
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri_path("民政/a b.yaml"), "%E6%B0%91%E6%94%BF/a%20b.yaml");
    }

    #[test]
    fn offsets_come_from_character_columns() {
        let t = "a: 1\n名称: 值\n";
        assert_eq!(offset_of(t, 2, 1), 5);
        assert_eq!(offset_of(t, 2, 4), 5 + 7, "after 名称:");
        assert_eq!(offset_of(t, 9, 1), t.len());
    }

    /// Draws `d` directly and through miette at `width` and requires the same
    /// text; true when it was drawn directly. (Direct drawing is told apart by
    /// asking it of an ASCII-themed handler: miette would draw other marks.)
    fn drawn_alike(d: &Diagnostic, text: &str, width: usize) -> bool {
        let unicode = handler_for(GraphicalTheme::unicode_nocolor(), width);
        let ascii = handler_for(GraphicalTheme::none(), width);
        let by_miette = draw(&unicode, d, "目录", text, None);
        let either = draw(&ascii, d, "目录", text, Some(width));
        if either == by_miette {
            return true;
        }
        assert_eq!(
            either,
            draw(&ascii, d, "目录", text, None),
            "drawn directly otherwise than miette draws it:\n{by_miette}\nat {width} for {d:?}"
        );
        false
    }

    fn finding(message: &str, offset: usize, len: usize, severity: Severity) -> Diagnostic {
        Diagnostic {
            rule: Rule::ALL[offset % Rule::ALL.len()],
            severity,
            file: "a/民政.yaml".into(),
            line: 3,
            column: 7,
            message: message.into(),
            offset,
            len,
        }
    }

    #[test]
    fn direct_drawing_is_miettes_on_every_example_finding() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let (mut all, mut direct) = (0, 0);
        for dir in std::fs::read_dir(&root).unwrap() {
            let dir = dir.unwrap().path();
            if !dir.is_dir() {
                continue;
            }
            let Ok((cat, diags)) = crate::check_catalogue(&dir) else {
                continue;
            };
            for d in &diags {
                let text = cat
                    .files
                    .iter()
                    .find(|f| f.rel == d.file)
                    .map_or("", |f| f.text.as_str());
                for width in [60, 100, 160] {
                    all += 1;
                    direct += usize::from(drawn_alike(d, text, width));
                }
            }
        }
        assert!(all > 300, "{all} drawings");
        // Most findings are of the common shape: the test must exercise it.
        assert!(direct * 10 >= all * 9, "{direct} of {all} drawn directly");
    }

    #[test]
    fn direct_drawing_is_miettes_at_every_edge() {
        let mut text = String::new();
        for i in 0..130 {
            match i % 7 {
                0 => text.push_str("名称: 城乡居民最低生活保障对象认定\n"),
                1 => text.push_str("\u{3000}\u{3000}basis: 第十二条\n"),
                2 => text.push_str("    - id: s1\tnext: x\n"),
                3 => text.push('\n'),
                4 => text.push_str("  name: \"\u{1b}[2J 控制\r\"\n"),
                5 => text.push_str("  emoji: 👍🏽 é ｗｉｄｅ\n"),
                _ => text.push_str(&"x".repeat(i)),
            }
        }
        let fitting = "第".repeat(46); // 92 columns: fits 100 after "  ⚠ " exactly
        let messages = [
            "short",
            " padded ",
            fitting.as_str(),
            "第一 second",
            &"长".repeat(47),
            "a  b",
        ];
        let (mut all, mut direct) = (0, 0);
        let boundaries: Vec<usize> = (0..text.len())
            .filter(|&i| text.is_char_boundary(i))
            .step_by(3)
            .collect();
        for (k, &offset) in boundaries.iter().enumerate() {
            for len in [0, 1, 2, 5, 40] {
                let message = messages[(k + len) % messages.len()];
                let severity = if k % 2 == 0 {
                    Severity::Warn
                } else {
                    Severity::Error
                };
                let d = finding(message, offset, len, severity);
                for width in [60, 100] {
                    all += 1;
                    direct += usize::from(drawn_alike(&d, &text, width));
                }
            }
        }
        assert!(direct * 2 > all, "{direct} of {all} drawn directly");
        assert!(direct < all, "some shapes go to miette");
    }

    #[test]
    fn underline_stays_on_char_boundaries() {
        let t = "名称: 值\n";
        assert_eq!(underline(t, 0, 0), (0, 3));
        assert_eq!(underline(t, 1, 1), (0, 3));
        assert_eq!(underline(t, 100, 5), (t.len(), 0));
    }
}
