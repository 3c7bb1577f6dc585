//! Stage over real HTTP: uploads, signed downloads on the object-store host, folders,
//! path rules and refusals.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use serde_json::Value;
use sha2::{Digest, Sha256};

struct Sim {
    h: SimHandle,
    http: reqwest::Client,
    raw: reqwest::Client,
    group: String,
}

async fn start(ttl: Duration) -> Sim {
    let config = SimConfig { seed: Seed::Demo, colleague_rate: 0.0, signed_url_ttl: ttl, ..SimConfig::default() };
    let h = SimHandle::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {}", h.api_key()).parse().unwrap());
    let http = reqwest::Client::builder().default_headers(headers.clone()).build().unwrap();
    let raw = reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let groups: Value =
        http.get(format!("{}/v1/workspaceGroups", h.base_url())).send().await.unwrap().json().await.unwrap();
    let group = groups[0]["workspaceGroupID"].as_str().unwrap().to_string();
    Sim { h, http, raw, group }
}

impl Sim {
    fn url(&self, path: &str) -> String {
        format!("{}/v1/stage/{}/fs/{path}", self.h.base_url(), self.group)
    }

    async fn mkdir(&self, path: &str) -> reqwest::Response {
        self.http.put(self.url(path)).send().await.unwrap()
    }

    async fn upload(&self, path: &str, bytes: Vec<u8>) -> reqwest::Response {
        let form = Form::new().part("file", Part::bytes(bytes).file_name("upload.bin"));
        self.http.put(self.url(path)).multipart(form).send().await.unwrap()
    }

    async fn json(&self, path: &str) -> (StatusCode, Value) {
        let r = self.http.get(self.url(path)).send().await.unwrap();
        let s = r.status();
        (s, r.json().await.unwrap_or(Value::Null))
    }

    fn child_paths(listing: &Value) -> Vec<String> {
        listing["content"].as_array().unwrap().iter().map(|c| c["path"].as_str().unwrap().to_string()).collect()
    }
}

fn sha(b: &[u8]) -> Vec<u8> {
    Sha256::digest(b).to_vec()
}

#[tokio::test]
async fn uploads_round_trip_through_signed_urls() {
    let sim = start(Duration::from_secs(600)).await;
    assert_eq!(sim.mkdir("rt/").await.status(), StatusCode::OK);
    for size in [0usize, 1, 10 * 1024 * 1024] {
        let bytes: Vec<u8> = (0..size).map(|_| rand::random::<u8>()).collect();
        let path = format!("rt/blob-{size}.bin");
        let up = sim.upload(&path, bytes.clone()).await;
        assert_eq!(up.status(), StatusCode::OK);
        let reply: Value = up.json().await.unwrap();
        assert_eq!(reply["path"], path.as_str());
        assert_eq!(reply["name"], format!("blob-{size}.bin").as_str());

        let redirect = sim.raw.get(sim.url(&path)).send().await.unwrap();
        assert_eq!(redirect.status(), StatusCode::TEMPORARY_REDIRECT);
        let location = redirect.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with(sim.h.blob_base()), "{location}");
        assert!(location.contains("X-Amz-Signature="), "{location}");

        let got = sim.http.get(sim.url(&path)).send().await.unwrap();
        assert_eq!(got.status(), StatusCode::OK);
        assert_eq!(got.content_length(), Some(size as u64));
        let body = got.bytes().await.unwrap();
        assert_eq!(sha(&body), sha(&bytes), "size {size}");

        let (s, meta) = sim.json(&format!("{path}?metadata=true")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(meta["size"], size);
        assert_eq!(meta["type"], "");
    }
    let seen = sim.h.shared().world().stage.blob_requests().to_vec();
    assert!(seen.len() >= 3, "{seen:?}");
    for r in &seen {
        assert!(r.headers.iter().all(|(k, _)| k != "authorization"), "object-store host received the API key: {r:?}");
    }
    let uploads = sim.h.shared().world().audit.iter().filter(|a| a.kind.as_deref() == Some("Stage.Upload")).count();
    assert!(uploads >= 3);
}

