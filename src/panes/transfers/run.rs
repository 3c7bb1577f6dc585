//! The runner's side of transfers: runs a [`Job`] on a tokio task with a cancellation token,
//! reports throttled progress, and works out plans (walking local folders, listing remote
//! ones). Nothing here touches `State`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

pub use crate::api::stage_plan::{child_path, free_name, list_tree, plan_download, plan_upload};

use super::{Job, Throttle, TransferEffect, TransferEvent};
use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::transfer::{RateGate, stage_download, stage_upload};
use crate::msg::Msg;

/// What running transfers share: their cancellation tokens by transfer id, and the gate a
/// 429 closes on all of them at once.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    by_id: Arc<Mutex<HashMap<u64, CancellationToken>>>,
    gate: RateGate,
}

/// Cancels every transfer the tokens belong to.
pub fn cancel_all(t: &Tokens) {
    for token in tokens(t).values() {
        token.cancel();
    }
}

fn tokens(t: &Tokens) -> std::sync::MutexGuard<'_, HashMap<u64, CancellationToken>> {
    t.by_id.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Carries out one transfer effect; results come back to `inbox` as [`Msg::Transfer`].
pub fn spawn(client: &Client, inbox: &UnboundedSender<Msg>, running: &Tokens, effect: TransferEffect) {
    let (client, inbox) = (client.clone(), inbox.clone());
    match effect {
        TransferEffect::Start { id, job } => {
            let token = CancellationToken::new();
            tokens(running).insert(id, token.clone());
            let running = running.clone();
            tokio::spawn(async move {
                let progress_inbox = inbox.clone();
                let throttle = Mutex::new(Throttle::new(super::PROGRESS_EVERY));
                let progress = move |done: u64, total: Option<u64>| {
                    let ready = throttle.lock().map(|mut t| t.ready(Instant::now())).unwrap_or(true);
                    if ready {
                        let _ = progress_inbox.send(Msg::Transfer(TransferEvent::Progress { id, done, total }));
                    }
                };
                let result = run_job(&client, job, &token, &running.gate, progress).await;
                tokens(&running).remove(&id);
                let _ = inbox.send(Msg::Transfer(TransferEvent::Finished { id, result }));
            });
        }
        TransferEffect::Cancel { id } => {
            if let Some(token) = tokens(running).get(&id) {
                token.cancel();
            }
        }
        TransferEffect::PlanUpload { plan, store, local, remote_folder } => {
            tokio::spawn(async move {
                let local = crate::panes::stage::forms::expand_home(&local.to_string_lossy());
                let result = plan_upload(&client, store, &local, &remote_folder, None).await;
                let _ = inbox.send(Msg::Transfer(TransferEvent::Planned { plan, result }));
            });
        }
        TransferEffect::PlanDownload { plan, store, entries, local_dir } => {
            tokio::spawn(async move {
                let local_dir = crate::panes::stage::forms::expand_home(&local_dir.to_string_lossy());
                let result = plan_download(&client, store, &entries, &local_dir).await;
                let _ = inbox.send(Msg::Transfer(TransferEvent::Planned { plan, result }));
            });
        }
    }
}

/// Runs one job to the end; the number of bytes moved. A 429 pauses every job sharing `gate`.
pub async fn run_job(
    client: &Client,
    job: Job,
    cancel: &CancellationToken,
    gate: &RateGate,
    progress: impl Fn(u64, Option<u64>),
) -> Result<u64, ApiError> {
    let progress = &progress;
    match job {
        Job::Upload { store, local, remote } => {
            let size = tokio::fs::metadata(&local).await.map_err(|e| ApiError::io("cannot read", &local, e))?.len();
            gate.run(|| stage_upload(client, store, &local, &remote, cancel, progress)).await?;
            Ok(size)
        }
        Job::Download { store, remote, local, overwrite } => {
            if let Some(dir) = local.parent().filter(|p| !p.as_os_str().is_empty()) {
                tokio::fs::create_dir_all(dir).await.map_err(|e| ApiError::io("cannot create the folder", dir, e))?;
            }
            gate.run(|| stage_download(client, store, &remote, &local, overwrite, cancel, progress)).await
        }
        Job::Folders { store, folders } => {
            // Parents come first in the list; each is made once.
            for f in &folders {
                if cancel.is_cancelled() {
                    return Err(ApiError::Cancelled);
                }
                gate.run(|| client.stage_mkdir(store, f)).await?;
            }
            Ok(0)
        }
    }
}
