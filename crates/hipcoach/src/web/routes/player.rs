//! The guided session in the browser. The page keeps a log of what the user did, stamped with
//! its own clock; the server replays that log through the core engine (deterministic, so the
//! server keeps no session state) and answers with the effects to play until the next thing the
//! user must do. The page only plays sounds and draws; every rule stays in Rust, and the record
//! that is stored is the one the engine produces, never one the page built.

use crate::coaching::Program;
use crate::web::auth::SignedIn;
use crate::web::layout::{Section, page as layout};
use crate::web::{AppState, WebError};
use axum::Json;
use axum::extract::{Query, State};
use axum::response::Html;
use hipcoach_core::program::TrafficLight;
use hipcoach_core::session::{
    Command, Effect, Engine, Pace, RunState, SessionItem, SessionRecord, StepKind, View, Working,
};
use hipcoach_core::units::PainScore;
use hipcoach_store::User;
use maud::html;
use serde::{Deserialize, Serialize};

/// One thing the user did, at the page's clock.
#[derive(Debug, Deserialize)]
pub struct Logged {
    at: u64,
    command: Command,
}

/// The page's request: the choice, the log so far, and its clock now.
#[derive(Debug, Deserialize)]
pub struct TimelineRequest {
    #[serde(default)]
    exercise: Vec<String>,
    log: Vec<Logged>,
    now: u64,
}

/// A moment to play: effects and the screen from then on.
#[derive(Debug, Serialize)]
pub struct Moment {
    at: u64,
    effects: Vec<Effect>,
    view: Screen,
}

/// What the page draws.
#[derive(Debug, Serialize)]
pub struct Screen {
    state: RunState,
    title: String,
    exercise: String,
    number: usize,
    of: usize,
    remaining_ms: u64,
    step_ms: u64,
    progress: f64,
    breathing: Option<String>,
    side: Option<String>,
    phase: Option<String>,
}

/// The answer: the screen now, and what happens next.
#[derive(Debug, Serialize)]
pub struct Timeline {
    now: Moment,
    upcoming: Vec<Moment>,
}

/// The most a log may hold, and the longest a session may run: bounds on the replay's work.
const MAX_LOG: usize = 5_000;
const MAX_SESSION_MS: u64 = 6 * 3_600_000;

pub async fn page(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    Query(choice): Query<Vec<(String, String)>>,
) -> Result<Html<String>, WebError> {
    let exercises: Vec<String> = choice.into_iter().filter(|(k, _)| k == "exercise").map(|(_, v)| v).collect();
    let items = items(&state, &user, &exercises).await?;
    let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
    let choice_json = serde_json::to_string(&exercises).map_err(|e| WebError::Internal(e.into()))?;
    Ok(layout(
        "Session",
        Section::Today,
        &visitor,
        html! {
            section.player #player data-exercises=(choice_json) {
                h1.sr-only { "Guided session" }
                p.exercise-name #exercise aria-live="polite" { (names.join(" · ")) }
                p.step-title #title { "Ready when you are" }
                div.countdown #countdown aria-live="off" { "—" }
                div.breath #breath aria-hidden="true" {}
                p.breathing #breathing {}
                p.cue #cue aria-live="polite" {}
                div.progress { div.bar #bar {} }
                div.pain #pain hidden {
                    h2 { "How is your hip?" }
                    p { "Rate any hip pain during that exercise, 0 (none) to 10 (worst). The stretch feeling does not count." }
                    div.scale {
                        @for n in 0..=10 { button.score type="button" data-score=(n) { (n) } }
                    }
                    button.sharp-answer type="button" data-sharp="1" { "Sharp, pinching or catching pain" }
                    button.link type="button" data-skip="1" { "Skip" }
                }
                div.summary #summary hidden {}
                div.before #before {
                    h2 { "Before you start: any hip pain right now?" }
                    p.muted { "0 is none, 10 the worst you can imagine. It is the baseline tomorrow's check compares with." }
                    div.scale {
                        @for n in 0..=10i64 {
                            @let light = PainScore::new(n).map(TrafficLight::of).unwrap_or(TrafficLight::Red);
                            button.score type="button" data-score=(n) data-red[light == TrafficLight::Red] aria-pressed="false" { (n) }
                        }
                    }
                    p.error #rest-advice hidden role="alert" {
                        "That is a lot of pain. Consider resting today; if pain like this keeps up, please see a doctor or physiotherapist."
                    }
                }
                button.stop #stop type="button" { "Sharp pain — stop now" }
                div.controls {
                    button.primary #start type="button" { "Start" }
                    button #pause type="button" disabled { "Pause" }
                    button #back type="button" disabled { "Back" }
                    button #skip type="button" disabled { "Skip" }
                    label.mute { input #mute type="checkbox"; " Mute" }
                }
            }
            noscript { p.error { "The guided player needs JavaScript. The steps of each exercise are in the exercise library." } }
            script src="/assets/player.js" defer {}
        },
    ))
}

