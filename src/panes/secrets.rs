//! Secrets: names, dates and who changed them. A value is read only when asked for (`v` shows it
//! for [`REVEAL_FOR`], `y` copies it and clears the clipboard after [`CLIPBOARD_FOR`]); it never
//! enters the list, a describe view, an operation or a log line.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use uuid::Uuid;

use crate::api::error::ApiError;
pub use crate::api::secrets::SecretValue;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId, Timer};
use crate::panes::ops::{self, Planned};
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::{Failure, PaneId, Purpose, Resource};
use crate::state::{age, short_id};
use crate::widgets::form::{Field, Form};
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::status;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::{Level, Toasts};

/// How long a revealed value stays on screen.
pub const REVEAL_FOR: Duration = Duration::from_secs(10);
/// How long a copied value stays on the clipboard.
pub const CLIPBOARD_FOR: Duration = Duration::from_secs(30);
/// The longest name the form accepts.
const MAX_NAME: usize = 128;
/// How often the members list may be read again for unknown IDs.
const USERS_EVERY: Duration = Duration::from_secs(60);
const TICK: Duration = Duration::from_secs(1);

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Secrets), "c", Action::Create, "create", "Create a secret"),
    (Context::Pane(PaneId::Secrets), "a", Action::Access, "", "Who holds which role on the secret"),
    (Context::Pane(PaneId::Secrets), "e", Action::Edit, "new value", "Set a new value for the secret"),
    (Context::Pane(PaneId::Secrets), "v", Action::Reveal, "reveal", "Show the value for 10 seconds (again: hide it)"),
    (Context::Pane(PaneId::Secrets), "y", Action::Copy, "copy", "Copy the value; the clipboard is cleared after 30 seconds"),
    (Context::Pane(PaneId::Secrets), "ctrl-d", Action::Delete, "delete", "Delete the secret (type its name to confirm)"),
];

/// A value on screen until `until`.
#[derive(Debug, Clone, PartialEq)]
pub struct Revealed {
    pub id: Uuid,
    pub name: String,
    pub value: SecretValue,
    pub until: Instant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueUse {
    Reveal,
    Copy,
}

#[derive(Debug)]
pub struct SecretsPane {
    pub table: TableState,
    /// Secrets without values.
    pub list: Resource<Vec<Secret>>,
    /// Emails by user ID, from the organization's members.
    pub users: BTreeMap<Uuid, String>,
    users_asked: Option<Instant>,
    /// Who the users are: the members list, read for IDs not yet known.
    users_read: Resource<()>,
    pub revealed: Option<Revealed>,
    value_request: Option<(RequestId, Uuid, ValueUse)>,
    generation: u64,
    hide_generation: u64,
    clear_generation: u64,
}

impl Default for SecretsPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("NAME", Constraint::Fill(2)).min(16),
                Column::new("CREATED", Constraint::Length(8)),
                Column::new("UPDATED", Constraint::Length(8)),
                Column::new("LAST UPDATED BY", Constraint::Fill(2)).min(12),
                Column::new("CREATED BY", Constraint::Fill(2)).min(12).optional(1),
            ]),
            list: Resource::default(),
            users: BTreeMap::new(),
            users_asked: None,
            users_read: Resource::default(),
            revealed: None,
            value_request: None,
            generation: 0,
            hide_generation: 0,
            clear_generation: 0,
        }
    }
}

/// Reads what the pane shows (when it becomes visible and on every refresh).
pub fn refresh(p: &mut SecretsPane, cx: &mut Ctx) -> Vec<Effect> {
    let Some(id) = p.list.start(cx.requests, Purpose::Pane(PaneId::Secrets)) else { return Vec::new() };
    vec![Effect::Fetch { id, fetch: Fetch::Secrets(SecretsRequest::List) }]
}

/// Asks who the unknown users are (the members list), at most once a minute.
fn ask_users(p: &mut SecretsPane, cx: &mut Ctx) -> Vec<Effect> {
    let pane = &*p;
    let unknown = pane
        .list
        .value
        .iter()
        .flatten()
        .flat_map(|s| [s.created_by, s.last_updated_by])
        .flatten()
        .any(|u| !pane.users.contains_key(&u));
    let recently = pane.users_asked.is_some_and(|t| cx.now.saturating_duration_since(t) < USERS_EVERY);
    if !unknown || recently || pane.users_read.in_flight() {
        return Vec::new();
    }
    let id = p.users_read.restart(cx.requests, Purpose::Pane(PaneId::Secrets));
    p.users_asked = Some(cx.now);
    vec![Effect::Fetch { id, fetch: Fetch::Secrets(SecretsRequest::Users) }]
}

