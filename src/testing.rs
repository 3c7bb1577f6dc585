//! Fixtures shared by tests and benchmarks: a dashboard `State` with fixed clocks, a small
//! deterministic organization (fixed IDs, times relative to a fixed wall clock), an in-memory
//! answer to every read the dashboard makes, and helpers to press keys and render frames.
//!
//! Nothing here touches a terminal or the network, so `update` and `render` can be driven
//! exactly as the loop drives them and the result compared byte for byte.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{ApiReply, Effect, Fetch, Mutation};
use crate::keymap::{KeyCombo, Keymap};
use crate::msg::{Msg, RequestId};
use crate::state::{SessionInfo, State};
use crate::theme::Theme;
use crate::widgets::table::TableState;
use crate::{update, view};

/// The wall clock of every fixture: 2025-06-01 12:00:00 UTC.
pub const WALL_SECS: i64 = 1_748_779_200;

pub fn wall() -> DateTime<Utc> {
    DateTime::from_timestamp(WALL_SECS, 0).unwrap_or_default()
}

/// The monotonic "now" of every fixture. An `Instant` cannot be built from a constant, so one
/// is taken once per process; everything shown is a difference from it, never its value.
pub fn base_instant() -> Instant {
    static BASE: OnceLock<Instant> = OnceLock::new();
    *BASE.get_or_init(Instant::now)
}

/// `secs` before the fixture wall clock, formatted the way the API sends times.
pub fn ago(secs: i64) -> String {
    format_time(wall() - chrono::Duration::seconds(secs))
}

/// `secs` after the fixture wall clock.
pub fn ahead(secs: i64) -> String {
    format_time(wall() + chrono::Duration::seconds(secs))
}

const DAY: i64 = 86_400;
const HOUR: i64 = 3600;

/// IDs that read well on screen: the first block names the kind and the index
/// (`a0000001` is group 1, `b0000002` workspace 2, `c0000003` region 3).
fn fixed_id(kind: u32, index: u32) -> Uuid {
    let head = u128::from((kind << 28) | (index & 0x0fff_ffff));
    Uuid::from_u128((head << 96) | 0x0000_4000_8000_0000_0000_0000)
}

pub fn group_id(i: u32) -> Uuid {
    fixed_id(0xa, i)
}

pub fn workspace_id(i: u32) -> Uuid {
    fixed_id(0xb, i)
}

pub fn region_id(i: u32) -> Uuid {
    fixed_id(0xc, i)
}

pub fn org_id() -> Uuid {
    fixed_id(0xd, 1)
}

pub fn project_id(i: u32) -> Uuid {
    fixed_id(0xe, i)
}

pub fn starter_id(i: u32) -> Uuid {
    fixed_id(0xf, i)
}

/// The three projects an organization is provisioned with.
pub fn projects() -> Vec<Project> {
    [("Shared Project", ProjectEdition::Shared), ("Standard Project", ProjectEdition::Standard)]
        .into_iter()
        .chain([("Enterprise Project", ProjectEdition::Enterprise)])
        .zip(1..)
        .map(|((name, edition), i)| Project {
            project_id: project_id(i),
            name: name.into(),
            edition: Some(edition),
            created_at: Some(ago(400 * DAY)),
            extra: Extra::new(),
        })
        .collect()
}

