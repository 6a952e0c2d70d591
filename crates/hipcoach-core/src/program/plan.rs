//! The weekly plan: which exercises, in which session, at which dose, within the time available.
//!
//! Each session runs warm-up → mobility → strength → cool-down: outer-hip activation wakes the
//! hip up, inward-turning drills are the heart of the program, whole-leg strength goes
//! alongside, and a stretch ends the session. Exercises are grouped by family (an exercise and
//! its easier and harder versions); each family appears at the version and dose its
//! prescription holds, or its easiest suitable version at the catalog dose.
//!
//! Time is estimated from the dose (sets × sides × set time, rests between sets, a fixed set-up
//! and side-switch allowance) and the budget is never exceeded: a lower-priority exercise is
//! shortened to fewer sets, or left out. Groups rotate from session to session, so strength and
//! activation work spread across the week instead of repeating every day.
//!
//! Both sides get the same work, with two exceptions that are spelled out in the plan's notes:
//! one extra set for the stiffer side when the sides differ by more than 10° on a goniometer or
//! inclinometer with pain-free end ranges, and inward turning left out on a side put on hold
//! after red pain.

use super::eligibility::{Eligibility, Exclusion, ExclusionReason};
use super::prescription::PrescriptionStatus;
use super::profile::{AgeBand, Profile};
use super::progression::ProgressionState;
use super::screening::{ScreeningOutcome, Verdict};
use crate::catalog::{Catalog, ContraindicationTag, Dose, Equipment, Exercise, ExerciseId, Kind, Laterality};
use crate::units::{SetCount, Side};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A part of a session, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Block {
    /// Outer-hip activation to wake the hip up.
    WarmUp,
    /// Inward-turning drills: the heart of the program.
    Mobility,
    /// Whole-leg strength alongside the mobility work.
    Strength,
    /// A stretch to finish.
    CoolDown,
}

impl Block {
    /// Where an exercise sits in a session.
    pub fn of(exercise: &Exercise) -> Block {
        let inward = exercise.contraindication_tags.contains(&ContraindicationTag::InternalRotation);
        match exercise.kind {
            Kind::Stretch => Block::CoolDown,
            Kind::Strength => Block::Strength,
            Kind::Mobility => Block::Mobility,
            Kind::Activation if inward => Block::Mobility,
            Kind::Activation => Block::WarmUp,
        }
    }

    /// At most this many exercises of the block in one session; the rest rotate through the week.
    fn per_session(self) -> usize {
        match self {
            Block::WarmUp | Block::CoolDown => 1,
            Block::Strength => 2,
            Block::Mobility => 3,
        }
    }
}

/// Which sides an exercise works in this plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "side", rename_all = "kebab-case")]
pub enum SideSelection {
    /// Both sides work together (or take turns within each set).
    Together,
    /// Each side in turn, the same sets on each.
    EachSide,
    /// One side only, because the other is on hold after pain.
    OneSide(Side),
}

/// One exercise in a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedExercise {
    /// The exercise family (its easiest version), which progression is stored under.
    pub family: ExerciseId,
    /// The version to do.
    pub exercise: ExerciseId,
    /// Its name, for display.
    pub name: String,
    /// Where it sits in the session.
    pub block: Block,
    /// How the exercise works the sides (from the catalog).
    pub laterality: Laterality,
    /// The dose, per side.
    pub dose: Dose,
    /// Which sides.
    pub sides: SideSelection,
    /// The side that gets one extra set, when asymmetry dosing is on.
    pub extra_set: Option<Side>,
    /// Estimated time in seconds, including set-up, rests and switching sides.
    pub estimated_seconds: u32,
}

/// Allowance for getting into position and reading the cue.
const SETUP_SECONDS: u32 = 30;
/// Allowance for switching sides.
const SWITCH_SECONDS: u32 = 15;

impl PlannedExercise {
    /// Sets worked on one side.
    pub fn sets_on(&self, side: Side) -> u16 {
        let base = self.dose.sets.get();
        let extra = u16::from(self.extra_set == Some(side));
        match self.sides {
            SideSelection::Together | SideSelection::EachSide => base + extra,
            SideSelection::OneSide(only) if only == side => base + extra,
            SideSelection::OneSide(_) => 0,
        }
    }

