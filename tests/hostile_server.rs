//! A server that is not the simulator: a small route table answering as servers shaped by other
//! spec versions, third-party mocks and hostile hosts do. Replies shaped by spec 1.1.33 (groups
//! without `provider` or `regionName`), schema-shaped odd values, a row without an id, names full
//! of terminal escapes; and, on a second server, oversized and endless bodies. `s2tui get` lists
//! what it can and prints no control character, or fails with one line and bounded memory; the
//! dashboard lists the groups.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::Query;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_s2tui");

const LEGACY: &str = "1f0c3e2a-0000-4000-8000-000000000001";
const ODD: &str = "1f0c3e2a-0000-4000-8000-000000000002";
const EVIL: &str = "1f0c3e2a-0000-4000-8000-000000000003";
const ESCAPES: &str = "\u{1b}]0;owned\u{7}\u{1b}]52;c;b3duZWQ=\u{7}\u{1b}[2J\u{1b}[31m";

fn groups() -> Value {
    json!([
        // Spec 1.1.33: no provider, no regionName.
        {"workspaceGroupID": LEGACY, "name": "legacy-group", "state": "ACTIVE", "createdAt": "2023-09-18T09:56:56Z",
         "regionID": "7e7ffd27-0000-1000-9000-e72828a81ac7", "firewallRanges": [], "allowAllTraffic": false,
         "expiresAt": "", "updateWindow": {"day": 2, "hour": 1}},
        // Every non-essential field shaped wrong.
        {"workspaceGroupID": ODD, "name": "odd-group", "state": "RESIZING", "createdAt": 1700000000,
         "provider": 7, "regionID": "", "regionName": null, "updateWindow": {"day": "Monday", "hour": 25},
         "firewallRanges": "0.0.0.0/0", "deploymentType": ["PRODUCTION"], "highAvailabilityTwoZones": "yes",
         "terminatedAt": {"when": "never"}},
        {"workspaceGroupID": EVIL, "name": format!("evil{ESCAPES}-group"), "state": "ACTIVE",
         "createdAt": "2024-01-01T00:00:00Z", "provider": "AWS", "regionID": "7e7ffd27-0000-1000-9000-e72828a81ac7",
         "regionName": format!("us-east-1{ESCAPES}")},
        // Nothing to identify it by: left out, the rest of the list stands.
        {"name": "no-id", "state": "ACTIVE"}
    ])
}

