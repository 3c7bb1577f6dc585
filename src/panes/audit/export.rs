//! Saving entries to a file: JSONL (one API `AuditLog` object a line) or CSV, chosen by the
//! extension. Written to a temporary file in the target folder and renamed over the target,
//! so a reader never sees half a file. Runs on a blocking task, never in `update`.

use std::fmt;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::buffer::{Entry, Tables, format_nanos};
use crate::api::types::AuditLog;

/// Entries to write, copied out of the buffer so the tail can go on while the file is written.
#[derive(Clone)]
pub struct ExportJob {
    pub path: PathBuf,
    pub entries: Vec<Entry>,
    pub tables: Tables,
    /// The user said to replace the file if it exists; otherwise an existing file is kept.
    pub overwrite: bool,
}

impl fmt::Debug for ExportJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExportJob").field("path", &self.path).field("entries", &self.entries.len()).finish()
    }
}

impl PartialEq for ExportJob {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && self.entries == other.entries && self.overwrite == other.overwrite
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
}

impl Format {
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("csv") => Format::Csv,
            _ => Format::Jsonl,
        }
    }
}

const CSV_HEADER: &str = "createdAt,auditID,type,source,userEmail,userID,apiKeyID,workspaceID,workspaceGroupID,teamID,reason,error,labels,attributes";

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

fn csv_line(log: &AuditLog) -> String {
    let id = |u: Option<uuid::Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
    let fields = [
        log.created_at.clone().unwrap_or_default(),
        id(log.audit_id),
        log.kind.clone().unwrap_or_default(),
        log.source.as_ref().map(|s| s.as_str().to_string()).unwrap_or_default(),
        log.user_email.clone().unwrap_or_default(),
        log.user_id.clone().unwrap_or_default(),
        id(log.api_key_id),
        id(log.workspace_id),
        id(log.cluster_id),
        id(log.team_id),
        log.reason.clone().unwrap_or_default(),
        log.error.clone().unwrap_or_default(),
        log.labels.join(";"),
        log.attributes.as_ref().map(|a| a.to_string()).unwrap_or_default(),
    ];
    fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",")
}

/// Writes the file; returns how many entries were written.
pub fn write(job: &ExportJob) -> std::io::Result<usize> {
    let dir = match job.path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = crate::api::transfer::part_file(".audit-", &dir).map_err(without_path)?;
    {
        let mut out = BufWriter::new(tmp.as_file());
        let format = Format::of(&job.path);
        if format == Format::Csv {
            writeln!(out, "{CSV_HEADER}")?;
        }
        for e in &job.entries {
            let log = job.tables.expand(e);
            match format {
                Format::Jsonl => {
                    serde_json::to_writer(&mut out, &log)?;
                    out.write_all(b"\n")?;
                }
                Format::Csv => writeln!(out, "{}", csv_line(&log))?,
            }
        }
        out.flush()?;
    }
    tmp.as_file().sync_all()?;
    if job.overwrite {
        tmp.persist(&job.path).map_err(|e| without_path(e.error))?;
    } else {
        tmp.persist_noclobber(&job.path).map_err(|e| without_path(e.error))?;
    }
    Ok(job.entries.len())
}

/// The temporary file's errors name the hidden `.part` file; the user only knows their path,
/// which the caller's message names.
fn without_path(e: std::io::Error) -> std::io::Error {
    match e.get_ref().map(ToString::to_string) {
        Some(text) if text.contains(" at path ") => {
            let cause = text.split(" at path ").next().unwrap_or_default().to_string();
            std::io::Error::new(e.kind(), cause)
        }
        _ => e,
    }
}

/// How a save ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// The toast's text, and whether it is an error.
    Done(String, bool),
    /// The file exists and the user has not said to replace it: nothing was written.
    Exists(PathBuf),
}

/// The default file name: `./audit-20250601-120000.jsonl`.
pub fn default_path(wall: chrono::DateTime<chrono::Utc>) -> String {
    format!("./audit-{}.jsonl", wall.format("%Y%m%d-%H%M%S"))
}

/// Writes the file on a blocking task and says how it went.
pub async fn run(job: ExportJob) -> Saved {
    let target = job.path.clone();
    let path = target.display().to_string();
    match tokio::task::spawn_blocking(move || write(&job)).await {
        Ok(Ok(n)) => Saved::Done(format!("Saved {n} audit entries to {path}"), false),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::AlreadyExists => Saved::Exists(target),
        Ok(Err(e)) => Saved::Done(format!("Could not save {path}: {e}"), true),
        Err(e) => Saved::Done(format!("Could not save {path}: {e}"), true),
    }
}

/// `createdAt` of an entry as written to files.
pub fn time_of(e: &Entry) -> String {
    format_nanos(e.at).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn job(path: PathBuf, overwrite: bool) -> ExportJob {
        ExportJob { path, entries: Vec::new(), tables: Tables::default(), overwrite }
    }

    #[test]
    fn an_existing_file_is_kept_unless_replacing_was_confirmed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        std::fs::write(&path, "mine\n").unwrap();
        let e = write(&job(path.clone(), false)).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine\n");
        write(&job(path.clone(), true)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no .part file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn a_saved_file_gets_the_mode_cp_would_give() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        write(&job(path.clone(), false)).unwrap();
        let reference = dir.path().join("made-by-create");
        std::fs::File::create(&reference).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&reference), "0666 less the umask, like any new file");
    }

    #[test]
    fn an_error_names_the_users_path_not_the_temporary_file() {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let path = PathBuf::from("/nonexistent-dir-for-s2tui/audit.jsonl");
        match rt.block_on(run(job(path, false))) {
            Saved::Done(text, true) => {
                assert!(text.contains("/nonexistent-dir-for-s2tui/audit.jsonl"), "{text}");
                assert!(!text.contains(".part"), "{text}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
        assert_eq!(Format::of(Path::new("x.CSV")), Format::Csv);
        assert_eq!(Format::of(Path::new("x.jsonl")), Format::Jsonl);
    }
}