    /// Working seconds on one side (for a side-by-side comparison of load).
    pub fn work_seconds_on(&self, side: Side) -> u32 {
        u32::from(self.sets_on(side)) * self.dose.effort.set_seconds()
    }

    fn estimate(laterality: Laterality, dose: &Dose, sides: SideSelection, extra_set: Option<Side>) -> u32 {
        let set = dose.effort.set_seconds();
        let sets = u32::from(dose.sets.get());
        let extra = u32::from(extra_set.is_some());
        let (set_count, work, switches) = match (laterality, sides) {
            (Laterality::Bilateral, _) => (sets, sets * set, 0),
            (Laterality::Alternating, _) => (sets, sets * set * 2, 0),
            (Laterality::Unilateral, SideSelection::OneSide(_)) => (sets + extra, (sets + extra) * set, 0),
            (Laterality::Unilateral, _) => (2 * sets + extra, (2 * sets + extra) * set, 1),
        };
        SETUP_SECONDS + work + set_count.saturating_sub(1) * u32::from(dose.rest.get()) + switches * SWITCH_SECONDS
    }
}

/// One session of the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedSession {
    /// 1-based number within the week.
    pub number: u8,
    /// The exercises, warm-up first, cool-down last.
    pub items: Vec<PlannedExercise>,
    /// Estimated length in seconds; never over the budget.
    pub estimated_seconds: u32,
}

/// A week of sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekPlan {
    /// The sessions, as many as the user asked for.
    pub sessions: Vec<PlannedSession>,
    /// The time budget of each session, in seconds.
    pub budget_seconds: u32,
    /// Exercises left out, each with the reason.
    pub excluded: Vec<Exclusion>,
    /// The side given one extra set of inward-turning work, if any.
    pub asymmetry: Option<Side>,
    /// Plain sentences about choices the plan made (swaps, extra sets, sides on hold).
    pub notes: Vec<String>,
}

/// Why no plan could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// Screening says a clinician (or urgent care) must come first.
    #[error("screening found something that needs a clinician first, so there is no plan yet")]
    ScreeningBlocks {
        /// The screening verdict.
        verdict: Verdict,
    },
    /// Nothing in the catalog suits this goal, equipment and screening.
    #[error("no exercise suits this goal, equipment and screening; adding a chair or a mat would help")]
    NothingSuitable,
    /// Not even the shortest exercise fits the minutes available.
    #[error("{minutes} minutes is too short for even one exercise, which needs about {needed_seconds} s")]
    NotEnoughTime {
        /// Minutes per session asked for.
        minutes: u16,
        /// Seconds the shortest exercise needs.
        needed_seconds: u32,
    },
}

/// A family ready to schedule.
struct Candidate<'a> {
    family: ExerciseId,
    exercise: &'a Exercise,
    dose: Dose,
    block: Block,
    liked: bool,
}

