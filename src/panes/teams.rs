//! Teams and their members: list, describe (who is in it), create, edit (rename, add and
//! remove members by email or ID), delete.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use serde_json::json;
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::ops::{self, Planned};
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::age;
use crate::state::{Data, Failure, PaneId, Purpose, Resource};
use crate::widgets::form::{self, Field, Form};
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::status;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Teams), "enter", Action::Open, "members", "Show the team's member users and teams"),
    (Context::Pane(PaneId::Teams), "c", Action::Create, "create", "Create a team"),
    (Context::Pane(PaneId::Teams), "a", Action::Access, "", "Who holds which role on the team"),
    (Context::Pane(PaneId::Teams), "e", Action::Edit, "edit", "Rename, describe, add or remove members"),
    (Context::Pane(PaneId::Teams), "ctrl-d", Action::Delete, "delete", "Delete the team (type its name to confirm)"),
    (Context::Pane(PaneId::Teams), "y", Action::Copy, "", "Copy the team ID"),
];

/// The API's limit on team names.
const NAME_MAX: usize = 256;

#[derive(Debug)]
pub struct TeamsPane {
    pub table: TableState,
    /// A describe waiting for the full team (the list came without members).
    describing: Resource<()>,
}

impl Default for TeamsPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("NAME", Constraint::Fill(2)).min(16),
                Column::new("DESCRIPTION", Constraint::Fill(3)).min(16).optional(2),
                Column::new("USERS", Constraint::Length(5)),
                Column::new("TEAMS", Constraint::Length(5)),
                Column::new("CREATED", Constraint::Length(7)).optional(1),
            ]),
            describing: Resource::default(),
        }
    }
}

/// Reads what the pane shows (when it becomes visible and on every refresh).
fn refresh(cx: &mut Ctx) -> Vec<Effect> {
    let Some(id) = cx.data.teams.start(cx.requests, Purpose::Pane(PaneId::Teams)) else { return Vec::new() };
    vec![Effect::Fetch { id, fetch: Fetch::Teams(TeamsRequest::List) }]
}

pub fn on_reply(p: &mut TeamsPane, cx: &mut Ctx, id: RequestId, reply: Result<TeamsReply, ApiError>) -> Vec<Effect> {
    let mut effects = Vec::new();
    if cx.data.teams.owns(id) {
        let now = cx.now;
        let result = match reply {
            Ok(TeamsReply::List(mut teams)) => {
                teams.sort_by_key(|t| t.name.to_lowercase());
                Ok(teams)
            }
            Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
            Err(e) => Err(Failure::from_api(&e, now)),
        };
        cx.data.teams.accept(id, result, now);
        rebuild(p, cx);
        if cx.data.teams.take_queued() {
            effects.extend(refresh(cx));
        }
        return effects;
    }
    if p.describing.finish(id) {
        match reply {
            Ok(TeamsReply::One(team)) => {
                merge(p, cx, team.clone());
                describe(cx, &team);
            }
            Ok(_) => {}
            Err(e) => cx.toasts.push(cx.now, Level::Error, format!("Reading the team failed: {e}")),
        }
    }
    effects
}

/// One of this pane's changes was accepted; `reply` is what the API answered.
pub fn on_changed(p: &mut TeamsPane, cx: &mut Ctx, reply: &TeamsReply) -> Vec<Effect> {
    match reply {
        TeamsReply::Created(team) => {
            let key = team.team_id.to_string();
            merge(p, cx, team.clone());
            p.table.select_key(&key);
        }
        TeamsReply::Deleted(id) => {
            if let Some(list) = cx.data.teams.value.as_mut() {
                list.retain(|t| t.team_id != *id);
                // Other teams no longer hold it.
                for t in list.iter_mut() {
                    if let Some(m) = t.member_teams.as_mut() {
                        m.retain(|x| x.team_id != *id);
                    }
                }
            }
            rebuild(p, cx);
        }
        TeamsReply::Updated(_) | TeamsReply::List(_) | TeamsReply::One(_) => {}
    }
    Vec::new()
}

fn merge(p: &mut TeamsPane, cx: &mut Ctx, team: Team) {
    let list = cx.data.teams.value.get_or_insert_with(Vec::new);
    match list.iter_mut().find(|t| t.team_id == team.team_id) {
        Some(existing) => *existing = team,
        None => {
            list.push(team);
            list.sort_by_key(|t| t.name.to_lowercase());
        }
    }
    rebuild(p, cx);
}

