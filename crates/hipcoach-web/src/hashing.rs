//! Password hashing: Argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes) on two threads
//! of its own, each reusing one block of memory, with a short queue.
//!
//! On tokio's blocking pool a burst of log-ins spread over dozens of threads, and each hash
//! allocated and freed 19 MiB, which the C allocator then kept (its threshold for handing large
//! blocks back rises after the first one): the server went from 13 to 224 MB after 1,000
//! log-ins and stayed there. Here two threads do every hash in memory they keep, so the cost is
//! a fixed 2 × 19 MiB, and a burst beyond the queue is told to try again instead of waiting
//! without end. Two threads hash about 75 passwords a second on this project's 2-core machines.

use crate::WebError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, LazyLock, Mutex};

/// Threads hashing at once; each holds its 19 MiB block for good.
const THREADS: usize = 2;
/// Hashes waiting their turn, at most; past this a log-in is answered "busy, try again".
const QUEUE: usize = 256;
/// The most a stored hash may ask for when it is checked (an imported account's hash could name
/// any cost): 64 MiB of memory, 10 passes, 4 lanes.
const MAX_BLOCKS: usize = 64 * 1024;
const MAX_PASSES: u32 = 10;
const MAX_LANES: u32 = 4;

/// Work for a hashing thread, given that thread's memory.
type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

static POOL: LazyLock<SyncSender<Job>> = LazyLock::new(|| {
    let (jobs, queue) = std::sync::mpsc::sync_channel::<Job>(QUEUE);
    let queue = Arc::new(Mutex::new(queue));
    for n in 0..THREADS {
        let queue = Arc::clone(&queue);
        let spawned = std::thread::Builder::new().name(format!("hashing-{n}")).spawn(move || work(&queue));
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start a password-hashing thread");
        }
    }
    jobs
});

fn work(queue: &Mutex<Receiver<Job>>) {
    let mut memory = Vec::new();
    loop {
        let job = match queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner).recv() {
            Ok(job) => job,
            Err(_) => return,
        };
        // A panic in one hash must not take the thread (and half the capacity) with it.
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut memory))).is_err() {
            tracing::error!("a password hash panicked; the hashing thread carries on");
            memory = Vec::new();
        }
    }
}

/// Runs `job` on a hashing thread and waits for its answer without holding an async worker.
async fn run<T: Send + 'static>(job: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static) -> Result<T, WebError> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move |memory| {
        // An asker who has gone (a closed connection) needs no hash.
        if !answer.is_closed() {
            let _ = answer.send(job(memory));
        }
    });
    match POOL.try_send(job) {
        Ok(()) => answered.await.map_err(|e| WebError::Internal(e.into())),
        Err(TrySendError::Full(_)) => Err(WebError::Busy),
        Err(TrySendError::Disconnected(_)) => Err(WebError::Internal("the password-hashing threads stopped".into())),
    }
}

/// A new password's hash, as a PHC string with a random salt.
pub async fn hash(password: String) -> Result<String, WebError> {
    run(move |memory| {
        let salt = SaltString::generate(&mut OsRng);
        hash_with(memory, &Argon2::default(), password.as_bytes(), &salt).map(|hash| hash.to_string())
    })
    .await?
    .map_err(|e| WebError::Internal(format!("hashing a password: {e}").into()))
}

/// Whether `password` matches the stored `hash`. Without a hash (no such account, or a CLI-only
/// account) it hashes anyway and says no, so the answer's speed does not reveal which names exist.
pub async fn verify(hash: Option<String>, password: String) -> Result<bool, WebError> {
    run(move |memory| match hash {
        Some(hash) => matches(memory, &hash, password.as_bytes()),
        None => {
            let salt = SaltString::generate(&mut OsRng);
            let _ = hash_with(memory, &Argon2::default(), password.as_bytes(), &salt);
            false
        }
    })
    .await
}

/// What `argon2`'s `hash_password` does, in `memory` instead of a fresh allocation.
fn hash_with<'a>(
    memory: &mut Vec<Block>,
    argon: &Argon2<'_>,
    password: &[u8],
    salt: &'a SaltString,
) -> argon2::password_hash::Result<PasswordHash<'a>> {
    let params = argon.params();
    let blocks = params.block_count();
    if blocks > MAX_BLOCKS || params.t_cost() > MAX_PASSES || params.p_cost() > MAX_LANES {
        return Err(argon2::password_hash::Error::ParamValueInvalid(
            argon2::password_hash::errors::InvalidValue::TooLong,
        ));
    }
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes)?;
    let output = Output::init_with(params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN), |out| {
        argon.hash_password_into_with_memory(password, salt_bytes, out, &mut memory[..blocks]).map_err(Into::into)
    })?;
    Ok(PasswordHash {
        algorithm: Algorithm::default().ident(),
        version: Some(Version::default().into()),
        params: ParamsString::try_from(params)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    })
}

/// Recomputes the stored hash's own algorithm, version, cost and salt over `password` and
/// compares (in constant time: `Output`'s equality).
fn matches(memory: &mut Vec<Block>, stored: &str, password: &[u8]) -> bool {
    let mut check = || -> argon2::password_hash::Result<bool> {
        let parsed = PasswordHash::new(stored)?;
        let algorithm = Algorithm::try_from(parsed.algorithm)?;
        let version = parsed.version.map(Version::try_from).transpose()?.unwrap_or_default();
        let params = Params::try_from(&parsed)?;
        let salt = parsed
            .salt
            .ok_or(argon2::password_hash::Error::SaltInvalid(argon2::password_hash::errors::InvalidValue::Malformed))?;
        let salt = SaltString::from_b64(salt.as_str())?;
        let computed = hash_with(memory, &Argon2::new(algorithm, version, params), password, &salt)?;
        Ok(computed.hash.is_some() && computed.hash == parsed.hash)
    };
    check().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordHasher;

    #[tokio::test]
    async fn a_password_verifies_only_against_its_own_hash() {
        let hash = hash("correct horse".into()).await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify(Some(hash.clone()), "correct horse".into()).await.expect("verified"));
        assert!(!verify(Some(hash), "wrong".into()).await.expect("verified"));
        assert!(!verify(None, "anything".into()).await.expect("verified"));
        assert!(!verify(Some("not a hash".into()), "anything".into()).await.expect("verified"));
    }

    #[tokio::test]
    async fn hashes_made_by_the_argon2_crate_itself_still_verify() {
        let salt = SaltString::generate(&mut OsRng);
        let made = Argon2::default().hash_password(b"an older password", &salt).expect("hash").to_string();
        assert!(verify(Some(made.clone()), "an older password".into()).await.expect("verified"));
        assert!(!verify(Some(made), "another".into()).await.expect("verified"));
    }
}
