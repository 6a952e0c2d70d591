//! A recording's keypoints as a file: what `hipcoach analyze` reads when no pose model runs, so
//! tools, tests and other pose models can hand over keypoints in one documented shape.
//!
//! ```json
//! { "format": "hipcoach-keypoints", "version": 1, "layout": "blazepose-33",
//!   "image": { "width": 640, "height": 480 },
//!   "frames": [ { "t_ms": 0, "keypoints": [[0.51, 0.42, 0.93, -0.12], …] }, … ] }
//! ```
//!
//! Each keypoint is `[x, y, visibility]` or `[x, y, visibility, z]`: x and y in normalised image
//! coordinates (0 at the left and top edges, 1 at the right and bottom; a point just outside the
//! image is allowed, up to 0.5 beyond), visibility 0–1, z the model's depth on the scale of x
//! (BlazePose's, within ±10; COCO-17 models give none). `layout` is `blazepose-33` (MediaPipe's 33
//! landmarks) or `coco-17`, in that model's order. Frame times are milliseconds from the start
//! (0 to a day), each later than the one before.
//! Every refusal names the frame and the field, and says what would be accepted.

use super::{BadImageSize, Frame, ImageSize, Keypoint, Layout};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The `format` a keypoint file names.
pub const FORMAT: &str = "hipcoach-keypoints";
/// The version this build reads and writes.
pub const VERSION: u32 = 1;
/// The most frames a file may hold: an hour at 30 frames a second.
pub const MAX_FRAMES: usize = 108_000;
/// The widest or tallest frame accepted, in pixels (16K video and then some).
const MAX_PIXELS: f64 = 32_768.0;
/// The latest frame time accepted: a day, in milliseconds (so no sum of times can overflow).
pub const MAX_T_MS: i64 = 86_400_000;
/// How far outside the image a keypoint may lie (models place a hidden ankle just below it).
pub const BEYOND_EDGE: f32 = 0.5;
/// The largest depth accepted, either way, on the scale of x.
pub const MAX_DEPTH: f32 = 10.0;

/// A recording's keypoints, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    /// The numbering of every frame's keypoints.
    pub layout: Layout,
    /// The frames' pixel size, to turn normalised coordinates into pixels.
    pub image: ImageSize,
    /// The frames, in time order.
    pub frames: Vec<RecordedFrame>,
}

/// One frame of a recording.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedFrame {
    /// Capture time, ms.
    pub t_ms: i64,
    /// The keypoints, in the layout's order.
    pub points: Vec<Keypoint>,
}

/// One frame from the live camera: its keypoints, and how bright the picture was.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveFrame {
    /// The keypoints and time.
    pub frame: RecordedFrame,
    /// The picture's mean brightness, 0 black to 1 white, when the page measured it.
    pub brightness: Option<f64>,
}

/// One frame as the live camera sends it: a file's frame and the picture's brightness.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LiveFileFrame {
    t_ms: i64,
    keypoints: Vec<Vec<f64>>,
    #[serde(default)]
    brightness: Option<f64>,
}

impl RecordedFrame {
    /// The frame as the analyser reads it.
    pub fn frame(&self, layout: Layout) -> Frame<'_> {
        Frame { t_ms: self.t_ms, layout, points: &self.points }
    }
}

/// Why a keypoint file was refused: where (the frame, counting from 0, and the field) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RecordingError {
    /// The frame, when the problem is in one.
    pub frame: Option<usize>,
    /// The field, as a path into the file ("keypoints[3][0]", "image.width").
    pub field: String,
    /// What is wrong and what would be accepted.
    pub reason: String,
}

impl fmt::Display for RecordingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.frame {
            Some(frame) => write!(f, "frame {frame}, {}: {}", self.field, self.reason),
            None if self.field.is_empty() => write!(f, "{}", self.reason),
            None => write!(f, "{}: {}", self.field, self.reason),
        }
    }
}

