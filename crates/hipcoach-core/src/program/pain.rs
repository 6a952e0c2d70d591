//! Pain monitoring: the traffic light that gates every progression.
//!
//! Built on the pain-monitoring model (Silbernagel 2007) as set out in clinical.md: 0–2 green,
//! 3–5 amber (no progression; fine only if it settles by the next morning), above 5 or any sharp,
//! pinching, catching, locking or tingling pain red (stop now). The stretch feeling is asked
//! separately and never blocks anything: tension in a stretch is expected, pain is not.

use crate::units::{PainScore, Side};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The pain-monitoring traffic light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TrafficLight {
    /// 0–2: carry on; progression allowed.
    Green,
    /// 3–5: acceptable if it settles by the next morning; no progression.
    Amber,
    /// Above 5, or pain of a worrying kind: stop the exercise now.
    Red,
}

impl TrafficLight {
    /// The light for a score alone.
    pub fn of(score: PainScore) -> TrafficLight {
        match score.get() {
            0..=2 => TrafficLight::Green,
            3..=5 => TrafficLight::Amber,
            _ => TrafficLight::Red,
        }
    }
}

/// A kind of pain that is red whatever its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum PainQuality {
    /// A sudden, sharp pain.
    Sharp,
    /// A pinch deep in the groin or the front of the hip (may be bone meeting bone).
    Pinching,
    /// A catch, as if something got stuck for a moment.
    Catching,
    /// The hip locking.
    Locking,
    /// Tingling, pins and needles or numbness.
    Tingling,
}

impl PainQuality {
    /// Plain words for a sentence ("sharp pain", "the hip catching").
    pub fn words(self) -> &'static str {
        match self {
            PainQuality::Sharp => "sharp pain",
            PainQuality::Pinching => "a pinching pain",
            PainQuality::Catching => "the hip catching",
            PainQuality::Locking => "the hip locking",
            PainQuality::Tingling => "tingling or numbness",
        }
    }
}

/// Hip pain during one exercise, asked separately from the stretch feeling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PainCheck {
    /// The worst hip pain during the exercise, 0–10.
    pub during: PainScore,
    /// Worrying kinds of pain noticed, if any.
    pub qualities: BTreeSet<PainQuality>,
    /// The hip that hurt, when the user could tell.
    pub side: Option<Side>,
}

impl PainCheck {
    /// A check with no pain at all.
    pub fn none() -> PainCheck {
        PainCheck { during: PainScore::NONE, qualities: BTreeSet::new(), side: None }
    }

    /// A check with only a score.
    pub fn score(during: PainScore) -> PainCheck {
        PainCheck { during, qualities: BTreeSet::new(), side: None }
    }

    /// The traffic light: the score's light, or red for any worrying kind of pain.
    pub fn light(&self) -> TrafficLight {
        if self.qualities.is_empty() { TrafficLight::of(self.during) } else { TrafficLight::Red }
    }

    /// Whether the hip caught or locked; repeated, it needs a clinician's look.
    pub fn caught_or_locked(&self) -> bool {
        self.qualities.contains(&PainQuality::Catching) || self.qualities.contains(&PainQuality::Locking)
    }

    /// What made it red, in words: the first worrying kind, else the score ("pain of 7/10").
    pub fn red_words(&self) -> String {
        match self.qualities.iter().next() {
            Some(quality) => quality.words().to_owned(),
            None => format!("pain of {}/10", self.during.get()),
        }
    }
}

/// How the stretch itself felt. Recorded so it is not mistaken for pain; never blocks progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum StretchFeeling {
    /// Barely felt a stretch.
    Slight,
    /// A gentle, comfortable pull: the target.
    Gentle,
    /// A strong pull.
    Strong,
}

/// The check the next morning after a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MorningCheck {
    /// Hip pain on getting up, 0–10.
    pub pain: PainScore,
    /// Whether the hip is stiffer than usual.
    pub stiffer_than_usual: bool,
}

impl MorningCheck {
    /// Points above baseline that count as a real worsening (about the smallest change in pain
    /// that matters, Farrar 2001).
    pub const WORSE_BY: u16 = 2;

    /// Whether the session left the hip worse: pain at least 2 points above that day's
    /// baseline, or stiffer than usual. Either drops the exercises one level.
    pub fn is_worse_than(&self, baseline: PainScore) -> bool {
        self.stiffer_than_usual || self.pain.get() >= baseline.get() + Self::WORSE_BY
    }

    /// Whether the morning "stayed green": not worse, and the pain green or no higher than the
    /// baseline (so someone with a steady ache of 3 is not locked out of progress).
    pub fn is_green(&self, baseline: PainScore) -> bool {
        !self.is_worse_than(baseline) && (TrafficLight::of(self.pain) == TrafficLight::Green || self.pain <= baseline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn score(value: i64) -> PainScore {
        PainScore::new(value).unwrap()
    }

    #[rstest]
    #[case(0, TrafficLight::Green)]
    #[case(2, TrafficLight::Green)]
    #[case(3, TrafficLight::Amber)]
    #[case(5, TrafficLight::Amber)]
    #[case(6, TrafficLight::Red)]
    #[case(10, TrafficLight::Red)]
    fn scores_map_to_the_traffic_light(#[case] value: i64, #[case] light: TrafficLight) {
        assert_eq!(TrafficLight::of(score(value)), light);
    }

    #[rstest]
    #[case(PainQuality::Sharp)]
    #[case(PainQuality::Pinching)]
    #[case(PainQuality::Catching)]
    #[case(PainQuality::Locking)]
    #[case(PainQuality::Tingling)]
    fn any_worrying_kind_of_pain_is_red_even_at_a_low_score(#[case] quality: PainQuality) {
        let check = PainCheck { during: score(1), qualities: [quality].into(), side: None };
        assert_eq!(check.light(), TrafficLight::Red);
    }

    #[rstest]
    #[case(1, 3, false, true)]
    #[case(1, 2, false, false)]
    #[case(0, 0, true, true)]
    #[case(3, 4, false, false)]
    fn next_morning_is_worse_at_two_points_or_more_stiffness(
        #[case] baseline: i64,
        #[case] morning: i64,
        #[case] stiffer: bool,
        #[case] worse: bool,
    ) {
        let check = MorningCheck { pain: score(morning), stiffer_than_usual: stiffer };
        assert_eq!(check.is_worse_than(score(baseline)), worse);
    }

    #[test]
    fn a_steady_ache_at_baseline_still_counts_as_a_green_morning() {
        let check = MorningCheck { pain: score(3), stiffer_than_usual: false };
        assert!(check.is_green(score(3)));
        assert!(!check.is_green(score(1)));
    }
}
