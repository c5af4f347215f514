//! Every error key the core can emit has words in both of the UI's catalogs, so no error ever
//! reaches a salesperson as a bare code. Keys are read from the source: the literal keys of the
//! error constructors, and `not_found.<what>` for every `NotFound("<what>")`.

use std::collections::BTreeSet;
use std::path::Path;

fn rust_sources(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            // Unit tests may use made-up keys; only what the core emits counts.
            let code = source.split("#[cfg(test)]").next().unwrap_or_default();
            out.push(code.to_string());
        }
    }
}

/// The dotted string literals that follow one of the error constructors in `source`.
fn keys_in(source: &str) -> BTreeSet<String> {
    const CALLS: &[&str] = &[
        "Error::field(",
        "Error::conflict(",
        "Error::failed(",
        "step_error(",
        "missing(",
        "invalid(",
        "expect_changed(",
    ];
    let mut keys = BTreeSet::new();
    for call in CALLS {
        for (at, _) in source.match_indices(call) {
            // The key is the first dotted literal among the call's first few arguments.
            let window: String = source[at + call.len()..].chars().take(160).collect();
            for literal in window.split('"').skip(1).step_by(2).take(3) {
                let dotted = literal.contains('.')
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.');
                if dotted {
                    keys.insert(literal.to_string());
                    break;
                }
            }
        }
    }
    for (at, _) in source.match_indices("NotFound(\"") {
        let rest = &source[at + "NotFound(\"".len()..];
        keys.insert(format!("not_found.{}", &rest[..rest.find('"').unwrap()]));
    }
    keys
}

#[test]
fn every_error_key_has_words_in_both_languages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    rust_sources(&root.join("src"), &mut sources);
    let mut keys: BTreeSet<String> = sources.iter().flat_map(|s| keys_in(s)).collect();
    // Keys that are not literals at a constructor: the fixed keys of the other variants.
    for fixed in [
        "database.newer",
        "storage.unwritable",
        "internal.database",
        "internal.unexpected",
        "worker.panicked",
    ] {
        keys.insert(fixed.into());
    }
    assert!(keys.len() > 50, "the scan found the keys: {keys:?}");
    let ui = root.join("../../ui/src/messages");
    for lang in ["en", "vi"] {
        let catalog = std::fs::read_to_string(ui.join(format!("{lang}.json"))).unwrap();
        let catalog: serde_json::Value = serde_json::from_str(&catalog).unwrap();
        let missing: Vec<&String> = keys
            .iter()
            .filter(|k| catalog.get(format!("error.{k}")).is_none())
            .collect();
        assert!(
            missing.is_empty(),
            "{lang}.json has no words for {missing:?}"
        );
    }
}
