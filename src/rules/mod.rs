//! The rule engine: which function runs each rule of the rule table, the context
//! they read, and how levels and `allow` apply to what they find.
//!
//! One function per rule, in the file of its family: `parse` (§2.1, and the
//! authoring aids `placeholder`, `cjk-punctuation`, `code-category`), `flow`
//! (§2.2, the step graph), `law` (§2.3, law and disclosure), `citation` (§2.4,
//! each basis against the law registry). Names, levels and explanations live in
//! the rule table, `crate::diag::rules`.

mod citation;
mod ctx;
mod decision;
mod enforce;
mod flow;
mod law;
mod parse;

pub use parse::misplaced_marks;
mod setting;

use std::collections::HashMap;

use rayon::prelude::*;

pub(crate) use ctx::PowerCtx;

use crate::config::Settings;
use crate::diag::rules::{Level, Rule};
use crate::diag::{Diagnostic, Finding, Pos, Severity};
use crate::load::{Catalogue, Loaded, SourceFile};
use crate::model::pos;

/// How a rule of the rule table is run.
enum Runner {
    /// Reported by the loader while it parses a file.
    Loader,
    /// A function of one power's prepared context.
    Power(fn(&PowerCtx, &mut Vec<Finding>)),
    /// Read from the file's text, in the one pass of `parse::text_rules`.
    Text,
    /// Across files, once every file was checked.
    Catalogue,
    /// By the engine itself, when it applies `allow`.
    Engine,
}

/// The function of each rule. Exhaustive: a rule added to the rule table without
/// its function does not compile.
fn runner(rule: Rule) -> Runner {
    use Runner::{Catalogue, Engine, Loader, Power, Text};
    match rule {
        Rule::YamlSyntax | Rule::DuplicateKey => Loader,
        Rule::Schema => Power(parse::schema),
        Rule::DuplicateCode => Catalogue,
        Rule::DuplicateStepId => Power(parse::duplicate_step_id),
        Rule::UnknownStep => Power(flow::unknown_step),
        Rule::StartRequired => Power(flow::start_required),
        Rule::SingleStart => Power(flow::single_start),
        Rule::EndRequired => Power(flow::end_required),
        Rule::StartHasIncoming => Power(flow::start_has_incoming),
        Rule::EndHasNext => Power(flow::end_has_next),
        Rule::UnreachableStep => Power(flow::unreachable_step),
        Rule::DeadEnd => Power(flow::dead_end),
        Rule::UnmarkedCycle => Power(flow::unmarked_cycle),
        Rule::DuplicateFlow => Power(flow::duplicate_flow),
        Rule::BranchLabelRequired => Power(flow::branch_label_required),
        Rule::DecisionBranches => Power(flow::decision_branches),
        Rule::FlowTooLarge => Power(flow::flow_too_large),
        Rule::OwnerRequired => Power(flow::owner_required),
        Rule::TimeRequired => Power(flow::time_required),
        Rule::BasisRequired => Power(law::basis_required),
        Rule::BasisArticle => Power(law::basis_article),
        Rule::PromiseExceedsStatutory => Power(law::promise_exceeds_statutory),
        Rule::PromiseMargin => Power(law::promise_margin),
        Rule::PathExceedsLimit => Power(law::path_exceeds_limit),
        Rule::MixedTimeUnits => Power(law::mixed_time_units),
        Rule::AmbiguousDays => Power(law::ambiguous_days),
        Rule::PenaltyNotice => Power(decision::penalty_notice),
        Rule::EnforcementNotice => Power(enforce::enforcement_notice),
        Rule::EnforcementPower => Power(enforce::enforcement_power),
        Rule::EnforcementTiming => Power(enforce::enforcement_timing),
        Rule::RefusalWritten => Power(decision::refusal_written),
        Rule::SettingPower => Power(setting::setting_power),
        Rule::SettingContent => Power(setting::setting_content),
        Rule::LicenceSteps => Power(law::licence_steps),
        Rule::RightsRequired => Power(law::rights_required),
        Rule::ComplaintRequired => Power(law::complaint_required),
        Rule::SupervisionContact => Power(law::supervision_contact),
        Rule::NonPublicReason => Power(law::non_public_reason),
        Rule::RiskControl => Power(law::risk_control),
        Rule::DecisionSupervised => Power(law::decision_supervised),
        Rule::AccountabilityRequired => Power(law::accountability_required),
        Rule::DutyRequired => Power(law::duty_required),
        Rule::Placeholder => Text,
        Rule::CjkPunctuation => Text,
        Rule::InputMethod => Text,
        Rule::LawRepealed => Power(citation::law_repealed),
        Rule::LawArticle => Power(citation::law_article),
        Rule::LawLevel => Power(citation::law_level),
        Rule::LawClauseRemoved => Power(citation::law_clause_removed),
        Rule::RevisionOverdue => Power(citation::revision_overdue),
        Rule::LawUnknown => Power(citation::law_unknown),
        Rule::LawText => Power(citation::law_text),
        Rule::LawOutdated => Power(citation::law_outdated),
        Rule::BasisLevel => Power(citation::basis_level),
        Rule::CodeCategory => Power(parse::code_category),
        Rule::UnusedAllow => Engine,
    }
}

