//! The README tells the truth about the keys and the pictures it shows.

use std::path::Path;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap_or_default()
}

#[test]
fn the_keys_table_is_the_default_keymap() {
    let table = s2tui::keymap::Keymap::default().markdown_table();
    assert!(readme().contains(&table), "README's keys table is stale: run `cargo run --example keys` and paste it");
}

#[test]
fn every_picture_the_readme_shows_exists() {
    let text = readme();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for part in text.split("](").skip(1) {
        let Some(target) = part.split(')').next() else { continue };
        if target.starts_with("assets/") {
            assert!(root.join(target).is_file(), "README shows {target}, which does not exist");
            count += 1;
        }
    }
    assert!(count >= 10, "expected a picture of each pane, found {count}");
}
