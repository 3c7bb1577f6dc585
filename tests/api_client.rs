//! The API client against the simulator over real HTTP: every operation, retries, faults,
//! redirects and transfers.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use s2tui::api::types::*;
use s2tui::api::{ApiError, ApiKey, CallRecord, Client, ClientConfig, RetryPolicy, stage_download, stage_upload};
use s2tui::sim::faults::{Fault, FaultSpec};
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

const DEADLINE: Duration = Duration::from_secs(20);

fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

async fn sim() -> SimHandle {
    let config = SimConfig { speed: 2000.0, colleague_rate: 0.0, seed: Seed::Demo, ..SimConfig::default() };
    SimHandle::start(config, loopback()).await.unwrap()
}

fn client_with(h: &SimHandle, retry: RetryPolicy) -> Client {
    let cfg = ClientConfig::new(h.base_url(), ApiKey::new(h.api_key()))
        .unwrap()
        .with_retry(retry)
        .with_timeouts(Duration::from_secs(5), Duration::from_secs(10));
    Client::new(cfg).unwrap()
}

fn client(h: &SimHandle) -> Client {
    client_with(h, RetryPolicy::fast())
}

fn count(h: &SimHandle, method: &str, path: &str) -> usize {
    h.requests().iter().filter(|r| r.method == method && r.path_and_query.split('?').next() == Some(path)).count()
}

