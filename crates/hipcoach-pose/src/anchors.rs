//! The detector's anchor grid: where on the 224×224 input each of its 2,254 guesses is centred.
//!
//! BlazePose's detector is an SSD network; MediaPipe describes its anchors with five layers of
//! strides 8, 16, 32, 32, 32, one aspect ratio plus one interpolated scale per layer, and a fixed
//! anchor size, so only the centres matter: two per cell of the 28×28 grid, two per layer on the
//! 14×14 grid (one layer) and on the 7×7 grid (three layers of the same stride together).

/// The detector's input side, in pixels.
pub const INPUT: usize = 224;
/// Each layer's stride.
const STRIDES: [usize; 5] = [8, 16, 32, 32, 32];
/// Anchors per grid cell per layer: the aspect ratio 1 and the interpolated scale.
const PER_LAYER: usize = 2;

/// The centres, in 0–1 coordinates of the input, in the order of the detector's outputs.
pub fn centres() -> Vec<(f32, f32)> {
    let mut out = Vec::with_capacity(2254);
    let mut layer = 0;
    while layer < STRIDES.len() {
        let stride = STRIDES[layer];
        // Consecutive layers with one stride share one grid, their anchors interleaved per cell.
        let same = STRIDES[layer..].iter().take_while(|s| **s == stride).count();
        let cells = INPUT.div_ceil(stride);
        for y in 0..cells {
            for x in 0..cells {
                let centre = ((x as f32 + 0.5) / cells as f32, (y as f32 + 0.5) / cells as f32);
                out.extend(std::iter::repeat_n(centre, same * PER_LAYER));
            }
        }
        layer += same;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_as_many_anchors_as_the_detector_has_outputs() {
        let anchors = centres();
        assert_eq!(anchors.len(), 2254);
        assert_eq!(anchors[0], (0.5 / 28.0, 0.5 / 28.0));
        assert_eq!(anchors[1], anchors[0]);
        assert_eq!(anchors[2], (1.5 / 28.0, 0.5 / 28.0));
        assert_eq!(anchors[1568], (0.5 / 14.0, 0.5 / 14.0));
        assert_eq!(anchors[2253], (6.5 / 7.0, 6.5 / 7.0));
        // The three 7×7 layers share each cell: six anchors in a row at one centre.
        assert!(anchors[1960..1966].iter().all(|a| *a == anchors[1960]));
    }
}
