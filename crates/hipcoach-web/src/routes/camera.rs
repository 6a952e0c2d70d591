//! Measuring with the live camera: the phone or laptop films the seated test, the pose model runs
//! in the browser, and each frame's keypoints go to the live test in engine.wasm
//! (`hipcoach_core::measure::live`), which says what to fix, calibrates, counts three turns and
//! gives the estimate. No frame is uploaded or stored; the estimate is saved like a recorded
//! clip's (POST /api/measurements/camera).

use super::assets::POSE_PATH;
use crate::auth::SignedIn;
use crate::layout::{Section, page as layout};
use crate::WebError;
use axum::response::Html;
use hipcoach_core::measure::{Method, VALIDATION};
use maud::html;

pub async fn page(SignedIn { visitor, .. }: SignedIn) -> Result<Html<String>, WebError> {
    Ok(layout(
        "Measure with the camera",
        Section::Measure,
        &visitor,
        html! {
            h1 { "Measure with the camera" }
            section.camera #camera data-pose=(POSE_PATH) {
                div #camera-choose {
                    fieldset {
                        legend { "Which hip?" }
                        label.choice { input type="radio" name="side" value="left" checked; " Left" }
                        label.choice { input type="radio" name="side" value="right"; " Right" }
                    }
                    fieldset {
                        legend { "Which test?" }
                        label.choice { input type="radio" name="position" value="seated" checked; " Seated" }
                        label.choice { input type="radio" name="position" value="prone"; " Prone (lying face down)" }
                    }
                    details.howto {
                        summary { "How to set up" }
                        ol {
                            li { "Stand the phone or laptop at knee height, 2 to 3 metres away, level and square to you, so your hips and both legs are in the picture." }
                            li { "Sit on a high chair or table, hips and knees bent to a right angle, thighs level and pointing at the camera." }
                            li { "Let both shins hang straight down and sit still: the camera calibrates on that." }
                            li { "Then turn the hip three times, the foot swinging out, the knee and both sitting bones still, back to the start each time." }
                        }
                    }
                    button.primary #camera-start type="button" { "Start the camera" }
                }
                div #camera-live hidden {
                    p.privacy { "Nothing leaves this device: each picture is read here and thrown away. Only the result is sent, when you save it." }
                    div.camera-view {
                        video #camera-video muted playsinline aria-label="Camera preview" {}
                        p.camera-angle #camera-angle aria-hidden="true" {}
                    }
                    p.camera-say #camera-say aria-live="polite" {}
                    p.camera-fix #camera-fix role="status" {}
                    ol.trial-progress #camera-trials aria-label="Trials" {
                        li { "Trial 1" } li { "Trial 2" } li { "Trial 3" }
                    }
                    p {
                        label.choice { input #camera-voice type="checkbox" checked; " Speak the instructions" }
                    }
                    button #camera-stop type="button" { "Stop the camera" }
                }
                p.error #camera-error role="alert" hidden {}
                section #camera-done hidden aria-labelledby="camera-result" {
                    h2 #camera-result tabindex="-1" {}
                    p #camera-trials-done {}
                    p.muted { "A " (VALIDATION) "." }
                    p {
                        button.primary #camera-save type="button" { "Save as a camera reading" }
                        " "
                        a.button href="/measure/camera" { "Measure again" }
                    }
                    p.save-status #camera-saved role="status" {}
                }
            }
            noscript { p.error { "The camera needs JavaScript: the pose model runs in this browser." } }
            p.muted { "Cameras work on this computer's own address, or over HTTPS from another device. A camera estimate is stored with its own ± (at least " (Method::CameraEstimate.uncertainty()) ") and kept apart from goniometer and phone readings in your trends." }
            script src="/assets/records.js" defer {}
            script src="/assets/readings.js" defer {}
            script src="/assets/engine.js" defer {}
            script src="/assets/pose.js" defer {}
            script src="/assets/camera.js" defer {}
        },
    ))
}
