//! The organization's people and access: service accounts and cloud principals, invitations,
//! SingleStore accounts outside the organization, role definitions and stored grants.
//! Grants inherited through organization roles are computed on every read, never stored.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::world::World;
use crate::api::types::*;

/// A service account or a cloud principal: a member of the organization that is not a person.
#[derive(Debug, Clone)]
pub struct Identity {
    pub info: UserInfo,
    pub kind: UserKind,
    pub name: String,
    pub description: String,
    pub cloud_principal: Option<String>,
    pub created_by: Uuid,
}

impl Identity {
    pub fn as_user(&self) -> OrgUser {
        OrgUser {
            user_id: self.info.user_id,
            email: self.info.email.clone(),
            first_name: self.info.first_name.clone(),
            last_name: self.info.last_name.clone(),
            user_kind: self.kind.clone(),
            description: Some(self.description.clone()),
            cloud_principal: self.cloud_principal.clone(),
            created_by: Some(self.created_by),
            extra: Default::default(),
        }
    }
}

/// An invitation, and when the invitee will answer it (only someone with a SingleStore
/// account does, and only while it is pending).
#[derive(Debug, Clone)]
pub struct InvitationRec {
    pub api: Invitation,
    pub accept_at: Option<DateTime<Utc>>,
}

/// Who a stored grant is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HolderId {
    User(Uuid),
    Team(Uuid),
}

/// A role granted directly on one resource.
#[derive(Debug, Clone)]
pub struct StoredGrant {
    pub resource_type: ResourceType,
    pub resource_id: Uuid,
    pub role: String,
    pub holder: HolderId,
    pub created_at: String,
    pub created_by: UserInfo,
}

/// A role made by the organization: its permissions per resource type.
#[derive(Debug, Clone)]
pub struct CustomRole {
    pub role: String,
    pub description: String,
    pub permissions: BTreeMap<String, Vec<String>>,
    pub inherits: Vec<TypedRole>,
    pub created_at: String,
    pub created_by: UserInfo,
    pub updated_at: String,
    pub updated_by: UserInfo,
}

impl CustomRole {
    pub fn history(&self) -> RoleHistory {
        RoleHistory {
            created_at: Some(self.created_at.clone()),
            created_by: Some(self.created_by.clone()),
            updated_at: Some(self.updated_at.clone()),
            updated_by: Some(self.updated_by.clone()),
        }
    }
}

#[derive(Debug, Default)]
pub struct People {
    pub identities: BTreeMap<Uuid, Identity>,
    /// In creation order.
    pub invitations: Vec<InvitationRec>,
    /// SingleStore accounts that are not (yet) members: they can be added by email, and they
    /// accept invitations.
    pub accounts: Vec<UserInfo>,
    pub custom_roles: Vec<CustomRole>,
    pub grants: Vec<StoredGrant>,
}

/// A built-in role: (name, description, permissions, inherited (resource type, role)).
type BuiltIn = (&'static str, &'static str, &'static [&'static str], &'static [(&'static str, &'static str)]);

const ORG_PERMISSIONS: &[&str] = &[
    "View Organization",
    "Manage Organization",
    "View Audit Log",
    "View Billing",
    "Manage Billing",
    "Manage Users",
    "Invite Users",
    "Create Workspace Groups",
    "Create Teams",
    "Create Secrets",
    "View Virtual Workspaces",
    "Manage Virtual Workspaces",
];
const CLUSTER_PERMISSIONS: &[&str] = &[
    "View Workspace Group",
    "Update Workspace Group",
    "Delete Workspace Group",
    "Create Workspaces",
    "Update Workspaces",
    "Suspend and Resume Workspaces",
    "Delete Workspaces",
    "Access Stage",
    "Manage Private Connections",
    "Connect to Workspaces",
];
const TEAM_PERMISSIONS: &[&str] = &["View Team", "Update Team", "Manage Team Members", "Delete Team"];
const SECRET_PERMISSIONS: &[&str] = &["View Secret", "Use Secret Value", "Update Secret", "Delete Secret"];

