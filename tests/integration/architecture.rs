//! The shape STYLE.md asks for, enforced: the modules of `src/` import one
//! another without a cycle, the rule table is a leaf, no function runs over
//! 100 lines, `src/` has at most 15 entries at its top level, and no two
//! modules share a file name (a `mod.rs` aside).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every source file of `src/`, the binary's included.
fn source_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&src(), &mut files);
    files.sort();
    files
}

/// Library source files (the binary's `main.rs` and `cli/` sit on top of it).
fn library_files() -> Vec<PathBuf> {
    let mut files = source_files();
    files.retain(|p| p != &src().join("main.rs") && !p.starts_with(src().join("cli")));
    files
}

/// `src/rules/flow.rs` → `rules::flow`; `src/rules/mod.rs` → `rules`; `lib.rs` → `lib`.
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src()).unwrap().with_extension("");
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|c| c != "mod")
        .collect();
    parts.join("::")
}

/// The code of a file without comments and without its test module.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths written after `prefix` (`crate::`, `super::`), with `{a, b::c}` expanded.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().last();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        out.extend(parse_path(rest));
    }
    out
}

/// `a::b::{c, d::e}` → [a, b, c], [a, b, d, e] (nested groups too).
fn parse_path(text: &str) -> Vec<Vec<String>> {
    let mut segs = Vec::new();
    let mut rest = text;
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = 0;
            let mut items = Vec::new();
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        items.push(&group[start..i]);
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        items.push(&group[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            let mut out = Vec::new();
            for item in items {
                for tail in parse_path(item.trim()) {
                    let mut full = segs.clone();
                    full.extend(tail);
                    out.push(full);
                }
            }
            return out;
        }
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        segs.push(rest[..end].to_string());
        match rest[end..].strip_prefix("::") {
            Some(r) => rest = r,
            None => break,
        }
    }
    if segs.is_empty() {
        Vec::new()
    } else {
        vec![segs]
    }
}

/// The module graph: each library module and the modules it uses.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = library_files();
    let modules: BTreeSet<String> = files.iter().map(|p| module_of(p)).collect();
    // Resolves a path from `base` to the deepest module it names (else `base`).
    let resolve = |base: &str, segs: &[String]| -> String {
        let mut m = base.to_string();
        for s in segs {
            let next = if m == "lib" {
                s.clone()
            } else {
                format!("{m}::{s}")
            };
            if modules.contains(&next) {
                m = next;
            } else {
                break;
            }
        }
        m
    };
    let mut g = BTreeMap::new();
    for f in &files {
        let me = module_of(f);
        let code = code_of(&std::fs::read_to_string(f).unwrap());
        let parent = match me.rsplit_once("::") {
            Some((p, _)) => p.to_string(),
            None if me == "lib" => "lib".to_string(),
            None => "lib".to_string(),
        };
        let is_mod_rs = f.ends_with("mod.rs") || me == "lib";
        let mut uses = BTreeSet::new();
        for segs in paths_after(&code, "crate::") {
            uses.insert(resolve("lib", &segs));
        }
        for segs in paths_after(&code, "super::") {
            uses.insert(resolve(&parent, &segs));
        }
        if is_mod_rs {
            // A `mod.rs` (or the crate root) names its children directly: `flow::x`.
            for child in modules
                .iter()
                .filter(|m| m.rsplit_once("::").map_or(me == "lib", |(p, _)| p == me) && **m != me)
            {
                let name = child.rsplit("::").next().unwrap();
                let used = paths_after(&code, &format!("{name}::"));
                if !used.is_empty() {
                    uses.insert(child.clone());
                }
            }
        }
        uses.remove(&me);
        g.insert(me, uses);
    }
    g
}

