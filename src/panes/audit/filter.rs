//! Filters: the server-side ones (`:audit key=value …` or the filter form), sent with every
//! request of the tail, and the client-side search (`/`) over the whole buffer.

use chrono::{DateTime, NaiveDate, Utc};
use memchr::memmem;
use uuid::Uuid;

use super::buffer::{Buffer, Entry};
use crate::api::types::{AuditLogQuery, AuditSource, format_time, parse_time};

/// Filters the API applies. Dates are RFC3339 (resolved from relative input when parsed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerFilter {
    pub kind: Option<String>,
    pub source: Option<AuditSource>,
    pub email: Option<String>,
    pub user_id: Option<Uuid>,
    pub api_key: Option<Uuid>,
    pub group: Option<Uuid>,
    pub workspace: Option<Uuid>,
    pub team: Option<Uuid>,
    pub start: Option<String>,
    pub end: Option<String>,
}

/// The keys `:audit` understands, with the form's labels.
pub const KEYS: [(&str, &str); 10] = [
    ("type", "Type"),
    ("source", "Source"),
    ("email", "User email"),
    ("user", "User ID"),
    ("apikey", "API key ID"),
    ("group", "Workspace group"),
    ("workspace", "Workspace"),
    ("team", "Team"),
    ("since", "From (date or 1h)"),
    ("until", "Until (date or 1h)"),
];

/// Looks up a workspace, group or team by name when the value is not an ID.
pub trait Names {
    fn group(&self, name: &str) -> Option<Uuid>;
    fn workspace(&self, name: &str) -> Option<Uuid>;
    fn team(&self, name: &str) -> Option<Uuid>;
}

fn canonical(key: &str) -> Option<&'static str> {
    Some(match key.to_ascii_lowercase().as_str() {
        "type" | "kind" => "type",
        "source" => "source",
        "email" | "user_email" => "email",
        "user" | "userid" | "user_id" => "user",
        "apikey" | "api_key" | "apikeyid" | "key" => "apikey",
        "group" | "wg" | "workspacegroup" | "workspacegroupid" => "group",
        "workspace" | "ws" | "workspaceid" => "workspace",
        "team" | "teamid" => "team",
        "since" | "start" | "from" | "startdate" => "since",
        "until" | "end" | "to" | "enddate" => "until",
        _ => return None,
    })
}

/// A date as RFC3339: an RFC3339 time, a day (`2025-06-01`), or an age (`90s`, `15m`, `2h`, `7d`).
pub fn parse_date(value: &str, wall: DateTime<Utc>) -> Result<String, String> {
    let v = value.trim();
    if let Some(t) = parse_time(v) {
        return Ok(format_time(t));
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d")
        && let Some(t) = d.and_hms_opt(0, 0, 0)
    {
        return Ok(format_time(t.and_utc()));
    }
    let (num, unit) = v.split_at(v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len()));
    let secs = match (num.parse::<i64>(), unit) {
        (Ok(n), "s") => n,
        (Ok(n), "m") => n * 60,
        (Ok(n), "h") => n * 3600,
        (Ok(n), "d") => n * 86_400,
        _ => return Err(format!("{value:?} is not a date: use 2025-06-01, an RFC3339 time, or an age like 2h or 7d")),
    };
    Ok(format_time(wall - chrono::Duration::seconds(secs)))
}

fn id_or_name(key: &str, value: &str, lookup: impl Fn(&str) -> Option<Uuid>) -> Result<Uuid, String> {
    Uuid::parse_str(value).ok().or_else(|| lookup(value)).ok_or_else(|| format!("no {key} named {value:?}"))
}

impl ServerFilter {
    pub fn is_empty(&self) -> bool {
        *self == ServerFilter::default()
    }

    /// Sets one `key=value`; an empty value clears that filter.
    pub fn set(&mut self, key: &str, value: &str, names: &dyn Names, wall: DateTime<Utc>) -> Result<(), String> {
        let key = canonical(key).ok_or_else(|| {
            let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
            format!("unknown audit filter {key:?}: expected {}", known.join(", "))
        })?;
        let v = value.trim();
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let uuid = |what: &str| -> Result<Option<Uuid>, String> {
            if v.is_empty() {
                return Ok(None);
            }
            Uuid::parse_str(v).map(Some).map_err(|_| format!("{what} {v:?} is not an ID"))
        };
        match key {
            "type" => self.kind = some(v),
            "source" => {
                self.source = match v {
                    "" => None,
                    _ => {
                        let s = ["Admin", "Portal", "SystemJob"]
                            .into_iter()
                            .find(|s| s.eq_ignore_ascii_case(v))
                            .ok_or_else(|| format!("source {v:?}: expected Admin, Portal or SystemJob"))?;
                        Some(AuditSource::from_wire(s))
                    }
                }
            }
            "email" => self.email = some(v),
            "user" => self.user_id = uuid("user")?,
            "apikey" => self.api_key = uuid("API key")?,
            "group" => self.group = (!v.is_empty()).then(|| id_or_name("group", v, |n| names.group(n))).transpose()?,
            "workspace" => {
                self.workspace =
                    (!v.is_empty()).then(|| id_or_name("workspace", v, |n| names.workspace(n))).transpose()?
            }
            "team" => self.team = (!v.is_empty()).then(|| id_or_name("team", v, |n| names.team(n))).transpose()?,
            "since" => self.start = (!v.is_empty()).then(|| parse_date(v, wall)).transpose()?,
            _ => self.end = (!v.is_empty()).then(|| parse_date(v, wall)).transpose()?,
        }
        Ok(())
    }

