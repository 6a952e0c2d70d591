//! The page shell: one stylesheet, large type, a skip link, and the disclaimer on every page.

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
}

/// A full page.
pub fn page(title: &str, section: Section, body: Markup) -> Html<String> {
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
                    title { (title) " · hipcoach" }
                    link rel="stylesheet" href="/assets/app.css";
                    link rel="icon" href="data:,";
                }
                body {
                    a.skip href="#main" { "Skip to content" }
                    header.top {
                        a.brand href="/" { "hipcoach" }
                        nav aria-label="Main" {
                            (link("/", "Today", Section::Today))
                            (link("/exercises", "Exercises", Section::Library))
                            (link("/history", "History", Section::History))
                            (link("/measure", "Measure", Section::Measure))
                            (link("/start", "Profile", Section::Start))
                        }
                    }
                    main #main { (body) }
                    footer {
                        p { "hipcoach gives exercise guidance, not medical advice. Stop on sharp pain, and see a clinician when something is not right." }
                    }
                }
            }
        }
        .into_string(),
    )
}
