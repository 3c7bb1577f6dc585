//! `s2tui stage` through the real binary against the simulator over real HTTP: copies both
//! ways, folder trees, overwrite rules, mv/rm/mkdir, 429 back-off, and quiet output for scripts.

#![allow(clippy::unwrap_used)]

#[path = "common/cli.rs"]
mod cli;
mod stage_support;

use std::path::Path;
use std::time::{Duration, Instant};

use cli::Sim;
use s2tui::sim::faults::Fault;
use stage_support::tree;

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A nested tree with unicode, spaces and an empty folder.
fn sample_tree(root: &Path) {
    std::fs::create_dir_all(root.join("a/b/ünï cödé")).unwrap();
    std::fs::create_dir_all(root.join("empty")).unwrap();
    std::fs::write(root.join("top.csv"), b"id,name\n1,x\n").unwrap();
    std::fs::write(root.join("a/one.bin"), vec![7u8; 100_000]).unwrap();
    std::fs::write(root.join("a/b/two.txt"), b"two\n").unwrap();
    std::fs::write(root.join("a/b/ünï cödé/three é.txt"), "trois\n").unwrap();
}

#[test]
fn a_nested_tree_goes_up_and_comes_back_identical() {
    let sim = Sim::demo();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("données");
    sample_tree(&src);

    let run = sim.run(&["stage", "cp", "-r", src.to_str().unwrap(), "Production:/", "--json"]).expect(0);
    assert!(run.stderr.is_empty(), "silent when stderr is not a terminal: {}", run.stderr);
    let summary = json(&run.stdout);
    assert_eq!(summary["direction"], "upload");
    assert_eq!(summary["files"], 4);
    assert_eq!(summary["bytes"], 100_000 + 12 + 4 + 6);
    assert_eq!(summary["failed"].as_array().unwrap().len(), 0);
    // Every folder created once, parents before children.
    let made: Vec<String> = sim
        .handle
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT" && r.path_and_query.ends_with('/'))
        .map(|r| r.path_and_query)
        .collect();
    assert_eq!(made.len(), 5, "{made:?}");
    for (i, f) in made.iter().enumerate() {
        let parent = &f[..f[..f.len() - 1].rfind('/').unwrap() + 1];
        if parent.ends_with("/fs/") {
            continue;
        }
        assert!(made[..i].iter().any(|m| m == parent), "{f} made before its parent: {made:?}");
    }
    assert_eq!(summary["folders_created"], 5);

    let listing = sim.run(&["stage", "ls", "Production:données/a/b/"]).expect(0).stdout;
    assert!(listing.contains("two.txt") && listing.contains("ünï cödé/"), "{listing}");

    let out = tempfile::tempdir().unwrap();
    let run = sim.run(&["stage", "cp", "-r", "Production:données", out.path().to_str().unwrap(), "--json"]).expect(0);
    assert_eq!(json(&run.stdout)["files"], 4);
    assert_eq!(tree(&out.path().join("données")), tree(&src));
    // A new local name for the folder: its contents land in it.
    let renamed = out.path().join("renamed");
    sim.run(&["stage", "cp", "-r", "Production:données/", renamed.to_str().unwrap()]).expect(0);
    assert_eq!(tree(&renamed), tree(&src));
    // Nothing temporary is left behind.
    assert!(tree(out.path()).iter().all(|(p, _)| !p.contains(".s2tui-download-")));
}

