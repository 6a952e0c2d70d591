//! hipcoach's engine for the page, compiled to WebAssembly by `scripts/build-wasm`: the session
//! timeline and the camera analyser.
//!
//! The page plays the same [`hipcoach_core::session::timeline`] the server replays, so a tap
//! needs no request and a session runs with no network; the server replays the log once more
//! when the record arrives and stores its own result. The page's pose model hands its keypoints
//! to the same analyser `hipcoach analyze` runs ([`analyse`]), never to a JavaScript copy.
//!
//! # The boundary
//! Plain exports with JSON across it, rather than wasm-bindgen: the page makes one call per tap
//! (and, for the camera, one per frame), so the cost of JSON is small, and plain exports need no
//! generated glue whose version must match a command-line tool on every machine that builds
//! the page. The page asks for room with [`input`], writes a UTF-8 JSON request there, calls an
//! entry point such as [`timeline`], and reads the answer at [`output_ptr`] / [`output_len`]:
//! the entry point returns 1 when the answer is the result, 0 when it is `{"error": "…"}`.

use hipcoach_core::measure::{
    CameraCoach, CameraTask, CameraWatch, ClipOptions, ImageSize, Layout, LiveFrame, LiveTest, Recording, TestPosition,
    analyse_clip, clip_summary,
};
use hipcoach_core::session::timeline;
use hipcoach_core::units::Side;
use std::cell::RefCell;

thread_local! {
    /// The request the page wrote.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The last answer, kept until the next call.
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The live camera test under way, if any.
    static LIVE: RefCell<Option<LiveTest>> = const { RefCell::new(None) };
    /// The camera coach of the guided session under way, if any.
    static COACH: RefCell<Option<CameraCoach>> = const { RefCell::new(None) };
}

/// The most a request may hold: a session's exercises and a full log are far below this, and a
/// keypoint recording of two minutes at 30 frames a second is about 10 MiB.
const MAX_INPUT: usize = 16 << 20;

/// Makes room for a request of `len` bytes (at most 16 MiB) and says where to write it; null
/// when `len` is too large.
#[allow(unsafe_code)] // no_mangle: the name is the page's entry point.
#[unsafe(no_mangle)]
pub extern "C" fn input(len: usize) -> *mut u8 {
    if len > MAX_INPUT {
        return std::ptr::null_mut();
    }
    INPUT.with_borrow_mut(|buffer| {
        buffer.clear();
        buffer.resize(len, 0);
        buffer.as_mut_ptr()
    })
}

/// Where the last answer starts.
#[allow(unsafe_code)] // no_mangle: the name is the page's entry point.
#[unsafe(no_mangle)]
pub extern "C" fn output_ptr() -> *const u8 {
    OUTPUT.with_borrow(|buffer| buffer.as_ptr())
}

/// How long the last answer is, in bytes.
#[allow(unsafe_code)] // no_mangle: the name is the page's entry point.
#[unsafe(no_mangle)]
pub extern "C" fn output_len() -> usize {
    OUTPUT.with_borrow(Vec::len)
}

/// Plays the [`timeline::Request`] in the input: the screen now and every moment until the
/// person must act next, as the server's `/api/player/timeline` answers it.
#[allow(unsafe_code)] // no_mangle: the name is the page's entry point.
#[unsafe(no_mangle)]
pub extern "C" fn timeline() -> u32 {
    reply(INPUT.with_borrow(|request| answer_timeline(request)))
}

/// The timeline for a JSON request, as JSON; the reason in words when the request is not one.
pub fn answer_timeline(request: &[u8]) -> Result<Vec<u8>, String> {
    let request: timeline::Request =
        serde_json::from_slice(request).map_err(|error| format!("the session could not be read: {error}"))?;
    let played = request.answer().map_err(|error| error.to_string())?;
    serde_json::to_vec(&played).map_err(|error| error.to_string())
}

/// Analyses the keypoint file in the input (`hipcoach-keypoints` version 1, as the page's pose
/// model recorded it): `test` 0 seated, 1 prone; `side` 0 the one that turned most, 1 left,
/// 2 right; `calibrate` 1 on the opening still second, 0 not. The answer is the summary
/// `hipcoach analyze --json` prints, without the file's name.
#[allow(unsafe_code)] // no_mangle: the name is the page's entry point.
#[unsafe(no_mangle)]
pub extern "C" fn analyse(test: u32, side: u32, calibrate: u32) -> u32 {
    reply(INPUT.with_borrow(|file| answer_analyse(file, test, side, calibrate)))
}

/// The analysis of a keypoint file, as JSON; the reason in words when it is not one.
pub fn answer_analyse(file: &[u8], test: u32, side: u32, calibrate: u32) -> Result<Vec<u8>, String> {
    let options = ClipOptions {
        position: position_of(test)?,
        // 0: the side that turned most.
        side: side_of(side)?,
        calibrate_ms: match calibrate {
            0 => None,
            1 => Some(1_000),
            _ => return Err(format!("calibrate {calibrate} is not 0 or 1")),
        },
    };
    let text = std::str::from_utf8(file).map_err(|_| "the keypoints are not text".to_owned())?;
    let recording = Recording::from_json(text).map_err(|error| error.to_string())?;
    let report = analyse_clip(&recording, options);
    serde_json::to_vec(&clip_summary(&recording, &report)).map_err(|error| error.to_string())
}

/// Starts a live camera test: `test` 0 seated, 1 prone; `side` 1 left, 2 right; frames of
/// `width` × `height` pixels in BlazePose's 33-point layout. Any test under way is dropped.
#[allow(unsafe_code)] // no_mangle: the name is the page's entry point.
#[unsafe(no_mangle)]
pub extern "C" fn live_start(test: u32, side: u32, width: u32, height: u32) -> u32 {
    reply(start_live(test, side, width, height).map(|()| b"{}".to_vec()))
}

