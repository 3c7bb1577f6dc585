//! The Access view: who holds which role on one resource (the organization, a workspace
//! group, a secret or a team; at v2 a cluster's access is its group's), grants inherited from
//! organization roles marked with where they come from. Grants and revokes are reviewed first,
//! naming exactly who gains or loses the role; revoking your own last Owner role is refused.
//! The grant form picks its holder from the members and teams. Any pane opens it with [`open`].

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use uuid::Uuid;

use super::people::{people_of, person, teams_holding};
use crate::api::ApiVersion;
use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::ops::Planned;
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::{Failure, PaneId, Purpose, Resource, age};
use crate::widgets::confirm::Confirm;
use crate::widgets::form::{Field, FieldKind, Form};
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::pick::PickOption;
use crate::widgets::status;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Access), "c", Action::Create, "grant", "Grant a role to a user or team (reviewed first)"),
    (Context::Pane(PaneId::Access), "ctrl-d", Action::Delete, "revoke", "Revoke the selected grant (reviewed first)"),
];

/// The role whose last holder must not lock themselves out.
const ADMIN_ROLE: &str = "Owner";

/// Under the grant form's holder while nobody is listed yet.
const HOLDER_HINT: &str = "type to find a member, service account or team; a user's ID not listed is sent as typed";

#[derive(Debug)]
pub struct AccessPane {
    pub table: TableState,
    /// What is shown, and its name.
    pub target: Option<(ResourceRef, String)>,
    pub roles: Resource<Vec<ResourceRole>>,
    /// Members and teams: who a team stands for, whom a name means.
    pub directory: Resource<Directory>,
    /// Every resource shown so far, for the back history.
    visited: Vec<(ResourceRef, String)>,
    /// The session's version, for what a workspace group is called.
    version: ApiVersion,
}

impl Default for AccessPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("ROLE", Constraint::Length(20)),
                Column::new("HOLDER", Constraint::Fill(3)).min(16),
                Column::new("KIND", Constraint::Length(5)),
                Column::new("HOW", Constraint::Fill(2)).min(10),
                Column::new("PEOPLE", Constraint::Length(6)).optional(1),
                Column::new("GRANTED", Constraint::Length(7)).optional(2),
            ]),
            target: None,
            roles: Resource::default(),
            directory: Resource::default(),
            visited: Vec::new(),
            version: ApiVersion::V1,
        }
    }
}

/// Shows who holds which role on `resource` (called `name`).
pub fn open(cx: &mut Ctx, resource: ResourceRef, name: String) {
    let id = resource.id;
    cx.data.access = Some((resource, name));
    cx.go(PaneId::Access, Some(id));
}

/// What the dashboard calls a resource type: at v2 a workspace group is seen as its cluster.
fn noun(kind: &ResourceType, version: ApiVersion) -> &str {
    match (kind, version) {
        (ResourceType::Cluster, ApiVersion::V2) => "cluster",
        _ => kind.noun(),
    }
}

/// "workspace group Production" (at v2, "cluster prod-ingest").
fn title_of(target: &(ResourceRef, String), version: ApiVersion) -> String {
    format!("{} {}", noun(&target.0.kind, version), target.1)
}

fn row_key(role: &str, g: &Grant) -> String {
    let from = g.inherited_from.as_ref().map_or(String::new(), |f| format!("{}/{}", f.resource_type, f.role));
    format!("{role}\u{1f}{}\u{1f}{from}", g.identity.id())
}

impl AccessPane {
    fn title(&self) -> Option<String> {
        self.target.as_ref().map(|t| title_of(t, self.version))
    }

    fn teams(&self) -> &[Team] {
        self.directory.value.as_ref().map_or(&[], |d| d.teams.as_slice())
    }

    fn selected(&self) -> Option<(&str, &Grant)> {
        let key = self.table.selected_key()?;
        self.roles
            .value
            .iter()
            .flatten()
            .flat_map(|r| r.grants.iter().map(move |g| (r.role.as_str(), g)))
            .find(|(role, g)| row_key(role, g) == key)
    }

    /// The people who hold `role` here through any grant but `except`.
    fn others_holding(&self, role: &str, except: Option<&Grant>) -> Vec<UserInfo> {
        let mut out: Vec<UserInfo> = Vec::new();
        for r in self.roles.value.iter().flatten().filter(|r| r.role == role) {
            for g in r.grants.iter().filter(|g| Some(*g) != except) {
                for p in people_of(self.teams(), &g.identity) {
                    if !out.iter().any(|o| o.user_id == p.user_id) {
                        out.push(p);
                    }
                }
            }
        }
        out
    }

