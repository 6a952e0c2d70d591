//! Progression gated by pain: from session records to the next prescriptions.
//!
//! Safety rules act on every new record, in day order, before anything may go up:
//! - red pain (above 5, or sharp, pinching, catching, locking, tingling) drops the exercise one
//!   level; on an internal-rotation drill it also puts end-range inward turning on hold on that
//!   side (both sides if the user could not tell) until the next comfortable check;
//! - the hip catching or locking twice pauses the exercise and advises a clinician;
//! - a next-morning check 2 or more points above that day's baseline, or stiffer, drops every
//!   exercise of the session one level; twice in a row pauses it and advises a clinician;
//! - pain during an exercise rising by 2 or more points week on week pauses it likewise;
//! - amber pain (3–5) never progresses and says so.
//!
//! Only then may an exercise step up, by the 2-for-2 rule: its last two sessions were done in
//! full with green pain and beaten by two reps (or felt too easy); a stretch needs its
//! next-morning checks green instead. At most one step per exercise per week; none while the
//! side is on hold, during pregnancy for end-range work, or once inward turning is within the
//! 30–45° reference band for end-range drills. Steps down are never delayed by the weekly limit.
//!
//! Each session and each morning check is reviewed once: the state remembers the last day it
//! reviewed, so calling [`progress`] again with the same records changes nothing. A morning
//! check that arrives after a later session was already reviewed is not looked at.

use super::eligibility::Eligibility;
use super::explanation::{Change, ChangeKind, days_words, dose_words};
use super::pain::TrafficLight;
use super::prescription::{Prescription, PrescriptionStatus, Step, step_down, step_up};
use super::profile::Profile;
use super::record::{ExerciseRecord, Exertion, SessionRecord};
use super::screening::ScreeningOutcome;
use crate::catalog::{Catalog, ContraindicationTag, Dose, Exercise, ExerciseId};
use crate::units::{Day, Side};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::collections::BTreeSet;

/// Everything the progression engine remembers between calls.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressionState {
    prescriptions: BTreeMap<ExerciseId, Prescription>,
    frozen_sides: BTreeMap<Side, Day>,
    sessions_reviewed_through: Option<Day>,
    mornings_reviewed_through: Option<Day>,
    /// The exercises whose red pain was reviewed on the last reviewed session day: a second
    /// session that day (or one that arrived late and joined it) has its red pain reviewed
    /// too, once, however the day's record grew.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    red_reviewed_on_last_day: BTreeSet<ExerciseId>,
}

impl ProgressionState {
    /// The last session day progression has reviewed: a session from this day or earlier
    /// that arrives late is not reviewed on its own day any more.
    pub fn sessions_reviewed_through(&self) -> Option<Day> {
        self.sessions_reviewed_through
    }
}

/// The result of [`progress`]: the next state and every decision, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    /// The state to store and to build the next plan from.
    pub state: ProgressionState,
    /// The decisions, in the order they were made.
    pub changes: Vec<Change>,
}

impl ProgressionState {
    /// A state with no history: every exercise starts at its catalog dose.
    pub fn new() -> Self {
        Self::default()
    }

    /// The prescription of an exercise family, by the family's easiest version.
    pub fn prescription(&self, family: &ExerciseId) -> Option<&Prescription> {
        self.prescriptions.get(family)
    }

    /// Every prescription, by family.
    pub fn prescriptions(&self) -> impl Iterator<Item = &Prescription> {
        self.prescriptions.values()
    }

    /// Whether end-range inward turning is on hold on this side.
    pub fn is_frozen(&self, side: Side) -> bool {
        self.frozen_sides.contains_key(&side)
    }

