//! Fixtures of the people-and-access tests: members, teams, invitations, identities, roles and
//! grants with fixed IDs and times, answered in memory the way the API answers them.
#![allow(dead_code)]

use std::collections::BTreeMap;

use s2tui::api::ApiVersion;
use s2tui::api::types::*;
use s2tui::effect::{ApiReply, Effect, Fetch};
use s2tui::msg::Msg;
use s2tui::state::{SessionInfo, State};
use s2tui::testing::*;
use s2tui::update::update;
use uuid::Uuid;

#[path = "teams_pc.rs"]
mod teams_pc;
pub use teams_pc::{team_id, teams, user, user_id};

pub fn invitation_id(i: u128) -> Uuid {
    Uuid::from_u128((0xa000_0000 + i) << 96 | 0x0000_4000_8000_0000_0000_0000)
}

fn org_user(u: &UserInfo, kind: UserKind) -> OrgUser {
    OrgUser {
        user_id: u.user_id,
        email: u.email.clone(),
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        user_kind: kind,
        description: None,
        cloud_principal: None,
        created_by: None,
        extra: Extra::new(),
    }
}

/// Dana (5, the key's user), Priya, Marcus, Jonas, Sofia; a service account and a cloud principal.
pub fn members() -> Vec<OrgUser> {
    let mut list: Vec<OrgUser> = [
        user(5, "Dana", "Whitfield"),
        user(1, "Priya", "Shah"),
        user(2, "Marcus", "Bell"),
        user(3, "Jonas", "Berg"),
        user(4, "Sofia", "Reyes"),
    ]
    .iter()
    .map(|u| org_user(u, UserKind::Standard))
    .collect();
    let mut sa = org_user(&user(6, "ci-deployer", ""), UserKind::ServiceAccount);
    sa.email = "0a1b2c3d4e5f@serviceaccounts.singlestore.com".into();
    sa.last_name = String::new();
    sa.description = Some("deploys schema changes".into());
    let mut cp = org_user(&user(7, "aws-ingest", ""), UserKind::CloudPrincipal);
    cp.email = "9f8e7d6c5b4a@cloudprincipals.singlestore.com".into();
    cp.last_name = String::new();
    cp.cloud_principal = Some("arn:aws:iam::483920175561:role/ingest".into());
    list.push(sa);
    list.push(cp);
    list
}

fn grant(identity: Holder, days: i64, from: Option<&str>) -> Grant {
    Grant {
        identity,
        created_at: ago(days * 86_400),
        created_by: Some(user(5, "Dana", "Whitfield")),
        inherited_from: from.map(|role| InheritedFrom {
            resource_id: org_id(),
            resource_type: "Organization".into(),
            role: role.into(),
        }),
    }
}

fn team_holder(i: u128) -> Holder {
    let t = teams().into_iter().find(|t| t.team_id == team_id(i)).unwrap_or_else(|| panic!("team {i}"));
    Holder::Team(TeamInfo { team_id: t.team_id, name: t.name, description: t.description })
}

fn role(name: &str, grants: Vec<Grant>) -> ResourceRole {
    ResourceRole { role: name.into(), description: format!("{name} role"), grants }
}

/// Dana is the only Owner; Platform Admins (which holds Data Engineering) operate; Analytics reads.
pub fn org_access() -> Vec<ResourceRole> {
    vec![
        role("Owner", vec![grant(Holder::User(user(5, "Dana", "Whitfield")), 400, None)]),
        role("Operator", vec![grant(team_holder(3), 300, None)]),
        role("Writer", vec![]),
        role("Reader", vec![grant(team_holder(2), 200, None)]),
    ]
}

/// Group 1: the organization's roles carried over, Data Engineering writes, Sofia suspends.
pub fn group_access() -> Vec<ResourceRole> {
    vec![
        role("Owner", vec![grant(Holder::User(user(5, "Dana", "Whitfield")), 400, Some("Owner"))]),
        role("Operator", vec![grant(team_holder(3), 300, Some("Operator"))]),
        role("Writer", vec![grant(team_holder(1), 120, None)]),
        role("Reader", vec![grant(team_holder(2), 200, Some("Reader"))]),
        role("Restricted Operator", vec![grant(Holder::User(user(4, "Sofia", "Reyes")), 30, None)]),
    ]
}

