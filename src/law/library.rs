//! The law library (SPEC §5.1a): every national 法律 and 行政法规 of the
//! 国家法律法规数据库 copy, as `tools/lawlib.py` writes it into `data/lawlib/`.
//! The index is read at start; a law's text is inflated only when asked for.

use std::collections::HashMap;
use std::io::Read as _;
use std::sync::{Arc, LazyLock, OnceLock};

use rayon::prelude::*;

use super::markdown::LawText;
use crate::model::LawLevel;

const INDEX: &str = include_str!("../../data/lawlib/index.tsv");
const TEXTS: &[u8] = include_bytes!("../../data/lawlib/texts.bin");

/// One text of one law (a law amended twice has three).
#[derive(Debug)]
pub struct Version {
    /// The name the database files it under: 行政许可法.
    pub name: String,
    /// Its own title: 中华人民共和国行政许可法.
    pub title: String,
    /// `None` for the 宪法, which is above every level a basis can name.
    pub level: Option<LawLevel>,
    pub publish: Option<String>,
    pub valid_from: Option<String>,
    /// The database marks it 失效 (replaced by a later text, or repealed).
    pub expired: bool,
    blob: (usize, usize),
    span: (usize, usize),
    text: OnceLock<Arc<LawText>>,
}

impl Version {
    /// The text, inflated and read on first use.
    pub fn text(&self) -> Arc<LawText> {
        self.text
            .get_or_init(|| {
                let (at, len) = self.blob;
                let packed = TEXTS.get(at..at + len).unwrap_or_default();
                let mut all = Vec::new();
                // The embedded file is checked by a test; a broken one reads as empty.
                let _ = flate2::read::DeflateDecoder::new(packed).read_to_end(&mut all);
                let (start, end) = self.span;
                let markdown = all
                    .get(start..end)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .unwrap_or_default();
                Arc::new(LawText::parse(markdown))
            })
            .clone()
    }

    /// The date it speaks from: in force, else published.
    pub fn date(&self) -> Option<&str> {
        self.valid_from.as_deref().or(self.publish.as_deref())
    }
}

/// A law of the library: its texts, oldest first.
#[derive(Debug)]
pub struct LibraryLaw {
    pub versions: Vec<Version>,
}

impl LibraryLaw {
    /// The text in force: the newest one (the database keeps earlier texts beside it).
    pub fn current(&self) -> &Version {
        // Never empty: a law is made from at least one index line.
        &self.versions[self.versions.len() - 1]
    }

    /// The database marks every text of it 失效: repealed, or replaced under another name.
    pub fn lapsed(&self) -> bool {
        self.versions.iter().all(|v| v.expired)
    }
}

/// The whole library.
#[derive(Debug)]
pub struct Library {
    /// Where it comes from: `LawRefBook/Laws <commit> (…)`.
    pub source: String,
    /// The newest date in the copy: what "as of" means for every verdict.
    pub snapshot: String,
    pub laws: Vec<LibraryLaw>,
}

static BUILTIN: LazyLock<Library> = LazyLock::new(|| Library::parse(INDEX, TEXTS.len()));

impl Library {
    /// The library shipped with powerlist.
    pub fn builtin() -> &'static Library {
        &BUILTIN
    }

    /// Reads the index (`tools/lawlib.py`'s format); lines it cannot read are skipped
    /// (a test checks the shipped one has none).
    fn parse(index: &str, texts: usize) -> Library {
        let mut lib = Library {
            source: String::new(),
            snapshot: String::new(),
            laws: Vec::new(),
        };
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for line in index.lines() {
            if let Some(rest) = line.strip_prefix("# ") {
                match rest.split_once('\t') {
                    Some(("source", v)) => lib.source = v.to_string(),
                    Some(("snapshot", v)) => lib.snapshot = v.to_string(),
                    _ => {}
                }
                continue;
            }
            let Some(v) = version_of(line).filter(|v| v.blob.0 + v.blob.1 <= texts) else {
                continue;
            };
            match by_name.get(&v.name) {
                Some(&i) => lib.laws[i].versions.push(v),
                None => {
                    by_name.insert(v.name.clone(), lib.laws.len());
                    lib.laws.push(LibraryLaw { versions: vec![v] });
                }
            }
        }
        lib
    }
}

fn version_of(line: &str) -> Option<Version> {
    let f: Vec<&str> = line.split('\t').collect();
    let [name, title, level, publish, valid_from, expired, off, len, start, end] = f[..] else {
        return None;
    };
    let num = |s: &str| s.parse::<usize>().ok();
    let date = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Some(Version {
        name: name.to_string(),
        title: title.to_string(),
        level: match level {
            "宪法" => None,
            l => Some(LawLevel::from_label(l)?),
        },
        publish: date(publish),
        valid_from: date(valid_from),
        expired: expired == "1",
        blob: (num(off)?, num(len)?),
        span: (num(start)?, num(end)?),
        text: OnceLock::new(),
    })
}

/// One article found by [`Library::find`].
#[derive(Debug, Clone)]
pub struct Found<'a> {
    pub law: &'a Version,
    pub article: crate::law::markdown::Article,
    /// How many of the words it holds as written (the others by their parts).
    pub whole: usize,
    /// How many times the words (or their parts) occur in it.
    pub hits: usize,
}

