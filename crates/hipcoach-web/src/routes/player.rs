//! The guided session in the browser. The page keeps a log of what the user did, stamped with
//! its own clock; the server replays that log through the core engine (`hipcoach_workflows::
//! session`, deterministic, so the server keeps no session state) and answers with the effects
//! to play until the next thing the user must do. The page only plays sounds and draws; every
//! rule stays in Rust, and the record that is stored is the one the engine produces, never one
//! the page built.

use super::assets::POSE_PATH;
use crate::auth::SignedIn;
use crate::diagram;
use crate::json_body::JsonBody;
use crate::layout::{Section, page_with_dock};
use crate::plan_cache::Planned;
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use hipcoach_core::program::TrafficLight;
use hipcoach_core::session::timeline::{self, Logged};
use hipcoach_core::session::{Pace, PainAnswer, SessionItem, SessionRecord};
use hipcoach_core::units::PainScore;
use hipcoach_workflows::WorkflowError;
use hipcoach_workflows::calendar;
use hipcoach_workflows::session::{self, LoggedSession, Review};
use hipcoach_workflows::wording::capitalised;
use maud::html;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The page's request: the choice, the log so far, and its clock now.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TimelineRequest {
    /// Exercise ids of a one-off session; none for this week's planned session.
    #[serde(default)]
    exercise: Vec<String>,
    /// What the person did so far, at the page's clock.
    log: Vec<Logged>,
    /// The page's clock now, in milliseconds.
    now: u64,
}

