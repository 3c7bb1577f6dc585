//! `s2tui stage`: Stage files from scripts. `ls`, `cp` (either way, `-r` for folders), `mv`,
//! `rm` and `mkdir`, on a deployment given by id or name (`Production:/data/`), or in a Files
//! space (`files:shared:/Jobs/`).
//!
//! Copies are planned first (the local folder walked, the remote one listed) so that a
//! destination that exists already is refused, skipped or replaced before any byte moves.
//! Folders are created parents first, each once; files then move many at a time over the
//! client's pooled connections, all of them pausing together when the service answers 429.

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use futures_util::stream::{self, StreamExt};
use serde::Serialize;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::resolve::{self, split_remote};
use super::{Session, exit};
use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::files::FileSpace;
use crate::api::stage_path;
use crate::api::stage_plan::{self, Plan, RemoteEntry, Store};
use crate::api::transfer::{RateGate, stage_download, stage_upload};

/// Files below this size count as small: many of them move at once.
const SMALL_FILE: u64 = 1024 * 1024;
/// Transfers at once when most files are small: each is a round trip or two of little data.
pub const SMALL_PARALLEL: usize = 16;
/// Transfers at once for large files: a few streams fill the link.
pub const LARGE_PARALLEL: usize = 4;
/// How often the progress line on a terminal is redrawn.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);
/// Conflicting destinations named in the refusal, at most.
const NAMED_CONFLICTS: usize = 5;

#[derive(Debug, Args)]
pub struct StageArgs {
    #[command(subcommand)]
    pub action: StageCommand,
    /// Print a JSON summary (listings as JSON) on stdout.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum StageCommand {
    /// List a folder: DEPLOYMENT[:PATH], or files:SPACE[:PATH] for a Files space.
    Ls {
        /// Workspace group, starter workspace or workspace (id or name), then `:PATH`; or
        /// `files:personal|shared|models`, then `:PATH`.
        remote: String,
    },
    /// Copy files: local → Stage or Stage → local (one side is DEPLOYMENT:PATH or
    /// files:SPACE:PATH).
    Cp {
        /// Sources, then the destination.
        #[arg(required = true, num_args = 2..)]
        paths: Vec<String>,
        /// Copy folders and everything in them.
        #[arg(short, long)]
        recursive: bool,
        #[command(flatten)]
        overwrite: Overwrite,
        /// Transfers at once (default: 16 for small files, 4 for large ones).
        #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
        parallel: Option<u16>,
    },
    /// Move or rename a file or folder on Stage.
    Mv {
        /// DEPLOYMENT:PATH
        from: String,
        /// PATH or DEPLOYMENT:PATH (same deployment); a folder (trailing /) keeps the name.
        to: String,
    },
    /// Delete files, or folders with -r.
    Rm {
        #[arg(required = true)]
        remotes: Vec<String>,
        /// Delete folders and everything in them.
        #[arg(short, long)]
        recursive: bool,
    },
    /// Create folders.
    Mkdir {
        #[arg(required = true)]
        remotes: Vec<String>,
        /// Create missing parents too; an existing folder is no error.
        #[arg(short, long)]
        parents: bool,
    },
}

/// What to do with a destination that exists already (the default refuses the whole copy).
#[derive(Debug, Clone, Copy, Args)]
pub struct Overwrite {
    /// Skip files whose destination exists.
    #[arg(short = 'n', long, conflicts_with = "force")]
    pub no_clobber: bool,
    /// Replace files whose destination exists.
    #[arg(short, long)]
    pub force: bool,
}

/// A command's failure: the message, and the exit code it earns.
struct Failure {
    code: u8,
    message: String,
}

