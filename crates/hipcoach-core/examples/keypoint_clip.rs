//! Writes a synthetic keypoint file (the seated test: a still second, then reps on one side) for
//! trying `hipcoach analyze` without a camera or a pose model:
//! `cargo run -p hipcoach-core --example keypoint_clip -- right coco-17 > clip.json`.
//! Arguments, all optional: the side (left or right), the layout (blazepose-33 or coco-17).

use hipcoach_core::measure::Layout;
use hipcoach_core::measure::synthetic::{Noise, Scenario};
use hipcoach_core::units::Side;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let side = if args.iter().any(|a| a == "right") { Side::Right } else { Side::Left };
    let layout = if args.iter().any(|a| a == "coco-17") { Layout::Coco17 } else { Layout::BlazePose33 };
    let mut scenario = Scenario { layout, noise: Noise::REALISTIC, ..Scenario::default() };
    scenario.motion.side = side;
    println!("{}", scenario.recording().0.to_json());
}
