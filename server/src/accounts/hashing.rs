//! Password hashing, bounded: argon2 takes 19 MiB and tens of milliseconds per hash, so a burst of
//! logins (wrong ones too, and unknown emails, which hash as slowly) could hold gigabytes at once.
//! At most one hash per CPU runs; the others wait their turn, and one that waits too long is told
//! the server is busy (429) instead of piling up.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use tokio::sync::Semaphore;

use shared::AppError;

use crate::error::internal;

/// How long a login waits for a turn to hash before it is told to try again.
const LONGEST_WAIT: Duration = Duration::from_secs(10);

pub struct HashGate {
    turns: Arc<Semaphore>,
    /// Logins worked on at once (their database reads and writes as well as their hash).
    logins: Arc<Semaphore>,
    running: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

impl HashGate {
    /// A gate letting `at_once` hashes run together (at least one).
    pub fn new(at_once: usize) -> Self {
        HashGate {
            turns: Arc::new(Semaphore::new(at_once.max(1))),
            logins: Arc::new(Semaphore::new(at_once.max(1))),
            running: Arc::new(AtomicUsize::new(0)),
            peak: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// One hash per CPU.
    pub fn per_cpu() -> Self {
        Self::new(std::thread::available_parallelism().map(usize::from).unwrap_or(1))
    }

    /// Runs `work` (a hash or its check) on the blocking threads when a turn is free. The turn is
    /// held by the work itself, so a caller that gives up (a dropped connection) does not free it
    /// while the hash still runs.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let turn = match tokio::time::timeout(LONGEST_WAIT, self.turns.clone().acquire_owned()).await {
            Ok(Ok(turn)) => turn,
            Ok(Err(e)) => return Err(internal("wait to hash a password", e)),
            Err(_) => return Err(AppError::TooManyRequests("The server is busy with other logins. Try again in a moment.".into())),
        };
        let (running, peak) = (self.running.clone(), self.peak.clone());
        crate::work::blocking("hash a password", move || {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            let done = work();
            running.fetch_sub(1, Ordering::SeqCst);
            drop(turn);
            done
        })
        .await
    }

    /// A turn to work on a login, held until it is answered. A burst of logins would otherwise
    /// run hundreds of database reads and writes at once on the threads that answer every other
    /// request too (and the hash gate would only queue them after that work): with a turn each,
    /// the burst waits in line and the rest of the site keeps answering. One that waits too long
    /// is told the server is busy (429).
    pub async fn login_turn(&self) -> Result<tokio::sync::OwnedSemaphorePermit, AppError> {
        match tokio::time::timeout(LONGEST_WAIT, self.logins.clone().acquire_owned()).await {
            Ok(Ok(turn)) => Ok(turn),
            Ok(Err(e)) => Err(internal("wait to check a login", e)),
            Err(_) => Err(AppError::TooManyRequests("The server is busy with other logins. Try again in a moment.".into())),
        }
    }

    /// The most hashes that ever ran at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_the_gate_allows() {
        let gate = Arc::new(HashGate::new(2));
        let work = (0..16).map(|_| {
            let gate = gate.clone();
            tokio::spawn(async move { gate.run(|| std::thread::sleep(Duration::from_millis(20))).await })
        });
        for w in work.collect::<Vec<_>>() {
            w.await.unwrap().unwrap();
        }
        assert_eq!(gate.peak(), 2);
    }
}
