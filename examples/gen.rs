//! A realistic synthetic catalogue for benchmarks: every category's procedure
//! shape (licence 补正 loops and 不予受理 exits, penalty 告知 and 听证 branches,
//! 公示 steps, branches, risks, supervision), long Chinese names, many
//! departments, a few non-public powers. Deterministic for a seed; checks clean.
//!
//!     cargo run --release --example gen -- 10000 /tmp/cat10k [--seed 7]
#![allow(clippy::disallowed_macros)]

use std::fmt::Write as _;
use std::path::PathBuf;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // SplitMix64: small, fast, good enough for test data.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

use powerlist::model::BUILTIN_CATEGORIES as CATEGORIES;
const PLACES: &[&str] = &[
    "示范县",
    "东城区",
    "西山县",
    "南湖市",
    "北川县",
    "清河县",
    "长宁区",
    "临江县",
];
const BUREAUS: &[&str] = &[
    "民政局",
    "人力资源和社会保障局",
    "应急管理局",
    "卫生健康局",
    "市场监督管理局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "水利局",
    "文化和旅游局",
    "教育局",
    "公安局",
    "司法局",
];
const SUBJECTS: &[&str] = &[
    "城乡最低生活保障",
    "特困人员供养",
    "临时救助",
    "社会团体登记",
    "民办非企业单位登记",
    "殡葬设施建设",
    "医疗机构执业",
    "建设工程施工",
    "道路货物运输经营",
    "取水",
    "农药经营",
    "娱乐场所经营",
    "民办学校办学",
    "食品经营",
    "排污",
    "林木采伐",
    "建设用地规划",
    "特种设备使用",
    "劳动用工备案",
    "失业保险金申领",
];
const VERBS: &[&str] = &[
    "审核确认",
    "许可",
    "登记",
    "备案审查",
    "监督检查",
    "资格认定",
    "补贴发放",
    "年度检验",
];
const STEP_NAMES: &[&str] = &[
    "审查申请材料",
    "组织现场核查",
    "入户调查核实家庭经济状况",
    "征求相关部门意见",
    "组织专家评审",
    "集体研究讨论",
    "复核调查结论",
    "听取利害关系人意见",
    "核对信息系统比对结果",
    "制作审查意见书",
];
const RISKS: &[(&str, &str)] = &[
    ("核查不实、优亲厚友", "两人以上入户，结果张榜公示"),
    ("违规审批、吃拿卡要", "执行统一审查要点清单，全程留痕"),
    ("自由裁量畸轻畸重", "执行裁量基准，重大案件集体讨论"),
    ("泄露申请人信息", "落实信息保密制度，限定查阅权限"),
];

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A power's steps as YAML, and the time they add up to.
struct Steps {
    text: String,
    total: usize,
    unit: &'static str,
}

impl Steps {
    fn add(&mut self, id: &str, name: &str, extra: &str, time: Option<usize>, next: &str) {
        let _ = write!(self.text, "  - id: {id}\n    name: {}\n{extra}", q(name));
        if let Some(t) = time {
            let _ = writeln!(self.text, "    time: {t}{}", self.unit);
            let duty = format!("依法办理「{name}」，按时办结，告知理由和依据");
            let _ = writeln!(self.text, "    duty: {}", q(&duty));
        }
        self.text.push_str(next);
    }
}

fn owner(o: &str) -> String {
    format!("    owner: {}\n", q(o))
}

