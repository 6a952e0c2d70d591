//! A session played from a log: what the page and the server share.
//!
//! The page keeps a log of what the person did, stamped with its own clock. Replaying that log
//! through the [`Engine`] gives the same engine state on the device (WebAssembly) and on the
//! server, which replays it once more when the record arrives. [`play_ahead`] turns the log into
//! the screen now and every moment until the person must act next, so the page needs nothing
//! between taps. Everything here is pure: the same log and items give the same answer anywhere.

use super::{Command, Effect, Engine, Pace, RunState, SessionItem, SessionRecord, StepKind, View, Working};
use crate::measure::CameraWatch;
use serde::{Deserialize, Serialize};

/// The most a log may hold: a real session logs a few dozen commands (start, pain answers,
/// pauses, skips), or a few hundred with the camera coach (one per rep it sees); this bounds
/// the replay's work and keeps the finished session well inside a request body.
pub const MAX_LOG: usize = 2_000;
/// Room the camera coach leaves in the log for the person's own taps: below it, the page
/// switches the camera off and the timer paces the rest.
const CAMERA_RESERVE: usize = 200;
/// The most moments played ahead in one answer (a long exercise has a few hundred).
const MAX_MOMENTS: usize = 5_000;
/// The longest a session may run, in milliseconds of the page's clock.
pub const MAX_SESSION_MS: u64 = 6 * 3_600_000;

/// One thing the person did, at the page's clock (milliseconds since the page opened).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Logged {
    /// When, in milliseconds of the page's clock; never earlier than the entry before.
    pub at: u64,
    /// What was done.
    pub command: Command,
}

/// Why a log cannot be replayed, in words for the person whose device sent it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    /// More entries than any real session logs.
    #[error("a session log holds at most {MAX_LOG} entries; this one has {0}")]
    TooLong(usize),
    /// A time earlier than the one before it, or past six hours.
    #[error("log times must not go backwards or past six hours")]
    OutOfOrder,
}

/// The engine after replaying a log.
pub struct Replayed {
    /// The engine, ready for the next command.
    pub engine: Engine,
    /// The time of the last command.
    pub at: u64,
    /// What the last command did, for the page to play.
    pub effects: Vec<Effect>,
    /// The record, if the log finished the session.
    pub finished: Option<SessionRecord>,
}

/// Rebuilds the engine from the log; a log too long, going back in time or past six hours is
/// refused.
pub fn replay(items: Vec<SessionItem>, pace: Pace, log: &[Logged]) -> Result<Replayed, LogError> {
    if log.len() > MAX_LOG {
        return Err(LogError::TooLong(log.len()));
    }
    let mut engine = Engine::new(items, pace);
    let mut last: (u64, Vec<Effect>) = (0, Vec::new());
    let mut finished = None;
    for entry in log {
        if entry.at < last.0 || entry.at > MAX_SESSION_MS {
            return Err(LogError::OutOfOrder);
        }
        let mut effects = engine.handle(entry.at, Command::Tick);
        effects.extend(engine.handle(entry.at, entry.command));
        if let Some(record) = effects.iter().cloned().find_map(finished_in) {
            finished = Some(record);
        }
        last = (entry.at, effects);
    }
    Ok(Replayed { engine, at: last.0, effects: last.1, finished })
}

/// The record a log leaves: the one it finished, or, for a log that stops early, the session
/// ended where it stopped (keeping what was done). `None` when the log never started it.
pub fn record_of(items: Vec<SessionItem>, pace: Pace, log: &[Logged]) -> Result<Option<SessionRecord>, LogError> {
    let Replayed { mut engine, at, finished, .. } = replay(items, pace, log)?;
    Ok(finished.or_else(|| engine.handle(at, Command::EndSession).into_iter().find_map(finished_in)))
}

/// A moment for the page to play: the effects due then and the screen from then on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineMoment {
    /// When, on the page's clock.
    pub at: u64,
    /// What happens then (sounds, cues, the record at the end).
    pub effects: Vec<Effect>,
    /// The screen from then on.
    pub view: Screen,
}

/// The screen now and what happens next.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Timeline {
    /// The screen now.
    pub now: TimelineMoment,
    /// Every moment until the person must act next.
    pub upcoming: Vec<TimelineMoment>,
    /// Whether the log has room for more of what the camera sees; when not, the camera is
    /// switched off and the timer paces the rest of the session.
    pub camera_room: bool,
}

/// The screen now and every moment until the person must act next (a pain check, the end),
/// so the page needs nothing between taps.
pub fn play_ahead(items: Vec<SessionItem>, pace: Pace, log: &[Logged], now: u64) -> Result<Timeline, LogError> {
    let Replayed { mut engine, at, mut effects, .. } = replay(items, pace, log)?;
    let now = now.max(at);
    effects.extend(engine.handle(now, Command::Tick));
    let current = TimelineMoment { at: now, view: Screen::of(&engine.view(now)), effects };
    let mut upcoming = Vec::new();
    while engine.state() == RunState::Running && upcoming.len() < MAX_MOMENTS {
        let Some(wake) = engine.next_wake() else { break };
        let effects = engine.handle(wake, Command::Tick);
        upcoming.push(TimelineMoment { at: wake, view: Screen::of(&engine.view(wake)), effects });
    }
    Ok(Timeline { now: current, upcoming, camera_room: log.len() + CAMERA_RESERVE < MAX_LOG })
}

