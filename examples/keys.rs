//! Prints the default key bindings as the Markdown table of the README's "Keys" section:
//! `cargo run --example keys`.

fn main() {
    print!("{}", s2tui::keymap::Keymap::default().markdown_table());
}
