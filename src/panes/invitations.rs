//! Invitations into the organization: who was invited, into which teams, and what became of
//! it. Invite an email (optionally into teams), revoke a pending invitation, filter by email
//! or state (`:invitations state=pending email=@example.com`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::ops::Planned;
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::{Failure, PaneId, Purpose, Resource, age};
use crate::widgets::confirm::Confirm;
use crate::widgets::form::{Field, Form};
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::status;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Invitations), "c", Action::Create, "invite", "Invite an email address, optionally into teams"),
    (Context::Pane(PaneId::Invitations), "ctrl-d", Action::Delete, "revoke", "Revoke the pending invitation"),
    (Context::Pane(PaneId::Invitations), "y", Action::Copy, "", "Copy the invitation ID"),
];

#[derive(Debug)]
pub struct InvitationsPane {
    pub table: TableState,
    pub list: Resource<(Vec<Invitation>, Vec<Team>)>,
    /// The server-side filter the list was read with.
    pub filter: InvitationFilter,
}

impl Default for InvitationsPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("EMAIL", Constraint::Fill(3)).min(16),
                Column::new("STATE", Constraint::Length(8)),
                Column::new("TEAMS", Constraint::Fill(2)).min(8),
                Column::new("SENT", Constraint::Length(6)),
                Column::new("ANSWERED", Constraint::Length(8)).optional(1),
            ]),
            list: Resource::default(),
            filter: InvitationFilter::default(),
        }
    }
}

/// `state=pending`, `email=REGEX`, `all`: the filter these words ask for.
pub fn parse_filter(args: &[String]) -> Result<InvitationFilter, String> {
    let mut f = InvitationFilter::default();
    for a in args {
        match a.split_once('=') {
            Some(("state", s)) => match InvitationState::from_wire(s) {
                InvitationState::Unknown(_) => {
                    return Err(format!("unknown state {s:?}: pending, accepted, refused or revoked"));
                }
                known => f.state = Some(known),
            },
            Some(("email", e)) if !e.is_empty() => f.email = Some(e.to_string()),
            None if a == "all" => f = InvitationFilter::default(),
            _ => return Err(format!("{a:?}: expected state=STATE, email=EMAIL or all")),
        }
    }
    Ok(f)
}

impl InvitationsPane {
    fn selected(&self) -> Option<&Invitation> {
        let id = Uuid::parse_str(self.table.selected_key()?).ok()?;
        self.list.value.as_ref()?.0.iter().find(|i| i.invitation_id == id)
    }

    fn teams(&self) -> &[Team] {
        self.list.value.as_ref().map_or(&[], |v| v.1.as_slice())
    }

    fn team_names(&self, ids: &[Uuid]) -> Vec<String> {
        ids.iter()
            .map(|id| self.teams().iter().find(|t| t.team_id == *id).map_or(id.to_string(), |t| t.name.clone()))
            .collect()
    }
}

