//! The command line in Chinese: help headings, the help and version flags,
//! each argument's values and default in its help, and usage errors with what
//! clap knows (the argument, the value, the valid values, its suggestion).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory};

use super::Cli;

/// The command line in Chinese: headings, the help and version flags, usage.
pub(super) fn command() -> clap::Command {
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
pub(super) fn usage_error(e: &clap::Error) -> String {
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
        ErrorKind::InvalidSubcommand => {
            let command = get(ContextKind::InvalidSubcommand);
            // Our edit distance over the commands (`chek` is `check`); clap's
            // similarity list only when it finds none.
            let cli = Cli::command();
            let commands: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
            let near = powerlist::load::suggest::did_you_mean(&command, commands.iter().copied());
            let hint = if near.is_empty() { suggested } else { near };
            format!(
                "未知的命令 `{command}`{hint}（可用：{}）",
                commands.join("、")
            )
        }
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
        ErrorKind::ValueValidation => format!(
            "参数 `{arg}` 的取值无效：{}",
            get(ContextKind::InvalidValue)
        ),
        _ => format!("命令行有误：{}", e.kind()),
    };
    let usage = e
        .get(ContextKind::Usage)
        .map(|u| format!("{}\n\n", u.to_string().replace("Usage: ", "用法：")))
        .unwrap_or_default();
    format!("powerlist：错误：{message}\n\n{usage}`--help` 显示帮助。")
}
