//! What the engine asks a front end to do, and what a front end tells the engine.

use super::record::{PainAnswer, SessionRecord};
use crate::catalog::ExerciseId;
use crate::measure::CameraEvent;
use serde::{Deserialize, Serialize};

/// A short sound; front ends choose the tone per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum BeepKind {
    /// Work begins.
    Start,
    /// Half of a hold is done.
    Halfway,
    /// One of the last three seconds of a countdown.
    LastThree,
    /// Work ends.
    End,
}

/// Something for the front end to do now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "value", rename_all = "kebab-case")]
pub enum Effect {
    /// Text to show as the current instruction.
    Show(String),
    /// A beep.
    Beep(BeepKind),
    /// Text to speak aloud (when the user has not muted speech).
    Speak(String),
    /// A form cue or common mistake worth repeating at this moment.
    Remind(String),
    /// Ask the pain question for this exercise and send back [`Command::AnswerPain`].
    AskPain {
        /// The exercise just done.
        exercise: ExerciseId,
        /// Its name.
        name: String,
    },
    /// Red pain stopped an exercise: ask whether to end the session or go on with the rest
    /// (without that exercise), and send back [`Command::EndSession`] or [`Command::GoOn`].
    /// The engine never starts the next exercise by itself after red pain.
    AskGoOn {
        /// The exercise stopped.
        exercise: ExerciseId,
        /// Its name.
        name: String,
    },
    /// The exercise was ended because of sharp pain; show the advice prominently.
    StoppedForPain {
        /// The exercise stopped.
        exercise: ExerciseId,
        /// What to do now, in plain words.
        advice: String,
    },
    /// The session is over; store the record.
    Finished(SessionRecord),
}

/// Something the user did. Every command carries the time it happened, from the front end's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "value", rename_all = "kebab-case")]
pub enum Command {
    /// Begin the session.
    Start,
    /// Time has passed; nothing else happened.
    Tick,
    /// Freeze the clock.
    Pause,
    /// Carry on after a pause.
    Resume,
    /// Move on to the next step (the rest of a set counts as skipped).
    Skip,
    /// Go back to the start of this step, or to the previous one near its start.
    Back,
    /// Sharp pain: stop this exercise now, whatever the state.
    SharpPain,
    /// The answer to the pain check.
    AnswerPain(PainAnswer),
    /// End the whole session now, keeping what was done.
    EndSession,
    /// After red pain: go on with the rest of the session, without the stopped exercise.
    GoOn,
    /// What the camera coach saw (or that it was switched off): with the camera on, a set of an
    /// exercise it can watch ends its reps when the camera sees them and times its holds only at
    /// end range.
    Camera(CameraEvent),
}
