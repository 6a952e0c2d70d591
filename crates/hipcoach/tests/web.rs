//! The web app, for real: the `hipcoach serve` binary on a random loopback port with a fresh
//! database per test, driven over HTTP.

use serde_json::{Value, json};
use std::process::Command;
use std::sync::Arc;

mod common;

use common::*;

#[tokio::test]
async fn every_page_answers_with_security_headers_and_the_library_lists_every_exercise() {
    let app = spawn_app().await;
    for path in [
        "/exercises",
        "/exercises/clamshell",
        "/start",
        "/history",
        "/measure",
        "/measure/phone",
        "/assets/app.css",
        "/assets/player.js",
        "/assets/inclinometer.js",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers();
        assert!(headers["content-security-policy"].to_str().unwrap_or("").contains("default-src 'self'"), "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
    }
    let library = app.get("/exercises").await.text().await.expect("text");
    let exercises: Value = app.get("/api/exercises").await.json().await.expect("json");
    for exercise in exercises.as_array().expect("array") {
        let id = exercise["id"].as_str().expect("id");
        assert!(library.contains(&format!("/exercises/{id}")), "{id} missing from the library page");
    }
    let page = app.get("/exercises/prone-hip-internal-rotation").await.text().await.expect("text");
    for part in ["Steps", "Breathing", "Common mistakes", "Precautions", "<svg", "Starting position: lying face down"] {
        assert!(page.contains(part), "{part}");
    }
}

#[tokio::test]
async fn unknown_things_are_404_with_a_message_never_500() {
    let app = spawn_app().await;
    let response = app.get("/exercises/jumping-jacks").await;
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], "no exercise with id `jumping-jacks`");
    assert_eq!(app.get("/api/sessions/999").await.status(), 404);
    assert_eq!(app.get("/assets/nothing.js").await.status(), 404);
}

