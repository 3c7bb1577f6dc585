//! Streaming Stage downloads and uploads, with progress and cancellation.
//!
//! A download lands in a temporary file next to its destination and is renamed into place
//! only once every byte is on disk, so an interrupted transfer never leaves a truncated file
//! that looks complete. An upload streams the file; it is never read into memory whole.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::Method;
use tokio_util::io::ReaderStream;
use tokio_util::sync::CancellationToken;

use super::client::Client;
use super::error::ApiError;
use super::stage_path;
use super::types::{StagePathReply, Store};

/// Size of the reads and writes on local files: large enough that a transfer is not bound
/// by per-call overhead, small enough not to matter for memory.
const IO_CHUNK: usize = 1024 * 1024;
/// Buffers of `IO_CHUNK` queued for the disk writer: the most a download holds in memory.
const WRITE_QUEUE: usize = 4;

/// Downloads the Stage file `remote` to `dest`; returns the number of bytes written.
///
/// `progress(done, total)` is called as bytes arrive (`total` when the server sent a length).
/// An existing `dest` is replaced only when `overwrite` is set. On any error or cancellation
/// nothing is left at `dest` (nor next to it).
pub async fn stage_download(
    client: &Client,
    store: impl Into<Store>,
    remote: &str,
    dest: &Path,
    overwrite: bool,
    cancel: &CancellationToken,
    progress: impl Fn(u64, Option<u64>),
) -> Result<u64, ApiError> {
    let remote = stage_path::normalize_entry(remote)?;
    if stage_path::is_folder(&remote) {
        return Err(ApiError::InvalidInput(format!("{remote:?} is a folder; only files can be downloaded")));
    }
    match tokio::fs::metadata(dest).await {
        Ok(m) if m.is_dir() => {
            return Err(ApiError::io(
                "cannot download to",
                dest,
                std::io::Error::new(std::io::ErrorKind::IsADirectory, "it is a folder"),
            ));
        }
        Ok(_) if !overwrite => {
            return Err(ApiError::io(
                "refusing to overwrite",
                dest,
                std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "the file already exists (allow overwriting to replace it)",
                ),
            ));
        }
        _ => {}
    }
    let dir = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    remove_leftovers(dir);
    // Created before any network traffic so a read-only folder fails fast.
    let tmp = part_file(PART_PREFIX, dir).map_err(|e| ApiError::io("cannot create a temporary file in", dir, e))?;
    // From here on, dropping `tmp_path` (any early return) deletes the partial file.
    let (file, tmp_path) = tmp.into_parts();
    // Held until the file is closed (or the process dies): it tells a live download from a
    // leftover. A file system without locks only loses the tidying.
    if let Err(e) = file.lock() {
        tracing::debug!(error = %e, "cannot lock the partial download");
    }
    // The disk is written by its own blocking task, fed large buffers through a short queue, so
    // reading the network and writing the disk overlap; the queue bounds the memory in flight.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<u8>>(WRITE_QUEUE);
    let writer = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        use std::io::Write as _;
        let mut file = file;
        while let Some(buf) = rx.blocking_recv() {
            file.write_all(&buf)?;
        }
        file.sync_all()
    });

    let route = client.stage_route(store, &remote);
    let received = async {
        let mut resp = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(ApiError::Cancelled),
            r = client.fetch_following(&route) => r?,
        };
        let source_path = resp.url().path().to_string();
        let total = resp.content_length();
        let mut written = 0u64;
        let mut pending: Vec<u8> = Vec::with_capacity(IO_CHUNK);
        progress(0, total);
        loop {
            let chunk = tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(ApiError::Cancelled),
                c = resp.chunk() => c.map_err(|e| client.transport_error(e, &Method::GET, &source_path))?,
            };
            let Some(chunk) = chunk else { break };
            pending.extend_from_slice(&chunk);
            written += chunk.len() as u64;
            if pending.len() >= IO_CHUNK {
                let full = std::mem::replace(&mut pending, Vec::with_capacity(IO_CHUNK));
                // A closed queue means the writer failed; its error is reported below.
                if tx.send(full).await.is_err() {
                    break;
                }
            }
            progress(written, total);
        }
        if !pending.is_empty() {
            let _ = tx.send(pending).await;
        }
        if let Some(total) = total
            && written != total
        {
            return Err(ApiError::Transport {
                message: format!("connection closed after {written} of {total} bytes"),
                method: "GET".into(),
                path: source_path,
            });
        }
        Ok(written)
    }
    .await;
    drop(tx);
    let wrote = writer.await.map_err(|e| ApiError::io("cannot write", dest, std::io::Error::other(e.to_string())));
    // A failed disk write stops the download early; say so rather than blame the network.
    wrote?.map_err(|e| ApiError::io("cannot write", dest, e))?;
    let written = received?;
    let persisted = if overwrite { tmp_path.persist(dest) } else { tmp_path.persist_noclobber(dest) };
    persisted.map_err(|e| ApiError::io("cannot move the download into place at", dest, e.error))?;
    sync_dir(dir);
    Ok(written)
}

