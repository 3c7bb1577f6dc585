//! The config file: parsed leniently. A typo, an unknown key or a bad value becomes a warning
//! that names the line; the rest of the file still applies and s2tui still starts.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The commented default written by `s2tui config init`.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.toml");

/// A problem in a file, with the line it is on (1-based) when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Where a profile's API key comes from. The key itself is never stored in the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// An environment variable's name.
    Env(String),
    /// A file holding only the key.
    File(PathBuf),
    /// A command that prints the key (a password manager), run when the profile is opened.
    Command(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Profile {
    pub name: String,
    /// `None`: the usual environment variables.
    pub key: Option<KeySource>,
    pub base_url: Option<String>,
    pub read_only: Option<bool>,
    /// Marks an organization that matters: a red band, and read-only unless `read_only = false`.
    pub production: bool,
    pub refresh: Option<u64>,
    pub theme: Option<String>,
    /// The colour of the profile's band in the header.
    pub color: Option<String>,
    /// Which Management API version; `None` = the environment's, else `auto`.
    pub api: Option<crate::api::ApiChoice>,
}

impl Profile {
    /// Production profiles are read-only unless they say otherwise.
    pub fn read_only(&self) -> bool {
        self.read_only.unwrap_or(self.production)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    /// The profile used when none is named.
    pub default_profile: Option<String>,
    pub refresh: Option<u64>,
    pub theme: Option<String>,
    pub log_level: Option<String>,
    /// Seconds between audit-log polls while the pane is visible.
    pub audit_poll: Option<u64>,
    /// Entries the audit pane keeps.
    pub audit_buffer: Option<usize>,
    /// Stage transfers at once while the next is small, and large ones at once.
    pub transfers: Option<usize>,
    pub transfers_large: Option<usize>,
    /// Seconds a request may take before the client stops waiting for its reply.
    pub request_timeout: Option<u64>,
    /// Seconds the operations tracker follows a change before it gives up.
    pub operation_timeout: Option<u64>,
    /// Seconds a profile's `key_command` may run before it is stopped.
    pub key_command_timeout: Option<u64>,
    /// Requests per second that idle refreshes keep under.
    pub request_rate: Option<f64>,
    pub profiles: BTreeMap<String, Profile>,
    /// `[theme]` overrides: semantic style name → colour.
    pub theme_overrides: Vec<(String, String)>,
}

/// Byte offset → 1-based line.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// Parses the config file; never fails, warns instead.
pub fn parse(text: &str) -> (Config, Vec<Warning>) {
    let mut cfg = Config::default();
    let mut warnings = Vec::new();
    let table = match DeTable::parse(text) {
        Ok(t) => t.into_inner(),
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start));
            let message = format!("the file is not valid TOML ({}); using the defaults", e.message().trim());
            warnings.push(Warning { line, message });
            return (cfg, warnings);
        }
    };
    let mut w = Walker { text, warnings: &mut warnings };
    for (key, value) in &table {
        match key.get_ref().as_ref() {
            "general" => {
                let Some(t) = w.table(key, value) else { continue };
                for (k, v) in t {
                    match k.get_ref().as_ref() {
                        "profile" => cfg.default_profile = w.string(k, v),
                        "refresh" => cfg.refresh = w.seconds(k, v),
                        "theme" => cfg.theme = w.theme_name(k, v),
                        "log_level" => cfg.log_level = w.log_level(k, v),
                        "audit_poll" => cfg.audit_poll = w.seconds(k, v),
                        "audit_buffer" => cfg.audit_buffer = w.count(k, v).map(|n| n as usize),
                        "transfers" => cfg.transfers = w.parallel(k, v),
                        "transfers_large" => cfg.transfers_large = w.parallel(k, v),
                        "request_timeout" => cfg.request_timeout = w.seconds(k, v),
                        "operation_timeout" => cfg.operation_timeout = w.seconds_up_to(k, v, 7 * 86_400),
                        "key_command_timeout" => cfg.key_command_timeout = w.seconds(k, v),
                        "request_rate" => cfg.request_rate = w.rate(k, v),
                        _ => w.unknown(
                            k,
                            "general",
                            &[
                                "profile",
                                "refresh",
                                "theme",
                                "log_level",
                                "audit_poll",
                                "audit_buffer",
                                "transfers",
                                "transfers_large",
                                "request_timeout",
                                "operation_timeout",
                                "key_command_timeout",
                                "request_rate",
                            ],
                        ),
                    }
                }
            }
            "profiles" => {
                let Some(t) = w.table(key, value) else { continue };
                for (name, body) in t {
                    let Some(body) = w.table(name, body) else { continue };
                    let profile = w.profile(name.get_ref(), body);
                    cfg.profiles.insert(profile.name.clone(), profile);
                }
            }
            "theme" => {
                let Some(t) = w.table(key, value) else { continue };
                for (k, v) in t {
                    if let Some(color) = w.string(k, v) {
                        cfg.theme_overrides.push((k.get_ref().to_string(), color));
                    }
                }
            }
            _ => w.unknown(key, "the top level", &["general", "profiles", "theme"]),
        }
    }
    if let Some(name) = &cfg.default_profile
        && !cfg.profiles.contains_key(name)
        && !cfg.profiles.is_empty()
    {
        warnings.push(Warning { line: None, message: format!("general.profile names {name:?}, which is not defined") });
    }
    // Tables are walked in key order, not file order; report in file order.
    warnings.sort_by_key(|w| w.line.unwrap_or(usize::MAX));
    (cfg, warnings)
}