fn refuse(frame: Option<usize>, field: impl Into<String>, reason: impl Into<String>) -> RecordingError {
    RecordingError { frame, field: field.into(), reason: reason.into() }
}

/// The file as written.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    version: u32,
    layout: String,
    image: FileImage,
    frames: Vec<FileFrame>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileImage {
    width: f64,
    height: f64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFrame {
    t_ms: i64,
    keypoints: Vec<Vec<f64>>,
}

fn layout_name(layout: Layout) -> &'static str {
    match layout {
        Layout::BlazePose33 => "blazepose-33",
        Layout::Coco17 => "coco-17",
    }
}

impl Recording {
    /// Reads a keypoint file, checking every frame.
    pub fn from_json(text: &str) -> Result<Recording, RecordingError> {
        if !text.trim_start().starts_with('{') {
            return Err(refuse(
                None,
                "",
                "this is not a keypoint file: one JSON object with format, version, layout, image and frames",
            ));
        }
        let mut reader = serde_json::Deserializer::from_str(text);
        let file: File = serde_path_to_error::deserialize(&mut reader).map_err(|error| {
            let path = error.path().to_string();
            let frame = frame_of(&path);
            let field = match frame {
                Some(_) => path.split_once("].").map_or_else(|| path.clone(), |(_, rest)| rest.to_owned()),
                None if path == "." => String::new(),
                None => path,
            };
            refuse(frame, field, plain(error.inner()))
        })?;
        if file.format != FORMAT {
            return Err(refuse(None, "format", format!("must be \"{FORMAT}\"; this is not a hipcoach keypoint file")));
        }
        if file.version != VERSION {
            return Err(refuse(
                None,
                "version",
                format!(
                    "version {} is not one this hipcoach reads (it reads {VERSION}); update hipcoach",
                    file.version
                ),
            ));
        }
        let layout = match file.layout.as_str() {
            "blazepose-33" => Layout::BlazePose33,
            "coco-17" => Layout::Coco17,
            other => {
                return Err(refuse(
                    None,
                    "layout",
                    format!("\"{other}\" is not a layout: use \"blazepose-33\" or \"coco-17\""),
                ));
            }
        };
        let pixels = 1.0..=MAX_PIXELS;
        if !pixels.contains(&file.image.width) || !pixels.contains(&file.image.height) {
            return Err(refuse(None, "image", format!("width and height must be 1 to {MAX_PIXELS} pixels")));
        }
        let image = ImageSize::new(file.image.width, file.image.height).map_err(|BadImageSize { .. }| {
            refuse(None, "image", "width and height must be positive numbers of pixels")
        })?;
        if file.frames.is_empty() {
            return Err(refuse(None, "frames", "the file has no frames"));
        }
        if file.frames.len() > MAX_FRAMES {
            return Err(refuse(
                None,
                "frames",
                format!(
                    "{} frames is more than the {MAX_FRAMES} (an hour at 30 per second) a file may hold",
                    file.frames.len()
                ),
            ));
        }
        let mut frames: Vec<RecordedFrame> = Vec::with_capacity(file.frames.len());
        for (i, frame) in file.frames.iter().enumerate() {
            let previous = Some(frames.last().map_or(-1, |f| f.t_ms));
            frames.push(checked_frame(Some(i), frame, previous, layout)?);
        }
        Ok(Recording { layout, image, frames })
    }

    /// One frame as the live camera sends it, `{"t_ms": …, "keypoints": [[x, y, visibility, z?], …],
    /// "brightness": 0–1 (optional)}`, checked as a file's frames are.
    pub fn frame_from_json(text: &str, layout: Layout) -> Result<LiveFrame, RecordingError> {
        let live: LiveFileFrame = serde_json::from_str(text).map_err(|error| refuse(None, "", plain(&error)))?;
        if let Some(brightness) = live.brightness.filter(|b| !(0.0..=1.0).contains(b)) {
            return Err(refuse(
                None,
                "brightness",
                format!("{brightness} is not a brightness: use 0 (black) to 1 (white)"),
            ));
        }
        let frame = FileFrame { t_ms: live.t_ms, keypoints: live.keypoints };
        Ok(LiveFrame { frame: checked_frame(None, &frame, None, layout)?, brightness: live.brightness })
    }

