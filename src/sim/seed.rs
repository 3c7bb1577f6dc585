//! The organizations the simulator starts with (see [`Seed`]). Deterministic: the same seed
//! gives the same names, ids and structure; times are relative to the start.

use chrono::{DateTime, Datelike, Duration as Days, Timelike, Utc, Weekday};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use super::routes::connections::{inbound_service_name, outbound_account};
use super::routes::generate_password;
use super::routes::workspaces::endpoint_for;
use super::world::{ActivePeriod, Clock, ConnectionRec, GroupRec, Pending, User, WorkspaceRec, durations};
use super::{Seed, SimConfig, World};
use crate::api::projects::{Project, ProjectEdition};
use crate::api::types::*;

/// The value every world is generated from.
pub const SEED_VALUE: u64 = 0x5_2_7_0_1;

/// (provider, region code, display name)
const REGIONS: &[(&str, &str, &str)] = &[
    ("AWS", "us-east-1", "US East 1 (N. Virginia)"),
    ("AWS", "us-west-2", "US West 2 (Oregon)"),
    ("AWS", "eu-central-1", "Europe Central 1 (Frankfurt)"),
    ("GCP", "us-central1", "US Central 1 (Iowa)"),
    ("GCP", "europe-west1", "Europe West 1 (Belgium)"),
    ("Azure", "eastus", "East US 1 (Virginia)"),
    ("Azure", "westeurope", "West Europe (Netherlands)"),
];

const COLLEAGUES: &[(&str, &str)] = &[
    ("Priya", "Raman"),
    ("Marcus", "Chen"),
    ("Sofia", "Alvarez"),
    ("Jonas", "Becker"),
    ("Aiko", "Tanaka"),
    ("Liam", "OConnor"),
];

const DOMAIN: &str = "acme-analytics.io";

fn uuid(rng: &mut StdRng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

/// Builds the world for `config.seed`, including Stage files and jobs.
pub fn build_world(config: &SimConfig) -> World {
    build_world_with(config, SEED_VALUE)
}

pub fn build_world_with(config: &SimConfig, seed_value: u64) -> World {
    let mut rng = StdRng::seed_from_u64(seed_value);
    let clock = Clock { speed: config.speed };
    let org = Organization {
        org_id: uuid(&mut rng),
        name: Some("Acme Analytics".into()),
        firewall_ranges: Some(Vec::new()),
        extra: Default::default(),
    };
    let api_user = UserInfo {
        user_id: uuid(&mut rng),
        email: format!("dana.whitfield@{DOMAIN}"),
        first_name: "Dana".into(),
        last_name: "Whitfield".into(),
    };
    let api_key_id = uuid(&mut rng);
    let mut w = World::new(clock, org, api_user, api_key_id);
    w.audit_retention = config.audit_retention;
    for (provider, code, display) in REGIONS {
        let provider = Provider::from_wire(provider);
        w.regions.push(Region { region_id: uuid(&mut rng), region: display.to_string(), provider: provider.clone() });
        let v2 = RegionV2 { region: display.to_string(), region_name: code.to_string(), provider };
        w.regions_v2.push(v2.clone());
        w.regions_shared_tier.push(v2);
    }
    provision_projects(&mut w, seed_value);
    match &config.seed {
        Seed::Empty => {}
        Seed::Demo => demo(&mut w, &mut rng),
        Seed::Large(n) => large(&mut w, &mut rng, *n),
    }
    super::stage::seed(&mut w, &config.seed);
    super::jobs::seed(&mut w, &config.seed);
    super::people::seed(&mut w, &config.seed);
    w
}

/// The three projects the service provisions for every organization, created together.
/// Drawn from their own generator so that every other id stays what it was before projects.
fn provision_projects(w: &mut World, seed_value: u64) {
    let mut rng = StdRng::seed_from_u64(seed_value ^ 0x9_0_1_e_c_7);
    let at = w.clock.now() - Days::days(400) - Days::microseconds(rng.random_range(0..86_400_000_000));
    for (name, edition) in [
        ("Shared Project", ProjectEdition::Shared),
        ("Standard Project", ProjectEdition::Standard),
        ("Enterprise Project", ProjectEdition::Enterprise),
    ] {
        w.projects.push(Project {
            project_id: uuid(&mut rng),
            name: name.into(),
            edition: Some(edition),
            created_at: Some(format_time(at)),
            extra: Default::default(),
        });
    }
}

/// The project of the given edition, as (id, name).
fn project_of(w: &World, edition: ProjectEdition) -> Option<(Uuid, String)> {
    let edition = Some(edition);
    w.projects.iter().find(|p| p.edition == edition).map(|p| (p.project_id, p.name.clone()))
}

fn add_colleagues(w: &mut World, rng: &mut StdRng) {
    for (first, last) in COLLEAGUES {
        w.users.push(User {
            info: UserInfo {
                user_id: uuid(rng),
                email: format!("{}.{}@{DOMAIN}", first.to_lowercase(), last.to_lowercase()),
                first_name: first.to_string(),
                last_name: last.to_string(),
            },
        });
    }
}

fn region<'a>(w: &'a World, code: &str) -> Option<(&'a Region, &'a RegionV2)> {
    let v2 = w.regions_v2.iter().find(|r| r.region_name == code)?;
    let v1 = w.regions.iter().find(|r| r.region == v2.region)?;
    Some((v1, v2))
}

