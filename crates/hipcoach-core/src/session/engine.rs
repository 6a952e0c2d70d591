//! The guided-session state machine: commands and time in, effects out, no clock of its own.
//!
//! Step boundaries are absolute: a step that should end at 30 000 ms ends there even when the
//! tick arrives late, and the next step is timed from 30 000 ms, not from the late tick. So
//! however irregular the front end's ticks, the session never drifts; only the reaction to each
//! boundary is as late as the tick that reveals it.

use super::effect::{BeepKind, Command, Effect};
use super::item::SessionItem;
use super::record::{ExerciseRecord, PainAnswer, SessionRecord, SetOutcome, SetRecord};
use super::script::{self, Pace, Step, StepKind, Working};
use crate::catalog::{Effort, Phase};
use crate::measure::{CameraEvent, CameraTask, CameraWatch, FormFault, TestPosition};
use crate::units::Side;
use serde::Serialize;
use std::collections::BTreeSet;

/// Milliseconds since an arbitrary origin of the front end's monotonic clock.
pub type Millis = u64;

/// Where the session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RunState {
    /// Waiting for [`Command::Start`].
    NotStarted,
    /// The clock runs.
    Running,
    /// The clock is frozen.
    Paused,
    /// Waiting for the pain answer.
    AwaitingPain,
    /// Red pain stopped an exercise: waiting for "end the session" or "go on without it".
    AwaitingChoice,
    /// Over.
    Finished,
}

/// A snapshot for drawing the screen; cheap to take on every frame.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct View<'a> {
    /// Where the session stands.
    pub state: RunState,
    /// The current step, if any.
    pub step: Option<Step>,
    /// The current exercise.
    pub item: Option<&'a SessionItem>,
    /// Exercise number, from 1, and how many there are.
    pub exercise_number: (usize, usize),
    /// Time left in the current step.
    pub remaining_ms: u64,
    /// Share of the session's planned time behind us, 0 to 1.
    pub progress: f64,
    /// The breathing cue for the current phase.
    pub breathing: Option<&'a str>,
    /// What a camera coach would watch now, when the step is a set it can watch.
    pub camera: Option<CameraWatch>,
    /// Whether the camera paces the sets it can watch (it is on and sees the legs).
    pub camera_on: bool,
    /// The clock waits for the camera: for the leg to reach end range (a hold) or for the rep
    /// to come back (reps).
    pub waiting_for_camera: bool,
}

/// A guided session in progress.
#[derive(Debug, Clone)]
pub struct Engine {
    items: Vec<SessionItem>,
    steps: Vec<Step>,
    /// Planned start of each step from the session start, for progress.
    offsets: Vec<u64>,
    total_ms: u64,
    index: usize,
    state: RunState,
    /// When the current step started, on the front end's clock, with pauses added back.
    step_started: Millis,
    paused_at: Option<Millis>,
    /// How far into the current step the last tick reached, so each cue fires once.
    seen_ms: u64,
    session_started: Millis,
    paused_total: u64,
    records: Vec<ExerciseRecord>,
    frozen: BTreeSet<Side>,
    reminder: Vec<usize>,
    /// The camera coach is on and sees the legs.
    camera: bool,
    /// The camera last saw the leg at end range.
    at_end_range: bool,
    /// Since when a hold's clock has waited for the leg to be at end range (camera on).
    hold_waiting_since: Option<Millis>,
    /// A rep's time is up but the camera has not seen it come back (camera on).
    rep_waiting: bool,
}

impl Engine {
    /// A session over `items`, not yet started.
    pub fn new(items: Vec<SessionItem>, pace: Pace) -> Self {
        let steps = script::build(&items, pace);
        let mut offsets = Vec::with_capacity(steps.len());
        let mut total_ms = 0;
        for step in &steps {
            offsets.push(total_ms);
            total_ms += step.duration_ms;
        }
        let records = items
            .iter()
            .zip(planned_sets(&steps, items.len()))
            .map(|(item, sets)| ExerciseRecord { exercise: item.exercise.clone(), sets, pain: PainAnswer::NotAnswered })
            .collect();
        let reminder = vec![0; items.len()];
        Self {
            items,
            steps,
            offsets,
            total_ms,
            index: 0,
            state: RunState::NotStarted,
            step_started: 0,
            paused_at: None,
            seen_ms: 0,
            session_started: 0,
            paused_total: 0,
            records,
            frozen: BTreeSet::new(),
            reminder,
            camera: false,
            at_end_range: false,
            hold_waiting_since: None,
            rep_waiting: false,
        }
    }

