//! The square of the image a model looks at: where the person is, how large, and how turned.
//!
//! MediaPipe's BlazePose finds the person with two points, the middle of the hips and a point
//! that fixes the body's size and direction, and crops a square around them turned so the body
//! stands upright in the crop. Both the detector's first guess and each next frame's crop (from
//! the landmark model's own two alignment points) go through [`Region::aligned`].

use crate::image::{Border, RgbImage};

/// How much larger than the alignment circle the crop is, as MediaPipe does (1.25).
const MARGIN: f32 = 1.25;

/// A point in image pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// From the left edge.
    pub x: f32,
    /// From the top edge.
    pub y: f32,
}

/// A square in the image, in pixels, turned by `rotation` radians (clockwise on screen, since y
/// points down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    /// The square's centre.
    pub centre: Point,
    /// Its side.
    pub size: f32,
    /// Its turn.
    pub rotation: f32,
}

impl Region {
    /// The crop around a body whose hip centre is `centre` and whose size and direction `towards`
    /// gives: twice their distance, enlarged by the margin, turned so that `towards` lies straight
    /// above the centre.
    pub fn aligned(centre: Point, towards: Point) -> Self {
        let (dx, dy) = (towards.x - centre.x, towards.y - centre.y);
        let rotation = normalise(std::f32::consts::FRAC_PI_2 - (-dy).atan2(dx));
        Self { centre, size: 2.0 * dx.hypot(dy) * MARGIN, rotation }
    }

    /// Where a point of the crop, in the crop's own 0–1 coordinates, lies in the image.
    pub fn to_image(&self, u: f32, v: f32) -> Point {
        let (sin, cos) = self.rotation.sin_cos();
        let (a, b) = ((u - 0.5) * self.size, (v - 0.5) * self.size);
        Point { x: self.centre.x + cos * a - sin * b, y: self.centre.y + sin * a + cos * b }
    }

    /// Whether the square can be cropped from `image`: finite, at least a few pixels across, no
    /// larger than four times the frame, and centred within a frame's size of it.
    pub fn is_usable(&self, image: &RgbImage) -> bool {
        let (w, h) = (image.width() as f32, image.height() as f32);
        let longest = w.max(h);
        self.rotation.is_finite()
            && (8.0..=4.0 * longest).contains(&self.size)
            && (-w..=2.0 * w).contains(&self.centre.x)
            && (-h..=2.0 * h).contains(&self.centre.y)
    }

    /// The crop resampled to `side × side`, channels last, each value mapped from 0–255 to
    /// `range`, padded beyond the frame as `border` says.
    pub fn crop(&self, image: &RgbImage, side: usize, range: (f32, f32), border: Border, out: &mut [f32]) {
        debug_assert_eq!(out.len(), side * side * 3);
        let scale = (range.1 - range.0) / 255.0;
        let step = 1.0 / side as f32;
        // One step along a crop row and down a crop column, in image pixels.
        let (sin, cos) = self.rotation.sin_cos();
        let pixel = self.size * step;
        let (across, down) = ((cos * pixel, sin * pixel), (-sin * pixel, cos * pixel));
        let first = self.to_image(0.5 * step, 0.5 * step);
        for (row, line) in out.chunks_exact_mut(side * 3).enumerate() {
            let (mut x, mut y) = (first.x + down.0 * row as f32, first.y + down.1 * row as f32);
            for value in line.chunks_exact_mut(3) {
                let rgb = image.sample(x, y, border);
                for k in 0..3 {
                    value[k] = rgb[k] * scale + range.0;
                }
                x += across.0;
                y += across.1;
            }
        }
    }
}

/// An angle brought into −π..π.
fn normalise(angle: f32) -> f32 {
    let tau = std::f32::consts::TAU;
    angle - tau * ((angle + std::f32::consts::PI) / tau).floor()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn an_upright_body_gives_an_unturned_square() {
        let region = Region::aligned(Point { x: 100.0, y: 200.0 }, Point { x: 100.0, y: 120.0 });
        assert!(close(region.rotation, 0.0));
        assert!(close(region.size, 200.0));
        let top_left = region.to_image(0.0, 0.0);
        assert!(close(top_left.x, 0.0) && close(top_left.y, 100.0));
    }

    #[test]
    fn a_body_lying_to_the_right_turns_the_square_so_the_head_is_up_in_the_crop() {
        // Head to the right of the hips: the crop's "up" (v = 0) must point right in the image.
        let region = Region::aligned(Point { x: 100.0, y: 100.0 }, Point { x: 150.0, y: 100.0 });
        let up = region.to_image(0.5, 0.0);
        assert!(close(up.x, 100.0 + region.size / 2.0) && close(up.y, 100.0), "{up:?}");
    }

    #[test]
    fn crops_the_right_pixels() {
        // A 4×4 image, white in its top-left quarter only.
        let mut pixels = vec![0u8; 4 * 4 * 3];
        for (x, y) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            pixels[(y * 4 + x) * 3..][..3].fill(255);
        }
        let image = RgbImage::new(4, 4, pixels).unwrap();
        let region = Region { centre: Point { x: 2.0, y: 2.0 }, size: 4.0, rotation: 0.0 };
        let mut out = vec![0.0; 4 * 4 * 3];
        region.crop(&image, 4, (0.0, 1.0), Border::Black, &mut out);
        assert_eq!(out[0], 1.0);
        assert_eq!(out[(3 * 4 + 3) * 3], 0.0);
        // Turned half a turn, the white quarter lands bottom right.
        let turned = Region { rotation: std::f32::consts::PI, ..region };
        turned.crop(&image, 4, (-1.0, 1.0), Border::Black, &mut out);
        assert!(close(out[(3 * 4 + 3) * 3], 1.0) && close(out[0], -1.0));
    }

    #[test]
    fn angles_wrap_into_one_turn() {
        assert!(close(normalise(2.5 * std::f32::consts::PI), 0.5 * std::f32::consts::PI));
        assert!(close(normalise(-0.5), -0.5));
        let image = RgbImage::new(100, 50, vec![0; 100 * 50 * 3]).unwrap();
        assert!(Region { centre: Point { x: 50.0, y: 25.0 }, size: 50.0, rotation: 0.0 }.is_usable(&image));
        assert!(!Region { centre: Point { x: f32::NAN, y: 0.0 }, size: 50.0, rotation: 0.0 }.is_usable(&image));
        assert!(!Region { centre: Point { x: 50.0, y: 25.0 }, size: 1e9, rotation: 0.0 }.is_usable(&image));
        assert!(!Region { centre: Point { x: 50.0, y: 25.0 }, size: 4.0, rotation: 0.0 }.is_usable(&image));
    }
}
