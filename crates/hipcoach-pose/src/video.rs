//! Frames out of a video file, through Debian's `ffmpeg` command: raw RGB on a pipe, each
//! frame's own timestamp read from ffmpeg's `showinfo` filter so a phone's variable frame rate
//! gives true times, and phone rotation applied (ffmpeg turns the picture upright as it decodes).
//!
//! Large videos are scaled down to at most [`MAX_SIDE`] pixels on their longer side: the models
//! look at 224- and 256-pixel crops, so more pixels cost decoding time and add nothing.

use crate::error::PoseError;
use crate::image::RgbImage;
use serde::Deserialize;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};

/// The longest side frames are decoded at.
pub const MAX_SIDE: usize = 1280;
/// How many of ffmpeg's last messages an error quotes.
const MESSAGES_KEPT: usize = 6;

/// What ffprobe says about the video track.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VideoInfo {
    /// Width of the decoded (upright, possibly scaled) frames.
    pub width: usize,
    /// Height of the decoded frames.
    pub height: usize,
    /// How many frames the file says it holds, when it says (for the progress bar).
    pub frames: Option<u64>,
    /// Seconds between frames at the average rate, used only where a frame has no timestamp.
    pub frame_seconds: f64,
    /// The turn the phone recorded, in degrees, applied while decoding.
    pub rotation: i32,
}

#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    streams: Vec<ProbeStream>,
}

#[derive(Deserialize)]
struct ProbeStream {
    width: Option<usize>,
    height: Option<usize>,
    nb_frames: Option<String>,
    avg_frame_rate: Option<String>,
    #[serde(default)]
    side_data_list: Vec<ProbeSideData>,
    #[serde(default)]
    tags: ProbeTags,
}

#[derive(Deserialize)]
struct ProbeSideData {
    rotation: Option<f64>,
}

#[derive(Deserialize, Default)]
struct ProbeTags {
    rotate: Option<String>,
}

/// Asks ffprobe for the first video track's size, frame count, rate and rotation.
pub fn probe(path: &Path) -> Result<VideoInfo, PoseError> {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-show_entries"])
        .arg("stream=width,height,nb_frames,avg_frame_rate:stream_side_data=rotation:stream_tags=rotate")
        .args(["-of", "json"])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .map_err(|_| PoseError::NoFfmpeg)?;
    let unreadable = || PoseError::NotAVideo { file: path.to_path_buf() };
    if !output.status.success() {
        return Err(unreadable());
    }
    let probe: Probe = serde_json::from_slice(&output.stdout).map_err(|_| unreadable())?;
    let stream = probe.streams.into_iter().next().ok_or_else(|| PoseError::NoPicture { file: path.to_path_buf() })?;
    let (Some(width), Some(height)) = (stream.width, stream.height) else { return Err(unreadable()) };
    if width == 0 || height == 0 {
        return Err(unreadable());
    }
    let rotation = stream
        .side_data_list
        .iter()
        .find_map(|s| s.rotation)
        .or_else(|| stream.tags.rotate.as_deref().and_then(|r| r.trim().parse().ok()))
        .map_or(0, |r: f64| r.round() as i32)
        .rem_euclid(360);
    let (width, height) = if rotation % 180 == 90 { (height, width) } else { (width, height) };
    let (width, height) = scaled(width, height);
    let rate = stream.avg_frame_rate.as_deref().and_then(parse_rate).filter(|r| *r > 0.0).unwrap_or(30.0);
    Ok(VideoInfo {
        width,
        height,
        frames: stream.nb_frames.and_then(|n| n.parse().ok()).filter(|n| *n > 0),
        frame_seconds: 1.0 / rate,
        rotation,
    })
}

/// The decoded size: the upright size, scaled down (to even sides) if its longer side exceeds
/// [`MAX_SIDE`].
fn scaled(width: usize, height: usize) -> (usize, usize) {
    let longest = width.max(height);
    if longest <= MAX_SIDE {
        return (width, height);
    }
    let even = |side: usize| ((side * MAX_SIDE / longest) / 2 * 2).max(2);
    (even(width), even(height))
}

/// "30000/1001" → 29.97.
fn parse_rate(rate: &str) -> Option<f64> {
    let (n, d) = rate.split_once('/')?;
    let (n, d): (f64, f64) = (n.parse().ok()?, d.parse().ok()?);
    (d != 0.0).then_some(n / d)
}

/// ffmpeg running, its frames read one at a time.
pub struct VideoReader {
    info: VideoInfo,
    child: Child,
    stdout: ChildStdout,
    times: Receiver<Option<f64>>,
    messages: Arc<Mutex<VecDeque<String>>>,
    last_time: Option<f64>,
    file: PathBuf,
}

