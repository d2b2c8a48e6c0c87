//! SPEC §5.6: whether the bases can create the power at all (`setting-power`)
//! and whether what the power imposes is what the highest of them may set
//! (`setting-content`): 行政许可法第十四、十五条, 行政处罚法第十至十六条,
//! 行政强制法第十、十一条.

use super::ctx::PowerCtx;
use crate::diag::rules::Rule;
use crate::diag::{Finding, Pos};
use crate::model::{
    pos, Basis, Issuer, LawLevel, MeasureKind, PenaltyKind, Sp, COERCION, LICENCE, PENALTY,
};

/// Whether a law governs how a power is used and never creates one (SPEC
/// §5.1): the law registry says.
pub(super) fn is_procedural(ctx: &PowerCtx, name: &str) -> bool {
    ctx.law(name).is_some_and(|l| l.procedural)
}

/// A basis's level: as written, else the law library's (SPEC §1.1b).
fn effective_level(ctx: &PowerCtx, b: &Basis) -> Option<LawLevel> {
    b.level.as_ref().map(|l| l.value).or_else(|| {
        let law = b.law.as_ref()?;
        ctx.law(&law.value)?.level
    })
}

/// The bases that are not procedural laws (the 设定依据 proper).
fn setting_bases<'a>(ctx: &'a PowerCtx) -> impl Iterator<Item = &'a Sp<Basis>> {
    ctx.power.basis().iter().filter(|b| {
        b.value
            .law
            .as_ref()
            .is_some_and(|l| !l.value.trim().is_empty() && !is_procedural(ctx, &l.value))
    })
}

/// The levels of the non-procedural bases that give one.
pub(super) fn setting_levels(ctx: &PowerCtx) -> Vec<LawLevel> {
    setting_bases(ctx)
        .filter_map(|b| effective_level(ctx, &b.value))
        .collect()
}

/// A level's rank: 法律 highest; the two kinds of 规章 rank alike.
fn rank(l: LawLevel) -> u8 {
    match l {
        LawLevel::Law => 5,
        LawLevel::AdministrativeRegulation => 4,
        LawLevel::LocalRegulation => 3,
        LawLevel::DepartmentalRule | LawLevel::LocalGovernmentRule => 2,
        LawLevel::NormativeDocument => 1,
    }
}

/// The highest non-procedural basis with a level, and that level.
fn highest<'a>(ctx: &'a PowerCtx) -> Option<(&'a Sp<Basis>, LawLevel)> {
    setting_bases(ctx)
        .filter_map(|b| Some((b, effective_level(ctx, &b.value)?)))
        .max_by_key(|(_, l)| rank(*l))
}

/// `setting-power`: no non-procedural basis of a level that can create this
/// category, or bases that are all procedural laws (行政许可法第十四、十五条;
/// 行政处罚法第十至十六条; 行政强制法第十、十一条).
pub(super) fn setting_power(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    use LawLevel::*;
    let (allowed, law): (&[LawLevel], &str) = match ctx.category {
        Some(LICENCE) => (
            &[Law, AdministrativeRegulation, LocalRegulation, LocalGovernmentRule],
            "行政许可法第十四、十五条：法律、行政法规、地方性法规、省级地方政府规章可以设定行政许可，部门规章和规范性文件不得设定",
        ),
        Some(PENALTY) => (
            &[Law, AdministrativeRegulation, LocalRegulation, DepartmentalRule, LocalGovernmentRule],
            "行政处罚法第十至十六条：法律、法规、规章可以设定行政处罚，其他规范性文件不得设定",
        ),
        Some(COERCION) => (
            &[Law, AdministrativeRegulation, LocalRegulation],
            "行政强制法第十、十一条：行政强制措施由法律、法规设定，规章和规范性文件不得设定",
        ),
        _ => return,
    };
    let at = ctx.power.basis.as_ref().map_or(Pos::START, pos);
    let named: Vec<&str> = ctx
        .power
        .basis()
        .iter()
        .filter_map(|b| b.value.law.as_ref())
        .map(|l| l.value.trim())
        .filter(|l| !l.is_empty())
        .collect();
    if !named.is_empty() && setting_bases(ctx).next().is_none() {
        out.push(Finding::new(
            Rule::SettingPower,
            at,
            format!(
                "依据只有程序性法律（{}）：程序法规定怎样行使{}，不设定这项职权；请写明设定它的法律法规条款 (no setting basis)",
                named.join("、"),
                ctx.category.unwrap_or("")
            ),
        ));
        return;
    }
    let levels = setting_levels(ctx);
    if levels.is_empty() || levels.iter().any(|l| allowed.contains(l)) {
        return;
    }
    let mut written: Vec<&str> = levels.iter().map(|l| l.label()).collect();
    written.dedup();
    out.push(Finding::new(
        Rule::SettingPower,
        at,
        format!(
            "依据的效力层级（{}）不能设定{}：{law} (setting power)",
            written.join("、"),
            ctx.category.unwrap_or("")
        ),
    ));
}

