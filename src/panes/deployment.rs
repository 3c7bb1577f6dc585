//! What the workspaces pane (v1) and the clusters pane (v2) share: a deployment's state and
//! auto-suspend as a row shows them, batch suspend and resume with their confirmation and
//! cost, the create confirmation, the cost estimate of an open
//! form, the choices forms offer, copying the connection string and opening a SQL shell.

use uuid::Uuid;

use crate::api::types::SuspendType;
use crate::effect::Effect;
use crate::panes::ops::{OpKind, Planned};
use crate::panes::pane::Ctx;
use crate::panes::usage::estimate;
use crate::theme::{Tone, tone_of};
use crate::widgets::confirm::Confirm;
use crate::widgets::modal::{FormPurpose, Modal};
use crate::widgets::table::TableState;
use crate::widgets::toast::Level;

/// Sizes offered in forms; the API accepts `S-<n>`.
pub const SIZES: [&str; 12] =
    ["S-00", "S-0", "S-1", "S-2", "S-4", "S-6", "S-8", "S-12", "S-16", "S-24", "S-32", "S-48"];
pub const MULTIPLIERS: [&str; 3] = ["1", "2", "4"];
pub const SUSPEND_TYPES: [&str; 3] = ["DISABLED", "IDLE", "SCHEDULED"];
pub const SENSITIVITIES: [&str; 3] = ["NORMAL", "LOW", "HIGH"];
pub const DEPLOYMENT_TYPES: [&str; 2] = ["PRODUCTION", "NON-PRODUCTION"];

pub fn options(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

pub fn index_of(options: &[&str], value: &str) -> usize {
    options.iter().position(|o| *o == value).unwrap_or(0)
}

/// One deployment (a workspace or a cluster) as the shared pieces see it.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub id: Uuid,
    pub name: String,
    /// The state as the API reports it.
    pub state: String,
    pub size: String,
    pub scale: Option<f64>,
    pub cache: Option<f64>,
    pub scaling: Option<f64>,
    pub endpoint: Option<String>,
    /// Where it lives: its group (v1) or its project (v2).
    pub place: String,
}

impl Deployment {
    fn is(&self, state: &str) -> bool {
        self.state == state
    }
}

/// What the state column says: the API's state, or the dashboard's own "suspending…" (or what
/// a change still waits for once the API says `ACTIVE`, such as a firewall not applied yet).
pub fn shown_state(cx: &Ctx, d: &Deployment) -> (String, Tone) {
    match cx.ops.pending_for(d.id) {
        Some(op) => match &op.observed {
            Some(seen) if seen.contains("not applied yet") => (seen.clone(), Tone::Busy),
            _ => (op.progress(), Tone::Busy),
        },
        None => match d.scaling {
            Some(p) if d.is("ACTIVE") => (format!("scaling {p:.0}%"), Tone::Busy),
            _ => (d.state.clone(), tone_of(&d.state)),
        },
    }
}

/// The auto-suspend column: `idle 1h`, `sched 30m` or `off`.
pub fn auto_suspend(kind: Option<&SuspendType>, after_seconds: Option<f64>) -> String {
    let Some(kind) = kind else { return "off".into() };
    let after = crate::state::human_duration(std::time::Duration::from_secs(after_seconds.unwrap_or(0.0) as u64));
    match kind {
        SuspendType::Idle => format!("idle {after}"),
        SuspendType::Scheduled => format!("sched {after}"),
        SuspendType::Disabled => "off".into(),
        SuspendType::Unknown(s) => s.clone(),
    }
}

