//! Projects over real HTTP: the client against the simulator, at v1 and v2, and
//! `s2tui get projects` as a real process.
#![allow(clippy::unwrap_used)]

#[path = "common/live.rs"]
mod live;

use std::time::Duration;

use live::client;
use s2tui::api::types::*;
use s2tui::api::{ApiError, ApiVersion};
use s2tui::sim::Seed;
use uuid::Uuid;

async fn sim(seed: Seed) -> s2tui::sim::SimHandle {
    live::sim_at(2000.0, seed).await
}

fn by_edition(projects: &[Project], edition: ProjectEdition) -> &Project {
    projects.iter().find(|p| p.edition.as_ref() == Some(&edition)).unwrap()
}

#[tokio::test]
async fn the_three_provisioned_projects_hold_the_v1_groups() {
    let h = sim(Seed::Demo).await;
    let c = client(&h);
    let projects = c.projects(ApiVersion::V1).await.unwrap();
    let names: Vec<&str> = projects.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Shared Project", "Standard Project", "Enterprise Project"]);
    assert!(projects.iter().all(|p| p.created_at == projects[0].created_at), "provisioned together");
    assert!(parse_time(projects[0].created_at.as_deref().unwrap()).is_some());

    // The same objects at v2.
    assert_eq!(c.projects(ApiVersion::V2).await.unwrap(), projects);
    let standard = by_edition(&projects, ProjectEdition::Standard);
    assert_eq!(&c.project(ApiVersion::V2, standard.project_id).await.unwrap(), standard);
    assert_eq!(&c.project(ApiVersion::V1, standard.project_id).await.unwrap(), standard);

    let groups = c.workspace_groups(true).await.unwrap();
    assert!(!groups.is_empty());
    for g in &groups {
        assert_eq!(g.project_id, Some(standard.project_id), "{}", g.name);
        assert_eq!(g.project_name.as_deref(), Some("Standard Project"));
    }
    let shared = by_edition(&projects, ProjectEdition::Shared);
    let starters = c.starter_workspaces().await.unwrap();
    assert!(!starters.is_empty());
    assert!(starters.iter().all(|s| s.project_id == Some(shared.project_id)));
    h.shutdown().await;
}

#[tokio::test]
async fn even_an_empty_organization_has_its_projects() {
    let h = sim(Seed::Empty).await;
    assert_eq!(client(&h).projects(ApiVersion::V2).await.unwrap().len(), 3);
    h.shutdown().await;
}

