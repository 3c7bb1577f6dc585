//! Property tests: whatever a server (or a proxy in between) sends, decoding never panics.
//! Every wire type is fed arbitrary bytes, arbitrary JSON built from the API's own field names,
//! and real documents from the simulator with parts replaced; what decodes re-encodes to the
//! same value; unknown enum strings become `Unknown`, kept verbatim.

#![allow(clippy::unwrap_used)]

use std::sync::OnceLock;

use proptest::prelude::*;
use s2tui::api::types::*;
use s2tui::sim::SimConfig;
use serde_json::{Map, Value};

const CASES: u32 = 256;

/// Every wire type, as `decode!(input => Type, …)`: decodes `input` into each, and checks that a
/// decoded value survives an encode/decode round trip unchanged (types without `PartialEq` only
/// decode).
macro_rules! every_type {
    ($check:ident, $input:expr) => {{
        $check!($input =>
            Region, RegionV2, Organization, UpdateWindow, WorkspaceGroup, WorkspaceGroupCreate,
            WorkspaceGroupCreated, WorkspaceGroupUpdate, AutoSuspend, AutoSuspendSettings, AutoScale,
            ResumeAttachment, Workspace, WorkspaceCreate, WorkspaceUpdate, WorkspaceResume,
            WorkspaceGroupIdReply, WorkspaceIdReply, PrivateConnectionIdReply, SecretIdReply, TeamIdReply,
            PrivateConnection, PrivateConnectionCreate, PrivateConnectionUpdate, KaiInfo, OutboundAllowList,
            FileObjectMetadata, FileContent, StagePathReply, StagePatch, StarterWorkspace, Secret,
            SecretCreate, SecretUpdate, UserInfo, TeamInfo, Team, TeamCreate, TeamUpdate, JobSchedule,
            JobTargetConfig, JobExecutionConfig, JobCreateExecutionConfig, JobParameter, JobMetadata, Job,
            JobCreate, Execution, ExecutionsMetadata, ExecutionsResult, Runtime, UsageRecord, BillingUsage,
            BillingUsageReply, SimulationResourceConfig, SimulateUsageRequest, SimulatedResourceUsage,
            SimulateUsageResponse, AuditLog, AuditLogPage, AuditLogQuery, UsageQuery,
            Project, ProjectCreate, ProjectUpdate, ProjectIdReply, Cluster, SizeConfig, ClusterAutoSuspend,
            ClusterCreate, ClusterCreated, ClusterUpdate, ClusterResume, ClusterIdReply, StarterCluster,
            StarterClusterCreate, StarterClusterIdReply, StarterUserCreate, StarterUserCreated, StarterUserUpdate,
            ProjectEdition, ClusterState, StarterProvider,
            Provider, WorkspaceGroupState, WorkspaceState, DeploymentType, SmartDrStatus, SuspendType,
            AutoScaleSensitivity, AttachmentKind, ConnectionType, ConnectionStatus, FileType, ScheduleMode,
            TargetType, ExecutionStatus, ParameterType, AuditSource, AuditUserType, UsageMetric, AggregateBy,
            Multiplier, Edition, SimulatedStatus, SimulatedResourceType;
            // Untagged wrappers without `PartialEq`: decoding alone must not panic.
            SecretsEnvelope, SecretEnvelope
        );
    }};
}

macro_rules! round_trip {
    ($input:expr => $($ty:ty),+ ; $($only:ty),*) => {
        $( let _ = serde_json::from_value::<$only>($input.clone()); )*
        $(
            if let Ok(decoded) = serde_json::from_value::<$ty>($input.clone()) {
                let encoded = serde_json::to_value(&decoded).unwrap();
                let again: $ty = serde_json::from_value(encoded.clone()).unwrap_or_else(|e| {
                    panic!("{} does not decode what it encoded ({e}): {encoded}", stringify!($ty))
                });
                prop_assert_eq!(&again, &decoded, "{} round trip of {}", stringify!($ty), $input);
            }
        )+
    };
}

