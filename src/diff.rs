//! `powerlist diff OLD NEW` (SPEC §6): the 动态调整 between two versions of a
//! catalogue — powers added (新增), removed (取消), renamed (编码变更) and
//! changed (变更), each change with its element's old and new value.
//!
//! A side is a folder, or `REV:PATH` read from git — the objects themselves,
//! with `git ls-tree` and `git cat-file` (the git on the machine, 2.24 or
//! later: no git library is linked) — into a fresh temporary folder.

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Read as _, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use anyhow::{bail, Context as _};
use serde::Serialize;

use crate::config::Settings;
use crate::load::{load_catalogue, Loaded};
use crate::model::columns::Column;
use crate::model::{Power, Step};
use crate::render::table;

/// A power as the diff compares it: each element as text.
#[derive(Debug, Clone)]
struct Snapshot {
    code: String,
    name: String,
    /// (field, value) in SPEC §6's order; steps as `steps.<id>`.
    fields: Vec<(String, String)>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Named {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Renamed {
    pub old: String,
    pub new: String,
    pub name: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Changed {
    pub code: String,
    pub name: String,
    pub changes: Vec<Change>,
}

/// What changed between two catalogues, each list in code order.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Diff {
    pub added: Vec<Named>,
    pub removed: Vec<Named>,
    pub renamed: Vec<Renamed>,
    pub changed: Vec<Changed>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.changed.is_empty()
    }
}

/// One side, read: a folder, or a git revision extracted into a temporary
/// folder (removed when dropped).
pub struct Side {
    pub label: String,
    root: PathBuf,
    _tmp: Option<tempfile::TempDir>,
}

impl Side {
    /// `spec` is a folder, or `REV:PATH` when no such folder exists.
    pub fn open(spec: &str) -> anyhow::Result<Side> {
        let path = Path::new(spec);
        if path.is_dir() {
            return Ok(Side {
                label: spec.to_string(),
                root: path.to_path_buf(),
                _tmp: None,
            });
        }
        let Some((rev, _)) = spec.split_once(':') else {
            bail!(
                "{} 不是文件夹，也不是 `版本:路径`（如 HEAD~1:catalogue）",
                safe(spec)
            );
        };
        if rev.is_empty() {
            bail!("{}：缺少 git 版本（如 HEAD~1:catalogue）", safe(spec));
        }
        // git would read it as one of its options (`--output=FILE` writes FILE).
        if rev.starts_with('-') {
            bail!(
                "{}：git 版本不能以 - 开头 (a revision never starts with -)",
                safe(spec)
            );
        }
        // A fresh folder of an unguessable name, made here (never one that
        // exists: another user could have planted it), readable by us alone.
        let tmp = tempfile::Builder::new()
            .prefix("powerlist-diff-")
            .tempdir()
            .context("无法创建临时文件夹 (cannot create a temporary folder)")?;
        extract(spec, tmp.path())?;
        Ok(Side {
            label: spec.to_string(),
            root: tmp.path().to_path_buf(),
            _tmp: Some(tmp),
        })
    }
}

/// The most a revision may hold, checked on git's listing before anything is
/// read and again on every object read: per file, the loader's own cap.
pub const MAX_REVISION_FILE_BYTES: u64 = crate::load::MAX_FILE_BYTES;
/// All the files of a revision together (a 10,000-power catalogue is ~50 MB).
pub const MAX_REVISION_BYTES: u64 = 256 * 1024 * 1024;
/// Files and links in a revision.
pub const MAX_REVISION_FILES: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Limits {
    file: u64,
    total: u64,
    files: usize,
}

const LIMITS: Limits = Limits {
    file: MAX_REVISION_FILE_BYTES,
    total: MAX_REVISION_BYTES,
    files: MAX_REVISION_FILES,
};

/// One file of a revision's tree as `git ls-tree -r -l` lists it.
struct TreeEntry {
    link: bool,
    oid: String,
    size: u64,
    /// Its place below the side's folder: plain components only.
    rel: PathBuf,
    /// As git wrote it, for messages.
    shown: String,
}

/// Reads the tree `REV:PATH` into `dir`, exactly as committed: the objects
/// themselves (`git ls-tree` and `git cat-file --batch`), so `.gitattributes`
/// cannot hide a file (`export-ignore`) or rewrite one (`export-subst`) as
/// `git archive` would; streamed to disk, never held whole in memory.
fn extract(spec: &str, dir: &Path) -> anyhow::Result<()> {
    extract_with(Path::new("."), spec, dir, LIMITS)
}

/// `extract`, git run in `repo`.
fn extract_with(repo: &Path, spec: &str, dir: &Path, limits: Limits) -> anyhow::Result<()> {
    let entries = list_tree(repo, spec, limits)?;
    let (links, files): (Vec<&TreeEntry>, Vec<&TreeEntry>) = entries.iter().partition(|e| e.link);
    let mut objects = Objects::start(repo)?;
    for e in files {
        let path = prepare(dir, e)?;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("无法写入 {}", safe(&path.display().to_string())))?;
        objects
            .copy(e, limits, &mut file)
            .with_context(|| format!("无法从 git 读取 {}", safe(&e.shown)))?;
    }
    // Links last, once every file is written: nothing is ever written through one.
    for e in links {
        let mut target = Vec::new();
        objects
            .copy(e, limits, &mut target)
            .with_context(|| format!("无法从 git 读取 {}", safe(&e.shown)))?;
        let path = prepare(dir, e)?;
        make_link(&target, &path)?;
    }
    objects.finish()
}

