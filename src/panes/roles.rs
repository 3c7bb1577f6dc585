//! Roles: the built-in and custom roles with their permissions. At v1 a role is defined per
//! resource type (`/v1/roles/{type}`) and may inherit roles on other types; at v2 one role
//! spans resource types, its permissions grouped per type (`/v2/authorization/roles`), and
//! inherits nothing. Custom roles are created and edited with a permission picker (name and
//! type first, then one toggle per permission the types offer) and deleted by name.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use uuid::Uuid;

use crate::api::ApiVersion;
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
const PICKS: [&str; 32] = [
    "p00", "p01", "p02", "p03", "p04", "p05", "p06", "p07", "p08", "p09", "p10", "p11", "p12", "p13", "p14", "p15",
    "p16", "p17", "p18", "p19", "p20", "p21", "p22", "p23", "p24", "p25", "p26", "p27", "p28", "p29", "p30", "p31",
];

/// Form field names of the resource types a v2 role covers, in `ResourceType::KNOWN` order.
const TYPE_PICKS: [&str; 4] = ["t0", "t1", "t2", "t3"];

/// A role as the pane shows it, from either version's definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    /// The resource type it is defined on at v1; `None` at v2, where one role spans types.
    pub on: Option<ResourceType>,
    pub name: String,
    pub description: String,
    pub custom: bool,
    /// Grouped per resource type (one group at v1).
    pub permissions: Vec<TypedPermissions>,
    pub inherits: Vec<TypedRole>,
    /// The definition as the API sent it, for describe.
    wire: serde_json::Value,
}

impl Role {
    fn from_v1(r: RoleDefinition) -> Self {
        Role {
            on: Some(ResourceType::from_wire(&r.resource_type)),
            name: r.role.clone(),
            description: r.description.clone(),
            custom: r.is_custom,
            permissions: vec![TypedPermissions {
                resource_type: r.resource_type.clone(),
                permissions: r.permissions.clone(),
            }],
            inherits: r.inherits.clone(),
            wire: serde_json::to_value(&r).unwrap_or_default(),
        }
    }

    fn from_v2(r: RoleDefinitionV2) -> Self {
        Role {
            on: None,
            name: r.role.clone(),
            description: r.description.clone(),
            custom: r.is_custom(),
            permissions: r.permissions.clone(),
            inherits: Vec::new(),
            wire: serde_json::to_value(&r).unwrap_or_default(),
        }
    }

    fn all_permissions(&self) -> Vec<&String> {
        self.permissions.iter().flat_map(|p| &p.permissions).collect()
    }

    /// Every permission with its resource type.
    fn held(&self) -> Vec<(String, String)> {
        let typed = self.permissions.iter();
        typed.flat_map(|g| g.permissions.iter().map(|p| (g.resource_type.clone(), p.clone()))).collect()
    }

    fn types(&self) -> Vec<ResourceType> {
        self.permissions.iter().map(|p| ResourceType::from_wire(&p.resource_type)).collect()
    }
}

