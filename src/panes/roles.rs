//! Roles: the built-in and custom roles of each resource type with their permissions and
//! what they inherit. Custom roles are created and edited with a permission picker (name and
//! type first, then one toggle per permission the type offers) and deleted by name.

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
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::table::{Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Roles), "c", Action::Create, "create", "Create a custom role (then pick its permissions)"),
    (Context::Pane(PaneId::Roles), "e", Action::Edit, "edit", "Change a custom role's description and permissions"),
    (Context::Pane(PaneId::Roles), "ctrl-d", Action::Delete, "delete", "Delete a custom role (type its name to confirm)"),
];

/// Form field names of the permission picker, one per permission offered.
const PICKS: [&str; 24] = [
    "p00", "p01", "p02", "p03", "p04", "p05", "p06", "p07", "p08", "p09", "p10", "p11", "p12", "p13", "p14", "p15",
    "p16", "p17", "p18", "p19", "p20", "p21", "p22", "p23",
];

/// A role being made or changed, between the first form and the permission picker.
#[derive(Debug, Clone, PartialEq)]
struct Draft {
    resource_type: ResourceType,
    role: String,
    description: String,
    /// `Some`: the role exists and is being replaced (its inherits are kept).
    inherits: Option<Vec<TypedRole>>,
}

#[derive(Debug)]
pub struct RolesPane {
    pub table: TableState,
    pub list: Resource<(Vec<RoleDefinition>, Vec<PermissionDefinition>)>,
    draft: Option<Draft>,
}

impl Default for RolesPane {
    fn default() -> Self {
        Self { table: columns(), list: Resource::default(), draft: None }
    }
}

fn columns() -> TableState {
    TableState::new(vec![
        Column::new("TYPE", Constraint::Length(12)),
        Column::new("ROLE", Constraint::Length(20)),
        Column::new("KIND", Constraint::Length(8)),
        Column::new("PERMISSIONS", Constraint::Fill(4)).min(20),
        Column::new("INHERITS", Constraint::Fill(2)).min(8).optional(1),
    ])
}

fn key(r: &RoleDefinition) -> String {
    format!("{}/{}", r.resource_type, r.role)
}

fn required(s: &str) -> Result<(), String> {
    if s.trim().is_empty() { Err("required".into()) } else { Ok(()) }
}

impl RolesPane {
    fn selected(&self) -> Option<&RoleDefinition> {
        let k = self.table.selected_key()?;
        self.list.value.as_ref()?.0.iter().find(|r| key(r) == k)
    }

    fn offered(&self, t: &ResourceType) -> Vec<String> {
        let all = self.list.value.iter().flat_map(|v| &v.1);
        all.filter(|p| p.resource_type == t.as_str()).map(|p| p.permission.clone()).take(PICKS.len()).collect()
    }

    /// The picker: one toggle per permission the type offers, `on` already ticked.
    fn picker(&self, draft: &Draft, on: &[String]) -> Form {
        let mut fields = vec![Field::text("description", "Description", &draft.description).hint("optional")];
        for (name, p) in PICKS.iter().zip(self.offered(&draft.resource_type)) {
            let ticked = on.contains(&p);
            fields.push(Field::toggle(name, p, ticked));
        }
        Form::new(format!("Permissions of {} ({})", draft.role, draft.resource_type), fields)
    }
}

