//! What a workspace would cost per hour, asked of `POST /v1/billing/usage/simulate` while a
//! create or resize form is open (again each time the size changes) and before a resume.
//! Only the latest request counts; its answer becomes a note line in the form or the
//! confirmation that is on top.

use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch};
use crate::panes::pane::Ctx;
use crate::state::{PaneId, Purpose, Resource};

use crate::widgets::modal::{FormPurpose, Modal};

/// Every estimate line starts with this, so a confirmation's line can be found and replaced.
pub const PREFIX: &str = "Estimated cost";

/// One workspace as it would run.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The workspace, or nil for one that does not exist yet.
    pub id: Uuid,
    pub size: String,
    pub scale: f64,
    pub cache: f64,
}

#[derive(Debug, Default)]
pub struct Estimate {
    /// The latest request; older answers are dropped.
    pub read: Resource<()>,
    pub asked: Vec<Config>,
    /// The line shown in the modal on top.
    pub text: Option<String>,
}

fn multiplier(v: f64) -> Multiplier {
    match v.round() as i64 {
        2 => Multiplier::X2,
        4 => Multiplier::X4,
        _ => Multiplier::X1,
    }
}

/// Asks for the cost of `configs` running for one hour from now, replacing any earlier ask.
pub fn start(cx: &mut Ctx, configs: Vec<Config>) -> Vec<Effect> {
    if configs.is_empty() {
        return Vec::new();
    }
    let from = cx.wall;
    let to = from + chrono::Duration::hours(1);
    let (start_at, end_before) = (format_time(from), format_time(to));
    let body = SimulateUsageRequest {
        start_at: start_at.clone(),
        end_before: end_before.clone(),
        resource_configurations: configs
            .iter()
            .map(|c| SimulationResourceConfig {
                id: c.id,
                start_at: start_at.clone(),
                end_before: end_before.clone(),
                size: Some(c.size.clone()),
                scale_factor: Some(multiplier(c.scale)),
                cache_multiplier: Some(multiplier(c.cache)),
                edition: None,
                status: Some(SimulatedStatus::Active),
                multi_az: None,
                cell_id: None,
            })
            .collect(),
    };
    let id = cx.estimate.read.restart(cx.requests, Purpose::Pane(PaneId::Usage));
    let effect = Effect::Fetch { id, fetch: Fetch::Usage(UsageRequest::Estimate(body)) };
    let e = &mut cx.estimate;
    e.asked = configs;
    e.text = Some(format!("{PREFIX}: asking the billing API…"));
    apply(cx);
    vec![effect]
}

/// Asks again only when what would run changed (a form's size, scale or cache).
pub fn changed(cx: &mut Ctx, configs: Vec<Config>) -> Vec<Effect> {
    if configs == cx.estimate.asked {
        return Vec::new();
    }
    start(cx, configs)
}

/// The line for an answer.
pub fn describe(result: &Result<SimulateUsageResponse, ApiError>, asked: &[Config]) -> String {
    match result {
        Ok(r) if !r.resource_usage.is_empty() => {
            let per_hour: f64 = r.resource_usage.iter().map(|u| u.amount).sum();
            let what = match asked {
                [one] => one.size.clone(),
                many => format!("{} workspaces", many.len()),
            };
            let unit = if fmt(per_hour) == "1" { "credit" } else { "credits" };
            format!("{PREFIX}: ≈ {} {unit}/hour while running ({what}), ≈ {:.0} a day", fmt(per_hour), per_hour * 24.0)
        }
        Ok(_) => format!("{PREFIX}: unavailable (the billing API returned no estimate)"),
        Err(e) => {
            let short: String = e.to_string().chars().take(60).collect();
            format!("{PREFIX}: unavailable ({short})")
        }
    }
}

fn fmt(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub fn on_reply(cx: &mut Ctx, result: Result<SimulateUsageResponse, ApiError>) {
    let e = &mut cx.estimate;
    e.text = Some(describe(&result, &e.asked));
    apply(cx);
}

/// Puts the estimate line into the modal on top, if it is one that wants it.
fn apply(cx: &mut Ctx) {
    let Some(text) = cx.estimate.text.clone() else { return };
    match cx.modals.last_mut() {
        Some(Modal::Form(f)) if matches!(f.purpose, FormPurpose::CreateWorkspace | FormPurpose::EditWorkspace(_)) => {
            f.form.note = Some(text);
        }
        Some(Modal::Confirm(c)) if c.title.starts_with("Resume") || c.title == "Create workspace" => {
            match c.lines.iter_mut().find(|l| l.starts_with(PREFIX)) {
                Some(line) => *line = text,
                None => c.lines.push(text),
            }
        }
        _ => {}
    }
}