/// A role being made or changed, between the first form and the permission picker.
#[derive(Debug, Clone, PartialEq)]
struct Draft {
    role: String,
    description: String,
    /// What the picker offers: the role's one type at v1, the types ticked at v2.
    types: Vec<ResourceType>,
    /// `Some`: the role exists and is being replaced (at v1 its inherits are kept).
    inherits: Option<Vec<TypedRole>>,
    /// Whether the picker is open (a v2 change starts with the types form).
    picking: bool,
    /// Permissions held that the picker has no room to offer, sent back unchanged.
    kept: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct RolesPane {
    pub table: TableState,
    pub list: Resource<(Vec<Role>, Vec<PermissionDefinition>)>,
    /// The version the columns are laid out for.
    version: ApiVersion,
    draft: Option<Draft>,
}

impl Default for RolesPane {
    fn default() -> Self {
        Self { table: columns(ApiVersion::V1), list: Resource::default(), version: ApiVersion::V1, draft: None }
    }
}

fn columns(version: ApiVersion) -> TableState {
    match version {
        ApiVersion::V1 => TableState::new(vec![
            Column::new("TYPE", Constraint::Length(12)),
            Column::new("ROLE", Constraint::Length(20)),
            Column::new("KIND", Constraint::Length(8)),
            Column::new("PERMISSIONS", Constraint::Fill(4)).min(20),
            Column::new("INHERITS", Constraint::Fill(2)).min(8).optional(1),
        ]),
        ApiVersion::V2 => TableState::new(vec![
            Column::new("ROLE", Constraint::Length(20)),
            Column::new("KIND", Constraint::Length(8)),
            Column::new("ON", Constraint::Fill(1)).min(12),
            Column::new("PERMISSIONS", Constraint::Fill(4)).min(20),
        ]),
    }
}

fn key(r: &Role) -> String {
    match &r.on {
        Some(t) => format!("{t}/{}", r.name),
        None => r.name.clone(),
    }
}

fn required(s: &str) -> Result<(), String> {
    if s.trim().is_empty() { Err("required".into()) } else { Ok(()) }
}

/// One toggle per resource type a v2 role may cover.
fn type_toggles(on: &[ResourceType]) -> Vec<Field> {
    TYPE_PICKS
        .iter()
        .zip(ResourceType::KNOWN)
        .map(|(name, t)| Field::toggle(name, t.as_str(), on.contains(t)))
        .collect()
}

impl RolesPane {
    /// Lays the table out for the session's version (a v2 role has no single type or inherits).
    fn fit(&mut self, version: ApiVersion) {
        if self.version != version {
            self.version = version;
            self.table = columns(version);
        }
    }

    fn roles(&self) -> impl Iterator<Item = &Role> {
        self.list.value.iter().flat_map(|v| &v.0)
    }

    fn selected(&self) -> Option<&Role> {
        let k = self.table.selected_key()?;
        self.roles().find(|r| key(r) == k)
    }

    /// What the picker offers for `types`: each permission with its resource type.
    fn offered(&self, types: &[ResourceType]) -> Vec<(String, String)> {
        let all: Vec<&PermissionDefinition> = self.list.value.iter().flat_map(|v| &v.1).collect();
        let of = |t: &ResourceType| {
            all.iter()
                .filter(|p| p.resource_type == t.as_str())
                .map(|p| (p.resource_type.clone(), p.permission.clone()))
                .collect::<Vec<_>>()
        };
        types.iter().flat_map(of).collect()
    }

    /// The picker: one toggle per permission the types offer, `on` already ticked. Those past
    /// the picker's room are not offered; the ones held are kept in `draft` as they are.
    fn picker(&self, draft: &mut Draft, on: &[(String, String)]) -> Form {
        let mut fields = vec![Field::text("description", "Description", &draft.description).hint("optional")];
        // Several types: each toggle says whose permission it is.
        let many = draft.types.len() > 1;
        let offered = self.offered(&draft.types);
        for (name, (t, p)) in PICKS.iter().zip(&offered) {
            let ticked = on.iter().any(|(ot, op)| ot == t && op == p);
            let label = if many { format!("{t}: {p}") } else { p.clone() };
            fields.push(Field::toggle(name, label, ticked));
        }
        let past = offered.get(PICKS.len()..).unwrap_or_default();
        draft.kept = past.iter().filter(|p| on.contains(p)).cloned().collect();
        let on_what = draft.types.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ");
        let mut form = Form::new(format!("Permissions of {} ({on_what})", draft.role), fields);
        if !past.is_empty() {
            form.note = Some(format!(
                "{} more permissions are not listed here; the role keeps the {} of them it has.",
                past.len(),
                draft.kept.len()
            ));
        }
        form
    }

    fn push_form(cx: &mut Ctx, form: Form, purpose: FormPurpose) {
        cx.modals.push(Modal::Form(FormModal { form, purpose, request: None }));
    }

    /// The first form of a create: name and type at v1; name, description and types at v2.
    fn create_form(version: ApiVersion) -> Form {
        let name = Field::text("role", "Name", "").validate(required);
        let description = Field::text("description", "Description", "").hint("optional");
        match version {
            ApiVersion::V1 => {
                let types = ResourceType::KNOWN.iter().map(|t| t.to_string()).collect();
                Form::new("Create a custom role", vec![name, Field::choice("type", "On", types, 1), description])
            }
            ApiVersion::V2 => {
                let mut fields = vec![name, description];
                fields.extend(type_toggles(&[ResourceType::Cluster]));
                Form::new("Create a custom role (tick the resource types it covers)", fields)
            }
        }
    }