    /// The file for this recording (what [`Recording::from_json`] reads back).
    pub fn to_json(&self) -> String {
        let file = File {
            format: FORMAT.to_owned(),
            version: VERSION,
            layout: layout_name(self.layout).to_owned(),
            image: FileImage { width: self.image.width(), height: self.image.height() },
            frames: self
                .frames
                .iter()
                .map(|f| FileFrame {
                    t_ms: f.t_ms,
                    keypoints: f
                        .points
                        .iter()
                        .map(|p| {
                            let mut values = vec![f64::from(p.x), f64::from(p.y), f64::from(p.visibility)];
                            values.extend(p.z.map(f64::from));
                            values
                        })
                        .collect(),
                })
                .collect(),
        };
        serde_json::to_string(&file).unwrap_or_default()
    }
}

/// One keypoint from its numbers, or where in it (`[2]`) and why it is refused.
fn keypoint(values: &[f64]) -> Result<Keypoint, (String, String)> {
    if !(3..=4).contains(&values.len()) {
        return Err((
            String::new(),
            format!("{} numbers; a keypoint is [x, y, visibility] or [x, y, visibility, z]", values.len()),
        ));
    }
    let coordinate = |at: usize, name: &str| {
        let v = values[at];
        if v.is_finite() && (-f64::from(BEYOND_EDGE)..=1.0 + f64::from(BEYOND_EDGE)).contains(&v) {
            Ok(v as f32)
        } else {
            Err((
                format!("[{at}]"),
                format!("{name} {v} is not in the image: use 0 to 1 (normalised), at most 0.5 beyond an edge"),
            ))
        }
    };
    let x = coordinate(0, "x")?;
    let y = coordinate(1, "y")?;
    let visibility = values[2];
    if !(0.0..=1.0).contains(&visibility) {
        return Err(("[2]".to_owned(), format!("visibility {visibility} must be between 0 and 1")));
    }
    let z = match values.get(3) {
        Some(z) if z.is_finite() && z.abs() <= f64::from(MAX_DEPTH) => Some(*z as f32),
        Some(z) => return Err(("[3]".to_owned(), format!("depth {z} is not a depth on the scale of x (within ±10)"))),
        None => None,
    };
    Ok(Keypoint { x, y, z, visibility: visibility as f32 })
}

