//! Walk a catalogue folder, read each YAML file, and parse it into a `Power`.
//!
//! Problems in the user's files become findings (`yaml-syntax`, `schema`,
//! `duplicate-key`); only a catalogue that cannot be read at all is an error.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use rayon::prelude::*;
use serde::de::IgnoredAny;
use serde_saphyr::Error as YamlError;

pub mod events;
pub mod ime;
mod scan;
pub mod suggest;

use crate::diag::rules::Rule;
use crate::diag::Finding;
use crate::diag::Pos;
use crate::model::Power;

/// The folder at a catalogue's root that holds its own procedures for `new`
/// and `import` (`crate::law::procedure`): power-shaped files that are not powers.
pub const PROCEDURES_DIR: &str = "procedures";

thread_local! {
    /// Each reading thread's buffer for a file's bytes (`read_file_with`).
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Files larger than this are not parsed (a power is a few kilobytes).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A file's bytes, or `None` when it holds more than `MAX_FILE_BYTES`: never
/// more than that is read, whatever the file claims its size to be.
pub fn read_bounded(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= MAX_FILE_BYTES).then_some(bytes))
}

#[derive(Debug)]
pub struct Catalogue {
    pub root: PathBuf,
    /// Sorted by `rel`.
    pub files: Vec<SourceFile>,
}

#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the catalogue root, `/`-separated.
    pub rel: String,
    /// The text as read (without a BOM); empty when the file could not be decoded.
    pub text: String,
    pub power: Loaded,
}

#[derive(Debug)]
pub enum Loaded {
    Ok(Box<Power>),
    /// The file could not be turned into a power; these findings say why.
    Failed(Vec<Finding>),
    /// Parsed and checked, then dropped to keep memory flat (`check_streaming`).
    Released,
}

impl Catalogue {
    /// The powers that parsed, with their files.
    pub fn powers(&self) -> impl Iterator<Item = (&SourceFile, &Power)> {
        self.files.iter().filter_map(|f| match &f.power {
            Loaded::Ok(p) => Some((f, p.as_ref())),
            Loaded::Failed(_) | Loaded::Released => None,
        })
    }
}

/// Reads every `*.yaml` / `*.yml` below `root`.
pub fn load_catalogue(root: &Path) -> anyhow::Result<Catalogue> {
    let paths = find_yaml_files(root)?;
    let mut files: Vec<SourceFile> = paths
        .into_par_iter()
        .map(|(path, rel)| read_file(&path, rel))
        .collect::<anyhow::Result<_>>()?;
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(Catalogue {
        root: root.to_path_buf(),
        files,
    })
}

/// Settings and template files are small: a larger one is refused unread.
const MAX_SETTINGS_BYTES: u64 = 1024 * 1024;

/// Reads a settings or template file named relative to the catalogue: a regular file that
/// lies inside the catalogue (after links are resolved), at most 1 MiB. `None`
/// when it does not exist. A device, a FIFO or a link out of the catalogue is an
/// error, never read.
pub fn read_catalogue_file(root: &Path, rel: &str) -> anyhow::Result<Option<String>> {
    use std::io::Read as _;
    let path = root.join(rel);
    let target = match std::fs::canonicalize(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("无法读取 {}", path.display())),
    };
    let root =
        std::fs::canonicalize(root).with_context(|| format!("无法读取目录 {}", root.display()))?;
    if !target.starts_with(&root) {
        bail!(
            "{} 指向职权目录以外的文件，拒绝读取 (settings must stay inside the catalogue)",
            path.display()
        );
    }
    let meta =
        std::fs::metadata(&target).with_context(|| format!("无法读取 {}", path.display()))?;
    if !meta.is_file() {
        bail!(
            "{} 不是普通文件，拒绝读取 (not a regular file)",
            path.display()
        );
    }
    if meta.len() > MAX_SETTINGS_BYTES {
        bail!(
            "{} 过大 ({} 字节，上限 {MAX_SETTINGS_BYTES}) (settings file too large)",
            path.display(),
            meta.len()
        );
    }
    let mut text = String::new();
    std::fs::File::open(&target)
        .and_then(|f| f.take(MAX_SETTINGS_BYTES).read_to_string(&mut text))
        .with_context(|| format!("无法读取 {} (UTF-8 text expected)", path.display()))?;
    Ok(Some(text))
}