impl WeekPlan {
    /// Builds the week.
    pub fn generate(
        catalog: &Catalog,
        profile: &Profile,
        screening: &ScreeningOutcome,
        state: &ProgressionState,
    ) -> Result<WeekPlan, PlanError> {
        if !screening.verdict().allows_plan() {
            return Err(PlanError::ScreeningBlocks { verdict: screening.verdict() });
        }
        let eligibility = Eligibility::new(catalog, profile, screening);
        let mut notes = Vec::new();
        let mut excluded = Vec::new();
        let candidates = candidates(&eligibility, state, &mut excluded, &mut notes);
        if candidates.is_empty() {
            return Err(PlanError::NothingSuitable);
        }
        if let Some(note) = equipment_note(&eligibility, &excluded) {
            notes.push(note);
        }
        let frozen: Vec<Side> = Side::BOTH.into_iter().filter(|s| state.is_frozen(*s)).collect();
        let for_review = sides_for_review(profile);
        let held: Vec<Side> =
            Side::BOTH.into_iter().filter(|s| frozen.contains(s) || for_review.iter().any(|(r, _)| r == s)).collect();
        let asymmetry = if held.is_empty() { profile.range_of_motion.stiffer_side() } else { None };
        if let Some(side) = asymmetry {
            let difference = profile
                .range_of_motion
                .left
                .zip(profile.range_of_motion.right)
                .map_or(0, |(l, r)| l.degrees.get().abs_diff(r.degrees.get()));
            notes.push(format!(
                "Your {side} hip turns inward {difference}° less than the {} one, measured reliably and without pain at the end, so one-sided inward-turning drills give the {side} side one extra set.",
                side.other()
            ));
        }
        notes.extend(for_review.into_iter().map(|(_, why)| why));
        if !frozen.is_empty() {
            let sides: Vec<&str> = frozen.iter().map(|s| s.label()).collect();
            notes.push(format!(
                "Inward turning on the {} side is on hold after pain, so those drills work only the other side this week, and drills that turn both hips at once are left out until your next comfortable check.",
                super::eligibility::join_words(&sides)
            ));
        }
        let budget = u32::from(profile.minutes_per_session.get()) * 60;
        let mut sessions = Vec::new();
        let count = profile.sessions_per_week.get();
        let strength = strength_days(usize::from(count));
        for index in 0..count {
            let strength_day = strength.get(usize::from(index)).copied().unwrap_or(false);
            let session = plan_session(index, &candidates, &held, asymmetry, budget, strength_day);
            if session.items.is_empty() {
                let needed = candidates
                    .iter()
                    .filter_map(|c| {
                        let sides = sides_for(c.exercise, &held)?;
                        let one = SetCount::new(1).ok()?;
                        Some(PlannedExercise::estimate(
                            c.exercise.laterality,
                            &Dose { sets: one, ..c.dose },
                            sides,
                            None,
                        ))
                    })
                    .min();
                return match needed {
                    Some(needed_seconds) => {
                        Err(PlanError::NotEnoughTime { minutes: profile.minutes_per_session.get(), needed_seconds })
                    }
                    None => Err(PlanError::NothingSuitable),
                };
            }
            sessions.push(session);
        }
        Ok(WeekPlan { sessions, budget_seconds: budget, excluded, asymmetry, notes })
    }

    /// Every exercise scheduled at least once this week.
    pub fn scheduled(&self) -> BTreeSet<&ExerciseId> {
        self.sessions.iter().flat_map(|s| s.items.iter().map(|i| &i.exercise)).collect()
    }
}

