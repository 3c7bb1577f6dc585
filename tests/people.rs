//! People and access over real HTTP: users, invitations, service accounts, cloud principals,
//! roles (v1 and v2) and access controls, the client against the simulator, refusals included.
#![allow(clippy::unwrap_used)]

#[path = "common/live.rs"]
mod live;

use std::time::{Duration, Instant};

use live::{client, raw};
use reqwest::Method;
use s2tui::api::types::*;
use s2tui::api::{ApiError, Client};
use s2tui::sim::Seed;
use serde_json::json;
use uuid::Uuid;

async fn sim(seed: Seed) -> s2tui::sim::SimHandle {
    live::sim_at(2000.0, seed).await
}

/// The refusal's status and that its plain text says `text`.
#[track_caller]
fn refused<T: std::fmt::Debug>(r: Result<T, ApiError>, status: u16, text: &str) {
    let e = r.expect_err("refused");
    let (got, message) = match &e {
        ApiError::BadRequest { status, message, .. } | ApiError::NotFound { status, message, .. } => (*status, message),
        other => panic!("unexpected error {other:?}"),
    };
    assert_eq!(got, status, "{e}");
    assert!(message.contains(text), "{message:?} should say {text:?}");
}

async fn user_by_first(c: &Client, first: &str) -> OrgUser {
    c.users(None).await.unwrap().into_iter().find(|u| u.first_name == first).unwrap()
}

async fn team_id(c: &Client, name: &str) -> Uuid {
    c.teams().await.unwrap().into_iter().find(|t| t.name == name).unwrap().team_id
}

async fn group_id(c: &Client, name: &str) -> Uuid {
    c.workspace_groups(false).await.unwrap().into_iter().find(|g| g.name == name).unwrap().workspace_group_id
}

/// How many audit entries of this type the API key's changes left.
async fn audited(c: &Client, kind: &str) -> usize {
    let q = AuditLogQuery { kind: Some(kind.into()), limit: Some(1000), ..Default::default() };
    c.audit_logs(&q).await.unwrap().audit_logs.len()
}

fn holders<'a>(roles: &'a [ResourceRole], role: &str) -> Vec<&'a Grant> {
    roles.iter().find(|r| r.role == role).map(|r| r.grants.iter().collect()).unwrap_or_default()
}

#[tokio::test]
async fn users_list_filter_current_one_and_kinds() {
    let h = sim(Seed::Demo).await;
    let c = client(&h);
    let users = c.users(None).await.unwrap();
    assert!(users.iter().any(|u| u.user_kind == UserKind::ServiceAccount && u.first_name == "ci-deployer"));
    assert!(users.iter().any(|u| u.user_kind == UserKind::CloudPrincipal
        && u.cloud_principal.as_deref() == Some("arn:aws:iam::483920175561:role/ingest")));
    let me = c.current_user().await.unwrap();
    assert_eq!((me.first_name.as_str(), me.user_kind.clone()), ("Dana", UserKind::Standard));
    assert_eq!(c.user(me.user_id).await.unwrap(), me);
    // The email filter takes a value or a regular expression.
    let only = c.users(Some(&me.email)).await.unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(c.users(Some("^(priya|marcus)\\.")).await.unwrap().len(), 2);
    // The fields projection.
    let (status, body) = raw(&h, Method::GET, "/v1/users/current?fields=email", None).await;
    assert_eq!((status, body), (200, json!({ "email": me.email }).to_string()));
    refused(c.user(Uuid::new_v4()).await, 404, "not found");
    let (status, body) = raw(&h, Method::GET, "/v1/users/not-a-uuid", None).await;
    assert_eq!(status, 400);
    assert!(body.contains("UUID"), "{body}");
    h.shutdown().await;
}

