//! Measures the session engine's drift on the real clock: runs a session of about 30 minutes the
//! way the plain player does (sleep until the next cue, tick), answers each pain check at once,
//! and reports how late each cue fired and how far the end moved from the plan.
//!
//! `cargo run --release --example session_drift [MINUTES]` (default 30).

use hipcoach_core::catalog::Catalog;
use hipcoach_core::session::{Command, Effect, Engine, Pace, PainAnswer, RunState, SessionItem};
use std::time::{Duration, Instant};

fn main() {
    let minutes: u64 = std::env::args().nth(1).and_then(|m| m.parse().ok()).unwrap_or(30);
    let target_ms = minutes * 60_000;
    let mut items = Vec::new();
    let catalog = Catalog::builtin();
    'fill: loop {
        for exercise in catalog.exercises() {
            items.push(SessionItem::from_exercise(exercise));
            if Engine::new(items.clone(), Pace::default()).planned_ms() >= target_ms {
                break 'fill;
            }
        }
    }
    let mut engine = Engine::new(items, Pace::default());
    let planned = engine.planned_ms();
    println!("planned session: {:.1} min, {} steps", planned as f64 / 60_000.0, engine.steps().len());

    let start = Instant::now();
    let now = || start.elapsed().as_millis() as u64;
    let mut late: Vec<u64> = Vec::new();
    let mut effects = engine.handle(now(), Command::Start);
    let mut finished_at = None;
    loop {
        for effect in effects.drain(..) {
            if let Effect::Finished(record) = effect {
                finished_at = Some((now(), record.active_ms));
            }
        }
        if finished_at.is_some() {
            break;
        }
        if engine.state() == RunState::AwaitingPain {
            effects = engine.handle(now(), Command::AnswerPain(PainAnswer::NotAnswered));
            continue;
        }
        let Some(wake) = engine.next_wake() else { break };
        std::thread::sleep(Duration::from_millis(wake.saturating_sub(now())));
        let fired = now();
        late.push(fired.saturating_sub(wake));
        effects = engine.handle(fired, Command::Tick);
    }
    let (wall_end, active_ms) = finished_at.expect("the session finished");
    late.sort_unstable();
    let pct = |p: f64| late[((late.len() - 1) as f64 * p) as usize];
    println!("cues fired: {}", late.len());
    println!("lateness per cue: median {} ms, p99 {} ms, max {} ms", pct(0.5), pct(0.99), pct(1.0));
    println!("end of session: planned {planned} ms, reached at {wall_end} ms, recorded active {active_ms} ms");
    println!("drift over the session: {} ms", wall_end as i64 - planned as i64);
}
