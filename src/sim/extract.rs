//! Request parsing that fails the way the service does: 400 with a plain-text reason.

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use super::error::{SimError, SimResult};

/// Parses a path or query UUID; the message mentions `UUID` as the real service's does.
pub fn parse_uuid(raw: &str, what: &str) -> Result<Uuid, SimError> {
    Uuid::parse_str(raw.trim())
        .map_err(|_| SimError::bad_request(format!("invalid {what}: {raw:?} is not a valid UUID")))
}

/// Removes `null` members from every object, so that `null` reads as "not given" even
/// for fields that default to an empty list.
pub fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|_, x| !x.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// Decodes a request body received as JSON: it must be an object, nulls (at any depth)
/// are "not given", unknown keys are ignored.
pub fn decode<T: DeserializeOwned>(mut v: Value) -> SimResult<T> {
    if !v.is_object() {
        return Err(SimError::bad_request("invalid request body: expected a JSON object"));
    }
    strip_nulls(&mut v);
    serde_json::from_value(v).map_err(|e| SimError::bad_request(format!("invalid request body: {e}")))
}

/// A JSON body, decoded by [`decode`]. An empty body decodes as `{}` (clients send
/// suspend/terminate with a JSON content type and no body); anything unparsable is a 400
/// that says what is wrong.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = SimError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| SimError::bad_request(format!("could not read request body: {e}")))?;
        let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &bytes };
        let value: Value =
            serde_json::from_slice(text).map_err(|e| SimError::bad_request(format!("invalid request body: {e}")))?;
        decode(value).map(JsonBody)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        #[serde(default)]
        ranges: Vec<String>,
    }

    #[test]
    fn nulls_at_any_depth_mean_not_given() {
        let v = json!({"tags": null, "inner": {"ranges": null, "x": null}, "unknown": [{"y": null}]});
        let b: Body = decode(v).unwrap_or(Body { tags: vec!["failed".into()], inner: None });
        assert_eq!(b, Body { tags: vec![], inner: Some(Inner { ranges: vec![] }) });
    }

    #[test]
    fn only_objects_are_bodies() {
        for v in [json!([1, 2]), json!("x"), json!(3), Value::Null] {
            let e = decode::<Body>(v.clone()).err().map(|e| e.message).unwrap_or_default();
            assert!(e.contains("expected a JSON object"), "{v}: {e}");
        }
    }
}