#[test]
fn existing_destinations_are_refused_skipped_or_replaced() {
    let sim = Sim::demo();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.csv");
    std::fs::write(&file, b"v1\n").unwrap();
    let f = file.to_str().unwrap();
    sim.run(&["stage", "mkdir", "Production:inbox"]).expect(0);
    sim.run(&["stage", "cp", f, "Production:inbox/"]).expect(0);

    std::fs::write(&file, b"v2 longer\n").unwrap();
    let puts = || sim.handle.requests().iter().filter(|r| r.method == "PUT").count();
    let before = puts();
    let run = sim.run(&["stage", "cp", f, "Production:inbox/"]).expect(1);
    assert!(run.stderr.contains("exist already: /inbox/report.csv"), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(puts(), before, "nothing is sent when a destination exists");

    let run = sim.run(&["stage", "cp", "--no-clobber", f, "Production:inbox/", "--json"]).expect(0);
    let summary = json(&run.stdout);
    assert_eq!(summary["files"], 0);
    assert_eq!(summary["skipped"][0], "/inbox/report.csv");

    sim.run(&["stage", "cp", "--force", f, "Production:inbox/report.csv"]).expect(0);
    let back = dir.path().join("back.csv");
    sim.run(&["stage", "cp", "Production:inbox/report.csv", back.to_str().unwrap()]).expect(0);
    assert_eq!(std::fs::read(&back).unwrap(), b"v2 longer\n");

    // Downloads follow the same rules; the local file is never touched without --force.
    std::fs::write(&back, b"mine\n").unwrap();
    let run = sim.run(&["stage", "cp", "Production:inbox/report.csv", back.to_str().unwrap()]).expect(1);
    assert!(run.stderr.contains("exist already"), "{}", run.stderr);
    assert_eq!(std::fs::read(&back).unwrap(), b"mine\n");
    sim.run(&["stage", "cp", "-f", "Production:inbox/report.csv", back.to_str().unwrap()]).expect(0);
    assert_eq!(std::fs::read(&back).unwrap(), b"v2 longer\n");
}

#[test]
fn mv_rm_and_mkdir_work_on_names_and_refuse_what_needs_a_flag() {
    let sim = Sim::demo();
    sim.run(&["stage", "mkdir", "Production:x/y/z"]).expect(1);
    sim.run(&["stage", "mkdir", "-p", "Production:x/y/z"]).expect(0);
    sim.run(&["stage", "mkdir", "-p", "Production:x/y/z"]).expect(0);
    let run = sim.run(&["stage", "mkdir", "Production:x/y/z"]).expect(1);
    assert!(run.stderr.contains("exists already"), "{}", run.stderr);

    let run = sim.run(&["stage", "mv", "Production:x/y", "Production:moved", "--json"]).expect(0);
    assert_eq!(json(&run.stdout)["to"], "moved/");
    let root = sim.run(&["stage", "ls", "Production"]).expect(0).stdout;
    assert!(root.contains("moved/"), "{root}");
    // Into an existing folder, the name is kept.
    sim.run(&["stage", "mkdir", "Production:inbox"]).expect(0);
    sim.run(&["stage", "mv", "Production:moved", "inbox/"]).expect(0);
    assert!(sim.run(&["stage", "ls", "Production:inbox/moved/"]).expect(0).stdout.contains("z/"));

    let run = sim.run(&["stage", "rm", "Production:x"]).expect(2);
    assert!(run.stderr.contains("use -r"), "{}", run.stderr);
    sim.run(&["stage", "rm", "-r", "Production:x", "Production:inbox/moved"]).expect(0);
    let run = sim.run(&["stage", "rm", "Production:x"]).expect(1);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    let root = sim.run(&["stage", "ls", "Production", "--json"]).expect(0).stdout;
    assert!(!root.contains("\"x/\""), "{root}");
}

#[test]
fn the_files_spaces_are_remotes_too() {
    let sim = Sim::demo();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("données");
    sample_tree(&src);

    let listing = sim.run(&["stage", "ls", "files:shared:Jobs"]).expect(0).stdout;
    assert!(listing.contains("etl.ipynb"), "{listing}");
    // A tree into a space: its folders come with their files, the empty one is named as skipped.
    let run = sim.run(&["stage", "cp", "-r", src.to_str().unwrap(), "files:shared:/Jobs/", "--json"]).expect(0);
    let summary = json(&run.stdout);
    assert_eq!(summary["files"], 4);
    assert_eq!(summary["folders_created"], 0);
    let skipped = summary["skipped"].to_string();
    assert!(skipped.contains("empty"), "{skipped}");
    let puts: Vec<String> =
        sim.handle.requests().into_iter().filter(|r| r.method == "PUT").map(|r| r.path_and_query).collect();
    assert!(puts.iter().all(|p| p.starts_with("/v1/files/fs/shared/Jobs/") && !p.ends_with('/')), "{puts:?}");
    let nested = sim.run(&["stage", "ls", "files:shared:Jobs/données/a/b/"]).expect(0).stdout;
    assert!(nested.contains("two.txt"), "{nested}");
    // Back again, identical but for the empty folder.
    let out = tempfile::tempdir().unwrap();
    sim.run(&["stage", "cp", "-r", "files:shared:Jobs/données", out.path().to_str().unwrap()]).expect(0);
    let mut expected = tree(&src);
    expected.retain(|(p, _)| !p.starts_with("empty"));
    assert_eq!(tree(&out.path().join("données")), expected);

    // A file is moved and removed; a folder is not moved, and no empty folder is made.
    let run =
        sim.run(&["stage", "mv", "files:shared:Jobs/données/top.csv", "files:shared:top.csv", "--json"]).expect(0);
    let moved = json(&run.stdout);
    assert_eq!((moved["space"].as_str(), moved["to"].as_str()), (Some("shared"), Some("top.csv")));
    assert!(moved.get("deployment").is_none(), "{moved}");
    sim.run(&["stage", "rm", "files:shared:top.csv"]).expect(0);
    let run = sim.run(&["stage", "mv", "files:shared:Jobs/données", "files:shared:elsewhere"]).expect(2);
    assert!(run.stderr.contains("move files only"), "{}", run.stderr);
    let run = sim.run(&["stage", "mkdir", "files:shared:new"]).expect(2);
    assert!(run.stderr.contains("no empty folders"), "{}", run.stderr);
    sim.run(&["stage", "rm", "-r", "files:shared:Jobs/données"]).expect(0);
    let run = sim.run(&["stage", "ls", "files:public"]).expect(2);
    assert!(run.stderr.contains("personal, shared or models"), "{}", run.stderr);
}

#[test]
fn usage_mistakes_exit_2_and_read_only_writes_nothing() {
    let sim = Sim::demo();
    let dir = tempfile::tempdir().unwrap();
    let run = sim.run(&["stage", "cp", dir.path().to_str().unwrap(), "Production:"]).expect(2);
    assert!(run.stderr.contains("use -r"), "{}", run.stderr);
    sim.run(&["stage", "cp", "a", "b"]).expect(2);
    sim.run(&["stage", "cp", "Production:a", "Staging:b"]).expect(2);
    let before = sim.handle.requests().len();
    let run = sim.run(&["--read-only", "stage", "mkdir", "Production:nope"]).expect(1);
    assert!(run.stderr.contains("read-only"), "{}", run.stderr);
    assert_eq!(sim.handle.requests().len(), before, "refused before any request");
}

#[test]
fn a_429_pauses_the_copy_and_every_file_still_arrives() {
    let sim = Sim::demo();
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["stage".to_string(), "cp".into(), "-j".into(), "4".into()];
    for i in 0..8 {
        let p = dir.path().join(format!("f{i}.bin"));
        std::fs::write(&p, vec![i as u8; 1000]).unwrap();
        args.push(p.display().to_string());
    }
    // By id, so no name is looked up: the plan lists the folder once per source, and the
    // first upload after that gets a 429.
    sim.run(&["stage", "mkdir", "Production:inbox"]).expect(0);
    let groups = json(&sim.run(&["get", "groups", "-o", "json"]).expect(0).stdout);
    let prod = groups.as_array().unwrap().iter().find(|g| g["name"] == "Production").unwrap().clone();
    args.push(format!("{}:inbox/", prod["workspaceGroupID"].as_str().unwrap()));
    for _ in 0..8 {
        sim.handle.inject(Fault::Latency(Duration::ZERO));
    }
    sim.handle.inject(Fault::TooManyRequests { retry_after_secs: 1 });
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let started = Instant::now();
    sim.run(&args).expect(0);
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After was honoured");
    // File uploads only (a folder's path ends in `/`).
    let puts: Vec<Option<u16>> = sim
        .handle
        .requests()
        .iter()
        .filter(|r| r.method == "PUT" && !r.path_and_query.ends_with('/'))
        .map(|r| r.status)
        .collect();
    assert_eq!(puts.iter().filter(|s| **s == Some(429)).count(), 1, "{puts:?}");
    assert_eq!(puts.iter().filter(|s| **s == Some(200)).count(), 8, "{puts:?}");
    let listing = sim.run(&["stage", "ls", "Production:inbox/"]).expect(0).stdout;
    assert_eq!((0..8).filter(|i| listing.contains(&format!("f{i}.bin"))).count(), 8, "{listing}");
}
