//! The Files spaces over real HTTP (list, metadata, upload, read, move, delete, the notebooks
//! of a space, refusals), `s2tui get files`, and the job form picking its notebook from the
//! shared space: the created job runs in the simulator.
#![allow(clippy::unwrap_used)]

#[path = "common/live.rs"]
mod live;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use live::client;
use s2tui::api::types::*;
use s2tui::api::{ApiKey, Client, ClientConfig};
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use s2tui::state::{PaneId, SessionInfo};
use s2tui::testing::Headless;
use s2tui::widgets::modal::Modal;

fn names(meta: &FileObjectMetadata) -> Vec<String> {
    meta.children().iter().filter_map(|c| c.name.clone()).collect()
}

#[tokio::test]
async fn every_operation_of_a_space() {
    let h = live::sim_at(100.0, Seed::Demo).await;
    let c = client(&h);
    let root = c.stage_list(FileSpace::Shared, "").await.unwrap();
    let mut top = names(&root);
    top.sort();
    assert_eq!(top, ["Jobs", "README.md", "ml"]);
    assert_eq!(
        c.files_notebooks(FileSpace::Shared).await.unwrap(),
        ["Jobs/etl.ipynb", "Jobs/refresh_dashboards.ipynb", "ml/churn_score.ipynb"]
    );
    assert_eq!(c.files_notebooks(FileSpace::Personal).await.unwrap(), ["digest.ipynb", "scratch/explore.ipynb"]);

    // Upload (streamed, as the transfer queue does), read back, metadata, move, delete: the
    // Stage operations, with a space for a store.
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("new.ipynb");
    std::fs::write(&local, b"{\"cells\":[]}").unwrap();
    let cancel = tokio_util::sync::CancellationToken::new();
    s2tui::api::stage_upload(&c, FileSpace::Personal, &local, "scratch/", &cancel, |_, _| {}).await.unwrap();
    let (bytes, total) =
        s2tui::api::transfer::stage_read_prefix(&c, FileSpace::Personal, "scratch/new.ipynb", 1024).await.unwrap();
    assert_eq!((bytes.as_slice(), total), (&b"{\"cells\":[]}"[..], Some(12)));
    let meta = c.stage_metadata(FileSpace::Personal, "scratch/new.ipynb").await.unwrap();
    assert_eq!(meta.size, Some(12));
    c.stage_move(FileSpace::Personal, "scratch/new.ipynb", "scratch/renamed.ipynb").await.unwrap();
    assert!(names(&c.stage_list(FileSpace::Personal, "scratch").await.unwrap()).contains(&"renamed.ipynb".to_string()));
    let back = dir.path().join("back.ipynb");
    s2tui::api::stage_download(&c, FileSpace::Personal, "scratch/renamed.ipynb", &back, false, &cancel, |_, _| {})
        .await
        .unwrap();
    assert_eq!(std::fs::read(&back).unwrap(), b"{\"cells\":[]}");
    c.stage_delete(FileSpace::Personal, "scratch/renamed.ipynb").await.unwrap();
    let e = c.stage_metadata(FileSpace::Personal, "scratch/renamed.ipynb").await.unwrap_err();
    assert!(matches!(e, s2tui::api::ApiError::NotFound { .. }), "{e:?}");
    // The spaces are apart: the personal file is not in shared.
    assert!(c.stage_metadata(FileSpace::Shared, "digest.ipynb").await.is_err());

    // Refusals: a PUT without a file part, an unknown space, a folder as an upload target.
    let (status, text) = live::raw(&h, reqwest::Method::PUT, "/v1/files/fs/shared/newfolder/", None).await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("file"), "{text}");
    let (status, text) = live::raw(&h, reqwest::Method::GET, "/v1/files/fs/public", None).await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("personal, shared or models"), "{text}");
    // The client refuses an empty folder in a space before asking.
    let e = c.stage_mkdir(FileSpace::Shared, "empty/").await.unwrap_err();
    assert!(e.to_string().contains("no empty folders"), "{e}");
    // Folders are not moved in a space: the client says so, and so does the server if asked.
    let e = c.stage_move(FileSpace::Shared, "Jobs/", "Jobs2/").await.unwrap_err();
    assert!(e.to_string().contains("move files only"), "{e}");
    let body = serde_json::json!({ "newPath": "Jobs2/" });
    let (status, text) = live::raw(&h, reqwest::Method::PATCH, "/v1/files/fs/shared/Jobs/", Some(body)).await;
    assert_eq!(status, 400, "{text}");
    assert!(names(&c.stage_list(FileSpace::Shared, "").await.unwrap()).contains(&"Jobs".to_string()));
    // A folder is deleted with its files.
    c.stage_delete(FileSpace::Personal, "scratch/").await.unwrap();
    assert!(!names(&c.stage_list(FileSpace::Personal, "").await.unwrap()).contains(&"scratch".to_string()));
    h.shutdown().await;
}