pub fn invitations() -> Vec<Invitation> {
    let inv =
        |i: u128, email: &str, state: InvitationState, teams: Vec<Uuid>, sent: i64, acted: Option<i64>| Invitation {
            invitation_id: invitation_id(i),
            email: email.into(),
            state,
            team_ids: teams,
            created_at: Some(ago(sent * 86_400)),
            acted_at: acted.map(|d| ago(d * 86_400)),
            message: None,
            extra: Extra::new(),
        };
    vec![
        inv(1, "noah.bennett@acme.io", InvitationState::Pending, vec![team_id(2)], 2, None),
        inv(2, "sofia.reyes@acme.io", InvitationState::Accepted, vec![], 90, Some(89)),
        inv(3, "contractor@outlook.com", InvitationState::Refused, vec![], 45, Some(43)),
        inv(4, "old.intern@acme.io", InvitationState::Revoked, vec![team_id(2)], 70, Some(60)),
    ]
}

fn definition(t: &str, name: &str, custom: bool, permissions: &[&str], inherits: &[(&str, &str)]) -> RoleDefinition {
    RoleDefinition {
        role: name.into(),
        resource_type: t.into(),
        description: format!("{name} of the {t}"),
        is_custom: custom,
        permissions: permissions.iter().map(|p| p.to_string()).collect(),
        inherits: inherits
            .iter()
            .map(|(t, r)| TypedRole { resource_type: t.to_string(), role: r.to_string() })
            .collect(),
        history: RoleHistory::default(),
    }
}

pub const CLUSTER_PERMISSIONS: [&str; 4] =
    ["View Workspace Group", "Create Workspaces", "Suspend and Resume Workspaces", "Access Stage"];

pub fn roles() -> Vec<RoleDefinition> {
    vec![
        definition("Organization", "Owner", false, &["View Organization", "Manage Users"], &[("Cluster", "Owner")]),
        definition("Organization", "Reader", false, &["View Organization"], &[("Cluster", "Reader")]),
        definition("Cluster", "Owner", false, &CLUSTER_PERMISSIONS, &[]),
        definition(
            "Cluster",
            "Restricted Operator",
            false,
            &["View Workspace Group", "Suspend and Resume Workspaces"],
            &[],
        ),
        definition("Cluster", "Stage Uploader", true, &["View Workspace Group", "Access Stage"], &[]),
    ]
}

/// The same roles as `/v2/authorization/roles` shows them: one per name, permissions grouped
/// by type; only the custom one says who made it.
pub fn roles_v2() -> Vec<RoleDefinitionV2> {
    let mut out: Vec<RoleDefinitionV2> = Vec::new();
    for r in roles() {
        let typed = TypedPermissions { resource_type: r.resource_type.clone(), permissions: r.permissions.clone() };
        match out.iter_mut().find(|o| o.role == r.role) {
            Some(o) => o.permissions.push(typed),
            None => out.push(RoleDefinitionV2 {
                role: r.role.clone(),
                description: r.description.clone(),
                permissions: vec![typed],
                history: if r.is_custom {
                    RoleHistory {
                        created_at: Some(ago(40 * 86_400)),
                        created_by: Some(user(5, "Dana", "Whitfield")),
                        ..RoleHistory::default()
                    }
                } else {
                    RoleHistory::default()
                },
            }),
        }
    }
    out
}

pub fn permissions() -> Vec<PermissionDefinition> {
    let mut out: Vec<PermissionDefinition> = CLUSTER_PERMISSIONS
        .iter()
        .map(|p| PermissionDefinition { permission: p.to_string(), resource_type: "Cluster".into(), description: None })
        .collect();
    for p in ["View Organization", "Manage Users"] {
        out.push(PermissionDefinition {
            permission: p.into(),
            resource_type: "Organization".into(),
            description: None,
        });
    }
    out
}

