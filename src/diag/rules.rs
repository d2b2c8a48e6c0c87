//! The rule table (SPEC §2): every rule's name, default level and explanation,
//! declared once in the table below. A leaf: it imports nothing from the crate,
//! so the loader, the settings, the reporters and the rules all read it
//! without depending on one another.
//!
//! Adding a rule: one entry here (a missing part does not compile), its
//! function in `rules/` (the engine's `runner` match is exhaustive, so a rule
//! without one does not compile either), and its two fixtures.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

/// A rule's level as set in `powerlist.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Warn,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }
}

/// How `powerlist explain` describes a rule: what / why / example / fix.
#[derive(Debug, Clone, Copy)]
pub struct Doc {
    pub summary: &'static str,
    pub why: &'static str,
    pub example: &'static str,
    pub fix: &'static str,
}

/// Generates `Rule` and its lookups from the table: one entry per rule, every
/// part required.
macro_rules! rules {
    ($(
        $variant:ident = $name:literal, $level:ident {
            summary: $summary:expr,
            why: $why:expr,
            example: $example:expr,
            fix: $fix:expr $(,)?
        }
    )*) => {
        /// Every rule of the contract, in SPEC order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            pub const fn name(self) -> &'static str {
                match self {
                    $(Rule::$variant => $name,)*
                }
            }

            pub const fn default_level(self) -> Level {
                match self {
                    $(Rule::$variant => Level::$level,)*
                }
            }


            pub const fn doc(self) -> Doc {
                match self {
                    $(Rule::$variant => Doc {
                        summary: $summary,
                        why: $why,
                        example: $example,
                        fix: $fix,
                    },)*
                }
            }
        }
    };
}

