//! SPEC §2.3: law and disclosure — basis, time limits, category procedures, rights.

use petgraph::Direction;

use super::{Doc, Rule};
use crate::config::{Settings, COERCION, LICENCE, PENALTY};
use crate::diag::Finding;
use crate::duration::{exceeds, exceeds_scaled, Amount, Verdict};
use crate::graph::StepGraph;
use crate::model::{pos, DurationText, Pos, Power, Role, Sp, StepType};

pub(super) fn doc(rule: Rule) -> Option<Doc> {
    Some(match rule {
        Rule::BasisRequired => Doc {
            summary: "职权没有任何 `basis` (设定依据)。",
            why: "职权法定: 凡未列明法律依据的权力不得行使, 也不得列入职权目录。",
            example: "code: MZ-QR-0001\nname: 婚姻登记\n# 没有 basis",
            fix: "至少写一条依据: `basis: [{law: 婚姻登记条例, level: 行政法规, article: 第四条}]`。",
        },
        Rule::BasisArticle => Doc {
            summary: "一条 `basis` 没有写明 `article` (条款)。",
            why: "只写法律名称无法核对职权的具体来源; 职权目录要求列明依据条款。",
            example: "basis:\n  - law: 社会救助暂行办法\n    level: 行政法规      # 缺少 article",
            fix: "补写条款, 如 `article: 第十一条`; 确实无法确定时可用 `allow: [basis-article]` 豁免并说明。",
        },
        Rule::PromiseExceedsStatutory => Doc {
            summary: "承诺时限长于法定时限。",
            why: "承诺是在法定时限内向社会作出的提速承诺, 不能比法律规定更长。",
            example: "time_limit:\n  statutory: 20个工作日\n  promised: 25个工作日",
            fix: "把承诺时限改为不超过法定时限 (原则上缩短三分之一以上)。",
        },
        Rule::PromiseMargin => Doc {
            summary: "承诺时限超过法定时限的三分之二, 即缩短不足三分之一。",
            why: "seed 004: 原则上承诺时限要比法定时限缩短三分之一以上。",
            example: "time_limit:\n  statutory: 20个工作日\n  promised: 15个工作日    # 应不超过 13 个工作日",
            fix: "把承诺时限压缩到法定时限的三分之二以内, 或用 `allow: [promise-margin]` 豁免并说明理由。",
        },
        Rule::PathExceedsLimit => Doc {
            summary: "从起点到终点最长的一条路径 (不计 `back: true` 的退回边, `即办` 计 0) 所需时间超过承诺时限; 没有承诺时限时与法定时限比较。",
            why: "各环节时限之和超过总时限, 意味着按图办理必然超期。",
            example: "time_limit:\n  promised: 10个工作日\nsteps: ...   # 受理 2 + 审查 5 + 决定 5 = 12 个工作日",
            fix: "压缩环节时限, 或调整总时限使之不少于最长路径。",
        },
        Rule::MixedTimeUnits => Doc {
            summary: "时限比较混用了工作日和自然日, 且在不知道起始日期时无法判定大小。",
            why: "N 个工作日折合多少自然日取决于起算日 (周末、法定节假日、调休); powerlist 只在对所有起算日都成立时才下结论, 否则如实报告。",
            example: "time_limit:\n  statutory: 30日\n  promised: 20个工作日    # 20 个工作日可能是 26 日, 也可能超过 30 日",
            fix: "总时限与各环节时限统一使用同一种单位。",
        },
        Rule::PenaltyNotice => Doc {
            summary: "行政处罚或行政强制: 从起点到某个 `决定` 步骤存在一条不经过 `告知` 步骤的路径。",
            why: "行政处罚法第四十四条: 作出行政处罚决定之前, 应当告知当事人拟作出处罚的内容及事实、理由、依据, 并告知其陈述、申辩、要求听证等权利。",
            example: "  - id: review\n    type: decision\n    next:\n      - {to: notify, when: 一般程序}\n      - {to: decide, when: 情节轻微}   # 跳过了告知",
            fix: "让每条通往决定的路径都经过 `role: 告知` 的步骤。",
        },
        Rule::LicenceSteps => Doc {
            summary: "行政许可: `决定` 步骤之前没有 `受理` 步骤, 或之后没有 `送达` 步骤 (或根本没有 `决定` 步骤)。",
            why: "行政许可法规定了受理 (第三十二条)、决定和送达 (第四十四条) 等法定程序。",
            example: "  - id: review\n    role: 审查\n    next: decide\n  - id: decide\n    role: 决定\n    type: end          # 决定后没有送达",
            fix: "补写 `role: 受理` 和 `role: 送达` 的步骤, 并用 next 连到决定的前后。",
        },
        Rule::RightsRequired => Doc {
            summary: "行政处罚或行政强制的 `rights` 缺少 陈述 或 申辩。",
            why: "陈述权、申辩权是当事人的法定权利, 流程图须载明相对人的权利 (seed 004 第(6)项)。",
            example: "category: 行政处罚\nrights: [行政复议, 行政诉讼]",
            fix: "`rights: [陈述, 申辩, 听证, 行政复议, 行政诉讼]`。",
        },
        Rule::ComplaintRequired => Doc {
            summary: "没有 `complaints` (投诉举报途径)。",
            why: "流程图须载明投诉举报途径和方式 (seed 004 第(7)项)。",
            example: "complaints: []",
            fix: "`complaints: [{channel: 县纪委监委派驻纪检组, phone: 0000-0000000}]`。",
        },
        Rule::NonPublicReason => Doc {
            summary: "`disclosure.public: false` 但没有写 `reason` (不公开理由)。",
            why: "涉密不宜公开的职权须逐项列明不公开理由, 报法制办审核。",
            example: "disclosure:\n  public: false",
            fix: "写明理由, 如 `reason: 涉及国家秘密, 依据保守国家秘密法第九条`。",
        },
        Rule::RiskControl => Doc {
            summary: "步骤的 `risk` (风险点) 没有 `control` (防控措施)。",
            why: "排查出风险点就必须有对应的防控措施, 否则风险排查流于形式。",
            example: "    risk:\n      level: 高\n      point: 优亲厚友",
            fix: "写明防控措施, 如 `control: 两人以上入户核查, 结果张榜公示`。",
        },
        Rule::DecisionSupervised => Doc {
            summary: "`决定` 步骤没有对应的 `supervision` (监督制约环节)。",
            why: "决定是权力最集中的环节, 须写明内部监督机构和外部监督渠道 (seed 004 第(5)项)。",
            example: "supervision: []    # 而 decide 步骤 role: 决定",
            fix: "`supervision: [{step: decide, by: 局纪检组, how: 集体研究、结果公示}]`。",
        },
        _ => return None,
    })
}

