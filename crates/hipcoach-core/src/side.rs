//! Which leg. Hip rotation is measured, trained and compared per side, and sides differ in most
//! people, so every reading and every dose carries one.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The person's own left or right (not the left or right of a camera image).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The person's left leg.
    Left,
    /// The person's right leg.
    Right,
}

impl Side {
    /// Both sides, left first, for loops that treat each leg in turn.
    pub const BOTH: [Side; 2] = [Side::Left, Side::Right];

    /// The other leg.
    pub fn other(self) -> Side {
        match self {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Left => "left",
            Side::Right => "right",
        })
    }
}
