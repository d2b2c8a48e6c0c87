//! The law registry (SPEC §5.1, §5.1a): every law of the library with the
//! hand-verified facts of `data/laws.toml` laid over it, each with its source,
//! and a catalogue's own `laws.toml` and law texts on top.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use anyhow::bail;
use serde::Deserialize;

use super::cite::key;
use super::library::{Library, LibraryLaw};
use super::markdown::LawText;
use crate::model::LawLevel;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    law: Vec<Law>,
}

/// One law as the registry records it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Law {
    pub name: String,
    /// Other names it is cited by (besides the name without 中华人民共和国).
    #[serde(default)]
    pub aliases: Vec<String>,
    pub level: Option<LawLevel>,
    /// Governs how a power is used (行政许可法 …); never creates one.
    #[serde(default)]
    pub procedural: bool,
    /// The 文号 under which the current text is cited (the order that
    /// promulgated it, and orders that amended it without a new text).
    #[serde(default)]
    pub doc_nos: Vec<String>,
    /// When the current text came into force.
    pub in_force: Option<String>,
    /// How many articles the current text has.
    pub articles: Option<u32>,
    /// 文号 of earlier texts, replaced by a revision: citing one is outdated.
    #[serde(default)]
    pub outdated_doc_nos: Vec<String>,
    pub repealed: Option<Repeal>,
    #[serde(default)]
    pub removed: Vec<Removed>,
    /// A text in force that the library does not hold yet (it came after the
    /// copy was made): wording and articles cannot be judged from the held text.
    pub later: Option<Later>,
    /// Where the facts above come from (the law's text, the order, the decision).
    pub source: String,
    /// When the library's current text was published (公布).
    #[serde(skip)]
    pub published: Option<String>,
    /// The text the registry holds of it.
    #[serde(skip)]
    pub held: Held,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repeal {
    pub date: String,
    pub by: String,
    pub source: String,
}

/// A clause deleted or renumbered by a revision.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Removed {
    /// The article (and paragraph) as the old text numbered it: 第二十条第二款.
    pub article: String,
    /// The revision that removed it (its 文号).
    pub by: String,
    /// The removed wording, or a part of it that a quotation would contain.
    pub text: Option<String>,
    pub source: String,
}

/// A revision in force that the library's copy predates.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Later {
    pub doc_no: Option<String>,
    pub in_force: String,
    pub articles: Option<u32>,
    pub source: String,
}

/// Where a law's text comes from.
#[derive(Debug, Clone, Default)]
pub enum Held {
    #[default]
    None,
    /// The built-in library (all its versions).
    Library(&'static LibraryLaw),
    /// A file of the catalogue's texts folder.
    File(Arc<LawText>, String),
}

impl Law {
    /// The current text, when the registry holds it (not when a later text is known but not held).
    pub fn text(&self) -> Option<Arc<LawText>> {
        if self.later.is_some() {
            return None;
        }
        self.held_text()
    }

    /// The text the registry holds, current or not (a later text may be known but not held).
    pub fn held_text(&self) -> Option<Arc<LawText>> {
        match &self.held {
            Held::None => None,
            Held::Library(l) => Some(l.current().text()),
            Held::File(t, _) => Some(t.clone()),
        }
    }

    /// How many articles the current text has: as recorded, or counted in the text.
    pub fn article_count(&self) -> Option<u32> {
        if let Some(l) = &self.later {
            return l.articles;
        }
        self.articles
            .or_else(|| self.text().map(|t| t.count()).filter(|&n| n > 0))
    }

    /// When the current text came into force, as far as the registry knows.
    pub fn current_in_force(&self) -> Option<&str> {
        match &self.later {
            Some(l) => Some(&l.in_force),
            None => self.in_force.as_deref(),
        }
    }

    /// The database marks every text of it 失效.
    pub fn lapsed(&self) -> bool {
        matches!(self.held, Held::Library(l) if l.lapsed())
    }

    /// Where a verdict resting on the text comes from.
    pub fn text_source_line(&self) -> String {
        match &self.held {
            Held::File(_, file) => format!("目录法规文本 {file}"),
            _ => library_source(),
        }
    }
}

/// 「国家法律法规数据库（快照 2025-04-05）」: named in every message that rests on the library.
pub fn library_source() -> String {
    format!("国家法律法规数据库，快照 {}", Library::builtin().snapshot)
}

/// The registry: laws by every name they are cited by.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// The catalogue's own laws, found before the built-in ones.
    own: Vec<Law>,
    own_by_key: HashMap<String, usize>,
}

/// The library with the shipped facts laid over it.
struct Builtin {
    laws: Vec<Law>,
    by_key: HashMap<String, usize>,
}

