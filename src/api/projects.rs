//! Projects: every deployment belongs to one. `GET` at both versions (same objects, same
//! shape); create, rename and delete only under `/v1`.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client::Client;
use super::error::ApiError;
use super::lenient;
use super::version::ApiVersion;
use super::wire::Extra;
use crate::wire_enum;

wire_enum!(ProjectEdition {
    Shared = "SHARED",
    Standard = "STANDARD",
    Premium = "PREMIUM",
    Dedicated = "DEDICATED",
    Enterprise = "ENTERPRISE",
});

/// A project. Names may repeat across an organization; the ID is the identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    #[serde(rename = "projectID")]
    pub project_id: Uuid,
    pub name: String,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub edition: Option<ProjectEdition>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(flatten, default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectCreate {
    pub name: String,
    pub edition: ProjectEdition,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectUpdate {
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectIdReply {
    #[serde(rename = "projectID")]
    pub project_id: Uuid,
}

impl Client {
    pub async fn projects(&self, version: ApiVersion) -> Result<Vec<Project>, ApiError> {
        let lenient::Rows(projects) = self.get(&format!("{}/projects", version.prefix()), vec![]).await?;
        Ok(projects)
    }

    pub async fn project(&self, version: ApiVersion, id: Uuid) -> Result<Project, ApiError> {
        self.get(&format!("{}/projects/{id}", version.prefix()), vec![]).await
    }

    pub async fn create_project(&self, body: &ProjectCreate) -> Result<Uuid, ApiError> {
        let r: ProjectIdReply = self.send(Method::POST, "/v1/projects", vec![], body).await?;
        Ok(r.project_id)
    }

    pub async fn rename_project(&self, id: Uuid, name: &str) -> Result<Uuid, ApiError> {
        let body = ProjectUpdate { name: name.to_string() };
        let r: ProjectIdReply = self.send(Method::PATCH, &format!("/v1/projects/{id}"), vec![], &body).await?;
        Ok(r.project_id)
    }

    pub async fn delete_project(&self, id: Uuid) -> Result<Uuid, ApiError> {
        let r: ProjectIdReply = self.call(Method::DELETE, &format!("/v1/projects/{id}"), vec![], None).await?;
        Ok(r.project_id)
    }
}

// ───────────────────────────── reads and changes, as messages ─────────────────────────────

/// The reads of this family that the dashboard makes, each sent on its own task by `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum ProjectsRequest {
    /// The starter deployments, to count what each project holds.
    Starters,
    List,
}

/// The changes of this family; the dashboard confirms each with the user before `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum ProjectsChange {
    Create(ProjectCreate),
    Rename { id: Uuid, name: String },
    Delete { id: Uuid },
}

#[derive(Debug)]
pub enum ProjectsReply {
    Starters(Vec<super::starters::StarterCluster>),
    List(Vec<Project>),
    Created(Uuid),
    Renamed(Uuid),
    Deleted(Uuid),
}

impl ProjectsRequest {
    pub async fn send(self, client: &Client) -> Result<ProjectsReply, ApiError> {
        Ok(match self {
            // Projects are the same objects at both versions; read at the client's.
            ProjectsRequest::List => ProjectsReply::List(client.projects(client.version()).await?),
            ProjectsRequest::Starters => ProjectsReply::Starters(client.starters_at(client.version()).await?),
        })
    }
}

impl ProjectsChange {
    pub async fn send(self, client: &Client) -> Result<ProjectsReply, ApiError> {
        Ok(match self {
            ProjectsChange::Create(body) => ProjectsReply::Created(client.create_project(&body).await?),
            ProjectsChange::Rename { id, name } => ProjectsReply::Renamed(client.rename_project(id, &name).await?),
            ProjectsChange::Delete { id } => ProjectsReply::Deleted(client.delete_project(id).await?),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_project_with_odd_fields_still_decodes() {
        let p: Project = serde_json::from_str(
            r#"{"projectID":"bc8c0deb-50dd-4a58-a5a5-1c62eb5c456d","name":"Standard Project","edition":7,"createdAt":null,"owner":"x"}"#,
        )
        .unwrap();
        assert_eq!(p.name, "Standard Project");
        assert_eq!((p.edition, p.created_at), (None, None));
        assert_eq!(p.extra.get("owner"), Some(&serde_json::json!("x")));
        let p: Project = serde_json::from_str(
            r#"{"projectID":"bc8c0deb-50dd-4a58-a5a5-1c62eb5c456d","name":"E","edition":"enterprise"}"#,
        )
        .unwrap();
        assert_eq!(p.edition, Some(ProjectEdition::Enterprise));
    }
}
