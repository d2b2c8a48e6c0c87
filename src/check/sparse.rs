//! A checked file's text reduced to what the human report draws of it: the
//! lines around each finding, every other line emptied. A list imported with a
//! warning in every file would otherwise hold all its text until the report.

use crate::diag::Pos;
use crate::report::CONTEXT_LINES;
use crate::rules::FileCheck;

/// Keeps of `text` the lines within `CONTEXT_LINES` of every place `check`
/// points at (its findings, its code and its `allow`s, which the cross-file
/// rules and `allow` report at), and empties every other line, its line break
/// kept so that lines keep their numbers. Each of those places is moved to
/// where its text now is, so the report draws exactly what it drew from the
/// whole text.
pub(super) fn keep_around(text: &mut String, check: &mut FileCheck) {
    if text.is_empty() {
        return;
    }
    let starts: Vec<usize> = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect();
    let lines = starts.len();
    let line_of = |pos: &Pos| -> usize {
        if pos.offset == usize::MAX {
            // Found by line and column; past the end it is the last line.
            (pos.line.max(1) as usize - 1).min(lines - 1)
        } else {
            let at = pos.offset.min(text.len());
            starts.partition_point(|&s| s <= at) - 1
        }
    };
    let mut keep = vec![false; lines];
    {
        let mut mark = |pos: &Pos| {
            let l = line_of(pos);
            let from = l.saturating_sub(CONTEXT_LINES);
            let to = (l + CONTEXT_LINES).min(lines - 1);
            keep[from..=to].iter_mut().for_each(|k| *k = true);
        };
        check.findings.iter().for_each(|f| mark(&f.pos));
        check.code.iter().for_each(|(_, p)| mark(p));
        check.allow.iter().for_each(|(_, p)| mark(p));
    }
    let mut out = String::with_capacity(text.len() / 4);
    // Where each line starts in `out`.
    let mut moved = Vec::with_capacity(lines);
    for (i, &start) in starts.iter().enumerate() {
        moved.push(out.len());
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        if keep[i] {
            out.push_str(&text[start..end]);
        } else if text[start..end].ends_with('\n') {
            out.push('\n');
        }
    }
    let place = |pos: &mut Pos| {
        if pos.offset != usize::MAX {
            let at = pos.offset.min(text.len());
            let l = starts.partition_point(|&s| s <= at) - 1;
            pos.offset = moved[l] + (at - starts[l]);
        }
    };
    check.findings.iter_mut().for_each(|f| place(&mut f.pos));
    check.code.iter_mut().for_each(|(_, p)| place(p));
    check.allow.iter_mut().for_each(|(_, p)| place(p));
    *text = out;
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::config::Settings;
    use crate::diag::Diagnostic;
    use crate::report::{self, Format, Style};

    /// The human report as `check` writes it, without and with colour (which
    /// miette draws, not `report::draw`).
    fn human(diags: &[Diagnostic], cat: &crate::load::Catalogue) -> Vec<String> {
        [
            Style::PLAIN,
            Style {
                color: true,
                width: 80,
            },
        ]
        .into_iter()
        .map(|style| {
            let mut out = Vec::new();
            report::write(&mut out, Format::Human, diags, cat, "cat", style).unwrap();
            String::from_utf8(out).unwrap()
        })
        .collect()
    }

    /// Every example and fixture catalogue, and the shipped catalogue with a
    /// warning in every file (no step has a time), as an imported list is.
    fn catalogues() -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("tests/fixtures/hostile")];
        for parent in ["examples", "tests/fixtures/pass"] {
            for e in std::fs::read_dir(root.join(parent)).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                }
            }
        }
        dirs.sort();
        dirs
    }

    fn untimed_copy(to: &Path) {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue");
        for e in walkdir::WalkDir::new(&from) {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(&from).unwrap();
            let target = to.join(rel);
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else if e.path().extension().is_some_and(|x| x == "yaml") {
                let text = std::fs::read_to_string(e.path()).unwrap();
                let kept: Vec<&str> = text
                    .split_inclusive('\n')
                    .filter(|l| !l.trim_start().starts_with("time:"))
                    .collect();
                std::fs::write(&target, kept.concat()).unwrap();
            } else {
                std::fs::copy(e.path(), &target).unwrap();
            }
        }
    }

    /// A copy of one power under another name: a duplicate code, reported
    /// at the top of a file whose other findings are further down.
    fn duplicate_in(dir: &Path) {
        let first = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .find(|p| p.extension().is_some_and(|x| x == "yaml"))
            .unwrap();
        std::fs::copy(&first, first.with_file_name("zz-copy.yaml")).unwrap();
    }

    #[test]
    fn the_report_from_the_lines_kept_is_the_report_from_the_whole_text() {
        let tmp = tempfile::tempdir().unwrap();
        untimed_copy(tmp.path());
        duplicate_in(tmp.path());
        let mut dirs = catalogues();
        dirs.push(tmp.path().to_path_buf());
        let (mut findings, mut whole_bytes, mut kept_bytes) = (0, 0, 0);
        for dir in &dirs {
            let Ok(settings) = Settings::load(dir) else {
                continue;
            };
            let (whole, expected) = crate::check::check_catalogue(dir).unwrap();
            let (cat, diags, _) = crate::check::check_streaming(
                dir,
                &settings,
                super::super::Texts::Reported,
                &|_, _, _| (),
            )
            .unwrap();
            let without_offsets = |d: &[Diagnostic]| -> Vec<Diagnostic> {
                d.iter()
                    .map(|d| Diagnostic {
                        offset: 0,
                        len: 0,
                        ..d.clone()
                    })
                    .collect()
            };
            let dir = dir.display();
            assert_eq!(without_offsets(&diags), without_offsets(&expected), "{dir}");
            assert_eq!(human(&diags, &cat), human(&expected, &whole), "{dir}");
            findings += diags.len();
            for (a, b) in cat.files.iter().zip(&whole.files) {
                if !a.text.is_empty() {
                    assert_eq!(a.text.lines().count(), b.text.lines().count());
                    whole_bytes += b.text.len();
                    kept_bytes += a.text.len();
                }
            }
        }
        assert!(findings > 150, "only {findings} findings");
        // The point of it: most of the text of files with findings is gone.
        assert!(
            kept_bytes * 2 < whole_bytes,
            "{kept_bytes} of {whole_bytes} bytes kept"
        );
    }
}
