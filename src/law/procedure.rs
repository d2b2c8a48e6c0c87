//! Each category's standard procedure in law, as data: `data/procedures/<类别>.yaml`,
//! embedded, in the format of a power (checked by the same rules in a test).
//! A catalogue replaces any of them with its own `procedures/<类别>.yaml`, as it
//! replaces site templates; `new` and `import` write a power's steps from it.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context as _};

use crate::load::parse_power;
use crate::model::{Power, Role, StepType, PLACEHOLDER};

/// The folder inside a catalogue whose files replace the built-in procedures
/// (and which `check` does not read as powers).
pub use crate::load::PROCEDURES_DIR as OVERRIDE_DIR;

/// The category whose procedure applies to any category without its own.
pub const FALLBACK: &str = "其他行政权力";

/// The built-in procedures, by category name (and a few by their own name).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "行政许可",
        include_str!("../../data/procedures/行政许可.yaml"),
    ),
    (
        "行政处罚",
        include_str!("../../data/procedures/行政处罚.yaml"),
    ),
    (
        "行政强制",
        include_str!("../../data/procedures/行政强制.yaml"),
    ),
    (
        "行政征收",
        include_str!("../../data/procedures/行政征收.yaml"),
    ),
    (
        "行政给付",
        include_str!("../../data/procedures/行政给付.yaml"),
    ),
    (
        "行政检查",
        include_str!("../../data/procedures/行政检查.yaml"),
    ),
    (
        "行政确认",
        include_str!("../../data/procedures/行政确认.yaml"),
    ),
    (
        "行政奖励",
        include_str!("../../data/procedures/行政奖励.yaml"),
    ),
    (
        "行政裁决",
        include_str!("../../data/procedures/行政裁决.yaml"),
    ),
    (
        "其他行政权力",
        include_str!("../../data/procedures/其他行政权力.yaml"),
    ),
    // Not a category: chosen with `new --procedure 行政强制措施`.
    (
        "行政强制措施",
        include_str!("../../data/procedures/行政强制措施.yaml"),
    ),
];

/// One 设定依据 as plain text fields.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BasisText {
    pub law: String,
    pub level: Option<String>,
    pub doc_no: Option<String>,
    pub article: Option<String>,
    pub text: Option<String>,
    /// Where `text` was taken from when the law library filled it (`new`, `import`).
    pub filled_from: Option<String>,
}

/// One step of a procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcStep {
    pub id: String,
    pub name: String,
    pub kind: StepType,
    pub role: Option<Role>,
    pub owner: String,
    pub time: Option<String>,
    /// The step carries the procedure's risk point (to describe).
    pub risk: bool,
    /// The 责任事项 of the step's stage.
    pub duty: Option<String>,
    pub next: Vec<ProcEdge>,
    /// The decision's one outcome (`outcome` on the step).
    pub outcome: Option<String>,
}

/// One edge of a procedure's step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcEdge {
    pub to: String,
    /// The branch label.
    pub when: Option<String>,
    pub back: bool,
    /// What this branch of a decision decides.
    pub outcome: Option<String>,
}

/// What `new` and `import` take from a procedure file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    /// The procedural law(s) the category follows: the basis entries already written.
    pub procedural: Vec<BasisText>,
    pub statutory: Option<String>,
    pub promised: Option<String>,
    /// The extension the law allows (`time_limit.extension`).
    pub extension: Option<String>,
    /// The steps the statutory clock starts and stops at (`time_limit.from`/`to`).
    pub clock_from: Option<String>,
    pub clock_to: Option<String>,
    pub rights: Vec<String>,
    pub steps: Vec<ProcStep>,
    /// Rules the procedure allows, with the comment above `allow:` that says why.
    pub allow: Vec<String>,
    pub allow_reason: Option<String>,
    /// The steps the supervision entries name.
    pub supervised: Vec<String>,
    /// 责任事项 of no step: (stage, duty).
    pub duties: Vec<(String, String)>,
    /// 责任事项依据.
    pub duty_basis: Vec<BasisText>,
    /// The standard 追责情形, each with its 追责依据.
    pub accountability: Vec<(String, Vec<BasisText>)>,
    /// Which 行政强制 the procedure is (`coercion: 措施 | 执行`).
    pub coercion: Option<String>,
}

