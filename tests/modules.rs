//! The library's top-level modules depend on each other one way: a module calls the ones
//! below it in README's module map and never one above it. This reads `src/` and fails,
//! naming the circle, when a `crate::` path makes two modules depend on each other, and
//! naming the call, when a module calls one the map puts above it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::root;

/// The top-level modules in the order of README's module map: each may call only modules
/// after it.
const MAP: &[&str] = &[
    "cli",
    "serve",
    "watch",
    "new",
    "pipeline",
    "session",
    "worker",
    "executor",
    "sink",
    "incremental",
    "render",
    "photo",
    "plan",
    "ingest",
    "manifest",
    "preflight",
    "lint",
    "gazetteer",
    "normalize",
    "options",
    "fonts",
    "charsets",
    "profile",
    "fs",
    "digest",
    "error",
    "diag",
];

/// The top-level modules: `src/NAME.rs` and `src/NAME/mod.rs` (`src/data/` holds data).
fn top_modules(src: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(src).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.join("mod.rs").is_file() || path.extension().is_some_and(|e| e == "rs") {
            out.insert(name);
        }
    }
    out.remove("lib");
    out.remove("main");
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments and its unit tests (tests may reach anywhere).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

fn ident(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// The first path segment of every `crate::` path: `crate::a::b` and each item of
/// `crate::{a::b, c}`.
fn crate_refs(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let Some(group) = rest.strip_prefix('{') else {
            out.push(ident(rest).to_string());
            continue;
        };
        let (mut depth, mut item_start) = (1, true);
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 1 => item_start = true,
                c if c.is_whitespace() => {}
                _ if item_start && depth == 1 => {
                    out.push(ident(&group[i..]).to_string());
                    item_start = false;
                }
                _ => {}
            }
            if depth == 0 {
                break;
            }
        }
    }
    out
}

/// Module → the other top-level modules its code names, with the files that name each.
fn graph(src: &Path) -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let tops = top_modules(src);
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs").to_string();
        if !tops.contains(&top) || rel.ends_with("/tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for used in crate_refs(&code(&text)) {
            if used != top && tops.contains(&used) {
                graph.entry(top.clone()).or_default().entry(used).or_default().insert(rel.clone());
            }
        }
    }
    graph
}

/// A circle through `start`, if there is one: the modules in order.
fn circle(
    graph: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    start: &str,
) -> Option<Vec<String>> {
    fn walk(
        graph: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
        start: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        let last = path.last().unwrap().clone();
        for next in graph.get(&last).into_iter().flat_map(|m| m.keys()) {
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    walk(graph, start, &mut path, &mut BTreeSet::new()).then_some(path)
}

#[test]
fn crate_paths_are_read_from_use_lines_and_groups() {
    let code = code(
        "use crate::diag::{Diagnostic, SourceText};\nuse crate::{fs, plan::Job};\n\
         // crate::session in a comment\nlet x = crate::photo::Store::plan(&m);\n",
    );
    assert_eq!(crate_refs(&code), ["diag", "fs", "plan", "photo"]);
}

#[test]
fn a_back_reference_is_found() {
    let mut g: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    g.entry("plan".into()).or_default().insert("manifest".into(), BTreeSet::new());
    g.entry("manifest".into()).or_default().insert("diag".into(), BTreeSet::new());
    assert_eq!(circle(&g, "plan"), None);
    g.entry("manifest".into()).or_default().insert("plan".into(), BTreeSet::new());
    assert_eq!(circle(&g, "plan"), Some(vec!["plan".to_string(), "manifest".to_string()]));
}

#[test]
fn modules_depend_on_each_other_one_way() {
    let src = root().join("src");
    let g = graph(&src);
    assert!(g.get("session").is_some_and(|m| m.contains_key("manifest")), "{g:?}");
    let mut circles = Vec::new();
    for module in g.keys() {
        if let Some(c) = circle(&g, module) {
            let edges: Vec<String> = c
                .iter()
                .zip(c.iter().cycle().skip(1))
                .map(|(a, b)| {
                    format!(
                        "{a} → {b} ({})",
                        g[a][b].iter().cloned().collect::<Vec<_>>().join(", ")
                    )
                })
                .collect();
            circles.push(edges.join("; "));
        }
    }
    assert!(circles.is_empty(), "modules that depend on each other:\n{}", circles.join("\n"));
}

#[test]
fn modules_call_only_modules_below_them_in_the_map() {
    let src = root().join("src");
    let tops = top_modules(&src);
    let listed: BTreeSet<String> = MAP.iter().map(|m| m.to_string()).collect();
    assert_eq!(tops, listed, "add the module to README's module map and to MAP here");
    let at = |m: &str| MAP.iter().position(|x| *x == m).unwrap();
    let mut upward = Vec::new();
    for (module, used) in graph(&src) {
        for (other, files) in used {
            if at(&other) < at(&module) {
                let files: Vec<String> = files.into_iter().collect();
                upward.push(format!("{module} → {other} ({})", files.join(", ")));
            }
        }
    }
    assert!(upward.is_empty(), "calls to a module above in the map:\n{}", upward.join("\n"));
}