#[tokio::test]
async fn adding_a_user_answers_with_no_body_and_removing_refuses_yourself_and_the_last_owner() {
    let h = sim(Seed::Demo).await;
    let c = client(&h);
    // POST /v1/users has no JSON reply.
    let (status, body) =
        raw(&h, Method::POST, "/v1/users", Some(json!({ "email": "emma.novak@acme-analytics.io" }))).await;
    assert_eq!((status, body.as_str()), (200, ""));
    let emma = user_by_first(&c, "Emma").await;
    assert_eq!(emma.user_kind, UserKind::Standard);
    c.add_user("raj.patel@acme-analytics.io").await.unwrap();
    refused(c.add_user("raj.patel@acme-analytics.io").await, 400, "already a member");
    refused(c.add_user("nobody@nowhere.example").await, 404, "no SingleStore user");
    refused(c.add_user("not an email").await, 400, "invalid email");

    let me = c.current_user().await.unwrap();
    refused(c.remove_user(me.user_id).await, 400, "yourself");
    assert_eq!(c.remove_user(emma.user_id).await.unwrap(), emma.user_id);
    refused(c.user(emma.user_id).await, 404, "not found");
    refused(c.remove_user(emma.user_id).await, 404, "not found");

    // Liam is the other Owner: with Dana's Owner revoked, Liam is the last one.
    let liam = user_by_first(&c, "Liam").await;
    let org = c.organization().await.unwrap().org_id;
    let org_ref = ResourceRef::new(ResourceType::Organization, org);
    let revoke = AccessChange {
        grants: vec![],
        revokes: vec![RoleHolders { role: "Owner".into(), users: vec![me.user_id], teams: vec![] }],
    };
    c.change_access(&org_ref, &revoke).await.unwrap();
    refused(c.remove_user(liam.user_id).await, 400, "last Owner");
    // A removed member leaves their teams and their grants.
    let sofia = user_by_first(&c, "Sofia").await;
    c.remove_user(sofia.user_id).await.unwrap();
    let analytics = c.team(team_id(&c, "Analytics").await).await.unwrap();
    assert!(!analytics.member_users.unwrap().iter().any(|u| u.user_id == sofia.user_id));
    assert_eq!(audited(&c, "User.Add").await, 2);
    assert_eq!(audited(&c, "User.Remove").await, 2);
    h.shutdown().await;
}

#[tokio::test]
async fn identity_roles_of_users_and_teams() {
    let h = sim(Seed::Demo).await;
    let c = client(&h);
    let me = c.current_user().await.unwrap();
    let mine = c.user_roles(me.user_id, None).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].resource_type.as_str(), mine[0].role.as_str()), ("Organization", "Owner"));
    let de = team_id(&c, "Data Engineering").await;
    let roles = c.team_roles(de, None).await.unwrap();
    assert_eq!(roles.len(), 2);
    let on_groups = c.team_roles(de, Some("Cluster")).await.unwrap();
    assert_eq!(on_groups.len(), 1);
    assert_eq!(on_groups[0].role, "Writer");
    assert_eq!(on_groups[0].resource_id, group_id(&c, "Production").await);
    refused(c.team_roles(de, Some("Galaxy")).await, 400, "invalid resourceType");
    refused(c.user_roles(Uuid::new_v4(), None).await, 404, "not found");
    refused(c.team_roles(Uuid::new_v4(), None).await, 404, "not found");
    h.shutdown().await;
}

