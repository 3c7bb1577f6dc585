//! Job IDs remembered per organization in the data directory (`jobs.json`): the API cannot list
//! jobs, so the dashboard keeps the IDs of the jobs this tool created or was given. The file is
//! rewritten whole into a temporary file next to it and renamed into place, so a crash never
//! leaves half a file. Every function here does blocking file I/O: call it from a task.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

const FILE: &str = "jobs.json";

/// Serializes read-modify-write cycles of this process (two changes may finish together).
static LOCK: Mutex<()> = Mutex::new(());

#[derive(Debug, Default, Serialize, Deserialize)]
struct Contents {
    /// Job IDs by organization ID, oldest first.
    #[serde(default)]
    orgs: BTreeMap<Uuid, Vec<Uuid>>,
}

/// The remembered jobs of every organization, in one file under `dir`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RememberedJobs {
    path: PathBuf,
}

impl RememberedJobs {
    pub fn in_dir(dir: &Path) -> Self {
        Self { path: dir.join(FILE) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The IDs remembered for `org`; none when the file does not exist yet.
    pub fn load(&self, org: Uuid) -> Result<Vec<Uuid>, String> {
        let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        Ok(self.read()?.orgs.remove(&org).unwrap_or_default())
    }

    pub fn add(&self, org: Uuid, id: Uuid) -> Result<(), String> {
        self.modify(org, |ids| {
            if !ids.contains(&id) {
                ids.push(id);
            }
        })
    }

    pub fn remove(&self, org: Uuid, id: Uuid) -> Result<(), String> {
        self.modify(org, |ids| ids.retain(|x| *x != id))
    }

    fn read(&self) -> Result<Contents, String> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| format!("{} is not a remembered-jobs file ({e}); leaving it alone", self.path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Contents::default()),
            Err(e) => Err(format!("cannot read {}: {e}", self.path.display())),
        }
    }

    fn modify(&self, org: Uuid, f: impl FnOnce(&mut Vec<Uuid>)) -> Result<(), String> {
        let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let mut contents = self.read()?;
        let ids = contents.orgs.entry(org).or_default();
        f(ids);
        if ids.is_empty() {
            contents.orgs.remove(&org);
        }
        self.write(&contents)
    }

    fn write(&self, contents: &Contents) -> Result<(), String> {
        let fail = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", self.path.display());
        let dir = self.path.parent().ok_or_else(|| fail(&"no parent directory"))?;
        std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(&e))?;
        let bytes = serde_json::to_vec_pretty(contents).map_err(|e| fail(&e))?;
        tmp.write_all(&bytes).map_err(|e| fail(&e))?;
        tmp.as_file().sync_all().map_err(|e| fail(&e))?;
        tmp.persist(&self.path).map_err(|e| fail(&e.error))?;
        Ok(())
    }
}

/// Runs a store call on the blocking pool; `None` store = nothing remembered, nothing written.
pub async fn run<T: Send + 'static>(
    store: Option<RememberedJobs>,
    f: impl FnOnce(&RememberedJobs) -> Result<T, String> + Send + 'static,
) -> Option<Result<T, String>> {
    let store = store?;
    Some(
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .unwrap_or_else(|e| Err(format!("the file task failed: {e}"))),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn remembers_per_organization_and_survives_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let store = RememberedJobs::in_dir(&dir.path().join("nested"));
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let (j1, j2) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(store.load(a).unwrap(), Vec::<Uuid>::new());
        store.add(a, j1).unwrap();
        store.add(a, j2).unwrap();
        store.add(a, j1).unwrap();
        store.add(b, j2).unwrap();
        let again = RememberedJobs::in_dir(&dir.path().join("nested"));
        assert_eq!(again.load(a).unwrap(), vec![j1, j2]);
        assert_eq!(again.load(b).unwrap(), vec![j2]);
        again.remove(a, j1).unwrap();
        assert_eq!(store.load(a).unwrap(), vec![j2]);
        // Only the file itself is left in the directory: the temporary one was renamed.
        let names: Vec<_> =
            std::fs::read_dir(dir.path().join("nested")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from(FILE)]);
    }

    #[test]
    fn a_corrupt_file_is_reported_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = RememberedJobs::in_dir(dir.path());
        std::fs::write(store.path(), b"not json").unwrap();
        assert!(store.load(Uuid::new_v4()).is_err());
        assert!(store.add(Uuid::new_v4(), Uuid::new_v4()).is_err());
        assert_eq!(std::fs::read(store.path()).unwrap(), b"not json");
    }
}
