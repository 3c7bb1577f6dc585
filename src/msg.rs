//! Everything that can happen to the dashboard arrives as one `Msg` on one inbox. This is the
//! vocabulary: a leaf that names only the API layer and three leaves (`session`, `theme`,
//! the pane registry), so every part of the dashboard can speak it without an import circle.

use crossterm::event::Event;
use serde::{Deserialize, Serialize};

use uuid::Uuid;

use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::transfer::Plan;
use crate::api::types::*;
use crate::panes::id::PaneId;
use crate::session::SessionInfo;
use crate::theme::Theme;

/// Tags every API request so that a late reply to an older request can be told apart and dropped.
pub type RequestId = u64;

// Messages live for one loop turn; boxing the large variants would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Msg {
    /// A key, a paste or a resize from the terminal.
    Input(Event),
    /// The reply to request `id`.
    Api { id: RequestId, reply: Result<ApiReply, ApiError> },
    /// A timer that an effect asked for has fired.
    Timer(Timer),
    /// The terminal is back after a SQL shell or ctrl-z; everything must be drawn again.
    Redraw,
    /// A side effect outside the API finished (clipboard, shell, file) with a line for the user.
    Notice { text: String, error: bool },
    /// A file the user asked to save to exists and replacing it was not confirmed; nothing was
    /// written.
    FileExists { path: std::path::PathBuf },
    /// `x` found no SQL client to run; the command to run by hand.
    NoSqlClient { command: String },
    /// SIGTERM, SIGHUP or SIGINT: leave cleanly.
    Quit,
    /// The client made a call (for the activity log).
    ApiCall(crate::api::client::CallRecord),
    /// `:profile NAME` was opened (or failed); `update` starts the new session from it.
    ProfileOpened(ProfileResult),
    /// A local folder listed for path completion: the text typed when tab was pressed, and the
    /// folder's names with whether each is a folder.
    LocalFolder { input: String, entries: Vec<(String, bool)> },
    /// A Stage transfer or transfer plan reports progress or its end (throttled by the runner).
    Transfer(TransferEvent),
}

/// Timers are few and named: each has one purpose and a generation so stale ones are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// Refresh what the visible pane shows.
    Refresh { generation: u64 },
    /// Poll pending operations that are due.
    PollOperations,
    /// Drop toasts that have been shown long enough.
    ExpireToasts,
    /// Redraw relative times ("12s ago") and spinners while something is in flight.
    Spinner,
    /// A pane's own timer (audit polling, hiding a revealed secret); stale generations are ignored.
    Pane { pane: PaneId, generation: u64 },
}

/// What a user can ask for. Bound to keys in the keymap (names are `snake_case` there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    /// Close, clear or go back one step.
    Back,
    /// Like `Back`, but quits when there is nowhere left to go back to.
    BackOrQuit,
    CommandPalette,
    Filter,
    Help,
    Describe,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    NextPane,
    PrevPane,
    Pane1,
    Pane2,
    Pane3,
    Pane4,
    Pane5,
    Pane6,
    Pane7,
    Pane8,
    Pane9,
    Refresh,
    Open,
    Create,
    Edit,
    Delete,
    Mark,
    /// Mark every row from the last marked one to the selection.
    MarkRange,
    /// Mark every row the filter shows.
    MarkAll,
    /// Clear every mark.
    Unmark,
    /// Show every column, none dropped for a narrow screen.
    Wide,
    Suspend,
    Resume,
    Copy,
    Shell,
    SortNext,
    SortPrev,
    SortReverse,
    SuspendApp,
    /// Stage: up to the parent folder.
    Parent,
    Upload,
    Download,
    NewFolder,
    /// Move or rename.
    Move,
    /// A quick look at a file's first bytes.
    Preview,
    /// Transfers: cancel the selected one.
    Cancel,
    /// Transfers: try a failed one again.
    Retry,
    /// Transfers: remove finished batches from the list.
    ClearFinished,
    /// Secrets: show the value for a few seconds.
    Reveal,
    /// Groups: the group's storage DR.
    Recovery,
    /// Storage DR: fail over to the secondary region / back to the primary.
    Failover,
    Failback,
    /// Storage DR: start or stop pre-provisioning the secondary.
    PreProvision,
    /// Flow: show or hide deleted instances.
    ShowTerminated,
    /// Groups: the group's settings, identity and delegated entities.
    Settings,
    /// Audit log: follow new entries on/off.
    Follow,
    /// Write the visible list or log to a file.
    Save,
    /// Usage: move the time window back / forward.
    WindowPrev,
    WindowNext,
    /// Usage: a finer / coarser time window.
    ZoomIn,
    ZoomOut,
    /// Usage: workspace → group → organization.
    CycleScope,
    /// Usage: compute credits ↔ storage.
    CycleMetric,
    /// Audit log: the server-side filter form.
    FilterForm,
    /// Audit log: more / fewer lines of context around filter matches.
    ContextMore,
    ContextLess,
    /// Go to the object an entry names (workspace, group, team).
    Jump,
    /// More about the selection (outbound allow list, Kai endpoint, executions).
    Details,
    /// Starters: add a database user / drop one.
    AddUser,
    DropUser,
    /// Who holds which role on the selection (organization, group, secret, team).
    Access,
}

impl Action {
    /// Actions that lead to a change in the organization (refused up front in read-only mode).
    pub fn is_mutation(self) -> bool {
        use Action::*;
        matches!(self, Create | Edit | Delete | Suspend | Resume | Upload | NewFolder | Move | AddUser | DropUser)
    }

    /// The pane number of `Pane1`…`Pane9` (1-based).
    pub fn pane_number(self) -> Option<usize> {
        use Action::*;
        [Pane1, Pane2, Pane3, Pane4, Pane5, Pane6, Pane7, Pane8, Pane9].iter().position(|a| *a == self).map(|i| i + 1)
    }
}

/// A successful reply, by request.
#[derive(Debug)]
pub enum ApiReply {
    Organization(Organization),
    Regions(Vec<Region>),
    Groups(Vec<WorkspaceGroup>),
    Workspaces {
        groups: Vec<Uuid>,
        list: Vec<Workspace>,
        /// Groups whose list failed while others succeeded: (group, error).
        failed: Vec<(Uuid, String)>,
    },
    Workspace(Workspace),
    Group(WorkspaceGroup),
    /// The ID the API answered a mutation with.
    Mutated(Uuid),
    GroupCreated(WorkspaceGroupCreated),
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

/// Reported by the runner.
#[derive(Debug)]
pub enum TransferEvent {
    Progress { id: u64, done: u64, total: Option<u64> },
    Finished { id: u64, result: Result<u64, ApiError> },
    Planned { plan: u64, result: Result<Plan, String> },
}

/// Another profile, opened: a client on its API and its settings.
pub struct OpenedProfile {
    pub client: Client,
    pub info: SessionInfo,
    pub theme: Theme,
    pub warnings: Vec<String>,
}

/// How opening a profile ended, and which switch (numbered by the loop) it answers.
pub struct ProfileResult(pub Result<OpenedProfile, String>, pub u64);

impl std::fmt::Debug for ProfileResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Ok(p) => write!(f, "ProfileResult(Ok({}), {})", p.info.profile, self.1),
            Err(e) => write!(f, "ProfileResult(Err({e}), {})", self.1),
        }
    }
}
