//! The rule registry (SPEC §2) and the engine that applies levels and `allow`.
//!
//! Each family lives in its own file with its explanations: `schema` (§2.1, parse and
//! schema, and `placeholder`), `flow` (§2.2, the step graph), `law` (§2.3, law and disclosure).

mod flow;
mod law;
mod schema;

pub use schema::valid_code;

use std::collections::HashMap;
use std::fmt;

use rayon::prelude::*;
use serde::{Serialize, Serializer};

use crate::config::Settings;
use crate::diag::{Diagnostic, Finding, Level, Severity};
use crate::load::{Catalogue, Loaded, SourceFile};
use crate::model::{pos, Pos, Sp};

/// Every rule of the contract, in SPEC order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    YamlSyntax,
    Schema,
    DuplicateKey,
    DuplicateCode,
    DuplicateStepId,
    UnknownStep,
    StartRequired,
    SingleStart,
    EndRequired,
    StartHasIncoming,
    EndHasNext,
    UnreachableStep,
    DeadEnd,
    UnmarkedCycle,
    DuplicateFlow,
    BranchLabelRequired,
    DecisionBranches,
    OwnerRequired,
    TimeRequired,
    BasisRequired,
    BasisArticle,
    PromiseExceedsStatutory,
    PromiseMargin,
    PathExceedsLimit,
    MixedTimeUnits,
    PenaltyNotice,
    LicenceSteps,
    RightsRequired,
    ComplaintRequired,
    NonPublicReason,
    RiskControl,
    DecisionSupervised,
    Placeholder,
    UnusedAllow,
}

/// How `powerlist explain` describes a rule.
#[derive(Debug, Clone, Copy)]
pub struct Doc {
    pub summary: &'static str,
    pub why: &'static str,
    pub example: &'static str,
    pub fix: &'static str,
}

