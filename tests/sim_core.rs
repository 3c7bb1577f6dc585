//! The simulator core over real HTTP: auth, every route's shape, state machines, refusals,
//! audit paging under concurrent appends, faults and seeds.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::time::{Duration, Instant};

use reqwest::Method;
use s2tui::sim::{Fault, Seed, SimConfig, SimHandle};
use serde_json::{Value, json};

const KEY: &str = "test-key-123";

struct Sim {
    h: SimHandle,
    c: reqwest::Client,
}

struct Resp {
    status: u16,
    text: String,
    content_type: String,
    retry_after: Option<String>,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text))
    }
    fn ok(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.text);
        self.json()
    }
    fn plain(&self, status: u16) -> &str {
        assert_eq!(self.status, status, "{}", self.text);
        assert!(self.content_type.starts_with("text/plain"), "{}", self.content_type);
        assert!(!self.text.is_empty());
        &self.text
    }
}

impl Sim {
    async fn start(seed: Seed, speed: f64, colleague_rate: f64) -> Sim {
        let config = SimConfig { api_key: KEY.into(), speed, seed, colleague_rate, ..SimConfig::default() };
        let h = SimHandle::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
        Sim { h, c: reqwest::Client::new() }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let mut req = self.c.request(method, format!("{}{path}", self.h.base_url())).bearer_auth(KEY);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let header = |n: &str| r.headers().get(n).and_then(|v| v.to_str().ok()).map(String::from);
        let content_type = header("content-type").unwrap_or_default();
        let retry_after = header("retry-after");
        let text = r.text().await.unwrap();
        Resp { status, text, content_type, retry_after }
    }

    async fn get(&self, path: &str) -> Resp {
        self.call(Method::GET, path, None).await
    }
    async fn post(&self, path: &str, body: Value) -> Resp {
        self.call(Method::POST, path, Some(body)).await
    }
    async fn patch(&self, path: &str, body: Value) -> Resp {
        self.call(Method::PATCH, path, Some(body)).await
    }
    async fn delete(&self, path: &str) -> Resp {
        self.call(Method::DELETE, path, None).await
    }