/// A basis entry as plain text.
pub fn basis_text(b: &crate::model::Basis) -> BasisText {
    let s = |v: &Option<crate::model::Sp<String>>| v.as_ref().map(|v| v.value.clone());
    BasisText {
        law: s(&b.law).unwrap_or_default(),
        level: b.level.as_ref().map(|l| l.value.label().to_string()),
        doc_no: b.doc_no.clone(),
        article: s(&b.article),
        text: s(&b.text),
        filled_from: None,
    }
}

impl Procedure {
    /// Reads a procedure from the text of a power file.
    pub fn parse(text: &str) -> anyhow::Result<Procedure> {
        let p = parse_power(text)
            .map_err(|f| anyhow::anyhow!("第 {} 行：{} ({})", f.pos.line, f.message, f.rule))?;
        Ok(Procedure::of(&p, text))
    }

    fn of(p: &Power, text: &str) -> Procedure {
        let s = |v: &Option<crate::model::Sp<String>>| v.as_ref().map(|v| v.value.clone());
        let procedural = p
            .basis()
            .iter()
            .map(|b| &b.value)
            .filter(|b| {
                b.law
                    .as_ref()
                    .is_some_and(|l| !l.value.contains(PLACEHOLDER))
            })
            .map(basis_text)
            .collect();
        let steps = p
            .steps()
            .iter()
            .map(|sp| {
                let st = &sp.value;
                ProcStep {
                    id: st.id().to_string(),
                    name: s(&st.name).unwrap_or_default(),
                    kind: st.kind(),
                    role: st.role(),
                    owner: s(&st.owner).unwrap_or_default(),
                    time: st.time.as_ref().map(|t| t.value.text.clone()),
                    risk: st.risk.is_some(),
                    duty: s(&st.duty),
                    next: st
                        .edges()
                        .iter()
                        .map(|e| ProcEdge {
                            to: e.to.value.clone(),
                            when: e.when.as_ref().map(|w| w.value.clone()),
                            back: e.back,
                            outcome: e.outcome.as_ref().map(|o| o.value.label().to_string()),
                        })
                        .collect(),
                    outcome: st.outcome.as_ref().map(|o| o.value.label().to_string()),
                }
            })
            .collect();
        Procedure {
            procedural,
            statutory: p.statutory().map(|d| d.value.text.clone()),
            promised: p.promised().map(|d| d.value.text.clone()),
            extension: p.extension().map(|d| d.value.text.clone()),
            clock_from: p.time_limit.as_ref().and_then(|t| s(&t.value.from)),
            clock_to: p.time_limit.as_ref().and_then(|t| s(&t.value.to)),
            rights: p.rights().to_vec(),
            steps,
            allow: p.allow.iter().map(|a| a.value.clone()).collect(),
            allow_reason: comment_above(text, "allow:"),
            supervised: p
                .supervision
                .iter()
                .filter_map(|x| s(&x.value.step))
                .collect(),
            duties: p
                .duties
                .iter()
                .filter_map(|d| Some((s(&d.value.stage)?, s(&d.value.duty)?)))
                .collect(),
            duty_basis: p.duty_basis.iter().map(|b| basis_text(&b.value)).collect(),
            coercion: p
                .coercion
                .as_ref()
                .and_then(|c| c.value.value())
                .map(|c| c.label().to_string()),
            accountability: p
                .accountability
                .iter()
                .filter_map(|a| {
                    let bases = a.value.basis.iter().map(|b| basis_text(&b.value)).collect();
                    Some((s(&a.value.case)?, bases))
                })
                .collect(),
        }
    }
}

