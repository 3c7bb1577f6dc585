//! People and access: members of the organization, invitations, service accounts and cloud
//! principals, role definitions, and who holds which role on what.

pub mod access;
pub mod identities;
pub mod invitations;
pub mod roles;
pub mod users;

pub use access::*;
pub use identities::*;
pub use invitations::*;
pub use roles::*;
pub use users::*;

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::api::ApiVersion;
use crate::api::audit::AuditLogQuery;
use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::teams::Team;
use crate::api::wire::parse_time;

/// The reads of this family that the dashboard makes, each sent on its own task by `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum PeopleRequest {
    /// Members, teams, the organization's roles and when each member was last active.
    Directory,
    /// Members only (people, service accounts, cloud principals).
    Members,
    CurrentUser,
    /// Roles a user holds, directly and through each team that holds them.
    UserRoles(Uuid),
    Invitations(InvitationFilter),
    /// Role definitions and the permissions each resource type offers: per resource type at
    /// v1, across types from `/v2/authorization/roles` at v2.
    Roles,
    Access(ResourceRef),
}

/// The changes of this family; the dashboard confirms each with the user before `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum PeopleChange {
    AddUser { email: String },
    RemoveUser { id: Uuid },
    Invite(InvitationCreate),
    Revoke { id: Uuid },
    CreateServiceAccount(ServiceAccountCreate),
    UpdateServiceAccount { id: Uuid, body: IdentityUpdate },
    DeleteServiceAccount { id: Uuid },
    CreateCloudPrincipal(CloudPrincipalCreate),
    UpdateCloudPrincipal { id: Uuid, body: IdentityUpdate },
    DeleteCloudPrincipal { id: Uuid },
    CreateRole { resource_type: ResourceType, body: RoleCreate },
    ReplaceRole { resource_type: ResourceType, role: String, body: RoleUpdate },
    DeleteRole { resource_type: ResourceType, role: String },
    CreateRoleV2(RoleCreateV2),
    ReplaceRoleV2 { role: String, body: RoleReplaceV2 },
    DeleteRoleV2 { role: String },
    ChangeAccess { resource: ResourceRef, change: AccessChange },
}

/// Who is in the organization, in which teams, with which organization roles.
#[derive(Debug, Clone, PartialEq)]
pub struct Directory {
    pub org_id: Uuid,
    /// Whoever the API key belongs to.
    pub me: Uuid,
    pub users: Vec<OrgUser>,
    pub teams: Vec<Team>,
    pub org_roles: Vec<ResourceRole>,
    /// The newest audit entry of each member; `None` when the audit log could not be read.
    pub last_seen: Option<BTreeMap<Uuid, String>>,
}

/// Everything one user holds: directly, through teams, and what the organization's roles
/// they hold carry onto other resources.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRoles {
    pub user: Uuid,
    pub direct: Vec<IdentityRole>,
    pub via_teams: Vec<TeamRoles>,
    /// The organization's role definitions (what each one inherits).
    pub org_definitions: Vec<RoleDefinition>,
    /// Names of the secrets roles may be held on.
    pub secrets: Vec<(Uuid, String)>,
}

/// Audit entries looked at for "last seen".
const LAST_SEEN_ENTRIES: u32 = 1000;

/// Roles held through one team.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamRoles {
    pub team_id: Uuid,
    pub roles: Vec<IdentityRole>,
}

#[derive(Debug)]
pub enum PeopleReply {
    Directory(Box<Directory>),
    Members(Vec<OrgUser>),
    CurrentUser(OrgUser),
    UserRoles(Box<UserRoles>),
    /// Invitations, and the teams they name.
    Invitations {
        list: Vec<Invitation>,
        teams: Vec<Team>,
    },
    Roles {
        roles: Vec<RoleDefinition>,
        permissions: Vec<PermissionDefinition>,
    },
    RolesV2 {
        roles: Vec<RoleDefinitionV2>,
        permissions: Vec<PermissionDefinition>,
    },
    Access {
        resource: ResourceRef,
        roles: Vec<ResourceRole>,
    },
    /// A change the service answered without an ID (adding a user, changing access).
    Done,
    /// A change the service answered with the ID of what it touched.
    Changed(Uuid),
    Invited(Invitation),
    /// A role created, replaced or deleted.
    Role(String),
}