pub async fn timeline(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    Json(request): Json<TimelineRequest>,
) -> Result<Json<Timeline>, WebError> {
    let items = items(&state, &user, &request.exercise).await?;
    let Replayed { mut engine, at, mut effects, .. } = replay(items, pace(&state), &request.log)?;
    let now = request.now.max(at);
    effects.extend(engine.handle(now, Command::Tick));
    let current = Moment { at: now, view: screen(&engine.view(now)), effects };
    let mut upcoming = Vec::new();
    while engine.state() == RunState::Running && upcoming.len() < 5_000 {
        let Some(wake) = engine.next_wake() else { break };
        let effects = engine.handle(wake, Command::Tick);
        upcoming.push(Moment { at: wake, view: screen(&engine.view(wake)), effects });
    }
    Ok(Json(Timeline { now: current, upcoming }))
}

/// The page's request to store the session: its key (so a retry stores it once) and its log.
#[derive(Debug, Deserialize)]
pub struct FinishRequest {
    key: String,
    #[serde(default)]
    exercise: Vec<String>,
    log: Vec<Logged>,
    /// Hip pain before starting, 0–10, when the page asked.
    pain_before: Option<PainScore>,
}

/// What was stored and what changed.
#[derive(Debug, Serialize)]
pub struct Finished {
    id: i64,
    record: SessionRecord,
    changes: Vec<String>,
}

pub async fn finish(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    Json(request): Json<FinishRequest>,
) -> Result<Json<Finished>, WebError> {
    let items = items(&state, &user, &request.exercise).await?;
    let Replayed { mut engine, at, finished, .. } = replay(items, pace(&state), &request.log)?;
    // A log that stops early ends the session where it stopped, keeping what was done.
    let record = finished
        .or_else(|| engine.handle(at, Command::EndSession).into_iter().find_map(finished_in))
        .ok_or_else(|| WebError::Invalid("this log never starts the session".into()))?;
    let today = state.today();
    let (id, created) = state.store.record_session(user.id, today, &request.key, &record).await?;
    if let (Some(before), true) = (request.pain_before, created) {
        crate::coaching::record_baseline(&state.store, user.id, today, before).await?;
    }
    let mut changes = Vec::new();
    if created && request.exercise.is_empty() {
        let mut program = Program::load(&state.store, user.id).await?;
        let plan = program.plan(&state.catalog, today)?;
        if let Some((session, _)) = program.next_session(&plan, today) {
            let day = crate::calendar::day_of(today);
            let baseline = crate::coaching::baseline_of(&state.store, user.id, today).await?.unwrap_or(PainScore::NONE);
            let reviewed = hipcoach_core::program::SessionRecord::from_played(day, baseline, &session.items, &record);
            if !reviewed.exercises.is_empty() {
                program.document.history.retain(|r| r.day != day);
                program.document.history.push(reviewed);
                let review = program.review(&state.store, user.id, &state.catalog, today).await?;
                changes = review.iter().map(|c| crate::calendar::dated(&c.sentence)).collect();
            }
        }
    }
    Ok(Json(Finished { id, record, changes }))
}

fn finished_in(effect: Effect) -> Option<SessionRecord> {
    match effect {
        Effect::Finished(record) => Some(record),
        _ => None,
    }
}