impl VideoReader {
    /// Probes `path` and starts decoding it.
    pub fn open(path: &Path) -> Result<Self, PoseError> {
        let info = probe(path)?;
        // Checksums off: showinfo is here only for each frame's timestamp.
        let filters = format!("showinfo=checksum=0,scale={}:{}:flags=area", info.width, info.height);
        let mut child = Command::new("ffmpeg")
            // One decoding thread: the pose model uses every core, and decoding a frame takes ~1 ms.
            .args(["-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-threads", "1", "-i"])
            .arg(path)
            .args([
                "-map",
                "0:v:0",
                "-an",
                "-sn",
                "-dn",
                "-filter_threads",
                "1",
                "-vf",
                &filters,
                "-fps_mode",
                "passthrough",
            ])
            .args(["-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|_| PoseError::NoFfmpeg)?;
        let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
            return Err(PoseError::Runtime("ffmpeg's output could not be read".to_owned()));
        };
        let (sender, times) = channel();
        let messages = Arc::new(Mutex::new(VecDeque::new()));
        let kept = Arc::clone(&messages);
        std::thread::spawn(move || {
            // Byte lines, read lossily: a file name or tag in another encoding must not stop the
            // reader (ffmpeg would then block writing to a full pipe).
            let mut reader = BufReader::new(stderr);
            let mut bytes = Vec::new();
            while reader.read_until(b'\n', &mut bytes).is_ok_and(|n| n > 0) {
                let line = String::from_utf8_lossy(&bytes).trim_end().to_owned();
                bytes.clear();
                if line.contains("Parsed_showinfo") {
                    if let Some(rest) = line.split("pts_time:").nth(1) {
                        let time = rest.split_whitespace().next().and_then(|t| t.parse::<f64>().ok());
                        if sender.send(time.filter(|t| t.is_finite())).is_err() {
                            return;
                        }
                    }
                } else if let Ok(mut kept) = kept.lock() {
                    kept.push_back(plain(&line));
                    if kept.len() > MESSAGES_KEPT {
                        kept.pop_front();
                    }
                }
            }
        });
        Ok(Self { info, child, stdout, times, messages, last_time: None, file: path.to_path_buf() })
    }

    /// The video track's description.
    pub fn info(&self) -> VideoInfo {
        self.info
    }

    /// The file being read.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The next frame and its time in seconds from the start of the file, or `None` at the end.
    pub fn next_frame(&mut self) -> Result<Option<(f64, RgbImage)>, PoseError> {
        let mut pixels = vec![0u8; self.info.width * self.info.height * 3];
        let mut filled = 0;
        while filled < pixels.len() {
            match self.stdout.read(&mut pixels[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return Err(self.failure()),
            }
        }
        if filled < pixels.len() {
            return self.finish().map(|()| None);
        }
        let time = match self.times.recv() {
            Ok(Some(time)) => time,
            // A frame without a timestamp follows its predecessor at the average rate.
            Ok(None) => self.last_time.map_or(0.0, |t| t + self.info.frame_seconds),
            Err(_) => return Err(self.failure()),
        };
        self.last_time = Some(time);
        let image = RgbImage::new(self.info.width, self.info.height, pixels)
            .ok_or_else(|| PoseError::Runtime("ffmpeg gave a frame of the wrong size".to_owned()))?;
        Ok(Some((time, image)))
    }

    /// At the end of the pipe: fine if ffmpeg finished cleanly.
    fn finish(&mut self) -> Result<(), PoseError> {
        match self.child.wait() {
            Ok(status) if status.success() => Ok(()),
            _ => Err(self.failure()),
        }
    }

    fn failure(&mut self) -> PoseError {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let said = self.messages.lock().map(|m| m.iter().cloned().collect::<Vec<_>>().join("; ")).unwrap_or_default();
        PoseError::DecodeFailed { file: self.file.clone(), said }
    }
}

/// ffmpeg's message without its "[component @ 0x55…] " prefix, which means nothing to a person.
fn plain(line: &str) -> String {
    match (line.starts_with('['), line.find("] ")) {
        (true, Some(end)) if line[..end].contains(" @ 0x") => line[end + 2..].to_owned(),
        _ => line.to_owned(),
    }
}

impl Drop for VideoReader {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_videos_are_scaled_to_even_sides() {
        assert_eq!(scaled(640, 480), (640, 480));
        assert_eq!(scaled(1920, 1080), (1280, 720));
        assert_eq!(scaled(1080, 1920), (720, 1280));
        assert_eq!(scaled(4000, 3), (1280, 2));
    }

    #[test]
    fn ffmpegs_internal_prefixes_are_dropped() {
        assert_eq!(plain("[mov,mp4,m4a @ 0x55d0c1a2b3c0] moov atom not found"), "moov atom not found");
        assert_eq!(plain("Error while decoding stream #0:0"), "Error while decoding stream #0:0");
        assert_eq!(plain("[just brackets] here"), "[just brackets] here");
    }

    #[test]
    fn frame_rates_read_as_fractions() {
        assert_eq!(parse_rate("30/1"), Some(30.0));
        assert!((parse_rate("30000/1001").unwrap() - 29.97).abs() < 0.01);
        assert_eq!(parse_rate("0/0"), None);
        assert_eq!(parse_rate("abc"), None);
    }
}
