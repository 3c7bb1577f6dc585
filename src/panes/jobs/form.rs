//! The create-job form and what it sends. Every field is checked where it is typed; the
//! schedule's interval and the database are checked against the fields they depend on.

use uuid::Uuid;

use super::JobsPane;
use crate::api::ApiVersion;
use crate::api::types::JobsChange;
use crate::api::types::*;
use crate::effect::{Effect, Mutation};
use crate::panes::ops::Planned;
use crate::panes::pane::Ctx;
use crate::widgets::form::{Field, Form};
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::toast::Level;

const DEFAULT_RUNTIME: &str = "(default)";
const NO_TARGET: &str = "(none)";
const SCHEDULES: [&str; 2] = ["Recurring", "Once"];
/// A year, in minutes: longer intervals are almost certainly a typo.
const MAX_INTERVAL: i64 = 525_600;

/// `c`: opens the form, first asking for the runtimes if they are not known yet.
pub fn start(p: &mut JobsPane, cx: &mut Ctx) -> Vec<Effect> {
    if p.runtimes.is_some() {
        open(p, cx);
        return Vec::new();
    }
    p.form_waiting = true;
    super::ask_runtimes(p, cx)
}

/// Workspaces (v1) or clusters (v2) a job can run on, as the form shows them.
pub fn targets(cx: &Ctx) -> Vec<(String, Uuid)> {
    if cx.session.api_version == ApiVersion::V2 {
        let mut list: Vec<(String, Uuid)> = cx
            .data
            .clusters
            .value
            .iter()
            .flatten()
            .filter(|c| !c.is_terminated() && c.state() != ClusterState::Failed)
            .map(|c| (format!("{} ({})", c.name, c.region.as_deref().unwrap_or("-")), c.cluster_id))
            .collect();
        list.sort();
        return list;
    }
    let mut list: Vec<(String, Uuid)> = cx
        .data
        .workspaces
        .value
        .iter()
        .flatten()
        .filter(|w| !matches!(w.state, WorkspaceState::Terminated | WorkspaceState::Failed))
        .map(|w| (format!("{} ({})", w.name, cx.data.group_name(w.workspace_group_id)), w.workspace_id))
        .collect();
    list.sort();
    list
}

pub fn open(p: &mut JobsPane, cx: &mut Ctx) {
    let mut runtimes = vec![DEFAULT_RUNTIME.to_string()];
    runtimes.extend(p.runtimes.iter().flatten().map(|r| r.name.clone()));
    let mut targets: Vec<String> = vec![NO_TARGET.to_string()];
    targets.extend(self::targets(cx).into_iter().map(|(label, _)| label));
    let (noun, plural, loaded) = match cx.session.api_version {
        ApiVersion::V1 => ("workspace", "Workspaces", cx.data.workspaces.value.is_some()),
        ApiVersion::V2 => ("cluster", "Clusters", cx.data.clusters.value.is_some()),
    };
    if targets.len() == 1 && !loaded {
        let text = format!("{plural} are still loading: reopen the form to pick a target.");
        cx.toasts.push(cx.now, Level::Info, text);
    }
    // A notebook of the shared Files space, picked; typed when the space could not be read.
    let notebook = match &p.notebooks {
        Some(Ok(paths)) if !paths.is_empty() => {
            Field::choice("notebook", "Notebook", paths.clone(), 0).hint("from the shared Files space")
        }
        Some(Err(e)) => Field::text("notebook", "Notebook", "")
            .validate(notebook_path)
            .hint(format!("the shared space could not be read ({e}); type a path, e.g. Jobs/etl.ipynb")),
        _ => Field::text("notebook", "Notebook", "")
            .validate(notebook_path)
            .hint("a shared notebook, e.g. Jobs/etl.ipynb"),
    };
    let mut form = Form::new(
        "Create job",
        vec![
            Field::text("name", "Name", "").validate(job_name).hint("what the job is called"),
            Field::text("description", "Description", ""),
            notebook,
            Field::choice("runtime", "Runtime", runtimes, 0),
            Field::choice("schedule", "Schedule", SCHEDULES.iter().map(|s| s.to_string()).collect(), 0),
            Field::text("interval", "Every (minutes)", "60").validate(interval).hint("whole minutes, for Recurring"),
            Field::text("start", "Start at (UTC)", "").validate(start_time).hint("empty = now; 2026-07-01 09:30"),
            Field::choice("target", format!("Target {noun}"), targets, 1),
            Field::text("database", "Database", "").validate(database).hint("optional; needs a target"),
            Field::toggle("resume", "Resume target", true),
            Field::toggle("snapshot", "Create snapshot", false),
            Field::text("params", "Parameters", "")
                .validate(parameters)
                .hint("name:type=value; … (string, integer, float, boolean)"),
        ],
    )
    .with_cross_check(cross_check);
    form.note =
        p.runtimes_failure().map(|f| format!("Runtime: only the default, the runtimes could not be read ({f})."));
    cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::CreateJob, request: None }));
}