    /// Polls `path` until `done` holds, failing after a deadline.
    async fn wait_for(&self, path: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let v = self.get(path).await.ok();
            if done(&v) {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting on {path}: {v}");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    async fn first_region_id(&self) -> String {
        self.get("/v1/regions").await.ok()[0]["regionID"].as_str().unwrap().to_string()
    }

    /// A new ACTIVE group.
    async fn group(&self, name: &str) -> String {
        let region = self.first_region_id().await;
        let r = self
            .post("/v1/workspaceGroups", json!({"name": name, "regionID": region, "firewallRanges": ["0.0.0.0/0"]}))
            .await
            .ok();
        let id = r["workspaceGroupID"].as_str().unwrap().to_string();
        self.wait_for(&format!("/v1/workspaceGroups/{id}"), |v| v["state"] == "ACTIVE").await;
        id
    }

    /// A new ACTIVE workspace.
    async fn workspace(&self, group: &str, name: &str) -> String {
        let r = self.post("/v1/workspaces", json!({"name": name, "workspaceGroupID": group})).await.ok();
        let id = r["workspaceID"].as_str().unwrap().to_string();
        self.wait_for(&format!("/v1/workspaces/{id}"), |v| v["state"] == "ACTIVE").await;
        id
    }

    fn audit_types(&self) -> Vec<String> {
        self.h.shared().world().audit.iter().filter_map(|e| e.kind.clone()).collect()
    }
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[tokio::test]
async fn auth_is_required() {
    let sim = Sim::start(Seed::Empty, 1000.0, 0.0).await;
    let url = format!("{}/v1/organizations/current", sim.h.base_url());
    let none = sim.c.get(&url).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert!(none.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let wrong = sim.c.get(&url).bearer_auth("nope").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(!wrong.text().await.unwrap().is_empty());
    let org = sim.get("/v1/organizations/current").await.ok();
    assert_eq!(org["name"], "Acme Analytics");
    assert!(org["orgID"].as_str().is_some());
    sim.h.shutdown().await;
}

#[tokio::test]
async fn errors_are_plain_text() {
    let sim = Sim::start(Seed::Demo, 1000.0, 0.0).await;
    sim.get("/v1/nothing-here").await.plain(404);
    let t = sim.get("/v1/workspaces/not-a-uuid").await;
    assert!(t.plain(400).contains("UUID"));
    let t = sim.get("/v1/workspaces?workspaceGroupID=zzz").await;
    assert!(t.plain(400).contains("UUID"));
    let bad_json = sim
        .c
        .post(format!("{}/v1/secrets", sim.h.base_url()))
        .bearer_auth(KEY)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status(), 400);
    assert!(bad_json.text().await.unwrap().contains("invalid request body"));
    let missing = sim.post("/v1/secrets", json!({"name": "X"})).await;
    assert!(missing.plain(400).contains("value"));
    sim.h.shutdown().await;
}

#[tokio::test]
async fn regions_and_projection() {
    let sim = Sim::start(Seed::Empty, 1000.0, 0.0).await;
    let v1 = sim.get("/v1/regions").await.ok();
    assert_eq!(v1.as_array().unwrap().len(), 7);
    assert_eq!(keys(&v1[0]), ["provider", "region", "regionID"]);
    let v2 = sim.get("/v2/regions").await.ok();
    assert_eq!(keys(&v2[0]), ["provider", "region", "regionName"]);
    let providers: HashSet<&str> = v2.as_array().unwrap().iter().map(|r| r["provider"].as_str().unwrap()).collect();
    assert_eq!(providers, HashSet::from(["AWS", "GCP", "Azure"]));
    let st = sim.get("/v1/regions/sharedtier").await.ok();
    assert_eq!(st.as_array().unwrap().len(), 7);
    let projected = sim.get("/v1/regions?fields=regionID,provider").await.ok();
    assert_eq!(keys(&projected[0]), ["provider", "regionID"]);
    sim.h.shutdown().await;
}

#[tokio::test]
async fn group_lifecycle() {
    let sim = Sim::start(Seed::Empty, 1000.0, 0.0).await;
    let region = sim.first_region_id().await;
    // Validation.
    let bad = sim
        .post("/v1/workspaceGroups", json!({"name": "g", "regionID": region, "firewallRanges": ["10.0.0.0/99"]}))
        .await;
    assert!(bad.plain(400).contains("firewall"));
    let no_region = sim.post("/v1/workspaceGroups", json!({"name": "g", "firewallRanges": []})).await;
    no_region.plain(400);
    let unknown_region = sim
        .post(
            "/v1/workspaceGroups",
            json!({"name": "g", "provider": "AWS", "regionName": "mars-1", "firewallRanges": []}),
        )
        .await;
    unknown_region.plain(400);

    // Create by regionID without a password: a valid one is generated and returned.
    let created = sim
        .post(
            "/v1/workspaceGroups",
            json!({"name": "analytics", "regionID": region, "firewallRanges": ["0.0.0.0/0"],
                   "adminPassword": null, "smartDR": null, "backupBucketKMSKeyID": null,
                   "expiresAt": "3h30m", "deploymentType": "NON-PRODUCTION"}),
        )
        .await
        .ok();
    assert_eq!(keys(&created), ["adminPassword", "workspaceGroupID"]);
    let pw = created["adminPassword"].as_str().unwrap();
    assert!(pw.len() >= 14 && pw.chars().any(|c| !c.is_ascii_alphanumeric()));
    let id = created["workspaceGroupID"].as_str().unwrap();
    let path = format!("/v1/workspaceGroups/{id}");
    let g = sim.get(&path).await.ok();
    assert_eq!(g["state"], "PENDING");
    assert_eq!(g["deploymentType"], "NON-PRODUCTION");
    assert!(g["expiresAt"].as_str().is_some());
    for k in ["workspaceGroupID", "name", "state", "createdAt", "provider", "regionID", "regionName", "firewallRanges"]
    {
        assert!(g.get(k).is_some(), "missing {k}: {g}");
    }
    sim.wait_for(&path, |v| v["state"] == "ACTIVE").await;

    // Create by provider + regionName with a valid password: no password in the reply.
    let by_name = sim
        .post(
            "/v1/workspaceGroups",
            json!({"name": "eu", "provider": "GCP", "regionName": "europe-west1",
                   "firewallRanges": [], "adminPassword": "mockPassword193!",
                   "expiresAt": "2222-01-01T00:00:00Z"}),
        )
        .await
        .ok();
    assert_eq!(keys(&by_name), ["workspaceGroupID"]);
    let eu = by_name["workspaceGroupID"].as_str().unwrap();
    let eu_g = sim.get(&format!("/v1/workspaceGroups/{eu}")).await.ok();
    assert_eq!(eu_g["provider"], "GCP");
    assert_eq!(eu_g["regionName"], "europe-west1");

    // Update.
    let upd = sim
        .patch(
            &path,
            json!({"name": "analytics-2", "firewallRanges": ["192.168.0.1/32"], "updateWindow": {"day": 3, "hour": 15}}),
        )
        .await
        .ok();
    assert_eq!(upd, json!({"workspaceGroupID": id}));
    let g = sim.get(&path).await.ok();
    assert_eq!(g["name"], "analytics-2");
    assert_eq!(g["updateWindow"], json!({"day": 3, "hour": 15}));
    sim.patch(&path, json!({"adminPassword": "short"})).await.plain(400);

    // Terminate: refused while a workspace lives, forced terminates both.
    let ws = sim.workspace(id, "w1").await;
    let refused = sim.delete(&path).await;
    assert!(refused.plain(400).contains("force"));
    let ok = sim.delete(&format!("{path}?force=true")).await.ok();
    assert_eq!(ok, json!({"workspaceGroupID": id}));
    let g = sim.wait_for(&path, |v| v["state"] == "TERMINATED").await;
    assert!(g["terminatedAt"].as_str().is_some());
    let w = sim.get(&format!("/v1/workspaces/{ws}")).await.ok();
    assert_eq!(w["state"], "TERMINATED");
    let listed = sim.get("/v1/workspaceGroups").await.ok();
    assert!(!listed.as_array().unwrap().iter().any(|g| g["workspaceGroupID"] == id));
    let all = sim.get("/v1/workspaceGroups?includeTerminated=true").await.ok();
    assert!(all.as_array().unwrap().iter().any(|g| g["workspaceGroupID"] == id));
    sim.get(&format!("/v1/workspaceGroups/{}", uuid::Uuid::new_v4())).await.plain(404);

    let types = sim.audit_types();
    for t in ["WorkspaceGroup.Create", "WorkspaceGroup.Update", "WorkspaceGroup.Terminate"] {
        assert!(types.iter().any(|x| x == t), "{t} not audited");
    }
    // Passwords never reach the audit log.
    let text = serde_json::to_string(&sim.h.shared().world().audit).unwrap();
    assert!(!text.contains(pw) && !text.contains("mockPassword193!"));
    sim.h.shutdown().await;
}

#[tokio::test]
async fn workspace_state_machines() {
    // Slow enough that the intermediate states are observable.
    let sim = Sim::start(Seed::Empty, 100.0, 0.0).await;
    let g = sim.group("ws-tests").await;
    sim.get("/v1/workspaces").await.plain(400);
    sim.get(&format!("/v1/workspaces?workspaceGroupID={}", uuid::Uuid::new_v4())).await.plain(404);
    sim.post("/v1/workspaces", json!({"name": "w", "workspaceGroupID": g, "size": "M-1"})).await.plain(400);
    sim.post("/v1/workspaces", json!({"name": "w", "workspaceGroupID": g, "size": "S-3"})).await.plain(400);

    let created = sim
        .post("/v1/workspaces", json!({"name": "etl", "workspaceGroupID": g, "size": null, "enableKai": null}))
        .await
        .ok();
    assert_eq!(keys(&created), ["workspaceID"]);
    let id = created["workspaceID"].as_str().unwrap().to_string();
    let path = format!("/v1/workspaces/{id}");
    let w = sim.get(&path).await.ok();
    assert_eq!(w["state"], "PENDING");
    assert_eq!(w["size"], "S-00");
    assert_eq!(w["workspaceGroupID"], g.as_str());
    assert!(w["endpoint"].as_str().unwrap().starts_with(&format!("svc-{id}-dml.")));
    sim.post("/v1/workspaces", json!({"name": "etl", "workspaceGroupID": g})).await.plain(400);
    sim.wait_for(&path, |v| v["state"] == "ACTIVE").await;

    // Suspend: stays ACTIVE until done.
    let r = sim.post(&format!("{path}/suspend"), json!({})).await.ok();
    assert_eq!(r, json!({"workspaceID": id}));
    assert_eq!(sim.get(&path).await.ok()["state"], "ACTIVE");
    sim.patch(&path, json!({"size": "S-1"})).await.plain(409);
    sim.wait_for(&path, |v| v["state"] == "SUSPENDED").await;
    sim.post(&format!("{path}/suspend"), json!({})).await.plain(400);
    assert!(sim.patch(&path, json!({"size": "S-1"})).await.plain(409).contains("SUSPENDED"));

    // Resume: stays SUSPENDED, then ACTIVE with the resume report.
    sim.post(&format!("{path}/resume"), json!({"disableAutoSuspend": false})).await.ok();
    assert_eq!(sim.get(&path).await.ok()["state"], "SUSPENDED");
    let w = sim.wait_for(&path, |v| v["state"] == "ACTIVE").await;
    assert!(w["lastResumedAt"].as_str().is_some());
    let att = &w["resumeAttachments"][0];
    assert_eq!(att["attachment"], "READWRITE");
    assert_eq!(att["success"], true);
    sim.post(&format!("{path}/resume"), json!({})).await.plain(400);

    // Resize: ACTIVE with scalingProgress, then the new size.
    let r = sim.patch(&path, json!({"size": "S-2"})).await.ok();
    assert_eq!(r, json!({"workspaceID": id}));
    let w = sim.get(&path).await.ok();
    assert_eq!(w["state"], "ACTIVE");
    assert_eq!(w["size"], "S-00");
    assert!(w["scalingProgress"].as_f64().is_some());
    sim.patch(&path, json!({"size": "S-4"})).await.plain(409);
    let w = sim.wait_for(&path, |v| v["size"] == "S-2").await;
    assert!(w.get("scalingProgress").is_none());

    // Terminate (clients send ?force=false): TERMINATED, readable, hidden from lists.
    let r = sim.delete(&format!("{path}?force=false")).await.ok();
    assert_eq!(r, json!({"workspaceID": id}));
    let w = sim.wait_for(&path, |v| v["state"] == "TERMINATED").await;
    assert!(w["terminatedAt"].as_str().is_some());
    let list = sim.get(&format!("/v1/workspaces?workspaceGroupID={g}")).await.ok();
    assert!(list.as_array().unwrap().is_empty());
    let list = sim
        .get(&format!("/v1/workspaces?workspaceGroupID={g}&includeTerminated=true&fields=workspaceID,state"))
        .await
        .ok();
    assert_eq!(list[0], json!({"workspaceID": id, "state": "TERMINATED"}));
    sim.patch(&path, json!({"size": "S-1"})).await.plain(409);

    // Activity spans: opened at ACTIVE, closed at SUSPENDED, split at the resize, closed at the end.
    {
        let world = sim.h.shared().world();
        let rec = &world.workspaces[&id.parse().unwrap()];
        let sizes: Vec<&str> = rec.activity.iter().map(|p| p.size.as_str()).collect();
        assert_eq!(sizes, ["S-00", "S-00", "S-2"]);
        assert!(rec.activity.iter().all(|p| p.end.is_some()));
        for pair in rec.activity.windows(2) {
            assert!(pair[0].end.unwrap() <= pair[1].start);
        }
    }
    let types = sim.audit_types();
    for t in ["Workspace.Create", "Workspace.Suspend", "Workspace.Resume", "Workspace.Resize", "Workspace.Terminate"] {
        assert!(types.iter().any(|x| x == t), "{t} not audited");
    }
    sim.h.shutdown().await;
}

#[tokio::test]
async fn private_connections() {
    let sim = Sim::start(Seed::Empty, 1000.0, 0.0).await;
    let g = sim.group("pc").await;
    let ws = sim.workspace(&g, "w").await;
    let r = sim
        .post(
            "/v1/privateConnections",
            json!({"workspaceGroupID": g, "workspaceID": ws, "type": "INBOUND", "allowList": "arn:aws:iam::123456789012:root"}),
        )
        .await
        .ok();
    assert_eq!(keys(&r), ["privateConnectionID"]);
    let id = r["privateConnectionID"].as_str().unwrap().to_string();
    let path = format!("/v1/privateConnections/{id}");
    let c = sim.get(&path).await.ok();
    assert_eq!(c["status"], "PENDING");
    assert_eq!(c["type"], "INBOUND");
    assert!(c["serviceName"].as_str().unwrap().contains("vpce-svc-"));
    sim.wait_for(&path, |v| v["status"] == "ACTIVE").await;
    let by_group = sim.get(&format!("/v1/workspaceGroups/{g}/privateConnections")).await.ok();
    assert_eq!(by_group[0]["privateConnectionID"], id.as_str());
    sim.get(&format!("/v1/workspaces/{ws}/privateConnections")).await.plain(400);
    let by_ws = sim.get(&format!("/v1/workspaces/{ws}/privateConnections?workspaceGroupID={g}")).await.ok();
    assert_eq!(by_ws.as_array().unwrap().len(), 1);
    let upd = sim.patch(&path, json!({"allowList": "my-allow-list"})).await.ok();
    assert_eq!(upd, json!({"privateConnectionID": id}));
    assert_eq!(sim.get(&path).await.ok()["allowList"], "my-allow-list");
    let allow = sim.get(&format!("/v1/workspaces/{ws}/privateConnections/outboundAllowList")).await.ok();
    assert!(allow[0]["outboundAllowList"].as_str().is_some());
    let kai = sim.get(&format!("/v1/workspaces/{ws}/privateConnections/kai")).await.ok();
    assert!(kai["serviceName"].as_str().is_some());
    sim.post("/v1/privateConnections", json!({"workspaceGroupID": g, "type": "OUTBOUND"})).await.plain(400);
    sim.delete(&path).await.ok();
    sim.wait_for(&path, |v| v["status"] == "DELETED").await;
    sim.delete(&path).await.plain(400);
    assert!(sim.audit_types().iter().any(|t| t == "PrivateConnection.Delete"));
    sim.h.shutdown().await;
}

#[tokio::test]
async fn secrets_round_trip() {
    let sim = Sim::start(Seed::Demo, 1000.0, 0.0).await;
    let list = sim.get("/v1/secrets").await.ok();
    let items = list["secrets"].as_array().unwrap();
    assert!((3..=4).contains(&items.len()));
    assert!(items.iter().all(|s| s.get("value").is_none()));
    sim.post("/v1/secrets", json!({"name": "bad-name", "value": "x"})).await.plain(400);
    let created = sim.post("/v1/secrets", json!({"name": "DB_TOKEN", "value": "s3cr3t-value"})).await.ok();
    let s = &created["secret"];
    let id = s["secretID"].as_str().unwrap().to_string();
    for k in ["secretID", "name", "createdAt", "createdBy", "lastUpdatedAt", "lastUpdatedBy"] {
        assert!(s.get(k).is_some(), "missing {k}");
    }
    sim.post("/v1/secrets", json!({"name": "DB_TOKEN", "value": "y"})).await.plain(400);
    let got = sim.get(&format!("/v1/secrets/{id}")).await.ok();
    assert_eq!(got["secret"]["value"], "s3cr3t-value");
    let filtered = sim.get("/v1/secrets?name=DB_TOKEN").await.ok();
    assert_eq!(filtered["secrets"].as_array().unwrap().len(), 1);
    // A lookup by name carries the value (the SDK's get_secret(name) returns it).
    assert_eq!(filtered["secrets"][0]["value"], "s3cr3t-value");
    let upd = sim.patch(&format!("/v1/secrets/{id}"), json!({"value": "new-value"})).await.ok();
    assert_eq!(upd["secret"]["name"], "DB_TOKEN");
    assert_eq!(sim.get(&format!("/v1/secrets/{id}")).await.ok()["secret"]["value"], "new-value");
    let del = sim.delete(&format!("/v1/secrets/{id}")).await.ok();
    assert_eq!(del, json!({"secretID": id}));
    sim.get(&format!("/v1/secrets/{id}")).await.plain(404);
    let text = serde_json::to_string(&sim.h.shared().world().audit).unwrap();
    assert!(!text.contains("s3cr3t-value") && !text.contains("new-value"));
    assert!(sim.audit_types().iter().any(|t| t == "Secret.Create"));
    sim.h.shutdown().await;
}

#[tokio::test]
async fn teams_round_trip() {
    let sim = Sim::start(Seed::Demo, 1000.0, 0.0).await;
    let teams = sim.get("/v1/teams").await.ok();
    assert_eq!(teams.as_array().unwrap().len(), 3);
    let regex = sim.get("/v1/teams?name=^Data").await.ok();
    assert_eq!(regex.as_array().unwrap().len(), 1);
    assert_eq!(regex[0]["name"], "Data Engineering");
    let exact = sim.get("/v1/teams?name=Analytics").await.ok();
    assert_eq!(exact.as_array().unwrap().len(), 1);
    let by_desc = sim.get("/v1/teams?description=reporting").await.ok();
    assert_eq!(by_desc[0]["name"], "Analytics");

    let created = sim.post("/v1/teams", json!({"name": "SRE", "description": "on call"})).await.ok();
    let id = created["teamID"].as_str().unwrap().to_string();
    assert_eq!(created["memberUsers"], json!([]));
    assert_eq!(created["description"], "on call");
    let other = teams[0]["teamID"].as_str().unwrap();
    let member_email = "priya.raman@acme-analytics.io";
    let upd = sim
        .patch(
            &format!("/v1/teams/{id}"),
            json!({"addMemberUserEmails": [member_email], "addMemberTeamIDs": [other],
                   "removeMemberUserIDs": null}),
        )
        .await
        .ok();
    assert_eq!(upd, json!({"teamID": id}));
    let t = sim.get(&format!("/v1/teams/{id}")).await.ok();
    assert_eq!(t["memberUsers"][0]["email"], member_email);
    assert_eq!(keys(&t["memberUsers"][0]), ["email", "firstName", "lastName", "userID"]);
    assert_eq!(t["memberTeams"][0]["teamID"], other);
    let unknown = sim.patch(&format!("/v1/teams/{id}"), json!({"addMemberUserEmails": ["nobody@example.com"]})).await;
    assert!(unknown.plain(400).contains("nobody@example.com"));
    let uid = t["memberUsers"][0]["userID"].as_str().unwrap();
    sim.patch(&format!("/v1/teams/{id}"), json!({"removeMemberUserIDs": [uid]})).await.ok();
    assert_eq!(sim.get(&format!("/v1/teams/{id}")).await.ok()["memberUsers"], json!([]));
    let del = sim.delete(&format!("/v1/teams/{id}")).await.ok();
    assert_eq!(del, json!({"teamID": id}));
    sim.get(&format!("/v1/teams/{id}")).await.plain(404);
    let types = sim.audit_types();
    for t in ["Team.Create", "Team.Update", "Team.Delete"] {
        assert!(types.iter().any(|x| x == t), "{t} not audited");
    }
    sim.h.shutdown().await;
}

#[tokio::test]
async fn audit_filters_and_order() {
    let sim = Sim::start(Seed::Demo, 1000.0, 0.0).await;
    let all = sim.get("/v1/auditLogs?limit=1000").await.ok();
    let entries = all["auditLogs"].as_array().unwrap();
    assert!(entries.len() >= 300);
    let times: Vec<&str> = entries.iter().map(|e| e["createdAt"].as_str().unwrap()).collect();
    let parsed: Vec<_> = times.iter().map(|t| chrono::DateTime::parse_from_rfc3339(t).unwrap()).collect();
    assert!(parsed.windows(2).all(|p| p[0] <= p[1]), "ascending by default");
    let desc = sim.get("/v1/auditLogs?sortByDescending=true&limit=5").await.ok();
    assert_eq!(desc["auditLogs"][0]["auditID"], entries.last().unwrap()["auditID"]);
    let default_page = sim.get("/v1/auditLogs").await.ok();
    assert_eq!(default_page["auditLogs"].as_array().unwrap().len(), 100);

    // Filters.
    let e = &entries[10];
    let email = e["userEmail"].as_str().unwrap();
    let by_email = sim.get(&format!("/v1/auditLogs?email={email}&limit=1000")).await.ok();
    assert!(by_email["auditLogs"].as_array().unwrap().iter().all(|x| x["userEmail"] == email));
    let start = times[20];
    let end = times[30];
    let window =
        sim.get(&format!("/v1/auditLogs?startDate={}&endDate={}", urlencode(start), urlencode(end))).await.ok();
    assert_eq!(window["auditLogs"].as_array().unwrap().len(), 11, "inclusive");
    let sys = sim.get("/v1/auditLogs?source=SystemJob&limit=1000").await.ok();
    assert!(sys["auditLogs"].as_array().unwrap().iter().all(|x| x["source"] == "SystemJob"));
    sim.get("/v1/auditLogs?source=Nope").await.plain(400);
    sim.get("/v1/auditLogs?startDate=yesterday").await.plain(400);
    sim.get("/v1/auditLogs?nextToken=garbage").await.plain(400);
    sim.get("/v1/auditLogs?limit=0").await.plain(400);

    // A mutation through the API key is audited with the key and the object's ids.
    let region = sim.first_region_id().await;
    let g = sim
        .post("/v1/workspaceGroups", json!({"name": "audited", "regionID": region, "firewallRanges": []}))
        .await
        .ok();
    let gid = g["workspaceGroupID"].as_str().unwrap();
    let mine = sim.get(&format!("/v1/auditLogs?workspaceGroupID={gid}&type=WorkspaceGroup.Create")).await.ok();
    let entry = &mine["auditLogs"][0];
    assert_eq!(entry["clusterID"], gid);
    assert_eq!(entry["source"], "Admin");
    assert!(entry["apiKeyID"].as_str().is_some());
    assert!(entry["reason"].as_str().unwrap().contains("audited"));
    let key_id = entry["apiKeyID"].as_str().unwrap();
    let by_key = sim.get(&format!("/v1/auditLogs?apiKeyID={key_id}")).await.ok();
    assert_eq!(by_key["auditLogs"].as_array().unwrap().len(), 1);

    // An empty page hands back the same token.
    let tail = sim.get("/v1/auditLogs?limit=1000").await.ok();
    let token = tail["nextToken"].as_str().unwrap().to_string();
    let empty = sim.get(&format!("/v1/auditLogs?nextToken={token}")).await.ok();
    assert_eq!(empty["auditLogs"], json!([]));
    assert_eq!(empty["nextToken"], token.as_str());
    sim.h.shutdown().await;
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn audit_paging_under_concurrent_appends() {
    let sim = Sim::start(Seed::Demo, 1000.0, 200.0).await;
    let mut seen: Vec<String> = Vec::new();
    let mut token: Option<String> = None;
    let until = Instant::now() + Duration::from_millis(1500);
    let mut pages = 0;
    loop {
        let path = match &token {
            Some(t) => format!("/v1/auditLogs?limit=50&nextToken={t}"),
            None => "/v1/auditLogs?limit=50".to_string(),
        };
        let page = sim.get(&path).await.ok();
        pages += 1;
        let items = page["auditLogs"].as_array().unwrap();
        seen.extend(items.iter().map(|e| e["auditID"].as_str().unwrap().to_string()));
        token = Some(page["nextToken"].as_str().unwrap().to_string());
        if Instant::now() > until && items.len() < 50 {
            break;
        }
    }
    assert!(pages > 5);
    let log: Vec<String> = sim.h.shared().world().audit.iter().map(|e| e.audit_id.unwrap().to_string()).collect();
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no repeats");
    assert!(seen.len() > 320 + 100, "colleagues appended while paging");
    assert_eq!(seen[..], log[..seen.len()], "no gaps, same order");
    sim.h.shutdown().await;
}

#[tokio::test]
async fn colleague_rate_is_exact() {
    let sim = Sim::start(Seed::Demo, 1000.0, 200.0).await;
    let before = sim.h.shared().world().audit.len();
    let t0 = Instant::now();
    let deadline = t0 + Duration::from_secs(15);
    // A second's worth of entries arrives eventually (the deadline only bounds the wait) …
    let added = loop {
        let added = sim.h.shared().world().audit.len() - before;
        if added >= 200 {
            break added;
        }
        assert!(Instant::now() < deadline, "only {added} colleague entries");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    // … and never more than the rate allows for the time that passed.
    let elapsed = t0.elapsed().as_secs_f64();
    assert!(added as f64 <= 200.0 * elapsed * 1.1 + 5.0, "added {added} in {elapsed}s");
    let kinds: HashSet<String> = sim.audit_types().into_iter().collect();
    assert!(kinds.contains("User.Login"));
    sim.h.shutdown().await;
}

#[tokio::test]
async fn faults_are_applied() {
    let sim = Sim::start(Seed::Empty, 1000.0, 0.0).await;
    sim.h.inject(Fault::TooManyRequests { retry_after_secs: 7 });
    let r = sim.get("/v1/regions").await;
    assert_eq!(r.retry_after.as_deref(), Some("7"));
    r.plain(429);
    sim.h.inject(Fault::ServerError(503));
    sim.get("/v1/regions").await.plain(503);

    // A dropped connection gets no response at all, and the request reached the server once.
    sim.h.inject(Fault::Drop);
    let fresh = reqwest::Client::new();
    let dropped = fresh
        .post(format!("{}/v1/secrets", sim.h.base_url()))
        .bearer_auth(KEY)
        .json(&json!({"name": "ONCE", "value": "v"}))
        .send()
        .await;
    assert!(dropped.is_err(), "{dropped:?}");
    let posts: Vec<_> =
        sim.h.requests().into_iter().filter(|r| r.method == "POST" && r.path_and_query == "/v1/secrets").collect();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].status, None);
    assert!(sim.h.shared().world().secrets.is_empty());

    // Rates from the parsed spec; 100% 5xx answers everything with 500/503, before auth.
    sim.h.set_faults("5xx=100%".parse().unwrap());
    let anon = fresh.get(format!("{}/v1/regions", sim.h.base_url())).send().await.unwrap();
    assert!([500, 503].contains(&anon.status().as_u16()));
    sim.h.set_faults("latency=150ms".parse().unwrap());
    let t0 = Instant::now();
    sim.get("/v1/regions").await.ok();
    assert!(t0.elapsed() >= Duration::from_millis(150));
    sim.h.set_faults("none".parse().unwrap());
    let statuses: Vec<Option<u16>> = sim.h.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses[..3], [Some(429), Some(503), None]);
    sim.h.shutdown().await;
}

#[tokio::test]
async fn a_held_reply_comes_late_but_the_change_is_made_at_once() {
    let sim = Sim::start(Seed::Empty, 1000.0, 0.0).await;
    // Far longer than anything else here takes: only the held reply is that late.
    sim.h.hold_reply("POST", "/v1/secrets", Duration::from_secs(60));
    let send = sim
        .c
        .post(format!("{}/v1/secrets", sim.h.base_url()))
        .bearer_auth(KEY)
        .json(&json!({"name": "HELD", "value": "v"}))
        .send();
    let held = tokio::spawn(send);
    let deadline = Instant::now() + Duration::from_secs(15);
    while sim.h.shared().world().secrets.is_empty() {
        assert!(Instant::now() < deadline, "the held change was never made");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // A read of the same path, and the next change, are not held.
    let list = sim.get("/v1/secrets").await.ok();
    assert_eq!(list["secrets"][0]["name"], "HELD", "{list}");
    sim.post("/v1/secrets", json!({"name": "NEXT", "value": "v"})).await.ok();
    assert!(!held.is_finished(), "the held reply came back before the requests after it");
    let posts: Vec<_> = sim.h.requests().into_iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.iter().map(|r| r.status).collect::<Vec<_>>(), [None, Some(200)]);
    held.abort();
    sim.h.shutdown().await;
}

#[tokio::test]
async fn seeds_load() {
    let demo = Sim::start(Seed::Demo, 1.0, 0.0).await;
    let groups = demo.get("/v1/workspaceGroups").await.ok();
    let groups = groups.as_array().unwrap();
    assert!((4..=5).contains(&groups.len()));
    assert!(groups.iter().any(|g| g["deploymentType"] == "NON-PRODUCTION" && g["expiresAt"].as_str().is_some()));
    let mut states = HashSet::new();
    let mut count = 0;
    for g in groups {
        let id = g["workspaceGroupID"].as_str().unwrap();
        let list = demo.get(&format!("/v1/workspaces?workspaceGroupID={id}")).await.ok();
        for w in list.as_array().unwrap() {
            count += 1;
            states.insert(w["state"].as_str().unwrap().to_string());
            assert!(w["endpoint"].as_str().unwrap().ends_with(".svc.singlestore.com"));
        }
        demo.get(&format!("/v1/workspaceGroups/{id}/privateConnections")).await.ok();
    }
    assert!(count >= 10);
    for s in ["ACTIVE", "SUSPENDED", "PENDING", "FAILED"] {
        assert!(states.contains(s), "no {s} workspace");
    }
    let starters = demo.get("/v1/sharedtier/virtualWorkspaces").await.ok();
    let sid = starters[0]["virtualWorkspaceID"].as_str().unwrap();
    demo.get(&format!("/v1/sharedtier/virtualWorkspaces/{sid}")).await.ok();
    {
        let w = demo.h.shared().world();
        let oldest = w.workspaces.values().filter_map(|r| r.activity.first()).map(|p| p.start).min().unwrap();
        assert!(chrono::Utc::now() - oldest > chrono::Duration::days(100));
    }
    demo.h.shutdown().await;

    let empty = Sim::start(Seed::Empty, 1.0, 0.0).await;
    assert_eq!(empty.get("/v1/workspaceGroups").await.ok(), json!([]));
    assert_eq!(empty.get("/v1/teams").await.ok(), json!([]));
    assert_eq!(empty.get("/v1/auditLogs").await.ok()["auditLogs"], json!([]));
    empty.h.shutdown().await;

    let large = Sim::start(Seed::Large(25), 1.0, 0.0).await;
    let groups = large.get("/v1/workspaceGroups").await.ok();
    assert_eq!(groups.as_array().unwrap().len(), 3);
    large.h.shutdown().await;
}

#[test]
fn simulator_never_imports_the_ui() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sim"), &mut files);
    assert!(files.len() > 5);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for banned in ["ratatui", "crossterm"] {
            assert!(!text.contains(banned), "{} mentions {banned}", f.display());
        }
    }
}

/// Input a client can send that would overflow date arithmetic is refused with a 400, never a
/// dropped connection.
#[tokio::test]
async fn absurd_dates_and_durations_are_400s_not_crashes() {
    let sim = Sim::start(Seed::Demo, 1000.0, 0.0).await;
    sim.get("/v1/billing/usage?startTime=%2B262142-12-31T23:30:00&endTime=%2B262142-12-31T23:59:00").await.plain(400);
    let group = sim.group("Staging").await;
    let r = sim
        .post(
            "/v1/workspaces",
            json!({
                "name": "huge-suspend", "workspaceGroupID": group,
                "autoSuspend": {"suspendType": "SCHEDULED", "suspendAfterSeconds": 1e300}
            }),
        )
        .await;
    assert!(r.plain(400).contains("suspendAfterSeconds"));
}