/// The engine after replaying a log.
struct Replayed {
    engine: Engine,
    /// The time of the last command.
    at: u64,
    /// What the last command did, for the page to play.
    effects: Vec<Effect>,
    /// The record, if the log finished the session.
    finished: Option<SessionRecord>,
}

/// Rebuilds the engine from the log.
fn replay(items: Vec<SessionItem>, pace: Pace, log: &[Logged]) -> Result<Replayed, WebError> {
    if log.len() > MAX_LOG {
        return Err(WebError::Invalid(format!("a session log holds at most {MAX_LOG} entries")));
    }
    let mut engine = Engine::new(items, pace);
    let mut last: (u64, Vec<Effect>) = (0, Vec::new());
    let mut finished = None;
    for entry in log {
        if entry.at < last.0 || entry.at > MAX_SESSION_MS {
            return Err(WebError::Invalid("log times must not go backwards or past six hours".into()));
        }
        let mut effects = engine.handle(entry.at, Command::Tick);
        effects.extend(engine.handle(entry.at, entry.command));
        if let Some(record) = effects.iter().cloned().find_map(finished_in) {
            finished = Some(record);
        }
        last = (entry.at, effects);
    }
    Ok(Replayed { engine, at: last.0, effects: last.1, finished })
}

fn pace(state: &AppState) -> Pace {
    state.settings.quick_step_ms.map_or_else(Pace::default, Pace::capped)
}

/// Today's planned session, or the named exercises at their default dose.
async fn items(state: &AppState, user: &User, exercises: &[String]) -> Result<Vec<SessionItem>, WebError> {
    if !exercises.is_empty() {
        return exercises
            .iter()
            .map(|id| {
                state
                    .catalog
                    .get(id)
                    .map(SessionItem::from_exercise)
                    .ok_or_else(|| WebError::Invalid(format!("`{id}` is not an exercise in the catalog")))
            })
            .collect();
    }
    let planned = state.planned(user).await?;
    let plan = planned.week_plan()?;
    let (session, _) = planned
        .program
        .next_session(plan, state.today())
        .ok_or_else(|| WebError::Conflict("this week's plan has no sessions".into()))?;
    session
        .items
        .iter()
        .map(|planned| {
            planned.session_item(&state.catalog).ok_or_else(|| {
                WebError::Conflict(format!("`{}` is in the plan but not in the exercise catalog", planned.exercise))
            })
        })
        .collect()
}

fn screen(view: &View<'_>) -> Screen {
    let step = view.step.map(|s| s.kind);
    let side = |working: Working, rep: Option<u16>| match (working, rep) {
        (Working::Side(side), _) => Some(format!("{side} side")),
        (Working::Alternating, Some(rep)) => working.side_on_rep(rep).map(|s| format!("{s} side")),
        _ => None,
    };
    let (title, side, phase) = match step {
        Some(StepKind::GetReady) => ("Get ready".to_owned(), None, None),
        Some(StepKind::SwitchSides { to }) => (format!("Switch to the {to} side"), Some(format!("{to} side")), None),
        Some(StepKind::Hold { set, working }) => (format!("Hold · set {set}"), side(working, None), None),
        Some(StepKind::Rep { set, working, rep, of, phase }) => {
            (format!("Rep {rep} of {of} · set {set}"), side(working, Some(rep)), Some(phase.label().to_owned()))
        }
        Some(StepKind::Rest) => ("Rest".to_owned(), None, None),
        Some(StepKind::PainCheck) => ("Pain check".to_owned(), None, None),
        None => ("Done".to_owned(), None, None),
    };
    Screen {
        state: view.state,
        title,
        exercise: view.item.map(|i| i.name.clone()).unwrap_or_default(),
        number: view.exercise_number.0,
        of: view.exercise_number.1,
        remaining_ms: view.remaining_ms,
        step_ms: view.step.map_or(0, |s| s.duration_ms),
        progress: view.progress,
        breathing: view.breathing.map(str::to_owned),
        side,
        phase,
    }
}
