//! Names wherever the command line expects an id: a workspace group, workspace, job or Stage
//! deployment may be given by id or by name.
//!
//! An id is taken as it is, without a request. A name is looked up: an exact match first, then
//! a match ignoring case; two objects answering to the same name is an error that lists their
//! ids, and an unknown name lists the names there are.

use futures_util::stream::{self, StreamExt, TryStreamExt};
use uuid::Uuid;

use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::types::{Job, Workspace, WorkspaceGroup};

/// How many groups are asked for their workspaces at once.
const FAN_OUT: usize = 8;
/// Names listed in an "unknown name" error, at most.
const SHOWN: usize = 12;

/// An object found by id or name: its id and, when it was looked up, its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: Uuid,
    pub name: Option<String>,
}

impl Named {
    fn id_only(id: Uuid) -> Self {
        Self { id, name: None }
    }

    /// The name when known, else the id.
    pub fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.id.to_string())
    }
}

/// What a Stage deployment name turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentKind {
    Group,
    /// A workspace's group: Stage belongs to the group.
    WorkspaceOf,
    Starter,
}

/// A candidate for a name: what it is called, its id, and what it is (for error messages).
struct Candidate {
    name: String,
    id: Uuid,
    what: String,
}

/// Picks the one candidate called `wanted`: exact name first, then ignoring case. Candidates
/// with the same id (a workspace and its group in a deployment lookup) count once.
fn pick(kind: &str, wanted: &str, candidates: &[Candidate]) -> Result<usize, ApiError> {
    let exact: Vec<usize> = (0..candidates.len()).filter(|&i| candidates[i].name == wanted).collect();
    let matches = if exact.is_empty() {
        (0..candidates.len()).filter(|&i| candidates[i].name.to_lowercase() == wanted.to_lowercase()).collect()
    } else {
        exact
    };
    let mut distinct: Vec<usize> = Vec::new();
    for i in matches {
        if !distinct.iter().any(|&j| candidates[j].id == candidates[i].id) {
            distinct.push(i);
        }
    }
    match distinct.as_slice() {
        [one] => Ok(*one),
        [] => {
            // Names come from the API: no control or escape character reaches the terminal.
            let mut names: Vec<String> =
                candidates.iter().map(|c| crate::sanitize::one_line(&c.name).into_owned()).collect();
            names.sort_unstable();
            names.dedup();
            let known = match names.len() {
                0 => "there are none".to_string(),
                n if n <= SHOWN => format!("known: {}", names.join(", ")),
                n => format!("known: {}, … ({n} in all)", names[..SHOWN].join(", ")),
            };
            Err(ApiError::InvalidInput(format!("no {kind} is called {wanted:?} ({known})")))
        }
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|&i| {
                    let c = &candidates[i];
                    format!("{} {} ({})", crate::sanitize::one_line(&c.what), c.id, crate::sanitize::one_line(&c.name))
                })
                .collect();
            Err(ApiError::InvalidInput(format!(
                "{} {kind}s are called {wanted:?}; pass an id instead: {}",
                many.len(),
                list.join(", ")
            )))
        }
    }
}

fn parse_id(s: &str) -> Option<Uuid> {
    Uuid::parse_str(s.trim()).ok()
}

/// A workspace group by id or name (terminated groups are not named).
pub async fn group(client: &Client, wanted: &str) -> Result<Named, ApiError> {
    if let Some(id) = parse_id(wanted) {
        return Ok(Named::id_only(id));
    }
    let groups = client.workspace_groups(false).await?;
    let candidates = group_candidates(&groups);
    let i = pick("workspace group", wanted, &candidates)?;
    Ok(Named { id: candidates[i].id, name: Some(candidates[i].name.clone()) })
}

/// The group holding a cluster (v2), the cluster given by id or name: roles on a cluster are
/// granted on its group, as at v1.
pub async fn cluster_group(client: &Client, wanted: &str) -> Result<Named, ApiError> {
    let clusters = client.clusters(crate::api::types::ClusterQuery::default()).await?;
    let live: Vec<_> = clusters.iter().filter(|c| !c.is_terminated()).collect();
    let i = match parse_id(wanted) {
        Some(id) => live
            .iter()
            .position(|c| c.cluster_id == id)
            .ok_or_else(|| ApiError::InvalidInput(format!("no live cluster has the id {id}")))?,
        None => {
            let candidates: Vec<Candidate> = live
                .iter()
                .map(|c| Candidate { name: c.name.clone(), id: c.cluster_id, what: "cluster".into() })
                .collect();
            pick("cluster", wanted, &candidates)?
        }
    };
    let c = live[i];
    let group = c.group_id.ok_or_else(|| {
        ApiError::InvalidInput(format!("the API names no workspace group for cluster {}, so no access to show", c.name))
    })?;
    Ok(Named { id: group, name: Some(c.name.clone()) })
}

