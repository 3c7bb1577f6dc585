//! Which API version an organization speaks when a profile says `auto`: the service is asked
//! once per profile, and the answer kept for the life of the process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::client::Client;
use super::version::{ApiChoice, ApiVersion};

impl Client {
    /// Asks the service which version this organization speaks: `GET /v2/clusters` answering
    /// is v2, refusing the route is v1. `None` when the answer says nothing about the route
    /// (a wrong key, a network failure): the caller should not remember it.
    pub async fn detect_version(&self) -> Option<ApiVersion> {
        match self.call_bytes(reqwest::Method::GET, "/v2/clusters", vec![], None).await {
            Ok(_) => Some(ApiVersion::V2),
            Err(e) => match e.status() {
                Some(400 | 403 | 404 | 405 | 501) => Some(ApiVersion::V1),
                _ => None,
            },
        }
    }
}

/// Versions settled by asking the service, per profile, for the life of the process: `auto`
/// asks once per profile, however often it is opened again.
#[derive(Debug, Clone, Default)]
pub struct Detected(Arc<Mutex<HashMap<String, ApiVersion>>>);

impl Detected {
    /// The version to speak for `profile`: fixed by `choice`, remembered, or asked for now.
    /// An undecided answer (wrong key, network down) means v1 and is not remembered.
    pub async fn resolve(&self, profile: &str, client: &Client, choice: ApiChoice) -> ApiVersion {
        let ApiChoice::Fixed(version) = choice else {
            let key = format!("{profile} {}", client.base_url());
            if let Some(v) = self.lock().get(&key) {
                return *v;
            }
            let Some(found) = client.detect_version().await else {
                return ApiVersion::V1;
            };
            self.lock().insert(key, found);
            return found;
        };
        version
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, ApiVersion>> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
