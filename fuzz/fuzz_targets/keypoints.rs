//! Any keypoints a pose model (or a file) could hand over — NaN, infinite, off-screen, missing,
//! at any times — through calibration and the frame-by-frame analysis: reasons, never a panic,
//! and every number it does give is finite.
#![no_main]
use hipcoach_core::measure::{
    AnalysisConfig, Analyzer, Calibration, Frame, ImageSize, Keypoint, Layout, TestPosition,
};
use libfuzzer_sys::fuzz_target;

fn f32_at(bytes: &[u8]) -> f32 {
    f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else { return };
    let layout = if head & 1 == 0 { Layout::BlazePose33 } else { Layout::Coco17 };
    let position = if head & 2 == 0 { TestPosition::Seated } else { TestPosition::Prone };
    let Ok(image) = ImageSize::new(640.0 + f64::from(head >> 2) * 10.0, 480.0) else { return };
    let config = AnalysisConfig::new(position, image);
    let per_frame = layout.len();
    let mut t_ms = 0i64;
    let mut frames: Vec<Vec<Keypoint>> = Vec::new();
    let mut times = Vec::new();
    for chunk in rest.chunks(1 + 16 * per_frame) {
        let Some((&step, points)) = chunk.split_first() else { break };
        t_ms += i64::from(step as i8) * 33;
        let keypoints: Vec<Keypoint> = points
            .chunks_exact(16)
            .map(|p| Keypoint {
                x: f32_at(&p[0..]),
                y: f32_at(&p[4..]),
                z: (p[8] & 1 == 0).then(|| f32_at(&p[8..])),
                visibility: f32_at(&p[12..]),
            })
            .collect();
        frames.push(keypoints);
        times.push(t_ms);
    }
    let frames: Vec<Frame<'_>> =
        frames.iter().zip(&times).map(|(points, &t_ms)| Frame { t_ms, layout, points }).collect();
    let mut analyzer = match Calibration::from_frames(&config, &frames[..frames.len().min(10)]) {
        Ok(calibration) => Analyzer::with_calibration(config, calibration),
        Err(_) => Analyzer::new(config),
    };
    for frame in &frames {
        let analysis = analyzer.analyze(frame);
        for side in [hipcoach_core::units::Side::Left, hipcoach_core::units::Side::Right] {
            if let Ok(angle) = analysis.side(side) {
                let sound = angle.angle.get().is_finite()
                    && angle.uncertainty.get().is_finite()
                    && (0.0..=1.0).contains(&angle.confidence);
                assert!(sound, "{angle:?}");
            }
        }
    }
});