fn cross_check(form: &Form) -> Vec<(&'static str, String)> {
    let mut errors = Vec::new();
    if form.value("schedule") == "Recurring" && form.value("interval").trim().is_empty() {
        errors.push(("interval", "a Recurring job needs an interval".to_string()));
    }
    if !form.value("database").trim().is_empty() && form.value("target") == NO_TARGET {
        errors.push(("database", "pick a target workspace for the database".to_string()));
    }
    errors
}

pub fn job_name(s: &str) -> Result<(), String> {
    match s.chars().count() {
        0 => Err("required".into()),
        n if n > 128 => Err("at most 128 characters".into()),
        _ if s.chars().any(char::is_control) => Err("no control characters".into()),
        _ => Ok(()),
    }
}

pub fn notebook_path(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("required".into());
    }
    if s.starts_with('/') {
        return Err("a path inside the shared space, without a leading /".into());
    }
    if !s.ends_with(".ipynb") {
        return Err("must end in .ipynb".into());
    }
    Ok(())
}

pub fn interval(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    match s.parse::<i64>() {
        Ok(n) if (1..=MAX_INTERVAL).contains(&n) => Ok(()),
        Ok(_) => Err(format!("from 1 to {MAX_INTERVAL} minutes")),
        Err(_) => Err("a whole number of minutes".into()),
    }
}

/// Parses a start time typed in the form: RFC3339, or `YYYY-MM-DD HH:MM[:SS]` / a date, in UTC.
pub fn parse_start(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc())
}

pub fn start_time(s: &str) -> Result<(), String> {
    if s.is_empty() || parse_start(s).is_some() {
        Ok(())
    } else {
        Err("a time like 2026-07-01 09:30 (UTC) or 2026-07-01T09:30:00Z".into())
    }
}

pub fn database(s: &str) -> Result<(), String> {
    if s.is_empty() || s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
        Ok(())
    } else {
        Err("letters, digits, _ and $".into())
    }
}

/// Parses `name:type=value; …` into typed parameters, each value checked against its type.
pub fn parse_parameters(s: &str) -> Result<Vec<JobParameter>, String> {
    let mut out: Vec<JobParameter> = Vec::new();
    for entry in s.split([';', '\n']).map(str::trim).filter(|e| !e.is_empty()) {
        let (head, value) = entry.split_once('=').ok_or_else(|| format!("{entry:?}: write name:type=value"))?;
        let (name, kind) = head.split_once(':').ok_or_else(|| format!("{entry:?}: write name:type=value"))?;
        let (name, kind, value) = (name.trim(), kind.trim().to_ascii_lowercase(), value.trim());
        let starts_ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if !starts_ok || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("{name:?}: a name is letters, digits and _, not starting with a digit"));
        }
        if out.iter().any(|p| p.name == name) {
            return Err(format!("{name}: given twice"));
        }
        let (kind, value) = match kind.as_str() {
            "string" | "str" => (ParameterType::String, value.to_string()),
            "integer" | "int" => match value.parse::<i64>() {
                Ok(n) => (ParameterType::Integer, n.to_string()),
                Err(_) => return Err(format!("{name}: {value:?} is not an integer")),
            },
            "float" => match value.parse::<f64>() {
                Ok(f) if f.is_finite() => (ParameterType::Float, value.to_string()),
                _ => return Err(format!("{name}: {value:?} is not a number")),
            },
            // The service writes booleans the Python way.
            "boolean" | "bool" => match value.to_ascii_lowercase().as_str() {
                "true" => (ParameterType::Boolean, "True".to_string()),
                "false" => (ParameterType::Boolean, "False".to_string()),
                _ => return Err(format!("{name}: {value:?} is not true or false")),
            },
            other => return Err(format!("{name}: unknown type {other:?} (string, integer, float, boolean)")),
        };
        out.push(JobParameter { name: name.to_string(), kind, value });
    }
    Ok(out)
}

