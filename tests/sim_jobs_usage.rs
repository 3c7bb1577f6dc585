//! Jobs and billing usage over real HTTP.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::DurationRound;

use reqwest::StatusCode;
use s2tui::api::types::format_time;
use s2tui::sim::server::SimHandle;
use s2tui::sim::usage::credits_per_hour;
use s2tui::sim::world::ActivePeriod;
use s2tui::sim::{Seed, SimConfig};
use serde_json::{Value, json};

struct Sim {
    h: SimHandle,
    http: reqwest::Client,
}

async fn start(speed: f64) -> Sim {
    start_with(Seed::Demo, speed).await
}

async fn start_with(seed: Seed, speed: f64) -> Sim {
    let config = SimConfig { seed, speed, colleague_rate: 0.0, ..SimConfig::default() };
    let h = SimHandle::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {}", h.api_key()).parse().unwrap());
    let http = reqwest::Client::builder().default_headers(headers).build().unwrap();
    Sim { h, http }
}

impl Sim {
    fn url(&self, p: &str) -> String {
        format!("{}{p}", self.h.base_url())
    }
    async fn get(&self, p: &str) -> (StatusCode, Value) {
        let r = self.http.get(self.url(p)).send().await.unwrap();
        let s = r.status();
        (s, r.json().await.unwrap_or(Value::Null))
    }
    async fn get_text(&self, p: &str) -> (StatusCode, String) {
        let r = self.http.get(self.url(p)).send().await.unwrap();
        (r.status(), r.text().await.unwrap())
    }
    async fn post(&self, p: &str, body: &Value) -> (StatusCode, String) {
        let r = self.http.post(self.url(p)).json(body).send().await.unwrap();
        (r.status(), r.text().await.unwrap())
    }
    async fn active_workspace(&self) -> String {
        let w = self.h.shared().world();
        w.workspaces
            .values()
            .find(|ws| ws.api.state == s2tui::api::types::WorkspaceState::Active && ws.pending.is_none())
            .map(|ws| ws.api.workspace_id.to_string())
            .expect("an active workspace in the demo seed")
    }
}

fn job_body(target: &str) -> Value {
    json!({
        "name": "test job",
        "description": null,
        "executionConfig": {"notebookPath": "Scheduled/t.ipynb", "createSnapshot": false, "runtimeName": null},
        "schedule": {"mode": "Recurring", "executionIntervalInMinutes": 1,
                     "startAt": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()},
        "targetConfig": {"targetID": target, "targetType": "Workspace", "databaseName": "db"},
        "parameters": [{"name": "n", "type": "integer", "value": "3"},
                       {"name": "flag", "type": "boolean", "value": "True"}]
    })
}

