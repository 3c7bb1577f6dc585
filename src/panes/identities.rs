//! Identities: the organization's service accounts and cloud principals (members that are
//! not people), one list with a kind column. Create, rename or re-describe, delete.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::ops::{self, Planned};
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::{Failure, PaneId, Purpose, Resource};
use crate::widgets::form::{Field, Form};
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::table::{Column, Row, TableState};

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Identities), "c", Action::Create, "create", "Create a service account or a cloud principal"),
    (Context::Pane(PaneId::Identities), "e", Action::Edit, "rename", "Rename or re-describe"),
    (Context::Pane(PaneId::Identities), "ctrl-d", Action::Delete, "delete", "Delete it (type its name to confirm)"),
    (Context::Pane(PaneId::Identities), "y", Action::Copy, "", "Copy its ID"),
];

const SERVICE_ACCOUNT: &str = "service account";
const CLOUD_PRINCIPAL: &str = "cloud principal";

#[derive(Debug)]
pub struct IdentitiesPane {
    pub table: TableState,
    pub list: Resource<Vec<OrgUser>>,
}

impl Default for IdentitiesPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("KIND", Constraint::Length(15)),
                Column::new("NAME", Constraint::Fill(2)).min(12),
                Column::new("EMAIL", Constraint::Fill(3)).min(16).optional(2),
                Column::new("CLOUD PRINCIPAL", Constraint::Fill(3)).min(12),
                Column::new("DESCRIPTION", Constraint::Fill(3)).min(12).optional(1),
            ]),
            list: Resource::default(),
        }
    }
}

fn required(s: &str) -> Result<(), String> {
    if s.trim().is_empty() { Err("required".into()) } else { Ok(()) }
}

fn kind_label(k: &UserKind) -> &str {
    match k {
        UserKind::ServiceAccount => SERVICE_ACCOUNT,
        UserKind::CloudPrincipal => CLOUD_PRINCIPAL,
        other => other.as_str(),
    }
}

impl IdentitiesPane {
    fn selected(&self) -> Option<&OrgUser> {
        let id = Uuid::parse_str(self.table.selected_key()?).ok()?;
        self.list.value.as_ref()?.iter().find(|u| u.user_id == id)
    }
}

