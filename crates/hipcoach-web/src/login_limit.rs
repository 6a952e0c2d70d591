//! Failed-login limits, kept in memory per server instance.
//!
//! Several instances behind one balancer each keep their own counts, so the effective limit is
//! the per-instance limit times the instance count: acceptable for slowing down password guessing
//! (Argon2id already makes each guess slow), and it keeps the server free of shared state.
//!
//! An attempt is counted *before* the password is checked, so a burst of parallel guesses cannot
//! all slip in before the tenth failure is recorded; a success takes its count back.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Failures allowed per key within a window.
const MAX_FAILURES: u32 = 10;
/// The window, which is also how long a blocked key waits.
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Keys kept at most; past it, the oldest is forgotten first.
const MAX_KEYS: usize = 10_000;

/// Who is trying: the address (IPv6 by its /64, which one machine usually owns whole) and the
/// account name asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Attempt {
    /// The client's address.
    From(IpAddr),
    /// The account name, as the store would look it up (case-folded).
    For(String),
}

impl Attempt {
    /// The keys of one log-in: its address and the name (already checked to be a valid name).
    pub fn keys(peer: IpAddr, name: &str) -> [Attempt; 2] {
        let peer = match peer {
            IpAddr::V6(v6) => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
            v4 => v4,
        };
        [Attempt::From(peer), Attempt::For(name.to_lowercase())]
    }
}

/// Counts log-in attempts per key.
#[derive(Debug, Default)]
pub struct LoginLimit {
    attempts: Mutex<HashMap<Attempt, (u32, Instant)>>,
}

impl LoginLimit {
    /// Counts an attempt for every key, or refuses with the minutes to wait when any key has
    /// failed too often lately (then nothing is counted).
    pub fn attempt(&self, keys: &[Attempt]) -> Result<(), u64> {
        let mut map = self.lock();
        for key in keys {
            if let Some((count, since)) = map.get(key)
                && *count >= MAX_FAILURES
                && since.elapsed() < WINDOW
            {
                return Err((WINDOW.saturating_sub(since.elapsed()).as_secs() / 60).max(1));
            }
        }
        for key in keys {
            if !map.contains_key(key) && map.len() >= MAX_KEYS {
                map.retain(|_, (_, since)| since.elapsed() < WINDOW);
                if map.len() >= MAX_KEYS
                    && let Some(oldest) = map.iter().min_by_key(|(_, (_, since))| *since).map(|(k, _)| k.clone())
                {
                    map.remove(&oldest);
                }
            }
            let entry = map.entry(key.clone()).or_insert((0, Instant::now()));
            if entry.1.elapsed() >= WINDOW {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
        Ok(())
    }

    /// A log-in succeeded: the name starts afresh, and the address gets its attempt back.
    pub fn succeeded(&self, keys: &[Attempt]) {
        let mut map = self.lock();
        for key in keys {
            match key {
                Attempt::For(_) => {
                    map.remove(key);
                }
                Attempt::From(_) => {
                    if let Some(entry) = map.get_mut(key) {
                        entry.0 = entry.0.saturating_sub(1);
                    }
                }
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Attempt, (u32, Instant)>> {
        self.attempts.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn a_name_is_blocked_after_ten_attempts_and_freed_by_a_success() {
        let limit = LoginLimit::default();
        let ana = Attempt::keys(ip("10.0.0.1"), "Ana");
        for _ in 0..MAX_FAILURES {
            assert!(limit.attempt(&ana).is_ok());
        }
        assert!(limit.attempt(&ana).is_err());
        assert!(limit.attempt(&Attempt::keys(ip("10.0.0.2"), "ana")).is_err(), "names are case-folded");
        assert!(limit.attempt(&Attempt::keys(ip("10.0.0.2"), "bo")).is_ok(), "other names and addresses are free");
        limit.succeeded(&ana);
        assert!(limit.attempt(&[Attempt::For("ana".into())]).is_ok());
    }

    #[test]
    fn a_success_gives_the_address_its_attempt_back() {
        let limit = LoginLimit::default();
        let keys = Attempt::keys(ip("10.0.0.1"), "ana");
        for _ in 0..3 * MAX_FAILURES {
            assert!(limit.attempt(&keys).is_ok(), "someone who logs in often is never blocked");
            limit.succeeded(&keys);
        }
    }

    #[test]
    fn an_ipv6_client_counts_as_its_whole_64_block() {
        let [a, _] = Attempt::keys(ip("2001:db8:1:2:aaaa::1"), "x");
        let [b, _] = Attempt::keys(ip("2001:db8:1:2:bbbb::9"), "y");
        assert_eq!(a, b);
    }

    #[test]
    fn the_table_never_grows_past_its_cap() {
        let limit = LoginLimit::default();
        for n in 0..(MAX_KEYS + 50) {
            let _ = limit.attempt(&[Attempt::For(format!("name{n}"))]);
        }
        assert!(limit.lock().len() <= MAX_KEYS);
    }
}
