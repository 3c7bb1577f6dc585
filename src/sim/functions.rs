//! Cloud functions: created `Initializing`, `Active` once deployed; listed oldest first, a
//! page at a time after `offsetID`; updated only when `lastKnownUpdatedAt` (if given) still
//! equals `lastUpdatedAt` (else 409); deleted ones are gone from the list and from reads.
//!
//! Construct with `FunctionStore::default()`.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::extract::JsonBody;
use super::routes::{Params, decode, json, path_id};
use super::world::{AuditEvent, World, durations};
use super::{AppState, SimError, SimResult};
use crate::api::types::*;

#[derive(Debug, Clone)]
pub struct FunctionRec {
    pub api: CloudFunction,
    pub fields: CloudFunctionFields,
    /// When it is `Active`, while it deploys.
    pub ready_at: Option<DateTime<Utc>>,
    /// Exact time of the last change (the wire value is its formatted form).
    pub updated: DateTime<Utc>,
}

#[derive(Debug, Default)]
pub struct FunctionStore {
    /// In creation order (the listing order).
    pub list: Vec<FunctionRec>,
}

/// A page holds this many functions unless `limit` says otherwise.
const DEFAULT_LIMIT: usize = 10;
const MAX_LIMIT: usize = 100;

pub fn advance(w: &mut World) {
    let now = w.clock.now();
    for f in &mut w.functions.list {
        if f.ready_at.take_if(|t| *t <= now).is_some() {
            f.api.status = FunctionStatus::Active;
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/cloudfunctions", get(list).post(create))
        .route("/v1/cloudfunctions/{cloudfunctionID}", get(one).patch(update).delete(remove))
        .route("/v1/cloudfunctions/{cloudfunctionID}/token", get(token))
}

fn index_of(w: &World, raw: &str) -> SimResult<usize> {
    let id = path_id(raw, "cloudfunctionID")?;
    w.functions
        .list
        .iter()
        .position(|f| f.api.service_id == id)
        .ok_or_else(|| SimError::not_found(format!("cloud function {id} not found")))
}

async fn list(State(s): State<AppState>, p: Params) -> SimResult<Response> {
    let limit = match p.get("limit") {
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| SimError::bad_request(format!("invalid limit {v:?}: expected 1 to {MAX_LIMIT}")))?,
        None => DEFAULT_LIMIT,
    };
    let w = s.world();
    let all = &w.functions.list;
    let start = match p.uuid("offsetID")? {
        Some(after) => {
            all.iter().position(|f| f.api.service_id == after).ok_or_else(|| {
                SimError::bad_request(format!("offsetID {after} is not a cloud function of this organization"))
            })? + 1
        }
        None => 0,
    };
    let page: Vec<&CloudFunction> = all.iter().skip(start).take(limit).map(|f| &f.api).collect();
    let metadata = FunctionPageInfo {
        count: page.len() as u32,
        has_next_page: start + page.len() < all.len(),
        has_previous_page: start > 0,
        total_count: all.len() as u32,
    };
    Ok(json(&serde_json::json!({ "cloudFunctions": page, "metadata": metadata })))
}

async fn one(State(s): State<AppState>, Path(raw): Path<String>) -> SimResult<Response> {
    let w = s.world();
    let i = index_of(&w, &raw)?;
    Ok(json(&w.functions.list[i].api))
}

/// What a create or update body may not be.
fn check(w: &World, f: &CloudFunctionFields) -> SimResult<()> {
    if f.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(SimError::bad_request("name must not be empty"));
    }
    if f.notebook_path.is_some() && f.image.is_some() {
        return Err(SimError::bad_request("notebookPath and image are mutually exclusive: give one"));
    }
    if let Some(p) = f.notebook_path.as_deref().filter(|p| !p.ends_with(".ipynb")) {
        return Err(SimError::bad_request(format!("notebookPath {p:?} is not a notebook (.ipynb)")));
    }
    match (f.target_id, &f.target_type) {
        (Some(id), Some(FunctionTargetType::Workspace)) if !w.workspaces.contains_key(&id) => {
            Err(SimError::bad_request(format!("workspace {id} not found")))
        }
        (Some(_), None) | (None, Some(_)) => Err(SimError::bad_request("targetID and targetType go together")),
        _ => Ok(()),
    }
}

/// Adds a function; `ready` says whether it is already deployed.
pub fn insert(w: &mut World, fields: CloudFunctionFields, ready: bool) -> Uuid {
    let id = Uuid::new_v4();
    let now = w.clock.now();
    let short = id.simple().to_string()[..12].to_string();
    let api = CloudFunction {
        service_id: id,
        name: fields.name.clone().unwrap_or_default().trim().to_string(),
        status: if ready { FunctionStatus::Active } else { FunctionStatus::Initializing },
        created_at: format_time(now),
        created_by: Some(w.api_user.user_id),
        description: fields.description.clone(),
        endpoint: Some(format!("https://apps.cloud.singlestore.com/functions/{short}")),
        last_updated_at: Some(format_time(now)),
        extra: Default::default(),
    };
    let ready_at = (!ready).then(|| w.clock.due_in(durations::FUNCTION_DEPLOY));
    w.functions.list.push(FunctionRec { api, fields, ready_at, updated: now });
    id
}

