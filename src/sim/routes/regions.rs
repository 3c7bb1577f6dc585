//! `GET /v1/regions`, `/v2/regions`, `/v1/regions/sharedtier`.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::{Params, json_fields};
use crate::sim::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/regions", get(v1))
        .route("/v2/regions", get(v2))
        .route("/v1/regions/sharedtier", get(shared_tier))
}

async fn v1(State(s): State<AppState>, p: Params) -> Response {
    let regions = s.world().regions.clone();
    json_fields(&regions, &p)
}

async fn v2(State(s): State<AppState>, p: Params) -> Response {
    let regions = s.world().regions_v2.clone();
    json_fields(&regions, &p)
}

async fn shared_tier(State(s): State<AppState>, p: Params) -> Response {
    let regions = s.world().regions_shared_tier.clone();
    json_fields(&regions, &p)
}
