//! Each starting position's stick figure ([`hipcoach_workflows::figure`]) as inline SVG: no
//! image files, no external host, and it scales to any screen.

use hipcoach_core::catalog::Position;
use hipcoach_workflows::figure::{self, BOX, Figure, HEAD_RADIUS};
use maud::{Markup, html};

/// A figure for the position, with a text alternative for screen readers.
pub fn position(position: Position) -> Markup {
    let Figure { head, limbs, props } = figure::of(position);
    let label = Figure::alt_text(position);
    html! {
        svg.figure viewBox={ "0 0 " (BOX.0) " " (BOX.1) } role="img" aria-label=(label) {
            title { (label) }
            @for (set, class) in [(props, "prop"), (limbs, "limb")] {
                @for [x1, y1, x2, y2] in set {
                    line class=(class) x1=(x1) y1=(y1) x2=(x2) y2=(y2) {}
                }
            }
            circle.head cx=(head.0) cy=(head.1) r=(HEAD_RADIUS) {}
        }
    }
}
