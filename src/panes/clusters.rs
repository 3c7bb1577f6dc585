//! Clusters (API v2): the flat deployment that replaced a workspace group and its workspace.
//! Every cluster lives in a project; the list is ordered by project (or shows one project,
//! after drilling down from the projects pane). Suspend, resume, create, reconfigure,
//! terminate, copy the connection string, open a SQL shell, as the workspaces pane does at v1.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use uuid::Uuid;

use crate::api::ApiVersion;
use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::deployment::{
    self as deploy, DEPLOYMENT_TYPES, Deployment, MULTIPLIERS, SIZES, SUSPEND_TYPES, index_of, options,
};
use crate::panes::ops::{self, ClusterWants, Expect, OpKind, Planned};
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::{Failure, PaneId, Resource, age, short_id};
use crate::widgets::form::{self, Field, Form};
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::status;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Clusters), "s", Action::Suspend, "suspend", "Suspend the cluster (or the marked ones)"),
    (Context::Pane(PaneId::Clusters), "r", Action::Resume, "resume", "Resume the cluster (or the marked ones)"),
    (Context::Pane(PaneId::Clusters), "c", Action::Create, "create", "Create a cluster"),
    (Context::Pane(PaneId::Clusters), "e", Action::Edit, "edit", "Resize or reconfigure the cluster"),
    (Context::Pane(PaneId::Clusters), "ctrl-d", Action::Delete, "terminate", "Terminate the cluster (type its name to confirm)"),
    (Context::Pane(PaneId::Clusters), "space", Action::Mark, "mark", "Mark for a batch suspend or resume"),
    (Context::Pane(PaneId::Clusters), "ctrl-space", Action::MarkRange, "", "Mark every row from the last marked one to here"),
    (Context::Pane(PaneId::Clusters), "ctrl-a", Action::MarkAll, "", "Mark every row shown"),
    (Context::Pane(PaneId::Clusters), "ctrl-\\", Action::Unmark, "", "Clear every mark"),
    (Context::Pane(PaneId::Clusters), "y", Action::Copy, "copy", "Copy the connection string"),
    (Context::Pane(PaneId::Clusters), "x", Action::Shell, "sql", "Open a SQL shell on the cluster"),
    (Context::Pane(PaneId::Clusters), "a", Action::Access, "", "Who holds which role on the cluster (its group's access)"),
    (Context::Pane(PaneId::Clusters), "D", Action::Recovery, "", "Storage DR of the cluster's group: replicas, failover, failback"),
];

const NO_YES: [&str; 2] = ["no", "yes"];

/// What the create form offers: the organization's projects and `/v2/regions`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Choices {
    pub projects: Vec<Project>,
    pub regions: Vec<RegionV2>,
}

#[derive(Debug)]
pub struct ClustersPane {
    pub table: TableState,
    /// The project drilled into; `None` = every project.
    pub project: Option<Uuid>,
    pub choices: Resource<Choices>,
}

impl Default for ClustersPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("NAME", Constraint::Fill(2)).min(16),
                Column::new("PROJECT", Constraint::Fill(2)).min(12).optional(2),
                Column::new("SIZE", Constraint::Length(5)),
                Column::new("STATE", Constraint::Length(12)),
                Column::new("ENDPOINT", Constraint::Fill(3)).min(24).optional(4),
                Column::new("AUTO-SUSPEND", Constraint::Length(12)).optional(3),
                Column::new("CREATED", Constraint::Length(7)).optional(1),
                Column::new("RESUMED", Constraint::Length(7)).optional(5),
            ]),
            project: None,
            choices: Resource::default(),
        }
    }
}

impl ClustersPane {
    /// The name of project `id`, or its short ID while the projects are unknown.
    pub fn project_name(&self, id: Option<Uuid>) -> String {
        let Some(id) = id else { return "-".into() };
        self.choices
            .value
            .as_ref()
            .and_then(|c| c.projects.iter().find(|p| p.project_id == id))
            .map_or_else(|| short_id(id), |p| p.name.clone())
    }

