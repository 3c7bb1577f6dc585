//! The queue's bookkeeping, kept so that no event costs more as the queue grows: transfers sit
//! in id order (found by binary search), the ones ready to start wait in a FIFO, files wait on
//! their batch's folders in a map, and every count the screen shows (running, queued, failed,
//! each batch's files and bytes) is kept up to date as statuses change rather than counted.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::time::Instant;

use super::{Job, Status, Transfer};
use crate::api::stage::Store;

/// Transfers queued together (one `u` or `D`), shown as one line with one progress bar, and
/// reported together when the last one ends.
#[derive(Debug, Clone)]
pub struct Batch {
    pub id: u64,
    pub label: String,
    pub upload: bool,
    pub store: Store,
    pub reported: bool,
    /// Ids of its transfers: every one between these (a batch is queued in one go).
    pub first: u64,
    pub last: u64,
    /// Files (its folders step not counted).
    pub files: usize,
    pub files_done: usize,
    /// Members failed or cancelled (the folders step included).
    pub problems: usize,
    /// Members queued or running (the folders step included).
    pub active: usize,
    pub bytes_total: u64,
    /// Bytes moved so far, finished files and running ones.
    pub bytes_moved: u64,
    /// Bytes of the files that are done.
    pub bytes_done: u64,
    pub started: Option<Instant>,
    pub finished: Option<Instant>,
}

impl Batch {
    pub fn new(id: u64, label: String, upload: bool, store: Store) -> Self {
        Batch {
            id,
            label,
            upload,
            store,
            reported: false,
            first: 0,
            last: 0,
            files: 0,
            files_done: 0,
            problems: 0,
            active: 0,
            bytes_total: 0,
            bytes_moved: 0,
            bytes_done: 0,
            started: None,
            finished: None,
        }
    }

    pub fn is_active(&self) -> bool {
        self.active > 0
    }
}

/// Transfers and batches, with their counts.
#[derive(Debug, Default)]
pub struct Queue {
    /// In id order (ids only grow), so a transfer is found by binary search.
    pub list: Vec<Transfer>,
    pub batches: BTreeMap<u64, Batch>,
    /// Queued transfers free to start, in order. Entries whose transfer is no longer queued
    /// (cancelled meanwhile) are dropped when they reach the front.
    ready: VecDeque<u64>,
    /// Files waiting for their batch's folders step, by that step's id.
    waiting: HashMap<u64, Vec<u64>>,
    /// Batches with something queued or running.
    pub live: BTreeSet<u64>,
    pub running: usize,
    pub queued: usize,
    pub failed: usize,
}

fn is_file(t: &Transfer) -> bool {
    !matches!(t.job, Job::Folders { .. })
}

impl Queue {
    pub fn position(&self, id: u64) -> Option<usize> {
        self.list.binary_search_by_key(&id, |t| t.id).ok()
    }

    pub fn get(&self, id: u64) -> Option<&Transfer> {
        self.position(id).map(|i| &self.list[i])
    }

    pub fn batch(&self, id: u64) -> Option<&Batch> {
        self.batches.get(&id)
    }

    /// The transfers of `batch`, in order.
    pub fn members(&self, batch: &Batch) -> &[Transfer] {
        let start = self.list.partition_point(|t| t.id < batch.first);
        let end = self.list.partition_point(|t| t.id <= batch.last);
        &self.list[start..end]
    }

    /// Adds a batch and its transfers (ids above every existing one); files that depend on
    /// a folders step wait for it.
    pub fn push_batch(&mut self, mut batch: Batch, transfers: Vec<Transfer>) {
        batch.first = transfers.first().map_or(0, |t| t.id);
        batch.last = transfers.last().map_or(0, |t| t.id);
        for t in transfers {
            if is_file(&t) {
                batch.files += 1;
                batch.bytes_total += t.total.unwrap_or(0);
            }
            batch.active += 1;
            self.queued += 1;
            match t.after {
                Some(dep) => self.waiting.entry(dep).or_default().push(t.id),
                None => self.ready.push_back(t.id),
            }
            self.list.push(t);
        }
        if batch.active > 0 {
            self.live.insert(batch.id);
        }
        self.batches.insert(batch.id, batch);
    }