/// Names of partial downloads: hidden, and recognisable as ours.
const PART_PREFIX: &str = ".s2tui-download-";
const PART_SUFFIX: &str = ".part";

/// Deletes partial downloads that an earlier run left in `dir` when it was killed: those no
/// live download holds locked. Once per folder per run; best effort.
pub fn remove_leftovers(dir: &Path) {
    static TIDIED: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    {
        let mut tidied = TIDIED.lock().unwrap_or_else(|p| p.into_inner());
        if tidied.contains(&key) {
            return;
        }
        tidied.push(key);
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let ours = name.to_str().is_some_and(|n| n.starts_with(PART_PREFIX) && n.ends_with(PART_SUFFIX));
        if !ours || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = std::fs::File::open(&path) else { continue };
        if file.try_lock().is_ok() && std::fs::remove_file(&path).is_ok() {
            tracing::info!(path = %path.display(), "removed a partial download left by an earlier run");
        }
    }
}

/// Makes the rename durable; best effort, as not every platform can open a folder.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Uploads `local` to the Stage path `remote` (a folder path keeps the local file name).
///
/// `progress(sent, Some(total))` is called as the body is streamed. Never retried: a
/// partial upload is reported, not repeated.
pub async fn stage_upload(
    client: &Client,
    store: impl Into<Store>,
    local: &Path,
    remote: &str,
    cancel: &CancellationToken,
    progress: impl Fn(u64, Option<u64>),
) -> Result<StagePathReply, ApiError> {
    let mut remote = stage_path::normalize(remote)?;
    let local_name = local.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if stage_path::is_folder(&remote) {
        if local_name.is_empty() {
            return Err(ApiError::InvalidInput(format!("{} has no file name to upload under", local.display())));
        }
        remote = stage_path::normalize_entry(&stage_path::join(&remote, &local_name))?;
    }
    let file = tokio::fs::File::open(local).await.map_err(|e| ApiError::io("cannot open", local, e))?;
    let meta = file.metadata().await.map_err(|e| ApiError::io("cannot read", local, e))?;
    if meta.is_dir() {
        return Err(ApiError::io(
            "cannot upload",
            local,
            std::io::Error::new(std::io::ErrorKind::IsADirectory, "it is a folder"),
        ));
    }
    let total = meta.len();

    let sent = Arc::new(AtomicU64::new(0));
    let tick = Arc::new(tokio::sync::Notify::new());
    let (s, t) = (Arc::clone(&sent), Arc::clone(&tick));
    let stream = ReaderStream::with_capacity(file, IO_CHUNK).map(move |chunk| {
        if let Ok(bytes) = &chunk {
            s.fetch_add(bytes.len() as u64, Ordering::Relaxed);
            t.notify_one();
        }
        chunk
    });
    let part = reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), total)
        .file_name(stage_path::file_name(&remote).to_string())
        .mime_str("application/octet-stream")
        .map_err(|e| ApiError::InvalidInput(format!("invalid content type: {e}")))?;
    let form = reqwest::multipart::Form::new().part("file", part);

    let route = client.stage_route(store, &remote);
    let upload = client.put_multipart(&route, form);
    tokio::pin!(upload);
    progress(0, Some(total));
    loop {
        tokio::select! {
            biased;
            // Dropping the request future aborts the connection mid-body.
            _ = cancel.cancelled() => return Err(ApiError::Cancelled),
            r = &mut upload => {
                if r.is_ok() {
                    progress(sent.load(Ordering::Relaxed), Some(total));
                }
                return r;
            }
            _ = tick.notified() => progress(sent.load(Ordering::Relaxed), Some(total)),
        }
    }
}

/// Reads at most `limit` bytes from the start of the Stage file `remote` (for a preview).
///
/// Follows the download redirect like [`stage_download`] (the API key never goes to the
/// object store) and stops reading once `limit` bytes are in: the rest of the body is never
/// transferred past what the connection had buffered. Returns the bytes and the file's full
/// size when the server declared it.
pub async fn stage_read_prefix(
    client: &Client,
    store: impl Into<Store>,
    remote: &str,
    limit: usize,
) -> Result<(Vec<u8>, Option<u64>), ApiError> {
    let remote = stage_path::normalize_entry(remote)?;
    if stage_path::is_folder(&remote) {
        return Err(ApiError::InvalidInput(format!("{remote:?} is a folder")));
    }
    let mut resp = client.fetch_following(&client.stage_route(store, &remote)).await?;
    let source_path = resp.url().path().to_string();
    let total = resp.content_length();
    let mut out = Vec::with_capacity(limit.min(total.map_or(limit, |t| t as usize)));
    while out.len() < limit {
        let chunk = resp.chunk().await.map_err(|e| client.transport_error(e, &Method::GET, &source_path))?;
        let Some(chunk) = chunk else { break };
        let take = chunk.len().min(limit - out.len());
        out.extend_from_slice(&chunk[..take]);
    }
    Ok((out, total))
}