static BUILTIN: LazyLock<Builtin> = LazyLock::new(|| {
    // Checked by a unit test: the embedded file always parses.
    let overlay: File =
        toml::from_str(include_str!("../../data/laws.toml")).unwrap_or(File { law: Vec::new() });
    Builtin::new(Library::builtin(), overlay.law)
});

impl Builtin {
    fn new(library: &'static Library, overlay: Vec<Law>) -> Builtin {
        let mut b = Builtin {
            laws: Vec::new(),
            by_key: HashMap::new(),
        };
        let source = library_source();
        for law in &library.laws {
            let v = law.current();
            // The database's short name, when it is not the title's own key.
            let aliases = if key(&v.name) == key(&v.title) {
                Vec::new()
            } else {
                vec![v.name.clone()]
            };
            let entry = Law {
                name: v.title.clone(),
                aliases,
                level: v.level,
                procedural: false,
                doc_nos: Vec::new(),
                in_force: v.valid_from.clone(),
                articles: None,
                outdated_doc_nos: Vec::new(),
                repealed: None,
                removed: Vec::new(),
                later: None,
                source: source.clone(),
                published: v.publish.clone(),
                held: Held::Library(law),
            };
            b.insert(entry);
        }
        for o in overlay {
            let found = std::iter::once(&o.name)
                .chain(&o.aliases)
                .find_map(|n| b.by_key.get(&key(n)).copied());
            match found {
                Some(i) => {
                    let merged = overlaid(&b.laws[i], o);
                    b.laws[i] = merged.clone();
                    b.index(i, &merged);
                }
                None => b.insert(o),
            }
        }
        b
    }

    fn insert(&mut self, law: Law) {
        let i = self.laws.len();
        self.index(i, &law);
        self.laws.push(law);
    }

    fn index(&mut self, i: usize, law: &Law) {
        for n in std::iter::once(&law.name).chain(&law.aliases) {
            self.by_key.entry(key(n)).or_insert(i);
        }
    }
}

/// `over`'s facts laid on `base`, field by field: what `over` says replaces
/// what `base` said, what it leaves out stays (a county correcting a level
/// never loses the law's repeal or a later text); the text stays `base`'s.
fn overlaid(base: &Law, over: Law) -> Law {
    let mut aliases = base.aliases.clone();
    aliases.extend(over.aliases);
    let or = |o: Vec<String>, b: &Vec<String>| if o.is_empty() { b.clone() } else { o };
    Law {
        name: base.name.clone(),
        aliases,
        level: over.level.or(base.level),
        procedural: over.procedural || base.procedural,
        doc_nos: or(over.doc_nos, &base.doc_nos),
        in_force: over.in_force.or(base.in_force.clone()),
        articles: over.articles.or(base.articles),
        outdated_doc_nos: or(over.outdated_doc_nos, &base.outdated_doc_nos),
        repealed: over.repealed.or(base.repealed.clone()),
        removed: if over.removed.is_empty() {
            base.removed.clone()
        } else {
            over.removed
        },
        later: over.later.or(base.later.clone()),
        source: format!("{}；{}", over.source, base.source),
        published: base.published.clone(),
        held: base.held.clone(),
    }
}

impl Registry {
    /// The registry shipped with powerlist.
    pub fn builtin() -> Registry {
        Registry::default()
    }