/// Workspace `ws` of `group` seen the v2 way: the same ID, the group's settings folded in. Group
/// 2 (`etl`) is in the Enterprise project, the others in the Standard one.
pub fn cluster_of(ws: &Workspace, group: Option<&WorkspaceGroup>) -> Cluster {
    let project = if ws.workspace_group_id == group_id(2) { project_id(3) } else { project_id(2) };
    let state = ClusterState::from_wire(ws.state.as_str());
    Cluster {
        cluster_id: ws.workspace_id,
        name: ws.name.clone(),
        group_id: Some(ws.workspace_group_id),
        project_id: Some(project),
        state: Some(state),
        size_config: Some(SizeConfig {
            size: Some(ws.size.clone()),
            scale_factor: ws.scale_factor,
            cache_config: None,
        }),
        cache_config: ws.cache_config,
        provider: group.map(|g| g.provider.clone()),
        region: group.map(|g| g.region_name.clone()),
        endpoint: ws.endpoint.clone(),
        firewall_ranges: group.and_then(|g| g.firewall_ranges.clone()),
        allow_all_traffic: group.and_then(|g| g.allow_all_traffic),
        created_at: Some(ws.created_at.clone()),
        terminated_at: None,
        last_resumed_at: ws.last_resumed_at.clone(),
        expires_at: None,
        deployment_type: ws.deployment_type.clone(),
        kai: ws.kai_enabled,
        multi_az: Some(false),
        opt_in_preview_feature: None,
        outbound_allow_list: None,
        update_window: group.and_then(|g| g.update_window),
        auto_suspend: ws.auto_suspend.as_ref().map(|a| ClusterAutoSuspend {
            suspend_type: Some(a.suspend_type.clone()),
            idle_after_seconds: a.idle_after_seconds,
            ..ClusterAutoSuspend::default()
        }),
        auto_scale: ws.auto_scale.clone(),
        resume_attachments: None,
        scaling_progress: ws.scaling_progress,
        smart_dr_status: None,
        extra: Extra::new(),
    }
}

/// Two starter deployments in the Shared project.
pub fn starters() -> Vec<StarterCluster> {
    [("sandbox-starter", "sandbox_db"), ("docs-playground", "playground")]
        .into_iter()
        .zip(1..)
        .map(|((name, db), i)| StarterCluster {
            virtual_cluster_id: starter_id(i),
            name: name.into(),
            database_name: Some(db.into()),
            endpoint: Some(format!(
                "svc-{}-shared-dml.aws-virginia-6.svc.singlestore.com",
                &starter_id(i).to_string()[..8]
            )),
            mysql_dml_port: Some(3333),
            websocket_port: Some(443),
            project_id: Some(project_id(1)),
            extra: Extra::new(),
        })
        .collect()
}

/// The regions of `/v2/regions` (and the shared tier's).
pub fn regions_v2() -> Vec<RegionV2> {
    regions()
        .into_iter()
        .map(|r| RegionV2 { region: r.region.clone(), region_name: r.region, provider: r.provider })
        .collect()
}

pub fn organization() -> Organization {
    Organization { org_id: org_id(), name: Some("Acme Analytics".into()), firewall_ranges: None, extra: Extra::new() }
}

pub fn regions() -> Vec<Region> {
    vec![
        Region { region_id: region_id(1), region: "us-east-1".into(), provider: Provider::Aws },
        Region { region_id: region_id(2), region: "europe-west1".into(), provider: Provider::Gcp },
        Region { region_id: region_id(3), region: "eastus".into(), provider: Provider::Azure },
    ]
}

/// A group; `region` is an index into [`regions`] (1-based).
pub fn group(i: u32, name: &str, region: u32, state: WorkspaceGroupState, created_secs_ago: i64) -> WorkspaceGroup {
    let r = regions().into_iter().nth(region.saturating_sub(1) as usize).unwrap_or_else(|| regions().remove(0));
    WorkspaceGroup {
        workspace_group_id: group_id(i),
        name: name.into(),
        state,
        created_at: ago(created_secs_ago),
        provider: r.provider,
        region_id: r.region_id,
        region_name: r.region,
        allow_all_traffic: Some(false),
        deployment_type: Some(DeploymentType::Production),
        expires_at: None,
        firewall_ranges: Some(vec!["10.0.0.0/8".into()]),
        high_availability_two_zones: Some(false),
        opt_in_preview_feature: None,
        outbound_allow_list: None,
        project_id: None,
        project_name: None,
        smart_dr_status: None,
        terminated_at: None,
        update_window: Some(UpdateWindow { day: 6, hour: 3 }),
        extra: Extra::new(),
    }
}

