//! The API layer and the simulator know nothing of the terminal UI.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let path = entry.unwrap_or_else(|e| panic!("entry in {}: {e}", dir.display())).path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn api_and_sim_never_import_the_ui() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for layer in ["api", "sim"] {
        rust_files(&root.join(layer), &mut files);
    }
    assert!(files.len() >= 4, "expected the api and sim sources, found {files:?}");
    let forbidden = ["ratatui", "crossterm", "crate::panes", "crate::widgets", "crate::app", "crate::tui"];
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        for word in forbidden {
            assert!(!text.contains(word), "{} mentions {word}", file.display());
        }
    }
}

#[test]
fn comments_cite_nothing_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches", "examples"] {
        rust_files(&root.join(dir), &mut files);
    }
    // Notes about the API live in the code's own words; a citation of an outside document
    // would point the reader at something the repository does not have.
    let outside = ["DIGEST", "V2.md", "openapi.yaml"];
    for file in files {
        if file.ends_with("layering.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        for word in outside {
            assert!(!text.contains(word), "{} cites {word}", file.display());
        }
    }
}

/// Every `crate::…` path a file names.
fn crate_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let path: String = text[i..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
        out.push(path);
    }
    out
}

#[test]
fn the_vocabulary_is_a_leaf() {
    // `msg.rs` is what every part of the dashboard speaks: it may name the API layer and a few
    // leaves, never a module that speaks it back (that would make the dashboard one import circle).
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let leaves = ["session.rs", "theme.rs", "panes/id.rs"];
    let allowed = ["crate::api", "crate::session", "crate::theme", "crate::panes::id", "crate::wire_enum"];
    for file in std::iter::once("msg.rs").chain(leaves) {
        let text = std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("read {file}: {e}"));
        for path in crate_paths(&text) {
            let ok = if file == "msg.rs" {
                allowed.iter().any(|a| path.starts_with(a))
            } else {
                path.starts_with("crate::api")
            };
            assert!(ok, "{file} names {path}");
        }
    }
}