    fn selected<'a>(&self, cx: &'a Ctx) -> Option<&'a Cluster> {
        let id = Uuid::parse_str(self.table.selected_key()?).ok()?;
        cx.data.cluster(id)
    }

    /// The marked clusters, or the selected one when nothing is marked.
    fn targets<'a>(&self, cx: &'a Ctx) -> Vec<&'a Cluster> {
        let marks = &self.table.marks;
        if marks.is_empty() {
            return self.selected(cx).into_iter().collect();
        }
        cx.data.clusters.value.iter().flatten().filter(|c| marks.contains(&c.cluster_id.to_string())).collect()
    }

    fn deployment(&self, c: &Cluster) -> Deployment {
        Deployment {
            id: c.cluster_id,
            name: c.name.clone(),
            state: c.state().to_string(),
            size: c.size().unwrap_or("-").to_string(),
            scale: c.scale_factor(),
            cache: c.cache(),
            scaling: c.scaling_progress,
            endpoint: c.endpoint.clone(),
            place: self.project_name(c.project_id),
        }
    }
}

fn auto_suspend(c: &Cluster) -> String {
    let a = c.auto_suspend.as_ref();
    deploy::auto_suspend(a.and_then(|a| a.suspend_type.as_ref()), a.and_then(ClusterAutoSuspend::after_seconds))
}

fn rebuild(p: &mut ClustersPane, cx: &Ctx) {
    let mut shown: Vec<&Cluster> = cx
        .data
        .clusters
        .value
        .iter()
        .flatten()
        .filter(|c| p.project.is_none_or(|id| c.project_id == Some(id)))
        .collect();
    // Grouped by project: the rows of one project stay together.
    shown.sort_by_cached_key(|c| (p.project_name(c.project_id), c.name.clone()));
    let rows = shown
        .into_iter()
        .map(|c| {
            let d = p.deployment(c);
            let (state, tone) = deploy::shown_state(cx, &d);
            Row::new(
                c.cluster_id.to_string(),
                vec![
                    c.name.clone(),
                    d.place,
                    d.size,
                    state,
                    c.endpoint.clone().unwrap_or_else(|| "-".into()),
                    auto_suspend(c),
                    c.created_at.as_deref().map_or("-".into(), |t| age(cx.wall, t)),
                    c.last_resumed_at.as_deref().map_or("-".into(), |t| age(cx.wall, t)),
                ],
            )
            .tone(3, tone)
        })
        .collect();
    p.table.set_rows(rows);
}

fn batch(p: &ClustersPane, cx: &mut Ctx, kind: OpKind) -> Vec<Effect> {
    let targets: Vec<Deployment> = p.targets(cx).into_iter().map(|c| p.deployment(c)).collect();
    let suspend = kind == OpKind::SuspendWorkspace;
    deploy::batch(cx, targets, kind, "cluster", |d| Planned {
        mutation: Mutation::Cluster(if suspend {
            ClustersChange::Suspend { id: d.id }
        } else {
            ClustersChange::Resume { id: d.id, disable_auto_suspend: false }
        }),
        kind,
        target: Some(d.id),
        name: d.name.clone(),
        expect: Expect::Cluster(ClusterWants::state(if suspend {
            ClusterState::Suspended
        } else {
            ClusterState::Active
        })),
    })
}

fn terminate(p: &ClustersPane, cx: &mut Ctx) {
    let Some(c) = p.selected(cx) else { return };
    let planned = Planned {
        mutation: Mutation::Cluster(ClustersChange::Terminate { id: c.cluster_id }),
        kind: OpKind::TerminateCluster,
        target: Some(c.cluster_id),
        name: c.name.clone(),
        expect: Expect::Cluster(ClusterWants::state(ClusterState::Terminated)),
    };
    let lines = vec![
        format!("Terminate cluster {} ({}, {})?", c.name, c.size().unwrap_or("-"), p.project_name(c.project_id)),
        "Its compute is released and its databases are detached. This cannot be undone.".into(),
    ];
    let name = c.name.clone();
    ops::confirm_typed(cx, "Terminate cluster", lines, name, planned);
}

/// Names the service accepts: lower-case letters, digits and hyphens, not at either end, 1–32.
pub fn cluster_name(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("required".into());
    }
    if s.len() > 32 {
        return Err("at most 32 characters".into());
    }
    if !s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err("only lower-case letters, digits and '-'".into());
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Err("cannot start or end with '-'".into());
    }
    Ok(())
}

/// Empty, or `DAY HOUR`: day 0–6 (0 = Sunday), hour 0–23 UTC.
pub fn update_window(s: &str) -> Result<(), String> {
    parse_window(s).map(|_| ())
}

