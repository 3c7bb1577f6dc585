//! Which Management API version a request goes to.

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
