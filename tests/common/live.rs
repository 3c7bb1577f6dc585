//! A simulator on 127.0.0.1:0 and the real client pointed at it, for the tests of one API
//! family over real HTTP.
//!
//! Included with `#[path = "common/live.rs"] mod live;`.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::Duration;

use s2tui::api::{ApiKey, ApiVersion, Client, ClientConfig, RetryPolicy};
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use s2tui::state::SessionInfo;
use s2tui::testing::Headless;
use serde_json::Value;

/// A quiet simulator (no colleagues) whose durations are divided by `speed`.
pub async fn sim_at(speed: f64, seed: Seed) -> SimHandle {
    let config = SimConfig { speed, colleague_rate: 0.0, seed, ..SimConfig::default() };
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    SimHandle::start(config, addr).await.unwrap()
}

/// The dashboard without a terminal at `version`, on a quiet demo simulator at speed 100,
/// started (its first reads sent).
pub async fn dashboard(version: ApiVersion) -> (SimHandle, Headless) {
    let sim = sim_at(100.0, Seed::Demo).await;
    let session = SessionInfo { demo: true, api_version: version, ..SessionInfo::default() };
    let mut h = Headless::new(client(&sim).with_version(version), session);
    h.start();
    (sim, h)
}

/// The client with fast retries and short timeouts.
pub fn client(h: &SimHandle) -> Client {
    client_with_key(h.base_url(), h.api_key())
}

/// The same client for any local server.
pub fn client_for(base_url: &str) -> Client {
    client_with_key(base_url, "k")
}

fn client_with_key(base_url: &str, key: &str) -> Client {
    let cfg = ClientConfig::new(base_url, ApiKey::new(key))
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

/// Runs the real binary against `h` with a clean environment (plus `env`), the key in a file;
/// blocks, so call it from `spawn_blocking`.
pub fn s2tui(base_url: &str, key: &str, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    let key_file = home.path().join("key");
    std::fs::write(&key_file, key).unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_s2tui"))
        .args(["--base-url", base_url, "--api-key-file"])
        .arg(&key_file)
        .args(args)
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// [`s2tui`] on a blocking thread.
pub async fn s2tui_async(h: &SimHandle, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let (base, key) = (h.base_url().to_string(), h.api_key().to_string());
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        s2tui(&base, &key, &args, &env)
    })
    .await
    .unwrap()
}