fn group_candidates(groups: &[WorkspaceGroup]) -> Vec<Candidate> {
    groups.iter().map(|g| Candidate { name: g.name.clone(), id: g.workspace_group_id, what: "group".into() }).collect()
}

async fn all_workspaces(client: &Client, groups: &[WorkspaceGroup]) -> Result<Vec<Workspace>, ApiError> {
    let lists: Vec<Vec<Workspace>> = stream::iter(groups.iter().map(|g| g.workspace_group_id))
        .map(|id| async move { client.workspaces(id, false).await })
        .buffered(FAN_OUT)
        .try_collect()
        .await?;
    Ok(lists.into_iter().flatten().collect())
}

/// A workspace by id or name, looked for in every group.
pub async fn workspace(client: &Client, wanted: &str) -> Result<Named, ApiError> {
    if let Some(id) = parse_id(wanted) {
        return Ok(Named::id_only(id));
    }
    let groups = client.workspace_groups(false).await?;
    let workspaces = all_workspaces(client, &groups).await?;
    let candidates: Vec<Candidate> = workspaces
        .iter()
        .map(|w| Candidate { name: w.name.clone(), id: w.workspace_id, what: "workspace".into() })
        .collect();
    let i = pick("workspace", wanted, &candidates)?;
    Ok(Named { id: candidates[i].id, name: Some(candidates[i].name.clone()) })
}

/// A job by id or name; names need the job list, which not every server offers.
pub async fn job(client: &Client, wanted: &str) -> Result<Named, ApiError> {
    if let Some(id) = parse_id(wanted) {
        return Ok(Named::id_only(id));
    }
    let Some(jobs) = client.list_jobs().await? else {
        return Err(ApiError::InvalidInput(format!(
            "{wanted:?} is not a job id, and this server has no job list to look a name up in"
        )));
    };
    let named: Vec<&Job> = jobs.iter().filter(|j| j.name.is_some()).collect();
    let candidates: Vec<Candidate> = named
        .iter()
        .map(|j| Candidate { name: j.name.clone().unwrap_or_default(), id: j.job_id, what: "job".into() })
        .collect();
    let i = pick("job", wanted, &candidates)?;
    Ok(Named { id: candidates[i].id, name: Some(candidates[i].name.clone()) })
}

/// A Stage deployment by id or name: a workspace group, a starter workspace, or a workspace
/// (whose group owns the files). A name shared by two of them is ambiguous, unless they are a
/// workspace and its own group.
pub async fn deployment(client: &Client, wanted: &str) -> Result<(Named, Option<DeploymentKind>), ApiError> {
    let (named, kind) = deployment_v1(client, wanted).await?;
    if client.version() != crate::api::version::ApiVersion::V2 || kind == Some(DeploymentKind::Starter) {
        return Ok((named, kind));
    }
    // At v2 Stage lives under a cluster: a group (or a workspace's group) is one of its clusters.
    let groups = client.workspace_groups(false).await?;
    let Some(group) = groups.iter().find(|g| g.workspace_group_id == named.id) else { return Ok((named, kind)) };
    let clusters = client.workspaces(group.workspace_group_id, false).await?;
    match clusters.iter().find(|w| w.state != crate::api::types::WorkspaceState::Terminated) {
        Some(w) => Ok((Named { id: w.workspace_id, name: named.name }, kind)),
        None => Err(ApiError::InvalidInput(format!("{} has no cluster to reach its Stage through", group.name))),
    }
}