fn safe(s: &str) -> String {
    crate::report::terminal_safe(s)
}

/// git's complaint as one bounded, inert line, after what it means in
/// Chinese when it is one of the common ones.
fn git_reason(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(300)
        .collect();
    match git_zh(&line.to_lowercase()) {
        Some(zh) => format!("{zh}（git：{}）", safe(&line)),
        None => safe(&line),
    }
}

/// What git's common complaints mean, in Chinese.
fn git_zh(line: &str) -> Option<&'static str> {
    const KNOWN: [(&str, &str); 8] = [
        (
            "not a git repository",
            "这里不是 git 仓库：请在职权目录仓库中运行，或写出另一边的文件夹",
        ),
        (
            "dubious ownership",
            "git 拒绝读取属于其他用户的仓库（见 git config safe.directory）",
        ),
        (
            "does not exist in",
            "该版本中没有这个路径：请核对冒号后的文件夹名",
        ),
        (
            "exists on disk, but not in",
            "该版本中没有这个路径：这个文件夹尚未提交",
        ),
        (
            "ambiguous argument",
            "没有这个版本：请核对分支、标签或提交的名称",
        ),
        (
            "unknown revision",
            "没有这个版本：请核对分支、标签或提交的名称",
        ),
        (
            "not a valid object name",
            "没有这个版本或路径：请核对分支、标签、提交的名称和冒号后的文件夹名",
        ),
        (
            "not a tree object",
            "这不是一个文件夹：冒号后应写职权目录所在的文件夹",
        ),
    ];
    KNOWN
        .iter()
        .find(|(en, _)| line.contains(en))
        .map(|(_, zh)| *zh)
}

/// git with its stderr read on a thread (bounded), so that it never blocks on it.
fn spawn_git(
    repo: &Path,
    args: &[&str],
) -> anyhow::Result<(Child, std::thread::JoinHandle<Vec<u8>>)> {
    let mut child = Command::new("git")
        .args(args)
        .current_dir(repo)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("无法运行 git（需要安装 git 才能读取 `版本:路径`）")?;
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut kept = Vec::new();
        if let Some(mut s) = stderr {
            let _ = (&mut s).take(64 * 1024).read_to_end(&mut kept);
            let _ = std::io::copy(&mut s, &mut std::io::sink());
        }
        kept
    });
    Ok((child, reader))
}

