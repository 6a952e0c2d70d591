//! Simple figures of each starting position, drawn as inline SVG: no image files, no external
//! host, and they scale to any screen. A stick figure is enough to show where the body starts.

use hipcoach_core::catalog::Position;
use maud::{Markup, html};

/// A line from (x1, y1) to (x2, y2) in a 160 × 112 box.
type Line = [u16; 4];

/// A figure for the position, with a text alternative for screen readers.
pub fn position(position: Position) -> Markup {
    // Each figure: head centre, body lines, then props (chair, table, floor) as lines.
    let (head, limbs, props): ((u16, u16), &[Line], &[Line]) = match position {
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
    let label = position.label();
    html! {
        svg.figure viewBox="0 0 160 112" role="img" aria-label={ "Starting position: " (label) } {
            title { "Starting position: " (label) }
            @for (set, class) in [(props, "prop"), (limbs, "limb")] {
                @for [x1, y1, x2, y2] in set {
                    line class=(class) x1=(x1) y1=(y1) x2=(x2) y2=(y2) {}
                }
            }
            circle.head cx=(head.0) cy=(head.1) r="9" {}
        }
    }
}
