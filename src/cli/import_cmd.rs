//! `powerlist import`: a 职权目录 table read into YAML files, each row not
//! imported named with its reason; exit 1 when a row was left out.

use std::path::Path;
use std::process::ExitCode;

use powerlist::authoring::import;
use powerlist::law::procedure::Procedures;
use powerlist::report;

use super::{settings_if_any, to_stdout};

pub(super) fn run(
    file: &Path,
    dir: &Path,
    force: bool,
    catalogue: &Path,
) -> anyhow::Result<ExitCode> {
    let settings = settings_if_any(catalogue)?;
    let procedures = Procedures::load(catalogue)?;
    let rows = import::read_table(file)?;
    let done = import::import(&rows, &settings, &procedures, dir, force)?;
    for n in &done.notes {
        let what = if n.skipped { "未导入" } else { "注意" };
        // Messages quote cells: a spreadsheet's control characters are shown, not obeyed.
        // A cell wrapped over lines is quoted on one line, not as `\u{a}`.
        let message = report::terminal_safe(&n.message.replace(['\r', '\n'], " "));
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
    let generated = if done.generated > 0 {
        format!(
            "；表中没有权力编码列，{} 项的编码按「前缀-类别代码-四位数」生成（由实施主体和职权名称算出，再次导入不变；前缀见 powerlist.toml 的 [import.prefixes]）",
            done.generated
        )
    } else {
        String::new()
    };
    let unplaced = if done.unplaced.is_empty() {
        String::new()
    } else {
        format!(
            "；{} 列没有对应的字段，写入了备注：{}",
            done.unplaced.len(),
            report::terminal_safe(&done.unplaced.join("、"))
        )
    };
    let carried = format!("{carried}{generated}{unplaced}");
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
