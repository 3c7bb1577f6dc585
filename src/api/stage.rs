//! Stage: the file store of a deployment, and the Files spaces of the organization, which the
//! API serves with the same folders, files and replies under another prefix.

use bytes::Bytes;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client::*;
use super::error::ApiError;
use super::files::FileSpace;
use super::stage_path;
use super::types::*;
use super::version::ApiVersion;
use crate::wire_enum;

wire_enum!(
    /// `FileObjectMetadata.type`: folders are `directory`, plain files the empty string at v1
    /// and `file` at v2.
    FileType { Directory = "directory", File = "", Json = "json", NamedFile = "file" }
);

/// A Stage entry. For folders `content` lists the children; for files it may carry text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileObjectMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: Option<FileType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mimetype: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writable: Option<bool>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<FileContent>,
}

impl FileObjectMetadata {
    pub fn is_dir(&self) -> bool {
        self.kind == Some(FileType::Directory) || self.path.as_deref().is_some_and(|p| p.ends_with('/'))
    }

    /// Children of a folder listing (empty for files).
    pub fn children(&self) -> &[FileObjectMetadata] {
        match &self.content {
            Some(FileContent::Children(c)) => c,
            _ => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FileContent {
    Children(Vec<FileObjectMetadata>),
    Text(String),
}

/// Reply of Stage PUT, PATCH and DELETE.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StagePathReply {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StagePatch {
    pub new_path: String,
}

/// Where a path lives: a deployment's Stage (a workspace group or starter workspace at v1, a
/// cluster at v2) or one of the organization's Files spaces. Every operation below works on
/// both, but a Files space has no folders of its own: one exists while a file is in it, so it
/// is neither created empty nor moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Store {
    Stage(Uuid),
    Files(FileSpace),
}

impl Store {
    /// The deployment whose Stage this is (none for a Files space).
    pub fn deployment(self) -> Option<Uuid> {
        match self {
            Store::Stage(id) => Some(id),
            Store::Files(_) => None,
        }
    }

    /// Whether a folder can exist without files in it (Stage: yes; Files: no).
    pub fn keeps_empty_folders(self) -> bool {
        matches!(self, Store::Stage(_))
    }

    /// Whether a folder can be moved or renamed (Stage: yes; Files: files only).
    pub fn moves_folders(self) -> bool {
        matches!(self, Store::Stage(_))
    }

    /// How the user calls this store: "Stage" or "Files".
    pub fn noun(self) -> &'static str {
        match self {
            Store::Stage(_) => "Stage",
            Store::Files(_) => "Files",
        }
    }
}

impl From<Uuid> for Store {
    fn from(id: Uuid) -> Self {
        Store::Stage(id)
    }
}

impl From<FileSpace> for Store {
    fn from(space: FileSpace) -> Self {
        Store::Files(space)
    }
}

impl Client {
    /// The route of a normalised path (`""` is the root, which has no trailing slash). Stage
    /// moves under the cluster at v2; the Files spaces only change their version prefix.
    pub(crate) fn stage_route(&self, store: impl Into<Store>, path: &str) -> String {
        let root = match (store.into(), self.version()) {
            (Store::Stage(id), ApiVersion::V1) => format!("/v1/stage/{id}/fs"),
            (Store::Stage(id), ApiVersion::V2) => format!("/v2/clusters/{id}/stage/fs"),
            (Store::Files(space), ApiVersion::V1) => format!("/v1/files/fs/{space}"),
            (Store::Files(space), ApiVersion::V2) => format!("/v2/files/fs/{space}"),
        };
        if path.is_empty() { root } else { format!("{root}/{}", stage_path::encode(path)) }
    }

    /// Lists a folder (`""` = root); the reply's `content` holds the children.
    pub async fn stage_list(&self, store: impl Into<Store>, folder: &str) -> Result<FileObjectMetadata, ApiError> {
        let folder = stage_path::as_folder(&stage_path::normalize(folder)?);
        self.get(&self.stage_route(store, &folder), vec![]).await
    }

