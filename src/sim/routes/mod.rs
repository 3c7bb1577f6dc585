//! The API routes, one file per resource family, plus the request/reply helpers they share.

pub mod audit;
pub mod clusters;
pub mod connections;
pub mod groups;
pub mod org;
pub mod people;
pub mod projects;
pub mod regions;
pub mod secrets;
pub mod starters;
pub mod teams;
pub mod v2;
pub mod workspaces;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::extract::parse_uuid;
pub use super::extract::{decode, strip_nulls};
use super::{AppState, SimError, SimResult};

/// Every API route (not the object-store host), with plain-text 404/405 fallbacks.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .merge(regions::routes())
        .merge(org::routes())
        .merge(projects::routes())
        .merge(clusters::routes())
        .merge(starters::routes())
        .merge(groups::routes())
        .merge(workspaces::routes())
        .merge(connections::routes())
        .merge(secrets::routes())
        .merge(teams::routes())
        .merge(people::routes())
        .merge(audit::routes())
        .merge(super::stage::routes())
        .merge(super::jobs::routes())
        .merge(super::dr::routes())
        .merge(super::flow::routes())
        .merge(super::functions::routes())
        .merge(super::identity::routes())
        .merge(super::usage::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn not_found(uri: axum::http::Uri) -> SimError {
    SimError::not_found(format!("no route for {}", uri.path()))
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> SimError {
    SimError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        format!("method {method} is not allowed on {}", uri.path()),
    )
}

/// The query string as name/value pairs, decoded. Never rejects: bad values are reported
/// by the typed getters, with the parameter's name.
#[derive(Debug, Default, Clone)]
pub struct Params(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = SimError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let pairs = parts
            .uri
            .query()
            .map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        Ok(Params(pairs))
    }
}

impl Params {
    /// The last non-empty value of `name` (an empty value counts as not given).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.as_str())
    }

    pub fn uuid(&self, name: &str) -> SimResult<Option<Uuid>> {
        self.get(name).map(|v| parse_uuid(v, name)).transpose()
    }

    /// A required UUID parameter: 400 when missing or malformed.
    pub fn required_uuid(&self, name: &str) -> SimResult<Uuid> {
        self.uuid(name)?.ok_or_else(|| SimError::bad_request(format!("query parameter {name} is required")))
    }

    pub fn bool(&self, name: &str) -> SimResult<Option<bool>> {
        self.get(name)
            .map(|v| match v.to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(true),
                "false" | "0" => Ok(false),
                _ => Err(SimError::bad_request(format!("invalid {name}: {v:?} is not a boolean (true or false)"))),
            })
            .transpose()
    }

    pub fn flag(&self, name: &str) -> SimResult<bool> {
        Ok(self.bool(name)?.unwrap_or(false))
    }

    /// The `fields` projection, if asked for.
    pub fn fields(&self) -> Option<Vec<String>> {
        let raw = self.get("fields")?;
        let names: Vec<String> = raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        (!names.is_empty()).then_some(names)
    }
}

/// Keeps only the named top-level keys of an object (or of each object in a list).
pub fn project(mut v: Value, fields: Option<&[String]>) -> Value {
    let Some(fields) = fields else {
        return v;
    };
    let keep = |o: &mut serde_json::Map<String, Value>| o.retain(|k, _| fields.contains(k));
    match &mut v {
        Value::Object(o) => keep(o),
        Value::Array(items) => items.iter_mut().for_each(|i| {
            if let Value::Object(o) = i {
                keep(o)
            }
        }),
        _ => {}
    }
    v
}

/// A JSON reply (status 200).
pub fn json<T: Serialize>(value: &T) -> Response {
    match serde_json::to_value(value) {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => SimError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, format!("could not encode reply: {e}"))
            .into_response(),
    }
}

/// A JSON reply with the `fields` projection applied.
pub fn json_fields<T: Serialize>(value: &T, params: &Params) -> Response {
    match serde_json::to_value(value) {
        Ok(v) => axum::Json(project(v, params.fields().as_deref())).into_response(),
        Err(e) => SimError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, format!("could not encode reply: {e}"))
            .into_response(),
    }
}

/// Admin passwords: at least 14 characters with upper, lower, digit and special.
pub fn password_problem(p: &str) -> Option<&'static str> {
    if p.chars().count() < 14 {
        Some("password must contain at least 14 characters")
    } else if !p.chars().any(|c| c.is_ascii_uppercase()) {
        Some("password must contain an upper-case letter")
    } else if !p.chars().any(|c| c.is_ascii_lowercase()) {
        Some("password must contain a lower-case letter")
    } else if !p.chars().any(|c| c.is_ascii_digit()) {
        Some("password must contain a digit")
    } else if !p.chars().any(|c| !c.is_ascii_alphanumeric()) {
        Some("password must contain a special character")
    } else {
        None
    }
}