fn parse_window(s: &str) -> Result<Option<UpdateWindow>, String> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let err = || "day 0–6 (0 = Sunday) and hour 0–23 UTC, e.g. 3 4".to_string();
    match parts.as_slice() {
        [] => Ok(None),
        [d, h] => match (d.parse::<u8>(), h.parse::<u8>()) {
            (Ok(day), Ok(hour)) if day <= 6 && hour <= 23 => Ok(Some(UpdateWindow { day, hour })),
            _ => Err(err()),
        },
        _ => Err(err()),
    }
}

fn window_text(w: Option<&UpdateWindow>) -> String {
    w.map_or(String::new(), |w| format!("{} {}", w.day, w.hour))
}

fn region_label(r: &RegionV2) -> String {
    format!("{} {}", r.provider, r.region_name)
}

fn ranges(form: &Form) -> Vec<String> {
    form::split_list(&form.value("firewall")).map(str::to_string).collect()
}

fn mult(v: Option<f64>) -> usize {
    index_of(&MULTIPLIERS, &format!("{}", v.unwrap_or(1.0) as u64))
}

fn open_create_form(p: &ClustersPane, cx: &mut Ctx) -> Vec<Effect> {
    let Some(choices) = p.choices.value.as_ref().filter(|c| !c.projects.is_empty() && !c.regions.is_empty()) else {
        cx.toasts.push(cx.now, Level::Info, "Loading projects and regions; press c again in a moment.");
        return Vec::new();
    };
    let projects: Vec<String> = choices.projects.iter().map(|p| p.name.clone()).collect();
    // The project drilled into, else the one v1 groups live in, else the first.
    let preselect = p
        .project
        .and_then(|id| choices.projects.iter().position(|x| x.project_id == id))
        .or_else(|| choices.projects.iter().position(|x| x.edition == Some(ProjectEdition::Standard)))
        .unwrap_or(0);
    let regions: Vec<String> = choices.regions.iter().map(region_label).collect();
    let form = Form::new(
        "Create cluster",
        vec![
            Field::choice("project", "Project", projects, preselect),
            Field::text("name", "Name", "").validate(cluster_name).hint("lower-case letters, digits and -"),
            Field::choice("region", "Region", regions, 0),
            Field::choice("size", "Size", options(&SIZES), 0),
            Field::choice("scale", "Scale factor", options(&MULTIPLIERS), 0),
            Field::choice("suspend", "Auto-suspend", options(&SUSPEND_TYPES), 1),
            Field::text("after", "Suspend after (s)", "3600").validate(form::seconds).hint("seconds, at least 60"),
            Field::text("firewall", "Firewall ranges", "")
                .validate(form::cidr_list)
                .hint("CIDRs, comma-separated; empty = no access, 0.0.0.0/0 = anyone"),
            Field::choice("deployment", "Deployment", options(&DEPLOYMENT_TYPES), 0),
            Field::text("expires", "Expires", "")
                .validate(form::expiry)
                .hint("empty = never; 2026-12-31, or a duration like 7d"),
            Field::text("window", "Update window", "").validate(update_window).hint("DAY HOUR (UTC), e.g. 3 4"),
            Field::choice("kai", "Kai (MongoDB API)", options(&NO_YES), 0),
            Field::choice("multiaz", "Multi-AZ", options(&NO_YES), 0),
        ],
    );
    cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
    deploy::form_estimate(cx, true)
}

fn auto_suspend_body(form: &Form) -> Result<Option<ClusterAutoSuspend>, String> {
    let kind = SuspendType::from_wire(&form.value("suspend"));
    let after: Option<f64> = form.value("after").trim().parse().ok();
    if kind != SuspendType::Disabled && after.is_none() {
        return Err("auto-suspend needs a number of seconds".into());
    }
    Ok(Some(ClusterAutoSuspend {
        suspend_after_seconds: after.filter(|_| kind != SuspendType::Disabled),
        suspend_type: Some(kind),
        ..ClusterAutoSuspend::default()
    }))
}