    /// Metadata of a file, or of a folder when `path` ends in `/`.
    pub async fn stage_metadata(&self, store: impl Into<Store>, path: &str) -> Result<FileObjectMetadata, ApiError> {
        let path = stage_path::normalize(path)?;
        let q = vec![("metadata".to_string(), "true".to_string())];
        self.get(&self.stage_route(store, &path), q).await
    }

    /// Creates an empty folder (Stage only: the Files API refuses an upload without a file).
    pub async fn stage_mkdir(&self, store: impl Into<Store>, folder: &str) -> Result<StagePathReply, ApiError> {
        let store = store.into();
        if !store.keeps_empty_folders() {
            return Err(ApiError::InvalidInput(
                "the Files spaces keep no empty folders: upload a file into the new folder instead".into(),
            ));
        }
        let folder = stage_path::as_folder(&stage_path::normalize_entry(folder)?);
        let bytes = self.call_bytes(Method::PUT, &self.stage_route(store, &folder), vec![], None).await?;
        decode_or_default(&bytes, &Method::PUT, &folder)
    }

    /// Moves or renames; a folder source keeps the trailing `/` on both paths.
    pub async fn stage_move(&self, store: impl Into<Store>, from: &str, to: &str) -> Result<StagePathReply, ApiError> {
        let store = store.into();
        let from = stage_path::normalize_entry(from)?;
        if stage_path::is_folder(&from) && !store.moves_folders() {
            return Err(ApiError::InvalidInput(
                "the Files spaces move files only: move the files of a folder one by one".into(),
            ));
        }
        let mut to = stage_path::normalize_entry(to)?;
        if stage_path::is_folder(&from) {
            to = stage_path::as_folder(&to);
        }
        let body = serde_json::to_vec(&StagePatch { new_path: to })
            .map_err(|e| ApiError::InvalidInput(format!("cannot encode the request body: {e}")))?;
        let route = self.stage_route(store, &from);
        let bytes = self.call_bytes(Method::PATCH, &route, vec![], Some(Bytes::from(body))).await?;
        decode_or_default(&bytes, &Method::PATCH, &route)
    }

    /// Deletes a file, or a folder (with its contents) when `path` ends in `/`.
    pub async fn stage_delete(&self, store: impl Into<Store>, path: &str) -> Result<StagePathReply, ApiError> {
        let path = stage_path::normalize_entry(path)?;
        let route = self.stage_route(store, &path);
        let bytes = self.call_bytes(Method::DELETE, &route, vec![], None).await?;
        decode_or_default(&bytes, &Method::DELETE, &route)
    }
}

/// How much of a file a preview reads.
pub const PREVIEW_BYTES: usize = 64 * 1024;

/// Most entries a plan lists before giving up (a guard against a runaway walk).
pub const MAX_ENTRIES: usize = 100_000;

/// Every entry under the folder `folder` (which must end in `/`, or be the root).
pub async fn list_tree(
    client: &Client,
    store: impl Into<Store>,
    folder: &str,
) -> Result<Vec<FileObjectMetadata>, ApiError> {
    let store = store.into();
    let mut out = Vec::new();
    let mut pending = vec![folder.to_string()];
    while let Some(dir) = pending.pop() {
        let listing = client.stage_list(store, &dir).await?;
        for child in listing.children() {
            let path = child_path(&dir, child);
            if child.is_dir() {
                pending.push(path);
            }
            out.push(child.clone());
            if out.len() > MAX_ENTRIES {
                return Err(ApiError::InvalidInput(format!("more than {MAX_ENTRIES} entries under /{folder}")));
            }
        }
    }
    Ok(out)
}

/// A listing child's full path (folders with their trailing `/`).
pub fn child_path(folder: &str, child: &FileObjectMetadata) -> String {
    let path = match (&child.path, &child.name) {
        (Some(p), _) if !p.is_empty() => p.trim_start_matches('/').to_string(),
        (_, Some(n)) => stage_path::join(folder, n),
        _ => String::new(),
    };
    if child.is_dir() { stage_path::as_folder(&path) } else { path }
}

// ───────────────────────────── reads and changes, as messages ─────────────────────────────