pub fn on_reply(
    p: &mut SecretsPane,
    cx: &mut Ctx,
    id: RequestId,
    reply: Result<SecretsReply, ApiError>,
) -> Vec<Effect> {
    let now = cx.now;
    if p.list.owns(id) {
        let result = match reply {
            Ok(SecretsReply::List(list)) => Ok(list),
            Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
            Err(e) => Err(Failure::from_api(&e, now)),
        };
        p.list.accept(id, result, now);
        rebuild(p, cx);
        let mut effects = ask_users(p, cx);
        if p.list.take_queued() {
            effects.extend(refresh(p, cx));
        }
        return effects;
    }
    let pane = &mut *p;
    if pane.users_read.finish(id) {
        // The members list may be unreadable (an older server, a narrow key): short IDs then.
        if let Ok(SecretsReply::Users(users)) = reply {
            pane.users.extend(users);
            rebuild(p, cx);
        }
        return Vec::new();
    }
    let Some((_, secret, use_)) = pane.value_request.take_if(|(r, _, _)| *r == id) else {
        return Vec::new();
    };
    match reply {
        Ok(SecretsReply::Value { value: Some(value), name, .. }) => match use_ {
            ValueUse::Reveal => {
                pane.revealed = Some(Revealed { id: secret, name, value, until: now + REVEAL_FOR });
                pane.generation += 1;
                pane.hide_generation = pane.generation;
                vec![tick(pane.hide_generation)]
            }
            ValueUse::Copy => copy_secret(p, cx.toasts, cx.now, &format!("the value of {name}"), value),
        },
        Ok(SecretsReply::Value { name, .. }) => {
            cx.toasts.push(now, Level::Error, format!("The API did not send the value of {name}."));
            Vec::new()
        }
        Ok(_) => Vec::new(),
        Err(e) => {
            cx.toasts.push(now, Level::Error, format!("Could not read the secret: {e}"));
            Vec::new()
        }
    }
}

fn tick(generation: u64) -> Effect {
    Effect::Timer { after: TICK, timer: Timer::Pane { pane: PaneId::Secrets, generation } }
}

/// Copies `value` (described as `what`, e.g. "the value of TOKEN") and arms the timer that
/// clears the clipboard again. Any secret copied anywhere goes through here.
pub fn copy_secret(
    p: &mut SecretsPane,
    toasts: &mut Toasts,
    now: Instant,
    what: &str,
    value: SecretValue,
) -> Vec<Effect> {
    let pane = &mut *p;
    pane.generation += 1;
    pane.clear_generation = pane.generation;
    let secs = CLIPBOARD_FOR.as_secs();
    toasts.push(now, Level::Info, format!("Copied {what}; the clipboard is cleared in {secs}s"));
    vec![
        Effect::CopySecret(value),
        Effect::Timer {
            after: CLIPBOARD_FOR,
            timer: Timer::Pane { pane: PaneId::Secrets, generation: p.clear_generation },
        },
    ]
}

/// One of this pane's changes was accepted; `reply` is what the API answered.
pub fn on_changed(p: &mut SecretsPane, cx: &mut Ctx, reply: &SecretsReply) -> Vec<Effect> {
    let list = p.list.value.get_or_insert_with(Vec::new);
    match reply {
        SecretsReply::Created(s) | SecretsReply::Updated(s) => {
            let s = s.without_value();
            match list.iter_mut().find(|x| x.secret_id == s.secret_id) {
                Some(existing) => *existing = s,
                None => list.push(s),
            }
        }
        SecretsReply::Deleted(id) => {
            list.retain(|x| x.secret_id != *id);
            if p.revealed.as_ref().is_some_and(|r| r.id == *id) {
                p.revealed = None;
            }
        }
        _ => return Vec::new(),
    }
    rebuild(p, cx);
    Vec::new()
}

/// Rebuilds the rows from the list and the user directory.
pub fn rebuild(p: &mut SecretsPane, cx: &Ctx) {
    let pane = &p;
    let who = |u: Option<Uuid>| match u {
        Some(u) => pane.users.get(&u).cloned().unwrap_or_else(|| short_id(u)),
        None => "-".to_string(),
    };
    let mut list: Vec<&Secret> = pane.list.value.iter().flatten().collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    let rows = list
        .into_iter()
        .map(|s| {
            Row::new(
                s.secret_id.to_string(),
                vec![
                    s.name.clone(),
                    age(cx.wall, &s.created_at),
                    age(cx.wall, &s.last_updated_at),
                    who(s.last_updated_by),
                    who(s.created_by),
                ],
            )
        })
        .collect();
    p.table.set_rows(rows);
}

