//! Storage DR of one workspace group (`D` on a group): the secondary region, each replicated
//! database's state, which group serves writes, and the latest failover, failback or
//! pre-provisioning step with its progress. Set up, fail over and back, pre-provision, and set
//! the retention period; every change is confirmed and followed in the operations tracker.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId, Timer};
use crate::panes::ops::{self, Expect, OpKind, Planned};
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::{Data, Failure, PaneId, Purpose, Resource, human_duration};
use crate::theme::tone_of;
use crate::widgets::form::{self, Field, Form};
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Dr), "c", Action::Create, "set up", "Set up storage DR: secondary region and databases"),
    (Context::Pane(PaneId::Dr), "F", Action::Failover, "failover", "Fail over to the secondary region (type the group's name)"),
    (Context::Pane(PaneId::Dr), "B", Action::Failback, "failback", "Fail back to the primary region (type the group's name)"),
    (Context::Pane(PaneId::Dr), "P", Action::PreProvision, "pre-provision", "Start or stop pre-provisioning the secondary's compute"),
    (Context::Pane(PaneId::Dr), "e", Action::Edit, "retention", "Set the storage retention period"),
];

/// How often the view reads the status while something moves (replication or an operation).
const MOVING_EVERY: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub struct DrPane {
    pub group: Option<Uuid>,
    /// `Some(None)`: the API says DR is not set up.
    pub status: Resource<Option<StorageDrStatus>>,
    /// Eligible secondary regions, read when the setup form is asked for.
    pub regions: Resource<Vec<Region>>,
    /// The setup form waits for the regions.
    setup_asked: bool,
    pub table: TableState,
    timer_generation: u64,
}

impl Default for DrPane {
    fn default() -> Self {
        Self {
            group: None,
            status: Resource::default(),
            regions: Resource::default(),
            setup_asked: false,
            table: TableState::new(vec![
                Column::new("DATABASE", Constraint::Fill(2)).min(16),
                Column::new("REPLICA REGION", Constraint::Fill(1)).min(14),
                Column::new("REPLICATION", Constraint::Length(12)),
            ]),
            timer_generation: 0,
        }
    }
}

/// The group that serves writes, as the groups list reports it.
pub fn serving(data: &Data, primary: Uuid, status: &StorageDrStatus) -> Option<Uuid> {
    status.serving(primary, |id| data.group(id).and_then(|g| g.smart_dr_status.clone()))
}

fn group_label(data: &Data, id: Uuid) -> String {
    match data.group(id) {
        Some(g) => format!("{} ({})", g.name, g.region_name),
        None => id.to_string(),
    }
}

/// Replication or an operation is under way: worth reading again soon.
fn moving(s: &StorageDrStatus) -> bool {
    s.compute.as_ref().is_some_and(|c| c.storage_dr_state == DrState::Active)
        || s.storage
            .iter()
            .any(|d| matches!(d.duplication_state, DuplicationState::Pending | DuplicationState::Inactive))
}

impl DrPane {
    fn current(&self) -> Option<&StorageDrStatus> {
        self.status.value.as_ref().and_then(Option::as_ref)
    }

    /// A status read by the tracker's polls: shown at once when it is this view's group.
    pub fn merge(&mut self, cx: &mut Ctx, group: Uuid, status: Option<StorageDrStatus>) {
        if self.group == Some(group) {
            self.status.value = Some(status);
            self.rebuild(cx);
        }
    }

