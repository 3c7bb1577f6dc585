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

/// Parses an API timestamp; `None` for empty strings and the Go zero time (year 1).
///
/// Two forms arrive: RFC 3339 (`2026-09-17T13:42:41.493848Z`) nearly everywhere, and Go's
/// `time.String()` (`2026-09-17 14:42:41.445984 +0000 UTC`, perhaps with a trailing
/// monotonic reading ` m=+0.01`) in a v2 cluster's `expiresAt`.
pub fn parse_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let s = s.trim();
    if s.is_empty() || s.starts_with("0001-01-01") {
        return None;
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    // Go: date, time, numeric offset, zone abbreviation, optional monotonic clock reading.
    let mut parts = s.split(' ');
    let (date, time, offset) = (parts.next()?, parts.next()?, parts.next()?);
    chrono::DateTime::parse_from_str(&format!("{date} {time} {offset}"), "%Y-%m-%d %H:%M:%S%.f %z")
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// A time as Go's `time.String()` writes it in UTC: `2026-09-17 14:42:41.445984 +0000 UTC`.
pub fn format_go_time(t: chrono::DateTime<chrono::Utc>) -> String {
    let base = t.format("%Y-%m-%d %H:%M:%S").to_string();
    let fraction = format!("{:09}", t.timestamp_subsec_nanos());
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() { format!("{base} +0000 UTC") } else { format!("{base}.{fraction} +0000 UTC") }
}

/// Formats a time the way the service does (RFC3339, UTC, `Z`, trimmed fraction).
pub fn format_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_timestamp_forms_parse_and_year_one_is_unset() {
        let rfc = parse_time("2026-09-17T14:42:41.445984Z").expect("rfc 3339");
        for go in [
            "2026-09-17 14:42:41.445984 +0000 UTC",
            "2026-09-17 14:42:41.445984 +0000 UTC m=+3600.000000001",
            "2026-09-17 16:42:41.445984 +0200 CEST",
        ] {
            assert_eq!(parse_time(go), Some(rfc), "{go}");
        }
        assert_eq!(format_go_time(rfc), "2026-09-17 14:42:41.445984 +0000 UTC");
        assert_eq!(parse_time(&format_go_time(rfc)), Some(rfc));
        let whole = parse_time("2026-09-17T14:42:41Z").expect("whole seconds");
        assert_eq!(format_go_time(whole), "2026-09-17 14:42:41 +0000 UTC");
        for unset in ["0001-01-01T00:00:00Z", "0001-01-01 00:00:00 +0000 UTC", "", "  ", "soon"] {
            assert_eq!(parse_time(unset), None, "{unset}");
        }
    }
}
