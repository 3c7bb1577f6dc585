//! A simulator on 127.0.0.1:0 and the real client pointed at it, for the tests of one API
//! family over real HTTP.
//!
//! Included with `#[path = "common/live.rs"] mod live;`.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::Duration;

use s2tui::api::{ApiKey, Client, ClientConfig, RetryPolicy};
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use serde_json::Value;

/// A quiet simulator (no colleagues) whose durations are divided by `speed`.
pub async fn sim_at(speed: f64, seed: Seed) -> SimHandle {
    let config = SimConfig { speed, colleague_rate: 0.0, seed, ..SimConfig::default() };
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    SimHandle::start(config, addr).await.unwrap()
}

/// The client with fast retries and short timeouts.
pub fn client(h: &SimHandle) -> Client {
    let cfg = ClientConfig::new(h.base_url(), ApiKey::new(h.api_key()))
        .unwrap()
        .with_retry(RetryPolicy::fast())
        .with_timeouts(Duration::from_secs(5), Duration::from_secs(10));
    Client::new(cfg).unwrap()
}

/// A raw request, for bodies and paths the typed client would never send: (status, text).
pub async fn raw(h: &SimHandle, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, String) {
    let mut rb = reqwest::Client::new().request(method, format!("{}{path}", h.base_url())).bearer_auth(h.api_key());
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let resp = rb.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}