/// The families to schedule, each at its current version and dose.
fn candidates<'a>(
    eligibility: &Eligibility<'a>,
    state: &ProgressionState,
    excluded: &mut Vec<Exclusion>,
    notes: &mut Vec<String>,
) -> Vec<Candidate<'a>> {
    let catalog = eligibility.catalog();
    // Disliked exercises are said to be left out once it is known what stood in for them.
    let mut disliked = Vec::new();
    for exercise in catalog.exercises() {
        match eligibility.check(exercise) {
            Err(exclusion) => excluded.push(exclusion),
            Ok(()) if eligibility.is_disliked(&exercise.id) => disliked.push(exercise),
            Ok(()) => {}
        }
    }
    let roots: BTreeSet<ExerciseId> = catalog.exercises().map(|e| eligibility.family_root(&e.id)).collect();
    let mut chosen: Vec<Candidate<'a>> = Vec::new();
    let mut replacements: Vec<(&'a Exercise, &'a Exercise)> = Vec::new();
    for root in roots {
        if let Some(prescription) = state.prescription(&root) {
            if let PrescriptionStatus::Paused { since, see_clinician } = prescription.status {
                let advice = if see_clinician {
                    " Please see a physiotherapist or doctor before starting it again."
                } else {
                    ""
                };
                for member in eligibility.family(&root) {
                    if eligibility.allows(member) {
                        excluded.push(Exclusion {
                            exercise: member.id.clone(),
                            reason: ExclusionReason::Paused,
                            text: format!("Paused after pain on {since}.{advice}"),
                        });
                    }
                }
                continue;
            }
            if let Some(current) = catalog.get(prescription.exercise.as_str()).filter(|e| eligibility.allows(e)) {
                chosen.push(candidate(eligibility, root, current, prescription.dose));
                continue;
            }
        }
        // The family starts at its easiest version for this goal; if that one is left out (by
        // screening, equipment, floor or chair), so is the family: a harder version is reached
        // only by progressing from the easier one, never as a stand-in for it.
        let family: Vec<&Exercise> =
            eligibility.family(&root).into_iter().filter(|e| eligibility.suits_goal(e)).collect();
        let Some(&entry) = family.first() else { continue };
        if let Err(left_out) = eligibility.check(entry) {
            for harder in family.iter().skip(1).filter(|e| eligibility.check(e).is_ok()) {
                excluded.push(Exclusion {
                    exercise: harder.id.clone(),
                    reason: ExclusionReason::EasierVersionFirst,
                    text: format!(
                        "It is a harder version of {}, which is left out ({}); a harder version comes only after its easier one.",
                        entry.name,
                        lowercase_first(left_out.text.trim_end_matches('.'))
                    ),
                });
            }
            continue;
        }
        if eligibility.is_disliked(&entry.id) {
            if let Some(instead) = stand_in(eligibility, entry) {
                replacements.push((entry, instead));
            }
            continue;
        }
        chosen.push(candidate(eligibility, root, entry, entry.dose));
    }
    // What each stand-in became: its own place in the plan, or (its family being planned
    // already) nothing new — and the sentences say which, so a swap never claims a slot it did
    // not take.
    let mut planned_already: BTreeSet<ExerciseId> = BTreeSet::new();
    for (entry, instead) in replacements {
        let family = eligibility.family_root(&instead.id);
        if let Some(existing) = chosen.iter_mut().find(|c| c.family == family) {
            existing.liked = true;
            planned_already.insert(instead.id.clone());
            notes.push(format!(
                "{} is left out, as you asked; {}, its stand-in, is in the plan already.",
                entry.name,
                covered_by(instead, existing.exercise)
            ));
        } else {
            let mut added = candidate(eligibility, family, instead, instead.dose);
            added.liked = true;
            chosen.push(added);
            notes.push(format!("{} is swapped for {}, as you asked.", entry.name, instead.name));
        }
    }
    for exercise in disliked {
        let text = match stand_in(eligibility, exercise) {
            Some(instead) if planned_already.contains(&instead.id) => {
                format!("You asked to leave this out; {} is in your plan already.", instead.name)
            }
            Some(instead) => format!("You asked to leave this out; {} takes its place.", instead.name),
            None => "You asked to leave this out.".to_owned(),
        };
        excluded.push(Exclusion { exercise: exercise.id.clone(), reason: ExclusionReason::Disliked, text });
    }
    chosen
}

/// What takes the place of a disliked exercise: the person's swap or a catalog alternative,
/// and only the easiest version of its own family (never a harder version whose easier one the
/// person cannot do).
fn stand_in<'a>(eligibility: &Eligibility<'a>, exercise: &Exercise) -> Option<&'a Exercise> {
    let easiest_of_its_family = |e: &Exercise| {
        let root = eligibility.family_root(&e.id);
        eligibility.family(&root).into_iter().find(|m| eligibility.suits_goal(m)).is_some_and(|m| m.id == e.id)
    };
    eligibility.replacement(exercise).filter(|e| easiest_of_its_family(e))
}

/// "Box squat" when it is planned itself, or "Bodyweight squat (as Box squat)" when the plan
/// has another version of its family.
fn covered_by(instead: &Exercise, planned: &Exercise) -> String {
    if instead.id == planned.id { instead.name.clone() } else { format!("{} (as {})", instead.name, planned.name) }
}

/// Loaded strength work or resistance-band work, which clinical.md keeps to 2–3 non-consecutive
/// days a week: the planner spreads it, and the next session holds it back after a strength day.
pub fn is_strength_work(exercise: &Exercise) -> bool {
    Block::of(exercise) == Block::Strength || exercise.equipment.contains(&Equipment::Band)
}

/// The weekdays (0 = Monday) a week's sessions fall on: spread out, with rest days between
/// wherever the count allows. The strength-day rule and the calendar export both use it.
pub fn session_weekdays(sessions: usize) -> &'static [u8] {
    match sessions {
        0 | 1 => &[0],
        2 => &[0, 3],
        3 => &[0, 2, 4],
        4 => &[0, 1, 3, 5],
        5 => &[0, 1, 2, 3, 4],
        6 => &[0, 1, 2, 3, 4, 5],
        _ => &[0, 1, 2, 3, 4, 5, 6],
    }
}