/// The reads of this family that the dashboard makes, each sent on its own task by `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum StageRequest {
    /// Workspace groups and starter workspaces (v1), or clusters (v2: Stage lives under the
    /// cluster and starter clusters have none). The Files spaces need no read.
    Deployments,
    List {
        store: Store,
        path: String,
    },
    Metadata {
        store: Store,
        path: String,
    },
    Preview {
        store: Store,
        path: String,
    },
    /// What a delete would remove: each path with the files and folders under it.
    DeletePlan {
        store: Store,
        paths: Vec<String>,
    },
}

/// The changes of this family; the dashboard confirms each with the user before `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum StageChange {
    /// Creates these folders in order (parents first).
    Mkdir {
        store: Store,
        folders: Vec<String>,
    },
    Move {
        store: Store,
        from: String,
        to: String,
    },
    Delete {
        store: Store,
        paths: Vec<String>,
    },
}

#[derive(Debug)]
pub enum StageReply {
    Deployments {
        groups: Vec<WorkspaceGroup>,
        clusters: Vec<Cluster>,
        starters: Result<Vec<StarterWorkspace>, String>,
    },
    Listing {
        store: Store,
        path: String,
        meta: FileObjectMetadata,
    },
    Metadata {
        path: String,
        meta: FileObjectMetadata,
    },
    Preview {
        path: String,
        bytes: Vec<u8>,
        total: Option<u64>,
    },
    /// (path, files under it, folders under it).
    DeletePlan {
        store: Store,
        entries: Vec<(String, usize, usize)>,
    },
    Changed(StagePathReply),
}

impl StageRequest {
    pub async fn send(self, client: &Client) -> Result<StageReply, ApiError> {
        let request = self;
        Ok(match request {
            StageRequest::Deployments if client.version() == ApiVersion::V2 => {
                let clusters = client.clusters(ClusterQuery::default()).await?;
                let clusters = clusters.into_iter().filter(|c| !c.is_terminated()).collect();
                StageReply::Deployments { groups: Vec::new(), clusters, starters: Ok(Vec::new()) }
            }
            StageRequest::Deployments => {
                let (groups, starters) = tokio::join!(client.workspace_groups(false), client.starter_workspaces());
                let starters = starters.map_err(|e| e.to_string());
                StageReply::Deployments { groups: groups?, clusters: Vec::new(), starters }
            }
            StageRequest::List { store, path } => {
                let meta = client.stage_list(store, &path).await?;
                StageReply::Listing { store, path, meta }
            }
            StageRequest::Metadata { store, path } => {
                let meta = client.stage_metadata(store, &path).await?;
                StageReply::Metadata { path, meta }
            }
            StageRequest::Preview { store, path } => {
                let (bytes, total) =
                    crate::api::transfer::stage_read_prefix(client, store, &path, PREVIEW_BYTES).await?;
                StageReply::Preview { path, bytes, total }
            }
            StageRequest::DeletePlan { store, paths } => {
                let mut entries = Vec::with_capacity(paths.len());
                for p in paths {
                    let (mut files, mut folders) = (0, 0);
                    if stage_path::is_folder(&p) {
                        for child in list_tree(client, store, &p).await? {
                            if child.is_dir() { folders += 1 } else { files += 1 }
                        }
                    }
                    entries.push((p, files, folders));
                }
                StageReply::DeletePlan { store, entries }
            }
        })
    }
}

impl StageChange {
    pub async fn send(self, client: &Client) -> Result<StageReply, ApiError> {
        let change = self;
        Ok(StageReply::Changed(match change {
            StageChange::Mkdir { store, folders } => {
                let mut last = StagePathReply::default();
                for f in &folders {
                    last = client.stage_mkdir(store, f).await?;
                }
                last
            }
            StageChange::Move { store, from, to } => client.stage_move(store, &from, &to).await?,
            StageChange::Delete { store, paths } => {
                let mut last = StagePathReply::default();
                for p in &paths {
                    last = client.stage_delete(store, p).await?;
                }
                last
            }
        }))
    }
}
