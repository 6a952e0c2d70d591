//! This week's planned sessions as an iCalendar file (RFC 5545) that any calendar app imports.
//!
//! One `VEVENT` per session of this week, on its planned day (3 sessions: Monday, Wednesday,
//! Friday) at the chosen time in the given time zone, written in UTC so no app has to know the
//! zone's rules, with the session's own exercises and doses in the description. No event
//! repeats: next week's dose may differ, so next week's export describes next week. Each event's
//! `UID` is its user, date and session number, so importing the file again updates the events
//! instead of adding copies. The format's rules are followed to the letter, because calendar
//! apps are strict: CRLF line endings, lines folded at 75 octets (never inside a UTF-8
//! character), and commas, semicolons, backslashes and newlines escaped in text.

use crate::calendar;
use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use hipcoach_core::program::{WeekPlan, dose_words, session_weekdays};

/// When the sessions go in the calendar: a time of day in a time zone.
#[derive(Debug, Clone, Copy)]
pub struct SessionTime<Tz> {
    /// The time of day each session starts.
    pub at: NaiveTime,
    /// The time zone that time is in.
    pub zone: Tz,
}

/// The calendar for the plan of the week of `today`.
pub fn calendar<Tz: TimeZone>(
    plan: &WeekPlan,
    today: NaiveDate,
    time: &SessionTime<Tz>,
    stamp: NaiveDateTime,
    user: &str,
) -> String {
    let monday = calendar::week_start(today);
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//hipcoach//hipcoach command line//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "X-WR-CALNAME:hipcoach".to_owned(),
    ];
    let days = session_weekdays(plan.sessions.len());
    for (session, offset) in plan.sessions.iter().zip(days) {
        let date = monday.checked_add_days(Days::new(u64::from(*offset))).unwrap_or(monday);
        let minutes = session.estimated_seconds.div_ceil(60).max(1);
        let mut description = format!("Session {} of {}, about {minutes} min:\n", session.number, plan.sessions.len());
        for item in &session.items {
            description.push_str(&format!(
                "- {}: {}, {}\n",
                item.name,
                dose_words(&item.dose),
                crate::wording::sides_words(item)
            ));
        }
        description.push_str("Open hipcoach to be guided through it. Stop at once on sharp pain.");
        let start = starts_at(date, time);
        let end = start + chrono::Duration::minutes(i64::from(minutes));
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!(
                "UID:hipcoach-{}-{}-session-{}@hipcoach.invalid",
                safe(user),
                date.format("%Y%m%d"),
                session.number
            ),
            format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")),
            format!("DTSTART:{}", start.format("%Y%m%dT%H%M%SZ")),
            format!("DTEND:{}", end.format("%Y%m%dT%H%M%SZ")),
            format!("SUMMARY:{}", escape(&format!("Hip session {} of {}", session.number, plan.sessions.len()))),
            format!("DESCRIPTION:{}", escape(&description)),
            "END:VEVENT".to_owned(),
        ]);
    }
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|line| fold(line)).collect()
}

/// The moment a session on `date` starts, in UTC. A time the clocks skip that day (the spring
/// change) moves to the first valid moment after it; a time they pass twice takes the first.
fn starts_at<Tz: TimeZone>(date: NaiveDate, time: &SessionTime<Tz>) -> chrono::DateTime<Utc> {
    let local = date.and_time(time.at);
    (0..=3)
        .find_map(|hours| time.zone.from_local_datetime(&(local + chrono::Duration::hours(hours))).earliest())
        .map_or_else(|| Utc.from_utc_datetime(&local), |moment| moment.with_timezone(&Utc))
}