rules! {
    // SPEC §2.1: the file as YAML and as the format of a power.
    YamlSyntax = "yaml-syntax", Error {
        summary: "文件不是合法的 YAML（缩进、引号、括号错误），不是 UTF-8 编码，过大，或含有多个文档。",
        why: "无法解析的文件里的职权既不能检查也不能发布；一处语法错误常使后文全部失效。",
        example: "steps:\n  - id: apply\n   name: 提出申请      # 缩进少了一格",
        fix: "按提示的行列修正缩进或引号；用 GBK 保存的文件请另存为 UTF-8; 每个文件只写一项职权。",
    }
    Schema = "schema", Error {
        summary: "键或取值不符合职权格式：未知的键、缺少必填的键、类型错误、无效的枚举值、无法识别的时限或权力编码。",
        why: "拼错的键（如 `timelimit:`）若被悄悄忽略，职权目录就会缺项而无人察觉。",
        example: "code: MZ-JF-0001\ntimelimit:            # 应为 time_limit\n  statutory: 二十日      # 应为 20日",
        fix: "按 SPEC §1.1 的键名书写；时限写作 `N个工作日`、`N日` 或 `即办`; 类别用十类之一或其两字母代码；编码只用字母、数字、`-`、`_`。",
    }
    InputMethod = "input-method", Error {
        summary: "中文输入法下打出的字符改变了取值：`[...]` 列表里用中文逗号「，」分隔（整串被读成一项），或取值被弯引号“ ”‘ ’包住（引号会一起发布）。",
        why: "这些文件能被解析，却不是作者的意思：三项权利成了一项，电话号码带着引号公开。全角冒号、全角空格、制表符等使文件无法解析的字符，由 `yaml-syntax` 指出。",
        example: "rights: [陈述，申辩，听证]\ncomplaints:\n  - channel: 热线\n    phone: “12345”",
        fix: "在英文输入状态下输入 YAML 的标点：`[陈述, 申辩, 听证]`，`phone: \"12345\"`。",
    }
    CodeCategory = "code-category", Warn {
        summary: "权力编码中的类别代码与职权类别不一致，如类别为行政给付而编码是 `MZ-QT-0003`。",
        why: "编码的类别段常由类别而来；两者不一致，多半是类别填错（或从上一行沿用），也可能是编码沿用了旧的类别，使目录按编码查找时归错类。",
        example: "code: MZ-QT-0003\ncategory: 行政给付",
        fix: "核对类别：类别对，就改编码的类别段（给付为 JF）；编码对，就改类别。",
    }
    DuplicateKey = "duplicate-key", Error {
        summary: "同一映射中同一个键出现了两次；诊断指向第二次出现的位置。",
        why: "多数 YAML 工具会悄悄保留后一个值，前一个值就此丢失。",
        example: "name: 城乡最低生活保障对象认定\nname: 低保认定",
        fix: "删除或合并重复的键。",
    }
    DuplicateCode = "duplicate-code", Error {
        summary: "两个文件使用了同一个权力编码；两处都会被报告。",
        why: "权力编码是职权目录中一项职权的唯一标识，重复会使目录和页面相互覆盖。",
        example: "# a.yaml\ncode: MZ-JF-0001\n# b.yaml\ncode: MZ-JF-0001",
        fix: "为其中一项分配新的编码。",
    }
    DuplicateStepId = "duplicate-step-id", Error {
        summary: "同一职权中两个步骤使用了同一个 id; 诊断指向第二个。",
        why: "`next` 与 `supervision.step` 按 id 引用步骤，重复的 id 使流程图含义不明。",
        example: "steps:\n  - id: check\n    name: 初审\n  - id: check\n    name: 复审",
        fix: "为每个步骤使用不同的 id。",
    }
    // SPEC §2.2: the steps as a directed graph.
    UnknownStep = "unknown-step", Error {
        summary: "`next` 或 `supervision.step` 引用了不存在的步骤 id。",
        why: "流程图会断开，监督环节会挂空；多半是 id 拼写错误。",
        example: "  - id: check\n    next: decied      # 应为 decide",
        fix: "改为已存在的步骤 id, 或补写该步骤。",
    }
    StartRequired = "start-required", Error {
        summary: "没有 `type: start` 的步骤。",
        why: "流程图需要一个起点（申请或依职权启动），才能判断可达性和办理时限。",
        example: "steps:\n  - id: apply\n    name: 提出申请      # 缺少 type: start",
        fix: "给流程的第一步加上 `type: start`。",
    }
    SingleStart = "single-start", Error {
        summary: "有多于一个 `type: start` 的步骤。",
        why: "一项职权的运行流程只有一个起点；多个起点通常是复制粘贴的遗留。",
        example: "  - id: apply\n    type: start\n  - id: apply2\n    type: start",
        fix: "只保留一个起点；其他入口用判断 (decision) 分支表达。",
    }
    EndRequired = "end-required", Error {
        summary: "没有 `type: end` 的步骤。",
        why: "没有终点的流程无法办结，也无法计算最长办理时间。",
        example: "  - id: deliver\n    name: 送达决定书     # 缺少 type: end",
        fix: "给办结的步骤（送达、归档等）加上 `type: end`。",
    }
    StartHasIncoming = "start-has-incoming", Error {
        summary: "有边指向起点步骤。",
        why: "起点是流程的入口；退回重办应回到受理等步骤，而不是回到申请人提出申请之前。",
        example: "  - id: fix\n    next: {to: apply, back: true}   # apply 是 start",
        fix: "让退回的边指向受理或审查步骤。",
    }
    EndHasNext = "end-has-next", Error {
        summary: "终点步骤写了 `next`。",
        why: "终点之后不应还有步骤；要么它不是终点，要么 `next` 是多余的。",
        example: "  - id: deliver\n    type: end\n    next: archive",
        fix: "删除 `next`, 或把后续步骤中的最后一个设为终点。",
    }
    UnreachableStep = "unreachable-step", Error {
        summary: "从起点出发无法到达的步骤。",
        why: "无法到达的步骤不会被执行，却会出现在流程图上，误导办事群众。",
        example: "  - id: review2\n    name: 复核      # 没有任何步骤的 next 指向它",
        fix: "在前一步的 `next` 中指向它，或删除它。",
    }
    DeadEnd = "dead-end", Error {
        summary: "从该步骤出发无法到达任何终点：非终点步骤没有 `next`, 或陷入没有出口的循环。",
        why: "办理过程会停在半路，申请人得不到任何结论。",
        example: "  - id: amend\n    next: {to: accept, back: true}\n  - id: accept\n    next: amend     # 两步互相指向，没有出口",
        fix: "补写 `next`, 或为循环增加通往终点的分支。",
    }
    UnmarkedCycle = "unmarked-cycle", Error {
        summary: "流程中存在循环，但闭合循环的那条边没有标注 `back: true`。",
        why: "补正、退回重审这类循环是有意的，应当标明；未标明的循环多半是写错了 next, 而且使最长办理时间无法计算。",
        example: "  - id: amend\n    name: 补正材料\n    next: accept      # 应为 {to: accept, back: true}",
        fix: "若循环是有意的，把返回前面步骤的边写成 `{to: ..., back: true}`; 否则改正 next。",
    }
    DuplicateFlow = "duplicate-flow", Error {
        summary: "同一步骤有两条指向同一目标的边。",
        why: "重复的边在流程图上重叠，分支条件也会互相矛盾。",
        example: "    next:\n      - {to: decide, when: 符合}\n      - {to: decide, when: 基本符合}",
        fix: "合并为一条边，条件合并写在一个 `when` 中。",
    }
    BranchLabelRequired = "branch-label-required", Error {
        summary: "一个步骤有两条或更多出边，其中有边没有写 `when`（分支条件）。",
        why: "读图的人需要知道在什么条件下走哪一条路。",
        example: "    next:\n      - {to: grant, when: 批准}\n      - refuse          # 缺少 when",
        fix: "为每条出边写上 `when`, 如 `when: 不予批准`。",
    }
    DecisionBranches = "decision-branches", Error {
        summary: "判断 (`type: decision`) 步骤的出边少于两条。",
        why: "判断必须至少有两个结果（如准予/不予）；只有一条出路的不是判断。",
        example: "  - id: decide\n    type: decision\n    next: grant",
        fix: "补写另一个分支（如不予批准并说明理由），或把 type 改为 task。",
    }
    FlowTooLarge = "flow-too-large", Error {
        summary: "流程的环节多于 300 个或连线多于 1000 条。",
        why: "一项职权的运行流程是给群众看的，几十个环节已属复杂；过大的图无法读懂，也会让排版和绘图耗时过长。",
        example: "steps:   # 5000 个环节，每个都从起点连出一条带条件的线",
        fix: "把流程拆成几项职权，或合并同类环节；确需如此的，请联系维护者调整上限。",
    }
    OwnerRequired = "owner-required", Warn {
        summary: "非起点步骤没有 `owner`（承办岗位）。",
        why: "规范权力运行的政策要求：流程图载明各环节的承办岗位，责任才能落实到人。",
        example: "  - id: check\n    name: 审查材料     # 缺少 owner",
        fix: "写明承办的科室或岗位，如 `owner: 社会救助股`。",
    }
    TimeRequired = "time-required", Warn {
        summary: "办理或判断步骤没有 `time`（办理时限）；起点、终点和申请人（当事人）自己的环节（申请、补正）不需要。",
        why: "规范权力运行的政策要求：流程图载明各环节的办理时限，也用于核对总时限。办理时限是机关的期限，申请人补正材料所用的时间不在其内。",
        example: "  - id: check\n    name: 审查材料\n    owner: 社会救助股     # 缺少 time",
        fix: "写明时限，如 `time: 5个工作日` 或 `time: 即办`。",
    }
    // SPEC §2.3 and §2.4: law and disclosure; each basis against the law registry.
    BasisRequired = "basis-required", Error {
        summary: "职权没有任何 `basis`（设定依据）。",
        why: "职权法定：凡未列明法律依据的权力不得行使，也不得列入职权目录。",
        example: "code: MZ-QR-0001\nname: 婚姻登记\n# 没有 basis",
        fix: "至少写一条依据：`basis: [{law: 婚姻登记条例，level: 行政法规，article: 第四条}]`。",
    }
    BasisArticle = "basis-article", Warn {
        summary: "一条 `basis` 没有写明 `article`（条款）。",
        why: "只写法律名称无法核对职权的具体来源；职权目录要求列明依据条款。",
        example: "basis:\n  - law: 社会救助暂行办法\n    level: 行政法规      # 缺少 article",
        fix: "补写条款，如 `article: 第十一条`; 确实无法确定时可用 `allow: [basis-article]` 豁免并说明。",
    }
    PromiseExceedsStatutory = "promise-exceeds-statutory", Error {
        summary: "承诺时限长于法定时限。",
        why: "承诺是在法定时限内向社会作出的提速承诺，不能比法律规定更长。",
        example: "time_limit:\n  statutory: 20个工作日\n  promised: 25个工作日",
        fix: "把承诺时限改为不超过法定时限（原则上缩短三分之一以上）。",
    }
    PromiseMargin = "promise-margin", Warn {
        summary: "承诺时限超过法定时限的三分之二，即缩短不足三分之一；只要能判定就检查，即使承诺与法定时限孰长无法判定。",
        why: "规范权力运行制度建设的政策要求（不是法律）：原则上承诺时限要比法定时限缩短三分之一以上。",
        example: "time_limit:\n  statutory: 40日\n  promised: 30个工作日    # 30 个工作日至少 40 日，三分之二的比较可以判定",
        fix: "把承诺时限压缩到法定时限的三分之二以内，或用 `allow: [promise-margin]` 豁免并说明理由。",
    }
    PathExceedsLimit = "path-exceeds-limit", Error {
        summary: "法定时限计时段（许可自受理至决定，处罚自立案至决定，可用 time_limit.from/to 指定）内的某条路径，不计 `back: true` 退回边和 `not_counted` 环节，所需时间超过承诺时限；没有承诺时限时与法定时限加延长期限比较。",
        why: "行政许可法第四十二条的期限自受理起算至作出决定，送达另有期限（第四十四条），听证、检验、鉴定、专家评审的时间不计入（第四十五条）；行政处罚法第六十条的期限自立案起算。各环节时限之和超过总时限，意味着按图办理必然超期。",
        example: "time_limit:\n  promised: 10个工作日\nsteps: ...   # 受理 2 + 审查 5 + 决定 5 = 12 个工作日",
        fix: "压缩环节时限；把不计入期限的环节标上 `not_counted: 理由`; 法律允许延长的写 `time_limit.extension`。",
    }
    MixedTimeUnits = "mixed-time-units", Warn {
        summary: "时限比较混用了工作日、自然日或月，且在不知道起算日期时无法判定大小。",
        why: "N 个工作日折合多少自然日取决于起算日（周末、法定节假日、调休），一个月是 28 到 31 日；powerlist 只在对所有起算日都成立时才下结论，否则如实报告。",
        example: "time_limit:\n  statutory: 30日\n  promised: 20个工作日    # 20 个工作日可能是 26 日，也可能超过 30 日",
        fix: "总时限与各环节时限统一使用同一种单位。",
    }
    AmbiguousDays = "ambiguous-days", Warn {
        summary: "在法律按工作日计算的情形下，期限写成了 `N日`/`N天`: 行政许可的所有期限，行政处罚的二日、三日、五日、七日，行政强制的十日以内期限。",
        why: "行政许可法第八十二条：实施行政许可的期限以工作日计算；行政处罚法第八十五条：二日、三日、五日、七日是指工作日；行政强制法第六十九条：十日以内期限是指工作日。写作 `N日` 会被当作自然日，公众也无从判断。",
        example: "category: 行政许可\ntime_limit:\n  statutory: 20日      # 应为 20个工作日",
        fix: "写明单位：`20个工作日`; 确属自然日的（如法规另有规定）写作 `20个自然日`。",
    }
    PenaltyNotice = "penalty-notice", Error {
        summary: "行政处罚：某条路径到达可作出处罚的决定（`决定` 或 `当场处罚`）而不经过 `告知`; 或在普通程序中从告知到 `决定` 之间不留任何时间。分支写明 `outcome: 不予处罚`、`撤销案件`、`移送` 的不是处罚（没写 outcome 的，其后能不经另一个决定到达送达或执行即视为处罚）；当场处罚（简易程序）和当事人明确放弃陈述、申辩的分支（分支条件写明「放弃」）不要求间隔时间。",
        why: "行政处罚法第四十四条：作出处罚决定之前应当告知拟处罚的内容及事实、理由、依据和当事人的权利；第四十五条：当事人有权陈述、申辩；第六十四条：当事人可在告知后五日内要求听证。第五十一、五十二条：警告或者对公民二百元、对法人或者其他组织三千元以下罚款，可以当场作出决定并当场交付决定书，仍须先告知。第五十七条：违法行为轻微依法可以不予处罚、违法事实不能成立的不予处罚，涉嫌犯罪的移送司法机关——这些决定不是处罚。",
        example: "  - id: notify\n    role: 告知\n    time: 即办\n    next: decide     # 告知后立即决定，没有陈述申辩的时间\n  - id: decide\n    role: 决定",
        fix: "让每条通往处罚决定的路径都经过 `role: 告知` 的步骤，并给告知留出陈述申辩、要求听证的时间（如 `time: 5个工作日`）。",
    }
    EnforcementNotice = "enforcement-notice", Error {
        summary: "行政强制执行：某条路径到达 `执行`、`代履行` 或 `申请执行` 而不经过 `催告`。`立即代履行` 和行政强制措施（`coercion: 措施`）不在此列。",
        why: "行政强制法第三十五条：行政机关作出强制执行决定前，应当事先催告当事人履行义务；第五十条：代履行以经催告仍不履行为前提；第五十四条：申请人民法院强制执行前，应当催告当事人履行义务。第五十二条：需要立即清除道路、河道、航道或者公共场所的遗洒物、障碍物或者污染物的，可以立即代履行，事后立即通知当事人。查封、扣押等行政强制措施（第二条第二款）不是对行政决定的强制执行。",
        example: "  - id: decide\n    role: 决定\n    next: enforce\n  - id: enforce\n    role: 执行      # 没有催告",
        fix: "在执行或申请执行之前加上 `role: 催告` 的步骤（书面催告，告知陈述、申辩的权利）。",
    }
    EnforcementPower = "enforcement-power", Error {
        summary: "行政强制执行：某条不经 `申请执行` 的路径到达 `执行`（行政机关自行强制执行），而依据中没有一部法律的所引条款授权本机关强制执行（条款的文字写明强制执行、强制拆除、代履行等；「申请人民法院强制执行」不算）。`代履行`、`立即代履行`、`加处罚款` 由法律直接规定，不需另列依据；行政强制措施不在此列。",
        why: "行政强制法第十三条：行政强制执行由法律设定；法律没有规定行政机关强制执行的，作出行政决定的行政机关应当申请人民法院强制执行（第五十三、五十四条）。第四十五条（加处罚款或者滞纳金）、第五十条（代履行）、第五十二条（立即代履行）和行政处罚法第七十二条（到期不缴纳罚款的加处罚款）本身授予这些执行方式。任何一部法律都不够：劳动法授权处罚，不授权强制执行。",
        example: "basis:\n  - law: 殡葬管理条例\n    level: 行政法规\nsteps:\n  - id: enforce\n    role: 执行      # 条例不能授予强制执行权",
        fix: "改为申请人民法院强制执行（`role: 申请执行`），或列出授权本机关强制执行的法律条款。",
    }
    SettingPower = "setting-power", Error {
        summary: "依据中层级最高的非程序性法规不能设定这一类职权：行政许可须法律、行政法规、地方性法规或省级政府规章；行政处罚须规章以上；行政强制须法律、行政法规或地方性法规。行政许可法、行政处罚法等程序法不计；依据只有程序法的，没有设定依据。",
        why: "行政许可法第十四至十七条，行政处罚法第十至十六条，行政强制法第十、十一条规定了各级法律规范的设定权；程序法规定如何行使职权，不设定职权。",
        example: "category: 行政处罚\nbasis:\n  - law: 某县关于加强管理的通知\n    level: 规范性文件",
        fix: "列出设定本职权的法律、法规或规章条款（写明 `level`）；没有的，这项职权不应列入清单。",
    }
    LicenceSteps = "licence-steps", Error {
        summary: "行政许可：没有 `决定` 步骤；某条路径不经过 `受理` 就到达决定；或决定的某个分支（准予或不予）不经过 `送达` 就结束。",
        why: "行政许可法第三十二条规定受理，第三十八条：不予许可的应当书面说明理由，第四十四条：准予许可的应当颁发、送达许可证件。",
        example: "  - id: decide\n    role: 决定\n    next:\n      - {to: grant, when: 准予}\n      - {to: refuse, when: 不予}\n  - id: refuse\n    type: end      # 不予许可没有送达",
        fix: "让每条路径都先经过 `role: 受理`, 决定的每个分支都经过 `role: 送达`。",
    }
    LawRepealed = "law-repealed", Error {
        summary: "设定依据引用了已废止的法律法规（法规库记录其废止日期和由何废止）。",
        why: "民法典施行之日婚姻法、收养法等九部法律同时废止；仍引用它们的职权没有有效的依据，公布出去就是错的。",
        example: "basis:\n  - law: 中华人民共和国婚姻法      # 已由民法典废止\n    article: 第八条",
        fix: "改引现行法律的相应条款（如民法典第一千零四十九条），并更新 `revised`。",
    }
    LawArticle = "law-article", Error {
        summary: "设定依据所引的条、款、项在该法律法规的现行文本中没有，或读不出条号（条文取自法规库：国家法律法规数据库的全部法律、行政法规；一项依据引几条或一段范围的，每条都核对，缺的合在一条消息里；条款号可写中文、阿拉伯或全角数字）。",
        why: "不存在的条款多半是抄错、记错或引了旧文本的条号；核对者按条号找不到依据。",
        example: "  - law: 中华人民共和国民法典   # 共 1260 条\n    article: 第一千二百六十条、第一千三百条",
        fix: "按现行文本核对条款号（`powerlist law 民法典 第一千二百六十条` 可查）。",
    }
    LawLevel = "law-level", Warn {
        summary: "设定依据写的效力层级与法规库记录的不同。",
        why: "效力层级决定能否设定某类职权（如部门规章不能设定行政许可）；写错层级会使 `setting-power` 的判断出错。",
        example: "  - law: 中华人民共和国民法典\n    level: 行政法规     # 应为 法律",
        fix: "改为法规库中的层级；法规库有误时，在目录的 laws.toml 中更正并注明来源。",
    }
    LawClauseRemoved = "law-clause-removed", Error {
        summary: "设定依据引用或摘录了修订时已被删去或改号的条款。",
        why: "条款删去后，依据它行使的职权（如某项强制执行权）就没有了依据，必须从清单中调整。",
        example: "  - law: 殡葬管理条例\n    article: 第二十条\n    text: ……责令限期改正；拒不改正的，可以强制执行。     # 国务院令第628号删去了后一句",
        fix: "按现行文本核对：职权失去依据的应取消，条款改号的改为新条号。",
    }
    RevisionOverdue = "revision-overdue", Warn {
        summary: "所引法律法规的现行文本施行日期，比本职权的调整日期 `revised` 晚二十个工作日以上。",
        why: "法律法规修订后，权力清单和运行流程图应在二十个工作日内作相应调整（动态调整）。",
        example: "revised: 2025-01-02\nbasis:\n  - law: 婚姻登记条例     # 现行文本 2025-05-10 起施行",
        fix: "按新文本核对本职权的依据、条件、时限和流程，然后把 `revised` 改为调整的日期。",
    }
    LawUnknown = "law-unknown", Warn {
        summary: "法规库（全部国家法律、行政法规，取自国家法律法规数据库）和本目录的 laws.toml、法规文本目录中都没有所引的法律法规。",
        why: "名称写错的法规无法核对条款、层级和效力；地方性法规和规章不在国家数据库中，需要目录自己补充，检查才能覆盖它们。",
        example: "  - law: 行政许可法实施办法     # 名称有误或法规库未收录",
        fix: "核对法律法规的全称（`powerlist law 名称` 可查）；地方性法规、规章在目录的 laws.toml 中补充（名称、层级、来源），或把它的文本放进 `[laws] texts` 目录。",
    }
    LawText = "law-text", Warn {
        summary: "设定依据摘录的条文 `text` 不是所引条款的现行条文（标点、空格和全角半角的差别不计；摘录开头的条号不计；引了款、项的，与该款、项比较；可以只摘几句，用「……」连接，但每段都须按法条的顺序出现在条文中）。现行条文取自法规库（国家法律法规数据库）；法规库尚未收入现行文本的法律法规不作判断。",
        why: "清单公布的条文就是职权的依据；法规修订后仍抄旧条文，会让公众和执法人员依据已经改变的规定办事（如社会救助暂行办法第三十条 2019 年修订后由医疗保障部门审批）。",
        example: "  - law: 社会救助暂行办法\n    article: 第三十条\n    text: ……由县级人民政府民政部门审批。     # 现行条文为 医疗保障部门",
        fix: "按消息中的现行条文更正摘录（`powerlist law 社会救助暂行办法 第三十条` 可查）；条文确已改变职权的，同时调整职权本身。",
    }
    LawOutdated = "law-outdated", Warn {
        summary: "设定依据写的文号 `doc_no`（或名称后括号里的文号）是该法律法规修订前旧文本的文号（消息给出现行文本的文号和施行日期）；或名称后写明的版本（如 （2017年修正））是法规库中已被较晚文本取代的文本。",
        why: "引用旧文号就是引用已被修订取代的文本，核对者会按旧文本找条款和条文。",
        example: "  - law: 中华人民共和国政府信息公开条例\n    doc_no: 国务院令第492号     # 2019 年修订后为 国务院令第711号",
        fix: "改为现行文本的文号，并按现行文本核对条款和条文（`powerlist law 名称` 列出现行文本的文号）。各法规的文号记录在法规库的人工核对层 data/laws.toml 中，每条注明来源；法规库条文取自国家法律法规数据库。",
    }
    BasisLevel = "basis-level", Warn {
        summary: "设定依据没有写效力层级 `level`，而法规库也不知道该法律法规的层级（法规库收录的法律法规可以不写，用库中的层级）。",
        why: "能否设定某类职权取决于依据的效力层级（`setting-power`）；层级不明时这项检查无法进行。",
        example: "  - law: 某省社会救助实施办法     # 地方政府规章，法规库没有",
        fix: "写明 `level: 地方政府规章`（或相应层级），或在目录的 laws.toml 中登记这部法规及其层级。",
    }
    RightsRequired = "rights-required", Warn {
        summary: "`rights` 缺少本类职权法律赋予相对人的权利：处罚和强制的陈述、申辩；有听证环节的要求听证；有决定环节（`决定`、`当场处罚`），或 `受理` 能不予受理（`outcome: 不予`，或不经决定就结束的分支）的，行政复议、行政诉讼。",
        why: "行政处罚法第四十五条、行政强制法第八条规定陈述、申辩权；对行政决定不服可以依法申请行政复议或者提起行政诉讼。流程图须载明相对人的权利（规范权力运行的政策要求）。",
        example: "category: 行政处罚\nrights: [行政复议]",
        fix: "`rights: [陈述，申辩，要求听证，行政复议，行政诉讼]`（按实际适用）。",
    }
    ComplaintRequired = "complaint-required", Warn {
        summary: "没有 `complaints`（投诉举报途径），或某个途径没有任何联系方式（电话、地址、邮箱、网址）。",
        why: "流程图须载明投诉举报途径和方式（规范权力运行的政策要求）；只有名称没有联系方式的途径无法使用。",
        example: "complaints:\n  - channel: 县纪委监委派驻纪检组     # 没有电话或地址",
        fix: "`complaints: [{channel: 县纪委监委派驻纪检组，phone: 0000-0000000}]`。",
    }
    SupervisionContact = "supervision-contact", Warn {
        summary: "`supervision`（监督制约环节）没有写明 `contact`（联系方式）。",
        why: "规范权力运行的政策要求：写明内部监督机构和外部监督渠道，群众需要知道如何联系监督机构。",
        example: "supervision:\n  - step: decide\n    by: 局纪检组\n    how: 结果公示      # 缺少 contact",
        fix: "`contact: 0000-0000000`（电话、地址或网址）。",
    }
    NonPublicReason = "non-public-reason", Error {
        summary: "`disclosure.public: false` 但没有写 `reason`（不公开理由）或 `ground`（不公开的法定情形）。",
        why: "政府信息公开条例第十四、十五、十六条列举了可以不公开的情形（国家秘密、商业秘密、个人隐私、危及安全稳定、内部事务信息、过程性信息、法律法规禁止公开）；不在其列的不能以 “工作秘密” 等理由不公开。",
        example: "disclosure:\n  public: false\n  reason: 工作秘密",
        fix: "写明 `ground: 国家秘密` 等法定情形，并在 `reason` 中说明如何适用。",
    }
    RiskControl = "risk-control", Error {
        summary: "步骤的 `risk`（风险点）没有 `control`（防控措施）。",
        why: "排查出风险点就必须有对应的防控措施，否则风险排查流于形式。",
        example: "    risk:\n      level: 高\n      point: 优亲厚友",
        fix: "写明防控措施，如 `control: 两人以上入户核查，结果张榜公示`。",
    }
    DecisionSupervised = "decision-supervised", Warn {
        summary: "`决定` 步骤没有对应的 `supervision`（监督制约环节）。",
        why: "决定是权力最集中的环节；规范权力运行的政策要求写明内部监督机构和外部监督渠道。",
        example: "supervision: []    # 而 decide 步骤 role: 决定",
        fix: "`supervision: [{step: decide, by: 局纪检组，how: 集体研究、结果公示}]`。",
    }
    SettingContent = "setting-content", Error {
        summary: "职权给予的处罚种类或采取的强制措施，超出了最高一级设定依据可以设定的范围；行政许可的最高依据是设区的市人民政府规章，或是没有写明制定机关的地方政府规章。",
        why: "行政处罚法第十条至第十六条：限制人身自由只能由法律设定；行政法规可以设定除限制人身自由以外的处罚；地方性法规不能设定限制人身自由和吊销营业执照；规章只能设定警告、通报批评和一定数额罚款；其他规范性文件不得设定。行政强制法第十条：行政法规不得设定限制人身自由和冻结，地方性法规只能设定查封、扣押。行政许可法第十五条：只有省级人民政府规章可以设定临时性的行政许可。",
        example: "category: 行政处罚\nbasis:\n  - law: 某市市容管理办法\n    level: 地方政府规章\npenalty_types: [罚款, 责令停产停业]   # 规章不能设定责令停产停业",
        fix: "引用设定该种处罚或措施的上位法条款，或改正 `penalty_types` / `measure_types`；地方政府规章写明 `issuer: 省级` 或 `issuer: 设区的市`。",
    }
    EnforcementTiming = "enforcement-timing", Error {
        summary: "从 `催告` 到 `申请执行` 有一条路径合计不足十日。",
        why: "行政强制法第五十四条：催告书送达十日后当事人仍未履行义务的，行政机关才可以申请人民法院强制执行；第六十九条：十日以内的期限是指工作日。",
        example: "  - id: remind\n    role: 催告\n    time: 3个工作日\n    next: apply\n  - id: apply\n    role: 申请执行",
        fix: "催告环节写明给当事人的履行期限（不少于十个工作日），如 `time: 10个工作日`。",
    }
    RefusalWritten = "refusal-written", Error {
        summary: "行政许可：`受理` 的不予受理分支（`outcome: 不予`，或不经 `决定` 就结束的分支）没有经过 `送达`（书面凭证）就结束了。",
        why: "行政许可法第三十二条第二款：行政机关受理或者不予受理行政许可申请，应当出具加盖本行政机关专用印章和注明日期的书面凭证；不予受理也是当事人可以申请复议、提起诉讼的决定。",
        example: "  - id: accept\n    role: 受理\n    next:\n      - to: done\n        when: 不属于本机关职权范围\n  - id: done\n    type: end     # 没有书面凭证",
        fix: "不予受理的分支经过一个 `role: 送达` 的步骤，如「出具不予受理通知书并说明理由」。",
    }
    AccountabilityRequired = "accountability-required", Warn {
        summary: "职权没有 `accountability`（追责情形及其追责依据），或某一追责情形没有写追责依据 `basis`：权责清单的「追责情形」「追责依据」两栏无从填写。",
        why: "中共中央办公厅、国务院办公厅《关于推行地方各级政府工作部门权力清单制度的指导意见》（2015 年）要求推进责任清单、强化监督问责：每项职权列明追责情形及其依据。各类职权的法律责任一章写明了情形，如行政许可法第七十二条至第七十七条、行政处罚法第七十六条至第八十三条、行政强制法第六十一条至第六十八条。",
        example: "code: MZ-XK-0001\nname: 社会团体成立登记\n# 没有 accountability",
        fix: "`accountability: [{case: 对符合法定条件的行政许可申请不予受理的，basis: [{law: 中华人民共和国行政许可法，article: 第七十二条}]}]`；`powerlist new` 按类别写出标准的追责情形。",
    }
    DutyRequired = "duty-required", Off {
        summary: "办理或判断环节（task、decision）没有写 `duty`（本环节的责任事项）。",
        why: "权责清单的「责任事项」按办理环节逐项写明（受理责任、审查责任、决定责任、送达责任……；立案、调查取证、审查、告知、决定、送达、执行），规范权力运行要「明确权力行使的责任及责任人」。默认关闭，已有目录不受影响；编制权责清单的目录在 powerlist.toml 中打开。",
        example: "  - id: review\n    role: 审查\n    owner: 承办机构     # 没有 duty",
        fix: "`duty: 对申请材料进行审查，提出审查意见`；在 powerlist.toml 的 `[rules]` 中写 `duty-required = \"warn\"` 打开本规则。",
    }
    // The authoring aids that extend SPEC §2: placeholders, punctuation, unused `allow`.
    Placeholder = "placeholder", Warn {
        summary: "某个值仍是 `powerlist new` 或 `powerlist import` 写入的占位内容【待填写】。",
        why: "占位内容一旦发布，公众看到的就是 “【待填写】实施主体” 而不是真实信息；逐条列出才不会漏填。",
        example: "department: \"【待填写】实施主体（如 县民政局）\"",
        fix: "把整个值换成真实内容（如 `department: 示范县民政局`）；注释中的【待填写】不计。",
    }
    CjkPunctuation = "cjk-punctuation", Warn {
        summary: "中文文字之间用了半角 (ASCII) 标点 `,` `;` `:` `(` `)`。",
        why: "公开的目录和流程图是正式公文，中文之间的标点按 GB/T 15834《标点符号用法》用全角：，；：（）。半角标点在网页和打印件上又窄又挤，也显得未经校对。",
        example: "name: 特困人员救助供养 (农村五保) 认定\nconditions:\n  - 持有本县户籍, 家庭人均收入低于低保标准",
        fix: "改为全角标点：`特困人员救助供养（农村五保）认定`、`持有本县户籍，家庭人均收入低于低保标准`。YAML 的语法符号（键后的冒号、[a, b] 中的逗号）和注释不计。",
    }
    UnusedAllow = "unused-allow", Warn {
        summary: "`allow` 中列出的规则没有在本职权中触发，这条 allow 是多余的。",
        why: "多余的豁免会掩盖今后真正的问题；规则名拼错时豁免也不会生效。",
        example: "allow: [time-required]   # 但每个步骤都写了 time",
        fix: "删除这条 allow，或改正规则名（`powerlist explain` 列出全部规则）。",
    }
}

impl Rule {
    /// Every rule's name, for suggestions.
    pub fn names() -> impl Iterator<Item = &'static str> + Clone {
        Rule::ALL.iter().map(|r| r.name())
    }

    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// The text `powerlist explain RULE` prints.
    pub fn explain(self) -> String {
        let d = self.doc();
        format!(
            "{name} (默认级别 default level: {level})\n\n\
             规则说明 What it does\n  {summary}\n\n\
             为什么 Why\n  {why}\n\n\
             示例 Example\n{example}\n\n\
             如何修改 Fix\n  {fix}\n",
            name = self.name(),
            level = self.default_level().as_str(),
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

/// A rule is read back by its name (the check cache).
impl<'de> serde::Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Rule::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rule `{name}`")))
    }
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

    #[test]
    fn all_lists_every_variant_in_order() {
        // `ALL` is generated from the same table as the enum; its order is the
        // enum's (SPEC order), which the reporters and `explain` rely on.
        for (i, r) in Rule::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i);
        }
    }
}