/// The live test for these options, kept for [`live_frame`].
pub fn start_live(test: u32, side: u32, width: u32, height: u32) -> Result<(), String> {
    let position = position_of(test)?;
    let side = side_of(side)?.ok_or_else(|| "side 0 is not a side: 1 is left, 2 right".to_owned())?;
    let image = picture(width, height)?;
    LIVE.with_borrow_mut(|live| *live = Some(LiveTest::new(position, side, image, Layout::BlazePose33)));
    Ok(())
}

/// The next camera frame's keypoints (`{"t_ms": …, "keypoints": [[x, y, visibility, z], …],
/// "brightness": 0–1}`, the brightness optional) for
/// the live test: the answer is the screen to show.
#[allow(unsafe_code)] // no_mangle: the name is the page's entry point.
#[unsafe(no_mangle)]
pub extern "C" fn live_frame() -> u32 {
    reply(INPUT.with_borrow(|frame| answer_live_frame(frame)))
}

/// The live test's screen after one frame, as JSON.
pub fn answer_live_frame(frame: &[u8]) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(frame).map_err(|_| "the keypoints are not text".to_owned())?;
    let LiveFrame { frame, brightness } =
        Recording::frame_from_json(text, Layout::BlazePose33).map_err(|error| error.to_string())?;
    LIVE.with_borrow_mut(|live| {
        let live = live.as_mut().ok_or_else(|| "no live test has started".to_owned())?;
        serde_json::to_vec(&live.frame(frame.t_ms, &frame.points, brightness)).map_err(|error| error.to_string())
    })
}

/// The next camera frame's keypoints (as for [`live_frame`]) for the camera coach of a guided
/// session: `test` 0 seated, 1 prone (the position it calibrates in); `side` 0 when the screen
/// names nothing to watch, 1 left, 2 right; `task` 0 reps, 1 a hold; frames of `width` ×
/// `height`. The answer is what it saw, for the session's log, and the words to show. A new
/// position or picture size starts a new coach, which calibrates again.
#[allow(unsafe_code)] // no_mangle: the name is the page's entry point.
#[unsafe(no_mangle)]
pub extern "C" fn coach_frame(test: u32, side: u32, task: u32, width: u32, height: u32) -> u32 {
    reply(INPUT.with_borrow(|frame| answer_coach_frame(frame, test, side, task, width, height)))
}

/// The camera coach's answer to one frame, as JSON.
pub fn answer_coach_frame(
    frame: &[u8],
    test: u32,
    side: u32,
    task: u32,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, String> {
    let position = position_of(test)?;
    let side = side_of(side)?;
    let task = match task {
        0 => CameraTask::Reps,
        1 => CameraTask::Hold,
        _ => return Err(format!("task {task} is not a task: 0 is reps, 1 a hold")),
    };
    let image = picture(width, height)?;
    let text = std::str::from_utf8(frame).map_err(|_| "the keypoints are not text".to_owned())?;
    let LiveFrame { frame, brightness } =
        Recording::frame_from_json(text, Layout::BlazePose33).map_err(|error| error.to_string())?;
    let watch = side.map(|side| CameraWatch { position, side, task });
    COACH.with_borrow_mut(|coach| {
        let fresh = coach.as_ref().is_none_or(|c| c.position() != position || c.image() != image);
        if fresh {
            *coach = Some(CameraCoach::new(position, image, Layout::BlazePose33));
        }
        let coach = coach.as_mut().ok_or_else(|| "no camera coach".to_owned())?;
        serde_json::to_vec(&coach.frame(frame.t_ms, &frame.points, brightness, watch))
            .map_err(|error| error.to_string())
    })
}

/// Forgets the camera coach, so the next frame starts a new one that calibrates again.
#[allow(unsafe_code)] // no_mangle: the name is the page's entry point.
#[unsafe(no_mangle)]
pub extern "C" fn coach_reset() -> u32 {
    COACH.with_borrow_mut(|coach| *coach = None);
    reply(Ok(b"{}".to_vec()))
}

/// Keeps an entry point's answer for the page: 1 with the result, 0 with `{"error": "…"}`.
fn reply(answer: Result<Vec<u8>, String>) -> u32 {
    let ok = u32::from(answer.is_ok());
    let bytes = answer.unwrap_or_else(|reason| error_json(&reason));
    OUTPUT.with_borrow_mut(|buffer| *buffer = bytes);
    ok
}

/// The side a code names: 0 none (or "find it"), 1 left, 2 right.
fn side_of(side: u32) -> Result<Option<Side>, String> {
    match side {
        0 => Ok(None),
        1 => Ok(Some(Side::Left)),
        2 => Ok(Some(Side::Right)),
        _ => Err(format!("side {side} is not a side: 1 is left, 2 right")),
    }
}

/// The camera's picture size.
fn picture(width: u32, height: u32) -> Result<ImageSize, String> {
    ImageSize::new(f64::from(width), f64::from(height)).map_err(|_| "the camera's picture has no size yet".to_owned())
}

/// The test a code names: 0 seated, 1 prone.
fn position_of(test: u32) -> Result<TestPosition, String> {
    match test {
        0 => Ok(TestPosition::Seated),
        1 => Ok(TestPosition::Prone),
        _ => Err(format!("test {test} is not a test: 0 is seated, 1 prone")),
    }
}

fn error_json(reason: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "error": reason })).unwrap_or_default()
}