/// The create request for a submitted form.
pub fn planned_create(p: &ClustersPane, form: &Form) -> Result<Planned, String> {
    let choices = p.choices.value.as_ref().ok_or("the projects are not loaded")?;
    let project_name = form.value("project");
    let project = choices.projects.iter().find(|x| x.name == project_name).ok_or("choose a project")?;
    let region_label_value = form.value("region");
    let region = choices.regions.iter().find(|r| region_label(r) == region_label_value).ok_or("choose a region")?;
    let name = form.value("name").trim().to_string();
    let expires = form.value("expires").trim().to_string();
    let scale: f64 = form.value("scale").parse().unwrap_or(1.0);
    let firewall = ranges(form);
    let yes = |field: &str| (form.value(field) == "yes").then_some(true);
    let body = ClusterCreate {
        name: name.clone(),
        project_id: project.project_id,
        provider: Some(region.provider.clone()),
        region: region.region_name.clone(),
        firewall_ranges: firewall.clone(),
        size_config: Some(SizeConfig { size: Some(form.value("size")), scale_factor: Some(scale), cache_config: None }),
        auto_suspend: auto_suspend_body(form)?,
        deployment_type: Some(DeploymentType::from_wire(&form.value("deployment"))),
        expires_at: (!expires.is_empty()).then(|| form::expiry_for_api(&expires)),
        update_window: parse_window(&form.value("window"))?,
        kai: yes("kai"),
        multi_az: yes("multiaz"),
        ..ClusterCreate::default()
    };
    let wants = ClusterWants { firewall: Some(firewall), ..ClusterWants::state(ClusterState::Active) };
    Ok(Planned {
        mutation: Mutation::Cluster(ClustersChange::Create(body)),
        kind: OpKind::CreateCluster,
        target: None,
        name,
        expect: Expect::Cluster(wants),
    })
}

fn edit_form(c: &Cluster) -> Form {
    let size = c.size().unwrap_or("S-00").to_string();
    let mut sizes = options(&SIZES);
    if !sizes.contains(&size) {
        sizes.insert(0, size.clone());
    }
    let size_index = sizes.iter().position(|s| *s == size).unwrap_or(0);
    let a = c.auto_suspend.as_ref();
    let kind = a.and_then(|a| a.suspend_type.as_ref()).map_or("DISABLED".to_string(), |k| k.to_string());
    let after = a.and_then(ClusterAutoSuspend::after_seconds).map_or(String::new(), |s| format!("{}", s as u64));
    let firewall = c.effective_firewall().join(", ");
    let deployment = c.deployment_type.as_ref().map_or("PRODUCTION", |d| d.as_str());
    Form::new(
        format!("Edit cluster {}", c.name),
        vec![
            Field::choice("size", "Size", sizes, size_index),
            Field::choice("scale", "Scale factor", options(&MULTIPLIERS), mult(c.scale_factor())),
            Field::choice("cache", "Cache config", options(&MULTIPLIERS), mult(c.cache())),
            Field::choice("suspend", "Auto-suspend", options(&SUSPEND_TYPES), index_of(&SUSPEND_TYPES, &kind)),
            Field::text("after", "Suspend after (s)", &after).validate(form::seconds),
            Field::text("firewall", "Firewall ranges", &firewall)
                .validate(form::cidr_list)
                .unchanged_ok()
                .hint("CIDRs, comma-separated; empty = no access"),
            Field::choice(
                "deployment",
                "Deployment",
                options(&DEPLOYMENT_TYPES),
                index_of(&DEPLOYMENT_TYPES, deployment),
            ),
            Field::text("expires", "Expires", "")
                .validate(form::expiry)
                .hint("empty = keep; 2026-12-31, or a duration like 7d"),
            Field::text("window", "Update window", &window_text(c.update_window.as_ref()))
                .validate(update_window)
                .unchanged_ok()
                .hint("DAY HOUR (UTC), e.g. 3 4"),
            Field::choice("kai", "Kai (MongoDB API)", options(&NO_YES), usize::from(c.kai == Some(true))),
        ],
    )
}