    /// A custom role picked for a change: at v1 straight to the picker, at v2 its types first.
    fn open_edit(&mut self, cx: &mut Ctx, r: &Role) {
        let mut draft = Draft {
            role: r.name.clone(),
            description: r.description.clone(),
            types: r.types(),
            inherits: Some(r.inherits.clone()),
            picking: r.on.is_some(),
            kept: Vec::new(),
        };
        let form = if draft.picking {
            self.picker(&mut draft, &r.held())
        } else {
            Form::new(format!("Resource types of {}", r.name), type_toggles(&draft.types))
        };
        self.draft = Some(draft);
        Self::push_form(cx, form, FormPurpose::Edit(Uuid::nil()));
    }

    /// The first form answered: the picker comes next.
    fn open_picker(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        let editing = self.draft.take();
        let types: Vec<ResourceType> = match cx.session.api_version {
            ApiVersion::V1 => vec![ResourceType::from_wire(&f.form.value("type"))],
            ApiVersion::V2 => TYPE_PICKS
                .iter()
                .zip(ResourceType::KNOWN)
                .filter(|(name, _)| f.form.value(name) == "true")
                .map(|(_, t)| t.clone())
                .collect(),
        };
        let mut draft = match editing {
            Some(d) => Draft { types, picking: true, ..d },
            None => Draft {
                role: f.form.value("role").trim().to_string(),
                description: f.form.value("description").trim().to_string(),
                types,
                inherits: None,
                picking: true,
                kept: Vec::new(),
            },
        };
        if draft.types.is_empty() {
            self.draft = draft.inherits.is_some().then_some(Draft { picking: false, ..draft });
            return ops::submit(cx, Err("tick at least one resource type".into()));
        }
        if draft.inherits.is_none() && self.roles().any(|r| r.name == draft.role) {
            return ops::submit(cx, Err(format!("a role named {:?} exists already", draft.role)));
        }
        let held = self.roles().find(|r| draft.inherits.is_some() && r.name == draft.role).map(Role::held);
        let form = self.picker(&mut draft, &held.unwrap_or_default());
        self.draft = Some(draft);
        cx.modals.pop();
        Self::push_form(cx, form, purpose);
        Vec::new()
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
        self.fit(cx.session.api_version);
        let Some(id) = self.list.start(cx.requests, Purpose::Pane(PaneId::Roles)) else { return Vec::new() };
        vec![Effect::Fetch { id, fetch: Fetch::People(PeopleRequest::Roles) }]
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<PeopleReply, ApiError>) -> Vec<Effect> {
        let now = cx.now;
        let result = match reply {
            Ok(PeopleReply::Roles { roles, permissions }) => {
                Ok((roles.into_iter().map(Role::from_v1).collect(), permissions))
            }
            Ok(PeopleReply::RolesV2 { roles, permissions }) => {
                Ok((roles.into_iter().map(Role::from_v2).collect(), permissions))
            }
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
                    let title = match &r.on {
                        Some(t) => format!("role {} ({t})", r.name),
                        None => format!("role {}", r.name),
                    };
                    cx.modals.push(Modal::Describe(JsonView::new(title, &r.wire)));
                }
                Vec::new()
            }
            Action::Create => {
                self.draft = None;
                Self::push_form(cx, Self::create_form(cx.session.api_version), FormPurpose::Create);
                Vec::new()
            }
            Action::Edit | Action::Delete => {
                let Some(r) = self.selected().cloned() else { return Vec::new() };
                if !r.custom {
                    cx.toast(Level::Error, format!("{} is a built-in role: it cannot be changed or deleted.", r.name));
                    return Vec::new();
                }
                if action == Action::Edit {
                    self.open_edit(cx, &r);
                    return Vec::new();
                }
                let (what, delete) = match r.on.clone() {
                    Some(resource_type) => (
                        format!("{} ({resource_type})", r.name),
                        PeopleChange::DeleteRole { resource_type, role: r.name.clone() },
                    ),
                    None => (r.name.clone(), PeopleChange::DeleteRoleV2 { role: r.name.clone() }),
                };
                let lines = vec![
                    format!("Delete the custom role {what}?"),
                    "The service refuses while the role is granted to anyone.".into(),
                ];
                let planned = Planned::change(Mutation::People(delete), "delete role", "deleted", None, &r.name);
                ops::confirm_typed(cx, "Delete role", lines, r.name, planned);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        if self.draft.as_ref().is_none_or(|d| !d.picking) {
            return self.open_picker(cx, purpose);
        }
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        let Some(draft) = self.draft.clone() else { return Vec::new() };
        let picked: Vec<(String, String)> = PICKS
            .iter()
            .zip(self.offered(&draft.types))
            .filter(|(name, _)| f.form.value(name) == "true")
            .map(|(_, p)| p)
            .chain(draft.kept.iter().cloned())
            .collect();
        if picked.is_empty() {
            return ops::submit(cx, Err("pick at least one permission".into()));
        }
        let description = f.form.value("description").trim().to_string();
        let description = (!description.is_empty()).then_some(description);
        // At v2 the permissions go grouped by type, a type with none left out.
        let grouped: Vec<TypedPermissions> = draft
            .types
            .iter()
            .map(|t| TypedPermissions {
                resource_type: t.to_string(),
                permissions: picked.iter().filter(|(pt, _)| pt == t.as_str()).map(|(_, p)| p.clone()).collect(),
            })
            .filter(|g| !g.permissions.is_empty())
            .collect();
        let permissions: Vec<String> = picked.into_iter().map(|(_, p)| p).collect();
        let resource_type = draft.types.first().cloned().unwrap_or(ResourceType::Cluster);
        let role = draft.role.clone();
        let (change, label, done) = match (cx.session.api_version, draft.inherits) {
            (ApiVersion::V1, None) => (
                PeopleChange::CreateRole {
                    resource_type,
                    body: RoleCreate { role: role.clone(), description, permissions, inherits: Vec::new() },
                },
                "create role",
                "created",
            ),
            (ApiVersion::V1, Some(inherits)) => (
                PeopleChange::ReplaceRole {
                    resource_type,
                    role: role.clone(),
                    body: RoleUpdate { description, permissions, inherits },
                },
                "change role",
                "changed",
            ),
            (ApiVersion::V2, None) => (
                PeopleChange::CreateRoleV2(RoleCreateV2 { role: role.clone(), description, permissions: grouped }),
                "create role",
                "created",
            ),
            (ApiVersion::V2, Some(_)) => (
                PeopleChange::ReplaceRoleV2 {
                    role: role.clone(),
                    body: RoleReplaceV2 { role: None, description, permissions: grouped },
                },
                "change role",
                "changed",
            ),
        };
        self.draft = None;
        let planned = Planned::change(Mutation::People(change), label, done, None, role);
        ops::submit(cx, Ok((planned, None)))
    }

    fn rebuild(&mut self, cx: &Ctx) {
        self.fit(cx.session.api_version);
        let rows = self
            .roles()
            .map(|r| {
                let kind = if r.custom { "custom" } else { "built-in" }.to_string();
                let all = r.all_permissions();
                let count = all.len();
                let cells = match &r.on {
                    Some(t) => {
                        let inherits: Vec<String> =
                            r.inherits.iter().map(|i| format!("{} {}", i.resource_type, i.role)).collect();
                        let list = all.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ");
                        vec![
                            t.to_string(),
                            r.name.clone(),
                            kind,
                            format!("{count}: {list}"),
                            if inherits.is_empty() { "-".into() } else { inherits.join(", ") },
                        ]
                    }
                    None => {
                        let on = r.permissions.iter().map(|g| g.resource_type.as_str()).collect::<Vec<_>>();
                        let groups = r.permissions.iter().map(TypedPermissions::summary).collect::<Vec<_>>();
                        vec![r.name.clone(), kind, on.join(", "), format!("{count}: {}", groups.join("; "))]
                    }
                };
                Row::new(key(r), cells)
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
