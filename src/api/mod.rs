//! The Management API: wire types and a typed async client. Knows nothing of the UI.

pub mod types;
#[macro_use]
mod wire_enum;