/// A random password that passes [`password_problem`].
pub fn generate_password() -> String {
    use rand::Rng;
    use rand::seq::IndexedRandom;
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
    const DIGIT: &[u8] = b"23456789";
    const SPECIAL: &[u8] = b"!#%*+-=?@^_";
    let mut rng = rand::rng();
    let mut out: Vec<u8> = Vec::with_capacity(20);
    for set in [UPPER, LOWER, DIGIT, SPECIAL] {
        out.extend(set.choose(&mut rng));
    }
    let all: Vec<u8> = [UPPER, LOWER, DIGIT, SPECIAL].concat();
    while out.len() < 20 {
        out.extend(all.choose(&mut rng));
    }
    // Shuffle so the character classes are not in a fixed order.
    for i in (1..out.len()).rev() {
        out.swap(i, rng.random_range(0..=i));
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An IP address or CIDR block, as accepted in firewall ranges.
pub fn valid_cidr(s: &str) -> bool {
    let (ip, prefix) = match s.split_once('/') {
        Some((ip, p)) => (ip, Some(p)),
        None => (s, None),
    };
    let Ok(addr) = ip.parse::<std::net::IpAddr>() else {
        return false;
    };
    let max = if addr.is_ipv4() { 32 } else { 128 };
    prefix.is_none_or(|p| p.parse::<u8>().is_ok_and(|n| n <= max))
}

/// Parses an `expiresAt` value: a timestamp in one of the accepted forms, or a Go duration
/// (`3h30m`) counted from `now`.
pub fn parse_expires_at(raw: &str, now: chrono::DateTime<chrono::Utc>) -> SimResult<chrono::DateTime<chrono::Utc>> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
    let s = raw.trim();
    let bad = || {
        SimError::bad_request(format!(
            "invalid expiresAt {raw:?}: expected a timestamp such as 2023-09-02T15:04:05Z or a duration such as 3h30m"
        ))
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z") {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        return Ok(t.and_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).ok_or_else(bad);
    }
    let d = parse_go_duration(s).ok_or_else(bad)?;
    Ok(now + d)
}

/// `1h30m`, `90m`, `1.5h`, `300ms`, `2h45m30s` (units ns, us, µs, ms, s, m, h).
pub fn parse_go_duration(s: &str) -> Option<chrono::Duration> {
    let mut rest = s;
    if rest.is_empty() {
        return None;
    }
    let mut total_ns = 0f64;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if num_len == 0 {
            return None;
        }
        let n: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let ns_per = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total_ns += n * ns_per;
    }
    Some(chrono::Duration::nanoseconds(total_ns as i64))
}

/// A path UUID, 400 mentioning UUID when malformed.
pub fn path_id(raw: &str, what: &str) -> SimResult<Uuid> {
    parse_uuid(raw, what)
}

/// A path UUID under `/v2`, refused with the v2 service's own text.
pub fn v2_path_id(raw: &str) -> SimResult<Uuid> {
    Uuid::parse_str(raw.trim()).map_err(|_| SimError::bad_request("uuid: incorrect UUID length"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_and_timestamps() {
        let now = chrono::Utc::now();
        let t = parse_expires_at("3h30m", now).unwrap_or(now);
        assert_eq!((t - now).num_minutes(), 210);
        for s in ["2223-09-02T15:04:05Z", "2223-09-02T15:04:05-0700", "2223-09-02T15:04:05", "2223-09-02"] {
            assert!(parse_expires_at(s, now).is_ok(), "{s}");
        }
        assert!(parse_expires_at("soon", now).is_err());
        assert!(parse_go_duration("1x").is_none());
    }

    #[test]
    fn generated_passwords_are_valid() {
        for _ in 0..50 {
            let p = generate_password();
            assert_eq!(password_problem(&p), None, "{p}");
        }
        assert!(password_problem("short").is_some());
    }

    #[test]
    fn cidrs() {
        assert!(valid_cidr("0.0.0.0/0"));
        assert!(valid_cidr("192.168.0.1/32"));
        assert!(valid_cidr("10.0.0.1"));
        assert!(!valid_cidr("10.0.0.1/33"));
        assert!(!valid_cidr("not-an-ip"));
    }
}