const ORG_ROLES: &[BuiltIn] = &[
    (
        "Owner",
        "Full control of the organization and everything in it",
        ORG_PERMISSIONS,
        &[("Cluster", "Owner"), ("Team", "Owner"), ("Secret", "Owner")],
    ),
    (
        "Operator",
        "Runs the organization's deployments; no billing or member management",
        &[
            "View Organization",
            "View Audit Log",
            "Create Workspace Groups",
            "Create Teams",
            "Create Secrets",
            "View Virtual Workspaces",
            "Manage Virtual Workspaces",
        ],
        &[("Cluster", "Operator"), ("Secret", "Reader")],
    ),
    (
        "Writer",
        "Creates workspace groups, teams and secrets",
        &["View Organization", "Create Workspace Groups", "Create Teams", "Create Secrets", "View Virtual Workspaces"],
        &[],
    ),
    (
        "Reader",
        "Sees the organization and everything in it",
        &["View Organization", "View Virtual Workspaces"],
        &[("Cluster", "Reader"), ("Team", "Reader"), ("Secret", "Reader")],
    ),
];
const CLUSTER_ROLES: &[BuiltIn] = &[
    ("Owner", "Full control of the workspace group", CLUSTER_PERMISSIONS, &[]),
    (
        "Operator",
        "Everything but deleting the workspace group",
        &[
            "View Workspace Group",
            "Update Workspace Group",
            "Create Workspaces",
            "Update Workspaces",
            "Suspend and Resume Workspaces",
            "Delete Workspaces",
            "Access Stage",
            "Manage Private Connections",
            "Connect to Workspaces",
        ],
        &[],
    ),
    (
        "Writer",
        "Creates and changes workspaces and Stage files",
        &["View Workspace Group", "Create Workspaces", "Update Workspaces", "Access Stage", "Connect to Workspaces"],
        &[],
    ),
    ("Reader", "Sees the workspace group and connects", &["View Workspace Group", "Connect to Workspaces"], &[]),
    (
        "Restricted Operator",
        "Suspends and resumes workspaces, nothing more",
        &["View Workspace Group", "Suspend and Resume Workspaces", "Connect to Workspaces"],
        &[],
    ),
];
const TEAM_ROLES: &[BuiltIn] = &[
    ("Owner", "Full control of the team", TEAM_PERMISSIONS, &[]),
    ("Writer", "Changes the team and its members", &["View Team", "Update Team", "Manage Team Members"], &[]),
    ("Reader", "Sees the team", &["View Team"], &[]),
];
const SECRET_ROLES: &[BuiltIn] = &[
    ("Owner", "Full control of the secret", SECRET_PERMISSIONS, &[]),
    ("Writer", "Uses and changes the secret", &["View Secret", "Use Secret Value", "Update Secret"], &[]),
    ("Reader", "Sees that the secret exists", &["View Secret"], &[]),
];

fn built_ins(t: &ResourceType) -> &'static [BuiltIn] {
    match t {
        ResourceType::Organization => ORG_ROLES,
        ResourceType::Cluster => CLUSTER_ROLES,
        ResourceType::Team => TEAM_ROLES,
        ResourceType::Secret => SECRET_ROLES,
        ResourceType::Unknown(_) => &[],
    }
}

/// The permissions a resource type offers.
pub fn permissions_of(t: &ResourceType) -> &'static [&'static str] {
    match t {
        ResourceType::Organization => ORG_PERMISSIONS,
        ResourceType::Cluster => CLUSTER_PERMISSIONS,
        ResourceType::Team => TEAM_PERMISSIONS,
        ResourceType::Secret => SECRET_PERMISSIONS,
        ResourceType::Unknown(_) => &[],
    }
}

/// A resource type named in a path: exact spelling, as the service wants it.
pub fn known_type(raw: &str) -> Option<ResourceType> {
    ResourceType::KNOWN.iter().find(|t| t.as_str() == raw).cloned()
}

