//! Quantities a prescription is made of, each valid only inside its clinical range.
//!
//! A value of these types cannot be out of range: constructing one goes through `new`, which
//! says what was wrong, and deserialising goes through the same check.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a number was refused for a bounded quantity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value} is out of range: {what} must be between {min} and {max}{unit}")]
pub struct OutOfRange {
    /// What the number was meant to be, in words ("hold", "reps").
    pub what: &'static str,
    /// The number refused.
    pub value: i64,
    /// Smallest allowed value.
    pub min: i64,
    /// Largest allowed value.
    pub max: i64,
    /// Unit suffix shown after the bounds, e.g. " s".
    pub unit: &'static str,
}

macro_rules! bounded {
    ($(#[$doc:meta])* $name:ident, $what:literal, $min:literal ..= $max:literal, $unit:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "i64", into = "u16")]
        pub struct $name(u16);

        /// A whole number with the same bounds as [`Self::new`] checks, so a schema validator
        /// refuses what the API would.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::Integer)
                    .minimum(Some($min))
                    .maximum(Some($max))
                    .description(Some(concat!("A whole number of ", $what, " from ", $min, " to ", $max, ".")))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl $name {
            /// Smallest allowed value.
            pub const MIN: u16 = $min;
            /// Largest allowed value.
            pub const MAX: u16 = $max;

            /// Accepts `value` only inside the allowed range.
            pub fn new(value: i64) -> Result<Self, OutOfRange> {
                if (i64::from(Self::MIN)..=i64::from(Self::MAX)).contains(&value) {
                    Ok(Self(value as u16))
                } else {
                    Err(OutOfRange { what: $what, value, min: $min, max: $max, unit: $unit })
                }
            }

            /// The plain number.
            pub fn get(self) -> u16 {
                self.0
            }
        }

        impl TryFrom<i64> for $name {
            type Error = OutOfRange;
            fn try_from(value: i64) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl From<$name> for u16 {
            fn from(value: $name) -> u16 {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}{}", self.0, $unit)
            }
        }
    };
}

bounded!(
    /// How long one static hold lasts. Below 5 s a stretch does nothing; past 2 minutes
    /// ACSM finds no extra benefit.
    HoldSeconds, "hold", 5..=120, " s"
);
bounded!(
    /// Repetitions in one set, per side. Past 30 the work is endurance, not this program.
    RepCount, "reps", 1..=30, ""
);
bounded!(
    /// Sets of an exercise in one session.
    SetCount, "sets", 1..=5, ""
);
bounded!(
    /// Rest between sets.
    RestSeconds, "rest", 0..=180, " s"
);
bounded!(
    /// Length of the moving phase of a rep (out or back): slow and controlled, never a bounce.
    MovePhaseSeconds, "tempo phase", 1..=10, " s"
);
bounded!(
    /// Pause at the end of the movement; zero means no pause.
    PausePhaseSeconds, "tempo pause", 0..=10, " s"
);

bounded!(
    /// A pain rating on the 0–10 numeric rating scale (NPRS): 0 is no pain, 10 the worst imaginable.
    PainScore, "pain", 0..=10, "/10"
);
bounded!(
    /// A joint angle in whole degrees. Hip rotation readings are never more precise than a
    /// degree or two, so fractions would only suggest accuracy the measurement does not have.
    WholeDegrees, "angle", 0..=180, "°"
);

bounded!(
    /// Sessions a week. Stretching works best daily; more than one session a day is not this program.
    SessionsPerWeek, "sessions per week", 1..=7, ""
);
bounded!(
    /// Minutes available for one session. Under 5 minutes nothing useful fits; past 90 the extra
    /// time would only go to volume the program does not ask for.
    SessionMinutes, "minutes per session", 5..=90, " min"
);

impl PainScore {
    /// No pain at all.
    pub const NONE: PainScore = PainScore(0);
}

/// A side of the body. Hip work is dosed and checked per side because the hips often differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The left side.
    Left,
    /// The right side.
    Right,
}

impl Side {
    /// Both sides, left first.
    pub const BOTH: [Side; 2] = [Side::Left, Side::Right];

    /// The other side.
    pub fn other(self) -> Side {
        match self {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
        }
    }

    /// The word a person reads ("left", "right").
    pub fn label(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A calendar day as a plain day number chosen by the caller (e.g. days since sign-up).
///
/// The core never reads a clock: "today" always arrives as an argument, so every rule that
/// looks at time ("one change per week", "next morning") is a pure function and testable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Day(u32);

impl Day {
    /// The day with this number.
    pub const fn new(number: u32) -> Self {
        Self(number)
    }

    /// The plain day number.
    pub fn get(self) -> u32 {
        self.0
    }

    /// Whole days from `earlier` to `self`; zero when `earlier` is not earlier.
    pub fn days_since(self, earlier: Day) -> u32 {
        self.0.saturating_sub(earlier.0)
    }

    /// The day `days` later.
    pub fn plus(self, days: u32) -> Day {
        Day(self.0.saturating_add(days))
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "day {}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(0, false)]
    #[case(4, false)]
    #[case(5, true)]
    #[case(120, true)]
    #[case(121, false)]
    #[case(-30, false)]
    fn hold_accepts_only_its_clinical_range(#[case] value: i64, #[case] ok: bool) {
        assert_eq!(HoldSeconds::new(value).is_ok(), ok);
    }

    #[test]
    fn out_of_range_error_says_what_and_the_bounds() {
        let err = RepCount::new(40).unwrap_err();
        assert_eq!(err.to_string(), "40 is out of range: reps must be between 1 and 30");
        let err = HoldSeconds::new(0).unwrap_err();
        assert_eq!(err.to_string(), "0 is out of range: hold must be between 5 and 120 s");
    }

    #[test]
    fn deserialising_goes_through_the_range_check() {
        let ok: SetCount = serde_json::from_str("3").unwrap();
        assert_eq!(ok.get(), 3);
        assert!(serde_json::from_str::<SetCount>("9").is_err());
        assert_eq!(serde_json::to_string(&ok).unwrap(), "3");
    }

    #[rstest]
    #[case(-1, false)]
    #[case(0, true)]
    #[case(10, true)]
    #[case(11, false)]
    fn pain_score_is_the_zero_to_ten_scale(#[case] value: i64, #[case] ok: bool) {
        assert_eq!(PainScore::new(value).is_ok(), ok);
    }

    #[test]
    fn sides_and_days_read_plainly() {
        assert_eq!(Side::Left.other(), Side::Right);
        assert_eq!(Day::new(12).to_string(), "day 12");
        assert_eq!(Day::new(12).days_since(Day::new(5)), 7);
        assert_eq!(Day::new(5).days_since(Day::new(12)), 0);
        assert_eq!(serde_json::to_string(&Side::Right).unwrap(), "\"right\"");
    }
}
