//! Opening a profile: which organization, with which key, on which API, how carefully.

use std::path::Path;
use std::time::Duration;

use super::credentials::{self, CredentialError, KEY_ENV_VARS};
use super::file::{Config, KeySource, Profile};
use crate::api::client::ApiKey;
use crate::api::version::{ApiChoice, VERSION_ENV_VAR};

/// Environment variable naming the profile when `--profile` is not given.
pub const PROFILE_ENV_VAR: &str = "S2TUI_PROFILE";

/// What the command line says, for the settings it can override.
#[derive(Debug, Clone, Default)]
pub struct Flags<'a> {
    pub profile: Option<&'a str>,
    pub api_key_file: Option<&'a Path>,
    pub base_url: Option<&'a str>,
    pub read_only: bool,
    pub refresh: Option<u64>,
    pub theme: Option<&'a str>,
    pub api: Option<ApiChoice>,
    /// Set when the profile is no longer wanted while it opens: its key command is stopped.
    pub cancel: Option<&'a std::sync::atomic::AtomicBool>,
}

/// A profile made concrete: everything needed to open a session on it.
#[derive(Debug)]
pub struct Opened {
    pub name: String,
    pub color: Option<String>,
    pub production: bool,
    pub base_url: String,
    pub key: ApiKey,
    /// Where the key came from, for messages (never the key).
    pub key_source: String,
    pub read_only: bool,
    pub refresh: Duration,
    pub theme: Option<String>,
    /// Which Management API version to speak (`auto` is settled by asking the service).
    pub api: ApiChoice,
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("there is no profile {name:?} in the config file{known}")]
    Unknown { name: String, known: String },
    #[error("profile {profile:?}: {source}")]
    Key { profile: String, source: CredentialError },
    #[error("profile {profile:?}: key_command failed: {message}")]
    Command { profile: String, message: String },
    #[error(transparent)]
    Credentials(#[from] CredentialError),
}

/// The profile `flags` and the environment ask for, if the config file defines profiles.
pub fn chosen<'c>(
    config: &'c Config,
    flags: &Flags<'_>,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<Option<&'c Profile>, ProfileError> {
    let asked =
        flags.profile.map(str::to_string).or_else(|| env(PROFILE_ENV_VAR)).or_else(|| config.default_profile.clone());
    match asked {
        Some(name) => config.profiles.get(&name).map(Some).ok_or_else(|| ProfileError::Unknown {
            known: if config.profiles.is_empty() {
                String::new()
            } else {
                format!(" (known: {})", config.profiles.keys().cloned().collect::<Vec<_>>().join(", "))
            },
            name,
        }),
        None => Ok(config.profiles.get("default")),
    }
}

/// Opens the profile `flags` ask for (or the implicit one made of flags and environment).
pub fn open(config: &Config, flags: &Flags<'_>, env: impl Fn(&str) -> Option<String>) -> Result<Opened, ProfileError> {
    let profile = chosen(config, flags, &env)?;
    let name = profile.map_or_else(|| "default".to_string(), |p| p.name.clone());
    let mut warnings = Vec::new();
    let (key, key_source) = match (flags.api_key_file, profile.and_then(|p| p.key.as_ref())) {
        (Some(file), _) => {
            let r = credentials::resolve_api_key(Some(file), &env)?;
            warnings.extend(r.warning);
            (r.key, r.source)
        }
        (None, Some(source)) => {
            let limit = config.key_command_timeout.map_or(credentials::KEY_COMMAND_TIMEOUT, Duration::from_secs);
            let never = std::sync::atomic::AtomicBool::new(false);
            let cancel = flags.cancel.unwrap_or(&never);
            let (key, from, warning) = key_from(source, &env, limit, cancel).map_err(|e| match e {
                KeyError::Credentials(source) => ProfileError::Key { profile: name.clone(), source },
                KeyError::Command(message) => ProfileError::Command { profile: name.clone(), message },
            })?;
            warnings.extend(warning);
            (key, from)
        }
        (None, None) => {
            let r = credentials::resolve_api_key(None, &env)?;
            (r.key, r.source)
        }
    };
    // Naming a profile is explicit, so its own base URL wins over the environment.
    let base_url = match (flags.base_url, profile.and_then(|p| p.base_url.as_deref())) {
        (Some(flag), _) => credentials::resolve_base_url(Some(flag), &env),
        (None, Some(own)) => own.trim().trim_end_matches('/').to_string(),
        (None, None) => credentials::resolve_base_url(None, &env),
    };
    let refresh = flags.refresh.or(profile.and_then(|p| p.refresh)).or(config.refresh).unwrap_or(10);
    let api = api_choice(flags, profile, &env, &mut warnings);
    Ok(Opened {
        color: profile.and_then(|p| p.color.clone()),
        production: profile.is_some_and(|p| p.production),
        base_url,
        key,
        key_source,
        read_only: flags.read_only || profile.is_some_and(Profile::read_only),
        refresh: Duration::from_secs(refresh),
        theme: flags.theme.map(str::to_string).or(profile.and_then(|p| p.theme.clone())).or(config.theme.clone()),
        api,
        warnings,
        name,
    })
}

/// The flag, else the profile's own setting (explicit, like its base URL), else the official
/// client's environment variable, else `auto`.
fn api_choice(
    flags: &Flags<'_>,
    profile: Option<&Profile>,
    env: &impl Fn(&str) -> Option<String>,
    warnings: &mut Vec<String>,
) -> ApiChoice {
    if let Some(choice) = flags.api.or(profile.and_then(|p| p.api)) {
        return choice;
    }
    match env(VERSION_ENV_VAR).filter(|v| !v.trim().is_empty()).map(|v| v.parse::<ApiChoice>()) {
        Some(Ok(choice)) => choice,
        Some(Err(e)) => {
            warnings.push(format!("{VERSION_ENV_VAR}: {e}; asking the service instead"));
            ApiChoice::Auto
        }
        None => ApiChoice::Auto,
    }
}