/// Every file and link of the tree `spec`, checked against `limits` as
/// git lists them (a refused revision is never read).
fn list_tree(repo: &Path, spec: &str, limits: Limits) -> anyhow::Result<Vec<TreeEntry>> {
    let args = [
        "ls-tree",
        "-r",
        "-z",
        "-l",
        "--full-tree",
        "--end-of-options",
        spec,
    ];
    let (mut child, errors) = spawn_git(repo, &args)?;
    drop(child.stdin.take());
    let listed = read_listing(&mut child, spec, limits);
    if listed.is_err() {
        let _ = child.kill();
    }
    let status = child.wait().context("git ls-tree 失败")?;
    let why = errors.join().unwrap_or_default();
    if !status.success() && listed.is_ok() {
        let mut reason = git_reason(&why);
        // git says the same of a missing revision and of a missing path in
        // one: which it is, git says when asked of the revision alone.
        if let Some((rev, _)) = spec.split_once(':') {
            if reason.starts_with("没有这个版本或路径") {
                let zh = if revision_exists(repo, rev) {
                    "该版本中没有这个路径：请核对冒号后的文件夹名"
                } else {
                    "没有这个版本：请核对分支、标签或提交的名称"
                };
                reason = reason.replacen(
                    "没有这个版本或路径：请核对分支、标签、提交的名称和冒号后的文件夹名",
                    zh,
                    1,
                );
            }
        }
        bail!("无法从 git 读取 {}：{}", safe(spec), reason);
    }
    listed
}

/// Whether `rev` names a commit of the repository.
fn revision_exists(repo: &Path, rev: &str) -> bool {
    let commit = format!("{rev}^{{commit}}");
    Command::new("git")
        .args([
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &commit,
        ])
        .current_dir(repo)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn read_listing(child: &mut Child, spec: &str, limits: Limits) -> anyhow::Result<Vec<TreeEntry>> {
    let Some(stdout) = child.stdout.take() else {
        bail!("git ls-tree 失败");
    };
    let mut reader = BufReader::new(stdout);
    let (mut out, mut total) = (Vec::new(), 0u64);
    loop {
        let mut record = Vec::new();
        // A record is mode, type, id, size and a path: far below this.
        (&mut reader)
            .take(64 * 1024)
            .read_until(0, &mut record)
            .context("git ls-tree 失败")?;
        if record.is_empty() {
            return Ok(out);
        }
        let Some(entry) = parse_entry(record.strip_suffix(&[0]).unwrap_or(&record))? else {
            continue;
        };
        if entry.size > limits.file {
            bail!(
                "{} 中的 {} 过大（{} 字节，每个文件上限 {} 字节）(file too large)",
                safe(spec),
                safe(&entry.shown),
                entry.size,
                limits.file
            );
        }
        total += entry.size;
        if total > limits.total {
            bail!(
                "{} 的文件合计超过 {} 字节，不予读取 (revision too large)",
                safe(spec),
                limits.total
            );
        }
        out.push(entry);
        if out.len() > limits.files {
            bail!(
                "{} 的文件超过 {} 个，不予读取 (revision has too many files)",
                safe(spec),
                limits.files
            );
        }
    }
}

/// `<mode> <type> <id> <size>\t<path>`; `None` for what is not a file or a
/// link (a submodule).
fn parse_entry(record: &[u8]) -> anyhow::Result<Option<TreeEntry>> {
    let bad = || anyhow::anyhow!("git ls-tree 的输出无法识别 (unexpected git output)");
    let tab = record.iter().position(|&b| b == b'\t').ok_or_else(bad)?;
    let head = std::str::from_utf8(&record[..tab]).map_err(|_| bad())?;
    let path = &record[tab + 1..];
    let fields: Vec<&str> = head.split_whitespace().collect();
    let [mode, kind, oid, size] = fields[..] else {
        return Err(bad());
    };
    if kind != "blob" {
        return Ok(None);
    }
    if !oid.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let shown = String::from_utf8_lossy(path).into_owned();
    Ok(Some(TreeEntry {
        link: mode == "120000",
        oid: oid.to_string(),
        size: size.parse().map_err(|_| bad())?,
        rel: plain_path(path).ok_or_else(|| {
            anyhow::anyhow!("git 版本中的路径 {} 无法使用 (unusable path)", safe(&shown))
        })?,
        shown,
    }))
}

/// A path of plain components: never absolute, never `.` or `..`.
fn plain_path(bytes: &[u8]) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in bytes.split(|&b| b == b'/') {
        if part.is_empty() || part == b"." || part == b".." {
            return None;
        }
        out.push(os_name(part)?);
    }
    Some(out).filter(|p| !p.as_os_str().is_empty())
}