/// Three ACTIVE groups: `analytics` (AWS), `etl` (GCP, non-production, expires in 7 days) and
/// `sandbox` (Azure, no workspaces).
pub fn groups() -> Vec<WorkspaceGroup> {
    let analytics = group(1, "analytics", 1, WorkspaceGroupState::Active, 120 * DAY);
    let mut etl = group(2, "etl", 2, WorkspaceGroupState::Active, 30 * DAY);
    etl.deployment_type = Some(DeploymentType::NonProduction);
    etl.expires_at = Some(ahead(7 * DAY));
    let mut sandbox = group(3, "sandbox", 3, WorkspaceGroupState::Active, 2 * DAY);
    sandbox.firewall_ranges = Some(Vec::new());
    vec![analytics, etl, sandbox]
}

/// A workspace in group `group` (1-based index of [`groups`]).
pub fn workspace(i: u32, group: u32, name: &str, size: &str, state: WorkspaceState) -> Workspace {
    let id = workspace_id(i);
    let active = state == WorkspaceState::Active;
    Workspace {
        workspace_id: id,
        workspace_group_id: group_id(group),
        name: name.into(),
        size: size.into(),
        state,
        created_at: ago(i64::from(i) * 5 * DAY + HOUR),
        auto_scale: None,
        auto_suspend: Some(AutoSuspend {
            suspend_type: SuspendType::Idle,
            idle_after_seconds: Some(3600.0),
            idle_changed_at: None,
            scheduled_after_seconds: None,
            scheduled_changed_at: None,
            scheduled_suspend_at: None,
            suspend_type_changed_at: None,
        }),
        cache_config: Some(1.0),
        deployment_type: Some(DeploymentType::Production),
        endpoint: Some(format!("svc-{}-dml.aws-virginia-6.svc.singlestore.com", &id.to_string()[..8])),
        kai_enabled: Some(false),
        last_resumed_at: active.then(|| ago(i64::from(i) * HOUR)),
        resume_attachments: None,
        scale_factor: Some(1.0),
        scaling_progress: None,
        terminated_at: None,
        extra: Extra::new(),
    }
}

/// Six workspaces: three in `analytics`, three in `etl`, none in `sandbox`. Sizes differ in
/// value so a sort by size has one answer.
pub fn sample_workspaces() -> Vec<Workspace> {
    let mut ml = workspace(3, 1, "ml-training", "S-8", WorkspaceState::Active);
    ml.auto_suspend = None;
    ml.auto_scale = Some(AutoScale {
        max_scale_factor: Some(2.0),
        sensitivity: Some(AutoScaleSensitivity::Normal),
        ..AutoScale::default()
    });
    let mut staging = workspace(6, 2, "staging", "S-16", WorkspaceState::Pending);
    staging.endpoint = None;
    vec![
        workspace(1, 1, "reporting", "S-2", WorkspaceState::Active),
        workspace(2, 1, "dashboards", "S-1", WorkspaceState::Suspended),
        ml,
        workspace(4, 2, "ingest", "S-4", WorkspaceState::Active),
        workspace(5, 2, "nightly-batch", "S-00", WorkspaceState::Suspended),
        staging,
    ]
}

/// `n` workspaces spread over [`groups`], for benchmarks and tests of long lists.
pub fn workspaces(n: usize) -> Vec<Workspace> {
    const SIZES: [&str; 6] = ["S-00", "S-1", "S-2", "S-4", "S-8", "S-16"];
    (0..n)
        .map(|i| {
            let state = if i % 3 == 2 { WorkspaceState::Suspended } else { WorkspaceState::Active };
            let index = i as u32 + 1;
            workspace(index, (i % 3) as u32 + 1, &format!("ws-{index:05}"), SIZES[i % SIZES.len()], state)
        })
        .collect()
}

/// What the organization holds; it answers the dashboard's reads.
#[derive(Debug, Clone)]
pub struct Org {
    pub org: Organization,
    pub regions: Vec<Region>,
    pub groups: Vec<WorkspaceGroup>,
    pub workspaces: Vec<Workspace>,
}