    /// Parses `key=value …`; `clear` (or `-`) starts from no filter at all.
    pub fn parse(
        current: &ServerFilter,
        args: &[String],
        names: &dyn Names,
        wall: DateTime<Utc>,
    ) -> Result<ServerFilter, String> {
        let mut f = current.clone();
        for arg in args {
            if arg == "clear" || arg == "-" || arg == "all" {
                f = ServerFilter::default();
                continue;
            }
            let (k, v) = arg
                .split_once('=')
                .ok_or_else(|| format!("{arg:?}: expected key=value, e.g. type=Workspace.Create"))?;
            f.set(k, v, names, wall)?;
        }
        Ok(f)
    }

    /// The filter's value for a key of [`KEYS`], as the form shows it.
    pub fn value(&self, key: &str) -> String {
        let id = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
        match key {
            "type" => self.kind.clone().unwrap_or_default(),
            "source" => self.source.as_ref().map(|s| s.as_str().to_string()).unwrap_or_default(),
            "email" => self.email.clone().unwrap_or_default(),
            "user" => id(self.user_id),
            "apikey" => id(self.api_key),
            "group" => id(self.group),
            "workspace" => id(self.workspace),
            "team" => id(self.team),
            "since" => self.start.clone().unwrap_or_default(),
            "until" => self.end.clone().unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// `type=… source=…`, for the pane's title.
    pub fn summary(&self, label: impl Fn(Uuid) -> String) -> String {
        KEYS.iter()
            .filter_map(|(k, _)| {
                let v = self.value(k);
                if v.is_empty() {
                    return None;
                }
                let shown = match *k {
                    "group" | "workspace" | "team" => Uuid::parse_str(&v).map(&label).unwrap_or(v),
                    _ => v,
                };
                Some(format!("{k}={shown}"))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The query for one request of the tail.
    pub fn query(&self) -> AuditLogQuery {
        AuditLogQuery {
            kind: self.kind.clone(),
            source: self.source.clone(),
            start_date: self.start.clone(),
            end_date: self.end.clone(),
            email: self.email.clone(),
            user_id: self.user_id,
            api_key_id: self.api_key,
            workspace_group_id: self.group,
            workspace_id: self.workspace,
            team_id: self.team,
            ..AuditLogQuery::default()
        }
    }
}

/// The client-side search: smart case (an upper-case letter makes it case-sensitive).
#[derive(Debug, Clone)]
pub struct Needle {
    text: String,
    case_sensitive: bool,
    finder: memmem::Finder<'static>,
}

impl Needle {
    pub fn new(text: &str) -> Option<Needle> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let case_sensitive = text.chars().any(char::is_uppercase);
        let text = if case_sensitive { text.to_string() } else { text.to_lowercase() };
        let finder = memmem::Finder::new(text.as_bytes()).into_owned();
        Some(Needle { text, case_sensitive, finder })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// True if every match of `self` also matches `other`'s text (so the new matches are a subset).
    pub fn narrows(&self, narrower: &Needle) -> bool {
        self.case_sensitive == narrower.case_sensitive && narrower.text.contains(&self.text)
    }

    pub fn is_in(&self, hay: &str) -> bool {
        if self.case_sensitive {
            return self.finder.find(hay.as_bytes()).is_some();
        }
        find_ignore_case(hay.as_bytes(), self.text.as_bytes()).is_some()
    }

    /// Byte ranges of every match in `hay`, for highlighting.
    pub fn ranges(&self, hay: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut from = 0;
        let n = self.text.len();
        while from < hay.len() {
            let rest = &hay.as_bytes()[from..];
            let found =
                if self.case_sensitive { self.finder.find(rest) } else { find_ignore_case(rest, self.text.as_bytes()) };
            match found {
                Some(i) => {
                    let (s, e) = (from + i, from + i + n);
                    if !hay.is_char_boundary(s) || !hay.is_char_boundary(e.min(hay.len())) {
                        break;
                    }
                    out.push((s, e.min(hay.len())));
                    from = e.max(s + 1);
                }
                None => break,
            }
        }
        out
    }
}

/// How rare a byte is in log text (higher = rarer): the pivot of a case-insensitive search.
fn rarity(b: u8) -> u8 {
    const COMMON: &[u8] = b" etaoinsrhldcumwfgypbvkjxqz";
    COMMON.iter().position(|&c| c == b.to_ascii_lowercase()).map_or(40, |i| i as u8)
}

/// ASCII-case-insensitive search for a lower-case needle: a SIMD scan for its rarest byte in
/// both cases, then a comparison of the whole needle around it. Non-ASCII bytes match exactly.
fn find_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let (k, &pivot) = needle.iter().enumerate().max_by_key(|(_, b)| rarity(**b))?;
    let upper = pivot.to_ascii_uppercase();
    // The pivot can only sit where a whole needle fits around it.
    let (lo, hi) = (k, hay.len() - (needle.len() - k) + 1);
    let mut at = lo;
    while at < hi {
        let window = &hay[at..hi];
        let i = if upper != pivot { memchr::memchr2(pivot, upper, window)? } else { memchr::memchr(pivot, window)? };
        let start = at + i - k;
        if hay[start..start + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(start);
        }
        at += i + 1;
    }
    None
}

/// Per-interned-value hits, computed once per search so each entry costs a few lookups.
pub struct Hits {
    strings: Vec<bool>,
    ids: Vec<bool>,
}

impl Hits {
    /// `label` names an interned ID the way the table shows it (a workspace or group name).
    pub fn new(needle: &Needle, buffer: &Buffer, label: impl Fn(Uuid) -> String) -> Hits {
        let strings = buffer.tables.strings.all().iter().map(|s| !s.is_empty() && needle.is_in(s)).collect();
        let ids = buffer.tables.ids.all().iter().map(|id| !id.is_nil() && needle.is_in(&label(*id))).collect();
        Hits { strings, ids }
    }

    pub fn matches(&self, needle: &Needle, e: &Entry) -> bool {
        let s = |i: u32| self.strings.get(i as usize).copied().unwrap_or(false);
        let id = |i: u32| self.ids.get(i as usize).copied().unwrap_or(false);
        s(e.kind)
            || s(e.email)
            || s(e.source)
            || id(e.workspace)
            || id(e.group)
            || id(e.team)
            || (e.email == 0 && id(e.api_key))
            || needle.is_in(&e.reason)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    struct NoNames;
    impl Names for NoNames {
        fn group(&self, name: &str) -> Option<Uuid> {
            (name == "prod").then(|| Uuid::from_u128(1))
        }
        fn workspace(&self, _: &str) -> Option<Uuid> {
            None
        }
        fn team(&self, _: &str) -> Option<Uuid> {
            None
        }
    }

    #[test]
    fn parses_key_values() {
        let wall = parse_time("2025-06-01T12:00:00Z").unwrap();
        let args: Vec<String> = ["type=Workspace.Create", "source=portal", "group=prod", "since=2h"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let f = ServerFilter::parse(&ServerFilter::default(), &args, &NoNames, wall).unwrap();
        assert_eq!(f.kind.as_deref(), Some("Workspace.Create"));
        assert_eq!(f.source, Some(AuditSource::Portal));
        assert_eq!(f.group, Some(Uuid::from_u128(1)));
        assert_eq!(f.start.as_deref(), Some("2025-06-01T10:00:00Z"));
        let q = f.query();
        assert_eq!(q.workspace_group_id, Some(Uuid::from_u128(1)));
        assert!(ServerFilter::parse(&f, &["nope=1".into()], &NoNames, wall).is_err());
        assert!(ServerFilter::parse(&f, &["workspace=ghost".into()], &NoNames, wall).is_err());
        assert!(ServerFilter::parse(&f, &["clear".into()], &NoNames, wall).unwrap().is_empty());
    }

    #[test]
    fn smart_case_search() {
        let n = Needle::new("suspend").unwrap();
        assert!(n.is_in("Workspace SUSPENDED by alice"));
        assert!(!n.is_in("resumed"));
        let n = Needle::new("Sus").unwrap();
        assert!(!n.is_in("suspended"));
        assert!(n.is_in("Suspended"));
        assert_eq!(Needle::new("ab").unwrap().ranges("xAbyab"), vec![(1, 3), (4, 6)]);
        assert!(Needle::new("a").unwrap().narrows(&Needle::new("ab").unwrap()));
        assert_eq!(find_ignore_case(b"xx Suspended", b"suspended"), Some(3));
        assert_eq!(find_ignore_case(b"suspende", b"suspended"), None);
        assert_eq!(find_ignore_case(b"zq", b"q"), Some(1));
        assert_eq!(find_ignore_case(b"a-b A-B", b"a-b"), Some(0));
    }
}
