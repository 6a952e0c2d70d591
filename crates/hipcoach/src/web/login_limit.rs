//! Failed-login limits, kept in memory per server instance.
//!
//! Several instances behind one balancer each keep their own counts, so the effective limit is
//! the per-instance limit times the instance count: acceptable for slowing down password guessing
//! (Argon2id already makes each guess slow), and it keeps the server free of shared state.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed per key within a window.
const MAX_FAILURES: u32 = 10;
/// The window, which is also how long a blocked key waits.
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Keys kept before old entries are swept.
const MAX_KEYS: usize = 10_000;

/// Counts failed logins per key (`ip:…`, `name:…`).
#[derive(Debug, Default)]
pub struct LoginLimit {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimit {
    /// `Err(minutes to wait)` when the key has failed too often lately.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(key) {
            Some((count, since)) if *count >= MAX_FAILURES && since.elapsed() < WINDOW => {
                Err((WINDOW.saturating_sub(since.elapsed()).as_secs() / 60).max(1))
            }
            _ => Ok(()),
        }
    }

    /// Counts one failure.
    pub fn fail(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_KEYS {
            map.retain(|_, (_, since)| since.elapsed() < WINDOW);
        }
        let entry = map.entry(key.to_owned()).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    /// Forgets a key after a success.
    pub fn clear(&self, key: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_blocked_after_ten_failures_and_freed_by_a_success() {
        let limiter = LoginLimit::default();
        for _ in 0..MAX_FAILURES {
            assert!(limiter.check("name:ana").is_ok());
            limiter.fail("name:ana");
        }
        assert!(limiter.check("name:ana").is_err());
        assert!(limiter.check("name:bo").is_ok());
        limiter.clear("name:ana");
        assert!(limiter.check("name:ana").is_ok());
    }
}
