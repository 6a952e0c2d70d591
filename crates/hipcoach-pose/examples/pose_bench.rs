//! Times the pose pipeline on a video, for `scripts/bench-pose`: the whole tracked frame (decode,
//! crop, landmarks, and the detector when tracking is lost) and the landmark model alone on the
//! crops the tracker took, which it writes out so ONNX Runtime's Python API can be timed on the
//! very same inputs.
//!
//! Usage: cargo run --release -p hipcoach-pose --example pose_bench -- POSE_DIR VIDEO OUT_DIR THREADS

use hipcoach_pose::{Border, Landmarker, PoseModels, PoseTracker, VideoReader, keypoints_from_video};
use std::io::Write as _;
use std::path::PathBuf;
use std::time::Instant;

/// Crops kept for the model-only comparison.
const CROPS: usize = 100;
/// Timed passes over the crops (the median is reported).
const PASSES: usize = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, video, out, threads] = args.as_slice() else {
        return Err("usage: pose_bench POSE_DIR VIDEO OUT_DIR THREADS".into());
    };
    let (video, out, threads) = (PathBuf::from(video), PathBuf::from(out), threads.parse::<usize>()?);
    std::fs::create_dir_all(&out)?;
    let models = PoseModels::open(&PathBuf::from(dir))?;
    let mut tracker = PoseTracker::new(&models, threads)?;

    // Warm up once (first runs allocate), then time the whole pipeline.
    keypoints_from_video(VideoReader::open(&video)?, &mut tracker, |_| {})?;
    let mut tracker = PoseTracker::new(&models, threads)?;
    let started = Instant::now();
    let found = keypoints_from_video(VideoReader::open(&video)?, &mut tracker, |_| {})?;
    let whole = started.elapsed().as_secs_f64() * 1000.0 / found.recording.frames.len() as f64;

    // The tracker's crops, again, for the model-only timing.
    let mut reader = VideoReader::open(&video)?;
    let mut tracker = PoseTracker::new(&models, threads)?;
    let mut crops: Vec<Vec<f32>> = Vec::new();
    let mut cropping = 0.0;
    while let Some((_, image)) = reader.next_frame()? {
        if crops.len() == CROPS {
            break;
        }
        tracker.track(&image)?;
        if let Some(region) = tracker.last_crop() {
            let mut crop = vec![0.0; 256 * 256 * 3];
            let started = Instant::now();
            region.crop(&image, 256, (0.0, 1.0), Border::Edge, &mut crop);
            cropping += started.elapsed().as_secs_f64() * 1000.0;
            crops.push(crop);
        }
    }
    let mut landmarker = Landmarker::new(&models, threads)?;
    let mut file = std::io::BufWriter::new(std::fs::File::create(out.join("crops.f32"))?);
    for crop in &crops {
        for v in crop {
            file.write_all(&v.to_le_bytes())?;
        }
    }
    file.flush()?;
    // The outputs too, so the comparison can say both runtimes computed the same thing.
    let mut outputs = std::io::BufWriter::new(std::fs::File::create(out.join("landmarks.f32"))?);
    for crop in &crops {
        for v in landmarker.infer(crop)? {
            outputs.write_all(&v.to_le_bytes())?;
        }
    }
    outputs.flush()?;
    let mut passes: Vec<f64> = (0..PASSES)
        .map(|_| {
            let started = Instant::now();
            for crop in &crops {
                landmarker.infer(crop).expect("the landmark model runs");
            }
            started.elapsed().as_secs_f64() * 1000.0 / crops.len() as f64
        })
        .collect();
    passes.sort_by(f64::total_cmp);
    println!("frames {}", found.recording.frames.len());
    println!("detector_runs {}", found.detections);
    println!("whole_ms_per_frame {whole:.2}");
    println!("frames_per_second {:.1}", 1000.0 / whole);
    println!("crops {}", crops.len());
    println!("crop_ms {:.2}", cropping / crops.len() as f64);
    println!("landmark_ms_per_crop {:.2}", passes[PASSES / 2]);
    Ok(())
}