/// Rules whose findings follow the steps' edges, and are not run on a power
/// with an `unknown-step` edge.
fn reads_edges(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::StartHasIncoming
            | Rule::EndHasNext
            | Rule::UnreachableStep
            | Rule::DeadEnd
            | Rule::UnmarkedCycle
            | Rule::DuplicateFlow
            | Rule::BranchLabelRequired
            | Rule::DecisionBranches
            | Rule::PathExceedsLimit
            | Rule::PromiseMargin
            | Rule::LicenceSteps
            | Rule::PenaltyNotice
            | Rule::EnforcementNotice
            | Rule::EnforcementPower
            | Rule::EnforcementTiming
            | Rule::RefusalWritten
    )
}

/// What the cross-file rules and `allow` need of one file once its own rules
/// ran: all of it plain data, so that the check cache can keep it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct FileCheck {
    /// Findings of the file's own rules (before `allow`); cross-file ones come later.
    pub(crate) findings: Vec<Finding>,
    pub(crate) code: Option<(String, Pos)>,
    /// The power's `allow`, each with where it is written.
    pub(crate) allow: Vec<(String, Pos)>,
}

/// The rules that look at one file alone; a rule set to `off` is not run.
pub(crate) fn check_file(file: &SourceFile, settings: &Settings) -> FileCheck {
    let power = match &file.power {
        Loaded::Failed(findings) => {
            return FileCheck {
                findings: findings.clone(),
                code: None,
                allow: Vec::new(),
            }
        }
        Loaded::Released => {
            return FileCheck {
                findings: Vec::new(),
                code: None,
                allow: Vec::new(),
            }
        }
        Loaded::Ok(power) => power,
    };
    let ctx = PowerCtx::new(power, settings);
    // A `next` naming no step breaks the graph: what the other rules would say
    // of its edges is the typo's echo (an officer "fixes" it by adding a step).
    let typo = ctx.unknown_edge.iter().any(|&u| u);
    let mut out = Vec::new();
    let on = |rule: Rule| settings.level(rule) != Level::Off;
    for &rule in Rule::ALL {
        if !on(rule) || (typo && reads_edges(rule)) {
            continue;
        }
        match runner(rule) {
            Runner::Power(f) => f(&ctx, &mut out),
            Runner::Text | Runner::Loader | Runner::Catalogue | Runner::Engine => {}
        }
    }
    // The source-text rules share one pass over the lines.
    let which = parse::TextRules {
        placeholder: on(Rule::Placeholder),
        cjk: on(Rule::CjkPunctuation),
        input_method: on(Rule::InputMethod),
    };
    parse::text_rules(&file.text, which, &mut out);
    FileCheck {
        findings: out,
        code: power
            .code
            .as_ref()
            .filter(|c| !c.value.is_empty())
            .map(|c| (c.value.clone(), pos(c))),
        allow: power
            .allow
            .iter()
            .map(|a| (a.value.clone(), pos(a)))
            .collect(),
    }
}

/// Whether a file's own findings hold an error once `allow` and levels apply
/// (cross-file findings aside).
pub(crate) fn has_errors(check: &FileCheck, settings: &Settings) -> bool {
    apply_allow(&check.allow, check.findings.clone(), settings)
        .iter()
        .any(|f| settings.level(f.rule) == Level::Error)
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
    if settings.level(Rule::DuplicateCode) != Level::Off {
        parse::duplicate_codes(
            files,
            &mut checks
                .iter_mut()
                .map(|c| (&c.code, &mut c.findings))
                .collect::<Vec<_>>(),
        );
    }
    let diagnose = |(file, check): (&SourceFile, FileCheck)| -> Vec<Diagnostic> {
        let findings = apply_allow(&check.allow, check.findings, settings);
        findings
            .into_iter()
            .filter_map(|f| {
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
            .collect()
    };
    let mut diags: Vec<Diagnostic>;
    if files.len() < 64 {
        // A few files (one for `serve`) are not handed to the thread pool,
        // which may be busy with a whole build.
        diags = files.iter().zip(checks).flat_map(diagnose).collect();
        diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    } else {
        diags = files
            .par_iter()
            .zip(checks.into_par_iter())
            .flat_map_iter(diagnose)
            .collect();
        diags.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    diags.dedup();
    diags
}

/// Drops findings the power allows, and reports each `allow` that silenced
/// nothing. An `allow` of a rule set to `off` is not judged: that rule did not run.
fn apply_allow(
    allow: &[(String, Pos)],
    mut findings: Vec<Finding>,
    settings: &Settings,
) -> Vec<Finding> {
    if allow.is_empty() {
        return findings;
    }
    let mut used: HashMap<&str, bool> = allow.iter().map(|(a, _)| (a.as_str(), false)).collect();
    findings.retain(|f| match used.get_mut(f.rule.name()) {
        Some(u) => {
            *u = true;
            false
        }
        None => true,
    });
    for (a, at) in allow {
        if used.get(a.as_str()) != Some(&false) {
            continue;
        }
        let message = match Rule::from_name(a) {
            Some(r) if settings.level(r) == Level::Off => continue,
            Some(_) => format!(
                "`allow: {}` 没有豁免任何问题，请删除 (this allow silences nothing)",
                a
            ),
            None => format!(
                "`allow` 中的 `{}` 不是规则名{}（`powerlist explain` 列出全部规则）",
                a,
                crate::load::suggest::did_you_mean(a, Rule::names())
            ),
        };
        findings.push(Finding::new(Rule::UnusedAllow, *at, message));
    }
    findings
}
