//! Adherence: sessions done against sessions planned, week by week, and the streak of weeks
//! that met the plan. What a person (and their physio) looks at to see whether the program is
//! being done, before asking whether it works.

use crate::calendar::week_start;
use chrono::NaiveDate;

/// One week, Monday to Sunday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Week {
    /// Its Monday.
    pub starts: NaiveDate,
    /// Sessions done in it.
    pub done: usize,
    /// Sessions the plan asks for in a week.
    pub planned: usize,
}

impl Week {
    /// Whether the week's sessions were all done.
    pub fn met(&self) -> bool {
        self.done >= self.planned
    }
}

/// The weeks up to this one, oldest first, and the streak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adherence {
    /// From the week of the first session (or `weeks` back, whichever is later) to this week.
    pub weeks: Vec<Week>,
    /// Weeks in a row that met the plan, counting back from last week, and this week too once
    /// it is met (a week still under way does not break a streak).
    pub streak_weeks: usize,
}

/// Adherence over the last `weeks` weeks from the days sessions were done on (at least those in
/// the window), with `planned` sessions a week (the plan as it stands now: hipcoach does not
/// keep each week's old plan). Weeks before `started` (the first session ever) are not shown.
pub fn adherence(
    session_days: &[NaiveDate],
    started: Option<NaiveDate>,
    planned: usize,
    today: NaiveDate,
    weeks: usize,
) -> Adherence {
    let this_week = week_start(today);
    let Some(first) = started.or_else(|| session_days.iter().min().copied()).map(week_start) else {
        return Adherence { weeks: Vec::new(), streak_weeks: 0 };
    };
    let mut shown = Vec::new();
    for back in (0..weeks).rev() {
        let starts = this_week - chrono::Duration::weeks(back as i64);
        if starts < first {
            continue;
        }
        let done = session_days.iter().filter(|d| week_start(**d) == starts).count();
        shown.push(Week { starts, done, planned });
    }
    let mut streak_weeks = 0;
    for (i, week) in shown.iter().rev().enumerate() {
        match (i, week.met()) {
            (_, true) => streak_weeks += 1,
            // This week is still under way: it neither counts nor breaks the streak.
            (0, false) => {}
            (_, false) => break,
        }
    }
    Adherence { weeks: shown, streak_weeks }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    #[test]
    fn weeks_start_with_the_first_session_and_count_what_was_done() {
        // Tue 24 Nov 2026; the first session on Wed 11 Nov.
        let days = [day("2026-11-11"), day("2026-11-13"), day("2026-11-16"), day("2026-11-18"), day("2026-11-20")];
        let a = adherence(&days, None, 3, day("2026-11-24"), 8);
        let done: Vec<usize> = a.weeks.iter().map(|w| w.done).collect();
        assert_eq!(done, vec![2, 3, 0]);
        assert_eq!(a.weeks[0].starts, day("2026-11-09"));
        assert_eq!(a.streak_weeks, 1, "last week met the plan; this week is under way");
    }

    #[test]
    fn a_missed_week_breaks_the_streak_and_a_met_week_this_week_counts() {
        let days = [
            day("2026-11-02"),
            day("2026-11-03"), // 2 of 2 in the week of 2 Nov
            day("2026-11-09"), // 1 of 2
            day("2026-11-16"),
            day("2026-11-17"), // 2 of 2
            day("2026-11-23"),
            day("2026-11-24"), // 2 of 2, this week
        ];
        let a = adherence(&days, None, 2, day("2026-11-24"), 8);
        // Only this window's days are known, but the first session was long before: the
        // missed weeks at the start of the window show, and count.
        let window = adherence(&days[3..], Some(day("2026-11-02")), 2, day("2026-11-24"), 3);
        assert_eq!(window.weeks.iter().map(|w| w.done).collect::<Vec<_>>(), vec![0, 2, 2]);
        assert_eq!(a.streak_weeks, 2);
        assert!(!a.weeks[1].met());
    }

    #[test]
    fn no_sessions_means_no_weeks_and_only_the_window_is_shown() {
        assert_eq!(adherence(&[], None, 3, day("2026-11-24"), 8), Adherence { weeks: Vec::new(), streak_weeks: 0 });
        let a = adherence(&[day("2025-01-01"), day("2026-11-24")], None, 3, day("2026-11-24"), 4);
        assert_eq!(a.weeks.len(), 4);
        assert_eq!(a.streak_weeks, 0, "nothing met, and this week is under way");
    }
}