    /// The planned length of the session without pauses or pain checks.
    pub fn planned_ms(&self) -> u64 {
        self.total_ms
    }

    /// The steps the session walks through.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Where the session stands.
    pub fn state(&self) -> RunState {
        self.state
    }

    /// Applies a command at time `at` and returns what to do.
    pub fn handle(&mut self, at: Millis, command: Command) -> Vec<Effect> {
        let mut effects = Vec::new();
        match (self.state, command) {
            (RunState::Finished, _) => {}
            (RunState::NotStarted, Command::Start) => {
                self.state = RunState::Running;
                self.session_started = at;
                self.step_started = at;
                self.enter(&mut effects);
                self.advance(at, &mut effects);
            }
            (RunState::NotStarted, Command::EndSession) => self.finish(at, true, &mut effects),
            (_, Command::Camera(event)) => self.camera_saw(at, event, &mut effects),
            (RunState::NotStarted, _) => {}
            // While the choice after red pain is open nothing is under way to stop.
            (RunState::AwaitingChoice, Command::SharpPain) => {}
            (_, Command::SharpPain) => self.stop_for_pain(at, &mut effects),
            (_, Command::EndSession) => self.finish(at, true, &mut effects),
            (RunState::Running, Command::Tick) => self.advance(at, &mut effects),
            (RunState::Running, Command::Pause) => {
                self.advance(at, &mut effects);
                if self.state == RunState::Running {
                    self.state = RunState::Paused;
                    self.paused_at = Some(at);
                    effects.push(Effect::Show("Paused".into()));
                }
            }
            (RunState::Paused, Command::Resume) => {
                let paused = at.saturating_sub(self.paused_at.take().unwrap_or(at));
                self.step_started += paused;
                self.paused_total += paused;
                // A hold already waiting for the camera has waited through the pause too.
                self.hold_waiting_since = self.hold_waiting_since.map(|since| since + paused);
                self.state = RunState::Running;
                effects.push(Effect::Show("Carry on".into()));
                self.follow_camera(at, &mut effects);
            }
            (RunState::Running | RunState::Paused | RunState::AwaitingPain, Command::Skip) => {
                if self.state == RunState::AwaitingPain {
                    self.answer_pain(at, PainAnswer::NotAnswered, &mut effects);
                } else {
                    self.advance(at, &mut effects);
                    self.skip_unit(at, SetOutcome::Skipped, &mut effects);
                }
            }
            (RunState::Running | RunState::Paused, Command::Back) => self.back(at, &mut effects),
            (RunState::AwaitingPain, Command::AnswerPain(answer)) => self.answer_pain(at, answer, &mut effects),
            (RunState::AwaitingChoice, Command::GoOn) => {
                self.state = RunState::Running;
                self.restart_clock(at);
                self.enter(&mut effects);
            }
            _ => {}
        }
        effects
    }

    /// The time of the next cue or step boundary, so a front end can sleep until then.
    pub fn next_wake(&self) -> Option<Millis> {
        if self.state != RunState::Running || self.hold_waiting_since.is_some() || self.rep_waiting {
            return None;
        }
        let step = self.steps.get(self.index)?;
        let next_mark = marks(step).into_iter().map(|(at, _)| at).find(|at| *at > self.seen_ms);
        Some(self.step_started + next_mark.unwrap_or(step.duration_ms))
    }