struct GroupSpec<'a> {
    name: &'a str,
    region: &'a str,
    age_days: i64,
    non_production: bool,
    firewall: &'a [&'a str],
}

fn add_group(w: &mut World, rng: &mut StdRng, g: &GroupSpec<'_>) -> Option<Uuid> {
    let now = w.clock.now();
    let (v1, v2) = region(w, g.region)?;
    let (provider, region_id, region_name) = (v1.provider.clone(), v1.region_id, v2.region_name.clone());
    let id = uuid(rng);
    let project = project_of(w, ProjectEdition::Standard);
    let api = WorkspaceGroup {
        workspace_group_id: id,
        name: g.name.to_string(),
        state: WorkspaceGroupState::Active,
        created_at: format_time(now - Days::days(g.age_days) - Days::minutes(rng.random_range(0..600))),
        provider,
        region_id,
        region_name,
        allow_all_traffic: Some(false),
        deployment_type: Some(if g.non_production {
            DeploymentType::NonProduction
        } else {
            DeploymentType::Production
        }),
        expires_at: g.non_production.then(|| format_time((now + Days::days(21)).with_nanosecond(0).unwrap_or(now))),
        firewall_ranges: Some(g.firewall.iter().map(|s| s.to_string()).collect()),
        high_availability_two_zones: Some(!g.non_production),
        opt_in_preview_feature: Some(false),
        outbound_allow_list: None,
        project_id: project.as_ref().map(|p| p.0),
        project_name: project.map(|p| p.1),
        smart_dr_status: None,
        terminated_at: None,
        update_window: Some(UpdateWindow { day: rng.random_range(0..7), hour: rng.random_range(0..24) }),
        extra: Default::default(),
    };
    w.groups.insert(
        id,
        GroupRec {
            api,
            pending: None,
            admin_password: generate_password(),
            firewall_pending: None,
            holds_one_cluster: false,
        },
    );
    Some(id)
}

#[derive(Clone, Copy, PartialEq)]
enum Pattern {
    /// Running around the clock since creation.
    AlwaysOn,
    /// Weekday office hours, suspended at night and on weekends.
    OfficeHours,
    /// Used now and then: a few hours on some days.
    Occasional,
}

