//! `update`: the only place state changes. Pure: a message in, effects out, no I/O.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::api::clusters::{ClustersReply, ClustersRequest};
use crate::api::error::ApiError;
use crate::api::people::{PeopleReply, PeopleRequest};
use crate::effect::{ApiReply, Effect, Fetch};
use crate::msg::{Action, Msg, OpenedProfile, ProfileResult, RequestId, Timer};
use crate::panes::{self, ops};
use std::time::Instant;

use uuid::Uuid;

use crate::state::{Failure, PaneId, Purpose, State, keep_newer};
use crate::widgets::confirm::Answer;
use crate::widgets::form::FormOutcome;
use crate::widgets::help::Help;
use crate::widgets::json_view::JsonOutcome;
use crate::widgets::modal::Modal;
use crate::widgets::palette::{Palette, PaletteOutcome};
use crate::widgets::toast::Level;

/// How often relative times and progress refresh on screen while something is in flight.
const SPINNER_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// What the dashboard does first: read the organization, who the key belongs to, groups and
/// regions, start refreshing.
pub fn init(state: &mut State) -> Vec<Effect> {
    let me = Fetch::People(PeopleRequest::CurrentUser);
    let mut effects: Vec<Effect> =
        [Fetch::Organization, me, Fetch::Regions].into_iter().filter_map(|f| state.fetch(f)).collect();
    effects.extend(panes::restart_refresh(state));
    effects
}

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    state.dirty = true;
    let had_activity = busy(state);
    let mut effects = match msg {
        Msg::Input(Event::Key(key)) if key.kind != KeyEventKind::Release => on_key(state, key),
        Msg::Input(Event::Paste(text)) => on_paste(state, &text),
        Msg::Input(Event::Resize(w, h)) => {
            state.size = (w, h);
            Vec::new()
        }
        Msg::Input(_) => {
            state.dirty = false;
            Vec::new()
        }
        Msg::Api { id, reply } => on_api(state, id, reply),
        Msg::Timer(timer) => on_timer(state, timer),
        Msg::Redraw => Vec::new(),
        Msg::Notice { text, error } => {
            state.toasts.push(state.now, if error { Level::Error } else { Level::Info }, text);
            Vec::new()
        }
        Msg::FileExists { path } => {
            panes::with_panes(state, |panes, cx| panes::audit::on_file_exists(&mut panes.audit, cx, path))
        }
        // The whole command, never cut by a toast's width, and one key to copy it.
        Msg::NoSqlClient { command } => {
            state.modals.push(Modal::Reveal(crate::widgets::modal::Reveal {
                title: "No SQL client found".into(),
                lines: vec![
                    "x runs singlestore, mysql or mariadb; none is installed here.".into(),
                    "Run this where one is (y copies it):".into(),
                ],
                secret: command,
                copied: false,
                what: "command",
            }));
            Vec::new()
        }
        Msg::Quit => quit(state),
        Msg::ProfileOpened(ProfileResult(opened, _)) => match opened {
            Ok(p) => switch_profile(state, p),
            Err(text) => {
                state.toasts.push(state.now, Level::Error, text);
                Vec::new()
            }
        },
        Msg::ApiCall(call) => {
            panes::with_panes(state, |panes, cx| {
                panes::log::record(&mut panes.log, cx, call);
                Vec::new()
            });
            // Only worth a frame when the activity log is on screen.
            state.dirty = state.location.pane == PaneId::Log;
            Vec::new()
        }
        Msg::Transfer(event) => panes::with_panes(state, |_, cx| panes::transfers::on_event(cx, event)),
        Msg::LocalFolder { input, entries } => {
            let pane = state.location.pane;
            panes::with_panes(state, |panes, cx| {
                panes.on_local_folder(pane, cx, &input, &entries);
                Vec::new()
            })
        }
    };
    // Derived views (the audit search over its buffer) follow what the message changed.
    panes::sync_all(state);
    // One timer for toasts, one for spinners: armed only while there is something to show.
    if let Some(at) = state.toasts.next_expiry()
        && state.toasts_timer.is_none_or(|armed| at < armed)
    {
        state.toasts_timer = Some(at);
        effects.push(Effect::Timer { after: at.saturating_duration_since(state.now), timer: Timer::ExpireToasts });
    }
    if !had_activity && busy(state) && !state.spinner_armed {
        state.spinner_armed = true;
        effects.push(Effect::Timer { after: SPINNER_EVERY, timer: Timer::Spinner });
    }
    effects
}

