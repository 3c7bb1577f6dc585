//! Which Management API version a request goes to.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

/// `v1` (workspace groups and workspaces) or `v2` (flat clusters in projects).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ApiVersion {
    #[default]
    V1,
    V2,
}

impl ApiVersion {
    /// The path prefix, e.g. `/v2`.
    pub fn prefix(self) -> &'static str {
        match self {
            ApiVersion::V1 => "/v1",
            ApiVersion::V2 => "/v2",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1",
            ApiVersion::V2 => "v2",
        }
    }
}

impl std::fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ApiVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "v1" => Ok(ApiVersion::V1),
            "v2" => Ok(ApiVersion::V2),
            other => Err(format!("unknown API version {other:?}: expected v1 or v2")),
        }
    }
}

/// The environment variable the official Python client reads for the same choice.
pub const VERSION_ENV_VAR: &str = "SINGLESTOREDB_MANAGEMENT_VERSION";

/// What a profile asks for: a fixed version, or `auto` (ask the service once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ApiChoice {
    #[default]
    Auto,
    Fixed(ApiVersion),
}

impl std::fmt::Display for ApiChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiChoice::Auto => f.write_str("auto"),
            ApiChoice::Fixed(v) => v.fmt(f),
        }
    }
}

impl std::str::FromStr for ApiChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(ApiChoice::Auto),
            other => other
                .parse::<ApiVersion>()
                .map(ApiChoice::Fixed)
                .map_err(|_| format!("unknown API version {other:?}: expected auto, v1 or v2")),
        }
    }
}

impl super::client::Client {
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
    pub async fn resolve(&self, profile: &str, client: &super::client::Client, choice: ApiChoice) -> ApiVersion {
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_as_written_in_config_env_and_flags() {
        assert_eq!("auto".parse(), Ok(ApiChoice::Auto));
        assert_eq!(" V2 ".parse(), Ok(ApiChoice::Fixed(ApiVersion::V2)));
        assert_eq!("v1".parse(), Ok(ApiChoice::Fixed(ApiVersion::V1)));
        assert!("v3".parse::<ApiChoice>().unwrap_err().contains("auto, v1 or v2"));
        assert_eq!(ApiChoice::Fixed(ApiVersion::V2).to_string(), "v2");
    }
}