impl From<ApiError> for Failure {
    /// As for `get`: what the command line got wrong (a bad path, an unknown name) is a usage error.
    fn from(e: ApiError) -> Self {
        let code = if matches!(e, ApiError::InvalidInput(_)) { exit::USAGE } else { exit::API };
        Failure { code, message: e.to_string() }
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure { code: exit::USAGE, message: message.into() }
}

fn api(message: impl Into<String>) -> Failure {
    Failure { code: exit::API, message: message.into() }
}

/// Runs `stage`; prints the result, a summary, or what failed.
pub async fn run(session: Session, args: StageArgs) -> u8 {
    if let Some(code) = refuse_writes(&session, &args.action) {
        session.close().await;
        return code;
    }
    let result = match args.action {
        StageCommand::Ls { remote } => ls(&session.client, &remote, args.json).await,
        StageCommand::Cp { paths, recursive, overwrite, parallel } => {
            let options = CopyOptions { recursive, overwrite, parallel: parallel.map(usize::from), json: args.json };
            cp(&session.client, &paths, options).await
        }
        StageCommand::Mv { from, to } => mv(&session.client, &from, &to, args.json).await,
        StageCommand::Rm { remotes, recursive } => rm(&session.client, &remotes, recursive, args.json).await,
        StageCommand::Mkdir { remotes, parents } => mkdir(&session.client, &remotes, parents, args.json).await,
    };
    session.close().await;
    match result {
        Ok(code) => code,
        Err(f) => {
            eprintln!("error: {}", f.message);
            f.code
        }
    }
}

/// `--read-only` refuses every change before any request; reading (ls, downloads) is fine.
fn refuse_writes(session: &Session, action: &StageCommand) -> Option<u8> {
    if !session.info.read_only {
        return None;
    }
    let writes = match action {
        StageCommand::Ls { .. } => false,
        StageCommand::Cp { paths, .. } => paths.last().is_some_and(|d| split_remote(d).is_some()),
        _ => true,
    };
    writes.then(|| {
        eprintln!("error: read-only: nothing is written to Stage");
        exit::API
    })
}

/// A `DEPLOYMENT:PATH` argument with its deployment looked up, or a `files:SPACE:PATH` one.
struct Remote {
    store: Store,
    /// Normalised (no leading `/`; a trailing `/` marks a folder; `""` is the root).
    path: String,
}

async fn remote(client: &Client, arg: &str) -> Result<Remote, Failure> {
    if let Some(rest) = arg.strip_prefix(FILES_PREFIX) {
        let (space, tail) = rest.split_once(':').unwrap_or((rest, ""));
        let space: FileSpace = space.parse().map_err(ApiError::InvalidInput)?;
        return Ok(Remote { store: Store::Files(space), path: stage_path::normalize(tail)? });
    }
    let (head, tail) = match split_remote(arg) {
        Some(split) => split,
        None => (arg, ""),
    };
    let (named, _) = resolve::deployment(client, head).await?;
    Ok(Remote { store: Store::Stage(named.id), path: stage_path::normalize(tail)? })
}

/// What names a Files space instead of a deployment: `files:shared:/Jobs/`.
const FILES_PREFIX: &str = "files:";

/// What a Stage path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File(u64),
    Folder,
    Missing,
}