impl People {
    pub fn is_built_in(&self, t: &ResourceType, role: &str) -> bool {
        built_ins(t).iter().any(|b| b.0 == role)
    }

    /// Every role of a resource type, built-in first.
    pub fn roles_of(&self, t: &ResourceType) -> Vec<RoleDefinition> {
        let mut out: Vec<RoleDefinition> = built_ins(t)
            .iter()
            .map(|(name, description, permissions, inherits)| RoleDefinition {
                role: name.to_string(),
                resource_type: t.to_string(),
                description: description.to_string(),
                is_custom: false,
                permissions: permissions.iter().map(|p| p.to_string()).collect(),
                inherits: inherits
                    .iter()
                    .map(|(rt, r)| TypedRole { resource_type: rt.to_string(), role: r.to_string() })
                    .collect(),
                history: RoleHistory::default(),
            })
            .collect();
        out.extend(self.custom_roles.iter().filter_map(|c| {
            let permissions = c.permissions.get(t.as_str())?;
            Some(RoleDefinition {
                role: c.role.clone(),
                resource_type: t.to_string(),
                description: c.description.clone(),
                is_custom: true,
                permissions: permissions.clone(),
                inherits: c.inherits.clone(),
                history: c.history(),
            })
        }));
        out
    }

    pub fn role(&self, t: &ResourceType, role: &str) -> Option<RoleDefinition> {
        self.roles_of(t).into_iter().find(|r| r.role == role)
    }

    /// A role across resource types, as `/v2/authorization` shows it.
    pub fn role_v2(&self, role: &str) -> Option<RoleDefinitionV2> {
        if let Some(c) = self.custom_roles.iter().find(|c| c.role == role) {
            return Some(RoleDefinitionV2 {
                role: c.role.clone(),
                description: c.description.clone(),
                permissions: c
                    .permissions
                    .iter()
                    .map(|(t, p)| TypedPermissions { resource_type: t.clone(), permissions: p.clone() })
                    .collect(),
                history: c.history(),
            });
        }
        let mut description = String::new();
        let mut permissions = Vec::new();
        for t in ResourceType::KNOWN {
            if let Some(b) = built_ins(t).iter().find(|b| b.0 == role) {
                if description.is_empty() {
                    description = b.1.to_string();
                }
                let list = b.2.iter().map(|p| p.to_string()).collect();
                permissions.push(TypedPermissions { resource_type: t.to_string(), permissions: list });
            }
        }
        (!permissions.is_empty()).then(|| RoleDefinitionV2 {
            role: role.to_string(),
            description,
            permissions,
            history: RoleHistory::default(),
        })
    }

    /// Every role name, built-in first, each once.
    pub fn role_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let all = ResourceType::KNOWN.iter().flat_map(|t| built_ins(t).iter().map(|b| b.0.to_string()));
        for n in all.chain(self.custom_roles.iter().map(|c| c.role.clone())) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        names
    }

    /// How many grants name a role of this resource type (a custom role in use cannot be deleted).
    pub fn grants_of_role(&self, t: &ResourceType, role: &str) -> usize {
        self.grants.iter().filter(|g| &g.resource_type == t && g.role == role).count()
    }
}

impl World {
    /// Every member, people first, then service accounts and cloud principals.
    pub fn org_users(&self) -> Vec<OrgUser> {
        let people = self.users.iter().map(|u| OrgUser {
            user_id: u.info.user_id,
            email: u.info.email.clone(),
            first_name: u.info.first_name.clone(),
            last_name: u.info.last_name.clone(),
            user_kind: UserKind::Standard,
            description: None,
            cloud_principal: None,
            created_by: None,
            extra: Default::default(),
        });
        people.chain(self.people.identities.values().map(Identity::as_user)).collect()
    }

    pub fn org_user(&self, id: Uuid) -> Option<OrgUser> {
        self.org_users().into_iter().find(|u| u.user_id == id)
    }

