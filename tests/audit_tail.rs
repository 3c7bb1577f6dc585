//! The audit tail against the simulator over HTTP, headless: the real `update` and the real
//! effect runner, messages fed from the runner's inbox exactly as the loop does. Colleagues
//! write 2,000 entries a second while 429s, 5xx and dropped connections are injected; the
//! saved file must equal the server's log for the window: nothing missing, nothing twice.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use s2tui::api::types::{AuditLog, parse_time};
use s2tui::api::{ApiKey, Client, ClientConfig, RetryPolicy};
use s2tui::effect::Effect;
use s2tui::panes;
use s2tui::sim::faults::FaultSpec;
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use s2tui::state::{PaneId, SessionInfo};
use s2tui::testing::{Headless, keys, type_text};
use s2tui::update;
use s2tui::widgets::form::Field;
use s2tui::widgets::modal::Modal;

/// Colleague entries written during the test (2,000 a second for about 6 s).
const EVENTS: usize = 12_000;

fn same_entry(a: &AuditLog, b: &AuditLog) -> bool {
    let t = |l: &AuditLog| l.created_at.as_deref().and_then(parse_time);
    let strip = |l: &AuditLog| AuditLog { created_at: None, ..l.clone() };
    t(a) == t(b) && strip(a) == strip(b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_followed_log_saved_under_faults_equals_the_servers() {
    let config = SimConfig { speed: 100.0, colleague_rate: 2000.0, seed: Seed::Demo, ..SimConfig::default() };
    let sim = SimHandle::start(config, "127.0.0.1:0".parse::<SocketAddr>().unwrap()).await.unwrap();
    // No client retries: every fault reaches the pane, which must back off and catch up itself.
    let cfg = ClientConfig::new(sim.base_url(), ApiKey::new(sim.api_key()))
        .unwrap()
        .with_retry(RetryPolicy::none())
        .with_timeouts(Duration::from_secs(5), Duration::from_secs(10));
    let session = SessionInfo { demo: true, ..SessionInfo::default() };
    let mut h = Headless::new(Client::new(cfg).unwrap(), session);
    h.state.panes.audit.settings.poll_visible = Duration::from_millis(250);
    h.state.panes.audit.settings.retry_base = Duration::from_millis(100);
    h.state.panes.audit.settings.retry_max = Duration::from_secs(1);

    let start_len = sim.shared().world().audit.len();
    sim.set_faults(FaultSpec {
        rate_429: 0.05,
        retry_after_secs: 1,
        rate_5xx: 0.1,
        rate_drop: 0.05,
        ..FaultSpec::none()
    });
    let mut effects = update::init(&mut h.state);
    effects.extend(panes::navigate(&mut h.state, PaneId::Audit, None));
    h.run(effects);

    let deadline = Instant::now() + Duration::from_secs(25);
    let world_len = || sim.shared().world().audit.len();
    assert!(h.until(deadline, |_| world_len() >= start_len + EVENTS).await, "the colleagues wrote {EVENTS} entries");
    sim.set_faults(FaultSpec::none());
    let cutoff = world_len();
    let expected_all: Vec<AuditLog> = sim.shared().world().audit[..cutoff].to_vec();
    let caught_up = h
        .until(deadline, |s| {
            expected_all[start_len..].iter().all(|e| {
                let at = parse_time(e.created_at.as_deref().unwrap()).unwrap().timestamp_nanos_opt().unwrap();
                s.panes.audit.buffer.contains(e.audit_id.unwrap(), at)
            })
        })
        .await;
    assert!(caught_up, "the tail caught up with every entry up to the cutoff");
    assert!(h.state.panes.audit.tail.failed_total > 0, "faults were injected and recovered from");
    assert_eq!(h.state.panes.audit.tail.phase, panes::audit::tail::Phase::Follow);

    // Save through the pane, exactly as a user would: ctrl-s, a path, enter.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    keys(&mut h.state, "ctrl-s");
    if let Some(Modal::Form(f)) = h.state.modals.last_mut() {
        *f.form.field_mut("path").unwrap() = Field::text("path", "File", path.to_str().unwrap());
    }
    let effects = keys(&mut h.state, "enter");
    assert!(effects.iter().any(|e| matches!(e, Effect::AuditExport(_))));
    h.run(effects);
    let saved = h.until(deadline, |s| s.toasts.items.iter().any(|t| t.text.starts_with("Saved "))).await;
    assert!(saved, "the save finished: {:?}", h.state.toasts.items.iter().map(|t| &t.text).collect::<Vec<_>>());

    let exported: Vec<AuditLog> =
        std::fs::read_to_string(&path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ids: HashSet<_> = exported.iter().map(|e| e.audit_id).collect();
    assert_eq!(ids.len(), exported.len(), "no entry twice");

    // The window: from the tail's start date to the cutoff.
    let since = parse_time(h.state.panes.audit.tail.since.as_deref().unwrap()).unwrap();
    let last = parse_time(expected_all[cutoff - 1].created_at.as_deref().unwrap()).unwrap();
    let in_window = |e: &&AuditLog| {
        let at = parse_time(e.created_at.as_deref().unwrap()).unwrap();
        at >= since && at <= last
    };
    let want: Vec<&AuditLog> = expected_all.iter().filter(in_window).collect();
    let got: Vec<&AuditLog> = exported.iter().filter(in_window).collect();
    assert!(want.len() >= EVENTS);
    assert_eq!(got.len(), want.len(), "no gaps");
    for (g, w) in got.iter().zip(&want) {
        assert!(same_entry(g, w), "saved {g:?}\nserver {w:?}");
    }
    // And nothing saved that the server never wrote.
    let server_ids: HashSet<_> = sim.shared().world().audit.iter().map(|e| e.audit_id).collect();
    assert!(exported.iter().all(|e| server_ids.contains(&e.audit_id)));

    // The search finds entries in the whole buffer, not just on screen.
    keys(&mut h.state, "/");
    type_text(&mut h.state, "logged in");
    let matching = h.state.panes.audit.view.match_count(&h.state.panes.audit.buffer);
    let logins = exported.iter().filter(|e| e.reason.as_deref().unwrap_or("").contains("logged in")).count();
    assert!(matching >= logins && matching > 1000, "{matching} matches, {logins} logins saved");
    sim.shutdown().await;
}
