//! `powerlist init`: a catalogue repository written, and what to run next.

use std::path::Path;
use std::process::ExitCode;

use powerlist::authoring::init;
use powerlist::report;

use super::to_stdout;

pub(super) fn run(dir: &Path) -> anyhow::Result<ExitCode> {
    let written = init::init(dir)?;
    let cat = dir.join("catalogue");
    to_stdout(&mut |w| {
        let shown = |p: &Path| report::terminal_safe(&p.display().to_string());
        writeln!(w, "已在 {} 新建职权目录仓库：", shown(dir))?;
        for p in &written {
            writeln!(w, "  {}", shown(p))?;
        }
        writeln!(
            w,
            "下一步：powerlist check {0}；powerlist build {0} -o {1}；新增一项职权：powerlist new {0} --category 行政许可 --code MZ-XK-0001 --name 社会团体成立登记",
            shown(&cat),
            shown(&dir.join("site"))
        )?;
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