#[tokio::test]
async fn invitations_list_filter_create_get_revoke_and_accept() {
    let h = sim(Seed::Demo).await;
    let c = client(&h);
    let all = c.invitations(&InvitationFilter::default()).await.unwrap();
    let states: Vec<&str> = all.iter().map(|i| i.state.as_str()).collect();
    assert_eq!(states, ["Pending", "Accepted", "Refused", "Revoked"]);
    let pending =
        c.invitations(&InvitationFilter { state: Some(InvitationState::Pending), email: None }).await.unwrap();
    assert_eq!(pending.len(), 1);
    let by_email =
        c.invitations(&InvitationFilter { email: Some("outlook\\.com$".into()), state: None }).await.unwrap();
    assert_eq!(by_email.len(), 1);
    let (status, body) = raw(&h, Method::GET, "/v1/invitations?state=Expired", None).await;
    assert_eq!(status, 400, "{body}");

    // An address without an account stays pending until revoked.
    let analytics = team_id(&c, "Analytics").await;
    let body = InvitationCreate { email: "new.hire@example.com".into(), team_ids: vec![analytics] };
    let inv = c.invite(&body).await.unwrap();
    assert_eq!((inv.state.clone(), inv.team_ids.clone()), (InvitationState::Pending, vec![analytics]));
    assert_eq!(c.invitation(inv.invitation_id).await.unwrap(), inv);
    refused(c.invite(&body).await, 400, "already pending");
    let me = c.current_user().await.unwrap();
    refused(c.invite(&InvitationCreate { email: me.email, team_ids: vec![] }).await, 400, "already a member");
    let bad_team = InvitationCreate { email: "x@example.com".into(), team_ids: vec![Uuid::new_v4()] };
    refused(c.invite(&bad_team).await, 400, "team");
    refused(c.invite(&InvitationCreate { email: "nope".into(), team_ids: vec![] }).await, 400, "invalid email");
    assert_eq!(c.revoke_invitation(inv.invitation_id).await.unwrap(), inv.invitation_id);
    let revoked = c.invitation(inv.invitation_id).await.unwrap();
    assert_eq!(revoked.state, InvitationState::Revoked);
    assert!(revoked.acted_at.is_some());
    refused(c.revoke_invitation(inv.invitation_id).await, 400, "only a pending invitation");
    refused(c.revoke_invitation(Uuid::new_v4()).await, 404, "not found");

    // Someone with a SingleStore account accepts after a while and joins the teams.
    let raj = c
        .invite(&InvitationCreate { email: "raj.patel@acme-analytics.io".into(), team_ids: vec![analytics] })
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if c.invitation(raj.invitation_id).await.unwrap().state == InvitationState::Accepted {
            break;
        }
        assert!(Instant::now() < deadline, "the invitation was never accepted");
        tokio::task::yield_now().await;
    }
    let member = user_by_first(&c, "Raj").await;
    let team = c.team(analytics).await.unwrap();
    assert!(team.member_users.unwrap().iter().any(|u| u.user_id == member.user_id));
    h.shutdown().await;
}

#[tokio::test]
async fn service_accounts_and_cloud_principals() {
    let h = sim(Seed::Demo).await;
    let c = client(&h);
    let sa = c
        .create_service_account(&ServiceAccountCreate { name: "dbt-runner".into(), description: Some("dbt".into()) })
        .await
        .unwrap();
    assert!(sa.email.ends_with("@serviceaccounts.singlestore.com"), "{}", sa.email);
    let listed = c.user(sa.service_account_id).await.unwrap();
    assert_eq!((listed.user_kind, listed.first_name.as_str()), (UserKind::ServiceAccount, "dbt-runner"));
    refused(
        c.create_service_account(&ServiceAccountCreate { name: "dbt-runner".into(), description: None }).await,
        400,
        "already exists",
    );
    refused(
        c.create_service_account(&ServiceAccountCreate { name: " ".into(), description: None }).await,
        400,
        "empty",
    );
    let renamed = c
        .update_service_account(sa.service_account_id, &IdentityUpdate { name: Some("dbt".into()), description: None })
        .await
        .unwrap();
    assert_eq!((renamed.name.as_str(), renamed.description.as_str()), ("dbt", "dbt"));
    // A service account can join a team like anyone else.
    let de = team_id(&c, "Data Engineering").await;
    let add = TeamUpdate { add_member_user_ids: vec![sa.service_account_id], ..Default::default() };
    c.update_team(de, &add).await.unwrap();
    assert_eq!(c.delete_service_account(sa.service_account_id).await.unwrap(), sa.service_account_id);
    refused(c.delete_service_account(sa.service_account_id).await, 404, "not found");
    assert!(!c.team(de).await.unwrap().member_users.unwrap().iter().any(|u| u.user_id == sa.service_account_id));

    let cp = c
        .create_cloud_principal(&CloudPrincipalCreate {
            name: "gcp-loader".into(),
            cloud_principal: "loader@acme.iam.gserviceaccount.com".into(),
            description: None,
        })
        .await
        .unwrap();
    assert_eq!(c.user(cp.cloud_principal_id).await.unwrap().user_kind, UserKind::CloudPrincipal);
    let again = CloudPrincipalCreate {
        name: "other".into(),
        cloud_principal: "loader@acme.iam.gserviceaccount.com".into(),
        description: None,
    };
    refused(c.create_cloud_principal(&again).await, 400, "already bound");
    let cp2 = c
        .update_cloud_principal(cp.cloud_principal_id, &IdentityUpdate { name: None, description: Some("d".into()) })
        .await
        .unwrap();
    assert_eq!(cp2.description, "d");
    // A service account's ID is not a cloud principal's.
    let ci = user_by_first(&c, "ci-deployer").await;
    refused(c.delete_cloud_principal(ci.user_id).await, 404, "not found");
    assert_eq!(c.delete_cloud_principal(cp.cloud_principal_id).await.unwrap(), cp.cloud_principal_id);
    h.shutdown().await;
}

