//! The user's program as the store keeps it, and this week's plan built from it.
//!
//! Three kinds of versioned document hold it (nothing is overwritten, so a clinician can see
//! what was answered and decided, and when):
//! - `Screening`: the raw answers, the parsed [`Answers`] and the [`ScreeningOutcome`];
//! - `Profile`: the [`Profile`] (its measured range is filled from the measurements table each
//!   time, so it is never stale);
//! - `Plan`: a [`ProgramDocument`]: the progression state, the recent session records that
//!   progression reads (with the dose that was given, which the store's session rows lack), the
//!   last explained changes and the plan they led to.
//!
//! Pain check-ins stay in their own table and are folded into the records when progression
//! runs, so a check-in entered late still counts (if its session has not been reviewed yet).

use crate::calendar;
use crate::error::{Result, WorkflowError};
use crate::wording::{quoted, verdict_words};
use chrono::NaiveDate;
use hipcoach_core::catalog::{Catalog, ExerciseId};
use hipcoach_core::measure::TestPosition;
use hipcoach_core::program::{
    self, Answers, Change, ChangeKind, IrBySide, IrReading, MorningCheck, PlanError, PlannedSession, Profile,
    ProgressionState, QuestionId, Response, ScreeningOutcome, TrafficLight, WeekPlan, is_strength_work, progress,
};
use hipcoach_core::session::SessionItem;
use hipcoach_core::units::{Day, Side, WholeDegrees};
use hipcoach_store::{DocumentKind, Measurement, Moment, PainCheckin, Store, UserId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Session records older than this are dropped from the plan document: progression looks back
/// two weeks at most (two sessions in a row, week-on-week pain).
const HISTORY_DAYS: u32 = 42;

/// The stored screening.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredScreening {
    /// The answers as given, by question id.
    pub responses: BTreeMap<QuestionId, Response>,
    /// The parsed answers.
    pub answers: Answers,
    /// The verdict, reasons and restrictions.
    pub outcome: ScreeningOutcome,
}

/// What the progression engine remembers, stored as the `Plan` document.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProgramDocument {
    /// Prescriptions, sides on hold, what has been reviewed.
    pub state: ProgressionState,
    /// Recent sessions as progression reads them, oldest first.
    pub history: Vec<program::SessionRecord>,
    /// The decisions of the last review, each with its sentence.
    pub changes: Vec<Change>,
    /// The plan those decisions led to.
    pub plan: Option<WeekPlan>,
}

/// This week's next session as it stands today.
#[derive(Debug, Clone)]
pub struct NextSession {
    /// The planned session, less what must rest today.
    pub session: PlannedSession,
    /// Whether this week's sessions are all done (this one is extra).
    pub week_done: bool,
    /// What was left out today and why, in sentences.
    pub adjustments: Vec<String>,
}

/// The most days a week with strength or band work (clinical.md: 2–3 non-consecutive days).
const MAX_STRENGTH_DAYS: usize = 3;

/// The most exercises one session may hold: more than any real session (a full one has about
/// eight), and a bound on the work of replaying it.
pub const MAX_SESSION_EXERCISES: usize = 20;

/// Everything stored about one user's program.
pub struct Program {
    /// The latest screening, if any.
    pub screening: Option<StoredScreening>,
    /// The latest profile, if any.
    pub profile: Option<Profile>,
    /// The latest progression document, or a fresh one.
    pub document: ProgramDocument,
    /// Every measurement, oldest first.
    pub measurements: Vec<Measurement>,
}

async fn latest<T: serde::de::DeserializeOwned>(store: &Store, user: UserId, kind: DocumentKind) -> Result<Option<T>> {
    match store.latest_document(user, kind).await? {
        Some(document) => Ok(Some(serde_json::from_value(document.body).map_err(|error| {
            WorkflowError::Internal(format!(
                "the stored {kind:?} document cannot be read by this version of hipcoach: {error}"
            ))
        })?)),
        None => Ok(None),
    }
}

/// Stores a new version of a document.
pub async fn save<T: Serialize>(
    store: &Store,
    user: UserId,
    kind: DocumentKind,
    today: NaiveDate,
    body: &T,
) -> Result<()> {
    let body = serde_json::to_value(body)
        .map_err(|error| WorkflowError::Internal(format!("the {kind:?} document cannot be written: {error}")))?;
    store.save_document(user, kind, today, &body).await?;
    Ok(())
}

