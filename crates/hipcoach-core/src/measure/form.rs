//! Form flags from the angle stream: too fast, jerky, or past the comfortable range.
//!
//! End-range rotation is done slowly (about 2 s out, 2 s back) and never forced: speed is
//! checked over 200 ms windows so single-frame jitter cannot trip it; jerkiness is several
//! direction changes of 3° or more within 1.5 s; going past the user's comfortable range by more
//! than a margin is flagged because end range near bone must never be pushed. Each flag is
//! raised at most once a second.

use super::Degrees;
use serde::{Deserialize, Serialize};

/// Limits for the flags.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormLimits {
    /// Fastest acceptable rotation, degrees per second.
    pub max_speed_deg_per_s: f64,
    /// The user's comfortable end range.
    pub comfortable_end: Degrees,
    /// How far past it counts as over-rotating.
    pub over_by: Degrees,
}

impl FormLimits {
    /// Defaults for a comfortable end range: 45°/s is more than twice the prescribed tempo.
    pub fn for_end_range(comfortable_end: Degrees) -> Self {
        Self { max_speed_deg_per_s: 45.0, comfortable_end, over_by: Degrees::of(5.0) }
    }
}

/// A form problem worth a cue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case", tag = "flag")]
pub enum FormFlag {
    /// Moving faster than the tempo allows.
    TooFast {
        /// Measured speed, degrees per second.
        speed_deg_per_s: f64,
    },
    /// Several back-and-forth changes in a short time: bouncing.
    Jerky,
    /// Beyond the comfortable range.
    PastComfortableRange {
        /// The angle reached.
        angle: Degrees,
    },
}

impl FormFlag {
    fn kind(&self) -> usize {
        match self {
            FormFlag::TooFast { .. } => 0,
            FormFlag::Jerky => 1,
            FormFlag::PastComfortableRange { .. } => 2,
        }
    }

    /// The cue, in plain words.
    pub fn cue(&self) -> &'static str {
        match self {
            FormFlag::TooFast { .. } => "slower: about two seconds out and two back",
            FormFlag::Jerky => "smooth and steady, no bouncing",
            FormFlag::PastComfortableRange { .. } => "that is past your comfortable range: ease back",
        }
    }
}

const REVERSAL_DEG: f64 = 3.0;
const JERK_WINDOW_MS: i64 = 1500;

/// Watches the angle stream and raises form flags.
#[derive(Debug, Clone, PartialEq)]
pub struct FormMonitor {
    limits: FormLimits,
    speed_ref: Option<(i64, f64)>,
    /// The last extreme and the direction moved since (+1 out, −1 back, 0 unknown).
    extreme: Option<(f64, i8)>,
    reversals: [i64; 4],
    reversal_count: usize,
    last_raised: [Option<i64>; 3],
}

impl FormMonitor {
    /// A monitor with no history.
    pub fn new(limits: FormLimits) -> Self {
        Self { limits, speed_ref: None, extreme: None, reversals: [0; 4], reversal_count: 0, last_raised: [None; 3] }
    }

    /// Feeds one (smoothed) angle; returns the flags raised at this frame.
    pub fn update(&mut self, t_ms: i64, angle: Degrees) -> Vec<FormFlag> {
        let a = angle.get();
        let mut flags = Vec::new();
        if a > self.limits.comfortable_end.get() + self.limits.over_by.get() {
            flags.push(FormFlag::PastComfortableRange { angle });
        }
        match self.speed_ref {
            Some((t0, a0)) if t_ms - t0 >= 200 => {
                let speed = (a - a0).abs() * 1000.0 / (t_ms - t0) as f64;
                if speed > self.limits.max_speed_deg_per_s {
                    flags.push(FormFlag::TooFast { speed_deg_per_s: speed });
                }
                self.speed_ref = Some((t_ms, a));
            }
            Some((t0, _)) if t_ms < t0 => self.speed_ref = Some((t_ms, a)),
            Some(_) => {}
            None => self.speed_ref = Some((t_ms, a)),
        }
        if self.reversed(t_ms, a) {
            let recent = self.reversals.iter().take(self.reversal_count).filter(|&&r| t_ms - r <= JERK_WINDOW_MS);
            if recent.count() >= 3 {
                flags.push(FormFlag::Jerky);
            }
        }
        flags.retain(|f| {
            let k = f.kind();
            let fresh = self.last_raised[k].is_none_or(|last| t_ms - last >= 1000 || t_ms < last);
            if fresh {
                self.last_raised[k] = Some(t_ms);
            }
            fresh
        });
        flags
    }

    /// Tracks direction changes of at least `REVERSAL_DEG`; true when one happens now.
    fn reversed(&mut self, t_ms: i64, a: f64) -> bool {
        let Some((ext, dir)) = self.extreme else {
            self.extreme = Some((a, 0));
            return false;
        };
        let moved = a - ext;
        let (new_ext, new_dir, reversal) = match dir {
            0 if moved.abs() >= REVERSAL_DEG => (a, moved.signum() as i8, false),
            0 => (ext, 0, false),
            d if f64::from(d) * moved > 0.0 => (a, d, false),
            d if -f64::from(d) * moved >= REVERSAL_DEG => (a, -d, true),
            d => (ext, d, false),
        };
        self.extreme = Some((new_ext, new_dir));
        if reversal {
            self.reversals.rotate_right(1);
            self.reversals[0] = t_ms;
            self.reversal_count = (self.reversal_count + 1).min(self.reversals.len());
        }
        reversal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(x: f64) -> Degrees {
        Degrees::new(x).unwrap()
    }

    fn run(angles: impl Iterator<Item = (i64, f64)>) -> Vec<FormFlag> {
        let mut m = FormMonitor::new(FormLimits::for_end_range(d(35.0)));
        angles.flat_map(|(t, a)| m.update(t, d(a))).collect()
    }

    #[test]
    fn a_slow_rep_raises_nothing() {
        // 0 → 35° in 2 s, hold 1 s, back in 2 s, at 30 fps.
        let flags = run((0..150).map(|i| {
            let t = i * 33;
            let s = t as f64 / 1000.0;
            let a = if s < 2.0 {
                17.5 * s
            } else if s < 3.0 {
                35.0
            } else {
                (35.0 - 17.5 * (s - 3.0)).max(0.0)
            };
            (t, a)
        }));
        assert!(flags.is_empty(), "{flags:?}");
    }

    #[test]
    fn a_flick_is_too_fast_and_bouncing_is_jerky() {
        let flick = run((0..30).map(|i| (i * 33, (i as f64 * 5.0).min(35.0))));
        assert!(flick.iter().any(|f| matches!(f, FormFlag::TooFast { .. })));
        let bounce = run((0..60).map(|i| (i * 33, 25.0 + if (i / 4) % 2 == 0 { 4.0 } else { -4.0 })));
        assert!(bounce.contains(&FormFlag::Jerky));
    }

    #[test]
    fn going_past_the_comfortable_range_is_flagged_once_a_second() {
        let flags = run((0..30).map(|i| (i * 33, 42.0)));
        let over = flags.iter().filter(|f| matches!(f, FormFlag::PastComfortableRange { .. })).count();
        assert_eq!(over, 1);
    }
}