/// A limit and where it was written, if it parsed.
fn limit(d: Option<&Sp<DurationText>>) -> Option<(&Sp<DurationText>, crate::duration::Duration)> {
    let d = d?;
    let v = *d.value.parsed.as_ref().ok()?;
    Some((d, v))
}

pub(super) fn check_power(p: &Power, settings: &Settings, out: &mut Vec<Finding>) {
    let cal = &settings.calendar;
    let category = p
        .category
        .as_ref()
        .and_then(|c| settings.category(&c.value));

    match &p.basis {
        Some(b) if !b.value.is_empty() => {
            for entry in &b.value {
                let missing = entry
                    .value
                    .article
                    .as_ref()
                    .is_none_or(|a| a.value.trim().is_empty());
                if missing {
                    let law = entry.value.law.as_ref().map_or("", |l| l.value.as_str());
                    out.push(Finding::new(
                        Rule::BasisArticle,
                        pos(entry),
                        format!("依据《{law}》没有写明条款 `article`"),
                    ));
                }
            }
        }
        other => out.push(Finding::new(
            Rule::BasisRequired,
            other.as_ref().map_or(Pos::START, pos),
            "没有设定依据 `basis`: 职权法定, 至少列出一条法律依据 (basis required)",
        )),
    }

    let statutory = limit(p.statutory());
    let promised = limit(p.promised());
    if let (Some((_, s)), Some((p_at, pr))) = (statutory, promised) {
        let (sa, pa) = (Amount::of(s, cal), Amount::of(pr, cal));
        match exceeds(pa, sa) {
            Verdict::Exceeds => out.push(Finding::new(
                Rule::PromiseExceedsStatutory,
                pos(p_at),
                format!("承诺时限 {pr} 长于法定时限 {s}"),
            )),
            Verdict::Undecidable => out.push(mixed(
                pos(p_at),
                &format!("承诺时限 {pr} 与法定时限 {s}"),
                pa,
                sa,
            )),
            Verdict::Within => match exceeds_scaled(pa, 3, sa, 2) {
                Verdict::Exceeds => out.push(Finding::new(
                    Rule::PromiseMargin,
                    pos(p_at),
                    format!("承诺时限 {pr} 超过法定时限 {s} 的三分之二: 原则上应缩短三分之一以上"),
                )),
                Verdict::Undecidable => out.push(mixed(
                    pos(p_at),
                    &format!("承诺时限 {pr} 与法定时限 {s} 的三分之二"),
                    pa,
                    sa,
                )),
                Verdict::Within => {}
            },
        }
    }

    let g = StepGraph::new(p);
    let starts = g.nodes_of_type(StepType::Start);

    if let Some((l_at, l)) = promised.or(statutory) {
        if let Some(longest) = g.longest_path(&starts, cal) {
            let la = Amount::of(l, cal);
            let which = if promised.is_some() {
                "承诺时限"
            } else {
                "法定时限"
            };
            match exceeds(longest, la) {
                Verdict::Exceeds => out.push(Finding::new(
                    Rule::PathExceedsLimit,
                    pos(l_at),
                    format!(
                        "最长办理路径需 {}, 超过{which} {l} (longest path exceeds the limit)",
                        longest.describe()
                    ),
                )),
                Verdict::Undecidable => out.push(mixed(
                    pos(l_at),
                    &format!("最长办理路径 {} 与{which} {l}", longest.describe()),
                    longest,
                    la,
                )),
                Verdict::Within => {}
            }
        }
    }

    if category == Some(PENALTY) || category == Some(COERCION) {
        let avoid_notice =
            |n: petgraph::graph::NodeIndex| g.steps[n.index()].role() == Some(Role::Notify);
        let reached = g.reach(&starts, Direction::Outgoing, &avoid_notice);
        for d in g.nodes_with_role(Role::Decide) {
            if reached[d.index()] {
                let s = g.steps[d.index()];
                out.push(Finding::new(
                    Rule::PenaltyNotice,
                    s.role.as_ref().map_or(Pos::START, pos),
                    format!(
                        "存在一条从起点到决定步骤 `{}` 而不经过 `告知` 的路径 (decision without prior notice)",
                        s.id()
                    ),
                ));
            }
        }
        let rights = p.rights();
        let lacking: Vec<&str> = ["陈述", "申辩"]
            .into_iter()
            .filter(|r| !rights.iter().any(|x| x.contains(r)))
            .collect();
        if !lacking.is_empty() {
            out.push(Finding::new(
                Rule::RightsRequired,
                p.rights.as_ref().map_or(Pos::START, pos),
                format!("`rights` 缺少当事人的 {} 权", lacking.join("、")),
            ));
        }
    }

    if category == Some(LICENCE) {
        let decisions = g.nodes_with_role(Role::Decide);
        if decisions.is_empty() {
            out.push(Finding::new(
                Rule::LicenceSteps,
                p.steps.as_ref().map_or(Pos::START, pos),
                "行政许可没有 `role: 决定` 的步骤",
            ));
        }
        for d in decisions {
            let s = g.steps[d.index()];
            let at = s.role.as_ref().map_or(Pos::START, pos);
            let before = g.reach(&[d], Direction::Incoming, &|_| false);
            let accepted = g
                .nodes_with_role(Role::Accept)
                .into_iter()
                .any(|a| a != d && before[a.index()]);
            if !accepted {
                out.push(Finding::new(
                    Rule::LicenceSteps,
                    at,
                    format!("行政许可的决定步骤 `{}` 之前没有 `受理` 步骤", s.id()),
                ));
            }
            let after = g.reach(&[d], Direction::Outgoing, &|_| false);
            let delivered = g
                .nodes_with_role(Role::Deliver)
                .into_iter()
                .any(|a| a != d && after[a.index()]);
            if !delivered {
                out.push(Finding::new(
                    Rule::LicenceSteps,
                    at,
                    format!("行政许可的决定步骤 `{}` 之后没有 `送达` 步骤", s.id()),
                ));
            }
        }
    }

    if p.complaints.is_empty() {
        out.push(Finding::new(
            Rule::ComplaintRequired,
            Pos::START,
            "没有投诉举报途径 `complaints`",
        ));
    }

    if let Some(d) = &p.disclosure {
        if let Some(public) = &d.value.public {
            let no_reason = d
                .value
                .reason
                .as_ref()
                .is_none_or(|r| r.value.trim().is_empty());
            if !public.value && no_reason {
                out.push(Finding::new(
                    Rule::NonPublicReason,
                    pos(public),
                    "不公开的职权 (`public: false`) 必须写明不公开理由 `reason`",
                ));
            }
        }
    }

    for sp in p.steps() {
        let s = &sp.value;
        if let Some(risk) = &s.risk {
            if risk
                .value
                .control
                .as_ref()
                .is_none_or(|c| c.value.trim().is_empty())
            {
                out.push(Finding::new(
                    Rule::RiskControl,
                    pos(risk),
                    format!("步骤 `{}` 的风险点没有防控措施 `control`", s.id()),
                ));
            }
        }
        if s.role() == Some(Role::Decide) {
            let supervised = p
                .supervision
                .iter()
                .any(|x| x.value.step.as_ref().is_some_and(|st| st.value == s.id()));
            if !supervised {
                out.push(Finding::new(
                    Rule::DecisionSupervised,
                    s.id.as_ref().map_or(pos(sp), pos),
                    format!("决定步骤 `{}` 没有监督制约环节 `supervision`", s.id()),
                ));
            }
        }
    }
}

fn mixed(at: Pos, what: &str, a: Amount, b: Amount) -> Finding {
    Finding::new(
        Rule::MixedTimeUnits,
        at,
        format!(
            "{what}混用工作日与自然日, 无法在不知道起算日期时比较: 前者折合 {}, 后者折合 {} (undecidable without a date)",
            a.bounds(),
            b.bounds()
        ),
    )
}