    /// The next queued transfer free to start, left in the queue.
    pub fn next_ready(&mut self) -> Option<usize> {
        while let Some(&id) = self.ready.front() {
            match self.position(id) {
                Some(pos) if self.list[pos].status == Status::Queued => return Some(pos),
                _ => {
                    self.ready.pop_front();
                }
            }
        }
        None
    }

    pub fn take_ready(&mut self) {
        self.ready.pop_front();
    }

    /// Queues a transfer again: ready when what it waits for is done, else waiting for it.
    fn requeue(&mut self, pos: usize) {
        let (id, after) = (self.list[pos].id, self.list[pos].after);
        match after.filter(|a| self.get(*a).is_some_and(|d| d.status != Status::Done)) {
            Some(dep) => {
                let w = self.waiting.entry(dep).or_default();
                if !w.contains(&id) {
                    w.push(id);
                }
            }
            None => self.ready.push_back(id),
        }
    }

    /// Positions of the transfers `ids` and of those waiting for them (files of a folders step).
    pub fn with_dependents(&self, ids: &[u64]) -> Vec<usize> {
        let waiting = ids.iter().flat_map(|id| self.waiting.get(id).into_iter().flatten());
        ids.iter().chain(waiting).filter_map(|id| self.position(*id)).collect()
    }

    /// Sets a transfer's status, keeping every count; `now` stamps batch start and end.
    pub fn set_status(&mut self, pos: usize, status: Status, now: Instant) {
        let t = &mut self.list[pos];
        let old = std::mem::replace(&mut t.status, status);
        let new = &t.status;
        let (file, done_bytes, batch_id, id) = (is_file(t), t.done, t.batch, t.id);
        let running = |s: &Status| matches!(s, Status::Running | Status::Cancelling);
        let problem = |s: &Status| matches!(s, Status::Failed(_) | Status::Cancelled);
        self.running = self.running + usize::from(running(new)) - usize::from(running(&old));
        self.queued = self.queued + usize::from(*new == Status::Queued) - usize::from(old == Status::Queued);
        let failed = |s: &Status| matches!(s, Status::Failed(_));
        self.failed = self.failed + usize::from(failed(new)) - usize::from(failed(&old));
        let new = new.clone();
        if new == Status::Queued && old != Status::Queued {
            self.requeue(pos);
        }
        // A folders step that is done frees its files.
        if new == Status::Done
            && !file
            && let Some(ids) = self.waiting.remove(&id)
        {
            self.ready.extend(ids);
        }
        let Some(b) = self.batches.get_mut(&batch_id) else { return };
        let was_active = b.is_active();
        b.active = b.active + usize::from(new.is_active()) - usize::from(old.is_active());
        b.problems = b.problems + usize::from(problem(&new)) - usize::from(problem(&old));
        if file {
            if new == Status::Done {
                b.files_done += 1;
                b.bytes_done += done_bytes;
            }
            if old == Status::Done {
                b.files_done -= 1;
                b.bytes_done -= done_bytes;
            }
        }
        if new == Status::Running && b.started.is_none() {
            b.started = Some(now);
        }
        match (was_active, b.is_active()) {
            (true, false) => {
                b.finished = Some(now);
                self.live.remove(&batch_id);
            }
            (false, true) => {
                b.finished = None;
                self.live.insert(batch_id);
            }
            _ => {}
        }
    }

    /// Sets the bytes a transfer has moved, keeping its batch's sum.
    pub fn set_done(&mut self, pos: usize, done: u64) {
        let t = &mut self.list[pos];
        let (old, batch, file) = (std::mem::replace(&mut t.done, done), t.batch, is_file(t));
        if file && let Some(b) = self.batches.get_mut(&batch) {
            b.bytes_moved = (b.bytes_moved + done).saturating_sub(old);
        }
    }

    /// Sets a transfer's size once the server tells it, keeping its batch's sum.
    pub fn set_total(&mut self, pos: usize, total: u64) {
        let t = &mut self.list[pos];
        let (old, batch, file) = (t.total.replace(total).unwrap_or(0), t.batch, is_file(t));
        if file && let Some(b) = self.batches.get_mut(&batch) {
            b.bytes_total = (b.bytes_total + total).saturating_sub(old);
        }
    }