    /// Sides on hold and the day each was put on hold.
    pub fn frozen_sides(&self) -> impl Iterator<Item = (Side, Day)> + '_ {
        self.frozen_sides.iter().map(|(side, day)| (*side, *day))
    }

    /// Puts a prescription in place, e.g. one a clinician set by hand.
    pub fn set_prescription(&mut self, prescription: Prescription) {
        self.prescriptions.insert(prescription.family.clone(), prescription);
    }

    /// Brings a paused exercise back, after the user (or their clinician) decides it is time.
    pub fn resume(&mut self, catalog: &Catalog, family: &ExerciseId, today: Day) -> Option<Change> {
        let prescription = self.prescriptions.get_mut(family)?;
        if prescription.is_active() {
            return None;
        }
        prescription.status = PrescriptionStatus::Active;
        prescription.changed_on = Some(today);
        prescription.worse_morning_days.clear();
        prescription.catch_or_lock_days.clear();
        let name = catalog.name_of(&prescription.exercise);
        Some(Change {
            day: today,
            family: Some(family.clone()),
            exercise: Some(prescription.exercise.clone()),
            kind: ChangeKind::Resumed,
            before: None,
            after: Some(prescription.dose),
            sentence: format!(
                "{name} is back in your plan at {}: start gently and stop if it hurts.",
                dose_words(&prescription.dose)
            ),
        })
    }
}

/// Points of week-on-week worsening that pause an exercise.
const WORSENING_POINTS: u32 = 2;
/// Catch or lock reports that pause an exercise.
const CATCHES_BEFORE_PAUSE: usize = 2;
/// Worse mornings in a row that pause an exercise.
const WORSE_MORNINGS_BEFORE_PAUSE: usize = 2;
/// Days between upward changes of one exercise.
const DAYS_BETWEEN_STEPS_UP: u32 = 7;

struct Engine<'a> {
    eligibility: Eligibility<'a>,
    profile: &'a Profile,
    today: Day,
    state: ProgressionState,
    changes: Vec<Change>,
}

/// Reviews the records and returns the next state with every decision explained.
///
/// `records` may hold the whole history or only the recent part; records after `today` are
/// ignored and records already reviewed are not reviewed again.
pub fn progress(
    catalog: &Catalog,
    profile: &Profile,
    screening: &ScreeningOutcome,
    state: &ProgressionState,
    records: &[SessionRecord],
    today: Day,
) -> Progress {
    let mut sessions: Vec<&SessionRecord> = records.iter().filter(|r| r.day <= today).collect();
    sessions.sort_by_key(|r| r.day);
    let mut engine = Engine {
        eligibility: Eligibility::new(catalog, profile, screening),
        profile,
        today,
        state: state.clone(),
        changes: Vec::new(),
    };
    for session in &sessions {
        let red = |e: &&ExerciseRecord| e.pain.light() == TrafficLight::Red;
        if Some(session.day) > engine.state.sessions_reviewed_through {
            engine.review_session(session);
            engine.state.sessions_reviewed_through = Some(session.day);
            engine.state.red_reviewed_on_last_day =
                session.exercises.iter().filter(red).map(|e| e.exercise.clone()).collect();
        } else if Some(session.day) == engine.state.sessions_reviewed_through {
            // The day was reviewed before this record grew: only red pain not yet reviewed
            // counts now (never a step up from a second look at the same day).
            let reviewed = &engine.state.red_reviewed_on_last_day;
            let new_red: Vec<ExerciseRecord> =
                session.exercises.iter().filter(red).filter(|e| !reviewed.contains(&e.exercise)).cloned().collect();
            if !new_red.is_empty() {
                engine.state.red_reviewed_on_last_day.extend(new_red.iter().map(|e| e.exercise.clone()));
                engine.review_session(&SessionRecord { exercises: new_red, ..(*session).clone() });
            }
        }
    }
    for session in &sessions {
        if session.next_morning.is_some() && Some(session.day) > engine.state.mornings_reviewed_through {
            engine.review_morning(session);
            engine.state.mornings_reviewed_through = Some(session.day);
        }
    }
    engine.review_weekly_trend(&sessions);
    engine.review_steps(&sessions);
    Progress { state: engine.state, changes: engine.changes }
}