/// A path's place in the catalogue, `/`-separated.
pub(crate) fn rel_of(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A symbolic link whose target does not exist.
fn is_dangling_link(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()) && !p.exists()
}

/// Every `*.yaml` / `*.yml` below `root` with its `/`-separated relative path.
pub(crate) fn find_yaml_files(root: &Path) -> anyhow::Result<Vec<(PathBuf, String)>> {
    let meta = std::fs::metadata(root)
        .with_context(|| format!("无法读取目录 {} (cannot read catalogue)", root.display()))?;
    if !meta.is_dir() {
        bail!("{} 不是目录 (catalogue must be a folder)", root.display());
    }
    let canonical_root = root
        .canonicalize()
        .with_context(|| format!("无法读取目录 {}", root.display()))?;
    let canonical_root = canonical_root.as_path();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if e.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            // The catalogue's own procedures for `new` and `import` are not powers.
            if e.depth() == 1 && e.file_name() == PROCEDURES_DIR {
                return false;
            }
            // Symlinks are followed only while they stay inside the catalogue.
            !e.path_is_symlink()
                || e.path()
                    .canonicalize()
                    .is_ok_and(|t| t.starts_with(canonical_root))
        });
    let mut out = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) if e.loop_ancestor().is_some() => continue,
            // A link to nothing (an editor's `.#lock` link, a moved file): skipped
            // like any hidden or non-YAML entry; a `*.yaml` one is reported.
            Err(e) if e.path().is_some_and(is_dangling_link) => {
                let p = e.path().unwrap_or(root);
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                let hidden = name.as_deref().is_none_or(|n| n.starts_with('.'));
                let yaml = p.extension().is_some_and(|x| x == "yaml" || x == "yml");
                let inside_hidden = p.strip_prefix(root).ok().is_some_and(|r| {
                    r.components()
                        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
                });
                if yaml && !hidden && !inside_hidden {
                    out.push((p.to_path_buf(), rel_of(root, p)));
                }
                continue;
            }
            Err(e) => {
                let at = e.path().unwrap_or(root).display().to_string();
                return Err(anyhow::Error::new(e))
                    .with_context(|| format!("无法读取 {at} (cannot read folder)"));
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let is_yaml = entry
            .path()
            .extension()
            .is_some_and(|x| x == "yaml" || x == "yml");
        if !is_yaml {
            continue;
        }
        out.push((entry.path().to_path_buf(), rel_of(root, entry.path())));
    }
    Ok(out)
}

pub(crate) fn read_file(path: &Path, rel: String) -> anyhow::Result<SourceFile> {
    read_file_with(path, rel, &|_| None)
}

/// `read_file`, asking `known` of the file's bytes first: when it says they
/// are known (the check cache holds their findings), nothing is parsed
/// (`Loaded::Released`), and the text is kept only if `known` says it is
/// wanted (`Some(true)`: there are findings to show in it).
pub(crate) fn read_file_with(
    path: &Path,
    rel: String,
    known: &dyn Fn(&[u8]) -> Option<bool>,
) -> anyhow::Result<SourceFile> {
    let failed = |text: String, f: Finding| SourceFile {
        rel: rel.clone(),
        text,
        power: Loaded::Failed(vec![f]),
    };
    if is_dangling_link(path) {
        return Ok(failed(
            String::new(),
            Finding::new(
                Rule::YamlSyntax,
                Pos::START,
                "这是一个符号链接，它指向的文件不存在 (dangling symbolic link)",
            ),
        ));
    }
    let size = std::fs::metadata(path)
        .with_context(|| format!("无法读取 {}", path.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        return Ok(failed(
            String::new(),
            Finding::new(
                Rule::YamlSyntax,
                Pos::START,
                format!(
                    "文件过大（{size} 字节，上限 {MAX_FILE_BYTES}）：一个文件只应写一项职权 (file too large)"
                ),
            ),
        ));
    }
    let read = read_into_buffer(path, known);
    let read = read.with_context(|| format!("无法读取 {}", path.display()))?;
    if read == Some(Some(false)) {
        return Ok(SourceFile {
            rel,
            text: String::new(),
            power: Loaded::Released,
        });
    }
    let Some(cached) = read else {
        return Ok(failed(
            String::new(),
            Finding::new(
                Rule::YamlSyntax,
                Pos::START,
                format!(
                    "文件过大（上限 {MAX_FILE_BYTES} 字节）：一个文件只应写一项职权 (file too large)"
                ),
            ),
        ));
    };
    // Checked where it was read, then copied once (as the bytes were).
    let checked = BUFFER.with_borrow(|b| match simdutf8::basic::from_utf8(b) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => Err(b.clone()),
    });
    let text = match checked.or_else(String::from_utf8) {
        Ok(t) => t,
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let good = String::from_utf8_lossy(good);
            let line = good.matches('\n').count() as u32 + 1;
            let column = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            let pos = Pos {
                line,
                column,
                offset: good.len(),
                len: 0,
            };
            return Ok(failed(
                String::new(),
                Finding::new(
                    Rule::YamlSyntax,
                    pos,
                    "文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8 (file is not valid UTF-8)",
                ),
            ));
        }
    };
    let text = without_bom(text);
    if cached.is_some() {
        return Ok(SourceFile {
            rel,
            text,
            power: Loaded::Released,
        });
    }
    let power = match parse_power(&text) {
        Ok(p) => Loaded::Ok(Box::new(p)),
        Err(f) => Loaded::Failed(vec![f]),
    };
    Ok(SourceFile { rel, text, power })
}

