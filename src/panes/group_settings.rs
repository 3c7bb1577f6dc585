//! A workspace group's settings (`i` on a group): update window, high availability, traffic,
//! project, the outbound allow list (read-only), the workload identity, and the delegated
//! entities that identity may assume (add, remove).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::groups;
use crate::panes::ops::Planned;
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::{Failure, PaneId, Purpose, Resource, age, human_duration};
use crate::widgets::confirm::Confirm;
use crate::widgets::form::{Field, Form};
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::GroupSettings), "c", Action::Create, "add entity", "Add delegated entities the group's identity may assume"),
    (Context::Pane(PaneId::GroupSettings), "ctrl-d", Action::Delete, "remove", "Remove the delegated entity"),
    (Context::Pane(PaneId::GroupSettings), "y", Action::Copy, "", "Copy the workload identity"),
];

/// What the identity reads showed: the identity (or why it could not be read) and the entities.
#[derive(Debug, Clone)]
pub struct IdentityView {
    pub identity: Result<CloudWorkloadIdentity, String>,
    pub entities: Vec<DelegatedEntity>,
}

#[derive(Debug)]
pub struct GroupSettingsPane {
    pub group: Option<Uuid>,
    pub identity: Resource<IdentityView>,
    pub table: TableState,
}

impl Default for GroupSettingsPane {
    fn default() -> Self {
        Self {
            group: None,
            identity: Resource::default(),
            table: TableState::new(vec![
                Column::new("DELEGATED ENTITY", Constraint::Fill(3)).min(24),
                Column::new("ADDED", Constraint::Length(7)),
            ]),
        }
    }
}

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not reported",
    }
}

impl GroupSettingsPane {
    fn entities_change(
        &self,
        cx: &Ctx,
        group: Uuid,
        change: IdentityChange,
        label: &'static str,
        done: &'static str,
    ) -> Planned {
        Planned::change(
            Mutation::Identity(change),
            label,
            done,
            Some(group),
            cx.data.group(group).map_or(group.to_string(), |g| g.name.clone()),
        )
    }
}

fn entity_rule(s: &str) -> Result<(), String> {
    if crate::widgets::form::split_list(s).next().is_none() { Err("name at least one entity".into()) } else { Ok(()) }
}

