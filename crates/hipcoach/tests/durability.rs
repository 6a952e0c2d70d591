//! Acknowledged writes survive `kill -9`: the real binary writes session records as fast as it
//! can, is killed with SIGKILL at random moments 100 times, and every record it acknowledged
//! must be in the database afterwards, which must pass SQLite's integrity check.

use hipcoach_core::catalog::Catalog;
use hipcoach_store::{Store, sqlite_url};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ROUNDS: u32 = 100;

/// A small deterministic generator, so a failing run can be repeated exactly.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn acknowledged_writes_survive_a_hundred_sigkills() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut random = Lcg(0x5EED);
    let mut acknowledged = BTreeSet::new();
    for round in 0..ROUNDS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hipcoach"))
            .args(["--data-dir", dir.path().to_str().expect("utf-8"), "write-load", "--prefix", &format!("r{round}")])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let acks = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let acks = Arc::clone(&acks);
            let stdout = child.stdout.take().expect("piped stdout");
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if let Some(key) = line.strip_prefix("ack ") {
                        acks.lock().expect("ack list").push(key.to_owned());
                    }
                }
            })
        };
        std::thread::sleep(Duration::from_millis(20 + random.below(180)));
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("reaped");
        reader.join().expect("reader thread");
        assert!(!status.success(), "round {round}: the writer must die by the signal, not exit: {status:?}");
        acknowledged.extend(acks.lock().expect("ack list").drain(..));
    }
    assert!(acknowledged.len() > 100, "too few writes to mean anything: {}", acknowledged.len());

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let url = sqlite_url(&dir.path().join("hipcoach.db"));
        let store = Store::connect(&url, Arc::new(Catalog::builtin().clone())).await.expect("database reopens");
        store.integrity_check().await.expect("integrity check passes");
        let user = store.user_by_name("me").await.expect("the writer's user");
        let stored: BTreeSet<String> =
            store.sessions(user.id).await.expect("sessions").into_iter().map(|s| s.client_key).collect();
        let lost: Vec<&String> = acknowledged.difference(&stored).collect();
        println!(
            "durability: {ROUNDS} SIGKILLs, {} acknowledged writes, {} stored, {} lost",
            acknowledged.len(),
            stored.len(),
            lost.len()
        );
        assert!(lost.is_empty(), "{} acknowledged writes lost, e.g. {:?}", lost.len(), &lost[..lost.len().min(5)]);
    });
}
