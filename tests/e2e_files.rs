//! End-to-end: the real binary in a pseudo-terminal against the simulator. The Files spaces
//! open in the Stage browser beside the deployments: choose the shared space, preview a file,
//! upload a notebook, download it back, rename it, delete it. Every wait is a poll bounded by a
//! deadline.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use pty::{Pty, Sim};
use s2tui::api::types::FileSpace;
use s2tui::sim::{Seed, SimConfig};

const BACKSPACE: &str = "\x7f";

/// The names in a folder of a space, read over HTTP as any client would.
fn listing(sim: &Sim, space: FileSpace, folder: &str) -> Vec<String> {
    let meta = sim.block_on(sim.client().stage_list(space, folder)).unwrap();
    meta.children().iter().filter_map(|c| c.name.clone()).collect()
}

#[test]
fn the_shared_space_in_the_stage_browser() {
    let sim = Sim::start(SimConfig {
        api_key: "e2e-files".into(),
        speed: 100.0,
        seed: Seed::Demo,
        colleague_rate: 0.0,
        ..Default::default()
    });
    let local = tempfile::tempdir().unwrap();
    let file = local.path().join("weekly report.ipynb");
    std::fs::write(&file, "{\"cells\": [], \"metadata\": {}}\n").unwrap();
    let out = tempfile::tempdir().unwrap();

    let dash = Pty::dashboard(&sim, &[]);
    dash.wait_for("Workspaces");

    // The chooser lists the spaces after the deployments.
    dash.send(":stage\r");
    dash.wait_for("choose a deployment or a Files space");
    dash.wait_until("the spaces", |s| {
        ["personal", "shared", "models"].iter().all(|n| dash.row_of(n).is_some_and(|r| r.contains("Files space")))
            && s.contains("workspace group")
    });
    dash.send("/shared\r\r");
    dash.wait_until("the shared space", |s| s.contains("Files") && s.contains("shared:/") && s.contains("README.md"));

    // Preview a file.
    dash.send("/README\r");
    dash.send("o");
    dash.wait_for("Notebooks shared by the data team.");
    dash.send("\x1b");
    dash.wait_gone("Notebooks shared by the data team.");
    // esc again clears the filter.
    dash.send("\x1b");
    dash.wait_until("the whole root", |s| s.contains("ml/") && s.contains("README.md"));

    // Into Jobs/, upload a notebook there.
    dash.send("/Jobs\r\r");
    dash.wait_until("the Jobs folder", |s| s.contains("shared:/Jobs/") && s.contains("etl.ipynb"));
    dash.send("u");
    dash.wait_for("Upload to Files");
    dash.wait_for("Into Files folder");
    dash.send(&format!("{}\r", file.display()));
    dash.wait_until("the uploaded notebook", |s| s.contains("weekly report.ipynb"));
    assert!(listing(&sim, FileSpace::Shared, "Jobs/").contains(&"weekly report.ipynb".to_string()));

    // A space keeps no empty folders: `n` says so instead of a form that cannot succeed.
    dash.send("n");
    dash.wait_for("keeps no empty folders");
    assert!(!dash.screen().contains("New folder in"));

    // Download it back.
    dash.send("/weekly report\r");
    dash.send("D");
    dash.wait_for("Into local folder");
    dash.send(&format!("{BACKSPACE}{}\r", out.path().display()));
    let got = out.path().join("weekly report.ipynb");
    dash.wait_file(&got);
    assert_eq!(std::fs::read(&got).unwrap(), std::fs::read(&file).unwrap());

    // Rename.
    dash.send("m");
    dash.wait_for("Move or rename /Jobs/weekly report.ipynb");
    dash.send(&BACKSPACE.repeat(60));
    dash.send("weekly.ipynb\r");
    dash.wait_for("no row matches /weekly report");
    dash.send("\x1b");
    dash.wait_until("the renamed notebook", |s| s.contains("weekly.ipynb") && !s.contains("weekly report.ipynb"));

    // Delete, typing the name.
    dash.send("/weekly\r");
    dash.wait_until("only the notebook", |s| s.contains("[1/3]"));
    dash.send("\x04");
    dash.wait_for("Delete from Files");
    dash.wait_for("Type weekly.ipynb to confirm");
    dash.send("weekly.ipynb\r");
    dash.wait_for("no row matches /weekly");
    dash.send("\x1b");
    dash.wait_until("the delete", |s| !s.contains("weekly.ipynb") && s.contains("etl.ipynb"));
    let names = listing(&sim, FileSpace::Shared, "Jobs/");
    assert!(!names.iter().any(|n| n.starts_with("weekly")), "{names:?}");

    // The files went to the Files routes, none to a deployment's Stage.
    assert!(!sim.requests("PUT", "/files/fs/shared/Jobs/").is_empty());
    assert!(sim.requests("PUT", "/stage/").is_empty());

    // Up from the root of the space: the chooser again.
    dash.send(BACKSPACE);
    dash.wait_for("Stage › Files › shared ");
    dash.send(BACKSPACE);
    dash.wait_for("choose a deployment or a Files space");
    dash.send("\x03");
}