fn find_cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            match state.get(m.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|s| s == m).unwrap();
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(m, g, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(n, g, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_module_graph_has_no_cycle() {
    let g = graph();
    assert!(g.len() > 20, "modules found: {:?}", g.keys());
    // The scanner sees what it must: these edges exist today.
    assert!(
        g["rules::flow"].contains("rules::ctx"),
        "{:?}",
        g["rules::flow"]
    );
    assert!(g["rules"].contains("rules::flow"), "{:?}", g["rules"]);
    assert!(g["render::svg"].contains("render::view"));
    assert!(
        g["publish::build"].contains("render::dot"),
        "{:?}",
        g["publish::build"]
    );
    assert!(g["model"].contains("model::de"), "{:?}", g["model"]);
    assert!(
        !g.keys().any(|m| m.starts_with("cli")),
        "the binary is not library"
    );
    if let Some(cycle) = find_cycle(&g) {
        panic!("import cycle: {}", cycle.join(" → "));
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    g.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(find_cycle(&g).unwrap(), ["a", "b", "c", "a"]);
}

#[test]
fn the_rule_table_is_a_leaf() {
    let g = graph();
    assert!(
        g["diag::rules"].is_empty(),
        "the rule table uses {:?}",
        g["diag::rules"]
    );
    for m in ["diag", "config", "model", "load"] {
        assert!(!g[m].contains("rules"), "{m} reaches into the rule engine");
    }
}

#[test]
fn no_function_runs_over_100_lines() {
    let mut long = Vec::new();
    for f in source_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let l = lines[i];
            let indent = l.len() - l.trim_start().len();
            let t = l.trim_start();
            let is_fn = [
                "fn ",
                "pub fn ",
                "pub(crate) fn ",
                "pub(super) fn ",
                "const fn ",
                "pub const fn ",
            ]
            .iter()
            .any(|p| t.starts_with(p));
            if is_fn && !t.ends_with(';') {
                let end = (i + 1..lines.len())
                    .find(|&j| {
                        let m = lines[j];
                        m.len() - m.trim_start().len() == indent && m.trim_start().starts_with('}')
                    })
                    .unwrap_or(lines.len() - 1);
                if end - i + 1 > 100 {
                    long.push(format!("{}:{} ({} lines)", f.display(), i + 1, end - i + 1));
                }
                i = end;
            }
            i += 1;
        }
    }
    assert!(long.is_empty(), "functions over 100 lines: {long:#?}");
}

/// The entries of a folder (files and folders), by name.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn src_has_at_most_15_entries_at_its_top_level() {
    let top = entries(&src());
    assert!(top.contains(&"lib.rs".to_string()), "{top:?}");
    assert!(
        top.len() <= 15,
        "src/ has {} entries at its top level (at most 15): {top:?}",
        top.len()
    );
}

/// File names that two or more source files share, a `mod.rs` aside, each
/// with the files that bear it.
fn shared_names(files: &[PathBuf]) -> Vec<String> {
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if name != "mod.rs" {
            let rel = f.strip_prefix(src()).unwrap_or(f).display().to_string();
            by_name.entry(name).or_default().push(rel);
        }
    }
    by_name
        .into_iter()
        .filter(|(_, paths)| paths.len() > 1)
        .map(|(name, paths)| format!("{name}: {}", paths.join(", ")))
        .collect()
}

#[test]
fn no_two_modules_share_a_file_name() {
    let files = source_files();
    assert!(files.len() > 40, "files found: {files:?}");
    let shared = shared_names(&files);
    assert!(shared.is_empty(), "file names used twice: {shared:#?}");
}

#[test]
fn the_name_check_finds_a_shared_name() {
    let at = |rel: &str| src().join(rel);
    let files = [
        at("rules/law.rs"),
        at("law/mod.rs"),
        at("rules/mod.rs"),
        at("publish/build.rs"),
        at("cli/build.rs"),
    ];
    assert_eq!(
        shared_names(&files),
        [format!(
            "build.rs: {}, {}",
            Path::new("publish/build.rs").display(),
            Path::new("cli/build.rs").display()
        )]
    );
}
