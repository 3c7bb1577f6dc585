//! Users: the organization's people with their teams, organization roles and when they were
//! last active; add one by email, remove one (never yourself, never the last Owner), and
//! `enter` for everything a user can do, resource by resource.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use uuid::Uuid;

use super::people::{held_by, person, teams_holding};
use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::ops::{self, Planned};
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::{Failure, PaneId, Purpose, Resource, age};
use crate::widgets::form::{Field, Form};
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::table::{Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Users), "enter", Action::Open, "can do", "Everything the user can do, resource by resource"),
    (Context::Pane(PaneId::Users), "c", Action::Create, "add", "Add an existing SingleStore user by email"),
    (Context::Pane(PaneId::Users), "ctrl-d", Action::Delete, "remove", "Remove the user from the organization (type the email to confirm)"),
    (Context::Pane(PaneId::Users), "y", Action::Copy, "", "Copy the user ID"),
];

#[derive(Debug)]
pub struct UsersPane {
    pub table: TableState,
    pub directory: Resource<Directory>,
    /// A "what can they do" read in flight.
    abilities: Resource<()>,
    /// The user to select once the list shows them (arriving from an audit entry).
    pub wanted: Option<Uuid>,
}

impl Default for UsersPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("NAME", Constraint::Fill(2)).min(14),
                Column::new("EMAIL", Constraint::Fill(3)).min(16),
                Column::new("TEAMS", Constraint::Fill(2)).min(8).optional(1),
                Column::new("ORG ROLES", Constraint::Fill(2)).min(10),
                Column::new("LAST SEEN", Constraint::Length(9)).optional(2),
            ]),
            directory: Resource::default(),
            abilities: Resource::default(),
            wanted: None,
        }
    }
}

impl UsersPane {
    fn selected(&self) -> Option<&OrgUser> {
        let id = Uuid::parse_str(self.table.selected_key()?).ok()?;
        self.directory.value.as_ref()?.users.iter().find(|u| u.user_id == id)
    }

    /// Why `user` may not be removed, if they may not.
    fn refusal(&self, user: &OrgUser) -> Option<String> {
        let d = self.directory.value.as_ref()?;
        if user.user_id == d.me {
            return Some("You cannot remove yourself from the organization.".into());
        }
        let owners: Vec<Uuid> = d
            .org_roles
            .iter()
            .filter(|r| r.role == "Owner")
            .flat_map(|r| &r.grants)
            .filter(|g| g.inherited_from.is_none())
            .filter_map(|g| match &g.identity {
                Holder::User(u) => Some(u.user_id),
                Holder::Team(_) => None,
            })
            .collect();
        (owners == [user.user_id])
            .then(|| format!("{} is the organization's last Owner: make someone else Owner first.", user.email))
    }
}

/// The readable answer to "what can this user do": resource → the roles held there and how.
fn abilities(cx: &Ctx, d: &Directory, who: &OrgUser, r: &UserRoles) -> serde_json::Value {
    let mut by_resource: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let label = |t: &str, id: Uuid| -> String {
        match ResourceType::from_wire(t) {
            ResourceType::Organization => {
                format!("organization {}", cx.data.org.value.as_ref().and_then(|o| o.name.clone()).unwrap_or_default())
            }
            ResourceType::Cluster => format!("workspace group {}", cx.data.group_name(id)),
            ResourceType::Team => {
                format!("team {}", d.teams.iter().find(|x| x.team_id == id).map_or(id.to_string(), |x| x.name.clone()))
            }
            ResourceType::Secret => {
                format!("secret {}", r.secrets.iter().find(|s| s.0 == id).map_or(id.to_string(), |s| s.1.clone()))
            }
            ResourceType::Unknown(other) => format!("{other} {id}"),
        }
    };
    let mut org_roles: Vec<(String, String)> = Vec::new();
    let mut add = |role: &IdentityRole, how: String| {
        if role.resource_type == "Organization" {
            org_roles.push((role.role.clone(), how.clone()));
        }
        by_resource
            .entry(label(&role.resource_type, role.resource_id))
            .or_default()
            .push(format!("{} ({how})", role.role));
    };
    for role in &r.direct {
        add(role, "direct".into());
    }
    for via in &r.via_teams {
        let team =
            d.teams.iter().find(|t| t.team_id == via.team_id).map_or(via.team_id.to_string(), |t| t.name.clone());
        for role in &via.roles {
            add(role, format!("via team {team}"));
        }
    }
    // What organization roles carry onto every resource of a kind.
    for (role, how) in org_roles {
        for def in r.org_definitions.iter().filter(|d| d.role == role) {
            for i in &def.inherits {
                let kind = ResourceType::from_wire(&i.resource_type);
                by_resource
                    .entry(format!("every {}", kind.noun()))
                    .or_default()
                    .push(format!("{} (from {role} on the organization, {how})", i.role));
            }
        }
    }
    let mut value = serde_json::Map::new();
    value.insert("user".into(), serde_json::json!(format!("{} <{}>", who.display_name(), who.email)));
    let holds = if by_resource.is_empty() {
        serde_json::json!("no roles: this user can do nothing yet")
    } else {
        serde_json::json!(by_resource)
    };
    value.insert("roles".into(), holds);
    serde_json::Value::Object(value)
}