/// Reads a file into this thread's buffer and asks `known` of its bytes;
/// `None` when it holds more than `MAX_FILE_BYTES`. A file the cache knows
/// and whose text is not wanted so costs no allocation (fresh memory is
/// zeroed page by page: a third of a warm re-check once).
fn read_into_buffer(
    path: &Path,
    known: &dyn Fn(&[u8]) -> Option<bool>,
) -> std::io::Result<Option<Option<bool>>> {
    use std::io::Read as _;
    BUFFER.with_borrow_mut(|buf| {
        buf.clear();
        std::fs::File::open(path)?
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(buf)?;
        if buf.len() as u64 > MAX_FILE_BYTES {
            return Ok(None);
        }
        Ok(Some(known(buf)))
    })
}

/// A file's text without the byte-order mark some Windows editors write.
pub(crate) fn without_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    }
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
    }
}

/// Parses one power; a failure is the one finding that explains it. The fast
/// path (`events`) reads it, or hands it to serde-saphyr (`parse_power_serde`).
pub fn parse_power(text: &str) -> Result<Power, Finding> {
    parse_power_events(text)
}

/// Parses one power: the fast path over granit-parser's events, or
/// serde-saphyr's for what it hands back (every failure among them).
pub fn parse_power_events(text: &str) -> Result<Power, Finding> {
    match events::parse_fast(text) {
        Ok(p) => Ok(p),
        Err(_) => parse_power_serde(text),
    }
}

/// Parses one power through serde-saphyr (the old path, and the one that
/// explains every failure of the fast one in `events`).
pub fn parse_power_serde(text: &str) -> Result<Power, Finding> {
    match serde_saphyr::from_str_with_options::<Power>(text, options()) {
        Ok(mut p) => {
            p.fix_locations();
            Ok(p)
        }
        Err(e) => {
            let finding = finding_of(&e, text);
            // An input-method slip is the likely cause, named by its character.
            if let Some(slip) = crate::load::ime::structural(text).into_iter().next() {
                return Err(slip);
            }
            if finding.rule == Rule::Schema {
                // A type error can hide broken YAML further on: report the syntax first.
                if let Err(syntax) =
                    serde_saphyr::from_str_with_options::<IgnoredAny>(text, options())
                {
                    let f = finding_of(&syntax, text);
                    if f.rule != Rule::Schema {
                        return Err(f);
                    }
                }
            }
            Err(finding)
        }
    }
}