/// The shown value belongs to the selected secret; when the selection moves off it, it closes
/// (otherwise the panel would show one secret while `y` copies another).
pub fn follow_selection(p: &mut SecretsPane) {
    let selected = selected(p).map(|s| s.secret_id);
    if p.revealed.as_ref().is_some_and(|r| Some(r.id) != selected) {
        p.revealed = None;
    }
}

fn selected(p: &SecretsPane) -> Option<&Secret> {
    let key = p.table.selected_key()?;
    let id = Uuid::parse_str(key).ok()?;
    p.list.value.as_ref()?.iter().find(|s| s.secret_id == id)
}

pub fn on_action(p: &mut SecretsPane, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    let Some((id, name)) = selected(p).map(|s| (s.secret_id, s.name.clone())) else {
        if action == Action::Create {
            open_create_form(cx);
        }
        return Vec::new();
    };
    match action {
        Action::Create => open_create_form(cx),
        Action::Access => super::access::open(cx, ResourceRef::new(ResourceType::Secret, id), name),
        Action::Edit => {
            let form = Form::new(
                format!("New value for {name}"),
                vec![Field::masked("value", "New value").validate(value_rule).hint("F2 shows or hides what you type")],
            );
            cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::EditSecret(id), request: None }));
        }
        Action::Delete => {
            let delete = Mutation::Secret(SecretsChange::Delete { id });
            let planned = Planned::change(delete, "delete secret", "deleted", Some(id), &name);
            let lines = vec![
                format!("Delete secret {name}?"),
                "Notebooks and jobs that read it will fail. This cannot be undone.".into(),
            ];
            ops::confirm_typed(cx, "Delete secret", lines, name, planned);
        }
        Action::Reveal => {
            if p.revealed.as_ref().is_some_and(|r| r.id == id) {
                p.revealed = None;
                return Vec::new();
            }
            return ask_value(p, cx, id, ValueUse::Reveal);
        }
        Action::Copy => {
            if let Some(r) = p.revealed.as_ref().filter(|r| r.id == id) {
                let (name, value) = (r.name.clone(), r.value.clone());
                return copy_secret(p, cx.toasts, cx.now, &format!("the value of {name}"), value);
            }
            return ask_value(p, cx, id, ValueUse::Copy);
        }
        Action::Describe => {
            if let Some(s) = selected(p) {
                cx.describe(format!("secret {name}"), &s.without_value());
            }
        }
        _ => {}
    }
    Vec::new()
}

fn ask_value(p: &mut SecretsPane, cx: &mut Ctx, secret: Uuid, use_: ValueUse) -> Vec<Effect> {
    let (id, effect) = cx.pane_fetch(PaneId::Secrets, Fetch::Secrets(SecretsRequest::Value(secret)));
    p.value_request = Some((id, secret, use_));
    vec![effect]
}

fn open_create_form(cx: &mut Ctx) {
    let form = Form::new(
        "Create secret",
        vec![
            Field::text("name", "Name", "").validate(secret_name).hint("letters, digits and _"),
            Field::masked("value", "Value").validate(value_rule).hint("F2 shows or hides what you type"),
        ],
    );
    cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::CreateSecret, request: None }));
}

/// Secret names: letters, digits and underscores (what the service accepts).
pub fn secret_name(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("required".into());
    }
    if s.chars().count() > MAX_NAME {
        return Err(format!("at most {MAX_NAME} characters"));
    }
    match s.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_')) {
        Some(' ') => Err("no spaces: only letters, digits and _".into()),
        Some(c) => Err(format!("{c:?} is not allowed: only letters, digits and _")),
        None => Ok(()),
    }
}

/// A value must not be empty (the API refuses it); the text itself is never echoed.
fn value_rule(s: &str) -> Result<(), String> {
    if s.is_empty() { Err("required".into()) } else { Ok(()) }
}

/// The create request for a submitted form. The value is taken as typed (spaces included).
pub fn planned_create(form: &Form) -> Result<Planned, String> {
    let name = form.value("name").trim().to_string();
    secret_name(&name)?;
    let value = SecretValue::new(form.value("value"));
    Ok(Planned::change(
        Mutation::Secret(SecretsChange::Create { name: name.clone(), value }),
        "create secret",
        "created",
        None,
        name,
    ))
}