impl Pane for GroupSettingsPane {
    const ID: PaneId = PaneId::GroupSettings;
    const TITLE: &'static str = "Group settings";
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = IdentityReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        let Some(group) = self.group.or(cx.picked_group) else { return Vec::new() };
        self.group = Some(group);
        let mut effects: Vec<Effect> = cx.fetch(crate::effect::Fetch::Groups).into_iter().collect();
        if let Some(id) = self.identity.start(cx.requests, Purpose::Pane(PaneId::GroupSettings)) {
            effects.push(Effect::Fetch { id, fetch: crate::effect::Fetch::Identity(IdentityRequest::Group(group)) });
        }
        effects
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<IdentityReply, ApiError>) -> Vec<Effect> {
        let now = cx.now;
        let result = match reply {
            Ok(IdentityReply::Group { group, identity, entities }) if Some(group) == self.group => {
                Ok(IdentityView { identity, entities })
            }
            Ok(IdentityReply::Group { .. }) => return Vec::new(),
            Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
            Err(e) => Err(Failure::from_api(&e, now)),
        };
        if !self.identity.accept(id, result, now) {
            return Vec::new();
        }
        self.rebuild(cx);
        if self.identity.take_queued() { self.refresh(cx) } else { Vec::new() }
    }

    fn on_changed(&mut self, cx: &mut Ctx, reply: &IdentityReply) -> Vec<Effect> {
        match reply {
            IdentityReply::Added { group, entities } if Some(*group) == self.group => {
                if let Some(v) = self.identity.value.as_mut() {
                    v.entities = entities.clone();
                }
                self.rebuild(cx);
            }
            IdentityReply::Removed { result, .. } if !result.failed.is_empty() => {
                cx.toast(Level::Error, format!("Not removed (not there): {}", result.failed.join(", ")));
            }
            _ => {}
        }
        Vec::new()
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        let Some(group) = self.group else { return Vec::new() };
        match action {
            Action::Create => {
                let hint = match cx.data.group(group).map(|g| &g.provider) {
                    Some(Provider::Aws) => "IAM role ARNs, comma-separated: arn:aws:iam::123456789012:role/reader",
                    _ => "identities, comma-separated",
                };
                let form = Form::new(
                    "Add delegated entities",
                    vec![Field::text("entities", "Entities", "").validate(entity_rule).hint(hint)],
                );
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
                Vec::new()
            }
            Action::Delete => {
                if let Some(entity) = self.table.selected_key().map(str::to_string) {
                    let planned = self.entities_change(
                        cx,
                        group,
                        IdentityChange::Remove { group, entities: vec![entity.clone()] },
                        "remove delegated entity",
                        "removed",
                    );
                    let lines = vec![
                        format!("Remove delegated entity {entity}?"),
                        "The group's workloads can no longer assume it.".into(),
                    ];
                    cx.modals.push(Modal::Confirm(Confirm::new("Remove delegated entity", lines, vec![planned])));
                }
                Vec::new()
            }
            Action::Copy => match self.identity.value.as_ref().and_then(|v| v.identity.as_ref().ok()) {
                Some(i) => cx.copy(i.identity.clone(), "Copied the workload identity"),
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let (Some(group), FormPurpose::Create) = (self.group, purpose) else { return Vec::new() };
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        let entities: Vec<String> =
            crate::widgets::form::split_list(&f.form.value("entities")).map(str::to_string).collect();
        let planned =
            self.entities_change(cx, group, IdentityChange::Add { group, entities }, "add delegated entities", "added");
        super::ops::submit(cx, Ok((planned, None)))
    }

    fn place(&self) -> Option<Uuid> {
        self.group
    }

    fn arrive(&mut self, cx: &mut Ctx, place: Option<Uuid>) -> Vec<Effect> {
        match place {
            Some(g) if Some(g) != self.group => {
                *self = GroupSettingsPane { group: Some(g), ..GroupSettingsPane::default() };
                self.refresh(cx)
            }
            _ => Vec::new(),
        }
    }

    fn breadcrumbs(&self, view: &View) -> Option<Vec<String>> {
        Some(groups::crumbs(view, self.group?, "Settings"))
    }

    fn rebuild(&mut self, cx: &Ctx) {
        let rows = self
            .identity
            .value
            .iter()
            .flat_map(|v| v.entities.iter())
            .map(|e| Row::new(e.entity.clone(), vec![e.entity.clone(), age(cx.wall, &e.created_at)]))
            .collect();
        self.table.set_rows(rows);
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn freshness(&self, _view: &View) -> Option<Option<std::time::Instant>> {
        Some(self.identity.fetched_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let t = view.theme;
        let [head, body] = Layout::vertical([Constraint::Length(9), Constraint::Fill(1)]).areas(area);
        let Some(g) = self.group.and_then(|id| view.data.group(id)) else {
            frame.render_widget(Paragraph::new(" Pick a workspace group and press i to see its settings."), area);
            return;
        };
        let field = |label: &str, value: String| {
            Line::from(vec![Span::styled(format!(" {label:<22}"), t.dim), Span::raw(value)])
        };
        let identity = match (&self.identity.value, &self.identity.error) {
            (Some(v), _) => match &v.identity {
                Ok(i) => i.identity.clone(),
                Err(e) => format!("could not be read: {e}"),
            },
            (None, Some(e)) => format!("could not be read: {e}"),
            (None, None) => "loading…".into(),
        };
        let mut lines = vec![
            Line::from(vec![
                Span::styled(" Settings of ", t.dim),
                Span::styled(format!("{} ({})", g.name, g.region_name), t.title),
            ]),
            field("Update window", g.update_window.as_ref().map_or("not reported".into(), groups::window_label)),
            field("HA across two zones", yes_no(g.high_availability_two_zones).into()),
            field("Allow all traffic", yes_no(g.allow_all_traffic).into()),
            field(
                "Project",
                g.project_name.clone().or(g.project_id.map(|p| p.to_string())).unwrap_or_else(|| "-".into()),
            ),
            field(
                "Outbound allow list",
                g.outbound_allow_list.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "none".into()),
            ),
            field("Workload identity", identity),
        ];
        if let (Some(_), Some(e)) = (&self.identity.value, &self.identity.error) {
            lines.push(Line::styled(
                format!(
                    " Stale: the last read failed {} ago: {e}",
                    human_duration(view.now.saturating_duration_since(e.at))
                ),
                t.tone(crate::theme::Tone::Bad),
            ));
        }
        frame.render_widget(Paragraph::new(lines), head);
        let title = Line::from(vec![
            Span::styled(" Delegated entities ", t.title),
            Span::styled(format!("[{}] ", self.table.total()), t.dim),
        ]);
        let none = "None. Press c to add the identities this group's workloads may assume.";
        let retry = view.requests.next_refresh;
        let empty = crate::widgets::status::empty("delegated entities", &self.identity, none, retry, view.now);
        table::render(frame, body, &self.table, t, title, &empty);
    }
}