#[tokio::test]
async fn recurring_jobs_execute_on_schedule() {
    let sim = start(600.0).await;
    let ws = sim.active_workspace().await;
    let (s, text) = sim.post("/v1/jobs", &job_body(&ws)).await;
    assert_eq!(s, StatusCode::OK, "{text}");
    let job: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(job["targetConfig"]["resumeTarget"], false);
    assert_eq!(job["schedule"]["executionIntervalInMinutes"], 1);
    let id = job["jobID"].as_str().unwrap().to_string();

    let deadline = Instant::now() + Duration::from_secs(30);
    let execs = loop {
        let (s, r) = sim.get(&format!("/v1/jobs/{id}/executions?start=1&end=100")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(r["executionsMetadata"], json!({"startExecutionNumber": 1, "endExecutionNumber": 100}));
        let list = r["executions"].as_array().unwrap().clone();
        if list.iter().filter(|e| !e["finishedAt"].is_null()).count() >= 3 {
            break list;
        }
        assert!(Instant::now() < deadline, "executions never finished: {list:?}");
        tokio::task::yield_now().await;
    };
    let mut last_scheduled = String::new();
    for (i, e) in execs.iter().enumerate() {
        assert_eq!(e["executionNumber"], i as i64 + 1);
        assert_eq!(e["jobID"], id.as_str());
        let status = e["status"].as_str().unwrap();
        assert!(["Scheduled", "Running", "Completed", "Failed", "Error"].contains(&status), "{status}");
        let scheduled = e["scheduledStartTime"].as_str().unwrap().to_string();
        assert!(scheduled > last_scheduled);
        last_scheduled = scheduled;
        if !e["finishedAt"].is_null() {
            assert!(e["startedAt"].as_str().unwrap() <= e["finishedAt"].as_str().unwrap());
            assert!(["Completed", "Failed", "Error"].contains(&status));
        }
    }
    assert_eq!(execs.last().unwrap()["status"], "Scheduled", "the next run waits as Scheduled");

    let (_, job) = sim.get(&format!("/v1/jobs/{id}")).await;
    assert!(job["completedExecutionsCount"].as_i64().unwrap() >= 3);
    let counted: i64 = job["jobMetadata"].as_array().unwrap().iter().map(|m| m["count"].as_i64().unwrap()).sum();
    assert!(counted >= 4, "{job}");

    let (_, params) = sim.get(&format!("/v1/jobs/{id}/parameters")).await;
    assert_eq!(params[1], json!({"name": "flag", "type": "boolean", "value": "True"}));

    // A window beyond what exists is empty but still echoed.
    let (_, r) = sim.get(&format!("/v1/jobs/{id}/executions?start=100000&end=100010")).await;
    assert_eq!(r["executions"], json!([]));
    assert_eq!(r["executionsMetadata"]["startExecutionNumber"], 100000);
}

#[tokio::test]
async fn once_jobs_run_once_with_a_snapshot() {
    let sim = start(600.0).await;
    let ws = sim.active_workspace().await;
    let mut body = job_body(&ws);
    body["schedule"] = json!({"mode": "Once"});
    body["executionConfig"]["createSnapshot"] = json!(true);
    let (s, text) = sim.post("/v1/jobs", &body).await;
    assert_eq!(s, StatusCode::OK, "{text}");
    let id = serde_json::from_str::<Value>(&text).unwrap()["jobID"].as_str().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, job) = sim.get(&format!("/v1/jobs/{id}")).await;
        if job["completedExecutionsCount"] == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "never completed: {job}");
        tokio::task::yield_now().await;
    }
    let (_, r) = sim.get(&format!("/v1/jobs/{id}/executions?start=1&end=10")).await;
    let list = r["executions"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert!(list[0]["snapshotNotebookPath"].as_str().unwrap().ends_with(".ipynb"));
}