async fn wait_for_workspace(c: &Client, id: Uuid, want: WorkspaceState) -> Workspace {
    let until = Instant::now() + DEADLINE;
    loop {
        let ws = c.workspace(id).await.unwrap();
        if ws.state == want {
            return ws;
        }
        assert!(Instant::now() < until, "workspace stayed {:?}, wanted {want:?}", ws.state);
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A group and an ACTIVE workspace in it, created through the API.
async fn group_and_workspace(c: &Client, name: &str) -> (Uuid, Uuid) {
    let region = c.regions().await.unwrap().remove(0);
    let created = c
        .create_workspace_group(&WorkspaceGroupCreate {
            name: format!("{name}-group"),
            firewall_ranges: vec!["0.0.0.0/0".into()],
            region_id: Some(region.region_id),
            ..Default::default()
        })
        .await
        .unwrap();
    let gid = created.workspace_group_id;
    let wid = c
        .create_workspace(&WorkspaceCreate {
            name: format!("{name}-ws"),
            workspace_group_id: gid,
            size: Some("S-00".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    wait_for_workspace(c, wid, WorkspaceState::Active).await;
    (gid, wid)
}

// ───────────────────────────── round trips ─────────────────────────────

#[tokio::test]
async fn regions_and_organization() {
    let h = sim().await;
    let c = client(&h);
    assert!(!c.regions().await.unwrap().is_empty());
    assert!(!c.regions_v2().await.unwrap().is_empty());
    assert!(!c.regions_shared_tier().await.unwrap().is_empty());
    let org = c.organization().await.unwrap();
    assert!(!org.org_id.is_nil());
    let _ = c.starter_workspaces().await.unwrap();
}

#[tokio::test]
async fn workspace_group_and_workspace_lifecycle() {
    let h = sim().await;
    let c = client(&h);
    let seeded = c.workspace_groups(false).await.unwrap();
    assert!(!seeded.is_empty());

    let (gid, wid) = group_and_workspace(&c, "life").await;
    let g = c.workspace_group(gid).await.unwrap();
    assert_eq!(g.name, "life-group");
    let renamed = c
        .update_workspace_group(gid, &WorkspaceGroupUpdate { name: Some("life-renamed".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(renamed, gid);
    assert_eq!(c.workspace_group(gid).await.unwrap().name, "life-renamed");
    assert!(c.workspace_groups(false).await.unwrap().iter().any(|g| g.workspace_group_id == gid));

    let list = c.workspaces(gid, false).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].workspace_id, wid);

    let updated =
        c.update_workspace(wid, &WorkspaceUpdate { size: Some("S-1".into()), ..Default::default() }).await.unwrap();
    assert_eq!(updated, wid);
    let until = Instant::now() + DEADLINE;
    while c.workspace(wid).await.unwrap().size != "S-1" {
        assert!(Instant::now() < until, "resize never landed");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    wait_for_workspace(&c, wid, WorkspaceState::Active).await;

    assert_eq!(c.suspend_workspace(wid).await.unwrap(), wid);
    wait_for_workspace(&c, wid, WorkspaceState::Suspended).await;
    assert_eq!(c.resume_workspace(wid, false).await.unwrap(), wid);
    wait_for_workspace(&c, wid, WorkspaceState::Active).await;

    assert_eq!(c.terminate_workspace(wid).await.unwrap(), wid);
    wait_for_workspace(&c, wid, WorkspaceState::Terminated).await;
    assert!(c.workspaces(gid, false).await.unwrap().is_empty());
    assert_eq!(c.workspaces(gid, true).await.unwrap().len(), 1);

    assert_eq!(c.terminate_workspace_group(gid, true).await.unwrap(), gid);
    let del = h
        .requests()
        .into_iter()
        .find(|r| r.method == "DELETE" && r.path_and_query.starts_with(&format!("/v1/workspaceGroups/{gid}")))
        .unwrap();
    assert!(del.path_and_query.contains("force=true"), "{del:?}");
    let _ = c.workspace_groups(true).await.unwrap();
}

#[tokio::test]
async fn private_connections() {
    let h = sim().await;
    let c = client(&h);
    let (gid, wid) = group_and_workspace(&c, "pc").await;
    let pcid = c
        .create_private_connection(&PrivateConnectionCreate {
            workspace_group_id: gid,
            workspace_id: Some(wid),
            kind: Some(ConnectionType::Inbound),
            allow_list: Some("my-allow-list".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let pc = c.private_connection(pcid).await.unwrap();
    assert_eq!(pc.workspace_group_id, gid);
    assert!(c.private_connections_for_group(gid).await.unwrap().iter().any(|p| p.private_connection_id == pcid));
    let _ = c.private_connections_for_workspace(wid, gid).await.unwrap();
    assert_eq!(c.update_private_connection(pcid, "arn:aws:iam::123456789012:root").await.unwrap(), pcid);
    assert_eq!(c.private_connection(pcid).await.unwrap().allow_list.as_deref(), Some("arn:aws:iam::123456789012:root"));
    let _ = c.outbound_allow_list(wid).await.unwrap();
    let _ = c.kai_info(wid).await.unwrap();
    assert_eq!(c.delete_private_connection(pcid).await.unwrap(), pcid);
}

#[tokio::test]
async fn secrets_and_teams() {
    let h = sim().await;
    let c = client(&h);
    let s = c.create_secret(&SecretCreate { name: "IT_SECRET".into(), value: "hunter2-value".into() }).await.unwrap();
    assert_eq!(s.name, "IT_SECRET");
    let all = c.secrets(None).await.unwrap();
    assert!(all.iter().any(|x| x.secret_id == s.secret_id));
    assert!(all.iter().all(|x| x.value.is_none()), "an unfiltered list never carries values");
    let by_name = c.secrets(Some("IT_SECRET")).await.unwrap();
    assert_eq!(by_name.len(), 1);
    assert_eq!(by_name[0].value.as_deref(), Some("hunter2-value"), "a lookup by name carries the value");
    assert_eq!(c.secret(s.secret_id).await.unwrap().name, "IT_SECRET");
    let updated = c.update_secret(s.secret_id, "new-value").await.unwrap();
    assert_eq!(updated.secret_id, s.secret_id);
    assert_eq!(c.delete_secret(s.secret_id).await.unwrap(), s.secret_id);
    assert!(matches!(c.secret(s.secret_id).await, Err(ApiError::NotFound { .. })));

    let t =
        c.create_team(&TeamCreate { name: "it-team".into(), description: Some("integration".into()) }).await.unwrap();
    assert!(c.teams().await.unwrap().iter().any(|x| x.team_id == t.team_id));
    assert_eq!(c.team(t.team_id).await.unwrap().name, "it-team");
    let id = c
        .update_team(t.team_id, &TeamUpdate { description: Some("changed".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(id, t.team_id);
    assert_eq!(c.team(t.team_id).await.unwrap().description, "changed");
    assert_eq!(c.delete_team(t.team_id).await.unwrap(), t.team_id);
}

#[tokio::test]
async fn jobs() {
    let h = sim().await;
    let c = client(&h);
    let (_gid, wid) = group_and_workspace(&c, "jobs").await;
    let runtimes = c.job_runtimes().await.unwrap();
    assert!(!runtimes.is_empty());
    let job = c
        .create_job(&JobCreate {
            name: Some("it-job".into()),
            description: None,
            execution_config: JobCreateExecutionConfig {
                notebook_path: "shared/it.ipynb".into(),
                create_snapshot: false,
                runtime_name: Some(runtimes[0].name.clone()),
            },
            schedule: JobSchedule { mode: ScheduleMode::Once, start_at: None, execution_interval_in_minutes: None },
            target_config: Some(JobTargetConfig {
                target_id: wid,
                target_type: TargetType::Workspace,
                resume_target: true,
                database_name: None,
            }),
            parameters: vec![JobParameter { name: "flag".into(), kind: ParameterType::Boolean, value: "True".into() }],
        })
        .await
        .unwrap();
    assert_eq!(c.job(job.job_id).await.unwrap().name.as_deref(), Some("it-job"));
    let params = c.job_parameters(job.job_id).await.unwrap();
    assert_eq!(params.len(), 1);
    let ex = c.job_executions(job.job_id, 1, 10).await.unwrap();
    assert_eq!(ex.executions_metadata.start_execution_number, 1);
    // No spec version has a job list; the simulator (like the service) refuses it.
    assert!(c.list_jobs().await.unwrap().is_none());
    assert!(c.delete_job(job.job_id).await.unwrap());
}

#[tokio::test]
async fn billing_and_audit() {
    let h = sim().await;
    let c = client(&h);
    let now = chrono::Utc::now();
    let usage = c
        .billing_usage(&UsageQuery {
            start_time: format_time(now - chrono::Duration::days(3)),
            end_time: format_time(now),
            metric: None,
            aggregate_by: Some(AggregateBy::Day),
        })
        .await
        .unwrap();
    let _ = usage.billing_usage.len();
    let asked = h.requests().into_iter().find(|r| r.path_and_query.starts_with("/v1/billing/usage?")).unwrap();
    assert!(asked.path_and_query.contains("aggregateBy=day"), "{asked:?}");
    let groups = c.workspace_groups(false).await.unwrap();
    let sim_reply = c
        .simulate_usage(&SimulateUsageRequest {
            start_at: format_time(now - chrono::Duration::days(1)),
            end_before: format_time(now),
            resource_configurations: vec![SimulationResourceConfig {
                id: groups[0].workspace_group_id,
                start_at: format_time(now - chrono::Duration::days(1)),
                end_before: format_time(now),
                size: Some("S-1".into()),
                scale_factor: None,
                cache_multiplier: None,
                edition: Some(Edition::Standard),
                status: Some(SimulatedStatus::Active),
                multi_az: None,
                cell_id: None,
            }],
        })
        .await
        .unwrap();
    let _ = sim_reply.resource_usage.len();

    c.create_team(&TeamCreate { name: "audited".into(), description: None }).await.unwrap();
    let page = c.audit_logs(&AuditLogQuery { limit: Some(500), ..Default::default() }).await.unwrap();
    assert!(!page.audit_logs.is_empty());
}

// ───────────────────────────── Stage and transfers ─────────────────────────────

async fn any_group(c: &Client) -> Uuid {
    c.workspace_groups(false).await.unwrap()[0].workspace_group_id
}

#[tokio::test]
async fn stage_round_trip_and_redirected_download() {
    let h = sim().await;
    let c = client(&h);
    let gid = any_group(&c).await;
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("hello world.txt");
    let content = "héllo stage\n".repeat(1000);
    std::fs::write(&local, &content).unwrap();

    c.stage_mkdir(gid, "/it folder").await.unwrap();
    let cancel = CancellationToken::new();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let up =
        stage_upload(&c, gid, &local, "it folder/", &cancel, move |done, total| s2.lock().unwrap().push((done, total)))
            .await
            .unwrap();
    assert_eq!(up.path.as_deref(), Some("it folder/hello world.txt"));
    let last = *seen.lock().unwrap().last().unwrap();
    assert_eq!(last, (content.len() as u64, Some(content.len() as u64)));

    let listing = c.stage_list(gid, "it folder").await.unwrap();
    assert!(listing.children().iter().any(|e| e.name.as_deref() == Some("hello world.txt")), "{listing:?}");
    let root = c.stage_list(gid, "").await.unwrap();
    assert!(root.is_dir());
    let meta = c.stage_metadata(gid, "it folder/hello world.txt").await.unwrap();
    assert_eq!(meta.size, Some(content.len() as u64));

    let dest = dir.path().join("downloaded.txt");
    let n = stage_download(&c, gid, "it folder/hello world.txt", &dest, false, &cancel, |_, _| {}).await.unwrap();
    assert_eq!(n, content.len() as u64);
    assert_eq!(std::fs::read_to_string(&dest).unwrap(), content);
    #[cfg(unix)]
    {
        // Like `cp`: 0666 less the umask, the mode of any file the user creates there.
        use std::os::unix::fs::PermissionsExt;
        let reference = dir.path().join("made-by-create");
        std::fs::File::create(&reference).unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dest), mode(&reference));
    }
    // The API answered 307 and the object store never saw the key.
    assert!(h.requests().iter().any(|r| r.method == "GET"
        && r.path_and_query.contains("/fs/it%20folder/hello%20world.txt")
        && r.status == Some(307)));
    let blob = h.shared().world().stage.blob_requests().to_vec();
    assert!(!blob.is_empty());
    for r in &blob {
        assert!(!r.headers.iter().any(|(k, _)| k == "authorization"), "blob host got {r:?}");
        assert!(!r.headers.iter().any(|(_, v)| v.contains(h.api_key())));
    }

    let moved = c.stage_move(gid, "it folder/hello world.txt", "it folder/renamed.txt").await.unwrap();
    assert_eq!(moved.path.as_deref(), Some("it folder/renamed.txt"));
    assert!(matches!(c.stage_metadata(gid, "it folder/hello world.txt").await, Err(ApiError::NotFound { .. })));
    c.stage_delete(gid, "it folder/renamed.txt").await.unwrap();
    c.stage_delete(gid, "it folder/").await.unwrap();
    assert!(!c.stage_list(gid, "").await.unwrap().children().iter().any(|e| e.name.as_deref() == Some("it folder")));
}

async fn upload_blob(c: &Client, gid: Uuid, name: &str, size: usize) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join(name);
    let data: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
    std::fs::write(&local, &data).unwrap();
    stage_upload(c, gid, &local, name, &CancellationToken::new(), |_, _| {}).await.unwrap();
    data
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
}

#[tokio::test]
async fn cancelled_download_leaves_no_file() {
    let h = sim().await;
    let c = client(&h);
    let gid = any_group(&c).await;
    upload_blob(&c, gid, "big.bin", 4 << 20).await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("big.bin");
    let cancel = CancellationToken::new();
    let token = cancel.clone();
    let err = stage_download(&c, gid, "big.bin", &dest, false, &cancel, move |done, _| {
        if done > 0 {
            token.cancel();
        }
    })
    .await
    .unwrap_err();
    assert!(matches!(err, ApiError::Cancelled), "{err:?}");
    assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));
}

#[tokio::test]
async fn existing_destination_is_kept_unless_overwrite() {
    let h = sim().await;
    let c = client(&h);
    let gid = any_group(&c).await;
    let data = upload_blob(&c, gid, "small.bin", 1000).await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("small.bin");
    std::fs::write(&dest, b"mine").unwrap();
    let cancel = CancellationToken::new();
    let err = stage_download(&c, gid, "small.bin", &dest, false, &cancel, |_, _| {}).await.unwrap_err();
    assert!(matches!(err, ApiError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&dest).unwrap(), b"mine");
    stage_download(&c, gid, "small.bin", &dest, true, &cancel, |_, _| {}).await.unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert_eq!(leftovers(dir.path()), vec!["small.bin".to_string()]);
}

/// A folder this process cannot create files in. As root, mode bits do not stop writes,
/// so fall back to sysfs, which refuses new files.
fn unwritable_dir(base: &Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let ro = base.join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(ro.join("probe"), b"x").is_err() {
        return ro;
    }
    let _ = std::fs::remove_file(ro.join("probe"));
    let sys = std::path::PathBuf::from("/sys");
    assert!(std::fs::write(sys.join("s2tui-probe"), b"x").is_err());
    sys
}

#[tokio::test]
async fn read_only_destination_is_a_clear_io_error() {
    let h = sim().await;
    let c = client(&h);
    let gid = any_group(&c).await;
    upload_blob(&c, gid, "x.bin", 10).await;
    let base = tempfile::tempdir().unwrap();
    let ro = unwritable_dir(base.path());
    let dest = ro.join("x.bin");
    let before = h.requests().len();
    let err = stage_download(&c, gid, "x.bin", &dest, false, &CancellationToken::new(), |_, _| {}).await.unwrap_err();
    let ApiError::Io { path, .. } = &err else { panic!("expected an Io error, got {err:?}") };
    assert_eq!(path, &ro);
    assert!(err.to_string().contains("cannot create a temporary file in"), "{err}");
    assert!(!dest.exists());
    // Failing locally happens before any request.
    assert_eq!(h.requests().len(), before);
}

#[tokio::test]
async fn interrupted_download_leaves_no_file() {
    let h = sim().await;
    let c = client_with(&h, RetryPolicy::none());
    let gid = any_group(&c).await;
    let data = upload_blob(&c, gid, "cut.bin", 100_000).await;
    // Only the object store fails: the API still answers the redirect.
    h.inject_blob(Fault::Drop);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("cut.bin");
    let most = Arc::new(Mutex::new(0u64));
    let m2 = most.clone();
    let err = stage_download(&c, gid, "cut.bin", &dest, false, &CancellationToken::new(), move |done, _| {
        let mut m = m2.lock().unwrap();
        *m = (*m).max(done);
    })
    .await
    .unwrap_err();
    assert!(matches!(err, ApiError::Transport { .. }), "{err:?}");
    assert!(!err.to_string().contains("X-Amz-Signature"), "{err}");
    let received = *most.lock().unwrap();
    assert!(received > 0 && received < data.len() as u64, "cut after {received} bytes");
    assert!(h.requests().iter().any(|r| r.path_and_query.contains("/fs/cut.bin") && r.status == Some(307)));
    assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));

    // The fault was used up: the same download now completes.
    stage_download(&c, gid, "cut.bin", &dest, false, &CancellationToken::new(), |_, _| {}).await.unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
}

// ───────────────────────────── retries and faults ─────────────────────────────

#[tokio::test]
async fn retry_after_is_honoured() {
    let h = sim().await;
    let c = client(&h);
    h.inject(Fault::TooManyRequests { retry_after_secs: 1 });
    let t0 = Instant::now();
    c.regions().await.unwrap();
    assert!(t0.elapsed() >= Duration::from_secs(1), "{:?}", t0.elapsed());
    assert_eq!(count(&h, "GET", "/v1/regions"), 2);
}

#[tokio::test]
async fn permanent_429_is_bounded() {
    let h = sim().await;
    // Retry-After beyond the budget: give up at once rather than wait in vain.
    h.set_faults(FaultSpec { rate_429: 1.0, retry_after_secs: 30, ..FaultSpec::none() });
    let c = client(&h);
    let err = c.regions().await.unwrap_err();
    assert!(matches!(err, ApiError::RateLimited { .. }), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(count(&h, "GET", "/v1/regions"), 1);

    // Retry-After 0: bounded by the retry count instead.
    h.set_faults(FaultSpec { rate_429: 1.0, retry_after_secs: 0, ..FaultSpec::none() });
    let err = c.organization().await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(count(&h, "GET", "/v1/organizations/current"), 1 + RetryPolicy::fast().max_retries as usize);
}

#[tokio::test]
async fn server_errors_are_retried_for_get_only() {
    let h = sim().await;
    let records = Arc::new(Mutex::new(Vec::<CallRecord>::new()));
    let r2 = records.clone();
    let c = client(&h).with_observer(Arc::new(move |r: &CallRecord| r2.lock().unwrap().push(r.clone())));

    h.inject(Fault::ServerError(500));
    c.teams().await.unwrap();
    assert_eq!(count(&h, "GET", "/v1/teams"), 2);
    let seen = records.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert_eq!((seen[0].status, seen[0].attempt), (Some(500), 1));
    assert!(seen[0].error.as_deref().unwrap().contains("500"));
    assert_eq!((seen[1].status, seen[1].attempt), (Some(200), 2));
    assert_eq!(seen[1].path, "/v1/teams");

    h.inject(Fault::ServerError(503));
    let err = c.create_team(&TeamCreate { name: "never-twice".into(), description: None }).await.unwrap_err();
    assert!(matches!(err, ApiError::Server { status: 503, .. }), "{err:?}");
    assert_eq!(count(&h, "POST", "/v1/teams"), 1);
    assert!(!c.teams().await.unwrap().iter().any(|t| t.name == "never-twice"));

    // 501 will never work: not retried even for GET.
    h.inject(Fault::ServerError(501));
    let before = count(&h, "GET", "/v1/regions");
    assert_eq!(c.regions().await.unwrap_err().status(), Some(501));
    assert_eq!(count(&h, "GET", "/v1/regions"), before + 1);
}

#[tokio::test]
async fn dropped_connection_is_a_transport_error() {
    let h = sim().await;
    let c = client_with(&h, RetryPolicy::none());
    h.inject(Fault::Drop);
    let err = c.regions().await.unwrap_err();
    assert!(matches!(err, ApiError::Transport { .. }), "{err:?}");
    assert!(err.to_string().contains("GET /v1/regions"), "{err}");
    assert!(err.is_retryable());

    // With retries, a single drop is invisible to a GET …
    let c = client(&h);
    h.inject(Fault::Drop);
    c.regions().await.unwrap();
    // … but a mutation reports it rather than risk doing it twice.
    h.inject(Fault::Drop);
    let err = c.create_team(&TeamCreate { name: "dropped".into(), description: None }).await.unwrap_err();
    assert!(matches!(err, ApiError::Transport { .. }), "{err:?}");
    assert_eq!(count(&h, "POST", "/v1/teams"), 1);
}

#[tokio::test]
async fn refused_connection_is_a_transport_error() {
    let listener = std::net::TcpListener::bind(loopback()).unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let cfg = ClientConfig::new(&format!("http://{addr}"), ApiKey::new("k")).unwrap().with_retry(RetryPolicy::none());
    let err = Client::new(cfg).unwrap().regions().await.unwrap_err();
    assert!(matches!(err, ApiError::Transport { .. }), "{err:?}");
    assert!(err.to_string().to_lowercase().contains("refused"), "{err}");
}

#[tokio::test]
async fn wrong_key_is_unauthorized_and_never_echoed() {
    let h = sim().await;
    let cfg =
        ClientConfig::new(h.base_url(), ApiKey::new("sk-wrong-key-value")).unwrap().with_retry(RetryPolicy::fast());
    let err = Client::new(cfg).unwrap().regions().await.unwrap_err();
    assert!(matches!(err, ApiError::Unauthorized { status: 401, .. }), "{err:?}");
    assert_eq!(count(&h, "GET", "/v1/regions"), 1);
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("sk-wrong-key-value"), "{shown}");
    assert!(shown.contains("401 Unauthorized:"), "{shown}");
}

#[tokio::test]
async fn not_found_names_the_request() {
    let h = sim().await;
    let c = client(&h);
    let id = Uuid::new_v4();
    let err = c.workspace(id).await.unwrap_err();
    assert!(matches!(err, ApiError::NotFound { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.starts_with("404 Not Found: "), "{text}");
    assert!(text.ends_with(&format!("(GET /v1/workspaces/{id})")), "{text}");
}

#[tokio::test]
async fn unknown_enum_values_decode() {
    let h = sim().await;
    let c = client(&h);
    let (_gid, wid) = group_and_workspace(&c, "enum").await;
    {
        let mut w = h.shared().world();
        w.workspaces.get_mut(&wid).unwrap().api.state = WorkspaceState::Unknown("RESIZING".into());
        w.regions[0].provider = Provider::Unknown("OCI".into());
    }
    let ws = c.workspace(wid).await.unwrap();
    assert_eq!(ws.state, WorkspaceState::Unknown("RESIZING".into()));
    assert!(c.regions().await.unwrap().iter().any(|r| r.provider == Provider::Unknown("OCI".into())));
}

#[tokio::test]
async fn slow_reply_is_a_timeout() {
    let h = sim().await;
    let cfg = ClientConfig::new(h.base_url(), ApiKey::new(h.api_key()))
        .unwrap()
        .with_retry(RetryPolicy::none())
        .with_timeouts(Duration::from_secs(1), Duration::from_millis(200));
    let c = Client::new(cfg).unwrap();
    h.inject(Fault::Latency(Duration::from_secs(3)));
    let err = c.regions().await.unwrap_err();
    assert!(matches!(err, ApiError::Timeout { .. }), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_reply_that_is_not_the_expected_json_is_a_decode_error() {
    const BODY: &str = "<html>maintenance page</html>";
    // A proxy in front of the API answering 200 with a maintenance page.
    let app = axum::Router::new().route(
        "/v1/regions",
        axum::routing::get(|| async { ([(axum::http::header::CONTENT_TYPE, "text/html")], BODY) }),
    );
    let listener = tokio::net::TcpListener::bind(loopback()).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let c = Client::new(ClientConfig::new(&base, ApiKey::new("k")).unwrap()).unwrap();
    let err = c.regions().await.unwrap_err();
    let ApiError::Decode { snippet, path, .. } = &err else { panic!("expected Decode, got {err:?}") };
    assert_eq!(snippet, BODY);
    assert_eq!(path, "/v1/regions");
    assert!(!err.is_retryable());
}

/// Every attempt the client reports, kept for the test.
fn observed(c: Client) -> (Client, Arc<Mutex<Vec<CallRecord>>>) {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = calls.clone();
    (c.with_observer(Arc::new(move |r: &CallRecord| seen.lock().unwrap().push(r.clone()))), calls)
}

#[tokio::test]
async fn a_reply_that_cannot_be_read_is_reported_as_a_failed_call_with_its_status() {
    let app =
        axum::Router::new().route("/v1/organizations/current", axum::routing::get(|| async { "<html>maintenance" }));
    let listener = tokio::net::TcpListener::bind(loopback()).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let cfg = ClientConfig::new(&base, ApiKey::new("k")).unwrap().with_retry(RetryPolicy::fast());
    let (c, calls) = observed(Client::new(cfg).unwrap());
    let err = c.organization().await.unwrap_err();
    assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
    assert_eq!(err.status(), Some(200));
    let calls = calls.lock().unwrap();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].status, Some(200));
    assert!(calls[0].error.as_deref().is_some_and(|e| e.contains("unexpected reply")), "{calls:?}");
    assert!(!calls[0].no_route);
}

#[tokio::test]
async fn a_route_the_service_does_not_offer_is_asked_once_and_is_not_a_failure() {
    let h = sim().await;
    let (c, calls) = observed(client(&h));
    assert!(c.list_jobs().await.unwrap().is_none());
    assert!(c.list_jobs().await.unwrap().is_none());
    // A clone for another API version shares what was learned.
    assert!(c.with_version(s2tui::api::ApiVersion::V1).list_jobs().await.unwrap().is_none());
    assert_eq!(count(&h, "GET", "/v1/jobs"), 1);
    let calls = calls.lock().unwrap();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].status, Some(405));
    assert!(calls[0].no_route, "{calls:?}");
}
