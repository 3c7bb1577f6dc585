//! Members of the organization and the roles they hold.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json as j};

use super::super::{Params, decode, json, json_fields, path_id};
use super::{empty_ok, forget_member, valid_email};
use crate::api::types::*;
use crate::sim::extract::JsonBody;
use crate::sim::people::{HolderId, known_type};
use crate::sim::routes::teams::TextFilter;
use crate::sim::world::{AuditEvent, User};
use crate::sim::{AppState, SimError, SimResult};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/users", get(list).post(add))
        .route("/v1/users/current", get(current))
        .route("/v1/users/{userID}", get(one).delete(remove))
        .route("/v1/users/{userID}/identityRoles", get(user_roles))
        .route("/v1/teams/{teamID}/identityRoles", get(team_roles))
}

async fn list(State(s): State<AppState>, p: Params) -> Response {
    let email = p.get("email").map(TextFilter::new);
    let users: Vec<OrgUser> =
        s.world().org_users().into_iter().filter(|u| email.as_ref().is_none_or(|f| f.matches(&u.email))).collect();
    json_fields(&users, &p)
}

async fn current(State(s): State<AppState>, p: Params) -> SimResult<Response> {
    let w = s.world();
    let me = w.org_user(w.api_user.user_id).ok_or_else(|| SimError::not_found("the API key's user is gone"))?;
    Ok(json_fields(&me, &p))
}

async fn one(State(s): State<AppState>, Path(id): Path<String>, p: Params) -> SimResult<Response> {
    let id = path_id(&id, "userID")?;
    let user = s.world().org_user(id).ok_or_else(|| SimError::not_found(format!("user {id} not found")))?;
    Ok(json_fields(&user, &p))
}

async fn add(State(s): State<AppState>, JsonBody(body): JsonBody<Value>) -> SimResult<Response> {
    let body: UserAdd = decode(body)?;
    let email = body.email.trim();
    if !valid_email(email) {
        return Err(SimError::bad_request(format!("invalid email address {email:?}")));
    }
    let mut w = s.world();
    if w.user_by_email(email).is_some() {
        return Err(SimError::bad_request(format!("{email} is already a member of the organization")));
    }
    let Some(pos) = w.people.accounts.iter().position(|a| a.email.eq_ignore_ascii_case(email)) else {
        return Err(SimError::not_found(format!("no SingleStore user with email {email}; invite the address instead")));
    };
    let info = w.people.accounts.remove(pos);
    w.users.push(User { info: info.clone() });
    w.audit_api(AuditEvent {
        kind: "User.Add".into(),
        reason: format!("User {} added to the organization", info.email),
        attributes: Some(j!({ "userID": info.user_id, "email": info.email })),
        ..Default::default()
    });
    Ok(empty_ok())
}

async fn remove(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "userID")?;
    let mut w = s.world();
    let user = w.org_user(id).ok_or_else(|| SimError::not_found(format!("user {id} not found")))?;
    if id == w.api_user.user_id {
        return Err(SimError::bad_request("you cannot remove yourself from the organization"));
    }
    if w.org_owners() == [id] {
        return Err(SimError::bad_request(format!(
            "{} is the organization's last Owner; make someone else Owner first",
            user.email
        )));
    }
    let was_person = w.users.iter().position(|u| u.info.user_id == id).map(|pos| w.users.remove(pos));
    if was_person.is_none() {
        w.people.identities.remove(&id);
    }
    forget_member(&mut w, id);
    w.audit_api(AuditEvent {
        kind: "User.Remove".into(),
        reason: format!("User {} removed from the organization", user.email),
        attributes: Some(j!({ "userID": id, "email": user.email })),
        ..Default::default()
    });
    Ok(json(&UserIdReply { user_id: id }))
}

fn resource_type_param(p: &Params) -> SimResult<Option<&str>> {
    match p.get("resourceType") {
        None => Ok(None),
        Some(t) if known_type(t).is_some() => Ok(Some(t)),
        Some(t) => Err(SimError::bad_request(format!(
            "invalid resourceType {t:?}: expected Organization, Cluster, Team or Secret"
        ))),
    }
}

async fn user_roles(State(s): State<AppState>, Path(id): Path<String>, p: Params) -> SimResult<Response> {
    let id = path_id(&id, "userID")?;
    let t = resource_type_param(&p)?;
    let w = s.world();
    if w.user_by_id(id).is_none() {
        return Err(SimError::not_found(format!("user {id} not found")));
    }
    Ok(json(&w.identity_roles(HolderId::User(id), t)))
}

async fn team_roles(State(s): State<AppState>, Path(id): Path<String>, p: Params) -> SimResult<Response> {
    let id = path_id(&id, "teamID")?;
    let t = resource_type_param(&p)?;
    let w = s.world();
    if !w.teams.contains_key(&id) {
        return Err(SimError::not_found(format!("team {id} not found")));
    }
    Ok(json(&w.identity_roles(HolderId::Team(id), t)))
}