/// Daily active/suspended history from `created` to `now`, ending open if `ends_active`.
fn history(
    rng: &mut StdRng,
    created: DateTime<Utc>,
    now: DateTime<Utc>,
    pattern: Pattern,
    size: &str,
    ends_active: bool,
) -> Vec<ActivePeriod> {
    let span = |start, end| ActivePeriod { start, end, size: size.to_string(), scale_factor: 1.0 };
    let mut out = Vec::new();
    if pattern == Pattern::AlwaysOn {
        let end = (!ends_active).then(|| now - Days::hours(rng.random_range(2..72)));
        out.push(span(created + Days::minutes(2), end));
        return out;
    }
    let first_day = created.date_naive() + Days::days(1);
    let today = now.date_naive();
    let mut day = first_day;
    while day < today {
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let on = match pattern {
            Pattern::OfficeHours => !weekend && rng.random_bool(0.92),
            _ => rng.random_bool(if weekend { 0.05 } else { 0.35 }),
        };
        if on {
            let (from, len) = match pattern {
                Pattern::OfficeHours => (rng.random_range(7 * 60..10 * 60), rng.random_range(7 * 60..11 * 60)),
                _ => (rng.random_range(8 * 60..16 * 60), rng.random_range(30..5 * 60)),
            };
            let start = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or(now) + Days::minutes(from);
            out.push(span(start, Some(start + Days::minutes(len))));
        }
        day += Days::days(1);
    }
    if ends_active {
        let start = now - Days::minutes(rng.random_range(20..300));
        let start = out.last().and_then(|p| p.end).map_or(start, |e| start.max(e + Days::minutes(1)));
        out.push(span(start.min(now), None));
    }
    out
}

struct WsSpec<'a> {
    name: &'a str,
    size: &'a str,
    state: WorkspaceState,
    pattern: Pattern,
    age_days: i64,
}

fn add_workspace(w: &mut World, rng: &mut StdRng, group_id: Uuid, s: &WsSpec<'_>) -> Option<Uuid> {
    let now = w.clock.now();
    let g = w.groups.get(&group_id)?;
    let (provider, region_name, deployment) =
        (g.api.provider.clone(), g.api.region_name.clone(), g.api.deployment_type.clone());
    let id = uuid(rng);
    let created = now - Days::days(s.age_days) - Days::minutes(rng.random_range(0..900));
    let mut activity = match s.state {
        WorkspaceState::Active => history(rng, created, now, s.pattern, s.size, true),
        WorkspaceState::Suspended | WorkspaceState::Terminated => history(rng, created, now, s.pattern, s.size, false),
        _ => Vec::new(),
    };
    let mut pending = None;
    let mut created_at = created;
    if s.state == WorkspaceState::Pending {
        // Mid-creation: about half of the creation time has passed.
        created_at = now - w.clock.scaled(durations::WS_CREATE / 2);
        pending = Some(Pending { to: WorkspaceState::Active, due: w.clock.due_in(durations::WS_CREATE / 2) });
    }
    let terminated_at = (s.state == WorkspaceState::Terminated).then(|| {
        let at = activity.last().and_then(|p| p.end).unwrap_or(now);
        format_time(at + Days::minutes(5))
    });
    if s.state == WorkspaceState::Failed {
        activity.clear();
    }
    let office = s.pattern != Pattern::AlwaysOn;
    let last_start = activity.last().map(|p| p.start);
    let api = Workspace {
        workspace_id: id,
        workspace_group_id: group_id,
        name: s.name.to_string(),
        size: s.size.to_string(),
        state: s.state.clone(),
        created_at: format_time(created_at),
        auto_scale: None,
        auto_suspend: office.then(|| AutoSuspend {
            suspend_type: SuspendType::Idle,
            idle_after_seconds: Some(1200.0),
            idle_changed_at: Some(format_time(created + Days::hours(1))),
            scheduled_after_seconds: None,
            scheduled_changed_at: None,
            scheduled_suspend_at: None,
            suspend_type_changed_at: Some(format_time(created + Days::hours(1))),
        }),
        cache_config: Some(1.0),
        deployment_type: deployment,
        endpoint: Some(endpoint_for(id, &provider, &region_name)),
        kai_enabled: Some(false),
        last_resumed_at: if office { last_start.map(format_time) } else { None },
        resume_attachments: None,
        scale_factor: Some(1.0),
        scaling_progress: None,
        terminated_at,
        extra: Default::default(),
    };
    let mut rec = WorkspaceRec { api, pending, pending_size: None, activity, patch: None };
    if office && rec.api.last_resumed_at.is_some() {
        rec.api.resume_attachments = Some(
            rec.databases()
                .into_iter()
                .map(|database| ResumeAttachment {
                    attachment: AttachmentKind::ReadWrite,
                    database,
                    success: true,
                    error: None,
                })
                .collect(),
        );
    }
    w.workspaces.insert(id, rec);
    Some(id)
}

