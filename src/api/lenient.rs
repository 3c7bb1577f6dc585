//! Decoding that lets one odd field spoil only itself.
//!
//! The service omits nulls at v2, sends `null` at v1, and older or newer servers put other
//! types in fields the spec calls optional. An object is identified by its ID and name,
//! decoded strictly; every other field goes through [`field`], where a value of the wrong
//! shape becomes "unknown" on that row (and goes back out absent in JSON) instead of failing
//! the whole list; a row whose essentials are unusable is left out of its list ([`Rows`]).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// `#[serde(default, deserialize_with = "lenient::field")]` on a non-essential field: the
/// type's default (`None`, `""`, an absent enum) for `null` or a value that does not fit,
/// logged at debug. Absent fields take the default through `#[serde(default)]`.
pub fn field<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
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

/// Declares a wire struct read leniently: a field marked `#[lenient]` is an `Option` decoded by
/// [`field`](crate::api::lenient::field) and left out of JSON when unknown, as if it carried
/// `#[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]`;
/// `#[lenient(rename = "groupID")]` adds serde attributes of its own. The mark comes first
/// (after the doc comment); every other field keeps the attributes written on it, and the
/// fields keep their order (the order JSON is written in).
#[macro_export]
macro_rules! lenient_struct {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($body:tt)* }) => {
        $crate::lenient_struct!(@fields [$(#[$meta])* $vis struct $name] [] $($body)*);
    };
    (@fields [$($head:tt)*] [$($done:tt)*]) => {
        $($head)* { $($done)* }
    };
    (@fields $head:tt [$($done:tt)*]
        $(#[doc = $doc:literal])* #[lenient $(($($serde:tt)*))?] $(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty
        $(, $($rest:tt)*)?) => {
        $crate::lenient_struct!(@fields $head [$($done)*
            $(#[doc = $doc])*
            #[serde(default, deserialize_with = "crate::api::lenient::field", skip_serializing_if = "Option::is_none")]
            $(#[serde($($serde)*)])?
            $(#[$fmeta])* $fvis $field: $ty,
        ] $($($rest)*)?);
    };
    (@fields $head:tt [$($done:tt)*] $(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty $(, $($rest:tt)*)?) => {
        $crate::lenient_struct!(@fields $head [$($done)* $(#[$fmeta])* $fvis $field: $ty,] $($($rest)*)?);
    };
}

/// A list whose unreadable items are dropped one by one rather than failing the list.
pub fn items<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Array(items) => Some(items.into_iter().filter_map(|i| serde_json::from_value(i).ok()).collect()),
        _ => None,
    })
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::api::types::*;

    #[derive(Debug, Deserialize)]
    struct Row {
        id: u32,
        #[serde(default, deserialize_with = "field")]
        size: Option<f64>,
        #[serde(default, deserialize_with = "items")]
        tags: Option<Vec<String>>,
    }

    #[test]
    fn odd_fields_become_unknown() {
        let r: Row = serde_json::from_str(r#"{"id": 1, "size": "big", "tags": ["a", 2, "b"]}"#).unwrap();
        assert_eq!((r.id, r.size, r.tags), (1, None, Some(vec!["a".to_string(), "b".to_string()])));
        let r: Row = serde_json::from_str(r#"{"id": 2, "size": null}"#).unwrap();
        assert_eq!((r.size, r.tags), (None, None));
        let r: Row = serde_json::from_str(r#"{"id": 3, "size": 2.5, "tags": "x"}"#).unwrap();
        assert_eq!((r.size, r.tags), (Some(2.5), None));
        assert!(serde_json::from_str::<Row>(r#"{"id": "x"}"#).is_err());
    }

    crate::lenient_struct! {
        #[derive(Debug, Serialize, Deserialize)]
        struct Marked {
            id: u32,
            /// A doc comment stays before the mark.
            #[lenient(rename = "sizeGB")]
            size: Option<f64>,
            #[lenient]
            note: Option<String>,
        }
    }

    #[test]
    fn marked_fields_are_lenient_and_go_back_out_absent() {
        let m: Marked = serde_json::from_str(r#"{"id": 1, "sizeGB": "big", "note": "n"}"#).unwrap();
        assert_eq!((m.id, m.size, m.note.as_deref()), (1, None, Some("n")));
        assert_eq!(serde_json::to_value(&m).unwrap(), serde_json::json!({"id": 1, "note": "n"}));
        let m: Marked = serde_json::from_str(r#"{"id": 2, "sizeGB": 2.5}"#).unwrap();
        assert_eq!(serde_json::to_value(&m).unwrap(), serde_json::json!({"id": 2, "sizeGB": 2.5}));
        assert!(serde_json::from_str::<Marked>(r#"{"note": "no id"}"#).is_err());
    }

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