#[cfg(unix)]
fn os_name(part: &[u8]) -> Option<std::ffi::OsString> {
    use std::os::unix::ffi::OsStrExt as _;
    Some(std::ffi::OsStr::from_bytes(part).to_os_string())
}

#[cfg(not(unix))]
fn os_name(part: &[u8]) -> Option<std::ffi::OsString> {
    let s = std::str::from_utf8(part).ok()?;
    (!s.contains(['\\', ':'])).then(|| s.into())
}

/// The folders above an entry, made one by one below `dir`: each must be a
/// folder we made or are making, never a link or a file.
fn prepare(dir: &Path, e: &TreeEntry) -> anyhow::Result<PathBuf> {
    let mut at = dir.to_path_buf();
    let parts: Vec<_> = e.rel.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => bail!(
                "git 版本中的路径 {} 无法使用 (unusable path)",
                safe(&e.shown)
            ),
            Err(_) => std::fs::create_dir(&at)
                .with_context(|| format!("无法创建 {}", safe(&at.display().to_string())))?,
        }
    }
    Ok(dir.join(&e.rel))
}

#[cfg(unix)]
fn make_link(target: &[u8], path: &Path) -> anyhow::Result<()> {
    use std::os::unix::ffi::OsStrExt as _;
    std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(target), path)
        .with_context(|| format!("无法创建 {}", safe(&path.display().to_string())))
}

/// Elsewhere a link is left out, as `check` would not follow it either.
#[cfg(not(unix))]
fn make_link(_target: &[u8], _path: &Path) -> anyhow::Result<()> {
    Ok(())
}

/// `git cat-file --batch`: one object asked for and read at a time.
struct Objects {
    child: Child,
    input: Option<ChildStdin>,
    output: BufReader<ChildStdout>,
    errors: Option<std::thread::JoinHandle<Vec<u8>>>,
}

impl Objects {
    fn start(repo: &Path) -> anyhow::Result<Objects> {
        let (mut child, errors) = spawn_git(repo, &["cat-file", "--batch"])?;
        let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
            bail!("git cat-file 失败");
        };
        Ok(Objects {
            child,
            input: Some(input),
            output: BufReader::new(output),
            errors: Some(errors),
        })
    }

    /// Copies the blob `e` into `to`, refusing one larger than listed or than the cap.
    fn copy(&mut self, e: &TreeEntry, limits: Limits, to: &mut dyn Write) -> anyhow::Result<()> {
        let Some(input) = self.input.as_mut() else {
            bail!("git cat-file 失败");
        };
        writeln!(input, "{}", e.oid)?;
        input.flush()?;
        let mut header = String::new();
        (&mut self.output).take(512).read_line(&mut header)?;
        let fields: Vec<&str> = header.split_whitespace().collect();
        let size: u64 = match fields[..] {
            [_, "blob", size] => size.parse()?,
            _ => bail!("git cat-file：{}", safe(header.trim())),
        };
        if size != e.size || size > limits.file {
            bail!(
                "文件过大或已改变（{size} 字节，每个文件上限 {} 字节）",
                limits.file
            );
        }
        let copied = std::io::copy(&mut (&mut self.output).take(size), to)?;
        let mut end = [0u8; 1];
        self.output.read_exact(&mut end)?;
        if copied != size || end != *b"\n" {
            bail!("git cat-file 的输出不完整 (truncated git output)");
        }
        Ok(())
    }

    /// Closes git's input and waits for it: done, it exits 0.
    fn finish(mut self) -> anyhow::Result<()> {
        drop(self.input.take());
        let status = self.child.wait().context("git cat-file 失败")?;
        let why = self
            .errors
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default();
        if !status.success() {
            bail!("git cat-file 失败：{}", git_reason(&why));
        }
        Ok(())
    }
}