    fn open_setup(&mut self, cx: &mut Ctx, group: Uuid) -> Vec<Effect> {
        let regions = match &self.regions.value {
            Some(r) if !self.regions.in_flight() => r,
            _ => {
                self.setup_asked = true;
                return match self.regions.start(cx.requests, Purpose::Pane(PaneId::Dr)) {
                    Some(id) => vec![Effect::Fetch { id, fetch: Fetch::Dr(DrRequest::Regions(group)) }],
                    None => Vec::new(),
                };
            }
        };
        if regions.is_empty() {
            cx.toast(Level::Error, "The API lists no region that can hold this group's secondary.");
            return Vec::new();
        }
        let options: Vec<String> = regions.iter().map(|r| format!("{} {}", r.provider, r.region)).collect();
        // Database names the dashboard has seen: those workspaces re-attached when they resumed.
        let mut known: Vec<String> = cx
            .data
            .workspaces_in(group)
            .flat_map(|w| w.resume_attachments.iter().flatten().map(|a| a.database.clone()))
            // System databases are not replicated.
            .filter(|d| !d.starts_with("information_schema"))
            .collect();
        known.sort();
        known.dedup();
        let hint = if known.is_empty() {
            "comma-separated; or replicate every database".to_string()
        } else {
            format!("comma-separated; seen: {}", known.join(", "))
        };
        let name = cx.data.group(group).map_or(group.to_string(), |g| g.name.clone());
        let form = Form::new(
            format!("Set up storage DR for {name}"),
            vec![
                Field::choice("region", "Secondary region", options, 0),
                Field::toggle("auto", "Replicate every database", known.is_empty()),
                Field::text("databases", "Databases", &known.join(", ")).hint(hint),
            ],
        )
        .with_cross_check(|f| {
            if f.value("auto") != "true" && form::split_list(&f.value("databases")).next().is_none() {
                vec![("databases", "name at least one database, or replicate every database".into())]
            } else {
                Vec::new()
            }
        });
        cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
        Vec::new()
    }

    fn planned_setup(&self, cx: &Ctx, group: Uuid, f: &Form) -> Result<Planned, String> {
        let label = f.value("region");
        let region = self
            .regions
            .value
            .iter()
            .flatten()
            .find(|r| format!("{} {}", r.provider, r.region) == label)
            .ok_or("choose a region")?;
        let auto = f.value("auto") == "true";
        let databases: Vec<String> =
            if auto { Vec::new() } else { form::split_list(&f.value("databases")).map(str::to_string).collect() };
        let name = cx.data.group(group).map_or(group.to_string(), |g| g.name.clone());
        Ok(Planned {
            mutation: Mutation::Dr(DrChange::Setup {
                group,
                body: StorageDrSetup {
                    region_id: region.region_id,
                    database_names: databases,
                    auto_replication: auto.then_some(true),
                },
            }),
            kind: OpKind::Change { label: "set up storage DR", done: "replicating" },
            target: Some(group),
            name,
            expect: Expect::DrReplicated,
        })
    }

    /// Failover or failback, behind a typed confirmation that says where writes go.
    fn confirm_move(&self, cx: &mut Ctx, group: Uuid, op: DrType) {
        let Some(status) = self.current() else {
            cx.toast(Level::Info, "Storage DR is not set up for this group: press c to set it up.");
            return;
        };
        let Some(primary) = cx.data.group(group).cloned() else { return };
        let secondary = status.secondary();
        // Before any operation names the secondary group, the replicas say where it is.
        let secondary_label = match (secondary, status.storage.first()) {
            (Some(s), _) => group_label(cx.data, s),
            (None, Some(d)) => format!("the secondary in {}", d.region),
            (None, None) => "the secondary region".to_string(),
        };
        let now_serving = serving(cx.data, group, status).map(|id| group_label(cx.data, id));
        let (title, to, label, done) = match op {
            DrType::Failover => ("Fail over", secondary_label, "failover", "failed over"),
            _ => ("Fail back", group_label(cx.data, group), "failback", "failed back"),
        };
        let mut lines = vec![format!("{title} workspace group {}?", primary.name)];
        if let Some(now) = now_serving {
            lines.push(format!("Writes are served now by {now}."));
        }
        lines.push(format!("Afterwards writes are served by {to}."));
        lines.push("Workspaces move their compute; connections to the old region stop working meanwhile.".into());
        let planned = Planned {
            mutation: Mutation::Dr(DrChange::Operation { group, op: op.clone() }),
            kind: OpKind::Change { label, done },
            target: Some(group),
            name: primary.name.clone(),
            expect: Expect::Dr(op),
        };
        ops::confirm_typed(cx, title, lines, primary.name, planned);
    }

