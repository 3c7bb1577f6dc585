//! The audit buffer: a bounded ring of compact entries, ordered by `createdAt`, deduplicated by
//! `auditID`. Repeated text (users, types, sources) and IDs are interned to small numbers so a
//! million entries stay within a few hundred megabytes; only the reason and a compact JSON of
//! the rarely shown fields (labels, attributes, error, session) are stored per entry.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::api::types::{AuditLog, AuditSource, AuditUserType, parse_time};

/// The default number of entries kept.
pub const DEFAULT_CAPACITY: usize = 100_000;

/// Interned strings; id 0 is "absent".
#[derive(Debug, Clone)]
pub struct Strings {
    list: Vec<Arc<str>>,
    map: HashMap<Arc<str>, u32>,
}

impl Default for Strings {
    fn default() -> Self {
        Self { list: vec![Arc::from("")], map: HashMap::new() }
    }
}

impl Strings {
    pub fn intern(&mut self, s: Option<&str>) -> u32 {
        let Some(s) = s else { return 0 };
        if let Some(&id) = self.map.get(s) {
            return id;
        }
        let id = self.list.len() as u32;
        let arc: Arc<str> = Arc::from(s);
        self.list.push(arc.clone());
        self.map.insert(arc, id);
        id
    }

    pub fn get(&self, id: u32) -> &str {
        self.list.get(id as usize).map_or("", |s| s)
    }

    pub fn opt(&self, id: u32) -> Option<&str> {
        (id != 0).then(|| self.get(id))
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.len() <= 1
    }

    pub fn all(&self) -> &[Arc<str>] {
        &self.list
    }
}

/// Interned IDs (workspaces, groups, teams, API keys, the organization); id 0 is "absent".
#[derive(Debug, Clone)]
pub struct Ids {
    list: Vec<Uuid>,
    map: HashMap<Uuid, u32>,
}

impl Default for Ids {
    fn default() -> Self {
        Self { list: vec![Uuid::nil()], map: HashMap::new() }
    }
}

impl Ids {
    pub fn intern(&mut self, id: Option<Uuid>) -> u32 {
        let Some(id) = id else { return 0 };
        *self.map.entry(id).or_insert_with(|| {
            self.list.push(id);
            (self.list.len() - 1) as u32
        })
    }

    pub fn get(&self, n: u32) -> Option<Uuid> {
        (n != 0).then(|| self.list.get(n as usize).copied()).flatten()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.len() <= 1
    }

    pub fn all(&self) -> &[Uuid] {
        &self.list
    }
}

/// One audit entry, compactly. `Uuid` is 16 bytes with byte alignment, so it packs tightly.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: Uuid,
    /// `createdAt` in nanoseconds since the epoch, as precise as the API's RFC3339Nano
    /// (`i64::MIN` when the API sent none or it is outside 1677–2262).
    pub at: i64,
    pub kind: u32,
    pub source: u32,
    pub email: u32,
    pub user_id: u32,
    pub first_name: u32,
    pub last_name: u32,
    pub user_type: u32,
    pub api_key: u32,
    pub org: u32,
    pub workspace: u32,
    pub group: u32,
    pub team: u32,
    pub reason: Box<str>,
    /// Labels, attributes, error, session and project as one compact JSON object, if any.
    pub extra: Option<Box<str>>,
}

/// The interning tables an entry's numbers refer to.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    pub strings: Strings,
    pub ids: Ids,
}

