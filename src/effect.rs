//! Effects: what `update` asks the outside world to do. The runner carries out the async ones
//! (API calls, timers) on tokio tasks and turns their results back into `Msg`s; the terminal
//! ones (bell, clipboard, shell, suspend) are handled by the loop that owns the terminal.

use std::time::Duration;

use futures_util::stream::{self, StreamExt};
use tokio::sync::mpsc::UnboundedSender;
use uuid::Uuid;

use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::types::*;
pub use crate::msg::ApiReply;
use crate::msg::{Msg, RequestId, Timer};
use crate::panes;
use crate::panes::pane::FromReply;

pub use crate::api::FAN_OUT;

// Effects live for one loop turn; boxing the large variants would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Fetch {
        id: RequestId,
        fetch: Fetch,
    },
    Mutate {
        id: RequestId,
        mutation: Mutation,
    },
    Timer {
        after: Duration,
        timer: Timer,
    },
    /// Put text on the clipboard (OSC 52, understood by most terminals, also over SSH).
    Copy(String),
    /// Put a secret value on the clipboard; its Debug never shows the value.
    CopySecret(SecretValue),
    /// Take what was copied off the clipboard (and out of tmux's buffers).
    ClearClipboard,
    /// Ring the terminal bell.
    Bell,
    /// Leave the TUI, run a MySQL-compatible client on the endpoint, come back.
    SqlShell {
        endpoint: String,
        user: String,
    },
    /// ctrl-z: leave the TUI and stop the process until `fg`.
    SuspendApp,
    /// `:profile NAME`: open another profile (its key command may take a while, so off the
    /// loop); the result comes back as `Msg::ProfileOpened`.
    SwitchProfile(String),
    /// From now on, send requests with this client (another profile opened); running
    /// transfers of the old one are cancelled.
    UseClient(NewClient),
    /// Draw everything again (another profile opened).
    FullRedraw,
    /// List the local folder a path being typed is in (for tab completion); the names come
    /// back as `Msg::LocalFolder`.
    ListLocalFolder {
        input: String,
    },
    /// Write audit entries to a file (atomically); the result comes back as a notice.
    AuditExport(Box<panes::audit::export::ExportJob>),
    /// Start, cancel or plan a Stage transfer (run on tasks; reports come back as `Msg::Transfer`).
    Transfer(panes::transfers::TransferEffect),
    Quit,
}

/// The client of another profile (effects compare by the API it speaks to).
#[derive(Debug, Clone)]
pub struct NewClient(pub Client);

impl PartialEq for NewClient {
    fn eq(&self, other: &Self) -> bool {
        self.0.base_url() == other.0.base_url()
    }
}

/// A read.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetch {
    Organization,
    Regions,
    Groups,
    /// Workspaces of these groups (bounded concurrent fan-out).
    Workspaces {
        groups: Vec<Uuid>,
    },
    /// One workspace, for an operation's poll.
    Workspace(Uuid),
    /// One group, for an operation's poll.
    Group(Uuid),
    // Reads that a pane makes and handles itself (see `panes::<pane>::fetch`).
    Stage(StageRequest),
    Jobs(JobsRequest),
    Secrets(SecretsRequest),
    Teams(TeamsRequest),
    Connections(ConnectionsRequest),
    Usage(UsageRequest),
    Org(OrgRequest),
    Audit(AuditRequest),
    Projects(ProjectsRequest),
    Dr(DrRequest),
    Flow(FlowRequest),
    Functions(FunctionsRequest),
    Identity(IdentityRequest),
    Clusters(ClustersRequest),
    Starters(StartersRequest),
    People(PeopleRequest),
}

/// A change. Never retried automatically; every one is confirmed by the user first.
#[derive(Debug, Clone, PartialEq)]
pub enum Mutation {
    SuspendWorkspace { id: Uuid },
    ResumeWorkspace { id: Uuid, disable_auto_suspend: bool },
    TerminateWorkspace { id: Uuid },
    CreateWorkspace(WorkspaceCreate),
    UpdateWorkspace { id: Uuid, body: WorkspaceUpdate },
    CreateGroup(WorkspaceGroupCreate),
    UpdateGroup { id: Uuid, body: WorkspaceGroupUpdate },
    TerminateGroup { id: Uuid, force: bool },
    // Changes that a pane defines (see `panes::<pane>::change`).
    Stage(StageChange),
    Job(JobsChange),
    Secret(SecretsChange),
    Team(TeamsChange),
    Connection(ConnectionsChange),
    Project(ProjectsChange),
    Dr(DrChange),
    Flow(FlowChange),
    Function(FunctionsChange),
    Identity(IdentityChange),
    Cluster(ClustersChange),
    Starter(StartersChange),
    People(PeopleChange),
}