    /// Every built-in law (the library and the shipped facts).
    pub fn builtin_laws() -> &'static [Law] {
        &BUILTIN.laws
    }

    fn find_builtin(name: &str) -> Option<&'static Law> {
        BUILTIN.by_key.get(&key(name)).map(|&i| &BUILTIN.laws[i])
    }

    /// Adds the catalogue's own `laws.toml`: a law of the same name replaces
    /// the built-in facts (its text stays); a name or alias that is already
    /// another law's is refused.
    pub fn extend(&mut self, text: &str) -> anyhow::Result<()> {
        // The file's own text is never quoted: only where, and what is wrong.
        let file: File = toml::from_str(text).map_err(|e| {
            let (line, column, message) = crate::report::toml_problem(text, &e);
            anyhow::anyhow!("{line}:{column}: 法规库格式错误 (invalid laws.toml): {message}")
        })?;
        for law in file.law {
            check_dates(&law)?;
            let own_key = key(&law.name);
            for n in std::iter::once(&law.name).chain(&law.aliases) {
                let k = key(n);
                if let Some(other) = self.find(n).filter(|o| key(&o.name) != own_key) {
                    bail!(
                        "《{}》的名称「{}」已是《{}》的名称或别名：一部法律只能有一个名称，更正该法请以 name = \"{}\" 写一项",
                        shown(&law.name), shown(n), shown(&other.name), shown(&other.name)
                    );
                }
                if k.is_empty() {
                    bail!("laws.toml 中《{}》有一个空的名称或别名", shown(&law.name));
                }
            }
            if self.own_by_key.contains_key(&own_key) {
                bail!(
                    "laws.toml 中《{}》写了两项：一部法律只写一项",
                    shown(&law.name)
                );
            }
            let law = match Self::find_builtin(&law.name) {
                Some(b) => overlaid(b, law),
                None => law,
            };
            self.add_own(law);
        }
        Ok(())
    }

    fn add_own(&mut self, law: Law) {
        let at = match self.own_by_key.get(&key(&law.name)) {
            Some(&i) => {
                self.own[i] = law;
                i
            }
            None => {
                self.own.push(law);
                self.own.len() - 1
            }
        };
        let names: Vec<String> = std::iter::once(&self.own[at].name)
            .chain(&self.own[at].aliases)
            .map(|n| key(n))
            .collect();
        for k in names {
            self.own_by_key.insert(k, at);
        }
    }

    /// Adds a law text of the catalogue's texts folder (`file` as shown in
    /// messages): a law the registry knows gets it as its current text.
    pub fn add_text(&mut self, markdown: &str, file: &str) -> anyhow::Result<()> {
        // Notepad saves with a byte-order mark.
        let markdown = markdown.strip_prefix('\u{feff}').unwrap_or(markdown);
        let text = LawText::parse(markdown);
        if text.title.is_empty() {
            bail!("法规文本没有标题行（# 名称）");
        }
        let held = Held::File(Arc::new(text.clone()), file.to_string());
        let law = match self.find(&text.title) {
            Some(l) => Law {
                held,
                later: None,
                articles: None,
                level: front_level(markdown).or(l.level),
                source: format!("目录法规文本 {file}；{}", l.source),
                published: None,
                ..l.clone()
            },
            None => Law {
                name: text.title.clone(),
                aliases: Vec::new(),
                level: front_level(markdown),
                procedural: false,
                doc_nos: Vec::new(),
                in_force: None,
                articles: None,
                outdated_doc_nos: Vec::new(),
                repealed: None,
                removed: Vec::new(),
                later: None,
                source: format!("目录法规文本 {file}"),
                published: None,
                held,
            },
        };
        self.add_own(law);
        Ok(())
    }

    pub fn find(&self, name: &str) -> Option<&Law> {
        let k = key(name);
        match self.own_by_key.get(&k) {
            Some(&i) => Some(&self.own[i]),
            None => BUILTIN.by_key.get(&k).map(|&i| &BUILTIN.laws[i]),
        }
    }
}

/// `level: 地方性法规` in a text's front matter.
fn front_level(markdown: &str) -> Option<LawLevel> {
    let rest = markdown.strip_prefix("---\n")?;
    let front = &rest[..rest.find("\n---")?];
    front.lines().find_map(|l| {
        let v = l.strip_prefix("level:")?.trim().trim_matches(['"', '\'']);
        toml::Value::String(v.to_string()).try_into().ok()
    })
}

/// A name or a value of a catalogue's laws as a message quotes it: inert.
fn shown(s: &str) -> String {
    crate::report::terminal_safe(s)
}

fn check_dates(law: &Law) -> anyhow::Result<()> {
    for date in law
        .in_force
        .iter()
        .chain(law.repealed.as_ref().map(|r| &r.date))
        .chain(law.later.as_ref().map(|l| &l.in_force))
    {
        let shaped = date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-';
        if !shaped || date.parse::<jiff::civil::Date>().is_err() {
            bail!(
                "《{}》：日期 `{}` 应写作 YYYY-MM-DD",
                shown(&law.name),
                shown(date)
            );
        }
    }
    if let (Some(f), Some(r)) = (&law.in_force, &law.repealed) {
        if r.date <= *f {
            bail!(
                "《{}》：废止日期 {} 不晚于施行日期 {}",
                shown(&law.name),
                shown(&r.date),
                shown(f)
            );
        }
    }
    Ok(())
}

/// A law's standing as a basis cites it (worst last: a law cited both ways
/// takes the worse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Current,
    Outdated,
    Repealed,
    Unknown,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Current => "现行有效",
            Status::Outdated => "引用了已被修订的旧文本",
            Status::Repealed => "已废止",
            Status::Unknown => "法规库中没有",
        }
    }
}

