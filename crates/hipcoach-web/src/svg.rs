//! What the server-drawn SVG charts share.

/// A coordinate, to a tenth of a unit: finer is invisible and only makes the page heavier.
pub fn px(value: f64) -> String {
    format!("{value:.1}")
}
