//! `powerlist build`: the site written (or refused), and one line saying what went out.

use std::path::Path;
use std::process::ExitCode;

use powerlist::config::Settings;
use powerlist::publish::build;
use powerlist::report;

use super::{draw_report, refuse_or_go, report_or_refuse, to_stdout, write_report};

pub(super) fn run(
    catalogue: &Path,
    dir: &Path,
    internal: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let settings = Settings::load(catalogue)?;
    // The report is drawn as the lists are written, on the cores they leave
    // free, and written once the site is in.
    let draw = draw_report(catalogue);
    let built = match build::build(catalogue, &settings, dir, internal, Some(&draw))? {
        build::Outcome::Refused(prepared) => {
            report_or_refuse(catalogue, &prepared, "build")?;
            return Ok(ExitCode::from(1));
        }
        build::Outcome::Built(prepared, mut built) => {
            write_report(built.report.take().unwrap_or_default())?;
            refuse_or_go(catalogue, &prepared, "build")?;
            // The process ends next and hands all its memory back at once:
            // freeing 100,000 powers piece by piece took a second on one core.
            std::mem::forget(prepared);
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
