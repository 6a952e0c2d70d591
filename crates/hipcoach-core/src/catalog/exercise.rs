//! A validated exercise: what the coach, the session engine and the pages read.

use crate::units::{HoldSeconds, MovePhaseSeconds, PausePhaseSeconds, RepCount, RestSeconds, SetCount};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A stable exercise identifier: lowercase words joined by hyphens, e.g. `prone-hip-internal-rotation`.
///
/// Stored records and plans refer to exercises by this id, so it must never change once published.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct ExerciseId(String);

impl ExerciseId {
    /// Accepts lowercase ASCII letters and digits in hyphen-separated words, 3 to 64 characters.
    pub fn parse(text: &str) -> Result<Self, String> {
        let well_formed = (3..=64).contains(&text.len())
            && text
                .split('-')
                .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        if well_formed {
            Ok(Self(text.to_owned()))
        } else {
            Err(format!(
                "`{text}` is not a valid id: use 3-64 lowercase letters or digits in words joined by single hyphens, e.g. `prone-hip-internal-rotation`"
            ))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ExerciseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Stored plans and records name exercises by id; reading one back goes through [`ExerciseId::parse`].
impl<'de> Deserialize<'de> for ExerciseId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ExerciseId::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Declares a data-file vocabulary: a kebab-case enum with a human label for each value.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "kebab-case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The words a person reads.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

vocabulary!(
    /// What the exercise trains; decides where it sits in a session.
    Kind {
        /// A held, passive lengthening position.
        Stretch => "stretch",
        /// Active, slow movement into the end of the range.
        Mobility => "mobility",
        /// Light muscle work that wakes up the hip rotators and abductors.
        Activation => "activation",
        /// Loaded whole-leg strength work that goes alongside the mobility work.
        Strength => "strength",
    }
);

vocabulary!(
    /// The starting position.
    Position {
        /// Sitting on an ordinary chair, feet on the floor.
        SeatedChair => "seated on a chair",
        /// Sitting on a high seat or table edge, shins hanging free.
        SeatedHigh => "seated on a high seat",
        /// Sitting on the floor.
        SeatedFloor => "seated on the floor",
        /// Lying on the back.
        LyingOnBack => "lying on your back",
        /// Lying face down.
        LyingFaceDown => "lying face down",
        /// Lying on one side.
        SideLying => "lying on your side",
        /// Standing.
        Standing => "standing",
        /// Kneeling.
        Kneeling => "kneeling",
    }
);

vocabulary!(
    /// Something the user needs at hand; plans only schedule what the user owns.
    Equipment {
        /// An exercise mat or a rug.
        Mat => "mat",
        /// A sturdy chair.
        Chair => "chair",
        /// A seat high enough for the shins to hang free: a table edge, a bench, a bed.
        HighSeat => "high seat",
        /// A resistance band.
        Band => "resistance band",
        /// A dumbbell or kettlebell.
        Weight => "weight",
        /// A wall to lean on.
        Wall => "wall",
    }
);

vocabulary!(
    /// How the two sides are worked.
    Laterality {
        /// One side, then the other, with equal work.
        Unilateral => "one side at a time",
        /// Both sides together.
        Bilateral => "both sides together",
        /// The sides take turns within each set.
        Alternating => "sides alternate",
    }
);

vocabulary!(
    /// The goal profiles a plan can be built for.
    Goal {
        /// More comfortable, freer hips for daily life.
        General => "general mobility",
        /// Range and strength for sport, with numbers and progression.
        Athlete => "athlete",
        /// Easing back from hip pain, gently.
        Recovering => "recovering from hip pain",
    }
);

vocabulary!(
    /// Where the exercise comes from.
    Source {
        /// The article on internal-rotation hip stretches.
        #[serde(rename = "seed-000")]
        Seed000 => "article: internal rotation hip stretches",
        /// The article on hip internal rotation exercises.
        #[serde(rename = "seed-001")]
        Seed001 => "article: hip internal rotation exercises",
        /// Added on clinical review, not in either article.
        Clinician => "added on clinical review",
    }
);

vocabulary!(
    /// A movement feature that screening rules match against: an exercise carrying a tag is
    /// never scheduled for someone whose screening forbids that feature.
    ContraindicationTag {
        /// Rotates either hip inward.
        InternalRotation => "internal rotation of a hip",
        /// Takes either hip past 90° of flexion.
        DeepFlexion => "hip flexion past 90°",
        /// Crosses one leg over the other.
        CrossedLegs => "crossed legs",
        /// Lies on the back.
        LyingOnBack => "lying on the back",
        /// Lies face down.
        LyingFaceDown => "lying face down",
        /// Works at the end of the available range.
        EndRange => "end-range work",
        /// Balances on one leg.
        SingleLegStance => "standing on one leg",
        /// Kneels.
        Kneeling => "kneeling",
        /// Combines hip extension with external rotation.
        ExtensionWithExternalRotation => "hip extension with external rotation",
    }
);

vocabulary!(
    /// Resistance band strength; neighbouring levels differ by about 25 %.
    BandLevel {
        /// The lightest band.
        Light => "light band",
        /// The middle band.
        Medium => "medium band",
        /// The strongest band.
        Heavy => "heavy band",
    }
);

vocabulary!(
    /// A phase of one rep or hold; breathing cues are given per phase.
    Phase {
        /// Getting into position.
        Setup => "setup",
        /// Moving toward the end of the range (or lowering, in a lift).
        Out => "out",
        /// The pause or hold.
        Hold => "hold",
        /// Returning to the start.
        Back => "back",
    }
);

/// Seconds for each phase of one rep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tempo {
    /// Moving toward end range.
    pub out: MovePhaseSeconds,
    /// Pause at end range.
    pub hold: PausePhaseSeconds,
    /// Returning.
    pub back: MovePhaseSeconds,
}

impl Tempo {
    /// Length of one rep.
    pub fn rep_seconds(self) -> u16 {
        self.out.get() + self.hold.get() + self.back.get()
    }
}

/// What one set asks for: a timed hold or paced reps, never both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Effort {
    /// A static hold.
    Hold {
        /// Length of the hold.
        seconds: HoldSeconds,
    },
    /// Repetitions paced by a tempo.
    Reps {
        /// Reps per side.
        count: RepCount,
        /// Pace of each rep.
        tempo: Tempo,
    },
}

impl Effort {
    /// The phases this effort goes through, which are the phases that need a breathing cue.
    pub fn phases(self) -> &'static [Phase] {
        match self {
            Effort::Hold { .. } => &[Phase::Hold],
            Effort::Reps { tempo, .. } if tempo.hold.get() == 0 => &[Phase::Out, Phase::Back],
            Effort::Reps { .. } => &[Phase::Out, Phase::Hold, Phase::Back],
        }
    }

