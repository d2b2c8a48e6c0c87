//! The one YAML writer of powerlist: a power's facts plus its category's
//! procedure, as `new` (every gap marked 【待填写】) and `import` (only what the
//! table says) write it. Every value is quoted, so any text stays one value.

use std::fmt::Write as _;

pub use crate::law::procedure::BasisText;
use crate::law::procedure::{ProcEdge, Procedure};
use crate::model::{Role, StepType, PLACEHOLDER};

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML). What YAML
/// may not hold raw — DEL, C1 controls, U+FFFE/U+FFFF, surrogates aside — is
/// written as a `\uXXXX` escape, so any text reads back as itself.
pub fn quote(text: &str) -> String {
    let json = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        let printable = !matches!(
            c,
            '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' | '\u{feff}'
        );
        if printable {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{:04x}", c as u32));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    /// A small seeded generator: no dependency, the same cases every run.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u32 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) as u32
        }
    }

    #[test]
    fn any_text_quoted_reads_back_as_itself() {
        const HOSTILE: &[char] = &[
            '\u{0}', '\u{7}', '\t', '\n', '\r', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}', '\u{a0}',
            '\u{2028}', '\u{feff}', '\u{fffe}', '\u{ffff}', '"', '\\', '\'', ':', '#', '-', '=',
            '{', '}', '[', ']', '&', '*', '!', '|', '>', '%', '@', '`', '名', '【', '😀',
        ];
        let mut rng = Lcg(7);
        for _ in 0..3000 {
            let len = rng.next() % 12;
            let text: String = (0..len)
                .map(|_| HOSTILE[rng.next() as usize % HOSTILE.len()])
                .collect();
            let yaml = format!("v: {}\n", quote(&text));
            #[derive(serde::Deserialize)]
            struct V {
                v: String,
            }
            let back: V = serde_saphyr::from_str(&yaml)
                .unwrap_or_else(|e| panic!("{text:?} → {yaml:?}: {e}"));
            assert_eq!(back.v, text, "{yaml:?}");
        }
    }
}

fn todo(what: &str) -> String {
    quote(&format!("{PLACEHOLDER}{what}"))
}

/// The facts a power is written from; how gaps are filled depends on the `Mode`.
#[derive(Debug, Default, Clone)]
pub struct Facts {
    pub code: String,
    pub name: String,
    /// 主项: the item this power is a 子项 of (SPEC §1.1b).
    pub main_item: Option<String>,
    /// The canonical category name.
    pub category: String,
    pub department: Option<String>,
    pub office: Option<String>,
    pub responsible: Option<String>,
    pub source: Option<String>,
    pub basis: Vec<BasisText>,
    pub conditions: Vec<String>,
    /// (name, copies)
    pub materials: Vec<(String, Option<u32>)>,
    /// (item, standard, basis); empty = free.
    pub fees: Vec<(String, Option<String>, Option<String>)>,
    pub statutory: Option<String>,
    pub promised: Option<String>,
    pub scope: Option<String>,
    pub channels: Vec<String>,
    /// 公开时间.
    pub time: Option<String>,
    pub rights: Vec<String>,
    /// (channel, phone, address, email, url)
    pub complaints: Vec<[Option<String>; 5]>,
    /// 备注.
    pub note: Option<String>,
    /// 责任事项 as a table lists them, stage by stage: (stage, duty). Empty:
    /// the procedure's standard duties.
    pub duties: Vec<(String, String)>,
    /// Every stage of `duties` on the power, none on a step: the table's
    /// order of stages is not one the procedure's steps would keep.
    pub duties_on_power: bool,
    /// 责任事项依据. Empty: the procedure's.
    pub duty_basis: Vec<BasisText>,
    /// 行政强制: 措施 or 执行, when the table says.
    pub coercion: Option<String>,
    /// 追责情形 with their 追责依据. Empty: the procedure's standard set.
    pub accountability: Vec<(String, Vec<BasisText>)>,
}

/// (stage or step id, duty) pairs.
pub type Stages = Vec<(String, String)>;