impl Tables {
    pub fn compact(&mut self, log: AuditLog) -> Entry {
        let at =
            log.created_at.as_deref().and_then(parse_time).and_then(|t| t.timestamp_nanos_opt()).unwrap_or(i64::MIN);
        let mut extra = Map::new();
        if !log.labels.is_empty() {
            extra.insert("labels".into(), Value::from(log.labels));
        }
        if let Some(a) = log.attributes {
            extra.insert("attributes".into(), a);
        }
        if let Some(e) = log.error {
            extra.insert("error".into(), Value::from(e));
        }
        if let Some(s) = log.session_id {
            extra.insert("sessionID".into(), Value::from(s.to_string()));
        }
        if let Some(p) = log.project_id {
            extra.insert("projectID".into(), Value::from(p.to_string()));
        }
        let extra = (!extra.is_empty()).then(|| Value::Object(extra).to_string().into_boxed_str());
        Entry {
            id: log.audit_id.unwrap_or_default(),
            at,
            kind: self.strings.intern(log.kind.as_deref()),
            source: self.strings.intern(log.source.as_ref().map(AuditSource::as_str)),
            email: self.strings.intern(log.user_email.as_deref()),
            user_id: self.strings.intern(log.user_id.as_deref()),
            first_name: self.strings.intern(log.first_name.as_deref()),
            last_name: self.strings.intern(log.last_name.as_deref()),
            user_type: self.strings.intern(log.user_type.as_ref().map(AuditUserType::as_str)),
            api_key: self.ids.intern(log.api_key_id),
            org: self.ids.intern(log.org_id),
            workspace: self.ids.intern(log.workspace_id),
            group: self.ids.intern(log.cluster_id),
            team: self.ids.intern(log.team_id),
            reason: log.reason.unwrap_or_default().into_boxed_str(),
            extra,
        }
    }

    /// The entry as the API sent it.
    pub fn expand(&self, e: &Entry) -> AuditLog {
        let s = &self.strings;
        let extra: Map<String, Value> = e
            .extra
            .as_deref()
            .and_then(|x| serde_json::from_str::<Value>(x).ok())
            .and_then(|v| match v {
                Value::Object(m) => Some(m),
                _ => None,
            })
            .unwrap_or_default();
        let uuid = |k: &str| extra.get(k).and_then(Value::as_str).and_then(|v| Uuid::parse_str(v).ok());
        AuditLog {
            audit_id: (!e.id.is_nil()).then_some(e.id),
            created_at: format_nanos(e.at),
            kind: s.opt(e.kind).map(String::from),
            source: s.opt(e.source).map(AuditSource::from_wire),
            reason: (!e.reason.is_empty()).then(|| e.reason.to_string()),
            labels: extra
                .get("labels")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                .unwrap_or_default(),
            attributes: extra.get("attributes").cloned(),
            error: extra.get("error").and_then(Value::as_str).map(String::from),
            user_id: s.opt(e.user_id).map(String::from),
            user_email: s.opt(e.email).map(String::from),
            user_type: s.opt(e.user_type).map(AuditUserType::from_wire),
            first_name: s.opt(e.first_name).map(String::from),
            last_name: s.opt(e.last_name).map(String::from),
            api_key_id: self.ids.get(e.api_key),
            session_id: uuid("sessionID"),
            org_id: self.ids.get(e.org),
            workspace_id: self.ids.get(e.workspace),
            cluster_id: self.ids.get(e.group),
            team_id: self.ids.get(e.team),
            project_id: uuid("projectID"),
        }
    }
}

/// `createdAt` as the API writes it (RFC3339 with nanoseconds, UTC).
pub fn format_nanos(at: i64) -> Option<String> {
    (at != i64::MIN).then(|| DateTime::<Utc>::from_timestamp_nanos(at).to_rfc3339_opts(SecondsFormat::Nanos, true))
}

/// What one batch did to the buffer.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Inserted {
    /// New entries kept (duplicates are not counted).
    pub added: usize,
    /// Some entry went in before the newest one: positions after it moved.
    pub reordered: bool,
    /// Old entries pushed out at the front because the ring was full.
    pub dropped: usize,
}

/// The ring. Positions are absolute (`base` is the position of the oldest kept entry), so a
/// filtered view made of positions stays valid when old entries fall off the front.
#[derive(Debug)]
pub struct Buffer {
    entries: VecDeque<Entry>,
    base: u64,
    capacity: usize,
    /// Entries pushed out since the buffer was last cleared.
    pub dropped: u64,
    pub tables: Tables,
}

