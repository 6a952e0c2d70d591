//! `hipcoach analyze FILE`: a recording's keypoints analysed in Rust, on this machine.

use super::{emit, print_json};
use crate::cli::{AnalyzeArgs, CalibrationChoice, SideChoice, StorageArgs, TestChoice};
use crate::storage::{block_on, data_dir, local_user, open};
use anyhow::Context;
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_core::measure::{
    ClipOptions, ClipReport, Recording, TestPosition, VALIDATION, analyse_clip, clip_summary, duration_ms,
};
use hipcoach_core::units::Side;
use hipcoach_pose::{PoseModels, PoseTracker, VideoInfo, VideoKeypoints, VideoReader, keypoints_from_video};
use hipcoach_workflows::wording::capitalised;
use hipcoach_workflows::{measuring, recording};
use indicatif::{ProgressBar, ProgressStyle};
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The largest keypoint file read: half an hour of BlazePose at 30 frames a second with depth is
/// about 150 MB of JSON, and reading one takes a few times its size in memory.
const MAX_FILE_BYTES: u64 = 256 << 20;

/// The pose model a video's keypoints come from, as the outputs name it.
const POSE_MODEL: &str = "MediaPipe BlazePose full, run on this computer";

/// Whether the file is JSON text (a keypoint file) rather than a video: videos never start with `{`.
fn is_keypoint_file(path: &Path) -> anyhow::Result<bool> {
    let mut start = [0u8; 64];
    let read = std::fs::File::open(path)
        .and_then(|mut file| file.read(&mut start))
        .with_context(|| format!("cannot read {}", path.display()))?;
    let text = start[..read].strip_prefix(b"\xef\xbb\xbf").unwrap_or(&start[..read]);
    Ok(text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'))
}

fn read_keypoint_file(path: &Path) -> anyhow::Result<Recording> {
    let name = path.display();
    let size = std::fs::metadata(path).with_context(|| format!("cannot read {name}"))?.len();
    anyhow::ensure!(
        size <= MAX_FILE_BYTES,
        "{name} is {} MB; a keypoint file is at most {} MB",
        size >> 20,
        MAX_FILE_BYTES >> 20
    );
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| anyhow::anyhow!("{name} starts like a keypoint file (JSON) but is not text throughout"))?;
    Recording::from_json(text).map_err(|error| anyhow::anyhow!("{name}: {error}"))
}

/// What reading a video's keypoints took.
struct VideoRead {
    without_person: usize,
    detections: usize,
    info: VideoInfo,
    took: Duration,
}

/// Tracks the person through a video with BlazePose, showing progress on a terminal.
fn read_video(storage: &StorageArgs, args: &AnalyzeArgs) -> anyhow::Result<(Recording, VideoRead)> {
    // The file first: a file that is not a video should hear so, whether or not the models are in.
    let reader = VideoReader::open(&args.file)?;
    let dir = args.pose_dir.clone().unwrap_or_else(|| data_dir(storage).join("pose"));
    let models = PoseModels::open(&dir)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut tracker = PoseTracker::new(&models, threads)?;
    let bar = ProgressBar::no_length().with_message("finding the person in each frame");
    let started = Instant::now();
    let found = keypoints_from_video(reader, &mut tracker, |progress| {
        if bar.length().is_none() {
            if let Some(total) = progress.expected {
                bar.set_length(total);
                bar.set_style(
                    ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} frames, {per_sec}, {eta} left")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
            }
        }
        bar.set_position(progress.frames);
    });
    bar.finish_and_clear();
    let found = found?;
    if let Some(out) = &args.keypoints {
        std::fs::write(out, found.recording.to_json())
            .with_context(|| format!("cannot write the keypoints to {}", out.display()))?;
    }
    let VideoKeypoints { recording, without_person, detections, info } = found;
    Ok((recording, VideoRead { without_person, detections, info, took: started.elapsed() }))
}

