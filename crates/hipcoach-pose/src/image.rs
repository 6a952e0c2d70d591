//! A decoded video frame: 8-bit RGB, rows top to bottom, no padding.

/// One frame's pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbImage {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl RgbImage {
    /// Wraps `width × height × 3` bytes; `None` when the length does not match or a side is 0.
    pub fn new(width: usize, height: usize, pixels: Vec<u8>) -> Option<Self> {
        (width > 0 && height > 0 && width.checked_mul(height)?.checked_mul(3)? == pixels.len()).then_some(Self {
            width,
            height,
            pixels,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The channel values (0–255) at a pixel, or black outside the image: the models were
    /// trained on crops padded with zeros.
    fn at(&self, x: isize, y: isize) -> [f32; 3] {
        if x < 0 || y < 0 || x as usize >= self.width || y as usize >= self.height {
            return [0.0; 3];
        }
        let i = (y as usize * self.width + x as usize) * 3;
        [f32::from(self.pixels[i]), f32::from(self.pixels[i + 1]), f32::from(self.pixels[i + 2])]
    }

    /// Bilinear sample at a point in pixel coordinates (pixel centres at +0.5).
    pub(crate) fn sample(&self, x: f32, y: f32) -> [f32; 3] {
        let (x, y) = (x - 0.5, y - 0.5);
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let (x0, y0) = (x0 as isize, y0 as isize);
        let (a, b, c, d) = (self.at(x0, y0), self.at(x0 + 1, y0), self.at(x0, y0 + 1), self.at(x0 + 1, y0 + 1));
        std::array::from_fn(|k| {
            let top = a[k] + (b[k] - a[k]) * fx;
            let bottom = c[k] + (d[k] - c[k]) * fx;
            top + (bottom - top) * fy
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_buffer_of_the_wrong_length() {
        assert!(RgbImage::new(2, 2, vec![0; 11]).is_none());
        assert!(RgbImage::new(0, 2, vec![]).is_none());
        assert!(RgbImage::new(2, 2, vec![0; 12]).is_some());
    }

    #[test]
    fn samples_between_pixels_and_black_outside() {
        // Two pixels: black then white.
        let image = RgbImage::new(2, 1, vec![0, 0, 0, 255, 255, 255]).unwrap();
        assert_eq!(image.sample(0.5, 0.5), [0.0; 3]);
        assert_eq!(image.sample(1.5, 0.5), [255.0; 3]);
        assert_eq!(image.sample(1.0, 0.5), [127.5; 3]);
        // Half a pixel beyond the right edge fades into the black border.
        assert_eq!(image.sample(2.0, 0.5), [127.5; 3]);
        assert_eq!(image.sample(-5.0, -5.0), [0.0; 3]);
    }
}
