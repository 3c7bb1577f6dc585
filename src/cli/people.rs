//! `s2tui get users|invitations|identities|roles|access`: people and who may do what, read-only.

use clap::{Subcommand, ValueEnum};

use super::output::json;
use super::resolve;
use super::table::{Table, or_dash};
use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::types::*;

#[derive(Debug, Subcommand)]
pub enum PeopleResource {
    /// Members of the organization: people, service accounts and cloud principals.
    #[command(alias = "user")]
    Users {
        /// Only emails matching this value or regular expression.
        #[arg(long)]
        email: Option<String>,
    },
    /// Invitations into the organization.
    #[command(alias = "invitation", alias = "invites")]
    Invitations {
        /// Only emails matching this value or regular expression.
        #[arg(long)]
        email: Option<String>,
        /// Pending, Accepted, Refused or Revoked.
        #[arg(long)]
        state: Option<String>,
    },
    /// Service accounts and cloud principals.
    #[command(alias = "identity")]
    Identities,
    /// Role definitions, built-in and custom, with their permissions.
    #[command(alias = "role")]
    Roles {
        /// Only this resource type's roles.
        #[arg(long = "type", value_enum)]
        kind: Option<AccessKind>,
    },
    /// Who holds which role on a resource, inherited grants marked with where they come from.
    Access {
        /// What the roles are on.
        #[arg(value_enum)]
        kind: AccessKind,
        /// Its name or id (not needed for the organization).
        name: Option<String>,
    },
}

/// The kinds of resource roles are granted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccessKind {
    #[value(alias = "organization")]
    Org,
    /// A workspace group.
    #[value(alias = "wg")]
    Group,
    /// A cluster (v2) by its name or id: its access is its group's. At v1, a group.
    Cluster,
    Team,
    Secret,
}

impl AccessKind {
    fn resource_type(self) -> ResourceType {
        match self {
            AccessKind::Org => ResourceType::Organization,
            AccessKind::Group | AccessKind::Cluster => ResourceType::Cluster,
            AccessKind::Team => ResourceType::Team,
            AccessKind::Secret => ResourceType::Secret,
        }
    }
}