fn level_rank(l: Option<LawLevel>) -> u8 {
    match l {
        None => 0,
        Some(LawLevel::Law) => 1,
        Some(LawLevel::AdministrativeRegulation) => 2,
        Some(_) => 3,
    }
}

/// A part of a long word is looked for this close after the part before it.
const NEAR: usize = 60;

/// Whether `wording` holds every word — as written, or a long word by its
/// two-character parts, in order, each near the one before (超限运输 in
/// 「超限物品……运输单位」) — and how well: (words held as written, occurrences).
fn score(wording: &str, words: &[String]) -> Option<(usize, usize)> {
    let (mut whole, mut hits) = (0, 0);
    for w in words {
        let n = wording.matches(w.as_str()).count();
        if n > 0 {
            whole += 1;
            hits += n;
            continue;
        }
        let chars: Vec<char> = w.chars().collect();
        if chars.len() < 4 {
            return None;
        }
        let mut parts: Vec<String> = chars.chunks(2).map(|c| c.iter().collect()).collect();
        if chars.len() % 2 == 1 {
            let last = parts.pop().unwrap_or_default();
            if let Some(p) = parts.last_mut() {
                p.push_str(&last);
            }
        }
        let mut at = wording.find(parts[0].as_str())?;
        for pair in parts.windows(2) {
            let from = at + pair[0].len();
            let window: String = wording[from..].chars().take(NEAR).collect();
            at = from + window.find(pair[1].as_str())?;
        }
        hits += 1;
    }
    Some((whole, hits))
}

impl Library {
    /// The articles of the texts in force whose wording holds every word, best
    /// first: most words as written, most occurrences, the higher level, the
    /// shorter article.
    pub fn find(&self, words: &[&str]) -> Vec<Found<'_>> {
        let words: Vec<String> = words
            .iter()
            .map(|w| w.split_whitespace().collect::<String>())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            return Vec::new();
        }
        // Every text in force is inflated: one law per task, in the library's order.
        let mut found: Vec<Found> = self
            .laws
            .par_iter()
            .filter(|l| !l.lapsed())
            .flat_map_iter(|law| {
                let v = law.current();
                let text = v.text();
                let words = &words;
                text.articles
                    .iter()
                    .filter_map(move |a| {
                        let wording: String = a.wording().split_whitespace().collect();
                        let (whole, hits) = score(&wording, words)?;
                        Some(Found {
                            law: v,
                            article: a.clone(),
                            whole,
                            hits,
                        })
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        found.sort_by(|a, b| {
            (b.whole, b.hits)
                .cmp(&(a.whole, a.hits))
                .then(level_rank(a.law.level).cmp(&level_rank(b.law.level)))
                .then(
                    a.article
                        .wording()
                        .chars()
                        .count()
                        .cmp(&b.article.wording().chars().count()),
                )
                .then(a.law.title.cmp(&b.law.title))
                .then((a.article.number, a.article.sub).cmp(&(b.article.number, b.article.sub)))
        });
        found
    }
}

#[cfg(test)]
mod find_tests {
    use super::*;

    #[test]
    fn finds_overweight_transport() {
        let found = Library::builtin().find(&["超限运输"]);
        let titles: Vec<String> = found
            .iter()
            .map(|f| format!("{}{}", f.law.title, f.article.label()))
            .collect();
        assert!(titles.iter().any(|t| t.starts_with("中华人民共和国公路法")));
        assert!(titles.iter().any(|t| t.starts_with("公路安全保护条例")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every index line reads, every text inflates into articles, counts are sane.
    #[test]
    fn the_shipped_library_reads_whole() {
        let lib = Library::builtin();
        let lines = INDEX.lines().filter(|l| !l.starts_with('#')).count();
        let read: usize = lib.laws.iter().map(|l| l.versions.len()).sum();
        assert_eq!(read, lines);
        assert!(lib.laws.len() > 900, "{}", lib.laws.len());
        assert!(lib.snapshot.starts_with("20"));
        let mut empty = Vec::new();
        for law in &lib.laws {
            for v in &law.versions {
                let t = v.text();
                if t.articles.is_empty() {
                    empty.push(v.title.clone());
                }
            }
        }
        // Some texts number their clauses (一)(二) or are standards, not articles.
        assert!(empty.len() < 40, "{empty:?}");
    }

    #[test]
    fn known_laws() {
        let lib = Library::builtin();
        let find = |n: &str| lib.laws.iter().find(|l| l.current().name == n).unwrap();
        let xk = find("行政许可法").current().text();
        assert_eq!(xk.count(), 83);
        assert!(xk
            .article(42, 0)
            .unwrap()
            .wording()
            .starts_with("除可以当场作出行政许可决定的外"));
        assert_eq!(find("民法典").current().text().count(), 1260);
        let fy = find("行政复议法");
        assert_eq!(fy.versions.len(), 2);
        assert_eq!(fy.current().text().count(), 90);
        assert_eq!(find("殡葬管理条例").current().text().count(), 24);
    }
}