/// The first steps: an application and its acceptance, or the office's own start.
fn opening(s: &mut Steps, rng: &mut Rng, cat: &str, applied: bool) {
    if !applied {
        s.add(
            "open",
            "登记立案或制定检查计划",
            &format!("    type: start\n    role: 立案\n{}", owner("执法机构")),
            None,
            "    next: s0\n",
        );
        return;
    }
    s.add(
        "apply",
        "申请人提出书面申请",
        "    type: start\n    role: 申请\n    owner: 申请人\n",
        None,
        "    next: accept\n",
    );
    let t = 1 + rng.below(3);
    s.total += t;
    if cat == "行政许可" || rng.below(2) == 0 {
        s.add(
            "accept",
            "窗口审查申请材料，决定是否受理",
            &format!("    type: decision\n    role: 受理\n{}", owner("政务服务中心窗口")),
            Some(t),
            "    next:\n      - to: s0\n        when: 材料齐全、符合法定形式，予以受理\n      - to: amend\n        when: 材料不齐全，一次告知补正\n      - to: reject\n        when: 不属于本机关职权范围，不予受理\n",
        );
        s.add(
            "amend",
            "申请人补正材料",
            &format!("    role: 补正\n{}", owner("申请人")),
            Some(1),
            "    next:\n      - to: accept\n        back: true\n",
        );
        s.add(
            "reject",
            "出具不予受理通知书并说明理由",
            &format!(
                "    type: end\n    role: 送达\n{}",
                owner("政务服务中心窗口")
            ),
            None,
            "",
        );
    } else {
        s.add(
            "accept",
            "受理申请",
            &format!("    role: 受理\n{}", owner("政务服务中心窗口")),
            Some(t),
            "    next: s0\n",
        );
    }
}

/// One to six review steps, some with a risk point.
fn middle(s: &mut Steps, rng: &mut Rng, cat: &str, bureau: &str, penal: bool) {
    let middle = 1 + rng.below(6);
    for k in 0..middle {
        let t = 1 + rng.below(4);
        s.total += t;
        let mut extra = format!(
            "    role: {}\n{}",
            if penal && k == 0 { "调查" } else { "审查" },
            owner(&format!("{bureau}业务股"))
        );
        if rng.below(3) == 0 {
            let (point, control) = RISKS[rng.below(RISKS.len())];
            let level = ["高", "中", "低"][rng.below(3)];
            let _ = write!(
                extra,
                "    risk:\n      level: {level}\n      point: {}\n      control: {}\n",
                q(point),
                q(control)
            );
        }
        let next = if k + 1 < middle {
            format!("    next: s{}\n", k + 1)
        } else if penal {
            "    next: notify\n".to_string()
        } else if cat == "行政给付" || cat == "行政奖励" {
            "    next: publicise\n".to_string()
        } else {
            "    next: decide\n".to_string()
        };
        s.add(
            &format!("s{k}"),
            STEP_NAMES[rng.below(STEP_NAMES.len())],
            &extra,
            Some(t),
            &next,
        );
    }
}

/// What comes before the decision: 告知 (and 听证) for penalties, 公示 for benefits.
fn before_decision(s: &mut Steps, cat: &str, bureau: &str, penal: bool) {
    if penal {
        s.total += 3;
        if cat == "行政处罚" {
            s.add(
                "notify",
                "告知拟处罚的事实、理由、依据及陈述、申辩、要求听证的权利",
                &format!("    type: decision\n    role: 告知\n{}", owner("执法机构")),
                Some(3),
                "    next:\n      - to: hearing\n        when: 当事人要求听证\n      - to: decide\n        when: 未要求听证\n",
            );
            s.total += 5;
            s.add(
                "hearing",
                "组织听证",
                &format!("    role: 听证\n{}", owner("法制机构")),
                Some(5),
                "    next: decide\n",
            );
        } else {
            // 催告书送达十日后才可申请法院执行 (行政强制法第五十四条).
            s.total += 7;
            s.add(
                "notify",
                "书面催告当事人履行义务，告知陈述申辩权利",
                &format!("    role: 催告\n{}", owner("执法机构")),
                Some(10),
                "    next: decide\n",
            );
        }
    } else if cat == "行政给付" || cat == "行政奖励" {
        s.total += 5;
        s.add(
            "publicise",
            "公示审核结果",
            &format!("    role: 公示\n{}", owner(&format!("{bureau}业务股"))),
            Some(5),
            "    next: decide\n",
        );
    }
}