    /// The screen at time `at` (which does not advance the session).
    pub fn view(&self, at: Millis) -> View<'_> {
        let step = self.steps.get(self.index).copied();
        let now = self.clock_at(at);
        let elapsed = match (self.state, step) {
            (RunState::Running | RunState::Paused, Some(step)) => {
                now.saturating_sub(self.step_started).min(step.duration_ms)
            }
            _ => 0,
        };
        let remaining_ms = step.map_or(0, |s| s.duration_ms.saturating_sub(elapsed));
        let done = match self.state {
            RunState::Finished => self.total_ms,
            _ => self.offsets.get(self.index).copied().unwrap_or(self.total_ms) + elapsed,
        };
        let item = step.and_then(|s| self.items.get(s.item));
        let breathing = match (step.map(|s| s.kind), item) {
            (Some(StepKind::Hold { .. }), Some(item)) => item.breathing_cue(Phase::Hold),
            (Some(StepKind::Rep { phase, .. }), Some(item)) => item.breathing_cue(phase),
            (Some(StepKind::GetReady), Some(item)) => item.breathing_cue(Phase::Setup),
            _ => None,
        };
        let camera = match (step, self.state) {
            (Some(step), RunState::Running | RunState::Paused) => self.watchable(&step),
            _ => None,
        };
        View {
            state: self.state,
            step,
            item,
            exercise_number: (step.map_or(self.items.len(), |s| s.item + 1), self.items.len()),
            remaining_ms,
            progress: if self.total_ms == 0 { 1.0 } else { done as f64 / self.total_ms as f64 },
            breathing,
            camera,
            camera_on: self.camera,
            waiting_for_camera: self.hold_waiting_since.is_some() || self.rep_waiting,
        }
    }

    /// Moves through every boundary up to `at`, firing the cues passed on the way.
    fn advance(&mut self, at: Millis, effects: &mut Vec<Effect>) {
        while self.state == RunState::Running {
            let Some(step) = self.steps.get(self.index).copied() else { break };
            let now = self.clock_at(at);
            let elapsed = now.saturating_sub(self.step_started).min(step.duration_ms);
            for (mark, effect) in marks(&step) {
                if mark > self.seen_ms && mark <= elapsed {
                    match effect {
                        Mark::Beep(kind) => effects.push(Effect::Beep(kind)),
                        Mark::Remind => self.remind(step.item, effects),
                    }
                }
            }
            self.seen_ms = self.seen_ms.max(elapsed);
            if now < self.step_started + step.duration_ms {
                break;
            }
            if self.camera_watch(&step).is_some_and(|w| w.task == CameraTask::Reps) && self.ends_rep(self.index) {
                // The rep ends when the camera sees it come back, not when the tempo says.
                if !self.rep_waiting {
                    self.rep_waiting = true;
                    effects.push(Effect::Remind("Bring the foot back to the start to finish the rep.".into()));
                }
                break;
            }
            self.complete(&step, effects);
            self.step_started += step.duration_ms;
            self.index += 1;
            self.enter(effects);
        }
    }

    /// Announces the current step; skips it at once when it cannot be done today.
    fn enter(&mut self, effects: &mut Vec<Effect>) {
        self.seen_ms = 0;
        self.rep_waiting = false;
        self.hold_waiting_since = None;
        loop {
            let Some(step) = self.steps.get(self.index).copied() else {
                let at = self.step_started;
                self.finish(at, false, effects);
                return;
            };
            if self.is_frozen(&step) {
                self.skip_frozen(effects);
                continue;
            }
            let item = &self.items[step.item];
            match step.kind {
                StepKind::GetReady => {
                    effects.push(Effect::Show(format!("Get ready: {}. {}", item.name, item.setup)));
                    effects.push(Effect::Speak(format!("Next: {}. {}", item.name, item.setup)));
                }
                StepKind::SwitchSides { to } => {
                    effects.push(Effect::Show(format!("Switch sides: {to} side next")));
                    effects.push(Effect::Speak(format!("Switch sides. {} side next.", capitalised(to))));
                }
                StepKind::Hold { set, working } => {
                    effects.push(Effect::Beep(BeepKind::Start));
                    let cue = item.breathing_cue(Phase::Hold).unwrap_or("Breathe slowly.");
                    effects.push(Effect::Show(format!("Hold{} — set {set}. {cue}", side_words(working))));
                    let speech = if set == 1 {
                        format!("Hold{}. {cue}", side_words(working))
                    } else {
                        format!("Hold{}.", side_words(working))
                    };
                    effects.push(Effect::Speak(speech));
                    if self.camera_watch(&step).is_some() && !self.at_end_range {
                        self.hold_waiting_since = Some(self.step_started);
                        effects.push(Effect::Remind(
                            "Turn in to the end of your range: the hold's clock runs while the camera sees you there."
                                .into(),
                        ));
                    }
                }
                StepKind::Rep { set, working, rep, of, phase } => {
                    let cue = item.breathing_cue(phase).unwrap_or_default();
                    let side = working.side_on_rep(rep).map(|s| format!(" {s}")).unwrap_or_default();
                    effects.push(Effect::Show(format!("Rep {rep} of {of}{side} — {}: {cue}", phase.label())));
                    if phase == Phase::Out {
                        if rep == 1 {
                            effects.push(Effect::Beep(BeepKind::Start));
                            effects.push(Effect::Speak(format!("Set {set}{}. {cue}", side_words(working))));
                        } else {
                            effects.push(Effect::Speak(rep.to_string()));
                        }
                        if rep == of / 2 + 1 && of >= 4 {
                            self.remind(step.item, effects);
                        }
                    }
                }
                StepKind::Rest => {
                    effects.push(Effect::Show(format!("Rest {} s", step.duration_ms / 1000)));
                    effects.push(Effect::Speak("Rest.".into()));
                }
                StepKind::PainCheck => {
                    self.state = RunState::AwaitingPain;
                    effects.push(Effect::AskPain { exercise: item.exercise.clone(), name: item.name.clone() });
                    effects.push(Effect::Speak(
                        "How is your hip? Rate any hip pain from 0 to 10. The stretch feeling does not count.".into(),
                    ));
                }
            }
            return;
        }
    }

    /// Records a finished work step when it closes its set.
    fn complete(&mut self, step: &Step, effects: &mut Vec<Effect>) {
        if !step.kind.is_work() || !self.is_last_of_unit(self.index) {
            return;
        }
        effects.push(Effect::Beep(BeepKind::End));
        let done = self.work_done(self.index, step.duration_ms);
        self.set_outcome(step, SetOutcome::Completed, done);
    }

    /// Ends the current unit early and moves to the next.
    fn skip_unit(&mut self, at: Millis, outcome: SetOutcome, effects: &mut Vec<Effect>) {
        let Some(step) = self.steps.get(self.index).copied() else { return };
        if step.kind.is_work() {
            let elapsed = self.clock_at(at).saturating_sub(self.step_started).min(step.duration_ms);
            let done = self.work_done(self.index, elapsed);
            self.set_outcome(&step, outcome, done);
        }
        self.index = self.end_of_unit(self.index);
        self.restart_clock(at);
        self.enter(effects);
    }

    /// Back stays inside the current exercise: an exercise already rated (or stopped for pain) is
    /// never reopened.
    /// Back goes to the start of the current rep (of a hold: the hold), or, within two seconds
    /// of that start, to the previous rep — never the whole set, which would add reps nobody
    /// asked for. At the first rep of a set it goes to the step before, within the exercise.
    fn back(&mut self, at: Millis, effects: &mut Vec<Effect>) {
        let start = self.start_of_rep(self.index);
        let into_rep =
            self.offsets[self.index] - self.offsets[start] + self.clock_at(at).saturating_sub(self.step_started);
        let mut target = start;
        if into_rep < 2_000 && start > 0 && self.steps[start - 1].item == self.steps[start].item {
            target = self.start_of_rep(start - 1);
        }
        self.index = target;
        self.restart_clock(at);
        self.enter(effects);
    }

    fn stop_for_pain(&mut self, at: Millis, effects: &mut Vec<Effect>) {
        let Some(step) = self.steps.get(self.index).copied() else { return };
        effects.push(Effect::Beep(BeepKind::End));
        let item_index = step.item;
        if step.kind.is_work() {
            let elapsed = self.clock_at(at).saturating_sub(self.step_started).min(step.duration_ms);
            let done = self.work_done(self.index, elapsed);
            self.set_outcome(&step, SetOutcome::StoppedForPain, done);
        }
        self.records[item_index].pain = PainAnswer::Sharp;
        let item = &self.items[item_index];
        let mut advice = String::from(
            "Stopped. Ease slowly out of the position and rest. Sharp pain means stop: do not repeat this exercise today.",
        );
        if item.end_range_rotation {
            let sides = match step.kind {
                StepKind::Hold { working, .. } | StepKind::Rep { working, .. } => match working {
                    Working::Side(side) => vec![side],
                    Working::Both | Working::Alternating => Side::BOTH.to_vec(),
                },
                _ => Side::BOTH.to_vec(),
            };
            self.frozen.extend(sides.iter().copied());
            let named: Vec<&str> = sides.iter().map(|s| s.label()).collect();
            let which = if named.len() == 1 { format!("the {} side", named[0]) } else { "both sides".to_owned() };
            advice.push_str(&format!(" End-range inward turning on {which} rests until your next pain-free check."));
        }
        advice.push_str(" If sharp pain comes back, see a clinician.");
        effects.push(Effect::StoppedForPain { exercise: item.exercise.clone(), advice: advice.clone() });
        effects.push(Effect::Speak(advice));
        // The pain check is answered already; the person decides what comes next.
        self.index = self.first_step_after(item_index);
        self.restart_clock(at);
        self.ask_go_on(at, item_index, effects);
    }

    /// After red pain: nothing starts by itself. With exercises left, ask whether to go on
    /// without the stopped one; with none left, the session is over.
    fn ask_go_on(&mut self, at: Millis, item_index: usize, effects: &mut Vec<Effect>) {
        let left =
            self.steps[self.index.min(self.steps.len())..].iter().any(|s| s.kind.is_work() && !self.is_frozen(s));
        if !left {
            self.state = RunState::Running;
            self.step_started = at;
            self.index = self.steps.len();
            self.enter(effects);
            return;
        }
        self.state = RunState::AwaitingChoice;
        let item = &self.items[item_index];
        let question =
            format!("{} is stopped for today. End the session here, or go on with the rest without it?", item.name);
        effects.push(Effect::Speak(question));
        effects.push(Effect::AskGoOn { exercise: item.exercise.clone(), name: item.name.clone() });
    }

    fn answer_pain(&mut self, at: Millis, answer: PainAnswer, effects: &mut Vec<Effect>) {
        let Some(step) = self.steps.get(self.index).copied() else { return };
        self.records[step.item].pain = answer;
        self.index += 1;
        self.restart_clock(at);
        if answer.is_red() {
            // Red acts like a sharp-pain stop: no more of this today, and for an end-range
            // rotation drill, no end-range rotation on either side (the check does not say which).
            let item = &self.items[step.item];
            let mut advice = format!(
                "That is red pain ({}). Ease out, rest, and do not repeat {} today.",
                answer_words(answer),
                item.name
            );
            if item.end_range_rotation {
                self.frozen.extend(Side::BOTH);
                advice.push_str(" End-range rotation is skipped for the rest of today.");
            }
            if answer == PainAnswer::CatchingOrLocking {
                advice.push_str(" If the hip catches or locks again, please see a clinician.");
            }
            effects.push(Effect::StoppedForPain { exercise: item.exercise.clone(), advice: advice.clone() });
            effects.push(Effect::Speak(advice));
            self.ask_go_on(at, step.item, effects);
            return;
        }
        if let PainAnswer::Score(score) = answer
            && score.get() >= AMBER_FROM
        {
            effects.push(Effect::Show(
                "Amber: that is all right if it settles by tomorrow morning. Keep going gently; tell hipcoach how it feels in the morning."
                    .into(),
            ));
        }
        self.state = RunState::Running;
        self.enter(effects);
    }

    fn finish(&mut self, at: Millis, early: bool, effects: &mut Vec<Effect>) {
        if self.state == RunState::Finished {
            return;
        }
        let paused_now = self.paused_at.map_or(0, |p| at.saturating_sub(p));
        let active_ms = at.saturating_sub(self.session_started).saturating_sub(self.paused_total + paused_now);
        self.state = RunState::Finished;
        self.index = self.steps.len();
        let record = SessionRecord { exercises: self.records.clone(), ended_early: early, active_ms };
        let summary = record.summary();
        let mut words = format!("Session done: {} of {} sets", summary.sets_completed, summary.sets_planned);
        if summary.red_pain_stops > 0 {
            words.push_str(&format!(", {} stopped for pain", summary.red_pain_stops));
        }
        words.push('.');
        effects.push(Effect::Show(words.clone()));
        effects.push(Effect::Speak(words));
        effects.push(Effect::Finished(record));
    }

    fn restart_clock(&mut self, at: Millis) {
        if let Some(paused) = self.paused_at {
            self.paused_total += at.saturating_sub(paused);
            self.paused_at = None;
            if self.state == RunState::Paused {
                self.state = RunState::Running;
            }
        }
        self.step_started = at;
        self.seen_ms = 0;
        self.hold_waiting_since = None;
        self.rep_waiting = false;
    }

    /// The time on the step's clock at `at`: frozen while paused or while a hold waits for the
    /// camera.
    fn clock_at(&self, at: Millis) -> Millis {
        [self.paused_at, self.hold_waiting_since].into_iter().flatten().min().unwrap_or(at)
    }

    /// What the camera watches in `step` while it is on.
    fn camera_watch(&self, step: &Step) -> Option<CameraWatch> {
        self.watchable(step).filter(|_| self.camera)
    }

    /// What a camera could watch in `step`: a one-sided set of an exercise it can see.
    fn watchable(&self, step: &Step) -> Option<CameraWatch> {
        let position = self.items[step.item].camera?;
        let (task, working) = match step.kind {
            StepKind::Rep { working, .. } => (CameraTask::Reps, working),
            StepKind::Hold { working, .. } => (CameraTask::Hold, working),
            _ => return None,
        };
        let Working::Side(side) = working else { return None };
        Some(CameraWatch { position, side, task })
    }

    /// Whether step `index` is the last phase of its rep.
    fn ends_rep(&self, index: usize) -> bool {
        index + 1 >= self.steps.len() || self.start_of_rep(index + 1) == index + 1
    }

    /// What the camera saw.
    fn camera_saw(&mut self, at: Millis, event: CameraEvent, effects: &mut Vec<Effect>) {
        if self.state == RunState::Running {
            self.advance(at, effects);
        }
        match event {
            CameraEvent::On => self.camera = true,
            CameraEvent::Off => {
                self.camera = false;
                self.at_end_range = false;
            }
            CameraEvent::AtEndRange => self.at_end_range = true,
            CameraEvent::LeftEndRange => self.at_end_range = false,
            CameraEvent::Rep { ms, held_ms } => return self.rep_seen(at, ms, held_ms, effects),
            CameraEvent::Fault { fault } => return self.fault_seen(fault, effects),
        }
        self.follow_camera(at, effects);
    }

    /// Starts or stops a hold's clock, or lets a waiting rep go, as the camera's state now says.
    fn follow_camera(&mut self, at: Millis, effects: &mut Vec<Effect>) {
        if self.state != RunState::Running {
            return;
        }
        let Some(step) = self.steps.get(self.index).copied() else { return };
        let watch = self.camera_watch(&step);
        let hold_waits = watch.is_some_and(|w| w.task == CameraTask::Hold) && !self.at_end_range;
        match (self.hold_waiting_since, hold_waits) {
            (None, true) => {
                self.hold_waiting_since = Some(at);
                let words = "Turn back in to the end of your range: the clock waits for you.";
                effects.push(Effect::Remind(words.into()));
                effects.push(Effect::Speak(words.into()));
            }
            (Some(since), false) => {
                self.step_started += at.saturating_sub(since);
                self.hold_waiting_since = None;
                effects.push(Effect::Remind("Holding: the clock runs.".into()));
            }
            _ => {}
        }
        if self.rep_waiting && watch.is_none() {
            // The camera went off: the rep ends now, as the timer would have ended it, and the
            // next is timed from here (not from when its time was up, which would rush through
            // the reps the wait covered).
            self.rep_waiting = false;
            self.step_started = at.saturating_sub(step.duration_ms);
            self.advance(at, effects);
        }
    }

    /// A whole rep seen by the camera: it counts, and the set goes on to the next rep (or ends).
    fn rep_seen(&mut self, at: Millis, ms: u32, held_ms: u32, effects: &mut Vec<Effect>) {
        let Some(step) = self.steps.get(self.index).copied() else { return };
        if self.state != RunState::Running || self.camera_watch(&step).is_none_or(|w| w.task != CameraTask::Reps) {
            return;
        }
        let StepKind::Rep { rep, of, .. } = step.kind else { return };
        if let Effort::Reps { tempo, .. } = self.items[step.item].effort {
            let (out, hold, back) = (tempo.out.get(), tempo.hold.get(), tempo.back.get());
            let planned_ms = u32::from(out + hold + back) * 1000;
            let words = if ms * 10 < planned_ms * 6 {
                Some(format!("Slower: about {out} seconds out, a pause of {hold}, and {back} seconds back."))
            } else if hold > 0 && held_ms * 2 < u32::from(hold) * 1000 {
                Some("Pause a moment at the end of the turn before you come back.".to_owned())
            } else {
                None
            };
            if let Some(words) = words {
                effects.push(Effect::Remind(words.clone()));
                effects.push(Effect::Speak(words));
            }
        }
        if rep >= of {
            effects.push(Effect::Beep(BeepKind::End));
            self.set_outcome(&step, SetOutcome::Completed, (Some(rep), None));
        }
        // On to the step after this rep's last phase: the next rep, or what follows the set.
        let last_phase = (self.index..self.steps.len()).find(|&i| self.ends_rep(i)).unwrap_or(self.index);
        self.index = last_phase + 1;
        self.restart_clock(at);
        self.enter(effects);
    }

    /// A rule of the movement broken, said as the fix, while a set the camera watches is under way.
    fn fault_seen(&mut self, fault: FormFault, effects: &mut Vec<Effect>) {
        let Some(step) = self.steps.get(self.index).copied() else { return };
        let Some(watch) = self.camera_watch(&step).filter(|_| self.state == RunState::Running) else { return };
        let words = match (fault, watch.position) {
            (FormFault::PelvisHiking, TestPosition::Seated) => {
                "Keep both sitting bones down on the seat: only the shin turns, the hip does not lift."
            }
            (FormFault::PelvisHiking, TestPosition::Prone) => {
                "Keep both hips down on the mat: only the shin turns, the hip does not lift."
            }
            (FormFault::KneeDrifting, _) => "Keep the knee still, pointing straight ahead: only the shin turns.",
        };
        effects.push(Effect::Remind(words.into()));
        effects.push(Effect::Speak(words.into()));
    }

    fn remind(&mut self, item: usize, effects: &mut Vec<Effect>) {
        let reminders = &self.items[item].reminders;
        if reminders.is_empty() {
            return;
        }
        let next = self.reminder[item] % reminders.len();
        self.reminder[item] += 1;
        effects.push(Effect::Remind(reminders[next].clone()));
    }

    fn is_frozen(&self, step: &Step) -> bool {
        if !self.items[step.item].end_range_rotation || self.frozen.is_empty() {
            return false;
        }
        match step.kind {
            StepKind::Hold { working, .. } | StepKind::Rep { working, .. } => match working {
                Working::Side(side) => self.frozen.contains(&side),
                Working::Both | Working::Alternating => true,
            },
            // Getting ready for, or switching to, work that cannot happen.
            StepKind::GetReady | StepKind::SwitchSides { .. } | StepKind::Rest | StepKind::PainCheck => {
                self.steps_of(step.item).iter().filter(|s| s.kind.is_work()).all(|s| self.is_frozen(s))
            }
        }
    }

    fn skip_frozen(&mut self, effects: &mut Vec<Effect>) {
        let step = self.steps[self.index];
        if step.kind.is_work() {
            self.set_outcome(&step, SetOutcome::Frozen, (None, None));
            self.index = self.end_of_unit(self.index);
        } else if step.kind == StepKind::GetReady {
            let item = &self.items[step.item];
            effects.push(Effect::Show(format!(
                "Skipping {} today: end-range rotation rests after sharp pain.",
                item.name
            )));
            self.index = self.first_step_after(step.item);
            for set in &mut self.records[step.item].sets {
                set.outcome = SetOutcome::Frozen;
            }
        } else {
            self.index += 1;
        }
    }

    fn set_outcome(&mut self, step: &Step, outcome: SetOutcome, done: (Option<u16>, Option<u16>)) {
        let (StepKind::Hold { set, working } | StepKind::Rep { set, working, .. }) = step.kind else { return };
        if let Some(record) = self.records[step.item].sets.iter_mut().find(|r| r.set == set && r.working == working) {
            record.outcome = outcome;
            record.reps_done = done.0;
            record.hold_seconds_done = done.1;
        }
    }

    /// Reps (per side) or hold seconds achieved when `elapsed_in_step` ms of step `index` have passed.
    fn work_done(&self, index: usize, elapsed_in_step: u64) -> (Option<u16>, Option<u16>) {
        let step = self.steps[index];
        let item = &self.items[step.item];
        match (item.effort, step.kind) {
            (Effort::Hold { .. }, _) => (None, Some((elapsed_in_step / 1000) as u16)),
            (Effort::Reps { .. }, StepKind::Rep { working, rep, phase, .. }) => {
                let last_phase = item.effort.phases().last().copied();
                let finished_this = elapsed_in_step >= step.duration_ms && Some(phase) == last_phase;
                let reps = if finished_this { rep } else { rep - 1 };
                let per_side = if working == Working::Alternating { reps / 2 } else { reps };
                (Some(per_side), None)
            }
            _ => (None, None),
        }
    }

    /// The first step of the rep `index` belongs to: its first tempo phase. Any other step
    /// (a hold, getting ready, a switch) starts its own unit.
    fn start_of_rep(&self, index: usize) -> usize {
        let StepKind::Rep { rep, set, working, .. } = self.steps[index].kind else { return self.start_of_unit(index) };
        let same_rep = |s: &Step| {
            matches!(s.kind, StepKind::Rep { rep: r, set: t, working: w, .. } if r == rep && t == set && w == working)
                && s.unit == self.steps[index].unit
        };
        self.steps[..index].iter().rposition(|s| !same_rep(s)).map_or(0, |p| p + 1)
    }

    fn start_of_unit(&self, index: usize) -> usize {
        let unit = self.steps[index].unit;
        self.steps[..index].iter().rposition(|s| s.unit != unit).map_or(0, |p| p + 1)
    }

    fn end_of_unit(&self, index: usize) -> usize {
        let unit = self.steps[index].unit;
        self.steps[index..].iter().position(|s| s.unit != unit).map_or(self.steps.len(), |p| index + p)
    }

    /// The index of the first step of a later exercise (the script runs the exercises in order,
    /// so this is a binary search, not a scan: logs of many skips stay linear).
    fn first_step_after(&self, item: usize) -> usize {
        self.steps.partition_point(|s| s.item <= item)
    }

    /// The steps of one exercise.
    fn steps_of(&self, item: usize) -> &[Step] {
        &self.steps[self.steps.partition_point(|s| s.item < item)..self.first_step_after(item)]
    }

    fn is_last_of_unit(&self, index: usize) -> bool {
        self.steps.get(index + 1).is_none_or(|next| next.unit != self.steps[index].unit)
    }
}