macro_rules! from_bytes {
    ($input:expr => $($ty:ty),+ ; $($only:ty),*) => {
        $( let _ = serde_json::from_slice::<$ty>($input); )+
        $( let _ = serde_json::from_slice::<$only>($input); )*
    };
}

/// The wire names of every field: object keys an arbitrary document is built from, so that
/// decoding gets past the first missing field often enough to reach nested types.
fn field_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        // Every API family's wire types.
        let sources = [
            include_str!("../src/api/audit.rs"),
            include_str!("../src/api/clusters.rs"),
            include_str!("../src/api/projects.rs"),
            include_str!("../src/api/starters.rs"),
            include_str!("../src/api/connections.rs"),
            include_str!("../src/api/groups.rs"),
            include_str!("../src/api/jobs/mod.rs"),
            include_str!("../src/api/org.rs"),
            include_str!("../src/api/regions.rs"),
            include_str!("../src/api/secrets.rs"),
            include_str!("../src/api/stage.rs"),
            include_str!("../src/api/teams.rs"),
            include_str!("../src/api/usage.rs"),
            include_str!("../src/api/workspaces.rs"),
        ];
        let mut names: Vec<String> = Vec::new();
        for line in sources.iter().flat_map(|s| s.lines()).map(str::trim) {
            if let Some(rest) = line.split("rename = \"").nth(1) {
                names.extend(rest.split('"').next().map(String::from));
            }
            if let Some(field) = line.strip_prefix("pub ").and_then(|l| l.split_once(':')).map(|(f, _)| f)
                && !field.is_empty()
                && field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                names.push(camel(field));
            }
        }
        names.sort();
        names.dedup();
        names
    })
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Real documents of the main read types, from the simulator's seeded organization.
fn seed_documents() -> &'static [Value] {
    static DOCS: OnceLock<Vec<Value>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let world = s2tui::sim::seed::build_world(&SimConfig::default());
        let mut docs = Vec::new();
        let mut add = |v: Value| docs.push(v);
        add(serde_json::to_value(&world.org).unwrap());
        world.groups.values().take(3).for_each(|g| add(serde_json::to_value(&g.api).unwrap()));
        world.workspaces.values().take(3).for_each(|w| add(serde_json::to_value(&w.api).unwrap()));
        world.connections.values().take(3).for_each(|c| add(serde_json::to_value(&c.api).unwrap()));
        world.teams.values().take(3).for_each(|t| add(serde_json::to_value(t).unwrap()));
        world.jobs.jobs.values().take(3).for_each(|j| add(serde_json::to_value(&j.api).unwrap()));
        world.users.iter().take(2).for_each(|u| add(serde_json::to_value(&u.info).unwrap()));
        world.projects.iter().take(2).for_each(|p| add(serde_json::to_value(p).unwrap()));
        for ws in world.workspaces.values().take(3) {
            let cluster = s2tui::sim::routes::clusters::view(ws, world.groups.get(&ws.api.workspace_group_id));
            add(serde_json::to_value(&cluster).unwrap());
        }
        docs
    })
}

/// Every known wire string of every enum, to be sent in other cases and in other places.
fn enum_words() -> Vec<String> {
    macro_rules! words {
        ($($ty:ty),+) => { vec![$(<$ty>::KNOWN.iter().map(|k| k.as_str().to_string()).collect::<Vec<_>>()),+].concat() };
    }
    words!(
        Provider,
        WorkspaceGroupState,
        WorkspaceState,
        DeploymentType,
        SmartDrStatus,
        SuspendType,
        AutoScaleSensitivity,
        AttachmentKind,
        ConnectionType,
        ConnectionStatus,
        FileType,
        ScheduleMode,
        TargetType,
        ExecutionStatus,
        ParameterType,
        AuditSource,
        AuditUserType,
        UsageMetric,
        AggregateBy,
        Multiplier,
        Edition,
        SimulatedStatus,
        SimulatedResourceType,
        ProjectEdition,
        ClusterState,
        StarterProvider
    )
}