impl Default for Org {
    fn default() -> Self {
        Self { org: organization(), regions: regions(), groups: groups(), workspaces: sample_workspaces() }
    }
}

impl Org {
    /// The workspaces seen the v2 way, as clusters.
    pub fn clusters(&self) -> Vec<Cluster> {
        let group = |id: Uuid| self.groups.iter().find(|g| g.workspace_group_id == id);
        self.workspaces.iter().map(|w| cluster_of(w, group(w.workspace_group_id))).collect()
    }

    /// The default groups with `n` generated workspaces.
    pub fn with_workspaces(n: usize) -> Self {
        Self { workspaces: workspaces(n), ..Self::default() }
    }

    /// The reply the API would give to `fetch`.
    pub fn reply(&self, fetch: &Fetch) -> Result<ApiReply, ApiError> {
        let not_found = |what: &str, id: Uuid| {
            ApiError::from_status(404, &format!("{what} not found"), "GET", &format!("/v1/{what}s/{id}"), None)
        };
        Ok(match fetch {
            Fetch::Organization => ApiReply::Organization(self.org.clone()),
            Fetch::Regions => ApiReply::Regions(self.regions.clone()),
            Fetch::Groups => ApiReply::Groups(self.groups.clone()),
            Fetch::Workspaces { groups } => ApiReply::Workspaces {
                groups: groups.clone(),
                list: self.workspaces.iter().filter(|w| groups.contains(&w.workspace_group_id)).cloned().collect(),
                failed: Vec::new(),
            },
            Fetch::Workspace(id) => ApiReply::Workspace(
                self.workspaces
                    .iter()
                    .find(|w| w.workspace_id == *id)
                    .cloned()
                    .ok_or_else(|| not_found("workspace", *id))?,
            ),
            Fetch::Group(id) => ApiReply::Group(
                self.groups
                    .iter()
                    .find(|g| g.workspace_group_id == *id)
                    .cloned()
                    .ok_or_else(|| not_found("workspaceGroup", *id))?,
            ),
            Fetch::Clusters(ClustersRequest::List) => ApiReply::Clusters(ClustersReply::List(self.clusters())),
            Fetch::Clusters(ClustersRequest::Get(id)) => ApiReply::Clusters(ClustersReply::One(Box::new(
                self.clusters().into_iter().find(|c| c.cluster_id == *id).ok_or_else(|| not_found("cluster", *id))?,
            ))),
            Fetch::Clusters(ClustersRequest::Choices) => {
                ApiReply::Clusters(ClustersReply::Choices { projects: projects(), regions: regions_v2() })
            }
            Fetch::Projects(ProjectsRequest::List) => ApiReply::Projects(ProjectsReply::List(projects())),
            Fetch::Projects(ProjectsRequest::Starters) => ApiReply::Projects(ProjectsReply::Starters(starters())),
            Fetch::Starters(StartersRequest::List) => {
                ApiReply::Starters(StartersReply::List { starters: starters(), regions: regions_v2() })
            }
            // The other panes read resources this fixture does not hold.
            other => {
                let what = format!("{other:?}");
                let name = what.split('(').next().unwrap_or("resource").to_ascii_lowercase();
                return Err(ApiError::from_status(404, "not in the fixture", "GET", &format!("/v1/{name}"), None));
            }
        })
    }
}

/// A session against the public API with the default profile, as the header shows it.
pub fn session() -> SessionInfo {
    SessionInfo::default()
}

/// A state with fixed clocks and nothing loaded yet (every resource is loading).
pub fn empty_state(session: SessionInfo) -> State {
    State::new(session, Keymap::default(), Theme::dark(), base_instant(), wall())
}

