//! The command line (SPEC §3): the arguments (doc comments are the help
//! text), their dispatch to one file per subcommand, and what those share.
//! Everything the commands decide is in the library; `zh` makes it Chinese.

mod build_cmd;
mod check_cmd;
mod diff_cmd;
mod explain_cmd;
mod export_cmd;
mod import_cmd;
mod init_cmd;
mod law_cmd;
mod laws_cmd;
mod new_cmd;
mod schema_cmd;
mod serve_cmd;
mod zh;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{FromArgMatches, Parser, Subcommand, ValueEnum};

use powerlist::config::Settings;
use powerlist::diff;
use powerlist::law::{listing, lookup};
use powerlist::publish::export;
use powerlist::publish::prepare::Prepared;
use powerlist::report;

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
        #[arg(long, value_enum, default_value_t = report::Format::Human)]
        format: report::Format,
        /// 达到此级别即以退出码 1 结束 (lowest severity that fails the run).
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
        /// 不读也不写目录中的缓存 .powerlist-cache/ (neither read nor write the check cache).
        #[arg(long)]
        no_cache: bool,
    },
    /// 生成公开网站：职权目录、流程图、表格 (build the public site).
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
        #[arg(long, value_enum, default_value_t = diff::Format::Human)]
        format: diff::Format,
        /// 也比较不予公开的职权 (include non-public powers).
        #[arg(long)]
        internal: bool,
    },
    /// 查法律法规：一部法律的层级、状态、文号、条文数，一条的现行条文，或含有某些词的条文 (look up a law).
    ///
    /// 条文取自法规库（国家法律法规数据库的全部法律、行政法规）；查名称和条款时，目录的 laws.toml 与 [laws] texts 也参与。
    /// 例：powerlist law 行政许可法 第四十二条；powerlist law --find 超限运输。
    Law {
        /// 法律法规名称（全称、简称或带书名号）；省略时列出法规库概况 (the law).
        name: Option<String>,
        /// 条款，如 第四十二条、第十条第二款、第四十四条、第九十条 (the article).
        article: Option<String>,
        /// 查找含有这些词的条文，多个词都须出现 (find articles holding the words).
        #[arg(long, num_args = 1.., value_name = "WORDS", conflicts_with_all = ["name", "article"])]
        find: Option<Vec<String>>,
        /// 最多列出多少条 (at most this many articles).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
        /// 职权目录文件夹：查名称和条款时也查它的 laws.toml 与法规文本（--find 只查法规库）(the catalogue whose laws count).
        #[arg(long, default_value = "catalogue")]
        catalogue: PathBuf,
        /// 输出格式 (output format).
        #[arg(long, value_enum, default_value_t = lookup::Format::Human)]
        format: lookup::Format,
    },
    /// 列出目录引用的每一部法律法规：层级、现行/已修订/已废止、引用的条款和职权 (every law cited).
    ///
    /// 法律法规修订时，用 --law 列出受影响的职权。状态来自法规库（国家法律法规数据库、data/laws.toml 与目录的 laws.toml）。
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
        format: export::Format,
        /// 输出文件；省略时写到标准输出 (output file; standard output if omitted).
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
        /// 职权类别：十类之一或其两字母代码 (category name or code).
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
        /// 使用指定的标准程序，如 行政强制措施 (a named procedure instead of the category's).
        #[arg(long)]
        procedure: Option<String>,
        /// 设定依据的法律法规：法规库有的，层级与 --article 的条文自动填入 (the law the power rests on).
        #[arg(long)]
        law: Option<String>,
        /// 设定依据的条款，如 第十二条 (the article; needs --law).
        #[arg(long, requires = "law")]
        article: Option<String>,
    },
    /// 导入已有的职权目录表格，每行写成一个 YAML (import an xlsx/csv 职权目录).
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
    /// 解释一条规则；不带参数时列出全部规则 (explain a rule, or list all rules).
    Explain {
        /// 规则名，如 dead-end (rule name).
        rule: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    Error,
    Warn,
}

/// The arguments parsed, or the exit code of version, help or a usage error
/// (written here).
fn arguments() -> Result<clap::ArgMatches, ExitCode> {
    match zh::command().try_get_matches() {
        Ok(m) => Ok(m),
        Err(e) if e.kind() == ErrorKind::DisplayVersion => {
            println!("powerlist {}", env!("CARGO_PKG_VERSION"));
            Err(ExitCode::SUCCESS)
        }
        Err(e) if !e.use_stderr() => {
            // Help goes to standard output, exit 0.
            let _ = e.print();
            Err(ExitCode::SUCCESS)
        }
        Err(e) => {
            // The arguments may hold anything: shown, not obeyed.
            let text = zh::usage_error(&e);
            let safe: Vec<String> = text.trim_end().lines().map(report::terminal_safe).collect();
            eprintln!("{}", safe.join("\n"));
            Err(ExitCode::from(2))
        }
    }
}

