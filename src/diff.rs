//! `powerlist diff OLD NEW` (SPEC §6): the 动态调整 between two versions of a
//! catalogue — powers added (新增), removed (取消), renamed (编码变更) and
//! changed (变更), each change with its element's old and new value.
//!
//! A side is a folder, or `REV:PATH` read from git with `git archive` (the
//! git on the machine: no git library is linked, and the repository's own
//! configuration applies) into a temporary folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
            bail!("{spec} 不是文件夹，也不是 `版本:路径`（如 HEAD~1:catalogue）");
        };
        if rev.is_empty() {
            bail!("{spec}：缺少 git 版本（如 HEAD~1:catalogue）");
        }
        // git would read it as one of its options (`--output=FILE` writes FILE).
        if rev.starts_with('-') {
            bail!(
                "{}：git 版本不能以 - 开头 (a revision never starts with -)",
                crate::report::terminal_safe(spec)
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

/// `git archive REV:PATH | tar -x -C dir`.
fn extract(spec: &str, dir: &Path) -> anyhow::Result<()> {
    let archive = std::process::Command::new("git")
        .args(["archive", "--format=tar", "--end-of-options", spec])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .context("无法运行 git（需要安装 git 才能读取 `版本:路径`）")?;
    let output = archive.wait_with_output().context("git archive 失败")?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        bail!("无法从 git 读取 {spec}：{}", why.trim());
    }
    let mut tar = std::process::Command::new("tar")
        .args(["-x", "-C"])
        .arg(dir)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .context("无法运行 tar")?;
    if let Some(mut stdin) = tar.stdin.take() {
        std::io::Write::write_all(&mut stdin, &output.stdout).context("无法解开 git archive")?;
    }
    if !tar.wait().context("tar 失败")?.success() {
        bail!("无法解开 {spec} 的 git archive");
    }
    Ok(())
}

/// The powers of a side as the diff sees them: by code, the non-public ones
/// only when `internal`. A file that does not parse stops the diff.
fn snapshots(side: &Side, internal: bool) -> anyhow::Result<BTreeMap<String, Snapshot>> {
    let settings = Settings::load(&side.root)
        .with_context(|| format!("无法读取 {} 的 powerlist.toml", side.label))?;
    let cat = load_catalogue(&side.root).with_context(|| format!("无法读取 {}", side.label))?;
    let broken: Vec<&str> = cat
        .files
        .iter()
        .filter(|f| matches!(f.power, Loaded::Failed(_)))
        .map(|f| f.rel.as_str())
        .collect();
    if !broken.is_empty() {
        bail!(
            "{} 中有无法解析的文件：{}（先运行 powerlist check）",
            side.label,
            broken.join("、")
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
    for r in &d.renamed {
        out.push([
            "变更".into(),
            r.new.clone(),
            r.name.clone(),
            "权力编码".into(),
            r.old.clone(),
            r.new.clone(),
        ]);
        for c in &r.changes {
            out.push([
                "变更".into(),
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
    if !d.renamed.is_empty() || !d.changed.is_empty() {
        writeln!(out, "### 变更\n\n| 权力编码 | 职权名称 | 调整事项 | 调整前 | 调整后 |\n|---|---|---|---|---|")?;
        for r in rows(d).iter().filter(|r| r[0] == "变更") {
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
