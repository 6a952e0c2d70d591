//! A countdown readable from a mat two metres away: digits five rows tall.

const DIGITS: [[&str; 5]; 11] = [
    ["█████", "█   █", "█   █", "█   █", "█████"],
    ["   █ ", "  ██ ", "   █ ", "   █ ", "  ███"],
    ["█████", "    █", "█████", "█    ", "█████"],
    ["█████", "    █", " ████", "    █", "█████"],
    ["█   █", "█   █", "█████", "    █", "    █"],
    ["█████", "█    ", "█████", "    █", "█████"],
    ["█████", "█    ", "█████", "█   █", "█████"],
    ["█████", "    █", "   █ ", "  █  ", "  █  "],
    ["█████", "█   █", "█████", "█   █", "█████"],
    ["█████", "█   █", "█████", "    █", "█████"],
    ["     ", "  █  ", "     ", "  █  ", "     "],
];

/// Five lines spelling `text` (digits and `:`) in block characters.
pub fn render(text: &str) -> [String; 5] {
    let mut rows: [String; 5] = Default::default();
    for ch in text.chars() {
        let glyph = match ch {
            '0'..='9' => &DIGITS[ch as usize - '0' as usize],
            ':' => &DIGITS[10],
            _ => continue,
        };
        for (row, part) in rows.iter_mut().zip(glyph) {
            row.push_str(part);
            row.push_str("  ");
        }
    }
    rows.map(|row| row.trim_end().to_owned())
}

/// Seconds left as the countdown shows them: `45`, or `1:05` past a minute. Rounds up, so the
/// display reaches 0 exactly when the step ends.
pub fn clock(remaining_ms: u64) -> String {
    let seconds = remaining_ms.div_ceil(1000);
    if seconds >= 60 { format!("{}:{:02}", seconds / 60, seconds % 60) } else { seconds.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_rounds_up_and_shows_minutes_past_sixty_seconds() {
        assert_eq!(clock(29_001), "30");
        assert_eq!(clock(30_000), "30");
        assert_eq!(clock(0), "0");
        assert_eq!(clock(65_000), "1:05");
    }

    #[test]
    fn digits_are_five_rows_of_equal_width_glyphs() {
        let rows = render("12");
        assert!(rows.iter().all(|r| r.chars().count() <= 12));
        assert_eq!(rows[4], "  ███  █████");
    }
}