async fn deployment_v1(client: &Client, wanted: &str) -> Result<(Named, Option<DeploymentKind>), ApiError> {
    if let Some(id) = parse_id(wanted) {
        return Ok((Named::id_only(id), None));
    }
    let (groups, starters) = tokio::join!(client.workspace_groups(false), client.starter_workspaces());
    let groups = groups?;
    let mut candidates = group_candidates(&groups);
    let mut kinds = vec![DeploymentKind::Group; candidates.len()];
    // An organization without starter workspaces (or a server without them) still has groups.
    for s in starters.unwrap_or_default() {
        if let (Some(id), Some(name)) = (s.virtual_workspace_id, s.name) {
            candidates.push(Candidate { name, id, what: "starter workspace".into() });
            kinds.push(DeploymentKind::Starter);
        }
    }
    // Workspaces are listed only when no group or starter workspace has the name.
    if pick("deployment", wanted, &candidates).is_err() {
        for w in all_workspaces(client, &groups).await? {
            candidates.push(Candidate {
                name: w.name.clone(),
                id: w.workspace_group_id,
                what: format!("group of workspace {}", w.name),
            });
            kinds.push(DeploymentKind::WorkspaceOf);
        }
    }
    let i = pick("workspace group or workspace", wanted, &candidates)?;
    let name = match kinds[i] {
        DeploymentKind::WorkspaceOf => groups
            .iter()
            .find(|g| g.workspace_group_id == candidates[i].id)
            .map_or_else(|| candidates[i].name.clone(), |g| g.name.clone()),
        _ => candidates[i].name.clone(),
    };
    Ok((Named { id: candidates[i].id, name: Some(name) }, Some(kinds[i])))
}

/// Splits `DEPLOYMENT:PATH` (the path may be empty); `None` when there is no colon, or when
/// what comes before it looks like a local path (`./a:b`, `/tmp/x:y`) or a drive letter.
pub fn split_remote(arg: &str) -> Option<(&str, &str)> {
    let (head, tail) = arg.split_once(':')?;
    if head.is_empty() || head.contains('/') || head.contains('\\') || head.len() == 1 {
        return None;
    }
    Some((head, tail))
}

/// A team by id or name.
pub async fn team(client: &Client, wanted: &str) -> Result<Named, ApiError> {
    if let Some(id) = parse_id(wanted) {
        return Ok(Named::id_only(id));
    }
    let teams = client.teams().await?;
    let candidates: Vec<Candidate> =
        teams.iter().map(|t| Candidate { name: t.name.clone(), id: t.team_id, what: "team".into() }).collect();
    let i = pick("team", wanted, &candidates)?;
    Ok(Named { id: candidates[i].id, name: Some(candidates[i].name.clone()) })
}

/// A secret by id or name.
pub async fn secret(client: &Client, wanted: &str) -> Result<Named, ApiError> {
    if let Some(id) = parse_id(wanted) {
        return Ok(Named::id_only(id));
    }
    let secrets = client.secrets(None).await?;
    let candidates: Vec<Candidate> =
        secrets.iter().map(|s| Candidate { name: s.name.clone(), id: s.secret_id, what: "secret".into() }).collect();
    let i = pick("secret", wanted, &candidates)?;
    Ok(Named { id: candidates[i].id, name: Some(candidates[i].name.clone()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(name: &str, id: u128) -> Candidate {
        Candidate { name: name.into(), id: Uuid::from_u128(id), what: "group".into() }
    }

    #[test]
    fn exact_names_win_over_case_folded_ones() {
        let cands = [c("Prod", 1), c("prod", 2)];
        assert_eq!(pick("group", "prod", &cands).ok(), Some(1));
        assert_eq!(
            pick("group", "PROD", &cands).map_err(|e| e.to_string()).err().map(|e| e.contains("2 groups")),
            Some(true)
        );
    }

    #[test]
    fn unknown_and_ambiguous_names_say_so() {
        let cands = [c("a", 1), c("b", 2), c("b", 3), c("x", 1)];
        let unknown = pick("group", "zzz", &cands).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(unknown.contains("no group is called \"zzz\"") && unknown.contains("a, b, x"), "{unknown}");
        let ambiguous = pick("group", "b", &cands).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(ambiguous.contains(&Uuid::from_u128(2).to_string()), "{ambiguous}");
        assert!(ambiguous.contains(&Uuid::from_u128(3).to_string()), "{ambiguous}");
    }

    #[test]
    fn the_same_id_under_two_names_is_one_match() {
        let cands = [c("Production", 7), c("Production", 7)];
        assert_eq!(pick("group", "Production", &cands).ok(), Some(0));
    }

    #[test]
    fn remote_arguments_split_at_the_first_colon() {
        assert_eq!(split_remote("Production:/data/"), Some(("Production", "/data/")));
        assert_eq!(split_remote("Production:"), Some(("Production", "")));
        assert_eq!(split_remote("./a:b"), None);
        assert_eq!(split_remote("/tmp/x:y"), None);
        assert_eq!(split_remote("C:file"), None);
        assert_eq!(split_remote("plain"), None);
    }
}