/// A revision refused half-way: git is stopped, not left running.
impl Drop for Objects {
    fn drop(&mut self) {
        drop(self.input.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How many of the files that do not parse the error names.
const SHOWN_BROKEN: usize = 20;

/// The powers of a side as the diff sees them: by code, the non-public ones
/// only when `internal`. A file that does not parse stops the diff.
fn snapshots(side: &Side, internal: bool) -> anyhow::Result<BTreeMap<String, Snapshot>> {
    let settings = Settings::load(&side.root)
        .with_context(|| format!("无法读取 {} 的 powerlist.toml", safe(&side.label)))?;
    let cat =
        load_catalogue(&side.root).with_context(|| format!("无法读取 {}", safe(&side.label)))?;
    let broken: Vec<String> = cat
        .files
        .iter()
        .filter(|f| matches!(f.power, Loaded::Failed(_)))
        .map(|f| safe(&f.rel))
        .collect();
    if !broken.is_empty() {
        // File names are the catalogue's: shown inert, and a few of many.
        let more = match broken.len() {
            n if n > SHOWN_BROKEN => format!(" 等 {n} 个"),
            _ => String::new(),
        };
        bail!(
            "{} 中有无法解析的文件：{}{more}（先运行 powerlist check）",
            safe(&side.label),
            broken[..broken.len().min(SHOWN_BROKEN)].join("、")
        );
    }
    let mut out = BTreeMap::new();
    for (_, p) in cat.powers() {
        if !p.is_public() && !internal {
            continue;
        }
        let snap = snapshot(p, &settings);
        out.insert(snap.code.clone(), snap);
    }
    Ok(out)
}

fn snapshot(p: &Power, settings: &Settings) -> Snapshot {
    let row = table::row(p);
    let cell = |c: Column| row[c].clone();
    let category = p.category.as_ref().map_or(String::new(), |c| {
        settings.category(&c.value).unwrap_or(&c.value).to_string()
    });
    let mut fields: Vec<(String, String)> = vec![
        ("name".into(), cell(Column::Name)),
        ("main_item".into(), cell(Column::MainItem)),
        ("category".into(), category),
        ("department".into(), cell(Column::Department)),
        ("office".into(), cell(Column::Office)),
        ("responsible".into(), cell(Column::Responsible)),
        ("source".into(), cell(Column::Source)),
        ("basis".into(), cell(Column::Basis)),
        ("conditions".into(), cell(Column::Conditions)),
        ("materials".into(), cell(Column::Materials)),
        ("fees".into(), cell(Column::Fees)),
        ("time_limit.statutory".into(), cell(Column::Statutory)),
        ("time_limit.promised".into(), cell(Column::Promised)),
        (
            "disclosure".into(),
            [
                if p.is_public() {
                    "公开"
                } else {
                    "不予公开"
                }
                .to_string(),
                cell(Column::Scope),
                cell(Column::Channels),
                cell(Column::DisclosureTime),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("；"),
        ),
        ("rights".into(), cell(Column::Rights)),
        ("complaints".into(), cell(Column::Complaints)),
        ("note".into(), cell(Column::Note)),
        ("duties".into(), cell(Column::Duties)),
        ("duty_basis".into(), cell(Column::DutyBasis)),
        ("accountability".into(), cell(Column::Accountability)),
        (
            "accountability.basis".into(),
            cell(Column::AccountabilityBasis),
        ),
    ];
    for s in p.steps() {
        fields.push((format!("steps.{}", s.value.id()), step_text(&s.value)));
    }
    let supervision: Vec<String> = p
        .supervision
        .iter()
        .map(|s| {
            let s = &s.value;
            let v = |x: &Option<String>| x.clone().unwrap_or_default();
            format!(
                "{}：{}，{}，{}",
                s.step.as_ref().map_or("", |x| x.value.as_str()),
                v(&s.by),
                v(&s.how),
                v(&s.contact)
            )
        })
        .collect();
    fields.push(("supervision".into(), supervision.join("\n")));
    Snapshot {
        code: p.code().to_string(),
        name: row[Column::Name].clone(),
        fields,
    }
}

/// A step as one line of text: what the flowchart and the tables show of it.
fn step_text(s: &Step) -> String {
    let text = |v: &Option<crate::model::Sp<String>>| {
        v.as_ref().map_or(String::new(), |v| v.value.clone())
    };
    let mut parts = vec![text(&s.name)];
    parts.push(format!("类型 {}", s.kind().label()));
    if let Some(r) = s.role() {
        parts.push(format!("性质 {}", r.label()));
    }
    parts.push(format!("岗位 {}", text(&s.owner)));
    if let Some(t) = &s.time {
        parts.push(format!("时限 {}", t.value.text));
    }
    if let Some(n) = &s.not_counted {
        parts.push(format!("不计入时限 {}", n.value));
    }
    let next: Vec<String> = s
        .edges()
        .iter()
        .map(|e| {
            let mut t = e.to.value.clone();
            if let Some(w) = &e.when {
                t.push_str(&format!("（{}）", w.value));
            }
            if e.back {
                t.push_str("（退回）");
            }
            t
        })
        .collect();
    if !next.is_empty() {
        parts.push(format!("下一环节 {}", next.join("、")));
    }
    if let Some(r) = &s.risk {
        let r = &r.value;
        parts.push(format!(
            "风险 {} {}；{}",
            r.level.as_ref().map_or("", |l| l.value.label()),
            r.point.as_ref().map_or("", |p| p.value.as_str()),
            r.control.as_ref().map_or("", |c| c.value.as_str())
        ));
    }
    parts.join("；")
}

fn changes(old: &Snapshot, new: &Snapshot) -> Vec<Change> {
    let map = |s: &Snapshot| -> BTreeMap<String, String> { s.fields.iter().cloned().collect() };
    let (a, b) = (map(old), map(new));
    // In the new power's order, then what only the old one had.
    let mut order: Vec<&String> = new.fields.iter().map(|(f, _)| f).collect();
    for (f, _) in &old.fields {
        if !b.contains_key(f) {
            order.push(f);
        }
    }
    order
        .into_iter()
        .filter_map(|f| {
            let (o, n) = (a.get(f), b.get(f));
            (o != n).then(|| Change {
                field: f.clone(),
                old: o.cloned(),
                new: n.cloned(),
            })
        })
        .collect()
}

/// Compares two sides.
pub fn diff(old: &Side, new: &Side, internal: bool) -> anyhow::Result<Diff> {
    let (a, b) = (snapshots(old, internal)?, snapshots(new, internal)?);
    let mut out = Diff::default();
    let gone: Vec<&Snapshot> = a.values().filter(|s| !b.contains_key(&s.code)).collect();
    let mut came: Vec<&Snapshot> = b.values().filter(|s| !a.contains_key(&s.code)).collect();
    for o in gone {
        // A code that changed while the name stayed is one power renamed.
        let same: Vec<usize> = came
            .iter()
            .enumerate()
            .filter(|(_, n)| n.name == o.name)
            .map(|(i, _)| i)
            .collect();
        if let [i] = same[..] {
            let n = came.remove(i);
            out.renamed.push(Renamed {
                old: o.code.clone(),
                new: n.code.clone(),
                name: n.name.clone(),
                changes: changes(o, n),
            });
        } else {
            out.removed.push(Named {
                code: o.code.clone(),
                name: o.name.clone(),
            });
        }
    }
    out.added = came
        .into_iter()
        .map(|n| Named {
            code: n.code.clone(),
            name: n.name.clone(),
        })
        .collect();
    for (code, o) in &a {
        if let Some(n) = b.get(code) {
            let c = changes(o, n);
            if !c.is_empty() {
                out.changed.push(Changed {
                    code: code.clone(),
                    name: n.name.clone(),
                    changes: c,
                });
            }
        }
    }
    Ok(out)
}

/// The element a field names, for people: 「承诺时限」, 「环节 accept」.
pub fn field_label(field: &str) -> String {
    if let Some(id) = field.strip_prefix("steps.") {
        return format!("运行流程·环节 {id}");
    }
    let column = match field {
        "name" => Column::Name,
        "category" => Column::Category,
        "department" => Column::Department,
        "office" => Column::Office,
        "responsible" => Column::Responsible,
        "source" => Column::Source,
        "basis" => Column::Basis,
        "conditions" => Column::Conditions,
        "materials" => Column::Materials,
        "fees" => Column::Fees,
        "time_limit.statutory" => Column::Statutory,
        "time_limit.promised" => Column::Promised,
        "rights" => Column::Rights,
        "complaints" => Column::Complaints,
        "note" => Column::Note,
        "main_item" => Column::MainItem,
        "duties" => Column::Duties,
        "duty_basis" => Column::DutyBasis,
        "accountability" => Column::Accountability,
        "accountability.basis" => Column::AccountabilityBasis,
        "disclosure" => return "公开".to_string(),
        "supervision" => return "监督制约".to_string(),
        other => return other.to_string(),
    };
    column.header().to_string()
}

/// The summary line: 「新增 1 项，取消 1 项，编码变更 1 项，变更 2 项」.
pub fn summary(d: &Diff) -> String {
    if d.is_empty() {
        return "没有调整".to_string();
    }
    format!(
        "新增 {} 项，取消 {} 项，编码变更 {} 项，变更 {} 项",
        d.added.len(),
        d.removed.len(),
        d.renamed.len(),
        d.changed.len()
    )
}

/// How `diff` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Markdown,
    Json,
    Csv,
}

/// The rows of the 调整说明 table: (调整类型, 权力编码, 职权名称, 调整事项, 调整前, 调整后).
fn rows(d: &Diff) -> Vec<[String; 6]> {
    let mut out = Vec::new();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    for a in &d.added {
        out.push([
            "新增".into(),
            a.code.clone(),
            a.name.clone(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    for r in &d.removed {
        out.push([
            "取消".into(),
            r.code.clone(),
            r.name.clone(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    // A renamed power's rows say so, as the human output does.
    for r in &d.renamed {
        out.push([
            "编码变更".into(),
            r.new.clone(),
            r.name.clone(),
            "权力编码".into(),
            r.old.clone(),
            r.new.clone(),
        ]);
        for c in &r.changes {
            out.push([
                "编码变更".into(),
                r.new.clone(),
                r.name.clone(),
                field_label(&c.field),
                s(&c.old),
                s(&c.new),
            ]);
        }
    }
    for c in &d.changed {
        for ch in &c.changes {
            out.push([
                "变更".into(),
                c.code.clone(),
                c.name.clone(),
                field_label(&ch.field),
                s(&ch.old),
                s(&ch.new),
            ]);
        }
    }
    out
}

/// Writes the diff in `format`.
pub fn write(
    out: &mut dyn std::io::Write,
    d: &Diff,
    format: Format,
    old: &str,
    new: &str,
) -> anyhow::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, d)?;
            out.write_all(b"\n")?;
        }
        Format::Csv => {
            let header = [
                "序号",
                "调整类型",
                "权力编码",
                "职权名称",
                "调整事项",
                "调整前",
                "调整后",
            ]
            .map(String::from)
            .to_vec();
            let body = rows(d).into_iter().enumerate().map(|(i, r)| {
                std::iter::once((i + 1).to_string())
                    .chain(r)
                    .collect::<Vec<_>>()
            });
            table::write_csv(out, std::iter::once(header).chain(body))?;
        }
        Format::Markdown => markdown(out, d, old, new)?,
        Format::Human => human(out, d, old, new)?,
    }
    Ok(())
}

fn human(out: &mut dyn std::io::Write, d: &Diff, old: &str, new: &str) -> std::io::Result<()> {
    let safe = crate::report::terminal_safe;
    writeln!(out, "{} → {}：{}", safe(old), safe(new), summary(d))?;
    // A step id in a field comes from the catalogue too: shown, not obeyed.
    let change = |out: &mut dyn std::io::Write, c: &Change| {
        let one = |v: &Option<String>| {
            v.as_deref()
                .map_or("（无）".to_string(), |s| safe(&s.replace('\n', "；")))
        };
        writeln!(
            out,
            "    {}：{} → {}",
            safe(&field_label(&c.field)),
            one(&c.old),
            one(&c.new)
        )
    };
    for a in &d.added {
        writeln!(out, "新增  {}  {}", safe(&a.code), safe(&a.name))?;
    }
    for r in &d.removed {
        writeln!(out, "取消  {}  {}", safe(&r.code), safe(&r.name))?;
    }
    for r in &d.renamed {
        writeln!(
            out,
            "编码变更  {} → {}  {}",
            safe(&r.old),
            safe(&r.new),
            safe(&r.name)
        )?;
        for c in &r.changes {
            change(out, c)?;
        }
    }
    for c in &d.changed {
        writeln!(out, "变更  {}  {}", safe(&c.code), safe(&c.name))?;
        for ch in &c.changes {
            change(out, ch)?;
        }
    }
    Ok(())
}

/// A cell of a Markdown table: no line breaks, no `|`, no markup or HTML.
fn md(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => s.push_str("<br>"),
            '\r' => {}
            '|' => s.push_str("\\|"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '&' => s.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '!' => {
                s.push('\\');
                s.push(c);
            }
            c if c.is_control() => {}
            c => s.push(c),
        }
    }
    s
}

fn markdown(out: &mut dyn std::io::Write, d: &Diff, old: &str, new: &str) -> std::io::Result<()> {
    writeln!(
        out,
        "**权力清单调整**（{} → {}）：{}\n",
        md(old),
        md(new),
        summary(d)
    )?;
    if d.is_empty() {
        return Ok(());
    }
    let list =
        |out: &mut dyn std::io::Write, title: &str, items: &[Named]| -> std::io::Result<()> {
            if items.is_empty() {
                return Ok(());
            }
            writeln!(out, "### {title}\n\n| 权力编码 | 职权名称 |\n|---|---|")?;
            for i in items {
                writeln!(out, "| {} | {} |", md(&i.code), md(&i.name))?;
            }
            writeln!(out)
        };
    list(out, "新增", &d.added)?;
    list(out, "取消", &d.removed)?;
    let all = rows(d);
    for kind in ["编码变更", "变更"] {
        let of_kind: Vec<&[String; 6]> = all.iter().filter(|r| r[0] == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        writeln!(out, "### {kind}\n\n| 权力编码 | 职权名称 | 调整事项 | 调整前 | 调整后 |\n|---|---|---|---|---|")?;
        for r in of_kind {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                md(&r[1]),
                md(&r[2]),
                md(&r[3]),
                md(&r[4]),
                md(&r[5])
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    }

    /// A repository whose tree `HEAD:c` holds three files of 10 bytes and a link.
    fn repo() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let c = tmp.path().join("c/sub");
        std::fs::create_dir_all(&c).unwrap();
        for name in ["a", "b", "sub/c"] {
            std::fs::write(tmp.path().join("c").join(name), "0123456789").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink("sub/c", tmp.path().join("c/link")).unwrap();
        git(tmp.path(), &["init", "-q"]);
        git(tmp.path(), &["add", "."]);
        git(tmp.path(), &["commit", "-q", "-m", "x"]);
        tmp
    }

    fn read_into(repo: &Path, limits: Limits) -> anyhow::Result<tempfile::TempDir> {
        let out = tempfile::tempdir().unwrap();
        extract_with(repo, "HEAD:c", out.path(), limits).map(|()| out)
    }

    #[test]
    fn a_revision_is_read_exactly_and_within_its_caps() {
        let repo = repo();
        let ok = Limits {
            file: 10,
            total: 40,
            files: 4,
        };
        let out = read_into(repo.path(), ok).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.path().join("sub/c")).unwrap(),
            "0123456789"
        );
        #[cfg(unix)]
        assert_eq!(
            std::fs::read_link(out.path().join("link")).unwrap(),
            Path::new("sub/c")
        );
        // Over each cap: refused, naming it.
        let over = |limits: Limits, words: &str| {
            let e = format!("{:#}", read_into(repo.path(), limits).unwrap_err());
            assert!(e.contains(words), "{e}");
            assert_eq!(e.lines().count(), 1, "{e}");
        };
        over(Limits { file: 9, ..ok }, "每个文件上限 9 字节");
        over(Limits { total: 29, ..ok }, "合计超过 29 字节");
        over(Limits { files: 3, ..ok }, "超过 3 个");
    }

    #[test]
    fn only_plain_paths_are_written() {
        assert_eq!(plain_path(b"a/b.yaml"), Some(PathBuf::from("a/b.yaml")));
        for bad in [&b""[..], b"/etc/passwd", b"a/../b", b"./a", b"a//b", b".."] {
            assert_eq!(plain_path(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }
}