    /// Why revoking `grant` is refused: it is inherited, or it is your last Owner role here.
    fn refusal(&self, role: &str, grant: &Grant) -> Option<String> {
        if let Some(from) = &grant.inherited_from {
            return Some(format!(
                "This grant comes from {} on the {}: change it there.",
                from.role,
                ResourceType::from_wire(&from.resource_type).noun()
            ));
        }
        let me = self.directory.value.as_ref()?.me;
        let mine = people_of(self.teams(), &grant.identity).iter().any(|p| p.user_id == me);
        let keeps = self.others_holding(role, Some(grant)).iter().any(|p| p.user_id == me);
        (role == ADMIN_ROLE && mine && !keeps).then(|| {
            format!("You would lose your last {ADMIN_ROLE} role here; grant it to yourself another way first.")
        })
    }

    /// The review of a change: who gains or loses `role`, and who keeps it anyway.
    fn review(&self, role: &str, holder: &Holder, grant: bool, existing: Option<&Grant>) -> Vec<String> {
        let target = self.title().unwrap_or_default();
        let people = people_of(self.teams(), holder);
        let others = self.others_holding(role, existing);
        let (affected, unaffected): (Vec<&UserInfo>, Vec<&UserInfo>) =
            people.iter().partition(|p| !others.iter().any(|o| o.user_id == p.user_id));
        let names = |list: &[&UserInfo]| list.iter().map(|p| person(p)).collect::<Vec<_>>().join(", ");
        let mut lines = if grant {
            vec![format!("Grant {role} on {target} to {}?", holder.label())]
        } else {
            vec![format!("Revoke {role} on {target} from {}?", holder.label())]
        };
        let (verb, other) =
            if grant { ("Gains", "Has it already") } else { ("Loses", "Keeps it through another grant") };
        lines.push(if affected.is_empty() {
            format!("{verb} it: nobody ({} holds no one else's access)", holder.label())
        } else {
            format!("{verb} it: {}", names(&affected))
        });
        if !unaffected.is_empty() {
            lines.push(format!("{other}: {}", names(&unaffected)));
        }
        lines
    }

    /// Whom the grant form offers: every member (people, service accounts, cloud principals)
    /// and team the directory lists, each chosen by its ID.
    fn holder_options(&self) -> Vec<PickOption> {
        let Some(d) = self.directory.value.as_ref() else { return Vec::new() };
        let users = d.users.iter().map(|u| {
            let kind = match u.user_kind {
                UserKind::ServiceAccount => "service account",
                UserKind::CloudPrincipal => "cloud principal",
                _ => "user",
            };
            let name = match u.user_kind {
                UserKind::ServiceAccount | UserKind::CloudPrincipal => u.display_name(),
                _ => Holder::User(super::users::info(u)).label(),
            };
            PickOption::new(format!("{name} · {kind}"), u.user_id.to_string())
        });
        let teams = d.teams.iter().map(|t| PickOption::new(format!("{} · team", t.name), t.team_id.to_string()));
        users.chain(teams).collect()
    }

    /// The holder a grant form names: someone listed (by ID, email or team name), or a user's
    /// ID the list does not hold (the service decides whether it is a member).
    fn resolve_holder(&self, wanted: &str) -> Option<Holder> {
        let listed = self.listed_holder(wanted);
        listed.or_else(|| {
            let id = Uuid::parse_str(wanted).ok()?;
            let unlisted =
                UserInfo { user_id: id, email: String::new(), first_name: String::new(), last_name: String::new() };
            Some(Holder::User(unlisted))
        })
    }

    fn listed_holder(&self, wanted: &str) -> Option<Holder> {
        let d = self.directory.value.as_ref()?;
        if let Some(u) =
            d.users.iter().find(|u| u.email.eq_ignore_ascii_case(wanted) || u.user_id.to_string() == wanted)
        {
            return Some(Holder::User(super::users::info(u)));
        }
        d.teams.iter().find(|t| t.name.eq_ignore_ascii_case(wanted) || t.team_id.to_string() == wanted).map(|t| {
            Holder::Team(TeamInfo { team_id: t.team_id, name: t.name.clone(), description: t.description.clone() })
        })
    }