/// The update for a submitted edit form (only what changed), and the lines that say what.
pub fn planned_update(cx: &Ctx, id: Uuid, form: &Form) -> Result<(Planned, Vec<String>), String> {
    let c = cx.data.cluster(id).ok_or("the cluster is gone")?;
    let mut body = ClusterUpdate::default();
    let mut diff = Vec::new();
    let mut wants = ClusterWants::state(ClusterState::Active);
    let num = |s: String| s.parse::<f64>().unwrap_or(1.0);
    let (size, scale) = (form.value("size"), num(form.value("scale")));
    let (old_size, old_scale) = (c.size().unwrap_or("-").to_string(), c.scale_factor().unwrap_or(1.0));
    if size != old_size || scale != old_scale {
        let mut sc = SizeConfig::default();
        if size != old_size {
            diff.push(format!("size: {old_size} → {size}"));
            sc.size = Some(size.clone());
            wants.size = Some(size);
        }
        if scale != old_scale {
            diff.push(format!("scale factor: {old_scale} → {scale}"));
            sc.scale_factor = Some(scale);
            wants.scale_factor = Some(scale);
        }
        body.size_config = Some(sc);
    }
    let cache = num(form.value("cache"));
    if cache != c.cache().unwrap_or(1.0) {
        diff.push(format!("cache config: {} → {cache}", c.cache().unwrap_or(1.0)));
        body.cache_config = Some(cache);
    }
    let suspend = auto_suspend_body(form)?;
    let new = suspend.as_ref().map(|s| (s.suspend_type.clone(), s.suspend_after_seconds));
    let a = c.auto_suspend.as_ref();
    let old_kind = a.and_then(|a| a.suspend_type.clone()).unwrap_or(SuspendType::Disabled);
    let old = Some((
        Some(old_kind.clone()),
        a.and_then(ClusterAutoSuspend::after_seconds).filter(|_| old_kind != SuspendType::Disabled),
    ));
    if new != old {
        diff.push(format!("auto-suspend: {} → {}", auto_suspend(c), form.value("suspend")));
        body.auto_suspend = suspend;
    }
    let new_ranges = ranges(form);
    if !c.firewall_applied(&new_ranges) {
        let shown = |r: &[String]| if r.is_empty() { "none".to_string() } else { r.join(", ") };
        diff.push(format!("firewall ranges: {} → {}", shown(&c.effective_firewall()), shown(&new_ranges)));
        body.firewall_ranges = Some(new_ranges.clone());
        wants.firewall = Some(new_ranges);
    }
    let deployment = DeploymentType::from_wire(&form.value("deployment"));
    if Some(&deployment) != c.deployment_type.as_ref() {
        diff.push(format!(
            "deployment: {} → {deployment}",
            c.deployment_type.as_ref().map_or("-", DeploymentType::as_str)
        ));
        body.deployment_type = Some(deployment);
    }
    let expires = form.value("expires").trim().to_string();
    if !expires.is_empty() {
        diff.push(format!("expires: → {expires}"));
        diff.push("⚠ the cluster is terminated when it expires".to_string());
        body.expires_at = Some(form::expiry_for_api(&expires));
    }
    let window = parse_window(&form.value("window"))?;
    if window.is_some() && window.as_ref() != c.update_window.as_ref() {
        diff.push(format!("update window: → {}", form.value("window")));
        body.update_window = window;
    }
    // Sending an unchanged Kai setting can fail on the service's side: only a change is sent.
    let kai = form.value("kai") == "yes";
    if kai != (c.kai == Some(true)) {
        diff.push(format!("kai: → {}", form.value("kai")));
        body.kai = Some(kai);
    }
    if body.is_empty() {
        return Err("nothing changed".into());
    }
    diff.push("The cluster goes back through PENDING; reads show the old values until the change lands.".into());
    Ok((
        Planned {
            mutation: Mutation::Cluster(ClustersChange::Update { id, body }),
            kind: OpKind::UpdateCluster,
            target: Some(id),
            name: c.name.clone(),
            expect: Expect::Cluster(wants),
        },
        diff,
    ))
}

/// Asks for the projects and regions once (and again when a form needs them after a failure).
fn read_choices(p: &mut ClustersPane, cx: &mut Ctx) -> Vec<Effect> {
    if p.choices.value.is_some() || p.choices.in_flight() {
        return Vec::new();
    }
    let Some(id) = p.choices.start(cx.requests, crate::state::Purpose::Pane(PaneId::Clusters)) else {
        return Vec::new();
    };
    vec![Effect::Fetch { id, fetch: Fetch::Clusters(ClustersRequest::Choices) }]
}