    /// Whether the resource exists (grants can only name existing ones).
    pub fn resource_exists(&self, t: &ResourceType, id: Uuid) -> bool {
        match t {
            ResourceType::Organization => id == self.org.org_id,
            ResourceType::Cluster => {
                self.groups.get(&id).is_some_and(|g| g.api.state != WorkspaceGroupState::Terminated)
            }
            ResourceType::Team => self.teams.contains_key(&id),
            ResourceType::Secret => self.secrets.contains_key(&id),
            ResourceType::Unknown(_) => false,
        }
    }

    pub fn holder(&self, h: HolderId) -> Option<Holder> {
        match h {
            HolderId::User(id) => self.user_by_id(id).cloned().map(Holder::User),
            HolderId::Team(id) => self.teams.get(&id).map(|t| {
                Holder::Team(TeamInfo { team_id: t.team_id, name: t.name.clone(), description: t.description.clone() })
            }),
        }
    }

    /// Who holds which role on a resource: the grants made on it, then those that follow from
    /// roles held on the organization (each marked with the role it comes from).
    pub fn access_controls(&self, t: &ResourceType, id: Uuid) -> Vec<ResourceRole> {
        let mut roles: Vec<ResourceRole> = self
            .people
            .roles_of(t)
            .into_iter()
            .map(|r| ResourceRole { role: r.role, description: r.description, grants: Vec::new() })
            .collect();
        let mut add = |role: &str, grant: Grant| {
            if let Some(r) = roles.iter_mut().find(|r| r.role == role) {
                r.grants.push(grant);
            }
        };
        for g in self.people.grants.iter().filter(|g| &g.resource_type == t && g.resource_id == id) {
            if let Some(identity) = self.holder(g.holder) {
                let grant = Grant {
                    identity,
                    created_at: g.created_at.clone(),
                    created_by: Some(g.created_by.clone()),
                    inherited_from: None,
                };
                add(&g.role, grant);
            }
        }
        if *t != ResourceType::Organization {
            let org = self.org.org_id;
            for g in self.people.grants.iter().filter(|g| g.resource_type == ResourceType::Organization) {
                let Some(def) = self.people.role(&ResourceType::Organization, &g.role) else { continue };
                let Some(identity) = self.holder(g.holder) else { continue };
                for inherited in def.inherits.iter().filter(|i| i.resource_type == t.as_str()) {
                    let grant = Grant {
                        identity: identity.clone(),
                        created_at: g.created_at.clone(),
                        created_by: Some(g.created_by.clone()),
                        inherited_from: Some(InheritedFrom {
                            resource_id: org,
                            resource_type: ResourceType::Organization.to_string(),
                            role: g.role.clone(),
                        }),
                    };
                    add(&inherited.role, grant);
                }
            }
        }
        roles
    }

    /// Roles granted to a user or team, optionally of one resource type.
    pub fn identity_roles(&self, holder: HolderId, resource_type: Option<&str>) -> Vec<IdentityRole> {
        self.people
            .grants
            .iter()
            .filter(|g| g.holder == holder && resource_type.is_none_or(|t| g.resource_type.as_str() == t))
            .map(|g| IdentityRole {
                resource_id: g.resource_id,
                resource_type: g.resource_type.to_string(),
                role: g.role.clone(),
            })
            .collect()
    }

    /// Users who hold the organization's Owner role directly.
    pub fn org_owners(&self) -> Vec<Uuid> {
        let org = self.org.org_id;
        self.people
            .grants
            .iter()
            .filter(|g| g.resource_type == ResourceType::Organization && g.resource_id == org && g.role == "Owner")
            .filter_map(|g| match g.holder {
                HolderId::User(u) => Some(u),
                HolderId::Team(_) => None,
            })
            .collect()
    }

