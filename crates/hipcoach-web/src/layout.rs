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
                    title { (title) " · hipcoach" }
                    link rel="stylesheet" href="/assets/app.css";
                    link rel="icon" href="data:,";
                }
                body {
                    a.skip href="#main" { "Skip to content" }
                    header.top {
                        a.brand href="/" { "hipcoach" }
                        nav aria-label="Main" {
                            @if visitor.user.is_some() || !visitor.accounts {
                                (link("/", "Today", Section::Today))
                                (link("/exercises", "Exercises", Section::Library))
                                (link("/history", "History", Section::History))
                                (link("/measure", "Measure", Section::Measure))
                                (link("/start", "Profile", Section::Start))
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
