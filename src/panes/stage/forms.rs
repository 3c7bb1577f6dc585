//! The Stage forms (upload, download, new folder, move) and local path completion.
//!
//! Tab in a local path field completes it against the local file system: the effect runner
//! lists the folder being typed in ([`list_local_folder`]), and the listing completes the field
//! if it still holds what was typed ([`apply_completion`]). The matching itself is the pure
//! [`complete`].

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent};

use crate::api::stage::Store;
use crate::widgets::form::{Field, FieldKind, Form};
use crate::widgets::modal::{FormModal, FormPurpose};

/// Which Stage form a [`FormPurpose::Stage`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageForm {
    Upload,
    Download,
    NewFolder,
    Move,
}

pub fn upload_form(store: Store, folder: &str) -> Form {
    let noun = store.noun();
    Form::new(
        format!("Upload to {noun}"),
        vec![
            Field::text("local", "Local file or folder", "")
                .validate(crate::widgets::form::required)
                .hint("tab completes; a folder is uploaded with everything in it"),
            Field::text("dest", format!("Into {noun} folder"), &format!("/{folder}")).hint("created if missing"),
        ],
    )
}

pub fn download_form(what: &str) -> Form {
    Form::new(
        format!("Download {what}"),
        vec![
            Field::text("local", "Into local folder", ".")
                .validate(crate::widgets::form::required)
                .hint("tab completes; . is the current directory; existing files are never replaced unasked"),
        ],
    )
}

pub fn new_folder_form(folder: &str) -> Form {
    Form::new(
        format!("New folder in /{folder}"),
        vec![Field::text("name", "Name", "").validate(folder_name).hint("a/b creates nested folders one by one")],
    )
}

pub fn move_form(from: &str) -> Form {
    Form::new(
        format!("Move or rename /{from}"),
        vec![
            Field::text("to", "New path", &format!("/{}", from.trim_end_matches('/')))
                .validate(crate::widgets::form::required)
                .hint("a new name (stays in its folder), a /path, or a path ending in / to move into that folder"),
        ],
    )
}

/// A folder name: no `.`/`..`, no control characters.
pub fn folder_name(s: &str) -> Result<(), String> {
    if s.trim_matches('/').is_empty() {
        return Err("required".into());
    }
    crate::api::stage_path::normalize(s).map(|_| ()).map_err(|e| e.to_string())
}

/// The result of completing a path.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// The input, extended as far as every candidate agrees.
    pub value: String,
    /// The names that still match (shown when there are several).
    pub candidates: Vec<String>,
}

/// Completes the last segment of `input` against `entries` (names in its folder, with whether
/// each is a folder). A single folder match gets its trailing `/`.
pub fn complete(input: &str, entries: &[(String, bool)]) -> Completion {
    let (dir, prefix) = match input.rfind('/') {
        Some(i) => (&input[..=i], &input[i + 1..]),
        None => ("", input),
    };
    let mut matches: Vec<&(String, bool)> = entries
        .iter()
        .filter(|(name, _)| name.starts_with(prefix) && (prefix.starts_with('.') || !name.starts_with('.')))
        .collect();
    matches.sort();
    let candidates: Vec<String> = matches.iter().map(|(n, d)| if *d { format!("{n}/") } else { n.clone() }).collect();
    let value = match matches.as_slice() {
        [] => input.to_string(),
        [(name, is_dir)] => format!("{dir}{name}{}", if *is_dir { "/" } else { "" }),
        many => {
            let first = &many[0].0;
            let common = many.iter().fold(first.len(), |len, (n, _)| {
                first
                    .chars()
                    .zip(n.chars())
                    .take_while(|(a, b)| a == b)
                    .map(|(a, _)| a.len_utf8())
                    .sum::<usize>()
                    .min(len)
            });
            format!("{dir}{}", &first[..common])
        }
    };
    Completion { value, candidates }
}

/// `~/x` → `$HOME/x`; everything else as typed.
pub fn expand_home(input: &str) -> PathBuf {
    match (input.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ if input == "~" => std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("~")),
        _ => PathBuf::from(input),
    }
}

/// Names in the folder that `input` is being typed in, with whether each is a folder. Read by
/// the effect runner, never by `update`.
pub fn list_local_folder(input: &str) -> Vec<(String, bool)> {
    let dir = match input.rfind('/') {
        Some(i) => expand_home(&input[..=i]),
        None => PathBuf::from("."),
    };
    let Ok(read) = std::fs::read_dir(&dir) else { return Vec::new() };
    read.filter_map(Result::ok)
        .take(10_000)
        .map(|e| {
            let is_dir = std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir());
            (e.file_name().to_string_lossy().into_owned(), is_dir)
        })
        .collect()
}

/// The local path field of a Stage upload or download form, if it has the focus.
fn local_field(modal: &mut FormModal) -> Option<&mut crate::widgets::form::Field> {
    if !matches!(modal.purpose, FormPurpose::Stage(StageForm::Upload | StageForm::Download)) {
        return None;
    }
    let form = &mut modal.form;
    form.fields.get_mut(form.focus).filter(|f| f.name == "local")
}

/// Tab in a local path field: the folder being typed in is to be listed (by the runner); the
/// text typed so far, or `None` when the key is not the form's to complete.
pub fn form_key(modal: &mut FormModal, key: KeyEvent) -> Option<String> {
    if key.code != KeyCode::Tab {
        return None;
    }
    local_field(modal).map(|f| f.value())
}

/// The folder listing for a completion arrived: completes the field if it still holds what was
/// typed when tab was pressed. False when nothing was left to complete (tab then moves on).
pub fn apply_completion(modal: &mut FormModal, input: &str, entries: &[(String, bool)]) -> bool {
    let Some(field) = local_field(modal) else { return true };
    if field.value() != input {
        // Typed on meanwhile: this listing is stale.
        return true;
    }
    let done = complete(input, entries);
    let changed = done.value != input;
    if let FieldKind::Text { input: area, .. } = &mut field.kind
        && changed
    {
        *area = ratatui_textarea::TextArea::new(vec![done.value.clone()]);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        area.set_cursor_line_style(ratatui::style::Style::default());
    }
    if done.candidates.len() > 1 {
        let shown: Vec<&str> = done.candidates.iter().take(8).map(String::as_str).collect();
        let more = if done.candidates.len() > 8 { format!(" (+{})", done.candidates.len() - 8) } else { String::new() };
        field.hint = Some(format!("{}{more}", shown.join("  ")));
        return true;
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Vec<(String, bool)> {
        vec![
            ("data".into(), true),
            ("date.txt".into(), false),
            ("notes.md".into(), false),
            (".hidden".into(), false),
            ("my folder".into(), true),
        ]
    }

    #[test]
    fn completes_the_common_prefix_then_the_single_match() {
        let c = complete("da", &entries());
        assert_eq!(c.value, "dat");
        assert_eq!(c.candidates, vec!["data/", "date.txt"]);
        let c = complete("sub/n", &entries());
        assert_eq!(c.value, "sub/notes.md");
        let c = complete("my", &entries());
        assert_eq!(c.value, "my folder/");
        let c = complete("zzz", &entries());
        assert_eq!(c.value, "zzz");
        assert!(c.candidates.is_empty());
    }

    #[test]
    fn hidden_files_only_when_asked() {
        assert_eq!(complete("", &entries()).candidates.len(), 4);
        assert_eq!(complete(".", &entries()).value, ".hidden");
    }
}