impl<'a> Engine<'a> {
    fn catalog(&self) -> &'a Catalog {
        self.eligibility.catalog()
    }

    fn name(&self, id: &ExerciseId) -> String {
        self.catalog().name_of(id)
    }

    /// The family a recorded exercise belongs to, creating its prescription if new.
    fn family_of(&mut self, record: &ExerciseRecord) -> Option<ExerciseId> {
        let exercise = self.catalog().get(record.exercise.as_str())?;
        if let Some(found) = self.state.prescriptions.values().find(|p| p.exercise == record.exercise) {
            return Some(found.family.clone());
        }
        let family = self.eligibility.family_root(&exercise.id);
        self.state
            .prescriptions
            .entry(family.clone())
            .or_insert_with(|| Prescription { dose: record.dose, ..Prescription::start(family.clone(), exercise) });
        Some(family)
    }

    fn push(&mut self, prescription: &Prescription, kind: ChangeKind, before: Option<Dose>, sentence: String) {
        self.changes.push(Change {
            day: self.today,
            family: Some(prescription.family.clone()),
            exercise: Some(prescription.exercise.clone()),
            kind,
            before,
            after: Some(prescription.dose),
            sentence,
        });
    }

    fn review_session(&mut self, session: &SessionRecord) {
        let any_red = session.exercises.iter().any(|e| e.pain.light() == TrafficLight::Red);
        if TrafficLight::of(session.baseline) == TrafficLight::Green && !any_red {
            let words = format!(
                "your hip check before the session on {} was comfortable ({}/10)",
                session.day,
                session.baseline.get()
            );
            self.unfreeze_before(session.day, &words);
        }
        for record in &session.exercises {
            let Some(family) = self.family_of(record) else { continue };
            let Some(prescription) = self.state.prescriptions.get(&family).cloned() else { continue };
            if !prescription.is_active() {
                continue;
            }
            let name = self.name(&prescription.exercise);
            match record.pain.light() {
                TrafficLight::Green => {}
                TrafficLight::Amber => {
                    let sentence = format!(
                        "{name} stays at {}: hip pain was {}/10 on {}, so it does not go up until the pain is back to 2 or less.",
                        dose_words(&prescription.dose),
                        record.pain.during.get(),
                        session.day
                    );
                    self.push(&prescription, ChangeKind::Kept, Some(prescription.dose), sentence);
                }
                TrafficLight::Red => self.red(session.day, record, family),
            }
        }
    }

    fn red(&mut self, day: Day, record: &ExerciseRecord, family: ExerciseId) {
        let Some(done) = self.catalog().get(record.exercise.as_str()) else { return };
        if done.contraindication_tags.contains(&ContraindicationTag::InternalRotation) {
            let sides = record.pain.side.map_or_else(|| Side::BOTH.to_vec(), |side| vec![side]);
            for side in sides {
                if self.state.frozen_sides.contains_key(&side) {
                    continue;
                }
                self.state.frozen_sides.insert(side, day);
                self.changes.push(Change {
                    day: self.today,
                    family: None,
                    exercise: None,
                    kind: ChangeKind::SideFrozen(side),
                    before: None,
                    after: None,
                    sentence: format!(
                        "Turning the {side} hip inward at the end of its range is on hold until your next comfortable check: you reported {} during {} on {day}.",
                        record.pain.red_words(),
                        done.name
                    ),
                });
            }
        }
        let catalog = self.catalog();
        let Some(prescription) = self.state.prescriptions.get_mut(&family) else { return };
        if record.pain.caught_or_locked() && !prescription.catch_or_lock_days.contains(&day) {
            prescription.catch_or_lock_days.push(day);
        }
        let name = catalog.name_of(&prescription.exercise);
        // Catching or locking is about the hip, not the exercise: count it across every
        // exercise, so the second time sends the person to a clinician whichever drill it
        // happened in, including one with no easier version left.
        // Two catches in two drills on the same day count twice; every drill it caught in is
        // paused with the advice.
        let catches: usize = self.state.prescriptions.values().map(|p| p.catch_or_lock_days.len()).sum();
        if record.pain.caught_or_locked() && catches >= CATCHES_BEFORE_PAUSE {
            let days: BTreeSet<Day> =
                self.state.prescriptions.values().flat_map(|p| p.catch_or_lock_days.iter().copied()).collect();
            let days = days_words(&days.into_iter().collect::<Vec<_>>());
            let caught_in: Vec<ExerciseId> = self
                .state
                .prescriptions
                .iter()
                .filter(|(other, p)| **other != family && !p.catch_or_lock_days.is_empty() && p.is_active())
                .map(|(other, _)| other.clone())
                .collect();
            self.pause(&family, true, format!(
                "{name} is paused: your hip caught or locked on {days}. Please have it checked by a physiotherapist or doctor before doing it again."
            ));
            for other in caught_in {
                let other_name =
                    self.state.prescriptions.get(&other).map(|p| catalog.name_of(&p.exercise)).unwrap_or_default();
                self.pause(&other, true, format!(
                    "{other_name} is paused too: your hip caught or locked on {days}. Please have it checked by a physiotherapist or doctor before doing it again."
                ));
            }
            return;
        }
        let because = format!("you reported {} on {day}", record.pain.red_words());
        self.drop_one_level(&family, record, &because);
    }

    /// Drops the family one level below what the record shows was done, unless it is already
    /// lower (a second flag for the same session never drops twice).
    fn drop_one_level(&mut self, family: &ExerciseId, record: &ExerciseRecord, because: &str) {
        let Some(prescription) = self.state.prescriptions.get(family).cloned() else { return };
        let current = Prescription::load(&self.eligibility, &prescription.exercise, &prescription.dose);
        let done = Prescription::load(&self.eligibility, &record.exercise, &record.dose);
        if current < done {
            return;
        }
        let Some(exercise) = self.catalog().get(prescription.exercise.as_str()) else { return };
        let name = exercise.name.clone();
        match step_down(&self.eligibility, exercise, prescription.dose) {
            Some((step, id, dose)) => {
                let before = prescription.dose;
                let sentence = if id == prescription.exercise {
                    format!("{name} drops to {}: {because}.", dose_words(&dose))
                } else {
                    format!("{name} changes to the easier {} at {}: {because}.", self.name(&id), dose_words(&dose))
                };
                let updated = Prescription {
                    exercise: id,
                    dose,
                    changed_on: Some(self.today),
                    ..prescription
                };
                self.push(&updated, ChangeKind::StepDown(step), Some(before), sentence);
                self.state.prescriptions.insert(family.clone(), updated);
            }
            None => self.pause(family, false, format!(
                "{name} is paused: {because}, and there is no easier version to fall back to. Bring it back when your hip has settled, and stop again if it hurts."
            )),
        }
    }

    fn pause(&mut self, family: &ExerciseId, see_clinician: bool, sentence: String) {
        let Some(prescription) = self.state.prescriptions.get_mut(family) else { return };
        prescription.status = PrescriptionStatus::Paused { since: self.today, see_clinician };
        prescription.changed_on = Some(self.today);
        let prescription = prescription.clone();
        self.push(&prescription, ChangeKind::Paused { see_clinician }, Some(prescription.dose), sentence);
    }

    fn unfreeze_before(&mut self, day: Day, words: &str) {
        let thawed: Vec<Side> =
            self.state.frozen_sides.iter().filter(|(_, since)| **since < day).map(|(s, _)| *s).collect();
        for side in thawed {
            self.state.frozen_sides.remove(&side);
            self.changes.push(Change {
                day: self.today,
                family: None,
                exercise: None,
                kind: ChangeKind::SideUnfrozen(side),
                before: None,
                after: None,
                sentence: format!(
                    "Turning the {side} hip inward at the end of its range is back in your plan: {words}."
                ),
            });
        }
    }

    fn review_morning(&mut self, session: &SessionRecord) {
        let Some(morning) = session.next_morning else { return };
        let worse = morning.is_worse_than(session.baseline);
        let any_red = session.exercises.iter().any(|e| e.pain.light() == TrafficLight::Red);
        if morning.is_green(session.baseline) && !any_red {
            let words = format!("the morning after {} your hip felt fine ({}/10)", session.day, morning.pain.get());
            self.unfreeze_before(session.day.plus(1), &words);
        }
        let how = if morning.stiffer_than_usual {
            "stiffer than usual".to_owned()
        } else {
            format!("at {}/10 against {}/10 before the session", morning.pain.get(), session.baseline.get())
        };
        let catalog = self.catalog();
        for record in &session.exercises {
            let Some(family) = self.family_of(record) else { continue };
            let Some(prescription) = self.state.prescriptions.get_mut(&family) else { continue };
            if !prescription.is_active() {
                continue;
            }
            if !worse {
                prescription.worse_morning_days.clear();
                continue;
            }
            if !prescription.worse_morning_days.contains(&session.day) {
                prescription.worse_morning_days.push(session.day);
            }
            if prescription.worse_morning_days.len() >= WORSE_MORNINGS_BEFORE_PAUSE {
                let days = days_words(&prescription.worse_morning_days);
                let name = catalog.name_of(&prescription.exercise);
                self.pause(&family, true, format!(
                    "{name} is paused: your hip was worse the morning after two sessions in a row ({days}). Please see a physiotherapist or doctor before starting it again."
                ));
            } else {
                let because = format!("the morning after {} your hip was {how}", session.day);
                self.drop_one_level(&family, record, &because);
            }
        }
    }

    fn review_weekly_trend(&mut self, sessions: &[&SessionRecord]) {
        let today = self.today;
        let families: Vec<ExerciseId> =
            self.state.prescriptions.values().filter(|p| p.is_active()).map(|p| p.family.clone()).collect();
        for family in families {
            let mut weeks = [(0u32, 0u32); 2];
            for session in sessions {
                let age = today.days_since(session.day);
                let week = match age {
                    0..=6 => 0,
                    7..=13 => 1,
                    _ => continue,
                };
                for record in &session.exercises {
                    if self.eligibility.family_root(&record.exercise) == family {
                        weeks[week].0 += u32::from(record.pain.during.get());
                        weeks[week].1 += 1;
                    }
                }
            }
            let [(this_sum, this_n), (last_sum, last_n)] = weeks;
            if this_n == 0 || last_n == 0 {
                continue;
            }
            if this_sum * last_n >= (last_sum + WORSENING_POINTS * last_n) * this_n {
                let Some(prescription) = self.state.prescriptions.get(&family) else { continue };
                let name = self.name(&prescription.exercise);
                let rounded = |sum: u32, n: u32| (sum + n / 2) / n;
                self.pause(&family, true, format!(
                    "{name} is paused: pain during it rose from about {}/10 last week to {}/10 this week. Please see a physiotherapist or doctor before starting it again.",
                    rounded(last_sum, last_n),
                    rounded(this_sum, this_n)
                ));
            }
        }
    }

    fn review_steps(&mut self, sessions: &[&SessionRecord]) {
        let families: Vec<ExerciseId> =
            self.state.prescriptions.values().filter(|p| p.is_active()).map(|p| p.family.clone()).collect();
        for family in families {
            let Some(prescription) = self.state.prescriptions.get(&family).cloned() else { continue };
            let Some(exercise) = self.catalog().get(prescription.exercise.as_str()) else { continue };
            let recent: Vec<(&SessionRecord, &ExerciseRecord)> = sessions
                .iter()
                .filter(|s| prescription.changed_on.is_none_or(|changed| s.day > changed))
                .filter_map(|s| s.exercises.iter().find(|e| e.exercise == prescription.exercise).map(|e| (*s, e)))
                .collect();
            let [.., first, second] = recent.as_slice() else { continue };
            let pair = [*first, *second];
            let days = [first.0.day, second.0.day];
            let too_hard = |r: &ExerciseRecord| !r.completed(exercise) || r.exertion == Some(Exertion::TooHard);
            if pair.iter().all(|(_, r)| too_hard(r) && r.pain.light() != TrafficLight::Red) {
                let because = format!("it was hard to finish on {}", days_words(&days));
                self.drop_one_level(&family, second.1, &because);
                continue;
            }
            if pair.iter().all(|(s, r)| self.ready(exercise, s, r)) {
                self.step_up(prescription, exercise, &days);
            }
        }
    }

    /// Whether one session meets its half of the 2-for-2 rule.
    fn ready(&self, exercise: &Exercise, session: &SessionRecord, record: &ExerciseRecord) -> bool {
        let green = record.pain.light() == TrafficLight::Green && record.completed(exercise);
        let morning_ok = session.next_morning.is_none_or(|m| !m.is_worse_than(session.baseline));
        if exercise.kind == crate::catalog::Kind::Stretch {
            green && session.next_morning.is_some_and(|m| m.is_green(session.baseline))
        } else {
            green && morning_ok && record.beaten_by_two(exercise)
        }
    }

    fn step_up(&mut self, prescription: Prescription, exercise: &Exercise, days: &[Day]) {
        let name = exercise.name.clone();
        let dose = dose_words(&prescription.dose);
        let tags = &exercise.contraindication_tags;
        let inward = tags.contains(&ContraindicationTag::InternalRotation);
        let end_range = tags.contains(&ContraindicationTag::EndRange);
        let frozen: Vec<Side> = self.state.frozen_sides.keys().copied().collect();
        let kept = if let Some(last) =
            prescription.changed_on.filter(|c| self.today.days_since(*c) < DAYS_BETWEEN_STEPS_UP)
        {
            Some(format!(
                "{name} stays at {dose} for now: we change one thing a week at most, and the last change was on {last}."
            ))
        } else if inward && !frozen.is_empty() {
            let sides: Vec<&str> = frozen.iter().map(|s| s.label()).collect();
            Some(format!(
                "{name} stays at {dose}: inward turning on the {} side is on hold until your next comfortable check.",
                super::eligibility::join_words(&sides)
            ))
        } else if end_range && self.eligibility.restrictions().gentle_range_only() {
            Some(format!(
                "{name} stays at {dose}: during pregnancy we keep end-range work gentle and do not push it further."
            ))
        } else if inward && end_range && self.profile.range_of_motion.within_reference_band() {
            Some(format!(
                "{name} stays at {dose}: your hips already turn inward within the usual 30–45° range, so the aim now is to keep it there."
            ))
        } else {
            None
        };
        if let Some(sentence) = kept {
            self.push(&prescription, ChangeKind::Kept, Some(prescription.dose), sentence);
            return;
        }
        let Some((step, id, new_dose)) = step_up(&self.eligibility, exercise, prescription.dose, self.profile.age_band)
        else {
            return;
        };
        let evidence = if exercise.kind == crate::catalog::Kind::Stretch {
            format!(
                "two sessions in a row were pain-free and the next mornings stayed comfortable ({})",
                days_words(days)
            )
        } else {
            format!("you beat the target without pain in two sessions in a row ({})", days_words(days))
        };
        let after = dose_words(&new_dose);
        let sentence = match step {
            Step::HarderVersion => format!("{name} moves on to {} at {after}: {evidence}.", self.name(&id)),
            Step::HeavierBand => {
                format!(
                    "{name} moves up to {after}: {evidence}; the stronger band is about a quarter harder, so the reps start again at 10."
                )
            }
            _ => format!("{name} goes up to {after}: {evidence}."),
        };
        let before = prescription.dose;
        let updated = Prescription { exercise: id, dose: new_dose, changed_on: Some(self.today), ..prescription };
        self.push(&updated, ChangeKind::StepUp(step), Some(before), sentence);
        self.state.prescriptions.insert(updated.family.clone(), updated);
    }
}
