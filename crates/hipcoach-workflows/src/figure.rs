//! A stick figure of each starting position, as lines in a 160 × 112 box (y down). The web page
//! draws it as SVG and the printed handout as PDF paths, so a position looks the same on the
//! screen and on paper. A stick figure is enough to show where the body starts.

use hipcoach_core::catalog::Position;

/// A line from (x1, y1) to (x2, y2).
pub type Line = [u16; 4];

/// Width and height of the box every figure is drawn in.
pub const BOX: (u16, u16) = (160, 112);

/// Radius of the head.
pub const HEAD_RADIUS: u16 = 9;

/// One figure: the head, the body's lines and the props (chair, table, floor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    /// Centre of the head.
    pub head: (u16, u16),
    /// Trunk, arms and legs.
    pub limbs: &'static [Line],
    /// What the body rests on.
    pub props: &'static [Line],
}

impl Figure {
    /// What the figure shows, for screen readers and tagged PDF.
    pub fn alt_text(position: Position) -> String {
        format!("Starting position: {}", position.label())
    }
}

/// The figure for a starting position.
pub fn of(position: Position) -> Figure {
    let (head, limbs, props): ((u16, u16), &'static [Line], &'static [Line]) = match position {
        Position::SeatedChair => (
            (60, 22),
            &[[60, 32, 60, 70], [60, 45, 80, 62], [60, 70, 95, 70], [95, 70, 95, 105]],
            &[[40, 72, 100, 72], [45, 72, 45, 108], [40, 30, 40, 72]],
        ),
        Position::SeatedHigh => (
            (60, 20),
            &[[60, 30, 60, 66], [60, 42, 80, 58], [60, 66, 95, 66], [95, 66, 95, 98]],
            &[[30, 68, 100, 68], [35, 68, 35, 110], [100, 68, 100, 110]],
        ),
        Position::SeatedFloor => (
            (50, 40),
            &[[50, 50, 55, 88], [55, 60, 75, 80], [55, 88, 95, 70], [95, 70, 110, 100]],
            &[[10, 102, 150, 102]],
        ),
        Position::LyingOnBack => (
            (25, 88),
            &[[35, 92, 90, 92], [60, 92, 75, 102], [90, 92, 110, 70], [110, 70, 125, 100]],
            &[[5, 104, 155, 104]],
        ),
        Position::LyingFaceDown => (
            (25, 92),
            &[[35, 94, 100, 94], [45, 94, 30, 100], [100, 94, 120, 94], [120, 94, 120, 60]],
            &[[5, 104, 155, 104]],
        ),
        Position::SideLying => (
            (25, 80),
            &[[35, 86, 85, 92], [45, 88, 40, 100], [85, 92, 110, 70], [110, 70, 130, 95], [85, 92, 112, 78]],
            &[[5, 104, 155, 104]],
        ),
        Position::Standing => (
            (70, 14),
            &[[70, 24, 70, 62], [70, 34, 55, 55], [70, 34, 85, 55], [70, 62, 62, 104], [70, 62, 78, 104]],
            &[[30, 106, 120, 106]],
        ),
        Position::Kneeling => (
            (70, 24),
            &[
                [70, 34, 70, 70],
                [70, 44, 85, 62],
                [70, 70, 95, 72],
                [95, 72, 95, 104],
                [70, 70, 60, 104],
                [60, 104, 35, 104],
            ],
            &[[20, 106, 130, 106]],
        ),
    };
    Figure { head, limbs, props }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_fits_its_box() {
        for position in Position::ALL {
            let figure = of(*position);
            for [x1, y1, x2, y2] in figure.limbs.iter().chain(figure.props) {
                assert!(*x1.max(x2) <= BOX.0 && *y1.max(y2) <= BOX.1, "{position:?}");
            }
            assert!(figure.head.0 >= HEAD_RADIUS && figure.head.1 >= HEAD_RADIUS, "{position:?}");
        }
    }
}
