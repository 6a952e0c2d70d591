//! Measuring with the live camera: the phone or laptop films the seated test, the pose model runs
//! in the browser, and each frame's keypoints go to the live test in engine.wasm
//! (`hipcoach_core::measure::live`), which says what to fix, calibrates, counts three turns and
//! gives the estimate. No frame is uploaded or stored; the estimate is saved like a recorded
//! clip's (POST /api/measurements/camera).

use super::assets::POSE_PATH;
use super::measure::hip_and_test_choice;
use crate::auth::SignedIn;
use crate::layout::{Section, page as layout};
use crate::{AppState, WebError};
use axum::extract::State;
use axum::response::Html;
use hipcoach_core::measure::{Method, VALIDATION};
use maud::{Markup, PreEscaped, html};

pub async fn page(SignedIn { visitor, .. }: SignedIn) -> Result<Html<String>, WebError> {
    Ok(layout(
        "Measure with the camera",
        Section::Measure,
        &visitor,
        html! {
            h1 { "Measure with the camera" }
            section.camera #camera data-pose=(POSE_PATH) {
                div #camera-choose {
                    (hip_and_test_choice())
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
            p.muted { "Cameras work on this computer's own address, or over HTTPS from another device ("
                a href="/connect" { "open hipcoach on your phone" } "). A camera estimate is stored with its own ± (at least " (Method::CameraEstimate.uncertainty()) "); in your trends, a change that includes one counts as real only beyond the camera's own, larger margin." }
            script src="/assets/records.js" defer {}
            script src="/assets/readings.js" defer {}
            script src="/assets/engine.js" defer {}
            script src="/assets/pose.js" defer {}
            script src="/assets/camera.js" defer {}
        },
    ))
}

/// Opening hipcoach on a phone: the network address as a link and a QR code, and what to expect
/// from a self-signed certificate. Browsers allow cameras only on the device's own address or
/// over HTTPS, so a phone needs `hipcoach serve --tls`.
pub async fn connect(
    State(state): State<AppState>,
    SignedIn { visitor, .. }: SignedIn,
) -> Result<Html<String>, WebError> {
    let body = connect_body(state.settings.network_url.as_deref(), state.settings.tls.is_some());
    Ok(layout(
        "Open hipcoach on your phone",
        Section::Measure,
        &visitor,
        html! { h1 { "Open hipcoach on your phone" } (body) },
    ))
}

/// What the connect page says for the network address (if any) and whether HTTPS is on.
fn connect_body(address: Option<&str>, tls: bool) -> Markup {
    let qr = address.and_then(|url| qrcode::QrCode::new(url.as_bytes()).ok()).map(|code| {
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(240, 240)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build()
    });
    html! {
        @match (address, tls) {
            (Some(url), true) => {
                p.lead { "On a phone on the same network, scan this code or type the address:" }
                @if let Some(svg) = &qr {
                    figure.qr role="img" aria-label=(format!("QR code for {url}")) { (PreEscaped(svg.as_str())) }
                }
                p.address { a href=(url) { (url) } }
                h2 { "The certificate warning" }
                p { "hipcoach made its own certificate for this computer, so the phone's browser warns that it cannot check it. That is expected here: choose to continue (\"Advanced\", then \"Proceed\" or \"Visit this website\"). The connection is still encrypted. To avoid the warning, give hipcoach a certificate your devices trust (serve --tls --cert FILE --key FILE), or put it behind a reverse proxy that has one." }
            }
            (Some(url), false) => {
                p.lead { "This server is reachable at " a href=(url) { (url) } ", but over plain HTTP, where phone browsers do not allow the camera." }
                p { "Start it with HTTPS: hipcoach serve --tls --bind 0.0.0.0:8443. Or put it behind a reverse proxy with a certificate." }
            }
            (None, _) => {
                p.lead { "This server listens only on this computer, so a phone cannot reach it." }
                p { "To use a phone's camera, start hipcoach with HTTPS on the network: hipcoach serve --tls --bind 0.0.0.0:8443, then open this page again for a QR code. Sign-up keeps each person's data to their own account." }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::connect_body;

    #[test]
    fn the_connect_page_shows_a_qr_code_only_for_a_network_address_over_https() {
        let page = connect_body(Some("https://192.168.1.20:8443"), true).into_string();
        assert!(page.contains("<svg") && page.contains("QR code for https://192.168.1.20:8443"), "{page}");
        assert!(page.contains("certificate warning"));
        let plain = connect_body(Some("http://192.168.1.20:8080"), false).into_string();
        assert!(!plain.contains("<svg") && plain.contains("serve --tls"));
        let local = connect_body(None, true).into_string();
        assert!(!local.contains("<svg") && local.contains("listens only on this computer"));
    }
}
