//! Time spent near the end of the range: the hold of an end-range rep or a stretch.
//!
//! A hold is time within a tolerance of the user's comfortable end range. Short gaps (a few
//! dropped frames, a blink of "cannot measure") do not end it, because the person did not stop
//! holding; a long gap does, because then nobody knows.

use super::Degrees;
use serde::{Deserialize, Serialize};

/// One completed hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hold {
    /// First frame near end range, ms.
    pub start_ms: i64,
    /// Last frame near end range, ms.
    pub end_ms: i64,
}

impl Hold {
    /// How long it lasted, ms.
    pub fn duration_ms(&self) -> i64 {
        self.end_ms - self.start_ms
    }
}

/// Finds holds in the angle stream.
#[derive(Debug, Clone, PartialEq)]
pub struct HoldTracker {
    threshold: f64,
    max_gap_ms: i64,
    min_hold_ms: i64,
    current: Option<Hold>,
}

impl HoldTracker {
    /// Holds within `tolerance` of `end_range`; gaps up to 300 ms bridged; holds under 500 ms
    /// ignored (that is a turn, not a hold).
    pub fn new(end_range: Degrees, tolerance: Degrees) -> Self {
        Self {
            threshold: end_range.get().abs() - tolerance.get().abs(),
            max_gap_ms: 300,
            min_hold_ms: 500,
            current: None,
        }
    }

    /// The hold under way at `t_ms`, if any, so far.
    pub fn current(&self) -> Option<Hold> {
        self.current
    }

    /// Feeds one frame (`None` when it could not be measured); returns a hold that just ended.
    pub fn update(&mut self, t_ms: i64, angle: Option<Degrees>) -> Option<Hold> {
        let near_end = angle.is_some_and(|a| a.get() >= self.threshold);
        match (self.current, near_end) {
            (None, true) => {
                self.current = Some(Hold { start_ms: t_ms, end_ms: t_ms });
                None
            }
            (Some(hold), true) => {
                self.current = Some(Hold { end_ms: t_ms, ..hold });
                None
            }
            (Some(hold), false) => {
                // Unmeasured frames wait out the gap; a measured frame below ends the hold.
                if angle.is_some() || t_ms - hold.end_ms > self.max_gap_ms {
                    self.current = None;
                    (hold.duration_ms() >= self.min_hold_ms).then_some(hold)
                } else {
                    None
                }
            }
            (None, false) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(x: f64) -> Degrees {
        Degrees::new(x).unwrap()
    }

    #[test]
    fn a_hold_survives_a_short_dropout_and_ends_when_the_leg_returns() {
        let mut h = HoldTracker::new(d(35.0), d(5.0));
        let mut ended = vec![];
        for i in 0..100 {
            let t = i * 33;
            let angle = match i {
                0..10 => Some(d(10.0)),
                40..45 => None,
                10..70 => Some(d(33.0)),
                _ => Some(d(5.0)),
            };
            ended.extend(h.update(t, angle));
        }
        assert_eq!(ended, vec![Hold { start_ms: 330, end_ms: 69 * 33 }]);
    }

    #[test]
    fn a_brief_touch_is_not_a_hold() {
        let mut h = HoldTracker::new(d(35.0), d(5.0));
        assert_eq!(h.update(0, Some(d(34.0))), None);
        assert_eq!(h.update(100, Some(d(34.0))), None);
        assert_eq!(h.update(200, Some(d(0.0))), None);
    }
}
