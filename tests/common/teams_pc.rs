//! Fixtures of the teams and private connections tests: a few teams and connections with fixed
//! IDs, answered in memory the way the API answers them (everything else from `testing::Org`).
#![allow(dead_code)]

use s2tui::api::types::*;
use s2tui::effect::{ApiReply, Effect, Fetch};
use s2tui::msg::Msg;

use s2tui::state::State;
use s2tui::testing::*;
use s2tui::update::update;
use uuid::Uuid;

pub fn team_id(i: u128) -> Uuid {
    Uuid::from_u128((0xe000_0000 + i) << 96 | 0x0000_4000_8000_0000_0000_0000)
}

pub fn user_id(i: u128) -> Uuid {
    Uuid::from_u128((0xf000_0000 + i) << 96 | 0x0000_4000_8000_0000_0000_0000)
}

pub fn connection_id(i: u128) -> Uuid {
    Uuid::from_u128((0x9000_0000 + i) << 96 | 0x0000_4000_8000_0000_0000_0000)
}

pub fn user(i: u128, first: &str, last: &str) -> UserInfo {
    UserInfo {
        user_id: user_id(i),
        email: format!("{}.{}@acme.io", first.to_lowercase(), last.to_lowercase()),
        first_name: first.into(),
        last_name: last.into(),
    }
}

fn info(t: &Team) -> TeamInfo {
    TeamInfo { team_id: t.team_id, name: t.name.clone(), description: t.description.clone() }
}

pub fn teams() -> Vec<Team> {
    let team = |i: u128, name: &str, description: &str, users: Vec<UserInfo>, days: i64| Team {
        team_id: team_id(i),
        name: name.into(),
        description: description.into(),
        created_at: Some(ago(days * 86_400)),
        member_users: Some(users),
        member_teams: Some(Vec::new()),
        extra: Extra::new(),
    };
    let de = team(
        1,
        "Data Engineering",
        "Pipelines and ingest",
        vec![user(1, "Priya", "Shah"), user(2, "Marcus", "Bell"), user(3, "Jonas", "Berg")],
        120,
    );
    let analytics = team(2, "Analytics", "Dashboards and reporting", vec![user(4, "Sofia", "Reyes")], 60);
    let mut admins = team(3, "Platform Admins", "Owners and on-call", vec![user(5, "Dana", "Whitfield")], 200);
    admins.member_teams = Some(vec![info(&de)]);
    vec![de, analytics, admins]
}

pub fn connection(
    i: u128,
    group: u32,
    workspace: Option<u32>,
    kind: ConnectionType,
    status: ConnectionStatus,
    allow: Option<&str>,
) -> PrivateConnection {
    let id = connection_id(i);
    let outbound = kind == ConnectionType::Outbound;
    PrivateConnection {
        private_connection_id: id,
        workspace_group_id: group_id(group),
        workspace_id: workspace.map(workspace_id),
        kind: Some(kind),
        status: Some(status),
        service_name: Some(if outbound {
            "projects/acme-data/regions/europe-west1/serviceAttachments/kafka".into()
        } else {
            format!("com.amazonaws.vpce.us-east-1.vpce-svc-0{i:016x}")
        }),
        endpoint: (!outbound).then(|| format!("privatelink-{i:04}.aws-virginia-6.svc.singlestore.com")),
        allow_list: allow.map(String::from),
        allowed_private_link_ids: None,
        outbound_allow_list: None,
        sql_port: Some(3306.0),
        websockets_port: Some(443.0),
        created_at: Some(ago(i as i64 * 86_400 * 7)),
        active_at: None,
        updated_at: None,
        deleted_at: None,
        error: None,
        extra: Extra::new(),
    }
}

/// An INBOUND one for `analytics` (AWS), an OUTBOUND one for workspace `ingest` of `etl` (GCP),
/// a PENDING INBOUND one for `sandbox` (Azure).
pub fn connections() -> Vec<PrivateConnection> {
    vec![
        connection(1, 1, None, ConnectionType::Inbound, ConnectionStatus::Active, Some("483920175561")),
        connection(2, 2, Some(4), ConnectionType::Outbound, ConnectionStatus::Active, None),
        connection(
            3,
            3,
            None,
            ConnectionType::Inbound,
            ConnectionStatus::Pending,
            Some("7c1f5a0e-2d3b-4b8e-9a61-0f2f6d1e4c3a"),
        ),
    ]
}

/// The organization with teams and private connections.
#[derive(Debug, Clone)]
pub struct World {
    pub org: Org,
    pub teams: Vec<Team>,
    pub connections: Vec<PrivateConnection>,
}

impl Default for World {
    fn default() -> Self {
        Self { org: Org::default(), teams: teams(), connections: connections() }
    }
}

impl World {
    pub fn reply(&self, fetch: &Fetch) -> Result<ApiReply, s2tui::api::error::ApiError> {
        let not_found = || s2tui::api::error::ApiError::from_status(404, "not found", "GET", "/v1/x", None);
        Ok(match fetch {
            Fetch::Teams(TeamsRequest::List) => ApiReply::Teams(TeamsReply::List(self.teams.clone())),
            Fetch::Teams(TeamsRequest::One(id)) => ApiReply::Teams(TeamsReply::One(
                self.teams.iter().find(|t| t.team_id == *id).cloned().ok_or_else(not_found)?,
            )),
            Fetch::Connections(r) => ApiReply::Connections(match r {
                ConnectionsRequest::All => {
                    ConnectionsReply::List { list: self.connections.clone(), failed: Vec::new() }
                }
                ConnectionsRequest::Group(g) => ConnectionsReply::List {
                    list: self.connections.iter().filter(|c| c.workspace_group_id == *g).cloned().collect(),
                    failed: Vec::new(),
                },
                ConnectionsRequest::Workspace { workspace, .. } => ConnectionsReply::List {
                    list: self.connections.iter().filter(|c| c.workspace_id == Some(*workspace)).cloned().collect(),
                    failed: Vec::new(),
                },
                ConnectionsRequest::Get(id) => ConnectionsReply::One(
                    self.connections.iter().find(|c| c.private_connection_id == *id).cloned().ok_or_else(not_found)?,
                ),
                ConnectionsRequest::Details { workspace } => ConnectionsReply::Details {
                    workspace: *workspace,
                    outbound: Ok(vec![OutboundAllowList { outbound_allow_list: Some("602384417231".into()) }]),
                    kai: Ok(KaiInfo { service_name: Some("com.amazonaws.vpce.us-east-1.vpce-svc-0kai".into()) }),
                },
            }),
            other => return self.org.reply(other),
        })
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
        let mut state = loaded_with(session(), &self.org);
        self.go(&mut state, command);
        state
    }

    pub fn go(&self, state: &mut State, command: &str) -> Vec<Effect> {
        let mut effects = press(state, ":");
        effects.extend(type_text(state, command));
        effects.extend(press(state, "enter"));
        self.serve(state, effects)
    }
}