impl Default for Buffer {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl Buffer {
    pub fn with_capacity(capacity: usize) -> Self {
        Self { entries: VecDeque::new(), base: 0, capacity: capacity.max(1), dropped: 0, tables: Tables::default() }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Position of the oldest entry kept.
    pub fn base(&self) -> u64 {
        self.base
    }

    /// One past the position of the newest entry.
    pub fn end(&self) -> u64 {
        self.base + self.entries.len() as u64
    }

    pub fn get(&self, pos: u64) -> Option<&Entry> {
        let i = pos.checked_sub(self.base)?;
        self.entries.get(usize::try_from(i).ok()?)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Entry> + ExactSizeIterator {
        self.entries.iter()
    }

    /// Entries by index from the oldest kept (not by position).
    pub fn range(&self, r: std::ops::Range<usize>) -> impl Iterator<Item = &Entry> {
        self.entries.range(r)
    }

    /// Forgets everything (a new server filter starts a new tail).
    pub fn clear(&mut self) {
        self.base += self.entries.len() as u64;
        self.entries.clear();
        self.dropped = 0;
    }

    /// True if an entry with this ID and time is kept. Equal IDs have equal times, so only
    /// the entries of that instant are compared.
    pub fn contains(&self, id: Uuid, at: i64) -> bool {
        let start = self.entries.partition_point(|e| e.at < at);
        self.entries.range(start..).take_while(|e| e.at == at).any(|e| e.id == id)
    }

    /// Adds a page of entries in any order: duplicates are skipped, order by `createdAt` is kept.
    pub fn insert(&mut self, logs: Vec<AuditLog>) -> Inserted {
        let mut batch: Vec<Entry> = logs.into_iter().map(|l| self.tables.compact(l)).collect();
        batch.sort_by_key(|e| e.at);
        let mut out = Inserted::default();
        for e in batch {
            if self.contains(e.id, e.at) {
                continue;
            }
            match self.entries.back() {
                Some(last) if last.at > e.at => {
                    let at = self.entries.partition_point(|x| x.at <= e.at);
                    self.entries.insert(at, e);
                    out.reordered = true;
                }
                _ => self.entries.push_back(e),
            }
            out.added += 1;
        }
        while self.entries.len() > self.capacity {
            self.entries.pop_front();
            self.base += 1;
            self.dropped += 1;
            out.dropped += 1;
        }
        out
    }

    /// Changes the bound, dropping the oldest entries if there are now too many.
    pub fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity.max(1);
        while self.entries.len() > self.capacity {
            self.entries.pop_front();
            self.base += 1;
            self.dropped += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn log(n: u128, secs: i64) -> AuditLog {
        AuditLog {
            audit_id: Some(Uuid::from_u128(n)),
            created_at: format_nanos(1_700_000_000_000_000_000 + secs * 1_000_000_000),
            kind: Some("Workspace.Create".into()),
            reason: Some(format!("entry {n}")),
            labels: vec!["x".into()],
            attributes: Some(serde_json::json!({"a": 1})),
            session_id: Some(Uuid::from_u128(99)),
            workspace_id: Some(Uuid::from_u128(7)),
            ..Default::default()
        }
    }

    #[test]
    fn round_trips_an_entry() {
        let mut t = Tables::default();
        let l = log(1, 5);
        let e = t.compact(l.clone());
        assert_eq!(t.expand(&e), l);
    }

    #[test]
    fn dedups_orders_and_wraps() {
        let mut b = Buffer::with_capacity(3);
        let r = b.insert(vec![log(2, 2), log(1, 1)]);
        assert_eq!((r.added, r.reordered), (2, false));
        let r = b.insert(vec![log(2, 2), log(0, 0)]);
        assert_eq!((r.added, r.reordered), (1, true));
        let r = b.insert(vec![log(3, 3)]);
        assert_eq!((r.added, r.dropped), (1, 1));
        let ids: Vec<u128> = b.iter().map(|e| e.id.as_u128()).collect();
        assert_eq!(ids, [1, 2, 3]);
        assert_eq!(b.base(), 1);
        assert_eq!(b.get(1).map(|e| e.id.as_u128()), Some(1));
        assert_eq!(b.dropped, 1);
    }
}
