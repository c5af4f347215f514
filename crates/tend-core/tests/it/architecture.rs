//! The dependency direction of tend-core, checked on its source so the rule cannot silently rot.
//!
//! Top-level folders are layers, and a layer may use only the layers before it:
//!
//! `base` <- `db` <- `crm` <- `messaging` <- `care` <- `app` <- `workers`
//!
//! Inside any folder, the modules one level down must not use each other in a cycle. References
//! are read from `crate::…` and `super::…` paths outside comments; grouped imports from the crate
//! root (`use crate::{…}`) are refused, so every import names its layer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first.
const LAYERS: &[&str] = &[
    "base",
    "db",
    "crm",
    "import",
    "export",
    "messaging",
    "care",
    "segments",
    "campaigns",
    "merge",
    "app",
    "workers",
];

/// A module path inside the crate: `["crm", "customers"]`.
type ModPath = Vec<String>;

/// The module path of a source file, relative to `src/`.
fn module_of(rel: &Path) -> ModPath {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod") | Some("lib")) {
        parts.pop();
    }
    parts
}

/// The code of a file without line comments (doc comments mention paths as prose).
fn code_only(source: &str) -> String {
    source
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module path a file refers to, resolved to an absolute path of at most two levels
/// past the point where it leaves the referring file's folder.
fn references(file: &ModPath, code: &str) -> (Vec<ModPath>, Vec<String>) {
    let mut refs = Vec::new();
    let mut problems = Vec::new();
    let bytes = code.as_bytes();
    let ident = |start: usize| -> (String, usize) {
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        (code[start..end].to_string(), end)
    };
    for (at, _) in code.match_indices("crate::") {
        // Skip `tend_crate::` or similar identifiers that merely end in "crate".
        if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
            continue;
        }
        let start = at + "crate::".len();
        if code[start..].starts_with('{') {
            problems.push(format!(
                "{}: grouped import from the crate root; name each layer",
                file.join("::")
            ));
            continue;
        }
        let mut path = Vec::new();
        let mut pos = start;
        while path.len() < 3 {
            let (name, end) = ident(pos);
            if name.is_empty() {
                break;
            }
            path.push(name);
            if code[end..].starts_with("::") {
                pos = end + 2;
            } else {
                break;
            }
        }
        if !path.is_empty() {
            refs.push(path);
        }
    }
    for (at, _) in code.match_indices("super::") {
        if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
            continue;
        }
        // A module's `super` is its parent: for `a/b.rs` that is `a`, and for `a/b/mod.rs`
        // (module `a::b`) it is `a` too, so dropping the last part of the path fits both.
        let mut base = file.clone();
        base.pop();
        let (name, _) = ident(at + "super::".len());
        if !name.is_empty() && name != "super" {
            let mut p = base;
            p.push(name);
            refs.push(p);
        }
    }
    (refs, problems)
}

/// The rule's violations for a set of files (`src/`-relative path, source).
fn violations(files: &[(PathBuf, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    let modules: BTreeSet<ModPath> = files.iter().map(|(p, _)| module_of(p)).collect();
    // Edges between sibling modules, per parent folder.
    let mut edges: BTreeMap<ModPath, BTreeSet<(String, String)>> = BTreeMap::new();
    for (rel, source) in files {
        let me = module_of(rel);
        let (refs, mut found) = references(&me, &code_only(source));
        problems.append(&mut found);
        for target in refs {
            // Only paths that name modules of this crate count (not items of the root, such as
            // `crate::Result`).
            if !modules.iter().any(|m| m.first() == target.first()) {
                continue;
            }
            let rank = |m: &ModPath| m.first().and_then(|l| LAYERS.iter().position(|x| x == l));
            if let (Some(from), Some(to)) = (rank(&me), rank(&target)) {
                if to > from {
                    problems.push(format!(
                        "{} uses {}: `{}` is above `{}`",
                        me.join("::"),
                        target.join("::"),
                        LAYERS[to],
                        LAYERS[from]
                    ));
                }
            }
            // The first level where the two paths part: an edge between siblings there.
            let common = me.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if common < me.len() && common < target.len() {
                let parent = me[..common].to_vec();
                let (a, b) = (me[common].clone(), target[common].clone());
                if modules.contains(&target[..=common]) || target.len() > common + 1 {
                    edges.entry(parent).or_default().insert((a, b));
                }
            }
        }
    }
    for (parent, pairs) in &edges {
        if let Some(cycle) = find_cycle(pairs) {
            let place = if parent.is_empty() {
                "the crate root".to_string()
            } else {
                parent.join("::")
            };
            problems.push(format!("a cycle in {place}: {}", cycle.join(" -> ")));
        }
    }
    problems
}

/// A cycle in a directed graph given as edges, if there is one.
fn find_cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a.as_str()).or_default().push(b.as_str());
    }
    fn visit<'a>(
        n: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| *s == n) {
            let mut cycle: Vec<String> = stack[i..].iter().map(|s| s.to_string()).collect();
            cycle.push(n.to_string());
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n);
        for m in next.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, next, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n);
        None
    }
    let mut done = BTreeSet::new();
    for n in next.keys() {
        if let Some(c) = visit(n, &next, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

fn source_files(root: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("the source folder is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).expect("a source file is readable");
                out.push((path.strip_prefix(root).unwrap().to_path_buf(), source));
            }
        }
    }
    out.sort();
    out
}