/// The standing of `law` (if the registry knows it) as cited with `doc_no`.
pub fn status(law: Option<&Law>, doc_no: Option<&str>) -> Status {
    match law {
        None => Status::Unknown,
        Some(l) if l.repealed.is_some() || l.lapsed() => Status::Repealed,
        Some(l) if doc_no.is_some_and(|d| l.outdated_doc_nos.iter().any(|o| o == d.trim())) => {
            Status::Outdated
        }
        Some(_) => Status::Current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::cite::article_number;

    /// The shipped facts: parse; every date is a date and ordered (a repeal
    /// after the law came into force); no name or alias names two laws; every
    /// law and repeal says its source; a count of articles agrees with the
    /// library's text where it holds one; every law the facts name as
    /// procedural or removed-from is in the library.
    #[test]
    fn the_shipped_facts_are_consistent() {
        let text = include_str!("../../data/laws.toml");
        let file: File = toml::from_str(text).expect("data/laws.toml parses");
        let r = Registry::builtin();
        let mut names: HashMap<String, &str> = HashMap::new();
        for law in &file.law {
            check_dates(law).unwrap();
            assert!(!law.source.trim().is_empty(), "{}: no source", law.name);
            assert!(law.articles.is_none_or(|n| n > 0), "{}", law.name);
            for n in std::iter::once(&law.name).chain(&law.aliases) {
                let before = names.insert(key(n), &law.name);
                assert!(
                    before.is_none(),
                    "{n} names {} and {}",
                    before.unwrap_or(""),
                    law.name
                );
            }
            let merged = r.find(&law.name).unwrap();
            if let (Some(n), Some(t)) = (law.articles, merged.text()) {
                assert_eq!(
                    n,
                    t.count(),
                    "{}: articles recorded and in the library's text",
                    law.name
                );
            }
            if let Some(rep) = &law.repealed {
                assert!(!rep.source.trim().is_empty());
                assert!(
                    r.find(&rep.by).is_some(),
                    "{}: repealed by an unknown law",
                    law.name
                );
                if let Some(f) = &law.in_force {
                    assert!(f < &rep.date, "{}: in force after its repeal", law.name);
                }
            }
            for rm in &law.removed {
                assert!(!rm.source.trim().is_empty() && article_number(&rm.article).is_some());
            }
            if let Some(l) = &law.later {
                assert!(!l.source.trim().is_empty());
                assert!(
                    merged.text().is_none(),
                    "{}: a later text is not judged",
                    law.name
                );
            }
            let d = &law.doc_nos;
            assert!(
                law.outdated_doc_nos.iter().all(|o| !d.contains(o)),
                "{}",
                law.name
            );
        }
        // Two laws of the library never share a name as matched.
        let mut seen: HashMap<String, &str> = HashMap::new();
        for law in &Library::builtin().laws {
            let t = &law.current().title;
            if let Some(other) = seen.insert(key(t), t) {
                panic!("{t} and {other} are matched by one name");
            }
        }
    }

    #[test]
    fn the_library_and_the_shipped_facts_together() {
        let r = Registry::builtin();
        let xk = r.find("行政许可法").unwrap();
        assert!(xk.procedural);
        assert_eq!(xk.article_count(), Some(83));
        assert!(r.find("公路法").is_some());
        assert_eq!(
            r.find("公路安全保护条例").unwrap().level,
            Some(LawLevel::AdministrativeRegulation)
        );
        assert!(r
            .find("《中华人民共和国婚姻法》（2001年修正）")
            .unwrap()
            .repealed
            .is_some());
    }

    #[test]
    fn an_alias_cannot_take_over_another_law() {
        let mut r = Registry::builtin();
        let e = r
            .extend("[[law]]\nname = \"婚姻家庭规定\"\naliases = [\"婚姻法\"]\nsource = \"x\"\n")
            .unwrap_err();
        assert!(format!("{e:#}").contains("中华人民共和国婚姻法"), "{e:#}");
        // The same name corrects the law, keeping its text.
        r.extend("[[law]]\nname = \"公路法\"\nlevel = \"法律\"\nsource = \"县法制科\"\n")
            .unwrap();
        let l = r.find("中华人民共和国公路法").unwrap();
        assert!(l.source.starts_with("县法制科；"), "{}", l.source);
        assert!(l.text().is_some());
        // A correction lays its facts over the shipped ones: the repeal, the later
        // text and the earlier 文号 stay.
        r.extend("[[law]]\nname = \"婚姻法\"\nlevel = \"法律\"\nsource = \"x\"\n\n[[law]]\nname = \"殡葬管理条例\"\nsource = \"x\"\n\n[[law]]\nname = \"政府信息公开条例\"\nsource = \"x\"\n").unwrap();
        assert!(r.find("婚姻法").unwrap().repealed.is_some());
        assert!(r.find("殡葬管理条例").unwrap().later.is_some());
        assert!(!r
            .find("政府信息公开条例")
            .unwrap()
            .outdated_doc_nos
            .is_empty());
        // Two entries of one law, and a date not written YYYY-MM-DD, are refused.
        let mut r = Registry::builtin();
        assert!(r.extend("[[law]]\nname = \"甲条例\"\nsource = \"x\"\n\n[[law]]\nname = \"甲条例\"\nsource = \"y\"\n").is_err());
        assert!(r
            .extend("[[law]]\nname = \"乙条例\"\nin_force = \"20240101\"\nsource = \"x\"\n")
            .is_err());
    }
}
