//! Command-line interface (SPEC §3). Doc comments are the help text.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};

use powerlist::report::{self, Format};
use powerlist::{Rule, Severity};

/// 权力清单工具: 检查职权目录, 发布权力运行流程图。
/// Check and publish administrative power lists.
#[derive(Debug, Parser)]
#[command(name = "powerlist", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 检查职权目录中的每一个文件 (check every power of a catalogue).
    ///
    /// Exit code 0: nothing at or above --fail-on; 1: something; 2: could not run.
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
    /// 解释一条规则; 不带参数时列出全部规则 (explain a rule, or list all rules).
    Explain {
        /// 规则名, 如 dead-end (rule name).
        rule: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warn,
}

pub fn run() -> anyhow::Result<ExitCode> {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // clap prints help and version to stdout (exit 0), usage errors to stderr (exit 2).
            let _ = e.print();
            return Ok(ExitCode::from(if e.use_stderr() { 2 } else { 0 }));
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Check {
            catalogue,
            format,
            fail_on,
        } => {
            let (cat, diags) = powerlist::check_catalogue(&catalogue)?;
            let color = format == Format::Human
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none();
            let prefix = catalogue.to_string_lossy();
            let written = report::write(&mut out, format, &diags, &cat, &prefix, color)
                .and_then(|()| out.flush());
            match written {
                // A reader that stopped early (`| head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.context("无法写出结果")?,
            }
            let threshold = match fail_on {
                FailOn::Error => Severity::Error,
                FailOn::Warn => Severity::Warn,
            };
            let failed = diags.iter().any(|d| d.severity >= threshold);
            Ok(ExitCode::from(u8::from(failed)))
        }
        Command::Explain { rule: None } => {
            for r in Rule::ALL {
                writeln!(out, "{:<26} {}", r.name(), r.doc().summary)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule: Some(name) } => match Rule::from_name(&name) {
            Some(r) => {
                write!(out, "{}", r.explain())?;
                Ok(ExitCode::SUCCESS)
            }
            None => bail!("未知规则 `{name}` (unknown rule); `powerlist explain` 列出全部规则"),
        },
    }
}