/// Strings a server could plausibly send: anything, UUIDs, timestamps, enum words in any case.
fn wire_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        any::<u128>().prop_map(|n| uuid::Uuid::from_u128(n).to_string()),
        Just("0001-01-01T00:00:00Z".to_string()),
        (0i64..4_000_000_000, 0u32..1_000_000_000)
            .prop_map(|(s, n)| { chrono::DateTime::from_timestamp(s, n).map(|t| t.to_rfc3339()).unwrap_or_default() }),
        (proptest::sample::select(enum_words()), any::<u64>()).prop_map(|(w, mask)| {
            w.chars()
                .enumerate()
                .map(|(i, c)| if mask >> (i % 64) & 1 == 1 { c.to_ascii_lowercase() } else { c })
                .collect()
        }),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        wire_string().prop_map(Value::String),
    ]
}

fn json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 96, 10, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((proptest::sample::select(field_names()), inner), 0..12)
                .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Every node of `doc`, as JSON pointers.
fn pointers(doc: &Value, at: String, out: &mut Vec<String>) {
    match doc {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// A real document with a few of its nodes replaced or removed.
fn mutated_document() -> impl Strategy<Value = Value> {
    let docs = seed_documents();
    (0..docs.len(), proptest::collection::vec((any::<usize>(), any::<bool>(), json()), 1..5)).prop_map(
        move |(which, edits)| {
            let mut doc = docs[which].clone();
            for (node, remove, replacement) in edits {
                let mut all = Vec::new();
                pointers(&doc, String::new(), &mut all);
                let ptr = &all[node % all.len()];
                let (parent, key) = ptr.rsplit_once('/').unwrap_or(("", ""));
                if remove && let Some(Value::Object(map)) = doc.pointer_mut(parent) {
                    map.remove(&key.replace("~1", "/").replace("~0", "~"));
                } else if let Some(slot) = doc.pointer_mut(ptr) {
                    *slot = replacement;
                }
            }
            doc
        },
    )
}

#[test]
fn the_generators_have_material() {
    assert!(seed_documents().len() >= 10);
    assert!(field_names().iter().any(|n| n == "workspaceGroupID"), "{:?}", field_names());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        every_type!(from_bytes, &bytes[..]);
    }

    #[test]
    fn arbitrary_json_never_panics_and_round_trips(doc in json()) {
        every_type!(round_trip, doc);
        let text = doc.to_string();
        every_type!(from_bytes, text.as_bytes());
    }

    #[test]
    fn damaged_real_documents_never_panic_and_round_trip(doc in mutated_document()) {
        every_type!(round_trip, doc);
    }

    #[test]
    fn enum_strings_decode_to_the_known_value_or_unknown_verbatim(s in wire_string()) {
        macro_rules! check {
            ($($ty:ty),+) => {$(
                let decoded: $ty = serde_json::from_value(Value::String(s.clone())).unwrap();
                match <$ty>::KNOWN.iter().find(|k| k.as_str() == s)
                    .or_else(|| <$ty>::KNOWN.iter().find(|k| k.as_str().eq_ignore_ascii_case(&s)))
                {
                    Some(known) => prop_assert_eq!(&decoded, known),
                    None => {
                        prop_assert_eq!(&decoded, &<$ty>::Unknown(s.clone()));
                        prop_assert_eq!(serde_json::to_value(&decoded).unwrap(), Value::String(s.clone()));
                    }
                }
                // Anything but a string is refused, not guessed at.
                prop_assert!(serde_json::from_value::<$ty>(Value::from(1)).is_err());
            )+};
        }
        check!(
            Provider, WorkspaceGroupState, WorkspaceState, DeploymentType, SmartDrStatus, SuspendType,
            AutoScaleSensitivity, AttachmentKind, ConnectionType, ConnectionStatus, FileType, ScheduleMode,
            TargetType, ExecutionStatus, ParameterType, AuditSource, AuditUserType, UsageMetric, AggregateBy,
            Multiplier, Edition, SimulatedStatus, SimulatedResourceType
        );
    }
}