/// Suspend or resume `targets` (the marked ones, or the selected one) after one confirmation;
/// `noun` is `workspace` or `cluster`, `plan` makes each change.
pub fn batch(
    cx: &mut Ctx,
    targets: Vec<Deployment>,
    kind: OpKind,
    noun: &str,
    plan: impl Fn(&Deployment) -> Planned,
) -> Vec<Effect> {
    let suspend = kind == OpKind::SuspendWorkspace;
    let (want, verb) = if suspend { ("ACTIVE", "Suspend") } else { ("SUSPENDED", "Resume") };
    let (eligible, skipped): (Vec<Deployment>, Vec<Deployment>) =
        targets.into_iter().partition(|d| d.is(want) && cx.ops.pending_for(d.id).is_none());
    if eligible.is_empty() {
        let why = match skipped.first() {
            Some(d) if cx.ops.pending_for(d.id).is_some() => format!("{} is already changing", d.name),
            Some(d) => format!("{} is {}", d.name, d.state),
            None => "nothing selected".into(),
        };
        cx.toasts.push(cx.now, Level::Error, format!("{verb}: {why}"));
        return Vec::new();
    }
    let mut lines = vec![if eligible.len() == 1 {
        format!("{verb} {noun} {}?", eligible[0].name)
    } else {
        format!("{verb} {} {noun}s?", eligible.len())
    }];
    for d in &eligible {
        lines.push(format!("  • {} ({}, {})", d.name, d.size, d.place));
    }
    if !skipped.is_empty() {
        let names: Vec<&str> = skipped.iter().map(|d| d.name.as_str()).collect();
        lines.push(format!("Skipped (not {}): {}", want, names.join(", ")));
    }
    // What resuming costs is shown in the confirmation once the billing API answers.
    let costs: Vec<estimate::Config> = eligible
        .iter()
        .filter(|_| !suspend)
        .map(|d| estimate::Config {
            id: d.id,
            size: d.size.clone(),
            scale: d.scale.unwrap_or(1.0),
            cache: d.cache.unwrap_or(1.0),
        })
        .collect();
    let planned = eligible.iter().map(plan).collect();
    let title = if eligible.len() == 1 { format!("{verb} {noun}") } else { format!("{verb} {noun}s") };
    cx.modals.push(Modal::Confirm(Confirm::new(title, lines, planned)));
    estimate::start(cx, costs)
}

/// Asks what the open create or edit form would cost per hour: always when it opens
/// (`fresh`), afterwards only when the size, scale or cache choice changed.
pub fn form_estimate(cx: &mut Ctx, fresh: bool) -> Vec<Effect> {
    let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
    let id = match f.purpose {
        FormPurpose::CreateWorkspace | FormPurpose::Create => Uuid::nil(),
        FormPurpose::EditWorkspace(id) | FormPurpose::Edit(id) => id,
        _ => return Vec::new(),
    };
    let num = |name: &str| f.form.value(name).trim().parse::<f64>().unwrap_or(1.0);
    let config = estimate::Config { id, size: f.form.value("size"), scale: num("scale"), cache: num("cache") };
    if fresh { estimate::start(cx, vec![config]) } else { estimate::changed(cx, vec![config]) }
}

/// Asks before a billable create, with the cost estimate the form shows (or will get):
/// `what` says what is created and where.
pub fn confirm_create(cx: &mut Ctx, title: &str, what: String, planned: Planned) -> Vec<Effect> {
    let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
    let size = f.form.value("size");
    let note = f.form.note.clone();
    let mut lines = vec![what, "It starts running at once and is billed while it runs.".to_string()];
    lines.extend(note);
    let ask_again = !cx.estimate.read.in_flight() && cx.estimate.text.is_none();
    cx.modals.push(Modal::Confirm(Confirm::new(title, lines, vec![planned])));
    if ask_again {
        let config = estimate::Config { id: Uuid::nil(), size, scale: 1.0, cache: 1.0 };
        return estimate::start(cx, vec![config]);
    }
    Vec::new()
}

/// A list shown for another group or project starts without the old filter and marks.
pub fn clear_for_new_scope(table: &mut TableState) {
    table.set_filter("");
    table.editing_filter = false;
    table.marks.clear();
}

/// What `y` copies: a mysql command line for the admin user.
pub fn connection_string(endpoint: &str) -> String {
    format!("mysql -h {endpoint} -P 3306 -u admin -p")
}

/// `y`: the connection string of `d`, if it has an endpoint; `noun` names what it is.
pub fn copy(cx: &mut Ctx, d: Option<Deployment>, noun: &str) -> Vec<Effect> {
    match d.and_then(|d| d.endpoint.map(|e| (d.name, e))) {
        Some((name, endpoint)) => {
            cx.copy(connection_string(&endpoint), format!("Copied the connection string of {name}"))
        }
        None => no_endpoint(cx, noun),
    }
}

/// `x`: a SQL shell on `d` when it is `ACTIVE` and has an endpoint.
pub fn shell(cx: &mut Ctx, d: Option<Deployment>, noun: &str) -> Vec<Effect> {
    match d {
        Some(d) if d.is("ACTIVE") => match d.endpoint {
            Some(endpoint) => vec![Effect::SqlShell { endpoint, user: "admin".into() }],
            None => no_endpoint(cx, noun),
        },
        Some(d) => {
            let msg = format!("{} is {}: resume it first (r)", d.name, d.state);
            cx.toasts.push(cx.now, Level::Error, msg);
            Vec::new()
        }
        None => Vec::new(),
    }
}

fn no_endpoint(cx: &mut Ctx, noun: &str) -> Vec<Effect> {
    cx.toasts.push(cx.now, Level::Error, format!("This {noun} has no endpoint yet."));
    Vec::new()
}