#[tokio::test]
async fn roles_v1_built_in_and_custom() {
    let h = sim(Seed::Demo).await;
    let c = client(&h);
    let cluster = c.roles(&ResourceType::Cluster).await.unwrap();
    let names: Vec<&str> = cluster.iter().map(|r| r.role.as_str()).collect();
    assert_eq!(names, ["Owner", "Operator", "Writer", "Reader", "Restricted Operator", "Stage Uploader"]);
    assert!(cluster.iter().all(|r| r.is_custom == (r.role == "Stage Uploader")));
    // A name with a space travels as one path segment.
    let ro = c.role(&ResourceType::Cluster, "Restricted Operator").await.unwrap();
    assert!(ro.permissions.contains(&"Suspend and Resume Workspaces".to_string()));
    let owner = c.role(&ResourceType::Organization, "Owner").await.unwrap();
    assert!(owner.inherits.contains(&TypedRole { resource_type: "Cluster".into(), role: "Owner".into() }));
    refused(c.roles(&ResourceType::Unknown("Galaxy".into())).await, 400, "invalid resource type");
    refused(c.role(&ResourceType::Cluster, "Nope").await, 404, "not found");

    let body = RoleCreate {
        role: "Suspender/Resumer".into(),
        description: Some("night shift".into()),
        permissions: vec!["View Workspace Group".into(), "Suspend and Resume Workspaces".into()],
        inherits: vec![],
    };
    let made = c.create_role(&ResourceType::Cluster, &body).await.unwrap();
    assert!(made.is_custom);
    assert_eq!(made.history.created_by.as_ref().map(|u| u.first_name.as_str()), Some("Dana"));
    assert_eq!(c.role(&ResourceType::Cluster, "Suspender/Resumer").await.unwrap(), made);
    refused(c.create_role(&ResourceType::Cluster, &body).await, 400, "already exists");
    let bad = RoleCreate { role: "X".into(), permissions: vec!["Fly".into()], ..Default::default() };
    refused(c.create_role(&ResourceType::Cluster, &bad).await, 400, "unknown permission");
    let bad = RoleCreate {
        role: "Y".into(),
        inherits: vec![TypedRole { resource_type: "Cluster".into(), role: "Ghost".into() }],
        ..Default::default()
    };
    refused(c.create_role(&ResourceType::Cluster, &bad).await, 400, "does not exist");
    let update = RoleUpdate { description: None, permissions: vec!["View Workspace Group".into()], inherits: vec![] };
    let replaced = c.replace_role(&ResourceType::Cluster, "Suspender/Resumer", &update).await.unwrap();
    assert_eq!(replaced.permissions, ["View Workspace Group"]);
    assert_eq!(replaced.description, "night shift");
    refused(c.replace_role(&ResourceType::Cluster, "Owner", &update).await, 400, "built-in");
    refused(c.replace_role(&ResourceType::Cluster, "Ghost", &update).await, 404, "not found");
    refused(c.delete_role(&ResourceType::Cluster, "Reader").await, 400, "built-in");
    // A role in use cannot go.
    refused(c.delete_role(&ResourceType::Cluster, "Stage Uploader").await, 400, "revoke those grants first");
    // The reply is a bare boolean.
    let (status, body) = raw(&h, Method::DELETE, "/v1/roles/Cluster/Suspender%2FResumer", None).await;
    assert_eq!((status, body.as_str()), (200, "true"));
    refused(c.delete_role(&ResourceType::Cluster, "Suspender/Resumer").await, 404, "not found");
    h.shutdown().await;
}