#[tokio::test]
async fn a_new_user_is_sent_to_get_started_and_a_form_error_keeps_what_they_typed() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/start");

    let response = app.post_form("/start", &[("age-band", "18-49"), ("minutes", "200"), ("goal", "athlete")]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("text");
    assert!(page.contains("nothing was saved yet"), "{page}");
    assert!(page.contains(r#"value="200""#), "the typed minutes are kept");
    assert!(page.contains("Please give a whole number from 5 to 90."), "{page}");
    assert!(page.contains(r#"value="athlete" checked"#), "the chosen goal is kept");
    assert_eq!(app.get("/").await.status(), 303, "nothing was saved");
}

#[tokio::test]
async fn a_screening_that_needs_a_clinician_blocks_the_plan_and_says_why() {
    let app = spawn_app().await;
    let mut form: Vec<(&str, &str)> = vec![("age-band", "18-49"), ("hip-surgery", "none")];
    for id in YES_NO {
        form.push((id, if *id == "fever-or-hot-joint" { "yes" } else { "no" }));
    }
    form.extend([("goal", "general"), ("sessions", "3"), ("minutes", "15")]);
    let response = app.post_form("/start", &form).await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("text");
    assert!(page.contains("infection"), "{page}");
    assert!(page.contains("not medical advice"));
    assert_eq!(app.get("/api/plan").await.status(), 409);
}

#[tokio::test]
async fn a_whole_guided_session_through_the_api_is_stored_and_shows_in_history() {
    let app = spawn_app().await;
    app.onboard().await;
    let today = app.get("/").await.text().await.expect("text");
    assert!(today.contains("Start the session"), "{today}");
    assert!(app.get("/session").await.text().await.expect("text").contains("Sharp pain — stop now"));

    // Play the page's part: start, wait for each pain check, answer it, until the end.
    let mut log = vec![json!({"at": 0, "command": {"type": "start"}})];
    let mut finished = false;
    for _ in 0..20 {
        let timeline: Value =
            app.post_json("/api/player/timeline", &json!({"log": log, "now": 0})).await.json().await.expect("json");
        let upcoming = timeline["upcoming"].as_array().expect("upcoming");
        let last = upcoming.last().unwrap_or(&timeline["now"]);
        match last["view"]["state"].as_str() {
            Some("awaiting-pain") => {
                log.push(json!({"at": last["at"], "command": {"type": "answer-pain", "value": {"type": "score", "score": 1}}}));
            }
            Some("finished") => {
                finished = true;
                break;
            }
            other => panic!("unexpected state {other:?}: {timeline}"),
        }
        // The schedule carries beeps, speech and cues for the page to play.
        assert!(
            upcoming.iter().any(|m| m["effects"].as_array().is_some_and(|e| e.iter().any(|x| x["type"] == "beep")))
        );
    }
    assert!(finished);
    let body = json!({"key": "test-session-1", "log": log});
    let response = app.post_json("/api/sessions", &body).await;
    assert_eq!(response.status(), 200);
    let stored: Value = response.json().await.expect("json");
    let sets = stored["record"]["exercises"].as_array().expect("exercises");
    assert!(sets.iter().all(|e| e["pain"] == json!({"type": "score", "score": 1})));
    // Sending it again (a retry) stores it once.
    let again: Value = app.post_json("/api/sessions", &body).await.json().await.expect("json");
    assert_eq!(again["id"], stored["id"]);
    let sessions: Value = app.get("/api/sessions").await.json().await.expect("json");
    assert_eq!(sessions.as_array().map(Vec::len), Some(1));
    let history = app.get("/history").await.text().await.expect("text");
    assert!(history.contains("Tue 24 Nov 2026") && history.contains("<svg class=\"chart\""), "{history}");
    assert!(history.contains("1/10"));
}

#[tokio::test]
async fn a_sharp_pain_stop_is_recorded_by_the_engine_not_the_page() {
    let app = spawn_app().await;
    let log = json!([
        {"at": 0, "command": {"type": "start"}},
        {"at": 300, "command": {"type": "sharp-pain"}},
        {"at": 400, "command": {"type": "end-session"}}
    ]);
    let body = json!({"key": "k", "exercise": ["prone-hip-internal-rotation", "clamshell"], "log": log});
    let stored: Value = app.post_json("/api/sessions", &body).await.json().await.expect("json");
    let first = &stored["record"]["exercises"][0];
    assert_eq!(first["pain"], json!({"type": "sharp"}));
    assert_eq!(stored["record"]["ended_early"], true);
}

#[tokio::test]
async fn bad_requests_get_4xx_with_a_message() {
    let app = spawn_app().await;
    let cases = [
        json!({"log": "nonsense", "now": 0}),
        json!({"log": [{"at": 500, "command": {"type": "start"}}, {"at": 100, "command": {"type": "tick"}}], "now": 0, "exercise": ["clamshell"]}),
        json!({"log": [], "now": 0, "exercise": ["no-such-exercise"]}),
        json!({"log": [{"at": 0, "command": {"type": "answer-pain", "value": {"type": "score", "score": 11}}}], "now": 0, "exercise": ["clamshell"]}),
    ];
    for case in cases {
        let response = app.post_json("/api/player/timeline", &case).await;
        assert!(response.status().is_client_error(), "{case}: {}", response.status());
        let text = response.text().await.expect("text");
        assert!(!text.is_empty(), "{case}");
    }
    let response = app
        .post_json(
            "/api/sessions",
            &json!({"key": "", "exercise": ["clamshell"], "log": [{"at": 0, "command": {"type": "start"}}]}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let log = json!([{"at": 0, "command": {"type": "start"}}]);
    let body = json!({"key": "k", "exercise": ["clamshell"], "log": log, "pain_before": 11});
    let response = app.post_json("/api/sessions", &body).await;
    assert_eq!(response.status(), 422, "pain above 10 is refused");
    assert!(response.text().await.expect("text").contains("10"));
}

#[tokio::test]
async fn writes_without_this_visitors_csrf_token_are_refused() {
    let app = spawn_app().await;
    let other = App::visit(Arc::clone(&app.server)).await;
    for token in ["", "0000", other.csrf.as_str()] {
        let response = app.client.post(app.url("/start")).form(&[("_csrf", token), ("goal", "general")]).send().await;
        assert_eq!(response.expect("POST").status(), 403, "form with token {token:?}");
        let response =
            app.client.post(app.url("/api/sessions")).header("x-csrf-token", token).json(&json!({})).send().await;
        assert_eq!(response.expect("POST").status(), 403, "JSON with token {token:?}");
    }
    let response = app.client.post(app.url("/logout")).send().await.expect("POST");
    assert_eq!(response.status(), 403, "even logging out needs the token");
    assert_eq!(app.get("/api/plan").await.status(), 409, "still logged in, still no plan");
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route_and_each_answers() {
    let app = spawn_app().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/api/exercises", "get"),
        ("/api/exercises/{id}", "get"),
        ("/api/plan", "get"),
        ("/api/player/timeline", "post"),
        ("/api/sessions", "get"),
        ("/api/sessions", "post"),
        ("/api/sessions/{id}", "get"),
        ("/api/measurements", "get"),
        ("/api/measurements", "post"),
        ("/api/measurements/inclinometer", "post"),
        ("/api/measurements/camera", "post"),
        ("/api/measurements/trend", "get"),
        ("/api/checkins", "post"),
        ("/api/openapi.json", "get"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is not documented");
        if method == "get" {
            let concrete = path.replace("{id}", "clamshell");
            let status = app.get(&concrete).await.status();
            assert!(status.as_u16() < 500, "{concrete}: {status}");
        }
    }
}

/// The problems of `instance` against the 200 answer's schema of `method path` in `doc`,
/// with `$ref`s resolved against the document's components.
fn schema_problems(doc: &Value, path: &str, method: &str, instance: &Value) -> Vec<String> {
    answer_problems(doc, path, method, "200", instance)
}

/// The problems of `instance` against the schema of the `status` answer of `method path`.
fn answer_problems(doc: &Value, path: &str, method: &str, status: &str, instance: &Value) -> Vec<String> {
    let operation = &doc["paths"][path][method];
    let schema = &operation["responses"][status]["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "{method} {path} names no response schema: {operation}");
    let mut root = schema.clone();
    root["components"] = doc["components"].clone();
    let validator = jsonschema::validator_for(&root).expect("a valid JSON schema");
    validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path)).collect()
}

#[tokio::test]
async fn real_answers_match_the_schemas_the_openapi_document_names() {
    let app = spawn_app().await;
    app.onboard().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.expect("json");
    assert!(doc["components"]["schemas"].as_object().is_some_and(|s| s.contains_key("WeekPlan")));
    for (path, operations) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in operations.as_object().expect("operations") {
            let answer = &operation["responses"]["200"]["content"]["application/json"]["schema"];
            assert!(answer.is_object(), "{method} {path} names no response schema");
            if method == "post" {
                assert!(
                    operation["requestBody"]["content"]["application/json"]["schema"].is_object(),
                    "{method} {path} names no request schema"
                );
            }
            let errors = &operation["responses"]["4XX"]["content"]["application/json"]["schema"];
            assert!(errors.is_object() || path == "/api/openapi.json", "{method} {path} names no error schema");
        }
    }

    let log = json!([{"at": 0, "command": {"type": "start"}}, {"at": 5_000, "command": {"type": "skip"}}]);
    let timeline: Value =
        app.post_json("/api/player/timeline", &json!({"log": log, "now": 6_000})).await.json().await.expect("json");
    let finished: Value = app
        .post_json("/api/sessions", &json!({"key": "schema-1", "log": log, "pain_before": 2}))
        .await
        .json()
        .await
        .expect("json");
    let reading = json!({"side": "left", "position": "seated", "method": "goniometer", "trials": [34, 36, 35]});
    let saved: Value = app.post_json("/api/measurements", &reading).await.json().await.expect("json");
    let trial = json!({"neutral": gravity_turned(0.0), "end": gravity_turned(35.0)});
    let phone = json!({"side": "right", "position": "seated", "trials": [trial, trial, trial]});
    let by_phone: Value = app.post_json("/api/measurements/inclinometer", &phone).await.json().await.expect("json");
    let clip = json!({"side": "right", "position": "seated", "trials": [27, 26, 28], "plus_minus": 12});
    let by_camera: Value = app.post_json("/api/measurements/camera", &clip).await.json().await.expect("json");
    let id = finished["id"].as_i64().expect("an id");
    let answers = [
        ("/api/exercises", "get", app.get("/api/exercises").await.json::<Value>().await.expect("json")),
        ("/api/exercises/{id}", "get", app.get("/api/exercises/clamshell").await.json().await.expect("json")),
        ("/api/plan", "get", app.get("/api/plan").await.json().await.expect("json")),
        ("/api/player/timeline", "post", timeline),
        ("/api/sessions", "post", finished),
        ("/api/sessions", "get", app.get("/api/sessions").await.json().await.expect("json")),
        ("/api/sessions/{id}", "get", app.get(&format!("/api/sessions/{id}")).await.json().await.expect("json")),
        ("/api/measurements", "post", saved),
        ("/api/measurements/inclinometer", "post", by_phone),
        ("/api/measurements/camera", "post", by_camera),
        (
            "/api/checkins",
            "post",
            app.post_json("/api/checkins", &json!({"moment": "before", "pain": 3})).await.json().await.expect("json"),
        ),
        ("/api/measurements", "get", app.get("/api/measurements").await.json().await.expect("json")),
        ("/api/measurements/trend", "get", app.get("/api/measurements/trend").await.json().await.expect("json")),
    ];
    for (path, method, answer) in &answers {
        let problems = schema_problems(&doc, path, method, answer);
        assert!(problems.is_empty(), "{method} {path}: {problems:?}\n{answer}");
    }
    // The schemas say something: a plan whose sessions are not a list does not pass.
    let mut broken = answers[2].2.clone();
    broken["sessions"] = json!("three");
    assert!(!schema_problems(&doc, "/api/plan", "get", &broken).is_empty());
    // Errors have the shape the document names, and the bounds of a pain score are in it.
    let error: Value = app.get("/api/sessions/999999").await.json().await.expect("json");
    assert!(error["error"].as_str().is_some_and(|e| !e.is_empty()), "{error}");
    assert!(answer_problems(&doc, "/api/sessions/{id}", "get", "4XX", &error).is_empty(), "{error}");
    let pain = &doc["components"]["schemas"]["PainScore"];
    assert_eq!((pain["minimum"].as_i64(), pain["maximum"].as_i64()), (Some(0), Some(10)), "{pain}");
    // Public routes need no login; writes need the login and the CSRF header.
    assert_eq!(doc["paths"]["/api/exercises"]["get"]["security"], json!([{}]));
    assert_eq!(doc["paths"]["/api/sessions"]["post"]["security"], json!([{"login": [], "csrf": []}]));
}

/// Gravity in the phone's axes with the shin turned `degrees` from vertical, in the plane the
/// core reads (upright: (0, -9.81, 0)).
fn gravity_turned(degrees: f64) -> Value {
    let t = degrees.to_radians();
    json!({"x": -9.81 * t.sin(), "y": -9.81 * t.cos(), "z": 0.0})
}

#[tokio::test]
async fn a_reading_entered_by_hand_shows_on_the_measure_page_with_its_chart_and_sentences() {
    let app = spawn_app().await;
    let empty = app.get("/measure").await.text().await.expect("text");
    assert!(empty.contains("No measurements yet") && empty.contains("/measure/phone"), "{empty}");
    assert!(empty.contains(r#"name="_csrf""#), "the form carries the anti-forgery field");

    let form = [
        ("position", "seated"),
        ("side", "left"),
        ("method", "goniometer"),
        ("trial1", "34"),
        ("trial2", "36.4"),
        ("trial3", "35"),
        ("rater", "same"),
    ];
    let response = app.post_form("/measure", &form).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/measure#readings");
    let right = [
        ("position", "seated"),
        ("side", "right"),
        ("method", "goniometer"),
        ("trial1", "22"),
        ("trial2", "20"),
        ("trial3", "21"),
    ];
    assert_eq!(app.post_form("/measure", &right).await.status(), 303);

    let page = app.get("/measure").await.text().await.expect("text");
    assert!(page.contains(r#"<svg class="chart ir-chart""#), "{page}");
    assert!(page.contains("<title id=\"chart-seated\">Seated hip internal rotation over time</title>"), "{page}");
    assert!(page.contains("usual range 30°–45°"), "the reference band is drawn");
    assert!(page.contains("Left: 35° ±6° on Tue 24 Nov 2026 (goniometer)"), "{page}");
    assert!(page.contains("Only one reading so far"), "{page}");
    assert!(page.contains("the right hip turns 14° less"), "{page}");
    assert!(!page.contains(".0°") && !page.contains(".5°"), "no more precision than the method has");

    // A second reading the same week, within the goniometer's 8°: not called progress.
    let again = [
        ("position", "seated"),
        ("side", "left"),
        ("method", "goniometer"),
        ("trial1", "39"),
        ("trial2", "40"),
        ("trial3", "38"),
    ];
    assert_eq!(app.post_form("/measure", &again).await.status(), 303);
    let page = app.get("/measure").await.text().await.expect("text");
    assert!(page.contains("+4°, within measurement error (a real change needs 8° or more)"), "{page}");

    let trend: Value = app.get("/api/measurements/trend").await.json().await.expect("json");
    assert_eq!(trend[0]["position"], "seated");
    assert_eq!(trend[0]["sides"][0]["trend"]["change"], "no-real-change");
    assert_eq!(trend[0]["asymmetry"]["stiffer"], "right");
}

#[tokio::test]
async fn an_invalid_reading_is_a_422_that_keeps_every_typed_value_and_says_what_to_fix() {
    let app = spawn_app().await;
    let form = [
        ("position", "prone"),
        ("method", "inclinometer"),
        ("trial1", "34"),
        ("trial2", "abc"),
        ("trial3", "135"),
        ("rater", "different"),
        ("by", "Sam the physio"),
    ];
    let response = app.post_form("/measure", &form).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("text");
    assert!(page.contains("nothing was saved yet"), "{page}");
    assert!(page.contains(r#"id="error-side""#) && page.contains("choose the left or right hip"), "{page}");
    assert!(page.contains("“abc” is not a number of degrees"), "{page}");
    assert!(page.contains("135 is not a hip internal-rotation reading"), "{page}");
    for kept in [
        r#"value="34""#,
        r#"value="abc""#,
        r#"value="135""#,
        r#"value="Sam the physio""#,
        r#"value="prone" checked"#,
        r#"value="inclinometer" checked"#,
        r#"value="different" checked"#,
    ] {
        assert!(page.contains(kept), "{kept} was not kept");
    }
    let stored: Value = app.get("/api/measurements").await.json().await.expect("json");
    assert_eq!(stored, json!([]), "nothing was saved");
}

#[tokio::test]
async fn the_inclinometer_endpoint_computes_the_angle_from_gravity_vectors() {
    let app = spawn_app().await;
    let neutral = json!({"x": 0.0, "y": -9.81, "z": 0.0});
    let trials: Vec<Value> =
        [33.0, 35.0, 36.0].iter().map(|deg| json!({"neutral": neutral, "end": gravity_turned(*deg)})).collect();
    let response = app
        .post_json("/api/measurements/inclinometer", &json!({"side": "right", "position": "seated", "trials": trials}))
        .await;
    assert_eq!(response.status(), 200);
    let saved: Value = response.json().await.expect("json");
    assert_eq!(saved["measurement"]["method"], "phone");
    let degrees = saved["measurement"]["degrees"].as_f64().expect("degrees");
    assert!((degrees - 35.0).abs() < 1e-6, "{degrees}");
    assert_eq!(saved["measurement"]["uncertainty"], 7.0);
    assert_eq!(saved["reading"], "right seated IR 35° ±7° (phone on the shin)");
    assert_eq!(saved["trials"], json!([33, 35, 36]));

    // The phone strapped the other way round turns the other way: the same size of turn.
    let mirrored: Vec<Value> =
        [-35.0, -35.0, -35.0].iter().map(|deg| json!({"neutral": neutral, "end": gravity_turned(*deg)})).collect();
    let saved: Value = app
        .post_json("/api/measurements/inclinometer", &json!({"side": "left", "position": "seated", "trials": mirrored}))
        .await
        .json()
        .await
        .expect("json");
    assert!((saved["measurement"]["degrees"].as_f64().expect("degrees") - 35.0).abs() < 1e-6);
    let page = app.get("/measure").await.text().await.expect("text");
    assert!(page.contains("Right: 35° ±7°"), "{page}");
}

/// The page's recorded-clip analysis sends only the estimate: the three peaks and the analyser's
/// ±, kept when wider than the camera's own, never narrower; a resend under its key is one reading.
#[tokio::test]
async fn a_camera_estimate_from_the_page_keeps_the_wider_plus_minus_and_is_stored_once() {
    let app = spawn_app().await;
    let wide =
        json!({"side": "right", "position": "seated", "trials": [27, 26, 28], "plus_minus": 13, "key": "clip-1"});
    let saved: Value = app.post_json("/api/measurements/camera", &wide).await.json().await.expect("json");
    assert_eq!(saved["measurement"]["method"], "camera-estimate");
    assert_eq!(saved["measurement"]["uncertainty"], 13.0);
    assert_eq!(saved["reading"], "right seated IR estimate 27° ±13° (camera estimate)");
    let again: Value = app.post_json("/api/measurements/camera", &wide).await.json().await.expect("json");
    assert_eq!(again["id"], saved["id"], "the same key is the same reading");
    let narrow = json!({"side": "left", "position": "seated", "trials": [30, 31, 32], "plus_minus": 2});
    let saved: Value = app.post_json("/api/measurements/camera", &narrow).await.json().await.expect("json");
    assert_eq!(saved["measurement"]["uncertainty"], 10.0, "never more precise than the camera's own ±10°");
    let stored: Value = app.get("/api/measurements").await.json().await.expect("json");
    assert_eq!(stored.as_array().expect("list").len(), 2);
    let page = app.get("/measure/clip").await.text().await.expect("text");
    assert!(page.contains("The video stays on this device"), "{page}");
}

#[tokio::test]
async fn garbage_sent_to_the_measurement_api_is_a_4xx_with_a_json_message_never_a_500() {
    let app = spawn_app().await;
    let neutral = json!({"x": 0.0, "y": -9.81, "z": 0.0});
    let zero = json!({"x": 0.0, "y": 0.0, "z": 0.0});
    let good = |deg: f64| json!({"neutral": neutral, "end": gravity_turned(deg)});
    let cases = [
        (
            "/api/measurements/inclinometer",
            json!({"side": "left", "position": "seated", "trials": [{"neutral": zero, "end": gravity_turned(30.0)}, good(30.0), good(30.0)]}),
            "neutral",
        ),
        (
            "/api/measurements/inclinometer",
            json!({"side": "left", "position": "seated", "trials": [good(30.0), good(30.0)]}),
            "take 3",
        ),
        (
            "/api/measurements/inclinometer",
            json!({"side": "left", "position": "seated", "trials": [{"neutral": neutral}, good(30.0), good(30.0)]}),
            "end",
        ),
        (
            "/api/measurements/inclinometer",
            json!({"side": "middle", "position": "seated", "trials": [good(30.0), good(30.0), good(30.0)]}),
            "side",
        ),
        (
            "/api/measurements/inclinometer",
            json!({"side": "left", "position": "seated", "trials": [{"neutral": neutral, "end": {"x": 0.0, "y": -30.0, "z": 0.0}}, good(30.0), good(30.0)]}),
            "hold still",
        ),
        ("/api/measurements/inclinometer", json!({"position": "seated", "trials": []}), "side"),
        (
            "/api/measurements",
            json!({"side": "left", "position": "seated", "method": "tape", "trials": [30, 31, 32]}),
            "method",
        ),
        (
            "/api/measurements",
            json!({"side": "left", "position": "supine", "method": "goniometer", "trials": [30, 31, 32]}),
            "position",
        ),
        (
            "/api/measurements",
            json!({"side": "left", "position": "seated", "method": "goniometer", "trials": [30, 400, 32]}),
            "trials[1]",
        ),
        (
            "/api/measurements",
            json!({"side": "left", "position": "seated", "method": "goniometer", "trials": [30, "x", 32]}),
            "trials",
        ),
        (
            "/api/measurements",
            json!({"side": "left", "position": "seated", "method": "goniometer", "trials": [30]}),
            "take 3",
        ),
        (
            "/api/measurements/camera",
            json!({"side": "left", "position": "seated", "trials": [30, 31, 32], "plus_minus": 91}),
            "plus_minus",
        ),
        (
            "/api/measurements/camera",
            json!({"side": "left", "position": "seated", "trials": [30, 31, 32], "plus_minus": -1}),
            "plus_minus",
        ),
        (
            "/api/measurements/camera",
            json!({"side": "left", "position": "seated", "trials": [30, 31, 32]}),
            "plus_minus",
        ),
        (
            "/api/measurements/camera",
            json!({"side": "left", "position": "seated", "trials": [30, 31, 132], "plus_minus": 12}),
            "trials[2]",
        ),
    ];
    for (path, body, mentions) in cases {
        let response = app.post_json(path, &body).await;
        assert!(response.status().is_client_error(), "{body}: {}", response.status());
        let error: Value = response.json().await.expect("a JSON error");
        let message = error["error"].as_str().expect("an error message");
        assert!(message.contains(mentions), "{body}: {message}");
    }
    // NaN is not JSON: the body does not parse, and the answer still says so in JSON.
    let response = app
        .client
        .post(app.url("/api/measurements/inclinometer"))
        .header("x-csrf-token", &app.csrf)
        .header("content-type", "application/json")
        .body(r#"{"side":"left","position":"seated","trials":[{"neutral":{"x":NaN,"y":-9.81,"z":0},"end":{"x":0,"y":-9.81,"z":0}}]}"#)
        .send()
        .await
        .expect("POST");
    assert!(response.status().is_client_error());
    let error: Value = response.json().await.expect("a JSON error");
    assert!(error["error"].as_str().is_some_and(|m| !m.is_empty()));
    let stored: Value = app.get("/api/measurements").await.json().await.expect("json");
    assert_eq!(stored, json!([]), "nothing was saved");

    // And a good manual reading through the API is stored.
    let response = app
        .post_json(
            "/api/measurements",
            &json!({"side": "left", "position": "prone", "method": "goniometer", "trials": [28, 31, 30]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let stored: Value = app.get("/api/measurements").await.json().await.expect("json");
    assert_eq!(stored[0]["degrees"], 30.0);
}

#[tokio::test]
async fn visitors_must_log_in_and_the_login_cookie_is_http_only() {
    let server = start_server(&[]);
    let mut visitor = App::visit(Arc::clone(&server)).await;
    let response = visitor.get("/history").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login?next=%2Fhistory");
    assert_eq!(visitor.get("/api/plan").await.status(), 401, "the API answers 401, not a page");
    assert_eq!(visitor.get("/exercises").await.status(), 200, "the library is public");

    // Sign-up errors: every one at once, the name kept, nothing created.
    let form = [("name", "ana smith"), ("password", "short"), ("confirm", "short")];
    let response = visitor.post_form("/signup", &form).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("text");
    for part in ["without spaces", "at least 8 characters", "confirm you have read this", r#"value="ana smith""#] {
        assert!(page.contains(part), "{part}: {page}");
    }

    let form = [("name", "ana"), ("password", "long enough"), ("confirm", "long enough"), ("understood", "yes")];
    let response = visitor.post_form("/signup", &form).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/start", "a new account starts with the screening");
    let cookie = response.headers()["set-cookie"].to_str().expect("ascii").to_owned();
    for part in ["hc_session=", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    visitor.refresh_csrf().await;
    assert_eq!(visitor.get("/start").await.status(), 200);
    assert!(visitor.get("/start").await.text().await.expect("text").contains("Log out"));

    // The name is taken now.
    let mut second = App::visit(Arc::clone(&server)).await;
    let response = second.post_form("/signup", &form).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.expect("text").contains("That name is taken"));

    // Logging out ends the login on the server, not only in this browser.
    let response = visitor.post_form("/logout", &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(visitor.get("/start").await.status(), 303);
    let stale = second.client.get(second.url("/api/plan")).header("cookie", cookie.split(';').next().expect("pair"));
    assert_eq!(stale.send().await.expect("GET").status(), 401, "a copied cookie of a closed login is worthless");

    // Logging in again, and back to where the visitor was going.
    second.refresh_csrf().await;
    let response =
        second.post_form("/login", &[("name", "ana"), ("password", "long enough"), ("next", "/history")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/history");
    assert_eq!(second.get("/history").await.status(), 200);
}

#[tokio::test]
async fn password_guessing_is_slowed_down() {
    let app = spawn_app().await;
    let guesser = App::visit(Arc::clone(&app.server)).await;
    for attempt in 0..10 {
        let response = guesser.post_form("/login", &[("name", "ana"), ("password", &format!("guess {attempt}"))]).await;
        assert_eq!(response.status(), 401, "attempt {attempt}");
        assert!(response.text().await.expect("text").contains("do not match"));
    }
    let response = guesser.post_form("/login", &[("name", "ana"), ("password", "long enough")]).await;
    assert_eq!(response.status(), 429, "even the right password waits after ten failures");
    assert!(response.headers().contains_key("retry-after"));
    assert!(response.text().await.expect("text").contains("wait"));
    // One address trying many names is held after thirty failures in all.
    for n in 0..20 {
        let response =
            guesser.post_form("/login", &[("name", &format!("someone{n}")), ("password", "whatever1")]).await;
        assert_eq!(response.status(), 401, "name {n}");
    }
    let unknown = guesser.post_form("/login", &[("name", "nobody"), ("password", "whatever1")]).await;
    assert_eq!(unknown.status(), 429, "the address is held too");
}

/// Sends a log-in form as the client `client` behind the proxy.
async fn login_behind_proxy(app: &App, client: &str, name: &str, password: &str) -> u16 {
    let fields = [("_csrf", app.csrf.as_str()), ("name", name), ("password", password)];
    let response = app
        .client
        .post(app.url("/login"))
        .header("x-forwarded-for", format!("198.51.100.7, {client}"))
        .form(&fields)
        .send()
        .await
        .expect("POST");
    response.status().as_u16()
}

#[tokio::test]
async fn guessing_from_everywhere_cannot_lock_the_owner_out_of_a_browser_they_used_before() {
    let server = start_server(&["--behind-proxy"]);
    let mut owner = App::visit(Arc::clone(&server)).await;
    owner.sign_up("ana").await;
    owner.post_form("/logout", &[]).await;
    owner.refresh_csrf().await;
    // Guesses at ana's password from a hundred addresses, ten each.
    let attacker = App::visit(Arc::clone(&server)).await;
    for n in 0..100 {
        assert_eq!(login_behind_proxy(&attacker, &format!("203.0.113.{n}"), "ana", "wrong guess").await, 401);
    }
    let stranger = App::visit(Arc::clone(&server)).await;
    assert_eq!(
        login_behind_proxy(&stranger, "192.0.2.50", "ana", "long enough").await,
        429,
        "a browser never seen with this account waits"
    );
    assert_eq!(
        login_behind_proxy(&owner, "192.0.2.60", "ana", "long enough").await,
        303,
        "the owner's own browser gets in"
    );
}

#[tokio::test]
async fn sign_ups_are_limited_per_address() {
    let server = start_server(&[]);
    for n in 0..5 {
        App::visit(Arc::clone(&server)).await.sign_up(&format!("person{n}")).await;
    }
    let sixth = App::visit(Arc::clone(&server)).await;
    let form = [("name", "person5"), ("password", "long enough"), ("confirm", "long enough"), ("understood", "yes")];
    let response = sixth.post_form("/signup", &form).await;
    assert_eq!(response.status(), 429);
    assert!(response.text().await.expect("text").contains("too many new accounts"));
}

#[tokio::test]
async fn another_user_gets_404_for_every_one_of_ana_s_things() {
    let app = spawn_app().await;
    app.onboard().await;
    let log = json!([{"at": 0, "command": {"type": "start"}}, {"at": 100, "command": {"type": "end-session"}}]);
    let body = json!({"key": "ana-1", "exercise": ["clamshell"], "log": log});
    let stored: Value = app.post_json("/api/sessions", &body).await.json().await.expect("json");
    let id = stored["id"].as_i64().expect("id");
    assert_eq!(app.get(&format!("/api/sessions/{id}")).await.status(), 200);
    let reading = json!({"side": "left", "position": "seated", "method": "goniometer", "trials": [31, 32, 33]});
    assert_eq!(app.post_json("/api/measurements", &reading).await.status(), 200);

    let mut bo = App::visit(Arc::clone(&app.server)).await;
    bo.sign_up("bo").await;
    assert_eq!(bo.get(&format!("/api/sessions/{id}")).await.status(), 404);
    let sessions: Value = bo.get("/api/sessions").await.json().await.expect("json");
    assert_eq!(sessions, json!([]));
    assert_eq!(bo.get("/api/plan").await.status(), 409, "bo has no screening, whatever ana has");
    assert_eq!(bo.get("/api/measurements").await.json::<Value>().await.expect("json"), json!([]));
    let trend = bo.get("/api/measurements/trend").await.text().await.expect("text");
    assert!(!trend.contains("32"), "bo's trend is not ana's: {trend}");
    assert!(!bo.get("/measure").await.text().await.expect("text").contains("32°"));
    assert_eq!(bo.get("/").await.headers()["location"], "/start");
    assert!(!bo.get("/history").await.text().await.expect("text").contains("Tue 24 Nov 2026"));
    let start = bo.get("/start").await.text().await.expect("text");
    assert!(!start.contains(r#"value="no" checked"#), "ana's answers are not shown to bo");
    // The same client key from bo is bo's own session, not a replay of ana's.
    let mine: Value = bo.post_json("/api/sessions", &body).await.json().await.expect("json");
    assert_ne!(mine["id"], stored["id"]);
    let ana: Value = app.get("/api/sessions").await.json().await.expect("json");
    assert_eq!(ana.as_array().map(Vec::len), Some(1), "ana still has exactly her own session");
}

#[tokio::test]
async fn single_user_mode_needs_no_sign_up_and_only_listens_on_loopback() {
    let app = App::visit(start_server(&["--single-user"])).await;
    let response = app.get("/").await;
    assert_eq!(response.headers()["location"], "/start", "straight to getting started");
    assert_eq!(app.get("/signup").await.headers()["location"], "/");
    app.onboard().await;
    assert_eq!(app.get("/api/plan").await.status(), 200);

    let dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_hipcoach"))
        .args(["--data-dir", dir.path().to_str().expect("utf-8")])
        .args(["serve", "--single-user", "--bind", "0.0.0.0:0"])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("loopback"));
}

#[tokio::test]
async fn the_plan_follows_a_changed_profile_at_once() {
    let app = spawn_app().await;
    app.onboard_with("3").await;
    let plan: Value = app.get("/api/plan").await.json().await.expect("json");
    assert_eq!(plan["sessions"].as_array().map(Vec::len), Some(3));
    let again: Value = app.get("/api/plan").await.json().await.expect("json");
    assert_eq!(again, plan, "asking twice gives the same plan");
    app.onboard_with("2").await;
    let plan: Value = app.get("/api/plan").await.json().await.expect("json");
    assert_eq!(plan["sessions"].as_array().map(Vec::len), Some(2), "not a stale cached plan");
}

#[tokio::test]
async fn a_browser_gets_errors_as_pages_and_scripts_get_json() {
    let app = spawn_app().await;
    for (path, status, words) in [
        ("/exercises/jumping-jacks", 404, "No exercise with id"),
        ("/no-such-page", 404, "There is no page at /no-such-page"),
        ("/api/sessions/not-a-number", 400, r#"{"error":"#),
    ] {
        let response = app.client.get(app.url(path)).header("accept", "text/html").send().await.expect("GET");
        assert_eq!(response.status(), status, "{path}");
        let is_api = path.starts_with("/api/");
        let kind = response.headers()["content-type"].to_str().expect("ascii").to_owned();
        assert_eq!(kind.starts_with("text/html"), !is_api, "{path}: {kind}");
        let body = response.text().await.expect("text");
        assert!(body.contains(words), "{path}: {body}");
        if !is_api {
            assert!(body.contains("Back to Today") && body.contains("not medical advice"), "{body}");
            assert!(body.contains(r#"href="/history""#), "a logged-in visitor keeps the full menu");
        }
    }
    let stranger = App::visit(Arc::clone(&app.server)).await;
    let page = stranger.client.get(stranger.url("/nowhere")).header("accept", "text/html").send().await.expect("GET");
    let page = page.text().await.expect("text");
    assert!(
        page.contains(r#"href="/login""#) && !page.contains(r#"href="/history""#),
        "a stranger gets the public menu"
    );
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), 404);
    assert!(response.json::<Value>().await.expect("json")["error"].as_str().is_some_and(|e| e.contains("no page")));
}

#[tokio::test]
async fn a_planted_pre_login_token_does_not_forge_writes_for_a_logged_in_user() {
    let server = start_server(&[]);
    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let url = |path: &str| format!("{}{path}", server.address);
    let set_cookie = |response: &reqwest::Response, name: &str| {
        response.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
            v.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or("").to_owned())
        })
    };
    let asset = plain.get(url("/assets/app.css")).send().await.expect("GET");
    assert!(set_cookie(&asset, "hc_csrf").is_none(), "no secret on a response a shared cache may keep");

    // The attacker's own pre-login secret and the token that goes with it.
    let page = plain.get(url("/login")).send().await.expect("GET");
    let planted = set_cookie(&page, "hc_csrf").expect("a pre-login secret");
    let html = page.text().await.expect("text");
    let token = html.split(r#"name="csrf-token" content=""#).nth(1).and_then(|r| r.split('"').next()).expect("token");
    let form = [
        ("_csrf", token),
        ("name", "ana"),
        ("password", "long enough"),
        ("confirm", "long enough"),
        ("understood", "yes"),
    ];
    let signed_up = plain.post(url("/signup")).header("cookie", format!("hc_csrf={planted}")).form(&form).send().await;
    let login = set_cookie(&signed_up.expect("POST"), "hc_session").expect("a login");

    let body = json!({"key": "forged", "exercise": ["clamshell"], "log": [{"at": 0, "command": {"type": "start"}}]});
    let forged = plain
        .post(url("/api/sessions"))
        .header("cookie", format!("hc_session={login}; hc_csrf={planted}"))
        .header("x-csrf-token", token)
        .json(&body)
        .send()
        .await
        .expect("POST");
    assert_eq!(forged.status(), 403, "once logged in only the login's own token counts");
}

#[tokio::test]
async fn after_logging_in_only_paths_on_this_site_are_followed() {
    let app = spawn_app().await;
    let mut out = App::visit(Arc::clone(&app.server)).await;
    for next in ["//evil.example", "/\t/evil.example", "https://evil.example"] {
        let response = out.post_form("/login", &[("name", "ana"), ("password", "long enough"), ("next", next)]).await;
        assert_eq!(response.status(), 303, "{next:?}");
        assert_eq!(response.headers()["location"], "/", "{next:?}");
        out.refresh_csrf().await; // the new login brings its own token
    }
}

#[tokio::test]
async fn a_single_user_server_answers_only_to_its_own_names() {
    let app = App::visit(start_server(&["--single-user"])).await;
    let port = app.server.address.rsplit(':').next().expect("port").to_owned();
    for (host, status) in [("evil.example", 403), ("evil.example:80", 403), ("localhost", 303), ("127.0.0.1", 303)] {
        let host = if host.contains(':') { host.to_owned() } else { format!("{host}:{port}") };
        let response = app.client.get(app.url("/")).header("host", &host).send().await.expect("GET");
        assert_eq!(response.status(), status, "{host}");
    }
}

#[tokio::test]
async fn behind_a_proxy_log_in_limits_count_per_client_and_otherwise_the_header_is_ignored() {
    for (flags, separate) in [(&["--behind-proxy"][..], true), (&[][..], false)] {
        let guesser = App::visit(start_server(flags)).await;
        for n in 0..30 {
            assert_eq!(login_behind_proxy(&guesser, "203.0.113.1", &format!("name{n}"), "wrong guess").await, 401);
        }
        assert_eq!(login_behind_proxy(&guesser, "203.0.113.1", "bo", "wrong guess").await, 429, "held");
        let other = login_behind_proxy(&guesser, "203.0.113.2", "cy", "wrong guess").await;
        assert_eq!(other == 401, separate, "{flags:?}: another client behind the proxy got {other}");
    }
}

/// Every write route with bodies that are wrong in every way we could think of: none of them may
/// be a 5xx, and each refusal says something.
#[tokio::test]
async fn no_malformed_request_to_any_route_is_a_server_error() {
    let app = spawn_app().await;
    app.onboard().await;
    let json_bodies: &[&str] = &[
        "",
        "null",
        "[]",
        "{}",
        "\"text\"",
        "{\"log\": null}",
        "{\"key\": 1e400, \"log\": [], \"exercise\": \"clamshell\"}",
        "{\"key\": \"k\", \"log\": [{\"at\": -1, \"command\": {\"type\": \"start\"}}]}",
        "{\"key\": \"k\", \"log\": [{\"at\": 18446744073709551615, \"command\": {\"type\": \"start\"}}]}",
        "{\"side\": \"left\", \"position\": \"seated\", \"method\": \"goniometer\", \"trials\": [1e308, -1e308, 0]}",
        "{\"side\": \"up\", \"position\": [], \"trials\": [{\"neutral\": {\"x\": \"a\"}}]}",
        "{\"side\": \"left\", \"position\": \"seated\", \"trials\": [{\"neutral\": {\"x\": 0, \"y\": 0, \"z\": 0}, \"end\": {\"x\": 0, \"y\": 0, \"z\": 0}}]}",
        "{\"pain_before\": -3, \"key\": \"k\", \"log\": []}",
        "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
    ];
    for path in [
        "/api/player/timeline",
        "/api/sessions",
        "/api/measurements",
        "/api/measurements/inclinometer",
        "/api/checkins",
    ] {
        for body in json_bodies {
            let response = app
                .client
                .post(app.url(path))
                .header("x-csrf-token", &app.csrf)
                .header("content-type", "application/json")
                .body(*body)
                .send()
                .await
                .expect("POST");
            let status = response.status();
            let text = response.text().await.expect("text");
            assert!(status.is_client_error(), "{path} {body}: {status} {text}");
            assert!(text.contains("\"error\""), "{path} {body}: {text}");
        }
        let wrong_type = app.client.post(app.url(path)).header("x-csrf-token", &app.csrf).body("a=b").send().await;
        assert!(wrong_type.expect("POST").status().is_client_error(), "{path} without a JSON content type");
    }
    let form_bodies: &[&[(&str, &str)]] = &[
        &[],
        &[("minutes", "99999999999999999999"), ("sessions", "-1"), ("age-band", "\u{0}")],
        &[
            ("position", "seated"),
            ("side", "left"),
            ("method", "goniometer"),
            ("trial1", "NaN"),
            ("trial2", "inf"),
            ("trial3", "1e999"),
        ],
        &[("name", &"x".repeat(10_000)), ("password", ""), ("confirm", "")],
        &[("action", "make"), ("at", "99:99"), ("offset", "1e999"), ("current", "\u{0}"), ("new", &"n".repeat(10_000))],
        &[("action", "\u{0}"), ("understood", ""), ("password", &"p".repeat(10_000))],
    ];
    // Deleting last: it must refuse every malformed form above and keep the account.
    let form_paths = [
        "/start",
        "/safety",
        "/profile",
        "/profile/preference",
        "/checkin",
        "/measure",
        "/signup",
        "/login",
        "/account/calendar",
        "/account/password",
        "/account/delete",
    ];
    for path in form_paths {
        for form in form_bodies {
            let status = app.post_form(path, form).await.status();
            assert!(!status.is_server_error(), "{path} {form:?}: {status}");
        }
    }
    for path in [
        "/api/sessions/-1",
        "/api/sessions/99999999999999999999",
        "/api/exercises/%00",
        "/exercises/..%2F..",
        "/session?exercise=%FF",
        "/account/download/%00",
        "/account/download/week.ics?at=%FF&offset=-99999999999999999999",
        "/calendar/%FF.ics",
        "/calendar/.ics",
        "/history/-1",
        "/history/99999999999999999999",
    ] {
        let status = app.get(path).await.status();
        assert!(status.is_client_error(), "{path}: {status}");
    }
}

#[tokio::test]
async fn check_ins_from_the_page_take_the_same_path_as_the_terminal() {
    let app = spawn_app().await;
    app.onboard().await;
    // Resting today: the pain before is kept.
    let rested: Value =
        app.post_json("/api/checkins", &json!({"moment": "before", "pain": 8})).await.json().await.expect("json");
    assert_eq!(rested["day"], "Tue 24 Nov 2026");
    // A morning check with no session before today is refused with the reason; bad values are 422.
    let response = app.post_json("/api/checkins", &json!({"moment": "next-morning", "pain": 1})).await;
    assert_eq!(response.status(), 409);
    assert!(
        response.json::<Value>().await.expect("json")["error"]
            .as_str()
            .unwrap_or("")
            .contains("no session before today")
    );
    for bad in [json!({"moment": "after", "pain": 1}), json!({"moment": "before", "pain": 11}), json!({"pain": 1})] {
        let response = app.post_json("/api/checkins", &bad).await;
        assert_eq!(response.status(), 422, "{bad}");
    }
}

#[tokio::test]
async fn the_same_mistake_gets_the_same_status_on_every_json_route_and_lists_are_capped() {
    let app = spawn_app().await;
    app.onboard().await;
    let routes = [
        "/api/sessions",
        "/api/player/timeline",
        "/api/checkins",
        "/api/measurements",
        "/api/measurements/inclinometer",
    ];
    let send = |path: &'static str, kind: &'static str, body: Vec<u8>| {
        app.client.post(app.url(path)).header("x-csrf-token", &app.csrf).header("content-type", kind).body(body).send()
    };
    for path in routes {
        for (kind, body, status) in [
            ("text/plain", b"{}".to_vec(), 415),
            ("application/json", b"{not json".to_vec(), 422),
            ("application/json", b"{\"unexpected\": true}".to_vec(), 422),
            ("application/json", vec![b' '; 300 * 1024], 413),
        ] {
            let response = send(path, kind, body).await.expect("POST");
            assert_eq!(response.status(), status, "{path} {kind}");
            assert!(response.headers().contains_key("content-security-policy"), "{path}");
            let error: Value = response.json().await.expect("a JSON error");
            assert!(error["error"].as_str().is_some_and(|m| !m.is_empty()), "{path}: {error}");
        }
    }
    let start = json!([{"at": 0, "command": {"type": "start"}}]);
    let many: Vec<&str> = ["clamshell"; 21].to_vec();
    let cases = [
        (json!({"key": "k", "exercise": many, "log": start}), "at most 20 exercises"),
        (json!({"key": "k", "exercise": ["clamshell", "clamshell"], "log": start}), "chosen twice"),
        (json!({"key": "k", "exercise": ["x".repeat(5_000)], "log": start}), "…”"),
        (
            json!({"key": "k", "exercise": ["clamshell"], "log": vec![json!({"at": 0, "command": {"type": "pause"}}); 2_001]}),
            "at most 2000 entries",
        ),
    ];
    for (body, says) in cases {
        for path in ["/api/sessions", "/api/player/timeline"] {
            let mut body = body.clone();
            body["now"] = json!(0);
            let response = app.post_json(path, &body).await;
            assert_eq!(response.status(), 422, "{path}: {says}");
            let message =
                response.json::<Value>().await.expect("json")["error"].as_str().unwrap_or_default().to_owned();
            assert!(message.contains(says) && message.len() < 300, "{path}: {message}");
        }
    }
}

#[tokio::test]
async fn the_session_list_comes_in_pages_linked_by_the_link_header() {
    let app = spawn_app().await;
    let log = json!([{"at": 0, "command": {"type": "start"}}, {"at": 100, "command": {"type": "end-session"}}]);
    for n in 0..3 {
        let body = json!({"key": format!("k{n}"), "exercise": ["clamshell"], "log": log});
        assert_eq!(app.post_json("/api/sessions", &body).await.status(), 200);
    }
    let mut keys = Vec::new();
    let mut next = Some("/api/sessions?limit=2".to_owned());
    while let Some(path) = next {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200);
        next = response
            .headers()
            .get("link")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix('<')?.split_once('>'))
            .map(|(path, _)| path.to_owned());
        let page: Vec<Value> = response.json().await.expect("json");
        let mut page_keys: Vec<String> =
            page.iter().map(|s| s["client_key"].as_str().expect("key").to_owned()).collect();
        page_keys.extend(keys);
        keys = page_keys;
    }
    assert_eq!(keys, ["k0", "k1", "k2"], "every session once, oldest first");
    assert_eq!(app.get("/api/sessions?limit=0").await.status(), 422);
    assert_eq!(app.get("/api/sessions?limit=5000").await.status(), 422);
}

#[tokio::test]
async fn the_get_started_form_marks_every_problem_at_once_in_plain_words() {
    let app = spawn_app().await;
    let huge = "9".repeat(309);
    let form = [
        ("hip-surgery", "replacement"),
        ("weeks-since-surgery", huge.as_str()),
        ("chest-pain", "no"),
        ("goal", "general"),
        ("sessions", "3"),
        ("minutes", "15"),
    ];
    let response = app.post_form("/start", &form).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("text");
    for says in ["Please answer this question.", "Please give a whole number from 0 to"] {
        assert!(page.contains(says), "{says}");
    }
    let marked = page.matches("Please answer this question.").count();
    assert!(marked >= 20, "every unanswered question is marked at once, not one per submit: {marked}");
    assert_eq!(page.matches(&huge).count(), 0, "an absurd number is not echoed back, in its box or a message");
    assert!(!page.contains("please answer `"), "no internal keys in messages");
}

/// The `value` of the `<input>` whose `aria-label` is `label`.
fn input_value(page: &str, label: &str) -> String {
    let at = page.find(&format!(r#"aria-label="{label}""#)).expect("the field");
    let start = page[..at].rfind("<input").expect("an input");
    let tag = &page[start..start + page[start..].find('>').expect("the tag's end")];
    let (_, rest) = tag.split_once(r#"value=""#).expect("a value");
    rest.split('"').next().expect("closing quote").to_owned()
}

#[tokio::test]
async fn every_export_downloads_from_the_browser_as_a_named_file() {
    let app = spawn_app().await;
    app.onboard().await;
    let reading = json!({"side": "left", "position": "seated", "method": "goniometer", "trials": [31, 32, 33]});
    assert_eq!(app.post_json("/api/measurements", &reading).await.status(), 200);
    let page = app.get("/account").await.text().await.expect("text");
    for part in ["Download your records", "Progress report and handout (PDF)", "Delete your account", "ana"] {
        assert!(page.contains(part), "{part}");
    }
    let files = [
        ("handout.pdf", "application/pdf", "%PDF-"),
        ("hip-records.fhir.json", "application/fhir+json", "{"),
        ("sessions.csv", "text/csv; charset=utf-8", "day,"),
        ("measurements.csv", "text/csv; charset=utf-8", "day,"),
        ("account.json", "application/json", "{"),
        ("week.ics?at=07:30&offset=60", "text/calendar; charset=utf-8", "BEGIN:VCALENDAR"),
    ];
    for (file, media_type, start) in files {
        let response = app.get(&format!("/account/download/{file}")).await;
        assert_eq!(response.status(), 200, "{file}");
        assert_eq!(response.headers()["content-type"], media_type, "{file}");
        let name = file.split('?').next().expect("name");
        let disposition = response.headers()["content-disposition"].to_str().expect("ascii").to_owned();
        assert_eq!(disposition, format!("attachment; filename=\"hipcoach-{name}\""));
        let body = response.bytes().await.expect("body");
        assert!(body.starts_with(start.as_bytes()), "{file} starts with {start}");
    }
    let account: Value = app.get("/account/download/account.json").await.json().await.expect("json");
    assert_eq!(account["user"]["name"], "ana");
    let calendar = app.get("/account/download/week.ics?at=07:30&offset=60").await.text().await.expect("text");
    assert!(calendar.contains("T063000Z"), "07:30 an hour east of UTC is 06:30 UTC: {calendar}");

    let response = app.get("/account/download/week.ics?at=half%20past%20seven").await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.expect("text").contains("for example 07:30"));
    assert_eq!(app.get("/account/download/week.ics?offset=9999").await.status(), 422);
    assert_eq!(app.get("/account/download/passwords.txt").await.status(), 404);
    let stranger = App::visit(Arc::clone(&app.server)).await;
    assert_eq!(stranger.get("/account/download/account.json").await.status(), 303, "log in first");
}

#[tokio::test]
async fn a_private_calendar_address_serves_the_plan_until_it_is_replaced_or_turned_off() {
    let app = spawn_app().await;
    app.onboard().await;
    let response = app.post_form("/account/calendar", &[("action", "make"), ("at", "25:00"), ("offset", "0")]).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.expect("text").contains("for example 07:30"));

    let form = [("action", "make"), ("at", "07:15"), ("offset", "-300")];
    let page = app.post_form("/account/calendar", &form).await.text().await.expect("text");
    let address = input_value(&page, "Your private calendar address");
    assert!(address.starts_with(&app.url("/calendar/")) && address.ends_with(".ics"), "{address}");
    assert!(page.contains("webcal://"), "a link that subscribes");
    // No cookies: a calendar app holds only the address.
    let calendar_app = reqwest::Client::new();
    let response = calendar_app.get(&address).send().await.expect("GET");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/calendar; charset=utf-8");
    let calendar = response.text().await.expect("text");
    assert!(calendar.contains("BEGIN:VEVENT") && calendar.contains("T121500Z"), "07:15 at UTC-5: {calendar}");

    let page = app.get("/account").await.text().await.expect("text");
    assert!(page.contains("sessions at 07:15") && !page.contains(&address), "the address is shown only once");
    let page = app.post_form("/account/calendar", &form).await.text().await.expect("text");
    let replacement = input_value(&page, "Your private calendar address");
    assert_eq!(calendar_app.get(&address).send().await.expect("GET").status(), 404, "the old one ends");
    assert_eq!(calendar_app.get(&replacement).send().await.expect("GET").status(), 200);
    let page = app.post_form("/account/calendar", &[("action", "off")]).await.text().await.expect("text");
    assert!(page.contains("turned off"));
    let response = calendar_app.get(&replacement).send().await.expect("GET");
    assert_eq!(response.status(), 404);
    assert!(response.text().await.expect("text").contains("not in use"));
    assert_eq!(calendar_app.get(app.url("/calendar/nonsense.ics")).send().await.expect("GET").status(), 404);
}

#[tokio::test]
async fn a_new_password_logs_out_every_other_browser_and_log_out_everywhere_ends_them_all() {
    let app = spawn_app().await;
    let mut phone = App::visit(Arc::clone(&app.server)).await;
    let login = [("name", "ana"), ("password", "long enough")];
    assert_eq!(phone.post_form("/login", &login).await.status(), 303);
    phone.refresh_csrf().await;

    let wrong = [("current", "not it"), ("new", "short"), ("confirm", "short")];
    let response = app.post_form("/account/password", &wrong).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("text");
    assert!(page.contains("That is not your password now") && page.contains("at least 8 characters"), "{page}");
    let differ = [("current", "long enough"), ("new", "a new password"), ("confirm", "another one")];
    assert!(app.post_form("/account/password", &differ).await.text().await.expect("text").contains("differ"));
    assert_eq!(phone.get("/history").await.status(), 200, "nothing changed yet");

    let change = [("current", "long enough"), ("new", "a new password"), ("confirm", "a new password")];
    let response = app.post_form("/account/password", &change).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.expect("text").contains("Your password is changed"));
    assert_eq!(app.get("/history").await.status(), 200, "this browser stays logged in");
    assert_eq!(phone.get("/history").await.status(), 303, "the phone is logged out");
    let mut laptop = App::visit(Arc::clone(&app.server)).await;
    assert_eq!(laptop.post_form("/login", &login).await.status(), 401, "the old password no longer works");
    let new_login = [("name", "ana"), ("password", "a new password")];
    assert_eq!(laptop.post_form("/login", &new_login).await.status(), 303);
    laptop.refresh_csrf().await;

    let response = laptop.post_form("/account/logout-everywhere", &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login?everywhere");
    assert_eq!(laptop.get("/history").await.status(), 303);
    assert_eq!(app.get("/history").await.status(), 303, "every browser, not only the one that asked");
    assert!(laptop.get("/login?everywhere").await.text().await.expect("text").contains("Every login"));
}

#[tokio::test]
async fn deleting_an_account_needs_the_password_and_a_tick_then_leaves_nothing() {
    let mut app = spawn_app().await;
    app.onboard().await;
    let reading = json!({"side": "left", "position": "seated", "method": "goniometer", "trials": [31, 32, 33]});
    assert_eq!(app.post_json("/api/measurements", &reading).await.status(), 200);
    let mut bo = App::visit(Arc::clone(&app.server)).await;
    bo.sign_up("bo").await;
    bo.onboard().await;
    assert_eq!(bo.post_json("/api/measurements", &reading).await.status(), 200);

    let response = app.post_form("/account/delete", &[("password", "wrong")]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("text");
    assert!(page.contains("That is not your password. Nothing was deleted.") && page.contains("Tick the box"));
    let response = app.post_form("/account/delete", &[("password", "long enough")]).await;
    assert_eq!(response.status(), 422, "the box is needed too");
    assert_eq!(
        app.get("/api/measurements").await.json::<Value>().await.expect("json").as_array().map(Vec::len),
        Some(1)
    );

    let response = app.post_form("/account/delete", &[("password", "long enough"), ("understood", "yes")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/signup?deleted");
    assert!(app.get("/signup?deleted").await.text().await.expect("text").contains("have been deleted"));
    assert_eq!(app.get("/api/measurements").await.status(), 401, "logged out");
    app.refresh_csrf().await;
    let response = app.post_form("/login", &[("name", "ana"), ("password", "long enough")]).await;
    assert_eq!(response.status(), 401, "the account is gone");
    assert_eq!(
        bo.get("/api/measurements").await.json::<Value>().await.expect("json").as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(bo.get("/api/plan").await.status(), 200, "bo's plan is untouched");
    // The name is free again, and a new ana starts from nothing.
    app.sign_up("ana").await;
    assert_eq!(app.get("/api/measurements").await.json::<Value>().await.expect("json"), json!([]));
    assert_eq!(app.get("/").await.headers()["location"], "/start");
}

#[tokio::test]
async fn the_profile_and_the_safety_questions_have_their_own_pages_and_refuse_bad_input_in_words() {
    let app = spawn_app().await;
    app.onboard().await;
    let response = app.get("/start").await;
    assert_eq!(response.status(), 303, "someone set up edits on the shorter pages");
    assert_eq!(response.headers()["location"], "/profile");

    let profile = app.get("/profile").await.text().await.expect("text");
    assert!(profile.contains("Sessions a week") && !profile.contains("chest"), "the profile holds no safety question");
    let response = app.post_form("/profile", &[("goal", "general"), ("sessions", "x"), ("minutes", "")]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("text");
    assert!(page.contains("2 answers need a look"), "both problems at once: {page}");
    assert!(page.contains("Please give a whole number from 1 to 7."));

    let safety = app.post_form("/safety", &[]).await;
    assert_eq!(safety.status(), 422);
    let page = safety.text().await.expect("text");
    assert!(page.contains("How old are you?</a> Please answer this question."), "listed by the question itself");

    for (path, form, says) in [
        ("/profile/preference", vec![("exercise", "no-such"), ("choice", "like")], "not in the library"),
        (
            "/profile/preference",
            vec![("exercise", "clamshell"), ("choice", "swap"), ("instead", "clamshell")],
            "another exercise",
        ),
        (
            "/profile/preference",
            vec![("exercise", "clamshell"), ("choice", "swap"), ("instead", "box-squat")],
            "swapped only for",
        ),
        ("/checkin", vec![("pain", "11")], "from 0 to 10"),
    ] {
        let response = app.post_form(path, &form).await;
        assert!(response.status().is_client_error(), "{path} {form:?}");
        let text = response.text().await.expect("text");
        assert!(text.contains(says) && !text.contains('`'), "{path}: {text}");
    }
    let response = app.post_form("/checkin", &[("pain", "2")]).await;
    assert!(response.status().is_client_error(), "no session yesterday: nothing to check on");

    let response = app.post_form("/profile/preference", &[("exercise", "clamshell"), ("choice", "dislike")]).await;
    assert_eq!(response.headers()["location"], "/exercises/clamshell?saved");
    let page = app.get("/exercises/clamshell?saved").await.text().await.expect("text");
    assert!(page.contains("You chose never to have this exercise scheduled."));
    let plan: Value = app.get("/api/plan").await.json().await.expect("json");
    let scheduled: Vec<&str> = plan["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .flat_map(|s| s["items"].as_array().expect("items"))
        .filter_map(|i| i["exercise"].as_str())
        .collect();
    assert!(!scheduled.is_empty() && !scheduled.contains(&"clamshell"), "and the plan leaves it out: {scheduled:?}");
}

#[tokio::test]
async fn the_morning_after_a_session_today_asks_how_the_hip_is_once() {
    let app = spawn_app().await;
    app.onboard().await;
    // Started, the first exercise done (steps are short here) and its pain check answered, then ended.
    let log = json!([
        { "at": 0, "command": { "type": "start" } },
        { "at": 100_000, "command": { "type": "answer-pain", "value": { "type": "score", "score": 1 } } },
        { "at": 100_001, "command": { "type": "end-session" } },
    ]);
    let yesterday = "2026-11-23"; // the servers of these tests think it is Tue 24 Nov 2026
    let sent =
        app.post_json("/api/sessions", &json!({ "key": "k1", "exercise": [], "log": log, "day": yesterday })).await;
    assert_eq!(sent.status(), 200);
    let today = app.get("/").await.text().await.expect("text");
    assert!(today.contains("How is your hip this morning?"), "{today}");
    let response = app.post_form("/checkin", &[("pain", "1")]).await;
    assert_eq!(response.headers()["location"], "/?checked-in");
    let today = app.get("/?checked-in").await.text().await.expect("text");
    assert!(today.contains("Morning check saved") && !today.contains("How is your hip this morning?"));
}

#[tokio::test]
async fn a_wrong_reading_is_corrected_or_deleted_and_a_session_deleted_with_a_trail_in_the_export() {
    let app = spawn_app().await;
    app.onboard().await;
    let form = [
        ("position", "seated"),
        ("side", "left"),
        ("method", "goniometer"),
        ("trial1", "4"),
        ("trial2", "5"),
        ("trial3", "6"),
    ];
    assert_eq!(app.post_form("/measure", &form).await.status(), 303);
    let page = app.get("/measure").await.text().await.expect("text");
    let link = page
        .split(r#"href=""#)
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.strip_prefix("/measure/").is_some_and(|id| id.parse::<i64>().is_ok()))
        .expect("a link to correct the reading")
        .to_owned();
    assert_eq!(app.get(&link).await.status(), 200);

    // Someone else cannot see or change it.
    let mut other = App::visit(Arc::clone(&app.server)).await;
    other.sign_up("bo").await;
    assert_eq!(other.get(&link).await.status(), 404);
    assert_eq!(other.post_form(&format!("{link}/delete"), &[("sure", "yes")]).await.status(), 404);

    // A bad correction says how to fix it and changes nothing; a good one is kept.
    let response = app.post_form(&link, &[("day", "2026-11-24"), ("side", "left"), ("degrees", &"9".repeat(40))]).await;
    assert_eq!(response.status(), 422);
    let text = response.text().await.expect("text");
    assert!(
        text.contains("Please give the angle in whole degrees, from -20 to 90.") && !text.contains(&"9".repeat(20))
    );
    let response = app.post_form(&link, &[("day", "2026-11-25"), ("side", "left"), ("degrees", "40")]).await;
    assert!(response.text().await.expect("text").contains("cannot be after today"));
    let response = app.post_form(&link, &[("day", "2026-11-23"), ("side", "left"), ("degrees", "40")]).await;
    assert_eq!(response.headers()["location"], "/measure?corrected#readings");
    let readings: Value = app.get("/api/measurements").await.json().await.expect("json");
    assert_eq!((readings[0]["degrees"].as_f64(), readings[0]["day"].as_str()), (Some(40.0), Some("2026-11-23")));

    // Deleting needs the tick.
    let response = app.post_form(&format!("{link}/delete"), &[]).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.expect("text").contains("Nothing was deleted"));
    assert_eq!(app.post_form(&format!("{link}/delete"), &[("sure", "yes")]).await.status(), 303);
    assert_eq!(app.get(&link).await.status(), 404);

    // A session logged by mistake.
    let log = json!([{ "at": 0, "command": { "type": "start" } }, { "at": 10, "command": { "type": "end-session" } }]);
    let sent: Value = app
        .post_json("/api/sessions", &json!({ "key": "oops", "exercise": ["clamshell"], "log": log }))
        .await
        .json()
        .await
        .expect("json");
    let id = sent["id"].as_i64().expect("an id");
    let detail = app.get(&format!("/history/{id}")).await.text().await.expect("text");
    assert!(detail.contains("Delete this session") && detail.contains("Yes, delete this session"));
    let response = app.post_form(&format!("/history/{id}/delete"), &[("sure", "yes")]).await;
    assert_eq!(response.headers()["location"], "/history?deleted");
    assert_eq!(app.get(&format!("/history/{id}")).await.status(), 404);
    let retry = app.post_json("/api/sessions", &json!({ "key": "oops", "exercise": ["clamshell"], "log": log })).await;
    assert_eq!(retry.status(), 422, "a phone's late retry does not bring a deleted session back");
    assert!(retry.text().await.expect("text").contains("was deleted"));

    let export: Value = app.get("/account/download/account.json").await.json().await.expect("json");
    let trail: Vec<(&str, &str)> = export["corrections"]
        .as_array()
        .expect("the trail")
        .iter()
        .map(|c| (c["record"].as_str().unwrap_or(""), c["action"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(trail, vec![("measurement", "edited"), ("measurement", "deleted"), ("session", "deleted")]);
}

#[tokio::test]
async fn after_a_session_stopped_for_sharp_pain_today_says_so_and_offers_no_more_work() {
    let app = spawn_app().await;
    app.onboard().await;
    // Steps last 200 ms here: at 1.5 s the first exercise is under way.
    let log = json!([
        { "at": 0, "command": { "type": "start" } },
        { "at": 1_500, "command": { "type": "sharp-pain" } },
        { "at": 1_510, "command": { "type": "end-session" } },
    ]);
    let sent = app.post_json("/api/sessions", &json!({ "key": "ouch", "exercise": [], "log": log })).await;
    assert_eq!(sent.status(), 200);
    let today = app.get("/").await.text().await.expect("text");
    assert!(today.contains("Stopped for pain today") && today.contains("see a doctor or physiotherapist"), "{today}");
    assert!(!today.contains("Done for today") && !today.contains("Do another session anyway"));
}

#[tokio::test]
async fn the_app_is_installable_and_its_engine_and_worker_are_served_with_their_types() {
    let app = spawn_app().await;
    app.onboard().await;
    for (path, kind) in [
        ("/assets/engine.wasm", "application/wasm"),
        ("/assets/engine.js", "text/javascript; charset=utf-8"),
        ("/assets/manifest.webmanifest", "application/manifest+json"),
        ("/assets/icon-192.png", "image/png"),
        ("/assets/icon-512.png", "image/png"),
        ("/sw.js", "text/javascript; charset=utf-8"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["content-type"], kind, "{path}");
        // WebAssembly may compile; nothing else is loosened.
        let policy = response.headers()["content-security-policy"].to_str().expect("ascii").to_owned();
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval';"), "{policy}");
    }
    let wasm = app.get("/assets/engine.wasm").await.bytes().await.expect("bytes");
    assert_eq!(&wasm[..4], b"\0asm", "a WebAssembly module");
    let worker = app.get("/sw.js").await.text().await.expect("text");
    assert!(!worker.contains("{{"), "the worker's version and shell are filled in");
    assert!(worker.contains("\"/assets/engine.wasm\""), "the worker keeps the engine");
    assert_eq!(app.get("/sw.js").await.headers()["cache-control"], "no-cache", "an update is seen on the next visit");
    let manifest: Value = app.get("/assets/manifest.webmanifest").await.json().await.expect("json");
    assert_eq!(manifest["display"], "standalone");
    assert!(manifest["icons"].as_array().expect("icons").iter().any(|i| i["sizes"] == "512x512"));
    let today = app.get("/").await.text().await.expect("text");
    for part in ["rel=\"manifest\"", "rel=\"apple-touch-icon\"", "/assets/offline.js"] {
        assert!(today.contains(part), "{part}");
    }
    let offline = app.get("/offline").await;
    assert_eq!(offline.status(), 200);
    assert!(offline.text().await.expect("text").contains("You are offline"));
    // The player page carries its session for the page's engine.
    let player = app.get("/session").await.text().await.expect("text");
    assert!(player.contains("data-session=") && player.contains("/assets/engine.js"));
}

#[tokio::test]
async fn a_log_played_at_a_dose_no_plan_gives_is_refused_with_the_reason_and_nothing_is_stored() {
    let app = spawn_app().await;
    app.onboard().await;
    // The session as the player page gives it to the page's engine.
    let player = app.get("/session").await.text().await.expect("text");
    let attribute =
        player.split("data-session=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("data-session");
    let session: Value = serde_json::from_str(&attribute.replace("&quot;", "\"").replace("&amp;", "&")).expect("json");
    let items = session["items"].clone();
    assert!(session["played"].as_str().is_some_and(|p| p.len() == 16), "{session}");
    let log = json!([{"at": 0, "command": {"type": "start"}}, {"at": 1000, "command": {"type": "end-session"}}]);
    let mut tampered = items.clone();
    tampered[0]["sides"] = json!({"type": "together", "sets": 5});
    let refused = app.post_json("/api/sessions", &json!({"key": "more-sets", "log": log, "played": tampered})).await;
    assert_eq!(refused.status(), 409);
    let error: Value = refused.json().await.expect("json");
    assert!(error["error"].as_str().is_some_and(|e| e.contains("changed on the server")), "{error}");
    let sessions: Value = app.get("/api/sessions").await.json().await.expect("json");
    assert_eq!(sessions.as_array().map(Vec::len), Some(0));
    // The items the page was given: stored.
    let stored = app.post_json("/api/sessions", &json!({"key": "as-given", "log": log, "played": items})).await;
    assert_eq!(stored.status(), 200);
}

#[tokio::test]
async fn a_reading_sent_again_with_its_key_is_stored_once_on_the_day_it_was_taken() {
    let app = spawn_app().await;
    let reading = json!({"side": "left", "position": "seated", "method": "goniometer", "trials": [30, 32, 31],
        "key": "m-phone-1", "day": "2026-11-20"});
    let first: Value = app.post_json("/api/measurements", &reading).await.json().await.expect("json");
    let again: Value = app.post_json("/api/measurements", &reading).await.json().await.expect("json");
    assert_eq!(first["id"], again["id"], "{again}");
    assert_eq!(first["measurement"]["day"], "2026-11-20", "kept on the day it was taken");
    let all: Value = app.get("/api/measurements").await.json().await.expect("json");
    assert_eq!(all.as_array().map(Vec::len), Some(1));
    let neutral = json!({"x": 0.0, "y": -9.81, "z": 0.0});
    let trials: Vec<Value> =
        [33.0, 35.0, 36.0].iter().map(|deg| json!({"neutral": neutral, "end": gravity_turned(*deg)})).collect();
    let phone = json!({"side": "right", "position": "seated", "trials": trials, "key": "m-phone-2"});
    let first: Value = app.post_json("/api/measurements/inclinometer", &phone).await.json().await.expect("json");
    let again: Value = app.post_json("/api/measurements/inclinometer", &phone).await.json().await.expect("json");
    assert_eq!(first["id"], again["id"]);
    // A key of nothing, or a date from another year, is refused in words.
    for (field, value) in [("key", json!("")), ("day", json!("2020-01-01"))] {
        let mut bad = reading.clone();
        bad[field] = value;
        bad["key"] = if field == "key" { json!("") } else { json!("m-old") };
        let response = app.post_json("/api/measurements", &bad).await;
        assert_eq!(response.status(), 422, "{field}");
    }
    // Deleted, then sent again late: not brought back.
    let id = first["id"].as_i64().expect("id");
    let deleted = app.post_form(&format!("/measure/{id}/delete"), &[("sure", "yes")]).await;
    assert!(deleted.status().is_success() || deleted.status().is_redirection(), "{}", deleted.status());
    let late = app.post_json("/api/measurements/inclinometer", &phone).await;
    assert_eq!(late.status(), 422);
}

/// Requests take a place in one first-come queue only once their body has arrived: 100
/// clients that send a request's headers and then trickle its body hold no place, so pages go
/// on being served at once (were the body read inside the queue, these would wait out the
/// 30 s request deadline behind them). (A GET with a body: a write without this visitor's
/// token would be turned away before the queue.)
#[tokio::test]
async fn clients_trickling_bodies_in_do_not_hold_up_anyone() {
    use tokio::io::AsyncWriteExt;
    let app = spawn_app().await;
    let address = app.server.address.trim_start_matches("http://").to_owned();
    let mut slow = Vec::new();
    for _ in 0..100 {
        let mut socket = tokio::net::TcpStream::connect(&address).await.expect("connect");
        let head = format!(
            "GET /api/exercises HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{{"
        );
        socket.write_all(head.as_bytes()).await.expect("write");
        slow.push(socket);
    }
    for path in ["/exercises", "/api/exercises", "/", "/api/plan", "/history"] {
        let answered = tokio::time::timeout(std::time::Duration::from_secs(5), app.get(path)).await;
        let status = answered.unwrap_or_else(|_| panic!("{path} waited behind bodies still arriving")).status();
        assert!(!status.is_server_error(), "{path}: {status}");
    }
    drop(slow);
}
