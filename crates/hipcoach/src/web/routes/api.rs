//! The OpenAPI document for the JSON API, written by hand; a test checks that every API route
//! answers and is listed, so the two cannot drift apart.

use axum::Json;

pub async fn openapi() -> Json<serde_json::Value> {
    let op = |summary: &str| {
        serde_json::json!({ "summary": summary, "responses": {
            "200": { "description": "OK", "content": { "application/json": {} } },
            "401": { "description": "Log in first (the `hc_session` cookie from POST /login)" },
            "403": { "description": "A write without the `x-csrf-token` header of this login" },
            "404": { "description": "Not found (or not yours)" },
            "422": { "description": "Invalid input; `error` says what and how to fix it" }
        }})
    };
    let id_param =
        serde_json::json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }]);
    Json(serde_json::json!({
        "openapi": "3.0.3",
        "info": { "title": "hipcoach", "version": env!("CARGO_PKG_VERSION"),
                  "description": "Exercise guidance, not medical advice. Requests act for the account of the \
                                  login cookie (set by the log-in form); every write also sends the page's CSRF \
                                  token (`<meta name=\"csrf-token\">`) in the `x-csrf-token` header." },
        "components": { "securitySchemes": {
            "login": { "type": "apiKey", "in": "cookie", "name": "hc_session" },
            "csrf": { "type": "apiKey", "in": "header", "name": "x-csrf-token" }
        }},
        "security": [{ "login": [], "csrf": [] }],
        "paths": {
            "/api/exercises": { "get": op("Every exercise of the catalog") },
            "/api/exercises/{id}": { "get": op("One exercise"), "parameters": id_param },
            "/api/plan": { "get": op("This week's plan") },
            "/api/player/timeline": { "post": op("Replay the player's log and return the effects to play until the next user action") },
            "/api/sessions": { "get": op("Stored sessions, oldest first"),
                               "post": op("Store a session from the player's log (replayed by the server); idempotent per key") },
            "/api/sessions/{id}": { "get": op("One stored session"), "parameters": id_param },
            "/api/measurements": {
                "get": op("Stored hip internal-rotation measurements, oldest first"),
                "post": op("Store a reading taken by hand: {side: left|right, position: seated|prone, method: goniometer|inclinometer|camera-estimate, trials: [three angles in degrees, -20 to 90], rater?: same|different, measured_by?: name}; the median is kept with the method's ±")
            },
            "/api/measurements/inclinometer": {
                "post": op("Store a phone-inclinometer reading: {side, position, trials: [three {neutral: {x,y,z}, end: {x,y,z}}]} with gravity in m/s² in the phone's axes; the server computes each angle from the gravity vectors")
            },
            "/api/measurements/trend": { "get": op("Per test and side: first, latest, change against the minimal detectable change; and the side-to-side difference") },
            "/api/openapi.json": { "get": op("This document") }
        }
    }))
}