/// The penalty kinds a level may set (行政处罚法第十至十六条).
fn penalty_allowed(level: LawLevel, kind: PenaltyKind) -> bool {
    use PenaltyKind::*;
    match level {
        LawLevel::Law => true,
        LawLevel::AdministrativeRegulation => kind != Detention,
        LawLevel::LocalRegulation => !matches!(kind, Detention | RevokeBusinessLicence),
        LawLevel::DepartmentalRule | LawLevel::LocalGovernmentRule => {
            matches!(kind, Warning | Criticism | Fine)
        }
        LawLevel::NormativeDocument => false,
    }
}

fn penalty_law(level: LawLevel) -> &'static str {
    match level {
        LawLevel::Law => "行政处罚法第十条",
        LawLevel::AdministrativeRegulation => {
            "行政处罚法第十一条：行政法规可以设定除限制人身自由以外的行政处罚"
        }
        LawLevel::LocalRegulation => {
            "行政处罚法第十二条：地方性法规可以设定除限制人身自由、吊销营业执照以外的行政处罚"
        }
        LawLevel::DepartmentalRule | LawLevel::LocalGovernmentRule => {
            "行政处罚法第十三、十四条：规章只能设定警告、通报批评或者一定数额罚款"
        }
        LawLevel::NormativeDocument => "行政处罚法第十六条：其他规范性文件不得设定行政处罚",
    }
}

/// The measure kinds a level may set (行政强制法第十条).
fn measure_allowed(level: LawLevel, kind: MeasureKind) -> bool {
    use MeasureKind::*;
    match level {
        LawLevel::Law => true,
        LawLevel::AdministrativeRegulation => !matches!(kind, Liberty | Freeze),
        LawLevel::LocalRegulation => matches!(kind, Seal | Seize),
        _ => false,
    }
}

fn measure_law(level: LawLevel) -> &'static str {
    match level {
        LawLevel::Law => "行政强制法第十条第一款",
        LawLevel::AdministrativeRegulation => {
            "行政强制法第十条第二款：行政法规不得设定限制公民人身自由、冻结存款汇款和应当由法律规定的行政强制措施"
        }
        LawLevel::LocalRegulation => {
            "行政强制法第十条第三款：地方性法规只能设定查封场所、设施或者财物和扣押财物"
        }
        _ => "行政强制法第十条第四款：法律、法规以外的其他规范性文件不得设定行政强制措施",
    }
}

/// `setting-content`: what the power imposes exceeds what its highest
/// non-procedural basis may set (SPEC §5.6).
pub(super) fn setting_content(ctx: &PowerCtx, out: &mut Vec<Finding>) {
    let Some((basis, level)) = highest(ctx) else {
        return;
    };
    let law = basis.value.law.as_ref().map_or("", |l| l.value.as_str());
    let p = ctx.power;
    match ctx.category {
        Some(PENALTY) => {
            let kinds = p
                .penalty_types
                .iter()
                .filter_map(|k| Some((k, k.value.value()?)));
            for (k, kind) in kinds.filter(|(_, kind)| !penalty_allowed(level, *kind)) {
                out.push(Finding::new(
                    Rule::SettingContent,
                    pos(k),
                    format!(
                        "处罚种类「{}」超出最高一级依据《{law}》（{}）可以设定的范围：{}",
                        kind.label(),
                        level.label(),
                        penalty_law(level)
                    ),
                ));
            }
        }
        Some(COERCION) if p.is_measure() => {
            let kinds = p
                .measure_types
                .iter()
                .filter_map(|k| Some((k, k.value.value()?)));
            for (k, kind) in kinds.filter(|(_, kind)| !measure_allowed(level, *kind)) {
                out.push(Finding::new(
                    Rule::SettingContent,
                    pos(k),
                    format!(
                        "强制措施「{}」超出最高一级依据《{law}》（{}）可以设定的范围：{}",
                        kind.label(),
                        level.label(),
                        measure_law(level)
                    ),
                ));
            }
        }
        Some(LICENCE) if level == LawLevel::LocalGovernmentRule => {
            licence_rule(basis, law, out);
        }
        _ => {}
    }
}

/// A licence whose highest basis is a 地方政府规章: only a 省级 one may set it,
/// and only a temporary one (行政许可法第十五条第一款).
fn licence_rule(basis: &Sp<Basis>, law: &str, out: &mut Vec<Finding>) {
    match basis.value.issuer.as_ref().map(|i| i.value) {
        Some(Issuer::Province) => {}
        Some(Issuer::City) => out.push(Finding::new(
            Rule::SettingContent,
            basis.value.issuer.as_ref().map_or_else(|| pos(basis), pos),
            format!(
                "《{law}》是设区的市人民政府规章，不能设定行政许可：行政许可法第十五条第一款只允许省、自治区、直辖市人民政府规章设定临时性的行政许可"
            ),
        )),
        None => out.push(Finding::new(
            Rule::SettingContent,
            basis.value.level.as_ref().map_or_else(|| pos(basis), pos),
            format!(
                "最高一级依据《{law}》是地方政府规章：行政许可法第十五条第一款只允许省级人民政府规章设定临时性的行政许可，设区的市的规章不能设定；请写明 `issuer: 省级` 或 `issuer: 设区的市`"
            ),
        )),
    }
}
