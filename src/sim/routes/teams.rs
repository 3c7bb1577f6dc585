//! Teams and their member users and teams.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json as j};
use uuid::Uuid;

use super::{Params, decode, json, path_id};
use crate::api::types::*;
use crate::sim::extract::JsonBody;
use crate::sim::world::AuditEvent;
use crate::sim::{AppState, SimError, SimResult};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/teams", get(list).post(create))
        .route("/v1/teams/{teamID}", get(one).patch(update).delete(delete))
}

/// A `name`/`description` filter: an exact value, or a regular expression.
pub struct TextFilter {
    raw: String,
    re: Option<regex::Regex>,
}

impl TextFilter {
    pub fn new(raw: &str) -> Self {
        Self { raw: raw.to_string(), re: regex::Regex::new(raw).ok() }
    }
    pub fn matches(&self, s: &str) -> bool {
        s == self.raw || self.re.as_ref().is_some_and(|re| re.is_match(s))
    }
}

async fn list(State(s): State<AppState>, p: Params) -> Response {
    let name = p.get("name").map(TextFilter::new);
    let description = p.get("description").map(TextFilter::new);
    let w = s.world();
    let teams: Vec<&Team> = w
        .teams
        .values()
        .filter(|t| name.as_ref().is_none_or(|f| f.matches(&t.name)))
        .filter(|t| description.as_ref().is_none_or(|f| f.matches(&t.description)))
        .collect();
    json(&teams)
}

async fn one(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "teamID")?;
    let w = s.world();
    let team = w.teams.get(&id).ok_or_else(|| SimError::not_found(format!("team {id} not found")))?;
    Ok(json(team))
}

fn validate_name(name: &str) -> SimResult<()> {
    if name.trim().is_empty() {
        return Err(SimError::bad_request("team name must not be empty"));
    }
    if name.chars().count() > 256 {
        return Err(SimError::bad_request("team name must be at most 256 characters long"));
    }
    Ok(())
}

async fn create(State(s): State<AppState>, JsonBody(body): JsonBody<Value>) -> SimResult<Response> {
    let body: TeamCreate = decode(body)?;
    validate_name(&body.name)?;
    let mut w = s.world();
    if w.teams.values().any(|t| t.name == body.name) {
        return Err(SimError::bad_request(format!("a team named \"{}\" already exists", body.name)));
    }
    let id = Uuid::new_v4();
    let team = Team {
        team_id: id,
        name: body.name.clone(),
        description: body.description.unwrap_or_default(),
        created_at: Some(format_time(w.clock.now())),
        member_users: Some(Vec::new()),
        member_teams: Some(Vec::new()),
        extra: Default::default(),
    };
    w.teams.insert(id, team.clone());
    w.audit_api(AuditEvent {
        kind: "Team.Create".into(),
        reason: format!("Team \"{}\" created", team.name),
        team_id: Some(id),
        ..Default::default()
    });
    Ok(json(&team))
}

async fn update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let id = path_id(&id, "teamID")?;
    let body: TeamUpdate = decode(body)?;
    let mut w = s.world();
    if !w.teams.contains_key(&id) {
        return Err(SimError::not_found(format!("team {id} not found")));
    }
    if let Some(n) = &body.name {
        validate_name(n)?;
        if w.teams.values().any(|t| t.team_id != id && &t.name == n) {
            return Err(SimError::bad_request(format!("a team named \"{n}\" already exists")));
        }
    }
    // Resolve every referenced user and team first, so a bad reference changes nothing.
    let user = |uid: &Uuid| {
        w.user_by_id(*uid)
            .cloned()
            .ok_or_else(|| SimError::bad_request(format!("user {uid} is not a member of the organization")))
    };
    let by_email = |e: &String| {
        w.user_by_email(e)
            .cloned()
            .ok_or_else(|| SimError::bad_request(format!("no user with email {e} in the organization")))
    };
    let add_users: Vec<UserInfo> = body
        .add_member_user_ids
        .iter()
        .map(user)
        .chain(body.add_member_user_emails.iter().map(by_email))
        .collect::<SimResult<_>>()?;
    let remove_users: Vec<UserInfo> = body
        .remove_member_user_ids
        .iter()
        .map(user)
        .chain(body.remove_member_user_emails.iter().map(by_email))
        .collect::<SimResult<_>>()?;
    let team_info = |tid: &Uuid| {
        if *tid == id {
            return Err(SimError::bad_request("a team cannot be a member of itself"));
        }
        w.teams
            .get(tid)
            .map(|t| TeamInfo { team_id: t.team_id, name: t.name.clone(), description: t.description.clone() })
            .ok_or_else(|| SimError::bad_request(format!("team {tid} not found")))
    };
    let add_teams: Vec<TeamInfo> = body.add_member_team_ids.iter().map(team_info).collect::<SimResult<_>>()?;
    for tid in &body.remove_member_team_ids {
        if !w.teams.contains_key(tid) {
            return Err(SimError::bad_request(format!("team {tid} not found")));
        }
    }
    let Some(team) = w.teams.get_mut(&id) else {
        return Err(SimError::not_found(format!("team {id} not found")));
    };
    let mut changes: Vec<String> = Vec::new();
    if let Some(n) = body.name {
        changes.push(format!("renamed from \"{}\"", team.name));
        team.name = n;
    }
    if let Some(d) = body.description {
        team.description = d;
        changes.push("description changed".into());
    }
    let users = team.member_users.get_or_insert_with(Vec::new);
    for u in add_users {
        if !users.iter().any(|m| m.user_id == u.user_id) {
            changes.push(format!("added {}", u.email));
            users.push(u);
        }
    }
    for u in remove_users {
        if users.iter().any(|m| m.user_id == u.user_id) {
            changes.push(format!("removed {}", u.email));
            users.retain(|m| m.user_id != u.user_id);
        }
    }
    let teams = team.member_teams.get_or_insert_with(Vec::new);
    for t in add_teams {
        if !teams.iter().any(|m| m.team_id == t.team_id) {
            changes.push(format!("added team \"{}\"", t.name));
            teams.push(t);
        }
    }
    for tid in &body.remove_member_team_ids {
        if let Some(pos) = teams.iter().position(|m| m.team_id == *tid) {
            changes.push(format!("removed team \"{}\"", teams[pos].name));
            teams.remove(pos);
        }
    }
    let name = team.name.clone();
    let description = team.description.clone();
    // Teams that hold this one show its current name and description.
    for t in w.teams.values_mut() {
        for m in t.member_teams.iter_mut().flatten().filter(|m| m.team_id == id) {
            m.name = name.clone();
            m.description = description.clone();
        }
    }
    let what = if changes.is_empty() { "nothing".to_string() } else { changes.join(", ") };
    w.audit_api(AuditEvent {
        kind: "Team.Update".into(),
        reason: format!("Team \"{name}\" updated: {what}"),
        team_id: Some(id),
        attributes: Some(j!({ "changes": changes })),
        ..Default::default()
    });
    Ok(json(&TeamIdReply { team_id: id }))
}

async fn delete(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "teamID")?;
    let mut w = s.world();
    let team = w.teams.remove(&id).ok_or_else(|| SimError::not_found(format!("team {id} not found")))?;
    for t in w.teams.values_mut() {
        if let Some(m) = t.member_teams.as_mut() {
            m.retain(|x| x.team_id != id);
        }
    }
    w.audit_api(AuditEvent {
        kind: "Team.Delete".into(),
        reason: format!("Team \"{}\" deleted", team.name),
        team_id: Some(id),
        ..Default::default()
    });
    Ok(json(&TeamIdReply { team_id: id }))
}