/// Splits a workspace's history at `days_ago`: before it ran at `old_size`.
fn resized(w: &mut World, id: Uuid, days_ago: i64, old_size: &str) {
    let now = w.clock.now();
    let Some(rec) = w.workspaces.get_mut(&id) else {
        return;
    };
    let at = now - Days::days(days_ago);
    let mut out = Vec::new();
    for p in rec.activity.drain(..) {
        if p.start >= at {
            out.push(p);
        } else if p.end.is_some_and(|e| e <= at) {
            out.push(ActivePeriod { size: old_size.to_string(), ..p });
        } else {
            out.push(ActivePeriod { end: Some(at), size: old_size.to_string(), ..p.clone() });
            out.push(ActivePeriod { start: at, ..p });
        }
    }
    rec.activity = out;
}

fn demo(w: &mut World, rng: &mut StdRng) {
    add_colleagues(w, rng);
    use Pattern::*;
    use WorkspaceState as S;
    let groups: &[(GroupSpec<'_>, &[WsSpec<'_>])] = &[
        (
            GroupSpec {
                name: "Production",
                region: "us-east-1",
                age_days: 310,
                non_production: false,
                firewall: &["10.20.0.0/16", "203.0.113.0/24"],
            },
            &[
                WsSpec { name: "prod-ingest", size: "S-2", state: S::Active, pattern: AlwaysOn, age_days: 300 },
                WsSpec { name: "prod-analytics", size: "S-4", state: S::Active, pattern: AlwaysOn, age_days: 240 },
                WsSpec {
                    name: "prod-reporting",
                    size: "S-1",
                    state: S::Suspended,
                    pattern: OfficeHours,
                    age_days: 180,
                },
            ],
        ),
        (
            GroupSpec {
                name: "Analytics EU",
                region: "europe-west1",
                age_days: 200,
                non_production: false,
                firewall: &["198.51.100.0/24"],
            },
            &[
                WsSpec { name: "eu-dashboards", size: "S-1", state: S::Active, pattern: OfficeHours, age_days: 190 },
                WsSpec { name: "eu-batch", size: "S-0", state: S::Suspended, pattern: Occasional, age_days: 120 },
            ],
        ),
        (
            GroupSpec {
                name: "Data Science",
                region: "eastus",
                age_days: 140,
                non_production: false,
                firewall: &["0.0.0.0/0"],
            },
            &[
                WsSpec { name: "ds-notebooks", size: "S-00", state: S::Active, pattern: OfficeHours, age_days: 130 },
                WsSpec { name: "ds-experiments", size: "S-0", state: S::Pending, pattern: Occasional, age_days: 0 },
            ],
        ),
        (
            GroupSpec {
                name: "Staging",
                region: "us-west-2",
                age_days: 60,
                non_production: true,
                firewall: &["0.0.0.0/0"],
            },
            &[
                WsSpec { name: "staging-app", size: "S-00", state: S::Active, pattern: OfficeHours, age_days: 55 },
                WsSpec { name: "staging-etl", size: "S-0", state: S::Suspended, pattern: Occasional, age_days: 45 },
                WsSpec { name: "old-poc", size: "S-00", state: S::Terminated, pattern: Occasional, age_days: 58 },
            ],
        ),
        (
            GroupSpec {
                name: "ML Sandbox",
                region: "us-central1",
                age_days: 35,
                non_production: false,
                firewall: &["192.168.10.0/24"],
            },
            &[
                WsSpec { name: "ml-features", size: "S-1", state: S::Failed, pattern: Occasional, age_days: 30 },
                WsSpec { name: "ml-serving", size: "S-2", state: S::Active, pattern: AlwaysOn, age_days: 32 },
            ],
        ),
    ];
    let mut group_ids = Vec::new();
    let mut ws_ids = Vec::new();
    for (g, workspaces) in groups {
        let Some(gid) = add_group(w, rng, g) else {
            continue;
        };
        group_ids.push(gid);
        for s in *workspaces {
            if let Some(id) = add_workspace(w, rng, gid, s) {
                ws_ids.push((s.name, id));
            }
        }
    }
    if let Some((_, id)) = ws_ids.iter().find(|(n, _)| *n == "prod-analytics") {
        resized(w, *id, 75, "S-2");
    }
    demo_connections(w, rng, &group_ids, &ws_ids);
    demo_secrets(w, rng);
    demo_teams(w, rng);
    demo_starters(w, rng);
    demo_flows_and_functions(w, &ws_ids);
    demo_audit(w, rng, 320);
}

