//! Fault injection: added latency, 429 with Retry-After, 500/503, dropped connections.

/// Which faults to inject, and how often.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultSpec {}
