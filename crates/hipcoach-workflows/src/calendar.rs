//! Calendar dates at the edge, day numbers inside.
//!
//! The core never reads a clock and counts time in [`Day`] numbers. This is the one place that
//! says what they mean, for both front ends: **day N is N days after 2020-01-01** (so
//! 2020-01-01 is day 0). Day numbers are stored inside plan documents, so the epoch never
//! changes. Today is the local calendar date, or an override (`--today` / `HIPCOACH_TODAY`, for
//! tests, demos and entering something late).

use chrono::{Datelike, Days, NaiveDate};
use hipcoach_core::units::Day;

/// Day 0.
pub const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(2020, 1, 1) {
    Some(date) => date,
    None => panic!("2020-01-01 is a date"),
};

/// The date, as the core's day number; dates before the epoch become day 0.
pub fn day_of(date: NaiveDate) -> Day {
    Day::new(u32::try_from(date.signed_duration_since(EPOCH).num_days()).unwrap_or(0))
}

/// The date a day number stands for.
pub fn date_of(day: Day) -> NaiveDate {
    EPOCH.checked_add_days(Days::new(u64::from(day.get()))).unwrap_or(EPOCH)
}

/// Today: the given override, else the local date.
pub fn today(overridden: Option<NaiveDate>) -> NaiveDate {
    overridden.unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// The Monday the date's week starts on.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// A date as people read it: "Mon 3 Mar 2025".
pub fn words(date: NaiveDate) -> String {
    date.format("%a %-d %b %Y").to_string()
}

/// Rewrites the core's "day 1890" in a sentence as the date it stands for ("Mon 3 Mar 2025").
pub fn dated(sentence: &str) -> String {
    let mut out = String::with_capacity(sentence.len());
    let mut rest = sentence;
    while let Some(at) = rest.find("day ") {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let after = &from[4..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        let word_start = before.chars().last().is_none_or(|c| !c.is_alphanumeric());
        match after[..digits].parse::<u32>() {
            Ok(number) if word_start && digits > 0 => out.push_str(&words(date_of(Day::new(number)))),
            _ => {
                out.push_str("day ");
                rest = after;
                continue;
            }
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// How old a record kept on a device may be when it arrives: a phone left offline for weeks
/// still gets its records in, but a date from another year is a broken clock.
const OLDEST_KEPT_DAYS: u64 = 90;

/// The day a record kept on a device belongs to (`what`: "session", "reading"): the device's
/// own day, except that a day after the server's today (a phone in a time zone ahead) is today,
/// and a day older than [`OLDEST_KEPT_DAYS`] is refused.
pub fn kept_day(day: Option<NaiveDate>, today: NaiveDate, what: &str) -> crate::error::Result<NaiveDate> {
    let Some(day) = day.filter(|day| *day < today) else { return Ok(today) };
    let oldest = today.checked_sub_days(Days::new(OLDEST_KEPT_DAYS)).unwrap_or(today);
    if day < oldest {
        return Err(crate::error::WorkflowError::invalid(
            "day",
            format!(
                "this {what} is dated {}, more than {OLDEST_KEPT_DAYS} days ago; check the device's date",
                words(day)
            ),
        ));
    }
    Ok(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn days_count_from_the_first_of_january_2020() {
        assert_eq!(day_of(date(2020, 1, 1)), Day::new(0));
        assert_eq!(day_of(date(2021, 1, 1)), Day::new(366));
        assert_eq!(date_of(day_of(date(2025, 3, 3))), date(2025, 3, 3));
        assert_eq!(day_of(date(2019, 12, 31)), Day::new(0));
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_start(date(2025, 3, 9)), date(2025, 3, 3));
        assert_eq!(week_start(date(2025, 3, 3)), date(2025, 3, 3));
    }

    #[test]
    fn sentences_show_dates_instead_of_day_numbers() {
        let day = day_of(date(2025, 3, 3));
        assert_eq!(dated(&format!("hip pain was 4/10 on {day}.")), "hip pain was 4/10 on Mon 3 Mar 2025.");
        assert_eq!(dated("every day counts; Sunday 5"), "every day counts; Sunday 5");
    }
}