fn workspaces(group: &str) -> Value {
    let ws = |id: u32, name: String, extra: Value| {
        let mut v = json!({"workspaceID": format!("2a0c3e2a-0000-4000-8000-{id:012}"), "workspaceGroupID": group,
                           "name": name, "state": "ACTIVE"});
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    match group {
        LEGACY => json!([ws(
            1,
            "legacy-ws".into(),
            json!({"size": "S-00", "createdAt": "2023-09-18T09:56:56Z",
                                                          "endpoint": "svc-legacy.example"})
        )]),
        ODD => json!([ws(
            2,
            "odd-ws".into(),
            json!({"createdAt": false, "autoSuspend": "sometimes", "scaleFactor": "2",
                                                   "endpoint": 443, "resumeAttachments": [{"database": 1}]})
        )]),
        _ => json!([ws(
            3,
            format!("evil{ESCAPES}-ws"),
            json!({"size": format!("S-1{ESCAPES}"),
                                                              "createdAt": "2024-01-01T00:00:00Z"})
        )]),
    }
}

async fn list_workspaces(Query(q): Query<std::collections::HashMap<String, String>>) -> axum::Json<Value> {
    axum::Json(workspaces(q.get("workspaceGroupID").map(String::as_str).unwrap_or_default()))
}

fn odd_server() -> Router {
    Router::new()
        .route("/v1/workspaceGroups", get(|| async { axum::Json(groups()) }))
        .route("/v1/workspaces", get(list_workspaces))
        .route(
            "/v1/regions",
            get(|| async {
                axum::Json(json!([
                    {"regionID": "7e7ffd27-0000-1000-9000-e72828a81ac7", "region": "US East 1 (N. Virginia)", "provider": "AWS"},
                    {"regionID": "7e7ffd27-0000-1000-9000-e72828a81ac8", "region": "Mars 1", "provider": "Mars"},
                    {"regionID": "7e7ffd27-0000-1000-9000-e72828a81ac9", "region": format!("evil{ESCAPES}-region")},
                    {"regionID": "not-a-uuid", "region": "broken"}
                ]))
            }),
        )
        .route(
            "/v1/organizations/current",
            get(|| async {
                axum::Json(json!({"orgID": "3c5a8e7f-2b1d-4f6e-9a0c-1d2e3f4a5b6c", "name": format!("Acme{ESCAPES}"),
                                  "firewallRanges": "not-a-list"}))
            }),
        )
        .route(
            "/v1/teams",
            get(|| async {
                axum::Json(json!([
                    {"teamID": "4d5a8e7f-2b1d-4f6e-9a0c-1d2e3f4a5b6c", "name": format!("evil{ESCAPES}-team"),
                     "description": 42, "memberUsers": [{"userID": "", "email": 5}], "createdAt": {}},
                    {"teamID": "4d5a8e7f-2b1d-4f6e-9a0c-1d2e3f4a5b6d", "name": "plain-team", "description": "fine",
                     "memberTeams": "none"}
                ]))
            }),
        )
}

/// Bytes forever, in 64 KiB chunks.
fn endless(prefix: &'static [u8], filler: &'static [u8]) -> Body {
    let chunk = bytes::Bytes::from(filler.repeat(64 * 1024 / filler.len()));
    let head = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes::Bytes::from_static(prefix)) });
    let tail = futures_util::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
    Body::from_stream(futures_util::StreamExt::chain(head, tail))
}

fn big_server() -> Router {
    // 20 MB of valid groups, with its length declared.
    let group = r#"{"workspaceGroupID":"1f0c3e2a-0000-4000-8000-000000000001","name":"g","state":"ACTIVE"},"#;
    let mut big = String::from("[");
    while big.len() < 20_000_000 {
        big.push_str(group);
    }
    big.pop();
    big.push(']');
    let big = bytes::Bytes::from(big);
    Router::new()
        .route("/v1/workspaceGroups", get(move || async move { ([(header::CONTENT_TYPE, "application/json")], big) }))
        .route(
            "/v1/regions",
            get(|| async {
                let row: &'static [u8] =
                    br#"{"regionID":"7e7ffd27-0000-1000-9000-e72828a81ac7","region":"r","provider":"AWS"},"#;
                ([(header::CONTENT_TYPE, "application/json")], endless(b"[", row))
            }),
        )
        .route(
            "/v1/teams",
            get(|| async {
                let body = endless(b"\x1b]0;owned\x07broken\n", b"\x1b[2Jno\r\nend ");
                (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, "text/plain")], body).into_response()
            }),
        )
        .route(
            "/v1/organizations/current",
            get(|| async {
                let body: Response = (StatusCode::BAD_GATEWAY, "x".repeat(20_000_000)).into_response();
                body
            }),
        )
}

/// Serves `router` on 127.0.0.1:0 from its own runtime; the URL.
fn serve(router: Router) -> (String, tokio::runtime::Runtime) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let listener = rt.block_on(tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    rt.spawn(async move { axum::serve(listener, router).await });
    (url, rt)
}