pub fn directory() -> Directory {
    let last_seen: BTreeMap<Uuid, String> =
        [(user_id(5), ago(120)), (user_id(1), ago(3_600)), (user_id(4), ago(86_400 * 3))].into_iter().collect();
    Directory {
        org_id: org_id(),
        me: user_id(5),
        users: members(),
        teams: teams(),
        org_roles: org_access(),
        last_seen: Some(last_seen),
    }
}

/// Answers people-and-access reads in memory; everything else as `Org` does.
#[derive(Debug, Clone, Default)]
pub struct People {
    pub org: Org,
    /// The session speaks API v2.
    pub v2: bool,
}

impl People {
    pub fn reply(&self, fetch: &Fetch) -> Result<ApiReply, s2tui::api::error::ApiError> {
        let r = match fetch {
            Fetch::People(PeopleRequest::Directory) => PeopleReply::Directory(Box::new(directory())),
            Fetch::People(PeopleRequest::Members) => PeopleReply::Members(members()),
            Fetch::People(PeopleRequest::CurrentUser) => PeopleReply::CurrentUser(members()[0].clone()),
            Fetch::People(PeopleRequest::Invitations(f)) => PeopleReply::Invitations {
                list: invitations().into_iter().filter(|i| f.state.as_ref().is_none_or(|s| &i.state == s)).collect(),
                teams: teams(),
            },
            Fetch::People(PeopleRequest::Roles) if self.v2 => {
                PeopleReply::RolesV2 { roles: roles_v2(), permissions: permissions() }
            }
            Fetch::People(PeopleRequest::Roles) => PeopleReply::Roles { roles: roles(), permissions: permissions() },
            Fetch::People(PeopleRequest::Access(resource)) => PeopleReply::Access {
                resource: resource.clone(),
                roles: if resource.kind == ResourceType::Organization { org_access() } else { group_access() },
            },
            Fetch::People(PeopleRequest::UserRoles(user)) => PeopleReply::UserRoles(Box::new(UserRoles {
                user: *user,
                direct: vec![IdentityRole {
                    resource_id: group_id(1),
                    resource_type: "Cluster".into(),
                    role: "Restricted Operator".into(),
                }],
                via_teams: vec![TeamRoles {
                    team_id: team_id(2),
                    roles: vec![IdentityRole {
                        resource_id: org_id(),
                        resource_type: "Organization".into(),
                        role: "Reader".into(),
                    }],
                }],
                org_definitions: roles().into_iter().filter(|r| r.resource_type == "Organization").collect(),
                secrets: Vec::new(),
            })),
            other => return self.org.reply(other),
        };
        Ok(ApiReply::People(r))
    }

    /// Answers every read in `effects` (and the reads they cause); returns the other effects.
    pub fn serve(&self, state: &mut State, effects: Vec<Effect>) -> Vec<Effect> {
        let mut rest = Vec::new();
        let mut queue: std::collections::VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            match effect {
                Effect::Fetch { id, fetch } => queue.extend(update(state, Msg::Api { id, reply: self.reply(&fetch) })),
                other => rest.push(other),
            }
        }
        rest
    }

    /// A loaded dashboard, then `:CMD` typed in the palette and every read answered.
    pub fn open(&self, command: &str) -> State {
        let version = if self.v2 { ApiVersion::V2 } else { ApiVersion::V1 };
        let mut state = loaded_with(SessionInfo { api_version: version, ..session() }, &self.org);
        let mut effects = press(&mut state, ":");
        effects.extend(type_text(&mut state, command));
        effects.extend(press(&mut state, "enter"));
        self.serve(&mut state, effects);
        state
    }

    /// Keys typed, every read they cause answered; the other effects come back.
    pub fn keys(&self, state: &mut State, keys_: &str) -> Vec<Effect> {
        let effects = keys(state, keys_);
        self.serve(state, effects)
    }
}