/// A state that started like the real dashboard (`update::init`) and had every read answered
/// by `org`. Effects other than reads (timers) are dropped.
pub fn loaded_with(session: SessionInfo, org: &Org) -> State {
    let mut state = empty_state(session);
    let effects = update::init(&mut state);
    serve(&mut state, org, effects);
    state
}

/// [`loaded_with`] the default session and the default organization.
pub fn loaded() -> State {
    loaded_with(session(), &Org::default())
}

/// Answers every read in `effects` (and the reads those answers cause) from `org`; returns
/// the other effects in the order they were produced.
pub fn serve(state: &mut State, org: &Org, effects: Vec<Effect>) -> Vec<Effect> {
    let mut rest = Vec::new();
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        match effect {
            Effect::Fetch { id, fetch } => {
                queue.extend(update::update(state, Msg::Api { id, reply: org.reply(&fetch) }))
            }
            other => rest.push(other),
        }
    }
    rest
}

/// Parses a key as the keymap file writes it (`j`, `G`, `ctrl-d`, `shift-tab`, `space`) into
/// the event a terminal sends for it.
pub fn key(spec: &str) -> KeyEvent {
    let combo: KeyCombo = spec.parse().unwrap_or_else(|e| panic!("bad key {spec:?}: {e}"));
    match combo.code {
        // Terminals send shift-tab as BackTab.
        KeyCode::Tab if combo.mods.contains(KeyModifiers::SHIFT) => KeyEvent::new(KeyCode::BackTab, combo.mods),
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyEvent::new(combo.code, combo.mods | KeyModifiers::SHIFT),
        _ => KeyEvent::new(combo.code, combo.mods),
    }
}

/// Feeds one key to `update`.
pub fn press(state: &mut State, spec: &str) -> Vec<Effect> {
    update::update(state, Msg::Input(Event::Key(key(spec))))
}

/// Feeds several keys, separated by spaces (`": w g enter"`); returns every effect.
pub fn keys(state: &mut State, specs: &str) -> Vec<Effect> {
    specs.split_whitespace().flat_map(|k| press(state, k)).collect()
}

/// Types `text` one character at a time, as a terminal sends it.
pub fn type_text(state: &mut State, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| {
            let mods = if c.is_ascii_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
            update::update(state, Msg::Input(Event::Key(KeyEvent::new(KeyCode::Char(c), mods))))
        })
        .collect()
}

/// Feeds the reply to request `id`.
pub fn reply(state: &mut State, id: RequestId, reply: Result<ApiReply, ApiError>) -> Vec<Effect> {
    update::update(state, Msg::Api { id, reply })
}

/// The mutations among `effects`, with their request IDs.
pub fn mutations(effects: &[Effect]) -> Vec<(RequestId, &Mutation)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate { id, mutation } => Some((*id, mutation)),
            _ => None,
        })
        .collect()
}

/// The reads among `effects`, with their request IDs.
pub fn fetches(effects: &[Effect]) -> Vec<(RequestId, &Fetch)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { id, fetch } => Some((*id, fetch)),
            _ => None,
        })
        .collect()
}

/// Effects that reach outside the process (requests, clipboard, bell, shell, quit); timers are
/// bookkeeping and left out.
pub fn outward(effects: &[Effect]) -> Vec<&Effect> {
    effects.iter().filter(|e| !matches!(e, Effect::Timer { .. })).collect()
}

/// Selects the row whose first cell is `name` in `table` (clearing nothing); false if hidden.
pub fn select_name(table: &mut TableState, name: &str) -> bool {
    let key = table.rows().iter().find(|r| r.cells.first().is_some_and(|c| c == name)).map(|r| r.key.clone());
    key.is_some_and(|k| table.select_key(&k))
}

/// The first cell of every row the table shows, in order (filtered and sorted).
pub fn visible_names(table: &mut TableState) -> Vec<String> {
    let keep = table.selected_index();
    table.top();
    let mut names = Vec::with_capacity(table.len());
    for i in 0..table.len() {
        if i > 0 {
            table.down(1);
        }
        if let Some(row) = table.selected_row() {
            names.push(row.cells.first().cloned().unwrap_or_default());
        }
    }
    table.top();
    table.down(keep);
    names
}

