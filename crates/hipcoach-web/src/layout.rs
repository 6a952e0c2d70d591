//! The page shell: one stylesheet, large type, a skip link, and the disclaimer on every page.

use super::auth::{CSRF_FIELD, Visitor};
use axum::response::Html;
use maud::{DOCTYPE, Markup, html};

/// Which section the page belongs to, for the navigation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Today,
    Library,
    History,
    Measure,
    Start,
    /// Sign-up and log-in pages.
    Account,
    /// Your account and data: downloads, calendar, password, deletion.
    Data,
}

/// The hidden field that proves a form came from one of our pages.
pub fn csrf_field(visitor: &Visitor) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(visitor.csrf); }
}

/// A full page.
pub fn page(title: &str, section: Section, visitor: &Visitor, body: Markup) -> Html<String> {
    shell(title, section, visitor, body, None)
}

/// A full page with a dock: a bar at the bottom of the screen that stays in view while the
/// rest scrolls above it. The dock has its own row in the layout, so it never covers content
/// at any width or text size (the guided session's stop button lives there).
pub fn page_with_dock(title: &str, section: Section, visitor: &Visitor, body: Markup, dock: Markup) -> Html<String> {
    shell(title, section, visitor, body, Some(dock))
}

fn shell(title: &str, section: Section, visitor: &Visitor, body: Markup, dock: Option<Markup>) -> Html<String> {
    let link = |href: &str, label: &str, this: Section| {
        html! { a href=(href) aria-current=[(section == this).then_some("page")] { (label) } }
    };
    Html(
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    meta name="csrf-token" content=(visitor.csrf);
                    // Whose records this device keeps while it waits to send them.
                    @if let Some(user) = &visitor.user { meta name="hipcoach-user" content=(user.id.0); }
                    // With accounts, a page without a user means logged out: offline.js then
                    // drops the pages kept for offline use.
                    meta name="hipcoach-accounts" content=(if visitor.accounts { "1" } else { "0" });
                    meta name="theme-color" content="#0f5c57";
                    title { (title) " · hipcoach" }
                    link rel="stylesheet" href="/assets/app.css";
                    link rel="manifest" href="/assets/manifest.webmanifest";
                    link rel="icon" href="/assets/icon.svg" type="image/svg+xml";
                    link rel="apple-touch-icon" href="/assets/icon-180.png";
                    script src="/assets/offline.js" defer {}
                }
                body.docked[dock.is_some()] {
                    a.skip href="#main" { "Skip to content" }
                    div.scroller {
                        header.top {
                            a.brand href="/" { "hipcoach" }
                            nav aria-label="Main" {
                                @if visitor.user.is_some() || !visitor.accounts {
                                    (link("/", "Today", Section::Today))
                                    (link("/exercises", "Exercises", Section::Library))
                                    (link("/history", "History", Section::History))
                                    (link("/measure", "Measure", Section::Measure))
                                    (link("/profile", "Profile", Section::Start))
                                } @else {
                                    (link("/exercises", "Exercises", Section::Library))
                                    (link("/login", "Log in", Section::Account))
                                }
                            }
                            @if let (Some(user), true) = (&visitor.user, visitor.accounts) {
                                form.account method="post" action="/logout" {
                                    (csrf_field(visitor))
                                    a.who href="/account" aria-current=[(section == Section::Data).then_some("page")]
                                        title="Your account and data" { (user.name) } " "
                                    button.link type="submit" { "Log out" }
                                }
                            }
                        }
                        main #main { (body) }
                        footer {
                            p { "hipcoach gives exercise guidance, not medical advice. Stop on sharp pain, and see a clinician when something is not right." }
                            @if visitor.user.is_some() {
                                p { a href="/account" { "Your account and data" } ": downloads, calendar reminders, password, deleting your account." }
                            }
                        }
                    }
                    @if let Some(dock) = dock { div.dock role="region" aria-label="Stop the session" { (dock) } }
                }
            }
        }
        .into_string(),
    )
}

/// A page for an error, with the message and a way on.
pub fn error_page(status: axum::http::StatusCode, message: &str, signed_in: bool) -> Html<String> {
    use axum::http::StatusCode;
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::CONFLICT => "One step first",
        StatusCode::TOO_MANY_REQUESTS => "Too many tries",
        StatusCode::UNAUTHORIZED => "Please log in",
        s if s.is_server_error() => "Something went wrong",
        _ => "Please check",
    };
    // Without the account form: that needs the visitor's CSRF token, which the page lacks.
    let visitor = Visitor { user: None, csrf: String::new(), accounts: !signed_in };
    page(
        title,
        Section::Account,
        &visitor,
        html! {
            h1 { (title) }
            p.lead role="alert" { (hipcoach_workflows::wording::capitalised(message)) }
            p { a.button href="/" { "Back to Today" } " " a href="/exercises" { "Exercise library" } }
        },
    )
}

/// Sessions this device still holds (not yet sent, or left part-way), filled in by
/// `records.js`: on Today and History, where a person looks for them.
pub fn kept_records() -> Markup {
    html! {
        section #kept-records hidden aria-labelledby="kept-title" {
            h2 #kept-title { "Kept on this device" }
        }
        script src="/assets/records.js" defer {}
    }
}
