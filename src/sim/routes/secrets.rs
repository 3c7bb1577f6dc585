//! Secrets. Replies are wrapped (`{"secrets": [...]}`, `{"secret": {...}}`) as on the live
//! service. A single-secret GET and a lookup by name (`?name=NAME`, how the official SDK reads a
//! secret in a notebook) carry the value; an unfiltered list never does.

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
        .route("/v1/secrets", get(list).post(create))
        .route("/v1/secrets/{secretID}", get(one).patch(update).delete(delete))
}

fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

async fn list(State(s): State<AppState>, p: Params) -> Response {
    let name = p.get("name");
    let w = s.world();
    let secrets: Vec<Secret> = match name {
        Some(n) => w.secrets.values().filter(|x| x.name == n).cloned().collect(),
        None => w.secrets.values().map(Secret::without_value).collect(),
    };
    json(&j!({ "secrets": secrets }))
}

async fn one(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "secretID")?;
    let w = s.world();
    let secret = w.secrets.get(&id).ok_or_else(|| SimError::not_found(format!("secret {id} not found")))?;
    Ok(json(&j!({ "secret": secret })))
}

async fn create(State(s): State<AppState>, JsonBody(body): JsonBody<Value>) -> SimResult<Response> {
    let body: SecretCreate = decode(body)?;
    if !valid_name(&body.name) {
        return Err(SimError::bad_request(format!(
            "invalid secret name {:?}: only letters, digits and underscores are allowed",
            body.name
        )));
    }
    if body.value.is_empty() {
        return Err(SimError::bad_request("secret value must not be empty"));
    }
    let mut w = s.world();
    if w.secrets.values().any(|x| x.name == body.name) {
        return Err(SimError::bad_request(format!("a secret named {} already exists", body.name)));
    }
    let now = format_time(w.clock.now());
    let user = w.api_user.user_id;
    let id = Uuid::new_v4();
    let secret = Secret {
        secret_id: id,
        name: body.name.clone(),
        created_at: now.clone(),
        created_by: Some(user),
        last_updated_at: now,
        last_updated_by: Some(user),
        deleted_at: None,
        deleted_by: None,
        value: Some(body.value),
    };
    let reply = secret.without_value();
    w.secrets.insert(id, secret);
    w.audit_api(AuditEvent {
        kind: "Secret.Create".into(),
        reason: format!("Secret {} created", body.name),
        attributes: Some(j!({ "secretID": id, "secretName": body.name })),
        ..Default::default()
    });
    Ok(json(&j!({ "secret": reply })))
}

async fn update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let id = path_id(&id, "secretID")?;
    let body: SecretUpdate = decode(body)?;
    let mut w = s.world();
    let now = format_time(w.clock.now());
    let user = w.api_user.user_id;
    let secret = w.secrets.get_mut(&id).ok_or_else(|| SimError::not_found(format!("secret {id} not found")))?;
    if let Some(v) = body.value {
        if v.is_empty() {
            return Err(SimError::bad_request("secret value must not be empty"));
        }
        secret.value = Some(v);
        secret.last_updated_at = now;
        secret.last_updated_by = Some(user);
    }
    let reply = secret.without_value();
    w.audit_api(AuditEvent {
        kind: "Secret.Update".into(),
        reason: format!("Secret {} updated", reply.name),
        attributes: Some(j!({ "secretID": id, "secretName": reply.name })),
        ..Default::default()
    });
    Ok(json(&j!({ "secret": reply })))
}

async fn delete(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "secretID")?;
    let mut w = s.world();
    let secret = w.secrets.remove(&id).ok_or_else(|| SimError::not_found(format!("secret {id} not found")))?;
    w.audit_api(AuditEvent {
        kind: "Secret.Delete".into(),
        reason: format!("Secret {} deleted", secret.name),
        attributes: Some(j!({ "secretID": id, "secretName": secret.name })),
        ..Default::default()
    });
    Ok(json(&SecretIdReply { secret_id: id }))
}