/// Another profile is open: a fresh state, nothing of the previous organization kept but the
/// keymap, the terminal size and the transfer numbering; the loop takes the new client first.
fn switch_profile(state: &mut State, p: OpenedProfile) -> Vec<Effect> {
    // A copied secret is still cleared from the clipboard, whatever the profile.
    let clear = panes::secrets::take_pending_clear(&mut state.panes.secrets);
    let keymap = std::mem::take(&mut state.keymap);
    let mut fresh = State::new(p.info, keymap, p.theme, state.now, state.wall);
    fresh.size = state.size;
    // The old session's refresh timer must not match the new one's.
    fresh.refresh_generation = state.refresh_generation;
    fresh.transfers = panes::transfers::Transfers::after(&state.transfers);
    let text = format!("Profile {}", fresh.session.profile);
    fresh.toasts.push(fresh.now, Level::Success, text);
    for w in p.warnings {
        fresh.toasts.push(fresh.now, Level::Error, w);
    }
    *state = fresh;
    let mut effects = vec![Effect::UseClient(crate::effect::NewClient(p.client)), Effect::FullRedraw];
    effects.extend(clear);
    effects.extend(init(state));
    effects
}

/// The 1 s timer runs: something is in flight, or on screen are ages that only the clock
/// moves (rows kept from a read that failed since).
fn busy(state: &State) -> bool {
    !state.requests.inflight.is_empty()
        || state.ops.pending_count() > 0
        || (state.location.pane == PaneId::Workspaces && state.data.stale_ages())
}

fn quit(state: &mut State) -> Vec<Effect> {
    state.quit = true;
    // A secret copied moments ago does not outlive the dashboard on the clipboard.
    panes::secrets::take_pending_clear(&mut state.panes.secrets).into_iter().chain([Effect::Quit]).collect()
}

fn on_timer(state: &mut State, timer: Timer) -> Vec<Effect> {
    match timer {
        Timer::Refresh { generation } => {
            if generation != state.refresh_generation {
                state.dirty = false;
                return Vec::new();
            }
            state.requests.next_refresh = Some(state.now + state.session.refresh_every);
            let mut effects = panes::refresh_visible(state);
            effects.push(Effect::Timer { after: state.session.refresh_every, timer: Timer::Refresh { generation } });
            state.dirty = false;
            effects
        }
        Timer::PollOperations => ops::on_timer(state),
        Timer::Pane { pane, generation } => panes::with_panes(state, |panes, cx| panes.on_timer(pane, cx, generation)),
        Timer::ExpireToasts => {
            state.toasts_timer = None;
            state.dirty = state.toasts.expire(state.now);
            Vec::new()
        }
        Timer::Spinner => {
            state.spinner_armed = false;
            if busy(state) {
                panes::rebuild(state, &[PaneId::Operations]);
                state.spinner_armed = true;
                return vec![Effect::Timer { after: SPINNER_EVERY, timer: Timer::Spinner }];
            }
            Vec::new()
        }
    }
}

fn on_api(state: &mut State, id: RequestId, reply: Result<ApiReply, ApiError>) -> Vec<Effect> {
    let Some(purpose) = state.requests.finish(id) else {
        // A reply to a request this state never made (or forgot on a reset): drop it.
        state.dirty = false;
        return Vec::new();
    };
    // Servers older than `/v1/users/current` answer 404: the header then names no one, and
    // that is not a failure worth flagging.
    let optional = matches!(&purpose, Purpose::Fetch(Fetch::People(PeopleRequest::CurrentUser)));
    match &reply {
        Ok(_) => state.requests.failing = None,
        Err(_) if optional => {}
        Err(e) => state.requests.failing = Some(e.to_string()),
    }
    match purpose {
        Purpose::Operation(op) => ops::on_reply(state, op, id, reply),
        Purpose::Pane(pane) => panes::with_panes(state, |panes, cx| panes.on_reply(pane, cx, id, reply)),
        Purpose::Fetch(fetch) => on_fetched(state, id, fetch, reply),
    }
}