async fn kind(client: &Client, store: Store, path: &str) -> Result<Kind, ApiError> {
    if !stage_path::is_folder(path) {
        match client.stage_metadata(store, path).await {
            Ok(m) if m.is_dir() => return Ok(Kind::Folder),
            Ok(m) => return Ok(Kind::File(m.size.unwrap_or(0))),
            Err(ApiError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    match client.stage_list(store, &stage_path::as_folder(path)).await {
        Ok(_) => Ok(Kind::Folder),
        Err(ApiError::NotFound { .. }) => Ok(Kind::Missing),
        Err(e) => Err(e),
    }
}

fn print_json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => out(&(s + "\n")),
        Err(e) => eprintln!("error: cannot encode the summary: {e}"),
    }
}

/// Writes to stdout; a reader that went away (`| head`) is no error worth a panic.
fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

// ───────────────────────────── ls, mv, rm, mkdir ─────────────────────────────

async fn ls(client: &Client, arg: &str, json: bool) -> Result<u8, Failure> {
    let r = remote(client, arg).await?;
    let listing = client.stage_list(r.store, &r.path).await?;
    if json {
        print_json(&listing);
    } else {
        out(&super::get::stage_table(&listing));
    }
    Ok(0)
}

/// One change's outcome, for `--json`.
#[derive(Debug, Serialize)]
struct Changed {
    #[serde(skip_serializing_if = "Option::is_none")]
    deployment: Option<Uuid>,
    /// The Files space, when the change was made in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    space: Option<String>,
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
}

impl Changed {
    fn new(store: Store, path: String, to: Option<String>) -> Self {
        let space = match store {
            Store::Files(space) => Some(space.to_string()),
            Store::Stage(_) => None,
        };
        Changed { deployment: store.deployment(), space, path, to }
    }
}

async fn mv(client: &Client, from: &str, to: &str, json: bool) -> Result<u8, Failure> {
    let src = remote(client, from).await?;
    if src.path.is_empty() {
        return Err(usage("the root cannot be moved"));
    }
    let dest_path = match split_remote(to) {
        Some(_) => {
            let dest = remote(client, to).await?;
            if dest.store != src.store {
                return Err(usage("mv works within one deployment or space; use cp, then rm, to move between them"));
            }
            dest.path
        }
        None => stage_path::normalize(to)?,
    };
    let from_path = match kind(client, src.store, &src.path).await? {
        Kind::Missing => return Err(api(format!("/{} does not exist", src.path))),
        Kind::Folder => stage_path::as_folder(&src.path),
        Kind::File(_) => src.path.clone(),
    };
    let into = stage_path::is_folder(&dest_path)
        || (dest_path != src.path && kind(client, src.store, &dest_path).await? == Kind::Folder);
    let target = if into {
        stage_path::join(&stage_path::as_folder(&dest_path), stage_path::file_name(&from_path))
    } else {
        dest_path
    };
    let target = if stage_path::is_folder(&from_path) { stage_path::as_folder(&target) } else { target };
    client.stage_move(src.store, &from_path, &target).await?;
    if json {
        print_json(&Changed::new(src.store, from_path, Some(target)));
    }
    Ok(0)
}

async fn rm(client: &Client, args: &[String], recursive: bool, json: bool) -> Result<u8, Failure> {
    // Every argument is checked before the first deletion.
    let mut targets = Vec::new();
    for arg in args {
        let r = remote(client, arg).await?;
        if r.path.is_empty() {
            return Err(usage("refusing to delete the root of a deployment"));
        }
        let path = match kind(client, r.store, &r.path).await? {
            Kind::Missing => return Err(api(format!("/{} does not exist", r.path.trim_end_matches('/')))),
            Kind::Folder if !recursive => {
                return Err(usage(format!("/{} is a folder; use -r to delete it with its contents", r.path)));
            }
            Kind::Folder => stage_path::as_folder(&r.path),
            Kind::File(_) => r.path,
        };
        targets.push((r.store, path));
    }
    let mut done = Vec::new();
    for (store, path) in targets {
        client.stage_delete(store, &path).await?;
        done.push(Changed::new(store, path, None));
    }
    if json {
        print_json(&done);
    }
    Ok(0)
}

async fn mkdir(client: &Client, args: &[String], parents: bool, json: bool) -> Result<u8, Failure> {
    let mut made = Vec::new();
    for arg in args {
        let r = remote(client, arg).await?;
        let folder = stage_path::as_folder(&r.path);
        if folder.is_empty() {
            return Err(usage("the root exists already"));
        }
        if parents {
            // Parents first, each once; creating an existing folder changes nothing.
            for f in ancestors(&folder) {
                client.stage_mkdir(r.store, &f).await?;
            }
        } else {
            if kind(client, r.store, &folder).await? == Kind::Folder {
                return Err(api(format!("/{folder} exists already (-p accepts that)")));
            }
            client.stage_mkdir(r.store, &folder).await?;
        }
        made.push(Changed::new(r.store, folder, None));
    }
    if json {
        print_json(&made);
    }
    Ok(0)
}

/// `a/b/c/` → `a/`, `a/b/`, `a/b/c/`.
fn ancestors(folder: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut acc = String::new();
    for seg in folder.split('/').filter(|s| !s.is_empty()) {
        acc.push_str(seg);
        acc.push('/');
        out.push(acc.clone());
    }
    out
}

// ───────────────────────────── cp ─────────────────────────────

#[derive(Debug, Clone, Copy)]
struct CopyOptions {
    recursive: bool,
    overwrite: Overwrite,
    parallel: Option<usize>,
    json: bool,
}

/// What `cp` did, for `--json`.
#[derive(Debug, Default, Serialize)]
struct CopySummary {
    direction: &'static str,
    files: usize,
    bytes: u64,
    folders_created: usize,
    skipped: Vec<String>,
    failed: Vec<FailedFile>,
    parallel: usize,
    seconds: f64,
}

#[derive(Debug, Serialize)]
struct FailedFile {
    path: String,
    error: String,
}

async fn cp(client: &Client, paths: &[String], options: CopyOptions) -> Result<u8, Failure> {
    let Some((dest, sources)) = paths.split_last() else { return Err(usage("cp needs a source and a destination")) };
    let remote_sources = sources.iter().filter(|s| split_remote(s).is_some()).count();
    let plans = match (remote_sources, split_remote(dest).is_some()) {
        (0, true) => plan_uploads(client, sources, dest, options.recursive).await?,
        (n, false) if n == sources.len() => plan_downloads(client, sources, dest, options.recursive).await?,
        (0, false) => return Err(usage("one side of cp must be on Stage: DEPLOYMENT:PATH")),
        _ => return Err(usage("cp copies local → Stage or Stage → local; Stage → Stage is not supported")),
    };
    let plans = settle_conflicts(plans, options.overwrite)?;
    let started = Instant::now();
    let summary = execute(client, plans, options).await;
    let mut summary = summary;
    summary.seconds = started.elapsed().as_secs_f64();
    for f in &summary.failed {
        eprintln!("error: {}: {}", f.path, f.error);
    }
    if options.json {
        print_json(&summary);
    } else if std::io::stderr().is_terminal() {
        let verb = if summary.direction == "upload" { "uploaded" } else { "downloaded" };
        eprintln!(
            "{verb} {} file(s), {} in {:.1} s{}",
            summary.files,
            crate::panes::transfers::human_bytes(summary.bytes),
            summary.seconds,
            if summary.skipped.is_empty() { String::new() } else { format!(", {} skipped", summary.skipped.len()) }
        );
    }
    Ok(if summary.failed.is_empty() { 0 } else { exit::API })
}

async fn plan_uploads(client: &Client, sources: &[String], dest: &str, recursive: bool) -> Result<Vec<Plan>, Failure> {
    let r = remote(client, dest).await?;
    let dest_kind = if stage_path::is_folder(&r.path) { Kind::Folder } else { kind(client, r.store, &r.path).await? };
    if sources.len() > 1 && dest_kind != Kind::Folder {
        return Err(usage(format!("copying several sources needs an existing folder on Stage, not /{}", r.path)));
    }
    let mut plans = Vec::new();
    for src in sources {
        let local = Path::new(src);
        let meta = std::fs::metadata(local).map_err(|e| api(format!("cannot read {src}: {e}")))?;
        if meta.is_dir() && !recursive {
            return Err(usage(format!("{src} is a folder; use -r to copy it with its contents")));
        }
        let (folder, name) = match dest_kind {
            Kind::Folder => (stage_path::as_folder(&r.path), None),
            Kind::File(_) if meta.is_dir() => return Err(api(format!("/{} is a file, not a folder", r.path))),
            _ => (stage_path::parent(&r.path), Some(stage_path::file_name(&r.path).to_string())),
        };
        // A Files space makes a file's folder with it; Stage wants it made first.
        let needs_folder = r.store.keeps_empty_folders() && !matches!(dest_kind, Kind::Folder);
        if needs_folder && kind(client, r.store, &folder).await? != Kind::Folder {
            return Err(api(format!("/{folder} does not exist on Stage (stage mkdir -p makes it)")));
        }
        plans.push(stage_plan::plan_upload(client, r.store, local, &folder, name.as_deref()).await.map_err(api)?);
    }
    Ok(plans)
}

async fn plan_downloads(
    client: &Client,
    sources: &[String],
    dest: &str,
    recursive: bool,
) -> Result<Vec<Plan>, Failure> {
    let dest = PathBuf::from(dest);
    let dest_is_dir = std::fs::metadata(&dest).is_ok_and(|m| m.is_dir());
    if sources.len() > 1 && !dest_is_dir {
        return Err(usage(format!("copying several sources needs an existing local folder, not {}", dest.display())));
    }
    let mut plans = Vec::new();
    for src in sources {
        let r = remote(client, src).await?;
        let k = kind(client, r.store, &r.path).await?;
        let entry = match k {
            Kind::Missing => return Err(api(format!("/{} does not exist on Stage", r.path))),
            Kind::Folder if !recursive => {
                return Err(usage(format!("/{} is a folder; use -r to copy it with its contents", r.path)));
            }
            Kind::Folder => RemoteEntry { path: stage_path::as_folder(&r.path), is_dir: true, size: 0 },
            Kind::File(size) => RemoteEntry { path: r.path.clone(), is_dir: false, size },
        };
        let plan = if dest_is_dir {
            stage_plan::plan_download(client, r.store, &[entry], &dest).await.map_err(api)?
        } else if entry.is_dir {
            // The destination becomes the folder: its contents go into it.
            std::fs::create_dir_all(&dest).map_err(|e| api(format!("cannot create {}: {e}", dest.display())))?;
            let listing = client.stage_list(r.store, &entry.path).await?;
            let children: Vec<RemoteEntry> = listing
                .children()
                .iter()
                .map(|c| RemoteEntry {
                    path: stage_plan::child_path(&entry.path, c),
                    is_dir: c.is_dir(),
                    size: c.size.unwrap_or(0),
                })
                .collect();
            stage_plan::plan_download(client, r.store, &children, &dest).await.map_err(api)?
        } else {
            // A file to a new name: the plan of its folder, renamed.
            let dir = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let mut plan = stage_plan::plan_download(client, r.store, &[entry], dir).await.map_err(api)?;
            for f in &mut plan.files {
                let exists = std::fs::symlink_metadata(&dest).is_ok();
                f.local = dest.clone();
                f.conflict = exists.then(|| "(exists)".to_string());
            }
            plan
        };
        plans.push(plan);
    }
    Ok(plans)
}

/// Applies `--force` / `--no-clobber`; without either, any existing destination refuses the copy.
fn settle_conflicts(mut plans: Vec<Plan>, overwrite: Overwrite) -> Result<Vec<Plan>, Failure> {
    let conflicts: Vec<String> = plans
        .iter()
        .flat_map(|p| p.files.iter().filter(|f| f.conflict.is_some()).map(move |f| destination(p, f)))
        .collect();
    if conflicts.is_empty() || overwrite.force {
        return Ok(plans);
    }
    if overwrite.no_clobber {
        for p in &mut plans {
            let upload = p.upload;
            let (keep, skip): (Vec<_>, Vec<_>) = p.files.drain(..).partition(|f| f.conflict.is_none());
            p.files = keep;
            p.skipped.extend(
                skip.iter().map(|f| if upload { format!("/{}", f.remote) } else { f.local.display().to_string() }),
            );
        }
        return Ok(plans);
    }
    let named: Vec<&str> = conflicts.iter().take(NAMED_CONFLICTS).map(String::as_str).collect();
    let more = conflicts.len().saturating_sub(NAMED_CONFLICTS);
    Err(api(format!(
        "{} destination(s) exist already: {}{}; nothing was copied (--force replaces, --no-clobber skips)",
        conflicts.len(),
        named.join(", "),
        if more > 0 { format!(" and {more} more") } else { String::new() }
    )))
}

fn destination(plan: &Plan, f: &stage_plan::PlanFile) -> String {
    if plan.upload { format!("/{}", f.remote) } else { f.local.display().to_string() }
}

/// Progress of a whole copy, shared by its transfers.
#[derive(Debug, Default)]
struct Progress {
    files_done: AtomicUsize,
    bytes_done: AtomicU64,
}

/// Runs the plans: every folder (parents first, each level at once), then every file, at most
/// `parallel` at once. A failed file is reported and the others go on.
async fn execute(client: &Client, plans: Vec<Plan>, options: CopyOptions) -> CopySummary {
    let upload = plans.first().is_none_or(|p| p.upload);
    let mut summary = CopySummary { direction: if upload { "upload" } else { "download" }, ..CopySummary::default() };
    let files: Vec<(Store, bool, stage_plan::PlanFile)> =
        plans.iter().flat_map(|p| p.files.iter().map(|f| (p.store, p.upload, f.clone()))).collect();
    let total_bytes: u64 = files.iter().map(|(_, _, f)| f.size).sum();
    let parallel = options.parallel.unwrap_or_else(|| fitting_parallelism(&files));
    summary.parallel = parallel;
    for p in &plans {
        summary.skipped.extend(p.skipped.iter().cloned());
    }

    let gate = RateGate::default();
    let cancel = CancellationToken::new();
    // Ctrl-C stops the copy cleanly: partial downloads are removed, nothing half-written stays.
    let on_interrupt = cancel.clone();
    let interrupt = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_interrupt.cancel();
        }
    });

    for p in &plans {
        for level in folder_levels(&p.folders) {
            let made: Vec<Result<(), (String, ApiError)>> = stream::iter(level)
                .map(|f| {
                    let gate = &gate;
                    async move { gate.run(|| client.stage_mkdir(p.store, &f)).await.map(|_| ()).map_err(|e| (f, e)) }
                })
                .buffer_unordered(parallel)
                .collect()
                .await;
            for m in made {
                match m {
                    Ok(()) => summary.folders_created += 1,
                    Err((f, e)) => summary.failed.push(FailedFile { path: format!("/{f}"), error: e.to_string() }),
                }
            }
        }
    }
    if !summary.failed.is_empty() {
        // Files would land in missing folders: stop here, as the service would refuse them.
        interrupt.abort();
        return summary;
    }

    let progress = Arc::new(Progress::default());
    let total_files = files.len();
    let ticker = std::io::stderr().is_terminal().then(|| {
        let progress = Arc::clone(&progress);
        let arrow = if upload { "↑" } else { "↓" };
        tokio::spawn(async move {
            let mut every = tokio::time::interval(PROGRESS_EVERY);
            loop {
                every.tick().await;
                let (n, b) = (progress.files_done.load(Ordering::Relaxed), progress.bytes_done.load(Ordering::Relaxed));
                let mut err = std::io::stderr().lock();
                let _ = write!(
                    err,
                    "\r\x1b[2K{arrow} {n}/{total_files} files, {} / {}",
                    crate::panes::transfers::human_bytes(b),
                    crate::panes::transfers::human_bytes(total_bytes)
                );
                let _ = err.flush();
            }
        })
    });

    let results: Vec<(String, Result<u64, ApiError>)> = stream::iter(files)
        .map(|(store, up, f)| {
            let (gate, cancel, progress) = (&gate, &cancel, Arc::clone(&progress));
            async move {
                let name = if up { format!("/{}", f.remote) } else { f.local.display().to_string() };
                let result = transfer_one(client, gate, cancel, &progress, store, up, &f).await;
                progress.files_done.fetch_add(1, Ordering::Relaxed);
                (name, result)
            }
        })
        .buffer_unordered(parallel)
        .collect()
        .await;
    if let Some(t) = ticker {
        t.abort();
        eprint!("\r\x1b[2K");
    }
    interrupt.abort();
    for (name, r) in results {
        match r {
            Ok(n) => {
                summary.files += 1;
                summary.bytes += n;
            }
            Err(e) => summary.failed.push(FailedFile { path: name, error: e.to_string() }),
        }
    }
    summary
}