pub async fn fetch(client: &Client, resource: PeopleResource, as_json: bool) -> Result<String, ApiError> {
    Ok(match resource {
        PeopleResource::Users { email } => {
            let users = client.users(email.as_deref()).await?;
            if as_json {
                return Ok(json(&users));
            }
            let mut t = Table::new(["NAME", "EMAIL", "KIND", "ID"]);
            for u in &users {
                t.row([u.display_name(), u.email.clone(), or_dash(Some(u.user_kind.as_str())), u.user_id.to_string()]);
            }
            t.render()
        }
        PeopleResource::Invitations { email, state } => {
            let state = match state.as_deref().map(InvitationState::from_wire) {
                Some(InvitationState::Unknown(s)) => {
                    return Err(ApiError::InvalidInput(format!(
                        "unknown invitation state {s:?}: expected Pending, Accepted, Refused or Revoked"
                    )));
                }
                other => other,
            };
            let filter = InvitationFilter { email, state };
            let (list, teams) = tokio::join!(client.invitations(&filter), client.teams());
            let list = list?;
            if as_json {
                return Ok(json(&list));
            }
            let teams = teams.unwrap_or_default();
            let mut t = Table::new(["EMAIL", "STATE", "TEAMS", "SENT", "ANSWERED", "ID"]);
            for i in &list {
                let names: Vec<String> = i
                    .team_ids
                    .iter()
                    .map(|id| teams.iter().find(|t| t.team_id == *id).map_or(id.to_string(), |t| t.name.clone()))
                    .collect();
                t.row([
                    i.email.clone(),
                    or_dash(Some(i.state.as_str())),
                    or_dash(Some(&names.join(", "))),
                    or_dash(i.created_at.as_deref()),
                    or_dash(i.acted_at.as_deref()),
                    i.invitation_id.to_string(),
                ]);
            }
            t.render()
        }
        PeopleResource::Identities => {
            let list: Vec<OrgUser> =
                client.users(None).await?.into_iter().filter(|u| u.user_kind != UserKind::Standard).collect();
            if as_json {
                return Ok(json(&list));
            }
            let mut t = Table::new(["KIND", "NAME", "EMAIL", "CLOUD PRINCIPAL", "DESCRIPTION", "ID"]);
            for u in &list {
                t.row([
                    or_dash(Some(u.user_kind.as_str())),
                    u.display_name(),
                    u.email.clone(),
                    or_dash(u.cloud_principal.as_deref()),
                    or_dash(u.description.as_deref()),
                    u.user_id.to_string(),
                ]);
            }
            t.render()
        }
        PeopleResource::Roles { kind } if client.version() == crate::api::ApiVersion::V2 => {
            // v2 has one list across types; `--type` keeps the roles that grant something there.
            let mut roles = client.roles_v2().await?;
            if let Some(k) = kind {
                let wanted = k.resource_type().to_string();
                roles.retain(|r| r.permissions.iter().any(|p| p.resource_type.eq_ignore_ascii_case(&wanted)));
            }
            if as_json {
                return Ok(json(&roles));
            }
            let mut t = Table::new(["ROLE", "CUSTOM", "PERMISSIONS"]);
            for r in &roles {
                let grouped: Vec<String> = r.permissions.iter().map(TypedPermissions::summary).collect();
                let custom = if r.is_custom() { "yes" } else { "-" };
                t.row([r.role.clone(), custom.into(), or_dash(Some(&grouped.join("; ")))]);
            }
            t.render()
        }
        PeopleResource::Roles { kind } => {
            let types: Vec<ResourceType> = match kind {
                Some(k) => vec![k.resource_type()],
                None => ResourceType::KNOWN.to_vec(),
            };
            let mut roles = Vec::new();
            for t in &types {
                roles.extend(client.roles(t).await?);
            }
            if as_json {
                return Ok(json(&roles));
            }
            let mut t = Table::new(["TYPE", "ROLE", "CUSTOM", "PERMISSIONS", "INHERITS"]);
            for r in &roles {
                let inherits: Vec<String> =
                    r.inherits.iter().map(|i| format!("{} {}", i.resource_type, i.role)).collect();
                t.row([
                    r.resource_type.clone(),
                    r.role.clone(),
                    if r.is_custom { "yes".into() } else { "-".into() },
                    or_dash(Some(&r.permissions.join(", "))),
                    or_dash(Some(&inherits.join(", "))),
                ]);
            }
            t.render()
        }
        PeopleResource::Access { kind, name } => {
            let id = match (kind, name) {
                (AccessKind::Org, _) => client.organization().await?.org_id,
                (_, None) => {
                    return Err(ApiError::InvalidInput(format!(
                        "name the {} (by name or id)",
                        kind.resource_type().noun()
                    )));
                }
                (AccessKind::Cluster, Some(n)) if client.version() == crate::api::ApiVersion::V2 => {
                    resolve::cluster_group(client, &n).await?.id
                }
                (AccessKind::Group | AccessKind::Cluster, Some(n)) => resolve::group(client, &n).await?.id,
                (AccessKind::Team, Some(n)) => resolve::team(client, &n).await?.id,
                (AccessKind::Secret, Some(n)) => resolve::secret(client, &n).await?.id,
            };
            let roles = client.access_controls(&ResourceRef::new(kind.resource_type(), id)).await?;
            if as_json {
                return Ok(json(&roles));
            }
            let mut t = Table::new(["ROLE", "HOLDER", "KIND", "INHERITED FROM", "GRANTED"]);
            for r in &roles {
                for g in &r.grants {
                    let holder_kind = match g.identity {
                        Holder::User(_) => "user",
                        Holder::Team(_) => "team",
                    };
                    let from = g
                        .inherited_from
                        .as_ref()
                        .map(|f| format!("{} on the {}", f.role, f.resource_type.to_lowercase()));
                    t.row([
                        r.role.clone(),
                        g.identity.label(),
                        holder_kind.to_string(),
                        or_dash(from.as_deref()),
                        or_dash(Some(&g.created_at)),
                    ]);
                }
            }
            t.render()
        }
    })
}