/// Two Flow instances (one deleted) and three cloud functions, from notebooks and an image.
fn demo_flows_and_functions(w: &mut World, ws: &[(&str, Uuid)]) {
    use crate::api::types::{CloudFunctionFields, FlowCreate, FunctionTargetType};
    let ws_id = |name: &str| ws.iter().find(|(n, _)| *n == name).map(|(_, id)| *id);
    if let Some(ingest) = ws_id("prod-ingest") {
        let flow = |name: &str, db: &str| FlowCreate {
            name: name.into(),
            workspace_id: ingest,
            database_name: db.into(),
            user_name: "flow_loader".into(),
            size: Some("F1".into()),
        };
        super::flow::insert(w, flow("orders-cdc", "prod_ingest_db"), true);
        let old = super::flow::insert(w, flow("legacy-mysql-migration", "prod_ingest_db"), true);
        if let Some(f) = w.flow.flows.get_mut(&old) {
            f.api.status = Some("Deleted".into());
            f.api.deleted_at = Some(format_time(w.clock.now() - Days::days(12)));
        }
    }
    let target = ws_id("ml-serving");
    let functions = [
        ("churn-score", Some("ml/churn_score.ipynb"), None, "Scores a customer's churn risk"),
        ("daily-digest", Some("Jobs/etl.ipynb"), None, "Builds the morning sales digest"),
        ("embeddings", None, Some("ghcr.io/acme-data/embeddings:1.4"), "Text embeddings for search"),
    ];
    for (name, notebook, image, description) in functions {
        let fields = CloudFunctionFields {
            name: Some(name.into()),
            description: Some(description.into()),
            notebook_path: notebook.map(str::to_string),
            image: image.map(str::to_string),
            target_id: target,
            target_type: target.map(|_| FunctionTargetType::Workspace),
            idle_timeout_seconds: Some(600),
            ..CloudFunctionFields::default()
        };
        super::functions::insert(w, fields, true);
    }
}

/// (group index, workspace, type, status, allow list, outbound service name)
type ConnSpec<'a> = (usize, Option<Uuid>, ConnectionType, ConnectionStatus, Option<&'a str>, &'a str);

fn demo_connections(w: &mut World, rng: &mut StdRng, groups: &[Uuid], ws: &[(&str, Uuid)]) {
    let now = w.clock.now();
    let ws_id = |name: &str| ws.iter().find(|(n, _)| *n == name).map(|(_, id)| *id);
    let specs: [ConnSpec<'_>; 3] = [
        (0, None, ConnectionType::Inbound, ConnectionStatus::Active, Some("arn:aws:iam::483920175561:root"), ""),
        (
            1,
            ws_id("eu-dashboards"),
            ConnectionType::Outbound,
            ConnectionStatus::Active,
            None,
            "projects/acme-data/regions/europe-west1/serviceAttachments/kafka-brokers",
        ),
        (
            2,
            ws_id("ds-notebooks"),
            ConnectionType::Inbound,
            ConnectionStatus::Pending,
            Some("7c1f5a0e-2d3b-4b8e-9a61-0f2f6d1e4c3a"),
            "",
        ),
    ];
    for (gi, workspace_id, kind, status, allow, outbound_service) in specs {
        let Some(gid) = groups.get(gi).copied() else {
            continue;
        };
        let Some(g) = w.groups.get(&gid) else {
            continue;
        };
        let (provider, region_name) = (g.api.provider.clone(), g.api.region_name.clone());
        let id = uuid(rng);
        let created = now - Days::days(rng.random_range(10..90));
        let pending = (status == ConnectionStatus::Pending)
            .then(|| Pending { to: ConnectionStatus::Active, due: w.clock.due_in(durations::CONN_CREATE / 3) });
        let created = if pending.is_some() { now - Days::minutes(1) } else { created };
        let api = PrivateConnection {
            private_connection_id: id,
            workspace_group_id: gid,
            workspace_id,
            kind: Some(kind.clone()),
            status: Some(status.clone()),
            service_name: Some(if kind == ConnectionType::Outbound {
                outbound_service.to_string()
            } else {
                inbound_service_name(&provider, &region_name, id)
            }),
            endpoint: None,
            allow_list: allow.map(String::from),
            allowed_private_link_ids: Some(Vec::new()),
            outbound_allow_list: (kind == ConnectionType::Outbound).then(|| outbound_account(&provider, gid)),
            sql_port: Some(3306.0),
            websockets_port: Some(443.0),
            created_at: Some(format_time(created)),
            active_at: (status == ConnectionStatus::Active).then(|| format_time(created + Days::minutes(4))),
            updated_at: Some(format_time(created + Days::minutes(4))),
            deleted_at: None,
            error: None,
            extra: Default::default(),
        };
        w.connections.insert(id, ConnectionRec { api, pending });
    }
}

