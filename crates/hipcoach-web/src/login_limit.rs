//! Limits on log-ins and sign-ups, kept in memory per server instance.
//!
//! Password guessing is counted under three keys, each with its own allowance, so that slowing
//! an attacker down never locks the owner out:
//! - an address and a name together: 10 failures in 15 minutes — the ordinary "too many tries";
//! - an address alone: 30 failures in 15 minutes — one machine trying many names;
//! - a name alone, from everywhere: 100 failures an hour — guessing spread over many machines.
//!   This is the only key an attacker elsewhere can fill for someone else's name, so a browser
//!   that has logged into that account before (it carries the account's device cookie, see
//!   `auth::device_proof`) is not held by it: the owner gets in from a known device while
//!   strangers are slowed down.
//!
//! A success clears the name's keys and gives the address its attempt back. Sign-ups are counted
//! per address (5 an hour); a sign-up answered "that name is taken" also counts as a failure
//! of the address, so asking which names exist is no cheaper than guessing passwords.
//!
//! Addresses are taken whole for IPv4 and by their /64 for IPv6, which one machine usually owns
//! whole. Several instances behind one balancer each keep their own counts, so the effective
//! allowance is the instance count times these: acceptable next to Argon2id's cost per guess,
//! and it keeps the servers free of shared state.
//!
//! An attempt is counted *before* the password is checked, so a burst of parallel guesses
//! cannot all slip in before the limit is reached.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Keys kept at most; past it, expired ones are swept and then the one with the fewest attempts
/// forgotten.
const MAX_KEYS: usize = 10_000;

/// What is counted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Attempt {
    /// Failed log-ins for a name from an address.
    Pair(IpAddr, String),
    /// Failed log-ins (and taken-name answers) from an address.
    From(IpAddr),
    /// Failed log-ins for a name from anywhere.
    For(String),
    /// Sign-ups from an address.
    SignUp(IpAddr),
}

impl Attempt {
    /// How many in how long.
    fn allowance(&self) -> (u32, Duration) {
        const QUARTER: Duration = Duration::from_secs(15 * 60);
        const HOUR: Duration = Duration::from_secs(60 * 60);
        match self {
            Attempt::Pair(..) => (10, QUARTER),
            Attempt::From(_) => (30, QUARTER),
            Attempt::For(_) => (100, HOUR),
            Attempt::SignUp(_) => (5, HOUR),
        }
    }

    /// The keys of one log-in: the name (already checked to be a valid name, case-folded as the
    /// store looks it up) from this address; the name's global key only for an unknown device.
    pub fn log_in(peer: IpAddr, name: &str, known_device: bool) -> Vec<Attempt> {
        let (peer, name) = (block(peer), name.to_lowercase());
        let mut keys = vec![Attempt::Pair(peer, name.clone()), Attempt::From(peer)];
        if !known_device {
            keys.push(Attempt::For(name));
        }
        keys
    }

    /// The keys of one sign-up.
    pub fn sign_up(peer: IpAddr) -> [Attempt; 1] {
        [Attempt::SignUp(block(peer))]
    }

    /// What a sign-up answered "that name is taken" costs: a failure of the address.
    pub fn name_taken(peer: IpAddr) -> [Attempt; 1] {
        [Attempt::From(block(peer))]
    }
}