/// The decision, its delivery (and execution for penalties), and the refusal.
fn closing(s: &mut Steps, rng: &mut Rng, cat: &str, bureau: &str, penal: bool) {
    let t = 1 + rng.below(3);
    s.total += t;
    s.add(
        "decide",
        "作出决定",
        &format!("    type: decision\n    role: 决定\n{}", owner(&format!("{bureau}分管负责人"))),
        Some(t),
        "    next:\n      - to: deliver\n        when: 准予（给予）\n      - to: refuse\n        when: 不予准予（不予处罚）\n",
    );
    let deliver_time = 1 + rng.below(2);
    s.total += deliver_time;
    if penal {
        s.add(
            "deliver",
            "送达决定书",
            &format!("    role: 送达\n{}", owner("执法机构")),
            Some(deliver_time),
            "    next: enforce\n",
        );
        s.add(
            "enforce",
            "执行决定",
            // Without a law granting it, coercion is applied for at the court.
            &format!(
                "    role: {}\n{}",
                if cat == "行政强制" {
                    "申请执行"
                } else {
                    "执行"
                },
                owner("执法机构")
            ),
            Some(1),
            "    next: archive\n",
        );
        s.total += 1;
        s.add(
            "archive",
            "结案归档",
            &format!("    type: end\n    role: 归档\n{}", owner("执法机构")),
            None,
            "",
        );
    } else {
        s.add(
            "deliver",
            "送达决定并公开结果",
            &format!(
                "    type: end\n    role: 送达\n{}",
                owner("政务服务中心窗口")
            ),
            Some(deliver_time),
            "",
        );
    }
    s.add(
        "refuse",
        "书面说明理由并告知救济途径",
        &format!(
            "    type: end\n    role: 送达\n{}",
            owner("政务服务中心窗口")
        ),
        None,
        "",
    );
}

/// One power's YAML. `applied`: started by an application (else by the office).
fn power(i: usize, rng: &mut Rng) -> String {
    let (cat, cat_code) = CATEGORIES[rng.below(CATEGORIES.len())];
    let place = rng.pick(PLACES);
    let bureau = rng.pick(BUREAUS);
    let dept = format!("{place}{bureau}");
    let subject = rng.pick(SUBJECTS);
    let verb = rng.pick(VERBS);
    let name = match cat {
        "行政处罚" => format!("对违反{subject}管理规定行为的行政处罚"),
        "行政强制" => format!("对拒不履行{subject}相关决定的强制执行"),
        _ => format!("{subject}{verb}"),
    };
    let name = if rng.below(4) == 0 {
        format!("{name}（含变更、延续、注销及补办等情形的申请受理与审查决定）")
    } else {
        name
    };
    let applied = !matches!(cat, "行政处罚" | "行政强制" | "行政检查" | "行政征收");
    let penal = matches!(cat, "行政处罚" | "行政强制");
    // Periods in working days, as 行政许可法第八十二条 and 行政处罚法第八十五条 count them.
    let unit = "个工作日";

    let mut s = Steps {
        text: String::new(),
        total: 0,
        unit,
    };
    opening(&mut s, rng, cat, applied);
    middle(&mut s, rng, cat, bureau, penal);
    before_decision(&mut s, cat, bureau, penal);
    closing(&mut s, rng, cat, bureau, penal);
    let (steps, total) = (s.text, s.total);

    let promised = total + rng.below(5);
    let statutory = (promised * 3).div_ceil(2) + rng.below(10);
    let public = rng.below(40) != 0;
    let mut y = String::with_capacity(4096);
    let _ = writeln!(
        y,
        "code: {}-{cat_code}-{i:06}",
        &"ABCDEFGHJK"[rng.below(10)..][..1]
    );
    let _ = writeln!(y, "name: {}", q(&name));
    let _ = writeln!(y, "category: {cat}");
    let _ = writeln!(y, "department: {}", q(&dept));
    let _ = writeln!(y, "office: {}", q(&format!("{bureau}业务股")));
    let _ = writeln!(y, "responsible: 业务股股长\nsource: 法定");
    let _ = writeln!(
        y,
        "basis:\n  - law: {}\n    level: 行政法规\n    article: 第{}条\n    text: {}",
        q(&format!("{subject}管理条例（示例）")),
        1 + rng.below(60),
        q(&format!("{subject}由县级以上人民政府{bureau}负责实施。"))
    );
    let _ = writeln!(
        y,
        "conditions:\n  - 符合法定条件\nmaterials:\n  - name: 书面申请\n    copies: 1\nfees: []"
    );
    let _ = writeln!(
        y,
        "time_limit:\n  statutory: {statutory}{unit}\n  promised: {promised}{unit}"
    );
    if public {
        let _ = writeln!(
            y,
            "disclosure:\n  public: true\n  scope: 社会公开\n  channels: [政府网站, 政务公开栏]"
        );
    } else {
        let _ = writeln!(
            y,
            "disclosure:\n  public: false\n  ground: 国家秘密\n  reason: 涉及国家秘密"
        );
    }
    let _ = writeln!(y, "rights: [陈述, 申辩, 听证, 行政复议, 行政诉讼]");
    let _ = writeln!(
        y,
        "complaints:\n  - channel: {}\n    phone: \"12345\"",
        q(&format!("{place}人民政府12345热线"))
    );
    y.push_str("steps:\n");
    y.push_str(&steps);
    let _ = writeln!(y, "supervision:\n  - step: decide\n    by: 局纪检组\n    how: 决定结果公示，接受监督\n    contact: \"12388\"");
    y.push_str(ACCOUNTABILITY);
    y
}