/// A user name as part of a UID: letters, digits and dashes.
fn safe(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets with CRLF + space (§3.1), ending in CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::FixedOffset;

    /// Unfolds and splits a calendar, checking the line rules on the way.
    pub(crate) fn parse(text: &str) -> Vec<(String, String)> {
        assert!(text.ends_with("\r\n"));
        for physical in text.split("\r\n") {
            assert!(physical.len() <= 75, "a line over 75 octets: {physical}");
            assert!(!physical.contains('\n') && !physical.contains('\r'), "a bare line break");
        }
        let unfolded = text.replace("\r\n ", "");
        unfolded
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (name, value) = l.split_once(':').expect("NAME:VALUE");
                (name.to_owned(), value.to_owned())
            })
            .collect()
    }

    pub(crate) fn unescape(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') | Some('N') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("DESCRIPTION:{}", "Hüfte × 30 s; ".repeat(20));
        let folded = fold(&line);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", "").strip_suffix("\r\n"), Some(line.as_str()));
    }

    #[test]
    fn a_plan_becomes_one_dated_event_per_session_that_parses_back() {
        use hipcoach_core::catalog::{Catalog, Equipment, Goal};
        use hipcoach_core::program::{AgeBand, Answers, IrBySide, Preferences, Profile, ProgressionState, screen};
        use hipcoach_core::units::{SessionMinutes, SessionsPerWeek};
        let profile = Profile {
            goal: Goal::General,
            sessions_per_week: SessionsPerWeek::new(2).unwrap(),
            minutes_per_session: SessionMinutes::new(15).unwrap(),
            equipment: [Equipment::Mat, Equipment::Chair].into(),
            age_band: AgeBand::From18To49,
            range_of_motion: IrBySide::default(),
            preferences: Preferences::default(),
            gets_down_to_floor: true,
            has_chair: true,
        };
        let outcome = screen(&Answers::default());
        let plan = WeekPlan::generate(Catalog::builtin(), &profile, &outcome, &ProgressionState::new()).unwrap();
        let today = NaiveDate::from_ymd_opt(2025, 3, 5).unwrap();
        let stamp = today.and_hms_opt(9, 0, 0).unwrap();
        // Central European Time in March: UTC+1, so 18:30 there is 17:30 UTC.
        let time =
            SessionTime { at: NaiveTime::from_hms_opt(18, 30, 0).unwrap(), zone: FixedOffset::east_opt(3600).unwrap() };
        let text = calendar(&plan, today, &time, stamp, "me");
        let lines = parse(&text);
        let values =
            |name: &str| -> Vec<String> { lines.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect() };
        assert_eq!(values("BEGIN"), ["VCALENDAR", "VEVENT", "VEVENT"]);
        assert_eq!(values("END"), ["VEVENT", "VEVENT", "VCALENDAR"]);
        assert_eq!(values("DTSTART"), ["20250303T173000Z", "20250306T173000Z"]);
        let minutes = plan.sessions[0].estimated_seconds.div_ceil(60);
        let end = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap().and_hms_opt(17, 30, 0).unwrap()
            + chrono::Duration::minutes(i64::from(minutes));
        assert_eq!(values("DTEND")[0], end.format("%Y%m%dT%H%M%SZ").to_string());
        assert!(values("RRULE").is_empty(), "no event repeats: next week's dose may differ");
        assert_eq!(
            values("UID"),
            ["hipcoach-me-20250303-session-1@hipcoach.invalid", "hipcoach-me-20250306-session-2@hipcoach.invalid"]
        );
        // Exported again later the same week, the events keep their identities.
        let again = calendar(&plan, today.succ_opt().unwrap(), &time, stamp, "me");
        let uids = |text: &str| parse(text).into_iter().filter(|(n, _)| n == "UID").collect::<Vec<_>>();
        assert_eq!(uids(&again), uids(&text));
        assert_eq!(values("DTSTAMP")[0], "20250305T090000Z");
        let description = unescape(&values("DESCRIPTION")[0]);
        let first = &plan.sessions[0].items[0];
        assert!(description.contains(&format!("- {}: {}", first.name, dose_words(&first.dose))), "{description}");
    }

    #[test]
    fn text_round_trips_through_escaping() {
        let text = "a, b; c\\d\nnext";
        assert_eq!(unescape(&escape(text)), text);
    }
}
