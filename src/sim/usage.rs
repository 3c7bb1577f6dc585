//! Billing usage derived from what the simulated workspaces did, and cost simulation.