/// The groups whose workspaces are read: the one drilled into, or as many as the request
/// budget allows (those on screen first; every one when everything was asked for).
fn workspace_scope(state: &mut State) -> Vec<Uuid> {
    if let Some(g) = state.panes.workspaces.group
        && state.location.pane == PaneId::Workspaces
    {
        return vec![g];
    }
    let all: Vec<Uuid> = state.data.groups.value.iter().flatten().map(|g| g.workspace_group_id).collect();
    let shown: Vec<Uuid> = if state.location.pane == PaneId::Groups {
        state.panes.groups.table.on_screen().filter_map(|k| Uuid::parse_str(k).ok()).collect()
    } else {
        panes::workspaces::groups_on_screen(&state.panes.workspaces.table, &state.data)
    };
    let (now, rate, period) = (state.now, state.session.request_rate, state.session.refresh_every);
    state.budget.pick(now, rate, period, &all, &shown)
}

/// A reply of another family than the one asked for: a bug, reported as a failure.
fn unexpected(reply: &ApiReply, now: Instant) -> Failure {
    Failure::new(format!("unexpected reply {reply:?}"), now)
}

/// A reply to a read of shared data (organization, regions, groups, workspaces, one object).
fn on_fetched(state: &mut State, id: RequestId, fetch: Fetch, reply: Result<ApiReply, ApiError>) -> Vec<Effect> {
    let now = state.now;
    let failure = |e: &ApiError| Failure::from_api(e, now);
    let mut effects = Vec::new();
    match fetch {
        Fetch::People(PeopleRequest::CurrentUser) => {
            let result = reply.map_err(|e| failure(&e)).and_then(|r| match r {
                ApiReply::People(PeopleReply::CurrentUser(u)) => Ok(u),
                other => Err(unexpected(&other, now)),
            });
            state.data.me.accept(id, result, now);
        }
        Fetch::Organization => {
            let result = reply.map_err(|e| failure(&e)).and_then(|r| match r {
                ApiReply::Organization(o) => Ok(o),
                other => Err(unexpected(&other, now)),
            });
            if state.data.org.accept(id, result, now) {
                panes::rebuild(state, &[PaneId::Org]);
            }
            if state.data.org.take_queued() {
                effects.extend(state.fetch(Fetch::Organization));
            }
        }
        Fetch::Regions => {
            let result = reply.map_err(|e| failure(&e)).and_then(|r| match r {
                ApiReply::Regions(r) => Ok(r),
                other => Err(unexpected(&other, now)),
            });
            state.data.regions.accept(id, result, now);
            if state.data.regions.take_queued() {
                effects.extend(state.fetch(Fetch::Regions));
            }
        }
        Fetch::Groups => {
            let first = state.data.groups.value.is_none();
            let mut result = reply.map_err(|e| failure(&e)).and_then(|r| match r {
                ApiReply::Groups(g) => Ok(g),
                other => Err(unexpected(&other, now)),
            });
            if let (true, Ok(list)) = (state.data.groups.owns(id), &mut result) {
                let shown = state.data.groups.value.as_deref().unwrap_or_default();
                keep_newer(&mut state.data.as_of, id, shown, list, |g| g.workspace_group_id);
            }
            if state.data.groups.accept(id, result, now) {
                if first {
                    // The workspaces of every group can only be asked for once the groups are known.
                    state.budget.everything = true;
                    let scope = workspace_scope(state);
                    // No group known (the read failed, or there is none): nothing to ask, and an
                    // empty answer must not pass for a fresh read.
                    if !scope.is_empty() {
                        effects.extend(state.fetch(Fetch::Workspaces { groups: scope }));
                    }
                }
                // The lists that show groups, and whatever else is on screen (it may count them).
                panes::rebuild(state, &[PaneId::Groups, PaneId::Workspaces, state.location.pane]);
            }
            if state.data.groups.take_queued() {
                effects.extend(state.fetch(Fetch::Groups));
            }
        }
        Fetch::Workspaces { groups: asked } => {
            if state.data.workspaces.finish(id) {
                match reply {
                    Ok(ApiReply::Workspaces { list, failed, .. }) => {
                        let failed: Vec<(Uuid, Failure)> =
                            failed.into_iter().map(|(g, e)| (g, Failure::new(e, now))).collect();
                        state.data.workspaces_read(&asked, &failed, now);
                        let all = std::mem::take(state.data.workspaces.value.get_or_insert_with(Vec::new));
                        // A group whose read failed keeps its last-known rows (shown stale).
                        let (replaced, mut kept): (Vec<_>, Vec<_>) = all.into_iter().partition(|w| {
                            asked.contains(&w.workspace_group_id)
                                && !failed.iter().any(|(g, _)| *g == w.workspace_group_id)
                        });
                        let mut list = list;
                        keep_newer(&mut state.data.as_of, id, &replaced, &mut list, |w| w.workspace_id);
                        kept.extend(list);
                        kept.sort_by(|a, b| a.name.cmp(&b.name));
                        state.data.workspaces.value = Some(kept);
                        // Only a read of every group asked for counts as fresh.
                        match failed.first() {
                            None => {
                                state.data.workspaces.fetched_at = Some(now);
                                state.data.workspaces.error = None;
                            }
                            Some((g, e)) => {
                                let (name, n) = (state.data.group_name(*g), failed.len());
                                let groups = crate::widgets::count(n, "group", "groups");
                                let message = format!("{groups} not read ({name}: {e})");
                                state.data.workspaces.error = Some(Failure { message, status: e.status, at: now });
                            }
                        }
                    }
                    Ok(other) => state.data.workspaces.fail(unexpected(&other, now)),
                    Err(e) => {
                        let f = failure(&e);
                        let all: Vec<(Uuid, Failure)> = asked.iter().map(|g| (*g, f.clone())).collect();
                        state.data.workspaces_read(&asked, &all, now);
                        state.data.workspaces.fail(f);
                    }
                }
                panes::rebuild(state, &[PaneId::Workspaces, PaneId::Groups, state.location.pane]);
            }
            if state.data.workspaces.take_queued() {
                let scope = workspace_scope(state);
                if !scope.is_empty() {
                    effects.extend(state.fetch(Fetch::Workspaces { groups: scope }));
                }
            }
        }
        Fetch::Workspace(_) | Fetch::Group(_) => match reply {
            Ok(ApiReply::Workspace(ws)) if state.data.seen(ws.workspace_id, id) => ops::merge_workspace(state, ws),
            Ok(ApiReply::Group(g)) if state.data.seen(g.workspace_group_id, id) => ops::merge_group(state, g),
            _ => {}
        },
        Fetch::Clusters(ClustersRequest::List) => {
            let result = reply.map_err(|e| failure(&e)).and_then(|r| match r {
                ApiReply::Clusters(ClustersReply::List(mut list)) => {
                    list.sort_by(|a, b| a.name.cmp(&b.name));
                    Ok(list)
                }
                other => Err(unexpected(&other, now)),
            });
            if state.data.clusters.accept(id, result, now) {
                panes::rebuild(state, &[PaneId::Clusters, state.location.pane]);
            }
            if state.data.clusters.take_queued() {
                effects.extend(state.fetch(Fetch::Clusters(ClustersRequest::List)));
            }
        }
        // Pane reads carry `Purpose::Pane` and are routed to their pane, never here.
        _ => {}
    }
    effects
}

