//! `update` tests of the audit pane: the start and follow cycle, pause, backoff, search,
//! server filters, export and jump. Replies are fed as `Msg::Api` with the effect's request ID.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use s2tui::api::error::ApiError;
use s2tui::api::types::*;
use s2tui::api::types::{AuditReply as Reply, AuditRequest as Request};
use s2tui::effect::{ApiReply, Effect, Fetch};
use s2tui::msg::{Msg, Timer};
use s2tui::panes::audit::{self, export, tail};
use s2tui::state::{PaneId, State};
use s2tui::testing::*;
use s2tui::update::update;
use s2tui::widgets::form::Field;
use s2tui::widgets::modal::{FormPurpose, Modal};
use uuid::Uuid;

fn audit_id(n: u32) -> Uuid {
    Uuid::from_u128(0xe000_0000_0000_4000_8000_0000_0000_0000 | u128::from(n))
}

fn log(n: u32, secs_ago: i64, kind: &str, reason: &str) -> AuditLog {
    AuditLog {
        audit_id: Some(audit_id(n)),
        created_at: Some(ago(secs_ago)),
        kind: Some(kind.into()),
        source: Some(AuditSource::Portal),
        reason: Some(reason.into()),
        user_email: Some(format!("user{}@acme.io", n % 3)),
        ..Default::default()
    }
}

