//! Stage transfers end to end through the dashboard's own path: keys → `update` → the effect
//! runner's transfer tasks → the simulator over HTTP → `Msg::Transfer` → the queue.

#![allow(clippy::unwrap_used)]

mod stage_support;

use s2tui::panes::transfers::{Job, Status};
use s2tui::sim::faults::Fault;
use s2tui::widgets::modal::Modal;
use stage_support::{Harness, random_bytes, sha, tree};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_of_0_1_and_10_mb_round_trip_identically() {
    let mut h = Harness::start().await;
    let src = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let files = [("empty.bin", 0usize), ("one.bin", 1), ("ten-mb.bin", 10 * 1024 * 1024)];
    for (i, (name, size)) in files.iter().enumerate() {
        std::fs::write(src.path().join(name), random_bytes(*size, i as u64)).unwrap();
    }
    for (name, _) in &files {
        h.upload(&src.path().join(name)).await;
        h.wait_transfers().await;
    }
    assert!(h.statuses().iter().all(|s| *s == Status::Done), "{:?}", h.statuses());
    h.relist().await;
    for (name, _) in &files {
        h.select(name);
        h.download_into(out.path());
        h.wait_transfers().await;
    }
    assert!(h.statuses().iter().all(|s| *s == Status::Done), "{:?}", h.statuses());
    for (name, size) in &files {
        let got = out.path().join(name);
        assert_eq!(std::fs::metadata(&got).unwrap().len(), *size as u64, "{name}");
        assert_eq!(sha(&got), sha(&src.path().join(name)), "{name}");
    }
    // The queue saw the big one's bytes.
    let big = h.state.transfers.list.iter().find(|t| t.job.name().ends_with("ten-mb.bin")).unwrap();
    assert_eq!(big.done, 10 * 1024 * 1024);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_tree_with_unicode_and_spaces_round_trips() {
    let mut h = Harness::start().await;
    let src = tempfile::tempdir().unwrap();
    let root = src.path().join("données 2024");
    std::fs::create_dir_all(root.join("sub dir/ünïcode ✓")).unwrap();
    std::fs::create_dir_all(root.join("empty")).unwrap();
    std::fs::write(root.join("a file.csv"), b"id,name\n1,x\n").unwrap();
    std::fs::write(root.join("sub dir/b.bin"), random_bytes(300_000, 7)).unwrap();
    std::fs::write(root.join("sub dir/ünïcode ✓/c é.txt"), "ça va\n").unwrap();
    h.upload(&root).await;
    h.wait_transfers().await;
    assert!(h.statuses().iter().all(|s| *s == Status::Done), "{:?}", h.statuses());
    // Folders were created first, as one step of the batch.
    assert!(matches!(h.state.transfers.list[0].job, Job::Folders { .. }));
    h.relist().await;
    assert!(h.names().contains(&"données 2024/".to_string()), "{:?}", h.names());

    let out = tempfile::tempdir().unwrap();
    h.select("données 2024/");
    h.download_into(out.path());
    h.wait_transfers().await;
    assert!(h.statuses().iter().all(|s| *s == Status::Done), "{:?}", h.statuses());
    assert_eq!(tree(&out.path().join("données 2024")), tree(&root));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_download_leaves_nothing_and_retries() {
    let mut h = Harness::start().await;
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("cut.bin");
    std::fs::write(&file, random_bytes(2_000_000, 3)).unwrap();
    h.upload(&file).await;
    h.wait_transfers().await;
    h.relist().await;

    let out = tempfile::tempdir().unwrap();
    h.sim.inject_blob(Fault::Drop);
    h.select("cut.bin");
    h.download_into(out.path());
    h.wait_transfers().await;
    let failed = h.state.transfers.list.last().unwrap().clone();
    assert!(matches!(&failed.status, Status::Failed(e) if e.contains("connection")), "{:?}", failed.status);
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "a partial file was left behind");

    // The queue shows it, with the way to retry.
    h.keys(": t r a n s f e r s enter");
    assert!(h.state.panes.transfers.table.select_key(&failed.id.to_string()));
    let row = h.state.panes.transfers.table.selected_row().unwrap().clone();
    assert!(row.cells.iter().any(|c| c.contains("failed") && c.contains("r retries")), "{row:?}");
    h.keys("r");
    h.wait_transfers().await;
    assert_eq!(h.state.transfers.list.last().unwrap().status, Status::Done);
    assert_eq!(sha(&out.path().join("cut.bin")), sha(&file));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leftovers_of_a_killed_download_go_and_live_ones_stay() {
    let mut h = Harness::start().await;
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("fresh.bin");
    std::fs::write(&file, random_bytes(1000, 5)).unwrap();
    h.upload(&file).await;
    h.wait_transfers().await;
    h.relist().await;

    let out = tempfile::tempdir().unwrap();
    // What a download killed with -9 leaves: an unlocked part file.
    let stale = out.path().join(".s2tui-download-AbC123.part");
    std::fs::write(&stale, vec![0u8; 4096]).unwrap();
    // Another running download holds its part file locked.
    let live = out.path().join(".s2tui-download-XyZ789.part");
    let held = std::fs::File::create(&live).unwrap();
    held.lock().unwrap();
    // Files that only look alike are not ours to remove.
    let other = out.path().join("s2tui-download-notes.part");
    std::fs::write(&other, b"mine").unwrap();

    h.select("fresh.bin");
    h.download_into(out.path());
    h.wait_transfers().await;
    assert_eq!(h.state.transfers.list.last().unwrap().status, Status::Done);
    assert_eq!(sha(&out.path().join("fresh.bin")), sha(&file));
    assert!(!stale.exists(), "the leftover was removed");
    assert!(live.exists(), "a live download's file stays");
    assert!(other.exists());
    drop(held);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unwritable_destinations_say_why() {
    let mut h = Harness::start().await;
    let src = tempfile::tempdir().unwrap();
    std::fs::write(src.path().join("small.txt"), "hello\n").unwrap();
    h.upload(&src.path().join("small.txt")).await;
    h.wait_transfers().await;
    h.relist().await;
    let uploaded = h.state.transfers.list.len();
    h.select("small.txt");
    // A file where a folder is expected: refused before anything is transferred.
    let not_a_dir = tempfile::NamedTempFile::new().unwrap();
    h.download_into(not_a_dir.path());
    h.wait_until("the refusal", |s| format!("{:?}", s.toasts).contains("it is a file, not a folder")).await;
    assert_eq!(h.state.transfers.list.len(), uploaded);

    // A folder nobody may write in (even root, under /sys): the transfer fails and says so.
    h.download_into(std::path::Path::new("/sys/kernel"));
    h.wait_transfers().await;
    let t = h.state.transfers.list.last().unwrap();
    match &t.status {
        Status::Failed(e) => assert!(e.contains("/sys/kernel") && e.contains("ermission denied"), "{e}"),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn name_conflicts_are_asked_about() {
    let mut h = Harness::start().await;
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("same.txt");
    std::fs::write(&file, "first\n").unwrap();
    h.upload(&file).await;
    h.wait_transfers().await;
    h.relist().await;

    // Uploading it again asks; r keeps both.
    std::fs::write(&file, "second\n").unwrap();
    h.upload(&file).await;
    h.wait_until("the conflict question", |s| matches!(s.modals.last(), Some(Modal::Files(_)))).await;
    // A key right after the question appears may have been meant for something else: ignored.
    h.keys("o");
    assert!(matches!(h.state.modals.last(), Some(Modal::Files(_))), "a hasty key answers nothing");
    s2tui::testing::advance(&mut h.state, std::time::Duration::from_secs(1));
    h.keys("r");
    h.wait_transfers().await;
    h.relist().await;
    assert!(h.names().contains(&"same (1).txt".to_string()), "{:?}", h.names());

    // Downloading onto an existing local file asks too; s leaves it alone, o replaces it.
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("same.txt"), "local\n").unwrap();
    h.select("same.txt");
    h.download_into(out.path());
    h.wait_until("the conflict question", |s| matches!(s.modals.last(), Some(Modal::Files(_)))).await;
    let before = h.state.transfers.list.len();
    s2tui::testing::advance(&mut h.state, std::time::Duration::from_secs(1));
    h.keys("s");
    assert_eq!(h.state.transfers.list.len(), before, "a skipped file is not queued");
    assert_eq!(std::fs::read_to_string(out.path().join("same.txt")).unwrap(), "local\n");
    h.download_into(out.path());
    h.wait_until("the conflict question", |s| matches!(s.modals.last(), Some(Modal::Files(_)))).await;
    s2tui::testing::advance(&mut h.state, std::time::Duration::from_secs(1));
    h.keys("o");
    h.wait_transfers().await;
    assert_eq!(std::fs::read_to_string(out.path().join("same.txt")).unwrap(), "first\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn folders_are_created_renamed_moved_and_deleted_with_a_count() {
    let mut h = Harness::start().await;
    h.keys("n");
    h.type_text("inbox");
    h.keys("enter");
    h.wait_until("the new folder", |s| s.panes.stage.table.rows().iter().any(|r| r.key == "inbox/")).await;
    h.keys("n");
    h.type_text("archive");
    h.keys("enter");
    h.wait_until("the second folder", |s| s.panes.stage.table.rows().iter().any(|r| r.key == "archive/")).await;

    let src = tempfile::tempdir().unwrap();
    std::fs::write(src.path().join("x.csv"), "a,b\n1,2\n").unwrap();
    h.open("inbox").await;
    h.upload(&src.path().join("x.csv")).await;
    h.wait_transfers().await;
    h.relist().await;

    // Preview: a CSV as an aligned table.
    h.select("x.csv");
    h.keys("o");
    h.wait_until("the preview", |s| matches!(s.modals.last(), Some(Modal::Files(_)))).await;
    let screen = s2tui::testing::render(&mut h.state, 100, 30);
    assert!(screen.contains("a │ b") && screen.contains("1 │ 2"), "{screen}");
    h.keys("esc");

    // Rename, then move into the other folder.
    h.select("x.csv");
    h.keys("m");
    h.set_field("/inbox/y.csv");
    h.keys("enter");
    h.wait_until("the rename", |s| s.panes.stage.table.rows().iter().any(|r| r.key == "inbox/y.csv")).await;
    h.select("y.csv");
    h.keys("m");
    h.set_field("/archive/");
    h.keys("enter");
    h.wait_until("the move", |s| s.panes.stage.table.total() == 0 && !s.panes.stage.listing.in_flight()).await;
    h.keys("backspace");
    h.wait_until("the root", |s| s.panes.stage.path.is_empty() && s.panes.stage.listing.value.is_some()).await;

    // Deleting a folder says what it holds, and needs its name typed.
    h.select("archive/");
    h.keys("ctrl-d");
    h.wait_until("the delete confirmation", |s| matches!(s.modals.last(), Some(Modal::TypedConfirm(_)))).await;
    let screen = s2tui::testing::render(&mut h.state, 100, 30);
    assert!(screen.contains("1 file(s), 0 folder(s) inside"), "{screen}");
    h.type_text("archive");
    h.keys("enter");
    h.wait_until("the delete", |s| !s.panes.stage.table.rows().iter().any(|r| r.key == "archive/")).await;
    assert!(h.names().contains(&"inbox/".to_string()), "an emptied folder remains: {:?}", h.names());
}