pub fn run() -> anyhow::Result<ExitCode> {
    let matches = match arguments() {
        Ok(m) => m,
        Err(code) => return Ok(code),
    };
    let cli = Cli::from_arg_matches(&matches)?;
    if !matches!(cli.command, Command::Serve { .. }) {
        crate::keep_freed_memory();
    }
    match cli.command {
        Command::Check {
            catalogue,
            format,
            fail_on,
            no_cache,
        } => check_cmd::run(&catalogue, format, fail_on, !no_cache),
        Command::Build {
            catalogue,
            out,
            internal,
        } => build_cmd::run(&catalogue, &out, internal.as_deref()),
        Command::Export {
            catalogue,
            format,
            out,
        } => export_cmd::run(&catalogue, format, out.as_deref()),
        Command::New {
            category,
            code,
            name,
            out,
            catalogue,
            procedure,
            law,
            article,
        } => {
            // A new power goes into the catalogue, under its code, by default.
            let out = out.unwrap_or_else(|| catalogue.join(format!("{code}.yaml")));
            let basis = law.map(|law| (law, article));
            new_cmd::run(
                &catalogue,
                &category,
                code,
                name,
                &out,
                procedure.as_deref(),
                basis,
            )
        }
        Command::Import {
            file,
            out,
            force,
            catalogue,
        } => import_cmd::run(&file, &out, force, &catalogue),
        Command::Schema { catalogue } => schema_cmd::run(catalogue.as_deref()),
        Command::Explain { rule } => explain_cmd::run(rule.as_deref()),
        Command::Init { dir } => init_cmd::run(&dir),
        Command::Serve { catalogue, port } => serve_cmd::run(&catalogue, port),
        Command::Law {
            name,
            article,
            find,
            limit,
            catalogue,
            format,
        } => law_cmd::run(
            &catalogue,
            name.as_deref(),
            article.as_deref(),
            find.as_deref(),
            limit as usize,
            format,
        ),
        Command::Laws {
            catalogue,
            law,
            format,
            internal,
        } => laws_cmd::run(&catalogue, law.as_deref(), format, internal),
        Command::Diff {
            old,
            new,
            format,
            internal,
        } => diff_cmd::run(&old, &new, format, internal),
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

/// Reports what the check before `build` or `export` found, on stderr. With
/// errors, says the command refused and gives `false`; warnings do not stop it.
fn report_or_refuse(catalogue: &Path, prepared: &Prepared, command: &str) -> anyhow::Result<bool> {
    write_report(draw_report(catalogue)(&prepared.cat, &prepared.diags))?;
    refuse_or_go(catalogue, prepared, command)
}

/// Draws what a check found as `report_or_refuse` shows it (nothing when it
/// found nothing).
fn draw_report(
    catalogue: &Path,
) -> impl Fn(&powerlist::Catalogue, &[powerlist::Diagnostic]) -> report::Drawn + Sync + '_ {
    let style = style_of(&std::io::stderr(), true);
    move |cat, diags| {
        if diags.is_empty() {
            return report::Drawn::default();
        }
        report::draw_human(diags, cat, &catalogue.to_string_lossy(), style)
    }
}

/// Writes a drawn report on stderr, through a buffer.
fn write_report(drawn: report::Drawn) -> anyhow::Result<()> {
    let stderr = std::io::stderr();
    let mut err = std::io::BufWriter::with_capacity(1 << 16, stderr.lock());
    drawn.write(&mut err)?;
    Ok(err.flush()?)
}

/// The rest of `report_or_refuse`, once the report is written.
fn refuse_or_go(catalogue: &Path, prepared: &Prepared, command: &str) -> anyhow::Result<bool> {
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
    let held = prepared.ungated();
    if command == "build" && !held.is_empty() {
        let prefix = catalogue.to_string_lossy();
        let shown = |f: &str| report::display_path(&prefix, f);
        eprintln!(
            "powerlist: {command} 已拒绝：{}",
            powerlist::publish::gate::summary(&held, &shown, &report::terminal_safe)
        );
        return Ok(false);
    }
    Ok(true)
}

/// How human output to `stream` is drawn: in colour on a terminal (unless
/// `NO_COLOR`, or the output is not for people), at the terminal's width.
fn style_of<S: IsTerminal>(stream: &S, human: bool) -> report::Style {
    if !stream.is_terminal() {
        return report::Style::PLAIN;
    }
    let columns = terminal_size::terminal_size().map(|(w, _)| usize::from(w.0));
    report::Style::for_terminal(human && std::env::var_os("NO_COLOR").is_none(), columns)
}

/// An error and its causes on one line, as `{e:#}` writes it, with the
/// system's common I/O errors said in Chinese (and the system's words after).
pub fn error_line(e: &anyhow::Error) -> String {
    let parts: Vec<String> = e
        .chain()
        .map(|cause| match cause.downcast_ref::<std::io::Error>() {
            Some(io) => match io_zh(io.kind()) {
                Some(zh) => format!("{zh} ({io})"),
                None => io.to_string(),
            },
            None => cause.to_string(),
        })
        .collect();
    parts.join(": ")
}

/// The common I/O errors an officer meets, in Chinese.
fn io_zh(kind: std::io::ErrorKind) -> Option<&'static str> {
    use std::io::ErrorKind as K;
    Some(match kind {
        K::NotFound => "文件或目录不存在",
        K::PermissionDenied => "没有访问权限",
        K::AlreadyExists => "已经存在",
        K::IsADirectory => "这是一个目录，不是文件",
        K::NotADirectory => "路径中的一段不是目录",
        K::DirectoryNotEmpty => "目录不是空的",
        K::StorageFull => "磁盘空间已满",
        K::ReadOnlyFilesystem => "文件系统只读，不能写入",
        K::InvalidFilename => "文件名无效或过长",
        K::CrossesDevices => "不能跨磁盘移动",
        K::BrokenPipe => "输出已被关闭",
        K::Interrupted => "操作被中断",
        K::OutOfMemory => "内存不足",
        _ => return None,
    })
}

/// A catalogue's settings when it has a `powerlist.toml`, else the defaults.
fn settings_if_any(catalogue: &Path) -> anyhow::Result<Settings> {
    if catalogue.join(powerlist::config::CONFIG_FILE).is_file() {
        Settings::load(catalogue)
    } else {
        Ok(Settings::default())
    }
}
