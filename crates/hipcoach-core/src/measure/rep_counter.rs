//! Counting repetitions from the angle stream.
//!
//! A rep is counted when the shin goes out past one threshold and comes back below a lower one.
//! The gap between the two (hysteresis) is far wider than keypoint jitter, so noise near either
//! threshold cannot count twice; frames with no measurement are simply skipped, so dropped
//! frames cannot count or cancel a rep either.

use super::Degrees;
use serde::{Deserialize, Serialize};

/// The two thresholds of the hysteresis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RepThresholds {
    /// Past this the rep has gone out.
    pub out: Degrees,
    /// Back below this the rep is complete.
    pub back: Degrees,
}

impl RepThresholds {
    /// Thresholds for someone whose comfortable end range is `end_range`: out at half of it,
    /// back at a fifth, so even a short rep counts and a still leg does not.
    pub fn for_end_range(end_range: Degrees) -> Self {
        let end = end_range.get().abs().max(10.0);
        Self { out: Degrees::of_clamped(0.5 * end), back: Degrees::of_clamped(0.2 * end) }
    }
}

impl Default for RepThresholds {
    fn default() -> Self {
        Self::for_end_range(Degrees::of(35.0))
    }
}

/// One completed repetition.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rep {
    /// When the shin last left the start zone, ms.
    pub started_ms: i64,
    /// When it was furthest out, ms.
    pub peak_ms: i64,
    /// When it came back, ms.
    pub ended_ms: i64,
    /// The furthest angle reached.
    pub peak: Degrees,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    AtStart,
    Out { started_ms: i64, peak_ms: i64, peak: f64 },
}

/// Counts reps from successive angles.
#[derive(Debug, Clone, PartialEq)]
pub struct RepCounter {
    thresholds: RepThresholds,
    phase: Phase,
    last_at_start_ms: Option<i64>,
    /// Measured frames in a row past the threshold that would change the phase.
    crossing: u8,
    count: u32,
}

/// Frames in a row a crossing must last.
const CONFIRM_FRAMES: u8 = 2;

impl RepCounter {
    /// A counter at zero, with the leg at the start.
    pub fn new(thresholds: RepThresholds) -> Self {
        Self { thresholds, phase: Phase::AtStart, last_at_start_ms: None, crossing: 0, count: 0 }
    }

    /// Reps completed so far.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// Whether a rep has gone out and not yet come back.
    pub fn is_out(&self) -> bool {
        matches!(self.phase, Phase::Out { .. })
    }

    /// Feeds one measured angle; returns the rep it completes, if any.
    pub fn update(&mut self, t_ms: i64, angle: Degrees) -> Option<Rep> {
        let a = angle.get();
        match self.phase {
            Phase::AtStart => {
                if a > self.thresholds.out.get() {
                    self.crossing += 1;
                    if self.crossing >= CONFIRM_FRAMES {
                        self.crossing = 0;
                        let started_ms = self.last_at_start_ms.unwrap_or(t_ms);
                        self.phase = Phase::Out { started_ms, peak_ms: t_ms, peak: a };
                    }
                } else {
                    self.crossing = 0;
                    if a < self.thresholds.back.get() {
                        self.last_at_start_ms = Some(t_ms);
                    }
                }
                None
            }
            Phase::Out { started_ms, peak_ms, peak } => {
                self.crossing = if a < self.thresholds.back.get() { self.crossing + 1 } else { 0 };
                if self.crossing >= CONFIRM_FRAMES {
                    self.crossing = 0;
                    self.phase = Phase::AtStart;
                    self.last_at_start_ms = Some(t_ms);
                    self.count += 1;
                    Some(Rep { started_ms, peak_ms, ended_ms: t_ms, peak: Degrees::of_clamped(peak) })
                } else {
                    if a > peak {
                        self.phase = Phase::Out { started_ms, peak_ms: t_ms, peak: a };
                    }
                    None
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(x: f64) -> Degrees {
        Degrees::new(x).unwrap()
    }

    #[test]
    fn counts_a_rep_on_the_way_back_with_its_peak() {
        let mut c = RepCounter::new(RepThresholds::default());
        let angles = [0.0, 10.0, 20.0, 30.0, 34.0, 30.0, 20.0, 10.0, 5.0, 0.0, 0.0];
        let reps: Vec<Rep> = angles.iter().enumerate().filter_map(|(i, a)| c.update(i as i64 * 100, d(*a))).collect();
        assert_eq!(reps.len(), 1);
        assert_eq!((reps[0].started_ms, reps[0].peak_ms, reps[0].ended_ms, reps[0].peak.get()), (0, 400, 900, 34.0));
    }

    #[test]
    fn a_single_wrong_frame_neither_starts_nor_ends_a_rep() {
        let mut c = RepCounter::new(RepThresholds::default());
        for (i, a) in [0.0, 30.0, 0.0, 0.0, 30.0, 30.0, 2.0, 30.0, 30.0].iter().enumerate() {
            assert_eq!(c.update(i as i64 * 33, d(*a)), None);
        }
        assert_eq!(c.count(), 0);
    }

    proptest! {
        #[test]
        fn jitter_inside_the_band_never_counts(noise in proptest::collection::vec(-3.0..3.0f64, 1..300), level in 9.0..15.0f64) {
            let mut c = RepCounter::new(RepThresholds::default());
            for (i, n) in noise.iter().enumerate() {
                c.update(i as i64 * 33, d(level + n));
            }
            prop_assert_eq!(c.count(), 0);
        }
    }
}