impl Program {
    /// Which of this week's sessions comes next: one per session day reviewed this week,
    /// wrapping round when the week's sessions are all done — adjusted for what was done
    /// lately, since people do not always train on the days the plan spreads them over:
    /// - an exercise family stopped for red pain today is not offered again today;
    /// - strength and band work wait a day after a day that had them, and stop at three days a
    ///   week (clinical.md: 2–3 non-consecutive days).
    pub fn next_session(&self, plan: &WeekPlan, catalog: &Catalog, today: NaiveDate) -> Option<NextSession> {
        let day = calendar::day_of(today);
        let week = calendar::day_of(calendar::week_start(today));
        let this_week: Vec<&program::SessionRecord> =
            self.document.history.iter().filter(|r| r.day >= week && r.day <= day).collect();
        let done = this_week.len();
        let mut session = plan.sessions.get(done % plan.sessions.len().max(1))?.clone();
        let mut adjustments = Vec::new();

        let stopped_today = self.families_stopped_on(catalog, day);
        let before = session.items.len();
        session.items.retain(|item| !stopped_today.contains(&item.family));
        if session.items.len() < before {
            adjustments.push("What was stopped for pain earlier today is left out until tomorrow.".to_owned());
        }

        let strength_on = |record: &program::SessionRecord| {
            record.exercises.iter().any(|e| catalog.get(e.exercise.as_str()).is_some_and(is_strength_work))
        };
        let yesterday = self.document.history.iter().any(|r| day.days_since(r.day) == 1 && strength_on(r));
        let strength_days = this_week.iter().filter(|r| r.day < day && strength_on(r)).count();
        let before = session.items.len();
        if yesterday || strength_days >= MAX_STRENGTH_DAYS {
            session.items.retain(|item| catalog.get(item.exercise.as_str()).is_none_or(|e| !is_strength_work(e)));
        }
        if session.items.len() < before {
            adjustments.push(if yesterday {
                "Strength and band work rest today, since you did them yesterday: muscles need a day between."
                    .to_owned()
            } else {
                format!(
                    "Strength and band work have had their {MAX_STRENGTH_DAYS} days this week; today is for mobility."
                )
            });
        }
        session.estimated_seconds = session.items.iter().map(|i| i.estimated_seconds).sum();
        Some(NextSession { session, week_done: done >= plan.sessions.len(), adjustments })
    }