impl Pane for RolesPane {
    const ID: PaneId = PaneId::Roles;
    const TITLE: &'static str = "Roles";
    const COMMAND: Option<Command> =
        Some(Command { name: "roles", aliases: &["role"], help: "Built-in and custom roles with their permissions" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = PeopleReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        let Some(id) = self.list.start(cx.requests, Purpose::Pane(PaneId::Roles)) else { return Vec::new() };
        vec![Effect::Fetch { id, fetch: Fetch::People(PeopleRequest::Roles) }]
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<PeopleReply, ApiError>) -> Vec<Effect> {
        let now = cx.now;
        let result = match reply {
            Ok(PeopleReply::Roles { roles, permissions }) => Ok((roles, permissions)),
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
                if let Some(r) = self.selected() {
                    let value = serde_json::to_value(r).unwrap_or_default();
                    cx.modals
                        .push(Modal::Describe(JsonView::new(format!("role {} ({})", r.role, r.resource_type), &value)));
                }
                Vec::new()
            }
            Action::Create => {
                let types = ResourceType::KNOWN.iter().map(|t| t.to_string()).collect();
                let form = Form::new(
                    "Create a custom role",
                    vec![
                        Field::text("role", "Name", "").validate(required),
                        Field::choice("type", "On", types, 1),
                        Field::text("description", "Description", "").hint("optional"),
                    ],
                );
                self.draft = None;
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
                Vec::new()
            }
            Action::Edit | Action::Delete => {
                let Some(r) = self.selected().cloned() else { return Vec::new() };
                if !r.is_custom {
                    cx.toast(Level::Error, format!("{} is a built-in role: it cannot be changed or deleted.", r.role));
                    return Vec::new();
                }
                let resource_type = ResourceType::from_wire(&r.resource_type);
                if action == Action::Edit {
                    let draft = Draft {
                        resource_type,
                        role: r.role.clone(),
                        description: r.description.clone(),
                        inherits: Some(r.inherits.clone()),
                    };
                    let form = self.picker(&draft, &r.permissions);
                    self.draft = Some(draft);
                    cx.modals.push(Modal::Form(FormModal {
                        form,
                        purpose: FormPurpose::Edit(Uuid::nil()),
                        request: None,
                    }));
                    return Vec::new();
                }
                let lines = vec![
                    format!("Delete the custom role {} ({})?", r.role, r.resource_type),
                    "The service refuses while the role is granted to anyone.".into(),
                ];
                let delete = Mutation::People(PeopleChange::DeleteRole { resource_type, role: r.role.clone() });
                let planned = Planned::change(delete, "delete role", "deleted", None, &r.role);
                ops::confirm_typed(cx, "Delete role", lines, r.role, planned);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        // The first form of a create: the picker comes next.
        if purpose == FormPurpose::Create && self.draft.is_none() {
            let draft = Draft {
                resource_type: ResourceType::from_wire(&f.form.value("type")),
                role: f.form.value("role").trim().to_string(),
                description: f.form.value("description").trim().to_string(),
                inherits: None,
            };
            if self.list.value.iter().flat_map(|v| &v.0).any(|r| r.role == draft.role) {
                return super::ops::submit(cx, Err(format!("a role named {:?} exists already", draft.role)));
            }
            let form = self.picker(&draft, &[]);
            self.draft = Some(draft);
            cx.modals.pop();
            cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
            return Vec::new();
        }
        let Some(draft) = self.draft.clone() else { return Vec::new() };
        let offered = self.offered(&draft.resource_type);
        let permissions: Vec<String> = PICKS
            .iter()
            .zip(&offered)
            .filter(|(name, _)| f.form.value(name) == "true")
            .map(|(_, p)| p.clone())
            .collect();
        if permissions.is_empty() {
            return super::ops::submit(cx, Err("pick at least one permission".into()));
        }
        let description = f.form.value("description").trim().to_string();
        let description = (!description.is_empty()).then_some(description);
        let (change, label, done) = match draft.inherits {
            None => (
                PeopleChange::CreateRole {
                    resource_type: draft.resource_type.clone(),
                    body: RoleCreate { role: draft.role.clone(), description, permissions, inherits: Vec::new() },
                },
                "create role",
                "created",
            ),
            Some(inherits) => (
                PeopleChange::ReplaceRole {
                    resource_type: draft.resource_type.clone(),
                    role: draft.role.clone(),
                    body: RoleUpdate { description, permissions, inherits },
                },
                "change role",
                "changed",
            ),
        };
        self.draft = None;
        let planned = Planned::change(Mutation::People(change), label, done, None, draft.role);
        super::ops::submit(cx, Ok((planned, None)))
    }

    fn rebuild(&mut self, _cx: &Ctx) {
        let rows = self
            .list
            .value
            .iter()
            .flat_map(|v| &v.0)
            .map(|r| {
                let inherits: Vec<String> =
                    r.inherits.iter().map(|i| format!("{} {}", i.resource_type, i.role)).collect();
                Row::new(
                    key(r),
                    vec![
                        r.resource_type.clone(),
                        r.role.clone(),
                        if r.is_custom { "custom".into() } else { "built-in".into() },
                        format!("{}: {}", r.permissions.len(), r.permissions.join(", ")),
                        if inherits.is_empty() { "-".into() } else { inherits.join(", ") },
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
        super::people::render_list(frame, area, view, &self.table, "Roles", &self.list, "No roles.");
    }
}
