//! A group's settings over real HTTP: workload identity and delegated entities (add, the 207
//! of a removal, refusals), the update window and allow-all-traffic through an update, and the
//! settings view headless.
#![allow(clippy::unwrap_used)]

#[path = "common/live.rs"]
mod live;

use live::client;
use s2tui::api::types::*;
use s2tui::sim::Seed;
use s2tui::state::PaneId;
use s2tui::testing::*;

const ROLE: &str = "arn:aws:iam::123456789012:role/reader";

#[tokio::test]
async fn identity_and_delegated_entities() {
    let h = live::sim_at(500.0, Seed::Demo).await;
    let c = client(&h);
    let groups = c.workspace_groups(false).await.unwrap();
    let prod = groups.iter().find(|g| g.name == "Production").unwrap().workspace_group_id;
    let identity = c.workload_identity(prod).await.unwrap();
    assert!(identity.identity.starts_with("arn:aws:iam::"), "{identity:?}");
    assert_eq!(c.workload_identity(prod).await.unwrap(), identity, "stable");
    assert!(c.delegated_entities(prod).await.unwrap().is_empty());

    let list = c
        .add_delegated_entities(prod, vec![ROLE.into(), "arn:aws:iam::123456789012:role/writer".into()])
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    assert!(parse_time(&list[0].created_at).is_some());
    // Adding one again changes nothing.
    assert_eq!(c.add_delegated_entities(prod, vec![ROLE.into()]).await.unwrap().len(), 2);
    let e = c.add_delegated_entities(prod, vec!["not-an-arn".into()]).await.unwrap_err();
    assert!(e.to_string().contains("invalid entity"), "{e}");
    let e = c.add_delegated_entities(prod, vec![]).await.unwrap_err();
    assert!(e.to_string().contains("at least one"), "{e}");

    // 207: one removed, one that was never there.
    let r = c.remove_delegated_entities(prod, vec![ROLE.into(), "arn:aws:iam::1:role/ghost".into()]).await.unwrap();
    assert_eq!(r.deleted, [ROLE]);
    assert_eq!(r.failed, ["arn:aws:iam::1:role/ghost"]);
    let (status, _) = live::raw(
        &h,
        reqwest::Method::DELETE,
        &format!("/v1/workspaceGroups/{prod}/delegatedEntities?entities=arn:aws:iam::123456789012:role/writer"),
        None,
    )
    .await;
    assert_eq!(status, 207);
    assert!(c.delegated_entities(prod).await.unwrap().is_empty());

    // Update window and allow-all-traffic are read back as sent.
    let body = WorkspaceGroupUpdate {
        update_window: Some(UpdateWindow { day: 2, hour: 5 }),
        allow_all_traffic: Some(true),
        ..WorkspaceGroupUpdate::default()
    };
    c.update_workspace_group(prod, &body).await.unwrap();
    let g = c.workspace_group(prod).await.unwrap();
    assert_eq!((g.update_window, g.allow_all_traffic), (Some(UpdateWindow { day: 2, hour: 5 }), Some(true)));
    h.shutdown().await;
}

#[test]
fn the_settings_view_shows_the_group_and_sends_entity_changes() {
    let mut state = loaded();
    press(&mut state, ":");
    type_text(&mut state, "wg");
    let effects = press(&mut state, "enter");
    serve(&mut state, &Org::default(), effects);
    assert!(select_name(&mut state.panes.groups.table, "analytics"));
    let effects = press(&mut state, "i");
    assert_eq!(state.location.pane, PaneId::GroupSettings);
    let reads = fetches(&effects);
    let (id, _) = *reads.iter().find(|(_, f)| matches!(f, s2tui::effect::Fetch::Identity(_))).unwrap();
    let reply = IdentityReply::Group {
        group: group_id(1),
        identity: Ok(CloudWorkloadIdentity { identity: "arn:aws:iam::651246146166:role/singlestore-wg-1".into() }),
        entities: vec![DelegatedEntity { entity: ROLE.into(), created_at: ago(3600) }],
    };
    reply_to(&mut state, id, reply);
    let screen = render(&mut state, 100, 24);
    for text in ["Saturday 03:00 UTC", "HA across two zones", "singlestore-wg-1", ROLE] {
        assert!(screen.contains(text), "{text} missing:\n{screen}");
    }
    insta::assert_snapshot!("group_settings", screen);

    // Remove: confirmed, then sent as a removal of exactly that entity.
    press(&mut state, "ctrl-d");
    let effects = press(&mut state, "y");
    let sent = mutations(&effects);
    assert_eq!(
        *sent[0].1,
        s2tui::effect::Mutation::Identity(IdentityChange::Remove { group: group_id(1), entities: vec![ROLE.into()] })
    );
}

fn reply_to(state: &mut s2tui::state::State, id: u64, r: IdentityReply) {
    reply(state, id, Ok(s2tui::effect::ApiReply::Identity(r)));
}