/// One frame checked: its time (0 to a day, and later than `previous` when there is one), its
/// number of keypoints for `layout`, and each keypoint; `at` is its index in a file, if any.
fn checked_frame(
    at: Option<usize>,
    frame: &FileFrame,
    previous: Option<i64>,
    layout: Layout,
) -> Result<RecordedFrame, RecordingError> {
    if !(0..=MAX_T_MS).contains(&frame.t_ms) {
        return Err(refuse(
            at,
            "t_ms",
            format!(
                "{} ms is not a time in a recording: use milliseconds from its start, 0 to {MAX_T_MS} (a day)",
                frame.t_ms
            ),
        ));
    }
    if let Some(last) = previous.filter(|last| frame.t_ms <= *last) {
        return Err(refuse(
            at,
            "t_ms",
            format!(
                "{} ms is not later than the frame before ({last} ms); each frame must come after the one before",
                frame.t_ms
            ),
        ));
    }
    if frame.keypoints.len() != layout.len() {
        return Err(refuse(
            at,
            "keypoints",
            format!("{} keypoints; the {} layout has {}", frame.keypoints.len(), layout_name(layout), layout.len()),
        ));
    }
    let points = frame
        .keypoints
        .iter()
        .enumerate()
        .map(|(k, values)| {
            keypoint(values).map_err(|(place, reason)| refuse(at, format!("keypoints[{k}]{place}"), reason))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RecordedFrame { t_ms: frame.t_ms, points })
}

/// The frame a path such as `frames[12].keypoints[3]` points into.
fn frame_of(path: &str) -> Option<usize> {
    path.strip_prefix("frames[")?.split(']').next()?.parse().ok()
}

/// serde's message without its position suffix ("at line 1 column 40"), which names nothing a
/// person can find in a generated file; the path says where instead.
fn plain(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) if error.line() > 0 => text[..at].to_owned(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(frames: &str) -> String {
        format!(
            r#"{{"format": "hipcoach-keypoints", "version": 1, "layout": "coco-17", "image": {{"width": 640, "height": 480}}, "frames": {frames}}}"#
        )
    }

    fn frame(t: i64, points: usize) -> String {
        let point = "[0.5, 0.5, 0.9]";
        format!(r#"{{"t_ms": {t}, "keypoints": [{}]}}"#, vec![point; points].join(", "))
    }

    #[test]
    fn a_good_file_reads_and_round_trips() {
        let text = file(&format!("[{}, {}]", frame(0, 17), frame(33, 17)));
        let recording = Recording::from_json(&text).unwrap();
        assert_eq!((recording.layout, recording.frames.len()), (Layout::Coco17, 2));
        assert_eq!(Recording::from_json(&recording.to_json()).unwrap(), recording);
    }

    #[test]
    fn every_refusal_names_the_frame_and_the_field_and_says_what_is_accepted() {
        let cases = [
            (
                file(&format!("[{}, {}]", frame(0, 17), frame(10, 16))),
                "frame 1, keypoints: 16 keypoints; the coco-17 layout has 17",
            ),
            (
                file(&format!("[{}, {}]", frame(50, 17), frame(10, 17))),
                "frame 1, t_ms: 10 ms is not later than the frame before (50 ms)",
            ),
            (
                file(&format!("[{}]", frame(0, 17).replacen("[0.5, 0.5, 0.9]", "[0.5, 1.7, 0.9]", 1))),
                "frame 0, keypoints[0][1]: y 1.7 is not in the image",
            ),
            (
                file(&format!("[{}]", frame(0, 17).replacen("[0.5, 0.5, 0.9]", "[0.5, 0.5, 2]", 1))),
                "frame 0, keypoints[0][2]: visibility 2 must be between 0 and 1",
            ),
            (
                file(&format!("[{}]", frame(0, 17).replacen("[0.5, 0.5, 0.9]", "[0.5, 0.5]", 1))),
                "frame 0, keypoints[0]: 2 numbers",
            ),
            (
                file(r#"[{"t_ms": "soon", "keypoints": []}]"#),
                "frame 0, t_ms: invalid type: string \"soon\", expected i64",
            ),
            (file("[]"), "frames: the file has no frames"),
            (file("[]").replace("640", "6.4e112"), "image: width and height must be 1 to 32768 pixels"),
            (
                file(&format!("[{}, {}]", frame(5, 17), frame(5, 17))),
                "frame 1, t_ms: 5 ms is not later than the frame before",
            ),
            (
                file(&format!("[{}]", frame(-9_000_000_000_000_000_000, 17))),
                "frame 0, t_ms: -9000000000000000000 ms is not a time in a recording",
            ),
            (file("[]").replace("coco-17", "openpose-25"), "layout: \"openpose-25\" is not a layout"),
            (
                file("[]").replace("\"version\": 1", "\"version\": 9"),
                "version: version 9 is not one this hipcoach reads",
            ),
            ("{\"format\": \"hipcoach-keypoints\"".to_owned(), "EOF while parsing"),
            ("[1, 2]".to_owned(), "this is not a keypoint file"),
        ];
        for (text, expected) in cases {
            let error = Recording::from_json(&text).unwrap_err().to_string();
            assert!(error.starts_with(expected) || error.contains(expected), "{error}\n  expected: {expected}");
            assert!(!error.contains("line 1 column"), "{error}");
        }
    }
}
