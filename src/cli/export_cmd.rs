//! `powerlist export`: the 职权目录 table to a file (replaced atomically) or to
//! standard output, never a workbook to a terminal.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};
use powerlist::config::Settings;
use powerlist::publish::export::{export, Format};
use powerlist::publish::files::write_atomically;
use powerlist::publish::prepare::prepare;

use super::{report_or_refuse, to_stdout};

pub(super) fn run(
    catalogue: &Path,
    format: Format,
    file: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let settings = Settings::load(catalogue)?;
    let prepared = prepare(catalogue, &settings, format == Format::Json)?;
    if !report_or_refuse(catalogue, &prepared, "export")? {
        return Ok(ExitCode::from(1));
    }
    let mut fill = |w: &mut dyn Write| export(&prepared, &settings, format, w);
    match file {
        Some(path) => {
            write_atomically(path, &mut fill)?;
            let public = prepared.listed.iter().filter(|l| l.public).count();
            eprintln!("已写出 {}：{public} 项公开职权的职权目录", path.display());
        }
        None if format == Format::Xlsx && std::io::stdout().is_terminal() => {
            bail!("xlsx 是二进制文件，请用 -o FILE 指定输出文件 (refusing to write a workbook to a terminal)")
        }
        None => to_stdout(&mut fill).context("无法写出表格")?,
    }
    Ok(ExitCode::SUCCESS)
}