fn count<T>(members: &Option<Vec<T>>) -> String {
    members.as_ref().map_or("-".into(), |m| m.len().to_string())
}

/// "1 user", "2 users", or "- users" when the API did not say.
fn members<T>(members: &Option<Vec<T>>, one: &str, many: &str) -> String {
    members.as_ref().map_or(format!("- {many}"), |m| crate::widgets::count(m.len(), one, many))
}

fn rebuild(p: &mut TeamsPane, cx: &Ctx) {
    let rows = cx
        .data
        .teams
        .value
        .iter()
        .flatten()
        .map(|t| {
            Row::new(
                t.team_id.to_string(),
                vec![
                    t.name.clone(),
                    t.description.clone(),
                    count(&t.member_users),
                    count(&t.member_teams),
                    t.created_at.as_deref().map_or("-".into(), |c| age(cx.wall, c)),
                ],
            )
        })
        .collect();
    p.table.set_rows(rows);
}

fn selected<'a>(p: &TeamsPane, data: &'a Data) -> Option<&'a Team> {
    let id = Uuid::parse_str(p.table.selected_key()?).ok()?;
    data.teams.value.as_ref()?.iter().find(|t| t.team_id == id)
}

fn person(u: &UserInfo) -> String {
    let name = format!("{} {}", u.first_name, u.last_name);
    match name.trim() {
        "" => u.email.clone(),
        name => format!("{name} <{}>", u.email),
    }
}

/// The readable view of a team: members by name and email (keys print sorted).
pub fn describe_value(team: &Team) -> serde_json::Value {
    let users: Vec<String> = team.member_users.iter().flatten().map(person).collect();
    let teams: Vec<String> = team.member_teams.iter().flatten().map(|t| t.name.clone()).collect();
    json!({
        "name": team.name,
        "description": team.description,
        "memberUsers": users,
        "memberTeams": teams,
        "teamID": team.team_id,
        "createdAt": team.created_at,
    })
}

fn describe(cx: &mut Ctx, team: &Team) {
    let title = format!(
        "team {} ({}, {})",
        team.name,
        members(&team.member_users, "user", "users"),
        members(&team.member_teams, "team", "teams")
    );
    cx.modals.push(Modal::Describe(JsonView::new(title, &describe_value(team))));
}