/// A new value, and what replacing it means, for the review every edit gets.
pub fn planned_update(p: &SecretsPane, id: Uuid, form: &Form) -> Result<(Planned, Vec<String>), String> {
    let name = p
        .list
        .value
        .iter()
        .flatten()
        .find(|s| s.secret_id == id)
        .map(|s| s.name.clone())
        .ok_or("the secret is gone")?;
    let planned = Planned::change(
        Mutation::Secret(SecretsChange::Update { id, value: SecretValue::new(form.value("value")) }),
        "update secret",
        "updated",
        Some(id),
        name,
    );
    let diff = vec![
        "value: replaced".to_string(),
        "⚠ the old value is gone for good; notebooks and jobs read the new one from then on".to_string(),
    ];
    Ok((planned, diff))
}

pub fn render(frame: &mut Frame, area: Rect, p: &SecretsPane, cx: &View) {
    let t = &cx.theme;
    let pane = &p;
    let (table_area, value_area) = match &pane.revealed {
        Some(_) => {
            let [a, b] = Layout::vertical([Constraint::Min(3), Constraint::Length(3)]).areas(area);
            (a, Some(b))
        }
        None => (area, None),
    };
    let mut title = vec![
        Span::styled(" Secrets ", t.title),
        Span::styled(format!("[{}/{}] ", pane.table.len(), pane.table.total()), t.dim),
    ];
    title.extend(status::stale(&pane.list, cx.now, t));
    let none = "No secrets. Press c to create one.";
    let empty = status::empty("secrets", &pane.list, none, cx.requests.next_refresh, cx.now);
    table::render(frame, table_area, &pane.table, t, Line::from(title), &empty);
    if let (Some(r), Some(area)) = (&pane.revealed, value_area) {
        let left = r.until.saturating_duration_since(cx.now).as_secs_f64().ceil() as u64;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.warn)
            .title(Span::styled(format!(" Value of {} — hidden in {left}s (v hides, y copies) ", r.name), t.warn));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(Paragraph::new(Span::styled(r.value.expose().to_string(), t.base)), inner);
    }
}

/// When quitting: the clear a copy armed, if it has not happened yet (it is due now).
pub fn take_pending_clear(p: &mut SecretsPane) -> Option<Effect> {
    (std::mem::take(&mut p.clear_generation) != 0).then_some(Effect::ClearClipboard)
}

/// Pane timers: the reveal countdown (hides the value when it runs out) and the clipboard clear.
pub fn on_timer(p: &mut SecretsPane, cx: &mut Ctx, generation: u64) -> Vec<Effect> {
    let pane = &mut *p;
    if generation == pane.clear_generation && generation != 0 {
        pane.clear_generation = 0;
        return vec![Effect::ClearClipboard];
    }
    if generation != pane.hide_generation || pane.revealed.is_none() {
        *cx.dirty = false;
        return Vec::new();
    }
    if pane.revealed.as_ref().is_some_and(|r| cx.now >= r.until) {
        pane.revealed = None;
        return Vec::new();
    }
    vec![tick(generation)]
}

impl Pane for SecretsPane {
    const ID: PaneId = PaneId::Secrets;
    const TITLE: &'static str = "Secrets";
    const COMMAND: Option<Command> = Some(Command { name: "secrets", aliases: &["secret"], help: "Secrets" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = SecretsReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        refresh(self, cx)
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<SecretsReply, ApiError>) -> Vec<Effect> {
        on_reply(self, cx, id, reply)
    }

    fn on_changed(&mut self, cx: &mut Ctx, reply: &SecretsReply) -> Vec<Effect> {
        on_changed(self, cx, reply)
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        on_action(self, cx, action)
    }

    fn on_timer(&mut self, cx: &mut Ctx, generation: u64) -> Vec<Effect> {
        on_timer(self, cx, generation)
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        // Every edit is reviewed before it is sent.
        let planned = match purpose {
            FormPurpose::CreateSecret => planned_create(&f.form).map(|p| (p, None)),
            FormPurpose::EditSecret(id) => planned_update(self, id, &f.form).map(|(p, diff)| (p, Some(diff))),
            _ => return Vec::new(),
        };
        super::ops::submit(cx, planned)
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

    fn freshness(&self, _view: &View) -> Option<Option<std::time::Instant>> {
        Some(self.list.fetched_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        render(frame, area, self, view);
    }
}
