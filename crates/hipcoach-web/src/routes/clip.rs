//! Analysing a recorded clip in the page: the person chooses a video on their device, the pose
//! model (MediaPipe tasks-vision, served by hipcoach) finds them in each frame in the browser,
//! and the keypoints go to the analyser compiled to WebAssembly — the same Rust `hipcoach
//! analyze` runs. The video never leaves the device; only the estimate is sent, and only when
//! the person saves it.

use super::assets::POSE_PATH;
use super::measure::{Saved, field, kept, saved, trials};
use crate::auth::SignedIn;
use crate::json_body::JsonBody;
use crate::layout::{Section, page as layout};
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::State;
use axum::response::Html;
use hipcoach_core::measure::{Degrees, Method, VALIDATION};
use hipcoach_workflows::measuring::{self, CameraEstimate};
use maud::html;
use serde::Deserialize;
use utoipa::ToSchema;

/// The widest ± accepted: a quarter turn. A ± that wide says little, but it is honest, and the
/// reading keeps it.
const MAX_PLUS_MINUS: f64 = 90.0;

pub async fn page(SignedIn { visitor, .. }: SignedIn) -> Result<Html<String>, WebError> {
    Ok(layout(
        "Analyse a recorded clip",
        Section::Measure,
        &visitor,
        html! {
            h1 { "Analyse a recorded clip" }
            p.privacy { "The video stays on this device: the pose model runs in this browser, and only the result is sent, when you choose to save it." }
            section.clip #clip data-pose=(POSE_PATH) {
                details.howto {
                    summary { "How to film the seated test" }
                    ol {
                        li { "Sit on a high chair or table, hips and knees bent to a right angle, thighs level and pointing at the camera." }
                        li { "Put the phone at knee height, 2 to 3 metres away, level and square to you, with both legs and your hips in view." }
                        li { "Start filming with the shins hanging straight down, still, for a second or two." }
                        li { "Then turn one hip three times: the foot swings out, the knee stays still, back to the start each time." }
                    }
                }
                form #clip-form {
                    p {
                        label for="clip-file" { "Video" }
                        input #clip-file type="file" accept="video/*" required;
                    }
                    fieldset {
                        legend { "Which hip turned?" }
                        label.choice { input type="radio" name="side" value="auto" checked; " Find it for me" }
                        label.choice { input type="radio" name="side" value="left"; " Left" }
                        label.choice { input type="radio" name="side" value="right"; " Right" }
                    }
                    fieldset {
                        legend { "Which test?" }
                        label.choice { input type="radio" name="position" value="seated" checked; " Seated" }
                        label.choice { input type="radio" name="position" value="prone"; " Prone (lying face down)" }
                    }
                    button.primary #clip-analyse type="submit" { "Analyse" }
                }
                div #clip-working hidden {
                    label for="clip-progress" #clip-step { "Loading the pose model…" }
                    progress #clip-progress max="1" value="0" {}
                    p.muted #clip-rate aria-live="off" {}
                    button #clip-stop type="button" { "Stop" }
                }
                p.error #clip-error role="alert" hidden {}
                p.sr-only #clip-announce aria-live="polite" {}
                section #clip-result hidden aria-labelledby="clip-heading" {
                    h2 #clip-heading tabindex="-1" {}
                    p.lead #clip-outcome {}
                    p #clip-trials {}
                    p.muted #clip-validation { "A " (VALIDATION) "." }
                    figure #clip-figure {}
                    ul #clip-details {}
                    p #clip-other {}
                    p #clip-save-row hidden {
                        button.primary #clip-save type="button" { "Save as a camera reading" }
                    }
                    p.save-status #clip-saved role="status" {}
                }
            }
            noscript { p.error { "Analysing a clip needs JavaScript: the pose model runs in this browser. On a computer, " code { "hipcoach analyze VIDEO" } " does the same." } }
            p.muted { "A camera estimate is stored with its own ± (at least " (Method::CameraEstimate.uncertainty()) "); in your trends, a change that includes one counts as real only beyond the camera's own, larger margin." }
            script src="/assets/records.js" defer {}
            script src="/assets/readings.js" defer {}
            script src="/assets/engine.js" defer {}
            script src="/assets/pose.js" defer {}
            script src="/assets/clip.js" defer {}
        },
    ))
}

/// A camera estimate from a recorded clip the page analysed: the three reps' peaks and the
/// analyser's ±.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CameraRequest {
    /// left or right.
    side: String,
    /// seated or prone.
    position: String,
    /// The peaks of the last three reps, in degrees (-20 to 90); the middle one is kept.
    #[schema(example = json!([27, 26, 28]))]
    trials: Vec<f64>,
    /// The analyser's ± at those peaks, in degrees (0 to 90); the reading keeps the camera's
    /// own ± when it is wider.
    #[schema(example = 12)]
    plus_minus: f64,
    /// The device's key for a reading it kept while offline: sending it again stores it once.
    #[serde(default)]
    key: Option<String>,
    /// The day it was taken, by the device's calendar, when it was kept there (ISO date).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    day: Option<chrono::NaiveDate>,
}

/// Stores a camera estimate the page worked out from a recorded clip (the video itself never
/// reaches the server).
#[utoipa::path(post, path = "/api/measurements/camera", security(("login" = [], "csrf" = [])), tag = "measurements", request_body = CameraRequest,
    responses((status = 200, body = Saved), crate::error::ClientError))]
pub async fn add_camera_json(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    JsonBody(request): JsonBody<CameraRequest>,
) -> Result<Json<Saved>, WebError> {
    let trials = trials(&request.trials)?;
    let plus_minus = Degrees::new(request.plus_minus)
        .ok()
        .filter(|d| (0.0..=MAX_PLUS_MINUS).contains(&d.get()))
        .ok_or_else(|| {
            WebError::Invalid(format!("plus_minus: give the analyser's ± in degrees, from 0 to {MAX_PLUS_MINUS:.0}"))
        })?;
    let estimate = CameraEstimate {
        side: field("side", measuring::side_of(&request.side))?,
        position: field("position", measuring::position_of(&request.position))?,
        trials,
        uncertainty: plus_minus,
    };
    let rounded = estimate.trials.iter().map(|t| t.rounded()).collect();
    let (id, measurement, _) = measuring::record_camera_estimate(
        &state.store,
        user.id,
        state.today(),
        estimate,
        kept(request.key, request.day),
    )
    .await?;
    Ok(saved(id, measurement, rounded))
}
