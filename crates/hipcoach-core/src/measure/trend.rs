//! Progress in one hip over weeks: the least-squares slope, and whether the change from the
//! first reading to the latest beats the minimal detectable change of the methods used.
//!
//! Dates arrive as day numbers (the core reads no clock). Only one side and one test position
//! are ever mixed in a trend; seated and prone are different tests.

use super::{Degrees, Method, Rater, Reading, TestPosition};
use crate::units::Side;
use serde::{Deserialize, Serialize};

/// A reading and the day it was taken (any fixed day zero; only differences matter).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatedReading {
    /// Day number.
    pub day: i64,
    /// The reading that day.
    pub reading: Reading,
}

/// What the change amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// More rotation than at first, by at least the MDC.
    Improved,
    /// Less rotation than at first, by at least the MDC.
    Worse,
    /// Within measurement noise: not called progress either way.
    NoRealChange,
}

/// One side's progress in one test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trend {
    /// Which leg.
    pub side: Side,
    /// Which test.
    pub position: TestPosition,
    /// How many readings went in.
    pub readings: usize,
    /// The earliest reading's angle.
    pub first: Degrees,
    /// The latest reading's angle.
    pub latest: Degrees,
    /// Least-squares slope, degrees per week; `None` when all readings share a day.
    pub slope_per_week: Option<f64>,
    /// The MDC the first-to-latest change had to beat (the noisier method of the two).
    pub mdc: Degrees,
    /// The verdict.
    pub change: Change,
}

/// Why no trend could be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TrendError {
    /// A trend needs at least two readings of that side and test.
    #[error("need at least two {position} readings of the {side} side, found {found}")]
    TooFewReadings {
        /// Side asked for.
        side: Side,
        /// Test asked for.
        position: TestPosition,
        /// How many matched.
        found: usize,
    },
}

impl Trend {
    /// The trend of `side` in `position`, ignoring readings of other sides and tests.
    pub fn of(
        readings: &[DatedReading],
        side: Side,
        position: TestPosition,
        rater: Rater,
    ) -> Result<Trend, TrendError> {
        let mut mine: Vec<&DatedReading> =
            readings.iter().filter(|r| r.reading.side == side && r.reading.position == position).collect();
        mine.sort_by_key(|r| r.day);
        let (Some(first), Some(latest)) = (mine.first(), mine.last()) else {
            return Err(TrendError::TooFewReadings { side, position, found: 0 });
        };
        if mine.len() < 2 {
            return Err(TrendError::TooFewReadings { side, position, found: mine.len() });
        }
        let points: Vec<(f64, f64)> = mine.iter().map(|r| (r.day as f64 / 7.0, r.reading.angle().get())).collect();
        let mdc = Method::mdc_between(first.reading.method, latest.reading.method, rater);
        let delta = latest.reading.angle().get() - first.reading.angle().get();
        let change = if delta >= mdc.get() {
            Change::Improved
        } else if -delta >= mdc.get() {
            Change::Worse
        } else {
            Change::NoRealChange
        };
        Ok(Trend {
            side,
            position,
            readings: mine.len(),
            first: first.reading.angle(),
            latest: latest.reading.angle(),
            slope_per_week: least_squares_slope(&points),
            mdc,
            change,
        })
    }
}

/// Slope of the least-squares line through `(x, y)` points; `None` when x does not vary.
pub fn least_squares_slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if n < 2.0 {
        return None;
    }
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    (sxx > 1e-12).then(|| sxy / sxx).filter(|s| s.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn at(day: i64, side: Side, method: Method, angle: f64) -> DatedReading {
        DatedReading { day, reading: Reading::single(method, side, TestPosition::Seated, Degrees::new(angle).unwrap()) }
    }

    #[test]
    fn slope_is_degrees_per_week() {
        let rs: Vec<_> = (0..5).map(|w| at(w * 7, Side::Left, Method::Inclinometer, 20.0 + 2.0 * w as f64)).collect();
        let t = Trend::of(&rs, Side::Left, TestPosition::Seated, Rater::Same).unwrap();
        assert!((t.slope_per_week.unwrap() - 2.0).abs() < 1e-9);
        assert_eq!(t.change, Change::Improved);
        assert_eq!((t.first.get(), t.latest.get(), t.readings), (20.0, 28.0, 5));
    }

    #[rstest]
    #[case(Method::Inclinometer, Method::Inclinometer, 25.0, Change::NoRealChange)]
    #[case(Method::Inclinometer, Method::Inclinometer, 26.0, Change::Improved)]
    #[case(Method::Inclinometer, Method::CameraEstimate, 30.0, Change::NoRealChange)]
    #[case(Method::CameraEstimate, Method::CameraEstimate, 34.0, Change::Improved)]
    #[case(Method::Goniometer, Method::Goniometer, 12.0, Change::Worse)]
    fn change_must_beat_the_mdc_of_the_noisier_method(
        #[case] first: Method,
        #[case] latest: Method,
        #[case] latest_angle: f64,
        #[case] change: Change,
    ) {
        let rs = [at(0, Side::Right, first, 20.0), at(30, Side::Right, latest, latest_angle)];
        assert_eq!(Trend::of(&rs, Side::Right, TestPosition::Seated, Rater::Same).unwrap().change, change);
    }

    #[test]
    fn other_side_is_ignored_and_too_few_is_an_error() {
        let rs = [at(0, Side::Right, Method::Goniometer, 20.0), at(3, Side::Left, Method::Goniometer, 40.0)];
        let err = Trend::of(&rs, Side::Left, TestPosition::Seated, Rater::Same).unwrap_err();
        assert_eq!(err, TrendError::TooFewReadings { side: Side::Left, position: TestPosition::Seated, found: 1 });
    }

    #[test]
    fn same_day_readings_have_no_slope() {
        assert_eq!(least_squares_slope(&[(1.0, 2.0), (1.0, 5.0)]), None);
    }
}
