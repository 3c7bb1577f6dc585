//! Configuration: the config file (TOML) and its profiles, the keymap file, where files live,
//! and where the API key comes from. Layering: CLI flags > environment > profile > file defaults.

mod credentials;
pub mod file;
pub mod keymap_file;
pub mod paths;
pub mod profile;

pub use credentials::*;
pub use file::{Config, KeySource, Profile, Warning};
pub use paths::Paths;