#[tokio::test]
async fn unknown_and_malformed_project_ids() {
    let h = sim(Seed::Demo).await;
    let c = client(&h);
    let err = c.project(ApiVersion::V2, Uuid::new_v4()).await.unwrap_err();
    assert!(matches!(err, ApiError::NotFound { .. }), "{err:?}");
    assert!(err.message().contains("project not found"), "{err}");
    let err = c.project(ApiVersion::V1, Uuid::new_v4()).await.unwrap_err();
    assert_eq!(err.status(), Some(404));

    let http = reqwest::Client::new();
    let get = |path: &str| http.get(format!("{}{path}", h.base_url())).bearer_auth(h.api_key()).send();
    let resp = get("/v2/projects/not-a-uuid").await.unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(resp.text().await.unwrap(), "uuid: incorrect UUID length");
    let resp = get("/v1/projects/not-a-uuid").await.unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("UUID"));
    // v2 serves reads only.
    let resp = http
        .post(format!("{}/v2/projects", h.base_url()))
        .bearer_auth(h.api_key())
        .json(&serde_json::json!({"name": "x", "edition": "STANDARD"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 405);
    h.shutdown().await;
}

#[tokio::test]
async fn create_rename_and_delete_a_project() {
    let h = sim(Seed::Demo).await;
    let c = client(&h);
    let id = c
        .create_project(&ProjectCreate { name: "  Research  ".into(), edition: ProjectEdition::Enterprise })
        .await
        .unwrap();
    let p = c.project(ApiVersion::V1, id).await.unwrap();
    assert_eq!((p.name.as_str(), p.edition), ("Research", Some(ProjectEdition::Enterprise)));
    assert_eq!(c.projects(ApiVersion::V2).await.unwrap().last().map(|p| p.project_id), Some(id));

    // A group placed in it carries its name, and follows a rename.
    let region = c.regions().await.unwrap().remove(0);
    let created = c
        .create_workspace_group(&WorkspaceGroupCreate {
            name: "research-group".into(),
            firewall_ranges: vec![],
            region_id: Some(region.region_id),
            project_id: Some(id),
            ..Default::default()
        })
        .await
        .unwrap();
    let gid = created.workspace_group_id;
    assert_eq!(c.workspace_group(gid).await.unwrap().project_name.as_deref(), Some("Research"));
    assert_eq!(c.rename_project(id, "Research Lab").await.unwrap(), id);
    assert_eq!(c.project(ApiVersion::V2, id).await.unwrap().name, "Research Lab");
    let g = c.workspace_group(gid).await.unwrap();
    assert_eq!((g.project_id, g.project_name.as_deref()), (Some(id), Some("Research Lab")));

    // Not while it holds a live deployment.
    let err = c.delete_project(id).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.message().contains("still has 1 deployment"), "{err}");
    c.terminate_workspace_group(gid, true).await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while c.workspace_group(gid).await.unwrap().state != WorkspaceGroupState::Terminated {
        assert!(std::time::Instant::now() < deadline, "the group never terminated");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(c.delete_project(id).await.unwrap(), id);
    assert_eq!(c.project(ApiVersion::V1, id).await.unwrap_err().status(), Some(404));
    assert_eq!(c.delete_project(id).await.unwrap_err().status(), Some(404));

    let kinds: Vec<String> = h.shared().world().audit.iter().filter_map(|a| a.kind.clone()).collect();
    for k in ["Project.Create", "Project.Update", "Project.Delete"] {
        assert!(kinds.iter().any(|x| x == k), "{k} audited");
    }
    h.shutdown().await;
}

#[tokio::test]
async fn bad_project_bodies_are_refused_with_a_reason() {
    let h = sim(Seed::Demo).await;
    let c = client(&h);
    let err =
        c.create_project(&ProjectCreate { name: " ".into(), edition: ProjectEdition::Standard }).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.message().contains("name"), "{err}");
    let err = c
        .create_project(&ProjectCreate { name: "x".into(), edition: ProjectEdition::Unknown("GOLD".into()) })
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.message().contains("GOLD") && err.message().contains("ENTERPRISE"), "{err}");
    let standard = by_edition(&c.projects(ApiVersion::V1).await.unwrap(), ProjectEdition::Standard).project_id;
    let err = c.rename_project(standard, "").await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    // A group cannot be placed in a project that does not exist.
    let region = c.regions().await.unwrap().remove(0);
    let err = c
        .create_workspace_group(&WorkspaceGroupCreate {
            name: "nowhere".into(),
            region_id: Some(region.region_id),
            project_id: Some(Uuid::new_v4()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.message().contains("project"), "{err}");
    h.shutdown().await;
}

#[tokio::test]
async fn get_projects_prints_a_table_and_json() {
    let h = sim(Seed::Demo).await;
    for api in ["v1", "v2"] {
        let out = live::s2tui_async(&h, &["--api", api, "get", "projects"], &[]).await;
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("NAME") && lines[0].contains("EDITION"), "{text}");
        assert!(lines.iter().any(|l| l.starts_with("Standard Project") && l.contains("STANDARD")), "{text}");
        assert_eq!(lines.len(), 4, "{text}");
        assert!(h.requests().iter().any(|r| r.path_and_query == format!("/{api}/projects")), "asked at {api}");
    }
    let out = live::s2tui_async(&h, &["get", "projects", "-o", "json"], &[]).await;
    assert!(out.status.success());
    let parsed: Vec<Project> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(parsed.len(), 3);
    h.shutdown().await;
}