/// The comment on the line just above the top-level `key`, without `#` and a final `:`.
fn comment_above(text: &str, key: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| l.starts_with(key))?;
    let above = lines.get(at.checked_sub(1)?)?.strip_prefix('#')?.trim();
    Some(above.trim_end_matches([':', '：']).to_string())
}

/// The procedures of a catalogue: the built-in ones, replaced file by file by
/// the catalogue's `procedures/` folder.
pub struct Procedures {
    by_category: BTreeMap<String, Procedure>,
}

impl Procedures {
    /// The built-in procedures only.
    pub fn builtin() -> Procedures {
        let by_category = BUILTIN
            .iter()
            .map(|(c, text)| {
                let p = Procedure::parse(text)
                    .unwrap_or_else(|e| unreachable!("built-in procedure {c}: {e}"));
                (c.to_string(), p)
            })
            .collect();
        Procedures { by_category }
    }

    /// The built-in procedures with a catalogue's own `procedures/<类别>.yaml`.
    pub fn load(catalogue: &Path) -> anyhow::Result<Procedures> {
        let mut all = Procedures::builtin();
        let dir = catalogue.join(OVERRIDE_DIR);
        if !dir.is_dir() {
            return Ok(all);
        }
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .and_then(|d| d.collect::<Result<Vec<_>, _>>())
            .with_context(|| format!("无法读取程序目录 {}", dir.display()))?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let path = e.path();
            let Some(category) = path
                .file_stem()
                .filter(|_| path.extension().is_some_and(|x| x == "yaml"))
                .map(|s| s.to_string_lossy().into_owned())
            else {
                continue;
            };
            if category.starts_with('.') || !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("无法读取 {}", path.display()))?;
            let proc = Procedure::parse(&text).with_context(|| {
                format!("{}: 不是有效的职权文件 (invalid procedure)", path.display())
            })?;
            if proc.steps.is_empty() {
                bail!("{}: 没有 steps (a procedure needs steps)", path.display());
            }
            all.by_category.insert(category, proc);
        }
        Ok(all)
    }

    /// A procedure by its name (a category or a named procedure such as 行政强制措施).
    pub fn named(&self, name: &str) -> Option<&Procedure> {
        self.by_category.get(name)
    }

    /// The names of every procedure known.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_category.keys().map(String::as_str)
    }

    /// The procedure of a category (canonical name): its own, else the fallback's.
    pub fn get(&self, category: &str) -> &Procedure {
        self.by_category
            .get(category)
            .or_else(|| self.by_category.get(FALLBACK))
            .unwrap_or_else(|| unreachable!("the fallback procedure is built in"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_procedure_parses_with_steps_and_a_supervised_step() {
        let all = Procedures::builtin();
        for (c, _) in BUILTIN {
            let p = all.get(c);
            assert!(p.steps.len() >= 4, "{c}");
            assert!(!p.supervised.is_empty(), "{c}");
            for id in &p.supervised {
                assert!(p.steps.iter().any(|s| &s.id == id), "{c}: {id}");
            }
            assert!(
                p.steps.iter().any(|s| s.risk),
                "{c}: a risk point to describe"
            );
        }
        let licence = all.get("行政许可");
        assert_eq!(licence.statutory.as_deref(), Some("20个工作日"));
        // The applicant's 补正 needs no time (`time-required`), so no allow.
        assert!(licence.allow.is_empty());
        let penalty = all.get("行政处罚");
        assert_eq!(penalty.allow, ["time-required"]);
        assert_eq!(
            penalty.allow_reason.as_deref(),
            Some("执行期限由处罚决定书确定（当事人自收到决定书之日起十五日内缴纳罚款），不计入办案时限")
        );
        assert_eq!(all.get("行政备案"), all.get(FALLBACK));
    }
}
