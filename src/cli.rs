//! Command-line interface (SPEC §3). Doc comments are the help text.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use powerlist::build::{self, TableFormat};
use powerlist::config::Settings;
use powerlist::law::listing;
use powerlist::law::procedure::Procedures;
use powerlist::report::{self, Format};
use powerlist::{Rule, Severity};

/// 权力清单工具: 检查职权目录, 发布权力运行流程图。
/// Check and publish administrative power lists.
#[derive(Debug, Parser)]
#[command(
    name = "powerlist",
    version,
    about = "权力清单工具：检查职权目录，发布权力运行流程图 (check and publish administrative power lists)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 检查职权目录中的每一个文件 (check every power of a catalogue).
    ///
    /// 退出码：0 没有达到 --fail-on 级别的问题；1 有；2 无法运行。
    Check {
        /// 职权目录文件夹 (the catalogue folder).
        #[arg(default_value = "catalogue")]
        catalogue: PathBuf,
        /// 输出格式 (output format).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// 达到此级别即以退出码 1 结束 (lowest severity that fails the run).
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
    },
    /// 生成公开网站: 职权目录、流程图、表格 (build the public site).
    ///
    /// 目录有错误或草稿（【待填写】）时不生成；先写入旁边的临时文件夹，再整体替换，失败时原网站不变。
    Build {
        /// 职权目录文件夹 (the catalogue folder).
        #[arg(default_value = "catalogue")]
        catalogue: PathBuf,
        /// 输出目录 (output folder).
        #[arg(short, long, default_value = "site")]
        out: PathBuf,
        /// 同时把涉密不宜公开职权目录及其流程图写入 DIR (须在站点目录之外) (also write the internal list into DIR, outside the site).
        #[arg(long, value_name = "DIR")]
        internal: Option<PathBuf>,
    },
    /// 本机预览：生成网站、监视目录、保存即刷新 (live preview on this machine).
    ///
    /// 只在 127.0.0.1 上提供；修改并保存职权文件后，打开的页面自动刷新；目录有错误时页面显示诊断。按 Ctrl-C 停止。
    Serve {
        /// 职权目录文件夹 (the catalogue folder).
        #[arg(default_value = "catalogue")]
        catalogue: PathBuf,
        /// 端口；0 为任一空闲端口 (port; 0 for any free one).
        #[arg(long, default_value_t = 3000)]
        port: u16,
    },
    /// 比较两个版本的职权目录：新增、取消、编码变更、变更 (the 动态调整 between two versions).
    ///
    /// OLD 与 NEW 是文件夹，或 git 的 `版本:路径`（如 origin/main:catalogue）。退出码总是 0；无法读取某一边时为 2。
    Diff {
        /// 调整前的目录：文件夹或 `版本:路径` (before).
        old: String,
        /// 调整后的目录：文件夹或 `版本:路径` (after).
        new: String,
        /// 输出格式：markdown 用于合并请求的评论，csv 为调整说明表 (output format).
        #[arg(long, value_enum, default_value_t = DiffArg::Human)]
        format: DiffArg,
        /// 也比较不予公开的职权 (include non-public powers).
        #[arg(long)]
        internal: bool,
    },
    /// 列出目录引用的每一部法律法规：层级、现行/已修订/已废止、引用的条款和职权 (every law cited).
    ///
    /// 法律法规修订时，用 --law 列出受影响的职权。状态来自法规库 (data/laws.toml 与目录的 laws.toml)。
    Laws {
        /// 职权目录文件夹 (the catalogue folder).
        #[arg(default_value = "catalogue")]
        catalogue: PathBuf,
        /// 只列这一部法律法规（全称、简称或带书名号）(one law).
        #[arg(long)]
        law: Option<String>,
        /// 输出格式 (output format).
        #[arg(long, value_enum, default_value_t = listing::Format::Human)]
        format: listing::Format,
        /// 也列不予公开的职权 (include non-public powers).
        #[arg(long)]
        internal: bool,
    },
    /// 导出职权目录表格 (export the 职权目录 table of the public powers).
    Export {
        /// 职权目录文件夹 (the catalogue folder).
        #[arg(default_value = "catalogue")]
        catalogue: PathBuf,
        /// 表格格式 (table format).
        #[arg(long, value_enum)]
        format: TableArg,
        /// 输出文件; 省略时写到标准输出 (output file; standard output if omitted).
        #[arg(short, long)]
        out: Option<PathBuf>,
    },
    /// 按类别的标准程序新建一项职权 (write a new power from its category's procedure).
    ///
    /// 写入 职权目录/编码.yaml；须填写的内容标有【待填写】，`check` 会逐项列出。
    New {
        /// 职权目录文件夹：新文件写在其中，并使用其 powerlist.toml (the catalogue).
        #[arg(default_value = "catalogue")]
        catalogue: PathBuf,
        /// 职权类别: 十类之一或其两字母代码 (category name or code).
        #[arg(long)]
        category: String,
        /// 权力编码 (code), [A-Za-z0-9_-]{1,64}.
        #[arg(long)]
        code: String,
        /// 职权名称 (name).
        #[arg(long)]
        name: String,
        /// 输出文件，省略时为 职权目录/编码.yaml；`-` 为标准输出。不覆盖已有文件 (output file; `-` for standard output; never overwritten).
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// 使用指定的标准程序, 如 行政强制措施 (a named procedure instead of the category's).
        #[arg(long)]
        procedure: Option<String>,
    },
    /// 导入已有的职权目录表格, 每行写成一个 YAML (import an xlsx/csv 职权目录).
    ///
    /// 有行未能导入时退出码为 1，并逐行说明原因。
    Import {
        /// 表格文件 (.xlsx or .csv).
        file: PathBuf,
        /// 输出目录 (folder for the YAML files).
        #[arg(short, long)]
        out: PathBuf,
        /// 覆盖已存在的文件 (replace existing files).
        #[arg(long)]
        force: bool,
        /// 使用该职权目录的 powerlist.toml：扩充的类别、[import.columns] 列名对应、标准程序 (whose settings apply).
        #[arg(long, default_value = "catalogue")]
        catalogue: PathBuf,
    },
    /// 输出职权文件的 JSON Schema, 供编辑器提示与校验 (print the JSON Schema of a power).
    Schema {
        /// 职权目录文件夹：把其 powerlist.toml 中扩充的类别加入枚举；省略时只含十类 (the catalogue).
        catalogue: Option<PathBuf>,
    },
    /// 新建一个职权目录仓库：目录设置、示例职权、编辑器与 CI 配置 (start a catalogue repository).
    ///
    /// 写入 DIR/catalogue（设置与一项示例职权）、JSON Schema 与 VS Code 设置、CI 示例和 .gitignore；已有的文件不覆盖。
    Init {
        /// 仓库文件夹，可以已存在；默认为当前文件夹 (folder; the current one by default).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// 解释一条规则; 不带参数时列出全部规则 (explain a rule, or list all rules).
    Explain {
        /// 规则名, 如 dead-end (rule name).
        rule: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffArg {
    Human,
    Markdown,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TableArg {
    Csv,
    Xlsx,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warn,
}

/// The command line in Chinese: headings, the help and version flags, usage.
fn command() -> clap::Command {
    let help = || {
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help("显示帮助 (print help)")
    };
    let zh = |c: clap::Command| {
        c.disable_help_flag(true)
            .arg(help())
            .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}\n")
            .subcommand_help_heading("命令")
            .mut_args(|a| {
                let heading = if a.is_positional() {
                    "参数"
                } else {
                    "选项"
                };
                let mut help = a.get_help().map_or(String::new(), ToString::to_string);
                let values: Vec<String> = a
                    .get_possible_values()
                    .iter()
                    .map(|v| v.get_name().to_string())
                    .collect();
                if !values.is_empty() {
                    help.push_str(&format!("；可选：{}", values.join("、")));
                }
                if let Some(d) = a.get_default_values().first() {
                    help.push_str(&format!("；默认：{}", d.to_string_lossy()));
                }
                let takes = a.get_action().takes_values();
                a.help_heading(heading)
                    .help(help)
                    .hide_default_value(takes)
                    .hide_possible_values(takes)
            })
    };
    zh(Cli::command())
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本 (print version)")
                .help_heading("选项"),
        )
        .mut_subcommands(zh)
}

/// A usage error in Chinese, with what clap knows (the argument, the value,
/// the valid values, its suggestion) and the usage line.
fn usage_error(e: &clap::Error) -> String {
    let get = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = get(ContextKind::InvalidArg);
    let suggested = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand]
        .into_iter()
        .filter_map(|k| match e.get(k) {
            Some(ContextValue::String(s)) => Some(vec![s.clone()]),
            Some(ContextValue::Strings(v)) if !v.is_empty() => Some(v.clone()),
            _ => None,
        })
        .next()
        .map_or(String::new(), |v| {
            let names: Vec<String> = v.iter().map(|s| format!("`{s}`")).collect();
            format!("，是不是 {}？", names.join(" 或 "))
        });
    let message = match e.kind() {
        ErrorKind::UnknownArgument => format!("未知的参数 `{arg}`{suggested}"),
        ErrorKind::InvalidSubcommand => format!(
            "未知的命令 `{}`{suggested}（可用：init、check、build、serve、export、laws、diff、new、import、schema、explain）",
            get(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue => {
            let valid = get(ContextKind::ValidValue);
            let value = get(ContextKind::InvalidValue);
            if valid.is_empty() {
                format!("`{arg}` 缺少取值")
            } else if value.is_empty() {
                format!("`{arg}` 缺少取值；可选：{valid}")
            } else {
                format!("`{arg}` 的取值 `{value}` 无效；可选：{valid}")
            }
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必填的参数：{arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令；`powerlist --help` 列出全部命令".to_string()
        }
        ErrorKind::TooManyValues | ErrorKind::ArgumentConflict => {
            format!("多余或冲突的参数 `{arg}`")
        }
        ErrorKind::NoEquals | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 `{arg}` 的取值个数不对")
        }
        ErrorKind::ValueValidation => format!("参数 `{arg}` 的取值无效：{}", get(ContextKind::InvalidValue)),
        _ => format!("命令行有误：{}", e.kind()),
    };
    let usage = e
        .get(ContextKind::Usage)
        .map(|u| format!("{}\n\n", u.to_string().replace("Usage: ", "用法：")))
        .unwrap_or_default();
    format!("powerlist：错误：{message}\n\n{usage}`--help` 显示帮助。")
}

pub fn run() -> anyhow::Result<ExitCode> {
    let matches = match command().try_get_matches() {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::DisplayVersion => {
            println!("powerlist {}", env!("CARGO_PKG_VERSION"));
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) if !e.use_stderr() => {
            // Help goes to standard output, exit 0.
            let _ = e.print();
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => {
            // The arguments may hold anything: shown, not obeyed.
            let text = usage_error(&e);
            let safe: Vec<String> = text.trim_end().lines().map(report::terminal_safe).collect();
            eprintln!("{}", safe.join("\n"));
            return Ok(ExitCode::from(2));
        }
    };
    let cli = Cli::from_arg_matches(&matches)?;
    match cli.command {
        Command::Check {
            catalogue,
            format,
            fail_on,
        } => check(&catalogue, format, fail_on),
        Command::Build {
            catalogue,
            out,
            internal,
        } => build(&catalogue, &out, internal.as_deref()),
        Command::Export {
            catalogue,
            format,
            out,
        } => export(&catalogue, format, out.as_deref()),
        Command::New {
            category,
            code,
            name,
            out,
            catalogue,
            procedure,
        } => {
            // A new power goes into the catalogue, under its code, by default.
            let out = out.unwrap_or_else(|| catalogue.join(format!("{code}.yaml")));
            new(
                &catalogue,
                &category,
                code,
                name,
                &out,
                procedure.as_deref(),
            )
        }
        Command::Import {
            file,
            out,
            force,
            catalogue,
        } => import(&file, &out, force, &catalogue),
        Command::Schema { catalogue } => schema(catalogue.as_deref()),
        Command::Explain { rule } => explain(rule.as_deref()),
        Command::Init { dir } => init(&dir),
        Command::Serve { catalogue, port } => serve(&catalogue, port),
        Command::Laws {
            catalogue,
            law,
            format,
            internal,
        } => laws(&catalogue, law.as_deref(), format, internal),
        Command::Diff {
            old,
            new,
            format,
            internal,
        } => diff(&old, &new, format, internal),
    }
}

/// Writes to standard output; a reader that stopped early (`| head`) is not an error.
fn to_stdout(fill: &mut dyn FnMut(&mut dyn Write) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let written = fill(&mut w).and_then(|()| w.flush().map_err(anyhow::Error::from));
    match written {
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(())
        }
        other => other,
    }
}

fn check(catalogue: &Path, format: Format, fail_on: FailOn) -> anyhow::Result<ExitCode> {
    // Streaming: each power is checked as it is read and then dropped.
    let settings = Settings::load(catalogue)?;
    let (cat, diags, _) = powerlist::check_streaming(catalogue, &settings, &|_, _, _| ())?;
    let color = format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let prefix = catalogue.to_string_lossy();
    to_stdout(&mut |w| Ok(report::write(w, format, &diags, &cat, &prefix, color)?))
        .context("无法写出结果")?;
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warn => Severity::Warn,
    };
    let failed = diags.iter().any(|d| d.severity >= threshold);
    Ok(ExitCode::from(u8::from(failed)))
}

fn build(catalogue: &Path, dir: &Path, internal: Option<&Path>) -> anyhow::Result<ExitCode> {
    let settings = Settings::load(catalogue)?;
    let built = match build::build(catalogue, &settings, dir, internal)? {
        build::Outcome::Refused(prepared) => {
            report_or_refuse(catalogue, &prepared, "build")?;
            return Ok(ExitCode::from(1));
        }
        build::Outcome::Built(prepared, built) => {
            report_or_refuse(catalogue, &prepared, "build")?;
            built
        }
    };
    let mut line = format!(
        "已生成 {}: {} 项公开职权，{} 个文件",
        dir.display(),
        built.public,
        built.files
    );
    if let Some(idir) = internal {
        line.push_str(&format!(
            "; 涉密不宜公开职权目录 {} 项写入 {}",
            built.internal,
            idir.display()
        ));
    }
    if !built.overridden.is_empty() {
        line.push_str(&format!(
            "; 使用目录自带模板：{}",
            built.overridden.join(", ")
        ));
    }
    // Template file names come from the catalogue folder: shown, not obeyed.
    to_stdout(&mut |w| Ok(writeln!(w, "{}", report::terminal_safe(&line))?))?;
    Ok(ExitCode::SUCCESS)
}

fn export(catalogue: &Path, format: TableArg, file: Option<&Path>) -> anyhow::Result<ExitCode> {
    let format = match format {
        TableArg::Csv => TableFormat::Csv,
        TableArg::Xlsx => TableFormat::Xlsx,
        TableArg::Json => TableFormat::Json,
    };
    let settings = Settings::load(catalogue)?;
    let prepared = build::prepare(catalogue, &settings, format == TableFormat::Json)?;
    if !report_or_refuse(catalogue, &prepared, "export")? {
        return Ok(ExitCode::from(1));
    }
    let mut fill = |w: &mut dyn Write| build::export(&prepared, &settings, format, w);
    match file {
        Some(path) => {
            powerlist::files::write_atomically(path, &mut fill)?;
            let public = prepared.listed.iter().filter(|l| l.public).count();
            eprintln!("已写出 {}：{public} 项公开职权的职权目录", path.display());
        }
        None if format == TableFormat::Xlsx && std::io::stdout().is_terminal() => {
            bail!("xlsx 是二进制文件，请用 -o FILE 指定输出文件 (refusing to write a workbook to a terminal)")
        }
        None => to_stdout(&mut fill).context("无法写出表格")?,
    }
    Ok(ExitCode::SUCCESS)
}

fn new(
    catalogue: &Path,
    category: &str,
    code: String,
    name: String,
    file: &Path,
    procedure: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let settings = settings_if_any(catalogue)?;
    let Some(canonical) = settings.category(category) else {
        let names: Vec<&str> = settings
            .categories
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        let hint = powerlist::load::suggest::did_you_mean(category, names.iter().copied());
        bail!(
            "未知的职权类别 `{category}`{hint}{}可选：{}",
            powerlist::load::suggest::then(&hint),
            names.join(" ")
        );
    };
    if !powerlist::model::valid_code(&code) {
        bail!("权力编码 `{code}` 无效：只能使用字母、数字、`-`、`_`，最长 64 位 (bad code)");
    }
    if name.trim().is_empty() {
        bail!("职权名称不能为空 (the name is empty)");
    }
    let procedures = Procedures::load(catalogue)?;
    let proc = match procedure {
        None => procedures.get(canonical),
        Some(p) => match procedures.named(p) {
            Some(proc) => proc,
            None => bail!(
                "未知的标准程序 `{p}` (unknown procedure); 可选：{}",
                procedures.names().collect::<Vec<_>>().join(" ")
            ),
        },
    };
    let text = powerlist::new::new_power(code, name, canonical.to_string(), proc);
    if file == Path::new("-") {
        to_stdout(&mut |w| Ok(w.write_all(text.as_bytes())?))?;
    } else {
        if file
            .parent()
            .is_some_and(|p| !p.as_os_str().is_empty() && !p.is_dir())
            && file.starts_with(catalogue)
        {
            bail!(
                "职权目录 {} 不存在：先运行 `powerlist init {}`，或用 -o 指定文件",
                catalogue.display(),
                catalogue.display()
            );
        }
        create_new(file, text.as_bytes())?;
        eprintln!(
            "已写入 {}：请填写其中标有【待填写】的内容，然后运行 powerlist check {}",
            file.display(),
            catalogue.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn import(file: &Path, dir: &Path, force: bool, catalogue: &Path) -> anyhow::Result<ExitCode> {
    let settings = settings_if_any(catalogue)?;
    let procedures = Procedures::load(catalogue)?;
    let rows = powerlist::import::read_table(file)?;
    let done = powerlist::import::import(&rows, &settings, &procedures, dir, force)?;
    for n in &done.notes {
        let what = if n.skipped { "未导入" } else { "注意" };
        // Messages quote cells: a spreadsheet's control characters are shown, not obeyed.
        let message = report::terminal_safe(&n.message);
        eprintln!("{}:{}: {what}: {message}", file.display(), n.row);
    }
    let skipped = done.notes.iter().filter(|n| n.skipped).count();
    let carried = if done.carried > 0 {
        format!(
            "；CSV 中 {} 个空白的实施主体或承办机构单元格沿用了上一行（CSV 不记录合并单元格）",
            done.carried
        )
    } else {
        String::new()
    };
    to_stdout(&mut |w| {
        Ok(writeln!(
            w,
            "已导入 {} 项到 {}，{skipped} 行未导入{carried}；请运行 powerlist check {} 并填写标有【待填写】的内容",
            done.written.len(),
            dir.display(),
            dir.display()
        )?)
    })?;
    Ok(ExitCode::from(u8::from(skipped > 0)))
}

fn schema(catalogue: Option<&Path>) -> anyhow::Result<ExitCode> {
    let settings = match catalogue {
        Some(dir) => Settings::load(dir)?,
        None => Settings::default(),
    };
    let text = powerlist::model::schema::render(&settings);
    to_stdout(&mut |w| Ok(w.write_all(text.as_bytes())?))?;
    Ok(ExitCode::SUCCESS)
}

fn laws(
    catalogue: &Path,
    law: Option<&str>,
    format: listing::Format,
    internal: bool,
) -> anyhow::Result<ExitCode> {
    let settings = Settings::load(catalogue)?;
    let cat = powerlist::load::load_catalogue(catalogue)?;
    let mut list = listing::list(cat.powers().map(|(_, p)| p), &settings.laws, internal);
    if let Some(name) = law {
        list = listing::only(list, name, &settings.laws)?;
    }
    to_stdout(&mut |w| listing::write(w, &list, format))?;
    Ok(ExitCode::SUCCESS)
}

fn diff(old: &str, new: &str, format: DiffArg, internal: bool) -> anyhow::Result<ExitCode> {
    use powerlist::diff::{self, DiffFormat, Side};
    let format = match format {
        DiffArg::Human => DiffFormat::Human,
        DiffArg::Markdown => DiffFormat::Markdown,
        DiffArg::Json => DiffFormat::Json,
        DiffArg::Csv => DiffFormat::Csv,
    };
    let (a, b) = (Side::open(old)?, Side::open(new)?);
    let d = diff::diff(&a, &b, internal)?;
    to_stdout(&mut |w| diff::write(w, &d, format, old, new))?;
    Ok(ExitCode::SUCCESS)
}

fn serve(catalogue: &Path, port: u16) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let log = std::sync::Arc::new(move |line: &str| {
        let t = started.elapsed().as_secs_f64();
        eprintln!("[{t:7.2} 秒] {}", report::terminal_safe(line));
    });
    powerlist::serve::serve(
        catalogue,
        port,
        &|url| {
            println!("预览：{url}（按 Ctrl-C 停止）");
            let _ = std::io::stdout().flush();
        },
        log,
    )?;
    eprintln!("预览已停止");
    Ok(ExitCode::SUCCESS)
}

fn init(dir: &Path) -> anyhow::Result<ExitCode> {
    let written = powerlist::init::init(dir)?;
    let cat = dir.join("catalogue");
    to_stdout(&mut |w| {
        let shown = |p: &Path| report::terminal_safe(&p.display().to_string());
        writeln!(w, "已在 {} 新建职权目录仓库：", shown(dir))?;
        for p in &written {
            writeln!(w, "  {}", shown(p))?;
        }
        writeln!(
            w,
            "下一步：powerlist check {0}；powerlist new {0} --category 行政许可 --code 编码 --name 名称；powerlist build {0} -o {1}",
            shown(&cat),
            shown(&dir.join("site"))
        )?;
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn explain(rule: Option<&str>) -> anyhow::Result<ExitCode> {
    let text = match rule {
        None => Rule::ALL
            .iter()
            .map(|r| format!("{:<26} {}\n", r.name(), r.doc().summary))
            .collect(),
        Some(name) => match Rule::from_name(name) {
            Some(r) => r.explain(),
            None => bail!(
                "未知规则 `{name}`{}（`powerlist explain` 列出全部规则）",
                powerlist::load::suggest::did_you_mean(name, Rule::names())
            ),
        },
    };
    to_stdout(&mut |w| Ok(w.write_all(text.as_bytes())?))?;
    Ok(ExitCode::SUCCESS)
}

/// Reports what the check before `build` or `export` found, on stderr. With
/// errors, says the command refused and gives `false`; warnings do not stop it.
fn report_or_refuse(
    catalogue: &Path,
    prepared: &build::Prepared,
    command: &str,
) -> anyhow::Result<bool> {
    if !prepared.diags.is_empty() {
        let stderr = std::io::stderr();
        let mut err = stderr.lock();
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let prefix = catalogue.to_string_lossy();
        report::write(
            &mut err,
            Format::Human,
            &prepared.diags,
            &prepared.cat,
            &prefix,
            color,
        )?;
    }
    let errors = prepared.errors();
    if errors > 0 {
        eprintln!(
            "powerlist: {command} 已拒绝：职权目录有 {errors} 个错误，未写出任何文件 (refused: the catalogue has errors)"
        );
        return Ok(false);
    }
    let drafts = prepared.drafts();
    if !drafts.is_empty() {
        let prefix = catalogue.to_string_lossy();
        let list: Vec<String> = drafts
            .iter()
            .map(|f| report::terminal_safe(&report::display_path(&prefix, f)))
            .collect();
        eprintln!(
            "powerlist: {command} 已拒绝：{} 项职权仍有【待填写】的内容，草稿不发布：{} (refused: drafts are never published)",
            drafts.len(),
            list.join("、")
        );
        return Ok(false);
    }
    Ok(true)
}

/// Writes a file that must not exist yet; an existing file is never touched.
fn create_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("无法创建 {}", parent.display()))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => anyhow::anyhow!(
                "{} 已存在，不会覆盖 (refusing to overwrite an existing file)",
                path.display()
            ),
            _ => anyhow::Error::new(e).context(format!("无法写入 {}", path.display())),
        })?;
    f.write_all(bytes)
        .with_context(|| format!("无法写入 {}", path.display()))
}

/// A catalogue's settings when it has a `powerlist.toml`, else the defaults.
fn settings_if_any(catalogue: &Path) -> anyhow::Result<Settings> {
    if catalogue.join(powerlist::config::CONFIG_FILE).is_file() {
        Settings::load(catalogue)
    } else {
        Ok(Settings::default())
    }
}
