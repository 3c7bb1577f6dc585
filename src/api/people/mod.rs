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

use uuid::Uuid;

use crate::api::client::Client;
use crate::api::error::ApiError;

/// The reads of this family that the dashboard makes, each sent on its own task by `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum PeopleRequest {
    Users,
    CurrentUser,
    /// Roles a user holds, directly and through each team that holds them.
    UserRoles(Uuid),
    Invitations(InvitationFilter),
    /// Role definitions of every resource type, and the permissions each type offers.
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
    ChangeAccess { resource: ResourceRef, change: AccessChange },
}

/// Roles held through one team.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamRoles {
    pub team_id: Uuid,
    pub roles: Vec<IdentityRole>,
}

#[derive(Debug)]
pub enum PeopleReply {
    Users(Vec<OrgUser>),
    CurrentUser(OrgUser),
    UserRoles {
        user: Uuid,
        direct: Vec<IdentityRole>,
        via_teams: Vec<TeamRoles>,
    },
    Invitations(Vec<Invitation>),
    Roles {
        roles: Vec<RoleDefinition>,
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
            PeopleRequest::Users => PeopleReply::Users(client.users(None).await?),
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
                PeopleReply::UserRoles { user, direct, via_teams }
            }
            PeopleRequest::Invitations(filter) => PeopleReply::Invitations(client.invitations(&filter).await?),
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
            DeleteRole { resource_type, role } => {
                if !client.delete_role(&resource_type, &role).await? {
                    return Err(ApiError::InvalidInput(format!("the service did not delete the role {role}")));
                }
                PeopleReply::Role(role)
            }
            ChangeAccess { resource, change } => {
                client.change_access(&resource, &change).await?;
                PeopleReply::Done
            }
        })
    }
}