    fn change(&self, role: &str, holder: &Holder, grant: bool) -> Option<Planned> {
        let (resource, name) = self.target.clone()?;
        let holders = match holder {
            Holder::User(u) => RoleHolders { role: role.to_string(), users: vec![u.user_id], teams: vec![] },
            Holder::Team(t) => RoleHolders { role: role.to_string(), users: vec![], teams: vec![t.team_id] },
        };
        let change = if grant {
            AccessChange { grants: vec![holders], revokes: vec![] }
        } else {
            AccessChange { grants: vec![], revokes: vec![holders] }
        };
        let label = if grant { "grant role" } else { "revoke role" };
        Some(Planned::change(
            Mutation::People(PeopleChange::ChangeAccess { resource, change }),
            label,
            if grant { "granted" } else { "revoked" },
            None,
            format!("{role} on {name}"),
        ))
    }
}

impl Pane for AccessPane {
    const ID: PaneId = PaneId::Access;
    const TITLE: &'static str = "Access";
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = PeopleReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        let Some((resource, _)) = self.target.clone() else { return Vec::new() };
        let mut effects = Vec::new();
        if let Some(id) = self.roles.start(cx.requests, Purpose::Pane(PaneId::Access)) {
            effects.push(Effect::Fetch { id, fetch: Fetch::People(PeopleRequest::Access(resource)) });
        }
        if let Some(id) = self.directory.start(cx.requests, Purpose::Pane(PaneId::Access)) {
            effects.push(Effect::Fetch { id, fetch: Fetch::People(PeopleRequest::Directory) });
        }
        effects
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<PeopleReply, ApiError>) -> Vec<Effect> {
        let now = cx.now;
        let mut again = false;
        if self.directory.owns(id) {
            let result = match reply {
                Ok(PeopleReply::Directory(d)) => Ok(*d),
                Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
                Err(e) => Err(Failure::from_api(&e, now)),
            };
            self.directory.accept(id, result, now);
            again |= self.directory.take_queued();
            // A grant form opened before the members and teams were read offers them now.
            let options = self.holder_options();
            if cx.here == PaneId::Access
                && let Some(Modal::Form(f)) = cx.modals.last_mut()
                && let Some(Field { kind: FieldKind::Pick(p), .. }) = f.form.field_mut("holder")
            {
                p.set_options(options);
            }
        } else {
            let result = match reply {
                // A reply about another resource (the view moved on) is not this list.
                Ok(PeopleReply::Access { resource, roles })
                    if self.target.as_ref().map(|t| &t.0) == Some(&resource) =>
                {
                    Ok(roles)
                }
                Ok(PeopleReply::Access { .. }) => Err(Failure::new("the view moved on", now)),
                Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
                Err(e) => Err(Failure::from_api(&e, now)),
            };
            if !self.roles.accept(id, result, now) {
                return Vec::new();
            }
            again |= self.roles.take_queued();
        }
        self.rebuild(cx);
        if again { self.refresh(cx) } else { Vec::new() }
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        match action {
            Action::Create => {
                let Some(target) = self.target.as_ref() else { return Vec::new() };
                let roles: Vec<String> = self.roles.value.iter().flatten().map(|r| r.role.clone()).collect();
                if roles.is_empty() {
                    cx.toast(Level::Error, "The roles are not read yet.");
                    return Vec::new();
                }
                let form = Form::new(
                    format!("Grant a role on {}", title_of(target, self.version)),
                    vec![
                        Field::choice("role", "Role", roles, 0),
                        Field::pick("holder", "To", self.holder_options())
                            .validate(|s| if s.trim().is_empty() { Err("required".into()) } else { Ok(()) })
                            .hint(HOLDER_HINT),
                    ],
                );
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
                Vec::new()
            }
            Action::Delete => {
                let Some((role, grant)) = self.selected() else { return Vec::new() };
                if let Some(why) = self.refusal(role, grant) {
                    cx.toast(Level::Error, why);
                    return Vec::new();
                }
                let lines = self.review(role, &grant.identity, false, Some(grant));
                if let Some(planned) = self.change(role, &grant.identity, false) {
                    cx.modals.push(Modal::Confirm(Confirm::new("Review access change", lines, vec![planned])));
                }
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
        let (role, wanted) = (f.form.value("role"), f.form.value("holder").trim().to_string());
        // Without the members and teams no name can be looked up: say so, never "no such name".
        if self.directory.value.is_none() {
            let why = match &self.directory.error {
                Some(f) => format!(
                    "could not read the members and teams ({}); reading them again: press enter in a moment",
                    f.message
                ),
                None => "still reading the members and teams; press enter again in a moment".to_string(),
            };
            // The form keeps every key (ctrl-r included): the read is asked for here, not left to the user.
            let mut effects = Vec::new();
            if self.directory.error.is_some()
                && let Some(id) = self.directory.start(cx.requests, Purpose::Pane(PaneId::Access))
            {
                effects.push(Effect::Fetch { id, fetch: Fetch::People(PeopleRequest::Directory) });
            }
            effects.extend(super::ops::submit(cx, Err(why)));
            return effects;
        }
        let Some(holder) = self.resolve_holder(&wanted) else {
            let why = format!("no member or team is called {wanted:?}; a user not listed can be named by their ID");
            return super::ops::submit(cx, Err(why));
        };
        let direct = self.roles.value.iter().flatten().filter(|r| r.role == role).flat_map(|r| &r.grants);
        if direct.filter(|g| g.inherited_from.is_none()).any(|g| g.identity.id() == holder.id()) {
            return super::ops::submit(cx, Err(format!("{} already holds {role} here", holder.label())));
        }
        let lines = self.review(&role, &holder, true, None);
        let Some(planned) = self.change(&role, &holder, true) else { return Vec::new() };
        cx.modals.pop();
        cx.modals.push(Modal::Confirm(Confirm::new("Review access change", lines, vec![planned])));
        Vec::new()
    }

    fn place(&self) -> Option<Uuid> {
        self.target.as_ref().map(|t| t.0.id)
    }

    fn arrive(&mut self, cx: &mut Ctx, place: Option<Uuid>) -> Vec<Effect> {
        self.version = cx.session.api_version;
        let asked = cx.data.access.clone().filter(|t| Some(t.0.id) == place);
        let known = || self.visited.iter().find(|t| Some(t.0.id) == place).cloned();
        let Some(target) = asked.or_else(known) else { return Vec::new() };
        if !self.visited.contains(&target) {
            self.visited.push(target.clone());
        }
        if self.target.as_ref() != Some(&target) {
            self.target = Some(target);
            self.roles = Resource::default();
            self.table.set_rows(Vec::new());
        }
        Vec::new()
    }

    fn breadcrumbs(&self, _view: &View) -> Option<Vec<String>> {
        Some(vec!["Access".into(), self.title().unwrap_or_default()])
    }

    fn rebuild(&mut self, cx: &Ctx) {
        let teams = self.teams();
        let rows = self
            .roles
            .value
            .iter()
            .flatten()
            .flat_map(|r| r.grants.iter().map(move |g| (r, g)))
            .map(|(r, g)| {
                let how = match &g.inherited_from {
                    None => "direct".to_string(),
                    Some(f) => format!("from {} on the {}", f.role, ResourceType::from_wire(&f.resource_type).noun()),
                };
                let (kind, people) = match &g.identity {
                    Holder::User(_) => ("user", "1".to_string()),
                    Holder::Team(_) if teams.is_empty() => ("team", "…".to_string()),
                    Holder::Team(_) => ("team", people_of(teams, &g.identity).len().to_string()),
                };
                Row::new(
                    row_key(&r.role, g),
                    vec![
                        r.role.clone(),
                        g.identity.label(),
                        kind.to_string(),
                        how,
                        people,
                        if g.created_at.is_empty() { "-".into() } else { age(cx.wall, &g.created_at) },
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
        Some(self.roles.fetched_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let t = view.theme;
        let what = self.title().unwrap_or_else(|| "nothing yet".into());
        let mut title = vec![
            Span::styled(format!(" Access to {what} "), t.title),
            Span::styled(format!("[{}/{}] ", self.table.len(), self.table.total()), t.dim),
        ];
        title.extend(status::stale(&self.roles, view.now, t));
        let empty = match &self.target {
            None => format!(
                "Press a on the organization, a {}, a secret or a team.",
                noun(&ResourceType::Cluster, view.session.api_version)
            ),
            Some(_) => {
                let none = "Nobody holds a role here. Press c to grant one.";
                status::empty("access", &self.roles, none, view.requests.next_refresh, view.now)
            }
        };
        table::render(frame, area, &self.table, t, Line::from(title), &empty);
    }
}

/// Whether `user` is in `team` (directly or through a team inside it).
pub fn in_team(teams: &[Team], user: Uuid, team: Uuid) -> bool {
    teams_holding(teams, user).iter().any(|t| t.team_id == team)
}
