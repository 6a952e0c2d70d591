//! The password-hashing pool: a few threads of its own, with a short queue.
//!
//! Each Argon2id hash takes 19 MiB and a core for tens of milliseconds. On tokio's blocking
//! pool a burst of log-ins spread over dozens of threads, and the C allocator kept a 19 MiB
//! arena per thread after the burst (the server's memory went from 13 to 665 MB after ~180
//! log-ins and stayed there). Here the same few threads do every hash, so at most that many
//! blocks are ever held; a burst beyond the queue is told to try again instead of waiting
//! without end.

use crate::WebError;
use hipcoach_store::Unavailable;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, LazyLock, Mutex};

/// Hashes waiting their turn, at most; past this a log-in is answered "busy, try again".
const QUEUE: usize = 256;

type Job = Box<dyn FnOnce() + Send>;

static POOL: LazyLock<SyncSender<Job>> = LazyLock::new(|| {
    let (jobs, queue) = std::sync::mpsc::sync_channel::<Job>(QUEUE);
    let queue = Arc::new(Mutex::new(queue));
    for n in 0..threads() {
        let queue = Arc::clone(&queue);
        let spawned = std::thread::Builder::new().name(format!("hashing-{n}")).spawn(move || work(&queue));
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start a password-hashing thread");
        }
    }
    jobs
});

/// One thread per core, at most four: hashing is all CPU, and each thread holds a block.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).min(4)
}

fn work(queue: &Mutex<Receiver<Job>>) {
    loop {
        let job = match queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner).recv() {
            Ok(job) => job,
            Err(_) => return,
        };
        job();
    }
}

/// Runs `hash` on the pool and waits for its answer without holding an async worker.
pub async fn run<T: Send + 'static>(hash: impl FnOnce() -> T + Send + 'static) -> Result<T, WebError> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        // The asker may have gone (a closed connection); then the answer is dropped.
        let _ = answer.send(hash());
    });
    match POOL.try_send(job) {
        Ok(()) => answered.await.map_err(|e| WebError::Internal(e.into())),
        Err(TrySendError::Full(_)) => Err(WebError::Unavailable(Unavailable::Busy)),
        Err(TrySendError::Disconnected(_)) => Err(WebError::Internal("the password-hashing threads stopped".into())),
    }
}