/// The most strength days in a week (clinical.md: 2–3 non-consecutive days).
const MAX_STRENGTH_DAYS: usize = 3;

/// Per session, whether it may hold strength and band work: at most three, never on the day
/// after another (so at 5–7 sessions a week the extra sessions are mobility and activation).
fn strength_days(sessions: usize) -> Vec<bool> {
    let mut last: Option<u8> = None;
    let mut count = 0;
    session_weekdays(sessions)
        .iter()
        .take(sessions)
        .map(|&day| {
            let rested = last.is_none_or(|previous| day >= previous + 2);
            let strength = rested && count < MAX_STRENGTH_DAYS;
            if strength {
                last = Some(day);
                count += 1;
            }
            strength
        })
        .collect()
}

/// The sides whose end-range inward turning waits for a clinical review, with the reason: a
/// hard, blocked end of the turn (it may be bone, which is never pushed into), or at 50 and over
/// a reading under 15° (one of the signs of early hip arthritis), whenever it is measured and by
/// any method, since holding back is the cautious direction.
fn sides_for_review(profile: &Profile) -> Vec<(Side, String)> {
    let older = matches!(profile.age_band, AgeBand::From50To64 | AgeBand::From65);
    Side::BOTH
        .into_iter()
        .filter_map(|side| {
            let reading = profile.range_of_motion.side(side)?;
            let degrees = reading.degrees.get();
            let why = if reading.hard_end_feel {
                format!(
                    "Your {side} hip stops hard at the end of turning inward, which can be bone and is never pushed into"
                )
            } else if older && degrees < VERY_LIMITED_IR {
                format!(
                    "Your {side} hip turns inward only {degrees}°; at 50 and over that is worth a review with a doctor or physiotherapist"
                )
            } else {
                return None;
            };
            Some((
                side,
                format!(
                    "{why}, so end-range inward turning on that side waits until a doctor or physiotherapist has looked at it."
                ),
            ))
        })
        .collect()
}

/// Below this many degrees, inward turning at 50 and over needs a review (clinical.md).
const VERY_LIMITED_IR: u16 = 15;

/// One sentence on what more equipment would add, by name: "With a resistance band you could
/// add Banded seated hip abduction; with a high seat, Seated hip internal rotation, foot free."
fn equipment_note(eligibility: &Eligibility<'_>, excluded: &[Exclusion]) -> Option<String> {
    let catalog = eligibility.catalog();
    let mut by_need: Vec<(String, Vec<&str>)> = Vec::new();
    for exclusion in excluded.iter().filter(|e| e.reason == ExclusionReason::MissingEquipment) {
        let Some(exercise) = catalog.get(exclusion.exercise.as_str()) else { continue };
        let missing: Vec<String> = exercise
            .equipment
            .iter()
            .filter(|e| !eligibility.can_use(**e))
            .map(|e| format!("a {}", e.label()))
            .collect();
        let missing: Vec<&str> = missing.iter().map(String::as_str).collect();
        let need = super::eligibility::join_words(&missing);
        match by_need.iter_mut().find(|(n, _)| *n == need) {
            Some((_, names)) => names.push(&exercise.name),
            None => by_need.push((need, vec![&exercise.name])),
        }
    }
    let parts: Vec<String> = by_need
        .iter()
        .enumerate()
        .map(|(i, (need, names))| {
            let with = if i == 0 { "With" } else { "with" };
            format!("{with} {need} you could add {}", super::eligibility::join_words(names))
        })
        .collect();
    (!parts.is_empty()).then(|| format!("{}.", parts.join("; ")))
}

pub(crate) fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

fn candidate<'a>(
    eligibility: &Eligibility<'a>,
    family: ExerciseId,
    exercise: &'a Exercise,
    dose: Dose,
) -> Candidate<'a> {
    let liked = eligibility.is_liked(&exercise.id) || eligibility.is_liked(&family);
    Candidate { family, exercise, dose, block: Block::of(exercise), liked }
}