impl Pane for ClustersPane {
    const ID: PaneId = PaneId::Clusters;
    const TITLE: &'static str = "Clusters";
    const COMMAND: Option<Command> =
        Some(Command { name: "clusters", aliases: &["cl"], help: "Clusters of every project (API v2)" });
    const KEYS: &'static [KeyDef] = KEYS;
    const API: Option<ApiVersion> = Some(ApiVersion::V2);
    type Reply = ClustersReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        let mut effects: Vec<Effect> = cx.fetch(Fetch::Clusters(ClustersRequest::List)).into_iter().collect();
        effects.extend(read_choices(self, cx));
        effects
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<ClustersReply, ApiError>) -> Vec<Effect> {
        let result = match reply {
            Ok(ClustersReply::Choices { projects, regions }) => Ok(Choices { projects, regions }),
            Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), cx.now)),
            Err(e) => Err(Failure::from_api(&e, cx.now)),
        };
        if self.choices.accept(id, result, cx.now) {
            rebuild(self, cx);
        }
        Vec::new()
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        match action {
            Action::Suspend => batch(self, cx, OpKind::SuspendWorkspace),
            Action::Resume => batch(self, cx, OpKind::ResumeWorkspace),
            Action::Mark | Action::MarkRange | Action::MarkAll | Action::Unmark => {
                self.table.on_mark(action);
                Vec::new()
            }
            Action::Describe => {
                if let Some(c) = self.selected(cx) {
                    let value = serde_json::to_value(c).unwrap_or_default();
                    let view = JsonView::new(format!("cluster {}", c.name), &value);
                    cx.modals.push(Modal::Describe(view));
                }
                Vec::new()
            }
            Action::Copy => {
                let d = self.selected(cx).map(|c| self.deployment(c));
                deploy::copy(cx, d, "cluster")
            }
            Action::Shell => {
                let d = self.selected(cx).map(|c| self.deployment(c));
                deploy::shell(cx, d, "cluster")
            }
            // Roles are granted on the cluster's group, as at v1.
            Action::Access => match self.selected(cx).map(|c| (c.group_id, c.name.clone())) {
                Some((Some(group), name)) => {
                    // A group holding other clusters grants to them too: the title says so.
                    let all = cx.data.clusters.value.iter().flatten();
                    let others: Vec<&str> = all
                        .filter(|c| c.group_id == Some(group) && c.name != name && !c.is_terminated())
                        .map(|c| c.name.as_str())
                        .collect();
                    let name = match others.as_slice() {
                        [] => name,
                        _ => format!("{name} (and {}, in its group)", others.join(", ")),
                    };
                    super::access::open(cx, ResourceRef::new(ResourceType::Cluster, group), name);
                    Vec::new()
                }
                Some((None, name)) => {
                    cx.toast(Level::Error, format!("The API names no group for {name}: its access cannot be read."));
                    Vec::new()
                }
                None => Vec::new(),
            },
            // Storage DR belongs to the cluster's group.
            Action::Recovery => match self.selected(cx).map(|c| (c.group_id, c.name.clone())) {
                Some((Some(group), _)) => {
                    cx.go(PaneId::Dr, Some(group));
                    Vec::new()
                }
                Some((None, name)) => {
                    cx.toast(
                        Level::Error,
                        format!("The API names no group for {name}: its storage DR cannot be read."),
                    );
                    Vec::new()
                }
                None => Vec::new(),
            },
            Action::Delete => {
                terminate(self, cx);
                Vec::new()
            }
            Action::Create => {
                let mut effects = read_choices(self, cx);
                effects.extend(open_create_form(self, cx));
                effects
            }
            Action::Edit => match self.selected(cx) {
                Some(c) if c.state() == ClusterState::Active && cx.ops.pending_for(c.cluster_id).is_none() => {
                    let (form, id) = (edit_form(c), c.cluster_id);
                    cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Edit(id), request: None }));
                    deploy::form_estimate(cx, true)
                }
                Some(c) => {
                    let msg = format!("{} is {}: only an ACTIVE cluster can be changed", c.name, c.state());
                    cx.toasts.push(cx.now, Level::Error, msg);
                    Vec::new()
                }
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        let planned = match purpose {
            // A cluster is billed while it runs: the create is confirmed with what it costs.
            FormPurpose::Create => match planned_create(self, &f.form) {
                Ok(planned) => {
                    let (size, project) = (f.form.value("size"), f.form.value("project"));
                    let what = format!("Create cluster {} ({size}) in project {project}?", planned.name);
                    return deploy::confirm_create(cx, "Create cluster", what, planned);
                }
                Err(e) => Err(e),
            },
            FormPurpose::Edit(id) => planned_update(cx, id, &f.form).map(|(p, diff)| (p, Some(diff))),
            _ => return Vec::new(),
        };
        super::ops::submit(cx, planned)
    }

    fn on_form_edit(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        deploy::form_estimate(cx, false)
    }

    fn place(&self) -> Option<Uuid> {
        self.project
    }

    fn arrive(&mut self, cx: &mut Ctx, place: Option<Uuid>) -> Vec<Effect> {
        if self.project != place {
            self.project = place;
            deploy::clear_for_new_scope(&mut self.table);
            rebuild(self, cx);
            self.table.top();
        }
        Vec::new()
    }

    fn breadcrumbs(&self, _view: &View) -> Option<Vec<String>> {
        let id = self.project?;
        Some(vec![PaneId::Projects.title().to_string(), self.project_name(Some(id)), Self::TITLE.to_string()])
    }

    fn rebuild(&mut self, cx: &Ctx) {
        rebuild(self, cx);
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn freshness(&self, view: &View) -> Option<Option<std::time::Instant>> {
        Some(view.data.clusters.fetched_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let t = &view.theme;
        let scope = match self.project {
            Some(id) => format!("project {}", self.project_name(Some(id))),
            None => "all projects".to_string(),
        };
        let clusters = &view.data.clusters;
        let mut title = vec![
            Span::styled(" Clusters ", t.title),
            Span::styled(format!("({scope}) [{}/{}] ", self.table.len(), self.table.total()), t.dim),
        ];
        title.extend(status::stale(clusters, view.now, t));
        let none = "No clusters. Press c to create one.";
        let empty = status::empty("clusters", clusters, none, view.requests.next_refresh, view.now);
        table::render(frame, area, &self.table, t, Line::from(title), &empty);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names_and_windows_are_checked_as_the_service_does() {
        assert!(cluster_name("analytics-2").is_ok());
        assert!(cluster_name("Analytics").is_err());
        assert!(cluster_name("-a").is_err());
        assert!(cluster_name(&"a".repeat(33)).is_err());
        assert_eq!(parse_window("3 4"), Ok(Some(UpdateWindow { day: 3, hour: 4 })));
        assert_eq!(parse_window(""), Ok(None));
        assert!(parse_window("7 1").is_err() && parse_window("1 24").is_err() && parse_window("x").is_err());
    }

    fn read(json: &str) -> crate::effect::ApiReply {
        crate::effect::ApiReply::Clusters(ClustersReply::One(serde_json::from_str(json).unwrap()))
    }

    #[test]
    fn active_is_not_done_until_the_firewall_and_size_are_read_back() {
        let wants = ClusterWants {
            firewall: Some(vec![ALLOW_ALL.to_string()]),
            size: Some("S-1".into()),
            ..ClusterWants::state(ClusterState::Active)
        };
        let expect = Expect::Cluster(wants);
        let id = r#""clusterID":"3ca3d359-021d-45ed-86cb-38b8d14ac507","name":"a""#;
        let pending = expect.judge(&read(&format!(r#"{{{id},"state":"PENDING","sizeConfig":{{"size":"S-00"}}}}"#)));
        assert_eq!(pending.map(|s| (s.state, s.reached)), Some(("PENDING".to_string(), false)));
        let lagging = expect
            .judge(&read(&format!(
                r#"{{{id},"state":"ACTIVE","sizeConfig":{{"size":"S-1"}},"firewallRanges":[],"allowAllTraffic":null}}"#
            )))
            .unwrap();
        assert_eq!(lagging.state, "ACTIVE, firewall not applied yet");
        assert!(!lagging.reached && !lagging.failed);
        let done = expect
            .judge(&read(&format!(r#"{{{id},"state":"ACTIVE","sizeConfig":{{"size":"S-1"}},"allowAllTraffic":true}}"#)))
            .unwrap();
        assert!(done.reached, "0.0.0.0/0 reads back as allowAllTraffic");
        let gone = Expect::Cluster(ClusterWants::state(ClusterState::Terminated))
            .judge(&read(&format!(r#"{{{id},"state":"ACTIVE","terminatedAt":"2026-09-17T13:42:41Z"}}"#)))
            .unwrap();
        assert!(gone.reached, "terminatedAt counts as terminated");
    }
}