#[tokio::test]
async fn folders_list_move_and_delete() {
    let sim = start(Duration::from_secs(600)).await;
    assert_eq!(sim.mkdir("proj/").await.status(), StatusCode::OK);
    // The Python SDK's form: `?isFile=false`, empty body, JSON content type.
    let r = sim
        .http
        .put(sim.url("proj/sub/?isFile=false"))
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let reply: Value = r.json().await.unwrap();
    assert_eq!(reply["path"], "proj/sub/");
    assert_eq!(sim.upload("proj/sub/data.csv", b"a,b\n1,2\n".to_vec()).await.status(), StatusCode::OK);

    let (s, root) = sim.json("").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(root["type"], "directory");
    assert!(Sim::child_paths(&root).contains(&"proj/".to_string()));
    let (_, proj) = sim.json("proj/").await;
    assert_eq!(Sim::child_paths(&proj), vec!["proj/sub/"]);
    for entry in proj["content"].as_array().unwrap() {
        for field in ["name", "path", "size", "type", "format", "mimetype", "writable", "created", "last_modified"] {
            assert!(entry.get(field).is_some(), "{field} missing in {entry}");
        }
    }
    let (_, sub) = sim.json("proj/sub/").await;
    assert_eq!(sub["content"][0]["name"], "data.csv");
    assert_eq!(sub["content"][0]["mimetype"], "text/csv");
    assert_eq!(sub["content"][0]["size"], 8);

    // Trailing-slash rules.
    assert_eq!(sim.json("proj/sub").await.0, StatusCode::NOT_FOUND);
    assert_eq!(sim.json("proj/sub?metadata=1").await.0, StatusCode::NOT_FOUND);
    let (s, m) = sim.json("proj/sub/?metadata=true").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(m["type"], "directory");
    assert_eq!(sim.json("proj/sub/data.csv/").await.0, StatusCode::NOT_FOUND);

    // Move the whole folder; target that exists is refused.
    assert_eq!(sim.mkdir("other/").await.status(), StatusCode::OK);
    let clash = sim.http.patch(sim.url("proj/")).json(&serde_json::json!({"newPath": "other/"})).send().await.unwrap();
    assert_eq!(clash.status(), StatusCode::BAD_REQUEST);
    let mv = sim.http.patch(sim.url("proj/")).json(&serde_json::json!({"newPath": "moved/"})).send().await.unwrap();
    assert_eq!(mv.status(), StatusCode::OK);
    assert_eq!(mv.json::<Value>().await.unwrap()["path"], "moved/");
    assert_eq!(sim.json("proj/").await.0, StatusCode::NOT_FOUND);
    let (s, m) = sim.json("moved/sub/data.csv?metadata=1").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(m["path"], "moved/sub/data.csv");

    // Rename a file.
    let mv = sim
        .http
        .patch(sim.url("moved/sub/data.csv"))
        .json(&serde_json::json!({"newPath": "moved/sub/renamed.csv"}))
        .send()
        .await
        .unwrap();
    assert_eq!(mv.status(), StatusCode::OK);

    // A file addressed as a folder cannot be deleted; the file itself can, and its folder stays.
    let r = sim.http.delete(sim.url("moved/sub/renamed.csv/")).send().await.unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    let r = sim.http.delete(sim.url("moved/sub/renamed.csv")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (s, sub) = sim.json("moved/sub/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(sub["content"].as_array().unwrap().is_empty());

    // Deleting a non-empty folder removes everything in it.
    assert_eq!(sim.upload("moved/sub/x.txt", b"x".to_vec()).await.status(), StatusCode::OK);
    let r = sim.http.delete(sim.url("moved/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(sim.json("moved/").await.0, StatusCode::NOT_FOUND);
    assert_eq!(sim.json("moved/sub/x.txt?metadata=1").await.0, StatusCode::NOT_FOUND);
    let (_, root) = sim.json("").await;
    assert!(!Sim::child_paths(&root).contains(&"moved/".to_string()));
}

#[tokio::test]
async fn unicode_spaces_encoding_and_leading_slashes() {
    let sim = start(Duration::from_secs(600)).await;
    let enc = |s: &str| s.replace(' ', "%20").replace('é', "%C3%A9").replace('ü', "%C3%BC");
    assert_eq!(sim.mkdir(&enc("données été/")).await.status(), StatusCode::OK);
    let r = sim.upload(&enc("données été/rapport final ü.csv"), b"x,y\n".to_vec()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["name"], "rapport final ü.csv");
    let (s, listing) = sim.json(&enc("données été/")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(Sim::child_paths(&listing), vec!["données été/rapport final ü.csv"]);
    let body = sim.http.get(sim.url(&enc("données été/rapport final ü.csv"))).send().await.unwrap();
    assert_eq!(body.bytes().await.unwrap().as_ref(), b"x,y\n");

    // `a%2Fb` means `a/b`, and a leading slash means nothing.
    assert_eq!(sim.mkdir("enc/").await.status(), StatusCode::OK);
    assert_eq!(sim.upload("enc%2Finner.txt", b"hi".to_vec()).await.status(), StatusCode::OK);
    let (s, listing) = sim.json("/enc/").await;
    assert_eq!(s, StatusCode::OK, "{listing}");
    assert_eq!(Sim::child_paths(&listing), vec!["enc/inner.txt"]);
    let (s, m) = sim.json("enc%2Finner.txt?metadata=true").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(m["size"], 2);
}

#[tokio::test]
async fn refusals() {
    let sim = start(Duration::from_secs(600)).await;
    // Into a missing folder, or a folder under a missing parent.
    let r = sim.upload("nope/file.txt", b"1".to_vec()).await;
    assert!(matches!(r.status(), StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST), "{}", r.status());
    let r = sim.mkdir("nope/deeper/").await;
    assert!(matches!(r.status(), StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST), "{}", r.status());
    // A file path with no file part.
    let r = sim.http.put(sim.url("lonely.txt")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // PATCH without newPath.
    assert_eq!(sim.upload("f.txt", b"1".to_vec()).await.status(), StatusCode::OK);
    let r = sim.http.patch(sim.url("f.txt")).json(&serde_json::json!({})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // Unknown and malformed deployments.
    let unknown = format!("{}/v1/stage/{}/fs/", sim.h.base_url(), uuid::Uuid::new_v4());
    assert_eq!(sim.http.get(unknown).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let bad = sim.http.get(format!("{}/v1/stage/not-a-uuid/fs", sim.h.base_url())).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().contains("UUID"));
    // The object-store host refuses unsigned requests like an object store does.
    let r = sim.http.get(format!("{}/stage/x/y?X-Amz-Signature=forged", sim.h.blob_base())).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
}

#[tokio::test]
async fn signed_urls_expire() {
    let sim = start(Duration::from_millis(200)).await;
    assert_eq!(sim.upload("short.txt", b"soon gone".to_vec()).await.status(), StatusCode::OK);
    let redirect = sim.raw.get(sim.url("short.txt")).send().await.unwrap();
    assert_eq!(redirect.status(), StatusCode::TEMPORARY_REDIRECT);
    let location = redirect.headers()["location"].to_str().unwrap().to_string();
    let plain = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = plain.get(&location).send().await.unwrap();
        if r.status() == StatusCode::FORBIDDEN {
            assert!(r.text().await.unwrap().contains("expired"));
            break;
        }
        assert_eq!(r.status(), StatusCode::OK);
        assert!(Instant::now() < deadline, "signed URL never expired");
        tokio::task::yield_now().await;
    }
    // Issuing a new URL tidies old grants; the expired one still says why it is refused.
    assert_eq!(sim.raw.get(sim.url("short.txt")).send().await.unwrap().status(), StatusCode::TEMPORARY_REDIRECT);
    let r = plain.get(&location).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(r.text().await.unwrap(), "AccessDenied: Request has expired");
    // A URL whose grant is long forgotten is judged by its own date.
    let stale = location.replace("X-Amz-Signature=", "X-Amz-Signature=gone").replacen(
        "X-Amz-Date=",
        "X-Amz-Date=20200101T000000Z&old=",
        1,
    );
    let r = plain.get(&stale).send().await.unwrap();
    assert_eq!(r.text().await.unwrap(), "AccessDenied: Request has expired");
}

#[tokio::test]
async fn dropped_downloads_are_cut_short() {
    let sim = start(Duration::from_secs(600)).await;
    let bytes = vec![42u8; 256 * 1024];
    assert_eq!(sim.upload("cut.bin", bytes).await.status(), StatusCode::OK);
    let redirect = sim.raw.get(sim.url("cut.bin")).send().await.unwrap();
    let location = redirect.headers()["location"].to_str().unwrap().to_string();
    sim.h.set_faults(s2tui::sim::FaultSpec { rate_drop: 1.0, ..Default::default() });
    let r = reqwest::get(&location).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.content_length(), Some(256 * 1024));
    assert!(r.bytes().await.is_err(), "the body should end early");
}

#[tokio::test]
async fn move_bodies_ignore_nulls_and_unknown_keys() {
    let sim = start(Duration::from_secs(600)).await;
    assert_eq!(sim.upload("from.txt", b"x".to_vec()).await.status(), StatusCode::OK);
    let body = serde_json::json!({"newPath": "to.txt", "unknown": null, "extra": {"nested": null}, "list": [null]});
    let r = sim.http.patch(sim.url("from.txt")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    assert_eq!(sim.json("to.txt").await.0, StatusCode::OK);
    // `null` is "not given", so a move with only a null target is still refused.
    let r = sim.http.patch(sim.url("to.txt")).json(&serde_json::json!({"newPath": null})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn injected_blob_faults_hit_only_the_object_store() {
    let sim = start(Duration::from_secs(600)).await;
    let bytes: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
    assert_eq!(sim.upload("f.bin", bytes.clone()).await.status(), StatusCode::OK);
    sim.h.inject_blob(s2tui::sim::Fault::Drop);
    sim.h.inject_blob(s2tui::sim::Fault::ServerError(503));
    // API requests are untouched by blob faults.
    let redirect = sim.raw.get(sim.url("f.bin")).send().await.unwrap();
    assert_eq!(redirect.status(), StatusCode::TEMPORARY_REDIRECT);
    let location = redirect.headers()["location"].to_str().unwrap().to_string();
    let plain = reqwest::Client::new();
    let r = plain.get(&location).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.content_length(), Some(bytes.len() as u64));
    assert!(r.bytes().await.is_err(), "the body should end early");
    let r = plain.get(&location).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    // Both faults are used up.
    let r = plain.get(&location).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(sha(&r.bytes().await.unwrap()), sha(&bytes));
}
