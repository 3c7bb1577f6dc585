//! `GET /v1/organizations/current` and the starter (shared-tier) workspace reads.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

use super::{json, path_id};
use crate::sim::{AppState, SimError, SimResult};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/organizations/current", get(current))
        .route("/v1/sharedtier/virtualWorkspaces", get(starters))
        .route("/v1/sharedtier/virtualWorkspaces/{virtualWorkspaceID}", get(starter))
}

async fn current(State(s): State<AppState>) -> Response {
    let org = s.world().org.clone();
    json(&org)
}

async fn starters(State(s): State<AppState>) -> Response {
    let list: Vec<_> = s.world().starter_workspaces.values().cloned().collect();
    json(&list)
}

async fn starter(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "virtualWorkspaceID")?;
    let w = s.world();
    let one = w
        .starter_workspaces
        .get(&id)
        .ok_or_else(|| SimError::not_found(format!("starter workspace {id} not found")))?;
    Ok(json(one))
}