#[tokio::test]
async fn authorization_v2_permissions_and_roles() {
    let h = sim(Seed::Demo).await;
    let c = client(&h);
    let all = c.permissions(None).await.unwrap();
    assert!(all.iter().any(|p| p.permission == "View Audit Log" && p.resource_type == "Organization"));
    let secret = c.permissions(Some(&ResourceType::Secret)).await.unwrap();
    assert!(secret.iter().all(|p| p.resource_type == "Secret") && !secret.is_empty());
    refused(c.permissions(Some(&ResourceType::Unknown("x".into()))).await, 400, "invalid resource type");

    let roles = c.roles_v2().await.unwrap();
    let owner = roles.iter().find(|r| r.role == "Owner").unwrap();
    assert_eq!(owner.permissions.len(), 4, "Owner exists on every resource type");
    assert!(roles.iter().any(|r| r.role == "Stage Uploader"));
    let body = RoleCreateV2 {
        role: "Auditor".into(),
        description: None,
        permissions: vec![
            TypedPermissions { resource_type: "Organization".into(), permissions: vec!["View Audit Log".into()] },
            TypedPermissions { resource_type: "Secret".into(), permissions: vec!["View Secret".into()] },
        ],
    };
    let made = c.create_role_v2(&body).await.unwrap();
    assert_eq!(made.permissions.len(), 2);
    assert_eq!(c.role_v2("Auditor").await.unwrap(), made);
    // The same role at v1, under each of its resource types.
    assert!(c.role(&ResourceType::Secret, "Auditor").await.unwrap().is_custom);
    refused(c.create_role_v2(&body).await, 400, "already exists");
    let mismatch =
        RoleReplaceV2 { role: Some("Other".into()), description: None, permissions: body.permissions.clone() };
    refused(c.replace_role_v2("Auditor", &mismatch).await, 400, "the one in the path");
    let narrower = RoleReplaceV2 {
        role: Some("Auditor".into()),
        description: Some("reads the log".into()),
        permissions: vec![TypedPermissions {
            resource_type: "Organization".into(),
            permissions: vec!["View Audit Log".into()],
        }],
    };
    let replaced = c.replace_role_v2("Auditor", &narrower).await.unwrap();
    assert_eq!((replaced.permissions.len(), replaced.description.as_str()), (1, "reads the log"));
    refused(c.role(&ResourceType::Secret, "Auditor").await, 404, "not found");
    let unnamed = RoleReplaceV2 { role: None, ..narrower.clone() };
    refused(c.replace_role_v2("Owner", &unnamed).await, 400, "built-in");
    refused(c.delete_role_v2("Owner").await, 400, "built-in");
    refused(c.delete_role_v2("Stage Uploader").await, 400, "revoke those grants first");
    let (status, body) = raw(&h, Method::DELETE, "/v2/authorization/roles/Auditor", None).await;
    assert_eq!((status, body.as_str()), (200, "true"));
    refused(c.role_v2("Auditor").await, 404, "not found");
    h.shutdown().await;
}

