//! Frames per second of the keypoint analysis on one core (target: ≥ 1 million).
//! `cargo bench -p hipcoach-core --bench keypoint_analysis -- --warm-up-time 1 --measurement-time 3`
#![allow(missing_docs)] // criterion_group! generates an undocumented `pub fn benches`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hipcoach_core::measure::synthetic::{Aids, Scenario};
use hipcoach_core::measure::{Analyzer, Layout, RepCounter, RepThresholds};
use std::hint::black_box;

fn analysis(c: &mut Criterion) {
    let mut group = c.benchmark_group("keypoint_analysis");
    for layout in [Layout::BlazePose33, Layout::Coco17] {
        let scenario = Scenario { layout, ..Scenario::default() };
        let set = scenario.generate();
        let config = scenario.analysis_config(Aids::default());
        group.throughput(Throughput::Elements(set.frames.len() as u64));
        group.bench_function(format!("{layout:?}, analyse + count reps"), |b| {
            b.iter(|| {
                let mut analyzer = Analyzer::new(config);
                let mut reps = RepCounter::new(RepThresholds::default());
                for f in &set.frames {
                    let r = analyzer.analyze(black_box(&f.frame(layout)));
                    if let Ok(a) = r.left {
                        reps.update(f.t_ms, a.angle);
                    }
                }
                black_box(reps.count())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);