/// A hidden `.part` file in `dir` that becomes the user's file once complete. It is created with
/// the mode `cp` would give (0666 less the umask), not a temporary file's private 0600.
pub fn part_file(prefix: &str, dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(PART_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

// ───────────────────────────── plans ─────────────────────────────

/// One file of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFile {
    pub local: PathBuf,
    pub remote: String,
    pub size: u64,
    /// The destination exists already; this is a free name next to it, for "rename".
    pub conflict: Option<String>,
}

/// What an upload or a download amounts to, file by file, worked out before it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub upload: bool,
    pub store: Store,
    pub label: String,
    /// Remote folders to create first (uploads), parents first.
    pub folders: Vec<String>,
    pub files: Vec<PlanFile>,
    /// Entries left out (symlinks, sockets…), shown to the user.
    pub skipped: Vec<String>,
}

/// Shared by every transfer of a queue: a 429 from the service pauses them all, not just the
/// one that got it, for as long as its `Retry-After` says (a second when it says nothing).
#[derive(Debug, Clone, Default)]
pub struct RateGate {
    until: Arc<std::sync::Mutex<Option<tokio::time::Instant>>>,
}

/// How often one transfer is tried again after a 429 before its error is reported.
const RATE_LIMIT_ATTEMPTS: u32 = 8;
/// The pause after a 429 without a usable `Retry-After`.
const DEFAULT_PAUSE: Duration = Duration::from_secs(1);
/// The longest pause a `Retry-After` may ask for; beyond it the transfer fails instead.
const LONGEST_PAUSE: Duration = Duration::from_secs(120);

impl RateGate {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<tokio::time::Instant>> {
        self.until.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits until no pause is in force.
    pub async fn wait(&self) {
        loop {
            let until = *self.lock();
            match until {
                Some(t) if t > tokio::time::Instant::now() => tokio::time::sleep_until(t).await,
                _ => return,
            }
        }
    }

    /// Pauses every transfer for `d` from now (a longer pause already in force stays).
    pub fn pause(&self, d: Duration) {
        let t = tokio::time::Instant::now() + d;
        let mut until = self.lock();
        if until.is_none_or(|u| u < t) {
            *until = Some(t);
        }
    }

    /// Whether a pause is in force now.
    pub fn paused(&self) -> bool {
        self.lock().is_some_and(|t| t > tokio::time::Instant::now())
    }

    /// Runs `attempt` once the gate is open; on a 429 pauses the gate and tries again. A 429
    /// means the service refused the request before acting on it, so repeating it (an upload
    /// included) cannot do anything twice.
    pub async fn run<T, F, Fut>(&self, mut attempt: F) -> Result<T, ApiError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, ApiError>>,
    {
        let mut tries = 0;
        loop {
            self.wait().await;
            match attempt().await {
                Err(ApiError::RateLimited { retry_after, .. })
                    if tries + 1 < RATE_LIMIT_ATTEMPTS && retry_after.is_none_or(|d| d <= LONGEST_PAUSE) =>
                {
                    tries += 1;
                    let pause = retry_after.filter(|d| !d.is_zero()).unwrap_or(DEFAULT_PAUSE);
                    tracing::debug!(pause_ms = pause.as_millis() as u64, "rate limited: pausing every transfer");
                    self.pause(pause);
                }
                other => return other,
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn rate_limited(ms: u64) -> ApiError {
        ApiError::RateLimited {
            status: 429,
            message: "slow down".into(),
            method: "PUT".into(),
            path: "/v1/stage".into(),
            retry_after: Some(Duration::from_millis(ms)),
        }
    }

    #[tokio::test]
    async fn a_429_holds_every_transfer_for_its_retry_after() {
        let gate = RateGate::default();
        let t0 = tokio::time::Instant::now();
        let calls = std::sync::Mutex::new(0);
        let first = gate.run(|| async {
            let mut n = calls.lock().unwrap();
            *n += 1;
            if *n == 1 { Err(rate_limited(300)) } else { Ok(tokio::time::Instant::now()) }
        });
        // Another transfer arriving while the pause is in force waits for it too.
        let other = async {
            tokio::task::yield_now().await;
            gate.run(|| async { Ok::<_, ApiError>(tokio::time::Instant::now()) }).await
        };
        let (a, b) = tokio::join!(first, other);
        assert!(a.unwrap() - t0 >= Duration::from_millis(300));
        assert!(b.unwrap() - t0 >= Duration::from_millis(300));
        assert!(!gate.paused());
    }

    #[tokio::test]
    async fn persistent_429s_end_as_the_error() {
        let gate = RateGate::default();
        let r: Result<(), ApiError> = gate.run(|| async { Err(rate_limited(1)) }).await;
        assert!(matches!(r, Err(ApiError::RateLimited { .. })));
        let r: Result<(), ApiError> = gate.run(|| async { Err(rate_limited(3_600_000)) }).await;
        assert!(matches!(r, Err(ApiError::RateLimited { .. })), "a pause past the limit is not waited for");
    }
}