/// Each family's reply, taken out of [`ApiReply`] for the pane that reads that family.
macro_rules! family_replies {
    ($($variant:ident($ty:ty),)*) => {
        $(impl FromReply for $ty {
            fn from_reply(reply: ApiReply) -> Option<Self> {
                match reply {
                    ApiReply::$variant(r) => Some(r),
                    _ => None,
                }
            }

            fn peek(reply: &ApiReply) -> Option<&Self> {
                match reply {
                    ApiReply::$variant(r) => Some(r),
                    _ => None,
                }
            }
        })*
    };
}

family_replies! {
    Stage(StageReply),
    Jobs(JobsReply),
    Secrets(SecretsReply),
    Teams(TeamsReply),
    Connections(ConnectionsReply),
    Usage(UsageReply),
    Org(OrgReply),
    Audit(AuditReply),
    Projects(ProjectsReply),
    Dr(DrReply),
    Flow(FlowReply),
    Functions(FunctionsReply),
    Identity(IdentityReply),
    Clusters(ClustersReply),
    Starters(StartersReply),
    People(PeopleReply),
}

/// Carries out async effects and sends their results to the inbox.
#[derive(Clone)]
pub struct Runner {
    client: Client,
    inbox: UnboundedSender<Msg>,
    /// Cancellation tokens of running transfers.
    transfers: panes::transfers::run::Tokens,
}

impl Runner {
    pub fn new(client: Client, inbox: UnboundedSender<Msg>) -> Self {
        Self { client, inbox, transfers: Default::default() }
    }

    /// Cancels every running transfer (before a profile switch replaces this runner).
    pub fn cancel_transfers(&self) {
        panes::transfers::run::cancel_all(&self.transfers);
    }

    /// Starts an async effect; returns the effect back if it belongs to the terminal loop.
    pub fn spawn(&self, effect: Effect) -> Option<Effect> {
        match effect {
            Effect::Fetch { id, fetch } => {
                let (client, inbox) = (self.client.clone(), self.inbox.clone());
                tokio::spawn(async move {
                    let reply = fetch_one(&client, fetch).await;
                    let _ = inbox.send(Msg::Api { id, reply });
                });
                None
            }
            Effect::Mutate { id, mutation } => {
                let (client, inbox) = (self.client.clone(), self.inbox.clone());
                tokio::spawn(async move {
                    let reply = mutate(&client, mutation).await;
                    let _ = inbox.send(Msg::Api { id, reply });
                });
                None
            }
            Effect::Timer { after, timer } => {
                let inbox = self.inbox.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    let _ = inbox.send(Msg::Timer(timer));
                });
                None
            }
            Effect::Transfer(t) => {
                panes::transfers::run::spawn(&self.client, &self.inbox, &self.transfers, t);
                None
            }
            Effect::ListLocalFolder { input } => {
                let inbox = self.inbox.clone();
                tokio::task::spawn_blocking(move || {
                    let entries = panes::stage::forms::list_local_folder(&input);
                    let _ = inbox.send(Msg::LocalFolder { input, entries });
                });
                None
            }
            Effect::AuditExport(job) => {
                let inbox = self.inbox.clone();
                tokio::spawn(async move {
                    let msg = match panes::audit::export::run(*job).await {
                        panes::audit::export::Saved::Done(text, error) => Msg::Notice { text, error },
                        panes::audit::export::Saved::Exists(path) => Msg::FileExists { path },
                    };
                    let _ = inbox.send(msg);
                });
                None
            }
            other => Some(other),
        }
    }
}