fn parameters(s: &str) -> Result<(), String> {
    parse_parameters(s).map(|_| ())
}

fn optional(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The create request for a submitted form (every field already valid).
pub fn planned_create(p: &JobsPane, cx: &Ctx, form: &Form) -> Result<Planned, String> {
    let name = form.value("name").trim().to_string();
    let runtime = form.value("runtime");
    let recurring = form.value("schedule") == "Recurring";
    let interval: Option<i64> = form.value("interval").trim().parse().ok();
    if recurring && interval.is_none() {
        return Err("a Recurring job needs an interval".into());
    }
    let start = match optional(form.value("start")) {
        Some(s) => Some(parse_start(&s).ok_or("the start time is not a time")?),
        None => None,
    };
    let target_label = form.value("target");
    let target = if target_label == NO_TARGET {
        None
    } else {
        let id = targets(cx)
            .into_iter()
            .find(|(label, _)| *label == target_label)
            .map(|(_, id)| id)
            .ok_or_else(|| format!("target {target_label} is gone"))?;
        Some(JobTargetConfig {
            target_id: id,
            // The same deployment is a `Workspace` target at v1 and a `Cluster` target at v2.
            target_type: match cx.session.api_version {
                ApiVersion::V1 => TargetType::Workspace,
                ApiVersion::V2 => TargetType::Cluster,
            },
            resume_target: form.value("resume") == "true",
            database_name: optional(form.value("database")),
        })
    };
    let body = JobCreate {
        name: Some(name.clone()),
        description: optional(form.value("description")),
        execution_config: JobCreateExecutionConfig {
            notebook_path: form.value("notebook").trim().to_string(),
            create_snapshot: form.value("snapshot") == "true",
            runtime_name: (runtime != DEFAULT_RUNTIME).then_some(runtime),
        },
        schedule: JobSchedule {
            mode: if recurring { ScheduleMode::Recurring } else { ScheduleMode::Once },
            start_at: start.map(|t| t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()),
            execution_interval_in_minutes: if recurring { interval } else { None },
        },
        target_config: target,
        parameters: parse_parameters(&form.value("params"))?,
    };
    Ok(Planned::change(
        Mutation::Job(JobsChange::Create { org: super::org(cx), dir: p.store(cx), body: Box::new(body) }),
        "create job",
        "created",
        None,
        name,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_typed_and_checked() {
        let p = parse_parameters("batch:integer=500; ratio:float=0.5; dry:boolean=TRUE; label:string=a b")
            .unwrap_or_default();
        assert_eq!(p.len(), 4);
        assert_eq!(p[2].value, "True");
        assert_eq!(p[3].value, "a b");
        assert!(parse_parameters("n:integer=1.5").is_err());
        assert!(parse_parameters("x:float=abc").is_err());
        assert!(parse_parameters("b:boolean=maybe").is_err());
        assert!(parse_parameters("a:integer=1; a:integer=2").is_err());
        assert!(parse_parameters("1a:string=x").is_err());
        assert!(parse_parameters("a=1").is_err());
        assert!(parse_parameters("a:date=1").is_err());
        assert_eq!(parse_parameters(" ; ").map(|v| v.len()), Ok(0));
    }

    #[test]
    fn start_times() {
        assert!(parse_start("2026-07-01 09:30").is_some());
        assert!(parse_start("2026-07-01T09:30:00Z").is_some());
        assert!(parse_start("2026-07-01").is_some());
        assert!(parse_start("tomorrow").is_none());
    }
}
