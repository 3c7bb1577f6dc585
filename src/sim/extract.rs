//! Request parsing that fails the way the service does: 400 with a plain-text reason.

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::error::SimError;

/// Parses a path or query UUID; the message mentions `UUID` as the real service's does.
pub fn parse_uuid(raw: &str, what: &str) -> Result<Uuid, SimError> {
    Uuid::parse_str(raw.trim())
        .map_err(|_| SimError::bad_request(format!("invalid {what}: {raw:?} is not a valid UUID")))
}

/// A JSON body. An empty body decodes as `{}` (clients send suspend/terminate with a JSON
/// content type and no body); anything unparsable is a 400 that says what is wrong.
/// Unknown keys are ignored and `null` means "not given", as on the real service.
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
        serde_json::from_slice(text)
            .map(JsonBody)
            .map_err(|e| SimError::bad_request(format!("invalid request body: {e}")))
    }
}
