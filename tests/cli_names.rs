//! Names where ids are expected, through the real binary against the simulator.

#![allow(clippy::unwrap_used)]

#[path = "common/cli.rs"]
mod cli;

use cli::Sim;

#[test]
fn stage_is_listed_by_group_name_workspace_name_or_id() {
    let sim = Sim::demo();
    let by_id = {
        let groups = sim.run(&["get", "groups", "-o", "json"]).expect(0).stdout;
        let groups: serde_json::Value = serde_json::from_str(&groups).unwrap();
        let prod = groups.as_array().unwrap().iter().find(|g| g["name"] == "Production").unwrap();
        sim.run(&["get", "stage", "ls", prod["workspaceGroupID"].as_str().unwrap()]).expect(0).stdout
    };
    assert!(by_id.lines().count() > 1 && by_id.contains("folder"), "{by_id}");
    assert_eq!(sim.run(&["get", "stage", "ls", "Production"]).expect(0).stdout, by_id);
    assert_eq!(sim.run(&["get", "stage", "ls", "production:"]).expect(0).stdout, by_id, "case and colon");
    assert_eq!(sim.run(&["get", "stage", "ls", "prod-analytics"]).expect(0).stdout, by_id, "a workspace's group");
}

#[test]
fn unknown_names_fail_with_the_known_ones() {
    let sim = Sim::demo();
    let run = sim.run(&["get", "stage", "ls", "Nowhere"]).expect(2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("no workspace group or workspace is called \"Nowhere\""), "{}", run.stderr);
    assert!(run.stderr.contains("Production"), "{}", run.stderr);
    let run = sim.run(&["get", "workspaces", "--group", "Nowhere"]).expect(2);
    let run2 = sim.run(&["stage", "ls", "Nowhere:/"]).expect(2);
    assert!(run2.stderr.contains("is called \"Nowhere\""), "{}", run2.stderr);
    assert!(run.stderr.contains("no workspace group is called"), "{}", run.stderr);
}

#[test]
fn groups_and_workspaces_are_named_in_get_filters() {
    let sim = Sim::demo();
    let run = sim.run(&["get", "workspaces", "--group", "Staging"]).expect(0);
    assert!(run.stdout.contains("staging-app") && !run.stdout.contains("prod-ingest"), "{}", run.stdout);
    let run = sim.run(&["get", "audit", "--workspace", "eu-batch", "--since", "30d", "-o", "json"]).expect(0);
    let entries: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(entries.as_array().is_some_and(|a| !a.is_empty()), "{}", run.stdout);
}

#[test]
fn a_name_two_groups_share_is_ambiguous() {
    let sim = Sim::demo();
    // A second group called "Staging", made through the API like any user would.
    let groups = sim.run(&["get", "groups", "-o", "json"]).expect(0).stdout;
    let groups: serde_json::Value = serde_json::from_str(&groups).unwrap();
    let staging = groups.as_array().unwrap().iter().find(|g| g["name"] == "Staging").unwrap().clone();
    let client = reqwest::Client::new();
    let url = format!("{}/v1/workspaceGroups", sim.handle.base_url());
    let create = serde_json::json!({
        "name": "staging",
        "regionID": staging["regionID"],
        "firewallRanges": [],
    });
    let status = sim.rt.block_on(async {
        client.post(&url).bearer_auth(sim.handle.api_key()).json(&create).send().await.unwrap().status()
    });
    assert!(status.is_success(), "{status}");
    // Exact case still picks one; ignoring case finds two.
    sim.run(&["get", "workspaces", "--group", "Staging"]).expect(0);
    let run = sim.run(&["get", "workspaces", "--group", "STAGING"]).expect(2);
    assert!(run.stderr.contains("2 workspace groups are called \"STAGING\""), "{}", run.stderr);
}