/// Every set the plan asks for, per exercise, all `Cancelled` until done; one pass over the
/// script (the check for a set already listed looks only at that exercise's few sets).
fn planned_sets(steps: &[Step], items: usize) -> Vec<Vec<SetRecord>> {
    let mut all: Vec<Vec<SetRecord>> = vec![Vec::new(); items];
    for step in steps {
        if let StepKind::Hold { set, working } | StepKind::Rep { set, working, .. } = step.kind {
            let sets = &mut all[step.item];
            if !sets.iter().any(|r| r.set == set && r.working == working) {
                sets.push(SetRecord {
                    set,
                    working,
                    outcome: SetOutcome::Cancelled,
                    reps_done: None,
                    hold_seconds_done: None,
                });
            }
        }
    }
    all
}

enum Mark {
    Beep(BeepKind),
    Remind,
}

/// Cues inside a step, by milliseconds from its start.
fn marks(step: &Step) -> Vec<(u64, Mark)> {
    let d = step.duration_ms;
    let mut marks = Vec::new();
    let countdown =
        matches!(step.kind, StepKind::Hold { .. } | StepKind::Rest | StepKind::GetReady | StepKind::SwitchSides { .. });
    if matches!(step.kind, StepKind::Hold { .. }) && d >= 10_000 {
        marks.push((d / 2, Mark::Beep(BeepKind::Halfway)));
        marks.push((d / 2, Mark::Remind));
    }
    if countdown && d >= 4_000 {
        for left in [3_000, 2_000, 1_000] {
            marks.push((d - left, Mark::Beep(BeepKind::LastThree)));
        }
    }
    marks
}

fn capitalised(side: Side) -> &'static str {
    match side {
        Side::Left => "Left",
        Side::Right => "Right",
    }
}

fn side_words(working: Working) -> String {
    match working {
        Working::Side(side) => format!(", {side} side"),
        Working::Both => String::new(),
        Working::Alternating => ", alternating sides".into(),
    }
}

/// Pain scores from this up to 5 are amber: fine if settled by the next morning, no step up.
const AMBER_FROM: u16 = 3;

/// A red answer as a person says it.
fn answer_words(answer: PainAnswer) -> String {
    match answer {
        PainAnswer::Score(score) => format!("{score}"),
        other => other.label().to_owned(),
    }
}