    fn confirm_pre_provision(&self, cx: &mut Ctx, group: Uuid) {
        let Some(status) = self.current() else {
            cx.toast(Level::Info, "Storage DR is not set up for this group: press c to set it up.");
            return;
        };
        let on = status.compute.as_ref().is_some_and(|c| {
            c.storage_dr_type == DrType::PreProvisionStart && c.storage_dr_state == DrState::Completed
        });
        let (op, label, done, line) = if on {
            (DrType::PreProvisionStop, "stop pre-provisioning", "stopped", "Stop the secondary's standing compute?")
        } else {
            (
                DrType::PreProvisionStart,
                "start pre-provisioning",
                "pre-provisioned",
                "Start compute in the secondary region ahead of a failover (it costs credits while it runs)?",
            )
        };
        let name = cx.data.group(group).map_or(group.to_string(), |g| g.name.clone());
        let planned = Planned {
            mutation: Mutation::Dr(DrChange::Operation { group, op: op.clone() }),
            kind: OpKind::Change { label, done },
            target: Some(group),
            name: name.clone(),
            expect: Expect::Dr(op),
        };
        let c = crate::widgets::confirm::Confirm::new(label, vec![format!("{name}: {line}")], vec![planned]);
        cx.modals.push(Modal::Confirm(c));
    }

    fn tick(&mut self) -> Effect {
        self.timer_generation += 1;
        Effect::Timer {
            after: MOVING_EVERY,
            timer: Timer::Pane { pane: PaneId::Dr, generation: self.timer_generation },
        }
    }
}

fn minutes_rule(s: &str) -> Result<(), String> {
    match s.trim().parse::<u32>() {
        Ok(_) => Ok(()),
        Err(_) => Err("a whole number of minutes".into()),
    }
}