impl Pane for UsersPane {
    const ID: PaneId = PaneId::Users;
    const TITLE: &'static str = "Users";
    const COMMAND: Option<Command> =
        Some(Command { name: "users", aliases: &["user", "people"], help: "Members, their teams and roles" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = PeopleReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        let mut effects: Vec<Effect> =
            if cx.data.org.value.is_none() { cx.fetch(Fetch::Organization).into_iter().collect() } else { Vec::new() };
        if let Some(id) = self.directory.start(cx.requests, Purpose::Pane(PaneId::Users)) {
            effects.push(Effect::Fetch { id, fetch: Fetch::People(PeopleRequest::Directory) });
        }
        effects
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<PeopleReply, ApiError>) -> Vec<Effect> {
        let now = cx.now;
        if self.abilities.finish(id) {
            match reply {
                Ok(PeopleReply::UserRoles(r)) => {
                    let who = self.directory.value.as_ref().and_then(|d| d.users.iter().find(|u| u.user_id == r.user));
                    if let (Some(d), Some(who)) = (self.directory.value.as_ref(), who) {
                        let value = abilities(cx, d, who, &r);
                        let title = format!("What {} can do", who.display_name());
                        cx.modals.push(Modal::Describe(JsonView::new(title, &value)));
                    }
                }
                Ok(_) => {}
                Err(e) => cx.toast(Level::Error, format!("Reading the user's roles failed: {e}")),
            }
            return Vec::new();
        }
        let result = match reply {
            Ok(PeopleReply::Directory(d)) => Ok(*d),
            Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
            Err(e) => Err(Failure::from_api(&e, now)),
        };
        if !self.directory.accept(id, result, now) {
            return Vec::new();
        }
        self.rebuild(cx);
        if self.directory.take_queued() { self.refresh(cx) } else { Vec::new() }
    }

    fn on_changed(&mut self, cx: &mut Ctx, reply: &PeopleReply) -> Vec<Effect> {
        if let PeopleReply::Changed(id) = reply
            && let Some(d) = self.directory.value.as_mut()
        {
            d.users.retain(|u| u.user_id != *id);
            self.rebuild(cx);
        }
        Vec::new()
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        match action {
            Action::Open => {
                let Some(user) = self.selected().map(|u| u.user_id) else { return Vec::new() };
                let id = self.abilities.restart(cx.requests, Purpose::Pane(PaneId::Users));
                vec![Effect::Fetch { id, fetch: Fetch::People(PeopleRequest::UserRoles(user)) }]
            }
            Action::Describe => {
                if let Some(u) = self.selected() {
                    cx.describe(format!("user {}", u.email), u);
                }
                Vec::new()
            }
            Action::Copy => match self.selected().map(|u| (u.email.clone(), u.user_id)) {
                Some((email, id)) => cx.copy(id.to_string(), format!("Copied the ID of {email}")),
                None => Vec::new(),
            },
            Action::Create => {
                let form = Form::new(
                    "Add a user",
                    vec![
                        Field::text("email", "Email", "")
                            .validate(super::people::email_rule)
                            .hint("someone with a SingleStore account; invite anyone else"),
                    ],
                );
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
                Vec::new()
            }
            Action::Delete => {
                let Some(u) = self.selected().cloned() else { return Vec::new() };
                if let Some(why) = self.refusal(&u) {
                    cx.toast(Level::Error, why);
                    return Vec::new();
                }
                let teams: Vec<String> = self
                    .directory
                    .value
                    .iter()
                    .flat_map(|d| teams_holding(&d.teams, u.user_id))
                    .map(|t| t.name.clone())
                    .collect();
                let mut lines = vec![format!("Remove {} from the organization?", person(&info(&u)))];
                if !teams.is_empty() {
                    lines.push(format!("They leave {} and lose the roles granted to them.", teams.join(", ")));
                } else {
                    lines.push("They lose every role granted to them.".into());
                }
                let remove = Mutation::People(PeopleChange::RemoveUser { id: u.user_id });
                let planned = Planned::change(remove, "remove user", "removed", Some(u.user_id), &u.email);
                ops::confirm_typed(cx, "Remove user", lines, u.email, planned);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        if purpose != FormPurpose::Create {
            return Vec::new();
        }
        let email = f.form.value("email").trim().to_string();
        let known = self.directory.value.iter().flat_map(|d| &d.users).any(|u| u.email.eq_ignore_ascii_case(&email));
        let planned = if known {
            Err(format!("{email} is already a member"))
        } else {
            Ok((
                Planned::change(
                    Mutation::People(PeopleChange::AddUser { email: email.clone() }),
                    "add user",
                    "added",
                    None,
                    email,
                ),
                None,
            ))
        };
        super::ops::submit(cx, planned)
    }

    fn arrive(&mut self, cx: &mut Ctx, place: Option<Uuid>) -> Vec<Effect> {
        self.wanted = place;
        self.rebuild(cx);
        Vec::new()
    }

    fn rebuild(&mut self, cx: &Ctx) {
        let Some(d) = self.directory.value.as_ref() else {
            self.table.set_rows(Vec::new());
            return;
        };
        let rows = d
            .users
            .iter()
            .filter(|u| u.user_kind == UserKind::Standard || u.user_kind.is_absent())
            .map(|u| {
                let teams: Vec<String> = teams_holding(&d.teams, u.user_id)
                    .iter()
                    .filter(|t| t.member_users.iter().flatten().any(|m| m.user_id == u.user_id))
                    .map(|t| t.name.clone())
                    .collect();
                let roles: Vec<String> = held_by(&d.org_roles, &d.teams, u.user_id).iter().map(|h| h.label()).collect();
                let seen = match &d.last_seen {
                    None => "?".to_string(),
                    Some(m) => m.get(&u.user_id).map_or("-".into(), |at| age(cx.wall, at)),
                };
                let me = if u.user_id == d.me { " (you)" } else { "" };
                Row::new(
                    u.user_id.to_string(),
                    vec![
                        format!("{}{me}", u.display_name()),
                        u.email.clone(),
                        if teams.is_empty() { "-".into() } else { teams.join(", ") },
                        if roles.is_empty() { "-".into() } else { roles.join(", ") },
                        seen,
                    ],
                )
            })
            .collect();
        self.table.set_rows(rows);
        if let Some(want) = self.wanted
            && self.table.select_key(&want.to_string())
        {
            self.wanted = None;
        }
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn freshness(&self, _view: &View) -> Option<Option<std::time::Instant>> {
        Some(self.directory.fetched_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        super::people::render_list(frame, area, view, &self.table, "Users", &self.directory, "No users.");
    }
}

/// The user as teams and grants name them.
pub fn info(u: &OrgUser) -> UserInfo {
    UserInfo {
        user_id: u.user_id,
        email: u.email.clone(),
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
    }
}
