//! Pain check-ins from the page: hip pain before a session (also when the person decides to
//! rest instead), and the next morning. The same workflow as `hipcoach checkin`.

use crate::auth::SignedIn;
use crate::json_body::JsonBody;
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::State;
use hipcoach_core::units::PainScore;
use hipcoach_store::Moment;
use hipcoach_workflows::calendar;
use hipcoach_workflows::checkin::{Checkin, record_checkin};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A check-in.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckinRequest {
    /// `before` (today's session) or `next-morning` (the morning after the last session).
    moment: Moment,
    /// Hip pain, 0 (none) to 10 (worst).
    pain: PainScore,
    /// Whether the hip feels stiffer than usual; false when left out.
    #[serde(default)]
    stiffer: bool,
}

/// What the check-in was stored against, and what it changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckedIn {
    /// The session day it belongs to, e.g. "Tue 24 Nov 2026".
    day: String,
    /// Progression's decisions after a morning check, each a sentence.
    changes: Vec<String>,
}

/// Stores hip pain before a session or the next morning; a morning check reviews progression at once.
#[utoipa::path(post, path = "/api/checkins", security(("login" = [], "csrf" = [])), tag = "check-ins",
    request_body = CheckinRequest, responses((status = 200, body = CheckedIn), crate::error::ClientError))]
pub async fn add_json(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    JsonBody(request): JsonBody<CheckinRequest>,
) -> Result<Json<CheckedIn>, WebError> {
    if request.moment == Moment::After {
        return Err(WebError::Invalid("moment: use `before` or `next-morning`".into()));
    }
    let checkin = Checkin { moment: request.moment, pain: request.pain, stiffer: request.stiffer };
    let checked = record_checkin(&state.store, &state.catalog, user.id, state.today(), checkin).await?;
    let changes = checked.changes.unwrap_or_default().iter().map(|c| calendar::dated(&c.sentence)).collect();
    Ok(Json(CheckedIn { day: calendar::words(checked.day), changes }))
}

/// The morning check as a card, for Today and History: hip pain this morning and whether the
/// hip feels stiffer, after the session of `day`.
pub fn morning_check(visitor: &crate::auth::Visitor, day: chrono::NaiveDate) -> maud::Markup {
    maud::html! {
        section.morning aria-labelledby="morning-title" {
            h2 #morning-title { "How is your hip this morning?" }
            p { "After yesterday's session (" (calendar::words(day)) "). This check decides whether the dose suited your hip: pain 2 or more points above that day's starting pain, or a stiffer hip, brings the dose down; a good morning lets it go up." }
            form method="post" action="/checkin" {
                (crate::layout::csrf_field(visitor))
                fieldset.plain {
                    legend { "Hip pain now, 0 (none) to 10 (worst)" }
                    div.scale {
                        @for n in 0..=10u8 {
                            label.score { input type="radio" name="pain" value=(n) required; span { (n) } }
                        }
                    }
                }
                label.choice { input type="checkbox" name="stiffer" value="yes"; " My hip feels stiffer than usual" }
                p { button.primary type="submit" { "Save my morning check" } }
            }
        }
    }
}

/// The morning check as a form sends it.
#[derive(Debug, Deserialize)]
pub struct MorningForm {
    /// 0–10, as typed.
    #[serde(default)]
    pain: String,
    /// Present when ticked.
    stiffer: Option<String>,
}

/// `POST /checkin`: the morning check from Today or History; progression reviews it at once.
pub async fn morning_submit(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    axum::Form(form): axum::Form<MorningForm>,
) -> Result<axum::response::Redirect, WebError> {
    let pain = form.pain.trim().parse::<i64>().ok().and_then(|n| PainScore::new(n).ok()).ok_or_else(|| {
        WebError::Invalid("Choose how much your hip hurts this morning, from 0 to 10, then save.".into())
    })?;
    let checkin = Checkin { moment: Moment::NextMorning, pain, stiffer: form.stiffer.is_some() };
    let checked = record_checkin(&state.store, &state.catalog, user.id, state.today(), checkin).await?;
    let changed = checked.changes.is_some_and(|changes| !changes.is_empty());
    Ok(axum::response::Redirect::to(if changed { "/?checked-in=changed" } else { "/?checked-in" }))
}
