//! What every API family's wire types share: unknown fields, whole numbers, timestamps.
//!
//! Field names are the wire names. Timestamps stay strings: the service sends variable
//! fractional seconds and `0001-01-01T00:00:00Z` for "unset", and a lossless round trip
//! matters more here than early parsing (see [`parse_time`]). Entities keep fields this
//! build does not know in `extra`, so a describe view shows everything the server sent.

use serde_json::{Map, Value};

/// Fields the server sent that this build has no name for.
pub type Extra = Map<String, Value>;

/// JSON numbers the service writes without a fraction when they are whole (`1`, not `1.0`):
/// clients that decode them into integers must not notice the difference.
pub(crate) mod whole {
    pub fn serialize<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => s.serialize_i64(*n as i64),
            Some(n) => s.serialize_f64(*n),
            None => s.serialize_none(),
        }
    }
}

/// Parses an API timestamp; `None` for empty strings and the Go zero time.
pub fn parse_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if s.is_empty() || s.starts_with("0001-01-01") {
        return None;
    }
    chrono::DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&chrono::Utc))
}

/// Formats a time the way the service does (RFC3339, UTC, `Z`, trimmed fraction).
pub fn format_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}