impl PeopleRequest {
    pub async fn send(self, client: &Client) -> Result<PeopleReply, ApiError> {
        Ok(match self {
            PeopleRequest::Directory => {
                let audit = AuditLogQuery { limit: Some(LAST_SEEN_ENTRIES), ..Default::default() };
                let (org, me, users, teams, audit) = tokio::join!(
                    client.organization(),
                    client.current_user(),
                    client.users(None),
                    client.teams(),
                    client.audit_logs(&audit)
                );
                let (org_id, me) = (org?.org_id, me?.user_id);
                let org_roles = client.access_controls(&ResourceRef::new(ResourceType::Organization, org_id)).await?;
                // A failed audit read leaves "last seen" unknown rather than failing the list.
                let last_seen = audit.ok().map(|page| {
                    let mut newest: BTreeMap<Uuid, String> = BTreeMap::new();
                    for e in page.audit_logs {
                        let (Some(user), Some(at)) = (e.user_id.and_then(|u| Uuid::parse_str(&u).ok()), e.created_at)
                        else {
                            continue;
                        };
                        let newer = newest.get(&user).is_none_or(|seen| parse_time(seen) < parse_time(&at));
                        if newer {
                            newest.insert(user, at);
                        }
                    }
                    newest
                });
                PeopleReply::Directory(Box::new(Directory {
                    org_id,
                    me,
                    users: users?,
                    teams: teams?,
                    org_roles,
                    last_seen,
                }))
            }
            PeopleRequest::Members => PeopleReply::Members(client.users(None).await?),
            PeopleRequest::CurrentUser => PeopleReply::CurrentUser(client.current_user().await?),
            PeopleRequest::UserRoles(user) => {
                let direct = client.user_roles(user, None).await?;
                // The teams that hold the user, directly or through a team inside a team.
                let teams = client.teams().await?;
                let mut holding: Vec<Uuid> = Vec::new();
                let mut frontier = vec![user];
                while let Some(member) = frontier.pop() {
                    for t in &teams {
                        let holds_user = t.member_users.iter().flatten().any(|u| u.user_id == member);
                        let holds_team = t.member_teams.iter().flatten().any(|m| m.team_id == member);
                        if (holds_user || holds_team) && !holding.contains(&t.team_id) {
                            holding.push(t.team_id);
                            frontier.push(t.team_id);
                        }
                    }
                }
                let mut via_teams = Vec::with_capacity(holding.len());
                for team_id in holding {
                    via_teams.push(TeamRoles { team_id, roles: client.team_roles(team_id, None).await? });
                }
                let (definitions, secrets) =
                    tokio::join!(client.roles(&ResourceType::Organization), client.secrets(None));
                let secrets = secrets?.into_iter().map(|s| (s.secret_id, s.name)).collect();
                let org_definitions = definitions?;
                PeopleReply::UserRoles(Box::new(UserRoles { user, direct, via_teams, org_definitions, secrets }))
            }
            PeopleRequest::Invitations(filter) => {
                let (list, teams) = tokio::join!(client.invitations(&filter), client.teams());
                PeopleReply::Invitations { list: list?, teams: teams? }
            }
            PeopleRequest::Roles if client.version() == ApiVersion::V2 => {
                let (roles, permissions) = tokio::join!(client.roles_v2(), client.permissions(None));
                PeopleReply::RolesV2 { roles: roles?, permissions: permissions? }
            }
            PeopleRequest::Roles => {
                let mut roles = Vec::new();
                for t in ResourceType::KNOWN {
                    roles.extend(client.roles(t).await?);
                }
                PeopleReply::Roles { roles, permissions: client.permissions(None).await? }
            }
            PeopleRequest::Access(resource) => {
                let roles = client.access_controls(&resource).await?;
                PeopleReply::Access { resource, roles }
            }
        })
    }
}

impl PeopleChange {
    pub async fn send(self, client: &Client) -> Result<PeopleReply, ApiError> {
        use PeopleChange::*;
        Ok(match self {
            AddUser { email } => {
                client.add_user(&email).await?;
                PeopleReply::Done
            }
            RemoveUser { id } => PeopleReply::Changed(client.remove_user(id).await?),
            Invite(body) => PeopleReply::Invited(client.invite(&body).await?),
            Revoke { id } => PeopleReply::Changed(client.revoke_invitation(id).await?),
            CreateServiceAccount(body) => {
                PeopleReply::Changed(client.create_service_account(&body).await?.service_account_id)
            }
            UpdateServiceAccount { id, body } => {
                PeopleReply::Changed(client.update_service_account(id, &body).await?.service_account_id)
            }
            DeleteServiceAccount { id } => PeopleReply::Changed(client.delete_service_account(id).await?),
            CreateCloudPrincipal(body) => {
                PeopleReply::Changed(client.create_cloud_principal(&body).await?.cloud_principal_id)
            }
            UpdateCloudPrincipal { id, body } => {
                PeopleReply::Changed(client.update_cloud_principal(id, &body).await?.cloud_principal_id)
            }
            DeleteCloudPrincipal { id } => PeopleReply::Changed(client.delete_cloud_principal(id).await?),
            CreateRole { resource_type, body } => {
                PeopleReply::Role(client.create_role(&resource_type, &body).await?.role)
            }
            ReplaceRole { resource_type, role, body } => {
                PeopleReply::Role(client.replace_role(&resource_type, &role, &body).await?.role)
            }
            DeleteRole { resource_type, role } => role_deleted(client.delete_role(&resource_type, &role).await?, role)?,
            CreateRoleV2(body) => PeopleReply::Role(client.create_role_v2(&body).await?.role),
            ReplaceRoleV2 { role, body } => PeopleReply::Role(client.replace_role_v2(&role, &body).await?.role),
            DeleteRoleV2 { role } => role_deleted(client.delete_role_v2(&role).await?, role)?,
            ChangeAccess { resource, change } => {
                client.change_access(&resource, &change).await?;
                PeopleReply::Done
            }
        })
    }
}

/// A role delete the service answered `false` to did not happen.
fn role_deleted(deleted: bool, role: String) -> Result<PeopleReply, ApiError> {
    if !deleted {
        return Err(ApiError::InvalidInput(format!("the service did not delete the role {role}")));
    }
    Ok(PeopleReply::Role(role))
}