/// Translates a parser error into a finding with a rule, a position and a message.
fn finding_of(e: &YamlError, text: &str) -> Finding {
    let pos = e
        .location()
        .map_or(Pos::START, |l| Pos::of(&crate::model::Location::of(&l)));
    let element = element_at(text, pos);
    let e = e.without_snippet();
    let (rule, message) = match e {
        YamlError::DuplicateMappingKey { key, .. } => (
            Rule::DuplicateKey,
            format!(
                "重复的键 `{}`: 同一映射中只能出现一次 (duplicate key)",
                key.as_deref().unwrap_or("?")
            ),
        ),
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => (Rule::Schema, unknown_key(field, expected)),
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => (Rule::Schema, bad_value(&element, variant, expected)),
        YamlError::SerdeMissingField { field, .. } => (
            Rule::Schema,
            match crate::model::element_name(field) {
                Some(zh) => format!("缺少必填的{zh} `{field}`"),
                None => format!("缺少必填的键 `{field}`"),
            },
        ),
        YamlError::InvalidBooleanStrict { .. } => {
            (Rule::Schema, not_a_boolean(&element, text, pos))
        }
        YamlError::NullIntoString { .. } => (
            Rule::Schema,
            "此处不能为空 (a value is required here)".to_string(),
        ),
        YamlError::Unexpected { expected, .. } => (
            Rule::Schema,
            format!("{element}应为{}", translate_expected(expected)),
        ),
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => (
            Rule::Schema,
            format!(
                "{element}应为{}，这里写的是{}",
                translate_expected(expected),
                translate_unexpected(unexpected)
            ),
        ),
        YamlError::InvalidScalar { ty, .. } => (
            Rule::Schema,
            format!(
                "{element}应为{}，这里写的是「{}」",
                translate_expected(ty),
                value_at(text, pos)
            ),
        ),
        YamlError::Message { msg, .. } => (Rule::Schema, msg.clone()),
        YamlError::SerdeInvalidLength { .. }
        | YamlError::InvalidCharNull { .. }
        | YamlError::InvalidCharNotSingleScalar { .. }
        | YamlError::UnexpectedValueForUnit { .. }
        | YamlError::NonFiniteFloat { .. }
        | YamlError::QuotingRequired { .. } => (Rule::Schema, plain_message(e)),
        YamlError::MultipleDocuments { .. } => (
            Rule::YamlSyntax,
            "一个文件只能写一项职权，不能有多个 YAML 文档 (`---`) (one power per file)".to_string(),
        ),
        YamlError::Budget { .. } => (
            Rule::YamlSyntax,
            format!(
                "文件过于复杂，超出解析限制 (limit exceeded): {}",
                plain_message(e)
            ),
        ),
        _ => (Rule::YamlSyntax, syntax_zh(&plain_message(e))),
    };
    Finding::new(rule, pos, message)
}