/// 公职人员政务处分法第三十九条第一款第（一）、（二）项, as every power's 追责情形.
const ACCOUNTABILITY: &str = "accountability:
  - case: 滥用职权，侵害公民、法人、其他组织合法权益的
    basis:
      - law: 中华人民共和国公职人员政务处分法
        article: 第三十九条
  - case: 不履行或者不正确履行职责，玩忽职守，贻误工作的
    basis:
      - law: 中华人民共和国公职人员政务处分法
        article: 第三十九条
";

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: gen COUNT DIR [--seed N]";
    let count: usize = args.next().and_then(|a| a.parse().ok()).expect(usage);
    let dir = PathBuf::from(args.next().expect(usage));
    let seed = match (args.next().as_deref(), args.next()) {
        (Some("--seed"), Some(n)) => n.parse().expect(usage),
        _ => 1,
    };
    let mut rng = Rng(seed);
    std::fs::create_dir_all(&dir).expect("create the output folder");
    std::fs::write(
        dir.join("powerlist.toml"),
        "title = \"合成职权目录 (benchmark)\"\norganisation = \"示范省\"\n",
    )
    .expect("write settings");
    // The regulations the powers cite are invented: the catalogue declares them,
    // as a county declares its province's laws, so that law-unknown stays quiet.
    let mut laws = String::from("# 合成目录引用的虚构条例 (benchmark)\n");
    for subject in SUBJECTS {
        laws.push_str(&format!(
            "\n[[law]]\nname = \"{subject}管理条例（示例）\"\nlevel = \"行政法规\"\nsource = \"examples/gen.rs 生成的虚构条例\"\n"
        ));
    }
    std::fs::write(dir.join("laws.toml"), laws).expect("write laws.toml");
    for i in 0..count {
        // A hundred powers to a folder, like departments' sub-folders.
        let sub = dir.join(format!("d{:04}", i / 100));
        if i % 100 == 0 {
            std::fs::create_dir_all(&sub).expect("create a sub-folder");
        }
        std::fs::write(sub.join(format!("p{i:06}.yaml")), power(i, &mut rng))
            .expect("write a power");
    }
    println!("{count} powers in {}", dir.display());
}