fn file(path: &str, source: &str) -> (PathBuf, String) {
    (PathBuf::from(path), source.to_string())
}

#[test]
fn tend_core_dependencies_run_one_way() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = source_files(&root);
    assert!(files.len() > 20, "the scan found the sources");
    // Every top-level folder is a known layer, so a new folder must be placed in the order.
    for (rel, _) in &files {
        let top = module_of(rel);
        if let Some(first) = top.first() {
            assert!(
                LAYERS.contains(&first.as_str()),
                "{} is outside the layers; add its folder to LAYERS in the right place",
                rel.display()
            );
        }
    }
    let problems = violations(&files);
    assert!(
        problems.is_empty(),
        "dependency rule broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_check_catches_an_upward_import() {
    let files = vec![
        file("lib.rs", "pub mod crm; pub mod care;"),
        file("crm/mod.rs", "pub mod customers;"),
        file(
            "crm/customers.rs",
            "use crate::care::triggers::on_customer_saved;\nfn f() {}",
        ),
        file("care/mod.rs", "pub mod triggers;"),
        file(
            "care/triggers.rs",
            "use crate::crm::customers::get_customer;\n",
        ),
    ];
    let problems = violations(&files);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("crm::customers uses care::triggers")),
        "{problems:?}"
    );
}

#[test]
fn the_check_catches_a_cycle_one_level_down() {
    let files = vec![
        file("crm/mod.rs", "pub mod interactions; pub mod tasks;"),
        file(
            "crm/interactions.rs",
            "use crate::crm::tasks::Task;\nfn a() { crate::crm::tasks::open(); }",
        ),
        file("crm/tasks.rs", "use crate::crm::interactions::refresh;"),
    ];
    let problems = violations(&files);
    assert!(
        problems.iter().any(|p| p.starts_with("a cycle in crm")),
        "{problems:?}"
    );
}

#[test]
fn the_check_catches_a_cycle_through_super_and_ignores_comments() {
    let files = vec![
        file("messaging/mod.rs", "pub mod channels;"),
        file("messaging/channels/mod.rs", "pub mod http; pub mod zalo;"),
        file("messaging/channels/http.rs", "use super::zalo::Token;"),
        file(
            "messaging/channels/zalo.rs",
            "// crate::workers::outbox is mentioned in prose only\nuse super::http::get;",
        ),
    ];
    let problems = violations(&files);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("a cycle in messaging::channels"));
}

#[test]
fn the_check_allows_downward_imports() {
    let files = vec![
        file("base/mod.rs", "pub mod ids;"),
        file("base/ids.rs", ""),
        file("crm/mod.rs", "pub mod customers;"),
        file("crm/customers.rs", "use crate::base::ids::CustomerId;"),
        file("app/mod.rs", "pub mod customers;"),
        file(
            "app/customers.rs",
            "use crate::crm::customers;\nuse crate::base::ids::CustomerId;",
        ),
    ];
    assert_eq!(violations(&files), Vec::<String>::new());
}
