//! A decoded video frame: 8-bit RGB, rows top to bottom, no padding.

/// What a crop sees beyond the frame's edge, as MediaPipe pads each model's input: the detector's
/// letterbox is black, the landmark model's crop repeats the edge pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Border {
    /// Zeros.
    Black,
    /// The nearest pixel inside the frame.
    Edge,
}

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

    /// The channel values (0–255) at a pixel; outside the image, black or the nearest edge pixel.
    fn at(&self, x: isize, y: isize, border: Border) -> [f32; 3] {
        let inside = |v: isize, size: usize| v >= 0 && (v as usize) < size;
        let (x, y) = match border {
            Border::Black if !inside(x, self.width) || !inside(y, self.height) => return [0.0; 3],
            _ => (x.clamp(0, self.width as isize - 1) as usize, y.clamp(0, self.height as isize - 1) as usize),
        };
        let i = (y * self.width + x) * 3;
        [f32::from(self.pixels[i]), f32::from(self.pixels[i + 1]), f32::from(self.pixels[i + 2])]
    }

    /// Bilinear sample at a point in pixel coordinates (pixel centres at +0.5).
    pub(crate) fn sample(&self, x: f32, y: f32, border: Border) -> [f32; 3] {
        let (x, y) = (x - 0.5, y - 0.5);
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        // Saturating: a far-off point is simply outside, never an overflow.
        let (x0, y0) = (x0 as isize, y0 as isize);
        let (x1, y1) = (x0.saturating_add(1), y0.saturating_add(1));
        let (a, b, c, d) =
            (self.at(x0, y0, border), self.at(x1, y0, border), self.at(x0, y1, border), self.at(x1, y1, border));
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
    fn samples_between_pixels_and_pads_outside_as_asked() {
        // Two pixels: black then white.
        let image = RgbImage::new(2, 1, vec![0, 0, 0, 255, 255, 255]).unwrap();
        assert_eq!(image.sample(0.5, 0.5, Border::Black), [0.0; 3]);
        assert_eq!(image.sample(1.5, 0.5, Border::Black), [255.0; 3]);
        assert_eq!(image.sample(1.0, 0.5, Border::Black), [127.5; 3]);
        // Half a pixel beyond the right edge fades into a black border, or stays white.
        assert_eq!(image.sample(2.0, 0.5, Border::Black), [127.5; 3]);
        assert_eq!(image.sample(2.0, 0.5, Border::Edge), [255.0; 3]);
        assert_eq!(image.sample(-5.0, -5.0, Border::Black), [0.0; 3]);
        assert_eq!(image.sample(9.0, 3.0, Border::Edge), [255.0; 3]);
        // Nothing overflows, however far off.
        assert_eq!(image.sample(f32::MAX, f32::MIN, Border::Black), [0.0; 3]);
    }
}