#[tokio::test]
async fn access_controls_grant_read_back_inherit_and_revoke() {
    let h = sim(Seed::Demo).await;
    let c = client(&h);
    let production = group_id(&c, "Production").await;
    let group = ResourceRef::new(ResourceType::Cluster, production);
    let roles = c.access_controls(&group).await.unwrap();
    // Direct grants, and grants inherited from organization roles (computed, marked).
    let writers = holders(&roles, "Writer");
    assert!(writers.iter().any(|g| matches!(&g.identity, Holder::Team(t) if t.name == "Data Engineering")));
    let owners = holders(&roles, "Owner");
    assert!(!owners.is_empty());
    for g in &owners {
        let from = g.inherited_from.as_ref().expect("inherited");
        assert_eq!((from.resource_type.as_str(), from.role.as_str()), ("Organization", "Owner"));
    }
    let operators = holders(&roles, "Operator");
    assert!(
        operators.iter().any(
            |g| g.inherited_from.is_some() && matches!(&g.identity, Holder::Team(t) if t.name == "Platform Admins")
        )
    );

    // Grant Reader to Analytics, read it back, revoke it.
    let analytics = team_id(&c, "Analytics").await;
    let grant = AccessChange {
        grants: vec![RoleHolders { role: "Restricted Operator".into(), users: vec![], teams: vec![analytics] }],
        revokes: vec![],
    };
    let (status, body) = raw(
        &h,
        Method::PATCH,
        &format!("/v1/workspaceGroups/{production}/accessControls"),
        Some(serde_json::to_value(&grant).unwrap()),
    )
    .await;
    assert_eq!((status, body.as_str()), (200, ""), "no JSON reply");
    let back = c.access_controls(&group).await.unwrap();
    let ro = holders(&back, "Restricted Operator");
    let g = ro.iter().find(|g| g.identity.id() == analytics).unwrap();
    assert!(g.inherited_from.is_none());
    assert_eq!(g.created_by.as_ref().unwrap().first_name, "Dana");
    let team_roles = c.team_roles(analytics, Some("Cluster")).await.unwrap();
    assert_eq!(
        team_roles,
        [IdentityRole { resource_id: production, resource_type: "Cluster".into(), role: "Restricted Operator".into() }]
    );
    let revoke = AccessChange { grants: vec![], revokes: grant.grants.clone() };
    c.change_access(&group, &revoke).await.unwrap();
    assert!(
        holders(&c.access_controls(&group).await.unwrap(), "Restricted Operator")
            .iter()
            .all(|g| g.identity.id() != analytics)
    );

    // Refusals: unknown role, unknown user or team, missing list, unknown resource, last Owner.
    let bad = AccessChange {
        grants: vec![RoleHolders { role: "Emperor".into(), users: vec![], teams: vec![analytics] }],
        revokes: vec![],
    };
    refused(c.change_access(&group, &bad).await, 400, "does not exist");
    let bad = AccessChange {
        grants: vec![RoleHolders { role: "Reader".into(), users: vec![Uuid::new_v4()], teams: vec![] }],
        revokes: vec![],
    };
    refused(c.change_access(&group, &bad).await, 400, "not a member");
    let bad = AccessChange {
        grants: vec![RoleHolders { role: "Reader".into(), users: vec![], teams: vec![Uuid::new_v4()] }],
        revokes: vec![],
    };
    refused(c.change_access(&group, &bad).await, 400, "team");
    let (status, text) = raw(
        &h,
        Method::PATCH,
        &format!("/v1/workspaceGroups/{production}/accessControls"),
        Some(json!({ "grants": [] })),
    )
    .await;
    assert_eq!(status, 400);
    assert!(text.contains("revokes"), "{text}");
    refused(c.access_controls(&ResourceRef::new(ResourceType::Cluster, Uuid::new_v4())).await, 404, "not found");

    let org = ResourceRef::new(ResourceType::Organization, c.organization().await.unwrap().org_id);
    let owners: Vec<Uuid> =
        holders(&c.access_controls(&org).await.unwrap(), "Owner").iter().map(|g| g.identity.id()).collect();
    assert_eq!(owners.len(), 2);
    let all_owners = AccessChange {
        grants: vec![],
        revokes: vec![RoleHolders { role: "Owner".into(), users: owners.clone(), teams: vec![] }],
    };
    refused(c.change_access(&org, &all_owners).await, 400, "at least one Owner");
    assert_eq!(holders(&c.access_controls(&org).await.unwrap(), "Owner").len(), 2, "nothing changed");

    // Secrets and teams have access controls too.
    let secret = c.secrets(None).await.unwrap().into_iter().find(|s| s.name == "SNOWFLAKE_PASSWORD").unwrap();
    let on_secret = c.access_controls(&ResourceRef::new(ResourceType::Secret, secret.secret_id)).await.unwrap();
    assert!(!holders(&on_secret, "Writer").is_empty());
    let on_team = c.access_controls(&ResourceRef::new(ResourceType::Team, analytics)).await.unwrap();
    assert!(holders(&on_team, "Owner").iter().any(|g| g.inherited_from.is_none()));

    assert_eq!(audited(&c, "AccessControl.Update").await, 2);
    h.shutdown().await;
}

#[tokio::test]
async fn an_empty_organization_has_its_owner_and_the_built_in_roles() {
    let h = sim(Seed::Empty).await;
    let c = client(&h);
    let users = c.users(None).await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(c.user_roles(users[0].user_id, Some("Organization")).await.unwrap().len(), 1);
    assert_eq!(c.roles(&ResourceType::Team).await.unwrap().len(), 3);
    assert!(c.invitations(&InvitationFilter::default()).await.unwrap().is_empty());
    h.shutdown().await;
}