/// Moves the fixture clocks forward.
pub fn advance(state: &mut State, by: Duration) {
    state.now += by;
    state.wall += chrono::Duration::from_std(by).unwrap_or_default();
}

/// Draws one frame at `width` × `height` and returns the screen as text, one quoted line per row.
pub fn render(state: &mut State, width: u16, height: u16) -> String {
    state.size = (width, height);
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(never) => match never {},
    };
    if let Err(never) = terminal.draw(|f| view::render(f, state)) {
        match never {}
    }
    terminal.backend().to_string()
}

/// The dashboard loop without a terminal: the real `update` and the real effect runner against a
/// real API (usually the simulator). Tests, the fault matrix and the README pictures drive it.
pub struct Headless {
    dash: crate::app::Dashboard,
    inbox: tokio::sync::mpsc::UnboundedReceiver<Msg>,
}

/// `h.state` reads and changes the dashboard's state, as the loop's own does.
impl std::ops::Deref for Headless {
    type Target = crate::app::Dashboard;

    fn deref(&self) -> &crate::app::Dashboard {
        &self.dash
    }
}

impl std::ops::DerefMut for Headless {
    fn deref_mut(&mut self) -> &mut crate::app::Dashboard {
        &mut self.dash
    }
}

impl Headless {
    /// A dashboard on `client`; call [`Headless::start`] to send its first reads.
    pub fn new(client: crate::api::client::Client, session: SessionInfo) -> Self {
        let (tx, inbox) = tokio::sync::mpsc::unbounded_channel();
        let state = State::new(session, Keymap::default(), Theme::dark(), Instant::now(), Utc::now());
        Self { dash: crate::app::Dashboard::new(client, state, tx, None), inbox }
    }

    pub fn start(&mut self) {
        // Terminal effects (bell, clipboard, shell) have no terminal here.
        let _ = self.dash.start();
    }

    /// Carries out effects the way the loop does.
    pub fn run(&mut self, effects: Vec<Effect>) {
        let _ = self.dash.run(effects);
    }

    /// Feeds a message as the loop does.
    pub fn feed(&mut self, msg: Msg) {
        let _ = self.dash.handle(msg);
    }

    /// Presses keys (see [`keys`]).
    pub fn press(&mut self, specs: &str) {
        for spec in specs.split_whitespace() {
            self.feed(Msg::Input(Event::Key(key(spec))));
        }
    }

    /// Types text into whatever has the keyboard.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.feed(Msg::Input(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))));
        }
    }

    /// Runs the loop until `done` holds; false if the deadline passes first.
    pub async fn until(&mut self, deadline: Instant, mut done: impl FnMut(&State) -> bool) -> bool {
        loop {
            if done(&self.dash.state) {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(Some(msg)) = tokio::time::timeout(left, self.inbox.recv()).await else {
                return done(&self.dash.state);
            };
            self.feed(msg);
        }
    }

    /// Runs the loop until nothing is in flight (or the deadline passes).
    pub async fn settle(&mut self, deadline: Instant) -> bool {
        self.until(deadline, |s| s.requests.inflight.is_empty()).await
    }

    /// From now on the dashboard's clocks move only by [`Headless::advance`]; call it before
    /// [`Headless::start`] so that the first refresh timer waits for it too.
    pub fn hold_clock(&mut self) {
        self.dash.hold_clock();
    }

    /// Moves the held clocks `by` forward: each timer fires when the clock reaches it, and the
    /// requests it starts are answered (real HTTP, within `deadline`) before the clock moves on.
    pub async fn advance(&mut self, by: Duration, deadline: Instant) -> bool {
        let until = self.dash.state.now + by;
        while let Some(timer) = self.dash.next_timer(until) {
            self.feed(Msg::Timer(timer));
            if !self.settle(deadline).await {
                return false;
            }
        }
        true
    }
}
