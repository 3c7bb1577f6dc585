//! The modal stack's entries. Keys go to the top modal first; `esc` closes it.

use uuid::Uuid;

use super::confirm::{Confirm, TypedConfirm};
use super::form::Form;
use super::help::Help;
use super::json_view::JsonView;
use super::palette::Palette;
use crate::msg::RequestId;
use crate::panes::ops::Planned;

pub enum Modal {
    Help(Help),
    Palette(Palette),
    Describe(JsonView),
    Confirm(Confirm<Vec<Planned>>),
    TypedConfirm(TypedConfirm<Vec<Planned>>),
    Form(FormModal),
    /// A secret the API shows once (a generated admin password): visible until closed.
    Reveal(Reveal),
    /// The Stage pane's dialogs: a file preview, a transfer's name conflict.
    Files(crate::panes::stage::FilesModal),
}

/// A form and what submitting it does.
pub struct FormModal {
    pub form: Form,
    pub purpose: FormPurpose,
    /// The request a submit sent; its reply closes the form or shows the refusal in it.
    pub request: Option<RequestId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormPurpose {
    CreateGroup,
    EditGroup(Uuid),
    CreateWorkspace,
    EditWorkspace(Uuid),
    CreateSecret,
    /// A new value for this secret.
    EditSecret(Uuid),
    CreateJob,
    CreateTeam,
    EditTeam(Uuid),
    CreateConnection,
    /// The allow list of this private connection.
    EditConnection(Uuid),
    /// The audit log's server-side filters.
    AuditFilter,
    /// Where to save the audit entries.
    AuditExport,
    /// Upload, download, new folder or move in the Stage pane.
    Stage(crate::panes::stage::StageForm),
    /// The on-screen pane's own create form (a pane needs no variant of its own).
    Create,
    /// The on-screen pane's own edit form of this object.
    Edit(Uuid),
}

pub struct Reveal {
    pub title: String,
    pub lines: Vec<String>,
    pub secret: String,
    pub copied: bool,
    /// What `secret` is, for "Copied the password": `password`, `command`.
    pub what: &'static str,
}

impl std::fmt::Debug for Reveal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reveal").field("title", &self.title).field("secret", &"<redacted>").finish()
    }
}

impl Modal {
    pub fn name(&self) -> &'static str {
        match self {
            Modal::Help(_) => "help",
            Modal::Palette(_) => "palette",
            Modal::Describe(_) => "describe",
            Modal::Confirm(_) => "confirm",
            Modal::TypedConfirm(_) => "typed-confirm",
            Modal::Form(_) => "form",
            Modal::Reveal(_) => "reveal",
            Modal::Files(_) => "files",
        }
    }
}