    /// The next session as the player runs it: each planned exercise at its prescribed dose and
    /// sides. An exercise the catalog lacks (a custom catalog changed since the plan was made)
    /// is a conflict, named; a session with nothing left today says to rest.
    pub fn next_session_items(
        &self,
        plan: &WeekPlan,
        catalog: &Catalog,
        today: NaiveDate,
    ) -> Result<(NextSession, Vec<SessionItem>)> {
        let next = self
            .next_session(plan, catalog, today)
            .ok_or_else(|| WorkflowError::conflict("this week's plan has no sessions"))?;
        if next.session.items.is_empty() {
            return Err(WorkflowError::RefusedForSafety(
                "everything in today's session rests after today's pain; rest now and try again tomorrow".to_owned(),
            ));
        }
        let items = next
            .session
            .items
            .iter()
            .map(|planned| {
                planned.session_item(catalog).ok_or_else(|| {
                    WorkflowError::conflict(format!(
                        "`{}` is in the plan but not in the exercise catalog",
                        planned.exercise
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((next, items))
    }

    /// Whether this week's plan (for `day`) prescribes every one of `items` exactly, each at
    /// the dose one of its sessions gives it, with no exercise twice: a session a device played
    /// from an earlier page of the same week, which the server may replay as it was played.
    pub fn prescribes(&self, catalog: &Catalog, day: NaiveDate, items: &[SessionItem]) -> Result<bool> {
        let plan = self.plan(catalog, day)?;
        let prescribed: Vec<SessionItem> =
            plan.sessions.iter().flat_map(|s| &s.items).filter_map(|planned| planned.session_item(catalog)).collect();
        let mut seen = std::collections::HashSet::new();
        Ok(!items.is_empty()
            && items.len() <= MAX_SESSION_EXERCISES
            && items.iter().all(|item| seen.insert(item.exercise.clone()) && prescribed.contains(item)))
    }

    /// The named exercises at their catalog dose, for a one-off session — unless screening
    /// rules one out, or it was stopped for red pain today: a one-off is no way round either.
    pub fn one_off_items(&self, catalog: &Catalog, exercises: &[String], today: NaiveDate) -> Result<Vec<SessionItem>> {
        if exercises.len() > MAX_SESSION_EXERCISES {
            return Err(WorkflowError::invalid(
                "exercise",
                format!("a session holds at most {MAX_SESSION_EXERCISES} exercises; choose fewer"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = exercises.iter().find(|id| !seen.insert(id.as_str())) {
            let name = catalog.get(twice).map_or_else(|| quoted(twice), |e| e.name.clone());
            return Err(WorkflowError::invalid(
                "exercise",
                format!("{name} is chosen twice; each exercise goes into a session once, with its sets"),
            ));
        }
        let stopped_today = self.families_stopped_on(catalog, calendar::day_of(today));
        exercises
            .iter()
            .map(|id| {
                let exercise = catalog.get(id).ok_or_else(|| {
                    WorkflowError::invalid(
                        "exercise",
                        format!("{} is not an exercise hipcoach knows; the exercise library lists them", quoted(id)),
                    )
                })?;
                if let Some(restriction) =
                    self.screening.as_ref().and_then(|s| s.outcome.restrictions().blocking(exercise))
                {
                    return Err(WorkflowError::RefusedForSafety(format!(
                        "{} is not for you for now: {}",
                        exercise.name, restriction.because
                    )));
                }
                if stopped_today.contains(&catalog.family_root(&exercise.id)) {
                    return Err(WorkflowError::RefusedForSafety(format!(
                        "{} was stopped for pain today; give it until tomorrow",
                        exercise.name
                    )));
                }
                Ok(SessionItem::from_exercise(exercise))
            })
            .collect()
    }

    /// The exercise families stopped for red pain on `day`, which rest until the next day.
    fn families_stopped_on(&self, catalog: &Catalog, day: Day) -> Vec<ExerciseId> {
        self.document
            .history
            .iter()
            .filter(|r| r.day == day)
            .flat_map(|r| r.exercises.iter().filter(|e| e.pain.light() == TrafficLight::Red))
            .map(|e| catalog.family_root(&e.exercise))
            .collect()
    }

    /// Reads everything stored for `user`.
    pub async fn load(store: &Store, user: UserId) -> Result<Program> {
        Ok(Program {
            screening: latest(store, user, DocumentKind::Screening).await?,
            profile: latest(store, user, DocumentKind::Profile).await?,
            document: latest(store, user, DocumentKind::Plan).await?.unwrap_or_default(),
            measurements: store.measurements(user).await?,
        })
    }

    /// The screening outcome, or an error saying how to get one.
    pub fn outcome(&self) -> Result<&ScreeningOutcome> {
        let Some(screening) = &self.screening else {
            return Err(WorkflowError::conflict(
                "there is no screening yet: answer the safety questions with `hipcoach screening` first",
            ));
        };
        Ok(&screening.outcome)
    }

    /// Whether the screening is over a year old and should be answered again.
    pub fn screening_is_due(&self, today: NaiveDate) -> bool {
        self.screening.as_ref().is_some_and(|s| s.outcome.is_due_again(calendar::day_of(today)))
    }

    /// The profile with the measured range filled in, or an error saying how to set one.
    pub fn profile(&self) -> Result<Profile> {
        let Some(profile) = &self.profile else {
            return Err(WorkflowError::conflict(
                "there is no profile yet: set one with `hipcoach profile set --goal general --sessions 3 --minutes 15 --equipment mat,chair`",
            ));
        };
        let pain_free = self.screening.as_ref().is_none_or(|s| !s.answers.pain_turning_inward);
        Ok(Profile { range_of_motion: range_of_motion(&self.measurements, pain_free), ..profile.clone() })
    }

    /// This week's plan from the stored state, or why there is none. Safety answers over a
    /// year old stop the plan until they are answered again: health changes in a year.
    pub fn plan(&self, catalog: &Catalog, today: NaiveDate) -> Result<WeekPlan> {
        let outcome = self.outcome()?;
        if self.screening_is_due(today) {
            return Err(WorkflowError::RefusedForSafety(
                "your safety answers are over a year old; please answer them again (`hipcoach screening`, or Profile in the web app) so the plan still suits you"
                    .to_owned(),
            ));
        }
        if !outcome.verdict().allows_plan() {
            let reasons: Vec<String> = outcome.reasons().iter().map(|r| format!("  - {}", r.text)).collect();
            return Err(WorkflowError::RefusedForSafety(format!(
                "screening says {}, so there is no plan:\n{}\n{}",
                verdict_words(outcome.verdict()),
                reasons.join("\n"),
                ScreeningOutcome::DISCLAIMER
            )));
        }
        let profile = self.profile()?;
        WeekPlan::generate(catalog, &profile, outcome, &self.document.state).map_err(|error| match error {
            PlanError::ScreeningBlocks { .. } => WorkflowError::RefusedForSafety(error.to_string()),
            _ => WorkflowError::conflict(error.to_string()),
        })
    }

    /// Runs progression over the recent records with the check-ins folded in, keeps the new
    /// state, and stores it with the plan it leads to. Returns the decisions.
    pub async fn review(
        &mut self,
        store: &Store,
        user: UserId,
        catalog: &Catalog,
        today: NaiveDate,
    ) -> Result<Vec<Change>> {
        let checkins = store.pain_checkins(user).await?;
        fold_checkins(&mut self.document.history, &checkins);
        let day = calendar::day_of(today);
        self.document.history.retain(|r| day.days_since(r.day) <= HISTORY_DAYS);
        let profile = self.profile()?;
        let outcome = self.outcome()?.clone();
        let result = progress(catalog, &profile, &outcome, &self.document.state, &self.document.history, day);
        self.document.state = result.state;
        self.document.changes = result.changes.clone();
        self.document.plan = WeekPlan::generate(catalog, &profile, &outcome, &self.document.state).ok();
        save(store, user, DocumentKind::Plan, today, &self.document).await?;
        Ok(result.changes)
    }
}

/// Puts each day's latest before-session and next-morning check-ins into the records.
fn fold_checkins(history: &mut [program::SessionRecord], checkins: &[PainCheckin]) {
    for record in history {
        let date = calendar::date_of(record.day);
        let of_day = |moment: Moment| checkins.iter().rfind(|c| c.day == date && c.moment == moment);
        if let Some(before) = of_day(Moment::Before) {
            record.baseline = before.score;
        }
        if let Some(morning) = of_day(Moment::NextMorning) {
            record.next_morning = Some(MorningCheck { pain: morning.score, stiffer_than_usual: morning.stiffer });
        }
    }
}

/// The reading the plan doses from: the latest per side in the test position measured most
/// recently on both sides (seated and prone are never mixed). `pain_free` says whether the end
/// of the range is comfortable; the measurements table does not record it, so the screening
/// answer about pain on turning inward stands in.
pub fn range_of_motion(measurements: &[Measurement], pain_free: bool) -> IrBySide {
    let latest = |position: TestPosition, side: Side| {
        measurements
            .iter()
            .filter(|m| m.position == position && m.side == side)
            .max_by_key(|m| (m.day, m.recorded_at_ms))
    };
    let pairs = [TestPosition::Seated, TestPosition::Prone].map(|p| (latest(p, Side::Left), latest(p, Side::Right)));
    // Prefer the position whose later side was measured most recently, among those with both
    // sides; otherwise the position with the most recent reading of either side.
    let both = pairs
        .iter()
        .filter_map(|&(l, r)| Some((l?.day.min(r?.day), (l, r))))
        .max_by_key(|(day, _)| *day)
        .map(|(_, pair)| pair);
    let any = || pairs.iter().copied().max_by_key(|(l, r)| l.or(*r).map(|m| m.day)).unwrap_or((None, None));
    let (left, right) = both.unwrap_or_else(any);
    let reading = |m: Option<&Measurement>| {
        let m = m?;
        Some(IrReading {
            degrees: WholeDegrees::new(m.degrees.round().max(0.0) as i64).ok()?,
            method: m.method,
            position: m.position,
            end_range_pain_free: pain_free,
            hard_end_feel: m.hard_end_feel,
            rater: m.rater,
        })
    };
    IrBySide { left: reading(left), right: reading(right) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hipcoach_core::measure::Rater;

    fn m(day: u32, side: Side, position: TestPosition, degrees: f64) -> Measurement {
        Measurement {
            day: NaiveDate::from_ymd_opt(2025, 3, day).unwrap(),
            side,
            position,
            method: hipcoach_core::measure::Method::Goniometer,
            degrees,
            uncertainty: 6.0,
            rater: Rater::Same,
            measured_by: None,
            hard_end_feel: false,
            recorded_at_ms: i64::from(day),
            client_key: None,
        }
    }

    #[test]
    fn the_plan_uses_the_latest_pair_in_one_test_position() {
        let ms = [
            m(1, Side::Left, TestPosition::Seated, 20.0),
            m(1, Side::Right, TestPosition::Seated, 35.0),
            m(5, Side::Left, TestPosition::Prone, 30.0),
            m(9, Side::Left, TestPosition::Seated, 22.4),
        ];
        let rom = range_of_motion(&ms, true);
        assert_eq!(rom.left.map(|r| r.degrees.get()), Some(22));
        assert_eq!(rom.right.map(|r| r.degrees.get()), Some(35));
        assert_eq!(rom.stiffer_side(), Some(Side::Left));
        assert_eq!(range_of_motion(&ms, false).stiffer_side(), None);
    }
}

/// What kind of day today is in the week's plan: what Today leads with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayInPlan {
    /// A session is due today (a planned day, or one missed earlier this week to catch up on).
    SessionDue,
    /// Today's session is done; `stopped_for_pain` when red pain stopped part of it.
    DoneToday {
        /// Whether red pain stopped an exercise today.
        stopped_for_pain: bool,
    },
    /// Every session of this week is done.
    WeekDone,
    /// A rest day between planned days; the next session is planned on `next`.
    RestDay {
        /// The weekday of the next planned session.
        next: chrono::Weekday,
    },
}

impl Program {
    /// Where today falls in the week's plan. Sessions are spread over fixed weekdays
    /// ([`session_weekdays`](hipcoach_core::program::session_weekdays)), but people do not always
    /// train on them: a session missed earlier in the week is due on any day until it is done.
    pub fn day_in_plan(&self, plan: &WeekPlan, today: NaiveDate) -> DayInPlan {
        use chrono::Datelike;
        let day = calendar::day_of(today);
        let week = calendar::day_of(calendar::week_start(today));
        if let Some(done_today) = self.document.history.iter().find(|r| r.day == day) {
            let stopped_for_pain = done_today.exercises.iter().any(|e| e.pain.light() == TrafficLight::Red);
            return DayInPlan::DoneToday { stopped_for_pain };
        }
        let done = self.document.history.iter().filter(|r| r.day >= week && r.day <= day).count();
        let planned = hipcoach_core::program::session_weekdays(plan.sessions.len());
        if done >= plan.sessions.len() {
            return DayInPlan::WeekDone;
        }
        let weekday = today.weekday().num_days_from_monday() as u8;
        let due_so_far = planned.iter().filter(|d| **d <= weekday).count();
        if done < due_so_far {
            return DayInPlan::SessionDue;
        }
        let next = planned.iter().find(|d| **d > weekday).copied().unwrap_or(planned[0]);
        DayInPlan::RestDay { next: chrono::Weekday::try_from(next).unwrap_or(chrono::Weekday::Mon) }
    }

    /// The day of yesterday's session when its next-morning check is still to be answered:
    /// the check that says whether the dose suited the hip, asked the morning after.
    pub fn morning_check_due(&self, today: NaiveDate) -> Option<NaiveDate> {
        let day = calendar::day_of(today);
        let last = self.document.history.iter().filter(|r| r.day < day).max_by_key(|r| r.day)?;
        (day.days_since(last.day) == 1 && last.next_morning.is_none()).then(|| calendar::date_of(last.day))
    }

    /// The latest changes that concern this week's plan (or no one exercise), and every pause
    /// or side put on hold, newest first, as sentences with dates. Any other change about an
    /// exercise the plan no longer holds is history, not news; where the plan fits an exercise
    /// into the time at a smaller dose than the change set, the sentence says so, so the words
    /// and the list agree.
    pub fn current_changes(&self, plan: &WeekPlan, most: usize) -> Vec<String> {
        let items: Vec<&hipcoach_core::program::PlannedExercise> =
            plan.sessions.iter().flat_map(|s| &s.items).collect();
        let in_plan = |id: &Option<ExerciseId>| {
            id.as_ref().is_none_or(|id| items.iter().any(|i| &i.exercise == id || &i.family == id))
        };
        self.document
            .changes
            .iter()
            .rev()
            // A pause or a side on hold is news precisely because the plan no longer holds it.
            .filter(|c| {
                matches!(c.kind, ChangeKind::Paused { .. } | ChangeKind::SideFrozen(_))
                    || (in_plan(&c.exercise) && in_plan(&c.family))
            })
            .take(most)
            .map(|change| {
                let mut sentence = calendar::dated(&change.sentence);
                let planned = items.iter().find(|i| Some(&i.exercise) == change.exercise.as_ref());
                if let (Some(after), Some(item)) = (change.after, planned)
                    && item.dose != after
                {
                    sentence.push_str(&format!(" To fit your minutes, this week's sessions have it at {}.", item.dose));
                }
                sentence
            })
            .collect()
    }
}