fn get_cmd(url: &str, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(BIN)
        .arg("get")
        .args(args)
        .env_remove("SINGLESTOREDB_MANAGEMENT_TOKEN")
        .env_remove("S2TUI_PROFILE")
        .env_remove("S2TUI_LOG")
        .env("SINGLESTOREDB_API_KEY", "any-key")
        .env("SINGLESTOREDB_MANAGEMENT_BASE_URL", url)
        .env("S2TUI_CONFIG_DIR", home.path().join("config"))
        .env("S2TUI_DATA_DIR", home.path().join("data"))
        .env("S2TUI_STATE_DIR", home.path().join("state"))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_no_control(what: &str, out: &str) {
    let bad: Vec<char> = out.chars().filter(|c| c.is_control() && *c != '\n').collect();
    assert!(bad.is_empty(), "{what}: control characters {bad:?} in:\n{out}");
}

#[test]
fn get_lists_odd_replies_and_prints_nothing_that_acts_on_a_terminal() {
    let (url, _rt) = serve(odd_server());
    let cases: &[(&[&str], &[&str])] = &[
        (&["groups"], &["legacy-group", "odd-group", "RESIZING", "evil-group", "us-east-1"]),
        (&["workspaces"], &["legacy-ws", "odd-ws", "evil-ws", "S-1"]),
        (&["regions"], &["US East 1", "Mars", "evil-region"]),
        (&["org"], &["Acme", "3c5a8e7f-2b1d-4f6e-9a0c-1d2e3f4a5b6c"]),
        (&["teams"], &["evil-team", "plain-team"]),
    ];
    for (args, shows) in cases {
        let out = get_cmd(&url, args);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert!(out.status.success(), "get {args:?} failed: {stderr}");
        assert_no_control(&format!("get {args:?} stdout"), &stdout);
        assert_no_control(&format!("get {args:?} stderr"), &stderr.replace("\u{1b}[", "["));
        for s in *shows {
            assert!(stdout.contains(s), "get {args:?} does not show {s:?}:\n{stdout}");
        }
        assert!(!stdout.contains("no-id") && !stdout.contains("broken"), "rows without a usable id are left out");
    }
    // A row left out is said, on stderr.
    let out = get_cmd(&url, &["groups"]);
    assert!(text(&out.stderr).contains("left out"), "{}", text(&out.stderr));
    // JSON stays exact: the escape is there, as JSON escapes it.
    let out = get_cmd(&url, &["groups", "-o", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().any(|g| g["name"] == format!("evil{ESCAPES}-group")));
    let legacy = v.as_array().unwrap().iter().find(|g| g["name"] == "legacy-group").unwrap();
    assert!(legacy.get("provider").is_none() && legacy.get("regionName").is_none(), "absent stays absent: {legacy}");
}

#[test]
fn oversized_and_endless_replies_fail_in_one_line() {
    let (url, _rt) = serve(big_server());
    for (args, says) in [
        (&["groups"][..], "reply too large"),
        (&["regions"], "reply too large"),
        (&["teams"], "500 Internal Server Error"),
        (&["org"], "502 Bad Gateway"),
    ] {
        let started = Instant::now();
        let out = get_cmd(&url, args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "get {args:?}: {stderr}");
        let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(lines.len(), 1, "get {args:?}: {stderr}");
        assert!(lines[0].contains(says), "get {args:?}: {stderr}");
        assert!(stderr.len() < 4096, "get {args:?}: the error is bounded ({} bytes)", stderr.len());
        assert_no_control(&format!("get {args:?}"), &stderr);
        assert!(started.elapsed() < Duration::from_secs(20), "get {args:?} took {:?}", started.elapsed());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_lists_the_groups_of_an_odd_server() {
    use s2tui::api::{ApiKey, Client, ClientConfig};
    use s2tui::testing::{Headless, render, session};
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, odd_server()).await });
    let client = Client::new(ClientConfig::new(&url, ApiKey::new("any-key")).unwrap()).unwrap();
    let mut h = Headless::new(client, session());
    h.start();
    let deadline = Instant::now() + Duration::from_secs(10);
    assert!(h.until(deadline, |s| s.data.groups.value.is_some()).await, "the groups never arrived");
    let names: Vec<String> = h.state.data.groups.value.as_ref().unwrap().iter().map(|g| g.name.clone()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    h.type_text(":wg");
    h.press("enter");
    let screen = render(&mut h.state, 160, 30);
    for name in ["legacy-group", "odd-group", "evil-group"] {
        assert!(screen.contains(name), "{name} is not on the screen:\n{screen}");
    }
    assert!(!screen.contains('\u{1b}'));
}
