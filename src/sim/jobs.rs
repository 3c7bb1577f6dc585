//! Scheduled notebook jobs and their executions.

/// Every job the organization has created.
#[derive(Debug, Default)]
pub struct JobStore {}
