//! The page the service worker shows for a page it never kept, when there is no connection.

use crate::auth::Visitor;
use crate::layout::{self, Section};
use axum::response::Html;
use maud::html;

/// Kept by the service worker when it is installed; the same for everyone (no account's data),
/// so it is drawn for no one in particular.
pub async fn page() -> Html<String> {
    let nobody = Visitor { user: None, csrf: String::new(), accounts: false };
    layout::page(
        "Offline",
        Section::Today,
        &nobody,
        html! {
            h1 { "You are offline" }
            p.lead { "This page was not kept on this device, so it needs a connection." }
            p { "Today, your session and the pages of its exercises work offline once you have opened Today with a connection. A session you do offline is kept on this device and sent when the connection is back." }
            p { a.button.primary href="/" { "Go to Today" } }
        },
    )
}
