//! What the store keeps, beyond the core's own types: the words each row is stored under.

use chrono::NaiveDate;
use hipcoach_core::catalog::ExerciseId;
use hipcoach_core::measure::{Method, Rater, TestPosition};
use hipcoach_core::session::SessionRecord;
use hipcoach_core::units::PainScore;
use hipcoach_core::units::Side;
use serde::{Deserialize, Serialize};

/// A user's row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct UserId(pub i64);

/// Someone who trains with hipcoach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Row id.
    pub id: UserId,
    /// Login name, unique.
    pub name: String,
    /// Argon2id hash; `None` for the single local user of a personal machine.
    pub password_hash: Option<String>,
    /// When the account was made.
    pub created_at_ms: i64,
    /// Where what the plan is built from stood when this row was read.
    pub revision: Revision,
}

/// A stored session: the engine's record plus when it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredSession {
    /// Row id (not exported: ids are local to a database).
    #[serde(skip)]
    pub id: i64,
    /// The day it was done.
    pub day: NaiveDate,
    /// The client's key for this session; sending it twice stores it once.
    pub client_key: String,
    /// When it was stored.
    pub recorded_at_ms: i64,
    /// What was done.
    pub record: SessionRecord,
}

/// When a pain check-in was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Moment {
    /// Before the session.
    Before,
    /// Right after the session or an exercise.
    After,
    /// The next morning: the check that decides whether the dose was tolerated.
    NextMorning,
}

/// A pain rating given outside the session player.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PainCheckin {
    /// The day it refers to.
    pub day: NaiveDate,
    /// Before, after, or next morning.
    pub moment: Moment,
    /// The exercise it is about, or `None` for the hip in general.
    pub exercise: Option<ExerciseId>,
    /// 0–10.
    pub score: PainScore,
    /// Sharp, pinching, catching, locking pain or tingling.
    pub sharp: bool,
    /// Stiffer than usual.
    pub stiffer: bool,
    /// When it was stored.
    #[serde(default)]
    pub recorded_at_ms: i64,
}

/// A hip internal-rotation measurement on one side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Measurement {
    /// The day measured.
    pub day: NaiveDate,
    /// Which hip.
    pub side: Side,
    /// Which test.
    pub position: TestPosition,
    /// Which tool.
    pub method: Method,
    /// The angle, degrees.
    pub degrees: f64,
    /// ± degrees.
    pub uncertainty: f64,
    /// Whether the person who measured is the one who measured last time: a different rater
    /// doubles the goniometer's error, so trends must know.
    pub rater: Rater,
    /// Who measured, in words, when not the user.
    pub measured_by: Option<String>,
    /// Whether the end of the turn felt hard and blocked, like a bony stop: that side's end
    /// range must not be pushed until a clinician has looked at it.
    #[serde(default)]
    pub hard_end_feel: bool,
    /// When it was stored.
    #[serde(default)]
    pub recorded_at_ms: i64,
    /// The device's key for a reading it kept while offline, so a resend stores it once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key: Option<String>,
}

impl Measurement {
    /// Who measured, as every screen and file says it: the name given, or "you".
    pub fn measured_by_words(&self) -> &str {
        self.measured_by.as_deref().unwrap_or("you")
    }
}

/// Kinds of versioned JSON documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// Goal, schedule, equipment, preferences.
    Profile,
    /// Screening answers and outcome.
    Screening,
    /// A week's plan with its explained changes.
    Plan,
}

impl DocumentKind {
    pub(crate) fn key(self) -> &'static str {
        match self {
            DocumentKind::Profile => "profile",
            DocumentKind::Screening => "screening",
            DocumentKind::Plan => "plan",
        }
    }
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Document {
    /// Which kind.
    pub kind: DocumentKind,
    /// The day it was answered or generated.
    pub day: NaiveDate,
    /// Its content.
    pub body: serde_json::Value,
    /// When it was stored.
    pub recorded_at_ms: i64,
}

/// How someone feels about an exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Rating {
    /// Keep it coming.
    Liked,
    /// No opinion.
    Neutral,
    /// Swap it for an alternative when one fits.
    Disliked,
}

/// A rating and an optional swap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preference {
    /// The exercise rated.
    pub exercise: ExerciseId,
    /// The rating.
    pub rating: Rating,
    /// The exercise to do instead.
    pub swapped_for: Option<ExerciseId>,
    /// When it was last changed.
    #[serde(default)]
    pub updated_at_ms: i64,
}

/// A private calendar address's settings: when its sessions start, in which time zone, and
/// since when it exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarFeed {
    /// The time of day planned sessions start at.
    pub session_time: chrono::NaiveTime,
    /// The owner's offset from UTC in minutes (east positive), as their browser reported it.
    pub utc_offset_min: i32,
    /// When the address was made.
    pub created_at_ms: i64,
}

/// Reads a stored spelling back.
pub(crate) fn from_key<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> Result<T, crate::StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| crate::StoreError::Conflict(format!("unexpected value `{text}` in column {column}")))
}

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// How many times what a user's plan is built from (documents, measurements, corrections) has
/// changed: counted by the database itself (migration 8's triggers), read with the user's row,
/// only ever compared, to tell whether anything was stored since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revision(pub(crate) i64);

/// Which kind of record a correction concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum CorrectedRecord {
    /// A session.
    Session,
    /// A range-of-motion measurement.
    Measurement,
}

/// What was done to the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum CorrectionAction {
    /// Changed: `after` holds the new version.
    Edited,
    /// Removed.
    Deleted,
}

/// One change to a stored record, with the record as it was and as it became: the trail that
/// keeps an edit or a deletion from erasing history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// A session or a measurement.
    pub record: CorrectedRecord,
    /// Edited or deleted.
    pub action: CorrectionAction,
    /// The record before, as the account export writes it.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub before: serde_json::Value,
    /// The record after an edit.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
    /// When the change was made.
    pub changed_at_ms: i64,
}

/// What became of a session key a device sends again.
#[derive(Debug, Clone, PartialEq)]
pub enum SentBefore {
    /// Never stored: a new session.
    Never,
    /// Stored before: the first copy answers a retry.
    Stored(StoredSession),
    /// Stored, then deleted by its owner: not stored again.
    Deleted,
}