fn on_paste(state: &mut State, text: &str) -> Vec<Effect> {
    match state.modals.last_mut() {
        Some(Modal::Form(f)) => f.form.paste(text),
        Some(Modal::TypedConfirm(c)) => c.paste(text),
        Some(Modal::Palette(p)) => p.input.push_str(text.trim()),
        Some(_) => {}
        None => {
            if let Some(table) = panes::table_mut(state)
                && table.editing_filter
            {
                let f = format!("{}{}", table.filter(), text.trim());
                table.set_filter(&f);
            }
        }
    }
    Vec::new()
}

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return quit(state);
    }
    if !state.modals.is_empty() {
        return on_modal_key(state, key);
    }
    // A key closes the messages in the corner. An `esc` that would leave the pane does only
    // that: it was meant for the message (clearing a filter or marks still happens).
    if !state.toasts.is_empty() {
        state.toasts.items.clear();
        let would_leave =
            panes::table(state).is_none_or(|t| t.filter().is_empty() && t.marks.is_empty() && !t.editing_filter);
        if key.code == KeyCode::Esc && would_leave {
            return Vec::new();
        }
    }
    if panes::table(state).is_some_and(|t| t.editing_filter) {
        return on_filter_key(state, key);
    }
    match state.keymap.lookup(&state.contexts(), &key) {
        Some(action) => on_action(state, action),
        None => {
            state.dirty = false;
            Vec::new()
        }
    }
}

