//! Session engine throughput: commands handled per second while walking a full session.
//!
//! `cargo bench -p hipcoach-core --bench session_engine`

#![allow(missing_docs)] // criterion_group! generates undocumented items.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hipcoach_core::catalog::Catalog;
use hipcoach_core::session::{Command, Engine, Pace, PainAnswer, RunState, SessionItem};
use std::hint::black_box;

/// Walks the whole built-in catalog as one session, ticking every 50 ms; returns commands sent.
fn walk(items: &[SessionItem]) -> u64 {
    let mut engine = Engine::new(items.to_vec(), Pace::default());
    let mut now = 0;
    let mut commands = 1;
    black_box(engine.handle(now, Command::Start));
    while engine.state() != RunState::Finished {
        now += 50;
        let command = if engine.state() == RunState::AwaitingPain {
            Command::AnswerPain(PainAnswer::NotAnswered)
        } else {
            Command::Tick
        };
        black_box(engine.handle(now, command));
        commands += 1;
    }
    commands
}

fn bench(c: &mut Criterion) {
    let items: Vec<SessionItem> = Catalog::builtin().exercises().map(SessionItem::from_exercise).collect();
    let events = walk(&items);
    let mut group = c.benchmark_group("session_engine");
    group.throughput(Throughput::Elements(events));
    group.bench_function("full catalog session, 50 ms ticks", |b| b.iter(|| walk(black_box(&items))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