fn demo_secrets(w: &mut World, rng: &mut StdRng) {
    let now = w.clock.now();
    let by: Vec<Uuid> = w.users.iter().map(|u| u.info.user_id).collect();
    for (name, value) in [
        ("SNOWFLAKE_PASSWORD", "sf-7Hq2-ppL9-wX4t"),
        ("KAFKA_SASL_PASSWORD", "kafka-3f9d8a1c5e"),
        ("OPENAI_API_KEY", "sk-demo-0000000000000000000000"),
        ("S3_ACCESS_KEY", "AKIADEMO00000000EXAMPLE"),
    ] {
        let id = uuid(rng);
        let created = now - Days::days(rng.random_range(5..150));
        let who = by.get(rng.random_range(0..by.len().max(1))).copied();
        w.secrets.insert(
            id,
            Secret {
                secret_id: id,
                name: name.into(),
                created_at: format_time(created),
                created_by: who,
                last_updated_at: format_time(created + Days::days(rng.random_range(0..5))),
                last_updated_by: who,
                deleted_at: None,
                deleted_by: None,
                value: Some(value.into()),
            },
        );
    }
}

fn demo_teams(w: &mut World, rng: &mut StdRng) {
    let now = w.clock.now();
    let user = |w: &World, first: &str| w.users.iter().find(|u| u.info.first_name == first).map(|u| u.info.clone());
    let specs: [(&str, &str, &[&str]); 3] = [
        ("Data Engineering", "Pipelines, ingest and the production workspaces", &["Priya", "Marcus", "Jonas"]),
        ("Analytics", "Dashboards and reporting", &["Sofia", "Aiko"]),
        ("Platform Admins", "Organization owners and on-call", &["Dana", "Liam"]),
    ];
    let mut ids = Vec::new();
    for (name, description, members) in specs {
        let id = uuid(rng);
        ids.push(id);
        let member_users: Vec<UserInfo> = members.iter().filter_map(|m| user(w, m)).collect();
        w.teams.insert(
            id,
            Team {
                team_id: id,
                name: name.into(),
                description: description.into(),
                created_at: Some(format_time(now - Days::days(rng.random_range(30..250)))),
                member_users: Some(member_users),
                member_teams: Some(Vec::new()),
                extra: Default::default(),
            },
        );
    }
    // Platform Admins also holds the Data Engineering team.
    if let (Some(de), Some(pa)) = (ids.first(), ids.get(2)) {
        let info = w.teams.get(de).map(|t| TeamInfo {
            team_id: t.team_id,
            name: t.name.clone(),
            description: t.description.clone(),
        });
        if let (Some(info), Some(pa)) = (info, w.teams.get_mut(pa)) {
            pa.member_teams = Some(vec![info]);
        }
    }
}