/// Where a table's 责任事项 go: each stage to the steps of its role (every
/// step of that role, in the procedure), the others (事后监管责任, stages no
/// step is) on the power. Returns (step id → duty, the power's own).
pub fn place_duties(duties: &[(String, String)], proc: &Procedure) -> (Stages, Stages) {
    let mut on_steps: Vec<(String, String)> = Vec::new();
    let mut own = Vec::new();
    for (stage, duty) in duties {
        let role = crate::model::duty::role_of_stage(stage);
        let steps: Vec<&str> = proc
            .steps
            .iter()
            .filter(|s| role.is_some() && s.role == role)
            .map(|s| s.id.as_str())
            .collect();
        if steps.is_empty() {
            own.push((stage.clone(), duty.clone()));
        }
        for id in steps {
            match on_steps.iter_mut().find(|(s, _)| s == id) {
                Some((_, d)) => {
                    d.push('；');
                    d.push_str(duty);
                }
                None => on_steps.push((id.to_string(), duty.clone())),
            }
        }
    }
    (on_steps, own)
}

/// What the facts come from, which decides what fills a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `new`: every missing fact is a 【待填写】 mark, or the procedure's default
    /// (limits, rights, disclosure, step times, a risk point to describe).
    New,
    /// `import`: what the table says, and nothing invented. Only required keys
    /// get a mark; the steps come without times, which the officer fills in.
    Import,
}

/// The YAML text of a power: `facts` with the steps of `proc`.
pub fn render(facts: &Facts, proc: &Procedure, mode: Mode) -> String {
    let w = Writer {
        y: String::new(),
        is_new: mode == Mode::New,
        // 申请材料 belong to powers a party applies for, not to 处罚 or 检查.
        on_application: proc
            .steps
            .iter()
            .find(|s| s.kind == StepType::Start)
            .is_some_and(|s| s.role == Some(Role::Apply)),
    };
    w.render(facts, proc)
}

struct Writer {
    y: String,
    is_new: bool,
    on_application: bool,
}

impl Writer {
    fn render(mut self, facts: &Facts, proc: &Procedure) -> String {
        self.header(facts);
        self.identity(facts);
        self.kinds(facts, proc);
        self.basis(facts, proc);
        self.requirements(facts);
        self.limits(facts, proc);
        self.disclosure(facts);
        self.steps(facts, proc);
        self.closing(proc);
        self.accountability(facts, proc);
        if let Some(note) = &facts.note {
            self.line(format_args!("note: {}", quote(note)));
        }
        self.y
    }

    fn line(&mut self, text: std::fmt::Arguments) {
        let _ = self.y.write_fmt(text);
        self.y.push('\n');
    }

