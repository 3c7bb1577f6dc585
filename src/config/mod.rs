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

/// What the dashboard would refuse once running, beyond what reading the file finds: `[theme]`
/// entries it cannot apply and base URLs the client will not send a key to.
pub fn runtime_problems(config: &Config) -> Vec<String> {
    let mut problems = crate::theme::Theme::dark().apply_overrides(&config.theme_overrides);
    for p in config.profiles.values() {
        if let Some(url) = &p.base_url
            && let Err(e) = crate::api::client::ClientConfig::new(url, crate::api::client::ApiKey::new(""))
        {
            problems.push(format!("[profiles.{}] base_url: {e}", p.name));
        }
    }
    problems
}