    /// Lets invitees answer: a pending invitation whose time has come is accepted, and the
    /// invitee joins the organization and the invitation's teams.
    pub fn answer_invitations(&mut self) {
        let now = self.clock.now();
        let due: Vec<usize> = (0..self.people.invitations.len())
            .filter(|i| {
                let r = &self.people.invitations[*i];
                r.api.state == InvitationState::Pending && r.accept_at.is_some_and(|t| t <= now)
            })
            .collect();
        for i in due {
            let (email, teams, at) = {
                let r = &mut self.people.invitations[i];
                let at = r.accept_at.take().unwrap_or(now);
                r.api.state = InvitationState::Accepted;
                r.api.acted_at = Some(format_time(at));
                (r.api.email.clone(), r.api.team_ids.clone(), at)
            };
            let Some(pos) = self.people.accounts.iter().position(|a| a.email.eq_ignore_ascii_case(&email)) else {
                continue;
            };
            let info = self.people.accounts.remove(pos);
            self.users.push(super::world::User { info: info.clone() });
            for t in teams {
                if let Some(team) = self.teams.get_mut(&t) {
                    team.member_users.get_or_insert_with(Vec::new).push(info.clone());
                }
            }
            let ev = super::world::AuditEvent {
                kind: "Invitation.Accept".into(),
                reason: format!("{} accepted the invitation to the organization", info.email),
                attributes: Some(serde_json::json!({ "acceptedAt": format_time(at) })),
                ..Default::default()
            };
            self.push_audit(ev, &info, None, AuditSource::Portal, AuditUserType::Customer);
        }
    }
}