    fn header(&mut self, facts: &Facts) {
        // A comment line must stay one line of what YAML may hold: line breaks
        // and other unprintable characters in the name become spaces.
        let flat: String = facts
            .name
            .chars()
            .map(|c| {
                let unprintable = c.is_control()
                    || matches!(
                        c,
                        '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                    );
                if unprintable {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let made_by = if self.is_new {
            "powerlist new"
        } else {
            "powerlist import"
        };
        self.line(format_args!(
            "# {flat} — {made_by} 按「{}」的标准程序生成。",
            facts.category
        ));
        self.line(format_args!(
            "# 所有标有 {PLACEHOLDER} 的内容须按实际情况填写; `powerlist check` 会逐条列出 (placeholder)。"
        ));
    }

    /// A key with a value, a 【待填写】 mark (`new`), or nothing (`import`).
    fn optional(&mut self, key: &str, v: &Option<String>, what: &str) {
        match v {
            Some(v) => self.line(format_args!("{key}: {}", quote(v))),
            None if self.is_new => self.line(format_args!("{key}: {}", todo(what))),
            None => {}
        }
    }

    fn identity(&mut self, facts: &Facts) {
        self.line(format_args!("code: {}", quote(&facts.code)));
        self.line(format_args!("name: {}", quote(&facts.name)));
        if let Some(m) = &facts.main_item {
            self.line(format_args!("main_item: {}", quote(m)));
        }
        self.line(format_args!("category: {}", quote(&facts.category)));
        let department = facts
            .department
            .as_deref()
            .map_or_else(|| todo("实施主体（如 县民政局）"), quote);
        self.line(format_args!("department: {department}"));
        self.optional("office", &facts.office, "承办机构（科室/股室）");
        self.optional("responsible", &facts.responsible, "责任人或责任岗位");
        if let Some(src) = &facts.source {
            self.line(format_args!("source: {src}"));
        }
    }

    /// One basis entry, its `- ` at `indent`.
    /// `coercion`, `penalty_types`, `measure_types`: what the table or the
    /// procedure says, else a mark with the law's list (SPEC §1.1b).
    fn kinds(&mut self, facts: &Facts, proc: &Procedure) {
        use crate::model::{Labelled, MeasureKind, PenaltyKind};
        let coercion = facts.coercion.as_ref().or(proc.coercion.as_ref());
        match coercion {
            Some(c) => self.line(format_args!("coercion: {c}")),
            None if facts.category == crate::model::COERCION => self.line(format_args!(
                "coercion: {}",
                todo("措施（行政强制措施）或 执行（行政强制执行），行政强制法第二条")
            )),
            None => {}
        }
        if !self.is_new {
            return;
        }
        let list = |labels: &[&str]| labels.join(" ");
        if facts.category == crate::model::PENALTY {
            let hint = format!(
                "处罚种类（行政处罚法第九条）：{}",
                list(PenaltyKind::LABELS)
            );
            self.line(format_args!("penalty_types: [{}]", todo(&hint)));
        }
        if coercion.is_some_and(|c| c == "措施") {
            let hint = format!(
                "强制措施种类（行政强制法第九条）：{}",
                list(MeasureKind::LABELS)
            );
            self.line(format_args!("measure_types: [{}]", todo(&hint)));
        }
    }

    fn basis_entry(&mut self, b: &BasisText, indent: &str) {
        self.line(format_args!("{indent}- law: {}", quote(&b.law)));
        if let Some(l) = &b.level {
            self.line(format_args!("{indent}  level: {l}"));
        }
        for (key, v) in [("doc_no", &b.doc_no), ("article", &b.article)] {
            if let Some(v) = v {
                self.line(format_args!("{indent}  {key}: {}", quote(v)));
            }
        }
        if let Some(from) = &b.filled_from {
            // One line, whatever the source says: a comment must not end early.
            let from: String = from.chars().filter(|c| !c.is_control()).collect();
            self.line(format_args!("{indent}  # 条文取自{from}：请与正式文本核对"));
        }
        if let Some(v) = &b.text {
            self.line(format_args!("{indent}  text: {}", quote(v)));
        }
    }

    fn basis(&mut self, facts: &Facts, proc: &Procedure) {
        self.y.push_str("basis:\n");
        if facts.basis.is_empty() {
            self.y.push_str(
                "  # 设定本职权的法律法规及条款；没有写明条款时 basis-article 会提醒。\n",
            );
            self.line(format_args!("  - law: {}", todo("设定依据的法律法规名称")));
            self.y
                .push_str("    # level: 效力层级（法律、行政法规、地方性法规、部门规章、地方政府规章、规范性文件）\n");
        }
        for b in &facts.basis {
            self.basis_entry(b, "  ");
        }
        if self.is_new && !proc.procedural.is_empty() {
            // Procedural laws govern how the power is used and never create it:
            // they are a reference for the officer, not a 设定依据.
            self.y.push_str(
                "  # 本类职权的程序依据（规定如何行使职权，不是设定依据，不必列入 basis）：\n",
            );
            for b in &proc.procedural {
                let article = b.article.as_deref().unwrap_or("");
                let text = b
                    .text
                    .as_deref()
                    .map(|t| format!("：{t}"))
                    .unwrap_or_default();
                let flat: String = format!("  #   《{}》{article}{text}", b.law)
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                self.line(format_args!("{flat}"));
            }
        }
    }

    fn list(&mut self, key: &str, items: &[String], what: &str) {
        if items.is_empty() && self.is_new {
            self.line(format_args!("{key}:\n  - {}", todo(what)));
        } else if !items.is_empty() {
            self.line(format_args!("{key}:"));
            for c in items {
                self.line(format_args!("  - {}", quote(c)));
            }
        }
    }

    /// Conditions, materials and fees.
    fn requirements(&mut self, facts: &Facts) {
        self.list("conditions", &facts.conditions, "受理条件或行使条件");
        if facts.materials.is_empty() && self.is_new && self.on_application {
            self.line(format_args!(
                "materials:\n  - name: {}\n    copies: 1",
                todo("申请材料名称")
            ));
        } else if !facts.materials.is_empty() {
            self.y.push_str("materials:\n");
            for (name, copies) in &facts.materials {
                self.line(format_args!("  - name: {}", quote(name)));
                if let Some(n) = copies {
                    self.line(format_args!("    copies: {n}"));
                }
            }
        }
        if facts.fees.is_empty() {
            self.y
                .push_str("fees: []   # 不收费；收费时写 {item, standard, basis}\n");
            return;
        }
        self.y.push_str("fees:\n");
        for (item, standard, basis) in &facts.fees {
            self.line(format_args!("  - item: {}", quote(item)));
            for (key, v) in [("standard", standard), ("basis", basis)] {
                if let Some(v) = v {
                    self.line(format_args!("    {key}: {}", quote(v)));
                }
            }
        }
    }

    fn limits(&mut self, facts: &Facts, proc: &Procedure) {
        let clock = proc.clock_from.is_some() || proc.clock_to.is_some();
        if facts.statutory.is_none() && facts.promised.is_none() && !clock {
            return;
        }
        self.y.push_str("time_limit:\n");
        match &facts.statutory {
            Some(v) => self.line(format_args!("  statutory: {}", quote(v))),
            None => self
                .y
                .push_str("  # statutory: 法律法规规定的办理时限（没有规定时省略）\n"),
        }
        if self.is_new {
            // The office decides its promise: the law's limit is the hint.
            let hint = match &facts.statutory {
                Some(v) => format!("承诺时限（法定时限 {v}，原则上缩短三分之一以上）"),
                None => "承诺时限（如 10个工作日）".to_string(),
            };
            self.line(format_args!("  promised: {}", todo(&hint)));
        } else if let Some(v) = &facts.promised {
            self.line(format_args!(
                "  promised: {}   # 原则上比法定时限缩短三分之一以上",
                quote(v)
            ));
        }
        if let (Some(e), true) = (&proc.extension, self.is_new) {
            self.line(format_args!(
                "  extension: {}   # 法律允许的延长期限，须经负责人批准",
                quote(e)
            ));
        }
        // The clock's ends name the procedure's own steps, which both modes write.
        for (key, step) in [("from", &proc.clock_from), ("to", &proc.clock_to)] {
            if let Some(step) = step {
                self.line(format_args!("  {key}: {step}"));
            }
        }
    }

    /// Disclosure, rights and complaint channels.
    fn disclosure(&mut self, facts: &Facts) {
        self.y.push_str("disclosure:\n  public: true\n");
        if let Some(scope) = &facts.scope {
            self.line(format_args!("  scope: {}", quote(scope)));
        }
        let inline = |items: &[String]| {
            items
                .iter()
                .map(|c| quote(c))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !facts.channels.is_empty() {
            self.line(format_args!("  channels: [{}]", inline(&facts.channels)));
        }
        if let Some(time) = &facts.time {
            self.line(format_args!("  time: {}", quote(time)));
        }
        if !facts.rights.is_empty() {
            self.line(format_args!("rights: [{}]", inline(&facts.rights)));
        }
        if facts.complaints.is_empty() && self.is_new {
            self.line(format_args!(
                "complaints:\n  - channel: {}\n    phone: {}",
                todo("投诉举报受理机构"),
                todo("电话")
            ));
        } else if !facts.complaints.is_empty() {
            self.y.push_str("complaints:\n");
            let keys = ["channel", "phone", "address", "email", "url"];
            for c in &facts.complaints {
                let mut first = true;
                for (k, v) in keys.iter().zip(c) {
                    if let Some(v) = v {
                        let lead = if first { "-" } else { " " };
                        self.line(format_args!("  {lead} {k}: {}", quote(v)));
                        first = false;
                    }
                }
            }
        }
    }

    fn steps(&mut self, facts: &Facts, proc: &Procedure) {
        let (placed, _) = if facts.duties_on_power {
            (Vec::new(), Vec::new())
        } else {
            place_duties(&facts.duties, proc)
        };
        if !self.is_new {
            self.y.push_str(
                "# 运行流程按本类职权的标准程序生成；请按实际核对各环节并填写时限 (time)。\n",
            );
        }
        self.y.push_str("steps:\n");
        for s in &proc.steps {
            self.line(format_args!(
                "  - id: {}\n    name: {}",
                s.id,
                quote(&s.name)
            ));
            if s.kind != StepType::Task {
                self.line(format_args!("    type: {}", s.kind.label()));
            }
            if let Some(r) = s.role {
                self.line(format_args!("    role: {}", r.label()));
            }
            if let Some(o) = &s.outcome {
                self.line(format_args!("    outcome: {o}"));
            }
            let party = crate::model::party_step(s.role, Some(&s.owner));
            if self.is_new && !party {
                // The procedure names a generic post; the office names its own.
                let post = todo(&format!("承办岗位（如 {}）", s.owner));
                self.line(format_args!("    owner: {post}"));
            } else {
                self.line(format_args!("    owner: {}", quote(&s.owner)));
            }
            // Only the office's own tasks and decisions carry a 办理时限 (`time-required`).
            let timed = matches!(s.kind, StepType::Task | StepType::Decision) && !party;
            if self.is_new && timed {
                // Each step's time is the office's to set; the procedure's is the hint.
                let hint = match &s.time {
                    Some(t) => format!("本环节时限（参考：{t}）"),
                    None => "本环节时限（如 2个工作日）".to_string(),
                };
                self.line(format_args!("    time: {}", todo(&hint)));
            }
            let duty = if facts.duties.is_empty() {
                s.duty.as_deref()
            } else {
                placed
                    .iter()
                    .find(|(id, _)| *id == s.id)
                    .map(|(_, d)| d.as_str())
            };
            if let Some(d) = duty {
                self.line(format_args!("    duty: {}", quote(d)));
            }
            if s.risk && self.is_new {
                self.line(format_args!(
                    "    risk:\n      level: 中\n      point: {}\n      control: {}",
                    todo("本环节的廉政风险点"),
                    todo("防控措施")
                ));
            }
            self.next(&s.next);
        }
    }

    fn next(&mut self, edges: &[ProcEdge]) {
        match edges {
            [] => {}
            [e] if e.when.is_none() && !e.back && e.outcome.is_none() => {
                self.line(format_args!("    next: {}", e.to))
            }
            edges => {
                self.y.push_str("    next:\n");
                for e in edges {
                    let _ = write!(self.y, "      - to: {}", e.to);
                    if let Some(w) = &e.when {
                        let _ = write!(self.y, "\n        when: {}", quote(w));
                    }
                    if let Some(o) = &e.outcome {
                        let _ = write!(self.y, "\n        outcome: {o}");
                    }
                    if e.back {
                        self.y.push_str("\n        back: true");
                    }
                    self.y.push('\n');
                }
            }
        }
    }

    /// 责任事项 of no step, 责任事项依据, 追责情形: the table's, else the procedure's.
    fn accountability(&mut self, facts: &Facts, proc: &Procedure) {
        let own = if facts.duties.is_empty() {
            proc.duties.clone()
        } else if facts.duties_on_power {
            facts.duties.clone()
        } else {
            place_duties(&facts.duties, proc).1
        };
        if !own.is_empty() {
            self.y.push_str("duties:\n");
            for (stage, duty) in &own {
                self.line(format_args!(
                    "  - stage: {}\n    duty: {}",
                    quote(stage),
                    quote(duty)
                ));
            }
        }
        let duty_basis = if facts.duty_basis.is_empty() {
            &proc.duty_basis
        } else {
            &facts.duty_basis
        };
        if !duty_basis.is_empty() {
            self.y.push_str("duty_basis:\n");
            for b in duty_basis {
                self.basis_entry(b, "  ");
            }
        }
        let cases = if facts.accountability.is_empty() {
            &proc.accountability
        } else {
            &facts.accountability
        };
        if cases.is_empty() {
            return;
        }
        if facts.accountability.is_empty() {
            self.y.push_str(
                "# 追责情形按本类职权的标准程序生成：请按本职权适用的法律法规核对、补充。\n",
            );
        }
        self.y.push_str("accountability:\n");
        for (case, bases) in cases {
            self.line(format_args!("  - case: {}", quote(case)));
            if !bases.is_empty() {
                self.y.push_str("    basis:\n");
                for b in bases {
                    self.basis_entry(b, "      ");
                }
            }
        }
    }

    /// `allow` (for `new`) and the supervision entry to fill.
    fn closing(&mut self, proc: &Procedure) {
        // `new` gives every step a time to fill, so a procedure's allowance for
        // steps without one is not needed.
        let allow: Vec<&str> = proc
            .allow
            .iter()
            .map(String::as_str)
            .filter(|r| *r != "time-required")
            .collect();
        if self.is_new && !allow.is_empty() {
            if let Some(why) = &proc.allow_reason {
                self.line(format_args!("# {why}:"));
            }
            self.line(format_args!("allow: [{}]", allow.join(", ")));
        }
        self.y.push_str("supervision:\n");
        for step in &proc.supervised {
            self.line(format_args!(
                "  - step: {step}\n    by: {}\n    how: {}\n    contact: {}",
                todo("监督机构（如 局纪检组）"),
                todo("监督方式"),
                todo("联系电话")
            ));
        }
    }
}