#[tokio::test]
async fn a_folder_upload_into_a_space_makes_folders_with_their_files_and_skips_empty_ones() {
    use s2tui::api::stage_plan;
    let h = live::sim_at(100.0, Seed::Demo).await;
    let c = client(&h);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("reports");
    std::fs::create_dir_all(root.join("weekly")).unwrap();
    std::fs::create_dir_all(root.join("drafts")).unwrap();
    std::fs::write(root.join("weekly/mon.ipynb"), b"{}").unwrap();

    let plan = stage_plan::plan_upload(&c, FileSpace::Shared, &root, "Jobs/", None).await.unwrap();
    assert!(plan.folders.is_empty(), "a space creates no folders of its own: {:?}", plan.folders);
    assert_eq!(plan.skipped, ["/Jobs/reports/drafts/ (empty: a Files space keeps no empty folders)"]);
    assert_eq!(plan.files.len(), 1);
    let cancel = tokio_util::sync::CancellationToken::new();
    let f = &plan.files[0];
    s2tui::api::stage_upload(&c, plan.store, &f.local, &f.remote, &cancel, |_, _| {}).await.unwrap();
    let listing = c.stage_list(FileSpace::Shared, "Jobs/reports/weekly/").await.unwrap();
    assert_eq!(names(&listing), ["mon.ipynb"]);

    // The same folder into a deployment's Stage: the empty folder is made there.
    let group = h.shared().world().groups.keys().next().copied().unwrap();
    let plan = stage_plan::plan_upload(&c, group, &root, "", None).await.unwrap();
    assert!(plan.folders.contains(&"reports/drafts/".to_string()), "{:?}", plan.folders);
    assert!(plan.skipped.is_empty());
    h.shutdown().await;
}

#[tokio::test]
async fn at_v2_the_spaces_are_the_same_under_the_v2_prefix() {
    use s2tui::api::ApiVersion;
    let h = live::sim_at(100.0, Seed::Demo).await;
    // Any client may ask either prefix and get the same answer.
    let (s1, v1) = live::raw(&h, reqwest::Method::GET, "/v1/files/fs/shared/Jobs/", None).await;
    let (s2, v2) = live::raw(&h, reqwest::Method::GET, "/v2/files/fs/shared/Jobs/", None).await;
    assert_eq!((s1, s2), (200, 200), "{v2}");
    assert_eq!(v1, v2);
    // The dashboard's client at v2 asks the v2 prefix, and its changes land in the same space.
    let c = client(&h).with_version(ApiVersion::V2);
    c.stage_move(FileSpace::Shared, "README.md", "ABOUT.md").await.unwrap();
    assert!(names(&client(&h).stage_list(FileSpace::Shared, "").await.unwrap()).contains(&"ABOUT.md".to_string()));
    let paths: Vec<String> = h.requests().into_iter().map(|r| r.path_and_query).collect();
    assert!(paths.iter().any(|p| p == "/v2/files/fs/shared/README.md"), "{paths:?}");
    h.shutdown().await;
}

#[tokio::test]
async fn get_files_lists_a_space_folder() {
    let h = live::sim_at(100.0, Seed::Demo).await;
    let out = live::s2tui_async(&h, &["get", "files", "shared", "Jobs"], &[]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("etl.ipynb") && text.contains("refresh_dashboards.ipynb"), "{text}");
    let out = live::s2tui_async(&h, &["get", "files", "public"], &[]).await;
    assert_eq!(out.status.code(), Some(2), "a bad space is a usage error");
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_job_form_picks_a_shared_notebook_and_the_job_runs() {
    let config = SimConfig { speed: 200.0, colleague_rate: 0.0, seed: Seed::Demo, ..SimConfig::default() };
    let sim = SimHandle::start(config, "127.0.0.1:0".parse::<SocketAddr>().unwrap()).await.unwrap();
    let cfg = ClientConfig::new(sim.base_url(), ApiKey::new(sim.api_key())).unwrap();
    let session = SessionInfo { demo: true, ..SessionInfo::default() };
    let mut h = Headless::new(Client::new(cfg.clone()).unwrap(), session);
    h.start();
    let deadline = || Instant::now() + Duration::from_secs(20);
    h.press(":");
    h.type_text("jobs");
    h.press("enter");
    assert_eq!(h.state.location.pane, PaneId::Jobs);
    assert!(h.until(deadline(), |s| s.data.workspaces.value.is_some()).await);
    h.press("c");
    assert!(h.until(deadline(), |s| matches!(s.modals.last(), Some(Modal::Form(_)))).await, "the form opens");
    let Some(Modal::Form(f)) = h.state.modals.last() else { panic!() };
    // The notebook is picked from the shared space, not typed.
    assert_eq!(f.form.value("notebook"), "Jobs/etl.ipynb");
    h.type_text("nightly etl");
    h.press("enter");
    assert!(
        h.until(deadline(), |_| sim
            .shared()
            .world()
            .jobs
            .jobs
            .values()
            .any(|j| j.api.name.as_deref() == Some("nightly etl")))
            .await,
        "the job was created"
    );
    let job = {
        let w = sim.shared().world();
        w.jobs.jobs.values().find(|j| j.api.name.as_deref() == Some("nightly etl")).unwrap().api.clone()
    };
    assert_eq!(job.execution_config.notebook_path, "Jobs/etl.ipynb");
    // It runs: an execution of it finishes.
    let c = Client::new(cfg).unwrap();
    let end = deadline();
    loop {
        let done = c.job(job.job_id).await.unwrap().completed_executions_count;
        if done > 0 {
            break;
        }
        assert!(Instant::now() < end, "the job never ran");
        tokio::task::yield_now().await;
    }
}