/// `s2tui get …` as a real process: its stdout, after checking it succeeded.
async fn get(h: &s2tui::sim::SimHandle, args: &[&str]) -> String {
    let out = live::s2tui_async(h, args, &[]).await;
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn get_lists_people_roles_and_access_read_only() {
    let h = sim(Seed::Demo).await;
    let users = get(&h, &["get", "users"]).await;
    assert!(users.lines().next().unwrap().starts_with("NAME"));
    assert!(users.contains("Dana Whitfield") && users.contains("ServiceAccount"), "{users}");
    let invitations = get(&h, &["get", "invitations", "--state", "pending"]).await;
    assert_eq!(invitations.lines().count(), 2, "{invitations}");
    assert!(invitations.contains("noah.bennett@") && invitations.contains("Analytics"));
    let identities = get(&h, &["get", "identities", "-o", "json"]).await;
    let v: serde_json::Value = serde_json::from_str(&identities).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    let roles = get(&h, &["get", "roles", "--type", "secret"]).await;
    assert_eq!(roles.lines().count(), 4, "{roles}");
    // At v2 the roles come from one list across types, their permissions grouped by type.
    let v2 = get(&h, &["get", "--api", "v2", "roles"]).await;
    assert!(v2.lines().next().unwrap().starts_with("ROLE") && !v2.contains("INHERITS"), "{v2}");
    let v2_json = get(&h, &["get", "--api", "v2", "roles", "-o", "json"]).await;
    let listed: serde_json::Value = serde_json::from_str(&v2_json).unwrap();
    let c = client(&h);
    assert_eq!(listed.as_array().unwrap().len(), c.roles_v2().await.unwrap().len());
    let secret_only = get(&h, &["get", "--api", "v2", "roles", "--type", "secret"]).await;
    assert!(secret_only.lines().skip(1).all(|l| l.contains("Secret:")), "{secret_only}");
    assert!(secret_only.lines().count() > 1, "{secret_only}");
    assert!(h.requests().iter().any(|r| r.path_and_query == "/v2/authorization/roles"));
    // At v2 a cluster is named by its own name; its access is its group's.
    let cluster =
        c.clusters(ClusterQuery::default()).await.unwrap().into_iter().find(|x| x.group_id.is_some()).unwrap();
    let by_cluster = get(&h, &["get", "--api", "v2", "access", "cluster", &cluster.name, "-o", "json"]).await;
    let group = cluster.group_id.unwrap();
    let direct = c.access_controls(&ResourceRef::new(ResourceType::Cluster, group)).await.unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&by_cluster).unwrap(), serde_json::to_value(&direct).unwrap());
    let access = get(&h, &["get", "access", "group", "Production"]).await;
    assert!(access.lines().any(|l| l.starts_with("Owner") && l.contains("Owner on the organization")), "{access}");
    assert!(access.lines().any(|l| l.starts_with("Writer") && l.contains("team Data Engineering")), "{access}");
    let org = get(&h, &["get", "access", "org", "-o", "json"]).await;
    let v: serde_json::Value = serde_json::from_str(&org).unwrap();
    assert_eq!(v[0]["role"], "Owner");
    // Unknown names say which there are; a missing name is a usage error.
    let out = live::s2tui_async(&h, &["get", "access", "team", "Nobody"], &[]).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Analytics"));
    let out = live::s2tui_async(&h, &["get", "access", "secret"], &[]).await;
    assert!(String::from_utf8_lossy(&out.stderr).contains("name the secret"));
    // Nothing was changed: only reads reached the simulator.
    assert!(h.requests().iter().all(|r| r.method == "GET"), "{:?}", h.requests());
    h.shutdown().await;
}

#[tokio::test]
async fn the_secrets_pane_names_people_from_the_members_list() {
    let h = sim(Seed::Demo).await;
    let c = client(&h);
    let Ok(SecretsReply::Users(names)) = SecretsRequest::Users.send(&c).await else { panic!("no names") };
    let members = c.users(None).await.unwrap();
    assert_eq!(names.len(), members.len(), "every member, service accounts included");
    let ci = members.iter().find(|u| u.first_name == "ci-deployer").unwrap();
    assert!(names.iter().any(|(id, email)| *id == ci.user_id && *email == ci.email));
    assert!(h.requests().iter().all(|r| !r.path_and_query.contains("auditLogs")), "no audit scan");
    h.shutdown().await;
}
