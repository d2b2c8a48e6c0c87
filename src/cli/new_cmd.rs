//! `powerlist new`: a power from its category's procedure, written to a new
//! file in the catalogue (never over one) or to standard output.

use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;
use powerlist::authoring::new;
use powerlist::law::procedure::Procedures;
use powerlist::publish::files::create_new;

use super::{settings_if_any, to_stdout};

pub(super) fn run(
    catalogue: &Path,
    category: &str,
    code: String,
    name: String,
    file: &Path,
    procedure: Option<&str>,
    basis: Option<(String, Option<String>)>,
) -> anyhow::Result<ExitCode> {
    let settings = settings_if_any(catalogue)?;
    let canonical = new::validate(&settings, category, &code, &name)?;
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
    let text = new::new_power(
        code,
        name,
        canonical.to_string(),
        proc,
        basis,
        &settings.laws,
    );
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