/// 「未知的键 `timelimit`，是不是 `time_limit`（时限）？…」
fn unknown_key(field: &str, expected: &[&'static str]) -> String {
    let near = crate::load::suggest::nearest(field, expected.iter().copied())
        .or_else(|| chinese_key(field, expected));
    let hint = match near {
        Some(k) => match crate::model::element_name(k) {
            Some(zh) => format!("，是不是 `{k}`（{zh}）？"),
            None => format!("，是不是 `{k}`？"),
        },
        None => String::new(),
    };
    format!(
        "未知的键 `{field}`{hint}{}此处可用的键：{}",
        crate::load::suggest::then(&hint),
        expected.join(", ")
    )
}

/// The key a Chinese key stands for: what the table headers `import` reads
/// call it (承办机构, 承办科室 → `office`; 职权依据 → `basis`), else the key
/// whose Chinese name is nearest (承办岗 → `owner`).
fn chinese_key(field: &str, expected: &[&'static str]) -> Option<&'static str> {
    if field.is_ascii() {
        return None;
    }
    let names: Vec<(&'static str, &'static str)> = expected
        .iter()
        .filter_map(|k| crate::model::element_name(k).map(|zh| (zh, *k)))
        .collect();
    let field = field.trim();
    if let Some(col) = crate::model::columns::Column::from_header(field) {
        // The table's header, or the key whose name it ends with (职权名称, 名称).
        let header = col.header();
        let named = names
            .iter()
            .find(|(zh, _)| *zh == header)
            .or_else(|| names.iter().find(|(zh, _)| header.ends_with(zh)))
            .or_else(|| {
                TABLE_KEYS
                    .iter()
                    .find(|(h, _)| *h == header)
                    .and_then(|(_, k)| names.iter().find(|(_, key)| key == k))
            });
        if let Some((_, k)) = named {
            return Some(k);
        }
    }
    let near = crate::load::suggest::nearest(field, names.iter().map(|(zh, _)| *zh))?;
    names.iter().find(|(zh, _)| *zh == near).map(|(_, k)| *k)
}

/// Table headers whose key's own Chinese name is another word.
const TABLE_KEYS: [(&str, &str); 3] = [
    ("权力来源", "source"),
    ("投诉举报途径", "complaints"),
    ("实施主体", "department"),
];

/// 「步骤角色 `role` 的取值 `申情` 无效，是不是 `申请`？…」
fn bad_value(element: &str, variant: &str, expected: &[&'static str]) -> String {
    let hint = crate::load::suggest::did_you_mean(variant, expected.iter().copied());
    format!(
        "{element}的取值 `{variant}` 无效{hint}{}可选：{}",
        crate::load::suggest::then(&hint),
        expected.join(" | ")
    )
}

/// 「份数 `copies` 」: the element whose value is at `pos`, for a message.
fn element_at(text: &str, pos: Pos) -> String {
    let line = text
        .lines()
        .nth(pos.line.saturating_sub(1) as usize)
        .unwrap_or("");
    let body = line.trim_start();
    let body = body.strip_prefix("- ").unwrap_or(body);
    let key = body.split(':').next().unwrap_or("");
    match crate::model::element_name(key) {
        Some(zh) if body.len() > key.len() => format!("{zh} `{key}` "),
        _ => "此处".to_string(),
    }
}

/// 「是否公开 `public` 应写 true（是）或 false（否），不能写 `是`…」
fn not_a_boolean(element: &str, text: &str, pos: Pos) -> String {
    let value = value_at(text, pos);
    if value.is_empty() || value == ":" {
        format!(
            "{element}应写 true（是）或 false（否），不能留空：空值不等于未填写 (expected true or false)"
        )
    } else {
        format!(
            "{element}应写 true（是）或 false（否），不能写 `{value}`：「是/否」「yes/no」都不是真假值 (expected true or false)"
        )
    }
}

/// The value written at `pos`, up to the line's end or a comment.
fn value_at(text: &str, pos: Pos) -> String {
    let line = text
        .lines()
        .nth(pos.line.saturating_sub(1) as usize)
        .unwrap_or("");
    let from = line
        .char_indices()
        .nth(pos.column.saturating_sub(1) as usize)
        .map_or(line.len(), |(b, _)| b);
    line[from..]
        .split(" #")
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

/// A YAML syntax error as the parser says it, explained in Chinese with the
/// usual cause and fix; the parser's own words follow in brackets.
fn syntax_zh(english: &str) -> String {
    const CAUSES: &[(&str, &str)] = &[
        (
            "mapping values are not allowed",
            "这里不能再写「键: 值」：多半是一行里有两个「: 」（值里有冒号时请给整个值加引号），或这一行的缩进比上一行多",
        ),
        (
            "did not find expected key",
            "缩进没有对齐：同一层的键要从同一列开始（只用空格缩进）",
        ),
        (
            "did not find expected '-'",
            "列表没有对齐：同一列表的各项 `- ` 要从同一列开始",
        ),
        (
            "unclosed bracket",
            "方括号没有闭合：`[` 与 `]` 要成对，项与项之间用半角逗号",
        ),
        (
            "did not find expected ',' or ']'",
            "方括号中的列表写错了：项与项之间用半角逗号「,」，最后以 `]` 结束",
        ),
        (
            "quoted scalar",
            "引号没有闭合，或引号里的续行缩进不够：值开头的引号要在值的末尾再写一次",
        ),
        (
            "unexpected end of stream",
            "文件在一个值的中间结束了：多半是引号或括号没有闭合",
        ),
        (
            "unexpected character",
            "这个字符不能作为值的开头（如 `@`、`` ` ``、`%`）：请给整个值加引号",
        ),
        (
            "cannot start any token",
            "这个字符不能作为值的开头（如 `@`、`` ` ``、`%`）：请给整个值加引号",
        ),
        (
            "unknown anchor",
            "以 `*` 开头的值在 YAML 里是引用（别名），这里没有对应的 `&` 锚点：如果是文字，请给值加引号",
        ),
        (
            "illegal placement of ':'",
            "冒号「:」出现在不该出现的地方：多半是前面的方括号或引号没有闭合，或值里有冒号而没有给整个值加引号",
        ),
        (
            "found a tab",
            "这里有制表符（Tab）：YAML 只能用空格缩进，值与值之间也请用空格",
        ),
    ];
    match CAUSES.iter().find(|(en, _)| english.contains(en)) {
        Some((_, zh)) => format!("{zh}（{english}）"),
        None => format!("YAML 语法错误：{english}"),
    }
}

/// What the parser expected, in the words of the catalogue's format.
fn translate_expected(expected: &str) -> String {
    let e = expected.trim_start_matches("a ").trim_start_matches("an ");
    match e {
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize"
        | "integer" => "整数（阿拉伯数字，如 `2`）".to_string(),
        "f32" | "f64" | "float" => "数字（如 `2.5`）".to_string(),
        "bool" | "boolean" => "`true` 或 `false`".to_string(),
        "mapping start" | "map" => "映射（`键: 值`）".to_string(),
        "sequence start" | "sequence" | "list" => "列表（`- 项` 或 `[甲, 乙]`）".to_string(),
        "string scalar" | "string" | "str" => "文本".to_string(),
        e if e.starts_with("struct ") => "映射（`键: 值`）".to_string(),
        e if e.starts_with("sequence") => "列表（`- 项` 或 `[甲, 乙]`）".to_string(),
        _ => format!("`{expected}`"),
    }
}

/// What was found instead, in the same words.
fn translate_unexpected(found: &str) -> String {
    match found.split(' ').next().unwrap_or("") {
        "sequence" => "列表".to_string(),
        "map" => "映射（`键: 值`）".to_string(),
        "unit" | "null" => "空值".to_string(),
        "boolean" => format!("布尔值 {}", found.trim_start_matches("boolean ")),
        "integer" | "floating" => format!("数字 {}", found.split(' ').next_back().unwrap_or("")),
        "string" => format!("文本 {}", found.trim_start_matches("string ")),
        _ => format!("`{found}`"),
    }
}

/// The parser's message without its trailing " at line L, column C".
fn plain_message(e: &YamlError) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(text: &str) -> Finding {
        parse_power(text).expect_err(text)
    }

    #[test]
    fn unknown_key_is_a_schema_error_at_the_key() {
        let f = fail("code: A\ntimelimit: 3\n");
        assert_eq!((f.rule, f.pos.line, f.pos.column), (Rule::Schema, 2, 1));
        assert!(f.message.contains("timelimit"), "{}", f.message);
    }

    #[test]
    fn duplicate_key_points_at_the_second() {
        let f = fail("code: A\nname: x\ncode: B\n");
        assert_eq!((f.rule, f.pos.line), (Rule::DuplicateKey, 3));
    }

    #[test]
    fn no_is_not_false() {
        let f = fail("disclosure:\n  public: no\n");
        assert_eq!((f.rule, f.pos.line, f.pos.column), (Rule::Schema, 2, 11));
    }

    #[test]
    fn broken_yaml_is_a_syntax_error_even_behind_a_type_error() {
        assert_eq!(fail("code: [1\n").rule, Rule::YamlSyntax);
        assert_eq!(fail("code: a\n  name: b\n- x").rule, Rule::YamlSyntax);
        assert_eq!(fail("a: &a [*a, *b]\n").rule, Rule::YamlSyntax);
    }

    #[test]
    fn a_list_at_the_top_is_a_schema_error() {
        assert_eq!(fail("- a\n- b\n").rule, Rule::Schema);
    }

    #[test]
    fn next_forms_keep_their_lines() {
        let p = parse_power(
            "steps:\n  - id: a\n    next: b\n  - id: b\n    next: [c, d]\n  - id: c\n    next:\n      - to: e\n        when: 是\n",
        )
        .expect("parses");
        let lines: Vec<Vec<u32>> = p
            .steps()
            .iter()
            .map(|s| {
                s.value
                    .edges()
                    .iter()
                    .map(|e| e.to.referenced.line())
                    .collect()
            })
            .collect();
        assert_eq!(lines, vec![vec![3], vec![5, 5], vec![8]]);
        let p = parse_power("steps:\n  - id: a\n    next: {to: b, back: true}\n").expect("parses");
        let e = &p.steps()[0].value.edges()[0];
        assert_eq!(
            (e.to.value.as_str(), e.back, e.to.referenced.line()),
            ("b", true, 3)
        );
        assert_eq!(
            fail("steps:\n  - id: a\n    next: {to: b, bak: true}\n")
                .pos
                .line,
            3
        );
    }

    #[test]
    fn hostile_inputs_never_panic() {
        let deep = "[".repeat(100_000);
        let billion = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";
        for text in [
            deep.as_str(),
            billion,
            "\t",
            ":",
            "? ? ?",
            "!!binary x",
            "code: !x y",
            "&a",
        ] {
            let _ = parse_power(text);
        }
    }
}
