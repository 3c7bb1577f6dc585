//! Snapshots of the audit pane at 80×24 and 160×48: following, and paused with a search,
//! context lines, a failing poll and a server filter.
#![allow(clippy::unwrap_used)]

use s2tui::api::error::ApiError;
use s2tui::api::types::*;
use s2tui::api::types::{AuditReply as Reply, AuditRequest as Request};
use s2tui::effect::{ApiReply, Effect, Fetch};
use s2tui::msg::Msg;
use s2tui::state::State;
use s2tui::testing::*;
use s2tui::update::update;
use uuid::Uuid;

fn entries() -> Vec<AuditLog> {
    let ws = sample_workspaces();
    let rows: [(&str, &str, &str, Option<usize>, AuditSource); 12] = [
        (
            "User.Login",
            "alice.nguyen@acme.io",
            "Alice Nguyen (alice.nguyen@acme.io) logged in to the Cloud Portal",
            None,
            AuditSource::Portal,
        ),
        ("Workspace.Create", "", "Workspace \"reporting\" created (S-1)", Some(0), AuditSource::Admin),
        (
            "Portal.View",
            "marcus.chen@acme.io",
            "Marcus Chen viewed workspace \"analytics-prod\"",
            Some(1),
            AuditSource::Portal,
        ),
        ("Workspace.Suspend", "", "Workspace \"etl-nightly\" suspended", Some(2), AuditSource::Admin),
        (
            "Workspace.AutoSuspend",
            "system@singlestore.com",
            "Workspace \"sandbox-ws\" was idle for 20 minutes; auto-suspend checked",
            Some(3),
            AuditSource::SystemJob,
        ),
        (
            "Workspace.Update",
            "priya.patel@acme.io",
            "Priya Patel changed the auto-suspend settings of workspace \"analytics-prod\"",
            Some(1),
            AuditSource::Portal,
        ),
        ("Workspace.Terminate", "", "Workspace \"scratch\" terminated", Some(0), AuditSource::Admin),
        (
            "Database.Create",
            "diego.alvarez@acme.io",
            "Diego Alvarez created database \"scratch_12\" on workspace \"analytics-prod\"",
            Some(1),
            AuditSource::Portal,
        ),
        (
            "User.Invite",
            "sara.k@acme.io",
            "Sara Kowalski invited new.hire42@acme.io to the organization",
            None,
            AuditSource::Portal,
        ),
        (
            "Backup.Complete",
            "system@singlestore.com",
            "Scheduled backup of workspace \"analytics-prod\" completed",
            Some(1),
            AuditSource::SystemJob,
        ),
        ("Workspace.Resume", "", "Workspace \"etl-nightly\" resumed", Some(2), AuditSource::Admin),
        (
            "User.Logout",
            "alice.nguyen@acme.io",
            "Alice Nguyen (alice.nguyen@acme.io) logged out",
            None,
            AuditSource::Portal,
        ),
    ];
    rows.iter()
        .enumerate()
        .map(|(i, (kind, email, reason, w, source))| {
            let w = w.map(|i| &ws[i % ws.len()]);
            AuditLog {
                audit_id: Some(Uuid::from_u128(0xe000 + i as u128)),
                created_at: Some(ago(600 - 45 * i as i64)),
                kind: Some(kind.to_string()),
                source: Some(source.clone()),
                reason: Some(reason.to_string()),
                user_email: (!email.is_empty()).then(|| email.to_string()),
                api_key_id: email.is_empty().then(|| Uuid::from_u128(0xfeed_0000_0000_4000_8000_0000_0000_0001)),
                workspace_id: w.map(|w| w.workspace_id),
                cluster_id: w.map(|w| w.workspace_group_id),
                ..Default::default()
            }
        })
        .collect()
}

fn audit_fetch(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { id, fetch: Fetch::Audit(Request::Page(_)) } => Some(*id),
            _ => None,
        })
        .expect("an audit read")
}

fn opened() -> State {
    let mut s = loaded();
    let id = audit_fetch(&keys(&mut s, ": a u d i t enter"));
    let page = AuditLogPage { audit_logs: entries(), next_token: Some("t1".into()) };
    let effects = update(&mut s, Msg::Api { id, reply: Ok(ApiReply::Audit(Reply::Page(page))) });
    let id = audit_fetch(&effects);
    let page = AuditLogPage { audit_logs: vec![], next_token: None };
    update(&mut s, Msg::Api { id, reply: Ok(ApiReply::Audit(Reply::Page(page))) });
    s
}

fn snap(name: &str, state: &mut State) {
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = render(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

#[test]
fn following() {
    let mut s = opened();
    snap("audit_following", &mut s);
}

#[test]
fn paused_search_with_context_and_a_failing_poll() {
    let mut s = opened();
    keys(&mut s, "f k k /");
    type_text(&mut s, "etl");
    keys(&mut s, "enter +");
    // The next poll fails with a 503: the title says when it retries.
    let generation = s.panes.audit.tail.generation;
    let timer = s2tui::msg::Timer::Pane { pane: s2tui::state::PaneId::Audit, generation };
    let id = audit_fetch(&update(&mut s, Msg::Timer(timer)));
    let err = ApiError::from_status(503, "service unavailable", "GET", "/v1/auditLogs", None);
    update(&mut s, Msg::Api { id, reply: Err(err) });
    snap("audit_paused_search", &mut s);
}
