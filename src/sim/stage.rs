//! Stage: a per-deployment file tree, with downloads served by a separate object-store host.

/// Every deployment's Stage tree.
#[derive(Debug, Default)]
pub struct StageStore {}