async fn fetch_one(client: &Client, fetch: Fetch) -> Result<ApiReply, ApiError> {
    Ok(match fetch {
        Fetch::Organization => ApiReply::Organization(client.organization().await?),
        Fetch::Regions => ApiReply::Regions(client.regions().await?),
        Fetch::Groups => ApiReply::Groups(client.workspace_groups(false).await?),
        Fetch::Workspace(id) => ApiReply::Workspace(client.workspace(id).await?),
        Fetch::Group(id) => ApiReply::Group(client.workspace_group(id).await?),
        Fetch::Stage(r) => ApiReply::Stage(r.send(client).await?),
        Fetch::Jobs(r) => ApiReply::Jobs(r.send(client).await?),
        Fetch::Secrets(r) => ApiReply::Secrets(r.send(client).await?),
        Fetch::Teams(r) => ApiReply::Teams(r.send(client).await?),
        Fetch::Connections(r) => ApiReply::Connections(r.send(client).await?),
        Fetch::Usage(r) => ApiReply::Usage(r.send(client).await?),
        Fetch::Org(r) => ApiReply::Org(r.send(client).await?),
        Fetch::Audit(r) => ApiReply::Audit(r.send(client).await?),
        Fetch::Projects(r) => ApiReply::Projects(r.send(client).await?),
        Fetch::Dr(r) => ApiReply::Dr(r.send(client).await?),
        Fetch::Flow(r) => ApiReply::Flow(r.send(client).await?),
        Fetch::Functions(r) => ApiReply::Functions(r.send(client).await?),
        Fetch::Identity(r) => ApiReply::Identity(r.send(client).await?),
        Fetch::Clusters(r) => ApiReply::Clusters(r.send(client).await?),
        Fetch::Starters(r) => ApiReply::Starters(r.send(client).await?),
        Fetch::People(r) => ApiReply::People(r.send(client).await?),
        Fetch::Workspaces { groups } => {
            let results: Vec<(Uuid, Result<Vec<Workspace>, ApiError>)> = stream::iter(groups.clone())
                .map(|g| async move { (g, client.workspaces(g, false).await) })
                .buffer_unordered(FAN_OUT)
                .collect()
                .await;
            let mut list = Vec::new();
            let mut failed = Vec::new();
            let mut first_error = None;
            for (group, result) in results {
                match result {
                    Ok(ws) => list.extend(ws),
                    // A group terminated since the list was read: not an error for the user.
                    Err(ApiError::NotFound { .. }) => {}
                    Err(e) => {
                        failed.push((group, e.to_string()));
                        first_error.get_or_insert(e);
                    }
                }
            }
            if let Some(e) = first_error.filter(|_| failed.len() == groups.len()) {
                return Err(e);
            }
            ApiReply::Workspaces { groups, list, failed }
        }
    })
}

async fn mutate(client: &Client, mutation: Mutation) -> Result<ApiReply, ApiError> {
    Ok(match mutation {
        Mutation::SuspendWorkspace { id } => ApiReply::Mutated(client.suspend_workspace(id).await?),
        Mutation::ResumeWorkspace { id, disable_auto_suspend } => {
            ApiReply::Mutated(client.resume_workspace(id, disable_auto_suspend).await?)
        }
        Mutation::TerminateWorkspace { id } => ApiReply::Mutated(client.terminate_workspace(id).await?),
        Mutation::CreateWorkspace(body) => ApiReply::Mutated(client.create_workspace(&body).await?),
        Mutation::UpdateWorkspace { id, body } => ApiReply::Mutated(client.update_workspace(id, &body).await?),
        Mutation::CreateGroup(body) => ApiReply::GroupCreated(client.create_workspace_group(&body).await?),
        Mutation::UpdateGroup { id, body } => ApiReply::Mutated(client.update_workspace_group(id, &body).await?),
        Mutation::TerminateGroup { id, force } => ApiReply::Mutated(client.terminate_workspace_group(id, force).await?),
        Mutation::Stage(c) => ApiReply::Stage(c.send(client).await?),
        Mutation::Job(c) => ApiReply::Jobs(c.send(client).await?),
        Mutation::Secret(c) => ApiReply::Secrets(c.send(client).await?),
        Mutation::Team(c) => ApiReply::Teams(c.send(client).await?),
        Mutation::Connection(c) => ApiReply::Connections(c.send(client).await?),
        Mutation::Project(c) => ApiReply::Projects(c.send(client).await?),
        Mutation::Dr(c) => ApiReply::Dr(c.send(client).await?),
        Mutation::Flow(c) => ApiReply::Flow(c.send(client).await?),
        Mutation::Function(c) => ApiReply::Functions(c.send(client).await?),
        Mutation::Identity(c) => ApiReply::Identity(c.send(client).await?),
        Mutation::Cluster(c) => ApiReply::Clusters(c.send(client).await?),
        Mutation::Starter(c) => ApiReply::Starters(c.send(client).await?),
        Mutation::People(c) => ApiReply::People(c.send(client).await?),
    })
}
