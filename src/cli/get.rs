//! `s2tui get <resource>`: every resource the dashboard shows, as a table or JSON.

use chrono::{Duration as ChronoDuration, Utc};
use clap::{Args, Subcommand};
use futures_util::stream::{self, StreamExt, TryStreamExt};
use uuid::Uuid;

use super::output::json;
use super::resolve;
use super::table::{Table, or_dash};
use super::{Output, Session, exit, output};
use crate::api::ApiVersion;
use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::types::*;

/// How many groups are asked for their workspaces at once.
const FAN_OUT: usize = 8;

#[derive(Debug, Args)]
pub struct GetArgs {
    #[command(subcommand)]
    pub resource: Resource,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Output::Table, global = true)]
    pub output: Output,
}

#[derive(Debug, Subcommand)]
pub enum Resource {
    /// The organization at a glance: groups and their workspaces.
    Overview,
    /// Workspace groups.
    #[command(alias = "wg", alias = "group")]
    Groups {
        /// Include terminated groups.
        #[arg(long)]
        include_terminated: bool,
    },
    /// Workspaces of every group, or of one.
    #[command(alias = "ws", alias = "workspace")]
    Workspaces {
        /// Only this workspace group (id or name).
        #[arg(long, value_name = "GROUP")]
        group: Option<String>,
        /// Include terminated workspaces.
        #[arg(long)]
        include_terminated: bool,
    },
    /// Projects: every deployment belongs to one.
    #[command(alias = "project")]
    Projects,
    /// Clusters (API v2): the deployments, with their project, size and firewall.
    #[command(alias = "cluster", alias = "cl")]
    Clusters {
        /// Only this project's clusters.
        #[arg(long, value_name = "PROJECT_ID")]
        project: Option<Uuid>,
        /// Include terminated clusters.
        #[arg(long)]
        include_terminated: bool,
    },
    /// Starter (shared-tier) deployments: starter clusters at v2, starter workspaces at v1.
    #[command(alias = "starter")]
    Starters,
    /// Regions (v1 by default).
    Regions {
        /// The v2 list (provider + region code).
        #[arg(long, conflicts_with = "shared_tier")]
        v2: bool,
        /// Regions for starter (shared-tier) workspaces.
        #[arg(long)]
        shared_tier: bool,
    },
    /// The organization the key belongs to.
    #[command(alias = "organization")]
    Org,
    /// Secrets (names and dates; values are never printed).
    Secrets,
    /// Teams with member counts.
    Teams,
    /// Private connections of every group, or of one.
    #[command(alias = "pc")]
    Connections {
        /// Only this workspace group (id or name).
        #[arg(long, value_name = "GROUP")]
        group: Option<String>,
    },
    /// Stage files.
    Stage {
        #[command(subcommand)]
        action: StageAction,
    },
    /// Jobs by id or name (names need a server with a job list).
    Jobs {
        /// Job ids or names.
        ids: Vec<String>,
    },
    /// Executions of a job, newest first.
    Executions {
        /// Job id or name.
        job: String,
        /// How many of the latest executions.
        #[arg(long, default_value_t = 20)]
        last: i64,
    },
    /// Audit log entries.
    Audit {
        /// At most this many entries.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Only entries since this long ago, e.g. 1h, 30m, 7d.
        #[arg(long, default_value = "24h", value_parser = parse_since)]
        since: ChronoDuration,
        /// Audit type, e.g. Workspace.Suspend.
        #[arg(long = "type")]
        kind: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// Workspace group (id or name).
        #[arg(long, value_name = "GROUP")]
        group: Option<String>,
        /// Workspace (id or name).
        #[arg(long, value_name = "WORKSPACE")]
        workspace: Option<String>,
    },
    /// Storage DR of a workspace group: replicas, the serving region, the latest operation.
    Dr {
        /// Workspace group (id or name).
        group: String,
    },
    #[command(flatten)]
    People(super::people::PeopleResource),
    /// A Files space folder: personal, shared or models (notebooks live here).
    Files {
        /// personal, shared or models.
        space: FileSpace,
        /// Folder path; the root when omitted.
        #[arg(default_value = "")]
        path: String,
    },
    /// Flow instances (ingest and migration).
    #[command(alias = "flow")]
    Flows {
        /// Include deleted instances.
        #[arg(long)]
        include_terminated: bool,
    },
    /// Cloud functions (every page).
    #[command(alias = "function", alias = "cloudfunctions")]
    Functions,
    /// Billing usage (compute credits and storage).
    Usage {
        /// Window ending now, e.g. 24h, 7d, 30d.
        #[arg(long, default_value = "24h", value_parser = parse_since)]
        since: ChronoDuration,
        /// hour, day or month.
        #[arg(long, default_value = "hour")]
        aggregate: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum StageAction {
    /// List a Stage folder.
    Ls {
        /// At API v1 a workspace group, starter workspace or workspace; at v2 a cluster: id or
        /// name; `NAME:PATH` also works.
        deployment: String,
        /// Folder path; the root when omitted.
        #[arg(default_value = "")]
        path: String,
    },
}

/// The longest look back: the API keeps nothing older, and dates beyond it would overflow.
const MAX_SINCE_DAYS: i64 = 100 * 366;

fn parse_since(s: &str) -> Result<ChronoDuration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: i64 = num.parse().map_err(|_| format!("{s:?}: expected a number and a unit, e.g. 24h or 7d"))?;
    let per_day = match unit {
        "m" => 24 * 60,
        "h" => 24,
        "d" => 1,
        _ => return Err(format!("{s:?}: the unit must be m, h or d")),
    };
    if n > MAX_SINCE_DAYS * per_day {
        return Err(format!("{s:?} is too far back: at most {MAX_SINCE_DAYS}d"));
    }
    Ok(match unit {
        "m" => ChronoDuration::minutes(n),
        "h" => ChronoDuration::hours(n),
        _ => ChronoDuration::days(n),
    })
}

/// Runs `get`; prints the result or the API's message. Problems with the config or key file
/// are told on stderr first.
pub async fn run(session: Session, args: GetArgs) -> u8 {
    output::warnings(&session.warnings);
    let result = fetch(&session.client, args.resource, args.output).await;
    session.close().await;
    match result {
        Ok(text) => output::stdout(text),
        Err(e) => {
            // One line: a server's error body may hold anything.
            output::error(&crate::sanitize::one_line(&e.to_string()));
            // What was asked cannot be answered as asked: a usage error, not an API failure.
            if matches!(e, ApiError::InvalidInput(_)) { exit::USAGE } else { exit::API }
        }
    }
}

async fn fetch(client: &Client, resource: Resource, output: Output) -> Result<String, ApiError> {
    let as_json = output == Output::Json;
    Ok(match resource {
        Resource::Overview => return super::overview::overview(client, as_json).await,
        Resource::People(r) => return super::people::fetch(client, r, as_json).await,
        Resource::Groups { include_terminated } => {
            let groups = client.workspace_groups(include_terminated).await?;
            if as_json {
                return Ok(json(&groups));
            }
            let mut t = Table::new(["NAME", "ID", "STATE", "PROVIDER", "REGION", "DEPLOYMENT", "CREATED", "EXPIRES"]);
            for g in &groups {
                t.row([
                    g.name.clone(),
                    g.workspace_group_id.to_string(),
                    g.state.to_string(),
                    g.provider.to_string(),
                    g.region_name.clone(),
                    or_dash(g.deployment_type.as_ref().map(DeploymentType::as_str)),
                    g.created_at.clone(),
                    or_dash(g.expires_at.as_deref()),
                ]);
            }
            t.render()
        }
        Resource::Workspaces { group, include_terminated } => {
            let groups: Vec<(Uuid, String)> = match group {
                Some(wanted) => {
                    let g = client.workspace_group(resolve::group(client, &wanted).await?.id).await?;
                    vec![(g.workspace_group_id, g.name)]
                }
                None => {
                    client.workspace_groups(false).await?.into_iter().map(|g| (g.workspace_group_id, g.name)).collect()
                }
            };
            let per_group: Vec<(String, Vec<Workspace>)> = stream::iter(groups)
                .map(|(id, name)| async move { client.workspaces(id, include_terminated).await.map(|w| (name, w)) })
                .buffered(FAN_OUT)
                .try_collect()
                .await?;
            if as_json {
                let all: Vec<&Workspace> = per_group.iter().flat_map(|(_, ws)| ws).collect();
                return Ok(json(&all));
            }
            let mut t = Table::new(["NAME", "GROUP", "ID", "SIZE", "STATE", "ENDPOINT", "CREATED"]);
            for (group_name, workspaces) in &per_group {
                for w in workspaces {
                    t.row([
                        w.name.clone(),
                        group_name.clone(),
                        w.workspace_id.to_string(),
                        w.size.clone(),
                        w.state.to_string(),
                        or_dash(w.endpoint.as_deref()),
                        w.created_at.clone(),
                    ]);
                }
            }
            t.render()
        }
        Resource::Clusters { project, include_terminated } => {
            if client.version() == ApiVersion::V1 {
                return Err(ApiError::InvalidInput(
                    "clusters are the API v2 view of workspaces and this profile speaks v1: use --api v2, or s2tui get workspaces".into(),
                ));
            }
            let query = ClusterQuery { project_id: project, include_terminated };
            let (clusters, projects) = tokio::join!(client.clusters(query), client.projects(ApiVersion::V2));
            let mut clusters = clusters?;
            if as_json {
                return Ok(json(&clusters));
            }
            clusters.sort_by(|a, b| (a.project_id, &a.name).cmp(&(b.project_id, &b.name)));
            // A project list that failed costs only the names.
            let projects = projects.unwrap_or_default();
            let project_name = |id: Option<Uuid>| {
                let p = projects.iter().find(|p| Some(p.project_id) == id);
                or_dash(p.map(|p| p.name.as_str()).or(id.map(|_| "?")))
            };
            let mut t = Table::new(["NAME", "ID", "PROJECT", "STATE", "SIZE", "REGION", "FIREWALL", "EXPIRES"]);
            for c in &clusters {
                let firewall = c.effective_firewall();
                t.row([
                    c.name.clone(),
                    c.cluster_id.to_string(),
                    project_name(c.project_id),
                    c.state().to_string(),
                    or_dash(c.size()),
                    format!("{} {}", or_dash(c.provider.as_ref().map(Provider::as_str)), or_dash(c.region.as_deref())),
                    if firewall.is_empty() { "(none)".to_string() } else { firewall.join(",") },
                    or_dash(c.expires_at.as_deref().and_then(parse_time).map(format_time).as_deref()),
                ]);
            }
            t.render()
        }
        Resource::Starters => {
            // (name, id, database, endpoint, project): the same objects under either name.
            let rows: Vec<[Option<String>; 5]> = match client.version() {
                ApiVersion::V2 => {
                    let starters = client.starter_clusters().await?;
                    if as_json {
                        return Ok(json(&starters));
                    }
                    let id = |s: &StarterCluster| Some(s.virtual_cluster_id);
                    starters
                        .iter()
                        .map(|s| {
                            [
                                Some(s.name.clone()),
                                id(s).map(|i| i.to_string()),
                                s.database_name.clone(),
                                s.endpoint.clone(),
                                s.project_id.map(|p| p.to_string()),
                            ]
                        })
                        .collect()
                }
                ApiVersion::V1 => {
                    let starters = client.starter_workspaces().await?;
                    if as_json {
                        return Ok(json(&starters));
                    }
                    starters
                        .iter()
                        .map(|s| {
                            [
                                s.name.clone(),
                                s.virtual_workspace_id.map(|i| i.to_string()),
                                s.database_name.clone(),
                                s.endpoint.clone(),
                                s.project_id.map(|p| p.to_string()),
                            ]
                        })
                        .collect()
                }
            };
            let mut t = Table::new(["NAME", "ID", "DATABASE", "ENDPOINT", "PROJECT"]);
            for r in rows {
                t.row(r.map(|cell| or_dash(cell.as_deref())));
            }
            t.render()
        }
        Resource::Projects => {
            let projects = client.projects(client.version()).await?;
            if as_json {
                return Ok(json(&projects));
            }
            let mut t = Table::new(["NAME", "ID", "EDITION", "CREATED"]);
            for p in &projects {
                t.row([
                    p.name.clone(),
                    p.project_id.to_string(),
                    or_dash(p.edition.as_ref().map(ProjectEdition::as_str)),
                    or_dash(p.created_at.as_deref()),
                ]);
            }
            t.render()
        }
        Resource::Regions { v2, shared_tier } => {
            if v2 || shared_tier {
                let regions =
                    if shared_tier { client.regions_shared_tier().await? } else { client.regions_v2().await? };
                if as_json {
                    return Ok(json(&regions));
                }
                let mut t = Table::new(["PROVIDER", "CODE", "NAME"]);
                for r in &regions {
                    t.row([r.provider.to_string(), r.region_name.clone(), r.region.clone()]);
                }
                t.render()
            } else {
                let regions = client.regions().await?;
                if as_json {
                    return Ok(json(&regions));
                }
                let mut t = Table::new(["PROVIDER", "NAME", "ID"]);
                for r in &regions {
                    t.row([r.provider.to_string(), r.region.clone(), r.region_id.to_string()]);
                }
                t.render()
            }
        }
        Resource::Org => {
            let org = client.organization().await?;
            if as_json {
                return Ok(json(&org));
            }
            let mut t = Table::new(["NAME", "ID", "API FIREWALL RANGES"]);
            let ranges = org.firewall_ranges.as_deref().unwrap_or_default();
            t.row([
                or_dash(org.name.as_deref()),
                org.org_id.to_string(),
                if ranges.is_empty() { "(any)".to_string() } else { ranges.join(", ") },
            ]);
            t.render()
        }
        Resource::Secrets => {
            let secrets: Vec<Secret> = client.secrets(None).await?.iter().map(Secret::without_value).collect();
            if as_json {
                return Ok(json(&secrets));
            }
            let mut t = Table::new(["NAME", "ID", "CREATED", "UPDATED"]);
            for s in &secrets {
                t.row([s.name.clone(), s.secret_id.to_string(), s.created_at.clone(), s.last_updated_at.clone()]);
            }
            t.render()
        }
        Resource::Teams => {
            let teams = client.teams().await?;
            if as_json {
                return Ok(json(&teams));
            }
            let mut t = Table::new(["NAME", "ID", "USERS", "TEAMS", "DESCRIPTION"]);
            for team in &teams {
                t.row([
                    team.name.clone(),
                    team.team_id.to_string(),
                    team.member_users.as_ref().map_or(0, Vec::len).to_string(),
                    team.member_teams.as_ref().map_or(0, Vec::len).to_string(),
                    team.description.clone(),
                ]);
            }
            t.render()
        }
        Resource::Dr { group } => super::get_dr::run(client, &group, as_json).await?,
        Resource::Files { space, path } => {
            let listing = client.stage_list(space, &path).await?;
            if as_json {
                return Ok(json(&listing));
            }
            stage_table(&listing)
        }
        Resource::Flows { include_terminated } => super::get_flow::flows(client, include_terminated, as_json).await?,
        Resource::Functions => super::get_flow::functions(client, as_json).await?,
        Resource::Connections { group } => {
            let group_ids: Vec<Uuid> = match group {
                Some(wanted) => vec![resolve::group(client, &wanted).await?.id],
                None => client.workspace_groups(false).await?.into_iter().map(|g| g.workspace_group_id).collect(),
            };
            let lists: Vec<Vec<PrivateConnection>> = stream::iter(group_ids)
                .map(|id| async move { client.private_connections_for_group(id).await })
                .buffered(FAN_OUT)
                .try_collect()
                .await?;
            let all: Vec<PrivateConnection> = lists.into_iter().flatten().collect();
            if as_json {
                return Ok(json(&all));
            }
            let mut t = Table::new(["ID", "TYPE", "STATUS", "SERVICE", "ENDPOINT", "ALLOW LIST", "CREATED"]);
            for c in &all {
                t.row([
                    c.private_connection_id.to_string(),
                    or_dash(c.kind.as_ref().map(ConnectionType::as_str)),
                    or_dash(c.status.as_ref().map(ConnectionStatus::as_str)),
                    or_dash(c.service_name.as_deref()),
                    or_dash(c.endpoint.as_deref()),
                    or_dash(c.allow_list.as_deref()),
                    or_dash(c.created_at.as_deref()),
                ]);
            }
            t.render()
        }
        Resource::Stage { action: StageAction::Ls { deployment, path } } => {
            let (deployment, path) = match resolve::split_remote(&deployment) {
                Some((head, tail)) if path.is_empty() => (head.to_string(), tail.to_string()),
                _ => (deployment, path),
            };
            let (deployment, _) = resolve::deployment(client, &deployment).await?;
            let listing = client.stage_list(deployment.id, &path).await?;
            if as_json {
                return Ok(json(&listing));
            }
            stage_table(&listing)
        }
        Resource::Jobs { ids } => {
            if ids.is_empty() {
                return match client.list_jobs().await? {
                    Some(jobs) if as_json => Ok(json(&jobs)),
                    Some(jobs) => Ok(jobs_table(&jobs)),
                    None => Err(ApiError::InvalidInput(
                        "the API has no job list; pass job ids: s2tui get jobs ID [ID ...]".to_string(),
                    )),
                };
            }
            let jobs: Vec<Job> = stream::iter(ids)
                .map(|wanted| async move { client.job(resolve::job(client, &wanted).await?.id).await })
                .buffered(FAN_OUT)
                .try_collect()
                .await?;
            if as_json { json(&jobs) } else { jobs_table(&jobs) }
        }
        Resource::Executions { job, last } => {
            let job = resolve::job(client, &job).await?.id;
            let j = client.job(job).await?;
            // Execution numbers start at 1. The per-status counts give the newest number; the
            // completed count plus a running and a scheduled one bounds it when they are absent.
            // The window reaches past that bound (the service clips it) and is cut to `last`.
            let last = last.max(1);
            let counted: i64 = j.job_metadata.iter().map(|m| m.count.max(0)).sum();
            let end = counted.max(j.completed_executions_count.saturating_add(2));
            let start = end.saturating_sub(last.saturating_add(1)).max(1);
            let result = client.job_executions(job, start, end).await?;
            let mut executions = result.executions;
            executions.sort_by_key(|e| std::cmp::Reverse(e.execution_number));
            executions.truncate(usize::try_from(last).unwrap_or(usize::MAX));
            if as_json {
                return Ok(json(&executions));
            }
            let mut t = Table::new(["NUMBER", "STATUS", "SCHEDULED", "STARTED", "FINISHED", "SNAPSHOT"]);
            for e in &executions {
                t.row([
                    e.execution_number.to_string(),
                    e.status.to_string(),
                    e.scheduled_start_time.clone(),
                    or_dash(e.started_at.as_deref()),
                    or_dash(e.finished_at.as_deref()),
                    or_dash(e.snapshot_notebook_path.as_deref()),
                ]);
            }
            t.render()
        }
        Resource::Audit { limit, since, kind, email, group, workspace } => {
            let workspace_group_id = match group {
                Some(g) => Some(resolve::group(client, &g).await?.id),
                None => None,
            };
            let workspace_id = match workspace {
                Some(w) => Some(resolve::workspace(client, &w).await?.id),
                None => None,
            };
            let query = AuditLogQuery {
                kind,
                email,
                workspace_group_id,
                workspace_id,
                start_date: Some(format_time(Utc::now() - since)),
                limit: Some(limit),
                sort_by_descending: Some(true),
                ..AuditLogQuery::default()
            };
            let page = client.audit_logs(&query).await?;
            if as_json {
                return Ok(json(&page.audit_logs));
            }
            let mut t = Table::new(["TIME", "USER", "TYPE", "SOURCE", "REASON"]);
            for e in &page.audit_logs {
                t.row([
                    or_dash(e.created_at.as_deref()),
                    or_dash(e.user_email.as_deref()),
                    or_dash(e.kind.as_deref()),
                    or_dash(e.source.as_ref().map(AuditSource::as_str)),
                    or_dash(e.reason.as_deref()),
                ]);
            }
            t.render()
        }
        Resource::Usage { since, aggregate } => {
            let now = Utc::now();
            let query = UsageQuery {
                start_time: format_time(now - since),
                end_time: format_time(now),
                metric: None,
                aggregate_by: Some(AggregateBy::from_wire(&aggregate)),
            };
            let usage = client.billing_usage(&query).await?;
            if as_json {
                return Ok(json(&usage));
            }
            let mut t = Table::new(["METRIC", "RESOURCE", "TYPE", "START", "END", "VALUE"]);
            for metric in &usage.billing_usage {
                for u in &metric.usage {
                    t.row([
                        or_dash(metric.metric.as_deref()),
                        u.resource_name.clone(),
                        u.resource_type.clone(),
                        u.start_time.clone(),
                        u.end_time.clone(),
                        u.value.clone(),
                    ]);
                }
            }
            t.render()
        }
    })
}

/// A Stage folder's children, folders first.
pub fn stage_table(listing: &FileObjectMetadata) -> String {
    let mut t = Table::new(["NAME", "TYPE", "SIZE", "MODIFIED"]);
    let mut entries: Vec<&FileObjectMetadata> = listing.children().iter().collect();
    entries.sort_by_key(|e| (!e.is_dir(), e.name.clone()));
    for e in entries {
        t.row([
            or_dash(e.name.as_deref()) + if e.is_dir() { "/" } else { "" },
            if e.is_dir() { "folder".to_string() } else { "file".to_string() },
            if e.is_dir() { "-".to_string() } else { human_bytes(e.size.unwrap_or(0)) },
            or_dash(e.last_modified.as_deref()),
        ]);
    }
    t.render()
}

fn jobs_table(jobs: &[Job]) -> String {
    let mut t = Table::new(["NAME", "ID", "SCHEDULE", "NOTEBOOK", "COMPLETED", "CREATED"]);
    for j in jobs {
        let schedule = match (&j.schedule.mode, j.schedule.execution_interval_in_minutes) {
            (ScheduleMode::Recurring, Some(m)) => format!("every {m} min"),
            (mode, _) => mode.to_string(),
        };
        t.row([
            or_dash(j.name.as_deref()),
            j.job_id.to_string(),
            schedule,
            j.execution_config.notebook_path.clone(),
            j.completed_executions_count.to_string(),
            j.created_at.clone(),
        ]);
    }
    t.render()
}

/// 1536 → "1.5 KiB".
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{n} B") } else { format!("{value:.1} {}", UNITS[unit]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_parses_units_and_rejects_garbage() {
        assert_eq!(parse_since("90m"), Ok(ChronoDuration::minutes(90)));
        assert_eq!(parse_since("7d"), Ok(ChronoDuration::days(7)));
        assert!(parse_since("7 weeks").is_err());
        assert!(parse_since("h").is_err());
        for far in ["999999999d", "99999999999h", "9223372036854775807m"] {
            assert!(parse_since(far).expect_err("too far").contains("too far back"), "{far}");
        }
        assert!(parse_since("36600d").is_ok());
    }

    #[test]
    fn human_bytes_scales() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(10 * 1024 * 1024), "10.0 MiB");
    }
}
