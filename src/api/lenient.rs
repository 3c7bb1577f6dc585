//! Decoding that lets one odd field spoil only itself.
//!
//! The service omits nulls at v2, sends `null` at v1, and older or newer servers put other
//! types in fields the spec calls optional. An object is identified by its ID and name,
//! decoded strictly; every other field goes through [`field`], where a value of the wrong
//! shape becomes `None` ("unknown" on that row) instead of failing the whole list.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// `#[serde(default, deserialize_with = "lenient::field")]`: `None` for absent, `null`,
/// or a value that does not fit `T`.
pub fn field<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let v = Value::deserialize(d)?;
    if v.is_null() {
        return Ok(None);
    }
    Ok(serde_json::from_value(v).ok())
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

/// A list reply whose rows are decoded one by one: a row that cannot be identified (no ID,
/// no name) is left out with a warning in the log instead of failing the whole list.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows<T>(pub Vec<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Rows<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = Vec::<Value>::deserialize(d)?;
        let total = items.len();
        let rows: Vec<T> = items.into_iter().filter_map(|i| serde_json::from_value(i).ok()).collect();
        if rows.len() < total {
            tracing::warn!(
                dropped = total - rows.len(),
                of = total,
                kind = std::any::type_name::<T>(),
                "rows without a usable ID or name were left out"
            );
        }
        Ok(Rows(rows))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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

    #[test]
    fn a_row_without_an_identity_is_left_out_not_the_list() {
        let Rows(rows) = serde_json::from_str::<Rows<Row>>(r#"[{"id": 1}, {"size": 2}, {"id": 3}]"#).unwrap();
        assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), [1, 3]);
        assert!(serde_json::from_str::<Rows<Row>>(r#"{"id": 1}"#).is_err(), "not a list at all");
    }
}