impl Pane for InvitationsPane {
    const ID: PaneId = PaneId::Invitations;
    const TITLE: &'static str = "Invitations";
    const COMMAND: Option<Command> = Some(Command {
        name: "invitations",
        aliases: &["invitation", "invites"],
        help: "Invitations (state=pending, email=REGEX)",
    });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = PeopleReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        let Some(id) = self.list.start(cx.requests, Purpose::Pane(PaneId::Invitations)) else { return Vec::new() };
        vec![Effect::Fetch { id, fetch: Fetch::People(PeopleRequest::Invitations(self.filter.clone())) }]
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<PeopleReply, ApiError>) -> Vec<Effect> {
        let now = cx.now;
        let result = match reply {
            Ok(PeopleReply::Invitations { list, teams }) => Ok((list, teams)),
            Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
            Err(e) => Err(Failure::from_api(&e, now)),
        };
        if !self.list.accept(id, result, now) {
            return Vec::new();
        }
        self.rebuild(cx);
        if self.list.take_queued() { self.refresh(cx) } else { Vec::new() }
    }

    fn command(&mut self, cx: &mut Ctx, args: &[String]) -> Vec<Effect> {
        if args.is_empty() {
            return Vec::new();
        }
        match parse_filter(args) {
            Ok(f) => {
                self.filter = f;
                // The list in flight was read with the old filter.
                let id = self.list.restart(cx.requests, Purpose::Pane(PaneId::Invitations));
                vec![Effect::Fetch { id, fetch: Fetch::People(PeopleRequest::Invitations(self.filter.clone())) }]
            }
            Err(e) => {
                cx.toast(Level::Error, e);
                Vec::new()
            }
        }
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        match action {
            Action::Describe | Action::Open => {
                if let Some(i) = self.selected() {
                    let mut value = serde_json::to_value(i).unwrap_or_default();
                    value["teams"] = serde_json::json!(self.team_names(&i.team_ids));
                    cx.modals.push(Modal::Describe(JsonView::new(format!("invitation of {}", i.email), &value)));
                }
                Vec::new()
            }
            Action::Copy => match self.selected().map(|i| (i.email.clone(), i.invitation_id)) {
                Some((email, id)) => cx.copy(id.to_string(), format!("Copied the ID of the invitation of {email}")),
                None => Vec::new(),
            },
            Action::Create => {
                let names: Vec<String> = self.teams().iter().map(|t| t.name.clone()).collect();
                let hint = if names.is_empty() {
                    "team names, comma-separated".to_string()
                } else {
                    format!("comma-separated: {}", names.join(", "))
                };
                let form = Form::new(
                    "Invite into the organization",
                    vec![
                        Field::text("email", "Email", "").validate(super::people::email_rule),
                        Field::text("teams", "Into teams", "").hint(hint),
                    ],
                );
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
                Vec::new()
            }
            Action::Delete => {
                let Some(i) = self.selected() else { return Vec::new() };
                if i.state != InvitationState::Pending {
                    cx.toast(
                        Level::Error,
                        format!("The invitation is {}; only a pending one can be revoked.", i.state),
                    );
                    return Vec::new();
                }
                let mut lines = vec![format!("Revoke the invitation of {}?", i.email)];
                let teams = self.team_names(&i.team_ids);
                if !teams.is_empty() {
                    lines.push(format!("They will not join {}.", teams.join(", ")));
                }
                let planned = Planned::change(
                    Mutation::People(PeopleChange::Revoke { id: i.invitation_id }),
                    "revoke invitation",
                    "revoked",
                    Some(i.invitation_id),
                    format!("invitation of {}", i.email),
                );
                cx.modals.push(Modal::Confirm(Confirm::new("Revoke invitation", lines, vec![planned])));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        if purpose != FormPurpose::Create {
            return Vec::new();
        }
        let email = f.form.value("email").trim().to_string();
        let wanted: Vec<String> =
            f.form.value("teams").split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        let mut team_ids = Vec::new();
        for w in &wanted {
            match self.teams().iter().find(|t| t.name.eq_ignore_ascii_case(w) || t.team_id.to_string() == *w) {
                Some(t) => team_ids.push(t.team_id),
                None => return super::ops::submit(cx, Err(format!("no team is called {w:?}"))),
            }
        }
        let planned = Planned::change(
            Mutation::People(PeopleChange::Invite(InvitationCreate { email: email.clone(), team_ids })),
            "invite",
            "invited",
            None,
            email,
        );
        super::ops::submit(cx, Ok((planned, None)))
    }

    fn rebuild(&mut self, cx: &Ctx) {
        let rows = self
            .list
            .value
            .iter()
            .flat_map(|v| &v.0)
            .map(|i| {
                let teams = self.team_names(&i.team_ids);
                Row::new(
                    i.invitation_id.to_string(),
                    vec![
                        i.email.clone(),
                        if i.state.is_absent() { "?".into() } else { i.state.to_string() },
                        if teams.is_empty() { "-".into() } else { teams.join(", ") },
                        i.created_at.as_deref().map_or("-".into(), |t| age(cx.wall, t)),
                        i.acted_at.as_deref().map_or("-".into(), |t| age(cx.wall, t)),
                    ],
                )
            })
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
        Some(self.list.fetched_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let t = view.theme;
        let mut filter = Vec::new();
        if let Some(s) = &self.filter.state {
            filter.push(format!("state={s}"));
        }
        if let Some(e) = &self.filter.email {
            filter.push(format!("email={e}"));
        }
        let filter = if filter.is_empty() { String::new() } else { format!("({}) ", filter.join(" ")) };
        let mut title = vec![
            Span::styled(" Invitations ", t.title),
            Span::styled(format!("{filter}[{}/{}] ", self.table.len(), self.table.total()), t.dim),
        ];
        title.extend(status::stale(&self.list, view.now, t));
        let none = "No invitations. Press c to invite someone.";
        let empty = status::empty("invitations", &self.list, none, view.requests.next_refresh, view.now);
        table::render(frame, area, &self.table, t, Line::from(title), &empty);
    }
}