type Key<'i> = Spanned<std::borrow::Cow<'i, str>>;
type Value<'i> = Spanned<DeValue<'i>>;

struct Walker<'a> {
    text: &'a str,
    warnings: &'a mut Vec<Warning>,
}

impl Walker<'_> {
    fn warn(&mut self, span: std::ops::Range<usize>, message: String) {
        let line = Some(line_of(self.text, span.start));
        self.warnings.push(Warning { line, message });
    }

    fn unknown(&mut self, key: &Key<'_>, section: &str, known: &[&str]) {
        let message = format!("unknown key {:?} in {section} (known: {}); ignored", key.get_ref(), known.join(", "));
        self.warn(key.span(), message);
    }

    fn table<'t, 'i>(&mut self, key: &Key<'_>, value: &'t Value<'i>) -> Option<&'t DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.warn(
                    value.span(),
                    format!("{} must be a table, like [{}]; ignored", key.get_ref(), key.get_ref()),
                );
                None
            }
        }
    }

    fn string(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.warn(value.span(), format!("{} must be a string in quotes; ignored", key.get_ref()));
                None
            }
        }
    }

    fn boolean(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<bool> {
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.warn(value.span(), format!("{} must be true or false; ignored", key.get_ref()));
                None
            }
        }
    }

    fn count(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<u64> {
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => i.as_str().replace('_', "").parse::<u64>().ok().filter(|n| *n > 0),
            _ => None,
        };
        if parsed.is_none() {
            self.warn(value.span(), format!("{} must be a whole number above 0; ignored", key.get_ref()));
        }
        parsed
    }

    /// A number of transfers at once: 1 to 256.
    fn parallel(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<usize> {
        let n = self.count(key, value)?;
        if n > 256 {
            self.warn(value.span(), format!("{} must be at most 256; ignored", key.get_ref()));
            return None;
        }
        usize::try_from(n).ok()
    }

    fn seconds(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<u64> {
        self.seconds_up_to(key, value, 3600)
    }

    fn seconds_up_to(&mut self, key: &Key<'_>, value: &Value<'_>, max: u64) -> Option<u64> {
        let n = self.count(key, value)?;
        if n > max {
            self.warn(value.span(), format!("{} must be at most {max} seconds; ignored", key.get_ref()));
            return None;
        }
        Some(n)
    }

    /// Requests per second: above 0 and at most 1000, whole or not.
    fn rate(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<f64> {
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => i.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            _ => None,
        };
        let ok = parsed.filter(|r| r.is_finite() && *r > 0.0 && *r <= 1000.0);
        if ok.is_none() {
            self.warn(
                value.span(),
                format!("{} must be a number of requests per second above 0 (at most 1000); ignored", key.get_ref()),
            );
        }
        ok
    }

    fn theme_name(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<String> {
        let name = self.string(key, value)?;
        if crate::theme::Theme::named(&name).is_none() {
            self.warn(value.span(), format!("unknown theme {name:?} (dark, light, high-contrast); ignored"));
            return None;
        }
        Some(name)
    }

    fn log_level(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<String> {
        let level = self.string(key, value)?;
        if !["error", "warn", "info", "debug", "trace"].contains(&level.as_str()) {
            self.warn(value.span(), format!("log_level {level:?} must be error, warn, info, debug or trace; ignored"));
            return None;
        }
        Some(level)
    }

    fn api_choice(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<crate::api::ApiChoice> {
        let raw = self.string(key, value)?;
        match raw.parse() {
            Ok(choice) => Some(choice),
            Err(e) => {
                self.warn(value.span(), format!("api: {e}; ignored"));
                None
            }
        }
    }

    fn profile(&mut self, name: &str, body: &DeTable<'_>) -> Profile {
        let mut p = Profile { name: name.to_string(), ..Profile::default() };
        let mut key_sources = 0;
        for (k, v) in body {
            match k.get_ref().as_ref() {
                "key_env" => {
                    p.key = self.string(k, v).map(KeySource::Env);
                    key_sources += 1;
                }
                "key_file" => {
                    p.key = self.string(k, v).map(|s| KeySource::File(expand_home(&s)));
                    key_sources += 1;
                }
                "key_command" => {
                    p.key = self.string(k, v).map(KeySource::Command);
                    key_sources += 1;
                }
                "api_key" | "key" => self.warn(
                    k.span(),
                    "API keys are not read from the config file; use key_env, key_file or key_command".to_string(),
                ),
                "base_url" => p.base_url = self.string(k, v),
                "api" => p.api = self.api_choice(k, v),
                "read_only" => p.read_only = self.boolean(k, v),
                "production" => p.production = self.boolean(k, v).unwrap_or(false),
                "refresh" => p.refresh = self.seconds(k, v),
                "theme" => p.theme = self.theme_name(k, v),
                "color" => {
                    p.color = self.string(k, v).filter(|c| {
                        let ok = crate::theme::parse_color(c).is_some();
                        if !ok {
                            self.warnings.push(Warning {
                                line: Some(line_of(self.text, v.span().start)),
                                message: format!("unknown colour {c:?} (a name like red, or #rrggbb); ignored"),
                            });
                        }
                        ok
                    })
                }
                _ => self.unknown(
                    k,
                    &format!("profile {name:?}"),
                    &[
                        "key_env",
                        "key_file",
                        "key_command",
                        "base_url",
                        "api",
                        "read_only",
                        "production",
                        "refresh",
                        "theme",
                        "color",
                    ],
                ),
            }
        }
        if key_sources > 1 {
            self.warnings.push(Warning {
                line: None,
                message: format!(
                    "profile {name:?} gives more than one of key_env, key_file, key_command; the last one wins"
                ),
            });
        }
        p
    }
}

/// `~/x` → `$HOME/x`.
pub fn expand_home(path: &str) -> PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => directories::BaseDirs::new().map_or_else(|| PathBuf::from(path), |b| b.home_dir().join(rest)),
        None => PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transfer_counts_are_bounded() {
        let (cfg, warnings) = parse("[general]\ntransfers = 32\ntransfers_large = 0\n");
        assert_eq!((cfg.transfers, cfg.transfers_large), (Some(32), None));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let (cfg, warnings) = parse("[general]\ntransfers = 1000\n");
        assert_eq!(cfg.transfers, None);
        assert!(warnings[0].message.contains("at most 256"), "{warnings:?}");
    }

    #[test]
    fn the_shipped_default_parses_without_warnings() {
        let (_, warnings) = parse(DEFAULT_CONFIG);
        assert_eq!(warnings, vec![]);
    }

    #[test]
    fn two_profiles_and_general() {
        let text = r#"
[general]
profile = "staging"
refresh = 5

[profiles.staging]
key_env = "STAGING_KEY"
base_url = "http://127.0.0.1:18080"
api = "v1"

[profiles.prod]
key_command = "pass show s2/prod"
production = true
color = "red"
"#;
        let (cfg, warnings) = parse(text);
        assert_eq!(warnings, vec![]);
        assert_eq!(cfg.default_profile.as_deref(), Some("staging"));
        assert_eq!(cfg.refresh, Some(5));
        let prod = &cfg.profiles["prod"];
        assert!(prod.production && prod.read_only(), "production is read-only by default");
        assert_eq!(prod.key, Some(KeySource::Command("pass show s2/prod".into())));
        assert_eq!(cfg.profiles["staging"].key, Some(KeySource::Env("STAGING_KEY".into())));
        assert_eq!(cfg.profiles["staging"].api, Some(crate::api::ApiChoice::Fixed(crate::api::ApiVersion::V1)));
        assert_eq!(prod.api, None);
        let (_, warnings) = parse("[profiles.x]\napi = \"v9\"\n");
        assert!(warnings.iter().any(|w| w.message.contains("auto, v1 or v2")), "{warnings:?}");
    }

    #[test]
    fn unknown_keys_and_bad_values_warn_with_their_line() {
        let text = "[general]\nrefresh = \"soon\"\ncolour = 1\n\n[profiles.a]\nread_only = 3\napi_key = \"x\"\n";
        let (cfg, warnings) = parse(text);
        let lines: Vec<Option<usize>> = warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, vec![Some(2), Some(3), Some(6), Some(7)], "{warnings:#?}");
        assert!(warnings[1].message.contains("colour"));
        assert!(warnings[3].message.contains("not read from the config file"));
        assert_eq!(cfg.refresh, None);
        assert!(cfg.profiles.contains_key("a"));
    }

    #[test]
    fn broken_toml_is_a_warning_not_a_crash() {
        let (cfg, warnings) = parse("[general\nrefresh = 5");
        assert_eq!(cfg, Config::default());
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, Some(1));
    }
}