fn on_filter_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(table) = panes::table_mut(state) else { return Vec::new() };
    let mut filter = table.filter().to_string();
    if crate::widgets::edit_line(&mut filter, &key) {
        table.set_filter(&filter);
        return Vec::new();
    }
    match key.code {
        KeyCode::Esc => {
            table.editing_filter = false;
            filter.clear();
        }
        KeyCode::Enter | KeyCode::Down | KeyCode::Up => table.editing_filter = false,
        KeyCode::Backspace if filter.pop().is_none() => table.editing_filter = false,
        KeyCode::Backspace => {}
        KeyCode::Char(c) => filter.push(c),
        _ => {}
    }
    table.set_filter(&filter);
    Vec::new()
}

pub fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => quit(state),
        Action::Back | Action::BackOrQuit => back(state, action == Action::BackOrQuit),
        Action::CommandPalette => {
            let palette =
                Palette::new(panes::commands(state.session.api_version)).with_profiles(state.session.profiles.clone());
            state.modals.push(Modal::Palette(palette));
            Vec::new()
        }
        Action::Help => {
            state.modals.push(Modal::Help(Help::default()));
            Vec::new()
        }
        Action::Refresh => {
            state.toasts.push(state.now, Level::Info, "Refreshing…");
            // Everything now, whatever the request budget says; kept for the read queued
            // behind one in flight, dropped if the pane reads no workspaces.
            state.budget.everything = true;
            let effects = panes::restart_refresh(state);
            if !state.data.workspaces.is_queued() {
                state.budget.everything = false;
            }
            effects
        }
        Action::SuspendApp => vec![Effect::SuspendApp],
        Action::NextPane | Action::PrevPane => {
            let all = PaneId::shown(state.session.api_version);
            let i = all.iter().position(|p| *p == state.location.pane).unwrap_or(0) as isize;
            let step = if action == Action::NextPane { 1 } else { -1 };
            let next = all[(i + step).rem_euclid(all.len() as isize) as usize];
            panes::jump(state, next)
        }
        a if a.pane_number().is_some() => {
            match a.pane_number().and_then(|n| PaneId::shown(state.session.api_version).get(n - 1).copied()) {
                Some(pane) => panes::jump(state, pane),
                None => Vec::new(),
            }
        }
        a => {
            if panes::on_list_action(state, a) {
                return Vec::new();
            }
            if state.session.read_only && a.is_mutation() {
                let msg = if state.session.production {
                    "Read-only: this is a production profile (set read_only = false in its config to allow changes)."
                } else {
                    "Read-only mode: changes are disabled (start without --read-only to make them)."
                };
                state.toasts.push(state.now, Level::Error, msg);
                return Vec::new();
            }
            panes::on_pane_action(state, a)
        }
    }
}

/// `esc`: clear the filter, then the marks, then go back. `q` goes back out of a drill-down and
/// quits from a top-level pane (k9s).
fn back(state: &mut State, quit_at_root: bool) -> Vec<Effect> {
    if quit_at_root {
        if !panes::at_top_level(state)
            && let Some(effects) = panes::go_back(state)
        {
            return effects;
        }
        return quit(state);
    }
    if let Some(table) = panes::table_mut(state) {
        if !table.filter().is_empty() {
            table.set_filter("");
            return Vec::new();
        }
        if !table.marks.is_empty() {
            table.marks.clear();
            return Vec::new();
        }
    }
    if let Some(effects) = panes::go_back(state) {
        return effects;
    }
    state.dirty = false;
    Vec::new()
}

