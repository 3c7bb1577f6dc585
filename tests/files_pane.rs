//! The Files pane headless against the simulator: browse the shared space, preview a
//! notebook, upload a local file, download it back, rename and delete it; and a snapshot.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use s2tui::api::types::*;
use s2tui::api::{ApiKey, Client, ClientConfig};
use s2tui::msg::Msg;
use s2tui::panes::stage::FilesModal;
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use s2tui::state::{PaneId, SessionInfo, State};
use s2tui::testing::{Headless, select_name, visible_names};
use s2tui::widgets::modal::Modal;

fn deadline() -> Instant {
    Instant::now() + Duration::from_secs(20)
}

fn names(state: &mut State) -> Vec<String> {
    visible_names(&mut state.panes.files.table)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browse_preview_upload_download_rename_delete() {
    let config = SimConfig { speed: 100.0, colleague_rate: 0.0, seed: Seed::Demo, ..SimConfig::default() };
    let sim = SimHandle::start(config, "127.0.0.1:0".parse::<SocketAddr>().unwrap()).await.unwrap();
    let cfg = ClientConfig::new(sim.base_url(), ApiKey::new(sim.api_key())).unwrap();
    let c = Client::new(cfg.clone()).unwrap();
    let mut h = Headless::new(Client::new(cfg).unwrap(), SessionInfo { demo: true, ..SessionInfo::default() });
    h.start();
    h.press(":");
    h.type_text("spaces");
    h.press("enter");
    assert_eq!(h.state.location.pane, PaneId::Files);
    assert!(h.until(deadline(), |s| s.panes.files.table.total() == 3).await);
    h.feed(Msg::Redraw);
    assert_eq!(names(&mut h.state), ["Jobs/", "ml/", "README.md"]);

    // Into Jobs/, preview a notebook.
    assert!(select_name(&mut h.state.panes.files.table, "Jobs/"));
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.files.folder == "Jobs/" && s.panes.files.table.total() == 2).await);
    h.feed(Msg::Redraw);
    assert!(select_name(&mut h.state.panes.files.table, "etl.ipynb"));
    h.press("o");
    let previewed = |s: &State| matches!(s.modals.last(), Some(Modal::Files(FilesModal::Preview(p))) if p.lines.iter().any(|l| l.contains("Nightly ETL")));
    assert!(h.until(deadline(), previewed).await, "the notebook's text is shown");
    h.press("esc");

    // Upload a local file into Jobs/.
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("new.ipynb");
    std::fs::write(&local, b"{\"cells\": []}").unwrap();
    h.press("u");
    h.type_text(local.to_str().unwrap());
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.files.table.total() == 3).await, "the upload is listed");
    assert_eq!(c.files_read(FileSpace::Shared, "Jobs/new.ipynb", 100).await.unwrap().0, b"{\"cells\": []}");

    // Download it back next to the original, under another name.
    h.feed(Msg::Redraw);
    assert!(select_name(&mut h.state.panes.files.table, "new.ipynb"));
    h.press("D");
    h.press("ctrl-u");
    let back = dir.path().join("back.ipynb");
    h.type_text(back.to_str().unwrap());
    h.press("enter");
    let end = deadline();
    while !back.exists() {
        assert!(h.until(end, |s| s.modals.is_empty()).await);
        assert!(Instant::now() < end, "never saved");
        tokio::task::yield_now().await;
    }
    assert_eq!(std::fs::read(&back).unwrap(), b"{\"cells\": []}");

    // Rename, then delete.
    h.press("m");
    h.press("ctrl-u");
    h.type_text("Jobs/renamed.ipynb");
    h.press("enter");
    assert!(
        h.until(deadline(), |s| s
            .panes
            .files
            .list
            .value
            .iter()
            .flatten()
            .any(|f| f.name.as_deref() == Some("renamed.ipynb")))
            .await
    );
    // Settled: the form closed and the list read again.
    assert!(h.until(deadline(), |s| s.modals.is_empty() && !s.panes.files.list.in_flight()).await);
    h.feed(Msg::Redraw);
    assert!(select_name(&mut h.state.panes.files.table, "renamed.ipynb"));
    h.press("ctrl-d");
    assert!(matches!(h.state.modals.last(), Some(Modal::TypedConfirm(_))), "{:?}", h.state.modals.len());
    h.type_text("renamed.ipynb");
    h.press("enter");
    let gone = h.until(deadline(), |s| s.panes.files.table.total() == 2).await;
    let ops: Vec<String> =
        h.state.ops.list.iter().map(|o| format!("{} {} {:?}", o.kind.label(), o.name, o.status)).collect();
    assert!(gone, "deleted; ops: {ops:?}; rows: {:?}", names(&mut h.state));
    assert!(c.files_metadata(FileSpace::Shared, "Jobs/renamed.ipynb").await.is_err());

    // s: the next space.
    h.press("s");
    assert!(
        h.until(deadline(), |s| s.panes.files.space == FileSpace::Models && s.panes.files.table.total() == 1).await
    );
}

#[test]
fn the_shared_space_as_a_list() {
    use s2tui::effect::{ApiReply, Fetch};
    use s2tui::testing::*;
    let mut state = loaded();
    press(&mut state, ":");
    type_text(&mut state, "spaces");
    let effects = press(&mut state, "enter");
    let (id, fetch) = fetches(&effects)[0];
    assert_eq!(*fetch, Fetch::Files(FilesRequest::List { space: FileSpace::Shared, path: String::new() }));
    let entry = |name: &str, dir: bool, size: u64| FileObjectMetadata {
        name: Some(name.into()),
        path: Some(if dir { format!("{name}/") } else { name.into() }),
        kind: Some(if dir { FileType::Directory } else { FileType::File }),
        size: Some(size),
        last_modified: Some(ago(7200)),
        ..FileObjectMetadata::default()
    };
    let meta = FileObjectMetadata {
        content: Some(FileContent::Children(vec![
            entry("README.md", false, 36),
            entry("Jobs", true, 0),
            entry("ml", true, 0),
        ])),
        ..FileObjectMetadata::default()
    };
    reply(
        &mut state,
        id,
        Ok(ApiReply::Files(FilesReply::Listing { space: FileSpace::Shared, path: String::new(), meta })),
    );
    insta::assert_snapshot!("files_shared", render(&mut state, 100, 16));
}