/// How the sides are worked given the sides on hold, or `None` when the exercise must wait.
fn sides_for(exercise: &Exercise, frozen: &[Side]) -> Option<SideSelection> {
    let inward = exercise.contraindication_tags.contains(&ContraindicationTag::InternalRotation);
    match exercise.laterality {
        Laterality::Unilateral if inward && !frozen.is_empty() => {
            let open: Vec<Side> = Side::BOTH.into_iter().filter(|s| !frozen.contains(s)).collect();
            match open.as_slice() {
                [side] => Some(SideSelection::OneSide(*side)),
                _ => None,
            }
        }
        Laterality::Unilateral => Some(SideSelection::EachSide),
        _ if inward && !frozen.is_empty() => None,
        _ => Some(SideSelection::Together),
    }
}

fn plan_session(
    index: u16,
    candidates: &[Candidate<'_>],
    held: &[Side],
    asymmetry: Option<Side>,
    budget: u32,
    strength_day: bool,
) -> PlannedSession {
    // Strength and band work only on strength days, so it never falls on consecutive days.
    let blocks = [Block::Mobility, Block::WarmUp, Block::Strength, Block::CoolDown];
    let groups: Vec<Vec<&Candidate<'_>>> = blocks
        .iter()
        .map(|block| {
            let (liked, mut others): (Vec<&Candidate<'_>>, Vec<&Candidate<'_>>) = candidates
                .iter()
                // Only what can be done today takes a place in the rotation, so a drill that
                // must wait (both hips turning while one is on hold) never pushes out one that can.
                .filter(|c| c.block == *block && sides_for(c.exercise, held).is_some())
                .filter(|c| strength_day || !is_strength_work(c.exercise))
                .partition(|c| c.liked);
            if !others.is_empty() {
                let shift = usize::from(index) % others.len();
                others.rotate_left(shift);
            }
            liked.into_iter().chain(others).collect()
        })
        .collect();
    // Round-robin across the groups: one inward-turning drill, one warm-up, one strength, one
    // stretch, then the next of each, so a short session still gets a bit of everything.
    let longest = groups.iter().map(Vec::len).max().unwrap_or(0);
    let mut priority = Vec::new();
    for round in 0..longest {
        for group in &groups {
            if let Some(candidate) = group.get(round) {
                priority.push(*candidate);
            }
        }
    }
    let mut items: Vec<PlannedExercise> = Vec::new();
    let mut used = 0;
    // First a balanced selection (a few of each part, rotating through the week), then whatever
    // else fits, so the session fills the time asked before anything is left for another day.
    for balanced in [true, false] {
        for candidate in &priority {
            let taken = items.iter().filter(|i| i.block == candidate.block).count();
            if (balanced && taken >= candidate.block.per_session())
                || items.iter().any(|i| i.family == candidate.family)
            {
                continue;
            }
            let Some(sides) = sides_for(candidate.exercise, held) else { continue };
            let inward = candidate.exercise.contraindication_tags.contains(&ContraindicationTag::InternalRotation);
            let extra = asymmetry.filter(|_| inward && sides == SideSelection::EachSide);
            if let Some(item) = fit(candidate, sides, extra, budget.saturating_sub(used)) {
                used += item.estimated_seconds;
                items.push(item);
            }
        }
    }
    items.sort_by_key(|i| i.block);
    PlannedSession { number: u8::try_from(index + 1).unwrap_or(u8::MAX), items, estimated_seconds: used }
}

/// The candidate at the largest dose that fits `left` seconds: first as prescribed (with any
/// extra set), then without the extra set, then with fewer sets; `None` if even one set is too long.
fn fit(candidate: &Candidate<'_>, sides: SideSelection, extra: Option<Side>, left: u32) -> Option<PlannedExercise> {
    let laterality = candidate.exercise.laterality;
    let mut tries = vec![(candidate.dose, extra)];
    for sets in (1..=candidate.dose.sets.get()).rev() {
        if let Ok(sets) = SetCount::new(i64::from(sets)) {
            tries.push((Dose { sets, ..candidate.dose }, None));
        }
    }
    tries.into_iter().find_map(|(dose, extra_set)| {
        let estimated_seconds = PlannedExercise::estimate(laterality, &dose, sides, extra_set);
        (estimated_seconds <= left).then(|| PlannedExercise {
            family: candidate.family.clone(),
            exercise: candidate.exercise.id.clone(),
            name: candidate.exercise.name.clone(),
            block: candidate.block,
            laterality,
            dose,
            sides,
            extra_set,
            estimated_seconds,
        })
    })
}