#[tokio::test]
async fn job_validation_deletion_and_missing_list() {
    let sim = start(1.0).await;
    let ws = sim.active_workspace().await;
    let bad = |f: &dyn Fn(&mut Value)| {
        let mut b = job_body(&ws);
        f(&mut b);
        b
    };
    let cases = [
        bad(&|b| {
            b["executionConfig"].as_object_mut().unwrap().remove("notebookPath");
        }),
        bad(&|b| b["executionConfig"]["notebookPath"] = json!("")),
        bad(&|b| {
            b["schedule"].as_object_mut().unwrap().remove("executionIntervalInMinutes");
        }),
        bad(&|b| b["schedule"]["executionIntervalInMinutes"] = json!(0)),
        bad(&|b| b["targetConfig"]["targetID"] = json!(uuid::Uuid::new_v4())),
        bad(&|b| b["parameters"][0]["value"] = json!("three")),
        bad(&|b| b["parameters"][1]["value"] = json!("yes")),
        bad(&|b| b["executionConfig"]["runtimeName"] = json!("notebooks-quantum")),
    ];
    for (i, body) in cases.iter().enumerate() {
        let (s, text) = sim.post("/v1/jobs", body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "case {i}: {text}");
        assert!(!text.is_empty());
    }

    let (s, text) = sim.post("/v1/jobs", &job_body(&ws)).await;
    assert_eq!(s, StatusCode::OK);
    let id = serde_json::from_str::<Value>(&text).unwrap()["jobID"].as_str().unwrap().to_string();
    assert_eq!(sim.get(&format!("/v1/jobs/{id}/executions?end=3")).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(sim.get(&format!("/v1/jobs/{id}/executions?start=1")).await.0, StatusCode::BAD_REQUEST);

    let r = sim.http.delete(sim.url(&format!("/v1/jobs/{id}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap(), "true");
    let (s, job) = sim.get(&format!("/v1/jobs/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(job["terminatedAt"].is_string(), "{job}");

    let (s, body) = sim.get_text("/v1/jobs").await;
    assert!(matches!(s, StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED), "{s}");
    assert!(serde_json::from_str::<Value>(&body).is_err(), "{body}");
    assert_eq!(sim.get("/v1/jobs/nope").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(sim.get(&format!("/v1/jobs/{}", uuid::Uuid::new_v4())).await.0, StatusCode::NOT_FOUND);

    let (s, rts) = sim.get("/v1/jobs/runtimes").await;
    assert_eq!(s, StatusCode::OK);
    let names: Vec<&str> = rts.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"notebooks-cpu-small") && names.contains(&"notebooks-gpu-t4"));
}

fn rows_for<'a>(reply: &'a Value, metric: &str, resource: &str) -> Vec<&'a Value> {
    reply["billingUsage"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["metric"] == metric)
        .flat_map(|m| m["usage"].as_array().unwrap())
        .filter(|r| r["resourceId"] == resource)
        .collect()
}

fn values(rows: &[&Value]) -> Vec<f64> {
    rows.iter().map(|r| r["value"].as_str().unwrap().parse().unwrap()).collect()
}

#[tokio::test]
async fn usage_aggregates_activity_spans() {
    let sim = start(1.0).await;
    let ws = sim.active_workspace().await;
    {
        let mut w = sim.h.shared().world();
        let rec = w.workspaces.get_mut(&ws.parse().unwrap()).unwrap();
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        let span =
            |a, b, size: &str, sf| ActivePeriod { start: t(a), end: Some(t(b)), size: size.into(), scale_factor: sf };
        rec.activity.insert(0, span("2020-03-01T00:30:00Z", "2020-03-01T02:15:00Z", "S-1", 1.0));
        rec.activity.insert(1, span("2020-03-02T10:00:00Z", "2020-03-02T12:00:00Z", "S-2", 2.0));
    }
    let q = |agg: &str| {
        format!(
            "/v1/billing/usage?metric=ComputeCredit&startTime=2020-03-01T00:00:00Z&endTime=2020-04-01T00:00:00Z&{agg}"
        )
    };
    let (s, hourly) = sim.get(&q("")).await;
    assert_eq!(s, StatusCode::OK);
    let rows = rows_for(&hourly, "compute-hour", &ws);
    assert_eq!(values(&rows), vec![0.5, 1.0, 0.25, 4.0, 4.0], "idle hours are omitted, not zero");
    assert_eq!(rows[0]["startTime"], "2020-03-01T00:00:00Z");
    assert_eq!(rows[0]["endTime"], "2020-03-01T01:00:00Z");
    for r in &rows {
        for f in ["resourceId", "resourceName", "resourceType", "ownerId", "startTime", "endTime", "value"] {
            assert!(r[f].is_string(), "{f} is not a string in {r}");
        }
    }
    assert!(hourly["billingUsage"][0]["description"].is_string());

    let (_, daily) = sim.get(&q("aggregateBy=day")).await;
    assert_eq!(values(&rows_for(&daily, "compute-hour", &ws)), vec![1.75, 8.0]);
    let (_, monthly) = sim.get(&q("aggregate_by=month")).await;
    let rows = rows_for(&monthly, "compute-hour", &ws);
    assert_eq!(values(&rows), vec![9.75]);
    assert_eq!(rows[0]["startTime"], "2020-03-01T00:00:00Z");
    assert_eq!(rows[0]["endTime"], "2020-04-01T00:00:00Z");
    let (_, lower) = sim.get(&q("aggregateBy=day").replace("ComputeCredit", "computeCredit")).await;
    assert_eq!(values(&rows_for(&lower, "compute-hour", &ws)), vec![1.75, 8.0]);

    // Both metrics when none is named.
    let (_, both) = sim.get("/v1/billing/usage?startTime=2020-03-01T00:00:00Z&endTime=2020-03-02T00:00:00Z").await;
    let metrics: Vec<&str> =
        both["billingUsage"].as_array().unwrap().iter().map(|m| m["metric"].as_str().unwrap()).collect();
    assert_eq!(metrics, vec!["compute-hour", "storage-avg-byte"]);

    // Refusals name what is wrong.
    let (s, t) = sim.get_text("/v1/billing/usage?endTime=2020-03-02T00:00:00Z").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(t.contains("startTime"), "{t}");
    let (s, t) = sim.get_text("/v1/billing/usage?startTime=2020-03-02T00:00:00Z").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(t.contains("endTime"), "{t}");
    assert_eq!(sim.get(&q("aggregateBy=week")).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(sim.get(&q("").replace("ComputeCredit", "Bananas")).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn suspended_workspaces_stop_accruing_and_storage_follows_stage() {
    let sim = start(600.0).await;
    let ws = sim.active_workspace().await;
    let now = chrono::Utc::now();
    let query = format!(
        "/v1/billing/usage?metric=ComputeCredit&aggregateBy=day&startTime={}&endTime={}",
        (now - chrono::Duration::days(2)).format("%Y-%m-%dT00:00:00Z"),
        (now + chrono::Duration::days(2)).format("%Y-%m-%dT00:00:00Z")
    );
    let window = || query.clone();
    let total = |reply: &Value| values(&rows_for(reply, "compute-hour", &ws)).iter().sum::<f64>();
    let (_, first) = sim.get(&window()).await;
    let a = total(&first);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, r) = sim.get(&window()).await;
        if total(&r) > a {
            break;
        }
        assert!(Instant::now() < deadline, "an active workspace never accrued");
        tokio::task::yield_now().await;
    }

    let (s, t) = sim.post(&format!("/v1/workspaces/{ws}/suspend"), &json!({})).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while sim.get(&format!("/v1/workspaces/{ws}")).await.1["state"] != "SUSPENDED" {
        assert!(Instant::now() < deadline, "never suspended");
        tokio::task::yield_now().await;
    }
    let (_, r) = sim.get(&window()).await;
    let frozen = total(&r);
    let watch_until = Instant::now() + Duration::from_millis(300);
    while Instant::now() < watch_until {
        let (_, r) = sim.get(&window()).await;
        assert_eq!(total(&r), frozen, "a suspended workspace kept accruing");
    }

    // Storage grows with Stage contents.
    let group = sim.get(&format!("/v1/workspaces/{ws}")).await.1["workspaceGroupID"].as_str().unwrap().to_string();
    let storage_query = format!(
        "/v1/billing/usage?metric=StorageAvgByte&aggregateBy=hour&startTime={}&endTime={}",
        (now - chrono::Duration::hours(2)).format("%Y-%m-%dT%H:00:00Z"),
        (now + chrono::Duration::hours(2)).format("%Y-%m-%dT%H:00:00Z")
    );
    let storage = || storage_query.clone();
    let latest = |r: &Value| values(&rows_for(r, "storage-avg-byte", &group)).last().copied().unwrap();
    let (_, before) = sim.get(&storage()).await;
    let b0 = latest(&before);
    assert!(before["billingUsage"][0]["usage"][0]["value"].as_str().unwrap().parse::<u64>().is_ok());
    let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(vec![7u8; 2 << 20]));
    let up = sim.http.put(sim.url(&format!("/v1/stage/{group}/fs/big.bin"))).multipart(form).send().await.unwrap();
    assert_eq!(up.status(), StatusCode::OK);
    let (_, after) = sim.get(&storage()).await;
    assert!(latest(&after) - b0 >= (2 << 20) as f64, "{b0} -> {}", latest(&after));
}

#[tokio::test]
async fn simulate_prices_configurations() {
    let sim = start(1.0).await;
    let (a, b, c) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let body = json!({
        "startAt": "2024-01-01T00:00:00Z",
        "endBefore": "2024-01-01T10:00:00Z",
        "resourceConfigurations": [
            {"id": a, "startAt": "2024-01-01T00:00:00Z", "endBefore": "2024-01-01T10:00:00Z", "size": "S-1", "scaleFactor": "X2"},
            {"id": b, "startAt": "2024-01-01T00:00:00Z", "endBefore": "2024-01-01T10:00:00Z", "size": "S-4", "status": "Paused"},
            {"id": c, "startAt": "2023-12-31T20:00:00Z", "endBefore": "2024-01-01T02:00:00Z"}
        ]
    });
    let (s, text) = sim.post("/v1/billing/usage/simulate", &body).await;
    assert_eq!(s, StatusCode::OK, "{text}");
    let r: Value = serde_json::from_str(&text).unwrap();
    let amounts: Vec<f64> =
        r["resourceUsage"].as_array().unwrap().iter().map(|u| u["amount"].as_f64().unwrap()).collect();
    assert_eq!(amounts, vec![20.0, 0.0, 0.5]);
    assert_eq!(r["resourceUsage"][0]["metric"], "ComputeHour");

    let mut bad = body.clone();
    bad["resourceConfigurations"][0]["size"] = json!("XXL");
    assert_eq!(sim.post("/v1/billing/usage/simulate", &bad).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_year_of_hourly_usage_for_100_workspaces() {
    let sim = start_with(Seed::Large(100), 1.0).await;
    let end = chrono::Utc::now().duration_trunc(chrono::Duration::hours(1)).unwrap();
    let begin = end - chrono::Duration::days(365);
    let names: HashMap<String, String> = {
        let mut w = sim.h.shared().world();
        // Every workspace ran three hours a day for the past year, from 7 past the hour.
        for rec in w.workspaces.values_mut() {
            rec.pending = None;
            rec.activity = (0..365)
                .map(|d| {
                    let start = begin + chrono::Duration::days(d) + chrono::Duration::minutes(7);
                    let end = Some(start + chrono::Duration::hours(3));
                    ActivePeriod { start, end, size: "S-2".into(), scale_factor: 1.0 }
                })
                .collect();
        }
        w.workspaces.values().map(|r| (r.api.workspace_id.to_string(), r.api.name.clone())).collect()
    };
    assert_eq!(names.len(), 100);
    let q = format!("/v1/billing/usage?startTime={}&endTime={}", format_time(begin), format_time(end));
    let (status, reply) = sim.get(&q).await;
    assert_eq!(status, StatusCode::OK);
    let compute = &reply["billingUsage"][0];
    assert_eq!(compute["metric"], "compute-hour");
    let rows = compute["usage"].as_array().unwrap();
    // Each run touches four hourly buckets: 53 minutes, two whole hours, 7 minutes.
    assert_eq!(rows.len(), 100 * 365 * 4);
    let rate = credits_per_hour("S-2").unwrap();
    let mut per_ws: HashMap<&str, (usize, f64)> = HashMap::new();
    let mut previous: Option<(chrono::DateTime<chrono::Utc>, &str)> = None;
    for row in rows {
        let t = |k: &str| chrono::DateTime::parse_from_rfc3339(row[k].as_str().unwrap()).unwrap().to_utc();
        let (from, to) = (t("startTime"), t("endTime"));
        assert_eq!(to - from, chrono::Duration::hours(1), "{row}");
        assert!(from >= begin && to <= end, "{row}");
        let offset = (from - begin).num_hours() % 24;
        let want = match offset {
            0 => rate * 53.0 / 60.0,
            1 | 2 => rate,
            3 => rate * 7.0 / 60.0,
            _ => panic!("usage outside the runs: {row}"),
        };
        let value: f64 = row["value"].as_str().unwrap().parse().unwrap();
        assert!((value - want).abs() < 1e-6, "{row}");
        let id = row["resourceId"].as_str().unwrap();
        assert_eq!(row["resourceName"].as_str(), names.get(id).map(String::as_str), "{row}");
        // Rows come bucket by bucket, each bucket in resource-name order.
        let name = row["resourceName"].as_str().unwrap();
        if let Some((prev_from, prev_name)) = previous {
            assert!(prev_from < from || (prev_from == from && prev_name <= name), "{row} after {prev_name}");
        }
        previous = Some((from, name));
        let e = per_ws.entry(id).or_default();
        e.0 += 1;
        e.1 += value;
    }
    assert_eq!(per_ws.len(), 100);
    for (id, (n, total)) in per_ws {
        assert_eq!(n, 365 * 4, "{id}");
        assert!((total - 365.0 * 3.0 * rate).abs() < 1e-3, "{id}: {total}");
    }
    let storage = &reply["billingUsage"][1];
    assert_eq!(storage["metric"], "storage-avg-byte");
    assert!(!storage["usage"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn null_and_unknown_keys_in_bodies_are_ignored() {
    let sim = start(1.0).await;
    let target = sim.active_workspace().await;
    // `null` for a list means "not given", like an absent key; unknown keys at any depth are ignored.
    let mut body = job_body(&target);
    body["parameters"] = Value::Null;
    body["notAField"] = json!({"nested": null});
    body["executionConfig"]["alsoUnknown"] = Value::Null;
    body["targetConfig"]["databaseName"] = Value::Null;
    body["targetConfig"]["resumeTarget"] = Value::Null;
    let (s, text) = sim.post("/v1/jobs", &body).await;
    assert_eq!(s, StatusCode::OK, "{text}");
    let id = serde_json::from_str::<Value>(&text).unwrap()["jobID"].as_str().unwrap().to_string();
    let (s, job) = sim.get(&format!("/v1/jobs/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(job["name"], "test job");
    assert!(job["parameters"].as_array().is_none_or(|p| p.is_empty()), "{job}");

    let body = json!({
        "startAt": "2024-01-01T00:00:00Z",
        "endBefore": "2024-01-01T10:00:00Z",
        "unknown": null,
        "resourceConfigurations": [
            {"id": uuid::Uuid::new_v4(), "startAt": "2024-01-01T00:00:00Z", "endBefore": "2024-01-01T10:00:00Z",
             "size": null, "scaleFactor": null, "status": null, "extra": {"x": null}}
        ]
    });
    let (s, text) = sim.post("/v1/billing/usage/simulate", &body).await;
    assert_eq!(s, StatusCode::OK, "{text}");
}
