//! Invitations: pending until the invitee answers (someone with a SingleStore account
//! accepts after a while and joins the invitation's teams) or the organization revokes it.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json as j};
use uuid::Uuid;

use super::super::{Params, decode, json, json_fields, path_id};
use super::valid_email;
use crate::api::types::*;
use crate::sim::extract::JsonBody;
use crate::sim::people::InvitationRec;
use crate::sim::routes::teams::TextFilter;
use crate::sim::world::AuditEvent;
use crate::sim::{AppState, SimError, SimResult};

/// How long someone with an account takes to accept (divided by the clock's speed).
pub const ACCEPT_AFTER: std::time::Duration = std::time::Duration::from_secs(180);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/invitations", get(list).post(create))
        .route("/v1/invitations/{invitationID}", get(one).delete(revoke))
}

async fn list(State(s): State<AppState>, p: Params) -> SimResult<Response> {
    let email = p.get("email").map(TextFilter::new);
    let state = match p.get("state") {
        None => None,
        Some(raw) => match InvitationState::from_wire(raw) {
            InvitationState::Unknown(_) => {
                return Err(SimError::bad_request(format!(
                    "invalid state {raw:?}: expected Pending, Accepted, Refused or Revoked"
                )));
            }
            known => Some(known),
        },
    };
    let w = s.world();
    let list: Vec<&Invitation> = w
        .people
        .invitations
        .iter()
        .map(|r| &r.api)
        .filter(|i| email.as_ref().is_none_or(|f| f.matches(&i.email)))
        .filter(|i| state.as_ref().is_none_or(|s| &i.state == s))
        .collect();
    Ok(json_fields(&list, &p))
}

async fn one(State(s): State<AppState>, Path(id): Path<String>, p: Params) -> SimResult<Response> {
    let id = path_id(&id, "invitationID")?;
    let w = s.world();
    let inv = w
        .people
        .invitations
        .iter()
        .find(|r| r.api.invitation_id == id)
        .ok_or_else(|| SimError::not_found(format!("invitation {id} not found")))?;
    Ok(json_fields(&inv.api, &p))
}

async fn create(State(s): State<AppState>, JsonBody(body): JsonBody<Value>) -> SimResult<Response> {
    let body: InvitationCreate = decode(body)?;
    let email = body.email.trim().to_string();
    if !valid_email(&email) {
        return Err(SimError::bad_request(format!("invalid email address {email:?}")));
    }
    let mut w = s.world();
    if w.user_by_email(&email).is_some() {
        return Err(SimError::bad_request(format!("{email} is already a member of the organization")));
    }
    let pending =
        |r: &InvitationRec| r.api.state == InvitationState::Pending && r.api.email.eq_ignore_ascii_case(&email);
    if w.people.invitations.iter().any(pending) {
        return Err(SimError::bad_request(format!("an invitation to {email} is already pending")));
    }
    for t in &body.team_ids {
        if !w.teams.contains_key(t) {
            return Err(SimError::bad_request(format!("team {t} not found")));
        }
    }
    let mut teams = body.team_ids.clone();
    teams.dedup();
    let has_account = w.people.accounts.iter().any(|a| a.email.eq_ignore_ascii_case(&email));
    let id = Uuid::new_v4();
    let api = Invitation {
        invitation_id: id,
        email: email.clone(),
        state: InvitationState::Pending,
        team_ids: teams.clone(),
        created_at: Some(format_time(w.clock.now())),
        acted_at: None,
        message: None,
        extra: Default::default(),
    };
    let accept_at = has_account.then(|| w.clock.due_in(ACCEPT_AFTER));
    w.people.invitations.push(InvitationRec { api: api.clone(), accept_at });
    let names: Vec<String> = teams.iter().filter_map(|t| w.teams.get(t)).map(|t| t.name.clone()).collect();
    w.audit_api(AuditEvent {
        kind: "Invitation.Create".into(),
        reason: if names.is_empty() {
            format!("Invited {email} to the organization")
        } else {
            format!("Invited {email} to the organization and to {}", names.join(", "))
        },
        attributes: Some(j!({ "invitationID": id, "email": email, "teamIDs": teams })),
        ..Default::default()
    });
    Ok(json(&api))
}

async fn revoke(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "invitationID")?;
    let mut w = s.world();
    let now = format_time(w.clock.now());
    let rec = w
        .people
        .invitations
        .iter_mut()
        .find(|r| r.api.invitation_id == id)
        .ok_or_else(|| SimError::not_found(format!("invitation {id} not found")))?;
    if rec.api.state != InvitationState::Pending {
        return Err(SimError::bad_request(format!(
            "the invitation is {}; only a pending invitation can be revoked",
            rec.api.state
        )));
    }
    rec.api.state = InvitationState::Revoked;
    rec.api.acted_at = Some(now);
    rec.accept_at = None;
    let email = rec.api.email.clone();
    w.audit_api(AuditEvent {
        kind: "Invitation.Revoke".into(),
        reason: format!("Invitation to {email} revoked"),
        attributes: Some(j!({ "invitationID": id, "email": email })),
        ..Default::default()
    });
    Ok(json(&InvitationIdReply { invitation_id: id }))
}
