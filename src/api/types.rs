//! Every family's wire types in one namespace, for code that uses many of them.

pub use super::audit::*;
pub use super::clusters::*;
pub use super::connections::*;
pub use super::dr::*;
pub use super::files::*;
pub use super::flow::*;
pub use super::functions::*;
pub use super::groups::*;
pub use super::identity::*;
pub use super::jobs::*;
pub use super::org::*;
pub use super::people::*;
pub use super::projects::*;
pub use super::regions::*;
pub use super::secrets::*;
pub use super::stage::*;
pub use super::starters::*;
pub use super::teams::*;
pub use super::usage::*;
pub use super::wire::{Extra, format_go_time, format_time, parse_time};
pub use super::workspaces::*;

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn unknown_states_decode_and_round_trip() {
        let s: WorkspaceState = serde_json::from_str("\"RESIZING\"").expect("decodes");
        assert_eq!(s, WorkspaceState::Unknown("RESIZING".into()));
        assert_eq!(serde_json::to_string(&s).expect("encodes"), "\"RESIZING\"");
        let known: WorkspaceState = serde_json::from_str("\"SUSPENDED\"").expect("decodes");
        assert_eq!(known, WorkspaceState::Suspended);
        assert_eq!(WorkspaceState::from_wire("active"), WorkspaceState::Active);
        assert_eq!(DeploymentType::NonProduction.as_str(), "NON-PRODUCTION");
        assert_eq!(FileType::from_wire(""), FileType::File);
    }

    #[test]
    fn whole_numbers_are_written_as_integers() {
        let u = WorkspaceUpdate { scale_factor: Some(2.0), cache_config: Some(1.5), ..WorkspaceUpdate::default() };
        assert_eq!(serde_json::to_string(&u).expect("encodes"), r#"{"scaleFactor":2,"cacheConfig":1.5}"#);
    }

    #[test]
    fn zero_time_is_unset() {
        assert!(parse_time("0001-01-01T00:00:00Z").is_none());
        assert!(parse_time("2023-02-28T05:33:06.3003Z").is_some());
    }

    #[test]
    fn secrets_decode_wrapped_and_bare() {
        let id = Uuid::nil();
        let one = format!(
            r#"{{"secretID":"{id}","name":"A","createdAt":"","createdBy":"{id}","lastUpdatedAt":"","lastUpdatedBy":"{id}"}}"#
        );
        let wrapped: SecretsEnvelope = serde_json::from_str(&format!(r#"{{"secrets":[{one}]}}"#)).expect("wrapped");
        let bare: SecretsEnvelope = serde_json::from_str(&format!("[{one}]")).expect("bare");
        assert_eq!(wrapped.into_inner().len(), 1);
        assert_eq!(bare.into_inner().len(), 1);
        let single: SecretEnvelope = serde_json::from_str(&format!(r#"{{"secret":{one}}}"#)).expect("wrapped one");
        assert_eq!(single.into_inner().name, "A");
    }

    #[test]
    fn secret_debug_never_shows_the_value() {
        let s = SecretCreate { name: "N".into(), value: "hunter2-very-secret".into() };
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
