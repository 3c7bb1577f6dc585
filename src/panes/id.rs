//! The registry: every pane named once, in `tab` order (the first nine are also `1`–`9`).
//! A leaf: the vocabulary (`msg`) names panes without importing them.

use serde::Deserialize;

/// Hands the pane list to `$then`, which turns it into code: the `PaneId` enum here, the
/// `Panes` struct and every dispatch in `panes`.
macro_rules! registry {
    ($then:ident) => {
        $then! {
            Groups => groups: groups::GroupsPane,
            Workspaces => workspaces: workspaces::WorkspacesPane,
            Clusters => clusters: clusters::ClustersPane,
            Stage => stage: stage::StagePane,
            Jobs => jobs: jobs::JobsPane,
            Secrets => secrets: secrets::SecretsPane,
            Teams => teams: teams::TeamsPane,
            Connections => connections: connections::ConnectionsPane,
            Usage => usage: usage::UsagePane,
            Audit => audit: audit::AuditPane,
            Operations => ops: ops::OpsPane,
            Transfers => transfers: transfers::TransfersPane,
            Org => org: org::OrgPane,
            Regions => regions: org::RegionsPane,
            Log => log: log::ActivityLog,
            Projects => projects: projects::ProjectsPane,
            Dr => dr: dr::DrPane,
            Flow => flow: flow::FlowPane,
            Functions => functions: functions::FunctionsPane,
            GroupSettings => group_settings: group_settings::GroupSettingsPane,
            Starters => starters: starters::StartersPane,
            Users => users: users::UsersPane,
            Invitations => invitations: invitations::InvitationsPane,
            Identities => identities: identities::IdentitiesPane,
            Roles => roles: roles::RolesPane,
            Access => access: access::AccessPane,
        }
    };
}
pub(crate) use registry;

macro_rules! pane_ids {
    ($($id:ident => $field:ident: $ty:ty,)*) => {
        /// The panes, in `tab` order. In the keymap file a pane's section has its snake_case name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum PaneId {
            $($id,)*
        }

        impl PaneId {
            pub const ALL: &'static [PaneId] = &[$(PaneId::$id,)*];
        }
    };
}

registry!(pane_ids);