impl Pane for IdentitiesPane {
    const ID: PaneId = PaneId::Identities;
    const TITLE: &'static str = "Identities";
    const COMMAND: Option<Command> = Some(Command {
        name: "identities",
        aliases: &["identity", "serviceaccounts", "sa"],
        help: "Service accounts and cloud principals",
    });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = PeopleReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        let Some(id) = self.list.start(cx.requests, Purpose::Pane(PaneId::Identities)) else { return Vec::new() };
        vec![Effect::Fetch { id, fetch: Fetch::People(PeopleRequest::Members) }]
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<PeopleReply, ApiError>) -> Vec<Effect> {
        let now = cx.now;
        let result = match reply {
            Ok(PeopleReply::Members(list)) => Ok(list
                .into_iter()
                .filter(|u| matches!(u.user_kind, UserKind::ServiceAccount | UserKind::CloudPrincipal))
                .collect()),
            Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
            Err(e) => Err(Failure::from_api(&e, now)),
        };
        if !self.list.accept(id, result, now) {
            return Vec::new();
        }
        self.rebuild(cx);
        if self.list.take_queued() { self.refresh(cx) } else { Vec::new() }
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        match action {
            Action::Describe | Action::Open => {
                if let Some(u) = self.selected() {
                    let title = format!("{} {}", kind_label(&u.user_kind), u.display_name());
                    cx.describe(title, u);
                }
                Vec::new()
            }
            Action::Copy => match self.selected().map(|u| (u.display_name(), u.user_id)) {
                Some((name, id)) => cx.copy(id.to_string(), format!("Copied the ID of {name}")),
                None => Vec::new(),
            },
            Action::Create => {
                let kinds = vec![SERVICE_ACCOUNT.to_string(), CLOUD_PRINCIPAL.to_string()];
                let form = Form::new(
                    "Create an identity",
                    vec![
                        Field::choice("kind", "Kind", kinds, 0),
                        Field::text("name", "Name", "").validate(required),
                        Field::text("description", "Description", "").hint("optional"),
                        Field::text("cloud", "Cloud principal", "")
                            .hint("cloud principals only: an ARN, a service account email…"),
                    ],
                );
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
                Vec::new()
            }
            Action::Edit => {
                if let Some(u) = self.selected() {
                    let form = Form::new(
                        format!("Rename {} {}", kind_label(&u.user_kind), u.display_name()),
                        vec![
                            Field::text("name", "Name", &u.display_name()).validate(required),
                            Field::text("description", "Description", u.description.as_deref().unwrap_or_default()),
                        ],
                    );
                    let purpose = FormPurpose::Edit(u.user_id);
                    cx.modals.push(Modal::Form(FormModal { form, purpose, request: None }));
                }
                Vec::new()
            }
            Action::Delete => {
                if let Some(u) = self.selected() {
                    let (id, name) = (u.user_id, u.display_name());
                    let mutation = match u.user_kind {
                        UserKind::CloudPrincipal => PeopleChange::DeleteCloudPrincipal { id },
                        _ => PeopleChange::DeleteServiceAccount { id },
                    };
                    let what = kind_label(&u.user_kind).to_string();
                    let lines = vec![
                        format!("Delete {what} {name}?"),
                        "Whatever uses it stops working; its roles and team memberships go with it.".into(),
                    ];
                    let planned = Planned::change(Mutation::People(mutation), "delete", "deleted", Some(id), &name);
                    ops::confirm_typed(cx, format!("Delete {what}"), lines, name, planned);
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        let name = f.form.value("name").trim().to_string();
        let description = f.form.value("description").trim().to_string();
        let planned = match purpose {
            FormPurpose::Create => {
                let description = (!description.is_empty()).then_some(description);
                let change = if f.form.value("kind") == CLOUD_PRINCIPAL {
                    let cloud = f.form.value("cloud").trim().to_string();
                    if cloud.is_empty() {
                        return super::ops::submit(cx, Err("a cloud principal needs its cloud identity".into()));
                    }
                    PeopleChange::CreateCloudPrincipal(CloudPrincipalCreate {
                        name: name.clone(),
                        cloud_principal: cloud,
                        description,
                    })
                } else {
                    PeopleChange::CreateServiceAccount(ServiceAccountCreate { name: name.clone(), description })
                };
                Ok(Planned::change(Mutation::People(change), "create", "created", None, name))
            }
            FormPurpose::Edit(id) => match self.list.value.iter().flatten().find(|u| u.user_id == id) {
                None => Err("it is gone".to_string()),
                Some(u) => {
                    let body = IdentityUpdate {
                        name: (name != u.display_name()).then(|| name.clone()),
                        description: (Some(description.as_str()) != u.description.as_deref())
                            .then(|| description.clone()),
                    };
                    if body == IdentityUpdate::default() {
                        Err("nothing changed".to_string())
                    } else {
                        let change = match u.user_kind {
                            UserKind::CloudPrincipal => PeopleChange::UpdateCloudPrincipal { id, body },
                            _ => PeopleChange::UpdateServiceAccount { id, body },
                        };
                        Ok(Planned::change(Mutation::People(change), "rename", "changed", Some(id), u.display_name()))
                    }
                }
            },
            _ => return Vec::new(),
        };
        super::ops::submit(cx, planned.map(|p| (p, None)))
    }

    fn rebuild(&mut self, _cx: &Ctx) {
        let rows = self
            .list
            .value
            .iter()
            .flatten()
            .map(|u| {
                Row::new(
                    u.user_id.to_string(),
                    vec![
                        kind_label(&u.user_kind).to_string(),
                        u.display_name(),
                        u.email.clone(),
                        u.cloud_principal.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| "-".into()),
                        u.description.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| "-".into()),
                    ],
                )
            })
            .collect();
        self.table.set_rows(rows);
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn freshness(&self, _view: &View) -> Option<Option<std::time::Instant>> {
        Some(self.list.fetched_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        super::people::render_list(
            frame,
            area,
            view,
            &self.table,
            "Identities",
            &self.list,
            "No service accounts or cloud principals. Press c to create one.",
        );
    }
}