pub async fn page(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    Query(choice): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let exercises: Vec<String> = choice.into_iter().filter(|(k, _)| k == "exercise").map(|(_, v)| v).collect();
    // Without answers there is nothing safe to play, and without a plan Today says why, in
    // plain words: the player's own error would name commands of the terminal.
    let planned = state.planned(&user).await?;
    if planned.program.screening.is_none() || planned.program.profile.is_none() {
        return Ok(Redirect::to("/start").into_response());
    }
    if exercises.is_empty() && planned.plan.is_err() {
        return Ok(Redirect::to("/").into_response());
    }
    let items = items(&state, &planned, &exercises)?;
    let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
    let choice_json = serde_json::to_string(&exercises).map_err(|e| WebError::Internal(e.into()))?;
    // What the page's engine plays: the same items and pace the server replays the log with.
    let played = timeline::fingerprint(&items);
    let session_json =
        serde_json::to_string(&serde_json::json!({ "items": items, "pace": pace(&state), "played": played }))
            .map_err(|e| WebError::Internal(e.into()))?;
    let body = html! {
            // "waiting" until Start: the question before the session comes first, not an empty countdown.
            section.player.waiting #player data-exercises=(choice_json) data-names=(names.join(" · ")) data-session=(session_json) {
                h1.sr-only { "Guided session" }
                // What a screen reader hears: each new step, the last three seconds, the pain check.
                div.sr-only #announce aria-live="polite" aria-atomic="true" {}
                // Filled by player.js when the plan changed since this device last showed it.
                p.notice #plan-changed role="status" hidden {}
                p.exercise-name #exercise { (names.join(" · ")) }
                p.step-title #title { "Ready when you are" }
                div.now {
                    div.figures {
                        @for item in &items {
                            @if let Some(exercise) = state.catalog.get(item.exercise.as_str()) {
                                div data-figure=(item.exercise.as_str()) hidden { (diagram::position(exercise.position)) }
                            }
                        }
                    }
                    div.countdown #countdown aria-hidden="true" { "—" }
                }
                div.breath #breath aria-hidden="true" {}
                p.breathing #breathing {}
                p.cue #cue {}
                div.progress aria-hidden="true" { div.bar #bar {} }
                // Present (empty) from the start: a live region shown and filled at once is
                // often not announced.
                p.save-status #save-status role="status" {}
                button #retry type="button" hidden { "Try again now" }
                div.pain #pain hidden {
                    h2 { "How is your hip?" }
                    p { "Rate any hip pain during that exercise, 0 (none) to 10 (worst). The stretch feeling does not count." }
                    div.scale {
                        @for n in 0..=10 { button.score type="button" data-score=(n) { (n) } }
                    }
                    p { "Or, whatever the number — any of these means stop:" }
                    div.red-signs {
                        @for sign in PainAnswer::RED_SIGNS {
                            button.sharp-answer type="button" data-red=(red_key(sign)) { (capitalised(sign.label())) }
                        }
                    }
                    button.link type="button" data-skip="1" { "Skip this question" }
                }
                div.choice #choice hidden role="alertdialog" aria-labelledby="choice-title" {
                    h2 #choice-title { "Stopped for today" }
                    p #choice-advice {}
                    p { "End the session here, or go on with the rest without it?" }
                    button.primary type="button" data-choice="end-session" { "End the session" }
                    button type="button" data-choice="go-on" { "Go on without it" }
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
                    div.rest #rest-advice hidden role="alert" {
                        p.error { "That is a lot of pain. Resting today is the better choice; if pain like this keeps up, please see a doctor or physiotherapist." }
                        button.primary #rest-today type="button" { "Rest today" }
                        " "
                        button #go-gently type="button" { "Go on gently anyway" }
                    }
                }
                @if items.iter().any(|i| i.camera.is_some()) { (camera_coach()) }
                div.controls {
                    button.primary #start type="button" { "Start" }
                    button #pause type="button" disabled aria-keyshortcuts="Space" { "Pause" }
                    button #back type="button" disabled aria-keyshortcuts="B" { "Back" }
                    button #skip type="button" disabled aria-keyshortcuts="S" { "Skip" }
                    button #end type="button" disabled aria-keyshortcuts="Q" { "End session" }
                    label.mute { input #mute type="checkbox"; " Mute" }
                }
                p.keys.muted {
                    "Keys: " kbd { "Space" } " pause or resume · " kbd { "B" } " back · " kbd { "S" } " skip · "
                    kbd { "X" } " sharp pain, stop · " kbd { "Q" } " end the session"
                }
            }
            noscript { p.error { "The guided player needs JavaScript. The steps of each exercise are in the exercise library." } }
            script src="/assets/records.js" defer {}
            script src="/assets/engine.js" defer {}
            script src="/assets/player.js" defer {}
            script src="/assets/pose.js" defer {}
            script src="/assets/coach.js" defer {}
    };
    // The stop button is inert until the session starts (nothing to stop yet).
    let dock = html! {
        button.stop #stop type="button" disabled aria-keyshortcuts="X" { "Sharp pain — stop now" }
    };
    Ok(page_with_dock("Session", Section::Today, &visitor, body, dock).into_response())
}

/// The camera coach's switch and view, for a session with an exercise the camera can watch: it
/// counts the reps, times holds at end range and says form cues, feeding the same engine as the
/// buttons (coach.js). Off until the person switches it on; off again at any moment.
fn camera_coach() -> maud::Markup {
    html! {
        section.coach #coach data-pose=(POSE_PATH) aria-labelledby="coach-title" {
            h2.sr-only #coach-title { "Camera coach" }
            label.choice {
                input #coach-on type="checkbox";
                " Camera coach: count my reps and watch my form in the inward-turning drills"
            }
            p.muted #coach-about {
                "Stand the phone or laptop at knee height, 2 to 3 metres away and square to you, both legs in view. "
                "With the camera on, a rep ends when the camera sees your foot come back, and a hold's clock runs while you are at the end of your range."
            }
            div #coach-live hidden {
                p.privacy { "Nothing leaves this device: each picture is read here and thrown away. Only the counts go into your session." }
                div.camera-view.small {
                    video #coach-video muted playsinline aria-label="Camera preview" {}
                    p.camera-angle #coach-angle aria-hidden="true" {}
                }
                p.camera-say #coach-say aria-live="polite" {}
                p.camera-fix #coach-fix {}
                button #coach-recalibrate type="button" { "Set the camera up again" }
            }
            p.error #coach-error role="alert" hidden {}
        }
    }
}

