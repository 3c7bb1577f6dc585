//! Facts about this session: which profile, which API, what it may do.

use std::path::PathBuf;
use std::time::Duration;

/// How long a change is followed unless the config says otherwise.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// The steady request rate of idle refreshes unless the config says otherwise.
pub const DEFAULT_REQUEST_RATE: f64 = 2.0;

/// Facts about this session that the header shows.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionInfo {
    pub base_url: String,
    pub demo: bool,
    pub profile: String,
    /// The profile's band colour in the header; production profiles are always red.
    pub profile_color: Option<String>,
    pub production: bool,
    /// Every profile of the config file, for `:profile`.
    pub profiles: Vec<String>,
    pub read_only: bool,
    /// How often the visible pane refreshes when nothing is pending.
    pub refresh_every: Duration,
    /// How long the operations tracker follows a change before it gives up.
    pub operation_timeout: Duration,
    /// Idle refreshes keep to this many requests per second, however large the organization.
    pub request_rate: f64,
    /// Where the dashboard keeps what it must remember (the jobs it created); `None`: nowhere.
    pub data_dir: Option<PathBuf>,
    /// The Management API version this profile speaks (settled when it was opened).
    pub api_version: crate::api::ApiVersion,
}

impl Default for SessionInfo {
    fn default() -> Self {
        Self {
            base_url: crate::api::DEFAULT_BASE_URL.to_string(),
            demo: false,
            profile: "default".to_string(),
            profile_color: None,
            production: false,
            profiles: Vec::new(),
            read_only: false,
            refresh_every: Duration::from_secs(10),
            operation_timeout: DEFAULT_OPERATION_TIMEOUT,
            request_rate: DEFAULT_REQUEST_RATE,
            data_dir: None,
            api_version: crate::api::ApiVersion::V1,
        }
    }
}