    /// Working seconds of one set on one side.
    pub fn set_seconds(self) -> u32 {
        match self {
            Effort::Hold { seconds } => u32::from(seconds.get()),
            Effort::Reps { count, tempo } => u32::from(count.get()) * u32::from(tempo.rep_seconds()),
        }
    }
}

/// The default prescription of an exercise, before any progression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dose {
    /// What each set asks for.
    pub effort: Effort,
    /// How many sets, per side.
    pub sets: SetCount,
    /// Rest between sets.
    pub rest: RestSeconds,
    /// Starting band, for banded exercises only.
    pub band: Option<BandLevel>,
}

impl fmt::Display for Dose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.effort {
            Effort::Hold { seconds } => write!(f, "{} × {seconds} hold", self.sets)?,
            Effort::Reps { count, tempo } => write!(
                f,
                "{} × {count} reps ({}-{}-{} s)",
                self.sets,
                tempo.out.get(),
                tempo.hold.get(),
                tempo.back.get()
            )?,
        }
        if let Some(band) = self.band {
            write!(f, ", {band}")?;
        }
        Ok(())
    }
}

/// A breathing cue for one phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreathingCue {
    /// The phase the cue belongs to.
    pub phase: Phase,
    /// What to say.
    pub cue: String,
}

/// A common mistake and how to correct it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mistake {
    /// What people often do wrong.
    pub mistake: String,
    /// How to put it right.
    pub fix: String,
}

/// Neighbouring exercises, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Links {
    /// Harder versions, to move to when this one is mastered.
    pub progressions: Vec<ExerciseId>,
    /// Easier versions, to fall back to on pain or difficulty.
    pub regressions: Vec<ExerciseId>,
    /// Different exercises that serve the same purpose, for someone who dislikes this one.
    pub alternatives: Vec<ExerciseId>,
}

/// One exercise of the program, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exercise {
    /// Stable identifier.
    pub id: ExerciseId,
    /// Name shown to people.
    pub name: String,
    /// Other names people search for.
    pub aliases: Vec<String>,
    /// What it trains.
    pub kind: Kind,
    /// Starting position.
    pub position: Position,
    /// What is needed.
    pub equipment: Vec<Equipment>,
    /// How the sides are worked.
    pub laterality: Laterality,
    /// The movement trained, in words.
    pub motion: String,
    /// Muscles and tissues worked.
    pub muscles: Vec<String>,
    /// One-line description.
    pub summary: String,
    /// Why it helps.
    pub why: String,
    /// Goal profiles it suits.
    pub goals: Vec<Goal>,
    /// Where it comes from.
    pub source: Source,
    /// What was corrected or added relative to the source.
    pub source_note: Option<String>,
    /// Movement features screening rules match against.
    pub contraindication_tags: Vec<ContraindicationTag>,
    /// Harder, easier and alternative exercises.
    pub links: Links,
    /// How to do it, in order.
    pub steps: Vec<String>,
    /// Short cues worth repeating during the exercise.
    pub form_cues: Vec<String>,
    /// Precautions to read before starting.
    pub precautions: Vec<String>,
    /// Default prescription.
    pub dose: Dose,
    /// Breathing cue for every phase of the dose (and optionally setup), in phase order.
    pub breathing: Vec<BreathingCue>,
    /// Common mistakes and their fixes.
    pub mistakes: Vec<Mistake>,
}

impl Exercise {
    /// The breathing cue for a phase, if the exercise has one.
    pub fn breathing_cue(&self, phase: Phase) -> Option<&str> {
        self.breathing.iter().find(|b| b.phase == phase).map(|b| b.cue.as_str())
    }

    /// Whether `text` names this exercise: its id, name or an alias, ignoring case.
    pub fn is_called(&self, text: &str) -> bool {
        let text = text.trim();
        self.id.as_str().eq_ignore_ascii_case(text)
            || self.name.eq_ignore_ascii_case(text)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(text))
    }
}