enum KeyError {
    Credentials(CredentialError),
    Command(String),
}

fn key_from(
    source: &KeySource,
    env: &impl Fn(&str) -> Option<String>,
    limit: Duration,
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<(ApiKey, String, Option<String>), KeyError> {
    match source {
        KeySource::Env(var) => match env(var) {
            Some(v) if !v.trim().is_empty() => Ok((ApiKey::new(v.trim().to_string()), format!("${var}"), None)),
            Some(_) => Err(KeyError::Command(format!("the environment variable {var} is empty"))),
            None => Err(KeyError::Command(format!(
                "the environment variable {var} is not set (or remove key_env to use {})",
                KEY_ENV_VARS.join(" / ")
            ))),
        },
        KeySource::File(path) => {
            let r = credentials::resolve_api_key(Some(path), env).map_err(KeyError::Credentials)?;
            Ok((r.key, r.source, r.warning))
        }
        KeySource::Command(cmd) => credentials::run_key_command_until(cmd, limit, cancel)
            .map(|k| (k, format!("command `{cmd}`"), None))
            .map_err(KeyError::Command),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::config::file::parse;

    const TWO: &str = r#"
[general]
profile = "staging"
[profiles.staging]
key_env = "STAGING_KEY"
base_url = "http://127.0.0.1:18080"
color = "green"
[profiles.prod]
key_command = "echo prod-key-from-$((1+1))"
production = true
"#;

    fn env(v: &str) -> Option<String> {
        match v {
            "STAGING_KEY" => Some("staging-key".into()),
            "SINGLESTOREDB_MANAGEMENT_BASE_URL" => Some("http://127.0.0.1:9".into()),
            _ => None,
        }
    }

    #[test]
    fn the_default_profile_opens_with_its_own_key_and_url() {
        let (cfg, _) = parse(TWO);
        let o = open(&cfg, &Flags::default(), env).unwrap();
        assert_eq!(o.name, "staging");
        assert_eq!(o.key.expose(), "staging-key");
        assert_eq!(o.base_url, "http://127.0.0.1:18080");
        assert!(!o.read_only);
    }

    #[cfg(unix)]
    #[test]
    fn a_production_profile_is_read_only_and_runs_its_key_command() {
        let (cfg, _) = parse(TWO);
        let o = open(&cfg, &Flags { profile: Some("prod"), ..Flags::default() }, env).unwrap();
        assert!(o.production && o.read_only);
        assert_eq!(o.key.expose(), "prod-key-from-2");
        assert!(!o.key_source.contains("prod-key-from-2"), "the source names the command, never its output");
        assert_eq!(o.base_url, "http://127.0.0.1:9", "no own base_url: the environment's");
    }

    #[test]
    fn the_api_version_comes_from_the_flag_the_profile_the_environment_or_auto() {
        use crate::api::{ApiChoice, ApiVersion};
        let text =
            "[profiles.old]\nkey_env = \"STAGING_KEY\"\napi = \"v1\"\n\n[profiles.any]\nkey_env = \"STAGING_KEY\"\n";
        let (cfg, _) = parse(text);
        let with_env =
            |value: &'static str| move |v: &str| if v == VERSION_ENV_VAR { Some(value.to_string()) } else { env(v) };
        let open_as = |profile, api, value| {
            open(&cfg, &Flags { profile: Some(profile), api, ..Flags::default() }, with_env(value)).unwrap()
        };
        let v2 = Some(ApiChoice::Fixed(ApiVersion::V2));
        assert_eq!(open_as("old", v2, "").api, ApiChoice::Fixed(ApiVersion::V2), "the flag wins");
        assert_eq!(open_as("old", None, "v2").api, ApiChoice::Fixed(ApiVersion::V1), "the profile's own setting");
        assert_eq!(open_as("any", None, "v2").api, ApiChoice::Fixed(ApiVersion::V2), "the environment");
        assert_eq!(open_as("any", None, "").api, ApiChoice::Auto);
        let odd = open_as("any", None, "version2");
        assert_eq!(odd.api, ApiChoice::Auto);
        assert!(odd.warnings.iter().any(|w| w.contains(VERSION_ENV_VAR)), "{:?}", odd.warnings);
    }

    #[test]
    fn an_unknown_profile_names_the_known_ones() {
        let (cfg, _) = parse(TWO);
        let e = open(&cfg, &Flags { profile: Some("nope"), ..Flags::default() }, env).unwrap_err().to_string();
        assert!(e.contains("prod") && e.contains("staging"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_key_command_is_stopped_after_the_configured_time() {
        let (cfg, _) = parse("[general]\nkey_command_timeout = 1\n[profiles.x]\nkey_command = \"sleep 600\"\n");
        assert_eq!(cfg.key_command_timeout, Some(1));
        let e = open(&cfg, &Flags { profile: Some("x"), ..Flags::default() }, env).unwrap_err().to_string();
        assert!(e.contains("did not finish within 1 s"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_failing_key_command_says_so_without_output() {
        let (cfg, _) = parse("[profiles.x]\nkey_command = \"echo secret-out; exit 3\"\n");
        let e = open(&cfg, &Flags { profile: Some("x"), ..Flags::default() }, env).unwrap_err().to_string();
        assert!(e.contains("exit status: 3"), "{e}");
        assert!(!e.contains("secret-out"), "{e}");
    }
}