async fn create(State(s): State<AppState>, JsonBody(body): JsonBody<Value>) -> SimResult<Response> {
    let body: CloudFunctionFields = decode(body)?;
    let mut w = s.world();
    check(&w, &body)?;
    if body.name.is_none() {
        return Err(SimError::bad_request("name is required"));
    }
    if body.notebook_path.is_none() && body.image.is_none() {
        return Err(SimError::bad_request("give a notebookPath or an image"));
    }
    let what = body.notebook_path.clone().or(body.image.clone()).unwrap_or_default();
    let id = insert(&mut w, body, false);
    let name = w.functions.list.last().map(|f| f.api.name.clone()).unwrap_or_default();
    w.audit_api(AuditEvent {
        kind: "CloudFunction.Create".into(),
        reason: format!("Cloud function \"{name}\" created from {what}"),
        attributes: Some(serde_json::json!({ "cloudFunctionID": id })),
        ..Default::default()
    });
    Ok(json(&FunctionCreated { cloud_function_id: id }))
}

async fn update(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    p: Params,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let body: CloudFunctionFields = decode(body)?;
    let mut w = s.world();
    let i = index_of(&w, &raw)?;
    check(&w, &body)?;
    if let Some(known) = p.get("lastKnownUpdatedAt") {
        let at = parse_time(known).ok_or_else(|| {
            SimError::bad_request(format!("invalid lastKnownUpdatedAt {known:?}: expected an RFC 3339 time"))
        })?;
        let current = w.functions.list[i].updated;
        // The wire value has microseconds; compare at that precision.
        if (current - at).num_microseconds().unwrap_or(i64::MAX).abs() >= 1 {
            return Err(SimError::new(
                axum::http::StatusCode::CONFLICT,
                format!(
                    "cloud function was updated at {} since {known}: read it again and reapply your change",
                    format_time(current)
                ),
            ));
        }
    }
    let snapshot = p.flag("updateNotebookSnapshot")?;
    let mut now = w.clock.now();
    let deployed_at = w.clock.due_in(durations::FUNCTION_DEPLOY);
    let rec = &mut w.functions.list[i];
    if now <= rec.updated {
        now = rec.updated + chrono::Duration::microseconds(1);
    }
    let redeploy = body.notebook_path.is_some() || body.image.is_some() || snapshot;
    let f = &mut rec.fields;
    macro_rules! take {
        ($($field:ident),*) => { $(if body.$field.is_some() { f.$field = body.$field.clone(); })* };
    }
    take!(
        name,
        description,
        notebook_path,
        image,
        database_name,
        idle_timeout_seconds,
        pool_name,
        target_id,
        target_type
    );
    if body.notebook_path.is_some() {
        f.image = None;
    }
    if body.image.is_some() {
        f.notebook_path = None;
    }
    rec.api.name = f.name.clone().unwrap_or_default();
    rec.api.description = f.description.clone();
    rec.updated = now;
    rec.api.last_updated_at = Some(format_time(now));
    let name = rec.api.name.clone();
    let id = rec.api.service_id;
    if redeploy {
        rec.api.status = FunctionStatus::Initializing;
        rec.ready_at = Some(deployed_at);
    }
    let reply = w.functions.list[i].api.clone();
    w.audit_api(AuditEvent {
        kind: "CloudFunction.Update".into(),
        reason: format!("Cloud function \"{name}\" updated"),
        attributes: Some(serde_json::json!({ "cloudFunctionID": id })),
        ..Default::default()
    });
    Ok(json(&reply))
}

async fn remove(State(s): State<AppState>, Path(raw): Path<String>) -> SimResult<Response> {
    let mut w = s.world();
    let i = index_of(&w, &raw)?;
    let mut gone = w.functions.list.remove(i).api;
    gone.status = FunctionStatus::Deleted;
    w.audit_api(AuditEvent {
        kind: "CloudFunction.Delete".into(),
        reason: format!("Cloud function \"{}\" deleted", gone.name),
        attributes: Some(serde_json::json!({ "cloudFunctionID": gone.service_id })),
        ..Default::default()
    });
    Ok(json(&gone))
}

async fn token(State(s): State<AppState>, Path(raw): Path<String>) -> SimResult<Response> {
    use rand::Rng;
    let w = s.world();
    let i = index_of(&w, &raw)?;
    let f = &w.functions.list[i];
    if f.api.status != FunctionStatus::Active && f.api.status != FunctionStatus::Idle {
        return Err(SimError::bad_request(format!(
            "cloud function \"{}\" is {}: no token until it is Active",
            f.api.name, f.api.status
        )));
    }
    let mut rng = rand::rng();
    let part = |n: usize, rng: &mut rand::rngs::ThreadRng| -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..n).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
    };
    let jwt = format!("eyJhbGciOiJSUzI1NiJ9.{}.{}", part(48, &mut rng), part(43, &mut rng));
    let expires_at = format_time(w.clock.now() + chrono::Duration::hours(1));
    Ok(json(&AppToken { jwt, expires_at }))
}