/// Replays the player's log and returns the effects to play until the next thing the person must do.
#[utoipa::path(post, path = "/api/player/timeline", security(("login" = [], "csrf" = [])), tag = "sessions", request_body = TimelineRequest,
    responses((status = 200, body = timeline::Timeline), crate::error::ClientError))]
pub async fn timeline(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    JsonBody(request): JsonBody<TimelineRequest>,
) -> Result<Json<timeline::Timeline>, WebError> {
    let planned = state.planned(&user).await?;
    let items = items(&state, &planned, &request.exercise)?;
    let played = timeline::play_ahead(items, pace(&state), &request.log, request.now).map_err(WorkflowError::from)?;
    Ok(Json(played))
}

/// The page's request to store the session: its key (so a retry stores it once) and its log.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FinishRequest {
    /// The page's key for this session; sending the same key again stores nothing new.
    key: String,
    /// Exercise ids of a one-off session; none for this week's planned session.
    #[serde(default)]
    exercise: Vec<String>,
    /// What the person did, at the page's clock.
    log: Vec<Logged>,
    /// Hip pain before starting, 0–10, when the page asked.
    pain_before: Option<PainScore>,
    /// The day the session was done, by the device's calendar, when it was kept there before it
    /// could be sent (ISO date); today without it. A day after today counts as today; one more
    /// than 90 days ago is refused.
    #[schema(value_type = Option<String>, format = Date)]
    day: Option<chrono::NaiveDate>,
    /// The exercises the page played, as the player page gave them: the log is replayed
    /// against them when this week's plan prescribes each at that dose (a page kept on the
    /// device from earlier in the week); otherwise a log played against other exercises than
    /// the server's session for that day is refused (409).
    played: Option<Vec<SessionItem>>,
}

/// What was stored and what changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Finished {
    /// The stored session's id.
    id: i64,
    /// The record the server's engine produced from the log.
    record: SessionRecord,
    /// Progression's decisions, each a sentence (none for a one-off or a retry).
    changes: Vec<String>,
}

/// Stores a session from the player's log (replayed by the server); idempotent per key.
#[utoipa::path(post, path = "/api/sessions", security(("login" = [], "csrf" = [])), tag = "sessions", request_body = FinishRequest,
    responses((status = 200, body = Finished), crate::error::ClientError))]
pub async fn finish(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    JsonBody(request): JsonBody<FinishRequest>,
) -> Result<Json<Finished>, WebError> {
    let logged = LoggedSession {
        key: request.key,
        exercises: request.exercise,
        log: request.log,
        pain_before: request.pain_before,
        day: request.day,
        played: request.played,
    };
    let planned = state.planned(&user).await?;
    let (record, finished) = session::finish_logged_with(
        &state.store,
        &state.catalog,
        user.id,
        &planned.program,
        state.today(),
        pace(&state),
        logged,
    )
    .await?;
    let changes = match finished.review {
        Review::Reviewed(changes) => changes.iter().map(|c| calendar::dated(&c.sentence)).collect(),
        Review::OneOff | Review::AlreadyStored | Review::NothingToReview => Vec::new(),
    };
    Ok(Json(Finished { id: finished.id, record, changes }))
}

fn pace(state: &AppState) -> Pace {
    state.settings.quick_step_ms.map_or_else(Pace::default, Pace::capped)
}

/// Today's planned session (from the plan cache), or the named exercises at their default dose.
fn items(state: &AppState, planned: &Planned, exercises: &[String]) -> Result<Vec<SessionItem>, WebError> {
    if !exercises.is_empty() {
        return Ok(planned.program.one_off_items(&state.catalog, exercises, state.today())?);
    }
    Ok(planned.program.next_session_items(planned.week_plan()?, &state.catalog, state.today())?.1)
}

/// The JSON type of a red sign, as the player script sends it back in `answer-pain`.
fn red_key(sign: PainAnswer) -> &'static str {
    match sign {
        PainAnswer::Pinching => "pinching",
        PainAnswer::CatchingOrLocking => "catching-or-locking",
        PainAnswer::TinglingOrNumbness => "tingling-or-numbness",
        _ => "sharp",
    }
}