fn on_modal_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let page = state.size.1.saturating_sub(6) as usize;
    let Some(top) = state.modals.last_mut() else { return Vec::new() };
    match top {
        Modal::Help(h) => {
            if h.handle_key(key) {
                state.modals.pop();
            }
            Vec::new()
        }
        Modal::Describe(view) => match view.handle_key(key, page) {
            JsonOutcome::Stay => Vec::new(),
            JsonOutcome::Close => {
                state.modals.pop();
                Vec::new()
            }
            JsonOutcome::Copy => {
                let text = view.text.clone();
                state.toasts.push(state.now, Level::Info, "Copied the JSON");
                vec![Effect::Copy(text)]
            }
        },
        Modal::Palette(p) => match p.handle_key(key) {
            PaletteOutcome::Stay => Vec::new(),
            PaletteOutcome::Cancel => {
                state.modals.pop();
                Vec::new()
            }
            PaletteOutcome::Unknown(word) => {
                state.modals.pop();
                state.toasts.push(
                    state.now,
                    Level::Error,
                    format!("Unknown command :{word} (type : and the start of a name to see the matching commands)"),
                );
                Vec::new()
            }
            PaletteOutcome::Run { command, args } => {
                state.modals.pop();
                run_command(state, command, &args)
            }
        },
        Modal::Confirm(c) => match c.handle_key(key) {
            Answer::Undecided => Vec::new(),
            Answer::No => {
                state.modals.pop();
                Vec::new()
            }
            Answer::Yes => match state.modals.pop() {
                Some(Modal::Confirm(c)) => panes::with_panes(state, |_, cx| ops::send(cx, c.payload)),
                _ => Vec::new(),
            },
        },
        Modal::TypedConfirm(c) => match c.handle_key(key) {
            Answer::Undecided => Vec::new(),
            Answer::No => {
                state.modals.pop();
                Vec::new()
            }
            Answer::Yes => match state.modals.pop() {
                Some(Modal::TypedConfirm(c)) => panes::with_panes(state, |_, cx| ops::send(cx, c.payload)),
                _ => Vec::new(),
            },
        },
        Modal::Reveal(r) => match key.code {
            KeyCode::Char('y') => {
                r.copied = true;
                let what = r.what;
                let text = r.secret.clone();
                if what == "password" {
                    let secret = panes::secrets::SecretValue::new(text);
                    panes::secrets::copy_secret(
                        &mut state.panes.secrets,
                        &mut state.toasts,
                        state.now,
                        "the password",
                        secret,
                    )
                } else {
                    state.toasts.push(state.now, Level::Info, format!("Copied the {what} to the clipboard"));
                    vec![Effect::Copy(text)]
                }
            }
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => {
                state.modals.pop();
                Vec::new()
            }
            _ => Vec::new(),
        },
        // The Stage pane's own dialogs.
        Modal::Files(_) => panes::with_panes(state, |panes, cx| panes.on_modal_key(PaneId::Stage, cx, key)),
        Modal::Form(f) => {
            // A form belongs to its pane (it may take a key first: tab completes a path).
            let pane = f.purpose.owner().unwrap_or(state.location.pane);
            let (taken, mut effects) = panes::dispatch(state, |panes, cx| panes.on_form_key(pane, cx, key));
            if let Some(mine) = taken {
                effects.extend(mine);
                return effects;
            }
            let Some(Modal::Form(f)) = state.modals.last_mut() else { return effects };
            match f.form.handle_key(key) {
                FormOutcome::Editing => panes::with_panes(state, |panes, cx| panes.on_form_edit(pane, cx)),
                FormOutcome::Cancel => {
                    state.modals.pop();
                    Vec::new()
                }
                FormOutcome::Submit => {
                    let Some(Modal::Form(f)) = state.modals.last() else { return Vec::new() };
                    let purpose = f.purpose;
                    panes::with_panes(state, |panes, cx| panes.on_form(pane, cx, purpose))
                }
            }
        }
    }
}

fn run_command(state: &mut State, command: &str, args: &[String]) -> Vec<Effect> {
    // A pane's command: go there; the pane reads any arguments (`:pc NAME`, `:audit k=v`).
    if let Some(pane) = panes::pane_named(command) {
        let version = state.session.api_version;
        if !pane.speaks(version) {
            let text = format!(":{command} is not available at API {version}");
            state.toasts.push(state.now, Level::Error, text);
            return Vec::new();
        }
        return panes::command(state, pane, args);
    }
    match command {
        "refresh" => on_action(state, Action::Refresh),
        "help" => on_action(state, Action::Help),
        "quit" => quit(state),
        "profile" => match args.first() {
            Some(name) if *name == state.session.profile => {
                state.toasts.push(state.now, Level::Info, format!("Already on profile {name}"));
                Vec::new()
            }
            Some(name) => vec![Effect::SwitchProfile(name.clone())],
            // `:profile` alone lists the profiles to pick from, as k9s's `:ctx` does.
            None if !state.session.profiles.is_empty() => {
                let mut palette = Palette::new(panes::commands(state.session.api_version))
                    .with_profiles(state.session.profiles.clone());
                palette.input = "profile ".to_string();
                state.modals.push(Modal::Palette(palette));
                Vec::new()
            }
            None => {
                let text = "No profiles in the config file (see `s2tui paths`); add one to switch to it";
                state.toasts.push(state.now, Level::Info, text);
                Vec::new()
            }
        },
        other => {
            let extra = if args.is_empty() { String::new() } else { format!(" {}", args.join(" ")) };
            state.toasts.push(state.now, Level::Error, format!(":{other}{extra} is not available here"));
            Vec::new()
        }
    }
}
