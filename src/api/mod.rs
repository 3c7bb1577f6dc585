//! The Management API: wire types and a typed async client. Knows nothing of the UI.

pub mod audit;
pub mod client;
pub mod clusters;
pub mod connections;
pub mod detect;
pub mod dr;
pub mod error;
pub mod files;
pub mod flow;
pub mod functions;
pub mod groups;
pub mod identity;
pub mod jobs;
pub mod lenient;
pub mod org;
pub mod people;
pub mod projects;
pub mod regions;
pub mod retry;
pub mod secrets;
pub mod stage;
pub mod stage_path;
pub mod stage_plan;
pub mod starters;
pub mod teams;
pub mod transfer;
pub mod types;
pub mod usage;
pub mod version;
mod wire;
pub mod workspaces;
#[macro_use]
mod wire_enum;

/// The Management API of the service.
pub const DEFAULT_BASE_URL: &str = "https://api.singlestore.com";

/// How many reads of one family run at once (one group's workspaces, one job's details…).
pub const FAN_OUT: usize = 8;

pub use client::{ApiKey, CallRecord, Client, ClientConfig, Observer};
pub use error::ApiError;
pub use retry::RetryPolicy;
pub use transfer::{stage_download, stage_upload};
pub use version::{ApiChoice, ApiVersion};
