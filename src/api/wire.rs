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

/// Lenient decoding: only what identifies and acts on an object (its id, name, state) is
/// decoded strictly. Any other field that is missing or odd (a string where a number belongs,
/// `""` for an id) becomes "unknown" (the type's default) on that row and is logged at debug;
/// a row whose essentials are unusable is left out of its list and logged as a warning. Servers
/// shaped by older or newer specs omit fields the current one calls required.
pub(crate) mod lenient {
    use serde::de::{DeserializeOwned, Deserializer};
    use serde::{Deserialize, Serialize};
    use serde_json::Value;

    /// For `#[serde(default, deserialize_with = "lenient::field")]` on a non-essential field.
    pub fn field<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(d: D) -> Result<T, D::Error> {
        let raw = Value::deserialize(d)?;
        match T::deserialize(&raw) {
            Ok(v) => Ok(v),
            Err(e) => {
                let wanted = std::any::type_name::<T>();
                let error = crate::sanitize::one_line(&e.to_string()).into_owned();
                tracing::debug!(wanted, %error, "a field of the reply is odd; it is shown as unknown");
                Ok(T::default())
            }
        }
    }

    /// For `#[serde(default, deserialize_with = "lenient::rows")]` on a list inside a reply.
    pub fn rows<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
        Ok(Rows::deserialize(d)?.0)
    }

    /// A list whose odd rows are skipped rather than failing it: a top-level list reply.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Rows<T>(pub Vec<T>);

    impl<'de, T: DeserializeOwned> Deserialize<'de> for Rows<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let items = Option::<Vec<Value>>::deserialize(d)?.unwrap_or_default();
            let total = items.len();
            let mut kept = Vec::with_capacity(total);
            for (index, item) in items.into_iter().enumerate() {
                match T::deserialize(item) {
                    Ok(v) => kept.push(v),
                    Err(e) => {
                        let what = std::any::type_name::<T>().rsplit("::").next().unwrap_or("row");
                        let error = crate::sanitize::one_line(&e.to_string()).into_owned();
                        tracing::warn!(what, index, total, %error, "a row of the reply cannot be used and is left out");
                    }
                }
            }
            Ok(Rows(kept))
        }
    }

    impl<T: Serialize> Serialize for Rows<T> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            self.0.serialize(s)
        }
    }

    /// For `skip_serializing_if`: an id that arrived unknown goes back out absent.
    pub fn is_nil(id: &uuid::Uuid) -> bool {
        id.is_nil()
    }
}

#[cfg(test)]
mod tests {
    use super::lenient::Rows;
    use crate::api::types::*;

    #[test]
    fn essentials_are_strict_the_rest_becomes_unknown() {
        let body = r#"[
            {"workspaceGroupID": "1f0c3e2a-0000-4000-8000-000000000001", "name": "legacy", "state": "ACTIVE",
             "createdAt": "2023-09-18T09:56:56Z", "regionID": "7e7ffd27-0000-1000-9000-e72828a81ac7"},
            {"workspaceGroupID": "1f0c3e2a-0000-4000-8000-000000000002", "name": "odd", "state": "ACTIVE",
             "createdAt": 5, "provider": 7, "regionID": "", "updateWindow": {"day": "Monday", "hour": 1}},
            {"name": "no id", "state": "ACTIVE"},
            {"workspaceGroupID": "1f0c3e2a-0000-4000-8000-000000000004", "state": "ACTIVE"}
        ]"#;
        let Rows(groups) = serde_json::from_str::<Rows<WorkspaceGroup>>(body).expect("the list decodes");
        assert_eq!(groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["legacy", "odd"]);
        assert!(groups[0].provider.is_absent() && groups[0].region_name.is_empty());
        assert_eq!(groups[1].update_window, None);
        assert!(groups[1].region_id.is_nil() && groups[1].created_at.is_empty());
        // What was absent goes back out absent.
        let back = serde_json::to_value(&groups[0]).expect("encodes");
        assert!(back.get("provider").is_none() && back.get("regionName").is_none(), "{back}");
    }

    #[test]
    fn an_audit_entry_with_empty_ids_keeps_the_page() {
        let body = r#"{"auditLogs": [
            {"auditID": "", "type": "Workspace.Suspend", "workspaceID": "", "clusterID": 3},
            {"auditID": "8a0c3e2a-0000-4000-8000-000000000001", "type": "User.Login"},
            7
        ], "nextToken": "t"}"#;
        let page: AuditLogPage = serde_json::from_str(body).expect("the page decodes");
        assert_eq!(page.audit_logs.len(), 2);
        assert_eq!(page.audit_logs[0].audit_id, None);
        assert_eq!(page.audit_logs[0].kind.as_deref(), Some("Workspace.Suspend"));
        assert_eq!(page.next_token.as_deref(), Some("t"));
    }
}