impl Rule {
    pub const ALL: &'static [Rule] = &[
        Rule::YamlSyntax,
        Rule::Schema,
        Rule::DuplicateKey,
        Rule::DuplicateCode,
        Rule::DuplicateStepId,
        Rule::UnknownStep,
        Rule::StartRequired,
        Rule::SingleStart,
        Rule::EndRequired,
        Rule::StartHasIncoming,
        Rule::EndHasNext,
        Rule::UnreachableStep,
        Rule::DeadEnd,
        Rule::UnmarkedCycle,
        Rule::DuplicateFlow,
        Rule::BranchLabelRequired,
        Rule::DecisionBranches,
        Rule::OwnerRequired,
        Rule::TimeRequired,
        Rule::BasisRequired,
        Rule::BasisArticle,
        Rule::PromiseExceedsStatutory,
        Rule::PromiseMargin,
        Rule::PathExceedsLimit,
        Rule::MixedTimeUnits,
        Rule::PenaltyNotice,
        Rule::LicenceSteps,
        Rule::RightsRequired,
        Rule::ComplaintRequired,
        Rule::NonPublicReason,
        Rule::RiskControl,
        Rule::DecisionSupervised,
        Rule::Placeholder,
        Rule::UnusedAllow,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rule::YamlSyntax => "yaml-syntax",
            Rule::Schema => "schema",
            Rule::DuplicateKey => "duplicate-key",
            Rule::DuplicateCode => "duplicate-code",
            Rule::DuplicateStepId => "duplicate-step-id",
            Rule::UnknownStep => "unknown-step",
            Rule::StartRequired => "start-required",
            Rule::SingleStart => "single-start",
            Rule::EndRequired => "end-required",
            Rule::StartHasIncoming => "start-has-incoming",
            Rule::EndHasNext => "end-has-next",
            Rule::UnreachableStep => "unreachable-step",
            Rule::DeadEnd => "dead-end",
            Rule::UnmarkedCycle => "unmarked-cycle",
            Rule::DuplicateFlow => "duplicate-flow",
            Rule::BranchLabelRequired => "branch-label-required",
            Rule::DecisionBranches => "decision-branches",
            Rule::OwnerRequired => "owner-required",
            Rule::TimeRequired => "time-required",
            Rule::BasisRequired => "basis-required",
            Rule::BasisArticle => "basis-article",
            Rule::PromiseExceedsStatutory => "promise-exceeds-statutory",
            Rule::PromiseMargin => "promise-margin",
            Rule::PathExceedsLimit => "path-exceeds-limit",
            Rule::MixedTimeUnits => "mixed-time-units",
            Rule::PenaltyNotice => "penalty-notice",
            Rule::LicenceSteps => "licence-steps",
            Rule::RightsRequired => "rights-required",
            Rule::ComplaintRequired => "complaint-required",
            Rule::NonPublicReason => "non-public-reason",
            Rule::RiskControl => "risk-control",
            Rule::DecisionSupervised => "decision-supervised",
            Rule::Placeholder => "placeholder",
            Rule::UnusedAllow => "unused-allow",
        }
    }

    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.name() == name)
    }

    pub fn default_level(self) -> Level {
        match self {
            Rule::OwnerRequired
            | Rule::TimeRequired
            | Rule::BasisArticle
            | Rule::PromiseMargin
            | Rule::MixedTimeUnits
            | Rule::RightsRequired
            | Rule::ComplaintRequired
            | Rule::DecisionSupervised
            | Rule::Placeholder
            | Rule::UnusedAllow => Level::Warn,
            _ => Level::Error,
        }
    }

    pub fn doc(self) -> Doc {
        schema::doc(self)
            .or_else(|| flow::doc(self))
            .or_else(|| law::doc(self))
            .unwrap_or(Doc {
                summary: "`allow` 中列出的规则没有在本职权中触发, 这条 allow 是多余的。",
                why: "多余的豁免会掩盖今后真正的问题; 规则名拼错时豁免也不会生效。",
                example: "allow: [time-required]   # 但每个步骤都写了 time",
                fix: "删除这条 allow, 或改正规则名 (`powerlist explain` 列出全部规则)。",
            })
    }

    /// The text `powerlist explain RULE` prints.
    pub fn explain(self) -> String {
        let d = self.doc();
        let level = match self.default_level() {
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Off => "off",
        };
        format!(
            "{name} (默认级别 default level: {level})\n\n\
             规则说明 What it does\n  {summary}\n\n\
             为什么 Why\n  {why}\n\n\
             示例 Example\n{example}\n\n\
             如何修改 Fix\n  {fix}\n",
            name = self.name(),
            summary = d.summary,
            why = d.why,
            example = indent(d.example),
            fix = d.fix,
        )
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// What the cross-file rules and `allow` need of one file once its own rules ran.
pub(crate) struct FileCheck {
    /// Findings of the file's own rules (before `allow`); cross-file ones come later.
    pub(crate) findings: Vec<Finding>,
    code: Option<(String, Pos)>,
    allow: Vec<Sp<String>>,
}

/// The rules that look at one file alone.
pub(crate) fn check_file(file: &SourceFile, settings: &Settings) -> FileCheck {
    match &file.power {
        Loaded::Failed(findings) => FileCheck {
            findings: findings.clone(),
            code: None,
            allow: Vec::new(),
        },
        Loaded::Released => FileCheck {
            findings: Vec::new(),
            code: None,
            allow: Vec::new(),
        },
        Loaded::Ok(power) => {
            let mut out = schema::check_power(power, settings);
            flow::check_power(power, &mut out);
            law::check_power(power, settings, &mut out);
            schema::placeholders(&file.text, &mut out);
            FileCheck {
                findings: out,
                code: power
                    .code
                    .as_ref()
                    .filter(|c| !c.value.is_empty())
                    .map(|c| (c.value.clone(), pos(c))),
                allow: power.allow.clone(),
            }
        }
    }
}

/// Runs every rule on a loaded catalogue and returns the diagnostics, sorted.
pub fn check(cat: &Catalogue, settings: &Settings) -> Vec<Diagnostic> {
    let checks: Vec<FileCheck> = cat
        .files
        .par_iter()
        .map(|f| check_file(f, settings))
        .collect();
    finish(&cat.files, checks, settings)
}

/// Cross-file rules, then `allow`, levels and order.
pub(crate) fn finish(
    files: &[SourceFile],
    mut checks: Vec<FileCheck>,
    settings: &Settings,
) -> Vec<Diagnostic> {
    schema::duplicate_codes(
        files,
        &mut checks
            .iter_mut()
            .map(|c| (&c.code, &mut c.findings))
            .collect::<Vec<_>>(),
    );
    let mut diags: Vec<Diagnostic> = files
        .par_iter()
        .zip(checks.into_par_iter())
        .flat_map_iter(|(file, check)| {
            let findings = apply_allow(&check.allow, check.findings);
            findings.into_iter().filter_map(move |f| {
                let severity = match settings.level(f.rule) {
                    Level::Off => return None,
                    Level::Warn => Severity::Warn,
                    Level::Error => Severity::Error,
                };
                Some(Diagnostic {
                    rule: f.rule,
                    severity,
                    file: file.rel.clone(),
                    line: f.pos.line,
                    column: f.pos.column,
                    message: f.message,
                    offset: f.pos.offset,
                    len: f.pos.len,
                })
            })
        })
        .collect();
    diags.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
    diags
}

/// Drops findings the power allows, and reports each `allow` that silenced nothing.
fn apply_allow(allow: &[Sp<String>], mut findings: Vec<Finding>) -> Vec<Finding> {
    if allow.is_empty() {
        return findings;
    }
    let mut used: HashMap<&str, bool> = allow.iter().map(|a| (a.value.as_str(), false)).collect();
    findings.retain(|f| match used.get_mut(f.rule.name()) {
        Some(u) => {
            *u = true;
            false
        }
        None => true,
    });
    for a in allow {
        if used.get(a.value.as_str()) == Some(&false) {
            let message = if Rule::from_name(&a.value).is_some() {
                format!(
                    "`allow: {}` 没有豁免任何问题, 请删除 (this allow silences nothing)",
                    a.value
                )
            } else {
                format!(
                    "`allow` 中的 `{}` 不是规则名 (unknown rule; see `powerlist explain`)",
                    a.value
                )
            };
            findings.push(Finding::new(Rule::UnusedAllow, pos(a), message));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_round_trip() {
        let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        for n in &names {
            assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{n}");
            assert_eq!(Rule::from_name(n).map(Rule::name), Some(*n));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
    }

    #[test]
    fn every_rule_has_its_own_explanation() {
        let mut summaries = Vec::new();
        for r in Rule::ALL {
            let d = r.doc();
            for part in [d.summary, d.why, d.example, d.fix] {
                assert!(part.trim().len() > 8, "{r}: empty explanation part");
            }
            summaries.push(d.summary);
            assert!(r.explain().starts_with(r.name()));
        }
        summaries.sort_unstable();
        summaries.dedup();
        assert_eq!(summaries.len(), Rule::ALL.len(), "two rules share a text");
    }
}