fn demo_starters(w: &mut World, rng: &mut StdRng) {
    let shared = project_of(w, ProjectEdition::Shared).map(|p| p.0);
    for (name, db, cell) in
        [("sandbox-starter", "sandbox_db", "aws-virginia-6"), ("docs-playground", "playground", "gcp-iowa-1")]
    {
        let id = uuid(rng);
        w.starter_workspaces.insert(
            id,
            StarterWorkspace {
                virtual_workspace_id: Some(id),
                name: Some(name.into()),
                database_name: Some(db.into()),
                endpoint: Some(format!("svc-{id}-shared-dml.{cell}.svc.singlestore.com")),
                mysql_dml_port: Some(3333),
                websocket_port: Some(443),
                project_id: shared,
                extra: Default::default(),
            },
        );
    }
}

/// `count` entries spread over the past day, oldest first.
fn demo_audit(w: &mut World, rng: &mut StdRng, count: usize) {
    let now = w.clock.now();
    let mut offsets: Vec<i64> = (0..count).map(|_| rng.random_range(60_000..86_400_000)).collect();
    offsets.sort_unstable_by(|a, b| b.cmp(a));
    let mut last: Option<DateTime<Utc>> = None;
    for ms in offsets {
        let mut at = now - Days::milliseconds(ms);
        if let Some(l) = last
            && at <= l
        {
            at = l + Days::microseconds(1);
        }
        last = Some(at);
        let a = super::colleagues::random_activity(w, rng);
        w.push_audit(a.event, &a.user, a.api_key_id, a.source, a.user_type);
        if let Some(e) = w.audit.last_mut() {
            e.audit_id = Some(uuid(rng));
            e.created_at = Some(at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true));
        }
    }
}

fn large(w: &mut World, rng: &mut StdRng, n: usize) {
    add_colleagues(w, rng);
    let codes: Vec<String> = w.regions_v2.iter().map(|r| r.region_name.clone()).collect();
    let group_count = n.div_ceil(10);
    let mut made = 0;
    for gi in 0..group_count {
        let name = format!("group-{:03}", gi + 1);
        let code = codes.get(gi % codes.len().max(1)).cloned().unwrap_or_default();
        let spec = GroupSpec {
            name: &name,
            region: &code,
            age_days: rng.random_range(30..300),
            non_production: gi % 5 == 4,
            firewall: &["0.0.0.0/0"],
        };
        let Some(gid) = add_group(w, rng, &spec) else {
            continue;
        };
        for _ in 0..10 {
            if made == n {
                break;
            }
            made += 1;
            let state = match made % 7 {
                0 | 3 => WorkspaceState::Suspended,
                _ => WorkspaceState::Active,
            };
            let size = ["S-00", "S-0", "S-1", "S-2", "S-4"][made % 5];
            let ws_name = format!("ws-{made:05}");
            // Always-on history keeps a big world cheap: one span per workspace.
            let spec =
                WsSpec { name: &ws_name, size, state, pattern: Pattern::AlwaysOn, age_days: rng.random_range(1..28) };
            add_workspace(w, rng, gid, &spec);
        }
    }
    demo_audit(w, rng, 200);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(seed: Seed) -> SimConfig {
        SimConfig { seed, ..SimConfig::default() }
    }

    #[test]
    fn demo_is_deterministic_and_consistent() {
        let a = build_world(&cfg(Seed::Demo));
        let b = build_world(&cfg(Seed::Demo));
        assert_eq!(a.org.org_id, b.org.org_id);
        assert_eq!(a.workspaces.keys().collect::<Vec<_>>(), b.workspaces.keys().collect::<Vec<_>>());
        assert!((4..=5).contains(&a.groups.len()));
        assert!(a.workspaces.len() >= 10);
        for ws in a.workspaces.values() {
            let open = ws.activity.iter().filter(|p| p.end.is_none()).count();
            let want = usize::from(ws.api.state == WorkspaceState::Active);
            assert_eq!(open, want, "{}", ws.api.name);
            for pair in ws.activity.windows(2) {
                assert!(pair[0].end.is_some_and(|e| e <= pair[1].start), "{}", ws.api.name);
            }
        }
        assert!(a.audit.len() >= 300);
    }

    #[test]
    fn large_spreads_workspaces_over_groups() {
        let w = build_world(&cfg(Seed::Large(95)));
        assert_eq!(w.workspaces.len(), 95);
        assert_eq!(w.groups.len(), 10);
    }
}