pub fn run(
    storage: &StorageArgs,
    catalog: impl FnOnce() -> anyhow::Result<Catalog>,
    today: NaiveDate,
    args: &AnalyzeArgs,
) -> anyhow::Result<ExitCode> {
    let name = args.file.display();
    let (recording, video) = if is_keypoint_file(&args.file)? {
        anyhow::ensure!(
            args.keypoints.is_none(),
            "--keypoints writes the keypoints found in a video; {name} is already a keypoint file"
        );
        (read_keypoint_file(&args.file)?, None)
    } else {
        let (recording, video) = read_video(storage, args)?;
        (recording, Some(video))
    };
    let options = ClipOptions {
        position: match args.test {
            TestChoice::Seated => TestPosition::Seated,
            TestChoice::Prone => TestPosition::Prone,
        },
        side: match args.side {
            SideChoice::Auto => None,
            SideChoice::Left => Some(Side::Left),
            SideChoice::Right => Some(Side::Right),
        },
        calibrate_ms: match args.calibration {
            CalibrationChoice::FirstSecond => Some(1_000),
            CalibrationChoice::None => None,
        },
    };
    let report = analyse_clip(&recording, options);
    if let Some(plot) = &args.plot {
        let title = format!(
            "Hip internal rotation over time: {}",
            args.file.file_name().map_or_else(|| name.to_string(), |f| f.to_string_lossy().into_owned())
        );
        std::fs::write(plot, hipcoach_workflows::clip_plot::clip_plot(&title, &report))
            .with_context(|| format!("cannot write the plot to {}", plot.display()))?;
    }
    if args.json {
        print_json(&json(&name.to_string(), &recording, &report, args.side, video.as_ref()))?;
    } else if args.csv {
        emit(&recording::frames_csv(&report)?)?;
    } else {
        emit(&summary(&name.to_string(), &recording, &report, args.side, video.as_ref()))?;
    }
    if args.save {
        save(storage, catalog()?, today, options.position, &report)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Stores the first side's estimate as a camera reading: three trials, as in the manual test.
fn save(
    storage: &StorageArgs,
    catalog: Catalog,
    today: NaiveDate,
    position: TestPosition,
    report: &ClipReport,
) -> anyhow::Result<()> {
    let side = report.main().ok_or_else(|| anyhow::anyhow!("nothing to save: the recording has no frames"))?;
    let label = side.side.label();
    let estimate = side.estimate.as_ref().ok_or_else(|| {
        anyhow::anyhow!("nothing saved: the {label} hip {}; choose the side with --side", side.outcome())
    })?;
    anyhow::ensure!(
        estimate.trials.len() == 3 && side.reps.len() >= 3,
        "nothing saved: a reading needs three trials, and the recording shows {} rep{} of the {label} hip; film three \
         turns, each back to the start",
        side.reps.len(),
        if side.reps.len() == 1 { "" } else { "s" }
    );
    block_on(async {
        let store = open(storage, catalog).await?;
        let user = local_user(&store, storage).await?;
        let estimate = measuring::CameraEstimate {
            side: side.side,
            position,
            trials: estimate.trials.clone(),
            uncertainty: estimate.uncertainty,
        };
        let (_, stored, _) = measuring::record_camera_estimate(&store, user.id, today, estimate, None).await?;
        // On standard error, so that --json and --csv output stays one document.
        eprintln!("Saved: {}.", measuring::reading_of(&stored));
        Ok(())
    })
}

fn summary(
    name: &str,
    recording: &Recording,
    report: &ClipReport,
    asked: SideChoice,
    video: Option<&VideoRead>,
) -> String {
    let mut out = String::new();
    let seconds = duration_ms(recording) as f64 / 1000.0;
    let _ = writeln!(
        out,
        "{name}: {} frames over {seconds:.1} s, {} × {} pixels.",
        recording.frames.len(),
        recording.image.width(),
        recording.image.height()
    );
    if let Some(found) = video {
        let _ = writeln!(
            out,
            "The pose model ({POSE_MODEL}) found the person in {} of {} frames, in {:.1} s ({:.0} frames a second).",
            recording.frames.len() - found.without_person,
            recording.frames.len(),
            found.took.as_secs_f64(),
            recording.frames.len() as f64 / found.took.as_secs_f64().max(1e-3)
        );
        if let Some(announced) = found.info.frames.filter(|n| *n > recording.frames.len() as u64 + 1) {
            let _ = writeln!(
                out,
                "Only {} of the {announced} frames the file announces could be read: it may be cut short, and the \
                 analysis covers only what was read.",
                recording.frames.len()
            );
        }
    }
    let _ = writeln!(out, "{}", report.calibration_words());
    for (i, side) in report.sides.iter().enumerate() {
        let label = capitalised(side.side.label());
        let why =
            if i == 0 && matches!(asked, SideChoice::Auto) && side.estimate.is_some() { " (turned most)" } else { "" };
        let _ = writeln!(out, "\n{label} hip{why}:");
        let _ = writeln!(out, "  {}.", capitalised(&side.outcome()));
        if let Some(estimate) = &side.estimate {
            let trials: Vec<String> = estimate.trials.iter().map(|t| format!("{:.0}°", t.get())).collect();
            let _ =
                writeln!(out, "  From the peaks of the last {}: {}.", plural(trials.len(), "rep"), trials.join(", "));
            let _ = writeln!(out, "  A {VALIDATION} (docs/validation.md).");
        }
        let _ = writeln!(out, "  Measured in {} of {} frames.", side.measured, recording.frames.len());
        for (reason, frames) in side.refused.iter().take(3) {
            let _ = writeln!(out, "  Not measured in {}: {reason}.", plural(*frames, "frame"));
        }
        if side.estimate.is_some() {
            let holds: Vec<String> =
                side.holds.iter().map(|h| format!("{:.1} s", h.duration_ms() as f64 / 1000.0)).collect();
            let _ = writeln!(
                out,
                "  Reps: {}; holds at end range: {}.",
                side.reps.len(),
                if holds.is_empty() { "none".to_owned() } else { holds.join(", ") }
            );
            for (t_ms, flag) in side.flags.iter().take(5) {
                let _ = writeln!(out, "  At {:.1} s: {}.", *t_ms as f64 / 1000.0, flag.cue());
            }
            if side.flags.len() > 5 {
                let _ = writeln!(out, "  … and {} more form cues.", side.flags.len() - 5);
            }
        }
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

fn json(
    name: &str,
    recording: &Recording,
    report: &ClipReport,
    asked: SideChoice,
    video: Option<&VideoRead>,
) -> serde_json::Value {
    let mut doc = clip_summary(recording, report);
    doc["file"] = name.into();
    doc["side_asked"] = format!("{asked:?}").to_lowercase().into();
    doc["pose"] = video
        .map(|found| {
            serde_json::json!({
                "model": POSE_MODEL,
                "frames_without_person": found.without_person,
                "frames_announced": found.info.frames,
                "detector_runs": found.detections,
                "rotation_degrees": found.info.rotation,
                "seconds": (found.took.as_secs_f64() * 10.0).round() / 10.0,
            })
        })
        .into();
    doc
}
