//! The Management API: wire types and a typed async client. Knows nothing of the UI.

pub mod client;
pub mod clusters;
pub mod error;
pub mod lenient;
pub mod projects;
pub mod retry;
pub mod stage_path;
pub mod starters;
pub mod transfer;
pub mod types;
pub mod version;
#[macro_use]
mod wire_enum;

pub use client::{ApiKey, CallRecord, Client, ClientConfig, Observer};
pub use error::ApiError;
pub use retry::RetryPolicy;
pub use transfer::{stage_download, stage_upload};
pub use version::ApiVersion;