impl Pane for DrPane {
    const ID: PaneId = PaneId::Dr;
    const TITLE: &'static str = "Storage DR";
    const COMMAND: Option<Command> = Some(Command {
        name: "dr",
        aliases: &["storagedr"],
        help: "Storage DR of the group picked in the groups list",
    });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = DrReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        let Some(group) = self.group.or(cx.picked_group) else { return Vec::new() };
        self.group = Some(group);
        // Which group serves comes from the groups list.
        let mut effects: Vec<Effect> = cx.fetch(Fetch::Groups).into_iter().collect();
        if let Some(id) = self.status.start(cx.requests, Purpose::Pane(PaneId::Dr)) {
            effects.push(Effect::Fetch { id, fetch: Fetch::Dr(DrRequest::Status(group)) });
        }
        effects
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<DrReply, ApiError>) -> Vec<Effect> {
        let now = cx.now;
        if self.regions.owns(id) {
            let result = match reply {
                Ok(DrReply::Regions { regions, .. }) => Ok(regions),
                Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
                Err(e) => Err(Failure::from_api(&e, now)),
            };
            let failed = result.as_ref().err().map(|e| e.to_string());
            self.regions.accept(id, result, now);
            if let Some(e) = failed {
                cx.toast(Level::Error, format!("Could not read the DR regions: {e}"));
                self.setup_asked = false;
                return Vec::new();
            }
            match (std::mem::take(&mut self.setup_asked), self.group) {
                (true, Some(g)) => return self.open_setup(cx, g),
                _ => return Vec::new(),
            }
        }
        let result = match reply {
            Ok(DrReply::Status { group, status }) if Some(group) == self.group => Ok(status),
            Ok(DrReply::Status { .. }) => return Vec::new(),
            Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
            Err(e) => Err(Failure::from_api(&e, now)),
        };
        if !self.status.accept(id, result, now) {
            return Vec::new();
        }
        self.rebuild(cx);
        let mut effects = if self.status.take_queued() { self.refresh(cx) } else { Vec::new() };
        if cx.here == PaneId::Dr && self.current().is_some_and(moving) {
            effects.push(self.tick());
        }
        effects
    }

    fn on_timer(&mut self, cx: &mut Ctx, generation: u64) -> Vec<Effect> {
        if generation != self.timer_generation || cx.here != PaneId::Dr {
            *cx.dirty = false;
            return Vec::new();
        }
        // Groups too: a finished failover changes which one serves.
        let mut effects: Vec<Effect> = cx.fetch(Fetch::Groups).into_iter().collect();
        effects.extend(self.refresh(cx));
        effects
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        let Some(group) = self.group else {
            cx.toast(Level::Info, "Pick a group first: D on a workspace group.");
            return Vec::new();
        };
        match action {
            Action::Create => {
                if self.current().is_some() {
                    cx.toast(Level::Info, "Storage DR is already set up for this group.");
                    return Vec::new();
                }
                self.open_setup(cx, group)
            }
            Action::Failover => {
                self.confirm_move(cx, group, DrType::Failover);
                Vec::new()
            }
            Action::Failback => {
                self.confirm_move(cx, group, DrType::Failback);
                Vec::new()
            }
            Action::PreProvision => {
                self.confirm_pre_provision(cx, group);
                Vec::new()
            }
            Action::Edit => {
                let name = cx.data.group(group).map_or(group.to_string(), |g| g.name.clone());
                let form = Form::new(
                    format!("Storage retention period of {name}"),
                    vec![Field::text("minutes", "Retention (minutes)", "").validate(minutes_rule).hint(
                        "how long deleted data stays recoverable; 1440 = a day (the API can set it, not read it)",
                    )],
                );
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Edit(group), request: None }));
                Vec::new()
            }
            Action::Describe => {
                if let Some(s) = self.current() {
                    let value = serde_json::to_value(s).unwrap_or_default();
                    cx.modals.push(Modal::Describe(JsonView::new(
                        format!("storage DR {}", group_label(cx.data, group)),
                        &value,
                    )));
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        let planned = match (purpose, self.group) {
            (FormPurpose::Create, Some(group)) => self.planned_setup(cx, group, &f.form),
            (FormPurpose::Edit(group), _) => {
                let minutes =
                    f.form.value("minutes").trim().parse::<u32>().map_err(|_| "a whole number of minutes".to_string());
                let name = cx.data.group(group).map_or(group.to_string(), |g| g.name.clone());
                minutes.map(|minutes| {
                    Planned::change(
                        Mutation::Dr(DrChange::Retention { group, minutes }),
                        "set retention period",
                        "retention period set",
                        Some(group),
                        name,
                    )
                })
            }
            _ => return Vec::new(),
        };
        super::ops::submit(cx, planned.map(|p| (p, None)))
    }

    fn place(&self) -> Option<Uuid> {
        self.group
    }

    fn arrive(&mut self, cx: &mut Ctx, place: Option<Uuid>) -> Vec<Effect> {
        match place {
            Some(g) if Some(g) != self.group => {
                *self = DrPane { group: Some(g), ..DrPane::default() };
                self.refresh(cx)
            }
            _ => Vec::new(),
        }
    }

    fn breadcrumbs(&self, view: &View) -> Option<Vec<String>> {
        Some(super::groups::crumbs(view, self.group?, "Storage DR"))
    }

    fn rebuild(&mut self, _cx: &Ctx) {
        let rows = self
            .current()
            .map(|s| {
                s.storage
                    .iter()
                    .map(|d| {
                        let state = d.duplication_state.to_string();
                        let tone = match d.duplication_state {
                            DuplicationState::Active => crate::theme::Tone::Good,
                            DuplicationState::Pending | DuplicationState::Inactive => crate::theme::Tone::Busy,
                            _ => tone_of(&state),
                        };
                        Row::new(d.database_name.clone(), vec![d.database_name.clone(), d.region.clone(), state])
                            .tone(2, tone)
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.table.set_rows(rows);
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn freshness(&self, _view: &View) -> Option<Option<std::time::Instant>> {
        Some(self.status.fetched_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let t = view.theme;
        let [head, body] = Layout::vertical([Constraint::Length(5), Constraint::Fill(1)]).areas(area);
        let Some(group) = self.group else {
            frame.render_widget(Paragraph::new(" Pick a workspace group and press D to see its storage DR."), area);
            return;
        };
        let me = group_label(view.data, group);
        let mut lines =
            vec![Line::from(vec![Span::styled(" Storage DR of ", t.dim), Span::styled(me.clone(), t.title)])];
        match (&self.status.value, &self.status.error) {
            (Some(Some(s)), _) => {
                let secondary = s.secondary();
                let secondary = match secondary {
                    Some(id) => group_label(view.data, id),
                    None => match s.storage.first() {
                        Some(d) => format!("replicas in {}", d.region),
                        None => "-".into(),
                    },
                };
                lines.push(Line::from(vec![Span::styled(" Secondary: ", t.dim), Span::raw(secondary)]));
                let serves = serving(view.data, group, s)
                    .map_or("not reported by the API".into(), |id| group_label(view.data, id));
                lines.push(Line::from(vec![Span::styled(" Writes served by: ", t.dim), Span::styled(serves, t.title)]));
                let op = match &s.compute {
                    Some(c) => {
                        let progress = c.progress();
                        let state = c.storage_dr_state.to_string();
                        let mut spans = vec![
                            Span::styled(" Latest operation: ", t.dim),
                            Span::raw(format!("{} ", c.storage_dr_type)),
                            Span::styled(state.clone(), t.tone(tone_of(&state))),
                        ];
                        if !progress.is_empty() {
                            spans.push(Span::raw(format!("  {progress}")));
                        }
                        Line::from(spans)
                    }
                    None => Line::from(vec![Span::styled(" Latest operation: ", t.dim), Span::raw("none yet")]),
                };
                lines.push(op);
            }
            (Some(None), _) => {
                lines.push(Line::raw(" Storage DR is not set up for this group."));
                lines.push(Line::raw(" Press c to set it up: a secondary region and the databases to replicate."));
            }
            (None, Some(e)) => {
                let text = crate::widgets::status::failed("DR status", e, view.requests.next_refresh, view.now);
                let bad = t.tone(crate::theme::Tone::Bad);
                lines.extend(text.lines().map(|l| Line::styled(format!(" {l}"), bad)));
            }
            (None, None) => lines.push(Line::raw(" Loading the DR status…")),
        }
        if let (Some(_), Some(e)) = (&self.status.value, &self.status.error) {
            lines.push(Line::styled(
                format!(
                    " Stale: the last read failed {} ago: {e}",
                    human_duration(view.now.saturating_duration_since(e.at))
                ),
                t.tone(crate::theme::Tone::Bad),
            ));
        }
        frame.render_widget(Paragraph::new(lines), head);
        let mut title = vec![
            Span::styled(" Replicated databases ", t.title),
            Span::styled(format!("[{}] ", self.table.total()), t.dim),
        ];
        if self.table.total() > 0 {
            // Said rather than left out, so a missing column is not read as "no lag".
            title.push(Span::styled("(the API reports each database's state, not its lag) ", t.dim));
        }
        let title = Line::from(title);
        let empty = match &self.status.value {
            Some(Some(_)) => "No databases are replicated.",
            _ => "",
        };
        table::render(frame, body, &self.table, t, title, empty);
    }
}