    /// Drops every batch with nothing queued or running; how many transfers went.
    pub fn clear_finished(&mut self) -> usize {
        let gone: BTreeSet<u64> = self.batches.values().filter(|b| !b.is_active()).map(|b| b.id).collect();
        self.forget(&gone)
    }

    /// Drops the finished batches `gone` (a batch still going stays); how many transfers went.
    pub fn forget(&mut self, gone: &BTreeSet<u64>) -> usize {
        let gone: BTreeSet<u64> = gone.iter().copied().filter(|b| !self.live.contains(b)).collect();
        if gone.is_empty() {
            return 0;
        }
        let before = self.list.len();
        for t in self.list.iter().filter(|t| gone.contains(&t.batch)) {
            self.failed -= usize::from(matches!(t.status, Status::Failed(_)));
            self.waiting.remove(&t.id);
        }
        self.list.retain(|t| !gone.contains(&t.batch));
        self.batches.retain(|id, _| !gone.contains(id));
        before - self.list.len()
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn transfer(id: u64, batch: u64, job: Job, total: Option<u64>, after: Option<u64>) -> Transfer {
        super::super::new_transfer(id, batch, job, total, after)
    }

    fn upload(n: u64) -> Job {
        Job::Upload {
            store: Store::Stage(uuid::Uuid::nil()),
            local: PathBuf::from(format!("/f{n}")),
            remote: format!("f{n}"),
        }
    }

    /// A batch of a folders step (id 1) and two files of 10 bytes waiting for it.
    fn queue() -> Queue {
        let mut q = Queue::default();
        let folders = Job::Folders { store: Store::Stage(uuid::Uuid::nil()), folders: vec!["d/".into()] };
        q.push_batch(
            Batch::new(1, "d".into(), true, Store::Stage(uuid::Uuid::nil())),
            vec![
                transfer(1, 1, folders, None, None),
                transfer(2, 1, upload(2), Some(10), Some(1)),
                transfer(3, 1, upload(3), Some(10), Some(1)),
            ],
        );
        q
    }

    #[test]
    fn files_wait_for_their_folders_then_counts_follow_every_change() {
        let now = Instant::now();
        let mut q = queue();
        assert_eq!((q.queued, q.running, q.failed), (3, 0, 0));
        assert_eq!(q.next_ready(), Some(0), "only the folders step is ready");
        q.take_ready();
        q.set_status(0, Status::Running, now);
        assert_eq!(q.next_ready(), None);
        q.set_status(0, Status::Done, now);
        assert_eq!(q.next_ready(), Some(1), "its files are free");
        q.take_ready();
        q.set_status(1, Status::Running, now);
        q.set_done(1, 4);
        assert_eq!(q.batch(1).map(|b| (b.bytes_moved, b.bytes_total, b.active)), Some((4, 20, 2)));
        q.set_done(1, 10);
        q.set_status(1, Status::Done, now);
        q.take_ready();
        q.set_status(2, Status::Failed("x".into()), now);
        let b =
            q.batch(1).cloned().unwrap_or_else(|| Batch::new(0, String::new(), true, Store::Stage(uuid::Uuid::nil())));
        assert_eq!((b.files_done, b.problems, b.active, b.bytes_done), (1, 1, 0, 10));
        assert!(b.finished.is_some() && !q.live.contains(&1));
        assert_eq!((q.queued, q.running, q.failed), (0, 0, 1));
        // Retried, it is ready again at once (its folders are done) and the batch is live.
        q.set_status(2, Status::Queued, now);
        assert_eq!(q.next_ready(), Some(2));
        assert!(q.live.contains(&1) && q.failed == 0);
    }

    #[test]
    fn clearing_drops_finished_batches_only() {
        let now = Instant::now();
        let mut q = queue();
        q.push_batch(
            Batch::new(2, "e".into(), true, Store::Stage(uuid::Uuid::nil())),
            vec![transfer(4, 2, upload(4), Some(1), None)],
        );
        q.set_status(3, Status::Done, now);
        assert_eq!(q.clear_finished(), 1);
        assert_eq!(q.list.len(), 3);
        assert!(q.batch(2).is_none() && q.batch(1).is_some());
        assert_eq!(q.get(2).map(|t| t.id), Some(2), "ids are still found after the removal");
    }
}