/// An IPv6 address by its /64; an IPv4 client reaching a dual-stack socket (`::ffff:a.b.c.d`)
/// by its IPv4 address, not by the /64 every such client shares.
fn block(peer: IpAddr) -> IpAddr {
    match peer.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

/// Counts attempts per key.
#[derive(Debug, Default)]
pub struct LoginLimit {
    attempts: Mutex<HashMap<Attempt, (u32, Instant)>>,
}

impl LoginLimit {
    /// Counts an attempt for every key, or refuses with the minutes to wait when any key has
    /// used its allowance lately (then nothing is counted).
    pub fn attempt(&self, keys: &[Attempt]) -> Result<(), u64> {
        let mut map = self.lock();
        for key in keys {
            let (max, window) = key.allowance();
            if let Some((count, since)) = map.get(key)
                && *count >= max
                && since.elapsed() < window
            {
                return Err((window.saturating_sub(since.elapsed()).as_secs() / 60).max(1));
            }
        }
        for key in keys {
            if !map.contains_key(key) && map.len() >= MAX_KEYS {
                map.retain(|key, (_, since)| since.elapsed() < key.allowance().1);
                // Forget the key with the fewest attempts, never one that is holding someone back:
                // filling the table must not be a way to wipe a name's count.
                if map.len() >= MAX_KEYS
                    && let Some(least) =
                        map.iter().min_by_key(|(_, (count, since))| (*count, *since)).map(|(k, _)| k.clone())
                {
                    map.remove(&least);
                }
            }
            let window = key.allowance().1;
            let entry = map.entry(key.clone()).or_insert((0, Instant::now()));
            if entry.1.elapsed() >= window {
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
                Attempt::Pair(..) | Attempt::For(_) => {
                    map.remove(key);
                }
                Attempt::From(_) | Attempt::SignUp(_) => {
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
    fn one_address_gets_ten_tries_at_a_name_and_a_success_clears_them() {
        let limit = LoginLimit::default();
        let ana = Attempt::log_in(ip("10.0.0.1"), "Ana", false);
        for _ in 0..10 {
            assert!(limit.attempt(&ana).is_ok());
        }
        assert!(limit.attempt(&ana).is_err());
        assert!(limit.attempt(&Attempt::log_in(ip("10.0.0.1"), "ana", false)).is_err(), "names are case-folded");
        assert!(limit.attempt(&Attempt::log_in(ip("10.0.0.1"), "bo", false)).is_ok(), "other names are free");
        limit.succeeded(&ana);
        assert!(limit.attempt(&ana).is_ok());
    }

    #[test]
    fn an_attacker_elsewhere_cannot_lock_the_owner_out() {
        let limit = LoginLimit::default();
        // Guessing from one address fills only that address's keys.
        for _ in 0..10 {
            let _ = limit.attempt(&Attempt::log_in(ip("203.0.113.9"), "ana", false));
        }
        assert!(limit.attempt(&Attempt::log_in(ip("10.0.0.1"), "ana", false)).is_ok(), "the owner's address is free");
        // Guessing from many addresses fills the name's global key: strangers are held...
        for n in 0..100 {
            let _ = limit.attempt(&Attempt::log_in(ip(&format!("198.51.100.{n}")), "ana", false));
        }
        assert!(limit.attempt(&Attempt::log_in(ip("10.0.0.2"), "ana", false)).is_err());
        // ...but not a device that has logged into the account before.
        assert!(limit.attempt(&Attempt::log_in(ip("10.0.0.2"), "ana", true)).is_ok());
    }

    #[test]
    fn one_address_trying_many_names_is_held_after_thirty() {
        let limit = LoginLimit::default();
        for n in 0..30 {
            assert!(limit.attempt(&Attempt::log_in(ip("10.0.0.1"), &format!("name{n}"), false)).is_ok());
        }
        assert!(limit.attempt(&Attempt::log_in(ip("10.0.0.1"), "another", false)).is_err());
    }

    #[test]
    fn a_success_gives_the_address_its_attempt_back() {
        let limit = LoginLimit::default();
        let keys = Attempt::log_in(ip("10.0.0.1"), "ana", false);
        for _ in 0..100 {
            assert!(limit.attempt(&keys).is_ok(), "someone who logs in often is never held");
            limit.succeeded(&keys);
        }
    }

    #[test]
    fn sign_ups_are_five_an_hour_per_address_and_an_ipv6_client_counts_as_its_64() {
        let limit = LoginLimit::default();
        for n in 0..5 {
            assert!(limit.attempt(&Attempt::sign_up(ip(&format!("2001:db8:1:2::{n}")))).is_ok());
        }
        assert!(limit.attempt(&Attempt::sign_up(ip("2001:db8:1:2:ffff::1"))).is_err());
        assert!(limit.attempt(&Attempt::sign_up(ip("2001:db8:1:3::1"))).is_ok(), "another /64 is free");
    }

    #[test]
    fn ipv4_clients_of_a_dual_stack_socket_are_told_apart() {
        let [a] = Attempt::sign_up(ip("::ffff:192.0.2.1"));
        let [b] = Attempt::sign_up(ip("::ffff:192.0.2.2"));
        assert_ne!(a, b);
        assert_eq!(a, Attempt::sign_up(ip("192.0.2.1"))[0]);
    }

    #[test]
    fn filling_the_table_does_not_wipe_a_held_name() {
        let limit = LoginLimit::default();
        for n in 0..100 {
            let _ = limit.attempt(&Attempt::log_in(ip(&format!("198.51.100.{n}")), "ana", false));
        }
        for n in 0..(MAX_KEYS + 50) {
            let _ = limit.attempt(&[Attempt::For(format!("junk{n}"))]);
        }
        assert!(limit.attempt(&[Attempt::For("ana".into())]).is_err(), "ana is still held");
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