/// The key's user owns every organization; the demo adds people outside it, service
/// accounts, a cloud principal, a custom role, invitations in each state and grants on
/// each kind of resource. Drawn from its own generator so every other id stays the same.
pub fn seed(w: &mut World, seed: &super::Seed) {
    use chrono::Duration as Days;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    let mut rng = StdRng::seed_from_u64(super::seed::SEED_VALUE ^ 0x9e0_91e);
    let mut uuid = || uuid::Builder::from_random_bytes(rng.random()).into_uuid();
    let now = w.clock.now();
    let org = w.org.org_id;
    let me = w.api_user.clone();
    let at = |days: i64| format_time(now - Days::days(days));
    let grant = |w: &mut World, t: ResourceType, id: Uuid, role: &str, holder: HolderId, days: i64| {
        w.people.grants.push(StoredGrant {
            resource_type: t,
            resource_id: id,
            role: role.into(),
            holder,
            created_at: at(days),
            created_by: me.clone(),
        })
    };
    grant(w, ResourceType::Organization, org, "Owner", HolderId::User(me.user_id), 400);
    if *seed != super::Seed::Demo {
        return;
    }
    let domain = me.email.split_once('@').map(|(_, d)| d.to_string()).unwrap_or_default();
    for (first, last) in [("Noah", "Bennett"), ("Emma", "Novak"), ("Raj", "Patel")] {
        w.people.accounts.push(UserInfo {
            user_id: uuid(),
            email: format!("{}.{}@{domain}", first.to_lowercase(), last.to_lowercase()),
            first_name: first.into(),
            last_name: last.into(),
        });
    }
    let user = |w: &World, first: &str| w.users.iter().find(|u| u.info.first_name == first).map(|u| u.info.user_id);
    let team = |w: &World, name: &str| w.teams.values().find(|t| t.name == name).map(|t| t.team_id);
    let group =
        |w: &World, name: &str| w.groups.values().find(|g| g.api.name == name).map(|g| g.api.workspace_group_id);
    let secret = |w: &World, name: &str| w.secrets.values().find(|s| s.name == name).map(|s| s.secret_id);

    for (kind, name, description, cloud) in [
        (UserKind::ServiceAccount, "ci-deployer", "GitHub Actions: deploys schema changes", None),
        (UserKind::ServiceAccount, "airflow-etl", "Nightly loads from the lake", None),
        (
            UserKind::CloudPrincipal,
            "aws-ingest-role",
            "Ingest Lambda in the data account",
            Some("arn:aws:iam::483920175561:role/ingest"),
        ),
    ] {
        let id = uuid();
        let short = &id.simple().to_string()[..12];
        let host = if kind == UserKind::CloudPrincipal { "cloudprincipals" } else { "serviceaccounts" };
        let info = UserInfo {
            user_id: id,
            email: format!("{short}@{host}.singlestore.com"),
            first_name: name.into(),
            last_name: String::new(),
        };
        w.people.identities.insert(
            id,
            Identity {
                info,
                kind,
                name: name.into(),
                description: description.into(),
                cloud_principal: cloud.map(String::from),
                created_by: me.user_id,
            },
        );
    }
    let identity =
        |w: &World, name: &str| w.people.identities.values().find(|i| i.name == name).map(|i| i.info.user_id);

    w.people.custom_roles.push(CustomRole {
        role: "Stage Uploader".into(),
        description: "Puts files into Stage; nothing else".into(),
        permissions: BTreeMap::from([(
            "Cluster".to_string(),
            vec!["View Workspace Group".into(), "Access Stage".into()],
        )]),
        inherits: Vec::new(),
        created_at: at(90),
        created_by: me.clone(),
        updated_at: at(30),
        updated_by: me.clone(),
    });

    use ResourceType as T;
    // (on what, which one, role, to whom, how many days ago)
    type Planned<'a> = (T, Option<Uuid>, &'a str, Option<HolderId>, i64);
    let plan: Vec<Planned> = vec![
        (T::Organization, Some(org), "Owner", user(w, "Liam").map(HolderId::User), 380),
        (T::Organization, Some(org), "Operator", team(w, "Platform Admins").map(HolderId::Team), 300),
        (T::Organization, Some(org), "Reader", team(w, "Analytics").map(HolderId::Team), 200),
        (T::Cluster, group(w, "Production"), "Writer", team(w, "Data Engineering").map(HolderId::Team), 250),
        (T::Cluster, group(w, "Production"), "Operator", identity(w, "ci-deployer").map(HolderId::User), 120),
        (T::Cluster, group(w, "Production"), "Restricted Operator", user(w, "Aiko").map(HolderId::User), 60),
        (T::Cluster, group(w, "Analytics EU"), "Reader", user(w, "Sofia").map(HolderId::User), 150),
        (T::Cluster, group(w, "Data Science"), "Stage Uploader", identity(w, "airflow-etl").map(HolderId::User), 45),
        (T::Secret, secret(w, "SNOWFLAKE_PASSWORD"), "Writer", team(w, "Data Engineering").map(HolderId::Team), 140),
        (T::Secret, secret(w, "OPENAI_API_KEY"), "Reader", user(w, "Sofia").map(HolderId::User), 20),
        (T::Team, team(w, "Analytics"), "Owner", user(w, "Sofia").map(HolderId::User), 210),
    ];
    for (t, id, role, holder, days) in plan {
        if let (Some(id), Some(holder)) = (id, holder) {
            grant(w, t, id, role, holder, days);
        }
    }

    let analytics = team(w, "Analytics");
    let invitations = [
        (format!("noah.bennett@{domain}"), InvitationState::Pending, analytics, 2, None),
        (format!("aiko.tanaka@{domain}"), InvitationState::Accepted, None, 240, Some(239)),
        ("contractor.jb@outlook.com".to_string(), InvitationState::Refused, None, 45, Some(43)),
        (format!("old.intern@{domain}"), InvitationState::Revoked, analytics, 70, Some(60)),
    ];
    for (email, state, team_id, sent, acted) in invitations {
        w.people.invitations.push(InvitationRec {
            api: Invitation {
                invitation_id: uuid(),
                email,
                state,
                team_ids: team_id.into_iter().collect(),
                created_at: Some(at(sent)),
                acted_at: acted.map(at),
                message: None,
                extra: Default::default(),
            },
            accept_at: None,
        });
    }
}