fn logins(from: u32, count: u32, secs_ago: i64) -> Vec<AuditLog> {
    (from..from + count)
        .map(|n| {
            let mut l = log(n, secs_ago, "User.Login", &format!("user {n} logged in"));
            // A millisecond apart, in order.
            let at = wall() - chrono::Duration::seconds(secs_ago) + chrono::Duration::milliseconds(i64::from(n - from));
            l.created_at = Some(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
            l
        })
        .collect()
}

/// The audit read among `effects`.
fn audit_fetch(effects: &[Effect]) -> Option<(u64, AuditLogQuery)> {
    effects.iter().find_map(|e| match e {
        Effect::Fetch { id, fetch: Fetch::Audit(Request::Page(q)) } => Some((*id, q.as_ref().clone())),
        _ => None,
    })
}

fn audit_timer(effects: &[Effect]) -> Option<(Duration, u64)> {
    effects.iter().find_map(|e| match e {
        Effect::Timer { after, timer: Timer::Pane { pane: PaneId::Audit, generation } } => Some((*after, *generation)),
        _ => None,
    })
}

fn answer(state: &mut State, id: u64, logs: Vec<AuditLog>, token: &str) -> Vec<Effect> {
    let page = AuditLogPage { audit_logs: logs, next_token: Some(token.into()) };
    update(state, Msg::Api { id, reply: Ok(ApiReply::Audit(Reply::Page(page))) })
}

fn fail(state: &mut State, id: u64, err: ApiError) -> Vec<Effect> {
    update(state, Msg::Api { id, reply: Err(err) })
}

fn fire(state: &mut State, generation: u64) -> Vec<Effect> {
    update(state, Msg::Timer(Timer::Pane { pane: PaneId::Audit, generation }))
}

/// Opens the pane and answers the start: `first` from the last hour (token t1), then the
/// newest-first top-up when there were fewer than 200. Returns the follow timer's generation.
fn opened(state: &mut State, first: Vec<AuditLog>, recent: Vec<AuditLog>) -> u64 {
    let effects = keys(state, ": a u d i t enter");
    assert_eq!(state.location.pane, PaneId::Audit);
    let (id, q) = audit_fetch(&effects).expect("the tail starts");
    assert_eq!(q.start_date.as_deref(), Some(ago(3600).as_str()), "the last hour first");
    assert_eq!((q.next_token.as_deref(), q.limit, q.sort_by_descending), (None, Some(1000), None));
    let effects = answer(state, id, first, "t1");
    let (id, q) = audit_fetch(&effects).expect("fewer than 200: the latest 200 are read too");
    assert_eq!((q.sort_by_descending, q.limit, q.next_token.as_deref()), (Some(true), Some(200), None));
    let effects = answer(state, id, recent, "ignored");
    let (after, generation) = audit_timer(&effects).expect("then it follows");
    assert_eq!(after, Duration::from_secs(2));
    generation
}

fn positions(state: &State) -> Vec<String> {
    let pane = &state.panes.audit;
    (0..pane.view.len(&pane.buffer))
        .filter_map(|i| pane.view.at(i, &pane.buffer))
        .filter_map(|p| pane.buffer.get(p))
        .map(|e| e.reason.to_string())
        .collect()
}

#[test]
fn starts_with_the_last_hour_then_follows_with_the_token() {
    let mut s = loaded();
    // The top-up overlaps the first read and goes further back: merged by ID, ordered by time.
    let mut recent = logins(1, 3, 60);
    recent.extend(logins(10, 2, 7200));
    recent.reverse();
    let generation = opened(&mut s, logins(1, 3, 60), recent);
    assert_eq!(s.panes.audit.buffer.len(), 5);
    assert_eq!(positions(&s)[..2], ["user 10 logged in", "user 11 logged in"]);
    assert!(s.panes.audit.following);

    let (id, q) = audit_fetch(&fire(&mut s, generation)).unwrap();
    assert_eq!(q.next_token.as_deref(), Some("t1"));
    // A full page is followed at once by the next one.
    let effects = answer(&mut s, id, logins(100, 1000, 5), "t2");
    let (id, q) = audit_fetch(&effects).expect("caught up only when a page is not full");
    assert_eq!(q.next_token.as_deref(), Some("t2"));
    assert!(audit_timer(&effects).is_none());
    let effects = answer(&mut s, id, logins(2000, 2, 1), "t3");
    assert!(audit_fetch(&effects).is_none());
    let (after, stale) = audit_timer(&effects).unwrap();
    assert_eq!(after, Duration::from_secs(2));
    assert_eq!(s.panes.audit.buffer.len(), 1007);
    // The newest entry is selected while following.
    assert_eq!(audit::selected_entry(&s.panes.audit).unwrap().id, audit_id(2001));

    // Elsewhere, it polls slower; an older timer does nothing.
    keys(&mut s, "1");
    assert!(fire(&mut s, stale - 1).is_empty());
    let (id, _) = audit_fetch(&fire(&mut s, stale)).unwrap();
    let effects = answer(&mut s, id, vec![], "t3");
    assert_eq!(audit_timer(&effects).unwrap().0, Duration::from_secs(15));
}

#[test]
fn paused_entries_are_kept_and_counted() {
    let mut s = loaded();
    let generation = opened(&mut s, logins(1, 3, 60), vec![]);
    press(&mut s, "f");
    assert!(!s.panes.audit.following);
    let selected = audit::selected_entry(&s.panes.audit).unwrap().id;
    let (id, _) = audit_fetch(&fire(&mut s, generation)).unwrap();
    answer(&mut s, id, logins(50, 4, 1), "t2");
    assert_eq!(s.panes.audit.unseen, 4);
    assert_eq!(s.panes.audit.buffer.len(), 7);
    assert_eq!(audit::selected_entry(&s.panes.audit).unwrap().id, selected, "the selection stays put");
    assert!(render(&mut s, 120, 20).contains("+4 new"));
    press(&mut s, "f");
    assert_eq!(s.panes.audit.unseen, 0);
    assert_eq!(audit::selected_entry(&s.panes.audit).unwrap().id, audit_id(53));
    // Moving up pauses following, so arrivals do not pull the selection away.
    press(&mut s, "k");
    assert!(!s.panes.audit.following);
}

#[test]
fn failures_back_off_keep_the_token_and_catch_up() {
    let mut s = loaded();
    let generation = opened(&mut s, logins(1, 3, 60), vec![]);
    let (id, _) = audit_fetch(&fire(&mut s, generation)).unwrap();
    let e503 = ApiError::from_status(503, "unavailable", "GET", "/v1/auditLogs", None);
    let (after, g1) = audit_timer(&fail(&mut s, id, e503)).unwrap();
    assert_eq!(after, Duration::from_secs(1));
    let screen = render(&mut s, 120, 20);
    assert!(screen.contains("following · retrying in 1s (503)"), "{screen}");
    // A refresh during the backoff does not jump the queue.
    assert!(audit_fetch(&press(&mut s, "ctrl-r")).is_none());

    let (id, q) = audit_fetch(&fire(&mut s, g1)).unwrap();
    assert_eq!(q.next_token.as_deref(), Some("t1"), "the token only moves on success");
    let drop =
        ApiError::Transport { message: "connection closed".into(), method: "GET".into(), path: "/v1/auditLogs".into() };
    let (after, g2) = audit_timer(&fail(&mut s, id, drop)).unwrap();
    assert_eq!(after, Duration::from_secs(2));
    assert!(render(&mut s, 120, 20).contains("retrying in 2s (connection lost)"));

    let (id, _) = audit_fetch(&fire(&mut s, g2)).unwrap();
    let limited = ApiError::from_status(429, "slow down", "GET", "/v1/auditLogs", Some(Duration::from_secs(9)));
    let (after, g3) = audit_timer(&fail(&mut s, id, limited)).unwrap();
    assert_eq!(after, Duration::from_secs(9), "Retry-After wins over a shorter backoff");

    let (id, q) = audit_fetch(&fire(&mut s, g3)).unwrap();
    assert_eq!(q.next_token.as_deref(), Some("t1"));
    answer(&mut s, id, logins(10, 5, 1), "t2");
    assert_eq!(s.panes.audit.tail.failures, 0);
    assert_eq!(s.panes.audit.buffer.len(), 8);
    assert!(!render(&mut s, 120, 20).contains("retrying"));
}

#[test]
fn search_covers_the_whole_buffer_with_context() {
    let mut s = loaded();
    let mut first = logins(1, 5, 100);
    first.push(log(90, 50, "Workspace.Suspend", "Workspace \"etl\" suspended"));
    first.extend(logins(20, 5, 40));
    opened(&mut s, first, vec![]);
    keys(&mut s, "/");
    type_text(&mut s, "Workspace.Sus");
    assert_eq!(positions(&s), ["Workspace \"etl\" suspended"]);
    type_text(&mut s, "PENDED");
    assert!(positions(&s).is_empty(), "smart case: upper case is exact");
    keys(&mut s, "ctrl-u");
    type_text(&mut s, "suspend");
    assert_eq!(positions(&s).len(), 1);
    keys(&mut s, "enter + +");
    assert_eq!(s.panes.audit.view.context, 2);
    assert_eq!(positions(&s).len(), 5, "two lines either side");
    let screen = render(&mut s, 160, 20);
    assert!(screen.contains("[1/11]") && screen.contains("context 2"), "{screen}");
    keys(&mut s, "- - esc");
    assert_eq!(positions(&s).len(), 11);
}

#[test]
fn server_filters_restart_the_tail() {
    let mut s = loaded();
    let generation = opened(&mut s, logins(1, 3, 60), vec![]);
    keys(&mut s, ":");
    type_text(&mut s, "audit type=Workspace.Suspend source=portal group=analytics since=2h");
    let effects = press(&mut s, "enter");
    let (_, q) = audit_fetch(&effects).expect("a new tail");
    assert_eq!(q.kind.as_deref(), Some("Workspace.Suspend"));
    assert_eq!(q.source, Some(AuditSource::Portal));
    assert_eq!(q.workspace_group_id, Some(group_id(1)));
    assert_eq!(q.start_date.as_deref(), Some(ago(7200).as_str()));
    assert_eq!(q.next_token, None);
    assert!(s.panes.audit.buffer.is_empty(), "the old entries belong to another filter");
    assert!(fire(&mut s, generation).is_empty(), "the old tail's timer is stale");
    assert!(render(&mut s, 160, 20).contains("type=Workspace.Suspend"));

    // A bad key changes nothing.
    keys(&mut s, ":");
    type_text(&mut s, "audit colour=red");
    assert!(audit_fetch(&press(&mut s, "enter")).is_none());
    assert_eq!(s.panes.audit.server.kind.as_deref(), Some("Workspace.Suspend"));

    // The form shows the filters and submits new ones.
    press(&mut s, "F");
    let Some(Modal::Form(f)) = s.modals.last() else { panic!("a form") };
    assert_eq!(f.purpose, FormPurpose::AuditFilter);
    assert_eq!(f.form.value("type"), "Workspace.Suspend");
    if let Some(Modal::Form(f)) = s.modals.last_mut() {
        *f.form.field_mut("type").unwrap() = Field::text("type", "Type", "Workspace.Create");
    }
    let (_, q) = audit_fetch(&press(&mut s, "enter")).expect("a new tail");
    assert!(s.modals.is_empty());
    assert_eq!(q.kind.as_deref(), Some("Workspace.Create"));
    assert_eq!(q.workspace_group_id, Some(group_id(1)), "the other filters stay");
}

#[test]
fn saving_over_an_existing_file_asks_and_replaces_only_when_told() {
    let mut s = loaded();
    opened(&mut s, logins(1, 3, 100), vec![]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kept.jsonl");
    std::fs::write(&path, "mine\n").unwrap();
    // The first save never replaces: the runner reports the file exists and writes nothing.
    let job = audit::export_job(&s.panes.audit, path.clone());
    assert!(!job.overwrite);
    assert_eq!(export::write(&job).unwrap_err().kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine\n");
    update(&mut s, Msg::FileExists { path: path.clone() });
    let Some(Modal::Form(f)) = s.modals.last() else { panic!("the save form asks") };
    assert!(f.form.server_error.as_deref().unwrap().contains("already exists"), "{:?}", f.form.server_error);
    let effects = press(&mut s, "enter");
    let job = effects
        .iter()
        .find_map(|e| match e {
            Effect::AuditExport(job) => Some(job.clone()),
            _ => None,
        })
        .expect("saved again");
    assert!(job.overwrite, "enter on the same path replaces it");
    assert_eq!(export::write(&job).unwrap(), 3);
}

#[test]
fn save_writes_the_matching_entries_atomically() {
    let mut s = loaded();
    let mut first = logins(1, 5, 100);
    first.push(log(90, 50, "Workspace.Suspend", "Workspace \"etl\" suspended, \"quoted\""));
    opened(&mut s, first, vec![]);
    keys(&mut s, "/");
    type_text(&mut s, "etl");
    keys(&mut s, "enter ctrl-s");
    let Some(Modal::Form(f)) = s.modals.last() else { panic!("a form") };
    assert_eq!(f.form.value("path"), "./audit-20250601-120000.jsonl");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    if let Some(Modal::Form(f)) = s.modals.last_mut() {
        *f.form.field_mut("path").unwrap() = Field::text("path", "File", path.to_str().unwrap());
    }
    let effects = press(&mut s, "enter");
    assert!(s.modals.is_empty());
    let job = effects
        .iter()
        .find_map(|e| match e {
            Effect::AuditExport(job) => Some(job.clone()),
            _ => None,
        })
        .expect("the file is written by an effect");
    assert_eq!(job.entries.len(), 1, "only the matching entries");
    assert_eq!(export::write(&job).unwrap(), 1);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("createdAt,auditID,type"));
    assert!(text.contains("\"Workspace \"\"etl\"\" suspended, \"\"quoted\"\"\""), "{text}");
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(files.len(), 1, "no temporary file is left behind");

    // JSONL: every entry as the API sent it.
    keys(&mut s, "esc");
    let job = audit::export_job(&s.panes.audit, dir.path().join("all.jsonl"));
    export::write(&job).unwrap();
    let back: Vec<AuditLog> = std::fs::read_to_string(dir.path().join("all.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(back.len(), 6);
    assert_eq!(back[5].audit_id, Some(audit_id(90)));
    assert_eq!(parse_time(back[5].created_at.as_deref().unwrap()), parse_time(&ago(50)));
}

#[test]
fn a_full_ring_drops_the_oldest_and_says_so() {
    let mut s = loaded();
    s.panes.audit.settings.capacity = 10;
    opened(&mut s, logins(1, 15, 60), vec![]);
    assert_eq!(s.panes.audit.buffer.len(), 10);
    assert_eq!(s.panes.audit.buffer.dropped, 5);
    assert!(render(&mut s, 120, 20).contains("older entries dropped: 5"));
}

#[test]
fn jump_and_describe() {
    let mut s = loaded();
    let ws = sample_workspaces()[1].clone();
    let mut e = log(7, 30, "Workspace.Suspend", "suspended");
    e.workspace_id = Some(ws.workspace_id);
    e.cluster_id = Some(ws.workspace_group_id);
    e.attributes = Some(serde_json::json!({"size": "S-2"}));
    opened(&mut s, vec![e], vec![]);
    press(&mut s, "d");
    let Some(Modal::Describe(v)) = s.modals.last() else { panic!("describe") };
    assert!(v.text.contains("\"size\": \"S-2\"") && v.text.contains(&ws.workspace_id.to_string()));
    press(&mut s, "esc");
    press(&mut s, "enter");
    assert_eq!(s.location.pane, PaneId::Workspaces);
    assert_eq!(s.panes.workspaces.table.selected_key(), Some(ws.workspace_id.to_string().as_str()));
}

#[test]
fn backoff_doubles_up_to_the_cap() {
    let st = tail::Settings::default();
    let waits: Vec<u64> = (1..=8).map(|n| tail::backoff(&st, n, None).as_secs()).collect();
    assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60]);
}

#[test]
fn at_v2_a_workspace_entry_jumps_to_its_cluster() {
    let v2 = || {
        let session = s2tui::state::SessionInfo { api_version: s2tui::api::ApiVersion::V2, ..session() };
        loaded_with(session, &Org::default())
    };
    let ws = sample_workspaces()[1].clone();
    let mut s = v2();
    let mut e = log(7, 30, "Cluster.Suspend", "suspended");
    e.workspace_id = Some(ws.workspace_id);
    opened(&mut s, vec![e], vec![]);
    press(&mut s, "enter");
    assert_eq!(s.location.pane, PaneId::Clusters);
    assert_eq!(s.panes.clusters.table.selected_key(), Some(ws.workspace_id.to_string().as_str()));

    // An entry that names only a group has nowhere to go at v2: it says so.
    let mut s = v2();
    let mut e = log(8, 20, "Cluster.Update", "updated");
    e.cluster_id = Some(ws.workspace_group_id);
    opened(&mut s, vec![e], vec![]);
    press(&mut s, "enter");
    assert_eq!(s.location.pane, PaneId::Audit);
    assert!(s.toasts.items.iter().any(|t| t.text.contains("names no workspace")), "{:?}", s.toasts.items);
}

#[test]
fn enter_on_an_entry_that_names_only_its_user_goes_to_that_user() {
    let mut s = loaded();
    let user = Uuid::from_u128(0xf000_0005_0000_4000_8000_0000_0000_0000);
    let mut e = log(8, 30, "User.Login", "logged in");
    e.user_id = Some(user.to_string());
    opened(&mut s, vec![e], vec![]);
    let effects = press(&mut s, "enter");
    assert_eq!(s.location.pane, PaneId::Users);
    // The users are read on arrival; the user is selected once they are listed.
    let (id, _) = fetches(&effects).into_iter().find(|(_, f)| **f == Fetch::People(PeopleRequest::Directory)).unwrap();
    let someone = |id: Uuid, first: &str| OrgUser {
        user_id: id,
        email: format!("{}@acme.io", first.to_lowercase()),
        first_name: first.into(),
        last_name: "Lee".into(),
        user_kind: UserKind::Standard,
        description: None,
        cloud_principal: None,
        created_by: None,
        extra: Extra::new(),
    };
    let directory = Directory {
        org_id: org_id(),
        me: Uuid::nil(),
        users: vec![someone(Uuid::from_u128(1), "Ann"), someone(user, "Bo")],
        teams: Vec::new(),
        org_roles: Vec::new(),
        last_seen: None,
    };
    reply(&mut s, id, Ok(ApiReply::People(PeopleReply::Directory(Box::new(directory)))));
    assert_eq!(s.panes.users.table.selected_key(), Some(user.to_string().as_str()));
}
