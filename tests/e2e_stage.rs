//! End-to-end: the real binary in a pseudo-terminal against the simulator. In the Stage pane:
//! create a folder, upload a file into it, download it back, rename it, delete it.
//! Every wait is a poll bounded by a deadline.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use pty::{Pty, Sim};
use s2tui::api::types::WorkspaceGroupState;
use s2tui::sim::{Seed, SimConfig};

const BACKSPACE: &str = "\x7f";

#[test]
fn new_folder_upload_download_rename_delete() {
    let sim = Sim::start(SimConfig {
        api_key: "e2e-stage".into(),
        speed: 100.0,
        seed: Seed::Demo,
        colleague_rate: 0.0,
        ..Default::default()
    });
    let (group, name) = {
        let w = sim.handle.shared().world();
        let g = w.groups.values().find(|g| g.api.state == WorkspaceGroupState::Active).unwrap();
        (g.api.workspace_group_id, g.api.name.clone())
    };
    let local = tempfile::tempdir().unwrap();
    let file = local.path().join("hello world.txt");
    std::fs::write(&file, "hello from the e2e test\n").unwrap();
    let out = tempfile::tempdir().unwrap();

    let dash = Pty::dashboard(&sim, &[]);
    dash.wait_for("Workspaces");
    dash.send(&format!(":stage {name}\r"));
    dash.wait_until("the Stage root", |s| s.contains(&format!("{name}:/")) && !s.contains("Loading folder…"));

    // New folder, then into it.
    dash.send("n");
    dash.wait_for("New folder in /");
    dash.send("e2e-folder\r");
    dash.wait_for("e2e-folder/");
    dash.send("/e2e-folder\r\r");
    dash.wait_for("Empty folder");

    // Upload.
    dash.send("u");
    dash.wait_for("Upload to Stage");
    dash.send(&format!("{}\r", file.display()));
    dash.wait_until("the uploaded file", |s| s.contains("hello world.txt") && !s.contains("Empty folder"));

    // Download into another folder.
    dash.send("D");
    dash.wait_for("Into local folder");
    dash.send(&format!("{BACKSPACE}{}\r", out.path().display()));
    let got = out.path().join("hello world.txt");
    dash.wait_file(&got);
    assert_eq!(std::fs::read(&got).unwrap(), std::fs::read(&file).unwrap());

    // Rename.
    dash.send("m");
    dash.wait_for("Move or rename");
    dash.send(&BACKSPACE.repeat(40));
    dash.send("/e2e-folder/renamed.txt\r");
    dash.wait_until("the renamed file", |s| s.contains("renamed.txt") && !s.contains("hello world.txt"));

    // Delete, typing the name.
    dash.send("\x04");
    dash.wait_for("Type renamed.txt to confirm");
    dash.send("renamed.txt\r");
    dash.wait_for("Empty folder");

    let w = sim.handle.shared().world();
    assert!(w.stage.entry_count(group) > 0);
    drop(w);
    let listing = sim.block_on(sim.client().stage_list(group, "e2e-folder/")).unwrap();
    assert!(listing.children().is_empty(), "{listing:?}");
    dash.send("\x03");
}