async fn transfer_one(
    client: &Client,
    gate: &RateGate,
    cancel: &CancellationToken,
    progress: &Progress,
    store: Store,
    upload: bool,
    f: &stage_plan::PlanFile,
) -> Result<u64, ApiError> {
    // Bytes are counted as they move; a retried attempt takes back what its failed one counted.
    let counted = AtomicU64::new(0);
    let report = |done: u64, _total: Option<u64>| {
        let before = counted.swap(done, Ordering::Relaxed);
        if done >= before {
            progress.bytes_done.fetch_add(done - before, Ordering::Relaxed);
        } else {
            progress.bytes_done.fetch_sub(before - done, Ordering::Relaxed);
        }
    };
    if upload {
        gate.run(|| stage_upload(client, store, &f.local, &f.remote, cancel, report)).await?;
        Ok(f.size)
    } else {
        let overwrite = f.conflict.is_some();
        gate.run(|| stage_download(client, store, &f.remote, &f.local, overwrite, cancel, report)).await
    }
}

/// Many at once for small files, a few for large ones.
fn fitting_parallelism(files: &[(Store, bool, stage_plan::PlanFile)]) -> usize {
    if files.is_empty() {
        return 1;
    }
    let total: u64 = files.iter().map(|(_, _, f)| f.size).sum();
    if total / files.len() as u64 <= SMALL_FILE { SMALL_PARALLEL } else { LARGE_PARALLEL }
}

/// Folders grouped by depth, shallowest first: each level's parents exist before it is made.
fn folder_levels(folders: &[String]) -> Vec<Vec<String>> {
    let mut levels: Vec<Vec<String>> = Vec::new();
    for f in folders {
        let depth = f.trim_end_matches('/').matches('/').count();
        if levels.len() <= depth {
            levels.resize_with(depth + 1, Vec::new);
        }
        levels[depth].push(f.clone());
    }
    levels.retain(|l| !l.is_empty());
    levels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_come_parents_first() {
        assert_eq!(ancestors("a/b/c/"), ["a/", "a/b/", "a/b/c/"]);
        assert_eq!(ancestors("a/"), ["a/"]);
    }

    #[test]
    fn folders_are_made_level_by_level() {
        let folders: Vec<String> = ["t/", "t/a/", "t/a/x/", "t/b/"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            folder_levels(&folders),
            vec![vec!["t/".to_string()], vec!["t/a/".to_string(), "t/b/".to_string()], vec!["t/a/x/".to_string()]]
        );
    }
}
