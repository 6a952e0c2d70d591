//! Every route of the app, in one table.

mod account;
mod assets;
mod camera;
mod checkin;
mod clip;
mod corrections;
mod data;
mod history;
mod library;
mod measure;
mod offline;
mod onboarding;
mod openapi;
mod player;
mod profile;
mod today;

use super::AppState;
use crate::middleware::{Places, in_turn};
use axum::Router;
use axum::routing::{get, post};

/// The routes; all but the password checks take their turn in `places`.
pub fn router(places: Places) -> Router<AppState> {
    Router::new()
        .route("/", get(today::page))
        .route("/start", get(onboarding::page).post(onboarding::submit))
        .route("/safety", get(onboarding::safety_page).post(onboarding::safety_submit))
        .route("/profile", get(profile::page).post(profile::submit))
        .route("/profile/preference", post(profile::preference))
        .route("/logout", post(account::logout))
        .route("/account", get(data::page))
        .route("/account/download/{file}", get(data::download))
        .route("/account/calendar", post(data::calendar))
        .route("/account/logout-everywhere", post(data::logout_everywhere))
        .route("/calendar/{file}", get(data::feed))
        .route("/exercises", get(library::list))
        .route("/exercises/{id}", get(library::show))
        .route("/session", get(player::page))
        .route("/checkin", post(checkin::morning_submit))
        .route("/history", get(history::page))
        .route("/history/{id}", get(history::detail))
        .route("/measure", get(measure::page).post(measure::submit))
        .route("/measure/phone", get(measure::phone))
        .route("/measure/clip", get(clip::page))
        .route("/measure/camera", get(camera::page))
        .route("/connect", get(camera::connect))
        .route("/measure/{id}", get(corrections::reading_page).post(corrections::reading_submit))
        .route("/measure/{id}/delete", post(corrections::reading_delete))
        .route("/history/{id}/delete", post(corrections::session_delete))
        .route("/assets/{name}", get(assets::serve))
        .route(&format!("{}/{{name}}", assets::POSE_PATH), get(assets::pose))
        .route("/sw.js", get(assets::service_worker))
        .route("/offline", get(offline::page))
        .route("/api/openapi.json", get(openapi::openapi))
        .route("/api/exercises", get(library::list_json))
        .route("/api/exercises/{id}", get(library::show_json))
        .route("/api/plan", get(today::plan_json))
        .route("/api/player/timeline", post(player::timeline))
        .route("/api/sessions", get(history::list_json).post(player::finish))
        .route("/api/sessions/{id}", get(history::show_json))
        .route("/api/measurements", get(measure::list_json).post(measure::add_json))
        .route("/api/measurements/inclinometer", post(measure::add_inclinometer_json))
        .route("/api/measurements/camera", post(clip::add_camera_json))
        .route("/api/measurements/trend", get(measure::trend_json))
        .route("/api/checkins", post(checkin::add_json))
        .route("/healthz", get(|| async { "ok" }))
        .route_layer(axum::middleware::from_fn_with_state(places, in_turn))
        // Password checks wait in the password hasher's own bounded queue instead: holding a
        // place while a flood of log-ins waits for the hasher would hold up every other page.
        .route("/signup", get(account::signup_page).post(account::signup))
        .route("/login", get(account::login_page).post(account::login))
        .route("/account/password", post(data::change_password))
        .route("/account/delete", post(data::delete))
}
