//! A session flattened into timed steps, so the engine only ever walks a list.
//!
//! Every step has a fixed length (except the pain check, which waits for an answer), and the
//! steps that belong together — the reps of one set, say — share a `unit`, which is what skip and
//! back move between.

use super::item::{SessionItem, Sides};
use crate::catalog::{Effort, Phase};
use crate::units::Side;
use serde::{Deserialize, Serialize};

/// Which side a set works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Working {
    /// One side.
    Side(Side),
    /// Both sides together.
    Both,
    /// Sides take turns rep by rep, starting with the left.
    Alternating,
}

impl Working {
    /// The side working on a given rep (1-based), if only one is.
    pub fn side_on_rep(self, rep: u16) -> Option<Side> {
        match self {
            Working::Side(side) => Some(side),
            Working::Both => None,
            Working::Alternating => Some(if rep % 2 == 1 { Side::Left } else { Side::Right }),
        }
    }
}

/// What a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum StepKind {
    /// Getting into position before an exercise.
    GetReady,
    /// Changing to the other side.
    SwitchSides {
        /// The side about to work.
        to: Side,
    },
    /// A static hold.
    Hold {
        /// Set number, from 1.
        set: u16,
        /// Side holding.
        working: Working,
    },
    /// One phase of one rep.
    Rep {
        /// Set number, from 1.
        set: u16,
        /// Side working.
        working: Working,
        /// Rep number within the set, from 1.
        rep: u16,
        /// Reps in the set.
        of: u16,
        /// Which phase of the rep.
        phase: Phase,
    },
    /// Rest between sets.
    Rest,
    /// Asking about hip pain after the exercise; waits for an answer.
    PainCheck,
}

impl StepKind {
    /// Whether the step is part of a set (a hold or a rep).
    pub fn is_work(self) -> bool {
        matches!(self, StepKind::Hold { .. } | StepKind::Rep { .. })
    }
}

/// One step of the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// Index of the exercise in the session.
    pub item: usize,
    /// Steps with the same unit are skipped and repeated together.
    pub unit: usize,
    /// What happens.
    pub kind: StepKind,
    /// Length in milliseconds; zero for the untimed pain check.
    pub duration_ms: u64,
}

/// Step lengths that are not part of a prescription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pace {
    /// Time to get into position before each exercise.
    pub get_ready_ms: u64,
    /// Time to change sides.
    pub switch_ms: u64,
    /// Caps every timed step: a quick walkthrough for demos and end-to-end tests, never for training.
    pub cap_ms: Option<u64>,
}

impl Pace {
    /// Every timed step, getting ready and switching sides included, capped at `ms`: the quick
    /// walkthrough for demos and end-to-end tests.
    pub fn capped(ms: u64) -> Self {
        Self { get_ready_ms: ms, switch_ms: ms, cap_ms: Some(ms) }
    }
}

impl Default for Pace {
    fn default() -> Self {
        Self { get_ready_ms: 10_000, switch_ms: 5_000, cap_ms: None }
    }
}

/// Flattens the items into steps.
pub(crate) fn build(items: &[SessionItem], pace: Pace) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut unit = 0;
    let cap = |ms: u64| pace.cap_ms.map_or(ms, |cap| ms.min(cap));
    let mut push = |steps: &mut Vec<Step>, item: usize, kind: StepKind, ms: u64, new_unit: bool| {
        if new_unit && !steps.is_empty() {
            unit += 1;
        }
        steps.push(Step {
            item,
            unit,
            kind,
            duration_ms: if matches!(kind, StepKind::PainCheck) { 0 } else { cap(ms) },
        });
    };
    for (index, item) in items.iter().enumerate() {
        push(&mut steps, index, StepKind::GetReady, pace.get_ready_ms, true);
        let rounds = item.sides.max_sets();
        let rest_ms = u64::from(item.rest.get()) * 1000;
        let mut last_side: Option<Side> = None;
        for set in 1..=rounds {
            let workings = item.sides.workings_for_set(set);
            for working in &workings {
                if let Working::Side(side) = working {
                    if last_side.is_some_and(|last| last != *side) {
                        push(&mut steps, index, StepKind::SwitchSides { to: *side }, pace.switch_ms, true);
                    }
                    last_side = Some(*side);
                }
                match item.effort {
                    Effort::Hold { seconds } => {
                        let kind = StepKind::Hold { set, working: *working };
                        push(&mut steps, index, kind, u64::from(seconds.get()) * 1000, true);
                    }
                    Effort::Reps { count, tempo } => {
                        let reps = match working {
                            Working::Alternating => count.get() * 2,
                            _ => count.get(),
                        };
                        let mut first = true;
                        for rep in 1..=reps {
                            for phase in item.effort.phases() {
                                let seconds = match phase {
                                    Phase::Out => tempo.out.get(),
                                    Phase::Hold => tempo.hold.get(),
                                    Phase::Back => tempo.back.get(),
                                    Phase::Setup => 0,
                                };
                                let kind = StepKind::Rep { set, working: *working, rep, of: reps, phase: *phase };
                                push(&mut steps, index, kind, u64::from(seconds) * 1000, first);
                                first = false;
                            }
                        }
                    }
                }
            }
            if set < rounds && rest_ms > 0 {
                push(&mut steps, index, StepKind::Rest, rest_ms, true);
            }
        }
        push(&mut steps, index, StepKind::PainCheck, 0, true);
    }
    steps
}

impl Sides {
    fn max_sets(&self) -> u16 {
        match self {
            Sides::EachSide { left, right } => left.get().max(right.get()),
            Sides::Together { sets } | Sides::Alternating { sets } | Sides::OneSide { sets, .. } => sets.get(),
        }
    }

    /// Which sides work in round `set`. Even rounds run right then left, so the side that just
    /// rested keeps its place and no switch is needed after a rest; the stiffer side's extra set
    /// comes after the equal ones.
    fn workings_for_set(&self, set: u16) -> Vec<Working> {
        match self {
            Sides::EachSide { left, right } => {
                let mut order = Side::BOTH;
                if set % 2 == 0 {
                    order.reverse();
                }
                order
                    .into_iter()
                    .filter(|side| set <= if *side == Side::Left { left.get() } else { right.get() })
                    .map(Working::Side)
                    .collect()
            }
            Sides::Together { .. } => vec![Working::Both],
            Sides::Alternating { .. } => vec![Working::Alternating],
            Sides::OneSide { side, .. } => vec![Working::Side(*side)],
        }
    }
}