/// What the page draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Screen {
    /// Ready, running, paused, waiting for a pain answer, or finished.
    pub state: RunState,
    /// The step in words ("Rep 3 of 10 · set 1", "Switch to the left side").
    pub title: String,
    /// The exercise's name.
    pub exercise: String,
    /// The exercise's id, to show its figure; empty while none is under way.
    pub exercise_id: String,
    /// Which exercise this is, counting from 1…
    pub number: usize,
    /// …of how many.
    pub of: usize,
    /// Milliseconds left in this step.
    pub remaining_ms: u64,
    /// The step's whole length in milliseconds.
    pub step_ms: u64,
    /// How much of the session is done, 0 to 1.
    pub progress: f64,
    /// The breathing cue of this moment.
    pub breathing: Option<String>,
    /// The side working ("left side").
    pub side: Option<String>,
    /// The phase of the rep's tempo ("lower", "hold").
    pub phase: Option<String>,
    /// What a camera coach would watch now: the working leg in a set it can see.
    pub camera: Option<CameraWatch>,
    /// Whether the camera paces the sets it can see now.
    pub camera_on: bool,
    /// The clock waits for the camera (the leg to reach end range, or the rep to come back).
    pub waiting_for_camera: bool,
}

impl Screen {
    /// The engine's view in the words the page shows.
    pub fn of(view: &View<'_>) -> Self {
        let step = view.step.map(|s| s.kind);
        let side = |working: Working, rep: Option<u16>| match (working, rep) {
            (Working::Side(side), _) => Some(format!("{side} side")),
            (Working::Alternating, Some(rep)) => working.side_on_rep(rep).map(|s| format!("{s} side")),
            _ => None,
        };
        let (title, side, phase) = match step {
            _ if view.state == RunState::AwaitingChoice => ("Stopped for pain".to_owned(), None, None),
            Some(StepKind::GetReady) => ("Get ready".to_owned(), None, None),
            Some(StepKind::SwitchSides { to }) => {
                (format!("Switch to the {to} side"), Some(format!("{to} side")), None)
            }
            Some(StepKind::Hold { set, working }) => (format!("Hold · set {set}"), side(working, None), None),
            Some(StepKind::Rep { set, working, rep, of, phase }) => {
                (format!("Rep {rep} of {of} · set {set}"), side(working, Some(rep)), Some(phase.label().to_owned()))
            }
            Some(StepKind::Rest) => ("Rest".to_owned(), None, None),
            Some(StepKind::PainCheck) => ("Pain check".to_owned(), None, None),
            None => ("Done".to_owned(), None, None),
        };
        // While the choice after red pain is open, no exercise is under way.
        let under_way = view.item.filter(|_| view.state != RunState::AwaitingChoice);
        Screen {
            state: view.state,
            title,
            exercise: under_way.map(|i| i.name.clone()).unwrap_or_default(),
            exercise_id: under_way.map(|i| i.exercise.to_string()).unwrap_or_default(),
            number: view.exercise_number.0,
            of: view.exercise_number.1,
            remaining_ms: view.remaining_ms,
            step_ms: view.step.map_or(0, |s| s.duration_ms),
            progress: view.progress,
            breathing: view.breathing.map(str::to_owned),
            side,
            phase,
            camera: view.camera,
            camera_on: view.camera_on,
            waiting_for_camera: view.waiting_for_camera,
        }
    }
}

/// What the page asks: the session's exercises and pace, the log so far and its clock now.
/// The same question the server's timeline answers, and the one the WebAssembly engine takes.
#[derive(Debug, Clone, Deserialize)]
pub struct Request {
    /// The session's exercises, as the server gave them to the page.
    pub items: Vec<SessionItem>,
    /// Step lengths.
    pub pace: Pace,
    /// What the person did so far.
    pub log: Vec<Logged>,
    /// The page's clock now, in milliseconds.
    pub now: u64,
}

impl Request {
    /// The screen now and what happens next, in the page's words.
    pub fn answer(self) -> Result<Timeline, LogError> {
        play_ahead(self.items, self.pace, &self.log, self.now)
    }
}

/// A short name for a session's exercises and doses, so a log played on a device can be matched
/// with the session the server would give for the same day: the page sends it with the record,
/// and a log played against other exercises is refused rather than replayed against the wrong
/// ones. FNV-1a over the items' JSON: an equality check, not a secret.
pub fn fingerprint(items: &[SessionItem]) -> String {
    let json = serde_json::to_vec(items).unwrap_or_default();
    let hash = json
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3));
    format!("{hash:016x}")
}

fn finished_in(effect: Effect) -> Option<SessionRecord> {
    match effect {
        Effect::Finished(record) => Some(record),
        _ => None,
    }
}
