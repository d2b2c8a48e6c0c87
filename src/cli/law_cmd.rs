//! `powerlist law`: a law's facts, one article's current wording, or the
//! articles holding some words (`law::lookup`); a miss names the laws near it.

use std::path::Path;
use std::process::ExitCode;

use powerlist::config::Settings;
use powerlist::law::cite::clauses;
use powerlist::law::lookup::{self, Format};
use powerlist::report::terminal_safe;

use super::to_stdout;

pub(super) fn run(
    catalogue: &Path,
    name: Option<&str>,
    article: Option<&str>,
    find: Option<&[String]>,
    limit: usize,
    format: Format,
) -> anyhow::Result<ExitCode> {
    if let Some(words) = find {
        let words: Vec<&str> = words
            .iter()
            .map(|w| w.trim())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            anyhow::bail!("--find 需要至少一个词，如 powerlist law --find 超限运输");
        }
        if let Some(w) = words.iter().find(|w| w.chars().count() > 64) {
            anyhow::bail!(
                "--find 的词最长 64 个字：「{}…」过长，请拆成几个词",
                terminal_safe(&w.chars().take(16).collect::<String>())
            );
        }
        let (out, found) = lookup::find(&words, limit, format);
        to_stdout(&mut |w| Ok(w.write_all(out.as_bytes())?))?;
        // Like an unknown name: nothing found is exit 1.
        return Ok(ExitCode::from(u8::from(found == 0)));
    }
    let Some(name) = name else {
        let out = lookup::about(format);
        to_stdout(&mut |w| Ok(w.write_all(out.as_bytes())?))?;
        return Ok(ExitCode::SUCCESS);
    };
    let settings = Settings::load(catalogue)?;
    let Some(law) = settings.laws.find(name) else {
        let near = lookup::near(name);
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!(
                "；相近的有：{}",
                near.iter()
                    .map(|n| format!("《{}》", terminal_safe(n)))
                    .collect::<Vec<_>>()
                    .join("、")
            )
        };
        eprintln!(
            "法规库中没有《{}》{hint}",
            terminal_safe(&powerlist::law::cite::shown(name))
        );
        return Ok(ExitCode::from(1));
    };
    let out = match article {
        None => lookup::facts(law, format),
        Some(a) => {
            let cited = clauses(a);
            if cited.is_empty() {
                anyhow::bail!(
                    "「{}」不是条款号：请写 第四十二条、第十条第二款 这样的条款",
                    terminal_safe(a)
                );
            }
            match lookup::article(law, &cited, format) {
                Ok(out) => out,
                Err(e) => {
                    eprintln!("{}", terminal_safe(&e));
                    return Ok(ExitCode::from(1));
                }
            }
        }
    };
    to_stdout(&mut |w| Ok(w.write_all(out.as_bytes())?))?;
    Ok(ExitCode::SUCCESS)
}