pub fn on_action(p: &mut TeamsPane, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    match action {
        Action::Access => {
            if let Some((id, name)) = selected(p, cx.data).map(|t| (t.team_id, t.name.clone())) {
                super::access::open(cx, ResourceRef::new(ResourceType::Team, id), name);
            }
            Vec::new()
        }
        Action::Describe | Action::Open => {
            let Some(team) = selected(p, cx.data).cloned() else { return Vec::new() };
            if team.member_users.is_some() {
                describe(cx, &team);
                return Vec::new();
            }
            // The list came without members: ask for the one team.
            let id = p.describing.restart(cx.requests, Purpose::Pane(PaneId::Teams));
            vec![Effect::Fetch { id, fetch: Fetch::Teams(TeamsRequest::One(team.team_id)) }]
        }
        Action::Copy => match selected(p, cx.data).map(|t| (t.name.clone(), t.team_id)) {
            Some((name, id)) => cx.copy(id.to_string(), format!("Copied the ID of {name}")),
            None => Vec::new(),
        },
        Action::Create => {
            let form = Form::new(
                "Create team",
                vec![
                    Field::text("name", "Name", "").validate(team_name),
                    Field::text("description", "Description", "").hint("optional"),
                ],
            );
            cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::CreateTeam, request: None }));
            Vec::new()
        }
        Action::Edit => {
            if let Some(t) = selected(p, cx.data) {
                let form = edit_form(t);
                let id = t.team_id;
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::EditTeam(id), request: None }));
            }
            Vec::new()
        }
        Action::Delete => {
            if let Some(t) = selected(p, cx.data) {
                let mut lines = vec![format!("Delete team {}?", t.name)];
                let users = t.member_users.as_ref().map_or(0, Vec::len);
                let teams = t.member_teams.as_ref().map_or(0, Vec::len);
                if users + teams > 0 {
                    let (users, teams) =
                        (crate::widgets::count(users, "user", "users"), crate::widgets::count(teams, "team", "teams"));
                    lines.push(format!("Its {users} and {teams} lose the roles granted through it."));
                }
                lines.push("This cannot be undone.".into());
                let delete = Mutation::Team(TeamsChange::Delete { id: t.team_id });
                let name = t.name.clone();
                let planned = Planned::change(delete, "delete team", "deleted", Some(t.team_id), &name);
                ops::confirm_typed(cx, "Delete team", lines, name, planned);
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn edit_form(t: &Team) -> Form {
    Form::new(
        format!("Edit team {}", t.name),
        vec![
            Field::text("name", "Name", &t.name).validate(team_name),
            Field::text("description", "Description", &t.description),
            Field::text("add_users", "Add users", "").validate(user_list).hint("emails or user IDs, comma-separated"),
            Field::text("remove_users", "Remove users", "")
                .validate(user_list)
                .hint("emails or user IDs, comma-separated"),
            Field::text("add_teams", "Add teams", "").validate(team_list).hint("team names or IDs, comma-separated"),
            Field::text("remove_teams", "Remove teams", "")
                .validate(team_list)
                .hint("team names or IDs, comma-separated"),
        ],
    )
}

// ───────────────────────────── validation ─────────────────────────────

/// A team name: not blank, at most 256 characters.
pub fn team_name(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        return Err("required".into());
    }
    if s.chars().count() > NAME_MAX {
        return Err(format!("at most {NAME_MAX} characters"));
    }
    Ok(())
}

/// An email address of the usual shape: `local@domain.tld`, no spaces.
pub fn email(s: &str) -> Result<(), String> {
    let bad = || Err(format!("{s:?} is not an email address"));
    let Some((local, domain)) = s.split_once('@') else { return bad() };
    let ok_local = !local.is_empty()
        && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let ok_domain = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if ok_local && ok_domain { Ok(()) } else { bad() }
}

/// Comma- or space-separated emails and user IDs; empty allowed.
pub fn user_list(s: &str) -> Result<(), String> {
    form::split_list(s).try_for_each(|item| {
        if Uuid::parse_str(item).is_ok() {
            return Ok(());
        }
        email(item).map_err(|_| format!("{item:?} is neither an email address nor a user ID"))
    })
}

/// Team names may hold spaces, so only commas separate them.
fn split_teams(s: &str) -> impl Iterator<Item = &str> {
    s.split(',').map(str::trim).filter(|p| !p.is_empty())
}

/// Comma-separated team names or IDs; empty allowed.
pub fn team_list(s: &str) -> Result<(), String> {
    split_teams(s).try_for_each(team_name)
}

// ───────────────────────────── forms → changes ─────────────────────────────

/// What is wrong with a submitted form: at a field, or with the form as a whole.
pub type Problem = (Option<&'static str>, String);

/// Runs `plan` on the form on top of the modal stack. On a problem the form stays open with the
/// message at its field (or under the form) and nothing is returned; nothing is sent.
pub fn plan_in_form<T>(cx: &mut Ctx, plan: impl FnOnce(&Ctx, &FormModal) -> Result<T, Problem>) -> Option<T> {
    let Some(Modal::Form(mut modal)) = cx.modals.pop() else { return None };
    let result = plan(cx, &modal);
    let out = match result {
        Ok(v) => Some(v),
        Err((field, message)) => {
            match field.and_then(|name| modal.form.fields.iter().position(|f| f.name == name)) {
                Some(i) => {
                    modal.form.fields[i].error = Some(message);
                    modal.form.focus = i;
                    modal.form.server_error = None;
                }
                None => {
                    modal.form.server_error = Some(message);
                    modal.form.error_prefix = "";
                }
            }
            None
        }
    };
    cx.modals.push(Modal::Form(modal));
    out
}

/// The change a submitted teams form asks for, and for an edit, the lines that say what changes.
fn plan(cx: &mut Ctx) -> Option<(Planned, Option<Vec<String>>)> {
    plan_in_form(cx, |cx, modal| match modal.purpose {
        FormPurpose::CreateTeam => planned_create(&modal.form).map(|p| (p, None)),
        FormPurpose::EditTeam(id) => planned_update(cx.data, id, &modal.form).map(|(p, d)| (p, Some(d))),
        _ => Err((None, "not a teams form".into())),
    })
}

pub fn planned_create(form: &Form) -> Result<Planned, Problem> {
    let name = form.value("name").trim().to_string();
    team_name(&name).map_err(|e| (Some("name"), e))?;
    let description = form.value("description").trim().to_string();
    let body = TeamCreate { name: name.clone(), description: (!description.is_empty()).then_some(description) };
    Ok(Planned::change(Mutation::Team(TeamsChange::Create(body)), "create team", "created", None, name))
}

/// Splits a users field into IDs and emails (emails lower-cased, duplicates dropped).
fn users_of(s: &str) -> (Vec<Uuid>, Vec<String>) {
    let (mut ids, mut emails) = (Vec::new(), Vec::<String>::new());
    for item in form::split_list(s) {
        match Uuid::parse_str(item) {
            Ok(id) if !ids.contains(&id) => ids.push(id),
            Ok(_) => {}
            Err(_) => {
                let e = item.to_lowercase();
                if !emails.contains(&e) {
                    emails.push(e);
                }
            }
        }
    }
    (ids, emails)
}

/// Resolves a teams field to IDs through the known teams.
fn teams_of(data: &Data, field: &'static str, s: &str) -> Result<Vec<(Uuid, String)>, Problem> {
    let known = data.teams.value.as_deref().unwrap_or_default();
    let mut out: Vec<(Uuid, String)> = Vec::new();
    for item in split_teams(s) {
        let found = match Uuid::parse_str(item) {
            Ok(id) => known.iter().find(|t| t.team_id == id).map_or((id, item.to_string()), |t| (id, t.name.clone())),
            Err(_) => {
                let mut hits = known.iter().filter(|t| t.name.eq_ignore_ascii_case(item));
                match (hits.next(), hits.next()) {
                    (Some(t), None) => (t.team_id, t.name.clone()),
                    (Some(_), Some(_)) => {
                        return Err((Some(field), format!("several teams are named {item:?}: use the ID")));
                    }
                    (None, _) => return Err((Some(field), format!("no team named {item:?}"))),
                }
            }
        };
        if !out.iter().any(|(id, _)| *id == found.0) {
            out.push(found);
        }
    }
    Ok(out)
}

fn who(data: &Data, team: &Team, id: Uuid) -> String {
    team.member_users
        .iter()
        .flatten()
        .find(|u| u.user_id == id)
        .map(|u| u.email.clone())
        .or_else(|| {
            data.teams
                .value
                .iter()
                .flatten()
                .flat_map(|t| t.member_users.iter().flatten())
                .find(|u| u.user_id == id)
                .map(|u| u.email.clone())
        })
        .unwrap_or_else(|| id.to_string())
}

/// The update for a submitted edit form, and the lines that say what changes.
pub fn planned_update(data: &Data, id: Uuid, form: &Form) -> Result<(Planned, Vec<String>), Problem> {
    let team =
        data.teams.value.iter().flatten().find(|t| t.team_id == id).ok_or((None, "the team is gone".to_string()))?;
    let mut body = TeamUpdate::default();
    let mut diff = Vec::new();
    let name = form.value("name").trim().to_string();
    team_name(&name).map_err(|e| (Some("name"), e))?;
    if name != team.name {
        diff.push(format!("name: {} → {name}", team.name));
        body.name = Some(name);
    }
    let description = form.value("description").trim().to_string();
    if description != team.description {
        diff.push(format!("description: {:?} → {description:?}", team.description));
        body.description = Some(description);
    }
    let is_member_email = |e: &str| team.member_users.iter().flatten().any(|u| u.email.eq_ignore_ascii_case(e));
    let is_member_id = |i: Uuid| team.member_users.iter().flatten().any(|u| u.user_id == i);

    let (add_ids, add_emails) = users_of(&form.value("add_users"));
    let (remove_ids, remove_emails) = users_of(&form.value("remove_users"));
    for e in &add_emails {
        if remove_emails.contains(e) {
            return Err((Some("remove_users"), format!("{e} is both added and removed")));
        }
    }
    for i in &add_ids {
        if remove_ids.contains(i) {
            return Err((Some("remove_users"), format!("{i} is both added and removed")));
        }
    }
    let mut adds: Vec<String> = add_emails
        .iter()
        .map(|e| if is_member_email(e) { format!("{e} (already a member)") } else { e.clone() })
        .collect();
    adds.extend(add_ids.iter().map(|i| {
        if is_member_id(*i) { format!("{} (already a member)", who(data, team, *i)) } else { who(data, team, *i) }
    }));
    let mut removes: Vec<String> = Vec::new();
    for e in &remove_emails {
        if !is_member_email(e) {
            return Err((Some("remove_users"), format!("{e} is not a member of {}", team.name)));
        }
        removes.push(e.clone());
    }
    for i in &remove_ids {
        if !is_member_id(*i) {
            return Err((Some("remove_users"), format!("{i} is not a member of {}", team.name)));
        }
        removes.push(who(data, team, *i));
    }
    if !adds.is_empty() {
        diff.push(format!("add users: {}", adds.join(", ")));
    }
    if !removes.is_empty() {
        diff.push(format!("remove users: {}", removes.join(", ")));
    }
    body.add_member_user_ids = add_ids;
    body.add_member_user_emails = add_emails;
    body.remove_member_user_ids = remove_ids;
    body.remove_member_user_emails = remove_emails;

    let add_teams = teams_of(data, "add_teams", &form.value("add_teams"))?;
    let remove_teams = teams_of(data, "remove_teams", &form.value("remove_teams"))?;
    if add_teams.iter().any(|(t, _)| *t == id) {
        return Err((Some("add_teams"), "a team cannot be a member of itself".into()));
    }
    for (t, name) in &remove_teams {
        if !team.member_teams.iter().flatten().any(|m| m.team_id == *t) {
            return Err((Some("remove_teams"), format!("{name} is not a member of {}", team.name)));
        }
    }
    if !add_teams.is_empty() {
        diff.push(format!("add teams: {}", add_teams.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")));
    }
    if !remove_teams.is_empty() {
        diff.push(format!(
            "remove teams: {}",
            remove_teams.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    body.add_member_team_ids = add_teams.into_iter().map(|(t, _)| t).collect();
    body.remove_member_team_ids = remove_teams.into_iter().map(|(t, _)| t).collect();

    if body == TeamUpdate::default() {
        return Err((None, "nothing changed".into()));
    }
    Ok((
        Planned::change(
            Mutation::Team(TeamsChange::Update { id, body }),
            "update team",
            "updated",
            Some(id),
            team.name.clone(),
        ),
        diff,
    ))
}

pub fn render(frame: &mut Frame, area: Rect, p: &TeamsPane, cx: &View) {
    let t = &cx.theme;
    let table = &p.table;
    let mut title =
        vec![Span::styled(" Teams ", t.title), Span::styled(format!("[{}/{}] ", table.len(), table.total()), t.dim)];
    title.extend(status::stale(&cx.data.teams, cx.now, t));
    let none = "No teams. Press c to create one.";
    let empty = status::empty("teams", &cx.data.teams, none, cx.requests.next_refresh, cx.now);
    table::render(frame, area, table, t, Line::from(title), &empty);
}

impl Pane for TeamsPane {
    const ID: PaneId = PaneId::Teams;
    const TITLE: &'static str = "Teams";
    const COMMAND: Option<Command> =
        Some(Command { name: "teams", aliases: &["team"], help: "Teams and their members" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = TeamsReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        refresh(cx)
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<TeamsReply, ApiError>) -> Vec<Effect> {
        on_reply(self, cx, id, reply)
    }

    fn on_changed(&mut self, cx: &mut Ctx, reply: &TeamsReply) -> Vec<Effect> {
        on_changed(self, cx, reply)
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        on_action(self, cx, action)
    }

    fn on_form(&mut self, cx: &mut Ctx, _purpose: FormPurpose) -> Vec<Effect> {
        // A problem is put at the field it concerns; `None` means the form says why.
        match plan(cx) {
            Some(planned) => super::ops::submit(cx, Ok(planned)),
            None => Vec::new(),
        }
    }

    fn rebuild(&mut self, cx: &Ctx) {
        rebuild(self, cx);
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn freshness(&self, view: &View) -> Option<Option<std::time::Instant>> {
        Some(view.data.teams.fetched_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        render(frame, area, self, view);
    }
}
